"""One page's Markdown, through the Jinja2 templates in ``templates/``: the template
environment, its filters, and `Renderer.render`.

Python here only gives a template its context; every heading, table and link lives in the
templates (which page gets which template and context is `generator.render.pages`). Plain text from
records is escaped for Markdown on output (``finalize``); only validated record Markdown and
template-built values are marked safe.
"""

from __future__ import annotations

import calendar
import datetime as dt
import functools
import html
import traceback
import zoneinfo
from collections.abc import Sequence
from pathlib import Path
from typing import Any
from urllib.parse import quote

import babel
import jinja2
import yaml
from markupsafe import Markup
from mkdocs.utils.meta import get_data

from generator.content import safe
from generator.content.errors import BriefingError, display_path
from generator.render import embed
from generator.render.page import Page
from generator.settings import Settings
from generator.site import parts
from generator.site.entries import ActorEntry, EventEntry, Site

# Text that is already Markdown (template output, and record text made safe by
# `generator.content.safe`).
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


def _finalize_marked(value: Any) -> Any:
    """`_finalize` for the site's pages: plain text is also marked for the audit that follows
    MkDocs' conversion (`generator.render.embed`)."""
    if isinstance(value, Markup | int | float):
        return value
    if value is None:
        raise ValueError("a template printed None; test for it with {% if %}")
    return Md(embed.mark(safe.escape(value)))


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


def _url_folders(context: Any) -> list[str]:
    """The folders of the URL of the page being rendered (``briefs/<id>/``: briefs, <id>)."""
    path: str = context["path"]
    if context["settings"].directory_urls and not path.endswith("index.md"):
        path = path[: -len(".md")] + "/"
    return path.split("/")[:-1]


def _url_root(context: Any) -> str:
    """The path from the page being rendered to the site root, as its URL sees it."""
    return "../" * len(_url_folders(context))


@jinja2.pass_context
def markdown(context: Any, value: str, shift: int = 0) -> Md:
    """Record Markdown as a block of sanitized HTML (`safe.to_html`); ``shift`` demotes its
    headings (a body's `##` sits under the page's `##`). The page's Markdown holds a placeholder
    on a line of its own; the HTML replaces it once MkDocs has converted the page
    (`generator.render.embed`)."""
    fragment = safe.page_html(safe.to_html(value, shift), _url_root(context), context["site"].moved)
    fragments: embed.Fragments = context["fragments"]
    return Md(fragments.add(fragment, block=True))


@jinja2.pass_context
def cell(context: Any, value: str) -> Md:
    """Record Markdown as sanitized HTML inside a line (table cells, list items): a placeholder,
    as for `markdown`."""
    moved = context["site"].moved
    fragment = safe.page_html(safe.to_html(value, inline=True), _url_root(context), moved)
    fragments: embed.Fragments = context["fragments"]
    return Md(fragments.add(fragment, block=False))


@jinja2.pass_context
def link(context: Any, target: str) -> Md:
    """A generated page (``briefs/<id>.md``, ``timeline/index.md``) as a URL relative to the
    page being rendered, HTML-escaped, for raw HTML and SVG (where MkDocs rewrites no links):
    the shortest, as MkDocs writes them (``../<id>/`` from one brief to another)."""
    if context["settings"].directory_urls:
        target = target.removesuffix(".md").removesuffix("index") + "/"
        target = target.replace("//", "/").lstrip("/")
    else:
        target = target.removesuffix(".md") + ".html"
    here, parts = _url_folders(context), target.split("/")
    shared = 0
    while shared < min(len(here), len(parts) - 1) and here[shared] == parts[shared]:
        shared += 1
    relative = "../" * (len(here) - shared) + "/".join(parts[shared:])
    return Md(html.escape(relative or "./"))


def number(value: float) -> Md:
    """A coordinate to a tenth of a unit, as short as it reads: 6.0 is 6, 139.13 is 139.1."""
    return Md(f"{value:.1f}".removesuffix(".0"))


def trusted(value: str) -> Md:
    """Markdown written by this project (the schema's docstrings), printed as it is."""
    return Md(value)


def url(value: str) -> Md:
    """A checked http(s) URL, made safe inside a Markdown link's parentheses."""
    return Md(quote(value, safe=":/?#[]@!$&'*+,;=%~-._"))


def html_escape(value: Any) -> Md:
    """Plain text inside raw HTML (where Markdown escapes would show)."""
    return Md(html.escape(str(value)))


def html_escape_marked(value: Any) -> Md:
    """`html_escape` for the site's pages: marked for the audit, as `_finalize_marked` does."""
    return Md(embed.mark(html.escape(safe.text(value))))


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


@functools.cache
def country_name(code: str) -> str:
    """A country as readers know it (``KP``: North Korea, ``US``: United States): its name in
    English among the Unicode CLDR's territory names, through Babel, a maintained source that
    pycountry's official names (``Korea, Democratic People's Republic of``) are not meant to
    be; the code itself if CLDR has no name for it."""
    return str(_ENGLISH.territories.get(code.upper(), code))


_ENGLISH = babel.Locale("en")


def month_name(number: int) -> str:
    return calendar.month_name[number]


def month_anchor(year: int, month: int) -> str:
    """The id of a month's heading on its year's page (``june-2024``), which the home page's
    chart links to."""
    return f"{month_name(month).lower()}-{year}"


class FrontMatterError(BriefingError):
    """A page's front matter would not read back as it was written."""


def _present(value: Any) -> Any:
    """``value`` without the keys whose value is None, at every level."""
    if isinstance(value, dict):
        return {k: _present(v) for k, v in value.items() if v is not None}
    if isinstance(value, list | tuple):
        return [_present(v) for v in value]
    return value


def front_matter(values: dict[str, Any]) -> Md:
    """A page's front matter: ``values`` (keys whose value is None left out) written by the YAML
    dumper, then read back by the loader MkDocs reads it with (`mkdocs.utils.meta.get_data`).
    Anything that would not read back as written fails the page (a `FrontMatterError`), rather
    than MkDocs dropping the block silently and converting it as Markdown. (Themes print titles
    and descriptions into HTML unescaped: the plugin escapes them for every page.)"""
    data = _present(values)
    dumped = yaml.dump(
        data, Dumper=_DUMPER, allow_unicode=True, sort_keys=False, width=_WIDTH, indent=2
    )
    text = f"---\n{dumped}---"
    body, read = get_data(text + "\n")
    if read != data or body:
        different = sorted(k for k in data if not isinstance(read, dict) or read.get(k) != data[k])
        raise FrontMatterError(
            "the front matter does not read back as written"
            + (f" (keys: {', '.join(different)})" if different else "")
        )
    return Md(text)


_DUMPER = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
_WIDTH = 1 << 30
"""No folded lines: a value is written on one line, whatever its length."""


def plain(value: str) -> str:
    """Record Markdown reduced to one line of plain text (descriptions and tooltips)."""
    return safe.to_text(value)


def environment(
    templates: Path,
    compiled: jinja2.BytecodeCache | None = None,
    *,
    pages: bool = True,
    marked: bool = True,
) -> jinja2.Environment:
    """The templates under ``templates``, strict about undefined names; for ``pages``, with
    the filters below and plain text escaped for Markdown (``finalize``), else printed as it is
    (the record reference, docs and record skeletons). ``marked``: plain text is also marked for the
    audit after MkDocs' conversion (`generator.render.embed`): the site's pages, not Markdown read
    elsewhere (a pull request's change summary). ``compiled`` keeps compiled templates."""
    marked = pages and marked
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(templates),
        bytecode_cache=compiled,
        undefined=jinja2.StrictUndefined,
        finalize=(_finalize_marked if marked else _finalize) if pages else None,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        autoescape=pages,  # with finalize: plain text gets Markdown escapes, not HTML ones
    )
    if not pages:
        return env
    env.filters.update(
        markdown=markdown,
        trusted=trusted,
        countries=countries,
        country_name=country_name,
        cell=cell,
        url=url,
        plain=plain,
        md=md_escape,
        html=html_escape_marked if marked else html_escape,
        number=number,
    )
    env.globals.update(when=when, source_number=source_number, month_name=month_name, link=link)
    env.globals.update(front_matter=front_matter)
    env.globals.update(month_anchor=month_anchor)
    env.globals.update(search_parts=parts.of_site)  # (the search page: see generator.site.parts)
    return env


def template_error(exc: Exception, page: str) -> Exception:
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


class Compiled(jinja2.BytecodeCache):
    """Compiled templates, kept in memory from one `mkdocs serve` rebuild to the next."""

    def __init__(self) -> None:
        self.code: dict[str, bytes] = {}

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        if bucket.key in self.code:
            bucket.bytecode_from_string(self.code[bucket.key])  # checks the source's checksum

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        self.code[bucket.key] = bucket.bytecode_to_string()


class Renderer:
    """Renders pages of ``site`` (see `generator.render.pages`) with ``settings``."""

    def __init__(
        self, site: Site, settings: Settings, compiled: jinja2.BytecodeCache | None = None
    ) -> None:
        self.site = site
        self.settings = settings
        self.env = environment(settings.templates_dir, compiled)
        self.terms = {
            kind: {t.id: t for t in getattr(site.vocabulary, kind)}
            for kind in ("event_types", "actor_kinds", "statuses", "confidence")
        }
        self.updated = max((e.last_updated for e in site.events), default=None)
        """The newest version date of any event: the hubs' ``lastmod``. (Once per render, not
        once per hub: each hub's template went over every event for it.)"""

    def render(self, page: Page) -> str:
        """The Markdown of ``page``, its record text's fragments at the end
        (`generator.render.embed`); a `BriefingError` naming the template line, or the record, on
        failure."""
        context = dict(page.context() if callable(page.context) else page.context)
        if page.record is not None:
            context["edit_url"] = self.edit_url(page.record)
        fragments = embed.Fragments()
        try:
            text = self.env.get_template(page.template).render(
                root=Md("../" * page.path.count("/")),
                site=self.site,
                settings=self.settings,
                terms=self.terms,
                updated=self.updated,
                path=page.path,
                fragments=fragments,
                **context,
            )
        except FrontMatterError as exc:
            where = display_path(page.record.source) if page.record else "a record it shows"
            raise BriefingError(f"{where}: {exc} (page {page.path})") from None
        except Exception as exc:
            raise template_error(exc, page.path) from exc
        return fragments.attach(text)

    def edit_url(self, entry: EventEntry | ActorEntry) -> str:
        if not self.settings.repo_url:
            return ""
        relative = entry.source.relative_to(self.site.content_dir).as_posix()
        prefix = self.settings.content_prefix.strip("/")
        return f"{self.settings.repo_url}/edit/{self.settings.edit_branch}/{prefix}/{relative}"
