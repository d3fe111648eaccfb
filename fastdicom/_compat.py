"""The pydicom 0.9 names of the package (``dicom.read_file``,
``dicom.write_file``) and of the object model (:mod:`fastdicom._legacy_names`).
"""

from __future__ import annotations

from typing import Any

from fastdicom._legacy_names import (  # noqa: F401 - re-exported
    LEGACY_ATTRIBUTES,
    LEGACY_METHODS,
    legacy_method,
    warn_legacy_name,
)
from fastdicom.filereader import dcmread
from fastdicom.filewriter import write_file  # noqa: F401 - re-exported

__all__ = ["read_file", "write_file"]


def read_file(fp: Any, defer_size: Any = None, stop_before_pixels: bool = False, force: bool = False) -> Any:
    """Read a file: the pydicom 0.9 name of :func:`~fastdicom.filereader.dcmread`.

    Parameters
    ----------
    fp : str, PathLike, file-like or bytes
    defer_size : int or str, optional
    stop_before_pixels : bool
    force : bool

    Returns
    -------
    FileDataset
    """
    warn_legacy_name("read_file", "dcmread")
    return dcmread(fp, defer_size=defer_size, stop_before_pixels=stop_before_pixels, force=force)
