// The review page's keys: j or n opens the next pending submission, k the previous one, a approves (the form as
// edited), r rejects (with the note as typed). Keys typed into a field, or with a modifier, are the field's own.
(() => {
  "use strict";
  const hint = document.querySelector(".shortcut-hint");
  if (!hint) return;
  hint.hidden = false;
  const link = (key) => document.querySelector(`.review-steps a[data-key~="${key}"]`);
  const button = (handler) => document.querySelector(`button[formaction*="handler=${handler}"]`);
  const typing = (el) => el instanceof HTMLElement && (el.isContentEditable || el.closest("input, textarea, select, [contenteditable]") !== null);
  document.addEventListener("keydown", (event) => {
    if (event.defaultPrevented || event.repeat || event.altKey || event.ctrlKey || event.metaKey || event.shiftKey) return;
    if (typing(event.target) || typing(document.activeElement)) return;
    const target = event.key === "a" ? button("Approve")
      : event.key === "r" ? button("Reject")
      : event.key === "j" || event.key === "n" ? link(event.key)
      : event.key === "k" ? link("k")
      : null;
    if (!target) return;
    event.preventDefault();
    target.click();
  });
})();
