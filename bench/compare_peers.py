"""Compare fastdicom with pydicom (and any other importable DICOM reader) in one run.

Tasks (per-file times, best of ``--repeat`` runs, interleaved so that machine
noise hits every library alike; quote the ratios, not the absolute times):

(a) header: ``dcmread(path, stop_before_pixels=True)`` + 9 value accesses (one
    inside a sequence), over the explicit and the implicit VR series.
    Floor: open the file and read its first N bytes, N = offset of Pixel Data.
(b) full read (no ``stop_before_pixels``) + the same accesses.
    Floor: open the file and read it whole.
(c) the enhanced multi-frame file: header-only ``dcmread`` then
    ``PerFrameFunctionalGroupsSequence[i].PlanePositionSequence[0]
    .ImagePositionPatient`` for every frame i. Floor: read its header bytes.
(d) (a) over both series on 2 threads against 1 thread (ThreadPoolExecutor):
    the speed-up, per library.
(e) memory retained per header-only dataset (after the 9 accesses) held in a
    list: tracemalloc current size after ``gc.collect()``, divided by the count.

Targets are printed beside the results with PASS/MISS; the script always exits
0 (speed is measured here, never asserted).

Usage::

    python bench/compare_peers.py [--quick] [--data DIR] [--files N]
                                  [--repeat R] [--json OUT]
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import platform
import statistics
import sys
import time
import tracemalloc
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any, Callable

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(1, str(HERE.parent))  # run from a checkout without installing

import make_data  # noqa: E402

import fastdicom  # noqa: E402
from fastdicom import _parser  # noqa: E402
import pydicom  # noqa: E402


# --------------------------------------------------------------------------- work
def access(ds: Any) -> tuple:
    """The 9 accesses of tasks (a), (b), (d), (e)."""
    return (
        ds.PatientName,
        ds.StudyInstanceUID,
        ds.SeriesInstanceUID,
        ds.SOPInstanceUID,
        ds.InstanceNumber,
        ds.ImagePositionPatient,
        ds.PixelSpacing,
        ds.SliceThickness,
        ds.ReferencedImageSequence[0].ReferencedSOPInstanceUID,
    )


def walk_frames(ds: Any) -> list:
    """Task (c): one nested value per frame."""
    seq = ds.PerFrameFunctionalGroupsSequence
    return [seq[i].PlanePositionSequence[0].ImagePositionPatient for i in range(len(seq))]


class Lib:
    """A reader under test: a name and a dcmread(path, stop_before_pixels)."""

    def __init__(self, name: str, read: Callable[[str, bool], Any],
                 header_only: bool = True, full: bool = True, frames: bool = True):
        self.name = name
        self.read = read
        self.tasks = {"header": header_only, "full": full, "frames": frames}

    def header(self, files: list[str]) -> None:
        read = self.read
        for f in files:
            access(read(f, True))

    def full(self, files: list[str]) -> None:
        read = self.read
        for f in files:
            access(read(f, False))

    def frames(self, path: str) -> int:
        return len(walk_frames(self.read(path, True)))


def _libs() -> list[Lib]:
    libs = [
        Lib("fastdicom", lambda p, s: fastdicom.dcmread(p, stop_before_pixels=s)),
        Lib("pydicom", lambda p, s: pydicom.dcmread(p, stop_before_pixels=s)),
    ]
    # Other peers only if installed (pip install dicomsdl python-gdcm).
    try:  # pragma: no cover - optional
        import dicomsdl

        # load_until: stop before Pixel Data, as stop_before_pixels
        libs.append(Lib(f"dicomsdl {dicomsdl.__version__ if hasattr(dicomsdl, '__version__') else ''}".strip(),
                        lambda p, s: dicomsdl.open(p, load_until=0x7FE00000) if s else dicomsdl.open(p)))
    except Exception:
        pass
    try:  # pragma: no cover - optional
        import gdcm

        _GDCM_TAGS = {"PatientName": (0x0010, 0x0010), "StudyInstanceUID": (0x0020, 0x000D),
                      "SeriesInstanceUID": (0x0020, 0x000E), "SOPInstanceUID": (0x0008, 0x0018),
                      "InstanceNumber": (0x0020, 0x0013), "ImagePositionPatient": (0x0020, 0x0032),
                      "PixelSpacing": (0x0028, 0x0030), "SliceThickness": (0x0018, 0x0050)}

        def _gdcm_read(path: str, header_only: bool) -> Any:
            reader = gdcm.Reader()
            reader.SetFileName(path)
            ok = (reader.ReadUpToTag(gdcm.Tag(0x7FE0, 0x0010), gdcm.TagSetType()) if header_only
                  else reader.Read())
            if not ok:
                raise RuntimeError(f"gdcm could not read {path}")
            return reader

        def _gdcm_access(reader: Any) -> tuple:
            # gdcm gives strings (StringFilter), not typed values
            sf = gdcm.StringFilter()
            sf.SetFile(reader.GetFile())
            values = [sf.ToString(gdcm.Tag(*t)) for t in _GDCM_TAGS.values()]
            # Each SWIG object held in a name: a temporary freed mid-chain crashes
            file = reader.GetFile()
            dset = file.GetDataSet()
            element = dset.GetDataElement(gdcm.Tag(0x0008, 0x1140))
            sequence = element.GetValueAsSQ()
            item = sequence.GetItem(1)
            nested = item.GetNestedDataSet()
            uid = nested.GetDataElement(gdcm.Tag(0x0008, 0x1155))
            value = uid.GetByteValue()
            values.append(value.GetBuffer())
            return tuple(values)

        peer = Lib(f"gdcm {gdcm.Version.GetVersion()} (str values)", _gdcm_read, frames=False)
        peer.header = lambda files: [_gdcm_access(_gdcm_read(f, True)) for f in files]  # type: ignore[method-assign]
        peer.full = lambda files: [_gdcm_access(_gdcm_read(f, False)) for f in files]  # type: ignore[method-assign]
        libs.append(peer)
    except Exception:
        pass
    try:  # pragma: no cover - optional
        import SimpleITK as sitk

        class _SitkDs:
            def __init__(self, path: str):
                r = sitk.ImageFileReader()
                r.SetFileName(path)
                r.LoadPrivateTagsOn()
                r.ReadImageInformation()
                self._r = r

            def __getattr__(self, name: str) -> Any:
                key = {"PatientName": "0010|0010", "StudyInstanceUID": "0020|000d",
                       "SeriesInstanceUID": "0020|000e", "SOPInstanceUID": "0008|0018",
                       "InstanceNumber": "0020|0013", "ImagePositionPatient": "0020|0032",
                       "PixelSpacing": "0028|0030", "SliceThickness": "0018|0050"}.get(name)
                if key is None:
                    raise AttributeError(name)
                return self._r.GetMetaData(key)

        def _sitk_access(files: list[str]) -> None:
            for f in files:
                ds = _SitkDs(f)
                for k in ("PatientName", "StudyInstanceUID", "SeriesInstanceUID",
                          "SOPInstanceUID", "InstanceNumber", "ImagePositionPatient",
                          "PixelSpacing", "SliceThickness"):
                    getattr(ds, k)

        peer = Lib(f"SimpleITK {sitk.Version.VersionString()} (8 values, no seq)",
                   lambda p, s: _SitkDs(p), full=False, frames=False)
        peer.header = _sitk_access  # type: ignore[method-assign]
        libs.append(peer)
    except Exception:
        pass
    return libs


# ----------------------------------------------------------------------- floors
def floor_header(files: list[str], offsets: dict[str, int]) -> None:
    for f in files:
        with open(f, "rb") as fh:
            fh.read(offsets[f])


def compiled_floor_header(files: list[str], offsets: dict[str, int]) -> None:
    for f in files:
        _parser.read_path(f, offsets[f])


def floor_full(files: list[str], offsets: dict[str, int]) -> None:
    for f in files:
        with open(f, "rb") as fh:
            fh.read()


def pixel_offset(path: str) -> int:
    """Offset of the Pixel Data element's tag (found once, with pydicom)."""
    ds = pydicom.dcmread(path, stop_before_pixels=True)
    frames = int(getattr(ds, "NumberOfFrames", 1) or 1)
    nbytes = ds.Rows * ds.Columns * ds.SamplesPerPixel * (ds.BitsAllocated // 8) * frames
    nbytes += nbytes % 2
    data = Path(path).read_bytes()
    pos = data.rfind(b"\xe0\x7f\x10\x00", 0, len(data) - nbytes)
    if pos < 0 or len(data) - nbytes - pos not in (8, 12):
        raise RuntimeError(f"cannot place Pixel Data in {path}")
    return pos


# ---------------------------------------------------------------------- timing
def best_of(repeat: int, fns: dict[str, Callable[[], Any]]) -> dict[str, dict[str, float]]:
    """Run each fn ``repeat`` times, interleaved; min and median seconds."""
    times: dict[str, list[float]] = {k: [] for k in fns}
    for _ in range(repeat):
        for name, fn in fns.items():
            gc.collect()
            t0 = time.perf_counter()
            fn()
            times[name].append(time.perf_counter() - t0)
    return {k: {"min": min(v), "median": statistics.median(v)} for k, v in times.items()}


def threaded(fn: Callable[[list[str]], None], files: list[str], workers: int) -> None:
    chunks = [files[i::workers] for i in range(workers)]
    with ThreadPoolExecutor(max_workers=workers) as ex:
        for fut in [ex.submit(fn, c) for c in chunks]:
            fut.result()


def retained_per_dataset(lib: Lib, files: list[str]) -> float:
    """tracemalloc's current size after gc, per dataset held (Python allocations
    only: memory a C extension takes with malloc is not traced)."""
    gc.collect()
    tracemalloc.start()
    try:
        gc.collect()
        before = tracemalloc.get_traced_memory()[0]
        held = []
        for f in files:
            ds = lib.read(f, True)
            access(ds)
            held.append(ds)
        gc.collect()
        after = tracemalloc.get_traced_memory()[0]
    finally:
        tracemalloc.stop()
    del held
    gc.collect()
    return (after - before) / len(files)


def _rss() -> int:
    with open("/proc/self/statm") as fh:
        return int(fh.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


def rss_per_dataset(lib: Lib, files: list[str]) -> float:
    """Resident set growth per dataset held (counts malloc'ed memory too)."""
    gc.collect()
    before = _rss()
    held = []
    for f in files:
        ds = lib.read(f, True)
        access(ds)
        held.append(ds)
    gc.collect()
    grown = _rss() - before
    del held
    return grown / len(files)


def _memory_child(name: str, files: list[str]) -> dict[str, float]:
    """Measure (e) for one library in this (fresh) process."""
    lib = {l.name: l for l in _libs()}[name]
    lib.header(files[:3])  # imports and caches out of the way
    out = {}
    try:  # first: RSS would not grow while the heap reuses freed memory
        out["rss"] = rss_per_dataset(lib, files)
    except OSError:  # no /proc
        out["rss"] = float("nan")
    gc.collect()
    out["tracemalloc"] = retained_per_dataset(lib, files)
    return out


def memory_in_subprocess(name: str, files: list[str]) -> dict[str, float]:
    import subprocess
    import tempfile

    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as fh:
        json.dump(files, fh)
    try:
        out = subprocess.run(
            [sys.executable, __file__, "--memory-child", name, fh.name],
            check=True, capture_output=True, text=True,
        ).stdout
    finally:
        os.unlink(fh.name)
    return json.loads(out.strip().splitlines()[-1])


# ----------------------------------------------------------------------- report
def _us(sec: float) -> str:
    return f"{sec * 1e6:10.1f}"


def _verdict(ok: bool) -> str:
    return "PASS" if ok else "MISS"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="fastdicom vs pydicom (and peers)")
    ap.add_argument("--data", default=None,
                    help=f"data directory (default {make_data.DEFAULT_DIR}); "
                         "generated there if missing")
    ap.add_argument("--quick", action="store_true", help="50 files per series, 3 repeats")
    ap.add_argument("--files", type=int, default=None, help="files per series to use")
    ap.add_argument("--repeat", type=int, default=None, help="runs per measurement")
    ap.add_argument("--json", default=None, help="also write the results here")
    ap.add_argument("--memory-child", nargs=2, metavar=("LIB", "FILELIST"),
                    help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.memory_child:
        name, listing = args.memory_child
        print(json.dumps(_memory_child(name, json.loads(Path(listing).read_text()))))
        return 0

    data = Path(args.data) if args.data else make_data.DEFAULT_DIR
    if not (data / make_data.PARAMS_FILE).exists():
        print(f"generating data set into {data} ...", file=sys.stderr)
        make_data.make_data(data, verbose=True)
    params = json.loads((data / make_data.PARAMS_FILE).read_text())
    nfiles = args.files or (50 if args.quick else params["slices"])
    repeat = args.repeat or (3 if args.quick else 5)

    explicit = sorted(str(p) for p in (data / make_data.EXPLICIT_DIR).glob("*.dcm"))[:nfiles]
    implicit = sorted(str(p) for p in (data / make_data.IMPLICIT_DIR).glob("*.dcm"))[:nfiles]
    enhanced = str(data / make_data.ENHANCED_FILE)
    series = {"explicit": explicit, "implicit": implicit}
    both = explicit + implicit

    # Warm the OS file cache and find the Pixel Data offsets once.
    for f in both + [enhanced]:
        Path(f).read_bytes()
    offsets = {f: pixel_offset(f) for f in both + [enhanced]}

    libs = _libs()
    fd, pd = libs[0], libs[1]

    # Sanity: both libraries see the same values.
    for f in (explicit[0], implicit[0]):
        a = [str(v) for v in access(fastdicom.dcmread(f, stop_before_pixels=True))]
        b = [str(v) for v in access(pydicom.dcmread(f, stop_before_pixels=True))]
        if a != b:
            print(f"WARNING: values differ for {f}:\n  fastdicom {a}\n  pydicom   {b}")
    if walk_frames(fastdicom.dcmread(enhanced, stop_before_pixels=True)) != walk_frames(
            pydicom.dcmread(enhanced, stop_before_pixels=True)):
        print("WARNING: per-frame values differ between fastdicom and pydicom")
    # Warm both libraries' own caches (imports, dictionaries).
    for lib in libs:
        lib.header(both[:5])
        if lib.tasks["full"]:
            lib.full(both[:5])

    print("fastdicom benchmark: fastdicom vs pydicom" + "".join(f" vs {l.name}" for l in libs[2:]))
    print(f"  python {platform.python_version()} on {platform.machine()}, "
          f"{os.cpu_count()} CPUs; fastdicom {fastdicom.__version__} ({fastdicom.backend}), "
          f"pydicom {pydicom.__version__}")
    hdr = sum(offsets[f] for f in both) / len(both)
    size = sum(os.path.getsize(f) for f in both) / len(both)
    print(f"  data {data}: {len(explicit)}+{len(implicit)} CT slices "
          f"(header ~{hdr / 1024:.1f} KiB, file {size / 1024:.0f} KiB), enhanced "
          f"{params['frames']} frames {params['frame_size']}x{params['frame_size']} "
          f"({os.path.getsize(enhanced) / 2**20:.0f} MiB, header "
          f"{offsets[enhanced] / 1024:.0f} KiB); best of {repeat} runs")
    print()

    results: dict[str, Any] = {"files": nfiles, "repeat": repeat}
    rows: list[tuple] = []
    verdicts: list[tuple[str, bool]] = []
    peers = libs[2:]

    # (a) and (b)
    for task, floor_fn, label in (("header", floor_header, "a"), ("full", floor_full, "b")):
        for sname, files in series.items():
            fns = {l.name: (lambda l=l, files=files: getattr(l, task)(files))
                   for l in libs if l.tasks[task]}
            fns["floor"] = lambda files=files: floor_fn(files, offsets)
            r = best_of(repeat, fns)
            n = len(files)
            per = {k: v["min"] / n for k, v in r.items()}
            results[f"{label}_{sname}"] = per
            ratio = per["pydicom"] / per["fastdicom"]
            over = per["fastdicom"] / per["floor"]
            if label == "a":
                sdl = next((per[p.name] for p in peers if p.name.startswith("dicomsdl")), None)
                ok = ratio >= 25 and (sdl is None or sdl / per["fastdicom"] >= 2)
                target = ">=25x pydicom, >=2x dicomsdl"
                if sdl is not None:
                    target += f" ({sdl / per['fastdicom']:.1f}x)"
            else:
                ok = over <= 1.3
                target = "<=1.3x floor"
            verdicts.append((f"({label}) {sname}", ok))
            rows.append((f"({label}) {task:6s} {sname}", per["fastdicom"], per["pydicom"],
                         [per.get(p.name) for p in peers], per["floor"], ratio, over,
                         target, _verdict(ok)))

    # (c)
    fns = {l.name: (lambda l=l: l.frames(enhanced)) for l in libs if l.tasks["frames"]}
    fns["floor"] = lambda: floor_header([enhanced], offsets)
    r = best_of(max(repeat, 5), fns)
    per = {k: v["min"] for k, v in r.items()}
    results["c_frames"] = per
    ratio = per["pydicom"] / per["fastdicom"]
    ok = ratio >= 20
    verdicts.append(("(c) frames", ok))
    rows.append((f"(c) {params['frames']}-frame walk", per["fastdicom"], per["pydicom"],
                 [per.get(p.name) for p in peers], per["floor"], ratio,
                 per["fastdicom"] / per["floor"], ">=20x pydicom", _verdict(ok)))

    # (d)
    speedups = {}
    r = best_of(repeat, {"1 thread": lambda: threaded(lambda c: floor_header(c, offsets), both, 1),
                         "2 threads": lambda: threaded(lambda c: floor_header(c, offsets), both, 2)})
    speedups["floor"] = r["1 thread"]["min"] / r["2 threads"]["min"]
    results["d_floor"] = {k: v["min"] / len(both) for k, v in r.items()}
    # The same bytes read by fastdicom's compiled file read, which holds the
    # GIL for none of its system calls: how far the machine lets I/O alone
    # scale, with no Python between the calls
    r = best_of(repeat, {"1 thread": lambda: threaded(lambda c: compiled_floor_header(c, offsets), both, 1),
                         "2 threads": lambda: threaded(lambda c: compiled_floor_header(c, offsets), both, 2)})
    speedups["compiled floor"] = r["1 thread"]["min"] / r["2 threads"]["min"]
    results["d_compiled_floor"] = {k: v["min"] / len(both) for k, v in r.items()}
    for l in libs[:2]:
        fns = {"1 thread": lambda l=l: threaded(l.header, both, 1),
               "2 threads": lambda l=l: threaded(l.header, both, 2)}
        r = best_of(repeat, fns)
        speedups[l.name] = r["1 thread"]["min"] / r["2 threads"]["min"]
        results[f"d_{l.name}"] = {k: v["min"] / len(both) for k, v in r.items()}
    results["d_speedup"] = speedups
    ok = speedups["fastdicom"] >= 1.6
    verdicts.append(("(d) 2 threads", ok))

    # (e)
    # each library measured in a fresh process, so neither inherits the other's heap
    mems = {l.name: memory_in_subprocess(l.name, both) for l in libs[:2]}
    results["e_bytes_per_dataset"] = mems
    mem = {k: v["tracemalloc"] for k, v in mems.items()}
    rss = {k: v["rss"] for k, v in mems.items()}
    mratio = mem["pydicom"] / mem["fastdicom"] if mem["fastdicom"] else float("inf")
    rratio = rss["pydicom"] / rss["fastdicom"] if rss["fastdicom"] > 0 else float("nan")
    ok_e = mem["fastdicom"] * 3 <= mem["pydicom"]
    verdicts.append(("(e) memory", ok_e))

    # table
    peer_cols = "".join(f" {p.name[:12]:>12s}" for p in peers)
    print(f"{'task (us per file)':32s} {'fastdicom':>10s} {'pydicom':>10s}{peer_cols} "
          f"{'floor':>10s} {'py/fd':>7s} {'fd/floor':>8s}  target")
    for name, f_, p_, pe, fl, ratio, over, target, v in rows:
        pcols = "".join(f" {(_us(x) if x else '-'):>12s}" for x in pe)
        print(f"{name:32s} {_us(f_)} {_us(p_)}{pcols} {_us(fl)} {ratio:6.1f}x {over:7.2f}x  "
              f"{target:26s} {v}")
    print()
    d_fd = results["d_fastdicom"]
    d_pd = results["d_pydicom"]
    print(f"(d) (a) over {len(both)} files, 2 threads vs 1 thread (us per file):")
    print(f"    fastdicom {_us(d_fd['1 thread'])} -> {_us(d_fd['2 threads'])}  "
          f"speed-up {speedups['fastdicom']:.2f}x   target >=1.6x  "
          f"{_verdict(speedups['fastdicom'] >= 1.6)}")
    print(f"    pydicom   {_us(d_pd['1 thread'])} -> {_us(d_pd['2 threads'])}  "
          f"speed-up {speedups['pydicom']:.2f}x")
    d_fl = results["d_floor"]
    print(f"    floor     {_us(d_fl['1 thread'])} -> {_us(d_fl['2 threads'])}  "
          f"speed-up {speedups['floor']:.2f}x   (open+read header bytes: what the machine allows)")
    d_cf = results["d_compiled_floor"]
    print(f"    compiled  {_us(d_cf['1 thread'])} -> {_us(d_cf['2 threads'])}  "
          f"speed-up {speedups['compiled floor']:.2f}x   (the same reads with the GIL released "
          f"throughout: the I/O alone)")
    print(f"(e) retained per header-only dataset ({len(both)} held in a list, tracemalloc):")
    print(f"    fastdicom {mem['fastdicom'] / 1024:8.1f} KiB   pydicom "
          f"{mem['pydicom'] / 1024:8.1f} KiB   pydicom/fastdicom {mratio:.1f}x   "
          f"target <=1/3 of pydicom  {_verdict(ok_e)}")
    print(f"    RSS growth (includes C malloc, e.g. scanner tables): fastdicom "
          f"{rss['fastdicom'] / 1024:8.1f} KiB   pydicom {rss['pydicom'] / 1024:8.1f} KiB   "
          f"pydicom/fastdicom {rratio:.1f}x")
    print()
    print("summary: " + ", ".join(f"{n} {_verdict(ok)}" for n, ok in verdicts))
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
