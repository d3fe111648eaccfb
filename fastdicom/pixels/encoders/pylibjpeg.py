"""The "pylibjpeg" encoding plugin: pylibjpeg-openjpeg, for JPEG 2000 (its
quality layers are pydicom's ``j2k_cr`` and ``j2k_psnr`` options)."""

from __future__ import annotations

from typing import Any

from fastdicom.pixels.encoders import _codecs
from fastdicom.uid import UID

ENCODER_DEPENDENCIES = {
    UID(_codecs.J2K_LOSSLESS): ("pylibjpeg-openjpeg>=2.0",),
    UID(_codecs.J2K): ("pylibjpeg-openjpeg>=2.0",),
}


def is_available(uid: str) -> bool:
    """``True`` if pylibjpeg-openjpeg is installed and `uid` is JPEG 2000."""
    return uid in ENCODER_DEPENDENCIES and _codecs._have("openjpeg")


def _encode_frame(src: bytes, runner: Any) -> bytes:
    """Encode one frame (the plugin function)."""
    return _codecs.plugin_encode("openjpeg", src, runner)
