"""``briefing new``: valid record skeletons at the conventional paths, never overwriting."""

from __future__ import annotations

import datetime as dt
import os
import re
import unicodedata
from pathlib import Path

from generator.content import edtf
from generator.content.errors import BriefingError, ContentErrors, did_you_mean, display_path
from generator.content.load import load_file
from generator.content.model import SLUG_PATTERN, Actor, Event, Vocabulary
from generator.content.validate import to_record
from generator.render import jinja


def slugify(text: str, limit: int = 80) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    return slug[:limit].rstrip("-")


def vocabulary(content: Path) -> Vocabulary:
    """``content/vocabulary.yaml``, checked (its errors raised)."""
    errors: list = []  # type: ignore[type-arg]
    record = to_record(load_file(content / "vocabulary.yaml"), Vocabulary, errors)
    if record is None:
        raise ContentErrors(errors)
    return record


def _check_id(value: str, known: list[str], what: str) -> None:
    if value not in known:
        raise BriefingError(f"unknown {what} '{value}'{did_you_mean(value, known)}")


def _write(path: Path, template: str, templates: Path, model: type, **context: object) -> Path:
    if path.exists():
        raise BriefingError(f"{display_path(path)} already exists; not overwriting it")
    env = jinja.environment(templates, pages=False)
    text = env.get_template(f"records/{template}").render(**context)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    errors: list = []  # type: ignore[type-arg]
    if to_record(load_file(path), model, errors) is None:  # a skeleton must itself be valid
        path.unlink()
        raise ContentErrors(errors)
    return path


def _schema_ref(content: Path, path: Path, name: str) -> str:
    return Path(os.path.relpath(content / "schema" / name, path.parent)).as_posix()


def new_event(
    content: Path, templates: Path, title: str, date: str, event_type: str, actors: list[str]
) -> Path:
    vocab = vocabulary(content)
    try:
        parsed = edtf.parse(date)
    except ValueError as exc:
        raise BriefingError(f"--date: {exc}") from None
    _check_id(event_type, [t.id for t in vocab.event_types], "event type")
    if not actors:
        raise BriefingError("an event needs at least one actor: add --actor ID")
    known = sorted(p.stem for p in (content / "actors").rglob("*.yaml"))
    for actor in actors:
        _check_id(actor, known, "actor")
    slug = slugify(f"{date.rstrip('~?').replace('/', '-')} {title}")
    if not slug:
        raise BriefingError(
            "cannot make a file name from this title; use a title with Latin letters"
        )
    path = content / "events" / str(parsed.start.year) / f"{slug}.yaml"
    return _write(
        path,
        "event.yaml.j2",
        templates,
        Event,
        schema=_schema_ref(content, path, "event.schema.json"),
        title=title,
        date=date,
        type=event_type,
        actors=actors,
        today=dt.date.today().isoformat(),
    )


def new_actor(content: Path, templates: Path, name: str, kind: str, actor_id: str | None) -> Path:
    vocab = vocabulary(content)
    _check_id(kind, [t.id for t in vocab.actor_kinds], "actor kind")
    slug = actor_id or slugify(name)
    if actor_id is not None and not re.fullmatch(SLUG_PATTERN, actor_id):
        raise BriefingError(
            f"--id '{actor_id}' is not a valid id: lowercase words joined by hyphens"
        )
    if not slug:
        raise BriefingError("cannot make an id from this name; give one with --id")
    path = content / "actors" / f"{slug}.yaml"
    return _write(
        path,
        "actor.yaml.j2",
        templates,
        Actor,
        schema=_schema_ref(content, path, "actor.schema.json"),
        name=name,
        kind=kind,
    )
