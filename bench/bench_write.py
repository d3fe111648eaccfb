"""Writing: fastdicom against pydicom and against copying the files, in one run.

Tasks (whole-series times, best of ``--repeat`` runs, interleaved; quote the
ratios, not the absolute times):

(a) read + write back unchanged every file of the 500-slice series
    (``dcmread`` then ``dcmwrite`` to another directory);
    floor: ``shutil.copyfile`` of the same files.
(b) header-only edit: read, set PatientName, write.

Targets: (a) at least 4x pydicom and within 1.3x of copying. The script
always exits 0 (speed is measured here, never asserted).

Usage::

    python bench/bench_write.py [--data DIR] [--series ct_explicit] [--files N] [--repeat R]
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

import fastdicom  # noqa: E402
import pydicom  # noqa: E402


def _run(files: list[str], out: str, fn) -> float:
    start = time.perf_counter()
    for index, path in enumerate(files):
        fn(path, os.path.join(out, f"{index}.dcm"))
    return time.perf_counter() - start


def fd_copy(path: str, target: str) -> None:
    fastdicom.dcmwrite(target, fastdicom.dcmread(path))


def pd_copy(path: str, target: str) -> None:
    pydicom.dcmwrite(target, pydicom.dcmread(path))


def fd_edit(path: str, target: str) -> None:
    ds = fastdicom.dcmread(path)
    ds.PatientName = "Anonymous^Edited"
    fastdicom.dcmwrite(target, ds)


def pd_edit(path: str, target: str) -> None:
    ds = pydicom.dcmread(path)
    ds.PatientName = "Anonymous^Edited"
    pydicom.dcmwrite(target, ds)


def file_copy(path: str, target: str) -> None:
    shutil.copyfile(path, target)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="fastdicom writing vs pydicom and file copying")
    ap.add_argument("--data", default=os.environ.get("FASTDICOM_BENCH_DATA", "/tmp/fastdicom-bench"))
    ap.add_argument("--series", default="ct_explicit")
    ap.add_argument("--files", type=int, default=None)
    ap.add_argument("--repeat", type=int, default=5)
    args = ap.parse_args(argv)
    folder = Path(args.data) / args.series
    files = sorted(str(p) for p in folder.iterdir() if p.is_file())[: args.files]
    tasks = {
        "copy files": file_copy,
        "fastdicom read+write": fd_copy,
        "pydicom read+write": pd_copy,
        "fastdicom edit+write": fd_edit,
        "pydicom edit+write": pd_edit,
    }
    best = {name: float("inf") for name in tasks}
    # Every task writes new files into an empty directory, the usual case of
    # a pipeline writing its output (replacing files is measured apart).
    with tempfile.TemporaryDirectory(dir=folder.parent) as root:
        for repeat in range(args.repeat):
            for name, fn in tasks.items():
                out = os.path.join(root, f"{repeat}-{name.replace(' ', '_').replace('+', '_')}")
                os.mkdir(out)
                best[name] = min(best[name], _run(files, out, fn))
                shutil.rmtree(out)
        # Overwriting existing files: fastdicom replaces them atomically
        # (temporary file + rename), copyfile truncates them in place.
        out = os.path.join(root, "overwrite")
        os.mkdir(out)
        _run(files, out, file_copy)
        overwrite = {"copy files (overwrite)": file_copy, "fastdicom read+write (overwrite)": fd_copy}
        for _ in range(args.repeat):
            for name, fn in overwrite.items():
                best[name] = min(best.get(name, float("inf")), _run(files, out, fn))
    n = len(files)
    print(f"{n} files of {folder}, best of {args.repeat}")
    for name, seconds in best.items():
        print(f"  {name:24} {seconds * 1e3:9.1f} ms  ({seconds / n * 1e6:7.1f} us/file)")
    vs_pydicom = best["pydicom read+write"] / best["fastdicom read+write"]
    vs_copy = best["fastdicom read+write"] / best["copy files"]
    edit_vs_pydicom = best["pydicom edit+write"] / best["fastdicom edit+write"]
    edit_vs_copy = best["fastdicom edit+write"] / best["copy files"]
    print(f"(a) read+write: {vs_pydicom:.1f}x pydicom [target >= 4x: {'PASS' if vs_pydicom >= 4 else 'MISS'}], "
          f"{vs_copy:.2f}x copying [target <= 1.3x: {'PASS' if vs_copy <= 1.3 else 'MISS'}]")
    print(f"(b) edit+write: {edit_vs_pydicom:.1f}x pydicom, {edit_vs_copy:.2f}x copying")
    replace_vs_copy = best["fastdicom read+write (overwrite)"] / best["copy files (overwrite)"]
    print(f"    overwriting existing files: {replace_vs_copy:.2f}x copying over them")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
