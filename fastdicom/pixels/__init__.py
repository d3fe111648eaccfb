"""Pixel data: native and RLE decoding, encapsulated frames, codec plugins.

The public functions mirror ``pydicom.pixels``.
"""

from fastdicom.pixels.frameinfo import FrameInfo

__all__ = ["FrameInfo"]
