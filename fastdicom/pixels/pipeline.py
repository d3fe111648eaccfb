"""From a dataset (or a file) to a pixel array: pydicom 3's ``pixel_array``.

The pipeline finds the pixel data value in the source buffer without copying
it (the scanner's table gives its offset), checks the Image Pixel module
against the bytes there, allocates the output once, and fills it:

* native data: ``fastdicom._pixels`` in one pass (swap, mask / sign-extend,
  de-planarize, unpack bits), only the frame asked for;
* RLE Lossless: ``fastdicom._rle`` decodes each frame straight into its slot;
* other encapsulated syntaxes: the codec plugins of
  :mod:`fastdicom.pixels.decoders` (``get_decoder(uid)(frame_bytes, info)``),
  each frame placed in the output.

A path (or file-like with a file descriptor) is memory-mapped, so asking for
one frame reads only that frame's pages.
"""

from __future__ import annotations

import mmap
import os
from collections.abc import Iterable, Iterator
from math import ceil
from typing import Any

import numpy as np

from fastdicom import _pixels, config
from fastdicom.encaps import frame_layout, join_ranges
from fastdicom.pixels.frameinfo import FrameInfo
from fastdicom.pixels import rle as _rle_mod

# PS3.3 C.7.6.3: the Image Pixel module attributes the decoders need
IMAGE_PIXEL = {
    0x00280002: "samples_per_pixel",
    0x00280004: "photometric_interpretation",
    0x00280006: "planar_configuration",
    0x00280008: "number_of_frames",
    0x00280010: "rows",
    0x00280011: "columns",
    0x00280100: "bits_allocated",
    0x00280101: "bits_stored",
    0x00280103: "pixel_representation",
}
PIXEL_TAGS = {0x7FE00008: "FloatPixelData", 0x7FE00009: "DoubleFloatPixelData", 0x7FE00010: "PixelData"}
EXTENDED_OFFSETS = (0x7FE00001, 0x7FE00002)

NATIVE_SYNTAXES = {
    "1.2.840.10008.1.2": (True, True),  # Implicit VR Little Endian
    "1.2.840.10008.1.2.1": (True, False),  # Explicit VR Little Endian
    "1.2.840.10008.1.2.1.99": (True, False),  # Deflated Explicit VR Little Endian
    "1.2.840.10008.1.2.2": (False, False),  # Explicit VR Big Endian
}
RLE_LOSSLESS = "1.2.840.10008.1.2.5"
JPEG2000_SYNTAXES = {
    "1.2.840.10008.1.2.4.90", "1.2.840.10008.1.2.4.91", "1.2.840.10008.1.2.4.201",
    "1.2.840.10008.1.2.4.202", "1.2.840.10008.1.2.4.203",
}
JPEGLS_SYNTAXES = {"1.2.840.10008.1.2.4.80", "1.2.840.10008.1.2.4.81"}
PHOTOMETRIC = {
    "MONOCHROME1", "MONOCHROME2", "PALETTE COLOR", "RGB", "YBR_FULL", "YBR_FULL_422",
    "YBR_PARTIAL_422", "YBR_PARTIAL_420", "YBR_ICT", "YBR_RCT", "HSV", "ARGB", "CMYK",
    "XYB",
}
# Guards the allocation for a header that claims more than the data holds
MAX_OUTPUT_BYTES = 1 << 40
# Files at least this large are memory-mapped rather than read
MMAP_THRESHOLD = 8 << 20


def _warn(message: str) -> None:
    config.warn_and_log(message, UserWarning, stacklevel=4)


def _log(message: str) -> None:
    config.logger.warning(message)


# -- the source ------------------------------------------------------------
class PixelSource:
    """The encoded pixel data of one dataset and what describes it."""

    __slots__ = (
        "view", "start", "length", "keyword", "vr", "uid", "opts", "validate",
        "dataset", "_owner",
    )

    def __init__(self) -> None:
        self.view: memoryview
        self.start = 0
        self.length = 0
        self.keyword = "PixelData"
        self.vr: str | None = None
        self.uid = ""
        self.opts: dict[str, Any] = {}
        self.validate = True
        self.dataset: Any = None
        self._owner: Any = None

    @property
    def encapsulated(self) -> bool:
        return self.uid not in NATIVE_SYNTAXES

    @property
    def little_endian(self) -> bool:
        return self.uid != "1.2.840.10008.1.2.2"


def _element_value_range(ds: Any, tag: int) -> tuple[memoryview, int, int, str | None]:
    """The value of element `tag` as (view, start, length, VR) without a copy
    when the element was not touched since it was read."""
    store = ds._dict
    done = getattr(store, "_done", None)
    table = getattr(store, "_table", None)
    if (
        done is not None
        and tag not in done
        and table is not None
        and tag not in store._removed
    ):
        record = table.find(tag)
        if record is not None:
            _, vr, _, _, offset, length = record
            return store._source.view, offset, length, vr
    elem = ds[tag]
    value = elem.value
    if value is None:
        value = b""
    if isinstance(value, str):
        value = value.encode("latin-1")
    if not isinstance(value, (bytes, bytearray, memoryview)):
        # e.g. a corrupt file whose Pixel Data claims VR SQ or PN
        raise ValueError(
            f"The {elem.tag} '{elem.name}' element holds a {type(value).__name__} "
            f"(VR {elem.VR}), not pixel bytes"
        )
    view = memoryview(value).cast("B") if not isinstance(value, memoryview) else value.cast("B")
    return view, 0, len(view), elem.VR


def _int_value(value: Any) -> Any:
    if isinstance(value, (bytes, bytearray)):
        return int.from_bytes(value[:2], "little") if value else None
    if isinstance(value, str):
        return int(value)
    if isinstance(value, (list, tuple)):  # a multi-valued element: pydicom keeps it
        return value
    return value


def options_from_dataset(ds: Any, **kwargs: Any) -> dict[str, Any]:
    """pydicom's ``as_pixel_options``: the Image Pixel values, then `kwargs`."""
    opts: dict[str, Any] = {}
    store = ds._dict
    for tag, name in IMAGE_PIXEL.items():
        if tag in store:
            value = ds[tag].value
            if name == "photometric_interpretation":
                opts[name] = value
            else:
                opts[name] = _int_value(value)
    if 0x00280008 not in store:
        opts["number_of_frames"] = 1
    frames = opts["number_of_frames"]
    frames = int(frames) if isinstance(frames, str) else frames
    if frames in (None, 0):
        _warn(
            f"A value of '{frames}' for (0028,0008) 'Number of Frames' is invalid, "
            "assuming 1 frame"
        )
        frames = 1
    opts["number_of_frames"] = frames
    if EXTENDED_OFFSETS[0] in store and EXTENDED_OFFSETS[1] in store:
        opts["extended_offsets"] = (ds[EXTENDED_OFFSETS[0]].value, ds[EXTENDED_OFFSETS[1]].value)
    opts.update(kwargs)
    return opts


def source_from_dataset(ds: Any, **kwargs: Any) -> PixelSource:
    file_meta = getattr(ds, "file_meta", None)
    uid = None
    if file_meta is not None:
        elem = file_meta.get(0x00020010)
        uid = elem.value if elem is not None else None
    if not uid:
        raise AttributeError(
            "Unable to decode the pixel data as the dataset's 'file_meta' "
            "has no (0002,0010) 'Transfer Syntax UID' element"
        )
    return _make_source(ds, str(uid), kwargs, validate=True)


def _make_source(ds: Any, uid: str, kwargs: dict, validate: bool) -> PixelSource:
    uid = kwargs.pop("transfer_syntax_uid", None) or uid
    src = PixelSource()
    src.uid = str(uid).strip("\x00 ")
    src.dataset = ds
    src.validate = validate
    _check_supported(src.uid)
    present = [tag for tag in PIXEL_TAGS if tag in ds._dict]
    if not present:
        raise AttributeError(
            "The dataset has no 'Pixel Data', 'Float Pixel Data' or 'Double "
            "Float Pixel Data' element, no pixel data to decode"
        )
    if len(present) != 1:
        raise AttributeError(
            "One and only one of 'Pixel Data', 'Float Pixel Data' or "
            "'Double Float Pixel Data' may be present in the dataset"
        )
    tag = present[0]
    src.keyword = PIXEL_TAGS[tag]
    src.view, src.start, src.length, vr = _element_value_range(ds, tag)
    if vr is None:
        # Implicit VR: pydicom's dictionary VR ('OB or OW' resolved as OW for
        # Pixel Data when Bits Allocated > 8, else OB)
        vr = {"FloatPixelData": "OF", "DoubleFloatPixelData": "OD"}.get(src.keyword)
        if vr is None:
            try:
                vr = ds[tag].VR
            except Exception:
                vr = "OW"
    src.vr = vr
    src.opts = options_from_dataset(ds, **kwargs)
    src.opts.setdefault("transfer_syntax_uid", src.uid)
    if src.encapsulated:
        src.opts["pixel_keyword"] = "PixelData"
    else:
        src.opts["pixel_keyword"] = src.keyword
    return src


def _check_supported(uid: str) -> None:
    if uid in NATIVE_SYNTAXES or uid == RLE_LOSSLESS:
        return
    from fastdicom.uid import UID

    known = UID(uid)
    if not known.is_transfer_syntax or not known.is_encapsulated:
        raise NotImplementedError(
            "Unable to decode the pixel data as a (0002,0010) 'Transfer Syntax "
            f"UID' value of '{known.name}' is not supported"
        )


def source_from_file(src: Any, specific_tags: Any, ds_out: Any, kwargs: dict) -> PixelSource:
    """Memory-map `src` (a path or a file-like), read its header with the
    scanner, and point at its pixel data without reading it."""
    from fastdicom.filereader import dcmread

    buffer: Any
    if isinstance(src, (str, os.PathLike)):
        path = os.fspath(src)
        with open(path, "rb") as f:
            size = os.fstat(f.fileno()).st_size
            if size >= MMAP_THRESHOLD:
                # Large files: map them, so that one frame reads only its pages
                buffer = mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ)
            else:
                buffer = f.read()
    else:
        position = src.tell()
        buffer = None
        try:
            fileno = src.fileno()
            if os.fstat(fileno).st_size:
                buffer = mmap.mmap(fileno, 0, access=mmap.ACCESS_READ)
        except (AttributeError, OSError, ValueError, Exception):
            buffer = None
        if buffer is None:
            src.seek(0)
            buffer = src.read()
        src.seek(position)
    ds = dcmread(buffer, force=True)
    uid = kwargs.get("transfer_syntax_uid")
    if not uid:
        meta = getattr(ds, "file_meta", None)
        elem = meta.get(0x00020010) if meta is not None else None
        uid = elem.value if elem is not None else None
    if not uid:
        raise AttributeError(
            "'transfer_syntax_uid' is required if the dataset in 'src' is not "
            "in the DICOM File Format"
        )
    source = _make_source(ds, str(uid), dict(kwargs), validate=False)
    source._owner = buffer
    if ds_out is not None:
        tags = set(IMAGE_PIXEL) | set(EXTENDED_OFFSETS)
        tags |= {0x00280000 | e for e in range(0x0000, 0x10000) if (0x00280000 | e) in ds._dict}
        if specific_tags:
            from fastdicom.tag import Tag

            tags |= {int(Tag(t)) for t in specific_tags}
        ds_out.file_meta = ds.file_meta
        for tag in sorted(tags):
            if tag in ds._dict and tag not in PIXEL_TAGS:
                ds_out[tag] = ds[tag]
    return source


# -- validation (pydicom's DecodeRunner._validate_options) -----------------
def validate_options(opts: dict[str, Any]) -> None:
    prefix = "Missing required element: (0028"
    keyword = opts.get("pixel_keyword", "PixelData")
    ba = opts.get("bits_allocated")
    if ba is None:
        raise AttributeError(f"{prefix},0100) 'Bits Allocated'")
    if not 1 <= ba <= 64 or (ba != 1 and ba % 8):
        raise ValueError(
            f"A (0028,0100) 'Bits Allocated' value of '{ba}' "
            "is invalid, it must be 1 or a multiple of 8 and in the range (1, 64)"
        )
    if "Float" not in keyword:
        bs = opts.get("bits_stored")
        if bs is None:
            raise AttributeError(f"{prefix},0101) 'Bits Stored'")
        if not 1 <= bs <= ba <= 64:
            raise ValueError(
                f"A (0028,0101) 'Bits Stored' value of '{bs}' is "
                "invalid, it must be in the range (1, 64) and no greater than "
                f"the (0028,0100) 'Bits Allocated' value of '{ba}'"
            )
    columns = opts.get("columns")
    if columns is None:
        raise AttributeError(f"{prefix},0011) 'Columns'")
    if not 0 < columns <= 2**16 - 1:
        raise ValueError(
            f"A (0028,0011) 'Columns' value of '{columns}' is invalid, "
            "it must be in the range (1, 65535)"
        )
    frames = opts.get("number_of_frames")
    if frames is not None and frames < 1:
        raise ValueError(
            f"A (0028,0008) 'Number of Frames' value of '{frames}' "
            "is invalid, it must be greater than or equal to 1"
        )
    pi = opts.get("photometric_interpretation")
    if pi is None:
        raise AttributeError(f"{prefix},0004) 'Photometric Interpretation'")
    if pi not in PHOTOMETRIC:
        raise ValueError(f"Unknown (0028,0004) 'Photometric Interpretation' value '{pi}'")
    if keyword not in PIXEL_TAGS.values():
        raise ValueError(f"Unknown 'pixel_keyword' value '{keyword}'")
    if keyword == "PixelData":
        pr = opts.get("pixel_representation")
        if pr is None:
            raise AttributeError(f"{prefix},0103) 'Pixel Representation'")
        if pr not in (0, 1):
            raise ValueError(
                "A (0028,0103) 'Pixel Representation' value of "
                f"'{pr}' is invalid, it must be 0 or 1"
            )
    rows = opts.get("rows")
    if rows is None:
        raise AttributeError(f"{prefix},0010) 'Rows'")
    if not 0 < rows <= 2**16 - 1:
        raise ValueError(
            f"A (0028,0010) 'Rows' value of '{rows}' is invalid, it "
            "must be in the range (1, 65535)"
        )
    spp = opts.get("samples_per_pixel")
    if spp is None:
        raise AttributeError(f"{prefix},0002) 'Samples per Pixel'")
    if spp not in (1, 3):
        raise ValueError(
            f"A (0028,0002) 'Samples per Pixel' value of '{spp}' "
            "is invalid, it must be 1 or 3"
        )
    if spp == 3:
        pc = opts.get("planar_configuration")
        if pc is None:
            raise AttributeError(f"{prefix},0006) 'Planar Configuration'")
        if pc not in (0, 1):
            raise ValueError(
                "A (0028,0006) 'Planar Configuration' value of "
                f"'{pc}' is invalid, it must be 0 or 1"
            )
    ext = opts.get("extended_offsets")
    if ext and len(ext[0]) != len(ext[1]):
        _warn(
            "The number of items in (7FE0,0001) 'Extended Offset Table' and "
            "(7FE0,0002) 'Extended Offset Table Lengths' don't match - the "
            "extended offset table will be ignored"
        )
        del opts["extended_offsets"]


def pixel_dtype(opts: dict[str, Any]) -> np.dtype:
    """The native-endian dtype of the decoded pixels (pydicom's rules)."""
    keyword = opts.get("pixel_keyword", "PixelData")
    if keyword == "FloatPixelData":
        return np.dtype("float32")
    if keyword == "DoubleFloatPixelData":
        return np.dtype("float64")
    ba = opts["bits_allocated"]
    if ba == 1:
        return np.dtype("u1")
    code = "ui"[opts["pixel_representation"]] + str(ba // 8)
    try:
        return np.dtype(code)
    except TypeError:
        raise NotImplementedError(
            f"The data type '{code}' needed to contain the pixel data is not supported by NumPy"
        ) from None


def frame_info(opts: dict[str, Any]) -> FrameInfo:
    return FrameInfo(
        rows=opts["rows"],
        columns=opts["columns"],
        samples_per_pixel=opts["samples_per_pixel"],
        bits_allocated=opts["bits_allocated"],
        bits_stored=opts.get("bits_stored", opts["bits_allocated"]),
        pixel_representation=opts.get("pixel_representation", 0),
        photometric_interpretation=str(opts["photometric_interpretation"]),
        planar_configuration=opts.get("planar_configuration", 0) or 0,
        number_of_frames=opts["number_of_frames"],
        transfer_syntax_uid=str(opts["transfer_syntax_uid"]),
    )


def _frame_length(opts: dict[str, Any], encapsulated: bool) -> float:
    """pydicom's frame_length(unit='bytes') (a float for unaligned 1-bit frames)."""
    length: float = opts["rows"] * opts["columns"] * opts["samples_per_pixel"]
    ba = opts["bits_allocated"]
    if ba == 1:
        if encapsulated:
            length = length // 8 + (length % 8 > 0)
        else:
            length = length / 8
            if length.is_integer():
                length = int(length)
    else:
        length *= ba // 8
    if opts["photometric_interpretation"] == "YBR_FULL_422" and not encapsulated:
        length = length // 3 * 2
    return length


def _validate_native_length(src: PixelSource, opts: dict[str, Any]) -> None:
    """pydicom's DecodeRunner._validate_buffer for native data."""
    frame_length = _frame_length(opts, False)
    expected = ceil(frame_length * opts["number_of_frames"])
    actual = src.length
    padded = expected + expected % 2
    if actual < padded:
        if actual != expected:
            raise ValueError(
                f"The number of bytes of pixel data is less than expected "
                f"({actual} vs {padded} bytes) - the dataset may be "
                "corrupted, have an invalid group 0028 element value, or "
                "the transfer syntax may be incorrect"
            )
    elif actual > padded:
        if opts["photometric_interpretation"] == "YBR_FULL_422":
            ybr_length = expected // 2 * 3
            if actual >= ybr_length + ybr_length % 2:
                raise ValueError(
                    "The number of bytes of pixel data is a third larger "
                    f"than expected ({actual} vs {expected} bytes) which "
                    "indicates the set (0028,0004) 'Photometric Interpretation' "
                    "value of 'YBR_FULL_422' is incorrect and may need to be "
                    "changed to either 'RGB' or 'YBR_FULL'"
                )
        elif opts.get("allow_excess_frames", True):
            whole_frames = int(actual // frame_length)
            if whole_frames > opts["number_of_frames"]:
                _warn(
                    "The number of bytes of pixel data is sufficient to contain "
                    f"{whole_frames} frames which is larger than the given "
                    f"(0028,0008) 'Number of Frames' value of {opts['number_of_frames']}. "
                    "The returned data will include these extra frames and if it's "
                    "correct then you should update 'Number of Frames' accordingly, "
                    "otherwise pass 'allow_excess_frames=False' to return only "
                    f"the first {opts['number_of_frames']} frames."
                )
                opts["number_of_frames"] = whole_frames
                return
        _warn(
            f"The pixel data is {actual} bytes long, which indicates it "
            f"contains {actual - expected} bytes of excess padding to "
            "be removed"
        )


# -- native ----------------------------------------------------------------
def _decode_native(src: PixelSource, opts: dict[str, Any], index: int | None) -> np.ndarray:
    """A 1-D array of the frames (or of frame `index`), processed in one pass."""
    if src.validate:
        _validate_native_length(src, opts)
    dtype = pixel_dtype(opts)
    rows, columns, spp = opts["rows"], opts["columns"], opts["samples_per_pixel"]
    pixels = rows * columns
    frames = opts["number_of_frames"] if index is None else 1
    first = 0 if index is None else index
    ba = opts["bits_allocated"]
    view, start, available = src.view, src.start, src.length

    if ba == 1:
        count = pixels * spp * frames
        bit_offset = first * pixels * spp
        if (bit_offset + count + 7) // 8 > available:
            if index is not None:
                raise ValueError(f"There is insufficient pixel data to contain {index + 1} frames")
            raise ValueError(
                f"The pixel data holds {available} bytes, {(count + 7) // 8} are needed "
                f"for {frames} frames of {rows} x {columns} x {spp} 1-bit pixels"
            )
        out = np.empty(count, dtype=np.uint8)
        _pixels.unpack_bits(view, start * 8 + bit_offset, count, out)
        return out

    itemsize = ba // 8
    frame_bytes = int(_frame_length(opts, False))
    needed = frame_bytes * frames
    offset = first * frame_bytes
    if offset + needed > available:
        if index is not None:
            raise ValueError(f"There is insufficient pixel data to contain {index + 1} frames")
        raise ValueError(
            f"The pixel data holds {available} bytes, {needed} are needed for "
            f"{frames} frames of {rows} x {columns} x {spp} x {itemsize} bytes"
        )
    if needed > MAX_OUTPUT_BYTES:
        raise MemoryError(f"Refusing to allocate {needed} bytes of pixel data")

    swap = not src.little_endian and itemsize > 1
    if (
        not src.little_endian
        and itemsize == 1
        and src.keyword == "PixelData"
        and (src.vr == "OW" or opts.get("be_swap_ow"))
    ):
        # Big endian 8-bit data encoded as OW: bytes are swapped pairwise
        lo = (start + offset) - (start + offset - start) % 2
        hi = start + offset + needed
        hi += (hi - start) % 2
        hi = min(hi, start + available + available % 2)
        raw = np.frombuffer(view[lo:hi], dtype=np.uint8)
        if len(raw) % 2:
            raw = np.concatenate([raw, np.zeros(1, np.uint8)])
        swapped = raw.view(">u2").astype("<u2").view(np.uint8)
        view, start, offset = memoryview(swapped), 0, (start + offset) - lo
        offset_base = 0
    else:
        offset_base = start
    shift = 0
    if (
        opts.get("correct_unused_bits", True)
        and src.keyword == "PixelData"
        and ba > opts["bits_stored"]
    ):
        shift = ba - opts["bits_stored"]
    signed = bool(opts.get("pixel_representation", 0)) and src.keyword == "PixelData"
    if dtype.kind == "f":
        shift, signed = 0, False

    count = needed // itemsize
    out = np.empty(count, dtype=dtype)
    if opts["photometric_interpretation"] == "YBR_FULL_422":
        _pixels.decode_native(
            view, offset_base + offset, out.view(np.uint8), count, 1, itemsize, shift,
            signed, swap, False, 1,
        )
        return _expand_ybr422(out, opts)
    planar = spp > 1 and opts.get("planar_configuration", 0) == 1
    _pixels.decode_native(
        view, offset_base + offset, out.view(np.uint8), pixels, spp, itemsize, shift, signed,
        swap, planar, frames,
    )
    if planar:
        opts["_deplanarized"] = True
    return out


def _expand_ybr422(arr: np.ndarray, opts: dict[str, Any]) -> np.ndarray:
    """PS3.3 C.7.6.3.1.2: Y1 Y2 Cb Cr -> Y1 Cb Cr Y2 Cb Cr."""
    out = np.empty(arr.shape[0] // 2 * 3, dtype=arr.dtype)
    out[::6] = arr[::4]
    out[3::6] = arr[1::4]
    out[1::6], out[4::6] = arr[2::4], arr[2::4]
    out[2::6], out[5::6] = arr[3::4], arr[3::4]
    opts["photometric_interpretation"] = "YBR_FULL"
    return out


def _reshape(arr: np.ndarray, opts: dict[str, Any], as_frame: bool) -> np.ndarray:
    frames = opts["number_of_frames"]
    spp = opts["samples_per_pixel"]
    rows, columns = opts["rows"], opts["columns"]
    planar = opts.get("planar_configuration", 0) == 1 and not opts.get("_deplanarized")
    if not as_frame and frames > 1:
        if spp == 1:
            return arr.reshape(frames, rows, columns)
        if not planar:
            return arr.reshape(frames, rows, columns, spp)
        return np.ascontiguousarray(arr.reshape(frames, spp, rows, columns).transpose(0, 2, 3, 1))
    if spp == 1:
        return arr.reshape(rows, columns)
    if not planar:
        return arr.reshape(rows, columns, spp)
    return np.ascontiguousarray(arr.reshape(spp, rows, columns).transpose(1, 2, 0))


# -- encapsulated ----------------------------------------------------------
def _layout(src: PixelSource, opts: dict[str, Any]) -> Any:
    layout = frame_layout(
        src.view,
        src.start,
        src.start + src.length,
        number_of_frames=opts["number_of_frames"],
        extended_offsets=opts.get("extended_offsets"),
        endianness="<" if src.little_endian else ">",
    )
    return layout


def _frame_decoder(uid: str) -> Any:
    if uid == RLE_LOSSLESS:
        return None
    try:
        from fastdicom.pixels.decoders import get_decoder
    except ImportError as exc:
        if "fastdicom.pixels.decoders" not in str(exc):
            raise
        raise NotImplementedError(
            f"Unable to decode the pixel data: no decoder for the transfer syntax "
            f"'{uid}' is available in this build of fastdicom"
        ) from None
    try:
        return get_decoder(uid)
    except NotImplementedError:
        from fastdicom.uid import UID

        raise NotImplementedError(
            "Unable to decode the pixel data as a (0002,0010) 'Transfer Syntax "
            f"UID' value of '{UID(uid).name}' is not supported"
        ) from None


class _EncapsulatedDecoder:
    """Decodes frames of one encapsulated source into slots of an output array."""

    def __init__(self, src: PixelSource, opts: dict[str, Any]) -> None:
        self.src = src
        self.opts = opts
        self.layout = _layout(src, opts)
        self.decoder = _frame_decoder(src.uid)
        self.info = frame_info(opts)
        self.dtype = pixel_dtype(opts)
        self.overrides: dict[str, Any] = {}
        self.shift = 0
        if (
            src.uid not in JPEG2000_SYNTAXES
            and src.uid not in JPEGLS_SYNTAXES
            and opts.get("correct_unused_bits", True)
            and opts["bits_allocated"] > opts["bits_stored"]
        ):
            self.shift = opts["bits_allocated"] - opts["bits_stored"]
        self.warned = False

    @property
    def nr_frames(self) -> int:
        return len(self.layout.frames)

    def frame_bytes(self, index: int) -> Any:
        ranges = self.layout.frames[index]
        view = self.src.view
        if len(ranges) == 1:
            value, length = ranges[0]
            return view[value : value + length]
        return join_ranges(view, ranges)

    def decode_into(self, index: int, out: np.ndarray) -> None:
        data = self.frame_bytes(index)
        if self.decoder is None:
            _rle_mod.decode_frame_into(
                data, out, self.info, self.opts.get("rle_segment_order", ">")
            )
        else:
            result = self.decoder(bytes(data), self.info)
            if isinstance(result, tuple):
                result, changes = result
                self.overrides.update(changes or {})
            result = np.asarray(result)
            if result.size != out.size:
                raise ValueError(
                    f"The decoder returned {result.size} values for frame {index}, "
                    f"{out.size} were expected ({self.info.shape})"
                )
            out[...] = result.reshape(out.shape)
        if self.shift:
            flat = out.reshape(-1).view(np.uint8)
            _pixels.decode_native(
                flat, 0, flat, out.size, 1, out.dtype.itemsize, self.shift,
                out.dtype.kind == "i", False, False, 1,
            )


def _decode_encapsulated(src: PixelSource, opts: dict[str, Any], index: int | None) -> np.ndarray:
    if src.validate:
        expected = ceil(_frame_length(opts, True) * opts["number_of_frames"])
        if src.length in (expected, expected + expected % 2):
            _warn(
                "The number of bytes of compressed pixel data matches the "
                "expected number for uncompressed data - check that the "
                "transfer syntax has been set correctly"
            )
    decoder = _EncapsulatedDecoder(src, opts)
    frame_shape = decoder.info.shape
    declared = opts["number_of_frames"]
    if index is not None:
        if index >= decoder.nr_frames:
            raise ValueError(f"There is insufficient pixel data to contain {index + 1} frames")
        out = np.empty(frame_shape, dtype=decoder.dtype)
        decoder.decode_into(index, out)
        if index == decoder.nr_frames - 1:
            for message in decoder.layout.warnings:
                _warn(message)
        opts.update(decoder.overrides)
        return out
    available = decoder.nr_frames
    if available < declared:
        for message in decoder.layout.warnings:
            _warn(message)
        raise ValueError(
            f"The encapsulated pixel data holds {available} frames, fewer than the "
            f"(0028,0008) 'Number of Frames' value of {declared}"
        )
    frames = declared
    if available > declared and opts.get("allow_excess_frames", True):
        frames = available
    out = np.empty((frames, *frame_shape), dtype=decoder.dtype)
    for i in range(declared):
        decoder.decode_into(i, out[i])
    kept = declared
    for i in range(declared, frames):
        try:
            decoder.decode_into(i, out[kept])
        except Exception:
            continue
        kept += 1
    for message in decoder.layout.warnings:
        _warn(message)
    if kept > declared:
        _warn(
            f"{kept} frames have been found in "
            "the encapsulated pixel data, which is larger than the given "
            f"(0028,0008) 'Number of Frames' value of {declared}. "
            "The returned data will include these extra frames and if it's "
            "correct then you should update 'Number of Frames' accordingly, "
            "otherwise pass 'allow_excess_frames=False' to return only the "
            f"first {declared} frames."
        )
        opts["number_of_frames"] = kept
    out = out[:kept]
    opts.update(decoder.overrides)
    if kept == 1:
        return out[0]
    return out


# -- processing ------------------------------------------------------------
def ybr_full_to_rgb(arr: np.ndarray) -> np.ndarray:
    """YBR_FULL to RGB, PS3.3 C.7.6.3.1.2 (pydicom's arithmetic, frame by frame
    so a multi-frame array needs one frame of float work space)."""
    from fastdicom.pixels.processing import convert_color_space

    return convert_color_space(arr, "YBR_FULL", "RGB", per_frame=True)


def _process(arr: np.ndarray, opts: dict[str, Any]) -> np.ndarray:
    force_ybr = opts.get("force_ybr", False)
    force_rgb = opts.get("force_rgb", False)
    if force_ybr and force_rgb:
        raise ValueError("'force_ybr' and 'force_rgb' cannot both be True")
    pi = opts["photometric_interpretation"]
    to_rgb = (pi in ("YBR_FULL", "YBR_FULL_422") and opts.get("as_rgb", True)) or force_rgb
    if force_ybr:
        from fastdicom.pixels.processing import convert_color_space

        arr = convert_color_space(arr, "RGB", "YBR_FULL")
        opts["photometric_interpretation"] = "YBR_FULL"
    elif to_rgb:
        arr = ybr_full_to_rgb(arr)
        opts["photometric_interpretation"] = "RGB"
    return arr


# -- the public functions --------------------------------------------------
def decode(src: PixelSource, index: int | None = None, raw: bool = False) -> np.ndarray:
    """The array of `src` (all frames, or frame `index`), as pydicom 3 returns it."""
    if index is not None and index < 0:
        raise ValueError("'index' must be greater than or equal to 0")
    opts = dict(src.opts)
    for key in ("decoding_plugin", "use_pdh", "index", "raw", "view_only"):
        opts.pop(key, None)
    validate_options(opts)
    if src.encapsulated:
        arr = _decode_encapsulated(src, opts, index)
    else:
        arr = _reshape(_decode_native(src, opts, index), opts, index is not None)
    if not raw:
        arr = _process(arr, opts)
    return arr


def _open(src: Any, ds_out: Any, specific_tags: Any, kwargs: dict) -> PixelSource:
    from fastdicom.dataset import Dataset

    if isinstance(src, Dataset):
        return source_from_dataset(src, **kwargs)
    return source_from_file(src, specific_tags, ds_out, kwargs)


def pixel_array(
    src: Any,
    *,
    ds_out: Any = None,
    specific_tags: list[int] | None = None,
    index: int | None = None,
    raw: bool = False,
    decoding_plugin: str = "",
    **kwargs: Any,
) -> np.ndarray:
    """The pixel data of `src` (a Dataset, a path or a binary file-like) as an
    array, as ``pydicom.pixels.pixel_array``. With a path, the file is
    memory-mapped and only the frames asked for are read."""
    source = _open(src, ds_out, specific_tags, kwargs)
    return decode(source, index=index, raw=raw)


def iter_pixels(
    src: Any,
    *,
    ds_out: Any = None,
    specific_tags: list[int] | None = None,
    indices: Iterable[int] | None = None,
    raw: bool = False,
    decoding_plugin: str = "",
    **kwargs: Any,
) -> Iterator[np.ndarray]:
    """Yield the frames of `src` one at a time (``pydicom.pixels.iter_pixels``)."""
    source = _open(src, ds_out, specific_tags, kwargs)
    opts = dict(source.opts)
    validate_options(opts)
    if source.encapsulated:
        layout = _layout(source, opts)
        count = len(layout.frames)
        if not opts.get("allow_excess_frames", True):
            count = min(count, opts["number_of_frames"])
    else:
        if source.validate:
            _validate_native_length(source, opts)
        count = opts["number_of_frames"]
    wanted = range(count) if indices is None else indices
    for index in wanted:
        frame_source = source
        if not source.encapsulated and source.validate:
            frame_source = _copy_source(source, validate=False, opts=opts)
        yield decode(frame_source, index=index, raw=raw)


def _copy_source(source: PixelSource, validate: bool, opts: dict[str, Any]) -> PixelSource:
    copy = PixelSource()
    for name in PixelSource.__slots__:
        setattr(copy, name, getattr(source, name))
    copy.validate = validate
    copy.opts = dict(opts)
    return copy
