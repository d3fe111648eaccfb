"""The RLE Lossless encoding plugin (PS3.5 Annex G), over ``fastdicom._rle``.

Registered as the "pydicom" plugin of
:data:`~fastdicom.pixels.encoders.base.RLELosslessEncoder`, the name pydicom
gives its own; the module-level functions are pydicom's
(``pydicom.pixels.encoders.native``). The compiled kernel encodes each row of
each segment separately (PS3.5 G.3.1), replicate runs for repeats of two or
more, literal runs of at most 128 bytes otherwise, as pydicom does.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from fastdicom import _rle
from fastdicom.uid import RLELossless

ENCODER_DEPENDENCIES = {RLELossless: ()}


def is_available(uid: str) -> bool:
    """``True``: the plugin needs nothing more."""
    return True


def _encode_frame(src: bytes, runner: Any) -> bytes:
    """The plugin function: one frame of little endian, interleaved samples
    (``runner.get_frame()``) RLE encoded, header first."""
    if runner.get_option("byteorder", "<") == ">":
        raise ValueError("Unsupported option \"byteorder = '>'\"")
    bytes_allocated = math.ceil(runner.bits_allocated / 8)
    if bytes_allocated * runner.samples_per_pixel > 15:
        raise ValueError(
            "Unable to encode as the DICOM standard only allows "
            "a maximum of 15 segments in RLE encoded data"
        )
    return encode_rle_frame(
        _contiguous(src), runner.rows, runner.columns, runner.samples_per_pixel, bytes_allocated
    )


def encode_rle_frame(src: Any, rows: int, columns: int, samples: int, bytes_per_sample: int) -> bytes:
    """RLE encode one frame of interleaved little endian values with the kernel.

    The kernel sizes its output for the worst case of PackBits (single bytes
    between runs of exactly two grow a row by a third, PS3.5 G.3.1) and checks
    its room before every row.
    """
    return _rle.encode_frame(src, rows, columns, samples, bytes_per_sample)


def _contiguous(src: Any) -> Any:
    """`src` as something the kernel takes (a contiguous byte buffer)."""
    if isinstance(src, (bytes, bytearray)):
        return src
    return np.ascontiguousarray(np.frombuffer(memoryview(src).cast("B"), np.uint8))


def _packbits_length(data: bytes | bytearray) -> int:
    """The length of the PackBits stream at the start of `data`: the kernel
    pads an odd-length segment with a zero byte, which a complete stream
    never starts another run with (that run would go past the end)."""
    pos, end = 0, len(data)
    while pos < end:
        header = data[pos]
        step = 2 if header > 128 else (1 if header == 128 else header + 2)
        if pos + step > end:
            break
        pos += step
    return pos


def _encode_segment(src: bytes, columns: int) -> bytearray:
    """One segment of bytes, each row of `columns` encoded separately and an
    odd-length result padded with a zero byte (PS3.5 G.3.1, G.5)."""
    src = bytes(src)
    rows, rest = divmod(len(src), columns) if columns else (0, len(src))
    out = bytearray(encode_rle_frame(src, rows, columns, 1, 1)[64:]) if rows else bytearray()
    if rest:
        # a last, partial row (not a whole frame): encoded on its own
        out = out[: _packbits_length(out)]
        out += _encode_row(src[rows * columns :])
        out += b"\x00" * (len(out) % 2)
    return out


def _encode_row(src: bytes) -> bytes:
    """One row of bytes PackBits encoded (PS3.5 G.3.1), without padding."""
    src = bytes(src)
    if not src:
        return b""
    encoded = encode_rle_frame(src, 1, len(src), 1, 1)[64:]
    return encoded[: _packbits_length(encoded)] if len(encoded) % 2 == 0 else encoded
