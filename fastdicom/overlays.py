"""Overlay planes (PS3.3 C.9.2): ``Dataset.overlay_array(group)`` as in pydicom 3.

Overlay Data (60xx,3000) is 1 bit per pixel, least significant bit first
(PS3.5 8.1.2, 8.2). For an OW value read from a big endian file the bytes of
each 16-bit word are swapped back first (pydicom skips this step).
"""

from __future__ import annotations

import warnings
from typing import Any

import numpy as np

__all__ = ["overlay_array", "get_overlay_array"]


def _big_endian(ds: Any) -> bool:
    meta = getattr(ds, "file_meta", None)
    tsyntax = getattr(meta, "TransferSyntaxUID", None) if meta is not None else None
    if tsyntax:
        return str(tsyntax) == "1.2.840.10008.1.2.2"
    return getattr(ds, "original_encoding", (None, None))[1] is False


def overlay_array(ds: Any, group: int) -> np.ndarray:
    """The overlay plane(s) of repeating group `group` (0x6000-0x60FF) as uint8.

    Shape (rows, columns), or (frames, rows, columns) when (60xx,0015)
    Number of Frames in Overlay is above 1.
    """
    if group < 0x6000 or group > 0x60FF:
        raise ValueError(
            "The group part of the 'Overlay Data' element tag must be "
            "between 0x6000 and 0x60FF (inclusive)"
        )
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
    data = elems["OverlayData"].value
    rows = int(elems["OverlayRows"].value)
    columns = int(elems["OverlayColumns"].value)
    frames_elem = ds.get((group, 0x0015), None)
    frames = 1 if frames_elem is None or frames_elem.value is None else int(frames_elem.value)
    if frames < 1:
        raise ValueError(
            f"Unable to reshape the overlay array as a value of {frames} "
            "for (60xx,0015) 'Number of Frames in Overlay' is invalid."
        )
    nr_pixels = rows * columns * frames
    expected = (nr_pixels + 7) // 8
    padded = expected + expected % 2
    data = bytes(data or b"")
    actual = len(data)
    if actual < padded:
        if actual == expected:
            warnings.warn("The overlay data length is odd and misses a padding byte.", stacklevel=2)
        else:
            raise ValueError(
                "The length of the overlay data in the dataset "
                f"({actual} bytes) doesn't match the expected length "
                f"({padded} bytes). The dataset may be corrupted "
                "or there may be an issue with the overlay data handler."
            )
    elif actual > padded:
        warnings.warn(
            f"The length of the overlay data in the dataset ({actual} "
            "bytes) indicates it contains excess padding. "
            f"{actual - expected} bytes will be removed from the end of the data",
            stacklevel=2,
        )
    raw = np.frombuffer(data, dtype=np.uint8)
    if _big_endian(ds) and getattr(elems["OverlayData"], "VR", "OW") == "OW" and actual % 2 == 0:
        raw = raw.reshape(-1, 2)[:, ::-1].reshape(-1)
    bits = np.unpackbits(raw[:expected], bitorder="little", count=nr_pixels)
    if frames > 1:
        return bits.reshape(frames, rows, columns)
    return bits.reshape(rows, columns)


get_overlay_array = overlay_array
