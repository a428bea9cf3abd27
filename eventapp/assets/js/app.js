// Entry point loaded by every page as
//   <script type="module" src="/static/js/app.js" nonce="...">
// Copied unchanged to eventapp/static/js/app.js by `npm run build`.
import { initAll } from "./govuk-frontend.min.js";

initAll();

// The presenter view's list ([data-app-poll]) refreshes itself in place: every few seconds
// it asks for the list with the ETag it has, and replaces it only when the server says it
// changed (200, not 304), so nothing flickers. The HTML comes from our own escaped template.
const POLL_SECONDS = 5;

function poll(container) {
  let etag = container.dataset.appEtag || "";
  const url = container.dataset.appPoll;
  const refresh = async () => {
    try {
      const response = await fetch(url, {
        headers: etag ? { "If-None-Match": `"${etag}"` } : {},
        credentials: "same-origin",
        cache: "no-store",
      });
      if (response.status === 200) {
        container.innerHTML = await response.text();
        etag = (response.headers.get("ETag") || "").replaceAll('"', "");
      }
    } catch {
      // Offline for a moment: try again at the next tick.
    }
  };
  window.setInterval(refresh, POLL_SECONDS * 1000);
}

document.querySelectorAll("[data-app-poll]").forEach(poll);
