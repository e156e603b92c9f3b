"""``briefing diff BASE [HEAD]``: what a change does to the site, between two git revisions.

The content at each revision is read from git (``git archive``) into a temporary folder and
built with the same loader and checks as ``briefing check`` (`generator.site.link.build_site`); the
two ``Site`` objects are then compared: briefs and profiles added, removed, renamed or changed
(with the fields that changed), status and confidence changes, new ``updates`` entries, and the
pages whose URL appears, disappears or moves. Without HEAD the work tree is compared, as it is,
uncommitted edits included.

The summary is text for a terminal, or Markdown for a pull request's job summary
(``$GITHUB_STEP_SUMMARY``); both come from ``templates/diff/``.
"""

from __future__ import annotations

import io
import subprocess
import tarfile
import tempfile
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from generator.content.errors import BriefingError, ContentErrors
from generator.content.model import Update
from generator.render import jinja, pages
from generator.settings import Settings
from generator.site.entries import ActorEntry, EventEntry, Site
from generator.site.link import build_site

Kind = Literal["brief", "profile"]
TEMPLATES = Path(__file__).resolve().parents[2] / "templates"
"""The summary's templates: the project's own, whatever the working folder."""


@dataclass(frozen=True)
class Named:
    """A brief or profile, as the summary names it."""

    kind: Kind
    id: str
    title: str
    page: str
    """Its page's URL, relative to the site root (``briefs/x/``)."""


@dataclass(frozen=True)
class Changed:
    """A record present on both sides whose text changed."""

    record: Named
    fields: list[str]
    """Top-level fields whose value changed, in the order the format declares them."""
    status: tuple[str, str] | None = None
    confidence: tuple[str, str] | None = None
    """Old and new confidence of the assessment (``none`` when there is none)."""
    updates: list[Update] = field(default_factory=list)
    """Change-log entries that are new on the HEAD side."""


@dataclass(frozen=True)
class Renamed:
    old: Named
    new: Named


@dataclass
class Changes:
    """Everything a change does to the site."""

    base: str
    head: str
    added: list[Named] = field(default_factory=list)
    removed: list[Named] = field(default_factory=list)
    renamed: list[Renamed] = field(default_factory=list)
    changed: list[Changed] = field(default_factory=list)
    pages_added: list[str] = field(default_factory=list)
    pages_removed: list[str] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not (self.added or self.removed or self.renamed or self.changed)

    def of(self, kind: Kind) -> dict[str, list[Any]]:
        """The lists for one kind of record, for the templates."""
        return {
            "added": [r for r in self.added if r.kind == kind],
            "removed": [r for r in self.removed if r.kind == kind],
            "renamed": [r for r in self.renamed if r.new.kind == kind],
            "changed": [c for c in self.changed if c.record.kind == kind],
        }


# -- reading the content at a revision -------------------------------------------------------


def _git(cwd: Path, *args: str) -> bytes:
    try:
        done = subprocess.run(["git", *args], cwd=cwd, capture_output=True, check=False)
    except FileNotFoundError:
        raise BriefingError(
            "git is not installed; `briefing diff` reads revisions with it"
        ) from None
    if done.returncode != 0:
        message = done.stderr.decode("utf-8", "replace").strip().splitlines()
        raise BriefingError(f"git {' '.join(args)}: {message[-1] if message else 'failed'}")
    return done.stdout


def _in_repository(content: Path) -> tuple[Path, str]:
    """The repository's top folder, and the content folder's path inside it (POSIX)."""
    here = content.resolve()
    start = next((p for p in (here, *here.parents) if p.is_dir()), Path.cwd())
    top = Path(_git(start, "rev-parse", "--show-toplevel").decode().strip())
    try:
        inside = here.relative_to(top.resolve())
    except ValueError:
        raise BriefingError(f"{content} is not inside the git repository at {top}") from None
    return top, inside.as_posix()


def _site(content: Path, label: str, timezone: str) -> Site:
    try:
        return build_site(content, timezone=timezone)
    except ContentErrors as exc:
        raise BriefingError(
            f"the content at {label} has {len(exc.errors)} error(s); "
            f"run `briefing check` on it first"
        ) from None


@contextmanager
def site_at(content: Path, revision: str | None, timezone: str) -> Iterator[Site]:
    """The site built from ``content`` as it is at ``revision`` (None: the work tree)."""
    if revision is None:
        yield _site(content, "the work tree", timezone)
        return
    top, inside = _in_repository(content)
    try:
        _git(top, "rev-parse", "--verify", "--quiet", f"{revision}^{{commit}}")
    except BriefingError:
        raise BriefingError(f"unknown revision '{revision}'") from None
    if not _git(top, "ls-tree", "-d", "--name-only", revision, "--", inside).strip():
        raise BriefingError(f"there is no folder {inside} at {revision}")
    archive = _git(top, "archive", "--format=tar", revision, "--", inside)
    with tempfile.TemporaryDirectory(prefix="briefing-diff-") as folder:
        try:
            with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
                tar.extractall(folder, filter="data")
        except (tarfile.TarError, OSError) as exc:
            raise BriefingError(f"cannot read {inside} at {revision}: {exc}") from None
        yield _site(Path(folder) / inside, revision, timezone)


# -- comparing two sites ---------------------------------------------------------------------


def _url(page: str) -> str:
    """``briefs/x.md`` -> ``briefs/x/`` (MkDocs' directory URLs); ``index.md`` -> its folder."""
    stem = page.removesuffix(".md")
    if stem == "index" or stem.endswith("/index"):
        return stem.removesuffix("index")
    return f"{stem}/"


def _records(site: Site) -> dict[tuple[Kind, str], EventEntry | ActorEntry]:
    out: dict[tuple[Kind, str], EventEntry | ActorEntry] = {}
    out.update({("brief", e.id): e for e in site.events})
    out.update({("profile", a.id): a for a in site.actors})
    return out


def _record(kind: Kind, entry: EventEntry | ActorEntry) -> Named:
    if isinstance(entry, EventEntry):
        return Named(kind, entry.id, entry.record.title, _url(f"briefs/{entry.id}.md"))
    return Named(kind, entry.id, entry.record.name, _url(f"actors/{entry.id}.md"))


def _confidence(entry: EventEntry) -> str:
    assessment = entry.record.assessment
    return (assessment.confidence if assessment else None) or "none"


def _compare(kind: Kind, old: EventEntry | ActorEntry, new: EventEntry | ActorEntry) -> Changed:
    fields = [
        name
        for name in type(new.record).model_fields
        if getattr(old.record, name) != getattr(new.record, name)
    ]
    status = confidence = None
    updates: list[Update] = []
    if isinstance(old, EventEntry) and isinstance(new, EventEntry):
        if old.record.status != new.record.status:
            status = (old.record.status, new.record.status)
        if _confidence(old) != _confidence(new):
            confidence = (_confidence(old), _confidence(new))
        updates = [u for u in new.record.updates if u not in old.record.updates]
    return Changed(_record(kind, new), fields, status, confidence, updates)


def compare(
    old: Site, new: Site, base: str, head: str, page_size: int = Settings.page_size
) -> Changes:
    """What changes on the site when ``old`` becomes ``new``."""
    changes = Changes(base, head)
    before, after = _records(old), _records(new)
    removed = [_record(key[0], before[key]) for key in before if key not in after]
    added = [_record(key[0], after[key]) for key in after if key not in before]
    # A record whose id changed but whose title did not is a rename: its URL moves.
    for gone in list(removed):
        twin = next((r for r in added if (r.kind, r.title) == (gone.kind, gone.title)), None)
        if twin is not None:
            changes.renamed.append(Renamed(gone, twin))
            removed.remove(gone)
            added.remove(twin)
    changes.added, changes.removed = added, removed
    for key in before.keys() & after.keys():
        if before[key].record != after[key].record:
            changes.changed.append(_compare(key[0], before[key], after[key]))
    changes.changed.sort(key=lambda c: (c.record.kind, c.record.id))
    old_pages = {_url(p) for p in pages.page_paths(old, page_size)}
    new_pages = {_url(p) for p in pages.page_paths(new, page_size)}
    # The pages of records added, removed or renamed are listed with them; these are the others
    # (tags, years, ...).
    listed = {r.page for r in (*added, *removed)}
    listed |= {r.old.page for r in changes.renamed} | {r.new.page for r in changes.renamed}
    changes.pages_added = sorted(new_pages - old_pages - listed)
    changes.pages_removed = sorted(old_pages - new_pages - listed)
    return changes


def diff(content: Path, base: str, head: str | None, options: Settings) -> Changes:
    """Compare ``content`` at ``base`` with ``head`` (None: the work tree), as a site of
    ``options`` (its time zone and page size) would show them."""
    zone = options.timezone
    with site_at(content, base, zone) as old, site_at(content, head, zone) as new:
        return compare(old, new, base, head or "the work tree", options.page_size)


# -- the summary -----------------------------------------------------------------------------

SummaryStyle = Literal["text", "markdown"]


def summary(changes: Changes, style: SummaryStyle, templates: Path = TEMPLATES) -> str:
    """The summary as text (terminal) or Markdown (job summary), from ``templates/diff/``."""
    # Markdown: every value is plain text, shown exactly as written (the pages' environment).
    env = jinja.environment(templates, pages=style == "markdown", marked=False)
    env.filters["oneline"] = lambda value: " ".join(str(value).split())
    suffix = "md" if style == "markdown" else "txt"
    template = env.get_template(f"diff/summary.{suffix}.j2")
    return template.render(changes=changes, kinds=_KINDS)


_KINDS: Sequence[tuple[Kind, str]] = (("brief", "Briefs"), ("profile", "Profiles"))


def run_diff(options: Settings, base: str, head: str | None, summary_file: str | None) -> str:
    """The text summary of the change to ``options.content_dir``; with ``summary_file``
    (``$GITHUB_STEP_SUMMARY``), the Markdown one is appended to it as well."""
    changes = diff(options.content_dir, base, head, options)
    if summary_file:
        with open(summary_file, "a", encoding="utf-8") as out:
            out.write(summary(changes, "markdown"))
    return summary(changes, "text")
