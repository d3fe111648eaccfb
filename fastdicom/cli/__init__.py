"""The ``fastdicom`` command line: one program, one subcommand per task.

Every subcommand is a module of this package named in :data:`COMMANDS`; it
defines ``register(subparsers)``, which adds its parser and sets
``run=<function(args) -> int>`` as the parser's default. What all commands
share lives here: the exit status (0 success, 1 some input failed, 2 usage),
errors and warnings written to stderr as one line naming the file, no
traceback when the output is piped into ``head``, and ``--version``.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
import warnings
from collections.abc import Sequence
from typing import Any, TextIO

from fastdicom.cli.show import sample_path

COMMANDS: tuple[str, ...] = ("show", "tree", "export", "codify", "series", "dwi", "index", "anonymize")
"""Modules of :mod:`fastdicom.cli` that register a subcommand, in ``--help`` order."""

__all__ = ["COMMANDS", "main", "sample_path"]


def _one_line_warning(
    message: Warning | str,
    category: type[Warning],
    filename: str,
    lineno: int,
    file: TextIO | None = None,
    line: str | None = None,
) -> None:
    """Show a warning as ``fastdicom: warning: <message>``, without source lines."""
    stream = file if file is not None else sys.stderr
    try:
        stream.write(f"fastdicom: warning: {message}\n")
    except OSError:  # stderr closed: nothing useful to do
        pass


def build_parser(argv: Sequence[str] | None = None) -> argparse.ArgumentParser:
    """The parser of every subcommand.

    Parameters
    ----------
    argv : sequence of str, optional
        The arguments the parser will be given. When the first one names a
        command, only that command is registered: each command module
        imports its feature (pixel codecs, de-identification tables, ...),
        and one command need not pay for the start-up of all the others.

    Returns
    -------
    argparse.ArgumentParser
    """
    import fastdicom

    parser = argparse.ArgumentParser(
        prog="fastdicom",
        description="Read, inspect and convert DICOM files (fastdicom, a compiled drop-in for pydicom).",
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog="Run 'fastdicom COMMAND --help' for the options and examples of a command.",
    )
    parser.add_argument("--version", action="version", version=f"fastdicom {fastdicom.__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    names = (argv[0],) if argv and argv[0] in COMMANDS else COMMANDS
    for name in names:
        importlib.import_module(f"fastdicom.cli.{name}").register(commands)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line.

    Parameters
    ----------
    argv : sequence of str, optional
        The arguments (default: ``sys.argv[1:]``).

    Returns
    -------
    int
        The exit status: 0 success, 1 an input or output failed, 2 usage error.
    """
    if argv is None:
        argv = sys.argv[1:]
    parser = build_parser(argv)
    args = parser.parse_args(argv)
    previous = warnings.showwarning
    warnings.showwarning = _one_line_warning
    try:
        status: Any = args.run(args)
        sys.stdout.flush()
    except BrokenPipeError:
        # The reader went away (``fastdicom show x.dcm | head``): not an error.
        # Point stdout at devnull so the interpreter's final flush stays quiet.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 0
    except KeyboardInterrupt:
        print("fastdicom: interrupted", file=sys.stderr)
        return 130
    finally:
        warnings.showwarning = previous
    return int(status or 0)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
