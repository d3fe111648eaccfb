"""``fastdicom export``: DICOM images to PNG, JPEG or TIFF files.

Each frame goes through the grayscale pipeline of PS3.4 (modality LUT, VOI
LUT or window, presentation LUT; MONOCHROME1 inverted) or, for colour, is
scaled to the output depth; see :mod:`fastdicom.export`.
"""

from __future__ import annotations

import argparse
import os
import sys
from typing import Any

from fastdicom.cli._shared import Progress, iter_inputs
from fastdicom.export import YBR_METHODS, export, image_format

DESCRIPTION = """\
Write the frames of DICOM images as PNG, JPEG or TIFF files.

By default the modality LUT (rescale) is applied, then the file's first
window (else its first VOI LUT, else the frame's minimum and maximum), and
the image is shown as its Photometric Interpretation says (MONOCHROME1
inverted); the first frame is written with 8 bits per sample. With the
same choices, DCMTK's dcmj2pnm writes the same values (YBR colour with
--ybr dcmtk). PNG needs no
extra package; JPEG and TIFF need Pillow (pip install pillow).

With one input file, OUT is the output file; "{frame}" in its name is
replaced by the frame number (1 for the first; "{frame:03d}" pads it). With
several files or a directory (walked recursively), OUT is a directory and
the outputs mirror the input tree."""

EXAMPLES = """\
examples:
  fastdicom export ct.dcm -o ct.png
  fastdicom export ct.dcm -o ct.png --center 40 --width 400
  fastdicom export cr.dcm -o cr.png --bits 16 --window 2
  fastdicom export cine.dcm -o cine_{frame:03d}.jpg --frames all --quality 95
  fastdicom export mr.dcm -o mr.tif --frames 2-5 --percentiles 1 99
  fastdicom export /data/study -o /tmp/png --format png"""


def _options(args: argparse.Namespace) -> dict[str, Any]:
    """The :class:`fastdicom.export.RenderOptions` fields the arguments give."""
    options: dict[str, Any] = {"bits": args.bits, "modality_lut": not args.no_modality}
    if args.window is not None:
        options.update(voi="window", voi_index=args.window - 1)
    elif args.voi_lut is not None:
        options.update(voi="lut", voi_index=args.voi_lut - 1)
    elif args.center is not None:
        options.update(voi="explicit", center=args.center, width=args.width)
    elif args.min_max:
        options["voi"] = "minmax"
    elif args.percentiles is not None:
        options.update(voi="percentile", percentiles=tuple(args.percentiles))
    elif args.no_voi:
        options["voi"] = "none"
    if args.function:
        options["function"] = args.function
    if args.presentation:
        options["presentation"] = args.presentation.upper()
    if args.real_modality:
        options["integer_modality"] = False
    if args.ybr:
        options["ybr"] = args.ybr
    return options


def _run(args: argparse.Namespace) -> int:
    if (args.center is None) != (args.width is None):
        print("fastdicom export: --center and --width go together", file=sys.stderr)
        return 2
    if (args.window is not None and args.window < 1) or (args.voi_lut is not None and args.voi_lut < 1):
        print("fastdicom export: windows and VOI LUTs are numbered from 1", file=sys.stderr)
        return 2
    options = _options(args)
    many = len(args.inputs) > 1 or any(os.path.isdir(p) for p in args.inputs)
    out = args.output
    if not many and (os.path.isdir(out) or out.endswith(os.sep)):
        many = True  # one file into a directory
    try:
        kind = args.format or (None if many else image_format(out.replace("{", "").replace("}", "")))
    except ValueError as exc:
        print(f"fastdicom export: {exc}", file=sys.stderr)
        return 2
    suffix = {"png": ".png", "jpeg": ".jpg", "jpg": ".jpg", "tiff": ".tif", "tif": ".tif"}[kind or "png"]

    inputs = list(iter_inputs(args.inputs))
    status = 0
    written = skipped = 0
    with Progress("export", len(inputs), enabled=not args.quiet) as progress:
        for path, relative in inputs:
            target = out
            if many:
                stem = os.path.splitext(relative)[0] if relative.lower().endswith(".dcm") else relative
                target = os.path.join(out, stem + suffix)
                os.makedirs(os.path.dirname(target) or ".", exist_ok=True)
            try:
                paths = export(path, target, frames=args.frames, format=kind, quality=args.quality,
                               force=args.force, **options)
                written += len(paths)
                if args.verbose:
                    for p in paths:
                        print(p)
            except BrokenPipeError:
                raise  # the reader of -v went away: main() ends quietly
            except Exception as exc:  # one bad file never ends a directory-scale run
                if isinstance(exc, ImportError):
                    progress.report("export", path, exc)
                    return 1
                if many and "no pixel data" in str(exc):
                    skipped += 1  # reports, plans... in a directory: not an error
                else:
                    progress.report("export", path, exc)
                    status = 1
            progress.step(path)
    if many and not args.quiet:
        extra = f", {skipped} file(s) without pixel data skipped" if skipped else ""
        print(f"fastdicom export: {written} image(s) written to {out}{extra}", file=sys.stderr)
    return status


def register(commands: Any) -> None:
    """Add the ``export`` subcommand.

    Parameters
    ----------
    commands : argparse._SubParsersAction
    """
    parser = commands.add_parser(
        "export",
        help="write DICOM images as PNG, JPEG or TIFF",
        description=DESCRIPTION,
        epilog=EXAMPLES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("inputs", nargs="+", metavar="FILE", help="DICOM files or directories")
    parser.add_argument("-o", "--output", required=True, metavar="OUT",
                        help="output file (a {frame} template for several frames) or directory")
    parser.add_argument("--frames", metavar="SPEC",
                        help="frames to write: N, N-M, N-, lists of those, or 'all' (default 1)")
    parser.add_argument("--bits", type=int, choices=(8, 16), default=8,
                        help="bits per sample (default 8; 16 for PNG and grayscale TIFF)")
    parser.add_argument("--format", choices=("png", "jpeg", "jpg", "tiff", "tif"),
                        help="image format (default: from the output name; png for a directory)")
    parser.add_argument("--quality", type=int, default=90, help="JPEG quality, 1-100 (default 90)")
    parser.add_argument("--no-modality", action="store_true",
                        help="do not apply the modality LUT or rescale")
    voi = parser.add_argument_group("VOI (one of; default: the first window, else VOI LUT, else min-max)")
    choice = voi.add_mutually_exclusive_group()
    choice.add_argument("--window", type=int, metavar="N", help="the file's window N (1 for the first)")
    choice.add_argument("--voi-lut", type=int, metavar="N", help="the file's VOI LUT N (1 for the first)")
    choice.add_argument("--center", type=float, help="window center (with --width)")
    choice.add_argument("--min-max", action="store_true", help="window from the frame's minimum and maximum")
    choice.add_argument("--percentiles", type=float, nargs=2, metavar=("LOW", "HIGH"),
                        help="window from two percentiles of the frame, e.g. 1 99")
    choice.add_argument("--no-voi", action="store_true",
                        help="no VOI: the modality output's full range scaled to the output")
    voi.add_argument("--width", type=float, help="window width (with --center)")
    voi.add_argument("--function", choices=("LINEAR", "LINEAR_EXACT", "SIGMOID"), type=str.upper,
                     help="VOI LUT function (default: the file's, else LINEAR)")
    parser.add_argument("--presentation", choices=("identity", "inverse"), type=str.lower,
                        help="presentation LUT shape (default: as the file says; MONOCHROME1 inverted)")
    parser.add_argument("--real-modality", action="store_true",
                        help="window the real rescaled values m*SV+b (default: truncated to integers, "
                             "as DCMTK's dcmj2pnm holds them)")
    parser.add_argument("--ybr", choices=YBR_METHODS, type=str.lower,
                        help="YBR to RGB: standard (PS3.3 / ITU-T T.871, rounded; the default) or dcmtk "
                             "(as dcmj2pnm converts uncompressed YBR: up to 2 levels apart)")
    parser.add_argument("--force", action="store_true", help="read files without the DICOM preamble")
    parser.add_argument("-v", "--verbose", action="store_true", help="print the name of each file written")
    parser.add_argument("-q", "--quiet", action="store_true", help="no progress bar or summary")
    parser.set_defaults(run=_run)
