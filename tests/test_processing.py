"""fastdicom.pixels.processing against pydicom.pixels.processing."""

from __future__ import annotations

import warnings

import numpy as np
import pytest

pydicom = pytest.importorskip("pydicom")
from pydicom.data import get_testdata_file  # noqa: E402
from pydicom.pixels import processing as ref_proc  # noqa: E402

import fastdicom  # noqa: E402
from fastdicom.pixels import processing as proc  # noqa: E402


def _both(name):
    path = get_testdata_file(name)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        p = pydicom.dcmread(path, force=True)
        arr = p.pixel_array
    return fastdicom.dcmread(path, force=True), p, arr


def _quiet(func, *args, **kwargs):
    with warnings.catch_warnings():  # pydicom's own warnings (the oracle)
        warnings.simplefilter("ignore")
        return func(*args, **kwargs)


@pytest.mark.parametrize("name", ["CT_small.dcm", "mlut_18.dcm", "MR_small.dcm"])
def test_modality_lut(name):
    f, p, arr = _both(name)
    np.testing.assert_array_equal(proc.apply_modality_lut(arr, f), ref_proc.apply_modality_lut(arr, p))
    assert proc.apply_rescale is proc.apply_modality_lut


@pytest.mark.parametrize("func", ["LINEAR", "LINEAR_EXACT", "SIGMOID"])
@pytest.mark.parametrize("center,width", [(40, 400), (0, 1), (1000.5, 2.5), (-100, 50)])
def test_windowing(func, center, width):
    f, p, arr = _both("CT_small.dcm")
    if func == "LINEAR" and width < 1 or width <= 0:
        return
    for ds in (f, p):
        ds.WindowCenter = center
        ds.WindowWidth = width
        ds.VOILUTFunction = func
    # LINEAR is evaluated as x * gradient + offset (DCMTK's order, for
    # fastdicom.export), pydicom as ((x - c) / w + 0.5) * range + y_min:
    # the same values to the last few bits of a double
    np.testing.assert_allclose(
        proc.apply_windowing(arr, f), _quiet(ref_proc.apply_windowing, arr, p), rtol=1e-12, atol=1e-9
    )
    np.testing.assert_allclose(
        proc.apply_voi_lut(arr, f), _quiet(ref_proc.apply_voi_lut, arr, p), rtol=1e-12, atol=1e-9
    )


def test_windowing_errors():
    f, _, arr = _both("CT_small.dcm")
    f.WindowCenter, f.WindowWidth, f.VOILUTFunction = 0, 0.5, "LINEAR"
    with pytest.raises(ValueError, match="greater than or"):
        proc.apply_windowing(arr, f)
    f.VOILUTFunction = "CUBIC"
    f.WindowWidth = 10
    with pytest.raises(ValueError, match="Unsupported"):
        proc.apply_windowing(arr, f)


def test_voi_lut_sequence():
    f, p, arr = _both("vlut_04.dcm")
    np.testing.assert_array_equal(proc.apply_voi_lut(arr, f), _quiet(ref_proc.apply_voi_lut, arr, p))
    np.testing.assert_array_equal(proc.apply_voi(arr, f), ref_proc.apply_voi(arr, p))


@pytest.mark.parametrize("name", ["gdcm-US-ALOKA-16.dcm"])
def test_color_lut(name):
    f, p, arr = _both(name)
    np.testing.assert_array_equal(proc.apply_color_lut(arr, f), ref_proc.apply_color_lut(arr, p))


@pytest.mark.parametrize(
    "palette",
    ["PET", "HOT_IRON", "HOT_METAL_BLUE", "1.2.840.10008.1.5.4", "SPRING", "SUMMER", "FALL", "WINTER"],
)
def test_well_known_palettes(palette):
    arr = np.arange(256, dtype="u1").reshape(16, 16)
    np.testing.assert_array_equal(
        proc.apply_color_lut(arr, palette=palette), _quiet(ref_proc.apply_color_lut, arr, palette=palette)
    )


def test_segmented_lut_expansion():
    from pydicom.pixels.processing import _expand_segmented_lut as ref_expand

    data = [0, 3, 10, 20, 30, 1, 5, 60, 2, 1, 0, 0, 0, 2, 100, 100]
    assert proc._expand_segmented_lut(data, "<u2") == ref_expand(tuple(data), "<16H")


def test_presentation_lut():
    f, p, arr = _both("CT_small.dcm")
    for shape in ("IDENTITY", "INVERSE"):
        f.PresentationLUTShape = p.PresentationLUTShape = shape
        np.testing.assert_array_equal(
            proc.apply_presentation_lut(arr, f), ref_proc.apply_presentation_lut(arr, p)
        )
    f.PresentationLUTShape = "LOG"
    with pytest.raises(NotImplementedError):
        proc.apply_presentation_lut(arr, f)


def test_convert_color_space():
    rng = np.random.default_rng(3)
    arr = rng.integers(0, 256, (2, 9, 7, 3), dtype="u1")
    for cur, want in [("RGB", "YBR_FULL"), ("YBR_FULL", "RGB"), ("YBR_FULL_422", "RGB"),
                      ("RGB", "RGB"), ("YBR_FULL", "YBR_FULL_422")]:
        np.testing.assert_array_equal(
            proc.convert_color_space(arr, cur, want), ref_proc.convert_color_space(arr, cur, want)
        )
    np.testing.assert_array_equal(
        proc.convert_color_space(arr.copy(), "RGB", "YBR_FULL", per_frame=True),
        ref_proc.convert_color_space(arr.copy(), "RGB", "YBR_FULL", per_frame=True),
    )
    with pytest.raises(ValueError, match="uint8"):
        proc.convert_color_space(arr.astype("u2"), "RGB", "YBR_FULL")
    with pytest.raises(NotImplementedError):
        proc.convert_color_space(arr, "RGB", "YBR_ICT")


@pytest.mark.parametrize("colour", ["Green", "Blue"])
def test_palette_without_a_green_or_blue_lut_is_an_error(colour):
    """PS3.3 C.7.6.3.1.6: Red, Green and Blue LUT data are all required; one
    missing gave a 2-channel image (pydicom 3.0.2 does the same), an empty
    Red one a TypeError."""
    from fastdicom.pixels.processing import apply_color_lut

    ds = fastdicom.dcmread(get_testdata_file("OBXXXX1A.dcm"))
    arr = ds.pixel_array
    delattr(ds, f"{colour}PaletteColorLookupTableData")
    with pytest.raises(ValueError, match=f"{colour} Palette Color Lookup Table Data is missing"):
        apply_color_lut(arr, ds)
    ds = fastdicom.dcmread(get_testdata_file("OBXXXX1A.dcm"))
    ds.RedPaletteColorLookupTableData = b""
    with pytest.raises(ValueError, match="Red Palette Color Lookup Table Data is missing or empty"):
        apply_color_lut(arr, ds)
