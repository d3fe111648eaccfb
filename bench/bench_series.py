"""Grouping a 10,000-file tree: fastdicom.series.scan against ``dcm2niix -b o``.

The tree is made from the real scanner series of ``../shared/dwi`` (GE, Philips,
Toshiba, Siemens mosaic and XA enhanced): each file is written again, as many
times as needed to reach ``--files``, with new Study/Series/SOP Instance UIDs
and a new SeriesNumber per copy, so that every copy is a study of its own (gzipped inputs are
written uncompressed: dcm2niix reads no gzip).

Then, in one run, on the same tree (warm page cache for both):

- ``fastdicom.series.scan(tree)``: headers read with ``stop_before_pixels``,
  grouped into studies, series and volumes with their diagnostics;
- ``dcm2niix -b o -o OUT tree``: dcm2niix's fastest mode, which reads and
  sorts every file and writes only the BIDS sidecars (no image).

Usage::

    PYTHONPATH=. python bench/bench_series.py [--files 10000] [--tree /tmp/fastdicom-series-tree]
"""

from __future__ import annotations

import argparse
import gzip
import io
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))

from fastdicom import dcmread  # noqa: E402
from fastdicom.series import scan  # noqa: E402
from fastdicom.uid import generate_uid  # noqa: E402

SHARED = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "shared", "dwi")


def _sources() -> list[str]:
    out = []
    for root, _, files in os.walk(SHARED):
        if os.sep + "In" not in root:
            continue
        for name in sorted(files):
            if name.endswith((".txt", ".md")) or name == "DICOMDIR":
                continue
            out.append(os.path.join(root, name))
    return sorted(out)


def make_tree(tree: str, count: int) -> int:
    """Write `count` files under `tree` (kept between runs when complete)."""
    marker = f"{tree}.complete-v2-{count}"  # beside the tree, not in it
    if os.path.exists(marker):
        return count
    shutil.rmtree(tree, ignore_errors=True)
    sources = _sources()
    written = copy = 0
    while written < count:
        uids: dict[str, str] = {}

        def new(uid: str) -> str:
            return uids.setdefault(uid, generate_uid())

        for path in sources:
            if written >= count:
                break
            if path.endswith(".gz"):
                with gzip.open(path, "rb") as f:
                    ds = dcmread(io.BytesIO(f.read()))
            else:
                ds = dcmread(path)
            if "PixelData" not in ds:
                continue
            for keyword in ("StudyInstanceUID", "SeriesInstanceUID", "SOPInstanceUID"):
                if keyword in ds:
                    setattr(ds, keyword, new(str(getattr(ds, keyword))))
            ds.file_meta.MediaStorageSOPInstanceUID = ds.SOPInstanceUID
            # dcm2niix groups by its own keys (series number, times), not by UID alone:
            # a new series number per copy keeps the copies apart for it too
            ds.SeriesNumber = int(ds.get("SeriesNumber") or 0) + 1000 * (copy + 1)
            rel = os.path.relpath(path, SHARED).replace(".gz", "")
            target = os.path.join(tree, f"copy{copy:02d}", rel)
            os.makedirs(os.path.dirname(target), exist_ok=True)
            ds.save_as(target)
            written += 1
        copy += 1
    open(marker, "w").close()
    return written


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--files", type=int, default=10_000)
    parser.add_argument("--tree", default=os.path.join(tempfile.gettempdir(), "fastdicom-series-tree"))
    parser.add_argument("--dcm2niix", default=shutil.which("dcm2niix") or "dcm2niix")
    args = parser.parse_args()

    t = time.perf_counter()
    n = make_tree(args.tree, args.files)
    print(f"tree: {n} files under {args.tree} ({time.perf_counter() - t:.1f} s to make or check)")
    # warm the page cache for both tools
    for root, _, files in os.walk(args.tree):
        for name in files:
            with open(os.path.join(root, name), "rb") as f:
                while f.read(1 << 20):
                    pass

    t, c = time.perf_counter(), time.process_time()
    result = scan(args.tree)
    fd, fd_cpu = time.perf_counter() - t, time.process_time() - c
    volumes = sum(len(s.volumes) for s in result.series)
    print(f"fastdicom.series.scan: {fd:.2f} s  ({n / fd:,.0f} files/s): {len(result.studies)} studies, "
          f"{len(result.series)} series, {volumes} volumes, {len(result.failures)} failures; CPU {fd_cpu:.2f} s")

    with tempfile.TemporaryDirectory() as out:
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        t = time.perf_counter()
        proc = subprocess.run([args.dcm2niix, "-b", "o", "-o", out, args.tree], capture_output=True, text=True)
        dn = time.perf_counter() - t
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        dn_cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
        jsons = len([f for f in os.listdir(out) if f.endswith(".json")])
    print(f"dcm2niix -b o:        {dn:.2f} s  ({n / dn:,.0f} files/s): {jsons} sidecars, exit {proc.returncode}; "
          f"CPU {dn_cpu:.2f} s")
    # the machine is shared: CPU time (user + system) is the steadier figure
    print(f"ratio dcm2niix / fastdicom: wall {dn / fd:.2f}, CPU {dn_cpu / fd_cpu:.2f} (> 1: fastdicom faster)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
