"""Markdown pages from the Site, through the Jinja2 templates in ``templates/``.

Python here only chooses which template renders which page with what context; every heading,
table and link lives in the templates. Plain text from records is escaped for Markdown on output
(``finalize``); only validated record Markdown and template-built values are marked safe.
"""

from __future__ import annotations

import calendar
import datetime as dt
import html
import json
import logging
import math
import os
import re
import signal
import subprocess
import threading
import traceback
import zoneinfo
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import quote

import jinja2
from markupsafe import Markup

from generator import docs, safe
from generator.changes import Unit
from generator.errors import BriefingError, display_path
from generator.link import ActorEntry, EventEntry, Site

log = logging.getLogger("briefing.render")
T = TypeVar("T")


# Text that is already Markdown (template output, and record text made safe by `generator.safe`).
Md = Markup


def md_escape(value: Any) -> Md:
    """Plain text made safe for Markdown (`safe.escape`): shown exactly as written."""
    return Md(safe.escape(value))


def _finalize(value: Any) -> Any:
    """Applied to everything a template prints: plain text is escaped unless marked as Markdown."""
    if isinstance(value, Markup | int | float):
        return value
    if value is None:
        raise ValueError("a template printed None; test for it with {% if %}")
    return md_escape(value)


@dataclass(frozen=True)
class Settings:
    """Site-wide settings (the plugin's options in mkdocs.yml)."""

    site_name: str = "Briefing"
    site_url: str = ""
    """The published address, ending in /."""
    repo_url: str = ""
    edit_branch: str = "main"
    timezone: str = "Asia/Seoul"
    page_size: int = 100
    """Entries per page on timeline years, tags and actor involvement."""
    licence: str = "CC BY 4.0"
    """Licence of the published content and data (shown on the Data page)."""
    content_prefix: str = "content"
    """Path of the content folder inside the repository (for "edit this record" links)."""
    directory_urls: bool = True
    """MkDocs' `use_directory_urls`: pages at ``briefs/x/`` rather than ``briefs/x.html``."""

    @classmethod
    def load(cls, config_file: Path) -> Settings:
        """Read the settings from mkdocs.yml without running MkDocs (for `briefing render`)."""
        from mkdocs.utils.yaml import yaml_load  # reads !ENV like MkDocs does

        with config_file.open(encoding="utf-8") as handle:
            config = yaml_load(handle) or {}
        options: dict[str, Any] = {}
        for plugin in config.get("plugins", []):
            if isinstance(plugin, dict) and "briefing" in plugin:
                options = plugin["briefing"] or {}
        return cls(
            site_name=config.get("site_name", cls.site_name),
            site_url=normal_url(config.get("site_url") or ""),
            repo_url=find_repo_url(config.get("repo_url"), config_file.parent),
            timezone=options.get("timezone", cls.timezone),
            page_size=int(options.get("page_size", cls.page_size)),
            licence=options.get("licence", cls.licence),
            content_prefix=options.get("content_dir", cls.content_prefix),
            directory_urls=bool(config.get("use_directory_urls", cls.directory_urls)),
        )


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


# -- values the templates print --------------------------------------------------------------


def when(event: EventEntry) -> str:
    """``26 June 2024, 05:30 KST (20:30 UTC on 25 June)``; the date alone keeps its precision."""
    record = event.record
    text = record.date.display()
    if record.time is None or not record.date.is_day:
        return text
    hour, minute = (int(part) for part in record.time.split(":"))
    local = dt.datetime.combine(
        record.date.first, dt.time(hour, minute), zoneinfo.ZoneInfo(event.timezone)
    )
    utc = local.astimezone(dt.UTC)
    zone = local.tzname() or event.timezone
    on = "" if utc.date() == local.date() else f" on {utc.day} {utc:%B}"
    about = "about " if record.time_approximate else ""
    return f"{text}, {about}{local:%H:%M} {zone} ({utc:%H:%M} UTC{on})"


def _url_root(context: Any) -> str:
    """The path from the page being rendered to the site root, as its URL sees it."""
    path: str = context["path"]
    if context["settings"].directory_urls and not path.endswith("index.md"):
        path = path[: -len(".md")] + "/"
    return "../" * path.count("/")


@jinja2.pass_context
def markdown(context: Any, value: str, shift: int = 0) -> Md:
    """Record Markdown as a block of sanitized HTML (`safe.to_html`); ``shift`` demotes its
    headings (a body's `##` sits under the page's `##`)."""
    fragment = safe.page_html(safe.to_html(value, shift), _url_root(context))
    return Md(f'<div class="record-text">{fragment}</div>')


@jinja2.pass_context
def cell(context: Any, value: str) -> Md:
    """Record Markdown as sanitized HTML on one line (table cells, list items)."""
    return Md(safe.page_html(safe.to_html(value, inline=True), _url_root(context)))


def trusted(value: str) -> Md:
    """Markdown written by this project (the schema's docstrings), printed as it is."""
    return Md(value)


def url(value: str) -> Md:
    """A checked http(s) URL, made safe inside a Markdown link's parentheses."""
    return Md(quote(value, safe=":/?#[]@!$&'*+,;=%~-._"))


def html_escape(value: Any) -> Md:
    """Plain text inside raw HTML (where Markdown escapes would show)."""
    return Md(html.escape(str(value)))


def source_number(sources: Sequence[Any], key: str) -> int:
    """The 1-based number of the source with ``key`` (sources are listed numbered)."""
    return next(i for i, source in enumerate(sources, 1) if source.key == key)


def countries(event: EventEntry) -> list[str]:
    """Countries an event concerns: where it happened and the involved actors' countries."""
    found = (
        {event.record.location.country}
        if event.record.location and event.record.location.country
        else set()
    )
    found |= {i.actor.record.country for i in event.actors if i.actor.record.country}
    return sorted(found)


def month_name(number: int) -> str:
    return calendar.month_name[number]


def meta(value: str) -> Md:
    """A front-matter value (title, description): a quoted YAML string. (Themes print titles
    and descriptions into HTML unescaped: the plugin escapes them for every page.)"""
    return Md(json.dumps(str(value), ensure_ascii=False))


def plain(value: str) -> str:
    """Record Markdown reduced to one line of plain text (descriptions and tooltips)."""
    return safe.to_text(value)


@dataclass(frozen=True)
class Pager:
    """One page of a long list: the items and links to the other pages."""

    items: Sequence[Any]
    number: int
    count: int
    base: str
    """Path of page 1 without .md, e.g. ``timeline/2024``."""

    def path(self, number: int) -> str:
        return f"{self.base}.md" if number == 1 else f"{self.base}/page/{number}.md"


def paginate(items: Sequence[T], base: str, size: int) -> list[Pager]:
    count = max(1, math.ceil(len(items) / size))
    return [Pager(items[(n - 1) * size : n * size], n, count, base) for n in range(1, count + 1)]


# -- pages -----------------------------------------------------------------------------------


PALETTE = 10
"""Number of series colours in briefing.css (.chart-type-0 … 9)."""


@dataclass(frozen=True)
class Chart:
    """Events per month by type, laid out for the SVG template."""

    months: list[str]
    types: list[tuple[str, str, int]]
    """(id, label, palette index)."""
    bars: list[list[tuple[int, str, int, float, float]]]
    """Per month: (palette index, type label, count, y, height) stacked bottom-up."""
    peak: int
    width: int
    height: int
    bar: float


def chart(site: Site, months: int = 24) -> Chart | None:
    # site.events is sorted by first day: the chart reads the newest events only.
    dated = [e for e in site.events if e.record.date.precision != "year"]
    if not dated:
        return None
    first, last = dated[0].record.date.first, dated[-1].record.date.first
    span = (last.year - first.year) * 12 + last.month - first.month + 1
    keys: list[tuple[int, int]] = []
    year, month = last.year, last.month
    for _ in range(min(months, max(span, 6))):
        keys.append((year, month))
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    keys.reverse()
    counts: dict[tuple[int, int], Counter[str]] = {k: Counter() for k in keys}
    for event in reversed(dated):
        start = event.record.date.first
        if (start.year, start.month) < keys[0]:
            break
        counts[(start.year, start.month)][event.record.type] += 1
    used = [t for t in site.vocabulary.event_types if any(c[t.id] for c in counts.values())]
    peak = max([sum(c.values()) for c in counts.values()] + [1])
    width, height, plot = 720, 240, 200
    bar = width / len(keys)
    bars = []
    for key in keys:
        stack, y = [], float(plot)
        for index, t in enumerate(used):
            n = counts[key][t.id]
            if n:
                h = plot * n / peak
                y -= h
                stack.append((index % PALETTE, t.label, n, round(y, 2), round(h, 2)))
        bars.append(stack)
    return Chart(
        months=[f"{dt.date(y, m, 1):%b %Y}" for y, m in keys],
        types=[(t.id, t.label, i % PALETTE) for i, t in enumerate(used)],
        bars=bars,
        peak=peak,
        width=width,
        height=height,
        bar=round(bar, 2),
    )


def _years(events: Iterable[EventEntry]) -> dict[int, list[EventEntry]]:
    years: dict[int, list[EventEntry]] = {}
    for event in events:
        years.setdefault(event.record.date.start.year, []).append(event)
    return years


def _environment(templates: Path, compiled: jinja2.BytecodeCache | None) -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(templates),
        bytecode_cache=compiled,
        undefined=jinja2.StrictUndefined,
        finalize=_finalize,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        autoescape=True,  # with finalize: plain text gets Markdown escapes, not HTML ones
    )
    env.filters.update(
        markdown=markdown,
        trusted=trusted,
        countries=countries,
        cell=cell,
        url=url,
        meta=meta,
        plain=plain,
        md=md_escape,
        html=html_escape,
    )
    env.globals.update(when=when, source_number=source_number, month_name=month_name)
    return env


def _template_error(exc: Exception, page: str) -> Exception:
    """A `BriefingError` naming the template line where rendering ``page`` failed (an error in a
    filter the template called included); ``exc`` itself when no template is on its traceback."""
    if isinstance(exc, jinja2.TemplateSyntaxError) and exc.filename:
        where: tuple[str, int | None] = (exc.filename, exc.lineno)
    else:
        frames = traceback.extract_tb(exc.__traceback__)
        lines = [(f.filename, f.lineno) for f in frames if f.filename.endswith(".j2")]
        if not lines:
            return exc
        where = lines[-1]
    message = exc.message if isinstance(exc, jinja2.TemplateSyntaxError) else str(exc)
    file = display_path(Path(where[0]))
    return BriefingError(f"{file}:{where[1]}: {type(exc).__name__}: {message} (page {page})")


@dataclass(frozen=True)
class Rendered:
    pages: dict[str, str]
    """Text of the pages rendered, by path (relative, ``.md``)."""
    paths: list[str]
    """Every page of the site, rendered this time or not."""


class _Renderer:
    def __init__(
        self,
        site: Site,
        settings: Settings,
        templates: Path,
        units: set[Unit] | None,
        compiled: jinja2.BytecodeCache | None,
        emit: Callable[[str, str], None] | None = None,
        listing: bool = False,
    ) -> None:
        self.site = site
        self.listing = listing  # only list the paths, render nothing
        self.settings = settings
        self.env = _environment(templates, compiled)
        self.units = units
        self.narrowed = {u[:2] for u in units or () if len(u) > 2}
        self.pages: dict[str, str] = {}
        self.paths: list[str] = []
        self.emit = self.pages.__setitem__ if emit is None else emit
        """Called with each page rendered: path and text."""
        self.terms = {
            kind: {t.id: t for t in getattr(site.vocabulary, kind)}
            for kind in ("event_types", "actor_kinds", "statuses", "confidence")
        }

    def page(
        self,
        path: str,
        template: str,
        unit: Unit | None = None,
        events: Iterable[str] | None = (),
        record: EventEntry | ActorEntry | None = None,
        **context: Any,
    ) -> None:
        """Render one page, unless it belongs to a ``unit`` that is not wanted this time.

        ``events``: the ids of the events the page lists, for a unit narrowed to some events
        (see `generator.changes`); None if the page shows something of every event of the unit.
        ``record``: the entry whose file the page's "edit" link opens.
        """
        self.paths.append(path)
        if self.listing:
            return
        if unit is not None and self.units is not None and not self._wanted(unit, events):
            return
        if record is not None:
            context["edit_url"] = self.edit_url(record)
        depth = path.count("/")
        root = Md("../" * depth)
        try:
            text = self.env.get_template(template).render(
                root=root,
                site=self.site,
                settings=self.settings,
                terms=self.terms,
                path=path,
                **context,
            )
        except Exception as exc:
            raise _template_error(exc, path) from exc
        self.emit(path, text)

    def _wanted(self, unit: Unit, events: Iterable[str] | None) -> bool:
        assert self.units is not None
        if unit in self.units:
            return True
        if events is None:
            return unit in self.narrowed
        return any((*unit, event) in self.units for event in events)

    def edit_url(self, entry: EventEntry | ActorEntry) -> str:
        if not self.settings.repo_url:
            return ""
        relative = entry.source.relative_to(self.site.content_dir).as_posix()
        prefix = self.settings.content_prefix.strip("/")
        return f"{self.settings.repo_url}/edit/{self.settings.edit_branch}/{prefix}/{relative}"

    def run(self) -> Rendered:
        site, size = self.site, self.settings.page_size
        newest = list(reversed(site.events))
        years = _years(newest)
        for event in site.events:
            self.page(
                f"briefs/{event.id}.md",
                "brief.md.j2",
                ("brief", event.id),
                event=event,
                record=event,
            )
        for actor in site.actors:
            for pager in paginate(actor.involvement, f"actors/{actor.id}", size):
                self.page(
                    pager.path(pager.number),
                    "actor.md.j2",
                    ("actor", actor.id),
                    # the first page also shows the claims and the actors alongside
                    None if pager.number == 1 else (i.event.id for i in pager.items),
                    actor=actor,
                    pager=pager,
                    record=actor,
                )
        kinds = [
            (k, [a for a in site.actors if a.record.kind == k.id])
            for k in site.vocabulary.actor_kinds
        ]
        self.page("actors/index.md", "actors.md.j2", kinds=[(k, a) for k, a in kinds if a])
        self.page("timeline/index.md", "timeline.md.j2", years=years)
        for year, events in years.items():
            for pager in paginate(list(reversed(events)), f"timeline/{year}", size):
                self.page(
                    pager.path(pager.number),
                    "timeline_year.md.j2",
                    ("year", str(year)),
                    (e.id for e in pager.items),
                    year=year,
                    pager=pager,
                )
        self.page("briefs/index.md", "briefs.md.j2", years=years, latest=newest[:20])
        self.page("tags/index.md", "tags.md.j2")
        self.page("search.md", "search.md.j2")
        for tag, events in site.tags.items():
            for pager in paginate(events, f"tags/{tag}", size):
                self.page(
                    pager.path(pager.number),
                    "tag.md.j2",
                    ("tag", tag),
                    (e.id for e in pager.items),
                    tag=tag,
                    pager=pager,
                )
        models = [
            {"name": m.__name__, "doc": m.__doc__ or "", "rows": docs.rows(m)} for m in docs.MODELS
        ]
        self.page("data.md", "data.md.j2", models=models)
        self.page(
            "map.md",
            "map.md.j2",
            types=[
                t
                for t in site.vocabulary.event_types
                if any(e.record.type == t.id for e in site.events)
            ],
            years=sorted({e.record.date.start.year for e in site.events}, reverse=True),
        )
        developing = [e for e in newest if e.record.status == "developing"][:10]
        self.page(
            "index.md", "home.md.j2", latest=newest[:10], developing=developing, chart=chart(site)
        )
        return Rendered(self.pages, self.paths)


def render_pages(
    site: Site,
    settings: Settings,
    templates: Path,
    units: set[Unit] | None = None,
    compiled: jinja2.BytecodeCache | None = None,
) -> Rendered:
    """The site's pages; with ``units`` (see `generator.changes`), only hubs and those units.

    ``compiled`` keeps the templates' compiled code between calls (`mkdocs serve`).
    """
    return _Renderer(site, settings, templates, units, compiled).run()


def page_paths(site: Site, settings: Settings) -> list[str]:
    """Every page the site generates (relative, ``.md``), none rendered."""
    return _Renderer(site, settings, Path("."), None, None, listing=True).run().paths


def render_site(
    site: Site, settings: Settings, templates: Path = Path("templates")
) -> dict[str, str]:
    """Every generated page: path (relative, ``.md``) -> Markdown text."""
    return render_pages(site, settings, templates).pages


def write_pages(pages: dict[str, str], out: Path, *, complete: bool = True) -> set[str]:
    """Write ``pages`` under ``out``: rewrite a file only when its text changed.

    Unchanged files keep their modification time, so `mkdocs serve --dirty` skips them. When
    ``pages`` is the ``complete`` site, other files under ``out`` are removed. Returns the
    paths written.
    """
    out.mkdir(parents=True, exist_ok=True)
    written = {rel for rel, text in pages.items() if _write(out / rel, text)}
    if complete:
        _keep_only(pages, out)
    return written


def _write(path: Path, text: str) -> bool:
    """Write ``text`` to ``path`` unless the file holds it already; True if written."""
    data = text.encode("utf-8")
    try:
        if path.read_bytes() == data:
            return False
    except FileNotFoundError:
        path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return True


def _keep_only(paths: Iterable[str], out: Path) -> None:
    """Remove the pages under ``out`` that are not in ``paths``, and the folders left empty."""
    wanted = {out / rel for rel in paths}
    for path in sorted(out.rglob("*.md")):
        if path not in wanted:
            path.unlink()
    for folder in sorted((p for p in out.rglob("*") if p.is_dir()), key=lambda p: -len(p.parts)):
        if not any(folder.iterdir()):
            folder.rmdir()


@dataclass(frozen=True)
class Written:
    rendered: int
    """How many pages were rendered."""
    written: set[str]
    """The paths of the pages whose files changed."""


def can_fork() -> bool:
    """Whether `Background` may be used: os.fork exists and no other thread runs."""
    return hasattr(os, "fork") and threading.active_count() == 1


class Background:
    """Every page of the site, rendered and written under ``out`` by a forked child process.

    The child writes the pages in the order of `paths` (the order MkDocs reads them in) and
    reports each one on a pipe. MkDocs converts a page in about ten times the time it takes to
    render, so, with rendering on the other core, a build waits for the first page only.
    `ready` blocks until a page is on disk; `finish` waits for the rest. Only where `can_fork`.
    """

    def __init__(
        self,
        site: Site,
        settings: Settings,
        templates: Path,
        out: Path,
        then: Callable[[], None] | None = None,
    ) -> None:
        """``then``: more work for the child, done after the pages are written."""
        self.paths = _Renderer(site, settings, templates, None, None, listing=True).run().paths
        self.order = {path: number for number, path in enumerate(self.paths)}
        self.done = 0  # pages on disk, in order
        self.summary: dict[str, Any] | None = None
        out.mkdir(parents=True, exist_ok=True)
        read, write = os.pipe()
        self.child = os.fork()
        if self.child == 0:
            os.close(read)
            _render_and_report(site, settings, templates, out, write, then)
        os.close(write)
        self.pipe = os.fdopen(read, encoding="utf-8")

    def ready(self, path: str) -> None:
        """Return once page ``path`` is written (at once for a path that is not generated)."""
        number = self.order.get(path)
        while number is not None and self.done <= number and self.summary is None:
            self._read()

    def finish(self) -> Written:
        """Wait for every page and for the child; what was rendered and written."""
        while self.summary is None:
            self._read()
        self.stop()
        return Written(self.summary["rendered"], set(self.summary["written"]))

    def stop(self) -> None:
        """End the child (done, or the build failed) and close the pipe."""
        if self.child:
            if self.summary is None:
                os.kill(self.child, signal.SIGKILL)
            os.waitpid(self.child, 0)
            self.child = 0
        self.pipe.close()

    def _read(self) -> None:
        line = self.pipe.readline()
        kind, _, rest = line.partition(" ")
        if kind == "page\n":
            self.done += 1
        elif kind == "done":
            self.summary = json.loads(rest)
        else:
            self.stop()
            problem = json.loads(rest) if kind == "error" else "the process stopped"
            raise BriefingError(f"rendering failed: {problem}")


def _render_and_report(
    site: Site,
    settings: Settings,
    templates: Path,
    out: Path,
    fd: int,
    then: Callable[[], None] | None,
) -> None:
    """The child of `Background`: render and write every page, report each on ``fd``, run
    ``then``; exit."""
    status = 1
    try:
        with os.fdopen(fd, "w", encoding="utf-8", buffering=1) as pipe:  # a flush every line
            try:
                written: list[str] = []

                def emit(path: str, text: str) -> None:
                    if _write(out / path, text):
                        written.append(path)
                    pipe.write("page\n")

                renderer = _Renderer(site, settings, templates, None, None, emit)
                paths = renderer.run().paths
                _keep_only(paths, out)
                if then is not None:
                    then()
                pipe.write(f"done {json.dumps({'rendered': len(paths), 'written': written})}\n")
                status = 0
            except BriefingError as exc:  # (a template's error, with its position)
                pipe.write(f"error {json.dumps(str(exc))}\n")
            except Exception:
                pipe.write(f"error {json.dumps(traceback.format_exc())}\n")
    finally:
        os._exit(status)


def cached_paths(out: Path) -> frozenset[str]:
    """The pages written under ``out`` (by an earlier build)."""
    return frozenset(p.relative_to(out).as_posix() for p in out.rglob("*.md"))


def remove_pages(paths: Iterable[str], out: Path) -> None:
    """Delete the generated pages ``paths`` (of removed records) under ``out``."""
    for rel in paths:
        (out / rel).unlink(missing_ok=True)
