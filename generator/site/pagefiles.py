"""What ``content/pages/`` (MkDocs' ``docs_dir``) may hold: pages and images, each on a path
of its own.

MkDocs copies every file of its ``docs_dir`` into the site as it is, and a file there takes the
place of the theme's file at the same path. Since that folder arrives in pull requests, a file
in it could have replaced the site's own scripts (``assets/site.js``), published a page of raw
HTML (``evil.html``) or an SVG that runs script, or taken the place of a file the generator
writes (``feed.xml``, ``data/events.geojson``, ``assets/cards/site.png``). So:

- only Markdown pages (``.md``) and images of the types in `IMAGES` may be there, and an image
  must begin as its type does (an HTML file named ``x.png`` is refused): no SVG, no HTML, no
  script, no style sheet. A real asset goes into ``templates/overrides/``, in review;
- no file may land on a path the theme writes (Material's files and ``templates/overrides/``,
  found as MkDocs finds them: `Theme`) or the generator writes (``build.WRITTEN``, declared by
  the modules that write them; Pagefind's bundle is one of them).

`briefing check` and the build refuse both, naming the file and the path it would have
replaced; `remove` keeps them out of a build that goes on regardless (`mkdocs serve`, which
serves the last good site while the content has errors).
"""

from __future__ import annotations

import functools
import os
import posixpath
import re
import stat
from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import MkDocsException
from mkdocs.structure.files import File, Files

from generator.content.errors import BriefingError, ContentError, display_path
from generator.site import addresses

IMAGES: Mapping[str, re.Pattern[bytes]] = {
    ".png": re.compile(rb"\x89PNG\r\n\x1a\n"),
    ".jpg": re.compile(rb"\xff\xd8\xff"),
    ".jpeg": re.compile(rb"\xff\xd8\xff"),
    ".gif": re.compile(rb"GIF8[79]a"),
    ".webp": re.compile(rb"RIFF.{4}WEBP", re.S),
    ".avif": re.compile(rb".{4}ftypavi[fs]", re.S),
}
"""Image types ``content/pages/`` may hold, by extension (lower case), each with the bytes its
files begin with. Never SVG: an SVG is a document that can hold script."""

_SIGNATURE = 12
"""Bytes read of an image: enough for every pattern of `IMAGES`."""
_ALLOWED = ", ".join([".md", *IMAGES])


def kind_problem(rel: str, path: Path) -> str | None:
    """Why the file ``rel`` of ``content/pages/`` (at ``path``) may not be published, by its
    type, or None. Files that are not regular (links out of the folder, pipes) are the record
    files' rules' (`generator.content.records`): not opened here."""
    suffix = os.path.splitext(rel)[1]
    if suffix == ".md":
        return None
    if suffix not in IMAGES:
        return (
            f"only pages and images may be in content/pages/ ({_ALLOWED}); "
            "other files (scripts, styles, HTML, SVG, data) are added to templates/overrides/ "
            "by a maintainer, in review"
        )
    try:
        if not stat.S_ISREG(os.stat(path).st_mode):
            return None
        with open(path, "rb") as image:
            start = image.read(_SIGNATURE)
    except OSError:
        return None  # (said by the record files' rules)
    if IMAGES[suffix].match(start):
        return None
    return f"is not a {suffix[1:].upper()} image (its first bytes are not those of one)"


class Theme:
    """The files the theme writes into the site: its static files, as MkDocs lists them
    (`Files.add_files_from_theme`, over every theme folder: ``templates/overrides/`` first,
    then Material's), and its static templates (``404.html``, ``sitemap.xml``, …).

    MkDocs' configuration is read, and Material's folders listed (both slow beside the rest of
    the check: tests/benchmarks/README.md), only when a
    file could land on one of them: pages at a folder's address (``x/index.html``) never do,
    and other pages only on a static template (they become ``.html`` files, which no static
    file of a theme is)."""

    def __init__(self, config: Callable[[], MkDocsConfig | None]) -> None:
        """``config``: MkDocs' configuration, when asked for (None: no theme, as for
        `briefing check` where there is no mkdocs.yml)."""
        self._config = functools.cache(config)

    @classmethod
    def of(cls, config: MkDocsConfig) -> Theme:
        return cls(lambda: config)

    @classmethod
    def of_file(cls, config_file: Path) -> Theme:
        """The theme ``config_file`` (mkdocs.yml) names."""
        return cls(functools.partial(_read_config, config_file))

    def templates(self) -> frozenset[str]:
        """The site files the theme's static templates become."""
        config = self._config()
        return frozenset(config.theme.static_templates) if config is not None else frozenset()

    @functools.cached_property
    def files(self) -> dict[str, File]:
        """The theme's static files, by their path in the site."""
        config = self._config()
        if config is None:
            return {}
        found = Files([])
        found.add_files_from_theme(config.theme.get_env(), config)
        return {file.dest_uri: file for file in found}


def _read_config(config_file: Path) -> MkDocsConfig | None:
    if not config_file.is_file():
        return None
    from mkdocs.config import load_config  # (only when content/pages/ holds an image)

    try:
        return load_config(str(config_file))
    except MkDocsException as exc:  # (MkDocs has logged what is wrong)
        raise BriefingError(f"{display_path(config_file)}: {exc}") from None


def within(dest: str, owned: Iterable[str]) -> str | None:
    """The entry of ``owned`` (files, and folders ending in ``/``) that holds ``dest``."""
    for path in owned:
        if dest == path or (path.endswith("/") and dest.startswith(path)):
            return path
    return None


def file_problems(
    handwritten: Mapping[str, str],
    theme: Theme,
    written: Sequence[str],
    use_directory_urls: bool = True,
) -> list[ContentError]:
    """An error for each file of ``content/pages/`` (relative path -> path shown, which opens
    from the working folder) that may not be published: by its type (`kind_problem`), or
    because it lands on a path the theme or the generator (``written``: files, and folders
    ending in ``/``) writes."""
    errors = []
    for rel, shown in sorted(handwritten.items()):
        dest = addresses.destination(rel, use_directory_urls)
        for problem in (kind_problem(rel, Path(shown)), _replaces(rel, dest, theme, written)):
            if problem is not None:
                errors.append(ContentError(shown, 1, 1, "", problem))
    return errors


def _replaces(rel: str, dest: str, theme: Theme, written: Sequence[str]) -> str | None:
    """What ``rel``, published at ``dest``, would replace, or None."""
    owner = within(dest, written)
    if owner is not None:
        where = f" (under {owner})" if owner.endswith("/") else ""
        return f"would replace {dest}, which the generator writes{where}: rename or move this file"
    page = rel.endswith(".md")
    if page and posixpath.basename(dest) == "index.html":
        return None  # (a page at a folder's address: themes write such pages through MkDocs)
    if dest in theme.templates() or (not page and dest in theme.files):
        source = theme.files.get(dest)
        what = display_path(Path(source.abs_src_path)) if source and source.abs_src_path else ""
        made = f" ({what})" if what else ""
        return f"would replace {dest}, a file of the theme{made}: rename or move this file"
    return None


def remove(files: Files, refused: Iterable[str], docs_dir: str, theme: Theme) -> None:
    """Take the refused files of ``docs_dir`` (relative paths) out of MkDocs' ``files``, and
    put back the theme's file each one had taken the place of."""
    for rel in refused:
        file = files.get_file_from_path(rel)
        if file is None or file.src_dir != docs_dir:
            continue
        files.remove(file)
        original = theme.files.get(file.dest_uri)
        if original is not None and files.get_file_from_path(original.src_uri) is None:
            files.append(original)
