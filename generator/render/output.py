"""Writing generated pages to the cache folder MkDocs reads them from.

A file is rewritten only when its text changed: unchanged files keep their modification time,
so `mkdocs serve --dirty` skips them.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterable, Mapping
from pathlib import Path


def write_files(out: Path, files: Mapping[str, str | bytes]) -> None:
    """Write published files (data, feeds, cards, redirects: path -> text or bytes) under the
    site folder ``out``, each unless it holds that already: after an edit under `mkdocs serve
    --dirty`, most of the thousands of topic feeds and cards are as they were, and rewriting a
    file costs far more than reading it (seconds for a thousand files on a busy disk)."""
    for rel, data in files.items():
        write_bytes(out / rel, data.encode("utf-8") if isinstance(data, str) else data)


def move_files(staged: Path, out: Path) -> None:
    """Move every file under ``staged`` to the same path under ``out`` (replacing what is
    there), then remove ``staged``. A rename each, on one file system."""
    for top, _, names in os.walk(staged):
        target = out / Path(top).relative_to(staged)
        target.mkdir(parents=True, exist_ok=True)
        for name in names:
            shutil.move(os.path.join(top, name), target / name)
    shutil.rmtree(staged)


def write_pages(pages: dict[str, str], out: Path, *, complete: bool = True) -> set[str]:
    """Write ``pages`` (path -> Markdown) under ``out``; when ``pages`` is the ``complete``
    site, remove the other pages there. Returns the paths written."""
    out.mkdir(parents=True, exist_ok=True)
    written = {rel for rel, text in pages.items() if write_page(out / rel, text)}
    if complete:
        keep_only(pages, out)
    return written


def write_page(path: Path, text: str) -> bool:
    """Write ``text`` to ``path`` unless the file holds it already; True if written."""
    return write_bytes(path, text.encode("utf-8"))


def write_bytes(path: Path, data: bytes) -> bool:
    """Write ``data`` to ``path`` unless the file holds it already; True if written."""
    try:
        same = path.stat().st_size == len(data) and path.read_bytes() == data
    except FileNotFoundError:
        path.parent.mkdir(parents=True, exist_ok=True)
        same = False
    if not same:
        path.write_bytes(data)
    return not same


def keep_only(paths: Iterable[str], out: Path) -> None:
    """Remove the pages under ``out`` that are not in ``paths``, and the folders left empty."""
    wanted = {out / rel for rel in paths}
    for path in sorted(out.rglob("*.md")):
        if path not in wanted:
            path.unlink()
    for folder in sorted((p for p in out.rglob("*") if p.is_dir()), key=lambda p: -len(p.parts)):
        if not any(folder.iterdir()):
            folder.rmdir()


def cached_paths(out: Path) -> frozenset[str]:
    """The pages written under ``out`` (by an earlier build)."""
    return frozenset(p.relative_to(out).as_posix() for p in out.rglob("*.md"))


def remove_pages(paths: Iterable[str], out: Path) -> None:
    """Delete the generated pages ``paths`` (of removed records) under ``out``."""
    for rel in paths:
        (out / rel).unlink(missing_ok=True)
