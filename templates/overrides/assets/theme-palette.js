// The colour palette: the reader's saved choice (Material's "__palette"), or else the system's,
// put on the page before it is painted, so that a dark page does not flash light; and the
// header's toggle (templates/overrides/partials/palette.html), one button in place of Material's
// form of radio buttons. This file is loaded blocking just after the button, in every page's
// header (templates/overrides/partials/javascripts/palette.html): a file the browser keeps,
// where Material's pages have an inline script and 0.9 KB of form.
{
  // The palettes of mkdocs.yml (theme.palette), in its order: a test holds the two together.
  // Primary and accent colours are the page's own (the <body> Material writes carries them).
  const PALETTES = [
    {
      media: "(prefers-color-scheme: light)",
      scheme: "default",
      name: "Switch to dark mode",
      icon: "night",
    },
    {
      media: "(prefers-color-scheme: dark)",
      scheme: "slate",
      name: "Switch to light mode",
      icon: "sunny",
    },
  ];
  const body = document.body;
  const colour = (name) => body.getAttribute(`data-md-color-${name}`);
  const primary = colour("primary");
  const accent = colour("accent");
  const toggle = document.getElementById("__palette");
  const system = () =>
    Math.max(
      0,
      PALETTES.findIndex((p) => matchMedia(p.media).matches),
    );

  const saved = window.__md_get("__palette");
  // A choice saved by Material's own toggle or by this one, by its scheme; "follow the system"
  // (Material's "(prefers-color-scheme)" media) and no choice at all follow the system.
  const chosen = () => {
    const found = PALETTES.findIndex((p) => p.scheme === saved?.color?.scheme);
    return saved?.color?.media === "(prefers-color-scheme)" || found < 0 ? null : found;
  };
  let index = chosen() ?? system();

  const apply = () => {
    const palette = PALETTES[index];
    body.setAttribute("data-md-color-media", palette.media);
    body.setAttribute("data-md-color-scheme", palette.scheme);
    if (toggle) {
      // The button says what it does (switch to the other palette), with its icon, as the
      // toggle of each palette in mkdocs.yml does.
      toggle.title = palette.name;
      toggle.setAttribute("aria-label", palette.name);
      const use = toggle.querySelector("use");
      const href = use?.getAttribute("href");
      if (href) use.setAttribute("href", href.replace(/#.*$/, `#${palette.icon}`));
    }
  };
  apply();

  if (toggle) {
    toggle.hidden = false;
    toggle.addEventListener("click", () => {
      index = (index + 1) % PALETTES.length;
      apply();
      const { media, scheme } = PALETTES[index];
      window.__md_set("__palette", { index, color: { media, scheme, primary, accent } });
    });
  }
  // With no choice saved, the page follows the system's changes as they happen.
  for (const palette of PALETTES) {
    matchMedia(palette.media).addEventListener("change", () => {
      if (!window.__md_get("__palette")) {
        index = system();
        apply();
      }
    });
  }
}
