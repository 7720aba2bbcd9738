// Every signed-in page (templates/base.html): nothing kept in this browser is forgotten.
//
// - It sends what this browser still holds of the person's answers (static/js/kept.js), one
//   at a time, whichever page is open: a change kept while offline no longer waits for its
//   own section page to be opened again. A section page sends its own questions itself.
// - Until they are sent, the page says "N changes kept in this browser, not yet sent", with
//   the cases they belong to; a case's page and its Check your answers name each question
//   (#kept-for-case), and submitting the case warns while any of them is unsent.
// - Signed out (a save or the session check found the session ended), it says so, with a
//   link to sign in again, and keeps everything until the person has.
// - Before the session ends, GOV.UK's timeout warning offers to stay signed in.

import {
  allKept,
  autosaveUrl,
  caseUrl,
  claimedByPages,
  forget,
  keep,
  keptFor,
  onKeptChange,
  send,
} from "./kept.js";
import { isSignedOut, onSessionChange, signInUrl } from "./session.js";
import { startTimeoutWarning } from "./timeout-warning.js";

const RETRY_FIRST_MS = 3000;
const RETRY_MAX_MS = 60000;
// How soon to look again at changes a section page in another tab was sending: it may have
// been closed before it could.
const LOOK_AGAIN_MS = 10000;

const banner = document.getElementById("kept-changes");
const casePanel = document.getElementById("kept-for-case");

// Why a change was not sent, by slot (`<case> <key>`): the server's word on it, or a failure.
const notSent = new Map();
const sentFor = new Set(); // the cases some of whose kept changes this page has sent
let sending = false;
let retryMs = RETRY_FIRST_MS;
let retryTimer = null;

function plural(count, word) {
  return `${count} ${word}${count === 1 ? "" : "s"}`;
}

function element(tag, className, text) {
  const made = document.createElement(tag);
  if (className) made.className = className;
  if (text !== undefined) made.textContent = text;
  return made;
}

function link(text, href) {
  const made = element("a", "govuk-link", text);
  made.href = href;
  return made;
}

// ---- sending what is kept -----------------------------------------------------------------------

const HELD = {
  conflict: "Not sent: it was changed elsewhere since. Open its page to choose which to keep.",
  "confirm-clear": "Not sent: it clears other answers. Open its page to confirm.",
  "needs-answer": "Not sent: a note needs an answer. Open its page to choose one.",
};

async function sendAll() {
  if (sending || isSignedOut()) return;
  sending = true;
  window.clearTimeout(retryTimer);
  retryTimer = null;
  // Again after any pass that saved something: a change refused as not asked may be asked
  // once the answer that opens it (sent in the same pass) is saved.
  let savedSome = true;
  let leftToPages = false;
  while (savedSome) {
    savedSome = false;
    const pages = await claimedByPages();
    for (const { caseKey, key, entry } of allKept()) {
      if (pages.has(`${caseKey} ${key}`)) {
        leftToPages = true;
        continue;
      }
      const { outcome, data } = await send(autosaveUrl(caseKey), key, entry);
      if (outcome !== "answered") {
        sending = false;
        if (outcome !== "signed-out") retryLater();
        render();
        return;
      }
      retryMs = RETRY_FIRST_MS;
      if (data.state === "saved") {
        forget(caseKey, key, entry);
        notSent.delete(`${caseKey} ${key}`);
        sentFor.add(caseKey);
        savedSome = true;
      } else {
        notSent.set(`${caseKey} ${key}`, { state: data.state, message: HELD[data.state] || `Not sent: ${data.message}` });
      }
      render();
    }
  }
  sending = false;
  if (leftToPages) retryTimer = window.setTimeout(sendAll, LOOK_AGAIN_MS);
  render();
}

function retryLater() {
  if (retryTimer) return;
  retryTimer = window.setTimeout(sendAll, retryMs);
  retryMs = Math.min(retryMs * 2, RETRY_MAX_MS);
}

function discard(caseKey, key) {
  const entries = keptFor(caseKey);
  delete entries[key];
  notSent.delete(`${caseKey} ${key}`);
  keep(caseKey, entries);
}

// ---- what the page says ----------------------------------------------------------------------

function signedOutLine() {
  return [
    "Signed out: ",
    link("sign in again", signInUrl()),
    "; your changes are kept in this browser.",
  ];
}

function renderBanner(kept) {
  if (!banner) return;
  if (isSignedOut()) {
    banner.replaceChildren(element("p", "govuk-body app-kept-changes__text"));
    banner.firstChild.append(...signedOutLine());
    return;
  }
  if (!kept.length) {
    banner.replaceChildren();
    return;
  }
  const cases = new Map();
  for (const { caseKey } of kept) cases.set(caseKey, (cases.get(caseKey) || 0) + 1);
  const text = element("p", "govuk-body app-kept-changes__text");
  text.append(element("strong", "", `${plural(kept.length, "change")} kept in this browser, not yet sent`));
  text.append(": ");
  [...cases].forEach(([caseKey, count], index) => {
    if (index) text.append(", ");
    text.append(link(`case ${caseKey.split("/").slice(1).join("/")}`, caseUrl(caseKey)), ` (${count})`);
  });
  text.append(".");
  banner.replaceChildren(text);
}

function renderCase(kept) {
  if (!casePanel) return;
  const mine = kept.filter(({ caseKey }) => caseKey === casePanel.dataset.case);
  if (!mine.length) {
    casePanel.replaceChildren();
    if (sentFor.has(casePanel.dataset.case)) {
      const done = element("p", "govuk-body");
      done.append(
        "The changes kept in this browser have been sent. ",
        link("Reload the page", window.location.pathname),
        " to see them counted.",
      );
      casePanel.replaceChildren(done);
    }
    return;
  }
  const box = element("div", "govuk-warning-text app-kept-case");
  box.append(element("span", "govuk-warning-text__icon", "!"));
  box.firstChild.setAttribute("aria-hidden", "true");
  const text = element("div", "govuk-warning-text__text");
  text.append(element("span", "govuk-visually-hidden", "Warning"));
  text.append(
    `This browser holds ${plural(mine.length, "change")} to this case that the server does not have yet${
      isSignedOut() ? "" : ", sending"
    }:`,
  );
  box.append(text);
  const list = element("ul", "govuk-list govuk-list--bullet app-kept-case__list");
  for (const { caseKey, key, entry } of mine) {
    const item = element("li");
    item.append(entry.page ? link(entry.name || key, entry.page) : entry.name || key);
    const why = notSent.get(`${caseKey} ${key}`);
    if (why) {
      item.append(element("br"), element("span", "govuk-body-s", why.message));
      if (why.state === "not-asked" || why.state === "refused") {
        const drop = element("button", "govuk-link app-link-button govuk-body-s", "Remove it from this browser");
        drop.type = "button";
        drop.addEventListener("click", () => discard(caseKey, key));
        item.append(" ", drop);
      }
    }
    list.append(item);
  }
  casePanel.replaceChildren(box, list);
}

function render() {
  const kept = allKept();
  renderBanner(kept);
  renderCase(kept);
  renderSubmitWarnings(kept);
}

// ---- submitting a case while this browser holds changes to it ------------------------------

const warnedForms = new Set();

function unsentForCase(kept) {
  return kept.filter(({ caseKey }) => caseKey === casePanel?.dataset.case);
}

function renderSubmitWarnings(kept) {
  if (unsentForCase(kept).length) return;
  for (const form of warnedForms) form.querySelector(".app-kept-submit-warning")?.remove();
  warnedForms.clear();
}

function warnBeforeSubmit(form) {
  form.addEventListener("submit", (event) => {
    const unsent = unsentForCase(allKept());
    if (!unsent.length || event.submitter?.dataset.submitAnyway !== undefined) return;
    event.preventDefault();
    form.querySelector(".app-kept-submit-warning")?.remove();
    const warning = element("div", "govuk-error-summary app-kept-submit-warning");
    warning.setAttribute("role", "alert");
    warning.tabIndex = -1;
    warning.append(
      element("h2", "govuk-error-summary__title", `This browser still holds ${plural(unsent.length, "change")} to this case that the server does not have`),
    );
    const body = element("div", "govuk-error-summary__body");
    const text = element("p", "govuk-body");
    text.append(
      "They are named at the top of the page. Wait until they are sent, or submit the case without them: they are then sent to a submitted case, which the lead inspector may already be reading. ",
    );
    body.append(text);
    const anyway = element("button", "govuk-button govuk-button--warning", "Submit without them");
    anyway.type = "submit";
    anyway.dataset.submitAnyway = "";
    body.append(anyway);
    warning.append(body);
    const submit = event.submitter || form.querySelector("[type=submit]");
    (submit?.closest(".govuk-button-group") || submit || form.lastElementChild).before(warning);
    warnedForms.add(form);
    warning.focus();
  });
}

// ---- starting ---------------------------------------------------------------------------------

function start() {
  if (casePanel?.hasAttribute("data-warn-on-submit")) {
    for (const form of document.querySelectorAll("main form[method=post]")) warnBeforeSubmit(form);
  }
  onKeptChange(() => {
    render();
    sendAll();
  });
  onSessionChange(() => {
    render();
    sendAll();
  });
  window.addEventListener("online", sendAll);
  render();
  sendAll();
  startTimeoutWarning();
}

// Module scripts run in the order of the page, before DOMContentLoaded: by then a section
// page's script has claimed its own questions.
if (document.readyState === "loading") {
  document.addEventListener("DOMContentLoaded", start);
} else {
  start();
}
