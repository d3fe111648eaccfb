"""Tests for :mod:`fastdicom.anonymize` (PS3.15 Annex E de-identification)."""

from __future__ import annotations

import copy
import io
import os
import shutil
import subprocess
import warnings
from datetime import date, timedelta
from pathlib import Path

import pytest

import fastdicom
from fastdicom import config
from fastdicom._deid_table import ACTIONS, COLUMNS, EDITION, MASKED
from fastdicom.anonymize import (
    SAFE_PRIVATE_CSA,
    SAFE_PRIVATE_DIFFUSION,
    Anonymizer,
    BurnedInAnnotationError,
    LeakError,
    Profile,
    anonymize,
    atomic_write,
    find_leaks,
)
from fastdicom.dataelem import DataElement
from fastdicom.dataset import Dataset
from fastdicom.filereader import dcmread
from fastdicom.sequence import Sequence
from fastdicom.uid import is_valid_uid, keyed_uid
from fastdicom.valuerep import validate_value

pydicom_data = pytest.importorskip("pydicom.data")

KEY = b"0123456789abcdef-test-key"
TEST_DIR = Path(pydicom_data.get_testdata_file("CT_small.dcm")).parent


def _path(name: str) -> str:
    return pydicom_data.get_testdata_file(name)


def _readable_files() -> list[Path]:
    files = []
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for path in sorted(TEST_DIR.rglob("*")):
            if not path.is_file():
                continue
            try:
                ds = dcmread(path)
                list(ds.iterall())
            except Exception:
                continue
            files.append(path)
    return files


READABLE = _readable_files()


def _roundtrip(ds: Dataset, anonymizer: Anonymizer) -> tuple[Dataset, bytes]:
    anonymizer.anonymize(ds)
    data = anonymizer.encode(ds)
    return dcmread(io.BytesIO(data)), data


def _uids(ds: Dataset) -> list[str]:
    return [str(e.value) for e in ds.iterall() if e.VR == "UI" and e.value and not isinstance(e.value, list)]


def test_table_is_generated_from_the_standard():
    # Facts of PS3.15 Table E.1-1 (2026d, every column).
    assert ACTIONS[0x00100010][0] == "Z"  # Patient's Name
    assert ACTIONS[0x0020000D][0] == "U"  # Study Instance UID
    assert ACTIONS[0x0020000D][2] == "K"  # ... kept by Retain UIDs
    assert ACTIONS[0x00080020][0] == "Z"  # Study Date
    assert ACTIONS[0x00080020][6:8] == ("K", "C")  # full dates keep, modified dates clean
    assert ACTIONS[0x00101010][5] == "K"  # Patient's Age kept by patient characteristics
    assert len(ACTIONS) > 600


def test_basic_profile_on_ct():
    ds = dcmread(_path("CT_small.dcm"))
    original = dcmread(_path("CT_small.dcm"))
    out, data = _roundtrip(ds, Anonymizer(KEY))
    assert out.PatientIdentityRemoved == "YES"
    assert out.PatientID.startswith("ANON") and out.PatientID != original.PatientID
    assert str(out.PatientName) in ("", out.PatientID)
    codes = [item.CodeValue for item in out.DeidentificationMethodCodeSequence]
    assert codes == ["113100"]
    assert out.DeidentificationMethodCodeSequence[0].CodingSchemeDesignator == "DCM"
    assert out.LongitudinalTemporalInformationModified == "REMOVED"
    assert out.SOPInstanceUID == keyed_uid(original.SOPInstanceUID, KEY)
    assert out.file_meta.MediaStorageSOPInstanceUID == out.SOPInstanceUID
    assert out.SOPClassUID == original.SOPClassUID  # registry UIDs stay
    assert all(is_valid_uid(uid) for uid in _uids(out))
    assert not any(int(tag) >> 16 & 1 for tag in out.keys())  # no private element
    assert "InstitutionName" not in out or out.InstitutionName in ("", "ANONYMIZED")
    assert find_leaks(original, data, Anonymizer(KEY)) == []


def test_leak_scanner_finds_what_was_not_removed():
    original = dcmread(_path("CT_small.dcm"))
    data = Path(_path("CT_small.dcm")).read_bytes()
    leaks = find_leaks(original, data, Anonymizer(KEY))
    values = {leak.value for leak in leaks}
    assert str(original.PatientName) in values or "CompressedSamples" in values
    assert original.StudyInstanceUID in values
    assert len(leaks) > 5
    for leak in leaks:
        assert data[leak.offset:leak.offset + len(leak.value)].decode("latin-1") == leak.value


@pytest.mark.parametrize("path", READABLE, ids=lambda p: str(p.relative_to(TEST_DIR)))
def test_no_leak_in_any_test_file(path):
    """Every pydicom test file that reads: nothing identifying remains, for two profiles."""
    profiles = [Profile(), Profile(retain_longitudinal_modified_dates=True, clean_descriptors=True,
                                   clean_structured_content=True, retain_safe_private=True)]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for profile in profiles:
            anonymizer = Anonymizer(KEY, profile, allow_burned_in=True)
            original = dcmread(path)
            ds = dcmread(path)
            anonymizer.anonymize(ds)
            data = anonymizer.encode(ds)
            assert find_leaks(original, data, anonymizer) == []
            assert dcmread(io.BytesIO(data)).PatientIdentityRemoved == "YES"


def test_uids_consistent_across_files_and_runs(tmp_path):
    a = dcmread(_path("MR_small.dcm"))
    b = dcmread(_path("MR_small.dcm"))
    b.SOPInstanceUID = "1.2.3.4.5.6"
    b.ReferencedImageSequence = Sequence([Dataset()])
    b.ReferencedImageSequence[0].ReferencedSOPClassUID = a.SOPClassUID
    b.ReferencedImageSequence[0].ReferencedSOPInstanceUID = a.SOPInstanceUID
    study = a.StudyInstanceUID
    first = Anonymizer(KEY).anonymize(a)
    second = Anonymizer(KEY).anonymize(b)  # another run, same key
    assert first.StudyInstanceUID == second.StudyInstanceUID != study
    assert first.SeriesInstanceUID == second.SeriesInstanceUID
    assert first.SOPInstanceUID != second.SOPInstanceUID
    # The reference in b points at a's new SOP Instance UID.
    assert second.ReferencedImageSequence[0].ReferencedSOPInstanceUID == first.SOPInstanceUID
    other = Anonymizer(b"another key").anonymize(dcmread(_path("MR_small.dcm")))
    assert other.StudyInstanceUID != first.StudyInstanceUID


def test_dates_shift_per_patient_keeping_intervals():
    profile = Profile(retain_longitudinal_modified_dates=True)
    ds = dcmread(_path("CT_small.dcm"))
    ds.StudyDate = "20040119"
    ds.ContentDate = "20040201"
    ds.AcquisitionDateTime = "20040119072730.125+0100"
    ds.StudyTime = "072730"
    out = Anonymizer(KEY, profile).anonymize(ds)
    study = date(int(out.StudyDate[:4]), int(out.StudyDate[4:6]), int(out.StudyDate[6:]))
    content = date(int(out.ContentDate[:4]), int(out.ContentDate[4:6]), int(out.ContentDate[6:]))
    assert (content - study).days == 13
    assert out.StudyDate != "20040119"
    assert out.AcquisitionDateTime == out.StudyDate + "072730.125+0100"
    assert out.StudyTime == "072730"
    assert out.LongitudinalTemporalInformationModified == "MODIFIED"
    # The same patient in another file moves by the same offset; another patient differs.
    again = dcmread(_path("CT_small.dcm"))
    again.StudyDate = "20040119"
    assert Anonymizer(KEY, profile).anonymize(again).StudyDate == out.StudyDate
    offsets = {Anonymizer(KEY).date_offset(f"patient {i}") for i in range(20)}
    assert len(offsets) > 15 and all(-3650 <= o <= -1 for o in offsets)


def test_full_dates_and_retain_options():
    profile = Profile(retain_longitudinal_full_dates=True, retain_uids=True, retain_device_identity=True,
                      retain_patient_characteristics=True, retain_institution_identity=True)
    original = dcmread(_path("CT_small.dcm"))
    out = Anonymizer(KEY, profile).anonymize(dcmread(_path("CT_small.dcm")))
    assert out.StudyDate == original.StudyDate
    assert out.StudyInstanceUID == original.StudyInstanceUID
    assert out.SOPInstanceUID == original.SOPInstanceUID
    assert out.PatientSex == original.PatientSex
    if "DeviceSerialNumber" in original:
        assert out.DeviceSerialNumber == original.DeviceSerialNumber
    assert out.InstitutionName == original.InstitutionName
    codes = {item.CodeValue for item in out.DeidentificationMethodCodeSequence}
    assert codes == {"113100", "113106", "113110", "113109", "113108", "113112"}
    with pytest.raises(ValueError, match="exclude each other"):
        Profile(retain_longitudinal_full_dates=True, retain_longitudinal_modified_dates=True)


def test_structured_report_is_cleaned_recursively():
    original = dcmread(_path("test-SR.dcm"))
    out, data = _roundtrip(dcmread(_path("test-SR.dcm")), Anonymizer(KEY))
    new_uids = set(_uids(out))
    for uid in _uids(original):
        if uid not in fastdicom.uid.UID_dictionary:
            assert uid not in new_uids
            assert keyed_uid(uid, KEY) in new_uids
    # Observation DateTime (0040,A032) inside content items: replaced (D) at every depth.
    before = [e.value for e in original.iterall() if e.tag == 0x0040A032]
    after = [e.value for e in out.iterall() if e.tag == 0x0040A032]
    assert len(before) == len(after) > 1
    assert all(str(v) == "19000101000000" for v in after)
    assert find_leaks(original, data, Anonymizer(KEY)) == []


def _private_dataset() -> Dataset:
    ds = dcmread(_path("CT_small.dcm"))
    mr = ds.private_block(0x0019, "SIEMENS MR HEADER", create=True)
    mr.add_new(0x0C, "IS", "1000")
    mr.add_new(0x0E, "FD", [0.0, 0.6, 0.8])
    mr.add_new(0x50, "LO", "Operator JOHN DOE")
    csa = ds.private_block(0x0029, "SIEMENS CSA HEADER", create=True)
    csa.add_new(0x10, "OB", b"SV10\x04\x03\x02\x01" + b"\x00" * 8)
    nested = ds.private_block(0x0041, "ACME NESTED", create=True)
    item = Dataset()
    item.PatientName = "Secret^Person"
    nested.add_new(0x01, "SQ", Sequence([item]))
    return ds


def test_private_elements_and_safe_allowlist():
    out = Anonymizer(KEY).anonymize(_private_dataset())
    assert not any(int(tag) >> 16 & 1 for tag in out.keys())

    kept = Anonymizer(KEY, Profile(retain_safe_private=True)).anonymize(_private_dataset())
    block = kept.private_block(0x0019, "SIEMENS MR HEADER")
    assert block[0x0C].value == "1000"
    assert list(block[0x0E].value) == [0.0, 0.6, 0.8]
    assert 0x0019_1050 not in kept and 0x0019_1150 not in kept
    assert not any(int(tag) >> 16 in (0x0029, 0x0041) for tag in kept.keys())

    both = {**SAFE_PRIVATE_DIFFUSION, **SAFE_PRIVATE_CSA}
    with_csa = Anonymizer(KEY, Profile(retain_safe_private=True), safe_private=both).anonymize(_private_dataset())
    assert with_csa.private_block(0x0029, "SIEMENS CSA HEADER")[0x10].value.startswith(b"SV10")
    codes = {item.CodeValue for item in with_csa.DeidentificationMethodCodeSequence}
    assert "113111" in codes


def test_burned_in_annotation_is_refused_unless_allowed():
    ds = dcmread(_path("CT_small.dcm"))
    ds.BurnedInAnnotation = "YES"
    with pytest.raises(BurnedInAnnotationError, match="Burned In Annotation"):
        Anonymizer(KEY).anonymize(ds)
    assert Anonymizer(KEY, allow_burned_in=True).anonymize(ds).PatientIdentityRemoved == "YES"


def test_clean_pixel_data_blanks_regions():
    ds = dcmread(_path("CT_small.dcm"))
    ds.BurnedInAnnotation = "YES"
    anonymizer = Anonymizer(KEY, Profile(clean_pixel_data=True), pixel_regions=[(0, 0, 10, 20)])
    out = anonymizer.anonymize(ds)
    array = out.pixel_array
    assert (array[:10, :20] == 0).all() and array[10:, 20:].any()
    assert out.BurnedInAnnotation == "NO"
    assert "113101" in {item.CodeValue for item in out.DeidentificationMethodCodeSequence}
    with pytest.raises(ValueError, match="pixel_regions"):
        Anonymizer(KEY, Profile(clean_pixel_data=True))


def test_replacements_are_valid_for_their_vr():
    """Every D/Z replacement of every table row passes the VR's validation (PS3.5 §6.2)."""
    from fastdicom.anonymize import _DUMMY

    for vr, value in _DUMMY.items():
        if isinstance(value, str):
            validate_value(vr, value, config.RAISE)
    for path in READABLE[:60]:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            original = dcmread(path)
            invalid_before = {e.tag for e in original.iterall() if not _valid(e)}
            out = Anonymizer(KEY, allow_burned_in=True).anonymize(dcmread(path))
            for elem in out.iterall():
                if elem.tag not in invalid_before:
                    assert _valid(elem), (path.name, elem)


def _valid(elem) -> bool:
    if elem.VR not in ("AE", "AS", "CS", "DA", "DS", "DT", "IS", "LO", "PN", "SH", "TM", "UI"):
        return True
    values = elem.value if isinstance(elem.value, (list, tuple, fastdicom.multival.MultiValue)) else [elem.value]
    try:
        for value in values:
            if value is not None:
                validate_value(elem.VR, str(value) if elem.VR != "PN" else value, config.RAISE)
    except (ValueError, TypeError):
        return False
    return True


def test_anonymize_file_is_atomic_and_never_overwrites(tmp_path):
    src = tmp_path / "in.dcm"
    shutil.copy(_path("CT_small.dcm"), src)
    before = src.read_bytes()
    anonymizer = Anonymizer(KEY)
    with pytest.raises(FileExistsError):
        anonymizer.anonymize_file(src, src)
    assert src.read_bytes() == before
    dst = tmp_path / "out.dcm"
    data = anonymizer.anonymize_file(src, dst)
    assert dst.read_bytes() == data
    with pytest.raises(FileExistsError):
        anonymizer.anonymize_file(src, dst)
    anonymizer.anonymize_file(src, dst, overwrite=True)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in.dcm", "out.dcm"]  # no temp file left
    atomic_write(tmp_path / "x.bin", b"abc")
    assert (tmp_path / "x.bin").read_bytes() == b"abc"


def test_check_refuses_a_leaky_output(tmp_path):
    class Careless(Anonymizer):
        def anonymize(self, ds):
            return ds  # removes nothing

    with pytest.raises(LeakError) as info:
        Careless(KEY).anonymize_file(_path("CT_small.dcm"), tmp_path / "o.dcm", check=True)
    assert info.value.leaks and not (tmp_path / "o.dcm").exists()


def test_directory_job_survives_bad_files(tmp_path):
    src = tmp_path / "in"
    (src / "a" / "b").mkdir(parents=True)
    shutil.copy(_path("CT_small.dcm"), src / "a" / "ct.dcm")
    shutil.copy(_path("MR_small.dcm"), src / "a" / "b" / "mr.dcm")
    (src / "a" / "junk.dcm").write_bytes(b"not dicom at all" * 10)
    burned = dcmread(_path("MR_small.dcm"))
    burned.BurnedInAnnotation = "YES"
    burned.save_as(src / "burned.dcm")
    calls = []
    report = Anonymizer(KEY).anonymize_tree([src], tmp_path / "out", progress=lambda *a: calls.append(a))
    assert sorted(Path(d).relative_to(tmp_path / "out").as_posix() for _, d in report.written) == [
        "a/b/mr.dcm", "a/ct.dcm"]
    failed = dict(report.failed)
    assert set(failed) == {str(src / "a" / "junk.dcm"), str(src / "burned.dcm")}
    assert "BurnedInAnnotationError" in failed[str(src / "burned.dcm")]
    assert len(calls) == 4 and calls[-1][:2] == (4, 4)
    assert not report.ok


def test_outputs_accepted_by_dcmtk(tmp_path):
    for tool in ("dcmftest", "dcmdump"):
        assert shutil.which(tool), f"{tool} missing: DCMTK is a test dependency (.ci/run installs it)"
    anonymizer = Anonymizer(KEY, allow_burned_in=True)
    names = ["CT_small.dcm", "MR_small.dcm", "test-SR.dcm", "rtplan.dcm", "JPEG2000.dcm", "rtdose_rle.dcm",
             "examples_overlay.dcm", "liver.dcm"]
    for name in names:
        out = tmp_path / name
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # some of these files are not quite valid
            anonymizer.anonymize_file(_path(name), out, check=True)
        assert subprocess.run(["dcmftest", str(out)], capture_output=True).returncode == 0, name
        dump = subprocess.run(["dcmdump", "-q", str(out)], capture_output=True, text=True, errors="replace")
        assert dump.returncode == 0 and not dump.stderr.strip(), (name, dump.stderr)
        assert "PatientIdentityRemoved" in subprocess.run(
            ["dcmdump", str(out)], capture_output=True, text=True, errors="replace").stdout


def test_module_function_and_missing_key():
    ds = anonymize(dcmread(_path("CT_small.dcm")), KEY)
    assert ds.PatientIdentityRemoved == "YES"
    a = anonymize(dcmread(_path("CT_small.dcm")))  # random key: different each time
    b = anonymize(dcmread(_path("CT_small.dcm")))
    assert a.StudyInstanceUID != b.StudyInstanceUID
    with pytest.raises(ValueError, match="empty"):
        Anonymizer(b"")


def test_group_lengths_and_overlays_are_removed():
    ds = dcmread(_path("examples_overlay.dcm"))
    assert any(int(t) >> 16 == 0x6000 for t in ds.keys())
    out = Anonymizer(KEY).anonymize(ds)
    assert not any(int(t) >> 16 == 0x6000 for t in out.keys())
    kept = Anonymizer(KEY, Profile(clean_graphics=True)).anonymize(dcmread(_path("examples_overlay.dcm")))
    assert 0x60003000 in kept
    assert os.environ.get("FASTDICOM_TEST_NEVER_SET") is None


def test_gzipped_input_is_written_gzipped(tmp_path):
    import gzip

    src = tmp_path / "ct.dcm.gz"
    src.write_bytes(gzip.compress(Path(_path("CT_small.dcm")).read_bytes()))
    data = Anonymizer(KEY).anonymize_file(src, tmp_path / "out.dcm.gz", check=True)
    written = (tmp_path / "out.dcm.gz").read_bytes()
    assert written[:2] == b"\x1f\x8b" and gzip.decompress(written) == data
    assert dcmread(io.BytesIO(data)).PatientIdentityRemoved == "YES"


def test_dataset_made_in_memory():
    ds = Dataset()
    ds.PatientName = "Doe^John"
    ds.PatientID = "123456"
    ds.StudyInstanceUID = "1.2.3.4"
    ds.SOPClassUID = "1.2.840.10008.5.1.4.1.1.2"
    ds.SOPInstanceUID = "1.2.3.4.5"
    anonymizer = Anonymizer(KEY)
    original = copy.deepcopy(ds)
    anonymizer.anonymize(ds)
    data = anonymizer.encode(ds)
    out = dcmread(io.BytesIO(data))
    assert out.file_meta.TransferSyntaxUID == fastdicom.uid.ExplicitVRLittleEndian
    assert out.PatientID == anonymizer.pseudonym("123456")
    assert find_leaks(original, data, anonymizer) == []


# -- PS3.15 2026d option columns, where the 2020 edition said otherwise -------

def _column(tag: int, name: str) -> str:
    return ACTIONS[tag][1 + COLUMNS.index(name)]


_CHANGED_SINCE_2020 = [
    (0x00080055, "rtnDevIdOpt", "C", ""),  # Station AE Title
    (0x00400241, "rtnDevIdOpt", "C", "K"),  # Performed Station AE Title
    (0x00321021, "rtnDevIdOpt", "C", "K"),  # Scheduled Study Location AE Title
    (0x00181203, "rtnDevIdOpt", "K", ""),  # Calibration DateTime
    (0x00081120, "rtnUIDsOpt", "K", "X"),  # Referenced Patient Sequence
    (0x00080017, "rtnUIDsOpt", "K", ""),  # Acquisition UID
    (0x04000564, "rtnInstIdOpt", "K", ""),  # Source of Previous Values
    (0x00102161, "rtnPatCharsOpt", "K", ""),  # Ethnic Group Code Sequence
    (0x00100042, "rtnPatCharsOpt", "C", ""),  # Sex Parameters for Clinical Use Category Comment
    (0x00080012, "rtnLongFullDatesOpt", "K", ""),  # Instance Creation Date
    (0x00080012, "rtnLongModifDatesOpt", "C", ""),  # Instance Creation Date
    (0x0040A121, "rtnLongModifDatesOpt", "C", ""),  # Date (SR content)
    (0x30060002, "cleanDescOpt", "C", ""),  # Structure Set Label
    (0x30060026, "cleanDescOpt", "C", ""),  # ROI Name
    (0x0040B020, "cleanStructContOpt", "C", ""),  # Waveform Annotation Sequence
]


@pytest.mark.parametrize(
    "tag, column, action_2026d, action_2020",
    _CHANGED_SINCE_2020,
    ids=[f"({t >> 16:04X},{t & 0xFFFF:04X})-{c}" for t, c, _, _ in _CHANGED_SINCE_2020],
)
def test_option_columns_are_the_2026d_edition(tag, column, action_2026d, action_2020):
    """Cells of Table E.1-1 that changed between PS3.15 2020 and 2026d."""
    assert EDITION == "2026d"
    assert _column(tag, column) == action_2026d != action_2020


def test_table_has_every_2026d_row():
    # 657 rows: 653 attributes, three repeating groups and the private attributes.
    assert len(ACTIONS) == 653 and len(MASKED) == 4
    assert ACTIONS[0x3004007F][0] == "X"  # Dose Calculation Model Name: new in 2026d (not in 2026c)
    assert _column(0x3004007F, "cleanDescOpt") == "C"
    assert "X" not in {row[1 + COLUMNS.index("rtnUIDsOpt")] for row in ACTIONS.values()}


def _ct_with(**elements) -> tuple[Dataset, Dataset]:
    ds = dcmread(_path("CT_small.dcm"))
    for keyword, value in elements.items():
        setattr(ds, keyword, value)
    return copy.deepcopy(ds), ds


def test_retain_device_identity_cleans_ae_titles(tmp_path):
    """2026d: AE Titles are C under Retain Device Identity (2020: removed, or kept as they were)."""
    original, ds = _ct_with(StationAETitle="RADIOLOGY_CT1", PerformedStationAETitle="STMARYS_CT2",
                            RetrieveAETitle=["HOSPITALPACS", "ARCHIVE_7"])
    anonymizer = Anonymizer(KEY, Profile(retain_device_identity=True))
    out, data = _roundtrip(ds, anonymizer)
    for keyword in ("StationAETitle", "PerformedStationAETitle"):
        value = str(getattr(out, keyword))
        assert value == anonymizer.device_pseudonym(str(getattr(original, keyword)))
        assert value.startswith("DEV") and len(value) == 16
        validate_value("AE", value, 2)
    assert list(out.RetrieveAETitle) == [anonymizer.device_pseudonym(t) for t in original.RetrieveAETitle]
    # the same title gets the same stand-in under the key, a different one under another key
    again = Anonymizer(KEY, Profile(retain_device_identity=True)).anonymize(_ct_with(StationAETitle="RADIOLOGY_CT1")[1])
    assert again.StationAETitle == out.StationAETitle
    assert Anonymizer(b"other key", Profile(retain_device_identity=True)).device_pseudonym(
        "RADIOLOGY_CT1") != out.StationAETitle
    for title in ("RADIOLOGY_CT1", "STMARYS_CT2", "HOSPITALPACS", "ARCHIVE_7"):
        assert title.encode() not in data
    assert find_leaks(original, data, anonymizer) == []
    # DCMTK reads the stand-ins without a complaint (dcmdump -E: errors to stderr)
    (tmp_path / "ae.dcm").write_bytes(data)
    dump = subprocess.run(["dcmdump", "-E", "-q", str(tmp_path / "ae.dcm")], capture_output=True, text=True,
                          errors="replace")
    assert dump.returncode == 0 and not dump.stderr.strip(), dump.stderr
    # without the option the Basic Profile removes them (X)
    out = Anonymizer(KEY).anonymize(_ct_with(StationAETitle="RADIOLOGY_CT1")[1])
    assert "StationAETitle" not in out


def test_retain_uids_keeps_referenced_patient_sequence():
    """2026d: Referenced Patient Sequence is K under Retain UIDs (2020: X, removed)."""
    item = Dataset()
    item.ReferencedSOPClassUID = "1.2.840.10008.3.1.2.1.1"
    item.ReferencedSOPInstanceUID = "1.2.3.4.5.6.7.8"
    original, ds = _ct_with(ReferencedPatientSequence=Sequence([item]))
    anonymizer = Anonymizer(KEY, Profile(retain_uids=True))
    out, data = _roundtrip(ds, anonymizer)
    assert out.ReferencedPatientSequence[0].ReferencedSOPInstanceUID == "1.2.3.4.5.6.7.8"
    assert find_leaks(original, data, anonymizer) == []
    assert "ReferencedPatientSequence" not in Anonymizer(KEY).anonymize(_ct_with(
        ReferencedPatientSequence=Sequence([copy.deepcopy(item)]))[1])


def test_longitudinal_options_cover_instance_creation_date():
    """2026d: Instance Creation Date is K / C under the temporal options (2020: no entry, X/D)."""
    original, ds = _ct_with(InstanceCreationDate="20040119")
    out = Anonymizer(KEY, Profile(retain_longitudinal_full_dates=True)).anonymize(ds)
    assert out.InstanceCreationDate == "20040119"
    anonymizer = Anonymizer(KEY, Profile(retain_longitudinal_modified_dates=True))
    out, data = _roundtrip(_ct_with(InstanceCreationDate="20040119")[1], anonymizer)
    offset = anonymizer.date_offset(str(original.PatientID))
    assert out.InstanceCreationDate == (date(2004, 1, 19) + timedelta(days=offset)).strftime("%Y%m%d")
    assert out.InstanceCreationDate != "20040119" and find_leaks(original, data, anonymizer) == []
    # the Basic Profile alone: X/D, a dummy date
    assert Anonymizer(KEY).anonymize(_ct_with(InstanceCreationDate="20040119")[1]).InstanceCreationDate \
        == "19000101"


def test_clean_descriptors_cleans_structure_set_label():
    """2026d: Structure Set Label is C under Clean Descriptors (2020: no entry, D: a dummy)."""
    original, ds = _ct_with(StructureSetLabel="LUNG CivilSex", PatientName="CivilSex^Jane")
    anonymizer = Anonymizer(KEY, Profile(clean_descriptors=True))
    out, data = _roundtrip(ds, anonymizer)
    assert "LUNG" in out.StructureSetLabel and "CIVILSEX" not in out.StructureSetLabel.upper()
    assert find_leaks(original, data, anonymizer) == []
    assert Anonymizer(KEY).anonymize(_ct_with(StructureSetLabel="LUNG")[1]).StructureSetLabel == "ANONYMIZED"
    # a label that is nothing but the patient's name keeps a value (Type 1): the dummy
    out = anonymizer.anonymize(_ct_with(StructureSetLabel="CivilSex", PatientName="CivilSex^Jane")[1])
    assert out.StructureSetLabel == "ANONYMIZED"


def test_retain_patient_characteristics_keeps_ethnic_group_code_sequence():
    """2026d: Ethnic Group Code Sequence is K under Retain Patient Characteristics (2020: X)."""
    code = Dataset()
    code.CodeValue, code.CodingSchemeDesignator, code.CodeMeaning = "2106-3", "CDCREC", "White"
    original, ds = _ct_with(EthnicGroupCodeSequence=Sequence([code]))
    out = Anonymizer(KEY, Profile(retain_patient_characteristics=True)).anonymize(ds)
    assert out.EthnicGroupCodeSequence[0].CodeValue == "2106-3"
    assert "EthnicGroupCodeSequence" not in Anonymizer(KEY).anonymize(_ct_with(
        EthnicGroupCodeSequence=Sequence([copy.deepcopy(code)]))[1])


def test_dose_calculation_model_name_is_removed():
    """(3004,007F) entered Table E.1-1 in 2026d (X): before, an unlisted element was kept."""
    ds = dcmread(_path("CT_small.dcm"))
    ds[0x3004007F] = DataElement(0x3004007F, "LO", "ClinicModel-StMarys")
    original = copy.deepcopy(ds)
    anonymizer = Anonymizer(KEY)
    out, data = _roundtrip(ds, anonymizer)
    assert 0x3004007F not in out and b"ClinicModel-StMarys" not in data
    assert find_leaks(original, data, anonymizer) == []
