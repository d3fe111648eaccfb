"""Structured Reporting helpers: coded concepts (``codes``, ``Code``).

``from fastdicom.sr import codes`` gives every concept of the DICOM
Content Mapping Resource (PS3.16): ``codes.DCM.X``, ``codes.SCT.X``,
``codes.CID2.X``.  The concept tables are large, so they load on first
use of ``codes``, ``Collection`` or ``Concepts``, not when ``fastdicom``
or this package is imported.
"""

from __future__ import annotations

import importlib
from typing import Any

__all__ = ["Code", "Collection", "Concepts", "codes"]

# name -> submodule that defines it
_LAZY = {
    "Code": "coding",
    "Collection": "codedict",
    "Concepts": "codedict",
    "codes": "codedict",
}


def __getattr__(name: str) -> Any:
    """Import the submodule that defines `name` on first access."""
    if name in _LAZY:
        value = getattr(importlib.import_module(f"{__name__}.{_LAZY[name]}"), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
