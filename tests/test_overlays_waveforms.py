"""overlay_array and waveform_array against pydicom."""

from __future__ import annotations

import warnings

import numpy as np
import pytest

pydicom = pytest.importorskip("pydicom")
from pydicom.data import get_testdata_file  # noqa: E402

import fastdicom  # noqa: E402
from fastdicom.overlays import overlay_array  # noqa: E402
from fastdicom.waveforms import generate_multiplex, multiplex_array, waveform_array  # noqa: E402


@pytest.mark.parametrize("name", ["MR-SIEMENS-DICOM-WithOverlays.dcm", "examples_overlay.dcm"])
def test_overlay_matches_pydicom(name):
    path = get_testdata_file(name)
    f, p = fastdicom.dcmread(path), pydicom.dcmread(path)
    np.testing.assert_array_equal(overlay_array(f, 0x6000), p.overlay_array(0x6000))


def test_overlay_errors():
    f = fastdicom.dcmread(get_testdata_file("CT_small.dcm"))
    with pytest.raises(ValueError, match="0x6000"):
        overlay_array(f, 0x5000)
    with pytest.raises(AttributeError, match="OverlayData"):
        overlay_array(f, 0x6000)


def test_overlay_multiframe_and_short_data():
    f = fastdicom.dcmread(get_testdata_file("MR-SIEMENS-DICOM-WithOverlays.dcm"))
    rows, cols = f[0x60000010].value, f[0x60000011].value
    data = np.packbits(np.arange(rows * cols * 2) % 3 == 0, bitorder="little").tobytes()
    f[0x60003000].value = data + b"\x00" * (len(data) % 2)
    f.add_new(0x60000015, "IS", 2)
    out = overlay_array(f, 0x6000)
    assert out.shape == (2, rows, cols)
    np.testing.assert_array_equal(out.ravel(), (np.arange(rows * cols * 2) % 3 == 0).astype("u1"))
    f[0x60003000].value = b"\x00\x00"
    with pytest.raises(ValueError, match="doesn't match"):
        overlay_array(f, 0x6000)


def test_waveform_matches_pydicom():
    path = get_testdata_file("waveform_ecg.dcm")
    f, p = fastdicom.dcmread(path), pydicom.dcmread(path)
    for i in range(len(p.WaveformSequence)):
        np.testing.assert_array_equal(waveform_array(f, i), p.waveform_array(i))
        from pydicom.waveforms import multiplex_array as ref_multiplex

        np.testing.assert_array_equal(multiplex_array(f, i, as_raw=True), ref_multiplex(p, i, as_raw=True))
    assert len(list(generate_multiplex(f))) == len(p.WaveformSequence)


def test_waveform_errors():
    f = fastdicom.dcmread(get_testdata_file("CT_small.dcm"))
    with pytest.raises(AttributeError, match="Waveform Sequence"):
        waveform_array(f, 0)
    w = fastdicom.dcmread(get_testdata_file("waveform_ecg.dcm"))
    item = w.WaveformSequence[0]
    item.WaveformData = item.WaveformData[:10]
    with pytest.raises(ValueError, match="fewer than"):
        waveform_array(w, 0)
    del item.WaveformBitsAllocated
    with pytest.raises(AttributeError, match="WaveformBitsAllocated"):
        waveform_array(w, 0)


def test_dataset_methods_delegate():
    path = get_testdata_file("waveform_ecg.dcm")
    f = fastdicom.dcmread(path)
    out = f.waveform_array(0)
    np.testing.assert_array_equal(out, waveform_array(f, 0))
