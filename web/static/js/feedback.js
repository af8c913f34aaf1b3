// Feedback on sessions on the attendee's page: each session's form shows the moment its slot
// ends (the page draws those still on hidden), and a tap is sent without leaving the page. With
// no script the same forms post and come back (server/pages/attendee.py give_feedback).
import { api } from "./api.js";
import { localNow } from "./day.js";
import { $, $$, announce, showErrors, slugFromPath } from "./ui.js";
import { ready, t } from "./i18n.js";

await ready;

const slug = slugFromPath();
const section = $("#feedback-section");
const forms = $$(".feedback-form");
const timezone = JSON.parse($("#snapshot")?.textContent || "{}").event?.timezone || "UTC";
const given = (form) => !$(`#${form.id}-given`).hidden;

/** Shows the forms of sessions whose slot has just ended. */
function offer() {
  const now = localNow(timezone);
  for (const form of forms) {
    if (form.hidden && !given(form) && form.dataset.ends <= now) {
      form.hidden = false;
      section.hidden = false;
      announce(t("A session has ended: say how it was, under “How was it?”."));
    }
  }
}

async function send(form, answer) {
  const comment = form.elements.comment.value.trim();
  const body = comment ? { answer, comment } : { answer };
  try {
    await api("POST", `/api/e/${slug}/pitches/${form.dataset.pitch}/feedback`, { body, attendee: true });
  } catch (error) {
    const field = error.status === 422 && comment ? form.elements.comment : form.querySelector("button");
    showErrors(form, [{ message: error.message, input: field }]);
    return;
  }
  form.hidden = true;
  const thanks = $(`#${form.id}-given`);
  thanks.hidden = false;
  announce(thanks.textContent);
}

if (section) {
  for (const form of forms) {
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      const answer = event.submitter?.value;
      if (answer) send(form, answer);
    });
  }
  offer();
  setInterval(offer, 15000);
}
