// The submission form: a duplicate check while the title and link are typed (the live intro preview is preview.js).
(() => {
  "use strict";
  const form = document.querySelector("form[data-submit-form]");
  if (!form) return;
  const duplicates = document.getElementById("duplicates");
  let duplicateTimer = 0, duplicateRequest = null;

  const text = (tag, value) => { const el = document.createElement(tag); el.textContent = value; return el; };
  const refreshDuplicates = async () => {
    const title = form.querySelector("[data-duplicates=title]").value.trim();
    const link = form.querySelector("[data-duplicates=link]").value.trim();
    if (duplicateRequest) duplicateRequest.abort();
    if (title.length < 8 && link.length < 10) { duplicates.replaceChildren(); return; }
    duplicateRequest = new AbortController();
    try {
      const params = new URLSearchParams({ title, link });
      const response = await fetch("/api/submissions/duplicates?" + params, { signal: duplicateRequest.signal });
      if (!response.ok) return;
      const found = await response.json();
      if (found.length === 0) { duplicates.replaceChildren(); return; }
      const list = document.createElement("ul");
      for (const d of found) {
        const item = document.createElement("li");
        item.append(d.exact ? "Already listed (" + d.reason + "): " : "Similar title: ");
        const a = text("a", d.title); a.href = d.url; item.append(a);
        list.append(item);
      }
      duplicates.replaceChildren(text("p", "This may already be known:"), list);
    } catch (error) {
      if (error.name !== "AbortError") duplicates.setAttribute("data-error", "true");
    }
  };

  form.querySelectorAll("[data-duplicates]").forEach((input) =>
    input.addEventListener("input", () => { clearTimeout(duplicateTimer); duplicateTimer = setTimeout(refreshDuplicates, 400); }));
})();
