// The moderation queue: with JavaScript, one box ticks or clears every submission on the page (a page of spam is
// one click). Without it, each submission's own box works the same.
(() => {
  "use strict";
  const form = document.querySelector("form.queue-form");
  if (!form) return;
  const boxes = Array.from(form.querySelectorAll(".queue-item input[name=Selected]"));
  const label = document.createElement("label");
  label.className = "check tick-all";
  const all = document.createElement("input");
  all.type = "checkbox";
  label.append(all, " Tick every submission on this page");
  form.querySelector(".queue").before(label);
  all.addEventListener("change", () => boxes.forEach((box) => { box.checked = all.checked; }));
  form.addEventListener("change", (event) => {
    if (event.target === all) return;
    const ticked = boxes.filter((box) => box.checked).length;
    all.checked = ticked === boxes.length;
    all.indeterminate = ticked > 0 && ticked < boxes.length;
  });
})();
