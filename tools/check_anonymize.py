#!/usr/bin/env python
"""Verify ``fastdicom.anonymize`` on a corpus: leak scanner, DCMTK and dciodvfy.

For every file under the given paths (default: pydicom's test files) that
fastdicom reads, the file is de-identified with each profile below and

* :func:`fastdicom.anonymize.find_leaks` looks for every identifying string,
  date and UID of the original in the output bytes;
* DCMTK's ``dcmftest`` (a PS3.10 file) and ``dcmdump`` (parses without an
  error message) must accept the output;
* ``dciodvfy`` (dicom3tools, Debian package ``dicom3tools``) is run on the
  original and the output: an error message that the output has and the
  original had not is counted as introduced by de-identification.

* with ``--dwi DIR``, each vendor's diffusion series under DIR is
  de-identified with Retain Safe Private (diffusion and CSA allowlists) and
  ``fastdicom dwi`` must give the same .bval/.bvec before and after.

Usage::

    python tools/check_anonymize.py [PATH ...] [--json report.json] [--dwi DIR [--no-corpus]]

Prints one line per profile and the details of any failure.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import warnings
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from fastdicom.anonymize import Anonymizer, BurnedInAnnotationError, Profile, find_leaks  # noqa: E402
from fastdicom.filereader import dcmread  # noqa: E402

PROFILES = {
    "basic": Profile(),
    "modified-dates+clean": Profile(
        retain_longitudinal_modified_dates=True, clean_descriptors=True, clean_structured_content=True,
        clean_graphics=True, retain_patient_characteristics=True, retain_safe_private=True,
    ),
    "retain-ids": Profile(
        retain_longitudinal_full_dates=True, retain_device_identity=True, retain_institution_identity=True,
        retain_uids=True,
    ),
}


def _files(paths: list[str]) -> list[Path]:
    out: list[Path] = []
    for p in paths:
        path = Path(p)
        out.extend(sorted(f for f in path.rglob("*") if f.is_file()) if path.is_dir() else [path])
    return out


def _dciodvfy_errors(path: Path) -> set[str]:
    result = subprocess.run(["dciodvfy", str(path)], capture_output=True, text=True, errors="replace")
    lines = (result.stdout + result.stderr).splitlines()
    # Values quoted in messages differ between original and output: compare the message shape.
    return {re.sub(r"\"[^\"]*\"|\[[^]]*\]|\b\d+(?:\.\d+)*\b", "<>", line) for line in lines if line.startswith("Error")}


def check_dwi(root: Path, tmp: Path) -> None:
    """Diffusion tables survive: ``fastdicom dwi`` on each series before and after.

    Each subdirectory of `root` (a vendor's series, e.g. dcm2niix's dcm_qa_*
    sets) is de-identified with the Retain Safe Private option and the
    diffusion and CSA allowlists, and the .bval/.bvec files that
    ``fastdicom dwi`` writes for the original and the output are compared.
    """
    from fastdicom.anonymize import SAFE_PRIVATE_CSA, SAFE_PRIVATE_DIFFUSION
    from fastdicom.cli import main as cli

    anonymizer = Anonymizer(b"check-anonymize-key", Profile(retain_safe_private=True), allow_burned_in=True,
                            safe_private={**SAFE_PRIVATE_DIFFUSION, **SAFE_PRIVATE_CSA})
    for series in sorted(p for p in root.iterdir() if p.is_dir()):
        source = series / "In" if (series / "In").is_dir() else series
        out = tmp / "dwi" / series.name
        report = anonymizer.anonymize_tree([source], out / "anon")
        tables = []
        for name, folder in (("orig", source), ("anon", out / "anon")):
            cli(["dwi", str(folder), "-o", str(out / name), "--no-nifti"])
            tables.append(sorted(p.read_text() for p in (out / name).glob("*.bv*")))
        same = tables[0] == tables[1] and bool(tables[0])
        print(f"dwi {series.name}: {len(report.written)} files de-identified, {len(report.failed)} failed, "
              f"{len(tables[0])} bval/bvec files, {'identical' if same else 'DIFFERENT'} after de-identification")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("paths", nargs="*")
    parser.add_argument("--json")
    parser.add_argument("--dwi", type=Path, help="also compare diffusion tables before and after, per subdirectory")
    parser.add_argument("--no-corpus", action="store_true", help="only the --dwi check")
    args = parser.parse_args()
    if not args.paths:
        import pydicom.data  # the test corpus only; fastdicom itself never imports pydicom

        args.paths = [os.path.dirname(pydicom.data.get_testdata_file("CT_small.dcm"))]
    have_dciodvfy = shutil.which("dciodvfy") is not None
    warnings.simplefilter("ignore")
    files = _files(args.paths)
    summary: dict[str, dict[str, object]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        if args.dwi:
            check_dwi(args.dwi, Path(tmp))
        for name, profile in ({} if args.no_corpus else PROFILES).items():
            anonymizer = Anonymizer(b"check-anonymize-key", profile, allow_burned_in=True)
            counts: Counter[str] = Counter()
            problems: list[str] = []
            introduced: Counter[str] = Counter()
            for src in files:
                try:
                    original = dcmread(src)
                    list(original.iterall())
                except Exception:
                    counts["unreadable (skipped)"] += 1
                    continue
                try:
                    ds = dcmread(src)
                    anonymizer.anonymize(ds)
                    data = anonymizer.encode(ds)
                except BurnedInAnnotationError:
                    counts["burned-in refused"] += 1
                    continue
                except Exception as exc:
                    counts["anonymize failed"] += 1
                    problems.append(f"{src.name}: {type(exc).__name__}: {exc}")
                    continue
                counts["de-identified"] += 1
                leaks = find_leaks(original, data, anonymizer)
                if leaks:
                    counts["with leaks"] += 1
                    problems.append(f"{src.name}: leak {leaks[0].value!r} at {leaks[0].path}")
                out = Path(tmp) / f"{name}-{counts['de-identified']}.dcm"
                out.write_bytes(data)
                if subprocess.run(["dcmftest", str(out)], capture_output=True).returncode != 0:
                    counts["dcmftest rejects"] += 1
                    problems.append(f"{src.name}: dcmftest rejects the output")
                dump = subprocess.run(["dcmdump", "-q", str(out)], capture_output=True, text=True, errors="replace")
                if dump.returncode != 0 or dump.stderr.strip():
                    counts["dcmdump complains"] += 1
                    problems.append(f"{src.name}: dcmdump: {dump.stderr.strip()[:200]}")
                if have_dciodvfy:
                    new = _dciodvfy_errors(out) - _dciodvfy_errors(src)
                    if new:
                        counts["dciodvfy: new errors"] += 1
                        introduced.update(new)
            summary[name] = {"counts": dict(counts), "problems": problems,
                             "dciodvfy_introduced": dict(introduced.most_common())}
            print(f"{name}: " + ", ".join(f"{v} {k}" for k, v in sorted(counts.items())))
            for line in problems[:20]:
                print("   ", line)
            for message, n in introduced.most_common(10):
                print(f"    dciodvfy x{n}: {message}")
    if not have_dciodvfy:
        print("dciodvfy not installed (apt-get install dicom3tools): not run")
    if args.json:
        Path(args.json).write_text(json.dumps(summary, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
