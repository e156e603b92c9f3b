"""The content tree read: record files found, each read (`generator.content.load`) and typed
(`generator.content.validate`), with the cache `mkdocs serve` keeps across rebuilds.

Problems go to a list of errors, and reading goes on: one run reports every file's problems.
Checks across records and the cross-referencing are `generator.site.link`'s.
"""

from __future__ import annotations

import os
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from generator.content import model
from generator.content.errors import ContentError, ContentErrors, display_path
from generator.content.load import Document, file_problem, load_file
from generator.content.model import Actor, Event, Vocabulary
from generator.content.validate import to_record

ID_PATTERN = re.compile(model.SLUG_PATTERN)
RESERVED_IDS = frozenset({"index"})
MAX_PAGE_BYTES = 256 * 1024
"""The largest hand-written page in content/pages/ (maintainers' pages, reviewed as such)."""


@dataclass(eq=False)
class Records:
    """Every record read, valid or not, by id; ids are those of every record file."""

    vocabulary: Vocabulary | None
    vocabulary_doc: Document | None
    event_ids: set[str]
    actor_ids: set[str]
    events: dict[str, tuple[Document, Event]]
    """Valid events, with their documents."""
    bad_events: dict[str, Document]
    """Events that read but are not valid."""
    actors: dict[str, tuple[Document, Actor]]
    bad_actors: dict[str, Document]


def read(content_dir: Path, errors: list[ContentError], cache: RecordCache | None) -> Records:
    """Every record under ``content_dir``; problems go to ``errors``. With a ``cache``, files
    whose modification time and size are unchanged are not read again."""
    vocabulary, vocabulary_doc = _vocabulary(content_dir / "vocabulary.yaml", content_dir, errors)
    event_files = _record_files(content_dir / "events", content_dir, errors)
    actor_files = _record_files(content_dir / "actors", content_dir, errors)
    events, bad_events = _load_all(event_files, Event, content_dir, errors, cache)
    actors, bad_actors = _load_all(actor_files, Actor, content_dir, errors, cache)
    _check_pages(content_dir / "pages", content_dir, errors)
    _check_top_names(content_dir, errors)
    return Records(
        vocabulary,
        vocabulary_doc,
        set(event_files),
        set(actor_files),
        events,
        bad_events,
        actors,
        bad_actors,
    )


def _vocabulary(
    path: Path, root: Path, errors: list[ContentError]
) -> tuple[Vocabulary | None, Document | None]:
    if not os.path.lexists(path):
        errors.append(ContentError(display_path(path), 1, 1, "", "vocabulary file is missing"))
        return None, None
    try:
        doc = load_file(path, root=root)
    except ContentErrors as exc:
        errors.extend(exc.errors)
        return None, None
    return to_record(doc, Vocabulary, errors), doc


def _folder_error(path: str, message: str) -> ContentError:
    return ContentError(display_path(Path(path)), 1, 1, "", message)


def _walk_folder(folder: Path, root: Path, errors: list[ContentError]) -> list[tuple[str, str]]:
    """Every file under ``folder`` (not hidden) as (path, path shown), sorted. Unreadable
    folders, a file where the folder should be and folder links leaving ``root`` are errors;
    a missing folder has no files."""
    if not os.path.lexists(folder):
        return []
    if not folder.is_dir():
        errors.append(_folder_error(str(folder), "is not a folder: records go in a folder"))
        return []
    top_real, root_real = os.path.realpath(folder), os.path.realpath(root)
    if os.path.commonpath([top_real, root_real]) != root_real:
        errors.append(
            _folder_error(
                str(folder),
                f"is a symbolic link to {top_real}, outside {display_path(root)}/: "
                "content files must be inside the content folder",
            )
        )
        return []

    def unreadable(exc: OSError) -> None:
        errors.append(_folder_error(str(exc.filename), f"cannot read folder: {exc.strerror}"))

    base = display_path(folder)
    names = []  # os.walk rather than Path.rglob: this runs on every `mkdocs serve` rebuild
    for top, dirs, files in os.walk(folder, onerror=unreadable):
        shown = os.path.normpath(os.path.join(base, os.path.relpath(top, folder)))
        if not (top.isascii() and all(map(str.isascii, dirs)) and all(map(str.isascii, files))):
            dirs[:] = _named_well(shown, dirs, "folder", errors)  # (not walked into)
            files = _named_well(shown, files, "file", errors)
        for name in dirs:
            if not name.startswith(".") and os.path.islink(os.path.join(top, name)):
                errors.append(
                    ContentError(
                        os.path.join(shown, name),
                        1,
                        1,
                        "",
                        "is a symbolic link to a folder, which is not read: "
                        "move the files into the content folder",
                    )
                )
        # (Joined by hand: os.path.join, twice per file, was a tenth of an edit's reading.)
        inside, seen = os.path.join(top, ""), os.path.join(shown, "")
        names += [
            (inside + name, seen + name)
            for name in files
            if not name.startswith(".") or name.lower().endswith((".yaml", ".yml"))
        ]
    return sorted(names)


def _named_well(shown: str, names: list[str], kind: str, errors: list[ContentError]) -> list[str]:
    """``names`` (in the folder shown as ``shown``) less those that are not UTF-8 or not in
    Unicode's composed form (NFC), each reported: the site's addresses, edit links and search
    are made from them, and a name that is not UTF-8 cannot be printed or put in an address;
    a decomposed accent makes a second name that looks the same as the first."""
    kept = []
    for name in names:
        where = os.path.join(shown, name)
        try:
            name.encode("utf-8")
        except UnicodeEncodeError:  # (bytes that are not UTF-8, as os.fsdecode keeps them)
            readable = os.fsencode(where).decode("utf-8", "backslashreplace")
            message = f"{kind} name is not UTF-8 text: rename it"
            errors.append(ContentError(readable, 1, 1, "", message))
            continue
        if not unicodedata.is_normalized("NFC", name):
            composed = unicodedata.normalize("NFC", name)
            message = (
                f"{kind} name is not in Unicode's composed form (NFC): its accents are "
                f"characters of their own; rename it {composed!r}, as typed"
            )
            errors.append(ContentError(where, 1, 1, "", message))
            continue
        kept.append(name)
    return kept


def _check_top_names(content_dir: Path, errors: list[ContentError]) -> None:
    """The names in the content folder itself, as those below it (`_named_well`): what the walks
    of events/, actors/ and pages/ do not see."""
    try:
        entries = list(os.scandir(content_dir))
    except OSError:
        return  # (the folders' own reading says why)
    if all(entry.name.isascii() for entry in entries):
        return
    shown = display_path(content_dir)
    folders = [entry.name for entry in entries if entry.is_dir(follow_symlinks=False)]
    _named_well(shown, folders, "folder", errors)
    _named_well(shown, [e.name for e in entries if e.name not in folders], "file", errors)


def _record_files(
    folder: Path, root: Path, errors: list[ContentError]
) -> dict[str, tuple[str, str]]:
    """Record files (path, path shown) by id (the file stem), checking names and duplicates."""
    found: dict[str, tuple[str, str]] = {}
    for name, where in _walk_folder(folder, root, errors):
        filename = os.path.basename(name)
        if filename.startswith(".#"):  # an editor's lock file (Emacs), not a record
            continue
        stem, dot, suffix = filename.rpartition(".")
        suffix = dot + suffix
        if suffix.lower() not in (".yaml", ".yml"):
            continue
        if suffix != ".yaml":  # .yml, .YAML: one spelling keeps ids and links predictable
            errors.append(ContentError(where, 1, 1, "", "use the .yaml extension"))
            continue
        if stem in RESERVED_IDS:
            errors.append(
                ContentError(where, 1, 1, "", f"'{stem}' is reserved; choose another file name")
            )
        elif len(stem) > 80 or not ID_PATTERN.match(stem):
            errors.append(
                ContentError(
                    where,
                    1,
                    1,
                    "",
                    f"file name '{stem}' is not a valid id: lowercase a-z and 0-9 words joined by "
                    "hyphens, at most 80 characters",
                )
            )
        elif stem in found:
            errors.append(
                ContentError(where, 1, 1, "", f"duplicate id '{stem}': also {found[stem][1]}")
            )
        else:
            found[stem] = (name, where)
    return found


def _check_pages(folder: Path, root: Path, errors: list[ContentError]) -> None:
    """Hand-written pages follow the record files' rules: regular files inside the content
    folder, and Markdown pages within the size limit."""
    for name, where in _walk_folder(folder, root, errors):
        problem = file_problem(Path(name), root)
        if problem is None and name.endswith(".md") and os.stat(name).st_size > MAX_PAGE_BYTES:
            size = os.stat(name).st_size // 1024
            problem = f"file is {size} KB; pages are limited to {MAX_PAGE_BYTES // 1024} KB"
        if problem is not None:
            errors.append(ContentError(where, 1, 1, "", problem))


@dataclass(eq=False)
class RecordCache:
    """What `mkdocs serve` keeps across rebuilds, so that an edit re-reads and re-checks only
    the files that changed."""

    files: dict[str, tuple[tuple[int, int], Document, Any]] = field(default_factory=dict)
    """Valid records by file, with the (mtime, size) they were read at."""
    context: tuple[Any, ...] | None = None
    """The vocabulary and the event and actor ids the events in ``checked`` were checked with."""
    checked: dict[str, Event] = field(default_factory=dict)
    """Events (by id) that passed the checks across records in that context."""


def _load_all(
    paths: dict[str, tuple[str, str]],
    record_type: type[Any],
    root: Path,
    errors: list[ContentError],
    cache: RecordCache | None,
) -> tuple[dict[str, tuple[Document, Any]], dict[str, Document]]:
    """Valid records by id, and the documents of those that read but are not valid."""
    loaded, invalid = {}, {}
    for record_id, (path, where) in paths.items():
        stamp = None
        if cache is not None:
            try:
                stat = os.stat(path)
            except OSError:
                stat = None  # load_file says why
            stamp = (stat.st_mtime_ns, stat.st_size) if stat is not None else None
            hit = cache.files.get(path)
            if hit is not None and hit[0] == stamp and isinstance(hit[2], record_type):
                loaded[record_id] = (hit[1], hit[2])
                continue
        try:
            doc = load_file(Path(path), where, root=root)
        except ContentErrors as exc:
            errors.extend(exc.errors)
            continue
        record = to_record(doc, record_type, errors)
        if record is None:
            invalid[record_id] = doc
            continue
        loaded[record_id] = (doc, record)
        if cache is not None and stamp is not None:
            cache.files[path] = (stamp, doc, record)
    return loaded, invalid
