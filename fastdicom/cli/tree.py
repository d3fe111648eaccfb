"""``fastdicom tree``: a DICOM file as a tree in the terminal.

Sequences and their items are nested branches; long values are cut to the
terminal's width; private elements are named with their private creator
(``[SIEMENS CSA HEADER] CSA Image Header Info``). The successor of pydicom's
``dicomtree.py`` example (a Tkinter window), for the terminal.
"""

from __future__ import annotations

import argparse
import shutil
from collections.abc import Iterator
from typing import Any

from fastdicom.cli._shared import Progress, iter_inputs
from fastdicom.dataelem import DataElement
from fastdicom.dataset import Dataset
from fastdicom.filereader import dcmread

__all__ = ["tree_lines"]

UNICODE = ("├── ", "└── ", "│   ", "    ")
ASCII = ("|-- ", "`-- ", "|   ", "    ")

DESCRIPTION = """\
Print DICOM files as trees: sequences and their items nested, long values
cut, private elements named with their private creator. Directories are
walked recursively."""

EXAMPLES = """\
examples:
  fastdicom tree ct.dcm
  fastdicom tree --depth 1 --no-meta enhanced_mr.dcm
  fastdicom tree -x --width 60 rtplan.dcm
  fastdicom tree --ascii ct.dcm > ct.txt"""


def _label(elem: DataElement) -> str:
    """The tag and name; a private element's name with its creator."""
    tag = f"({elem.tag.group:04X},{elem.tag.element:04X})"
    name = elem.name
    if elem.tag.is_private:
        creator = getattr(elem, "private_creator", None)
        if creator and elem.tag.element > 0xFF:
            bare = name[1:-1] if name.startswith("[") and name.endswith("]") else ""
            name = f"[{creator}] {bare}" if bare else f"[{creator}] Private tag data"
    return f"{tag} {name}".rstrip()


def _value(elem: DataElement, width: int) -> str:
    """The value as one line of at most `width` characters."""
    value = elem.value
    if elem.VR == "SQ":
        return f"{len(value)} item{'s' if len(value) != 1 else ''}"
    if isinstance(value, (bytes, bytearray, memoryview)):
        data = bytes(value[:16])
        text = f"{len(value)} bytes" + (f": {data.hex(' ')}" if data else "")
        if len(value) > 16:
            text += " ..."
    elif value is None or value == "":
        text = "(empty)"
    else:
        text = str(elem.repval) if hasattr(elem, "repval") else repr(value)
    text = " ".join(text.split())  # one line: values may hold newlines
    if len(text) > width:
        text = text[: max(width - 3, 1)] + "..."
    return text


def tree_lines(
    ds: Dataset,
    *,
    width: int = 60,
    max_depth: int | None = None,
    ascii: bool = False,
    meta: bool = True,
    private: bool = True,
) -> Iterator[str]:
    """The lines of the tree of `ds` (without its root line).

    Parameters
    ----------
    ds : Dataset
    width : int
        Values longer than this are cut, ending in ``...``.
    max_depth : int, optional
        How many sequence levels to open (0: none); default all.
    ascii : bool
        ASCII connectors instead of box-drawing characters.
    meta : bool
        Include the File Meta Information (group 0002).
    private : bool
        Include private elements.

    Yields
    ------
    str
    """
    branch, last, pipe, space = ASCII if ascii else UNICODE

    def walk(dataset: Dataset, prefix: str, depth: int, with_meta: bool) -> Iterator[str]:
        elements = []
        file_meta = getattr(dataset, "file_meta", None) if with_meta else None
        if file_meta:
            elements.extend(file_meta)
        elements.extend(e for e in dataset if private or not e.tag.is_private)
        for index, elem in enumerate(elements):
            is_last = index == len(elements) - 1
            head = prefix + (last if is_last else branch)
            yield f"{head}{_label(elem)}  {elem.VR}: {_value(elem, width)}"
            if elem.VR != "SQ" or (max_depth is not None and depth >= max_depth):
                continue
            inner = prefix + (space if is_last else pipe)
            for number, item in enumerate(elem.value, start=1):
                item_last = number == len(elem.value)
                yield f"{inner}{last if item_last else branch}Item {number}"
                yield from walk(item, inner + (space if item_last else pipe), depth + 1, False)

    yield from walk(ds, "", 0, meta)


def _run(args: argparse.Namespace) -> int:
    width = args.width
    if width is None:
        # the value gets what the terminal leaves after the tag, name and VR
        width = max(shutil.get_terminal_size((120, 24)).columns - 70, 30)
    files = list(iter_inputs(args.files))
    status = 0
    with Progress("tree", len(files), enabled=not args.quiet and len(files) > 50) as progress:
        for path, _ in files:
            try:
                ds = dcmread(path, stop_before_pixels=args.no_pixels, force=args.force)
                lines = list(tree_lines(ds, width=width, max_depth=args.depth, ascii=args.ascii,
                                        meta=not args.no_meta, private=not args.exclude_private))
            except Exception as exc:  # one bad file never ends a directory-scale run
                progress.report("tree", path, exc)
                status = 1
                progress.step(path)
                continue
            print(path)
            print("\n".join(lines))
            progress.step(path)
    return status


def register(commands: Any) -> None:
    """Add the ``tree`` subcommand.

    Parameters
    ----------
    commands : argparse._SubParsersAction
    """
    parser = commands.add_parser(
        "tree",
        help="print DICOM files as trees (sequences nested)",
        description=DESCRIPTION,
        epilog=EXAMPLES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("files", nargs="+", metavar="FILE", help="DICOM files or directories")
    parser.add_argument("--depth", type=int, metavar="N", help="open sequences N levels deep (0: none)")
    parser.add_argument("--width", type=int, metavar="N",
                        help="cut values longer than N characters (default: to fit the terminal)")
    parser.add_argument("--ascii", action="store_true", help="ASCII connectors instead of box drawing")
    parser.add_argument("--no-meta", action="store_true", help="leave out the File Meta Information")
    parser.add_argument("-x", "--exclude-private", action="store_true", help="leave out private elements")
    parser.add_argument("--no-pixels", action="store_true", help="stop reading before the pixel data")
    parser.add_argument("--force", action="store_true", help="read files without the DICOM preamble")
    parser.add_argument("-q", "--quiet", action="store_true", help="no progress bar")
    parser.set_defaults(run=_run)
