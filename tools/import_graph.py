"""The import graph of the fastdicom package, read from the source with ``ast``.

    python tools/import_graph.py [--package DIR] [--module-level-only] [--cycles]

Prints the number of modules, of import edges (module level and inside
functions), of function-local imports, and the largest strongly connected
component (a set of modules that import each other, directly or not: a
cycle). ``--cycles`` lists every component of more than one module;
``--locals`` lists the function-local imports.

The same walk is what ``tests/test_layers.py`` checks the layering with.
"""

from __future__ import annotations

import argparse
import ast
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent / "fastdicom"


@dataclass(frozen=True)
class Import:
    """One import statement's target inside the package."""

    source: str  # the importing module, e.g. "fastdicom.dataset"
    target: str  # the imported module, e.g. "fastdicom.filewriter"
    line: int
    local: bool  # inside a function (run when called, not at import time)
    type_only: bool  # under ``if TYPE_CHECKING:`` (never run)


def module_name(path: Path, root: Path) -> str:
    parts = list(path.relative_to(root.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def compiled_modules(root: Path = ROOT) -> set[str]:
    """The compiled extension modules (``src_pyx/<name>.pyx`` builds
    ``fastdicom.<name>``), whether or not they are built."""
    sources = root.parent / "src_pyx"
    return {f"{root.name}.{p.stem}" for p in sources.glob("*.pyx")}


def modules(root: Path = ROOT) -> dict[str, Path]:
    """Every Python module of the package."""
    return {module_name(p, root): p for p in sorted(root.rglob("*.py")) if "__pycache__" not in p.parts}


def _resolve(name: str, known: set[str]) -> str | None:
    """The package module `name` refers to (a name imported from a module
    resolves to the module); None outside the package."""
    while name:
        if name in known:
            return name
        if "." not in name:
            return None
        name = name.rsplit(".", 1)[0]
    return None


class _Walker(ast.NodeVisitor):
    def __init__(self, module: str, is_package: bool, known: set[str]) -> None:
        self.module = module
        self.package = module if is_package else module.rpartition(".")[0]
        self.known = known
        self.depth = 0
        self.type_only = 0
        self.found: list[Import] = []

    def _add(self, target: str | None, node: ast.AST) -> None:
        if target is not None and target != self.module:
            self.found.append(
                Import(self.module, target, node.lineno, self.depth > 0, self.type_only > 0)  # type: ignore[attr-defined]
            )

    def visit_FunctionDef(self, node: ast.AST) -> None:
        self.depth += 1
        self.generic_visit(node)
        self.depth -= 1

    visit_AsyncFunctionDef = visit_FunctionDef
    visit_Lambda = visit_FunctionDef

    def visit_If(self, node: ast.If) -> None:
        test = node.test
        guarded = (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
            isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
        )
        if guarded:
            self.type_only += 1
            for child in node.body:
                self.visit(child)
            self.type_only -= 1
            for child in node.orelse:
                self.visit(child)
        else:
            self.generic_visit(node)

    def visit_Import(self, node: ast.Import) -> None:
        for alias in node.names:
            self._add(_resolve(alias.name, self.known), node)

    def visit_ImportFrom(self, node: ast.ImportFrom) -> None:
        if node.level:
            base = self.package.split(".")
            base = base[: len(base) - (node.level - 1)]
            prefix = ".".join(base + ([node.module] if node.module else []))
        else:
            prefix = node.module or ""
        for alias in node.names:
            # `from fastdicom import dataset` imports a module; `from
            # fastdicom.dataset import Dataset` imports from one
            target = _resolve(f"{prefix}.{alias.name}", self.known)
            if target is None or target == prefix.rpartition(".")[0]:
                target = _resolve(prefix, self.known)
            self._add(target, node)

    def visit_Call(self, node: ast.Call) -> None:
        # importlib.import_module("fastdicom.x") with a literal name
        func = node.func
        name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
        if name in ("import_module", "__import__") and node.args:
            first = node.args[0]
            if isinstance(first, ast.Constant) and isinstance(first.value, str):
                self._add(_resolve(first.value, self.known), node)
        self.generic_visit(node)


def imports(root: Path = ROOT) -> list[Import]:
    """Every import of a package module by a package module."""
    found: list[Import] = []
    mods = modules(root)
    known = set(mods) | compiled_modules(root)
    for name, path in mods.items():
        tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
        walker = _Walker(name, path.name == "__init__.py", known)
        walker.visit(tree)
        # `from x import a, b` is one import of x
        found.extend(dict.fromkeys(walker.found))
    return found


def strongly_connected(nodes: set[str], edges: dict[str, set[str]]) -> list[list[str]]:
    """Tarjan's strongly connected components, largest first (iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    result: list[list[str]] = []
    counter = 0
    for start in sorted(nodes):
        if start in index:
            continue
        work: list[tuple[str, Iterator[str]]] = [(start, iter(sorted(edges.get(start, ()))))]
        index[start] = low[start] = counter
        counter += 1
        stack.append(start)
        on_stack.add(start)
        while work:
            node, children = work[-1]
            advanced = False
            for child in children:
                if child not in index:
                    index[child] = low[child] = counter
                    counter += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(edges.get(child, ())))))
                    advanced = True
                    break
                if child in on_stack:
                    low[node] = min(low[node], index[child])
            if advanced:
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
                result.append(sorted(component))
    result.sort(key=len, reverse=True)
    return result


def graph(found: list[Import], module_level_only: bool = False) -> dict[str, set[str]]:
    """Module -> the modules it imports (type-checking-only imports left out).

    A package's ``__init__`` importing its own submodules is not an edge back
    down: Python runs the package before the submodule anyway.
    """
    edges: dict[str, set[str]] = {}
    for imp in found:
        if imp.type_only or (module_level_only and imp.local):
            continue
        edges.setdefault(imp.source, set()).add(imp.target)
    return edges


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--package", type=Path, default=ROOT)
    ap.add_argument("--cycles", action="store_true", help="list every cycle")
    ap.add_argument("--locals", action="store_true", help="list the function-local imports")
    args = ap.parse_args()
    mods = modules(args.package)
    found = imports(args.package)
    local = [i for i in found if i.local and not i.type_only]
    print(f"modules: {len(mods)}")
    print(f"imports of package modules: {len(found)} ({len(local)} function-local)")
    for label, only in (("all imports", False), ("module-level imports", True)):
        components = strongly_connected(set(mods), graph(found, only))
        largest = components[0]
        cycles = [c for c in components if len(c) > 1]
        print(f"largest strongly connected component, {label}: {len(largest)} modules"
              f" ({len(cycles)} cycles)")
        if args.cycles:
            for component in cycles:
                print("   ", ", ".join(component))
    if args.locals:
        for imp in sorted(local, key=lambda i: (i.source, i.line)):
            print(f"  {imp.source}:{imp.line} -> {imp.target}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
