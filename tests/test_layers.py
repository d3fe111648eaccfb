"""The layering of the package, checked on its imports (``tools/import_graph.py``
reads them with ``ast``: module-level and function-local alike).

From the bottom up:

0. the compiled kernels (``src_pyx/*.pyx``), which import nothing;
1. the DICOM vocabulary: tags, UIDs, the dictionaries, configuration, errors,
   value representations and the multi-value container, character sets,
   value conversion, hooks;
2. byte I/O: the buffer and file wrappers (``filebase``, ``fileutil``) that
   the model's buffered values (pydicom's ``BUFFERABLE_VRS``) need;
3. the object model: the store (``_store``, the one importer of the compiled
   scanner), data elements, ambiguous VRs, datasets, sequences;
4. I/O (reading, writing, file sets, JSON) and pixel data (pixels, encaps,
   overlays, waveforms, the legacy handlers);
5. the front doors: the Dataset and DataElement methods whose work lives in
   layer 4, declared in one table (:mod:`fastdicom._front_doors`);
6. the features built on all that (index, series, diffusion, export,
   anonymize, util, sr, examples);
7. the command line, the pydicom aliases, and the package itself.

A module may import from its own layer and those below. The compiled
scanner (``fastdicom._parser``) is imported only by the store module,
``fastdicom._store`` (issue 8).
"""

from __future__ import annotations

import importlib
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tools"))
import import_graph  # noqa: E402

LAYERS: list[tuple[str, list[str]]] = [
    ("kernels", ["_parser", "_values", "_pixels", "_rle", "_index"]),
    (
        "vocabulary",
        [
            "tag", "uid", "datadict", "config", "errors", "valuerep", "charset",
            "values", "misc", "hooks", "multival", "_dicom_dict", "_private_dict",
            "_uid_dict", "_legacy_names", "_version",
        ],
    ),
    ("byte i/o", ["filebase", "fileutil"]),
    ("model", ["_store", "dataelem", "_ambiguous_vr", "dataset", "sequence"]),
    (
        "io and pixels",
        [
            "filereader", "filewriter", "fileset", "jsonrep",
            "dicomio", "encaps", "encoders", "pixels", "overlays", "waveforms",
            "pixel_data_handlers", "data", "csa",
        ],
    ),
    ("front doors", ["_front_doors"]),
    (
        "features",
        [
            "index", "_index_schema", "series", "diffusion", "export", "anonymize",
            "_deid_table", "util", "sr", "examples", "_progress",
        ],
    ),
    ("top", ["cli", "__main__", "_compat", "_pydicom_alias", ""]),
]

# Who may import the compiled scanner: the store module (issue 8, "one store
# layer"), and the package, only to say what to do when the build is missing
SCANNER_USERS = {"fastdicom", "fastdicom._store"}

# Upward imports still to remove, each with why it is there; the test fails
# when one disappears, so that the list only shrinks (none left: issue 8 moved
# the re-reading of deferred values to the store layer, the ambiguous-VR rules
# to the model layer, and has the reader give convert_SQ its parser)
KNOWN_VIOLATIONS: dict[tuple[str, str], str] = {}


def layer_of(module: str) -> int:
    """The layer index of a package module (by its first component)."""
    parts = module.split(".")
    name = parts[1] if len(parts) > 1 else ""
    for index, (_, names) in enumerate(LAYERS):
        if name in names:
            return index
    raise AssertionError(f"{module} is in no layer: add it to LAYERS in {__file__}")


def violations() -> dict[tuple[str, str], list[int]]:
    found: dict[tuple[str, str], list[int]] = {}
    for imp in import_graph.imports():
        if imp.type_only:
            continue
        if layer_of(imp.target) > layer_of(imp.source):
            found.setdefault((imp.source, imp.target), []).append(imp.line)
    return found


def test_every_module_has_a_layer() -> None:
    for module in import_graph.modules():
        layer_of(module)


def test_no_import_goes_up() -> None:
    found = violations()
    new = {
        f"{source} (line {', '.join(map(str, lines))}) imports {target}: "
        f"{LAYERS[layer_of(source)][0]} -> {LAYERS[layer_of(target)][0]}"
        for (source, target), lines in found.items()
        if (source, target) not in KNOWN_VIOLATIONS
    }
    assert not new, "layer violations:\n" + "\n".join(sorted(new))
    fixed = set(KNOWN_VIOLATIONS) - set(found)
    assert not fixed, f"no longer violations, remove them from KNOWN_VIOLATIONS: {fixed}"


def test_only_the_store_imports_the_scanner() -> None:
    users = {imp.source for imp in import_graph.imports() if imp.target == "fastdicom._parser"}
    assert users <= SCANNER_USERS, f"new importers of fastdicom._parser: {users - SCANNER_USERS}"


def test_no_cycle_at_module_level() -> None:
    edges = import_graph.graph(import_graph.imports(), module_level_only=True)
    components = import_graph.strongly_connected(set(import_graph.modules()), edges)
    assert len(components[0]) == 1, f"import cycle: {components[0]}"


def test_the_front_doors_resolve() -> None:
    """Every front door names a function of a module in a layer below it."""
    from fastdicom import _front_doors
    from fastdicom.dataelem import DataElement
    from fastdicom.dataset import Dataset

    own = layer_of("fastdicom._front_doors")
    for name, (module, function) in _front_doors.FRONT_DOORS.items():
        assert layer_of(module) < own, name
        assert callable(getattr(importlib.import_module(module), function)), name
        owner, _, method = name.partition(".")
        assert hasattr({"Dataset": Dataset, "DataElement": DataElement}[owner], method), name


def test_the_walker_sees_local_imports(tmp_path: Path) -> None:
    package = tmp_path / "pkg"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "low.py").write_text("def f():\n    from pkg import high\n    return high\n")
    (package / "high.py").write_text("from pkg.low import f\nfrom . import low as _low\n")
    found = import_graph.imports(package)
    pairs = {(i.source, i.target, i.local) for i in found}
    assert ("pkg.low", "pkg.high", True) in pairs
    assert ("pkg.high", "pkg.low", False) in pairs
    components = import_graph.strongly_connected(
        set(import_graph.modules(package)), import_graph.graph(found)
    )
    assert components[0] == ["pkg.high", "pkg.low"]


@pytest.mark.parametrize("module", ["fastdicom.dataset", "fastdicom.dataelem", "fastdicom.sequence"])
def test_the_model_imports_nothing_above_it(module: str) -> None:
    model = layer_of(module)
    above = {
        imp.target
        for imp in import_graph.imports()
        if imp.source == module and layer_of(imp.target) > model
        and (imp.source, imp.target) not in KNOWN_VIOLATIONS
    }
    assert not above
