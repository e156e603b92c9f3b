"""Random damage to valid records: only our own error type may ever escape."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path
from typing import Any

import yaml
from hypothesis import example, given
from hypothesis import strategies as st

from generator.errors import ContentErrors
from generator.link import build_site
from tests.conftest import ACTORS, EVENT, EVENT_2, VOCABULARY, write_tree

SCALARS = st.one_of(
    st.text(max_size=30),
    st.sampled_from(
        [
            "NO",
            "yes",
            "5:30",
            "1.10",
            "0755",
            "~",
            "null",
            "2024-13-01",
            "javascript:x",
            "<b>",
            "{: x=1}",
        ]
    ),
)
VALUES: st.SearchStrategy[Any] = st.recursive(
    SCALARS,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(SCALARS, inner, max_size=3),
    max_leaves=6,
)


def _paths(data: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    out = [prefix]
    if isinstance(data, dict):
        for key, value in data.items():
            out += _paths(value, (*prefix, key))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            out += _paths(value, (*prefix, index))
    return out


def _replace(data: Any, path: tuple[Any, ...], value: Any) -> Any:
    if not path:
        return value
    head, rest = path[0], path[1:]
    copy: Any = dict(data) if isinstance(data, dict) else list(data)
    copy[head] = _replace(data[head], rest, value)
    return copy


def _check(events: dict[str, str], actors: dict[str, str]) -> None:
    folder = Path(tempfile.mkdtemp())
    try:
        root = write_tree(folder, events, actors, VOCABULARY)
        try:
            build_site(root)
        except ContentErrors as exc:
            assert exc.errors
            for error in exc.errors:
                assert error.line >= 1 and error.column >= 1
    finally:
        shutil.rmtree(folder)


@given(data=st.data())
def test_structural_mutations_only_raise_content_errors(data: st.DataObject) -> None:
    record = yaml.safe_load(EVENT)
    path = data.draw(st.sampled_from(_paths(record)))
    mutated = _replace(record, path, data.draw(VALUES))
    text = (
        yaml.safe_dump(mutated, allow_unicode=True)
        if isinstance(mutated, dict | list)
        else str(mutated)
    )
    _check({"launch": text, "claim": EVENT_2}, ACTORS)


@given(
    position=st.integers(min_value=0, max_value=len(EVENT)),
    cut=st.integers(min_value=0, max_value=20),
    insert=st.text(
        alphabet=st.sampled_from([*":-[]{}&*!|>'\"#%@`\t\n \ufeff\x00\u202e", "a", "é"]),
        max_size=6,
    ),
)
@example(position=76, cut=3, insert="[]")  # a key `t[]`: IndexError in validate._translate
def test_text_mutations_only_raise_content_errors(position: int, cut: int, insert: str) -> None:
    text = EVENT[:position] + insert + EVENT[position + cut :]
    actor = ACTORS["kim-jong-un"]
    _check(
        {"launch": text, "claim": EVENT_2},
        {**ACTORS, "kim-jong-un": actor[: position % len(actor)]},
    )
