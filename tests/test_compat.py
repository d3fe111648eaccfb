"""The original pydicom (0.9) user guide, through ``import fastdicom as dicom``."""

from __future__ import annotations

import pytest
from pydicom.data import get_testdata_file

import fastdicom as dicom
from fastdicom.tag import Tag

RTPLAN = get_testdata_file("rtplan.dcm")


@pytest.fixture
def plan():
    return dicom.dcmread(RTPLAN)


def test_read_file_deprecated():
    with pytest.warns(DeprecationWarning, match="'read_file' is the old pydicom 0.9 name of 'dcmread'"):
        ds = dicom.read_file(RTPLAN)
    assert ds == dicom.dcmread(RTPLAN)
    assert isinstance(ds, dicom.FileDataset)


def test_old_element_names_match_current(plan):
    with pytest.warns(DeprecationWarning, match="'PatientsName' is the old pydicom 0.9 name of 'PatientName'"):
        assert plan.PatientsName == plan.PatientName
    with pytest.warns(DeprecationWarning, match="PatientsBirthDate"):
        assert plan.PatientsBirthDate == plan.PatientBirthDate
    with pytest.warns(DeprecationWarning, match="'Beams' is the old pydicom 0.9 name of 'BeamSequence'"):
        beams = plan.Beams
    assert beams is plan.BeamSequence
    assert beams[0].BeamName == "Field 1"
    with pytest.warns(DeprecationWarning, match="ControlPoints"):
        assert beams[0].ControlPoints[0].GantryAngle == beams[0].ControlPointSequence[0].GantryAngle
    with pytest.warns(DeprecationWarning, match="FractionGroups"):
        assert plan.FractionGroups is plan.FractionGroupSequence


def test_current_keywords_do_not_warn(plan):
    # pytest's filterwarnings=error would fail on any warning
    assert plan.PatientName == "Last^First^mid^pre"
    assert plan.BeamSequence[0].BeamName == "Field 1"
    assert plan.dir("pat") == ["PatientBirthDate", "PatientID", "PatientName", "PatientSetupSequence", "PatientSex"]


def test_missing_old_name_raises_attribute_error(plan):
    # An old name whose element is absent is a plain miss: no warning, so
    # hasattr() and getattr() with a default stay silent (as in pydicom 3)
    with pytest.raises(AttributeError, match="'ToleranceTables'"):
        plan.ToleranceTables
    assert not hasattr(plan, "ToleranceTables")
    assert getattr(plan, "ToleranceTables", None) is None
    with pytest.raises(AttributeError, match="NotAnythingAtAll"):
        plan.NotAnythingAtAll


def test_data_element_old_name(plan):
    with pytest.warns(DeprecationWarning, match="PatientsName"):
        elem = plan.data_element("PatientsName")
    assert elem is plan.data_element("PatientName")
    assert elem.description == "Patient's Name"


def test_add_new_old_method(plan):
    with pytest.warns(DeprecationWarning, match="'AddNew' is the old pydicom 0.9 name of 'add_new'"):
        plan.AddNew(0x00100021, "LO", "issuer")
    assert plan.IssuerOfPatientID == "issuer"
    ds = dicom.Dataset()
    with pytest.warns(DeprecationWarning, match="'AddNew'"):
        ds.AddNew((0x10, 0x10), "PN", "Doe^John")
    assert str(ds.PatientName) == "Doe^John"


def test_set_old_name(plan):
    # pydicom 3's rule for a camel-case name that is not a keyword applies
    # (config.INVALID_KEYWORD_BEHAVIOR), but the element it names is set, so
    # the old guide's anonymisation still changes what is written
    msg = (
        r"Camel case attribute 'PatientsName' used which is not in the element "
        r"keyword data dictionary: it is the pydicom 0.9 name of 'PatientName', "
        r"which was set instead"
    )
    with pytest.warns(UserWarning, match=msg):
        plan.PatientsName = "Anonymous"
    assert plan.PatientName == "Anonymous"
    assert plan[0x00100010].value == "Anonymous"
    assert "PatientsName" not in plan.__dict__
    ds = dicom.Dataset()
    with pytest.warns(UserWarning, match="PatientsName"):
        ds.PatientsName = "x"
    assert list(ds.keys()) == [0x00100010]


def test_set_old_name_follows_invalid_keyword_behavior(monkeypatch):
    ds = dicom.Dataset()
    monkeypatch.setattr(dicom.config, "INVALID_KEYWORD_BEHAVIOR", "RAISE")
    with pytest.raises(ValueError, match="pydicom 0.9 name of 'PatientName', use 'PatientName'"):
        ds.PatientsName = "x"
    assert "PatientName" not in ds
    monkeypatch.setattr(dicom.config, "INVALID_KEYWORD_BEHAVIOR", "IGNORE")
    ds.PatientsName = "y"  # no warning: warnings are errors here
    assert ds.PatientName == "y"


def test_delete_old_name(plan):
    with pytest.warns(DeprecationWarning, match="'PatientsName' is the old pydicom 0.9 name"):
        del plan.PatientsName
    assert "PatientName" not in plan
    with pytest.raises(AttributeError):
        del plan.PatientsName  # absent now: a plain miss


def test_old_encoding_attribute_names():
    ds = dicom.Dataset()
    with pytest.warns(DeprecationWarning) as record:
        ds.isLittleEndian = True
        ds.isImplicitVR = False
    messages = [str(w.message) for w in record]
    # the old-name warning, then pydicom 3's own for the current name
    assert "'isLittleEndian' is the old pydicom 0.9 name of 'is_little_endian'" in messages[0]
    assert any("'Dataset.is_little_endian' will be removed in v4.0" in m for m in messages)
    assert "isLittleEndian" not in ds.__dict__
    with pytest.warns(DeprecationWarning, match="'isImplicitVR' is the old pydicom 0.9 name"):
        assert ds.isImplicitVR is False
    with pytest.warns(DeprecationWarning, match="isLittleEndian"):
        assert ds.isLittleEndian is True
    assert ds.is_little_endian is True


def test_future_behavior_drops_old_names(plan, monkeypatch):
    monkeypatch.setattr(dicom.config, "_use_future", True)
    with pytest.raises(AttributeError, match="PatientsName"):
        plan.PatientsName
    with pytest.raises(AttributeError, match="AddNew"):
        plan.AddNew


def test_other_old_methods(plan):
    with pytest.warns(DeprecationWarning, match="GroupDataset"):
        group = plan.GroupDataset(0x10)
    assert group == plan.group_dataset(0x10)
    with pytest.warns(DeprecationWarning, match="RemovePrivateTags"):
        plan.RemovePrivateTags()


def test_tag_import():
    assert Tag(0x10, 0x10) == 0x00100010
    assert Tag("PatientName") == 0x00100010
    assert str(Tag(0x00100010)) == "(0010,0010)"


def test_old_name_in_contains(plan):
    with pytest.warns(DeprecationWarning, match="'PatientsName' is the old pydicom 0.9 name"):
        assert "PatientsName" in plan
    with pytest.warns(DeprecationWarning, match="'Beams' is the old pydicom 0.9 name of 'BeamSequence'"):
        assert "Beams" in plan
    with pytest.warns(DeprecationWarning, match="ToleranceTables"):
        assert "ToleranceTables" not in plan
    # names that never were keywords keep pydicom 3's invalid-key warning
    with pytest.warns(UserWarning, match="Invalid value 'NotAName'"):
        assert "NotAName" not in plan


def test_old_name_str_output_unchanged(plan):
    import pydicom

    assert str(plan) == str(pydicom.dcmread(RTPLAN))


def test_oldest_spellings_readfile_writefile(tmp_path):
    """pydicom 0.9's ``dicom.ReadFile`` / ``dicom.WriteFile`` read and write, with a warning."""
    path = get_testdata_file("CT_small.dcm")
    with pytest.warns(DeprecationWarning, match="'ReadFile' is the old pydicom 0.9 name of 'dcmread'"):
        ds = dicom.ReadFile(path)
    assert ds.PatientName == dicom.dcmread(path).PatientName
    out = tmp_path / "out.dcm"
    with pytest.warns(DeprecationWarning, match="'WriteFile' is the old pydicom 0.9 name of 'dcmwrite'"):
        dicom.WriteFile(out, ds)
    assert dicom.dcmread(out).PatientName == ds.PatientName
