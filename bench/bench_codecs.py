"""Codec decode speed: fastdicom's decoder path vs the bare codec call.

For JPEG-LS and JPEG 2000 frames the fastdicom decoder (header parse,
dtype/sign handling, shape check) should cost next to nothing over calling
imagecodecs directly. Run: python bench/bench_codecs.py [--size 1024]
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import imagecodecs  # noqa: E402

from fastdicom.pixels.decoders import decode_frame  # noqa: E402
from fastdicom.pixels.frameinfo import FrameInfo  # noqa: E402


def best(func, repeat):
    t = float("inf")
    for _ in range(repeat):
        t0 = time.perf_counter()
        func()
        t = min(t, time.perf_counter() - t0)
    return t


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--size", type=int, default=1024)
    ap.add_argument("--repeat", type=int, default=7)
    args = ap.parse_args()
    n = args.size
    yy, xx = np.mgrid[0:n, 0:n]
    rng = np.random.default_rng(0)
    img = ((np.sin(xx / 37) + np.cos(yy / 23)) * 1000 + 2048 + rng.normal(0, 20, (n, n))).clip(0, 4095).astype("u2")
    cases = [
        ("JPEG-LS Lossless", "1.2.840.10008.1.2.4.80", imagecodecs.jpegls_encode(img), imagecodecs.jpegls_decode),
        ("JPEG 2000 Lossless", "1.2.840.10008.1.2.4.90",
         imagecodecs.jpeg2k_encode(img, level=0, codecformat="J2K", bitspersample=12, reversible=True),
         imagecodecs.jpeg2k_decode),
        ("HTJ2K Lossless", "1.2.840.10008.1.2.4.201", imagecodecs.htj2k_encode(img, reversible=True),
         imagecodecs.jpeg2k_decode),
        ("JPEG Lossless SV1", "1.2.840.10008.1.2.4.70",
         imagecodecs.jpeg8_encode(img, lossless=True, predictor=1, bitspersample=12), imagecodecs.jpeg8_decode),
    ]
    print(f"{n}x{n} 12-bit frame, best of {args.repeat}")
    print(f"{'syntax':22} {'bare ms':>9} {'fastdicom ms':>13} {'overhead':>9}")
    for name, uid, data, bare in cases:
        info = FrameInfo(n, n, 1, 16, 12, 0, "MONOCHROME2", 0, 1, uid)
        assert np.array_equal(decode_frame(uid, data, info), img)
        t_bare = best(lambda: bare(data), args.repeat)
        t_ours = best(lambda: decode_frame(uid, data, info), args.repeat)
        print(f"{name:22} {t_bare * 1e3:9.2f} {t_ours * 1e3:13.2f} {100 * (t_ours / t_bare - 1):8.1f}%")


if __name__ == "__main__":
    main()
