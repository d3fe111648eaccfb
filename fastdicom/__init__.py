"""fastdicom: DICOM for Python with a compiled core, a drop-in for pydicom.

Change ``import pydicom`` to ``import fastdicom``; reading gives the same
answers, with the byte scanning compiled and Python objects made only for
the elements a program touches.
"""

from __future__ import annotations

__version__ = "0.1.0"

try:
    from fastdicom import _parser
except ImportError as exc:  # pragma: no cover - exercised by a clean checkout only
    raise ImportError(
        "fastdicom's compiled scanner (fastdicom._parser) could not be imported: "
        f"{exc}. fastdicom has no pure-Python fallback. Install it from its "
        "checkout with 'pip install .' (needs a C compiler), or in a development "
        "checkout build it in place with 'python setup.py build_ext --inplace'."
    ) from exc

from fastdicom import config
from fastdicom._compat import read_file, write_file
from fastdicom.dataelem import DataElement, RawDataElement
from fastdicom.dataset import Dataset, FileDataset, FileMetaDataset
from fastdicom.errors import InvalidDicomError
from fastdicom.filereader import dcmread
from fastdicom.filewriter import dcmwrite
from fastdicom.sequence import Sequence
from fastdicom.tag import Tag

backend: str = "cython"
"""Which implementation is loaded: always the compiled Cython scanner."""

__all__ = [
    "DataElement",
    "Dataset",
    "FileDataset",
    "FileMetaDataset",
    "InvalidDicomError",
    "RawDataElement",
    "Sequence",
    "Tag",
    "backend",
    "backend_info",
    "config",
    "dcmread",
    "dcmwrite",
    "read_file",
    "write_file",
]


def backend_info() -> dict[str, str]:
    """Describe the compiled backend that is loaded.

    Returns
    -------
    dict
        ``backend`` (``"cython"``), ``module`` (the extension's path) and
        ``version``.
    """
    return {"backend": backend, "module": _parser.__file__ or "", "version": __version__}
