"""Fixtures shared by the test modules."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable

import pytest

import fastdicom


@pytest.fixture
def run_python(tmp_path) -> Callable[..., subprocess.CompletedProcess]:
    """Run ``python -c code *args`` in a fresh interpreter, outside the checkout.

    The working directory is a temporary folder, so ``import fastdicom`` finds
    the same fastdicom the tests import (the installed package in CI, whose
    checkout has no compiled modules; an in-place build in development), and
    a relative PYTHONPATH of a development run is made absolute.
    """
    package_root = os.path.dirname(os.path.dirname(os.path.abspath(fastdicom.__file__)))
    paths = [package_root] + [
        os.path.abspath(p) for p in os.environ.get("PYTHONPATH", "").split(os.pathsep) if p
    ]
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(paths)}

    def run(code: str, *args: str, check: bool = True) -> subprocess.CompletedProcess:
        return subprocess.run(
            [sys.executable, "-c", code, *args],
            capture_output=True, text=True, cwd=tmp_path, env=env, check=check,
        )

    return run
