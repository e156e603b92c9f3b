"""What a build made from each record, kept for the next build while the record is the same.

`mkdocs serve` keeps the records of unchanged files as the same objects from one rebuild to
the next (`generator.content.records.RecordCache`, `generator.site.relink`), so what was made
from a record is reused while the record object, and whatever else it was made from (the key),
are the same.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Sequence
from typing import Any, TypeVar, cast

_T = TypeVar("_T")


class PerRecord:
    """Values made from one record, by kind, reused while the record object and the key are the
    same; those of records not asked for between two calls of `forget_unused` are dropped."""

    def __init__(self) -> None:
        self._old: dict[int, tuple[object, dict[str, tuple[Hashable, Any]]]] = {}
        self._new: dict[int, tuple[object, dict[str, tuple[Hashable, Any]]]] = {}

    def get(
        self, record: object, kind: str, key: Hashable, make: Callable[..., _T], *args: Any
    ) -> _T:
        """``make(*args)``, or what it returned last time for this record, kind and key."""
        slot = self._new.get(id(record)) or self._old.get(id(record))
        if slot is None or slot[0] is not record:
            slot = (record, {})
        self._new[id(record)] = slot
        hit = slot[1].get(kind)
        if hit is not None and hit[0] == key:
            return cast(_T, hit[1])
        value = make(*args)
        slot[1][kind] = (key, value)
        return value

    def forget_unused(self) -> None:
        """Drop what was made from records not asked for since the last call."""
        self._old, self._new = self._new, {}


class ByName:
    """Values made from a sequence of objects (a feed's records, a year's rows), by name (the
    file's path, the year), reused while the key is equal and the objects are the same ones."""

    def __init__(self) -> None:
        self._made: dict[Hashable, tuple[Hashable, Sequence[object], Any]] = {}

    def get(
        self, name: Hashable, key: Hashable, objects: Sequence[object], make: Callable[[], _T]
    ) -> _T:
        """``make()``, or what it returned last time for ``name``, ``key`` and ``objects``."""
        last = self._made.get(name)
        if (
            last is not None
            and last[0] == key
            and len(last[1]) == len(objects)
            and all(a is b for a, b in zip(last[1], objects, strict=True))
        ):
            return cast(_T, last[2])
        made = make()
        self._made[name] = (key, objects, made)
        return made
