// Marks the words a reader searched for when they arrive from a search result
// (/briefs/…/?highlight=north+korea, the parameter Pagefind's highlightParam adds): each word of
// the page's text that starts with one of the searched words is wrapped in a <mark> built here.
// Text nodes are split, never re-parsed, so no record text is ever read as HTML.
import { el, onEveryPage } from "./dom.js";

const PARAM = "highlight";
const SKIP = "script, style, mark, .md-header, .md-sidebar, .md-footer, .brief-apparatus";

function pattern(query) {
  const words = query
    .split(/\s+/)
    .map((word) => word.replace(/[^\p{L}\p{N}'-]/gu, ""))
    .filter(Boolean);
  if (!words.length) return null;
  return new RegExp(`(?<![\\p{L}\\p{N}])(?:${words.join("|")})[\\p{L}\\p{N}]*`, "giu");
}

function mark(article, regex) {
  const walker = document.createTreeWalker(article, NodeFilter.SHOW_TEXT, {
    acceptNode: (node) =>
      node.parentElement?.closest(SKIP) ? NodeFilter.FILTER_REJECT : NodeFilter.FILTER_ACCEPT,
  });
  const texts = [];
  while (walker.nextNode()) texts.push(walker.currentNode);
  for (const text of texts) {
    const found = [...text.data.matchAll(regex)];
    // From the last match back, so earlier offsets stay valid while the node is split.
    for (const match of found.reverse()) {
      const word = text.splitText(match.index);
      word.splitText(match[0].length);
      word.replaceWith(el("mark", { className: "briefing-highlight" }, word.data));
    }
  }
}

onEveryPage(() => {
  const query = new URLSearchParams(location.search).get(PARAM);
  const article = document.querySelector(".md-content article");
  if (!query || !article || article.dataset.highlighted) return;
  article.dataset.highlighted = "true";
  const regex = pattern(query.slice(0, 200));
  if (regex) mark(article, regex);
});
