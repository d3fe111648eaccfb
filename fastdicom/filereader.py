"""Reading DICOM files and buffers: :func:`dcmread`, as in ``pydicom.filereader``.

The file is read into one buffer (for a header-only read, only as much of it
as the header needs), the compiled scanner indexes the File Meta group and the
dataset, and nothing else happens until elements are touched.

pydicom's element-by-element API over a file-like (:func:`data_element_generator`,
:func:`read_dataset`, :func:`read_sequence`, :func:`read_partial` with a
``stop_when`` callback) is a Python path at the end of this module: it reads
only as far as asked and leaves the file-like there, which a whole-buffer
scan cannot do. Both paths give the same elements, converted by the same
code (:mod:`fastdicom.hooks`).
"""

from __future__ import annotations

import mmap
import os
import zlib
from collections.abc import Callable, Iterator, MutableSequence
from struct import Struct
from typing import Any, BinaryIO

from fastdicom import _store, config
from fastdicom import uid as uid_module
from fastdicom.config import logger
from fastdicom.datadict import dictionary_VR
from fastdicom.dataelem import DataElement, RawDataElement, convert_raw_data_element
from fastdicom.dataset import (
    Dataset,
    FileDataset,
    FileMetaDataset,
    _ElementStore,
    _Source,
    _warn,
)
from fastdicom.errors import DicomParseError, DicomTruncatedError, InvalidDicomError
from fastdicom.charset import convert_encodings, default_encoding, python_encoding
from fastdicom.filebase import DicomBytesIO
from fastdicom.fileutil import PathType, path_from_pathlike, read_undefined_length_value
from fastdicom.misc import size_in_bytes
from fastdicom.sequence import Sequence
from fastdicom.tag import BaseTag, ItemTag, SequenceDelimiterTag, Tag
from fastdicom.uid import (
    DeflatedExplicitVRLittleEndian,
    ExplicitVRBigEndian,
    ImplicitVRLittleEndian,
)
from fastdicom.valuerep import EXPLICIT_VR_LENGTH_32
from fastdicom.values import bind_sequence_reader, convert_value_bytes, empty_value_for_VR

__all__ = [
    "data_element_generator",
    "data_element_offset_to_value",
    "dcmread",
    "read_dataset",
    "read_deferred_data_element",
    "read_file_meta_info",
    "read_partial",
    "read_preamble",
    "read_sequence",
    "read_sequence_item",
    "size_in_bytes",
]

_PIXEL_TAGS = (0x7FE00008, 0x7FE00009, 0x7FE00010)
# A header rarely exceeds this; a header-only read of a path starts here and
# reads the whole file only when the header turns out longer.
_HEADER_CHUNK = 16 * 1024
# PS3.10 §7.1: a preamble not used by an application profile is all zeros,
# as in most files; bytes are immutable, so every such dataset can share one
# (161 bytes kept per dataset otherwise: issue 8, memory kept per header).
_ZERO_PREAMBLE = bytes(128)
# PS3.5 Table 6.2-1: the VRs, for telling a bare explicit-VR dataset.
_VALID_VRS = frozenset(
    b"AE AS AT CS DA DS DT FD FL IS LO LT OB OD OF OL OV OW PN SH SL SQ SS ST "
    b"SV TM UC UI UL UN UR US UT UV".split()
)


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
_SPECIAL_ENCODINGS: dict[str, tuple[bool, bool, bool]] = {
    ImplicitVRLittleEndian: (True, True, False),
    ExplicitVRBigEndian: (False, False, False),
    DeflatedExplicitVRLittleEndian: (False, True, True),  # PS3.5 §A.5
}
# Any other transfer syntax encodes its dataset as Explicit VR Little Endian.
_EXPLICIT_LITTLE = (False, True, False)


def _transfer_syntax_encoding(uid: str) -> tuple[bool, bool, bool]:
    """(implicit VR, little endian, deflated) for a transfer syntax UID."""
    found = _SPECIAL_ENCODINGS.get(uid)
    if found is not None:
        return found
    # Looked up at each call: the list may be replaced, not only appended to.
    for private in uid_module.PrivateTransferSyntaxes:
        if private == uid:
            return private.is_implicit_VR, private.is_little_endian, private.is_deflated
    return _EXPLICIT_LITTLE


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


def _looks_like_bare_dataset(view: bytes | memoryview) -> bool:
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


_REAL_OS_OPEN = os.open


def _read_path(path: str, limit: int) -> tuple[bytes, float, bool]:
    """Read the file at `path`: (its bytes, its mtime, whether that is all of
    it); at most `limit` bytes when `limit` >= 0.

    The compiled read (one GIL release for all its system calls) unless
    ``os`` has been replaced in this module, as a fake file system for tests
    (pyfakefs) does: the file is then read through the replaced functions.
    """
    if os.open is _REAL_OS_OPEN:
        return _store.read_path(path, limit)
    with open(path, "rb") as fh:
        data = fh.read(limit if limit >= 0 else -1)
        mtime = os.fstat(fh.fileno()).st_mtime
        complete = limit < 0 or len(data) < limit or not fh.read(1)
    return data, mtime, complete


def _open_input(
    fp: Any, header_only: bool
) -> tuple[bytes | memoryview, str | None, Any, float | None, bool]:
    """The bytes to parse and where they came from, for any input but a str path.

    Returns
    -------
    tuple
        (the data: a file's bytes, else a 1-D unsigned-byte view; filename
        or None; the file-like read or None; the file's mtime or None;
        whether the data is all of it).
    """
    if not isinstance(fp, (str, bytes)) and isinstance(fp, os.PathLike):
        fp = os.fspath(fp)
    if isinstance(fp, str):
        contents, mtime, complete = _read_path(fp, _HEADER_CHUNK if header_only else -1)
        return contents, fp, None, mtime, complete  # bytes, as dcmread's str path
    filename = fileobj = None
    data: bytes | bytearray | memoryview | mmap.mmap
    if isinstance(fp, (bytes, bytearray, memoryview, mmap.mmap)):
        data = fp
    elif hasattr(fp, "read"):
        name = getattr(fp, "name", None)
        filename = name if isinstance(name, str) else None
        fileobj = fp
        data = fp.read()
        if not isinstance(data, (bytes, bytearray)):
            raise TypeError("dcmread: the file-like must be opened in binary mode")
    else:
        raise TypeError(
            "dcmread: Expected a file path, file-like or readable buffer, "
            f"but got {type(fp).__name__}"
        )
    view = memoryview(data).cast("B") if not isinstance(data, memoryview) else data.cast("B")
    return view, filename, fileobj, None, True


def _reread_from_start(fileobj: Any, view: bytes | memoryview) -> bytes | memoryview:
    """The data of a file-like read again from its first byte.

    pydicom reads a file-like from where it stands, but when no 'DICM'
    prefix is found there it reads the dataset from the start. `view` (what
    was read) is returned when the file-like was read from the start already
    or cannot seek.
    """
    try:
        if fileobj.tell() == len(view):
            return view  # it was read from the start already
        fileobj.seek(0)
    except (AttributeError, OSError):
        return view  # not seekable: keep what was read
    return memoryview(fileobj.read()).cast("B")


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
    # A header-only read of a path reads a first chunk, and more only when
    # the header turns out longer (see _read).
    header_only = stop_before_pixels and defer_size is None
    filename: str | None
    mtime: float | None
    view: bytes | memoryview
    if type(fp) is str:  # a path, the usual case: no type dispatch
        filename = fp
        fileobj = None
        # The bytes themselves: the compiled scan and the source read them
        # directly, and a memoryview is made only if Python code asks
        view, mtime, complete = _read_path(fp, _HEADER_CHUNK if header_only else -1)
    else:
        view, filename, fileobj, mtime, complete = _open_input(fp, header_only)
    try:
        return _read(
            view,
            filename,
            fileobj,
            mtime,
            complete,
            fp,
            None if defer_size is None else size_in_bytes(defer_size),
            stop_before_pixels,
            force,
            specific_tags,
        )
    except DicomParseError as exc:
        raise exc.with_filename(filename) from None


def _read(
    view: bytes | memoryview,
    filename: str | None,
    fileobj: Any,
    mtime: float | None,
    complete: bool,
    fp: Any,
    defer_size: int | float | None,
    stop_before_pixels: bool,
    force: bool,
    specific_tags: list[Any] | None,
) -> FileDataset:
    """Parse the data read by :func:`dcmread` into a FileDataset.

    Parameters
    ----------
    view : bytes or memoryview
        The data (a memoryview: 1-D unsigned bytes), or the first chunk of a
        file when not `complete` (a header-only read of a path).
    filename, fileobj, mtime
        Where the data came from: the path or the file-like's name, the
        file-like read (None for a path or a buffer), the file's mtime.
    complete : bool
        Whether `view` holds all of the data.
    fp
        What dcmread was given.
    defer_size, stop_before_pixels, force, specific_tags
        As :func:`dcmread` (`defer_size` in bytes).
    """
    # Every file read runs this: it is kept to few statements, calls and
    # attribute lookups (issue 8: the Python around the compiled scan was
    # most of a header read); the compiled scan_file does the steps of every
    # file, and what only rare files need is in helpers called when
    # scan_file reports such a file (`unusual`).
    keep_header_only = stop_before_pixels and filename is not None
    vr_switch = config.assume_implicit_vr_switch
    known_encodings_apply = not uid_module.PrivateTransferSyntaxes
    scan = _store.scan_file(
        view, -1, None, complete, stop_before_pixels, vr_switch, keep_header_only,
        known_encodings_apply,
    )  # fmt: skip
    if scan is None:
        view, preamble, position = _start_without_prefix(view, fileobj, force, filename)
        scan = _store.scan_file(
            view, position, preamble, complete, stop_before_pixels, vr_switch, keep_header_only,
            known_encodings_apply,
        )  # fmt: skip
        assert scan is not None  # a position was given, or the prefix is there
    table = scan.table
    view = data_view = scan.view
    if scan.unusual:
        if scan.needs_more:
            # The header is longer than the chunk read: read four times more.
            data, mtime, complete = _read_path(filename, 4 * len(view))  # type: ignore[arg-type]
            return _read(
                memoryview(data), filename, fileobj, mtime, complete, fp,
                defer_size, stop_before_pixels, force, specific_tags,
            )  # fmt: skip
        if scan.deflated:
            view, data_view, fp, mtime = _inflate(view, scan.position, filename, complete, mtime)
            table = _store.scan_dataset(
                data_view, 0, len(data_view), scan.implicit, scan.little,
                stop_before_pixels=stop_before_pixels, vr_switch=vr_switch,
            )  # fmt: skip
    assert table is not None  # scanned, unless more data was needed
    if scan.unusual:
        _check_scan(scan, table, filename)
    if specific_tags:
        wanted = {int(Tag(tag)) for tag in specific_tags}
        wanted.add(0x00080005)
        table = table.select(wanted)
    ds = _store.file_dataset(scan, table, view, data_view, filename, fp, mtime)
    if scan.command is not None and len(scan.command):
        command = Dataset._from_table(scan.command, _Source(view, filename))
        for tag in command.keys():
            ds._dict[tag] = command._dict[tag]
    if defer_size is not None:
        _defer_large_values(ds, defer_size, keep_buffer=filename is None or scan.deflated)
    return ds


def _start_without_prefix(
    view: bytes | memoryview, fileobj: Any, force: bool, filename: str | None
) -> tuple[bytes | memoryview, bytes | None, int]:
    """(data, preamble, offset of the File Meta or dataset) for data without
    'DICM' at offset 128; the offset is -1 when the data read again has it.

    pydicom reads a file-like from where it stands, but when no prefix is
    found there it reads it again from the start. Data still without the
    prefix is read as a bare dataset when it looks like one or `force` says
    so; else it is not DICOM.
    """
    if fileobj is not None:
        view = _reread_from_start(fileobj, view)
        if bytes(view[128:132]) == b"DICM":
            return view, None, -1  # scan_file takes the preamble
    if force or _looks_like_bare_dataset(view):
        return view, None, 0
    raise InvalidDicomError(
        "File is missing DICOM File Meta Information header or the 'DICM' "
        "prefix is missing from the header. Use force=True to force reading."
        + (f" ({filename})" if filename else "")
    )


def _dataset_encoding(
    meta_table: "_store.ElementTable", view: memoryview, position: int
) -> tuple[bool, bool, bool, bool]:
    """How the dataset at `position` is encoded.

    Returns
    -------
    tuple of bool
        (guessed: no Transfer Syntax UID, so implicit VR and byte order are
        pydicom's guess from the data; implicit VR; little endian; deflated).
        With no dataset after the File Meta: Implicit VR Little Endian.
    """
    if position >= len(view):
        return _NO_DATASET
    raw = meta_table.value_bytes(0x00020010, view)
    if raw is not None:
        # (scan_file looks in _KNOWN_ENCODINGS first: this runs on a miss)
        uid = raw.decode("ascii", "replace").strip(" \x00")
        if uid:
            found = (False, *_transfer_syntax_encoding(uid))
            if len(_KNOWN_ENCODINGS) < 64 and not uid_module.PrivateTransferSyntaxes:
                # While no private syntax is registered, the answer depends on
                # the bytes only, and the files of a series repeat a few values.
                _KNOWN_ENCODINGS[raw] = found
            return found
    return (True, *_guess_encoding(view, position), False)


_NO_DATASET = (False, True, True, False)
_KNOWN_ENCODINGS: dict[bytes, tuple[bool, bool, bool, bool]] = {}


def _inflate(
    view: bytes | memoryview, position: int, filename: str | None, complete: bool,
    mtime: float | None,
) -> tuple[bytes | memoryview, memoryview, DicomBytesIO, float | None]:
    """Inflate a deflated dataset (PS3.5 §A.5): everything after the File
    Meta group is one raw deflate stream.

    Returns
    -------
    tuple
        (the file's data, read whole if `view` was not `complete`; the
        inflated dataset; a DicomBytesIO over it, named after the file, which
        the dataset records as its buffer, as pydicom does: deferred values
        are then read from it, not the file; the file's mtime).
    """
    if not complete:
        data, mtime, complete = _read_path(filename, -1)  # type: ignore[arg-type]
        view = memoryview(data)
    try:
        inflated = zlib.decompress(bytes(view[position:]), -zlib.MAX_WBITS)
    except zlib.error as exc:
        raise DicomParseError(f"Deflated dataset cannot be inflated ({exc})", position) from None
    fp = DicomBytesIO(inflated)
    fp.name = filename  # type: ignore[assignment]
    return view, memoryview(inflated), fp, mtime


def _check_scan(scan: "_store.FileScan", table: "_store.ElementTable", filename: str | None) -> None:
    """Warn (or raise, in strict mode) of what scan_file found unusual: a
    File Meta group or dataset in the other VR encoding, a value cut short."""
    if scan.meta.implicit_vr and len(scan.meta):
        _check_vr_encoding(False, True)
    # (An empty table has nothing to check: no dataset, or none left.)
    if table.implicit_vr != scan.implicit and len(table):
        _check_vr_encoding(scan.implicit, table.implicit_vr)
    _store.check_truncation(table, filename)


def _check_vr_encoding(expected_implicit: bool, found_implicit: bool) -> None:
    """Warn (raise in strict mode) when the data's VR encoding is not the expected one."""
    if expected_implicit == found_implicit:
        return
    found = "implicit" if found_implicit else "explicit"
    expected = "implicit" if expected_implicit else "explicit"
    message = f"Expected {expected} VR, but found {found} VR"
    if config.settings.reading_validation_mode == config.RAISE:
        raise InvalidDicomError(message)
    _warn(f"{message} - using {found} VR for reading")


def _character_set_of(table: "_store.ElementTable", view: memoryview, default: Any) -> Any:
    """The Python encodings named by the table's Specific Character Set.

    Read from the record directly: every dataset read needs it, and making
    the element for it would cost more than the rest of the header.
    """
    raw = table.value_bytes(0x00080005, view)
    if raw is None:
        return default
    # (file_dataset looks in _KNOWN_CHARSETS first: this runs on a miss)
    terms = convert_value_bytes("CS", raw, True, None)
    if not terms:
        # An empty Specific Character Set means the default repertoire
        # (PS3.3 C.12.1.1.2), as a list like any read character set.
        return [default_encoding]
    encodings = convert_encodings(terms)
    if len(_KNOWN_CHARSETS) < 64 and isinstance(terms, str) and terms in python_encoding:
        # One standard term converts the same way every time, without a
        # warning: remember it (real files use a handful of values).
        _KNOWN_CHARSETS[raw] = tuple(encodings)
    return encodings


_KNOWN_CHARSETS: dict[bytes, tuple[str, ...]] = {}
_store.bind_reader(
    _ZERO_PREAMBLE, _KNOWN_ENCODINGS, _dataset_encoding, _KNOWN_CHARSETS, _character_set_of,
    default_encoding, FileDataset, FileMetaDataset, _ElementStore,
)


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
                spans[tag] = (record.value_offset, record.length)
                raw = raw._replace(value=None)
        elif raw.is_raw and isinstance(raw.value, memoryview):
            raw = raw._replace(value=raw.value.tobytes())
        elements[tag] = raw
    replacement = _ElementStore(elements=elements)
    replacement._source = _Source(memoryview(b""), store._source.filename)
    replacement._deferred = spans
    dataset.__dict__["_dict"] = replacement


def read_deferred_data_element(
    fileobj_type: Any,
    filename_or_obj: Any = None,
    timestamp: float | None = None,
    raw_data_elem: RawDataElement | None = None,
) -> RawDataElement:
    """Read the value of a deferred element again from its source.

    Called as pydicom calls it, ``(fileobj_type, filename_or_obj, timestamp,
    raw_data_elem)``, the element is read again from the file (opened with
    `fileobj_type`) or file-like at its recorded position. fastdicom's
    datasets call it as ``(dataset, raw_data_elem)`` and it reads the byte
    span the scanner recorded.

    Parameters
    ----------
    fileobj_type : callable or Dataset
        What opens a filename (usually :func:`open`); or the dataset holding
        the element.
    filename_or_obj : str, file-like or RawDataElement
        The file the element was read from; or, with a dataset, the element.
    timestamp : float, optional
        The file's modification time when it was read.
    raw_data_elem : RawDataElement
        The element whose value was deferred.

    Returns
    -------
    RawDataElement
        The element with its value.

    Raises
    ------
    OSError
        When there is no file to read from, or it is missing.
    ValueError
        When the element read is not the deferred one.
    """
    if isinstance(fileobj_type, Dataset):
        return _store.read_deferred_span(fileobj_type, filename_or_obj)
    raw = raw_data_elem
    if raw is None:
        raise TypeError("read_deferred_data_element() needs the deferred raw element")
    if filename_or_obj is None:
        raise OSError("Deferred read -- original filename not stored. Cannot re-open")
    is_filename = isinstance(filename_or_obj, str)
    if is_filename:
        _store.check_deferred_file(filename_or_obj, timestamp)
    fp = fileobj_type(filename_or_obj, "rb") if is_filename else filename_or_obj
    try:
        fp.seek(raw.value_tell - data_element_offset_to_value(raw.is_implicit_VR, raw.VR))
        elem = next(data_element_generator(fp, raw.is_implicit_VR, raw.is_little_endian))
    finally:
        if is_filename:
            fp.close()
    if elem.VR != raw.VR:
        raise ValueError(f"Deferred read VR {elem.VR} does not match original {raw.VR}")
    if elem.tag != raw.tag:
        raise ValueError(f"Deferred read tag {elem.tag!r} does not match original {raw.tag!r}")
    return elem  # type: ignore[return-value]


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
        read_preamble(handle, False)  # as pydicom: no 'DICM' prefix raises
        handle.seek(0)
        data = handle.read(_HEADER_CHUNK)
        try:
            view = memoryview(data)
            table = _store.scan_dataset(view, 132, len(view), False, True, only_group=2)
            if len(data) == _HEADER_CHUNK and table.stop_offset >= len(data) - 8:
                # The group may go on past the chunk: read the whole file.
                data += handle.read()
                view = memoryview(data)
                table = _store.scan_dataset(view, 132, len(view), False, True, only_group=2)
        except DicomParseError as exc:
            raise exc.with_filename(os.fspath(filename)) from None
    if len(table):
        _check_vr_encoding(False, table.implicit_vr)
    file_meta = FileMetaDataset._from_table(table, _Source(view, os.fspath(filename)))
    file_meta.__dict__["_read_charset"] = default_encoding
    return file_meta


# -- The stream path ------------------------------------------------------
#
# dcmread() reads a whole buffer and lets the compiled scanner index it. The
# functions below are pydicom's element-by-element API over a file-like
# (data_element_generator, read_dataset, read_sequence, read_partial with a
# stop_when callback): they read only as far as asked, leave the file-like
# positioned after what they read, and make the same elements; values are
# converted later by the same code as for dcmread (fastdicom.hooks).

_ITEM_DELIMITER = 0xFFFEE00D
_UNDEFINED_LENGTH = 0xFFFFFFFF


def _hex(data: bytes) -> str:
    return " ".join(f"{byte:02x}" for byte in data)


def data_element_generator(
    fp: BinaryIO,
    is_implicit_VR: bool,
    is_little_endian: bool,
    stop_when: Callable[[BaseTag, str | None, int], bool] | None = None,
    defer_size: int | str | float | None = None,
    encoding: str | MutableSequence[str] = default_encoding,
    specific_tags: list[BaseTag | int] | None = None,
) -> Iterator[RawDataElement | DataElement]:
    """Yield the elements of `fp` one at a time, from its current position.

    Parameters
    ----------
    fp : file-like
        Positioned at the first element.
    is_implicit_VR : bool
    is_little_endian : bool
    stop_when : callable, optional
        Called as ``stop_when(tag, VR, length)`` before each value (VR is
        ``None`` for implicit VR); when it returns True, `fp` is put back at
        the start of that element and the generator ends.
    defer_size : int, float or str, optional
        Values longer than this are yielded with value ``None`` and skipped.
    encoding : str or list of str
        The character sets inherited from the parent dataset, used for
        sequences read here.
    specific_tags : list of int, optional
        Yield only these elements (and Specific Character Set).

    Yields
    ------
    RawDataElement or DataElement
        A :class:`DataElement` for an undefined-length sequence (its items
        are read here, as they are the only way to find its end), a
        :class:`RawDataElement` for everything else.

    Notes
    -----
    PS3.5 §7.1: an element is a tag, then (explicit VR only) two VR letters,
    then a 2-byte length, or for the VRs of PS3.5 Table 7.1-1 two reserved
    bytes and a 4-byte length; implicit VR always has a 4-byte length. The
    generator ends at the end of the data or at an Item Delimitation Item
    (the end of an undefined-length item, PS3.5 §7.5.2).
    """
    order = "<" if is_little_endian else ">"
    implicit_header = Struct(f"{order}HHL").unpack
    explicit_header = Struct(f"{order}HH2sH").unpack
    long_length = Struct(f"{order}L").unpack
    item_tag_bytes = Struct(f"{order}HH").pack(0xFFFE, 0xE000)
    read, seek, tell = fp.read, fp.seek, fp.tell
    debugging = config.debugging
    defer = size_in_bytes(defer_size)
    wanted: set[int] | None = None
    if specific_tags:
        wanted = {int(tag) for tag in specific_tags}
        wanted.add(0x00080005)  # always kept: it decodes the text of the rest

    while True:
        header = read(8)
        if len(header) < 8:
            return  # the end of the data
        vr: str | None
        if is_implicit_VR:
            group, element, length = implicit_header(header)
            vr = None
        else:
            group, element, vr_bytes, length = explicit_header(header)
            if vr_bytes in _VALID_VRS:
                vr = vr_bytes.decode("ascii")
                if vr in EXPLICIT_VR_LENGTH_32:
                    extra = read(4)
                    if len(extra) < 4:
                        return
                    header += extra
                    length = long_length(extra)[0]
            elif not (b"AA" <= vr_bytes <= b"ZZ") and config.assume_implicit_vr_switch:
                # Not two upper-case letters: some writers switch to
                # implicit VR (inside sequences, usually); read it so.
                if debugging:
                    logger.warning(
                        f"Unknown VR '0x{vr_bytes[0]:02x}{vr_bytes[1]:02x}' assuming "
                        "implicit VR encoding"
                    )
                vr = None
                group, element, length = implicit_header(header)
            else:
                # An unknown VR: read with a 2-byte length; converting the
                # value reports the VR.
                vr = vr_bytes.decode(default_encoding)
                if debugging:
                    logger.warning(
                        f"Unknown VR '{vr}' assuming explicit VR encoding with 2-byte length"
                    )

        value_tell = tell()
        if debugging:
            described = f"{value_tell - len(header):08x}: {_hex(header):<47s}  ({group:04X},{element:04X})"
            if vr is not None and not is_implicit_VR:
                described += f" {vr} "
            if length == _UNDEFINED_LENGTH:
                described += "Length: Undefined length (FFFFFFFF)"
            else:
                described += f"Length: {length}"
            logger.debug(described)

        tag = group << 16 | element
        if tag == _ITEM_DELIMITER:
            return
        if stop_when is not None and stop_when(BaseTag(tag), vr, length):
            if debugging:
                logger.debug(
                    "Reading ended by stop_when callback. Rewinding to start of data element."
                )
            header_length = 12 if not is_implicit_VR and vr in EXPLICIT_VR_LENGTH_32 else 8
            seek(value_tell - header_length)
            return

        if length != _UNDEFINED_LENGTH:
            if wanted is not None and tag not in wanted:
                seek(value_tell + length)
                continue
            value: Any
            if defer is not None and length > defer and tag != 0x00080005:
                # Deferred: the value is read again from the file when used.
                value = None
                seek(value_tell + length)
                if debugging:
                    logger.debug("Defer size exceeded. Skipping forward to next data element.")
            elif length:
                value = read(length)
            else:
                value = empty_value_for_VR(vr, raw=True)
            if tag == 0x00080005:
                # Sequences read further on inherit this character set.
                terms = convert_value_bytes("CS", value or b"", is_little_endian, None)
                encoding = convert_encodings(terms)
            yield RawDataElement(
                BaseTag(tag), vr, length, value, value_tell, is_implicit_VR, is_little_endian
            )
            continue

        # Undefined length: a sequence (PS3.5 §7.5.1) or encapsulated data
        # (PS3.5 §A.4); either way it ends with a Sequence Delimitation Item.
        if vr == "UN" and config.settings.infer_sq_for_un_vr:
            vr = "SQ"  # PS3.5 §6.2.2 note 4
        if vr is None or (vr == "UN" and config.replace_un_with_known_vr):
            try:
                vr = dictionary_VR(tag)
            except KeyError:
                # Unknown tag: it is a sequence if an item follows.
                following = read(4)
                seek(tell() - len(following))
                if following == item_tag_bytes:
                    vr = "SQ"
        if vr == "SQ":
            if debugging:
                logger.debug(f"{tell():08X}: Reading/parsing undefined length sequence")
            sequence = read_sequence(fp, is_implicit_VR, is_little_endian, length, encoding)
            if wanted is not None and tag not in wanted:
                continue
            yield DataElement(BaseTag(tag), "SQ", sequence, value_tell, is_undefined_length=True)
        else:
            if debugging:
                logger.debug("Reading undefined length data element")
            value = read_undefined_length_value(fp, is_little_endian, SequenceDelimiterTag, defer)
            if wanted is not None and tag not in wanted:
                continue
            yield RawDataElement(
                BaseTag(tag), vr, length, value, value_tell, is_implicit_VR, is_little_endian
            )


def _is_implicit_vr(
    fp: BinaryIO,
    implicit_vr_is_assumed: bool,
    is_little_endian: bool,
    stop_when: Callable[[BaseTag, str | None, int], bool] | None,
    is_sequence: bool,
) -> bool:
    """Whether the dataset at the position of `fp` is implicit VR.

    Two letters where explicit VR has its VR mean explicit VR (an implicit
    length would need to exceed 16 kB to look like that). A mismatch with
    the expected encoding is warned about (raised in strict mode), except
    for items, which may be implicit VR in an explicit VR dataset
    (PS3.5 §6.2.2). `fp` is left 6 bytes further on.
    """
    if is_sequence and implicit_vr_is_assumed:
        return True
    tag_bytes = fp.read(4)
    vr_bytes = fp.read(2)
    if len(vr_bytes) < 2:
        return implicit_vr_is_assumed
    found_implicit = not (0x40 < vr_bytes[0] < 0x5B and 0x40 < vr_bytes[1] < 0x5B)
    if found_implicit == implicit_vr_is_assumed:
        return found_implicit
    order = "<" if is_little_endian else ">"
    group, element = Struct(f"{order}HH").unpack(tag_bytes)
    if stop_when is not None and stop_when(
        BaseTag(group << 16 | element), vr_bytes.decode(default_encoding), 0
    ):
        return found_implicit  # the dataset ends before this element
    if found_implicit and is_sequence:
        return True
    found = "implicit" if found_implicit else "explicit"
    expected = "explicit" if found_implicit else "implicit"
    message = f"Expected {expected} VR, but found {found} VR"
    if config.settings.reading_validation_mode == config.RAISE:
        raise InvalidDicomError(message)
    config.warn_and_log(f"{message} - using {found} VR for reading", UserWarning)
    return found_implicit


def read_dataset(
    fp: BinaryIO,
    is_implicit_VR: bool,
    is_little_endian: bool,
    bytelength: int | None = None,
    stop_when: Callable[[BaseTag, str | None, int], bool] | None = None,
    defer_size: str | int | float | None = None,
    parent_encoding: str | MutableSequence[str] = default_encoding,
    specific_tags: list[BaseTag | int] | None = None,
    at_top_level: bool = True,
) -> Dataset:
    """Read the dataset at the position of `fp`.

    Parameters
    ----------
    fp : file-like
    is_implicit_VR : bool
        The expected encoding; the data's own is used (with a warning) when
        it differs.
    is_little_endian : bool
    bytelength : int, optional
        Read this many bytes; by default read to the end of the data or to
        an Item Delimitation Item.
    stop_when : callable, optional
        See :func:`data_element_generator`.
    defer_size : int, float or str, optional
        See :func:`dcmread`.
    parent_encoding : str or list of str
        The character sets used when the dataset has no Specific Character Set.
    specific_tags : list of int, optional
        See :func:`dcmread`.
    at_top_level : bool
        False for a sequence item.

    Returns
    -------
    Dataset
        `fp` is left after the last element read.
    """
    start = fp.tell()
    is_implicit_VR = _is_implicit_vr(
        fp, is_implicit_VR, is_little_endian, stop_when, is_sequence=not at_top_level
    )
    fp.seek(start)
    elements: dict[int, RawDataElement | DataElement] = {}
    generator = data_element_generator(
        fp, is_implicit_VR, is_little_endian, stop_when, defer_size, parent_encoding, specific_tags
    )
    try:
        if bytelength is None:
            for elem in generator:
                elements[int(elem.tag)] = elem
        else:
            while fp.tell() - start < bytelength:
                elem = next(generator)
                elements[int(elem.tag)] = elem
    except StopIteration:
        pass
    except EOFError as exc:
        if config.settings.reading_validation_mode == config.RAISE:
            raise
        config.warn_and_log(f"{exc} in file {getattr(fp, 'name', '<no filename>')}", UserWarning)
    except NotImplementedError as exc:
        logger.error(exc)

    ds = Dataset(elements, parent_encoding=parent_encoding)
    encoding: str | MutableSequence[str] = parent_encoding
    charset = elements.get(0x00080005)
    if charset is not None:
        if isinstance(charset, RawDataElement):
            charset = convert_raw_data_element(charset)
        encoding = convert_encodings(charset.value)
    ds.set_original_encoding(is_implicit_VR, is_little_endian, encoding)
    return ds


def read_sequence(
    fp: BinaryIO,
    is_implicit_VR: bool,
    is_little_endian: bool,
    bytelength: int,
    encoding: str | MutableSequence[str],
    offset: int = 0,
) -> Sequence:
    """Read the items of a sequence value at the position of `fp`.

    Parameters
    ----------
    fp : file-like
    is_implicit_VR : bool
    is_little_endian : bool
    bytelength : int
        The sequence's value length; 0xFFFFFFFF (undefined) reads to the
        Sequence Delimitation Item.
    encoding : str or list of str
        The character sets the items inherit.
    offset : int
        Added to positions recorded in the items.

    Returns
    -------
    Sequence
    """
    items = []
    undefined = bytelength == _UNDEFINED_LENGTH
    if bytelength:  # PS3.5 §7.5.1: a zero length sequence has no items
        limit = 0 if undefined else bytelength
        start = fp.tell()
        while not limit or fp.tell() - start < limit:
            item_tell = fp.tell()
            item = read_sequence_item(fp, is_implicit_VR, is_little_endian, encoding, offset)
            if item is None:  # the Sequence Delimitation Item
                break
            item.file_tell = item_tell + offset
            items.append(item)
    sequence = Sequence(items)
    sequence.is_undefined_length = undefined
    return sequence


bind_sequence_reader(read_sequence)


def read_sequence_item(
    fp: BinaryIO,
    is_implicit_VR: bool,
    is_little_endian: bool,
    encoding: str | MutableSequence[str],
    offset: int = 0,
) -> Dataset | None:
    """Read one sequence item at the position of `fp`.

    Returns
    -------
    Dataset or None
        ``None`` at the Sequence Delimitation Item.

    Raises
    ------
    OSError
        When no item header can be read.
    """
    item_tell = fp.tell() + offset
    header = fp.read(8)
    if len(header) < 8:
        raise OSError(f"No tag to read at file position {fp.tell() + offset:X}")
    group, element, length = Struct("<HHL" if is_little_endian else ">HHL").unpack(header)
    tag = group << 16 | element
    debugging = config.debugging
    if tag == SequenceDelimiterTag:
        if debugging:
            logger.debug(f"{fp.tell() - 8 + offset:08x}: End of Sequence")
            if length:
                logger.warning(
                    f"Expected 0x00000000 after delimiter, found 0x{length:X}, "
                    f"at position 0x{fp.tell() - 4 + offset:X}"
                )
        return None
    if debugging:
        if tag != ItemTag:
            # Usually followed by an error: the data is misaligned.
            logger.warning(
                f"Expected sequence item with tag {ItemTag} at file position "
                f"0x{fp.tell() - 4 + offset:X}"
            )
        else:
            logger.debug(
                f"{fp.tell() - 4 + offset:08x}: {_hex(header)}  Found Item tag (start of item)"
            )
    undefined = length == _UNDEFINED_LENGTH
    ds = read_dataset(
        fp,
        is_implicit_VR,
        is_little_endian,
        bytelength=None if undefined else length,
        parent_encoding=encoding,
        at_top_level=False,
    )
    ds.is_undefined_length_sequence_item = undefined
    if debugging and not undefined:
        logger.debug(f"{fp.tell() + offset:08X}: Finished sequence item")
    ds.seq_item_tell = item_tell
    return ds


def _not_group(group: int) -> Callable[[BaseTag, str | None, int], bool]:
    """A `stop_when` that ends a dataset at the first tag outside `group`."""

    def stop(tag: BaseTag, vr: str | None, length: int) -> bool:
        return tag >> 16 != group

    return stop


def _read_command_set_elements(fp: BinaryIO) -> Dataset:
    """Read the command set (group 0000) elements at the position of `fp`.

    PS3.7 §6.3.1: a command set is always Implicit VR Little Endian.
    """
    return read_dataset(fp, is_implicit_VR=True, is_little_endian=True, stop_when=_not_group(0))


def _read_file_meta_info(fp: BinaryIO) -> FileMetaDataset:
    """Read the File Meta Information (group 0002) at the position of `fp`.

    PS3.10 §7.1: the group is Explicit VR Little Endian; a file that wrote
    it implicit is read as implicit VR when the first element cannot be
    converted as explicit.
    """
    start = fp.tell()
    stop = _not_group(2)
    file_meta = FileMetaDataset(read_dataset(fp, False, True, stop_when=stop))
    file_meta.set_original_encoding(False, True, default_encoding)
    if not file_meta._dict:
        return file_meta
    try:
        file_meta[next(iter(file_meta.keys()))]
    except NotImplementedError:
        fp.seek(start)
        file_meta = FileMetaDataset(read_dataset(fp, True, True, stop_when=stop))
        file_meta.set_original_encoding(True, True, default_encoding)
    if "FileMetaInformationGroupLength" in file_meta:
        # The group length counts from the end of its own 12-byte element.
        actual = fp.tell() - (start + 12)
        stated = file_meta.FileMetaInformationGroupLength
        if stated != actual:
            logger.info(
                "_read_file_meta_info: (0002,0000) 'File Meta Information Group Length' "
                "value doesn't match the actual File Meta Information length "
                f"({stated} vs {actual} bytes)"
            )
    return file_meta


def _at_pixel_data(tag: BaseTag, vr: str | None, length: int) -> bool:
    """The `stop_when` of ``stop_before_pixels``."""
    return tag in _PIXEL_TAGS


def read_partial(
    fileobj: BinaryIO,
    stop_when: Callable[[BaseTag, str | None, int], bool] | None = None,
    defer_size: int | str | float | None = None,
    force: bool = False,
    specific_tags: list[BaseTag | int] | None = None,
) -> FileDataset:
    """Read a DICOM file-like until `stop_when` says to stop.

    Parameters
    ----------
    fileobj : file-like
        Read from its current position; it is not closed.
    stop_when : callable, optional
        See :func:`data_element_generator`. Without it, or with the
        pixel-data check of ``stop_before_pixels``, the file is read as
        :func:`dcmread` reads it.
    defer_size, force, specific_tags
        See :func:`dcmread`.

    Returns
    -------
    FileDataset
    """
    if stop_when is None or stop_when is _at_pixel_data:
        return dcmread(
            fileobj,
            defer_size=defer_size,
            stop_before_pixels=stop_when is not None,
            force=force,
            specific_tags=specific_tags,
        )

    preamble = read_preamble(fileobj, force)
    file_meta = _read_file_meta_info(fileobj)
    command_set = _read_command_set_elements(fileobj)

    at_end = fileobj.read(1) == b""
    if not at_end:
        fileobj.seek(-1, os.SEEK_CUR)
    is_implicit_VR, is_little_endian = True, True
    transfer_syntax = file_meta.get("TransferSyntaxUID")
    if at_end:
        pass
    elif transfer_syntax is None:
        start = fileobj.tell()
        head = fileobj.read(6)
        fileobj.seek(start)
        is_implicit_VR, is_little_endian = _guess_encoding(memoryview(head), 0)
    else:
        is_implicit_VR, is_little_endian, deflated = _transfer_syntax_encoding(transfer_syntax)
        if deflated:
            # PS3.5 §A.5: the rest of the file is one raw deflate stream.
            name = getattr(fileobj, "name", None)
            inflated = DicomBytesIO(zlib.decompress(fileobj.read(), -zlib.MAX_WBITS))
            inflated.name = name  # type: ignore[assignment]
            fileobj = inflated  # type: ignore[assignment]

    dataset = Dataset()
    try:
        dataset = read_dataset(
            fileobj,
            is_implicit_VR,
            is_little_endian,
            stop_when=stop_when,
            defer_size=defer_size,
            specific_tags=specific_tags,
        )
    except EOFError:
        if config.settings.reading_validation_mode == config.RAISE:
            raise
    if command_set:
        dataset.update(command_set)
    ds = FileDataset(fileobj, dataset, preamble, file_meta, is_implicit_VR, is_little_endian)
    ds.set_original_encoding(is_implicit_VR, is_little_endian, dataset._character_set)
    return ds


def data_element_offset_to_value(is_implicit_VR: bool, VR: str | None) -> int:
    """Bytes from the start of an element to its value (PS3.5 §7.1).

    Returns
    -------
    int
        12 for an explicit VR with a 4-byte length, otherwise 8.
    """
    if not is_implicit_VR and VR in EXPLICIT_VR_LENGTH_32:
        return 12
    return 8
