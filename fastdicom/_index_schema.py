"""The Arrow schema of :func:`fastdicom.index`, derived from the data dictionary.

The schema depends only on the columns asked for and on the PS3.6 dictionary
(``fastdicom.datadict``), never on the files: every file, batch, shard,
engine and run gives the same schema, so shards concatenate and Parquet
files written on different days read back as one data set.

VR to type (PS3.5 §6.2): text VRs are strings; PN a struct of its three
component groups; DA/TM/DT ``date32``/``time64[us]``/``timestamp[us]``; DS
``float64``, IS ``int64``; US/SS/UL/SL signed integers wide enough for every
value (``int32``/``int16``/``int64``/``int32``); FL/FD ``float32``/``float64``;
AT the tag as ``int64``; bulk VRs (OB, OW, OD, OF, OL, OV, UN, "OB or OW", ...)
a struct of the value's file offset and length. A dictionary VM other than
``1`` makes the column a list, even when a file holds one value.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from fastdicom import datadict
from fastdicom.tag import Tag

__all__ = [
    "DEFAULT_COLUMNS",
    "FIXED_COLUMNS",
    "OTHER_ELEMENTS",
    "ColumnSpec",
    "arrow_schema",
    "column_specs",
]

# Leaf codes, as the compiled module numbers them (fastdicom._index.LEAF_NAMES)
LEAF_CODES = {
    "str": 0, "pn": 1, "date": 2, "time": 3, "datetime": 4, "f64": 5, "f32": 6,
    "i64": 7, "i32": 8, "i16": 9, "bulk": 10, "other": 11, "frames": 12,
}

# VR -> leaf kind. Unsigned binary VRs map to the next wider signed type so
# every value fits (Parquet readers disagree on unsigned integers).
_LEAF_BY_VR = {
    "AE": "str", "AS": "str", "CS": "str", "LO": "str", "LT": "str", "SH": "str",
    "ST": "str", "UC": "str", "UI": "str", "UR": "str", "UT": "str",
    "PN": "pn", "DA": "date", "TM": "time", "DT": "datetime",
    "DS": "f64", "IS": "i64", "FD": "f64", "FL": "f32",
    "US": "i32", "SS": "i16", "UL": "i64", "SL": "i32", "SV": "i64", "UV": "i64",
    "AT": "i64", "US or SS": "i32",
    "OB": "bulk", "OW": "bulk", "OD": "bulk", "OF": "bulk", "OL": "bulk", "OV": "bulk",
    "UN": "bulk", "OB or OW": "bulk", "US or OW": "bulk", "US or SS or OW": "bulk",
}

OTHER_ELEMENTS = "OtherElements"
"""The column of private data elements (PS3.5 §7.8): tag, creator, VR, offset, length."""

FRAME_GEOMETRY = "FrameGeometry"
"""The per-frame geometry of enhanced multi-frame images: one struct per item
of the Per-frame Functional Groups Sequence (5200,9230), each field from its
functional group there or in the Shared Functional Groups (PS3.3 C.7.6.16)."""

# (keyword of the field, keyword of the functional group sequence holding it)
FRAME_GEOMETRY_FIELDS = (
    ("ImagePositionPatient", "PlanePositionSequence"),
    ("ImageOrientationPatient", "PlaneOrientationSequence"),
    ("PixelSpacing", "PixelMeasuresSequence"),
    ("SliceThickness", "PixelMeasuresSequence"),
    ("SpacingBetweenSlices", "PixelMeasuresSequence"),
    ("StackID", "FrameContentSequence"),
    ("InStackPositionNumber", "FrameContentSequence"),
    ("DimensionIndexValues", "FrameContentSequence"),
)

FIXED_COLUMNS = ("path", "file_size", "mtime_ns", "status", "error", "warnings")
"""Columns every index has, first, whatever columns are asked for."""

DEFAULT_COLUMNS: tuple[str, ...] = (
    # SOP common and File Meta
    "SOPClassUID", "SOPInstanceUID", "TransferSyntaxUID", "SpecificCharacterSet",
    # patient module (PS3.3 C.7.1.1)
    "PatientID", "PatientName", "PatientBirthDate", "PatientSex", "PatientAge",
    # general study (C.7.2.1)
    "StudyInstanceUID", "StudyDate", "StudyTime", "StudyDescription", "AccessionNumber",
    "StudyID", "ReferringPhysicianName",
    # general series (C.7.3.1) and frame of reference (C.7.4.1)
    "SeriesInstanceUID", "SeriesNumber", "SeriesDescription", "Modality", "SeriesDate",
    "SeriesTime", "BodyPartExamined", "ProtocolName", "FrameOfReferenceUID",
    # general equipment (C.7.5.1)
    "Manufacturer", "ManufacturerModelName", "InstitutionName", "StationName",
    "SoftwareVersions", "DeviceSerialNumber",
    # general image and acquisition (C.7.6.1)
    "InstanceNumber", "ImageType", "AcquisitionNumber", "AcquisitionDate",
    "AcquisitionTime", "ContentDate", "ContentTime",
    # image plane (C.7.6.2)
    "ImagePositionPatient", "ImageOrientationPatient", "PixelSpacing", "SliceThickness",
    "SliceLocation", "SpacingBetweenSlices",
    # image pixel (C.7.6.3) and multi-frame (C.7.6.6)
    "Rows", "Columns", "NumberOfFrames", "SamplesPerPixel", "PhotometricInterpretation",
    "BitsAllocated", "BitsStored", "HighBit", "PixelRepresentation",
    # modality and VOI LUT (C.11.1, C.11.2)
    "RescaleIntercept", "RescaleSlope", "WindowCenter", "WindowWidth",
    "PixelData", FRAME_GEOMETRY, OTHER_ELEMENTS,
)
"""The columns of :func:`fastdicom.index` when none are given (about 60)."""


@dataclass(frozen=True)
class ColumnSpec:
    """One requested column: where it comes from and its type."""

    name: str
    tag: int
    vr: str
    vm: str
    leaf: str
    is_list: bool
    description: str
    fields: tuple[ColumnSpec, ...] = ()
    seq_tag: int = 0

    def plan_entry(self, parent: int = -1) -> tuple[int, int, bool, str, str, int, int]:
        """The tuple :class:`fastdicom._index.Plan` takes."""
        dict_vr = self.vr if len(self.vr) == 2 or self.vr == "US or SS" else ""
        return (self.tag, LEAF_CODES[self.leaf], self.is_list, dict_vr, self.name, parent,
                self.seq_tag)


def plan_entries(specs: list[ColumnSpec]) -> list[tuple[int, int, bool, str, str, int, int]]:
    """The columns of a :class:`fastdicom._index.Plan`: `specs` in order, then
    the fields of each ``frames`` column, pointing at it."""
    entries = [spec.plan_entry() for spec in specs]
    for index, spec in enumerate(specs):
        entries += [field.plan_entry(index) for field in spec.fields]
    return entries


def _frame_geometry() -> ColumnSpec:
    fields = []
    for keyword, group in FRAME_GEOMETRY_FIELDS:
        field = _spec_for(keyword)
        seq_tag = datadict.tag_for_keyword(group)
        if seq_tag is None:
            raise KeyError(f"{group!r} is not a DICOM keyword")
        fields.append(ColumnSpec(field.name, field.tag, field.vr, field.vm, field.leaf,
                                 field.is_list, field.description, (), int(seq_tag)))
    return ColumnSpec(FRAME_GEOMETRY, 0x52009230, "SQ", "1", "frames", True,
                      "Per-frame geometry (PS3.3 C.7.6.16): per item of the Per-frame "
                      "Functional Groups Sequence, with the Shared Functional Groups as "
                      "default", tuple(fields))


def _spec_for(column: Any) -> ColumnSpec:
    if column == FRAME_GEOMETRY:
        return _frame_geometry()
    if column == OTHER_ELEMENTS:
        return ColumnSpec(OTHER_ELEMENTS, 0, "", "1-n", "other", True,
                          "Private data elements (PS3.5 §7.8): tag, private creator, VR "
                          "(empty for implicit VR), value offset and length in the file")
    tag = None
    if isinstance(column, str):
        tag = datadict.tag_for_keyword(column)
    if tag is None:
        try:
            tag = int(Tag(column))
        except (ValueError, TypeError, OverflowError) as exc:
            raise ValueError(f"Not a DICOM keyword or tag: {column!r}") from exc
    try:
        vr, vm, description, _retired, keyword = datadict.get_entry(tag)
    except KeyError:
        # an unknown or private tag: its bytes, located
        vr, vm, description, keyword = "UN", "1", "", ""
    name = keyword or f"Tag_{tag:08X}"
    leaf = _LEAF_BY_VR.get(vr)
    if leaf is None:
        raise ValueError(
            f"Column {column!r} ({name}, VR {vr}) cannot be indexed: sequences are not "
            "columns of the index yet")
    is_list = vm != "1" and leaf != "bulk"
    return ColumnSpec(name, tag, vr, vm, leaf, is_list, description)


_DEFAULT_SPECS: tuple[ColumnSpec, ...] | None = None


def column_specs(columns: Any = None) -> list[ColumnSpec]:
    """The specs of `columns` (keywords, tags, or ``None`` for the defaults).

    Raises
    ------
    ValueError
        For a name that is no keyword or tag, a sequence, or a duplicate.
    """
    if columns is None:
        # every job and every Dask task asks for them: built once (~1 ms)
        global _DEFAULT_SPECS
        if _DEFAULT_SPECS is None:
            _DEFAULT_SPECS = tuple(_spec_for(c) for c in DEFAULT_COLUMNS)
        return list(_DEFAULT_SPECS)
    if isinstance(columns, (str, int)):
        columns = [columns]
    specs = [_spec_for(c) for c in columns]
    names = [s.name for s in specs]
    dupes = {n for n in names if names.count(n) > 1 or n in FIXED_COLUMNS}
    if dupes:
        raise ValueError(f"Columns asked for twice or reserved: {sorted(dupes)}")
    return specs


def spec_leaf_type(spec: ColumnSpec) -> Any:
    """The Arrow type of one value of `spec` (a struct of fields for ``frames``)."""
    import pyarrow as pa

    if spec.leaf == "frames":
        return pa.struct([(f.name, arrow_type(f)) for f in spec.fields])
    return leaf_type(spec.leaf)


@lru_cache(maxsize=None)
def leaf_type(leaf: str) -> Any:
    """The Arrow type of one value of leaf kind `leaf`."""
    import pyarrow as pa

    strings = pa.string()
    return {
        "str": strings,
        "pn": pa.struct([("Alphabetic", strings), ("Ideographic", strings),
                         ("Phonetic", strings)]),
        "date": pa.date32(), "time": pa.time64("us"), "datetime": pa.timestamp("us"),
        "f64": pa.float64(), "f32": pa.float32(), "i64": pa.int64(), "i32": pa.int32(),
        "i16": pa.int16(),
        "bulk": pa.struct([("offset", pa.int64()), ("length", pa.int64())]),
        "other": pa.struct([("tag", pa.int64()), ("creator", strings), ("vr", strings),
                            ("offset", pa.int64()), ("length", pa.int64())]),
    }[leaf]


def arrow_type(spec: ColumnSpec) -> Any:
    """The Arrow type of a column."""
    import pyarrow as pa

    leaf = spec_leaf_type(spec)
    return pa.list_(leaf) if spec.is_list else leaf


def arrow_schema(specs: list[ColumnSpec]) -> Any:
    """The schema of an index with the columns of `specs`; each field carries
    its tag, VR, VM and dictionary description in its metadata."""
    return _arrow_schema(tuple(specs))


@lru_cache(maxsize=64)
def _arrow_schema(specs: tuple[ColumnSpec, ...]) -> Any:
    import pyarrow as pa

    fields = [
        pa.field("path", pa.string(), False, {"description": "The file, as given or found"}),
        pa.field("file_size", pa.int64(), False, {"description": "Size in bytes"}),
        pa.field("mtime_ns", pa.int64(), False,
                 {"description": "Modification time, ns since the epoch (0: unknown)"}),
        pa.field("status", pa.string(), False, {
            "description": "ok, not_dicom, empty, truncated, parse_error or io_error"}),
        pa.field("error", pa.string(), True, {"description": "Why the status is not ok"}),
        pa.field("warnings", pa.list_(pa.string()), True,
                 {"description": "Values that did not convert, with their raw text"}),
    ]
    for spec in specs:
        meta = {"description": spec.description, "vr": spec.vr, "vm": spec.vm}
        if spec.leaf != "other":
            meta["tag"] = f"({spec.tag >> 16:04X},{spec.tag & 0xFFFF:04X})"
        fields.append(pa.field(spec.name, arrow_type(spec), True, meta))
    return pa.schema(fields, metadata={"fastdicom.index": "1"})
