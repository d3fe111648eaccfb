"""The "pyjpegls" encoding plugin: CharLS through pydicom's pyjpegls package,
for JPEG-LS (the precision is *Bits Stored*, as pydicom encodes)."""

from __future__ import annotations

from typing import Any

from fastdicom.pixels.encoders import _codecs
from fastdicom.uid import UID

ENCODER_DEPENDENCIES = {UID(_codecs.JLS_LOSSLESS): ("pyjpegls",), UID(_codecs.JLS_NEAR): ("pyjpegls",)}


def is_available(uid: str) -> bool:
    """``True`` if pyjpegls is installed and `uid` is JPEG-LS."""
    return uid in ENCODER_DEPENDENCIES and _codecs._have("jpeg_ls")


def _encode_frame(src: bytes, runner: Any) -> bytes:
    """Encode one frame (the plugin function)."""
    return _codecs.plugin_encode("jpeg_ls", src, runner)
