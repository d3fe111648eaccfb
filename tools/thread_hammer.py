"""Thread hammer: datasets read once and touched from many threads at once
give the values one thread gives, and never crash (issue 12).

Each round reads every file once (lazily: values, sequence items and
deferred values are materialized on first touch) and releases the threads
together on a barrier; each thread then walks the shared dataset in its own
order - ``str(ds)``, every element's value down the sequences, JSON, the
pixel array and its cache, re-encoding - and the digest of what it saw must
equal the digest of a single-threaded walk of a fresh read. With pyarrow the
header index is also run with a thread pool and compared with one thread.

``tests/test_threads.py`` runs a short hammer; run a long one by hand::

    PYTHONPATH=. python tools/thread_hammer.py --seconds 600 --threads 16
"""

from __future__ import annotations

import argparse
import hashlib
import importlib.util
import random
import sys
import threading
import time
import warnings
from collections.abc import Callable
from io import BytesIO
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import fastdicom  # noqa: E402

# Files with lazy sequences, deferred values, private and nested sequences,
# character sets, native, RLE and JPEG 2000 pixel data
HAMMER_FILES = (
    "rtplan.dcm", "reportsi.dcm", "nested_priv_SQ.dcm", "chrSQEncoding.dcm",
    "CT_small.dcm", "MR_small.dcm", "emri_small_RLE.dcm", "JPEG2000.dcm",
    "waveform_ecg.dcm", "SC_rgb_small_odd.dcm", "ExplVR_BigEnd.dcm", "image_dfl.dcm",
)


def testdata_paths(names=HAMMER_FILES) -> list[str]:
    from pydicom.data import get_testdata_file  # the test data (pydicom-data), not the library

    out = []
    for name in names:
        path = get_testdata_file(name, download=False)
        if path is not None:
            out.append(str(path))
    return out


def _walk_values(ds: Any, digest: Any) -> None:
    for elem in ds.iterall():
        digest.update(f"{elem.tag}{elem.VR}{elem.value!r}".encode("utf-8", "replace"))


def _pixels(ds: Any, digest: Any) -> None:
    if "PixelData" in ds:
        arr = ds.pixel_array
        digest.update(arr.tobytes())
        digest.update(repr((arr.shape, arr.dtype.str)).encode())


def _text(ds: Any, digest: Any) -> None:
    digest.update(str(ds).encode("utf-8", "replace"))


def _json(ds: Any, digest: Any) -> None:
    digest.update(ds.to_json(sort_keys=True).encode())


def _write(ds: Any, digest: Any) -> None:
    out = BytesIO()
    ds.save_as(out, enforce_file_format=False)
    digest.update(out.getvalue())


def _items(ds: Any, digest: Any) -> None:
    """Sequence items reached by index, from the last to the first."""
    for elem in list(ds):
        if elem.VR == "SQ":
            for i in range(len(elem.value) - 1, -1, -1):
                digest.update(repr(sorted(elem.value[i].keys())).encode())


ACTIONS: dict[str, Callable[[Any, Any], None]] = {
    "values": _walk_values, "text": _text, "json": _json, "pixels": _pixels,
    "write": _write, "items": _items,
}


def digest_of(ds: Any, names: list[str]) -> dict[str, str]:
    out = {}
    for name in names:
        digest = hashlib.sha256()
        try:
            ACTIONS[name](ds, digest)
        except Exception as exc:  # the same error in every thread is the same result
            digest.update(f"error {type(exc).__name__}: {exc}".encode())
        out[name] = digest.hexdigest()
    return out


def reference(path: str, names: list[str]) -> dict[str, str]:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return digest_of(fastdicom.dcmread(path, defer_size=256), names)


def hammer_round(path: str, threads: int, expected: dict[str, str], rng: random.Random) -> list[str]:
    """One shared dataset, `threads` threads released together; returns the
    mismatches and the errors raised in threads.

    Every thread takes the actions in its own random order, reading only
    (values, text, JSON, pixels, items), and then writes: what a thread sees
    must not depend on what the others touched first. Writing comes last
    because the bytes written for a value that was never converted may differ
    from those of its converted value (an odd-length raw value is copied as it
    was read, a converted one is padded, as pydicom does).
    """
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        ds = fastdicom.dcmread(path, defer_size=256)
    barrier = threading.Barrier(threads)
    problems: list[str] = []
    reads = [name for name in ACTIONS if name != "write"]
    orders = [[*rng.sample(reads, len(reads)), "write"] for _ in range(threads)]

    def work(order: list[str]) -> None:
        try:
            barrier.wait()
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                got = digest_of(ds, order)
            for name, value in got.items():
                if value != expected[name]:
                    problems.append(f"{Path(path).name}: {name} differs from one thread's (order {order})")
        except BaseException as exc:  # noqa: BLE001 - reported, never lost in a thread
            problems.append(f"{Path(path).name}: {type(exc).__name__}: {exc}")

    pool = [threading.Thread(target=work, args=(order,)) for order in orders]
    for t in pool:
        t.start()
    for t in pool:
        t.join()
    return problems


def hammer(paths: list[str], threads: int = 8, seconds: float = 5.0, seed: int = 0,
           min_rounds: int = 1) -> dict[str, Any]:
    """Hammer every file in turn until `seconds` have passed (at least
    `min_rounds` rounds over the files). Returns rounds, touches, problems."""
    rng = random.Random(seed)
    names = list(ACTIONS)
    expected = {path: reference(path, names) for path in paths}
    deadline = time.monotonic() + seconds
    rounds = 0
    problems: list[str] = []
    while rounds < min_rounds or time.monotonic() < deadline:
        for path in paths:
            problems += hammer_round(path, threads, expected[path], rng)
        rounds += 1
    return {"rounds": rounds, "files": len(paths), "threads": threads,
            "datasets": rounds * len(paths), "walks": rounds * len(paths) * threads,
            "problems": problems}


def index_hammer(paths: list[str], threads: int = 8, repeats: int = 3) -> list[str]:
    """The header index with a thread pool gives the table one thread gives."""
    if importlib.util.find_spec("pyarrow") is None:
        return []
    from fastdicom import index

    files = paths * 4
    one = index.index(files, threads=1, progress=False).to_pylist()
    problems = []
    for _ in range(repeats):
        many = index.index(files, threads=threads, progress=False).to_pylist()
        if many != one:
            problems.append(f"index with {threads} threads differs from one thread")
    return problems


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--threads", type=int, default=16)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    paths = testdata_paths()
    began = time.monotonic()
    result = hammer(paths, args.threads, args.seconds, args.seed)
    result["problems"] += index_hammer(paths, args.threads)
    result["seconds"] = round(time.monotonic() - began, 1)
    print(f"{result['rounds']} rounds x {result['files']} files x {result['threads']} threads = "
          f"{result['walks']} concurrent walks of {result['datasets']} shared datasets "
          f"({len(ACTIONS)} actions each) in {result['seconds']} s: "
          f"{len(result['problems'])} problems")
    for problem in sorted(set(result["problems"]))[:50]:
        print("  ", problem)
    return 1 if result["problems"] else 0


if __name__ == "__main__":
    sys.exit(main())
