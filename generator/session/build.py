"""The build, top to bottom. One build of the site goes:

1. **check**: read, validate and cross-reference the records into one `Site`
   (`generator.site.link.build_site`), and make sure no generated page takes the address of a
   hand-written one (from the pages' paths in the plan of step 3, `generator.render.pages.plan`);
2. **what changed**: under `mkdocs serve`, after an edit of records only, the units of pages
   the edit can change (`generator.site.changes`); otherwise every page;
3. **which pages**: every page planned with what its template gets (`generator.render.pages.plan`),
   and of them, those to render;
4. **render**: every page in the background (`generator.speed.background`, a forked child that
   renders while MkDocs reads the pages it wrote), or the chosen pages in-process
   (`generator.render.jinja`);
5. **write**: the Markdown to the cache folder, a file only when its text changed
   (`generator.render.output`); after a dirty rebuild, the pages no longer generated are removed;
6. **publish**: once MkDocs has built the HTML, the open data and feeds
(`generator.publish.exports`,
   `generator.publish.feeds`), the old addresses of renamed records (`generator.publish.redirects`),
   the sitemap of the pages MkDocs built (`generator.publish.sitemap`), and the search index
   (`generator.publish.search`, fed each page as MkDocs builds it: in a build, by the page writer,
   a forked child that also minifies and writes each page, `generator.speed.pagewriter`, so that
   MkDocs' process only sends it). Drafts are in none of
   it, except under `mkdocs serve` (`Builder.drafts`). Under `mkdocs serve --dirty`, after an
   edit, the open data and feeds are written just after MkDocs shows the new pages
   (`Builder._publish_later`), unless the next edit comes first (`Builder.wait`).

`Builder` runs these steps and owns everything kept between `mkdocs serve` rebuilds. The
MkDocs plugin (`generator.adapter.plugin`) only turns MkDocs' events into `Builder` calls; the
`briefing check` and `briefing render` commands use `Builder` without MkDocs.
"""

from __future__ import annotations

import functools
import json
import logging
import shutil
import threading
import time
from collections.abc import Callable, Mapping, Sequence, Set
from dataclasses import dataclass, field
from pathlib import Path

from pydantic import BaseModel

from generator.content import safe
from generator.content.errors import BriefingError, ContentError, ContentErrors, display_path, warn
from generator.content.records import RecordCache
from generator.publish import (
    budget,
    cards,
    exports,
    feeds,
    minify,
    redirects,
    search,
    sitemap,
    words,
)
from generator.render import embed, output, pages, timeline
from generator.render.jinja import Compiled, Renderer, environment
from generator.render.page import Page
from generator.settings import Settings
from generator.site import addresses, changes, pagefiles, parts, relink
from generator.site.entries import Site
from generator.site.link import build_site
from generator.speed import tuning
from generator.speed.background import Background, can_fork
from generator.speed.pagewriter import PageWriter
from generator.speed.tuning import Collector

log = logging.getLogger("mkdocs.plugins.briefing.build")  # (MkDocs shows its loggers only)

ERRORS = "briefing-errors.json"
"""Under `mkdocs serve`: the content's errors, a JSON list of lines, empty when there are none
(the script on every page asks for it: a missing file was a 404 in the browser's console and a
warning in the server's terminal on each page load)."""

WRITTEN: tuple[str, ...] = (
    *exports.WRITES,
    *timeline.WRITES,
    *feeds.WRITES,
    *cards.WRITES,
    *sitemap.WRITES,
    *words.WRITES,
    f"{parts.FIRST}/",
    ERRORS,
)
"""Every path of the site the generator writes, besides its pages: files, and folders (ending in
``/``), each declared by the module that writes there. No file of ``content/pages/`` may land on
one (`generator.site.pagefiles`). The old addresses of renamed records are the one exception: they
are checked as the pages they are (`redirects.sources`). `Builder._write` refuses any other
path, so a new kind of file is declared here before it can be written."""


@dataclass(frozen=True)
class Rendered:
    pages: dict[str, str]
    """Text of the pages rendered, by path (relative, ``.md``)."""
    paths: list[str]
    """Every page of the site, rendered this time or not."""


def render_pages(
    site: Site,
    settings: Settings,
    units: set[changes.Unit] | None = None,
    compiled: Compiled | None = None,
    planned: Sequence[Page] | None = None,
) -> Rendered:
    """The site's pages; with ``units`` (see `generator.site.changes`), only hubs and those units.

    ``compiled`` keeps the templates' compiled code between calls (`mkdocs serve`).
    """
    planned = pages.plan(site, settings.page_size) if planned is None else planned
    renderer, wanted = Renderer(site, settings, compiled), changes.Wanted(units)
    rendered = {p.path: renderer.render(p) for p in planned if wanted(p.unit, p.events)}
    return Rendered(rendered, pages.paths(planned))


def _all(
    units: set[changes.Unit] | None, more: set[changes.Unit] | None
) -> set[changes.Unit] | None:
    """Both sets of units (None: every page)."""
    return None if units is None or more is None else units | more


def _page_template(name: str) -> bool:
    """Pages' templates, and the partials they include (not the docs' or the records')."""
    return name.startswith("partials/") or ("/" not in name and name.endswith(".md.j2"))


def _write(out: Path, files: Mapping[str, str | bytes], moved: Set[str] = frozenset()) -> None:
    """Published files written under ``out``, each on a path declared in `WRITTEN` (or the old
    address of a renamed record, ``moved``): anything else would be a path no check keeps
    hand-written files off."""
    stray = [rel for rel in files if rel not in moved and pagefiles.within(rel, WRITTEN) is None]
    if stray:
        raise BriefingError(f"the generator wrote {stray[0]}, which WRITTEN does not declare")
    output.write_files(out, files)


def render_site(site: Site, settings: Settings) -> dict[str, str]:
    """Every generated page: path (relative, ``.md``) -> Markdown text."""
    return render_pages(site, settings).pages


@dataclass(frozen=True)
class Listing:
    """The generated pages MkDocs is to know of, in the order it reads them."""

    paths: Sequence[str]
    built: frozenset[str] | set[str]
    """Those it builds; the others' HTML is current (they are link targets only)."""


@dataclass(eq=False)
class Run:
    """One build, from reading the records to the search index."""

    site_dir: Path
    site: Site | None = None
    whole: bool = True
    """Every page is written (not a dirty rebuild into a built site)."""
    background: Background | None = None
    indexer: search.PartedIndexer | None = None
    writer: PageWriter | None = None
    """The child writing the built pages (and making the search index), in a build."""
    indexed: bool = False
    """The writer made the search index."""
    published: bool = False
    """The open data and feeds are written (by the background child, say)."""
    staged: Path | None = None
    """The folder where the background child wrote them, to move into the site (`finish`)."""
    removed: bool = False
    """Pages no longer generated were removed from the site."""
    pages: Sequence[sitemap.Url] | None = None
    """The pages MkDocs builds, for the sitemap (once it has read them)."""
    failed: bool = False
    """The content has errors: the last good site is served."""
    parts: list[parts.Part] | None = None
    """The parts of the search index, planned from this build's records."""
    written: set[str] = field(default_factory=set)
    unwarmed: list[Page] | None = None
    """Serving, when the child rendered every page: the plan, for `Builder._warm`."""


class Builder:
    """The pipeline, and what `mkdocs serve` keeps between rebuilds."""

    def __init__(
        self,
        settings: Settings | None = None,
        *,
        serving: bool = False,
        dirty: bool = False,
        drafts: bool | None = None,
    ) -> None:
        self.settings = settings or Settings()
        """Replaced before each build (MkDocs reads mkdocs.yml again for each)."""
        self.serving, self.dirty = serving, dirty
        self.drafts = serving if drafts is None else drafts
        """Draft records are in the Site (with a "draft" banner): under serve, never in a build."""
        self.records = RecordCache() if serving else None  # (of use from the first edit on)
        self.compiled = Compiled()
        self.hubs = pages.Hubs() if serving else None
        """Serving: what the hubs show of every event, kept while it is unchanged."""
        self.exported = exports.Memo()
        self.rows = timeline.Rows()
        self.words = words.Tally()
        """The words of each record, for the search page's suggestions
        (`generator.publish.words`)."""
        self.collector = Collector(serving)
        self.last: changes.Generated | None = None
        """Serving: the last good build (what the cache folder holds)."""
        self.built = False
        """Serving: the last build went through, so the HTML matches the cached Markdown."""
        self.search_copy: Path | None = None
        """Serving: the search index of the first build, kept for the rebuilds."""
        self.run = Run(Path("."))
        self.writer: PageWriter | None = None
        """In a build, the page writer, from the build's start (`prepare`) until `start`."""
        self.edit: changes.Before | None = None
        """Serving: the edit this build patched into the last Site (`_site`), until its units
        are known."""
        self.owed: set[changes.Unit] | None = set()
        """Serving: units a failed build did not write, after it patched the last Site (None:
        every page); the next build renders them too."""
        self.publishing: threading.Thread | None = None
        """Serving: the thread writing the last build's open data and feeds (`_publish_later`)."""
        self.halt = threading.Event()
        """Set when a new build starts while `publishing` runs: it stops before its next kind of
        file (`_publish`)."""
        self.unpublished = False
        """Serving: the last build's open data and feeds were left unwritten (see `wait`)."""
        self.theme = pagefiles.Theme(lambda: None)
        """The theme, whose files no hand-written file may replace (set by the caller)."""
        self.refused: set[str] = set()
        """The hand-written files the last check refused (relative paths)."""

    # -- the steps --------------------------------------------------------------------------

    def check(self, handwritten: dict[str, str]) -> Site:
        """Step 1: the Site; hand-written pages (source path -> path shown) must keep their
        addresses."""
        return self._checked(handwritten)[0]

    def _checked(self, handwritten: dict[str, str]) -> tuple[Site, list[Page]]:
        """`check`, with the plan of the site's pages (step 3 uses it too).

        Without the cyclic garbage collector (`tuning.kept`): every object made here lives on,
        and a collector turned back on after reading the records went over them all three times
        (as they aged through its generations) while the plan was made: 1.2 s of a 4.4 s check
        at 10,000 events. (Under serve the collector is off already: see `tuning.Collector`.)"""
        urls = self.settings.directory_urls
        # (First, so that the files refused are known even when the records have errors.)
        files = pagefiles.problems(handwritten, self.theme, WRITTEN, urls)
        self.refused = set()
        self._refuse(handwritten, files)
        try:
            with tuning.kept():
                site = self._site()
                planned = pages.plan(site, self.settings.page_size, self.hubs)
        except ContentErrors as exc:
            raise ContentErrors([*exc.errors, *files]) from None
        generated = [*pages.paths(planned), *redirects.sources(site)]
        found = addresses.clashes(generated, handwritten, urls)
        self._refuse(handwritten, found)
        if found or files:
            raise ContentErrors([*found, *files])
        return site, planned

    def _refuse(self, handwritten: dict[str, str], errors: list[ContentError]) -> None:
        """Add the hand-written files ``errors`` are about to `refused`."""
        shown = {error.path for error in errors}
        self.refused |= {rel for rel, path in handwritten.items() if path in shown}

    def prepare(self, site_dir: Path) -> None:
        """A build starts, before MkDocs reads anything: in a build (not serve), the page
        writer is forked now, while this process holds little (`generator.speed.pagewriter`)."""
        if not self.serving and can_fork():
            self.writer = PageWriter(site_dir)

    def _site(self) -> Site:
        """The records read, checked and cross-referenced. Under `mkdocs serve --dirty`, after
        the first build, the last Site is patched when the edit allows it (`generator.site.relink`):
        the edit's units are then noted in `edit`, for `_units`."""
        options, last, self.edit = self.settings, self.last, None
        if self.records is None or not self.dirty or last is None or last.settings != options:
            return build_site(
                options.content_dir,
                timezone=options.timezone,
                cache=self.records,
                drafts=self.drafts,
            )
        site, self.edit = relink.site(
            last.site, options.content_dir, options.timezone, self.records, self.drafts
        )
        return site

    def _units(self, site: Site, templates: changes.Stamp) -> set[changes.Unit] | None:
        """Step 2: the units of pages to render (None: all), and those a failed build owed."""
        if self.edit is None:
            units = changes.since(self.last, site, self.settings, templates)
        else:  # (the last Site was patched into ``site``: `since` would find nothing changed)
            assert self.last is not None
            same = self.last.settings == self.settings and self.last.templates == templates
            units = self.edit.units(site) if same else None
        return _all(units, self.owed)

    def _owe(self) -> None:
        """The build failed after the last Site was patched: the cache folder still holds the
        pages of the Site before the edit, so the next build renders the edit's units too (it
        will compare what it reads with the patched Site)."""
        if self.edit is not None and self.last is not None:
            self.owed = _all(self.edit.units(self.last.site), self.owed)
            self.edit = None

    def start(self, site_dir: Path, handwritten: dict[str, str], nav: set[str] | None) -> Listing:
        """Steps 1 to 5, before MkDocs reads the pages; ``nav``: the pages in the nav setting.
        Serving, when the content has errors: the last good site (see `_last_good`)."""
        self.wait(abandon=True)
        built, self.built = self.built, False
        self.collector.build_starts()
        self.run = run = Run(site_dir)
        run.writer, self.writer = self.writer, None
        try:
            site, planned = self._checked(handwritten)
        except BriefingError as exc:
            if not self.serving or self.last is None:
                raise
            self._owe()
            return self._last_good(exc, nav)
        except Exception:
            self._owe()
            raise
        run.site = site
        run.parts = parts.of_site(site, self.settings)  # (kept: the records may be let go)
        templates = changes.stamp(self.settings.templates_dir)
        # Owed until written: a failure on the way leaves the cache folder as it was.
        units = self.owed = self._units(site, templates)
        self.edit = None
        # MkDocs builds every page unless dirty, and a dirty build into an empty folder too (the
        # first build of `mkdocs serve`). A dirty build compares each page's file with its HTML
        # before reading it, so pages there must be written before MkDocs starts.
        run.whole = not self.dirty or not any(site_dir.glob("*"))
        last = frozenset() if run.whole else self._last_paths()
        if units is None and run.whole and can_fork():
            self._render_in_background(site, planned)
        else:
            self._render_here(site, planned, units)
        self.owed = set()
        order = pages.paths(planned)
        paths = frozenset(order)
        if gone := last - paths:
            self._remove(gone)
        if self.serving:
            self.last = changes.Generated(site, self.settings, templates, paths)
        if run.site is not None:
            self.collector.records_read()
        else:  # (the records are let go: see _render_in_background)
            site.unlink()
        listed = run.written | nav if built and nav is not None else paths
        return Listing(order, listed)

    def _render_in_background(self, site: Site, planned: list[Page]) -> None:
        """Steps 4 and 5 for every page, on the other core while MkDocs reads them.

        A build (not serve, which keeps what it exported for the next edit) has the child
        write the open data and feeds too, into a folder of their own (`_staged`), moved into
        the site once MkDocs has written its files (`finish`), so that none of those replaces
        one of the generator's; this process then lets its own copy of the records go: the
        child has everything it needs, and MkDocs' pages take the room instead (about a fifth
        of the build's peak memory)."""
        staged = self._staged()
        shutil.rmtree(staged, ignore_errors=True)
        publish = None if self.serving else functools.partial(self._publish, site, None, staged)
        self.run.background = Background(site, self.settings, publish, planned)
        self.run.published = publish is not None
        self.run.staged = staged if publish is not None else None
        self.run.written = set(pages.paths(planned))
        if publish is not None:
            self.run.site = None
        else:
            self.run.unwarmed = planned

    def _staged(self) -> Path:
        """Where the rendering child writes the open data and feeds (beside the cache folder)."""
        cache = self.settings.cache_dir
        return cache.with_name(cache.name + "-published")

    def _render_here(
        self, site: Site, planned: list[Page], units: set[changes.Unit] | None
    ) -> None:
        """Steps 4 and 5 for the pages of ``units`` (None: all), in this process."""
        out = render_pages(site, self.settings, units, self.compiled, planned)
        cache = self.settings.cache_dir
        self.run.written = output.write_pages(out.pages, cache, complete=units is None)
        log.info(
            "briefing: %d pages, %d rendered, %d changed",
            len(planned),
            len(out.pages),
            len(self.run.written),
        )

    def _last_paths(self) -> frozenset[str]:
        """The pages the last build generated: what serve kept, else what the cache holds."""
        if self.last is not None:
            return self.last.paths
        return output.cached_paths(self.settings.cache_dir)

    def _remove(self, gone: frozenset[str]) -> None:
        """A dirty build keeps the site folder: the HTML of pages no longer generated (a deleted
        record, a tag no brief carries now) would stay, and be indexed."""
        output.remove_pages(gone, self.settings.cache_dir)
        site_dir, directory_urls = self.run.site_dir, self.settings.directory_urls
        count = addresses.remove_html(gone, site_dir, directory_urls)
        log.info("briefing: %d pages no longer generated, removed from the site", count)
        self.run.removed = True

    def _last_good(self, exc: BriefingError, nav: set[str] | None) -> Listing:
        """Serving, when the content has errors: the last good site, and the errors for the
        browser.

        MkDocs' server holds every page request until a rebuild succeeds (its `LiveReloadServer`
        waits for the site it started building), so a failed rebuild left the browser waiting
        until the next good save. This rebuild succeeds instead, with the pages of the last good
        build (their Markdown is still in the cache folder), and writes the errors, one
        ``path:line:col: field: message`` each, to `ERRORS` in the site folder. A script on
        every page under serve (see `generator.adapter.plugin`) shows them over the page, as text;
        MkDocs' livereload reloads the pages after each rebuild, and the next good build
        empties the list. Nothing of MkDocs' is patched.
        """
        assert self.last is not None
        problems = exc.errors if isinstance(exc, ContentErrors) else [exc]
        lines = [str(problem) for problem in problems]
        log.error("briefing: content errors; serving the last good site:\n%s", "\n".join(lines))
        run = self.run
        run.failed, run.site = True, self.last.site
        run.parts = parts.of_site(run.site, self.settings)
        run.site_dir.mkdir(parents=True, exist_ok=True)
        (run.site_dir / ERRORS).write_text(json.dumps(lines, ensure_ascii=False), encoding="utf-8")
        # A dirty rebuild keeps the site folder (its pages and data are the last good ones); a
        # clean one emptied it, and builds every page again from the cached Markdown.
        run.published = self.dirty and not self.unpublished
        listed = self.last.paths if nav is None or not self.dirty else nav
        return Listing(sorted(self.last.paths), listed)

    def ready(self, path: str) -> None:
        """MkDocs is about to read page ``path``: it must be written."""
        if self.run.background is not None:
            self.run.background.ready(path)

    def pages_read(self, urls: Sequence[sitemap.Url]) -> None:
        """MkDocs has read every page (``urls``: those it builds, for the sitemap) and starts
        building HTML: the background is done, and the search index takes pages as they are
        built (when every page is: later `serve` rebuilds keep the first build's index)."""
        run = self.run
        run.pages = urls
        self.collector.pages_read()
        if run.background is not None:
            done, run.background = run.background.finish(), None
            count = done.rendered  # (all of them)
            log.info("briefing: %d pages, %d rendered, %d changed", count, count, len(done.written))
        indexing = self.settings.pagefind and self.search_copy is None and run.whole
        if run.writer is not None:
            run.writer.begin(self._parts() if indexing else None)
            run.indexed = indexing
        elif indexing:
            run.indexer = search.PartedIndexer(run.site_dir, self._parts())

    def page_built(self, url: str, html: str, path: str) -> str:
        """The HTML of one page, at ``url`` (from the site root, ``/``), its Content-Security-
        Policy complete: returns the HTML for MkDocs to write to ``path``, minified
        (`generator.publish.minify`), without the search data only Pagefind reads
        (`search.without_data`); or nothing, in a build, where the writer child
        (`generator.speed.pagewriter`) does all that and writes it. Pagefind's service is given the
        page as the theme wrote it: fed minified pages, it merged two of the hostile test
        site's pages into one (its CLI, run over the minified site, does not)."""
        if self.run.writer is not None:
            self.run.writer.add(path, url, html)
            return ""
        if self.run.indexer is not None:
            self.run.indexer.add(url, html)
        return minify.page(search.without_data(html))

    def embed(self, path: str, content: str, fragments: list[tuple[str, bool]]) -> str:
        """The HTML MkDocs made of generated page ``path``, audited (`generator.render.embed`): its
        plain record text came out as text, its fragments are within the allow-list. Then the
        fragments are put in place and the marks removed. Any fault fails the build, naming the
        record and field it came from."""
        faults = embed.audit(content) + embed.audit_fragments(fragments, safe.allowed)
        try:
            if not faults:
                return embed.unmark(embed.fill(content, fragments))
        except embed.EmbedError as exc:
            faults = [exc]
        lines = [f"{self._locate(f.text)}: {f.problem} (page {path})" for f in faults]
        raise BriefingError(
            "briefing: record text did not come out of MkDocs as it went in; nothing was "
            "published:\n" + "\n".join(lines)
        )

    def _locate(self, text: str) -> str:
        """The record and field ``text`` comes from (for an error message)."""
        site = self.run.site or (self.last.site if self.last is not None else None)
        if site is None:  # (the rendering child had the records: read them again)
            site = build_site(
                self.settings.content_dir, timezone=self.settings.timezone, drafts=self.drafts
            )
        records: list[tuple[str, BaseModel]] = [
            (display_path(e.source), e.record) for e in site.events
        ]
        records += [(display_path(a.source), a.record) for a in site.actors]
        return embed.locate(records, text, safe.to_text)

    def finish(self) -> None:
        """Step 6, once MkDocs has written the site: the search index; the open data and
        feeds, unless the rendering child wrote them; the sitemap."""
        run, out = self.run, self.run.site_dir
        if self.serving and not run.failed:
            out.mkdir(parents=True, exist_ok=True)
            (out / ERRORS).write_text("[]", encoding="utf-8")
        if run.staged is not None:  # (after MkDocs' own files: see _render_in_background)
            output.move_files(run.staged, out)
            run.staged = None
        indexer, run.indexer = run.indexer, None
        if indexer is not None:
            indexer.write()  # (while this process exports the data, if it does)
        writer, run.writer = run.writer, None
        if writer is not None:  # (every page written, and the search index)
            indexed = writer.finish()
            if run.indexed:
                log.info("briefing: search index of %d pages written", indexed)
        later = not run.published and run.site is not None and self._publish_later()
        if not run.published and run.site is not None and not later:
            self._publish(run.site)
            self.unpublished = False
        if run.pages is not None:
            self._sitemap(run.pages)
        self.built = self.serving
        self.collector.build_ends()
        if self.settings.pagefind:
            self._search(indexer)
        if later:
            assert run.site is not None
            self.unpublished = True  # (until the thread is done)
            self.publishing = threading.Thread(
                target=self._publish_logged, args=(run.site,), name="briefing-publish", daemon=True
            )
            self.publishing.start()
        if not self.serving and (warning := budget.check(out, self.settings.size_budget)):
            warn(warning)
        if run.unwarmed is not None and run.site is not None:
            self._warm(run.site, run.unwarmed)

    def _warm(self, site: Site, planned: list[Page]) -> None:
        """Serving, after a build whose pages the child rendered: what the next rebuilds keep
        (the templates' compiled code, what the hubs show of every event) is made in this
        process now rather than by the first edit, which took a second longer than the next
        ones at 50,000 events (3.2 s against 2.0 s, in-process). The hubs are rendered, and
        the output dropped; the other pages' templates are compiled."""
        render_pages(site, self.settings, set(), self.compiled, planned)
        env = environment(self.settings.templates_dir, self.compiled)
        for name in env.list_templates(filter_func=_page_template):
            env.get_template(name)

    def _publish_later(self) -> bool:
        """Whether this build's open data and feeds are written once MkDocs is done with it.

        Under `mkdocs serve --dirty`, after an edit, every data export, feed and card is made
        again (each from what it kept of the unchanged records) and compared with its file:
        seconds at 50,000 events, none of it on the page edited. MkDocs' server shows the new
        pages as soon as the build returns, so that work is done just after, in a thread
        (`publishing`), while the browser reloads; the next build waits for it (`wait`) before
        MkDocs touches the site folder. Not when the search index is made from the site folder
        again (pages went away), nor in a build that empties the site folder first."""
        return (
            self.serving
            and self.dirty
            and self.search_copy is not None
            and not self.run.removed
            and not self.run.failed
        )

    def _publish_logged(self, site: Site) -> None:
        started = time.perf_counter()
        # (No build is left to fail: an exception would end the thread with a raw traceback.)
        try:
            self.unpublished = not self._publish(site, self.halt)
        except BriefingError as exc:
            log.error("briefing: writing the open data and feeds failed: %s", exc)
            return
        except Exception:
            log.exception("briefing: writing the open data and feeds failed")
            return
        seconds = time.perf_counter() - started
        if self.unpublished:
            log.info("briefing: open data and feeds left to the next build (%.2f s)", seconds)
        else:
            log.info("briefing: open data and feeds written in %.2f s", seconds)

    def wait(self, *, abandon: bool = False) -> None:
        """Before a build touches the site folder, or MkDocs' server stops: the last build's
        open data and feeds (`_publish_later`) must be written, or, when a new build starts
        (``abandon``), left before their next kind of file for that build to write. A thread
        shares the interpreter's lock: letting it finish while the edit's pages are built
        delays them by as much (at 50,000 events, up to two seconds)."""
        if self.publishing is None:
            return
        if abandon:
            self.halt.set()
        self.publishing.join()
        self.publishing = None
        self.halt.clear()

    def _publish(
        self, site: Site, halt: threading.Event | None = None, out: Path | None = None
    ) -> bool:
        """The open data and the feeds, in the site folder (or ``out``), a kind of file after
        another; False if ``halt`` was set before the last."""
        out, settings = out or self.run.site_dir, self.settings
        moved = {addresses.destination(p, settings.directory_urls) for p in redirects.sources(site)}
        steps: list[Callable[[], Mapping[str, str | bytes]]] = [
            lambda: exports.files(site, settings.site_url, self.exported),
            lambda: timeline.data(site, self.rows),
            lambda: words.files(site, self.words),
            lambda: {
                feeds.BRIEFS: feeds.briefs_feed(site, settings),
                feeds.UPDATES: feeds.updates_feed(site, settings),
            },
            lambda: feeds.topic_feeds(site, settings),
            lambda: cards.cards(site, settings.site_name),
            lambda: redirects.pages(site, settings),
        ]
        for step in steps:
            if halt is not None and halt.is_set():
                return False
            _write(out, step(), moved)
        return True

    def _sitemap(self, urls: Sequence[sitemap.Url]) -> None:
        """The sitemap of the pages MkDocs built. A dirty build's site folder may hold more
        files of pages, from a larger site: the folder is emptied first."""
        settings = self.settings
        made = sitemap.files(
            urls, settings.site_url, settings.templates_dir, beside=feeds.TOPIC_FOLDERS
        )
        shutil.rmtree(self.run.site_dir / sitemap.FOLDER, ignore_errors=True)
        _write(self.run.site_dir, made)

    def _search(self, indexer: search.PartedIndexer | None) -> None:
        """The search index: ``indexer``'s, or made from the site folder."""
        bundle = self.run.site_dir / parts.FIRST
        if self.serving and self.search_copy is not None and not self.run.removed:
            # Indexing every page again would cost seconds per edit: serve keeps the index
            # built at start (restart `mkdocs serve` to refresh search), unless pages went away.
            if not bundle.exists():
                shutil.copytree(self.search_copy, bundle)
            return
        if indexer is not None:
            indexer.wait()
        elif not self.run.indexed:
            shutil.rmtree(bundle, ignore_errors=True)  # (of pages that may be gone)
            search.index(self.run.site_dir, self._search_data(), self._parts())
        if self.serving:
            cache = self.settings.cache_dir
            self.search_copy = cache.with_name(cache.name + "-pagefind")
            shutil.rmtree(self.search_copy, ignore_errors=True)
            shutil.copytree(bundle, self.search_copy)

    def _parts(self) -> list[parts.Part]:
        """The parts of the search index (`generator.site.parts`), planned from the records when
        they were read (`start`, `_last_good`)."""
        return self.run.parts or [parts.Part(parts.FIRST, (), 0)]

    def _search_data(self) -> dict[str, str]:
        """The search data of every generated page, by the file of the site it becomes: from
        the Markdown in the cache folder (the published pages leave it out)."""
        cache, found = self.settings.cache_dir, {}
        for rel in output.cached_paths(cache):
            if block := embed.unmark(search.data_of((cache / rel).read_text(encoding="utf-8"))):
                found[addresses.destination(rel, self.settings.directory_urls)] = block
        return found

    def abort(self) -> None:
        """The build failed: stop the background renderer and the indexer."""
        self.collector.build_ends()
        run = self.run
        if run.background is not None:
            run.background.stop()
            run.background = None
        if run.indexer is not None:
            run.indexer.close()
            run.indexer = None
        for writer in (run.writer, self.writer):
            if writer is not None:
                writer.stop()
        run.writer = self.writer = None

    # -- without MkDocs ---------------------------------------------------------------------

    def render_to(self, out: Path, handwritten: dict[str, str]) -> set[str]:
        """Steps 1 to 5 for `briefing render`: every page, written under ``out``."""
        rendered = render_pages(self.check(handwritten), self.settings)
        return output.write_pages(rendered.pages, out)
