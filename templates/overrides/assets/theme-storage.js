// What Material's script keeps in the reader's browser (the palette chosen with the toggle) is
// stored in localStorage under keys that start with the site's path, through four globals its
// pages define in an inline script in every page's head. Here they are defined once for the
// whole site, in a file the browser keeps (templates/overrides/partials/javascripts/base.html
// loads it, blocking, where the inline script was): 0.4 KB less in every page, and a hash less
// in its Content-Security-Policy. A classic script, not a module: it must run before the page's
// other scripts, and define globals.
{
  // This file is <site>/assets/theme-storage.js: the site's root is one folder up.
  const root = new URL("..", document.currentScript.src);
  const key = (name, scope) => `${scope.pathname}.${name}`;
  window.__md_scope = root;
  // A number made from a text (hash * 31 + code, character by character), which Material uses
  // to name some of what it stores.
  window.__md_hash = (text) =>
    [...text].reduce((hash, char) => (hash << 5) - hash + char.charCodeAt(0), 0);
  window.__md_get = (name, storage = localStorage, scope = root) =>
    JSON.parse(storage.getItem(key(name, scope)));
  window.__md_set = (name, value, storage = localStorage, scope = root) => {
    try {
      storage.setItem(key(name, scope), JSON.stringify(value));
    } catch {
      // Storage full or refused (private browsing): the choice lasts this page only.
    }
  };
}
