"""The build's settings: declared once, read from mkdocs.yml by MkDocs' own config loader.

`BriefingConfig` is the plugin's part of mkdocs.yml; each option's default is the matching
`Settings` field's. `Settings` is built once per build (`from_mkdocs`), from the plugin's
options and the few MkDocs settings the pages use; outside MkDocs, `load` reads mkdocs.yml
through `mkdocs.config.load_config`, exactly as a build would.
"""

from __future__ import annotations

import dataclasses
import ipaddress
import os
import re
import subprocess
import urllib.parse
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from mkdocs.config import base
from mkdocs.config import config_options as c
from mkdocs.config.base import ValidationError
from mkdocs.config.defaults import MkDocsConfig


@dataclass(frozen=True)
class Settings:
    """Everything a build is configured with. The defaults are the plugin's."""

    content_dir: Path = Path("content")
    """Folder of the records (events/, actors/, vocabulary.yaml)."""
    templates_dir: Path = Path("templates")
    """Folder of the page templates."""
    cache_dir: Path = Path(".cache/briefing")
    """Where generated Markdown is written (ignored by git)."""
    timezone: str = "Asia/Seoul"
    """Default time zone of records' local dates and times."""
    page_size: int = 100
    """Entries per page on timeline years, tags and actor involvement."""
    licence: str = "CC BY 4.0"
    """Licence of the published content and data (shown on the Data page)."""
    pagefind: bool = True
    """Build the Pagefind search index after the site (off only for benchmark baselines)."""
    search_part_pages: int = 11_000
    """Pages a part of the search index may hold: a site with more searchable pages (briefs and
    actor profiles) is indexed in parts (`generator.site.parts`), the first holding every actor
    profile and the newest briefs, each older part whole years of briefs. A reader's first
    search downloads the metadata of every page of the first part (about 9 bytes a page,
    compressed): at 11,000 pages, a first search for a common word downloads 269 KB."""
    edit_branch: str = "main"
    """Branch that "edit this record" links open."""
    size_budget: int = 1_000_000_000
    """Bytes the built site may take, search bundle and data included: the build warns at 80%
    and fails above it (`generator.publish.budget`). GitHub Pages refuses a site over 1 GB, the
    default; another host may allow more."""
    map_tiles: str = "https://tile.openstreetmap.org/{z}/{x}/{y}.png"
    """The map's tiles: an https address with ``{z}``, ``{x}`` and ``{y}`` (Leaflet's tile
    template), or nothing for a map without tiles (markers on a blank ground). The map page's
    Content-Security-Policy allows images from this host, and no other page's does."""
    poll: bool = False
    """Under `mkdocs serve`, notice edits by polling every watched file twice a second (MkDocs'
    own way) instead of through the system's file notifications: for folders where
    notifications do not arrive, such as some network and container mounts."""
    site_name: str = "Briefing"
    """MkDocs' `site_name`."""
    site_url: str = ""
    """MkDocs' `site_url`: the published address, ending in /."""
    repo_url: str = ""
    """MkDocs' `repo_url`, else the repository GitHub Actions or the git remote names."""
    directory_urls: bool = True
    """MkDocs' `use_directory_urls`: pages at ``briefs/x/`` rather than ``briefs/x.html``."""
    content_prefix: str = "content"
    """Path of the content folder inside the repository (for "edit this record" links)."""


_DEFAULT = Settings()


class Counted(c.Type[int]):
    """A whole number of at least 1: a list's entries a page, a search part's pages, a budget in
    bytes. (Zero or less would make no sense of any of them; MkDocs reports the value, one line.)"""

    def __init__(self, default: int) -> None:
        super().__init__(int, default=default)

    def run_validation(self, value: object) -> int:
        number = super().run_validation(value)
        if isinstance(number, bool) or number < 1:
            raise ValidationError(f"Expected a whole number of at least 1, but received: {value!r}")
        return number


class TileAddress(c.Type[str]):
    """The map's tile template: https, with {z}, {x} and {y}; or empty (no tiles)."""

    def __init__(self, default: str) -> None:
        super().__init__(str, default=default)

    def run_validation(self, value: object) -> str:
        url = super().run_validation(value)
        if url and not (
            re.fullmatch(r"https://(?:\{s\}\.)?[A-Za-z0-9.-]+(?::\d+)?/[^\s'\";,]*", url)
            and all(part in url for part in ("{z}", "{x}", "{y}"))
        ):
            raise ValidationError(
                "Expected an https address with {z}, {x} and {y} (or nothing, for no tiles), "
                f"but received: {value!r}"
            )
        return url


def tile_origin(url: str) -> str | None:
    """The origin the tiles of ``url`` (`Settings.map_tiles`) come from, as the
    Content-Security-Policy names it (Leaflet's ``{s}`` subdomains: any one); None: no tiles."""
    if not url:
        return None
    host = url.split("/")[2]
    return "https://" + host.replace("{s}", "*")


class BriefingConfig(base.Config):
    """The plugin's options in mkdocs.yml (folders relative to mkdocs.yml): see `Settings`."""

    content_dir = c.Type(str, default=_DEFAULT.content_dir.as_posix())
    templates_dir = c.Type(str, default=_DEFAULT.templates_dir.as_posix())
    cache_dir = c.Type(str, default=_DEFAULT.cache_dir.as_posix())
    timezone = c.Type(str, default=_DEFAULT.timezone)
    page_size = Counted(_DEFAULT.page_size)
    licence = c.Type(str, default=_DEFAULT.licence)
    pagefind = c.Type(bool, default=_DEFAULT.pagefind)
    search_part_pages = Counted(_DEFAULT.search_part_pages)
    edit_branch = c.Type(str, default=_DEFAULT.edit_branch)
    map_tiles = TileAddress(_DEFAULT.map_tiles)
    poll = c.Type(bool, default=_DEFAULT.poll)
    size_budget = Counted(_DEFAULT.size_budget)


def from_mkdocs(config: MkDocsConfig, options: BriefingConfig) -> Settings:
    """The settings of a build: the plugin's ``options`` and MkDocs' ``config``."""
    root = Path(config.config_file_path or ".").resolve().parent
    content = root / options.content_dir
    return Settings(
        content_dir=content,
        templates_dir=root / options.templates_dir,
        cache_dir=root / options.cache_dir,
        timezone=options.timezone,
        page_size=options.page_size,
        licence=options.licence,
        pagefind=options.pagefind,
        search_part_pages=options.search_part_pages,
        edit_branch=options.edit_branch,
        map_tiles=options.map_tiles,
        poll=options.poll,
        size_budget=options.size_budget,
        site_name=config.site_name,
        site_url=normal_url(config.site_url or ""),
        repo_url=find_repo_url(config.repo_url, root),
        directory_urls=config.use_directory_urls,
        content_prefix=(
            content.relative_to(root).as_posix()
            if content.is_relative_to(root)
            else _DEFAULT.content_prefix
        ),
    )


def load(config_file: Path, **changes: Any) -> Settings:
    """The settings in ``config_file`` (mkdocs.yml), read as `mkdocs build` reads them, with
    ``changes`` (fields of `Settings`) made."""
    from mkdocs.config import load_config  # (only outside MkDocs)

    config = load_config(str(config_file))
    plugin = config.plugins.get("briefing")
    options = plugin.config if plugin is not None else BriefingConfig()
    if plugin is None:
        options.load_dict({})
        options.validate()
    return dataclasses.replace(from_mkdocs(config, options), **changes)


def address_warning(site_url: str) -> str | None:
    """What to say of a ``site_url`` no reader can reach: unset, or a local address (the
    default, ``http://127.0.0.1:8000/``, is `make serve`'s). Citations, feeds, the sitemap and
    the sharing tags carry the site's address: a site built with this one must not be
    published. None for any other address."""
    fix = "set BRIEFING_SITE_URL (or site_url in mkdocs.yml) to the address it is published at"
    if not site_url:
        return (
            'site_url is not set: "Cite this brief" gives no address, and the feeds, the '
            f"sitemap and the sharing tags carry no full addresses; {fix}"
        )
    if not _local(urllib.parse.urlsplit(site_url).hostname or ""):
        return None
    return (
        f'site_url is {site_url}, a local address: "Cite this brief", the feeds, the sitemap '
        f"and the sharing tags carry it, and readers elsewhere cannot follow it; {fix}"
    )


def _local(host: str) -> bool:
    """A host name or address of this machine or its local network."""
    if host == "localhost" or host.endswith((".localhost", ".local", ".internal")):
        return True
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return False
    return address.is_loopback or address.is_unspecified or address.is_private


def normal_url(url: str) -> str:
    return url if not url or url.endswith("/") else f"{url}/"


def find_repo_url(configured: str | None, root: Path) -> str:
    """The repository's web address: mkdocs.yml, then GitHub Actions, then the git remote."""
    if configured:
        return configured.rstrip("/")
    if os.environ.get("GITHUB_REPOSITORY"):
        server = os.environ.get("GITHUB_SERVER_URL", "https://github.com")
        return f"{server}/{os.environ['GITHUB_REPOSITORY']}"
    try:
        remote = subprocess.run(
            ["git", "remote", "get-url", "origin"],
            cwd=root,
            capture_output=True,
            text=True,
            check=False,
        ).stdout.strip()
    except OSError:
        return ""
    match = re.match(r"^(?:https://|git@)([^/:]+)[/:](.+?)(?:\.git)?$", remote)
    return f"https://{match[1]}/{match[2]}" if match else ""
