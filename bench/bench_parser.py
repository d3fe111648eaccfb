"""Speed of the compiled scanner (fastdicom._parser).

Run with::

    python -m pytest bench/bench_parser.py --benchmark-columns=min,mean,ops

pydicom's own element walk over the same bytes is timed alongside for scale
(pydicom is a test-only dependency).
"""

from __future__ import annotations

import struct
from io import BytesIO

import pytest

from fastdicom._parser import scan_dataset, scan_items

pydicom = pytest.importorskip("pydicom")
from pydicom.data import get_testdata_file  # noqa: E402
from pydicom.filereader import data_element_generator  # noqa: E402


def _file_dataset(name: str) -> tuple[bytes, int, bool]:
    """(file bytes, offset after the File Meta group, implicit VR)."""
    with open(get_testdata_file(name), "rb") as f:
        data = f.read()
    meta = scan_dataset(data, 132, len(data), False, True, only_group=2)
    syntax = meta.find(0x00020010)
    implicit = data[syntax.value_offset : syntax.value_offset + syntax.length].rstrip(b"\0") == b"1.2.840.10008.1.2"
    return data, meta.stop_offset, implicit


def _many_elements(count: int) -> bytes:
    """`count` explicit VR LE elements with short values, in tag order."""
    return b"".join(
        struct.pack("<HH2sH", 0x0009, element, b"LO", 4) + b"abcd"
        for element in range(1, count + 1)
    )


@pytest.mark.parametrize("name", ["CT_small.dcm", "rtplan.dcm", "emri_small_RLE.dcm"])
def test_scan_file(benchmark, name):
    data, start, implicit = _file_dataset(name)
    table = benchmark(scan_dataset, data, start, len(data), implicit, True)
    assert len(table) > 10


def test_pydicom_element_walk_ct_small(benchmark):
    """pydicom's generator over the same elements, for scale."""
    data, start, _ = _file_dataset("CT_small.dcm")

    def walk():
        fp = BytesIO(data)
        fp.seek(start)
        return sum(1 for _ in data_element_generator(fp, False, True))

    assert benchmark(walk) > 10


def test_scan_10000_elements(benchmark):
    data = _many_elements(10_000)
    table = benchmark(scan_dataset, data, 0, len(data), False, True)
    assert len(table) == 10_000 and table.in_order


def test_scan_10000_elements_reversed(benchmark):
    """Out of order: the stable sort path."""
    elements = [
        struct.pack("<HH2sH", 0x0009, element, b"LO", 4) + b"abcd"
        for element in range(10_000, 0, -1)
    ]
    data = b"".join(elements)
    table = benchmark(scan_dataset, data, 0, len(data), False, True)
    assert len(table) == 10_000 and not table.in_order


def test_find_every_tag(benchmark):
    data, start, implicit = _file_dataset("CT_small.dcm")
    table = scan_dataset(data, start, len(data), implicit, True)
    tags = table.tags()
    find = table.find

    def lookups():
        for tag in tags:
            find(tag)

    benchmark(lookups)


def test_scan_encapsulated_fragments(benchmark):
    """10,000 fragments of encapsulated pixel data."""
    data = b"".join(struct.pack("<HHL", 0xFFFE, 0xE000, 16) + bytes(16) for _ in range(10_000))
    items = benchmark(scan_items, data, 0, len(data), False, True)
    assert len(items) == 10_000
