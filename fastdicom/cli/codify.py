"""``fastdicom codify``: write Python code that recreates a DICOM file (pydicom's codify)."""

from __future__ import annotations

import argparse
from typing import Any

from fastdicom.util import codify

DEFAULT_EXCLUDE_SIZE = 100
"""Byte values longer than this are left out of the code unless ``--exclude-size`` says otherwise."""


def _run(args: argparse.Namespace) -> int:
    codify.do_codify(args)
    return 0


def register(commands: Any) -> None:
    """Add the ``codify`` subcommand, with the options of pydicom's ``codify``.

    Parameters
    ----------
    commands : argparse._SubParsersAction
    """
    parser = commands.add_parser(
        "codify",
        help="write Python code that recreates a DICOM file",
        description="Produce Python code (fastdicom or pydicom API) that recreates a DICOM file.",
        epilog=(
            f"Byte values longer than --exclude-size (default {DEFAULT_EXCLUDE_SIZE} bytes) are "
            "left out with a placeholder line to fill in. Private elements are left out unless "
            "--include-private is given.\n\nExample: fastdicom codify CT_small.dcm ct.py"
        ),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    codify.set_parser_arguments(parser, DEFAULT_EXCLUDE_SIZE)
    parser.set_defaults(run=_run)
