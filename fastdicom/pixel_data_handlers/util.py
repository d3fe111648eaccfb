"""Deprecated: pydicom 2's ``pixel_data_handlers.util``; every name warns and
points at :mod:`fastdicom.pixels` (or :mod:`fastdicom.pixels.utils`)."""

from __future__ import annotations

from sys import byteorder
from typing import Any

import numpy as np

from fastdicom import config
from fastdicom.pixel_data_handlers import _DEPRECATED as _PACKAGE_DEPRECATED
from fastdicom.pixel_data_handlers import deprecated_attribute
from fastdicom.pixels import utils as _utils


def _dtype_corrected_for_endianness(is_little_endian: bool, numpy_dtype: np.dtype) -> np.dtype:
    """`numpy_dtype` in the byte order `is_little_endian` gives (deprecated)."""
    if is_little_endian is None:
        raise ValueError(
            "Dataset attribute 'is_little_endian' has to be set before writing the dataset"
        )
    if is_little_endian != (byteorder == "little"):
        return numpy_dtype.newbyteorder("S")
    return numpy_dtype


_DEPRECATED: dict[str, tuple[Any, str]] = {
    name: entry for name, entry in _PACKAGE_DEPRECATED.items() if name != "apply_rescale"
}
_DEPRECATED.update(
    {
        name: (getattr(_utils, name), "pixels.utils")
        for name in (
            "get_expected_length",
            "get_image_pixel_ids",
            "get_j2k_parameters",
            "get_nr_frames",
            "pixel_dtype",
            "reshape_pixel_array",
        )
    }
)


def __getattr__(name: str) -> Any:
    # PEP 562: warn on each access to a deprecated name
    if name == "dtype_corrected_for_endianness" and not config._use_future:
        config.warn_and_log(
            "'dtype_corrected_for_endianness' is deprecated and will be removed in v4.0",
            DeprecationWarning,
            stacklevel=2,
        )
        return _dtype_corrected_for_endianness
    return deprecated_attribute(name, _DEPRECATED, __name__)
