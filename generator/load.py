"""Strict YAML loading: plain data plus the source position of every key and value.

Every scalar is read as a string and typed later by the schema, so ``NO``, ``5:30``, ``1.10``
and ``yes`` stay what the editor wrote. Duplicate keys, anchors, aliases, tags, multi-document
files, non-UTF-8 text, empty and oversized files are errors. The C parser does the parsing;
this module only walks its events.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from generator.errors import ContentError, ContentErrors, Loc, display_path, field_path

MAX_BYTES = 256 * 1024
Position = tuple[int, int]

_Parser: Any = getattr(yaml, "CBaseLoader", yaml.BaseLoader)  # the C parser when built


@dataclass
class Document:
    """One YAML file as plain data, with positions (1-based line, column) by field path."""

    path: Path
    display: str
    data: dict[str, Any]
    values: dict[Loc, Position] = field(default_factory=dict)
    keys: dict[Loc, Position] = field(default_factory=dict)

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


def load_file(path: Path, display: str | None = None) -> Document:
    """Read one record file; raise ``ContentErrors`` with positions on any problem.

    ``display`` is the path shown in messages (computed from ``path`` when not given).
    """
    display = display or display_path(path)

    def fail(line: int, col: int, message: str, loc: Loc = ()) -> ContentErrors:
        return ContentErrors([ContentError(display, line, col, field_path(loc), message)])

    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise fail(1, 1, f"cannot read file: {exc.strerror}") from None
    if len(raw) > MAX_BYTES:
        raise fail(
            1, 1, f"file is {len(raw) // 1024} KB; records are limited to {MAX_BYTES // 1024} KB"
        )
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        before = raw[: exc.start]
        line = before.count(b"\n") + 1
        col = exc.start - (before.rfind(b"\n") + 1) + 1
        raise fail(line, col, "file is not UTF-8 text (save it as UTF-8)") from None
    doc = Document(path, display, {})
    try:
        doc.data = _walk_stream(text, doc)
    except _Fail as exc:
        raise fail(*exc.position, exc.message, exc.loc) from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        problem = exc.problem or exc.context or "invalid YAML"
        raise fail(line, col, f"YAML syntax error: {problem}") from None
    except yaml.YAMLError as exc:  # reader errors (e.g. control characters) carry no mark
        raise fail(1, 1, f"YAML error: {exc}") from None
    return doc


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
        _refuse(root_event, ())
        data = _walk(parser, root_event, (), doc)
        parser.get_event()  # DocumentEnd
        event = parser.get_event()
        if not isinstance(event, yaml.StreamEndEvent):
            raise _Fail(event.start_mark, "only one YAML document per file (remove the '---')")
        return data  # type: ignore[no-any-return]
    finally:
        parser.dispose()


_Scalar, _SeqStart, _SeqEnd = yaml.ScalarEvent, yaml.SequenceStartEvent, yaml.SequenceEndEvent
_MapEnd, _Alias = yaml.MappingEndEvent, yaml.AliasEvent


def _refuse(event: Any, loc: Loc) -> None:
    """Raise for the YAML features records may not use (checked on every node)."""
    mark = event.start_mark
    if type(event) is _Alias:
        raise _Fail(mark, f"aliases (*{event.anchor}) are not allowed: write the value out", loc)
    if event.anchor is not None:
        raise _Fail(mark, f"anchors (&{event.anchor}) are not allowed: write the value out", loc)
    if event.tag is not None and event.tag != "!":
        raise _Fail(mark, f"tags ({event.tag}) are not allowed: every value is read as text", loc)


def _walk(parser: Any, event: Any, loc: Loc, doc: Document) -> Any:
    # The hot loop of `briefing check`: one pass over the C parser's events.
    values, keys = doc.values, doc.keys
    mark: Any = event.start_mark
    values[loc] = (mark.line + 1, mark.column + 1)
    if type(event) is _SeqStart:
        items: list[Any] = []
        while True:
            event = parser.get_event()
            kind = type(event)
            if kind is _SeqEnd:
                return items
            if kind is not _Scalar or event.anchor is not None or event.tag not in (None, "!"):
                _refuse(event, (*loc, len(items)))
                items.append(_walk(parser, event, (*loc, len(items)), doc))
            else:
                mark = event.start_mark
                values[(*loc, len(items))] = (mark.line + 1, mark.column + 1)
                items.append(event.value)
    mapping: dict[str, Any] = {}
    while True:
        event = parser.get_event()
        kind = type(event)
        if kind is _MapEnd:
            return mapping
        if kind is not _Scalar or event.anchor is not None or event.tag not in (None, "!"):
            _refuse(event, loc)
            raise _Fail(event.start_mark, "keys must be plain text", loc)
        key, mark = event.value, event.start_mark
        line = mark.line + 1
        here = (*loc, key)
        if here in keys:
            first = keys[here][0]
            raise _Fail(mark, f"duplicate key '{key}' (first on line {first})", here)
        keys[here] = (line, mark.column + 1)
        event = parser.get_event()
        if type(event) is not _Scalar or event.anchor is not None or event.tag not in (None, "!"):
            _refuse(event, here)
            mapping[key] = _walk(parser, event, here, doc)
        else:
            mark = event.start_mark
            values[here] = (mark.line + 1, mark.column + 1)
            mapping[key] = event.value
