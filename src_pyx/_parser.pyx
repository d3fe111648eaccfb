"""Compiled scanner of the DICOM byte structure (PS3.5 §7).

The scanner walks one dataset level over one read-only buffer and records
every element in a C array of fixed-size records: where its header starts,
where its value starts and how long the value is. It creates no Python object
per element, knows nothing of the data dictionary and converts no value: the
Python layer above decides what the records mean.

Design notes
------------
* The whole scan runs without Python objects, and releases the GIL when the
  range is long (NOGIL_SCAN_BYTES). Problems are recorded in a C struct
  (``ScanContext.error_*``) and turned into exceptions after the scan.
* The buffer is compiled without bounds checks: every read is preceded by an
  explicit check that the bytes are there, and every length is compared with
  the bytes left (``length > end - position``, in 64-bit arithmetic, so
  nothing can overflow: lengths are at most 0xFFFFFFFF).
* Values of undefined length (PS3.5 §7.1.3, §7.5) are stepped over by
  following their item structure with an explicit stack of frames (no
  recursion), at most ``MAX_NESTING_DEPTH`` sequences deep.
"""

from libc.stdint cimport int64_t, uint16_t, uint32_t
from libc.stdlib cimport free, malloc, qsort, realloc
from libc.string cimport memchr, memcmp, memcpy
cimport cython
from cpython.bytes cimport PyBytes_FromStringAndSize
from cpython.buffer cimport PyObject_GetBuffer, PyBuffer_Release, PyBUF_SIMPLE
from cpython.pycapsule cimport PyCapsule_GetPointer
from cpython.long cimport PyLong_FromVoidPtr
from cpython.object cimport PyTypeObject
from cpython.type cimport PyType_IsSubtype
from cpython.ref cimport PyObject

cdef extern from "Python.h":
    int PyObject_GenericSetDict(object obj, object value, void *context) except -1
    dict PyDict_Copy(object mapping)
    int PyObject_GenericSetAttr(object obj, object name, object value) except -1
    object PyObject_GenericGetAttr(object obj, object name)
    object PyType_GenericAlloc(type cls, Py_ssize_t nitems)
    # Owned references handled by hand: a bytes object is filled without
    # the GIL, then shrunk in place when the file gave fewer bytes
    PyObject* new_bytes "PyBytes_FromStringAndSize"(const char* data, Py_ssize_t size)
    char* bytes_data "PyBytes_AS_STRING"(PyObject* data) nogil
    int _PyBytes_Resize(PyObject** data, Py_ssize_t size)
    void Py_DECREF(PyObject* obj)
    bytes PyUnicode_EncodeFSDefault(object text)
    object PyErr_SetFromErrnoWithFilenameObject(object kind, object filename)
    Py_ssize_t PyBytes_GET_SIZE(object data)
    const Py_ssize_t PY_SSIZE_T_MAX

import sys
from builtins import open as open_builtin
from collections import namedtuple
from types import MappingProxyType

from fastdicom.errors import DicomNestingError, DicomParseError, DicomTruncatedError

__all__ = [
    "MAX_NESTING_DEPTH",
    "FLAG_UNDEFINED_LENGTH",
    "FLAG_IMPLICIT",
    "FLAG_LONG_HEADER",
    "FLAG_TRUNCATED",
    "FLAG_NO_DELIMITER",
    "FLAG_DELIMITER_SEARCHED",
    "ElementTable",
    "ItemTable",
    "ScannedElement",
    "ScannedItem",
    "KeywordValue",
    "StoreCore",
    "STORE_ABSENT",
    "STORE_SLOW",
    "bind_model",
    "bind_store",
    "dataset_from_table",
    "init_dataset",
    "bind_sequences",
    "on_demand_sequence",
    "sequence_getitem",
    "sequence_items",
    "FileScan",
    "Source",
    "bind_reader",
    "file_dataset",
    "read_path",
    "scan_dataset",
    "scan_file",
    "scan_items",
    "find_sequence_delimiter",
]

include "_scan_core.pxi"
include "_file_io.pxi"

# ---------------------------------------------------------------------------
# Python-facing constants (the C ones are in _scan_core.pxi)
# ---------------------------------------------------------------------------

MAX_NESTING_DEPTH = C_MAX_NESTING_DEPTH
"""Deepest nesting of sequences the scanner follows before raising
:class:`~fastdicom.errors.DicomNestingError`."""

FLAG_UNDEFINED_LENGTH = C_FLAG_UNDEFINED_LENGTH
FLAG_IMPLICIT = C_FLAG_IMPLICIT
FLAG_LONG_HEADER = C_FLAG_LONG_HEADER
FLAG_TRUNCATED = C_FLAG_TRUNCATED
FLAG_NO_DELIMITER = C_FLAG_NO_DELIMITER
FLAG_DELIMITER_SEARCHED = C_FLAG_DELIMITER_SEARCHED

# Why a scan failed, indexed by the Reason enum
_REASONS = (
    "No error",
    "Element header runs past the end of the data",
    "Element value runs past the end of the data",
    "Item runs past the end of the data",
    "Undefined-length value has no Sequence Delimitation Item (FFFE,E0DD) "
    "before the end of the data",
    "Undefined-length item has no Item Delimitation Item (FFFE,E00D) before "
    "the end of the data",
    "Expected an Item (FFFE,E000) or a Sequence Delimitation Item (FFFE,E0DD)",
    "Item tag (FFFE,E000) where a data element was expected",
    "Sequence Delimitation Item inside an undefined-length item (missing Item "
    "Delimitation Item)",
    f"Sequences are nested deeper than MAX_NESTING_DEPTH ({C_MAX_NESTING_DEPTH})",
    "Out of memory",
)

# A scan releases the GIL only over at least this many bytes. A header
# (tens of KiB) scans in about a microsecond: releasing the GIL for that hands
# it to another thread, which this one then waits for until that thread's
# next release, so that threads reading files would serialise on the handoffs
# instead of overlapping their I/O (issue 8, threads).
cdef enum:
    NOGIL_SCAN_BYTES = 256 * 1024

# ---------------------------------------------------------------------------
# Python-facing helpers
# ---------------------------------------------------------------------------

# A record as Python code reads it, by name (tuples, so that they unpack)
ScannedElement = namedtuple(
    "ScannedElement", "tag vr flags header_offset value_offset length", module=__name__)
ScannedElement.__doc__ = """One element of an ElementTable: its 32-bit tag, the VR read (an
interned str; None for implicit VR), its FLAG_* bits, and the absolute
offsets of its header and value and the value's length."""
ScannedItem = namedtuple("ScannedItem", "flags header_offset value_offset length",
                         module=__name__)
ScannedItem.__doc__ = """One item of an ItemTable: its FLAG_* bits, the absolute offsets of
its header and value, and the value's length."""

_KNOWN_VRS = (
    "AE AS AT CS DA DS DT FD FL IS LO LT OB OD OF OL OV OW PN SH SL SQ SS ST "
    "SV TM UC UI UL UN UR US UT UV"
).split()

# VR strings by 2-byte code: one str object per VR, never rebuilt per call
cdef dict _vr_strings = {
    (ord(vr[0]) << 8) | ord(vr[1]): sys.intern(vr) for vr in _KNOWN_VRS
}


cdef object vr_string(const char* vr):
    """The interned str of a record's 2 VR bytes, None for implicit VR."""
    cdef int code = ((<unsigned char>vr[0]) << 8) | <unsigned char>vr[1]
    cdef object text
    if code == 0:
        return None
    text = _vr_strings.get(code)
    if text is None:
        text = (<bytes>PyBytes_FromStringAndSize(vr, 2)).decode("latin-1")
        _vr_strings[code] = text
    return text


cdef unsigned char _EMPTY_BYTE = 0


cdef inline const unsigned char* buffer_pointer(const unsigned char[::1] data):
    """Address of the first byte (a valid address also for an empty buffer)."""
    if data.shape[0] == 0:
        return &_EMPTY_BYTE
    return &data[0]


cdef int view_bytes(object view, const unsigned char** data, Py_ssize_t* size) except -1:
    """The address and size of the bytes of `view` (a source's buffer), for
    code that keeps `view` itself alive as long as it uses them. Cheaper than
    a typed memoryview per call; raises as PyObject_GetBuffer does (a
    released memoryview, an object without the buffer interface)."""
    cdef Py_buffer buffer
    PyObject_GetBuffer(view, &buffer, PyBUF_SIMPLE)
    data[0] = <const unsigned char*>buffer.buf if buffer.len else &_EMPTY_BYTE
    size[0] = buffer.len
    PyBuffer_Release(&buffer)
    return 0


cdef int check_range(Py_ssize_t size, Py_ssize_t start, Py_ssize_t end) except -1:
    if start < 0 or end < start or end > size:
        raise ValueError(
            f"Invalid range [{start}, {end}) for a buffer of {size} bytes")
    return 0


cdef void init_context(ScanContext* ctx, const unsigned char* data, Py_ssize_t end,
                       bint little_endian, bint lenient, bint vr_switch,
                       Py_ssize_t record_size) noexcept:
    ctx.data = data
    ctx.end = end
    ctx.little_endian = little_endian
    ctx.lenient = lenient
    ctx.vr_switch = vr_switch
    ctx.stack = NULL
    ctx.records = NULL
    ctx.first_block = NULL
    ctx.count = 0
    ctx.capacity = 0
    ctx.record_size = record_size
    clear_error(ctx)


cdef object context_error(ScanContext* ctx):
    """The exception for the error recorded in ctx."""
    reason = _REASONS[ctx.error_reason]
    tag = ctx.error_tag if ctx.error_has_tag else None
    if ctx.error_status == WALK_NO_MEMORY:
        return MemoryError(f"{reason} while scanning at offset {ctx.error_offset}")
    if ctx.error_status == WALK_NESTING:
        return DicomNestingError(reason, ctx.error_offset, tag)
    if ctx.error_status == WALK_OUT_OF_DATA:
        return DicomTruncatedError(reason, ctx.error_offset, tag)
    return DicomParseError(reason, ctx.error_offset, tag)


def _record_dtype():
    """The numpy dtype of ElementRecord (same layout as the C struct)."""
    import numpy as np
    cdef ElementRecord r
    cdef char* base = <char*>&r
    return np.dtype({
        "names": ["tag", "vr", "flags", "header_offset", "value_offset", "length"],
        "formats": ["=u4", "S2", "=u2", "=i8", "=i8", "=i8"],
        "offsets": [
            <char*>&r.tag - base, <char*>&r.vr - base, <char*>&r.flags - base,
            <char*>&r.header_offset - base, <char*>&r.value_offset - base,
            <char*>&r.length - base,
        ],
        "itemsize": sizeof(ElementRecord),
    })


def _item_dtype():
    """The numpy dtype of ItemRecord (same layout as the C struct)."""
    import numpy as np
    cdef ItemRecord r
    cdef char* base = <char*>&r
    return np.dtype({
        "names": ["flags", "header_offset", "value_offset", "length"],
        "formats": ["=u2", "=i8", "=i8", "=i8"],
        "offsets": [
            <char*>&r.flags - base, <char*>&r.header_offset - base,
            <char*>&r.value_offset - base, <char*>&r.length - base,
        ],
        "itemsize": sizeof(ItemRecord),
    })


cdef object records_as_array(void* records, Py_ssize_t count, Py_ssize_t record_size, dtype):
    import numpy as np
    raw = PyBytes_FromStringAndSize(<char*>records, count * record_size) if count else b""
    return np.frombuffer(raw, dtype=dtype)   # read-only: backed by bytes

# ---------------------------------------------------------------------------
# ElementTable
# ---------------------------------------------------------------------------

cdef class ElementTable:
    """The elements of one dataset level, sorted by tag.

    Each record holds (tag, vr, flags, header_offset, value_offset, length),
    with absolute offsets into the scanned buffer. Duplicate tags keep the
    last occurrence (as a dict assignment would). Made by
    :func:`scan_dataset`; not constructible from Python.
    """

    cdef ElementRecord* records
    cdef Py_ssize_t count
    cdef bint _implicit_vr
    cdef bint _little_endian
    cdef bint _in_order
    cdef Py_ssize_t _start
    cdef Py_ssize_t _stop_offset
    cdef Py_ssize_t _duplicates

    def __cinit__(self):
        self.records = NULL
        self.count = 0

    def __init__(self):
        raise TypeError("ElementTable is made by scan_dataset()")

    def __dealloc__(self):
        free(self.records)
        self.records = NULL

    @property
    def implicit_vr(self):
        """bool: The encoding actually found (after the per-dataset check)."""
        return self._implicit_vr

    @property
    def little_endian(self):
        """bool: The byte order the dataset was scanned with."""
        return self._little_endian

    @property
    def start(self):
        """int: Offset of the first byte scanned."""
        return self._start

    @property
    def stop_offset(self):
        """int: Offset where scanning stopped.

        The end of the range; the header of the first element not taken
        (stop_before_pixels / only_group); the byte after an Item
        Delimitation Item; or, lenient, the first of fewer than 8 trailing
        bytes.
        """
        return self._stop_offset

    @property
    def in_order(self):
        """bool: False when the tags were not in ascending order in the data."""
        return self._in_order

    @property
    def duplicates(self):
        """int: How many records were dropped as duplicate tags."""
        return self._duplicates

    def __len__(self):
        return self.count

    def __repr__(self):
        return (f"<ElementTable {self.count} elements, "
                f"{'implicit' if self._implicit_vr else 'explicit'} VR "
                f"{'little' if self._little_endian else 'big'} endian, "
                f"[{self._start}, {self._stop_offset})>")

    cdef Py_ssize_t c_index_of(self, uint32_t tag) noexcept nogil:
        cdef Py_ssize_t low = 0
        cdef Py_ssize_t high = self.count - 1
        cdef Py_ssize_t middle
        cdef uint32_t found
        while low <= high:
            middle = (low + high) >> 1
            found = self.records[middle].tag
            if found < tag:
                low = middle + 1
            elif found > tag:
                high = middle - 1
            else:
                return middle
        return -1

    cdef object c_record(self, Py_ssize_t index):
        cdef ElementRecord* r = &self.records[index]
        return tuple.__new__(ScannedElement, (r.tag, vr_string(r.vr), r.flags, r.header_offset,
                                              r.value_offset, r.length))

    cdef ElementTable c_copy_empty(self, Py_ssize_t capacity):
        cdef ElementTable table = ElementTable.__new__(ElementTable)
        table._implicit_vr = self._implicit_vr
        table._little_endian = self._little_endian
        table._in_order = self._in_order
        table._start = self._start
        table._stop_offset = self._stop_offset
        table._duplicates = self._duplicates
        if capacity > 0:
            table.records = <ElementRecord*>malloc(capacity * sizeof(ElementRecord))
            if table.records == NULL:
                raise MemoryError()
        return table

    def copy_runs(self, excluded, int drop_group_lengths_above=-1):
        """Runs of records whose encoded bytes follow each other in the buffer.

        The writer copies each run as one slice of the source. A record
        breaks runs and belongs to none when its tag is in `excluded`, when
        its value was cut short (FLAG_TRUNCATED, FLAG_NO_DELIMITER), or when
        it is the group length (gggg,0000) of a group above
        `drop_group_lengths_above` (PS3.5 §7.2: retired, not written).

        Parameters
        ----------
        excluded : set of int
            Tags to leave out of the runs (elements changed, touched or
            removed by the user).
        drop_group_lengths_above : int
            -1 to keep every group length.

        Returns
        -------
        list of tuple
            ``(first_index, stop_index, start_offset, end_offset)`` per run:
            records ``first_index`` to ``stop_index - 1`` are the bytes
            ``buffer[start_offset:end_offset]`` (an undefined-length value
            includes its 8-byte Sequence Delimitation Item).
        """
        cdef Py_ssize_t i, first = -1
        cdef int64_t start = 0, end = -1, record_end
        cdef ElementRecord* record
        cdef bint skip
        runs = []
        for i in range(self.count):
            record = &self.records[i]
            skip = (record.flags & (C_FLAG_TRUNCATED | C_FLAG_NO_DELIMITER)) != 0
            if not skip and drop_group_lengths_above >= 0:
                skip = (record.tag & 0xFFFF) == 0 and <int>(record.tag >> 16) > drop_group_lengths_above
            if not skip and excluded:
                skip = record.tag in excluded
            if skip:
                if first >= 0:
                    runs.append((first, i, start, end))
                    first = -1
                continue
            record_end = record.value_offset + record.length
            if record.flags & C_FLAG_UNDEFINED_LENGTH:
                record_end += 8
            if first >= 0 and record.header_offset == end:
                end = record_end
                continue
            if first >= 0:
                runs.append((first, i, start, end))
            first, start, end = i, record.header_offset, record_end
        if first >= 0:
            runs.append((first, self.count, start, end))
        return runs

    def has_flags(self, int mask):
        """True when any record has one of the flag bits in `mask`.

        The reader asks this of every table to find cut-short values without
        a Python loop over the records.

        Parameters
        ----------
        mask : int
            Flag bits (FLAG_TRUNCATED | FLAG_NO_DELIMITER, say).

        Returns
        -------
        bool
        """
        return self.c_has_flags(mask)

    cdef bint c_has_flags(self, int mask) noexcept:
        cdef Py_ssize_t i
        for i in range(self.count):
            if self.records[i].flags & mask:
                return True
        return False

    def index_of(self, tag):
        """Index of `tag` in the table (binary search in C), or -1.

        Parameters
        ----------
        tag : int
            The tag as a 32-bit int, ``group << 16 | element``.

        Returns
        -------
        int
            The index, or -1 when the tag is not in the table (or is not a
            32-bit unsigned int).
        """
        if not 0 <= tag <= 0xFFFFFFFF:
            return -1
        return self.c_index_of(<uint32_t>tag)

    def find(self, tag):
        """The record of `tag`, or None.

        Parameters
        ----------
        tag : int
            The tag as a 32-bit int.

        Returns
        -------
        ScannedElement or None
            ``(tag, vr, flags, header_offset, value_offset, length)``; `vr` is
            the 2-character VR read from the data (an interned str), or None
            for an implicit-VR element.
        """
        if not 0 <= tag <= 0xFFFFFFFF:
            return None
        cdef Py_ssize_t index = self.c_index_of(<uint32_t>tag)
        if index < 0:
            return None
        return self.c_record(index)

    def value_bytes(self, tag, buffer):
        """A copy of the value of `tag` as bytes, or None when `tag` is not
        in the table. For the few values every read needs before any element
        is made (Transfer Syntax UID, Specific Character Set).

        Parameters
        ----------
        tag : int
            The tag as a 32-bit int.
        buffer : memoryview or bytes
            The buffer the table was scanned in.

        Returns
        -------
        bytes or None

        Raises
        ------
        ValueError
            When the value does not lie in `buffer`.
        """
        cdef const unsigned char* data
        cdef Py_ssize_t size, index
        cdef ElementRecord* record
        if not 0 <= tag <= 0xFFFFFFFF:
            return None
        index = self.c_index_of(<uint32_t>tag)
        if index < 0:
            return None
        record = &self.records[index]
        view_bytes(buffer, &data, &size)
        if record.value_offset < 0 or record.length < 0 or record.value_offset + record.length > size:
            raise ValueError(f"the value of tag {tag:08X} at offset {record.value_offset} "
                             f"is outside the buffer of {size} bytes")
        return PyBytes_FromStringAndSize(<const char*>data + record.value_offset, record.length)

    def record(self, Py_ssize_t index):
        """The record at `index`.

        Parameters
        ----------
        index : int
            0 <= index < len(table); negative indices count from the end.

        Returns
        -------
        ScannedElement
            ``(tag, vr, flags, header_offset, value_offset, length)``.

        Raises
        ------
        IndexError
            When `index` is out of range.
        """
        if index < 0:
            index += self.count
        if not 0 <= index < self.count:
            raise IndexError("ElementTable index out of range")
        return self.c_record(index)

    def tags(self):
        """All tags, ascending.

        Returns
        -------
        list of int
        """
        cdef Py_ssize_t i
        return [self.records[i].tag for i in range(self.count)]

    def select(self, tags):
        """A new table with only the records whose tag is in `tags`.

        Parameters
        ----------
        tags : set of int or frozenset of int

        Returns
        -------
        ElementTable
        """
        cdef ElementTable table = self.c_copy_empty(self.count)
        cdef Py_ssize_t i
        cdef Py_ssize_t kept = 0
        for i in range(self.count):
            if self.records[i].tag in tags:
                table.records[kept] = self.records[i]
                kept += 1
        table.count = kept
        return table

    def as_array(self):
        """A read-only numpy structured array copy of the records.

        Returns
        -------
        numpy.ndarray
            Fields tag (u4), vr (S2, empty for implicit VR), flags (u2),
            header_offset (i8), value_offset (i8), length (i8). For tests and
            benchmarks.
        """
        return records_as_array(self.records, self.count, sizeof(ElementRecord),
                                _record_dtype())

# ---------------------------------------------------------------------------
# StoreCore: the compiled part of a dataset level's element store
# ---------------------------------------------------------------------------

STORE_ABSENT = object()
"""What :meth:`StoreCore.fast_value` returns for a tag the store does not hold."""
STORE_SLOW = object()
"""What :meth:`StoreCore.fast_value` returns when the Python path must make
the value (a sequence, an element already made, a private or ambiguous
element, a value the compiled conversion declines, a replaced reading hook)."""

# The Python state fast_value reads, given once by fastdicom.dataset
# (bind_store): the value conversion, the dictionary of VRs for implicit VR,
# the VRs whose text needs the character set, and the reading hooks and
# settings that, when changed by the user, send every value down the Python
# path.
cdef object _convert_record = None
# The C entry behind _convert_record, from fastdicom._values' capsule: a
# value converted from the buffer's address with a C call, not a Python one
ctypedef object (*ConvertRecordBytes)(str, const unsigned char*, Py_ssize_t, Py_ssize_t,
                                      Py_ssize_t, bint, object)
cdef ConvertRecordBytes _convert_record_bytes = NULL
cdef object _declined = None
cdef dict _dictionary = None
cdef frozenset _charset_vrs = frozenset()
cdef object _default_vr_hook = None
cdef object _default_value_hook = None
# The namespaces read on every value: the hooks object's attributes and the
# config module's globals, looked up as dicts (an attribute lookup on each
# costs a type lookup first). Both stay the same objects for the life of the
# process (setattr and importlib.reload write into them).
cdef dict _hooks_attributes = {}
cdef dict _config_attributes = {}

# What a sequence read by keyword needs from fastdicom.dataset (bind_sequences):
# the items' context (template, Pixel Representation), the item and store
# classes, and the callbacks ItemMaker takes.
cdef object _sequence_context = None
cdef object _item_class = None
cdef object _store_class = None
cdef object _finish_item = None
cdef object _check_truncation = None
cdef object _name_sequence = None


# The items' template for a dataset whose character set read is one str,
# by (that str, depth, Pixel Representation, future setting): what
# fastdicom.dataset._item_template gives for these, without its Python call
# per sequence read (it is a function of them alone)
cdef object _item_template = None
cdef dict _templates_by_charset = {}


def bind_sequences(sequence_context, item_class, store_class, finish_item, check_truncation,
                   name_sequence, item_template):
    """Give :class:`StoreCore` and :class:`ItemMaker` what they need to read
    a sequence (called once by ``fastdicom.dataset``)."""
    global _sequence_context, _item_class, _finish_item
    global _check_truncation, _name_sequence, _item_template, _store_class
    _item_template = item_template
    _store_class = store_class
    _templates_by_charset.clear()
    _sequence_context = sequence_context
    _item_class = item_class
    _finish_item = finish_item
    _check_truncation = check_truncation
    _name_sequence = name_sequence


# PS3.3 C.7.6.3.1.5: LUT descriptors, whose first value is always unsigned
cdef inline bint _is_lut_descriptor(uint32_t tag) noexcept nogil:
    return tag == 0x00281101 or tag == 0x00281102 or tag == 0x00281103 or tag == 0x00283002


def bind_store(convert_record, declined, dict dictionary, charset_vrs, hooks,
               default_vr_hook, default_value_hook, config, convert_record_capsule=None):
    """Give :class:`StoreCore` the Python state it reads (called once by
    ``fastdicom.dataset``, which owns these rules)."""
    global _convert_record, _declined, _dictionary, _charset_vrs
    global _default_vr_hook, _default_value_hook
    global _convert_record_bytes, _hooks_attributes, _config_attributes
    _convert_record = convert_record
    _convert_record_bytes = NULL
    if convert_record_capsule is not None:
        _convert_record_bytes = <ConvertRecordBytes>PyCapsule_GetPointer(
            convert_record_capsule, b"fastdicom._values.convert_record_bytes")
    _declined = declined
    _dictionary = dictionary
    _charset_vrs = frozenset(charset_vrs)
    _default_vr_hook = default_vr_hook
    _default_value_hook = default_value_hook
    _hooks_attributes = hooks.__dict__
    _config_attributes = config.__dict__


# The empty `_removed` and `_extra` of a StoreCore until a tag is deleted or added.
NO_TAGS = frozenset()
NO_EXTRA = MappingProxyType({})


cdef class ItemTable  # defined below; a sequence read by StoreCore scans into one
cdef class Source  # defined below; where a store's bytes live
cdef class ItemMaker  # defined below; makes the items of a sequence read from data


cdef class StoreCore:
    """The state of one dataset level's element store, and its fast path.

    ``fastdicom.dataset._ElementStore`` builds the mapping on this base. The
    table and source buffer stay as read; elements made or set are in
    `_done`, deleted table tags in `_removed`, new tags in `_extra` (in the
    order set), values read by keyword without their element in
    `_values` (tag -> value; the element, when asked for, takes its VR and
    offset from the table), and the places of values
    left unread by ``defer_size`` in `_deferred` (tag -> (offset, length)).
    """

    cdef public ElementTable _table
    cdef public Source _source
    # `_done` and `_values`, made on first use: most stores (a file's File
    # Meta group, most sequence items) never hold a made element, or no
    # value (an empty dict is 64 bytes per dataset kept; issue 8)
    cdef dict done
    cdef public object _removed
    cdef public object _extra
    cdef dict values
    cdef public dict _deferred
    cdef public bint _implicit
    cdef public bint _little
    # The maker of the sequence item this store belongs to (None for a
    # top-level dataset and for an item with its own character set or Pixel
    # Representation): the item's sequences inherit what the maker's other
    # items' sequences inherit, computed once per sequence (ItemMaker.child_context)
    cdef ItemMaker _maker

    def __cinit__(self, *args, **kwargs):
        # Most stores never delete a table tag nor add a tag: they share
        # these immutable empties until then (an empty set is 216 bytes per
        # dataset and sequence item kept; issue 8), and a change made to them
        # by mistake raises instead of reaching every store.
        self._removed = NO_TAGS
        self._extra = NO_EXTRA

    def has_values(self):
        """Whether values read by keyword are kept (without making `_values`)."""
        return bool(self.values)

    @property
    def _done(self):
        """dict: The elements made or set, by tag (made on first use)."""
        if self.done is None:
            self.done = {}
        return self.done

    @_done.setter
    def _done(self, dict elements):
        self.done = elements

    @property
    def _values(self):
        """dict: The values read by keyword without their element, by tag
        (made on first use)."""
        if self.values is None:
            self.values = {}
        return self.values

    @_values.setter
    def _values(self, dict values):
        self.values = values

    cpdef object publish(self, uint32_t tag, object elem):
        """Store `elem`, converted from the element read for `tag`, unless
        another thread stored its own conversion first; returns the element
        stored, or :data:`STORE_SLOW` when `tag` is not at its table position
        (the Python path, under its lock, keeps the insertion order then).

        Threads that touch a lazily read element at once each convert it;
        the first conversion wins, so that every thread gets the same
        element (issue 12). This runs under the GIL and calls no Python code
        (dict operations on int keys, plain attributes), so it needs no lock.
        """
        cdef object existing = self.done.get(tag) if self.done else None
        if existing is not None:
            if existing is not elem and not existing.is_raw:
                return existing
        elif (self._table is None or (self._removed and tag in self._removed)
                or self._table.c_index_of(tag) < 0):
            return STORE_SLOW
        if self.values:
            self.values.pop(tag, None)
        if self.done is None:
            self.done = {}
        self.done[tag_key(tag)] = elem
        return elem

    cpdef object fast_value(self, uint32_t tag, object dataset):
        """The value of `tag` read straight from its record, or a marker.

        Parameters
        ----------
        tag : int
            The 32-bit tag.
        dataset : Dataset
            The dataset of this store (its character set decodes text).

        Returns
        -------
        Any
            The value (cached without its element);
            :data:`STORE_ABSENT`; or :data:`STORE_SLOW` when the Python
            path must make it.
        """
        cdef Py_ssize_t index
        cdef ElementRecord* record
        cdef object vr, value, entry, encodings
        cdef const unsigned char* data
        cdef Py_ssize_t size
        if self.done:
            entry = self.done.get(tag)
            if entry is not None:
                # An element made already: its value, unless it is still raw
                # or of a class whose value property may differ
                if type(entry) is _element_class:
                    return entry._value
                return STORE_SLOW
        if self.values:
            entry = self.values.get(tag)
            if entry is not None:
                return entry
        if self._table is None:
            return STORE_ABSENT
        if self._removed and tag in self._removed:
            return STORE_ABSENT
        index = self._table.c_index_of(tag)
        if index < 0:
            return STORE_ABSENT
        record = &self._table.records[index]
        # Private elements need their creator, LUT descriptors their special
        # first value
        if tag & 0x10000 or _is_lut_descriptor(tag):
            return STORE_SLOW
        vr = vr_string(record.vr)
        if vr is None:
            # Implicit VR: the dictionary's VR, as hooks.raw_element_vr gives it
            entry = _dictionary.get(tag)
            if entry is None:
                return STORE_SLOW
            vr = (<tuple>entry)[0]
        if len(vr) != 2 or vr == "UN":
            return STORE_SLOW
        # An undefined length is only a sequence's
        if record.flags & C_FLAG_UNDEFINED_LENGTH and vr != "SQ":
            return STORE_SLOW
        # A user's reading hooks or pydicom 2's callback convert everything
        if (_hooks_attributes.get("raw_element_vr") is not _default_vr_hook
                or _hooks_attributes.get("raw_element_value") is not _default_value_hook
                or _config_attributes.get("data_element_callback") is not None):
            return STORE_SLOW
        if vr == "SQ":
            if _sequence_context is None or _sequence_class is None:
                return STORE_SLOW  # fastdicom.sequence not imported yet: the Python path
            return self._sequence_value(tag, record, dataset)
        encodings = None
        if vr in _charset_vrs:
            # Dataset._encoding_for: the character set read, when there is one
            entry = (<dict>dataset.__dict__).get("_read_charset") if tag != 0x00080005 else None
            if entry and type(entry) is str:
                encodings = [entry]
            elif entry and type(entry) is list:
                encodings = entry
            else:
                encodings = dataset._encoding_for(tag)
        if _convert_record_bytes != NULL:
            view_bytes(self._source.data, &data, &size)
            value = _convert_record_bytes(vr, data, size, record.value_offset, record.length,
                                          self._little, encodings)
        else:
            value = _convert_record(vr, self._source.view, record.value_offset, record.length,
                                    self._little, encodings)
        if value is _declined:
            return STORE_SLOW
        # The value alone, its element made when code asks for it (issue 8,
        # values before elements). setdefault: threads reading it at once
        # share one value, which matters for a mutable one edited in place;
        # the writer makes the elements of mutable values before it copies
        # the bytes of untouched elements (_ElementStore.make_mutable_elements)
        if self.values is None:
            self.values = {}
        return self.values.setdefault(tag_key(tag), value)

    cpdef object identity(self, uint32_t tag):
        """A token that changes when the element of `tag` or its value is
        replaced, found without reading a value still in the source (its
        place identifies it); None when absent.

        Parameters
        ----------
        tag : int

        Returns
        -------
        tuple or None
            ``(id(element), id(value))`` for an element made or set;
            ``("table", id(table), value offset)`` for one as read.
        """
        cdef object elem, value
        cdef Py_ssize_t index
        elem = self.done.get(tag) if self.done else None
        if elem is not None:
            value = elem._value if type(elem) is _element_class else elem.value
            return (PyLong_FromVoidPtr(<void*>elem), PyLong_FromVoidPtr(<void*>value))
        if self._table is None or (self._removed and tag in self._removed):
            return None
        index = self._table.c_index_of(tag)
        if index < 0:
            return None
        return ("table", PyLong_FromVoidPtr(<void*>self._table),
                self._table.records[index].value_offset)

    def identities(self, tags):
        """:meth:`identity` of each of `tags`, as a list (one call for the
        pixel cache's dozen tags)."""
        cdef list found = []
        for tag in tags:
            found.append(self.identity(tag))
        return found

    cpdef object items_pixel_rep(self, dict attributes):
        """The Pixel Representation the items of this level's sequences
        inherit (for their US or SS values): this level's own, else the one
        it inherited (``attributes["_pixel_rep"]``); None when unknown.

        An untouched element is read from its bytes, without its element:
        empty is None, else 0 or 1 in either byte order (PS3.3 C.7.6.3.1).

        Parameters
        ----------
        attributes : dict
            The instance attributes of this level's Dataset.

        Returns
        -------
        int, None, or the value of a damaged element (several values are
        kept, as pydicom keeps them)
        """
        cdef object value = STORE_ABSENT, elem, entry
        cdef Py_ssize_t index
        cdef ElementRecord* record
        cdef const unsigned char* data
        cdef Py_ssize_t size
        elem = self.done.get(0x00280103) if self.done else None
        if elem is not None:
            value = elem.value
        elif self.values and 0x00280103 in self.values:
            value = self.values[0x00280103]
        elif self._table is not None and not (self._removed and 0x00280103 in self._removed):
            index = self._table.c_index_of(0x00280103)
            if index >= 0:
                record = &self._table.records[index]
                view_bytes(self._source.data, &data, &size)
                if record.length <= 0 or record.value_offset + record.length > size:
                    return None
                return 1 if memchr(data + record.value_offset, 1, <size_t>record.length) != NULL else 0
        if value is not STORE_ABSENT:
            if isinstance(value, (bytes, memoryview)):
                return int(b"\x01" in bytes(value)) if len(value) else None
            if value is not None:
                try:
                    return int(value)
                except TypeError:
                    return value
        return attributes.get("_pixel_rep")

    cdef object read_charset_context(self, dict attributes, object depth):
        """``fastdicom.dataset._sequence_context`` for a sequence of defined
        length in a dataset whose character set read is one str (a file's
        dataset): the items inherit ``[that str]`` and this level's Pixel
        Representation. None for the other cases (the Python function)."""
        cdef object encoding = attributes.get("_read_charset")
        cdef object pixel_rep, key, template
        if _item_template is None or type(encoding) is not str or not encoding:
            return None
        pixel_rep = self.items_pixel_rep(attributes)
        if pixel_rep is not None and type(pixel_rep) is not int:
            return None
        key = (encoding, depth, pixel_rep, _config_attributes.get("_use_future"))
        template = _templates_by_charset.get(key)
        if template is None:
            template = _item_template([encoding], depth + 1, pixel_rep)
            if len(_templates_by_charset) >= 256:  # a bound: odd charsets and depths
                _templates_by_charset.clear()
            _templates_by_charset[key] = template
        return (template, pixel_rep)

    cdef object _sequence_value(self, uint32_t tag, ElementRecord* record, object dataset):
        """The value of a sequence read from its record: its items scanned
        (each made on first access by an ItemMaker), its element published,
        as ``Dataset._read_sequence`` makes it on the Python path."""
        cdef object view = self._source.data
        cdef const unsigned char* data
        cdef Py_ssize_t size
        cdef bint undefined = record.flags & C_FLAG_UNDEFINED_LENGTH
        cdef ItemTable items
        cdef ItemMaker make_item
        cdef object filename = self._source.filename
        cdef dict attributes = <dict>dataset.__dict__
        cdef object depth = attributes.get("_depth", 0)
        cdef object context = None, template, pixel_rep
        view_bytes(view, &data, &size)
        try:
            items = c_scan_items(data, size, record.value_offset,
                                 record.value_offset + record.length, self._implicit,
                                 self._little, True, depth)
        except DicomParseError as exc:
            raise _name_sequence(exc, tag, filename) from None
        if self._maker is not None:
            context = self._maker.child_context(undefined, self, attributes)
        elif not undefined:
            context = self.read_charset_context(attributes, depth)
        if context is None:
            template, pixel_rep = _sequence_context(dataset, undefined, depth)
            if self._maker is not None:
                self._maker.keep_child_context(undefined, self, attributes, template, pixel_rep)
        else:
            template, pixel_rep = (<tuple>context)[0], (<tuple>context)[1]
        make_item = ItemMaker.__new__(ItemMaker)
        make_item.view = view
        make_item.data = data
        make_item.size = size
        make_item.source = self._source
        make_item.items = items
        make_item.implicit = self._implicit
        make_item.little = self._little
        make_item.vr_switch = _config_attributes.get("assume_implicit_vr_switch")
        make_item.depth = depth
        make_item.tell_base = 0
        make_item.template = template
        make_item.sequence_tag = tag
        make_item.filename = filename
        # Kept bare like any value read by keyword: its element (with the
        # length read, defined or not) is made when asked for
        if self.values is None:
            self.values = {}
        value = self.values.setdefault(tag_key(tag),
                                       new_sequence(make_item, items.count, undefined))
        # As pydicom on first reading a sequence: the dataset records its
        # Pixel Representation (for correcting US or SS values)
        if pixel_rep is not None:
            attributes["_pixel_rep"] = pixel_rep
        return value


cdef class KeywordValue:
    """The class attribute of one element keyword on Dataset (a non-data
    descriptor): ``ds.PatientName`` reads the value through the store's
    compiled fast path, without the failed normal lookup and the
    ``__getattr__`` call it would otherwise cost. Anything else (an absent
    element, a value the Python path makes) goes to the class's
    ``__getattr__``, which answers as before.
    """

    cdef readonly uint32_t tag
    cdef readonly str name

    def __init__(self, uint32_t tag, str name):
        self.tag = tag
        self.name = name

    def __get__(self, instance, owner):
        cdef object attributes, store, value
        if instance is None:
            raise AttributeError(f"type object '{owner.__name__}' has no attribute '{self.name}'")
        attributes = instance.__dict__
        store = (<dict>attributes).get("_dict")
        if isinstance(store, StoreCore):
            value = (<StoreCore>store).fast_value(self.tag, instance)
            if value is STORE_SLOW:
                # A sequence, an element already made...: the Python path
                value = type(instance)._slow_value_of(instance, store, self.tag)
            if value is not STORE_ABSENT:
                return value
        return type(instance).__getattr__(instance, self.name)

    def __repr__(self):
        return f"<KeywordValue {self.name} ({self.tag >> 16:04X},{self.tag & 0xFFFF:04X})>"


# ---------------------------------------------------------------------------
# ItemTable
# ---------------------------------------------------------------------------

cdef class ItemTable:
    """The items of a sequence, or the fragments of encapsulated pixel data,
    in the order they appear. Made by :func:`scan_items`."""

    cdef ItemRecord* records
    cdef Py_ssize_t count
    cdef Py_ssize_t _start
    cdef Py_ssize_t _stop_offset

    def __cinit__(self):
        self.records = NULL
        self.count = 0

    def __init__(self):
        raise TypeError("ItemTable is made by scan_items()")

    def __dealloc__(self):
        free(self.records)
        self.records = NULL

    @property
    def start(self):
        """int: Offset of the first byte scanned."""
        return self._start

    @property
    def stop_offset(self):
        """int: Offset where scanning stopped: the end of the range, the byte
        after a Sequence Delimitation Item, or (lenient) the header of a
        non-item tag or the first of fewer than 8 trailing bytes."""
        return self._stop_offset

    def __len__(self):
        return self.count

    def __repr__(self):
        return f"<ItemTable {self.count} items, [{self._start}, {self._stop_offset})>"

    def record(self, Py_ssize_t index):
        """The record of item `index`.

        Parameters
        ----------
        index : int
            0 <= index < len(table); negative indices count from the end.

        Returns
        -------
        ScannedItem
            ``(flags, header_offset, value_offset, length)``; for an
            undefined-length item `length` is the span up to (not including)
            its Item Delimitation Item (FFFE,E00D).

        Raises
        ------
        IndexError
            When `index` is out of range.
        """
        if index < 0:
            index += self.count
        if not 0 <= index < self.count:
            raise IndexError("ItemTable index out of range")
        cdef ItemRecord* r = &self.records[index]
        return tuple.__new__(ScannedItem, (r.flags, r.header_offset, r.value_offset, r.length))

    def as_array(self):
        """A read-only numpy structured array copy of the records.

        Returns
        -------
        numpy.ndarray
            Fields flags (u2), header_offset (i8), value_offset (i8),
            length (i8).
        """
        return records_as_array(self.records, self.count, sizeof(ItemRecord),
                                _item_dtype())

# ---------------------------------------------------------------------------
# Module functions
# ---------------------------------------------------------------------------

def scan_dataset(const unsigned char[::1] buffer, Py_ssize_t start, Py_ssize_t end,
                 bint implicit_vr, bint little_endian, *, bint is_item=False,
                 bint stop_before_pixels=False, long only_group=-1, bint lenient=True,
                 bint vr_switch=True, int depth=0):
    """Scan the elements of one dataset level in ``buffer[start:end]``.

    Parameters
    ----------
    buffer : bytes, bytearray, memoryview or mmap
        Contiguous bytes; offsets in the result are absolute offsets in it.
    start, end : int
        The range to scan, ``0 <= start <= end <= len(buffer)``.
    implicit_vr, little_endian : bool
        The assumed encoding. Before the first element the 2 VR bytes are
        checked (pydicom's rule): for a top-level dataset the encoding follows
        what is found (both bytes in 'A'..'Z' means explicit); for an item
        (`is_item`) an implicit assumption is kept and an explicit one
        switches to implicit when the bytes are not letters.
    is_item : bool, optional
        The range is the dataset of a sequence item.
    stop_before_pixels : bool, optional
        Stop at the header of (7FE0,0008), (7FE0,0009) or (7FE0,0010), which
        is not recorded; ``stop_offset`` points at it.
    only_group : int, optional
        When >= 0, stop at the first element of another group (File Meta
        group 0002, command group 0000).
    lenient : bool, optional
        Mirror pydicom's tolerance of truncation: fewer than 8 bytes left at
        an element boundary end the scan; a value running past `end` is
        clipped (FLAG_TRUNCATED) and ends the scan; an undefined-length value
        whose delimiter is missing runs to `end` (FLAG_NO_DELIMITER); an
        undefined-length value that is not item-structured ends at the first
        (FFFE,E0DD) found by a byte search (FLAG_DELIMITER_SEARCHED). With
        lenient=False each of these raises.
    vr_switch : bool, optional
        Within explicit VR, read an element whose VR bytes are outside
        b"AA"..b"ZZ" with an implicit header (pydicom's
        assume_implicit_vr_switch). An in-range unknown VR has a 2-byte length.
    depth : int, optional
        How many sequences enclose this dataset (0 at the top level); nested
        undefined-length sequences count from there towards
        MAX_NESTING_DEPTH.

    Returns
    -------
    ElementTable

    Raises
    ------
    DicomTruncatedError
        A header, value or item runs past `end` where that is not tolerated.
    DicomNestingError
        Sequences nested deeper than MAX_NESTING_DEPTH.
    DicomParseError
        An item tag at dataset level, or a non-item where an item must be.
    ValueError
        An invalid range or depth.
    """
    return c_scan_dataset(buffer_pointer(buffer), buffer.shape[0], start, end, implicit_vr,
                          little_endian, is_item, stop_before_pixels, only_group, lenient,
                          vr_switch, depth)


cdef int scan_and_sort(ScanContext* ctx, Py_ssize_t start, bint implicit_vr, bint is_item,
                       bint stop_before_pixels, long only_group, int depth,
                       Py_ssize_t* stop_offset, bint* found_implicit,
                       ElementTable table) noexcept nogil:
    """The part of c_scan_dataset that needs no Python objects: the encoding
    check, the scan, and the sort of the records by tag."""
    cdef int status
    found_implicit[0] = looks_implicit(ctx, start, implicit_vr)
    if is_item:
        found_implicit[0] = implicit_vr or found_implicit[0]
    status = scan_elements(ctx, start, found_implicit[0], stop_before_pixels, only_group,
                           depth, stop_offset)
    if status == WALK_OK:
        sort_records(<ElementRecord*>ctx.records, &ctx.count, &table._in_order,
                     &table._duplicates)
    return status


cdef ElementTable c_scan_dataset(const unsigned char* data, Py_ssize_t size, Py_ssize_t start,
                                 Py_ssize_t end, bint implicit_vr, bint little_endian,
                                 bint is_item, bint stop_before_pixels, long only_group,
                                 bint lenient, bint vr_switch, int depth):
    """scan_dataset over `size` bytes at `data` (held by the caller)."""
    cdef ScanContext ctx
    cdef ElementRecord first_block[INITIAL_CAPACITY]
    cdef Py_ssize_t stop_offset = end
    cdef bint found_implicit
    cdef int status
    cdef ElementTable table

    check_range(size, start, end)
    if depth < 0:
        raise ValueError("depth must be >= 0")
    if depth > C_MAX_NESTING_DEPTH:
        raise DicomNestingError(_REASONS[REASON_NESTING], start, None)
    init_context(&ctx, data, end, little_endian, lenient, vr_switch,
                 sizeof(ElementRecord))
    ctx.first_block = first_block

    table = ElementTable.__new__(ElementTable)
    table._little_endian = little_endian
    table._start = start
    try:
        if end - start >= NOGIL_SCAN_BYTES:
            with nogil:
                status = scan_and_sort(&ctx, start, implicit_vr, is_item, stop_before_pixels,
                                       only_group, depth, &stop_offset, &found_implicit, table)
        else:
            status = scan_and_sort(&ctx, start, implicit_vr, is_item, stop_before_pixels,
                                   only_group, depth, &stop_offset, &found_implicit, table)
        if status != WALK_OK:
            raise context_error(&ctx)
        table.records = <ElementRecord*>ctx.records
        table.count = ctx.count
        ctx.records = NULL
        table._implicit_vr = found_implicit
        table._stop_offset = stop_offset
    finally:
        free(ctx.stack)
        release_records(&ctx)
    return table


# ---------------------------------------------------------------------------
# Reading a file: its bytes, then its parts (PS3.10 §7.1)
# ---------------------------------------------------------------------------

# Read after a whole file's bytes, to find whether it grew since fstat. The
# size matters: freeing a buffer this large raises glibc's dynamic mmap
# threshold, without which a file's buffer and its pixel array, freed
# together, trim the heap, and the next file's buffers fault in again.
cdef enum:
    GROWTH_PROBE = 1 << 20


cdef object _raise_os_error(int error, object path):
    """Raise the OSError subclass of `error` for `path`, as os.open does."""
    global errno
    errno = error
    PyErr_SetFromErrnoWithFilenameObject(OSError, path)


def read_path(object path, Py_ssize_t limit=-1):
    """Read the file at `path`: ``(its bytes, its mtime, whether that is all of it)``.

    The open, fstat, read and close run without the GIL, in one release for
    a limited read (two for a whole file, whose size must be known before
    its buffer is made): threads reading files do not hand the GIL back and
    forth per system call.

    Parameters
    ----------
    path : str
    limit : int, optional
        Read no more than this many bytes; negative reads the whole file,
        and what it gained since its size was taken.

    Returns
    -------
    tuple
        (bytes, mtime as ``os.stat(path).st_mtime`` gives it, bool).

    Raises
    ------
    OSError
        The subclass for the error (FileNotFoundError, IsADirectoryError...),
        naming `path`.
    """
    cdef bytes encoded = PyUnicode_EncodeFSDefault(path)
    cdef const char* name = encoded
    cdef int fd = -1, kind = 0, error = 0
    cdef long long size = 0, mtime_ns = 0, seconds
    cdef Py_ssize_t want, got = 0, grown = 0, more
    cdef PyObject* data = NULL
    cdef unsigned char* probe = NULL
    cdef unsigned char* moved
    cdef bint whole = limit < 0
    if not whole:
        # The buffer first, so that a limited read releases the GIL once
        data = new_bytes(NULL, limit)
        if data == NULL:
            raise MemoryError()
    with nogil:
        fd = open(name, O_RDONLY | O_CLOEXEC)
        if fd < 0:
            error = errno
        elif fastdicom_fstat(fd, &size, &mtime_ns, &kind) != 0:
            error = errno
        elif not whole:
            want = size if size < limit else limit
            got = read_next(fd, <unsigned char*>bytes_data(data), want)
            if got < 0:
                error = errno
            close(fd)
            fd = -1
    try:
        if error:
            _raise_os_error(error, path)
        if whole:
            if size < 0 or size > <long long>(PY_SSIZE_T_MAX - 64):
                raise MemoryError(f"{path}: a file of {size} bytes cannot be read")
            data = new_bytes(NULL, <Py_ssize_t>size)
            if data == NULL:
                raise MemoryError()
            with nogil:
                got = read_next(fd, <unsigned char*>bytes_data(data), <Py_ssize_t>size)
                if got < 0:
                    error = errno
                elif got == size:
                    probe = <unsigned char*>malloc(GROWTH_PROBE)
                    if probe != NULL:
                        grown = read_next(fd, probe, GROWTH_PROBE)
                        while grown > 0 and grown % GROWTH_PROBE == 0:
                            # Grew by a probe's worth or more: read on
                            moved = <unsigned char*>realloc(probe, grown + GROWTH_PROBE)
                            if moved == NULL:
                                break
                            probe = moved
                            more = read_next(fd, probe + grown, GROWTH_PROBE)
                            if more <= 0:
                                break
                            grown += more
                        if grown < 0:
                            error = errno
                close(fd)
                fd = -1
            if error:
                _raise_os_error(error, path)
            if grown > 0:
                # The file grew since fstat: take the rest too
                if _PyBytes_Resize(&data, got + grown) < 0:
                    data = NULL
                    raise MemoryError()
                memcpy(bytes_data(data) + got, probe, grown)
                got += grown
        if got < PyBytes_GET_SIZE(<object>data):
            # Fewer bytes than asked: the file is shorter than the limit, or
            # shrank since fstat
            if _PyBytes_Resize(&data, got) < 0:
                data = NULL
                raise MemoryError()
        seconds = mtime_ns // 1000000000
        # os.stat's st_mtime: seconds + nanoseconds * 1e-9, in this order
        return (<object>data, <double>seconds + <double>(mtime_ns - seconds * 1000000000) * 1e-9,
                whole or size <= limit)
    finally:
        free(probe)
        if fd >= 0:
            close(fd)
        if data != NULL:
            Py_DECREF(data)


cdef class FileScan:
    """The parts :func:`scan_file` found in a DICOM file's data (PS3.10 §7.1).

    Attributes
    ----------
    view : bytes or memoryview
        The bytes to keep: the data, or only its header for a header-only
        read of a file (the offsets of the tables are the same in both).
    preamble : bytes or None
    meta : ElementTable
        The File Meta group.
    command : ElementTable or None
        A command set (group 0000) after it, when there is one.
    table : ElementTable or None
        The dataset; None when it is deflated (scan it after inflating) or
        when `needs_more`.
    position : int
        Where the dataset starts.
    guessed, implicit, little, deflated : bool
        Its encoding: guessed (no Transfer Syntax UID), implicit VR, little
        endian, deflated.
    needs_more : bool
        A header-only read of the first bytes of a file ended inside the
        header: read more and scan again.
    unusual : bool
        Something the caller must look at: a File Meta group in implicit VR,
        a dataset whose VR encoding is not its transfer syntax's, a value cut
        short, a command set, a deflated dataset, or `needs_more`.
    """

    cdef readonly object view
    cdef readonly object preamble
    cdef readonly ElementTable meta
    cdef readonly ElementTable command
    cdef readonly ElementTable table
    cdef readonly Py_ssize_t position
    cdef readonly bint guessed
    cdef readonly bint implicit
    cdef readonly bint little
    cdef readonly bint deflated
    cdef readonly bint needs_more
    cdef readonly bint unusual

    def __init__(self):
        raise TypeError("FileScan is made by scan_file()")


cdef class Source:
    """Where a dataset's bytes live, shared by a dataset and its items.

    Parameters
    ----------
    view : bytes or memoryview
        The whole source buffer (a memoryview: 1-D unsigned bytes).
    filename : str or None
        Used in error messages.

    Attributes
    ----------
    data : bytes or memoryview
        The buffer, as given: the compiled code reads it directly.
    view : memoryview
        A view of it, made when Python code first asks (a memoryview and
        its managed buffer are 312 bytes per file kept; issue 8).
    """

    cdef public object data
    cdef public object filename
    cdef object _view

    def __init__(self, view, filename):
        self.data = view
        self.filename = filename

    @property
    def view(self):
        if self._view is None:
            self._view = self.data if type(self.data) is memoryview else memoryview(self.data)
        return self._view

    @view.setter
    def view(self, value):
        self.data = value
        self._view = None


cdef inline Source new_source(object data, object filename):
    cdef Source source = Source.__new__(Source)
    source.data = data
    source.filename = filename
    return source


# What scan_file and file_dataset need from fastdicom.filereader
# (bind_reader): the shared all-zero preamble; the encodings of the Transfer
# Syntax UIDs met, and the function that finds one not met yet; the Python
# encodings of the Specific Character Set values met, and the function that
# finds those of one not met yet; the dataset classes
cdef object _zero_preamble = None
cdef dict _known_encodings = {}
cdef object _dataset_encoding = None
cdef dict _known_charsets = {}
cdef object _character_set_of = None
cdef object _default_encoding = None
cdef object _file_dataset_class = None
cdef object _file_meta_class = None
cdef object _reader_store_class = None


def bind_reader(zero_preamble, dict known_encodings, dataset_encoding, dict known_charsets,
                character_set_of, default_encoding, file_dataset_class, file_meta_class,
                store_class):
    """Give :func:`scan_file` and :func:`file_dataset` the reader's state
    (called once by ``fastdicom.filereader``, which owns these rules)."""
    global _zero_preamble, _known_encodings, _dataset_encoding, _known_charsets
    global _character_set_of, _default_encoding, _file_dataset_class, _file_meta_class
    global _reader_store_class
    _zero_preamble = zero_preamble
    _known_encodings = known_encodings
    _dataset_encoding = dataset_encoding
    _known_charsets = known_charsets
    _character_set_of = character_set_of
    _default_encoding = default_encoding
    _file_dataset_class = file_dataset_class
    _file_meta_class = file_meta_class
    _reader_store_class = store_class


def file_dataset(FileScan scan, ElementTable table, view, data_view, filename, fp, mtime):
    """The FileDataset of a scanned file with its ``file_meta``, as
    ``dcmread`` gives them: the attributes pydicom's FileDataset has, in its
    order, and the character set read.

    Parameters
    ----------
    scan : FileScan
    table : ElementTable
        The dataset's table (``scan.table``, or the table of the inflated
        or selected dataset).
    view, data_view : memoryview
        The file's bytes kept, and the dataset's (the same, unless inflated).
    filename : str or None
    fp
        What dcmread was given.
    mtime : float or None
        The file's mtime.

    Returns
    -------
    FileDataset
    """
    cdef Source source = new_source(view, filename)
    cdef Source data_source = source if data_view is view else new_source(data_view, filename)
    cdef object file_meta, dataset, raw, known
    cdef Py_ssize_t index
    cdef ElementRecord* record
    cdef const unsigned char* data
    cdef Py_ssize_t size
    file_meta = dataset_from_table(_file_meta_class, _reader_store_class, scan.meta, source,
                                   _default_encoding)
    # The File Meta group is always in the default repertoire (PS3.10 §7.1)
    PyObject_GenericSetAttr(file_meta, "_read_charset", _default_encoding)
    dataset = dataset_from_table(_file_dataset_class, _reader_store_class, table, data_source,
                                 _default_encoding)
    PyObject_GenericSetAttr(dataset, "file_meta", file_meta)
    PyObject_GenericSetAttr(dataset, "preamble", scan.preamble)
    # No Transfer Syntax UID: the encoding was guessed from the data, and the
    # pixel pipeline decodes native pixels with it
    # (pixels.pipeline.transfer_syntax_of)
    PyObject_GenericSetAttr(dataset, "_encoding_guessed", scan.guessed)
    if type(fp) is str and mtime is not None:
        # What Dataset._set_source records for a path
        PyObject_GenericSetAttr(dataset, "fileobj_type", open_builtin)
        PyObject_GenericSetAttr(dataset, "filename", fp)
        PyObject_GenericSetAttr(dataset, "buffer", None)
        PyObject_GenericSetAttr(dataset, "timestamp", mtime)
    else:
        dataset._set_source(fp, mtime)
    # The Specific Character Set read from its record: every dataset read
    # needs it, and making its element would cost more than the rest
    known = _default_encoding
    index = table.c_index_of(0x00080005)
    if index >= 0:
        known = None
        record = &table.records[index]
        view_bytes(data_view, &data, &size)
        if 0 <= record.value_offset and record.value_offset + record.length <= size:
            raw = PyBytes_FromStringAndSize(<const char*>data + record.value_offset, record.length)
            known = _known_charsets.get(raw)
            if known is not None:
                known = list(known)
        if known is None:
            known = _character_set_of(table, data_view, _default_encoding)
    PyObject_GenericSetAttr(dataset, "_read_charset", known)
    return dataset


cdef inline bint _at_pixel_tag(const unsigned char* data, Py_ssize_t size, Py_ssize_t at,
                               bint little) noexcept:
    """Whether the element header at `at` is one of the pixel data elements
    a header-only scan stops at: (7FE0,0008), (7FE0,0009), (7FE0,0010)."""
    cdef uint32_t tag
    if at < 0 or at + 4 > size:
        return False
    if little:
        tag = (<uint32_t>(data[at] | data[at + 1] << 8) << 16) | (data[at + 2] | data[at + 3] << 8)
    else:
        tag = (<uint32_t>(data[at] << 8 | data[at + 1]) << 16) | (data[at + 2] << 8 | data[at + 3])
    return tag == 0x7FE00008 or tag == 0x7FE00009 or tag == 0x7FE00010


def scan_file(view, Py_ssize_t position, preamble, bint complete, bint stop_before_pixels,
              bint vr_switch, bint keep_header_only, bint known_encodings_apply):
    """Scan the parts of a DICOM file: File Meta group, command set, dataset.

    The steps of every file read, in one call: the prefix, the scans, the
    encoding from the Transfer Syntax UID and, for a header-only read, where
    the scan stopped.

    Parameters
    ----------
    view : memoryview
        1-D unsigned bytes: the data, or the first bytes of a file when not
        `complete`.
    position : int
        Where the File Meta group (or the dataset) starts; -1 to look for
        the 128-byte preamble and 'DICM' (PS3.10 §7.1).
    preamble : bytes or None
        The preamble, when `position` is given.
    complete : bool
        Whether `view` holds all of the data.
    stop_before_pixels, vr_switch : bool
        As :func:`scan_dataset`.
    keep_header_only : bool
        For a header-only read of a file: keep only the header's bytes, and
        say `needs_more` when the data read ends inside it.
    known_encodings_apply : bool
        Whether the encodings remembered for Transfer Syntax UIDs apply (no
        private transfer syntax is registered); else every encoding is found
        by the reader's function.

    Returns
    -------
    FileScan or None
        None when `position` is -1 and there is no 'DICM' prefix.
    """
    cdef const unsigned char* data
    cdef Py_ssize_t size, index
    cdef ElementRecord* record
    cdef FileScan scan
    cdef object encoding = None, raw
    cdef ElementTable meta, table
    view_bytes(view, &data, &size)
    if position < 0:
        if size < 132 or memcmp(data + 128, b"DICM", 4) != 0:
            return None
        position = 132
        # Most preambles are all zeros (PS3.10 §7.1): those share one object
        preamble = _zero_preamble
        for index in range(128):
            if data[index]:
                preamble = PyBytes_FromStringAndSize(<const char*>data, 128)
                break
    scan = FileScan.__new__(FileScan)
    scan.preamble = preamble
    scan.view = view
    # PS3.10 §7.1: the File Meta group is always Explicit VR Little Endian
    # (the scanner's first-element check also reads an implicit one)
    meta = c_scan_dataset(data, size, position, size, False, True, False, False, 2, True,
                          True, 0)
    scan.meta = meta
    if meta._implicit_vr and meta.count:
        scan.unusual = True
    position = meta._stop_offset
    # A command set (group 0000) is always Implicit VR Little Endian (PS3.7 §6.3.1)
    if position + 1 < size and not data[position] and not data[position + 1]:
        scan.command = c_scan_dataset(data, size, position, size, True, True, False, False, 0,
                                      True, True, 0)
        position = scan.command._stop_offset
        scan.unusual = True
    scan.position = position
    if position < size and known_encodings_apply:
        index = meta.c_index_of(0x00020010)
        if index >= 0:
            record = &meta.records[index]
            if 0 <= record.value_offset and record.value_offset + record.length <= size:
                raw = PyBytes_FromStringAndSize(<const char*>data + record.value_offset,
                                                record.length)
                encoding = _known_encodings.get(raw)
    if encoding is None:
        encoding = _dataset_encoding(meta, view, position)
    scan.guessed, scan.implicit, scan.little, scan.deflated = encoding
    if scan.deflated:
        scan.unusual = True
        return scan
    table = c_scan_dataset(data, size, position, size, scan.implicit, scan.little, False,
                           stop_before_pixels, -1, True, vr_switch, 0)
    if keep_header_only and stop_before_pixels:
        if not complete and not _at_pixel_tag(data, size, table._stop_offset, table._little_endian):
            # The header is longer than the bytes read
            scan.needs_more = True
            scan.unusual = True
            return scan
        if table._stop_offset < size:
            # Keep only the header's bytes, not what was read past them
            scan.view = PyBytes_FromStringAndSize(<const char*>data, table._stop_offset)
    scan.table = table
    if table._implicit_vr != scan.implicit and table.count:
        scan.unusual = True
    else:
        for index in range(table.count):
            if table.records[index].flags & (C_FLAG_TRUNCATED | C_FLAG_NO_DELIMITER):
                scan.unusual = True
                break
    return scan


def scan_items(const unsigned char[::1] buffer, Py_ssize_t start, Py_ssize_t end,
               bint implicit_vr, bint little_endian, *, bint lenient=True, int depth=0):
    """Scan the items in ``buffer[start:end]``.

    The range is the value of a sequence (PS3.5 §7.5) or of encapsulated
    pixel data (PS3.5 §A.4). Items of defined length are taken by their
    length; items of undefined length are followed up to their Item
    Delimitation Item. A Sequence Delimitation Item ends the scan.

    Parameters
    ----------
    buffer : bytes, bytearray, memoryview or mmap
        Contiguous bytes; offsets in the result are absolute.
    start, end : int
        The range to scan.
    implicit_vr, little_endian : bool
        The encoding of the dataset holding the sequence (the items of an
        undefined length are checked as pydicom does: an explicit assumption
        switches to implicit when the first element's VR bytes are not
        letters).
    lenient : bool, optional
        A tag other than an item tag ends the scan (``stop_offset`` points at
        it); an item running past `end` is clipped (FLAG_TRUNCATED); a
        missing delimiter runs to `end` (FLAG_NO_DELIMITER); fewer than 8
        trailing bytes are ignored. With lenient=False each of these raises.
    depth : int, optional
        How many sequences enclose the dataset holding this sequence (the
        `depth` that dataset was scanned with).

    Returns
    -------
    ItemTable

    Raises
    ------
    DicomTruncatedError, DicomNestingError, DicomParseError, ValueError
        As for :func:`scan_dataset`.
    """
    return c_scan_items(buffer_pointer(buffer), buffer.shape[0], start, end, implicit_vr,
                        little_endian, lenient, depth)


cdef ItemTable c_scan_items(const unsigned char* data, Py_ssize_t size, Py_ssize_t start,
                            Py_ssize_t end, bint implicit_vr, bint little_endian, bint lenient,
                            int depth):
    """scan_items over `size` bytes at `data` (held by the caller)."""
    cdef ScanContext ctx
    cdef ItemRecord first_block[INITIAL_CAPACITY]
    cdef Py_ssize_t stop_offset = end
    cdef int status
    cdef ItemTable table

    check_range(size, start, end)
    if depth < 0:
        raise ValueError("depth must be >= 0")
    if depth >= C_MAX_NESTING_DEPTH:
        raise DicomNestingError(_REASONS[REASON_NESTING], start, None)
    init_context(&ctx, data, end, little_endian, lenient, True, sizeof(ItemRecord))
    ctx.first_block = first_block

    table = ItemTable.__new__(ItemTable)
    table._start = start
    try:
        if end - start >= NOGIL_SCAN_BYTES:
            with nogil:
                status = scan_item_headers(&ctx, start, implicit_vr, depth, &stop_offset)
        else:
            status = scan_item_headers(&ctx, start, implicit_vr, depth, &stop_offset)
        if status != WALK_OK:
            raise context_error(&ctx)
        table.records = <ItemRecord*>ctx.records
        table.count = ctx.count
        ctx.records = NULL
        table._stop_offset = stop_offset
    finally:
        free(ctx.stack)
        release_records(&ctx)
    return table


def find_sequence_delimiter(const unsigned char[::1] buffer, Py_ssize_t start,
                            Py_ssize_t end, bint little_endian):
    """Offset of the first (FFFE,E0DD) tag in ``buffer[start:end]``, or -1.

    A plain byte search: pydicom's way of finding the end of an
    undefined-length value that is not item-structured (it can cut a value
    whose bytes happen to contain the delimiter).

    Parameters
    ----------
    buffer : bytes, bytearray, memoryview or mmap
    start, end : int
        The range to search.
    little_endian : bool
        The byte order of the tag.

    Returns
    -------
    int
        The absolute offset of the tag's first byte, or -1.
    """
    cdef const unsigned char* data = buffer_pointer(buffer)
    cdef Py_ssize_t found
    check_range(buffer.shape[0], start, end)
    if end - start >= NOGIL_SCAN_BYTES:
        with nogil:
            found = search_delimiter(data, start, end, SEQUENCE_DELIMITER_TAG, little_endian)
    else:
        found = search_delimiter(data, start, end, SEQUENCE_DELIMITER_TAG, little_endian)
    return found


# ---------------------------------------------------------------------------
# ItemMaker: the datasets of a sequence's items, made on first access
# ---------------------------------------------------------------------------

@cython.no_gc
cdef class ItemMaker:
    """Make the Dataset of item `index` of a sequence read from data.

    The maker holds what every item of the sequence shares: the buffer and
    its owner, the items' table, the encoding, the depth and a template of
    the item's instance attributes (those of ``Dataset._init_attributes``
    and of an item, in that order). The classes and callbacks are the ones
    ``fastdicom.dataset`` gives once (:func:`bind_sequences`): an item scans
    its own elements here and gets its store and attributes without Python
    code; `finish_item` (Python) settles an item that holds its own Specific
    Character Set or Pixel Representation, `check_truncation` reports a
    value cut short, `name_sequence` names the sequence in a scan error.

    Not tracked by the garbage collector (one is made per sequence read):
    it refers to no dataset, element or sequence, only to the source, the
    items' table, a shared template and module-level classes and functions,
    so it can never be part of a reference cycle.
    """

    cdef object view  # the source's buffer (bytes or memoryview), kept alive for `data`
    cdef const unsigned char* data
    cdef Py_ssize_t size
    cdef object source
    cdef ItemTable items
    cdef bint implicit
    cdef bint little
    cdef bint vr_switch
    cdef int depth
    cdef Py_ssize_t tell_base
    cdef dict template
    cdef object sequence_tag
    cdef object filename
    cdef object _child_defined
    cdef object _child_undefined

    def __init__(self, buffer, source, ItemTable items, bint implicit, bint little,
                 bint vr_switch, int depth, Py_ssize_t tell_base, dict template,
                 sequence_tag, filename):
        if not isinstance(buffer, memoryview):
            buffer = memoryview(buffer)  # a bytearray cannot be resized under it
        view_bytes(buffer, &self.data, &self.size)
        self.view = buffer
        self.source = source
        self.items = items
        self.implicit = implicit
        self.little = little
        self.vr_switch = vr_switch
        self.depth = depth
        self.tell_base = tell_base
        self.template = template
        self.sequence_tag = sequence_tag
        self.filename = filename

    def __call__(self, Py_ssize_t index):
        if not 0 <= index < self.items.count:
            raise IndexError("item index out of range")
        return self.make(index)

    cdef object make(self, Py_ssize_t index):
        """The Dataset of item `index` (0 <= index < the item count)."""
        cdef ItemRecord* record = &self.items.records[index]
        cdef ElementTable table
        cdef StoreCore store
        cdef dict attributes
        try:
            table = c_scan_dataset(self.data, self.size, record.value_offset,
                                   record.value_offset + record.length, self.implicit,
                                   self.little, True, False, -1, True, self.vr_switch,
                                   self.depth + 1)
        except DicomParseError as exc:
            raise _name_sequence(exc, self.sequence_tag, self.filename) from None
        if table.c_has_flags(C_FLAG_TRUNCATED | C_FLAG_NO_DELIMITER):
            _check_truncation(table, self.filename)
        store = new_store(_store_class)
        store._table = table
        store._source = self.source
        store._implicit = table._implicit_vr
        store._little = table._little_endian
        # Allocated without object.__new__, which would give the instance
        # the layout for attributes set one by one, freed at once when its
        # dict is given below
        item = PyType_GenericAlloc(<type>_item_class, 0)
        # The template's keys in its order, then the item's own values (its
        # keys are in the template: no dict resize)
        attributes = PyDict_Copy(self.template)
        attributes["_dict"] = store
        attributes["_read_little"] = table._little_endian
        attributes["_read_implicit"] = table._implicit_vr
        attributes["seq_item_tell"] = record.header_offset + self.tell_base
        if record.flags & C_FLAG_UNDEFINED_LENGTH:
            attributes["is_undefined_length_sequence_item"] = True
        PyObject_GenericSetDict(item, attributes, NULL)
        if table.c_index_of(0x00080005) >= 0 or table.c_index_of(0x00280103) >= 0:
            return _finish_item(item, table)
        store._maker = self
        return item

    cdef object child_context(self, bint undefined, StoreCore store, dict attributes):
        """What the sequences of an item made here inherit (see
        ``fastdicom.dataset._sequence_context``): (template, Pixel
        Representation) as computed for an earlier item, or None when not
        known yet or when this item's state is not as it was made."""
        cdef object cached = self._child_undefined if undefined else self._child_defined
        if cached is None or (<tuple>cached)[2] != _config_attributes.get("_use_future"):
            return None
        if not self.as_made(store, attributes):
            return None
        return cached

    cdef bint as_made(self, StoreCore store, dict attributes):
        """Whether an item made here still has what its sequences inherit as
        it was made: no character set or Pixel Representation set since, the
        inherited attributes not replaced."""
        cdef dict template = self.template
        if store.done and (0x00080005 in store.done or 0x00280103 in store.done):
            return False
        if store.values and (0x00080005 in store.values or 0x00280103 in store.values):
            return False
        return (attributes.get("_parent_encoding") is template.get("_parent_encoding")
                and attributes.get("_read_charset") is template.get("_read_charset")
                and attributes.get("_pixel_rep") is template.get("_pixel_rep")
                and attributes.get("_depth") is template.get("_depth"))

    cdef void keep_child_context(self, bint undefined, StoreCore store, dict attributes,
                                 object template, object pixel_rep):
        """Keep what child_context gives for the next items, when it was
        computed for an item as made (one changed since inherits its own)."""
        cdef tuple context
        if not self.as_made(store, attributes):
            return
        context = (template, pixel_rep, _config_attributes.get("_use_future"))
        if undefined:
            self._child_undefined = context
        else:
            self._child_defined = context


# ---------------------------------------------------------------------------
# Elements and sequences made in compiled code
# ---------------------------------------------------------------------------

# The classes of the object model, given by fastdicom.dataelem and
# fastdicom.sequence when they are imported (bind_model): elements and
# sequences read by keyword are made here with the attributes their Python
# constructors would give, in the same order.
cdef object _element_class = None
cdef object _sequence_class = None
cdef object _object_new = object.__new__


def bind_model(element_class=None, sequence_class=None):
    """Give the compiled store and sequence maker the model's classes (called
    by ``fastdicom.dataset`` and ``fastdicom.sequence`` on import)."""
    global _element_class, _sequence_class
    if element_class is not None:
        _element_class = element_class
    if sequence_class is not None:
        _sequence_class = sequence_class


# One int object per tag for the keys of the stores' dicts: every dataset
# that caches a value of a tag keys it with the same object (an int made per
# key is 28 bytes per value kept; issue 8)
cdef dict _tag_keys = {}


cdef object tag_key(uint32_t tag):
    cdef object key = tag
    cdef object found = _tag_keys.get(key)
    if found is None:
        if len(_tag_keys) >= 16384:
            _tag_keys.clear()
        _tag_keys[key] = key
        return key
    return found


def dataset_from_table(dataset_class, store_class, ElementTable table, source,
                       parent_encoding):
    """A Dataset of `dataset_class` over a table scanned from `source`, as
    ``Dataset._from_table`` makes it: its store (of `store_class`, a
    :class:`StoreCore`) and its instance attributes in the order of
    ``Dataset._init_attributes``.

    Parameters
    ----------
    dataset_class : type
        Dataset or a subclass (FileDataset, FileMetaDataset).
    store_class : type
        The store's class.
    table : ElementTable
    source : object
        The source (its ``view`` is the buffer `table` was scanned in).
    parent_encoding : str or list of str
        The character set inherited.

    Returns
    -------
    Dataset
    """
    cdef StoreCore store = new_store(store_class)
    cdef object dataset = dataset_class.__new__(dataset_class)
    cdef object implicit = table._implicit_vr
    cdef object little = table._little_endian
    store._table = table
    store._source = source
    store._implicit = table._implicit_vr
    store._little = table._little_endian
    init_dataset(dataset, store, parent_encoding, implicit, little)
    return dataset


cpdef init_dataset(object dataset, object store, object parent_encoding, object implicit,
                   object little):
    """Give a new Dataset its instance attributes (``Dataset._init_attributes``):
    its store, the character set it inherits and the encoding it was read
    with (None when made by hand), one attribute at a time so that they take
    the instance layout all datasets share."""
    PyObject_GenericSetAttr(dataset, "_parent_encoding", parent_encoding)
    PyObject_GenericSetAttr(dataset, "_dict", store)
    PyObject_GenericSetAttr(dataset, "_read_little", little)
    PyObject_GenericSetAttr(dataset, "_read_implicit", implicit)
    if not _config_attributes.get("_use_future"):
        # The deprecated current encoding, which pydicom 4 drops
        PyObject_GenericSetAttr(dataset, "_is_little_endian", little)
        PyObject_GenericSetAttr(dataset, "_is_implicit_VR", implicit)


cdef tuple _NO_ARGS = ()


cdef StoreCore new_store(object store_class):
    """``store_class.__new__(store_class)`` for a subclass of StoreCore, by
    its tp_new slot (no lookup and call of ``__new__`` per item made)."""
    if not (isinstance(store_class, type)
            and PyType_IsSubtype(<type>store_class, StoreCore)):
        raise TypeError(f"{store_class!r} is not a StoreCore")
    return <StoreCore>(<PyTypeObject*>store_class).tp_new(store_class, <PyObject*>_NO_ARGS, NULL)


def on_demand_sequence(sequence_class, make_item, Py_ssize_t count, bint undefined):
    """A Sequence of `sequence_class` read from data, whose `count` items are
    made on first access by ``make_item(index)`` (``Sequence._on_demand``)."""
    cdef object seq = _object_new(sequence_class)
    # One attribute at a time: the instance keeps them in the layout all
    # sequences share, not in a dict of its own (one object fewer for the
    # garbage collector and ~150 bytes less per sequence read)
    PyObject_GenericSetAttr(seq, "is_undefined_length", undefined)
    PyObject_GenericSetAttr(seq, "_items", [None] * count)
    PyObject_GenericSetAttr(seq, "_make_item", make_item)
    return seq


cdef inline object new_sequence(ItemMaker make_item, Py_ssize_t count, bint undefined):
    return on_demand_sequence(_sequence_class, make_item, count, undefined)


cdef object _make_item_of(object make_item, Py_ssize_t index):
    if type(make_item) is ItemMaker:
        return (<ItemMaker>make_item).make(index)
    return make_item(index)


def sequence_getitem(self, index):
    """``Sequence.__getitem__``: an item of a sequence read from data is
    made on first access, the rest of the list is left alone.

    Threads that reach an item first at the same time each make it; the
    first stored wins, so that every thread gets the same Dataset (issue
    12). Between the check and the store no Python code runs, so under the
    GIL this needs no lock.
    """
    # Attribute by attribute, not through __dict__: that would give the
    # sequence a dict of its own in place of the layout all sequences share
    cdef object make_item = PyObject_GenericGetAttr(self, "_make_item")
    cdef list items
    cdef Py_ssize_t position, count
    cdef object item, existing
    if make_item is None or type(index) is not int:
        return self._list[index]
    items = <list>PyObject_GenericGetAttr(self, "_items")
    count = len(items)
    position = index
    if position < 0:
        position += count
    if not 0 <= position < count:
        raise IndexError("list index out of range")
    item = items[position]
    if item is None:
        item = _make_item_of(make_item, position)
        existing = items[position]
        if existing is None:
            items[position] = item
        else:
            item = existing
    return item


def sequence_items(self):
    """Make every item of a sequence read from data not made yet; returns
    the list of items (``Sequence._list``)."""
    cdef object make_item = PyObject_GenericGetAttr(self, "_make_item")
    cdef list items = <list>PyObject_GenericGetAttr(self, "_items")
    cdef Py_ssize_t position
    cdef object item
    if make_item is not None:
        for position in range(len(items)):
            if items[position] is None:
                item = _make_item_of(make_item, position)
                if items[position] is None:
                    items[position] = item
        if PyObject_GenericGetAttr(self, "_make_item") is make_item:
            PyObject_GenericSetAttr(self, "_make_item", None)
    return items
