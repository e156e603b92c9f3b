"""The ``briefing`` command: the pipeline for editors, without MkDocs."""

from __future__ import annotations

import argparse
import logging
import os
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import jinja2
from mkdocs.exceptions import MkDocsException

from generator import settings
from generator.commands import cms, diff, github, scaffold, synth, synth_acled
from generator.content.errors import BriefingError, ContentErrors
from generator.ingest import run as ingest
from generator.publish import admin
from generator.render import handwritten
from generator.session.build import Builder, build
from generator.settings import Settings
from generator.site import addresses, editorial, pagefiles, schema
from generator.site.link import build_site
from generator.speed import tuning

_log = logging.getLogger("briefing")


def _settings(args: argparse.Namespace) -> Settings:
    """A command's settings: mkdocs.yml's (``--config``; by default mkdocs.yml if there is one),
    then the flags given (every command reads them so: ``check`` judges what the build will
    build; a new command, such as ``import``, calls this too)."""
    given = {"content_dir": args.content, "timezone": getattr(args, "timezone", None)}
    if getattr(args, "templates", None) is not None:
        given["templates_dir"] = args.templates
    try:
        return settings.for_command(args.config, **given)
    except MkDocsException as exc:  # (MkDocs has logged what is wrong, one line each)
        raise BriefingError(
            f"{_config_file(args)}: {exc or 'not a valid site settings file'}"
        ) from None


def _config_file(args: argparse.Namespace) -> Path:
    """The mkdocs.yml ``check`` reads the theme and the Markdown extensions from (if there)."""
    return args.config or settings.CONFIG


def _check(args: argparse.Namespace) -> int:
    started = time.perf_counter()
    options = _settings(args)
    content = options.content_dir
    # Drafts are checked like every record (their pages too), though no build publishes them.
    builder = Builder(options, drafts=True)
    builder.theme = pagefiles.Theme.of_file(_config_file(args))  # (read if content/pages/ needs it)
    with tuning.kept():
        pages = handwritten.check_pages(content / "pages", _config_file(args))
        try:
            site = builder.check(addresses.files_in(content / "pages"))
        except ContentErrors as exc:
            raise ContentErrors([*exc.errors, *pages]) from None
        if pages:
            raise ContentErrors(pages)
        warnings = editorial.lint(site) + schema.stale_warnings(content, site)
    seconds = time.perf_counter() - started
    github.print_warnings(warnings, github.style(args.format))
    # A stale editor schema is said but does not fail --strict: an editor on GitHub's web editor
    # cannot run `make schema`, and the site itself does not use it.
    if args.strict and any(w.rule != schema.RULE for w in warnings):
        return 1
    print(
        f"ok: {len(site.events)} events, {len(site.actors)} actors, "
        f"{len(site.tags)} tags checked in {seconds:.2f} s"
    )
    return 0


def _diff(args: argparse.Namespace) -> int:
    summary = os.environ.get("GITHUB_STEP_SUMMARY")
    print(diff.run_diff(_settings(args), args.base, args.head, summary), end="")
    return 0


def _new(args: argparse.Namespace) -> int:
    options = _settings(args)
    content, templates = options.content_dir, options.templates_dir
    if args.what == "event":
        path = scaffold.new_event(content, templates, args.title, args.date, args.type, args.actor)
    else:
        path = scaffold.new_actor(content, templates, args.title, args.kind, args.id)
    print(f"wrote {path}")
    return 0


def _schema(args: argparse.Namespace) -> int:
    # (Drafts' ids too: `check`, which says when the schema is stale, reads them.)
    content = _settings(args).content_dir
    changed = schema.write_schema(content / "schema", build_site(content, drafts=True))
    for path in changed:
        print(f"wrote {path}")
    if not changed:
        print("schema files are up to date")
    return 0


def _cms_config(args: argparse.Namespace) -> int:
    if cms.write_config(_settings(args), args.out):
        print(f"wrote {args.out}")
    else:
        print(f"{args.out} is up to date")
    return 0


def _synth(args: argparse.Namespace) -> int:
    if args.acled:
        if args.out.exists():
            raise BriefingError(f"{args.out} exists; give a new file")
        synth_acled.generate_acled(args.out, rows=args.events, seed=args.seed)
        print(f"wrote {args.events} ACLED-shaped rows to {args.out}")
        return 0
    if args.out.exists() and any(args.out.iterdir()):
        raise BriefingError(f"{args.out} is not empty; give a new folder")
    synth.generate(args.out, events=args.events, actors=args.actors, seed=args.seed)
    print(f"wrote {args.events} events and {args.actors} actors to {args.out}")
    return 0


def _import(args: argparse.Namespace) -> int:
    content = _settings(args).content_dir
    result = ingest.run(args.source, args.mapping, content, dry_run=args.dry_run)
    print(ingest.report(result, args.dry_run), end="")
    return 0


def _render(args: argparse.Namespace) -> int:
    loaded = _settings(args)
    written = build(loaded, addresses.files_in(loaded.content_dir / "pages"), args.out)
    print(f"rendered {len(written)} pages into {args.out}")
    return 0


def _content(p: argparse.ArgumentParser) -> None:
    """``--content`` and ``--config``, which every command takes (see `_settings`)."""
    p.add_argument(
        "--content", type=Path, help="content folder (default: mkdocs.yml's, else content)"
    )
    p.add_argument(
        "--config",
        type=Path,
        help="site settings, read as the build reads them (default: mkdocs.yml, if there is one)",
    )


def _check_and_diff(commands: Any) -> None:
    p = commands.add_parser("check", help="validate every record and cross-reference")
    _content(p)
    p.add_argument(
        "--timezone",
        help="default time zone of local dates (default: mkdocs.yml's, else Asia/Seoul)",
    )
    p.add_argument(
        "--strict", action="store_true", help="fail (exit 1) on editorial warnings as well"
    )
    p.add_argument(
        "--format",
        choices=github.STYLES,
        help="text, or github: workflow commands that annotate a pull request's changed lines "
        "(default: github under GitHub Actions, else text)",
    )
    p.set_defaults(run=_check)

    p = commands.add_parser("diff", help="what a change does to the site, between git revisions")
    _content(p)
    p.add_argument("base", metavar="BASE", help="git revision to compare with, e.g. origin/main")
    p.add_argument(
        "head", metavar="HEAD", nargs="?", help="git revision (default: the work tree, as it is)"
    )
    p.set_defaults(run=_diff)


def _writers(commands: Any) -> None:
    p = commands.add_parser("new", help="write a valid record skeleton (never overwrites)")
    _content(p)
    p.add_argument(
        "--templates", type=Path, help="templates folder (default: mkdocs.yml's, else templates)"
    )
    p.add_argument("what", choices=["event", "actor"], help="kind of record")
    p.add_argument("title", help="event title or actor name")
    p.add_argument("--date", help="event: local date (EDTF), e.g. 2024-06-26")
    p.add_argument("--type", help="event: an id from the vocabulary's event_types")
    p.add_argument("--actor", action="append", default=[], help="event: an actor id (repeatable)")
    p.add_argument("--kind", help="actor: an id from the vocabulary's actor_kinds")
    p.add_argument("--id", help="actor: the id, when the name has no Latin letters")
    p.set_defaults(run=_new)

    p = commands.add_parser("schema", help="write JSON Schema files to CONTENT/schema/")
    _content(p)
    p.set_defaults(run=_schema)

    p = commands.add_parser("cms-config", help="write the editing form's configuration (/admin/)")
    _content(p)
    p.add_argument(
        "--out", type=Path, default=admin.ADMIN_CONFIG, help="default: templates/admin/config.yml"
    )
    p.set_defaults(run=_cms_config)

    p = commands.add_parser("synth", help="write a synthetic content tree for benchmarks")
    p.add_argument("--events", type=int, default=1000, help="number of events")
    p.add_argument("--actors", type=int, default=100, help="number of actors")
    p.add_argument("--seed", type=int, default=1, help="random seed")
    p.add_argument(
        "--acled",
        action="store_true",
        help="write an ACLED-shaped CSV export of N rows to OUT (a new file) instead",
    )
    p.add_argument("out", type=Path, help="output folder (new or empty), or file with --acled")
    p.set_defaults(run=_synth)

    p = commands.add_parser("import", help="import a data set's rows as records (CSV, JSON, XLSX)")
    _content(p)
    p.add_argument("source", type=Path, metavar="SOURCE", help="the data file")
    p.add_argument("--mapping", type=Path, required=True, help="the mapping (mappings/*.yaml)")
    p.add_argument("--dry-run", action="store_true", help="say what would change; write nothing")
    p.set_defaults(run=_import)

    p = commands.add_parser("render", help="write the generated Markdown tree for inspection")
    _content(p)
    p.add_argument("--timezone", help="default time zone of local dates (default: mkdocs.yml's)")
    p.add_argument("out", type=Path, help="output folder")
    p.set_defaults(run=_render)


def parser() -> argparse.ArgumentParser:
    top = argparse.ArgumentParser(prog="briefing", description=__doc__)
    commands = top.add_subparsers(dest="command", required=True, metavar="COMMAND")
    _check_and_diff(commands)
    _writers(commands)
    return top


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command in ``argv`` (default: the command line); the exit code."""
    logging.basicConfig(format="%(levelname)s: %(message)s", level=logging.INFO)
    top = parser()
    args = top.parse_args(argv)
    if args.command == "new":
        needed = ("date", "type") if args.what == "event" else ("kind",)
        missing = [f"--{name}" for name in needed if getattr(args, name) is None]
        if missing:
            top.error(f"new {args.what} needs {' and '.join(missing)}")
    try:
        return int(args.run(args))
    except ContentErrors as exc:
        github.print_errors(exc.errors, github.style(getattr(args, "format", None)))
        return 1
    except BriefingError as exc:
        print(f"briefing: {exc}", file=sys.stderr)
        return 1
    except jinja2.TemplateNotFound as exc:  # (the templates are the site's, found from here)
        print(
            f"briefing: no template {exc.name} under {Path.cwd()}: run briefing in the site's "
            "folder (beside mkdocs.yml), or name its mkdocs.yml with --config",
            file=sys.stderr,
        )
        return 1


def console() -> int:
    """The ``briefing`` program (and ``python -m generator``): `main`, then exit at once.

    A check of 10,000 events leaves a graph of millions of objects, which the interpreter would
    free one by one before exiting (about a second after the last line printed). The output is
    flushed and the process ends with `main`'s exit code, without that teardown. Should the
    flush fail (a closed pipe), the exit is left to Python, which says so as it always has.
    """
    code = main()
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except OSError:
        return code
    os._exit(code)
