"""The import's plan for the content folder: what is added, changed, kept and gone, and the text
of every file it writes, validated before anything is written.

An imported record is found again by its provenance (`imported.dataset` and `imported.group`),
whatever its file is called. Only the fields it ``owns`` are rewritten, and only when the digest
of the imported values changed; the file's other lines (editors' claims, assessment, body, tags,
change log) are kept as they are, byte for byte, and a change-log entry says what changed. A
curated brief that the mapping's `match` rule finds gains the data set as a source and the facts
it lacks, nothing else. Records whose rows vanished are listed, never deleted.
"""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, ClassVar

import yaml
from pydantic import ValidationError

from generator.content.errors import ContentError, ContentErrors, display_path
from generator.content.load import load_file
from generator.content.model import Event
from generator.ingest.convert import Imported
from generator.ingest.mapping import Mapping
from generator.ingest.table import Table

ORDER = ("title", "date", "time", "timezone", "type", "status", "summary", "location", "actors")
HEADER = "# yaml-language-server: $schema=../../schema/event.schema.json\n"


@dataclass
class Plan:
    """What an import does; `writes` holds the full text of every file to write."""

    added: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    matched: list[str] = field(default_factory=list)
    kept: list[str] = field(default_factory=list)
    gone: list[str] = field(default_factory=list)
    writes: dict[Path, str] = field(default_factory=dict)
    new: dict[Path, dict[str, Any]] = field(default_factory=dict)
    """The data of each file the import creates (its text read back gives the same), so that
    checking it needs no parse: the files of `writes` not in here are existing ones, edited."""


@dataclass
class _Existing:
    """An event file of the content: what finding it again needs (its provenance, date, type
    and references to data set rows); the rest is read again only for a file the import edits
    (`full`), so that a re-import of many records does not hold them all."""

    path: Path
    data: dict[str, Any]

    @classmethod
    def read(cls, path: Path) -> _Existing:
        data = load_file(path).data
        kept = ("imported", "date", "type", "data_rows")
        return cls(path, {k: data[k] for k in kept if k in data})

    def full(self) -> dict[str, Any]:
        return load_file(self.path).data


_Dumper: Any = getattr(yaml, "CSafeDumper", yaml.SafeDumper)  # libyaml's emitter when built
_Loader: Any = getattr(yaml, "CBaseLoader", yaml.BaseLoader)
_TAG = "tag:yaml.org,2002:"


class _Writer(_Dumper):  # type: ignore[misc]
    """The safe dumper, remembering how each text resolves (a record repeats its keys)."""

    resolved: ClassVar[dict[tuple[str, tuple[bool, bool]], str]] = {}

    def resolve(self, kind: Any, value: Any, implicit: Any) -> Any:
        if kind is not yaml.ScalarNode:  # (without path resolvers, the kind's default tag)
            if self.yaml_path_resolvers:
                return super().resolve(kind, value, implicit)
            return _TAG + ("seq" if kind is yaml.SequenceNode else "map")
        key = (value, implicit)
        found = self.resolved.get(key)
        if found is None:
            found = self.resolved[key] = super().resolve(kind, value, implicit)
            if len(self.resolved) > 100_000:
                self.resolved.clear()
        return found


def _node(value: Any) -> yaml.Node:
    """What ``yaml.safe_dump`` represents ``value`` as, when it holds only text, lists and
    mappings (all a record the import writes holds), made without its general representer."""
    if isinstance(value, str):
        return yaml.ScalarNode(_TAG + "str", value)
    if isinstance(value, dict):
        pairs = [(_node(k), _node(v)) for k, v in value.items()]
        return yaml.MappingNode(_TAG + "map", pairs, flow_style=False)
    if isinstance(value, list):
        return yaml.SequenceNode(_TAG + "seq", [_node(v) for v in value], flow_style=False)
    raise TypeError(type(value).__name__)


def dump(data: dict[str, Any]) -> str:
    """``data`` as YAML text, as ``yaml.safe_dump(data, sort_keys=False, allow_unicode=True,
    width=100)`` writes it (the same bytes; tests/test_import.py holds them side by side), by
    libyaml. Where the two differ, libyaml escapes a character beyond U+FFFF (an emoji) that
    PyYAML writes as it is, so PyYAML writes those; and PyYAML loses the line break U+0085,
    which libyaml escapes, so libyaml writes those."""
    try:
        text = str(yaml.serialize(_node(data), Dumper=_Writer, allow_unicode=True, width=100))
    except TypeError:
        text = "\\U"
    if "\\U" in text and "\\N" not in text:
        return yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=100)
    return text


def reconcile(content: Path, mapping: Mapping, events: list[Imported], today: dt.date) -> Plan:
    """What importing ``events`` into ``content`` adds, changes, keeps and leaves gone."""
    existing = [_Existing.read(p) for p in sorted(content.glob("events/**/*.yaml"))]
    mine = {
        e.data["imported"]["group"]: e
        for e in existing
        if isinstance(e.data.get("imported"), dict)
        and e.data["imported"].get("dataset") == mapping.dataset
    }
    curated = [e for e in existing if "imported" not in e.data]
    result = Plan()
    for event in events:
        found = mine.pop(event.group, None)
        if found is not None:
            if found.data["imported"].get("digest") == event.digest:
                result.kept.append(event.id)
                continue
            result.changed.append(event.id)
            text = _update(found, mapping, event, today)
            result.writes[found.path] = text
            continue
        twin = _twin(curated, mapping, event)
        if twin is not None:
            curated.remove(twin)
            result.matched.append(twin.path.stem)
            result.writes[twin.path] = _match(twin, mapping, event, today)
            continue
        result.added.append(event.id)
        path = content / "events" / event.fields["date"][:4] / f"{event.id}.yaml"
        result.new[path] = _new(mapping, event)
        result.writes[path] = HEADER + dump(result.new[path])
    result.gone = sorted(e.path.stem for e in mine.values())
    return result


def _twin(curated: list[_Existing], mapping: Mapping, event: Imported) -> _Existing | None:
    """The curated brief that the mapping's `match` rule finds for ``event``, if any."""
    rule = mapping.match
    if rule is None or not (rule.same or rule.reference):
        return None
    keys = set(event.keys)
    for brief in curated:
        if any(str(brief.data.get(name)) != str(event.fields[name]) for name in rule.same):
            continue
        refs = brief.data.get("data_rows") or []
        named = any(
            isinstance(ref, dict)
            and ref.get("dataset") == mapping.dataset
            and ref.get("row") in keys
            for ref in refs
        )
        if rule.reference and not named:
            continue
        return brief
    return None


def _provenance(mapping: Mapping, event: Imported, owns: list[str]) -> dict[str, Any]:
    return {
        "dataset": mapping.dataset,
        "version": mapping.version,
        "group": event.group,
        "rows": event.keys,
        "digest": event.digest,
        "owns": owns,
    }


def _owned(fields: dict[str, Any]) -> list[str]:
    names = [name for name in ORDER if name in fields]
    names += [f"facts.{label}" for label in fields["facts"]]
    return names + [f"sources.{s['key']}" for s in fields["sources"]]


def _new(mapping: Mapping, event: Imported) -> dict[str, Any]:
    data = {name: event.fields[name] for name in ORDER if name in event.fields}
    if event.fields["facts"]:
        data["facts"] = event.fields["facts"]
    if event.tags:
        data["tags"] = event.tags
    data["sources"] = event.fields["sources"]
    data["published"] = event.published
    data["imported"] = _provenance(mapping, event, _owned(event.fields))
    return data


def _match(twin: _Existing, mapping: Mapping, event: Imported, today: dt.date) -> str:
    """A curated brief's text with the data set cited and the imported facts it lacks, added
    after the editors' own lines (which stay as they are, byte for byte), and a change-log
    entry saying so."""
    data = twin.full()
    facts = data.get("facts") or {}
    added = {k: v for k, v in event.fields["facts"].items() if k not in facts}
    keys = {s.get("key") for s in data.get("sources", [])}
    sources = [s for s in event.fields["sources"][:1] if s["key"] not in keys]
    owns = [f"facts.{k}" for k in added] + [f"sources.{s['key']}" for s in sources]
    appends: dict[str, Any] = {}
    if added:
        appends["facts"] = added
    if sources:
        appends["sources"] = sources
    if added or sources:
        note = f"Matched with {mapping.sources[0].title} ({mapping.version}), now cited"
        note += f"; added its facts {', '.join(added)}." if added else "."
        appends["updates"] = [{"date": today.isoformat(), "note": note}]
    return _edit(twin.path, {"imported": _provenance(mapping, event, owns)}, appends)


def _update(found: _Existing, mapping: Mapping, event: Imported, today: dt.date) -> str:
    """The text of an imported record after its owned fields took the new values."""
    old = found.full()
    owns = set(old["imported"].get("owns", []))
    new = event.fields
    changes: dict[str, Any] = {}
    notes: list[str] = []
    for name in ORDER:
        if (name in owns or name in new) and old.get(name) != new.get(name):
            changes[name] = new.get(name)
            notes += _note(name, old.get(name), new.get(name))
    editors = {k: v for k, v in (old.get("facts") or {}).items() if f"facts.{k}" not in owns}
    facts = {**new["facts"], **editors}
    if facts != (old.get("facts") or {}):
        changes["facts"] = facts
        for label in sorted({*new["facts"], *(old.get("facts") or {})} - set(editors)):
            notes += _note(label, (old.get("facts") or {}).get(label), new["facts"].get(label))
    mine = {s["key"] for s in new["sources"]} | {o[8:] for o in owns if o.startswith("sources.")}
    theirs = [s for s in old.get("sources", []) if s.get("key") not in mine]
    if new["sources"] + theirs != old.get("sources"):
        changes["sources"] = new["sources"] + theirs
    owned = _owned(new) if "title" in owns else sorted(owns)
    changes["imported"] = _provenance(mapping, event, owned)
    what = "; ".join(notes) or "the imported rows changed"
    note = f"Updated from {mapping.sources[0].title} ({mapping.version}): {what}."
    return _edit(found.path, changes, {"updates": [{"date": today.isoformat(), "note": note}]})


def _note(name: str, old: Any, new: Any) -> list[str]:
    def shown(value: Any) -> str:
        if isinstance(value, dict):
            return str(value.get("name", "")) or "—"
        if isinstance(value, list):
            return ", ".join(str(v.get("id", v)) if isinstance(v, dict) else str(v) for v in value)
        return "none" if value is None else str(value)

    if name in ("summary",):
        return [f"{name} rewritten"]
    return [f"{name} {shown(old)} → {shown(new)}"]


def _edit(path: Path, changes: dict[str, Any], appends: dict[str, Any]) -> str:
    """``path``'s text with the top-level fields in ``changes`` replaced (None: removed) or
    added, and the items in ``appends`` added at the end of their list or mapping; every other
    line kept as it was."""
    doc = load_file(path)
    text = path.read_text(encoding="utf-8")
    lines = text.splitlines(keepends=True)
    if lines and not lines[-1].endswith("\n"):
        lines[-1] += "\n"
    spans = _spans(lines, [doc.position((k,), key=True)[0] - 1 for k in doc.data], list(doc.data))
    tail: list[str] = []
    edits: list[tuple[int, int, list[str]]] = []
    for name, value in changes.items():
        block = [] if value is None else dump({name: value}).splitlines(keepends=True)
        if name in spans:
            edits.append((*spans[name], block))
        else:
            tail += block
    for name, items in appends.items():
        block = dump({name: items}).splitlines(keepends=True)
        if name not in spans:
            tail += block
            continue
        start, end = spans[name]
        if end - start == 1:  # written on one line (`facts: {}`): the value is rewritten
            old = doc.data[name] or type(items)()
            merged = {**old, **items} if isinstance(items, dict) else [*old, *items]
            edits.append((start, end, dump({name: merged}).splitlines(keepends=True)))
            continue
        ours, theirs = _indent(block[1:]), _indent(lines[start + 1 : end])
        edits.append((end, end, [theirs + line[len(ours) :] for line in block[1:]]))
    for start, end, block in sorted(edits, reverse=True):
        lines[start:end] = block
    return "".join(lines + tail)


def _spans(lines: list[str], starts: list[int], names: list[str]) -> dict[str, tuple[int, int]]:
    """Top-level field -> (first line, line after its value), blank and comment lines after
    a value left out of it."""
    order = sorted(zip(starts, names, strict=True))
    spans = {}
    for n, (start, name) in enumerate(order):
        end = order[n + 1][0] if n + 1 < len(order) else len(lines)
        while end > start + 1 and (not lines[end - 1].strip() or lines[end - 1].startswith("#")):
            end -= 1
        spans[name] = (start, end)
    return spans


def _indent(block: list[str]) -> str:
    """The indentation of a block's first item (``updates:`` then ``  - date:`` gives two
    spaces; ``facts:`` then ``  Apogee: ...`` too)."""
    for line in block:
        stripped = line.lstrip(" ")
        if stripped.strip() and not stripped.startswith("#"):
            return line[: len(line) - len(stripped)]
    return ""


def validate(plan: Plan, table: Table, events: list[Imported], content: Path) -> None:
    """Raise ``ContentErrors`` unless every file to write is a valid record whose type, status
    and actors the content knows."""
    vocabulary = yaml.load(
        (content / "vocabulary.yaml").read_text(encoding="utf-8"), Loader=_Loader
    )
    types = {t["id"] for t in vocabulary.get("event_types", [])}
    statuses = {t["id"] for t in vocabulary.get("statuses", [])}
    actors = {p.stem for p in (content / "actors").glob("*.yaml")}
    rows = {e.id: e.row for e in events}
    errors: list[ContentError] = []
    for path, text in plan.writes.items():
        data = plan.new.get(path)
        row = rows.get(path.stem) or next(iter(rows.values()))

        def fail(message: str, row: Any = row, path: Path = path) -> None:
            errors.append(table.error(row, "", f"record {path.stem}: {message}"))

        if data is None:
            data = yaml.load(text, Loader=_Loader)
        elif path.exists():
            fail(f"{display_path(path)} exists, not imported from this data set: rename it")
            continue
        try:
            record = Event.model_validate(data)
        except ValidationError as exc:
            for err in exc.errors(include_url=False):
                fail(f"{'.'.join(str(p) for p in err['loc'])}: {err['msg']}")
            continue
        if record.type not in types:
            fail(f"type '{record.type}' is not in the vocabulary's event_types")
        if record.status not in statuses:
            fail(f"status '{record.status}' is not in the vocabulary's statuses")
        fail_actors = [a.id for a in record.actors if a.id not in actors]
        for actor in fail_actors:
            fail(f"actor '{actor}' has no file in {content / 'actors'}")
    if errors:
        raise ContentErrors(errors)


def write(plan: Plan) -> None:
    """Write every file of the plan: an existing file through a temporary one that replaces it
    at once, so that an editor's record is never half written; a new file directly, and only
    if no file took its name since the check (a rename costs five times the write)."""
    folders: set[Path] = set()
    for path, text in plan.writes.items():
        if path.parent not in folders:
            path.parent.mkdir(parents=True, exist_ok=True)
            folders.add(path.parent)
        if path in plan.new:
            handle = path.open("x", encoding="utf-8")
            try:
                with handle:
                    handle.write(text)
            except BaseException:
                path.unlink()  # (ours: never left half written)
                raise
            continue
        temporary = path.with_name(f".{path.name}.importing")
        temporary.write_text(text, encoding="utf-8")
        os.replace(temporary, path)
