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


def _zero_row_length(columns: int) -> int:
    """The encoded length of a row of `columns` zero bytes (replicate runs)."""
    return 2 * -(-columns // 128)


def encode_rle_frame(src: Any, rows: int, columns: int, samples: int, bytes_per_sample: int) -> bytes:
    """RLE encode one frame of interleaved little endian values with the kernel.

    The kernel's output buffer holds ``columns + columns // 128 + 4`` bytes a
    row, while a row of single bytes between runs of exactly two encodes to
    up to 4/3 of its length. Such frames are given extra rows of zeros (which
    encode to a few bytes and add a row's room each), whose encoding is then
    cut from the end of every segment.
    """
    segments = samples * bytes_per_sample
    if rows < 1 or columns < 3 or segments > 15:
        return _rle.encode_frame(src, rows, columns, samples, bytes_per_sample)
    data = np.frombuffer(src, np.uint8, count=rows * columns * segments).reshape(rows, columns, segments)
    # each segment's rows, contiguous, for the run counts
    planes = np.ascontiguousarray(data.transpose(2, 0, 1))
    equal = planes[:, :, 1:] == planes[:, :, :-1]
    # bound: a row encodes to at most columns + columns // 128 + 1 bytes plus
    # one per run of exactly two equal bytes; the kernel allows 3 more a row
    spare = 2 * rows * segments
    if np.count_nonzero(equal) <= spare:
        return _rle.encode_frame(src, rows, columns, samples, bytes_per_sample)
    # runs of exactly two: an equal pair with no equal neighbour pair
    pairs = np.count_nonzero(equal[:, :, 1:-1] & ~equal[:, :, :-2] & ~equal[:, :, 2:])
    pairs += np.count_nonzero(equal[:, :, 0] & ~equal[:, :, 1])
    pairs += np.count_nonzero(equal[:, :, -1] & ~equal[:, :, -2])
    if pairs <= spare:
        return _rle.encode_frame(src, rows, columns, samples, bytes_per_sample)
    zero_row = _zero_row_length(columns)
    room = columns + columns // 128 + 4 - zero_row
    extra = int(pairs) // (room * segments) + 2
    frame = np.concatenate([data, np.zeros((extra, columns, segments), np.uint8)])
    encoded = _rle.encode_frame(frame.reshape(-1), rows + extra, columns, samples, bytes_per_sample)
    # cut the zero rows' runs (and the padding byte after them) from each segment
    zeros = _rle.encode_frame(bytes(columns * extra), extra, columns, 1, 1)[64:]
    zeros = zeros[: extra * zero_row]
    offsets = [*np.frombuffer(encoded[4 : 4 + 4 * segments], "<u4").tolist(), len(encoded)]
    body = bytearray()
    starts = []
    for k in range(segments):
        segment = encoded[offsets[k] : offsets[k + 1]]
        starts.append(64 + len(body))
        # unpadded, the segment ends with the zero rows' runs; padded, they
        # are one byte earlier (a run's header byte is never zero here)
        end = len(segment) if segment.endswith(zeros) else len(segment) - 1
        real = segment[: end - len(zeros)]
        body += real + b"\x00" * (len(real) % 2)
    header = np.array([segments, *starts] + [0] * (15 - segments), "<u4").tobytes()
    return header + bytes(body)


def _contiguous(src: Any) -> Any:
    """`src` as something the kernel takes (a contiguous byte buffer)."""
    if isinstance(src, (bytes, bytearray)):
        return src
    return np.ascontiguousarray(np.frombuffer(memoryview(src).cast("B"), np.uint8))


def _packbits_length(data: bytes) -> int:
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
