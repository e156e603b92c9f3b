"""The shape of generator/: short functions, no private names borrowed, no import cycles."""

from __future__ import annotations

import ast
from pathlib import Path

GENERATOR = Path(__file__).parent.parent / "generator"
LONGEST = 60
"""Lines a function may span (its decorators and docstring included)."""


def _modules() -> dict[str, ast.Module]:
    return {
        path.stem: ast.parse(path.read_text(encoding="utf-8"), str(path))
        for path in sorted(GENERATOR.glob("*.py"))
    }


def _imports(tree: ast.Module) -> list[tuple[str, list[str]]]:
    """(generator module, names) imported by ``tree``: ``from generator.x import a`` gives
    ("x", ["a"]), ``from generator import x`` gives ("x", [])."""
    found: list[tuple[str, list[str]]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module == "generator":
            found += [(alias.name, []) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and (node.module or "").startswith("generator."):
            found.append((node.module.split(".")[1], [a.name for a in node.names]))  # type: ignore[union-attr]
        elif isinstance(node, ast.Import):
            found += [
                (a.name.split(".")[1], []) for a in node.names if a.name.startswith("generator.")
            ]
    return found


def test_no_function_is_longer_than_60_lines() -> None:
    long = [
        f"{name}.py:{node.lineno} {node.name}: {node.end_lineno - node.lineno + 1} lines"  # type: ignore[operator]
        for name, tree in _modules().items()
        for node in ast.walk(tree)
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
        and node.end_lineno - node.lineno + 1 > LONGEST  # type: ignore[operator]
    ]
    assert not long, "split these functions:\n" + "\n".join(long)


def test_no_module_imports_private_names_of_another() -> None:
    private = [
        f"{name}.py imports {module}.{imported}"
        for name, tree in _modules().items()
        for module, names in _imports(tree)
        for imported in names
        if imported.startswith("_")
    ]
    assert not private, "\n".join(private)


def test_the_import_graph_has_no_cycles() -> None:
    graph = {name: {m for m, _ in _imports(tree) if m != name} for name, tree in _modules().items()}
    done: set[str] = set()

    def visit(name: str, path: list[str]) -> None:
        if name in path:
            cycle = " -> ".join([*path[path.index(name) :], name])
            raise AssertionError(f"import cycle: {cycle}")
        if name in done:
            return
        for other in sorted(graph.get(name, ())):
            visit(other, [*path, name])
        done.add(name)

    for name in sorted(graph):
        visit(name, [])
