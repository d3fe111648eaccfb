"""The "pyjpegls" decoding plugin: CharLS through pydicom's pyjpegls package,
for JPEG-LS, used when imagecodecs is not installed."""

from __future__ import annotations

from typing import Any

from fastdicom.pixels.decoders import _common, jpegls
from fastdicom.uid import UID

DECODER_DEPENDENCIES = {UID(uid): ("pyjpegls",) for uid in jpegls.UIDS}


def is_available(uid: str) -> bool:
    """``True`` if pyjpegls is installed and `uid` is JPEG-LS."""
    return uid in DECODER_DEPENDENCIES and _common.backend_available("jpeg_ls")


def _decode_frame(src: bytes, runner: Any) -> memoryview:
    """Decode one frame (the plugin function)."""
    return _common.plugin_decode(jpegls, "pyjpegls", src, runner)
