"""DataElement and RawDataElement, differential against pydicom 3."""

from __future__ import annotations

import copy
import warnings

import pydicom
import pytest
from pydicom.data import get_testdata_file

import fastdicom
from fastdicom.dataelem import DataElement, RawDataElement
from fastdicom.multival import MultiValue
from fastdicom.tag import Tag


def outcome(fn, mod):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            result = fn(mod)
        except Exception as exc:  # noqa: BLE001
            result = ("raised", type(exc).__name__, str(exc))
    return result, [(w.category.__name__, str(w.message)) for w in caught]


def same(fn):
    theirs = outcome(fn, pydicom)
    ours = outcome(fn, fastdicom)
    assert ours == theirs
    return ours[0]


def props(e):
    return (
        str(e.tag), e.VR, e.VM, repr(e.value), type(e.value).__name__, e.keyword, e.name,
        e.repval, e.is_private, e.is_retired, e.is_empty, e.private_creator, str(e),
        repr(e), repr(e.empty_value), e.is_undefined_length, e.file_tell,
    )


CASES = [
    (0x00100010, "PN", "Doe^John"),
    (0x00100010, "PN", ""),
    (0x00100010, "PN", None),
    (0x00100010, "PN", "A^B\\C^D"),
    (0x00200032, "DS", "1\\2\\3"),
    (0x00200032, "DS", [1, 2, 3]),
    (0x00280030, "DS", ["1", "2"]),
    (0x00200037, "DS", "\\".join(["0"] * 18)),
    (0x00080060, "CS", "A\\B"),
    (0x00080008, "CS", ["ORIGINAL", "PRIMARY"]),
    (0x00080018, "UI", "1.2.840.10008.1.2"),
    (0x00080016, "UI", "1.2.3"),
    (0x00280010, "US", 512),
    (0x00281101, "US", [256, 0, 16]),
    (0x00281101, "SS", [-256, 0, 16]),
    (0x00180050, "DS", "2.5"),
    (0x00200013, "IS", "5"),
    (0x00100030, "DA", "20200101"),
    (0x00091001, "LO", "x"),
    (0x00090010, "LO", "Creator"),
    (0x00080000, "UL", 5),
    (0x00081110, "SQ", []),
    (0x00081140, "SQ", None),
    (0x00081030, "LO", "a\\b"),
    (0x00104000, "LT", "a\\b"),
    (0x00100020, "LO", b"x\\y"),
    (0x7FE00010, "OB", b"\x00" * 40),
    (0x00091001, "UN", b"\x01\x02"),
    (0x00100010, "UN", b"abc"),
    (0x00041500, "CS", "A\\B"),
    (0x00080005, "CS", "ISO_IR 100"),
    (0x00720000, "UL", 1),
    (0x60000010, "US", 5),
    (0x00280034, "IS", [1, 1]),
    (0x00660017, "FL", [1.0, 2.0, 3.0]),
    (0x00089007, "CS", ["A"] * 20),
    (0x00209161, "UI", "1.2"),
    (0x00180015, "CS", "CHEST"),
    (0x00020001, "OB", b"\x00\x01"),
    (0x0018106A, "CS", "OLD"),
]


@pytest.mark.parametrize("case", CASES, ids=[f"{c[0]:08X}-{c[1]}" for c in CASES])
def test_element_properties(case):
    same(lambda m: props(m.DataElement(*case)))


def test_backslash_splits_into_multivalue():
    elem = DataElement(0x00200032, "DS", "1\\2\\3")
    assert isinstance(elem.value, MultiValue)
    assert elem.VM == 3
    assert [float(v) for v in elem.value] == [1.0, 2.0, 3.0]
    text = DataElement(0x00104000, "LT", "a\\b")
    assert text.value == "a\\b" and text.VM == 1
    elem.value = "4"
    assert elem.VM == 1 and not isinstance(elem.value, MultiValue)


def test_lut_descriptor_first_value_unsigned():
    same(lambda m: [repr(m.DataElement(0x00281101, "SS", [-256, 0, 16]).value)])
    ds = fastdicom.dcmread(get_testdata_file("mlut_18.dcm")) if get_testdata_file("mlut_18.dcm") else None
    if ds is not None:
        same(lambda m: repr(m.dcmread(get_testdata_file("mlut_18.dcm")).ModalityLUTSequence[0].LUTDescriptor))


def test_equality_and_deepcopy():
    def run(m):
        a = m.DataElement(0x00100010, "PN", "A")
        b = m.DataElement(0x00100010, "PN", "A")
        c = m.DataElement(0x00100010, "LO", "A")
        d = m.DataElement(0x00100020, "PN", "A")
        e = copy.deepcopy(a)
        e.value = "B"
        return a == b, a != b, a == c, a == d, a == "A", a.__eq__("A") is NotImplemented, str(a.value), a == e, a != e

    same(run)
    seq = DataElement(0x00081110, "SQ", [fastdicom.Dataset()])
    clone = copy.deepcopy(seq)
    assert clone == seq
    clone.value[0].PatientName = "x"
    assert "PatientName" not in seq.value[0]
    with pytest.raises(TypeError):
        hash(seq)


@pytest.mark.parametrize(
    "vr,value",
    [("PN", "A"), ("DS", "1\\2"), ("US", 5), ("OB", b"x"), ("UI", "1.2"), ("DA", "20200101"), ("AT", 0x00100010), ("FD", 1.5), ("LO", "x"), ("UN", b"x")],
)
def test_clear_and_empty_value(vr, value):
    same(lambda m: (lambda e: (e.clear(), repr(e.value), e.is_empty, e.VM, repr(e.empty_value)))(m.DataElement(0x00100010, vr, value)))


def test_clear_sequence():
    same(lambda m: (lambda e: (e.clear(), repr(e.value), e.is_empty, e.VM))(m.DataElement(0x00081110, "SQ", [m.Dataset()])))


def test_value_errors_like_pydicom():
    same(lambda m: m.DataElement(0x00100010, "PN", "x")[0])
    same(lambda m: m.DataElement(0x00200032, "DS", "1\\2")[1])
    same(lambda m: str(m.DataElement(0x00081110, "SQ", [m.Dataset()])[0]))


def test_raw_data_element_fields():
    same(lambda m: m.dataelem.RawDataElement._fields)
    same(lambda m: (lambda r: (r.is_raw, r.is_buffered, str(r.tag), r.VR, r.length, r.value, r.value_tell))(
        m.dataelem.RawDataElement(m.tag.Tag(0x00100010), "PN", 4, b"AB^C", 0, True, True)
    ))
    raw = RawDataElement(Tag(0x00100010), "PN", 4, b"AB^C", 0, True, True)
    assert raw._replace(value=b"x").value == b"x"
    assert raw.is_raw is True and DataElement.is_raw is False


def test_class_attributes():
    same(lambda m: (lambda e: (e.descripWidth, e.maxBytesToDisplay, e.showVR, e.is_undefined_length, e.file_tell, e.is_buffered))(m.DataElement(0x00100010, "PN", "A")))


def test_show_vr_off():
    def run(m):
        e = m.DataElement(0x00100010, "PN", "A")
        e.showVR = False
        return str(e)

    same(run)


def test_description_is_name():
    elem = DataElement(0x00100010, "PN", "x")
    assert elem.description == elem.name == "Patient's Name"


@pytest.mark.parametrize("name", ["CT_small.dcm", "rtplan.dcm", "nested_priv_SQ.dcm", "priv_SQ.dcm", "MR_small.dcm"])
def test_elements_of_files(name):
    def run(m):
        ds = m.dcmread(get_testdata_file(name))
        # file_tell of elements inside defined-length sequences differs on
        # purpose: pydicom counts from the start of the sequence value,
        # fastdicom from the start of the file. Top-level offsets agree.
        return [props(e)[:-1] for e in ds.iterall()], [e.file_tell for e in ds]

    same(run)


def test_private_creator_and_name_of_read_private():
    def run(m):
        ds = m.dcmread(get_testdata_file("CT_small.dcm"))
        return [(str(e.tag), e.private_creator, e.name, e.keyword) for e in ds if e.tag.is_private]

    same(run)


def test_setting_value_converts():
    def run(m):
        e = m.DataElement(0x00200013, "IS", "5")
        e.value = "7"
        f = m.DataElement(0x00100030, "DA", "20200101")
        f.value = "19990101"
        return repr(e.value), type(e.value).__name__, repr(f.value)

    same(run)


# -- buffered values (pydicom 3: an O* value may be a file-like) -------------


def test_buffered_value_compares_copies_and_prints_like_pydicom():
    import io

    for mod in (fastdicom, pydicom):
        DE = mod.dataelem.DataElement
        data = b"\x00\x01\x02" * 5000  # spans several read chunks
        buffer = io.BytesIO(data)
        buffer.seek(7)  # the position is irrelevant and is kept
        elem = DE(0x7FE00010, "OB", buffer)
        assert elem.is_buffered
        assert elem.VM == 1
        assert elem == DE(0x7FE00010, "OB", data)
        assert DE(0x7FE00010, "OB", data) == elem
        assert elem != DE(0x7FE00010, "OB", data[:-1])
        assert buffer.tell() == 7
        assert elem.repval == repr(buffer)
        clone = copy.deepcopy(elem)
        assert clone.value is not buffer and clone == elem


def test_buffered_value_errors_name_the_element():
    import io

    with pytest.raises(ValueError, match="Elements with a VR of 'PN' cannot be used with buffered values"):
        DataElement("PatientName", "PN", io.BytesIO())
    buffer = io.BytesIO(b"\x00\x01")
    elem = DataElement(0x7FE00010, "OB", buffer)
    buffer.close()
    with pytest.raises(ValueError, match=r"Invalid buffer for \(7FE0,0010\) 'Pixel Data': the buffer has been closed"):
        elem.VM
    with pytest.raises(ValueError, match=r"Error deepcopying the buffered element \(7FE0,0010\) 'Pixel Data'"):
        copy.deepcopy(elem)


def test_DataElement_from_raw_deprecated_then_gone_in_future(monkeypatch):
    raw = RawDataElement(Tag(0x00100010), None, 4, b"Fooo", 0, True, True)
    from fastdicom.dataelem import DataElement_from_raw

    with pytest.warns(DeprecationWarning, match="please use 'fastdicom.dataelem.convert_raw_data_element'"):
        elem = DataElement_from_raw(raw)
    assert elem.value == "Fooo" and elem.VR == "PN"
    monkeypatch.setattr(fastdicom.config, "_use_future", True)
    with pytest.raises(ImportError):
        from fastdicom.dataelem import DataElement_from_raw  # noqa: F811
