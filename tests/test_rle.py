"""RLE Lossless (PS3.5 Annex G): fastdicom._rle against pydicom's codec and DCMTK."""

import shutil
import subprocess
import warnings

import numpy as np
import pytest

from fastdicom.pixels import rle
from fastdicom.pixels.frameinfo import FrameInfo

pydicom = pytest.importorskip("pydicom")
from pydicom.pixels.decoders.rle import _rle_decode_frame  # noqa: E402
from pydicom.pixels.encoders.native import _encode_row, _encode_segment  # noqa: E402

CASES = [(8, 1), (8, 3), (16, 1), (16, 3), (32, 1), (32, 3), (64, 1)]


def _frame(bits, samples, rows=7, columns=13, seed=0):
    rng = np.random.default_rng(seed)
    shape = (rows, columns) if samples == 1 else (rows, columns, samples)
    arr = rng.integers(0, 4, size=shape, dtype=np.uint64).astype(f"u{bits // 8}")
    arr[1] = rng.integers(0, 2**min(bits, 63), size=arr[1].shape, dtype=np.uint64).astype(arr.dtype)
    arr[2, :] = 5  # a replicate run across the row
    return arr


@pytest.mark.parametrize("bits,samples", CASES)
def test_round_trip(bits, samples):
    arr = _frame(bits, samples)
    encoded = rle.encode_frame(arr)
    info = FrameInfo(arr.shape[0], arr.shape[1], samples, bits, bits)
    assert np.array_equal(rle.decode_frame(encoded, info), arr)


@pytest.mark.parametrize("bits,samples", CASES)
def test_encoding_matches_pydicom(bits, samples):
    arr = _frame(bits, samples)
    nseg = samples * bits // 8
    src = arr.astype(arr.dtype.newbyteorder("<")).tobytes()
    ours = rle.encode_frame(arr)
    segments = [_encode_segment(src[i::nseg], arr.shape[1]) for i in
                [b + (bits // 8) * s for s in range(samples) for b in reversed(range(bits // 8))]]
    assert ours[64:] == b"".join(segments)


def test_long_runs_and_literals_match_pydicom():
    row = bytes([1] * 300 + list(range(200)) + [7, 7] + [9])
    arr = np.frombuffer(row, dtype=np.uint8).reshape(1, -1)
    assert rle.encode_frame(arr)[64:] == _encode_segment(row, len(row))
    assert rle.encode_frame(arr)[64 : 64 + len(_encode_row(row))] == _encode_row(row)


@pytest.mark.parametrize("bits,samples", CASES)
def test_decoding_matches_pydicom(bits, samples):
    arr = _frame(bits, samples)
    encoded = rle.encode_frame(arr)
    ref = np.frombuffer(
        _rle_decode_frame(encoded, arr.shape[0], arr.shape[1], samples, bits), f"<u{bits // 8}"
    )
    ref = ref.reshape(samples, -1).T.reshape(arr.shape)
    info = FrameInfo(arr.shape[0], arr.shape[1], samples, bits, bits)
    assert np.array_equal(rle.decode_frame(encoded, info), ref)


def test_little_endian_segment_order():
    arr = _frame(16, 1)
    encoded = bytearray(rle.encode_frame(arr))
    info = FrameInfo(arr.shape[0], arr.shape[1], 1, 16, 16)
    swapped = rle.decode_frame(bytes(encoded), info, segment_order="<")
    assert np.array_equal(swapped, arr.byteswap())


def test_bad_headers_raise():
    info = FrameInfo(2, 2, 1, 8, 8)
    with pytest.raises(ValueError, match="64 bytes"):
        rle.decode_frame(b"\x01\x00", info)
    header = (16).to_bytes(4, "little") + bytes(60)
    with pytest.raises(ValueError, match="invalid number of segments"):
        rle.decode_frame(header, info)
    header = (2).to_bytes(4, "little") + bytes(60)
    with pytest.raises(ValueError, match="doesn't match the expected amount"):
        rle.decode_frame(header, info)
    header = (1).to_bytes(4, "little") + (64).to_bytes(4, "little") + bytes(56)
    with pytest.raises(ValueError, match=r"\(2 vs. 4 bytes\)"):
        rle.decode_frame(header + b"\x01\x05\x05", info)


def test_padding_warns():
    info = FrameInfo(1, 2, 1, 8, 8)
    header = (1).to_bytes(4, "little") + (64).to_bytes(4, "little") + bytes(56)
    with pytest.warns(UserWarning, match="non-conformant padding"):
        out = rle.decode_frame(header + b"\xfd\x03", info)
    assert out.tolist() == [[3, 3]]


def test_truncated_and_garbage_never_crash():
    rng = np.random.default_rng(1)
    arr = _frame(16, 3, rows=16, columns=16)
    encoded = rle.encode_frame(arr)
    info = FrameInfo(16, 16, 3, 16, 16)
    for cut in range(0, len(encoded), 17):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            try:
                rle.decode_frame(encoded[:cut], info)
            except ValueError:
                pass
    for _ in range(200):
        noise = bytearray(encoded)
        for pos in rng.integers(0, len(noise), size=8):
            noise[pos] = rng.integers(0, 256)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            try:
                rle.decode_frame(bytes(noise), info)
            except ValueError:
                pass


@pytest.mark.parametrize("bits,samples", [(8, 1), (16, 1), (8, 3), (16, 3)])
def test_dcmtk_decodes_what_we_encode(tmp_path, bits, samples):
    assert shutil.which("dcmdrle"), "DCMTK is a test dependency (.ci/run installs it)"
    from pydicom.dataset import Dataset, FileMetaDataset
    from pydicom.encaps import encapsulate
    from pydicom.uid import ExplicitVRLittleEndian, RLELossless, generate_uid

    frames = [_frame(bits, samples, rows=32, columns=33, seed=s) for s in range(3)]
    ds = Dataset()
    ds.file_meta = FileMetaDataset()
    ds.file_meta.TransferSyntaxUID = RLELossless
    ds.file_meta.MediaStorageSOPClassUID = "1.2.840.10008.5.1.4.1.1.7"
    ds.file_meta.MediaStorageSOPInstanceUID = generate_uid()
    ds.SOPClassUID = ds.file_meta.MediaStorageSOPClassUID
    ds.SOPInstanceUID = ds.file_meta.MediaStorageSOPInstanceUID
    ds.Rows, ds.Columns, ds.SamplesPerPixel = 32, 33, samples
    ds.BitsAllocated = ds.BitsStored = bits
    ds.HighBit = bits - 1
    ds.PixelRepresentation = 0
    ds.NumberOfFrames = 3
    ds.PhotometricInterpretation = "RGB" if samples == 3 else "MONOCHROME2"
    if samples == 3:
        ds.PlanarConfiguration = 0
    ds.PixelData = encapsulate([rle.encode_frame(f) for f in frames])
    ds["PixelData"].VR = "OB"
    src = tmp_path / "rle.dcm"
    out = tmp_path / "raw.dcm"
    ds.save_as(src, enforce_file_format=True)
    subprocess.run(["dcmdrle", str(src), str(out)], check=True, capture_output=True)
    decoded = pydicom.dcmread(out)
    assert decoded.file_meta.TransferSyntaxUID == ExplicitVRLittleEndian
    assert np.array_equal(decoded.pixel_array, np.stack(frames))
