"""The one progress bar (fastdicom._progress): drawn on a terminal only."""

from __future__ import annotations

import io

from fastdicom._progress import Progress


class FakeTerminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_silent_when_not_a_terminal():
    stream = io.StringIO()
    with Progress("index", 10, stream=stream) as progress:
        for _ in range(10):
            progress.step("a.dcm")
    assert stream.getvalue() == "" and progress.done == 10


def test_a_bar_with_a_total_and_the_last_step_always_drawn():
    stream = FakeTerminal()
    with Progress("export", 3, stream=stream) as progress:
        progress.update(2, "/data/x.dcm")
        progress.step("/data/y.dcm")
    out = stream.getvalue()
    assert "fastdicom export: [" in out and "3/3 files" in out and "y.dcm" in out
    assert out.endswith("\r\033[K")  # the line is cleared on close


def test_a_running_count_without_a_total_from_a_callback():
    stream = FakeTerminal()
    progress = Progress("series", stream=stream)
    progress.callback(500, "z.dcm")
    assert "fastdicom series: 500 files" in stream.getvalue()
    progress.close()
    progress.callback(600, "z.dcm")  # closed: nothing more is drawn
    assert "600" not in stream.getvalue()


def test_disabled_draws_nothing_on_a_terminal():
    stream = FakeTerminal()
    with Progress("tree", 100, enabled=False, stream=stream) as progress:
        progress.step()
    assert stream.getvalue() == ""
