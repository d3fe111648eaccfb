"""The ``codes`` object: DICOM coded concepts by scheme and by Context Group.

``codes.DCM.Median``, ``codes.SCT.Transverse`` or ``codes.CID2.Transverse``
return a :class:`~fastdicom.sr.coding.Code`; the tables behind them are the
generated ``_concepts_dict`` (concepts by coding scheme, PS3.16 Annex D and
the external schemes it cites) and ``_cid_dict`` (the Context Groups of
PS3.16 Annex B).
"""

from __future__ import annotations

import inspect
from collections.abc import Iterable, KeysView
from itertools import chain
from typing import Any

from fastdicom.sr._cid_dict import cid_concepts as CID_CONCEPTS
from fastdicom.sr._cid_dict import name_for_cid
from fastdicom.sr._concepts_dict import concepts as CONCEPTS
from fastdicom.sr.coding import Code

__all__ = ["Collection", "Concepts", "codes"]

# keyword -> {code value: (meaning, [CID, ...])}
CIDValueType = dict[str, tuple[str, list[int]]]
ConceptsType = dict[str, CIDValueType]
SnomedMappingType = dict[str, dict[str, str]]

cid_for_name = {name: cid for cid, name in name_for_cid.items()}
"""CID number for each CID name (the reverse of ``name_for_cid``)."""


def _filtered(source: Iterable[str], filters: Iterable[str]) -> list[str]:
    """Return the sorted unique strings of `source` that contain any filter.

    Parameters
    ----------
    source : iterable of str
        The strings to filter.
    filters : iterable of str
        Case-insensitive substrings; with none, every string is kept.

    Returns
    -------
    list of str
    """
    needles = [f.lower() for f in filters]
    if not needles:
        return sorted(set(source))
    return sorted({s for s in source if any(n in s.lower() for n in needles)})


_INTERNAL = frozenset({"_name", "_cid_data", "_scheme_data", "_concepts", "_collections"})


class Collection:
    """The concepts of one coding scheme (``"SCT"``) or one CID (``"CID2"``).

    Attribute access by keyword gives the :class:`Code`: ``Collection("UCUM").Second``.

    Parameters
    ----------
    name : str
        A scheme designator that is a key of ``_concepts_dict.concepts``, or
        ``"CID"`` followed by the number of a Context Group.
    """

    repr_format = "{} = {}"

    def __init__(self, name: str) -> None:
        if name.upper().startswith("CID"):
            self._name = f"CID{name[3:]}"
            # scheme designator -> [keyword, ...]
            self._cid_data: dict[str, list[str]] = CID_CONCEPTS[int(name[3:])]
        else:
            self._name = name
            # keyword -> {code value: (meaning, [CID, ...])}
            self._scheme_data: ConceptsType = CONCEPTS[name]
        self._concepts: dict[str, Code] = {}

    @property
    def name(self) -> str:
        """The scheme designator or ``"CID<n>"``."""
        return self._name

    @property
    def scheme_designator(self) -> str:
        """The collection's name (a CID collection gives ``"CID<n>"``)."""
        return self.name

    @property
    def is_cid(self) -> bool:
        """``True`` for a Context Group, ``False`` for a coding scheme."""
        return self.name.startswith("CID")

    @property
    def concepts(self) -> dict[str, Code]:
        """Every concept of the collection, keyword to :class:`Code` (built once)."""
        if not self._concepts:
            self._concepts = {kw: getattr(self, kw) for kw in self.dir()}
        return self._concepts

    def dir(self, *filters: str) -> list[str]:
        """Return the sorted keywords that contain any of `filters`.

        Parameters
        ----------
        *filters : str
            Case-insensitive parts of keywords; with none, all keywords.

        Returns
        -------
        list of str
        """
        if self.is_cid:
            return _filtered(chain.from_iterable(self._cid_data.values()), filters)
        return _filtered(self._scheme_data, filters)

    def __dir__(self) -> list[str]:
        """Keywords plus the class's methods and properties (for completion)."""
        cls = type(self)
        members = {n for n, _ in inspect.getmembers(cls, inspect.isroutine)}
        members |= {n for n, _ in inspect.getmembers(cls, inspect.isdatadescriptor)}
        return sorted(members | set(self.dir()))

    def trait_names(self) -> list[str]:
        """Names offered for completion by IPython (the same as ``dir()``)."""
        return dir(self)

    def __contains__(self, item: str | Code) -> bool:
        """Whether a keyword or a :class:`Code` belongs to the collection."""
        if isinstance(item, str):
            try:
                code = getattr(self, item)
            except AttributeError:
                return False
        else:
            code = item
        return code in self.concepts.values()

    def __getattr__(self, name: str) -> Code:
        """Return the :class:`Code` whose keyword is `name`.

        Raises
        ------
        AttributeError
            If the collection has no such keyword.
        RuntimeError
            If the keyword is ambiguous: several codes in the scheme, or
            several schemes of the CID hold it.
        """
        if name in _INTERNAL or name.startswith("__"):
            # Internal attributes that are not set yet (e.g. during copy or
            # unpickling) are not keywords; looking them up would recurse.
            # Keywords may start with one underscore ("_125Iodine").
            raise AttributeError(name)
        if self.is_cid:
            return self._cid_code(name)

        entries = self._scheme_data.get(name)
        if entries is None:
            raise AttributeError(f"No matching code for keyword '{name}' in scheme '{self.name}'")
        if len(entries) > 1:
            raise RuntimeError(
                f"Multiple codes found for keyword '{name}' in scheme '{self.name}': "
                f"{', '.join(entries)}"
            )
        value, (meaning, _cids) = next(iter(entries.items()))
        return Code(value=value, scheme_designator=self.name, meaning=meaning)

    def _cid_code(self, name: str) -> Code:
        """The :class:`Code` of keyword `name` in this Context Group."""
        schemes = [s for s, keywords in self._cid_data.items() if name in keywords]
        if not schemes:
            raise AttributeError(f"No matching code for keyword '{name}' in {self.name}")
        if len(schemes) > 1:
            raise RuntimeError(
                f"Multiple schemes found to contain the keyword '{name}' in "
                f"{self.name}: {', '.join(schemes)}"
            )
        scheme = schemes[0]
        entries: CIDValueType = CONCEPTS[scheme][name]
        if len(entries) == 1:
            value, (meaning, _cids) = next(iter(entries.items()))
        else:
            # One keyword, several codes: keep the one listed in this CID.
            cid = int(self.name[3:])
            in_cid = [(v, e) for v, e in entries.items() if cid in e[1]]
            if len(in_cid) > 1:
                raise RuntimeError(
                    f"Multiple codes found for keyword '{name}' in {self.name}: "
                    f"{', '.join(v for v, _ in in_cid)}"
                )
            value, (meaning, _cids) = in_cid[0]
        return Code(value=value, scheme_designator=scheme, meaning=meaning)

    def __repr__(self) -> str:
        lines = [self.repr_format.format(kw, code) for kw, code in self.concepts.items()]
        return f"{self.name}\n" + "\n".join(lines)

    def __str__(self) -> str:
        concepts = self.concepts
        # Column widths: the longest entry plus two, with a floor so the
        # headings fit.
        w_name = max(max(len(n) for n in concepts) + 2, 11)
        w_code = max(max(len(c.value) for c in concepts.values()) + 2, 6)
        w_scheme = max(max(len(c.scheme_designator) for c in concepts.values()) + 2, 8)
        if self.is_cid:
            fmt = f"{{:{w_name}}} {{:{w_code}}} {{:{w_scheme}}} {{}}"
            out = [
                self.name,
                fmt.format("Attribute", "Code", "Scheme", "Meaning"),
                fmt.format("---------", "----", "------", "-------"),
                "\n".join(
                    fmt.format(n, c.value, c.scheme_designator, c.meaning)
                    for n, c in concepts.items()
                ),
            ]
        else:
            fmt = f"{{:{w_name}}} {{:{w_code}}} {{}}"
            out = [
                f"Scheme: {self.name}",
                fmt.format("Attribute", "Code", "Meaning"),
                fmt.format("---------", "----", "-------"),
                "\n".join(fmt.format(n, c.value, c.meaning) for n, c in concepts.items()),
            ]
        return "\n".join(out)


class Concepts:
    """All collections by name: ``codes.SCT``, ``codes.DCM``, ``codes.CID2``...

    Parameters
    ----------
    collections : list of Collection
        The collections to serve.
    """

    def __init__(self, collections: list[Collection]) -> None:
        self._collections = {c.name: c for c in collections}

    @property
    def collections(self) -> KeysView[str]:
        """The names of the collections."""
        return self._collections.keys()

    def __getattr__(self, name: str) -> Any:
        """Return the collection called `name` (``cid2`` is taken as ``CID2``)."""
        if name in _INTERNAL:
            raise AttributeError(name)
        key = f"CID{name[3:]}" if name.upper().startswith("CID") else name
        try:
            return self._collections[key]
        except KeyError:
            raise AttributeError(
                f"'{type(self).__name__}' object has no attribute '{key}'"
            ) from None

    def schemes(self) -> list[str]:
        """The names of the coding-scheme collections."""
        return [n for n in self._collections if not n.startswith("CID")]

    def CIDs(self) -> list[str]:
        """The names of the Context Group collections."""
        return [n for n in self._collections if n.startswith("CID")]


codes = Concepts(
    [Collection(scheme) for scheme in CONCEPTS]
    + [Collection(f"CID{cid}") for cid in name_for_cid]
)
"""Every coding scheme and Context Group: ``codes.DCM.X``, ``codes.CID2.X``."""
