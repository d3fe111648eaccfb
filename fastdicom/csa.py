"""Siemens CSA headers: the private "SIEMENS CSA HEADER" blocks of MR images.

Siemens scanners before the XA software line store most acquisition
parameters that DICOM has no public element for (b-value, diffusion gradient
direction, number of images in a mosaic, slice normal, ...) in two private
OB elements of group 0029 reserved by the private creator
``"SIEMENS CSA HEADER"`` (PS3.5 §7.8.1 private data elements):

* ``(0029,xx10)`` *CSA Image Header Info*, per image;
* ``(0029,xx20)`` *CSA Series Header Info*, per series (holds the
  ``MrPhoenixProtocol`` text).

XA enhanced multi-frame objects may carry the same blocks inside private
sequences of the functional groups; :func:`find_csa` looks there too.

Format (little endian, as written by syngo; there is no public
specification, the layout below is the one GDCM, nibabel and dcm2niix agree
on):

* ``"SV10"`` + 4 bytes (``04 03 02 01``) for the second format (syngo MR
  VB13 and later); absent in the first, older format;
* ``uint32 n_tags``, ``uint32`` check value (77);
* ``n_tags`` times: ``char name[64]`` (NUL terminated), ``int32 vm``,
  ``char vr[4]``, ``int32 syngodt``, ``int32 n_items``, ``int32`` (77 or
  205); then ``n_items`` times: four ``int32`` whose second is the item
  length, then the item bytes padded to a multiple of 4.

Values are text; items beyond the VM (or empty items of numeric VRs) are
padding and dropped.

Every count and length is checked against the bytes present before it is
used, so a damaged header raises :class:`CSAError` naming the offset, and
can neither allocate more than its own size nor loop longer than its size
allows.
"""

from __future__ import annotations

import struct
from typing import Any

__all__ = [
    "CSAError",
    "CSA_CREATOR",
    "CSAElement",
    "find_csa",
    "parse_csa",
    "parse_csa_elements",
    "read_csa",
    "csa_value",
]

CSA_CREATOR = "SIEMENS CSA HEADER"
"""Private creator reserving the CSA blocks in group 0029."""

_IMAGE_OFFSET = 0x10  # (0029,xx10) CSA Image Header Info
_SERIES_OFFSET = 0x20  # (0029,xx20) CSA Series Header Info

# VRs whose items are converted to numbers (the rest stay text)
_FLOAT_VRS = frozenset({"FL", "FD", "DS"})
_INT_VRS = frozenset({"IS", "SL", "SS", "UL", "US", "SV", "UV"})

# Each element header is 84 bytes (64 + 4 * 5), each item header 16 bytes.
_ELEMENT_HEADER = struct.Struct("<64si4s3i")
_ITEM_HEADER = struct.Struct("<4i")
_COUNTS = struct.Struct("<2I")


class CSAError(ValueError):
    """A CSA header that cannot be parsed; the message names the offset."""


class CSAElement:
    """One element of a CSA header.

    Attributes
    ----------
    name : str
        The element name, e.g. ``"B_value"``.
    vm : int
        The declared value multiplicity (0: as many as the items).
    vr : str
        The declared DICOM VR, e.g. ``"FD"``, ``"IS"``, ``"LO"``.
    syngodt : int
        The syngo data type code.
    values : list of str, int or float
        The values (text converted to ``float``/``int`` for numeric VRs).
    """

    __slots__ = ("name", "vm", "vr", "syngodt", "values")

    def __init__(self, name: str, vm: int, vr: str, syngodt: int, values: list[Any]) -> None:
        self.name = name
        self.vm = vm
        self.vr = vr
        self.syngodt = syngodt
        self.values = values

    def __repr__(self) -> str:
        return f"CSAElement({self.name!r}, vr={self.vr!r}, vm={self.vm}, values={self.values!r})"


def _text(raw: bytes) -> str:
    """Item bytes up to the first NUL, decoded as Latin-1 (never fails)."""
    end = raw.find(b"\x00")
    if end >= 0:
        raw = raw[:end]
    return raw.decode("latin-1").strip()


def _convert(vr: str, text: str, name: str, offset: int) -> Any:
    if vr in _FLOAT_VRS:
        try:
            return float(text)
        except ValueError:
            raise CSAError(f"CSA element {name!r}: item at offset {offset} is not a number: {text[:40]!r}") from None
    if vr in _INT_VRS:
        try:
            return int(text)
        except ValueError:
            try:  # syngo writes some IS values as "3.0"
                number = float(text)
            except ValueError:
                raise CSAError(
                    f"CSA element {name!r}: item at offset {offset} is not an integer: {text[:40]!r}"
                ) from None
            return int(number) if number.is_integer() else number
    return text


def parse_csa_elements(data: bytes | bytearray | memoryview) -> dict[str, CSAElement]:
    """Parse a CSA header into its elements, with their VR and VM.

    Parameters
    ----------
    data : bytes-like
        The value of a CSA element such as (0029,1010).

    Returns
    -------
    dict of str to CSAElement
        In header order. A name that occurs twice keeps its first element.

    Raises
    ------
    CSAError
        If the data is truncated or its counts cannot be backed by its size;
        the message names the byte offset.
    """
    buf = bytes(data)
    size = len(buf)
    pos = 0
    if buf[:4] == b"SV10":
        pos = 8  # "SV10" + 4 unused bytes
    if pos + _COUNTS.size > size:
        raise CSAError(f"CSA header truncated at offset {pos}: {size} bytes, no element count")
    n_tags, _check = _COUNTS.unpack_from(buf, pos)
    # Each element needs at least its 84-byte header: a count the data cannot
    # back is damage, not a reason to loop (or allocate) n_tags times.
    if n_tags == 0 or n_tags > (size - pos - _COUNTS.size) // _ELEMENT_HEADER.size:
        raise CSAError(
            f"CSA header: element count {n_tags} at offset {pos} does not fit in its {size} bytes"
        )
    pos += _COUNTS.size
    elements: dict[str, CSAElement] = {}
    for _ in range(n_tags):
        if pos + _ELEMENT_HEADER.size > size:
            raise CSAError(f"CSA header truncated at offset {pos}: element header needs 84 bytes")
        raw_name, vm, raw_vr, syngodt, n_items, _xx = _ELEMENT_HEADER.unpack_from(buf, pos)
        element_offset = pos
        pos += _ELEMENT_HEADER.size
        name = _text(raw_name)
        vr = _text(raw_vr)
        if n_items < 0 or n_items * _ITEM_HEADER.size > size - pos:
            raise CSAError(
                f"CSA element {name!r} at offset {element_offset}: item count {n_items} "
                f"does not fit in the {size - pos} bytes left"
            )
        n_values = vm if vm > 0 else n_items
        values: list[Any] = []
        numeric = vr in _FLOAT_VRS or vr in _INT_VRS
        for item_no in range(n_items):
            if pos + _ITEM_HEADER.size > size:
                raise CSAError(f"CSA element {name!r}: item header truncated at offset {pos}")
            x = _ITEM_HEADER.unpack_from(buf, pos)
            item_offset = pos
            pos += _ITEM_HEADER.size
            length = x[1]
            if length < 0 or pos + length > size:
                raise CSAError(
                    f"CSA element {name!r}: item {item_no} at offset {item_offset} has length "
                    f"{length}, beyond the {size}-byte header"
                )
            raw = buf[pos : pos + length]
            pos += length + (-length % 4)  # items are padded to 4 bytes
            if item_no >= n_values:
                continue  # padding items beyond the VM
            text = _text(raw)
            if numeric:
                if not text:
                    continue  # empty numeric items: no value
                values.append(_convert(vr, text, name, item_offset))
            else:
                values.append(text)
        if name not in elements:
            elements[name] = CSAElement(name, vm, vr, syngodt, values)
    return elements


def parse_csa(data: bytes | bytearray | memoryview) -> dict[str, list[Any]]:
    """Parse a CSA header into ``{name: [values]}``.

    Parameters
    ----------
    data : bytes-like
        The value of (0029,xx10) or (0029,xx20).

    Returns
    -------
    dict of str to list
        Numbers for numeric VRs (``float`` for FD/FL/DS, ``int`` for IS/SL/...),
        ``str`` otherwise; an element without values maps to ``[]``.

    Raises
    ------
    CSAError
        On damaged data (the message names the offset).
    """
    return {name: element.values for name, element in parse_csa_elements(data).items()}


def _private_block_tag(dataset: Any, offset: int) -> int | None:
    """Tag of the CSA element ``offset`` in ``dataset``, via its private creator."""
    for elem_no in range(0x10, 0x100):
        creator_tag = 0x00290000 | elem_no
        if creator_tag not in dataset:
            continue
        value = dataset[creator_tag].value
        if isinstance(value, bytes):
            value = value.decode("latin-1")
        if isinstance(value, str) and value.strip().upper() == CSA_CREATOR:
            return 0x00290000 | (elem_no << 8) | offset
    return None


def _csa_bytes_in(dataset: Any, offset: int) -> bytes | None:
    tag = _private_block_tag(dataset, offset)
    if tag is None or tag not in dataset:
        return None
    value = dataset[tag].value
    if isinstance(value, (bytes, bytearray, memoryview)) and len(value) > 0:
        return bytes(value)
    return None


def find_csa(dataset: Any, which: str = "image", frame: int | None = None) -> bytes | None:
    """The raw bytes of a CSA header of ``dataset``.

    Parameters
    ----------
    dataset : Dataset
        A classic image, or an enhanced (XA) multi-frame dataset.
    which : {"image", "series"}
        (0029,xx10) or (0029,xx20).
    frame : int, optional
        For an enhanced dataset, the 0-based frame whose per-frame functional
        group is searched first (the shared group next).

    Returns
    -------
    bytes or None
        None when the dataset has no such header.
    """
    if which not in ("image", "series"):
        raise ValueError(f"which must be 'image' or 'series', not {which!r}")
    offset = _IMAGE_OFFSET if which == "image" else _SERIES_OFFSET
    found = _csa_bytes_in(dataset, offset)
    if found is not None:
        return found
    # XA enhanced: the blocks may sit in the functional groups' items
    # (directly, or one private sequence down). Only the frame's own item and
    # the shared item are searched, so the cost is bounded by two items.
    items: list[Any] = []
    if frame is not None and "PerFrameFunctionalGroupsSequence" in dataset:
        per_frame = dataset.PerFrameFunctionalGroupsSequence
        if 0 <= frame < len(per_frame):
            items.append(per_frame[frame])
    if "SharedFunctionalGroupsSequence" in dataset and len(dataset.SharedFunctionalGroupsSequence):
        items.append(dataset.SharedFunctionalGroupsSequence[0])
    for item in items:
        found = _csa_bytes_in(item, offset)
        if found is not None:
            return found
        for elem in item:
            if elem.tag.is_private and elem.VR == "SQ":
                for sub in elem.value:
                    found = _csa_bytes_in(sub, offset)
                    if found is not None:
                        return found
    return None


def read_csa(dataset: Any, which: str = "image", frame: int | None = None) -> dict[str, list[Any]] | None:
    """Parse a CSA header of ``dataset`` into ``{name: [values]}``.

    Parameters
    ----------
    dataset : Dataset
    which : {"image", "series"}
        (0029,xx10) CSA Image Header Info or (0029,xx20) CSA Series Header Info.
    frame : int, optional
        See :func:`find_csa`.

    Returns
    -------
    dict or None
        None when the dataset has no such header.

    Raises
    ------
    CSAError
        When the header is present but damaged (the message names the
        offset, and the file when the dataset has a filename).
    """
    raw = find_csa(dataset, which, frame)
    if raw is None:
        return None
    try:
        return parse_csa(raw)
    except CSAError as exc:
        filename = getattr(dataset, "filename", None)
        if isinstance(filename, str) and filename:
            raise CSAError(f"{filename}: CSA {which} header: {exc}") from None
        raise


def csa_value(header: dict[str, list[Any]] | None, name: str, default: Any = None) -> Any:
    """The first value of element ``name`` of a parsed header, or ``default``.

    Parameters
    ----------
    header : dict or None
        A result of :func:`parse_csa` / :func:`read_csa`.
    name : str
    default : any

    Returns
    -------
    any
    """
    if not header:
        return default
    values = header.get(name)
    if not values:
        return default
    return values[0]
