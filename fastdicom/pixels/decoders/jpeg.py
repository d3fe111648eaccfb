"""JPEG (ISO/IEC 10918-1): Baseline, Extended, Lossless P14 and SV1, and the
retired progressive/spectral-selection processes (PS3.5 A.4.1).

Frames are decoded with no colour transform; a YBR frame is converted to RGB
afterwards by the decoder's processing (pydicom's ``as_rgb``), with
:func:`fastdicom.pixels.processing.convert_color_space`, so the results match
pydicom's with its pylibjpeg plugin.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from fastdicom.pixels.decoders import _common
from fastdicom.pixels.decoders._markers import jpeg_parameters

UIDS = (
    "1.2.840.10008.1.2.4.50",  # JPEG Baseline (Process 1)
    "1.2.840.10008.1.2.4.51",  # JPEG Extended (Process 2 & 4)
    "1.2.840.10008.1.2.4.57",  # JPEG Lossless, Non-Hierarchical (Process 14)
    "1.2.840.10008.1.2.4.70",  # JPEG Lossless, First-Order Prediction (Process 14 SV1)
    "1.2.840.10008.1.2.4.53",  # retired: Spectral Selection (Process 6 & 8)
    "1.2.840.10008.1.2.4.55",  # retired: Full Progression (Process 10 & 12)
)


# -- raw backends: the codestream's samples, interleaved, no colour transform --

def _raw_imagecodecs(src: bytes, params: dict[str, Any]) -> np.ndarray:
    import imagecodecs

    ncomp = params.get("components", 1)
    cs = {1: "GRAY", 3: "YCBCR", 4: "CMYK"}.get(ncomp)
    try:
        # libjpeg-turbo 3: 8/12-bit DCT processes and lossless (2-16 bit)
        return imagecodecs.jpeg8_decode(src, colorspace=cs, outcolorspace=cs)
    except imagecodecs.Jpeg8Error as exc:
        first = exc
    if params.get("process") == 0xC3:
        try:
            return imagecodecs.jpegsof3_decode(src)
        except Exception:
            pass
    raise _common.CodecError(f"libjpeg-turbo (imagecodecs): {first}")


def _raw_libjpeg(src: bytes, params: dict[str, Any]) -> np.ndarray:
    from libjpeg.utils import decode_pixel_data, get_parameters

    try:
        meta = get_parameters(src)
        out = decode_pixel_data(src, version=2)
    except Exception as exc:
        raise _common.CodecError(f"libjpeg (pylibjpeg-libjpeg): {exc}") from exc
    dtype = np.uint8 if meta["precision"] <= 8 else np.uint16
    shape = (meta["rows"], meta["columns"], meta["nr_components"])
    arr = np.frombuffer(out, dtype=dtype)
    if arr.size != shape[0] * shape[1] * shape[2]:
        raise _common.CodecError("libjpeg (pylibjpeg-libjpeg): decoded size mismatch")
    arr = arr.reshape(shape)
    return arr[..., 0] if shape[2] == 1 else arr


BACKENDS = {
    "imagecodecs": (_raw_imagecodecs, "imagecodecs"),
    "pylibjpeg": (_raw_libjpeg, "libjpeg"),
}


def decode(src: bytes, info: Any, raw=_raw_imagecodecs) -> tuple[np.ndarray, dict[str, Any]]:
    """One JPEG frame as pydicom 3's ``pixel_array`` gives it, and the
    Image Pixel values that changed."""
    params = jpeg_parameters(src)
    if not params:
        raise _common.CodecError(
            "The frame is not a JPEG codestream: no SOI marker followed by a frame header"
        )
    pi = _common.conform_jpeg_colorspace(params, info, info.transfer_syntax_uid)
    arr = _common.check_shape(np.asarray(raw(src, params)), info, "JPEG")
    dtype = _common.int_dtype(info.bits_allocated, info.pixel_representation)
    arr = _common.as_dtype(arr, dtype)
    if info.bits_allocated > info.bits_stored:
        # pydicom's correct_unused_bits (on by default for JPEG)
        arr = _common.shift_extend(arr, info.bits_stored)
    # YBR stays YBR: the decoder's processing converts it (pydicom's as_rgb)
    return _common.result(arr, info, pi)
