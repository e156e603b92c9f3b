"""Where generated pages land in the site, and what must not share their address.

A generated page and a hand-written one (in ``content/pages/``, MkDocs' ``docs_dir``) that land
on the same file of the site would silently replace one another: both are refused, naming both
files. (Tags that would take a hub's address are refused where tags are checked, in
`generator.site.link`.) The HTML of a generated page that is no longer generated (a deleted
record, a tag no brief carries any more) is removed from the site folder, which MkDocs itself
leaves in place in a dirty build.

Addresses follow MkDocs' own rules (`mkdocs.structure.files.File`), so ``map.md`` and
``map/index.md`` are one address with directory URLs.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from mkdocs.structure.files import File

from generator.content.errors import ContentError, display_path


def destination(rel: str, use_directory_urls: bool = True) -> str:
    """The file of the site that page ``rel`` (a ``.md`` path, or any other file) becomes."""
    return File(rel, None, "", use_directory_urls).dest_uri


def files_in(folder: Path) -> dict[str, str]:
    """Every file under ``folder`` (as MkDocs reads a docs_dir): relative path -> path shown."""
    found: dict[str, str] = {}
    if not folder.is_dir():
        return found
    for top, _, names in os.walk(folder):
        for name in names:
            path = Path(top) / name
            found[path.relative_to(folder).as_posix()] = display_path(path)
    return found


def _sources(dest: str) -> list[str]:
    """The ``.md`` paths that could land on the site file ``dest`` (checked by the caller)."""
    if not dest.endswith(".html"):
        return []
    folder, _, name = dest.rpartition("/")
    base = f"{folder}/" if folder else ""
    found = [f"{base}{name.removesuffix('.html')}.md"]
    if name == "index.html":
        found.append(f"{base}README.md")
        if folder:
            found.append(f"{folder}.md")
    return found


def clashes(
    generated: Iterable[str], handwritten: Mapping[str, str], use_directory_urls: bool = True
) -> list[ContentError]:
    """An error for each hand-written file (relative path -> path shown) that lands where a
    generated page does. (Runs on every `mkdocs serve` rebuild: the few hand-written files are
    turned into addresses, not the thousands of generated pages.)"""
    pages = set(generated)
    errors = []
    for rel, shown in sorted(handwritten.items()):
        dest = destination(rel, use_directory_urls)
        for page in _sources(dest):
            if page in pages and destination(page, use_directory_urls) == dest:
                address = "/" + File(page, None, "", use_directory_urls).url.removeprefix("./")
                errors.append(
                    ContentError(
                        shown,
                        1,
                        1,
                        "",
                        f"the site generates {page} at the same address ({address}), which would "
                        "replace this page: rename or move it",
                    )
                )
    return errors


def remove_html(pages: Iterable[str], site_dir: Path, use_directory_urls: bool = True) -> int:
    """Delete the HTML of the generated ``pages`` (no longer generated) from ``site_dir``, and
    the folders that leaves empty. Returns the number of files deleted."""
    removed = 0
    root = site_dir.resolve()
    for rel in pages:
        path = site_dir / destination(rel, use_directory_urls)
        try:
            path.unlink()
        except FileNotFoundError:
            continue
        removed += 1
        folder = path.parent
        while folder.resolve() != root and folder.resolve().is_relative_to(root):
            try:
                folder.rmdir()  # (only when empty)
            except OSError:
                break
            folder = folder.parent
    return removed


def nav_paths(nav: Any) -> set[str]:
    """The page paths listed in MkDocs' ``nav`` setting."""
    if isinstance(nav, str):
        return {nav}
    items = nav.values() if isinstance(nav, dict) else nav if isinstance(nav, list) else ()
    return {path for item in items for path in nav_paths(item)}
