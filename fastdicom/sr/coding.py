"""Coded concepts: the (value, scheme, meaning) triplets of PS3.3 §8.8."""

from __future__ import annotations

from typing import Any, NamedTuple

from fastdicom.sr._snomed_dict import mapping as snomed_mapping

__all__ = ["Code"]


def _comparable(code: Any) -> tuple[str, str, str | None]:
    """Return what identifies `code` when codes are compared.

    The meaning is not part of a code's identity (PS3.3 §8.8: the Code
    Meaning is only a human-readable rendering).  A SNOMED RT (``SRT``)
    code with a SNOMED CT equivalent is compared as that ``SCT`` code, since
    PS3.16 Annex O replaced the former by the latter one for one.
    """
    value, scheme = code.value, code.scheme_designator
    if scheme == "SRT":
        sct = snomed_mapping["SRT"].get(value)
        if sct is not None:
            value, scheme = sct, "SCT"
    return value, scheme, code.scheme_version


class Code(NamedTuple):
    """A coded concept: code *value*, coding *scheme designator*, code
    *meaning* and, optionally, the coding *scheme version*.

    Two codes are equal when their value, scheme designator and scheme
    version are; the meaning is ignored, and a SNOMED RT code equals the
    SNOMED CT code it maps to.

    Parameters
    ----------
    value : str
        Code Value (0008,0100).
    scheme_designator : str
        Coding Scheme Designator (0008,0102), e.g. ``"DCM"``, ``"SCT"``.
    meaning : str
        Code Meaning (0008,0104).
    scheme_version : str, optional
        Coding Scheme Version (0008,0103).
    """

    value: str
    scheme_designator: str
    meaning: str
    scheme_version: str | None = None

    def __hash__(self) -> int:
        return hash(self.scheme_designator + self.value)

    def __eq__(self, other: Any) -> Any:
        return _comparable(self) == _comparable(other)

    def __ne__(self, other: Any) -> Any:
        return not self == other
