"""From a dataset (or a file) to a pixel array: pydicom 3's ``pixel_array``.

The pipeline finds the pixel data value in the source buffer without copying
it (the scanner's table gives its offset) and hands that buffer and the Image
Pixel options to the transfer syntax's
:class:`~fastdicom.pixels.decoders.base.Decoder`, which validates, decodes
(``fastdicom._pixels`` for native data, its plugins for encapsulated frames:
``fastdicom._rle`` for RLE Lossless, the codec backends for JPEG, JPEG-LS and
JPEG 2000) and processes the frames.

A path (or file-like with a file descriptor) is memory-mapped, so asking for
one frame reads only that frame's pages.
"""

from __future__ import annotations

import mmap
import os
import sys
from collections.abc import Iterable, Iterator
from typing import Any

import numpy as np

from fastdicom import _pixels, config
from fastdicom.dataset import Dataset
from fastdicom.filereader import dcmread
from fastdicom.pixels.common import EXTENDED_OFFSETS, IMAGE_PIXEL, as_pixel_options
from fastdicom.pixels.decoders import base as _decoders
from fastdicom.pixels.decoders.base import DecodeRunner, get_decoder
from fastdicom.tag import Tag
from fastdicom.uid import UID, ExplicitVRBigEndian, ExplicitVRLittleEndian, ImplicitVRLittleEndian

PIXEL_TAGS = {0x7FE00008: "FloatPixelData", 0x7FE00009: "DoubleFloatPixelData", 0x7FE00010: "PixelData"}

NATIVE_SYNTAXES = {
    "1.2.840.10008.1.2": (True, True),  # Implicit VR Little Endian
    "1.2.840.10008.1.2.1": (True, False),  # Explicit VR Little Endian
    "1.2.840.10008.1.2.1.99": (True, False),  # Deflated Explicit VR Little Endian
    "1.2.840.10008.1.2.2": (False, False),  # Explicit VR Big Endian
}
# The uncompressed syntaxes as their (even-length, PS3.5 §9.1) values in a file
_NATIVE_SYNTAX_BYTES = {
    (uid + "\x00" * (len(uid) % 2)).encode("ascii"): uid for uid in NATIVE_SYNTAXES
}
# Files at least this large are memory-mapped rather than read
MMAP_THRESHOLD = 8 << 20


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
    place = ds._dict.value_place(tag)
    if place is not None:
        return place
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


def source_from_dataset(ds: Any, **kwargs: Any) -> PixelSource:
    return _make_source(ds, transfer_syntax_of(ds), kwargs, validate=True)


_UNDEFINED_LENGTH = 0xFFFFFFFF


def transfer_syntax_of(ds: Any) -> str:
    """The transfer syntax to decode `ds`'s pixel data with.

    The File Meta's (0002,0010) when present. A dataset read from data that
    had no Transfer Syntax UID (a bare dataset, read as DCMTK and GDCM read
    one) has no such element, but the reader guessed its encoding: native
    pixel data is then decoded with the uncompressed transfer syntax of that
    encoding (PS3.5 §A.1-A.3: Implicit VR is always little endian). pydicom
    refuses to decode such a dataset. A syntax removed from a dataset read
    with one is not guessed: that stays an error, as in pydicom.

    Parameters
    ----------
    ds : Dataset

    Returns
    -------
    str

    Raises
    ------
    AttributeError
        No Transfer Syntax UID, and no encoding read from data, or
        encapsulated pixel data, whose compression cannot be guessed.
    """
    file_meta = getattr(ds, "file_meta", None)
    known = _native_syntax_as_read(file_meta)
    if known is not None:
        return known
    elem = file_meta.get(0x00020010) if file_meta is not None else None
    if elem is not None and elem.value:
        return str(elem.value)
    message = (
        "Unable to decode the pixel data as the dataset's 'file_meta' "
        "has no (0002,0010) 'Transfer Syntax UID' element"
    )
    implicit, little = getattr(ds, "original_encoding", (None, None))
    if not vars(ds).get("_encoding_guessed") or implicit is None or little is None:
        raise AttributeError(message)
    pixel_data = ds.get_item(0x7FE00010, keep_deferred=True) if 0x7FE00010 in ds else None
    if pixel_data is not None and (
        getattr(pixel_data, "is_undefined_length", False)
        or getattr(pixel_data, "length", 0) == _UNDEFINED_LENGTH
    ):
        raise AttributeError(
            f"{message}, and its encapsulated (compressed) Pixel Data does not say "
            "which compression it uses: set ds.file_meta.TransferSyntaxUID"
        )
    if implicit:
        return ImplicitVRLittleEndian
    return ExplicitVRLittleEndian if little else ExplicitVRBigEndian


def _native_syntax_as_read(file_meta: Any) -> str | None:
    """The Transfer Syntax UID of `file_meta` when it is an uncompressed
    syntax, its element untouched since read: straight from its bytes,
    without making the element; else None (then ask the element)."""
    place_of = getattr(getattr(file_meta, "_dict", None), "value_place", None)
    place = place_of(0x00020010) if place_of is not None else None
    if place is None:
        return None
    view, offset, length, _ = place
    return _NATIVE_SYNTAX_BYTES.get(bytes(view[offset : offset + length]))


def _make_source(ds: Any, uid: str, kwargs: dict, validate: bool) -> PixelSource:
    uid = kwargs.pop("transfer_syntax_uid", None) or uid
    src = PixelSource()
    src.uid = str(uid).strip("\x00 ")
    src.dataset = ds
    src.validate = validate
    _check_supported(src.uid)
    present = [tag for tag in PIXEL_TAGS if tag in ds._dict]
    if not present:
        where = "The dataset" if validate else "The dataset in 'src'"
        raise AttributeError(
            f"{where} has no 'Pixel Data', 'Float Pixel Data' or 'Double "
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
    src.opts = as_pixel_options(ds, **kwargs)
    src.opts.setdefault("transfer_syntax_uid", src.uid)
    if src.encapsulated:
        src.opts["pixel_keyword"] = "PixelData"
    else:
        src.opts["pixel_keyword"] = src.keyword
    return src


def _check_supported(uid: str) -> None:
    """Raise pydicom's error when no Decoder exists for `uid`."""
    try:
        get_decoder(uid)
    except NotImplementedError:
        raise NotImplementedError(
            "Unable to decode the pixel data as a (0002,0010) 'Transfer Syntax "
            f"UID' value of '{UID(uid).name}' is not supported"
        ) from None


def source_from_file(src: Any, specific_tags: Any, ds_out: Any, kwargs: dict) -> PixelSource:
    """Memory-map `src` (a path or a file-like), read its header with the
    scanner, and point at its pixel data without reading it."""
    ds, buffer, uid = _read_source(src, kwargs)
    source = _make_source(ds, uid, dict(kwargs), validate=False)
    source._owner = buffer
    if ds_out is not None:
        tags = set(IMAGE_PIXEL) | set(EXTENDED_OFFSETS)
        tags |= {0x00280000 | e for e in range(0x0000, 0x10000) if (0x00280000 | e) in ds._dict}
        if specific_tags:
            tags |= {int(Tag(t)) for t in specific_tags}
        ds_out.file_meta = ds.file_meta
        for tag in sorted(tags):
            if tag in ds._dict and tag not in PIXEL_TAGS:
                ds_out[tag] = ds[tag]
    return source


def _read_file(path: str) -> Any:
    """The bytes of the file at `path`: a writeable ``uint8`` array the
    caller owns (read with one ``readv`` into it: no intermediate bytes
    object), or a read-only memory map of a file of ``MMAP_THRESHOLD`` bytes
    or more (so that one frame reads only its pages).

    Owning the buffer lets :func:`fast_native_array` decode native pixels in
    place and return a view of it: the pixel bytes are then copied once,
    from the page cache into the array the caller gets.
    """
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_BINARY", 0))
    try:
        size = os.fstat(fd).st_size
        if size >= MMAP_THRESHOLD:
            return mmap.mmap(fd, 0, access=mmap.ACCESS_READ)
        buffer = np.empty(size, dtype=np.uint8)
        filled = 0
        while filled < size:
            if _readv is not None:
                count = _readv(fd, [buffer[filled:]])
            else:  # Windows: no readv
                chunk = os.read(fd, size - filled)
                count = len(chunk)
                buffer[filled : filled + count] = np.frombuffer(chunk, dtype=np.uint8)
            if not count:
                # The file shrank since fstat: what is there is the file
                return buffer[:filled]
            filled += count
        return buffer
    finally:
        os.close(fd)


_readv = getattr(os, "readv", None)


def _read_source(src: Any, kwargs: dict) -> tuple[Dataset, Any, str]:
    """The dataset of `src` (a path or a binary file-like), the buffer it was
    read from (see :func:`_read_file`; for a file-like, a memory map of its
    file or its bytes) and its transfer syntax UID
    (``kwargs['transfer_syntax_uid']`` first)."""
    buffer: Any
    if isinstance(src, (str, os.PathLike)):
        buffer = _read_file(os.fspath(src))
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
    ds = dcmread(buffer.data if isinstance(buffer, np.ndarray) else buffer, force=True)
    uid = kwargs.get("transfer_syntax_uid")
    if not uid:
        meta = getattr(ds, "file_meta", None)
        uid = _native_syntax_as_read(meta)
        if uid is None:
            elem = meta.get(0x00020010) if meta is not None else None
            uid = elem.value if elem is not None else None
    if not uid:
        raise AttributeError(
            "'transfer_syntax_uid' is required if the dataset in 'src' is not "
            "in the DICOM File Format"
        )
    return ds, buffer, str(uid)


# -- the common case in one pass ---------------------------------------------
# Little-endian native syntaxes (PS3.5 A.1, A.2, A.5): the values are in the
# host's order on a little-endian machine, so decoding is one pass of
# fastdicom._pixels (copy + mask/sign-extend + de-planarize).
_FAST_SYNTAXES = frozenset({
    "1.2.840.10008.1.2", "1.2.840.10008.1.2.1", "1.2.840.10008.1.2.1.99",
})
# Photometric interpretations the default processing leaves alone (only
# YBR_FULL(_422) is converted to RGB, PS3.3 C.7.6.3.1.2)
_FAST_MONOCHROME = frozenset({"MONOCHROME1", "MONOCHROME2", "PALETTE COLOR"})
_SECOND_PIXEL_TAGS = (0x7FE00008, 0x7FE00009, EXTENDED_OFFSETS[0], EXTENDED_OFFSETS[1])


# The output dtypes by (Pixel Representation, bytes per value), made once
_NATIVE_DTYPES = {
    (representation, size): np.dtype(f"<{'ui'[representation]}{size}")
    for representation in (0, 1)
    for size in (1, 2, 4, 8)
}


def fast_native_array(ds: Any, uid: str, owned: np.ndarray | None = None) -> np.ndarray | None:
    """The pixels of `ds` decoded in one pass from where the file put them,
    or None when the general path must decide.

    This is the general path's result for the commonest case, reached with
    a handful of lookups instead of the decoder's option machinery: an
    untouched *Pixel Data* value in a little-endian native syntax, 8 to 64
    bits allocated, monochrome or palette (1 sample) or RGB (3 samples),
    whole frames with at most the one padding byte of PS3.5 §8.1.1, default
    decoding options and processors. The only copy of the pixel bytes is the
    one pass into the output array (plus the file read that made `ds`).

    It declines (None), never guesses: anything the general path would warn
    about, refuse, convert or look at twice goes there.

    Parameters
    ----------
    ds : Dataset
        A dataset read from a file (its pixel data still in the read buffer).
    uid : str
        Its transfer syntax UID.
    owned : numpy.ndarray, optional
        The writeable ``uint8`` buffer `ds` was read from, owned by the
        caller and used for nothing else afterwards. When the pixel data
        lies in it (aligned for its values, interleaved, and most of the
        buffer), the values are made in place and the result is a view of
        it: the read into `owned` was then the only copy of the pixel
        bytes, and with Bits Stored = Bits Allocated nothing else touches
        them.
    """
    if uid not in _FAST_SYNTAXES or sys.byteorder != "little":
        return None
    processors = _decoders.PROCESSORS
    if len(processors) != 1 or processors[0] is not _decoders._process_color_space:
        return None
    store = ds._dict
    for tag in _SECOND_PIXEL_TAGS:
        if tag in store:
            return None
    try:
        # Attribute reads, not getattr(ds, name) in a loop: each is one
        # compiled keyword lookup (PS3.3 C.7.6.3 Image Pixel Module)
        rows = ds.Rows
        columns = ds.Columns
        samples = ds.SamplesPerPixel
        allocated = ds.BitsAllocated
        stored = ds.BitsStored
        representation = ds.PixelRepresentation
        pi = ds.PhotometricInterpretation
    except AttributeError:
        return None
    if type(pi) is not str:
        return None
    for value in (rows, columns, samples, allocated, stored, representation):
        if type(value) is not int:
            return None
    frames: Any = 1
    if 0x00280008 in store:
        frames = ds.NumberOfFrames
        # an IS value is an int subclass; None, 0 or text: the general path
        if not isinstance(frames, int) or isinstance(frames, bool) or frames < 1:
            return None
        frames = int(frames)
    planar: Any = 0
    if samples == 3:
        if pi != "RGB":
            return None
        planar = getattr(ds, "PlanarConfiguration", None)
        if type(planar) is not int or planar not in (0, 1):
            return None
    elif samples != 1 or pi not in _FAST_MONOCHROME:
        return None
    if (
        not 0 < rows < 0x10000
        or not 0 < columns < 0x10000
        or allocated not in (8, 16, 32, 64)
        or not 1 <= stored <= allocated
        or representation not in (0, 1)
    ):
        return None
    place = store.value_place(0x7FE00010)
    if place is None:
        if 0x7FE00010 not in store:
            return None
        place = _element_value_range(ds, 0x7FE00010)
    view, start, length, _ = place
    itemsize = allocated // 8
    pixels = rows * columns
    count = pixels * samples * frames
    expected = count * itemsize
    if length != expected + expected % 2 and length != expected:
        return None  # short or with excess: the general path's messages
    limit = config.max_pixel_allocation
    if limit is not None and expected > limit:
        return None
    shift = allocated - stored
    signed = representation == 1 and shift > 0
    dtype = _NATIVE_DTYPES[representation, itemsize]
    if (
        owned is not None
        and not planar
        and view.obj is owned
        and start % itemsize == 0
        and 2 * expected >= len(view)
    ):
        # In place: the values are where the file put them (the read was
        # their one copy); only the unused high bits, if any, are rewritten.
        region = owned[start : start + expected]
        _pixels.decode_native(
            owned, start, region, count, 1, itemsize, shift, signed, False, False, 1
        )  # fmt: skip
        out = region.view(dtype)
    else:
        out = np.empty(count, dtype=dtype)
        if planar:
            _pixels.decode_native(
                view, start, out.view(np.uint8), pixels, samples, itemsize, shift,
                signed, False, True, frames,
            )  # fmt: skip
        else:
            _pixels.decode_native(
                view, start, out.view(np.uint8), count, 1, itemsize, shift, signed,
                False, False, 1,
            )  # fmt: skip
    if frames > 1:
        return out.reshape((frames, rows, columns) if samples == 1 else (frames, rows, columns, samples))
    return out.reshape((rows, columns) if samples == 1 else (rows, columns, samples))


# -- decoding ------------------------------------------------------------------
def pixel_dtype(opts: dict[str, Any]) -> np.dtype:
    """The dtype of the pixels decoded with options `opts` (pydicom's rules;
    big endian for Explicit VR Big Endian, as pydicom gives it)."""
    runner = DecodeRunner(UID(opts.get("transfer_syntax_uid", "1.2.840.10008.1.2.1")))
    runner.set_options(**{k: v for k, v in opts.items() if k != "transfer_syntax_uid"})
    return runner.pixel_dtype


def _decoder_call(src: PixelSource, decoding_plugin: str) -> tuple[Any, Any, dict[str, Any]]:
    """The Decoder, the pixel data buffer (a view, no copy) and its options."""
    opts = dict(src.opts)
    for key in ("decoding_plugin", "use_pdh", "index", "raw", "transfer_syntax_uid"):
        opts.pop(key, None)
    opts["pixel_keyword"] = src.opts.get("pixel_keyword", src.keyword)
    opts.setdefault("pixel_vr", src.vr)
    if not src.validate:
        # read from a file, as pydicom reads a file-like: the options are
        # checked, the length of the value is not
        opts["buffer_from_file"] = True
    buffer = src.view[src.start : src.start + src.length]
    return get_decoder(src.uid), buffer, opts


def decode(
    src: PixelSource, index: int | None = None, raw: bool = False, decoding_plugin: str = ""
) -> np.ndarray:
    """The array of `src` (all frames, or frame `index`), as pydicom 3 returns it."""
    decoder, buffer, opts = _decoder_call(src, decoding_plugin)
    arr, _ = decoder.as_array(
        buffer, index=index, raw=raw,
        decoding_plugin=decoding_plugin, **opts,
    )
    return arr


def _open(src: Any, ds_out: Any, specific_tags: Any, kwargs: dict) -> PixelSource:
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
    if (
        ds_out is None and not specific_tags and index is None and not raw
        and not decoding_plugin and not kwargs and not isinstance(src, Dataset)
    ):  # fmt: skip
        ds, buffer, uid = _read_source(src, kwargs)
        # The buffer read from a path is ours: decode in place when possible
        arr = fast_native_array(ds, uid, buffer if isinstance(buffer, np.ndarray) else None)
        if arr is not None:
            return arr
        source = _make_source(ds, uid, {}, validate=False)
        source._owner = buffer
        return decode(source)
    source = _open(src, ds_out, specific_tags, kwargs)
    return decode(source, index=index, raw=raw, decoding_plugin=decoding_plugin)


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
    decoder, buffer, opts = _decoder_call(source, decoding_plugin)
    for arr, _ in decoder.iter_array(
        buffer, indices=indices, raw=raw,
        decoding_plugin=decoding_plugin, **opts,
    ):
        yield arr
