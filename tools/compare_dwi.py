"""Compare fastdicom's b-values and b-vectors with dcm2niix on every series under ../shared/dwi.

Usage::

    PYTHONPATH=. python tools/compare_dwi.py [--root /work/shared/dwi] [--fresh]

For each input folder listed in the data's README, runs ``fastdicom dwi``'s
code path (:func:`fastdicom.series.scan` + :func:`fastdicom.diffusion`) and
compares the ``.bval``/``.bvec`` written with the references beside the data
(``Ref-dcm2niix-<version>/``, same ``%s_%p`` names) and, with ``--fresh``, with
a dcm2niix run now (the ``dcm2niix`` wheel on PATH; gzipped inputs gunzipped
into a temporary copy first, as dcm2niix reads no gzip). Prints one table row
per series: volumes, max |Δb|, max |Δbvec| for b > 0 and for b ≈ 0, and
whether the file name matches dcm2niix's; with ``--fresh`` also our
``.nii.gz`` against dcm2niix's ``.nii`` (affine and voxels).
"""

from __future__ import annotations

import argparse
import glob
import gzip
import os
import shutil
import subprocess
import sys
import tempfile
import time

import numpy as np

from fastdicom.cli.dwi import convert_directory

INPUTS = [
    "dcm_qa_ge/In/01_Ax_DWI_TENSOR_R2",
    "dcm_qa_ge/In/04_Ax_DWI_TENSOR_R2MB2",
    "dcm_qa_sag/In/4_DWI_SagAPmosaic",
    "dcm_qa_xa30/In/10_DWI_dir80_PA",
    "dcm_qa_philips/In/Vanderbilt_2018/601_WIP_dti_ax",
    "dcm_qa_philips_dwi/In/cl",
    "dcm_qa_toshiba/In/Galan/8006_DTI_AX_30d",
]


def _load(prefix: str) -> tuple[np.ndarray, np.ndarray]:
    bval = np.loadtxt(prefix + ".bval", ndmin=1)
    bvec = np.loadtxt(prefix + ".bvec", ndmin=2)
    return bval, bvec


def _compare(ours: str, ref: str) -> str:
    if not os.path.exists(ref + ".bval"):
        return "no reference"
    if not os.path.exists(ours + ".bval"):
        return "MISSING"
    b1, v1 = _load(ours)
    b2, v2 = _load(ref)
    if b1.shape != b2.shape:
        return f"{len(b1)} != {len(b2)} volumes"
    db = float(np.max(np.abs(b1 - b2)))
    zero = b2 <= 1.0
    dv = np.abs(v1 - v2) if v1.shape == v2.shape else None
    if dv is None:
        return f"bvec shape {v1.shape} != {v2.shape}"
    pos = float(dv[:, ~zero].max()) if np.any(~zero) else 0.0
    z = float(dv[:, zero].max()) if np.any(zero) else 0.0
    ok = db == 0 and pos <= 1e-4
    return f"{len(b1)} = {len(b2)} | {db:g} | {pos:.1e} | {z:.1e} | {'OK' if ok else 'DIFF'}"


def _compare_nifti(ours: str, ref: str) -> str:
    """Affine max |Δ| (mm) and voxel equality of our .nii.gz and dcm2niix's .nii
    (for float output, equality up to one linear scaling: dcm2niix converts
    Philips series with per-slice scaling to float)."""
    import nibabel

    if not (os.path.exists(ours + ".nii.gz") and os.path.exists(ref + ".nii")):
        return "no NIfTI"
    a, b = nibabel.load(ours + ".nii.gz"), nibabel.load(ref + ".nii")
    if a.shape != b.shape:
        return f"shape {a.shape} != {b.shape}"
    da = float(np.abs(a.affine - b.affine).max())
    x, y = np.asanyarray(a.dataobj), np.asanyarray(b.dataobj)
    if np.array_equal(x, y):
        same = "voxels equal"
    elif y.dtype.kind == "f":
        ratio = np.corrcoef(x.ravel().astype(float), y.ravel())[0, 1]
        same = f"float in dcm2niix, r={ratio:.6f}"
    else:
        same = "VOXELS DIFFER"
    return f"affine {da:.1e} mm, {same}"


def _gunzipped_copy(src: str, dst: str) -> str:
    shutil.copytree(src, dst)
    for path in glob.glob(os.path.join(dst, "**", "*.gz"), recursive=True):
        with gzip.open(path) as fin, open(path[:-3], "wb") as fout:
            shutil.copyfileobj(fin, fout)
        os.remove(path)
    return dst


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--root", default=os.path.join(os.path.dirname(__file__), "..", "..", "shared", "dwi"))
    parser.add_argument("--fresh", action="store_true", help="also run dcm2niix now and compare")
    args = parser.parse_args(argv)
    root = os.path.abspath(args.root)
    print("| series | name (ours = dcm2niix's) | vs Ref-dcm2niix: volumes, max|Δb|, max|Δbvec| b>0, b≈0, verdict |"
          + (" vs fresh dcm2niix | NIfTI vs fresh dcm2niix |" if args.fresh else ""))
    print("|---|---|---|" + ("---|---|" if args.fresh else ""))
    status = 0
    with tempfile.TemporaryDirectory() as tmp:
        for rel in INPUTS:
            src = os.path.join(root, rel)
            repo = rel.split("/")[0]
            refdirs = sorted(glob.glob(os.path.join(root, repo, "Ref-dcm2niix-*")))
            out = os.path.join(tmp, "ours", rel.replace("/", "_"))
            os.makedirs(out)
            t0 = time.perf_counter()
            written = convert_directory(src, out, nifti=args.fresh)
            elapsed = time.perf_counter() - t0
            names = [os.path.basename(p) for p in written]
            if not names:
                print(f"| {rel} | (none written) | MISSING |")
                status = 1
                continue
            name = names[0]
            ref = os.path.join(refdirs[-1], name) if refdirs else ""
            refnames = sorted({os.path.splitext(os.path.basename(p))[0] for p in glob.glob(os.path.join(refdirs[-1], "*.bval"))}) if refdirs else []
            same_name = "yes" if name in refnames else f"no (dcm2niix: {', '.join(refnames)})"
            row = f"| {rel} | {name} ({same_name}) | {_compare(os.path.join(out, name), ref)} |"
            if "DIFF" in row or "MISSING" in row or "volumes" in row.split("|")[3] and "!=" in row:
                status = 1
            if args.fresh:
                fresh = os.path.join(tmp, "fresh", rel.replace("/", "_"))
                os.makedirs(fresh)
                inp = src
                if glob.glob(os.path.join(src, "**", "*.gz"), recursive=True):
                    inp = _gunzipped_copy(src, os.path.join(tmp, "gunzip", rel.replace("/", "_")))
                program = shutil.which("dcm2niix") or shutil.which("dcm2niix", path=os.path.dirname(sys.executable))
                if program is None:
                    parser.error("--fresh needs the dcm2niix program (pip install dcm2niix)")
                subprocess.run([program, "-b", "y", "-z", "n", "-f", "%s_%p", "-o", fresh, inp],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
                row += f" {_compare(os.path.join(out, name), os.path.join(fresh, name))} |"
                row += f" {_compare_nifti(os.path.join(out, name), os.path.join(fresh, name))} |"
            print(row + f"  <!-- {elapsed:.2f} s -->")
    return status


if __name__ == "__main__":
    sys.exit(main())
