// The live intro preview of the submission form and the moderator's edit form: it follows the typing (the server
// renders it as saving would store it, and math.js typesets it as the paper page does). Without JavaScript the
// "Preview the intro" button does the same.
(() => {
  "use strict";
  const form = document.querySelector("form[data-live-preview]");
  const preview = document.getElementById("preview-output");
  const button = form && form.querySelector("[data-preview-button]");
  const source = form && form.querySelector("[data-preview-source]");
  if (!form || !preview || !button || !source) return;
  const introError = form.querySelector("[data-valmsg-for='Input.Intro']");
  let timer = 0, request = null;
  const refresh = async () => {
    if (request) request.abort();
    request = new AbortController();
    try {
      // The text only: a chosen or kept figure is sent once, with the form, not with every pause in typing (only the
      // preview is taken from the answer, so the form keeps its figure).
      const body = new FormData(form);
      for (const input of form.querySelectorAll("input[type=file][name]")) body.delete(input.name);
      body.delete("KeptFigure");
      const response = await fetch(button.formAction, { method: "POST", body, signal: request.signal });
      if (!response.ok) return; // rate limited or refused: keep the last preview
      const page = new DOMParser().parseFromString(await response.text(), "text/html");
      const fresh = page.getElementById("preview-output");
      if (!fresh) return;
      preview.replaceChildren(...Array.from(fresh.childNodes, (node) => document.importNode(node, true)));
      const freshError = page.querySelector("[data-valmsg-for='Input.Intro']");
      // An intro over the Markdown budget: the server says why beside the field, so the live preview does too.
      if (introError && freshError) introError.textContent = freshError.textContent;
      if (window.paperCatalogTypeset) window.paperCatalogTypeset();
    } catch (error) {
      if (error.name !== "AbortError") preview.setAttribute("data-error", "true");
    }
  };
  source.addEventListener("input", () => { clearTimeout(timer); timer = setTimeout(refresh, 600); });
})();
