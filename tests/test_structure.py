"""The shape of generator/: one subpackage per stage, imported only by later stages; short
functions, no private names borrowed, no import cycles."""

from __future__ import annotations

import ast
from pathlib import Path

GENERATOR = Path(__file__).parent.parent / "generator"
LONGEST = 60
"""Lines a function may span (its decorators and docstring included)."""
STAGES = [
    "content",
    "ingest",
    "site",
    "render",
    "publish",
    "speed",
    "session",
    "adapter",
    "commands",
]
"""The subpackages in the pipeline's order: a module may import from its own stage and from
earlier ones, never from a later one."""
SHARED = {"settings"}
"""Modules of the package itself, below every stage: any stage may import them."""


def _modules() -> dict[str, ast.Module]:
    """Every module of the package by dotted name under it (``site.link``, ``settings``)."""
    return {
        ".".join(path.relative_to(GENERATOR).with_suffix("").parts): ast.parse(
            path.read_text(encoding="utf-8"), str(path)
        )
        for path in sorted(GENERATOR.rglob("*.py"))
    }


def _imports(tree: ast.Module) -> list[tuple[str, list[str]]]:
    """(generator module, names) imported by ``tree``: ``from generator.site.link import a``
    gives ("site.link", ["a"]), ``from generator.site import link`` gives ("site.link", [])."""
    found: list[tuple[str, list[str]]] = []
    packages = ("generator", *(f"generator.{stage}" for stage in STAGES))
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module in packages:
            base = node.module.removeprefix("generator").lstrip(".")
            found += [(f"{base}.{a.name}".lstrip("."), []) for a in node.names]
        elif isinstance(node, ast.ImportFrom) and (node.module or "").startswith("generator."):
            module = (node.module or "").removeprefix("generator.")
            found.append((module, [a.name for a in node.names]))
        elif isinstance(node, ast.Import):
            found += [
                (a.name.removeprefix("generator."), [])
                for a in node.names
                if a.name.startswith("generator.")
            ]
    return found


def _stage(module: str) -> int:
    """Where ``module`` stands in the pipeline: -1 below every stage (`SHARED`)."""
    top = module.split(".")[0]
    if top in SHARED or top in ("__init__", "__main__"):
        return -1 if top != "__main__" else len(STAGES)
    return STAGES.index(top)


def test_every_module_belongs_to_a_stage() -> None:
    """Each module sits in the subpackage of its stage; only the shared ones stand beside them,
    and each subpackage says in its docstring what it owns."""
    loose = [
        path.name
        for path in GENERATOR.glob("*.py")
        if path.stem not in SHARED | {"__init__", "__main__"}
    ]
    assert not loose, f"put these in the subpackage of their stage: {loose}"
    folders = {p.name for p in GENERATOR.iterdir() if (p / "__init__.py").exists()}
    assert folders == set(STAGES), folders
    for stage in STAGES:
        doc = ast.get_docstring(_modules()[f"{stage}.__init__"])
        assert doc and len(doc.split()) > 20, f"{stage}/__init__.py: say what the stage owns"


def test_no_stage_imports_a_later_one() -> None:
    backwards = [
        f"{name} imports {module}"
        for name, tree in _modules().items()
        for module, _ in _imports(tree)
        if _stage(module) > _stage(name)
    ]
    assert not backwards, "imports against the pipeline's order:\n" + "\n".join(backwards)


def test_the_stage_order_test_sees_imports() -> None:
    """The rule above reads the imports it judges (so it cannot pass by reading none)."""
    found = dict(
        _imports(
            ast.parse(
                "from generator.site import link, relink\nfrom generator.render.jinja import Renderer\nimport generator.settings"
            )
        )
    )
    assert found == {
        "site.link": [],
        "site.relink": [],
        "render.jinja": ["Renderer"],
        "settings": [],
    }
    assert _stage("render.jinja") > _stage("site.link") > _stage("settings")


def test_no_function_is_longer_than_60_lines() -> None:
    long = [
        f"{name}:{node.lineno} {node.name}: {node.end_lineno - node.lineno + 1} lines"  # type: ignore[operator]
        for name, tree in _modules().items()
        for node in ast.walk(tree)
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
        and node.end_lineno - node.lineno + 1 > LONGEST  # type: ignore[operator]
    ]
    assert not long, "split these functions:\n" + "\n".join(long)


def test_no_module_imports_private_names_of_another() -> None:
    private = [
        f"{name} imports {module}.{imported}"
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


SHARED_NAMES: dict[str, str] = {}
"""Public names more than one module may define, each with the reason an outside API needs it
(a MkDocs hook, a command name). None today: every public name means one thing."""


def _public_names(tree: ast.Module) -> list[tuple[str, int]]:
    """The public names ``tree`` defines at its top level (def, class, assignment), with their
    lines. Names starting with ``_`` are the module's own."""
    found: list[tuple[str, int]] = []
    for node in tree.body:
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            found.append((node.name, node.lineno))
        elif isinstance(node, ast.Assign | ast.AnnAssign | ast.AugAssign):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            found += [
                (name.id, node.lineno)
                for target in targets
                for name in ast.walk(target)
                if isinstance(name, ast.Name)
            ]
    return [(name, line) for name, line in found if not name.startswith("_")]


def _definitions() -> dict[str, list[str]]:
    """Each public top-level name of the package: the modules (with the line) defining it."""
    defined: dict[str, list[str]] = {}
    for module, tree in _modules().items():
        for name, line in dict(_public_names(tree)).items():
            defined.setdefault(name, []).append(f"{module}:{line}")
    return defined


def test_one_meaning_per_public_name() -> None:
    """No public top-level name is defined by two modules of generator/: where two meant the
    same thing it is defined once and imported; where they differed, one was renamed."""
    twice = {
        name: where
        for name, where in _definitions().items()
        if len(where) > 1 and name not in SHARED_NAMES
    }
    assert not twice, "one meaning per public name; defined more than once:\n" + "\n".join(
        f"{name}: {', '.join(where)}" for name, where in sorted(twice.items())
    )
    unneeded = [name for name in SHARED_NAMES if len(_definitions().get(name, [])) < 2]
    assert not unneeded, f"no longer defined twice, take them off SHARED_NAMES: {unneeded}"


def test_the_public_name_test_sees_names() -> None:
    """The rule above reads the names it judges (so it cannot pass by reading none)."""
    tree = ast.parse(
        "import re\nfrom os import path\n"
        "def run(): pass\nasync def fetch(): pass\nclass Bar: X = 1\n"
        "WIDTH, HEIGHT = 1, 2\nLIMIT: int = 3\nT = TypeVar('T')\n_log = None\n"
        "def _private(): pass\nif True:\n    NESTED = 1\n"
    )
    names = [name for name, _ in _public_names(tree)]
    assert names == ["run", "fetch", "Bar", "WIDTH", "HEIGHT", "LIMIT", "T"]
    defined = _definitions()
    assert len(defined) > 300, len(defined)
    assert [where.partition(":")[0] for where in defined["Builder"]] == ["session.build"]
    assert {"SCHEME", "Settings", "SitemapUrl", "Url", "BriefingPlugin"} <= defined.keys()
