"""Pixel data decoders, one :class:`~fastdicom.pixels.decoders.base.Decoder`
per transfer syntax (pydicom 3's ``pydicom.pixels.decoders``).

``get_decoder(uid)`` returns the transfer syntax's Decoder; its plugins do the
work for encapsulated data:

=====================  ==============================================
Transfer syntaxes      Plugins, in order of preference
=====================  ==============================================
RLE Lossless           "pydicom": ``fastdicom._rle`` (compiled, built in)
JPEG (all processes)   "imagecodecs" (libjpeg-turbo), "pylibjpeg"
JPEG-LS                "imagecodecs" (CharLS), "pyjpegls", "pylibjpeg"
JPEG 2000, HTJ2K       "imagecodecs" (OpenJPEG), "pylibjpeg"
=====================  ==============================================

The codecs are the optional extra ``codecs`` of a checkout
(``pip install ".[codecs]"``; from the package index: ``pip install imagecodecs``; see ``tools/compare_codecs.py`` for the measurement behind the
choice); pydicom's own plugin packages are used when it is missing. With none
installed, decoding raises a :class:`RuntimeError` naming what to install.

A plugin of your own, written as for pydicom, takes its place with
``get_decoder(uid).add_plugin(label, (module, function))``.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from fastdicom.encaps import encapsulate
from fastdicom.pixels.decoders._common import CodecError, CodecUnavailableError
from fastdicom.pixels.decoders.base import (
    DeflatedExplicitVRLittleEndianDecoder,
    ExplicitVRBigEndianDecoder,
    ExplicitVRLittleEndianDecoder,
    HTJ2KDecoder,
    HTJ2KLosslessDecoder,
    HTJ2KLosslessRPCLDecoder,
    ImplicitVRLittleEndianDecoder,
    JPEG2000Decoder,
    JPEG2000LosslessDecoder,
    JPEGBaseline8BitDecoder,
    JPEGExtended12BitDecoder,
    JPEGLosslessDecoder,
    JPEGLosslessSV1Decoder,
    JPEGLSLosslessDecoder,
    JPEGLSNearLosslessDecoder,
    RLELosslessDecoder,
    Decoder,
    DecodeRunner,
    _PIXEL_DATA_DECODERS,
    get_decoder,
)

__all__ = [
    "CodecError",
    "CodecUnavailableError",
    "DecodeRunner",
    "Decoder",
    "DeflatedExplicitVRLittleEndianDecoder",
    "ExplicitVRBigEndianDecoder",
    "ExplicitVRLittleEndianDecoder",
    "HTJ2KDecoder",
    "HTJ2KLosslessDecoder",
    "HTJ2KLosslessRPCLDecoder",
    "ImplicitVRLittleEndianDecoder",
    "JPEG2000Decoder",
    "JPEG2000LosslessDecoder",
    "JPEGBaseline8BitDecoder",
    "JPEGExtended12BitDecoder",
    "JPEGLSLosslessDecoder",
    "JPEGLSNearLosslessDecoder",
    "JPEGLosslessDecoder",
    "JPEGLosslessSV1Decoder",
    "RLELosslessDecoder",
    "available_decoders",
    "decode_frame",
    "get_decoder",
]


def available_decoders() -> dict[str, str]:
    """Encapsulated transfer syntax UID -> the plugin its decoder tries first."""
    return {
        str(uid): next(iter(decoder._available))
        for uid, (decoder, _) in _PIXEL_DATA_DECODERS.items()
        if decoder.is_encapsulated and decoder._available
    }


def decode_frame(uid: str, src: bytes, info: Any, plugin: str = "", **kwargs: Any) -> np.ndarray:
    """One encoded frame (a codestream) of transfer syntax `uid` as
    ``pixel_array`` gives it, decoded by the syntax's :class:`Decoder`.

    Parameters
    ----------
    uid : str
        The transfer syntax.
    src : bytes
        The frame.
    info : FrameInfo
        The Image Pixel values of the frame.
    plugin : str, optional
        Use only this decoding plugin.
    **kwargs
        Decoding options (``as_rgb``, ...).
    """
    opts = info.as_dict()
    opts.update(number_of_frames=1, pixel_keyword="PixelData", **kwargs)
    opts.pop("transfer_syntax_uid", None)
    arr, _ = get_decoder(uid).as_array(
        encapsulate([bytes(src)]), validate=False, decoding_plugin=plugin or "", **opts
    )
    return arr
