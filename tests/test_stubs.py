"""The compiled modules' stubs (``src_pyx/<name>.pyi``): one per extension,
copied beside the built module (a development build too), and naming only
what the module has."""

from __future__ import annotations

import ast
import importlib
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def _extension_modules() -> list[str]:
    text = (ROOT / "setup.py").read_text(encoding="utf-8")
    match = re.search(r"EXTENSION_MODULES = (\[.*?\])", text)
    assert match, "setup.py has no EXTENSION_MODULES list"
    return list(ast.literal_eval(match.group(1)))


def _stub_names(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = set()
    for node in tree.body:
        if isinstance(node, (ast.FunctionDef, ast.ClassDef)):
            names.add(node.name)
        elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
            names.add(node.target.id)
        elif isinstance(node, ast.Assign):
            names.update(t.id for t in node.targets if isinstance(t, ast.Name))
    return {name for name in names if not name.startswith("_")}


@pytest.mark.parametrize("name", _extension_modules())
def test_the_stub_is_beside_the_module(name: str) -> None:
    source = ROOT / "src_pyx" / f"{name}.pyi"
    assert source.exists(), f"src_pyx/{name}.pyi: every compiled module has a stub"
    module = importlib.import_module(f"fastdicom.{name}")
    beside = Path(module.__file__).parent / f"{name}.pyi"
    assert beside.exists(), f"{beside} missing: setup.py build_ext copies the stubs"


@pytest.mark.parametrize("name", _extension_modules())
def test_the_stub_names_what_the_module_has(name: str) -> None:
    module = importlib.import_module(f"fastdicom.{name}")
    missing = {n for n in _stub_names(ROOT / "src_pyx" / f"{name}.pyi") if not hasattr(module, n)}
    assert not missing, f"src_pyx/{name}.pyi names what fastdicom.{name} lacks: {missing}"
