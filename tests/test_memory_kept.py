"""What a dataset read from data keeps per dataset (issue 8: memory kept per
header-only dataset), and that the shared defaults behind it never leak from
one dataset to another.

Sizes are measured in bench/compare_peers.py (task e), not asserted here;
these tests pin the behaviour of the shared empties and class defaults.
"""

from __future__ import annotations

import io

import pytest

import fastdicom
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
