"""fastdicom.series: grouping, slice order, diagnostics, N-D volumes, affines.

Synthetic series are written to tmp_path with fastdicom's writer; pydicom
is the oracle of pixel values, dcm2niix (the wheel) and nibabel of the
volumes and affines of real Siemens mosaics shipped with nibabel, and
pydicom's ``dicomdirtests`` files carry a gap, mixed series and tilts.
"""

from __future__ import annotations

import gzip
import os
import random
import shutil
import subprocess
import sys
import warnings

import numpy as np
import pytest

from fastdicom.cli import main as cli_main
from fastdicom.dataset import Dataset, FileMetaDataset
from fastdicom.series import DEFAULT_POLICY, SeriesError, scan
from fastdicom.uid import ExplicitVRLittleEndian, generate_uid

MR = "1.2.840.10008.5.1.4.1.1.4"
ENHANCED_MR = "1.2.840.10008.5.1.4.1.1.4.1"


def _rotation(ax: float, az: float) -> np.ndarray:
    """Rotation about x by ax then about z by az (radians)."""
    cx, sx, cz, sz = np.cos(ax), np.sin(ax), np.cos(az), np.sin(az)
    rx = np.array([[1, 0, 0], [0, cx, -sx], [0, sx, cx]])
    rz = np.array([[cz, -sz, 0], [sz, cz, 0], [0, 0, 1]])
    return rz @ rx


def _base(sop_class: str, study: str, series: str, rows: int, cols: int) -> Dataset:
    ds = Dataset()
    ds.file_meta = FileMetaDataset()
    ds.file_meta.TransferSyntaxUID = ExplicitVRLittleEndian
    ds.file_meta.MediaStorageSOPClassUID = sop_class
    sop = generate_uid()
    ds.file_meta.MediaStorageSOPInstanceUID = sop
    ds.SOPClassUID = sop_class
    ds.SOPInstanceUID = sop
    ds.StudyInstanceUID = study
    ds.SeriesInstanceUID = series
    ds.Modality = "MR"
    ds.SeriesNumber = 3
    ds.SeriesDescription = "synthetic"
    ds.PatientID = "P1"
    ds.Rows, ds.Columns = rows, cols
    ds.SamplesPerPixel = 1
    ds.PhotometricInterpretation = "MONOCHROME2"
    ds.BitsAllocated, ds.BitsStored, ds.HighBit, ds.PixelRepresentation = 16, 16, 15, 0
    return ds


class Stack:
    """Writes single-frame slices of one series."""

    def __init__(self, root, rows: int = 4, cols: int = 5, iop=(1, 0, 0, 0, 1, 0), spacing=(0.5, 0.8)):
        self.root = root
        self.study = generate_uid()
        self.series = generate_uid()
        self.rows, self.cols = rows, cols
        self.iop = np.asarray(iop, dtype=float)
        self.spacing = spacing
        self.count = 0
        os.makedirs(root, exist_ok=True)

    def write(self, position, value: int, *, instance: int | None = None, iop=None, name=None,
              image_type=("ORIGINAL", "PRIMARY", "M", "ND"), **attrs) -> str:
        ds = _base(MR, self.study, self.series, self.rows, self.cols)
        self.count += 1
        ds.InstanceNumber = instance if instance is not None else self.count
        ds.ImageType = list(image_type)
        ds.ImagePositionPatient = [f"{v:.6f}" for v in position]
        ds.ImageOrientationPatient = [f"{v:.6f}" for v in (self.iop if iop is None else iop)]
        ds.PixelSpacing = [str(v) for v in self.spacing]
        ds.SliceThickness = "2"
        for key, val in attrs.items():
            setattr(ds, key, val)
        arr = (np.arange(self.rows * self.cols, dtype=np.uint16).reshape(self.rows, self.cols) + value * 100)
        ds.PixelData = arr.astype("<u2").tobytes()
        path = os.path.join(self.root, name or f"im{self.count:04d}.dcm")
        ds.save_as(path, enforce_file_format=True)
        return path


def _only(result):
    assert len(result.series) == 1, result.series
    return result.series[0]


# -- order and geometry ------------------------------------------------------------
def test_oblique_jittered_shuffled_stack(tmp_path):
    rot = _rotation(np.radians(17), np.radians(30))
    row, col, normal = rot[:, 0], rot[:, 1], rot[:, 2]
    p0 = np.array([-40.0, 12.5, 7.25])
    stack = Stack(tmp_path)
    order = list(range(8))
    random.Random(4).shuffle(order)
    for k in order:
        jitter = np.array([1e-5, -2e-5, 1e-5, 0, 1e-5, -1e-5]) * (k % 3)
        # InstanceNumber and SliceLocation lie: the order must come from the positions
        stack.write(p0 + 2.5 * k * normal, value=k, instance=100 - 7 * k if k % 2 else k,
                    iop=np.concatenate([row, col]) + jitter, SliceLocation=str(-k * 9))
    s = _only(scan(tmp_path))
    assert s.shape == (8, 4, 5) and s.dims == []
    assert not s.diagnostics
    np.testing.assert_allclose([f.position for f in s.volumes[0].frames],
                               [p0 + 2.5 * k * normal for k in range(8)], atol=1e-5)
    lps = s.affine_lps
    np.testing.assert_allclose(lps[:3, 3], p0, atol=1e-5)
    np.testing.assert_allclose(lps[:3, 0], 2.5 * normal, atol=1e-4)
    np.testing.assert_allclose(lps[:3, 1], col * 0.5, atol=1e-4)  # row index: down the columns
    np.testing.assert_allclose(lps[:3, 2], row * 0.8, atol=1e-4)
    np.testing.assert_allclose(s.affine_ras, np.diag([-1, -1, 1, 1]) @ lps)
    arr = s.volume()
    assert arr.shape == (8, 4, 5)
    assert [int(arr[k, 0, 0]) for k in range(8)] == [100 * k for k in range(8)]
    # every slice is pydicom's pixel_array of its file
    pydicom = pytest.importorskip("pydicom")
    for k, f in enumerate(s.volumes[0].frames):
        np.testing.assert_array_equal(arr[k], pydicom.dcmread(f.path).pixel_array)


def test_gap_reports_expected_count_and_error_policy(tmp_path):
    stack = Stack(tmp_path)
    for k in range(10):
        if k not in (3, 4):
            stack.write((0, 0, 3.0 * k), value=k)
    s = _only(scan(tmp_path))
    (gap,) = s.diagnostics
    assert gap.kind == "gap" and gap.policy == "warn"
    assert gap.details["found"] == 8 and gap.details["expected"] == 10
    assert s.volume().shape == (8, 4, 5)
    # the affine spans the stack: 27 mm over 7 intervals
    np.testing.assert_allclose(s.affine_lps[2, 0], 27 / 7)
    strict = _only(scan(tmp_path, policy={"gap": "error"}))
    assert not strict.ok
    with pytest.raises(SeriesError, match="missing slices"):
        strict.volume()


def test_nonuniform_spacing(tmp_path):
    stack = Stack(tmp_path)
    for k, z in enumerate([0, 2, 4, 6.7, 8.1]):
        stack.write((0, 0, z), value=k)
    s = _only(scan(tmp_path))
    assert [d.kind for d in s.diagnostics] == ["nonuniform_spacing"]
    assert s.diagnostics[0].details["max"] == pytest.approx(2.7)


def test_gantry_tilt_gives_sheared_affine(tmp_path):
    stack = Stack(tmp_path)
    step = np.array([0.0, 2.0 * np.tan(np.radians(20)), 2.0])
    for k in range(6):
        stack.write(step * k, value=k, GantryDetectorTilt="20")
    s = _only(scan(tmp_path))
    (tilt,) = s.diagnostics
    assert tilt.kind == "gantry_tilt"
    assert tilt.details["angle"] == pytest.approx(20, abs=1e-3)
    assert tilt.details["gantry_detector_tilt"] == 20
    np.testing.assert_allclose(s.affine_lps[:3, 0], step, atol=1e-5)


def test_duplicate_positions(tmp_path):
    same = Stack(tmp_path / "same")
    for k in range(4):
        same.write((0, 0, 2.0 * k), value=k)
    same.write((0, 0, 2.0), value=1)  # the same pixels again
    s = _only(scan(tmp_path / "same"))
    assert [d.kind for d in s.diagnostics] == ["duplicate_identical"]
    assert s.diagnostics[0].details["same_pixels"] is True
    assert s.shape == (4, 4, 5) and len(s.dropped) == 1

    other = Stack(tmp_path / "other")
    for k in range(4):
        other.write((0, 0, 2.0 * k), value=k)
    other.write((0, 0, 2.0), value=9)
    result = scan(tmp_path / "other")
    main, dup = result.series
    assert main.split_reason is None and main.shape == (4, 4, 5)
    assert main.diagnostics[0].kind == "duplicate_position"
    assert main.diagnostics[0].policy == DEFAULT_POLICY["duplicate_position"] == "split"
    assert dup.split_reason == "duplicate position" and dup.shape == (1, 4, 5)


def test_localizer_dropped_and_orientations_split(tmp_path):
    stack = Stack(tmp_path)
    for k in range(5):
        stack.write((0, 0, 2.0 * k), value=k)
    stack.write((0, 0, 0), value=7, iop=(0, 1, 0, 0, 0, -1), image_type=("ORIGINAL", "PRIMARY", "LOCALIZER"))
    for k in range(3):
        stack.write((0, 4.0 * k, 0), value=k, iop=(1, 0, 0, 0, 0, -1))
    main, coronal = scan(tmp_path).series
    kinds = {d.kind: d for d in main.diagnostics}
    assert kinds["localizer"].policy == "drop" and kinds["localizer"].details["count"] == 1
    assert kinds["mixed_orientation"].policy == "split"
    assert main.shape == (5, 4, 5) and len(main.dropped) == 1
    assert coronal.split_reason == "orientation" and coronal.shape == (3, 4, 5)
    # coronal: normal = row x col = (1,0,0) x (0,0,-1) = (0,1,0): slices ascend in y
    assert [f.position[1] for f in coronal.volumes[0].frames] == [0, 4, 8]


# -- further axes ----------------------------------------------------------------------
def test_echo_axis(tmp_path):
    stack = Stack(tmp_path)
    items = [(k, e) for k in range(4) for e in (1, 2)]
    random.Random(1).shuffle(items)
    for k, e in items:
        stack.write((0, 0, 2.0 * k), value=10 * e + k, EchoNumbers=str(e), EchoTime=str(5 * e))
    s = _only(scan(tmp_path))
    assert s.dims == ["echo"] and s.shape == (2, 4, 4, 5)
    assert [v.labels for v in s.volumes] == [{"echo": 1.0}, {"echo": 2.0}]
    arr = s.volume()
    assert arr[1, 3, 0, 0] == 100 * 23


def test_echo_by_temporal_grid(tmp_path):
    stack = Stack(tmp_path)
    for t in (1, 2, 3):
        for e in (1, 2):
            for k in range(3):
                stack.write((0, 0, 2.0 * k), value=100 * e + 10 * t + k, EchoNumbers=str(e),
                            TemporalPositionIdentifier=str(t))
    s = _only(scan(tmp_path))
    assert s.dims == ["echo", "temporal"]
    assert s.shape == (2, 3, 3, 4, 5)
    arr = s.volume()
    assert arr[1, 2, 1, 0, 0] == 100 * (200 + 30 + 1)
    assert s.volumes[5].index == (1, 2)


def test_repetitions_in_acquisition_order(tmp_path):
    stack = Stack(tmp_path)
    for r in range(3):
        for k in range(4):
            stack.write((0, 0, 2.0 * k), value=10 * r + k, instance=100 + 10 * r + k)
    s = _only(scan(tmp_path))
    assert s.dims == ["repetition"] and s.shape == (3, 4, 4, 5)
    assert s.volume()[2, 1, 0, 0] == 100 * 21


def test_diffusion_axis_keeps_acquisition_order(tmp_path):
    stack = Stack(tmp_path)
    table = [(1000.0, (1.0, 0.0, 0.0)), (0.0, (0.0, 0.0, 0.0)), (1000.0, (0.0, 1.0, 0.0))]
    for v, (b, g) in enumerate(table):
        for k in range(3):
            stack.write((0, 0, 2.0 * k), value=10 * v + k, DiffusionBValue=b, DiffusionGradientOrientation=list(g))
    s = _only(scan(tmp_path))
    assert s.dims == ["diffusion"]
    assert [v.labels["diffusion"] for v in s.volumes] == table


def _enhanced(path, positions_by_frame, temporal_by_frame, values):
    ds = _base(ENHANCED_MR, generate_uid(), generate_uid(), 4, 5)
    ds.InstanceNumber = 1
    ds.ImageType = ["ORIGINAL", "PRIMARY", "M", "NONE"]
    ds.NumberOfFrames = len(values)
    org = Dataset()
    org.DimensionIndexPointer = 0x00209057  # In-Stack Position Number
    org.FunctionalGroupPointer = 0x00209111
    tmp = Dataset()
    tmp.DimensionIndexPointer = 0x00209128  # Temporal Position Index
    tmp.FunctionalGroupPointer = 0x00209111
    ds.DimensionIndexSequence = [org, tmp]
    shared = Dataset()
    measures = Dataset()
    measures.PixelSpacing = ["0.5", "0.8"]
    measures.SliceThickness = "2"
    orient = Dataset()
    orient.ImageOrientationPatient = ["1", "0", "0", "0", "1", "0"]
    shared.PixelMeasuresSequence = [measures]
    shared.PlaneOrientationSequence = [orient]
    ds.SharedFunctionalGroupsSequence = [shared]
    frames = []
    for z, t in zip(positions_by_frame, temporal_by_frame):
        item = Dataset()
        pos = Dataset()
        pos.ImagePositionPatient = ["0", "0", str(z)]
        content = Dataset()
        content.StackID = "1"
        content.InStackPositionNumber = int(z // 2) + 1
        content.TemporalPositionIndex = t
        content.DimensionIndexValues = [int(z // 2) + 1, t]
        item.PlanePositionSequence = [pos]
        item.FrameContentSequence = [content]
        frames.append(item)
    ds.PerFrameFunctionalGroupsSequence = frames
    base = np.arange(20, dtype=np.uint16).reshape(4, 5)
    ds.PixelData = np.stack([base + 100 * v for v in values]).astype("<u2").tobytes()
    ds.save_as(path, enforce_file_format=True)


def test_enhanced_multiframe_dimension_index(tmp_path):
    combos = [(2.0 * k, t) for t in (1, 2) for k in range(3)]
    random.Random(2).shuffle(combos)
    values = [10 * t + int(z // 2) for z, t in combos]
    _enhanced(tmp_path / "mf.dcm", [c[0] for c in combos], [c[1] for c in combos], values)
    s = _only(scan(tmp_path))
    assert s.dims == ["temporal"] and s.shape == (2, 3, 4, 5)
    assert [f.frame_index is not None for f in s.frames] == [True] * 6
    arr = s.volume()
    assert [[int(arr[t, k, 0, 0]) // 100 for k in range(3)] for t in range(2)] == [[10, 11, 12], [20, 21, 22]]
    pydicom = pytest.importorskip("pydicom")
    frames = pydicom.dcmread(tmp_path / "mf.dcm").pixel_array
    for v in s.volumes:
        for k, f in enumerate(v.frames):
            np.testing.assert_array_equal(arr[v.index[0], k], frames[f.frame_index])


# -- robustness ---------------------------------------------------------------------
def test_bad_files_are_recorded_and_the_scan_goes_on(tmp_path):
    stack = Stack(tmp_path)
    paths = [stack.write((0, 0, 2.0 * k), value=k) for k in range(3)]
    (tmp_path / "notes.txt").write_text("not DICOM")
    with open(paths[0], "rb") as f:
        head = f.read(200)
    (tmp_path / "truncated.dcm").write_bytes(head)
    (tmp_path / "empty.dcm").write_bytes(b"")
    result = scan([tmp_path, os.fspath(tmp_path / "missing.dcm")])
    assert _only(result).shape == (3, 4, 5)
    failed = {os.path.basename(f.path) for f in result.failures}
    assert {"notes.txt", "truncated.dcm", "empty.dcm", "missing.dcm"} <= failed
    assert all(f.error for f in result.failures)


def test_in_memory_datasets(tmp_path):
    stack = Stack(tmp_path)
    paths = [stack.write((0, 0, 2.0 * k), value=k) for k in (2, 0, 1)]
    from fastdicom import dcmread

    s = _only(scan([dcmread(p) for p in paths]))
    assert [f.path for f in s.frames] == [None] * 3
    assert [int(a[0, 0]) for a in s.volume()] == [0, 100, 200]


def test_unknown_policy_is_refused():
    with pytest.raises(ValueError, match="policy"):
        scan([], policy={"gap": "ignore"})


# -- pydicom's dicomdirtests: what dcm2niix reports ----------------------------------------
def _dicomdirtests():
    pydicom_data = pytest.importorskip("pydicom.data")
    return os.path.dirname(pydicom_data.get_testdata_file("DICOMDIR"))


def test_dicomdirtests_gap_and_splits():
    result = scan(_dicomdirtests())
    by_desc: dict[str, list] = {}
    for s in result.series:
        by_desc.setdefault(s.description, []).append(s)
    (brain,) = by_desc["Routine Brain"]
    gap = next(d for d in brain.diagnostics if d.kind == "gap")
    # dcm2niix: "Missing images? Expected 4 images, but instance number ranges from 18 to 182"
    assert gap.details == {"found": 4, "expected": 165, "spacing": pytest.approx(1.25, abs=1e-4),
                           "after_slices": [0]}
    # dcm2niix writes the 3-plane pilot as three images (_i00001.._i00003) and the
    # 7 angio projections as seven
    pilots = [s for s in by_desc["T/S/C RF FAST PILOT"] if s.study_uid.endswith(".0.1")]
    assert sorted(s.split_reason or "" for s in pilots) == ["", "orientation", "orientation"]
    assert len(by_desc["ANGIO Projected from   C"]) == 7
    assert by_desc["SmartScore - Gated 0.5 sec"][0].shape == (5, 16, 16)
    assert all(f.kind == "no_image" for f in result.failures if "DICOMDIR" in f.path)


# -- real Siemens mosaics (nibabel's test files), dcm2niix as the oracle -------------------
def _nibabel_data():
    nibabel = pytest.importorskip("nibabel")
    return os.path.join(os.path.dirname(nibabel.__file__), "nicom", "tests", "data")


def _dcm2niix() -> str:
    exe = shutil.which("dcm2niix")
    if exe is None:
        dcm2niix = pytest.importorskip("dcm2niix")
        exe = str(dcm2niix.bin)
    return exe


def test_siemens_mosaic_matches_dcm2niix(tmp_path):
    nibabel = pytest.importorskip("nibabel")
    src = tmp_path / "in"
    src.mkdir()
    for name in ("siemens_dwi_0.dcm.gz", "siemens_dwi_1000.dcm.gz"):
        with gzip.open(os.path.join(_nibabel_data(), name)) as f:
            (src / name[:-3]).write_bytes(f.read())
    out = tmp_path / "out"
    out.mkdir()
    subprocess.run([_dcm2niix(), "-z", "n", "-b", "n", "-f", "ref", "-o", str(out), str(src)],
                   check=True, capture_output=True)
    ref = nibabel.load(out / "ref.nii")
    s = _only(scan(src))
    assert s.shape == (2, 48, 128, 128)
    assert [f.mosaic_index for f in s.volumes[0].frames] == list(range(48))
    img = s.to_nifti()
    theirs = np.asanyarray(ref.dataobj.get_unscaled())
    assert img.shape == theirs.shape
    # dcm2niix flips the row axis on disk; map its voxels onto ours and compare
    t = np.linalg.inv(img.affine) @ ref.affine
    np.testing.assert_allclose(t, np.round(t), atol=1e-3)
    flip = np.round(t[:3, :3]).astype(int)
    data = np.asanyarray(img.dataobj)
    for axis in range(3):
        assert abs(flip[axis, axis]) == 1  # a flip, no permutation
        if flip[axis, axis] < 0:
            data = np.flip(data, axis)
    np.testing.assert_array_equal(data, theirs)
    np.testing.assert_allclose(img.affine @ t, ref.affine, atol=1e-3)
    # the same mosaics, gzipped, read in place: the same volume
    gz = scan([os.path.join(_nibabel_data(), n) for n in ("siemens_dwi_0.dcm.gz", "siemens_dwi_1000.dcm.gz")])
    np.testing.assert_array_equal(_only(gz).volume(), s.volume())
    # each tile is the matching block of pydicom's pixel_array of the mosaic
    pydicom = pytest.importorskip("pydicom")
    mosaic = pydicom.dcmread(src / "siemens_dwi_0.dcm").pixel_array
    arr = s.volume()
    side = mosaic.shape[1] // 128  # ceil(sqrt(48)) = 7 tiles a row
    assert side == 7
    for f, tile in zip(s.volumes[0].frames, arr[0]):
        r, c = divmod(f.mosaic_index, side)
        np.testing.assert_array_equal(tile, mosaic[128 * r:128 * (r + 1), 128 * c:128 * (c + 1)])


def test_mosaic_affine_matches_nibabel():
    pytest.importorskip("nibabel")
    with warnings.catch_warnings():  # nibabel.nicom warns that it is experimental
        warnings.simplefilter("ignore", UserWarning)
        from nibabel.nicom import dicomwrappers

    path = os.path.join(_nibabel_data(), "siemens_dwi_1000.dcm.gz")
    wrapper = dicomwrappers.wrapper_from_file(path)
    s = _only(scan(path))
    # nibabel's wrapper affine maps (row, column, slice) in LPS
    np.testing.assert_allclose(s.affine_lps[:, [1, 2, 0, 3]], wrapper.affine, atol=1e-3)


def test_to_nifti_without_nibabel(tmp_path, monkeypatch):
    stack = Stack(tmp_path)
    stack.write((0, 0, 0), value=0)
    s = _only(scan(tmp_path))
    monkeypatch.setitem(sys.modules, "nibabel", None)
    with pytest.raises(ImportError, match="pip install nibabel"):
        s.to_nifti()


def test_cli_series(tmp_path, capsys):
    stack = Stack(tmp_path)
    for e in (1, 2):
        for k in range(3):
            stack.write((0, 0, 2.0 * k), value=k, EchoNumbers=str(e))
    (tmp_path / "junk.dcm").write_bytes(b"junk")
    status = cli_main(["series", str(tmp_path), "--volumes", "-q"])
    out, err = capsys.readouterr()
    assert status == 1  # one unreadable file
    assert "synthetic  2x3x4x5 [echo]  6 file(s)" in out
    assert "volume (1,): 3 slices  echo=2" in out
    assert "junk.dcm" in err
    status = cli_main(["series", str(tmp_path), "--json", "-q", "--policy", "gap=error"])
    out, _ = capsys.readouterr()
    import json

    doc = json.loads(out)
    assert doc["studies"][0]["series"][0]["dims"] == ["echo"]
    assert cli_main(["series", str(tmp_path), "--policy", "gap=sometimes"]) == 2


def test_real_enhanced_ct_matches_pydicom_frames():
    """pydicom's liver.dcm (Enhanced CT, 3 frames) and liver_1frame.dcm (Number of
    Frames absent: one frame, though the Per-frame sequence has more items)."""
    pydicom = pytest.importorskip("pydicom")
    from pydicom.data import get_testdata_file

    path = get_testdata_file("liver.dcm")
    s = _only(scan(path))
    assert s.shape == (3, 512, 512)
    ref = pydicom.dcmread(path)
    frames = ref.pixel_array
    arr = s.volume()
    positions = []
    for k, f in enumerate(s.volumes[0].frames):
        np.testing.assert_array_equal(arr[k], frames[f.frame_index])
        item = ref.PerFrameFunctionalGroupsSequence[f.frame_index]
        positions.append([float(v) for v in item.PlanePositionSequence[0].ImagePositionPatient])
    normal = np.cross(s.frames[0].orientation[:3], s.frames[0].orientation[3:])
    assert np.all(np.diff(np.asarray(positions) @ normal) > 0)
    one = _only(scan(get_testdata_file("liver_1frame.dcm")))
    assert one.shape == (1, 512, 512)
    np.testing.assert_array_equal(one.volume()[0], pydicom.dcmread(get_testdata_file("liver_1frame.dcm")).pixel_array)


def test_compressed_series_decodes_on_threads(tmp_path):
    from fastdicom import dcmread
    from fastdicom.uid import RLELossless

    stack = Stack(tmp_path / "plain")
    paths = [stack.write((0, 0, 2.0 * k), value=k) for k in (3, 1, 0, 2)]
    os.makedirs(tmp_path / "rle")
    for p in paths:
        ds = dcmread(p)
        ds.compress(RLELossless)
        ds.save_as(tmp_path / "rle" / os.path.basename(p))
    plain = _only(scan(tmp_path / "plain")).volume()
    s = _only(scan(tmp_path / "rle"))
    assert s.frames[0]._header.transfer_syntax == RLELossless
    np.testing.assert_array_equal(s.volume(threads=2), plain)
    np.testing.assert_array_equal(s.volume(threads=1), plain)


def test_gap_split_and_drop_policies(tmp_path):
    stack = Stack(tmp_path)
    for k in list(range(3)) + list(range(5, 9)):  # 3 slices, a gap, 4 slices
        stack.write((0, 0, 2.0 * k), value=k)
    first, second = scan(tmp_path, policy={"gap": "split"}).series
    assert first.split_reason is None and first.shape == (3, 4, 5)
    assert [d.kind for d in first.diagnostics] == ["gap"] and first.diagnostics[0].policy == "split"
    assert second.split_reason == "gap" and second.shape == (4, 4, 5)
    assert not second.diagnostics
    kept = _only(scan(tmp_path, policy={"gap": "drop"}))
    assert kept.shape == (4, 4, 5) and len(kept.dropped) == 3
    np.testing.assert_allclose(kept.affine_lps[:3, 3], [0, 0, 10])
