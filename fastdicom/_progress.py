"""One progress bar for directory-scale work, shown only on a terminal.

The library's long jobs (:func:`fastdicom.index`, :func:`fastdicom.series.scan`)
and the command line share it. It writes one line on stderr, redrawn at most
ten times a second, and nothing at all when stderr is not a terminal (a log
file, a pipe, a test), so scripts and CI stay quiet.
"""

from __future__ import annotations

import os
import sys
import time
from typing import Any, TextIO, TypeVar

__all__ = ["Progress"]

# the type of a subclass's instance, which ``with ... as`` gives (a command's
# Progress adds report())
_Self = TypeVar("_Self", bound="Progress")


class Progress:
    """A one-line progress bar on stderr, shown only on a terminal.

    Parameters
    ----------
    label : str
        Shown before the bar (the job's or command's name).
    total : int, optional
        The number of steps; unknown (None): a running count, no bar.
    enabled : bool
        False (``--quiet``, ``progress=False``) shows nothing.
    stream : file-like, optional
        Default ``sys.stderr``; nothing is shown unless it is a terminal.
    unit : str
        What a step is, for the count and the rate ("files").

    Examples
    --------
    >>> with Progress("export", len(files)) as progress:
    ...     for path in files:
    ...         progress.step(path)
    """

    def __init__(
        self,
        label: str,
        total: int | None = None,
        enabled: bool = True,
        stream: TextIO | None = None,
        unit: str = "files",
    ) -> None:
        self.stream: Any = stream or sys.stderr
        self.label = label
        self.total = total
        self.unit = unit
        self.done = 0
        isatty = getattr(self.stream, "isatty", None)
        wanted = enabled and (total is None or total > 1)
        self.active = bool(wanted and isatty is not None and isatty())
        self._start = time.monotonic()
        self._last = 0.0

    def __enter__(self: _Self) -> _Self:
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()

    def step(self, name: str = "") -> None:
        """One step done."""
        self.update(1, name)

    def update(self, count: int = 1, name: str = "") -> None:
        """`count` more steps done; `name` (a path) is shown after the bar."""
        self.done += count
        self._draw(name)

    def callback(self, done: int, name: str = "") -> None:
        """Set the steps done to `done`: a ``progress(done, path)`` callback."""
        self.done = done
        self._draw(name)

    def _draw(self, name: str) -> None:
        if not self.active:
            return
        now = time.monotonic()
        if now - self._last < 0.1 and (self.total is None or self.done < self.total):
            return  # at most ten redraws a second, and always the last one
        self._last = now
        rate = self.done / max(now - self._start, 1e-9)
        if self.total:
            width = 30
            filled = width * min(self.done, self.total) // self.total
            counts = f"[{'#' * filled}{'-' * (width - filled)}] {self.done}/{self.total}"
        else:
            counts = f"{self.done}"
        tail = os.path.basename(name)[-30:]
        self.stream.write(
            f"\r\033[Kfastdicom {self.label}: {counts} {self.unit}, {rate:,.0f}/s {tail}"
        )
        self.stream.flush()

    def clear_line(self) -> None:
        """Clear the bar's line, so that a message can be written under it."""
        if self.active:
            self.stream.write("\r\033[K")

    def close(self) -> None:
        """Clear the bar's line; nothing more is shown."""
        if self.active:
            self.stream.write("\r\033[K")
            self.stream.flush()
            self.active = False
