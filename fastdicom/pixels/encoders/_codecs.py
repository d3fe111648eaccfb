"""The codec backends that encode one frame (imagecodecs, pyjpegls,
pylibjpeg-openjpeg), shared by the encoding plugins of
:mod:`fastdicom.pixels.encoders` and the syntaxes pydicom cannot write.

A missing package raises :class:`CodecUnavailableError` naming it.
"""

from __future__ import annotations

import importlib.util
from typing import Any

import numpy as np

from fastdicom.pixels.decoders._common import CodecUnavailableError

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
        names.update(pyjpegls="jpeg_ls", pylibjpeg="openjpeg")
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
        + f". Install it with 'pip install {wanted[0]}'"
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


def frame_array(src: bytes, runner: Any) -> np.ndarray:
    """A frame given to an encoding plugin (little endian samples of the
    fewest bytes that hold *Bits Stored*) as an array (rows, columns[, samples])."""
    rows, columns, samples = runner.rows, runner.columns, runner.samples_per_pixel
    # the runner's frame holds each sample in the same number of bytes
    itemsize = len(src) // (rows * columns * samples)
    signed = runner.get_option("pixel_representation", 0) == 1
    arr = np.frombuffer(src, dtype=f"<{'ui'[signed]}{itemsize}")
    if samples == 1:
        return arr.reshape(rows, columns)
    if runner.get_option("planar_configuration", 0) == 1 and str(runner.transfer_syntax) in (
        JLS_LOSSLESS, JLS_NEAR
    ):
        # JPEG-LS planes (the runner's planar configuration 1 frame)
        return arr.reshape(samples, rows, columns).transpose(1, 2, 0)
    return arr.reshape(rows, columns, samples)


def plugin_encode(backend: str, src: bytes, runner: Any) -> bytes:
    """Encode one frame with codec `backend` ("imagecodecs", "jpeg_ls" or
    "openjpeg") as an encoding plugin."""
    opts = dict(runner.options)
    opts["encoding_plugin"] = backend
    opts["photometric_interpretation"] = str(runner.photometric_interpretation)
    data, _ = encode_frame(frame_array(src, runner), str(runner.transfer_syntax), opts)
    return data


def encoded_photometric(uid: str, photometric_interpretation: str, samples: int) -> str | None:
    """The photometric interpretation of the encoded data when encoding
    changes it: lossy JPEG of RGB is YBR_FULL_422 (PS3.5 §8.2.1)."""
    if uid in (JPEG_BASELINE, JPEG_EXTENDED) and samples == 3 and photometric_interpretation == "RGB":
        return "YBR_FULL_422"
    return None


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
        from fastdicom.pixels import rle  # the RLE plugin imports this module

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

            kw: dict[str, Any] = dict(rows=frame.shape[0], columns=frame.shape[1], samples_per_pixel=spp, bits_stored=bs)
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
            kw = dict(bits_stored=bs, use_mct=False)
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
        colorspace = {1: "GRAY", 3: "YCBCR" if pi.startswith("YBR") else "RGB"}[spp]
        data = _unsigned(frame, bs)
        out = imagecodecs.jpeg8_encode(
            data, lossless=True, predictor=predictor, bitspersample=bs,
            colorspace=colorspace, outcolorspace=colorspace,
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


