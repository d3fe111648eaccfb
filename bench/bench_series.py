"""Grouping a 10,000-file tree: fastdicom.series.scan against ``dcm2niix -b o``.

The tree is made from the real scanner series of ``../shared/dwi`` (GE, Philips,
Toshiba, Siemens mosaic and XA enhanced): each file is written again, as many
times as needed to reach ``--files``, with new Study/Series/SOP Instance UIDs
and a new SeriesNumber per copy, so that every copy is a study of its own (gzipped inputs are
written uncompressed: dcm2niix reads no gzip).

Then, in one run, on the same tree (warm page cache for both), each tool
``--repeat`` times (3), interleaved, the best run kept:

- ``fastdicom.series.scan(tree)``: every header read (the compiled batch path
  for plain files), grouped into studies, series and volumes with their
  diagnostics, in this process;
- ``dcm2niix -b o -o OUT tree``: dcm2niix's fastest mode, which reads and
  sorts every file and writes only the BIDS sidecars (no image);
- ``python -m fastdicom series tree --json``: the command in a new process,
  its start-up (imports) included.

Usage::

    PYTHONPATH=. python bench/bench_series.py [--files 10000] [--tree /tmp/fastdicom-series-tree] [--repeat 3]
"""

from __future__ import annotations

import argparse
import gzip
import importlib.util
import io
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from typing import Any

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

        def new(uid: str, uids: dict[str, str] = uids) -> str:
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


def _series_at(rev: str) -> Any:
    """fastdicom/series.py as of git revision `rev`, imported beside the current one."""
    here = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
    source = subprocess.run(["git", "-C", here, "show", f"{rev}:fastdicom/series.py"],
                            capture_output=True, text=True, check=True).stdout
    path = os.path.join(tempfile.mkdtemp(), f"series_{rev}.py")
    with open(path, "w") as f:
        f.write(source)
    spec = importlib.util.spec_from_file_location(f"series_{rev}", path)
    module = importlib.util.module_from_spec(spec)  # type: ignore[arg-type]
    sys.modules[spec.name] = module  # type: ignore[union-attr]  # dataclasses look their module up
    spec.loader.exec_module(module)  # type: ignore[union-attr]
    return module


def _cpu_children() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _run(cmd: list[str], env: dict[str, str] | None = None) -> tuple[float, float, subprocess.CompletedProcess]:
    """Wall and CPU time (user + system) of a child process."""
    before = _cpu_children()
    t = time.perf_counter()
    proc = subprocess.run(cmd, capture_output=True, text=True, env=env)
    return time.perf_counter() - t, _cpu_children() - before, proc


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--files", type=int, default=10_000)
    parser.add_argument("--tree", default=os.path.join(tempfile.gettempdir(), "fastdicom-series-tree"))
    parser.add_argument("--dcm2niix", default=shutil.which("dcm2niix") or "dcm2niix")
    parser.add_argument("--repeat", type=int, default=3, help="runs of each tool, interleaved (best kept)")
    parser.add_argument("--no-cli", action="store_true", help="skip the command-line runs")
    parser.add_argument("--dwi", action="store_true",
                        help="also 'fastdicom dwi' against 'dcm2niix -z y' (full conversion) on the tree's first copy")
    parser.add_argument("--before", metavar="REV",
                        help="also time fastdicom/series.py as of git revision REV (loaded beside this one)")
    args = parser.parse_args()

    t = time.perf_counter()
    n = make_tree(args.tree, args.files)
    print(f"tree: {n} files under {args.tree} ({time.perf_counter() - t:.1f} s to make or check)")
    print(f"python {sys.version.split()[0]}, {os.cpu_count()} CPUs, load average before: "
          + " ".join(f"{x:.2f}" for x in os.getloadavg()))
    # warm the page cache for both tools
    for root, _, files in os.walk(args.tree):
        for name in files:
            with open(os.path.join(root, name), "rb") as f:
                while f.read(1 << 20):
                    pass

    env = dict(os.environ, PYTHONPATH=os.pathsep.join(
        [os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."), os.environ.get("PYTHONPATH", "")]))
    # a user's installed package has its bytecode cached: let the child write
    # and reuse it (this environment may set PYTHONDONTWRITEBYTECODE), and warm it
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    if not args.no_cli:
        subprocess.run([sys.executable, "-m", "fastdicom", "series", "--help"], capture_output=True, env=env)
    runs: dict[str, list[tuple[float, float]]] = {}
    summary = ""
    before = _series_at(args.before) if args.before else None
    for _ in range(args.repeat):
        if before is not None:
            t, c = time.perf_counter(), time.process_time()
            del_me = before.scan(args.tree)
            runs.setdefault("before", []).append((time.perf_counter() - t, time.process_time() - c))
            del del_me
        t, c = time.perf_counter(), time.process_time()
        result = scan(args.tree)
        runs.setdefault("scan", []).append((time.perf_counter() - t, time.process_time() - c))
        volumes = sum(len(s.volumes) for s in result.series)
        summary = (f"{len(result.studies)} studies, {len(result.series)} series, {volumes} volumes, "
                   f"{len(result.failures)} failures")
        del result
        with tempfile.TemporaryDirectory() as out:
            wall, cpu, proc = _run([args.dcm2niix, "-b", "o", "-o", out, args.tree])
            runs.setdefault("dcm2niix", []).append((wall, cpu))
            jsons = len([f for f in os.listdir(out) if f.endswith(".json")])
            dn_summary = f"{jsons} sidecars, exit {proc.returncode}"
        if not args.no_cli:
            # the command, start-up included: a new process importing fastdicom
            wall, cpu, proc = _run([sys.executable, "-m", "fastdicom", "series", args.tree, "--json"], env)
            runs.setdefault("cli", []).append((wall, cpu))
            cli_summary = f"exit {proc.returncode}, {len(proc.stdout)} bytes of JSON"
        if args.dwi:
            # a whole conversion, each tool as a command: b-values, b-vectors, gzipped NIfTI
            first = os.path.join(args.tree, "copy00")
            with tempfile.TemporaryDirectory() as out:
                wall, cpu, proc = _run([sys.executable, "-m", "fastdicom", "dwi", first, "-o", out], env)
                runs.setdefault("dwi", []).append((wall, cpu))
                dwi_summary = f"{len([f for f in os.listdir(out) if f.endswith('.nii.gz')])} .nii.gz, exit {proc.returncode}"
            with tempfile.TemporaryDirectory() as out:
                wall, cpu, proc = _run([args.dcm2niix, "-z", "y", "-o", out, first])
                runs.setdefault("dcm2niix -z y", []).append((wall, cpu))
                dnz_summary = f"{len([f for f in os.listdir(out) if f.endswith('.nii.gz')])} .nii.gz, exit {proc.returncode}"
    load_after = " ".join(f"{x:.2f}" for x in os.getloadavg())

    def best(name: str) -> tuple[float, float]:
        return min(w for w, _ in runs[name]), min(c for _, c in runs[name])

    fd, fd_cpu = best("scan")
    dn, dn_cpu = best("dcm2niix")
    print(f"best of {args.repeat}, interleaved; wall s (files/s), CPU s (user + system)")
    print(f"  fastdicom.series.scan     {fd:6.2f} s ({n / fd:7,.0f} files/s)  CPU {fd_cpu:5.2f} s  {summary}")
    print(f"  dcm2niix -b o             {dn:6.2f} s ({n / dn:7,.0f} files/s)  CPU {dn_cpu:5.2f} s  {dn_summary}")
    if before is not None:
        bf, bf_cpu = best("before")
        print(f"  series.scan at {args.before:<10s} {bf:6.2f} s ({n / bf:7,.0f} files/s)  CPU {bf_cpu:5.2f} s  "
              f"(dcm2niix / it: wall {dn / bf:.2f}, CPU {dn_cpu / bf_cpu:.2f}; now {bf / fd:.2f}x faster)")
    if not args.no_cli:
        cl, cl_cpu = best("cli")
        print(f"  fastdicom series --json   {cl:6.2f} s ({n / cl:7,.0f} files/s)  CPU {cl_cpu:5.2f} s  "
              f"{cli_summary} (new process: start-up included)")
    if args.dwi:
        dw, dw_cpu = best("dwi")
        dz, dz_cpu = best("dcm2niix -z y")
        files = sum(len(f) for _, _, f in os.walk(os.path.join(args.tree, "copy00")))
        print(f"  conversion of copy00 ({files} files), commands in new processes:")
        print(f"    fastdicom dwi           {dw:6.2f} s  CPU {dw_cpu:5.2f} s  {dwi_summary}")
        print(f"    dcm2niix -z y           {dz:6.2f} s  CPU {dz_cpu:5.2f} s  {dnz_summary}")
        print(f"    ratio dcm2niix / fastdicom dwi: wall {dz / dw:.2f}, CPU {dz_cpu / dw_cpu:.2f}")
    print("  every run (wall s): " + "; ".join(f"{k} " + " ".join(f"{w:.2f}" for w, _ in v) for k, v in runs.items()))
    print(f"load average after: {load_after}")
    # the machine is shared: CPU time (user + system) is the steadier figure
    print(f"ratio dcm2niix / fastdicom.series.scan: wall {dn / fd:.2f}, CPU {dn_cpu / fd_cpu:.2f} (> 1: fastdicom faster)")
    if not args.no_cli:
        print(f"ratio dcm2niix / fastdicom series (command): wall {dn / cl:.2f}, CPU {dn_cpu / cl_cpu:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
