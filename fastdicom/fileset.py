"""DICOM File-sets: a DICOMDIR and the SOP Instances it references.

A File-set (PS3.10 §8) is a directory tree of DICOM files with one *Media
Storage Directory* instance, the DICOMDIR, at its root. The DICOMDIR's
*Directory Record Sequence* (PS3.3 Annex F) lists one directory record per
PATIENT, STUDY, SERIES, ... and per referenced instance; the records are
linked by byte offsets (*Offset of the Next Directory Record*, *Offset of
Referenced Lower-Level Directory Entity*) into a tree.

:class:`FileSet` loads that tree, stages additions and removals in a
temporary directory, and writes the File-set back with the directory layout
pydicom uses (``PTxxxxxx/STxxxxxx/SExxxxxx/IMxxxxxx``), the DICOMDIR encoded
by fastdicom's own writer. The API and its behaviour are pydicom 3's
``pydicom.fileset``.
"""

from __future__ import annotations

import copy
import functools
import os
import re
import shutil
import tempfile
import uuid
import weakref
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any, cast

from fastdicom import uid as sop
from fastdicom.charset import default_encoding
from fastdicom.config import warn_and_log
from fastdicom.datadict import dictionary_description, tag_for_keyword
from fastdicom.dataelem import DataElement
from fastdicom.dataset import Dataset, FileMetaDataset
from fastdicom.filebase import DicomBytesIO, DicomFileLike
from fastdicom.filereader import dcmread
from fastdicom.filewriter import write_dataset, write_file_meta_info
from fastdicom.sequence import Sequence
from fastdicom.tag import BaseTag, Tag
from fastdicom.uid import (
    UID,
    ExplicitVRLittleEndian,
    ImplicitVRLittleEndian,
    MediaStorageDirectoryStorage,
    generate_uid,
)

__all__ = [
    "DIRECTORY_RECORDERS",
    "FileInstance",
    "FileSet",
    "RecordNode",
    "RootNode",
    "generate_filename",
    "is_conformant_file_id",
]

# PS3.10 §8.5: a File ID component uses only upper case letters, digits and "_"
_RE_FILE_ID = re.compile("^[A-Z0-9_]*$")

# The two-character (one for PRIVATE) start of the File ID component written
# for each record type; the rest of the component is the node's index.
_PREFIXES = {
    "PATIENT": "PT",
    "STUDY": "ST",
    "SERIES": "SE",
    "IMAGE": "IM",
    "RT DOSE": "RD",
    "RT STRUCTURE SET": "RS",
    "RT PLAN": "RP",
    "RT TREAT RECORD": "RX",
    "PRESENTATION": "PR",
    "WAVEFORM": "WV",
    "SR DOCUMENT": "SR",
    "KEY OBJECT DOC": "KY",
    "SPECTROSCOPY": "SP",
    "RAW DATA": "RW",
    "REGISTRATION": "RG",
    "FIDUCIAL": "FD",
    "HANGING PROTOCOL": "HG",
    "ENCAP DOC": "ED",
    "VALUE MAP": "VM",
    "STEREOMETRIC": "SX",
    "PALETTE": "PA",
    "IMPLANT": "IP",
    "IMPLANT ASSY": "IA",
    "IMPLANT GROUP": "IG",
    "PLAN": "PL",
    "MEASUREMENT": "MX",
    "SURFACE": "SF",
    "SURFACE SCAN": "SS",
    "TRACT": "TR",
    "ASSESSMENT": "AS",
    "RADIOTHERAPY": "RT",
    "PRIVATE": "P",
}

# The directory record elements that link records (PS3.3 Table F.3-3)
_FIRST_OFFSET = "OffsetOfTheFirstDirectoryRecordOfTheRootDirectoryEntity"
_LAST_OFFSET = "OffsetOfTheLastDirectoryRecordOfTheRootDirectoryEntity"
_NEXT_OFFSET = "OffsetOfTheNextDirectoryRecord"
_LOWER_OFFSET = "OffsetOfReferencedLowerLevelDirectoryEntity"
_TAG_FIRST_OFFSET = 0x00041200
_TAG_RECORD_SEQUENCE = 0x00041220
_TAG_IN_USE = 0x00041410
# Each record's links and flag with their VRs
_RECORD_LINKS = ((0x00041400, "UL"), (0x00041420, "UL"), (_TAG_IN_USE, "US"))

# The characters of File ID suffixes: digits, then (alphanumeric IDs) the
# letters without "J" (pydicom 3 leaves it out).
_SUFFIX_CHARS = "0123456789ABCDEFGHIKLMNOPQRSTUVWXYZ"
# Above this many instances numeric File IDs may run out in one directory.
_MAX_NUMERIC = 10**6
_MAX_ALPHANUMERIC = 35**6

# An encoded item header (FFFE,E000) + length, and its delimiter item.
_ITEM_HEADER_LENGTH = 8
_ITEM_TAG_LE = b"\xfe\xff\x00\xe0"


def _suffix(index: int, width: int, alphanumeric: bool) -> str:
    """`index` written in base 10 (or base 35), zero-padded to `width`."""
    chars = _SUFFIX_CHARS if alphanumeric else _SUFFIX_CHARS[:10]
    base = len(chars)
    digits = []
    while index:
        index, digit = divmod(index, base)
        digits.append(chars[digit])
    return "".join(reversed(digits)).rjust(width, "0")


def generate_filename(prefix: str = "", start: int = 0, alphanumeric: bool = False) -> Iterator[str]:
    """Yield 8-character File IDs, ``prefix`` followed by an increasing index.

    There are ``10 ** (8 - len(prefix)) - start`` numeric IDs, or
    ``35 ** (8 - len(prefix)) - start`` alphanumeric ones.

    Parameters
    ----------
    prefix : str, optional
        The start of every filename, at most 7 characters.
    start : int, optional
        The first index, e.g. ``10`` for ``'00000010'``.
    alphanumeric : bool, optional
        ``False`` (default) for suffixes of [0-9], ``True`` for [0-9][A-I,K-Z].

    Yields
    ------
    str
        ``'00000000'``, ``'00000001'``, ... for numeric suffixes.

    Raises
    ------
    ValueError
        If `prefix` is longer than 7 characters.
    """
    if len(prefix) > 7:
        raise ValueError("The 'prefix' must be less than 8 characters long")

    width = 8 - len(prefix)
    base = 35 if alphanumeric else 10
    for index in range(start, base**width):
        yield f"{prefix}{_suffix(index, width, alphanumeric)}"


def is_conformant_file_id(path: Path) -> bool:
    """Return ``True`` if `path` is a conformant File ID.

    A File ID has at most 8 components (PS3.3 §F.3.2.2) of at most 8
    characters each, all of them ASCII upper case letters, digits or ``_``
    (PS3.10 §8.2, §8.5).

    Parameters
    ----------
    path : pathlib.Path
        The path relative to the File-set's root directory.

    Returns
    -------
    bool
    """
    parts = path.parts
    if len(parts) > 8 or any(len(part) > 8 for part in parts):
        return False

    # A regex's [A-Z0-9] alone would also accept non-ASCII digits
    text = "".join(parts)
    return text.isascii() and _RE_FILE_ID.match(text) is not None


class RecordNode(Iterable["RecordNode"]):
    """One directory record of a DICOMDIR, as a node of the record tree.

    Attributes
    ----------
    children : list of RecordNode
        The records one level below this one.
    instance : FileInstance or None
        For a leaf record, the :class:`FileInstance` it references.
    """

    def __init__(self, record: Dataset | None = None) -> None:
        """Create a node, optionally for the directory record `record`.

        Parameters
        ----------
        record : Dataset, optional
            A directory record, an item of a *Directory Record Sequence*.
        """
        self.children: list[RecordNode] = []
        self.instance: FileInstance | None = None
        self._parent: RecordNode | None = None
        self._record: Dataset

        if record:
            self._set_record(record)

        # Where the record's item starts in the encoded DICOMDIR: set when the
        #   DICOMDIR is read or encoded, not kept up to date otherwise.
        self._offset = 0

    # -- the tree -------------------------------------------------------------
    def add(self, leaf: RecordNode) -> None:
        """Add the branch ending in `leaf` to the tree, below the records it
        shares with branches already there.

        Parameters
        ----------
        leaf : RecordNode
            A leaf node (one with a :class:`FileInstance`).
        """
        # The top of the leaf's own branch
        node = leaf.root
        if node is self:
            node = node.children[0]

        # Go down the tree while the branch's records are already in it
        current = self.root
        while node in current and node.children:
            current = current[node]
            node = node.children[0]

        node.parent = current

    @property
    def ancestors(self) -> list[RecordNode]:
        """The node's ancestors, nearest first (the root node excluded)."""
        return [node for node in self.reverse() if node is not self]

    @property
    def children_keys(self) -> list[str]:
        """The :attr:`key` of each child, in order."""
        return [child.key for child in self.children]

    def __contains__(self, key: str | RecordNode) -> bool:
        """Return ``True`` if a child has the key `key` (or `key`'s key)."""
        if isinstance(key, RecordNode):
            key = key.key

        return any(child.key == key for child in self.children)

    def __delitem__(self, key: str | RecordNode) -> None:
        """Remove the child with key `key`; a node left without children is
        removed from its own parent in turn, up to the root."""
        if isinstance(key, RecordNode):
            key = key.key

        if key not in self:
            raise KeyError(key)

        self.children = [child for child in self.children if child.key != key]

        if not self.children and not self.is_root:
            del self.parent[self]

    def __getitem__(self, key: str | RecordNode) -> RecordNode:
        """Return the child with key `key` (or `key`'s key)."""
        if isinstance(key, RecordNode):
            key = key.key

        for child in self.children:
            if child.key == key:
                return child

        raise KeyError(key)

    def __iter__(self) -> Iterator[RecordNode]:
        """Yield this node (unless it is the root) and every node below it,
        depth first in record order (the order of the encoded records)."""
        stack: list[RecordNode] = [self]
        while stack:
            node = stack.pop()
            if not node.is_root:
                yield node
            stack.extend(reversed(node.children))

    @property
    def depth(self) -> int:
        """The number of levels from the level below the root to this node
        (``0`` for a top-level record, ``-1`` for the root)."""
        return sum(1 for _ in self.reverse()) - 1

    @property
    def file_set(self) -> FileSet:
        """The :class:`FileSet` of the tree this node is in."""
        return self.root.file_set

    @property
    def has_instance(self) -> bool:
        """``True`` if the node references an instance."""
        return self.instance is not None

    @property
    def index(self) -> int:
        """The node's position amongst its siblings."""
        if not self.parent:
            return 0

        return self.parent.children.index(self)

    @property
    def is_root(self) -> bool:
        """``True`` for the tree's root node."""
        return False

    @property
    def next(self) -> RecordNode | None:
        """The next sibling, or ``None``."""
        if not self.parent:
            return None

        siblings = self.parent.children
        position = siblings.index(self) + 1
        return siblings[position] if position < len(siblings) else None

    @property
    def previous(self) -> RecordNode | None:
        """The previous sibling, or ``None``."""
        if not self.parent:
            return None

        position = self.index
        return self.parent.children[position - 1] if position else None

    @property
    def parent(self) -> RecordNode:
        """The node's parent (``None`` for a root or a detached node)."""
        return cast("RecordNode", self._parent)

    @parent.setter
    def parent(self, node: RecordNode) -> None:
        """Set the node's parent, making the node its last child."""
        self._parent = node
        if node is not None and self not in node.children:
            node.children.append(self)

    def remove(self, node: RecordNode) -> None:
        """Remove the leaf `node` (and any ancestors it leaves childless).

        Parameters
        ----------
        node : RecordNode
            A leaf node (one with a :class:`FileInstance`).
        """
        if not node.has_instance:
            raise ValueError("Only leaf nodes can be removed")

        del node.parent[node]

    def reverse(self) -> Iterable[RecordNode]:
        """Yield this node and its ancestors up to (not including) the root."""
        node = self
        while node.parent:
            yield node
            node = node.parent

        if not node.is_root:
            yield node

    @property
    def root(self) -> RecordNode:
        """The top of the tree this node is in."""
        node = self
        while node.parent:
            node = node.parent

        return node

    # -- the directory record -------------------------------------------------
    @property
    def component(self) -> str:
        """The node's File ID component: its record type's prefix and its
        index amongst its siblings, 8 characters."""
        if self.is_root:
            raise ValueError("The root node doesn't contribute a File ID component")

        prefix = _PREFIXES[self.record_type]
        if self.record_type == "PRIVATE":
            # PRIVATE records may be nested: "P0", "P1", ... by depth
            prefix = f"{prefix}{self.depth}"

        width = 8 - len(prefix)
        return f"{prefix}{_suffix(self.index, width, self.file_set._use_alphanumeric)}"

    def _encode_record(self, force_implicit: bool = False, parent_encoding: Any = default_encoding) -> int:
        """Return the length of the node's directory record once encoded.

        The record is encoded as it will be in the *Directory Record Sequence*:
        little endian, explicit VR unless `force_implicit`, the retired group
        lengths left out (PS3.5 §7.2). The values of the offset elements are
        fixed-size (UL) and do not change the length.

        Parameters
        ----------
        force_implicit : bool, optional
            ``True`` for Implicit VR Little Endian (non-conformant).
        parent_encoding : str or list of str, optional
            The character set of the DICOMDIR, for a record without its own
            *Specific Character Set*.

        Returns
        -------
        int
            The length of the encoded record, without its item header.
        """
        return _encoded_length(self._record, force_implicit, parent_encoding)

    def file_id_path(self, root_path: Path) -> Path | None:
        """Return the record's *Referenced File ID* as a relative path.

        Parameters
        ----------
        root_path : pathlib.Path
            The File-set's root directory.

        Returns
        -------
        pathlib.Path or None
            ``None`` when the *Referenced File ID* is empty.

        Raises
        ------
        AttributeError
            If the record has no *Referenced File ID*.
        PermissionError
            If the File ID is absolute or leads outside `root_path` (through
            ``..`` or symbolic links).

        :meta private:
        """
        if "ReferencedFileID" not in self._record:
            raise AttributeError("No 'Referenced File ID' in the directory record")

        elem = self._record["ReferencedFileID"]
        if elem.VM < 1:
            return None

        value = self._record.ReferencedFileID
        parts = [value] if elem.VM == 1 else list(value)
        # PS3.10 §8.5: the components are text; a corrupt DICOMDIR may hold a
        #   NUL or another VR (found by tools/fuzz_campaign.py, seed 1006295)
        if not all(isinstance(part, str) and "\0" not in part for part in parts):
            raise ValueError(
                f"The directory record at offset {self._offset} has an invalid "
                f"(0004,1500) 'Referenced File ID': {value!r}"
            )
        path = Path(*parts)
        # A DICOMDIR is untrusted input: never follow it out of the File-set
        if path.anchor or not (root_path / path).resolve().is_relative_to(root_path):
            raise PermissionError(f"ReferencedFileID ('{path}') must be inside the DICOMDIR root path")

        return path

    @property
    def key(self) -> str:
        """The record's key, unique amongst its siblings: the *Patient ID*,
        *Study Instance UID*, *Series Instance UID*, *Private Record UID*
        or the referenced SOP Instance UID."""
        record = self._record
        rtype = self.record_type
        if rtype == "PATIENT":
            # PS3.3 §F.5.1: a Patient ID is unique within a File-set
            return cast(str, record.PatientID)
        if rtype == "STUDY":
            # PS3.3 §F.5.2: Study Instance UID is Type 1C
            if "StudyInstanceUID" in record:
                return cast(UID, record.StudyInstanceUID)
            return cast(UID, record.ReferencedSOPInstanceUIDInFile)
        if rtype == "SERIES":
            return cast(UID, record.SeriesInstanceUID)
        if rtype == "PRIVATE":
            return cast(UID, record.PrivateRecordUID)

        # PS3.3 Table F.3-3: required when the record references an instance
        try:
            return cast(UID, record.ReferencedSOPInstanceUIDInFile)
        except AttributeError as exc:
            raise AttributeError(
                f"Invalid '{rtype}' record - missing required element "
                "'Referenced SOP Instance UID in File'"
            ) from exc

    @property
    def record_type(self) -> str:
        """The record's *Directory Record Type*."""
        return cast(str, self._record.DirectoryRecordType)

    def _set_record(self, ds: Dataset) -> None:
        """Use `ds` as the node's directory record.

        The record's offset elements are added if missing, its *Record In-use
        Flag* set, and the elements its :attr:`key` needs are checked.

        Parameters
        ----------
        ds : Dataset
            A directory record conformant to PS3.3 Annex F.
        """
        offset = getattr(ds, "seq_item_tell", None)
        rtype = ds.get("DirectoryRecordType", None)
        where = f"The {rtype} directory record" if rtype else "The directory record"
        if offset:
            where = f"{where} at offset {offset}"
        msg = f"{where} is missing"

        if "DirectoryRecordType" not in ds:
            raise ValueError(f"{msg} one or more required elements: DirectoryRecordType")
        # A corrupt DICOMDIR (found by tools/fuzz_campaign.py, issue 12) may
        #   hold a type of several values, or links read with another VR, which
        #   would fail later as a TypeError far from the record
        if not isinstance(rtype, str):
            at = f" at offset {offset}" if offset else ""
            raise ValueError(
                f"The directory record{at} has an invalid (0004,1430) "
                f"'Directory Record Type': {rtype!r} is not one text value"
            )
        for tag, vr in _RECORD_LINKS:
            elem = ds.get(tag)
            if elem is None:
                ds.add_new(tag, vr, 0)
                continue
            value = elem.value
            if tag != _TAG_IN_USE and value is not None and not isinstance(value, int):
                raise ValueError(
                    f"{where} has an invalid ({tag >> 16:04X},{tag & 0xFFFF:04X}) "
                    f"'{dictionary_description(tag)}': {value!r} is not one offset"
                )
            if elem.VR != vr:
                # PS3.3 Table F.3-3 gives the VR: the offsets and the flag set
                #   below and on write must be encoded with it
                ds[tag] = DataElement(tag, vr, value if tag != _TAG_IN_USE else 0xFFFF)
        # PS3.3 §F.3.2.1: inactive records are not kept, so every record is in use
        ds.RecordInUseFlag = 0xFFFF
        self._record = ds

        try:
            _ = self.key  # raises if a required element is missing
        except (AttributeError, ValueError) as exc:
            raise ValueError(f"{msg} a required element") from exc

    def _update_record_offsets(self) -> None:
        """Set the record's next and lower offsets from the ``_offset`` of
        its next sibling and first child (``0`` for none)."""
        _link(self._record, self)

    # -- text -----------------------------------------------------------------
    def prettify(self, indent_char: str = "  ") -> list[str]:
        """The tree from this node down as lines of text, the leaves of each
        branch summarised by record type.

        Parameters
        ----------
        indent_char : str, optional
            The indentation of each level.

        Returns
        -------
        list of str
        """
        lines = []
        for node in self:
            indent = indent_char * node.depth
            if node.children:
                lines.append(f"{indent}{node}")
                # The first child referencing an instance: a leaf (not a
                #   PRIVATE record with records below it) gives the summary
                first = next((child for child in node.children if child.has_instance), None)
                if first is not None and not first.children:
                    lines.extend(_leaf_summary(node, indent_char * (node.depth + 1)))
            elif node.depth == 0 and node.has_instance:
                # A single-level record (PALETTE, IMPLANT, ...)
                instance = cast(FileInstance, node.instance)
                line = f"{indent}{node.record_type}: 1 SOP Instance"
                if instance.for_addition:
                    line += " (to be added)"
                elif instance.for_removal:
                    line += " (to be removed)"
                lines.append(line)

        return lines

    def __str__(self) -> str:
        """The record type and the record's identifying values."""
        if self.is_root:
            return "ROOT"

        ds = self._record
        rtype = self.record_type
        # The record types' Type 1 keys (PS3.3 Table F.5-1 to F.5-3): a
        #   corrupt DICOMDIR may lack one (found by tools/fuzz_campaign.py,
        #   issue 12), which is shown rather than failing the whole text
        missing = "(missing)"
        if rtype == "PATIENT":
            parts = [
                f"PatientID='{getattr(ds, 'PatientID', missing)}'",
                f"PatientName='{getattr(ds, 'PatientName', missing)}'",
            ]
        elif rtype == "STUDY":
            parts = [
                f"StudyDate={getattr(ds, 'StudyDate', missing)}",
                f"StudyTime={getattr(ds, 'StudyTime', missing)}",
            ]
            if getattr(ds, "StudyDescription", None):
                parts.append(f"StudyDescription='{ds.StudyDescription}'")
        elif rtype == "SERIES":
            parts = [
                f"Modality={getattr(ds, 'Modality', missing)}",
                f"SeriesNumber={getattr(ds, 'SeriesNumber', missing)}",
            ]
            if getattr(ds, "SeriesDescription", None):
                parts.append(f"SeriesDescription='{ds.SeriesDescription}'")
        elif rtype == "IMAGE":
            parts = [f"InstanceNumber={getattr(ds, 'InstanceNumber', missing)}"]
        else:
            parts = [f"{self.key}"]

        return f"{rtype}: {', '.join(parts)}"


def _leaf_summary(node: RecordNode, indent: str) -> list[str]:
    """Lines such as ``IMAGE: 15 SOP Instances (10 initial, 9 additions,
    4 removals)`` for the instances of `node`'s branch, one per record type."""
    leaves = [item for item in node if item.has_instance]
    lines = []
    for rtype in sorted({leaf.record_type for leaf in leaves}):
        instances = [cast(FileInstance, leaf.instance) for leaf in leaves if leaf.record_type == rtype]
        added = sum(1 for ii in instances if ii.for_addition)
        removed = sum(1 for ii in instances if ii.for_removal)
        initial = len(instances) - added
        count = len(instances) - removed

        changes = []
        if (added or removed) and initial > 0:
            changes.append(f"{initial} initial")
        if added:
            changes.append(f"{added} addition{'s' if added > 1 else ''}")
        if removed:
            changes.append(f"{removed} removal{'s' if removed > 1 else ''}")

        line = f"{indent}{rtype}: {count} SOP Instance{'' if count == 1 else 's'}"
        if changes:
            line += f" ({', '.join(changes)})"
        lines.append(line)

    return lines


def _link(record: Dataset, node: RecordNode) -> None:
    """Set `record`'s next and lower offsets from `node`'s next sibling and
    first child (PS3.3 §F.3.2.1: ``0`` when there is none)."""
    following = node.next
    record[_NEXT_OFFSET].value = following._offset if following else 0
    record[_LOWER_OFFSET].value = node.children[0]._offset if node.children else 0


def _encoded_length(ds: Dataset, implicit: bool, parent_encoding: Any) -> int:
    """The length of `ds` encoded little endian by fastdicom's writer."""
    fp = DicomBytesIO()
    fp.is_little_endian = True
    fp.is_implicit_VR = implicit
    return write_dataset(fp, ds, parent_encoding)


class RootNode(RecordNode):
    """The root of a File-set's record tree: it has no directory record."""

    def __init__(self, fs: FileSet) -> None:
        """Create the root node of `fs`'s tree.

        Parameters
        ----------
        fs : FileSet
        """
        super().__init__()
        self._fs = fs

    @property
    def file_set(self) -> FileSet:
        """The :class:`FileSet` the tree belongs to."""
        return self._fs

    @property
    def is_root(self) -> bool:
        """Always ``True``."""
        return True


@functools.lru_cache(maxsize=4096)
def _keyword_tag(name: str) -> BaseTag | None:
    """The tag of the element keyword `name` (a BaseTag: the fastest key for
    a Dataset lookup), or None."""
    tag = tag_for_keyword(name)
    return BaseTag(tag) if tag is not None else None


class _StageDirectory:
    """The temporary directory holding the instances staged for addition.

    As :class:`tempfile.TemporaryDirectory` (``name``, ``cleanup()``), but
    removed without a ResourceWarning when the File-set is garbage
    collected: a File-set has no close(), so that is its normal end.
    """

    def __init__(self) -> None:
        self.name = tempfile.mkdtemp()
        self._finalizer = weakref.finalize(self, shutil.rmtree, self.name, ignore_errors=True)

    def cleanup(self) -> None:
        """Remove the directory and its contents."""
        self._finalizer()


class _StageFlags:
    """Whether an instance is staged for addition or removal."""

    __slots__ = ("add", "remove")

    def __init__(self) -> None:
        self.add = False
        self.remove = False


class FileInstance:
    """One SOP Instance of a File-set, seen through its directory records.

    An element keyword used as an attribute (``instance.PatientID``) gives
    the value from the nearest directory record that has it, from the leaf
    record up to the PATIENT record.

    Attributes
    ----------
    node : RecordNode
        The leaf record that references the instance.
    """

    def __init__(self, node: RecordNode) -> None:
        """Create the instance referenced by the leaf `node`.

        Parameters
        ----------
        node : RecordNode
        """
        self._uuid = uuid.uuid4()
        self._flags = _StageFlags()
        self._stage_path: Path | None = None
        self.node = node

    def _apply_stage(self, flag: str) -> None:
        """Stage the instance: ``'+'`` for addition, ``'-'`` for removal or
        ``'x'`` to reset. Addition and removal cancel each other out.

        Parameters
        ----------
        flag : str
        """
        flags = self._flags
        if flag == "x":
            flags.add = flags.remove = False
            self._stage_path = None
        elif flag == "+":
            if flags.remove:
                flags.remove = False
                self._stage_path = None
            else:
                flags.add = True
                self._stage_path = self.file_set._stage["path"] / f"{self._uuid}"
        elif flag == "-":
            if flags.add:
                flags.add = False
            else:
                flags.remove = True
            self._stage_path = None

    def __contains__(self, name: str | int) -> bool:
        """``True`` if one of the instance's directory records has the
        element with keyword or tag `name`."""
        try:
            self[name]
        except KeyError:
            return False

        return True

    def __getattribute__(self, name: str) -> Any:
        """An element keyword gives the value from the nearest directory
        record that has it; any other name is a normal attribute."""
        # DICOM keywords start with an upper case letter: the attributes of
        #   the class itself mostly do not, and skip the dictionary lookup
        if name[:1].isupper():
            tag = _keyword_tag(name)
            if tag is not None:
                # The records from the leaf up (RecordNode.reverse(), unrolled:
                #   this runs for every instance of every File-set search)
                node = object.__getattribute__(self, "node")
                while node is not None and not isinstance(node, RootNode):
                    record = node._record
                    if tag in record:
                        return record[tag].value
                    node = node._parent

        return object.__getattribute__(self, name)

    def __getitem__(self, key: str | int) -> DataElement:
        """Return the element with keyword or tag `key` from the nearest
        directory record that has it.

        The instance's *SOP Instance UID*, *SOP Class UID* and *Transfer
        Syntax UID* are the records' *Referenced ... in File* elements.
        """
        tag = key if isinstance(key, BaseTag) else Tag(key)
        tag = _INSTANCE_TO_RECORD_TAG.get(tag, tag)
        for node in self.node.reverse():
            if tag in node._record:
                return node._record[tag]

        raise KeyError(tag)

    @property
    def FileID(self) -> str:
        """The File ID the instance has (or will have) after the File-set
        is written, as a path relative to the root directory."""
        components = [node.component for node in self.node.reverse()]
        return os.fspath(Path(*reversed(components)))

    @property
    def file_set(self) -> FileSet:
        """The :class:`FileSet` the instance belongs to."""
        return self.node.file_set

    @property
    def for_addition(self) -> bool:
        """``True`` if the instance is staged for addition."""
        return self._flags.add

    @property
    def for_moving(self) -> bool:
        """``True`` if writing the File-set will move the instance to another
        File ID."""
        if self.for_addition:
            return False

        file_id = self.FileID.split(os.path.sep)
        current = self.ReferencedFileID
        if self["ReferencedFileID"].VM == 1:
            return [current] != file_id

        return cast(bool, current != file_id)

    @property
    def for_removal(self) -> bool:
        """``True`` if the instance is staged for removal."""
        return self._flags.remove

    @property
    def is_private(self) -> bool:
        """``True`` if the instance's leaf record is a PRIVATE record."""
        return self.node.record_type == "PRIVATE"

    @property
    def is_staged(self) -> bool:
        """``True`` if the instance is staged for addition, removal or moving."""
        return self.for_addition or self.for_moving or self.for_removal

    def load(self) -> Dataset:
        """Read and return the referenced instance."""
        return dcmread(self.path)

    @property
    def path(self) -> str:
        """The absolute path of the instance's file: the staged copy while
        the instance is staged for addition."""
        if self.for_addition:
            return os.fspath(cast(Path, self._stage_path))

        # Not staged for addition: the File-set is on the file system
        root_path = self.file_set.root_path
        return os.fspath(root_path / cast(Path, self.node.file_id_path(root_path)))

    @property
    def SOPClassUID(self) -> UID:
        """The referenced instance's *SOP Class UID*."""
        return cast(UID, self.ReferencedSOPClassUIDInFile)

    @property
    def SOPInstanceUID(self) -> UID:
        """The referenced instance's *SOP Instance UID*."""
        return cast(UID, self.ReferencedSOPInstanceUIDInFile)

    @property
    def TransferSyntaxUID(self) -> UID:
        """The referenced instance's *Transfer Syntax UID*."""
        return cast(UID, self.ReferencedTransferSyntaxUIDInFile)


# An instance's own UIDs, as their directory record counterparts
_INSTANCE_TO_RECORD_TAG = {
    Tag(0x00080018): Tag(0x00041511),  # SOP Instance UID
    Tag(0x00080016): Tag(0x00041510),  # SOP Class UID
    Tag(0x00020010): Tag(0x00041512),  # Transfer Syntax UID
}

DSPathType = Dataset | str | os.PathLike


class FileSet:
    """A DICOM File-set: load, change and write a DICOMDIR and its files."""

    def __init__(self, ds: DSPathType | None = None) -> None:
        """Create a new File-set, or load one.

        Parameters
        ----------
        ds : Dataset, str or PathLike, optional
            The DICOMDIR of the File-set to load, or its path.
        """
        # The root directory of the File-set
        self._root_path: Path | None = None
        # The record tree of the instances in the File-set
        self._tree = RootNode(self)

        # The staged changes: "+" instances to add and "-" to remove (by
        #   SOP Instance UID), "~" existing instances to move, "^" a File-set
        #   Identification module value changed; "t"/"path" the staging directory
        self._stage: dict[str, Any] = {
            "t": _StageDirectory(),
            "+": {},
            "-": {},
            "~": False,
            "^": False,
        }
        self._stage["path"] = Path(self._stage["t"].name)

        # The DICOMDIR dataset (not kept up to date)
        self._ds = Dataset()
        # The instances in the File-set, staged removals excepted
        self._instances: list[FileInstance] = []
        # File ID suffixes of [0-9][A-Z] instead of [0-9]
        self._use_alphanumeric = False

        self._id: str | None = None
        self._uid: UID | None = None
        self._descriptor: str | None = None
        self._charset: str | None = None

        if ds:
            self.load(ds)
        else:
            self.UID = generate_uid()

    # -- staging --------------------------------------------------------------
    def add(self, ds_or_path: DSPathType) -> FileInstance:
        """Stage an instance for addition, with directory records from
        :data:`DIRECTORY_RECORDERS`.

        Adding an instance staged for removal cancels the removal; adding
        one already in the File-set returns its :class:`FileInstance`.

        Parameters
        ----------
        ds_or_path : Dataset, str or PathLike
            The instance, or its path.

        Returns
        -------
        FileInstance
        """
        ds = _as_dataset(ds_or_path)
        existing = self._existing_instance(ds.SOPInstanceUID)
        if existing is not None:
            return existing

        records = list(self._recordify(ds))
        nodes = [RecordNode(record) for record in records]
        for parent, child in zip(nodes, nodes[1:]):
            child.parent = parent

        return self._stage_addition(ds, nodes[-1])

    def add_custom(self, ds_or_path: DSPathType, leaf: RecordNode) -> FileInstance:
        """Stage an instance for addition, with the directory records of the
        branch ending in `leaf` (needed for PRIVATE records).

        The leaf's record gets the *Referenced File ID*, *Referenced SOP
        Class/Instance UID in File* and *Referenced Transfer Syntax UID in
        File* elements; the offset and in-use elements are added to each
        record. Adding an instance staged for removal cancels the removal.

        Parameters
        ----------
        ds_or_path : Dataset, str or PathLike
            The instance, or its path.
        leaf : RecordNode
            The leaf node, with its ancestors (at most 7, the File ID depth
            limit of 8 components) already set.

        Returns
        -------
        FileInstance
        """
        ds = _as_dataset(ds_or_path)
        if leaf.depth > 7:
            raise ValueError(
                "The 'leaf' node must not have more than 7 ancestors as "
                "'FileSet' supports a maximum directory structure depth of 8"
            )

        key = ds.SOPInstanceUID
        existing = self._existing_instance(key)
        if existing is not None:
            return existing

        record = leaf._record
        record.ReferencedFileID = None
        record.ReferencedSOPClassUIDInFile = ds.SOPClassUID
        record.ReferencedSOPInstanceUIDInFile = key
        record.ReferencedTransferSyntaxUIDInFile = ds.file_meta.TransferSyntaxUID

        return self._stage_addition(ds, leaf)

    def _existing_instance(self, key: str) -> FileInstance | None:
        """The instance with SOP Instance UID `key` when it is already in the
        File-set, its staged removal cancelled, else ``None``."""
        # An instance staged for removal is not in self._instances
        staged = self._stage["-"].pop(key, None)
        if staged is not None:
            self._instances.append(staged)
            staged._apply_stage("+")
            return cast(FileInstance, staged)

        for instance in self._instances:
            if instance.SOPInstanceUID == key:
                return instance

        return None

    def _stage_addition(self, ds: Dataset, leaf: RecordNode) -> FileInstance:
        """Add the branch of `leaf` to the tree and write `ds` to the stage."""
        instance = FileInstance(leaf)
        leaf.instance = instance
        self._tree.add(leaf)

        self._stage["+"][instance.SOPInstanceUID] = instance
        self._instances.append(instance)
        instance._apply_stage("+")
        ds.save_as(instance.path, enforce_file_format=True)

        return instance

    def remove(self, instance: FileInstance | list[FileInstance]) -> None:
        """Stage instances for removal; removing an instance staged for
        addition cancels the addition.

        Parameters
        ----------
        instance : FileInstance or list of FileInstance
        """
        if isinstance(instance, list):
            for item in instance:
                self.remove(item)
            return

        if instance not in self._instances:
            raise ValueError("No such instance in the File-set")

        key = instance.SOPInstanceUID
        if key in self._stage["+"]:
            # Never written: forget it
            leaf = instance.node
            del leaf.parent[leaf]
            del self._stage["+"][key]
            try:
                Path(instance.path).unlink()
            except FileNotFoundError:
                pass
            instance._apply_stage("-")
            self._instances.remove(instance)
        elif key not in self._stage["-"]:
            instance._apply_stage("-")
            self._stage["-"][key] = instance
            self._instances.remove(instance)

    def clear(self) -> None:
        """Empty the File-set and its stage."""
        self._tree.children = []
        self._instances = []
        self._root_path = None
        self._ds = Dataset()
        self._id = None
        self._uid = generate_uid()
        self._descriptor = None
        self._charset = None

        self._stage["+"] = {}
        self._stage["-"] = {}
        self._stage["~"] = False
        self._stage["^"] = False
        self._stage["t"].cleanup()
        self._stage["t"] = _StageDirectory()
        self._stage["path"] = Path(self._stage["t"].name)

    @property
    def is_staged(self) -> bool:
        """``True`` if the File-set is new or has changes to write."""
        return any(self._stage[change] for change in "+-^~")

    # -- File-set Identification module (PS3.3 §F.2.2) ----------------------
    @property
    def descriptor_character_set(self) -> str | None:
        """The *Specific Character Set of File-set Descriptor File*, or ``None``."""
        return self._charset

    @descriptor_character_set.setter
    def descriptor_character_set(self, val: str | None) -> None:
        """Set the *Specific Character Set of File-set Descriptor File*.

        Parameters
        ----------
        val : str or None
            A defined term of PS3.3 §C.12.1.1.2.
        """
        if val == self._charset:
            return

        self._charset = val
        if self._ds:
            self._ds.SpecificCharacterSetOfFileSetDescriptorFile = val
        self._stage["^"] = True

    @property
    def descriptor_file_id(self) -> str | None:
        """The *File-set Descriptor File ID*, or ``None``."""
        return self._descriptor

    @descriptor_file_id.setter
    def descriptor_file_id(self, val: str | None) -> None:
        """Set the *File-set Descriptor File ID*, the relative path of a
        descriptor (README) file the user provides.

        Parameters
        ----------
        val : str, list of str or None
            At most 8 components of at most 16 characters each.

        Raises
        ------
        ValueError
            If `val` has too many or too long components.
        TypeError
            If `val` is not a str, list of str or None.
        """
        if val == self._descriptor:
            return

        if isinstance(val, list):
            if len(val) > 8 or not all(isinstance(part, str) and len(part) <= 16 for part in val):
                raise ValueError(
                    "The 'File-set Descriptor File ID' has a maximum of 8 "
                    "components, each between 0 and 16 characters long"
                )
            # Through Path to drop empty and "." components
            val = list(Path(*val).parts)
        elif isinstance(val, str):
            if len(val) > 16:
                raise ValueError(
                    "Each 'File-set Descriptor File ID' component has a maximum length of 16 characters"
                )
        elif val is not None:
            raise TypeError("The 'DescriptorFileID' must be a str, list of str, or None")

        self._descriptor = val
        if self._ds:
            self._ds.FileSetDescriptorFileID = self._descriptor
        self._stage["^"] = True

    @property
    def ID(self) -> str | None:
        """The *File-set ID*, or ``None``."""
        return self._id

    @ID.setter
    def ID(self, val: str | None) -> None:
        """Set the *File-set ID* (at most 16 characters).

        Parameters
        ----------
        val : str or None
        """
        if val == self._id:
            return

        if val is not None and len(val) > 16:
            raise ValueError("The maximum length of the 'File-set ID' is 16 characters")

        self._id = val
        if self._ds:
            self._ds.FileSetID = val
        self._stage["^"] = True

    @property
    def UID(self) -> UID:
        """The File-set UID, the DICOMDIR's *Media Storage SOP Instance UID*."""
        return cast(UID, self._uid)

    @UID.setter
    def UID(self, uid: UID) -> None:
        """Set the File-set UID.

        Parameters
        ----------
        uid : UID
        """
        if uid == self._uid:
            return

        uid = UID(uid)
        assert uid.is_valid
        self._uid = uid
        if self._ds:
            self._ds.file_meta.MediaStorageSOPInstanceUID = uid
        self._stage["^"] = True

    @property
    def path(self) -> str | None:
        """The File-set's root directory, or ``None`` when not set."""
        return os.fspath(self._root_path) if self._root_path is not None else None

    @property
    def root_path(self) -> Path:
        """The File-set's root directory.

        Raises
        ------
        AttributeError
            If it is not set.
        """
        if self._root_path is None:
            raise AttributeError("No root path set in the File-set")

        return self._root_path

    # -- queries --------------------------------------------------------------
    def __iter__(self) -> Iterator[FileInstance]:
        """Yield the File-set's instances (staged removals excepted)."""
        yield from self._instances[:]

    def __len__(self) -> int:
        """The number of instances in the File-set."""
        return len(self._instances)

    def find(self, load: bool = False, **kwargs: Any) -> list[FileInstance]:
        """Return the instances whose elements have the given values.

        Only single values are matched, and repeating group and private
        elements cannot be searched for.

        Parameters
        ----------
        load : bool, optional
            ``True`` to read each instance and match its own elements,
            ``False`` (default) to match the directory records only.
        **kwargs
            ``keyword=value`` pairs, e.g. ``PatientID='1234567'``.

        Returns
        -------
        list of FileInstance
        """
        if not kwargs:
            return self._instances[:]

        # Whether any searched dataset had every queried element
        has_elements = False
        matches = []
        for instance in self:
            ds: Dataset | FileInstance = instance.load() if load else instance
            if all(kw in ds for kw in kwargs):
                has_elements = True
            if all(kw in ds and ds[kw].value == val for kw, val in kwargs.items()):
                matches.append(instance)

        if not load and not has_elements:
            warn_and_log(
                "None of the records in the DICOMDIR dataset contain all "
                "the query elements, consider using the 'load' parameter "
                "to expand the search to the corresponding SOP instances"
            )

        return matches

    def find_values(
        self,
        elements: str | int | list[str | int],
        instances: list[FileInstance] | None = None,
        load: bool = False,
    ) -> list[Any] | dict[str | int, list[Any]]:
        """Return the distinct values of one or more elements.

        Parameters
        ----------
        elements : str, int or list of str or int
            The keywords or tags of the elements.
        instances : list of FileInstance, optional
            The instances to search (default: all of them).
        load : bool, optional
            ``True`` to read each instance and search its own elements,
            ``False`` (default) to search the directory records only.

        Returns
        -------
        list or dict of lists
            The values, in the order found: a list for one element, a dict
            ``{element: values}`` for a list of elements.
        """
        element_list = elements if isinstance(elements, list) else [elements]
        found = {element: False for element in element_list}
        results: dict[str | int, list[Any]] = {element: [] for element in element_list}
        for instance in instances or list(self):
            ds: Dataset | FileInstance = instance.load() if load else instance
            for element in element_list:
                if element not in ds:
                    continue

                found[element] = True
                value = ds[element].value
                # Values may be unhashable (sequences, multi-values)
                if value not in results[element]:
                    results[element].append(value)

        missing = [element for element, seen in found.items() if not seen]
        if not load and missing:
            warn_and_log(
                f"None of the records in the DICOMDIR dataset contain {missing}, "
                "consider using the 'load' parameter to expand the search to "
                "the corresponding SOP instances"
            )

        if not isinstance(elements, list):
            return results[element_list[0]]

        return results

    def __str__(self) -> str:
        """A summary of the File-set, its staged changes and its instances."""
        none = "(no value available)"
        lines = [
            "DICOM File-set",
            f"  Root directory: {self.path or none}",
            f"  File-set ID: {self.ID or none}",
            f"  File-set UID: {self.UID}",
            f"  Descriptor file ID: {self.descriptor_file_id or none}",
            f"  Descriptor file character set: {self.descriptor_character_set or none}",
        ]
        if self.is_staged:
            changes = ["DICOMDIR update" if self._ds else "DICOMDIR creation"]
            if self._stage["~"]:
                changes.append("directory structure update")
            for flag, name in (("+", "addition"), ("-", "removal")):
                count = len(self._stage[flag])
                if count:
                    changes.append(f"{count} {name}{'s' if count > 1 else ''}")
            lines.append(f"  Changes staged for write(): {', '.join(changes)}")

        if not self._tree.children:
            return "\n".join(lines)

        lines.append("\n  Managed instances:")
        lines.extend(f"    {line}" for line in self._tree.prettify())

        return "\n".join(lines)

    # -- reading --------------------------------------------------------------
    def load(
        self,
        ds_or_path: DSPathType,
        include_orphans: bool = True,
        raise_orphans: bool = False,
    ) -> None:
        """Load an existing File-set from its DICOMDIR.

        A File-set whose layout is not the one :meth:`write` uses is staged
        for moving its instances (PS3.10 gives the layout no meaning).

        Parameters
        ----------
        ds_or_path : Dataset, str or PathLike
            The DICOMDIR dataset (read from a file) or its path.
        include_orphans : bool, optional
            ``True`` (default) to include the instances of records that are
            not linked into the record tree.
        raise_orphans : bool, optional
            ``True`` to raise if there are such records (default ``False``).
        """
        ds = ds_or_path if isinstance(ds_or_path, Dataset) else dcmread(ds_or_path)

        if ds.file_meta.get("MediaStorageSOPClassUID", None) != MediaStorageDirectoryStorage:
            raise ValueError(
                "Unable to load the File-set as the supplied dataset is "
                "not a 'Media Storage Directory' instance"
            )

        tsyntax = ds.file_meta.get("TransferSyntaxUID")
        if tsyntax != ExplicitVRLittleEndian:
            # PS3.10 §8.6: a DICOMDIR is Explicit VR Little Endian; a File
            #   Meta group without a transfer syntax (found by
            #   tools/fuzz_campaign.py, seed 1026675) is corrupt alike
            used = (
                f"an invalid transfer syntax '{UID(tsyntax).name}'" if isinstance(tsyntax, str)
                else f"an invalid transfer syntax {tsyntax!r}" if tsyntax is not None
                else "no transfer syntax"
            )
            warn_and_log(
                f"The DICOMDIR dataset uses {used} and will be updated to use "
                "'Explicit VR Little Endian'"
            )

        try:
            path = Path(ds.filename).resolve(strict=True)
        except FileNotFoundError:
            raise FileNotFoundError(
                "Unable to load the File-set as the 'filename' attribute "
                f"for the DICOMDIR dataset is not a valid path: {ds.filename}"
            ) from None
        except TypeError:
            # e.g. a DICOMDIR read from bytes
            raise TypeError(
                "Unable to load the File-set as the DICOMDIR dataset must "
                "have a 'filename' attribute set to the path of the "
                "DICOMDIR file"
            ) from None

        self.clear()
        self._id = cast(str | None, ds.get("FileSetID", None))
        uid = cast(UID | None, ds.file_meta.get("MediaStorageSOPInstanceUID"))
        if not uid:
            uid = generate_uid()
            ds.file_meta.MediaStorageSOPInstanceUID = uid
        self._uid = uid
        self._descriptor = cast(str | None, ds.get("FileSetDescriptorFileID", None))
        self._charset = cast(str | None, ds.get("SpecificCharacterSetOfFileSetDescriptorFile", None))
        self._root_path = path.parent
        self._ds = ds

        self._parse_records(ds, include_orphans, raise_orphans)

        missing = []
        for instance in self:
            file_id = self._file_id_path(instance.node)
            assert file_id is not None
            try:
                (self.root_path / file_id).resolve(strict=True)
            except FileNotFoundError:
                missing.append(instance)
                warn_and_log(
                    "The referenced SOP Instance for the directory record at "
                    f"offset {instance.node._offset} does not exist: "
                    f"{self.root_path / file_id}"
                )
                continue

            if instance.for_moving:
                self._stage["~"] = True

        for instance in missing:
            self._instances.remove(instance)

    def _file_id_path(self, node: RecordNode) -> Path | None:
        """`node`'s *Referenced File ID* as a path (see
        :meth:`RecordNode.file_id_path`)."""
        return node.file_id_path(self.root_path)

    def _parse_records(self, ds: Dataset, include_orphans: bool, raise_orphans: bool = False) -> None:
        """Build the record tree from the DICOMDIR's record offsets.

        Parameters
        ----------
        ds : Dataset
            The DICOMDIR.
        include_orphans : bool
            ``True`` to add the instances of records that are not linked
            into the tree, when their *Referenced File ID* is usable.
        raise_orphans : bool, optional
            ``True`` to raise if there are unlinked records.
        """
        name = getattr(ds, "filename", None)
        corrupt = f"The DICOMDIR '{name}' is corrupt" if isinstance(name, str) else "The DICOMDIR is corrupt"
        # A Directory Record Sequence read with another VR (a corrupt
        #   DICOMDIR: found by tools/fuzz_campaign.py, issue 12) holds no
        #   records; it is named here rather than failing as a TypeError
        elem = ds.get(_TAG_RECORD_SEQUENCE)
        if elem is None or elem.VR != "SQ" or not isinstance(elem.value, Sequence):
            found = "no element" if elem is None else f"VR {elem.VR} and value {str(elem.value)[:40]!r}"
            raise ValueError(
                f"{corrupt}: its (0004,1220) 'Directory Record Sequence' is not a sequence ({found})"
            )

        # Every record by the offset of its item (PS3.3 §F.3.2.1)
        records: dict[int, RecordNode] = {}
        for record in cast(Iterable[Dataset], elem.value):
            offset = cast(int, record.seq_item_tell)
            node = RecordNode(record)
            node._offset = offset
            records[offset] = node

        def siblings(offset: int | None) -> Iterator[RecordNode]:
            """The records of one directory entity, first at `offset`.

            An offset that is no record's, or that comes round again (a
            cycle, which would never end), is a corrupt DICOMDIR: a
            ValueError naming it (issue 12: found by the fuzz campaign).
            """
            seen: set[int] = set()
            while offset:
                node = records.get(offset)
                if node is None or offset in seen or not hasattr(node, "_record"):
                    problem = (
                        "no directory record starts" if node is None
                        else "a cycle of records returns" if offset in seen
                        else "an empty directory record is"
                    )
                    raise ValueError(f"{corrupt}: {problem} at the record offset {offset}")
                seen.add(offset)
                yield node
                offset = getattr(node._record, _NEXT_OFFSET, None)

        if records:
            # Type 1 in a DICOMDIR (PS3.3 Table F.3-3); the records' own
            #   links are checked when their nodes are made (_set_record)
            first = ds.get(_TAG_FIRST_OFFSET)
            if first is None or not isinstance(first.value, int):
                found = "no element" if first is None else f"{first.value!r}"
                raise ValueError(
                    f"{corrupt}: its (0004,1200) 'Offset of the First Directory Record of the "
                    f"Root Directory Entity' is not one offset ({found})"
                )
            for node in siblings(first.value):
                node.parent = self._tree

        # Link the lower levels; a branch ending without a record that
        #   references a file is dropped
        pending = list(reversed(self._tree.children))
        walked: set[int] = set()
        while pending:
            node = pending.pop()
            # A lower-level link back to a record already linked (a cycle
            #   through the levels) would re-parent it for ever (issue 12:
            #   campaign seed 1274675)
            if node._offset in walked:
                raise ValueError(
                    f"{corrupt}: a cycle of records returns at the record offset {node._offset}"
                )
            walked.add(node._offset)
            lower = getattr(node._record, _LOWER_OFFSET, None)
            if lower:
                for child in siblings(lower):
                    child.parent = node
            elif "ReferencedFileID" not in node._record:
                del node.parent[node]

            if "ReferencedFileID" in node._record and self._file_id_path(node) is not None:
                node.instance = FileInstance(node)
                self._instances.append(node.instance)

            pending.extend(reversed(node.children))

        linked = {node._offset for node in self._tree}
        if len(records) == len(linked):
            return

        if raise_orphans:
            raise ValueError("The DICOMDIR contains orphaned directory records")

        orphans = [
            records[offset]
            for offset in sorted(set(records) - linked)
            if "ReferencedFileID" in records[offset]._record
        ]
        if orphans and not include_orphans:
            warn_and_log(
                f"The DICOMDIR has {len(orphans)} orphaned directory records "
                "that reference an instance that will not be included in the "
                "File-set"
            )
            return

        for node in orphans:
            original = node._record.ReferencedFileID
            file_id = self._file_id_path(node)
            if file_id is None:
                continue

            path = self.root_path / file_id
            if node.record_type == "PRIVATE":
                instance = self.add_custom(path, node)
            else:
                instance = self.add(path)

            # A new record: keep where the file is now
            instance.node._record.ReferencedFileID = original

    # -- records for new instances -------------------------------------------
    def _recordify(self, ds: Dataset) -> Iterator[Dataset]:
        """Yield the directory records for the instance `ds`, highest level
        first: one record for a single-level SOP Class, else PATIENT, STUDY,
        SERIES and a leaf record (PS3.3 Annex F.4).

        Raises
        ------
        ValueError
            If a record cannot be made because `ds` lacks a required value.
        """
        single = _single_level_record_type(ds)
        if single != "PATIENT":
            record_types = [single]
        else:
            record_types = ["PATIENT", "STUDY", "SERIES", _four_level_record_type(ds)]

        records = []
        for record_type in record_types:
            try:
                record = DIRECTORY_RECORDERS[record_type](ds)
            except ValueError as exc:
                raise ValueError(
                    f"Unable to use the default '{record_type}' "
                    f"record creator: {exc}. See DICOM PS3.3 Section F.5. "
                    "Either update the instance, "
                    "define your own record creation function or use "
                    "'FileSet.add_custom()' instead"
                ) from exc

            record.OffsetOfTheNextDirectoryRecord = 0
            record.RecordInUseFlag = 0xFFFF
            record.OffsetOfReferencedLowerLevelDirectoryEntity = 0
            record.DirectoryRecordType = record_type
            if len(record_types) > 1 and "SpecificCharacterSet" in ds:
                record.SpecificCharacterSet = ds.SpecificCharacterSet
            records.append(record)

        # The leaf references the instance (PS3.3 Table F.3-3)
        leaf = records[-1]
        leaf.ReferencedFileID = None
        leaf.ReferencedSOPClassUIDInFile = ds.SOPClassUID
        leaf.ReferencedSOPInstanceUIDInFile = ds.SOPInstanceUID
        leaf.ReferencedTransferSyntaxUIDInFile = ds.file_meta.TransferSyntaxUID

        yield from records

    # -- writing --------------------------------------------------------------
    def _check_size(self) -> None:
        """Switch to alphanumeric File IDs when numeric ones could run out."""
        if len(self) > _MAX_NUMERIC:
            self._use_alphanumeric = True

        if len(self) > _MAX_ALPHANUMERIC:
            raise NotImplementedError(
                "pydicom doesn't support writing File-sets with more than "
                "1838265625 managed instances"
            )

    def copy(self, path: str | os.PathLike, force_implicit: bool = False) -> FileSet:
        """Write the File-set, with its staged changes, to a new root
        directory and return the copy; this File-set stays as it is.

        Parameters
        ----------
        path : str or PathLike
            The root directory of the copy.
        force_implicit : bool, optional
            ``True`` to encode the DICOMDIR as Implicit VR Little Endian,
            which is non-conformant (default ``False``).

        Returns
        -------
        FileSet
            The copy, loaded from its DICOMDIR.
        """
        path = Path(path)
        if self.path and Path(self.path) == path:
            raise ValueError("Cannot copy the File-set as the 'path' is unchanged")

        self._check_size()

        # Leave out the staged removals while writing
        detached = [instance.node for instance in self._stage["-"].values()]
        for node in detached:
            self._tree.remove(node)

        file_ids = []
        try:
            for instance in self:
                file_ids.append(instance.ReferencedFileID)
                dst = path / Path(instance.FileID)
                dst.parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(instance.path, dst)
                instance.node._record.ReferencedFileID = instance.FileID.split(os.path.sep)

            dicomdir = path / "DICOMDIR"
            with open(dicomdir, "wb") as fp:
                self._write_dicomdir(DicomFileLike(fp), copy_safe=True, force_implicit=force_implicit)
        finally:
            # Put back this File-set's File IDs and removals
            for instance, file_id in zip(self, file_ids):
                instance.node._record.ReferencedFileID = file_id
            for node in detached:
                self._tree.add(node)

        fs = FileSet()
        fs.load(dicomdir, raise_orphans=True)

        return fs

    def write(
        self,
        path: str | os.PathLike | None = None,
        use_existing: bool = False,
        force_implicit: bool = False,
    ) -> None:
        """Write the File-set, or its staged changes, to the file system.

        Instances are (re)placed at File IDs ``PTxxxxxx/STxxxxxx/SExxxxxx/
        IMxxxxxx`` (the first two characters from the record type, the rest
        an index), single-level records' instances at ``PAxxxxxx`` and the
        like, PRIVATE records' at ``P0xxxxxx/P1xxxxxx/...``. Keep a backup:
        existing files are moved.

        Parameters
        ----------
        path : str or PathLike, optional
            The root directory, for a new File-set only.
        use_existing : bool, optional
            ``True`` to keep the existing layout and only rewrite the
            DICOMDIR, when nothing is staged for addition (removals are
            fine).
        force_implicit : bool, optional
            ``True`` to encode the DICOMDIR as Implicit VR Little Endian,
            which is non-conformant (default ``False``).

        Raises
        ------
        ValueError
            If there is no root directory, `path` is given for an existing
            File-set, or `use_existing` is given with staged additions.
        """
        if not path and self.path is None:
            raise ValueError("The path to the root directory is required for a new File-set")

        if path and self.path:
            raise ValueError(
                "The path for an existing File-set cannot be changed, use "
                "'FileSet.copy()' to write the File-set to a new location"
            )

        if path:
            self._root_path = Path(path)

        if not self.is_staged:
            return

        root = self.root_path
        dicomdir = root / "DICOMDIR"

        major_change = bool(self._stage["+"])
        if use_existing and major_change:
            raise ValueError(
                "'Fileset.write()' called with 'use_existing' but additions "
                "to the File-set's managed instances are staged"
            )

        if not use_existing:
            major_change |= self._stage["~"]

        self._check_size()

        # Removals first: the File IDs assume they are gone from the tree
        for instance in self._stage["-"].values():
            try:
                Path(instance.path).unlink()
            except FileNotFoundError:
                pass
            self._tree.remove(instance.node)

        if not use_existing:
            self._place_files(root)

        with open(dicomdir, "wb") as fp:
            self._write_dicomdir(DicomFileLike(fp), force_implicit=force_implicit)

        # Reload: what was written is what the File-set now is. Orphans here
        #   would be a fault of the writing.
        self.load(dicomdir, raise_orphans=True)

    def _place_files(self, root: Path) -> None:
        """Copy the staged and move the existing instances to their File IDs."""
        # An instance's new File ID may be another's current one: copy the
        #   instances whose files would be overwritten to the stage first
        new_ids = {Path(instance.FileID) for instance in self}
        current_ids = {
            self._file_id_path(instance.node)
            for instance in self
            if instance.SOPInstanceUID not in self._stage["+"]
        }
        collisions = new_ids & current_ids
        for instance in self:
            if self._file_id_path(instance.node) in collisions:
                self._stage["+"][instance.SOPInstanceUID] = instance
                instance._apply_stage("+")
                shutil.copyfile(root / cast(Path, self._file_id_path(instance.node)), instance.path)

        for instance in self:
            dst = root / instance.FileID
            dst.parent.mkdir(parents=True, exist_ok=True)
            place: Callable[[str, str], Any]
            if instance.SOPInstanceUID in self._stage["+"]:
                src = instance.path
                place = shutil.copyfile
            else:
                src = os.fspath(root / cast(Path, self._file_id_path(instance.node)))
                place = shutil.move

            place(os.fspath(src), os.fspath(dst))
            instance.node._record.ReferencedFileID = instance.FileID.split(os.path.sep)

    def _create_dicomdir(self) -> Dataset:
        """A new DICOMDIR with the File-set Identification module and no
        records (PS3.3 §F.2)."""
        ds = Dataset()
        ds.filename = None

        ds.file_meta = FileMetaDataset()
        ds.file_meta.TransferSyntaxUID = ExplicitVRLittleEndian
        ds.file_meta.MediaStorageSOPInstanceUID = self.UID
        ds.file_meta.MediaStorageSOPClassUID = MediaStorageDirectoryStorage

        ds.FileSetID = self.ID
        ds.OffsetOfTheFirstDirectoryRecordOfTheRootDirectoryEntity = 0
        ds.OffsetOfTheLastDirectoryRecordOfTheRootDirectoryEntity = 0
        ds.FileSetConsistencyFlag = 0
        ds.DirectoryRecordSequence = []

        if self.descriptor_file_id:
            ds.FileSetDescriptorFileID = self.descriptor_file_id
        if self.descriptor_character_set:
            ds.SpecificCharacterSetOfFileSetDescriptorFile = self.descriptor_character_set

        return ds

    def _write_dicomdir(self, fp: DicomFileLike, copy_safe: bool = False, force_implicit: bool = False) -> None:
        """Encode the DICOMDIR of the current record tree and write it to `fp`.

        The records are linked by the byte offsets of their items from the
        start of the file (PS3.3 §F.3.2.1), so each record's encoded length
        is measured first, with fastdicom's writer, to place the records;
        then the offsets are set and the whole DICOMDIR written at once.

        Parameters
        ----------
        fp : file-like
            Where to write, with a ``write()`` method.
        copy_safe : bool, optional
            ``True`` to leave the File-set's DICOMDIR and records unchanged
            (the records written are copies); only the nodes' ``_offset``
            change.
        force_implicit : bool, optional
            ``True`` for Implicit VR Little Endian, which is non-conformant
            (PS3.10 §8.6 requires Explicit VR Little Endian).
        """
        ds = self._ds
        if copy_safe or not ds:
            ds = self._create_dicomdir()

        ds.file_meta.TransferSyntaxUID = ImplicitVRLittleEndian if force_implicit else ExplicitVRLittleEndian
        ds[_FIRST_OFFSET].value = 0
        ds[_LAST_OFFSET].value = 0

        out = DicomBytesIO()
        out.is_little_endian = True
        out.is_implicit_VR = False
        # PS3.10 §7.1: the preamble, "DICM" and the File Meta group
        out.write(b"\x00" * 128 + b"DICM")
        write_file_meta_info(out, ds.file_meta, enforce_standard=True)

        # The items of the Directory Record Sequence start after the elements
        #   before it and the sequence's own header (tag, [VR, reserved], length)
        charset = ds.get("SpecificCharacterSet") or default_encoding
        offset = out.tell() + _encoded_length(ds[:_TAG_RECORD_SEQUENCE], force_implicit, default_encoding)
        offset += 8 if force_implicit else 12
        nodes = list(self._tree)
        for node in nodes:
            node._offset = offset
            offset += _ITEM_HEADER_LENGTH + node._encode_record(force_implicit, charset)
            if node._record.is_undefined_length_sequence_item:
                offset += _ITEM_HEADER_LENGTH  # the Item Delimitation Item

        records = []
        for node in nodes:
            if copy_safe:
                record = copy.deepcopy(node._record)
                _link(record, node)
            else:
                node._update_record_offsets()
                record = node._record
            records.append(record)
        ds.DirectoryRecordSequence = records

        if self._tree.children:
            ds[_FIRST_OFFSET].value = self._tree.children[0]._offset
            ds[_LAST_OFFSET].value = self._tree.children[-1]._offset

        out.is_implicit_VR = force_implicit
        write_dataset(out, ds)
        data = out.getvalue()

        # Every offset must land on an item tag, or readers follow the links
        #   into the middle of a record
        for node in nodes:
            if data[node._offset : node._offset + 4] != _ITEM_TAG_LE:
                raise RuntimeError(
                    f"Encoding the DICOMDIR placed the {node.record_type} record "
                    f"elsewhere than at offset {node._offset}"
                )

        fp.write(data)


def _as_dataset(ds_or_path: DSPathType) -> Dataset:
    """`ds_or_path` itself, or the dataset read from that path."""
    if isinstance(ds_or_path, (str, os.PathLike)):
        return dcmread(ds_or_path)

    return ds_or_path


# -- Directory record creation (PS3.3 Annex F.5) ------------------------------
# For each record type, its elements and how they are taken from the
# instance: "1" must be present and not empty, "2" is copied (empty when
# absent), "1C" is copied when present and must then not be empty. The
# Type 1 elements are checked first, in the order given, so the first one
# missing is the one reported.
_CONTENT_ID = (("InstanceNumber", "1"), ("ContentDate", "1"), ("ContentTime", "1"), ("ContentLabel", "1"),
               ("ContentDescription", "2"), ("ContentCreatorName", "2"))
_GENERIC_CONTENT = (("InstanceNumber", "1"), ("ContentDate", "1"), ("ContentTime", "1"))
_RECORD_ELEMENTS: dict[str, tuple[tuple[str, str], ...]] = {
    "PATIENT": (("PatientName", "2"), ("PatientID", "1")),
    "STUDY": (
        ("StudyDate", "1"), ("StudyTime", "1"), ("StudyDescription", "2"), ("StudyInstanceUID", "1C"),
        ("StudyID", "1"), ("AccessionNumber", "2"),
    ),
    "SERIES": (("Modality", "1"), ("SeriesInstanceUID", "1"), ("SeriesNumber", "1")),
    "IMAGE": (("InstanceNumber", "1"),),
    "RT DOSE": (("InstanceNumber", "1"), ("DoseSummationType", "1")),
    "RT STRUCTURE SET": (
        ("InstanceNumber", "1"), ("StructureSetLabel", "1"), ("StructureSetDate", "2"), ("StructureSetTime", "2"),
    ),
    "RT PLAN": (("InstanceNumber", "1"), ("RTPlanLabel", "1"), ("RTPlanDate", "2"), ("RTPlanTime", "2")),
    "RT TREAT RECORD": (("InstanceNumber", "1"), ("TreatmentDate", "2"), ("TreatmentTime", "2")),
    "PRESENTATION": (
        ("PresentationCreationDate", "1"), ("PresentationCreationTime", "1"), ("InstanceNumber", "1"),
        ("ContentLabel", "1"), ("ContentDescription", "2"), ("ContentCreatorName", "2"),
        ("ReferencedSeriesSequence", "1C"), ("BlendingSequence", "1C"),
    ),
    "WAVEFORM": _GENERIC_CONTENT,
    "SR DOCUMENT": (
        ("InstanceNumber", "1"), ("CompletionFlag", "1"), ("VerificationFlag", "1"), ("ContentDate", "1"),
        ("ContentTime", "1"), ("VerificationDateTime", "1C"), ("ConceptNameCodeSequence", "1"),
        ("ContentSequence", "1C"),
    ),
    "KEY OBJECT DOC": (
        ("InstanceNumber", "1"), ("ContentDate", "1"), ("ContentTime", "1"), ("ConceptNameCodeSequence", "1"),
        ("ContentSequence", "1C"),
    ),
    "SPECTROSCOPY": (
        ("ImageType", "1"), ("ContentDate", "1"), ("ContentTime", "1"), ("InstanceNumber", "1"),
        ("ReferencedImageEvidenceSequence", "1C"), ("NumberOfFrames", "1"), ("Rows", "1"), ("Columns", "1"),
        ("DataPointRows", "1"), ("DataPointColumns", "1"),
    ),
    "RAW DATA": _GENERIC_CONTENT,
    "REGISTRATION": _CONTENT_ID,
    "FIDUCIAL": _CONTENT_ID,
    "HANGING PROTOCOL": (
        ("HangingProtocolCreator", "1"), ("HangingProtocolCreationDateTime", "1"),
        ("HangingProtocolDefinitionSequence", "1"), ("NumberOfPriorsReferenced", "1"),
        ("HangingProtocolUserIdentificationCodeSequence", "2"),
    ),
    "ENCAP DOC": (
        ("ContentDate", "2"), ("ContentTime", "2"), ("InstanceNumber", "1"), ("DocumentTitle", "2"),
        ("HL7InstanceIdentifier", "1C"), ("ConceptNameCodeSequence", "2"), ("MIMETypeOfEncapsulatedDocument", "1"),
    ),
    "VALUE MAP": _CONTENT_ID,
    "STEREOMETRIC": (),
    "PALETTE": (("ContentLabel", "1"), ("ContentDescription", "2")),
    "IMPLANT": (("Manufacturer", "1"), ("ImplantName", "1"), ("ImplantSize", "1C"), ("ImplantPartNumber", "1")),
    "IMPLANT ASSY": (
        ("ImplantAssemblyTemplateName", "1"), ("Manufacturer", "1"), ("ProcedureTypeCodeSequence", "1"),
    ),
    "IMPLANT GROUP": (("ImplantTemplateGroupName", "1"), ("ImplantTemplateGroupIssuer", "1")),
    "PLAN": (),
    "MEASUREMENT": _CONTENT_ID,
    "SURFACE": _CONTENT_ID,
    "SURFACE SCAN": (("ContentDate", "1"), ("ContentTime", "1")),
    "TRACT": _CONTENT_ID,
    "ASSESSMENT": (("InstanceNumber", "1"), ("InstanceCreationDate", "1"), ("InstanceCreationTime", "2")),
    "RADIOTHERAPY": (
        ("InstanceNumber", "1"), ("UserContentLabel", "1C"), ("UserContentLongLabel", "1C"),
        ("ContentDescription", "2"), ("ContentCreatorName", "2"),
    ),
}


def _check_dataset(ds: Dataset, keywords: list[str]) -> None:
    """Check that `ds` has the elements `keywords`, each with a value.

    Parameters
    ----------
    ds : Dataset
    keywords : list of str

    Raises
    ------
    ValueError
        For the first element missing or empty.
    """
    for keyword in keywords:
        tag = Tag(cast(int, tag_for_keyword(keyword)))
        name = dictionary_description(tag)
        if keyword not in ds:
            raise ValueError(f"The instance's {tag} '{name}' element is missing")

        if ds[keyword].VM == 0:
            raise ValueError(f"The instance's {tag} '{name}' element cannot be empty")


def _record_definer(record_type: str) -> Callable[[Dataset], Dataset]:
    """The function making a `record_type` record from an instance."""
    elements = _RECORD_ELEMENTS[record_type]
    required = [keyword for keyword, kind in elements if kind == "1"]

    def define(ds: Dataset) -> Dataset:
        _check_dataset(ds, required)
        record = Dataset()
        for keyword, kind in elements:
            if kind == "1C":
                if keyword not in ds:
                    continue
                _check_dataset(ds, [keyword])
            setattr(record, keyword, ds.get(keyword))

        return record

    define.__name__ = define.__qualname__ = f"_define_{record_type.lower().replace(' ', '_')}"
    define.__doc__ = f"Return a {record_type} directory record from `ds`."
    return define


DIRECTORY_RECORDERS: dict[str, Callable[[Dataset], Dataset]] = {
    record_type: _record_definer(record_type) for record_type in _RECORD_ELEMENTS
}
"""The functions making the non-PRIVATE directory records of an instance, as
``{"RECORD TYPE": callable}``.

Each takes the instance as a :class:`~fastdicom.dataset.Dataset` and returns
the directory record for it (PS3.3 §F.3.2.2 lists the record types). Replace
one to customise the records :meth:`FileSet.add` makes; PRIVATE records need
:meth:`FileSet.add_custom`.
"""

_define_patient = DIRECTORY_RECORDERS["PATIENT"]
_define_study = DIRECTORY_RECORDERS["STUDY"]
_define_series = DIRECTORY_RECORDERS["SERIES"]
_define_image = DIRECTORY_RECORDERS["IMAGE"]


# -- Record types of SOP Classes (PS3.3 Annex F.4, F.5) ----------------------
_SINGLE_LEVEL_SOP_CLASSES: dict[str, str] = {
    sop.HangingProtocolStorage: "HANGING PROTOCOL",
    sop.ColorPaletteStorage: "PALETTE",
    sop.GenericImplantTemplateStorage: "IMPLANT",
    sop.ImplantAssemblyTemplateStorage: "IMPLANT ASSY",
    sop.ImplantTemplateGroupStorage: "IMPLANT GROUP",
}

_LEAF_RECORD_SOP_CLASSES = {
    "RT DOSE": ("RTDoseStorage",),
    "RT STRUCTURE SET": ("RTStructureSetStorage",),
    "RT TREAT RECORD": (
        "RTBeamsTreatmentRecordStorage", "RTBrachyTreatmentRecordStorage", "RTTreatmentSummaryRecordStorage",
        "RTIonBeamsTreatmentRecordStorage",
    ),
    "PRESENTATION": (
        "GrayscaleSoftcopyPresentationStateStorage", "ColorSoftcopyPresentationStateStorage",
        "PseudoColorSoftcopyPresentationStateStorage", "BlendingSoftcopyPresentationStateStorage",
        "XAXRFGrayscaleSoftcopyPresentationStateStorage", "BasicStructuredDisplayStorage",
    ),
    "WAVEFORM": (
        "BasicVoiceAudioWaveformStorage", "TwelveLeadECGWaveformStorage", "GeneralECGWaveformStorage",
        "AmbulatoryECGWaveformStorage", "HemodynamicWaveformStorage", "CardiacElectrophysiologyWaveformStorage",
        "ArterialPulseWaveformStorage", "RespiratoryWaveformStorage", "GeneralAudioWaveformStorage",
        "RoutineScalpElectroencephalogramWaveformStorage", "ElectromyogramWaveformStorage",
        "ElectrooculogramWaveformStorage", "SleepElectroencephalogramWaveformStorage",
        "MultichannelRespiratoryWaveformStorage", "BodyPositionWaveformStorage",
    ),
    "SR DOCUMENT": (
        "BasicTextSRStorage", "EnhancedSRStorage", "ComprehensiveSRStorage", "MammographyCADSRStorage",
        "ChestCADSRStorage", "ProcedureLogStorage", "XRayRadiationDoseSRStorage",
        "SpectaclePrescriptionReportStorage", "ColonCADSRStorage", "MacularGridThicknessAndVolumeReportStorage",
        "ImplantationPlanSRStorage", "Comprehensive3DSRStorage", "RadiopharmaceuticalRadiationDoseSRStorage",
        "ExtensibleSRStorage", "AcquisitionContextSRStorage", "SimplifiedAdultEchoSRStorage",
        "PatientRadiationDoseSRStorage", "PlannedImagingAgentAdministrationSRStorage",
        "PerformedImagingAgentAdministrationSRStorage",
    ),
    "KEY OBJECT DOC": ("KeyObjectSelectionDocumentStorage",),
    "SPECTROSCOPY": ("MRSpectroscopyStorage",),
    "RAW DATA": ("RawDataStorage",),
    "REGISTRATION": ("SpatialRegistrationStorage", "DeformableSpatialRegistrationStorage"),
    "FIDUCIAL": ("SpatialFiducialsStorage",),
    "VALUE MAP": ("RealWorldValueMappingStorage",),
    "STEREOMETRIC": ("StereometricRelationshipStorage",),
    "MEASUREMENT": (
        "LensometryMeasurementsStorage", "AutorefractionMeasurementsStorage", "KeratometryMeasurementsStorage",
        "SubjectiveRefractionMeasurementsStorage", "VisualAcuityMeasurementsStorage",
        "OphthalmicAxialMeasurementsStorage", "OphthalmicVisualFieldStaticPerimetryMeasurementsStorage",
    ),
    "SURFACE": ("SurfaceSegmentationStorage",),
    "SURFACE SCAN": ("SurfaceScanMeshStorage", "SurfaceScanPointCloudStorage"),
    "TRACT": ("TractographyResultsStorage",),
    "ASSESSMENT": ("ContentAssessmentResultsStorage",),
}
_FOUR_LEVEL_SOP_CLASSES = {
    getattr(sop, name): record_type
    for record_type, names in _LEAF_RECORD_SOP_CLASSES.items()
    for name in names
}


def _single_level_record_type(ds: Dataset) -> str:
    """The single-level record type of `ds`'s SOP Class, else ``"PATIENT"``
    (the top of the four-level hierarchy)."""
    return _SINGLE_LEVEL_SOP_CLASSES.get(getattr(ds, "SOPClassUID", ""), "PATIENT")


def _four_level_record_type(ds: Dataset) -> str:
    """The record type of `ds`'s leaf record below PATIENT/STUDY/SERIES."""
    modality = getattr(ds, "Modality", None)
    if modality in ("RTINTENT", "RTSEGANN", "RTRAD"):
        return "RADIOTHERAPY"

    if modality == "PLAN":
        return "PLAN"

    if "EncapsulatedDocument" in ds:
        return "ENCAP DOC"

    if "RTPlanLabel" in ds:
        return "RT PLAN"

    return _FOUR_LEVEL_SOP_CLASSES.get(getattr(ds, "SOPClassUID", None), "IMAGE")
