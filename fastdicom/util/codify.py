"""Python code that recreates a DICOM dataset or file.

``python -m fastdicom.util.codify FILE [OUTFILE]`` prints a script whose
``ds.PatientName = ...`` lines rebuild the file; edit it to make new test
files.  The functions below code single elements, sequences and datasets.
The generated code imports ``pydicom`` (as pydicom's codify does), so it
runs with pydicom, or with fastdicom through ``fastdicom.install_as_pydicom()``.
"""

from __future__ import annotations

import argparse
import os.path
import re
import sys
from collections import deque
from collections.abc import Callable

from fastdicom.datadict import dictionary_keyword
from fastdicom.dataelem import DataElement
from fastdicom.dataset import Dataset
from fastdicom.filereader import dcmread
from fastdicom.tag import BaseTag
from fastdicom.util.filespec import filespec_help, filespec_parser
from fastdicom.valuerep import AMBIGUOUS_VR, BYTES_VR, VR

__all__ = [
    "camel_to_underscore",
    "code_dataelem",
    "code_dataset",
    "code_file",
    "code_file_from_dataset",
    "code_imports",
    "code_sequence",
    "default_name_filter",
    "main",
    "tag_repr",
]

line_term = "\n"

# camel_to_underscore: a capital starting a lower-case word, then a capital
# after a lower-case letter or digit, each get an underscore before them.
first_cap_re = re.compile("(.)([A-Z][a-z]+)")
all_cap_re = re.compile("([a-z0-9])([A-Z])")

# Values of these VRs are bytes (or numbers for US/SS): too long ones are
# left out of the code when an exclude size is given.
_SIZED_VRS = (BYTES_VR | AMBIGUOUS_VR) - {VR.US_SS}


def camel_to_underscore(name: str) -> str:
    """Return `name` converted from CamelCase to lower_case_with_underscores.

    Parameters
    ----------
    name : str

    Returns
    -------
    str
    """
    return all_cap_re.sub(r"\1_\2", first_cap_re.sub(r"\1_\2", name)).lower()


def tag_repr(tag: BaseTag) -> str:
    """Return `tag` as Python source, ``"(0xGGGG, 0xEEEE)"``.

    Parameters
    ----------
    tag : BaseTag

    Returns
    -------
    str
    """
    return f"(0x{tag.group:04X}, 0x{tag.element:04X})"


def default_name_filter(name: str) -> str:
    """Return a short variable name for the keyword `name`.

    The keyword in snake case, with a few long words abbreviated
    (``control_point`` -> ``cp``, ``reference`` -> ``ref``,
    ``fraction_group`` -> ``frxn_gp``).

    Parameters
    ----------
    name : str
        A sequence keyword or item name.

    Returns
    -------
    str
    """
    name = camel_to_underscore(name)
    for long, short in (("control_point", "cp"), ("reference", "ref"), ("fraction_group", "frxn_gp")):
        name = name.replace(long, short)
    return name


def code_imports() -> str:
    """Return the import lines the coded datasets need.

    Returns
    -------
    str
    """
    return line_term.join(
        (
            "import pydicom",
            "from pydicom.dataset import Dataset, FileMetaDataset",
            "from pydicom.sequence import Sequence",
        )
    )


def code_dataelem(
    dataelem: DataElement,
    dataset_name: str = "ds",
    exclude_size: int | None = None,
    include_private: bool = False,
    var_names: deque | None = None,
) -> str:
    """Return the code that sets `dataelem` in the dataset `dataset_name`.

    Parameters
    ----------
    dataelem : DataElement
    dataset_name : str, optional
        The variable holding the dataset (default ``"ds"``).
    exclude_size : int, optional
        Byte values longer than this are replaced by a comment, leaving a
        line that does not compile so the user must deal with it.
    include_private : bool, optional
        Code private elements of sequence items too.
    var_names : collections.deque, optional
        The variable names in use (internal: keeps nested names unique).

    Returns
    -------
    str
        ``ds.Keyword = value`` for a dictionary element, else
        ``ds.add_new(tag, VR, value)``; a sequence gives several lines.
    """
    if dataelem.VR == VR.SQ:
        return code_sequence(dataelem, dataset_name, exclude_size, include_private, var_names=var_names)

    try:
        keyword: str | None = dictionary_keyword(dataelem.tag)
    except KeyError:
        keyword = None

    value = dataelem.value
    valuerep = tag_repr(value) if dataelem.VR == VR.AT else repr(value)
    if (
        exclude_size
        and dataelem.VR in _SIZED_VRS
        and not isinstance(value, (int, float))
        and len(value) > exclude_size
    ):
        valuerep = f"# XXX Array of {len(value)} bytes excluded"

    if keyword:
        return f"{dataset_name}.{keyword} = {valuerep}"
    return f"{dataset_name}.add_new({tag_repr(dataelem.tag)}, '{dataelem.VR}', {valuerep})"


def _unique(var_names: deque, name: str) -> str:
    """`name`, suffixed ``_n`` when outer scopes already use it n times."""
    count = var_names.count(name) - 1
    return f"{name}_{count}" if count else name


def code_sequence(
    dataelem: DataElement,
    dataset_name: str = "ds",
    exclude_size: int | None = None,
    include_private: bool = False,
    name_filter: Callable[[str], str] = default_name_filter,
    var_names: deque | None = None,
) -> str:
    """Return the code that builds the sequence `dataelem` and its items.

    Parameters
    ----------
    dataelem : DataElement
        A sequence element.
    dataset_name : str, optional
        The variable holding the parent dataset.
    exclude_size : int, optional
        As for :func:`code_dataelem`.
    include_private : bool, optional
        Code private elements of the items too.
    name_filter : callable, optional
        Makes variable names from keywords (default
        :func:`default_name_filter`).
    var_names : collections.deque, optional
        The variable names in use (internal).

    Returns
    -------
    str
    """
    if var_names is None:
        var_names = deque()

    seq_name = dataelem.name
    item_name = seq_name.replace(" Sequence", "")
    try:
        seq_keyword = dictionary_keyword(dataelem.tag)
    except KeyError:
        seq_keyword = f"Tag{dataelem.tag:08x}"

    base_var = name_filter(seq_keyword)
    var_names.append(base_var)
    seq_var = _unique(var_names, base_var)
    lines = ["", f"# {seq_name}", f"{seq_var} = Sequence()", f"{dataset_name}.{seq_keyword} = {seq_var}"]

    # Items are numbered by their own ...Index or ...Number element when
    # they have one (e.g. ControlPointIndex), else from 1.
    stem = seq_keyword.replace("Sequence", "")
    for i, item in enumerate(dataelem.value, start=1):
        if hasattr(item, stem + "Index"):
            number = str(getattr(item, stem + "Index"))
        elif hasattr(item, stem + "Number"):
            number = str(getattr(item, stem + "Number"))
        else:
            number = str(i)
        lines += ["", f"# {seq_name}: {item_name} {number}"]

        item_var = base_var.replace("_sequence", "") + number
        var_names.append(item_var)
        item_var = _unique(var_names, item_var)
        item_lines = code_dataset(
            item, item_var, exclude_size, include_private, var_names=var_names
        ).splitlines()
        var_names.pop()

        # "<item> = Dataset()", then append it, then its elements.
        lines += [item_lines[0], f"{seq_var}.append({item_var})", *item_lines[1:]]

    var_names.pop()
    return line_term.join(lines)


def code_dataset(
    ds: Dataset,
    dataset_name: str = "ds",
    exclude_size: int | None = None,
    include_private: bool = False,
    is_file_meta: bool = False,
    var_names: deque | None = None,
) -> str:
    """Return the code that builds `ds`.

    Parameters
    ----------
    ds : Dataset
    dataset_name : str, optional
        The variable to build it in (default ``"ds"``).
    exclude_size : int, optional
        As for :func:`code_dataelem`.
    include_private : bool, optional
        Code private elements (skipped by default).
    is_file_meta : bool, optional
        Create a ``FileMetaDataset`` instead of a ``Dataset``.
    var_names : collections.deque, optional
        The variable names in use (internal).

    Returns
    -------
    str
    """
    if var_names is None:
        var_names = deque()
    cls = "FileMetaDataset" if is_file_meta else "Dataset"
    lines = [f"{dataset_name} = {cls}()"]
    for elem in ds:
        if not include_private and elem.tag.is_private:
            continue
        lines.append(code_dataelem(elem, dataset_name, exclude_size, include_private, var_names=var_names))
        if elem.VR == VR.SQ:
            lines.append("")  # a blank line after each sequence...
    if lines[-1] == "":
        lines.pop()  # ...but not at the very end
    return line_term.join(lines)


def code_file(filename: str, exclude_size: int | None = None, include_private: bool = False) -> str:
    """Return a Python script that recreates the DICOM file `filename`.

    Parameters
    ----------
    filename : str
    exclude_size : int, optional
        As for :func:`code_dataelem`.
    include_private : bool, optional
        Code private elements.

    Returns
    -------
    str
    """
    return code_file_from_dataset(dcmread(filename, force=True), exclude_size, include_private)


def code_file_from_dataset(
    ds: Dataset, exclude_size: int | None = None, include_private: bool = False
) -> str:
    """Return a Python script that recreates `ds`, file meta included.

    Parameters
    ----------
    ds : Dataset
    exclude_size : int, optional
        As for :func:`code_dataelem`.
    include_private : bool, optional
        Code private elements.

    Returns
    -------
    str
    """
    filename = ds.get("filename")
    identifier = f"DICOM file '{filename}'" if filename else "non-file dataset"
    lines = [
        "# -*- coding: utf-8 -*-",
        f"# Coded version of {identifier}",
        "# Produced by pydicom codify utility script",
        code_imports(),
        "",
    ]
    has_meta = hasattr(ds, "file_meta")
    if has_meta:
        lines += [
            "# File meta info data elements",
            code_dataset(ds.file_meta, "file_meta", exclude_size, include_private, is_file_meta=True),
            "",
        ]
    lines += [
        "# Main data elements",
        code_dataset(ds, exclude_size=exclude_size, include_private=include_private),
        "",
    ]
    if has_meta:
        lines.append("ds.file_meta = file_meta")
    implicit_vr, little_endian = ds.original_encoding
    lines.append(f"ds.set_original_encoding({implicit_vr}, {little_endian})")
    return line_term.join(lines)


def set_parser_arguments(parser: argparse.ArgumentParser, default_exclude_size: int) -> None:
    """Add codify's arguments to `parser`.

    Parameters
    ----------
    parser : argparse.ArgumentParser
    default_exclude_size : int
        The default of ``--exclude-size``.
    """
    parser.add_argument("filespec", help=filespec_help, type=filespec_parser)
    parser.add_argument(
        "outfile",
        nargs="?",
        type=argparse.FileType("w", encoding="UTF-8"),
        help="Filename to write Python code to, if not specified then code is written to stdout",
        default=sys.stdout,
    )
    parser.add_argument(
        "-e",
        "--exclude-size",
        type=int,
        default=default_exclude_size,
        help=f"Exclude binary data larger than specified (default: {default_exclude_size} bytes)",
    )
    parser.add_argument(
        "-p",
        "--include-private",
        action="store_true",
        help="Include private data elements (default is to exclude them)",
    )
    parser.add_argument(
        "-s",
        "--save-as",
        help=(
            "Specify the filename for ds.save_as(save_filename); "
            "otherwise the input name + '_from_codify' will be used"
        ),
    )


def do_codify(args: argparse.Namespace) -> None:
    """Write the code for the parsed command line `args`.

    Parameters
    ----------
    args : argparse.Namespace
        As parsed with :func:`set_parser_arguments`.

    Raises
    ------
    NotImplementedError
        For several files, or a file specification naming an element that
        is not a dataset (a sequence item).
    """
    if len(args.filespec) != 1:
        raise NotImplementedError("Codify can only work on a single DICOM file input")
    ds, element = args.filespec[0]
    if element and not isinstance(element, Dataset):
        raise NotImplementedError(f"Codify can only code a Dataset, not a {type(element)}")

    code = code_file_from_dataset(element or ds, args.exclude_size, args.include_private)
    if args.save_as:
        save_as = args.save_as
    else:
        save_as = os.path.splitext(ds.filename)[0] + "_from_codify.dcm"
    code += f"\nds.save_as(r'{save_as}', enforce_file_format=True)"

    # A captured stream (as under pytest) may have no usable name.
    name = getattr(args.outfile, "name", "<stdout>")
    if name != "<stdout>":
        print(f"Writing code to file '{name}'")
    args.outfile.write(code)
    if args.outfile not in (sys.stdout, sys.__stdout__):
        # argparse opened the file: close it, so it is complete on return.
        args.outfile.close()


def main(default_exclude_size: int, args: list[str] | None = None) -> None:
    """Run codify's command line.

    Parameters
    ----------
    default_exclude_size : int
        Byte values longer than this are coded as a comment (a syntax error
        to fix by hand) unless ``--exclude-size`` says otherwise.
    args : list of str, optional
        The arguments (default ``sys.argv[1:]``).
    """
    parser = argparse.ArgumentParser(
        description="Produce python/pydicom code from a DICOM file",
        epilog=(
            "Binary data (e.g. pixels) larger than --exclude-size "
            f"(default {default_exclude_size} bytes) is not included. A "
            "dummy line with a syntax error is produced. "
            "Private data elements are not included by default."
        ),
    )
    set_parser_arguments(parser, default_exclude_size)
    do_codify(parser.parse_args(args))


if __name__ == "__main__":  # pragma: no cover
    main(default_exclude_size=100)
