"""Siemens CSA headers, diffusion tables and ``fastdicom dwi``, with dcm2niix as the oracle.

The real files are the Siemens mosaics shipped in nibabel's wheel; the other
vendors are synthetic series built from the tag values of the real series in
``../shared/dwi`` (GE oblique axial, Philips with a derived isotropic volume,
Toshiba rotated in-plane), written with fastdicom and converted by both
``dcm2niix -f %s_%p`` and ``fastdicom dwi``; the two tools' files are
compared number by number.
"""

from __future__ import annotations

import gzip
import os
import random
import shutil
import struct
import subprocess
import sys
import warnings

import numpy as np
import pytest

from fastdicom import dcmread
from fastdicom.cli import main
from fastdicom.cli.dwi import _clean, convert_directory
from fastdicom.csa import CSAError, csa_value, parse_csa, parse_csa_elements, read_csa
from fastdicom.dataset import Dataset, FileMetaDataset
from fastdicom.diffusion import frame_diffusion, series_diffusion
from fastdicom.series import scan
from fastdicom.uid import ExplicitVRLittleEndian, generate_uid

nibabel = pytest.importorskip("nibabel")  # a test dependency (the real Siemens files)
NIB_DATA = os.path.join(os.path.dirname(nibabel.__file__), "nicom", "tests", "data")
# the dcm2niix wheel's program: on PATH, or beside this interpreter (an unactivated venv)
DCM2NIIX = shutil.which("dcm2niix") or shutil.which("dcm2niix", path=os.path.dirname(sys.executable))


def _nib_file(name: str) -> bytes:
    path = os.path.join(NIB_DATA, name)
    if name.endswith(".gz"):
        with gzip.open(path) as fh:
            return fh.read()
    with open(path, "rb") as fh:
        return fh.read()


def _csa_bytes(elements: list[tuple[str, str, list[str]]], sv10: bool = True) -> bytes:
    """A CSA header built by the layout GDCM/nibabel/dcm2niix read."""
    out = bytearray(b"SV10\x04\x03\x02\x01" if sv10 else b"")
    out += struct.pack("<2I", len(elements), 77)
    for name, vr, values in elements:
        out += struct.pack("<64si4s3i", name.encode(), len(values), vr.encode(), 3, len(values) + 2, 77)
        for value in values + ["", ""]:  # syngo pads with empty items
            raw = value.encode() + (b"\x00" if value else b"")
            out += struct.pack("<4i", len(raw), len(raw), 77, len(raw))
            out += raw + b"\x00" * (-len(raw) % 4)
    return bytes(out)


# ----------------------------------------------------------------------------- CSA


def test_csa_of_a_real_siemens_mosaic_matches_nibabel():
    with warnings.catch_warnings():  # nibabel warns its DICOM readers are experimental
        warnings.simplefilter("ignore")
        from nibabel.nicom import csareader

    ds = dcmread(gzip.open(os.path.join(NIB_DATA, "siemens_dwi_1000.dcm.gz")))
    header = read_csa(ds)
    assert header["B_value"] == [1000]
    assert csa_value(header, "NumberOfImagesInMosaic") == 48
    np.testing.assert_allclose(header["DiffusionGradientDirection"], [0.99997449, 0.00505012, -0.00505012])
    raw = ds[0x00291010].value
    theirs = csareader.read(raw)["tags"]
    assert set(theirs) == set(header)
    for name, tag in theirs.items():
        assert header[name] == tag["items"], name
    series_header = read_csa(ds, "series")
    assert "MrPhoenixProtocol" in series_header


@pytest.mark.parametrize("name", ["csa2_b0.bin", "csa2_b1000.bin", "csa_str_valid.bin", "csa2_zero_len.bin.gz"])
def test_csa_binary_samples_parse(name):
    header = parse_csa(_nib_file(name))
    assert header
    if name == "csa2_b1000.bin":
        assert header["B_value"] == [1000]


def test_csa_old_format_and_types():
    raw = _csa_bytes([("B_value", "IS", ["700"]), ("SliceNormalVector", "FD", ["0", "0.5", "1.5"]),
                      ("SequenceName", "SH", ["*ep_b700#1"])], sv10=False)
    elements = parse_csa_elements(raw)
    assert elements["B_value"].values == [700] and elements["B_value"].vr == "IS"
    assert elements["SliceNormalVector"].values == [0.0, 0.5, 1.5]
    assert elements["SequenceName"].values == ["*ep_b700#1"]
    assert parse_csa(_csa_bytes([("B_value", "IS", ["700"])])) == {"B_value": [700]}


def test_csa_damage_raises_with_the_offset():
    raw = _nib_file("csa2_b1000.bin")
    for cut in (3, 12, 40, 200, len(raw) // 2):
        with pytest.raises(CSAError, match="offset"):
            parse_csa(raw[:cut])
    # counts no data could back: refused before any loop or allocation
    huge_tags = raw[:8] + struct.pack("<2I", 0xFFFFFFFF, 77) + raw[16:]
    with pytest.raises(CSAError, match="element count"):
        parse_csa(huge_tags)
    huge_items = bytearray(raw)
    struct.pack_into("<i", huge_items, 16 + 64 + 12, 0x7FFFFFFF)  # n_items of the first element
    with pytest.raises(CSAError, match="item count"):
        parse_csa(bytes(huge_items))
    bad_length = bytearray(raw)
    struct.pack_into("<i", bad_length, 16 + 84 + 4, 0x7FFFFFF0)  # first item's length
    with pytest.raises(CSAError, match="length"):
        parse_csa(bytes(bad_length))


def test_csa_mutations_give_a_header_or_csaerror():
    raw = bytearray(_nib_file("csa2_b1000.bin"))
    rng = random.Random(10)
    for _ in range(300):
        data = bytearray(raw)
        for _ in range(rng.randint(1, 8)):
            data[rng.randrange(len(data))] = rng.randrange(256)
        try:
            parse_csa(bytes(data))
        except CSAError:
            pass


# ----------------------------------------------------------------------------- per frame


def test_frame_diffusion_of_real_siemens_mosaics():
    b0 = frame_diffusion(dcmread(gzip.open(os.path.join(NIB_DATA, "siemens_dwi_0.dcm.gz"))))
    assert b0.bvalue == 0 and b0.source == "siemens-csa"
    b1000 = frame_diffusion(dcmread(gzip.open(os.path.join(NIB_DATA, "siemens_dwi_1000.dcm.gz"))))
    assert b1000.bvalue == 1000
    np.testing.assert_allclose(b1000.direction, [0.99997449, 0.00505012, -0.00505012])


def test_bmatrix_only_is_flagged_of_unknown_polarity():
    ds = Dataset()
    ds.Manufacturer = "Vendor"
    item = Dataset()
    item.DiffusionBValue = 1000.0
    bm = Dataset()
    g = np.array([0.6, -0.8, 0.0])
    m = 1000.0 * np.outer(g, g)
    for name, (i, j) in zip(("XX", "XY", "XZ", "YY", "YZ", "ZZ"), ((0, 0), (0, 1), (0, 2), (1, 1), (1, 2), (2, 2))):
        setattr(bm, f"DiffusionBValue{name}", float(m[i, j]))
    item.DiffusionBMatrixSequence = [bm]
    info = frame_diffusion(ds, functional_groups={"MRDiffusionSequence": item})
    assert info.from_bmatrix and info.source == "bmatrix"
    np.testing.assert_allclose(np.abs(info.direction), np.abs(g), atol=1e-9)


def test_dcm2niix_file_name_clean_up():
    assert _clean("601_WIP dti_ax") == "601_WIP_dti_ax"
    assert _clean("4_a  b:c/d") == "4_a_b_c_d"
    assert _clean("7_Séquence") == "7_Sequence"
    assert _clean(".x") == "_x"


# ----------------------------------------------------------------------------- synthetic series


def _unit(v):
    v = np.asarray(v, dtype=float)
    return v / np.linalg.norm(v)


def _write_series(folder, vendor, iop, bvals, dirs, *, phase="COL", derived=(), nslices=3, protocol="DTI test",
                  reverse=False, position="HFS", ge_directions=6):
    """Classic single-slice files of one diffusion series, with ``vendor``'s elements."""
    os.makedirs(folder, exist_ok=True)
    study, series = generate_uid(), generate_uid()
    r, c = np.array(iop[:3]), np.array(iop[3:])
    n = np.cross(r, c)
    instance = 0
    for vol, (b, g) in enumerate(zip(bvals, dirs)):
        for k in (range(nslices - 1, -1, -1) if reverse else range(nslices)):
            instance += 1
            ds = Dataset()
            ds.file_meta = FileMetaDataset()
            ds.file_meta.TransferSyntaxUID = ExplicitVRLittleEndian
            ds.file_meta.MediaStorageSOPClassUID = "1.2.840.10008.5.1.4.1.1.4"
            ds.SOPClassUID = "1.2.840.10008.5.1.4.1.1.4"
            ds.SOPInstanceUID = generate_uid()
            ds.file_meta.MediaStorageSOPInstanceUID = ds.SOPInstanceUID
            ds.Modality = "MR"
            ds.Manufacturer = {"ge": "GE MEDICAL SYSTEMS", "philips": "Philips Medical Systems",
                               "toshiba": "TOSHIBA", "canon": "Canon Medical Systems", "uih": "UIH",
                               "siemens": "SIEMENS"}[vendor]
            ds.PatientName = "Synthetic^DWI"
            ds.PatientID = "W"
            ds.StudyInstanceUID, ds.SeriesInstanceUID = study, series
            ds.StudyDate, ds.SeriesTime, ds.AcquisitionTime = "20260101", "120000", f"1200{vol:02d}"
            ds.SeriesNumber = 7
            ds.ProtocolName = protocol
            ds.SeriesDescription = protocol
            # Philips marks its isotropic volume only by (2001,1004) "I" and a zero direction
            ds.ImageType = ["ORIGINAL", "PRIMARY", "M_SE", "M", "SE"]
            ds.ScanningSequence = ["SE", "EP"]
            ds.SequenceVariant = "NONE"
            ds.MRAcquisitionType = "2D"
            ds.EchoTime = "80"
            ds.RepetitionTime = "5000"
            ds.EchoNumbers = "1"
            ds.PatientPosition = position
            ds.InPlanePhaseEncodingDirection = phase
            ds.SliceThickness = "3"
            ds.SpacingBetweenSlices = "3"
            ds.AcquisitionNumber = str(vol + 1) if vendor != "ge" else "1"
            ds.InstanceNumber = str(instance)
            ds.ImageOrientationPatient = [f"{v:.10f}" for v in iop]
            pos = np.array([-30.0, -40.0, 10.0]) + n * 3.0 * k
            ds.ImagePositionPatient = [f"{v:.6f}" for v in pos]
            ds.SliceLocation = f"{3.0 * k:.3f}"
            ds.PixelSpacing = ["2", "2"]
            ds.Rows = ds.Columns = 4
            ds.SamplesPerPixel = 1
            ds.PhotometricInterpretation = "MONOCHROME2"
            ds.BitsAllocated = ds.BitsStored = 16
            ds.HighBit = 15
            ds.PixelRepresentation = 0
            ds.PixelData = (np.arange(16, dtype="<u2") + 100 * vol + 10 * k).tobytes()
            if vendor == "ge":
                acq = ds.private_block(0x0019, "GEMS_ACQU_01", create=True)
                acq.add_new(0xA2, "SL", vol + 1)  # raw data run number
                for element, value in zip((0xBB, 0xBC, 0xBD), g):
                    acq.add_new(element, "DS", f"{value:.6f}")
                acq.add_new(0xE0, "DS", str(ge_directions))  # DTI diffusion directions
                parm = ds.private_block(0x0043, "GEMS_PARM_01", create=True)
                parm.add_new(0x39, "IS", [str(int(b)), "8", "0", "0"])
                ds.ScanOptions = ["EPI_GEMS"]
            elif vendor == "philips":
                dd = ds.private_block(0x2001, "Philips Imaging DD 001", create=True)
                dd.add_new(0x03, "FL", float(b))
                dd.add_new(0x04, "CS", "I" if vol in derived else ("O" if b > 0 else "N"))
                mr = ds.private_block(0x2005, "Philips MR Imaging DD 001", create=True)
                for element, value in zip((0xB0, 0xB1, 0xB2), g):
                    mr.add_new(element, "FL", float(value))
                mr.add_new(0x13, "IS", str(vol + 1))  # (2005,1413) gradient number
                ds.DiffusionBValue = float(b)
                ds.DiffusionGradientOrientation = [float(v) for v in g]
                ds.TemporalPositionIdentifier = "1"
            elif vendor == "uih":  # (0065,1009) b-value, (0065,1037) image-frame gradient
                uih = ds.private_block(0x0065, "Uih_MR_Private", create=True)
                uih.add_new(0x09, "FD", float(b))
                uih.add_new(0x37, "FD", [float(v) for v in g])
                ds.DiffusionBValue = float(b)
            elif vendor == "siemens":  # CSA image header only, as syngo MR B/D/E
                elements = [("B_value", "IS", [str(int(b))]), ("NumberOfImagesInMosaic", "US", [])]
                if b > 0:
                    elements.append(("DiffusionGradientDirection", "FD", [f"{v:.8f}" for v in g]))
                block = ds.private_block(0x0029, "SIEMENS CSA HEADER", create=True)
                block.add_new(0x10, "OB", _csa_bytes(elements))
                ds.ImageType = ["ORIGINAL", "PRIMARY", "DIFFUSION", "NONE"]
            else:
                ds.DiffusionBValue = float(b)
                ds.DiffusionGradientOrientation = [float(v) for v in g]
            ds.save_as(os.path.join(folder, f"IM{instance:04d}.dcm"), enforce_file_format=True)


def _dcm2niix(folder, out):
    assert DCM2NIIX, "dcm2niix (the oracle, a test dependency) is not on PATH"
    os.makedirs(out, exist_ok=True)
    subprocess.run([DCM2NIIX, "-b", "n", "-z", "n", "-f", "%s_%p", "-o", str(out), str(folder)],
                   check=True, capture_output=True)
    return sorted(f[:-5] for f in os.listdir(out) if f.endswith(".bval"))


def _compare_with_dcm2niix(tmp_path, folder):
    ref_names = _dcm2niix(folder, tmp_path / "ref")
    written = convert_directory(str(folder), str(tmp_path / "ours"), nifti=False)
    names = sorted(os.path.basename(p) for p in written)
    assert names == ref_names
    for name in names:
        b1 = np.loadtxt(tmp_path / "ours" / f"{name}.bval", ndmin=1)
        b2 = np.loadtxt(tmp_path / "ref" / f"{name}.bval", ndmin=1)
        np.testing.assert_array_equal(b1, b2)
        v1 = np.loadtxt(tmp_path / "ours" / f"{name}.bvec", ndmin=2)
        v2 = np.loadtxt(tmp_path / "ref" / f"{name}.bvec", ndmin=2)
        np.testing.assert_allclose(v1, v2, atol=1e-4)
    return names


# tag values of the shared series (README of ../shared/dwi)
GE_IOP = [0.7262333508, -0.6816840130, 0.0888370792, 0.6873777702, 0.7219207900, -0.0797459600]
TOSHIBA_IOP = [0.86629105, 0.49953964, 0.0, -0.49953964, 0.86629105, 0.0]
PHILIPS_IOP = [0.99993485, -0.01141293, -0.00006288, 0.01124470, 0.98422, 0.17656]
DIRS = [np.zeros(3)] + [_unit(v) for v in ([0.492355, 0.844098, -0.212332], [-0.7, 0.1, 0.7], [0.3, -0.9, 0.3],
                                          [0.1, 0.2, -0.97], [-0.577, 0.577, 0.577])]
BVALS = [0, 1000, 1000, 1000, 1000, 1000]


@pytest.mark.parametrize("phase", ["COL", "ROW"])
def test_ge_synthetic_matches_dcm2niix(tmp_path, phase):
    _write_series(tmp_path / "in", "ge", GE_IOP, BVALS, DIRS, phase=phase)
    assert _compare_with_dcm2niix(tmp_path, tmp_path / "in") == ["7_DTI_test"]


GE_SAG = [0.0, 1.0, 0.0, 0.0, 0.0, -1.0]
GE_COR = [1.0, 0.0, 0.0, 0.0, 0.0, -1.0]


@pytest.mark.parametrize("iop", [GE_SAG, GE_COR, GE_IOP], ids=["sagittal", "coronal", "oblique"])
@pytest.mark.parametrize("reverse", [False, True], ids=["ascending", "descending"])
def test_ge_slice_axis_rules_match_dcm2niix(tmp_path, iop, reverse):
    _write_series(tmp_path / "in", "ge", iop, BVALS, DIRS, reverse=reverse)
    _compare_with_dcm2niix(tmp_path, tmp_path / "in")


def test_ge_feet_first_follows_the_same_rule_as_dcm2niix(tmp_path):
    _write_series(tmp_path / "in", "ge", GE_IOP, BVALS, DIRS, position="FFS")
    _compare_with_dcm2niix(tmp_path, tmp_path / "in")


def test_toshiba_synthetic_matches_dcm2niix(tmp_path):
    _write_series(tmp_path / "in", "toshiba", TOSHIBA_IOP, BVALS, DIRS)
    _compare_with_dcm2niix(tmp_path, tmp_path / "in")


@pytest.mark.parametrize("vendor", ["siemens", "uih", "canon"])
def test_other_vendors_synthetic_match_dcm2niix(tmp_path, vendor):
    _write_series(tmp_path / "in", vendor, TOSHIBA_IOP, BVALS, DIRS)
    _compare_with_dcm2niix(tmp_path, tmp_path / "in")


def test_philips_derived_volume_is_left_out_as_dcm2niix_does(tmp_path):
    bvals = BVALS + [1000]
    dirs = DIRS + [np.zeros(3)]
    _write_series(tmp_path / "in", "philips", PHILIPS_IOP, bvals, dirs, derived=(6,), protocol="WIP dti_ax")
    _compare_with_dcm2niix(tmp_path, tmp_path / "in")
    series = [s for s in scan(str(tmp_path / "in")).series]
    tables = [series_diffusion(s) for s in series]
    table = next(t for t in tables if t is not None)
    assert len(table) == 6
    assert table.excluded and "derived" in table.excluded[0][1]


def test_frames_of_the_table_agree(tmp_path):
    _write_series(tmp_path / "in", "toshiba", TOSHIBA_IOP, BVALS, DIRS)
    (series,) = [s for s in scan(str(tmp_path / "in")).series]
    table = series_diffusion(series)
    # LPS -> image frame through the series affine, and back
    axes = np.asarray(series.affine_lps)[:3, :3]
    axes = axes / np.linalg.norm(axes, axis=0)
    np.testing.assert_allclose(table.bvecs_image @ axes.T, table.bvecs_lps, atol=1e-9)
    np.testing.assert_allclose(table.bvecs_lps[1:], np.array(DIRS[1:]), atol=1e-6)
    assert not table.polarity_unknown


# ----------------------------------------------------------------------------- real mosaics + CLI


def test_real_siemens_mosaics_match_dcm2niix_through_the_cli(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    for name in ("siemens_dwi_0.dcm.gz", "siemens_dwi_1000.dcm.gz"):
        (folder / name[:-3]).write_bytes(_nib_file(name))
    ref_names = _dcm2niix(folder, tmp_path / "ref")
    assert main(["dwi", str(folder), "-o", str(tmp_path / "ours")]) == 0
    for name in ref_names:
        np.testing.assert_array_equal(np.loadtxt(tmp_path / "ours" / f"{name}.bval"),
                                      np.loadtxt(tmp_path / "ref" / f"{name}.bval"))
        np.testing.assert_allclose(np.loadtxt(tmp_path / "ours" / f"{name}.bvec"),
                                   np.loadtxt(tmp_path / "ref" / f"{name}.bvec"), atol=1e-4)
        ours = nibabel.load(str(tmp_path / "ours" / f"{name}.nii.gz"))
        ref = nibabel.load(str(tmp_path / "ref" / f"{name}.nii"))
        assert ours.shape == ref.shape and ours.shape[-1] == 2
        np.testing.assert_allclose(ours.affine, ref.affine, atol=1e-3)
        np.testing.assert_array_equal(np.asanyarray(ours.dataobj), np.asanyarray(ref.dataobj))


def _write_enhanced(folder, iop, bvals, dirs, nslices=3, manufacturer="Siemens Healthineers", bmatrix_only=False,
                    single_file=False, derived=()):
    """One enhanced MR file per volume (the XA layout), MR Diffusion Sequence per
    frame; or with ``single_file`` every volume in one file (the Philips layout)."""
    os.makedirs(folder, exist_ok=True)
    study, series, frame_of_reference = generate_uid(), generate_uid(), generate_uid()
    r, c = np.array(iop[:3]), np.array(iop[3:])
    n = np.cross(r, c)
    groups = [[(v, bvals[v], dirs[v]) for v in range(len(bvals))]] if single_file else [
        [(v, bvals[v], dirs[v])] for v in range(len(bvals))]
    for volumes in groups:
        vol = volumes[0][0]
        ds = Dataset()
        ds.file_meta = FileMetaDataset()
        ds.file_meta.TransferSyntaxUID = ExplicitVRLittleEndian
        ds.file_meta.MediaStorageSOPClassUID = ds.SOPClassUID = "1.2.840.10008.5.1.4.1.1.4.1"
        ds.SOPInstanceUID = ds.file_meta.MediaStorageSOPInstanceUID = generate_uid()
        ds.Modality, ds.Manufacturer = "MR", manufacturer
        ds.PatientName, ds.PatientID = "Synthetic^XA", "W"
        ds.StudyInstanceUID, ds.SeriesInstanceUID, ds.FrameOfReferenceUID = study, series, frame_of_reference
        ds.StudyDate, ds.ContentDate = "20260101", "20260101"
        ds.AcquisitionDateTime = f"20260101120{vol:03d}.000000"
        ds.SeriesNumber, ds.InstanceNumber, ds.AcquisitionNumber = 10, vol + 1, vol + 1
        ds.ProtocolName = ds.SeriesDescription = "DWI dir PA"
        ds.ImageType = ["ORIGINAL", "PRIMARY", "DIFFUSION", "NONE"]
        ds.PatientPosition = "HFS"
        ds.InPlanePhaseEncodingDirection = "COL"
        ds.Rows = ds.Columns = 4
        ds.NumberOfFrames = nslices * len(volumes)
        ds.SamplesPerPixel = 1
        ds.PhotometricInterpretation = "MONOCHROME2"
        ds.BitsAllocated = ds.BitsStored = 16
        ds.HighBit = 15
        ds.PixelRepresentation = 0
        ds.PixelData = b"".join((np.arange(16 * nslices, dtype="<u2") + 100 * v).tobytes() for v, _, _ in volumes)
        ds.NumberOfTemporalPositions = str(len(bvals))
        organization = generate_uid()
        ds.DimensionOrganizationSequence = [Dataset()]
        ds.DimensionOrganizationSequence[0].DimensionOrganizationUID = organization
        index = []
        for pointer in (0x00209056, 0x00209057, 0x00209128):  # stack, position in stack, temporal index
            dim = Dataset()
            dim.DimensionOrganizationUID = organization
            dim.DimensionIndexPointer = pointer
            dim.FunctionalGroupPointer = 0x00209111
            index.append(dim)
        ds.DimensionIndexSequence = index
        timing = Dataset()
        timing.RepetitionTime = "3500"
        shared = Dataset()
        shared.MRTimingAndRelatedParametersSequence = [timing]
        geometry = Dataset()
        geometry.InPlanePhaseEncodingDirection = "COLUMN"
        shared.MRFOVGeometrySequence = [geometry]
        ds.SharedFunctionalGroupsSequence = [shared]
        frames = []
        for (vol, b, g), k in ((entry, k) for entry in volumes for k in range(nslices)):
            item = Dataset()
            measures = Dataset()
            measures.PixelSpacing = ["2", "2"]
            measures.SliceThickness = "3"
            measures.SpacingBetweenSlices = "3"
            item.PixelMeasuresSequence = [measures]
            orientation = Dataset()
            orientation.ImageOrientationPatient = [f"{v:.10f}" for v in iop]
            item.PlaneOrientationSequence = [orientation]
            echo = Dataset()
            echo.EffectiveEchoTime = 68.0
            item.MREchoSequence = [echo]
            position = Dataset()
            position.ImagePositionPatient = [f"{v:.6f}" for v in np.array([-30.0, -40.0, 10.0]) + n * 3.0 * k]
            item.PlanePositionSequence = [position]
            content = Dataset()
            content.StackID = "1"
            content.InStackPositionNumber = k + 1
            content.TemporalPositionIndex = vol + 1
            content.FrameAcquisitionNumber = vol + 1
            content.DimensionIndexValues = [1, k + 1, vol + 1]
            item.FrameContentSequence = [content]
            diffusion = Dataset()
            diffusion.DiffusionBValue = float(b)
            diffusion.DiffusionDirectionality = (
                "ISOTROPIC" if vol in derived else "BMATRIX" if b > 0 else "NONE")
            if b > 0 and not bmatrix_only:
                direction = Dataset()
                direction.DiffusionGradientOrientation = [float(v) for v in g]
                diffusion.DiffusionGradientDirectionSequence = [direction]
            if b > 0:
                bm = Dataset()
                m = b * np.outer(g, g)
                for name, (i, j) in zip(("XX", "XY", "XZ", "YY", "YZ", "ZZ"),
                                        ((0, 0), (0, 1), (0, 2), (1, 1), (1, 2), (2, 2))):
                    setattr(bm, f"DiffusionBValue{name}", float(m[i, j]))
                diffusion.DiffusionBMatrixSequence = [bm]
            item.MRDiffusionSequence = [diffusion]
            frames.append(item)
        ds.PerFrameFunctionalGroupsSequence = frames
        ds.save_as(os.path.join(folder, f"XA{volumes[0][0]:03d}.dcm"), enforce_file_format=True)


def test_enhanced_multiframe_series_matches_dcm2niix(tmp_path):
    _write_enhanced(tmp_path / "in", TOSHIBA_IOP, BVALS, DIRS)
    assert _compare_with_dcm2niix(tmp_path, tmp_path / "in") == ["10_DWI_dir_PA"]
    ds = dcmread(tmp_path / "in" / "XA001.dcm")
    info = frame_diffusion(ds, frame_index=2)
    assert info.bvalue == 1000 and info.source == "standard"
    np.testing.assert_allclose(info.direction, DIRS[1])


def _write_mosaics(folder, iop, normal, bvals, dirs, tiles=4):
    """Siemens mosaics (syngo MR E11 layout): one file per volume, 2x2 tiles of 4x4."""
    os.makedirs(folder, exist_ok=True)
    study, series = generate_uid(), generate_uid()
    for vol, (b, g) in enumerate(zip(bvals, dirs)):
        ds = Dataset()
        ds.file_meta = FileMetaDataset()
        ds.file_meta.TransferSyntaxUID = ExplicitVRLittleEndian
        ds.file_meta.MediaStorageSOPClassUID = ds.SOPClassUID = "1.2.840.10008.5.1.4.1.1.4"
        ds.SOPInstanceUID = ds.file_meta.MediaStorageSOPInstanceUID = generate_uid()
        ds.Modality, ds.Manufacturer = "MR", "SIEMENS"
        ds.PatientName, ds.PatientID = "Synthetic^Mosaic", "W"
        ds.StudyInstanceUID, ds.SeriesInstanceUID = study, series
        ds.StudyDate, ds.AcquisitionTime = "20260101", f"1200{vol:02d}.000"
        ds.SeriesNumber, ds.InstanceNumber, ds.AcquisitionNumber = 4, vol + 1, vol + 1
        ds.ProtocolName = ds.SeriesDescription = "DWI SagAP mosaic"
        ds.ImageType = ["ORIGINAL", "PRIMARY", "DIFFUSION", "NONE", "ND", "MOSAIC"]
        ds.ScanningSequence, ds.SequenceVariant, ds.MRAcquisitionType = "EP", "SK", "2D"
        ds.EchoTime, ds.RepetitionTime = "80", "5000"
        ds.PatientPosition = "HFS"
        ds.InPlanePhaseEncodingDirection = "ROW"
        ds.SliceThickness = ds.SpacingBetweenSlices = "3"
        ds.ImageOrientationPatient = [f"{v:.8f}" for v in iop]
        ds.ImagePositionPatient = ["-10", "-20", "30"]
        ds.PixelSpacing = ["2", "2"]
        ds.Rows = ds.Columns = 8
        ds.SamplesPerPixel = 1
        ds.PhotometricInterpretation = "MONOCHROME2"
        ds.BitsAllocated = ds.BitsStored = 16
        ds.HighBit = 15
        ds.PixelRepresentation = 0
        ds.PixelData = (np.arange(64, dtype="<u2") + 100 * vol).tobytes()
        elements = [("NumberOfImagesInMosaic", "US", [str(tiles)]),
                    ("SliceNormalVector", "FD", [f"{v:.8f}" for v in normal]),
                    ("B_value", "IS", [str(int(b))])]
        if b > 0:
            elements.append(("DiffusionGradientDirection", "FD", [f"{v:.8f}" for v in g]))
        ds.private_block(0x0029, "SIEMENS CSA HEADER", create=True).add_new(0x10, "OB", _csa_bytes(elements))
        ds.save_as(os.path.join(folder, f"MOS{vol:03d}.dcm"), enforce_file_format=True)


@pytest.mark.parametrize("normal", [[1.0, 0.0, 0.0], [-1.0, 0.0, 0.0]], ids=["opposed", "along"])
def test_sagittal_mosaics_match_dcm2niix_files_and_nifti(tmp_path, normal):
    # IOP (0,1,0; 0,0,-1): row x column = (-1,0,0); dcm2niix stacks along the
    # CSA SliceNormalVector and negates y when it opposes row x column
    _write_mosaics(tmp_path / "in", [0.0, 1.0, 0.0, 0.0, 0.0, -1.0], normal, BVALS, DIRS)
    (name,) = _compare_with_dcm2niix(tmp_path, tmp_path / "in")
    convert_directory(str(tmp_path / "in"), str(tmp_path / "nii"))
    ours = nibabel.load(str(tmp_path / "nii" / f"{name}.nii.gz"))
    ref_dir = tmp_path / "refnii"
    ref_dir.mkdir()
    subprocess.run([DCM2NIIX, "-b", "n", "-z", "n", "-f", "%s_%p", "-o", str(ref_dir), str(tmp_path / "in")],
                   check=True, capture_output=True)
    ref = nibabel.load(str(ref_dir / f"{name}.nii"))
    np.testing.assert_allclose(ours.affine, ref.affine, atol=1e-3)
    np.testing.assert_array_equal(np.asanyarray(ours.dataobj), np.asanyarray(ref.dataobj))


def test_bmatrix_only_series_gives_unsigned_vectors_in_mvec(tmp_path):
    """Deliberate difference: for an enhanced series with only the B-matrix,
    dcm2niix 1.0.20260724 writes zero vectors; fastdicom writes the B-matrix's
    main eigenvectors to ``.mvec`` (dcm2niix's name for vectors of unknown
    polarity) and no ``.bvec``."""
    _write_enhanced(tmp_path / "in", TOSHIBA_IOP, BVALS, DIRS, bmatrix_only=True)
    ref_names = _dcm2niix(tmp_path / "in", tmp_path / "ref")
    (prefix,) = convert_directory(str(tmp_path / "in"), str(tmp_path / "ours"), nifti=False)
    name = os.path.basename(prefix)
    assert [name] == ref_names
    np.testing.assert_array_equal(np.loadtxt(prefix + ".bval"), np.loadtxt(tmp_path / "ref" / f"{name}.bval"))
    assert not np.any(np.loadtxt(tmp_path / "ref" / f"{name}.bvec"))
    assert not os.path.exists(prefix + ".bvec")
    ours = np.loadtxt(prefix + ".mvec")
    (series,) = scan(str(tmp_path / "in")).series
    table = series_diffusion(series)
    assert table.polarity_unknown
    # the same axes as the signed vectors, up to sign
    np.testing.assert_allclose(np.abs(table.bvecs_lps[1:]), np.abs(np.array(DIRS[1:])), atol=1e-9)
    assert ours.shape == (3, len(BVALS))


def test_philips_enhanced_single_file_matches_dcm2niix(tmp_path):
    bvals = BVALS + [1000]
    dirs = DIRS + [np.zeros(3)]
    _write_enhanced(tmp_path / "in", PHILIPS_IOP, bvals, dirs, manufacturer="Philips Medical Systems",
                    single_file=True, derived=(6,))
    _compare_with_dcm2niix(tmp_path, tmp_path / "in")


@pytest.mark.parametrize("change", ["latin1_and_masked", "no_protocol", "second_echo"])
def test_output_names_are_dcm2niix_names(tmp_path, change):
    folder = tmp_path / "in"
    protocol = "Séq: a/b  c?*" if change == "latin1_and_masked" else "dwi"
    _write_series(folder, "toshiba", TOSHIBA_IOP, BVALS, DIRS, protocol=protocol)
    for path in folder.iterdir():
        ds = dcmread(path)
        if change == "no_protocol":
            del ds.ProtocolName
            ds.SeriesDescription = "Desc only"
        elif change == "second_echo":
            ds.EchoNumbers = "2"
        ds.save_as(path)
    names = _compare_with_dcm2niix(tmp_path, folder)
    assert names == {"latin1_and_masked": ["7_Seq_a_b_c_"], "no_protocol": ["7_Desc_only"],
                     "second_echo": ["7_dwi_e2"]}[change]


def test_a_damaged_csa_header_is_reported_and_the_rest_converted(tmp_path, capsys):
    folder = tmp_path / "in"
    _write_mosaics(folder, [0.0, 1.0, 0.0, 0.0, 0.0, -1.0], [1.0, 0.0, 0.0], BVALS, DIRS)
    bad = folder / "MOS005.dcm"
    ds = dcmread(bad)
    tag = 0x00291010
    ds[tag].value = ds[tag].value[:100]  # truncated inside the first element
    ds.save_as(bad)
    assert main(["dwi", str(folder), "-o", str(tmp_path / "out"), "--no-nifti"]) == 1
    err = capsys.readouterr().err
    assert "MOS005.dcm" in err and "offset" in err
    (bval,) = [p for p in os.listdir(tmp_path / "out") if p.endswith(".bval")]
    np.testing.assert_array_equal(np.loadtxt(tmp_path / "out" / bval), BVALS[:5])


@pytest.mark.parametrize("vendor,image_type,expected", [
    ("siemens", ["ORIGINAL", "PRIMARY", "DIFFUSION", "NONE"], True),
    ("toshiba", ["ORIGINAL", "PRIMARY", "DIFFUSION", "NONE"], True),
    ("siemens", ["ORIGINAL", "PRIMARY", "OTHER"], False),
    ("siemens", ["DERIVED", "PRIMARY", "DIFFUSION", "NONE"], False),
    ("toshiba", ["ORIGINAL", "PRIMARY", "OTHER"], False),
])
def test_unweighted_diffusion_series_as_dcm2niix(tmp_path, vendor, image_type, expected):
    """A b = 0-only series typed DIFFUSION (a topup b = 0 run) gets zeros, as dcm2niix writes."""
    folder = tmp_path / "in"
    _write_series(folder, vendor, TOSHIBA_IOP, [0, 0, 0], [np.zeros(3)] * 3)
    for path in folder.iterdir():
        ds = dcmread(path)
        ds.ImageType = image_type
        ds.save_as(path)
    names = _compare_with_dcm2niix(tmp_path, folder)
    assert bool(names) == expected
    if expected:
        assert not np.any(np.loadtxt(tmp_path / "ours" / f"{names[0]}.bvec"))


@pytest.mark.parametrize("ge_directions", [0, 6], ids=["trace", "dti"])
def test_ge_zero_vector_and_scaled_b_as_dcm2niix(tmp_path, ge_directions):
    """b > 0 with a zero vector: a trace image left out when the series has no
    directions, else a b = 0; a vector of length 0.7 scales b by 0.49."""
    bvals = [0, 1000, 1000, 1000, 1000, 1000]
    dirs = [np.zeros(3), np.zeros(3), DIRS[1], DIRS[2] * 0.7, DIRS[3], DIRS[4]]
    _write_series(tmp_path / "in", "ge", GE_IOP, bvals, dirs, ge_directions=ge_directions)
    (name,) = _compare_with_dcm2niix(tmp_path, tmp_path / "in")
    written = np.loadtxt(tmp_path / "ours" / f"{name}.bval")
    assert 490 in written
    assert len(written) == (5 if ge_directions == 0 else 6)
