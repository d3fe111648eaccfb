"""fastdicom: DICOM for Python with a compiled core, a drop-in for pydicom.

Change ``import pydicom`` to ``import fastdicom``; reading gives the same
answers, with the byte scanning compiled and Python objects made only for
the elements a program touches.
"""

from __future__ import annotations

from fastdicom._version import __version__, __version_info__


def _missing_build_message(exc: ImportError) -> str:
    """Say why the compiled scanner is missing and what to do about it.

    The usual cause is running Python from the repository's root: the unbuilt
    source folder ``fastdicom/`` shadows the installed package.
    """
    import os
    import sys

    package_dir = os.path.dirname(os.path.abspath(__file__))
    checkout = os.path.dirname(package_dir)
    in_checkout = os.path.isfile(os.path.join(checkout, "setup.py")) and os.path.isdir(
        os.path.join(checkout, "src_pyx")
    )
    message = (
        f"fastdicom's compiled scanner (fastdicom._parser) could not be imported: {exc}. "
        "fastdicom has no pure-Python fallback."
    )
    if in_checkout:
        shadowed = os.path.abspath(os.getcwd()) == checkout or checkout in (
            os.path.abspath(entry or os.curdir) for entry in sys.path[:1]
        )
        message += (
            f" Python imported fastdicom from its unbuilt source folder {package_dir}"
            + (
                ", which shadows any installed fastdicom because the current directory "
                "comes first on sys.path. Run Python from another directory to use the "
                "installed package, or"
                if shadowed
                else "; either install it with 'pip install .' from that checkout, or"
            )
            + " build the source folder in place with 'python setup.py build_ext --inplace'."
        )
    else:
        message += " Reinstall it with 'pip install .' from its checkout (needs a C compiler)."
    return message


try:
    from fastdicom import _parser
except ImportError as exc:  # pragma: no cover - exercised by a clean checkout only
    raise ImportError(_missing_build_message(exc)) from exc

from fastdicom import config
from fastdicom._compat import ReadFile, WriteFile, read_file, write_file
from fastdicom._pydicom_alias import install_as_pydicom
from fastdicom.dataelem import DataElement, RawDataElement
from fastdicom.dataset import Dataset, FileDataset, FileMetaDataset
from fastdicom.errors import InvalidDicomError
from fastdicom.filereader import dcmread
from fastdicom.filewriter import dcmwrite
from fastdicom import index  # a callable module: fastdicom.index(sources, ...)
from fastdicom.sequence import Sequence
from fastdicom.tag import Tag
from fastdicom import _front_doors  # noqa: F401 - the Dataset methods done above the model

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
    "index",
    "install_as_pydicom",
    "ReadFile",
    "WriteFile",
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
