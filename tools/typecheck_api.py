"""Code a user writes against fastdicom's public API, for the type checker.

    mypy --follow-imports=silent tools/typecheck_api.py

It is never run; mypy checks that the public names exist and that their
signatures and return types accept pydicom-style code (the drop-in promise,
seen from a typed program).
"""

from __future__ import annotations

import io
from pathlib import Path

import numpy as np

import fastdicom
from fastdicom import DataElement, Dataset, FileDataset, Sequence, Tag, dcmread, dcmwrite
from fastdicom.datadict import dictionary_VR, keyword_for_tag, tag_for_keyword
from fastdicom.pixels import iter_pixels, pixel_array
from fastdicom.uid import UID, ExplicitVRLittleEndian, generate_uid
from fastdicom.valuerep import DSfloat, PersonName


def header(path: Path) -> tuple[str, int, float]:
    ds: FileDataset = dcmread(path, stop_before_pixels=True)
    name: PersonName = ds.PatientName
    rows: int = ds.Rows
    spacing = ds.get("PixelSpacing", [1.0, 1.0])
    thickness = DSfloat(ds.get("SliceThickness", 1.0))
    return str(name), rows, float(spacing[0]) * float(thickness)


def elements(ds: Dataset) -> list[tuple[int, str]]:
    out: list[tuple[int, str]] = []
    for elem in ds:
        assert isinstance(elem, DataElement)
        out.append((int(elem.tag), elem.VR))
    out.append((int(ds[Tag(0x0010, 0x0010)].tag), ds.data_element("PatientID").VR))  # type: ignore[union-attr]
    return out


def pixels(path: str) -> np.ndarray:
    ds = dcmread(path)
    arr: np.ndarray = ds.pixel_array
    frame = pixel_array(path, index=0)
    for item in iter_pixels(path):
        arr = arr + item.sum() + frame.sum()
    return arr


def build() -> bytes:
    ds = Dataset()
    ds.PatientName = "Doe^John"
    ds.SOPInstanceUID = generate_uid()
    ds.add_new(0x00100020, "LO", "12345")
    ds.ReferencedImageSequence = Sequence([Dataset()])
    ds.file_meta = fastdicom.dataset.FileMetaDataset()
    ds.file_meta.TransferSyntaxUID = UID(ExplicitVRLittleEndian)
    buffer = io.BytesIO()
    dcmwrite(buffer, ds, enforce_file_format=True)
    ds.save_as(io.BytesIO())
    return buffer.getvalue() + ds.to_json().encode()


def dictionary() -> tuple[str, str | None, int | None]:
    return dictionary_VR(0x00100010), keyword_for_tag(0x00100010), tag_for_keyword("PatientName")
