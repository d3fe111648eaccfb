"""Pixel data: native and RLE decoding, encapsulated frames, codec plugins.

The public functions mirror ``pydicom.pixels``: :func:`pixel_array` and
:func:`iter_pixels` take a Dataset, a path or a binary file-like.
"""

from typing import Any

from fastdicom.pixels.frameinfo import FrameInfo
from fastdicom.pixels.pipeline import iter_pixels, pixel_array, pixel_dtype
from fastdicom.pixels.processing import (
    apply_color_lut,
    apply_modality_lut,
    apply_presentation_lut,
    apply_rescale,
    apply_voi,
    apply_voi_lut,
    apply_windowing,
    convert_color_space,
)

__all__ = [
    "FrameInfo",
    "apply_color_lut",
    "apply_modality_lut",
    "apply_presentation_lut",
    "apply_rescale",
    "apply_voi",
    "apply_voi_lut",
    "apply_windowing",
    "compress",
    "convert_color_space",
    "decompress",
    "get_decoder",
    "iter_pixels",
    "pack_bits",
    "pixel_array",
    "pixel_dtype",
    "set_pixel_data",
    "unpack_bits",
]


def get_decoder(transfer_syntax_uid: str) -> Any:
    """The frame decoder registered for `transfer_syntax_uid` (pydicom's name).

    Parameters
    ----------
    transfer_syntax_uid : str
    """
    from fastdicom.pixels.decoders import get_decoder as _get_decoder

    return _get_decoder(transfer_syntax_uid)


def compress(ds: Any, transfer_syntax_uid: str, arr: Any = None, **kwargs: Any) -> Any:
    """Compress the pixel data of `ds` in place (pydicom 3's function); returns `ds`."""
    from fastdicom.pixels.encoders import compress as _compress

    _compress(ds, transfer_syntax_uid, arr, **kwargs)
    return ds


def decompress(ds: Any, **kwargs: Any) -> Any:
    """Decompress the pixel data of `ds` in place (pydicom 3's function); returns `ds`."""
    from fastdicom.pixels.encoders import decompress as _decompress

    _decompress(ds, **kwargs)
    return ds


def set_pixel_data(ds: Any, arr: Any, photometric_interpretation: str, bits_stored: int) -> None:
    """Replace the pixel data of `ds` with `arr` (pydicom 3's function)."""
    from fastdicom.pixels.encoders import set_pixel_data as _set_pixel_data

    _set_pixel_data(ds, arr, photometric_interpretation, bits_stored)


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
