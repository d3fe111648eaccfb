"""The README's examples run as written, each in a fresh interpreter in an empty directory."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

README = Path(__file__).resolve().parents[1] / "README.md"


def python_blocks() -> list[tuple[str, str]]:
    """(the heading above it, the code) of every ```python block of the README."""
    blocks = []
    heading = ""
    for part in re.split(r"(^#{2,3} .*$)", README.read_text(encoding="utf-8"), flags=re.M):
        if part.startswith("#"):
            heading = part.lstrip("# ").strip()
            continue
        for code in re.findall(r"^```python\n(.*?)^```", part, flags=re.S | re.M):
            blocks.append((heading, code))
    return blocks


def test_the_readme_has_an_example_of_each_capability():
    headings = " ".join(heading for heading, _ in python_blocks()).lower()
    for capability in ("reading", "pixels", "index", "series", "diffusion", "images", "de-identification"):
        assert capability in headings


@pytest.mark.parametrize("heading, code", python_blocks(), ids=[h for h, _ in python_blocks()])
def test_example_runs_as_written(run_python, heading, code):
    result = run_python(code, check=False)
    assert result.returncode == 0, f"README example under '{heading}' failed:\n{result.stderr}"
