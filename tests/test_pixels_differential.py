"""Every native and RLE pixel-bearing file of pydicom's test data decodes to
pydicom's array (values, shape, dtype kind and size)."""

import warnings

import numpy as np
import pytest

pydicom = pytest.importorskip("pydicom")
from pydicom.data import get_testdata_files  # noqa: E402

import fastdicom  # noqa: E402
from fastdicom.pixels import iter_pixels, pixel_array  # noqa: E402

NATIVE_OR_RLE = {
    "1.2.840.10008.1.2", "1.2.840.10008.1.2.1", "1.2.840.10008.1.2.1.99",
    "1.2.840.10008.1.2.2", "1.2.840.10008.1.2.5",
}


def _candidates():
    found = []
    for path in sorted(get_testdata_files()):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            try:
                ds = pydicom.dcmread(path, force=True, stop_before_pixels=False)
            except Exception:
                continue
        uid = getattr(getattr(ds, "file_meta", None), "TransferSyntaxUID", None)
        if uid in NATIVE_OR_RLE and any(t in ds for t in (0x7FE00008, 0x7FE00009, 0x7FE00010)):
            found.append(path)
    return found


FILES = _candidates()


def _decode(module, path, **kw):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            ds = module.dcmread(path, force=True)
            if kw:
                ds.pixel_array_options(**kw)
            return ds.pixel_array, [str(w.message) for w in caught]
        except Exception as exc:  # noqa: BLE001
            return exc, [str(w.message) for w in caught]


def test_enough_files():
    assert len(FILES) >= 100


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.rsplit("/", 1)[-1])
def test_same_array_as_pydicom(path):
    ref, _ = _decode(pydicom, path)
    got, _ = _decode(fastdicom, path)
    if isinstance(ref, Exception):
        assert isinstance(got, Exception), f"pydicom raised {ref!r}, fastdicom did not"
        return
    assert not isinstance(got, Exception), got
    assert got.shape == ref.shape
    # byte order included: big endian data has a big endian dtype, as pydicom 3's
    assert got.dtype == ref.dtype
    assert np.array_equal(got, ref)


@pytest.mark.parametrize("path", FILES[::7], ids=lambda p: p.rsplit("/", 1)[-1])
def test_raw_and_frames_from_path(path):
    ref, _ = _decode(pydicom, path, raw=True)
    if isinstance(ref, Exception):
        return
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        got = pixel_array(path, raw=True)
        assert np.array_equal(got, ref)
        ds = pydicom.dcmread(path)
        frames = int(getattr(ds, "NumberOfFrames", 1) or 1)
        if frames > 1 and ref.shape[0] == frames:
            last = pixel_array(path, index=frames - 1, raw=True)
            assert np.array_equal(last, ref[-1])
            for i, frame in enumerate(iter_pixels(path, raw=True)):
                assert np.array_equal(frame, ref[i])
