"""The MkDocs adapter: MkDocs' events, turned into calls to `generator.session.build.Builder`
(`generator.session.serve.Session` under `mkdocs serve`).

Pages are written to a cache folder and added as files with that source path, so
`mkdocs serve --dirty` rebuilds only what an edit changed. Pages whose HTML is already current
are added as link targets only: MkDocs resolves links to them but spends nothing on them.
"""

from __future__ import annotations

import functools
import html
import os
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any, Concatenate, ParamSpec, TypeVar

import jinja2
from mkdocs.config.base import LegacyConfig
from mkdocs.config.config_options import ExtraScriptValue
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin
from mkdocs.structure.files import File, Files
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page
from mkdocs.structure.toc import AnchorLink
from mkdocs.utils.templates import TemplateContext

from generator import settings
from generator.adapter import mkdocs_quirks, preview, trim
from generator.content.errors import BriefingError, ContentErrors, display_path, warn
from generator.publish import csp, minify, sitemap
from generator.render import embed, handwritten, pages
from generator.session.build import Builder
from generator.session.serve import Session
from generator.site import addresses, pagefiles
from generator.speed import ENVIRONMENT, Speed

SERVE_SCRIPT = "assets/briefing-serve.js"
"""Shows the content's errors over the page (templates/overrides/), under serve only."""

P = ParamSpec("P")
R = TypeVar("R")


def _reported(event: Callable[Concatenate[Any, P], R]) -> Callable[Concatenate[Any, P], R]:
    """Errors meant for people (a record's line, a template's line) end the build as MkDocs'
    own errors do: one message, no traceback."""

    @functools.wraps(event)
    def run(plugin: Any, /, *args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return event(plugin, *args, **kwargs)
        except ContentErrors as exc:
            raise PluginError(f"the content has errors:\n{exc}") from None
        except BriefingError as exc:
            raise PluginError(str(exc)) from None

    return run


def _sitemap_urls(files: Files) -> list[sitemap.SitemapUrl]:
    """The pages MkDocs builds, as its own sitemap lists them (at the canonical address), with
    the record's date of the generated ones (``lastmod`` in their front matter)."""
    urls = []
    for file in files.documentation_pages():
        page = file.page
        if page is None or page.is_link or not (loc := page.canonical_url or page.abs_url):
            continue
        lastmod = page.meta.get("lastmod")
        urls.append(sitemap.SitemapUrl(loc, str(lastmod) if lastmod else None))
    return urls


def _unmark(links: Iterable[AnchorLink]) -> None:
    """The headings of a page's table of contents without the marks of plain record text
    (`generator.render.embed`): MkDocs took them from the converted Markdown."""
    for link in links:
        link.title = embed.unmark(link.title)
        _unmark(link.children)


class BriefingPlugin(BasePlugin[LegacyConfig]):
    config_scheme = settings.SCHEME
    """The options in mkdocs.yml: the fields of `generator.settings.Settings` declared as such."""

    @_reported
    def on_startup(self, *, command: str, dirty: bool) -> None:
        # Defining on_startup keeps this instance alive across `mkdocs serve` rebuilds (MkDocs
        # documents this), so the builder keeps its records and search index between edits.
        speed = Speed.named(os.environ.get(ENVIRONMENT))  # (tests turn fast paths off)
        self.builder = (Session if command == "serve" else Builder)(dirty=dirty, speed=speed)
        # (MkDocs' line for each page the writer writes)
        self.skipped = mkdocs_quirks.Skipped().install()
        self.fragments: list[tuple[str, bool]] = []
        """The record text of the page MkDocs is converting (`on_page_markdown`)."""

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        self.builder.settings = settings.from_mkdocs(config, self.config)
        self.builder.theme = pagefiles.Theme.of(config)
        # (Not under serve, a preview, whose address MkDocs sets to its own, local, one.)
        address = settings.address_warning(self.builder.settings.site_url)
        if address and not self.builder.serving:
            warn(address)
        # (new at each build: a failed one may have left pages)
        self.converted = mkdocs_quirks.Converted()
        self.skipped.handed.clear()
        if self.builder.serving:  # (shows content errors over the page: see Session._last_good)
            script = ExtraScriptValue(SERVE_SCRIPT)
            script.type = "module"  # (the site's scripts are ES modules: see dom.js)
            config.extra_javascript.append(script)
        return config

    def on_pre_build(self, *, config: MkDocsConfig) -> None:
        # (before MkDocs empties the site folder, in a build that is not dirty)
        self.builder.wait(abandon=True)
        self.builder.prepare(Path(config.site_dir))

    @_reported
    def on_files(self, files: Files, /, *, config: MkDocsConfig) -> Files:
        handwritten = {
            f.src_uri: display_path(Path(f.abs_src_path))
            for f in files
            if f.src_dir == config.docs_dir and f.abs_src_path
        }
        nav = addresses.nav_paths(config.nav) if config.nav is not None else None
        listing = self.builder.start(Path(config.site_dir), handwritten, nav)
        # (Serving goes on with the last good site when files are refused: not with them.)
        pagefiles.remove(files, self.builder.refused, config.docs_dir, self.builder.theme)
        where = (str(self.builder.settings.cache_dir), config.site_dir, config.use_directory_urls)
        for rel in listing.paths:
            built = rel in listing.built
            files.append(File(rel, *where) if built else mkdocs_quirks.link_target(rel, *where))
        return files

    @_reported
    def on_page_read_source(self, /, *, page: Page, config: MkDocsConfig) -> str | None:
        self.builder.ready(page.file.src_uri)
        return None  # MkDocs reads the file

    @_reported
    def on_env(
        self, env: jinja2.Environment, /, *, config: MkDocsConfig, files: Files
    ) -> jinja2.Environment:
        self.builder.pages_read(_sitemap_urls(files))
        # The Content-Security-Policy (main.html writes it; on_post_page adds the theme's hashes).
        # Under serve, the server sends it as a header instead (`on_serve`).
        env.globals["briefing_csp"] = csp.POLICY
        # `tojson` (a brief's JSON-LD, Material's configuration) without spaces after separators.
        env.policies["json.dumps_kwargs"] = {"sort_keys": True, "separators": (",", ":")}
        if self.builder.serving:
            env.bytecode_cache = self.builder.compiled  # the theme's templates, compiled once
        return env

    def on_page_markdown(
        self, markdown: str, /, *, page: Page, config: MkDocsConfig, files: Files
    ) -> str:
        # Themes print these into HTML as they are; generated and hand-written pages alike.
        for key in ("title", "description"):
            if isinstance(page.meta.get(key), str):
                page.meta[key] = html.escape(page.meta[key])
        if not self._generated(page):
            return markdown
        # A generated page's record Markdown, as sanitized HTML, is cut off here and put in
        # place once MkDocs has converted the rest (`on_page_content`): MkDocs never reads it.
        markdown, self.fragments = embed.detach(markdown)
        return markdown

    @_reported
    def on_page_content(
        self, html: str, /, *, page: Page, config: MkDocsConfig, files: Files
    ) -> str:
        if self._generated(page):
            html = self.builder.embed(page.file.src_uri, html, self.fragments)
            self.fragments = []
            _unmark(page.toc)
        elif page.file.abs_src_path:  # (a hand-written page, from a pull request like records)
            html = handwritten.published(Path(page.file.abs_src_path), html)
        # MkDocs keeps every page's Markdown and HTML until the build ends (it converts all
        # pages before it renders any). The Markdown is no longer needed once converted; the
        # HTML waits compressed until the page is built (`on_page_context`). Every other page's
        # navigation, drawer and header print the title: it is kept first (from the front
        # matter or the first heading, HTML-escaped either way: `on_page_markdown`, and MkDocs
        # keeps a heading's entities).
        mkdocs_quirks.keep_title(page)
        page.markdown = None
        return self.converted.hold(page, html)

    def _generated(self, page: Page) -> bool:
        """Whether ``page`` is one the generator wrote (not a hand-written one)."""
        return page.file.src_dir == str(self.builder.settings.cache_dir)

    def on_page_context(
        self, context: TemplateContext, /, *, page: Page, config: MkDocsConfig, nav: Navigation
    ) -> TemplateContext:
        self.converted.give_back(page)
        page.toc = trim.toc(page.toc, page.content or "")  # (none on short pages)
        return context

    @_reported
    def on_post_page(self, output: str, /, *, page: Page, config: MkDocsConfig) -> str:
        html = csp.with_csp(output, page.content, self._images(page))
        output = self.builder.page_built("/" + page.url, html, page.file.abs_dest_path)
        if not output:  # (the writer child writes it: see generator.speed.pagewriter)
            self.skipped.handed.add(page.file.src_uri)
            output = mkdocs_quirks.SKIP_WRITE
        page.content = None  # (written: the rest of the build needs the page's address only)
        return output

    def _images(self, page: Page) -> list[str]:
        """Origins ``page``'s images come from besides the site: the tiles, on the map page
        the generator wrote (not a hand-written page: `addresses` keeps them off its path)."""
        options = self.builder.settings
        origin = settings.tile_origin(options.map_tiles)
        generated = page.file.src_dir == str(options.cache_dir)
        return [origin] if origin and generated and page.file.src_uri in pages.MAPS else []

    def on_post_template(
        self, output_content: str, /, *, template_name: str, config: MkDocsConfig
    ) -> str:
        if not template_name.endswith(".html"):
            return output_content
        return minify.page(csp.with_csp(output_content, None))

    def on_build_error(self, *, error: Exception) -> None:
        self.builder.abort()

    @_reported
    def on_post_build(self, *, config: MkDocsConfig) -> None:
        self.builder.finish()

    def on_shutdown(self) -> None:
        self.builder.wait()

    def on_serve(self, server: Any, /, *, config: MkDocsConfig, builder: Any) -> Any:
        options = self.builder.settings
        mkdocs_quirks.watch(server, [options.content_dir, options.templates_dir], poll=options.poll)
        self.builder.collector.serving_starts()
        # Each page's policy as a header, with a nonce for MkDocs' live-reload script.
        mkdocs_quirks.wrap_app(server, preview.Policy)
        return server
