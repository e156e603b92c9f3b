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
from typing import Any

import yaml
from pydantic import ValidationError

from generator.content.errors import ContentError, ContentErrors
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


@dataclass
class _Existing:
    path: Path
    data: dict[str, Any]


def dump(data: dict[str, Any]) -> str:
    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=100)


def reconcile(content: Path, mapping: Mapping, events: list[Imported], today: dt.date) -> Plan:
    """What importing ``events`` into ``content`` adds, changes, keeps and leaves gone."""
    existing = [_Existing(p, load_file(p).data) for p in sorted(content.glob("events/**/*.yaml"))]
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
        result.writes[path] = HEADER + dump(_new(mapping, event))
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
    facts = twin.data.get("facts") or {}
    added = {k: v for k, v in event.fields["facts"].items() if k not in facts}
    keys = {s.get("key") for s in twin.data.get("sources", [])}
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
    old = found.data
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
        (content / "vocabulary.yaml").read_text(encoding="utf-8"), Loader=yaml.BaseLoader
    )
    types = {t["id"] for t in vocabulary.get("event_types", [])}
    statuses = {t["id"] for t in vocabulary.get("statuses", [])}
    actors = {p.stem for p in (content / "actors").glob("*.yaml")}
    rows = {e.id: e.row for e in events}
    errors: list[ContentError] = []
    for path, text in plan.writes.items():
        data = yaml.load(text, Loader=yaml.BaseLoader)
        row = rows.get(path.stem) or next(iter(rows.values()))

        def fail(message: str, row: Any = row, path: Path = path) -> None:
            errors.append(table.error(row, "", f"record {path.stem}: {message}"))

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
    """Write every file of the plan (each through a temporary file, replaced at once)."""
    for path, text in plan.writes.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary = path.with_name(f".{path.name}.importing")
        temporary.write_text(text, encoding="utf-8")
        os.replace(temporary, path)
