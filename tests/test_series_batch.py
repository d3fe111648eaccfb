"""fastdicom.series: the compiled batch path gives what the Python path gives.

Plain files are read in batches by the header index's extractor
(``fastdicom._index.extract``); every other file (and every file when the
extractor fails) by the Python path. The scan must not tell them apart:
these tests scan the same files both ways and compare every frame.
"""

from __future__ import annotations

import gc
import os
import shutil

import numpy as np
import pytest
from pydicom.data import get_testdata_file

import fastdicom.series as series_module
from fastdicom.dataset import Dataset, FileMetaDataset
from fastdicom.series import scan
from fastdicom.uid import ExplicitVRLittleEndian, ImplicitVRLittleEndian, generate_uid

MR = "1.2.840.10008.5.1.4.1.1.4"


def _frame_record(f) -> tuple:
    def arr(a):
        return None if a is None else tuple(float(v) for v in a)

    return (f.path, f.frame_index, f.mosaic_index, arr(f.position), arr(f.orientation), f.pixel_spacing,
            f.rows, f.columns, f.instance, f.order, repr(f.attrs), f.image_type, f.slice_thickness,
            f.spacing_between_slices)


def _record(result) -> list:
    out = [[(x.path, x.error, x.kind) for x in result.failures]]
    for st in result.studies:
        out.append((st.uid, st.patient_id, st.patient_name, st.date, st.description))
        for s in st.series:
            out.append((s.uid, s.number, s.description, s.protocol_name, s.modality, s.split_reason,
                        repr(s.key), s.dims, s.shape, [str(d) for d in s.diagnostics],
                        [_frame_record(f) for f in s.frames], [_frame_record(f) for f in s.dropped],
                        [(v.index, repr(v.labels), [f.path for f in v.frames]) for v in s.volumes]))
    return out


def _python_path_only(monkeypatch):
    def refuse(paths):
        raise MemoryError("batch path switched off by the test")

    monkeypatch.setattr(series_module, "_extract_batch", refuse)


def _write(path, syntax=ExplicitVRLittleEndian, **attrs) -> None:
    ds = Dataset()
    ds.file_meta = FileMetaDataset()
    ds.file_meta.TransferSyntaxUID = syntax
    ds.file_meta.MediaStorageSOPClassUID = MR
    sop = generate_uid()
    ds.file_meta.MediaStorageSOPInstanceUID = sop
    ds.SOPClassUID, ds.SOPInstanceUID = MR, sop
    ds.StudyInstanceUID = attrs.pop("study", "1.2.3.4")
    ds.SeriesInstanceUID = attrs.pop("series", "1.2.3.4.5")
    ds.Modality = "MR"
    ds.Rows, ds.Columns = 2, 3
    ds.SamplesPerPixel = 1
    ds.PhotometricInterpretation = "MONOCHROME2"
    ds.BitsAllocated, ds.BitsStored, ds.HighBit, ds.PixelRepresentation = 16, 16, 15, 0
    ds.ImageOrientationPatient = [1, 0, 0, 0, 1, 0]
    ds.PixelSpacing = [0.5, 0.5]
    for keyword, value in attrs.items():
        setattr(ds, keyword, value)
    ds.PixelData = np.zeros((2, 3), np.uint16).tobytes()
    ds.save_as(path, enforce_file_format=True)


def test_batch_path_reads_plain_files(tmp_path):
    """The fast path is taken (not silently left to the Python path)."""
    for k in range(3):
        _write(str(tmp_path / f"{k}.dcm"), ImagePositionPatient=[0, 0, k], InstanceNumber=k + 1)
    paths = sorted(str(p) for p in tmp_path.iterdir())
    headers = series_module._batch_headers(paths, series_module._extract_batch(paths))
    assert all(h is not None for h in headers)
    assert headers[1].get("ImagePositionPatient") == [0.0, 0.0, 1.0]
    assert headers[1].get("ImageOrientationPatient") == [1.0, 0.0, 0.0, 0.0, 1.0, 0.0]
    assert headers[2].get("InstanceNumber") == [3.0]  # IS as _decode gives it: a float
    assert headers[0].get("Rows") == [2]
    assert headers[0].get("Modality") == ["MR"]
    assert headers[0].get("EchoTime") is None


def test_odd_values_same_both_ways(tmp_path, monkeypatch):
    """Padding, empty and unparsable numbers, implicit VR, non-ASCII text,
    a file without pixels: each gives the same frames through either path."""
    root = tmp_path / "odd"
    root.mkdir()
    _write(str(root / "a.dcm"), ImagePositionPatient=["0", "0", "0"], InstanceNumber=1,
           ImageType=["ORIGINAL ", " PRIMARY", "M"], SeriesDescription=" padded ")
    _write(str(root / "b.dcm"), ImagePositionPatient=["0", "0", "1.5"], InstanceNumber=2,
           SliceThickness="1.5", EchoTime="")
    _write(str(root / "c.dcm"), syntax=ImplicitVRLittleEndian, ImagePositionPatient=[0, 0, 3],
           InstanceNumber=3, DiffusionBValue=1000.0, DiffusionGradientOrientation=[0.0, 0.6, 0.8])
    _write(str(root / "d.dcm"), ImagePositionPatient=[0, 0, 4.5], InstanceNumber=4,
           SeriesDescription="Hirnschädel", SpecificCharacterSet="ISO_IR 100")
    _write(str(root / "e.dcm"), ImagePositionPatient=["0", "0", "6.0"], InstanceNumber=5, series="9.9")
    # binary NaN (not finite: None), a position of two values, spacing of three
    _write(str(root / "j.dcm"), ImagePositionPatient=[0, 0, 7.5], InstanceNumber=6,
           DiffusionBValue=float("nan"), DiffusionGradientOrientation=[1.0, 0.0, 0.0])
    _write(str(root / "k.dcm"), ImagePositionPatient=[0, 9], InstanceNumber=7, PixelSpacing=[1, 1, 1],
           ImagerPixelSpacing=[0.25, 0.5], series="9.8")
    # an empty value between backslashes and a value that does not parse
    for name, raw in (("f.dcm", b"0\\\\6.0  "), ("g.dcm", b"0\\x\\7.5 ")):
        src = root / "e.dcm"
        data = src.read_bytes()
        old = b"0\\0\\6.0 "
        assert old in data, data
        shutil.copy(src, root / name)
        (root / name).write_bytes(data.replace(old, raw))
    ds = Dataset()  # no pixel data
    ds.file_meta = FileMetaDataset()
    ds.file_meta.TransferSyntaxUID = ExplicitVRLittleEndian
    ds.file_meta.MediaStorageSOPClassUID = ds.SOPClassUID = MR
    ds.file_meta.MediaStorageSOPInstanceUID = ds.SOPInstanceUID = generate_uid()
    ds.Rows, ds.Columns = 2, 3
    ds.save_as(str(root / "h.dcm"), enforce_file_format=True)
    (root / "i.dcm").write_bytes(b"not dicom")
    fast = _record(scan(str(root)))
    _python_path_only(monkeypatch)
    slow = _record(scan(str(root)))
    assert fast == slow
    assert len(fast[0]) == 2  # h.dcm (no image) and i.dcm (not DICOM)


@pytest.mark.parametrize("name", ["dicomdirtests", "test_files"])
def test_pydicom_files_same_both_ways(name, monkeypatch):
    """pydicom's test files (odd syntaxes, truncations, enhanced, private
    tags, a DICOMDIR tree) through the batch path and the Python path."""
    root = os.path.dirname(get_testdata_file("CT_small.dcm"))
    if name == "dicomdirtests":
        root = os.path.join(root, "dicomdirtests")
    fast = _record(scan(root))
    _python_path_only(monkeypatch)
    slow = _record(scan(root))
    assert fast == slow


def test_collector_state_restored(tmp_path):
    """The scan pauses the garbage collector while reading and restores it."""
    _write(str(tmp_path / "a.dcm"), ImagePositionPatient=[0, 0, 0])
    assert gc.isenabled()
    scan(str(tmp_path))
    assert gc.isenabled()
    gc.disable()
    try:
        scan(str(tmp_path))
        assert not gc.isenabled()  # left off: the caller had turned it off
    finally:
        gc.enable()
    with pytest.raises(ValueError):
        scan(str(tmp_path), policy={"gap": "nonsense"})
    assert gc.isenabled()
