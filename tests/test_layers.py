"""kitgen reads top-down: nine layers, each importing only the layers below it (pyproject.toml's
import-linter contract; docs/architecture.md draws the map), no import circle, and every import
of kitgen's own modules at the top of the module that makes it (the cli layer excepted: a
command imports what it runs when it runs)."""

from __future__ import annotations

import ast
import os
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "kitgen"
LAYERS = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["importlinter"]["contracts"][0]["layers"]
# An import that stays inside a function, each with the reason it must. Nothing else may.
DEFERRED = {
    ("kitgen/content/yamlfile.py", "kitgen.content.yamlparse"):
        "PyYAML is imported only when a file is really parsed: a kit whose files are kept parsed "
        "(kitgen.core.cache) builds without it (tests/test_cache.py pins this)",
}


def _modules() -> dict[str, Path]:
    found = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = list(path.relative_to(ROOT).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        found[".".join(parts)] = path
    return found


def _layer(module: str) -> str | None:
    return next((layer for layer in LAYERS if module == layer or module.startswith(layer + ".")), None)


def test_the_layers_contract_holds():
    """import-linter's layers contract over every import kitgen makes, at the top or in a function."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    done = subprocess.run([sys.executable, "-c", "import sys; from importlinter.cli import lint_imports; "
                           "sys.exit(lint_imports(config_filename='pyproject.toml', no_cache=True, no_logo=True))"],
                          cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr


def test_every_module_is_in_a_layer():
    outside = [name for name in _modules() if name != "kitgen" and _layer(name) is None]
    assert outside == [], f"modules in no layer (put them in the package of their layer): {outside}"


def _imports(path: Path):
    """(line, imported module, inside a function) for every kitgen import in ``path``."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    in_function = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
            in_function.update(id(sub) for sub in ast.walk(node) if sub is not node)
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.level == 0 and (node.module or "").split(".")[0] == "kitgen":
            yield node.lineno, node.module, id(node) in in_function
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.split(".")[0] == "kitgen":
                    yield node.lineno, alias.name, id(node) in in_function


def test_kitgen_imports_are_at_the_top_outside_the_cli_layer():
    found = []
    for name, path in _modules().items():
        if _layer(name) in ("kitgen.cli", "kitgen.__main__"):
            continue
        rel = path.relative_to(ROOT).as_posix()
        for line, module, inside in _imports(path):
            if inside and (rel, module) not in DEFERRED:
                found.append(f"{rel}:{line} imports {module} inside a function")
    assert found == [], "\n".join(found)


def test_the_deferred_imports_are_still_there():
    """An entry of DEFERRED that no longer matches goes, so the exceptions cannot pile up."""
    for rel, module in DEFERRED:
        assert any(inside and imported == module for _, imported, inside in _imports(ROOT / rel)), (rel, module)


def _graph() -> dict[str, set[str]]:
    """Module -> the kitgen modules it imports (``from package import module`` names the module only:
    a package is imported before any module in it, whatever imports what)."""
    modules = _modules()

    def resolve(name: str) -> str | None:
        while name and name not in modules:
            name = name.rpartition(".")[0]
        return name or None

    graph: dict[str, set[str]] = {name: set() for name in modules}
    for name, path in modules.items():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.level == 0 and (node.module or "").split(".")[0] == "kitgen":
                targets = [f"{node.module}.{a.name}" if f"{node.module}.{a.name}" in modules else resolve(node.module)
                           for a in node.names]
            elif isinstance(node, ast.Import):
                targets = [resolve(a.name) for a in node.names if a.name.split(".")[0] == "kitgen"]
            else:
                continue
            graph[name].update(target for target in targets if target and target != name)
    return graph


def _circles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan, iteratively)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    circles = []
    for start in graph:
        if start in index:
            continue
        work = [(start, iter(sorted(graph[start])))]
        index[start] = low[start] = len(index)
        stack.append(start)
        on_stack.add(start)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = len(index)
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph[child]))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                if len(component) > 1:
                    circles.append(sorted(component))
    return circles


def test_no_import_circle():
    assert _circles(_graph()) == []


@pytest.mark.parametrize("graph, expected", [
    ({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}, [["a", "b", "c"]]),
    ({"a": {"b"}, "b": set()}, []),
])
def test_the_circle_finder_finds_circles(graph, expected):
    assert _circles(graph) == expected
