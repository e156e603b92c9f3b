"""Strict YAML loading: plain data plus the source position of every key and value.

Every scalar is read as a string and typed later by the schema, so ``NO``, ``5:30``, ``1.10``
and ``yes`` stay what the editor wrote. Duplicate keys, anchors, aliases, tags, multi-document
files, non-UTF-8 text, empty and oversized files, values nested deeper than ``MAX_DEPTH``, and
anything but a regular file inside the content folder are errors. The C parser does the
parsing; this module only walks its events.

Duplicate keys, anchors, aliases and tags do not stop the reading: they are kept in
``Document.problems`` (the first value of a duplicated key is kept), so that the schema and the
references are checked in the same run.

Positions are what most of a document's memory would be, and are wanted only for a problem: a
file read without any is read without noting them (`_plain_stream`), and read again for them
the first time one is asked for (`Document.position`). Anything out of the ordinary sends the
file to the walk that notes positions and problems as it goes (`_walk_stream`).
"""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from generator.content.errors import ContentError, ContentErrors, Loc, display_path, field_path

MAX_BYTES = 32 * 1024
"""The largest record file (the largest shipped record is 9.6 KB). It bounds the work one record
can ask of a check and a build: a record of this size at every list's limit, its Markdown the
slowest to convert, is to add under 1 s to a check and 2 s of CPU to a build (the targets of
tests/benchmarks/bench_safe.py; its figures, and those at twice this size, are in
tests/benchmarks/README.md). Pages in content/pages/ have
their own limit (`generator.content.records.MAX_PAGE_BYTES`)."""
MAX_DEPTH = 20
"""How deep values may nest (a record needs 4 levels: sources -> [0] -> date)."""
Position = tuple[int, int]

_Parser: Any = getattr(yaml, "CBaseLoader", yaml.BaseLoader)  # the C parser when built


@dataclass
class Document:
    """One YAML file as plain data, with positions (1-based line, column) by field path."""

    path: Path
    display: str
    data: dict[str, Any]
    problems: list[ContentError] = field(default_factory=list)
    """Errors found while reading that did not stop it (duplicate keys, anchors, tags)."""
    explained: set[Loc] = field(default_factory=set)
    """Values replaced by a placeholder after a problem: schema errors there are not repeated."""
    mentions_todo: bool = True
    """Whether the text holds ``TODO`` anywhere (else no value needs looking at for it)."""
    text: str | None = None
    """The file's text, while the positions are still to be found in it."""
    located: tuple[dict[Loc, Position], dict[Loc, Position]] | None = field(
        default=None, repr=False
    )
    """The positions of values and of keys, once noted."""

    @property
    def values(self) -> dict[Loc, Position]:
        """Where each value starts, by field path."""
        return self._located()[0]

    @property
    def keys(self) -> dict[Loc, Position]:
        """Where each mapping key starts, by field path."""
        return self._located()[1]

    def _located(self) -> tuple[dict[Loc, Position], dict[Loc, Position]]:
        if self.located is None:
            self.located = ({}, {})
            if self.text is not None:  # (read plainly: walk it again, noting them)
                _walk_stream(self.text, self)
        self.text = None
        return self.located

    def position(self, loc: Loc, *, key: bool = False) -> Position:
        """Where ``loc`` is written; the nearest enclosing value when it is not there."""
        table = self.keys if key else self.values
        while loc:
            if loc in table:
                return table[loc]
            if key and loc in self.values:
                return self.values[loc]
            loc = loc[:-1]
        return self.values.get((), (1, 1))

    def error(
        self, loc: Loc, message: str, *, key: bool = False, label: Loc | None = None
    ) -> ContentError:
        line, col = self.position(loc, key=key)
        return ContentError(
            self.display, line, col, field_path(label if label is not None else loc), message
        )


class _Fail(Exception):
    def __init__(self, mark: Any, message: str, loc: Loc = ()) -> None:
        self.position = (mark.line + 1, mark.column + 1)
        self.message = message
        self.loc = loc


def file_problem(path: Path, root: Path | None = None) -> str | None:
    """Why ``path`` cannot be read as a content file, or None: it must be a regular file (not a
    folder, device, pipe or socket), inside ``root`` once symbolic links are followed.

    The folders above ``path`` are taken to be inside ``root``: callers find files by walking
    ``root`` without following links to folders.
    """
    try:
        info = os.lstat(path)
        link = stat.S_ISLNK(info.st_mode)
        if link:
            info = os.stat(path)
    except OSError as exc:
        if os.path.islink(path):
            return f"is a symbolic link to {os.readlink(path)}, which does not exist"
        return f"cannot read file: {exc.strerror}"
    if link and root is not None:
        real, top = os.path.realpath(path), os.path.realpath(root)
        if os.path.commonpath([real, top]) != top:
            return (
                f"is a symbolic link to {real}, outside {display_path(root)}/: "
                "content files must be inside the content folder"
            )
    if not stat.S_ISREG(info.st_mode):
        kind = "a folder" if stat.S_ISDIR(info.st_mode) else "a device, pipe or socket"
        return f"is {kind}, not a regular file"
    return None


def _size_problem(size: int) -> str | None:
    if size > MAX_BYTES:
        return f"file is {size // 1024} KB; records are limited to {MAX_BYTES // 1024} KB"
    return None


def read_bytes(path: Path, root: Path | None = None) -> bytes:
    """The bytes of a content file, after the file rules and the size limit are checked
    (before anything is read); raise ``ValueError`` with the message otherwise."""
    problem = file_problem(path, root)
    if problem is not None:
        raise ValueError(problem)
    # O_NONBLOCK: should the file have become a pipe since, opening it must not wait.
    handle = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
    with os.fdopen(handle, "rb") as file:
        info = os.fstat(file.fileno())
        if not stat.S_ISREG(info.st_mode):
            raise ValueError("is a device, pipe or socket, not a regular file")
        problem = _size_problem(info.st_size)
        if problem is not None:
            raise ValueError(problem)
        raw = file.read(MAX_BYTES + 1)  # never more, whatever the file claimed
    if len(raw) > MAX_BYTES:
        raise ValueError(f"file is over {MAX_BYTES // 1024} KB; records are limited to that")
    return raw


def load_file(path: Path, display: str | None = None, *, root: Path | None = None) -> Document:
    """Read one record file; raise ``ContentErrors`` with positions on any problem that stops
    the reading (others are in ``Document.problems``).

    ``display`` is the path shown in messages (computed from ``path`` when not given); with a
    ``root``, the file must be inside it (see ``file_problem``).
    """
    display = display or display_path(path)

    def fail(line: int, col: int, message: str, loc: Loc = ()) -> ContentErrors:
        return ContentErrors([ContentError(display, line, col, field_path(loc), message)])

    try:
        raw = read_bytes(path, root)
    except ValueError as exc:
        raise fail(1, 1, str(exc)) from None
    except OSError as exc:
        raise fail(1, 1, f"cannot read file: {exc.strerror}") from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        before = raw[: exc.start]
        line = before.count(b"\n") + 1
        col = exc.start - (before.rfind(b"\n") + 1) + 1
        raise fail(line, col, "file is not UTF-8 text (save it as UTF-8)") from None
    doc = Document(path, display, {}, mentions_todo="TODO" in text)
    try:
        doc.data, doc.text = _plain_stream(text), text
    except (_Unusual, yaml.YAMLError):
        pass  # (read again below, which says what is wrong)
    else:
        return doc
    try:
        doc.data = _walk_stream(text, doc)
    except _Fail as exc:
        raise fail(*exc.position, exc.message, exc.loc) from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        problem = exc.problem or exc.context or "invalid YAML"
        raise fail(line, col, f"YAML syntax error: {problem}") from None
    except yaml.reader.ReaderError as exc:  # characters YAML does not allow carry no mark
        line, col = _line_col(text, exc.position)
        code = exc.character if isinstance(exc.character, int) else ord(exc.character)
        what = "noncharacter" if code in (0xFFFE, 0xFFFF) else "control character"
        raise fail(line, col, f"the {what} U+{code:04X} is not allowed in YAML files") from None
    except yaml.YAMLError as exc:
        raise fail(1, 1, f"YAML error: {str(exc).splitlines()[0]}") from None
    return doc


def _line_col(text: str, position: int) -> Position:
    """Line and column (in characters) of a reader error, which the C parser gives as an
    offset in the UTF-8 bytes (the Python parser, in characters)."""
    if _Parser is yaml.BaseLoader:
        before = text[:position]
    else:
        before = text.encode("utf-8")[:position].decode("utf-8", "replace")
    return before.count("\n") + 1, len(before) - (before.rfind("\n") + 1) + 1


def _walk_stream(text: str, doc: Document) -> dict[str, Any]:
    parser = _Parser(text)
    try:
        parser.get_event()  # StreamStart
        event = parser.get_event()
        if isinstance(event, yaml.StreamEndEvent):
            raise _Fail(event.start_mark, "file is empty: a record is a mapping of fields")
        root_event = parser.get_event()
        if not isinstance(root_event, yaml.MappingStartEvent):
            raise _Fail(
                root_event.start_mark, "the top level must be a mapping of fields (key: value)"
            )
        _refuse(root_event, (), doc)
        data = _walk(parser, root_event, (), doc, 1)
        parser.get_event()  # DocumentEnd
        event = parser.get_event()
        if not isinstance(event, yaml.StreamEndEvent):
            raise _Fail(event.start_mark, "only one YAML document per file (remove the '---')")
        return data  # type: ignore[no-any-return]
    finally:
        parser.dispose()


_Scalar, _SeqStart, _SeqEnd = yaml.ScalarEvent, yaml.SequenceStartEvent, yaml.SequenceEndEvent
_MapStart, _MapEnd, _Alias = yaml.MappingStartEvent, yaml.MappingEndEvent, yaml.AliasEvent


class _Unusual(Exception):
    """Something `_plain_stream` leaves to `_walk_stream`, which notes it where it is."""


def _plain_stream(text: str) -> dict[str, Any]:
    """The data of a record file with nothing to note: one document, a mapping at the top, no
    duplicate key, anchor, alias or tag, nothing nested deeper than ``MAX_DEPTH``. Raise
    `_Unusual` otherwise (or the parser's error). The same data as `_walk_stream`, without
    positions: it takes a fifth less time and half the memory."""
    parser = _Parser(text)
    try:
        parser.get_event()  # StreamStart
        parser.get_event()  # DocumentStart (or StreamEnd: an empty file)
        if type(parser.get_event()) is not _MapStart:
            raise _Unusual
        data = _plain_mapping(parser, 1)
        parser.get_event()  # DocumentEnd
        if type(parser.get_event()) is not yaml.StreamEndEvent:
            raise _Unusual
        return data
    finally:
        parser.dispose()


def _plain_mapping(parser: Any, depth: int) -> dict[str, Any]:
    """The rest of a mapping, without positions."""
    mapping: dict[str, Any] = {}
    while True:
        event = parser.get_event()
        if type(event) is _MapEnd:
            return mapping
        if type(event) is not _Scalar or event.anchor is not None or event.tag not in (None, "!"):
            raise _Unusual  # (a key that is not plain text)
        key = event.value
        if key in mapping:
            raise _Unusual
        event = parser.get_event()
        if type(event) is _Scalar and event.anchor is None and event.tag in (None, "!"):
            mapping[key] = event.value
        else:
            mapping[key] = _plain_node(parser, event, depth)


def _plain_list(parser: Any, depth: int) -> list[Any]:
    """The rest of a list, without positions."""
    items: list[Any] = []
    while True:
        event = parser.get_event()
        if type(event) is _Scalar and event.anchor is None and event.tag in (None, "!"):
            items.append(event.value)
        elif type(event) is _SeqEnd:
            return items
        else:
            items.append(_plain_node(parser, event, depth))


def _plain_node(parser: Any, event: Any, depth: int) -> Any:
    """A list or a mapping in a collection ``depth`` deep."""
    kind = type(event)
    if kind is not _SeqStart and kind is not _MapStart:
        raise _Unusual  # (an alias, or an anchored or tagged scalar)
    if event.anchor is not None or event.tag not in (None, "!") or depth >= MAX_DEPTH:
        raise _Unusual
    if kind is _SeqStart:
        return _plain_list(parser, depth + 1)
    return _plain_mapping(parser, depth + 1)


def _refuse(event: Any, loc: Loc, doc: Document) -> None:
    """Note the YAML features records may not use (checked on every node)."""
    mark = event.start_mark
    if type(event) is _Alias:
        message = f"aliases (*{event.anchor}) are not allowed: write the value out"
    elif event.anchor is not None:
        message = f"anchors (&{event.anchor}) are not allowed: write the value out"
    elif event.tag is not None and event.tag != "!":
        message = f"tags ({event.tag}) are not allowed: every value is read as text"
    else:
        return
    _note(doc, mark, loc, message)


def _note(doc: Document, mark: Any, loc: Loc, message: str) -> None:
    """A problem of ``doc`` at the parser's ``mark``, for the value at ``loc``."""
    doc.problems.append(
        ContentError(doc.display, mark.line + 1, mark.column + 1, field_path(loc), message)
    )


def _skip(parser: Any) -> None:
    """Read past the rest of a list or mapping without building it (and without recursion)."""
    level = 1
    while level:
        kind = type(parser.get_event())
        if kind is _SeqStart or kind is _MapStart:
            level += 1
        elif kind is _SeqEnd or kind is _MapEnd:
            level -= 1


def _node(parser: Any, event: Any, loc: Loc, doc: Document, depth: int) -> Any:
    """A value that is not a plain scalar: a list, a mapping, or something refused."""
    _refuse(event, loc, doc)
    mark = event.start_mark
    doc.values[loc] = (mark.line + 1, mark.column + 1)
    kind = type(event)
    if kind is _Scalar:
        return event.value  # tagged or anchored: noted above, read as text
    if kind is _Alias:
        doc.explained.add(loc)
        return ""
    if depth >= MAX_DEPTH:
        _skip(parser)
        doc.explained.add(loc)
        _note(doc, mark, loc, f"nested too deep: values may nest at most {MAX_DEPTH} levels")
        return ""
    return _walk(parser, event, loc, doc, depth + 1)


def _walk(parser: Any, event: Any, loc: Loc, doc: Document, depth: int) -> Any:
    # The hot loop of `briefing check`: one pass over the C parser's events.
    mark: Any = event.start_mark
    doc.values[loc] = (mark.line + 1, mark.column + 1)
    if type(event) is _SeqStart:
        return _walk_list(parser, loc, doc, depth)
    return _walk_mapping(parser, loc, doc, depth)


def _walk_list(parser: Any, loc: Loc, doc: Document, depth: int) -> list[Any]:
    values = doc.values
    items: list[Any] = []
    while True:
        event = parser.get_event()
        kind = type(event)
        if kind is _SeqEnd:
            return items
        if kind is not _Scalar or event.anchor is not None or event.tag not in (None, "!"):
            items.append(_node(parser, event, (*loc, len(items)), doc, depth))
        else:
            mark = event.start_mark
            values[(*loc, len(items))] = (mark.line + 1, mark.column + 1)
            items.append(event.value)


def _walk_mapping(parser: Any, loc: Loc, doc: Document, depth: int) -> dict[str, Any]:
    values, keys = doc.values, doc.keys
    mapping: dict[str, Any] = {}
    mark: Any
    while True:
        event = parser.get_event()
        kind = type(event)
        if kind is _MapEnd:
            return mapping
        if kind is not _Scalar or event.anchor is not None or event.tag not in (None, "!"):
            _refuse(event, loc, doc)  # a tagged or anchored key is noted, then read as text
            if kind is not _Scalar:
                _not_text_key(parser, event, loc, doc, depth)
                continue
        key, mark = event.value, event.start_mark
        line = mark.line + 1
        here = (*loc, key)
        event = parser.get_event()
        if here in keys:
            first = keys[here][0]
            _note(doc, mark, here, f"duplicate key '{key}' (first on line {first})")
            if type(event) is not _Scalar:  # read past the second value, keep the first
                _node(parser, event, here, _scratch(doc), depth)
            continue
        keys[here] = (line, mark.column + 1)
        if type(event) is not _Scalar or event.anchor is not None or event.tag not in (None, "!"):
            mapping[key] = _node(parser, event, here, doc, depth)
        else:
            mark = event.start_mark
            values[here] = (mark.line + 1, mark.column + 1)
            mapping[key] = event.value


def _not_text_key(parser: Any, event: Any, loc: Loc, doc: Document, depth: int) -> None:
    """A key that is a list, a mapping or an alias: noted, and its value read past."""
    if type(event) is not _Alias:
        _skip(parser)
        mark = event.start_mark
        _note(doc, mark, loc, "keys must be plain text")
    _node(parser, parser.get_event(), (*loc, "?"), _scratch(doc), depth)


def _scratch(doc: Document) -> Document:
    """Somewhere to read a value that is not kept (its problems are still reported)."""
    return Document(doc.path, doc.display, {}, problems=doc.problems)
