"""The compiled value conversion (fastdicom._values) against the Python path.

Every value the compiled path makes must be the value
:func:`fastdicom.values.convert_value_bytes` makes (type, value, attributes);
whatever it does not handle it must decline. Datasets read values by
keyword before making their elements, with pydicom's identities kept.
"""

from __future__ import annotations

import copy
import io
import pickle
import struct

import pytest

import fastdicom
from fastdicom import config, values
from fastdicom.dataset import Dataset
from fastdicom.multival import MultiValue
from fastdicom.values import DECLINED, convert_record, convert_value_bytes


def _state(value):
    """What identifies a converted value: type, value, and its attributes."""
    if isinstance(value, MultiValue):
        return ("MV", getattr(value._constructor, "__name__", type(value._constructor).__name__),
                [_state(v) for v in value])
    if isinstance(value, list):
        return ("list", [_state(v) for v in value])
    attrs = dict(vars(value)) if hasattr(value, "__dict__") else {}
    return (type(value).__name__, str(value), repr(value), attrs)


CASES = [
    ("US", b"\x01\x02"), ("US", b"\x01\x02\x03\x04"), ("SS", b"\xff\xff"),
    ("UL", b"\x01\x00\x00\x80"), ("SL", b"\xff\xff\xff\xff\x01\x00\x00\x00"),
    ("FL", struct.pack("<f", 1.1)), ("FD", struct.pack("<dd", 1.5, -2.25)),
    ("SV", struct.pack("<q", -5)), ("UV", struct.pack("<Q", 2**63 + 1)),
    ("US", b"\x01"),  # wrong length: declined
    ("UI", b"1.2.840.10008.1.2.1\x00"), ("UI", b"1.2.3\\1.2.4 "),
    ("UI", b"1.2.03"), ("UI", b"1.2..3"), ("UI", b" 1.2"), ("UI", b"1" * 65),
    ("UI", b"1.2\\x"), ("UI", b"\x00\x00"),
    ("CS", b"ORIGINAL\\PRIMARY\\AXIAL "), ("CS", b"MONOCHROME2 "), ("AS", b"045Y"),
    ("CS", b"\xe9t\xe9"), ("DA", b"20240101"), ("TM", b"101010.5 "), ("DT", b"2024\\2025"),
    ("AE", b" STORESCP  "), ("AE", b"A \\ B"),
    ("DS", b"0.5\\0.5 "), ("DS", b" -1.5e3"), ("DS", b"1.0\x00"), ("DS", b"1_0"),
    ("DS", b"nan"), ("DS", b"1\\\\2"), ("DS", b"1.5\t"), ("DS", b"+.5"), ("DS", b"1e999"),
    ("DS", b"12345678901234567"), ("DS", b"1.\\2.0"), ("DS", b"abc"),
    ("IS", b"42 "), ("IS", b" -7\\+8"), ("IS", b"1.0"), ("IS", b"1.5"),
    ("IS", b"99999999999"), ("IS", b"1234567890123"), ("IS", b"\\1"), ("IS", b"x"),
    ("LO", b"Some text  "), ("LO", b"a\\b "), ("LO", b"x" * 65), ("SH", b"y" * 17),
    ("SH", b"\xe9l\xe8ve"), ("UC", b"z" * 100), ("LO", b"\x1b(Babc"),
    ("LT", b"line\\with backslash\r\n "), ("ST", b"s" * 1025), ("UT", b"t\x00"),
    ("PN", b"Doe^John"), ("PN", b"Doe^John=Ideo=Phon "), ("PN", b"A=B=C=D"),
    ("PN", b"Doe^John\\Roe^Jane"), ("PN", b"M\xfcller"), ("PN", b"=^ "), ("PN", b"x" * 70),
    ("UR", b"http://example.com  "), ("AT", b"\x10\x00\x10\x00"),
    ("AT", b"\x10\x00\x10\x00\x08\x00\x18\x00"), ("AT", b"\x10\x00\x10"),
    ("OB", b"\x00\x01\x02"), ("OW", b"\x00\x01"), ("OF", b"\x00" * 8),
    ("US", b""), ("PN", b""), ("XX", b"ab"),
]


@pytest.mark.parametrize("vr, raw", CASES)
@pytest.mark.parametrize("little", [True, False])
@pytest.mark.parametrize("mode", [config.IGNORE, config.WARN, config.RAISE])
def test_compiled_equals_python_path(vr, raw, little, mode, monkeypatch):
    monkeypatch.setattr(config.settings, "reading_validation_mode", mode)
    encodings = ["iso8859"]
    # A source buffer with the value in the middle: offsets are honoured
    source = memoryview(b"\xaa" * 7 + raw + b"\xbb" * 5)
    fast = convert_record(vr, source, 7, len(raw), little, encodings)
    if fast is DECLINED:
        return
    expected = convert_value_bytes(vr, raw, little, encodings)
    assert _state(fast) == _state(expected)


def test_plain_values_are_made_by_the_compiled_path():
    # The point of the module: the common values do not decline
    for vr, raw in [("US", b"\x01\x00"), ("UI", b"1.2.3"), ("DS", b"1.5\\2"),
                    ("IS", b"12"), ("PN", b"Doe^John"), ("LO", b"abc"), ("CS", b"A\\B")]:
        assert convert_record(vr, raw, 0, len(raw), True, ["iso8859"]) is not DECLINED, vr


@pytest.mark.parametrize("setting, vr, raw", [
    ("use_DS_decimal", "DS", b"1.5"),
    ("use_DS_numpy", "DS", b"1.5"),
    ("use_IS_numpy", "IS", b"3"),
    ("datetime_conversion", "DA", b"20240102"),
])
def test_settings_the_compiled_path_leaves_to_python(setting, vr, raw, monkeypatch):
    pytest.importorskip("numpy")
    monkeypatch.setattr(config, setting, True)
    assert convert_record(vr, raw, 0, len(raw), True, ["iso8859"]) is DECLINED


def test_replaced_converter_declines(monkeypatch):
    monkeypatch.setitem(values.converters, "US", (values.convert_numbers, "h"))
    assert convert_record("US", b"\xff\xff", 0, 2, True, None) is DECLINED


def test_charsets():
    # ISO_IR 100 decodes every byte; an ASCII-compatible charset only ASCII;
    # UTF-16-like or ISO 2022 text is left to charset.decode_bytes
    assert convert_record("LO", b"\xe9", 0, 1, True, ["latin_1"]) == "\xe9"
    assert convert_record("LO", b"abc", 0, 3, True, ["utf_8"]) == "abc"
    assert convert_record("LO", b"\xc3\xa9", 0, 2, True, ["utf_8"]) is DECLINED
    assert convert_record("LO", b"abc", 0, 3, True, ["iso2022_jp"]) is DECLINED


def test_bounds_are_checked():
    with pytest.raises(ValueError, match="outside the buffer"):
        convert_record("US", b"\x01\x00", 1, 2, True, None)
    with pytest.raises(ValueError, match="outside the buffer"):
        convert_record("US", b"\x01\x00", -1, 2, True, None)


# --------------------------------------------------------------- datasets


def _file(tmp_path, implicit=False):
    ds = Dataset()
    ds.PatientName = "Doe^John"
    ds.PatientID = "ID1"
    ds.StudyInstanceUID = "1.2.3.4"
    ds.ImagePositionPatient = [1.5, -2.0, 3.25]
    ds.InstanceNumber = 7
    ds.Rows = 512
    ds.SliceThickness = "1.25"
    ds.ImageType = ["ORIGINAL", "PRIMARY"]
    path = tmp_path / "f.dcm"
    fastdicom.dcmwrite(path, ds, implicit_vr=implicit, little_endian=True)
    return path


@pytest.mark.parametrize("implicit", [False, True])
def test_keyword_values_match_pydicom(tmp_path, implicit):
    pydicom = pytest.importorskip("pydicom")
    path = _file(tmp_path, implicit)
    ours = fastdicom.dcmread(path, force=True)
    theirs = pydicom.dcmread(path, force=True)
    for keyword in ("PatientName", "PatientID", "StudyInstanceUID", "ImagePositionPatient",
                    "InstanceNumber", "Rows", "SliceThickness", "ImageType"):
        a, b = getattr(ours, keyword), getattr(theirs, keyword)
        assert a == b and type(a).__name__ == type(b).__name__, keyword
        assert ours[keyword].VR == theirs[keyword].VR
    assert str(ours) == str(theirs)


def test_value_identity_and_element_made_later(tmp_path):
    ds = fastdicom.dcmread(_file(tmp_path), force=True)
    uid = ds.StudyInstanceUID
    assert ds.StudyInstanceUID is uid  # cached
    assert 0x0020000D in ds._dict._values  # no element yet
    elem = ds[0x0020000D]
    assert elem.value is uid and ds.StudyInstanceUID is uid
    assert 0x0020000D not in ds._dict._values
    assert ds.get("InstanceNumber") == 7
    assert ds.data_element("InstanceNumber").value is ds.InstanceNumber


def test_multivalue_edited_in_place_is_written(tmp_path):
    ds = fastdicom.dcmread(_file(tmp_path), force=True)
    ipp = ds.ImagePositionPatient
    assert ds.ImagePositionPatient is ipp
    ipp[0] = 9
    assert ds[0x00200032].value[0] == 9
    out = io.BytesIO()
    ds.save_as(out)
    assert fastdicom.dcmread(io.BytesIO(out.getvalue()), force=True).ImagePositionPatient[0] == 9


def test_set_and_delete_after_keyword_read(tmp_path):
    ds = fastdicom.dcmread(_file(tmp_path), force=True)
    assert ds.PatientID == "ID1"
    ds.PatientID = "ID2"
    assert ds.PatientID == "ID2" and ds["PatientID"].value == "ID2"
    assert ds.Rows == 512
    del ds.Rows
    assert "Rows" not in ds
    with pytest.raises(AttributeError):
        ds.Rows


def test_copies_keep_cached_values(tmp_path):
    ds = fastdicom.dcmread(_file(tmp_path), force=True)
    assert ds.PatientID == "ID1"
    for clone in (copy.deepcopy(ds), pickle.loads(pickle.dumps(ds))):
        assert clone.PatientID == "ID1"
        assert clone["PatientID"].value == "ID1"


def test_validation_warning_comes_from_python_path(tmp_path):
    # An invalid UID is declined by the compiled path and warned about as before
    ds = Dataset()
    ds.StudyInstanceUID = "1.2.34"
    path = tmp_path / "bad.dcm"
    fastdicom.dcmwrite(path, ds, implicit_vr=False, little_endian=True)
    path.write_bytes(path.read_bytes().replace(b"1.2.34", b"1.2.03"))
    read = fastdicom.dcmread(path, force=True)
    with pytest.warns(UserWarning, match="Invalid value for VR UI"):
        assert read.StudyInstanceUID == "1.2.03"
