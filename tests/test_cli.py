"""The ``fastdicom`` command line: shared behaviour and the ``show``/``codify`` commands."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

import fastdicom
from fastdicom.cli import COMMANDS, main, sample_path

PACKAGE_ROOT = os.path.dirname(os.path.dirname(os.path.abspath(fastdicom.__file__)))


def run_cli(*args: str, cwd: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([PACKAGE_ROOT, os.environ.get("PYTHONPATH", "")])}
    return subprocess.run(
        [sys.executable, "-m", "fastdicom", *args], capture_output=True, text=True, cwd=cwd, env=env
    )


def test_show_prints_the_sample_as_str_of_the_dataset(capsys):
    assert main(["show"]) == 0
    out = capsys.readouterr().out
    assert out.startswith(f"# {sample_path()}\n")
    assert str(fastdicom.dcmread(sample_path())) in out


def test_a_missing_file_is_reported_on_stderr_with_status_1(tmp_path, capsys):
    missing = tmp_path / "missing.dcm"
    assert main(["show", str(missing), sample_path()]) == 1
    captured = capsys.readouterr()
    assert str(missing) in captured.err and "CT_small" in captured.out


def test_version_and_help(capsys):
    with pytest.raises(SystemExit) as exit_info:
        main(["--version"])
    assert exit_info.value.code == 0
    assert capsys.readouterr().out.strip() == f"fastdicom {fastdicom.__version__}"
    with pytest.raises(SystemExit):
        main(["--help"])
    help_text = capsys.readouterr().out
    for command in ("show", "codify"):
        assert command in help_text
    assert set(COMMANDS) >= {"show", "codify"}


def test_usage_error_exits_2(capsys):
    with pytest.raises(SystemExit) as exit_info:
        main(["no-such-command"])
    assert exit_info.value.code == 2


def test_piped_into_head_is_quiet(tmp_path):
    """A closed pipe ends the command quietly, with status 0 and nothing on stderr."""
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([PACKAGE_ROOT, os.environ.get("PYTHONPATH", "")])}
    # ~200 KB of output: more than a pipe holds, so the writer meets the closed pipe
    files = " ".join([sample_path()] * 50)
    shell = f"{sys.executable} -m fastdicom show {files} | head -n 1"
    result = subprocess.run(
        ["bash", "-o", "pipefail", "-c", shell], capture_output=True, text=True, cwd=tmp_path, env=env
    )
    assert result.stdout.startswith("# ")
    assert result.stderr == ""
    assert result.returncode == 0


def test_codify_writes_code_that_recreates_the_file(tmp_path):
    script = tmp_path / "ct.py"
    result = run_cli("codify", sample_path(), str(script), cwd=str(tmp_path))
    assert result.returncode == 0, result.stderr
    code = script.read_text()
    assert "ds.PatientName = 'CompressedSamples^CT1'" in code
    assert "ds.save_as(" in code
