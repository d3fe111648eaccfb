"""Deprecated: pydicom 2's JPEG-LS pixel data handler (pyjpegls), used by
``Dataset.pixel_array_options(use_v2_backend=True)``.

The frames are decoded by the "pyjpegls" plugin of :mod:`fastdicom.pixels.decoders`.
"""

from __future__ import annotations

import importlib.util
from typing import Any

import numpy as np

from fastdicom.pixels.utils import iter_pixels, pixel_dtype

HANDLER_NAME = "JPEG-LS"
"""The handler's name."""
DEPENDENCIES = {
    "numpy": ("https://numpy.org/", "NumPy"),
    "jpeg_ls": ("https://github.com/pydicom/pyjpegls", "pyjpegls"),
}
"""What the handler needs."""
HAVE_NP = True
HAVE_JPEGLS = importlib.util.find_spec("jpeg_ls") is not None
SUPPORTED_TRANSFER_SYNTAXES = ["1.2.840.10008.1.2.4.80", "1.2.840.10008.1.2.4.81"]

__all__ = [
    "get_pixeldata",
    "is_available",
    "needs_to_convert_to_RGB",
    "should_change_PhotometricInterpretation_to_RGB",
    "supports_transfer_syntax",
]


def is_available() -> bool:
    """True if pyjpegls is installed."""
    return HAVE_NP and HAVE_JPEGLS


def needs_to_convert_to_RGB(ds: Any) -> bool:
    """Return False: JPEG-LS data is returned in its own color space."""
    return False


def should_change_PhotometricInterpretation_to_RGB(ds: Any) -> bool:
    """Return False: the Photometric Interpretation is left alone."""
    return False


def supports_transfer_syntax(transfer_syntax: str) -> bool:
    """True for the JPEG-LS syntaxes.

    Parameters
    ----------
    transfer_syntax : str
    """
    return transfer_syntax in SUPPORTED_TRANSFER_SYNTAXES


def get_pixeldata(ds: Any) -> np.ndarray:
    """The decoded JPEG-LS pixel data of `ds` as a 1-D array.

    Parameters
    ----------
    ds : Dataset
    """
    tsyntax = ds.file_meta.TransferSyntaxUID
    if tsyntax not in SUPPORTED_TRANSFER_SYNTAXES:
        raise NotImplementedError(
            f"The jpeg_ls does not support this transfer syntax {tsyntax.name}"
        )
    if not HAVE_JPEGLS:
        raise ImportError(
            "The jpeg_ls package is required to use pixel_array for this "
            f"transfer syntax {tsyntax.name}, and jpeg_ls could not be imported"
        )
    dtype = pixel_dtype(ds)
    frames = [f.astype(dtype, copy=False).ravel() for f in iter_pixels(ds, decoding_plugin="pyjpegls")]
    return np.concatenate(frames)
