"""Encoding pixel data: ``compress``, ``decompress`` and ``set_pixel_data``
with pydicom 3's semantics, plus the syntaxes pydicom cannot write.

=========================  ==========================================
Transfer syntax            Encoder
=========================  ==========================================
RLE Lossless               fastdicom.pixels.rle (compiled, built in)
JPEG-LS (both)             pyjpegls (precision = Bits Stored, as
                           pydicom); else imagecodecs/CharLS
JPEG 2000 Lossless         imagecodecs (OpenJPEG)
JPEG 2000 (lossy)          pylibjpeg-openjpeg for ``j2k_cr`` and
                           ``j2k_psnr`` (pydicom's options)
HTJ2K (the three)          imagecodecs (OpenJPH)
JPEG Baseline / Extended   imagecodecs (libjpeg-turbo)
JPEG Lossless P14 / SV1    imagecodecs (libjpeg-turbo)
=========================  ==========================================

A missing package raises :class:`CodecUnavailableError` naming it.
"""

from __future__ import annotations

import importlib.util
from typing import Any

import numpy as np

from fastdicom.pixels.decoders._common import CodecUnavailableError

__all__ = ["compress", "decompress", "set_pixel_data", "encode_frame", "available_encoders"]

RLE = "1.2.840.10008.1.2.5"
JPEG_BASELINE = "1.2.840.10008.1.2.4.50"
JPEG_EXTENDED = "1.2.840.10008.1.2.4.51"
JPEG_P14 = "1.2.840.10008.1.2.4.57"
JPEG_SV1 = "1.2.840.10008.1.2.4.70"
JLS_LOSSLESS = "1.2.840.10008.1.2.4.80"
JLS_NEAR = "1.2.840.10008.1.2.4.81"
J2K_LOSSLESS = "1.2.840.10008.1.2.4.90"
J2K = "1.2.840.10008.1.2.4.91"
HTJ2K_LOSSLESS = "1.2.840.10008.1.2.4.201"
HTJ2K_RPCL = "1.2.840.10008.1.2.4.202"
HTJ2K = "1.2.840.10008.1.2.4.203"
EXPLICIT_VR_LE = "1.2.840.10008.1.2.1"

_ENCODABLE = {
    RLE: (),
    JPEG_BASELINE: ("imagecodecs",),
    JPEG_EXTENDED: ("imagecodecs",),
    JPEG_P14: ("imagecodecs",),
    JPEG_SV1: ("imagecodecs",),
    JLS_LOSSLESS: ("jpeg_ls", "imagecodecs"),
    JLS_NEAR: ("jpeg_ls", "imagecodecs"),
    J2K_LOSSLESS: ("imagecodecs", "openjpeg"),
    J2K: ("imagecodecs", "openjpeg"),
    HTJ2K_LOSSLESS: ("imagecodecs",),
    HTJ2K_RPCL: ("imagecodecs",),
    HTJ2K: ("imagecodecs",),
}
_DIST = {"imagecodecs": "imagecodecs", "jpeg_ls": "pyjpegls", "openjpeg": "pylibjpeg-openjpeg"}
_LOSSLESS = {RLE, JPEG_P14, JPEG_SV1, JLS_LOSSLESS, J2K_LOSSLESS, HTJ2K_LOSSLESS, HTJ2K_RPCL}


def _have(module: str) -> bool:
    return importlib.util.find_spec(module) is not None


def available_encoders() -> dict[str, str]:
    """Transfer syntax UID -> the package that would encode it."""
    out = {}
    for uid, mods in _ENCODABLE.items():
        if not mods:
            out[uid] = "fastdicom"
        for m in mods:
            if _have(m):
                out[uid] = _DIST[m]
                break
    return out


def _backend(uid: str, prefer: str = "") -> str:
    if uid not in _ENCODABLE:
        raise NotImplementedError(f"Encoding to transfer syntax '{uid}' is not supported")
    mods = _ENCODABLE[uid]
    if not mods:
        return "fastdicom"
    if prefer:
        names = {v: k for k, v in _DIST.items()}
        mod = names.get(prefer, prefer)
        if mod not in mods:
            raise ValueError(f"'{prefer}' cannot encode '{uid}'")
        mods = (mod,)
    for m in mods:
        if _have(m):
            return m
    wanted = [_DIST[m] for m in mods]
    raise CodecUnavailableError(
        f"Unable to encode to '{uid}': it needs the '{wanted[0]}' package"
        + (f" (or {', '.join(wanted[1:])})" if len(wanted) > 1 else "")
        + f". Install it with 'pip install fastdicom[codecs]' or 'pip install {wanted[0]}'"
    )


def _unsigned(frame: np.ndarray, bits_stored: int) -> np.ndarray:
    """Signed samples as unsigned `bits_stored`-bit values (two's complement
    truncated), for codecs that have no notion of sign (JPEG, JPEG-LS)."""
    if frame.dtype.kind != "i":
        return frame
    u = frame.view(f"u{frame.dtype.itemsize}")
    if bits_stored < 8 * frame.dtype.itemsize:
        u = u & np.array((1 << bits_stored) - 1, dtype=u.dtype)
    return u


def encode_frame(frame: np.ndarray, uid: str, opts: dict[str, Any]) -> tuple[bytes, str | None]:
    """Encode one frame (rows, columns[, samples]) to `uid`.

    Returns the codestream and the photometric interpretation the encoded
    data has if it differs from ``opts['photometric_interpretation']``.
    """
    uid = str(uid)
    backend = _backend(uid, opts.get("encoding_plugin", ""))
    bs = int(opts["bits_stored"])
    pi = str(opts["photometric_interpretation"])
    spp = frame.shape[2] if frame.ndim == 3 else 1
    frame = np.ascontiguousarray(frame)

    if uid == RLE:
        from fastdicom.pixels import rle

        return rle.encode_frame(frame, int(opts.get("bits_allocated", 8 * frame.dtype.itemsize))), None

    if uid in (JLS_LOSSLESS, JLS_NEAR):
        near = int(opts.get("jls_error") or 0)
        if near and uid == JLS_LOSSLESS:
            raise ValueError(
                f"A 'jls_error' value of '{near}' is being used with a transfer syntax "
                "of 'JPEG-LS Lossless' - did you mean to use 'JPEG-LS Near Lossless' instead?"
            )
        data = _unsigned(frame, bs)
        if backend == "jpeg_ls":
            import jpeg_ls

            kw = dict(rows=frame.shape[0], columns=frame.shape[1], samples_per_pixel=spp, bits_stored=bs)
            if spp > 1:
                kw["planar_configuration"] = 0
            return bytes(jpeg_ls.encode_pixel_data(data.tobytes(), lossy_error=near, **kw)), None
        import imagecodecs

        return bytes(imagecodecs.jpegls_encode(data, level=near or None)), None

    if uid in (J2K_LOSSLESS, J2K):
        cr = opts.get("j2k_cr")
        psnr = opts.get("j2k_psnr")
        if uid == J2K_LOSSLESS and (cr or psnr):
            raise ValueError(
                "A lossy configuration option is being used with a transfer syntax of "
                "'JPEG 2000 Lossless' - did you mean to use 'JPEG 2000' instead?"
            )
        if uid == J2K:
            if not cr and not psnr:
                raise ValueError(
                    "The 'JPEG 2000' transfer syntax requires a lossy configuration "
                    "option such as 'j2k_cr' or 'j2k_psnr'"
                )
            if cr and psnr:
                raise ValueError(
                    "Multiple lossy configuration options are being used with the "
                    "'JPEG 2000' transfer syntax, please specify only one"
                )
        if cr or psnr or backend == "openjpeg":
            # quality layers by rate or several PSNRs: pydicom's own encoder
            if not _have("openjpeg"):
                raise CodecUnavailableError(
                    "JPEG 2000 encoding with 'j2k_cr' or several 'j2k_psnr' layers needs "
                    "the 'pylibjpeg-openjpeg' package: 'pip install pylibjpeg-openjpeg'"
                )
            from openjpeg.utils import encode_array

            cs = 1 if pi in ("RGB", "YBR_FULL") else None
            kw: dict[str, Any] = dict(bits_stored=bs, use_mct=False)
            if cs is not None:
                kw["photometric_interpretation"] = cs
            if cr:
                kw["compression_ratios"] = list(cr)
            if psnr:
                kw["signal_noise_ratios"] = list(psnr)
            return bytes(encode_array(frame, **kw)), None
        import imagecodecs

        level = None
        if uid == J2K:  # imagecodecs' own lossy setting, used when asked for
            level = opts.get("quality", opts.get("j2k_quality"))
        return bytes(
            imagecodecs.jpeg2k_encode(
                frame,
                level=level,
                codecformat="J2K",
                bitspersample=bs,
                reversible=uid == J2K_LOSSLESS,
                mct=False,  # as pydicom: RGB stays RGB
            )
        ), None

    if uid in (HTJ2K_LOSSLESS, HTJ2K_RPCL, HTJ2K):
        import imagecodecs

        lossless = uid != HTJ2K
        kw = {}
        if not lossless:
            kw["level"] = opts.get("quality", opts.get("j2k_quality"))
        if not hasattr(imagecodecs, "htj2k_encode"):
            raise RuntimeError(
                f"Encoding HTJ2K needs imagecodecs 2026.1.1 or later (installed: "
                f"{imagecodecs.__version__}): 'pip install -U imagecodecs' (Python >= 3.11)"
            )
        out = imagecodecs.htj2k_encode(frame, reversible=lossless, rgb=False, **kw)
        return bytes(out), None

    # ISO/IEC 10918-1 via libjpeg-turbo
    import imagecodecs

    if uid in (JPEG_P14, JPEG_SV1):
        predictor = 1 if uid == JPEG_SV1 else int(opts.get("predictor", 1))
        cs = {1: "GRAY", 3: "YCBCR" if pi.startswith("YBR") else "RGB"}[spp]
        data = _unsigned(frame, bs)
        out = imagecodecs.jpeg8_encode(
            data, lossless=True, predictor=predictor, bitspersample=bs,
            colorspace=cs, outcolorspace=cs,
        )
        return bytes(out), None
    if uid == JPEG_BASELINE and (frame.dtype.itemsize != 1 or bs > 8):
        raise ValueError("JPEG Baseline (Process 1) needs 8-bit samples: use JPEG Extended for 12-bit data")
    if uid == JPEG_EXTENDED and bs > 12:
        raise ValueError("JPEG Extended (Process 2 & 4) supports at most 12 bits per sample")
    if frame.dtype.kind == "i":
        raise ValueError("Lossy JPEG encoding supports unsigned samples only (Pixel Representation 0)")
    quality = int(opts.get("quality", opts.get("jpeg_quality", 90)))
    bits = 8 if frame.dtype.itemsize == 1 else 12
    new_pi = None
    if spp == 1:
        out = imagecodecs.jpeg8_encode(frame, level=quality, bitspersample=bits)
    elif pi == "RGB":
        # PS3.5 8.2.1: colour lossy JPEG is YBR_FULL_422 once subsampled
        out = imagecodecs.jpeg8_encode(
            frame, level=quality, bitspersample=bits, colorspace="RGB",
            outcolorspace="YCBCR", subsampling="422",
        )
        new_pi = "YBR_FULL_422"
    else:
        out = imagecodecs.jpeg8_encode(
            frame, level=quality, bitspersample=bits, colorspace="YCBCR",
            outcolorspace="YCBCR", subsampling="444",
        )
    return bytes(out), new_pi


def _iter_source_frames(ds: Any, arr: np.ndarray | None) -> tuple[list[np.ndarray], bool]:
    """The frames to encode and whether a YBR_FULL_422 source was expanded."""
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
        if str(tsyntax) not in (EXPLICIT_VR_LE, "1.2.840.10008.1.2", "1.2.840.10008.1.2.2",
                                "1.2.840.10008.1.2.1.99"):
            raise ValueError("Only uncompressed datasets may be compressed")
        from fastdicom.pixels.pipeline import pixel_array

        arr = pixel_array(ds, raw=True)
        expanded = ds.get("PhotometricInterpretation", "") == "YBR_FULL_422"
    arr = np.asarray(arr)
    spp = int(ds.get("SamplesPerPixel", 1) or 1)
    frames_ndim = 3 if spp == 1 else 4
    if arr.ndim == frames_ndim:
        return list(arr), expanded
    if arr.ndim == frames_ndim - 1:
        return [arr], expanded
    raise ValueError(
        f"An array of shape {arr.shape} does not match (0028,0002) Samples per Pixel {spp}"
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
    """Compress the pixel data of `ds` (or `arr`) in place, as pydicom 3's
    ``Dataset.compress``; returns `ds`.

    Extra keyword arguments: ``quality`` (lossy JPEG 1-100, HTJ2K),
    ``predictor`` (JPEG Lossless P14, 1-7).
    """
    from fastdicom.encaps import encapsulate, encapsulate_extended

    uid = str(transfer_syntax_uid)
    _backend(uid, encoding_plugin)  # fail early with the package to install
    frames, expanded = _iter_source_frames(ds, arr)
    opts: dict[str, Any] = {
        "bits_stored": int(ds.get("BitsStored", ds.get("BitsAllocated", 8))),
        "bits_allocated": int(ds.get("BitsAllocated", 8)),
        "pixel_representation": int(ds.get("PixelRepresentation", 0)),
        "photometric_interpretation": "YBR_FULL" if expanded else str(ds.get("PhotometricInterpretation", "MONOCHROME2")),
        "encoding_plugin": encoding_plugin,
        "jls_error": jls_error,
        "j2k_cr": j2k_cr,
        "j2k_psnr": j2k_psnr,
    }
    for key in ("quality", "jpeg_quality", "predictor", "j2k_quality"):
        if key in kwargs:
            opts[key] = kwargs[key]
    encoded = []
    new_pi = None
    for frame in frames:
        data, new_pi = encode_frame(frame, uid, opts)
        encoded.append(data)
    total = (len(encoded) - 1) * 8 + sum(len(f) for f in encoded[:-1])
    if encapsulate_ext or total > 2**32 - 1:
        ds.PixelData, ds.ExtendedOffsetTable, ds.ExtendedOffsetTableLengths = encapsulate_extended(encoded)
    else:
        ds.PixelData = encapsulate(encoded)
    elem = ds["PixelData"]
    elem.is_undefined_length = True
    elem.VR = "OB"
    if new_pi or expanded:
        ds.PhotometricInterpretation = new_pi or "YBR_FULL"
    if int(ds.get("SamplesPerPixel", 1) or 1) > 1 and (arr is not None or expanded):
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
    from fastdicom.dataset import FileMetaDataset
    from fastdicom.uid import UID

    if getattr(ds, "file_meta", None) is None:
        ds.file_meta = FileMetaDataset()
    ds.file_meta.TransferSyntaxUID = UID(uid)


def _new_instance_uid(ds: Any) -> None:
    from fastdicom.uid import generate_uid

    instance_uid = generate_uid()
    ds.SOPInstanceUID = instance_uid
    ds.file_meta.MediaStorageSOPInstanceUID = instance_uid


def decompress(
    ds: Any,
    *,
    as_rgb: bool = True,
    generate_instance_uid: bool = True,
    decoding_plugin: str = "",
    **kwargs: Any,
) -> Any:
    """Decompress `ds` to Explicit VR Little Endian in place (pydicom 3's
    ``Dataset.decompress``); returns `ds`."""
    from fastdicom.pixels.pipeline import pixel_array

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
    if str(tsyntax) in (EXPLICIT_VR_LE, "1.2.840.10008.1.2", "1.2.840.10008.1.2.2",
                        "1.2.840.10008.1.2.1.99"):
        raise ValueError("The dataset is already uncompressed")
    kwargs.pop("index", None)
    pi_before = str(ds.get("PhotometricInterpretation", ""))
    arr = pixel_array(ds, as_rgb=as_rgb, **kwargs)
    spp = int(ds.get("SamplesPerPixel", 1) or 1)
    nr_frames = arr.shape[0] if arr.ndim == (3 if spp == 1 else 4) else 1
    data = arr.tobytes()
    if len(data) >= 2**32 - 1:
        raise ValueError(
            "Unable to decompress as the length of the uncompressed pixel data "
            "will be greater than the maximum allowed by the DICOM Standard"
        )
    if len(data) % 2:
        data += b"\x00"
    ds.PixelData = data
    elem = ds["PixelData"]
    elem.is_undefined_length = False
    itemsize = arr.dtype.itemsize
    elem.VR = "OB" if itemsize == 1 else "OW"
    # the array's container may differ from the dataset's (JPEG-LS/J2K
    # precision), so Bits Allocated follows what was written
    if int(ds.get("BitsAllocated", 8)) != 8 * itemsize and int(ds.get("BitsAllocated", 8)) != 1:
        ds.BitsAllocated = 8 * itemsize
    ds.file_meta.TransferSyntaxUID = _uid(EXPLICIT_VR_LE)
    for name in ("ExtendedOffsetTable", "ExtendedOffsetTableLengths"):
        if name in ds:
            del ds[name]
    pi = _decoded_pi(pi_before, str(tsyntax), as_rgb, spp)
    if pi != pi_before:
        ds.PhotometricInterpretation = pi
    if spp > 1:
        ds.PlanarConfiguration = 0
    if "NumberOfFrames" in ds or nr_frames > 1:
        ds.NumberOfFrames = nr_frames
    _reset_cache(ds)
    if generate_instance_uid:
        _new_instance_uid(ds)
    return ds


def _uid(value: str) -> Any:
    from fastdicom.uid import UID

    return UID(value)


def _decoded_pi(pi: str, tsyntax: str, as_rgb: bool, spp: int) -> str:
    """Photometric interpretation of the decoded array (pydicom's rules)."""
    if spp != 3:
        return pi
    if pi in ("YBR_ICT", "YBR_RCT"):
        return "RGB"
    if pi in ("YBR_FULL", "YBR_FULL_422"):
        return "RGB" if as_rgb else "YBR_FULL"
    return pi


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
    update the Image Pixel module, as pydicom 3's ``Dataset.set_pixel_data``."""
    from fastdicom.dataset import FileMetaDataset

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
