"""Tests of the compiled scanner ``fastdicom._parser``.

Hand-built byte strings cover each encoding rule of PS3.5 §7; pydicom's test
files check the scanner against what pydicom reads; hostile input (truncation,
overflowing lengths, deep nesting, garbage) must raise a DicomParseError
subclass carrying offset and tag, never crash or hang.
"""

from __future__ import annotations

import mmap
import os
import random
import struct
import time
import warnings
import zlib

import numpy as np
import pytest

from fastdicom import _parser
from fastdicom._parser import (
    FLAG_DELIMITER_SEARCHED,
    FLAG_IMPLICIT,
    FLAG_LONG_HEADER,
    FLAG_NO_DELIMITER,
    FLAG_TRUNCATED,
    FLAG_UNDEFINED_LENGTH,
    MAX_NESTING_DEPTH,
    find_sequence_delimiter,
    scan_dataset,
    scan_items,
)
from fastdicom.errors import DicomNestingError, DicomParseError, DicomTruncatedError

UNDEFINED = 0xFFFFFFFF
ITEM = 0xFFFEE000
ITEM_DELIMITER = 0xFFFEE00D
SEQUENCE_DELIMITER = 0xFFFEE0DD
LONG_VRS = "OB OD OF OL OV OW SQ SV UC UN UR UT UV".split()
SHORT_VRS = (
    "AE AS AT CS DA DS DT FD FL IS LO LT PN SH SL SS ST TM UI UL US".split()
)

# ---------------------------------------------------------------------------
# Byte builders (PS3.5 §7.1, §7.5)
# ---------------------------------------------------------------------------


def _order(little: bool) -> str:
    return "<" if little else ">"


def explicit(tag: int, vr: str, value: bytes = b"", *, little=True, length=None) -> bytes:
    """An explicit VR element: 8-byte header, or 12 bytes for Table 7.1-1 VRs."""
    e = _order(little)
    length = len(value) if length is None else length
    head = struct.pack(f"{e}HH", tag >> 16, tag & 0xFFFF) + vr.encode("latin-1")
    if vr in LONG_VRS:
        return head + b"\0\0" + struct.pack(f"{e}L", length) + value
    return head + struct.pack(f"{e}H", length) + value


def implicit(tag: int, value: bytes = b"", *, little=True, length=None) -> bytes:
    """An implicit VR element: tag and 4-byte length."""
    e = _order(little)
    length = len(value) if length is None else length
    return struct.pack(f"{e}HHL", tag >> 16, tag & 0xFFFF, length) + value


def item(content: bytes = b"", *, undefined=False, little=True, length=None) -> bytes:
    """A sequence item (FFFE,E000); undefined length adds its delimiter."""
    if undefined:
        return implicit(ITEM, length=UNDEFINED, little=little) + content + implicit(
            ITEM_DELIMITER, little=little
        )
    return implicit(ITEM, content, little=little, length=length)


def sequence_delimiter(little=True) -> bytes:
    return implicit(SEQUENCE_DELIMITER, little=little)


def scan(data: bytes, implicit_vr=False, little=True, **kwargs) -> _parser.ElementTable:
    return scan_dataset(data, 0, len(data), implicit_vr, little, **kwargs)


def records(table) -> list[tuple]:
    return [table.record(i) for i in range(len(table))]


# ---------------------------------------------------------------------------
# Encodings
# ---------------------------------------------------------------------------


def test_implicit_little_endian():
    data = implicit(0x00100010, b"Doe^John") + implicit(0x00100020, b"12")
    table = scan(data, implicit_vr=True)
    assert table.implicit_vr and table.little_endian
    assert records(table) == [
        (0x00100010, None, FLAG_IMPLICIT, 0, 8, 8),
        (0x00100020, None, FLAG_IMPLICIT, 16, 24, 2),
    ]
    assert (table.start, table.stop_offset) == (0, len(data))
    assert table.in_order and table.duplicates == 0


def test_explicit_little_endian():
    data = explicit(0x00080060, "CS", b"CT") + explicit(0x00280010, "US", b"\x00\x02")
    table = scan(data)
    assert not table.implicit_vr
    assert records(table) == [
        (0x00080060, "CS", 0, 0, 8, 2),
        (0x00280010, "US", 0, 10, 18, 2),
    ]


def test_explicit_big_endian():
    data = explicit(0x00080060, "CS", b"MR", little=False) + explicit(
        0x7FE00010, "OW", b"\x00\x01" * 3, little=False
    )
    table = scan(data, little=False)
    assert not table.little_endian
    assert records(table) == [
        (0x00080060, "CS", 0, 0, 8, 2),
        (0x7FE00010, "OW", FLAG_LONG_HEADER, 10, 22, 6),
    ]


@pytest.mark.parametrize("vr", LONG_VRS)
def test_every_long_header_vr(vr):
    # PS3.5 Table 7.1-1: 2 reserved bytes and a 4-byte length. A length above
    # 0xFFFF proves the 4-byte field is read.
    value = b"\x01" * 70000
    data = explicit(0x00091001, vr, value) + explicit(0x00091002, "LO", b"ab")
    table = scan(data)
    assert table.find(0x00091001) == (0x00091001, vr, FLAG_LONG_HEADER, 0, 12, 70000)
    assert table.find(0x00091002) == (0x00091002, "LO", 0, 70012, 70020, 2)


@pytest.mark.parametrize("vr", SHORT_VRS)
def test_every_short_header_vr(vr):
    data = explicit(0x00091001, vr, b"\x00" * 4) + explicit(0x00091002, vr, b"")
    for little in (True, False):
        data = explicit(0x00091001, vr, b"\x00" * 4, little=little) + explicit(
            0x00091002, vr, b"", little=little
        )
        table = scan(data, little=little)
        assert records(table) == [
            (0x00091001, vr, 0, 0, 8, 4),
            (0x00091002, vr, 0, 12, 20, 0),
        ]


def test_vr_strings_are_interned():
    data = explicit(0x00080060, "CS", b"CT") + explicit(0x00080070, "CS", b"AB")
    first = scan(data).find(0x00080060)[1]
    second = scan(bytes(data)).find(0x00080070)[1]
    assert first == "CS" and first is second
    odd = explicit(0x00091001, "QQ", b"")  # unknown, but in "AA".."ZZ"
    assert scan(odd).record(0)[1] is scan(odd).record(0)[1] == "QQ"


@pytest.mark.parametrize("kind", ["bytes", "bytearray", "memoryview", "mmap"])
def test_buffer_types(kind, tmp_path):
    data = b"\0" * 16 + explicit(0x00100010, "PN", b"Doe^")
    if kind == "mmap":
        path = tmp_path / "data.bin"
        path.write_bytes(data)
        with open(path, "rb") as f, mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ) as mm:
            table = scan_dataset(mm, 16, len(data), False, True)
            del mm  # the table keeps no reference to the buffer
    else:
        buffer = {"bytes": data, "bytearray": bytearray(data), "memoryview": memoryview(data)}[kind]
        table = scan_dataset(buffer, 16, len(data), False, True)
    assert table.record(0) == (0x00100010, "PN", 0, 16, 24, 4)


def test_records_are_named():
    # Code reads a record by name (issue 8: no record[4]); it still unpacks
    data = b"\0" * 16 + explicit(0x00100010, "PN", b"Doe^")
    record = scan_dataset(data, 16, len(data), False, True).record(0)
    assert (record.tag, record.vr, record.flags) == (0x00100010, "PN", 0)
    assert (record.header_offset, record.value_offset, record.length) == (16, 24, 4)
    assert type(record).__name__ == "ScannedElement" and tuple(record) == (0x00100010, "PN", 0, 16, 24, 4)
    sequence = explicit(0x00081110, "SQ", b"\xfe\xff\x00\xe0\x00\x00\x00\x00")
    items = scan_items(sequence, 12, len(sequence), False, True)
    item = items.record(0)
    assert (item.flags, item.header_offset, item.value_offset, item.length) == (0, 12, 20, 0)


def test_invalid_ranges():
    data = explicit(0x00100010, "PN", b"Doe^")
    for start, end in [(-1, 4), (4, 2), (0, len(data) + 1)]:
        with pytest.raises(ValueError):
            scan_dataset(data, start, end, False, True)
        with pytest.raises(ValueError):
            scan_items(data, start, end, False, True)
        with pytest.raises(ValueError):
            find_sequence_delimiter(data, start, end, True)
    with pytest.raises(ValueError):
        scan_dataset(data, 0, len(data), False, True, depth=-1)
    assert len(scan_dataset(b"", 0, 0, False, True)) == 0
    assert len(scan_items(b"", 0, 0, False, True)) == 0


# ---------------------------------------------------------------------------
# Undefined lengths and items (PS3.5 §7.5, §A.4)
# ---------------------------------------------------------------------------


def test_undefined_length_sequence_with_nested_items():
    inner_sq = explicit(0x00081115, "SQ", length=UNDEFINED) + item(
        explicit(0x00081150, "UI", b"1.2\0")
    ) + sequence_delimiter()
    first = item(explicit(0x00100010, "PN", b"A^B ") + inner_sq, undefined=True)
    second = item(explicit(0x00100020, "LO", b"12"))
    value = first + second
    data = (
        explicit(0x00081110, "SQ", length=UNDEFINED)
        + value
        + sequence_delimiter()
        + explicit(0x00100030, "DA", b"20240101")
    )
    table = scan(data)
    assert table.find(0x00081110) == (
        0x00081110, "SQ", FLAG_LONG_HEADER | FLAG_UNDEFINED_LENGTH, 0, 12, len(value),
    )
    assert table.find(0x00100030)[3] == 12 + len(value) + 8

    items = scan_items(data, 12, 12 + len(value), False, True)
    assert len(items) == 2
    flags, header, start, length = items.record(0)
    assert (flags, header, start) == (FLAG_UNDEFINED_LENGTH, 12, 20)
    assert length == len(first) - 16  # up to the Item Delimitation Item
    assert items.record(1) == (0, 12 + len(first), 20 + len(first), len(second) - 8)
    assert items.stop_offset == 12 + len(value)

    # the undefined-length item's dataset: stops after its delimiter
    item_table = scan_dataset(data, start, len(data), False, True, is_item=True)
    assert item_table.tags() == [0x00081115, 0x00100010]
    assert item_table.stop_offset == start + length + 8
    nested = item_table.find(0x00081115)
    assert nested[2] & FLAG_UNDEFINED_LENGTH and nested[5] == len(inner_sq) - 12 - 8


def test_sequence_value_scanned_until_sequence_delimiter():
    value = item(implicit(0x00100010, b"AB")) + sequence_delimiter()
    data = value + implicit(0x00100020, b"XY")
    items = scan_items(data, 0, len(data), True, True)
    assert len(items) == 1 and items.stop_offset == len(value)
    assert items.as_array()["length"].tolist() == [10]


def test_un_undefined_length_contains_implicit_items():
    # PS3.5 §6.2.2: UN of undefined length is encoded as implicit VR LE
    content = implicit(0x00091011, b"abcd") + implicit(0x00091012, length=UNDEFINED) + item(
        implicit(0x00091013, b"xy"), undefined=True
    ) + sequence_delimiter()
    value = item(content, undefined=True)
    data = explicit(0x00091010, "UN", length=UNDEFINED) + value + sequence_delimiter()
    data += explicit(0x00100010, "PN", b"AB")
    table = scan(data)
    assert table.find(0x00091010) == (
        0x00091010, "UN", FLAG_LONG_HEADER | FLAG_UNDEFINED_LENGTH, 0, 12, len(value),
    )
    assert table.find(0x00100010) is not None
    items = scan_items(data, 12, 12 + len(value), False, True)
    inner = scan_dataset(data, items.record(0)[2], 12 + len(value), False, True, is_item=True)
    assert inner.implicit_vr  # switched: the first VR bytes are not letters
    assert inner.tags() == [0x00091011, 0x00091012]


def test_implicit_undefined_length_element_is_followed_structurally():
    value = item(implicit(0x00091001, b"ab"), undefined=True)
    data = implicit(0x00091000, length=UNDEFINED) + value + sequence_delimiter()
    data += implicit(0x00100010, b"AB")
    table = scan(data, implicit_vr=True)
    assert table.find(0x00091000) == (
        0x00091000, None, FLAG_IMPLICIT | FLAG_UNDEFINED_LENGTH, 0, 8, len(value),
    )
    assert table.find(0x00100010)[3] == 8 + len(value) + 8


def test_encapsulated_pixel_data():
    # PS3.5 §A.4: Basic Offset Table item, then one fragment per item. The
    # second fragment contains the bytes of a Sequence Delimitation Item.
    offsets = struct.pack("<2L", 0, 24)
    fragment_1 = b"\xff\xd8" + b"\x11" * 14
    fragment_2 = b"\x22" * 4 + sequence_delimiter() + b"\x33" * 4
    value = item(offsets) + item(fragment_1) + item(fragment_2)
    head = explicit(0x00280010, "US", b"\x02\x00")
    data = head + explicit(0x7FE00010, "OB", length=UNDEFINED) + value + sequence_delimiter()
    data += explicit(0xFFFAFFFA, "SQ", b"")
    table = scan(data)
    pixel_start = len(head) + 12
    assert table.find(0x7FE00010) == (
        0x7FE00010, "OB", FLAG_LONG_HEADER | FLAG_UNDEFINED_LENGTH,
        len(head), pixel_start, len(value),
    )
    assert table.tags()[-1] == 0xFFFAFFFA
    fragments = scan_items(data, pixel_start, pixel_start + len(value), False, True)
    assert [fragments.record(i)[3] for i in range(len(fragments))] == [8, 16, 16]
    assert fragments.record(2)[2] == pixel_start + 8 + 8 + 8 + 16 + 8
    # pydicom's byte search stops inside the second fragment
    assert find_sequence_delimiter(data, pixel_start, len(data), True) == (
        pixel_start + 8 + 8 + 8 + 16 + 8 + 4
    )
    assert find_sequence_delimiter(data, pixel_start, pixel_start + 48, True) == -1
    big = sequence_delimiter(little=False)
    assert find_sequence_delimiter(b"\xfe" * 3 + big, 0, 11, False) == 3
    assert find_sequence_delimiter(b"\xfe" * 3 + big, 0, 11, True) == -1


def test_item_delimiter_ends_item_dataset():
    body = implicit(0x00100010, b"AB") + implicit(ITEM_DELIMITER)
    data = body + implicit(0x00100020, b"CD")
    table = scan(data, implicit_vr=True, is_item=True)
    assert table.tags() == [0x00100010]
    assert table.stop_offset == len(body)


def test_stop_before_pixels():
    head = explicit(0x00280010, "US", b"\x02\x00")
    for pixel_tag, vr in [(0x7FE00008, "OF"), (0x7FE00009, "OD"), (0x7FE00010, "OW")]:
        data = head + explicit(pixel_tag, vr, b"\0" * 8) + explicit(0xFFFCFFFC, "OB", b"")
        table = scan(data, stop_before_pixels=True)
        assert table.tags() == [0x00280010]
        assert table.stop_offset == len(head)
        assert len(scan(data)) == 3


def test_only_group():
    meta = explicit(0x00020000, "UL", b"\x0e\0\0\0") + explicit(0x00020010, "UI", b"1.2.840.10008.1.2")
    rest = implicit(0x00080016, b"1.2\0")
    data = b"\0" * 4 + meta + rest
    table = scan_dataset(data, 4, len(data), False, True, only_group=2)
    assert table.tags() == [0x00020000, 0x00020010]
    assert table.stop_offset == 4 + len(meta)
    assert not table.implicit_vr
    command = implicit(0x00000002, b"1.2\0") + implicit(0x00000100, b"\x01\x00")
    table = scan_dataset(command + meta, 0, len(command + meta), True, True, only_group=0)
    assert table.tags() == [0x00000002, 0x00000100]
    assert table.stop_offset == len(command)


def test_out_of_order_and_duplicate_tags():
    data = (
        implicit(0x00100020, b"first")
        + implicit(0x00080060, b"CT")
        + implicit(0x00100020, b"second")
        + implicit(0x00100010, b"AB")
    )
    table = scan(data, implicit_vr=True)
    assert not table.in_order and table.duplicates == 1
    assert table.tags() == [0x00080060, 0x00100010, 0x00100020]
    assert table.find(0x00100020)[4:] == (8 + 5 + 8 + 2 + 8, 6)  # the last one
    assert table.index_of(0x00100010) == 1 and table.index_of(0x00100011) == -1


def test_duplicates_in_order():
    data = implicit(0x00080060, b"CT") + implicit(0x00080060, b"MR") + implicit(0x00100010)
    table = scan(data, implicit_vr=True)
    assert table.in_order and table.duplicates == 2 - 1
    assert table.find(0x00080060)[3] == 10


def test_many_unsorted_tags_sort_stably():
    rng = random.Random(1)
    tags = [rng.randrange(0x00080000, 0x00090000) for _ in range(3000)]
    data = b"".join(implicit(tag, struct.pack("<L", i)) for i, tag in enumerate(tags))
    table = scan(data, implicit_vr=True)
    last = {tag: i for i, tag in enumerate(tags)}
    assert table.tags() == sorted(last)
    assert table.duplicates == len(tags) - len(last)
    for tag, index in last.items():
        assert table.find(tag)[3] == index * 12


def test_per_dataset_encoding_check():
    explicit_data = explicit(0x00100010, "PN", b"AB")
    implicit_data = implicit(0x00100010, b"AB")
    # top level: the encoding follows what the first element shows
    assert not scan(explicit_data, implicit_vr=True).implicit_vr
    assert scan(implicit_data, implicit_vr=False).implicit_vr
    assert scan(explicit_data, implicit_vr=True).record(0) == (0x00100010, "PN", 0, 0, 8, 2)
    # item: implicit is kept; explicit switches to implicit on non-letters
    assert scan(explicit_data, implicit_vr=True, is_item=True).implicit_vr
    switched = scan(implicit_data, implicit_vr=False, is_item=True)
    assert switched.implicit_vr and switched.record(0)[1] is None
    assert not scan(explicit_data, implicit_vr=False, is_item=True).implicit_vr


def test_per_element_implicit_switch():
    # an implicit element inside explicit VR (pydicom issues 1035, 1067)
    data = explicit(0x00100010, "PN", b"AB") + implicit(0x00100020, b"ID12") + explicit(
        0x00100030, "DA", b"20240101"
    )
    table = scan(data)
    assert records(table) == [
        (0x00100010, "PN", 0, 0, 8, 2),
        (0x00100020, None, FLAG_IMPLICIT, 10, 18, 4),
        (0x00100030, "DA", 0, 22, 30, 8),
    ]
    # without the switch the VR bytes 04 00 are a VR with a 2-byte length
    table = scan(data, vr_switch=False)
    assert table.record(1) == (0x00100020, "\x04\x00", 0, 10, 18, 0)
    # in range but unknown: 2-byte length
    table = scan(explicit(0x00091001, "XX", b"abcd"))
    assert table.record(0) == (0x00091001, "XX", 0, 0, 8, 4)


def test_table_methods():
    data = b"".join(explicit(0x00080000 | e, "LO", b"ab") for e in (0x10, 0x20, 0x30, 0x40))
    table = scan(data)
    assert table.select({0x00080020, 0x00080040, 0x12345678}).tags() == [0x00080020, 0x00080040]
    assert table.select(frozenset()).tags() == []
    sub = table.select({0x00080030})
    assert sub.find(0x00080030) == table.find(0x00080030)
    assert sub.stop_offset == table.stop_offset and sub.implicit_vr == table.implicit_vr
    assert table.record(-1) == table.record(3)
    with pytest.raises(IndexError):
        table.record(4)
    with pytest.raises(IndexError):
        table.record(-5)
    assert table.index_of(-1) == -1 and table.find(1 << 33) is None
    with pytest.raises(TypeError):
        _parser.ElementTable()
    array = table.as_array()
    assert array.dtype.names == ("tag", "vr", "flags", "header_offset", "value_offset", "length")
    assert array["tag"].tolist() == table.tags()
    assert array["vr"].tolist() == [b"LO"] * 4
    assert array["value_offset"].tolist() == [8, 18, 28, 38]
    assert not array.flags.writeable
    with pytest.raises(ValueError):
        array["length"][0] = 1
    implicit_array = scan(implicit(0x00100010, b"ab"), implicit_vr=True).as_array()
    assert implicit_array["vr"].tolist() == [b""]
    assert implicit_array["flags"].tolist() == [FLAG_IMPLICIT]
    items = scan_items(item(b"ab") + item(b""), 0, 18, False, True).as_array()
    assert items.dtype.names == ("flags", "header_offset", "value_offset", "length")
    assert items["length"].tolist() == [2, 0] and not items.flags.writeable
    assert scan(b"").as_array().shape == (0,)


# ---------------------------------------------------------------------------
# Hostile input
# ---------------------------------------------------------------------------


def test_value_length_past_end():
    data = explicit(0x00100010, "PN", b"AB") + explicit(0x00100020, "LO", b"ab", length=1000)
    table = scan(data)
    assert table.record(1) == (0x00100020, "LO", FLAG_TRUNCATED, 10, 18, 2)
    assert table.stop_offset == len(data)
    with pytest.raises(DicomTruncatedError) as info:
        scan(data, lenient=False)
    assert (info.value.offset, info.value.tag) == (10, 0x00100020)


@pytest.mark.parametrize("implicit_vr", [True, False])
def test_length_0xfffffffe(implicit_vr):
    element = implicit(0x00091001, b"ab", length=0xFFFFFFFE) if implicit_vr else explicit(
        0x00091001, "OB", b"ab", length=0xFFFFFFFE
    )
    data = implicit(0x00100010, b"AB") if implicit_vr else explicit(0x00100010, "PN", b"AB")
    data += element
    table = scan(data, implicit_vr=implicit_vr)
    record = table.find(0x00091001)
    assert record[2] & FLAG_TRUNCATED and record[5] == 2
    with pytest.raises(DicomTruncatedError) as info:
        scan(data, implicit_vr=implicit_vr, lenient=False)
    assert (info.value.offset, info.value.tag) == (10, 0x00091001)
    # inside an undefined-length sequence the item length must fit
    sq = implicit(0x00091002, length=UNDEFINED) + item(b"ab", length=0xFFFFFFFE)
    sq += sequence_delimiter()
    with pytest.raises(DicomTruncatedError) as info:
        scan(sq, implicit_vr=True, lenient=False)
    assert (info.value.offset, info.value.tag) == (8, ITEM)
    lenient = scan(sq, implicit_vr=True)
    assert lenient.record(0)[2] & FLAG_NO_DELIMITER and lenient.record(0)[5] == len(sq) - 8
    with pytest.raises(DicomTruncatedError):
        scan_items(sq, 8, len(sq), True, True, lenient=False)
    items = scan_items(sq, 8, len(sq), True, True)
    assert items.record(0) == (FLAG_TRUNCATED, 8, 16, len(sq) - 16)


def test_short_headers():
    element = explicit(0x00100010, "PN", b"AB")
    for tail in (b"\x10", b"\x10\x00\x20\x00", b"\x10\x00\x20\x00PN\x00"):
        data = element + tail
        table = scan(data)
        assert table.tags() == [0x00100010] and table.stop_offset == len(element)
        with pytest.raises(DicomTruncatedError) as info:
            scan(data, lenient=False)
        assert info.value.offset == len(element)
        assert info.value.tag == (0x00100020 if len(tail) >= 4 else None)
    # a 12-byte header cut after 8 bytes
    data = element + explicit(0x00091001, "OB", b"")[:10]
    assert scan(data).stop_offset == len(element)
    with pytest.raises(DicomTruncatedError) as info:
        scan(data, lenient=False)
    assert (info.value.offset, info.value.tag) == (len(element), 0x00091001)


def test_item_tag_at_dataset_level():
    data = explicit(0x00100010, "PN", b"AB") + item(b"")
    for lenient in (True, False):
        with pytest.raises(DicomParseError) as info:
            scan(data, lenient=lenient)
        assert (info.value.offset, info.value.tag) == (10, ITEM)


def test_undefined_length_without_delimiter():
    value = item(implicit(0x00100010, b"AB"))
    data = implicit(0x00091001, length=UNDEFINED) + value
    table = scan(data, implicit_vr=True)
    assert table.record(0) == (
        0x00091001, None, FLAG_IMPLICIT | FLAG_UNDEFINED_LENGTH | FLAG_NO_DELIMITER,
        0, 8, len(value),
    )
    with pytest.raises(DicomTruncatedError) as info:
        scan(data, implicit_vr=True, lenient=False)
    assert (info.value.offset, info.value.tag) == (0, 0x00091001)


def test_undefined_length_value_not_item_structured():
    # pydicom falls back to a byte search for the delimiter
    value = b"\x01\x02\x03\x04\x05\x06\x07\x08\x09"
    data = explicit(0x00091001, "OB", length=UNDEFINED) + value + sequence_delimiter()
    data += explicit(0x00100010, "PN", b"AB")
    table = scan(data)
    assert table.find(0x00091001) == (
        0x00091001, "OB",
        FLAG_LONG_HEADER | FLAG_UNDEFINED_LENGTH | FLAG_DELIMITER_SEARCHED, 0, 12, len(value),
    )
    assert table.find(0x00100010)[3] == 12 + len(value) + 8
    with pytest.raises(DicomParseError) as info:
        scan(data, lenient=False)
    assert (info.value.offset, info.value.tag) == (12, 0x02010403)
    no_delimiter = explicit(0x00091001, "OB", length=UNDEFINED) + value
    flags = scan(no_delimiter).record(0)[2]
    assert flags & FLAG_NO_DELIMITER and flags & FLAG_DELIMITER_SEARCHED


def test_missing_item_delimiter():
    # the sequence delimiter closes an item whose delimiter is missing
    broken_item = implicit(ITEM, length=UNDEFINED) + implicit(0x00100010, b"AB")
    data = implicit(0x00091001, length=UNDEFINED) + broken_item + sequence_delimiter()
    data += implicit(0x00100020, b"CD")
    table = scan(data, implicit_vr=True)
    assert table.find(0x00091001)[5] == len(broken_item)
    assert table.find(0x00100020) is not None
    with pytest.raises(DicomParseError) as info:
        scan(data, implicit_vr=True, lenient=False)
    assert (info.value.offset, info.value.tag) == (8 + len(broken_item), SEQUENCE_DELIMITER)
    items = scan_items(data, 8, len(data), True, True)
    assert items.record(0) == (FLAG_UNDEFINED_LENGTH, 8, 16, 10)
    assert items.stop_offset == 8 + len(broken_item) + 8


def test_non_item_in_sequence():
    data = item(b"ab") + implicit(0x00100010, b"AB")
    items = scan_items(data, 0, len(data), True, True)
    assert len(items) == 1 and items.stop_offset == 10
    with pytest.raises(DicomParseError) as info:
        scan_items(data, 0, len(data), True, True, lenient=False)
    assert (info.value.offset, info.value.tag) == (10, 0x00100010)


def _nested_sequences(levels: int, *, implicit_vr: bool, little=True) -> bytes:
    """`levels` undefined-length sequences, each in an undefined-length item."""
    if implicit_vr:
        open_sq = implicit(0x00091001, length=UNDEFINED, little=little)
    else:
        open_sq = explicit(0x00091001, "SQ", length=UNDEFINED, little=little)
    open_item = implicit(ITEM, length=UNDEFINED, little=little)
    close = implicit(ITEM_DELIMITER, little=little) + sequence_delimiter(little)
    return (open_sq + open_item) * levels + close * levels


@pytest.mark.parametrize("implicit_vr", [True, False])
@pytest.mark.parametrize("little", [True, False])
def test_nesting_limit(implicit_vr, little):
    ok = _nested_sequences(MAX_NESTING_DEPTH, implicit_vr=implicit_vr, little=little)
    table = scan(ok, implicit_vr=implicit_vr, little=little)
    assert table.record(0)[5] == len(ok) - (8 if implicit_vr else 12) - 8
    too_deep = _nested_sequences(MAX_NESTING_DEPTH + 1, implicit_vr=implicit_vr, little=little)
    for lenient in (True, False):
        with pytest.raises(DicomNestingError) as info:
            scan(too_deep, implicit_vr=implicit_vr, little=little, lenient=lenient)
        assert info.value.tag == 0x00091001 and info.value.offset > 0
    # the depth of the dataset counts
    with pytest.raises(DicomNestingError):
        scan(ok, implicit_vr=implicit_vr, little=little, depth=1)
    with pytest.raises(DicomNestingError):
        scan(ok, implicit_vr=implicit_vr, little=little, depth=MAX_NESTING_DEPTH + 1)


def test_nesting_ten_thousand_deep_is_fast():
    data = _nested_sequences(10_000, implicit_vr=False)
    began = time.perf_counter()
    with pytest.raises(DicomNestingError) as info:
        scan(data)
    assert time.perf_counter() - began < 0.5
    assert info.value.tag == 0x00091001
    # the same nesting truncated (no closing delimiters)
    with pytest.raises(DicomNestingError):
        scan(data[: len(data) // 2], lenient=True)


def test_defined_length_nesting_is_bounded_through_depth():
    # defined lengths are skipped by length; the Python layer passes its
    # level down, so descending level by level meets the limit.
    content = implicit(0x00100010, b"AB")
    for _ in range(200):
        content = implicit(0x00091001, item(content))
    depth, start, end = 0, 0, len(content)
    with pytest.raises(DicomNestingError):
        while True:
            table = scan_dataset(content, start, end, True, True, is_item=depth > 0, depth=depth)
            _, _, _, _, value_offset, length = table.record(0)
            items = scan_items(content, value_offset, value_offset + length, True, True, depth=depth)
            _, _, start, length = items.record(0)
            end = start + length
            depth += 1
    assert depth == MAX_NESTING_DEPTH


def test_random_garbage_never_crashes():
    rng = random.Random(20240101)
    pieces = [
        implicit(ITEM, length=UNDEFINED), implicit(ITEM_DELIMITER), sequence_delimiter(),
        explicit(0x00091001, "SQ", length=UNDEFINED), implicit(0x00091001, length=UNDEFINED),
        explicit(0x00100010, "PN", b"AB"), b"OB\0\0", b"\xff\xff\xff\xff", b"\xfe\xff\x00\xe0",
    ]
    began = time.perf_counter()
    for _ in range(3000):
        if rng.random() < 0.5:
            data = rng.randbytes(rng.randrange(0, 200))
        else:
            data = b"".join(rng.choice(pieces) + rng.randbytes(rng.randrange(0, 6))
                            for _ in range(rng.randrange(1, 30)))
        for implicit_vr in (True, False):
            for little in (True, False):
                for lenient in (True, False):
                    try:
                        scan(data, implicit_vr, little, lenient=lenient)
                    except DicomParseError as exc:
                        assert 0 <= exc.offset <= len(data)
                    try:
                        scan_items(data, 0, len(data), implicit_vr, little, lenient=lenient)
                    except DicomParseError as exc:
                        assert 0 <= exc.offset <= len(data)
    assert time.perf_counter() - began < 20


# ---------------------------------------------------------------------------
# Real files: pydicom's test data
# ---------------------------------------------------------------------------

pydicom = pytest.importorskip("pydicom")
from pydicom.data import get_testdata_file, get_testdata_files  # noqa: E402

IMPLICIT_LE = "1.2.840.10008.1.2"
EXPLICIT_BE = "1.2.840.10008.1.2.2"
DEFLATED = ("1.2.840.10008.1.2.1.99", "1.2.840.10008.1.2.8.1")


class Prepared:
    """A file split as pydicom reads it: file meta, then the dataset."""

    def __init__(self, path: str):
        with open(path, "rb") as f:
            raw = f.read()
        meta_start = 132 if raw[128:132] == b"DICM" else 0
        self.meta = scan_dataset(raw, meta_start, len(raw), False, True, only_group=2)
        syntax = self.meta.find(0x00020010)
        self.syntax = IMPLICIT_LE
        if syntax is not None:
            value = raw[syntax[4] : syntax[4] + syntax[5]]
            self.syntax = value.rstrip(b"\0 ").decode("ascii", "replace")
        elif meta_start == 0 and len(self.meta) == 0:
            # no meta: guess like pydicom (explicit if the first VR is letters)
            self.syntax = "1.2.840.10008.1.2.1"
        self.implicit_vr = self.syntax == IMPLICIT_LE
        self.little_endian = self.syntax != EXPLICIT_BE
        self.start = self.meta.stop_offset
        self.data = raw
        if self.syntax in DEFLATED:
            self.data = zlib.decompress(raw[self.start :], -zlib.MAX_WBITS)
            self.start = 0

    def scan(self, **kwargs):
        return scan_dataset(
            self.data, self.start, len(self.data), self.implicit_vr, self.little_endian, **kwargs
        )


def _value_tell(element) -> int:
    """Where pydicom read the value: RawDataElement.value_tell, or the
    file_tell of an element pydicom built while reading (undefined-length
    sequences, converted file meta)."""
    if hasattr(element, "value_tell"):
        return element.value_tell
    return element.file_tell


def _compare_level(table, pydicom_dataset, data, base, *, little_endian):
    """Check a table against a pydicom dataset, recursing into sequences.

    `base` is what pydicom's offsets are relative to: 0 in the file, or the
    value offset of the nearest enclosing defined-length sequence, which
    pydicom reads from a BytesIO of the value.
    """
    elements = pydicom_dataset._dict
    assert table.tags() == sorted(elements)
    for tag, element in elements.items():
        record = table.find(tag)
        assert record[4] == base + _value_tell(element), hex(tag)
        if hasattr(element, "length") and not record[2] & FLAG_UNDEFINED_LENGTH:
            assert record[5] == element.length, hex(tag)
        with warnings.catch_warnings():  # pydicom's value validation
            warnings.simplefilter("ignore")
            converted = pydicom_dataset[tag]
        if converted.VR != "SQ":
            continue
        items = scan_items(data, record[4], record[4] + record[5], table.implicit_vr,
                           little_endian, lenient=False)
        assert len(items) == len(converted.value), hex(tag)
        item_base = base if record[2] & FLAG_UNDEFINED_LENGTH else record[4]
        for index, item_dataset in enumerate(converted.value):
            flags, _, start, length = items.record(index)
            item_table = scan_dataset(data, start, start + length, table.implicit_vr,
                                      little_endian, is_item=True, lenient=False)
            _compare_level(item_table, item_dataset, data, item_base,
                           little_endian=little_endian)


@pytest.mark.parametrize(
    "name",
    [
        "CT_small.dcm", "MR_small.dcm", "rtplan.dcm", "rtstruct.dcm", "rtdose.dcm",
        "emri_small_RLE.dcm", "JPEG2000.dcm", "ExplVR_BigEnd.dcm", "MR_small_bigendian.dcm",
        "MR_small_implicit.dcm", "image_dfl.dcm", "reportsi.dcm", "test-SR.dcm",
        "nested_priv_SQ.dcm", "waveform_ecg.dcm", "SC_rgb_rle.dcm", "liver.dcm",
    ],
)
def test_matches_pydicom(name):
    path = get_testdata_file(name)
    prepared = Prepared(path)
    dataset = pydicom.dcmread(path, force=True)
    assert prepared.meta.tags() == sorted(dataset.file_meta._dict)
    for tag, element in dataset.file_meta._dict.items():
        assert prepared.meta.find(tag)[4] == _value_tell(element)
        if hasattr(element, "length"):
            assert prepared.meta.find(tag)[5] == element.length
    table = prepared.scan(lenient=False)
    assert table.stop_offset == len(prepared.data)
    _compare_level(table, dataset, prepared.data, 0, little_endian=prepared.little_endian)


def test_stop_before_pixels_matches_pydicom():
    path = get_testdata_file("CT_small.dcm")
    prepared = Prepared(path)
    table = prepared.scan(stop_before_pixels=True)
    dataset = pydicom.dcmread(path, stop_before_pixels=True)
    assert table.tags() == sorted(dataset._dict)
    assert table.stop_offset == prepared.scan().find(0x7FE00010)[3]


def test_embedded_delimiter_in_fragment():
    # pydicom's own example of a fragment holding the delimiter bytes
    prepared = Prepared(get_testdata_file("JPEG2000-embedded-sequence-delimiter.dcm"))
    table = prepared.scan(lenient=False)
    _, _, flags, _, value_offset, length = table.find(0x7FE00010)
    assert flags & FLAG_UNDEFINED_LENGTH and not flags & FLAG_DELIMITER_SEARCHED
    assert value_offset + length + 8 == len(prepared.data)
    fragments = scan_items(prepared.data, value_offset, value_offset + length, False, True,
                           lenient=False)
    assert len(fragments) >= 2
    found = find_sequence_delimiter(prepared.data, value_offset, len(prepared.data), True)
    assert value_offset <= found < value_offset + length  # the byte search cuts early


def _cut_points(prepared):
    table = prepared.scan(lenient=False)
    boundaries = {prepared.start, len(prepared.data)}
    boundaries.update(record[3] for record in records(table))
    return table, boundaries


@pytest.mark.parametrize("name", ["CT_small.dcm", "rtplan.dcm", "reportsi.dcm", "JPEG2000.dcm"])
def test_truncated_at_every_cut_point(name):
    prepared = Prepared(get_testdata_file(name))
    full, boundaries = _cut_points(prepared)
    full_records = records(full)
    data = prepared.data
    step = max(1, (len(data) - prepared.start) // 4000)
    cuts = sorted(set(range(prepared.start, len(data), step)) | boundaries)
    for cut in cuts:
        view = memoryview(data)[:cut]
        # lenient: the elements before the cut, the last one possibly clipped
        table = scan_dataset(view, prepared.start, cut, prepared.implicit_vr,
                             prepared.little_endian)
        got = records(table)
        assert table.stop_offset <= cut
        expected = [r for r in full_records if r[3] + 8 <= cut]
        assert [r[0] for r in got] == [r[0] for r in expected][: len(got)]
        assert len(expected) - len(got) in (0, 1)  # a cut 12-byte header
        for record, full_record in zip(got, expected):
            if record[2] & (FLAG_TRUNCATED | FLAG_NO_DELIMITER):
                assert record[4] + record[5] == cut
                assert record[5] <= full_record[5] or full_record[2] & FLAG_UNDEFINED_LENGTH
            else:
                assert record == full_record
        # strict: an error with offset and tag unless the cut is a boundary
        if cut in boundaries:
            assert records(scan_dataset(view, prepared.start, cut, prepared.implicit_vr,
                                        prepared.little_endian, lenient=False)) == expected
        else:
            with pytest.raises(DicomTruncatedError) as info:
                scan_dataset(view, prepared.start, cut, prepared.implicit_vr,
                             prepared.little_endian, lenient=False)
            assert prepared.start <= info.value.offset < cut
            assert info.value.tag is not None or cut - info.value.offset < 4


def _scan_tree(data, table, little_endian, depth, lenient):
    """Scan every sequence below `table`, as a reader would, depth-bounded."""
    for index in range(len(table)):
        tag, vr, flags, _, value_offset, length = table.record(index)
        if tag == 0x7FE00010 or not (vr == "SQ" or flags & FLAG_UNDEFINED_LENGTH):
            continue
        items = scan_items(data, value_offset, value_offset + length, table.implicit_vr,
                           little_endian, lenient=lenient, depth=depth)
        for item_index in range(len(items)):
            _, _, start, item_length = items.record(item_index)
            item_table = scan_dataset(data, start, start + item_length, table.implicit_vr,
                                      little_endian, is_item=True, lenient=lenient,
                                      depth=depth + 1)
            _scan_tree(data, item_table, little_endian, depth + 1, lenient)


def test_all_pydicom_test_files():
    scanned = errors = 0
    for path in get_testdata_files():
        if not os.path.isfile(path):
            continue
        try:
            prepared = Prepared(path)
        except (zlib.error, DicomParseError):
            errors += 1
            continue
        for lenient in (True, False):
            try:
                table = prepared.scan(lenient=lenient)
                _scan_tree(prepared.data, table, prepared.little_endian, 0, lenient)
                scanned += 1
            except DicomParseError as exc:
                assert exc.offset >= 0
                errors += 1
    assert scanned > 300  # most files scan cleanly in both modes


def test_debug_mutations_of_a_real_file():
    # flip bytes of a real file with sequences: errors only, never a crash
    prepared = Prepared(get_testdata_file("rtplan.dcm"))
    rng = random.Random(7)
    original = bytearray(prepared.data)
    for _ in range(1500):
        data = bytearray(original)
        for _ in range(rng.randrange(1, 4)):
            data[rng.randrange(prepared.start, len(data))] = rng.choice((0, 0xFF, 0xFE, 0xE0, rng.randrange(256)))
        for lenient in (True, False):
            try:
                table = scan_dataset(data, prepared.start, len(data), True, True, lenient=lenient)
                _scan_tree(data, table, True, 0, lenient)
            except DicomParseError as exc:
                assert prepared.start <= exc.offset <= len(data)


def test_offsets_as_numpy():
    prepared = Prepared(get_testdata_file("CT_small.dcm"))
    array = prepared.scan().as_array()
    assert np.all(np.diff(array["tag"].astype(np.int64)) > 0)
    assert np.all(array["value_offset"] - array["header_offset"] >= 8)
