"""Check every column of fastdicom.index against pydicom, file by file.

For every file of a directory (default: the developer corpus) that pydicom
3.0.2 reads (``dcmread(stop_before_pixels=True)``), each column of the index
must hold pydicom's value: text equal, numbers equal (DS/FD within 1e-9
relative), dates/times equal, lists of the same length, PN components equal,
bulk columns the value's length. Prints the agreement per column and the
files per status, and lists every mismatch.

    PYTHONPATH=. python tools/compare_index.py [DIR] [--threads N]
"""

from __future__ import annotations

import argparse
import collections
import datetime
import math
import sys

import pydicom
from pydicom.errors import InvalidDicomError

import fastdicom.index as fdi
from fastdicom._index_schema import column_specs


def _norm_leaf(spec, value):
    """pydicom's value of one item as the index types it."""
    if value is None or value == "":
        return None
    leaf = spec.leaf
    if leaf == "str":
        return str(value)
    if leaf == "pn":
        parts = str(value).split("=")
        parts += [None] * (3 - len(parts))
        return tuple(p if p else None for p in parts)
    if leaf == "date":
        return fdi._parse_da(str(value)) if not isinstance(value, datetime.date) else value
    if leaf == "time":
        return fdi._parse_tm(str(value).rstrip())
    if leaf == "datetime":
        return fdi._parse_dt(str(value).rstrip())
    if leaf in ("f64", "f32"):
        return float(value)
    if leaf in ("i64", "i32", "i16"):
        return int(value)
    return value


def _ours_leaf(spec, value):
    if spec.leaf == "pn" and value is not None:
        return tuple(v if v else None for v in (value["Alphabetic"], value["Ideographic"],
                                               value["Phonetic"]))
    if spec.leaf == "str" and value == "":
        return None
    return value


def _equal(spec, a, b):
    if a is None or b is None:
        return a is None and b is None
    if isinstance(a, float) or isinstance(b, float):
        if spec.leaf == "f32":
            return math.isclose(a, b, rel_tol=1e-6, abs_tol=1e-30)
        return math.isclose(a, b, rel_tol=1e-9, abs_tol=0) or (math.isnan(a) and math.isnan(b))
    return a == b


def expected_frames(spec, ds):
    """The FrameGeometry column from pydicom's objects (PS3.3 C.7.6.16)."""
    per_frame = ds.get("PerFrameFunctionalGroupsSequence")
    if not per_frame:
        return None
    shared = ds.get("SharedFunctionalGroupsSequence")
    shared_item = shared[0] if shared else None
    frames = []
    for item in per_frame:
        entry = {}
        for field in spec.fields:
            value = None
            for source in (item, shared_item):
                group = source.get(field.seq_tag) if source is not None else None
                if group is not None and group.value and field.tag in group.value[0]:
                    value = expected(field, group.value[0])
                    break
            entry[field.name] = value
        frames.append(entry)
    return frames


def _ours_frames(spec, frames):
    if frames is None:
        return None
    return [{f.name: (None if frame[f.name] is None else
                      [_ours_leaf(f, v) for v in frame[f.name]] if f.is_list
                      else _ours_leaf(f, frame[f.name])) for f in spec.fields}
            for frame in frames]


def expected(spec, ds):
    if spec.leaf == "frames":
        return expected_frames(spec, ds)
    source = ds.file_meta if (spec.tag >> 16) == 2 else ds
    elem = source.get(spec.tag) if source is not None else None
    if elem is None:
        return None
    if spec.leaf == "bulk":
        return None if elem.value is None else len(elem.value)
    value = elem.value
    if value is None or value == "" or (isinstance(value, (bytes, list)) and len(value) == 0):
        return None
    items = list(value) if isinstance(value, (list, pydicom.multival.MultiValue)) else [value]
    if spec.vr == "AE":
        items = [str(v).strip() for v in items]
    if spec.is_list:
        return [_norm_leaf(spec, v) for v in items]
    return _norm_leaf(spec, items[0])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("dirs", nargs="*", default=["/tmp/dicom-corpus-dev/pypi",
                                                     "/tmp/dicom-corpus-dev/generated"])
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--show", type=int, default=30, help="mismatches listed")
    args = parser.parse_args()
    specs = [s for s in column_specs() if s.leaf != "other"]
    table = fdi.index(args.dirs, threads=args.threads, progress=False)
    print(f"{table.num_rows} files; status: {fdi.summary(table)}")
    agree = collections.Counter()
    checked = collections.Counter()
    mismatches = []
    pydicom_reads = 0
    forced: list[str] = []
    status_when_pydicom_reads = collections.Counter()
    status_when_pydicom_fails = collections.Counter()
    for row in table.to_pylist():
        try:
            ds = pydicom.dcmread(row["path"], stop_before_pixels=True)
        except (InvalidDicomError, Exception) as exc:
            status_when_pydicom_fails[row["status"]] += 1
            if row["status"] != "ok":
                continue
            # the index reads a file without preamble that starts with a
            # dataset (force=True): compare with pydicom forced too
            try:
                ds = pydicom.dcmread(row["path"], stop_before_pixels=True, force=True)
            except Exception:
                print(f"  pydicom cannot read {row['path']} ({type(exc).__name__}: {exc}); index: ok")
                continue
            forced.append(row["path"])
        pydicom_reads += 1
        status_when_pydicom_reads[row["status"]] += 1
        if row["status"] not in ("ok", "truncated"):
            mismatches.append((row["path"], "status", row["status"], row["error"]))
            continue
        for spec in specs:
            try:
                if spec.name == "PixelData":
                    # stop_before_pixels leaves it out: read the whole file
                    want = expected(spec, pydicom.dcmread(row["path"], force=row["path"] in forced))
                else:
                    want = expected(spec, ds)
            except Exception as exc:  # pydicom cannot convert: ours must be null
                want = ("pydicom raised", type(exc).__name__)
            got = row[spec.name]
            if spec.leaf == "frames":
                got = _ours_frames(spec, got)
            elif spec.leaf == "bulk":
                got = None if got is None else got["length"]
                if spec.name == "PixelData" and got == -1:
                    got = want  # encapsulated: the length is undefined in the file
            elif spec.is_list:
                got = None if got is None else [_ours_leaf(spec, v) for v in got]
            else:
                got = _ours_leaf(spec, got)
            checked[spec.name] += 1
            if spec.leaf == "frames":
                ok = got == want
            elif isinstance(want, tuple) and want and want[0] == "pydicom raised":
                ok = got is None
            elif spec.is_list and isinstance(want, list) and isinstance(got, list):
                ok = len(want) == len(got) and all(_equal(spec, a, b) for a, b in zip(got, want))
            else:
                ok = _equal(spec, got, want)
            if ok:
                agree[spec.name] += 1
            else:
                mismatches.append((row["path"], spec.name, got, want))
    print(f"pydicom reads {pydicom_reads} files; their index status: {dict(status_when_pydicom_reads)}")
    print(f"files pydicom cannot read without force=True, their index status: {dict(status_when_pydicom_fails)}")
    print(f"of those, compared with pydicom's force=True (no preamble): {len(forced)}")
    total_checked = sum(checked.values())
    print(f"values compared: {total_checked}; agree: {sum(agree.values())}")
    for spec in specs:
        if agree[spec.name] != checked[spec.name]:
            print(f"  {spec.name}: {agree[spec.name]}/{checked[spec.name]}")
    print(f"mismatches: {len(mismatches)}")
    for item in mismatches[: args.show]:
        print("  ", item)
    return 1 if mismatches else 0


if __name__ == "__main__":
    sys.exit(main())
