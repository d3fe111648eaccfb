"""Deprecated: pydicom 2's pylibjpeg pixel data handler (JPEG, JPEG-LS,
JPEG 2000 and RLE Lossless), used by ``Dataset.pixel_array_options(use_v2_backend=True)``.

The frames are decoded by the "pylibjpeg" plugin of
:mod:`fastdicom.pixels.decoders` (RLE Lossless by the built-in RLE decoder),
so the handler needs pylibjpeg with its libjpeg / openjpeg plugins.
"""

from __future__ import annotations

import importlib.util
from collections.abc import Iterator
from typing import Any

import numpy as np

from fastdicom.pixel_data_handlers import _require_elements
from fastdicom.pixels.utils import iter_pixels, pixel_dtype, reshape_pixel_array

HANDLER_NAME = "pylibjpeg"
"""The handler's name."""
DEPENDENCIES = {"numpy": ("https://numpy.org/", "NumPy")}
"""What pydicom lists as the handler's dependencies."""
HAVE_NP = True
HAVE_PYLIBJPEG = importlib.util.find_spec("pylibjpeg") is not None

_LIBJPEG_SYNTAXES = [
    "1.2.840.10008.1.2.4.50",
    "1.2.840.10008.1.2.4.51",
    "1.2.840.10008.1.2.4.57",
    "1.2.840.10008.1.2.4.70",
    "1.2.840.10008.1.2.4.80",
    "1.2.840.10008.1.2.4.81",
]
_OPENJPEG_SYNTAXES = ["1.2.840.10008.1.2.4.90", "1.2.840.10008.1.2.4.91"]
_RLE_SYNTAXES = ["1.2.840.10008.1.2.5"]
SUPPORTED_TRANSFER_SYNTAXES = _LIBJPEG_SYNTAXES + _OPENJPEG_SYNTAXES + _RLE_SYNTAXES

__all__ = [
    "as_array",
    "generate_frames",
    "get_pixeldata",
    "is_available",
    "needs_to_convert_to_RGB",
    "should_change_PhotometricInterpretation_to_RGB",
    "supports_transfer_syntax",
]


def is_available() -> bool:
    """True if pylibjpeg is installed."""
    return HAVE_NP and HAVE_PYLIBJPEG


def supports_transfer_syntax(tsyntax: str) -> bool:
    """True for the JPEG, JPEG-LS, JPEG 2000 and RLE Lossless syntaxes.

    Parameters
    ----------
    tsyntax : str
    """
    return tsyntax in SUPPORTED_TRANSFER_SYNTAXES


def needs_to_convert_to_RGB(ds: Any) -> bool:
    """Return False: the decoder does any colour conversion itself."""
    return False


def should_change_PhotometricInterpretation_to_RGB(ds: Any) -> bool:
    """Return False: the Photometric Interpretation is left alone."""
    return False


def generate_frames(ds: Any, reshape: bool = True) -> Iterator[np.ndarray]:
    """Yield each decoded frame of `ds`.

    Parameters
    ----------
    ds : Dataset
    reshape : bool, optional
        (rows, columns[, samples]) frames (default), else 1-D ones
        (colour-by-plane for RLE Lossless, as pylibjpeg-rle gives them).
    """
    tsyntax = ds.file_meta.TransferSyntaxUID
    if tsyntax not in SUPPORTED_TRANSFER_SYNTAXES:
        raise NotImplementedError(
            f"Unable to convert the Pixel Data as the '{tsyntax}' transfer syntax "
            "is not supported by the pylibjpeg pixel data handler"
        )
    if not is_available():
        raise RuntimeError(
            "Unable to convert the Pixel Data as the 'pylibjpeg' package is not installed"
        )
    required = [
        "BitsAllocated",
        "Rows",
        "Columns",
        "PixelRepresentation",
        "SamplesPerPixel",
        "PhotometricInterpretation",
        "PixelData",
    ]
    _require_elements(ds, required)
    dtype = pixel_dtype(ds)
    plugin = "" if tsyntax in _RLE_SYNTAXES else "pylibjpeg"
    for frame in iter_pixels(ds, decoding_plugin=plugin, as_rgb=False):
        frame = frame.astype(dtype, copy=False)
        if reshape:
            yield frame
        elif frame.ndim == 3 and tsyntax in _RLE_SYNTAXES:
            yield frame.transpose(2, 0, 1).ravel()
        else:
            yield frame.ravel()


def get_pixeldata(ds: Any) -> np.ndarray:
    """The decoded pixel data of `ds` as a 1-D array.

    Parameters
    ----------
    ds : Dataset
    """
    return np.concatenate(list(generate_frames(ds, reshape=False)))


def as_array(ds: Any) -> np.ndarray:
    """The decoded pixel data of `ds`, shaped.

    Parameters
    ----------
    ds : Dataset
    """
    return reshape_pixel_array(ds, get_pixeldata(ds))
