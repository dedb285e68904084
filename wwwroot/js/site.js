// PaperCatalog: small enhancements; every page works without them.
(() => {
  "use strict";

  // "/" focuses the search box (the page's own on /search, else the header's), unless the reader is typing.
  document.addEventListener("keydown", (event) => {
    if (event.key !== "/" || event.ctrlKey || event.metaKey || event.altKey) return;
    const target = event.target;
    if (target instanceof HTMLElement && (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName))) return;
    const box = document.getElementById("search-q") || document.getElementById("site-search");
    if (!box) return;
    event.preventDefault();
    box.focus();
    box.select();
  });

  // A paper form's "New topic name" only matters once "Suggest a new topic" is chosen: hidden until then. Without
  // JavaScript it stays visible.
  for (const choice of document.querySelectorAll("select[data-new-topic-choice]")) {
    const field = choice.form && choice.form.querySelector("[data-new-topic-field]");
    if (!field) continue;
    const sync = () => { field.hidden = choice.value !== choice.dataset.newTopicChoice; };
    choice.addEventListener("change", sync);
    sync();
  }

  // Figures in an intro open full size: an image that is not already a link becomes a link to itself.
  for (const img of document.querySelectorAll(".prose img")) {
    if (img.closest("a")) continue;
    const link = document.createElement("a");
    link.href = img.currentSrc || img.src;
    link.className = "figure-link";
    link.title = "Open the figure full size";
    img.replaceWith(link);
    link.append(img);
  }

  // On /search, results follow typing: the form is read, the page fetched, and only the results swapped in.
  const form = document.querySelector("form[data-live-search]");
  const results = document.getElementById("search-results");
  if (!form || !results) return;
  let timer = 0;
  let inFlight = null;
  let last = location.search;

  const urlOf = () => {
    const params = new URLSearchParams();
    for (const [key, value] of new FormData(form)) {
      if (typeof value === "string" && value.trim() !== "" && !(key === "sort" && value === "relevance")) params.append(key, value);
    }
    const query = params.toString();
    return query ? "/search?" + query : "/search";
  };

  const refresh = async () => {
    const url = urlOf();
    if (url === location.pathname + last) return;
    last = url.slice("/search".length);
    if (inFlight) inFlight.abort();
    inFlight = new AbortController();
    results.setAttribute("aria-busy", "true");
    try {
      const response = await fetch(url, { signal: inFlight.signal, headers: { Accept: "text/html" } });
      if (!response.ok && response.status !== 404) throw new Error(String(response.status));
      const page = new DOMParser().parseFromString(await response.text(), "text/html");
      // An arXiv id, DOI or link typed: the server answered with the paper itself; offer it rather than leave.
      if (response.redirected && new URL(response.url).pathname !== "/search") {
        const found = document.createElement("p");
        found.className = "notice";
        const link = document.createElement("a");
        link.href = response.url;
        link.textContent = page.querySelector("h1")?.textContent?.trim() || response.url;
        found.append("That identifier is ", link, ". Press Enter to open it.");
        results.replaceChildren(found);
        return;
      }
      const fresh = page.getElementById("search-results");
      if (!fresh) throw new Error("no results in the page");
      results.replaceChildren(...Array.from(fresh.childNodes, (node) => document.importNode(node, true)));
      history.replaceState(null, "", url);
      document.title = page.title;
    } catch (error) {
      if (error.name !== "AbortError") results.setAttribute("data-error", "true");
    } finally {
      results.setAttribute("aria-busy", "false");
    }
  };

  const schedule = (delay) => {
    clearTimeout(timer);
    timer = setTimeout(refresh, delay);
  };
  form.addEventListener("input", (event) => schedule(event.target.name === "q" ? 200 : 400));
  form.addEventListener("change", () => schedule(0));
})();
