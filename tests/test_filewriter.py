"""Tests of fastdicom's writer: API as pydicom 3's dcmwrite/save_as, File Meta,
new and changed elements, conversions, safe writes and errors."""

from __future__ import annotations

import io
import os
import shutil

import pytest

import fastdicom
from fastdicom import config
from fastdicom.dataset import Dataset, FileMetaDataset
from fastdicom.filewriter import dcmwrite, encode_element
from fastdicom.sequence import Sequence
from fastdicom.uid import FASTDICOM_IMPLEMENTATION_UID

pydicom = pytest.importorskip("pydicom")
from pydicom.data import get_testdata_file  # noqa: E402

CT = get_testdata_file("CT_small.dcm")
MR_IMPLICIT = get_testdata_file("MR_small_implicit.dcm")
MR_BIG = get_testdata_file("MR_small_bigendian.dcm")


def _bytes(ds, **kwargs) -> bytes:
    buffer = io.BytesIO()
    dcmwrite(buffer, ds, **kwargs)
    return buffer.getvalue()


def _new_dataset() -> Dataset:
    ds = Dataset()
    ds.PatientName = "Doe^John"
    ds.PatientID = "12345"
    ds.SOPClassUID = "1.2.840.10008.5.1.4.1.1.2"
    ds.SOPInstanceUID = "1.2.3.4.5"
    ds.Rows = 2
    ds.Columns = 2
    ds.BitsAllocated = 16
    ds.PixelRepresentation = 0
    ds.PixelData = bytes(range(8))
    return ds


def test_unchanged_file_is_copied_byte_for_byte(tmp_path):
    ds = fastdicom.dcmread(CT)
    out = tmp_path / "out.dcm"
    ds.save_as(out)
    assert out.read_bytes() == __import__("pathlib").Path(CT).read_bytes()


def test_header_edit_matches_pydicom(tmp_path):
    ours = fastdicom.dcmread(CT)
    theirs = pydicom.dcmread(CT)
    for ds in (ours, theirs):
        ds.PatientName = "Anonymous^Person"
        ds.PatientID = "ANON"
        ds.add_new(0x00100021, "LO", "Issuer")
        del ds.PatientBirthDate
    expected = io.BytesIO()
    pydicom.dcmwrite(expected, theirs)
    assert _bytes(ours) == expected.getvalue()


def test_changed_sequence_item(tmp_path):
    path = get_testdata_file("rtplan.dcm")
    ours, theirs = fastdicom.dcmread(path), pydicom.dcmread(path)
    for ds in (ours, theirs):
        ds.BeamSequence[0].BeamName = "Changed"
        ds.BeamSequence[0].ControlPointSequence[1].add_new(0x300A0118, "CS", "X")
    expected = io.BytesIO()
    pydicom.dcmwrite(expected, theirs)
    assert _bytes(ours) == expected.getvalue()


def test_new_dataset_all_encodings_match_pydicom():
    for implicit, little in ((True, True), (False, True), (False, False)):
        ours, theirs = _new_dataset(), pydicom.Dataset()
        for elem in ours:
            theirs.add_new(elem.tag, elem.VR, str(elem.value) if elem.VR == "PN" else elem.value)
        expected = io.BytesIO()
        pydicom.dcmwrite(expected, theirs, implicit_vr=implicit, little_endian=little)
        assert _bytes(ours, implicit_vr=implicit, little_endian=little) == expected.getvalue()


def test_every_vr_round_trips():
    ds = Dataset()
    values = {
        "AE": "AETITLE", "AS": "030Y", "AT": [0x00100010, 0x00080018], "CS": ["A", "B"],
        "DA": "20240102", "DS": ["1.5", "-2"], "DT": "20240102030405", "FL": [1.5, -2.0],
        "FD": 3.25, "IS": [1, -7], "LO": "long", "LT": "text\r\nmore", "OB": b"\x01\x02\x03",
        "OD": b"\x00" * 8, "OF": b"\x01\x02\x03\x04", "OL": b"\x01\x02\x03\x04", "OV": bytes(8),
        "OW": b"\x01\x02", "PN": "Doe^Jane", "SH": "short", "SL": -5, "SS": [-1, 2],
        "ST": "st", "SV": -(2**40), "TM": "101010.5", "UC": "uc", "UI": "1.2.3", "UL": 7,
        "UN": b"\x05\x06", "UR": "http://x", "US": [1, 2], "UT": "ut", "UV": 2**50,
    }
    for index, (vr, value) in enumerate(values.items()):
        ds.add_new(0x00091010 + index, vr, value)
    ds.add_new(0x00090010, "LO", "creator")
    for tsyntax in ("1.2.840.10008.1.2.1", "1.2.840.10008.1.2.2", "1.2.840.10008.1.2.1.99"):
        ds.file_meta = FileMetaDataset()
        ds.file_meta.TransferSyntaxUID = tsyntax
        data = _bytes(ds)
        back = pydicom.dcmread(io.BytesIO(data), force=True)
        mine = fastdicom.dcmread(io.BytesIO(data), force=True)
        for index, (vr, value) in enumerate(values.items()):
            tag = 0x00091010 + index
            assert back[tag].VR == vr and mine[tag].VR == vr
            if isinstance(value, bytes):  # padded to even length with a null byte
                assert mine[tag].value in (value, value + b"\x00")
            else:
                assert str(mine[tag].value) == str(ds[tag].value) or mine[tag].value == ds[tag].value


def test_sequence_lengths_as_the_source_had():
    ds = Dataset()
    item = Dataset()
    item.CodeValue = "1"
    seq = Sequence([item])
    ds.add_new(0x00081110, "SQ", seq)
    defined = _bytes(ds, implicit_vr=True)
    assert b"\xff\xff\xff\xff" not in defined
    ds[0x00081110].is_undefined_length = True
    item.is_undefined_length_sequence_item = True
    undefined = _bytes(ds, implicit_vr=True)
    assert undefined.endswith(b"\xfe\xff\xdd\xe0\x00\x00\x00\x00")
    assert b"\xfe\xff\x0d\xe0" in undefined
    for data in (defined, undefined):
        assert fastdicom.dcmread(io.BytesIO(data), force=True).ReferencedStudySequence[0].CodeValue == "1"


def test_iso2022_text():
    ds = Dataset()
    ds.SpecificCharacterSet = ["ISO 2022 IR 6", "ISO 2022 IR 87"]
    ds.PatientName = "Yamada^Tarou=山田^太郎"
    data = _bytes(ds, implicit_vr=False, little_endian=True)
    assert b"\x1b$B" in data
    assert pydicom.dcmread(io.BytesIO(data), force=True).PatientName == "Yamada^Tarou=山田^太郎"


def test_charset_change_reencodes_read_text():
    path = pydicom.data.get_charset_files("chrH31.dcm")[0]
    ours, theirs = fastdicom.dcmread(path), pydicom.dcmread(path)
    name = str(theirs.PatientName)
    ours.SpecificCharacterSet = "ISO_IR 192"
    data = _bytes(ours)
    assert str(pydicom.dcmread(io.BytesIO(data)).PatientName) == name


def test_file_meta_enforced():
    ds = _new_dataset()
    data = _bytes(ds, implicit_vr=True, enforce_file_format=True)
    back = pydicom.dcmread(io.BytesIO(data))
    meta = back.file_meta
    assert data[128:132] == b"DICM"
    assert meta.ImplementationClassUID == FASTDICOM_IMPLEMENTATION_UID
    assert meta.ImplementationVersionName.startswith("FASTDICOM")
    assert meta.MediaStorageSOPInstanceUID == "1.2.3.4.5"
    assert meta.TransferSyntaxUID == "1.2.840.10008.1.2"
    assert meta.FileMetaInformationGroupLength == len(data) - 132 - 12 - len(_bytes(ds, implicit_vr=True))
    assert "file_meta" not in ds.__dict__ or ds.file_meta is None or "TransferSyntaxUID" not in ds.file_meta


def test_file_meta_validation_and_bad_input():
    ds = _new_dataset()
    ds.file_meta = FileMetaDataset()
    with pytest.raises(ValueError, match="Unable to determine the encoding"):
        _bytes(ds)
    ds.file_meta.TransferSyntaxUID = "1.2.840.10008.1.2.1"
    with pytest.raises(ValueError, match="not consistent"):
        _bytes(ds, implicit_vr=True)
    with pytest.raises(ValueError, match="force_encoding"):
        _bytes(ds, force_encoding=True, enforce_file_format=True)
    with pytest.raises(TypeError, match="Invalid keyword"):
        _bytes(ds, nonsense=1)
    with pytest.raises(ValueError, match="File Meta Information Group"):
        bad = _new_dataset()
        bad.add_new(0x00020010, "UI", "1.2.840.10008.1.2")
        _bytes(bad, implicit_vr=True)
    with pytest.raises(ValueError, match="Implicit VR and big endian"):
        _bytes(_new_dataset(), implicit_vr=True, little_endian=False)


def test_write_like_original_is_deprecated():
    ds = _new_dataset()
    ds.file_meta = FileMetaDataset()
    ds.file_meta.TransferSyntaxUID = "1.2.840.10008.1.2"
    buffer = io.BytesIO()
    with pytest.warns(DeprecationWarning):
        dcmwrite(buffer, ds, write_like_original=False)
    assert buffer.getvalue()[128:132] == b"DICM"
    with pytest.warns(DeprecationWarning):
        fastdicom.write_file(io.BytesIO(), ds)


def test_save_as_refuses_change_of_byte_order_but_dcmwrite_swaps(tmp_path):
    ds = fastdicom.dcmread(MR_BIG)
    ds.file_meta.TransferSyntaxUID = "1.2.840.10008.1.2.1"
    with pytest.raises(ValueError, match="little and big endian"):
        ds.save_as(tmp_path / "x.dcm")
    dcmwrite(tmp_path / "x.dcm", ds)
    import numpy as np

    assert np.array_equal(
        pydicom.dcmread(tmp_path / "x.dcm").pixel_array, pydicom.dcmread(MR_BIG).pixel_array
    )


def test_bad_value_names_element_and_nothing_is_written(tmp_path):
    target = tmp_path / "out.dcm"
    shutil.copy(CT, target)
    before = target.read_bytes()
    ds = fastdicom.dcmread(CT)
    ds.add_new(0x00280030, "DS", None)
    ds[0x00280030]._value = object()  # not encodable
    with pytest.raises(Exception, match=r"\(0028,0030\) PixelSpacing"):
        dcmwrite(target, ds)
    assert target.read_bytes() == before
    assert sorted(os.listdir(tmp_path)) == ["out.dcm"]


def test_writing_validation_mode():
    ds = _new_dataset()
    ds.add_new(0x00080060, "CS", "A" * 20, ) if False else None
    ds.Modality = "CT"
    ds["Modality"]._value = "THIS IS A VERY LONG CS VALUE"
    with pytest.warns(UserWarning, match="exceeds the maximum length"):
        _bytes(ds, implicit_vr=True)
    old = config.settings.writing_validation_mode
    config.settings.writing_validation_mode = config.RAISE
    try:
        with pytest.raises(ValueError, match=r"\(0008,0060\) Modality"):
            _bytes(ds, implicit_vr=True)
        ds["Modality"]._value = "CT"
        ds["SOPInstanceUID"]._value = "1.2.x"
        with pytest.raises(ValueError, match="SOPInstanceUID"):
            _bytes(ds, implicit_vr=True)
    finally:
        config.settings.writing_validation_mode = old


def test_exception_mid_write_leaves_original_intact(tmp_path, monkeypatch):
    import fastdicom.filewriter as fw

    target = tmp_path / "ct.dcm"
    shutil.copy(CT, target)
    before = target.read_bytes()
    ds = fastdicom.dcmread(target)
    ds.PatientName = "Changed"
    calls = {"n": 0}
    real = fw._write_chunks_fd

    def failing(fd, chunks):  # write half the chunks, then fail
        real(fd, chunks[: len(chunks) // 2])
        raise OSError("disk full (injected)")

    monkeypatch.setattr(fw, "_write_chunks_fd", failing)
    with pytest.raises(OSError, match="injected"):
        dcmwrite(target, ds)
    assert target.read_bytes() == before
    assert os.listdir(tmp_path) == ["ct.dcm"]

    real_element = fw._write_element

    def failing_element(out, ctx, tag, elem):
        calls["n"] += 1
        if calls["n"] == 2:
            raise RuntimeError("injected after some elements")
        return real_element(out, ctx, tag, elem)

    monkeypatch.setattr(fw, "_write_chunks_fd", real)
    monkeypatch.setattr(fw, "_write_element", failing_element)
    ds.PatientID = "X"
    with pytest.raises(RuntimeError, match="injected"):
        dcmwrite(target, ds)
    assert target.read_bytes() == before
    assert os.listdir(tmp_path) == ["ct.dcm"]


def test_overwrite_own_source_with_deferred_values(tmp_path):
    target = tmp_path / "ct.dcm"
    shutil.copy(CT, target)
    ds = fastdicom.dcmread(target, defer_size=256)
    ds.PatientName = "Over^Written"
    dcmwrite(target, ds)
    back = pydicom.dcmread(target)
    original = pydicom.dcmread(CT)
    assert back.PatientName == "Over^Written"
    assert back.PixelData == original.PixelData
    assert ds.PixelData == original.PixelData  # still readable after the replace
    with pytest.raises(FileExistsError):
        dcmwrite(target, ds, overwrite=False)


def test_overwrite_false_and_new_file_mode(tmp_path):
    ds = fastdicom.dcmread(CT)
    target = tmp_path / "new.dcm"
    dcmwrite(str(target), ds, overwrite=False)
    assert target.read_bytes() == __import__("pathlib").Path(CT).read_bytes()
    umask = os.umask(0)
    os.umask(umask)
    assert target.stat().st_mode & 0o777 == 0o666 & ~umask


def test_encode_element():
    elem = fastdicom.DataElement(0x00100010, "PN", "Doe^J")
    assert encode_element(elem, False, True) == b"\x10\x00\x10\x00PN\x06\x00Doe^J "
    assert encode_element(elem, True, True) == b"\x10\x00\x10\x00\x06\x00\x00\x00Doe^J "


@pytest.mark.parametrize("source", [CT, MR_IMPLICIT, MR_BIG])
@pytest.mark.parametrize("target", ["1.2.840.10008.1.2", "1.2.840.10008.1.2.1", "1.2.840.10008.1.2.2",
                                    "1.2.840.10008.1.2.1.99"])
def test_conversion_there_and_back(source, target):
    import numpy as np

    ds = fastdicom.dcmread(source)
    original_ts = str(ds.file_meta.TransferSyntaxUID)
    ds.file_meta.TransferSyntaxUID = target
    converted = _bytes(ds)
    theirs = pydicom.dcmread(io.BytesIO(converted))
    assert np.array_equal(theirs.pixel_array, pydicom.dcmread(source).pixel_array)
    back = fastdicom.dcmread(io.BytesIO(converted))
    back.file_meta.TransferSyntaxUID = original_ts
    again = pydicom.dcmread(io.BytesIO(_bytes(back)))
    assert again.PixelData == pydicom.dcmread(source).PixelData
