"""The "imagecodecs" decoding plugin: libjpeg-turbo, CharLS and OpenJPEG from
the one ``imagecodecs`` package (``pip install imagecodecs``; a checkout's ``codecs`` extra), for the
JPEG, JPEG-LS, JPEG 2000 and HTJ2K transfer syntaxes."""

from __future__ import annotations

from typing import Any

from fastdicom.pixels.decoders import _common, jpeg, jpeg2k, jpegls
from fastdicom.uid import UID

_FAMILIES = {UID(uid): family for family in (jpeg, jpegls, jpeg2k) for uid in family.UIDS}
DECODER_DEPENDENCIES = {uid: ("imagecodecs",) for uid in _FAMILIES}


def is_available(uid: str) -> bool:
    """``True`` if imagecodecs is installed and decodes `uid`."""
    return uid in DECODER_DEPENDENCIES and _common.backend_available("imagecodecs")


def _decode_frame(src: bytes, runner: Any) -> memoryview:
    """Decode one frame (the plugin function)."""
    return _common.plugin_decode(_FAMILIES[runner.transfer_syntax], "imagecodecs", src, runner)
