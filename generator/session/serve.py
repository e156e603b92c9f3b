"""A `mkdocs serve` session: the build of `generator.session.build`, and what is kept between
rebuilds so that an edit costs little.

- **the records** read (`generator.content.records.RecordCache`), and under ``--dirty`` the
  last Site, patched by an edit of records when the edit allows it (`generator.site.relink`)
  rather than read and linked again;
- **what changed**: the last good build (`last`), from which an edit's units of pages are
  found (`generator.site.changes`), so that only those are rendered; the units a failed build
  did not write (`owed`);
- **the hubs** (`pages.Hubs`), the templates' compiled code and the exports' memos;
- **the search index** of the first build (`search_copy`), kept for the rebuilds;
- **the publishing thread**: after an edit, the open data and feeds are written just after
  MkDocs shows the new pages (`_publish_later`), unless the next edit comes first (`wait`);
- **the last good site**, served with the content's errors over it when an edit breaks the
  records (`_last_good`).

Drafts are in the Site (with a "draft" banner); a build never publishes them.
"""

from __future__ import annotations

import json
import logging
import shutil
import threading
import time
from collections.abc import Sequence
from pathlib import Path

from generator.content.errors import BriefingError, ContentErrors
from generator.content.records import RecordCache
from generator.publish import search
from generator.render import pages
from generator.render.jinja import environment
from generator.render.page import Page
from generator.session.build import ERRORS, Builder, Listing, render_pages
from generator.settings import Settings
from generator.site import changes, parts, relink
from generator.site.entries import Site
from generator.site.link import build_site
from generator.speed import FAST, Speed
from generator.speed.background import Background

_log = logging.getLogger("mkdocs.plugins.briefing.serve")  # (MkDocs shows its loggers only)


def _all(
    units: set[changes.Unit] | None, more: set[changes.Unit] | None
) -> set[changes.Unit] | None:
    """Both sets of units (None: every page)."""
    return None if units is None or more is None else units | more


def _page_template(name: str) -> bool:
    """Pages' templates, and the partials they include (not the docs' or the records')."""
    return name.startswith("partials/") or ("/" not in name and name.endswith(".md.j2"))


class Session(Builder):
    """The builds of one `mkdocs serve`, and what they keep between them."""

    serving = True

    def __init__(
        self,
        settings: Settings | None = None,
        *,
        dirty: bool = False,
        drafts: bool = True,
        speed: Speed = FAST,
    ) -> None:
        super().__init__(settings, dirty=dirty, drafts=drafts, speed=speed)
        self.records = RecordCache()  # (of use from the first edit on)
        self.hubs = pages.Hubs()
        """What the hubs show of every event, kept while it is unchanged."""
        self.last: changes.Generated | None = None
        """The last good build (what the cache folder holds)."""
        self.templates: changes.Stamp | None = None
        """The templates of this build (`units`)."""
        self.built = False
        """The last build went through, so the HTML matches the cached Markdown."""
        self.failed = False
        """This build's content has errors: the last good site is served (`_last_good`)."""
        self.search_copy: Path | None = None
        """The search index of the first build, kept for the rebuilds."""
        self.edit: changes.Before | None = None
        """The edit this build patched into the last Site (`_site`), until its units are
        known."""
        self.owed: set[changes.Unit] | None = set()
        """Units a failed build did not write, after it patched the last Site (None: every
        page); the next build renders them too."""
        self.published = False
        """This build's open data and feeds are in the site folder already."""
        self.later = False
        """This build's open data and feeds are written by `publishing` (`_publish_later`)."""
        self.publishing: threading.Thread | None = None
        """The thread writing the last build's open data and feeds (`_publish_later`)."""
        self.halt = threading.Event()
        """Set when a new build starts while `publishing` runs: it stops before its next kind of
        file (`_publish`)."""
        self.unpublished = False
        """The last build's open data and feeds were left unwritten (see `wait`)."""
        self.unwarmed: list[Page] | None = None
        """When the child rendered every page: the plan, for `_warm`."""

    def start(self, site_dir: Path, handwritten: dict[str, str], nav: set[str] | None) -> Listing:
        """The build's steps 1 to 3; when the content has errors, the last good site (see
        `_last_good`)."""
        self.wait(abandon=True)
        built, self.built = self.built, False
        self.failed = self.published = self.later = False
        self.unwarmed = None
        try:
            site, planned = self.begin(site_dir, handwritten)
        except BriefingError as exc:
            if self.last is None:
                raise
            self._owe()
            return self._last_good(exc, nav)
        except Exception:
            self._owe()
            raise
        # Owed until written: a failure on the way leaves the cache folder as it was.
        units = self.owed = self.units(site)
        self.edit = None
        listing = self.render(site, planned, units, nav if built else None)
        self.owed = set()
        assert self.templates is not None
        self.last = changes.Generated(site, self.settings, self.templates, frozenset(listing.paths))
        return listing

    def _site(self) -> Site:
        """The records read, checked and cross-referenced. Under `mkdocs serve --dirty`, after
        the first build, the last Site is patched when the edit allows it (`relink`): the
        edit's units are then noted in `edit`, for `units`."""
        options, last, self.edit = self.settings, self.last, None
        if not self.speed.relink or not self.dirty or last is None or last.settings != options:
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

    def _plan(self, site: Site) -> list[Page]:
        return pages.plan(site, self.settings.page_size, self.hubs)

    def units(self, site: Site) -> set[changes.Unit] | None:
        """The units of pages to render (None: all), and those a failed build owed."""
        self.templates = templates = changes.stamp(self.settings.templates_dir)
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

    def _built(self, order: Sequence[str], nav: set[str] | None) -> frozenset[str] | set[str]:
        """After a build that went through, the pages written and those in the nav setting
        (``nav``): the others' HTML is current."""
        return self.run.written | nav if nav is not None else frozenset(order)

    def prepare(self, site_dir: Path) -> None:
        """No page writer: MkDocs' server writes the pages (see `Builder.prepare`)."""

    def _render_in_background(self, site: Site, planned: list[Page]) -> None:
        """Every page rendered by the child; the open data and feeds are written here, where
        what was exported is kept for the next edit."""
        self.run.background = Background(site, self.settings, None, planned)
        self.run.written = set(pages.paths(planned))
        self.unwarmed = planned

    def _last_paths(self) -> frozenset[str]:
        """The pages the last build generated: what the session kept, else the cache's."""
        return self.last.paths if self.last is not None else super()._last_paths()

    def _last_good(self, exc: BriefingError, nav: set[str] | None) -> Listing:
        """When the content has errors: the last good site, and the errors for the browser.

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
        _log.error("briefing: content errors; serving the last good site:\n%s", "\n".join(lines))
        run = self.run
        self.failed, run.site = True, self.last.site
        run.parts = parts.of_site(run.site, self.settings)
        run.site_dir.mkdir(parents=True, exist_ok=True)
        (run.site_dir / ERRORS).write_text(json.dumps(lines, ensure_ascii=False), encoding="utf-8")
        # A dirty rebuild keeps the site folder (its pages and data are the last good ones); a
        # clean one emptied it, and builds every page again from the cached Markdown.
        self.published = self.dirty and not self.unpublished
        listed = self.last.paths if nav is None or not self.dirty else nav
        return Listing(sorted(self.last.paths), listed)

    def _indexing(self) -> bool:
        """Later rebuilds keep the first build's search index (`_search`)."""
        return super()._indexing() and self.search_copy is None

    def _known_site(self) -> Site | None:
        return self.run.site or (self.last.site if self.last is not None else None)

    def finish(self) -> None:
        """The build's step 4: publishing, with the open data and feeds after an edit left to
        a thread (`_publish_later`); the errors' list emptied after a good build."""
        run = self.run
        if not self.failed:
            run.site_dir.mkdir(parents=True, exist_ok=True)
            (run.site_dir / ERRORS).write_text("[]", encoding="utf-8")
        self.later = not self.published and run.site is not None and self._publish_later()
        super().finish()
        self.built = True
        if self.later:
            assert run.site is not None
            self.unpublished = True  # (until the thread is done)
            self.publishing = threading.Thread(
                target=self._publish_logged, args=(run.site,), name="briefing-publish", daemon=True
            )
            self.publishing.start()
        if self.unwarmed is not None and run.site is not None:
            self._warm(run.site, self.unwarmed)

    def _publish_now(self, site: Site) -> None:
        if not self.published and not self.later:
            self._publish(site)
            self.unpublished = False

    def _check_budget(self) -> None:
        """Not under serve: the site is not published from here."""

    def _search(self, indexer: search.PartedIndexer | None) -> None:
        """The search index of the first build, kept: indexing every page again would cost
        seconds per edit (restart `mkdocs serve` to refresh search), unless pages went away."""
        bundle = self.run.site_dir / parts.FIRST
        if self.search_copy is not None and not self.run.removed:
            if not bundle.exists():
                shutil.copytree(self.search_copy, bundle)
            return
        super()._search(indexer)
        cache = self.settings.cache_dir
        self.search_copy = cache.with_name(cache.name + "-pagefind")
        shutil.rmtree(self.search_copy, ignore_errors=True)
        shutil.copytree(bundle, self.search_copy)

    def _warm(self, site: Site, planned: list[Page]) -> None:
        """After a build whose pages the child rendered: what the next rebuilds keep
        (the templates' compiled code, what the hubs show of every event) is made in this
        process now rather than by the first edit, which was much slower than the next ones
        at scale (tests/benchmarks/README.md). The hubs are rendered, and
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
            self.dirty and self.search_copy is not None and not self.run.removed and not self.failed
        )

    def _publish_logged(self, site: Site) -> None:
        started = time.perf_counter()
        # (No build is left to fail: an exception would end the thread with a raw traceback.)
        try:
            self.unpublished = not self._publish(site, self.halt)
        except BriefingError as exc:
            _log.error("briefing: writing the open data and feeds failed: %s", exc)
            return
        except Exception:
            _log.exception("briefing: writing the open data and feeds failed")
            return
        seconds = time.perf_counter() - started
        if self.unpublished:
            _log.info("briefing: open data and feeds left to the next build (%.2f s)", seconds)
        else:
            _log.info("briefing: open data and feeds written in %.2f s", seconds)

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
