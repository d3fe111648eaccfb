"""JPEG 2000 (ISO/IEC 15444-1) and High-Throughput JPEG 2000 (15444-15):
PS3.5 A.4.4 and A.4.11.

As pydicom 3 does by default: the container size follows the codestream's
precision; a monochrome codestream whose signedness disagrees with (0028,0103)
Pixel Representation is reinterpreted from its precision; YBR_ICT/YBR_RCT
(undone by the codec's inverse MCT) are returned as RGB.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from fastdicom.pixels.decoders import _common
from fastdicom.pixels.decoders._markers import j2k_parameters

UIDS = (
    "1.2.840.10008.1.2.4.90",  # JPEG 2000 Lossless
    "1.2.840.10008.1.2.4.91",  # JPEG 2000
    "1.2.840.10008.1.2.4.201",  # HTJ2K Lossless
    "1.2.840.10008.1.2.4.202",  # HTJ2K Lossless RPCL
    "1.2.840.10008.1.2.4.203",  # HTJ2K
)


def _raw_imagecodecs(src: bytes, params: dict[str, Any]) -> np.ndarray:
    import imagecodecs

    try:
        # OpenJPEG 2.5 decodes Part 1 and HTJ2K (Part 15) codestreams
        return imagecodecs.jpeg2k_decode(src)
    except imagecodecs.Jpeg2kError as exc:
        raise _common.CodecError(f"OpenJPEG (imagecodecs): {exc}") from exc


def _raw_openjpeg(src: bytes, params: dict[str, Any]) -> np.ndarray:
    from openjpeg.utils import decode_pixel_data, get_parameters

    try:
        meta = get_parameters(src)
        out = decode_pixel_data(src, version=2)
    except Exception as exc:
        raise _common.CodecError(f"OpenJPEG (pylibjpeg-openjpeg): {exc}") from exc
    bits = _common.bits_for_precision(int(meta["precision"]))
    dtype = _common.int_dtype(bits, bool(meta["is_signed"]))
    rows, cols, ncomp = int(meta["rows"]), int(meta["columns"]), int(meta["samples_per_pixel"])
    arr = np.frombuffer(out, dtype=dtype)
    if arr.size != rows * cols * ncomp:
        raise _common.CodecError("OpenJPEG (pylibjpeg-openjpeg): decoded size mismatch")
    return arr.reshape(rows, cols) if ncomp == 1 else arr.reshape(rows, cols, ncomp)


BACKENDS = {
    "imagecodecs": (_raw_imagecodecs, "imagecodecs"),
    "pylibjpeg": (_raw_openjpeg, "openjpeg"),
}


def decode(src: bytes, info: Any, raw=_raw_imagecodecs) -> tuple[np.ndarray, dict[str, Any]]:
    """One JPEG 2000 / HTJ2K frame as pydicom 3's ``pixel_array`` gives it,
    and the Image Pixel values that changed."""
    params = j2k_parameters(src)
    if "precision" not in params:
        raise _common.CodecError(
            "The frame is not a JPEG 2000 codestream: no SOC and SIZ markers "
            "(ISO/IEC 15444-1 A.5.1)"
        )
    precision = params["precision"]
    signed = params["is_signed"]
    arr = _common.check_shape(np.asarray(raw(src, params)), info, "JPEG 2000")
    dtype = _common.int_dtype(_common.bits_for_precision(precision), info.pixel_representation)
    arr = _common.as_dtype(arr, dtype)
    pi = info.photometric_interpretation
    if pi in ("MONOCHROME1", "MONOCHROME2") and signed != bool(info.pixel_representation):
        arr = _common.shift_extend(arr, precision)
    if pi in ("YBR_ICT", "YBR_RCT"):
        # the codec's inverse component transform already gave RGB
        pi = "RGB"
    # YBR_FULL stays YBR: the decoder's processing converts it (pydicom's as_rgb)
    return _common.result(arr, info, pi)
