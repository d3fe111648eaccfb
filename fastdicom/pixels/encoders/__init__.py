"""Pixel data encoders, one :class:`~fastdicom.pixels.encoders.base.Encoder`
per transfer syntax (pydicom 3's ``pydicom.pixels.encoders``), and
``compress``, ``decompress`` and ``set_pixel_data`` with pydicom 3's
semantics, plus the syntaxes pydicom cannot write.

=========================  ==========================================
Transfer syntax            Encoding plugins
=========================  ==========================================
RLE Lossless               "pydicom": fastdicom._rle (compiled)
JPEG-LS (both)             "pyjpegls" (precision = Bits Stored, as
                           pydicom); "imagecodecs" (CharLS)
JPEG 2000 Lossless         "imagecodecs" (OpenJPEG), "pylibjpeg"
JPEG 2000 (lossy)          "pylibjpeg" (pylibjpeg-openjpeg) for
                           ``j2k_cr`` and ``j2k_psnr``
HTJ2K (the three)          "imagecodecs" (OpenJPH)
JPEG Baseline / Extended   "imagecodecs" (libjpeg-turbo)
JPEG Lossless P14 / SV1    "imagecodecs" (libjpeg-turbo)
=========================  ==========================================

A missing package is named in the error raised.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from fastdicom.dataset import FileMetaDataset
from fastdicom.encaps import encapsulate, encapsulate_extended
from fastdicom.pixels.common import IMAGE_PIXEL, as_pixel_options
from fastdicom.pixels.decoders.base import get_decoder
from fastdicom.pixels.decoders._common import CodecUnavailableError
from fastdicom.pixels.encoders._codecs import (
    _LOSSLESS,
    EXPLICIT_VR_LE,
    JLS_LOSSLESS,
    available_encoders,
    encode_frame,
    encoded_photometric,
)
from fastdicom.pixels.encoders.base import (
    EncodeRunner,
    Encoder,
    HTJ2KEncoder,
    HTJ2KLosslessEncoder,
    HTJ2KLosslessRPCLEncoder,
    JPEG2000Encoder,
    JPEG2000LosslessEncoder,
    JPEGBaseline8BitEncoder,
    JPEGExtended12BitEncoder,
    JPEGLosslessEncoder,
    JPEGLosslessSV1Encoder,
    JPEGLSLosslessEncoder,
    JPEGLSNearLosslessEncoder,
    RLELosslessEncoder,
    get_encoder,
)
from fastdicom.pixels.pipeline import pixel_array
from fastdicom.uid import UID, JPEG2000, JPEGLSNearLossless, generate_uid

__all__ = [
    "CodecUnavailableError",
    "EncodeRunner",
    "Encoder",
    "HTJ2KEncoder",
    "HTJ2KLosslessEncoder",
    "HTJ2KLosslessRPCLEncoder",
    "JPEG2000Encoder",
    "JPEG2000LosslessEncoder",
    "JPEGBaseline8BitEncoder",
    "JPEGExtended12BitEncoder",
    "JPEGLSLosslessEncoder",
    "JPEGLSNearLosslessEncoder",
    "JPEGLosslessEncoder",
    "JPEGLosslessSV1Encoder",
    "RLELosslessEncoder",
    "available_encoders",
    "compress",
    "decompress",
    "encode_frame",
    "get_encoder",
    "set_pixel_data",
]


def _native_frames_usable(ds: Any, tsyntax: UID) -> bool:
    """Whether the dataset's native bytes can be given to the encoder as they
    are (pydicom encodes them): little endian, whole bytes, interleaved,
    not subsampled."""
    return (
        tsyntax.is_little_endian
        and int(ds.get("BitsAllocated", 8) or 8) != 1
        and ds.get("PhotometricInterpretation", "") != "YBR_FULL_422"
        and (int(ds.get("SamplesPerPixel", 1) or 1) == 1 or int(ds.get("PlanarConfiguration", 0) or 0) == 0)
        and "PixelData" in ds
    )


def compress(
    ds: Any,
    transfer_syntax_uid: str,
    arr: np.ndarray | None = None,
    *,
    encoding_plugin: str = "",
    encapsulate_ext: bool = False,
    generate_instance_uid: bool = True,
    jls_error: int | None = None,
    j2k_cr: list[float] | None = None,
    j2k_psnr: list[float] | None = None,
    **kwargs: Any,
) -> Any:
    """Compress the pixel data of `ds` (or `arr`) in place to `transfer_syntax_uid`
    with the syntax's :class:`~fastdicom.pixels.encoders.base.Encoder`, as
    pydicom 3's ``pixels.utils.compress`` (also :mod:`fastdicom.pixels.utils`'s).

    Parameters
    ----------
    ds : Dataset
    transfer_syntax_uid : str
        The compressed transfer syntax to use.
    arr : numpy.ndarray, optional
        Pixels to compress instead of those of `ds`.
    encoding_plugin : str, optional
        The plugin to encode with.
    encapsulate_ext : bool, optional
        Add an Extended Offset Table (PS3.3 C.7.6.3.1.8).
    generate_instance_uid : bool, optional
        Give the dataset a new SOP Instance UID (default True).
    jls_error, j2k_cr, j2k_psnr
        Lossy JPEG-LS and JPEG 2000 parameters.
    **kwargs
        Further encoding options: ``quality`` (lossy JPEG 1-100, HTJ2K),
        ``predictor`` (JPEG Lossless P14, 1-7); the Image Pixel values of `ds`
        cannot be overridden.

    Returns
    -------
    Dataset
        `ds`, compressed.
    """
    for option in IMAGE_PIXEL.values():
        kwargs.pop(option, None)
    uid = UID(transfer_syntax_uid)
    encoder = get_encoder(uid)
    if not encoder.is_available:
        missing = "\n".join(f"    {line}" for line in encoder.missing_dependencies)
        raise RuntimeError(
            f"The pixel data encoder for '{uid.name}' is unavailable because all "
            f"of its plugins are missing dependencies:\n{missing}"
        )
    if jls_error and uid == JLS_LOSSLESS:
        raise ValueError(
            f"A 'jls_error' value of '{jls_error}' is being used with a transfer syntax "
            "of 'JPEG-LS Lossless' - did you mean to use 'JPEG-LS Near Lossless' instead?"
        )
    if uid == JPEGLSNearLossless and jls_error is not None:
        kwargs["jls_error"] = jls_error
    if uid == JPEG2000:
        if j2k_cr is not None:
            kwargs["j2k_cr"] = j2k_cr
        if j2k_psnr is not None:
            kwargs["j2k_psnr"] = j2k_psnr
    expanded = False
    if arr is None:
        file_meta = getattr(ds, "file_meta", None)
        tsyntax = file_meta.get("TransferSyntaxUID", "") if file_meta is not None else ""
        if not tsyntax:
            raise AttributeError(
                "Unable to determine the initial compression state of the dataset "
                "as there's no (0002,0010) 'Transfer Syntax UID' element in the "
                "dataset's 'file_meta' attribute"
            )
        tsyntax = UID(tsyntax)
        if tsyntax.is_compressed:
            raise ValueError("Only uncompressed datasets may be compressed")
        if _native_frames_usable(ds, tsyntax):
            frames = encoder.iter_encode(ds, encoding_plugin=encoding_plugin, **kwargs)
        else:
            # Big endian, bit-packed, planar or subsampled data: decoded first
            arr = pixel_array(ds, raw=True)
            expanded = ds.get("PhotometricInterpretation", "") == "YBR_FULL_422"
            opts = as_pixel_options(ds, **kwargs)
            if expanded:
                opts["photometric_interpretation"] = "YBR_FULL"
            if opts.get("samples_per_pixel", 1) > 1:
                opts["planar_configuration"] = 0
            frames = encoder.iter_encode(arr, encoding_plugin=encoding_plugin, **opts)
    else:
        opts = as_pixel_options(ds, **kwargs)
        frames = encoder.iter_encode(arr, encoding_plugin=encoding_plugin, **opts)
    encoded = list(frames)
    total = (len(encoded) - 1) * 8 + sum(len(f) for f in encoded[:-1])
    if encapsulate_ext or total > 2**32 - 1:
        ds.PixelData, ds.ExtendedOffsetTable, ds.ExtendedOffsetTableLengths = encapsulate_extended(encoded)
    else:
        ds.PixelData = encapsulate(encoded)
    # PS3.5 A.4: encapsulated pixel data is OB of undefined length
    elem = ds["PixelData"]
    elem.is_undefined_length = True
    elem.VR = "OB"
    samples = int(ds.get("SamplesPerPixel", 1) or 1)
    pi = "YBR_FULL" if expanded else str(ds.get("PhotometricInterpretation", ""))
    new_pi = encoded_photometric(str(uid), pi, samples) or (pi if expanded else None)
    if new_pi:
        ds.PhotometricInterpretation = new_pi
    if samples > 1 and (arr is not None or expanded):
        ds.PlanarConfiguration = 0
    _reset_cache(ds)
    _set_transfer_syntax(ds, uid)
    if uid not in _LOSSLESS:
        ds.LossyImageCompression = "01"
    if generate_instance_uid:
        _new_instance_uid(ds)
    return ds


def _reset_cache(ds: Any) -> None:
    for name in ("_pixel_array", "_pixel_id"):
        if name in ds.__dict__:
            ds.__dict__[name] = None if name == "_pixel_array" else {}


def _set_transfer_syntax(ds: Any, uid: str) -> None:
    if getattr(ds, "file_meta", None) is None:
        ds.file_meta = FileMetaDataset()
    ds.file_meta.TransferSyntaxUID = UID(uid)


def _new_instance_uid(ds: Any) -> None:
    instance_uid = generate_uid()
    ds.SOPInstanceUID = instance_uid
    ds.file_meta.MediaStorageSOPInstanceUID = instance_uid


def _compressed_syntax(ds: Any) -> UID:
    """The transfer syntax of `ds`, which must hold compressed Pixel Data
    (the checks before any decompression, pydicom's messages)."""
    if "PixelData" not in ds:
        raise AttributeError(
            "Unable to decompress as the dataset has no (7FE0,0010) 'Pixel Data' element"
        )
    file_meta = getattr(ds, "file_meta", None)
    tsyntax = file_meta.get("TransferSyntaxUID", "") if file_meta is not None else ""
    if not tsyntax:
        raise AttributeError(
            "Unable to determine the initial compression state as there's no "
            "(0002,0010) 'Transfer Syntax UID' element in the dataset's 'file_meta' "
            "attribute"
        )
    uid = UID(tsyntax)
    if not uid.is_compressed:
        raise ValueError("The dataset is already uncompressed")
    return uid


def _store_native(ds: Any, frames: list[bytes], generate_instance_uid: bool) -> None:
    """Make the decompressed `frames` the Pixel Data of `ds`: native, Explicit
    VR Little Endian, OB or OW by the (final) Bits Allocated."""
    # PS3.5 §8.1.1: the value length is a 32-bit field, and even
    length = sum(len(frame) for frame in frames)
    if length >= 2**32 - 1:
        raise ValueError(
            "Unable to decompress as the length of the uncompressed pixel data "
            "will be greater than the maximum allowed by the DICOM Standard"
        )
    elem = ds["PixelData"]
    elem.value = b"".join([*frames, b"\x00"] if length % 2 else frames)
    elem.is_undefined_length = False
    elem.VR = "OB" if int(ds.BitsAllocated) <= 8 else "OW"
    ds.file_meta.TransferSyntaxUID = _uid(EXPLICIT_VR_LE)
    if generate_instance_uid:
        _new_instance_uid(ds)


def decompress(
    ds: Any,
    *,
    as_rgb: bool = True,
    generate_instance_uid: bool = True,
    decoding_plugin: str = "",
    **kwargs: Any,
) -> Any:
    """Decompress the pixel data of `ds` in place to Explicit VR Little Endian
    with the syntax's :class:`~fastdicom.pixels.decoders.base.Decoder`, as
    pydicom 3's ``pixels.utils.decompress`` (also :mod:`fastdicom.pixels.utils`'s).

    Parameters
    ----------
    ds : Dataset
    as_rgb : bool, optional
        Convert YBR colour data to RGB (default True).
    generate_instance_uid : bool, optional
        Give the dataset a new SOP Instance UID (default True).
    decoding_plugin : str, optional
        The plugin to decode with (with ``use_pdh=True``: the pixel data
        handler's name).
    **kwargs
        Further decoding options; ``use_pdh=True`` decodes with the deprecated
        pixel data handlers instead.

    Returns
    -------
    Dataset
        `ds`, decompressed.
    """
    if kwargs.pop("use_pdh", False):
        return _decompress_with_handlers(ds, generate_instance_uid, decoding_plugin)
    uid = _compressed_syntax(ds)
    decoder = get_decoder(uid)
    if not decoder.is_available:
        missing = "\n".join(f"    {line}" for line in decoder.missing_dependencies)
        raise RuntimeError(
            f"Unable to decompress as the plugins for the '{uid.name}' decoder "
            f"are all missing dependencies:\n{missing}"
        )
    # Frames are decompressed all together, never one alone
    kwargs.pop("index", None)
    frames: list[bytes] = []
    properties: dict[str, Any] = {}
    itemsize = 0
    for arr, properties in decoder.iter_array(
        ds, decoding_plugin=decoding_plugin, as_rgb=as_rgb, **kwargs
    ):
        frames.append(arr.tobytes())
        itemsize = arr.dtype.itemsize
    nr_frames = len(frames)
    # the array's container may differ from the dataset's (JPEG-LS/J2K
    # precision), so Bits Allocated follows what was written
    allocated = int(ds.get("BitsAllocated", 8))
    if itemsize and allocated != 1 and allocated != 8 * itemsize:
        ds.BitsAllocated = 8 * itemsize
    _store_native(ds, frames, generate_instance_uid)
    for name in ("ExtendedOffsetTable", "ExtendedOffsetTableLengths"):
        if name in ds:
            del ds[name]
    if properties.get("photometric_interpretation"):
        ds.PhotometricInterpretation = properties["photometric_interpretation"]
    if int(properties.get("samples_per_pixel", 1)) > 1:
        ds.PlanarConfiguration = int(properties.get("planar_configuration", 0))
    if "NumberOfFrames" in ds or nr_frames > 1:
        ds.NumberOfFrames = nr_frames
    _reset_cache(ds)
    return ds


def _decompress_with_handlers(ds: Any, generate_instance_uid: bool, handler_name: str) -> Any:
    """Decompress `ds` with the deprecated pixel data handlers (pydicom 3's
    ``use_pdh`` path): the array from ``ds.convert_pixel_data(handler_name)``
    becomes native Pixel Data; the Image Pixel module is left as it is."""
    _compressed_syntax(ds)
    ds.convert_pixel_data(handler_name)
    _store_native(ds, [ds.pixel_array.tobytes()], generate_instance_uid)
    return ds


def _uid(value: str) -> Any:
    return UID(value)


_SAMPLES = {
    "MONOCHROME1": 1,
    "MONOCHROME2": 1,
    "PALETTE COLOR": 1,
    "RGB": 3,
    "YBR_FULL": 3,
    "YBR_FULL_422": 3,
}


def set_pixel_data(
    ds: Any,
    arr: np.ndarray,
    photometric_interpretation: str,
    bits_stored: int,
    *,
    generate_instance_uid: bool = True,
) -> None:
    """Replace the pixel data of `ds` with `arr` (native, little endian) and
    update its Image Pixel module, as pydicom 3's ``pixels.utils.set_pixel_data``
    (also :mod:`fastdicom.pixels.utils`'s).

    Parameters
    ----------
    ds : Dataset
    arr : numpy.ndarray
        (rows, columns), (rows, columns, samples), (frames, rows, columns)
        or (frames, rows, columns, samples), of an integer dtype.
    photometric_interpretation : str
    bits_stored : int
    generate_instance_uid : bool, optional
        Give the dataset a new SOP Instance UID (default True).
    """
    for tag in (0x7FE00008, 0x7FE00009):
        elem = ds.get(tag, None)
        if elem is not None:
            raise AttributeError(
                f"The dataset has an existing {elem.tag} '{elem.name}' element which "
                "indicates the (0008,0016) 'SOP Class UID' value is not suitable for a "
                f"dataset with 'Pixel Data'. The '{elem.name}' element should be deleted "
                "and the 'SOP Class UID' changed."
            )
    if getattr(ds, "file_meta", None) is None:
        ds.file_meta = FileMetaDataset()
    tsyntax = ds.file_meta.get("TransferSyntaxUID", None)
    if tsyntax and str(tsyntax) == "1.2.840.10008.1.2.2":
        raise NotImplementedError(
            f"The dataset's transfer syntax '{tsyntax.name}' is big-endian, which is not supported"
        )
    arr = np.asarray(arr)
    shape, ndim, dtype = arr.shape, arr.ndim, arr.dtype
    if dtype.kind not in ("u", "i") or dtype.itemsize not in (1, 2):
        raise ValueError(
            f"Unsupported ndarray dtype '{dtype}', must be int8, int16, uint8 or uint16"
        )
    try:
        nr_samples = _SAMPLES[photometric_interpretation]
    except KeyError:
        raise ValueError(
            f"Unsupported 'photometric_interpretation' value '{photometric_interpretation}'"
        ) from None
    changes: dict[str, tuple[str, Any]] = {}
    if nr_samples == 1:
        if ndim not in (2, 3):
            raise ValueError(
                f"An ndarray with '{photometric_interpretation}' data must have 2 or 3 "
                f"dimensions, not {ndim}"
            )
        changes["NumberOfFrames"] = ("+", shape[0]) if ndim == 3 else ("-", None)
        changes["Rows"] = ("+", shape[-2])
        changes["Columns"] = ("+", shape[-1])
    else:
        if ndim not in (3, 4):
            raise ValueError(
                f"An ndarray with '{photometric_interpretation}' data must have 3 or 4 "
                f"dimensions, not {ndim}"
            )
        if shape[-1] != nr_samples:
            raise ValueError(
                f"An ndarray with '{photometric_interpretation}' data must have shape "
                f"(rows, columns, 3) or (frames, rows, columns, 3), not {shape}"
            )
        changes["NumberOfFrames"] = ("-", None) if ndim == 3 else ("+", shape[0])
        changes["Rows"] = ("+", shape[-3])
        changes["Columns"] = ("+", shape[-2])
    if not 0 < bits_stored <= dtype.itemsize * 8:
        raise ValueError(
            f"Invalid 'bits_stored' value '{bits_stored}', must be greater than 0 and "
            "less than or equal to the number of bits for the ndarray's itemsize "
            f"'{dtype.itemsize * 8}'"
        )
    actual_min, actual_max = arr.min(), arr.max()
    allowed_min = 0 if dtype.kind == "u" else -(2 ** (bits_stored - 1))
    allowed_max = 2**bits_stored - 1 if dtype.kind == "u" else 2 ** (bits_stored - 1) - 1
    if actual_min < allowed_min or actual_max > allowed_max:
        raise ValueError(
            f"The range of values in the ndarray [{actual_min}, {actual_max}] is "
            f"greater than that allowed by the 'bits_stored' value [{allowed_min}, "
            f"{allowed_max}]"
        )
    changes["SamplesPerPixel"] = ("+", nr_samples)
    changes["PlanarConfiguration"] = ("+", 0) if nr_samples > 1 else ("-", None)
    changes["PhotometricInterpretation"] = ("+", photometric_interpretation)
    changes["BitsAllocated"] = ("+", dtype.itemsize * 8)
    changes["BitsStored"] = ("+", bits_stored)
    changes["HighBit"] = ("+", bits_stored - 1)
    changes["PixelRepresentation"] = ("+", 0 if dtype.kind == "u" else 1)
    for keyword, (op, value) in changes.items():
        if op == "+":
            setattr(ds, keyword, value)
        elif keyword in ds:
            del ds[keyword]
    flat = np.ascontiguousarray(arr, dtype=dtype.newbyteorder("<"))
    if photometric_interpretation == "YBR_FULL_422":
        # PS3.3 C.7.6.3.1.2: Y1 Y2 Cb Cr per pair of pixels
        src = flat.ravel()
        out = np.empty(src.size // 3 * 2, dtype=flat.dtype)
        out[::4] = src[::6]
        out[1::4] = src[3::6]
        out[2::4] = src[1::6]
        out[3::4] = src[2::6]
        flat = out
    data = flat.tobytes()
    ds.PixelData = data if len(data) % 2 == 0 else data + b"\x00"
    elem = ds["PixelData"]
    elem.VR = "OB" if dtype.itemsize == 1 else "OW"
    elem.is_undefined_length = False
    for name in ("ExtendedOffsetTable", "ExtendedOffsetTableLengths"):
        if name in ds:
            del ds[name]
    _reset_cache(ds)
    if not tsyntax or str(tsyntax) not in (EXPLICIT_VR_LE, "1.2.840.10008.1.2", "1.2.840.10008.1.2.1.99"):
        ds.file_meta.TransferSyntaxUID = _uid(EXPLICIT_VR_LE)
    if generate_instance_uid:
        _new_instance_uid(ds)
