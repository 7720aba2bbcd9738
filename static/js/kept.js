// What this browser keeps of a person's changes to answers until the server has them, and the
// one way they are sent: shared by a section page's autosave (static/js/scoring.js) and every
// signed-in page (static/js/signed-in.js), which sends whatever the section pages could not.
//
// localStorage, an item per person and case, `qi-unsaved:<username>:<inspection>/<case ref>`
// holding {"<slot key>": {value, note, version, name, page}, …} in the order the changes were
// made (a key is "<question id>-<item id>", never a bare number, so the order is kept). `name`
// is the question as its page names it and `page` the section page's address, so any page can
// say which question waits. Tied to the person: on a shared computer the next person to sign in
// neither sees nor sends it.

import { check, csrf, isSignedOut, markSignedOut, signedInAs, user } from "./session.js";

const PREFIX = "qi-unsaved:";
const config = document.getElementById("kept-changes")?.dataset || {};

function storeKey(caseKey) {
  return `${PREFIX}${user}:${caseKey}`;
}

// This person's kept changes to one case ("<inspection>/<case ref>"), by slot key.
export function keptFor(caseKey) {
  try {
    return JSON.parse(window.localStorage.getItem(storeKey(caseKey)) || "{}");
  } catch {
    return {};
  }
}

export function keep(caseKey, entries) {
  try {
    if (Object.keys(entries).length) {
      window.localStorage.setItem(storeKey(caseKey), JSON.stringify(entries));
    } else {
      window.localStorage.removeItem(storeKey(caseKey));
    }
  } catch {
    // Storage full or refused (a private window): the server copy is the only one.
  }
  notify();
}

// Every change this person's browser keeps: [{caseKey, key, entry}], case by case.
export function allKept() {
  const mine = storeKey("");
  const found = [];
  let names = [];
  try {
    names = Object.keys(window.localStorage).filter((name) => name.startsWith(mine));
  } catch {
    return found;
  }
  for (const name of names.sort()) {
    const caseKey = name.slice(mine.length);
    for (const [key, entry] of Object.entries(keptFor(caseKey))) found.push({ caseKey, key, entry });
  }
  return found;
}

// Changes kept before they were kept per person (`qi-unsaved:<inspection>/<case ref>`), which
// the section page sent as whoever opened it: taken over, as then, by the person who opens
// the page asking them, so they are sent rather than left unseen.
export function adoptUnowned(caseKey, keys) {
  const unowned = `${PREFIX}${caseKey}`;
  let left;
  try {
    left = JSON.parse(window.localStorage.getItem(unowned) || "null");
  } catch {
    return;
  }
  if (!left) return;
  const mine = keptFor(caseKey);
  for (const key of keys) {
    if (left[key] && !mine[key]) mine[key] = left[key];
    delete left[key];
  }
  keep(caseKey, mine);
  try {
    if (Object.keys(left).length) window.localStorage.setItem(unowned, JSON.stringify(left));
    else window.localStorage.removeItem(unowned);
  } catch {
    // Storage refused: they are taken over again next time, and are the same.
  }
}

export function sameEntry(a, b) {
  return Boolean(a && b) && a.value === b.value && a.note === b.note && String(a.version) === String(b.version);
}

// Remove a change once the server has it, unless it was changed again meanwhile (in another tab).
export function forget(caseKey, key, entry) {
  const entries = keptFor(caseKey);
  if (!sameEntry(entries[key], entry)) return;
  delete entries[key];
  keep(caseKey, entries);
}

// ---- changes made here or in another tab -------------------------------------------------------

const listeners = new Set();

export function onKeptChange(listener) {
  listeners.add(listener);
}

function notify() {
  for (const listener of listeners) listener();
}

window.addEventListener("storage", (event) => {
  if (event.key === null || event.key.startsWith(PREFIX)) notify();
});

// ---- which changes a section page sends itself ---------------------------------------------
//
// A section page open in any tab sends its own questions' changes, after a pause in typing;
// another page must not send them under it (half a note, and then a conflict with the rest).
// In this tab a set says which; across tabs, a shared Web Lock held while the page is open,
// named for them, which the browser releases as the page closes.

const CLAIM = "qi-claim:";
const claimed = new Set();

export function claim(caseKey, keys) {
  const mine = [...keys];
  for (const key of mine) claimed.add(`${caseKey} ${key}`);
  navigator.locks?.request(
    `${CLAIM}${JSON.stringify([user, caseKey, mine])}`,
    { mode: "shared" },
    () => new Promise(() => undefined),
  );
}

// The changes a section page open in this tab or another sends itself: a set of "<case> <key>".
export async function claimedByPages() {
  const found = new Set(claimed);
  let held = [];
  try {
    held = (await navigator.locks?.query())?.held || [];
  } catch {
    return found;
  }
  for (const { name } of held) {
    if (!name?.startsWith(CLAIM)) continue;
    const [person, caseKey, keys] = JSON.parse(name.slice(CLAIM.length));
    if (person === user) for (const key of keys) found.add(`${caseKey} ${key}`);
  }
  return found;
}

// ---- addresses ------------------------------------------------------------------------------

function caseAddress(template, caseKey) {
  const [slug, ...ref] = caseKey.split("/");
  return (template || "")
    .replace("/inspection-slug/", `/${encodeURIComponent(slug)}/`)
    .replace("/case-ref/", `/${encodeURIComponent(ref.join("/"))}/`);
}

export function caseUrl(caseKey) {
  return caseAddress(config.caseUrl, caseKey);
}

export function autosaveUrl(caseKey) {
  return caseAddress(config.autosaveUrl, caseKey);
}

// ---- sending ---------------------------------------------------------------------------------
//
// One save at a time for the whole tab, in the order asked: a gate's answer reaches the server
// before the answers it opens, whichever part of the page sends them.

let lane = Promise.resolve();

// Resolves to {outcome, data}. outcome: "answered" (data.state says saved, or why not),
// "offline" (no answer came), "server-error" (a 5xx, or a page where JSON was asked for),
// "signed-out" (the page waits until its person signs in again).
export function send(url, key, entry, confirmClear = false) {
  const sent = lane.then(() => sendNow(url, key, entry, confirmClear));
  lane = sent.catch(() => undefined);
  return sent;
}

async function sendNow(url, key, entry, confirmClear, again = false) {
  if (isSignedOut()) return { outcome: "signed-out" };
  const body = new FormData();
  body.append("csrfmiddlewaretoken", csrf());
  body.append("signed_in_as", signedInAs);
  body.append("key", key);
  body.append(`a-${key}`, entry.value);
  body.append(`n-${key}`, entry.note);
  body.append(`v-${key}`, entry.version);
  if (confirmClear) body.append("confirm_clear", "1");
  let response;
  let data = null;
  try {
    response = await fetch(url, {
      method: "POST",
      body,
      credentials: "same-origin",
      redirect: "manual",
      headers: { Accept: "application/json" },
    });
    if ((response.headers.get("Content-Type") || "").includes("application/json")) {
      data = await response.json();
    }
  } catch {
    return { outcome: response ? "server-error" : "offline" };
  }
  if (response.status === 401) {
    markSignedOut();
    return { outcome: "signed-out", data };
  }
  if (response.status === 403 && !data && !again) {
    // Refused for its CSRF token: the person signed in again in another tab. Ask for theirs.
    const now = await check();
    if (now?.state === "signed-in") return sendNow(url, key, entry, confirmClear, true);
    return { outcome: now ? "signed-out" : "offline" };
  }
  if (response.status === 404 && !data) {
    const message = "the case is not there any more, or no longer open to you.";
    return { outcome: "answered", data: { state: "refused", message } };
  }
  if (response.status >= 500 || !data) return { outcome: "server-error", data };
  return { outcome: "answered", data };
}
