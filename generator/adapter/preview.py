"""`mkdocs serve` under the published site's Content-Security-Policy.

A maintainer previewing a contributor's branch is who hostile record text targets, so the
preview refuses what the published site refuses. MkDocs' live-reload script stands in the way:
its server writes it inline, before the last ``</body>`` of every HTML file it sends, and its
text differs on every request, so no hash can allow it. `Policy` wraps the server's WSGI
application (from the plugin's ``on_serve``, with `generator.adapter.mkdocs_quirks.wrap_app`):
for each page it takes the page's own policy out of the page (the ``<meta>`` right after the
charset, where `templates/overrides/main.html` writes it), adds a nonce made
for this response to its ``script-src``, gives that nonce to the live-reload script, and sends
the policy as a header. Two policies would both apply, so the page keeps no ``<meta>`` one.
Every other response gets the site's policy as a header too (an SVG opened on its own is a
document). Nothing of MkDocs' is patched.

Only the script just before the last ``</body>``, with no attributes and the live-reload
script's own shape, gets the nonce: MkDocs puts its script there, after everything the page
holds, so no script of the page can take its place.
"""

from __future__ import annotations

import base64
import html
import re
import secrets
from collections.abc import Callable, Iterable
from typing import Any

from generator.adapter import mkdocs_quirks
from generator.publish import csp

StartResponse = Callable[..., Callable[[bytes], object]]
App = Callable[[dict[str, Any], StartResponse], Iterable[bytes]]

CSP_HEADER = "Content-Security-Policy"

_HEAD = re.compile(
    rb"\A\s*<!doctype html>\s*<html\b[^>]*>\s*<head>\s*<meta charset=[\"']?utf-8[\"']?\s*/?>\s*"
    rb"(<meta\b[^>]*>)",
    re.I,
)
"""The start of a page of the site, up to the element after its charset."""
_META = re.compile(rb"http-equiv=[\"']?Content-Security-Policy[\"']?[\s/>]", re.I)
_CONTENT = re.compile(rb"\bcontent=(?:\"([^\"]*)\"|'([^']*)'|([^\s\"'>]+))", re.I)


def page_policy(page: bytes) -> tuple[str, bytes]:
    """The policy of ``page`` (an HTML file of the site) and the page without its ``<meta>``:
    the element right after the charset, if it is the policy; else `csp.POLICY`, and the page
    as it is."""
    head = _HEAD.match(page)
    if head is None or not _META.search(head[1]):
        return csp.POLICY, page
    content = _CONTENT.search(head[1])
    if content is None:
        return csp.POLICY, page
    value = next(group for group in content.groups() if group is not None)
    return html.unescape(value.decode("utf-8")), page[: head.start(1)] + page[head.end(1) :]


def with_nonce(page: bytes, nonce: str) -> bytes:
    """``page`` with ``nonce`` on MkDocs' live-reload script, if it holds one where MkDocs puts
    it (just before the last ``</body>``, or at the end)."""
    end = page.rfind(b"</body>")
    end = len(page) if end < 0 else end
    start = page.rfind(b"<script>", 0, end)
    if start < 0 or not mkdocs_quirks.LIVE_RELOAD.match(page, start, end):
        return page
    return page[:start] + f'<script nonce="{nonce}">'.encode() + page[start + len(b"<script>") :]


def allow_nonce(policy: str, nonce: str) -> str:
    """``policy`` also allowing scripts that carry ``nonce``."""
    source = f"'nonce-{nonce}'"
    if re.search(r"(?:^|;)\s*script-src\b", policy):
        return re.sub(r"((?:^|;)\s*script-src\b)", rf"\1 {source}", policy, count=1)
    return f"{policy}; script-src {source}"


class Policy:
    """MkDocs' server application, its responses under the site's policy (see the module)."""

    def __init__(self, app: App) -> None:
        self.app = app

    def __call__(self, environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        answer: list[Any] = []

        def hold(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> Any:
            answer[:] = [status, headers, exc_info]
            return lambda data: None  # (MkDocs' server returns its body: it never writes)

        body = self.app(environ, hold)
        status, headers, exc_info = answer
        kind = next((v for k, v in headers if k.lower() == "content-type"), "")
        if not kind.startswith("text/html"):
            start_response(status, [*headers, (CSP_HEADER, csp.POLICY)], exc_info)
            return body
        try:
            page = b"".join(body)
        finally:
            close = getattr(body, "close", None)
            if close is not None:
                close()
        policy, page = page_policy(page)
        nonce = base64.b64encode(secrets.token_bytes(18)).decode("ascii")
        page = with_nonce(page, nonce)
        kept = [(k, v) for k, v in headers if k.lower() != "content-length"]
        length = ("Content-Length", str(len(page)))
        start_response(status, [*kept, length, (CSP_HEADER, allow_nonce(policy, nonce))], exc_info)
        return [page]
