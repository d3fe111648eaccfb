"""Decoders for compressed pixel data, one registry entry per transfer syntax.

``get_decoder(uid)`` returns a callable ``decoder(frame_bytes, info)`` that
turns one encapsulated frame into the array pydicom 3 gives for it by default
(see :class:`fastdicom.pixels.frameinfo.FrameInfo`), returned as
``(array, changes)``: `changes` holds the Image Pixel values that describe the
array but differ from `info` (``photometric_interpretation`` "RGB" once YBR
was converted, ``bits_allocated`` when the codestream's precision picked
another container), as pydicom's decoders report them. A registered decoder
may return the array alone. :func:`decode_frame` gives just the array. RLE Lossless is decoded by
:mod:`fastdicom.pixels.rle`, not here.

The codecs are the optional extra ``pip install fastdicom[codecs]``
(imagecodecs: libjpeg-turbo, CharLS and OpenJPEG in one package; see
``tools/compare_codecs.py`` for the measurement behind the choice). When
imagecodecs is missing, pydicom's own plugin packages are used if present
(pylibjpeg-libjpeg, pyjpegls, pylibjpeg-openjpeg). With none installed,
``get_decoder`` raises :class:`CodecUnavailableError` naming the package.

Your own decoder takes precedence once registered::

    register_decoder("1.2.840.10008.1.2.4.80", my_decoder)
"""

from __future__ import annotations

import functools
import importlib.util
from typing import Any, Callable

import numpy as np

from fastdicom.pixels.decoders import jpeg, jpeg2k, jpegls
from fastdicom.pixels.decoders._common import CodecError, CodecUnavailableError

__all__ = [
    "CodecError",
    "CodecUnavailableError",
    "available_decoders",
    "decode_frame",
    "get_decoder",
    "register_decoder",
    "unregister_decoder",
]

DecodeFunction = Callable[[bytes, Any], np.ndarray]

_NAMES = {
    "1.2.840.10008.1.2.4.50": "JPEG Baseline (Process 1)",
    "1.2.840.10008.1.2.4.51": "JPEG Extended (Process 2 & 4)",
    "1.2.840.10008.1.2.4.53": "JPEG Spectral Selection, Non-Hierarchical (Process 6 & 8) (Retired)",
    "1.2.840.10008.1.2.4.55": "JPEG Full Progression, Non-Hierarchical (Process 10 & 12) (Retired)",
    "1.2.840.10008.1.2.4.57": "JPEG Lossless, Non-Hierarchical (Process 14)",
    "1.2.840.10008.1.2.4.70": "JPEG Lossless, Non-Hierarchical, First-Order Prediction (Process 14 [Selection Value 1])",
    "1.2.840.10008.1.2.4.80": "JPEG-LS Lossless Image Compression",
    "1.2.840.10008.1.2.4.81": "JPEG-LS Lossy (Near-Lossless) Image Compression",
    "1.2.840.10008.1.2.4.90": "JPEG 2000 Image Compression (Lossless Only)",
    "1.2.840.10008.1.2.4.91": "JPEG 2000 Image Compression",
    "1.2.840.10008.1.2.4.201": "High-Throughput JPEG 2000 Image Compression (Lossless Only)",
    "1.2.840.10008.1.2.4.202": "High-Throughput JPEG 2000 with RPCL Options Image Compression (Lossless Only)",
    "1.2.840.10008.1.2.4.203": "High-Throughput JPEG 2000 Image Compression",
}

# the PyPI distribution that provides each backend's import name
_DISTRIBUTIONS = {
    "imagecodecs": "imagecodecs",
    "libjpeg": "pylibjpeg-libjpeg",
    "jpeg_ls": "pyjpegls",
    "openjpeg": "pylibjpeg-openjpeg",
}

# transfer syntax -> (codec family module, backend names in order of preference)
_BUILTIN: dict[str, tuple[Any, tuple[str, ...]]] = {}
for _uid in jpeg.UIDS:
    _BUILTIN[_uid] = (jpeg, ("imagecodecs", "pylibjpeg"))
for _uid in jpegls.UIDS:
    _BUILTIN[_uid] = (jpegls, ("imagecodecs", "pyjpegls", "pylibjpeg"))
for _uid in jpeg2k.UIDS:
    _BUILTIN[_uid] = (jpeg2k, ("imagecodecs", "pylibjpeg"))
# pylibjpeg-libjpeg (like pydicom) cannot decode the retired progressive processes
for _uid in ("1.2.840.10008.1.2.4.53", "1.2.840.10008.1.2.4.55"):
    _BUILTIN[_uid] = (jpeg, ("imagecodecs",))

_USER: dict[str, DecodeFunction] = {}


@functools.cache
def _importable(module: str) -> bool:
    return importlib.util.find_spec(module) is not None


def _builtin_decoder(uid: str, backend: str) -> DecodeFunction:
    family, _ = _BUILTIN[uid]
    raw = family.BACKENDS[backend][0]
    return functools.partial(family.decode, raw=raw)


def _backend_ready(uid: str, backend: str) -> bool:
    family, _ = _BUILTIN[uid]
    return _importable(family.BACKENDS[backend][1])


def register_decoder(uid: str, func: DecodeFunction) -> None:
    """Decode `uid` frames with ``func(frame_bytes, info) -> ndarray`` from now on."""
    _USER[str(uid)] = func


def unregister_decoder(uid: str) -> None:
    """Forget a decoder given to :func:`register_decoder` (the built-in one returns)."""
    _USER.pop(str(uid), None)


def available_decoders() -> dict[str, str]:
    """Transfer syntax UID -> name of the decoder that :func:`get_decoder` would use."""
    out: dict[str, str] = {}
    for uid in _BUILTIN:
        if uid in _USER:
            out[uid] = getattr(_USER[uid], "__name__", "user")
            continue
        for backend in _BUILTIN[uid][1]:
            if _backend_ready(uid, backend):
                out[uid] = backend
                break
    for uid, func in _USER.items():
        out.setdefault(uid, getattr(func, "__name__", "user"))
    return out


def get_decoder(uid: str, backend: str | None = None) -> DecodeFunction:
    """The frame decoder for transfer syntax `uid`.

    Parameters
    ----------
    uid : str
        The transfer syntax UID of the encapsulated pixel data.
    backend : str, optional
        Force one built-in backend ("imagecodecs", "pylibjpeg", "pyjpegls");
        by default the first installed one in that order.

    Raises
    ------
    CodecUnavailableError
        No installed package decodes `uid`; the message names what to install.
    NotImplementedError
        `uid` is not a compressed syntax fastdicom decodes with a codec.
    """
    uid = str(uid)
    if backend is None and uid in _USER:
        return _USER[uid]
    if uid not in _BUILTIN:
        if uid == "1.2.840.10008.1.2.5":
            raise NotImplementedError(
                "RLE Lossless is decoded by fastdicom.pixels.rle, not by a codec plugin"
            )
        raise NotImplementedError(f"No pixel data decoder for transfer syntax '{uid}'")
    family, order = _BUILTIN[uid]
    if backend is not None:
        if backend not in order:
            raise ValueError(f"'{backend}' cannot decode '{_NAMES.get(uid, uid)}'")
        order = (backend,)
    for name in order:
        if _backend_ready(uid, name):
            return _builtin_decoder(uid, name)
    wanted = [_DISTRIBUTIONS[family.BACKENDS[name][1]] for name in order]
    extra = f" (or {', '.join(wanted[1:])})" if len(wanted) > 1 else ""
    raise CodecUnavailableError(
        f"Unable to decode '{_NAMES.get(uid, uid)}' pixel data: it needs the "
        f"'{wanted[0]}' package{extra}. Install it with "
        f"'pip install fastdicom[codecs]' or 'pip install {wanted[0]}'"
    )


def decode_frame(uid: str, src: bytes, info: Any, backend: str | None = None) -> np.ndarray:
    """One frame of transfer syntax `uid` as pydicom 3's ``pixel_array`` gives it."""
    out = get_decoder(uid, backend)(src, info)
    return out[0] if isinstance(out, tuple) else out
