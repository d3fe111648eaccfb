"""Compare fastdicom.series with dcm2niix on every series of a tree.

For each input directory (default: every ``*/In/...`` leaf of ../shared/dwi
holding DICOM files), dcm2niix writes NIfTI files to a temporary directory
(gzipped inputs are gunzipped into a copy first: dcm2niix reads no gzip);
fastdicom.series scans the same directory. Each dcm2niix NIfTI is matched to
the fastdicom series with the same SeriesNumber and slice count, and the
script checks:

- the same voxel grid: dcm2niix stores (column, row, slice) with its own axis
  flips, so the signed permutation between the two voxel grids is derived from
  the two affines and must be exact; then the affines must agree within 1e-3 mm
- the same number of volumes, in the same order, with identical pixels (the
  stored values: dcm2niix's scl_slope/scl_inter are not applied).

Usage: python tools/compare_series.py [DIR ...] [--dcm2niix PATH]
Needs nibabel and the dcm2niix wheel. Prints one table row per NIfTI.
"""

from __future__ import annotations

import argparse
import glob
import gzip
import json
import os
import shutil
import subprocess
import sys
import tempfile

import numpy as np

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))

from fastdicom.series import SeriesError, scan  # noqa: E402

SHARED = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "shared", "dwi")


def default_inputs() -> list[str]:
    out = []
    for repo in sorted(glob.glob(os.path.join(SHARED, "*", "In"))):
        for root, dirs, files in os.walk(repo):
            if any(not f.endswith((".txt", ".md")) for f in files) and not dirs or "DICOMDIR" in files:
                out.append(root)
                dirs[:] = []
    return out


def gunzip_copy(src: str, dst: str) -> str:
    for root, _, files in os.walk(src):
        for name in files:
            rel = os.path.relpath(os.path.join(root, name), src)
            target = os.path.join(dst, rel[:-3] if rel.endswith(".gz") else rel)
            os.makedirs(os.path.dirname(target), exist_ok=True)
            if name.endswith(".gz"):
                with gzip.open(os.path.join(root, name), "rb") as fi, open(target, "wb") as fo:
                    shutil.copyfileobj(fi, fo)
            else:
                shutil.copy(os.path.join(root, name), target)
    return dst


def voxel_map(ours: np.ndarray, theirs: np.ndarray) -> np.ndarray | None:
    """The 4x4 integer matrix T with theirs = ours @ T (voxel index of theirs -> ours), if a signed permutation."""
    t = np.linalg.inv(ours) @ theirs
    r = np.round(t)
    if np.max(np.abs(t - r)) > 1e-3:
        return None
    return r


_RANK = {"ok": 0, "affine": 1, "pixels": 2, "volumes": 3, "no voxel correspondence": 4,
         "no geometry": 5, "no match": 6}


def compare(s, img, theirs: np.ndarray) -> tuple[str, str, float, int]:
    """(status, detail, max affine difference in mm, volumes) of fastdicom series `s`
    against one dcm2niix NIfTI image."""
    nvol = theirs.shape[3]
    try:
        ours_aff = s.affine_ras[:, [2, 1, 0, 3]]  # (column, row, slice) order, as NIfTI
    except SeriesError:
        return "no geometry", "(no ImagePositionPatient/ImageOrientationPatient)", float("nan"), len(s.volumes)
    t = voxel_map(ours_aff, img.affine)
    if t is None:
        return "no voxel correspondence", "", float("nan"), len(s.volumes)
    aff_err = float(np.max(np.abs(ours_aff @ t - img.affine)))
    data = np.transpose(s.volume().reshape((-1,) + s.shape[-3:]), (3, 2, 1, 0))
    # apply the flips/permutation: theirs[i] = ours[T i]
    perm = [int(np.nonzero(t[:3, j])[0][0]) for j in range(3)]
    data = np.transpose(data, perm + [3])
    for j in range(3):
        if t[perm[j], j] < 0:
            data = np.flip(data, axis=j)
    keep = list(range(data.shape[3]))
    detail = ""
    if data.shape[3] > nvol:
        # dcm2niix leaves some volumes out (e.g. Philips derived isotropic
        # images): match its volumes in order against ours
        keep, j = [], 0
        for v in range(nvol):
            while j < data.shape[3] and not np.array_equal(data[..., j], theirs[..., v]):
                j += 1
            keep.append(j)
            j += 1
        if j > data.shape[3]:
            return "volumes", f"{data.shape[3]} vs {nvol}", aff_err, len(s.volumes)
        detail = f"dcm2niix left out volume(s) {sorted(set(range(data.shape[3])) - set(keep))}"
    elif data.shape[3] != nvol:
        return "volumes", f"{data.shape[3]} vs {nvol}", aff_err, len(s.volumes)
    same = [np.array_equal(data[..., keep[v]], theirs[..., v]) for v in range(nvol)]
    if not all(same):
        return "pixels", f"{sum(not x for x in same)} volume(s) differ", aff_err, len(s.volumes)
    return ("ok" if aff_err < 1e-3 else "affine"), detail, aff_err, len(s.volumes)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("dirs", nargs="*")
    parser.add_argument("--dcm2niix", default=shutil.which("dcm2niix") or "dcm2niix")
    args = parser.parse_args()
    import nibabel

    dirs = args.dirs or default_inputs()
    rows = []
    for d in dirs:
        with tempfile.TemporaryDirectory() as tmp:
            src = d
            if glob.glob(os.path.join(d, "**", "*.gz"), recursive=True):
                src = gunzip_copy(d, os.path.join(tmp, "in"))
            out = os.path.join(tmp, "out")
            os.makedirs(out)
            subprocess.run([args.dcm2niix, "-b", "y", "-z", "n", "-f", "%s_%p", "-o", out, src],
                           capture_output=True, check=False)
            result = scan(d)
            niftis = sorted(glob.glob(os.path.join(out, "*.nii")))
            for nii in niftis:
                name = os.path.basename(nii)[:-4]
                meta = json.load(open(nii[:-4] + ".json")) if os.path.exists(nii[:-4] + ".json") else {}
                img = nibabel.load(nii)
                theirs = np.asanyarray(img.dataobj.get_unscaled()) if hasattr(img.dataobj, "get_unscaled") else img.get_fdata()
                if theirs.ndim == 3:
                    theirs = theirs[..., None]
                same_slices = [s for s in result.series if s.volumes and len(s.volumes[0].frames) == theirs.shape[2]]
                # dcm2niix numbers some derived outputs (e.g. Philips _ADC) apart: fall back on the grid
                cands = [s for s in same_slices if s.number == meta.get("SeriesNumber")] or same_slices
                # several fastdicom series may fit (same number in other studies): the best wins
                results = [compare(s, img, theirs) for s in cands] or [("no match", "", float("nan"), 0)]
                status, detail, aff_err, ours_vols = min(results, key=lambda r: _RANK[r[0]])
                rows.append((os.path.relpath(d, SHARED) if d.startswith(SHARED) else d, name,
                             "x".join(map(str, theirs.shape)), ours_vols, aff_err, status, detail))
    print("| input | dcm2niix output | dcm2niix shape | fastdicom volumes | max affine diff (mm) | result |")
    print("|---|---|---|---|---|---|")
    for r in rows:
        print(f"| {r[0]} | {r[1]} | {r[2]} | {r[3]} | {r[4]:.2e} | {r[5]} {r[6]} |")
    bad = [r for r in rows if r[5] != "ok"]
    print(f"\n{len(rows) - len(bad)} of {len(rows)} dcm2niix outputs match")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
