"""Writing DICOM: :func:`dcmwrite`, pydicom 3's lower-level writers
(:func:`write_dataset`, :func:`write_data_element`, :func:`write_file_meta_info`
and the per-VR ``write_*`` functions of :data:`writers`), and resolving
ambiguous VRs (which reading needs too).

Some dictionary entries have a VR that depends on other elements ("US or SS"
on Pixel Representation, "OB or OW" on the encoding and Bits Allocated). An
implicit-VR file does not say which; the value decides (PS3.5 Annex A,
PS3.3 C.7.6.3.1.5, C.10.9.1, C.11.1.1.1).
"""

from __future__ import annotations

import os
import zlib
from bisect import bisect_left
from collections.abc import Callable, Iterable, Iterator
from copy import deepcopy
from io import BufferedIOBase
from struct import pack
from typing import Any

from fastdicom import _store, config
from fastdicom._ambiguous_vr import correct_ambiguous_vr, correct_ambiguous_vr_element
from fastdicom._legacy_names import warn_legacy_name
from fastdicom.charset import convert_encodings, default_encoding, encode_string
from fastdicom.datadict import dictionary_description, keyword_for_tag
from fastdicom.dataelem import DataElement, RawDataElement
from fastdicom.dataset import Dataset, FileMetaDataset, _ElementStore, validate_file_meta
from fastdicom.filebase import DicomIO
from fastdicom.filereader import read_deferred_data_element
from fastdicom.fileutil import buffer_remaining, check_buffer, read_buffer, reset_buffer_position
from fastdicom.multival import MultiValue
from fastdicom.tag import Tag
from fastdicom.uid import (
    UID,
    DeflatedExplicitVRLittleEndian,
    ExplicitVRBigEndian,
    ImplicitVRLittleEndian,
)
from fastdicom.valuerep import AMBIGUOUS_VR, VR, PersonName, validate_value

__all__ = [
    "correct_ambiguous_vr",
    "correct_ambiguous_vr_element",
    "dataset_save_as",
    "dcmwrite",
    "encode_element",
    "multi_string",
    "write_ATvalue",
    "write_DA",
    "write_DT",
    "write_OBvalue",
    "write_OWvalue",
    "write_PN",
    "write_TM",
    "write_UI",
    "write_UN",
    "write_data_element",
    "write_dataset",
    "write_file",
    "write_file_meta_info",
    "write_number_string",
    "write_numbers",
    "write_sequence",
    "write_sequence_item",
    "write_string",
    "write_text",
    "writers",
]

# ---------------------------------------------------------------------------
# Writing
#
# The encoded file is built as a list of byte chunks: unchanged elements of a
# dataset that was read are slices of its source buffer (runs of consecutive
# unchanged elements are one slice), everything else is encoded here. Nothing
# reaches the destination until the whole file is encoded, and a path is
# written through a temporary file that replaces the destination only when
# complete.

_UNDEF = 0xFFFFFFFF
_FLAG_UNDEFINED = _store.FLAG_UNDEFINED_LENGTH
# A value cut short in the source is written with the length of what is there.
_CUT_FLAGS = _store.CUT_FLAGS
_PIXEL_TAG = 0x7FE00010
_CHARSET_TAG = 0x00080005
_LONG_VRS = frozenset({"OB", "OD", "OF", "OL", "OW", "OV", "SQ", "SV", "UC", "UN", "UR", "UT", "UV"})
_TEXT_VRS = frozenset({"LO", "LT", "SH", "ST", "UC", "UT"})
_NUMBER_FORMATS = {
    "US": "H", "SS": "h", "UL": "L", "SL": "l", "FL": "f", "FD": "d", "SV": "q", "UV": "Q",
}
# Byte-swap unit of binary VRs when the byte order changes (PS3.5 §7.3).
_SWAP_UNIT = {"OW": 2, "OF": 4, "OL": 4, "OD": 8, "OV": 8}
_BINARY_VRS = frozenset({"OB", "OW", "OF", "OL", "OD", "OV", "UN"})
# LUT Descriptors: "US or SS", but the first value is always unsigned.
_LUT_DESCRIPTOR_TAGS = frozenset({0x00281101, 0x00281102, 0x00281103, 0x00283002})


class _Chunks:
    """The encoded bytes of one level: a list of chunks and their total size."""

    __slots__ = ("parts", "size", "implicit", "little", "order", "read_deferred")

    def __init__(self, implicit: bool, little: bool, read_deferred: Any = None) -> None:
        self.parts: list[Any] = []
        self.size = 0
        self.implicit = implicit
        self.little = little
        self.order = "<" if little else ">"
        self.read_deferred = read_deferred

    def child(self) -> _Chunks:
        return _Chunks(self.implicit, self.little, self.read_deferred)

    def add(self, data: Any) -> None:
        self.parts.append(data)
        self.size += len(data)

    def extend(self, other: _Chunks) -> None:
        self.parts.extend(other.parts)
        self.size += other.size

    def header(self, tag: int, vr: str | None, length: int) -> bytes:
        """The tag, VR and length fields of an element (PS3.5 §7.1)."""
        if self.implicit:
            return pack(self.order + "HHL", tag >> 16, tag & 0xFFFF, length)
        if vr is None:
            # only implicit VR output leaves the VR out (PS3.5 §7.1.3)
            raise ValueError(f"No VR for the element {Tag(tag)} in explicit VR output")
        if vr in _LONG_VRS:
            return pack(self.order + "HH2s2xL", tag >> 16, tag & 0xFFFF, vr.encode(), length)
        return pack(self.order + "HH2sH", tag >> 16, tag & 0xFFFF, vr.encode(), length)


def _keyword(tag: int) -> str:
    try:
        return keyword_for_tag(tag) or "unknown keyword"
    except Exception:
        return "unknown keyword"


def _element_error(tag: int, exc: BaseException) -> BaseException:
    """`exc` re-raised with the element's tag and keyword in its message."""
    if getattr(exc, "_fastdicom_named", False):
        return exc
    message = f"Cannot write element {Tag(tag)} {_keyword(tag)}: {exc}"
    try:
        new = type(exc)(message)
    except Exception:
        new = ValueError(message)
    try:
        new._fastdicom_named = True  # type: ignore[attr-defined]
    except Exception:
        pass
    return new


def _encodings_list(encodings: Any) -> list[str]:
    if not encodings:
        return [default_encoding]
    if isinstance(encodings, str):
        return [encodings]
    return list(encodings)


# Value types that are neither multi-valued nor buffers, tested by identity
# before the (slower) ABC isinstance checks on the writing path.
_SINGLE_TYPES = frozenset({str, bytes, bytearray, int, float})


def _is_multi(value: Any) -> bool:
    cls = type(value)
    if cls is list or cls is tuple:
        return True
    if cls in _SINGLE_TYPES:
        return False
    if isinstance(value, (list, tuple, MultiValue)):
        return True
    return cls.__module__ == "numpy" and getattr(value, "ndim", 0) > 0


def _is_buffer(value: Any) -> bool:
    """Whether `value` is a buffered value (pydicom 3's BufferedIOBase values)."""
    return type(value) not in _SINGLE_TYPES and isinstance(value, BufferedIOBase)


def _values(value: Any) -> list[Any]:
    """The items of a value that may be multi-valued."""
    return list(value) if _is_multi(value) else [value]


def _pad(data: bytes, padding: bytes) -> bytes:
    """`data` padded to even length (PS3.5 §7.1.1: values have even length)."""
    return data + padding if len(data) % 2 else data


def _format_date_time(vr: str, value: Any) -> str:
    """The DICOM string of one DA, DT or TM value (PS3.5 §6.2)."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, (bytes, bytearray)):
        return bytes(value).decode(default_encoding)
    original = getattr(value, "original_string", None)
    if original is not None:
        return original
    if vr == "DA":
        return value.strftime("%Y%m%d")
    if vr == "DT":
        if value.microsecond > 0:
            return value.strftime("%Y%m%d%H%M%S.%f%z")
        return value.strftime("%Y%m%d%H%M%S%z")
    if value.microsecond > 0:
        return value.strftime("%H%M%S.%f")
    return value.strftime("%H%M%S")


def _format_DA(val: Any) -> str:
    """The DICOM string of a DA value: its original string, else ``YYYYMMDD``."""
    return _format_date_time("DA", val)


def _format_DT(val: Any) -> str:
    """The DICOM string of a DT value: its original string, else
    ``YYYYMMDDHHMMSS[.ffffff][&ZZXX]``."""
    return _format_date_time("DT", val)


def _format_TM(val: Any) -> str:
    """The DICOM string of a TM value: its original string, else ``HHMMSS[.ffffff]``."""
    return _format_date_time("TM", val)


def _number_string(value: Any) -> str:
    """A DS or IS value as written: the string it was read from when it has one."""
    if isinstance(value, (bytes, bytearray)):
        return bytes(value).decode(default_encoding)
    original = getattr(value, "original_string", None)
    return original if original is not None else str(value)


def _text_item(value: Any) -> str:
    if isinstance(value, (bytes, bytearray)):
        return bytes(value).decode(default_encoding)
    return str(value)


def _swap(data: bytes, unit: int) -> bytes:
    """`data` with the byte order of every `unit`-byte word reversed."""
    if unit < 2 or not data:
        return data
    import numpy as np

    usable = len(data) - len(data) % unit
    swapped = np.frombuffer(data, dtype=f"<u{unit}", count=usable // unit).byteswap().tobytes()
    return swapped + bytes(data[usable:])


def _pixel_swap_unit(ds: Any, vr: str) -> int:
    """Swap unit of native Pixel Data: the pixel cell (Bits Allocated)."""
    if vr == "OB":
        return 0
    try:
        bits = int(ds.get("BitsAllocated", 16) or 16)
    except Exception:
        bits = 16
    if vr == "OW":
        return 2 if bits <= 16 else bits // 8 if bits in (32, 64) else 2
    return _SWAP_UNIT.get(vr, 0)


class _BufferPart:
    """A buffered element value (pydicom 3's ``BufferedIOBase`` values): its
    place in the encoded output, read in chunks only when written, so a large
    value is never held in memory whole.

    Its length is that of the rest of the buffer (from the position it had
    when it was assigned), padded to even length.
    """

    __slots__ = ("buffer", "start", "size", "swap")

    def __init__(self, buffer: BufferedIOBase, label: str, swap: int = 0) -> None:
        try:
            check_buffer(buffer)
        except (TypeError, ValueError) as exc:
            raise type(exc)(f"Invalid buffer for {label}: {exc}") from None
        self.buffer = buffer
        self.start = buffer.tell()
        self.size = buffer_remaining(buffer)
        self.swap = swap

    def __len__(self) -> int:
        return self.size + self.size % 2

    def chunks(self) -> Iterator[bytes]:
        """The value's bytes (byte-swapped if asked, then padded), chunk by chunk."""
        with reset_buffer_position(self.buffer):
            self.buffer.seek(self.start)
            left = self.size
            carry = b""
            for chunk in read_buffer(self.buffer):
                chunk = chunk[:left]
                left -= len(chunk)
                if self.swap:
                    # swap whole words only; a word split between chunks waits
                    chunk = carry + chunk
                    cut = len(chunk) - len(chunk) % self.swap
                    chunk, carry = _swap(chunk[:cut], self.swap), chunk[cut:]
                if chunk:
                    yield chunk
                if not left:
                    break
            if carry:
                yield carry
        if self.size % 2:
            yield b"\x00"

    def head(self, size: int) -> bytes:
        """The first `size` bytes of the value."""
        with reset_buffer_position(self.buffer):
            self.buffer.seek(self.start)
            return self.buffer.read(min(size, self.size))

    def __bytes__(self) -> bytes:
        return b"".join(self.chunks())


def _label(tag: int) -> str:
    return f"{Tag(tag)} '{_name(tag)}'"


def _name(tag: int) -> str:
    try:
        return dictionary_description(tag)
    except KeyError:
        return "Unknown"


# -- value encoders --------------------------------------------------------
# One encoder per kind of value. The dataset writer (encode_value) and
# pydicom's per-VR entry points (write_numbers, write_text, ... below) both
# call these.


def _encode_binary(
    tag: int, vr: str, value: Any, little: bool, source_little: bool | None = None, ds: Any = None
) -> bytes | _BufferPart:
    """An OB/OW/OF/OL/OD/OV/UN value, padded with NUL (PS3.5 §6.2).

    When `source_little` differs from `little` the words are swapped (the
    value is in the byte order of the dataset it came from).
    """
    unit = 0
    if source_little is not None and source_little != little and vr != "OB":
        unit = _pixel_swap_unit(ds, vr) if tag == _PIXEL_TAG else _SWAP_UNIT.get(vr, 0)
    if _is_buffer(value):
        return _BufferPart(value, _label(tag), unit)
    if isinstance(value, memoryview):
        value = value.tobytes()
    elif not isinstance(value, (bytes, bytearray)):
        if hasattr(value, "tobytes"):
            value = value.tobytes()
        else:
            raise TypeError(f"a {vr} value must be bytes, not {type(value).__name__}")
    if unit:
        value = _swap(bytes(value), unit)
    return _pad(bytes(value), b"\x00")


def _encode_numbers(tag: int, value: Any, fmt: str, little: bool) -> bytes:
    """Binary numbers (US, SS, UL, SL, FL, FD, SV, UV) with struct format `fmt`."""
    order = "<" if little else ">"
    if not _is_multi(value):
        return pack(order + fmt, value)
    values = list(value)
    if not values:
        return b""
    prefix = b""
    if fmt == "h" and tag in _LUT_DESCRIPTOR_TAGS:
        # PS3.3 C.11.1.1.1: the first LUT Descriptor value (the number of
        # entries) is always unsigned, whatever the VR of the others.
        prefix = pack(order + "H", values[0])
        values = values[1:]
    return prefix + pack(f"{order}{len(values)}{fmt}", *values)


def _encode_tags(value: Any, little: bool) -> bytes:
    """AT values: each a group and element number pair (PS3.5 §6.2)."""
    order = "<" if little else ">"
    return b"".join(pack(order + "HH", t >> 16, t & 0xFFFF) for t in map(Tag, _values(value)))


def _encode_person_names(value: Any, encodings: list[str]) -> bytes:
    """PN values, each component group in its character set (PS3.5 §6.2.1)."""
    encoded = []
    for name in _values(value):
        if isinstance(name, (bytes, bytearray)):
            encoded.append(bytes(name))
        else:
            if not isinstance(name, PersonName):
                name = PersonName(name)
            encoded.append(name.encode(encodings))
    return _pad(b"\\".join(encoded), b" ")


def _encode_text(value: Any, encodings: list[str]) -> bytes:
    """SH, LO, ST, LT, UC, UT values in the dataset's character sets."""
    data = b"\\".join(
        bytes(v) if isinstance(v, (bytes, bytearray)) else encode_string(str(v), encodings)
        for v in _values(value)
    )
    return _pad(data, b" ")


def _encode_strings(value: Any, padding: bytes, item_text: Callable[[Any], str] = _text_item) -> bytes:
    """Values in the default repertoire (AE, AS, CS, UR, UI, DS, IS, DA, DT,
    TM), each made a string by `item_text`; bytes are written as they are."""
    data = b"\\".join(
        bytes(v) if isinstance(v, (bytes, bytearray)) else item_text(v).encode(default_encoding)
        for v in _values(value)
    )
    return _pad(data, padding)


def _string_encoder(padding: bytes, item_text: Callable[[Any], str] = _text_item) -> Callable[[Any], bytes]:
    return lambda value: _encode_strings(value, padding, item_text)


_STRING_ENCODERS: dict[str, Callable[[Any], bytes]] = {
    "AE": _string_encoder(b" "),
    "AS": _string_encoder(b" "),
    "CS": _string_encoder(b" "),
    "UR": _string_encoder(b" "),
    # PS3.5 §6.2: UI values are padded with a NUL byte
    "UI": _string_encoder(b"\x00"),
    "DS": _string_encoder(b" ", _number_string),
    "IS": _string_encoder(b" ", _number_string),
    "DA": _string_encoder(b" ", _format_DA),
    "DT": _string_encoder(b" ", _format_DT),
    "TM": _string_encoder(b" ", _format_TM),
}


def encode_value(
    tag: int, vr: str, value: Any, encodings: list[str], little: bool, *, source_little: bool | None = None,
    ds: Any = None,
) -> bytes | _BufferPart:
    """Encode the value of a non-sequence element, padded to even length.

    Parameters
    ----------
    tag : int
    vr : str
        The element's VR (not ambiguous).
    value : Any
        The element's value (None or empty gives no bytes).
    encodings : list of str
        Python codecs for the text VRs.
    little : bool
        The byte order to encode numbers with.
    source_little : bool, optional
        The byte order of binary (OW, OF, ...) bytes values; when it differs
        from `little` the words are swapped.
    ds : Dataset, optional
        The dataset holding the element (Bits Allocated for Pixel Data).

    Returns
    -------
    bytes
        Or, for a buffered value, a part that reads the buffer when written.

    Raises
    ------
    NotImplementedError
        For an unknown VR.
    """
    if value is None or (_is_multi(value) and not len(value)):
        return b""
    if vr in _BINARY_VRS:
        return _encode_binary(tag, vr, value, little, source_little, ds)
    if vr in _NUMBER_FORMATS:
        if isinstance(value, (bytes, bytearray)):
            return _pad(bytes(value), b"\x00")  # a value kept as its bytes
        if isinstance(value, str) and value == "":
            return b""
        return _encode_numbers(tag, value, _NUMBER_FORMATS[vr], little)
    if vr == "AT":
        return _encode_tags(value, little)
    if vr == "PN":
        return _encode_person_names(value, encodings)
    if vr in _TEXT_VRS:
        return _encode_text(value, encodings)
    encoder = _STRING_ENCODERS.get(vr)
    if encoder is None:
        raise NotImplementedError(f"write_data_element: unknown Value Representation '{vr}'")
    return encoder(value)


def _validate_for_write(elem: Any) -> None:
    mode = config.settings.writing_validation_mode
    if mode == config.IGNORE or elem.VR == "SQ":
        return
    value = elem.value
    if value is None or _is_buffer(value):
        return  # a buffer's content is not read twice
    vr = elem.VR
    for item in _values(value):
        if isinstance(item, (bytes, bytearray)) and vr not in _BINARY_VRS:
            continue
        if vr in ("DS", "IS"):
            item = _number_string(item)
        elif vr in ("DA", "DT", "TM"):
            item = _format_date_time(vr, item)
        elif vr in _STRING_ENCODERS or vr in _TEXT_VRS or vr == "PN":
            item = str(item)
        validate_value(vr, item, mode)


def _effective_charset(ds: Any, parent: list[str]) -> list[str]:
    """The Python encodings text values of `ds` are written with."""
    store = ds.__dict__.get("_dict")
    elem = store._done.get(_CHARSET_TAG) if store is not None else None
    if elem is None or elem.is_raw:
        if store is None or store._table is None or _CHARSET_TAG in store._removed:
            return parent
        if store._table.index_of(_CHARSET_TAG) < 0:
            return parent
        if ds.__dict__.get("_read_charset"):
            # Unchanged since it was read: the reader decoded it already, and
            # leaving it untouched keeps it in the copied runs.
            return _original_charset(ds)
        elem = ds[_CHARSET_TAG]
    if not elem.value:
        return parent
    return convert_encodings(elem.value)


def _original_charset(ds: Any) -> list[str]:
    read = ds.__dict__.get("_read_charset")
    if not read:
        read = ds.__dict__.get("_parent_encoding") or default_encoding
    return _encodings_list(read)


class _Context:
    """What one dataset level is written with."""

    __slots__ = ("ds", "store", "encodings", "copy", "source_little", "pixel_undefined", "ancestors", "correct_vr")

    def __init__(
        self, ds: Any, out: _Chunks, encodings: list[str], pixel_undefined: bool | None,
        ancestors: Iterable[Any] = (),
    ) -> None:
        self.ds = ds
        # The datasets an ambiguous VR is resolved against, nearest first: a
        # sequence item's Pixel Representation may be in its parent.
        self.ancestors = [ds, *ancestors]
        # False for a lone element (write_data_element): no dataset to
        # resolve an ambiguous VR against.
        self.correct_vr = True
        store = ds.__dict__.get("_dict")
        self.store = store
        self.encodings = encodings
        table = getattr(store, "_table", None)
        self.copy = (
            table is not None
            and table.implicit_vr == out.implicit
            and table.little_endian == out.little
            and encodings == _original_charset(ds)
        )
        original = ds.original_encoding[1]
        self.source_little = original
        self.pixel_undefined = pixel_undefined


def _write_dataset(
    out: _Chunks, ds: Any, parent_encodings: list[str], pixel_undefined: bool | None = None,
    ancestors: Iterable[Any] = (),
) -> None:
    """Append the encoding of every element of `ds` (tag order) to `out`.

    `ancestors` are the datasets `ds` is nested in, nearest first.

    Elements that were read and not touched since are copied from the source
    buffer: the scanner's table gives the runs of them whose bytes follow
    each other, and each run is one slice. The other elements are encoded
    one by one and interleaved in tag order.
    """
    store = ds.__dict__.get("_dict")
    if isinstance(store, _ElementStore):
        # Values read by keyword and edited in place are not their bytes
        store.make_mutable_elements()
    encodings = _effective_charset(ds, parent_encodings)
    ctx = _Context(ds, out, encodings, pixel_undefined, ancestors)
    store = ctx.store
    table = store._table
    if table is None or not ctx.copy:
        for tag in store.sorted_tags():
            if not tag & 0xFFFF and tag >> 16 > 6:
                continue  # retired group lengths are not written (PS3.5 §7.2)
            _write_one(out, ctx, tag, store._done.get(tag))
        return

    view = store._source.view
    done = store._done
    # Tags whose table record may not be copied as it is.
    excluded = {tag for tag, elem in done.items() if not elem.is_raw}
    excluded.update(store._extra, store._removed)
    if pixel_undefined is not None:
        record = table.find(_PIXEL_TAG)
        if record is not None and bool(record.flags & _FLAG_UNDEFINED) != pixel_undefined:
            excluded.add(_PIXEL_TAG)
    runs = table.copy_runs(excluded, 6)
    table_tags = table.tags()
    # Everything that is not in a run, in tag order: the touched, new and
    # cut-short elements (removed ones are skipped by sorted_tags()).
    outside = set(store._extra)
    previous_stop = 0
    for first, stop, _, _ in runs:
        outside.update(table_tags[previous_stop:first])
        previous_stop = stop
    outside.update(table_tags[previous_stop:])
    # a table tag deleted and then set again is in _extra: it is written
    outside.difference_update(tag for tag in store._removed if tag not in store._extra)
    others = sorted(outside)

    pending = _SourceRun(out, view)
    position = 0  # next of `others`
    for first, stop, start, end in runs:
        # The elements before this run, then the run, split where an element
        # that is not in the table (new, or re-set) falls inside it.
        while position < len(others) and others[position] < table_tags[first]:
            _write_other(out, ctx, pending, others[position], table)
            position += 1
        while position < len(others) and others[position] < table_tags[stop - 1]:
            split = bisect_left(table_tags, others[position], first, stop)
            split_offset = table.record(split).header_offset
            pending.add(start, split_offset)
            while position < len(others) and others[position] < table_tags[split]:
                _write_other(out, ctx, pending, others[position], table)
                position += 1
            first, start = split, split_offset
        pending.add(start, end)
    for tag in others[position:]:
        _write_other(out, ctx, pending, tag, table)
    pending.flush()


class _SourceRun:
    """Slices of the source waiting to be added, merged while contiguous."""

    __slots__ = ("out", "view", "start", "end")

    def __init__(self, out: _Chunks, view: memoryview) -> None:
        self.out = out
        self.view = view
        self.start = self.end = -1

    def add(self, start: int, end: int) -> None:
        if start != self.end:
            self.flush()
            self.start = start
        self.end = end

    def flush(self) -> None:
        if self.end > self.start >= 0:
            self.out.add(self.view[self.start : self.end])
        self.start = self.end = -1


def _write_other(out: _Chunks, ctx: _Context, pending: _SourceRun, tag: int, table: Any) -> None:
    """One element outside the copied runs: a read element that still encodes
    to the bytes it was read from joins the source slices; others are encoded."""
    if not tag & 0xFFFF and tag >> 16 > 6:
        return  # retired group lengths are not written (PS3.5 §7.2)
    store = ctx.store
    elem = store._done.get(tag)
    if elem is not None and not elem.is_raw and tag not in store._extra and elem.VR != "SQ":
        record = table.find(tag)
        if record is not None and not record.flags & (_FLAG_UNDEFINED | _CUT_FLAGS):
            vr, start, offset, length = record.vr, record.header_offset, record.value_offset, record.length
            if vr is None or vr == elem.VR:
                try:
                    data = _encode_plain(out, ctx, elem)
                except Exception:
                    data = None
                if data is not None and len(data) == length and data == ctx.store._source.view[offset : offset + length]:
                    pending.add(start, offset + length)
                    return
    pending.flush()
    _write_one(out, ctx, tag, elem)


def _write_one(out: _Chunks, ctx: _Context, tag: int, elem: Any) -> None:
    try:
        _write_element(out, ctx, tag, elem)
    except Exception as exc:
        raise _element_error(tag, exc) from exc


def _encode_plain(out: _Chunks, ctx: _Context, elem: Any) -> bytes | _BufferPart:
    return encode_value(
        int(elem.tag), elem.VR, elem.value, ctx.encodings, out.little,
        source_little=ctx.source_little, ds=ctx.ds,
    )


def _write_element(out: _Chunks, ctx: _Context, tag: int, elem: Any) -> None:
    ds = ctx.ds
    if elem is None or elem.is_raw:
        elem = ds.get_item(tag, keep_deferred=True) if elem is None else elem
        # a deferred value is read again to be written; one of undefined
        # length too (encapsulated Pixel Data or a sequence read with
        # defer_size), which would otherwise be written empty (issue 12:
        # found by the thread hammer)
        if elem.is_raw and elem.value is None and elem.length != 0:
            elem = out.read_deferred(ds, elem)
        if elem.is_raw:
            raw_ok = (
                elem.is_implicit_VR == out.implicit
                and elem.is_little_endian == out.little
                and (ctx.copy or ctx.encodings == _original_charset(ds))
                and (out.implicit or elem.VR is not None)
                and not (tag == _PIXEL_TAG and ctx.pixel_undefined is not None
                         and (elem.length == _UNDEF) != ctx.pixel_undefined)
                and not (elem.VR in ("SQ", None) and _is_cut(ctx.store, tag))
            )
            if raw_ok:
                _write_raw(out, tag, elem)
                return
            if elem.value is not None and not isinstance(elem.value, memoryview):
                ds._dict[tag] = elem  # deferred value read: convert it
            elem = ds[tag]
    _write_data_element(out, ctx, tag, elem)


def _is_cut(store: Any, tag: int) -> bool:
    """Whether the data ended inside this element when it was read: a
    sequence cut short is written item by item, so that the element it was
    cut in gets its real length, not copied with the lengths it claimed."""
    table = getattr(store, "_table", None)
    record = table.find(tag) if table is not None else None
    return record is not None and bool(record.flags & _CUT_FLAGS)


def _write_raw(out: _Chunks, tag: int, raw: Any) -> None:
    value = raw.value if raw.value is not None else b""
    undefined = raw.length == _UNDEF
    vr = raw.VR
    if undefined:
        out.add(out.header(tag, vr, _UNDEF))
        out.add(value)
        out.add(pack(out.order + "HHL", 0xFFFE, 0xE0DD, 0))
        return
    if not out.implicit and vr not in _LONG_VRS and len(value) > 0xFFFF:
        vr = "UN"
    out.add(out.header(tag, vr, len(value)))
    out.add(value)


def encode_element(elem: Any, implicit_vr: bool, little_endian: bool, encodings: Any = None,
                   ds: Any = None) -> bytes:
    """The complete encoding (header and value) of one element.

    Parameters
    ----------
    elem : DataElement
    implicit_vr, little_endian : bool
        The transfer syntax encoding.
    encodings : str or list of str, optional
        The Python encodings for text values.
    ds : Dataset, optional
        The dataset holding `elem`.

    Returns
    -------
    bytes
    """
    out = _Chunks(implicit_vr, little_endian)
    holder = ds if ds is not None else Dataset()
    ctx = _Context(holder, out, _encodings_list(encodings), None)
    ctx.copy = False
    try:
        _write_data_element(out, ctx, int(elem.tag), elem)
    except Exception as exc:
        raise _element_error(int(elem.tag), exc) from exc
    return b"".join(bytes(p) for p in out.parts)


def _ambiguous_vr_error(vr: str, tag: int) -> ValueError:
    return ValueError(
        f"Cannot write ambiguous VR of '{vr}' for data element with tag "
        f"{Tag(tag)!r}.\nSet the correct VR before writing, or use an "
        "implicit VR transfer syntax"
    )


def _write_data_element(out: _Chunks, ctx: _Context, tag: int, elem: Any) -> None:
    """Append the header and value of the (non-raw) element `elem` to `out`."""
    vr = elem.VR
    if vr in AMBIGUOUS_VR:
        if ctx.correct_vr:
            correct_ambiguous_vr_element(elem, ctx.ds, out.little, list(ctx.ancestors))
            vr = elem.VR
        if vr in AMBIGUOUS_VR:
            if not out.implicit:
                raise _ambiguous_vr_error(vr, tag)
            # Implicit VR writes no VR: encode the value as the kind of VR
            # it can be, words before bytes (PS3.5 Annex A.1).
            vr = "OW" if "OW" in vr else "OB" if "OB" in vr else "US"
    if vr == "SQ":
        _write_sequence(out, ctx, tag, elem)
        return
    # PS3.5 §7.1: only sequences and OB/OW/UN values may have an undefined
    # length (a corrupt source can claim one for any element).
    undefined = bool(elem.is_undefined_length) and vr in ("OB", "OW", "UN")
    if tag == _PIXEL_TAG and ctx.pixel_undefined is not None:
        undefined = ctx.pixel_undefined
    _validate_for_write(elem)
    data = encode_value(tag, vr, elem.value, ctx.encodings, out.little,
                        source_little=ctx.source_little, ds=ctx.ds)
    if undefined:
        if tag == _PIXEL_TAG:
            # PS3.5 A.4: encapsulated Pixel Data is a sequence of items, the
            # first the Basic Offset Table
            item = b"\xfe\xff\x00\xe0" if out.little else b"\xff\xfe\xe0\x00"
            head = data.head(4) if isinstance(data, _BufferPart) else data[:4]
            if head != item:
                raise ValueError(
                    "The (7FE0,0010) 'Pixel Data' element value hasn't been "
                    "encapsulated as required for a compressed transfer syntax - "
                    "see fastdicom.encaps.encapsulate() for more information"
                )
        out.add(out.header(tag, vr, _UNDEF))
        out.add(data)
        out.add(pack(out.order + "HHL", 0xFFFE, 0xE0DD, 0))
        return
    if not out.implicit and vr not in _LONG_VRS and len(data) > 0xFFFF:
        # PS3.5 §6.2.2: a value too long for a 16-bit length is written as UN
        config.warn_and_log(
            f"The value for the data element {Tag(tag)} exceeds the size of 64 kByte "
            "and cannot be written in an explicit transfer syntax. The data element "
            f"VR is changed from '{vr}' to 'UN' to allow saving the data."
        )
        vr = "UN"
    if len(data) > 0xFFFFFFFE:
        raise ValueError(f"the value is too long ({len(data)} bytes) for a 32-bit length")
    out.add(out.header(tag, vr, len(data)))
    out.add(data)


def _write_sequence(out: _Chunks, ctx: _Context, tag: int, elem: Any) -> None:
    """A sequence element: its header, its items, and its delimiter when it
    has an undefined length (PS3.5 §7.5)."""
    items = out.child()
    for item in elem.value or ():
        _write_item(items, item, ctx.encodings, ctx.ancestors)
    if elem.is_undefined_length:
        out.add(out.header(tag, "SQ", _UNDEF))
        out.extend(items)
        out.add(pack(out.order + "HHL", 0xFFFE, 0xE0DD, 0))
    else:
        out.add(out.header(tag, "SQ", items.size))
        out.extend(items)


def _write_item(out: _Chunks, item: Any, encodings: list[str], ancestors: Iterable[Any] = ()) -> None:
    """One sequence item: the Item tag, its length (or an Item Delimitation
    Item when it had an undefined length) and its dataset (PS3.5 §7.5.2)."""
    body = out.child()
    _write_dataset(body, item, encodings, None, ancestors)
    if getattr(item, "is_undefined_length_sequence_item", False):
        out.add(pack(out.order + "HHL", 0xFFFE, 0xE000, _UNDEF))
        out.extend(body)
        out.add(pack(out.order + "HHL", 0xFFFE, 0xE00D, 0))
    else:
        out.add(pack(out.order + "HHL", 0xFFFE, 0xE000, body.size))
        out.extend(body)


# -- datasets, File Meta and files -----------------------------------------
def _read_deferred_value(ds: Any, raw: Any) -> Any:
    return read_deferred_data_element(ds, raw)


def _pieces(parts: Iterable[Any]) -> Iterator[Any]:
    """The bytes-like pieces of encoded `parts`: buffered values chunk by chunk."""
    for part in parts:
        if isinstance(part, _BufferPart):
            yield from part.chunks()
        else:
            yield part


def _write_parts(fp: Any, parts: Iterable[Any]) -> None:
    """Write encoded `parts` to the file-like `fp`."""
    write = fp.write
    for piece in _pieces(parts):
        write(piece)


def _fp_encoding(fp: Any) -> tuple[bool | None, bool | None]:
    """The encoding a file-like was given (pydicom's ``DicomIO`` attributes)."""
    return getattr(fp, "is_implicit_VR", None), getattr(fp, "is_little_endian", None)


def write_dataset(fp: Any, dataset: Any, parent_encoding: str | list[str] = default_encoding) -> int:
    """Encode `dataset` (no preamble or File Meta) and write it to `fp`.

    The encoding is, in order of priority, ``fp.is_implicit_VR`` and
    ``fp.is_little_endian``; the dataset's (deprecated) ``is_implicit_VR``
    and ``is_little_endian``; the dataset's
    :attr:`~fastdicom.dataset.Dataset.original_encoding`. `fp` is given the
    encoding used, as pydicom's ``write_dataset`` does.

    Parameters
    ----------
    fp : fastdicom.filebase.DicomIO or file-like
        Where to write.
    dataset : Dataset
        The dataset to encode.
    parent_encoding : str or list of str, optional
        The character set of the enclosing dataset (DICOM terms or Python
        codecs), used when `dataset` has no Specific Character Set.

    Returns
    -------
    int
        The number of bytes written.

    Raises
    ------
    AttributeError
        When none of those gives an encoding.
    """
    encoding = _fp_encoding(fp)
    if None in encoding and not getattr(config, "_use_future", False):
        encoding = (dataset.is_implicit_VR, dataset.is_little_endian)
    if None in encoding:
        encoding = dataset.original_encoding
    if None in encoding:
        raise AttributeError("'fp.is_implicit_VR' and 'fp.is_little_endian' attributes are required ")
    implicit, little = bool(encoding[0]), bool(encoding[1])
    try:
        fp.is_implicit_VR, fp.is_little_endian = implicit, little
    except AttributeError:
        pass  # a plain file-like: it need not carry the encoding
    out = _Chunks(implicit, little, _read_deferred_value)
    _write_dataset(out, dataset, _encodings_list(convert_encodings(parent_encoding)))
    _write_parts(fp, out.parts)
    return out.size


def write_data_element(
    fp: Any, elem: DataElement | RawDataElement, encodings: str | list[str] | None = None
) -> None:
    """Write the element `elem` (header and value) to `fp`, in the encoding
    ``fp.is_implicit_VR`` and ``fp.is_little_endian`` give.

    A raw element's value is written as it is. An ambiguous VR is not
    resolved (there is no dataset to resolve it against): in explicit VR
    that raises.

    Parameters
    ----------
    fp : fastdicom.filebase.DicomIO
    elem : DataElement or RawDataElement
    encodings : str or list of str, optional
        The character set(s) of text values (DICOM terms or Python codecs),
        default ISO 646 (ASCII).

    Raises
    ------
    ValueError
        For an ambiguous VR in explicit VR, or Pixel Data of undefined
        length that is not encapsulated.
    NotImplementedError
        For an unknown VR.
    """
    implicit, little = fp.is_implicit_VR, fp.is_little_endian
    tag = int(elem.tag)
    vr = elem.VR
    if not implicit and vr and len(vr) != 2:
        raise _ambiguous_vr_error(vr, tag)
    out = _Chunks(implicit, little, _read_deferred_value)
    if elem.is_raw:
        _write_raw(out, tag, elem)
    else:
        ctx = _Context(Dataset(), out, _encodings_list(convert_encodings(encodings or default_encoding)), None)
        ctx.copy = False
        ctx.correct_vr = False
        _write_data_element(out, ctx, tag, elem)
    _write_parts(fp, out.parts)


# -- pydicom's per-VR value writers ----------------------------------------
# Each writes the value of one element (no header) to `fp`, through the
# value encoders the dataset writer uses.


def write_numbers(fp: Any, elem: DataElement, struct_format: str) -> None:
    """Write the binary number value(s) of `elem` with the :mod:`struct`
    format character `struct_format`, in the byte order of `fp`.

    Parameters
    ----------
    fp : fastdicom.filebase.DicomIO
        Where to write; its ``is_little_endian`` gives the byte order.
    elem : DataElement
        A US, SS, UL, SL, FL, FD, SV or UV element (None or "" writes nothing).
    struct_format : str
        ``"H"``, ``"h"``, ``"L"``, ``"l"``, ``"f"``, ``"d"``, ``"q"`` or ``"Q"``.

    Raises
    ------
    OSError
        When the value cannot be packed in that format.
    """
    value = elem.value
    if value is None or (isinstance(value, str) and not value):
        return
    little = fp.is_little_endian
    try:
        data = _encode_numbers(int(elem.tag), value, struct_format, little)
    except Exception as exc:
        raise OSError(f"{exc}\nfor data_element:\n{elem}") from exc
    fp.write(data)


def write_OBvalue(fp: Any, elem: DataElement) -> None:
    """Write a bytes or buffered value, padded with NUL to even length (OB)."""
    if elem.value is not None:
        _write_parts(fp, [_encode_binary(int(elem.tag), "OB", elem.value, True)])


def write_OWvalue(fp: Any, elem: DataElement) -> None:
    """Write a bytes or buffered value, padded to even length (OW, OF, OL,
    OD, OV). The bytes are written in the order they are in, as pydicom
    does; :func:`dcmwrite` swaps them when it changes the byte order."""
    if elem.value is not None:
        _write_parts(fp, [_encode_binary(int(elem.tag), "OW", elem.value, True)])


def write_UN(fp: Any, elem: DataElement) -> None:
    """Write the bytes of an element of unknown VR (UN), padded to even length."""
    if elem.value is not None:
        _write_parts(fp, [_encode_binary(int(elem.tag), "UN", elem.value, True)])


def write_ATvalue(fp: Any, elem: DataElement) -> None:
    """Write one or more tags (AT) in the byte order of `fp`."""
    if elem.value is not None:
        fp.write(_encode_tags(elem.value, fp.is_little_endian))


def multi_string(val: str | Iterable[str]) -> str:
    """`val` as one string, the values of a multi-valued one joined by backslashes."""
    if _is_multi(val):
        return "\\".join(val)
    return val  # type: ignore[return-value]


def write_string(fp: Any, elem: DataElement, padding: str = " ") -> None:
    """Write a string value in the default repertoire (AE, AS, CS, UR, ...),
    padded with `padding` to even length.

    Parameters
    ----------
    fp : fastdicom.filebase.DicomIO
    elem : DataElement
    padding : str, optional
        The padding character, a space by default (NUL for UI).
    """
    if elem.value is not None:
        fp.write(_encode_strings(elem.value, padding.encode(default_encoding)))


def write_UI(fp: Any, elem: DataElement) -> None:
    """Write a UID value, padded with NUL to even length (PS3.5 §9.1)."""
    write_string(fp, elem, "\0")


def write_text(fp: Any, elem: DataElement, encodings: list[str] | None = None) -> None:
    """Write a text value (SH, LO, ST, LT, UC, UT), padded with a space to
    even length.

    Parameters
    ----------
    fp : fastdicom.filebase.DicomIO
    elem : DataElement
    encodings : list of str, optional
        Python codecs (as from :func:`~fastdicom.charset.convert_encodings`),
        default ASCII; bytes values are written as they are.
    """
    if elem.value is not None:
        fp.write(_encode_text(elem.value, list(encodings or [default_encoding])))


def write_PN(fp: Any, elem: DataElement, encodings: list[str] | None = None) -> None:
    """Write a person name value, padded with a space to even length.

    Parameters
    ----------
    fp : fastdicom.filebase.DicomIO
    elem : DataElement
    encodings : list of str, optional
        Python codecs, default ASCII; each component group is encoded with
        them (PS3.5 §6.2.1).
    """
    if elem.value is not None:
        fp.write(_encode_person_names(elem.value, list(encodings or [default_encoding])))


def write_number_string(fp: Any, elem: DataElement) -> None:
    """Write a DS or IS value: the string each number was read from when it
    has one, else its string form."""
    if elem.value is not None:
        fp.write(_STRING_ENCODERS["DS"](elem.value))


def write_DA(fp: Any, elem: DataElement) -> None:
    """Write a DA value (dates or strings)."""
    if elem.value is not None:
        fp.write(_STRING_ENCODERS["DA"](elem.value))


def write_DT(fp: Any, elem: DataElement) -> None:
    """Write a DT value (datetimes or strings)."""
    if elem.value is not None:
        fp.write(_STRING_ENCODERS["DT"](elem.value))


def write_TM(fp: Any, elem: DataElement) -> None:
    """Write a TM value (times or strings)."""
    if elem.value is not None:
        fp.write(_STRING_ENCODERS["TM"](elem.value))


def write_sequence(fp: Any, elem: DataElement, encodings: list[str]) -> None:
    """Write the items of the sequence element `elem` (not its header) in the
    encoding of `fp`.

    Parameters
    ----------
    fp : fastdicom.filebase.DicomIO
    elem : DataElement
        An SQ element.
    encodings : list of str
        The character sets of the enclosing dataset, for items that have no
        Specific Character Set.
    """
    out = _Chunks(fp.is_implicit_VR, fp.is_little_endian, _read_deferred_value)
    for item in elem.value or ():
        _write_item(out, item, _encodings_list(encodings))
    _write_parts(fp, out.parts)


def write_sequence_item(fp: Any, dataset: Dataset, encodings: list[str]) -> None:
    """Write `dataset` as one sequence item (PS3.5 §7.5) in the encoding of `fp`.

    Parameters
    ----------
    fp : fastdicom.filebase.DicomIO
    dataset : Dataset
    encodings : list of str
        The character sets of the enclosing dataset.
    """
    out = _Chunks(fp.is_implicit_VR, fp.is_little_endian, _read_deferred_value)
    _write_item(out, dataset, _encodings_list(encodings))
    _write_parts(fp, out.parts)


writers: dict[VR, tuple[Callable[..., None], str | None]] = {
    VR.AE: (write_string, None),
    VR.AS: (write_string, None),
    VR.AT: (write_ATvalue, None),
    VR.CS: (write_string, None),
    VR.DA: (write_DA, None),
    VR.DS: (write_number_string, None),
    VR.DT: (write_DT, None),
    VR.FD: (write_numbers, "d"),
    VR.FL: (write_numbers, "f"),
    VR.IS: (write_number_string, None),
    VR.LO: (write_text, None),
    VR.LT: (write_text, None),
    VR.OB: (write_OBvalue, None),
    VR.OD: (write_OWvalue, None),
    VR.OF: (write_OWvalue, None),
    VR.OL: (write_OWvalue, None),
    VR.OW: (write_OWvalue, None),
    VR.OV: (write_OWvalue, None),
    VR.PN: (write_PN, None),
    VR.SH: (write_text, None),
    VR.SL: (write_numbers, "l"),
    VR.SQ: (write_sequence, None),
    VR.SS: (write_numbers, "h"),
    VR.ST: (write_text, None),
    VR.SV: (write_numbers, "q"),
    VR.TM: (write_TM, None),
    VR.UC: (write_text, None),
    VR.UI: (write_UI, None),
    VR.UL: (write_numbers, "L"),
    VR.UN: (write_UN, None),
    VR.UR: (write_string, None),
    VR.US: (write_numbers, "H"),
    VR.UT: (write_text, None),
    VR.UV: (write_numbers, "Q"),
    # an unresolved ambiguous VR's value is written as the bytes it holds
    VR.US_SS: (write_OWvalue, None),
    VR.US_OW: (write_OWvalue, None),
    VR.US_SS_OW: (write_OWvalue, None),
    VR.OB_OW: (write_OBvalue, None),
}
"""dict: pydicom's table of the value writer of each VR and its
:mod:`struct` format (for the binary numbers)."""


def _file_meta_chunks(file_meta: Any, enforce_standard: bool) -> _Chunks:
    """The encoded File Meta group (Explicit VR Little Endian, PS3.10 §7.1),
    its group length recomputed when present or required."""
    validate_file_meta(file_meta, enforce_standard)
    unchanged = _unchanged_file_meta(file_meta, enforce_standard)
    if unchanged is not None:
        out = _Chunks(False, True)
        out.add(unchanged)
        return out
    body = _Chunks(False, True, _read_deferred_value)
    store = file_meta._dict
    has_length = 0x00020000 in store
    source = file_meta
    if has_length:
        # Written apart, after the others: its value is their length. The
        # others are written from a copy of the group (their raw elements as
        # they are): taking it out of the shared group for a moment would let
        # another thread see a group without it (issue 12, thread hammer).
        source = FileMetaDataset()
        for tag in store.sorted_tags():
            if tag != 0x00020000:
                source._dict[tag] = file_meta.get_item(tag, keep_deferred=True)
    _write_dataset(body, source, [default_encoding])
    out = _Chunks(False, True)
    if has_length or enforce_standard:
        elem = DataElement(0x00020000, "UL", body.size)
        if has_length and file_meta[0x00020000].VR == "UL":
            file_meta[0x00020000].value = body.size
        else:  # absent, or read with another VR from a corrupt file
            file_meta.add(elem)
        out.add(pack("<HH2sHL", 2, 0, b"UL", 4, body.size))
    out.extend(body)
    return out


def _tags_below(store: Any, limit: int) -> list[int]:
    """The tags of `store` below `limit`, without listing all of them."""
    found = [tag for tag in store._done if tag < limit]
    table = store._table
    if table is not None:
        tags = table.tags()
        found += [tag for tag in tags[: bisect_left(tags, limit)] if tag not in store._removed]
    return found


def _unchanged_file_meta(file_meta: Any, enforce_standard: bool) -> memoryview | None:
    """The File Meta group's bytes as read, when they can be written again.

    That is when no element was touched, added or removed, the group is one
    contiguous run, and its group length (when present) is right; a
    missing group length is acceptable only where pydicom would not add one.
    """
    store = file_meta.__dict__.get("_dict")
    table = getattr(store, "_table", None)
    if table is None or not len(table) or store._extra or store._removed:
        return None
    store.make_mutable_elements()  # values read by keyword and edited in place
    if any(not elem.is_raw for elem in store._done.values()):
        return None
    runs = table.copy_runs((), -1)
    if len(runs) != 1 or runs[0][0] != 0 or runs[0][1] != len(table):
        return None
    _, _, start, end = runs[0]
    view = store._source.view
    record = table.find(0x00020000)
    if record is None:
        return None if enforce_standard else view[start:end]
    _, vr, flags, header, offset, length = record
    if header != start or vr != "UL" or length != 4 or flags:
        return None
    if int.from_bytes(view[offset : offset + 4], "little") != end - (offset + 4):
        return None
    return view[start:end]


def write_file_meta_info(fp: Any, file_meta: Any, enforce_standard: bool = True) -> None:
    """Write the File Meta Information elements of `file_meta` to `fp`, as
    pydicom's function of that name (group length added/updated when
    `enforce_standard`, missing version and implementation added)."""
    out = _file_meta_chunks(file_meta, enforce_standard)
    _write_parts(fp, out.parts)


def _determine_encoding(
    ds: Any, tsyntax: Any, implicit_vr: bool | None, little_endian: bool | None, force_encoding: bool
) -> tuple[bool, bool]:
    """The (implicit VR, little endian) to write `ds` with, as pydicom 3 decides."""
    arg_encoding = (implicit_vr, little_endian)
    if force_encoding:
        if None in arg_encoding:
            raise ValueError("'implicit_vr' and 'little_endian' are required if 'force_encoding' is used")
        return implicit_vr, little_endian  # type: ignore[return-value]
    if implicit_vr is not None and little_endian is None:
        arg_encoding = (implicit_vr, True)
    ds_encoding: tuple[Any, Any] = (None, None)
    if not getattr(config, "_use_future", False):
        ds_encoding = (ds.is_implicit_VR, ds.is_little_endian)
    fallback: tuple[Any, Any] = (None, None)
    if None not in arg_encoding:
        fallback = arg_encoding
    elif None not in ds_encoding:
        fallback = ds_encoding
    elif None not in ds.original_encoding:
        fallback = ds.original_encoding
    if tsyntax is None:
        if None not in fallback:
            return fallback
        raise ValueError(
            "Unable to determine the encoding to use for writing the dataset, "
            "please set the file meta's Transfer Syntax UID or use the "
            "'implicit_vr' and 'little_endian' arguments"
        )
    if tsyntax.is_private and not tsyntax.is_transfer_syntax:
        if None in fallback:
            raise ValueError(
                "The 'implicit_vr' and 'little_endian' arguments are required "
                "when using a private transfer syntax"
            )
        return fallback
    if not tsyntax.is_transfer_syntax:
        raise ValueError(f"The Transfer Syntax UID '{tsyntax.name}' is not a valid transfer syntax")
    if implicit_vr is not None and implicit_vr != tsyntax.is_implicit_VR:
        raise ValueError(
            "The 'implicit_vr' value is not consistent with the required VR "
            f"encoding for the '{tsyntax.name}' transfer syntax"
        )
    if little_endian is not None and little_endian != tsyntax.is_little_endian:
        raise ValueError(
            "The 'little_endian' value is not consistent with the required "
            f"endianness for the '{tsyntax.name}' transfer syntax"
        )
    return tsyntax.is_implicit_VR, tsyntax.is_little_endian


def _path_of(target: Any) -> str | None:
    if isinstance(target, str):
        return target
    if isinstance(target, os.PathLike):
        path = os.fspath(target)
        return path if isinstance(path, str) else os.fsdecode(path)
    return None


def _same_file(a: str | None, b: Any) -> bool:
    if not a or not isinstance(b, str):
        return False
    try:
        return os.path.samefile(a, b)
    except OSError:
        return False


def encode_file(
    dataset: Any,
    /,
    __write_like_original: bool | None = None,
    *,
    implicit_vr: bool | None = None,
    little_endian: bool | None = None,
    enforce_file_format: bool = False,
    force_encoding: bool = False,
    keep_deferred: bool = True,
    **kwargs: Any,
) -> list[Any]:
    """The chunks (bytes, memoryviews and buffered values) of `dataset`
    written as :func:`dcmwrite` would write it; nothing is written anywhere."""
    return _encode_file(
        dataset, __write_like_original, implicit_vr=implicit_vr, little_endian=little_endian,
        enforce_file_format=enforce_file_format, force_encoding=force_encoding,
        keep_deferred=keep_deferred, **kwargs,
    )[0]


def _encode_file(
    dataset: Any,
    /,
    __write_like_original: bool | None = None,
    *,
    implicit_vr: bool | None = None,
    little_endian: bool | None = None,
    enforce_file_format: bool = False,
    force_encoding: bool = False,
    keep_deferred: bool = True,
    **kwargs: Any,
) -> tuple[list[Any], tuple[bool, bool]]:
    """:func:`encode_file`, and the (implicit VR, little endian) encoding of
    the dataset that it decided on."""
    write_like_original = kwargs.pop("write_like_original", None)
    if write_like_original is None:
        write_like_original = __write_like_original
    elif __write_like_original is not None and not getattr(config, "_use_future", False):
        raise TypeError("'write_like_original' cannot be used as both a positional and keyword argument")
    if write_like_original is not None:
        if getattr(config, "_use_future", False):
            raise TypeError(
                "'write_like_original' is no longer accepted as a positional "
                "or keyword argument, use 'enforce_file_format' instead"
            )
        config.warn_and_log(
            "'write_like_original' is deprecated and will be removed in v4.0, "
            "please use 'enforce_file_format' instead",
            DeprecationWarning,
        )
        enforce_file_format = not write_like_original
    if kwargs:
        raise TypeError(f"Invalid keyword argument(s) for dcmwrite(): {', '.join(kwargs)}")

    cls_name = type(dataset).__name__
    groups = {tag >> 16 for tag in _tags_below(dataset._dict, 0x00030000)}
    if groups & {0, 2}:
        if 0 in groups:
            raise ValueError(
                "Command Set elements (0000,eeee) are not allowed when using "
                "dcmwrite(), use write_dataset() instead"
            )
        raise ValueError(
            "File Meta Information Group elements (0002,eeee) must be in a "
            f"FileMetaDataset instance in the '{cls_name}.file_meta' attribute"
        )
    if force_encoding and enforce_file_format:
        raise ValueError("'force_encoding' cannot be used with 'enforce_file_format'")

    file_meta = dataset.__dict__.get("file_meta")
    if file_meta is None:
        file_meta = FileMetaDataset()
    if enforce_file_format:
        file_meta = deepcopy(file_meta)  # the dataset's File Meta stays as it is
    tsyntax = file_meta.get("TransferSyntaxUID", None)
    if tsyntax is not None and not isinstance(tsyntax, UID):
        tsyntax = UID(str(tsyntax))
    encoding = _determine_encoding(dataset, tsyntax, implicit_vr, little_endian, force_encoding)
    if not force_encoding and encoding == (True, False):
        raise ValueError("Implicit VR and big endian is not a valid encoding combination")

    preamble = dataset.__dict__.get("preamble")
    if preamble and len(preamble) != 128:
        raise ValueError(f"'{cls_name}.preamble' must be 128-bytes long")

    if enforce_file_format:
        if tsyntax is None:
            if encoding == (True, True):
                file_meta.TransferSyntaxUID = ImplicitVRLittleEndian
            elif encoding == (False, False):
                file_meta.TransferSyntaxUID = ExplicitVRBigEndian
            tsyntax = file_meta.get("TransferSyntaxUID", None)
        meta_class = file_meta.get("MediaStorageSOPClassUID", None)
        ds_class = dataset.get("SOPClassUID", None)
        if meta_class is None or (ds_class and ds_class != meta_class):
            file_meta.MediaStorageSOPClassUID = ds_class
        meta_instance = file_meta.get("MediaStorageSOPInstanceUID", None)
        ds_instance = dataset.get("SOPInstanceUID", None)
        if meta_instance is None or (ds_instance and ds_instance != meta_instance):
            file_meta.MediaStorageSOPInstanceUID = ds_instance
        if not preamble:
            preamble = b"\x00" * 128

    pixel_undefined = None
    if tsyntax and not tsyntax.is_private and tsyntax.is_transfer_syntax:
        # PS3.5 A.4: encapsulated pixel data has undefined length, native not
        pixel_undefined = tsyntax.is_compressed
        pixel = dataset._dict._done.get(_PIXEL_TAG)
        if pixel is not None and not pixel.is_raw:
            # the element says how it was written, as pydicom's dcmwrite sets it
            pixel.is_undefined_length = pixel_undefined

    chunks: list[Any] = []
    if preamble:
        chunks.append(bytes(preamble))
        chunks.append(b"DICM")
    if enforce_file_format or len(file_meta._dict):
        chunks.extend(_file_meta_chunks(file_meta, enforce_file_format).parts)

    read_deferred = _read_deferred_value
    if not keep_deferred:
        def read_deferred(ds: Any, raw: Any) -> Any:
            raw = _read_deferred_value(ds, raw)
            ds._dict[raw.tag] = raw  # the source is about to be replaced
            return raw

    out = _Chunks(encoding[0], encoding[1], read_deferred)
    _write_dataset(out, dataset, [default_encoding], pixel_undefined)
    if tsyntax == DeflatedExplicitVRLittleEndian:
        # PS3.5 A.5: the dataset after the File Meta is one raw deflate stream
        compressor = zlib.compressobj(wbits=-zlib.MAX_WBITS)
        deflated = [compressor.compress(piece) for piece in _pieces(out.parts)]
        deflated.append(compressor.flush())
        data = b"".join(deflated)
        chunks.append(data)
        if len(data) % 2:
            chunks.append(b"\x00")
    else:
        chunks.extend(out.parts)
    return chunks, encoding


def _write_chunks_fd(fd: int, chunks: list[Any]) -> None:
    """Write every chunk to the file descriptor (os.writev, IOV_MAX at a time;
    a buffered value is read and written chunk by chunk)."""
    batch: list[Any] = []
    for chunk in chunks:
        if isinstance(chunk, _BufferPart):
            _writev_all(fd, batch)
            batch = []
            for piece in chunk.chunks():
                _writev_all(fd, [piece])
        else:
            batch.append(chunk)
    _writev_all(fd, batch)


def _writev_all(fd: int, chunks: list[Any]) -> None:
    pending = [memoryview(c).cast("B") if not isinstance(c, bytes) else c for c in chunks if len(c)]
    limit = getattr(os, "sysconf", lambda name: 1024)("SC_IOV_MAX") if hasattr(os, "sysconf") else 1024
    limit = max(16, min(limit if limit > 0 else 1024, 1024))
    writev = getattr(os, "writev", None)
    if writev is not None and getattr(writev, "__module__", None) != getattr(os.write, "__module__", None):
        # os.write/os.open replaced (a fake file system such as pyfakefs) but
        #   not os.writev: its fd is not a real one, so use os.write
        writev = None
    while pending:
        batch = pending[:limit]
        written = writev(fd, batch) if writev is not None else os.write(fd, batch[0])
        # drop what was written, keep the rest of a partly written chunk
        index = 0
        while index < len(batch) and written >= len(batch[index]):
            written -= len(batch[index])
            index += 1
        rest = pending[index:]
        if written and rest:
            rest[0] = memoryview(rest[0])[written:]
        pending = rest


def _atomic_write(path: str, chunks: list[Any], overwrite: bool) -> None:
    """Write `chunks` to a temporary file beside `path`, then move it into place."""
    directory = os.path.dirname(os.path.abspath(path))
    base = os.path.basename(path)
    if not overwrite and os.path.lexists(path):
        raise FileExistsError(f"File exists: '{path}'")
    mode = None
    try:
        mode = os.stat(path).st_mode & 0o7777
    except OSError:
        pass
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0) | getattr(os, "O_CLOEXEC", 0)
    # Always through a temporary file, even for a new path: a process killed
    # mid-write must leave no half-written file under the destination's name
    # (issue 12), and the data reaches the disk (fsync) before the rename
    # makes it visible, so a power loss leaves the old file or the new one.
    for _attempt in range(100):
        temp = os.path.join(directory, f".{base}.{os.getpid()}.{os.urandom(4).hex()}.tmp")
        try:
            fd = os.open(temp, flags, 0o666)
            break
        except FileExistsError:
            continue
    else:  # pragma: no cover
        raise FileExistsError(f"Cannot make a temporary file in '{directory}'")
    try:
        try:
            _write_chunks_fd(fd, chunks)
            if mode is not None:
                os.chmod(temp, mode)
            _fsync(fd)
        finally:
            os.close(fd)
        if overwrite:
            os.replace(temp, path)
        else:
            try:
                os.link(temp, path)  # fails if the destination appeared meanwhile
            except FileExistsError:
                raise
            except OSError:
                if os.path.lexists(path):
                    raise FileExistsError(f"File exists: '{path}'") from None
                os.replace(temp, path)
            else:
                os.unlink(temp)
    except BaseException:
        try:
            os.unlink(temp)
        except OSError:
            pass
        raise
    _fsync_directory(directory)


def _fsync(fd: int) -> None:
    """Flush a written file to the disk (a fake file system has no fsync)."""
    try:
        os.fsync(fd)
    except (OSError, AttributeError):
        pass


def _fsync_directory(directory: str) -> None:
    """Make a rename durable: sync the directory that holds it (POSIX; on
    Windows a directory cannot be opened and the rename is journaled)."""
    try:
        fd = os.open(directory, os.O_RDONLY)
    except (OSError, AttributeError):
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def dcmwrite(
    filename: Any,
    dataset: Any,
    /,
    __write_like_original: bool | None = None,
    *,
    implicit_vr: bool | None = None,
    little_endian: bool | None = None,
    enforce_file_format: bool = False,
    force_encoding: bool = False,
    overwrite: bool = True,
    **kwargs: Any,
) -> None:
    """Write `dataset` to `filename` (a path, PathLike or binary file-like),
    as pydicom 3's ``dcmwrite``.

    The encoding is decided as pydicom decides it: the File Meta's Transfer
    Syntax UID, else `implicit_vr`/`little_endian`, else the dataset's
    (deprecated) ``is_implicit_VR``/``is_little_endian``, else its original
    encoding. Unlike pydicom, a change of byte order swaps OW/OF/OD/OL/OV
    values and native Pixel Data, and a change of VR encoding or character
    set re-encodes what needs it.

    Elements of a dataset read from data that are unchanged are copied from
    the source buffer when the encoding is unchanged. The whole file is
    encoded before anything is written: an element that cannot be encoded
    raises (naming its tag and keyword) and nothing is written. A path is
    written to a temporary file in the same directory that replaces the
    destination only once complete.

    Parameters
    ----------
    filename : str, PathLike or file-like
    dataset : Dataset
    write_like_original : bool, optional
        Deprecated: ``enforce_file_format = not write_like_original``.
    implicit_vr, little_endian : bool, optional
    enforce_file_format : bool
        Write the DICOM File Format: preamble, complete File Meta.
    force_encoding : bool
        Use `implicit_vr` and `little_endian` whatever the Transfer Syntax.
    overwrite : bool
        False raises FileExistsError when the path exists.
    """
    path = _path_of(filename)
    if path is not None and not overwrite and os.path.lexists(path):
        raise FileExistsError(f"File exists: '{path}'")
    own_source = path is not None and _same_file(path, dataset.__dict__.get("filename"))
    # The arguments and the dataset are checked (by encoding it) before the
    # destination, as pydicom does.
    chunks, encoding = _encode_file(
        dataset,
        __write_like_original,
        implicit_vr=implicit_vr,
        little_endian=little_endian,
        enforce_file_format=enforce_file_format,
        force_encoding=force_encoding,
        keep_deferred=not own_source,
        **kwargs,
    )
    if path is None and not hasattr(filename, "write"):
        raise TypeError(
            "dcmwrite: Expected a file path, file-like or writeable buffer, "
            f"but got {type(filename).__name__}"
        )
    if path is None:
        if isinstance(filename, DicomIO):
            # as pydicom, a DicomIO is left with the encoding it was written in
            filename.is_implicit_VR, filename.is_little_endian = bool(encoding[0]), bool(encoding[1])
        _write_parts(filename, chunks)
        return
    _atomic_write(path, chunks, overwrite)


def dataset_save_as(dataset: Any, filename: Any, /, __write_like_original: bool | None = None,
                    *args: Any, **kwargs: Any) -> None:
    """``Dataset.save_as``: :func:`dcmwrite`, refusing a change of byte order
    as pydicom 3 does (use :func:`dcmwrite` for that)."""
    if args:
        raise TypeError("save_as() takes at most one positional argument after the filename")
    implicit_vr = kwargs.get("implicit_vr")
    little_endian = kwargs.get("little_endian")
    if implicit_vr is not None and little_endian is None:
        little_endian = kwargs["little_endian"] = True
    if dataset.original_encoding[1] is not None:
        file_meta = dataset.__dict__.get("file_meta") or {}
        syntax = file_meta.get("TransferSyntaxUID", None) if file_meta else None
        use_little = None
        # the byte order of the Transfer Syntax UID if it is one, else the fallbacks
        try:
            known = syntax is not None
            if syntax is not None:
                use_little = syntax.is_little_endian
        except (AttributeError, ValueError):
            known = False
        if not known:
            if little_endian is not None:
                use_little = little_endian
            elif not getattr(config, "_use_future", False):
                use_little = dataset.is_little_endian
        if use_little is not None and dataset.original_encoding[1] != use_little:
            raise ValueError(
                f"'{type(dataset).__name__}.save_as()' cannot be used to "
                "convert between little and big endian encoding. Please "
                "read the documentation for filewriter.dcmwrite() if this "
                "is what you really want to do"
            )
    dcmwrite(filename, dataset, __write_like_original, **kwargs)


def write_file(filename: Any, dataset: Any, write_like_original: bool = True) -> None:
    """Write a file: the pydicom 0.9 name of :func:`dcmwrite` (deprecated).

    Parameters
    ----------
    filename : str, PathLike or file-like
    dataset : Dataset
    write_like_original : bool
        False writes the DICOM File Format (preamble and complete File Meta).
    """
    warn_legacy_name("write_file", "dcmwrite")
    dcmwrite(filename, dataset, enforce_file_format=not write_like_original)
