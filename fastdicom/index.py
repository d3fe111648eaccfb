"""A typed columnar index of DICOM headers: one row per file, at archive scale.

:func:`index` reads the header of every file given (files, directories walked
recursively, or a list of both) and returns a :class:`pyarrow.Table` with one
row per path: the fixed columns ``path``, ``file_size``, ``mtime_ns``,
``status``, ``error`` and ``warnings``, then one typed column per DICOM
keyword asked for (see :mod:`fastdicom._index_schema`). One bad file never
raises: it gets a status (``ok``, ``not_dicom``, ``empty``, ``truncated``,
``parse_error``, ``io_error``) and the reason.

The work per file (read the header bytes, scan, convert the values) is the
compiled :func:`fastdicom._index.extract`, which runs without the GIL, so the
batches of a thread pool run in parallel. Rows the compiled path declines
(no preamble, Deflated or Big Endian syntaxes, text outside ASCII) are read
with :func:`fastdicom.dcmread` and converted by the Python path below, which
follows the same rules.

With ``out=``, the job runs in deterministic shards (the sorted paths cut
every ``shard_size`` files), each written atomically beside the output with a
manifest, so a job killed half-way resumes with the shards not done; the
output is one Parquet file (zstd, compliant nested lists, rows clustered by
study and series) plus a series table (:func:`series_table`).
"""

from __future__ import annotations

import contextlib
import datetime
import hashlib
import itertools
import json
import math
import os
import re
import select
import sys
import threading
import time
import types
import warnings as warnings_module
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import numpy as np

from fastdicom import _index
from fastdicom._index_schema import (
    DEFAULT_COLUMNS,
    ColumnSpec,
    arrow_schema,
    column_specs,
    plan_entries,
)
from fastdicom._progress import Progress
from fastdicom.config import logger
from fastdicom.errors import DicomTruncatedError, InvalidDicomError
from fastdicom.filereader import dcmread

__all__ = [
    "DEFAULT_COLUMNS",
    "STATUSES",
    "index",
    "iter_paths",
    "manifest_table",
    "read_manifest",
    "series_table",
    "summary",
]

STATUSES: tuple[str, ...] = tuple(_index.STATUS_NAMES)
"""The values of the ``status`` column."""

BATCH_SIZE = 2048
"""Most files per call of the compiled extractor (a unit of work of the thread pool)."""

SHARD_SIZE = 10_000
"""Files per shard of a resumable job (``out=``)."""


def _require_pyarrow() -> Any:
    try:
        import pyarrow
    except ImportError as exc:  # pragma: no cover - depends on the environment
        raise ImportError(
            "fastdicom.index needs pyarrow: install it with 'pip install pyarrow'") from exc
    return pyarrow


# ---------------------------------------------------------------------------
# Inputs
# ---------------------------------------------------------------------------

def iter_paths(sources: Any, *, threads: int | None = None,
               pool: ThreadPoolExecutor | None = None) -> list[str]:
    """The files of `sources`, sorted, without duplicates.

    Parameters
    ----------
    sources : str, os.PathLike or iterable of them
        Files and directories; directories are walked recursively (hidden
        entries included, symbolic links to directories not followed). A path
        that does not exist is kept: its row says ``io_error``.
    threads : int, optional
        Threads that tell the directories from the files among many
        `sources` (one compiled ``stat`` each, without the GIL); default 1.
    pool : concurrent.futures.ThreadPoolExecutor, optional
        Where those threads run (a job's own pool).

    Returns
    -------
    list of str
    """
    if isinstance(sources, (str, bytes, os.PathLike)):
        sources = [sources]
    entries = list(sources)
    listing = _index.is_listing(entries)  # str, sorted and distinct: kept as it is
    if not listing:
        entries = [s if type(s) is str else os.fsdecode(s) for s in entries]
    kinds = _path_kinds(entries, threads or 1, pool)
    if _index.KIND_DIRECTORY not in kinds and listing:
        return entries  # files only, already sorted and distinct (a listing)
    found: set[str] = set()
    for source, kind in zip(entries, kinds):
        if kind == _index.KIND_DIRECTORY:
            for root, dirs, files in os.walk(source):
                dirs.sort()
                for name in files:
                    found.add(os.path.join(root, name))
        else:
            found.add(source)
    return sorted(found)


def _listing(sources: Any) -> list[str]:
    """The paths of `sources` as :func:`iter_paths` lists them, except that
    the entries of a list are not stat'ed: those that are directories are
    found, and walked, by the job (a single path is one stat)."""
    if isinstance(sources, (str, bytes, os.PathLike)):
        return iter_paths(sources)
    entries = list(sources)
    if _index.is_listing(entries):
        return entries  # one compiled pass: the main thread's time is the job's serial part
    return sorted({s if type(s) is str else os.fsdecode(s) for s in entries})


def _path_kinds(entries: list[str], workers: int, pool: ThreadPoolExecutor | None) -> bytes:
    """:func:`fastdicom._index.path_kinds` of `entries`, in chunks on `workers`
    threads when there are many (the stat calls run without the GIL)."""
    if workers <= 1 or len(entries) < 4096:
        return _index.path_kinds(entries)
    size = -(-len(entries) // workers)
    chunks = [entries[i:i + size] for i in range(0, len(entries), size)]
    if pool is not None:
        return b"".join(pool.map(_index.path_kinds, chunks))
    with ThreadPoolExecutor(workers) as own:
        return b"".join(own.map(_index.path_kinds, chunks))


# ---------------------------------------------------------------------------
# Compiled batches to Arrow
# ---------------------------------------------------------------------------

def _path_text(path: str) -> str:
    """The path as Arrow text: a name that is not UTF-8 (bytes decoded with
    surrogateescape by os.walk) shows its bad bytes as \\xNN escapes."""
    try:
        path.encode("utf-8")
    except UnicodeEncodeError:
        return os.fsencode(path).decode("utf-8", "backslashreplace")
    return path


# ---------------------------------------------------------------------------
# The Python path (rows the compiled path declines)
# ---------------------------------------------------------------------------

_TM = re.compile(r"^(\d\d)(\d\d)?(\d\d)?(?:\.(\d{1,6}))?$")
_TM_COLON = re.compile(r"^(\d\d):(\d\d)(?::(\d\d))?(?:\.(\d{1,6}))?$")
_DT = re.compile(r"^(\d{4})(\d\d)?(\d\d)?(\d\d)?(\d\d)?(\d\d)?(?:\.(\d{1,6}))?(?:[+-]\d{4})?$")


def _parse_da(text: str) -> datetime.date | None:
    """YYYYMMDD or YYYY.MM.DD, as the compiled parse_da."""
    text = text.strip()
    try:
        if len(text) == 8 and text.isdigit():
            return datetime.date(int(text[:4]), int(text[4:6]), int(text[6:]))
        if len(text) == 10 and text[4] == "." and text[7] == ".":
            return datetime.date(int(text[:4]), int(text[5:7]), int(text[8:]))
    except ValueError:
        return None
    return None


def _parse_tm(text: str) -> datetime.time | None:
    match = _TM.match(text) or _TM_COLON.match(text)
    if match is None or (_TM.match(text) and match.group(4) and not match.group(3)):
        return None
    h, m, s, frac = match.groups()
    h, m, s = int(h), int(m or 0), int(s or 0)
    if h > 23 or m > 59 or s > 60:
        return None
    return datetime.time(h, m, min(s, 59), int((frac or "").ljust(6, "0")))


def _parse_dt(text: str) -> datetime.datetime | None:
    match = _DT.match(text)
    if match is None:
        return None
    y, mo, d, h, mi, s, frac = match.groups()
    if frac is not None and s is None:
        return None
    try:
        return datetime.datetime(int(y), int(mo or 1), int(d or 1), int(h or 0), int(mi or 0),
                                 min(int(s or 0), 59), int((frac or "").ljust(6, "0")))
    except ValueError:
        return None


def _parse_is(text: str) -> int | None:
    text = text.strip()
    try:
        return int(text)
    except ValueError:
        pass
    try:
        value = float(text)
    except ValueError:
        return None
    return int(value) if math.isfinite(value) and value == int(value) else None


_INT_RANGES = {"i16": (-(2**15), 2**15 - 1), "i32": (-(2**31), 2**31 - 1),
               "i64": (-(2**63), 2**63 - 1)}


def _python_leaf(spec: ColumnSpec, value: Any, warn: Callable[[str], None]) -> Any:
    """One value of the object layer as a leaf of the column's type."""
    leaf = spec.leaf
    if value is None:
        return None
    if leaf == "str":
        return str(value)
    if leaf == "pn":
        parts: list[str | None] = list(str(value).split("=", 2))
        parts += [None] * (3 - len(parts))
        return dict(zip(("Alphabetic", "Ideographic", "Phonetic"), parts))
    if isinstance(value, str) and value.strip() == "" and leaf != "str":
        return None
    if leaf in ("date", "time", "datetime"):
        parsed: datetime.date | datetime.time | None
        if isinstance(value, (datetime.date, datetime.time)) and not isinstance(value, str):
            parsed = value
            if isinstance(value, datetime.datetime):
                parsed = value.replace(tzinfo=None)
        else:
            parse = {"date": _parse_da, "time": _parse_tm, "datetime": _parse_dt}[leaf]
            parsed = parse(str(value).rstrip())
        if parsed is None:
            warn(f"{spec.name}: value does not parse '{str(value)[:48]}'")
        return parsed
    if leaf in ("f64", "f32"):
        try:
            return float(value)
        except (TypeError, ValueError):
            warn(f"{spec.name}: value does not parse '{str(value)[:48]}'")
            return None
    if leaf in _INT_RANGES:
        number = _parse_is(str(value)) if isinstance(value, str) else (
            int(value) if isinstance(value, (int, float)) and float(value).is_integer() else None)
        low, high = _INT_RANGES[leaf]
        if number is None or not low <= number <= high:
            warn(f"{spec.name}: value does not parse '{str(value)[:48]}'")
            return None
        return number
    return None


def _python_value(spec: ColumnSpec, elem: Any, warn: Callable[[str], None]) -> Any:
    if spec.leaf == "bulk":
        value = elem.value
        return None if value is None else {"offset": None, "length": len(value)}
    value = elem.value
    if value is None or value == "" or (isinstance(value, bytes) and not value):
        return None
    if isinstance(value, bytes):
        warn(f"{spec.name}: value is not of a convertible VR")
        return None
    items = list(value) if isinstance(value, (list, tuple)) or type(value).__name__ == "MultiValue" \
        else [value]
    if spec.vr == "AE":
        items = [str(v).strip() for v in items]
    if spec.is_list:
        return [_python_leaf(spec, v, warn) for v in items] if items else None
    if len(items) > 1:
        warn(f"{spec.name}: several values for a single-valued element; kept the first")
    return _python_leaf(spec, items[0], warn) if items else None


def _python_frames(spec: ColumnSpec, ds: Any, warn: Callable[[str], None]) -> Any:
    """The ``frames`` column from the object layer (PS3.3 C.7.6.16)."""
    per_frame = ds.get(0x52009230)
    if per_frame is None or not per_frame.value:
        return None
    shared = ds.get(0x52009229)
    shared_item = shared.value[0] if shared is not None and shared.value else None

    def lookup(item: Any, field: ColumnSpec) -> Any:
        for source in (item, shared_item):
            group = source.get(field.seq_tag) if source is not None else None
            if group is not None and group.value:
                elem = group.value[0].get(field.tag)
                if elem is not None:
                    return _python_value(field, elem, warn)
        return None

    return [{field.name: lookup(item, field) for field in spec.fields}
            for item in per_frame.value]


def _looks_like_raw_dataset(head: bytes) -> bool:
    """A file without preamble starting with an element of group 0002 or 0008
    in either byte order (an ACR-NEMA-style stream), which dcmread reads with
    force=True."""
    if len(head) < 8:
        return False
    return (int.from_bytes(head[:2], "little") in (0x0002, 0x0008)
            or int.from_bytes(head[:2], "big") in (0x0002, 0x0008))


_PYTHON_PATH_LOCK = threading.Lock()


def _python_row(path: str, specs: list[ColumnSpec]) -> dict[str, Any]:
    """The row of one file read with fastdicom.dcmread (the declined rows).

    The reader's warnings go to the row's ``warnings`` column, not to the
    user: ``warnings.catch_warnings`` changes process-wide state, hence the
    lock (the Python path holds the GIL anyway)."""
    with _PYTHON_PATH_LOCK, warnings_module.catch_warnings(record=True) as caught:
        warnings_module.simplefilter("always")
        row = _python_row_unlocked(path, specs)
    if caught:
        row["warnings"] = (row["warnings"] or []) + [str(w.message)[:200] for w in caught]
    return row


def _python_row_unlocked(path: str, specs: list[ColumnSpec]) -> dict[str, Any]:
    warnings: list[str] = []
    row: dict[str, Any] = {"path": _path_text(path), "file_size": 0, "mtime_ns": 0, "status": "ok",
                           "error": None, "warnings": None}
    try:
        stat = os.stat(path)
        row["file_size"], row["mtime_ns"] = stat.st_size, stat.st_mtime_ns
        with open(path, "rb") as fp:
            head = fp.read(132)
    except OSError as exc:
        row.update(status="io_error", error=str(exc))
        return row
    if not head:
        row.update(status="empty", error="empty file")
        return row
    force = head[128:132] != b"DICM" and _looks_like_raw_dataset(head)
    if head[128:132] != b"DICM" and not force:
        row.update(status="not_dicom", error="no DICM prefix after the 128-byte preamble "
                   "(PS3.10 §7.1) and no dataset at the start")
        return row
    try:
        # bulk columns (Pixel Data) need the whole file; these rows are rare
        whole = any(spec.leaf == "bulk" for spec in specs)
        ds = dcmread(path, stop_before_pixels=not whole, force=force)
        for spec in specs:
            if spec.leaf == "other":
                row[spec.name] = [
                    {"tag": int(e.tag), "creator": e.private_creator, "vr": None,
                     "offset": None, "length": None}
                    for e in ds if e.tag.is_private and (e.tag & 0xFFFF) >= 0x1000]
                continue
            if spec.leaf == "frames":
                row[spec.name] = _python_frames(spec, ds, warnings.append)
                continue
            source = ds.file_meta if (spec.tag >> 16) == 2 and ds.file_meta is not None else ds
            elem = source.get(spec.tag)
            row[spec.name] = None if elem is None else _python_value(spec, elem, warnings.append)
    except DicomTruncatedError as exc:
        row.update(status="truncated", error=str(exc))
    except InvalidDicomError as exc:
        row.update(status="parse_error", error=str(exc))
    except Exception as exc:  # one bad file never stops the job
        row.update(status="parse_error", error=f"{type(exc).__name__}: {exc}")
    row["warnings"] = warnings or None
    return row


def _fill_declined(table: Any, codes: np.ndarray, specs: list[ColumnSpec],
                   paths: list[str]) -> Any:
    """Replace the rows the compiled path declined by the Python path's rows."""
    import pyarrow as pa

    declined = np.flatnonzero(codes == _index.STATUS_DECLINED)
    if declined.size == 0:
        return table
    rows = [_python_row(paths[i], specs) for i in declined]
    extra = pa.Table.from_pylist(rows, schema=table.schema)
    order = np.arange(table.num_rows, dtype=np.int64)
    order[declined] = table.num_rows + np.arange(declined.size)
    return pa.concat_tables([table, extra]).take(pa.array(order))


# ---------------------------------------------------------------------------
# Running batches: threads, progress
# ---------------------------------------------------------------------------

MIN_BATCH = 64
"""Fewest files in a batch (but the last): the last batches of a threaded job
are this small (~1 ms each), so that the threads end together (256: 2
threads 1.74x one thread on 8,000 files, 64: 1.84x, medians of 15 runs;
the GIL-held import of a batch is ~0.1 ms)."""


def _batch_bounds(count: int, workers: int) -> list[tuple[int, int]]:
    """Where the batches of `count` files start and stop.

    Big batches amortize the Arrow assembly (under the GIL, ~0.5 ms per
    batch of 60 columns whatever its rows); with several threads, each batch
    is a share of what is left (guided self-scheduling: 1/2 of a thread's
    share, between MIN_BATCH and BATCH_SIZE files), so the batches shrink
    towards the end and no thread waits long for the last one."""
    bounds = []
    start = 0
    while start < count:
        left = count - start
        size = BATCH_SIZE if workers <= 1 else -(-left // (2 * workers))
        size = max(MIN_BATCH, min(BATCH_SIZE, size))
        if left - size < MIN_BATCH and left <= BATCH_SIZE:
            size = left  # no stub of a batch at the end
        bounds.append((start, min(count, start + size)))
        start += size
    return bounds


_PLANS: dict[tuple[str, ...], tuple[Any, Any]] = {}


def _plan_and_schema(specs: list[ColumnSpec]) -> tuple[Any, Any]:
    """The compiled plan and the Arrow schema of `specs`, made once per set
    of columns (per job, per shard and per Dask task they cost the main
    thread ~1 ms, serial time of a threaded job). A column's name names its
    spec (a keyword, or the tag of an element without one)."""
    key = tuple(spec.name for spec in specs)
    found = _PLANS.get(key)
    if found is None:
        found = (_index.Plan(plan_entries(specs)), arrow_schema(specs))
        if len(_PLANS) >= 16:
            _PLANS.clear()
        _PLANS[key] = found
    return found


def _extract_table(paths: list[str], specs: list[ColumnSpec], threads: int | None,
                   progress: Progress | None = None, pool: ThreadPoolExecutor | None = None,
                   directories: list[str] | None = None) -> Any:
    """The index rows of `paths` in their order, using `threads` threads
    (those of `pool` when given); the paths that turned out to be
    directories (io_error rows) are added to `directories`."""
    import pyarrow as pa

    plan, schema = _plan_and_schema(specs)
    workers = threads or os.cpu_count() or 1
    batches = [paths[start:stop] for start, stop in _batch_bounds(len(paths), workers)]

    def run(batch: list[str]) -> Any:
        # one call per batch: open, read, scan and convert every file, and lay
        # out the Arrow arrays, without the GIL; Python gets the record batch
        raw = _index.extract(plan, batch, schema)
        table = pa.Table.from_batches([raw["batch"]])
        if not raw["paths_ascii"]:  # a name that is not ASCII: Python spells it
            table = table.set_column(0, schema.field(0),
                                     pa.array([_path_text(p) for p in batch], pa.string()))
        if raw["declined"]:
            codes = np.frombuffer(raw["status"], dtype=np.uint8)
            table = _fill_declined(table, codes, specs, batch)
        if directories is not None:
            directories.extend(batch[i] for i in raw["directories"])
        if progress is not None:
            progress.update(len(batch))
        return table

    if workers <= 1 or len(batches) <= 1:
        tables = [run(b) for b in batches]
    elif pool is not None:
        tables = list(pool.map(run, batches))
    else:
        with ThreadPoolExecutor(workers) as own:
            tables = list(own.map(run, batches))
    if not tables:
        return arrow_schema(specs).empty_table()
    # one chunk per batch, left as they are (see _index_job)
    return pa.concat_tables(tables)


def _shard_table(paths: list[str] | bytes, columns: list[Any] | None, threads: int = 1,
                 target: str | None = None) -> Any:
    """The rows of `paths`: the task sent to Dask workers.

    `paths` may come packed in one ``bytes`` (:func:`fastdicom._index.pack_paths`,
    each path as the part it does not share with the one before): Dask walks
    a list argument item by item looking for futures, ~2 us per path on the
    client, and sends a task's arguments from the client through the
    scheduler to the worker at ~5 ms per MB, where a listing's packed paths
    are about a ninth of their text.

    The result is the table (Dask sends it as Arrow IPC; a tuple would be
    pickled array by array), or None when the table went to the Arrow IPC
    file `target`, in the client's scratch directory, when this worker runs
    on the client's machine (the directory exists): the client maps the file
    without a copy and never gathers the result, where a table sent through
    the scheduler's connections costs both ends about a sixth of the work
    of indexing it, and each gather a round trip through the scheduler.
    """
    if isinstance(paths, bytes):
        paths = _index.unpack_paths(paths)
    table = _extract_table(paths, column_specs(columns), threads)
    if target is not None and os.path.isdir(os.path.dirname(target)):
        import pyarrow as pa

        part = f"{target}.{os.getpid()}.part"
        try:
            with pa.OSFile(part, "wb") as sink, pa.ipc.new_file(sink, table.schema) as writer:
                writer.write_table(table)
            os.replace(part, target)  # whole, or not there
        except OSError:  # a full or read-only scratch: send the table itself
            with contextlib.suppress(OSError):
                os.unlink(part)
            return table
        _signal_done(target)
        return None
    return table


DONE_PIPE = "done"
"""The named pipes of a job's scratch directory (``done-RUN``, one per run of
tasks) on which a worker on the client's machine names each table it left
there (see :class:`_Completions`)."""


def _signal_done(target: str) -> None:
    """Name `target` on its scratch directory's pipe, when the client listens
    (else it learns of the task from Dask, as a remote worker's)."""
    try:
        run = os.path.basename(target).split("-")[1]  # task-RUN-K.arrow
        fd = os.open(os.path.join(os.path.dirname(target), f"{DONE_PIPE}-{run}"),
                     os.O_WRONLY | os.O_NONBLOCK)
    except (OSError, AttributeError):  # no pipe, nobody reading, or no O_NONBLOCK
        return
    try:
        # one write of less than PIPE_BUF bytes: never mixed with another's
        os.write(fd, os.path.basename(target).encode() + b"\n")
    except OSError:  # a full pipe: the client asks Dask after a while
        pass
    finally:
        os.close(fd)


class _Completions:
    """The tasks of a Dask job as they finish, told by their worker or by Dask.

    A worker on the client's machine names the table it left in the
    scratch directory on the directory's named pipe (:func:`_signal_done`)
    as soon as the file is whole, where Dask's own word (worker to
    scheduler to client, ~2 ms here) comes later; each future's done
    callback names its task on the same pipe, so a remote worker's task,
    a table sent back, or an error is seen too. Each task is given once,
    whichever word comes first. Iterating yields task numbers.
    """

    def __init__(self, scratch: str, run: int, count: int) -> None:
        path = os.path.join(scratch, f"{DONE_PIPE}-{run}")
        os.mkfifo(path, 0o600)
        # the client's own write end keeps the pipe from reading end-of-file
        # while no worker has it open
        self._read = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
        self._write: int | None = os.open(path, os.O_WRONLY | os.O_NONBLOCK)
        self._lock = threading.Lock()
        self._futures: list[Any] = []
        names = [os.path.basename(_task_target(scratch, run, k)).encode() for k in range(count)]
        self._numbers = {name: k for k, name in enumerate(names)}
        self._names = [name + b"\n" for name in names]

    def watch(self, futures: list[Any]) -> Iterator[int]:
        """The numbers of `futures`' tasks as they end (each once)."""
        self._futures = futures
        for k, future in enumerate(futures):
            future.add_done_callback(lambda _, k=k: self._note(k))
        return iter(self)

    def _note(self, k: int) -> None:
        # Dask's callback thread; never a write to a closed (maybe reused) fd
        with self._lock:
            if self._write is not None:
                with contextlib.suppress(OSError):
                    os.write(self._write, self._names[k])

    def __iter__(self) -> Iterator[int]:
        seen: set[int] = set()
        pending = b""
        while len(seen) < len(self._futures):
            ready, _, _ = select.select([self._read], [], [], 1.0)
            if ready:
                data = os.read(self._read, 65536)
                *lines, pending = (pending + data).split(b"\n")
                found = [self._numbers[line] for line in lines if line in self._numbers]
            else:  # a word lost to a full pipe: ask Dask
                found = [k for k, future in enumerate(self._futures) if future.done()]
            for k in found:
                if k not in seen:
                    seen.add(k)
                    yield k

    def close(self) -> None:
        with self._lock:
            if self._write is not None:
                os.close(self._write)
                self._write = None
                os.close(self._read)


def _receive(future: Any, target: str) -> Any:
    """The table of a finished Dask task (:func:`_shard_table`): its Arrow IPC
    file `target`, mapped in place and unlinked (the mapping keeps the
    pages), or else the task's result (which raises the task's error)."""
    if not os.path.exists(target):
        return future.result()
    import pyarrow as pa

    with pa.memory_map(target) as source:
        table = pa.ipc.open_file(source).read_all()
    with contextlib.suppress(OSError):  # Windows: still mapped; the scratch goes at the end
        os.unlink(target)
    return table


def _directory_rows(table: Any, paths: list[str]) -> list[str]:
    """The paths of `table`'s rows (one per path of `paths`) that are directories."""
    import pyarrow.compute as pc

    if table.column("error").null_count == table.num_rows:
        return []  # no row with an error (the counts are the arrays' metadata)
    mask = pc.and_(pc.equal(table.column("status"), "io_error"),
                   pc.equal(table.column("error"), _index.DIRECTORY_TEXT))
    return [paths[i] for i in np.flatnonzero(mask.to_numpy(zero_copy_only=False))]


TASKS_PER_WORKER = 2
"""Dask tasks per worker thread of a job, of equal sizes: two keep the
workers busy to the end; each more costs the client ~1.5 ms."""

MIN_TASK_FILES = 256
"""Fewest files in a Dask task (a task costs the scheduler and the client ~1 ms)."""


def _task_bounds(total: int, slots: int, most: int) -> list[tuple[int, int]]:
    """Where the Dask tasks of a job of `total` files start and stop.

    As many tasks as TASKS_PER_WORKER per worker thread (`slots`), but at
    most `most` files (a shard) and at least MIN_TASK_FILES each, then
    rounded up to a multiple of `slots` and cut to equal sizes: with 5
    shards on 2 workers, 5 tasks of a shard each would keep one worker busy
    for 3 tasks and the other for 2 (a job 1.1x faster on 2 workers than on
    one instead of 1.7x); 6 tasks of 5/6 of a shard keep both busy to the end.
    """
    if total <= 0:
        return []
    size = max(MIN_TASK_FILES, min(max(1, most), -(-total // (TASKS_PER_WORKER * slots))))
    count = -(-total // size)
    if count >= slots:
        # a multiple of the threads: up, unless the tasks would get too small
        up = -(-count // slots) * slots
        count = up if total // up >= MIN_TASK_FILES else count // slots * slots
    return [(total * k // count, total * (k + 1) // count) for k in range(count)]


_DASK_RUNS = itertools.count()


def _task_target(scratch: str, run: int, k: int) -> str:
    """Where the worker of task `k` of `run` leaves its table."""
    return os.path.join(scratch, f"task-{run}-{k:06d}.arrow")


@contextlib.contextmanager
def _scratch_dir() -> Iterator[str]:
    """A private directory where workers on this machine leave their tables
    (in memory, /dev/shm, when there is one), removed after the job."""
    import shutil
    import tempfile

    shm = "/dev/shm"
    path = tempfile.mkdtemp(prefix="fastdicom-index-",
                            dir=shm if os.path.isdir(shm) and os.access(shm, os.W_OK) else None)
    try:
        yield path
    finally:
        shutil.rmtree(path, ignore_errors=True)


@contextlib.contextmanager
def _dask_client(scheduler: Any, workers: int | None) -> Iterator[Any]:
    """The client to run on: `scheduler` (a client or an address), the
    current client, or a LocalCluster of `workers` processes started for the
    job and closed after it."""
    try:
        import distributed
    except ImportError as exc:
        raise ImportError("engine='dask' needs dask.distributed: install it with "
                          "'pip install dask distributed'") from exc
    own = None
    if isinstance(scheduler, distributed.Client):
        client = scheduler
    elif scheduler is not None:
        client = own = distributed.Client(scheduler)
    else:
        try:
            client = distributed.get_client()
        except ValueError:
            cluster = distributed.LocalCluster(n_workers=workers or os.cpu_count() or 1,
                                               threads_per_worker=1, processes=True,
                                               dashboard_address=None)
            client = own = distributed.Client(cluster)
    try:
        yield client
    finally:
        if own is not None:
            cluster = own.cluster
            own.close()
            if cluster is not None and scheduler is None:
                cluster.close()


def _run_dask(client: Any, shards: list[list[str]], columns: list[Any] | None,
              on_done: Callable[[int, Any], None], directories: list[str] | None,
              scratch: str | None = None) -> None:
    """Run `shards` on the Dask `client`; ``on_done(k, table)`` as shard k completes.

    Tasks are not shards: the files of the job, in order, are cut into
    tasks of equal size (:func:`_task_bounds`: about TASKS_PER_WORKER per
    worker thread, a multiple of the threads, none larger than a shard), so
    that the workers stay busy to the end whatever the shard size, while
    the client (which receives every result) and the scheduler see few
    tasks. A task may hold the end of one shard and the start of the next:
    a shard's table is the slices of its tasks' tables, put back together
    in order (without a copy) when its last task is in. Workers on this
    machine hand their tables over as files in `scratch` (see
    :func:`_shard_table`). The paths whose rows say they are directories
    are added to `directories` (when not None)."""
    import distributed

    slots = max(1, sum(client.nthreads().values()))
    starts = list(itertools.accumulate((len(shard) for shard in shards), initial=0))
    total = starts[-1]
    bounds = _task_bounds(total, slots, max((len(shard) for shard in shards), default=1))
    packed = []
    # per task, its pieces: (shard, offset in the task, rows); per shard, its tasks
    pieces: list[list[tuple[int, int, int]]] = []
    left = [0] * len(shards)
    number = 0
    for begin, stop in bounds:
        chunks, mine = [], []
        position = begin
        while position < stop:
            while starts[number + 1] <= position:
                number += 1
            end = min(stop, starts[number + 1])
            chunks.append(shards[number][position - starts[number]:end - starts[number]])
            mine.append((number, position - begin, end - position))
            left[number] += 1
            position = end
        packed.append(_index.pack_paths(list(itertools.chain.from_iterable(chunks))))
        pieces.append(mine)
    parts: list[list[Any]] = [[] for _ in shards]
    run = next(_DASK_RUNS)
    targets = [_task_target(scratch, run, k) if scratch else None for k in range(len(packed))]
    # the pipe first, so that the first task to end can use it
    completions = _Completions(scratch, run, len(packed)) \
        if scratch and hasattr(os, "mkfifo") else None
    try:
        # one message for every task (client.map), and no gather of a
        # result that went to the scratch directory
        futures = client.map(_shard_table, packed, [columns] * len(packed), [1] * len(packed),
                             targets, pure=False)
        finished: Iterable[int]
        if completions is not None:
            finished = completions.watch(futures)
        else:
            order = {future.key: k for k, future in enumerate(futures)}
            finished = (order[future.key] for future in distributed.as_completed(futures))
        for k in finished:
            _take_result(k, futures[k], targets[k], pieces, parts, left, shards, directories,
                         on_done)
    finally:
        if completions is not None:
            completions.close()


def _take_result(k: int, future: Any, target: str | None, pieces: list[list[tuple[int, int, int]]],
                 parts: list[list[Any]], left: list[int], shards: list[list[str]],
                 directories: list[str] | None, on_done: Callable[[int, Any], None]) -> None:
    """The table of task `k`, cut into its shards' pieces; each shard whose
    pieces are all in goes to `on_done`."""
    import pyarrow as pa

    table = _receive(future, target) if target else future.result()
    for number, offset, rows in pieces[k]:
        piece = table if rows == table.num_rows else table.slice(offset, rows)
        parts[number].append((k, piece))
        left[number] -= 1
        if not left[number]:
            table_of_shard = pa.concat_tables([p for _, p in sorted(parts[number],
                                                                    key=lambda e: e[0])])
            parts[number] = []
            if directories is not None:
                directories.extend(_directory_rows(table_of_shard, shards[number]))
            on_done(number, table_of_shard)


# ---------------------------------------------------------------------------
# Shards, manifest, Parquet
# ---------------------------------------------------------------------------

def _shard_key(paths: list[str], names: list[str]) -> str:
    digest = hashlib.sha1()
    for text in names:
        digest.update(text.encode() + b"\0")
    digest.update(b"\1")
    for path in paths:
        digest.update(os.fsencode(path) + b"\0")
    return digest.hexdigest()


def _atomic_write_bytes(path: Path, data: bytes) -> None:
    tmp = path.with_name(path.name + f".tmp{os.getpid()}")
    with open(tmp, "wb") as fp:
        fp.write(data)
        fp.flush()
        os.fsync(fp.fileno())
    os.replace(tmp, path)


def _write_parquet(table: Any, path: Path, row_group_size: int = 65536) -> None:
    """Parquet as every reader takes it: zstd, compliant nested list names,
    signed integers only (the schema has no unsigned type), written to a
    temporary name and renamed."""
    import pyarrow.parquet as pq

    tmp = path.with_name(path.name + f".tmp{os.getpid()}")
    pq.write_table(table, tmp, compression="zstd", use_compliant_nested_type=True,
                   row_group_size=row_group_size, write_statistics=True)
    # on the disk before the rename makes it visible (a crash leaves the old
    # shard or the new one, never a half-written one: issue 12)
    with open(tmp, "rb+") as fp:
        os.fsync(fp.fileno())
    os.replace(tmp, path)


def read_manifest(out: str | os.PathLike[str]) -> dict[str, Any]:
    """The manifest of a sharded job writing `out` (``{}`` when none).

    Its ``shards`` list holds, per shard, the shard file, its row count, the
    key of its inputs and the count per status; the shard files hold the
    per-file manifest columns (path, file_size, mtime_ns, status).
    """
    path = _shard_dir(Path(out)) / "manifest.json"
    try:
        return json.loads(path.read_text())
    except (OSError, ValueError):
        return {}


def manifest_table(out: str | os.PathLike[str]) -> Any:
    """The per-file manifest of a sharded job writing `out`: ``path``,
    ``file_size``, ``mtime_ns``, ``shard`` and ``status`` of every file of the
    shards done so far (read from the shard files, which hold those columns)."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    shard_dir = _shard_dir(Path(out))
    tables = []
    for number, entry in sorted(read_manifest(out).get("shards", {}).items(),
                                key=lambda item: int(item[0])):
        part = pq.read_table(shard_dir / entry["file"],
                             columns=["path", "file_size", "mtime_ns", "status"])
        tables.append(part.append_column("shard", pa.array([int(number)] * part.num_rows,
                                                           pa.int32())))
    if not tables:
        return pa.table({"path": pa.array([], pa.string())})
    return pa.concat_tables(tables)


def _shard_dir(out: Path) -> Path:
    return out.with_name(out.name + ".shards")


def _cluster_order(table: Any) -> Any:
    """Rows clustered by study and series (then instance number and path), so
    that Parquet row groups and their statistics follow studies and series."""
    keys = [(name, "ascending") for name in
            ("StudyInstanceUID", "SeriesInstanceUID", "InstanceNumber")
            if name in table.column_names]
    return table.sort_by(keys + [("path", "ascending")])


def summary(table: Any) -> dict[str, int]:
    """How many rows have each status (every status present, zeros included)."""
    import pyarrow.compute as pc

    counts = dict.fromkeys(STATUSES, 0)
    for entry in pc.value_counts(table.column("status")).to_pylist():
        counts[entry["values"]] = counts.get(entry["values"], 0) + entry["counts"]
    return counts


def series_out_path(out: str | os.PathLike[str]) -> Path:
    """Where the series table of an index written to `out` goes."""
    out = Path(out)
    stem = out.name[:-8] if out.name.endswith(".parquet") else out.name
    return out.with_name(stem + ".series.parquet")


def index(
    sources: Any,
    columns: Iterable[Any] | None = None,
    *,
    threads: int | None = None,
    engine: str | None = None,
    progress: bool = True,
    out: str | os.PathLike[str] | None = None,
    update: bool = False,
    shard_size: int = SHARD_SIZE,
    scheduler: Any = None,
    throttle: float = 0.0,
) -> Any:
    """Index the headers of DICOM files into a typed Arrow table.

    Parameters
    ----------
    sources : str, os.PathLike or iterable of them
        Files and directories (walked recursively).
    columns : iterable of str or int, optional
        DICOM keywords or tags (``"PatientName"``, ``0x00100010``,
        ``"(0010,0010)"``), or ``"OtherElements"``; default
        :data:`~fastdicom._index_schema.DEFAULT_COLUMNS`.
    threads : int, optional
        Threads of the compiled extractor (default: the CPU count); with
        ``engine="dask"``, the number of local workers started.
    engine : {None, "threads", "dask"}, optional
        ``"dask"`` runs the shards on ``dask.distributed`` (the client in use,
        `scheduler`, or a LocalCluster), giving the same table.
    progress : bool, optional
        Show a progress bar when stderr is a terminal.
    out : str or os.PathLike, optional
        Write the index to this Parquet file (and the series table beside it,
        see :func:`series_out_path`); the work is sharded and resumable.
    update : bool, optional
        With `out`: keep the rows of files whose size and mtime did not change,
        read new or changed files and drop deleted ones.
    shard_size : int, optional
        Files per shard (with `out` or ``engine="dask"``).
    scheduler : str or distributed.Client, optional
        The Dask scheduler to use with ``engine="dask"``.
    throttle : float, optional
        Seconds to pause after each shard (to share a machine or storage).

    Returns
    -------
    pyarrow.Table
        One row per input path: in path order, or with `out`, as written
        (clustered by study and series); one chunk per batch of files (call
        ``combine_chunks()`` for one).
    """
    _require_pyarrow()
    if engine not in (None, "threads", "dask"):
        raise ValueError(f"Unknown engine {engine!r}: use None, 'threads' or 'dask'")
    if shard_size < 1:
        raise ValueError("shard_size must be >= 1")
    column_list = None if columns is None else (
        [columns] if isinstance(columns, (str, int)) else list(columns))
    specs = column_specs(column_list)
    schema = _plan_and_schema(specs)[1]
    workers = threads or os.cpu_count() or 1
    # one pool for the job: the stat of listed paths, then the batches
    pool = ThreadPoolExecutor(workers) if workers > 1 else None
    try:
        return _index_job(sources, specs, schema, column_list, workers, pool, engine=engine,
                          progress=progress, out=out, update=update, shard_size=shard_size,
                          scheduler=scheduler, throttle=throttle)
    finally:
        if pool is not None:
            pool.shutdown()


def _index_job(sources: Any, specs: list[ColumnSpec], schema: Any, column_list: list[Any] | None,
               threads: int, pool: ThreadPoolExecutor | None, *, engine: str | None,
               progress: bool, out: str | os.PathLike[str] | None, update: bool,
               shard_size: int, scheduler: Any, throttle: float) -> Any:
    """The body of :func:`index`, its arguments checked, with the job's pool."""
    import pyarrow as pa

    # Without out=, a listed path is not stat'ed to tell a directory from a
    # file (a stat per file costs ~15% of the job): the extractor's fstat
    # finds the directories, which are walked and indexed afterwards. A
    # sharded job (out=) needs its full list of files first.
    expand_later = out is None
    paths = _listing(sources) if expand_later else iter_paths(sources, threads=threads, pool=pool)

    kept = None
    if update:
        if out is None:
            raise ValueError("update=True needs out=")
        kept, paths = _unchanged_rows(Path(out), paths, schema)

    # Shards are the units of a resumable job (out=) and bound Dask's tasks;
    # a threaded job without out= is one stream of batches, not a shard at
    # a time (each shard's last batch would leave a thread idle)
    step = shard_size if out is not None or engine == "dask" else max(1, len(paths))
    shards = [paths[i:i + step] for i in range(0, len(paths), step)]
    bar = Progress("index", len(paths), enabled=progress)
    results: dict[int, Any] = {}
    names = [s.name for s in specs]
    shard_dir: Path | None = None
    manifest: dict[str, Any] = {}
    if out is not None:
        out = Path(out)
        shard_dir = _shard_dir(out)
        shard_dir.mkdir(parents=True, exist_ok=True)
        for stale in shard_dir.glob("*.tmp*"):
            stale.unlink()  # a write cut short by a kill: never renamed, never listed
        manifest = read_manifest(out)
        if manifest.get("columns") != names or update:
            manifest = {"columns": names, "shards": {}}
        for number, shard in enumerate(shards):
            entry = manifest["shards"].get(str(number))
            shard_file = shard_dir / f"shard-{number:06d}.parquet"
            if (entry and entry["key"] == _shard_key(shard, names) and shard_file.exists()):
                import pyarrow.parquet as pq

                results[number] = pq.read_table(shard_file, schema=schema)
                bar.update(len(shard))
        if results:
            logger.info("index: %d of %d shards already done, resuming", len(results), len(shards))

    def on_done(number: int, table: Any) -> None:
        results[number] = table
        if shard_dir is not None:
            shard_file = shard_dir / f"shard-{number:06d}.parquet"
            _write_parquet(table, shard_file)
            manifest["shards"][str(number)] = {
                "file": shard_file.name, "rows": table.num_rows,
                "key": _shard_key(shards[number], names), "status": summary(table)}
            _atomic_write_bytes(shard_dir / "manifest.json",
                                json.dumps(manifest, indent=1).encode())
            if throttle:
                time.sleep(throttle)

    todo = [n for n in range(len(shards)) if n not in results]
    directories: list[str] = []
    with contextlib.ExitStack() as stack:
        client = None
        scratch = None
        if engine == "dask" and (todo or expand_later):
            client = stack.enter_context(_dask_client(scheduler, threads))
            scratch = stack.enter_context(_scratch_dir())
        stack.callback(bar.close)

        def run(numbers: list[int], parts: list[list[str]],
                done: Callable[[int, Any], None]) -> None:
            if client is not None:
                def on_table(k: int, table: Any) -> None:
                    done(numbers[k], table)
                    bar.update(table.num_rows)

                _run_dask(client, [parts[n] for n in numbers], column_list, on_table,
                          directories if expand_later else None, scratch)
            else:
                for number in numbers:
                    done(number, _extract_table(parts[number], specs, threads, bar, pool,
                                                directories))

        run(todo, shards, on_done)
        if expand_later and directories:
            # the listed paths that are directories: their rows go, their files come
            dropped = set(directories)
            known = set(paths)
            extra = [p for p in iter_paths(directories, threads=threads, pool=pool)
                     if p not in known]
            bar.total = (bar.total or 0) + len(extra)
            extra_step = shard_size if engine == "dask" else max(1, len(extra))
            extra_shards = [extra[i:i + extra_step] for i in range(0, len(extra), extra_step)]
            extra_results: dict[int, Any] = {}
            run(list(range(len(extra_shards))), extra_shards, extra_results.__setitem__)
            keep = [i for i, path in enumerate(paths) if path not in dropped]
            listed = pa.concat_tables([results[n] for n in range(len(shards))])
            tables = [listed.take(pa.array(keep, pa.int64()))]
            tables += [extra_results[n] for n in range(len(extra_shards))]
            paths = [paths[i] for i in keep] + extra
            order = sorted(range(len(paths)), key=paths.__getitem__)
            results = {0: pa.concat_tables(tables).take(pa.array(order, pa.int64()))}
            shards = [paths]

    tables = [results[n] for n in range(len(shards))]
    if kept is not None:
        tables.append(kept)
    # one chunk per batch (or Dask task): combining them would copy the
    # whole table on one thread after the parallel work
    table = pa.concat_tables(tables) if tables else schema.empty_table()
    if kept is not None:
        table = table.sort_by([("path", "ascending")])
    counts = summary(table)
    logger.info("index: %d files: %s", table.num_rows,
                ", ".join(f"{k} {v}" for k, v in counts.items() if v))
    if out is None:
        return table
    table = _cluster_order(table)
    _write_parquet(table, out)
    _write_parquet(series_table(table), series_out_path(out))
    if update and shard_dir is not None:
        # the shards of an update are the new rows only: start afresh next time
        for stale in shard_dir.glob("shard-*.parquet"):
            stale.unlink()
        (shard_dir / "manifest.json").unlink(missing_ok=True)
    return table


def _unchanged_rows(out: Path, paths: list[str], schema: Any) -> tuple[Any, list[str]]:
    """Rows of the existing index whose file has the same size and mtime, and
    the paths still to read (new or changed); deleted files are dropped."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    if not out.exists():
        return None, paths
    old = pq.read_table(out)
    if old.schema.names != schema.names:
        logger.info("index --update: the columns changed, reading every file again")
        return None, paths
    old = old.cast(schema)
    old_paths = old.column("path").to_pylist()
    sizes = old.column("file_size").to_pylist()
    mtimes = old.column("mtime_ns").to_pylist()
    previous = {p: (s, m, i) for i, (p, s, m) in enumerate(zip(old_paths, sizes, mtimes))}
    keep, todo = [], []
    for path in paths:
        entry = previous.get(path)
        try:
            stat = os.stat(path)
        except OSError:
            todo.append(path)
            continue
        if entry is not None and entry[0] == stat.st_size and entry[1] == stat.st_mtime_ns:
            keep.append(entry[2])
        else:
            todo.append(path)
    return old.take(pa.array(sorted(keep), pa.int64())), todo


# ---------------------------------------------------------------------------
# The series table
# ---------------------------------------------------------------------------

SLICE_TOLERANCE_MM = 0.2
"""Largest deviation of a slice gap from the series' gap (dcm2niix's tolerance)."""
IN_PLANE_TOLERANCE_MM = 0.1
"""Largest difference of pixel spacings within a series (dcm2niix's tolerance)."""
ORIENTATION_TOLERANCE = 1e-4
"""Largest difference of direction cosines still one orientation."""


def _geometry(rows: list[dict[str, Any]]) -> dict[str, Any]:
    """Geometry checks of one series' instances (single-frame planes)."""
    result: dict[str, Any] = {
        "single_orientation": None, "unique_positions": None, "uniform_spacing": None,
        "slice_spacing": None, "consistent_pixel_spacing": None,
        "consistent_dimensions": None, "geometry_ok": None}
    dims = {(r.get("Rows"), r.get("Columns")) for r in rows}
    result["consistent_dimensions"] = len(dims) == 1
    spacings = [r.get("PixelSpacing") for r in rows]
    if all(s is not None and len(s) == 2 and None not in s for s in spacings):
        arr = np.array(spacings, dtype=float)
        result["consistent_pixel_spacing"] = bool(
            np.all(np.abs(arr - arr[0]) <= IN_PLANE_TOLERANCE_MM))
    orientations = [r.get("ImageOrientationPatient") for r in rows]
    positions = [r.get("ImagePositionPatient") for r in rows]
    if not all(o is not None and len(o) == 6 and None not in o for o in orientations) or \
            not all(p is not None and len(p) == 3 and None not in p for p in positions):
        return result
    iop = np.array(orientations, dtype=float)
    result["single_orientation"] = bool(np.all(np.abs(iop - iop[0]) <= ORIENTATION_TOLERANCE))
    normal = np.cross(iop[0, :3], iop[0, 3:])
    along = np.sort(np.array(positions, dtype=float) @ normal)
    gaps = np.diff(along)
    result["unique_positions"] = bool(np.all(gaps > SLICE_TOLERANCE_MM)) if gaps.size else True
    if gaps.size:
        spacing = float(np.median(gaps))
        result["slice_spacing"] = spacing
        result["uniform_spacing"] = bool(np.all(np.abs(gaps - spacing) <= SLICE_TOLERANCE_MM))
    else:
        result["uniform_spacing"] = True
    result["geometry_ok"] = bool(
        result["single_orientation"] and result["unique_positions"]
        and result["uniform_spacing"] and result["consistent_pixel_spacing"] is not False
        and result["consistent_dimensions"])
    return result


def _planes(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """One entry per image plane: the instance itself, or each frame of an
    enhanced multi-frame instance (its FrameGeometry, PS3.3 C.7.6.16)."""
    planes = []
    for row in rows:
        frames = row.get("FrameGeometry")
        if frames and row.get("ImagePositionPatient") is None:
            for frame in frames:
                planes.append({**frame, "Rows": row.get("Rows"), "Columns": row.get("Columns")})
        else:
            planes.append(row)
    return planes


# as idc-index names its series columns, so that the two tables join
SERIES_COLUMNS = ("StudyInstanceUID", "PatientID", "Modality", "SeriesDescription",
                  "SeriesNumber", "SeriesDate", "BodyPartExamined", "Manufacturer",
                  "ManufacturerModelName")


def series_table(table: Any) -> Any:
    """One row per series of an index (rows with status ok or truncated).

    Columns: ``SeriesInstanceUID``, the study, patient and series attributes
    of the index present (first value per series), IDC's ``instanceCount``
    and ``series_size_MB`` (sum of file sizes, 10^6 bytes), ``failedCount``
    (truncated files), and the geometry checks: one orientation, unique
    slice positions projected on the slice normal, uniform slice spacing
    (within 0.2 mm) and its value, pixel spacing (within 0.1 mm) and
    dimensions consistent, and ``geometry_ok`` when all hold.
    """
    import pyarrow as pa

    wanted = [c for c in ("path", "file_size", "status", "SeriesInstanceUID", *SERIES_COLUMNS,
                          "Rows", "Columns", "PixelSpacing", "ImagePositionPatient",
                          "ImageOrientationPatient") if c in table.column_names]
    if "SeriesInstanceUID" not in wanted:
        raise ValueError("The series table needs the SeriesInstanceUID column")
    if "FrameGeometry" in table.column_names:
        wanted.append("FrameGeometry")
    rows = table.select(wanted).to_pylist()
    groups: dict[str, list[dict[str, Any]]] = {}
    for row in rows:
        if row["status"] in ("ok", "truncated") and row["SeriesInstanceUID"]:
            groups.setdefault(row["SeriesInstanceUID"], []).append(row)
    out = []
    for uid in sorted(groups):
        members = groups[uid]
        entry: dict[str, Any] = {"SeriesInstanceUID": uid}
        for name in SERIES_COLUMNS:
            if name in table.column_names:
                entry[name] = next((r[name] for r in members if r[name] is not None), None)
        entry["instanceCount"] = len(members)
        entry["series_size_MB"] = sum(r["file_size"] for r in members) / 1e6
        entry["failedCount"] = sum(r["status"] != "ok" for r in members)
        entry.update(_geometry(_planes([r for r in members if r["status"] == "ok"] or members)))
        out.append(entry)
    fields = [pa.field("SeriesInstanceUID", pa.string())]
    fields += [table.schema.field(n) for n in SERIES_COLUMNS if n in table.column_names]
    fields += [pa.field("instanceCount", pa.int64()), pa.field("series_size_MB", pa.float64()),
               pa.field("failedCount", pa.int64()),
               pa.field("single_orientation", pa.bool_()), pa.field("unique_positions", pa.bool_()),
               pa.field("uniform_spacing", pa.bool_()), pa.field("slice_spacing", pa.float64()),
               pa.field("consistent_pixel_spacing", pa.bool_()),
               pa.field("consistent_dimensions", pa.bool_()), pa.field("geometry_ok", pa.bool_())]
    return pa.Table.from_pylist(out, schema=pa.schema(fields))


class _CallableModule(types.ModuleType):
    """``fastdicom.index`` is both this module and the function :func:`index`:
    ``fastdicom.index(DIR)`` calls it, and ``import fastdicom.index as m``
    still gives the module (a plain function attribute would shadow it)."""

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        return index(*args, **kwargs)


sys.modules[__name__].__class__ = _CallableModule
