"""Pixel data utilities: pydicom 3's ``pydicom.pixels.utils`` API.

The decoding itself is :mod:`fastdicom.pixels.pipeline` (native, RLE and the
codec plugins); :func:`pixel_array` and :func:`iter_pixels` are the
pipeline's entry points, and :func:`compress`, :func:`decompress` and
:func:`set_pixel_data` those of :mod:`fastdicom.pixels.encoders`. What is
here works on a Dataset's Image Pixel module (PS3.3 C.7.6.3) or on raw
bytes: dtypes, shapes and lengths, bit packing (PS3.5 §8.1.1), the
YBR_FULL_422 layout (PS3.3 C.7.6.3.1.2) and the codestream headers.
"""

from __future__ import annotations

import importlib
from sys import byteorder
from typing import TYPE_CHECKING, Any, Literal, overload

import numpy as np

from fastdicom import _pixels
from fastdicom.config import logger, warn_and_log
from fastdicom.pixels.encoders import compress, decompress, set_pixel_data
from fastdicom.pixels.common import as_pixel_options, expand_ybr422_array
from fastdicom.pixels.decoders._markers import j2k_parameters, jpeg_parameters
from fastdicom.pixels.pipeline import iter_pixels, pixel_array

if TYPE_CHECKING:  # pragma: no cover
    from fastdicom.dataset import Dataset

__all__ = [
    "as_pixel_options",
    "compress",
    "decompress",
    "expand_ybr422",
    "get_expected_length",
    "get_image_pixel_ids",
    "get_j2k_parameters",
    "get_nr_frames",
    "iter_pixels",
    "pack_bits",
    "pixel_array",
    "pixel_dtype",
    "reshape_pixel_array",
    "set_pixel_data",
    "unpack_bits",
]

HAVE_NP = True

# Transfer syntaxes whose codecs return colour-by-pixel data whatever the
# (0028,0006) Planar Configuration says (pydicom's reshape_pixel_array rule)
_PIXEL_INTERLEAVED = {
    "1.2.840.10008.1.2.4.50",
    "1.2.840.10008.1.2.4.57",
    "1.2.840.10008.1.2.4.70",
    "1.2.840.10008.1.2.4.80",
    "1.2.840.10008.1.2.4.81",
    "1.2.840.10008.1.2.4.90",
    "1.2.840.10008.1.2.4.91",
}
# RLE Lossless segments are colour-by-plane (PS3.5 §G.2)
_PLANE_INTERLEAVED = {"1.2.840.10008.1.2.5"}


def expand_ybr422(src: bytes | bytearray | memoryview, bits_allocated: int) -> bytes:
    """Expand native YBR_FULL_422 data (Y1 Y2 Cb Cr) to YBR_FULL (Y1 Cb Cr Y2 Cb Cr),
    PS3.3 C.7.6.3.1.2.

    Parameters
    ----------
    src : bytes
        The subsampled data.
    bits_allocated : int
        8, 16, ...: the size of each sample.

    Returns
    -------
    bytes
        One and a half times as long as `src`.
    """
    # Whole samples are moved, so a void dtype of the sample size will do
    samples = np.frombuffer(src, dtype=np.dtype(f"V{bits_allocated // 8}"))
    return expand_ybr422_array(samples).tobytes()


def get_expected_length(ds: Dataset, unit: str = "bytes") -> int:
    """The length of the native Pixel Data of `ds` in whole bytes (without the
    padding byte of an odd length) or in pixels.

    Parameters
    ----------
    ds : Dataset
        With Rows, Columns, Samples per Pixel, Bits Allocated, Photometric
        Interpretation and, optionally, Number of Frames.
    unit : str, optional
        ``"bytes"`` (default) or ``"pixels"``.

    Returns
    -------
    int
    """
    length: int = ds.Rows * ds.Columns * ds.SamplesPerPixel * get_nr_frames(ds)
    if unit == "pixels":
        return length
    bits_allocated = ds.BitsAllocated
    if bits_allocated == 1:
        # PS3.5 §8.1.1: 1-bit pixels are packed across frame boundaries
        length = (length + 7) // 8
    else:
        length *= bits_allocated // 8
    if ds.PhotometricInterpretation == "YBR_FULL_422":
        length = length // 3 * 2  # two thirds of the samples, C.7.6.3.1.2
    return length


# The elements a decoded array depends on (PS3.3 C.7.6.3, C.7.6.24), the
# Extended Offset Table (C.7.6.3.1.8) and the transfer syntax, by keyword
_PIXEL_ID_TAGS = {
    0x00280002: "SamplesPerPixel",
    0x00280004: "PhotometricInterpretation",
    0x00280006: "PlanarConfiguration",
    0x00280008: "NumberOfFrames",
    0x00280010: "Rows",
    0x00280011: "Columns",
    0x00280100: "BitsAllocated",
    0x00280101: "BitsStored",
    0x00280103: "PixelRepresentation",
    0x7FE00008: "FloatPixelData",
    0x7FE00009: "DoubleFloatPixelData",
    0x7FE00010: "PixelData",
    0x7FE00001: "ExtendedOffsetTable",
    0x7FE00002: "ExtendedOffsetTableLengths",
}
_PIXEL_ID_KEYWORDS = tuple(_PIXEL_ID_TAGS.values())
_PIXEL_ID_TAG_LIST = tuple(_PIXEL_ID_TAGS)
_TRANSFER_SYNTAX_UID = 0x00020010


def get_image_pixel_ids(ds: Dataset) -> dict[str, Any]:
    """A token per Image Pixel element of `ds` (and its pixel data, Extended
    Offset Table and transfer syntax), keyed by keyword, that changes when the
    element or its value is replaced: a cached array is current while the
    tokens are equal.

    As pydicom's, the tokens are identities; unlike pydicom's, they are found
    without reading a value that is still in the file (an element not yet
    accessed is identified by where it is in the file's buffer), so checking
    never copies the pixel data.

    Parameters
    ----------
    ds : Dataset

    Returns
    -------
    dict[str, Any]
    """
    ids = dict(zip(_PIXEL_ID_KEYWORDS, ds._dict.identities(_PIXEL_ID_TAG_LIST)))
    meta = ds.__dict__.get("file_meta")
    identity = getattr(getattr(meta, "_dict", None), "identity", None)
    if identity is not None:
        # The same kind of token, found without making the element
        ids["TransferSyntaxUID"] = identity(_TRANSFER_SYNTAX_UID)
    else:
        elem = meta.get(_TRANSFER_SYNTAX_UID) if meta is not None else None
        ids["TransferSyntaxUID"] = (id(elem), id(getattr(elem, "value", None)))
    return ids


def get_j2k_parameters(codestream: bytes) -> dict[str, Any]:
    """The precision and signedness of a JPEG 2000 codestream (ISO/IEC 15444-1
    A.5.1 SIZ), skipping a JP2 header if there is one.

    Parameters
    ----------
    codestream : bytes

    Returns
    -------
    dict[str, Any]
        ``jp2``, ``precision``, ``is_signed``; empty if unreadable.
    """
    return j2k_parameters(codestream)


def _get_jpg_parameters(src: bytes) -> dict[str, Any]:
    """The header parameters of a JPEG (ISO/IEC 10918-1) or JPEG-LS (14495-1)
    codestream: ``precision``, ``height``, ``width``, ``components``,
    ``component_ids``, ``app`` (if there are APPn markers) and, for JPEG-LS,
    ``lossy_error`` and ``interleave_mode``; empty if unreadable."""
    info = jpeg_parameters(src)
    info.pop("process", None)
    return info


def get_nr_frames(ds: Dataset, warn: bool = True) -> int:
    """The (0028,0008) Number of Frames of `ds`: 1 when absent, and 1 (with a
    warning if `warn`) when empty or 0.

    Parameters
    ----------
    ds : Dataset
    warn : bool, optional

    Returns
    -------
    int
    """
    frames = getattr(ds, "NumberOfFrames", 1)
    if not frames:
        if warn:
            warn_and_log(
                f"A value of {frames} for (0028,0008) 'Number of Frames' is "
                "non-conformant. It's recommended that this value be "
                "changed to 1"
            )
        frames = 1
    return int(frames)


def pack_bits(arr: np.ndarray, pad: bool = True) -> bytes:
    """Pack an array of 0s and 1s into bytes, the first pixel in bit 0 (PS3.5 §8.1.1).

    Parameters
    ----------
    arr : numpy.ndarray
        Any shape, values 0 or 1 only.
    pad : bool, optional
        Add a null byte to make an odd length even (default True).

    Returns
    -------
    bytes
    """
    arr = np.asarray(arr)
    if arr.shape == (0,):
        return b""
    if not np.isin(arr, (0, 1)).all():
        raise ValueError("Only binary arrays (containing ones or zeroes) can be packed.")
    flat = np.ascontiguousarray(arr.ravel(), dtype=np.uint8)
    out = np.empty((flat.size + 7) // 8, dtype=np.uint8)
    _pixels.pack_bits(flat, out)
    packed = out.tobytes()
    if pad and len(packed) % 2:
        packed += b"\x00"
    return packed


@overload
def unpack_bits(src: bytes, as_array: Literal[True] = ...) -> np.ndarray: ...
@overload
def unpack_bits(src: bytes, as_array: Literal[False]) -> bytes: ...
@overload
def unpack_bits(src: bytes, as_array: bool = ...) -> np.ndarray | bytes: ...
def unpack_bits(src: bytes, as_array: bool = True) -> np.ndarray | bytes:
    """Unpack bit-packed data, bit 0 of each byte first (PS3.5 §8.1.1).

    Parameters
    ----------
    src : bytes
    as_array : bool, optional
        Return a uint8 array (default) rather than bytes of 0 and 1.

    Returns
    -------
    numpy.ndarray or bytes
        Eight values per byte of `src`.
    """
    data = src if isinstance(src, (bytes, bytearray)) else bytes(src)
    out = np.empty(len(data) * 8, dtype=np.uint8)
    _pixels.unpack_bits(data, 0, len(data) * 8, out)
    return out if as_array else out.tobytes()


def _passes_version_check(package_name: str, minimum_version: tuple[int, ...]) -> bool:
    """True if `package_name` is importable and its ``__version__`` is at least
    `minimum_version`; the reason is logged at debug level otherwise."""
    try:
        module = importlib.import_module(package_name)
        version = tuple(int(part) for part in module.__version__.split("."))
    except Exception as exc:
        logger.debug(exc)
        return False
    return version >= minimum_version


def _little_endian(ds: Dataset) -> bool | None:
    """The byte order the transfer syntax of `ds` gives, else that it was read in."""
    if hasattr(ds, "file_meta"):
        return ds.file_meta._tsyntax_encoding[1]
    return ds.original_encoding[1]


def pixel_dtype(ds: Dataset, as_float: bool = False) -> np.dtype:
    """The dtype of the native pixel data of `ds`, in the dataset's byte order.

    Parameters
    ----------
    ds : Dataset
        With Bits Allocated and Pixel Representation (PS3.3 C.7.6.3), and a
        transfer syntax or read encoding that gives the byte order.
    as_float : bool, optional
        Float Pixel Data (PS3.3 C.7.6.24): a float of Bits Allocated bits.

    Returns
    -------
    numpy.dtype
    """
    little = _little_endian(ds)
    if little is None:
        raise AttributeError(
            "Unable to determine the endianness of the dataset, please set "
            "an appropriate Transfer Syntax UID in "
            f"'{type(ds).__name__}.file_meta'"
        )
    if as_float:
        kind = "float"
    else:
        representation = ds.PixelRepresentation
        if representation not in (0, 1):
            raise ValueError(
                "Unable to determine the data type to use to contain the "
                f"Pixel Data as a value of '{representation}' for '(0028,0103) "
                "Pixel Representation' is invalid"
            )
        kind = ("uint", "int")[representation]
    bits_allocated = ds.BitsAllocated
    if bits_allocated == 1:
        name = "uint8"
    elif bits_allocated > 0 and bits_allocated % 8 == 0:
        name = f"{kind}{bits_allocated}"
    else:
        raise ValueError(
            "Unable to determine the data type to use to contain the "
            f"Pixel Data as a value of '{bits_allocated}' for '(0028,0100) "
            "Bits Allocated' is invalid"
        )
    try:
        dtype = np.dtype(name)
    except TypeError:
        raise NotImplementedError(
            f"The data type '{name}' needed to contain the Pixel Data "
            "is not supported by numpy"
        ) from None
    if little != (byteorder == "little"):
        dtype = dtype.newbyteorder("S")
    return dtype


def reshape_pixel_array(ds: Dataset, arr: np.ndarray) -> np.ndarray:
    """The 1-D pixel array `arr` shaped by the Image Pixel module of `ds`:
    (rows, columns[, samples]) or (frames, rows, columns[, samples]).

    Colour-by-plane data (Planar Configuration 1, PS3.3 C.7.6.3.1.3) is
    returned as a view with the samples last.

    Parameters
    ----------
    ds : Dataset
    arr : numpy.ndarray

    Returns
    -------
    numpy.ndarray
    """
    frames = get_nr_frames(ds)
    samples = ds.SamplesPerPixel
    if samples < 1:
        raise ValueError(
            f"Unable to reshape the pixel array as a value of {samples} "
            "for (0028,0002) 'Samples per Pixel' is invalid."
        )
    planar = 0
    if samples > 1:
        tsyntax = ds.file_meta.TransferSyntaxUID
        if tsyntax in _PIXEL_INTERLEAVED:
            planar = 0
        elif tsyntax in _PLANE_INTERLEAVED:
            planar = 1
        else:
            planar = ds.PlanarConfiguration
        if planar not in (0, 1):
            raise ValueError(
                "Unable to reshape the pixel array as a value of "
                f"{planar} for (0028,0006) 'Planar Configuration' is invalid."
            )
    rows, columns = ds.Rows, ds.Columns
    lead = (frames,) if frames > 1 else ()
    if samples == 1:
        return arr.reshape(*lead, rows, columns)
    if planar == 0:
        return arr.reshape(*lead, rows, columns, samples)
    arr = arr.reshape(*lead, samples, rows, columns)
    return arr.transpose(0, 2, 3, 1) if lead else arr.transpose(1, 2, 0)
