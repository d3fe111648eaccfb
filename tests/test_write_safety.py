"""Nothing lost on write (issue 12).

* dcmwrite goes through a temporary file in the destination's directory,
  fsynced before it is renamed into place (and the directory after): a writer
  killed mid-way leaves the destination as it was (absent, or the old file),
  never half written.
* De-identification refuses to overwrite its input unless told to.
* A value read with ``defer_size`` is written whole (a deferred value of
  undefined length - encapsulated Pixel Data, a sequence - was written empty:
  found by tools/thread_hammer.py).
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import warnings
from io import BytesIO
from pathlib import Path

import pytest

import fastdicom
from fastdicom import filewriter

pydicom_data = pytest.importorskip("pydicom.data")
# the folder holding the fastdicom the tests import (the installed package in CI,
# whose checkout has no compiled modules; the checkout itself in an in-place build)
ROOT = Path(fastdicom.__file__).resolve().parent.parent


def _path(name: str) -> str:
    path = pydicom_data.get_testdata_file(name, download=False)
    if path is None:
        pytest.skip(f"{name} is not in pydicom's test data")
    return str(path)


def _written(ds) -> bytes:
    out = BytesIO()
    ds.save_as(out, enforce_file_format=False)
    return out.getvalue()


@pytest.mark.parametrize("name", ["JPEG2000.dcm", "reportsi.dcm", "emri_small_RLE.dcm", "UN_sequence.dcm"])
@pytest.mark.parametrize("defer_size", [1, 16, 256])
def test_deferred_values_are_written_whole(name, defer_size):
    path = _path(name)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        expected = _written(fastdicom.dcmread(path))
        assert _written(fastdicom.dcmread(path, defer_size=defer_size)) == expected
        with open(path, "rb") as f:
            assert _written(fastdicom.dcmread(f, defer_size=defer_size)) == expected


def test_dcmwrite_fsyncs_before_the_rename(tmp_path, monkeypatch):
    """The file's data are synced, then it is renamed, then its directory synced."""
    events = []
    real_fsync, real_replace = os.fsync, os.replace
    monkeypatch.setattr(os, "fsync", lambda fd: (events.append("fsync"), real_fsync(fd))[1])
    monkeypatch.setattr(os, "replace", lambda a, b: (events.append("replace"), real_replace(a, b))[1])
    ds = fastdicom.dcmread(_path("CT_small.dcm"))
    for destination in (tmp_path / "new.dcm", tmp_path / "new.dcm"):  # new, then replaced
        events.clear()
        ds.save_as(destination)
        assert events == ["fsync", "replace", "fsync"], events
        assert fastdicom.dcmread(destination).PatientName == ds.PatientName
    assert sorted(p.name for p in tmp_path.iterdir()) == ["new.dcm"]  # no temporary left


_KILLED_WRITER = textwrap.dedent("""
    import os, sys, time
    sys.path.insert(0, {root!r})
    import fastdicom
    from fastdicom import filewriter

    real = filewriter._writev_all
    calls = [0]
    def slow(fd, chunks):
        # the first chunks are written, then the writer stops mid-way
        real(fd, chunks[: max(1, len(chunks) // 2)])
        calls[0] += 1
        print("mid", flush=True)
        time.sleep(60)
    filewriter._writev_all = slow
    ds = fastdicom.dcmread({source!r})
    ds.PatientName = "NEW^VERSION"
    ds.save_as({destination!r})
""")


@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="POSIX signals")
@pytest.mark.parametrize("existing", [False, True])
def test_writer_killed_mid_way_leaves_no_half_file(tmp_path, existing):
    source = _path("CT_small.dcm")
    destination = tmp_path / "out.dcm"
    old = Path(source).read_bytes()
    if existing:
        destination.write_bytes(old)
    script = _KILLED_WRITER.format(root=str(ROOT), source=source, destination=str(destination))
    proc = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True)
    try:
        assert proc.stdout.readline().strip() == "mid"
        proc.send_signal(signal.SIGKILL)
    finally:
        proc.wait(timeout=30)
        proc.stdout.close()
    assert proc.returncode == -signal.SIGKILL
    if existing:
        assert destination.read_bytes() == old  # the old file, whole
    else:
        assert not destination.exists()  # no half-written file under its name
    # what the killed process had written is only in its hidden temporary file
    leftovers = [p.name for p in tmp_path.iterdir() if p.name != "out.dcm"]
    assert all(name.startswith(".out.dcm.") and name.endswith(".tmp") for name in leftovers), leftovers


def test_failed_write_leaves_the_old_file(tmp_path, monkeypatch):
    destination = tmp_path / "out.dcm"
    destination.write_bytes(b"old contents")

    def fail(fd, chunks):
        os.write(fd, b"partial")
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(filewriter, "_writev_all", fail)
    ds = fastdicom.dcmread(_path("CT_small.dcm"))
    with pytest.raises(OSError, match="No space left"):
        ds.save_as(destination)
    assert destination.read_bytes() == b"old contents"
    assert [p.name for p in tmp_path.iterdir()] == ["out.dcm"]
    with pytest.raises(OSError, match="No space left"):
        ds.save_as(tmp_path / "other.dcm")
    assert [p.name for p in tmp_path.iterdir()] == ["out.dcm"]


def test_deidentification_never_overwrites_its_input(tmp_path):
    anonymize = pytest.importorskip("fastdicom.anonymize")
    source = tmp_path / "in.dcm"
    source.write_bytes(Path(_path("CT_small.dcm")).read_bytes())
    before = source.read_bytes()
    anonymizer = anonymize.Anonymizer(b"key")
    with pytest.raises(FileExistsError):
        anonymizer.anonymize_file(source, source)
    assert source.read_bytes() == before
    anonymizer.anonymize_file(source, tmp_path / "out.dcm")
    assert source.read_bytes() == before
    assert fastdicom.dcmread(tmp_path / "out.dcm").PatientName != fastdicom.dcmread(source).PatientName
