// The colour palette the reader chose with the header's toggle (Material saves it as
// "__palette"), put on the page before it is painted, so that a dark page does not flash light.
// Material's pages do this with an inline script in every page's header; this file, loaded
// blocking in its place (templates/overrides/partials/javascripts/palette.html), is kept by the
// browser: 0.7 KB less in every page, and a hash less in its Content-Security-Policy.
{
  const saved = window.__md_get("__palette");
  const color = saved?.color ? { ...saved.color } : null;
  if (color?.media === "(prefers-color-scheme)") {
    // "Follow the system": the palette of the toggle whose media query the system matches.
    const scheme = matchMedia("(prefers-color-scheme: light)").matches ? "light" : "dark";
    const input = document.querySelector(
      `[data-md-color-media="(prefers-color-scheme: ${scheme})"]`,
    );
    for (const name of ["media", "scheme", "primary", "accent"]) {
      color[name] = input?.getAttribute(`data-md-color-${name}`) ?? color[name];
    }
  }
  for (const [name, value] of Object.entries(color ?? {})) {
    document.body.setAttribute(`data-md-color-${name}`, value);
  }
}
