"""Native pixel data edge cases, each checked against pydicom 3 on the same dataset."""

import warnings

import numpy as np
import pytest

pydicom = pytest.importorskip("pydicom")
from pydicom.data import get_testdata_file  # noqa: E402
from pydicom.dataset import Dataset, FileMetaDataset  # noqa: E402

import fastdicom  # noqa: E402
from fastdicom.pixels import pack_bits, pixel_array, unpack_bits  # noqa: E402

LE, BE = "1.2.840.10008.1.2.1", "1.2.840.10008.1.2.2"


def _file(tmp_path, data, *, rows=3, columns=5, spp=1, ba=16, bs=None, pr=0, frames=None,
          pi=None, pc=0, ts=LE, keyword="PixelData", vr=None):
    ds = Dataset()
    ds.file_meta = FileMetaDataset()
    ds.file_meta.TransferSyntaxUID = ts
    ds.Rows, ds.Columns, ds.SamplesPerPixel, ds.BitsAllocated = rows, columns, spp, ba
    if keyword == "PixelData":
        ds.BitsStored = bs or ba
        ds.PixelRepresentation = pr
    if frames is not None:
        ds.NumberOfFrames = frames
    ds.PhotometricInterpretation = pi or ("RGB" if spp == 3 else "MONOCHROME2")
    if spp == 3:
        ds.PlanarConfiguration = pc
    setattr(ds, keyword, data)
    if vr:
        ds[keyword].VR = vr
    path = tmp_path / "x.dcm"
    ds.save_as(path, implicit_vr=False, little_endian=ts != BE)
    return str(path)


def _both(path, **kw):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        ref = pydicom.dcmread(path, force=True)
        ref.pixel_array_options(**kw)
        ds = fastdicom.dcmread(path, force=True)
        ds.pixel_array_options(**kw)
        return ref.pixel_array, ds.pixel_array


RNG = np.random.default_rng(3)


@pytest.mark.parametrize("ba,bs,pr", [(8, 8, 0), (8, 5, 1), (16, 12, 0), (16, 12, 1), (32, 20, 1), (32, 32, 0)])
@pytest.mark.parametrize("ts", [LE, BE])
def test_mask_and_sign_extend(tmp_path, ba, bs, pr, ts):
    raw = RNG.integers(0, 256, size=2 * 3 * 5 * ba // 8, dtype=np.uint8).tobytes()
    path = _file(tmp_path, raw, ba=ba, bs=bs, pr=pr, frames=2, ts=ts, vr="OB" if ba == 8 else "OW")
    ref, got = _both(path)
    # pydicom 3 gives big endian data a big endian dtype: so does fastdicom
    assert got.dtype == ref.dtype and np.array_equal(ref, got)
    assert np.array_equal(pixel_array(path, index=1), ref[1])


@pytest.mark.parametrize("pc", [0, 1])
@pytest.mark.parametrize("ba", [8, 16])
def test_rgb_planar(tmp_path, pc, ba):
    raw = RNG.integers(0, 256, size=4 * 3 * 5 * 3 * ba // 8, dtype=np.uint8).tobytes()
    path = _file(tmp_path, raw, spp=3, ba=ba, pc=pc, frames=4)
    ref, got = _both(path)
    assert np.array_equal(ref, got)
    assert np.array_equal(pixel_array(path, index=2), ref[2])


@pytest.mark.parametrize("pi", ["YBR_FULL", "YBR_FULL_422"])
@pytest.mark.parametrize("raw", [False, True])
def test_ybr(tmp_path, pi, raw):
    n = 4 * 6 * 3 * (2 if pi == "YBR_FULL" else 1) // (1 if pi == "YBR_FULL" else 1)
    n = 4 * 6 * 3 if pi == "YBR_FULL" else 4 * 6 * 2
    data = RNG.integers(0, 256, size=n, dtype=np.uint8).tobytes()
    path = _file(tmp_path, data, rows=4, columns=6, spp=3, ba=8, pi=pi)
    ref, got = _both(path, raw=raw)
    assert np.array_equal(ref, got)


@pytest.mark.parametrize("rows,columns,frames", [(3, 5, 3), (4, 4, 2), (7, 3, 5)])
def test_one_bit_frames_mid_byte(tmp_path, rows, columns, frames):
    bits = RNG.integers(0, 2, size=rows * columns * frames, dtype=np.uint8)
    path = _file(tmp_path, pack_bits(bits), rows=rows, columns=columns, ba=1, frames=frames)
    ref, got = _both(path)
    assert np.array_equal(ref, got)
    for i in range(frames):
        assert np.array_equal(pixel_array(path, index=i), ref[i])
    assert np.array_equal(unpack_bits(pack_bits(bits))[: bits.size], bits)


@pytest.mark.parametrize("keyword,ba,dtype", [("FloatPixelData", 32, "<f4"), ("DoubleFloatPixelData", 64, "<f8")])
@pytest.mark.parametrize("ts", [LE, BE])
def test_float(tmp_path, keyword, ba, dtype, ts):
    arr = RNG.standard_normal((2, 3, 5)).astype(dtype)
    data = arr.astype(dtype.replace("<", ">") if ts == BE else dtype).tobytes()
    path = _file(tmp_path, data, ba=ba, frames=2, keyword=keyword, ts=ts)
    ref, got = _both(path)
    # the transfer syntax's byte order, as pydicom 3 gives it
    want = np.dtype(dtype.replace("<", ">") if ts == BE else dtype)
    assert got.dtype == want == ref.dtype and np.array_equal(ref, got) and np.array_equal(got, arr)


def test_odd_length_and_padding(tmp_path):
    path = _file(tmp_path, bytes(range(15)) + b"\x00", rows=3, columns=5, ba=8, vr="OB")
    ref, got = _both(path)
    assert np.array_equal(ref, got)
    path = _file(tmp_path, bytes(range(15)) + bytes(9), rows=3, columns=5, ba=8, vr="OB")
    ds = fastdicom.dcmread(path, force=True)
    with pytest.warns(UserWarning, match="excess padding"):
        assert np.array_equal(ds.pixel_array, np.arange(15, dtype=np.uint8).reshape(3, 5))


@pytest.mark.parametrize("frames", [None, 1])
def test_number_of_frames_absent_or_one(tmp_path, frames):
    path = _file(tmp_path, bytes(30), frames=frames)
    assert fastdicom.dcmread(path, force=True).pixel_array.shape == (3, 5)


def test_short_data_and_huge_frame_count(tmp_path):
    path = _file(tmp_path, bytes(20))
    with pytest.raises(ValueError, match="less than expected"):
        fastdicom.dcmread(path, force=True).pixel_array
    path = _file(tmp_path, bytes(30), frames=1_000_000_000)
    with pytest.raises(ValueError, match="less than expected"):
        fastdicom.dcmread(path, force=True).pixel_array
    with pytest.raises(ValueError, match="bytes"):
        pixel_array(path)
    with pytest.raises(ValueError, match="insufficient pixel data"):
        pixel_array(path, index=5)


@pytest.mark.parametrize("name,value,match", [
    ("BitsAllocated", 12, "Bits Allocated"), ("BitsStored", 20, "Bits Stored"),
    ("SamplesPerPixel", 2, "Samples per Pixel"), ("PixelRepresentation", 2, "Pixel Representation"),
    ("PhotometricInterpretation", "FOO", "Photometric"),
])
def test_inconsistent_attributes(tmp_path, name, value, match):
    path = _file(tmp_path, bytes(30))
    ds = fastdicom.dcmread(path, force=True)
    setattr(ds, name, value)
    with pytest.raises(ValueError, match=match):
        ds.pixel_array


def test_cache_follows_changes(tmp_path):
    path = _file(tmp_path, bytes(range(30)), ba=8, frames=2, rows=3, columns=5, vr="OB")
    ds = fastdicom.dcmread(path, force=True)
    first = ds.pixel_array
    assert ds.pixel_array is first
    ds.NumberOfFrames = 1
    with pytest.warns(UserWarning, match="excess"):
        assert ds.pixel_array.shape in ((3, 5), (2, 3, 5))
    ds.PixelData = bytes(15) + b"\x00"
    assert not ds.pixel_array.any()


def _bare_dataset_bytes(name: str) -> tuple[bytes, "pydicom.Dataset"]:
    """`name`'s dataset without preamble and File Meta, in its own encoding (written by pydicom)."""
    from pydicom.filebase import DicomBytesIO
    from pydicom.filewriter import write_dataset

    ref = pydicom.dcmread(get_testdata_file(name))
    fp = DicomBytesIO()
    fp.is_implicit_VR, fp.is_little_endian = ref.original_encoding
    write_dataset(fp, ref)
    return fp.getvalue(), ref


@pytest.mark.parametrize("name", ["CT_small.dcm", "MR_small_bigendian.dcm", "MR_small_implicit.dcm"])
def test_a_bare_dataset_decodes_with_the_encoding_it_was_read_in(name):
    """No File Meta: native pixels decode with the syntax of the encoding the reader found."""
    data, ref = _bare_dataset_bytes(name)
    bare = fastdicom.dcmread(data)
    assert "TransferSyntaxUID" not in bare.file_meta
    arr = bare.pixel_array
    assert arr.dtype == ref.pixel_array.dtype
    assert np.array_equal(arr, ref.pixel_array)


def test_a_bare_dataset_with_compressed_pixels_says_what_is_missing():
    data, _ = _bare_dataset_bytes("SC_rgb_rle.dcm")
    with pytest.raises(AttributeError, match="does not say which compression"):
        fastdicom.dcmread(data).pixel_array


def test_a_dataset_built_in_memory_still_needs_a_transfer_syntax():
    ds = fastdicom.dcmread(get_testdata_file("CT_small.dcm"))
    in_memory = fastdicom.Dataset(ds)  # no File Meta, no encoding read from data
    with pytest.raises(AttributeError, match="has no \\(0002,0010\\) 'Transfer Syntax UID'"):
        in_memory.pixel_array


def test_a_deleted_transfer_syntax_is_not_guessed():
    """Only an encoding the reader had to guess is used; a removed syntax stays an error (pydicom)."""
    ds = fastdicom.dcmread(get_testdata_file("CT_small.dcm"))
    del ds.file_meta.TransferSyntaxUID
    with pytest.raises(AttributeError, match="has no \\(0002,0010\\) 'Transfer Syntax UID'"):
        ds.pixel_array
