"""Image export against DCMTK's dcmj2pnm: the same pixels from the same choices.

``compare_file`` runs :func:`fastdicom.export.render` and ``dcmj2pnm`` with
the equivalent options (PNM output, overlays off) and reports the largest
difference; 8-bit output may differ by one grey level, 16-bit output must be
equal. It is shared with ``tools/compare_export.py``, which runs it over the
developer corpus; the tests here use pydicom's and pydicom-data's files.
DCMTK is a test dependency (CI installs it): without it these tests fail.
"""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import sys
import tempfile
from typing import Any

import numpy as np
import pytest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import fastdicom  # noqa: E402
from fastdicom.export import (  # noqa: E402
    RenderOptions,
    export,
    frame_dataset,
    output_paths,
    parse_frames,
    png_bytes,
    render,
    voi_mode,
)

HAVE_DCMJ2PNM = shutil.which("dcmj2pnm") is not None
NO_DCMTK = "DCMTK (dcmj2pnm) is not installed: it is a test dependency (.ci/run)"


def read_pnm(data: bytes) -> np.ndarray:
    """A PGM/PPM image (P2, P3, P5 or P6) as an array."""
    tokens: list[bytes] = []
    pos = 0
    # the header: magic, width, height, maxval, separated by whitespace or comments
    while len(tokens) < 4:
        while data[pos : pos + 1].isspace():
            pos += 1
        if data[pos : pos + 1] == b"#":
            pos = data.index(b"\n", pos) + 1
            continue
        end = pos
        while not data[end : end + 1].isspace():
            end += 1
        tokens.append(data[pos:end])
        pos = end
    magic, width, height, maxval = tokens[0], int(tokens[1]), int(tokens[2]), int(tokens[3])
    channels = 3 if magic in (b"P3", b"P6") else 1
    shape = (height, width, channels) if channels == 3 else (height, width)
    if magic in (b"P5", b"P6"):
        dtype = ">u2" if maxval > 255 else "u1"
        count = height * width * channels
        return np.frombuffer(data, dtype=dtype, count=count, offset=pos + 1).reshape(shape)
    values = np.array(data[pos:].split(), dtype=np.int64)
    return values[: height * width * channels].reshape(shape).astype(np.uint16 if maxval > 255 else np.uint8)


def dcmj2pnm_args(ds: Any, frame: int, options: RenderOptions) -> list[str] | None:
    """dcmj2pnm's options equivalent to `options`, or None if it has none."""
    args = ["-O", "+F", str(frame + 1)]  # overlays are not part of the export
    if not options.modality_lut:
        args.append("-M")
    view = frame_dataset(ds, frame)
    mode = voi_mode(view, options)
    if mode == "window" and "WindowCenter" not in ds:
        # a window of the functional groups (enhanced objects), which
        # dcmj2pnm 3.6.7 does not read: given explicitly
        center = view.WindowCenter[options.voi_index] if view["WindowCenter"].VM > 1 else view.WindowCenter
        width = view.WindowWidth[options.voi_index] if view["WindowWidth"].VM > 1 else view.WindowWidth
        args += ["+Ww", repr(float(center)), repr(float(width))]
    elif mode == "window":
        args += ["+Wi", str(options.voi_index + 1)]
    elif mode == "lut":
        args += ["+Wl", str(options.voi_index + 1)]
    elif mode == "explicit":
        args += ["+Ww", repr(float(options.center)), repr(float(options.width))]  # type: ignore[arg-type]
    elif mode == "minmax":
        args += ["+Wm"]
    elif mode == "percentile":
        return None
    if options.function:
        function = options.function.upper()
        if function == "LINEAR_EXACT":
            return None  # DCMTK 3.6.7 knows LINEAR and SIGMOID
        args.append("+Wfl" if function == "LINEAR" else "+Wfs")
    if options.presentation:
        args.append("+Pid" if options.presentation.upper() == "IDENTITY" else "+Piv")
    if options.bits == 8:
        args.append("+op")  # binary PGM/PPM
    elif ds.get("PhotometricInterpretation") in ("MONOCHROME1", "MONOCHROME2"):
        args += ["+on2", "-il"]  # 16-bit PNG (read back with Pillow; faster than ASCII PGM)
    else:
        args.append("+opw")  # 48-bit colour: ASCII PPM (Pillow reads 16-bit RGB PNG as 8-bit)
    return args


JPEG_LS = ("1.2.840.10008.1.2.4.80", "1.2.840.10008.1.2.4.81")


def run_dcmj2pnm(path: str, args: list[str], program: str = "dcmj2pnm") -> tuple[np.ndarray | None, str]:
    """dcmj2pnm's image of `path` (dcml2pnm's for JPEG-LS), or None and its messages."""
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "out.pnm")
        result = subprocess.run([program, *args, path, out], capture_output=True, text=True, errors="replace")
        if result.returncode or not os.path.exists(out):
            return None, (result.stderr or result.stdout).strip()
        with open(out, "rb") as f:
            data = f.read()
        if data.startswith(b"\x89PNG"):
            from PIL import Image

            with Image.open(out) as image:
                return np.asarray(image).astype(np.uint16), result.stderr.strip()
        return read_pnm(data), result.stderr.strip()


def compare_file(path: str, frame: int = 0, **options: Any) -> dict[str, Any]:
    """Render `path` with fastdicom and dcmj2pnm; the differences found.

    Returns
    -------
    dict
        ``status`` ("equal", "within 1", "DIFFERENT", "no equivalent",
        "dcmtk failed", "fastdicom failed", "both failed"), ``max_diff``, ``differing``
        (pixels), ``mode`` (the VOI used) and ``message``.
    """
    opts = RenderOptions(**options)
    ds = fastdicom.dcmread(path, force=True)
    args = dcmj2pnm_args(ds, frame, opts)
    view = frame_dataset(ds, frame)
    mode = voi_mode(view, opts) if view.get("PhotometricInterpretation") in ("MONOCHROME1", "MONOCHROME2") else "colour"
    report: dict[str, Any] = {"mode": mode, "max_diff": None, "differing": None, "message": ""}
    if args is None:
        return {**report, "status": "no equivalent"}
    try:
        ours = render(ds, frame, **options)
        failure = ""
    except Exception as exc:
        failure = f"{type(exc).__name__}: {exc}"
    meta = getattr(ds, "file_meta", None)
    program = "dcml2pnm" if str(meta.get("TransferSyntaxUID", "") if meta else "") in JPEG_LS else "dcmj2pnm"
    theirs, message = run_dcmj2pnm(path, args, program)
    if failure:
        status = "both failed" if theirs is None else "fastdicom failed"
        return {**report, "status": status, "message": failure + (f" | dcmj2pnm: {message}" if theirs is None else "")}
    if theirs is None:
        return {**report, "status": "dcmtk failed", "message": message}
    if ours.shape != theirs.shape:
        return {**report, "status": "DIFFERENT", "message": f"shape {ours.shape} != {theirs.shape}"}
    diff = np.abs(ours.astype(np.int64) - theirs.astype(np.int64))
    max_diff = int(diff.max()) if diff.size else 0
    report.update(max_diff=max_diff, differing=int(np.count_nonzero(diff)))
    if max_diff == 0:
        status = "equal"
    elif max_diff <= 1 and opts.bits == 8:
        status = "within 1"
    else:
        status = "DIFFERENT"
    return {**report, "status": status}


def data_file(name: str) -> str:
    from pydicom.data import get_testdata_file

    path = get_testdata_file(name)
    assert path, f"{name} is not in pydicom's or pydicom-data's test files"
    return str(path)


def assert_like_dcmtk(name: str, frame: int = 0, **options: Any) -> dict[str, Any]:
    assert HAVE_DCMJ2PNM, NO_DCMTK
    report = compare_file(data_file(name), frame, **options)
    assert report["status"] in ("equal", "within 1"), (name, options, report)
    return report


# -- against dcmj2pnm -------------------------------------------------------------
# MONOCHROME1 CRs: pydicom-data's RG1/RG3, and pydicom's small AGFA CRs below
@pytest.mark.parametrize(
    "name,bits", [("RG1_UNCR.dcm", 8), ("RG1_UNCR.dcm", 16), ("RG3_UNCI.dcm", 16), ("RG3_UNCR.dcm", 16)]
)
def test_monochrome1_default_window_inverted(name, bits):
    report = assert_like_dcmtk(name, bits=bits)
    assert report["mode"] == "window"


@pytest.mark.parametrize("bits", [8, 16])
@pytest.mark.parametrize("name", ["dicomdirtests/77654033/CR1/6154", "dicomdirtests/77654033/CR2/6247"])
def test_monochrome1_small_agfa_cr(name, bits):
    """Rescale Slope 0.684: the modality output is held as integers
    truncated towards zero, as DCMTK holds it (dimoipxt.h rescale()), so
    the image is dcmj2pnm's at 16 bits too (it was 23 levels apart when the
    real values m*SV+b were windowed)."""
    report = assert_like_dcmtk(name, bits=bits)
    assert report["status"] == "equal", report


def test_real_modality_values_are_an_option():
    """integer_modality=False windows the real values of PS3.3 C.11.1.1.2:
    the same window on the values truncated by hand gives the default."""
    ds = fastdicom.dcmread(data_file("dicomdirtests/77654033/CR1/6154"))
    real = render(ds, bits=16, integer_modality=False)
    default = render(ds, bits=16)
    assert not np.array_equal(real, default)
    truncated = np.trunc(ds.pixel_array * float(ds.RescaleSlope) + float(ds.RescaleIntercept))
    ds.RescaleSlope, ds.RescaleIntercept = 1, 0
    ds.PixelRepresentation = 1
    ds.BitsStored = ds.BitsAllocated = 16
    ds.PixelData = truncated.astype("<i2").tobytes()
    assert np.array_equal(render(ds, bits=16, integer_modality=False), default)


def _synthetic(tmp_path, name: str, pixels: np.ndarray, bits_stored: int, **values: Any) -> str:
    """A MONOCHROME2 file of `pixels` (unsigned) with the given attributes."""
    ds = fastdicom.dcmread(data_file("MR_small.dcm"))
    for keyword in ("WindowCenter", "WindowWidth", "RescaleSlope", "RescaleIntercept"):
        if keyword in ds and keyword not in values:
            delattr(ds, keyword)
    ds.Rows, ds.Columns = pixels.shape
    ds.BitsAllocated = 8 if bits_stored <= 8 else 16
    ds.BitsStored, ds.HighBit, ds.PixelRepresentation = bits_stored, bits_stored - 1, 0
    ds.PixelData = pixels.astype(f"<u{ds.BitsAllocated // 8}").tobytes()
    for keyword, value in values.items():
        setattr(ds, keyword, value)
    path = str(tmp_path / name)
    ds.save_as(path)
    return path


# Not (8, no VOI): without its table DCMTK scales x - absmin = 0 - 0.3 < 0
# and casts the negative value to an unsigned type (65516 at 16 bits), a
# wrap-around fastdicom does not copy (it clips to 0).
@pytest.mark.parametrize(
    "side,options",
    [(64, {}), (64, {"voi": "none"}), (64, {"voi": "minmax"}), (64, {"presentation": "INVERSE"}),
     (8, {}), (8, {"voi": "minmax"}), (8, {"presentation": "INVERSE"})],
)
def test_fractional_intercept_like_dcmtk(tmp_path, side, options):
    """Rescale 3.774114 / 0.3 of 8-bit values. A 64x64 frame has more than
    three pixels per entry of DCMTK's window table (963 entries from
    trunc(absmin) = 0), which evaluates the integer x at x + 0.3 (absmin's
    fraction); an 8x8 frame is windowed without the table, at x. Both are
    dcmj2pnm's images at 16 bits (MR2_UNCR.dcm, with intercept 6.1e-05,
    differed in 203 pixels before)."""
    assert HAVE_DCMJ2PNM, NO_DCMTK
    pixels = (np.arange(side * side) % 256).reshape(side, side)
    path = _synthetic(tmp_path, f"frac{side}.dcm", pixels, 8, RescaleSlope="3.774114",
                      RescaleIntercept="0.3", WindowCenter="1000", WindowWidth="2000")
    for bits in (8, 16):
        report = compare_file(path, bits=bits, **options)
        assert report["status"] == "equal", (bits, report)


def test_inverse_window_rounds_like_dcmtk(tmp_path):
    """An inverted LINEAR window is evaluated with the output range reversed
    (DCMTK's low > high), not as 65535 - y: on this ramp the two differ in
    the last bit for one value, which truncation turns into one level."""
    assert HAVE_DCMJ2PNM, NO_DCMTK
    pixels = np.arange(4096).reshape(64, 64)
    path = _synthetic(tmp_path, "ramp.dcm", pixels, 12, PhotometricInterpretation="MONOCHROME1",
                      WindowCenter="944.2", WindowWidth="2901.2")
    report = compare_file(path, bits=16)
    assert report["status"] == "equal", report


def test_monochrome1_no_voi_like_dcmtk():
    """Without a VOI transform the inverted range is mapped as dcmj2pnm's
    nowindow() maps it (PS3.4 leaves the scaling open)."""
    for bits in (8, 16):
        assert assert_like_dcmtk("RG1_UNCR.dcm", bits=bits, voi="none")["status"] == "equal"


@pytest.mark.parametrize("bits", [16])  # 16 bits: equal values required
@pytest.mark.parametrize(
    "options",
    [
        {},  # the file's first window
        {"voi": "explicit", "center": 500.0, "width": 1000.0},
        {"voi": "explicit", "center": 20000.0, "width": 10000.0, "function": "SIGMOID"},
        {"voi": "minmax"},
        {"presentation": "IDENTITY"},
        {"modality_lut": False, "voi": "minmax"},
    ],
)
def test_monochrome1_options(options, bits):
    assert_like_dcmtk("RG1_UNCR.dcm", bits=bits, **options)


@pytest.mark.parametrize("bits", [8, 16])
def test_modality_lut_sequence(bits):
    report = assert_like_dcmtk("mlut_18.dcm", bits=bits)
    assert report["mode"] == "minmax"


@pytest.mark.parametrize("bits", [8, 16])
def test_voi_lut_sequence(bits):
    report = assert_like_dcmtk("vlut_04.dcm", bits=bits)
    assert report["mode"] == "lut"


@pytest.mark.parametrize("bits", [8, 16])
@pytest.mark.parametrize("name", ["CT_small.dcm", "MR_small.dcm", "MR_small_RLE.dcm"])
def test_rescaled_and_windowed(name, bits):
    assert_like_dcmtk(name, bits=bits)
    assert_like_dcmtk(name, bits=bits, voi="explicit", center=40.0, width=400.0)


@pytest.mark.parametrize("frame", [0, 5, 9])
def test_enhanced_mr_frames(frame):
    assert_like_dcmtk("emri_small.dcm", frame, bits=16)
    assert_like_dcmtk("emri_small.dcm", frame, bits=8, voi="explicit", center=600.0, width=1200.0)


@pytest.mark.parametrize("bits", [8, 16])
@pytest.mark.parametrize(
    "name",
    ["examples_rgb_color.dcm", "SC_rgb_rle.dcm", "examples_palette.dcm", "SC_rgb_rle_16bit.dcm",
     "SC_rgb_small_odd_big_endian.dcm"],
)
def test_colour(name, bits):
    assert_like_dcmtk(name, bits=bits)


@pytest.mark.parametrize("bits", [8, 16])
def test_palette_big_endian(bits):
    """16-bit Palette Color LUT Data in Explicit VR Big Endian are big-endian
    words (PS3.5 §7.3); pydicom's apply_color_lut reads them little endian."""
    assert_like_dcmtk("OBXXXX1A_expb.dcm", bits=bits)
    assert_like_dcmtk("OBXXXX1A_expb_2frame.dcm", 1, bits=bits)


def test_rtdose_big_endian_32_bit():
    """dcmj2pnm 3.6.7 misreads 32-bit Explicit VR Big Endian pixels; fastdicom's
    image of rtdose_expb.dcm is dcmj2pnm's image of the little-endian rtdose.dcm."""
    assert HAVE_DCMJ2PNM, NO_DCMTK
    ds = fastdicom.dcmread(data_file("rtdose_expb.dcm"))
    for frame in (0, 14):
        theirs, _ = run_dcmj2pnm(data_file("rtdose.dcm"), dcmj2pnm_args(ds, frame, RenderOptions(bits=16)))
        assert np.array_equal(render(ds, frame, bits=16), theirs)


def test_ybr_full_is_t871_rounded():
    """By default fastdicom's YBR_FULL conversion is the inverse of PS3.3
    C.7.6.3.1.2 (ITU-T T.871) rounded to the nearest level (within the IJG
    fixed-point arithmetic's 2**-16 of the coefficients)."""
    from fastdicom.pixels import pixel_array

    ds = fastdicom.dcmread(data_file("SC_ybr_full_uncompressed.dcm"))
    raw = pixel_array(ds, index=0, raw=True).astype(np.float64)
    y, cb, cr = raw[..., 0], raw[..., 1] - 128, raw[..., 2] - 128
    exact = np.stack([y + 1.402 * cr, y - 0.344136 * cb - 0.714136 * cr, y + 1.772 * cb], axis=-1)
    assert np.abs(render(ds).astype(np.float64) - np.clip(exact, 0, 255)).max() < 0.5 + 1e-3


def test_ybr_standard_is_libjpeg_conversion():
    """The standard conversion is the IJG library's (libjpeg-turbo's too),
    so a JPEG frame's colours are those of any libjpeg decoder: Pillow's
    RGB output of the same codestream."""
    from PIL import Image

    from fastdicom.encaps import generate_frames

    ds = fastdicom.dcmread(data_file("SC_rgb_jpeg_dcmtk.dcm"))
    codestream = next(generate_frames(ds.PixelData, number_of_frames=1))
    with Image.open(io.BytesIO(codestream)) as image:
        assert image.mode == "RGB"
        expected = np.asarray(image)
    assert np.array_equal(render(ds), expected)


@pytest.mark.parametrize("bits", [8, 16])
@pytest.mark.parametrize(
    "name", ["SC_ybr_full_uncompressed.dcm", "SC_ybr_full_422_uncompressed.dcm", "examples_ybr_color.dcm"]
)
def test_ybr_dcmtk_conversion(name, bits):
    """ybr='dcmtk' converts as dcmj2pnm: its JPEG decoder's conversion for
    JPEG frames (examples_ybr_color.dcm), else DCMTK's own, which centres
    the chroma at 127.5 and truncates (diybrpxt.h tables for 8-bit
    YBR_FULL, diyf2pxt.h for YBR_FULL_422): the same values at 16 bits."""
    report = assert_like_dcmtk(name, bits=bits, ybr="dcmtk")
    assert report["status"] == "equal", report


@pytest.mark.parametrize("name", ["SC_ybr_full_422_uncompressed.dcm", "SC_ybr_full_uncompressed.dcm"])
def test_ybr_default_near_dcmtk(name):
    """The default conversion of uncompressed YBR is at most two levels
    from DCMTK's (its chroma centred at 127.5 and truncated)."""
    assert HAVE_DCMJ2PNM, NO_DCMTK
    report = compare_file(data_file(name), bits=8)
    assert report["max_diff"] <= 2, report


def test_jpeg_ybr_like_dcmtk(tmp_path):
    """A lossy JPEG (YBR_FULL_422) written by DCMTK's dcmcjpeg from
    pydicom-data's US1_UNCR.dcm: the default conversion is what dcmj2pnm's
    JPEG decoder gives, the same values at 16 bits (pydicom's float
    conversion, used before, was one level off in 103 pixels)."""
    assert HAVE_DCMJ2PNM, NO_DCMTK
    path = str(tmp_path / "us1_jpeg.dcm")
    result = subprocess.run(["dcmcjpeg", "+eb", data_file("US1_UNCR.dcm"), path], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert fastdicom.dcmread(path).PhotometricInterpretation == "YBR_FULL_422"
    for bits in (8, 16):
        report = compare_file(path, bits=bits)
        assert report["status"] == "equal", (bits, report)


def test_ybr_option_checked():
    with pytest.raises(ValueError, match="ybr must be one of standard, dcmtk"):
        RenderOptions(ybr="exact")


# -- the pipeline's choices ---------------------------------------------------------
def test_defaults_are_modality_then_first_window_8_bit_first_frame():
    ds = fastdicom.dcmread(data_file("CT_small.dcm"))
    ds.WindowCenter, ds.WindowWidth = [40, 400], [400, 2000]
    out = render(ds)
    assert out.dtype == np.uint8 and out.shape == (128, 128)
    hu = ds.pixel_array * float(ds.RescaleSlope) + float(ds.RescaleIntercept)
    center, width = 40.0, 400.0
    # PS3.3 C.11.2.1.2.1, truncated
    expected = np.clip(((hu - (center - 0.5)) / (width - 1) + 0.5) * 255, 0, 255)
    expected[hu <= center - 0.5 - (width - 1) / 2] = 0
    expected[hu > center - 0.5 + (width - 1) / 2] = 255
    assert np.array_equal(out, np.trunc(expected).astype(np.uint8))


def test_monochrome1_is_inverted_after_voi():
    ds = fastdicom.dcmread(data_file("RG1_UNCR.dcm"))
    inverted = render(ds, bits=16)
    plain = render(ds, bits=16, presentation="IDENTITY")
    # the inversion is of the output range (C.11.6.1), one grey level
    # apart at most where truncation of 65535 - v and of v round differently
    assert np.abs(inverted.astype(np.int64) - (65535 - plain.astype(np.int64))).max() <= 1


@pytest.mark.parametrize("shape", ["IDENTITY", "INVERSE"])
@pytest.mark.parametrize("photometric", ["MONOCHROME1", "MONOCHROME2"])
def test_presentation_lut_shape_decides(tmp_path, shape, photometric):
    """The file's Presentation LUT Shape decides the inversion (C.11.6.1),
    for MONOCHROME1 too; dcmj2pnm reads it the same way."""
    assert HAVE_DCMJ2PNM, NO_DCMTK
    ds = fastdicom.dcmread(data_file("MR_small.dcm"))
    ds.PhotometricInterpretation = photometric
    ds.PresentationLUTShape = shape
    path = str(tmp_path / "shape.dcm")
    ds.save_as(path)
    for bits in (8, 16):
        assert compare_file(path, bits=bits)["status"] == "equal"
    plain = render(ds, bits=16, presentation="IDENTITY")
    out = render(ds, bits=16)
    assert np.array_equal(out, plain) == (shape == "IDENTITY")


def test_per_frame_functional_groups():
    """Enhanced objects: each frame's Frame VOI LUT and the shared Pixel Value
    Transformation (PS3.3 C.7.6.16.2.9-10) are that frame's window and rescale."""
    from fastdicom.dataset import Dataset
    from fastdicom.sequence import Sequence

    def item(**values):
        ds = Dataset()
        for keyword, value in values.items():
            setattr(ds, keyword, value)
        return ds

    ds = fastdicom.dcmread(data_file("emri_small.dcm"))
    windows = [(100.0 + 20 * i, 200.0 + 50 * i) for i in range(10)]
    ds.SharedFunctionalGroupsSequence = Sequence(
        [item(PixelValueTransformationSequence=Sequence(
            [item(RescaleSlope=2, RescaleIntercept=-100, RescaleType="US")]))]
    )
    ds.PerFrameFunctionalGroupsSequence = Sequence(
        [item(FrameVOILUTSequence=Sequence([item(WindowCenter=c, WindowWidth=w)])) for c, w in windows]
    )
    plain = fastdicom.dcmread(data_file("emri_small.dcm"))
    plain.RescaleSlope, plain.RescaleIntercept = 2, -100
    for frame in (0, 4, 9):
        center, width = windows[frame]
        assert frame_dataset(ds, frame).WindowCenter == center
        expected = render(plain, frame, voi="explicit", center=center, width=width, bits=16)
        assert np.array_equal(render(ds, frame, bits=16), expected)


def test_percentiles_window():
    ds = fastdicom.dcmread(data_file("CT_small.dcm"))
    out = render(ds, voi="percentile", percentiles=(5, 95))
    share_black = np.mean(out == 0)
    share_white = np.mean(out == 255)
    assert 0.04 <= share_black <= 0.07 and 0.04 <= share_white <= 0.07


def test_linear_exact_and_sigmoid_differ_from_linear():
    ds = fastdicom.dcmread(data_file("CT_small.dcm"))
    linear = render(ds, voi="explicit", center=100.0, width=300.0)
    exact = render(ds, voi="explicit", center=100.0, width=300.0, function="LINEAR_EXACT")
    sigmoid = render(ds, voi="explicit", center=100.0, width=300.0, function="SIGMOID")
    assert np.abs(linear.astype(int) - exact.astype(int)).max() <= 2
    assert not np.array_equal(linear, sigmoid)


def test_no_voi_without_a_window_is_the_error_it_should_be():
    ds = fastdicom.dcmread(data_file("MR_small.dcm"))
    with pytest.raises(ValueError, match="window 3 asked for"):
        render(ds, voi="window", voi_index=2)


def test_invalid_options():
    with pytest.raises(ValueError, match="voi must be one of"):
        RenderOptions(voi="best")
    with pytest.raises(ValueError, match="needs both center and width"):
        RenderOptions(voi="explicit", center=1.0)
    with pytest.raises(ValueError, match="bits must be 8 or 16"):
        RenderOptions(bits=12)


def test_frame_specifications():
    assert parse_frames(None, 10) == [0]
    assert parse_frames("all", 3) == [0, 1, 2]
    assert parse_frames("2-4,7", 10) == [1, 2, 3, 6]
    assert parse_frames("9-", 10) == [8, 9]
    with pytest.raises(ValueError, match="Frame 11 asked for"):
        parse_frames("11", 10)
    assert output_paths("f_{frame:03d}.png", [0, 9], 10) == ["f_001.png", "f_010.png"]
    assert output_paths("f.png", [0, 9], 10) == ["f_01.png", "f_10.png"]
    assert output_paths("f.png", [4], 10) == ["f.png"]


# -- writing ------------------------------------------------------------------------


def _pillow_read(path: str) -> np.ndarray:
    from PIL import Image

    with Image.open(path) as image:
        return np.asarray(image)


@pytest.mark.parametrize("bits", [8, 16])
def test_png_round_trip(tmp_path, bits):
    ds = fastdicom.dcmread(data_file("CT_small.dcm"))
    expected = render(ds, bits=bits)
    paths = export(ds, tmp_path / "ct.png", bits=bits)
    assert paths == [str(tmp_path / "ct.png")]
    assert np.array_equal(_pillow_read(paths[0]).astype(np.int64), expected.astype(np.int64))


def test_png_rgb_16_bit_header():
    arr = np.arange(2 * 3 * 3, dtype=np.uint16).reshape(2, 3, 3) * 1000
    data = png_bytes(arr)
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    assert data[16:26] == (3).to_bytes(4, "big") + (2).to_bytes(4, "big") + bytes([16, 2])


def test_jpeg_and_tiff(tmp_path):
    ds = fastdicom.dcmread(data_file("examples_rgb_color.dcm"))
    expected = render(ds)
    jpg = export(ds, tmp_path / "c.jpg", quality=95)[0]
    assert np.abs(_pillow_read(jpg).astype(int) - expected.astype(int)).mean() < 3
    tif = export(ds, tmp_path / "c.tif")[0]
    assert np.array_equal(_pillow_read(tif), expected)
    gray16 = export(fastdicom.dcmread(data_file("CT_small.dcm")), tmp_path / "g.tiff", bits=16)[0]
    assert _pillow_read(gray16).dtype.itemsize == 2
    with pytest.raises(ValueError, match="8 bits per sample"):
        export(ds, tmp_path / "c16.jpg", bits=16)


def test_all_frames_with_template(tmp_path):
    paths = export(data_file("emri_small.dcm"), tmp_path / "mr_{frame:02d}.png", frames="all")
    assert [os.path.basename(p) for p in paths] == [f"mr_{i:02d}.png" for i in range(1, 11)]
    assert all(os.path.getsize(p) > 100 for p in paths)


def test_without_pillow_jpeg_names_pillow(tmp_path, monkeypatch):
    import builtins

    real_import = builtins.__import__

    def no_pil(name, *args, **kwargs):
        if name == "PIL" or name.startswith("PIL."):
            raise ImportError("No module named 'PIL'")
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_pil)
    ds = fastdicom.dcmread(data_file("CT_small.dcm"))
    with pytest.raises(ImportError, match="install it with 'pip install pillow'"):
        export(ds, tmp_path / "ct.jpg")
    # PNG needs no Pillow
    assert export(ds, tmp_path / "ct.png")


# -- the command line -----------------------------------------------------------------
def test_cli_real_modality_and_ybr(tmp_path):
    """``--real-modality`` and ``--ybr`` reach the pipeline."""
    from PIL import Image

    from fastdicom.cli import main

    cr = data_file("dicomdirtests/77654033/CR1/6154")
    ds = fastdicom.dcmread(cr)
    for flags, options in (([], {}), (["--real-modality"], {"integer_modality": False})):
        out = tmp_path / f"cr{len(flags)}.png"
        assert main(["export", cr, "-o", str(out), "--bits", "16", *flags]) == 0
        with Image.open(out) as image:
            assert np.array_equal(np.asarray(image).astype(np.uint16), render(ds, bits=16, **options))
    ybr = data_file("SC_ybr_full_uncompressed.dcm")
    ds = fastdicom.dcmread(ybr)
    for flags, options in (([], {}), (["--ybr", "dcmtk"], {"ybr": "dcmtk"})):
        out = tmp_path / f"ybr{len(flags)}.png"
        assert main(["export", ybr, "-o", str(out), *flags]) == 0
        with Image.open(out) as image:
            assert np.array_equal(np.asarray(image), render(ds, **options))
    assert not np.array_equal(render(ds), render(ds, ybr="dcmtk"))
