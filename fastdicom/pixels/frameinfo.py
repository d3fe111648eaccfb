"""Description of one frame of pixel data, passed to the codec families.

``FrameInfo`` is what the codec families of :mod:`fastdicom.pixels.decoders`
(``jpeg``, ``jpegls``, ``jpeg2k``) take: the decoding plugins build it from
their :class:`~fastdicom.pixels.decoders.base.DecodeRunner`, and a family's
``decode(frame_bytes, info)`` returns an array of shape ``(rows, columns)``
or ``(rows, columns, samples_per_pixel)`` with the Image Pixel values that
changed. :func:`fastdicom.pixels.decoders.decode_frame` takes one too.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True, slots=True)
class FrameInfo:
    """The Image Pixel module attributes that describe one frame (PS3.3 C.7.6.3)."""

    rows: int
    columns: int
    samples_per_pixel: int = 1
    bits_allocated: int = 8
    bits_stored: int = 8
    pixel_representation: int = 0
    photometric_interpretation: str = "MONOCHROME2"
    planar_configuration: int = 0
    number_of_frames: int = 1
    transfer_syntax_uid: str = "1.2.840.10008.1.2.1"

    @property
    def frame_length(self) -> int:
        """Bytes of one native (uncompressed) frame; 1-bit frames are not byte aligned."""
        pixels = self.rows * self.columns * self.samples_per_pixel
        if self.bits_allocated == 1:
            return (pixels + 7) // 8
        return pixels * (self.bits_allocated // 8)

    @property
    def shape(self) -> tuple[int, ...]:
        """The shape of one decoded frame."""
        if self.samples_per_pixel == 1:
            return (self.rows, self.columns)
        return (self.rows, self.columns, self.samples_per_pixel)

    def as_dict(self) -> dict[str, Any]:
        """The attributes as a dict (the keyword names pydicom's decoders use)."""
        return {
            "rows": self.rows,
            "columns": self.columns,
            "samples_per_pixel": self.samples_per_pixel,
            "bits_allocated": self.bits_allocated,
            "bits_stored": self.bits_stored,
            "pixel_representation": self.pixel_representation,
            "photometric_interpretation": self.photometric_interpretation,
            "planar_configuration": self.planar_configuration,
            "number_of_frames": self.number_of_frames,
            "transfer_syntax_uid": self.transfer_syntax_uid,
        }
