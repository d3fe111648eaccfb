"""``fastdicom anonymize``: de-identify DICOM files by PS3.15 Annex E.

fastdicom anonymize IN... -o OUT applies the Basic Application Level
Confidentiality Profile (PS3.15 2026d Table E.1-1) and the options chosen on the
command line to every file (directories are walked) and writes the results
under OUT with the same relative paths, atomically, never over an input
unless --overwrite is given. New UIDs, pseudonyms and date shifts come from
a secret key: the same key gives the same results on later runs, so a study
de-identified in several batches stays consistent.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path
from typing import Any

from fastdicom.anonymize import SAFE_PRIVATE_CSA, SAFE_PRIVATE_DIFFUSION, Anonymizer, Profile
from fastdicom.cli._shared import Progress, iter_inputs, report

_EXAMPLES = """examples:
  fastdicom anonymize study/ -o study-anon/ --key-file secret.key
  fastdicom anonymize ct.dcm -o ct-anon.dcm --shift-dates --retain-device-identity
  fastdicom anonymize dwi/ -o out/ --retain-safe-private --keep-csa --check

The key is read from --key-file, else from the FASTDICOM_ANONYMIZE_KEY
environment variable; without one a random key is used and the new UIDs are
consistent within this run only.
"""

# option flag -> Profile field
_OPTION_FLAGS = {
    "--clean-graphics": "clean_graphics",
    "--clean-structured-content": "clean_structured_content",
    "--clean-descriptors": "clean_descriptors",
    "--retain-dates": "retain_longitudinal_full_dates",
    "--shift-dates": "retain_longitudinal_modified_dates",
    "--retain-patient-characteristics": "retain_patient_characteristics",
    "--retain-device-identity": "retain_device_identity",
    "--retain-institution-identity": "retain_institution_identity",
    "--retain-uids": "retain_uids",
    "--retain-safe-private": "retain_safe_private",
    "--no-recognizable-features": "clean_recognizable_visual_features",
}
_OPTION_HELP = {
    "--clean-graphics": "keep graphics and overlays, text cleaned (E.3.3)",
    "--clean-structured-content": "keep SR content, text cleaned (E.3.4)",
    "--clean-descriptors": "keep descriptions and comments, identifying strings removed (E.3.5)",
    "--retain-dates": "keep dates and times as they are (E.3.6, full dates)",
    "--shift-dates": "move dates by a per-patient number of days, keeping intervals (E.3.6, modified dates)",
    "--retain-patient-characteristics": "keep age, sex, size, weight... (E.3.7)",
    "--retain-device-identity": "keep device serial numbers and names; AE titles get keyed stand-ins (E.3.8)",
    "--retain-institution-identity": "keep institution names and addresses (E.3.11)",
    "--retain-uids": "keep the original UIDs (E.3.9)",
    "--retain-safe-private": "keep the allowlisted private elements, vendor diffusion tags by default (E.3.10)",
    "--no-recognizable-features": "state that the images show no recognizable features (E.3.2)",
}


def _key(args: argparse.Namespace) -> bytes | None:
    if args.key_file:
        return Path(args.key_file).read_bytes().strip() or None
    value = os.environ.get("FASTDICOM_ANONYMIZE_KEY", "")
    return value.encode("utf-8") if value else None


def _region(text: str) -> tuple[int, int, int, int]:
    try:
        values = tuple(int(v) for v in text.split(","))
    except ValueError:
        values = ()
    if len(values) != 4:
        raise argparse.ArgumentTypeError(f"a region is ROW0,COL0,ROW1,COL1, not {text!r}")
    return values


def _run(args: argparse.Namespace) -> int:
    key = _key(args)
    if key is None:
        print("fastdicom: warning: no key (--key-file or FASTDICOM_ANONYMIZE_KEY): new UIDs are "
              "consistent within this run only", file=sys.stderr)
    chosen = {field: True for flag, field in _OPTION_FLAGS.items() if getattr(args, field)}
    if args.clean_pixel_region:
        chosen["clean_pixel_data"] = True
    try:
        profile = Profile(**chosen)
        safe = dict(SAFE_PRIVATE_DIFFUSION)
        if args.keep_csa:
            safe.update(SAFE_PRIVATE_CSA)
        anonymizer = Anonymizer(key, profile, allow_burned_in=args.allow_burned_in, safe_private=safe,
                                pixel_regions=args.clean_pixel_region)
    except ValueError as exc:
        print(f"fastdicom anonymize: {exc}", file=sys.stderr)
        return 2
    out = Path(args.output)
    single = len(args.inputs) == 1 and Path(args.inputs[0]).is_file() and not out.is_dir() \
        and not args.output.endswith(os.sep)
    if single:
        try:
            if out.parent and not out.parent.exists():
                out.parent.mkdir(parents=True)
            anonymizer.anonymize_file(args.inputs[0], out, overwrite=args.overwrite, force=args.force,
                                      check=args.check)
        except Exception as exc:  # noqa: BLE001 - reported as one line naming the file
            report("anonymize", args.inputs[0], f"{type(exc).__name__}: {exc}")
            return 1
        return 0
    pairs = list(iter_inputs(args.inputs))
    with Progress("anonymize", len(pairs), enabled=not args.quiet) as bar:
        result = anonymizer.anonymize_files(pairs, out, overwrite=args.overwrite, force=args.force,
                                            check=args.check, progress=lambda done, total, path: bar.step(path))
    for path, message in result.failed:
        report("anonymize", path, message)
    if args.report:
        Path(args.report).write_text(json.dumps(
            {"written": result.written, "failed": result.failed, "options": profile.options}, indent=1))
    if not args.quiet:
        print(f"{len(result.written)} written, {len(result.failed)} failed", file=sys.stderr)
    return 1 if result.failed else 0


def register(commands: Any) -> None:
    """Add the ``anonymize`` subcommand.

    Parameters
    ----------
    commands : argparse._SubParsersAction
    """
    parser = commands.add_parser(
        "anonymize",
        help="de-identify DICOM files (PS3.15 Basic Profile and options)",
        description=__doc__.split("\n\n")[1],
        epilog=_EXAMPLES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("inputs", nargs="+", help="files or directories (walked recursively)")
    parser.add_argument("-o", "--output", required=True,
                        help="output file (one input file) or directory")
    parser.add_argument("--key-file", help="file holding the secret key")
    for flag, field in _OPTION_FLAGS.items():
        parser.add_argument(flag, dest=field, action="store_true", help=_OPTION_HELP[flag])
    parser.add_argument("--keep-csa", action="store_true",
                        help="with --retain-safe-private, also keep the Siemens CSA headers")
    parser.add_argument("--clean-pixel-region", action="append", type=_region, metavar="R0,C0,R1,C1",
                        help="blank this rectangle in every frame (E.3.1 clean pixel data); repeatable")
    parser.add_argument("--allow-burned-in", action="store_true",
                        help="de-identify files flagged Burned In Annotation YES (refused by default)")
    parser.add_argument("--check", action="store_true",
                        help="scan each output for identifying values of its input; do not write leaky files")
    parser.add_argument("--overwrite", action="store_true", help="replace existing outputs (even an input)")
    parser.add_argument("--force", action="store_true", help="read files without a DICOM preamble")
    parser.add_argument("--report", metavar="JSON", help="write the list of written and failed files")
    parser.add_argument("-q", "--quiet", action="store_true", help="no progress or summary on stderr")
    parser.set_defaults(run=_run)
