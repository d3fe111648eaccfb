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
import time
from collections.abc import Iterable, Iterator
from typing import Any, TextIO

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


class Progress:
    """A one-line progress bar on stderr, shown only on a terminal.

    Parameters
    ----------
    label : str
        Shown before the bar (the command's name).
    total : int
        The number of steps.
    enabled : bool
        False (``--quiet``) shows nothing.
    stream : file-like, optional
        Default ``sys.stderr``; nothing is shown unless it is a terminal.

    Examples
    --------
    >>> with Progress("export", len(files)) as progress:
    ...     for path in files:
    ...         progress.step(path)
    """

    def __init__(self, label: str, total: int, enabled: bool = True, stream: TextIO | None = None) -> None:
        self.stream: Any = stream or sys.stderr
        self.label = label
        self.total = total
        self.done = 0
        isatty = getattr(self.stream, "isatty", None)
        self.active = bool(enabled and total > 1 and isatty is not None and isatty())
        self._last = 0.0

    def __enter__(self) -> Progress:
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()

    def step(self, name: str = "") -> None:
        """One step done (at most ten redraws a second)."""
        self.done += 1
        if not self.active:
            return
        now = time.monotonic()
        if now - self._last < 0.1 and self.done < self.total:
            return
        self._last = now
        width = 30
        filled = width * self.done // max(self.total, 1)
        bar = "#" * filled + "-" * (width - filled)
        tail = os.path.basename(name)[-30:]
        self.stream.write(f"\r\033[Kfastdicom {self.label}: [{bar}] {self.done}/{self.total} {tail}")
        self.stream.flush()

    def report(self, command: str, path: str, exc: BaseException | str) -> None:
        """:func:`report` an error on its own line, under the bar."""
        if self.active:
            self.stream.write("\r\033[K")
        report(command, path, exc, self.stream)

    def close(self) -> None:
        """Clear the bar's line."""
        if self.active:
            self.stream.write("\r\033[K")
            self.stream.flush()
            self.active = False
