"""Inputs tools/fuzz_campaign.py found (issue 12), each replayed from its seed
through the entry point that failed on it. ``tests/fuzzing.py`` makes the
same bytes from the same seed; the outcome must be a documented error (or
success), never the exception the campaign met.
"""

from __future__ import annotations

import re
import sys
import tempfile
import warnings
from pathlib import Path

import pytest

import fastdicom

pytest.importorskip("pydicom")
sys.path.insert(0, str(Path(__file__).resolve().parent))
import fuzzing  # noqa: E402

# Not fixed, as pydicom: seed 1086356 (JSON of a PN value with no component
# group) raises IndexError in pydicom 3.0.2 and here alike, which
# tests/test_json.py checks.
ACCEPTED = (fastdicom.errors.InvalidDicomError, ValueError,
            fastdicom.errors.BytesLengthException, NotImplementedError)


@pytest.fixture(scope="module")
def originals():
    # the campaign ran over the files pydicom's test data has here (all of
    # FUZZ_FILES but chrSQEncoding.dcm, which is not in the data installed)
    return fuzzing.load_originals(fuzzing.testdata_paths())


# seed, entry point, what the campaign met
FOUND = [
    (1092255, "fileset", "AttributeError: an empty directory record in the DICOMDIR"),
    (1080275, "fileset", "KeyError: a record offset that is no record's"),
    (1006375, "fileset", "AttributeError: str() of a SERIES record without Series Number"),
    (1002975, "fileset", "TypeError: a Directory Record Type read as AT (not hashable)"),
    (1023895, "fileset", "AttributeError: a Directory Record Sequence read as OB"),
    (1122235, "fileset", "TypeError: a Directory Record Sequence read as AT (None)"),
    (1055155, "fileset", "KeyError: no (0004,1200) offset of the first record"),
    (1165655, "fileset", "TypeError: a Record In-use Flag read as UI"),
    (1026675, "fileset", "AttributeError: a DICOMDIR File Meta group without Transfer Syntax UID"),
    (1203985, "json", "TypeError: an AT value of one tag read as a list"),
    (1021299, "export", "TypeError: palette LUT data read as UT (text)"),
    (1026945, "series", "memory blow-up: 10^9 Frame objects for Number of Frames = 10^9"),
    (1040967, "pixels", "TypeError: a Rows element with two values"),
    (1009437, "pixels", "hang: CharLS on a JPEG-LS codestream without EOI"),
    (1306338, "export", "TypeError: Pixel Data read as a sequence (its VR mutated to SQ)"),
    (1353523, "pixels", "TypeError: a Photometric Interpretation of two values (unhashable list)"),
    (1274675, "fileset", "hang: a lower-level record link back to a record already linked (a cycle through the levels)"),
    (1144649, "anonymize", "TypeError: a File Meta Transfer Syntax UID read as UL copied into the new group"),
    (1042594, "anonymize", "TypeError: a File Meta Transfer Syntax UID of another VR (a flipped byte)"),
    (1223917, "anonymize", "struct.error: a new Study Instance UID written into the element read as US"),
]


@pytest.mark.parametrize(("seed", "entry", "found"), FOUND, ids=[f"{s}-{e}" for s, e, _ in FOUND])
def test_campaign_finding(seed, entry, found, originals):
    data, _ = fuzzing.make_input(seed, originals)
    with warnings.catch_warnings(), tempfile.TemporaryDirectory() as workdir:
        warnings.simplefilter("ignore")
        try:
            ds = fastdicom.dcmread(data, force=True)
            fuzzing.ENTRY_POINTS[entry](fastdicom, ds, data, workdir)
        except ACCEPTED:
            pass
        except AttributeError as exc:
            assert fuzzing.classify(exc, ACCEPTED) is not None, f"{found}: {exc!r}"


def test_charset_value_of_numbers_is_read_as_text():
    """Seed 1098230: a (0008,0005) read as a number (its VR overwritten)
    made writing raise TypeError in the charset lookup."""
    from fastdicom.charset import convert_encodings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        assert convert_encodings([100, b"ISO_IR 100"]) == convert_encodings(["100", "ISO_IR 100"])
        assert convert_encodings([None]) == convert_encodings([""])


# -- DICOMDIRs broken by hand as the campaign's inputs were (issue 12) --------


def _dicomdir(tmp_path: Path, change=None) -> Path:
    """pydicom's test DICOMDIR, its bytes changed by `change`, in tmp_path."""
    from pydicom.data import get_testdata_file

    data = Path(get_testdata_file("DICOMDIR")).read_bytes()
    path = tmp_path / "DICOMDIR"
    path.write_bytes(change(data) if change else data)
    return path


def _fileset(ds):
    from fastdicom.fileset import FileSet

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # its instances are not in tmp_path
        return FileSet(ds)


def test_dicomdir_record_sequence_not_a_sequence(tmp_path):
    """Seeds 1023895, 1122235, 1128915: the VR of (0004,1220) overwritten,
    its value bytes or None (AttributeError / TypeError before)."""
    def as_ob(data):
        at = data.index(b"\x04\x00\x20\x12SQ")
        return data[:at + 4] + b"OB" + data[at + 6:]

    path = _dicomdir(tmp_path, as_ob)
    with pytest.raises(ValueError, match=r"DICOMDIR.*is corrupt: its \(0004,1220\) 'Directory Record Sequence' "
                                         r"is not a sequence \(VR OB"):
        _fileset(fastdicom.dcmread(path))


def test_dicomdir_without_first_record_offset(tmp_path):
    """Seeds 1055155, 1222495: no (0004,1200) (KeyError before)."""
    ds = fastdicom.dcmread(_dicomdir(tmp_path))
    del ds.OffsetOfTheFirstDirectoryRecordOfTheRootDirectoryEntity
    with pytest.raises(ValueError, match=r"is corrupt: its \(0004,1200\) .* is not one offset \(no element\)"):
        _fileset(ds)


def test_dicomdir_record_type_and_links_of_another_vr(tmp_path):
    """Seed 1002975: a Directory Record Type of several values (TypeError in
    str()); a record link that is no offset; seed 1165655: a Record In-use
    Flag read as UI (TypeError when it was set)."""
    from fastdicom.dataelem import DataElement

    ds = fastdicom.dcmread(_dicomdir(tmp_path))
    record = ds.DirectoryRecordSequence[1]
    record.DirectoryRecordType = ["STUDY", "SERIES"]
    with pytest.raises(ValueError, match=rf"record at offset {record.seq_item_tell} has an invalid "
                                         r"\(0004,1430\) 'Directory Record Type'"):
        _fileset(ds)

    ds = fastdicom.dcmread(_dicomdir(tmp_path))
    record = ds.DirectoryRecordSequence[1]
    record[0x00041400] = DataElement(0x00041400, "UI", "1.2.3")
    with pytest.raises(ValueError, match=rf"STUDY directory record at offset {record.seq_item_tell} has an "
                                         r"invalid \(0004,1400\) 'Offset of the Next Directory Record'"):
        _fileset(ds)

    ds = fastdicom.dcmread(_dicomdir(tmp_path))
    record = ds.DirectoryRecordSequence[1]
    record[0x00041410] = DataElement(0x00041410, "UI", "1.2.3")
    fs = _fileset(ds)
    assert record[0x00041410].VR == "US" and record.RecordInUseFlag == 0xFFFF
    assert len(fs) == len(_fileset(fastdicom.dcmread(_dicomdir(tmp_path))))


def test_dicomdir_without_transfer_syntax(tmp_path):
    """Seed 1026675: a DICOMDIR whose File Meta group has no (0002,0010)
    raised AttributeError; it is loaded with the warning of a DICOMDIR in
    another transfer syntax (PS3.10 §8.6: it is rewritten explicit VR LE)."""
    from fastdicom.fileset import FileSet

    ds = fastdicom.dcmread(_dicomdir(tmp_path))
    del ds.file_meta.TransferSyntaxUID
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")  # its instances are not in tmp_path: warned too
        fs = FileSet(ds)
    assert any("uses no transfer syntax and will be updated" in str(w.message) for w in caught)
    assert len(fs) == len(_fileset(fastdicom.dcmread(_dicomdir(tmp_path))))


def test_dicomdir_file_id_with_a_nul(tmp_path):
    """Seed 1006295: a NUL in a Referenced File ID gave pathlib's bare
    "embedded null byte" ValueError, naming neither record nor tag."""
    ds = fastdicom.dcmread(_dicomdir(tmp_path))
    record = next(r for r in ds.DirectoryRecordSequence if "ReferencedFileID" in r)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # not a valid CS value: warned on assignment
        record.ReferencedFileID = ["7765\x00033", "CT2", "17166"]
    with pytest.raises(ValueError, match=rf"record at offset {record.seq_item_tell} has an invalid "
                                         r"\(0004,1500\) 'Referenced File ID'"):
        _fileset(ds)


def test_dicomdir_text_of_record_without_its_keys(tmp_path):
    """Seeds 1006375, 1095375: a SERIES record without Series Number (its
    length overwritten) made str(FileSet) raise AttributeError."""
    ds = fastdicom.dcmread(_dicomdir(tmp_path))
    series = next(r for r in ds.DirectoryRecordSequence if r.DirectoryRecordType == "SERIES")
    del series.SeriesNumber
    text = str(_fileset(ds))
    assert f"SERIES: Modality={series.Modality}, SeriesNumber=(missing)" in text


def test_json_of_an_at_value_read_as_a_list_of_one_tag():
    """Seed 1203985: an AT of 8 bytes cut to 6 is read (as by pydicom 3.0.2)
    as a list of one tag, whose JSON raised TypeError (pydicom too)."""
    import struct

    data = b"\x28\x00\x09\x00AT" + struct.pack("<H", 6) + b"\x54\x00\x10\x00\x54\x00"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        ds = fastdicom.dcmread(data, force=True)
    assert list(ds[0x00280009].value) == [0x00540010]
    assert ds[0x00280009].to_json_dict(None, 1024) == {"vr": "AT", "Value": ["00540010"]}
    assert fastdicom.Dataset.from_json(ds.to_json()).FrameIncrementPointer == 0x00540010


def test_palette_lut_data_of_a_text_vr():
    """Seed 1021299: Red Palette Color Lookup Table Data read as UT (its VR
    overwritten) reached numpy as a str (TypeError, pydicom 3.0.2 too)."""
    from pydicom.data import get_testdata_file

    from fastdicom.dataelem import DataElement
    from fastdicom.pixels import apply_color_lut

    ds = fastdicom.dcmread(get_testdata_file("OBXXXX1A.dcm"))
    arr = ds.pixel_array
    text = "x" * len(ds.RedPaletteColorLookupTableData)
    ds[0x00281201] = DataElement(0x00281201, "UT", text)
    with pytest.raises(ValueError, match=r"\(0028,1201\) 'RedPaletteColorLookupTableData' value is not "
                                         r"binary LUT data \(VR UT, a str\)"):
        apply_color_lut(arr, ds)


# -- de-identification of elements whose VR the file gets wrong (issue 11, 12) --


def _anonymizer():
    from fastdicom.anonymize import Anonymizer

    return Anonymizer(b"fuzz-regression-key")


def test_anonymize_file_meta_uids_of_another_vr(caplog):
    """Seeds 1144649, 1042594: a (0002,0010) read as UL (value 214) was
    copied into the new File Meta group (TypeError: a UID must be created
    from a string). A File Meta UID that is no str is treated as missing:
    the new group names the encoding the file was read with, and says so."""
    from pydicom.data import get_testdata_file

    from fastdicom.dataelem import DataElement
    from fastdicom.uid import ExplicitVRLittleEndian

    ds = fastdicom.dcmread(get_testdata_file("CT_small.dcm"))
    sop_class = ds.SOPClassUID
    ds.file_meta[0x00020010] = DataElement(0x00020010, "UL", 214)
    ds.file_meta[0x00020002] = DataElement(0x00020002, "UL", 7)
    ds.file_meta[0x00020003] = DataElement(0x00020003, "OB", b"1.2.3.4")
    del ds.SOPInstanceUID
    with caplog.at_level("WARNING", logger="fastdicom"):
        _anonymizer().anonymize(ds)
    assert ds.file_meta.TransferSyntaxUID == ExplicitVRLittleEndian
    assert ds.file_meta.MediaStorageSOPClassUID == sop_class
    assert "MediaStorageSOPInstanceUID" not in ds.file_meta
    assert "(0002,0010) 'Transfer Syntax UID' is not a UID (214)" in caplog.text
    out = fastdicom.dcmread(__import__("io").BytesIO(_anonymizer().encode(ds)))
    assert out.file_meta.TransferSyntaxUID == ExplicitVRLittleEndian


def _mutated(name, tag, vr, touch):
    """pydicom's test file `name` with element `tag` read as `vr` (as a
    mutated VR makes the reader do); converted first when `touch`."""
    from pydicom.data import get_testdata_file

    ds = fastdicom.dcmread(get_testdata_file(name))
    ds.update_raw_element(tag, vr=vr)
    if touch:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # text read as numbers
            ds[tag].value
    return ds


@pytest.mark.parametrize("touch", [False, True], ids=["raw", "converted"])
def test_anonymize_replacements_are_written_with_the_dictionary_vr(touch):
    """Seed 1223917: the new Study Instance UID was written into the element
    read as US (struct.error when saving). Each replacement - U, D, C of a
    date, a kept UID, a reference sequence - is made for the dictionary VR
    (PS3.6) and written with it, the value read again from the element's
    bytes: the UID gets the same replacement as its correct-VR original."""
    import io

    from pydicom.data import get_testdata_file

    from fastdicom.anonymize import Profile

    original = fastdicom.dcmread(get_testdata_file("CT_small.dcm"))
    anonymizer = _anonymizer()
    expected = anonymizer.anonymize(fastdicom.dcmread(get_testdata_file("CT_small.dcm")))
    cases = {
        0x0020000D: "US",  # Study Instance UID: U
        0x00100020: "US",  # Patient ID: Z/D, a keyed pseudonym (a str)
        0x00080080: "SS",  # Institution Name: X/Z/D, the dummy text
        0x00100010: "OB",  # Patient's Name: Z, empty
        0x00200052: "OB",  # Frame of Reference UID: U
        0x00080016: "US",  # SOP Class UID: not in Table E.1-1, a registry UID kept
    }
    for tag, vr in cases.items():
        ds = _mutated("CT_small.dcm", tag, vr, touch)
        anonymizer.anonymize(ds)
        data = anonymizer.encode(ds)
        if tag == 0x00100020:
            # keyed by the Patient ID as read (numbers): another pseudonym, of the same form
            assert ds[tag].VR == "LO" and re.fullmatch("ANON[0-9A-F]{16}", ds[tag].value)
            assert fastdicom.dcmread(io.BytesIO(data))[tag].value == ds[tag].value
            continue
        assert ds[tag].VR == expected[tag].VR and ds[tag].value == expected[tag].value, hex(tag)
        assert fastdicom.dcmread(io.BytesIO(data))[tag].value == expected[tag].value
        assert str(original[tag].value).encode() not in data or tag == 0x00080016

    # C of a date under the modified-dates option: shifted as the DA it is
    modified = type(anonymizer)(anonymizer.key, Profile(retain_longitudinal_modified_dates=True))
    ds = _mutated("CT_small.dcm", 0x00080020, "SS", touch)
    modified.anonymize(ds)
    want = modified.anonymize(fastdicom.dcmread(get_testdata_file("CT_small.dcm"))).StudyDate
    assert ds[0x00080020].VR == "DA" and ds.StudyDate == want != original.StudyDate
    modified.encode(ds)

    # a reference sequence read as OB: recursed into, its UIDs replaced
    source = fastdicom.dcmread(get_testdata_file("SC_rgb_small_odd.dcm")).SourceImageSequence[0].SOPInstanceUID
    ds = _mutated("SC_rgb_small_odd.dcm", 0x00082112, "OB", touch)
    anonymizer.anonymize(ds)
    assert ds[0x00082112].VR == "SQ"
    assert ds.SourceImageSequence[0].SOPInstanceUID == anonymizer.new_uid(source)
    assert source.encode() not in anonymizer.encode(ds)


def test_anonymize_value_that_is_no_value_of_the_dictionary_vr():
    """Bytes that do not decode with the dictionary VR (a sequence that
    does not parse) leave the element empty with its dictionary VR: valid,
    and nothing of the original kept; a DICOMDIR record's Patient's Name
    read as US gets its dummy (the keyed pseudonym, a str) as a PN."""
    import io

    ds = fastdicom.Dataset()
    ds.set_original_encoding(False, True)
    ds.DirectoryRecordType = "PATIENT"
    ds[0x00100010] = fastdicom.dataelem.RawDataElement(
        fastdicom.tag.Tag(0x00100010), "US", 4, b"\x01\x02\x03\x04", 0, False, True)  # PN
    ds[0x00082112] = fastdicom.dataelem.RawDataElement(
        fastdicom.tag.Tag(0x00082112), "OB", 6, b"\xfe\xff\x00\xe0\x09\x00", 0, False, True)  # SQ
    anonymizer = _anonymizer()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        anonymizer.anonymize(ds)
    assert ds[0x00100010].VR == "PN" and re.fullmatch("ANON[0-9A-F]{16}", str(ds.PatientName))
    assert ds[0x00082112].VR == "SQ" and len(ds[0x00082112].value) == 0
    out = fastdicom.dcmread(io.BytesIO(anonymizer.encode(ds)), force=True)
    assert out[0x00082112].VR == "SQ"


@pytest.mark.parametrize("touch", [False, True], ids=["raw", "converted"])
def test_anonymize_sequence_under_a_tag_that_is_no_sequence(touch):
    """A file that gives SQ to an element the dictionary does not (here
    Manufacturer's Model Name, LO, kept by the Basic Profile): the items are
    de-identified like any sequence's, not written out untouched."""
    import io

    from pydicom.data import get_testdata_file

    from fastdicom.dataelem import DataElement

    ds = fastdicom.dcmread(get_testdata_file("SC_rgb_small_odd.dcm"))
    source = ds.SourceImageSequence[0].SOPInstanceUID
    ds.SourceImageSequence[0].PatientName = "Secret^Patient"
    ds[0x00081090] = DataElement(0x00081090, "SQ", ds.SourceImageSequence)
    buffer = io.BytesIO()
    ds.save_as(buffer)
    ds = fastdicom.dcmread(io.BytesIO(buffer.getvalue()))
    if touch:
        ds[0x00081090].value
    anonymizer = _anonymizer()
    assert anonymizer.action_for(0x00081090) is None
    anonymizer.anonymize(ds)
    item = ds[0x00081090].value[0]
    assert item.PatientName == "" and item.SOPInstanceUID == anonymizer.new_uid(source)
    data = anonymizer.encode(ds)
    assert b"Secret" not in data and source.encode() not in data


def test_anonymize_burned_in_flag_of_another_vr():
    """Burned In Annotation YES read as US (a corrupt VR) is still YES: the
    file is refused; with Clean Pixel Data the flag becomes a CS "NO" (it
    was set as the value of the US element)."""
    import io

    from pydicom.data import get_testdata_file

    from fastdicom.anonymize import Anonymizer, BurnedInAnnotationError, Profile

    ds = fastdicom.dcmread(get_testdata_file("CT_small.dcm"))
    ds.BurnedInAnnotation = "YES"
    buffer = io.BytesIO()
    ds.save_as(buffer)

    def mutated():
        ds = fastdicom.dcmread(io.BytesIO(buffer.getvalue()))
        ds.update_raw_element(0x00280301, vr="US")
        return ds

    with pytest.raises(BurnedInAnnotationError):
        _anonymizer().anonymize(mutated())
    cleaner = Anonymizer(b"key", Profile(clean_pixel_data=True), pixel_regions=[(0, 0, 4, 4)])
    ds = cleaner.anonymize(mutated())
    assert ds[0x00280301].VR == "CS" and ds.BurnedInAnnotation == "NO"
    assert fastdicom.dcmread(io.BytesIO(cleaner.encode(ds))).BurnedInAnnotation == "NO"
