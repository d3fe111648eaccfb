"""What the subcommands share: walking input paths, errors naming the file, progress.

Every command that takes files also takes directories, walked recursively
in sorted order (:func:`iter_inputs`); a file that fails is reported on
stderr as ``fastdicom COMMAND: PATH: MESSAGE`` (:func:`report`) and the
command goes on to the next one, ending with status 1. Work over many files
shows a progress bar on stderr when stderr is a terminal (:class:`Progress`).
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterable, Iterator
from typing import TextIO

from fastdicom import _progress

__all__ = ["Progress", "iter_inputs", "report"]

# Names that are never DICOM files; a directory walk skips them so that a
# tree of exported PNGs next to the data is not reported file by file
_NOT_DICOM = (".png", ".jpg", ".jpeg", ".tif", ".tiff", ".txt", ".json", ".md", ".py", ".csv", ".tsv")


def iter_inputs(paths: Iterable[str]) -> Iterator[tuple[str, str]]:
    """The files that `paths` name, directories walked recursively.

    Parameters
    ----------
    paths : iterable of str
        Files and directories, in the order given.

    Yields
    ------
    tuple of (str, str)
        The file's path, and its path relative to the directory it was
        found under (its base name for a file named directly), for naming
        outputs that mirror the input tree.
    """
    for path in paths:
        if os.path.isdir(path):
            for root, dirs, files in os.walk(path):
                dirs.sort()
                for name in sorted(files):
                    if name.startswith(".") or name.lower().endswith(_NOT_DICOM):
                        continue
                    full = os.path.join(root, name)
                    yield full, os.path.relpath(full, path)
        else:
            yield path, os.path.basename(path)


def report(command: str, path: str, exc: BaseException | str, stream: TextIO | None = None) -> None:
    """Write ``fastdicom COMMAND: PATH: MESSAGE`` on stderr (one line).

    Parameters
    ----------
    command : str
    path : str
    exc : Exception or str
    stream : file-like, optional
        Default ``sys.stderr``.
    """
    message = str(exc).strip().replace("\n", " ") or type(exc).__name__
    # the library's advice names its keyword argument; here it is an option
    message = message.replace("Use force=True to force reading", "Use --force to read it anyway")
    (stream or sys.stderr).write(f"fastdicom {command}: {path}: {message}\n")


class Progress(_progress.Progress):
    """The progress bar of :mod:`fastdicom._progress`, which also reports a
    failed file on its own line under the bar.

    Examples
    --------
    >>> with Progress("export", len(files)) as progress:
    ...     for path in files:
    ...         progress.step(path)
    """

    def report(self, command: str, path: str, exc: BaseException | str) -> None:
        """:func:`report` an error on its own line, under the bar."""
        self.clear_line()
        report(command, path, exc, self.stream)
