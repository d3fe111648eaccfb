"""dcmread's path read and the shortcuts of its common case (issue 8).

A path is read by compiled system calls (a first chunk for a header-only read,
more when the header is longer), and the dataset's encoding is looked up in a
cache keyed on the Transfer Syntax UID bytes while no private transfer syntax
is registered. These tests check the edges of those shortcuts against the
plain answers: chunk boundaries, reads in pieces, registering a private syntax
after its UID was read, and padded, empty or missing Transfer Syntax UIDs.
"""

import os
import pathlib
import struct
import warnings

import pydicom
import pytest
from differential import first_difference
from pydicom.data import get_testdata_file

import fastdicom
from fastdicom import filereader
from fastdicom import uid as uid_module
from fastdicom.errors import InvalidDicomError

CT = get_testdata_file("CT_small.dcm")
IMPLICIT = get_testdata_file("MR_small_implicit.dcm")
DEFLATED = get_testdata_file("image_dfl.dcm")
PIXEL_HEADER = struct.pack("<HH", 0x7FE0, 0x0010) + b"OW"


def _pydicom(path, **kwargs):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return pydicom.dcmread(path, **kwargs)


def _with_private_blob(tmp_path, pixel_offset):
    """CT_small with a private OB value inserted before Pixel Data so that the
    Pixel Data element starts at `pixel_offset`; returns (path, blob)."""
    data = pathlib.Path(CT).read_bytes()
    pixel_header = data.index(PIXEL_HEADER)
    creator = struct.pack("<HH2sH", 0x0029, 0x0010, b"LO", 4) + b"TEST"
    size = pixel_offset - pixel_header - len(creator) - 12
    assert size >= 0 and size % 2 == 0
    blob = bytes(range(256)) * (size // 256) + bytes(size % 256)
    private = creator + struct.pack("<HH2sHL", 0x0029, 0x1010, b"OB", 0, size) + blob
    path = tmp_path / f"pixels_at_{pixel_offset}.dcm"
    path.write_bytes(data[:pixel_header] + private + data[pixel_header:])
    return path, blob


@pytest.mark.parametrize("delta", [-14, -12, -4, -2, 0, 2, 4, 12, 3 * 16384 + 2])
def test_header_only_read_across_the_first_chunk_boundary(tmp_path, delta):
    # Pixel Data's header before, straddling, at and after the end of the
    # first chunk a header-only read takes: the read goes on until the
    # Pixel Data tag is seen, warns of nothing, and keeps only the header.
    offset = filereader._HEADER_CHUNK + delta
    path, blob = _with_private_blob(tmp_path, offset)
    ds = fastdicom.dcmread(path, stop_before_pixels=True)  # warnings are errors
    assert 0x7FE00010 not in ds
    assert ds[0x00291010].value == blob
    assert len(ds._dict._source.view) == offset
    theirs = _pydicom(path, stop_before_pixels=True)
    assert first_difference(ds, theirs) is None
    assert first_difference(ds.file_meta, theirs.file_meta) is None
    full = fastdicom.dcmread(path)
    assert full.PixelData == fastdicom.dcmread(CT).PixelData


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes are POSIX")
def test_a_pipe_read_in_pieces_gives_the_same_dataset(tmp_path):
    # A pipe gives its bytes in pieces, and fstat gives it no size: the
    # compiled reader asks again until the end of the data, which is also how
    # it takes what a file gained since fstat (more than its 1 MiB probe here).
    import threading
    import time

    path, _ = _with_private_blob(tmp_path, 3 * 1024 * 1024 + 100)
    data = path.read_bytes()
    fifo = tmp_path / "pipe.dcm"
    os.mkfifo(fifo)

    def write_in_pieces():
        with open(fifo, "wb", buffering=0) as out:
            for start in range(0, len(data), 300_000):
                out.write(data[start : start + 300_000])
                time.sleep(0.002)

    writer = threading.Thread(target=write_in_pieces)
    writer.start()
    try:
        ds = fastdicom.dcmread(str(fifo))
    finally:
        writer.join()
    want = fastdicom.dcmread(path)
    assert first_difference(ds, want) is None
    assert ds.PixelData == want.PixelData
    assert len(ds._dict._source.view) == len(data)


def test_read_errors_name_the_file(tmp_path):
    missing = tmp_path / "missing.dcm"
    for header_only in (False, True):
        with pytest.raises(FileNotFoundError) as info:
            fastdicom.dcmread(missing, stop_before_pixels=header_only)
        assert info.value.filename == str(missing)
        with pytest.raises(IsADirectoryError) as info:
            fastdicom.dcmread(tmp_path, stop_before_pixels=header_only)
        assert info.value.filename == str(tmp_path)


def test_the_timestamp_is_os_stats_mtime(tmp_path):
    path = tmp_path / "ct.dcm"
    path.write_bytes(pathlib.Path(CT).read_bytes())
    os.utime(path, ns=(1_700_000_000_123_456_789, 1_700_000_000_987_654_321))
    for header_only in (False, True):
        ds = fastdicom.dcmread(str(path), stop_before_pixels=header_only)
        assert ds.timestamp == os.stat(path).st_mtime == _pydicom(path).timestamp


def test_a_file_without_a_dataset_and_an_empty_file(tmp_path):
    data = pathlib.Path(CT).read_bytes()
    meta_end = 144 + struct.unpack("<L", data[140:144])[0]
    only_meta = tmp_path / "only_meta.dcm"
    only_meta.write_bytes(data[:meta_end])
    for header_only in (False, True):
        ds = fastdicom.dcmread(only_meta, stop_before_pixels=header_only)
        assert len(ds) == 0
        assert ds.file_meta.TransferSyntaxUID == "1.2.840.10008.1.2.1"
        # pydicom: no dataset is read as Implicit VR Little Endian
        assert ds._read_implicit is True and ds._read_little is True
    empty = tmp_path / "empty.dcm"
    empty.write_bytes(b"")
    with pytest.raises(InvalidDicomError, match="empty.dcm"):
        fastdicom.dcmread(empty)


def test_preamble_as_read(tmp_path):
    data = pathlib.Path(CT).read_bytes()
    assert fastdicom.dcmread(CT).preamble == data[:128]
    preamble = bytes(range(128))
    path = tmp_path / "preamble.dcm"
    path.write_bytes(preamble + data[128:])
    for header_only in (False, True):
        ds = fastdicom.dcmread(path, stop_before_pixels=header_only)
        assert ds.preamble == preamble == _pydicom(path).preamble


def _implicit_file_with_transfer_syntax(tmp_path, name, value):
    """MR_small_implicit's dataset behind a File Meta group whose Transfer
    Syntax UID value is the bytes `value` (None: no such element)."""
    data = pathlib.Path(IMPLICIT).read_bytes()
    dataset = data[144 + struct.unpack("<L", data[140:144])[0] :]
    elements = struct.pack("<HH2sH", 0x0002, 0x0001, b"OB", 0) + struct.pack("<L", 2) + b"\0\1"
    if value is not None:
        elements += struct.pack("<HH2sH", 0x0002, 0x0010, b"UI", len(value)) + value
    group_length = struct.pack("<HH2sHL", 0x0002, 0x0000, b"UL", 4, len(elements))
    path = tmp_path / name
    path.write_bytes(bytes(128) + b"DICM" + group_length + elements + dataset)
    return path


@pytest.mark.parametrize(
    "value, guessed",
    [
        (b"1.2.840.10008.1.2\0", False),
        (b"1.2.840.10008.1.2 ", False),
        (b"1.2.840.10008.1.2", False),
        (b"", True),
        (b"\0\0", True),
        (None, True),
    ],
)
def test_transfer_syntax_value_padding_and_absence(tmp_path, value, guessed):
    # Read twice: the second read finds the encoding in the cache.
    path = _implicit_file_with_transfer_syntax(tmp_path, "ts.dcm", value)
    expected = fastdicom.dcmread(IMPLICIT)
    for _ in range(2):
        ds = fastdicom.dcmread(path)  # no "expected explicit VR" warning
        assert ds._read_implicit is True and ds._read_little is True
        assert ds._encoding_guessed is guessed
        assert first_difference(ds, expected) is None


def test_private_transfer_syntax_registered_after_its_uid_was_read(tmp_path, monkeypatch):
    # Before registration an unknown UID means Explicit VR Little Endian (the
    # implicit data is then found and warned about); after it, the private
    # syntax's encoding is used even though the UID's bytes were seen before.
    private_uid = "1.2.826.0.1.99.1.2"
    path = _implicit_file_with_transfer_syntax(tmp_path, "private.dcm", private_uid.encode())
    monkeypatch.setattr(uid_module, "PrivateTransferSyntaxes", [])
    expected = fastdicom.dcmread(IMPLICIT)
    for _ in range(2):
        with pytest.warns(UserWarning, match="Expected explicit VR, but found implicit VR"):
            before = fastdicom.dcmread(path)
        assert first_difference(before, expected) is None
    uid_module.register_transfer_syntax(private_uid, implicit_vr=True, little_endian=True)
    after = fastdicom.dcmread(path)  # no warning
    assert after._read_implicit is True
    assert first_difference(after, expected) is None
    uid_module.PrivateTransferSyntaxes.clear()
    with pytest.warns(UserWarning, match="Expected explicit VR, but found implicit VR"):
        fastdicom.dcmread(path)


def test_a_private_big_endian_syntax_is_not_served_from_the_cache(tmp_path, monkeypatch):
    # The same UID bytes read as explicit little endian, then registered as
    # big endian: the values must come out as big endian.
    data = pathlib.Path(get_testdata_file("MR_small_bigendian.dcm")).read_bytes()
    standard = b"1.2.840.10008.1.2.2"
    private = b"1.2.826.0.1.99.1.22"
    assert len(standard) == len(private) and data.count(standard) == 1
    path = tmp_path / "private_be.dcm"
    path.write_bytes(data.replace(standard, private))
    monkeypatch.setattr(uid_module, "PrivateTransferSyntaxes", [])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        misread = fastdicom.dcmread(path, stop_before_pixels=True)
    assert misread._read_little is True
    uid_module.register_transfer_syntax(private.decode(), implicit_vr=False, little_endian=False)
    ds = fastdicom.dcmread(path, stop_before_pixels=True)
    expected = fastdicom.dcmread(get_testdata_file("MR_small_bigendian.dcm"), stop_before_pixels=True)
    assert ds._read_little is False
    assert ds.Rows == expected.Rows and ds.PatientName == expected.PatientName


def test_str_subclass_and_pathlike_paths_read_as_str(tmp_path):
    class Name(str):
        pass

    expected = fastdicom.dcmread(CT, stop_before_pixels=True)
    for path in (Name(CT), pathlib.Path(CT)):
        ds = fastdicom.dcmread(path, stop_before_pixels=True)
        assert first_difference(ds, expected) is None
        assert ds.filename == CT and ds.timestamp == expected.timestamp
        assert len(ds._dict._source.view) == len(expected._dict._source.view)


def test_deflated_header_only_read_reads_the_whole_file():
    ds = fastdicom.dcmread(DEFLATED, stop_before_pixels=True)
    theirs = _pydicom(DEFLATED, stop_before_pixels=True)
    assert first_difference(ds, theirs) is None
    assert first_difference(ds.file_meta, theirs.file_meta) is None


@pytest.mark.parametrize("name", ["MR_small.dcm", "MR_small_bigendian.dcm"])
def test_a_header_in_the_first_chunk_is_read_with_one_read(tmp_path, monkeypatch, name):
    # Little and big endian: the Pixel Data tag seen after the header, in
    # the data's byte order, ends the read after the first chunk. Trailing
    # Padding after Pixel Data makes the file longer than that chunk.
    data = pathlib.Path(get_testdata_file(name)).read_bytes()
    order = ">" if "bigendian" in name else "<"
    padding = struct.pack(f"{order}HH2sHL", 0xFFFC, 0xFFFC, b"OB", 0, 40000) + bytes(40000)
    path = tmp_path / name
    path.write_bytes(data + padding)
    assert len(data) < filereader._HEADER_CHUNK < len(data) + len(padding)
    real_read = filereader._store.read_path
    sizes = []

    def counted_read(path, limit=-1):
        sizes.append(limit)
        return real_read(path, limit)

    monkeypatch.setattr(filereader._store, "read_path", counted_read)
    ds = fastdicom.dcmread(path, stop_before_pixels=True)
    assert sizes == [filereader._HEADER_CHUNK]
    assert len(ds._dict._source.view) == data.index(
        struct.pack(f"{order}HH", 0x7FE0, 0x0010) + b"OW"
    )
    assert first_difference(ds, _pydicom(path, stop_before_pixels=True)) is None


@pytest.mark.parametrize("header_only", [False, True])
def test_a_replaced_os_module_is_read_through(monkeypatch, tmp_path, header_only):
    # A fake file system for tests (pyfakefs) replaces `os` and `open` in the
    # modules that use them: the reader then reads through those, not with
    # its compiled system calls, which would look at the real disk.
    import types

    path, _ = _with_private_blob(tmp_path, filereader._HEADER_CHUNK + 100)
    want = fastdicom.dcmread(path, stop_before_pixels=header_only)
    opened = []

    def fake_open(name, mode="r", *args, **kwargs):
        opened.append(name)
        return open(name, mode, *args, **kwargs)

    fake_os = types.SimpleNamespace(**{k: getattr(os, k) for k in dir(os) if not k.startswith("__")})
    fake_os.open = lambda *args, **kwargs: os.open(*args, **kwargs)
    monkeypatch.setattr(filereader, "os", fake_os)
    monkeypatch.setattr(filereader, "open", fake_open, raising=False)
    ds = fastdicom.dcmread(str(path), stop_before_pixels=header_only)
    assert opened and set(opened) == {str(path)}
    assert first_difference(ds, want) is None
    assert len(ds._dict._source.view) == len(want._dict._source.view)
    assert ds.timestamp == want.timestamp
