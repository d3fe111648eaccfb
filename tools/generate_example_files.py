#!/usr/bin/env python
"""Write the synthetic datasets behind :mod:`fastdicom.examples`.

pydicom's ``pydicom.examples`` reads test files that ship inside the pydicom
wheel (not in the separate pydicom-data package).  fastdicom does not copy
them: this script *makes* small datasets of the same kinds (an MR slice, an
RGB, a palette colour and a YBR image, a JPEG 2000 one, an overlay, an ECG
waveform, an RT plan, dose and structure set, a dataset without File Meta
and a DICOMDIR) from synthetic values, and writes them with fastdicom's own
writer into ``fastdicom/data/examples/``.  Only the CT example is pydicom's
(``fastdicom/data/CT_small.dcm``, shipped before).

Every value is computed (no random numbers without a fixed seed, no dates
from the clock, UIDs derived from the example's name), so re-running the
script gives the same files.  The JPEG 2000 and JPEG images need imagecodecs
(``pip install imagecodecs``), the compression fastdicom uses.

fastdicom must be importable (``PYTHONPATH=.`` in a built development
checkout).  Usage::

    python tools/generate_example_files.py             # into fastdicom/data/examples
    python tools/generate_example_files.py --out DIR   # elsewhere (to compare)
"""

from __future__ import annotations

import argparse
import shutil
import uuid
from pathlib import Path

import numpy as np

from fastdicom import dcmwrite
from fastdicom.dataset import Dataset, FileMetaDataset
from fastdicom.fileset import FileSet
from fastdicom.pixels import pack_bits
from fastdicom.sequence import Sequence
from fastdicom.uid import (
    ExplicitVRLittleEndian,
    ImplicitVRLittleEndian,
    JPEG2000Lossless,
    JPEGBaseline8Bit,
)

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "fastdicom" / "data" / "examples"

# Storage SOP Classes (PS3.4 Annex B.5).
MR_STORAGE = "1.2.840.10008.5.1.4.1.1.4"
CT_STORAGE = "1.2.840.10008.5.1.4.1.1.2"
US_STORAGE = "1.2.840.10008.5.1.4.1.1.6.1"
US_MULTIFRAME_STORAGE = "1.2.840.10008.5.1.4.1.1.3.1"
ECG_STORAGE = "1.2.840.10008.5.1.4.1.1.9.1.1"
RT_DOSE_STORAGE = "1.2.840.10008.5.1.4.1.1.481.2"
RT_STRUCT_STORAGE = "1.2.840.10008.5.1.4.1.1.481.3"
RT_PLAN_STORAGE = "1.2.840.10008.5.1.4.1.1.481.5"

_UID_NAMESPACE = uuid.UUID("6f1c6a55-3d35-4e0b-9d2e-7a0f7d4c2b10")


def uid(name: str) -> str:
    """A UID derived from `name`: ``2.25.<UUID as integer>`` (PS3.5 §B.2)."""
    return f"2.25.{uuid.uuid5(_UID_NAMESPACE, 'fastdicom example ' + name).int}"


def base_dataset(name: str, sop_class: str, modality: str, patient: str) -> Dataset:
    """Patient, study, series and SOP attributes shared by every example."""
    ds = Dataset()
    ds.SpecificCharacterSet = "ISO_IR 100"
    ds.SOPClassUID = sop_class
    ds.SOPInstanceUID = uid(name + " instance")
    ds.StudyDate = "20240101"
    ds.StudyTime = "120000"
    ds.ContentDate = "20240101"
    ds.ContentTime = "120000"
    ds.AccessionNumber = ""
    ds.Modality = modality
    ds.Manufacturer = "fastdicom"
    ds.InstitutionName = "fastdicom examples"
    ds.ReferringPhysicianName = ""
    ds.StudyDescription = "fastdicom example"
    ds.SeriesDescription = f"Synthetic {name}"
    ds.PatientName = patient
    ds.PatientID = "FD-" + name.upper().replace(" ", "-")
    ds.PatientBirthDate = "19700101"
    ds.PatientSex = "O"
    ds.StudyInstanceUID = uid(name + " study")
    ds.SeriesInstanceUID = uid(name + " series")
    ds.StudyID = "1"
    ds.SeriesNumber = 1
    ds.InstanceNumber = 1
    return ds


def file_meta(ds: Dataset, transfer_syntax: str) -> None:
    """Give `ds` its File Meta Information (PS3.10 §7.1)."""
    meta = FileMetaDataset()
    meta.MediaStorageSOPClassUID = ds.SOPClassUID
    meta.MediaStorageSOPInstanceUID = ds.SOPInstanceUID
    meta.TransferSyntaxUID = transfer_syntax
    ds.file_meta = meta


def image_module(ds: Dataset, arr: np.ndarray, photometric: str, bits_stored: int | None = None) -> None:
    """Set the Image Pixel module (PS3.3 C.7.6.3) for `arr` (native pixels)."""
    frames = 1
    if arr.ndim == 4 or (arr.ndim == 3 and photometric.startswith("MONO")) or (
        arr.ndim == 3 and photometric == "PALETTE COLOR"
    ):
        frames = arr.shape[0]
    rows, columns = (arr.shape[1:3] if frames > 1 else arr.shape[:2])
    samples = 3 if photometric in ("RGB", "YBR_FULL") else 1
    ds.SamplesPerPixel = samples
    ds.PhotometricInterpretation = photometric
    if samples == 3:
        ds.PlanarConfiguration = 0
    if frames > 1:
        ds.NumberOfFrames = frames
    ds.Rows = rows
    ds.Columns = columns
    bits = arr.dtype.itemsize * 8
    ds.BitsAllocated = bits
    ds.BitsStored = bits_stored or bits
    ds.HighBit = ds.BitsStored - 1
    ds.PixelRepresentation = 1 if arr.dtype.kind == "i" else 0
    ds.PixelData = arr.astype(arr.dtype.newbyteorder("<")).tobytes()


def phantom(size: int, scale: float = 1000.0) -> np.ndarray:
    """A head-phantom-like slice: an ellipse with a few inner structures."""
    y, x = np.mgrid[-1 : 1 : size * 1j, -1 : 1 : size * 1j]
    img = np.zeros((size, size))
    for cx, cy, ax, ay, value in (
        (0.0, 0.0, 0.85, 0.95, 0.6),
        (0.0, 0.0, 0.78, 0.88, -0.2),
        (-0.3, 0.1, 0.18, 0.3, 0.5),
        (0.3, 0.1, 0.18, 0.3, 0.5),
        (0.0, -0.45, 0.12, 0.12, 0.3),
        (0.0, 0.5, 0.08, 0.08, 0.4),
    ):
        img[((x - cx) / ax) ** 2 + ((y - cy) / ay) ** 2 <= 1] += value
    return np.clip(img * scale, 0, None)


def write(ds: Dataset, name: str, **kwargs: object) -> Path:
    path = OUT / name
    dcmwrite(path, ds, enforce_file_format=kwargs.pop("enforce", True), **kwargs)
    return path


# ---------------------------------------------------------------- images


def make_mr() -> Dataset:
    ds = base_dataset("mr", MR_STORAGE, "MR", "Example^MR")
    ds.ImageType = ["ORIGINAL", "PRIMARY", "OTHER"]
    ds.ScanningSequence = "SE"
    ds.SequenceVariant = "NONE"
    ds.MRAcquisitionType = "2D"
    ds.SliceThickness = "5.0"
    ds.RepetitionTime = "500.0"
    ds.EchoTime = "20.0"
    ds.MagneticFieldStrength = "1.5"
    ds.ImagePositionPatient = ["-120.0", "-120.0", "0.0"]
    ds.ImageOrientationPatient = ["1.0", "0.0", "0.0", "0.0", "1.0", "0.0"]
    ds.FrameOfReferenceUID = uid("mr frame of reference")
    ds.PixelSpacing = ["3.75", "3.75"]
    ds.WindowCenter = "600"
    ds.WindowWidth = "1200"
    image_module(ds, phantom(64).astype("<u2"), "MONOCHROME2", 12)
    file_meta(ds, ExplicitVRLittleEndian)
    return ds


def make_overlay() -> Dataset:
    ds = make_mr()
    ds.SOPInstanceUID = ds.file_meta.MediaStorageSOPInstanceUID = uid("overlay instance")
    ds.SeriesInstanceUID = uid("overlay series")
    ds.PatientName = "Example^Overlay"
    ds.SeriesDescription = "Synthetic MR with overlay"
    # A graphics overlay (PS3.3 C.9.2): a frame and a cross-hair, 1 bit a pixel.
    mask = np.zeros((64, 64), dtype=np.uint8)
    mask[4, 4:60] = mask[59, 4:60] = mask[4:60, 4] = mask[4:60, 59] = 1
    mask[32, 24:41] = mask[24:41, 32] = 1
    ds.add_new(0x60000010, "US", 64)  # Overlay Rows
    ds.add_new(0x60000011, "US", 64)  # Overlay Columns
    ds.add_new(0x60000022, "LO", "Region of interest")  # Overlay Description
    ds.add_new(0x60000040, "CS", "G")  # Overlay Type: graphics
    ds.add_new(0x60000050, "SS", [1, 1])  # Overlay Origin
    ds.add_new(0x60000100, "US", 1)  # Overlay Bits Allocated
    ds.add_new(0x60000102, "US", 0)  # Overlay Bit Position
    ds.add_new(0x60003000, "OW", pack_bits(mask.ravel()))  # Overlay Data
    return ds


def color_bars(rows: int, columns: int) -> np.ndarray:
    """RGB colour bars over a vertical brightness ramp."""
    bars = np.array(
        [[255, 255, 255], [255, 255, 0], [0, 255, 255], [0, 255, 0],
         [255, 0, 255], [255, 0, 0], [0, 0, 255], [0, 0, 0]],
        dtype=float,
    )
    index = (np.arange(columns) * len(bars) // columns)
    ramp = np.linspace(1.0, 0.25, rows)[:, None, None]
    return (bars[index][None, :, :] * ramp).round().astype(np.uint8)


def make_rgb() -> Dataset:
    ds = base_dataset("rgb color", US_STORAGE, "US", "Example^RGB")
    image_module(ds, color_bars(96, 128), "RGB")
    file_meta(ds, ExplicitVRLittleEndian)
    return ds


def make_ybr() -> Dataset:
    ds = base_dataset("ybr color", US_MULTIFRAME_STORAGE, "US", "Example^YBR")
    frames = np.stack([np.roll(color_bars(96, 128), 16 * i, axis=1) for i in range(4)])
    image_module(ds, frames, "RGB")
    ds.FrameTime = "40.0"
    ds.FrameIncrementPointer = 0x00181063  # Frame Time
    file_meta(ds, ExplicitVRLittleEndian)
    # JPEG Baseline stores colour as YBR_FULL_422 (PS3.5 §8.2.1).
    ds.compress(
        JPEGBaseline8Bit, photometric_interpretation="YBR_FULL_422", generate_instance_uid=False
    )
    return ds


def make_jpeg2k() -> Dataset:
    ds = base_dataset("jpeg2k", US_STORAGE, "US", "Example^JPEG2000")
    y, x = np.mgrid[0:120, 0:160]
    arr = np.stack(
        [(x * 255 // 159), (y * 255 // 119), ((x + y) * 255 // 278)], axis=-1
    ).astype(np.uint8)
    image_module(ds, arr, "RGB")
    file_meta(ds, ExplicitVRLittleEndian)
    ds.compress(JPEG2000Lossless, generate_instance_uid=False)
    return ds


def make_palette() -> Dataset:
    ds = base_dataset("palette color", US_STORAGE, "US", "Example^Palette")
    y, x = np.mgrid[0:100, 0:160]
    image_module(ds, ((np.hypot(x - 80, y - 50) * 3) % 256).astype(np.uint8), "PALETTE COLOR")
    # A 256-entry, 16-bit rainbow (PS3.3 C.7.6.3.1.5): red falls, green
    # peaks in the middle, blue rises.
    i = np.arange(256, dtype=float)
    red = np.clip(510 - 2 * i, 0, 255)
    green = 255 - np.abs(2 * i - 255)
    blue = np.clip(2 * i - 255, 0, 255)
    for keyword, channel in (("Red", red), ("Green", green), ("Blue", blue)):
        setattr(ds, f"{keyword}PaletteColorLookupTableDescriptor", [256, 0, 16])
        lut = (channel * 257).round().astype("<u2").tobytes()
        setattr(ds, f"{keyword}PaletteColorLookupTableData", lut)
    file_meta(ds, ExplicitVRLittleEndian)
    return ds


def make_no_meta() -> Dataset:
    ds = base_dataset("no meta", CT_STORAGE, "CT", "Example^NoMeta")
    ds.ImageType = ["ORIGINAL", "PRIMARY", "AXIAL"]
    ds.RescaleIntercept = "-1024"
    ds.RescaleSlope = "1"
    image_module(ds, (phantom(32, 1400)).astype("<i2") - 1024, "MONOCHROME2")
    return ds


# ---------------------------------------------------------------- waveform


def make_waveform() -> Dataset:
    ds = base_dataset("waveform", ECG_STORAGE, "ECG", "Example^ECG")
    rate, seconds = 500, 2
    t = np.arange(rate * seconds) / rate
    beat = np.zeros_like(t)
    for start in np.arange(0.1, seconds, 0.8):  # 75 beats a minute
        for offset, width, height in ((0.0, 0.025, 0.15), (0.16, 0.01, -0.1),
                                      (0.18, 0.012, 1.2), (0.20, 0.01, -0.25),
                                      (0.42, 0.04, 0.3)):
            beat += height * np.exp(-(((t - start - offset) / width) ** 2))
    leads = {"Lead I": (1.0, "5.6.3-9-1"), "Lead II": (1.5, "5.6.3-9-2"), "Lead III": (0.5, "5.6.3-9-61")}
    channels = []
    data = []
    for meaning, (gain, code) in leads.items():
        source = Dataset()
        source.CodeValue = code
        source.CodingSchemeDesignator = "SCPECG"
        source.CodingSchemeVersion = "1.3"
        source.CodeMeaning = meaning
        sensitivity_units = Dataset()
        sensitivity_units.CodeValue = "uV"
        sensitivity_units.CodingSchemeDesignator = "UCUM"
        sensitivity_units.CodingSchemeVersion = "1.4"
        sensitivity_units.CodeMeaning = "microvolt"
        channel = Dataset()
        channel.ChannelSourceSequence = Sequence([source])
        channel.ChannelSensitivity = "1.0"
        channel.ChannelSensitivityUnitsSequence = Sequence([sensitivity_units])
        channel.ChannelSensitivityCorrectionFactor = "1"
        channel.ChannelBaseline = "0"
        channel.ChannelSampleSkew = "0"
        channel.WaveformBitsStored = 16
        channels.append(channel)
        data.append((beat * gain * 1000).round().astype("<i2"))
    group = Dataset()
    group.MultiplexGroupTimeOffset = "0.0"
    group.WaveformOriginality = "ORIGINAL"
    group.NumberOfWaveformChannels = len(channels)
    group.NumberOfWaveformSamples = len(t)
    group.SamplingFrequency = str(rate)
    group.MultiplexGroupLabel = "RHYTHM"
    group.ChannelDefinitionSequence = Sequence(channels)
    group.WaveformBitsAllocated = 16
    group.WaveformSampleInterpretation = "SS"
    # Samples are interleaved channel by channel (PS3.3 C.10.9.1.7).
    group.WaveformData = np.stack(data, axis=1).tobytes()
    ds.WaveformSequence = Sequence([group])
    file_meta(ds, ExplicitVRLittleEndian)
    return ds


# ---------------------------------------------------------------- RT


def rt_common(ds: Dataset) -> None:
    ds.FrameOfReferenceUID = uid("rt frame of reference")
    ds.PositionReferenceIndicator = ""
    ds.StudyInstanceUID = uid("rt study")
    ds.PatientName = "Example^RT"
    ds.PatientID = "FD-RT"


def make_rt_ss() -> Dataset:
    ds = base_dataset("rt ss", RT_STRUCT_STORAGE, "RTSTRUCT", "Example^RT")
    rt_common(ds)
    ds.StructureSetLabel = "Example"
    ds.StructureSetDate = "20240101"
    ds.StructureSetTime = "120000"
    ref_frame = Dataset()
    ref_frame.FrameOfReferenceUID = ds.FrameOfReferenceUID
    ds.ReferencedFrameOfReferenceSequence = Sequence([ref_frame])
    rois, contours, observations = [], [], []
    shapes = {"Body": (0.0, 0.0, 120.0, "EXTERNAL", [255, 255, 0]),
              "Target": (20.0, 10.0, 25.0, "PTV", [255, 0, 0])}
    for number, (roi_name, (cx, cy, radius, kind, colour)) in enumerate(shapes.items(), start=1):
        roi = Dataset()
        roi.ROINumber = number
        roi.ReferencedFrameOfReferenceUID = ds.FrameOfReferenceUID
        roi.ROIName = roi_name
        roi.ROIGenerationAlgorithm = "MANUAL"
        rois.append(roi)
        planes = []
        for z in (-5.0, 0.0, 5.0):
            angles = np.linspace(0, 2 * np.pi, 12, endpoint=False)
            points = np.stack([cx + radius * np.cos(angles), cy + radius * np.sin(angles),
                               np.full_like(angles, z)], axis=1)
            plane = Dataset()
            plane.ContourGeometricType = "CLOSED_PLANAR"
            plane.NumberOfContourPoints = len(points)
            plane.ContourNumber = len(planes) + 1
            plane.ContourData = [f"{v:.2f}" for v in points.ravel()]
            planes.append(plane)
        contour = Dataset()
        contour.ROIDisplayColor = colour
        contour.ContourSequence = Sequence(planes)
        contour.ReferencedROINumber = number
        contours.append(contour)
        observation = Dataset()
        observation.ObservationNumber = number
        observation.ReferencedROINumber = number
        observation.RTROIInterpretedType = kind
        observation.ROIInterpreter = ""
        observations.append(observation)
    ds.StructureSetROISequence = Sequence(rois)
    ds.ROIContourSequence = Sequence(contours)
    ds.RTROIObservationsSequence = Sequence(observations)
    file_meta(ds, ImplicitVRLittleEndian)
    return ds


def make_rt_plan() -> Dataset:
    ds = base_dataset("rt plan", RT_PLAN_STORAGE, "RTPLAN", "Example^RT")
    rt_common(ds)
    ds.RTPlanLabel = "Example plan"
    ds.RTPlanDate = "20240101"
    ds.RTPlanTime = "120000"
    ds.RTPlanGeometry = "PATIENT"
    ref_ss = Dataset()
    ref_ss.ReferencedSOPClassUID = RT_STRUCT_STORAGE
    ref_ss.ReferencedSOPInstanceUID = uid("rt ss instance")
    ds.ReferencedStructureSetSequence = Sequence([ref_ss])

    prescription = Dataset()
    prescription.DoseReferenceNumber = 1
    prescription.DoseReferenceStructureType = "SITE"
    prescription.DoseReferenceType = "TARGET"
    prescription.TargetPrescriptionDose = "60.0"
    ds.DoseReferenceSequence = Sequence([prescription])

    tolerance = Dataset()
    tolerance.ToleranceTableNumber = 1
    tolerance.ToleranceTableLabel = "Standard"
    tolerance.GantryAngleTolerance = "0.5"
    ds.ToleranceTableSequence = Sequence([tolerance])

    gantry_angles = (0.0, 180.0)
    fraction = Dataset()
    fraction.FractionGroupNumber = 1
    fraction.NumberOfFractionsPlanned = 30
    fraction.NumberOfBeams = len(gantry_angles)
    fraction.NumberOfBrachyApplicationSetups = 0
    ref_beams = []
    beams = []
    for number, angle in enumerate(gantry_angles, start=1):
        ref_beam = Dataset()
        ref_beam.BeamDose = "1.0"
        ref_beam.BeamMeterset = "100.0"
        ref_beam.ReferencedBeamNumber = number
        ref_beams.append(ref_beam)

        jaws = []
        for device, positions in (("ASYMX", ["-50.0", "50.0"]), ("ASYMY", ["-60.0", "60.0"])):
            jaw = Dataset()
            jaw.RTBeamLimitingDeviceType = device
            jaw.LeafJawPositions = positions
            jaws.append(jaw)
        points = []
        for index, weight in enumerate(("0.0", "1.0")):
            cp = Dataset()
            cp.ControlPointIndex = index
            cp.CumulativeMetersetWeight = weight
            if index == 0:
                cp.NominalBeamEnergy = "6.0"
                cp.BeamLimitingDevicePositionSequence = Sequence(jaws)
                cp.GantryAngle = str(angle)
                cp.GantryRotationDirection = "NONE"
                cp.IsocenterPosition = ["0.0", "0.0", "0.0"]
            points.append(cp)
        beam = Dataset()
        beam.BeamNumber = number
        beam.BeamName = f"Field {number}"
        beam.BeamType = "STATIC"
        beam.RadiationType = "PHOTON"
        beam.TreatmentMachineName = "Linac"
        beam.PrimaryDosimeterUnit = "MU"
        beam.SourceAxisDistance = "1000.0"
        beam.TreatmentDeliveryType = "TREATMENT"
        beam.NumberOfWedges = 0
        beam.NumberOfCompensators = 0
        beam.NumberOfBoli = 0
        beam.NumberOfBlocks = 0
        beam.FinalCumulativeMetersetWeight = "1.0"
        beam.NumberOfControlPoints = len(points)
        beam.ControlPointSequence = Sequence(points)
        beam.ReferencedPatientSetupNumber = 1
        beam.ReferencedToleranceTableNumber = 1
        beams.append(beam)
    fraction.ReferencedBeamSequence = Sequence(ref_beams)
    ds.FractionGroupSequence = Sequence([fraction])
    ds.BeamSequence = Sequence(beams)

    setup = Dataset()
    setup.PatientPosition = "HFS"
    setup.PatientSetupNumber = 1
    ds.PatientSetupSequence = Sequence([setup])
    ds.ApprovalStatus = "UNAPPROVED"
    file_meta(ds, ImplicitVRLittleEndian)
    return ds


def make_rt_dose() -> Dataset:
    ds = base_dataset("rt dose", RT_DOSE_STORAGE, "RTDOSE", "Example^RT")
    rt_common(ds)
    # A dose grid: a Gaussian peak around the isocentre, 15 planes.
    z, y, x = np.mgrid[-7:8, -5:5, -5:5]
    dose = np.exp(-(x**2 + y**2 + z**2) / 20.0)
    scaling = 60.0 / 2**31
    image_module(ds, (dose * 60.0 / scaling).astype("<u4"), "MONOCHROME2")
    ds.ImagePositionPatient = ["-50.0", "-50.0", "-70.0"]
    ds.ImageOrientationPatient = ["1.0", "0.0", "0.0", "0.0", "1.0", "0.0"]
    ds.PixelSpacing = ["10.0", "10.0"]
    ds.FrameIncrementPointer = 0x3004000C  # Grid Frame Offset Vector
    ds.GridFrameOffsetVector = [f"{10.0 * i:.1f}" for i in range(15)]
    ds.DoseUnits = "GY"
    ds.DoseType = "PHYSICAL"
    ds.DoseSummationType = "PLAN"
    ds.DoseGridScaling = f"{scaling:.10e}"
    ref_plan = Dataset()
    ref_plan.ReferencedSOPClassUID = RT_PLAN_STORAGE
    ref_plan.ReferencedSOPInstanceUID = uid("rt plan instance")
    ds.ReferencedRTPlanSequence = Sequence([ref_plan])
    file_meta(ds, ImplicitVRLittleEndian)
    return ds


# ---------------------------------------------------------------- DICOMDIR


def make_dicomdir(folder: Path) -> Path:
    """A File-set (PS3.10 §8) of three small images and its DICOMDIR."""
    fs = FileSet()
    fs.ID = "FDEXAMPLE"
    fs.UID = uid("dicomdir file-set")
    for series, (modality, sop_class) in enumerate((("MR", MR_STORAGE), ("CT", CT_STORAGE))):
        for instance in range(1, 3 if modality == "MR" else 2):
            name = f"dicomdir {modality} {instance}"
            ds = base_dataset(name, sop_class, modality, "Example^DICOMDIR")
            ds.PatientID = "FD-DICOMDIR"
            ds.StudyInstanceUID = uid("dicomdir study")
            ds.SeriesInstanceUID = uid(f"dicomdir series {series}")
            ds.SeriesNumber = series + 1
            ds.InstanceNumber = instance
            image_module(ds, phantom(16, 100 * instance).astype("<u2"), "MONOCHROME2")
            file_meta(ds, ExplicitVRLittleEndian)
            fs.add(ds)
    fs.write(folder)
    return folder / "DICOMDIR"


def main(argv: list[str] | None = None) -> int:
    global OUT
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=OUT, help="output folder (default fastdicom/data/examples)")
    OUT = parser.parse_args(argv).out
    if OUT.exists():
        shutil.rmtree(OUT)
    OUT.mkdir(parents=True)
    written = [
        write(make_mr(), "mr.dcm"),
        write(make_overlay(), "overlay.dcm"),
        write(make_rgb(), "rgb_color.dcm"),
        write(make_ybr(), "ybr_color.dcm"),
        write(make_jpeg2k(), "jpeg2k.dcm"),
        write(make_palette(), "palette_color.dcm"),
        write(make_no_meta(), "no_meta.dcm", enforce=False, implicit_vr=True, little_endian=True),
        write(make_waveform(), "waveform.dcm"),
        write(make_rt_ss(), "rt_ss.dcm"),
        write(make_rt_plan(), "rt_plan.dcm"),
        write(make_rt_dose(), "rt_dose.dcm"),
        make_dicomdir(OUT / "fileset"),
    ]
    for path in written:
        print(f"{path}: {path.stat().st_size} bytes")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
