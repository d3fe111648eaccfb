"""Contract of the compiled header index ``fastdicom._index`` (src_pyx/_index.pyx).

:func:`extract` reads a batch of files and writes one row per file into
per-column C buffers, without the GIL: open + read of the header bytes (up
to the Pixel Data header; 16 KiB first, more when the header is longer),
the scanner's C core (``_scan_core.pxi``) over the File Meta group and the
dataset, a binary search per requested tag, and the conversion of each
value into its column type. No Python object per element or value: one
buffer per column buffer per batch, or (given the schema) one Arrow
record batch laid out without the GIL. Rows it declines (no DICM preamble,
Deflated/Big Endian syntaxes, text bytes outside ASCII) have status
STATUS_DECLINED and null values: ``fastdicom.index`` fills them through
``fastdicom.dcmread``.
"""

from typing import Any

STATUS_NAMES: tuple[str, ...]
"""``("ok", "not_dicom", "empty", "truncated", "parse_error", "io_error")`` by code."""
STATUS_DECLINED: int
"""Code of a row left to the Python path."""
LEAF_NAMES: tuple[str, ...]
"""Leaf kinds by code: str pn date time datetime f64 f32 i64 i32 i16 bulk other frames."""

class Plan:
    """The columns to extract, built once per schema.

    columns: ``(tag, leaf_code, is_list, dictionary_vr, keyword, parent,
    seq_tag)`` each; dictionary_vr is a 2-letter VR, ``"US or SS"`` or ``""``;
    parent is -1, or the index of the ``frames`` column (Per-frame Functional
    Groups, one value per item) whose field this is, found in the first item
    of the functional group sequence `seq_tag` of each frame's item, else of
    the Shared Functional Groups item. Fields come after every column.
    """

    def __init__(self, columns: list[tuple[int, int, bool, str, str, int, int]]) -> None: ...
    def __len__(self) -> int: ...

DIRECTORY_TEXT: str
"""The error of an io_error row whose path is a directory."""
KIND_OTHER: int
"""path_kinds: the path does not exist or cannot be stat'ed."""
KIND_DIRECTORY: int
"""path_kinds: a directory (symbolic links followed)."""
KIND_FILE: int
"""path_kinds: anything else that exists."""

class OwnedBuffer:
    """A compiled buffer handed over without a copy: read-only, bytes-like
    (buffer protocol), freed with its last reference."""

    def __len__(self) -> int: ...
    def __buffer__(self, flags: int) -> memoryview: ...

def extract(plan: Plan, paths: list[bytes] | list[str], schema: Any = None) -> dict:
    """Rows of `paths` (file system paths, str or bytes), in order.

    With `schema` (the ``pyarrow.Schema`` of the plan's index columns), the
    batch comes back as one ``pyarrow.RecordBatch`` laid out without the GIL
    and handed over through the Arrow C data interface: ``batch``,
    ``status`` (uint8 codes), ``declined``, ``directories`` and
    ``paths_ascii`` (False: the ``path`` column must be spelled by Python).
    Without it:

    Returns ``status`` (uint8 codes), ``file_size`` and ``mtime_ns`` (int64),
    ``error`` (int32 offsets, data, validity), ``warnings`` (int32 list
    offsets per row, int32 string offsets, data), and ``columns``: per column
    ``valid`` (uint8 per row), ``list_off`` (int32, rows + 1, for lists),
    ``item_valid`` (uint8 per value), ``values``/``values2``/``values3``
    (fixed-width values: the leaf, or bulk offset/length, or the private
    element's tag/offset/length), ``count`` (values) and ``s`` (three string
    builders: the string leaf, the PN component groups, or creator and VR).
    Every buffer is an :class:`OwnedBuffer` (bytes-like, no copy).
    Arrow-ready extras, built without the GIL: ``valid_bits``, ``item_bits``
    and ``s_bits`` per column, ``error_bits`` and ``warnings_bits`` (each
    ``(bitmap or None, null count)``), ``status_text`` and ``path_text``
    (string offsets and data; ``path_text`` is None when a path is not
    ASCII), ``declined`` (the count of rows left to the Python path).
    A ``frames`` column counts frames (its fields' columns, after every
    column, have one row per frame).
    Never raises for a bad file; MemoryError when buffers cannot grow.
    """

def path_kinds(paths: list[bytes] | list[str]) -> bytes:
    """One ``stat`` per path without the GIL: KIND_OTHER, KIND_DIRECTORY or
    KIND_FILE per path."""

def is_listing(paths: list[Any]) -> bool:
    """Whether every item is exactly ``str`` and the list strictly ascending
    (sorted and distinct); True when empty."""

def pack_paths(paths: list[str]) -> bytes:
    """`paths` as one compact ``bytes`` (each path: the length of the start
    it shares with the one before, and the rest in UTF-8, surrogatepass)."""

def unpack_paths(data: bytes) -> list[str]:
    """The paths :func:`pack_paths` packed; ValueError on damaged data."""
