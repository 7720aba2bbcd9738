// Who this page was built for, and whether the server still knows them: shared by the
// scripts of every signed-in page (templates/base.html's #kept-changes holds what they need).
//
// When a save finds the session ended, the page is "signed out": every save stops and waits
// (nothing kept in this browser is dropped), the page says so with a link to sign in, and this
// module asks the server now and then, and whenever the person comes back to the tab, whether
// they have signed in again (in another tab, say). Signing in gives a new CSRF token: it is
// put in the page's forms and the saves, which then go on.

const CHECK_EVERY_MS = 15000;

const config = document.getElementById("kept-changes")?.dataset || {};

export const user = config.user || "";
export const signedInAs = config.signedInAs || "";
let csrfToken = config.csrfToken || "";
let signedOut = false;
let checkTimer = null;
const listeners = new Set();

export function csrf() {
  return csrfToken;
}

export function isSignedOut() {
  return signedOut;
}

// Called with no arguments whenever the page is signed out or signed in again.
export function onSessionChange(listener) {
  listeners.add(listener);
}

export function signInUrl() {
  const next = encodeURIComponent(`${window.location.pathname}${window.location.search}`);
  return `${config.signInUrl || "/accounts/login/"}?next=${next}`;
}

export function markSignedOut() {
  if (signedOut) return;
  signedOut = true;
  for (const listener of listeners) listener();
  checkTimer = window.setInterval(() => check(), CHECK_EVERY_MS);
}

function markSignedIn(token) {
  if (token && token !== csrfToken) {
    csrfToken = token;
    for (const input of document.querySelectorAll("input[name=csrfmiddlewaretoken]")) {
      input.value = token;
    }
  }
  if (!signedOut) return;
  signedOut = false;
  window.clearInterval(checkTimer);
  for (const listener of listeners) listener();
}

// What the server says of this session: {state, seconds_left, warning_seconds, ...}, or
// null when it cannot be reached. `stay` pushes the session's end back a working day.
async function ask(stay, again = false) {
  let response;
  try {
    const body = new FormData();
    body.append("csrfmiddlewaretoken", csrfToken);
    response = await fetch(config.sessionUrl, {
      method: stay ? "POST" : "GET",
      body: stay ? body : undefined,
      credentials: "same-origin",
      headers: { Accept: "application/json" },
    });
    if (!(response.headers.get("Content-Type") || "").includes("application/json")) {
      // Refused for its CSRF token (signed in again in another tab): ask for one that holds.
      if (response.status === 403 && stay && !again) {
        const now = await ask(false);
        return now?.state === "signed-in" ? ask(true, true) : now;
      }
      return null;
    }
    const data = await response.json();
    // Signed in again as someone else: for this page's person, that is signed out.
    if (response.status === 401 || data.user !== user) {
      markSignedOut();
      return { state: "signed-out" };
    }
    markSignedIn(data.csrf_token);
    return data;
  } catch {
    return null;
  }
}

export function check() {
  return ask(false);
}

export function staySignedIn() {
  return ask(true);
}

for (const event of ["focus", "online"]) {
  window.addEventListener(event, () => {
    if (signedOut) check();
  });
}
document.addEventListener("visibilitychange", () => {
  if (signedOut && document.visibilityState === "visible") check();
});

// Every signed-in page says so to the browser's other tabs, so a tab left signed out goes on
// as soon as its person has signed in again elsewhere, not at its next look.
const SIGNED_IN = "qi-signed-in";
window.addEventListener("storage", (event) => {
  if (signedOut && event.key === SIGNED_IN) check();
});
if (user) {
  try {
    window.localStorage.setItem(SIGNED_IN, `${user} ${Date.now()}`);
  } catch {
    // Storage refused: the other tabs find out at their next look.
  }
}
