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
    with pytest.warns(DeprecationWarning):
        with pytest.raises(AttributeError, match="'ToleranceTables'"):
            plan.ToleranceTables
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
    with pytest.warns(DeprecationWarning, match="PatientsName"):
        plan.PatientsName = "Anonymous"
    assert plan.PatientName == "Anonymous"
    assert plan[0x00100010].value == "Anonymous"
    ds = dicom.Dataset()
    with pytest.warns(DeprecationWarning, match="PatientsName"):
        ds.PatientsName = "x"
    assert list(ds.keys()) == [0x00100010]


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


def test_old_name_in_contains_is_pydicom3(plan):
    # the 'in' operator follows pydicom 3: an unknown keyword warns, False
    with pytest.warns(UserWarning, match="Invalid value 'PatientsName'"):
        assert ("PatientsName" in plan) is False


def test_old_name_str_output_unchanged(plan):
    import pydicom

    assert str(plan) == str(pydicom.dcmread(RTPLAN))
