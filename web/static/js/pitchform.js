// The pitch form (attendee page and staff page): read it, check it, fill it for editing.

export function readPitch(form) {
  const get = (name) => form.elements[name].value.trim();
  const errors = [];
  const fields = {
    title: get("title"),
    pitch: get("pitch"),
    host: get("host"),
    format: get("format"),
    tags: get("tags").split(",").map((t) => t.trim()).filter(Boolean),
  };
  const tooLong = (label, text, limit) => {
    const over = text.length - limit;
    return `${label} can be at most ${limit} characters; it has ${text.length}, so take out ${over} ${over === 1 ? "character" : "characters"}.`;
  };
  if (!fields.title) errors.push({ message: "Enter a title for your session", input: form.elements.title });
  else if (fields.title.length > 120) errors.push({ message: tooLong("The title", fields.title, 120), input: form.elements.title });
  if (fields.pitch.length > 280) errors.push({ message: tooLong("The pitch", fields.pitch, 280), input: form.elements.pitch });
  if (fields.host.length > 80) errors.push({ message: tooLong("The host", fields.host, 80), input: form.elements.host });
  if (fields.tags.length > 5) errors.push({ message: "Use 5 tags or fewer", input: form.elements.tags });
  else if (fields.tags.some((t) => t.length > 30)) errors.push({ message: "Each tag must be 30 characters or fewer", input: form.elements.tags });
  return { fields, errors };
}

export function fillPitch(form, pitch) {
  form.elements.title.value = pitch.title || "";
  form.elements.pitch.value = pitch.pitch || "";
  form.elements.host.value = pitch.host || "";
  form.elements.format.value = pitch.format || "discussion";
  form.elements.tags.value = (pitch.tags || []).join(", ");
}
