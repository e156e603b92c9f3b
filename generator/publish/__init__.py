"""The fourth stage: what the site publishes besides MkDocs' pages.

Owns the open data (`exports`, written with `gzipped`), the feeds (`feeds`), the sharing cards
(`cards`, with their vendored font in `fonts/`), the sitemap (`sitemap`), pages at the old
addresses of renamed records (`redirects`), the search index and its word list (`search`,
`words`, with Pagefind's pinned binary in `pagefind_binary`), the HTML minified as it is written
(`minify`), the Content-Security-Policy (`csp`) and the size budget (`budget`).
"""
