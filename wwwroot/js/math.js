// Typesets the math that Markdig marks up as <span class="math">\(…\)</span> and <div class="math">\[…\]</div>.
// Without JavaScript (or if KaTeX fails on a formula) the TeX source stays readable in place.
(function () {
  "use strict";
  function typeset() {
    if (typeof katex === "undefined") return;
    document.querySelectorAll(".prose .math:not(.math-rendered)").forEach(function (el) {
      var display = el.tagName === "DIV";
      var tex = el.textContent.trim();
      if (display) tex = tex.replace(/^\\\[/, "").replace(/\\\]$/, "");
      else tex = tex.replace(/^\\\(/, "").replace(/\\\)$/, "");
      try {
        katex.render(tex, el, { displayMode: display, throwOnError: false, output: "htmlAndMathml" });
        el.classList.add("math-rendered");
      } catch (e) {
        el.classList.add("math-error");
      }
    });
  }
  window.paperCatalogTypeset = typeset;
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", typeset);
  else typeset();
})();
