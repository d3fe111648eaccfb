"""RLE Lossless (PS3.5 Annex G) frames as arrays: conveniences over the RLE
plugins, :mod:`fastdicom.pixels.decoders.rle` and
:mod:`fastdicom.pixels.encoders.native` (both ``fastdicom._rle``)."""

from __future__ import annotations

from typing import Any

import numpy as np

from fastdicom.pixels.decoders.rle import _rle_decode_frame
from fastdicom.pixels.encoders.native import encode_rle_frame
from fastdicom.pixels.frameinfo import FrameInfo

RLE_LOSSLESS = "1.2.840.10008.1.2.5"


def decode_frame(src: Any, info: FrameInfo, segment_order: str = ">") -> np.ndarray:
    """One RLE frame as an array of shape (rows, columns[, samples]), native
    unsigned values of *Bits Allocated*."""
    planes = _rle_decode_frame(
        src, info.rows, info.columns, info.samples_per_pixel, info.bits_allocated, segment_order
    )
    arr = np.frombuffer(planes, dtype=f"<u{info.bits_allocated // 8}").astype(
        f"=u{info.bits_allocated // 8}", copy=False
    )
    if info.samples_per_pixel == 1:
        return arr.reshape(info.rows, info.columns)
    planar = arr.reshape(info.samples_per_pixel, info.rows, info.columns)
    return np.ascontiguousarray(planar.transpose(1, 2, 0))


def encode_frame(arr: np.ndarray, bits_allocated: int | None = None) -> bytes:
    """RLE encode one frame given as an array (rows, columns[, samples])."""
    arr = np.asarray(arr)
    if arr.ndim not in (2, 3):
        raise ValueError("A frame must have shape (rows, columns) or (rows, columns, samples)")
    rows, columns = arr.shape[:2]
    samples = arr.shape[2] if arr.ndim == 3 else 1
    itemsize = arr.dtype.itemsize if bits_allocated is None else -(-bits_allocated // 8)
    if arr.dtype.kind == "b":
        arr = arr.astype("u1")
    data = np.ascontiguousarray(arr, dtype=arr.dtype.newbyteorder("<"))
    if data.dtype.itemsize != itemsize:
        data = data.astype(f"<u{itemsize}" if itemsize > 1 else "u1")
    return encode_rle_frame(data.reshape(-1).view(np.uint8), rows, columns, samples, itemsize)


def encode_bytes(
    src: bytes, rows: int, columns: int, samples_per_pixel: int, bits_allocated: int
) -> bytes:
    """RLE encode one frame of little-endian interleaved bytes (pydicom's
    ``_encode_frame`` input)."""
    return encode_rle_frame(src, rows, columns, samples_per_pixel, -(-bits_allocated // 8))
