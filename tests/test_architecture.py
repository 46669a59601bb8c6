"""The package's shape: imports point one way (no cycles, lazy imports included) and the core never imports
the UI."""

from __future__ import annotations

import ast
from pathlib import Path

PKG = Path(__file__).resolve().parent.parent / "dialogue"


def module_name(path: Path) -> str:
    rel = path.relative_to(PKG.parent).with_suffix("")
    parts = list(rel.parts)
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join(parts)


def imports_of(path: Path) -> set[str]:
    """Every dialogue module this file imports, at any depth (function-level imports hide cycles too)."""
    name = module_name(path)
    package = name if path.name == "__init__.py" else name.rsplit(".", 1)[0]
    out: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - (node.level - 1)]
                target = ".".join([*base, *([node.module] if node.module else [])])
            else:
                target = node.module or ""
            if target.startswith("dialogue"):
                out.add(target)
                out |= {f"{target}.{a.name}" for a in node.names}
        elif isinstance(node, ast.Import):
            out |= {a.name for a in node.names if a.name.startswith("dialogue")}
    return out


def graph() -> dict[str, set[str]]:
    files = {module_name(p): p for p in PKG.rglob("*.py")}
    g: dict[str, set[str]] = {}
    for name, path in files.items():
        g[name] = {t for t in imports_of(path) if t in files and t != name}
    return g


def test_no_import_cycles() -> None:
    g = graph()
    # a package's __init__ may re-export its own submodules; that is not a cycle between modules
    for name in g:
        g[name] = {t for t in g[name] if not t.startswith(name + ".")}
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(n: str) -> None:
        state[n] = 1
        stack.append(n)
        for m in sorted(g[n]):
            if state.get(m) == 1:
                raise AssertionError("import cycle: " + " -> ".join([*stack[stack.index(m) :], m]))
            if m not in state:
                visit(m)
        stack.pop()
        state[n] = 2

    for n in sorted(g):
        if n not in state:
            visit(n)


def test_core_never_imports_the_ui() -> None:
    for path in PKG.rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            names = (
                [a.name for a in node.names]
                if isinstance(node, ast.Import)
                else [node.module or ""]
                if isinstance(node, ast.ImportFrom) and not node.level
                else []
            )
            for n in names:
                assert n.split(".")[0] not in ("gradio", "ui", "app"), f"{path}: imports {n}"


def test_nothing_outside_tests_imports_from_tests() -> None:
    """Benches and the package use the package's own test doubles (dialogue.testing), never tests/."""
    root = PKG.parent
    for path in [*PKG.rglob("*.py"), *(root / "bench").glob("*.py"), root / "app.py"]:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            mods = (
                [a.name for a in node.names]
                if isinstance(node, ast.Import)
                else [node.module or ""]
                if isinstance(node, ast.ImportFrom)
                else []
            )
            assert not any(m == "tests" or m.startswith("tests.") for m in mods), f"{path} imports {mods}"


def test_functions_stay_short_and_app_is_an_entry_point() -> None:
    """No function in the core or the UI over 80 lines; app.py only wires settings, runtime and launch."""
    root = PKG.parent
    long = []
    for path in [*PKG.rglob("*.py"), *(root / "ui").rglob("*.py"), root / "app.py"]:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            is_fn = isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef))
            if is_fn and node.end_lineno and node.end_lineno - node.lineno + 1 > 80:
                long.append(f"{path.relative_to(root)}:{node.lineno} {node.name}")
    assert not long, long
    assert len((root / "app.py").read_text(encoding="utf-8").splitlines()) < 150


def test_the_ui_reads_the_store_only_through_the_core() -> None:
    """Tabs ask the core's query module (or a session's record) instead of listing Redis keys themselves."""
    for path in (PKG.parent / "ui").rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        for call in ("list_ids(", "run_ids(", "headers(", ".r."):
            assert call not in text, f"{path.name} calls store.{call}"
