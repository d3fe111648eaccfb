"""What a dataset read from data keeps per dataset (issue 8: memory kept per
header-only dataset), and that the shared defaults behind it never leak from
one dataset to another.

Sizes are measured in bench/compare_peers.py (task e), not asserted here;
these tests pin the behaviour of the shared empties and class defaults.
"""

from __future__ import annotations

import copy
import io
import pickle

import pytest

import fastdicom
from fastdicom import _parser
from fastdicom.dataset import Dataset, FileMetaDataset
from fastdicom.sequence import Sequence
from fastdicom.uid import ExplicitVRLittleEndian


def _file_bytes() -> bytes:
    """A small CT-like file: text, DS and IS values, a private block, a
    sequence of two items, and pixel data."""
    ds = Dataset()
    ds.file_meta = FileMetaDataset()
    ds.file_meta.TransferSyntaxUID = ExplicitVRLittleEndian
    ds.file_meta.MediaStorageSOPClassUID = "1.2.840.10008.5.1.4.1.1.2"
    ds.file_meta.MediaStorageSOPInstanceUID = "1.2.3.4"
    ds.SOPClassUID = "1.2.840.10008.5.1.4.1.1.2"
    ds.SOPInstanceUID = "1.2.3.4"
    ds.PatientName = "Doe^John"
    ds.SliceThickness = "1.25"
    ds.ImagePositionPatient = ["-189.628906", "-351.628906", "-10.0"]
    ds.InstanceNumber = "7"
    block = ds.private_block(0x0029, "MEMTEST", create=True)
    block.add_new(0x10, "OB", b"\x01\x02" * 8)
    items = []
    for uid in ("1.2.3.5", "1.2.3.6"):
        item = Dataset()
        item.ReferencedSOPClassUID = "1.2.840.10008.5.1.4.1.1.2"
        item.ReferencedSOPInstanceUID = uid
        items.append(item)
    ds.ReferencedImageSequence = Sequence(items)
    ds.Rows = ds.Columns = 2
    ds.BitsAllocated = ds.BitsStored = 16
    ds.HighBit = 15
    ds.SamplesPerPixel = 1
    ds.PixelRepresentation = 0
    ds.PhotometricInterpretation = "MONOCHROME2"
    ds.PixelData = b"\x00\x01" * 4
    buffer = io.BytesIO()
    fastdicom.dcmwrite(buffer, ds, enforce_file_format=True)
    return buffer.getvalue()


@pytest.fixture(scope="module")
def data() -> bytes:
    return _file_bytes()


def _read(data: bytes) -> Dataset:
    return fastdicom.dcmread(io.BytesIO(data), stop_before_pixels=True)


def _stores(ds: Dataset) -> list:
    return [ds._dict, ds.file_meta._dict, ds.ReferencedImageSequence[0]._dict]


def test_untouched_stores_share_the_empty_removed_and_extra(data: bytes) -> None:
    ds = _read(data)
    for store in _stores(ds):
        assert store._removed is _parser.NO_TAGS
        assert store._extra is _parser.NO_EXTRA
    # immutable: a change that missed the store's own container raises
    with pytest.raises(AttributeError):
        _parser.NO_TAGS.add(1)  # type: ignore[attr-defined]
    with pytest.raises(TypeError):
        _parser.NO_EXTRA[1] = None  # type: ignore[index]


def test_deleting_and_adding_give_a_store_its_own_containers(data: bytes) -> None:
    ds, other = _read(data), _read(data)
    del ds.PatientName
    ds.PatientName = "Roe^Jane"  # a table tag deleted, then set again: in _extra
    ds.AccessionNumber = "A1"  # a new tag
    del ds.InstanceNumber
    assert ds._dict._removed == {0x00100010, 0x00200013}
    assert list(ds._dict._extra) == [0x00100010, 0x00080050]
    # the other dataset (and the shared empties) are untouched
    assert other._dict._removed is _parser.NO_TAGS and not _parser.NO_TAGS
    assert other._dict._extra is _parser.NO_EXTRA and not _parser.NO_EXTRA
    assert other.PatientName == "Doe^John" and other.InstanceNumber == 7
    assert "InstanceNumber" not in ds and ds.PatientName == "Roe^Jane"
    # keys in pydicom's insertion order: the re-set and new tags come last
    assert list(ds.keys())[-2:] == [0x00100010, 0x00080050]
    # written and read back
    buffer = io.BytesIO()
    ds.save_as(buffer)
    back = fastdicom.dcmread(io.BytesIO(buffer.getvalue()))
    assert back.PatientName == "Roe^Jane" and back.AccessionNumber == "A1"
    assert "InstanceNumber" not in back
    # deleting the tag set again removes it from _extra too
    del ds.AccessionNumber
    assert list(ds._dict._extra) == [0x00100010]


def test_clear_and_copies_keep_the_stores_apart(data: bytes) -> None:
    ds = _read(data)
    clone = copy.deepcopy(ds)
    assert clone._dict._removed is _parser.NO_TAGS
    del clone.PatientName
    assert "PatientName" in ds and "PatientName" not in clone
    del ds.SOPInstanceUID
    clone2 = copy.deepcopy(ds)
    assert clone2._dict._removed == {0x00080018}
    assert clone2._dict._removed is not ds._dict._removed
    back = pickle.loads(pickle.dumps(ds))
    assert "SOPInstanceUID" not in back and back.PatientName == "Doe^John"
    ds.clear()
    assert len(ds) == 0 and ds._dict._removed is _parser.NO_TAGS
    ds.PatientName = "X"
    assert list(ds.keys()) == [0x00100010]


def test_default_attributes_are_not_kept_per_dataset(data: bytes) -> None:
    ds = _read(data)
    item = ds.ReferencedImageSequence[0]
    for dataset in (ds, ds.file_meta, item):
        kept = dataset.__dict__
        for name in ("is_decompressed", "_pixel_array", "_private_blocks", "_pixel_id"):
            assert name not in kept
        assert dataset.is_decompressed is False
        assert dataset._pixel_array is None
    assert ds.is_undefined_length_sequence_item is False
    assert ds._depth == 0 and item._depth == 1
    assert item.seq_item_tell > 0


def test_private_block_cache_is_per_dataset(data: bytes) -> None:
    ds, other = _read(data), _read(data)
    block = ds.private_block(0x0029, "MEMTEST")
    assert ds.private_block(0x0029, "MEMTEST") is block
    assert block[0x10].value == b"\x01\x02" * 8
    assert "_private_blocks" in ds.__dict__
    assert "_private_blocks" not in other.__dict__
    assert not Dataset._private_blocks
    other_block = other.private_block(0x0029, "MEMTEST")
    assert other_block is not block and other_block.dataset is other
    new = ds.private_block(0x0031, "NEWCREATOR", create=True)
    new.add_new(0x01, "LO", "v")
    assert ds[0x00311001].value == "v" and 0x00311001 not in other
    # a dataset made by hand has its own cache too
    fresh = Dataset()
    fresh.private_block(0x0009, "HAND", create=True)
    assert fresh._private_blocks is not ds._private_blocks
    assert list(fresh._private_blocks) == [(0x0009, "HAND")]


def test_read_ds_values_are_pydicoms(data: bytes) -> None:
    pydicom = pytest.importorskip("pydicom")
    ours = _read(data)
    theirs = pydicom.dcmread(io.BytesIO(data), stop_before_pixels=True)
    for keyword in ("SliceThickness", "ImagePositionPatient", "InstanceNumber"):
        a, b = getattr(ours, keyword), getattr(theirs, keyword)
        for x, y in zip(a if keyword == "ImagePositionPatient" else [a],
                        b if keyword == "ImagePositionPatient" else [b]):
            assert x == y and str(x) == str(y) and repr(x) == repr(y)
            assert vars(x) == vars(y)
    value = ours.SliceThickness
    value.extra = 1  # still an ordinary attribute dict
    assert vars(value) == {"original_string": "1.25", "auto_format": False, "extra": 1}
    assert pickle.loads(pickle.dumps(ours.ImagePositionPatient[0])).original_string == "-189.628906"


def test_zero_preambles_are_shared_and_others_kept(data: bytes, tmp_path) -> None:
    first, second = tmp_path / "a.dcm", tmp_path / "b.dcm"
    first.write_bytes(data)
    second.write_bytes(b"\x01" * 128 + data[128:])
    a = fastdicom.dcmread(first, stop_before_pixels=True)
    b = fastdicom.dcmread(str(first))
    assert a.preamble == bytes(128) and a.preamble is b.preamble
    c = fastdicom.dcmread(second, stop_before_pixels=True)
    assert type(c.preamble) is bytes and c.preamble == b"\x01" * 128
    assert c.PatientName == "Doe^John"
