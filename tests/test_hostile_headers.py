"""Hostile headers: nothing allocated on a header's word (issue 12).

Rows, Columns, Samples per Pixel, Bits Allocated and Number of Frames are
compared with what the data can fill - the first codestream's own header
(JPEG SOF, JPEG-LS SOF55, JPEG 2000 SIZ, the RLE header) and the number of
fragments for encapsulated data, the length of the value for native data -
before the output array exists, and no decoding allocates more than
``config.max_pixel_allocation``. Each test measures the peak of Python's
traced memory (numpy's buffers included) while the error is raised.
"""

from __future__ import annotations

import tracemalloc
import warnings
from pathlib import Path

import pytest

import fastdicom
from fastdicom import config

pydicom_data = pytest.importorskip("pydicom.data")

PEAK_LIMIT = 32 * 1024 * 1024  # a few copies of the largest test file at most


def _path(name: str) -> str:
    path = pydicom_data.get_testdata_file(name, download=False)
    if path is None:
        pytest.skip(f"{name} is not in pydicom's test data")
    return str(path)


def _peak_of_failure(ds, match: str) -> int:
    """Run ``ds.pixel_array``; it must raise ValueError matching `match`.
    Returns the peak traced memory in bytes."""
    tracemalloc.start()
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            with pytest.raises(ValueError, match=match):
                ds.pixel_array  # noqa: B018
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return peak


CASES = [
    # file, attribute, value, message naming the attribute and the data's value
    ("JPEG2000.dcm", "Rows", 40000, r"'Rows' value of 40000 doesn't match the JPEG 2000 codestream, which has 1024"),
    ("JPEG2000.dcm", "Columns", 40000, r"'Columns' value of 40000 .* JPEG 2000 .* 256"),
    ("JPEG2000.dcm", "NumberOfFrames", 30000, r"'Number of Frames' value of 30000 .* 1 fragment"),
    ("JPEG2000.dcm", "SamplesPerPixel", 3, r"'Samples per Pixel' value of 3 .* which has 1"),
    ("MR_small_jp2klossless.dcm", "Rows", 65535, r"'Rows' value of 65535 .* JPEG 2000 codestream"),
    ("JPEG-LL.dcm", "Columns", 65535, r"'Columns' value of 65535 doesn't match the JPEG codestream"),
    ("JPEG-LL.dcm", "BitsAllocated", 8, r"'Bits Allocated' value of 8 is too small .* precision of 16"),
    ("MR_small_jpeg_ls_lossless.dcm", "Rows", 65535, r"'Rows' .* JPEG-LS codestream, which has 64"),
    ("emri_small_RLE.dcm", "NumberOfFrames", 100000, r"'Number of Frames' value of 100000 .* 10 fragments"),
    ("SC_rgb_rle_2frame.dcm", "BitsAllocated", 32, r"RLE segments .* \(3 vs. 12 segments\)"),
    ("SC_rgb_rle_2frame.dcm", "SamplesPerPixel", 1, r"RLE segments .* \(3 vs. 1 segments\)"),
]


@pytest.mark.parametrize(("name", "keyword", "value", "match"), CASES,
                         ids=[f"{c[0]}-{c[1]}" for c in CASES])
def test_encapsulated_header_checked_before_allocation(name, keyword, value, match, record_property):
    ds = fastdicom.dcmread(_path(name))
    ds.pixel_array  # noqa: B018 - decodes as it is
    ds = fastdicom.dcmread(_path(name))
    setattr(ds, keyword, value)
    if keyword == "SamplesPerPixel":
        ds.PlanarConfiguration = 0
    if keyword == "BitsAllocated":
        ds.BitsStored = min(value, ds.BitsStored)
        ds.HighBit = ds.BitsStored - 1
    peak = _peak_of_failure(ds, match)
    record_property("peak_bytes", peak)
    assert peak < PEAK_LIMIT, f"{name} {keyword}={value}: peak {peak} bytes"


def test_native_header_checked_against_the_data():
    ds = fastdicom.dcmread(_path("CT_small.dcm"))
    ds.NumberOfFrames = 1_000_000
    ds.Rows = ds.Columns = 65535
    peak = _peak_of_failure(ds, r"less than expected \(\d+ vs \d+ bytes\)")
    assert peak < PEAK_LIMIT


def test_ceiling_is_configurable(monkeypatch):
    """Data that could fill the output is still refused above the ceiling,
    with an error naming the setting."""
    ds = fastdicom.dcmread(_path("emri_small_RLE.dcm"))
    expected = ds.pixel_array
    monkeypatch.setattr(config, "max_pixel_allocation", expected.nbytes - 1)
    for name in ("emri_small_RLE.dcm", "CT_small.dcm", "JPEG2000.dcm"):
        ds = fastdicom.dcmread(_path(name))
        if name != "emri_small_RLE.dcm":
            monkeypatch.setattr(config, "max_pixel_allocation", ds.Rows * ds.Columns)
        _peak_of_failure(ds, r"more than fastdicom\.config\.max_pixel_allocation")
    monkeypatch.setattr(config, "max_pixel_allocation", None)
    assert (fastdicom.dcmread(_path("emri_small_RLE.dcm")).pixel_array == expected).all()


def test_jpeg_height_zero_without_dnl_is_refused():
    """A JPEG SOF height of 0 means the height follows in a DNL marker
    (ISO/IEC 10918-1 B.2.5): found by this test, pylibjpeg's libjpeg aborts
    the process on such a stream that has none."""
    data = bytearray(Path(_path("JPEG-LL.dcm")).read_bytes())
    sof = data.index(b"\xff\xc3", data.index(b"\xff\xd8\xff"))
    assert data[sof + 5 : sof + 7] == (1024).to_bytes(2, "big")
    data[sof + 5 : sof + 7] = b"\0\0"
    ds = fastdicom.dcmread(bytes(data))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        # no DNL marker: refused before a codec sees it (libjpeg aborts the
        # process on such a stream)
        with pytest.raises(ValueError, match="height of 0 and no DNL marker"):
            ds.pixel_array  # noqa: B018


def test_truncated_jpeg_ls_is_refused_at_once():
    """Found by tools/fuzz_campaign.py (seeds 1003257, 1009437, ...: cut or
    shortened MR_small_jpeg_ls_lossless.dcm): CharLS spends 10-20 s on a
    64 x 64 codestream that has lost its end before it fails - more on a
    larger image. A JPEG-LS frame without its EOI marker is refused first."""
    import time

    ds = fastdicom.dcmread(_path("MR_small_jpeg_ls_lossless.dcm"))
    start = ds.PixelData.index(b"\xff\xd8\xff\xf7")
    frame = ds.PixelData[start:]
    cut = frame[: len(frame) // 2]
    ds.PixelData = fastdicom.encaps.encapsulate([cut + b"\0" * (len(cut) % 2)])
    began = time.perf_counter()
    with pytest.raises(ValueError, match="JPEG-LS codestream of the frame does not end with an EOI"):
        ds.pixel_array  # noqa: B018
    assert time.perf_counter() - began < 1.0


def test_series_scan_billion_frames_header(tmp_path):
    """Found by tools/fuzz_campaign.py (seed 1026945: JPEG2000.dcm with
    Number of Frames = 10^9 spliced in): series.scan made one Frame object
    per frame claimed, a memory blow-up. The frames are bounded by what the
    data can hold."""
    series = pytest.importorskip("fastdicom.series")
    ds = fastdicom.dcmread(_path("CT_small.dcm"))
    ds.NumberOfFrames = 1_000_000_000
    path = tmp_path / "billion.dcm"
    ds.save_as(path)
    for source in (str(path), fastdicom.dcmread(path)):
        tracemalloc.start()
        try:
            result = series.scan([source])
            _, peak = tracemalloc.get_traced_memory()
        finally:
            tracemalloc.stop()
        assert peak < PEAK_LIMIT, peak
        frames = sum(len(s.frames) for s in result.series) if result.series else 0
        assert frames <= path.stat().st_size * 8 // (128 * 128 * 16) + 1


def test_multivalued_rows_is_a_clear_error():
    """Found by tools/fuzz_campaign.py (seeds 1040967, 1058600): a Rows
    element holding two values reached a comparison as a list (TypeError)."""
    ds = fastdicom.dcmread(_path("CT_small.dcm"))
    ds.Rows = [128, 128]
    with pytest.raises(ValueError, match=r"\(0028,0010\) 'Rows' value of '\[128, 128\]' is invalid"):
        ds.pixel_array  # noqa: B018


def test_dicomdir_record_offsets_broken():
    """Found by tools/fuzz_campaign.py (seed 1080275: a DICOMDIR with a
    spliced item): a record offset that is no record's raised KeyError, and
    one pointing back to its own record would loop for ever."""
    from fastdicom.fileset import FileSet

    path = _path("DICOMDIR")
    ds = fastdicom.dcmread(path)
    first = ds.OffsetOfTheFirstDirectoryRecordOfTheRootDirectoryEntity
    ds.OffsetOfTheFirstDirectoryRecordOfTheRootDirectoryEntity = first + 2
    with pytest.raises(ValueError, match=f"no directory record starts at the record offset {first + 2}"):
        FileSet(ds)
    ds = fastdicom.dcmread(path)
    record = ds.DirectoryRecordSequence[0]
    record.OffsetOfTheNextDirectoryRecord = record.seq_item_tell
    with pytest.raises(ValueError, match="a cycle of records returns"):
        FileSet(ds)
