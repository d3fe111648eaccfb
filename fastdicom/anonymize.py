"""De-identification by the PS3.15 Annex E Application Level Confidentiality Profile.

:class:`Anonymizer` applies Table E.1-1 of PS3.15 2026d, every column
(generated from the standard into :mod:`fastdicom._deid_table` by
``tools/generate_deid_table.py``), with any of the options of PS3.15 §E.3
chosen in a :class:`Profile`:

* every element of every sequence item is visited (private sequences and the
  nested Content Sequence of SR documents too);
* UIDs are replaced by :func:`fastdicom.uid.keyed_uid` (HMAC of a secret
  key): the same original UID gives the same new UID in every file, run and
  machine that uses the key, so references across a study or directory stay
  consistent;
* with the *Retain Longitudinal Temporal Information with Modified Dates*
  option, dates are moved by a whole number of days derived from the key and
  the patient, so intervals within a patient are kept;
* replacement values are valid for their VR; Patient Identity Removed,
  De-identification Method and its Code Sequence (CID 7050) are set;
* private elements go, except those of a safe-private allowlist (by
  default the vendor diffusion tags; Siemens CSA headers on request);
* a file flagged *Burned In Annotation* YES is refused unless allowed.

:func:`find_leaks` is the verification: it lists every identifying string,
date or UID of the original that still occurs anywhere in the output bytes.
Files are written atomically (temporary file, ``fsync``, rename) and an input
is never overwritten unless asked; a directory job records a bad file and
goes on.
"""

from __future__ import annotations

import functools
import gzip
import hashlib
import hmac
import io
import os
import re
import tempfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, fields
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from fastdicom._deid_table import ACTIONS, COLUMNS, MASKED
from fastdicom._uid_dict import UID_dictionary
from fastdicom.charset import convert_encodings
from fastdicom.config import logger
from fastdicom.datadict import dictionary_VR
from fastdicom.dataelem import DataElement, RawDataElement
from fastdicom.dataset import Dataset, FileMetaDataset
from fastdicom.filereader import dcmread
from fastdicom.filewriter import dcmwrite, encode_value
from fastdicom.multival import MultiValue
from fastdicom.sequence import Sequence
from fastdicom.tag import BaseTag
from fastdicom.uid import (
    ExplicitVRBigEndian,
    ExplicitVRLittleEndian,
    ImplicitVRLittleEndian,
    keyed_uid,
)

__all__ = [
    "Profile",
    "Anonymizer",
    "BurnedInAnnotationError",
    "LeakError",
    "atomic_write",
    "Leak",
    "JobReport",
    "anonymize",
    "find_leaks",
    "SAFE_PRIVATE_DIFFUSION",
    "SAFE_PRIVATE_CSA",
]


class BurnedInAnnotationError(ValueError):
    """A file says its pixels carry burned-in text (Burned In Annotation YES)."""


class LeakError(ValueError):
    """The de-identified output still holds identifying values (see :func:`find_leaks`)."""

    def __init__(self, message: str, leaks: list[Leak]) -> None:
        super().__init__(message)
        self.leaks = leaks


# Profile field of each Table E.1-1 option column, in the table's order.
_COLUMN_OPTION = {
    "rtnSafePrivOpt": "retain_safe_private",
    "rtnUIDsOpt": "retain_uids",
    "rtnDevIdOpt": "retain_device_identity",
    "rtnInstIdOpt": "retain_institution_identity",
    "rtnPatCharsOpt": "retain_patient_characteristics",
    "rtnLongFullDatesOpt": "retain_longitudinal_full_dates",
    "rtnLongModifDatesOpt": "retain_longitudinal_modified_dates",
    "cleanDescOpt": "clean_descriptors",
    "cleanStructContOpt": "clean_structured_content",
    "cleanGraphOpt": "clean_graphics",
}

# CID 7050 "De-identification Method" codes (PS3.16), scheme DCM.
_METHOD_CODES = {
    "basic": ("113100", "Basic Application Confidentiality Profile"),
    "clean_pixel_data": ("113101", "Clean Pixel Data Option"),
    "clean_recognizable_visual_features": ("113102", "Clean Recognizable Visual Features Option"),
    "clean_graphics": ("113103", "Clean Graphics Option"),
    "clean_structured_content": ("113104", "Clean Structured Content Option"),
    "clean_descriptors": ("113105", "Clean Descriptors Option"),
    "retain_longitudinal_full_dates": ("113106", "Retain Longitudinal Temporal Information Full Dates Option"),
    "retain_longitudinal_modified_dates": (
        "113107",
        "Retain Longitudinal Temporal Information Modified Dates Option",
    ),
    "retain_patient_characteristics": ("113108", "Retain Patient Characteristics Option"),
    "retain_device_identity": ("113109", "Retain Device Identity Option"),
    "retain_uids": ("113110", "Retain UIDs Option"),
    "retain_safe_private": ("113111", "Retain Safe Private Option"),
    "retain_institution_identity": ("113112", "Retain Institution Identity Option"),
}


@dataclass(frozen=True)
class Profile:
    """The Basic Profile and the options of PS3.15 §E.3 to apply.

    Every option is off by default: the Basic Application Level
    Confidentiality Profile alone.

    Attributes
    ----------
    clean_pixel_data : bool
        §E.3.1: blank the :attr:`Anonymizer.pixel_regions` rectangles of every
        frame (native or decodable pixel data), then Burned In Annotation NO.
    clean_recognizable_visual_features : bool
        §E.3.2: the caller states that the images have had recognizable
        features removed; it is recorded (code 113102, Recognizable Visual
        Features NO).  fastdicom does not deface images itself.
    clean_graphics, clean_structured_content, clean_descriptors : bool
        §E.3.3-E.3.5: the elements whose table action is C are kept with
        every identifying string of the dataset scrubbed out of their text
        (sequences are kept and cleaned item by item; bitmaps such as
        Overlay Data are kept as they are: reading text in them is left to
        the user who chooses the option).
    retain_longitudinal_full_dates, retain_longitudinal_modified_dates : bool
        §E.3.6: keep dates and times, or move dates by a per-patient offset
        (whole days, so intervals and times of day are kept).
    retain_patient_characteristics, retain_device_identity,
    retain_institution_identity, retain_uids, retain_safe_private : bool
        §E.3.7-E.3.11: keep those groups of attributes (the safe private
        elements are those of :attr:`Anonymizer.safe_private`); the AE
        Titles that Retain Device Identity cleans get a keyed stand-in
        (:meth:`Anonymizer.device_pseudonym`).
    """

    clean_pixel_data: bool = False
    clean_recognizable_visual_features: bool = False
    clean_graphics: bool = False
    clean_structured_content: bool = False
    clean_descriptors: bool = False
    retain_longitudinal_full_dates: bool = False
    retain_longitudinal_modified_dates: bool = False
    retain_patient_characteristics: bool = False
    retain_device_identity: bool = False
    retain_institution_identity: bool = False
    retain_uids: bool = False
    retain_safe_private: bool = False

    def __post_init__(self) -> None:
        if self.retain_longitudinal_full_dates and self.retain_longitudinal_modified_dates:
            raise ValueError("the full-dates and modified-dates options exclude each other (PS3.15 §E.3.6)")

    @property
    def options(self) -> list[str]:
        """list of str: The names of the options that are on."""
        return [f.name for f in fields(self) if getattr(self, f.name)]

    def action(self, columns: tuple[str, ...]) -> str:
        """The action of one Table E.1-1 row under this profile.

        An option's K (keep) wins over its C (clean), and either over the
        Basic Profile; an option's X (the 2020 edition's Retain UIDs had one;
        2026d has none) replaces the Basic Profile action.

        Parameters
        ----------
        columns : tuple of str
            The row: the Basic Profile action then :data:`COLUMNS`.

        Returns
        -------
        str
            One of ``K C X Z D U`` and the Basic Profile combinations.
        """
        chosen = ""
        for name, value in zip(COLUMNS, columns[1:]):
            if value and getattr(self, _COLUMN_OPTION[name]):
                if value == "K" or not chosen or (value == "C" and chosen == "X"):
                    chosen = value
        return chosen or columns[0]


# Safe private elements: (group, private creator, element byte) -> reason.
SAFE_PRIVATE_DIFFUSION: dict[tuple[int, str, int], str] = {
    (0x0019, "SIEMENS MR HEADER", 0x0C): "B_value",
    (0x0019, "SIEMENS MR HEADER", 0x0D): "DiffusionDirectionality",
    (0x0019, "SIEMENS MR HEADER", 0x0E): "DiffusionGradientDirection",
    (0x0019, "SIEMENS MR HEADER", 0x27): "B_matrix",
    (0x0019, "SIEMENS MR HEADER", 0x0A): "NumberOfImagesInMosaic",
    (0x0043, "GEMS_PARM_01", 0x39): "Slop_int_6...slop_int_9 (b-value)",
    (0x0019, "GEMS_ACQU_01", 0xBB): "User data 20 (gradient x)",
    (0x0019, "GEMS_ACQU_01", 0xBC): "User data 21 (gradient y)",
    (0x0019, "GEMS_ACQU_01", 0xBD): "User data 22 (gradient z)",
    (0x0019, "GEMS_ACQU_01", 0xE0): "DTI diffusion directions",
    (0x0043, "GEMS_PARM_01", 0x2C): "Effective echo spacing",
    (0x2001, "Philips Imaging DD 001", 0x03): "Diffusion B-Factor",
    (0x2001, "Philips Imaging DD 001", 0x04): "Diffusion Direction",
    (0x2005, "Philips MR Imaging DD 001", 0xB0): "Diffusion Direction RL",
    (0x2005, "Philips MR Imaging DD 001", 0xB1): "Diffusion Direction AP",
    (0x2005, "Philips MR Imaging DD 001", 0xB2): "Diffusion Direction FH",
}
"""Vendor diffusion elements (b-values, gradient directions, mosaics) that
diffusion tools read; kept by ``retain_safe_private`` by default."""

SAFE_PRIVATE_CSA: dict[tuple[int, str, int], str] = {
    (0x0029, "SIEMENS CSA HEADER", 0x10): "CSA Image Header Info",
    (0x0029, "SIEMENS CSA HEADER", 0x20): "CSA Series Header Info",
    (0x0029, "SIEMENS CSA HEADER", 0x08): "CSA Image Header Type",
    (0x0029, "SIEMENS CSA HEADER", 0x09): "CSA Image Header Version",
    (0x0029, "SIEMENS CSA HEADER", 0x18): "CSA Series Header Type",
    (0x0029, "SIEMENS CSA HEADER", 0x19): "CSA Series Header Version",
}
"""Siemens CSA headers (slice normal, mosaic layout, diffusion); they hold
the protocol as text, so they are kept only when asked for."""

# Dummy values that are valid for their VR (PS3.5 §6.2), for action D.
_DUMMY: dict[str, Any] = {
    "AE": "ANONYMOUS",
    "AS": "000Y",
    "CS": "ANONYMIZED",
    "DA": "19000101",
    "DT": "19000101000000",
    "TM": "000000",
    "DS": "0",
    "IS": "0",
    "LO": "ANONYMIZED",
    "LT": "ANONYMIZED",
    "SH": "ANONYMIZED",
    "ST": "ANONYMIZED",
    "UC": "ANONYMIZED",
    "UT": "ANONYMIZED",
    "PN": "ANONYMIZED",
    "UR": "",
    "AT": 0,
    "FL": 0.0,
    "FD": 0.0,
    "SL": 0,
    "SS": 0,
    "SV": 0,
    "UL": 0,
    "US": 0,
    "UV": 0,
}
_TEXT_VRS = frozenset({"AE", "CS", "LO", "LT", "SH", "ST", "UC", "UT", "PN", "UR"})
_STRING_VRS = _TEXT_VRS | {"AS", "DA", "DT", "TM", "DS", "IS", "UI"}
_PIXEL_DATA = 0x7FE00010
_BURNED_IN = 0x00280301
_PATIENT_ID = 0x00100020
_PATIENT_NAME = 0x00100010
_SOP_INSTANCE_UID = 0x00080018
_MIN_NEEDLE = 4  # shorter strings ('CT', 'M', '1') identify nobody and occur by chance


def _resolve(action: str, vr: str) -> str:
    """One concrete action for a Basic Profile combination.

    The table's ``X/Z``, ``X/D``, ``Z/D``, ``X/Z/D`` leave the choice to the
    attribute's Type in its IOD (PS3.15 §E.1.1); without the IOD at hand the
    value that is valid for every Type is chosen: D where D is allowed (a
    Type 1 attribute stays valid), else Z (Type 2).  ``X/Z/U*`` is U for a
    UID, else Z.
    """
    if "/" not in action:
        return action
    if action == "X/Z/U*":
        # A reference sequence (Source Image, Referenced Image...) keeps its
        # items with their UIDs replaced, which every Type conforms to and
        # which keeps references within the de-identified study working.
        return "U" if vr in ("UI", "SQ") else "Z"
    return "D" if action.endswith("D") else "Z"


@dataclass
class Leak:
    """An identifying value of the original found in the output bytes."""

    path: str
    value: str
    offset: int


@dataclass
class JobReport:
    """What a directory (or file list) job did."""

    written: list[tuple[str, str]] = field(default_factory=list)
    failed: list[tuple[str, str]] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """bool: Whether every input was written."""
        return not self.failed


class Anonymizer:
    """De-identify datasets and files by PS3.15 Annex E.

    Parameters
    ----------
    key : bytes or str, optional
        The secret behind the new UIDs, pseudonyms and date offsets.  Keep it
        to de-identify more files of the same studies later with the same
        results; without it nothing can be mapped back.  ``None`` makes a
        random key: consistent within this object only.
    profile : Profile, optional
        The options; default the Basic Profile alone.
    allow_burned_in : bool, optional
        De-identify files flagged Burned In Annotation YES (they are refused
        by default, since text in the pixels is not removed).
    safe_private : dict, optional
        ``(group, creator, element byte)`` keys of the private elements that
        ``retain_safe_private`` keeps; default :data:`SAFE_PRIVATE_DIFFUSION`.
    pixel_regions : list of (row0, col0, row1, col1), optional
        The rectangles that ``clean_pixel_data`` blanks in every frame.
    """

    def __init__(
        self,
        key: bytes | str | None = None,
        profile: Profile | None = None,
        *,
        allow_burned_in: bool = False,
        safe_private: dict[tuple[int, str, int], str] | None = None,
        pixel_regions: list[tuple[int, int, int, int]] | None = None,
    ) -> None:
        if key is None:
            key = os.urandom(32)
        self.key = key.encode("utf-8") if isinstance(key, str) else bytes(key)
        if not self.key:
            raise ValueError("the key must not be empty")
        self.profile = profile or Profile()
        self.allow_burned_in = allow_burned_in
        self.safe_private = dict(SAFE_PRIVATE_DIFFUSION if safe_private is None else safe_private)
        self._safe_keys = {(g, c.strip().upper(), e) for g, c, e in self.safe_private}
        self.pixel_regions = list(pixel_regions or [])
        if self.profile.clean_pixel_data and not self.pixel_regions:
            raise ValueError("clean_pixel_data needs the pixel_regions to blank")
        self._uid_cache: dict[str, str] = {}
        # Action of each table tag under this profile, resolved once.
        self._actions: dict[int, str | None] = {tag: self.profile.action(row) for tag, row in ACTIONS.items()}
        self._masked = [(m, v, self.profile.action(row)) for m, v, row in MASKED]

    # -- values -------------------------------------------------------------

    def _mac(self, purpose: str, text: str) -> bytes:
        return hmac.new(self.key, f"{purpose}\x00{text}".encode("utf-8", "surrogatepass"), hashlib.sha256).digest()

    def new_uid(self, uid: str) -> str:
        """The keyed replacement of `uid` (registry UIDs such as SOP Classes are kept).

        Parameters
        ----------
        uid : str

        Returns
        -------
        str
        """
        uid = uid.strip(" \x00")
        if not uid or uid in UID_dictionary:
            return uid
        new = self._uid_cache.get(uid)
        if new is None:
            new = self._uid_cache[uid] = str(keyed_uid(uid, self.key))
        return new

    def pseudonym(self, patient: str) -> str:
        """A keyed pseudonym for a patient: ``'ANON'`` and 16 hexadecimal digits.

        Parameters
        ----------
        patient : str
            The original Patient ID (or name).

        Returns
        -------
        str
        """
        return "ANON" + self._mac("patient", patient).hex()[:16].upper()

    def date_offset(self, patient: str) -> int:
        """Days (between -3650 and -1) that dates of `patient` move by.

        Parameters
        ----------
        patient : str

        Returns
        -------
        int
        """
        return -1 - int.from_bytes(self._mac("date-offset", patient)[:8], "big") % 3650

    # -- datasets -----------------------------------------------------------

    def action_for(self, tag: int) -> str | None:
        """The Table E.1-1 action for `tag` under the profile, or ``None`` if unlisted.

        Parameters
        ----------
        tag : int

        Returns
        -------
        str or None
        """
        try:
            return self._actions[tag]
        except KeyError:
            pass
        action = None
        for mask, value, masked_action in self._masked:
            if tag & mask == value:
                action = masked_action
                break
        if len(self._actions) < 65536:  # unlisted tags remembered too, within reason
            self._actions[tag] = action
        return action

    def anonymize(self, ds: Dataset) -> Dataset:
        """De-identify `ds` in place.

        Parameters
        ----------
        ds : Dataset

        Returns
        -------
        Dataset
            `ds` itself.

        Raises
        ------
        BurnedInAnnotationError
            If `ds` says Burned In Annotation YES and burned-in files are not allowed.
        """
        burned = ds.get_item(_BURNED_IN)
        if burned is not None and _vr(ds, _BURNED_IN, burned) != "CS":
            # a flag read with another VR (a corrupt file) is read again as
            # the CS it is, or a YES read as numbers would let the file through
            self._with_dictionary_vr(ds, _BURNED_IN, burned, _vr(ds, _BURNED_IN, burned))
        burned = ds.get(_BURNED_IN)
        if burned is not None and str(burned.value).strip().upper() == "YES" and not self.allow_burned_in:
            if not self.profile.clean_pixel_data:
                raise BurnedInAnnotationError(
                    "Burned In Annotation is YES: the pixels carry text that de-identification does not "
                    "remove; allow burned-in files or clean the pixel regions"
                )
        patient = self._patient_key(ds)
        state = _State(
            offset=self.date_offset(patient),
            pseudonym=self.pseudonym(patient),
            scrub=self._scrub_pattern(ds) if self._cleans_text() else None,
        )
        if self.profile.clean_pixel_data and _PIXEL_DATA in ds:
            self._clean_pixels(ds)
        self._dataset(ds, state)
        self._mark(ds)
        self._file_meta(ds)
        return ds

    def _file_meta(self, ds: Dataset) -> None:
        """A new File Meta group (PS3.10 §7.1) holding no identifying value.

        Only the SOP Class, the (new) SOP Instance and the transfer syntax are
        carried over: the Source/Sending/Receiving AE Titles and the private
        information of the old group may name a site, and its Implementation
        Class UID could single out the sender.
        """
        old = getattr(ds, "file_meta", None)
        meta = FileMetaDataset()
        # (keyword lookups with get() give the value, as in pydicom)
        syntax = _uid_or_none(old.get("TransferSyntaxUID")) if old is not None else None
        if syntax is None and old is not None and old.get("TransferSyntaxUID") not in (None, ""):
            # A (0002,0010) that is no UID (its VR overwritten, say UL): the
            # file was read in the encoding its bytes showed, which is what
            # the new group names, as for a file without the element.
            logger.warning("anonymize: %s: (0002,0010) 'Transfer Syntax UID' is not a UID (%r); "
                           "the encoding the file was read with is used",
                           getattr(ds, "filename", None) or "<dataset>", old.get("TransferSyntaxUID"))
        if syntax:
            meta.TransferSyntaxUID = syntax
        elif ds.original_encoding[0] is not None:
            implicit, little = ds.original_encoding
            meta.TransferSyntaxUID = (
                ImplicitVRLittleEndian if implicit else ExplicitVRLittleEndian if little else ExplicitVRBigEndian
            )
        elif _PIXEL_DATA not in ds or ds[_PIXEL_DATA].VR in ("OB", "OW"):
            # A dataset made in memory: the PS3.10 file default (PS3.5 §A.2).
            meta.TransferSyntaxUID = ExplicitVRLittleEndian
        # The same for the SOP Class and Instance: only a UID (a str) is carried over.
        sop_class = _uid_or_none(ds.get("SOPClassUID")) or (
            _uid_or_none(old.get("MediaStorageSOPClassUID")) if old is not None else None
        )
        if sop_class:
            meta.MediaStorageSOPClassUID = sop_class
        instance = _uid_or_none(ds.get("SOPInstanceUID"))
        old_instance = _uid_or_none(old.get("MediaStorageSOPInstanceUID")) if old is not None else None
        if instance:
            meta.MediaStorageSOPInstanceUID = instance
        elif old_instance:
            meta.MediaStorageSOPInstanceUID = self.new_uid(old_instance)
        ds.file_meta = meta

    @staticmethod
    def _patient_key(ds: Dataset) -> str:
        for tag in (_PATIENT_ID, _PATIENT_NAME, 0x0020000D):
            elem = ds.get(tag)
            if elem is not None and elem.value not in (None, ""):
                return str(elem.value)
        return ""

    def _cleans_text(self) -> bool:
        p = self.profile
        return p.clean_descriptors or p.clean_structured_content or p.clean_graphics or p.retain_patient_characteristics

    def _scrub_pattern(self, ds: Dataset) -> re.Pattern[str] | None:
        # The identifying strings of this dataset (names, IDs, dates the
        # profile does not keep): a C (clean) text keeps its words but loses these.
        needles = {n for n, _ in _identifying_values(ds, self) if len(n) >= _MIN_NEEDLE}
        if not needles:
            return None
        words = sorted(needles, key=len, reverse=True)
        return re.compile("|".join(re.escape(w) for w in words), re.IGNORECASE)

    def _dataset(self, ds: Dataset, state: _State) -> None:
        private_seen = False
        removed_group = -1
        record = 0x00041430 in ds  # Directory Record Type: an item of a DICOMDIR
        for tag in [int(t) for t in ds.keys()]:
            group = tag >> 16
            if group & 1:
                private_seen = True
                continue
            if group == removed_group:
                continue  # went with its Overlay Data
            if tag & 0xFFFF == 0 and group != 0x0002:
                del ds[tag]  # group lengths (retired, PS3.5 §7.2) would be stale
                continue
            action = self.action_for(tag)
            if action is None:
                # Most elements are unlisted and kept: decide from the data
                # dictionary without decoding them; only sequences (to recurse,
                # also where a corrupt file gives SQ to another element) and
                # UIDs (to replace) are touched.
                known = _dictionary_vr(tag)
                if known not in ("SQ", "UI", "UN") and not _read_as_sequence(ds, tag):
                    continue
                raw = ds.get_item(tag)
                vr = _vr(ds, tag, raw)
                if vr != known and known in ("SQ", "UI"):
                    vr = self._with_dictionary_vr(ds, tag, raw, vr)
                if vr == "SQ":
                    self._sequence(ds[tag].value, state)
                elif vr == "UI" and not self.profile.retain_uids:
                    self._set_uids(ds, tag)
                continue
            if action == "X" and record and _dictionary_vr(tag) != "SQ":
                action = "Z"  # a record's Type 2 keys stay, empty (PS3.3 F.5)
            if action == "X":
                if group & 0xFF01 == 0x6000 and tag & 0xFFFF == 0x3000:
                    # Overlay Data removed: the rest of its Overlay Plane (PS3.3
                    # C.9.2) would describe a missing Type 1 bitmap; it goes too.
                    for other in [int(t) for t in ds.keys() if int(t) >> 16 == group]:
                        del ds[other]
                    removed_group = group
                else:
                    del ds[tag]
                continue
            raw = ds.get_item(tag)
            vr = _vr(ds, tag, raw)
            if vr not in _dictionary_vrs(tag) and _dictionary_vrs(tag) and (
                action != "K" or _dictionary_vr(tag) in ("SQ", "UI")
            ):
                # The file gives the element another VR than the dictionary's
                # (a corrupt or non-conformant file): a replacement made for the
                # dictionary VR written with the file's would be invalid (a UID
                # in a US), and a kept UID or sequence read as numbers or bytes
                # would escape its replacement or recursion.
                vr = self._with_dictionary_vr(ds, tag, raw, vr)
            action = _resolve(action, vr)
            if action == "Z" and record:
                # A DICOMDIR record (PS3.3 F.5) requires its keys (Study Date,
                # Study ID...) as Type 1: a dummy instead of an empty value.
                action = "D"
            self._apply(ds, tag, vr, action, state)
        if private_seen:
            self._private(ds, state)

    def _apply(self, ds: Dataset, tag: int, vr: str, action: str, state: _State) -> None:
        if action == "X":
            del ds[tag]
            return
        if vr == "SQ":
            if action == "Z":
                ds[tag].value = Sequence()
            else:  # K, C, D, U: the items stay, each cleaned by the table
                self._sequence(ds[tag].value, state)
            return
        if action == "K":
            if vr == "UI" and not self.profile.retain_uids:
                self._set_uids(ds, tag)
            return
        elem = ds[tag]
        if action == "Z":
            ds[tag] = DataElement(tag, vr, b"" if _is_binary(vr) else ("" if vr in _STRING_VRS else None))
        elif action == "U" or (action == "D" and vr == "UI"):
            self._set_uids(ds, tag)
        elif action == "D":
            ds[tag] = DataElement(tag, vr, self._dummy(tag, vr, state))
        elif action == "C":
            self._clean(ds, tag, elem, vr, state)

    def _with_dictionary_vr(self, ds: Dataset, tag: int, raw: Any, vr: str) -> str:
        """Rebuild element `tag` of `ds` with its data dictionary VR; returns that VR.

        The element's value is decoded again from its bytes (as read, or
        encoded back with the file's VR `vr`), as if the file had given the
        dictionary VR (PS3.6): a UID read as US becomes its UID text again,
        so it is replaced like every other reference to it.  Bytes that do
        not decode with the dictionary VR leave the element empty, which is
        valid for every VR and keeps nothing of the original.
        """
        want = _dictionary_vr(tag)
        data: bytes | None = None
        little = raw.is_little_endian if raw.is_raw else ds.original_encoding[1] is not False
        if raw.is_raw:
            if raw.value is not None:
                data = bytes(raw.value)
        elif raw.value is not None and vr != "SQ":
            try:
                encoded = encode_value(tag, vr, raw.value, convert_encodings(ds._character_set), little)
            except Exception:  # noqa: BLE001 - a value the file's VR cannot encode: nothing to keep
                encoded = None
            data = encoded if isinstance(encoded, bytes) else None
        if data:
            # a UN value is implicit VR little endian inside (PS3.5 §6.2.2)
            implicit = vr == "UN" or bool(raw.is_implicit_VR if raw.is_raw else ds.original_encoding[0])
            ds[tag] = RawDataElement(BaseTag(tag), want, len(data), data, 0, implicit, little or vr == "UN")
            try:
                return _vr(ds, tag, ds[tag])  # the conversion as the reader does it
            except Exception:  # noqa: BLE001 - bytes that are no value of the dictionary VR
                pass
        if want == "SQ":
            ds[tag] = DataElement(tag, want, Sequence())
        else:
            ds[tag] = DataElement(tag, want, b"" if _is_binary(want) else ("" if want in _STRING_VRS else None))
        return want

    def _dummy(self, tag: int, vr: str, state: _State) -> Any:
        if tag in (_PATIENT_ID, _PATIENT_NAME) and vr in _TEXT_VRS:
            return state.pseudonym  # a keyed pseudonym: one patient's files stay together
        if _is_binary(vr):
            return b""
        return _DUMMY.get(vr, "")

    def device_pseudonym(self, ae_title: str) -> str:
        """A keyed stand-in for an AE Title: ``'DEV'`` and 13 hexadecimal digits.

        PS3.15 2026d Table E.1-1 cleans (C), rather than keeps, the AE Titles
        under the Retain Device Identity option (Station AE Title, Retrieve,
        Scheduled and Performed Station AE Titles...): a title often names
        the site.  The stand-in is the same for the same title under one key,
        so devices stay told apart across files, and it is a valid AE value
        (16 characters, PS3.5 §6.2).

        Parameters
        ----------
        ae_title : str

        Returns
        -------
        str
        """
        return "DEV" + self._mac("ae-title", ae_title.strip()).hex()[:13].upper()

    def _clean(self, ds: Dataset, tag: int, elem: DataElement, vr: str, state: _State) -> None:
        if vr == "AE":
            if elem.value:
                values = elem.value if _is_multi(elem.value) else [elem.value]
                cleaned = [self.device_pseudonym(str(v)) if str(v).strip() else "" for v in values]
                elem.value = cleaned if _is_multi(elem.value) else cleaned[0]
            return
        if vr in ("DA", "DT"):
            if self.profile.retain_longitudinal_modified_dates:
                elem.value = _shift_dates(elem.value, state.offset)
            return
        if vr == "TM":
            return  # dates move by whole days: times of day are kept
        if vr in _TEXT_VRS and state.scrub is not None and elem.value:
            values = elem.value if _is_multi(elem.value) else [elem.value]
            cleaned = [state.scrub.sub("", str(v)) for v in values]
            # A value that was nothing but identifying text becomes the dummy,
            # not empty: C may fall on a Type 1 attribute (Structure Set Label,
            # Clean Descriptors in 2026d), which must keep a value.
            cleaned = [c if c.strip() or not str(v).strip() else _DUMMY.get(vr, "")
                       for c, v in zip(cleaned, values)]
            elem.value = cleaned if _is_multi(elem.value) else cleaned[0]

    def _set_uids(self, ds: Dataset, tag: int) -> None:
        elem = ds[tag]
        value = elem.value
        if not value:
            return
        if _is_multi(value):
            elem.value = [self.new_uid(str(v)) for v in value]
        else:
            elem.value = self.new_uid(str(value))

    def _sequence(self, seq: Iterable[Dataset], state: _State) -> None:
        for item in seq:
            self._dataset(item, state)

    def _private(self, ds: Dataset, state: _State) -> None:
        keep_private = self.profile.retain_safe_private
        creators: dict[tuple[int, int], str] = {}
        kept_blocks: set[tuple[int, int]] = set()
        for tag in [int(t) for t in ds.keys() if (int(t) >> 16) & 1]:
            group, elem = tag >> 16, tag & 0xFFFF
            if 0x0010 <= elem <= 0x00FF:
                value = ds[tag].value
                creators[(group, elem)] = str(value).strip().upper() if value is not None else ""
        for tag in [int(t) for t in ds.keys() if (int(t) >> 16) & 1]:
            group, elem = tag >> 16, tag & 0xFFFF
            if elem < 0x1000:
                continue  # creators decided below, group lengths removed with them
            block = (group, elem >> 8)
            creator = creators.get(block)
            if keep_private and creator is not None and (group, creator, elem & 0xFF) in self._safe_keys:
                kept_blocks.add(block)
                raw = ds.get_item(tag)
                vr = raw.VR or "UN"
                if vr == "SQ":
                    self._sequence(ds[tag].value, state)
                elif vr == "UI" and not self.profile.retain_uids:
                    self._set_uids(ds, tag)
                continue
            del ds[tag]
        for tag in [int(t) for t in ds.keys() if (int(t) >> 16) & 1]:
            group, elem = tag >> 16, tag & 0xFFFF
            if elem < 0x1000 and (group, elem) not in kept_blocks:
                del ds[tag]

    def _clean_pixels(self, ds: Dataset) -> None:
        """§E.3.1: blank the configured rectangles in every frame."""
        array = ds.pixel_array.copy()
        for row0, col0, row1, col1 in self.pixel_regions:
            if array.ndim == 2 or (array.ndim == 3 and ds.get("SamplesPerPixel", 1) > 1 and
                                   int(ds.get("NumberOfFrames", 1) or 1) == 1):
                array[row0:row1, col0:col1, ...] = 0
            else:
                array[:, row0:row1, col0:col1, ...] = 0
        photometric = str(ds.PhotometricInterpretation)
        if photometric.startswith("YBR"):
            photometric = "RGB"  # decoded YBR comes back as RGB
        ds.set_pixel_data(array, photometric, int(ds.BitsStored), generate_instance_uid=False)
        # a new element, not the value of the old one: a corrupt file may
        # have given it another VR than CS, which "NO" is no value of
        ds[_BURNED_IN] = DataElement(_BURNED_IN, "CS", "NO")

    def _mark(self, ds: Dataset) -> None:
        """Patient Identity Removed, the method and its codes (PS3.15 §E.1.1, PS3.3 C.7.1.1)."""
        # Elements made by tag: the keyword path of __setattr__ costs more than
        # the rest of a small file's de-identification.
        options = self.profile.options
        ds[0x00120062] = DataElement(0x00120062, "CS", "YES")  # Patient Identity Removed
        ds[0x00120063] = DataElement(0x00120063, "LO", ["fastdicom: PS3.15 E.1 Basic Profile"] + [
            _METHOD_CODES[o][1][:64] for o in options
        ])  # De-identification Method
        items = []
        for name in ["basic", *options]:
            code, meaning = _METHOD_CODES[name]
            item = Dataset()
            item[0x00080100] = DataElement(0x00080100, "SH", code)
            item[0x00080102] = DataElement(0x00080102, "SH", "DCM")
            item[0x00080104] = DataElement(0x00080104, "LO", meaning)
            items.append(item)
        ds[0x00120064] = DataElement(0x00120064, "SQ", Sequence(items))  # its Code Sequence
        p = self.profile
        temporal = ("UNMODIFIED" if p.retain_longitudinal_full_dates
                    else "MODIFIED" if p.retain_longitudinal_modified_dates else "REMOVED")
        ds[0x00280303] = DataElement(0x00280303, "CS", temporal)  # Longitudinal Temporal Information Modified
        if p.clean_recognizable_visual_features:
            ds[0x00280302] = DataElement(0x00280302, "CS", "NO")  # Recognizable Visual Features

    # -- files --------------------------------------------------------------

    @staticmethod
    def encode(ds: Dataset) -> bytes:
        """The bytes of a de-identified `ds`: a PS3.10 file when its File Meta allows.

        Parameters
        ----------
        ds : Dataset

        Returns
        -------
        bytes
        """
        buffer = io.BytesIO()
        meta = ds.file_meta
        complete = all(k in meta for k in ("TransferSyntaxUID", "MediaStorageSOPClassUID",
                                           "MediaStorageSOPInstanceUID"))
        dcmwrite(buffer, ds, enforce_file_format=complete)
        return buffer.getvalue()

    def anonymize_file(self, src: str | os.PathLike[str], dst: str | os.PathLike[str], *, overwrite: bool = False,
                       force: bool = False, check: bool = False) -> bytes:
        """Read `src`, de-identify it and write `dst` atomically.

        Parameters
        ----------
        src, dst : path
        overwrite : bool, optional
            Allow `dst` to exist, or to be `src` itself.
        force : bool, optional
            Read files without the DICOM preamble (``dcmread(force=True)``).
        check : bool, optional
            Run :func:`find_leaks` on the output before writing it.

        Returns
        -------
        bytes
            The de-identified file's bytes (written gzipped when `src` is).

        Raises
        ------
        FileExistsError
            If `dst` exists (or is `src`) and `overwrite` is false.
        LeakError
            With `check`, if an identifying value remains (nothing is written).
        """
        src, dst = Path(src), Path(dst)
        if not overwrite and (dst.exists() or _same_file(src, dst)):
            raise FileExistsError(f"{dst}: exists (overwrite not asked for)")
        raw = src.read_bytes()
        gzipped = raw[:2] == b"\x1f\x8b"
        if gzipped:  # a gzipped file (as in dcm2niix's test data) is written back gzipped
            raw = gzip.decompress(raw)
        ds = dcmread(io.BytesIO(raw), force=force)
        ds.filename = str(src)
        self.anonymize(ds)
        data = self.encode(ds)
        if check:
            leaks = find_leaks(dcmread(io.BytesIO(raw), force=force), data, self)
            if leaks:
                first = leaks[0]
                raise LeakError(
                    f"{len(leaks)} identifying value(s) remain, first {first.value!r} of {first.path} "
                    f"at byte {first.offset}; not written",
                    leaks,
                )
        atomic_write(dst, gzip.compress(data, mtime=0) if gzipped else data)
        return data

    def anonymize_tree(
        self,
        inputs: Iterable[str | os.PathLike[str]],
        out: str | os.PathLike[str],
        *,
        overwrite: bool = False,
        force: bool = False,
        check: bool = False,
        progress: Callable[[int, int, str], None] | None = None,
    ) -> JobReport:
        """De-identify files and directories into `out`, keeping relative paths.

        A file that cannot be read or de-identified is recorded in the
        report's ``failed`` list; the job goes on with the others.

        Parameters
        ----------
        inputs : iterable of path
            Files and directories (walked recursively).
        out : path
            The output directory (created).
        overwrite, force, check : bool, optional
            As in :meth:`anonymize_file`.
        progress : callable, optional
            Called as ``progress(done, total, path)`` after each file.

        Returns
        -------
        JobReport
        """
        return self.anonymize_files(_plan(inputs), out, overwrite=overwrite, force=force, check=check,
                                    progress=progress)

    def anonymize_files(
        self,
        pairs: Iterable[tuple[str | os.PathLike[str], str | os.PathLike[str]]],
        out: str | os.PathLike[str],
        *,
        overwrite: bool = False,
        force: bool = False,
        check: bool = False,
        progress: Callable[[int, int, str], None] | None = None,
    ) -> JobReport:
        """De-identify ``(source, relative output path)`` pairs into `out`.

        The loop under :meth:`anonymize_tree`, for callers that choose the
        files themselves (the command line skips names that are never DICOM).

        Parameters
        ----------
        pairs : iterable of (path, path)
            Each input file and its output path relative to `out`.
        out : path
        overwrite, force, check : bool, optional
            As in :meth:`anonymize_file`.
        progress : callable, optional
            Called as ``progress(done, total, path)`` after each file.

        Returns
        -------
        JobReport
        """
        work = [(Path(src), Path(out) / rel) for src, rel in pairs]
        report = JobReport()
        for done, (src, dst) in enumerate(work, 1):
            try:
                dst.parent.mkdir(parents=True, exist_ok=True)
                self.anonymize_file(src, dst, overwrite=overwrite, force=force, check=check)
                report.written.append((str(src), str(dst)))
            except Exception as exc:  # noqa: BLE001 - a bad file is recorded, the job goes on
                logger.warning("anonymize: %s: %s", src, exc)
                report.failed.append((str(src), f"{type(exc).__name__}: {exc}"))
            if progress is not None:
                progress(done, len(work), str(src))
        return report


@dataclass
class _State:
    offset: int
    pseudonym: str
    scrub: re.Pattern[str] | None


def _vr(ds: Dataset, tag: int, raw: Any) -> str:
    """The VR of an element, converting it only when the raw VR is missing or UN.

    An implicit VR file has no VR, and a writer may have stored a known
    element (even a sequence) as UN: conversion gives the dictionary VR then,
    as pydicom's ``replace_un_with_known_vr`` does.
    """
    vr = raw.VR
    if vr and vr != "UN":
        return vr
    return ds[tag].VR or dictionary_VR_or_un(tag)


@functools.lru_cache(maxsize=8192)
def _dictionary_vr(tag: int) -> str:
    return dictionary_VR_or_un(tag)


@functools.lru_cache(maxsize=8192)
def _dictionary_vrs(tag: int) -> frozenset[str]:
    """Every VR the data dictionary allows for `tag` (``'US or SS'`` gives two); empty if unknown."""
    try:
        return frozenset(dictionary_VR(tag).split(" or "))
    except KeyError:
        return frozenset()


def dictionary_VR_or_un(tag: int) -> str:
    """The data dictionary VR of `tag` (first of an ambiguous ``'US or SS'``), or ``'UN'``."""
    try:
        vr = dictionary_VR(tag)
    except KeyError:
        return "UN"
    return vr.split(" or ")[0]


def _read_as_sequence(ds: Dataset, tag: int) -> bool:
    """Whether the file gives element `tag` the VR SQ, found without making the element.

    An element the dictionary does not call a sequence may still be one in
    a corrupt file (its VR overwritten): its items are de-identified like
    any other, or what they hold would be written out untouched.
    """
    place = ds._dict.value_place(tag)  # the VR as read, from the parser's table
    if place is not None:
        return place[3] == "SQ"
    elem = ds.get_item(tag)  # made, set or converted already (or no table)
    return elem is not None and elem.VR == "SQ"


def _uid_or_none(value: Any) -> str | None:
    """`value` if it is one UID (a str, as a UI element gives it), else None.

    A corrupt file may give a File Meta UID another VR (a number, bytes,
    several values); such a value names no UID and is treated as missing.
    """
    return value if isinstance(value, str) and value.strip(" \x00") else None


def _is_binary(vr: str) -> bool:
    return vr in ("OB", "OD", "OF", "OL", "OV", "OW", "UN")


def _is_multi(value: Any) -> bool:
    # A PersonName iterates over its characters: only real containers count.
    return isinstance(value, (list, tuple, MultiValue))


def _shift_dates(value: Any, days: int) -> Any:
    if _is_multi(value):
        return [_shift_one(str(v), days) for v in value]
    return _shift_one(str(value), days)


def _shift_one(text: str, days: int) -> str:
    """Move a DA or the date of a DT by `days`; the rest (time, zone) is kept."""
    text = text.strip()
    if len(text) < 8 or not text[:8].isdigit():
        return "" if text else text  # a partial or odd date: nothing safe to keep
    try:
        moved = date(int(text[:4]), int(text[4:6]), int(text[6:8])) + timedelta(days=days)
    except ValueError:
        return ""
    return f"{moved:%Y%m%d}{text[8:]}"


def _same_file(a: Path, b: Path) -> bool:
    try:
        return a.resolve() == b.resolve() or (b.exists() and os.path.samefile(a, b))
    except OSError:
        return False


def atomic_write(path: str | os.PathLike[str], data: bytes) -> None:
    """Write `data` to `path` through a temporary file, ``fsync`` and rename.

    A reader never sees a half-written file, and a crash leaves the old file
    (or none) rather than a truncated one.

    Parameters
    ----------
    path : path
    data : bytes
    """
    path = Path(path)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise
    try:  # the rename itself survives a crash once the directory is synced
        dir_fd = os.open(path.parent, os.O_RDONLY)
        try:
            os.fsync(dir_fd)
        finally:
            os.close(dir_fd)
    except OSError:
        pass


def _plan(inputs: Iterable[str | os.PathLike[str]]) -> Iterator[tuple[Path, Path]]:
    """(file, path relative to its input directory) for files and directory trees."""
    for item in inputs:
        root = Path(item)
        if root.is_dir():
            for dirpath, dirnames, filenames in os.walk(root):
                dirnames.sort()
                for name in sorted(filenames):
                    src = Path(dirpath) / name
                    yield src, src.relative_to(root)
        else:
            yield root, Path(root.name)


def anonymize(ds: Dataset, key: bytes | str | None = None, profile: Profile | None = None, **kwargs: Any) -> Dataset:
    """De-identify `ds` in place with a one-off :class:`Anonymizer`.

    Parameters
    ----------
    ds : Dataset
    key : bytes or str, optional
        See :class:`Anonymizer`.
    profile : Profile, optional
    **kwargs
        Other :class:`Anonymizer` arguments.

    Returns
    -------
    Dataset
    """
    return Anonymizer(key, profile, **kwargs).anonymize(ds)


# -- verification -------------------------------------------------------------


def _identifying_values(ds: Dataset, anonymizer: Anonymizer, path: str = "") -> Iterator[tuple[str, str]]:
    """(value, path) of every string, date or UID that the profile does not keep."""
    for value, where, kept in _classified_values(ds, anonymizer, path):
        if not kept:
            yield value, where


def _classified_values(ds: Dataset, anonymizer: Anonymizer, path: str = "") -> Iterator[tuple[str, str, bool]]:
    """(value, path, kept) of every string value of `ds`, recursively.

    ``kept`` says whether the profile keeps the element's value as it is:
    Table E.1-1 action K (or an unlisted public element), a C (clean) that
    keeps a value (times, cleaned text, dates under the full-dates option).
    UIDs outside the registry are never kept unless the profile retains UIDs.
    """
    profile = anonymizer.profile
    for tag in list(ds.keys()):
        tag = int(tag)
        group = tag >> 16
        raw = ds.get_item(tag)
        vr = _vr(ds, tag, raw)
        where = f"{path}({group:04X},{tag & 0xFFFF:04X})"
        if group == 0x0002 or (group & 1 and tag & 0xFFFF < 0x1000):
            continue  # File Meta is rewritten; private creators name vendors, not patients
        elem = ds[tag]
        if vr == "SQ":
            for index, item in enumerate(elem.value or []):
                yield from _classified_values(item, anonymizer, f"{where}[{index}].")
            continue
        if group & 1:
            block_creator = ds.get((group << 16) | ((tag >> 8) & 0xFF))
            creator = str(block_creator.value).strip().upper() if block_creator is not None else ""
            kept = profile.retain_safe_private and (group, creator, tag & 0xFF) in anonymizer._safe_keys
            yield from ((v, where, kept) for v in _strings(elem, vr))
            continue
        if vr == "UI":
            kept = profile.retain_uids
            yield from ((v, where, kept or v in UID_dictionary) for v in _strings(elem, vr))
            continue
        action = anonymizer.action_for(tag)
        action = "K" if action is None else _resolve(action, vr)
        if action == "C":
            # Cleaned text keeps its non-identifying words; TM is kept by whole-day
            # shifts; dates are kept only by the full-dates option; an AE Title
            # is replaced by its keyed stand-in.
            kept = vr != "AE" and (vr not in ("DA", "DT") or profile.retain_longitudinal_full_dates)
        else:
            kept = action == "K"
        yield from ((v, where, kept) for v in _strings(elem, vr))


_PRINTABLE = re.compile(rb"[\x20-\x7e]{8,}")


def _strings(elem: DataElement, vr: str) -> Iterator[str]:
    value = elem.value
    if value is None or value == "":
        return
    if vr in _STRING_VRS:
        values = value if _is_multi(value) else [value]
        for v in values:
            text = str(v).strip(" \x00")
            if not text:
                continue
            yield text
            if vr == "PN":
                yield from (part for part in re.split(r"[\^=]", text) if part)
    elif isinstance(value, (bytes, bytearray)) and vr in ("UN", "OB", "LT"):
        for run in _PRINTABLE.findall(bytes(value)):
            yield run.decode("ascii").strip()


def _pixel_span(data: bytes) -> tuple[int, int]:
    """The byte range of the top-level Pixel Data value in `data` (empty if none).

    Pixel values are not text: a short number such as ``'4867'`` turns up in
    a megabyte of pixels by chance (four given digits: about 2 in 10**6 per
    position), so the scanner does not count matches there.
    """
    try:
        raw = dcmread(io.BytesIO(data), force=True).get_item(0x7FE00010, keep_deferred=True)
    except Exception:  # noqa: BLE001 - an unreadable output is scanned whole
        return (0, 0)
    if raw is None or getattr(raw, "value_tell", None) is None:
        return (0, 0)
    start = int(raw.value_tell)
    length = raw.length
    end = len(data) if length in (None, 0xFFFFFFFF) else start + int(length)
    return (start, end)


_NUMERIC = re.compile(rb"[0-9.+\- ]+")
_DIGITS = frozenset(b"0123456789.")


def _find_outside(data: bytes, needle: bytes, skip: tuple[int, int]) -> int:
    """First offset of `needle` outside `skip`; a number only as a whole value.

    A numeric needle ('4867', a DS '25.15') is matched only where no digit or
    point touches it: inside the digits of a new ``2.25`` UID it is chance.
    """
    numeric = _NUMERIC.fullmatch(needle) is not None
    offset = data.find(needle)
    while offset >= 0:
        if skip[0] <= offset < skip[1]:
            offset = data.find(needle, skip[1])
            continue
        end = offset + len(needle)
        if numeric and ((offset > 0 and data[offset - 1] in _DIGITS) or (end < len(data) and data[end] in _DIGITS)):
            offset = data.find(needle, offset + 1)
            continue
        return offset
    return -1


def find_leaks(original: Dataset, output: bytes, anonymizer: Anonymizer) -> list[Leak]:
    """Every identifying string, date or UID of `original` still in `output`.

    The values searched are those of the elements that `anonymizer`'s profile
    does not keep (Table E.1-1 actions other than K; every private element
    outside the safe list; every instance UID), of at least four characters,
    in UTF-8 and Latin-1, everywhere in `output` but the Pixel Data value.
    A value that also belongs to an element the output keeps on purpose (say
    a kept Modality equal to a removed description) is not a leak of the
    removed element, and is skipped.

    Parameters
    ----------
    original : Dataset
        The dataset as read, before de-identification.
    output : bytes
        The de-identified file's bytes.
    anonymizer : Anonymizer
        The one that produced `output` (its profile and safe list).

    Returns
    -------
    list of Leak
        Empty when nothing leaked.
    """
    classified = list(_classified_values(original, anonymizer))
    # What the profile keeps, and the replacements it writes, are no leak.
    placed = [v for v in _DUMMY.values() if isinstance(v, str)] + ["ANON"]
    kept_text = "\n".join([v for v, _, kept in classified if kept] + placed).upper()
    skip = _pixel_span(output)
    leaks: list[Leak] = []
    seen: set[str] = set()
    for value, where, kept in classified:
        if kept or len(value) < _MIN_NEEDLE or value in seen:
            continue
        seen.add(value)
        if value.upper() in kept_text:
            continue
        for encoding in ("utf-8", "latin-1"):
            try:
                needle = value.encode(encoding)
            except UnicodeEncodeError:
                continue
            offset = _find_outside(output, needle, skip)
            if offset >= 0:
                leaks.append(Leak(where, value, offset))
                break
    return leaks
