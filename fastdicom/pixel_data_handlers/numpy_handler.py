"""Deprecated: pydicom 2's numpy pixel data handler for native (uncompressed)
transfer syntaxes, used by ``Dataset.pixel_array_options(use_v2_backend=True)``.

It returns the pixel data as a 1-D array in the dataset's byte order, without
masking unused bits (as pydicom's handler); 1-bit data is unpacked
(PS3.5 §8.1.1) and YBR_FULL_422 expanded (PS3.3 C.7.6.3.1.2).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from fastdicom.config import warn_and_log
from fastdicom.pixel_data_handlers import _require_elements
from fastdicom.pixels.utils import (
    expand_ybr422,
    get_expected_length,
    pixel_dtype,
    unpack_bits,
)

HANDLER_NAME = "Numpy"
"""The handler's name."""
DEPENDENCIES = {"numpy": ("https://numpy.org/", "NumPy")}
"""What the handler needs: numpy, which fastdicom always has."""
HAVE_NP = True
SUPPORTED_TRANSFER_SYNTAXES = [
    "1.2.840.10008.1.2.1",
    "1.2.840.10008.1.2",
    "1.2.840.10008.1.2.1.99",
    "1.2.840.10008.1.2.2",
]

__all__ = [
    "get_pixeldata",
    "is_available",
    "needs_to_convert_to_RGB",
    "should_change_PhotometricInterpretation_to_RGB",
    "supports_transfer_syntax",
    "unpack_bits",
]


def is_available() -> bool:
    """Return True: numpy is always there."""
    return HAVE_NP


def supports_transfer_syntax(transfer_syntax: str) -> bool:
    """True for the native transfer syntaxes.

    Parameters
    ----------
    transfer_syntax : str
    """
    return transfer_syntax in SUPPORTED_TRANSFER_SYNTAXES


def needs_to_convert_to_RGB(ds: Any) -> bool:
    """Return False: native data is returned in its own color space."""
    return False


def should_change_PhotometricInterpretation_to_RGB(ds: Any) -> bool:
    """Return False: the Photometric Interpretation is left alone."""
    return False


def get_pixeldata(ds: Any, read_only: bool = False) -> np.ndarray:
    """The Pixel Data, Float Pixel Data or Double Float Pixel Data of `ds` as a 1-D array.

    Parameters
    ----------
    ds : Dataset
    read_only : bool, optional
        Return a read-only view of the element's value instead of a copy
        (not for 1-bit data, which is always unpacked into a new array).

    Returns
    -------
    numpy.ndarray
    """
    if ds.file_meta.TransferSyntaxUID not in SUPPORTED_TRANSFER_SYNTAXES:
        raise NotImplementedError(
            "Unable to convert the pixel data as the transfer syntax "
            "is not supported by the numpy pixel data handler."
        )
    present = [kw for kw in ("PixelData", "FloatPixelData", "DoubleFloatPixelData") if kw in ds]
    if len(present) != 1:
        raise AttributeError(
            "Unable to convert the pixel data: one of Pixel Data, Float "
            "Pixel Data or Double Float Pixel Data must be present in "
            "the dataset"
        )
    keyword = present[0]
    required = ["BitsAllocated", "Rows", "Columns", "SamplesPerPixel", "PhotometricInterpretation"]
    if keyword == "PixelData":
        required += ["PixelRepresentation", "BitsStored"]
    _require_elements(ds, required)
    if ds.SamplesPerPixel > 1 and "PlanarConfiguration" not in ds:
        raise AttributeError(
            "Unable to convert the pixel data as the following "
            "conditionally required element is missing from the dataset: "
            "PlanarConfiguration"
        )
    data = ds[keyword].value
    expected = get_expected_length(ds)
    actual = len(data)
    padded = expected + expected % 2
    if actual < padded:
        if actual != expected:
            raise ValueError(
                f"The length of the pixel data in the dataset ({actual} bytes) "
                f"doesn't match the expected length ({padded} bytes). "
                "The dataset may be corrupted or there may be an issue "
                "with the pixel data handler."
            )
        warn_and_log("The odd length pixel data is missing a trailing padding byte")
    elif actual > padded:
        message = (
            f"The length of the pixel data in the dataset ({actual} bytes) indicates "
            f"it contains excess padding. {actual - expected} bytes will be removed "
            "from the end of the data"
        )
        if ds.PhotometricInterpretation == "YBR_FULL_422":
            full = expected / 2 * 3 + expected / 2 * 3 % 2
            if actual >= full:
                message = (
                    "The Photometric Interpretation of the dataset is "
                    "YBR_FULL_422, however the length of the pixel data "
                    f"({actual} bytes) is a third larger than expected ({expected} bytes) "
                    "which indicates that this may be incorrect. You may "
                    "need to change the Photometric Interpretation to "
                    "the correct value."
                )
        warn_and_log(message)

    if ds.BitsAllocated == 1:
        arr = unpack_bits(data)[: get_expected_length(ds, unit="pixels")]
    else:
        dtype = pixel_dtype(ds, as_float="Float" in keyword)
        if (
            not ds.original_encoding[1]
            and dtype.itemsize == 1
            and keyword == "PixelData"
            and ds[0x7FE00010].VR == "OW"
        ):
            # 8-bit samples in an OW value of a big endian file: each 16-bit
            # word was byte swapped on writing (PS3.5 §7.3)
            data = np.frombuffer(data, dtype=">u2").astype("<u2").tobytes()
        if ds.PhotometricInterpretation == "YBR_FULL_422":
            data = expand_ybr422(memoryview(data)[:expected], ds.BitsAllocated)
            expected = len(data)
        arr = np.frombuffer(data, dtype=dtype, count=expected // dtype.itemsize)
    if should_change_PhotometricInterpretation_to_RGB(ds):
        ds.PhotometricInterpretation = "RGB"
    if not read_only and ds.BitsAllocated > 1:
        return arr.copy()
    return arr
