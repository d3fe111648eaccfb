"""Comparison of fastdicom with pydicom as an oracle, shared by the tests and
``tools/compare_with_pydicom.py`` (which runs it over the developer corpus).

pydicom is a test-only dependency: fastdicom itself never imports it.
"""

from __future__ import annotations

import difflib
import os
import warnings
from dataclasses import dataclass, field
from typing import Any

import pydicom

import fastdicom

# Files where fastdicom and pydicom disagree on purpose, and why.
KNOWN_DIFFERENCES = {
    "emri_small_jpeg_2k_lossless_too_short.dcm": (
        "the encapsulated Pixel Data ends before its delimiter; pydicom 3.0.2 "
        "loses the whole dataset (its reading loop aborts and it returns an "
        "empty Dataset with a warning) while fastdicom keeps every element "
        "and warns that the last value is cut short"
    ),
}


def first_difference(ours: Any, theirs: Any, path: str = "") -> str | None:
    """Describe the first element where two datasets differ, or None.

    Compares tags, VRs, values (equal, or equal reprs) and value types,
    recursively into sequence items.
    """
    our_tags = [elem.tag for elem in ours]
    their_tags = [elem.tag for elem in theirs]
    if our_tags != their_tags:
        extra = sorted(set(our_tags) - set(their_tags))[:5]
        missing = sorted(set(their_tags) - set(our_tags))[:5]
        return f"{path}tags differ: extra {extra}, missing {missing}"
    for mine, other in zip(ours, theirs):
        where = f"{path}{mine.tag}"
        if mine.VR != other.VR:
            return f"{where}: VR {mine.VR} != {other.VR}"
        if mine.VR == "SQ":
            if len(mine.value) != len(other.value):
                return f"{where}: {len(mine.value)} items != {len(other.value)}"
            for index, (item, their_item) in enumerate(zip(mine.value, other.value)):
                found = first_difference(item, their_item, f"{where}[{index}].")
                if found:
                    return found
            continue
        value, their_value = mine.value, other.value
        if not (value == their_value or repr(value) == repr(their_value)):
            return f"{where}: value {value!r:.80} != {their_value!r:.80}"
        if type(value).__name__ != type(their_value).__name__:
            return f"{where}: type {type(value).__name__} != {type(their_value).__name__}"
    return None


@dataclass
class Outcome:
    """What happened to one file."""

    path: str
    verdict: str  # same | differs | both_reject | fastdicom_only | pydicom_only | known
    detail: str = ""


@dataclass
class Summary:
    """Counts over many files."""

    outcomes: list[Outcome] = field(default_factory=list)

    def count(self, verdict: str) -> int:
        return sum(1 for outcome in self.outcomes if outcome.verdict == verdict)


def _read_quietly(reader: Any, path: str, **kwargs: Any) -> tuple[Any, str | None, Exception | None]:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            ds = reader(path, **kwargs)
            return ds, str(ds), None
        except Exception as exc:  # the oracle's verdict, whatever its type
            return None, None, exc


def compare_file(path: str) -> Outcome:
    """Read `path` with both libraries and compare everything they give.

    A file pydicom rejects only for lacking the 'DICM' prefix, and which
    fastdicom reads as a bare dataset, is compared with pydicom's
    ``force=True`` reading of it.
    """
    theirs, their_text, their_error = _read_quietly(pydicom.dcmread, path)
    ours, our_text, our_error = _read_quietly(fastdicom.dcmread, path)
    name = os.path.basename(path)
    if name in KNOWN_DIFFERENCES:
        return Outcome(path, "known", KNOWN_DIFFERENCES[name])
    if their_error is not None and ours is not None and "DICM" in str(their_error):
        theirs, their_text, their_error = _read_quietly(pydicom.dcmread, path, force=True)
        if their_error is None:
            found = first_difference(ours, theirs)
            if found is None and our_text != their_text:
                found = _first_text_difference(our_text, their_text)
            if found:
                return Outcome(path, "differs", f"as a bare dataset: {found}")
            return Outcome(path, "fastdicom_only", "no File Meta: read as a bare dataset, "
                           "equal to pydicom's force=True reading")
    if their_error is not None and our_error is not None:
        if not isinstance(our_error, fastdicom.InvalidDicomError):
            return Outcome(path, "differs", f"rejected with {our_error!r} (not InvalidDicomError)")
        return Outcome(path, "both_reject", f"{our_error}")
    if their_error is not None:
        return Outcome(path, "fastdicom_only", f"pydicom: {their_error!r:.200}")
    if our_error is not None:
        return Outcome(path, "pydicom_only", f"fastdicom: {our_error!r:.300}")
    found = first_difference(ours.file_meta, theirs.file_meta, "file_meta:") or first_difference(
        ours, theirs
    )
    if found is None and our_text != their_text:
        found = _first_text_difference(our_text, their_text)
    if found:
        return Outcome(path, "differs", found)
    return Outcome(path, "same")


def _first_text_difference(ours: str, theirs: str) -> str:
    lines = [
        line
        for line in difflib.unified_diff(theirs.splitlines(), ours.splitlines(), lineterm="", n=0)
        if line[:1] in "+-" and line[:3] not in ("---", "+++")
    ]
    return "str(ds) differs: " + " | ".join(lines[:4])
