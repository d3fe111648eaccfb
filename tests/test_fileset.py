"""File-sets: the DICOMDIRs fastdicom writes, read by pydicom and by DCMTK,
and DICOMDIRs written by pydicom and DCMTK read by fastdicom.

pydicom (a test dependency) is the oracle for the records: the same
instances added to a fastdicom and a pydicom File-set give the same
directory records, the same File IDs, and the same record offsets relative
to the first record (the File Meta groups differ in length: each library
writes its own Implementation Class UID). DCMTK (``dcmdump``, ``dcmmkdir``)
checks that the offsets linking the records are the ones a third
implementation follows: ``dcmmkdir --append`` rebuilds its record tree from
them, and warns of any it cannot resolve.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

import fastdicom
from fastdicom.fileset import FileSet

pydicom = pytest.importorskip("pydicom")
import pydicom.fileset  # noqa: E402
from pydicom.data import get_testdata_file  # noqa: E402

HAVE_DCMTK = shutil.which("dcmdump") is not None and shutil.which("dcmmkdir") is not None
NO_DCMTK = "DCMTK (dcmdump, dcmmkdir) is not installed: it is a test dependency (.ci/run)"

# Test files with the Type 1 values the default PATIENT/STUDY/SERIES/IMAGE
# records need (PS3.3 Annex F.5)
SOURCES = ["CT_small.dcm", "MR_small.dcm", "SC_rgb.dcm", "liver.dcm", "JPEG2000.dcm"]
OFFSETS = {
    "OffsetOfTheNextDirectoryRecord",
    "OffsetOfReferencedLowerLevelDirectoryEntity",
}


def require_dcmtk() -> None:
    """Fail, not skip, without DCMTK: the CI installs it."""
    if not HAVE_DCMTK:
        pytest.fail(NO_DCMTK)


def run(args: list[str], cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run(args, cwd=cwd, capture_output=True, text=True, errors="replace")


def problems(result: subprocess.CompletedProcess) -> list[str]:
    """DCMTK's warnings, errors and fatal errors."""
    lines = (result.stdout + result.stderr).splitlines()
    return [line for line in lines if line[:2] in ("W:", "E:", "F:")]


@pytest.fixture
def pyfs() -> Any:
    """Make pydicom FileSets (``pyfs(path)``, ``pyfs.keep(fs)``) whose
    staging directories are removed at the end of the test: pydicom leaves
    that to garbage collection, with a ResourceWarning (an error here)."""
    made: list[Any] = []

    class Factory:
        def __call__(self, *args: Any) -> Any:
            return self.keep(pydicom.fileset.FileSet(*args))

        def keep(self, fs: Any) -> Any:
            made.append(fs)
            return fs

    yield Factory()
    for fs in made:
        fs._stage["t"].cleanup()


@pytest.fixture
def instances(tmp_path: Path) -> list[Path]:
    """Paths of instances to add: pydicom's test files, one with a UTF-8
    Patient's Name (non-ASCII record values), and another image of the
    MR_small series (two leaves under one SERIES record)."""
    paths = [Path(get_testdata_file(name)) for name in SOURCES]
    extra = tmp_path / "extra"
    extra.mkdir()

    ds = fastdicom.dcmread(get_testdata_file("CT_small.dcm"))
    ds.SpecificCharacterSet = "ISO_IR 192"
    ds.PatientName = "山田^太郎"
    ds.PatientID = "JP1"
    ds.SOPInstanceUID = ds.file_meta.MediaStorageSOPInstanceUID = "1.2.826.0.1.3680043.8.498.1001"
    ds.save_as(extra / "utf8.dcm", enforce_file_format=True)
    paths.append(extra / "utf8.dcm")

    ds = fastdicom.dcmread(get_testdata_file("MR_small.dcm"))
    ds.SOPInstanceUID = ds.file_meta.MediaStorageSOPInstanceUID = "1.2.826.0.1.3680043.8.498.1002"
    ds.InstanceNumber = 2
    ds.save_as(extra / "mr2.dcm", enforce_file_format=True)
    paths.append(extra / "mr2.dcm")
    return paths


def records(path: Path) -> list[dict[str, Any]]:
    """The DICOMDIR's records as {keyword: value}, read by pydicom, the
    offsets made relative to the first record's."""
    ds = pydicom.dcmread(path)
    first = ds.OffsetOfTheFirstDirectoryRecordOfTheRootDirectoryEntity
    out = []
    for item in ds.DirectoryRecordSequence:
        record: dict[str, Any] = {"_tell": item.seq_item_tell - first}
        for elem in item:
            value = elem.value
            if elem.keyword in OFFSETS:
                value = value - first if value else 0
            elif elem.VR == "SQ":
                value = [str(inner) for inner in value]
            elif not isinstance(value, (bytes, int, float)):
                value = str(value)
            record[elem.keyword] = value
        out.append(record)
    return out


def warns_if(condition: bool) -> Any:
    """Expect the warning of loading a DICOMDIR that is not Explicit VR
    Little Endian (PS3.10 §8.6) when `condition`."""
    if condition:
        return pytest.warns(UserWarning, match="The DICOMDIR dataset uses an invalid transfer syntax")
    return contextlib.nullcontext()


def files(root: Path) -> list[str]:
    """The File-set's files, relative to its root."""
    return sorted(p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file())


@pytest.mark.parametrize("force_implicit", [False, True])
def test_new_fileset_matches_pydicom(instances: list[Path], tmp_path: Path, force_implicit: bool, pyfs: Any) -> None:
    """A new File-set: the same records, File IDs, offsets and files as pydicom's."""
    uid = "1.2.826.0.1.3680043.8.498.2001"
    ours, theirs = tmp_path / "ours", tmp_path / "theirs"
    for make, root in ((FileSet, ours), (pyfs, theirs)):
        fs = make()
        fs.UID = uid
        fs.ID = "TEST FILESET"
        for path in instances:
            fs.add(path)
        if force_implicit:
            with pytest.warns(UserWarning, match="invalid transfer syntax 'Implicit VR Little Endian'"):
                copied = fs.copy(root, force_implicit=True)
            if make is pyfs:
                pyfs.keep(copied)
        else:
            fs.write(root)

    assert files(ours) == files(theirs)
    ours_records = records(ours / "DICOMDIR")
    assert len(ours_records) == 4 * len(instances) - 3  # MR_small's two images share 3 records
    assert ours_records == records(theirs / "DICOMDIR")
    expected = "1.2.840.10008.1.2" if force_implicit else "1.2.840.10008.1.2.1"
    assert pydicom.dcmread(ours / "DICOMDIR").file_meta.TransferSyntaxUID == expected

    # pydicom's File-set of our DICOMDIR
    with warns_if(force_implicit):
        read = pyfs(ours / "DICOMDIR")
    assert sorted(i.SOPInstanceUID for i in read) == sorted(
        str(fastdicom.dcmread(p).SOPInstanceUID) for p in instances
    )
    for instance in read:
        assert not instance.for_moving  # the layout pydicom itself writes
        assert pydicom.dcmread(instance.path).SOPInstanceUID == instance.SOPInstanceUID


def copy_fileset(src: Path, dst: Path) -> Path:
    """Copy pydicom's test File-set (DICOMDIR and its directories) to `dst`."""
    shutil.copytree(src.parent, dst, ignore=lambda d, names: [n for n in names if n.startswith("DICOMDIR-")])
    return dst / "DICOMDIR"


def test_modified_fileset_matches_pydicom(instances: list[Path], tmp_path: Path, pyfs: Any) -> None:
    """An existing File-set (pydicom's test DICOMDIR, which is not in
    pydicom's layout), an instance removed and one added, then written."""
    source = Path(get_testdata_file("DICOMDIR"))
    results = []
    for make, name in ((FileSet, "ours"), (pyfs, "theirs")):
        dicomdir = copy_fileset(source, tmp_path / name)
        fs = make(dicomdir)
        assert fs.is_staged  # staged for moving to the pydicom layout
        fs.remove(fs.find(PatientID="77654033")[0])
        fs.add(instances[0])
        fs.write()
        results.append((fs, dicomdir))

    (ours, ours_dir), (theirs, theirs_dir) = results
    assert str(ours).splitlines()[2:] == str(theirs).splitlines()[2:]
    assert files(ours_dir.parent) == files(theirs_dir.parent)
    assert records(ours_dir) == records(theirs_dir)
    assert [i.FileID for i in ours] == [i.FileID for i in theirs]


@pytest.mark.parametrize(
    "name", ["DICOMDIR", "DICOMDIR-implicit", "DICOMDIR-bigEnd", "DICOMDIR-reordered", "TINY_ALPHA/DICOMDIR"]
)
def test_load_matches_pydicom(name: str, pyfs: Any) -> None:
    """pydicom's test DICOMDIRs (explicit, implicit, big endian, records out
    of order) give the same tree, instances and text as pydicom's."""
    path = get_testdata_file(name)
    not_explicit = name in ("DICOMDIR-implicit", "DICOMDIR-bigEnd")
    with warns_if(not_explicit):
        ours = FileSet(path)
    with warns_if(not_explicit):
        theirs = pyfs(path)
    assert str(ours) == str(theirs)
    assert len(ours) == len(theirs)
    for a, b in zip(ours, theirs):
        assert (a.SOPInstanceUID, a.FileID, a.path, a.for_moving) == (b.SOPInstanceUID, b.FileID, b.path, b.for_moving)
    assert ours.find_values("PatientID") == theirs.find_values("PatientID")
    assert [i.SOPInstanceUID for i in ours.find(Modality="MR")] == [i.SOPInstanceUID for i in theirs.find(Modality="MR")]


def test_dcmdump_reads_dicomdir(instances: list[Path], tmp_path: Path) -> None:
    """DCMTK's dcmdump reads our DICOMDIR strictly, every record in it."""
    require_dcmtk()
    fs = FileSet()
    for path in instances:
        fs.add(path)
    fs.write(tmp_path)

    result = run(["dcmdump", "-E", "-Ep", "DICOMDIR"], tmp_path)
    assert result.returncode == 0, result.stderr
    assert problems(result) == []
    n_records = len(pydicom.dcmread(tmp_path / "DICOMDIR").DirectoryRecordSequence)
    assert result.stdout.count("(0004,1430)") == n_records == 4 * len(instances) - 3


def test_dcmmkdir_appends_to_dicomdir(instances: list[Path], tmp_path: Path) -> None:
    """``dcmmkdir --append`` follows our record offsets: it finds every
    record (no 'Cannot resolve offset' warning) and the DICOMDIR it writes
    back holds our instances and its own addition."""
    require_dcmtk()
    fs = FileSet()
    fs.ID = "FASTDICOM"
    for path in instances:
        fs.add(path)
    fs.write(tmp_path)
    before = len(pydicom.dcmread(tmp_path / "DICOMDIR").DirectoryRecordSequence)

    # A new patient: PATIENT, STUDY, SERIES and IMAGE records appended
    ds = fastdicom.dcmread(get_testdata_file("MR_small.dcm"))
    ds.PatientID = "NEWPAT"
    ds.StudyInstanceUID = "1.2.826.0.1.3680043.8.498.3001"
    ds.SeriesInstanceUID = "1.2.826.0.1.3680043.8.498.3002"
    ds.SOPInstanceUID = ds.file_meta.MediaStorageSOPInstanceUID = "1.2.826.0.1.3680043.8.498.3003"
    ds.save_as(tmp_path / "NEWIMG", enforce_file_format=True)

    result = run(["dcmmkdir", "--append", "--no-backup", "-v", "NEWIMG"], tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert problems(result) == []

    ds = fastdicom.dcmread(tmp_path / "DICOMDIR")
    assert len(ds.DirectoryRecordSequence) == before + 4
    assert ds.FileSetID == "FASTDICOM"
    appended = FileSet(tmp_path / "DICOMDIR")
    uids = {i.SOPInstanceUID for i in appended}
    assert uids == {str(fastdicom.dcmread(p).SOPInstanceUID) for p in instances} | {
        "1.2.826.0.1.3680043.8.498.3003"
    }
    names = {str(i.PatientName) for i in appended}
    assert "山田^太郎" in names


def test_read_dcmtk_dicomdir(instances: list[Path], tmp_path: Path, pyfs: Any) -> None:
    """A DICOMDIR that DCMTK's dcmmkdir writes loads as pydicom loads it."""
    require_dcmtk()
    names = []
    for index, path in enumerate(instances):
        ds = fastdicom.dcmread(path)
        if ds.file_meta.TransferSyntaxUID != "1.2.840.10008.1.2.1":
            continue  # the General Purpose CD-R profile takes Explicit VR Little Endian only
        name = f"IM{index:06d}"
        shutil.copyfile(path, tmp_path / name)
        names.append(name)
    assert len(names) >= 3

    result = run(["dcmmkdir", "--no-backup", "+I", *names], tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr

    ours = FileSet(tmp_path / "DICOMDIR")
    theirs = pyfs(tmp_path / "DICOMDIR")
    assert len(ours) == len(names)
    assert str(ours) == str(theirs)
    for a, b in zip(ours, theirs):
        assert (a.SOPInstanceUID, a.ReferencedFileID, a.path) == (b.SOPInstanceUID, b.ReferencedFileID, b.path)
        assert a.load().SOPInstanceUID == a.SOPInstanceUID

    # Written back in fastdicom's layout, DCMTK still reads it
    copy = ours.copy(tmp_path / "copy")
    assert len(copy) == len(names)
    result = run(["dcmdump", "-E", "-Ep", "DICOMDIR"], tmp_path / "copy")
    assert result.returncode == 0 and problems(result) == []
    assert records(tmp_path / "copy" / "DICOMDIR") == records(
        Path(pyfs.keep(theirs.copy(tmp_path / "theirs")).path) / "DICOMDIR"
    )


def test_offsets_land_on_records(instances: list[Path], tmp_path: Path) -> None:
    """Every offset in the written DICOMDIR is the start of an item that
    pydicom reads as a directory record (PS3.3 §F.3.2.1)."""
    fs = FileSet()
    for path in instances:
        fs.add(path)
    fs.write(tmp_path)

    data = (tmp_path / "DICOMDIR").read_bytes()
    ds = pydicom.dcmread(tmp_path / "DICOMDIR")
    tells = {item.seq_item_tell for item in ds.DirectoryRecordSequence}
    pointers = {ds.OffsetOfTheFirstDirectoryRecordOfTheRootDirectoryEntity,
                ds.OffsetOfTheLastDirectoryRecordOfTheRootDirectoryEntity}
    for item in ds.DirectoryRecordSequence:
        pointers.update({item.OffsetOfTheNextDirectoryRecord, item.OffsetOfReferencedLowerLevelDirectoryEntity})
    pointers.discard(0)
    assert pointers <= tells
    for offset in tells:
        assert data[offset : offset + 4] == b"\xfe\xff\x00\xe0"
    assert os.path.getsize(tmp_path / "DICOMDIR") == len(data)


def _palette_and_private(module: Any, ct: Path, mr: Path) -> Any:
    """A File-set of `module` (fastdicom or pydicom) with a four-level
    IMAGE, a single-level PALETTE and a PATIENT/PRIVATE custom branch."""
    fs = module.fileset.FileSet()
    fs.UID = "1.2.826.0.1.3680043.8.498.4001"
    fs.add(ct)

    palette = module.Dataset()
    palette.file_meta = module.dataset.FileMetaDataset()
    palette.file_meta.TransferSyntaxUID = "1.2.840.10008.1.2.1"
    palette.SOPClassUID = palette.file_meta.MediaStorageSOPClassUID = "1.2.840.10008.5.1.4.39.1"
    palette.SOPInstanceUID = palette.file_meta.MediaStorageSOPInstanceUID = "1.2.826.0.1.3680043.8.498.4002"
    palette.ContentLabel = "HOT_IRON"
    fs.add(palette)

    ds = module.dcmread(mr)
    top = module.Dataset()
    top.DirectoryRecordType = "PATIENT"
    top.PatientID = ds.PatientID
    top.PatientName = ds.PatientName
    leaf = module.Dataset()
    leaf.DirectoryRecordType = "PRIVATE"
    leaf.PrivateRecordUID = "1.2.826.0.1.3680043.8.498.4003"
    leaf_node = module.fileset.RecordNode(leaf)
    leaf_node.parent = module.fileset.RecordNode(top)
    fs.add_custom(ds, leaf_node)
    return fs


def test_single_level_and_private_records(tmp_path: Path, pyfs: Any) -> None:
    """PALETTE (single-level) and PRIVATE records: as pydicom writes them,
    and DCMTK follows their offsets."""
    require_dcmtk()
    ct, mr = get_testdata_file("CT_small.dcm"), get_testdata_file("MR_small.dcm")
    ours = _palette_and_private(fastdicom, ct, mr)
    ours.write(tmp_path / "ours")
    theirs = pyfs.keep(_palette_and_private(pydicom, ct, mr))
    theirs.write(tmp_path / "theirs")

    assert files(tmp_path / "ours") == files(tmp_path / "theirs") == [
        "DICOMDIR", "PA000001", "PT000000/ST000000/SE000000/IM000000", "PT000002/P1000000",
    ]
    assert records(tmp_path / "ours" / "DICOMDIR") == records(tmp_path / "theirs" / "DICOMDIR")
    assert str(ours).splitlines()[2:] == str(theirs).splitlines()[2:]

    root = tmp_path / "ours"
    result = run(["dcmdump", "-E", "-Ep", "DICOMDIR"], root)
    assert result.returncode == 0 and problems(result) == []
    ds = fastdicom.dcmread(mr)
    ds.PatientID = "NEWPAT"
    ds.StudyInstanceUID = "1.2.826.0.1.3680043.8.498.4004"
    ds.SeriesInstanceUID = "1.2.826.0.1.3680043.8.498.4005"
    ds.SOPInstanceUID = ds.file_meta.MediaStorageSOPInstanceUID = "1.2.826.0.1.3680043.8.498.4006"
    ds.save_as(root / "NEWIMG", enforce_file_format=True)
    result = run(["dcmmkdir", "--append", "--no-backup", "-v", "NEWIMG"], root)
    assert result.returncode == 0 and problems(result) == []
    types = [r.DirectoryRecordType for r in fastdicom.dcmread(root / "DICOMDIR").DirectoryRecordSequence]
    assert types == [
        "PATIENT", "STUDY", "SERIES", "IMAGE", "PALETTE", "PATIENT", "PRIVATE", "PATIENT", "STUDY", "SERIES", "IMAGE",
    ]
    assert len(FileSet(root / "DICOMDIR")) == 4
