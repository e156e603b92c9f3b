"""JSON Schema for editors' tools, generated from the record models and the vocabulary."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel

from generator.content.errors import display_path
from generator.content.model import Actor, Event, Vocabulary

if TYPE_CHECKING:
    from generator.site.editorial import EditorialWarning
    from generator.site.entries import Site

SCHEMA_DIALECT = "https://json-schema.org/draft/2020-12/schema"
FILES: dict[str, type[BaseModel]] = {
    "event.schema.json": Event,
    "actor.schema.json": Actor,
    "vocabulary.schema.json": Vocabulary,
}


def _enum(schema: dict[str, Any], ids: list[str]) -> None:
    """Restrict a string (or optional string) property to the vocabulary's ids."""
    for branch in schema.get("anyOf", [schema]):
        if branch.get("type") == "string":
            branch.pop("pattern", None)
            branch["enum"] = ids


def schemas(
    vocabulary: Vocabulary | None,
    actor_ids: Sequence[str] = (),
    event_ids: Sequence[str] = (),
) -> dict[str, dict[str, Any]]:
    """File name -> JSON Schema; vocabulary ids, and the actor and event ids given, become
    enums so editors get completion (an empty list of ids leaves the field a plain id)."""
    out = {}
    for name, model in FILES.items():
        schema = {"$schema": SCHEMA_DIALECT, **model.model_json_schema()}
        out[name] = schema
    if vocabulary is not None:
        ids = {
            kind: [t.id for t in getattr(vocabulary, kind)]
            for kind in type(vocabulary).model_fields
        }
        event, actor = out["event.schema.json"], out["actor.schema.json"]
        _enum(event["properties"]["type"], ids["event_types"])
        _enum(event["properties"]["status"], ids["statuses"])
        _enum(event["$defs"]["Assessment"]["properties"]["confidence"], ids["confidence"])
        _enum(event["$defs"]["Related"]["properties"]["relation"], ids["relations"])
        _enum(actor["properties"]["kind"], ids["actor_kinds"])
    if actor_ids:
        event, actor = out["event.schema.json"], out["actor.schema.json"]
        _enum(event["properties"]["actors"]["items"], list(actor_ids))
        _enum(event["$defs"]["ActorRef"]["properties"]["id"], list(actor_ids))
        _enum(event["$defs"]["Claim"]["properties"]["by"], list(actor_ids))
        _enum(actor["properties"]["affiliation"], list(actor_ids))
    if event_ids:
        _enum(out["event.schema.json"]["$defs"]["Related"]["properties"]["id"], list(event_ids))
    return out


def render_schema(
    vocabulary: Vocabulary | None,
    actor_ids: Sequence[str] = (),
    event_ids: Sequence[str] = (),
) -> dict[str, str]:
    return {
        name: json.dumps(schema, indent=2, ensure_ascii=False, sort_keys=False) + "\n"
        for name, schema in schemas(vocabulary, actor_ids, event_ids).items()
    }


def for_site(site: Site) -> dict[str, str]:
    """The schema files for the content as it is: its vocabulary, actor ids and event ids."""
    return render_schema(
        site.vocabulary,
        sorted(a.id for a in site.actors),
        sorted(e.id for e in site.events),
    )


REFRESH = "run `make schema` (or `briefing schema`) and commit content/schema/"
RULE = "schema-current"
"""The name stale-schema warnings carry (they never fail `briefing check --strict`)."""


def stale(out_dir: Path, site: Site) -> list[Path]:
    """The schema files in ``out_dir`` that are missing or differ from ``for_site(site)``."""
    found = []
    for name, text in for_site(site).items():
        path = out_dir / name
        try:
            current = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            current = None
        if current != text:
            found.append(path)
    return found


def stale_warnings(content_dir: Path, site: Site) -> list[EditorialWarning]:
    """A warning for each stale schema file: completion would offer old ids and miss new ones.
    None when the content has no schema folder (it does not use the editor schemas)."""
    from generator.site.editorial import EditorialWarning

    if not (content_dir / "schema").is_dir():
        return []
    return [
        EditorialWarning(
            display_path(path),
            1,
            1,
            "",
            "out of date with the records and the vocabulary" if path.exists() else "missing",
            RULE,
            REFRESH,
        )
        for path in sorted(stale(content_dir / "schema", site))
    ]


def write_schema(out_dir: Path, site: Site) -> list[Path]:
    """Write the schema files for ``site``; return the ones whose text changed."""
    out_dir.mkdir(parents=True, exist_ok=True)
    changed = []
    for name, text in for_site(site).items():
        path = out_dir / name
        if not path.exists() or path.read_text(encoding="utf-8") != text:
            path.write_text(text, encoding="utf-8")
            changed.append(path)
    return changed
