"""The "imagecodecs" encoding plugin: libjpeg-turbo, CharLS, OpenJPEG and
OpenJPH from the one ``imagecodecs`` package (``pip install imagecodecs``; a checkout's ``codecs`` extra)."""

from __future__ import annotations

from typing import Any

from fastdicom.pixels.encoders import _codecs
from fastdicom.uid import UID

ENCODER_DEPENDENCIES = {
    UID(uid): ("imagecodecs",) for uid, mods in _codecs._ENCODABLE.items() if "imagecodecs" in mods
}


def is_available(uid: str) -> bool:
    """``True`` if imagecodecs is installed and encodes `uid`."""
    return uid in ENCODER_DEPENDENCIES and _codecs._have("imagecodecs")


def _encode_frame(src: bytes, runner: Any) -> bytes:
    """Encode one frame (the plugin function)."""
    return _codecs.plugin_encode("imagecodecs", src, runner)
