"""JPEG-LS (ISO/IEC 14495-1) Lossless and Near-Lossless (PS3.5 A.4.3).

pydicom's defaults are followed: the container size comes from the
codestream's precision, and signed data (which JPEG-LS cannot mark) is sign
extended from that precision.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from fastdicom.pixels.decoders import _common
from fastdicom.pixels.decoders._markers import jpeg_parameters

UIDS = (
    "1.2.840.10008.1.2.4.80",  # JPEG-LS Lossless
    "1.2.840.10008.1.2.4.81",  # JPEG-LS Near-Lossless
)


def _raw_imagecodecs(src: bytes, params: dict[str, Any]) -> np.ndarray:
    import imagecodecs

    try:
        return imagecodecs.jpegls_decode(src)  # CharLS, always interleaved out
    except imagecodecs.JpeglsError as exc:
        raise _common.CodecError(f"CharLS (imagecodecs): {exc}") from exc


def _raw_pyjpegls(src: bytes, params: dict[str, Any]) -> np.ndarray:
    import jpeg_ls

    try:
        buf, meta = jpeg_ls.decode_pixel_data(src)
    except Exception as exc:
        raise _common.CodecError(f"CharLS (pyjpegls): {exc}") from exc
    dtype = np.uint8 if meta["bits_per_sample"] <= 8 else np.uint16
    arr = np.frombuffer(buf, dtype=dtype)
    rows, cols, ncomp = meta["height"], meta["width"], meta["components"]
    if arr.size != rows * cols * ncomp:
        raise _common.CodecError("CharLS (pyjpegls): decoded size mismatch")
    if ncomp == 1:
        return arr.reshape(rows, cols)
    if meta["interleave_mode"] == 0:  # planes one after the other
        return arr.reshape(ncomp, rows, cols).transpose(1, 2, 0)
    return arr.reshape(rows, cols, ncomp)


def _raw_libjpeg(src: bytes, params: dict[str, Any]) -> np.ndarray:
    from fastdicom.pixels.decoders.jpeg import _raw_libjpeg as raw

    return raw(src, params)


BACKENDS = {
    "imagecodecs": (_raw_imagecodecs, "imagecodecs"),
    "pyjpegls": (_raw_pyjpegls, "jpeg_ls"),
    "pylibjpeg": (_raw_libjpeg, "libjpeg"),
}


def decode(src: bytes, info: Any, raw=_raw_imagecodecs) -> tuple[np.ndarray, dict[str, Any]]:
    """One JPEG-LS frame as pydicom 3's ``pixel_array`` gives it, and the
    Image Pixel values that changed."""
    params = jpeg_parameters(src)
    if not params:
        raise _common.CodecError(
            "The frame is not a JPEG-LS codestream: no SOI marker followed by a frame header"
        )
    pi = _common.conform_jpeg_colorspace(params, info, info.transfer_syntax_uid)
    precision = params.get("precision") or info.bits_stored
    arr = _common.check_shape(np.asarray(raw(src, params)), info, "JPEG-LS")
    dtype = _common.int_dtype(_common.bits_for_precision(precision), info.pixel_representation)
    arr = _common.as_dtype(arr, dtype)
    if info.pixel_representation == 1:
        arr = _common.shift_extend(arr, precision)
    # YBR stays YBR: the decoder's processing converts it (pydicom's as_rgb)
    return _common.result(arr, info, pi)
