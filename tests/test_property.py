"""Random damage to valid records, as a careless editor would do it (issue 15).

For every input, `briefing check` exits 0 or 1 with one positioned message per line and no
traceback; when it passes, the pages render, and for a sample of passing mutants a real
`mkdocs build --strict` passes too. CI runs a fixed set of examples (the Hypothesis profile
"ci" in conftest); `make fuzz` runs far more with fresh random seeds.
"""

from __future__ import annotations

import contextlib
import io
import os
import random
import re
import shutil
import tempfile
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import example, given
from hypothesis import strategies as st

from generator.commands import cli
from generator.session.build import render_site
from generator.settings import Settings
from generator.site.link import build_site
from tests.conftest import ACTORS, CLAIM, EVENT, VOCABULARY, write_tree
from tests.sitebuild import ROOT, config_for, mkdocs_build

FUZZ = os.environ.get("BRIEFING_HYPOTHESIS") == "fuzz"
POSITIONED = re.compile(r"^\S.*?:[1-9][0-9]*:[1-9][0-9]*: \S")
SUMMARY = re.compile(r"^([0-9]+) error\(s\) in [0-9]+ file\(s\)$")

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


def run_check(root: Path) -> tuple[int, list[str]]:
    """`briefing check --content root`, in this process: (exit code, stderr lines)."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = cli.main(["check", "--content", str(root)])
    lines = err.getvalue().splitlines()
    assert code in (0, 1), (code, lines)
    assert "Traceback" not in err.getvalue()
    if code == 0:  # (editorial warnings, positioned, and their count, may come first)
        assert out.getvalue().startswith("ok: ")
        if lines:
            assert re.fullmatch(r"\d+ editorial warning\(s\) in \d+ file\(s\)", lines[-1])
            assert all(POSITIONED.match(line) for line in lines[:-1]), lines
    else:
        summary = SUMMARY.match(lines[-1]) if lines else None
        assert summary, lines
        assert int(summary[1]) == len(lines) - 1, lines
        for line in lines[:-1]:
            assert POSITIONED.match(line), line
    return code, lines


def _check(events: dict[str, str], actors: dict[str, str] | None = None) -> int:
    folder = Path(tempfile.mkdtemp())
    try:
        root = write_tree(folder, events, actors)
        code, _ = run_check(root)
        if code == 0:  # what check accepts must render
            render_site(build_site(root), Settings(page_size=3, templates_dir=ROOT / "templates"))
        return code
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
    _check({"launch": text})


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
    _check({"launch": text}, {"kim-jong-un": actor[: position % len(actor)]})


# -- mutation fuzzing over whole records: bytes, YAML structure and field values --------------

INTERESTING = [
    *("2024", "2024~", "2024?", "2024/2025", "2024/9999", "2023/2024-03", "2024-05~/2024-06?"),
    *(
        "0001",
        "9999-12-31",
        "2024-02-29",
        "0000",
        "0000-01-01",
        "\u0662\u0660\u0662\u0664",
        "2024-13",
    ),
    *("3_9", "-0", "+39", "90", "-90.0", "nan", "1e1", "\u0663\u0669", "0x10"),
    *("", " ", "TODO", "TODO: fill in", "x" * 700, "Range <500 km, apogee ~100 km, 2^10 = 1024"),
    *("a | b", "x \\| y | z", "\\", "`code`", "*emph*", "[a](https://example.com)", "[a]("),
    *("[a](javascript:x)", "<b>", "{: x=1}", "\u202e", "\x07", "\x00", "김정은", "t[]"),
    *("yes", "NO", "null", "~", "05:30", "25:00", "index", "north-korea", "rok-jcs", "launch"),
    *("claim", "KP", "XX", "Asia/Seoul", "Mars/Olympus", "https://example.com/x", "mailto:x@y"),
    *("missile-launch", "statement", "developing", "confirmed", "high", "context", "Q56226"),
]
BYTES = [
    b"\x00",
    b"\x07",
    b"\x80",
    b"\xff",
    b"\xc3",
    b"\xe2\x80\xae",
    b"\r",
    b"\t",
    b"\xef\xbb\xbf",
]
SYNTAX = [b":", b"-", b"[", b"]", b"{", b"}", b"&a", b"*a", b"!!int", b"|", b">", b"'", b'"', b"#"]
SYNTAX += [b"\n", b"  ", b"\n---\n", b"? ", b"%YAML 1.1\n", b"<<: x", b"\\"]


def _scalar_paths(data: Any) -> list[tuple[Any, ...]]:
    return [p for p in _paths(data) if not isinstance(_get(data, p), dict | list)]


def _get(data: Any, path: tuple[Any, ...]) -> Any:
    for part in path:
        data = data[part]
    return data


def _mutate_bytes(rng: random.Random, raw: bytes) -> bytes:
    at = rng.randrange(len(raw) + 1)
    op = rng.randrange(3)
    piece = rng.choice(BYTES + SYNTAX)
    if op == 0:
        return raw[:at] + piece + raw[at:]
    if op == 1:
        return raw[:at] + raw[at + rng.randrange(1, 12) :]
    return raw[:at] + piece + raw[at + len(piece) :]


def _mutate_lines(rng: random.Random, text: str) -> str:
    lines = text.splitlines(keepends=True)
    i, j = rng.randrange(len(lines)), rng.randrange(len(lines))
    op = rng.randrange(5)
    if op == 0:
        del lines[i]
    elif op == 1:
        lines.insert(j, lines[i])  # a duplicate key, or a repeated list item
    elif op == 2:
        lines[i], lines[j] = lines[j], lines[i]
    elif op == 3:
        lines[i] = "  " + lines[i]
    else:
        lines[i] = lines[i][2:] if lines[i].startswith("  ") else lines[i]
    return "".join(lines)


def _random_value(rng: random.Random, depth: int = 0) -> Any:
    kind = rng.randrange(6 if depth < 3 else 3)
    if kind < 3:
        return rng.choice(INTERESTING)
    if kind == 3:
        return [_random_value(rng, depth + 1) for _ in range(rng.randrange(3))]
    if kind == 4:
        return {rng.choice(INTERESTING): _random_value(rng, depth + 1) for _ in range(2)}
    nested: Any = rng.choice(INTERESTING)
    for _ in range(rng.randrange(15, 40)):
        nested = [nested] if rng.random() < 0.5 else {"a": nested}
    return nested


def _mutate_structure(rng: random.Random, text: str) -> str:
    try:
        data = yaml.load(text, Loader=yaml.BaseLoader)  # every value as text, as we read it
    except yaml.YAMLError:
        return text
    if not isinstance(data, dict) or not data:
        return text
    op = rng.randrange(4)
    if op == 0:  # a field value: an interesting value for some field
        paths = _scalar_paths(data)
        path = rng.choice(paths)
        data = _replace(data, path, rng.choice(INTERESTING))
    elif op == 1:  # another shape where a value was
        data = _replace(data, rng.choice(_paths(data)[1:]), _random_value(rng))
    elif op == 2:  # a field removed
        path = rng.choice(_paths(data)[1:])
        parent = _get(data, path[:-1])
        del parent[path[-1]]
    else:  # a field renamed (a typo, or another record's field)
        key = rng.choice(list(data))
        data[rng.choice([key[:-1] or "x", key + "s", "acters", "said", "kind", "t[]"])] = data.pop(
            key
        )
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False)


def mutate(rng: random.Random, text: str, rounds: int) -> bytes:
    """``text`` damaged ``rounds`` times, by bytes, lines, YAML structure or field values."""
    raw = text.encode("utf-8")
    for _ in range(rounds):
        op = rng.randrange(4)
        if op == 0:
            raw = _mutate_bytes(rng, raw)
            continue
        try:
            current = raw.decode("utf-8")
        except UnicodeDecodeError:
            raw = _mutate_bytes(rng, raw)
            continue
        current = _mutate_lines(rng, current) if op == 1 else _mutate_structure(rng, current)
        raw = current.encode("utf-8")
    return raw


TARGETS = ["launch", "claim", "kim-jong-un", "vocabulary"]


def _tree_with(folder: Path, target: str, raw: bytes) -> Path:
    root = write_tree(folder)
    path = {
        "launch": root / "events" / "2024" / "launch.yaml",
        "claim": root / "events" / "2024" / "claim.yaml",
        "kim-jong-un": root / "actors" / "kim-jong-un.yaml",
        "vocabulary": root / "vocabulary.yaml",
    }[target]
    path.write_bytes(raw)
    return root


def _original(target: str) -> str:
    texts = {"launch": EVENT, "claim": CLAIM, "vocabulary": VOCABULARY}
    return texts.get(target) or ACTORS[target]


@given(
    rng=st.randoms(use_true_random=False),
    target=st.sampled_from(TARGETS),
    rounds=st.integers(min_value=1, max_value=4),
)
def test_mutated_records_get_positioned_messages_or_render(
    rng: random.Random, target: str, rounds: int
) -> None:
    folder = Path(tempfile.mkdtemp())
    try:
        root = _tree_with(folder, target, mutate(rng, _original(target), rounds))
        code, _ = run_check(root)
        if code == 0:
            render_site(build_site(root), Settings(page_size=3, templates_dir=ROOT / "templates"))
    finally:
        shutil.rmtree(folder)


def _passing_mutants(seed: int, wanted: int) -> list[bytes]:
    """Mutants of the launch event that pass `check` alone, and together with each other."""
    rng = random.Random(seed)
    kept: list[bytes] = []
    folder = Path(tempfile.mkdtemp())
    try:
        for attempt in range(3000):
            if len(kept) == wanted:
                break
            raw = mutate(rng, EVENT, rng.randrange(1, 4))
            if raw == EVENT.encode():
                continue
            shutil.rmtree(folder)
            root = _tree_with(folder, "launch", EVENT.encode())
            for index, earlier in enumerate([*kept, raw]):
                (root / "events" / "2024" / f"mutant-{index}.yaml").write_bytes(earlier)
            if run_check(root)[0] == 0:
                kept.append(raw)
            del attempt
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    return kept


@pytest.mark.slow
def test_passing_mutants_pass_a_strict_build(tmp_path: Path) -> None:
    """What `check` accepts, `mkdocs build --strict` builds: a sample of passing mutants, all
    in one real build (3 in CI; 30 with a fresh seed under `make fuzz`)."""
    seed = random.SystemRandom().randrange(2**32) if FUZZ else 15
    mutants = _passing_mutants(seed, 30 if FUZZ else 3)
    assert mutants, f"no passing mutant (seed {seed})"
    root = _tree_with(tmp_path / "content", "launch", EVENT.encode())
    for index, raw in enumerate(mutants):
        (root / "events" / "2024" / f"mutant-{index}.yaml").write_bytes(raw)
    result = mkdocs_build(config_for(tmp_path / "build", root), tmp_path / "site")
    assert result.returncode == 0, f"seed {seed}:\n{result.stderr}"
    for index in range(len(mutants)):
        assert (tmp_path / "site" / "briefs" / f"mutant-{index}" / "index.html").exists()
