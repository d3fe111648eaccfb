"""Compare the codec backends of fastdicom.pixels.decoders with pydicom.

For every file with a JPEG, JPEG-LS, JPEG 2000 or HTJ2K transfer syntax
(pydicom's test files, or a folder such as /tmp/dicom-corpus), decode every
frame with each backend (imagecodecs; pydicom's plugin packages
pylibjpeg-libjpeg, pyjpegls, pylibjpeg-openjpeg) and compare with pydicom 3's
``pixel_array`` (pydicom with its pylibjpeg/pyjpegls plugins). Prints per
transfer syntax and backend: files decoded, identical to pydicom, within the
lossy tolerance, different, failed, and the decode time.

    python tools/compare_codecs.py                 # pydicom + pydicom-data test files
    python tools/compare_codecs.py /tmp/dicom-corpus
    python tools/compare_codecs.py --pixel-array   # also fastdicom's Dataset.pixel_array
"""

from __future__ import annotations

import argparse
import os
import sys
import time
import warnings
from collections import defaultdict
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import pydicom  # noqa: E402
from pydicom.encaps import generate_frames  # noqa: E402

from fastdicom.pixels.decoders import decode_frame, get_decoder  # noqa: E402
from fastdicom.pixels.frameinfo import FrameInfo  # noqa: E402

LOSSY = {
    "1.2.840.10008.1.2.4.50",
    "1.2.840.10008.1.2.4.51",
    "1.2.840.10008.1.2.4.53",
    "1.2.840.10008.1.2.4.55",
    "1.2.840.10008.1.2.4.81",
    "1.2.840.10008.1.2.4.91",
    "1.2.840.10008.1.2.4.203",
}
SHORT = {
    "1.2.840.10008.1.2.4.50": "JPEG Baseline",
    "1.2.840.10008.1.2.4.51": "JPEG Extended",
    "1.2.840.10008.1.2.4.53": "JPEG spectral (ret.)",
    "1.2.840.10008.1.2.4.55": "JPEG progressive (ret.)",
    "1.2.840.10008.1.2.4.57": "JPEG Lossless P14",
    "1.2.840.10008.1.2.4.70": "JPEG Lossless SV1",
    "1.2.840.10008.1.2.4.80": "JPEG-LS Lossless",
    "1.2.840.10008.1.2.4.81": "JPEG-LS Near-Lossless",
    "1.2.840.10008.1.2.4.90": "JPEG 2000 Lossless",
    "1.2.840.10008.1.2.4.91": "JPEG 2000",
    "1.2.840.10008.1.2.4.201": "HTJ2K Lossless",
    "1.2.840.10008.1.2.4.202": "HTJ2K Lossless RPCL",
    "1.2.840.10008.1.2.4.203": "HTJ2K",
}


def within_tolerance(ts: str, arr: np.ndarray, ref: np.ndarray) -> bool:
    """Lossy syntaxes: decoders may differ (IDCT rounding; libjpeg-turbo's
    'fancy' chroma upsampling vs libjpeg's at sharp colour edges). Accept a
    PSNR of at least 40 dB against pydicom's array over the stored range."""
    if ts not in LOSSY:
        return False
    diff = arr.astype(np.float64) - ref.astype(np.float64)
    mse = float(np.mean(diff * diff))
    if mse == 0:
        return True
    peak = float(2 ** (8 * arr.dtype.itemsize) - 1) if arr.dtype.itemsize == 1 else float(max(ref.max() - ref.min(), 1))
    return 10 * np.log10(peak * peak / mse) >= 40


def pydicom_files() -> list[Path]:
    from pydicom.data import get_testdata_files

    # pydicom's own test files and the pydicom-data package's (data_store)
    return sorted({Path(p) for p in get_testdata_files()})


def info_of(ds) -> FrameInfo:
    nf = ds.get("NumberOfFrames", 1)
    return FrameInfo(
        rows=int(ds.Rows),
        columns=int(ds.Columns),
        samples_per_pixel=int(ds.get("SamplesPerPixel", 1)),
        bits_allocated=int(ds.BitsAllocated),
        bits_stored=int(ds.get("BitsStored", ds.BitsAllocated)),
        pixel_representation=int(ds.get("PixelRepresentation", 0)),
        photometric_interpretation=str(ds.PhotometricInterpretation),
        planar_configuration=int(ds.get("PlanarConfiguration", 0) or 0),
        number_of_frames=int(nf) if nf else 1,
        transfer_syntax_uid=str(ds.file_meta.TransferSyntaxUID),
    )


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("root", nargs="?", help="folder to scan (default: pydicom's test files)")
    ap.add_argument("--backends", default="imagecodecs,pylibjpeg,pyjpegls")
    ap.add_argument("--pixel-array", action="store_true", help="also check fastdicom.dcmread(...).pixel_array")
    ap.add_argument("--repeat", type=int, default=3, help="timing repeats (best is kept)")
    ap.add_argument("-v", "--verbose", action="store_true")
    args = ap.parse_args()

    files = sorted(Path(args.root).rglob("*")) if args.root else pydicom_files()
    files = [f for f in files if f.is_file() and "_venv" not in f.parts and "_cache" not in f.parts]
    backends = args.backends.split(",")
    stats: dict = defaultdict(lambda: defaultdict(lambda: defaultdict(float)))
    notes: list[str] = []
    pa_stats = defaultdict(int)

    for path in files:
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                ds = pydicom.dcmread(path)
            ts = str(ds.file_meta.TransferSyntaxUID)
        except Exception:
            continue
        if ts not in SHORT or "PixelData" not in ds:
            continue
        name = os.path.relpath(path, args.root) if args.root else path.name
        try:
            info = info_of(ds)
            frames = list(generate_frames(ds.PixelData, number_of_frames=info.number_of_frames))
        except Exception as exc:
            notes.append(f"{name}: frames not extracted by pydicom: {exc}")
            continue
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                ref = ds.pixel_array
            if info.number_of_frames == 1 and ref.ndim == info.samples_per_pixel // 3 + 2:
                ref = ref[None]
            ref = ref[: len(frames)]
        except Exception as exc:
            ref = None
            notes.append(f"{name}: pydicom fails: {type(exc).__name__}: {str(exc)[:150]}")
        for be in backends:
            # the plugin `be` of the syntax's Decoder, when it has one installed
            if be not in get_decoder(ts).available_plugins:
                continue
            s = stats[ts][be]
            s["files"] += 1
            try:
                best = float("inf")
                for _ in range(args.repeat):
                    t0 = time.perf_counter()
                    with warnings.catch_warnings():
                        warnings.simplefilter("ignore")
                        out = [decode_frame(ts, f, info, be) for f in frames[: info.number_of_frames]]
                    best = min(best, time.perf_counter() - t0)
                s["seconds"] += best
                s["pixels"] += sum(a.size for a in out)
                arr = np.stack(out)
            except Exception as exc:
                s["failed"] += 1
                notes.append(f"{name}: {be} fails: {type(exc).__name__}: {str(exc)[:150]}")
                continue
            if ref is None:
                s["pydicom_fails"] += 1
                continue
            ref_ = ref[: len(arr)]
            if arr.shape != ref_.shape or arr.dtype != ref_.dtype:
                s["different"] += 1
                notes.append(f"{name}: {be} shape/dtype {arr.shape} {arr.dtype} vs pydicom {ref_.shape} {ref_.dtype}")
                continue
            diff = float(np.abs(arr.astype(np.float64) - ref_.astype(np.float64)).max()) if arr.size else 0.0
            if diff == 0:
                s["identical"] += 1
            elif within_tolerance(ts, arr, ref_):
                s["within_tolerance"] += 1
                s["max_diff"] = max(s["max_diff"], diff)
                if args.verbose:
                    notes.append(f"{name}: {be} max diff {diff}")
            else:
                s["different"] += 1
                notes.append(f"{name}: {be} max diff {diff} (beyond tolerance)")
        if args.pixel_array:
            import fastdicom

            try:
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore")
                    fa = fastdicom.dcmread(path).pixel_array
                if ref is None:
                    pa_stats["pydicom_fails"] += 1
                else:
                    r = ref if info.number_of_frames > 1 or fa.ndim == ref.ndim else ref[0]
                    ok = fa.shape == r.shape and fa.dtype == r.dtype and (
                        np.array_equal(fa, r)
                        or within_tolerance(ts, fa, r)
                    )
                    pa_stats["match" if ok else "differ"] += 1
                    if not ok:
                        notes.append(f"{name}: fastdicom pixel_array differs from pydicom")
            except Exception as exc:
                pa_stats["fails"] += 1
                notes.append(f"{name}: fastdicom pixel_array fails: {type(exc).__name__}: {str(exc)[:120]}")

    cols = ["files", "identical", "within_tolerance", "different", "failed", "pydicom_fails"]
    print(f"{'transfer syntax':26} {'backend':12} " + " ".join(f"{c[:9]:>9}" for c in cols) + f" {'max_diff':>8} {'Mpx/s':>8}")
    totals = defaultdict(lambda: defaultdict(float))
    for ts in sorted(stats, key=lambda u: [int(x) for x in u.split(".")]):
        for be, s in stats[ts].items():
            mpx = s["pixels"] / s["seconds"] / 1e6 if s["seconds"] else 0
            print(f"{SHORT.get(ts, ts):26} {be:12} " + " ".join(f"{int(s[c]):9d}" for c in cols)
                  + f" {s['max_diff']:8.0f} {mpx:8.1f}")
            for c in cols + ["seconds", "pixels"]:
                totals[be][c] += s[c]
    print()
    for be, s in totals.items():
        print(f"TOTAL {be:12} " + " ".join(f"{c}={int(s[c])}" for c in cols)
              + f" decode_seconds={s['seconds']:.3f} Mpx/s={s['pixels'] / max(s['seconds'], 1e-9) / 1e6:.1f}")
    if args.pixel_array:
        print("fastdicom pixel_array vs pydicom:", dict(pa_stats))
    print()
    for n in notes:
        print(" -", n)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
