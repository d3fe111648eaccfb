"""De-identification and UID generation: fastdicom against the Python anonymizers, in one run.

Tasks (best of ``--repeat`` runs, tools interleaved; quote the ratios):

(a) ``series``: read, de-identify and write every file of the CT series of
    ``bench/make_data.py`` (``ct_explicit``, 512x512 slices with ~125
    elements): fastdicom's :class:`~fastdicom.anonymize.Anonymizer` (the
    PS3.15 Basic Profile with keyed UIDs) against ``dicognito``,
    ``dicom-anonymizer`` (``dicomanonymizer.anonymize_dicom_file``) and
    ``deid`` (its default recipe, ``replace_identifiers``), each on pydicom;
    and ``fastdicom read+write`` (no de-identification) as the floor.
(b) ``testfiles``: the same over the pydicom test files that every tool
    processes (varied: SR, RT, multi-frame, compressed, private sequences).
(c) ``uids``: one million UIDs with ``generate_uids`` (one call), 100 000
    with ``generate_uid()`` against pydicom's, 100 000 ``keyed_uid``.

The peers are benchmark-only installs (``pip install dicognito
dicom-anonymizer deid``); a missing one is reported and skipped.  The script
always exits 0.

Usage::

    python bench/bench_anonymize.py [--data DIR] [--files N] [--repeat R] [--json out.json]
"""

from __future__ import annotations

import argparse
import io
import json
import logging
import os
import shutil
import sys
import tempfile
import time
import warnings
from collections.abc import Callable
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

import fastdicom  # noqa: E402
import fastdicom.uid as fuid  # noqa: E402
import pydicom  # noqa: E402
from fastdicom.anonymize import Anonymizer  # noqa: E402

KEY = b"bench-key-0123456789"
Task = Callable[[str, str], None]


def _fastdicom() -> Task:
    anonymizer = Anonymizer(KEY, allow_burned_in=True)

    def run(src: str, dst: str) -> None:
        ds = fastdicom.dcmread(src)
        anonymizer.anonymize(ds)
        with open(dst, "wb") as f:  # plain write: the peers do not fsync either
            f.write(anonymizer.encode(ds))

    return run


def _fastdicom_copy() -> Task:
    def run(src: str, dst: str) -> None:
        # Encoded in memory and written plainly, as the anonymize task writes
        # (dcmwrite to a path may fsync: not what is compared here).
        buffer = io.BytesIO()
        fastdicom.dcmwrite(buffer, fastdicom.dcmread(src))
        with open(dst, "wb") as f:
            f.write(buffer.getvalue())

    return run


def _dicognito() -> Task:
    from dicognito.anonymizer import Anonymizer as Dicognito

    anonymizer = Dicognito(seed="bench")

    def run(src: str, dst: str) -> None:
        ds = pydicom.dcmread(src)
        anonymizer.anonymize(ds)
        ds.save_as(dst)

    return run


def _dicom_anonymizer() -> Task:
    from dicomanonymizer import anonymize_dicom_file

    def run(src: str, dst: str) -> None:
        anonymize_dicom_file(src, dst)

    return run


def _deid() -> Task:
    from deid.config import DeidRecipe
    from deid.dicom import replace_identifiers

    recipe = DeidRecipe()  # the package's default recipe (deid.dicom)

    def run(src: str, dst: str) -> None:
        # deid writes under output_folder with the input's name.
        out_dir = os.path.dirname(dst)
        replace_identifiers([src], deid=recipe, save=True, overwrite=True, output_folder=out_dir)

    return run


TOOLS: dict[str, Callable[[], Task]] = {
    "fastdicom read+write (floor)": _fastdicom_copy,
    "fastdicom anonymize": _fastdicom,
    "dicognito": _dicognito,
    "dicom-anonymizer": _dicom_anonymizer,
    "deid": _deid,
}


def _time(task: Task, files: list[str], out: Path) -> float:
    start = time.perf_counter()
    for index, path in enumerate(files):
        sub = out / str(index)
        sub.mkdir(exist_ok=True)
        task(path, str(sub / os.path.basename(path)))
    return time.perf_counter() - start


def _common_test_files(tasks: dict[str, Task], tmp: Path) -> list[str]:
    """The pydicom test files that every tool de-identifies without an error."""
    import pydicom.data

    root = Path(pydicom.data.get_testdata_file("CT_small.dcm")).parent
    chosen = []
    for path in sorted(root.glob("*.dcm")):
        try:
            pydicom.dcmread(path)
        except Exception:
            continue
        ok = True
        for name, task in tasks.items():
            out = tmp / "probe" / name.replace(" ", "_")
            out.mkdir(parents=True, exist_ok=True)
            try:
                task(str(path), str(out / path.name))
            except Exception:
                ok = False
                break
        if ok:
            chosen.append(str(path))
    return chosen


def _bench(label: str, tasks: dict[str, Task], files: list[str], repeat: int, tmp: Path) -> dict[str, float]:
    best = {name: float("inf") for name in tasks}
    for _ in range(repeat):
        for name, task in tasks.items():  # interleaved: noise hits every tool alike
            out = tmp / label / name.replace(" ", "_")
            shutil.rmtree(out, ignore_errors=True)
            out.mkdir(parents=True)
            best[name] = min(best[name], _time(task, files, out))
    ours = best["fastdicom anonymize"]
    print(f"\n{label}: {len(files)} files, best of {repeat}")
    for name, seconds in best.items():
        ratio = f"{seconds / ours:6.1f}x fastdicom" if name != "fastdicom anonymize" else "   (reference)"
        print(f"  {name:30s} {seconds:8.3f} s  {len(files) / seconds:8.1f} files/s  {ratio}")
    return best


def _bench_uids() -> dict[str, float]:
    results = {}
    start = time.perf_counter()
    uids = fuid.generate_uids(1_000_000)
    results["fastdicom generate_uids(1e6)"] = time.perf_counter() - start
    assert len(set(uids)) == len(uids)
    start = time.perf_counter()
    fuid.generate_uids(1_000_000, fuid.PYDICOM_ROOT_UID)
    results["fastdicom generate_uids(1e6, pydicom root)"] = time.perf_counter() - start
    start = time.perf_counter()
    for _ in range(100_000):
        fuid.generate_uid()
    results["fastdicom generate_uid() x1e5"] = time.perf_counter() - start
    start = time.perf_counter()
    for _ in range(100_000):
        pydicom.uid.generate_uid()
    results["pydicom generate_uid() x1e5"] = time.perf_counter() - start
    start = time.perf_counter()
    for i in range(100_000):
        fuid.keyed_uid(f"1.2.840.99.{i}", KEY)
    results["fastdicom keyed_uid x1e5"] = time.perf_counter() - start
    print("\nuids:")
    for name, seconds in results.items():
        print(f"  {name:45s} {seconds:7.3f} s")
    return results


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--data", default=os.environ.get("FASTDICOM_BENCH_DATA", "/tmp/fastdicom-bench"))
    ap.add_argument("--series", default="ct_explicit")
    ap.add_argument("--files", type=int, default=100)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--json")
    args = ap.parse_args(argv)
    warnings.simplefilter("ignore")
    logging.disable(logging.WARNING)  # deid logs every file
    tasks: dict[str, Task] = {}
    for name, make in TOOLS.items():
        try:
            tasks[name] = make()
        except ImportError as exc:
            print(f"{name}: not installed ({exc}); skipped")
    report: dict[str, object] = {"versions": {"pydicom": pydicom.__version__}}
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        folder = Path(args.data) / args.series
        if not folder.is_dir():
            print(f"{folder}: missing; run bench/make_data.py (series task skipped)")
        else:
            files = sorted(str(p) for p in folder.iterdir() if p.is_file())[: args.files]
            report["series"] = _bench("series", tasks, files, args.repeat, tmp)
        common = _common_test_files(tasks, tmp)
        report["testfiles"] = _bench("testfiles", tasks, common, args.repeat, tmp)
    report["uids"] = _bench_uids()
    if args.json:
        Path(args.json).write_text(json.dumps(report, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
