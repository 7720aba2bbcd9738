// GOV.UK's timeout warning (templates/base.html's #timeout-warning): a modal dialog, shown a
// few minutes before the session ends, offering to stay signed in. The session's end is the
// server's: before showing the dialog, and again when the countdown runs out, the page asks
// how long is left, since work in another tab (or this tab's own autosave) pushes it back.

import { check, markSignedOut, signInUrl, staySignedIn } from "./session.js";

const config = document.getElementById("kept-changes")?.dataset || {};
const dialog = document.getElementById("timeout-warning");

let endsAt = 0;
let warningMs = 0;
let timer = null;
let ticker = null;

function words(ms) {
  const seconds = Math.max(0, Math.ceil(ms / 1000));
  if (seconds >= 60) {
    const minutes = Math.ceil(seconds / 60);
    return `${minutes} minute${minutes === 1 ? "" : "s"}`;
  }
  return `${seconds} second${seconds === 1 ? "" : "s"}`;
}

// The countdown changes every second on screen; a screen reader hears it each minute, then
// every 15 seconds in the last minute.
function tick() {
  const left = endsAt - Date.now();
  dialog.querySelector("[data-timeout-countdown]").textContent = words(left);
  const spoken = dialog.querySelector("[data-timeout-spoken]");
  const said = left >= 60000 ? words(left) : words(Math.ceil(left / 15000) * 15000);
  if (spoken.textContent !== said) spoken.textContent = said;
  if (left <= 0) ended();
}

function schedule(secondsLeft) {
  endsAt = Date.now() + secondsLeft * 1000;
  window.clearTimeout(timer);
  timer = window.setTimeout(look, Math.max(0, endsAt - warningMs - Date.now()));
}

function close() {
  window.clearInterval(ticker);
  ticker = null;
  if (dialog.open) dialog.close();
}

async function look() {
  const now = await check();
  if (!now) {
    timer = window.setTimeout(look, 30000); // the server cannot be reached: ask again
    return;
  }
  if (now.state !== "signed-in") {
    showEnded();
    return;
  }
  if (now.seconds_left * 1000 > warningMs + 5000) {
    close();
    schedule(now.seconds_left);
    return;
  }
  endsAt = Date.now() + now.seconds_left * 1000;
  if (!dialog.open) {
    dialog.querySelector("[data-timeout-warning]").hidden = false;
    dialog.querySelector("[data-timeout-ended]").hidden = true;
    dialog.setAttribute("aria-labelledby", "timeout-warning-title");
    dialog.setAttribute("aria-describedby", "timeout-warning-text");
    dialog.showModal();
  }
  tick();
  ticker ??= window.setInterval(tick, 1000);
}

async function ended() {
  window.clearInterval(ticker);
  ticker = null;
  const now = await check();
  if (now?.state === "signed-in" && now.seconds_left > 0) {
    if (now.seconds_left * 1000 > warningMs + 5000) {
      close(); // pushed back meanwhile, by work in another tab
      schedule(now.seconds_left);
    } else {
      endsAt = Date.now() + now.seconds_left * 1000; // the server's clock is the one that counts
      ticker = window.setInterval(tick, 1000);
    }
    return;
  }
  showEnded();
}

function showEnded() {
  window.clearInterval(ticker);
  ticker = null;
  markSignedOut();
  dialog.querySelector("[data-timeout-warning]").hidden = true;
  dialog.querySelector("[data-timeout-ended]").hidden = false;
  dialog.setAttribute("aria-labelledby", "timeout-ended-title");
  dialog.setAttribute("aria-describedby", "timeout-ended-text");
  dialog.querySelector("[data-sign-in-again]").href = signInUrl();
  if (!dialog.open) dialog.showModal();
}

async function stay() {
  const now = await staySignedIn();
  if (now?.state === "signed-in") {
    close();
    schedule(now.seconds_left);
  } else if (now) {
    showEnded();
  }
}

export function startTimeoutWarning() {
  if (!dialog || typeof dialog.showModal !== "function") return;
  warningMs = Number(config.warningSeconds || 0) * 1000;
  dialog.querySelector("[data-timeout-stay]").addEventListener("click", stay);
  dialog.querySelector("[data-timeout-sign-out]").addEventListener("click", () => {
    document.querySelector("form.app-sign-out")?.requestSubmit();
  });
  dialog.querySelector("[data-timeout-close]").addEventListener("click", close);
  // Escape keeps the person signed in, as closing the warning means they are still there;
  // once signed out, it only closes the dialog.
  dialog.addEventListener("cancel", (event) => {
    if (dialog.querySelector("[data-timeout-warning]").hidden) return;
    event.preventDefault();
    stay();
  });
  schedule(Number(config.sessionSeconds || 0));
}
