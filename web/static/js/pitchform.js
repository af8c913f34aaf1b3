// The pitch form (attendee page and staff page): read it, check it, fill it for editing.
import { t, tn } from "./i18n.js";

export function readPitch(form) {
  const get = (name) => form.elements[name].value.trim();
  const errors = [];
  const fields = {
    title: get("title"),
    pitch: get("pitch"),
    host: get("host"),
    format: get("format"),
    tags: get("tags").split(",").map((tag) => tag.trim()).filter(Boolean),
  };
  // The session's language: asked only on an event held in more than one ("" is unsaid).
  if (form.elements.language) fields.language = form.elements.language.value;
  // One sentence for each field, so a translator can say each its own way.
  const over = (text, limit) => ({ limit, has: text.length, n: text.length - limit });
  if (!fields.title) errors.push({ message: t("Enter a title for your session"), input: form.elements.title });
  else if (fields.title.length > 120) {
    const figures = over(fields.title, 120);
    errors.push({ message: tn("The title can be at most %(limit)s characters; it has %(has)s, so take out %(n)s character.",
      "The title can be at most %(limit)s characters; it has %(has)s, so take out %(n)s characters.", figures.n, figures), input: form.elements.title });
  }
  if (fields.pitch.length > 280) {
    const figures = over(fields.pitch, 280);
    errors.push({ message: tn("The pitch can be at most %(limit)s characters; it has %(has)s, so take out %(n)s character.",
      "The pitch can be at most %(limit)s characters; it has %(has)s, so take out %(n)s characters.", figures.n, figures), input: form.elements.pitch });
  }
  if (fields.host.length > 80) {
    const figures = over(fields.host, 80);
    errors.push({ message: tn("The host can be at most %(limit)s characters; it has %(has)s, so take out %(n)s character.",
      "The host can be at most %(limit)s characters; it has %(has)s, so take out %(n)s characters.", figures.n, figures), input: form.elements.host });
  }
  if (fields.tags.length > 5) errors.push({ message: t("Use 5 tags or fewer"), input: form.elements.tags });
  else if (fields.tags.some((tag) => tag.length > 30)) errors.push({ message: t("Each tag must be 30 characters or fewer"), input: form.elements.tags });
  return { fields, errors };
}

export function fillPitch(form, pitch) {
  form.elements.title.value = pitch.title || "";
  form.elements.pitch.value = pitch.pitch || "";
  form.elements.host.value = pitch.host || "";
  form.elements.format.value = pitch.format || "discussion";
  form.elements.tags.value = (pitch.tags || []).join(", ");
  if (form.elements.language) form.elements.language.value = pitch.language || "";
}
