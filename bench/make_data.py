"""Generate the fastdicom benchmark data set (written with pydicom).

Layout of the output directory (default ``${TMPDIR:-/tmp}/fastdicom-bench``)::

    ct_explicit/slice_0000.dcm ...   N CT slices, Explicit VR Little Endian
    ct_implicit/slice_0000.dcm ...   the same N slices, Implicit VR Little Endian
    enhanced_ct.dcm                  one Enhanced CT multi-frame file
    params.json                      what was generated (written last)

Each CT slice is 512x512 int16 (smooth "body" phantom with noise, one base
array shifted per slice) and has about 120 header elements in realistic
modules (patient, study, series, equipment, frame of reference, general image,
image plane, image pixel, CT image, VOI LUT, SOP common), a few sequences
(ReferencedImageSequence, ProcedureCodeSequence, RequestAttributesSequence with
a nested ScheduledProtocolCodeSequence) and Siemens-like private groups with
private creators, including two kilobyte OB "CSA header" blobs.

The enhanced file has a PerFrameFunctionalGroupsSequence of one item per frame
(PlanePositionSequence, FrameContentSequence, PixelValueTransformationSequence,
FrameVOILUTSequence, CTPositionSequence) and a SharedFunctionalGroupsSequence.

Generation is idempotent: if ``params.json`` exists and matches the requested
parameters nothing is written. Usage::

    python bench/make_data.py [--out DIR] [--slices 500] [--frames 300]
                              [--frame-size 512] [--force]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import time
from pathlib import Path

import numpy as np
from pydicom.dataset import Dataset, FileMetaDataset
from pydicom.sequence import Sequence
from pydicom.uid import ExplicitVRLittleEndian, ImplicitVRLittleEndian, generate_uid

CT_IMAGE_STORAGE = "1.2.840.10008.5.1.4.1.1.2"
ENHANCED_CT_STORAGE = "1.2.840.10008.5.1.4.1.1.2.1"
UID_ROOT = "1.2.826.0.1.3680043.8.498."  # pydicom's example root

DEFAULT_DIR = Path(os.environ.get("TMPDIR") or "/tmp") / "fastdicom-bench"
EXPLICIT_DIR = "ct_explicit"
IMPLICIT_DIR = "ct_implicit"
ENHANCED_FILE = "enhanced_ct.dcm"
PARAMS_FILE = "params.json"


def _uid(rng: np.random.Generator) -> str:
    # Deterministic, realistic-length UIDs (generate_uid with entropy).
    return generate_uid(UID_ROOT, entropy_srcs=[str(rng.integers(1 << 62))])


def _phantom(size: int, rng: np.random.Generator) -> np.ndarray:
    """A smooth CT-like slice: air outside an elliptic body, soft tissue,
    a couple of brighter 'organs', and noise. Stored values (intercept -1024)."""
    y, x = np.mgrid[0:size, 0:size].astype(np.float32) / size - 0.5
    hu = np.full((size, size), -1000.0, dtype=np.float32)
    body = (x / 0.42) ** 2 + (y / 0.33) ** 2 < 1.0
    hu[body] = 40.0
    hu[(x + 0.15) ** 2 + (y + 0.05) ** 2 < 0.012] = 60.0  # liver-ish
    hu[(x - 0.12) ** 2 + (y - 0.02) ** 2 < 0.004] = 700.0  # bone-ish
    hu[((x - 0.1) / 0.08) ** 2 + (y / 0.15) ** 2 < 1.0] = -800.0  # lung-ish
    # smooth noise: coarse random field upsampled, plus fine noise
    coarse = rng.normal(0, 25, (size // 16 + 1, size // 16 + 1)).astype(np.float32)
    smooth = np.kron(coarse, np.ones((16, 16), dtype=np.float32))[:size, :size]
    fine = rng.normal(0, 8, (size, size)).astype(np.float32)
    hu += (smooth + fine) * body
    return np.clip(hu + 1024.0, 0, 4095).astype(np.int16)


def _code(value: str, scheme: str, meaning: str) -> Dataset:
    item = Dataset()
    item.CodeValue = value
    item.CodingSchemeDesignator = scheme
    item.CodeMeaning = meaning
    return item


def _csa_blob(rng: np.random.Generator, size: int) -> bytes:
    # Looks like a Siemens CSA2 header: "SV10" magic, then name/VR records.
    head = b"SV10\x04\x03\x02\x01" + (60).to_bytes(4, "little") + b"\x4d\x00\x00\x00"
    names = b"".join(
        n.ljust(64, b"\x00") + b"DS\x00\x00" + rng.bytes(12)
        for n in (b"SliceMeasurementDuration", b"GradientMode", b"FlowCompensation",
                  b"TablePositionOrigin", b"ImaAbsTablePosition", b"ImaRelTablePosition")
    )
    body = head + names
    size += size % 2
    return (body * (size // len(body) + 1))[:size]


def _ct_slice(i: int, n: int, common: dict, rng: np.random.Generator,
              pixels: np.ndarray) -> Dataset:
    ds = Dataset()
    # SOP common
    ds.SpecificCharacterSet = "ISO_IR 100"
    ds.ImageType = ["ORIGINAL", "PRIMARY", "AXIAL", "CT_SOM5 SPI"]
    ds.InstanceCreationDate = "20240315"
    ds.InstanceCreationTime = "101522.123456"
    ds.SOPClassUID = CT_IMAGE_STORAGE
    ds.SOPInstanceUID = common["sops"][i]
    # study / series
    ds.StudyDate = "20240315"
    ds.SeriesDate = "20240315"
    ds.AcquisitionDate = "20240315"
    ds.ContentDate = "20240315"
    ds.StudyTime = "100814.000000"
    ds.SeriesTime = "101201.734000"
    ds.AcquisitionTime = f"1012{(i // 10) % 60:02d}.{i % 10}50000"
    ds.ContentTime = f"1012{(i // 10) % 60:02d}.{i % 10}50000"
    ds.AccessionNumber = "A20240315123"
    ds.Modality = "CT"
    ds.Manufacturer = "SIEMENS"
    ds.InstitutionName = "General Hospital"
    ds.InstitutionAddress = "1 Hospital Road, Springfield"
    ds.ReferringPhysicianName = "Doe^Jane^^Dr."
    ds.StationName = "CTAWP12345"
    ds.ProcedureCodeSequence = Sequence([
        _code("CTCHABD", "L", "CT CHEST ABDOMEN PELVIS W CONTRAST"),
    ])
    ds.StudyDescription = "CT Chest Abdomen Pelvis"
    ds.SeriesDescription = "Thorax-Abdomen 1.0 B30f"
    ds.InstitutionalDepartmentName = "Radiology"
    ds.PerformingPhysicianName = "Smith^John"
    ds.OperatorsName = ["Tech^Alice", "Tech^Bob"]
    ds.ManufacturerModelName = "SOMATOM Definition AS+"
    ds.ReferencedImageSequence = Sequence([
        _ref(CT_IMAGE_STORAGE, common["scout"]),
        _ref(CT_IMAGE_STORAGE, common["sops"][(i + 1) % n]),
    ])
    # private creator groups (Siemens-like)
    ds.add_new(0x00190010, "LO", "SIEMENS CT VA1 DUMMY")
    ds.add_new(0x00191090, "DS", "0.75")
    ds.add_new(0x00191092, "DS", "1.0")
    ds.add_new(0x00191093, "DS", ["120", "120"])
    ds.add_new(0x001910B0, "DS", "24.0")
    # patient
    ds.PatientName = "Doe^John^Q^^"
    ds.PatientID = "PID0012345"
    ds.PatientBirthDate = "19610704"
    ds.PatientSex = "M"
    ds.PatientAge = "062Y"
    ds.PatientSize = "1.78"
    ds.PatientWeight = "82.5"
    ds.PatientIdentityRemoved = "NO"
    # CT acquisition (group 0018)
    ds.ContrastBolusAgent = "IOMERON 400"
    ds.ContrastBolusVolume = "80"
    ds.ContrastBolusRoute = "IV"
    ds.BodyPartExamined = "CHEST"
    ds.ScanOptions = "HELICAL_CT"
    ds.SliceThickness = "1.0"
    ds.KVP = "120"
    ds.DataCollectionDiameter = "500"
    ds.DeviceSerialNumber = "64123"
    ds.SoftwareVersions = "syngo CT 2012B"
    ds.ProtocolName = "ThoraxAbdomen_Routine"
    ds.ReconstructionDiameter = "380"
    ds.DistanceSourceToDetector = "1085.6"
    ds.DistanceSourceToPatient = "595"
    ds.GantryDetectorTilt = "0"
    ds.TableHeight = "155"
    ds.RotationDirection = "CW"
    ds.ExposureTime = "500"
    ds.XRayTubeCurrent = "245"
    ds.Exposure = "156"
    ds.FilterType = "FLAT"
    ds.GeneratorPower = "29"
    ds.FocalSpots = "1.2"
    ds.DateOfLastCalibration = "20240314"
    ds.TimeOfLastCalibration = "071500"
    ds.ConvolutionKernel = "B30f"
    ds.PatientPosition = "FFS"
    ds.RevolutionTime = 0.5
    ds.SingleCollimationWidth = 0.6
    ds.TotalCollimationWidth = 38.4
    ds.TableSpeed = 46
    ds.TableFeedPerRotation = 23
    ds.SpiralPitchFactor = 0.6
    ds.CTDIvol = 7.83
    ds.ExposureModulationType = "XYZ_EC"
    # relationship (group 0020)
    ds.StudyInstanceUID = common["study"]
    ds.SeriesInstanceUID = common["series"]
    ds.StudyID = "1"
    ds.SeriesNumber = "3"
    ds.AcquisitionNumber = "2"
    ds.InstanceNumber = str(i + 1)
    z = -10.0 - 1.0 * i
    ds.ImagePositionPatient = ["-189.628906", "-351.628906", f"{z:.1f}"]
    ds.ImageOrientationPatient = ["1", "0", "0", "0", "1", "0"]
    ds.FrameOfReferenceUID = common["frame"]
    ds.PositionReferenceIndicator = ""
    ds.SliceLocation = f"{z:.1f}"
    ds.ImageComments = "Routine contrast-enhanced study"
    # more private: CSA-like headers (two OB values of a few KB)
    ds.add_new(0x00290010, "LO", "SIEMENS CSA HEADER")
    ds.add_new(0x00290011, "LO", "SIEMENS MEDCOM HEADER")
    ds.add_new(0x00291008, "CS", "IMAGE NUM 4")
    ds.add_new(0x00291009, "LO", "20240315")
    ds.add_new(0x00291010, "OB", common["csa_image"])
    ds.add_new(0x00291018, "CS", "SERIES NUM 4")
    ds.add_new(0x00291019, "LO", "20240315")
    ds.add_new(0x00291020, "OB", common["csa_series"])
    ds.add_new(0x00291131, "LO", "4.0.1")
    ds.add_new(0x00291132, "UL", 4)
    # request attributes with a nested code sequence
    req = Dataset()
    req.RequestedProcedureID = "RP12345"
    req.ScheduledProcedureStepID = "SPS12345"
    req.ScheduledProcedureStepDescription = "CT CAP with contrast"
    req.ScheduledProtocolCodeSequence = Sequence([
        _code("CTCAP", "99LOCAL", "CT chest/abdomen/pelvis"),
    ])
    ds.RequestAttributesSequence = Sequence([req])
    ds.PerformedProcedureStepStartDate = "20240315"
    ds.PerformedProcedureStepStartTime = "100814.000000"
    ds.PerformedProcedureStepID = "PPS12345"
    ds.PerformedProcedureStepDescription = "CT Chest Abdomen Pelvis"
    # image pixel (group 0028)
    ds.SamplesPerPixel = 1
    ds.PhotometricInterpretation = "MONOCHROME2"
    ds.Rows = pixels.shape[0]
    ds.Columns = pixels.shape[1]
    ds.PixelSpacing = ["0.742187", "0.742187"]
    ds.BitsAllocated = 16
    ds.BitsStored = 12
    ds.HighBit = 11
    ds.PixelRepresentation = 1
    ds.SmallestImagePixelValue = int(pixels.min())
    ds.LargestImagePixelValue = int(pixels.max())
    ds.WindowCenter = ["40", "300"]
    ds.WindowWidth = ["400", "1500"]
    ds.RescaleIntercept = "-1024"
    ds.RescaleSlope = "1"
    ds.RescaleType = "HU"
    ds.WindowCenterWidthExplanation = ["WINDOW1", "WINDOW2"]
    ds.LossyImageCompression = "00"
    ds.add_new(0x00090010, "LO", "GEMS_IDEN_01")  # a second vendor's private group
    ds.add_new(0x00091001, "LO", "CT_LIGHTSPEED")
    ds.add_new(0x00091002, "SH", "CT01")
    ds.PixelData = pixels.tobytes()
    ds["PixelData"].VR = "OW"
    return ds


def _ref(cls: str, uid: str) -> Dataset:
    item = Dataset()
    item.ReferencedSOPClassUID = cls
    item.ReferencedSOPInstanceUID = uid
    return item


def _file_meta(sop_class: str, sop_instance: str, ts: str) -> FileMetaDataset:
    meta = FileMetaDataset()
    meta.MediaStorageSOPClassUID = sop_class
    meta.MediaStorageSOPInstanceUID = sop_instance
    meta.TransferSyntaxUID = ts
    meta.ImplementationClassUID = UID_ROOT + "1"
    meta.ImplementationVersionName = "FDBENCH_1"
    return meta


def _save(ds: Dataset, path: Path, ts: str) -> None:
    ds.file_meta = _file_meta(ds.SOPClassUID, ds.SOPInstanceUID, ts)
    ds.preamble = b"\x00" * 128
    tmp = path.with_suffix(".tmp")
    ds.save_as(tmp, enforce_file_format=True)
    os.replace(tmp, path)


def _enhanced(n_frames: int, size: int, rng: np.random.Generator) -> Dataset:
    ds = Dataset()
    ds.SpecificCharacterSet = "ISO_IR 100"
    ds.ImageType = ["ORIGINAL", "PRIMARY", "AXIAL", "NONE"]
    ds.InstanceCreationDate = "20240315"
    ds.InstanceCreationTime = "101522"
    ds.SOPClassUID = ENHANCED_CT_STORAGE
    ds.SOPInstanceUID = _uid(rng)
    ds.StudyDate = "20240315"
    ds.ContentDate = "20240315"
    ds.StudyTime = "100814"
    ds.ContentTime = "101522"
    ds.AcquisitionDateTime = "20240315101201.734000"
    ds.AccessionNumber = "A20240315124"
    ds.Modality = "CT"
    ds.Manufacturer = "SIEMENS"
    ds.ReferringPhysicianName = "Doe^Jane"
    ds.ManufacturerModelName = "SOMATOM Force"
    ds.PatientName = "Doe^John"
    ds.PatientID = "PID0012345"
    ds.PatientBirthDate = "19610704"
    ds.PatientSex = "M"
    ds.StudyInstanceUID = _uid(rng)
    ds.SeriesInstanceUID = _uid(rng)
    ds.StudyID = "1"
    ds.SeriesNumber = "5"
    ds.InstanceNumber = "1"
    ds.FrameOfReferenceUID = _uid(rng)
    ds.PositionReferenceIndicator = ""
    dim_org = _uid(rng)
    org = Dataset()
    org.DimensionOrganizationUID = dim_org
    ds.DimensionOrganizationSequence = Sequence([org])
    d1 = Dataset()
    d1.DimensionOrganizationUID = dim_org
    d1.DimensionIndexPointer = 0x00209057  # InStackPositionNumber
    d1.FunctionalGroupPointer = 0x00209111  # FrameContentSequence
    ds.DimensionIndexSequence = Sequence([d1])
    ds.SamplesPerPixel = 1
    ds.PhotometricInterpretation = "MONOCHROME2"
    ds.NumberOfFrames = n_frames
    ds.Rows = size
    ds.Columns = size
    ds.BitsAllocated = 16
    ds.BitsStored = 12
    ds.HighBit = 11
    ds.PixelRepresentation = 1
    ds.ContentQualification = "PRODUCT"
    ds.ImageComments = "Enhanced CT benchmark volume"
    ds.BurnedInAnnotation = "NO"
    ds.LossyImageCompression = "00"
    ds.PresentationLUTShape = "IDENTITY"

    shared = Dataset()
    pm = Dataset()
    pm.PixelSpacing = ["0.742187", "0.742187"]
    pm.SliceThickness = "1.0"
    pm.SpacingBetweenSlices = "1.0"
    shared.PixelMeasuresSequence = Sequence([pm])
    po = Dataset()
    po.ImageOrientationPatient = ["1", "0", "0", "0", "1", "0"]
    shared.PlaneOrientationSequence = Sequence([po])
    ft = Dataset()
    ft.FrameType = ["ORIGINAL", "PRIMARY", "AXIAL", "NONE"]
    ft.PixelPresentation = "MONOCHROME"
    ft.VolumetricProperties = "VOLUME"
    ft.VolumeBasedCalculationTechnique = "NONE"
    shared.CTImageFrameTypeSequence = Sequence([ft])
    acq = Dataset()
    acq.KVP = "120"
    acq.DataCollectionDiameter = "500"
    acq.RotationDirection = "CW"
    acq.RevolutionTime = 0.5
    acq.SingleCollimationWidth = 0.6
    acq.TotalCollimationWidth = 38.4
    shared.CTAcquisitionDetailsSequence = Sequence([acq])
    recon = Dataset()
    recon.ReconstructionDiameter = "380"
    recon.ConvolutionKernel = "Br40"
    recon.ReconstructionAlgorithm = "ITERATIVE"
    shared.CTReconstructionSequence = Sequence([recon])
    ds.SharedFunctionalGroupsSequence = Sequence([shared])

    per_frame = []
    for f in range(n_frames):
        item = Dataset()
        fc = Dataset()
        fc.FrameAcquisitionNumber = 1
        fc.FrameReferenceDateTime = "20240315101201.734000"
        fc.FrameAcquisitionDateTime = "20240315101201.734000"
        fc.FrameAcquisitionDuration = 500.0
        fc.StackID = "1"
        fc.InStackPositionNumber = f + 1
        fc.DimensionIndexValues = [f + 1]
        item.FrameContentSequence = Sequence([fc])
        pp = Dataset()
        pp.ImagePositionPatient = ["-189.628906", "-351.628906", f"{-10.0 - f:.1f}"]
        item.PlanePositionSequence = Sequence([pp])
        pv = Dataset()
        pv.RescaleIntercept = "-1024"
        pv.RescaleSlope = "1"
        pv.RescaleType = "HU"
        item.PixelValueTransformationSequence = Sequence([pv])
        voi = Dataset()
        voi.WindowCenter = "40"
        voi.WindowWidth = "400"
        voi.WindowCenterWidthExplanation = "SOFT_TISSUE"
        item.FrameVOILUTSequence = Sequence([voi])
        ctp = Dataset()
        ctp.TablePosition = -10.0 - f
        ctp.ReconstructionTargetCenterPatient = [0.0, -160.0, -10.0 - f]
        ctp.DataCollectionCenterPatient = [0.0, -160.0, -10.0 - f]
        item.CTPositionSequence = Sequence([ctp])
        per_frame.append(item)
    ds.PerFrameFunctionalGroupsSequence = Sequence(per_frame)

    base = _phantom(size, rng)
    frames = np.empty((n_frames, size, size), dtype=np.int16)
    for f in range(n_frames):
        frames[f] = base + np.int16(f % 37)
    ds.PixelData = frames.tobytes()
    ds["PixelData"].VR = "OW"
    return ds


def make_data(out: str | os.PathLike | None = None, n_slices: int = 500,
              n_frames: int = 300, frame_size: int = 512, slice_size: int = 512,
              force: bool = False, verbose: bool = False) -> Path:
    """Write the data set into ``out`` (skipped when already there); return it."""
    out = Path(out) if out is not None else DEFAULT_DIR
    params = {"slices": n_slices, "frames": n_frames, "frame_size": frame_size,
              "slice_size": slice_size, "version": 1}
    marker = out / PARAMS_FILE
    if not force and marker.exists():
        try:
            if json.loads(marker.read_text()) == params:
                return out
        except ValueError:
            pass
    if out.exists():
        for sub in (EXPLICIT_DIR, IMPLICIT_DIR):
            shutil.rmtree(out / sub, ignore_errors=True)
        for name in (ENHANCED_FILE, PARAMS_FILE):
            (out / name).unlink(missing_ok=True)
    t0 = time.perf_counter()
    rng = np.random.default_rng(20240315)
    (out / EXPLICIT_DIR).mkdir(parents=True, exist_ok=True)
    (out / IMPLICIT_DIR).mkdir(parents=True, exist_ok=True)
    common = {
        "study": _uid(rng), "series": _uid(rng), "frame": _uid(rng), "scout": _uid(rng),
        "sops": [_uid(rng) for _ in range(n_slices)],
        "csa_image": _csa_blob(rng, 6 * 1024 + 312),
        "csa_series": _csa_blob(rng, 3 * 1024 + 88),
    }
    base = _phantom(slice_size, rng)
    for i in range(n_slices):
        # cheap per-slice variation: shift and offset the one base array
        pixels = np.roll(base, (i % 17) - 8, axis=0) + np.int16((i * 7) % 41)
        ds = _ct_slice(i, n_slices, common, rng, pixels)
        name = f"slice_{i:04d}.dcm"
        _save(ds, out / EXPLICIT_DIR / name, ExplicitVRLittleEndian)
        _save(ds, out / IMPLICIT_DIR / name, ImplicitVRLittleEndian)
        if verbose and (i + 1) % 100 == 0:
            print(f"  {i + 1}/{n_slices} slices", file=sys.stderr)
    _save(_enhanced(n_frames, frame_size, rng), out / ENHANCED_FILE, ExplicitVRLittleEndian)
    marker.write_text(json.dumps(params))
    if verbose:
        print(f"generated {out} in {time.perf_counter() - t0:.1f} s", file=sys.stderr)
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--out", default=str(DEFAULT_DIR))
    ap.add_argument("--slices", type=int, default=500)
    ap.add_argument("--frames", type=int, default=300)
    ap.add_argument("--frame-size", type=int, default=512,
                    help="rows/columns of the enhanced file's frames (default 512)")
    ap.add_argument("--force", action="store_true", help="regenerate even if present")
    args = ap.parse_args(argv)
    out = make_data(args.out, args.slices, args.frames, args.frame_size,
                    force=args.force, verbose=True)
    print(out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
