"""Deprecated: pydicom 2's RLE Lossless pixel data handler (PS3.5 Annex G),
used by ``Dataset.pixel_array_options(use_v2_backend=True)``.

The frames are decoded by the RLE plugin of :mod:`fastdicom.pixels.decoders`
(compiled PackBits); the result is a 1-D array of colour-by-plane frames in
the machine's byte order.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from fastdicom.encaps import generate_frames
from fastdicom.pixel_data_handlers import _require_elements
from fastdicom.pixels.decoders import rle as _rle_plugin
from fastdicom.pixels.decoders.rle import (
    _rle_decode_segment,
)
from fastdicom.pixels.decoders.rle import (
    _rle_parse_header as _parse_rle_header,
)
from fastdicom.pixels.utils import get_nr_frames, pixel_dtype

HANDLER_NAME = "RLE Lossless"
"""The handler's name."""
DEPENDENCIES = {"numpy": ("https://numpy.org/", "NumPy")}
"""What the handler needs: numpy, which fastdicom always has."""
HAVE_RLE = True
SUPPORTED_TRANSFER_SYNTAXES = ["1.2.840.10008.1.2.5"]

__all__ = [
    "_parse_rle_header",
    "_rle_decode_frame",
    "_rle_decode_segment",
    "get_pixeldata",
    "is_available",
    "needs_to_convert_to_RGB",
    "should_change_PhotometricInterpretation_to_RGB",
    "supports_transfer_syntax",
]


def is_available() -> bool:
    """Return True: the RLE decoder is built in."""
    return HAVE_RLE


def supports_transfer_syntax(transfer_syntax: str) -> bool:
    """True for RLE Lossless.

    Parameters
    ----------
    transfer_syntax : str
    """
    return transfer_syntax in SUPPORTED_TRANSFER_SYNTAXES


def needs_to_convert_to_RGB(ds: Any) -> bool:
    """Return False: RLE data is returned in its own color space."""
    return False


def should_change_PhotometricInterpretation_to_RGB(ds: Any) -> bool:
    """Return False: the Photometric Interpretation is left alone."""
    return False


def _rle_decode_frame(
    data: bytes,
    rows: int,
    columns: int,
    nr_samples: int,
    nr_bits: int,
    segment_order: str = ">",
) -> bytearray:
    """One RLE frame decoded to colour-by-plane bytes (the RLE plugin's
    decoder, with the handler's own message for an unusable Bits Allocated).

    Parameters
    ----------
    data : bytes
        The frame: the 64-byte header and its segments (PS3.5 G.5).
    rows, columns, nr_samples : int
    nr_bits : int
        Bits Allocated, a multiple of 8.
    segment_order : str, optional
        ``">"`` (most significant byte segment first) or ``"<"``.
    """
    if nr_bits % 8:
        raise NotImplementedError(
            "Unable to decode RLE encoded pixel data with a (0028,0100) "
            f"'Bits Allocated' value of {nr_bits}"
        )
    return _rle_plugin._rle_decode_frame(data, rows, columns, nr_samples, nr_bits, segment_order)


def get_pixeldata(ds: Any, rle_segment_order: str = ">") -> np.ndarray:
    """The decoded RLE Lossless Pixel Data of `ds` as a 1-D array.

    Parameters
    ----------
    ds : Dataset
    rle_segment_order : str, optional
        ``">"`` (PS3.5 G.2: most significant byte segment first) or ``"<"``.

    Returns
    -------
    numpy.ndarray
        Colour-by-plane (Planar Configuration 1) frames.
    """
    if ds.file_meta.TransferSyntaxUID not in SUPPORTED_TRANSFER_SYNTAXES:
        raise NotImplementedError(
            "Unable to convert the pixel data as the transfer syntax "
            "is not supported by the RLE pixel data handler."
        )
    required = [
        "PixelData",
        "BitsAllocated",
        "Rows",
        "Columns",
        "PixelRepresentation",
        "SamplesPerPixel",
    ]
    _require_elements(ds, required)
    bits = ds.BitsAllocated
    samples = ds.SamplesPerPixel
    rows, columns = ds.Rows, ds.Columns
    frames = get_nr_frames(ds, warn=False)
    decoded = bytearray()
    for frame in generate_frames(ds.PixelData, number_of_frames=frames):
        decoded += _rle_decode_frame(frame, rows, columns, samples, bits, rle_segment_order)
    # The frames are little endian; pixel_dtype gives the dataset's byte
    # order, which for RLE Lossless (an explicit VR little endian syntax) is little
    arr = np.frombuffer(decoded, pixel_dtype(ds))
    if should_change_PhotometricInterpretation_to_RGB(ds):
        ds.PhotometricInterpretation = "RGB"
    return arr
