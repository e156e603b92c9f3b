"""The MkDocs adapter: run the pipeline, add the generated pages, watch the records.

Pages are written to a cache folder (rewritten only when their text changed) and added as
files with that source path, so `mkdocs serve --dirty` rebuilds only what an edit changed.
After an edit, pages whose HTML is already current are added as link targets only: MkDocs
resolves links to them but spends nothing on them (no page object, no rendering).
"""

from __future__ import annotations

import functools
import gc
import html
import json
import logging
import shutil
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Concatenate, ParamSpec, TypeVar

import jinja2
import watchdog.events
import watchdog.observers
import watchdog.observers.polling
from mkdocs.config import base
from mkdocs.config import config_options as c
from mkdocs.config.config_options import ExtraScriptValue
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.pages import Page

from generator import addresses, cards, changes, exports, feeds, render, safe, search
from generator.errors import BriefingError, ContentErrors, display_path
from generator.link import RecordCache, Site, build_site

log = logging.getLogger("mkdocs.plugins.briefing")

ERRORS = "briefing-errors.json"
"""Under `mkdocs serve`, while the content has errors: the errors, a JSON list of lines."""
SERVE_SCRIPT = "assets/briefing-serve.js"
"""The script that shows them (templates/overrides/), on every page under serve only."""

P = ParamSpec("P")
R = TypeVar("R")


def _reported(
    event: Callable[Concatenate[BriefingPlugin, P], R],
) -> Callable[Concatenate[BriefingPlugin, P], R]:
    """An event whose errors meant for people (a template's line, Pagefind's message) end the
    build as MkDocs' own errors do: one message, no traceback."""

    @functools.wraps(event)
    def run(plugin: BriefingPlugin, /, *args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return event(plugin, *args, **kwargs)
        except ContentErrors as exc:
            raise PluginError(f"the content has errors:\n{exc}") from None
        except BriefingError as exc:
            raise PluginError(str(exc)) from None

    return run


class BriefingConfig(base.Config):
    content_dir = c.Type(str, default="content")
    """Folder of the records (events/, actors/, vocabulary.yaml), relative to mkdocs.yml."""
    templates_dir = c.Type(str, default="templates")
    """Folder of the page templates, relative to mkdocs.yml."""
    cache_dir = c.Type(str, default=".cache/briefing")
    """Where generated Markdown is written (ignored by git)."""
    timezone = c.Type(str, default="Asia/Seoul")
    """Default time zone of records' local dates and times."""
    page_size = c.Type(int, default=100)
    """Entries per page in timeline years, tags and actor involvement."""
    licence = c.Type(str, default="CC BY 4.0")
    """Licence of the content and data, shown on the Data page."""
    pagefind = c.Type(bool, default=True)
    """Build the Pagefind search index after the site (off only for benchmark baselines)."""
    edit_branch = c.Type(str, default="main")
    """Branch that "edit this record" links open."""
    poll = c.Type(bool, default=False)
    """Under `mkdocs serve`, notice edits by polling every watched file twice a second (MkDocs'
    own way) instead of through the system's file notifications: for folders where notifications
    do not arrive, such as some network and container mounts."""


@dataclass(frozen=True)
class _Generated:
    """What the cache folder holds after a build: the Site and settings it was rendered from."""

    site: Site
    settings: render.Settings
    templates: tuple[tuple[str, int, int], ...]
    paths: frozenset[str]


class _LinkTarget(File):
    """A generated page whose HTML is current (serve, after an edit): a link target only."""

    def is_documentation_page(self) -> bool:
        return False

    def copy_file(self, dirty: bool = False) -> None:
        pass


class _Compiled(jinja2.BytecodeCache):
    """Compiled templates, kept in memory from one `mkdocs serve` rebuild to the next."""

    def __init__(self) -> None:
        self.code: dict[str, bytes] = {}

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        if bucket.key in self.code:
            bucket.bytecode_from_string(self.code[bucket.key])  # checks the source's checksum

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        self.code[bucket.key] = bucket.bytecode_to_string()


# What changes a watched file (as MkDocs' polling sees it: its contents, times or size).
# Opening or reading one (inotify reports both) does not, and taken for an edit, it would
# start a rebuild for every rebuild that reads the records.
_CHANGES = [
    watchdog.events.FileAttribEvent,  # (its modification time, as `touch` sets it)
    watchdog.events.FileCreatedEvent,
    watchdog.events.FileDeletedEvent,
    watchdog.events.FileModifiedEvent,
    watchdog.events.FileMovedEvent,
]


def _notified(server: Any) -> str | None:
    """Make `mkdocs serve` notice edits through the system's file notifications (inotify, FSEvents,
    ReadDirectoryChangesW); the name of the watcher now used, or None if MkDocs' is kept.

    MkDocs 1.6 polls: twice a second, its watcher lists and stats every watched file, which at
    11,000 records takes 0.1 s of the rebuild's process time each time, and a save waits a
    quarter of a second on average to be seen. Its watcher (``server.observer``) is replaced
    before it starts, with the watches made so far moved over.
    """
    polling = getattr(server, "observer", None)
    native: Any = watchdog.observers.Observer
    if (
        native is watchdog.observers.polling.PollingObserver
        or type(polling) is not watchdog.observers.polling.PollingObserver
        or polling.is_alive()
    ):
        return None

    class Notified(native):  # type: ignore[misc]
        def schedule(self, handler: Any, path: str, **options: Any) -> Any:
            return super().schedule(handler, path, **{"event_filter": _CHANGES, **options})

    observer = Notified()
    try:
        for watch, handlers in list(polling._handlers.items()):  # (watchdog keeps no public list)
            for handler in handlers:
                observer.schedule(handler, watch.raw_path, recursive=watch.is_recursive)
    except OSError as exc:  # (out of inotify watches, say)
        log.info("briefing: file notifications unavailable (%s); MkDocs polls for edits", exc)
        return None
    server.observer = observer
    return str(native.__name__)


def _nav_paths(nav: Any) -> set[str]:
    """The page paths listed in the ``nav`` setting."""
    if isinstance(nav, str):
        return {nav}
    items = nav.values() if isinstance(nav, dict) else nav if isinstance(nav, list) else ()
    return {path for item in items for path in _nav_paths(item)}


def _stamp(templates: Path) -> tuple[tuple[str, int, int], ...]:
    stats = ((p, p.stat()) for p in sorted(templates.rglob("*.j2")))
    return tuple((str(p), s.st_mtime_ns, s.st_size) for p, s in stats)


class BriefingPlugin(BasePlugin[BriefingConfig]):
    site: Site

    def on_startup(self, *, command: str, dirty: bool) -> None:
        # Defining on_startup keeps this instance alive across `mkdocs serve` rebuilds (MkDocs
        # documents this), so the record cache and the search index survive between edits.
        self.serving = command == "serve"
        self.dirty = dirty
        self.whole = True  # this build writes every page (set in on_files)
        self.indexer: search.Indexer | None = None
        self.background: render.Background | None = None
        self.published = False  # the open data and feeds of this build are written
        self.collector: threading.Timer | None = None
        self.records = RecordCache()
        self.search_copy: Path | None = None
        self.generated: _Generated | None = None
        self.exported = exports.Memo()
        self.compiled = _Compiled()
        self.built = False  # the last build went through: HTML matches the cached Markdown
        self.targets: dict[tuple[str, str, bool], File] = {}

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        root = Path(config.config_file_path or ".").resolve().parent
        self.root = root
        self.content = root / self.config.content_dir
        self.templates = root / self.config.templates_dir
        self.cache = root / self.config.cache_dir
        self.settings = render.Settings(
            site_name=config.site_name,
            site_url=render.normal_url(config.site_url or ""),
            repo_url=render.find_repo_url(config.repo_url, root),
            edit_branch=self.config.edit_branch,
            timezone=self.config.timezone,
            page_size=self.config.page_size,
            licence=self.config.licence,
            directory_urls=config.use_directory_urls,
            content_prefix=(
                self.content.relative_to(root).as_posix()
                if self.content.is_relative_to(root)
                else "content"
            ),
        )
        if self.serving:  # (shows content errors over the page: see _last_good)
            script = ExtraScriptValue(SERVE_SCRIPT)
            script.type = "module"  # (the site's scripts are ES modules: see dom.js)
            config.extra_javascript.append(script)
        return config

    @_reported
    def on_files(self, files: Files, /, *, config: MkDocsConfig) -> Files:
        built, self.built = self.built, False
        self.published = False
        self.removed = False  # this build removed the HTML of pages no longer generated
        self.failed = False  # serving the last good site: the content has errors
        if self.collector is not None:
            self.collector.cancel()  # (or it is collecting: the rebuild waits for it)
        try:
            return self._files(files, config, built)
        except BriefingError as exc:
            if not self.serving or self.generated is None:
                raise
            return self._last_good(files, config, exc)

    def _files(self, files: Files, config: MkDocsConfig, built: bool) -> Files:
        """Read the records, render the pages, and add them to MkDocs' files."""
        site = build_site(self.content, timezone=self.settings.timezone, cache=self.records)
        handwritten = {
            f.src_uri: display_path(Path(f.abs_src_path))
            for f in files
            if f.src_dir == config.docs_dir and f.abs_src_path
        }
        generated = render.page_paths(site, self.settings)
        if clashes := addresses.clashes(generated, handwritten, config.use_directory_urls):
            raise ContentErrors(clashes)
        self.site = site
        if not self.serving:
            # The records live until the end of the build: out of the collector's sight, every
            # full collection while MkDocs builds pages is shorter. (Undone in on_post_build.)
            gc.freeze()
        templates = _stamp(self.templates)
        before = self.generated
        units = None
        if before and before.settings == self.settings and before.templates == templates:
            # Serving, after an edit of records only: render the pages it can change.
            units = changes.affected(before.site, site)
        # MkDocs builds every page unless dirty, and a dirty build into an empty folder too (the
        # first build of `mkdocs serve`). A dirty build compares each page's file with its HTML
        # before reading it, so pages there must be written before MkDocs starts.
        self.whole = not self.dirty or not any(Path(config.site_dir).glob("*"))
        last: frozenset[str] = frozenset()
        if units is None and self.whole and render.can_fork():
            # Every page, rendered on the other core while MkDocs reads them (see
            # on_page_read_source) and written to the cache folder.
            # A build (not serve, which keeps what it exported for the next edit) has the
            # child write the open data and feeds too, into the site folder MkDocs has cleaned.
            publish = None if self.serving else functools.partial(self._publish, config)
            self.background = render.Background(
                site, self.settings, self.templates, self.cache, publish
            )
            self.published = publish is not None
            paths = frozenset(self.background.paths)
            listed, written = self.background.paths, set(paths)
        else:
            # The pages the last build generated: what serve kept, else what the cache holds.
            last = before.paths if before is not None else render.cached_paths(self.cache)
            out = render.render_pages(site, self.settings, self.templates, units, self.compiled)
            written = render.write_pages(out.pages, self.cache, complete=units is None)
            paths, listed = frozenset(out.paths), out.paths
            log.info(
                "briefing: %d pages, %d rendered, %d changed",
                len(paths),
                len(out.pages),
                len(written),
            )
        if not self.whole and (gone := last - paths):
            # A dirty build keeps the site folder: the HTML of pages no longer generated (a
            # deleted record, a tag no brief carries now) would stay, and be indexed.
            render.remove_pages(gone, self.cache)
            count = addresses.remove_html(gone, Path(config.site_dir), config.use_directory_urls)
            log.info("briefing: %d pages no longer generated, removed from the site", count)
            self.removed = True
        if self.serving:
            self.generated = _Generated(site, self.settings, templates, paths)
        if built and config.nav is not None:  # (without a nav setting, every page is in it)
            pages: set[str] | frozenset[str] = written | _nav_paths(config.nav)
        else:
            pages = paths
        for rel in listed:
            if rel in pages:
                files.append(File(rel, str(self.cache), config.site_dir, config.use_directory_urls))
            else:
                files.append(self._target(rel, config))
        return files

    def _last_good(self, files: Files, config: MkDocsConfig, exc: BriefingError) -> Files:
        """Serving, when the content has errors: the last good site, and the errors for the
        browser.

        MkDocs' server holds every page request until a rebuild succeeds (its `LiveReloadServer`
        waits for the site it started building), so a failed rebuild left the browser waiting
        until the next good save. This rebuild succeeds instead, with the pages of the last good
        build (their Markdown is still in the cache folder), and writes the errors, one
        ``path:line:col: field: message`` each, to `ERRORS` in the site folder. The script that
        `on_config` adds to every page under serve (a documented config setting,
        ``extra_javascript``) shows them over the page, as text; MkDocs' livereload reloads the
        pages after each rebuild, and the next good build removes the file. Nothing of MkDocs'
        is patched.
        """
        assert self.generated is not None
        problems = exc.errors if isinstance(exc, ContentErrors) else [exc]
        lines = [str(problem) for problem in problems]
        log.error("briefing: content errors; serving the last good site:\n%s", "\n".join(lines))
        self.failed = True
        self.site = self.generated.site
        out = Path(config.site_dir)
        out.mkdir(parents=True, exist_ok=True)
        (out / ERRORS).write_text(json.dumps(lines, ensure_ascii=False), encoding="utf-8")
        # A dirty rebuild keeps the site folder (its pages and data are the last good ones); a
        # clean one emptied it, and builds every page again from the cached Markdown.
        self.published = self.dirty
        listed = _nav_paths(config.nav) if config.nav is not None else set(self.generated.paths)
        for rel in sorted(self.generated.paths):
            if rel in listed or not self.dirty:
                files.append(File(rel, str(self.cache), config.site_dir, config.use_directory_urls))
            else:
                files.append(self._target(rel, config))
        return files

    def _target(self, rel: str, config: MkDocsConfig) -> File:
        """Page ``rel``, whose HTML is current, as a link target only."""
        key = (rel, config.site_dir, config.use_directory_urls)
        if key not in self.targets:
            page = File(rel, str(self.cache), config.site_dir, config.use_directory_urls)
            self.targets[key] = _LinkTarget(
                rel,
                str(self.cache),
                config.site_dir,
                config.use_directory_urls,
                dest_uri=page.dest_uri,
                inclusion=InclusionLevel.NOT_IN_NAV,
            )
        return self.targets[key]

    @_reported
    def on_page_read_source(self, /, *, page: Page, config: MkDocsConfig) -> str | None:
        if self.background is not None:
            self.background.ready(page.file.src_uri)
        return None  # MkDocs reads the file

    @_reported
    def on_env(
        self, env: jinja2.Environment, /, *, config: MkDocsConfig, files: Files
    ) -> jinja2.Environment:
        if self.background is not None:
            done, self.background = self.background.finish(), None
            pages = done.rendered  # (all of them)
            log.info("briefing: %d pages, %d rendered, %d changed", pages, pages, len(done.written))
        # The Content-Security-Policy (main.html writes it; on_post_page adds the theme's hashes).
        # Not under serve: MkDocs' live-reload script is inline and differs on every request.
        env.globals["briefing_csp"] = "" if self.serving else safe.POLICY
        if self.serving:
            env.bytecode_cache = self.compiled  # the theme's templates, compiled once
        # Pages go to Pagefind as they are built when every page is. (Later `mkdocs serve`
        # rebuilds keep the first build's index.)
        if self.config.pagefind and self.search_copy is None and self.whole:
            self.indexer = search.Indexer()
        return env

    def on_page_markdown(
        self, markdown: str, /, *, page: Page, config: MkDocsConfig, files: Files
    ) -> str:
        # Themes print these into HTML as they are; generated and hand-written pages alike.
        for key in ("title", "description"):
            if isinstance(page.meta.get(key), str):
                page.meta[key] = html.escape(page.meta[key])
        return markdown

    @_reported
    def on_post_page(self, output: str, /, *, page: Page, config: MkDocsConfig) -> str:
        output = safe.with_csp(output, page.content)
        if self.indexer is not None:
            self.indexer.add("/" + page.url, output)
        return output

    def on_post_template(
        self, output_content: str, /, *, template_name: str, config: MkDocsConfig
    ) -> str:
        return (
            safe.with_csp(output_content, None)
            if template_name.endswith(".html")
            else output_content
        )

    def on_build_error(self, *, error: Exception) -> None:
        if not self.serving:
            gc.unfreeze()
        elif not gc.isenabled():
            self._collect_later()
        if self.background is not None:
            self.background.stop()
            self.background = None
        if self.indexer is not None:
            self.indexer.close()
            self.indexer = None

    @_reported
    def on_post_build(self, *, config: MkDocsConfig) -> None:
        """The search index; the open data and feeds, unless the rendering child wrote them."""
        out = Path(config.site_dir)
        bundle = out / "pagefind"
        if self.serving and not self.failed:
            (out / ERRORS).unlink(missing_ok=True)
        indexer, self.indexer = self.indexer, None
        if indexer is not None:
            indexer.write(bundle)  # (while this process exports the data, if it does)
        if not self.published:
            self._publish(config)
        self.built = self.serving
        if not self.serving:
            gc.unfreeze()
        elif not gc.isenabled():
            self._collect_later()
        if not self.config.pagefind:
            return
        if self.serving and self.search_copy is not None and not self.removed:
            # Indexing every page again would cost seconds per edit: serve keeps the index
            # built at start (restart `mkdocs serve` to refresh search), unless pages went away.
            if not bundle.exists():
                shutil.copytree(self.search_copy, bundle)
            return
        if indexer is not None:
            indexer.wait()
        else:
            shutil.rmtree(bundle, ignore_errors=True)  # (of pages that may be gone)
            search.index(out)
        if self.serving:
            self.search_copy = self.cache.with_name(self.cache.name + "-pagefind")
            shutil.rmtree(self.search_copy, ignore_errors=True)
            shutil.copytree(bundle, self.search_copy)

    def _publish(self, config: MkDocsConfig) -> None:
        """The open data and the feeds, in the site folder."""
        out = Path(config.site_dir)
        exports.write(out, exports.files(self.site, self.settings.site_url, self.exported))
        (out / "feed.xml").write_bytes(feeds.briefs_feed(self.site, self.settings))
        (out / "updates.xml").write_bytes(feeds.updates_feed(self.site, self.settings))
        feeds.write_topic_feeds(self.site, self.settings, out)
        cards.write_cards(self.site, self.settings.site_name, out)

    def on_serve(self, server: Any, /, *, config: MkDocsConfig, builder: Any) -> Any:
        server.watch(str(self.content))
        server.watch(str(self.templates))
        if not self.config.poll and (watcher := _notified(server)):
            log.info("briefing: edits noticed through file notifications (%s)", watcher)
        # After the first build: what is alive now (the records, compiled templates, modules)
        # lives as long as the server. Taking it out of the collector's sight saves each rebuild
        # a full collection (0.7 s at 10,000 events); the first Site, replaced on the first
        # edit, is the only thing this keeps for good.
        gc.collect()
        gc.freeze()
        # From now on the collector runs between rebuilds, not during them: each rebuild leaves
        # the last Site as garbage, and a full collection that fell inside a rebuild added up
        # to 0.8 s to an edit. It runs in a timer thread a second after each rebuild.
        gc.disable()
        return server

    def _collect_later(self) -> None:
        """Serving: one full garbage collection a second from now, unless a rebuild comes first."""
        self.collector = threading.Timer(1.0, gc.collect)
        self.collector.daemon = True
        self.collector.start()
