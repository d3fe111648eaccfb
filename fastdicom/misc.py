"""Small helpers, as ``pydicom.misc``: :func:`is_dicom`, :func:`size_in_bytes`
and :func:`warn_and_log`."""

from __future__ import annotations

import os
import re

from fastdicom.config import warn_and_log

__all__ = ["is_dicom", "size_in_bytes", "warn_and_log"]

# Decimal (SI) and binary (IEC 80000-13) multiples of a byte.
_SIZE_FACTORS = {
    "kb": 1000,
    "mb": 1000**2,
    "gb": 1000**3,
    "kib": 1024,
    "mib": 1024**2,
    "gib": 1024**3,
}
# A number then a unit: "512 KB", "0.8kb", "16 KiB" (nothing after the unit).
_SIZE_PATTERN = re.compile(r"([^A-Za-z]*)([A-Za-z]+)")


def size_in_bytes(expr: int | float | str | None) -> None | float | int:
    """The number of bytes of a size such as `defer_size` in :func:`~fastdicom.dcmread`.

    Parameters
    ----------
    expr : int, float, str or None
        A number of bytes, or a string such as ``"1234"``, ``"512 KB"`` or
        ``"2 MiB"`` (KB, MB, GB are powers of 1000; KiB, MiB, GiB of 1024;
        case is ignored).

    Returns
    -------
    int, float or None
        ``None`` for ``None`` or infinity (no limit).

    Raises
    ------
    ValueError
        When the string cannot be parsed.
    """
    if expr is None or expr == float("inf"):
        return None
    if isinstance(expr, (int, float)):
        return expr
    try:
        return int(expr)
    except ValueError:
        pass
    match = _SIZE_PATTERN.fullmatch(expr)
    unit = match.group(2) if match else expr
    factor = _SIZE_FACTORS.get(unit.lower())
    if match is None or factor is None:
        raise ValueError(f"Unable to parse length with unit '{unit}'")
    return float(match.group(1)) * factor


def is_dicom(file_path: str | os.PathLike[str]) -> bool:
    """True when the file has the DICOM File Format prefix.

    Only the 128-byte preamble and the 'DICM' prefix after it are checked
    (PS3.10 §7.1); a dataset without File Meta Information is not reported
    as DICOM.

    Parameters
    ----------
    file_path : str or PathLike

    Returns
    -------
    bool

    Raises
    ------
    OSError
        When the file cannot be opened.
    """
    with open(file_path, "rb") as fp:
        fp.seek(128)
        return fp.read(4) == b"DICM"
