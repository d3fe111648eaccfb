"""The one-pass native path of ``Dataset.pixel_array`` and ``pixel_array(path)``.

``pipeline.fast_native_array`` must give exactly the general path's array
(pydicom's) where it applies, decline (None) where the general path has
something to say, and copy the pixel bytes once: the peak memory of decoding
a dataset already read is the output array, and of decoding a path the file
plus the output array.
"""

from __future__ import annotations

import tracemalloc
import warnings

import numpy as np
import pydicom
import pytest
from pydicom.data import get_testdata_file

import fastdicom
from fastdicom.pixels import pipeline
from fastdicom.pixels.decoders import base as decoders

# Native files the fast path takes: monochrome 8/16/32-bit, signed with unused
# bits, multi-frame, RGB interleaved and by plane, implicit and explicit VR
FAST = [
    "CT_small.dcm",
    "MR_small.dcm",
    "OBXXXX1A.dcm",
    "rtdose.dcm",
    "SC_rgb.dcm",
    "SC_rgb_2frame.dcm",
    "SC_rgb_32bit.dcm",
    "SC_rgb_16bit_2frame.dcm",
    "US1_UNCR.dcm",
    "MR_small_implicit.dcm",
    "emri_small.dcm",
    "RG1_UNCR.dcm",
]
# Native files it declines: big endian, YBR, 1-bit, float, odd lengths
DECLINED = [
    "MR_small_bigendian.dcm",
    "SC_ybr_full_uncompressed.dcm",
    "SC_ybr_full_422_uncompressed.dcm",
    "liver.dcm",
    "waveform_ecg.dcm",
]


def _general(ds: fastdicom.Dataset) -> np.ndarray:
    source = pipeline.source_from_dataset(ds)
    return pipeline.decode(source)


@pytest.mark.parametrize("name", FAST)
def test_fast_path_is_the_general_path(name: str) -> None:
    path = get_testdata_file(name)
    ds = fastdicom.dcmread(path)
    uid = pipeline.transfer_syntax_of(ds)
    fast = pipeline.fast_native_array(ds, uid)
    assert fast is not None, name
    general = _general(fastdicom.dcmread(path))
    expected = pydicom.dcmread(path).pixel_array
    for arr in (general, expected):
        assert fast.dtype == arr.dtype
        assert fast.shape == arr.shape
        assert np.array_equal(fast, arr)
    assert fast.flags.writeable and fast.flags.c_contiguous
    # the two public doors take it
    assert np.array_equal(fastdicom.dcmread(path).pixel_array, expected)
    assert np.array_equal(pipeline.pixel_array(path), expected)


@pytest.mark.parametrize("name", DECLINED)
def test_fast_path_declines(name: str) -> None:
    path = get_testdata_file(name)
    if path is None:
        pytest.skip(f"{name} is not in this pydicom's test data")
    ds = fastdicom.dcmread(path)
    try:
        uid = pipeline.transfer_syntax_of(ds)
    except AttributeError:
        return
    assert pipeline.fast_native_array(ds, uid) is None


def _padded(excess: int) -> bytes:
    ds = fastdicom.dcmread(get_testdata_file("CT_small.dcm"))
    ds.PixelData = ds.PixelData + b"\x00" * excess
    return ds


def test_declines_excess_and_short_data() -> None:
    """Excess bytes warn and short data raises on the general path: declined,
    so the same warning and error come out of Dataset.pixel_array."""
    ds = _padded(4)
    assert pipeline.fast_native_array(ds, pipeline.transfer_syntax_of(ds)) is None
    with pytest.warns(UserWarning, match="excess padding"):
        ds.pixel_array
    ds = fastdicom.dcmread(get_testdata_file("CT_small.dcm"))
    ds.PixelData = ds.PixelData[:-2]
    assert pipeline.fast_native_array(ds, pipeline.transfer_syntax_of(ds)) is None
    with pytest.raises(ValueError, match="less than expected"):
        ds.pixel_array


def test_declines_options_and_processors(monkeypatch: pytest.MonkeyPatch) -> None:
    path = get_testdata_file("CT_small.dcm")
    ds = fastdicom.dcmread(path)
    ds.pixel_array_options(raw=True, view_only=True)
    arr = ds.pixel_array
    assert not arr.flags.writeable  # the general path's view
    calls = []

    def processor(arr: np.ndarray, runner: object, changes: dict) -> np.ndarray:
        calls.append(arr.shape)
        return arr

    monkeypatch.setattr(decoders, "PROCESSORS", [*decoders.PROCESSORS, processor])
    ds = fastdicom.dcmread(path)
    assert pipeline.fast_native_array(ds, pipeline.transfer_syntax_of(ds)) is None
    ds.pixel_array
    assert calls == [(128, 128)]


def test_declines_an_invalid_value() -> None:
    ds = fastdicom.dcmread(get_testdata_file("CT_small.dcm"))
    ds.BitsStored = 17
    assert pipeline.fast_native_array(ds, pipeline.transfer_syntax_of(ds)) is None
    with pytest.raises(ValueError, match="'Bits Stored' value of '17'"):
        ds.pixel_array


def test_cache_follows_edits() -> None:
    ds = fastdicom.dcmread(get_testdata_file("CT_small.dcm"))
    first = ds.pixel_array
    assert ds.pixel_array is first
    ds.BitsStored = 8
    second = ds.pixel_array
    assert second is not first
    assert np.array_equal(second, pydicom_array_with(BitsStored=8))


def pydicom_array_with(**values: int) -> np.ndarray:
    ds = pydicom.dcmread(get_testdata_file("CT_small.dcm"))
    for keyword, value in values.items():
        setattr(ds, keyword, value)
    return ds.pixel_array


def _peak(fn) -> tuple[int, object]:
    tracemalloc.start()
    try:
        result = fn()
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return peak, result


def test_one_copy_of_the_pixels(tmp_path) -> None:
    """Decoding copies the pixel bytes once: from a dataset already read the
    peak is the output array, from a path the file plus the output array."""
    rng = np.random.default_rng(8)
    ds = fastdicom.dcmread(get_testdata_file("CT_small.dcm"))
    ds.Rows = ds.Columns = 512
    ds.NumberOfFrames = 4
    ds.PixelData = rng.integers(-2048, 2047, (4, 512, 512), dtype="<i2").tobytes()
    path = tmp_path / "ct.dcm"
    ds.save_as(path)
    size = path.stat().st_size
    nbytes = 4 * 512 * 512 * 2
    slack = 64 * 1024  # the header, the dataset's objects

    read = fastdicom.dcmread(path)
    peak, arr = _peak(lambda: read.pixel_array)
    assert arr.nbytes == nbytes
    assert peak < nbytes + slack

    with warnings.catch_warnings():
        peak, arr = _peak(lambda: pipeline.pixel_array(path))
    # the file is read into the array's own memory and decoded there: the
    # read is the only copy of the pixel bytes
    assert peak < size + slack
    assert np.array_equal(arr, pydicom.dcmread(path).pixel_array)


@pytest.mark.parametrize("name", FAST)
def test_arrays_are_writeable_and_independent(name: str) -> None:
    """As pydicom's: writing into the array changes neither the dataset's
    Pixel Data nor a later decode (of the dataset or of the file)."""
    path = get_testdata_file(name)
    expected = pydicom.dcmread(path).pixel_array
    ds = fastdicom.dcmread(path)
    pixel_data = ds.PixelData
    for arr in (ds.pixel_array, pipeline.pixel_array(path)):
        assert arr.flags.writeable and arr.flags.aligned and arr.flags.c_contiguous
        arr[...] = 0 if arr.dtype.kind in "ui" else 0.0
    assert ds.PixelData == pixel_data
    assert np.array_equal(pipeline.pixel_array(path), expected)
    ds.PixelData = pixel_data  # a new value: decoded again
    assert np.array_equal(ds.pixel_array, expected)


def test_path_decodes_in_place_with_unused_bits(tmp_path) -> None:
    """pixel_array(path) makes the values in the buffer the file was read
    into (signed 12 of 16 bits: sign-extended there; 16 of 16: untouched)."""
    rng = np.random.default_rng(12)
    ds = fastdicom.dcmread(get_testdata_file("CT_small.dcm"))
    values = rng.integers(-2048, 2048, (128, 128), dtype="<i2")
    # garbage in the unused high bits must not survive (PS3.5 §8.1.1)
    noisy = (values.view("<u2") & 0x0FFF) | (rng.integers(0, 16, values.shape, dtype="<u2") << 12)
    ds.PixelData = noisy.tobytes()
    ds.BitsStored, ds.HighBit, ds.PixelRepresentation = 12, 11, 1
    path = tmp_path / "noisy.dcm"
    ds.save_as(path)
    arr = pipeline.pixel_array(path)
    assert np.array_equal(arr, values)
    assert np.array_equal(arr, pydicom.dcmread(path).pixel_array)
    size = path.stat().st_size
    assert arr.base is not None and arr.base.nbytes == size  # a view of the file read
