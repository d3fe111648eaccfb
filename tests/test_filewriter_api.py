"""pydicom 3's lower-level writer API in fastdicom.filewriter: write_data_element,
the per-VR writers of ``writers``, write_dataset's encoding, buffered values.

pydicom is the oracle: the same element written by both gives the same bytes.
"""

from __future__ import annotations

import io
from datetime import date, datetime, time

import pytest

from fastdicom import config
from fastdicom import filewriter as fw
from fastdicom.dataelem import DataElement, RawDataElement
from fastdicom.dataset import Dataset
from fastdicom.filebase import DicomBytesIO
from fastdicom.filereader import dcmread
from fastdicom.valuerep import VR

pydicom = pytest.importorskip("pydicom")
import pydicom.dataelem  # noqa: E402
import pydicom.filebase  # noqa: E402
import pydicom.filewriter  # noqa: E402

# (tag, VR, value) written the same way by both libraries
ELEMENTS = [
    (0x00100010, "PN", "Doe^John"),
    (0x00100010, "PN", ["Doe^J", "Roe^R"]),
    (0x00080070, "LO", "Odd"),
    (0x00081039, "LO", ["A", "BB"]),
    (0x00080060, "CS", "CT"),
    (0x00080008, "CS", ["ORIGINAL", "PRIMARY"]),
    (0x00080016, "UI", "1.2.3"),
    (0x00080054, "AE", "AET"),
    (0x00101010, "AS", "030Y"),
    (0x00080120, "UR", "http://x/y"),
    (0x00200013, "IS", "12"),
    (0x00200032, "DS", ["1.5", "-2", "3.25"]),
    (0x00080020, "DA", "20240102"),
    (0x00080020, "DA", date(2024, 1, 2)),
    (0x00080030, "TM", time(1, 2, 3, 400)),
    (0x0008002A, "DT", datetime(2024, 1, 2, 3, 4, 5)),
    (0x00280010, "US", 512),
    (0x00281101, "US", [256, 0, 16]),
    (0x00189219, "SS", [-1, 2]),
    (0x00186020, "SL", -70000),
    (0x00080313, "UL", [1, 2, 3]),
    (0x00186028, "FD", 1.25),
    (0x00189327, "FL", [0.5, 2.0]),
    (0x0072007A, "SV", -(2**40)),
    (0x00720082, "UV", 2**40),
    (0x00209165, "AT", [0x00100010, 0x00100020]),
    (0x00209165, "AT", 0x00280010),
    (0x7FE00010, "OB", b"\x01\x02\x03"),
    (0x7FE00010, "OW", b"\x01\x02\x03\x04"),
    (0x7FE00008, "OF", b"\x00\x00\x80\x3f"),
    (0x00191010, "UN", b"\x01\x02"),
    (0x00081039, "LO", None),
    (0x00280010, "US", None),
]


def _ours(tag, vr, value, implicit, little):
    fp = DicomBytesIO()
    fp.is_implicit_VR, fp.is_little_endian = implicit, little
    fw.write_data_element(fp, DataElement(tag, vr, value))
    return fp.getvalue()


def _theirs(tag, vr, value, implicit, little):
    fp = pydicom.filebase.DicomBytesIO()
    fp.is_implicit_VR, fp.is_little_endian = implicit, little
    pydicom.filewriter.write_data_element(fp, pydicom.dataelem.DataElement(tag, vr, value))
    return fp.getvalue()


@pytest.mark.parametrize("encoding", [(True, True), (False, True), (False, False)])
@pytest.mark.parametrize("tag, vr, value", ELEMENTS)
def test_write_data_element_matches_pydicom(tag, vr, value, encoding):
    assert _ours(tag, vr, value, *encoding) == _theirs(tag, vr, value, *encoding)


@pytest.mark.parametrize("tag, vr, value", [e for e in ELEMENTS if e[2] is not None])
def test_per_vr_writers_match_pydicom(tag, vr, value):
    """Each writer of the ``writers`` table writes the value as pydicom's does."""
    ours_fn, ours_arg = fw.writers[VR(vr)]
    theirs_fn, theirs_arg = pydicom.filewriter.writers[vr]
    assert ours_arg == theirs_arg
    assert ours_fn.__name__ == theirs_fn.__name__
    ours, theirs = DicomBytesIO(), pydicom.filebase.DicomBytesIO()
    for fp in (ours, theirs):
        fp.is_implicit_VR, fp.is_little_endian = False, True
    args = () if ours_arg is None else (ours_arg,)
    ours_fn(ours, DataElement(tag, vr, value), *args)
    theirs_fn(theirs, pydicom.dataelem.DataElement(tag, vr, value), *args)
    assert ours.getvalue() == theirs.getvalue()


def test_writers_cover_every_vr():
    assert set(fw.writers) == set(VR)


def test_write_data_element_raw_value_as_is():
    raw = RawDataElement(0x00100020, "LO", 3, b"abc", 0, False, True)
    fp = DicomBytesIO()
    fp.is_implicit_VR, fp.is_little_endian = False, True
    fw.write_data_element(fp, raw)
    assert fp.getvalue() == b"\x10\x00\x20\x00LO\x03\x00abc"


def test_write_numbers_error_names_the_element():
    fp = DicomBytesIO()
    fp.is_little_endian = True
    with pytest.warns(UserWarning):
        elem = DataElement(0x00280010, "US", b"\x00")
    with pytest.raises(OSError, match=r"for data_element:\n\(0028,0010\)"):
        fw.write_numbers(fp, elem, "H")


def test_write_dataset_takes_and_gives_the_encoding():
    ds = Dataset()
    ds.PatientName = "Foo"
    ds.set_original_encoding(True, True)
    fp = DicomBytesIO()
    assert fw.write_dataset(fp, ds) == 12
    assert (fp.is_implicit_VR, fp.is_little_endian) == (True, True)
    assert fp.getvalue() == b"\x10\x00\x10\x00\x04\x00\x00\x00Foo "

    fp = DicomBytesIO()
    fp.is_implicit_VR, fp.is_little_endian = False, False
    fw.write_dataset(fp, ds)
    assert fp.getvalue() == b"\x00\x10\x00\x10PN\x00\x04Foo "

    with pytest.raises(AttributeError, match="'fp.is_implicit_VR' and 'fp.is_little_endian'"):
        fw.write_dataset(DicomBytesIO(), Dataset())


def test_sequence_item_ambiguous_vr_follows_parent():
    """An item's "US or SS" element takes the parent's Pixel Representation."""
    for pixel_rep, vr in ((0, "US"), (1, "SS")):
        ds = Dataset()
        ds.PixelRepresentation = pixel_rep
        item = Dataset()
        item.LUTDescriptor = [2, 0, 16]
        item.LUTData = b"\x00\x01\x00\x02"
        ds.ModalityLUTSequence = [item]
        fp = DicomBytesIO()
        fp.is_implicit_VR, fp.is_little_endian = False, True
        fw.write_dataset(fp, ds)
        back = pydicom.filereader.read_dataset(io.BytesIO(fp.getvalue()), False, True)
        assert back.ModalityLUTSequence[0][0x00283002].VR == vr


def _pixel_dataset(value) -> Dataset:
    ds = Dataset()
    ds.BitsAllocated = 16
    ds.add_new(0x7FE00010, "OW", value)
    return ds


def test_buffered_value_written_like_bytes():
    data = bytes(range(256)) * 4 + b"\x07"  # odd length: padded
    buffer = io.BytesIO(data)
    buffer.seek(0)
    plain, buffered = io.BytesIO(), io.BytesIO()
    fw.dcmwrite(plain, _pixel_dataset(data), implicit_vr=False, little_endian=True)
    fw.dcmwrite(buffered, _pixel_dataset(buffer), implicit_vr=False, little_endian=True)
    assert buffered.getvalue() == plain.getvalue()
    assert buffer.tell() == 0  # the buffer's position is restored


def test_buffered_value_from_its_position():
    """pydicom's buffered values start where the buffer is positioned."""
    buffer = io.BytesIO(b"skip" + b"\x01\x02")
    buffer.seek(4)
    fp = DicomBytesIO()
    fp.is_little_endian = True
    fw.write_OBvalue(fp, DataElement(0x7FE00010, "OB", buffer))
    assert fp.getvalue() == b"\x01\x02"


def test_buffered_value_byte_swapped_in_chunks(monkeypatch, tmp_path):
    """Changing byte order swaps a buffered OW value word by word, also when
    the chunks it is read in split a word."""
    monkeypatch.setattr(config.settings, "buffered_read_size", 3)
    words = bytes(range(40))
    plain = _pixel_dataset(words)
    plain.set_original_encoding(False, True)
    buffered = _pixel_dataset(io.BytesIO(words))
    buffered.set_original_encoding(False, True)
    expected = io.BytesIO()
    fw.dcmwrite(expected, plain, implicit_vr=False, little_endian=False)
    target = tmp_path / "big.dcm"
    fw.dcmwrite(target, buffered, implicit_vr=False, little_endian=False)
    assert target.read_bytes() == expected.getvalue()
    back = dcmread(target, force=True)
    assert back.PixelData == bytes(b for i in range(0, 40, 2) for b in (words[i + 1], words[i]))


def test_closed_buffer_names_the_element():
    buffer = io.BytesIO(b"\x00\x01")
    ds = _pixel_dataset(buffer)
    buffer.close()
    with pytest.raises(ValueError, match=r"Invalid buffer for \(7FE0,0010\) 'Pixel Data': the buffer has been closed"):
        fw.dcmwrite(io.BytesIO(), ds, implicit_vr=True)


def test_dcmwrite_gives_a_dicomio_its_encoding():
    ds = Dataset()
    ds.PatientName = "Foo"
    fp = DicomBytesIO()
    fw.dcmwrite(fp, ds, implicit_vr=False, little_endian=False)
    assert (fp.is_implicit_VR, fp.is_little_endian) == (False, False)
    assert fp.getvalue() == b"\x00\x10\x00\x10PN\x00\x04Foo "
