"""compress / decompress / set_pixel_data: round trips, pydicom parity, DCMTK."""

from __future__ import annotations

import shutil
import subprocess
import warnings

import numpy as np
import pytest

pydicom = pytest.importorskip("pydicom")
pytest.importorskip("imagecodecs")
from pydicom.data import get_testdata_file  # noqa: E402

import fastdicom  # noqa: E402
from fastdicom.pixels.encoders import compress, decompress, set_pixel_data  # noqa: E402
from fastdicom.pixels.pipeline import pixel_array  # noqa: E402

LOSSLESS = [
    "1.2.840.10008.1.2.5",
    "1.2.840.10008.1.2.4.57",
    "1.2.840.10008.1.2.4.70",
    "1.2.840.10008.1.2.4.80",
    "1.2.840.10008.1.2.4.90",
    "1.2.840.10008.1.2.4.201",
    "1.2.840.10008.1.2.4.202",
]
SOURCES = ["CT_small.dcm", "MR_small.dcm", "US1_UNCR.dcm", "emri_small.dcm", "SC_rgb_2frame.dcm",
           "OBXXXX1A.dcm"]


def _read(name):
    return fastdicom.dcmread(get_testdata_file(name))


# imagecodecs has an HTJ2K encoder from 2026.1.1 (Python >= 3.11); with an
# older one, compressing to HTJ2K must say which version to install.
HTJ2K_SYNTAXES = ("1.2.840.10008.1.2.4.201", "1.2.840.10008.1.2.4.202", "1.2.840.10008.1.2.4.203")
HTJ2K_ENCODER = hasattr(__import__("imagecodecs"), "htj2k_encode")


def _htj2k_unavailable(ds, uid, **kwargs) -> bool:
    """True (after checking the error) when `uid` cannot be encoded here."""
    if uid in HTJ2K_SYNTAXES and not HTJ2K_ENCODER:
        with pytest.raises(RuntimeError, match="imagecodecs 2026.1.1"):
            compress(ds, uid, **kwargs)
        return True
    return False


@pytest.mark.parametrize("uid", LOSSLESS)
@pytest.mark.parametrize("name", SOURCES)
def test_lossless_round_trip(uid, name):
    ds = _read(name)
    ref = pixel_array(ds)
    if _htj2k_unavailable(ds, uid):
        return
    compress(ds, uid)
    assert ds.file_meta.TransferSyntaxUID == uid
    assert ds["PixelData"].is_undefined_length
    np.testing.assert_array_equal(pixel_array(ds), ref)
    # and pydicom decodes what fastdicom wrote
    pds = pydicom.dcmread(_write(ds))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        np.testing.assert_array_equal(pds.pixel_array, ref)


def _write(ds):
    from io import BytesIO

    buf = BytesIO()
    ds.save_as(buf, enforce_file_format=True)
    buf.seek(0)
    return buf


def test_signed_data_round_trip():
    ds = _read("CT_small.dcm")
    assert ds.PixelRepresentation == 1
    arr = pixel_array(ds).copy()
    arr[0, :10] = -2000
    set_pixel_data(ds, arr, "MONOCHROME2", 16)
    for uid in LOSSLESS:
        d = _read("CT_small.dcm")
        set_pixel_data(d, arr, "MONOCHROME2", 16)
        if _htj2k_unavailable(d, uid):
            continue
        compress(d, uid)
        np.testing.assert_array_equal(pixel_array(d), arr)


@pytest.mark.parametrize("uid,kwargs,limit", [
    ("1.2.840.10008.1.2.4.81", {"jls_error": 3}, 3),
    ("1.2.840.10008.1.2.4.91", {"j2k_cr": [10]}, None),
    ("1.2.840.10008.1.2.4.203", {}, None),
    ("1.2.840.10008.1.2.4.51", {}, None),
])
def test_lossy_round_trip(uid, kwargs, limit):
    ds = _read("MR_small.dcm")
    if uid.endswith(".51"):  # 12-bit unsigned data for JPEG Extended
        smooth = np.clip(pixel_array(ds), 0, 4095).astype("u2")
        set_pixel_data(ds, smooth, "MONOCHROME2", 12)
    ref = pixel_array(ds).astype(float)
    if _htj2k_unavailable(ds, uid, **kwargs):
        return
    compress(ds, uid, **kwargs)
    out = pixel_array(ds).astype(float)
    if limit is not None:
        assert np.abs(out - ref).max() <= limit
    mse = np.mean((out - ref) ** 2)
    assert mse == 0 or 10 * np.log10(np.ptp(ref) ** 2 / mse) > 30
    assert ds.LossyImageCompression == "01"


def test_jpeg_baseline_rgb_becomes_ybr_422():
    ds = _read("US1_UNCR.dcm")
    ref = pixel_array(ds).astype(float)
    compress(ds, "1.2.840.10008.1.2.4.50", quality=95)
    assert ds.PhotometricInterpretation == "YBR_FULL_422"
    out = pixel_array(ds).astype(float)
    assert np.abs(out - ref).mean() < 3


def test_bad_options():
    ds = _read("CT_small.dcm")
    with pytest.raises(ValueError, match="JPEG-LS Near Lossless"):
        compress(ds, "1.2.840.10008.1.2.4.80", jls_error=2)
    # raised by every plugin: pydicom's RuntimeError naming each plugin's error
    with pytest.raises(RuntimeError, match="imagecodecs: .*lossy configuration"):
        compress(ds, "1.2.840.10008.1.2.4.91")
    # signed 16-bit data is outside JPEG Baseline's profile (PS3.5 Table 8.2.1-1)
    with pytest.raises(ValueError, match="Bits Allocated: 16"):
        compress(ds, "1.2.840.10008.1.2.4.50")
    with pytest.raises(NotImplementedError):
        compress(ds, "1.2.840.10008.1.2.4.100")
    compress(ds, "1.2.840.10008.1.2.4.80")
    with pytest.raises(ValueError, match="Only uncompressed"):
        compress(ds, "1.2.840.10008.1.2.5")


@pytest.mark.parametrize("name", ["SC_rgb_jpeg_dcmtk.dcm", "JPEG2000.dcm", "emri_small_jpeg_ls_lossless.dcm",
                                  "MR_small_RLE.dcm"])
def test_decompress_matches_pydicom(name):
    path = get_testdata_file(name)
    ours = fastdicom.dcmread(path)
    theirs = pydicom.dcmread(path)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        theirs.decompress(generate_instance_uid=False)
    decompress(ours, generate_instance_uid=False)
    assert ours.file_meta.TransferSyntaxUID == "1.2.840.10008.1.2.1"
    assert ours.PhotometricInterpretation == theirs.PhotometricInterpretation
    assert ours.PixelData == theirs.PixelData
    assert not ours["PixelData"].is_undefined_length
    with pytest.raises(ValueError, match="already uncompressed"):
        decompress(ours)


@pytest.mark.parametrize("pi,shape,dtype,bits", [
    ("MONOCHROME2", (4, 5), "u1", 8),
    ("MONOCHROME1", (3, 4, 5), "i2", 12),
    ("RGB", (4, 6, 3), "u1", 8),
    ("YBR_FULL_422", (2, 4, 6, 3), "u1", 8),
])
def test_set_pixel_data_matches_pydicom(pi, shape, dtype, bits):
    rng = np.random.default_rng(0)
    info = np.iinfo(dtype)
    lo = max(info.min, -(2 ** (bits - 1))) if dtype[0] == "i" else 0
    hi = min(info.max, 2 ** (bits - 1) - 1) if dtype[0] == "i" else 2**bits - 1
    arr = rng.integers(lo, hi, size=shape, endpoint=True).astype(dtype)
    path = get_testdata_file("CT_small.dcm")
    ours = fastdicom.dcmread(path)
    theirs = pydicom.dcmread(path)
    set_pixel_data(ours, arr, pi, bits, generate_instance_uid=False)
    theirs.set_pixel_data(arr, pi, bits, generate_instance_uid=False)
    for kw in ("Rows", "Columns", "SamplesPerPixel", "BitsAllocated", "BitsStored", "HighBit",
               "PixelRepresentation", "PhotometricInterpretation", "NumberOfFrames",
               "PlanarConfiguration"):
        assert (kw in ours) == (kw in theirs), kw
        if kw in theirs:
            assert ours[kw].value == theirs[kw].value, kw
    assert ours.PixelData == theirs.PixelData
    assert ours["PixelData"].VR == theirs["PixelData"].VR


def test_set_pixel_data_errors():
    ds = _read("CT_small.dcm")
    with pytest.raises(ValueError, match="dtype"):
        set_pixel_data(ds, np.zeros((2, 2), "f4"), "MONOCHROME2", 8)
    with pytest.raises(ValueError, match="range of values"):
        set_pixel_data(ds, np.full((2, 2), 300, "u2"), "MONOCHROME2", 8)
    with pytest.raises(ValueError, match="photometric"):
        set_pixel_data(ds, np.zeros((2, 2), "u1"), "CMYK", 8)


DCMTK = {
    "1.2.840.10008.1.2.4.80": "dcmdjpls",
    "1.2.840.10008.1.2.4.81": "dcmdjpls",
    "1.2.840.10008.1.2.4.57": "dcmdjpeg",
    "1.2.840.10008.1.2.4.70": "dcmdjpeg",
    "1.2.840.10008.1.2.4.50": "dcmdjpeg",
    "1.2.840.10008.1.2.4.51": "dcmdjpeg",
    "1.2.840.10008.1.2.5": "dcmdrle",
}


# The pairs the encoding profiles of PS3.5 §8.2 exclude are not made:
# CT_small.dcm is 16-bit signed (JPEG Baseline is 8-bit, JPEG Extended
# unsigned and monochrome, Table 8.2.1-1), US1_UNCR.dcm is RGB (JPEG Extended
# is monochrome), OBXXXX1A.dcm is PALETTE COLOR (not for lossy JPEG or
# JPEG-LS Near-Lossless, Tables 8.2.1-1 and 8.2.3-1).
_EXCLUDED = {
    ("1.2.840.10008.1.2.4.50", "CT_small.dcm"),
    ("1.2.840.10008.1.2.4.51", "CT_small.dcm"),
    ("1.2.840.10008.1.2.4.51", "US1_UNCR.dcm"),
    ("1.2.840.10008.1.2.4.50", "OBXXXX1A.dcm"),
    ("1.2.840.10008.1.2.4.51", "OBXXXX1A.dcm"),
    ("1.2.840.10008.1.2.4.81", "OBXXXX1A.dcm"),
}
_DCMTK_CASES = [
    (uid, name)
    for uid in sorted(DCMTK)
    for name in ("CT_small.dcm", "US1_UNCR.dcm", "OBXXXX1A.dcm")
    if (uid, name) not in _EXCLUDED
]


@pytest.mark.parametrize(("uid", "name"), sorted(_EXCLUDED))
def test_encoding_profiles_are_checked(uid, name):
    ds = _read(name)
    kwargs = {"jls_error": 2} if uid.endswith(".81") else {}
    with pytest.raises(ValueError, match="not valid for pixel data encoded with"):
        compress(ds, uid, **kwargs)


@pytest.mark.parametrize(("uid", "name"), _DCMTK_CASES)
def test_dcmtk_decodes_what_we_encode(uid, name, tmp_path):
    tool = DCMTK[uid]
    assert shutil.which(tool), f"{tool} missing: DCMTK is a test dependency (.ci/run installs it)"
    ds = _read(name)
    ref = pixel_array(ds)
    kwargs = {"jls_error": 2} if uid.endswith(".81") else {}
    compress(ds, uid, **kwargs)
    src = tmp_path / "in.dcm"
    out = tmp_path / "out.dcm"
    ds.save_as(src, enforce_file_format=True)
    run = subprocess.run([tool, str(src), str(out)], capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        dec = pydicom.dcmread(out).pixel_array
    if uid in ("1.2.840.10008.1.2.4.50", "1.2.840.10008.1.2.4.51"):
        assert np.abs(dec.astype(float) - ref).mean() < 3
    elif uid.endswith(".81"):
        assert np.abs(dec.astype(float) - ref).max() <= 2
    else:
        np.testing.assert_array_equal(dec, ref)
