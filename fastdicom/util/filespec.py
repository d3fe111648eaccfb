"""File specifications of the command-line tools: ``[pydicom::]FILE[::ELEMENT]``.

As pydicom's command line: ``rtplan.dcm::BeamSequence[0].BeamNumber`` names
a data element (or sequence, or sequence item) inside a file, and a
``pydicom::`` prefix takes the file from the sample data
(:func:`fastdicom.data.get_testdata_file`).
"""

from __future__ import annotations

import argparse
import re
from typing import Any

from fastdicom.data import get_charset_files, get_testdata_file
from fastdicom.dataset import Dataset
from fastdicom.filereader import dcmread

__all__ = ["eval_element", "filespec_help", "filespec_parser", "filespec_parts"]

# One path step: a keyword (``\w`` allows the underscore of ``file_meta``)
# with an optional, possibly negative, item index.
_STEP = r"(\w+)(?:\[(-?\d+)\])?"
re_file_spec_object = re.compile(rf"{_STEP}(\.{_STEP})*$")
_STEP_RE = re.compile(_STEP)

filespec_help = (
    "File specification, in format [pydicom::]filename[::element]. "
    "If `pydicom::` prefix is present, then use the pydicom "
    "test file with that name. If `element` is given, "
    "use only that data element within the file. "
    "Examples: "
    "path/to/your_file.dcm, "
    "your_file.dcm::StudyDate, "
    "pydicom::rtplan.dcm::BeamSequence[0], "
    "yourplan.dcm::BeamSequence[0].BeamNumber"
)


def eval_element(ds: Dataset, element: str) -> Any:
    """Return the value that the path `element` names in `ds`.

    The path is walked attribute by attribute and index by index (nothing
    is evaluated as Python code).

    Parameters
    ----------
    ds : Dataset
    element : str
        e.g. ``"BeamSequence[0].BeamNumber"``.

    Returns
    -------
    Any

    Raises
    ------
    argparse.ArgumentTypeError
        If an element is missing or an index is out of range.
    """
    value: Any = ds
    try:
        for step in element.split("."):
            match = _STEP_RE.fullmatch(step)
            if match is None:
                raise argparse.ArgumentTypeError(
                    f"Component '{element}' is not valid syntax for a "
                    "data element, sequence, or sequence item"
                )
            keyword, index = match.groups()
            value = getattr(value, keyword)
            if index is not None:
                value = value[int(index)]
    except AttributeError:
        raise argparse.ArgumentTypeError(f"Data element '{element}' is not in the dataset")
    except IndexError as exc:
        raise argparse.ArgumentTypeError(f"'{element}' has an index error: {exc}")
    return value


def filespec_parts(filespec: str) -> tuple[str, str, str]:
    """Split `filespec` into (prefix, filename, element).

    Parameters
    ----------
    filespec : str
        ``[pydicom::]filename[::element]``; a single ``:`` (as in
        ``c:\\temp\\x.dcm``) is part of the file name.

    Returns
    -------
    tuple of str
        The prefix is ``"pydicom"`` or ``""``; the element ``""`` if none.
    """
    *head, last = filespec.split("::")
    if not head:
        return "", last, ""
    prefix = ""
    if head[0] == "pydicom":
        prefix = "pydicom"
        head.pop(0)
    if not head:
        return prefix, last, ""
    return prefix, "".join(head), last


def filespec_parser(filespec: str) -> list[tuple[Dataset, Any]]:
    """Read the file of `filespec` and find the element it names.

    Meant as an :mod:`argparse` ``type=``.

    Parameters
    ----------
    filespec : str
        ``[pydicom::]filename[::element]``.

    Returns
    -------
    list of (Dataset, Any)
        One pair: the dataset and the element's value (``None`` when no
        element is named).

    Raises
    ------
    argparse.ArgumentTypeError
        If the file cannot be found or read, or the element path is invalid
        or not in the dataset.
    """
    prefix, filename, element = filespec_parts(filespec)

    # The sample file of that name, even without the prefix, so the error
    # for a missing local file can point to it.
    try:
        sample = get_testdata_file(filename) or ""
    except ValueError:  # an absolute path
        sample = ""
    if not sample:
        charsets = get_charset_files(filename) if filename else []
        sample = charsets[0] if charsets else ""
    if prefix == "pydicom":
        filename = str(sample)

    if element and not re_file_spec_object.match(element):
        raise argparse.ArgumentTypeError(
            f"Component '{element}' is not valid syntax for a "
            "data element, sequence, or sequence item"
        )

    try:
        ds = dcmread(filename, force=True)
    except FileNotFoundError:
        extra = f", \nbut 'pydicom::{filename}' test data file is available" if sample else ""
        raise argparse.ArgumentTypeError(f"File '{filename}' not found{extra}")
    except Exception as exc:
        raise argparse.ArgumentTypeError(f"Error reading '{filename}': {exc}")

    if not element:
        return [(ds, None)]
    return [(ds, eval_element(ds, element))]
