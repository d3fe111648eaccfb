"""pytest-benchmark versions of the compare_peers.py tasks, on a small data set.

Not part of the test suite (``testpaths = ["tests"]``); run them with::

    pytest bench/                           # timings, grouped per task
    pytest bench/ --benchmark-disable       # a quick smoke check (each runs once)
    pytest bench/ --benchmark-group-by=param:lib   # or grouped per library

Each group holds the same task for fastdicom and pydicom, so pytest-benchmark's
table compares them directly. The data set (20 slices per series, a 50-frame
64x64 enhanced file) is generated once per session into a temporary directory.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(1, str(HERE.parent))

import compare_peers as cp  # noqa: E402
import make_data  # noqa: E402

N_SLICES = 20
N_FRAMES = 50

LIBS = {lib.name: lib for lib in cp._libs()[:2]}  # fastdicom, pydicom


@pytest.fixture(scope="session")
def data(tmp_path_factory) -> dict:
    out = make_data.make_data(tmp_path_factory.mktemp("fastdicom-bench"),
                              n_slices=N_SLICES, n_frames=N_FRAMES, frame_size=64)
    explicit = sorted(str(p) for p in (out / make_data.EXPLICIT_DIR).glob("*.dcm"))
    implicit = sorted(str(p) for p in (out / make_data.IMPLICIT_DIR).glob("*.dcm"))
    assert len(explicit) == len(implicit) == N_SLICES
    files = explicit + implicit
    for f in files:  # warm the OS cache
        Path(f).read_bytes()
    return {"explicit": explicit, "implicit": implicit, "both": files,
            "enhanced": str(out / make_data.ENHANCED_FILE)}


lib_param = pytest.mark.parametrize("lib", list(LIBS))
series_param = pytest.mark.parametrize("series", ["explicit", "implicit"])


def test_same_values(data):
    """Both libraries give the same values for the accesses the tasks make."""
    for f in (data["explicit"][0], data["implicit"][-1]):
        ours = [str(v) for v in cp.access(LIBS["fastdicom"].read(f, True))]
        theirs = [str(v) for v in cp.access(LIBS["pydicom"].read(f, True))]
        assert ours == theirs
    ours = cp.walk_frames(LIBS["fastdicom"].read(data["enhanced"], True))
    theirs = cp.walk_frames(LIBS["pydicom"].read(data["enhanced"], True))
    assert len(ours) == N_FRAMES
    assert [list(map(float, v)) for v in ours] == [list(map(float, v)) for v in theirs]


@lib_param
@series_param
def test_a_header(benchmark, data, lib, series):
    benchmark.group = f"(a) header-only + 9 accesses, {N_SLICES} {series} files"
    benchmark(LIBS[lib].header, data[series])


@lib_param
@series_param
def test_b_full(benchmark, data, lib, series):
    benchmark.group = f"(b) full read + 9 accesses, {N_SLICES} {series} files"
    benchmark(LIBS[lib].full, data[series])


@lib_param
def test_c_frames(benchmark, data, lib):
    benchmark.group = f"(c) dcmread + walk {N_FRAMES} per-frame items"
    n = benchmark(LIBS[lib].frames, data["enhanced"])
    assert n == N_FRAMES


@lib_param
@pytest.mark.parametrize("threads", [1, 2])
def test_d_threads(benchmark, data, lib, threads):
    benchmark.group = f"(d) task (a) over {2 * N_SLICES} files on threads: {lib}"
    benchmark(cp.threaded, LIBS[lib].header, data["both"], threads)


@lib_param
def test_e_memory(benchmark, data, lib):
    """Times holding all headers in a list; the retained bytes per dataset
    (tracemalloc) go into extra_info["retained_bytes_per_dataset"]."""
    benchmark.group = f"(e) hold {2 * N_SLICES} header-only datasets in a list"
    read = LIBS[lib].read

    def hold(files):
        held = []
        for f in files:
            ds = read(f, True)
            cp.access(ds)
            held.append(ds)
        return held

    held = benchmark(hold, data["both"])
    assert len(held) == 2 * N_SLICES
    retained = cp.retained_per_dataset(LIBS[lib], data["both"])
    benchmark.extra_info["retained_bytes_per_dataset"] = round(retained)
    assert retained > 0
