"""Reading DICOM files and buffers: :func:`dcmread`, as in ``pydicom.filereader``.

The file is read into one buffer (for a header-only read, only as much of it
as the header needs), the compiled scanner indexes the File Meta group and the
dataset, and nothing else happens until elements are touched.
"""

from __future__ import annotations

import mmap
import os
import zlib
from typing import Any, BinaryIO

from fastdicom import _parser, config
from fastdicom.dataelem import RawDataElement
from fastdicom.dataset import (
    Dataset,
    _check_truncation,
    FileDataset,
    FileMetaDataset,
    _ElementStore,
    _Source,
    _warn,
)
from fastdicom.errors import DicomParseError, DicomTruncatedError, InvalidDicomError
from fastdicom.charset import convert_encodings, python_encoding
from fastdicom.tag import Tag
from fastdicom.uid import (
    DeflatedExplicitVRLittleEndian,
    ExplicitVRBigEndian,
    ImplicitVRLittleEndian,
    PrivateTransferSyntaxes,
)
from fastdicom.values import convert_value_bytes

__all__ = [
    "dcmread",
    "read_file_meta_info",
    "read_preamble",
    "read_deferred_data_element",
    "size_in_bytes",
]

_PIXEL_TAGS = (0x7FE00008, 0x7FE00009, 0x7FE00010)
# A header rarely exceeds this; a header-only read of a path starts here and
# reads the whole file only when the header turns out longer.
_HEADER_CHUNK = 16 * 1024
# PS3.5 Table 6.2-1: the VRs, for telling a bare explicit-VR dataset.
_VALID_VRS = frozenset(
    b"AE AS AT CS DA DS DT FD FL IS LO LT OB OD OF OL OV OW PN SH SL SQ SS ST "
    b"SV TM UC UI UL UN UR US UT UV".split()
)


def size_in_bytes(expr: int | float | str | None) -> None | float | int:
    """Bytes in a size given as a number or a string like ``"512 KB"``.

    Parameters
    ----------
    expr : int, float, str or None

    Returns
    -------
    int, float or None
    """
    if expr is None or expr == float("inf"):
        return None
    if isinstance(expr, (int, float)):
        return expr
    try:
        return int(expr)
    except ValueError:
        pass
    units = {"kb": 1000, "mb": 1000**2, "gb": 1000**3, "b": 1}
    compact = "".join(expr.split()).lower()
    for suffix, factor in units.items():
        if compact.endswith(suffix):
            try:
                return float(compact[: -len(suffix)]) * factor
            except ValueError:
                break
    raise ValueError(f"Unable to parse length with unit '{expr}'")


def read_preamble(fp: BinaryIO, force: bool) -> bytes | None:
    """Read the 128-byte preamble and 'DICM' prefix from `fp`.

    Parameters
    ----------
    fp : file-like
        Positioned at the start of the file.
    force : bool
        When the prefix is missing, rewind and return None instead of raising.

    Returns
    -------
    bytes or None
    """
    preamble = fp.read(128)
    if fp.read(4) == b"DICM":
        return preamble
    if force:
        fp.seek(0)
        return None
    raise InvalidDicomError(
        "File is missing DICOM File Meta Information header or the 'DICM' "
        "prefix is missing from the header. Use force=True to force reading."
    )


# (implicit VR, little endian, deflated) of the transfer syntaxes whose
# dataset encoding is not Explicit VR Little Endian (PS3.5 §10, Annex A).
_SPECIAL_ENCODINGS = {
    ImplicitVRLittleEndian: (True, True, False),
    ExplicitVRBigEndian: (False, False, False),
    DeflatedExplicitVRLittleEndian: (False, True, True),  # PS3.5 §A.5
}


def _transfer_syntax_encoding(uid: str) -> tuple[bool, bool, bool]:
    """(implicit VR, little endian, deflated) for a transfer syntax UID."""
    found = _SPECIAL_ENCODINGS.get(uid)
    if found is not None:
        return found
    for private in PrivateTransferSyntaxes:
        if private == uid:
            return private.is_implicit_VR, private.is_little_endian, private.is_deflated
    return False, True, False


def _guess_encoding(view: memoryview, start: int) -> tuple[bool, bool]:
    """pydicom's guess for a dataset without a transfer syntax.

    Two VR letters after the first tag mean explicit VR; then a group that
    reads as 1024 or more in little endian means big endian (the dataset
    groups of real files are small numbers).
    """
    first = bytes(view[start : start + 6])
    if len(first) < 6:
        return True, True
    if first[4:6] in _VALID_VRS:
        group_le = first[0] | first[1] << 8
        return False, group_le < 1024
    return True, True


def _looks_like_bare_dataset(view: memoryview) -> bool:
    """True when data without a 'DICM' prefix starts like a DICOM dataset.

    DCMTK and GDCM read a dataset without File Meta when its first element
    looks right; so does fastdicom, on the same evidence: the first tag is in
    one of the low groups a dataset starts with, and either VR letters follow
    (explicit VR) or a length that fits in the data (implicit VR).
    """
    head = bytes(view[:8])
    if len(head) < 8:
        return False
    group_le = head[0] | head[1] << 8
    group_be = head[0] << 8 | head[1]
    element_le = head[2] | head[3] << 8
    if head[4:6] in _VALID_VRS:
        return group_le in (0x0000, 0x0002, 0x0008) or group_be in (0x0002, 0x0008)
    length = int.from_bytes(head[4:8], "little")
    return group_le in (0x0002, 0x0008) and element_le < 0x0100 and length <= len(view) - 8


class _Input:
    """The bytes to parse and where they came from."""

    def __init__(self, fp: Any, header_only: bool) -> None:
        self.filename: str | None = None
        self.mtime: float | None = None
        self.complete = True
        if not isinstance(fp, (str, bytes)) and isinstance(fp, os.PathLike):
            fp = os.fspath(fp)
        if isinstance(fp, str):
            self.filename = fp
            data = self._read_path(fp, _HEADER_CHUNK if header_only else None)
        elif isinstance(fp, (bytes, bytearray, memoryview, mmap.mmap)):
            data = fp
        elif hasattr(fp, "read"):
            name = getattr(fp, "name", None)
            self.filename = name if isinstance(name, str) else None
            data = fp.read()
            if not isinstance(data, (bytes, bytearray)):
                raise TypeError("dcmread: the file-like must be opened in binary mode")
        else:
            raise TypeError(
                "dcmread: Expected a file path, file-like or readable buffer, "
                f"but got {type(fp).__name__}"
            )
        self.data = data
        self.view = memoryview(data).cast("B") if not isinstance(data, memoryview) else data.cast("B")

    def _read_path(self, path: str, limit: int | None) -> bytes:
        # os-level reads: no buffered file object per file, and the mtime
        # (pydicom's FileDataset.timestamp) comes from the same fstat.
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_BINARY", 0))
        try:
            info = os.fstat(fd)
            self.mtime = info.st_mtime
            size = info.st_size
            self.complete = limit is None or size <= limit
            if not self.complete:
                size = limit
            chunks = []
            remaining = size
            while remaining > 0:
                chunk = os.read(fd, remaining)
                if not chunk:
                    break
                chunks.append(chunk)
                remaining -= len(chunk)
            if remaining == 0 and limit is None:
                # The file may have grown since fstat: take the rest too.
                while chunk := os.read(fd, 1 << 20):
                    chunks.append(chunk)
        finally:
            os.close(fd)
        return chunks[0] if len(chunks) == 1 else b"".join(chunks)

    def read_more(self) -> None:
        """Read four times as much of the file (or all of it) as before."""
        self.data = self._read_path(self.filename, 4 * len(self.data))  # type: ignore[arg-type]
        self.view = memoryview(self.data)

    def read_all(self) -> None:
        """Replace a header chunk by the whole file."""
        self.data = self._read_path(self.filename, None)  # type: ignore[arg-type]
        self.view = memoryview(self.data)
        self.complete = True


def _starts_with_pixel_tag(view: memoryview, offset: int, little: bool) -> bool:
    head = bytes(view[offset : offset + 4])
    if len(head) < 4:
        return False
    order = "little" if little else "big"
    tag = int.from_bytes(head[:2], order) << 16 | int.from_bytes(head[2:], order)
    return tag in _PIXEL_TAGS


def dcmread(
    fp: Any,
    defer_size: str | int | float | None = None,
    stop_before_pixels: bool = False,
    force: bool = False,
    specific_tags: list[Any] | None = None,
) -> FileDataset:
    """Read a DICOM file, file-like or buffer.

    Parameters
    ----------
    fp : str, PathLike, binary file-like, bytes, bytearray, memoryview or mmap
        The data. fastdicom also takes bytes-like objects directly.
    defer_size : int, float or str, optional
        Values longer than this (e.g. ``"512 KB"``) are not kept in memory but
        read again from the source when accessed.
    stop_before_pixels : bool
        Stop at the Pixel Data (and Float/Double Float Pixel Data) element.
    force : bool
        Read data that has no 'DICM' prefix and does not look like a DICOM
        dataset, as pydicom does.
    specific_tags : list of tags or keywords, optional
        Keep only these top-level elements (and Specific Character Set).

    Returns
    -------
    FileDataset

    Raises
    ------
    InvalidDicomError
        When the data is not DICOM (no prefix and no recognisable dataset)
        or its structure is corrupt (:class:`~fastdicom.errors.DicomParseError`
        names the file, offset and tag).
    """
    source = _Input(fp, header_only=stop_before_pixels and defer_size is None)
    try:
        return _read(source, fp, size_in_bytes(defer_size), stop_before_pixels, force, specific_tags)
    except DicomParseError as exc:
        raise exc.with_filename(source.filename) from None


def _read(
    source: _Input,
    fp: Any,
    defer_size: int | float | None,
    stop_before_pixels: bool,
    force: bool,
    specific_tags: list[Any] | None,
) -> FileDataset:
    view = source.view
    preamble: bytes | None = None
    if bytes(view[128:132]) == b"DICM":
        preamble = bytes(view[:128])
        position = 132
    elif force or _looks_like_bare_dataset(view):
        position = 0
    else:
        raise InvalidDicomError(
            "File is missing DICOM File Meta Information header or the 'DICM' "
            "prefix is missing from the header. Use force=True to force reading."
            + (f" ({source.filename})" if source.filename else "")
        )

    # PS3.10 §7.1: the File Meta group is always Explicit VR Little Endian
    # (the scanner's first-element check also reads an implicit one).
    meta_table = _parser.scan_dataset(view, position, len(view), False, True, only_group=2)
    meta_source = _Source(view, source.filename)
    file_meta = FileMetaDataset._from_table(meta_table, meta_source)
    position = meta_table.stop_offset

    # A command set (group 0000) is always Implicit VR Little Endian (PS3.7 §6.3.1).
    command_table = None
    if _group_at(view, position) == 0:
        command_table = _parser.scan_dataset(view, position, len(view), True, True, only_group=0)
        position = command_table.stop_offset

    at_end = position >= len(view)
    transfer_syntax = _transfer_syntax_uid(meta_table, view)
    deflated = False
    if at_end:
        implicit, little = True, True
    elif transfer_syntax is None:
        implicit, little = _guess_encoding(view, position)
    else:
        implicit, little, deflated = _transfer_syntax_encoding(transfer_syntax)

    data_source = meta_source
    if deflated:
        # PS3.5 §A.5: everything after the File Meta group is one raw deflate stream.
        data = source.data if source.complete else None
        if data is None:
            source.read_all()
            view = source.view
        try:
            inflated = zlib.decompress(bytes(source.view[position:]), -zlib.MAX_WBITS)
        except zlib.error as exc:
            raise DicomParseError(f"Deflated dataset cannot be inflated ({exc})", position) from None
        view = memoryview(inflated)
        data_source = _Source(view, source.filename)
        position = 0

    table = _parser.scan_dataset(
        view, position, len(view), implicit, little, stop_before_pixels=stop_before_pixels
    )
    if stop_before_pixels and not deflated and source.filename is not None:
        if not source.complete and not _starts_with_pixel_tag(
            view, table.stop_offset, table.little_endian
        ):
            # The header is longer than what was read: read four times more.
            source.read_more()
            return _read(source, fp, defer_size, stop_before_pixels, force, specific_tags)
        if table.stop_offset < len(view):
            # Keep only the header bytes, not what was read past them.
            view = memoryview(view[: table.stop_offset].tobytes())
            data_source = meta_source = _Source(view, source.filename)
            file_meta._dict._source = meta_source

    if len(table) and table.implicit_vr != implicit and not at_end:
        found = "implicit" if table.implicit_vr else "explicit"
        expected = "explicit" if table.implicit_vr else "implicit"
        message = f"Expected {expected} VR, but found {found} VR"
        if config.settings.reading_validation_mode == config.RAISE:
            raise InvalidDicomError(message)
        _warn(f"{message} - using {found} VR for reading")
    implicit = table.implicit_vr

    _check_truncation(table, source.filename)

    if specific_tags:
        wanted = {int(Tag(tag)) for tag in specific_tags}
        wanted.add(0x00080005)
        table = table.select(wanted)

    ds = FileDataset._from_table(table, data_source)
    ds.__dict__.update(file_meta=file_meta, preamble=preamble)
    ds._set_source(fp, source.mtime)
    if command_table is not None and len(command_table):
        command = Dataset._from_table(command_table, meta_source)
        for tag in command.keys():
            ds._dict[tag] = command._dict[tag]
    if defer_size is not None:
        _defer_large_values(ds, defer_size, keep_buffer=source.filename is None)
    ds.__dict__["_read_charset"] = _character_set_of(table, view, ds._parent_encoding)
    return ds


def _character_set_of(table: "_parser.ElementTable", view: memoryview, default: Any) -> Any:
    """The Python encodings named by the table's Specific Character Set.

    Read from the record directly: every dataset read needs it, and making
    the element for it would cost more than the rest of the header.
    """
    record = table.find(0x00080005)
    if record is None:
        return default
    offset, length = record[4], record[5]
    raw = view[offset : offset + length].tobytes()
    known = _KNOWN_CHARSETS.get(raw)
    if known is not None:
        return list(known)
    terms = convert_value_bytes("CS", raw, True, None)
    if not terms:
        return default
    encodings = convert_encodings(terms)
    if len(_KNOWN_CHARSETS) < 64 and isinstance(terms, str) and terms in python_encoding:
        # One standard term converts the same way every time, without a
        # warning: remember it (real files use a handful of values).
        _KNOWN_CHARSETS[raw] = tuple(encodings)
    return encodings


_KNOWN_CHARSETS: dict[bytes, tuple[str, ...]] = {}


def _group_at(view: memoryview, offset: int) -> int | None:
    head = bytes(view[offset : offset + 2])
    return head[0] | head[1] << 8 if len(head) == 2 else None


def _transfer_syntax_uid(meta_table: "_parser.ElementTable", view: memoryview) -> str | None:
    record = meta_table.find(0x00020010)
    if record is None:
        return None
    offset, length = record[4], record[5]
    text = view[offset : offset + length].tobytes().decode("ascii", "replace").strip(" \x00")
    return text or None


def _defer_large_values(dataset: Dataset, defer_size: float, keep_buffer: bool) -> None:
    """Leave the values of `dataset` longer than `defer_size` unread.

    pydicom's model for defer_size: a value over the limit is read again from
    the file when it is accessed. When the data came from a path the buffer
    is released; each deferred element keeps the offset and byte length of
    its value (for an undefined length, the span the scanner measured).
    """
    store = dataset._dict
    if keep_buffer:
        return  # the data is in memory already: deferring would save nothing
    table = store._table
    elements = {}
    spans: dict[int, tuple[int, int]] = {}
    for tag in store.sorted_tags():
        raw = store[tag]
        if raw.is_raw and tag != 0x00080005 and raw.value is not None and len(raw.value) > defer_size:
            record = table.find(tag) if table is not None else None
            if record is not None:
                spans[tag] = (record[4], record[5])
                raw = raw._replace(value=None)
        elif raw.is_raw and isinstance(raw.value, memoryview):
            raw = raw._replace(value=raw.value.tobytes())
        elements[tag] = raw
    replacement = _ElementStore(elements=elements)
    replacement._source = _Source(memoryview(b""), store._source.filename)
    replacement._deferred = spans
    dataset.__dict__["_dict"] = replacement


def read_deferred_data_element(dataset: Dataset, raw: RawDataElement) -> RawDataElement:
    """Read the value of a deferred element again from its file.

    Parameters
    ----------
    dataset : Dataset
        The file dataset holding `raw`.
    raw : RawDataElement
        An element whose value was deferred.

    Returns
    -------
    RawDataElement
        `raw` with its value.
    """
    filename = getattr(dataset, "filename", None)
    spans = getattr(dataset._dict, "_deferred", None) or {}
    offset, length = spans.get(int(raw.tag), (raw.value_tell, raw.length))
    if not isinstance(filename, str):
        raise OSError("Deferred read -- original filename not stored. Cannot re-open")
    if not os.path.exists(filename):
        raise OSError(f"Deferred read -- original file {filename} is missing")
    timestamp = getattr(dataset, "timestamp", None)
    if timestamp is not None and os.stat(filename).st_mtime != timestamp:
        _warn("Deferred read warning -- file modification time has changed")
    with open(filename, "rb") as handle:
        handle.seek(offset)
        data = handle.read(length)
    return raw._replace(value=data)


def read_file_meta_info(filename: Any) -> FileMetaDataset:
    """Read only the File Meta Information group of a file.

    Parameters
    ----------
    filename : str or PathLike

    Returns
    -------
    FileMetaDataset
    """
    with open(filename, "rb") as handle:
        data = handle.read(_HEADER_CHUNK)
    view = memoryview(data)
    position = 132 if bytes(view[128:132]) == b"DICM" else 0
    try:
        table = _parser.scan_dataset(view, position, len(view), False, True, only_group=2)
    except DicomParseError as exc:
        raise exc.with_filename(os.fspath(filename)) from None
    return FileMetaDataset._from_table(table, _Source(view, os.fspath(filename)))
