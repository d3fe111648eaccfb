"""Description of one frame of pixel data, passed to the frame decoders.

``FrameInfo`` is the contract between the pixel pipeline
(:mod:`fastdicom.pixels.pipeline`) and the codec plugins
(:mod:`fastdicom.pixels.decoders`): a decoder is called as
``decoder(frame_bytes, info)`` and returns a numpy array of shape
``(rows, columns)`` or ``(rows, columns, samples_per_pixel)`` with the
dtype pydicom 3 gives for that frame.
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
