"""Compare fastdicom's pixel arrays with pydicom's for native and RLE files.

    python tools/compare_pixels.py [DIR ...]     # default: pydicom's test files

Prints one line per mismatch and the counts per outcome.
"""

from __future__ import annotations

import os
import sys
import warnings
from collections import Counter

import numpy as np
import pydicom

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
import fastdicom  # noqa: E402

NATIVE_OR_RLE = {
    "1.2.840.10008.1.2", "1.2.840.10008.1.2.1", "1.2.840.10008.1.2.1.99",
    "1.2.840.10008.1.2.2", "1.2.840.10008.1.2.5",
}


def files_of(args: list[str]) -> list[str]:
    if not args:
        from pydicom.data import get_testdata_files

        return sorted(get_testdata_files())
    found = []
    for arg in args:
        if os.path.isfile(arg):
            found.append(arg)
        for root, _, names in os.walk(arg):
            found.extend(os.path.join(root, n) for n in names)
    return sorted(found)


def run(path: str, module) -> tuple[str, object]:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            ds = module.dcmread(path, force=True)
        except Exception as exc:
            return "read-error", type(exc).__name__
        tsyntax = getattr(getattr(ds, "file_meta", None), "TransferSyntaxUID", None)
        if tsyntax not in NATIVE_OR_RLE:
            return "skip", None
        if not any(t in ds for t in (0x7FE00008, 0x7FE00009, 0x7FE00010)):
            return "skip", None
        try:
            return "ok", ds.pixel_array
        except Exception as exc:
            return "error", type(exc).__name__


def main(argv: list[str]) -> int:
    counts: Counter[str] = Counter()
    for path in files_of(argv):
        kind_p, ref = run(path, pydicom)
        if kind_p in ("skip", "read-error"):
            continue
        kind_f, got = run(path, fastdicom)
        if kind_p == "ok" and kind_f == "ok":
            same = ref.shape == got.shape and ref.dtype.kind == got.dtype.kind and \
                ref.dtype.itemsize == got.dtype.itemsize and np.array_equal(ref, got)
            outcome = "same array" if same else "DIFFERENT array"
        elif kind_p == "error" and kind_f == "error":
            outcome = "both raise" + ("" if ref == got else f" ({ref} vs {got})")
        else:
            outcome = f"pydicom {kind_p} / fastdicom {kind_f}"
        counts[outcome] += 1
        if outcome != "same array" and not outcome.startswith("both raise"):
            print(f"{outcome}: {path} {ref if kind_p != 'ok' else ''} {got if kind_f != 'ok' else ''}")
        elif outcome.startswith("both raise ("):
            print(f"{outcome}: {path}")
    for outcome, n in sorted(counts.items()):
        print(f"{n:5d}  {outcome}")
    return 0 if all(not k.startswith(("DIFF", "pydicom")) for k in counts) else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
