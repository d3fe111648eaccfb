"""``fastdicom show``: print DICOM files the way pydicom prints them.

``fastdicom show [FILE ...]`` prints each file's elements (the package's own
sample when no file is named); ``fastdicom backend`` says which compiled
module is loaded. The options are pydicom's (``-q``, ``-x``, ``-t``,
``FILE::ELEMENT``) and what dcmdump users expect (``--tags``, ``--search``,
``--depth``).
"""

from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Callable, Iterator
from importlib import resources
from typing import Any

from fastdicom.cli._shared import Progress, iter_inputs
from fastdicom.datadict import tag_for_keyword
from fastdicom.dataelem import DataElement
from fastdicom.dataset import Dataset
from fastdicom.filereader import dcmread
from fastdicom.tag import BaseTag, Tag
from fastdicom.util.filespec import filespec_help, filespec_parser, filespec_parts

DESCRIPTION = """\
Print the elements of DICOM files (as pydicom's str(dataset) does).

A FILE may name one element inside the file as FILE::ELEMENT, e.g.
rtplan.dcm::BeamSequence[0].BeamName, and "pydicom::NAME" takes NAME from
the sample data. Directories are walked recursively."""

EXAMPLES = """\
examples:
  fastdicom show ct.dcm
  fastdicom show -q ct.dcm                      # a few key elements
  fastdicom show -x -t ct.dcm                   # no private elements, top level only
  fastdicom show rtplan.dcm::BeamSequence[0].BeamName
  fastdicom show --tags PatientName,0020000D ct.dcm
  fastdicom show --search window ct.dcm         # keywords or names containing 'window'
  fastdicom show --depth 1 enhanced_mr.dcm      # sequence items one level deep
  fastdicom show /data/study | less"""


def sample_path() -> str:
    """Path of the sample CT file shipped in ``fastdicom/data``.

    Returns
    -------
    str
    """
    return str(resources.files("fastdicom") / "data" / "CT_small.dcm")


# -- pydicom's quiet mode: a few key elements per kind of object -------------------
_TAG_TOKEN = re.compile(r"\(?[0-9A-Fa-f]{4},\s*[0-9A-Fa-f]{4}\)?|[^,;\s]+")


def _sop_class(ds: Dataset) -> str | None:
    uid = ds.get("SOPClassUID")
    return None if uid is None else f"SOPClassUID: {uid.name}"


def _quiet_image(ds: Dataset) -> str | None:
    uid = ds.get("SOPClassUID")
    if uid is None or "Image Storage" not in uid.name:
        return None
    return "\n".join(
        f"{name}: {ds.get(name, 'N/A')}" for name in ("BitsStored", "Modality", "Rows", "Columns", "SliceLocation")
    )


def _quiet_rtplan(ds: Dataset) -> str | None:
    if "BeamSequence" not in ds:
        return None
    name = ds.get("RTPlanName")
    lines = [f"Plan Label: {ds.get('RTPlanLabel')}  " + (f"Plan Name: {name}" if name else "")]
    for group in ds.get("FractionGroupSequence") or []:
        fractions = group.get("NumberOfFractionsPlanned")
        planned = f"{fractions} fraction(s) planned" if fractions else ""
        lines.append(
            f"Fraction Group {group.get('FractionGroupNumber', '')} "
            f"{group.get('FractionGroupDescription', '')} {planned}"
        )
        lines.append(f"   Brachy Application Setups: {group.get('NumberOfBrachyApplicationSetups')}")
        for beam in group.get("ReferencedBeamSequence") or []:
            dose, meterset = beam.get("BeamDose"), beam.get("BeamMeterset")
            line = f"   Beam {beam.get('ReferencedBeamNumber')} "
            if dose or meterset:
                line += f"Dose {dose} Meterset {meterset}"
            lines.append(line)
    for beam in ds.BeamSequence:
        kind = beam.get("BeamType")
        line = (
            f"Beam {beam.get('BeamNumber')} '{beam.get('BeamName')}' {beam.get('TreatmentDeliveryType')} "
            f"{kind} {beam.get('RadiationType')}"
        )
        if kind == "STATIC" and beam.get("ControlPointSequence"):
            cp = beam.ControlPointSequence[0]
            line += (
                f" energy {cp.get('NominalBeamEnergy')} gantry {cp.get('GantryAngle')}, "
                f"coll {cp.get('BeamLimitingDeviceAngle')}, couch {cp.get('PatientSupportAngle')}"
            )
        line += (
            f" ({beam.get('NumberOfWedges')} wedges, {beam.get('NumberOfCompensators')} comps, "
            f"{beam.get('NumberOfBoli')} boli, {beam.get('NumberOfBlocks')} blocks)"
        )
        lines.append(line)
    return "\n".join(lines)


QUIET_ITEMS: list[Callable[[Dataset], str | None] | str] = [
    _sop_class,
    "PatientName",
    "PatientID",
    "StudyID",
    "StudyDate",
    "StudyTime",
    "StudyDescription",
    _quiet_image,
    _quiet_rtplan,
]
"""What ``show -q`` prints, in order: keywords, or functions of the dataset (pydicom's list)."""


def quiet_text(ds: Dataset) -> str:
    """The ``-q`` summary of `ds` (pydicom's ``show -q`` output).

    Parameters
    ----------
    ds : Dataset

    Returns
    -------
    str
    """
    lines = []
    for item in QUIET_ITEMS:
        if callable(item):
            text = item(ds)
            if text:
                lines.append(text)
        else:
            lines.append(f"{item}: {ds.get(item, 'N/A')}")
    return "\n".join(lines)


# -- selecting elements -----------------------------------------------------------
def parse_tag(text: str) -> BaseTag:
    """A tag from a keyword or ``gggg,eeee``, ``(gggg,eeee)``, ``ggggeeee``.

    Parameters
    ----------
    text : str

    Returns
    -------
    BaseTag

    Raises
    ------
    ValueError
        If `text` is neither a keyword nor a tag.
    """
    text = text.strip()
    tag = tag_for_keyword(text)
    if tag is not None:
        return Tag(tag)
    digits = text.strip("()").replace(",", "").replace(" ", "")
    if len(digits) == 8:
        try:
            return Tag(int(digits, 16))
        except ValueError:
            pass
    raise ValueError(f"'{text}' is neither a DICOM keyword nor a tag like 0010,0010")


def iter_elements(ds: Dataset, prefix: str = "") -> Iterator[tuple[str, DataElement]]:
    """Every element of `ds` with its path, depth first into sequence items.

    Parameters
    ----------
    ds : Dataset
    prefix : str
        The path of `ds` itself (``"BeamSequence[0]."``).

    Yields
    ------
    tuple of (str, DataElement)
        The path (``BeamSequence[0].BeamName``; the tag for elements without
        a keyword) and the element.
    """
    for elem in ds:
        name = elem.keyword or f"({elem.tag.group:04X},{elem.tag.element:04X})"
        yield prefix + name, elem
        if elem.VR == "SQ":
            for index, item in enumerate(elem.value):
                yield from iter_elements(item, f"{prefix}{name}[{index}].")


def _matches(elem: DataElement, words: list[str]) -> bool:
    """Whether a search word is in the element's keyword, name or tag."""
    tag = f"{elem.tag.group:04x}{elem.tag.element:04x}"
    text = f"{elem.keyword} {elem.name} ({elem.tag.group:04x},{elem.tag.element:04x}) {tag}".lower()
    return any(word in text for word in words)


def selected_lines(ds: Dataset, tags: set[int], words: list[str]) -> list[str]:
    """The elements of `ds` (at any depth) with one of `tags` or matching a search word.

    Parameters
    ----------
    ds : Dataset
    tags : set of int
    words : list of str
        Lower-case words searched in keywords, names and tags.

    Returns
    -------
    list of str
        ``str(element)`` lines, prefixed by the sequence path for nested ones.
    """
    lines = []
    for path, elem in iter_elements(ds):
        if int(elem.tag) in tags or (words and _matches(elem, words)):
            where = path.rpartition(".")[0]
            text = (
                f"{elem.tag}  {elem.name}  {len(elem.value)} item(s)" if elem.VR == "SQ" else str(elem)
            )
            lines.append(f"{where}: {text}" if where else text)
    return lines


# -- the command ------------------------------------------------------------------
def _read(spec: str, args: argparse.Namespace) -> tuple[Dataset, Any]:
    """The dataset of `spec` and the element it names (None for the whole file)."""
    prefix, filename, element = filespec_parts(spec)
    if prefix or element:
        ds, value = filespec_parser(spec)[0]
        return ds, value
    return dcmread(filename, stop_before_pixels=args.no_pixels, force=args.force), None


def _text(ds: Dataset, value: Any, args: argparse.Namespace, tags: set[int], words: list[str]) -> str:
    if value is not None and not isinstance(value, Dataset):
        return str(value)
    target = value if isinstance(value, Dataset) else ds
    if args.exclude_private:
        target.remove_private_tags()
    if args.quiet:
        return quiet_text(target)
    if tags or words:
        return "\n".join(selected_lines(target, tags, words))
    if args.top:
        return target.top()
    if args.depth is not None:
        return target._pretty_str(max_depth=args.depth)
    return str(target)


def _show(args: argparse.Namespace) -> int:
    tags: set[int] = set()
    for text in args.tags or []:
        # "gggg,eeee" is one tag; other commas separate the list's items
        for item in _TAG_TOKEN.findall(text):
            try:
                tags.add(int(parse_tag(item)))
            except ValueError as exc:
                print(f"fastdicom show: --tags: {exc}", file=sys.stderr)
                return 2
    words = [w.lower() for w in args.search or []]
    specs = args.files or [sample_path()]
    files: list[str] = []
    for spec in specs:
        if "::" in spec:
            files.append(spec)
        else:
            files.extend(path for path, _ in iter_inputs([spec]))
    status = 0
    with Progress("show", len(files), enabled=not args.quiet and len(files) > 50) as progress:
        for spec in files:
            try:
                ds, value = _read(spec, args)
            except Exception as exc:  # one bad file never ends a directory-scale run
                progress.report("show", spec, exc)
                status = 1
                progress.step(spec)
                continue
            text = _text(ds, value, args, tags, words)
            if (len(files) > 1 or not args.files) and value is None:
                print(f"# {spec}")
            if text:
                print(text)
            progress.step(spec)
    return status


def _backend(args: argparse.Namespace) -> int:
    import fastdicom

    for key, value in fastdicom.backend_info().items():
        print(f"{key}: {value}")
    return 0


def register(commands: Any) -> None:
    """Add the ``show`` and ``backend`` subcommands.

    Parameters
    ----------
    commands : argparse._SubParsersAction
    """
    show = commands.add_parser(
        "show",
        help="print the elements of DICOM files",
        description=DESCRIPTION,
        epilog=EXAMPLES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    show.add_argument("files", nargs="*", metavar="FILE",
                      help="DICOM files, FILE::ELEMENT or directories (default: the shipped sample). "
                      + filespec_help.replace("`", "'"))
    show.add_argument("-q", "--quiet", action="store_true", help="only a few key elements (pydicom's -q)")
    show.add_argument("-x", "--exclude-private", action="store_true", help="leave out private elements")
    show.add_argument("-t", "--top", action="store_true", help="top level only, no sequence items")
    show.add_argument("--depth", type=int, metavar="N",
                      help="show sequence items N levels deep (0: as --top)")
    show.add_argument("--tags", action="append", metavar="TAGS",
                      help="only these elements, at any depth: keywords or tags, comma-separated "
                      "(PatientName,0020000D); repeatable")
    show.add_argument("--search", action="append", metavar="WORD",
                      help="only elements whose keyword, name or tag contains WORD; repeatable")
    show.add_argument("--no-pixels", action="store_true", help="stop reading before the pixel data")
    show.add_argument("--force", action="store_true", help="read files without the DICOM preamble")
    show.set_defaults(run=_show)
    backend = commands.add_parser("backend", help="say which compiled backend is loaded")
    backend.set_defaults(run=_backend)
