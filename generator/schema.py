"""JSON Schema for editors' tools, generated from the record models and the vocabulary."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from generator.model import Actor, Event, Vocabulary

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


def schemas(vocabulary: Vocabulary | None) -> dict[str, dict[str, Any]]:
    """File name -> JSON Schema; vocabulary ids become enums so editors get completion."""
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
    return out


def render(vocabulary: Vocabulary | None) -> dict[str, str]:
    return {
        name: json.dumps(schema, indent=2, ensure_ascii=False, sort_keys=False) + "\n"
        for name, schema in schemas(vocabulary).items()
    }


def write(out_dir: Path, vocabulary: Vocabulary | None) -> list[Path]:
    """Write the schema files; return the ones whose text changed."""
    out_dir.mkdir(parents=True, exist_ok=True)
    changed = []
    for name, text in render(vocabulary).items():
        path = out_dir / name
        if not path.exists() or path.read_text(encoding="utf-8") != text:
            path.write_text(text, encoding="utf-8")
            changed.append(path)
    return changed
