"""``fastdicom show``: print DICOM files the way pydicom prints them.

``fastdicom show [FILE ...]`` prints each file's elements (the package's own
sample when no file is named); ``fastdicom backend`` says which compiled
module is loaded.
"""

from __future__ import annotations

import argparse
import sys
from importlib import resources
from typing import Any

from fastdicom.errors import InvalidDicomError
from fastdicom.filereader import dcmread


def sample_path() -> str:
    """Path of the sample CT file shipped in ``fastdicom/data``.

    Returns
    -------
    str
    """
    return str(resources.files("fastdicom") / "data" / "CT_small.dcm")


def _show(args: argparse.Namespace) -> int:
    status = 0
    for path in args.files or [sample_path()]:
        try:
            ds = dcmread(path, stop_before_pixels=args.no_pixels, force=args.force)
        except (OSError, InvalidDicomError) as exc:
            print(f"fastdicom: {path}: {exc}", file=sys.stderr)
            status = 1
            continue
        if len(args.files) > 1 or not args.files:
            print(f"# {path}")
        print(ds.top() if args.top else str(ds))
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
    show = commands.add_parser("show", help="print the elements of DICOM files")
    show.add_argument("files", nargs="*", help="DICOM files (default: the shipped sample)")
    show.add_argument("--top", action="store_true", help="top level only, no sequence items")
    show.add_argument("--no-pixels", action="store_true", help="stop before the pixel data")
    show.add_argument("--force", action="store_true", help="read files without a DICOM prefix")
    show.set_defaults(run=_show)
    backend = commands.add_parser("backend", help="say which compiled backend is loaded")
    backend.set_defaults(run=_backend)
