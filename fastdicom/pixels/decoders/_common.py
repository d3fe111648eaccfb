"""What every codec family does after the codec has run (the dtype, sign and
unused-bit corrections pydicom 3 applies to a decoded frame, written once so
every backend gives the same array), and the adapter that makes a codec
backend a decoding plugin of :class:`~fastdicom.pixels.decoders.base.Decoder`.
"""

from __future__ import annotations

import importlib.util
import warnings
from typing import Any

import numpy as np

from fastdicom.pixels.frameinfo import FrameInfo

JPEG_BASELINE = "1.2.840.10008.1.2.4.50"


class CodecUnavailableError(ImportError, RuntimeError):
    """No installed package can decode or encode this transfer syntax.

    Subclasses both :class:`ImportError` (a package is missing) and
    :class:`RuntimeError` (what pydicom raises when its plugins are missing).
    """


class CodecError(RuntimeError):
    """The codec could not decode a frame (corrupt or unsupported codestream)."""


def check_shape(arr: np.ndarray, info: Any, what: str) -> np.ndarray:
    """Give `arr` the frame shape of `info`, or raise naming both sizes."""
    spp = info.samples_per_pixel
    want = (info.rows, info.columns) if spp == 1 else (info.rows, info.columns, spp)
    if arr.shape == want:
        return arr
    if arr.ndim == 3 and arr.shape[2] == 1 and spp == 1 and arr.shape[:2] == want:
        return arr.reshape(want)
    got = arr.shape
    comps = got[2] if len(got) == 3 else 1
    raise ValueError(
        f"The decoded {what} frame is {got[1]} x {got[0]} pixels with {comps} "
        f"component(s), but the dataset gives (0028,0011) Columns {info.columns}, "
        f"(0028,0010) Rows {info.rows} and (0028,0002) Samples per Pixel {spp}"
    )


def conform_jpeg_colorspace(params: dict[str, Any], info: Any, tsyntax: str) -> str:
    """The photometric interpretation pydicom uses for a JPEG/JPEG-LS frame.

    As pydicom 3 does: component ids 'RGB'/'rgb' mean RGB whatever the dataset
    says; a JFIF APP0 marker means YBR (JFIF's colour space, ITU T.871). Both
    overrides warn, as pydicom's do.
    """
    pi = info.photometric_interpretation
    if info.samples_per_pixel != 3:
        return pi
    if params.get("component_ids") in ([82, 71, 66], [114, 103, 98]) and pi != "RGB":
        warnings.warn(
            f"The (0028,0004) 'Photometric Interpretation' value is '{pi}' "
            "however the encoded image's codestream uses component IDs that "
            "indicate it should be 'RGB'",
            stacklevel=4,
        )
        return "RGB"
    cs = "YBR_FULL_422" if tsyntax == JPEG_BASELINE else "YBR_FULL"
    for payload in params.get("app", {}).values():
        if payload.startswith(b"JFIF") and "YBR" not in pi:
            warnings.warn(
                f"The (0028,0004) 'Photometric Interpretation' value is '{pi}' "
                "however the encoded image's codestream contains a JFIF APP marker "
                f"which indicates it should be '{cs}'",
                stacklevel=4,
            )
            return cs
    return pi


def int_dtype(bits: int, signed: int) -> np.dtype:
    """numpy dtype for `bits` allocated bits (8, 16, 32 or 64)."""
    if bits not in (8, 16, 32, 64):
        raise NotImplementedError(
            f"(0028,0100) Bits Allocated {bits} is not supported for compressed pixel data"
        )
    return np.dtype(f"{'ui'[1 if signed else 0]}{bits // 8}")


def bits_for_precision(precision: int) -> int:
    """The container size pydicom picks for a codestream precision."""
    if precision <= 8:
        return 8
    if precision <= 16:
        return 16
    return 32


def as_dtype(arr: np.ndarray, dtype: np.dtype) -> np.ndarray:
    """`arr` as `dtype`: a reinterpretation when the item sizes match (as
    pydicom's ``frombuffer`` does), otherwise a value-preserving cast."""
    if arr.dtype == dtype:
        return arr if arr.flags.writeable else arr.copy()
    if arr.dtype.itemsize == dtype.itemsize:
        out = arr.view(dtype)
        return out if out.flags.writeable else out.copy()
    return arr.astype(dtype)


def shift_extend(arr: np.ndarray, used_bits: int) -> np.ndarray:
    """Left then right shift so only the low `used_bits` bits count, sign
    extending signed dtypes (PS3.5 8.1.1; pydicom's unused-bit and sign
    corrections)."""
    shift = 8 * arr.dtype.itemsize - used_bits
    if shift > 0:
        np.left_shift(arr, shift, out=arr)
        np.right_shift(arr, shift, out=arr)
    return arr


def result(arr: np.ndarray, info: Any, pi: str) -> tuple[np.ndarray, dict[str, Any]]:
    """The frame and the Image Pixel values that now describe it (pydicom's
    ``pixel_properties`` overrides): the pipeline applies them so it neither
    converts colour twice nor mislabels the container size."""
    changes: dict[str, Any] = {}
    if pi != info.photometric_interpretation:
        changes["photometric_interpretation"] = pi
    bits = 8 * arr.dtype.itemsize
    if bits != info.bits_allocated:
        changes["bits_allocated"] = bits
    return arr, changes


def backend_available(module: str) -> bool:
    """Whether the package `module` (a codec backend) can be imported."""
    return importlib.util.find_spec(module) is not None


def plugin_decode(family: Any, backend: str, src: bytes, runner: Any) -> memoryview:
    """Decode one frame with `backend` of codec `family` as a decoding plugin.

    The runner's Image Pixel options describe the frame; what the decoded
    frame has differently (a container size from the codestream's precision,
    RGB from a codec's inverse colour transform) is set back on the runner,
    as pydicom's plugins do. The samples come back interleaved.

    Returns
    -------
    memoryview
        The frame's bytes, native byte order.
    """
    info = FrameInfo(
        rows=runner.rows,
        columns=runner.columns,
        samples_per_pixel=runner.samples_per_pixel,
        bits_allocated=runner.bits_allocated,
        bits_stored=runner.get_option("bits_stored", runner.bits_allocated),
        pixel_representation=runner.get_option("pixel_representation", 0) or 0,
        photometric_interpretation=str(runner.photometric_interpretation),
        planar_configuration=0,
        number_of_frames=1,
        transfer_syntax_uid=str(runner.transfer_syntax),
    )
    arr, changes = family.decode(bytes(src), info, raw=family.BACKENDS[backend][0])
    for name, value in changes.items():
        runner.set_option(name, value)
    if runner.samples_per_pixel > 1:
        runner.set_option("planar_configuration", 0)
    return np.ascontiguousarray(arr).data.cast("B")
