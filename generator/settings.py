"""The build's settings: declared once, read from mkdocs.yml by MkDocs' own config loader.

Each option of the plugin is a field of `Settings` declared with `option`: its name, its type
and default (the field's), what else its value must be (`Option.check`) and what it sets
(`Option.doc`). From that one declaration come the plugin's part of mkdocs.yml (`SCHEME`, which
MkDocs validates), the settings of a build (`from_mkdocs`) and the options table of the README
(`generator.render.docs`, `make docs`). Outside MkDocs, every command reads mkdocs.yml through
`mkdocs.config.load_config`, exactly as a build would (`for_command`).
"""

from __future__ import annotations

import dataclasses
import ipaddress
import os
import re
import subprocess
import urllib.parse
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from mkdocs.config import base
from mkdocs.config import config_options as c
from mkdocs.config.base import ValidationError
from mkdocs.config.defaults import MkDocsConfig

OPTION = "briefing.option"
"""The key of a `Settings` field's metadata that makes it a plugin option (`option`)."""


@dataclass(frozen=True)
class Option:
    """What a plugin option adds to its `Settings` field: its documentation, and what must be
    true of its value (MkDocs' type check, by the default's type, comes first)."""

    doc: str
    """What it sets: the plugin's options table in the README says it (`make docs`)."""
    check: Callable[[Any], str | None] | None = None
    """What is wrong with a value of the right type (MkDocs adds the value), or None."""


def option(doc: str, check: Callable[[Any], str | None] | None = None) -> dict[str, Option]:
    """The metadata of a `Settings` field that is also an option of the plugin in mkdocs.yml,
    of the default's type (a `Path` is text there, a folder relative to mkdocs.yml)."""
    return {OPTION: Option(" ".join(doc.split()), check)}


def counted(value: int) -> str | None:
    """A whole number of at least 1: a list's entries a page, a search part's pages, a budget in
    bytes (zero or less would make no sense of any of them). (The docstrings of these checks
    say, up to the colon, what the options table of the README shows as the option's type.)"""
    return "Expected a whole number of at least 1" if isinstance(value, bool) or value < 1 else None


def tile_address(url: str) -> str | None:
    """An https address with {z}, {x} and {y}, or nothing: the map's tile template (nothing:
    no tiles)."""
    if url and not (
        re.fullmatch(r"https://(?:\{s\}\.)?[A-Za-z0-9.-]+(?::\d+)?/[^\s'\";,]*", url)
        and all(part in url for part in ("{z}", "{x}", "{y}"))
    ):
        return "Expected an https address with {z}, {x} and {y} (or nothing, for no tiles)"
    return None


@dataclass(frozen=True)
class Settings:
    """Everything a build is configured with: the plugin's options (declared with `option`:
    their defaults, checks and documentation) and the few MkDocs settings the pages use."""

    content_dir: Path = field(
        default=Path("content"),
        metadata=option("Folder of the records (events/, actors/, vocabulary.yaml)."),
    )
    templates_dir: Path = field(
        default=Path("templates"), metadata=option("Folder of the page templates.")
    )
    cache_dir: Path = field(
        default=Path(".cache/briefing"),
        metadata=option("Where generated Markdown is written (ignored by git)."),
    )
    timezone: str = field(
        default="Asia/Seoul",
        metadata=option("Default time zone of records' local dates and times."),
    )
    page_size: int = field(
        default=100,
        metadata=option("Entries per page on timeline years, tags and actor involvement.", counted),
    )
    licence: str = field(
        default="CC BY 4.0",
        metadata=option("Licence of the published content and data (shown on the Data page)."),
    )
    pagefind: bool = field(
        default=True,
        metadata=option(
            "Build the Pagefind search index after the site (off only for benchmark baselines)."
        ),
    )
    search_part_pages: int = field(
        default=11_000,
        metadata=option(
            """Pages a part of the search index may hold: a site with more searchable pages
            (briefs and actor profiles) is indexed in parts (`generator.site.parts`), the first
            holding every actor profile and the newest briefs, each older part whole years of
            briefs. A reader's first search downloads the metadata of every page of the first
            part (about 9 bytes a page, compressed): at 11,000 pages, a first search for a
            common word downloads 269 KB.""",
            counted,
        ),
    )
    edit_branch: str = field(
        default="main", metadata=option('Branch that "edit this record" links open.')
    )
    size_budget: int = field(
        default=1_000_000_000,
        metadata=option(
            """Bytes the built site may take, search bundle and data included: the build warns
            at 80% and fails above it (`generator.publish.budget`). GitHub Pages refuses a site
            over 1 GB, the default; another host may allow more.""",
            counted,
        ),
    )
    map_tiles: str = field(
        default="",
        metadata=option(
            """The map's tiles: nothing (the default) for the site's own basemap, Natural
            Earth's coastlines, borders and country names served with the site, so the map
            asks no other host; or an https address with `{z}`, `{x}` and `{y}` (Leaflet's tile
            template) to draw a tile server's tiles instead, such as OpenStreetMap's
            (`https://tile.openstreetmap.org/{z}/{x}/{y}.png`), credited on the map and under it
            to OpenStreetMap's contributors, as their licence asks. The map page's
            Content-Security-Policy then allows images from that host, and no other page's
            does.""",
            tile_address,
        ),
    )
    cms_auth: str = field(
        default="",
        metadata=option(
            """The address of the OAuth helper that signs editors in to the editing form at
            `/admin/` with their GitHub account (Decap CMS's `base_url`; docs/publishing.md says
            how to set one up). Empty: the form offers GitHub's sign-in through Netlify's
            service, which only a site on Netlify can use."""
        ),
    )
    poll: bool = field(
        default=False,
        metadata=option(
            """Under `mkdocs serve`, notice edits by polling every watched file twice a second
            (MkDocs' own way) instead of through the system's file notifications: for folders
            where notifications do not arrive, such as some network and container mounts."""
        ),
    )
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


def options() -> list[tuple[dataclasses.Field[Any], Option]]:
    """The plugin's options, in the order declared: each `Settings` field and its `Option`."""
    return [(f, f.metadata[OPTION]) for f in dataclasses.fields(Settings) if OPTION in f.metadata]


class Declared(c.Type[Any]):
    """A plugin option as `option` declares it: of its default's type, then its `Option.check`
    (MkDocs reports what is wrong in one line, naming the option and the value)."""

    def __init__(self, default: object, check: Callable[[Any], str | None] | None) -> None:
        plain = default.as_posix() if isinstance(default, Path) else default
        super().__init__(type(plain), default=plain)
        self.problem = check

    def run_validation(self, value: object) -> Any:
        checked = super().run_validation(value)
        problem = self.problem(checked) if self.problem is not None else None
        if problem is not None:
            raise ValidationError(f"{problem}, but received: {value!r}")
        return checked


SCHEME: tuple[tuple[str, Declared], ...] = tuple(
    (f.name, Declared(f.default, declared.check)) for f, declared in options()
)
"""The plugin's options in mkdocs.yml (MkDocs' documented ``config_scheme``), from `Settings`."""


def tile_origin(url: str) -> str | None:
    """The origin the tiles of ``url`` (`Settings.map_tiles`) come from, as the
    Content-Security-Policy names it (Leaflet's ``{s}`` subdomains: any one); None: no tiles."""
    if not url:
        return None
    host = url.split("/")[2]
    return "https://" + host.replace("{s}", "*")


def from_mkdocs(config: MkDocsConfig, plugin: base.Config) -> Settings:
    """The settings of a build: the plugin's options (``plugin``, as `SCHEME` reads them; a
    folder relative to mkdocs.yml) and MkDocs' ``config``."""
    root = Path(config.config_file_path or ".").resolve().parent
    chosen = {
        f.name: root / plugin[f.name] if isinstance(f.default, Path) else plugin[f.name]
        for f, _ in options()
    }
    content: Path = chosen["content_dir"]
    return Settings(
        **chosen,
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


def load_settings(config_file: Path, **changes: Any) -> Settings:
    """The settings in ``config_file`` (mkdocs.yml), read as `mkdocs build` reads them, with
    ``changes`` (fields of `Settings`) made."""
    from mkdocs.config import load_config  # (only outside MkDocs)

    config = load_config(str(config_file))
    plugin = config.plugins.get("briefing")
    if plugin is not None:
        return dataclasses.replace(from_mkdocs(config, plugin.config), **changes)
    defaults = base.LegacyConfig(SCHEME)
    defaults.load_dict({})
    defaults.validate()
    return dataclasses.replace(from_mkdocs(config, defaults), **changes)


CONFIG = Path("mkdocs.yml")
"""The site's settings file a command reads when none is named (if there is one)."""


def for_command(config_file: Path | None, **flags: Any) -> Settings:
    """The settings a command works with: those of ``config_file`` (None: `CONFIG`, if there
    is one, else the defaults), then the ``flags`` given on the command line (None: not
    given), so that `briefing check` judges what the build will build."""
    given = {name: value for name, value in flags.items() if value is not None}
    if config_file is None and not CONFIG.is_file():
        return dataclasses.replace(_DEFAULT, **given)
    return load_settings(config_file or CONFIG, **given)


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
