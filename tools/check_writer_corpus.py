"""Writer counts over a directory of DICOM files (the developer corpus).

For every file: fastdicom's unmodified round trip against the source bytes and
against pydicom's; for every uncompressed source, a write into each of the 4
uncompressed transfer syntaxes, checked by DCMTK (dcmftest, dcmdump -E -Ep)
and read back by fastdicom and pydicom with equal values.

Usage::

    python tools/check_writer_corpus.py [DIR] [--no-dcmtk] [--limit N]
"""

from __future__ import annotations

import argparse
import os
import sys
from collections import Counter

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "tests"))
sys.path.insert(1, os.path.join(HERE, ".."))

from test_write_roundtrip import check_file  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("directory", nargs="?", default="/tmp/dicom-corpus")
    ap.add_argument("--no-dcmtk", action="store_true")
    ap.add_argument("--limit", type=int, default=None)
    args = ap.parse_args(argv)
    paths = []
    for root, dirs, files in os.walk(args.directory):
        dirs[:] = sorted(d for d in dirs if not d.startswith("_") and d != "licenses")
        for name in sorted(files):
            if name.endswith((".md", ".tsv", ".txt", ".json", ".py", ".sh")):
                continue
            paths.append(os.path.join(root, name))
    paths = paths[: args.limit] if args.limit else paths
    counts: Counter = Counter()
    not_exact_pydicom: list[str] = []
    problems: list[str] = []
    for path in paths:
        result = check_file(path, dcmtk=not args.no_dcmtk)
        counts["files"] += 1
        if "skip" in result:
            counts["not written (read or write refused)"] += 1
            continue
        counts["round trips"] += 1
        counts["round trip exact (fastdicom)"] += bool(result["exact"])
        counts["round trip exact (pydicom)"] += bool(result["pydicom_exact"])
        if result["exact"] and not result["pydicom_exact"]:
            counts["exact for fastdicom only"] += 1
        if not result["pydicom_exact"]:
            not_exact_pydicom.append(os.path.relpath(path, args.directory))
        counts["conversions written"] += result["written"]
        counts["conversions accepted by DCMTK"] += result["dcmtk_ok"]
        counts["conversions read back equal"] += result["readback_ok"]
        for problem in result["problems"]:
            problems.append(f"{os.path.relpath(path, args.directory)}: {problem}")
    for key, value in counts.items():
        print(f"{key:40} {value}")
    print(f"\nfiles whose pydicom round trip is not exact ({len(not_exact_pydicom)}):")
    for path in not_exact_pydicom:
        print("  ", path)
    print(f"\nproblems ({len(problems)}):")
    for problem in problems:
        print("  ", problem)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
