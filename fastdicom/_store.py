"""The store layer: the one module that imports the compiled scanner.

Everything a dataset read from bytes keeps, and every reading of those bytes,
goes through here (issue 8, "one store layer"):

* the file read and its parts: :func:`read_path` (the system calls without
  the GIL), :func:`scan_file` (prefix, File Meta group, command set,
  encoding, dataset), :func:`file_dataset` (the FileDataset over them);
* the source buffer (:class:`Source`) and the element tables with named
  records (:class:`ElementTable` of :class:`ScannedElement`,
  :class:`ItemTable` of :class:`ScannedItem`), from :func:`scan_dataset`
  and :func:`scan_items`;
* the store core the model's ``_ElementStore`` builds on
  (:class:`StoreCore`: the compiled keyword path, the values cached, the
  elements published) and the sequence items made on first access
  (:class:`ItemMaker`, :func:`on_demand_sequence`);
* the diagnostics of data cut short (:func:`check_truncation`,
  :func:`name_sequence`) and the re-reading of values left unread by
  ``defer_size`` (:func:`read_deferred_span`).

The object model (:mod:`fastdicom.dataset`), the reader and writer and the
features use these names, never ``fastdicom._parser`` itself; what the
compiled code needs from the model it is given by the ``bind_*`` calls of
the modules that own those rules.
"""

from __future__ import annotations

import os
from typing import Any

from fastdicom import config
from fastdicom._parser import (
    FLAG_DELIMITER_SEARCHED,
    FLAG_IMPLICIT,
    FLAG_LONG_HEADER,
    FLAG_NO_DELIMITER,
    FLAG_TRUNCATED,
    FLAG_UNDEFINED_LENGTH,
    MAX_NESTING_DEPTH,
    NO_EXTRA,
    NO_TAGS,
    STORE_ABSENT,
    STORE_SLOW,
    ElementTable,
    FileScan,
    ItemMaker,
    ItemTable,
    KeywordValue,
    ScannedElement,
    ScannedItem,
    Source,
    StoreCore,
    bind_model,
    bind_reader,
    bind_sequences,
    bind_store,
    dataset_from_table,
    file_dataset,
    find_sequence_delimiter,
    init_dataset,
    on_demand_sequence,
    read_path,
    scan_dataset,
    scan_file,
    scan_items,
    sequence_getitem,
    sequence_items,
)
from fastdicom.errors import DicomParseError, DicomTruncatedError

__all__ = [
    "CUT_FLAGS",
    "FLAG_DELIMITER_SEARCHED",
    "FLAG_IMPLICIT",
    "FLAG_LONG_HEADER",
    "FLAG_NO_DELIMITER",
    "FLAG_TRUNCATED",
    "FLAG_UNDEFINED_LENGTH",
    "MAX_NESTING_DEPTH",
    "NO_EXTRA",
    "NO_TAGS",
    "STORE_ABSENT",
    "STORE_SLOW",
    "ElementTable",
    "FileScan",
    "ItemMaker",
    "ItemTable",
    "KeywordValue",
    "ScannedElement",
    "ScannedItem",
    "Source",
    "StoreCore",
    "bind_model",
    "bind_reader",
    "bind_sequences",
    "bind_store",
    "check_deferred_file",
    "check_truncation",
    "dataset_from_table",
    "file_dataset",
    "find_sequence_delimiter",
    "init_dataset",
    "name_sequence",
    "on_demand_sequence",
    "read_deferred_span",
    "read_path",
    "scan_dataset",
    "scan_file",
    "scan_items",
    "sequence_getitem",
    "sequence_items",
]

# The record flags of a value cut short by the end of the data
CUT_FLAGS = FLAG_TRUNCATED | FLAG_NO_DELIMITER


def check_truncation(table: ElementTable, filename: str | None) -> None:
    """Warn (or raise, in strict mode) when the last element was cut short.

    pydicom tolerates a file that ends inside its last value; so does
    fastdicom, but says so.

    Parameters
    ----------
    table : ElementTable
        A dataset level as scanned.
    filename : str or None
        Named in the message.

    Raises
    ------
    DicomTruncatedError
        In strict reading mode (``config.settings.reading_validation_mode``
        is RAISE).
    """
    count = len(table)
    if not count or not table.has_flags(CUT_FLAGS):
        return
    # Only the element that runs into the end of the data can be cut short:
    # the last record when the tags were in order, else any record.
    indexes = (count - 1,) if table.in_order else range(count)
    cut = next((table.record(i) for i in indexes if table.record(i).flags & CUT_FLAGS), None)
    if cut is None:
        return
    what = (
        "End of file reached before delimiter found"
        if cut.flags & FLAG_NO_DELIMITER
        else "The value is shorter than its length field"
    )
    error = DicomTruncatedError(what, cut.header_offset, cut.tag, filename)
    if config.settings.reading_validation_mode == config.RAISE:
        raise error
    config.warn_and_log(str(error), UserWarning, stacklevel=2)


def name_sequence(exc: DicomParseError, tag: int, filename: str | None) -> DicomParseError:
    """`exc` with the sequence's tag when the scanner could name none, and
    with `filename`."""
    if exc.tag is None:
        exc.tag = int(tag)
    return exc.with_filename(filename)


def check_deferred_file(filename: str, timestamp: float | None) -> None:
    """Raise when the file of a deferred value is gone; warn when it changed
    since it was read.

    Raises
    ------
    OSError
        When `filename` no longer exists.
    """
    if not os.path.exists(filename):
        raise OSError(f"Deferred read -- original file {filename} is missing")
    if timestamp is not None and os.stat(filename).st_mtime != timestamp:
        config.warn_and_log("Deferred read warning -- file modification time has changed",
                            UserWarning, stacklevel=2)


def read_deferred_span(dataset: Any, raw: Any) -> Any:
    """`raw` (a RawDataElement left unread by ``defer_size``) with its value
    read again from the byte span recorded when `dataset` was read.

    Raises
    ------
    OSError
        When the dataset has no file name, or its file is gone.
    """
    filename = getattr(dataset, "filename", None)
    spans = getattr(dataset._dict, "_deferred", None) or {}
    offset, length = spans.get(int(raw.tag), (raw.value_tell, raw.length))
    if not isinstance(filename, str):
        raise OSError("Deferred read -- original filename not stored. Cannot re-open")
    check_deferred_file(filename, getattr(dataset, "timestamp", None))
    with open(filename, "rb") as handle:
        handle.seek(offset)
        data = handle.read(length)
    return raw._replace(value=data)
