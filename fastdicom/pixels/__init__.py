"""Pixel data: native and RLE decoding, encapsulated frames, codec plugins.

The public functions mirror ``pydicom.pixels``: :func:`pixel_array` and
:func:`iter_pixels` take a Dataset, a path or a binary file-like.
"""

from fastdicom.pixels.decoders.base import get_decoder
from fastdicom.pixels.encoders.base import get_encoder
from fastdicom.pixels.frameinfo import FrameInfo
from fastdicom.pixels.pipeline import pixel_dtype
from fastdicom.pixels.processing import (
    apply_color_lut,
    apply_icc_profile,
    apply_modality_lut,
    apply_presentation_lut,
    apply_rescale,
    apply_voi,
    apply_voi_lut,
    apply_windowing,
    convert_color_space,
    create_icc_transform,
)
from fastdicom.pixels.utils import (
    as_pixel_options,
    compress,
    decompress,
    iter_pixels,
    pack_bits,
    pixel_array,
    set_pixel_data,
    unpack_bits,
)

__all__ = [
    "FrameInfo",
    "apply_color_lut",
    "apply_icc_profile",
    "apply_modality_lut",
    "apply_presentation_lut",
    "apply_rescale",
    "apply_voi",
    "apply_voi_lut",
    "apply_windowing",
    "as_pixel_options",
    "compress",
    "convert_color_space",
    "create_icc_transform",
    "decompress",
    "get_decoder",
    "get_encoder",
    "iter_pixels",
    "pack_bits",
    "pixel_array",
    "pixel_dtype",
    "set_pixel_data",
    "unpack_bits",
]
