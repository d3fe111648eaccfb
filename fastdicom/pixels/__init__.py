"""Pixel data: native and RLE decoding, encapsulated frames, codec plugins.

The public functions mirror ``pydicom.pixels``: :func:`pixel_array` and
:func:`iter_pixels` take a Dataset, a path or a binary file-like.
"""

from typing import Any

from fastdicom.pixels.frameinfo import FrameInfo
from fastdicom.pixels.pipeline import iter_pixels, pixel_array, pixel_dtype

__all__ = ["FrameInfo", "iter_pixels", "pixel_array", "pixel_dtype", "pack_bits", "unpack_bits"]


def unpack_bits(src: bytes, as_array: bool = True) -> Any:
    """Unpack bit-packed 1-bit data, bit 0 of each byte first (PS3.5 §8.1.1)."""
    import numpy as np

    from fastdicom import _pixels

    data = bytes(src) if not isinstance(src, (bytes, bytearray)) else src
    out = np.empty(len(data) * 8, dtype=np.uint8)
    _pixels.unpack_bits(data, 0, len(data) * 8, out)
    return out if as_array else out.tobytes()


def pack_bits(arr: Any, pad: bool = True) -> bytes:
    """Pack an array of 0 and 1 into bytes, bit 0 first; padded to even length if `pad`."""
    import numpy as np

    from fastdicom import _pixels

    arr = np.asarray(arr)
    if arr.shape == (0,):
        return b""
    if not np.isin(arr, [0, 1]).all():
        raise ValueError(
            "Only binary arrays (containing ones or zeroes) can be packed."
        )
    flat = np.ascontiguousarray(arr.ravel(), dtype=np.uint8)
    out = np.empty((flat.size + 7) // 8, dtype=np.uint8)
    _pixels.pack_bits(flat, out)
    data = out.tobytes()
    if pad and len(data) % 2:
        data += b"\x00"
    return data
