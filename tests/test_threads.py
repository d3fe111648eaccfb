"""Threads (issue 12): datasets read once and touched from many threads at
once give the values one thread gives, and never crash.

A short run of ``tools/thread_hammer.py`` (a long one is run by hand): each
shared dataset is read lazily (``defer_size``), then 8 threads released
together on a barrier walk every value, its text, JSON, sequence items, the
pixel array and its cache, in orders of their own, then write it; every
digest must equal that of one thread over a fresh read. The header index with
a thread pool must give the table one thread gives.
"""

from __future__ import annotations

import importlib.util
import sys
import threading
import warnings
from pathlib import Path

import pytest

import fastdicom

pytest.importorskip("pydicom")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tools"))
import thread_hammer  # noqa: E402


@pytest.fixture(scope="module")
def paths() -> list[str]:
    found = thread_hammer.testdata_paths()
    assert len(found) >= 8
    return found


def test_hammer_shared_datasets(paths):
    result = thread_hammer.hammer(paths, threads=8, seconds=4.0, seed=12, min_rounds=2)
    assert result["walks"] >= 2 * len(paths) * 8
    assert not result["problems"], sorted(set(result["problems"]))[:20]


def test_concurrent_writers_see_the_whole_file_meta(paths):
    """Found by the hammer: writing took (0002,0000) out of the shared File
    Meta group for a moment, so a thread printing or writing the dataset at
    the same time lost it."""
    path = next(p for p in paths if p.endswith("CT_small.dcm"))
    expected = str(fastdicom.dcmread(path).file_meta)
    ds = fastdicom.dcmread(path)
    barrier = threading.Barrier(6)
    seen: list[str] = []

    def work(i: int) -> None:
        barrier.wait()
        for _ in range(30):
            if i % 2:
                thread_hammer._write(ds, thread_hammer.hashlib.sha256())
            else:
                seen.append(str(ds.file_meta))

    threads = [threading.Thread(target=work, args=(i,)) for i in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(seen) == 90 and set(seen) == {expected}


def test_lazy_sequence_items_materialized_concurrently(paths):
    """Items of a lazily read sequence reached first from many threads are
    the same objects, with the same values, in every thread."""
    path = next(p for p in paths if p.endswith("rtplan.dcm"))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        reference = [repr(item) for item in fastdicom.dcmread(path).BeamSequence]
        for _ in range(10):
            ds = fastdicom.dcmread(path)
            barrier = threading.Barrier(8)
            got: list[tuple[list[int], list[str]]] = []

            def work() -> None:
                barrier.wait()
                items = ds.BeamSequence
                got.append(([id(item) for item in items], [repr(item) for item in items]))

            threads = [threading.Thread(target=work) for _ in range(8)]
            for t in threads:
                t.start()
            for t in threads:
                t.join()
            assert len(got) == 8
            assert all(ids == got[0][0] for ids, _ in got)
            assert all(texts == reference for _, texts in got)


@pytest.mark.skipif(importlib.util.find_spec("pyarrow") is None, reason="pyarrow (the index extra)")
def test_index_thread_pool_equals_one_thread(paths):
    assert thread_hammer.index_hammer(paths, threads=4, repeats=2) == []
