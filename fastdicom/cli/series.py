"""``fastdicom series``: list the studies, series, volumes and diagnostics under paths.

``fastdicom series DIR [DIR ...]`` reads every file's header (directories
walked recursively) with :func:`fastdicom.series.scan` and prints, per
study, one line per series (number, description, array shape and the names
of its extra axes, why it was split off its SeriesInstanceUID), then its
diagnostics. ``--volumes`` adds one line per volume; ``--json`` prints the
same as JSON for programs. Files that could not be used are listed at the
end; the exit status is 1 when any file was unreadable.
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from fastdicom.cli._shared import Progress
from fastdicom.series import DEFAULT_POLICY, POLICIES, ScanResult, Series, scan


def _label(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, tuple):
        return "(" + ", ".join(_label(v) for v in value) + ")"
    return str(value)


def _series_dict(s: Series, volumes: bool) -> dict[str, Any]:
    out: dict[str, Any] = {
        "series_number": s.number,
        "series_instance_uid": s.uid,
        "description": s.description,
        "protocol_name": s.protocol_name,
        "modality": s.modality,
        "split_reason": s.split_reason,
        "shape": list(s.shape),
        "dims": s.dims,
        "files": len(s.paths),
        "frames": len(s.frames),
        "dropped_frames": len(s.dropped),
        "diagnostics": [
            {"kind": d.kind, "policy": d.policy, "message": d.message} for d in s.diagnostics
        ],
    }
    try:
        out["affine_ras"] = [[round(float(v), 6) for v in row] for row in s.affine_ras]
    except Exception:  # no geometry: the listing still goes on
        out["affine_ras"] = None
    if volumes:
        out["volumes"] = [
            {"index": list(v.index), "labels": {k: _label(x) for k, x in v.labels.items()},
             "slices": len(v.frames)}
            for v in s.volumes
        ]
    return out


def _print_text(result: ScanResult, volumes: bool) -> None:
    for study in result.studies:
        print(f"Study {study.uid}  patient {study.patient_id or '-'}  {study.date or '-'}  "
              f"{study.description}".rstrip())
        for s in study.series:
            shape = "x".join(str(n) for n in s.shape)
            dims = f" [{', '.join(s.dims)}]" if s.dims else ""
            split = f"  (split: {s.split_reason})" if s.split_reason else ""
            number = s.number if s.number is not None else "-"
            print(f"  {number:>4}  {s.modality:<3} {s.description or s.protocol_name or '-'}  "
                  f"{shape}{dims}  {len(s.paths)} file(s){split}")
            for d in s.diagnostics:
                print(f"        ! {d.kind} ({d.policy}): {d.message}")
            if volumes:
                for v in s.volumes:
                    labels = ", ".join(f"{k}={_label(x)}" for k, x in v.labels.items())
                    print(f"        volume {v.index}: {len(v.frames)} slices  {labels}".rstrip())
    unreadable = [f for f in result.failures if f.kind == "unreadable"]
    skipped = len(result.failures) - len(unreadable)
    if skipped:
        print(f"{skipped} file(s) without an image (DICOMDIR, reports, ...) skipped")
    for f in unreadable:
        print(f"fastdicom: {f.path}: {f.error}", file=sys.stderr)


def _run(args: argparse.Namespace) -> int:
    policy: dict[str, str] = {}
    for item in args.policy or []:
        kind, _, value = item.partition("=")
        if kind not in DEFAULT_POLICY or value not in POLICIES:
            print(f"fastdicom series: --policy {item!r}: expected KIND=POLICY with KIND in "
                  f"{', '.join(DEFAULT_POLICY)} and POLICY in {', '.join(POLICIES)}", file=sys.stderr)
            return 2
        policy[kind] = value
    with Progress("series", enabled=not args.quiet) as progress:
        result = scan(args.paths, policy=policy, progress=progress.callback)
    if args.json:
        doc = {
            "studies": [
                {"study_instance_uid": st.uid, "patient_id": st.patient_id, "study_date": st.date,
                 "description": st.description,
                 "series": [_series_dict(s, args.volumes) for s in st.series]}
                for st in result.studies
            ],
            "failures": [{"path": f.path, "kind": f.kind, "error": f.error} for f in result.failures],
        }
        json.dump(doc, sys.stdout, indent=1)
        print()
    else:
        _print_text(result, args.volumes)
    return 1 if any(f.kind == "unreadable" for f in result.failures) else 0


def register(commands: Any) -> None:
    """Add the ``series`` subcommand.

    Parameters
    ----------
    commands : argparse._SubParsersAction
    """
    parser = commands.add_parser(
        "series",
        help="list the studies, series, volumes and diagnostics of DICOM files",
        description=__doc__.split("\n\n")[1],
        epilog="example: fastdicom series /data/exam --volumes --policy gap=error",
    )
    parser.add_argument("paths", nargs="+", help="files or directories (walked recursively)")
    parser.add_argument("--volumes", action="store_true", help="one line per volume")
    parser.add_argument("--json", action="store_true", help="print JSON")
    parser.add_argument("--policy", action="append", metavar="KIND=POLICY",
                        help="override a diagnostic's policy (error, warn, split, drop); repeatable")
    parser.add_argument("-q", "--quiet", action="store_true", help="no progress on stderr")
    parser.set_defaults(run=_run)
