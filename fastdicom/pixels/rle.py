"""RLE Lossless (PS3.5 Annex G) frames as arrays, decoded and encoded by
``fastdicom._rle`` (the encoder through the guard of
:func:`fastdicom.pixels.encoders.native.encode_rle_frame`)."""

from __future__ import annotations

import warnings
from typing import Any

import numpy as np

from fastdicom import _rle, config
from fastdicom.pixels.encoders.native import encode_rle_frame
from fastdicom.pixels.frameinfo import FrameInfo

RLE_LOSSLESS = "1.2.840.10008.1.2.5"


def decode_frame_into(
    src: Any, out: np.ndarray, info: FrameInfo, segment_order: str = ">"
) -> None:
    """Decode one RLE frame into `out` (C-contiguous, shape of one frame,
    native-endian dtype of info.bits_allocated), interleaved samples."""
    if info.bits_allocated % 8:
        raise NotImplementedError(
            f"Unable to decode RLE encoded pixel data with {info.bits_allocated} bits allocated"
        )
    pixels = info.rows * info.columns
    lengths = _rle.decode_frame(
        src,
        out.reshape(-1).view(np.uint8),
        pixels,
        info.samples_per_pixel,
        info.bits_allocated // 8,
        segment_order != "<",
    )
    for length in lengths:
        if length != pixels:
            message = (
                "The decoded RLE segment contains non-conformant padding "
                f"- {length} vs. {pixels} bytes expected"
            )
            config.logger.warning(message)
            warnings.warn(message, UserWarning, stacklevel=4)


def decode_frame(src: Any, info: FrameInfo, segment_order: str = ">") -> np.ndarray:
    """One RLE frame as an array of shape (rows, columns[, samples])."""
    out = np.empty(info.shape, dtype=f"u{info.bits_allocated // 8}")
    decode_frame_into(src, out, info, segment_order)
    return out


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
