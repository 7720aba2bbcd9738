// A case section's autosave, offline queue and gates (templates/judgements/case_section.html).
//
// Without this script the page works: "Save and continue" posts the whole form and the server
// says which questions do not apply. With it:
// - a gated question shows only while the answer on this page that opens it does;
// - every answer and note is saved as it changes (the same form fields, posted one answer at a
//   time to the autosave URL), with its state beside it and a summary at the top;
// - until the server has it, each change is kept in this browser (localStorage), so a dropped
//   connection, a closed tab or a reload loses nothing: it is sent when the page can again;
// - a change someone else made first is never overwritten: both versions are shown and the
//   person chooses.
//
// What is kept in this browser, and how it is sent, is static/js/kept.js: every signed-in page
// sends what this browser still holds of other pages and cases (static/js/signed-in.js).

import { adoptUnowned, claim, keep, keptFor, sameEntry, send } from "./kept.js";
import { isSignedOut, onSessionChange, signInUrl } from "./session.js";

const RETRY_FIRST_MS = 3000;
const RETRY_MAX_MS = 60000;
// A note or a number is sent when typing pauses this long, and when its field is left: not on
// every keystroke, so its history holds what was written, not each half-typed word.
const TYPING_PAUSE_MS = 2000;

function SectionPage(form) {
  this.form = form;
  this.url = form.dataset.autosaveUrl;
  this.readOnly = form.hasAttribute("data-read-only");
  this.caseKey = form.dataset.case;
  this.status = document.getElementById("autosave-status");
  this.slots = new Map();
  for (const element of form.querySelectorAll("[data-slot]")) {
    this.slots.set(element.dataset.slot, {
      element,
      gate: element.dataset.gate || null,
      values: (element.dataset.gateValues || "").split(" ").filter(Boolean),
    });
  }
  this.queue = {};
  this.dropped = new Map(); // key -> the entry this page sent or withdrew, to remove from storage
  this.timers = {};
  this.inFlight = new Set();
  // One save at a time, in the order the answers were given: a gate's answer reaches the
  // server before the answers it opens (which would otherwise be refused as not asked).
  this.sendAgain = new Map(); // key → whether its send confirms clearing
  this.waiting = new Map(); // key -> "conflict" | "confirm" | "refused" | "needs-answer" | "not-asked"
  this.touched = new Map(); // key -> "a" | "n": whether the answer or the note changed last
  this.retryMs = RETRY_FIRST_MS;
  this.retryTimer = null;
  this.trouble = ""; // "" | "offline" | "server-error" | "signed-out": why saves wait
  this.serverHas = new Map(); // key -> the answer and note the server has, as this page last sent
}

SectionPage.prototype.start = function () {
  this.applyGates();
  if (this.readOnly) return;
  // This page sends its own questions' changes; the page's other scripts send the rest.
  claim(this.caseKey, this.slots.keys());
  adoptUnowned(this.caseKey, this.slots.keys());
  this.queue = Object.fromEntries(
    Object.entries(keptFor(this.caseKey)).filter(([key]) => this.slots.has(key)),
  );
  this.restore();
  this.form.addEventListener("change", (event) => this.changed(event.target, 0));
  this.form.addEventListener("input", (event) => {
    const target = event.target;
    if (target.tagName === "TEXTAREA" || target.type === "text") this.changed(target, TYPING_PAUSE_MS);
  });
  window.addEventListener("online", () => this.flush());
  onSessionChange(() => {
    if (!isSignedOut()) this.flush();
  });
  this.flush();
};

// ---- the form's fields, by slot key ---------------------------------------------------------

SectionPage.prototype.field = function (prefix, key) {
  return this.form.elements.namedItem(`${prefix}-${key}`);
};

SectionPage.prototype.valueOf = function (key) {
  const field = this.field("a", key);
  return field ? field.value : "";
};

SectionPage.prototype.setValue = function (key, value) {
  const field = this.field("a", key);
  if (!field) return;
  if (typeof RadioNodeList !== "undefined" && field instanceof RadioNodeList) {
    for (const radio of field) radio.checked = radio.value === value;
  } else {
    field.value = value;
  }
};

// The question as the page names it to everyone: its fieldset's legend, or its control's label.
SectionPage.prototype.nameOf = function (key) {
  const field = this.form.querySelector(`[name="a-${key}"]`);
  const named = field?.closest("fieldset")?.querySelector("legend") ||
    (field && this.form.querySelector(`label[for="${CSS.escape(field.id)}"]`));
  return (named?.textContent || key).replace(/\s+/g, " ").trim();
};

SectionPage.prototype.noteOf = function (key) {
  return this.field("n", key)?.value ?? "";
};

SectionPage.prototype.setNote = function (key, note) {
  const field = this.field("n", key);
  if (field) field.value = note;
};

SectionPage.prototype.versionOf = function (key) {
  return this.field("v", key)?.value ?? "0";
};

SectionPage.prototype.setVersion = function (key, version) {
  const field = this.field("v", key);
  if (field) field.value = String(version);
};

SectionPage.prototype.labelOf = function (key, value) {
  if (!value) return "No answer";
  const field = this.field("a", key);
  if (field && field.tagName === "SELECT") {
    const option = [...field.options].find((o) => o.value === value);
    return option ? option.text : value;
  }
  const radio = this.form.querySelector(`input[name="a-${key}"][value="${CSS.escape(value)}"]`);
  if (radio && radio.type === "radio") {
    return this.form.querySelector(`label[for="${radio.id}"]`)?.textContent.trim() || value;
  }
  return value;
};

// ---- gates -----------------------------------------------------------------------------------

SectionPage.prototype.isOpen = function (key, depth = 0) {
  const slot = this.slots.get(key);
  if (!slot || !slot.gate) return true;
  if (depth > 20) return false;
  return this.isOpen(slot.gate, depth + 1) && slot.values.includes(this.valueOf(slot.gate));
};

SectionPage.prototype.applyGates = function () {
  for (const [key, slot] of this.slots) {
    if (!slot.gate) continue;
    const open = this.isOpen(key);
    slot.element.hidden = !open;
    for (const other of this.form.querySelectorAll(`[data-not-asked-for="${key}"]`)) other.hidden = open;
    for (const note of this.form.querySelectorAll(`[data-note-for="${key}"]`)) note.hidden = !open;
  }
};

// ---- what is waiting to be saved, kept in this browser ---------------------------------------
//
// One copy per person and case, shared by every tab open on it: a page writes only its own
// questions' changes into it and removes only an entry it has itself sent or withdrawn, so a
// tab that saves never drops what another tab is keeping (which that tab may be closed before
// sending).

SectionPage.prototype.drop = function (key) {
  if (this.queue[key]) this.dropped.set(key, this.queue[key]);
  delete this.queue[key];
};

SectionPage.prototype.persist = function () {
  const kept = keptFor(this.caseKey);
  for (const key of this.slots.keys()) {
    if (this.queue[key]) {
      kept[key] = this.queue[key];
    } else if (this.dropped.has(key) && sameEntry(kept[key], this.dropped.get(key))) {
      delete kept[key];
    }
  }
  this.dropped.clear();
  keep(this.caseKey, kept);
};

SectionPage.prototype.restore = function () {
  for (const [key, entry] of Object.entries(this.queue)) {
    if (entry.value === this.valueOf(key) && entry.note === this.noteOf(key)) {
      this.drop(key); // the server has it already
      continue;
    }
    this.setValue(key, entry.value);
    this.setNote(key, entry.note);
    this.show(key, "Restored from this browser: saving…");
  }
  this.persist();
  this.applyGates();
};

SectionPage.prototype.changed = function (target, delay) {
  const match = /^([an])-(\d+-\d+)$/.exec(target.name || "");
  if (!match) return;
  const key = match[2];
  this.touched.set(key, match[1]);
  this.applyGates();
  const entry = {
    value: this.valueOf(key),
    note: this.noteOf(key),
    version: this.versionOf(key),
    name: this.nameOf(key),
    page: `${window.location.pathname}#slot-${key}`,
  };
  if (this.waiting.has(key) && sameEntry(this.queue[key], entry)) {
    // Nothing new (a note's "change" as the focus leaves it for a button of this question's
    // box): the box stays, so the click on its button is not lost with it.
    return;
  }
  if (!this.queue[key] && sameEntry(this.serverHas.get(key), entry)) {
    // Nothing new to the server (a note's "change" as the field is left, after the pause in
    // typing sent it).
    window.clearTimeout(this.timers[key]);
    delete this.timers[key];
    return;
  }
  this.queue[key] = entry;
  this.persist();
  // Sent again whatever it waited for: after a conflict it still carries the version the page
  // was built from, so the server refuses it again (and the choice is offered again, with this
  // change as "Your answer") unless it now matches what is saved.
  this.waiting.delete(key);
  this.clearBox(key);
  this.show(key, delay ? "Not saved yet" : "Saving…");
  window.clearTimeout(this.timers[key]);
  this.timers[key] = window.setTimeout(() => {
    delete this.timers[key];
    this.send(key);
  }, delay);
  this.summarise();
};

// ---- sending ----------------------------------------------------------------------------------

SectionPage.prototype.flush = function () {
  window.clearTimeout(this.retryTimer);
  this.retryTimer = null;
  if (isSignedOut()) {
    this.summarise();
    return;
  }
  for (const key of Object.keys(this.queue)) {
    if (this.slots.has(key) && !this.waiting.has(key)) this.send(key);
  }
  this.summarise();
};

SectionPage.prototype.send = async function (key, confirmClear = false) {
  const entry = this.queue[key];
  if (!entry || (this.waiting.has(key) && !confirmClear)) {
    this.sendNext();
    return;
  }
  if (!this.isOpen(key)) {
    this.drop(key); // the question no longer applies: its gate's answer clears it
    this.persist();
    this.sendNext();
    return;
  }
  if (this.inFlight.size) {
    this.sendAgain.set(key, confirmClear || this.sendAgain.get(key) || false);
    return;
  }
  this.inFlight.add(key);
  const { outcome, data } = await send(this.url, key, entry, confirmClear);
  this.inFlight.delete(key);
  this.received(key, entry, outcome, data);
  this.sendNext();
  this.summarise();
};

// The next save waiting, the earliest given first (the queue keeps the order answers were given).
SectionPage.prototype.sendNext = function () {
  if (this.inFlight.size || !this.sendAgain.size) return;
  const next = Object.keys(this.queue).find((key) => this.sendAgain.has(key)) ||
    this.sendAgain.keys().next().value;
  const confirmClear = this.sendAgain.get(next);
  this.sendAgain.delete(next);
  this.send(next, confirmClear);
};

const NOT_SENT = {
  offline: "Not saved: retrying. Kept in this browser.",
  "server-error": "Not saved: the server had a problem. Kept in this browser and will be sent again.",
  "signed-out": "Not saved: signed out. Kept in this browser until you sign in again.",
};

SectionPage.prototype.received = function (key, entry, outcome, data) {
  if (outcome !== "answered") {
    this.trouble = outcome;
    this.show(key, NOT_SENT[outcome], "error");
    // Signed out, it waits for the person to sign in again (session.js), not for a timer.
    if (outcome !== "signed-out") this.retryLater();
    return;
  }
  this.trouble = "";
  this.retryMs = RETRY_FIRST_MS;
  if (data.state !== "saved" && this.queue[key] !== entry) {
    // The person changed this answer while it was on its way (chose the answer to a note sent
    // alone, say): the refusal is of a change they no longer ask for, and their newer one is
    // sent next (or was withdrawn) and answered for itself.
    return;
  }
  if (data.state === "saved") {
    this.saved(key, entry, data);
  } else if (data.state === "conflict") {
    this.waiting.set(key, "conflict");
    this.conflictBox(key, entry, data.theirs);
    this.show(
      key,
      data.theirs?.mine
        ? "Not saved: you changed this answer in another tab or window."
        : "Not saved: someone else changed this answer.",
      "error",
    );
  } else if (data.state === "confirm-clear") {
    this.waiting.set(key, "confirm");
    this.confirmBox(key, data.would_clear);
    this.show(key, "Not saved yet: confirm below.", "error");
  } else if (data.state === "not-asked") {
    // Its gate was shut elsewhere (another tab, the lead, a descriptor): sending it again
    // cannot help, so it waits, still in this browser and in the page, with the reason.
    this.waiting.set(key, "not-asked");
    this.show(key, data.message, "error");
  } else if (data.state === "needs-answer") {
    this.waiting.set(key, "needs-answer");
    this.show(key, "Choose an answer to save this note. Kept in this browser until you do.", "error");
  } else {
    this.waiting.set(key, "refused");
    this.show(key, `Not saved: ${data.message}`, "error");
  }
};

SectionPage.prototype.saved = function (key, entry, data) {
  this.setVersion(key, data.version);
  this.serverHas.set(key, { value: entry.value, note: entry.note, version: String(data.version) });
  const slot = this.slots.get(key);
  if (slot) slot.element.dataset.savedValue = data.value;
  if (this.queue[key] === entry) {
    this.drop(key);
  } else if (this.queue[key]) {
    // Typed on meanwhile: that is sent too, once the typing pauses (its timer) or now.
    this.queue[key].version = String(data.version);
    if (!this.timers[key]) this.sendAgain.set(key, false);
  }
  for (const cleared of data.cleared_keys || []) {
    if (cleared === key) continue;
    this.setValue(cleared, "");
    this.setNote(cleared, "");
    this.setVersion(cleared, 0);
    this.drop(cleared);
    this.slots.get(cleared)?.element.querySelector(".app-answered-by")?.remove();
    this.show(cleared, "Cleared: no longer asked.");
  }
  this.persist();
  this.applyGates();
  this.show(key, "Saved");
  this.counted(data);
};

// The page's counts as the server now has them: the case's, this page's, and this page's in
// the list of sections.
SectionPage.prototype.counted = function (data) {
  const caseCount = document.getElementById("case-answered");
  if (caseCount) caseCount.textContent = `${data.answered} of ${data.asked}`;
  if (!data.section) return;
  const { answered, asked } = data.section;
  const pageCount = document.getElementById("section-answered");
  if (pageCount) pageCount.textContent = `${answered} of ${asked}`;
  const listed = document.querySelector(".app-contents-list__item--current .app-contents-list__state");
  if (listed) {
    const done = asked > 0 && answered === asked;
    listed.textContent = `${answered} of ${asked}${done ? " · done" : ""}`;
    listed.className = `app-contents-list__state app-contents-list__state--${
      done ? "completed" : answered ? "in_progress" : "not_started"
    }`;
  }
};

SectionPage.prototype.retryLater = function () {
  if (this.retryTimer) return;
  this.retryTimer = window.setTimeout(() => this.flush(), this.retryMs);
  this.retryMs = Math.min(this.retryMs * 2, RETRY_MAX_MS);
};

// ---- what the person sees --------------------------------------------------------------------

SectionPage.prototype.show = function (key, text, kind = "") {
  const slot = this.slots.get(key);
  const status = slot?.element.querySelector("[data-slot-status]");
  if (!status) return;
  status.textContent = text;
  status.classList.toggle("app-slot-status--error", kind === "error");
};

SectionPage.prototype.summarise = function () {
  if (!this.status) return;
  const unsaved = Object.keys(this.queue).filter((key) => this.slots.has(key)).length;
  const changes = `${unsaved} change${unsaved === 1 ? "" : "s"}`;
  const signedOut = isSignedOut();
  this.status.hidden = false;
  this.status.classList.toggle("app-autosave-status--error", signedOut || (unsaved > 0 && Boolean(this.trouble)));
  if (signedOut) {
    const link = document.createElement("a");
    link.className = "govuk-link";
    link.href = signInUrl();
    link.textContent = "sign in again";
    this.status.replaceChildren("Signed out: ", link, "; your changes are kept in this browser.");
  } else if (!unsaved) {
    this.status.textContent = "All changes saved.";
  } else if (this.trouble === "offline") {
    this.status.textContent = `${changes} not saved: retrying. They are kept in this browser until they are.`;
  } else if (this.trouble === "server-error") {
    this.status.textContent = `${changes} not saved: the server had a problem. They are kept in this browser and will be sent again.`;
  } else if ([...this.waiting.keys()].some((key) => this.queue[key])) {
    this.status.textContent = `${changes} not saved: see the message beside each.`;
  } else {
    this.status.textContent = "Saving…";
  }
};

SectionPage.prototype.clearBox = function (key) {
  for (const box of this.form.querySelectorAll(`[data-box-for="${key}"]`)) box.remove();
};

// One level below the heading before a node, as a heading there must be (axe's heading-order).
function headingLevelAt(node) {
  let level = 1;
  for (const heading of document.querySelectorAll("h1, h2, h3, h4, h5, h6")) {
    if (!(heading.compareDocumentPosition(node) & Node.DOCUMENT_POSITION_FOLLOWING)) break;
    level = Number(heading.tagName[1]);
  }
  return Math.min(level + 1, 6);
}

// Where a question's box goes: beside what the person changed. A note's box goes with the note
// (on a grid, the notes are below it); an answer's beside its control: on a question page
// below its fieldset, on a grid in a row of its own under the item's row.
SectionPage.prototype.placeBox = function (key, box) {
  const slot = this.slots.get(key)?.element;
  const noteHost = this.form.querySelector(`[data-note-for="${key}"]`);
  if (noteHost && this.touched.get(key) === "n") {
    const details = noteHost.closest("details");
    if (details) details.open = true;
    box.dataset.boxFor = key;
    noteHost.prepend(box);
    return;
  }
  const row = slot?.closest("tr");
  if (row) {
    const boxRow = document.createElement("tr");
    boxRow.className = "govuk-table__row app-grid-box-row";
    boxRow.dataset.boxFor = key;
    const cell = document.createElement("td");
    cell.className = "govuk-table__cell app-grid-box-cell";
    cell.colSpan = row.cells.length;
    cell.append(box);
    boxRow.append(cell);
    row.after(boxRow);
    return;
  }
  box.dataset.boxFor = key;
  const fieldset = slot?.querySelector("fieldset");
  if (fieldset) fieldset.after(box);
  else slot?.prepend(box);
};

SectionPage.prototype.box = function (key, heading) {
  this.clearBox(key);
  const box = document.createElement("div");
  box.className = "app-conflict";
  box.setAttribute("role", "alert");
  this.placeBox(key, box);
  const title = document.createElement(`h${headingLevelAt(box)}`);
  title.className = "govuk-heading-s";
  title.textContent = heading;
  box.append(title);
  return box;
};

SectionPage.prototype.button = function (box, text, secondary, onClick) {
  const button = document.createElement("button");
  button.type = "button";
  button.className = `govuk-button govuk-!-margin-bottom-2 govuk-!-margin-right-2${secondary ? " govuk-button--secondary" : ""}`;
  button.textContent = text;
  button.addEventListener("click", onClick);
  box.append(button);
  return button;
};

function describe(label, note) {
  const dd = document.createElement("dd");
  dd.className = "govuk-summary-list__value";
  const strong = document.createElement("strong");
  strong.textContent = label;
  dd.append(strong);
  if (note) {
    const text = document.createElement("span");
    text.className = "app-answer-note";
    text.textContent = note;
    dd.append(document.createElement("br"), text);
  }
  return dd;
}

function row(term, dd) {
  const div = document.createElement("div");
  div.className = "govuk-summary-list__row";
  const dt = document.createElement("dt");
  dt.className = "govuk-summary-list__key";
  dt.textContent = term;
  div.append(dt, dd);
  return div;
}

// Whose the saved version is, as the page without JavaScript says it (conflict.html), with
// the date as the server writes it.
function savedBy(theirs) {
  if (!theirs) return "Saved";
  if (theirs.mine) return `Saved by you in another tab or window, ${theirs.when}`;
  return `Saved by ${theirs.by}, ${theirs.when}`;
}

SectionPage.prototype.conflictBox = function (key, mine, theirs) {
  const box = this.box(
    key,
    theirs?.mine
      ? "You changed this answer in another tab or window since you opened this page"
      : "Someone else changed this answer since you opened the page",
  );
  const list = document.createElement("dl");
  list.className = "govuk-summary-list govuk-summary-list--no-border";
  list.append(row("Your answer", describe(this.labelOf(key, mine.value), mine.note)));
  list.append(
    row(
      savedBy(theirs),
      theirs ? describe(theirs.label, theirs.note) : describe("Cleared (no answer)", ""),
    ),
  );
  box.append(list);
  this.button(box, "Keep my answer", false, () => {
    this.clearBox(key);
    this.waiting.delete(key);
    if (this.queue[key]) this.queue[key].version = String(theirs ? theirs.version : 0);
    this.persist();
    this.send(key);
  });
  this.button(box, "Keep the saved answer", true, () => {
    this.clearBox(key);
    this.waiting.delete(key);
    this.setValue(key, theirs ? theirs.value : "");
    this.setNote(key, theirs ? theirs.note : "");
    this.setVersion(key, theirs ? theirs.version : 0);
    this.drop(key);
    this.persist();
    this.applyGates();
    this.show(key, "Kept the saved answer");
    this.summarise();
  });
};

SectionPage.prototype.confirmBox = function (key, labels) {
  const box = this.box(
    key,
    `This answer means ${labels.length} other answer${labels.length === 1 ? "" : "s"} no longer appl${labels.length === 1 ? "ies" : "y"} and will be cleared: ${labels.join("; ")}.`,
  );
  this.button(box, "Change it and clear them", false, () => {
    this.clearBox(key);
    this.waiting.delete(key);
    this.send(key, true);
  });
  this.button(box, "Undo my change", true, () => {
    this.clearBox(key);
    this.waiting.delete(key);
    const slot = this.slots.get(key);
    this.setValue(key, slot ? slot.element.dataset.savedValue || "" : "");
    this.drop(key);
    // The note may still hold new words: they are saved with the answer as it was.
    const note = this.field("n", key);
    if (note) this.changed(note, 0);
    this.applyGates();
    this.show(key, "Change undone");
    this.summarise();
  });
};

// Started last: the methods above are in place by now.
const form = document.getElementById("section-form");
if (form) {
  const page = new SectionPage(form);
  page.start();
}
