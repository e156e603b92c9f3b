// Put the header search form inside Material's header bar (it is rendered just after it, so
// without JavaScript it still shows, below the header). Submitting opens /search/?q=…
(function () {
  "use strict";
  function place() {
    var form = document.querySelector(".briefing-header-search");
    var bar = document.querySelector(".md-header__inner");
    if (!form || !bar || form.parentNode === bar) return;
    var before = bar.querySelector(".md-header__source");
    bar.insertBefore(form, before);
    form.classList.add("briefing-header-search--in-bar");
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", place);
  else place();
})();
