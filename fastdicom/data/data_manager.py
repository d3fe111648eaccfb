"""Find fastdicom's sample files and those of the pydicom-data package.

fastdicom ships a few small DICOM files of its own (this folder: the CT
sample and the datasets behind :mod:`fastdicom.examples`).  pydicom's large
test files are published separately as the ``pydicom-data`` package; when it
is installed, these functions search its store too, after fastdicom's own
files.  The store is found through the entry point pydicom-data declares
(group ``pydicom.data.external_sources``, name ``pydicom-data``), which
loads pydicom-data's own module, never pydicom.

Unlike pydicom, fastdicom downloads nothing: a file that is in neither place
is not found (``None`` or an empty list).
"""

from __future__ import annotations

import fnmatch
import os
from enum import IntEnum
from importlib.metadata import entry_points
from pathlib import Path
from typing import TYPE_CHECKING, Any

from fastdicom.config import logger
from fastdicom.filereader import dcmread

if TYPE_CHECKING:  # pragma: no cover
    from fastdicom.dataset import Dataset

__all__ = [
    "DATA_ROOT",
    "DataTypes",
    "external_data_sources",
    "fetch_data_files",
    "get_charset_files",
    "get_files",
    "get_palette_files",
    "get_testdata_file",
    "get_testdata_files",
]

DATA_ROOT = os.fspath(Path(__file__).parent.resolve())
"""The absolute path of the ``fastdicom/data`` folder."""

EXTERNAL_SOURCE_GROUP = "pydicom.data.external_sources"
"""The entry point group under which data packages register their store."""

PYDICOM_DATA = "pydicom-data"
"""The entry point name of the pydicom-data package's store."""

# Files of this folder that are not data.
_NOT_DATA = ("*.py", "*.pyc", "*.md", "LICENSE*")


class DataTypes(IntEnum):
    """The kinds of file a data store is asked for (pydicom's numbering)."""

    DATASET = 0
    CHARSET = 1
    PALETTE = 2
    DICOMDIR = 3
    JPEG = 4


_EXTERNAL_DATA_SOURCES: dict[str, Any] | None = None


def external_data_sources() -> dict[str, Any]:
    """Return the installed external data stores, loaded once.

    Only pydicom-data's store is used: another package registered in the
    same entry point group may be a pydicom plugin that imports pydicom.

    Returns
    -------
    dict
        ``{"pydicom-data": <store>}`` when pydicom-data is installed, else
        empty.  A store has ``get_path(name, dtype)`` (raising
        :class:`ValueError` when there is no such file) and
        ``get_paths(pattern, dtype)``.
    """
    global _EXTERNAL_DATA_SOURCES
    if _EXTERNAL_DATA_SOURCES is None:
        sources: dict[str, Any] = {}
        for ep in entry_points(group=EXTERNAL_SOURCE_GROUP, name=PYDICOM_DATA):
            try:
                sources[ep.name] = ep.load()()
            except Exception as exc:  # a broken install must not break the search
                logger.warning(f"Cannot load the data store '{ep.value}': {exc}")
        _EXTERNAL_DATA_SOURCES = sources
    return _EXTERNAL_DATA_SOURCES


def _is_data(path: Path) -> bool:
    """Whether `path` is one of this folder's data files (not code or notes)."""
    return path.is_file() and not any(fnmatch.fnmatch(path.name, p) for p in _NOT_DATA)


def get_files(
    base: str | os.PathLike, pattern: str = "**/*", dtype: int = DataTypes.DATASET
) -> list[str]:
    """Return the paths of the files matching `pattern`, local ones first.

    Parameters
    ----------
    base : str or os.PathLike
        The local folder to search (recursively with a ``**`` pattern).
    pattern : str, optional
        A :meth:`pathlib.Path.glob` pattern (default ``"**/*"``).
    dtype : int, optional
        The :class:`DataTypes` asked of the external stores.

    Returns
    -------
    list of str
        Absolute paths.
    """
    base = Path(base)
    files = [os.fspath(p) for p in sorted(base.glob(pattern)) if _is_data(p)]
    for source in external_data_sources().values():
        files.extend(os.fspath(p) for p in source.get_paths(pattern, dtype))
    return files


def _reject_absolute(pattern: str, function: str) -> None:
    if os.path.isabs(pattern):
        raise ValueError(
            f"'{function}' does not support absolute paths, as it only works with "
            f"fastdicom's sample data and the pydicom-data package - did you mean "
            f"'dcmread(\"{pattern}\")'?"
        )


def get_testdata_file(name: str, read: bool = False, download: bool = True) -> "str | Dataset | None":
    """Return the path of the first sample dataset with file name `name`.

    fastdicom's own files are searched first, then pydicom-data's store.

    Parameters
    ----------
    name : str
        The file name, without folders.
    read : bool, optional
        Return the file read with :func:`~fastdicom.filereader.dcmread`
        (``force=True``) instead of its path.
    download : bool, optional
        Accepted for pydicom compatibility; fastdicom never downloads.

    Returns
    -------
    str, FileDataset or None
        The absolute path (or the dataset with `read`), ``None`` if no such
        file is available.

    Raises
    ------
    ValueError
        If `name` is an absolute path.
    """
    _reject_absolute(name, "get_testdata_file")
    path = _find_dataset(name)
    if read and path is not None:
        return dcmread(path, force=True)
    return path


def _find_dataset(name: str) -> str | None:
    for match in sorted(Path(DATA_ROOT).rglob(name)):
        if _is_data(match):
            return os.fspath(match)
    for source in external_data_sources().values():
        try:
            path = source.get_path(name, dtype=DataTypes.DATASET)
        except ValueError:
            continue
        if path:
            return os.fspath(path)
    return None


def get_testdata_files(pattern: str = "**/*") -> list[str]:
    """Return the paths of the sample datasets whose name matches `pattern`.

    Parameters
    ----------
    pattern : str, optional
        A :meth:`pathlib.Path.glob` pattern (default ``"**/*"``: all).

    Returns
    -------
    list of str
        fastdicom's files first, then pydicom-data's.

    Raises
    ------
    ValueError
        If `pattern` is an absolute path.
    """
    _reject_absolute(pattern, "get_testdata_files")
    return get_files(DATA_ROOT, pattern, DataTypes.DATASET)


def get_charset_files(pattern: str = "**/*") -> list[str]:
    """Return the paths of the character set sample files matching `pattern`.

    fastdicom ships none; an installed external store may provide some.

    Parameters
    ----------
    pattern : str, optional
        A :meth:`pathlib.Path.glob` pattern.

    Returns
    -------
    list of str
    """
    return _external_only(pattern, DataTypes.CHARSET)


def get_palette_files(pattern: str = "**/*") -> list[str]:
    """Return the paths of the palette files matching `pattern`.

    fastdicom's well-known palettes (PS3.6 Annex B) are built in
    (``fastdicom.pixels.processing.apply_color_lut(..., palette="PET")``)
    rather than shipped as files; an installed external store may provide
    some.

    Parameters
    ----------
    pattern : str, optional
        A :meth:`pathlib.Path.glob` pattern.

    Returns
    -------
    list of str
    """
    return _external_only(pattern, DataTypes.PALETTE)


def _external_only(pattern: str, dtype: int) -> list[str]:
    files: list[str] = []
    for source in external_data_sources().values():
        files.extend(os.fspath(p) for p in source.get_paths(pattern, dtype))
    return files


def fetch_data_files() -> None:
    """Make pydicom's large test files available.

    pydicom downloads them; fastdicom does not download anything, and takes
    them from the pydicom-data package instead.  This checks that it is
    installed.

    Raises
    ------
    RuntimeError
        If pydicom-data is not installed.
    """
    if PYDICOM_DATA not in external_data_sources():
        raise RuntimeError(
            "fastdicom does not download test files: they come with the "
            "pydicom-data package; install it with 'pip install pydicom-data'"
        )
