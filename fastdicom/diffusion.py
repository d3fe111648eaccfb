"""Diffusion MRI: b-values and gradient directions per volume, and FSL ``.bval``/``.bvec`` files.

Where each vendor stores them
-----------------------------
* **Standard** (PS3.3 §C.8.13.5.9 MR Diffusion Macro): Diffusion b-value
  (0018,9087) and Diffusion Gradient Orientation (0018,9089), in the patient
  (LPS) frame; in enhanced objects inside the per-frame (or shared) MR
  Diffusion Sequence (0018,9117), with Diffusion Directionality (0018,9075)
  (``ISOTROPIC`` marks a derived trace image) and an optional Diffusion
  B-matrix Sequence (0018,9601). Used by Siemens XA enhanced, Philips,
  Canon/Toshiba, UIH and GE when present.
* **Siemens** (classic and mosaic): the CSA image header (0029,xx10)
  elements ``B_value`` and ``DiffusionGradientDirection`` (LPS; absent for
  b = 0), see :mod:`fastdicom.csa`. A mosaic holds one whole volume.
* **GE**: (0043,xx39) first value is the b-value (some releases add 10^9);
  (0019,xxbb), (0019,xxbc), (0019,xxbd) the gradient in the scanner's
  logical frame, which needs the in-plane phase-encoding direction (0018,1312)
  and the slice axis to reach the image frame (the rules of dcm2niix's
  ``geCorrectBvecs``, after Xiangrui Li's dicm2nii). b > 0 with a zero
  vector is a trace image when the series has no directions (0019,xxe0 = 0),
  else a b = 0. A vector shorter than 1 scales the b-value by its squared
  length (rounded to 5 s/mm², as dcm2niix).
* **Canon/Toshiba**: the standard elements at the top level (LPS).
* **Philips**: b-value (2001,1003), direction (2005,10b0/b1/b2) = (RL, AP,
  FH) in LPS; a volume with b > 0 and a zero direction is the scanner's
  derived isotropic (trace/ADC) image, listed in
  :attr:`DiffusionTable.excluded` and left out of the table.
* **UIH**: b-value (0065,1009), gradient (0065,1037) in the image frame
  (dcm2niix writes it with y negated and nothing else, which
  :func:`fsl_vectors` reproduces). dcm2niix ignores (0018,9089) for UIH and
  writes zero vectors when (0065,1037) is absent; fastdicom then rotates the
  standard LPS vector like any other vendor's (a deliberate difference).

When no direction exists but a B-matrix does, the direction is the main
eigenvector of the B-matrix: its sign is unknown, so
:attr:`DiffusionTable.polarity_unknown` is set and :func:`write_fsl` writes
``.mvec`` (dcm2niix's name for such vectors) instead of ``.bvec``.

As dcm2niix, no table is made when neither b-values nor directions vary; an
original series typed DIFFUSION without any weighting (a b = 0 run for
topup) gets an all-zero table.

Frames
------
Every direction is returned in two frames:

* ``bvecs_lps``: the patient frame of DICOM (x to the patient's left, y
  posterior, z head).
* ``bvecs_image``: the axes of the array :mod:`fastdicom.series` returns,
  ``(slice, row, column)``, i.e. components along the unit columns of
  ``series.affine_lps[:3, :3]``.

:func:`fsl_vectors` gives the FSL ``.bvec`` of the NIfTI dcm2niix writes
(first axis along the row direction, second against the column direction —
dcm2niix flips rows on disk — third along the cross product; for Siemens
mosaics whose CSA SliceNormalVector opposes row × column, which dcm2niix
stacks along that vector, the second is not negated), with dcm2niix's
conventions kept so that the files compare number by number: b ≈ 0 volumes
keep the vector as stored (not rotated, **dcm2niix's b ≈ 0 quirk**: a b = 0
volume whose scanner wrote 0.57735×3 keeps it, while ``bvecs_image`` rotates
it like any vector), ``-0`` is written ``0``, and values use ``%g``.
"""

from __future__ import annotations

import math
import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from fastdicom.config import logger
from fastdicom.csa import CSAError, csa_value, read_csa

__all__ = [
    "DiffusionInfo",
    "DiffusionTable",
    "frame_diffusion",
    "series_diffusion",
    "fsl_vectors",
    "write_fsl",
    "is_diffusion_series",
]

#: b-values at or below this (s/mm²) count as b = 0 (float noise of FL values).
B0_EPSILON = 1.1920929e-07  # FLT_EPSILON, the threshold dcm2niix uses


@dataclass
class DiffusionInfo:
    """Diffusion encoding of one frame (or one mosaic/volume).

    Attributes
    ----------
    bvalue : float or None
        s/mm²; None when the frame carries no diffusion information.
    direction : numpy.ndarray or None
        (3,) gradient direction in LPS as stored (None: none stored).
    source : str
        ``"standard"``, ``"siemens-csa"``, ``"ge"``, ``"philips"``, ``"bmatrix"``.
    derived : bool
        A scanner-derived isotropic/trace/ADC image (b > 0, no direction).
    from_bmatrix : bool
        The direction comes from a B-matrix: its polarity is unknown.
    stored_image : numpy.ndarray or None
        A vector stored in an image-related frame rather than LPS: GE's
        (0019,xxbb/bc/bd) (scanner logical frame), UIH's (0065,1037).
    """

    bvalue: float | None = None
    direction: np.ndarray | None = None
    source: str = ""
    derived: bool = False
    from_bmatrix: bool = False
    stored_image: np.ndarray | None = None


@dataclass
class DiffusionTable:
    """The diffusion encoding of a series, one row per kept volume.

    Attributes
    ----------
    bvals : numpy.ndarray
        (n,) s/mm².
    bvecs_lps : numpy.ndarray
        (n, 3) unit directions in LPS (zeros where none: b = 0).
    bvecs_image : numpy.ndarray
        (n, 3) the same in the array's (slice, row, column) axes.
    volumes : list of int
        Index in ``series.volumes`` of each row.
    excluded : list of tuple(int, str)
        Volumes left out (derived isotropic/ADC), with the reason.
    polarity_unknown : bool
        Some directions come from a B-matrix (sign unknown).
    manufacturer : str
    infos : list of DiffusionInfo
        The per-volume records behind the rows.
    orientation : numpy.ndarray
        (6,) ImageOrientationPatient of the series.
    negative_determinant : bool
        Siemens mosaic whose CSA SliceNormalVector opposes row × column.
    phase_encoding : str
        InPlanePhaseEncodingDirection (0018,1312), ``"ROW"`` or ``"COL"``.
    isotropic : bool
        Every volume is a derived isotropic image: the b-values are written,
        no ``.bvec`` (as dcm2niix, its issue 405).
    fsl_direct : numpy.ndarray or None
        (n, 3) FSL vectors computed straight from a vendor's image-frame
        vector (GE, UIH) by dcm2niix's rules; rows of other sources unused.
    """

    bvals: np.ndarray
    bvecs_lps: np.ndarray
    bvecs_image: np.ndarray
    volumes: list[int]
    excluded: list[tuple[int, str]] = field(default_factory=list)
    polarity_unknown: bool = False
    manufacturer: str = ""
    infos: list[DiffusionInfo] = field(default_factory=list)
    orientation: np.ndarray = field(default_factory=lambda: np.array([1.0, 0, 0, 0, 1, 0]))
    negative_determinant: bool = False
    phase_encoding: str = ""
    isotropic: bool = False
    fsl_direct: np.ndarray | None = None

    def __len__(self) -> int:
        return len(self.bvals)


# --------------------------------------------------------------------------- per frame


def _manufacturer(ds: Any) -> str:
    """dcm2niix's vendor families from Manufacturer (0008,0070)."""
    text = str(ds.get("Manufacturer") or "").upper()
    for key, name in (("SIEMENS", "siemens"), ("GE ", "ge"), ("GE_", "ge"), ("PHILIPS", "philips"),
                      ("TOSHIBA", "canon"), ("CANON", "canon"), ("UIH", "uih"), ("UNITED IMAGING", "uih"),
                      ("BRUKER", "bruker"), ("HITACHI", "hitachi")):
        if key in text + " ":
            return name
    if text.startswith("GE"):
        return "ge"
    return text.lower()


def _private(ds: Any, group: int, creator: str, element: int) -> Any:
    """Value of private element (group, xx<element>) reserved by ``creator``, or None."""
    creator = creator.upper()
    for block in range(0x10, 0x100):
        tag = (group << 16) | block
        if tag not in ds:
            continue
        value = ds[tag].value
        if isinstance(value, bytes):
            value = value.decode("latin-1")
        if isinstance(value, str) and value.strip().upper() == creator:
            full = (group << 16) | (block << 8) | element
            if full in ds:
                return ds[full].value
    return None


def _floats(value: Any, n: int) -> np.ndarray | None:
    if value is None:
        return None
    if isinstance(value, (bytes, bytearray)):
        return None
    if isinstance(value, str) or not isinstance(value, Sequence) and not hasattr(value, "__len__"):
        value = [value]
    try:
        out = np.array([float(v) for v in value], dtype=float)
    except (TypeError, ValueError):
        return None
    if out.shape != (n,) or not np.all(np.isfinite(out)):
        return None
    return out


def _float(value: Any) -> float | None:
    if value is None or isinstance(value, (bytes, bytearray)):
        return None
    if not isinstance(value, str) and hasattr(value, "__len__"):
        if len(value) == 0:
            return None
        value = value[0]
    try:
        out = float(value)
    except (TypeError, ValueError):
        return None
    return out if math.isfinite(out) else None


def _bmatrix_direction(seq_item: Any) -> np.ndarray | None:
    """Main eigenvector of a Diffusion B-matrix Sequence item (sign unknown)."""
    names = ("DiffusionBValueXX", "DiffusionBValueXY", "DiffusionBValueXZ",
             "DiffusionBValueYY", "DiffusionBValueYZ", "DiffusionBValueZZ")
    vals = [v for v in (_float(seq_item.get(n)) for n in names) if v is not None]
    if len(vals) < 6 or any(abs(v) > 1e7 for v in vals):
        return None  # Philips writes 7.23e75 as "not set"
    xx, xy, xz, yy, yz, zz = vals
    m = np.array([[xx, xy, xz], [xy, yy, yz], [xz, yz, zz]], dtype=float)
    if not np.any(m):
        return None
    w, v = np.linalg.eigh(m)
    vec = v[:, int(np.argmax(w))]
    # a fixed sign convention: largest component positive
    if vec[int(np.argmax(np.abs(vec)))] < 0:
        vec = -vec
    return vec


def _standard(container: Any) -> DiffusionInfo | None:
    """The MR Diffusion macro in ``container`` (a dataset or an MR Diffusion Sequence item)."""
    b = _float(container.get("DiffusionBValue"))
    bm = container.get("DiffusionBMatrixSequence")
    if b is None and bm:  # the b-value is the trace of the B-matrix
        diag = [_float(bm[0].get(n)) for n in ("DiffusionBValueXX", "DiffusionBValueYY", "DiffusionBValueZZ")]
        if all(v is not None and abs(v) < 1e7 for v in diag):
            b = float(sum(diag))  # type: ignore[arg-type]
    direction = None
    seq = container.get("DiffusionGradientDirectionSequence")
    if seq:
        direction = _floats(seq[0].get("DiffusionGradientOrientation"), 3)
    if direction is None:
        direction = _floats(container.get("DiffusionGradientOrientation"), 3)
    if b is None and direction is None:
        return None
    info = DiffusionInfo(bvalue=b, direction=direction, source="standard")
    directionality = str(container.get("DiffusionDirectionality") or "").upper()
    if directionality == "ISOTROPIC" and b is not None and b > B0_EPSILON:
        info.derived = True
    if direction is None and b is not None and b > B0_EPSILON:
        if bm:
            vec = _bmatrix_direction(bm[0])
            if vec is not None:
                info.direction = vec
                info.from_bmatrix = True
                info.source = "bmatrix"
    return info


def frame_diffusion(dataset: Any, frame_index: int | None = None,
                    functional_groups: dict[str, Any] | None = None) -> DiffusionInfo:
    """The diffusion encoding of one image (or one frame of an enhanced image).

    Works on a single dataset, without :mod:`fastdicom.series`.

    Parameters
    ----------
    dataset : Dataset
        The image header (pixel data not needed).
    frame_index : int, optional
        0-based frame of an enhanced multi-frame dataset.
    functional_groups : dict, optional
        The frame's merged functional groups (keyword -> item), as
        :attr:`fastdicom.series.Frame.functional_groups` gives them; built
        from the dataset when omitted.

    Returns
    -------
    DiffusionInfo
        ``bvalue`` None when the image has no diffusion information.

    Raises
    ------
    fastdicom.csa.CSAError
        A damaged Siemens CSA header.
    """
    maker = _manufacturer(dataset)
    # 1. enhanced: the frame's MR Diffusion Sequence (per-frame over shared)
    item = None
    if functional_groups:
        item = functional_groups.get("MRDiffusionSequence")
    elif frame_index is not None:
        for name in ("PerFrameFunctionalGroupsSequence", "SharedFunctionalGroupsSequence"):
            groups = dataset.get(name)
            if not groups:
                continue
            idx = frame_index if name.startswith("PerFrame") else 0
            if idx >= len(groups):
                continue
            seq = groups[idx].get("MRDiffusionSequence")
            if seq:
                item = seq[0]
                break
    if item is not None:
        info = _standard(item)
        if info is not None:
            if info.direction is None and maker == "siemens":
                _siemens_csa(dataset, frame_index, info)
            return info
    # 2. vendor private elements of classic images
    if maker == "siemens":
        info = DiffusionInfo()
        _siemens_csa(dataset, frame_index, info)
        if info.bvalue is not None:
            std = _standard(dataset)
            if info.direction is None and std is not None and std.direction is not None and info.bvalue > B0_EPSILON:
                info.direction = std.direction
            return info
    if maker == "ge":
        info = _ge(dataset)
        if info is not None:
            return info
    if maker == "philips":
        info = _philips(dataset)
        if info is not None:
            return info
    if maker == "uih":
        info = _uih(dataset)
        if info is not None:
            return info
    # 3. the standard elements at the top level (Canon/Toshiba, UIH, others)
    info = _standard(dataset)
    return info if info is not None else DiffusionInfo()


def _siemens_csa(dataset: Any, frame_index: int | None, info: DiffusionInfo) -> None:
    header = read_csa(dataset, "image", frame_index)
    if not header:
        return
    b = csa_value(header, "B_value")
    if b is None:
        return
    info.bvalue = float(b)
    info.source = "siemens-csa"
    vec = header.get("DiffusionGradientDirection")
    info.direction = _floats(vec, 3) if vec else None
    if info.direction is None:
        bm = header.get("B_matrix")
        if bm and len(bm) == 6:
            item = dict(zip(("DiffusionBValueXX", "DiffusionBValueXY", "DiffusionBValueXZ",
                             "DiffusionBValueYY", "DiffusionBValueYZ", "DiffusionBValueZZ"), bm))
            vec2 = _bmatrix_direction(item)
            if vec2 is not None and info.bvalue > B0_EPSILON:
                info.direction = vec2
                info.from_bmatrix = True


def _ge(dataset: Any) -> DiffusionInfo | None:
    raw = _private(dataset, 0x0043, "GEMS_PARM_01", 0x39)
    b = _float(raw)
    if b is None:
        b = _float(dataset.get("DiffusionBValue"))
        if b is None:
            return None
    # some releases add 10^9 to mark the b-value field as set
    if b >= 1e9:
        b = math.fmod(b, 1e9)
    logical = []
    for element in (0xBB, 0xBC, 0xBD):
        logical.append(_float(_private(dataset, 0x0019, "GEMS_ACQU_01", element)))
    info = DiffusionInfo(bvalue=b, source="ge")
    if all(v is not None for v in logical):
        info.stored_image = np.array(logical, dtype=float)
    return info


def _philips(dataset: Any) -> DiffusionInfo | None:
    b = _float(_private(dataset, 0x2001, "Philips Imaging DD 001", 0x03))
    if b is None:
        b = _float(dataset.get("DiffusionBValue"))
    if b is None:
        return None
    vec = [_float(_private(dataset, 0x2005, "Philips MR Imaging DD 001", e)) for e in (0xB0, 0xB1, 0xB2)]
    direction = np.array(vec, dtype=float) if all(v is not None for v in vec) else None
    if direction is None:
        direction = _floats(dataset.get("DiffusionGradientOrientation"), 3)
    info = DiffusionInfo(bvalue=b, direction=direction, source="philips")
    label = str(_private(dataset, 0x2001, "Philips Imaging DD 001", 0x04) or "").strip().upper()
    if b > B0_EPSILON and (label == "I" or direction is None or not np.any(direction)):
        info.derived = True  # the scanner's isotropic (trace) image
    return info


def _uih(dataset: Any) -> DiffusionInfo | None:
    """UIH: b-value (0065,1009) FD and gradient (0065,1037) FD, read at the
    tags dcm2niix reads (private block 10); the vector is in the image frame
    (row, column, slice axes), which dcm2niix writes with y negated only."""
    b = _float(dataset.get(0x00651009).value) if 0x00651009 in dataset else None
    if b is None:
        b = _float(dataset.get("DiffusionBValue"))
    if b is None:
        return None
    vec = _floats(dataset[0x00651037].value, 3) if 0x00651037 in dataset else None
    info = DiffusionInfo(bvalue=b, source="uih")
    if vec is not None:
        info.stored_image = vec  # stored in the image frame, like GE's
    else:
        info.direction = _floats(dataset.get("DiffusionGradientOrientation"), 3)
    return info


# --------------------------------------------------------------------------- frames


def _unit(v: np.ndarray) -> np.ndarray:
    n = float(np.linalg.norm(v))
    return v / n if n > 0 else v


def _ge_fsl(logical: np.ndarray, b: float, col: bool, slice_dir: int) -> tuple[np.ndarray, float]:
    """dcm2niix's GE rule: the logical-frame vector to the FSL image frame.

    The stored vector is (phase?, freq?, slice) in the scanner's logical frame;
    for COL phase encoding it is already in the row/column axes, for ROW the
    first two swap. Components are then flipped per slice axis (sagittal:
    x, y; coronal: y, z; axial: z; the z flip toggled when the slices run
    against the axis), y negated for the row flip, and all negated (dcm2niix
    matches its older releases' polarity). Returns the vector and the b-value
    (rescaled when the vector's norm encodes the b-value, |g|² · b).
    """
    v = np.array(logical, dtype=float)
    length = float(np.linalg.norm(v))
    if b <= B0_EPSILON or length <= B0_EPSILON:
        return np.zeros(3), b
    if 0.03 < length < 0.97:  # b scaled by |g|²: round to a multiple of 5
        scaled = b * length * length
        b_new = 5.0 if 0 < scaled < 5 else float(int((scaled + 2.5) / 5) * 5)
        scale = 0.0 if b_new == 0 else math.sqrt(b / b_new)
        v = v * scale
        b = b_new
    if not col:
        v = np.array([v[1], -v[0], v[2]])
    axis = abs(slice_dir)
    flip = {1: [1, 1, 0], 2: [0, 1, 1], 3: [0, 0, 1]}.get(axis, [0, 0, 1])
    if slice_dir < 0:
        flip[2] = 1 - flip[2]
    for k in range(3):
        if flip[k]:
            v[k] = -v[k]
    v[1] = -v[1]
    return -v, b


def _slice_dir(orientation: np.ndarray, positions_ascending: bool = True) -> int:
    """dcm2niix's slice direction: 1 sagittal, 2 coronal, 3 axial (axis of the largest normal component)."""
    n = np.cross(orientation[:3], orientation[3:])
    axis = int(np.argmax(np.abs(n)))
    return (axis + 1) * (1 if positions_ascending else -1)


def _image_frame(orientation: np.ndarray) -> np.ndarray:
    """Rows: the unit row direction r, column direction c and normal n = r × c."""
    r = _unit(np.asarray(orientation[:3], dtype=float))
    c = _unit(np.asarray(orientation[3:6], dtype=float))
    n = _unit(np.cross(r, c))
    return np.vstack([r, c, n])


def fsl_vectors(table: DiffusionTable) -> np.ndarray:
    """The ``.bvec`` rows dcm2niix writes for ``table`` (n, 3), FSL image frame.

    Parameters
    ----------
    table : DiffusionTable

    Returns
    -------
    numpy.ndarray
        (n, 3): component along the row direction, minus the component
        along the column direction (dcm2niix's row flip), the component
        along row × column (for Siemens mosaics whose slice normal opposes
        row × column, dcm2niix negates the second instead). b ≈ 0 volumes
        keep their stored vector unrotated, as dcm2niix does.
    """
    out = np.zeros((len(table), 3))
    rcn = _image_frame(table.orientation)
    for i, info in enumerate(table.infos):
        b = float(table.bvals[i])
        if table.fsl_direct is not None and info.source in ("ge", "uih") and info.stored_image is not None:
            out[i] = table.fsl_direct[i]  # vendor rule applied in series_diffusion
            continue
        stored = info.direction if info.direction is not None else np.zeros(3)
        if b <= B0_EPSILON or float(np.linalg.norm(stored)) <= B0_EPSILON:
            out[i] = stored  # dcm2niix's b ≈ 0 quirk: written as stored
            continue
        v = _unit(rcn @ stored)
        v[1] = -v[1]
        if table.negative_determinant:
            v[1] = -v[1]
        out[i] = v
    out[out == 0] = 0.0  # no "-0"
    return out


# --------------------------------------------------------------------------- series


def _raw_vector(info: DiffusionInfo) -> np.ndarray:
    """The vector as the scanner stored it (GE: logical frame), zeros when none."""
    if info.stored_image is not None:
        return info.stored_image
    return info.direction if info.direction is not None else np.zeros(3)


def _volume_info(volume: Any) -> DiffusionInfo:
    frame = volume.frames[0]
    return frame_diffusion(frame.dataset, frame.frame_index, frame.functional_groups or None)


def is_diffusion_series(series: Any) -> bool:
    """Whether a :class:`fastdicom.series.Series` carries diffusion encoding that varies.

    Parameters
    ----------
    series : fastdicom.series.Series

    Returns
    -------
    bool
        True when its volumes carry b-values and either the b-values or the
        directions differ between volumes (dcm2niix writes no bval/bvec
        otherwise).
    """
    try:
        return series_diffusion(series) is not None
    except (CSAError, ValueError):
        return False


def series_diffusion(series: Any) -> DiffusionTable | None:
    """The diffusion table of a series, in its volume order.

    Parameters
    ----------
    series : fastdicom.series.Series
        As :func:`fastdicom.series.scan` returns it.

    Returns
    -------
    DiffusionTable or None
        None when the series has no diffusion encoding, or one that does not
        vary (a single b-value and direction for every volume), as dcm2niix
        writes no files then; except that an original series typed DIFFUSION
        without any diffusion weighting gets an all-zero table (b = 0 series).
    """
    volumes = list(series.volumes)
    if not volumes:
        return None
    infos = [_volume_info(v) for v in volumes]
    first = volumes[0].frames[0]
    ds = first.dataset
    maker = _manufacturer(ds)
    image_type = [str(v).strip().upper() for v in (ds.get("ImageType") or [])]
    # an original image typed DIFFUSION without any b-value or gradient is a
    # b = 0 series (e.g. the reversed phase-encoding b = 0 of topup); dcm2niix
    # writes zeros for it (its issue 352), GE excepted
    unweighted = all(float(i.bvalue or 0.0) == 0.0 and not np.any(_raw_vector(i)) for i in infos)
    if unweighted and "DIFFUSION" in image_type and image_type[:1] != ["DERIVED"] and maker != "ge":
        for info in infos:
            info.bvalue = 0.0
        zeros = np.zeros((len(infos), 3))
        return DiffusionTable(
            bvals=np.zeros(len(infos)), bvecs_lps=zeros, bvecs_image=zeros.copy(), volumes=list(range(len(infos))),
            manufacturer=maker, infos=infos, orientation=np.asarray(
                first.orientation if first.orientation is not None else [1.0, 0, 0, 0, 1, 0], dtype=float),
            phase_encoding=str(ds.get("InPlanePhaseEncodingDirection") or "").upper(),
        )
    if all(i.bvalue is None for i in infos):
        return None
    for info in infos:
        if info.bvalue is None:
            info.bvalue = 0.0
    orientation = first.orientation if first.orientation is not None else np.array([1.0, 0, 0, 0, 1, 0])
    # dcm2niix writes no table when nothing varies (nii_saveDTI): the same
    # b-value for every volume (and none above 50), the first vector zero and
    # the same raw vector everywhere; when only vectors vary, volumes without
    # one are b = 0 (scanners that store b = 0 with the nominal b-value)
    raw = [_raw_vector(i) for i in infos]
    b_all = [float(i.bvalue or 0.0) for i in infos]
    varies = len(set(b_all)) > 1 or min(b_all) > 50.0 or bool(np.any(raw[0]))
    if not varies:
        if len({tuple(v) for v in raw}) < 2:
            return None
        zero = [k for k, v in enumerate(raw) if not np.any(v)]
        if not zero:
            return None
        for k in zero:
            infos[k].bvalue = 0.0
    if maker == "ge":
        # b > 0 with a zero vector: a trace image when the series has no
        # diffusion directions (0019,xxE0 = 0), else a b = 0 (dcm2niix issue 245)
        directions = _float(_private(ds, 0x0019, "GEMS_ACQU_01", 0xE0))
        for info, v in zip(infos, raw):
            if float(info.bvalue or 0.0) > B0_EPSILON and not np.any(v):
                if directions == 0:
                    info.derived = True
                else:
                    info.bvalue = 0.0
    if maker == "philips":
        # Philips marks its derived isotropic image by b > 0 and a zero
        # vector, in classic and enhanced files alike (dcm2niix isADCnotDTI)
        for info, v in zip(infos, raw):
            if float(info.bvalue or 0.0) > B0_EPSILON and not np.any(v):
                info.derived = True
    # derived (isotropic/trace/ADC) volumes are left out as dcm2niix does,
    # except for a b = 0 + trace pair or when fewer than two would remain
    derived = [k for k, i in enumerate(infos) if i.derived]
    isotropic = bool(derived) and len(derived) == len(infos)
    excluded: list[tuple[int, str]] = []
    if derived and not isotropic and not (len(derived) == 1 and len(infos) - 1 < 2) and len(infos) - len(derived) >= 2:
        excluded = [(k, "derived isotropic/ADC image (b > 0 without a direction)") for k in derived]
    dropped = {k for k, _ in excluded}
    keep = [k for k in range(len(infos)) if k not in dropped]
    kept = [infos[k] for k in keep]
    bvals = np.array([float(i.bvalue or 0.0) for i in kept])
    rcn = _image_frame(orientation)
    # the image frame of fastdicom's array: columns of the series affine
    try:
        affine = np.asarray(series.affine_lps, dtype=float)[:3, :3]
        axes = np.column_stack([_unit(affine[:, k]) for k in range(3)])
    except Exception:  # noqa: BLE001 - a series without geometry: use IOP
        axes = np.column_stack([rcn[2], rcn[1], rcn[0]])
    negative = False
    if maker == "siemens" and first.mosaic_index is not None:
        header = read_csa(ds)
        normal = _floats(header.get("SliceNormalVector"), 3) if header else None
        if normal is not None and float(np.dot(normal, rcn[2])) < 0:
            negative = True
    phase = str(ds.get("InPlanePhaseEncodingDirection") or "").upper()
    # dcm2niix sorts the slices of a volume along row x column before this
    # rule, so its slice direction is never negative for classic GE files
    slice_dir = _slice_dir(orientation)
    lps = np.zeros((len(kept), 3))
    fsl_ge = np.zeros((len(kept), 3))
    polarity_unknown = False
    for row, info in enumerate(kept):
        if info.from_bmatrix:
            polarity_unknown = True
        if info.source == "uih" and info.stored_image is not None:
            v = np.array(info.stored_image, dtype=float)
            v[1] = -v[1]  # dcm2niix: UIH vectors only get the row flip
            fsl_ge[row] = v
            g = v[0] * rcn[0] - v[1] * rcn[1] + v[2] * rcn[2]
            lps[row] = _unit(g) if np.any(g) else g
            info.direction = lps[row] if np.any(g) else None
            continue
        if info.source == "ge" and info.stored_image is not None:
            col = phase != "ROW"
            # the same rule whatever PatientPosition (checked against dcm2niix
            # 1.0.20260724 with FFS: older releases left non-HFS vectors as stored)
            v, b = _ge_fsl(info.stored_image, float(info.bvalue or 0.0), col, slice_dir)
            bvals[row] = b
            fsl_ge[row] = v
            # back to LPS through the FSL frame: g = v0 r - v1 c + v2 n
            g = v[0] * rcn[0] - v[1] * rcn[1] + v[2] * rcn[2]
            lps[row] = _unit(g)
            info.direction = lps[row] if np.any(g) else None
            continue
        if info.direction is not None and float(info.bvalue or 0.0) > B0_EPSILON:
            lps[row] = _unit(info.direction)
        elif info.direction is not None:
            lps[row] = info.direction
    image = np.zeros_like(lps)
    for row in range(len(kept)):
        if np.any(lps[row]):
            image[row] = np.linalg.solve(axes, lps[row])
    table = DiffusionTable(
        bvals=bvals, bvecs_lps=lps, bvecs_image=image, volumes=keep, excluded=excluded,
        polarity_unknown=polarity_unknown, manufacturer=maker, infos=kept,
        orientation=np.asarray(orientation, dtype=float), negative_determinant=negative,
        phase_encoding=phase, isotropic=isotropic, fsl_direct=fsl_ge,
    )
    if excluded:
        logger.info("diffusion: %d derived volume(s) left out of series %s", len(excluded), getattr(series, "uid", ""))
    return table


def _g(value: float) -> str:
    """C's ``%g`` (6 significant digits), with ``-0`` written ``0``."""
    text = f"{value:g}"
    return "0" if text in ("-0", "-0.0") else text


def write_fsl(table: DiffusionTable, prefix: str | os.PathLike[str]) -> tuple[str, str]:
    """Write ``<prefix>.bval`` and ``<prefix>.bvec`` as dcm2niix does.

    One line of b-values; three lines of vector components (FSL layout,
    :func:`fsl_vectors`), space separated (dcm2niix's BIDS mode), ``%g``.
    Directions from a B-matrix (polarity unknown) go to ``<prefix>.mvec``
    instead, dcm2niix's name for them, so no pipeline takes them for signed
    vectors; an all-isotropic series gets no vector file.

    Parameters
    ----------
    table : DiffusionTable
    prefix : path-like
        The output path without extension.

    Returns
    -------
    tuple of str
        The two paths written.
    """
    prefix = os.fspath(prefix)
    bval_path = prefix + ".bval"
    bvec_path = prefix + (".mvec" if table.polarity_unknown else ".bvec")
    with open(bval_path, "w", encoding="ascii") as fh:
        fh.write(" ".join(_g(float(b)) for b in table.bvals) + "\n")
    if table.isotropic:  # dcm2niix writes no .bvec for an all-isotropic series
        return bval_path, ""
    vectors = fsl_vectors(table)
    with open(bvec_path, "w", encoding="ascii") as fh:
        for axis in range(3):
            fh.write(" ".join(_g(float(v)) for v in vectors[:, axis]) + "\n")
    return bval_path, bvec_path
