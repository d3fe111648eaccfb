"""Look-ups in the DICOM data dictionaries, with pydicom 3's API.

The tables themselves are generated data (see
``tools/generate_dictionaries.py``): the public dictionary of PS3.6 in
:mod:`fastdicom._dicom_dict` and the vendor private dictionary in
:mod:`fastdicom._private_dict`.  The private tables are large and only
needed for private elements, so they are loaded on first use.
"""

from __future__ import annotations

from typing import Any

from fastdicom._dicom_dict import DicomDictionary, RepeatersDictionary
from fastdicom.config import warn_and_log
from fastdicom.tag import BaseTag, Tag, TagType

__all__ = [
    "DicomDictionary",
    "RepeatersDictionary",
    "private_dictionaries",
    "keyword_dict",
    "masks",
    "mask_match",
    "add_dict_entry",
    "add_dict_entries",
    "add_private_dict_entry",
    "add_private_dict_entries",
    "get_entry",
    "dictionary_is_retired",
    "dictionary_VR",
    "dictionary_VM",
    "dictionary_description",
    "dictionary_keyword",
    "dictionary_has_tag",
    "keyword_for_tag",
    "tag_for_keyword",
    "repeater_has_tag",
    "repeater_has_keyword",
    "get_private_entry",
    "private_dictionary_VR",
    "private_dictionary_VM",
    "private_dictionary_description",
    "legacy_keyword_for",
    "implicit_VR_for_tag",
    "name_for_tag",
]

EntryType = tuple[str, str, str, str, str]
PrivateEntryType = tuple[str, str, str, str]

# Declared, not bound: the module's __getattr__ loads it on first use (PEP 562)
private_dictionaries: dict[str, dict[str, PrivateEntryType]]


def _warn_and_log(msg: str) -> None:
    # Same double report as pydicom: a log record and a UserWarning.
    warn_and_log(msg, UserWarning, stacklevel=3)


# ------------------------------------------------------------------ masks

masks: dict[str, tuple[int, int]] = {}
"""Repeater mask string -> (value with ``x`` as 0, bit mask of fixed nibbles)."""
for _mask_x in RepeatersDictionary:
    masks[_mask_x] = (
        int(_mask_x.replace("x", "0"), 16),
        int("".join("0" if c == "x" else "F" for c in _mask_x), 16),
    )

# Mask matching is on the hot path of the reader (every tag missing from the
# main dictionary goes through it), so rather than testing every mask we
# group the masks by their bit mask -- only a handful of distinct ones -- and
# do one dict look-up per group.  The leading byte of every mask is fixed in
# PS3.6, which gives a one-set-lookup rejection for nearly all tags.
_MASK_ORDER = {m: i for i, m in enumerate(masks)}
_mask_groups_map: dict[int, dict[int, str]] = {}
for _mask_x, (_value, _bits) in masks.items():
    _mask_groups_map.setdefault(_bits, {}).setdefault(_value, _mask_x)
_MASK_GROUPS: tuple[tuple[int, dict[int, str]], ...] = tuple(_mask_groups_map.items())
_MASK_TOP_BYTES: frozenset[int] | None = (
    frozenset(v >> 24 for v, b in masks.values())
    if all((b >> 24) == 0xFF for _, b in masks.values())
    else None  # some mask wildcards its leading byte: no quick rejection
)
del _mask_groups_map


def mask_match(tag: int) -> str | None:
    """Return the repeaters mask that `tag` fits, if any.

    Parameters
    ----------
    tag : int
        The tag to check.

    Returns
    -------
    str or None
        The mask string (a key of :data:`RepeatersDictionary`, e.g.
        ``'60xx3000'``), or ``None`` when no mask fits.  As in pydicom the
        group's parity is not checked here.
    """
    if _MASK_TOP_BYTES is not None and (tag >> 24) not in _MASK_TOP_BYTES:
        return None
    found: str | None = None
    for bits, table in _MASK_GROUPS:
        hit = table.get(tag & bits)
        # Masks could overlap; the first one in dictionary order wins.
        if hit is not None and (found is None or _MASK_ORDER[hit] < _MASK_ORDER[found]):
            found = hit
    return found


# ------------------------------------------------------------------ adding


def add_dict_entry(
    tag: int,
    VR: str,
    keyword: str,
    description: str,
    VM: str = "1",
    is_retired: str = "",
) -> None:
    """Add or replace one public (non-private) entry of the dictionary.

    Parameters
    ----------
    tag : int
        The element's tag.
    VR : str
        Its value representation.
    keyword : str
        Its keyword, usable as a :class:`~fastdicom.dataset.Dataset`
        attribute name.
    description : str
        Its human-readable name.
    VM : str, optional
        Its value multiplicity (default ``'1'``).
    is_retired : str, optional
        ``'Retired'`` for a retired element, else ``''`` (default).

    Raises
    ------
    ValueError
        If `tag` is private.

    Notes
    -----
    Changes last for the run of the program only.
    """
    add_dict_entries({tag: (VR, VM, description, is_retired, keyword)})


def add_dict_entries(new_entries_dict: dict[int, EntryType]) -> None:
    """Add or replace several public entries of the dictionary.

    Parameters
    ----------
    new_entries_dict : dict
        ``{tag: (VR, VM, description, is_retired, keyword), ...}``.

    Raises
    ------
    ValueError
        If any of the tags is private; then nothing is added.
    """
    if any(BaseTag(tag).is_private for tag in new_entries_dict):
        raise ValueError(
            'Private tags cannot be added using "add_dict_entries" - '
            'use "add_private_dict_entries" instead'
        )
    DicomDictionary.update(new_entries_dict)
    keyword_dict.update({val[4]: tag for tag, val in new_entries_dict.items()})


def add_private_dict_entry(
    private_creator: str, tag: int, VR: str, description: str, VM: str = "1"
) -> None:
    """Add or replace one entry of the private dictionary.

    Parameters
    ----------
    private_creator : str
        The private creator the element belongs to.
    tag : int
        The element's tag; the block byte (high byte of the element number)
        is ignored, so the entry applies to every block.
    VR : str
        Its value representation.
    description : str
        Its human-readable name.
    VM : str, optional
        Its value multiplicity (default ``'1'``).

    Raises
    ------
    ValueError
        If `tag` is not private.
    """
    add_private_dict_entries(private_creator, {tag: (VR, VM, description, "")})


def add_private_dict_entries(
    private_creator: str, new_entries_dict: dict[int, PrivateEntryType]
) -> None:
    """Add or replace several entries of the private dictionary.

    Parameters
    ----------
    private_creator : str
        The private creator all the elements belong to.
    new_entries_dict : dict
        ``{tag: (VR, VM, description, is_retired), ...}``.

    Raises
    ------
    ValueError
        If any of the tags is not private; then nothing is added.
    """
    if not all(BaseTag(tag).is_private for tag in new_entries_dict):
        raise ValueError(
            "Non-private tags cannot be added using "
            "'add_private_dict_entries()' - use 'add_dict_entries()' instead"
        )
    new_entries = {
        f"{tag >> 16:04X}xx{tag & 0xFF:02X}": value for tag, value in new_entries_dict.items()
    }
    _private().setdefault(private_creator, {}).update(new_entries)


# ------------------------------------------------------------------ public look-ups


def get_entry(tag: TagType) -> EntryType:
    """Return the dictionary entry for `tag`, trying the repeaters too.

    Parameters
    ----------
    tag : int, str or tuple of int
        The tag, in any form :func:`~fastdicom.tag.Tag` accepts.

    Returns
    -------
    tuple of str
        ``(VR, VM, name, is_retired, keyword)``.

    Raises
    ------
    KeyError
        If the tag is in neither the dictionary nor the repeaters (private
        tags are never matched against the repeaters).
    """
    if not isinstance(tag, BaseTag):
        tag = Tag(tag)
    try:
        return DicomDictionary[tag]
    except KeyError:
        if not (tag >> 16) & 1:
            mask_x = mask_match(tag)
            if mask_x:
                return RepeatersDictionary[mask_x]
        raise KeyError(f"Tag {tag} not found in DICOM dictionary") from None


def _dictionary_vr_fast(tag: int) -> str:
    """Return the VR for `tag` (a plain int) without building a tag object.

    The reader's look-up for implicit VR data.

    Parameters
    ----------
    tag : int
        The tag.

    Returns
    -------
    str
        The dictionary VR.

    Raises
    ------
    KeyError
        As :func:`get_entry`.
    """
    try:
        return DicomDictionary[tag][0]
    except KeyError:
        if not (tag >> 16) & 1:
            mask_x = mask_match(tag)
            if mask_x:
                return RepeatersDictionary[mask_x][0]
        raise KeyError(f"Tag {Tag(tag)} not found in DICOM dictionary") from None


def dictionary_is_retired(tag: TagType) -> bool:
    """Return whether the element for `tag` is retired.

    Parameters
    ----------
    tag : int, str or tuple of int
        The tag, in any form :func:`~fastdicom.tag.Tag` accepts.

    Returns
    -------
    bool

    Raises
    ------
    KeyError
        If the tag is not in the dictionary.
    """
    return "retired" in get_entry(tag)[3].lower()


def dictionary_VR(tag: TagType) -> str:
    """Return the VR of the element for `tag`.

    Parameters
    ----------
    tag : int, str or tuple of int
        The tag, in any form :func:`~fastdicom.tag.Tag` accepts.

    Returns
    -------
    str
        The VR, e.g. ``'PN'`` or ``'OB or OW'``.

    Raises
    ------
    KeyError
        If the tag is not in the dictionary.
    """
    return get_entry(tag)[0]


def dictionary_VM(tag: TagType) -> str:
    """Return the VM of the element for `tag`.

    Parameters
    ----------
    tag : int, str or tuple of int
        The tag, in any form :func:`~fastdicom.tag.Tag` accepts.

    Returns
    -------
    str
        The VM, e.g. ``'1'`` or ``'1-n'``.

    Raises
    ------
    KeyError
        If the tag is not in the dictionary.
    """
    return get_entry(tag)[1]


def dictionary_description(tag: TagType) -> str:
    """Return the name of the element for `tag`.

    Parameters
    ----------
    tag : int, str or tuple of int
        The tag, in any form :func:`~fastdicom.tag.Tag` accepts.

    Returns
    -------
    str
        The name, e.g. ``"Patient's Name"``.

    Raises
    ------
    KeyError
        If the tag is not in the dictionary.
    """
    return get_entry(tag)[2]


def dictionary_keyword(tag: TagType) -> str:
    """Return the keyword of the element for `tag`.

    Parameters
    ----------
    tag : int, str or tuple of int
        The tag, in any form :func:`~fastdicom.tag.Tag` accepts.

    Returns
    -------
    str
        The keyword, e.g. ``'PatientName'``.

    Raises
    ------
    KeyError
        If the tag is not in the dictionary.
    """
    return get_entry(tag)[4]


def dictionary_has_tag(tag: TagType) -> bool:
    """Return whether `tag` is in the main dictionary (repeaters excluded).

    Parameters
    ----------
    tag : int, str or tuple of int
        The tag, in any form :func:`~fastdicom.tag.Tag` accepts.

    Returns
    -------
    bool
        ``False`` also when `tag` cannot be made into a tag at all.
    """
    try:
        return Tag(tag) in DicomDictionary
    except Exception:
        return False


def keyword_for_tag(tag: TagType) -> str:
    """Return the keyword for `tag`, or ``''`` when it has none.

    Parameters
    ----------
    tag : int, str or tuple of int
        The tag, in any form :func:`~fastdicom.tag.Tag` accepts.

    Returns
    -------
    str
    """
    try:
        return dictionary_keyword(tag)
    except KeyError:
        return ""


keyword_dict: dict[str, int] = {entry[4]: tag for tag, entry in DicomDictionary.items()}
"""Keyword -> tag for every entry of the main dictionary."""


def tag_for_keyword(keyword: str) -> int | None:
    """Return the tag for a keyword of the main dictionary.

    Parameters
    ----------
    keyword : str
        The keyword, e.g. ``'PatientName'``.

    Returns
    -------
    int or None
        The tag, or ``None`` for an unknown keyword.
    """
    return keyword_dict.get(keyword)


def repeater_has_tag(tag: int) -> bool:
    """Return whether `tag` fits a mask of the repeaters dictionary.

    Parameters
    ----------
    tag : int
        The tag.

    Returns
    -------
    bool
    """
    return mask_match(tag) is not None


REPEATER_KEYWORDS: list[str] = [val[4] for val in RepeatersDictionary.values()]
"""The keywords of the repeaters dictionary."""
_REPEATER_KEYWORD_SET = frozenset(REPEATER_KEYWORDS)


def repeater_has_keyword(keyword: str) -> bool:
    """Return whether `keyword` belongs to a repeaters entry.

    Parameters
    ----------
    keyword : str
        The keyword, e.g. ``'OverlayData'``.

    Returns
    -------
    bool
    """
    return keyword in _REPEATER_KEYWORD_SET


# ------------------------------------------------------------------ private look-ups


def _private() -> dict[str, dict[str, PrivateEntryType]]:
    # Load the private tables on first use and publish them as the module
    # attribute, so later attribute access skips __getattr__.
    table: dict[str, dict[str, PrivateEntryType]] | None = globals().get("private_dictionaries")
    if table is None:
        from fastdicom._private_dict import private_dictionaries

        table = globals()["private_dictionaries"] = private_dictionaries
    return table


def __getattr__(name: str) -> Any:
    # PEP 562: ``private_dictionaries`` is loaded lazily.
    if name == "private_dictionaries":
        return _private()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def get_private_entry(tag: TagType, private_creator: str) -> PrivateEntryType:
    """Return the private dictionary entry for `tag` under `private_creator`.

    Parameters
    ----------
    tag : int, str or tuple of int
        The tag, in any form :func:`~fastdicom.tag.Tag` accepts.
    private_creator : str
        The value of the element's private creator.

    Returns
    -------
    tuple of str
        ``(VR, VM, name, is_retired)``.

    Raises
    ------
    KeyError
        If the creator is unknown (or not a valid creator value, which also
        warns) or has no entry for the tag.
    """
    if not isinstance(tag, BaseTag):
        tag = Tag(tag)
    try:
        private_dict = _private()[private_creator]
    except KeyError as exc:
        raise KeyError(
            f"Private creator '{private_creator}' not in the private dictionary"
        ) from exc
    except TypeError as exc:
        msg = f"{tag.private_creator} '{private_creator}' is not a valid private creator"
        _warn_and_log(msg)
        raise KeyError(msg) from exc

    # Entries are mostly block-agnostic ("xx" in the block byte, PS3.5 7.8.1);
    # a few are exact, and a few wildcard the group's low byte as well.
    group = f"{tag >> 16:04X}"
    elem = f"{tag & 0xFFFF:04X}"
    for key in (group + elem, f"{group}xx{elem[2:]}", f"{group[:2]}xxxx{elem[2:]}"):
        entry = private_dict.get(key)
        if entry is not None:
            return entry
    raise KeyError(
        f"Tag '{tag}' not in private dictionary for private creator '{private_creator}'"
    )


def private_dictionary_VR(tag: TagType, private_creator: str) -> str:
    """Return the VR of a private element.

    Parameters
    ----------
    tag : int, str or tuple of int
        The tag, in any form :func:`~fastdicom.tag.Tag` accepts.
    private_creator : str
        The value of the element's private creator.

    Returns
    -------
    str

    Raises
    ------
    KeyError
        As :func:`get_private_entry`.
    """
    return get_private_entry(tag, private_creator)[0]


def private_dictionary_VM(tag: TagType, private_creator: str) -> str:
    """Return the VM of a private element.

    Parameters
    ----------
    tag : int, str or tuple of int
        The tag, in any form :func:`~fastdicom.tag.Tag` accepts.
    private_creator : str
        The value of the element's private creator.

    Returns
    -------
    str

    Raises
    ------
    KeyError
        As :func:`get_private_entry`.
    """
    return get_private_entry(tag, private_creator)[1]


def private_dictionary_description(tag: TagType, private_creator: str) -> str:
    """Return the name of a private element.

    Parameters
    ----------
    tag : int, str or tuple of int
        The tag, in any form :func:`~fastdicom.tag.Tag` accepts.
    private_creator : str
        The value of the element's private creator.

    Returns
    -------
    str

    Raises
    ------
    KeyError
        As :func:`get_private_entry`.
    """
    return get_private_entry(tag, private_creator)[2]


# ------------------------------------------------------------------ fastdicom extras


def implicit_VR_for_tag(tag: int, private_creator: str | None = None) -> str:
    """Return the VR to give an element read in implicit VR.

    The rule of pydicom's reader, gathered in one place: the dictionary VR
    (repeaters included); for a private tag ``'LO'`` if it is a private
    creator element, else the private dictionary VR under `private_creator`,
    else ``'UN'``; ``'UL'`` for a group length (gggg,0000) not in the
    dictionary; ``'UN'`` otherwise.  Not in pydicom's ``datadict``.

    Parameters
    ----------
    tag : int
        The tag.
    private_creator : str, optional
        The value of the private creator of a private element's block.

    Returns
    -------
    str
        The VR; combined VRs such as ``'OB or OW'`` are returned as is.
    """
    try:
        return _dictionary_vr_fast(tag)
    except KeyError:
        pass
    if (tag >> 16) & 1:
        elem = tag & 0xFFFF
        if 0x10 <= elem <= 0xFF:
            return "LO"
        if private_creator and elem >> 8:
            try:
                return get_private_entry(tag, private_creator)[0]
            except KeyError:
                pass
        return "UN"
    if not tag & 0xFFFF:
        return "UL"
    return "UN"


def name_for_tag(tag: int, private_creator: str | None = None) -> str:
    """Return the name a data element shows, as pydicom's ``DataElement.name``.

    Parameters
    ----------
    tag : int
        The tag.
    private_creator : str, optional
        The value of the private creator of a private element's block.

    Returns
    -------
    str
        The dictionary name; ``'[name]'`` for a known private element;
        ``'Private Creator'`` for a creator element; ``'Private tag data'``
        for other private elements; ``'Group Length'`` for an unknown
        (gggg,0000); else ``''``.  Not in pydicom's ``datadict``.
    """
    if (tag >> 16) & 1:
        if private_creator:
            try:
                return f"[{get_private_entry(tag, private_creator)[2]}]"
            except KeyError:
                pass
        elif (tag & 0xFFFF) >> 8 == 0:
            return "Private Creator"
        return "Private tag data"
    entry = DicomDictionary.get(tag)
    if entry is not None:
        return entry[2]
    mask_x = mask_match(tag)
    if mask_x:
        return RepeatersDictionary[mask_x][2]
    if not tag & 0xFFFF:
        return "Group Length"
    return ""


# pydicom < 0.9.7 abbreviations it also accepted ("RefdImages"); the first
# whose short form starts the name is expanded, everywhere in the name.
_SHORT_NAMES = (
    ("BeamLimitingDevice", "BLD"),
    ("RTBeamLimitingDevice", "RTBLD"),
    ("ControlPoint", "CP"),
    ("Referenced", "Refd"),
)
_legacy: dict[str, str] | None = None


def legacy_keyword_for(name: str) -> str | None:
    """Return the current keyword for a pydicom 0.9-era attribute name.

    Old pydicom named elements after their description with punctuation
    removed (``PatientsName``) and sequences in the plural without
    ``Sequence`` (``Beams``, ``ReferencedFrameofReferences``).  The table is
    loaded on the first call, so code that never asks pays nothing.

    Parameters
    ----------
    name : str
        The old-style name; the old abbreviations ``Refd``, ``CP``, ``BLD``
        and ``RTBLD`` are expanded.

    Returns
    -------
    str or None
        The current keyword, or ``None`` if `name` is not an old-style name
        (a current keyword is not one).
    """
    global _legacy
    if _legacy is None:
        from fastdicom._dicom_dict import legacy_keywords

        _legacy = legacy_keywords()
    keyword = _legacy.get(name)
    if keyword is not None:
        return keyword
    for long, short in _SHORT_NAMES:
        if name.startswith(short):
            expanded = name.replace(short, long)
            keyword = _legacy.get(expanded)
            if keyword is None and expanded in keyword_dict:
                keyword = expanded
            return keyword
    return None
