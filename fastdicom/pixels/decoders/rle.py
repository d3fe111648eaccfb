"""The RLE Lossless decoding plugin (PS3.5 Annex G), over ``fastdicom._rle``.

Registered as the "pydicom" plugin of
:data:`~fastdicom.pixels.decoders.base.RLELosslessDecoder`, the name pydicom
gives its own. The module-level functions are pydicom's
(``pydicom.pixels.decoders.rle``); all decoding is done by the compiled
kernel, which writes each segment's bytes straight to their place.
"""

from __future__ import annotations

from struct import unpack
from typing import Any

import numpy as np

from fastdicom import _rle
from fastdicom.config import warn_and_log
from fastdicom.uid import RLELossless

DECODER_DEPENDENCIES = {RLELossless: ()}


def is_available(uid: str) -> bool:
    """``True`` for RLE Lossless: the plugin needs nothing more."""
    return uid in DECODER_DEPENDENCIES


def _decode_frame(src: bytes, runner: Any) -> bytearray:
    """The plugin function: one RLE frame decoded to planar configuration 1
    bytes (every sample's plane, little endian values).

    Uses the runner's ``rows``, ``columns``, ``samples_per_pixel``,
    ``bits_allocated`` and ``rle_segment_order`` (">" by default, "<" for
    non-conformant little endian segment order).
    """
    frame = _rle_decode_frame(
        src,
        runner.rows,
        runner.columns,
        runner.samples_per_pixel,
        runner.bits_allocated,
        runner.get_option("rle_segment_order", ">"),
    )
    runner.set_option("planar_configuration", 1)
    return frame


def _rle_parse_header(header: bytes) -> list[int]:
    """The segment offsets of the 64-byte RLE header (PS3.5 G.5): a segment
    count, then up to 15 offsets, little endian 32-bit.

    Raises
    ------
    ValueError
        The header isn't 64 bytes or names more than 15 segments.
    """
    if len(header) != 64:
        raise ValueError("The RLE header can only be 64 bytes long")
    nr_segments = unpack("<L", header[:4])[0]
    if nr_segments > 15:
        raise ValueError(
            f"The RLE header specifies an invalid number of segments ({nr_segments})"
        )
    return list(unpack(f"<{nr_segments}L", header[4 : 4 * (nr_segments + 1)]))


def _header(offsets: list[int]) -> bytes:
    """A 64-byte RLE header for segments at `offsets`."""
    return np.array([len(offsets), *offsets] + [0] * (15 - len(offsets)), "<u4").tobytes()


def _rle_decode_frame(
    src: bytes,
    rows: int,
    columns: int,
    nr_samples: int,
    nr_bits: int,
    segment_order: str = ">",
) -> bytearray:
    """Decode one RLE frame to planar configuration 1 bytes: all of the first
    sample's pixels, then the next sample's, each value little endian.

    Parameters
    ----------
    src : bytes
        The frame: the header and its segments.
    rows, columns, nr_samples : int
        The frame's dimensions.
    nr_bits : int
        Bits Allocated, a multiple of 8.
    segment_order : str
        ">" (PS3.5 G.2: most significant byte first) or "<".
    """
    if nr_bits % 8:
        raise NotImplementedError(
            f"Unable to decode RLE encoded pixel data with {nr_bits} bits allocated"
        )
    offsets = _rle_parse_header(src[:64])
    bytes_per_sample = nr_bits // 8
    expected = nr_samples * bytes_per_sample
    if len(offsets) != expected:
        raise ValueError(
            "The number of RLE segments in the pixel data doesn't match the "
            f"expected amount ({len(offsets)} vs. {expected} segments)"
        )
    pixels = rows * columns
    plane = pixels * bytes_per_sample
    decoded = bytearray(plane * nr_samples)
    if not plane:
        return decoded
    out = np.frombuffer(decoded, dtype=np.uint8)
    size = len(src)
    # offsets past the end are the end (their segments are empty)
    offsets = [min(offset, size) for offset in offsets]
    ends = [*offsets[1:], size]
    for sample in range(nr_samples):
        # The kernel decodes one sample's segments at a time, so each lands in
        # its own plane: a header for them, then their bytes. A segment runs
        # to the next one's offset (the last to the end); one whose offset
        # comes before its predecessor's is empty
        first = sample * bytes_per_sample
        start = offsets[first]
        stop = max(start, ends[first + bytes_per_sample - 1])
        local = [64 + max(0, offset - start) for offset in offsets[first : first + bytes_per_sample]]
        chunk = _header(local) + bytes(src[start:stop])
        lengths = _rle.decode_frame(
            chunk,
            out[sample * plane : (sample + 1) * plane],
            pixels,
            1,
            bytes_per_sample,
            segment_order != "<",
        )
        for length in lengths:
            if length != pixels:
                warn_and_log(
                    "The decoded RLE segment contains non-conformant padding "
                    f"- {length} vs. {pixels} bytes expected",
                    stacklevel=2,
                )
    return decoded


def _rle_decode_segment(src: bytes) -> bytearray:
    """One decoded PackBits segment (PS3.5 G.3.1); a truncated run is cut short."""
    if not src:
        return bytearray()
    # A one-segment frame of the segment; the kernel first reports how long the
    # segment decodes to, then decodes it into a buffer of that length
    chunk = _header([64]) + bytes(src)
    scratch = np.empty(1, dtype=np.uint8)
    length = _rle.decode_frame(chunk, scratch, 0, 1, 1, True)[0]
    out = bytearray(length)
    if length:
        _rle.decode_frame(chunk, np.frombuffer(out, np.uint8), length, 1, 1, True)
    return out
