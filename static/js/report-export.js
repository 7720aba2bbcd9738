// Follows a PDF export while its job is queued or rendering: every few seconds it asks for the
// page again and swaps in the latest export's card (with the Export PDF button, back once the job
// has ended), so the status changes in place and the live region says so. Without JavaScript,
// the card's "Check progress" link does the same by hand.
const card = document.getElementById("latest-export");
const announcement = document.getElementById("export-announcement");

async function check() {
  const response = await fetch(window.location.href, { credentials: "same-origin" });
  if (!response.ok) return true;
  const page = new DOMParser().parseFromString(await response.text(), "text/html");
  const fresh = page.getElementById("latest-export");
  if (!fresh) return true;
  card.innerHTML = fresh.innerHTML;
  const status = card.querySelector("#export-status strong");
  if (status && announcement) announcement.textContent = `PDF export: ${status.textContent.trim()}`;
  return Boolean(fresh.dataset.refreshSeconds);
}

if (card && card.dataset.refreshSeconds) {
  const seconds = Number(card.dataset.refreshSeconds) * 1000;
  const follow = async () => {
    if (await check()) window.setTimeout(follow, seconds);
  };
  window.setTimeout(follow, seconds);
}
