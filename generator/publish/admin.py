"""``/admin/``: the editing form (Decap CMS) over the same YAML files, and its configuration.

The configuration is derived from the model (`generator.content.model`: each field's JSON
Schema gives its widget, its pattern and its hint, the docstring) and from the vocabulary
(its terms give the selects' options); nothing here re-lists the fields. The few choices the
schema cannot say are named below: which ids point at which collection (`RELATION_PICKERS`), which
ids are vocabulary terms (`SELECTS`), what is shown but not edited (`READ_ONLY`), and what the
form leaves alone (`LEFT_OUT`: kept as written when a record is saved).

``briefing cms-config`` writes the configuration (as templates/admin/config.yml: committed, kept
current by a test, without a repository: `ADMIN_CONFIG`); a build writes it into ``site/admin/``
with the repository named by the settings, beside the page (``templates/admin/``), the
form's own script and Decap's bundle (`generator.publish.decap_bundle`). The page has its own
Content-Security-Policy (`ADMIN_POLICY`); search, the sitemap and the feeds list only MkDocs' pages
and records, so the form is in none of them.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import jinja2
import yaml

from generator.content.model import Actor, Event, Record, Vocabulary
from generator.publish import decap_bundle
from generator.settings import Settings

ADMIN_FOLDER = "admin"
ADMIN_WRITES = (f"{ADMIN_FOLDER}/",)
"""Where `files` puts its files in the site (`generator.session.build.WRITTEN`)."""
ADMIN_CONFIG = Path("templates/admin/config.yml")
"""The committed configuration, in the repository (`briefing cms-config`)."""
SCRIPT = "cms.js"
"""The form's own script (``templates/admin/cms.js``): a read-only widget, and the empty
values taken out before a save."""

ADMIN_POLICY = (
    "default-src 'self'; script-src 'self' 'unsafe-eval' 'wasm-unsafe-eval'; "
    "style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data: blob: https://avatars.githubusercontent.com; "
    "font-src 'self' data:; connect-src 'self' https://api.github.com "
    "http://localhost:* http://127.0.0.1:*; worker-src 'self' blob:; frame-src 'none'; "
    "object-src 'none'; base-uri 'self'; form-action 'self'"
)
"""The Content-Security-Policy of ``/admin/`` only (every other page keeps
`generator.publish.csp.POLICY`). What Decap CMS needs beyond the site's policy: its bundle
compiles code at runtime (``'unsafe-eval'``: without it the form does not start, as
`tests/test_cms_browser.py` found) and its styles are set by script in ``<style>``
elements (``'unsafe-inline'`` styles); it reads and writes the repository through GitHub's
API (``api.github.com``) and shows the editor's avatar (``avatars.githubusercontent.com``);
the local backend (``decap-server``, used only when the form is opened from ``localhost``) is
on a port of this machine; previews use ``blob:`` URLs. Scripts still come from the site only."""

RELATION_PICKERS = {
    "events.actors.id": "actors",
    "events.claims.by": "actors",
    "events.related.id": "events",
    "actors.affiliation": "actors",
}
"""Ids that name another record: a picker over that collection (an unknown id cannot be
chosen)."""
SELECTS = {
    "events.type": "event_types",
    "events.status": "statuses",
    "events.assessment.confidence": "confidence",
    "events.related.relation": "relations",
    "actors.kind": "actor_kinds",
}
"""Ids that are vocabulary terms: a select of the vocabulary's list."""
READ_ONLY = {
    "events.imported": (
        "Written by `briefing import` from the data set named here: a re-import finds the brief "
        "by it and rewrites the fields listed under `owns` when the data set changes (edit those "
        "in the data set or its mapping, mappings/). Shown, not edited."
    )
}
LEFT_OUT = {
    "events.facts": "a mapping of labels chosen by the editor, which no Decap widget edits",
}
"""Fields the form does not show (a ``hidden`` widget): a record keeps them as written, in their
place, when it is saved."""

_EDITOR_BUTTONS = [
    "bold",
    "italic",
    "link",
    "heading-two",
    "heading-three",
    "quote",
    "bulleted-list",
    "numbered-list",
]
"""Markdown's toolbar: no image, no code block, no raw HTML (``editor_components`` is empty)."""
_PICKS = {
    "actors": {"search_fields": ["name", "native_name"], "display_fields": ["name"]},
    "events": {"search_fields": ["title", "date"], "display_fields": ["{{date}} {{title}}"]},
}
_VALUE = {"actors": "{{slug}}", "events": "{{filename}}"}
"""An actor's id is its file name; a brief's file is in its year's folder (its slug there is
``<year>/<name>``), so the id is the file name alone."""


def config(vocabulary: Vocabulary, settings: Settings, repo: str | None = None) -> dict[str, Any]:
    """Decap CMS's configuration; ``repo`` (``owner/name``) for the GitHub backend."""
    backend: dict[str, Any] = {"name": "github", "branch": settings.edit_branch}
    if repo:
        backend["repo"] = repo
    if settings.cms_auth:
        backend["base_url"] = settings.cms_auth
    events = settings.content_prefix + "/events"
    return {
        "backend": backend,
        "publish_mode": "editorial_workflow",
        "local_backend": True,
        "media_folder": settings.content_prefix + "/pages/images",
        "collections": [
            {
                "name": "events",
                "label": "Briefs",
                "label_singular": "Brief",
                "folder": events,
                "path": "{{year}}/{{slug}}",
                "slug": "{{date}}-{{title}}",
                **_FILE,
                "identifier_field": "title",
                "summary": "{{date}} · {{title}}",
                "sortable_fields": ["date", "title"],
                "fields": _fields(Event, "events", vocabulary),
            },
            {
                "name": "actors",
                "label": "Actors",
                "label_singular": "Actor",
                "folder": settings.content_prefix + "/actors",
                "slug": "{{name}}",
                **_FILE,
                "identifier_field": "name",
                "summary": "{{name}}",
                "sortable_fields": ["name"],
                "fields": _fields(Actor, "actors", vocabulary),
            },
        ],
        "slug": {"encoding": "ascii", "clean_accents": True, "sanitize_replacement": "-"},
    }


_OPTIONAL_OBJECTS = {"events.location", "events.assessment"}
_FILE = {"extension": "yaml", "format": "yaml", "create": True}


def _fields(model: type[Record], path: str, vocabulary: Vocabulary) -> list[dict[str, Any]]:
    schema = model.model_json_schema()
    defs = schema.get("$defs", {})
    # (Decap asks for the required fields of an optional object left empty: in the form, they
    # are optional; `briefing check` on the pull request says when one is missing.)
    required = set() if path in _OPTIONAL_OBJECTS else set(schema.get("required", []))
    out = []
    for name, prop in schema["properties"].items():
        where = f"{path}.{name}"
        hint = _hint(model.model_fields[name].description or "")
        field = {"label": _label(name), "name": name, "hint": hint}
        if where in LEFT_OUT:
            field = {"label": _label(name), "name": name, "widget": "hidden"}
        elif where in READ_ONLY:
            field.update(widget="briefing-readonly", hint=READ_ONLY[where])
        else:
            field.update(_widget(prop, where, defs, vocabulary))
        if name not in required:
            field["required"] = False
        out.append(field)
    return out


def _widget(
    prop: dict[str, Any], where: str, defs: dict[str, Any], vocabulary: Vocabulary
) -> dict[str, Any]:
    """The widget of one field, from its JSON Schema."""
    prop = _resolve(prop, defs)
    if where in RELATION_PICKERS:
        collection = RELATION_PICKERS[where]
        return {
            "widget": "relation",
            "collection": collection,
            "value_field": _VALUE[collection],
            **_PICKS[collection],
        }
    if where in SELECTS:
        terms = getattr(vocabulary, SELECTS[where])
        return {"widget": "select", "options": [{"label": t.label, "value": t.id} for t in terms]}
    if "enum" in prop:
        return {"widget": "select", "options": list(prop["enum"])}
    if "$ref" in prop:
        return {"widget": "object", "collapsed": True, **_nested(prop, where, defs, vocabulary)}
    kind = prop.get("type")
    if kind == "array":
        return _list(prop, where, defs, vocabulary)
    if kind == "boolean":
        return {"widget": "boolean"}
    if kind == "number":
        return {"widget": "number", "value_type": "float", **_bounds(prop)}
    return _text(prop, where)


def _list(
    prop: dict[str, Any], where: str, defs: dict[str, Any], vocabulary: Vocabulary
) -> dict[str, Any]:
    items = _resolve(prop["items"], defs)
    out: dict[str, Any] = {"widget": "list", "collapsed": True}
    if "minItems" in prop:
        out["min"] = prop["minItems"]
    if "maxItems" in prop:
        out["max"] = prop["maxItems"]
    if "$ref" in items:
        nested = _nested(items, where, defs, vocabulary)
        first = nested["fields"][0]["name"]
        return {**out, **nested, "summary": "{{fields." + first + "}}"}
    item = {"label": _label(where.rsplit(".", 1)[1]), "name": "item"}
    return {**out, "field": {**item, **_widget(items, where + "[]", defs, vocabulary)}}


def _nested(
    prop: dict[str, Any], where: str, defs: dict[str, Any], vocabulary: Vocabulary
) -> dict[str, Any]:
    model = _MODELS[prop["$ref"].rsplit("/", 1)[1]]
    return {"fields": _fields(model, where, vocabulary)}


def _text(prop: dict[str, Any], where: str) -> dict[str, Any]:
    limit = prop.get("maxLength")
    if limit is not None and limit >= 30_000:
        return {
            "widget": "markdown",
            "buttons": _EDITOR_BUTTONS,
            "editor_components": [],
            "modes": ["rich_text", "raw"],
            "sanitize_preview": True,
        }
    pattern = prop.get("pattern") or _FORMATS.get(prop.get("format", ""))
    long = limit is not None and limit > 300 and not pattern  # (a paragraph, not an address)
    out: dict[str, Any] = {"widget": "text" if long else "string"}
    if pattern:
        name = where.rsplit(".", 1)[1].rstrip("[]")
        out["pattern"] = [pattern, f"{name}: {_MESSAGES.get(pattern, 'not in the form asked')}"]
    return out


def _resolve(prop: dict[str, Any], defs: dict[str, Any]) -> dict[str, Any]:
    """``prop`` without ``null`` among its choices (optional fields), and an actor given as a
    plain id taken as the mapping it stands for."""
    choices: list[dict[str, Any]] = [
        p for p in prop.get("anyOf", [prop]) if p.get("type") != "null"
    ]
    refs = [p for p in choices if "$ref" in p]
    return refs[0] if refs else choices[0]


def _bounds(prop: dict[str, Any]) -> dict[str, Any]:
    return {k: prop[s] for k, s in (("min", "minimum"), ("max", "maximum")) if s in prop}


_DAY = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$"
_FORMATS = {"date": _DAY}
_MESSAGES = {
    _DAY: "write the day as YYYY-MM-DD",
    Event.model_json_schema()["properties"]["date"]["pattern"]: (
        "not an EDTF date: YYYY, YYYY-MM or YYYY-MM-DD, with ~ or ? if need be, or A/B"
    ),
    "^[a-z0-9]+(-[a-z0-9]+)*$": "lowercase a-z and 0-9 words joined by hyphens",
    "^[Hh][Tt][Tt][Pp][Ss]?://": "a web address must start with http:// or https://",
    "^[A-Z]{2}$": "an ISO 3166-1 alpha-2 country code, e.g. KP",
    "^([01][0-9]|2[0-3]):[0-5][0-9]$": "write the local time as HH:MM (24 h)",
    "^Q[1-9][0-9]*$": "a Wikidata item id: Q followed by digits",
}


def _label(name: str) -> str:
    return name.replace("_", " ").capitalize()


def _hint(doc: str) -> str:
    return re.sub(r"\s+", " ", doc).strip()


def _models() -> dict[str, type[Record]]:
    found: dict[str, type[Record]] = {}
    pending: list[type[Record]] = [Event, Actor]
    while pending:
        model = pending.pop()
        found[model.__name__] = model
        for info in model.model_fields.values():
            for arg in _types(info.annotation):
                if arg.__name__ not in found:
                    pending.append(arg)
    return found


def _types(annotation: Any) -> list[type[Record]]:
    if isinstance(annotation, type) and issubclass(annotation, Record):
        return [annotation]
    return [t for arg in getattr(annotation, "__args__", ()) for t in _types(arg)]


_MODELS = _models()


def config_text(vocabulary: Vocabulary, settings: Settings, repo: str | None = None) -> str:
    """The configuration as YAML, as committed (``templates/admin/config.yml``) and published."""
    head = (
        "# Decap CMS's configuration for /admin/, generated from the model and the vocabulary by\n"
        "# `briefing cms-config`: do not edit it by hand. The build adds the repository.\n"
    )
    body = yaml.safe_dump(
        config(vocabulary, settings, repo), sort_keys=False, allow_unicode=True, width=100
    )
    return head + body


def repository(repo_url: str) -> str | None:
    """``owner/name`` of a GitHub repository's address, if it is one."""
    found = re.fullmatch(r"https://github\.com/([^/]+/[^/]+?)(?:\.git)?/?", repo_url)
    return found[1] if found else None


def admin_files(vocabulary: Vocabulary, settings: Settings) -> dict[str, str | bytes]:
    """``/admin/``: the page, the configuration, the form's script and Decap's bundle."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(settings.templates_dir / "admin"),
        undefined=jinja2.StrictUndefined,
        autoescape=True,
        keep_trailing_newline=True,
    )
    page = env.get_template("index.html.j2").render(
        policy=ADMIN_POLICY, site_name=settings.site_name, bundle=decap_bundle.ENTRY, script=SCRIPT
    )
    out: dict[str, str | bytes] = {
        f"{ADMIN_FOLDER}/index.html": page,
        f"{ADMIN_FOLDER}/config.yml": config_text(
            vocabulary, settings, repository(settings.repo_url)
        ),
        f"{ADMIN_FOLDER}/{SCRIPT}": (settings.templates_dir / "admin" / SCRIPT).read_text("utf-8"),
    }
    for name, data in decap_bundle.bundle_files().items():
        out[f"{ADMIN_FOLDER}/{name}"] = data
    return out
