"""fastdicom.export against DCMTK's dcmj2pnm over a directory of DICOM files.

For every file with pixel data: the first frame (and the last of a
multi-frame image) rendered with the default choices (modality LUT, the
first window, else the first VOI LUT, else min-max; presentation as the
Photometric Interpretation says) at 8 and 16 bits, by fastdicom and by
``dcmj2pnm`` with the equivalent options (``tests/test_export.py``'s
``compare_file``). Prints one Markdown row per file and the totals; a
difference gets its likely cause (DCMTK's integer intermediate values for a
non-integer rescale, its own YBR conversion, a codec DCMTK lacks).

Usage::

    python tools/compare_export.py [DIR] [--limit N] [--out table.md]
"""

from __future__ import annotations

import argparse
import os
import sys
import time
import warnings
from collections import Counter

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "tests"))
sys.path.insert(1, os.path.join(HERE, ".."))

import fastdicom  # noqa: E402
from fastdicom.pixels.utils import get_nr_frames  # noqa: E402
from test_export import compare_file  # noqa: E402

SKIP_SUFFIXES = (".md", ".tsv", ".txt", ".json", ".py", ".sh", ".icc", ".gz", ".dump")


def _cause(ds: fastdicom.Dataset, report: dict) -> str:
    """The likely reason for a difference or failure."""
    message = " | ".join(report.get("message", "").splitlines())
    meta = getattr(ds, "file_meta", None)
    syntax = str(meta.get("TransferSyntaxUID", "") if meta else "")
    if report["status"] == "dcmtk failed":
        if syntax.startswith("1.2.840.10008.1.2.4.9") or syntax.startswith("1.2.840.10008.1.2.4.20"):
            return "DCMTK 3.6.7 has no JPEG 2000 decoder"
        return message[:100]
    if report["status"] == "fastdicom failed":
        return message[:80]
    if report["status"] in ("DIFFERENT", "within 1"):
        if syntax == "1.2.840.10008.1.2.2" and ds.get("BitsAllocated") == 32:
            return "dcmj2pnm misreads 32-bit big-endian pixels (equal to its image of the little-endian file)"
        slope = float(ds.get("RescaleSlope", None) or 1)
        intercept = float(ds.get("RescaleIntercept", None) or 0)
        if not (slope.is_integer() and intercept.is_integer()):
            return f"rescale {slope:g}/{intercept:g}: DCMTK truncates rescaled values to integers"
        if str(ds.get("PhotometricInterpretation", "")).startswith("YBR"):
            return "YBR to RGB: fastdicom's is T.871 rounded (error < 0.5), DCMTK's up to 1.85 off"
        if "PerFrameFunctionalGroupsSequence" in ds or "SharedFunctionalGroupsSequence" in ds:
            return "functional groups (per-frame rescale/window) not read by dcmj2pnm"
    return ""


def _cell(report: dict) -> str:
    status = report["status"]
    if status in ("equal",):
        return "equal"
    if report["max_diff"] is not None:
        return f"{status} (max {report['max_diff']}, {report['differing']} px)"
    return status


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("directory", nargs="?", default="/tmp/dicom-corpus-dev")
    ap.add_argument("--limit", type=int, default=None)
    ap.add_argument("--out", help="also write the table to this file")
    args = ap.parse_args(argv)
    paths = []
    for root, dirs, files in os.walk(args.directory):
        dirs[:] = sorted(d for d in dirs if not d.startswith("_") and d != "licenses")
        for name in sorted(files):
            if not name.endswith(SKIP_SUFFIXES):
                paths.append(os.path.join(root, name))
    paths = paths[: args.limit] if args.limit else paths

    lines = ["| file | photometric | frames | VOI | 8-bit | 16-bit | note |", "|---|---|---:|---|---|---|---|"]
    totals: Counter = Counter()
    start = time.time()
    for path in paths:
        rel = os.path.relpath(path, args.directory)
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                ds = fastdicom.dcmread(path, force=True)
        except Exception:
            continue
        if "PixelData" not in ds or "Rows" not in ds:
            continue
        try:
            frames = get_nr_frames(ds, warn=False)
        except Exception:
            frames = 1
        targets = [0] if frames == 1 else [0, frames - 1]
        for frame in targets:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                r8 = compare_file(path, frame, bits=8)
                r16 = compare_file(path, frame, bits=16)
            for bits, report in ((8, r8), (16, r16)):
                totals[(bits, report["status"])] += 1
            note = _cause(ds, r16 if r16["status"] != "equal" else r8)
            name = rel if frame == 0 else f"{rel} (frame {frame + 1})"
            lines.append(
                f"| {name} | {ds.get('PhotometricInterpretation', '-')} | {frames} | {r8['mode']} "
                f"| {_cell(r8)} | {_cell(r16)} | {note} |"
            )
            print(lines[-1], flush=True)
    lines.append("")
    for bits in (8, 16):
        counts = {status: n for (b, status), n in sorted(totals.items()) if b == bits}
        lines.append(f"{bits}-bit: " + ", ".join(f"{status} {n}" for status, n in counts.items()))
    lines.append(f"{time.time() - start:.0f} s")
    print("\n".join(lines[-3:]))
    if args.out:
        with open(args.out, "w") as f:
            f.write("\n".join(lines) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
