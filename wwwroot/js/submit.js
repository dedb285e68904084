// The submission form: a live preview of the intro (rendered by the server, exactly as paper pages are) and a
// duplicate check while the title and link are typed. Without JavaScript the Preview button does the same.
(() => {
  "use strict";
  const form = document.querySelector("form[data-submit-form]");
  if (!form) return;
  const preview = document.getElementById("preview-output");
  const introError = form.querySelector("[data-valmsg-for='Input.Intro']");
  const duplicates = document.getElementById("duplicates");
  const source = form.querySelector("[data-preview-source]");
  let previewTimer = 0, previewRequest = null, duplicateTimer = 0, duplicateRequest = null;

  const refreshPreview = async () => {
    if (previewRequest) previewRequest.abort();
    previewRequest = new AbortController();
    try {
      const response = await fetch("/submit?handler=Preview", { method: "POST", body: new FormData(form), signal: previewRequest.signal });
      if (!response.ok) return; // rate limited or refused: keep the last preview
      const page = new DOMParser().parseFromString(await response.text(), "text/html");
      const fresh = page.getElementById("preview-output");
      if (!fresh) return;
      preview.replaceChildren(...Array.from(fresh.childNodes, (node) => document.importNode(node, true)));
      // An intro over the Markdown budget: the server says why beside the field, so the live preview does too.
      const freshError = page.querySelector("[data-valmsg-for='Input.Intro']");
      if (introError && freshError) introError.textContent = freshError.textContent;
      if (window.paperCatalogTypeset) window.paperCatalogTypeset();
    } catch (error) {
      if (error.name !== "AbortError") preview.setAttribute("data-error", "true");
    }
  };

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

  if (source) source.addEventListener("input", () => { clearTimeout(previewTimer); previewTimer = setTimeout(refreshPreview, 600); });
  form.querySelectorAll("[data-duplicates]").forEach((input) =>
    input.addEventListener("input", () => { clearTimeout(duplicateTimer); duplicateTimer = setTimeout(refreshDuplicates, 400); }));
})();
