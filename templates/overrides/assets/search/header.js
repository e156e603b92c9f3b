import { loadPagefind, preloadTerm, warmPagefind } from "./load.js";

// Put the header search form inside Material's header bar (it is rendered just after it, so
// without JavaScript it still shows, below the header). Submitting opens /search/?q=…
// The header belongs to the document, not to the page content: once per document is enough.
const form = document.querySelector(".briefing-header-search");
const bar = document.querySelector(".md-header__inner");
if (form && bar && form.parentNode !== bar) {
  bar.insertBefore(form, bar.querySelector(".md-header__source"));
  form.classList.add("briefing-header-search--in-bar");
}

// A reader who puts the cursor in the box is about to search: Pagefind gets ready (its script,
// metadata and WebAssembly), and while they type it fetches the index for the word so far. All
// of it lands in the browser's cache, where /search/ finds it when the form is submitted.
// Nothing is fetched for readers who do not search.
const box = form?.querySelector("input");
if (box && !document.getElementById("briefing-search")) {
  const root = new URL("../", form.action).href;
  let pagefind = null;
  const getReady = () =>
    loadPagefind(root).then((loaded) => {
      pagefind = loaded;
      preloadTerm(loaded, box.value.trim()); // (anything typed while it loaded)
      return warmPagefind(loaded);
    });
  box.addEventListener(
    "focus",
    () => getReady().catch(() => {}), // (no index yet: the search page says so)
    { once: true },
  );
  box.addEventListener("input", () => {
    if (pagefind) preloadTerm(pagefind, box.value.trim());
  });
}
