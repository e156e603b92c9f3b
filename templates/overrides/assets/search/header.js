// Put the header search form inside Material's header bar (it is rendered just after it, so
// without JavaScript it still shows, below the header). Submitting opens /search/?q=…
// The header is not swapped by instant navigation: once per document is enough.
const form = document.querySelector(".briefing-header-search");
const bar = document.querySelector(".md-header__inner");
if (form && bar && form.parentNode !== bar) {
  bar.insertBefore(form, bar.querySelector(".md-header__source"));
  form.classList.add("briefing-header-search--in-bar");
}
