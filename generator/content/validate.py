"""Typed records from loaded documents: pydantic errors become positioned editor messages."""

from __future__ import annotations

import types
import typing
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from generator.content.errors import ContentError, Loc, did_you_mean
from generator.content.load import Document

M = TypeVar("M", bound=BaseModel)

_KIND: dict[type, str] = {str: "text", list: "a list", dict: "a mapping"}


def to_record(doc: Document, model: type[M], errors: list[ContentError]) -> M | None:
    """Validate ``doc`` against ``model``; append every problem to ``errors``, with those the
    loader noted. None unless the record is free of problems."""
    errors.extend(doc.problems)
    try:
        record = model.model_validate(doc.data)
    except ValidationError as exc:
        for err in exc.errors(include_url=False):
            error = _translate(doc, model, err)
            if not _explained(doc, _data_loc(doc.data, err["loc"])):
                errors.append(error)
        return None
    return None if doc.problems else record


def _explained(doc: Document, loc: Loc) -> bool:
    """Whether the value at ``loc`` (or around it) is a placeholder for a problem reported."""
    return any(loc[:n] in doc.explained for n in range(len(loc) + 1)) if doc.explained else False


def _translate(doc: Document, model: type[BaseModel], err: Any) -> ContentError:
    loc = _data_loc(doc.data, err["loc"])
    kind, ctx, value = err["type"], err.get("ctx", {}), err.get("input")
    if kind in ("missing", "extra_forbidden") and not loc:  # not expected: keep a message
        return doc.error((), str(err["msg"]))
    if kind == "missing":
        return doc.error(loc[:-1], f"missing required field '{loc[-1]}'")
    if kind == "extra_forbidden":
        known = _fields_at(model, loc[:-1])
        hint = did_you_mean(str(loc[-1]), known) if known else ""
        return doc.error(loc, f"unknown field '{loc[-1]}'{hint}", key=True)
    # Keep the loc the editor wrote (an actor given as a plain id has no '.id' of its own).
    while loc and loc not in doc.values:
        loc = loc[:-1]
    if kind in ("string_type", "list_type", "dict_type", "model_type", "model_attributes_type"):
        expected = {"string_type": "text", "list_type": "a list"}.get(kind, "a mapping")
        found = "nothing" if value in ("", None) else _KIND.get(type(value), "something else")
        return doc.error(loc, f"expected {expected}, found {found}")
    if kind == "value_error":
        message = str(ctx.get("error", err["msg"]))
    elif kind == "too_short":
        message = f"needs at least {ctx.get('min_length', 1)} item(s)"
    elif kind == "too_long":  # (pydantic counts a list's items, not a mapping's)
        count = ctx.get("actual_length") or len(value)
        message = f"has {count} items; the limit is {ctx.get('max_length')}"
    elif kind == "literal_error":
        message = f"'{value}' is not one of {ctx.get('expected')}"
    elif kind == "float_parsing":
        message = f"'{value}' is not a number"
    elif kind in ("greater_than_equal", "less_than_equal"):
        bound = err["msg"].lower().replace("input should be ", "must be ")
        message = f"{value} is out of range ({bound})"
    else:
        message = err["msg"]
    return doc.error(loc, message)


def _data_loc(data: Any, parts: tuple[Any, ...]) -> Loc:
    """The loc of pydantic's error in the editor's data, without the names pydantic adds to
    some locs (``function-after[...]``, ``[key]``).

    The loc is walked through the data itself, so a key that looks like such a name (``t[]``)
    is kept; a last part that is not in the data is the name of a missing field.
    """
    loc: list[str | int] = []
    current = data
    last = len(parts) - 1
    for index, part in enumerate(parts):
        in_dict = isinstance(current, dict) and isinstance(part, str) and part in current
        in_list = isinstance(current, list) and isinstance(part, int) and 0 <= part < len(current)
        if in_dict or in_list:
            current = current[part]
        elif index != last or not isinstance(current, dict) or _is_wrapper(part):
            continue  # pydantic's own name, not the editor's key; the last part of a
            # loc that is not in the data is the name of a missing field
        loc.append(part)
    return tuple(loc)


def _is_wrapper(part: Any) -> bool:
    # pydantic adds function-wrapper names like 'function-after[...]' to some locs
    return isinstance(part, str) and "[" in part and part.endswith("]")


def _fields_at(model: type[BaseModel], loc: Loc) -> list[str]:
    """Field names of the model found at ``loc`` inside ``model`` (for did-you-mean)."""
    current: Any = model
    for part in loc:
        if isinstance(part, int):
            continue
        if not (isinstance(current, type) and issubclass(current, BaseModel)):
            return []
        field = current.model_fields.get(part)
        if field is None:
            return []
        current = _model_in(field.annotation)
    if isinstance(current, type) and issubclass(current, BaseModel):
        return list(current.model_fields)
    return []


def _model_in(annotation: Any) -> Any:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        return _model_in(typing.get_args(annotation)[0])
    if origin in (list, typing.Union, types.UnionType):
        for arg in typing.get_args(annotation):
            found = _model_in(arg)
            if found is not None:
                return found
    return None
