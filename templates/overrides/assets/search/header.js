// Put the header search form inside Material's header bar (it is rendered just after it, so
// without JavaScript it still shows, below the header). Submitting opens /search/?q=…
// The header belongs to the document, not to the page content: once per document is enough.
const form = document.querySelector(".briefing-header-search");
const bar = document.querySelector(".md-header__inner");
if (form && bar && form.parentNode !== bar) {
  bar.insertBefore(form, bar.querySelector(".md-header__source"));
  form.classList.add("briefing-header-search--in-bar");
}

// A reader who puts the cursor in the box is about to search: while they type, the files every
// first search needs (Pagefind's script, its metadata and WebAssembly) are fetched into the
// browser's cache, where /search/ then finds them. Nothing is fetched for readers who do not
// search.
async function prefetchSearch() {
  const bundle = new URL("../pagefind/", form.action);
  try {
    const response = await fetch(new URL("pagefind-entry.json", bundle));
    const languages = (await response.json()).languages;
    const lang = document.documentElement.lang;
    const [code, language] =
      lang in languages ? [lang, languages[lang]] : Object.entries(languages)[0];
    const files = ["pagefind.js", `pagefind.${language.hash}.pf_meta`, `wasm.${code}.pagefind`];
    await Promise.all(
      files.map((file) => fetch(new URL(file, bundle)).then((r) => r.arrayBuffer())),
    );
  } catch {
    // No search index (yet): the search page says so.
  }
}
const box = form?.querySelector("input");
if (box && !document.getElementById("briefing-search")) {
  box.addEventListener("focus", prefetchSearch, { once: true });
}
