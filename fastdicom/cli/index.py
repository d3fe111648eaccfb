"""``fastdicom index DIR... -o OUT``: a Parquet index of DICOM headers.

One row per file (see :func:`fastdicom.index.index`), written to OUT with the
series table beside it (``OUT`` minus ``.parquet`` plus ``.series.parquet``).
The job runs in shards recorded in ``OUT.shards/manifest.json``: killed, a
rerun does only the shards not done; ``--update`` rereads only new or
changed files and drops deleted ones. A summary of the statuses goes to
stderr; the exit status is 1 when some file is not ``ok``.
"""

from __future__ import annotations

import argparse
import sys
from typing import Any

from fastdicom.index import SHARD_SIZE, STATUSES, index, series_out_path, summary


def register(commands: Any) -> None:
    """Add the ``index`` subcommand.

    Parameters
    ----------
    commands : argparse._SubParsersAction
    """
    parser = commands.add_parser(
        "index",
        help="index the headers of DICOM files into Parquet",
        description="Write one typed row per file (and one per series) to Parquet.",
        epilog=(
            "Example: fastdicom index /data/pacs-export -o index.parquet\n"
            "         fastdicom index /data/pacs-export -o index.parquet --update\n"
            "         fastdicom index DIR -o OUT --columns PatientID,StudyDate,EchoTime"
        ),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("sources", nargs="+", metavar="PATH", help="files or directories")
    parser.add_argument("-o", "--out", required=True, help="the Parquet file to write")
    parser.add_argument("--columns", help="comma-separated keywords or tags (default: ~60 columns)")
    parser.add_argument("--update", action="store_true",
                        help="reread only new or changed files of an existing index")
    parser.add_argument("--threads", type=int, default=None, help="threads (default: CPUs)")
    parser.add_argument("--engine", choices=("threads", "dask"), default=None)
    parser.add_argument("--scheduler", default=None, help="Dask scheduler address")
    parser.add_argument("--shard-size", type=int, default=SHARD_SIZE,
                        help=f"files per resumable shard (default {SHARD_SIZE})")
    parser.add_argument("--throttle", type=float, default=0.0,
                        help="seconds to pause after each shard (shared machines or storage)")
    parser.add_argument("--no-progress", action="store_true", help="no progress bar")
    parser.set_defaults(run=_run)


def _run(args: argparse.Namespace) -> int:
    columns = [c.strip() for c in args.columns.split(",") if c.strip()] if args.columns else None
    try:
        table = index(args.sources, columns, threads=args.threads, engine=args.engine,
                      progress=not args.no_progress, out=args.out, update=args.update,
                      shard_size=args.shard_size, scheduler=args.scheduler,
                      throttle=args.throttle)
    except (ValueError, ImportError, OSError) as exc:
        print(f"fastdicom index: {exc}", file=sys.stderr)
        return 2 if isinstance(exc, ValueError) else 1
    counts = summary(table)
    print(f"fastdicom index: {table.num_rows} files -> {args.out} "
          f"(series: {series_out_path(args.out)}); "
          + ", ".join(f"{name} {counts[name]}" for name in STATUSES if counts[name]),
          file=sys.stderr)
    return 0 if counts["ok"] == table.num_rows else 1
