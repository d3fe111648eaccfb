"""The "pylibjpeg" encoding plugin: pylibjpeg-openjpeg for JPEG 2000 (its
quality layers are pydicom's ``j2k_cr`` and ``j2k_psnr`` options) and
pylibjpeg-rle for RLE Lossless, pydicom's plugin packages."""

from __future__ import annotations

from typing import Any

from fastdicom.pixels.encoders import _codecs
from fastdicom.uid import UID

ENCODER_DEPENDENCIES = {
    UID(_codecs.J2K_LOSSLESS): ("pylibjpeg-openjpeg>=2.0",),
    UID(_codecs.J2K): ("pylibjpeg-openjpeg>=2.0",),
    UID(_codecs.RLE): ("numpy", "pylibjpeg>=2.0", "pylibjpeg-rle>=2.0"),
}


def is_available(uid: str) -> bool:
    """``True`` if the pylibjpeg package that encodes `uid` is installed."""
    if uid == _codecs.RLE:
        return _codecs._have("pylibjpeg") and _codecs._have("rle")
    return uid in ENCODER_DEPENDENCIES and _codecs._have("openjpeg")


def _encode_frame(src: bytes, runner: Any) -> bytes:
    """Encode one frame (the plugin function)."""
    if runner.transfer_syntax == _codecs.RLE:
        from rle.utils import encode_pixel_data

        return bytes(encode_pixel_data(src, **runner.options))
    return _codecs.plugin_encode("openjpeg", src, runner)
