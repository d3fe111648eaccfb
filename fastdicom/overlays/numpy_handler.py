"""Overlay planes (PS3.3 C.9.2, C.9.3) as numpy arrays: pydicom 3's
``pydicom.overlays.numpy_handler``, behind ``Dataset.overlay_array(group)``.

Overlay Data (60xx,3000) is 1 bit per pixel, least significant bit first
(PS3.5 §8.1.2, §8.2). For an OW value read from a big endian file the bytes of
each 16-bit word are swapped back first (pydicom skips this step).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from fastdicom import _pixels
from fastdicom.config import warn_and_log

__all__ = [
    "get_expected_length",
    "get_overlay_array",
    "is_available",
    "overlay_array",
    "reshape_overlay_array",
]

HANDLER_NAME = "Numpy Overlay"
"""The handler's name, as pydicom's."""
DEPENDENCIES = {"numpy": ("https://numpy.org/", "NumPy")}
"""What the handler needs: numpy, which fastdicom always has."""
HAVE_NP = True


def is_available() -> bool:
    """Return True: numpy, the handler's only dependency, is a requirement of fastdicom."""
    return HAVE_NP


def get_expected_length(elem: dict[str, Any], unit: str = "bytes") -> int:
    """The length of the Overlay Data in whole bytes (no padding byte) or in pixels.

    Parameters
    ----------
    elem : dict[str, Any]
        The values of OverlayRows, OverlayColumns and NumberOfFramesInOverlay
        keyed by keyword.
    unit : str, optional
        ``"bytes"`` (default) or ``"pixels"``.

    Returns
    -------
    int
    """
    length = elem["OverlayRows"] * elem["OverlayColumns"] * elem["NumberOfFramesInOverlay"]
    if unit == "pixels":
        return length
    return (length + 7) // 8


def reshape_overlay_array(elem: dict[str, Any], arr: np.ndarray) -> np.ndarray:
    """`arr` (1-D) as (rows, columns), or (frames, rows, columns) for more than one frame.

    Parameters
    ----------
    elem : dict[str, Any]
        The values of OverlayRows, OverlayColumns and NumberOfFramesInOverlay
        keyed by keyword.
    arr : numpy.ndarray
        The unpacked overlay bits.

    Returns
    -------
    numpy.ndarray
    """
    frames = elem["NumberOfFramesInOverlay"]
    rows, columns = elem["OverlayRows"], elem["OverlayColumns"]
    if frames < 1:
        raise ValueError(
            f"Unable to reshape the overlay array as a value of {frames} "
            "for (60xx,0015) 'Number of Frames in Overlay' is invalid."
        )
    if frames > 1:
        return arr.reshape(frames, rows, columns)
    return arr.reshape(rows, columns)


def _big_endian(ds: Any) -> bool:
    meta = getattr(ds, "file_meta", None)
    tsyntax = getattr(meta, "TransferSyntaxUID", None) if meta is not None else None
    if tsyntax:
        return str(tsyntax) == "1.2.840.10008.1.2.2"
    return getattr(ds, "original_encoding", (None, None))[1] is False


def get_overlay_array(ds: Any, group: int) -> np.ndarray:
    """The overlay plane(s) of repeating group `group` as uint8 0s and 1s.

    Parameters
    ----------
    ds : Dataset
        The dataset with the Overlay Plane module.
    group : int
        The group of the Overlay Data tag, 0x6000 to 0x60FF.

    Returns
    -------
    numpy.ndarray
        Shape (rows, columns), or (frames, rows, columns) when (60xx,0015)
        Number of Frames in Overlay is above 1.
    """
    elems = {
        "OverlayData": ds.get((group, 0x3000), None),
        "OverlayBitsAllocated": ds.get((group, 0x0100), None),
        "OverlayRows": ds.get((group, 0x0010), None),
        "OverlayColumns": ds.get((group, 0x0011), None),
    }
    missing = [name for name, elem in elems.items() if elem is None]
    if missing:
        raise AttributeError(
            "Unable to convert the overlay data as the following required "
            f"elements are missing from the dataset: {', '.join(missing)}"
        )
    values = {name: elem.value for name, elem in elems.items()}
    frames_elem = ds.get((group, 0x0015), None)
    values["NumberOfFramesInOverlay"] = 1 if frames_elem is None else frames_elem.value
    expected = get_expected_length(values)
    data = values["OverlayData"] or b""
    actual = len(data)
    # PS3.5 §7.1.1: values are padded to even length
    padded = expected + expected % 2
    if actual < padded:
        if actual == expected:
            warn_and_log("The overlay data length is odd and misses a padding byte.")
        else:
            raise ValueError(
                "The length of the overlay data in the dataset "
                f"({actual} bytes) doesn't match the expected length "
                f"({padded} bytes). The dataset may be corrupted "
                "or there may be an issue with the overlay data handler."
            )
    elif actual > padded:
        warn_and_log(
            f"The length of the overlay data in the dataset ({actual} "
            "bytes) indicates it contains excess padding. "
            f"{actual - expected} bytes will be removed from the end of the data"
        )
    raw = np.frombuffer(data, dtype=np.uint8)
    if _big_endian(ds) and getattr(elems["OverlayData"], "VR", "OW") == "OW" and actual % 2 == 0:
        raw = raw.reshape(-1, 2)[:, ::-1].reshape(-1)
    nr_pixels = get_expected_length(values, unit="pixels")
    bits = np.empty(nr_pixels, dtype=np.uint8)
    _pixels.unpack_bits(np.ascontiguousarray(raw[:expected]), 0, nr_pixels, bits)
    return reshape_overlay_array(values, bits)


def overlay_array(ds: Any, group: int) -> np.ndarray:
    """What ``Dataset.overlay_array(group)`` returns (the group is checked first).

    Parameters
    ----------
    ds : Dataset
    group : int
        0x6000 to 0x60FF.
    """
    if group < 0x6000 or group > 0x60FF:
        raise ValueError(
            "The group part of the 'Overlay Data' element tag must be "
            "between 0x6000 and 0x60FF (inclusive)"
        )
    return get_overlay_array(ds, group)
