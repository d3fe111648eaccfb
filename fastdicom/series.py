"""From files to studies, series and volumes, with their geometry.

:func:`scan` reads the headers of files (paths, directories walked
recursively, or in-memory datasets) with ``stop_before_pixels=True`` and
groups their 2-D images (*frames*: one per classic image, one per frame of an
enhanced multi-frame image, one per tile of a Siemens mosaic) into
:class:`Study` and :class:`Series` objects. A series is what one
SeriesInstanceUID holds, split further when its frames cannot form one
array: different orientation, matrix, pixel spacing, original/derived,
magnitude/phase, localizers, enhanced stacks. Every split carries a reason.

Inside a series the frames are ordered by the projection of
ImagePositionPatient on the slice normal (the cross product of the two
direction cosines of ImageOrientationPatient, PS3.3 §C.7.6.2.1.1), never by
InstanceNumber or SliceLocation. Frames that share a position are spread
over further axes (*dims*): ``echo``, ``diffusion``, ``temporal``,
``trigger``, ``acquisition``, an enhanced file's Dimension Index
(PS3.3 §C.7.6.17), or ``repetition`` (acquisition order) when nothing else
tells them apart.

What is irregular is returned as data, a :class:`Diagnostic` per finding,
each with the policy applied to it (``"error"``, ``"warn"``, ``"split"``,
``"drop"``; see :data:`DEFAULT_POLICY`): gaps (with the expected count),
duplicate positions (same pixels or not), non-uniform spacing, gantry tilt,
mixed orientation, localizers dropped, incomplete volumes. A scan never
raises for one bad file: it is listed in :attr:`ScanResult.failures`.

Axis order and affine
---------------------
:meth:`Series.volume` returns an array of shape ``(*extra, slice, row,
column)``: ``extra`` follows :attr:`Series.dims`, slices go along the slice
normal in ascending projection, rows and columns are those of
``pixel_array``. :attr:`Series.affine_lps` maps the spatial index
``(slice, row, column, 1)`` to patient coordinates in millimetres (DICOM's
LPS, PS3.3 §C.7.6.2.1.1); :attr:`Series.affine_ras` is the same in RAS
(x and y negated), the convention of NIfTI and most neuroimaging tools. The
slice step is the whole stack span divided by the number of intervals, so a
gantry tilt shows as a sheared affine and the spacing never comes from
SliceThickness alone. :meth:`Series.to_nifti` gives a ``nibabel`` image of
shape ``(column, row, slice, *extra)`` (nibabel is an optional dependency).
"""

from __future__ import annotations

import gc
import gzip
import io
import itertools
import math
import mmap
import os
import struct
from collections import defaultdict
from collections.abc import Callable, Iterator, Mapping
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, cast

import numpy as np

from fastdicom import _index, _store
from fastdicom.config import logger
from fastdicom.csa import csa_value, read_csa
from fastdicom.datadict import dictionary_VR, keyword_for_tag, tag_for_keyword
from fastdicom.dataset import Dataset
from fastdicom.filereader import dcmread

__all__ = [
    "DEFAULT_POLICY",
    "Diagnostic",
    "FileFailure",
    "Frame",
    "FunctionalGroups",
    "ScanResult",
    "Series",
    "SeriesError",
    "Study",
    "Volume",
    "scan",
]

POLICIES = ("error", "warn", "split", "drop")

DEFAULT_POLICY: dict[str, str] = {
    # positions missing from a regular stack: kept, the affine spans the stack
    "gap": "warn",
    # the same position twice (uneven counts) with identical pixels: one kept
    "duplicate_identical": "drop",
    # the same position twice with different pixels: moved to their own series
    "duplicate_position": "split",
    # slice steps that differ by more than SPACING_TOLERANCE
    "nonuniform_spacing": "warn",
    # the slice step is not along the normal (CT gantry tilt): sheared affine
    "gantry_tilt": "warn",
    # frames of one SeriesInstanceUID in different planes
    "mixed_orientation": "split",
    # LOCALIZER images in a series that has other images
    "localizer": "drop",
    # a volume with fewer slices than the others
    "incomplete_volume": "drop",
    # mosaic volumes whose slices moved between volumes (the first one's geometry is used)
    "volume_shift": "warn",
}
"""The policy applied to each kind of :class:`Diagnostic` unless ``scan(policy=...)`` says otherwise.

``"error"`` keeps the frames and makes :meth:`Series.volume` raise; ``"warn"``
keeps them. ``"split"`` and ``"drop"``: a gap or non-uniform spacing cuts the
stack into runs of regular spacing (split: the first run stays, each other run
becomes a series; drop: the longest run stays); duplicates, other orientations,
localizers and incomplete volumes move to their own series or are left out.
``gantry_tilt`` and ``volume_shift`` describe the geometry only: ``split`` and
``drop`` act as ``"warn"`` for them."""

#: Direction cosines that differ by less than this are one orientation (jitter
#: of scanners that write IOP with float noise; 1e-2 is about 0.6 degrees).
ORIENTATION_TOLERANCE = 1e-2
#: Relative tolerance on the slice step (1%) before spacing counts as non-uniform.
SPACING_TOLERANCE = 1e-2
#: Slice positions closer than this (mm) are the same position.
POSITION_TOLERANCE = 1e-2
#: A slice step off the normal by more than this (degrees) is a gantry tilt.
TILT_TOLERANCE = 0.1


class SeriesError(ValueError):
    """A series cannot give a volume (a diagnostic with policy ``"error"``, or no geometry)."""


@dataclass
class Diagnostic:
    """One finding about a series.

    Attributes
    ----------
    kind : str
        A key of :data:`DEFAULT_POLICY`.
    policy : str
        What was done: ``"error"`` (:meth:`Series.volume` raises),
        ``"warn"`` (kept as is), ``"split"`` (moved to another series),
        ``"drop"`` (left out).
    message : str
        One line for people.
    details : dict
        Values for programs (e.g. ``{"expected": 40, "found": 38}``).
    """

    kind: str
    policy: str
    message: str
    details: dict[str, Any] = field(default_factory=dict)

    def __str__(self) -> str:
        return f"{self.kind} ({self.policy}): {self.message}"


@dataclass
class FileFailure:
    """A file the scan could not use, and why.

    Attributes
    ----------
    path : str
    error : str
        The exception's message (or why the file holds no image).
    kind : str
        ``"unreadable"`` (not DICOM, truncated, I/O error) or ``"no_image"``.
    """

    path: str
    error: str
    kind: str = "unreadable"


class Frame:
    """One 2-D image: a classic image, a frame of a multi-frame file or a mosaic tile.

    Attributes
    ----------
    path : str or None
        The file (None for a dataset given in memory).
    dataset : Dataset
        The header read with ``stop_before_pixels=True``; shared by every
        frame of one file.
    frame_index : int or None
        0-based frame number in a multi-frame file, else None.
    mosaic_index : int or None
        Tile number inside a Siemens mosaic, else None.
    functional_groups : FunctionalGroups
        Enhanced files: keyword -> item, the shared functional groups
        overridden by this frame's per-frame groups (PS3.3 §C.7.6.16).
    position : numpy.ndarray or None
        ImagePositionPatient (3,) of the frame's first pixel, in mm (LPS).
    orientation : numpy.ndarray or None
        ImageOrientationPatient (6,): row direction cosine, column direction cosine.
    pixel_spacing : tuple of float
        (between rows, between columns) in mm.
    rows, columns : int
    """

    __slots__ = (
        "path", "_header", "frame_index", "mosaic_index", "functional_groups",
        "position", "orientation", "pixel_spacing", "rows", "columns",
        "instance", "order", "attrs", "image_type", "slice_thickness",
        "spacing_between_slices", "_d",
    )

    def __init__(self, path: str | None, header: _Header) -> None:
        self.path = path
        self._header = header
        self.frame_index: int | None = None
        self.mosaic_index: int | None = None
        self.functional_groups: FunctionalGroups | dict[str, Any] = {}
        self.position: np.ndarray | None = None
        self.orientation: np.ndarray | None = None
        self.pixel_spacing: tuple[float, float] = (1.0, 1.0)
        self.rows = 0
        self.columns = 0
        self.instance = 0
        self.order: tuple = ()
        self.attrs: dict[str, Any] = {}
        self.image_type: tuple[str, ...] = ()
        self.slice_thickness: float | None = None
        self.spacing_between_slices: float | None = None
        self._d = 0.0

    def __repr__(self) -> str:
        where = self.path or "<dataset>"
        if self.frame_index is not None:
            where += f"[frame {self.frame_index}]"
        if self.mosaic_index is not None:
            where += f"[tile {self.mosaic_index}]"
        return f"Frame({where})"

    @property
    def dataset(self) -> Dataset:
        """The file's header (read with ``stop_before_pixels=True`` on first use)."""
        return self._header.dataset

    def get(self, keyword: str, default: Any = None) -> Any:
        """A value from this frame's functional groups, else from the file's top level.

        Parameters
        ----------
        keyword : str
            An element keyword, e.g. ``"DiffusionBValue"``.
        default : any
            Returned when the element is absent.
        """
        if self.functional_groups:
            value = _from_groups(self.functional_groups, keyword)
            if value is not None:
                return value
        value = self.dataset.get(keyword)
        return default if value is None else value


def _value(f: Frame, keyword: str) -> list[Any] | None:
    """Frame.get through :func:`_fast`: a list of numbers or strings, or None."""
    enhanced = f._header.enhanced
    if enhanced is not None and f.frame_index is not None:
        values = enhanced[f.frame_index]
        if keyword in values:
            return values[keyword]
        if keyword in _FG_LOCATIONS or keyword in _FRAME_TYPE_KEYWORDS:
            return None  # absent from the frame's groups
        return f._header.get(keyword)
    if f.functional_groups:
        value = _from_groups(f.functional_groups, keyword, fast=True)
        if value is not None:
            return value
    return f._header.get(keyword)


class FunctionalGroups(Mapping):
    """The functional groups of one frame of an enhanced image (PS3.3 §C.7.6.16).

    A read-only mapping: group sequence keyword (e.g. ``"MRDiffusionSequence"``)
    -> its item, from the frame's Per-frame Functional Groups item, else from
    the Shared Functional Groups item. Items are looked up on demand, so the
    (often private) groups nobody asks for are never decoded.
    """

    __slots__ = ("_header", "_index", "_memo", "_shared_memo")

    def __init__(self, header: _Header, index: int, shared_memo: dict[str, Any] | None = None) -> None:
        self._header = header
        self._index = index
        self._memo: dict[str, Any] = {}
        # one memo of the shared item's groups for all the frames of a file
        self._shared_memo: dict[str, Any] = {} if shared_memo is None else shared_memo

    @property
    def per_frame(self) -> Dataset | None:
        """This frame's item of the Per-frame Functional Groups Sequence."""
        seq = self._header.dataset.get_item(0x52009230)
        return self._header.dataset[0x52009230].value[self._index] if seq is not None else None

    @property
    def shared(self) -> Dataset | None:
        """The item of the Shared Functional Groups Sequence."""
        ds = self._header.dataset
        if ds.get_item(0x52009229) is None:
            return None
        seq = ds[0x52009229].value
        return seq[0] if seq else None

    @staticmethod
    def _first_item(item: Dataset | None, tag: int) -> Dataset | None:
        # get_item/[tag] by int: the cheapest lookups of the object model
        if item is None or item.get_item(tag) is None:
            return None
        seq = item[tag].value
        return seq[0] if seq else None

    def __getitem__(self, keyword: str) -> Dataset:
        memo = self._memo
        if keyword in memo:
            found = memo[keyword]
        else:
            tag = _tag_vr(keyword)[0]
            found = self._first_item(self.per_frame, tag)
            if found is None:
                shared = self._shared_memo
                if keyword not in shared:
                    shared[keyword] = self._first_item(self.shared, tag)
                found = shared[keyword]
            memo[keyword] = found
        if found is None:
            raise KeyError(keyword)
        return found

    def _keywords(self) -> list[str]:
        seen: dict[str, None] = {}
        for item in (self.per_frame, self.shared):
            if item is not None:
                for elem in item:
                    if elem.VR == "SQ" and elem.value and elem.keyword:
                        seen.setdefault(elem.keyword, None)
        return list(seen)

    def __iter__(self) -> Iterator[str]:
        return iter(self._keywords())

    def __len__(self) -> int:
        return len(self._keywords())

    def __bool__(self) -> bool:
        return True


# Where the functional group macros (PS3.3 §C.7.6.16.2) keep the attributes
# read here: (group sequence, nested sequence or None). Looking there directly
# avoids walking every element of every item (private groups included).
_FG_LOCATIONS: dict[str, tuple[tuple[str, str | None], ...]] = {
    "ImagePositionPatient": (("PlanePositionSequence", None),),
    "ImageOrientationPatient": (("PlaneOrientationSequence", None),),
    "PixelSpacing": (("PixelMeasuresSequence", None),),
    "SliceThickness": (("PixelMeasuresSequence", None),),
    "SpacingBetweenSlices": (("PixelMeasuresSequence", None),),
    "EffectiveEchoTime": (("MREchoSequence", None),),
    "DiffusionBValue": (("MRDiffusionSequence", None),),
    "DiffusionDirectionality": (("MRDiffusionSequence", None),),
    "DiffusionGradientOrientation": (("MRDiffusionSequence", "DiffusionGradientDirectionSequence"),),
    "TemporalPositionIndex": (("FrameContentSequence", None),),
    "DimensionIndexValues": (("FrameContentSequence", None),),
    "StackID": (("FrameContentSequence", None),),
    "InStackPositionNumber": (("FrameContentSequence", None),),
    "FrameAcquisitionNumber": (("FrameContentSequence", None),),
    "FrameAcquisitionDateTime": (("FrameContentSequence", None),),
    "NominalCardiacTriggerDelayTime": (("CardiacSynchronizationSequence", None),),
    "RescaleSlope": (("PixelValueTransformationSequence", None),),
    "RescaleIntercept": (("PixelValueTransformationSequence", None),),
}
_FRAME_TYPE_KEYWORDS = {"FrameType", "ComplexImageComponent", "AcquisitionContrast", "PixelPresentation"}
# The modalities' <X>FrameTypeSequence macros that hold them
_FRAME_TYPE_GROUPS = (
    "MRImageFrameTypeSequence", "CTImageFrameTypeSequence", "PETFrameTypeSequence",
    "XRay3DFrameTypeSequence", "MRSpectroscopyFrameTypeSequence", "ParametricMapFrameTypeSequence",
    "PhotoacousticImageFrameTypeSequence", "WholeSlideMicroscopyImageFrameTypeSequence",
    "ConfocalMicroscopyImageFrameTypeSequence", "IntravascularOCTFrameTypeSequence",
)
# Classic-image attributes that no functional group holds: read at the top level only
_TOP_LEVEL = {"EchoNumbers", "EchoTime", "TemporalPositionIdentifier", "TriggerTime",
              "AcquisitionNumber", "ImagerPixelSpacing", "ImageType", "InstanceNumber"}


# group -> [(nested sequence or None, keyword)] of the values read from the bytes
_GROUP_FIELDS: dict[str, list[tuple[str | None, str]]] = {}
for _keyword, _places in _FG_LOCATIONS.items():
    for _fg, _nested in _places:
        _GROUP_FIELDS.setdefault(_fg, []).append((_nested, _keyword))
for _fg in _FRAME_TYPE_GROUPS:
    _GROUP_FIELDS[_fg] = [(None, k) for k in sorted(_FRAME_TYPE_KEYWORDS)]
del _keyword, _places, _nested, _fg


def _from_groups(groups: Mapping[str, Any], keyword: str, fast: bool = False) -> Any:
    """`keyword` in a frame's functional group items (known places first);
    with `fast`, as :func:`_fast` gives it."""
    if keyword in _TOP_LEVEL:
        return None
    places = _FG_LOCATIONS.get(keyword)
    if places is not None:
        for group, nested in places:
            item = groups.get(group)
            if item is None:
                continue
            if nested is not None:
                seq = item.get(nested)
                item = seq[0] if seq else None
            if item is None:
                continue
            value = _fast(item, keyword) if fast else item.get(keyword)
            if value is not None:
                return value
        return None
    if keyword in _FRAME_TYPE_KEYWORDS:  # the modality's <X>FrameTypeSequence
        for group in _FRAME_TYPE_GROUPS:
            item = groups.get(group)
            if item is not None:
                value = _fast(item, keyword) if fast else item.get(keyword)
                if value is not None:
                    return value
        return None
    for item in groups.values():
        value = _find(item, keyword)
        if value is not None:
            return value
    return None


def _find(item: Any, keyword: str) -> Any:
    """`keyword` in a functional group item or in its first-level sequence items."""
    value = item.get(keyword)
    if value is not None:
        return value
    for elem in item:
        if elem.VR == "SQ" and elem.value:
            value = elem.value[0].get(keyword)
            if value is not None:
                return value
    return None


# Raw values: the attributes read while grouping are decoded here straight
# from the element's bytes (PS3.5 §6.2: DS/IS are backslash-separated ASCII
# numbers; FD/FL/US/UL/SS/SL are binary), skipping the object model's value
# classes, which cost more than the file read itself at directory scale.
_BINARY = {"FD": "d", "FL": "f", "US": "H", "UL": "I", "SS": "h", "SL": "i"}
_NUMERIC_TEXT = {"DS", "IS"}
_BINARY_SIZE = {code: struct.calcsize(code) for code in _BINARY.values()}
_TAGS: dict[str, tuple[int, str]] = {}


def _tag_vr(keyword: str) -> tuple[int, str]:
    entry = _TAGS.get(keyword)
    if entry is None:
        tag = tag_for_keyword(keyword)
        if tag is None:
            raise KeyError(keyword)
        entry = _TAGS[keyword] = (int(tag), dictionary_VR(tag))
    return entry


def _fast(container: Any, keyword: str) -> list[Any] | None:
    """`keyword` of a dataset or item as a list of numbers or strings, or None."""
    tag, vr = _tag_vr(keyword)
    elem = container.get_item(tag)
    if elem is None:
        return None
    value = elem.value
    if not getattr(elem, "is_raw", False) or not isinstance(value, (bytes, bytearray, memoryview)):
        if value is None or value == "":
            return None
        if isinstance(value, (str, int, float)):
            return [value]
        return list(value)
    return _decode(bytes(value), vr, elem.is_little_endian)


def _decode(raw: bytes, vr: str, little: bool = True) -> list[Any] | None:
    """The values of an encoded element: numbers for numeric VRs, else strings."""
    if not raw:
        return None
    code = _BINARY.get(vr)
    if code is not None:
        size = _BINARY_SIZE[code]
        if len(raw) % size:
            return None
        return list(struct.unpack(f"{'<' if little else '>'}{len(raw) // size}{code}", raw))
    text = raw.decode("latin-1").rstrip(" \0")
    if not text:
        return None
    if vr in _NUMERIC_TEXT:
        try:  # float() takes the padding spaces itself
            return [float(p) for p in text.split("\\")]
        except ValueError:
            return None
    return [p.strip(" \0") for p in text.split("\\")]


# The attributes read while grouping. For a plain single-frame file they are
# taken from the compiled scanner's element table (fastdicom._store, the
# reader's own core) without building a Dataset; the Dataset is read on first
# use of Frame.dataset. Enhanced multi-frame files and mosaics (which need
# their sequences and CSA header) are read with dcmread at once.
_QUICK = (
    "Rows", "Columns", "InstanceNumber", "ImageType", "NumberOfFrames", "SamplesPerPixel",
    "ImagePositionPatient", "ImageOrientationPatient", "PixelSpacing", "ImagerPixelSpacing",
    "SliceThickness", "SpacingBetweenSlices", "EchoNumbers", "EchoTime", "DiffusionBValue",
    "DiffusionGradientOrientation", "TemporalPositionIdentifier", "TriggerTime",
    "AcquisitionNumber", "GantryDetectorTilt", "StudyInstanceUID", "SeriesInstanceUID",
    "SeriesNumber", "SeriesDescription", "ProtocolName", "Modality", "PatientID",
    "PatientName", "StudyDate", "StudyDescription",
)
_PIXEL_TAGS = {(0x7FE0, 0x0010), (0x7FE0, 0x0008), (0x7FE0, 0x0009)}
_QUICK_TAGS: list[tuple[str, int, str]] = []  # (keyword, tag, VR) of _QUICK, made on first use
_TEXT_VRS = {"SH", "LO", "PN", "ST", "LT", "UT", "UC"}  # may need Specific Character Set
_IMPLICIT_LE = "1.2.840.10008.1.2"
_EXPLICIT_LE = "1.2.840.10008.1.2.1"
_MAP_ABOVE = 4 << 20  # larger files are memory-mapped, not read
_HEAD_BYTES = 64 << 10  # the first read of a file's header
_NEED_MORE = object()  # the first read did not hold the whole header


class _Header:
    """One file's header for grouping: quick values, the Dataset on demand."""

    __slots__ = ("path", "values", "raw", "_dataset", "transfer_syntax", "enhanced", "pointers")

    def __init__(self, path: str | None, dataset: Dataset | None = None,
                 values: dict[str, list[Any] | None] | None = None, transfer_syntax: str = "") -> None:
        self.path = path
        self._dataset = dataset
        self.values = values
        # quick values not decoded yet: keyword -> (bytes, VR)
        self.raw: dict[str, tuple[bytes, str]] = {}
        self.transfer_syntax = transfer_syntax
        # enhanced images read from the bytes: per frame, the grouping values
        # of its functional groups (shared merged under per-frame)
        self.enhanced: list[dict[str, list[Any] | None]] | None = None
        self.pointers: list[tuple[int, str]] = []
        if dataset is not None and not transfer_syntax:
            meta = getattr(dataset, "file_meta", None)
            uid = meta.get("TransferSyntaxUID") if meta is not None else None
            self.transfer_syntax = str(uid or "")

    @property
    def dataset(self) -> Dataset:
        if self._dataset is None:
            assert self.path is not None
            self._dataset = _read(self.path, stop_before_pixels=True)
        return self._dataset

    def get(self, keyword: str) -> list[Any] | None:
        values = self.values
        if values is not None:
            if keyword in values:
                return values[keyword]
            raw = self.raw.pop(keyword, None)
            if raw is not None:  # decoded on first use
                value = values[keyword] = _decode(*raw)
                return value
        return _fast(self.dataset, keyword)


def _quick_header(path: str) -> _Header:
    """The header of `path`: from the element table when plain, else through dcmread."""
    if path.endswith(".gz"):
        return _Header(path, _read(path, stop_before_pixels=True))
    with open(path, "rb") as f:
        size = os.fstat(f.fileno()).st_size
        if size > _HEAD_BYTES:
            # most headers end well before 64 KiB: read that much first, and
            # the whole file only when the pixel data header was not reached
            head = f.read(_HEAD_BYTES)
            try:
                header = _header_from_bytes(path, head, partial=True)
            except Exception:  # an element cut at the end of the first read
                header = _NEED_MORE
            if header is not _NEED_MORE:
                return header or _Header(path, _read(path, stop_before_pixels=True))
            f.seek(0)
        if size >= _MAP_ABOVE:
            data: Any = mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ)
        else:
            data = f.read()
    try:
        return _header_from_bytes(path, data) or _Header(path, _read(path, stop_before_pixels=True))
    finally:
        if isinstance(data, mmap.mmap):
            data.close()


def _header_from_bytes(path: str, data: Any, partial: bool = False) -> Any:
    """Quick values from a file's bytes, or None when dcmread must do it; with
    `partial` (the first bytes of a longer file), :data:`_NEED_MORE` when the
    pixel data header is not in them."""
    if len(data) < 136 or data[128:132] != b"DICM":
        return None
    meta = _store.scan_dataset(data, 132, len(data), False, True, only_group=2)
    record = meta.find(0x00020010)
    if record is None:
        return None
    syntax = bytes(data[record.value_offset:record.value_offset + record.length]).decode("ascii", "replace").strip(" \0")
    if syntax not in (_IMPLICIT_LE, _EXPLICIT_LE) and syntax in _NATIVE_SYNTAXES:
        return None  # big endian or deflated: the full reader
    implicit = syntax == _IMPLICIT_LE
    table = _store.scan_dataset(data, meta.stop_offset, len(data), implicit, True, stop_before_pixels=True)
    stop = table.stop_offset
    # stop_before_pixels stops at a pixel data header: anything else means no pixels
    has_pixels = stop + 4 <= len(data) and struct.unpack("<HH", bytes(data[stop:stop + 4])) in _PIXEL_TAGS
    if partial and not has_pixels:
        return _NEED_MORE
    values: dict[str, list[Any] | None] = {}
    undecoded: dict[str, tuple[bytes, str]] = {}
    if not _QUICK_TAGS:
        _QUICK_TAGS.extend((keyword, *_tag_vr(keyword)) for keyword in _QUICK)
    for keyword, tag, vr in _QUICK_TAGS:
        rec = table.find(tag)
        if rec is None:
            values[keyword] = None
            continue
        raw = bytes(data[rec.value_offset:rec.value_offset + rec.length])
        if vr in _TEXT_VRS and not raw.isascii():
            continue  # decoded with the Specific Character Set, by the Dataset, on demand
        # the dictionary's VR when the file has none (implicit VR) or says UN
        undecoded[keyword] = (raw, rec.vr if rec.vr and rec.vr != "UN" else vr)
    image_type = undecoded.get("ImageType")
    if image_type is not None and b"MOSAIC" in image_type[0].upper():
        return None  # the CSA header is needed
    if not has_pixels:
        values["Rows"] = None  # an image's attributes without its pixels: no frame
    header = _Header(path, None, values, syntax)
    header.raw = undecoded
    per_frame = table.find(0x52009230)
    if per_frame is not None:  # an enhanced image: its functional groups, from the bytes
        shared = table.find(0x52009229)
        shared_spans = _item_spans(data, shared, implicit, 0) if shared is not None else []
        memo: dict[tuple[int, bytes], list[tuple[str, list[Any] | None]]] = {}
        shared_values = _group_values(data, shared_spans[0], implicit, memo) if shared_spans else {}
        frames = []
        for span in _item_spans(data, per_frame, implicit, 0):
            merged = dict(shared_values)
            merged.update(_group_values(data, span, implicit, memo))
            frames.append(merged)
        header.enhanced = frames
        header.pointers = _raw_pointers(data, table.find(0x00209222), implicit)
    return header


# -- batches of plain files through the compiled header index -------------------------
# fastdicom._index.extract (the header index's extractor, the scanner's C core
# underneath) reads a batch of files and converts the _QUICK values into typed
# column buffers without the GIL and without a Python object per element: the
# per-file Python work left is slicing those columns. It gives the values
# _header_from_bytes gives, for the files it can take whole: every other file
# (not status "ok", a reader warning, no Pixel Data header, an enhanced image,
# a mosaic, a syntax dcmread must read) goes through _quick_header as before.
_BATCH_FILES = 256
_STATUS_OK = _index.STATUS_NAMES.index("ok")  # a row read whole (its status code)
_TEXT_NUMBERS = {"DS", "IS"}
# columns after the _QUICK ones: the transfer syntax, the three pixel data
# elements (valid when the scan stopped at one) and the Per-frame Functional
# Groups Sequence (valid in an enhanced image)
_EXTRA_COLUMNS = (
    (0x00020010, "str", True, "UI", "TransferSyntaxUID"),
    (0x7FE00010, "bulk", False, "OW", "PixelData"),
    (0x7FE00008, "bulk", False, "OF", "FloatPixelData"),
    (0x7FE00009, "bulk", False, "OD", "DoubleFloatPixelData"),
    (0x52009230, "bulk", False, "SQ", "PerFrameFunctionalGroupsSequence"),
)
# [Plan, per _QUICK column its kind: "str", "number" (DS, IS), "float" (FD, FL),
# "int" (US, SS, UL, SL)]: made on first use
_PLAN: list[Any] = []


def _index_plan() -> tuple[Any, list[str]]:
    if not _PLAN:
        leaf = {name: code for code, name in enumerate(_index.LEAF_NAMES)}
        columns, kinds = [], []
        for keyword in _QUICK:
            tag, vr = _tag_vr(keyword)
            if vr in _TEXT_NUMBERS:
                code, kind = leaf["f64"], "number"
            elif vr in ("FD", "FL"):
                code, kind = leaf["f64"], "float"
            elif vr in _BINARY:
                code, kind = leaf["i64"], "int"
            else:
                code, kind = leaf["str"], "str"
            columns.append((tag, code, True, vr if len(vr) == 2 else "", keyword, -1, 0))
            kinds.append(kind)
        for tag, name, is_list, vr, keyword in _EXTRA_COLUMNS:
            columns.append((tag, leaf[name], is_list, vr, keyword, -1, 0))
        _PLAN.extend((_index.Plan(columns), kinds))
        _QUICK_INDEX.update((keyword, k) for k, keyword in enumerate(_QUICK))
    return _PLAN[0], _PLAN[1]


class _Batch:
    """The _QUICK columns of one extracted batch; a file's values are sliced
    out when asked for (:class:`_BatchRow`), so that a scan keeps one object
    per file instead of a dict of ~30 lists (which the cyclic garbage
    collector would traverse again and again as the scan grows)."""

    __slots__ = ("_columns", "_kinds", "_valid", "_offsets", "_items", "_item_valid", "_numeric_cache",
                 "_first", "_fixed")

    def __init__(self, columns: list[dict[str, Any]], kinds: list[str]) -> None:
        self._columns = columns
        self._kinds = kinds
        # the buffers are bytes-like (the buffer protocol): read through numpy or bytes
        self._valid = [bytes(c["valid"]) for c in columns]
        self._offsets: list[list[int] | None] = [None] * len(columns)
        self._items: list[list[Any] | None] = [None] * len(columns)
        self._item_valid: list[bytes | None] = [None] * len(columns)
        self._numeric_cache: dict[int, tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]] = {}
        self._first: dict[int, list[float | None]] = {}
        self._fixed: dict[tuple[int, int], list[np.ndarray | None]] = {}

    def _load(self, k: int) -> None:
        column, kind = self._columns[k], self._kinds[k]
        if kind == "str":
            string_offsets, data, _ = column["s"][0]
            bounds = np.frombuffer(string_offsets, np.int32).tolist()
            text = bytes(data).decode("latin-1")  # ASCII: rows with other bytes are declined
            # the extractor keeps the spaces around backslashes; _decode strips each value
            items: list[Any] = [text[bounds[j]:bounds[j + 1]].strip(" \0") for j in range(len(bounds) - 1)]
        else:
            items = np.frombuffer(column["values"], np.int64 if kind == "int" else np.float64).tolist()
            if kind == "number":
                self._item_valid[k] = bytes(column["item_valid"])
        self._offsets[k] = np.frombuffer(column["list_off"], np.int32).tolist()
        # last: value() takes a column whose items are set as complete (threads
        # reading headers after a scan may load a column at the same time)
        self._items[k] = items

    def value(self, k: int, row: int) -> list[Any] | None:
        """Column `k` of file `row`, as :func:`_decode` gives it."""
        if not self._valid[k][row]:
            return None
        items = self._items[k]
        if items is None:
            self._load(k)
            items = self._items[k]
        offsets = self._offsets[k]
        a, b = offsets[row], offsets[row + 1]  # type: ignore[index]
        item_valid = self._item_valid[k]
        # an empty DS/IS value between backslashes is a null item, which
        # float() refuses in _decode: the whole value is None there
        if item_valid is not None and 0 in item_valid[a:b]:
            return None
        return items[a:b]  # type: ignore[index]

    # :func:`_float` and :func:`_floats` of a numeric column for every file of
    # the batch at once (numpy), so that a frame takes its numbers ready-made
    def _numeric(self, k: int) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """(values as float64, offsets, counts, rows whose value :meth:`value` gives)."""
        found = self._numeric_cache.get(k)
        if found is None:
            column, kind = self._columns[k], self._kinds[k]
            offsets = np.frombuffer(column["list_off"], np.int32).astype(np.int64)
            counts = np.diff(offsets)
            good = np.frombuffer(column["valid"], np.uint8) != 0
            values = np.frombuffer(column["values"], np.int64 if kind == "int" else np.float64).astype(np.float64)
            if kind == "number":  # a null item makes the whole value None (see value())
                bad = np.concatenate(([0], np.cumsum(np.frombuffer(column["item_valid"], np.uint8) == 0)))
                good &= bad[offsets[1:]] == bad[offsets[:-1]]
            found = self._numeric_cache[k] = (values, offsets, counts, good)
        return found

    def first_number(self, k: int) -> list[float | None]:
        """``_float(self.value(k, row))`` for every row."""
        out = self._first.get(k)
        if out is None:
            if self._kinds[k] == "str":
                out = [_float(self.value(k, i)) for i in range(len(self._valid[k]))]
            else:
                values, offsets, counts, good = self._numeric(k)
                good = good & (counts > 0)
                first = values[np.minimum(offsets[:-1], len(values) - 1)] if len(values) else np.zeros(len(counts))
                good &= np.isfinite(first)
                out = first.tolist()
                for i in np.flatnonzero(~good).tolist():
                    out[i] = None
            self._first[k] = out
        return out

    def numbers(self, k: int, n: int) -> list[np.ndarray | None]:
        """``_floats(self.value(k, row) or (), n)`` for every row."""
        out = self._fixed.get((k, n))
        if out is None:
            if self._kinds[k] == "str":
                out = [_floats(self.value(k, i) or (), n) for i in range(len(self._valid[k]))]
            else:
                values, offsets, counts, good = self._numeric(k)
                good = good & (counts == n)
                if len(values) and n:
                    table = values[np.minimum(offsets[:-1, None] + np.arange(n), len(values) - 1)]
                    good &= np.isfinite(table).all(axis=1)
                    out = [table[i] if ok else None for i, ok in enumerate(good.tolist())]
                else:
                    out = [None] * len(counts)
            self._fixed[(k, n)] = out
        return out


_QUICK_INDEX: dict[str, int] = {}  # _QUICK keyword -> column, made with the plan


class _BatchRow:
    """One file's values in a :class:`_Batch`: ``keyword in row``, ``row[keyword]``."""

    __slots__ = ("_batch", "_row")

    def __init__(self, batch: _Batch, row: int) -> None:
        self._batch = batch
        self._row = row

    def __contains__(self, keyword: str) -> bool:
        return keyword in _QUICK_INDEX

    def __getitem__(self, keyword: str) -> list[Any] | None:
        return self._batch.value(_QUICK_INDEX[keyword], self._row)


def _extract_batch(paths: list[str]) -> dict[str, Any]:
    """The compiled extraction of a batch of files (runs without the GIL)."""
    plan, _ = _index_plan()
    return _index.extract(plan, [os.fsencode(p) for p in paths])


def _batch_headers(paths: list[str], raw: dict[str, Any]) -> list[_Header | None]:
    """Headers of a batch extracted by :func:`_extract_batch`; None for a file
    the Python path must read (see above)."""
    _, kinds = _index_plan()
    columns = raw["columns"]
    nquick = len(_QUICK)
    batch = _Batch(columns[:nquick + 1], kinds + ["str"])
    valid = batch._valid
    pixels = [bytes(columns[nquick + 1 + k]["valid"]) for k in range(3)]
    enhanced = bytes(columns[nquick + 4]["valid"])
    status = bytes(raw["status"])
    warning_rows = np.frombuffer(raw["warnings"][0], np.int32).tolist()
    image_type = _QUICK_INDEX["ImageType"]
    out: list[_Header | None] = []
    for i, path in enumerate(paths):
        if (status[i] != _STATUS_OK or warning_rows[i + 1] != warning_rows[i] or enhanced[i] or not valid[nquick][i]
                or not (pixels[0][i] or pixels[1][i] or pixels[2][i])):
            out.append(None)
            continue
        uid = "\\".join(batch.value(nquick, i)).strip(" \0")  # type: ignore[arg-type]
        if uid not in (_IMPLICIT_LE, _EXPLICIT_LE) and uid in _NATIVE_SYNTAXES:
            out.append(None)
            continue
        it = batch.value(image_type, i)
        if it is not None and "MOSAIC" in "\\".join(it).upper():
            out.append(None)  # the CSA header is needed
            continue
        out.append(_Header(path, None, _BatchRow(batch, i), uid))  # type: ignore[arg-type]
    return out


def _item_spans(data: Any, record: "_store.ScannedElement", implicit: bool, depth: int) -> list[tuple[int, int]]:
    """(start, end) of each item of the sequence element `record` (PS3.5 §7.5)."""
    start = record.value_offset
    items = _store.scan_items(data, start, start + record.length, implicit, True, depth=depth)
    spans = []
    for i in range(len(items)):
        item = items.record(i)
        spans.append((item.value_offset, item.value_offset + item.length))
    return spans


def _item_table(data: Any, span: tuple[int, int], implicit: bool, depth: int) -> Any:
    return _store.scan_dataset(data, span[0], span[1], implicit, True, is_item=True, depth=depth)


def _group_values(data: Any, span: tuple[int, int], implicit: bool,
                  memo: dict[tuple[int, bytes], list[tuple[str, list[Any] | None]]]) -> dict[str, list[Any] | None]:
    """The values read while grouping from one functional groups item (per-frame or shared).

    `memo` (one per file) holds each group sequence already decoded, keyed by
    its value's bytes: most groups of a frame (orientation, pixel measures,
    frame type, diffusion of a one-volume file) repeat those of the previous
    frames byte for byte, and only position and frame content change.
    """
    out: dict[str, list[Any] | None] = {}
    table = _item_table(data, span, implicit, 1)
    for group_tag, fields in _group_plan():
        record = table.find(group_tag)
        if record is None:
            continue
        key = (group_tag, bytes(data[record.value_offset:record.value_offset + record.length]))
        found = memo.get(key)
        if found is None:
            found = memo[key] = _one_group(data, record, implicit, fields)
        for keyword, value in found:
            if keyword not in out:
                out[keyword] = value
    return out


# [(group sequence tag, [(nested sequence tag or None, keyword, tag, VR)])] of _GROUP_FIELDS
_GROUP_PLAN: list[tuple[int, list[tuple[int | None, str, int, str]]]] = []


def _group_plan() -> list[tuple[int, list[tuple[int | None, str, int, str]]]]:
    if not _GROUP_PLAN:
        for group, fields in _GROUP_FIELDS.items():
            _GROUP_PLAN.append((_tag_vr(group)[0], [
                (_tag_vr(nested)[0] if nested is not None else None, keyword, *_tag_vr(keyword))
                for nested, keyword in fields]))
    return _GROUP_PLAN


def _one_group(data: Any, record: "_store.ScannedElement", implicit: bool,
               fields: list[tuple[int | None, str, int, str]]) -> list[tuple[str, list[Any] | None]]:
    """(keyword, value) of `fields` in the first item of the group sequence `record`."""
    out: list[tuple[str, list[Any] | None]] = []
    spans = _item_spans(data, record, implicit, 1)
    if not spans:
        return out
    item = _item_table(data, spans[0], implicit, 2)
    for nested, keyword, tag, vr in fields:
        target = item
        if nested is not None:
            nrec = item.find(nested)
            nspans = _item_spans(data, nrec, implicit, 2) if nrec is not None else []
            if not nspans:
                continue
            target = _item_table(data, nspans[0], implicit, 3)
        rec = target.find(tag)
        if rec is not None:
            out.append((keyword, _decode(bytes(data[rec.value_offset:rec.value_offset + rec.length]),
                                         rec.vr if rec.vr and rec.vr != "UN" else vr, True)))
    return out


def _raw_pointers(data: Any, record: "_store.ScannedElement | None", implicit: bool) -> list[tuple[int, str]]:
    """:func:`_dimension_pointers` from the bytes of the Dimension Index Sequence."""
    out: list[tuple[int, str]] = []
    if record is None:
        return out
    for i, span in enumerate(_item_spans(data, record, implicit, 0)):
        rec = _item_table(data, span, implicit, 1).find(0x00209165)  # Dimension Index Pointer (AT)
        if rec is None or rec.length != 4:
            continue
        group, element = struct.unpack("<HH", bytes(data[rec.value_offset:rec.value_offset + 4]))
        pointer = group << 16 | element
        if pointer in _SPATIAL_POINTERS:
            continue
        keyword = keyword_for_tag(pointer) or f"{pointer:08X}"
        out.append((i, _POINTER_NAMES.get(keyword, keyword)))
    return out


# -- reading --------------------------------------------------------------------
def _iter_sources(sources: Any) -> Iterator[str | Dataset]:
    """Paths (directories walked in sorted order) and datasets."""
    if isinstance(sources, (str, os.PathLike, Dataset)):
        sources = [sources]
    for src in sources:
        if isinstance(src, Dataset):
            yield src
            continue
        path = os.fspath(src)
        if os.path.isdir(path):
            for root, dirs, files in os.walk(path):
                dirs.sort()
                for name in sorted(files):
                    yield os.path.join(root, name)
        else:
            yield path


def _read(path: str, stop_before_pixels: bool) -> Dataset:
    """Read a file; gzipped files (``.gz``) are read through gzip."""
    if path.endswith(".gz"):
        with gzip.open(path, "rb") as f:
            return dcmread(f.read(), stop_before_pixels=stop_before_pixels)
    return dcmread(path, stop_before_pixels=stop_before_pixels)


def _floats(value: Any, n: int) -> np.ndarray | None:
    try:
        floats = [float(v) for v in value]
    except (TypeError, ValueError):
        return None
    if len(floats) != n or not all(map(math.isfinite, floats)):
        return None
    return np.array(floats)


def _text(header: _Header, keyword: str) -> str:
    """A header value as one string (multiple values joined by backslash)."""
    value = header.get(keyword)
    return "\\".join(str(v) for v in value) if value else ""


def _float(value: Any) -> float | None:
    if value is None or value == "":
        return None
    try:
        if not isinstance(value, (int, float, str)) and len(value):
            value = value[0]
        out = float(value)
    except (TypeError, ValueError):
        return None
    return out if math.isfinite(out) else None


def _csa_mosaic(ds: Dataset) -> tuple[int, np.ndarray | None] | None:
    """(NumberOfImagesInMosaic, SliceNormalVector) from a Siemens CSA image header,
    or None when the file is no mosaic."""
    image_type = [str(v).upper() for v in (ds.get("ImageType") or [])]
    if "MOSAIC" not in image_type:
        return None
    try:
        header = read_csa(ds)
    except ValueError as exc:  # CSAError: a damaged private header; the image stays a plain one
        logger.warning("series: unreadable Siemens CSA header: %s", exc)
        return None
    count = csa_value(header, "NumberOfImagesInMosaic")
    if not isinstance(count, (int, float)):
        return None
    count = int(count)
    normal = header.get("SliceNormalVector") if header else None
    vec = _floats(normal, 3) if normal else None
    return count, vec


def _frames_the_data_can_hold(header: _Header, pixels: float) -> int:
    """The most frames the file's data can hold, so that a hostile Number of
    Frames (10^9 in a few KB) makes no more Frame objects than that (issue 12).

    A native frame takes Rows x Columns x Samples x Bits Allocated bits; an
    encapsulated one at least an 8-byte item (PS3.5 A.4). The size is the
    file's (or, for a dataset, its Pixel Data's); a gzipped file's is taken
    1024 times.
    """
    size = 0
    if header.path is not None:
        try:
            size = os.path.getsize(header.path) * (1024 if header.path.endswith(".gz") else 1)
        except OSError:
            return 1 << 62
    else:
        elem = header.dataset.get_item(0x7FE00010)
        value = getattr(elem, "value", None)
        size = len(value) if isinstance(value, (bytes, bytearray, memoryview)) else 0
    if header.transfer_syntax in _NATIVE_SYNTAXES or not header.transfer_syntax:
        samples = int(_float(header.get("SamplesPerPixel")) or 1)
        bits = int(_float(header.get("BitsAllocated")) or 1)
        return max(1, int(8 * size // max(1.0, pixels * samples * bits)))
    return max(1, size // 8)


# the native (uncompressed) transfer syntaxes: fastdicom.pixels.pipeline's
# NATIVE_SYNTAXES, not imported from there so that grouping loads no pixel code
_NATIVE_SYNTAXES = frozenset({
    "1.2.840.10008.1.2", "1.2.840.10008.1.2.1", "1.2.840.10008.1.2.2", "1.2.840.10008.1.2.1.99",
})


def _frames_of(path: str | None, header: _Header, file_order: int) -> list[Frame]:
    """The 2-D frames of one file's header."""
    top = _header_reader(header)
    rows = int(top.number("Rows") or 0)
    cols = int(top.number("Columns") or 0)
    if not rows or not cols:
        return []
    instance = int(top.number("InstanceNumber") or 0)
    image_type = tuple(str(v).upper() for v in (header.get("ImageType") or []))
    count = 0
    if header.enhanced is not None:  # read from the bytes
        count, pointers = len(header.enhanced), header.pointers
    elif header.values is None:
        ds = header.dataset
        if ds.get_item(0x52009230) is not None:
            count, pointers = len(ds[0x52009230].value), _dimension_pointers(ds)
    if count:
        # Number of Frames (1 when absent) rules over a longer Per-frame Functional
        # Groups Sequence: pixel_array gives that many frames
        declared = _float(header.get("NumberOfFrames")) or 1
        if 0 < declared < count:
            count = int(declared)
        shared_memo: dict[str, Any] = {}
        frames: list[Frame] = []
        for i in range(count):
            f = Frame(path, header)
            f.frame_index = i
            f.functional_groups = FunctionalGroups(header, i, shared_memo)
            _fill(f, rows, cols, instance, image_type, (instance, file_order, i), pointers)
            frames.append(f)
        return frames
    f = Frame(path, header)
    _fill(f, rows, cols, instance, image_type, (instance, file_order, 0))
    nframes = int(top.number("NumberOfFrames") or 1)
    if nframes > 1:
        nframes = min(nframes, _frames_the_data_can_hold(header, rows * cols))
    if nframes > 1:  # classic multi-frame (e.g. NM, US): one frame each, same header
        out = []
        for i in range(nframes):
            g = Frame(path, header)
            _fill(g, rows, cols, instance, image_type, (instance, file_order, i))
            g.frame_index = i
            out.append(g)
        return out
    mosaic = _csa_mosaic(header.dataset) if "MOSAIC" in image_type else None
    if mosaic is not None and mosaic[0] > 1 and f.orientation is not None and f.position is not None:
        return _unpack_mosaic(f, mosaic[0], mosaic[1])
    return [f]


def _unpack_mosaic(f: Frame, count: int, normal: np.ndarray | None) -> list[Frame]:
    """The tiles of a Siemens mosaic as frames, with dcm2niix's position correction.

    ImagePositionPatient of a mosaic is that of the whole tiled image's first
    pixel; each tile is ``rows / tiles_per_side`` by ``columns / tiles_per_side``
    and its centre coincides with the mosaic's, so the first slice's corner is
    moved by half the size difference along each in-plane axis. The slices then
    follow the CSA SliceNormalVector at SpacingBetweenSlices.
    """
    side = int(math.ceil(math.sqrt(count)))
    rows, cols = f.rows // side, f.columns // side
    assert f.position is not None and f.orientation is not None
    row_cos, col_cos = f.orientation[:3], f.orientation[3:]
    dr, dc = f.pixel_spacing
    # the tile size as a real number (rows / side), as dcm2niix and nibabel compute
    # it: when the mosaic is not a whole number of tiles the corner moves by a fraction
    corner = (f.position + col_cos * dr * (f.rows - f.rows / side) / 2.0
              + row_cos * dc * (f.columns - f.columns / side) / 2.0)
    if normal is None:
        normal = np.cross(row_cos, col_cos)
    step = f.spacing_between_slices or f.slice_thickness or 1.0
    out = []
    for k in range(count):
        g = Frame(f.path, f._header)
        for name in ("orientation", "pixel_spacing", "instance", "attrs", "image_type",
                     "slice_thickness", "spacing_between_slices", "frame_index", "functional_groups"):
            setattr(g, name, getattr(f, name))
        g.rows, g.columns = rows, cols
        g.mosaic_index = k
        g.position = corner + normal * step * k
        g.order = f.order + (k,)
        out.append(g)
    return out


_ATTRS = ("echo", "diffusion", "dimension", "temporal", "trigger", "acquisition")

# Dimension Index Pointers (PS3.3 §C.7.6.17) that place a frame in space, and
# the dim names of the others
_SPATIAL_POINTERS = {0x00209056, 0x00209057, 0x00200032}  # StackID, InStackPositionNumber, IPP
_POINTER_NAMES = {
    "DiffusionBValue": "diffusion", "DiffusionGradientOrientation": "diffusion",
    "EffectiveEchoTime": "echo", "EchoNumbers": "echo",
    "TemporalPositionIndex": "temporal", "TemporalPositionIdentifier": "temporal",
    "TemporalPositionTimeOffset": "temporal", "NominalCardiacTriggerDelayTime": "trigger",
    "TriggerDelayTime": "trigger", "FrameAcquisitionNumber": "acquisition",
}


def _dimension_pointers(ds: Dataset) -> list[tuple[int, str]]:
    """(position in DimensionIndexValues, dim name) of the non-spatial Dimension Index Pointers."""
    out = []
    for i, item in enumerate(ds.get("DimensionIndexSequence") or []):
        pointer = item.get("DimensionIndexPointer")
        if pointer is None or int(pointer) in _SPATIAL_POINTERS:
            continue
        keyword = keyword_for_tag(int(pointer)) or f"{int(pointer):08X}"
        out.append((i, _POINTER_NAMES.get(keyword, keyword)))
    return out


class _Reader:
    """What :func:`_fill` reads of one frame: its values (:func:`_value`),
    their first number (:func:`_float`) and number lists of a given length
    (:func:`_floats`)."""

    __slots__ = ("get",)

    def __init__(self, get: Callable[[str], list[Any] | None]) -> None:
        self.get = get

    def number(self, keyword: str) -> float | None:
        return _float(self.get(keyword))

    def numbers(self, keyword: str, n: int) -> np.ndarray | None:
        return _floats(self.get(keyword) or (), n)


class _BatchReader:
    """:class:`_Reader` of a file read in a :class:`_Batch`: numbers converted
    for the whole batch at once."""

    __slots__ = ("_batch", "_row", "_header_get")

    def __init__(self, row: _BatchRow, header_get: Callable[[str], list[Any] | None]) -> None:
        self._batch = row._batch
        self._row = row._row
        self._header_get = header_get

    def get(self, keyword: str) -> list[Any] | None:
        k = _QUICK_INDEX.get(keyword)
        return self._header_get(keyword) if k is None else self._batch.value(k, self._row)

    def number(self, keyword: str) -> float | None:
        k = _QUICK_INDEX.get(keyword)
        return _float(self._header_get(keyword)) if k is None else self._batch.first_number(k)[self._row]

    def numbers(self, keyword: str, n: int) -> np.ndarray | None:
        k = _QUICK_INDEX.get(keyword)
        return _floats(self._header_get(keyword) or (), n) if k is None else self._batch.numbers(k, n)[self._row]


def _header_reader(header: _Header) -> _Reader | _BatchReader:
    """The :class:`_Reader` of a file's top-level values."""
    row = header.values
    if isinstance(row, _BatchRow):  # straight to the batch's columns
        return _BatchReader(row, header.get)
    return _Reader(header.get)


def _getter(f: Frame) -> _Reader | _BatchReader:
    """The :class:`_Reader` of :func:`_value` for one frame, its kind decided once."""
    enhanced = f._header.enhanced
    if enhanced is not None and f.frame_index is not None:
        values = enhanced[f.frame_index]
        header_get = f._header.get

        def get(keyword: str) -> list[Any] | None:
            if keyword in values:
                return values[keyword]
            if keyword in _FG_LOCATIONS or keyword in _FRAME_TYPE_KEYWORDS:
                return None  # absent from the frame's groups
            return header_get(keyword)

        return _Reader(get)
    if f.functional_groups:
        return _Reader(lambda keyword: _value(f, keyword))
    return _header_reader(f._header)


def _fill(f: Frame, rows: int, cols: int, instance: int, image_type: tuple, order: tuple,
          pointers: list[tuple[int, str]] | None = None) -> None:
    """Geometry and the attributes that may tell volumes apart, for one frame."""
    f.rows, f.columns = int(rows), int(cols)
    f.instance = instance
    f.order = order
    f.image_type = image_type
    src = _getter(f)
    get = src.get
    groups = bool(f.functional_groups)
    if groups:
        ftype = get("FrameType")
        if ftype:
            f.image_type = tuple(str(v).upper() for v in ftype)
    f.position = src.numbers("ImagePositionPatient", 3)
    f.orientation = src.numbers("ImageOrientationPatient", 6)
    spacing = src.numbers("PixelSpacing", 2)
    if spacing is None:
        spacing = src.numbers("ImagerPixelSpacing", 2)
    if spacing is not None:
        f.pixel_spacing = (float(spacing[0]), float(spacing[1]))
    f.slice_thickness = src.number("SliceThickness")
    f.spacing_between_slices = src.number("SpacingBetweenSlices")
    attrs: dict[str, Any] = {}
    echo = src.number("EchoNumbers")
    if echo is None:
        echo = src.number("EffectiveEchoTime") if groups else None
    if echo is None:
        echo = src.number("EchoTime")
    attrs["echo"] = echo
    b = src.number("DiffusionBValue")
    vec = get("DiffusionGradientOrientation")
    vec_t = tuple(round(float(v), 6) for v in vec) if vec is not None and len(vec) == 3 else None
    attrs["diffusion"] = None if b is None and vec_t is None else (b, vec_t)
    temporal = get("TemporalPositionIndex") if groups else None
    if temporal is None:
        temporal = get("TemporalPositionIdentifier")
    attrs["temporal"] = _float(temporal)
    trigger = src.number("NominalCardiacTriggerDelayTime") if groups else None
    attrs["trigger"] = trigger if trigger is not None else src.number("TriggerTime")
    acq = src.number("FrameAcquisitionNumber") if groups else None
    attrs["acquisition"] = acq if acq is not None else src.number("AcquisitionNumber")
    if groups:
        div = get("DimensionIndexValues")
        if div is not None and pointers:
            values = [int(v) for v in div]
            if all(i < len(values) for i, _ in pointers):
                attrs["dimension"] = tuple(values[i] for i, _ in pointers)
                attrs["_dimension_names"] = [name for _, name in pointers]
        stack = get("StackID")
        attrs["stack"] = stack[0] if stack else None
        component = get("ComplexImageComponent")
        attrs["component"] = component[0] if component else None
    f.attrs = attrs


# -- the public objects -------------------------------------------------------------
class Volume:
    """One 3-D volume of a series: frames in slice order.

    Attributes
    ----------
    index : tuple of int
        Position of the volume on :attr:`Series.dims`.
    labels : dict
        Dim name -> this volume's value (e.g. ``{"echo": 2.0}``,
        ``{"diffusion": (1000.0, (0.0, 0.0, 1.0))}``, ``{"repetition": 3}``).
    frames : list of Frame
        One per slice, in ascending projection on the slice normal.
    """

    def __init__(self, series: Series, index: tuple[int, ...], labels: dict[str, Any], frames: list[Frame]) -> None:
        self.series = series
        self.index = index
        self.labels = labels
        self.frames = frames

    def __repr__(self) -> str:
        return f"Volume(index={self.index}, labels={self.labels}, slices={len(self.frames)})"

    @property
    def affine_lps(self) -> np.ndarray:
        """4x4 affine of this volume's (slice, row, column) index to LPS mm."""
        return _affine(self.frames, self.series._normal)

    @property
    def affine_ras(self) -> np.ndarray:
        """4x4 affine of this volume's (slice, row, column) index to RAS mm."""
        return _LPS_TO_RAS @ self.affine_lps

    def array(self, threads: int | None = None) -> np.ndarray:
        """The pixels, shape ``(slice, row, column)`` (``pixel_array`` values, not rescaled).

        Parameters
        ----------
        threads : int, optional
            Threads decoding compressed files (default: the CPU count).
        """
        self.series._check()
        return _load(self.frames, threads)


class Series:
    """The frames of one SeriesInstanceUID (or of one part of it, see :attr:`split_reason`).

    Attributes
    ----------
    uid : str
        SeriesInstanceUID.
    study_uid : str
    number : int or None
        SeriesNumber.
    description, protocol_name, modality : str
    split_reason : str or None
        None for the main group of a SeriesInstanceUID; otherwise why these
        frames were set apart (e.g. ``"orientation"``, ``"localizer"``).
    key : dict
        The values of the splitting attributes shared by the frames.
    frames : list of Frame
        Every frame kept in the series.
    dataset : Dataset
        The header of the series' first file (series-level attributes).
    dropped : list of Frame
        Frames left out by a ``"drop"`` policy.
    dims : list of str
        Names of the axes before the spatial ones, outermost first.
    volumes : list of Volume
        In C order over :attr:`dims`.
    diagnostics : list of Diagnostic
    """

    def __init__(self, frames: list[Frame], split_reason: str | None, key: dict[str, Any]) -> None:
        header = self._header = frames[0]._header  # series-level attributes
        self.uid = _text(header, "SeriesInstanceUID")
        self.study_uid = _text(header, "StudyInstanceUID")
        number = _float(header.get("SeriesNumber"))
        self.number = int(number) if number is not None else None
        self.description = _text(header, "SeriesDescription")
        self.protocol_name = _text(header, "ProtocolName")
        self.modality = _text(header, "Modality")
        self.split_reason = split_reason
        self.key = key
        self.frames = frames
        self.dropped: list[Frame] = []
        self.dims: list[str] = []
        self.volumes: list[Volume] = []
        self.diagnostics: list[Diagnostic] = []
        self._grid: tuple[int, ...] = ()
        self._normal = np.array([0.0, 0.0, 1.0])

    @property
    def dataset(self) -> Dataset:
        """The header of the series' first file."""
        return self._header.dataset

    def __repr__(self) -> str:
        reason = f", split={self.split_reason!r}" if self.split_reason else ""
        return f"Series({self.number} {self.description!r}, shape={self.shape}{reason})"

    @property
    def shape(self) -> tuple[int, ...]:
        """``(*extra, slice, row, column)``."""
        if not self.volumes:
            return (0,)
        f = self.volumes[0].frames[0]
        return (*self._grid, len(self.volumes[0].frames), f.rows, f.columns)

    @property
    def paths(self) -> list[str]:
        """The files of the series, each once, in acquisition order."""
        seen: dict[str, None] = {}
        for f in sorted(self.frames, key=lambda f: f.order):
            if f.path is not None:
                seen.setdefault(f.path, None)
        return list(seen)

    @property
    def affine_lps(self) -> np.ndarray:
        """4x4 affine mapping ``(slice, row, column, 1)`` to LPS millimetres."""
        if not self.volumes:
            raise SeriesError(f"series {self.uid} has no volume")
        return self.volumes[0].affine_lps

    @property
    def affine_ras(self) -> np.ndarray:
        """4x4 affine mapping ``(slice, row, column, 1)`` to RAS millimetres."""
        return _LPS_TO_RAS @ self.affine_lps

    @property
    def ok(self) -> bool:
        """False when a diagnostic has policy ``"error"`` (then :meth:`volume` raises)."""
        return bool(self.volumes) and not any(d.policy == "error" for d in self.diagnostics)

    def _check(self) -> None:
        errors = [d for d in self.diagnostics if d.policy == "error"]
        if errors:
            raise SeriesError(f"series {self.number} ({self.uid}): " + "; ".join(d.message for d in errors))
        if not self.volumes:
            raise SeriesError(f"series {self.number} ({self.uid}) has no volume")

    def volume(self, threads: int | None = None) -> np.ndarray:
        """All pixels, shape :attr:`shape` = ``(*extra, slice, row, column)``.

        Each slice is exactly ``pixel_array`` of its frame (no rescale, no
        flip), decoded through fastdicom's pixel pipeline; compressed files
        are decoded on a thread pool.

        Parameters
        ----------
        threads : int, optional
            Threads decoding compressed files (default: the CPU count).

        Raises
        ------
        SeriesError
            A diagnostic with policy ``"error"``, or no volume.
        """
        self._check()
        frames = [f for v in self.volumes for f in v.frames]
        arr = _load(frames, threads)
        return arr.reshape(self.shape + arr.shape[3:])

    def to_nifti(self, threads: int | None = None) -> Any:
        """A ``nibabel.Nifti1Image``: data ``(column, row, slice, *extra)``, RAS affine.

        Raises
        ------
        ImportError
            nibabel is not installed (``pip install nibabel``).
        """
        try:
            import nibabel
        except ImportError as exc:
            raise ImportError("Series.to_nifti() needs nibabel: pip install nibabel") from exc
        data = self.volume(threads)
        nextra = len(self._grid)
        # (*extra, k, r, c) -> (c, r, k, *extra)
        axes = (nextra + 2, nextra + 1, nextra) + tuple(range(nextra))
        data = np.transpose(data, axes + tuple(range(data.ndim))[len(axes):])
        if data.ndim > 4:  # NIfTI has one time axis: flatten the extra dims in C order
            data = data.reshape(data.shape[:3] + (-1,) + data.shape[3 + nextra:])
        ras = self.affine_ras
        affine = ras[:, [2, 1, 0, 3]]
        img = nibabel.Nifti1Image(np.ascontiguousarray(data), affine)
        img.header.set_xyzt_units("mm", "sec")
        return img


class Study:
    """The series of one StudyInstanceUID.

    Attributes
    ----------
    uid, patient_id, patient_name, date, description : str
    series : list of Series
    """

    def __init__(self, uid: str, series: list[Series]) -> None:
        header = series[0]._header
        self.uid = uid
        self.patient_id = _text(header, "PatientID")
        self.patient_name = _text(header, "PatientName")
        self.date = _text(header, "StudyDate")
        self.description = _text(header, "StudyDescription")
        self.series = series

    def __repr__(self) -> str:
        return f"Study({self.uid}, {len(self.series)} series)"


@dataclass
class ScanResult:
    """What :func:`scan` found.

    Attributes
    ----------
    studies : list of Study
    series : list of Series
        Every series of every study, in study order then SeriesNumber.
    failures : list of FileFailure
        Files not used: unreadable, or holding no image.
    """

    studies: list[Study]
    series: list[Series]
    failures: list[FileFailure]

    @property
    def diagnostics(self) -> list[tuple[Series, Diagnostic]]:
        """Every diagnostic, with its series."""
        return [(s, d) for s in self.series for d in s.diagnostics]


# -- geometry ------------------------------------------------------------------------
_LPS_TO_RAS = np.diag([-1.0, -1.0, 1.0, 1.0])


def _affine(frames: list[Frame], normal: np.ndarray) -> np.ndarray:
    """The affine of stacked frames: first frame's corner, whole-span slice step."""
    first = frames[0]
    if first.position is None or first.orientation is None:
        raise SeriesError(f"{first!r} has no ImagePositionPatient/ImageOrientationPatient")
    row_cos, col_cos = first.orientation[:3], first.orientation[3:]
    dr, dc = first.pixel_spacing
    if len(frames) > 1:
        step = (frames[-1].position - first.position) / (len(frames) - 1)
    else:
        thickness = first.spacing_between_slices or first.slice_thickness or 1.0
        step = normal * thickness
    out = np.eye(4)
    out[:3, 0] = step
    out[:3, 1] = col_cos * dr  # row index moves down the column direction
    out[:3, 2] = row_cos * dc  # column index moves along the row direction
    out[:3, 3] = first.position
    return out


def _normal(orientation: np.ndarray) -> np.ndarray:
    n = np.cross(orientation[:3], orientation[3:])
    norm = np.linalg.norm(n)
    return n / norm if norm > 0 else np.array([0.0, 0.0, 1.0])


# -- grouping ---------------------------------------------------------------------
def _kind(f: Frame) -> tuple[str, str]:
    """(original/derived, magnitude/phase/...) of a frame, from ImageType / enhanced groups."""
    it = f.image_type
    origin = it[0] if it else ""
    comp = f.attrs.get("component")
    if not comp:
        # Classic MR: ImageType value 3 holds M/P/R/I (Siemens) or MAGNITUDE/PHASE
        tokens = set(it[2:])
        for token, name in (("P", "PHASE"), ("PHASE", "PHASE"), ("R", "REAL"), ("REAL", "REAL"),
                            ("I", "IMAGINARY"), ("IMAGINARY", "IMAGINARY")):
            if token in tokens:
                comp = name
                break
        else:
            comp = "MAGNITUDE"
    return origin, str(comp)


def _cluster_orientations(frames: list[Frame]) -> list[list[Frame]]:
    """Frames grouped by orientation within ORIENTATION_TOLERANCE (first seen first)."""
    # frames with the very same IOP values first (the usual case), then the
    # distinct values clustered within the tolerance
    exact: dict[tuple, list[Frame]] = {}
    for f in frames:
        key = tuple(f.orientation.tolist()) if f.orientation is not None else (0.0,) * 6
        exact.setdefault(key, []).append(f)
    groups: list[tuple[np.ndarray, list[Frame]]] = []
    for key, members in exact.items():
        o = np.array(key)
        for ref, cluster in groups:
            if np.max(np.abs(ref - o)) < ORIENTATION_TOLERANCE:
                cluster.extend(members)
                break
        else:
            groups.append((o, list(members)))
    order = {id(f): i for i, f in enumerate(frames)}
    return [sorted(m, key=lambda f: order[id(f)]) for _, m in groups]


def _split(frames: list[Frame], policy: dict[str, str]) -> list[tuple[list[Frame], str | None, dict, list[Diagnostic], list[Frame]]]:
    """Split one SeriesInstanceUID's frames into stackable groups.

    Returns (frames, split_reason, key, diagnostics, dropped) per group, the
    main group (most frames) first with split_reason None.
    """
    # 1. localizers with other images: dropped (or split)
    diags: list[Diagnostic] = []
    dropped: list[Frame] = []
    loc = [f for f in frames if "LOCALIZER" in f.image_type]
    extra: list[tuple[list[Frame], str]] = []
    if loc and len(loc) < len(frames):
        pol = policy["localizer"]
        frames = [f for f in frames if "LOCALIZER" not in f.image_type]
        diags.append(Diagnostic("localizer", pol, f"{len(loc)} localizer image(s) left out of the series",
                                {"count": len(loc)}))
        if pol == "split":
            extra.append((loc, "localizer"))
        elif pol in ("drop", "warn", "error"):
            dropped.extend(loc)
    # 2. keys that cannot share an array
    buckets: dict[tuple, list[Frame]] = defaultdict(list)
    # the frames of a series share a few image types and spacings: each is
    # classified and rounded once
    kinds: dict[tuple, tuple[str, str]] = {}
    spacings: dict[tuple[float, float], tuple[float, float]] = {}
    for f in frames:
        kind_key = (f.image_type, f.attrs.get("component"))
        kind = kinds.get(kind_key)
        if kind is None:
            kind = kinds[kind_key] = _kind(f)
        spacing = spacings.get(f.pixel_spacing)
        if spacing is None:
            spacing = spacings[f.pixel_spacing] = (round(f.pixel_spacing[0], 4), round(f.pixel_spacing[1], 4))
        key = (f.rows, f.columns, spacing[0], spacing[1], kind[0], kind[1], f.attrs.get("stack"),
               f.mosaic_index is not None)
        buckets[key].append(f)
    groups: list[tuple[list[Frame], str | None, dict]] = []
    for key, members in buckets.items():
        kd = {"rows": key[0], "columns": key[1], "pixel_spacing": (key[2], key[3]),
              "image_type": key[4], "component": key[5]}
        if key[6] is not None:
            kd["stack"] = key[6]
        for sub in _cluster_orientations(members):
            orientation = sub[0].orientation
            groups.append((sub, None, dict(kd, orientation=tuple(round(float(v), 4) for v in orientation)
                                           if orientation is not None else None)))
    groups.sort(key=lambda g: -len(g[0]))
    out: list[tuple[list[Frame], str | None, dict, list[Diagnostic], list[Frame]]] = []
    main_key = groups[0][2] if groups else {}
    # images without geometry (e.g. a screen capture in the series) are split off
    # by their other keys, not counted as an orientation
    orientations = {g[2].get("orientation") for g in groups} - {None}
    if len(orientations) > 1:
        pol = policy["mixed_orientation"]
        diags.append(Diagnostic("mixed_orientation", pol,
                                f"{len(orientations)} orientations in one series",
                                {"orientations": sorted(orientations)}))
    for i, (members, _, kd) in enumerate(groups):
        reason = None
        if i:
            diff = [k for k in ("rows", "columns", "pixel_spacing", "image_type", "component", "stack", "orientation")
                    if kd.get(k) != main_key.get(k)]
            reason = ", ".join(dict.fromkeys({"rows": "matrix", "columns": "matrix"}.get(k, k.replace("_", " "))
                                             for k in diff)) or "split"
            if reason == "orientation" and policy["mixed_orientation"] == "drop":
                dropped.extend(members)
                continue
        out.append((members, reason, kd, diags if i == 0 else [], dropped if i == 0 else []))
    for members, reason in extra:
        out.append((members, reason, {}, [], []))
    return out


def _positions(frames: list[Frame], normal: np.ndarray) -> tuple[list[float], list[list[Frame]]]:
    """Distinct slice positions (ascending) and the frames at each."""
    for f in frames:
        f._d = float(np.dot(f.position, normal)) if f.position is not None else 0.0
    ordered = sorted(frames, key=lambda f: (f._d, f.order))
    pos: list[float] = []
    at: list[list[Frame]] = []
    for f in ordered:
        if pos and abs(f._d - pos[-1]) <= POSITION_TOLERANCE:
            at[-1].append(f)
        else:
            pos.append(f._d)
            at.append([f])
    return pos, at


def _positions_by_tile(frames: list[Frame], normal: np.ndarray) -> tuple[list[float], list[list[Frame]], float]:
    """Mosaics: tile k of every file is slice k (a mosaic is one volume, as
    dcm2niix stacks it), ordered along the normal; also the largest spread of
    one tile's position across files (mm)."""
    for f in frames:
        f._d = float(np.dot(f.position, normal)) if f.position is not None else 0.0
    tiles: dict[int, list[Frame]] = defaultdict(list)
    for f in sorted(frames, key=lambda f: f.order):
        tiles[f.mosaic_index or 0].append(f)
    at = sorted(tiles.values(), key=lambda g: g[0]._d)
    spread = max(max(f._d for f in g) - min(f._d for f in g) for g in at)
    return [g[0]._d for g in at], at, spread


def _volume_keys(at: list[list[Frame]]) -> list[str]:
    """Choose the attributes that tell apart the frames at one position.

    Sets ``f.attrs["_key"]`` (one value per dim) on every frame and returns
    the dim names. The first candidate (in :data:`_ATTRS` order) that gives
    each frame at a position its own value wins; then pairs; an enhanced
    file's Dimension Index (less its spatial pointers) gives one dim per
    pointer. When nothing separates the frames, the k-th frame at each
    position in acquisition order belongs to volume k (``"repetition"``).
    """
    frames = [f for group in at for f in group]
    varying = [name for name in _ATTRS
               if any(len({f.attrs.get(name) for f in group}) > 1 for group in at)]

    def separates(names: list[str]) -> bool:
        for group in at:
            keys = [tuple(f.attrs.get(n) for n in names) for f in group]
            if len(set(keys)) != len(keys):
                return False
        return True

    chosen: list[str] | None = None
    for name in varying:
        if separates([name]):
            chosen = [name]
            break
    else:
        for i, a in enumerate(varying):
            for b in varying[i + 1:]:
                if chosen is None and separates([a, b]):
                    chosen = [a, b]
    if chosen == ["dimension"]:
        names = frames[0].attrs.get("_dimension_names") or ["dimension"]
        if all(f.attrs.get("_dimension_names") == names for f in frames):
            for f in frames:
                f.attrs["_key"] = tuple(f.attrs["dimension"])
            return list(names)
        chosen = ["dimension"]
        for f in frames:
            f.attrs["_key"] = (f.attrs["dimension"],)
        return chosen
    if chosen is not None:
        for f in frames:
            f.attrs["_key"] = tuple(f.attrs.get(n) for n in chosen)
        return chosen
    for group in at:
        for k, f in enumerate(sorted(group, key=lambda f: f.order)):
            f.attrs["_key"] = (k,)
    return ["repetition"]


def _same_pixels(frames: list[Frame]) -> bool:
    try:
        arrays = [_load([f], 1)[0] for f in frames]
    except Exception:
        return False
    return all(np.array_equal(arrays[0], a) for a in arrays[1:])


def _build(series: Series, policy: dict[str, str]) -> list[Series]:
    """Order, volumes and diagnostics of one stackable group; returns split-off series."""
    frames = series.frames
    spawned: list[Series] = []
    if any(f.position is None or f.orientation is None for f in frames):
        # no geometry (e.g. secondary capture): one volume in acquisition order
        ordered = sorted(frames, key=lambda f: f.order)
        series.volumes = [Volume(series, (), {}, ordered)]
        series.diagnostics.append(Diagnostic("no_geometry", "warn",
                                             "no ImagePositionPatient/ImageOrientationPatient: slices in acquisition order"))
        return spawned
    # every frame has an orientation here (checked above)
    normal = _normal(np.mean([cast(np.ndarray, f.orientation) for f in frames], axis=0))
    series._normal = normal
    if all(f.mosaic_index is not None for f in frames):
        pos, at, spread = _positions_by_tile(frames, normal)
        if spread > POSITION_TOLERANCE:
            pol = policy["volume_shift"]
            series.diagnostics.append(Diagnostic(
                "volume_shift", pol,
                f"the slices of the volumes are up to {spread:.4g} mm apart along the normal "
                "(the affine is the first volume's)", {"max_shift": spread}))
    else:
        pos, at = _positions(frames, normal)
    counts = [len(g) for g in at]
    n = max(counts)
    # uneven counts: duplicates
    if min(counts) != n and n > 1:
        # positions seen more often than the usual count hold duplicates
        usual = max(set(counts), key=counts.count)
        keep_at, extra_frames = [], []
        identical = True
        for group in at:
            group = sorted(group, key=lambda f: f.order)
            if len(group) > usual:
                identical = identical and _same_pixels(group)
                extra_frames.extend(group[usual:])
                group = group[:usual]
            keep_at.append(group)
        if extra_frames:
            kind = "duplicate_identical" if identical else "duplicate_position"
            pol = policy[kind]
            series.diagnostics.append(Diagnostic(
                kind, pol, f"{len(extra_frames)} frame(s) repeat a slice position"
                + (" with identical pixels" if identical else ""),
                {"count": len(extra_frames), "same_pixels": identical,
                 "positions": sorted({round(f._d, 3) for f in extra_frames})}))
            if pol in ("drop", "split"):
                at = keep_at
                series.frames = [f for g in at for f in g]
                if pol == "drop":
                    series.dropped.extend(extra_frames)
                else:
                    other = Series(extra_frames, "duplicate position", dict(series.key))
                    spawned.append(other)
        counts = [len(g) for g in at]
        n = max(counts)
    if n > 1:
        dims = _volume_keys(at)
    else:
        dims = []
        for g in at:
            g[0].attrs["_key"] = ()
    # volumes
    by_key: dict[tuple, list[Frame]] = defaultdict(list)
    for g in at:
        for f in g:
            by_key[f.attrs["_key"]].append(f)
    nslices = len(at)
    complete = {k: v for k, v in by_key.items() if len(v) == nslices}
    incomplete = {k: v for k, v in by_key.items() if len(v) != nslices}
    if incomplete:
        pol = policy["incomplete_volume"]
        series.diagnostics.append(Diagnostic(
            "incomplete_volume", pol,
            f"{len(incomplete)} volume(s) have fewer than {nslices} slices",
            {"volumes": len(incomplete), "slices": sorted(len(v) for v in incomplete.values())}))
        if pol in ("drop", "split", "warn"):
            series.dropped.extend(f for v in incomplete.values() for f in v)
            series.frames = [f for v in complete.values() for f in v]
    # Order of volumes: by value for echo, temporal position, trigger delay,
    # acquisition and Dimension Index values; in acquisition order for
    # diffusion (the scanner's gradient table order) and repetitions.
    first_seen = {k: min(f.order for f in v) for k, v in complete.items()}
    by_value = [name not in ("diffusion", "repetition") for name in dims]

    def component_rank(j: int, value: Any, key: tuple) -> tuple:
        if by_value[j] and value is not None:
            try:
                return (0, float(value) if not isinstance(value, tuple) else value, first_seen[key])
            except (TypeError, ValueError):
                pass
        return (1, first_seen[key])

    keys = sorted(complete, key=lambda k: tuple(component_rank(j, v, k) for j, v in enumerate(k)))
    grid: tuple[int, ...] = (len(keys),) if dims else ()
    if len(dims) > 1:
        # a full product of the dims' values is an N-D grid; otherwise one combined axis
        axes = []
        for j in range(len(dims)):
            values: dict[Any, None] = {}
            for k in keys:
                values.setdefault(k[j], None)
            axes.append(list(values))
        for j in range(len(dims)):
            def rank(v: Any, j: int = j) -> Any:
                return component_rank(j, v, next(k for k in keys if k[j] == v))

            order = {v: i for i, v in enumerate(sorted(axes[j], key=rank))}
            axes[j].sort(key=order.__getitem__)
        product = [tuple(c) for c in np.array(np.meshgrid(*[range(len(a)) for a in axes], indexing="ij"))
                   .reshape(len(dims), -1).T]
        full = [tuple(axes[j][i] for j, i in enumerate(c)) for c in product]
        if len(full) == len(keys) and all(k in complete for k in full):
            keys, grid = full, tuple(len(a) for a in axes)
        else:
            dims = ["+".join(dims)]
    series._grid = grid
    series.dims = dims
    vols = []
    for i, k in enumerate(keys):
        vf = sorted(complete[k], key=lambda f: f._d)
        labels = {dims[0]: k} if len(dims) == 1 and "+" in dims[0] else dict(zip(dims, k))
        idx = np.unravel_index(i, grid) if grid else ()
        vols.append(Volume(series, tuple(int(x) for x in idx), labels, vf))
    series.volumes = vols
    if vols:
        runs = _geometry_diagnostics(series, [f._d for f in vols[0].frames], vols[0].frames, normal, policy)
        if runs:
            spawned.extend(_split_runs(series, runs, policy))
    return spawned


def _split_runs(series: Series, runs: list[tuple[str, str, float, float]], policy: dict[str, str]) -> list[Series]:
    """Apply a ``split`` or ``drop`` policy of a gap or of non-uniform spacing:
    the stack is cut into runs of regular spacing. ``split`` keeps the first
    run and makes a series of each other one; ``drop`` keeps the longest."""
    kind, pol = runs[0][0], runs[0][1]
    members: list[list[Frame]] = [[] for _ in runs]
    for f in series.frames:
        for i, (_, _, lo, hi) in enumerate(runs):
            if lo - POSITION_TOLERANCE <= f._d <= hi + POSITION_TOLERANCE:
                members[i].append(f)
                break
    keep = 0 if pol == "split" else max(range(len(runs)), key=lambda i: len(members[i]))
    # the runs are regular by construction: rebuilt without cutting again
    calm = dict(policy, gap="warn", nonuniform_spacing="warn")
    spawned: list[Series] = []
    diagnostics = series.diagnostics
    series.frames = members[keep]
    series.volumes, series.dims, series._grid, series.diagnostics = [], [], (), []
    spawned.extend(_build(series, calm))
    series.diagnostics = diagnostics + series.diagnostics
    for i, group in enumerate(members):
        if i == keep or not group:
            continue
        if pol == "drop":
            series.dropped.extend(group)
            continue
        other = Series(group, kind.replace("_", " "), dict(series.key))
        spawned.extend(_build(other, calm))
        spawned.append(other)
    return spawned


def _geometry_diagnostics(series: Series, d: list[float], frames: list[Frame], normal: np.ndarray,
                          policy: dict[str, str]) -> list[tuple[str, str, float, float]]:
    """Gap, spacing and tilt diagnostics of one volume's slice positions `d`.

    Returns, when the gap or spacing policy is ``split`` or ``drop``, the runs
    of regular spacing as (kind, policy, first position, last position).
    """
    if len(d) < 2:
        return []
    steps = np.diff(d)
    ordered = np.sort(steps)  # the median, without numpy.median's lazy import of numpy.ma
    med = float(ordered[(len(ordered) - 1) // 2] + ordered[len(ordered) // 2]) / 2
    if med <= 0:
        return []
    tol = max(SPACING_TOLERANCE * med, 1e-3)
    off = np.abs(steps - med) > tol
    runs: list[tuple[str, str, float, float]] = []
    if off.any():
        ratio = steps / med
        gaps = (ratio > 1.5) & (np.abs(ratio - np.round(ratio)) < 0.1)
        others = off & ~gaps
        if gaps.any() and not others.any():
            expected = int(round((d[-1] - d[0]) / med)) + 1
            pol = policy["gap"]
            series.diagnostics.append(Diagnostic(
                "gap", pol, f"missing slices: {len(d)} found, {expected} expected at {med:.4g} mm",
                {"found": len(d), "expected": expected, "spacing": med,
                 "after_slices": [int(i) for i in np.nonzero(gaps)[0]]}))
            kind = "gap"
        else:
            pol = policy["nonuniform_spacing"]
            series.diagnostics.append(Diagnostic(
                "nonuniform_spacing", pol,
                f"slice spacing varies from {steps.min():.4g} to {steps.max():.4g} mm",
                {"min": float(steps.min()), "max": float(steps.max()), "median": med,
                 "steps": [float(s) for s in steps]}))
            kind = "nonuniform_spacing"
        if pol in ("split", "drop"):
            start = 0
            for i in [int(i) for i in np.nonzero(off)[0]] + [len(d) - 1]:
                runs.append((kind, pol, d[start], d[i]))
                start = i + 1
    # gantry tilt: the stack's step vector against the normal
    first, last = frames[0].position, frames[-1].position
    assert first is not None and last is not None  # a volume's frames have positions
    span = last - first
    length = float(np.linalg.norm(span))
    if length > 0:
        cosang = abs(float(np.dot(span, normal))) / length
        angle = math.degrees(math.acos(min(1.0, cosang)))
        if angle > TILT_TOLERANCE:
            pol = policy["gantry_tilt"]
            tilt = _float(_value(frames[0], "GantryDetectorTilt"))
            series.diagnostics.append(Diagnostic(
                "gantry_tilt", pol, f"slices are sheared by {angle:.3g} degrees (GantryDetectorTilt {tilt})",
                {"angle": angle, "gantry_detector_tilt": tilt}))
    return runs


# -- pixels ----------------------------------------------------------------------
def _source_key(f: Frame) -> Any:
    return f.path if f.path is not None else id(f._header)


def _decode_source(frames: list[Frame]) -> dict[int, np.ndarray]:
    """Decode the frames of one file; returns id(frame) -> 2-D array."""
    f0 = frames[0]
    if not f0._header.transfer_syntax:
        # no File Meta (a bare dataset, in a file or in memory): the Dataset's own
        # pixel_array, which decodes with the encoding the dataset was read in
        src: Any = _BareSource(f0)
    elif f0.path is not None:
        src = f0.path
        if src.endswith(".gz"):
            with gzip.open(src, "rb") as fh:
                src = io.BytesIO(fh.read())
    else:
        src = f0.dataset
    out: dict[int, np.ndarray] = {}
    indices = sorted({f.frame_index for f in frames if f.frame_index is not None})
    try:
        if indices:
            nframes = int(_float(f0._header.get("NumberOfFrames")) or 1)
            if len(indices) * 2 > nframes:
                whole = _pixel_array(src)
                if whole.ndim == 2 or (whole.ndim == 3 and nframes == 1 and whole.shape[-1] in (3, 4)
                                       and (_float(f0._header.get("SamplesPerPixel")) or 1) > 1):
                    whole = whole[None]
                arrays = {i: whole[i] for i in indices}
            else:
                arrays = {i: _pixel_array(src, index=i) for i in indices}
            for f in frames:
                out[id(f)] = arrays[f.frame_index] if f.frame_index is not None else arrays[indices[0]]
            if any(f.mosaic_index is not None for f in frames):
                out = {id(f): _tile(out[id(f)], f) for f in frames}
            return out
        whole = _pixel_array(src)
    except Exception as exc:
        where = f0.path or "<dataset>"
        raise SeriesError(f"{where}: cannot decode the pixel data: {exc}") from exc
    for f in frames:
        out[id(f)] = _tile(whole, f) if f.mosaic_index is not None else whole
    return out


class _BareSource:
    """A dataset without File Meta: decoded through ``Dataset.pixel_array``."""

    def __init__(self, frame: Frame) -> None:
        self.frame = frame


def _pixel_array(src: Any, index: int | None = None) -> np.ndarray:
    """fastdicom's pixel pipeline on a path, file-like or dataset (one frame with `index`)."""
    if isinstance(src, _BareSource):
        f = src.frame
        ds = dcmread(f.path) if f.path is not None and not f.path.endswith(".gz") else (
            _read(f.path, stop_before_pixels=False) if f.path is not None else f.dataset)
        arr = ds.pixel_array
        nframes = int(_float(f._header.get("NumberOfFrames")) or 1)
        return arr if index is None or nframes == 1 else arr[index]
    # The pixel pipeline (its decoders, codecs and Pillow) is imported when
    # pixels are first asked for: grouping never needs it, and it is a third
    # of the start-up of 'fastdicom series' (fastdicom.pixels is below this
    # module, so the import keeps to the layering)
    from fastdicom.pixels.pipeline import pixel_array as pipeline_pixel_array

    return pipeline_pixel_array(src) if index is None else pipeline_pixel_array(src, index=index)


def _tile(mosaic: np.ndarray, f: Frame) -> np.ndarray:
    """Tile `f.mosaic_index` of a mosaic image (tiles row by row)."""
    side = mosaic.shape[1] // f.columns
    r, c = divmod(f.mosaic_index or 0, side)
    return mosaic[r * f.rows:(r + 1) * f.rows, c * f.columns:(c + 1) * f.columns]


def _is_compressed(f: Frame) -> bool:
    uid = f._header.transfer_syntax
    return bool(uid) and uid not in _NATIVE_SYNTAXES


def _load(frames: list[Frame], threads: int | None) -> np.ndarray:
    """Stack the pixels of `frames` (each file decoded once)."""
    by_source: dict[Any, list[Frame]] = {}
    for f in frames:
        by_source.setdefault(_source_key(f), []).append(f)
    groups = list(by_source.values())
    decoded: dict[int, np.ndarray] = {}
    workers = threads if threads is not None else (os.cpu_count() or 1)
    if workers > 1 and len(groups) > 1 and _is_compressed(frames[0]):
        with ThreadPoolExecutor(max_workers=workers) as pool:
            for part in pool.map(_decode_source, groups):
                decoded.update(part)
    else:
        for g in groups:
            decoded.update(_decode_source(g))
    arrays = [decoded[id(f)] for f in frames]
    shapes = {a.shape for a in arrays}
    if len(shapes) > 1:
        raise SeriesError(f"frames of different shapes cannot be stacked: {sorted(shapes)}")
    return np.stack(arrays)


# -- entry point --------------------------------------------------------------------
def _headers(sources: Iterator[str | Dataset]) -> Iterator[tuple[str | Dataset, _Header | None]]:
    """Each source with its header from the compiled batch path, or None
    (the Python path reads it). The sources are taken a batch at a time (a
    directory walk streams), and the next batch is extracted on a second
    thread while this one is turned into headers: the extractor releases the
    GIL, so on two cores file reading overlaps the Python work."""

    def take() -> list[str | Dataset]:
        return list(itertools.islice(sources, _BATCH_FILES))

    def extract(chunk: list[str | Dataset]) -> tuple[list[str], dict[str, Any] | None]:
        paths = [s for s in chunk if isinstance(s, str) and not s.endswith(".gz")]
        try:
            return paths, (_extract_batch(paths) if paths else None)
        except Exception:  # MemoryError for the batch: the Python path reads each file
            return paths, None

    chunk = take()
    if not chunk:
        return
    with ThreadPoolExecutor(max_workers=1) as pool:
        pending = pool.submit(extract, chunk)
        while chunk:
            paths, raw = pending.result()
            current, chunk = chunk, take()
            if chunk:
                pending = pool.submit(extract, chunk)
            headers: list[_Header | None] = []
            if raw is not None:
                try:
                    headers = _batch_headers(paths, raw)
                except Exception:  # never lose a file to the fast path: the Python path reads it
                    headers = [None] * len(paths)
            it = iter(headers)
            for src in current:
                quick = next(it, None) if isinstance(src, str) and not src.endswith(".gz") else None
                yield src, quick


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector during a scan.

    A scan makes a few objects per file (header, frames, their attributes,
    then series and volumes) that all stay alive, so the collector frees
    nothing, but as their number grows each of its full passes walks them all
    again: 40% of the CPU time of a scan of a 10,000-file tree. Reference
    counting still frees the temporaries at once; the collector is resumed
    (when it was on) as the scan leaves this block, even on error, and then
    collects whatever cycles were made meanwhile.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _read_frames(sources: Any, progress: Callable[[int, str], None] | None
                 ) -> tuple[dict[tuple[str, str], list[Frame]], list[FileFailure]]:
    """The frames of every source, by (StudyInstanceUID, SeriesInstanceUID), and the failures."""
    failures: list[FileFailure] = []
    by_series: dict[tuple[str, str], list[Frame]] = {}
    for i, (src, quick) in enumerate(_headers(_iter_sources(sources))):
        path = None if isinstance(src, Dataset) else src
        try:
            if quick is not None:
                header = quick
            else:
                header = _Header(None, src) if isinstance(src, Dataset) else _quick_header(src)
            frames = _frames_of(path, header, i)
        except Exception as exc:  # one bad file never stops a directory-scale job
            failures.append(FileFailure(str(path), f"{type(exc).__name__}: {exc}"))
        else:
            if frames:
                key = (_text(header, "StudyInstanceUID"), _text(header, "SeriesInstanceUID"))
                by_series.setdefault(key, []).extend(frames)
            else:
                failures.append(FileFailure(str(path or "<dataset>"), "no image (no Rows, Columns or Pixel Data)", "no_image"))
        if progress is not None:
            progress(i + 1, str(path or "<dataset>"))
    return by_series, failures


def _group_series(by_series: dict[tuple[str, str], list[Frame]], pol: dict[str, str]) -> list[Study]:
    """Studies of series of volumes from the frames of each SeriesInstanceUID."""
    studies: dict[str, list[Series]] = {}
    for (study_uid, _), frames in by_series.items():
        for members, reason, key, diags, dropped in _split(frames, pol):
            todo = [Series(members, reason, key)]
            todo[0].diagnostics.extend(diags)
            todo[0].dropped.extend(dropped)
            while todo:
                s = todo.pop(0)
                try:
                    todo.extend(_build(s, pol))
                except Exception as exc:
                    s.diagnostics.append(Diagnostic("unstackable", "error", f"{type(exc).__name__}: {exc}"))
                studies.setdefault(study_uid, []).append(s)
    out_studies = []
    for uid, series in studies.items():
        series.sort(key=lambda s: (s.number if s.number is not None else 1 << 30, s.uid, s.split_reason or ""))
        out_studies.append(Study(uid, series))
    out_studies.sort(key=lambda st: (st.date, st.uid))
    return out_studies


def scan(
    sources: Any,
    *,
    policy: dict[str, str] | None = None,
    progress: Callable[[int, str], None] | None = None,
) -> ScanResult:
    """Group DICOM images into studies, series and volumes.

    Parameters
    ----------
    sources : path, Dataset or iterable of them
        Files, directories (walked recursively, in sorted order; gzipped
        files ``*.gz`` are read too) and in-memory datasets.
    policy : dict, optional
        Diagnostic kind -> ``"error"``, ``"warn"``, ``"split"`` or ``"drop"``,
        overriding :data:`DEFAULT_POLICY`.
    progress : callable, optional
        Called as ``progress(files_done, path)`` after each file.

    Returns
    -------
    ScanResult
        Never raises for a bad file: it goes to ``failures``.

    Examples
    --------
    >>> result = scan("/data/study")                        # doctest: +SKIP
    >>> for s in result.series:                             # doctest: +SKIP
    ...     print(s.number, s.description, s.shape, s.dims, s.diagnostics)
    >>> arr, affine = s.volume(), s.affine_ras              # doctest: +SKIP
    """
    pol = dict(DEFAULT_POLICY)
    if policy:
        for kind, value in policy.items():
            if value not in POLICIES:
                raise ValueError(f"policy for {kind!r} must be one of {POLICIES}, not {value!r}")
            pol[kind] = value
    with _collector_paused():
        by_series, failures = _read_frames(sources, progress)
        out_studies = _group_series(by_series, pol)
    return ScanResult(out_studies, [s for st in out_studies for s in st.series], failures)
