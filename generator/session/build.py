"""One build of the site, top to bottom (`Builder.start`, then `Builder.finish`):

1. **check**: read, validate and cross-reference the records into one `Site`
   (`generator.site.link.build_site`), and make sure no generated page takes the address of a
   hand-written one (`Builder.begin`);
2. **plan**: every page with what its template gets (`generator.render.pages.plan`), and of
   them, those to render (`Builder.units`: in a build, all of them);
3. **render**: the pages' Markdown, written to the cache folder, a file only when its text
   changed (`Builder.render`; `generator.render.jinja`, `generator.render.output`);
4. **publish**, once MkDocs has built the HTML (`Builder.finish`): the open data and feeds
   (`generator.publish.exports`, `generator.publish.feeds`), the old addresses of renamed
   records (`generator.publish.redirects`), the sitemap of the pages MkDocs built
   (`generator.publish.sitemap`), and the search index (`generator.publish.search`, fed each
   page as MkDocs builds it).

Run as written, with `generator.speed.REFERENCE`, that is one process and one thread: the
reference. Each fast path (`generator.speed.Speed`) gives the same files: every page rendered
by a forked child while MkDocs reads them (`generator.speed.background`), the built pages
minified, indexed and written by another (`generator.speed.pagewriter`), the garbage collector
kept off what lives to the end (`generator.speed.tuning`).

`build` is `briefing render`; the MkDocs plugin (`generator.adapter.plugin`) turns MkDocs'
events into `Builder` calls. What `mkdocs serve` keeps between rebuilds is in
`generator.session.serve`.
"""

from __future__ import annotations

import contextlib
import functools
import logging
import shutil
import threading
from collections.abc import Callable, Mapping, Sequence, Set
from dataclasses import dataclass, field
from pathlib import Path

from pydantic import BaseModel

from generator.content import safe
from generator.content.errors import BriefingError, ContentError, ContentErrors, display_path, warn
from generator.publish import (
    admin,
    budget,
    cards,
    explorer,
    exports,
    feeds,
    minify,
    redirects,
    search,
    sitemap,
    words,
)
from generator.render import embed, output, pages, timeline
from generator.render.jinja import Compiled, Renderer
from generator.render.page import Page
from generator.settings import Settings
from generator.site import addresses, changes, pagefiles, parts
from generator.site.entries import Site
from generator.site.link import build_site
from generator.speed import FAST, Speed, tuning
from generator.speed.background import Background, can_fork
from generator.speed.pagewriter import PageWriter
from generator.speed.tuning import Collector, Untuned

_log = logging.getLogger("mkdocs.plugins.briefing.build")  # (MkDocs shows its loggers only)

ERRORS = "briefing-errors.json"
"""Under `mkdocs serve`: the content's errors, a JSON list of lines, empty when there are none
(the script on every page asks for it: a missing file was a 404 in the browser's console and a
warning in the server's terminal on each page load)."""

WRITTEN: tuple[str, ...] = (
    *exports.EXPORT_WRITES,
    *timeline.TIMELINE_WRITES,
    *explorer.EXPLORER_WRITES,
    *feeds.FEED_WRITES,
    *cards.CARD_WRITES,
    *sitemap.SITEMAP_WRITES,
    *words.WORD_WRITES,
    *admin.ADMIN_WRITES,
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
    """The records; None once the rendering child took them over (`_render_in_background`)."""
    parts: list[parts.Part] | None = None
    """The parts of the search index, planned from this build's records."""
    whole: bool = True
    """Every page is written (not a dirty rebuild into a built site)."""
    background: Background | None = None
    indexer: search.PartedIndexer | None = None
    """This process's search indexer (without the page writer)."""
    writer: PageWriter | None = None
    """The child writing the built pages (and making the search index)."""
    indexed: bool = False
    """The writer made the search index."""
    staged: Path | None = None
    """Where the rendering child wrote the open data and feeds, to move into the site
    (`finish`); None when they are left to this process."""
    written: set[str] = field(default_factory=set)
    """The pages whose Markdown changed (all of them, when the child rendered them)."""
    removed: bool = False
    """Pages no longer generated were removed from the site."""
    pages: Sequence[sitemap.SitemapUrl] | None = None
    """The pages MkDocs builds, for the sitemap (once it has read them)."""


class Builder:
    """One build of the site: `start` (check, plan, render) before MkDocs reads the pages,
    `finish` (publish) once it has written them. `generator.session.serve.Session` adds what
    `mkdocs serve` keeps between rebuilds."""

    serving = False
    """Whether this is a `mkdocs serve` session (it is not: see `Session`)."""

    def __init__(
        self,
        settings: Settings | None = None,
        *,
        dirty: bool = False,
        drafts: bool = False,
        speed: Speed = FAST,
    ) -> None:
        self.settings = settings or Settings()
        """Replaced before each build (MkDocs reads mkdocs.yml again for each)."""
        self.dirty, self.speed = dirty, speed
        self.drafts = drafts
        """Draft records are in the Site (with a "draft" banner): `briefing check`, serve."""
        self.compiled = Compiled()
        self.exported = exports.Memo()
        self.rows = timeline.Rows()
        self.words = words.Tally()
        """The words of each record, for the search page's suggestions
        (`generator.publish.words`)."""
        self.collector = Collector(self.serving) if speed.tuning else Untuned()
        self.run = Run(Path("."))
        self.writer: PageWriter | None = None
        """The page writer, from the build's start (`prepare`) until `start`."""
        self.theme = pagefiles.Theme(lambda: None)
        """The theme, whose files no hand-written file may replace (set by the caller)."""
        self.refused: set[str] = set()
        """The hand-written files the last check refused (relative paths)."""

    # -- the build, top to bottom -----------------------------------------------------------

    def start(self, site_dir: Path, handwritten: dict[str, str], nav: set[str] | None) -> Listing:
        """Steps 1 to 5, before MkDocs reads the pages; ``nav``: the pages in the nav setting."""
        site, planned = self.begin(site_dir, handwritten)
        return self.render(site, planned, self.units(site), nav)

    def begin(self, site_dir: Path, handwritten: dict[str, str]) -> tuple[Site, list[Page]]:
        """Step 1, and the plan of step 3: a new `Run` into ``site_dir``, the Site checked."""
        self.collector.build_starts()
        self.run = Run(site_dir)
        self.run.writer, self.writer = self.writer, None
        return self._checked(handwritten)

    def render(
        self, site: Site, planned: list[Page], units: set[changes.Unit] | None, nav: set[str] | None
    ) -> Listing:
        """Steps 4 and 5: the pages of ``units`` (None: all) rendered and written to the cache
        folder, and the pages no longer generated removed."""
        run = self.run
        run.site = site
        run.parts = parts.of_site(site, self.settings)  # (kept: the records may be let go)
        # MkDocs builds every page unless dirty, and a dirty build into an empty folder too (the
        # first build of `mkdocs serve`). A dirty build compares each page's file with its HTML
        # before reading it, so pages there must be written before MkDocs starts.
        run.whole = not self.dirty or not any(run.site_dir.glob("*"))
        last = frozenset() if run.whole else self._last_paths()
        if units is None and run.whole and self.speed.background and can_fork():
            self._render_in_background(site, planned)
        else:
            self._render_here(site, planned, units)
        order = pages.paths(planned)
        if gone := last - frozenset(order):
            self._remove(gone)
        if run.site is not None:
            self.collector.records_read()
        else:  # (the records are let go: see _render_in_background)
            site.unlink()
        return Listing(order, self._built(order, nav))

    def finish(self) -> None:
        """Step 6, once MkDocs has written the site: the search index; the open data and
        feeds, unless the rendering child wrote them; the sitemap."""
        run, out = self.run, self.run.site_dir
        if run.staged is not None:  # (after MkDocs' own files: see _render_in_background)
            output.move_files(run.staged, out)
            run.staged = None
        indexer = self._indexed()
        if run.site is not None:
            self._publish_now(run.site)
        if run.pages is not None:
            self._sitemap(run.pages)
        self.collector.build_ends()
        if self.settings.pagefind:
            self._search(indexer)
        self._check_budget()

    # -- step 1: check ----------------------------------------------------------------------

    def check(self, handwritten: dict[str, str]) -> Site:
        """Step 1: the Site; hand-written pages (source path -> path shown) must keep their
        addresses."""
        return self._checked(handwritten)[0]

    def _checked(self, handwritten: dict[str, str]) -> tuple[Site, list[Page]]:
        """`check`, with the plan of the site's pages (step 3 uses it too).

        Without the cyclic garbage collector (`tuning.kept`): every object made here lives on,
        and a collector turned back on after reading the records went over them all three times
        (as they aged through its generations) while the plan was made, a quarter of a large
        check. (Under serve the collector is off already: see `tuning.Collector`.)"""
        urls = self.settings.directory_urls
        # (First, so that the files refused are known even when the records have errors.)
        files = pagefiles.file_problems(handwritten, self.theme, WRITTEN, urls)
        self.refused = set()
        self._refuse(handwritten, files)
        try:
            with tuning.kept() if self.speed.tuning else contextlib.nullcontext():
                site = self._site()
                planned = self._plan(site)
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

    def _site(self) -> Site:
        """The records read, checked and cross-referenced."""
        options = self.settings
        return build_site(options.content_dir, timezone=options.timezone, drafts=self.drafts)

    # -- steps 2 and 3: what changed, which pages -------------------------------------------

    def _plan(self, site: Site) -> list[Page]:
        """Every page, with what its template gets (`generator.render.pages.plan`)."""
        return pages.plan(site, self.settings.page_size)

    def units(self, site: Site) -> set[changes.Unit] | None:
        """Step 2: the units of pages to render; None, every page (a build renders them all)."""
        return None

    def _built(self, order: Sequence[str], nav: set[str] | None) -> frozenset[str] | set[str]:
        """The pages MkDocs is to build (a build: all of them)."""
        return frozenset(order)

    # -- steps 4 and 5: render, write -------------------------------------------------------

    def prepare(self, site_dir: Path) -> None:
        """A build starts, before MkDocs reads anything: the page writer is forked now, while
        this process holds little (`generator.speed.pagewriter`)."""
        if self.speed.pagewriter and can_fork():
            self.writer = PageWriter(site_dir)

    def _render_in_background(self, site: Site, planned: list[Page]) -> None:
        """Steps 4 and 5 for every page, on the other core while MkDocs reads them.

        The child writes the open data and feeds too, into a folder of their own (`_staged`),
        moved into the site once MkDocs has written its files (`finish`), so that none of those
        replaces one of the generator's; this process then lets its own copy of the records
        go: the child has everything it needs, and MkDocs' pages take the room instead (about
        a fifth of the build's peak memory)."""
        staged = self._staged()
        shutil.rmtree(staged, ignore_errors=True)
        publish = functools.partial(self._publish, site, None, staged)
        self.run.background = Background(site, self.settings, publish, planned)
        self.run.staged, self.run.site = staged, None
        self.run.written = set(pages.paths(planned))

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
        _log.info(
            "briefing: %d pages, %d rendered, %d changed",
            len(planned),
            len(out.pages),
            len(self.run.written),
        )

    def _last_paths(self) -> frozenset[str]:
        """The pages the last build generated (those the cache folder holds)."""
        return output.cached_paths(self.settings.cache_dir)

    def _remove(self, gone: frozenset[str]) -> None:
        """A dirty build keeps the site folder: the HTML of pages no longer generated (a deleted
        record, a tag no brief carries now) would stay, and be indexed."""
        output.remove_pages(gone, self.settings.cache_dir)
        site_dir, directory_urls = self.run.site_dir, self.settings.directory_urls
        count = addresses.remove_html(gone, site_dir, directory_urls)
        _log.info("briefing: %d pages no longer generated, removed from the site", count)
        self.run.removed = True

    # -- while MkDocs builds ----------------------------------------------------------------

    def ready(self, path: str) -> None:
        """MkDocs is about to read page ``path``: it must be written."""
        if self.run.background is not None:
            self.run.background.ready(path)

    def pages_read(self, urls: Sequence[sitemap.SitemapUrl]) -> None:
        """MkDocs has read every page (``urls``: those it builds, for the sitemap) and starts
        building HTML: the background is done, and the search index takes pages as they are
        built (when every page is)."""
        run = self.run
        run.pages = urls
        self.collector.pages_read()
        if run.background is not None:
            done, run.background = run.background.finish(), None
            count = done.rendered  # (all of them)
            _log.info(
                "briefing: %d pages, %d rendered, %d changed", count, count, len(done.written)
            )
        indexing = self._indexing()
        if run.writer is not None:
            run.writer.begin(self._parts() if indexing else None)
            run.indexed = indexing
        elif indexing:
            run.indexer = search.PartedIndexer(run.site_dir, self._parts())

    def _indexing(self) -> bool:
        """Whether the search index is made of the pages as MkDocs builds them."""
        return self.settings.pagefind and self.run.whole

    def page_built(self, url: str, html: str, path: str) -> str:
        """The HTML of one page, at ``url`` (from the site root, ``/``), its Content-Security-
        Policy complete: returns the HTML for MkDocs to write to ``path``, minified
        (`generator.publish.minify`), without the search data only Pagefind reads
        (`search.without_data`); or nothing, where the writer child
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
        site = self._known_site()
        if site is None:  # (the rendering child had the records: read them again)
            site = build_site(
                self.settings.content_dir, timezone=self.settings.timezone, drafts=self.drafts
            )
        records: list[tuple[str, BaseModel]] = [
            (display_path(e.source), e.record) for e in site.events
        ]
        records += [(display_path(a.source), a.record) for a in site.actors]
        return embed.locate(records, text, safe.to_text)

    def _known_site(self) -> Site | None:
        """The Site this process holds, if it does."""
        return self.run.site

    # -- step 6: publish --------------------------------------------------------------------

    def _indexed(self) -> search.PartedIndexer | None:
        """The pages written by the writer child (with the search index), or this process's
        indexer's index written (while this process exports the data, if it does)."""
        run = self.run
        indexer, run.indexer = run.indexer, None
        if indexer is not None:
            indexer.write()
        writer, run.writer = run.writer, None
        if writer is not None:
            indexed = writer.finish()
            if run.indexed:
                _log.info("briefing: search index of %d pages written", indexed)
        return indexer

    def _publish_now(self, site: Site) -> None:
        """The open data and feeds of ``site``, in this process."""
        self._publish(site)

    def _check_budget(self) -> None:
        """Warns when the site outgrows its size budget (`generator.publish.budget`)."""
        if warning := budget.check(self.run.site_dir, self.settings.size_budget):
            warn(warning)

    def _publish(
        self, site: Site, halt: threading.Event | None = None, out: Path | None = None
    ) -> bool:
        """The open data and the feeds, in the site folder (or ``out``), a kind of file after
        another; False if ``halt`` was set before the last."""
        out, settings = out or self.run.site_dir, self.settings
        moved = {addresses.destination(p, settings.directory_urls) for p in redirects.sources(site)}
        steps: list[Callable[[], Mapping[str, str | bytes]]] = [
            lambda: exports.export_files(site, settings.site_url, self.exported),
            lambda: timeline.data(site, self.rows),
            lambda: explorer.explorer_data(site),
            lambda: words.word_files(site, self.words),
            lambda: {
                feeds.BRIEFS: feeds.briefs_feed(site, settings),
                feeds.UPDATES: feeds.updates_feed(site, settings),
            },
            lambda: feeds.topic_feeds(site, settings),
            lambda: cards.cards(site, settings.site_name),
            lambda: redirects.pages(site, settings),
            lambda: admin.admin_files(site.vocabulary, settings),
        ]
        for step in steps:
            if halt is not None and halt.is_set():
                return False
            _write(out, step(), moved)
        return True

    def _sitemap(self, urls: Sequence[sitemap.SitemapUrl]) -> None:
        """The sitemap of the pages MkDocs built. A dirty build's site folder may hold more
        files of pages, from a larger site: the folder is emptied first."""
        settings = self.settings
        made = sitemap.sitemap_files(
            urls, settings.site_url, settings.templates_dir, beside=feeds.TOPIC_FOLDERS
        )
        shutil.rmtree(self.run.site_dir / sitemap.SITEMAPS_FOLDER, ignore_errors=True)
        _write(self.run.site_dir, made)

    def _search(self, indexer: search.PartedIndexer | None) -> None:
        """The search index: ``indexer``'s, the writer child's, or made from the site folder."""
        if indexer is not None:
            indexer.wait()
        elif not self.run.indexed:
            shutil.rmtree(self.run.site_dir / parts.FIRST, ignore_errors=True)  # (of pages gone)
            search.index(self.run.site_dir, self._search_data(), self._parts())

    def _parts(self) -> list[parts.Part]:
        """The parts of the search index (`generator.site.parts`), planned from the records when
        they were read (`render`)."""
        return self.run.parts or [parts.Part(parts.FIRST, (), 0)]

    def _search_data(self) -> dict[str, str]:
        """The search data of every generated page, by the file of the site it becomes: from
        the Markdown in the cache folder (the published pages leave it out)."""
        cache, found = self.settings.cache_dir, {}
        for rel in output.cached_paths(cache):
            if block := embed.unmark(search.data_of((cache / rel).read_text(encoding="utf-8"))):
                found[addresses.destination(rel, self.settings.directory_urls)] = block
        return found

    def wait(self, *, abandon: bool = False) -> None:
        """Before a build touches the site folder: a build leaves nothing running (see
        `Session.wait`)."""

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


def build(settings: Settings, handwritten: dict[str, str], out: Path) -> set[str]:
    """`briefing render`, top to bottom, without MkDocs: every page's Markdown under ``out``,
    in this process (the check with the collector kept off, `Builder._checked`)."""
    builder = Builder(settings)
    site, planned = builder.begin(out, handwritten)  # check, plan
    rendered = render_pages(site, settings, None, builder.compiled, planned)  # render
    return output.write_pages(rendered.pages, out)  # publish
