"""Pixel processing as in :mod:`pydicom.pixels.processing` (pydicom 3).

The Modality LUT / rescale (PS3.3 C.11.1), VOI LUT and windowing (C.11.2,
C.11.2.1.2 for LINEAR, LINEAR_EXACT and SIGMOID), Palette Color LUTs
including segmented ones (C.7.6.3.1.5-6, C.7.9.2), the Presentation LUT
(C.11.6) and the YBR_FULL <-> RGB colour conversion (C.7.6.3.1.2, T.871).
Results match pydicom's bit for bit, except that a LINEAR window is
evaluated as ``x * gradient + offset`` (DCMTK's order, so that exported
integer images equal dcmj2pnm's), which agrees with pydicom's order to the
last bits of a double; each step is one or a few vectorized numpy calls.
"""

from __future__ import annotations

import warnings
from io import BytesIO
from typing import Any, Literal

import numpy as np

from fastdicom.tag import Tag

try:  # Pillow is optional: only the ICC profile functions need it
    from PIL import Image, ImageCms

    HAVE_PIL = True
except ImportError:
    HAVE_PIL = False

__all__ = [
    "apply_color_lut",
    "apply_icc_profile",
    "apply_modality_lut",
    "apply_presentation_lut",
    "apply_rescale",
    "apply_voi",
    "apply_voi_lut",
    "apply_windowing",
    "convert_color_space",
    "create_icc_transform",
]

# Pillow's names for the output color spaces (PS3.3 C.11.15.1.4 Color Space)
_CMS_COLOR_SPACES: dict[str, Literal["sRGB", "XYZ", "LAB"]] = {"SRGB": "sRGB", "XYZ": "XYZ", "LAB": "LAB"}
# ICC rendering intents (ICC.1:2010 §7.2.15)
_CMS_INTENTS = {
    0: "perceptual",
    1: "relative colorimetric",
    2: "saturation",
    3: "absolute colorimetric",
}

# pydicom's name -> UID table (it maps FALL and WINTER this way round)
_PALETTE_NAMES = {
    "HOT_IRON": "1.2.840.10008.1.5.1",
    "PET": "1.2.840.10008.1.5.2",
    "HOT_METAL_BLUE": "1.2.840.10008.1.5.3",
    "PET_20_STEP": "1.2.840.10008.1.5.4",
    "SPRING": "1.2.840.10008.1.5.5",
    "SUMMER": "1.2.840.10008.1.5.6",
    "FALL": "1.2.840.10008.1.5.8",
    "WINTER": "1.2.840.10008.1.5.7",
}


def _is_little_endian(ds: Any) -> bool:
    """Byte order of the dataset's OW values (File Meta, else as read)."""
    meta = getattr(ds, "file_meta", None)
    tsyntax = getattr(meta, "TransferSyntaxUID", None) if meta is not None else None
    if tsyntax:
        return str(tsyntax) != "1.2.840.10008.1.2.2"
    little = getattr(ds, "original_encoding", (None, None))[1]
    if little is None:
        raise AttributeError(
            "Unable to determine the endianness of the dataset, please set "
            "an appropriate Transfer Syntax UID in "
            f"'{type(ds).__name__}.file_meta'"
        )
    return bool(little)


def _lut_values(item: Any, ds: Any, nr_entries: int, dtype: str) -> np.ndarray:
    """LUT Data (0028,3006) as an array: OW bytes in the dataset's byte order, or US values."""
    value = item["LUTData"].value
    if isinstance(value, (bytes, bytearray, memoryview)):
        order = "<" if _is_little_endian(ds) else ">"
        raw = np.frombuffer(value, dtype=f"{order}u2", count=nr_entries)
        return raw.astype(dtype)
    if isinstance(value, int):
        value = [value]
    return np.asarray(value, dtype=dtype)


def _lut_index(arr: np.ndarray, first_map: int, nr_entries: int) -> np.ndarray:
    """Indices into a LUT: values below the first mapped one take entry 0,
    values past the end the last entry (PS3.3 C.11.1.1)."""
    idx = np.subtract(arr, first_map, dtype=np.int64) if arr.dtype.kind in "iub" else (
        np.asarray(arr, dtype=np.float64) - first_map
    ).astype(np.int64)
    np.clip(idx, 0, nr_entries - 1, out=idx)
    return idx


def apply_modality_lut(arr: np.ndarray, ds: Any) -> np.ndarray:
    """Apply the Modality LUT or rescale operation of `ds` to `arr`.

    The first item of Modality LUT Sequence wins over Rescale Slope and
    Intercept; the rescaled result is float64, as in pydicom.
    """
    seq = ds.get("ModalityLUTSequence")
    if seq:
        item = seq[0]
        nr_entries, first_map, depth = list(item.LUTDescriptor)[:3]
        nr_entries = nr_entries or 2**16
        lut = _lut_values(item, ds, nr_entries, f"uint{depth}")
        return lut[_lut_index(arr, first_map, nr_entries)]
    if "RescaleSlope" in ds and "RescaleIntercept" in ds:
        out = arr.astype(np.float64) * ds.RescaleSlope
        out += ds.RescaleIntercept
        return out
    return arr


apply_rescale = apply_modality_lut


def apply_voi_lut(arr: np.ndarray, ds: Any, index: int = 0, prefer_lut: bool = True) -> np.ndarray:
    """Apply the VOI LUT Sequence or the windowing of `ds` (pydicom's choice rules)."""
    valid_voi = False
    seq = ds.get("VOILUTSequence")
    if seq:
        valid_voi = (
            seq[0].get("LUTDescriptor", None) is not None
            and seq[0].get("LUTData", None) is not None
        )
    valid_windowing = (
        ds.get("WindowCenter", None) is not None and ds.get("WindowWidth", None) is not None
    )
    if valid_voi and valid_windowing:
        return apply_voi(arr, ds, index) if prefer_lut else apply_windowing(arr, ds, index)
    if valid_voi:
        return apply_voi(arr, ds, index)
    if valid_windowing:
        return apply_windowing(arr, ds, index)
    return arr


def apply_voi(arr: np.ndarray, ds: Any, index: int = 0) -> np.ndarray:
    """Apply item `index` of VOI LUT Sequence (PS3.3 C.11.2.1.1)."""
    seq = ds.get("VOILUTSequence")
    if not seq:
        return arr
    if not np.issubdtype(arr.dtype, np.integer):
        warnings.warn(
            "Applying a VOI LUT on a float input array may give incorrect results",
            stacklevel=2,
        )
    item = seq[index]
    nr_entries, first_map, depth = list(item.LUTDescriptor)[:3]
    nr_entries = nr_entries or 2**16
    if 10 <= depth <= 16:
        dtype = "uint16"
    elif depth == 8:
        dtype = "uint8"
    else:
        raise NotImplementedError(f"'{depth}' bits per LUT entry is not supported")
    lut = _lut_values(item, ds, nr_entries, dtype)
    return lut[_lut_index(arr, first_map, nr_entries)]


def _value_at(ds: Any, keyword: str, index: int) -> float:
    elem = ds[keyword]
    value = elem.value
    if elem.VM > 1:
        return float(value[index])
    return float(value)


def apply_windowing(arr: np.ndarray, ds: Any, index: int = 0) -> np.ndarray:
    """Apply window `index` of Window Center/Width with VOI LUT Function
    LINEAR, LINEAR_EXACT or SIGMOID (PS3.3 C.11.2.1.2-3); float64 out."""
    if "WindowWidth" not in ds and "WindowCenter" not in ds:
        return arr
    if ds.PhotometricInterpretation not in ("MONOCHROME1", "MONOCHROME2"):
        raise ValueError(
            "When performing a windowing operation only 'MONOCHROME1' and "
            "'MONOCHROME2' are allowed for (0028,0004) Photometric "
            "Interpretation"
        )
    voi_func = str(getattr(ds, "VOILUTFunction", "LINEAR") or "LINEAR").upper()
    center = _value_at(ds, "WindowCenter", index)
    width = _value_at(ds, "WindowWidth", index)
    bits_stored = int(ds.BitsStored)

    seq = ds.get("ModalityLUTSequence")
    if seq:
        y_min, y_max = 0.0, float(2 ** list(seq[0].LUTDescriptor)[2] - 1)
    elif ds.PixelRepresentation == 0:
        y_min, y_max = 0.0, float(2**bits_stored - 1)
    else:
        y_min, y_max = float(-(2 ** (bits_stored - 1))), float(2 ** (bits_stored - 1) - 1)
    slope = ds.get("RescaleSlope", None)
    intercept = ds.get("RescaleIntercept", None)
    if slope is not None and intercept is not None:
        y_min = y_min * slope + intercept
        y_max = y_max * slope + intercept
    y_range = y_max - y_min

    out = arr.astype(np.float64)
    if voi_func in ("LINEAR", "LINEAR_EXACT"):
        if voi_func == "LINEAR":
            if width < 1:
                raise ValueError(
                    "The (0028,1051) Window Width must be greater than or "
                    "equal to 1 for a 'LINEAR' windowing operation"
                )
            center -= 0.5
            width -= 1
        elif width <= 0:
            raise ValueError(
                "The (0028,1051) Window Width must be greater than 0 "
                "for a 'LINEAR_EXACT' windowing operation"
            )
        below = out <= (center - width / 2)
        above = out > (center + width / 2)
        between = ~(below | above)
        if between.any():
            # C.11.2.1.2.1's ((x - c) / w + 0.5) * range + y_min rearranged as
            # x * gradient + offset, the order DCMTK's dcmimgle evaluates it in,
            # so that integer exports (fastdicom.export) equal dcmj2pnm's
            gradient = y_range / width
            offset = y_max - (center / width + 0.5) * y_range
            out[between] = out[between] * gradient + offset
        out[below] = y_min
        out[above] = y_max
        return out
    if voi_func == "SIGMOID":
        if width <= 0:
            raise ValueError(
                "The (0028,1051) Window Width must be greater than 0 "
                "for a 'SIGMOID' windowing operation"
            )
        with np.errstate(over="ignore"):  # exp overflow -> inf -> y_min, as intended
            return y_range / (1 + np.exp(-4 * (out - center) / width)) + y_min
    raise ValueError(f"Unsupported (0028,1056) VOI LUT Function value '{voi_func}'")


def apply_presentation_lut(arr: np.ndarray, ds: Any, *, max_value: float | None = None) -> np.ndarray:
    """Apply Presentation LUT Sequence or Presentation LUT Shape (PS3.3 C.11.6).

    Parameters
    ----------
    arr : numpy.ndarray
        The output of the VOI LUT stage.
    ds : Dataset
        With (2050,0010) Presentation LUT Sequence or (2050,0020)
        Presentation LUT Shape.
    max_value : float, optional
        The top of the VOI stage's output range, which INVERSE maps to 0
        (PS3.3 C.11.6.1: the shape inverts the range, not the image). By
        default the array's own maximum, as pydicom does.

    Returns
    -------
    numpy.ndarray
    """
    if "PresentationLUTSequence" in ds:
        item = ds.PresentationLUTSequence[0]
        nr_entries, _first_map, bit_depth = list(item.LUTDescriptor)[:3]
        nr_entries = 2**16 if nr_entries == 0 else nr_entries
        itemsize = 8 if bit_depth <= 8 else 16
        elem = item["LUTData"]
        if isinstance(elem.value, (bytes, bytearray, memoryview)):
            lut = np.frombuffer(
                bytes(elem.value)[: nr_entries * itemsize // 8], dtype=f"uint{itemsize}"
            ).copy()
        else:
            value = [elem.value] if isinstance(elem.value, int) else elem.value
            lut = np.asarray(value, dtype="u2")
        shift = 8 * lut.dtype.itemsize - bit_depth if elem.VR != "US" else itemsize - bit_depth
        if shift > 0:
            np.left_shift(lut, shift, out=lut)
            np.right_shift(lut, shift, out=lut)
        out = arr.astype("float32")
        out -= out.min()
        out /= out.max() / (nr_entries - 1)
        return lut[out.astype("uint16")]
    if "PresentationLUTShape" in ds:
        shape = str(ds.PresentationLUTShape).strip().upper()
        if shape not in ("IDENTITY", "INVERSE"):
            raise NotImplementedError(
                "A (2050,0020) 'Presentation LUT Shape' value of "
                f"'{ds.PresentationLUTShape}' is not supported"
            )
        if shape == "INVERSE":
            return (arr.max() if max_value is None else max_value) - arr
    return arr


def _palette_dataset(palette: str) -> Any:
    """A dataset holding the Palette Color LUT of a well-known palette."""
    from fastdicom.dataset import Dataset
    from fastdicom.pixels._palettes import PALETTES

    uid = str(palette)
    if uid not in PALETTES:
        if uid not in _PALETTE_NAMES:
            raise ValueError(f"Unknown palette '{palette}'")
        uid = _PALETTE_NAMES[uid]
    ds = Dataset()
    for keyword, (vr, value) in PALETTES[uid][1].items():
        ds.add_new(keyword, vr, value)
    ds.set_original_encoding(False, True)  # the LUT data bytes are little endian
    return ds


def apply_color_lut(arr: np.ndarray, ds: Any = None, palette: str | None = None) -> np.ndarray:
    """Map `arr` through the Palette Color LUTs of `ds` (or a well-known
    `palette`); the result has a last axis of 3 (RGB) or 4 (RGBA)."""
    if not ds and not palette:
        raise ValueError("Either 'ds' or 'palette' is required")
    if palette:
        ds = _palette_dataset(palette)
    if getattr(ds, "PixelPresentation", None) in ("MIXED", "COLOR"):
        raise ValueError(
            "Use of this function with the Supplemental Palette Color Lookup "
            "Table Module is not currently supported"
        )
    if "RedPaletteColorLookupTableDescriptor" not in ds:
        raise ValueError("No suitable Palette Color Lookup Table Module found")
    desc = list(ds.RedPaletteColorLookupTableDescriptor)
    nr_entries = desc[0] or 2**16
    first_map = desc[1]
    nominal_depth = desc[2]
    # The descriptor's depth must name an unsigned integer type (TypeError
    # "data type 'uint15' not understood" otherwise, as pydicom)
    np.dtype(f"uint{nominal_depth}")
    luts: list[np.ndarray] = []
    colours = ("Red", "Green", "Blue", "Alpha")
    if "RedPaletteColorLookupTableData" in ds:
        data = [_binary_lut_data(ds, f"{c}PaletteColorLookupTableData") for c in colours]
        _require_rgb_luts(data, "")
        actual_depth = len(data[0] or b"") / nr_entries * 8
        if actual_depth not in (8, 16):
            raise ValueError(
                f"The bit depth of the LUT data '{actual_depth:.1f}' "
                "is invalid (only 8 or 16 bits per entry allowed)"
            )
        dtype = np.dtype(f"uint{actual_depth:.0f}")
        word = dtype
        if actual_depth == 16:
            # OW words in the dataset's byte order (PS3.5 §7.3): big endian
            # in Explicit VR Big Endian (pydicom reads them as little endian)
            try:
                word = dtype.newbyteorder("<" if _is_little_endian(ds) else ">")
            except AttributeError:  # no encoding known: little endian
                pass
        luts = [np.frombuffer(d, dtype=word).astype(dtype) for d in data if d]
    elif "SegmentedRedPaletteColorLookupTableData" in ds:
        data = [_binary_lut_data(ds, f"Segmented{c}PaletteColorLookupTableData") for c in colours]
        _require_rgb_luts(data, "Segmented ")
        order = "<" if _is_little_endian(ds) else ">"
        actual_depth = nominal_depth
        if actual_depth not in (8, 16):
            raise ValueError(
                f"The bit depth of the LUT data '{float(actual_depth):.1f}' "
                "is invalid (only 8 or 16 bits per entry allowed)"
            )
        dtype = np.dtype(f"uint{nominal_depth}")
        word = np.dtype(f"{order}u{nominal_depth // 8}")
        fmt = f"{order}{'B' if nominal_depth == 8 else 'H'}"
        for seg in data:
            if seg:
                values = np.frombuffer(seg, dtype=word, count=len(seg) // (nominal_depth // 8))
                luts.append(
                    np.asarray(_expand_segmented_lut(values.tolist(), fmt), dtype=dtype)
                )
    else:
        raise ValueError("No suitable Palette Color Lookup Table Module found")
    if any(len(lut) != len(luts[0]) for lut in luts[1:]):
        raise ValueError("LUT data must be the same length")
    idx = _lut_index(arr, first_map, nr_entries)
    out = np.empty(arr.shape + (len(luts),), dtype=dtype)
    for i, lut in enumerate(luts):
        out[..., i] = lut[idx]
    return out


def _require_rgb_luts(data: list[Any], prefix: str) -> None:
    """Red, Green and Blue LUT data are all required (PS3.3 C.7.6.3.1.6); only Alpha
    is optional, so an absent or empty one is an error, not a missing channel."""
    missing = [c for c, d in zip(("Red", "Green", "Blue"), data) if not d]
    if missing:
        raise ValueError(
            f"The {prefix}{'/'.join(missing)} Palette Color Lookup Table Data is missing or empty"
        )


def _binary_lut_data(ds: Any, keyword: str) -> bytes | bytearray | memoryview | None:
    """The OW value of palette LUT data element `keyword` (PS3.3 C.7.9), or
    None. Read with another VR (a corrupt file: found by
    tools/fuzz_campaign.py, seed 1021299) it is a ValueError naming the
    element, not a TypeError from numpy."""
    value = getattr(ds, keyword, None)
    if value is None or isinstance(value, (bytes, bytearray, memoryview)):
        return value
    tag = Tag(keyword)
    raise ValueError(
        f"The ({tag >> 16:04X},{tag & 0xFFFF:04X}) '{keyword}' value is not binary LUT data "
        f"(VR {ds[tag].VR}, a {type(value).__name__})"
    )


def _expand_segmented_lut(
    data: list[int], fmt: str, nr_segments: int | None = None, last_value: int | None = None
) -> list[int]:
    """Expand segmented palette LUT data (PS3.3 C.7.9.2): discrete (0),
    linear (1) and indirect (2) segments.

    Parameters
    ----------
    data : sequence of int
        The segmented LUT words.
    fmt : str
        The words' struct format: ``"B"`` for 8-bit, ``"H"`` for 16-bit, with
        ``"<"`` (little) or ``">"`` (big endian), which orders the bytes of an
        8-bit indirect segment's 32-bit offset.
    nr_segments : int, optional
        Expand at most this many segments (an indirect segment's count).
    last_value : int, optional
        The value before the first segment (an indirect segment's start).

    Returns
    -------
    list[int]
    """
    lut: list[int] = []
    offset = 0
    segments = 0
    one_byte = "B" in fmt
    little = "<" in fmt
    while offset + 1 < len(data):
        opcode, length = data[offset], data[offset + 1]
        offset += 2
        if opcode == 0:
            lut.extend(data[offset : offset + length])
            offset += length
        elif opcode == 1:
            if lut:
                y0 = lut[-1]
            elif last_value:
                y0 = last_value
            else:
                raise ValueError(
                    "Error expanding a segmented palette color lookup table: "
                    "the first segment cannot be a linear segment"
                )
            y1 = data[offset]
            offset += 1
            if y0 == y1:
                lut.extend([y1] * length)
            else:
                step = (y1 - y0) / length
                lut.extend(np.around(np.linspace(y0 + step, y1, length)).astype(int).tolist())
        elif opcode == 2:
            if not lut:
                raise ValueError(
                    "Error expanding a segmented palette color lookup table: "
                    "the first segment cannot be an indirect segment"
                )
            if one_byte:
                order = [3, 2, 1, 0] if little else [2, 3, 0, 1]
                b = [data[offset + i] for i in order]
                byte_offset = (b[0] << 8 | b[1]) << 16 | (b[2] << 8 | b[3])
                offset += 4
            else:
                byte_offset = data[offset + 1] << 16 | data[offset]
                offset += 2
            lut.extend(_expand_segmented_lut(data[byte_offset:], fmt, length, lut[-1]))
        else:
            raise ValueError(
                "Error expanding a segmented palette lookup table: "
                f"unknown segment type '{opcode}'"
            )
        segments += 1
        if segments == nr_segments:
            return lut
    return lut


_YBR_TO_RGB = np.asarray(
    [
        [1.000, 1.000, 1.000],
        [0.000, -0.114 * 1.772 / 0.587, 1.772],
        [1.402, -0.299 * 1.402 / 0.587, 0.000],
    ],
    dtype=np.float32,
)
_RGB_TO_YBR = np.asarray(
    [
        [+0.299, -0.299 / 1.772, +0.701 / 1.402],
        [+0.587, -0.587 / 1.772, -0.587 / 1.402],
        [+0.114, +0.886 / 1.772, -0.114 / 1.402],
    ],
    dtype=np.float32,
)


def _ybr_full_to_rgb(arr: np.ndarray) -> np.ndarray:
    # PS3.3 C.7.6.3.1.2 / ITU T.871 section 7, float32 as in pydicom
    work = arr.astype(np.float32)
    work -= np.array([0, 128, 128], dtype=np.float32)
    np.matmul(work, _YBR_TO_RGB, out=work)
    work += np.float32(0.5)
    np.floor(work, out=work)
    np.clip(work, 0, 255, out=work)
    return work.astype(arr.dtype)


def _rgb_to_ybr_full(arr: np.ndarray) -> np.ndarray:
    work = np.matmul(arr, _RGB_TO_YBR, dtype=np.float32)
    work += [0.5, 128.5, 128.5]
    np.floor(work, out=work)
    np.clip(work, 0, 255, out=work)
    return work.astype(arr.dtype)


def convert_color_space(
    arr: np.ndarray, current: str, desired: str, per_frame: bool = False
) -> np.ndarray:
    """Convert 8-bit `arr` between RGB, YBR_FULL and YBR_FULL_422.

    YBR_FULL_422 data is expected already upsampled (as codecs return it),
    so YBR_FULL and YBR_FULL_422 convert the same way.
    """
    if arr.dtype != np.dtype("u1"):
        raise ValueError(
            f"Invalid ndarray.dtype '{arr.dtype}' for color space conversion, "
            "must be 'uint8' or an equivalent"
        )
    ybr = ("YBR_FULL", "YBR_FULL_422")
    if current in ybr and desired in ybr or current == desired == "RGB":
        return arr
    if current in ybr and desired == "RGB":
        func = _ybr_full_to_rgb
    elif current == "RGB" and desired in ybr:
        func = _rgb_to_ybr_full
    else:
        raise NotImplementedError(f"Conversion from {current} to {desired} is not supported.")
    if arr.ndim == 4 and per_frame:
        for i, frame in enumerate(arr):
            arr[i] = func(frame)
        return arr
    return func(arr)


# -- ICC profiles (PS3.3 C.11.15) -------------------------------------------
def create_icc_transform(
    ds: Any = None,
    icc_profile: bytes = b"",
    intent: int | None = None,
    color_space: str | None = None,
) -> Any:
    """A Pillow color transform from the (0028,2000) ICC Profile of `ds`, or
    from `icc_profile`, to `color_space` (needs Pillow).

    Parameters
    ----------
    ds : Dataset, optional
        A dataset with the ICC Profile module (PS3.3 C.11.15); or use `icc_profile`.
    icc_profile : bytes, optional
        An encoded ICC profile; or use `ds`.
    intent : int, optional
        Rendering intent 0 (perceptual), 1 (relative colorimetric),
        2 (saturation) or 3 (absolute colorimetric); the profile's default if not given.
    color_space : str, optional
        ``"sRGB"``, ``"LAB"`` or ``"XYZ"``; default the (0028,2002) Color Space of
        `ds`, else sRGB.

    Returns
    -------
    PIL.ImageCms.ImageCmsTransform
    """
    if not HAVE_PIL:
        raise ImportError(
            "Pillow is required to create a color transformation object: "
            "install it with 'pip install pillow'"
        )
    if ds is None and not icc_profile:
        raise ValueError("Either 'ds' or 'icc_profile' must be supplied")
    if ds and icc_profile:
        raise ValueError("Only one of 'ds' and 'icc_profile' should be used, not both")
    icc_profile = getattr(ds, "ICCProfile", icc_profile)
    if not icc_profile:
        raise ValueError("No (0028,2000) 'ICC Profile' element was found in 'ds'")
    cs = color_space if color_space else getattr(ds, "ColorSpace", "sRGB")
    if cs and cs.upper() not in _CMS_COLOR_SPACES:
        if not color_space:
            raise ValueError(
                f"The (0028,2002) 'Color Space' value '{cs}' is not supported by "
                "Pillow, please use the 'color_space' argument to specify a "
                "supported value"
            )
        raise ValueError(
            f"Unsupported 'color_space' value '{cs}', must be 'sRGB', 'LAB' or 'XYZ'"
        )
    profile = ImageCms.ImageCmsProfile(BytesIO(icc_profile))
    intent = intent if intent else ImageCms.getDefaultIntent(profile)
    if intent not in _CMS_INTENTS:
        raise ValueError(f"Invalid 'intent' value '{intent}', must be 0, 1, 2 or 3")
    return ImageCms.buildTransform(
        outputProfile=ImageCms.createProfile(_CMS_COLOR_SPACES[cs.upper()]),
        inputProfile=profile,
        inMode="RGB",
        outMode="RGB",
        renderingIntent=ImageCms.Intent(intent),
    )


def apply_icc_profile(
    arr: np.ndarray,
    ds: Any = None,
    transform: Any = None,
    intent: int | None = None,
    color_space: str | None = None,
) -> np.ndarray:
    """Apply an ICC profile to 8-bit RGB `arr` in place (needs Pillow).

    Parameters
    ----------
    arr : numpy.ndarray
        Shape (rows, columns, 3) or (frames, rows, columns, 3), uint8.
    ds : Dataset, optional
        A dataset with the ICC Profile module; or use `transform`.
    transform : PIL.ImageCms.ImageCmsTransform, optional
        From :func:`create_icc_transform`, to reuse one profile for many arrays.
    intent, color_space
        As for :func:`create_icc_transform`, when `ds` is used.

    Returns
    -------
    numpy.ndarray
        `arr`, transformed.
    """
    if not HAVE_PIL:
        raise ImportError(
            "Pillow is required to apply an ICC profile to an ndarray: "
            "install it with 'pip install pillow'"
        )
    if ds is None and not transform:
        raise ValueError("Either 'ds' or 'transform' must be supplied")
    if ds is not None and transform:
        raise ValueError("Only one of 'ds' and 'transform' should be used, not both")
    if arr.ndim not in (3, 4):
        raise ValueError(f"The ndarray must have 3 or 4 dimensions, not {arr.ndim}")
    if arr.shape[-1] != 3:
        raise ValueError(
            "Invalid ndarray shape, must be (rows, columns, 3) or (frames, rows, "
            f"columns, 3), not {arr.shape}"
        )
    if not transform:
        transform = create_icc_transform(ds=ds, intent=intent, color_space=color_space)
    frames = arr if arr.ndim == 4 else arr[np.newaxis]
    for index, frame in enumerate(frames):
        image = Image.fromarray(frame)
        ImageCms.applyTransform(image, transform, inPlace=True)
        frames[index] = np.asarray(image)
    return arr
