"""Images out: DICOM pixel data to PNG, JPEG and TIFF.

Grayscale frames go through the PS3.4 grayscale pipeline (PS3.4 N.2.1,
Figure N.2-1) in one call, with every choice explicit:

1. the Modality LUT: Rescale Slope/Intercept or the Modality LUT Sequence
   (PS3.3 C.11.1), on or off;
2. the VOI LUT (PS3.3 C.11.2): the n-th window of the file, the n-th VOI LUT
   Sequence item, an explicit center and width, the minimum and maximum of
   the frame, two percentiles of it, or none; windows with the VOI LUT
   Function LINEAR, LINEAR_EXACT or SIGMOID (C.11.2.1.2-3);
3. the Presentation LUT (C.11.6): its shape or sequence, with MONOCHROME1
   inverted after the VOI LUT (C.7.6.3.1.2);

into 8- or 16-bit output values. Colour frames (RGB, YBR converted to RGB,
PALETTE COLOR through its Palette Color LUT, C.7.6.3.1.5) are scaled to the
output depth. Enhanced multi-frame objects take the Pixel Value
Transformation and Frame VOI LUT of each frame's functional groups
(C.7.6.16.2.9-10).

The transforms themselves are :mod:`fastdicom.pixels.processing`'s (the
functions of ``pydicom.pixels``); this module chooses their inputs and
turns their output into integers.

Agreement with DCMTK
--------------------
The oracle is DCMTK's ``dcmj2pnm`` (``tools/compare_export.py``): with the
same choices the 16-bit images are equal and the 8-bit ones too. Where the
standard leaves the arithmetic open, the defaults compute as DCMTK's
``dcmimgle`` does:

* Output values are truncated towards zero (``dimoopxt.h``: the window
  ``offset + value * gradient`` cast to the output integer type). An
  inverted (MONOCHROME1 or INVERSE) linear window is evaluated with the
  output range reversed in one step, as DCMTK does (its ``low > high``),
  not as ``max - y``, whose rounding differs in the last bit.
* The Modality LUT output is held as integers (``integer_modality=True``).
  PS3.3 C.11.1.1.2 defines the rescaled value m*SV+b as a real number and
  C.11.2.1.2 windows it; the pipeline of PS3.4 N.2.1 (Figure N.2-1) and
  PS3.3 C.11 defines the stages, not the numeric representation of the
  values passed between them. DCMTK keeps them in an integer type
  (``dimoipxt.h``, ``rescale()``: ``static_cast<T3>(p * slope +
  intercept)``, i.e. truncated towards zero; ``dimomod.cc`` chooses the
  8/16/32-bit type from the rescaled range). Where DCMTK windows through a
  lookup table (``dimoopxt.h`` ``initOptimizationLUT``: an intermediate type
  of at most 16 bits and more than three pixels per table entry), the
  table entry of an integer value x is evaluated at
  ``x - trunc(absmin) + absmin``, absmin being the smallest possible
  rescaled value: x plus the fractional part of absmin. Both are
  reproduced; ``integer_modality=False`` windows the real values instead
  (up to one 8-bit level apart from DCMTK where the rescale is not integer).
* YBR_FULL and YBR_FULL_422 frames are converted to RGB here with the
  inverse of the equations of PS3.3 C.7.6.3.1.2 (ITU-T T.871) in the 16-bit
  fixed-point arithmetic of the IJG JPEG library, rounded to the nearest
  integer (``ybr="standard"``): the values DCMTK's JPEG decoder gives
  (its default ``+cp`` lets libijg convert). For the YBR frames DCMTK
  converts itself (uncompressed, RLE, JPEG-LS), ``dcmimage`` centres the
  chroma at (2**n - 1)/2 instead of 2**(n - 1) and truncates
  (``diybrpxt.h`` tables for 8-bit YBR_FULL, ``diyf2pxt.h``
  ``convertValue`` otherwise): up to two levels from the standard's
  values. That is a deviation, not a choice the standard leaves open, so
  it is not the default; ``ybr="dcmtk"`` reproduces it.
* Without a VOI transform the modality output's range is scaled to the
  output as DCMTK's ``nowindow()`` scales it (PS3.3 C.11.6.1's implicit
  linear scaling), including its inverted range of width 1 - max.

PNG is written by this module (8 or 16 bits, gray or RGB, no dependency);
JPEG and TIFF need Pillow (``pip install pillow``).
"""

from __future__ import annotations

import math
import os
import struct
import zlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from fastdicom.dataset import Dataset
from fastdicom.filereader import dcmread
from fastdicom.pixels.decoders import jpeg as _jpeg
from fastdicom.pixels.decoders.base import get_decoder
from fastdicom.pixels.pipeline import pixel_array
from fastdicom.pixels.processing import (
    apply_color_lut,
    apply_modality_lut,
    apply_presentation_lut,
    apply_voi,
    apply_windowing,
)
from fastdicom.pixels.utils import get_nr_frames

__all__ = [
    "FORMATS",
    "RenderOptions",
    "VOI_MODES",
    "export",
    "frame_array",
    "frame_dataset",
    "image_format",
    "output_paths",
    "parse_frames",
    "png_bytes",
    "render",
    "render_frame",
    "voi_mode",
    "write_image",
    "ybr_to_rgb",
    "YBR_METHODS",
]

VOI_MODES = ("auto", "window", "lut", "explicit", "minmax", "percentile", "none")
"""The VOI choices of :class:`RenderOptions` (``voi=``)."""

FORMATS = {".png": "png", ".jpg": "jpeg", ".jpeg": "jpeg", ".tif": "tiff", ".tiff": "tiff"}
"""File name suffixes and the image format each one means."""

_FUNCTIONS = ("LINEAR", "LINEAR_EXACT", "SIGMOID")
_GRAY = ("MONOCHROME1", "MONOCHROME2")
_YBR = ("YBR_FULL", "YBR_FULL_422")
YBR_METHODS = ("standard", "dcmtk")
"""The YBR to RGB conversions of :class:`RenderOptions` (``ybr=``)."""

# Image attributes a frame's rendering reads: the Image Pixel module and the
# LUT modules live in groups 0028 and 2050 (PS3.3 C.7.6.3, C.11)
_IMAGE_GROUPS = (0x0028, 0x2050)


@dataclass(frozen=True)
class RenderOptions:
    """The choices of the rendering pipeline.

    Attributes
    ----------
    modality_lut : bool
        Apply the Modality LUT or rescale (default ``True``).
    voi : str
        One of :data:`VOI_MODES`. ``"auto"`` (the default) uses the file's
        window number `voi_index`, else its VOI LUT number `voi_index`, else
        the frame's minimum and maximum.
    voi_index : int
        Which window or VOI LUT of the file (0 is the first).
    center, width : float, optional
        The window of ``voi="explicit"``.
    percentiles : tuple of float
        The low and high percentiles of ``voi="percentile"`` (default 1, 99).
    function : str, optional
        ``"LINEAR"``, ``"LINEAR_EXACT"`` or ``"SIGMOID"``; default the file's
        (0028,1056) VOI LUT Function, else LINEAR.
    presentation : str, optional
        ``"IDENTITY"`` or ``"INVERSE"``; default as the file says: its
        Presentation LUT Sequence or Shape, else inverse for MONOCHROME1.
    bits : int
        8 or 16 bits per output sample.
    integer_modality : bool
        Hold the Modality LUT (rescale) output as integers the way DCMTK's
        dcmimgle does (default ``True``; see the module notes); ``False``
        windows the real values m*SV+b.
    ybr : str
        How YBR_FULL and YBR_FULL_422 frames become RGB: ``"standard"``
        (default; PS3.3 C.7.6.3.1.2 / ITU-T T.871, rounded) or ``"dcmtk"``
        (as ``dcmj2pnm`` converts; see the module notes).
    """

    modality_lut: bool = True
    voi: str = "auto"
    voi_index: int = 0
    center: float | None = None
    width: float | None = None
    percentiles: tuple[float, float] = (1.0, 99.0)
    function: str | None = None
    presentation: str | None = None
    bits: int = 8
    integer_modality: bool = True
    ybr: str = "standard"

    def __post_init__(self) -> None:
        if self.voi not in VOI_MODES:
            raise ValueError(f"voi must be one of {', '.join(VOI_MODES)}, not {self.voi!r}")
        if self.voi == "explicit" and (self.center is None or self.width is None):
            raise ValueError("voi='explicit' needs both center and width")
        if self.function is not None and self.function.upper() not in _FUNCTIONS:
            raise ValueError(f"function must be one of {', '.join(_FUNCTIONS)}, not {self.function!r}")
        if self.presentation is not None and self.presentation.upper() not in ("IDENTITY", "INVERSE"):
            raise ValueError(f"presentation must be IDENTITY or INVERSE, not {self.presentation!r}")
        if self.bits not in (8, 16):
            raise ValueError(f"bits must be 8 or 16, not {self.bits}")
        low, high = self.percentiles
        if not 0 <= low < high <= 100:
            raise ValueError(f"percentiles must satisfy 0 <= low < high <= 100, not {self.percentiles}")
        if self.voi_index < 0:
            raise ValueError(f"voi_index must be 0 or more, not {self.voi_index}")
        if self.ybr not in YBR_METHODS:
            raise ValueError(f"ybr must be one of {', '.join(YBR_METHODS)}, not {self.ybr!r}")


# -- per-frame attributes -------------------------------------------------------
def frame_dataset(ds: Dataset, index: int = 0) -> Dataset:
    """The image attributes that apply to frame `index` of `ds`.

    A new dataset holding the top-level elements of groups 0028 and 2050,
    overridden by the Pixel Value Transformation (rescale) and Frame VOI LUT
    (window, VOI LUT Function, VOI LUT Sequence) of the shared and then the
    frame's own functional groups of an enhanced object (PS3.3 C.7.6.16).

    Parameters
    ----------
    ds : Dataset
    index : int
        The frame, 0 for the first.

    Returns
    -------
    Dataset
    """
    view = Dataset()
    for elem in ds:
        if elem.tag.group in _IMAGE_GROUPS:
            view[elem.tag] = elem
        elif elem.tag.group > 0x2050:
            break
    groups: list[Any] = []
    shared = ds.get("SharedFunctionalGroupsSequence")
    if shared:
        groups.append(shared[0])
    per_frame = ds.get("PerFrameFunctionalGroupsSequence")
    if per_frame and index < len(per_frame):
        groups.append(per_frame[index])
    for group in groups:
        for macro in ("PixelValueTransformationSequence", "FrameVOILUTSequence"):
            seq = group.get(macro)
            if not seq:
                continue
            for elem in seq[0]:
                if elem.tag.group == 0x0028:
                    view[elem.tag] = elem
    meta = getattr(ds, "file_meta", None)
    if meta is not None:
        view.file_meta = meta
    implicit, little = ds.original_encoding
    view.set_original_encoding(implicit, little)
    return view


# -- the grayscale pipeline -------------------------------------------------------
def _values(elem_value: Any) -> list[float]:
    if elem_value is None:
        return []
    if isinstance(elem_value, (list, tuple)) or hasattr(elem_value, "__len__") and not isinstance(
        elem_value, (str, bytes)
    ):
        return [float(v) for v in elem_value]
    return [float(elem_value)]


def _windows(view: Dataset) -> list[tuple[float, float]]:
    """The (center, width) pairs of the file (PS3.3 C.11.2.1.2)."""
    centers = _values(view.get("WindowCenter"))
    widths = _values(view.get("WindowWidth"))
    return list(zip(centers, widths))


def _window_dataset(center: float, width: float, function: str, bits: int) -> Dataset:
    """A dataset that makes :func:`apply_windowing` map onto 0 .. 2**bits - 1.

    apply_windowing's output range is the one the input's Bits Stored and
    Pixel Representation give (PS3.3 C.11.2.1.2: y_min to y_max); an unsigned
    `bits`-bit input without rescale gives the output range of the image.
    """
    wds = Dataset()
    wds.PhotometricInterpretation = "MONOCHROME2"
    wds.BitsStored = bits
    wds.PixelRepresentation = 0
    wds.WindowCenter = center
    wds.WindowWidth = width
    wds.VOILUTFunction = function
    return wds


def _modality_range(view: Dataset, modality_lut: bool) -> tuple[float, float]:
    """The smallest and largest value the modality stage can output."""
    low, high = _stored_range(view)
    if not modality_lut:
        return float(low), float(high)
    seq = view.get("ModalityLUTSequence")
    if seq:
        return 0.0, float(2 ** int(list(seq[0].LUTDescriptor)[2]) - 1)
    slope = float(view.get("RescaleSlope", None) or 1)
    intercept = float(view.get("RescaleIntercept", None) or 0)
    ends = sorted((low * slope + intercept, high * slope + intercept))
    return ends[0], ends[1]


def _lut_bits(item: Any) -> int:
    return int(list(item.LUTDescriptor)[2])


def _inverse(view: Dataset, options: RenderOptions) -> bool:
    """Whether the output is inverted (PS3.3 C.11.6.1, C.7.6.3.1.2).

    The (2050,0020) Presentation LUT Shape maps the VOI output to P-values
    and decides: INVERSE inverts, IDENTITY does not, whatever the
    Photometric Interpretation (a MONOCHROME1 image states its inversion
    as INVERSE, C.11.6.1.2, not as a second one; DCMTK reads it the same
    way). Without it, a MONOCHROME1 image is shown inverted (C.7.6.3.1.2).
    """
    if options.presentation is not None:
        return options.presentation.upper() == "INVERSE"
    shape = str(view.get("PresentationLUTShape", "") or "").strip().upper()
    if shape in ("IDENTITY", "INVERSE"):
        return shape == "INVERSE"
    return view.get("PhotometricInterpretation") == "MONOCHROME1"


def _to_integers(values: np.ndarray, bits: int) -> np.ndarray:
    """Truncate `values` (0 .. 2**bits - 1) to unsigned integers."""
    top = 2**bits - 1
    dtype = np.uint8 if bits == 8 else np.uint16
    if values.dtype.kind == "f":
        out = np.trunc(values)
        np.clip(out, 0.0, float(top), out=out)  # in place, on floats: fast
        return out.astype(dtype)
    return np.clip(values, 0, top).astype(dtype)


def voi_mode(view: Dataset, options: RenderOptions) -> str:
    """The VOI choice `options` make for a frame with attributes `view`.

    ``"auto"`` becomes ``"window"`` when the file has window number
    ``voi_index`` with a positive width, else ``"lut"`` when it has that VOI
    LUT, else ``"minmax"``; other choices are returned as they are.

    Parameters
    ----------
    view : Dataset
        From :func:`frame_dataset`.
    options : RenderOptions

    Returns
    -------
    str
    """
    if options.voi != "auto":
        return options.voi
    windows = _windows(view)
    if options.voi_index < len(windows) and windows[options.voi_index][1] > 0:
        return "window"
    if options.voi_index < len(view.get("VOILUTSequence") or []):
        return "lut"
    return "minmax"


def _stored_range(view: Dataset) -> tuple[int, int]:
    """The smallest and largest stored value Bits Stored allows (PS3.3 C.7.6.3.1)."""
    bits = int(view.get("BitsStored", None) or view.get("BitsAllocated", 16))
    if view.get("PixelRepresentation", 0) == 1:
        return -(2 ** (bits - 1)), 2 ** (bits - 1) - 1
    return 0, 2**bits - 1


def _table_offset(arr: np.ndarray, view: Dataset) -> float:
    """Where DCMTK's window tables put the integer modality value x: x + this.

    DCMTK windows through a table when its intermediate type has at most
    16 bits and the frame has more than three pixels per table entry
    (``dimoopxt.h``, ``initOptimizationLUT``). The table has one entry per
    integer from trunc(absmin), absmin being the smallest rescaled value
    the stored range allows (``dimomod.cc``, ``checkRescaling``), and entry
    i is evaluated at i + absmin: the integer x is windowed as
    x - trunc(absmin) + absmin. Without a table x is windowed as it is.
    """
    slope = float(view.RescaleSlope)
    intercept = float(view.RescaleIntercept)
    low, high = _stored_range(view)
    absmin, absmax = sorted((low * slope + intercept, high * slope + intercept))
    # the intermediate type comes from the frame's rescaled minimum and
    # maximum (dimomod.cc determineRepresentation, diutils.cc)
    first, last = sorted((float(arr.min()) * slope + intercept, float(arr.max()) * slope + intercept))
    fits_16_bits = (first >= -32768 and last <= 32767) if first < 0 else last <= 65535
    entries = int(absmax - absmin + 1)  # DCMTK's unsigned long cast truncates
    if fits_16_bits and arr.size > 3 * entries:
        return absmin - math.trunc(absmin)
    return 0.0


def _modality_values(arr: np.ndarray, view: Dataset, options: RenderOptions) -> tuple[np.ndarray, float]:
    """The Modality LUT stage's output, and the offset its window input has.

    With ``integer_modality`` (the default) a rescale's real output m*SV+b
    (PS3.3 C.11.1.1.2) is truncated towards zero to the integers DCMTK holds
    between the stages (``dimoipxt.h``, ``rescale()``), and the window input
    is those integers plus :func:`_table_offset`. A Modality LUT Sequence
    gives integers already (its LUT Data).
    """
    if not options.modality_lut:
        return arr, 0.0
    values = apply_modality_lut(arr, view)
    if values.dtype.kind != "f" or not options.integer_modality or values.size == 0:
        return values, 0.0
    values = np.trunc(values, out=values)  # a new float64 array from apply_modality_lut
    return values, _table_offset(arr, view)


def _inverse_linear_window(values: np.ndarray, center: float, width: float, top: float) -> np.ndarray:
    """The LINEAR window of C.11.2.1.2.1 onto top .. 0 (the output inverted).

    Evaluated as DCMTK evaluates a window whose output range is reversed
    (``dimoopxt.h`` ``window()``, "VOI LINEAR #6/#8" with low > high): the
    offset and gradient of ``high - ((c - 0.5) / (w - 1) + 0.5) * (high -
    low) + x * (high - low) / (w - 1)`` with low = top and high = 0, so
    that the truncated values equal DCMTK's to the last bit.
    """
    if width < 1:
        raise ValueError(
            "The (0028,1051) Window Width must be greater than or "
            "equal to 1 for a 'LINEAR' windowing operation"
        )
    width_1 = width - 1
    left = center - 0.5 - width_1 / 2
    right = center - 0.5 + width_1 / 2
    values = np.asarray(values, dtype=np.float64)
    out = np.empty(values.shape, dtype=np.float64)
    below = values <= left
    above = values > right
    between = ~(below | above)
    if width_1 > 0 and between.any():
        offset = 0.0 - ((center - 0.5) / width_1 + 0.5) * -top
        gradient = -top / width_1
        out[between] = offset + values[between] * gradient
    else:
        out[between] = 0.0
    out[below] = top
    out[above] = 0.0
    return out


def _gray(arr: np.ndarray, view: Dataset, options: RenderOptions) -> np.ndarray:
    """Stored values -> output values of one grayscale frame."""
    bits = options.bits
    top = float(2**bits - 1)
    values, offset = _modality_values(arr, view, options)
    # the input of the window and of the no-VOI scaling (see _table_offset)
    window_in = values + offset if offset else values

    mode = voi_mode(view, options)
    windows = _windows(view)
    voi_luts = view.get("VOILUTSequence") or []
    function = (options.function or str(view.get("VOILUTFunction", "") or "LINEAR")).upper()
    if function not in _FUNCTIONS:
        function = "LINEAR"  # an unknown defined term: the default function (C.11.2.1.3)
    presentation_lut = "PresentationLUTSequence" in view and options.presentation is None
    inverse = not presentation_lut and _inverse(view, options)
    inverted = False

    if mode == "lut":
        if options.voi_index >= len(voi_luts):
            raise ValueError(
                f"VOI LUT {options.voi_index + 1} asked for, but the file has {len(voi_luts)}"
            )
        item = voi_luts[options.voi_index]
        lut_bits = _lut_bits(item)
        # apply_voi indexes the LUT: integer input (the Modality LUT output)
        lut_in = values if values.dtype.kind in "iu" else np.floor(values).astype(np.int64)
        out = apply_voi(lut_in, view, options.voi_index).astype(np.float64)
        # the LUT's 2**n values onto the output's 2**bits (DCMTK's scaling)
        out *= 2.0**bits / 2.0**lut_bits
    elif mode == "none":
        # The modality output's whole range onto the output range (the
        # "implicit linear scaling" of PS3.3 C.11.6.1, its arithmetic left
        # to the implementation); as DCMTK's nowindow()
        # (dimoopxt.h): low + (x - absmin) * (high - low + 1) / (absmax -
        # absmin + 1), with low = top and high = 0 when inverted (so the
        # inverted range is 1 - top wide, not -(top + 1)); through its
        # table the distance x - absmin is x - trunc(absmin)
        low, high = _modality_range(view, options.modality_lut)
        base = values - math.trunc(low) if offset else np.asarray(window_in, dtype=np.float64) - low
        out_low, out_range = (top, 1.0 - top) if inverse else (0.0, top + 1)
        out = out_low + base * (out_range / (high - low + 1))
        inverted = inverse
    else:
        if mode == "window":
            if options.voi_index >= len(windows):
                raise ValueError(
                    f"window {options.voi_index + 1} asked for, but the file has {len(windows)}"
                )
            center, width = windows[options.voi_index]
        elif mode == "explicit":
            center, width = float(options.center), float(options.width)  # type: ignore[arg-type]
        else:
            # from the (integer) modality values, as DCMTK's getMinMaxWindow
            # takes the intermediate data's minimum and maximum
            data = np.asarray(values)
            if mode == "minmax":
                low, high = float(data.min()), float(data.max())
            else:
                low, high = (float(v) for v in np.percentile(data, options.percentiles))
            # LINEAR maps c - 0.5 - (w - 1)/2 to the minimum and
            # c - 0.5 + (w - 1)/2 to the maximum (C.11.2.1.2.1)
            center, width = (low + high + 1) / 2, high - low + 1
            function = "LINEAR"
        if function == "LINEAR" and inverse:
            out = _inverse_linear_window(window_in, center, width, top)
            inverted = True
        else:
            out = apply_windowing(window_in, _window_dataset(center, width, function, bits))

    if presentation_lut:
        item = view.PresentationLUTSequence[0]
        out = apply_presentation_lut(_to_integers(out, bits), view).astype(np.float64)
        out *= 2.0**bits / 2.0 ** _lut_bits(item)
    elif inverse and not inverted:
        shape = Dataset()
        shape.PresentationLUTShape = "INVERSE"
        out = apply_presentation_lut(np.asarray(out, dtype=np.float64), shape, max_value=top)
    return _to_integers(np.asarray(out), bits)


# ITU-T T.871 §7 (the inverse of PS3.3 C.7.6.3.1.2's YBR_FULL equations)
# in the IJG JPEG library's fixed-point form (jdcolor.c): coefficients
# scaled by 2**16 and rounded, the sum rounded by adding 2**15 before the
# shift. libjpeg(-turbo) and DCMTK's libijg give exactly these values.
_FIX_SHIFT = 16


def _fix(coefficient: float) -> int:
    return int(coefficient * (1 << _FIX_SHIFT) + 0.5)


def _ybr_standard(y: np.ndarray, cb: np.ndarray, cr: np.ndarray, top: int) -> list[np.ndarray]:
    half = 1 << (top.bit_length() - 1)  # the chroma offset 2**(n-1)
    cb = cb - half
    cr = cr - half
    rounding = 1 << (_FIX_SHIFT - 1)
    red = y + ((_fix(1.40200) * cr + rounding) >> _FIX_SHIFT)
    green = y + ((-_fix(0.34414) * cb - _fix(0.71414) * cr + rounding) >> _FIX_SHIFT)
    blue = y + ((_fix(1.77200) * cb + rounding) >> _FIX_SHIFT)
    return [red, green, blue]


def _ybr_dcmtk(y: np.ndarray, cb: np.ndarray, cr: np.ndarray, top: int, table: bool) -> list[np.ndarray]:
    """DCMTK dcmimage's own conversion: chroma centred at top/2, truncated.

    ``diybrpxt.h`` (8-bit unsigned YBR_FULL): four tables, each entry
    truncated, e.g. R = Y + trunc(1.4020 * Cr - 0.7010 * 255);
    ``diyf2pxt.h`` / ``diybrpxt.h`` ``convertValue`` (YBR_FULL_422, other
    depths): the sums in double precision, clipped and then truncated.
    """
    if table:
        level = np.arange(top + 1, dtype=np.float64)
        r_cr = np.trunc(1.4020 * level - 0.7010 * top).astype(np.int64)
        g_cb = np.trunc(0.3441 * level).astype(np.int64)
        g_cr = np.trunc(0.7141 * level - 0.5291 * top).astype(np.int64)
        b_cb = np.trunc(1.7720 * level - 0.8859 * top).astype(np.int64)
        return [y + r_cr[cr], y - g_cb[cb] - g_cr[cr], y + b_cb[cb]]
    y, cb, cr = (v.astype(np.float64) for v in (y, cb, cr))
    red = y + 1.4020 * cr - 0.7010 * top
    green = y - 0.3441 * cb - 0.7141 * cr + 0.5291 * top
    blue = y + 1.7720 * cb - 0.8859 * top
    return [np.trunc(np.clip(v, 0.0, float(top))).astype(np.int64) for v in (red, green, blue)]


def ybr_to_rgb(
    arr: np.ndarray, bits: int = 8, method: str = "standard", *, jpeg: bool = False, subsampled: bool = False
) -> np.ndarray:
    """Convert a YBR_FULL frame (Y, Cb, Cr samples, unsigned) to RGB.

    Parameters
    ----------
    arr : numpy.ndarray
        (rows, columns, 3) YBR_FULL samples (a YBR_FULL_422 frame with its
        chroma already upsampled to every pixel).
    bits : int
        Bits Stored of the samples.
    method : str
        ``"standard"``: the inverse of PS3.3 C.7.6.3.1.2 (ITU-T T.871),
        rounded to the nearest integer in the IJG library's fixed-point
        arithmetic. ``"dcmtk"``: as ``dcmj2pnm`` converts (the standard one
        for JPEG-compressed frames, which its JPEG decoder converts, else
        DCMTK's own; see the module notes).
    jpeg : bool
        The frame was decoded from a JPEG (ISO/IEC 10918) codestream.
    subsampled : bool
        The dataset's Photometric Interpretation is YBR_FULL_422.

    Returns
    -------
    numpy.ndarray
        RGB samples, the dtype of `arr`.
    """
    if method not in YBR_METHODS:
        raise ValueError(f"method must be one of {', '.join(YBR_METHODS)}, not {method!r}")
    top = 2**bits - 1
    y, cb, cr = (arr[..., i].astype(np.int64) for i in range(3))
    if method == "standard" or jpeg:
        planes = _ybr_standard(y, cb, cr, top)
    else:
        planes = _ybr_dcmtk(y, cb, cr, top, table=bits == 8 and not subsampled)
    out = np.stack(planes, axis=-1)
    np.clip(out, 0, top, out=out)
    return out.astype(arr.dtype)


def frame_array(ds: Dataset, index: int = 0, options: RenderOptions | None = None) -> np.ndarray:
    """Frame `index` of `ds` decoded for :func:`render_frame`.

    Grayscale and palette frames as :func:`fastdicom.pixels.pixel_array`
    gives them; three-sample frames in RGB, a YBR_FULL or YBR_FULL_422
    frame converted by :func:`ybr_to_rgb` with the method of `options`.

    Parameters
    ----------
    ds : Dataset
    index : int
    options : RenderOptions, optional

    Returns
    -------
    numpy.ndarray
    """
    options = options or RenderOptions()
    meta = getattr(ds, "file_meta", None)
    uid = str(meta.get("TransferSyntaxUID", "") or "") if meta is not None else ""
    if ds.get("SamplesPerPixel", 1) != 3 or not uid:
        return pixel_array(ds, index=index)
    # the decoder's own colour space, before any conversion: a JPEG frame
    # may be YBR whatever the dataset says (a JFIF APP0 marker)
    arr, changed = get_decoder(uid).as_array(ds, index=index, as_rgb=False)
    photometric = str(changed.get("photometric_interpretation") or ds.get("PhotometricInterpretation", ""))
    if photometric not in _YBR or arr.ndim != 3:
        return arr
    bits = int(changed.get("bits_stored") or ds.get("BitsStored", None) or arr.dtype.itemsize * 8)
    return ybr_to_rgb(
        arr, bits, options.ybr, jpeg=uid in _jpeg.UIDS,
        subsampled=ds.get("PhotometricInterpretation") == "YBR_FULL_422",
    )


def _color(arr: np.ndarray, view: Dataset, options: RenderOptions) -> np.ndarray:
    """Stored values -> output values of one colour frame (RGB out)."""
    photometric = view.get("PhotometricInterpretation")
    if photometric == "PALETTE COLOR":
        rgb = apply_color_lut(arr, view)[..., :3]
        in_bits = rgb.dtype.itemsize * 8
    else:
        rgb = arr
        in_bits = int(view.get("BitsStored", None) or rgb.dtype.itemsize * 8)
    bits = options.bits
    if in_bits > bits:
        out = np.right_shift(rgb.astype(np.uint32), in_bits - bits)
    elif in_bits < bits:
        # replicate the bits, so that the largest input is the largest output
        out = rgb.astype(np.float64) * ((2**bits - 1) / (2**in_bits - 1))
    else:
        out = rgb
    return _to_integers(np.asarray(out), bits)


def render_frame(ds: Dataset, arr: np.ndarray, index: int = 0, options: RenderOptions | None = None) -> np.ndarray:
    """Render one decoded frame `arr` of `ds` to output values.

    Parameters
    ----------
    ds : Dataset
    arr : numpy.ndarray
        The frame as :func:`frame_array` gives it (colour in RGB).
    index : int
        The frame's index in `ds` (for the per-frame functional groups).
    options : RenderOptions, optional

    Returns
    -------
    numpy.ndarray
        ``uint8`` or ``uint16``, shape (rows, columns) for grayscale or
        (rows, columns, 3) for colour.
    """
    options = options or RenderOptions()
    view = frame_dataset(ds, index)
    photometric = view.get("PhotometricInterpretation", "MONOCHROME2")
    if arr.ndim == 2 and photometric in _GRAY:
        return _gray(arr, view, options)
    if arr.ndim == 2 and photometric == "PALETTE COLOR":
        return _color(arr, view, options)
    if arr.ndim == 3 and arr.shape[-1] == 3:
        return _color(arr, view, options)
    raise NotImplementedError(
        f"Rendering {photometric} frames of shape {arr.shape} is not supported"
    )


def render(ds: Dataset, frame: int = 0, **options: Any) -> np.ndarray:
    """Render frame `frame` of `ds` through the grayscale or colour pipeline.

    Parameters
    ----------
    ds : Dataset
    frame : int
        The frame index, 0 for the first.
    **options
        The fields of :class:`RenderOptions`.

    Returns
    -------
    numpy.ndarray
        ``uint8`` or ``uint16``: (rows, columns) or (rows, columns, 3).

    Examples
    --------
    >>> ds = fastdicom.dcmread("CT_small.dcm")
    >>> render(ds, voi="explicit", center=40, width=400, bits=16)
    """
    opts = RenderOptions(**options)
    return render_frame(ds, frame_array(ds, frame, opts), frame, opts)


# -- writing ----------------------------------------------------------------------
def _png_chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def png_bytes(arr: np.ndarray) -> bytes:
    """Encode `arr` as PNG (ISO/IEC 15948): 8 or 16 bits, gray or RGB.

    Parameters
    ----------
    arr : numpy.ndarray
        ``uint8`` or ``uint16``, (rows, columns) or (rows, columns, 3).

    Returns
    -------
    bytes
    """
    if arr.dtype not in (np.uint8, np.uint16) or arr.ndim not in (2, 3):
        raise ValueError(f"PNG needs a uint8 or uint16 gray or RGB array, not {arr.dtype} {arr.shape}")
    rows, columns = arr.shape[:2]
    channels = 1 if arr.ndim == 2 else arr.shape[2]
    if channels not in (1, 3):
        raise ValueError(f"PNG needs 1 or 3 samples per pixel, not {channels}")
    depth = arr.dtype.itemsize * 8
    # PNG samples are big endian; each row starts with its filter type, here
    # 2 (Up: each byte minus the byte above, modulo 256; ISO/IEC 15948 §9.2),
    # which suits images whose neighbouring rows are alike
    samples = arr.astype(f">u{arr.dtype.itemsize}", copy=False).reshape(rows, -1).view(np.uint8)
    scanlines = np.empty((rows, samples.shape[1] + 1), dtype=np.uint8)
    scanlines[:, 0] = 2
    scanlines[0, 1:] = samples[0]
    np.subtract(samples[1:], samples[:-1], out=scanlines[1:, 1:])
    header = struct.pack(">IIBBBBB", columns, rows, depth, 0 if channels == 1 else 2, 0, 0, 0)
    return b"".join(
        (
            b"\x89PNG\r\n\x1a\n",
            _png_chunk(b"IHDR", header),
            _png_chunk(b"IDAT", zlib.compress(scanlines.tobytes(), 6)),
            _png_chunk(b"IEND", b""),
        )
    )


def _pillow() -> Any:
    try:
        from PIL import Image
    except ImportError:
        raise ImportError(
            "Writing JPEG or TIFF images needs Pillow: install it with 'pip install pillow' "
            "(PNG needs nothing more)"
        ) from None
    return Image


def image_format(path: str, format: str | None = None) -> str:
    """The image format for `path`: `format` if given, else from the suffix.

    Parameters
    ----------
    path : str
    format : str, optional
        ``"png"``, ``"jpeg"`` (``"jpg"``) or ``"tiff"`` (``"tif"``).

    Returns
    -------
    str
    """
    if format:
        name = format.lower()
        name = {"jpg": "jpeg", "tif": "tiff"}.get(name, name)
        if name not in ("png", "jpeg", "tiff"):
            raise ValueError(f"Unknown image format {format!r}: use png, jpeg or tiff")
        return name
    suffix = os.path.splitext(str(path))[1].lower()
    if suffix not in FORMATS:
        raise ValueError(
            f"Cannot tell the image format of '{path}': name it .png, .jpg or .tif, or give the format"
        )
    return FORMATS[suffix]


def write_image(arr: np.ndarray, path: str | os.PathLike, format: str | None = None, quality: int = 90) -> None:
    """Write a rendered frame as PNG, JPEG or TIFF.

    Parameters
    ----------
    arr : numpy.ndarray
        From :func:`render`: ``uint8`` or ``uint16``, gray or RGB.
    path : str or PathLike
    format : str, optional
        Default from the suffix of `path`.
    quality : int
        JPEG quality, 1 to 100 (default 90, as dcmj2pnm).

    Raises
    ------
    ImportError
        JPEG or TIFF without Pillow.
    ValueError
        16-bit JPEG, or 16-bit colour TIFF (which Pillow cannot write).
    """
    path = os.fspath(path)
    kind = image_format(path, format)
    if kind == "png":
        data = png_bytes(arr)
        with open(path, "wb") as f:
            f.write(data)
        return
    if kind == "jpeg" and arr.dtype != np.uint8:
        raise ValueError("JPEG images have 8 bits per sample: use --bits 8, or PNG or TIFF for 16 bits")
    if not 1 <= int(quality) <= 100:
        raise ValueError(f"JPEG quality must be 1 to 100, not {quality}")
    Image = _pillow()
    if arr.dtype == np.uint16:
        if arr.ndim == 3:
            raise ValueError("16-bit colour TIFF is not supported (Pillow cannot write it): use PNG")
        image = Image.fromarray(arr.astype("<u2", copy=False))  # mode I;16
    else:
        image = Image.fromarray(arr)
    if kind == "jpeg":
        image.save(path, format="JPEG", quality=int(quality))
    else:
        image.save(path, format="TIFF")


def parse_frames(spec: str | int | Iterable[int] | None, count: int) -> list[int]:
    """The frame indices (0-based) that `spec` names.

    Parameters
    ----------
    spec : str, int, iterable of int, or None
        ``None``: the first frame; ``"all"``; a 1-based frame number
        ``"3"``; a range ``"2-5"`` (inclusive), ``"4-"`` (to the end);
        comma-separated lists of those (``"1,3,5-7"``). An int or iterable
        of ints are 0-based indices.
    count : int
        The number of frames of the image.

    Returns
    -------
    list of int
    """
    if spec is None:
        return [0]
    if isinstance(spec, int):
        indices = [spec]
    elif not isinstance(spec, str):
        indices = [int(i) for i in spec]
    elif spec.strip().lower() == "all":
        return list(range(count))
    else:
        indices = []
        for part in spec.split(","):
            part = part.strip()
            first, dash, last = part.partition("-")
            try:
                start = int(first)
                stop = (int(last) if last else count) if dash else start
            except ValueError:
                raise ValueError(f"Invalid frame range {part!r}: use N, N-M, N- or all") from None
            if start < 1 or stop < start:
                raise ValueError(f"Invalid frame range {part!r}: frames are numbered from 1")
            indices.extend(range(start - 1, stop))
    for index in indices:
        if not 0 <= index < count:
            raise ValueError(f"Frame {index + 1} asked for, but the image has {count} frame(s)")
    return indices


def output_paths(template: str, indices: Sequence[int], count: int) -> list[str]:
    """The file name of each frame: `template` with ``{frame}`` filled in.

    ``{frame}`` is the 1-based frame number and takes a format spec
    (``{frame:04d}``). With several frames and no ``{frame}`` in the
    template, ``_{frame}`` is put before the suffix, zero-padded to the
    width of the largest frame number.

    Parameters
    ----------
    template : str
    indices : sequence of int
        The 0-based frame indices.
    count : int
        The number of frames of the image.

    Returns
    -------
    list of str
    """
    if "{frame" not in template:
        if len(indices) == 1:
            return [template]
        stem, suffix = os.path.splitext(template)
        template = f"{stem}_{{frame:0{len(str(count))}d}}{suffix}"
    return [template.format(frame=i + 1) for i in indices]


def export(
    src: Dataset | str | os.PathLike,
    out: str | os.PathLike,
    *,
    frames: str | int | Iterable[int] | None = None,
    format: str | None = None,
    quality: int = 90,
    force: bool = False,
    **options: Any,
) -> list[str]:
    """Write frames of a DICOM image as PNG, JPEG or TIFF files.

    Parameters
    ----------
    src : Dataset, str or PathLike
        The image, or the path of its file.
    out : str or PathLike
        The output file, a template with ``{frame}`` when several frames
        are written (see :func:`output_paths`).
    frames : str, int or iterable of int, optional
        Which frames (see :func:`parse_frames`); default the first.
    format : str, optional
        ``"png"``, ``"jpeg"`` or ``"tiff"``; default from the suffix of `out`.
    quality : int
        JPEG quality (default 90).
    force : bool
        Read a file without the DICOM preamble and prefix.
    **options
        The fields of :class:`RenderOptions` (``bits=16``, ``voi="minmax"``, ...).

    Returns
    -------
    list of str
        The files written.

    Examples
    --------
    >>> export("CT_small.dcm", "ct.png")
    ['ct.png']
    >>> export("cine.dcm", "cine_{frame:03d}.png", frames="all", bits=16)
    """
    opts = RenderOptions(**options)
    ds = src if isinstance(src, Dataset) else dcmread(os.fspath(src), force=force)
    if "PixelData" not in ds and "FloatPixelData" not in ds and "DoubleFloatPixelData" not in ds:
        raise ValueError("The dataset has no pixel data")
    kind = image_format(os.fspath(out).replace("{", "").replace("}", ""), format)
    if kind == "jpeg" and opts.bits != 8:
        raise ValueError("JPEG images have 8 bits per sample: use bits=8, or PNG or TIFF for 16 bits")
    count = get_nr_frames(ds, warn=False)
    indices = parse_frames(frames, count)
    paths = output_paths(os.fspath(out), indices, count)
    for index, path in zip(indices, paths):
        arr = frame_array(ds, index, opts)
        write_image(render_frame(ds, arr, index, opts), path, kind, quality)
    return paths
