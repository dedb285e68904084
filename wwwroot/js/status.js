// The submission status page: a button that copies the private link (shown only where the clipboard can be written).
(() => {
  "use strict";
  const button = document.querySelector("[data-copy-link]");
  const link = document.querySelector(".status-link");
  const result = document.querySelector("[data-copy-result]");
  if (!button || !link || !navigator.clipboard) return;
  button.hidden = false;
  button.addEventListener("click", async () => {
    try {
      await navigator.clipboard.writeText(link.href);
      result.textContent = "Copied.";
    } catch {
      result.textContent = "Could not copy; select the link and copy it.";
    }
  });
})();
