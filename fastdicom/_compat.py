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
from fastdicom.filewriter import dcmwrite, write_file  # noqa: F401 - re-exported

__all__ = ["ReadFile", "WriteFile", "read_file", "write_file"]


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


def ReadFile(*args: Any, **kwargs: Any) -> Any:  # noqa: N802 - the 0.9 spelling
    """Read a file: the oldest spelling (pydicom 0.9's ``dicom.ReadFile``) of
    :func:`~fastdicom.filereader.dcmread`; warns as the other old names do.

    Parameters
    ----------
    *args, **kwargs
        As :func:`~fastdicom.filereader.dcmread`.

    Returns
    -------
    FileDataset
    """
    warn_legacy_name("ReadFile", "dcmread")
    return dcmread(*args, **kwargs)


def WriteFile(filename: Any, dataset: Any, write_like_original: bool = True) -> None:  # noqa: N802
    """Write a file: the oldest spelling (pydicom 0.9's ``dicom.WriteFile``) of
    :func:`~fastdicom.filewriter.dcmwrite`; warns as the other old names do.

    Parameters
    ----------
    filename : str, PathLike or file-like
    dataset : Dataset
    write_like_original : bool
    """
    warn_legacy_name("WriteFile", "dcmwrite")
    dcmwrite(filename, dataset, enforce_file_format=not write_like_original)
