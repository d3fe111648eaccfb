"""Contract of the compiled scanner ``fastdicom._parser`` (src_pyx/_parser.pyx).

The scanner walks the byte structure of one dataset level (PS3.5 §7) over one
buffer and records every element in a table of fixed-size C records. It makes
no Python object per element, knows nothing of the data dictionary, and
decodes no value: VRs of implicit-VR elements, value conversion and every
decision that needs the dictionary stay in Python.

Offsets are absolute offsets into the buffer given. All functions take the
buffer as anything exposing a contiguous byte buffer (bytes, bytearray,
memoryview, mmap) and release the GIL while scanning.
"""

from collections.abc import Mapping, Set as AbstractSet
from typing import Any, Final, Iterable, NamedTuple

import numpy as np

from fastdicom.errors import DicomParseError  # raised, with offset and tag

MAX_NESTING_DEPTH: int
"""Deepest nesting of sequences/items the scanner follows before raising
DicomNestingError (a DicomParseError subclass)."""

# Record flags (bit values)
FLAG_UNDEFINED_LENGTH: int  # length field was 0xFFFFFFFF; `length` is the span
                            # from value_offset up to (not including) the
                            # Sequence Delimitation Item (FFFE,E0DD)
FLAG_IMPLICIT: int          # element was encoded with implicit VR: vr is None
FLAG_LONG_HEADER: int       # explicit VR element with the 12-byte header
                            # (2 reserved bytes + 4-byte length, PS3.5 §7.1.2)
FLAG_TRUNCATED: int         # value ran past the end: `length` was clipped
                            # to the bytes available (only the last element)
FLAG_NO_DELIMITER: int      # undefined length whose delimiter is missing:
                            # the span runs to the end of the range
FLAG_DELIMITER_SEARCHED: int  # (lenient) undefined length whose value is not
                            # item-structured: the span ends at the first
                            # delimiter found by a byte search (pydicom's
                            # fallback, read_undefined_length_value)

class ScannedElement(NamedTuple):
    """One element of an ElementTable, by name."""

    tag: int
    vr: str | None
    flags: int
    header_offset: int
    value_offset: int
    length: int

class ScannedItem(NamedTuple):
    """One item of an ItemTable, by name."""

    flags: int
    header_offset: int
    value_offset: int
    length: int

class ElementTable:
    """The elements of one dataset level, sorted by tag.

    Duplicate tags keep the last occurrence (as a dict assignment would).
    """

    @property
    def implicit_vr(self) -> bool:
        """The encoding actually found (after the per-dataset check)."""
    @property
    def little_endian(self) -> bool: ...
    @property
    def start(self) -> int:
        """Offset of the first byte scanned."""
    @property
    def stop_offset(self) -> int:
        """Offset where scanning stopped: the end of the range, or the header
        of the first element not taken (stop_before_pixels / only_group)."""
    @property
    def in_order(self) -> bool:
        """False when the tags were not in ascending order in the data."""
    @property
    def duplicates(self) -> int:
        """How many records were dropped as duplicate tags."""
    def __len__(self) -> int: ...
    def copy_runs(
        self, excluded: "set[int] | frozenset[int]", drop_group_lengths_above: int = -1
    ) -> list[tuple[int, int, int, int]]:
        """(first_index, stop_index, start_offset, end_offset) of each run of
        records whose bytes follow each other, leaving out the tags in
        `excluded`, cut-short values and (optionally) group lengths of
        groups above `drop_group_lengths_above`: the writer copies each run
        as one slice."""
    def has_flags(self, mask: int) -> bool:
        """True when any record has a flag bit of `mask` set (a C loop)."""
    def index_of(self, tag: int) -> int:
        """Index of `tag` (binary search in C), or -1."""
    def value_bytes(self, tag: int, buffer: Any) -> bytes | None:
        """A copy of the value of `tag` as bytes, or None when absent."""
    def find(self, tag: int) -> ScannedElement | None:
        """The record of `tag` as (tag, vr, flags, header_offset,
        value_offset, length), or None. vr is the 2-character VR read from
        the data, or None for an implicit-VR element."""
    def record(self, index: int) -> ScannedElement:
        """The record at `index` (IndexError when out of range)."""
    def tags(self) -> list[int]:
        """All tags, ascending."""
    def select(self, tags: "set[int] | frozenset[int]") -> "ElementTable":
        """A new table with only the records whose tag is in `tags`."""
    def as_array(self) -> np.ndarray:
        """A read-only numpy structured array copy of the records with fields
        tag (u4), vr (S2), flags (u2), header_offset (i8), value_offset (i8),
        length (i8): for tests and benchmarks."""

class ItemTable:
    """The items of a sequence, or the fragments of encapsulated pixel data,
    in the order they appear."""

    @property
    def start(self) -> int:
        """Offset of the first byte scanned."""
    @property
    def stop_offset(self) -> int:
        """Offset where scanning stopped: the end of the range, the byte after
        a Sequence Delimitation Item, or (lenient) the header of a non-item
        tag or the first of fewer than 8 trailing bytes."""
    def __len__(self) -> int: ...
    def record(self, index: int) -> ScannedItem:
        """(flags, header_offset, value_offset, length) of item `index`;
        for an undefined-length item `length` is the span up to (not
        including) its Item Delimitation Item (FFFE,E00D)."""
    def as_array(self) -> np.ndarray: ...

def scan_dataset(
    buffer,
    start: int,
    end: int,
    implicit_vr: bool,
    little_endian: bool,
    *,
    is_item: bool = False,
    stop_before_pixels: bool = False,
    only_group: int = -1,
    lenient: bool = True,
    vr_switch: bool = True,
    depth: int = 0,
) -> ElementTable:
    """Scan the elements in buffer[start:end].

    * implicit_vr / little_endian: the assumed encoding. Before the first
      element the scanner checks the 2 VR bytes (pydicom's rule): for a
      top-level dataset (is_item False) the encoding follows what is found
      (two bytes both in 'A'..'Z' means explicit); for an item, an implicit
      assumption is kept, and an explicit one switches to implicit when the
      bytes are not letters.
    * vr_switch: within explicit VR, an element whose VR bytes are not in the
      range b"AA" <= vr <= b"ZZ" (bytewise, as pydicom compares) is read with
      an implicit header (pydicom's assume_implicit_vr_switch). A VR that is
      in that range but unknown is read with a 2-byte length.
    * Elements with undefined length are stepped over by following their item
      structure (items with defined length are skipped by length, items with
      undefined length are walked element by element, with an explicit stack,
      not recursion), whatever their VR: SQ, UN, OB/OW encapsulated pixel data
      or an implicit-VR element. The record's length is the span up to the
      Sequence Delimitation Item.
    * stop_before_pixels: stop at the header of (7FE0,0008), (7FE0,0009) or
      (7FE0,0010), which is not recorded; stop_offset points at it.
    * only_group >= 0: stop at the first element whose group differs (used
      for the File Meta group 0002 and the command group 0000).
    * The Item Delimitation Item (FFFE,E00D) ends the scan (stop_offset after
      it) as in pydicom; an Item tag (FFFE,E000) at dataset level is an error.
    * lenient: where pydicom tolerates truncation, so does the scanner: fewer
      than 8 bytes left at an element boundary ends the scan; a last value
      that runs past `end` is clipped (FLAG_TRUNCATED); an undefined-length
      value without delimiter runs to `end` (FLAG_NO_DELIMITER). With
      lenient=False each of these raises DicomTruncatedError.
    * Any length that overflows the range in a non-lenient position (an item
      or a nested element, a defined length that would end past a parent's
      end) raises DicomTruncatedError with the offset of the element/item
      header and its tag. Nesting deeper than MAX_NESTING_DEPTH raises
      DicomNestingError.
    * depth: how many sequences enclose this dataset (0 at the top level, 1
      in an item of a top-level sequence, ...). Undefined-length sequences
      met inside count on from there; depth > MAX_NESTING_DEPTH raises
      DicomNestingError at once. The Python layer passes its own level so
      that defined-length nesting is bounded too.
    * lenient is the same at every level (is_item only changes the VR
      check): inside an undefined-length value a length past `end` gives
      FLAG_NO_DELIMITER (lenient) or DicomTruncatedError; a value that is not
      item-structured gives FLAG_DELIMITER_SEARCHED (lenient) or
      DicomParseError; a Sequence Delimitation Item inside an undefined-length
      item closes the item and the sequence (lenient) or raises.
    * An explicit-VR element whose 12-byte header does not fit before `end`
      ends the scan like a short header (lenient; pydicom raises
      struct.error there) or raises DicomTruncatedError.
    """

def scan_items(
    buffer,
    start: int,
    end: int,
    implicit_vr: bool,
    little_endian: bool,
    *,
    lenient: bool = True,
    depth: int = 0,
) -> ItemTable:
    """Scan the items in buffer[start:end] (the value of a sequence, or of
    encapsulated pixel data). Stops at a Sequence Delimitation Item if one
    is met. A tag other than an item tag raises DicomParseError (or, lenient,
    ends the scan: stop_offset points at it; pydicom would read it as an
    item). Lenient, an item running past `end` is clipped (FLAG_TRUNCATED)
    and an undefined-length item without delimiter runs to `end`
    (FLAG_NO_DELIMITER); otherwise DicomTruncatedError.

    depth: how many sequences enclose the dataset holding this sequence
    (the depth that dataset was scanned with); the items' datasets are at
    depth + 1 and depth >= MAX_NESTING_DEPTH raises DicomNestingError."""

def find_sequence_delimiter(buffer, start: int, end: int, little_endian: bool) -> int:
    """Offset of the first (FFFE,E0DD) tag in buffer[start:end] by a plain
    byte search, or -1: pydicom's way of finding the end of an
    undefined-length value that is not item-structured."""

def read_path(path: str, limit: int = -1) -> tuple[bytes, float, bool]:
    """Read the file at `path`: (its bytes, its mtime as os.stat gives it,
    whether that is all of it). At most `limit` bytes when limit >= 0; the
    system calls run without the GIL. Raises the OSError subclass of the
    error, naming `path`."""

class FileScan:
    """The parts scan_file found in a DICOM file's data (PS3.10 §7.1)."""

    view: bytes | memoryview
    preamble: bytes | None
    meta: ElementTable
    command: ElementTable | None
    table: ElementTable | None
    position: int
    guessed: bool
    implicit: bool
    little: bool
    deflated: bool
    needs_more: bool
    unusual: bool

class Source:
    """Where a dataset's bytes live, shared by a dataset and its items."""

    data: bytes | memoryview
    view: memoryview
    filename: str | None
    def __init__(self, view: bytes | memoryview, filename: str | None) -> None: ...

def bind_reader(
    zero_preamble: bytes,
    known_encodings: dict[bytes, tuple[bool, bool, bool, bool]],
    dataset_encoding: Any,
    known_charsets: dict[bytes, tuple[str, ...]],
    character_set_of: Any,
    default_encoding: str,
    file_dataset_class: type,
    file_meta_class: type,
    store_class: type,
) -> None: ...
def scan_file(
    view: bytes | memoryview,
    position: int,
    preamble: bytes | None,
    complete: bool,
    stop_before_pixels: bool,
    vr_switch: bool,
    keep_header_only: bool,
    known_encodings_apply: bool,
) -> FileScan | None:
    """Scan the File Meta group, a command set and the dataset of a file's
    data; None when `position` is -1 and there is no 'DICM' prefix."""

def file_dataset(
    scan: FileScan, table: ElementTable, view: bytes | memoryview,
    data_view: bytes | memoryview,
    filename: str | None, fp: Any, mtime: float | None,
) -> Any:
    """The FileDataset of a scanned file with its file_meta, as dcmread gives them."""

STORE_ABSENT: Final[object]
"""What StoreCore.fast_value returns for a tag the store does not hold."""
STORE_SLOW: Final[object]
"""What StoreCore.fast_value returns when the Python path must make the value."""
NO_TAGS: Final[frozenset[int]]
"""A StoreCore's `_removed` until a table tag is deleted (shared, immutable)."""
NO_EXTRA: Final[Mapping[int, None]]
"""A StoreCore's `_extra` until a tag is added (shared, immutable)."""

def bind_store(
    convert_record: Any,
    declined: object,
    dictionary: dict[int, tuple],
    charset_vrs: Iterable[str],
    hooks: Any,
    default_vr_hook: Any,
    default_value_hook: Any,
    config: Any,
    convert_record_capsule: Any = None,
) -> None:
    """Give StoreCore the Python state it reads (called once by fastdicom.dataset)."""

def bind_sequences(
    sequence_context: Any,
    item_class: type,
    store_class: type,
    finish_item: Any,
    check_truncation: Any,
    name_sequence: Any,
    item_template: Any,
) -> None:
    """Give StoreCore what it needs to read a sequence by keyword (called once by fastdicom.dataset)."""

class StoreCore:
    """The state of one dataset level's element store, and its fast path."""

    _table: ElementTable | None
    _source: Any
    _done: dict[int, Any]
    _removed: AbstractSet[int]
    _extra: Mapping[int, None]
    _values: dict[int, Any]
    _deferred: dict[int, tuple[int, int]] | None
    _implicit: bool
    _little: bool
    def has_values(self) -> bool:
        """Whether values read by keyword are kept (without making `_values`)."""
    def publish(self, tag: int, elem: Any) -> Any:
        """Store `elem` unless another thread stored its conversion first; STORE_SLOW off the table."""
    def fast_value(self, tag: int, dataset: Any) -> Any:
        """The value of `tag` read from its record, STORE_ABSENT or STORE_SLOW."""
    def identity(self, tag: int) -> Any:
        """A token that changes when the element of `tag` or its value is replaced; None when absent."""
    def identities(self, tags: Iterable[int]) -> list[Any]:
        """identity() of each tag."""
    def items_pixel_rep(self, attributes: dict[str, Any]) -> Any:
        """The Pixel Representation the items of this level's sequences inherit."""

class KeywordValue:
    """The class attribute of one element keyword on Dataset."""

    tag: int
    name: str
    def __init__(self, tag: int, name: str) -> None: ...
    def __get__(self, instance: Any, owner: type) -> Any: ...

class ItemMaker:
    """Makes the Dataset of one item of a sequence read from data."""

    def __init__(
        self,
        buffer: Any,
        source: Any,
        items: ItemTable,
        implicit: bool,
        little: bool,
        vr_switch: bool,
        depth: int,
        tell_base: int,
        template: dict[str, Any],
        sequence_tag: int,
        filename: str | None,
    ) -> None: ...
    def __call__(self, index: int) -> Any: ...

def bind_model(element_class: type | None = None, sequence_class: type | None = None) -> None:
    """Give the compiled store and sequence maker the model's classes (fastdicom.dataset, fastdicom.sequence)."""

def sequence_getitem(self: Any, index: Any) -> Any:
    """Sequence.__getitem__: an item of a sequence read from data is made on first access."""

def sequence_items(self: Any) -> list[Any]:
    """Make every item of a sequence read from data not made yet; returns the item list."""

def dataset_from_table(
    dataset_class: type, store_class: type, table: ElementTable, source: Any, parent_encoding: Any
) -> Any:
    """A Dataset over a scanned table, as Dataset._from_table makes it."""

def init_dataset(dataset: Any, store: Any, parent_encoding: Any, implicit: Any, little: Any) -> None:
    """Give a new Dataset its instance attributes (Dataset._init_attributes)."""

def on_demand_sequence(sequence_class: type, make_item: Any, count: int, undefined: bool) -> Any:
    """A Sequence read from data whose items are made on first access."""
