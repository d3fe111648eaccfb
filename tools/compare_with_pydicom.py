"""Compare fastdicom with pydicom over a folder of DICOM files.

Usage::

    python tools/compare_with_pydicom.py ../shared/corpus-built-dir

Prints one line per file that does not read the same, and the counts. Uses
the comparison of the test suite (``tests/differential.py``).
"""

from __future__ import annotations

import os
import sys
from collections import Counter

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests"))

from differential import compare_file  # noqa: E402

SKIP_SUFFIXES = (".md", ".tsv", ".txt", ".json", ".py", ".whl", ".sh", ".gz", ".bz2", ".zip")


def main(argv: list[str]) -> int:
    """Run the comparison over the folders in `argv`."""
    paths = []
    for root in argv or ["."]:
        for folder, dirs, names in os.walk(root):
            dirs[:] = [d for d in dirs if not d.startswith(("_venv", "_cache", "licenses"))]
            paths += [os.path.join(folder, n) for n in names if not n.endswith(SKIP_SUFFIXES)]
    counts: Counter[str] = Counter()
    for path in sorted(paths):
        outcome = compare_file(path)
        counts[outcome.verdict] += 1
        if outcome.verdict not in ("same", "both_reject"):
            print(f"{outcome.verdict:15} {os.path.relpath(path)}: {outcome.detail}")
    print(f"{len(paths)} files: " + ", ".join(f"{k} {v}" for k, v in sorted(counts.items())))
    return 1 if counts["differs"] or counts["pydicom_only"] else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
