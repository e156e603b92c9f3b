// DOM helpers shared by the site's scripts (ES modules: import { el, onEveryPage } from "./dom.js").
// Record text only ever goes into the page as text: el() sets textContent and properties, never
// innerHTML, and a string child becomes a text node.

/**
 * A new element. `props` are set as properties (className, textContent, href, value, checked,
 * hidden, type...), except `role`, `dataset` and hyphenated names (aria-label), which are set as
 * attributes; undefined and null values are skipped. `children` (elements or strings, strings
 * as text) are appended in order.
 *
 * @param {string} tag
 * @param {Record<string, unknown>} [props]
 * @param {...(Node | string)} children
 * @returns {HTMLElement}
 */
export function el(tag, props = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(props)) {
    if (value === undefined || value === null) continue;
    if (name === "dataset") Object.assign(node.dataset, value);
    else if (name === "role" || name.includes("-")) node.setAttribute(name, String(value));
    else node[name] = value;
  }
  node.append(...children);
  return node;
}

/**
 * Run `init` once the page is parsed, and whenever Material's `document$` emits a page: once per
 * load now that navigation.instant is off (mkdocs.yml), and for every page it swaps in should it
 * be turned on again. Module scripts run once per document, so a script that sets up page
 * content subscribes here rather than counting on being executed again. `init` must do nothing
 * when its page is set up already (it is called twice for one page).
 *
 * @param {() => void} init
 */
export function onEveryPage(init) {
  // Material's bundle (a classic script, so it has run before any module) sets window.document$,
  // which emits the document on load (and after each instant navigation, when that is on).
  const documents = window.document$;
  if (documents && typeof documents.subscribe === "function") documents.subscribe(() => init());
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", () => init(), { once: true });
  } else {
    init();
  }
}

const SVG_NS = "http://www.w3.org/2000/svg";
const XLINK_NS = "http://www.w3.org/1999/xlink";

/**
 * A new SVG element: `attrs` are set as attributes (undefined and null skipped), `children`
 * (nodes or strings, strings as text) appended in order. Record text goes in as text only.
 *
 * @param {string} tag
 * @param {Record<string, unknown>} [attrs]
 * @param {...(Node | string)} children
 * @returns {SVGElement}
 */
export function svg(tag, attrs = {}, ...children) {
  const node = document.createElementNS(SVG_NS, tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value === undefined || value === null) continue;
    // xlink:href, not href, for links: every browser follows it, and Material's instant
    // navigation (off: mkdocs.yml) sets the href property of every [href] element of a page it
    // loads, which SVG links have only a getter for.
    if (name.startsWith("xlink:")) node.setAttributeNS(XLINK_NS, name, String(value));
    else node.setAttribute(name, String(value));
  }
  node.append(...children);
  return node;
}
