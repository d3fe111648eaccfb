"""The Decoder/Encoder plugin framework over fastdicom's kernels, against
pydicom 3 (the oracle) where it has the same function."""

from __future__ import annotations

import io
import warnings

import numpy as np
import pytest

import fastdicom
from fastdicom.encaps import encapsulate
from fastdicom.pixels.common import PhotometricInterpretation, RunnerBase
from fastdicom.pixels.decoders import ExplicitVRBigEndianDecoder, RLELosslessDecoder, get_decoder
from fastdicom.pixels.decoders.rle import _rle_decode_frame, _rle_decode_segment
from fastdicom.pixels.encoders import RLELosslessEncoder, get_encoder
from fastdicom.pixels.encoders.native import _encode_row, _encode_segment, encode_rle_frame

pydicom = pytest.importorskip("pydicom")
import pydicom.pixels.encoders.base  # noqa: E402
from pydicom.data import get_testdata_file  # noqa: E402
from pydicom.pixels.decoders.rle import _rle_decode_segment as pydicom_decode_segment  # noqa: E402
from pydicom.pixels.encoders.native import _encode_frame as pydicom_encode_frame  # noqa: E402
from pydicom.pixels.encoders.native import _encode_row as pydicom_encode_row  # noqa: E402

RLE = "1.2.840.10008.1.2.5"
EXPLICIT_LE = "1.2.840.10008.1.2.1"


def _opts(rows, columns, samples=1, bits=8, **extra):
    opts = dict(
        rows=rows, columns=columns, samples_per_pixel=samples, bits_allocated=bits,
        bits_stored=bits, pixel_representation=0, number_of_frames=1,
        photometric_interpretation="MONOCHROME2" if samples == 1 else "RGB",
        planar_configuration=0, pixel_keyword="PixelData",
    )
    opts.update(extra)
    return opts


def test_one_registry():
    """The pipeline, get_decoder and the module instances are the same objects."""
    assert get_decoder(RLE) is RLELosslessDecoder
    assert get_decoder("1.2.840.10008.1.2.2") is ExplicitVRBigEndianDecoder
    assert RLELosslessDecoder.available_plugins[0] == "pydicom"
    assert get_encoder(RLE) is RLELosslessEncoder
    with pytest.raises(NotImplementedError, match="No pixel data decoders"):
        get_decoder("1.2.840.10008.1.2.4.100")


def test_runner_options():
    runner = RunnerBase(EXPLICIT_LE)
    runner.set_option("photometric_interpretation", "PALETTE COLOR")
    assert runner.photometric_interpretation is PhotometricInterpretation.PALETTE_COLOR
    with pytest.warns(UserWarning, match="assuming 1 frame"):
        runner.set_option("number_of_frames", 0)
    assert runner.number_of_frames == 1
    runner.set_options(rows=3, columns=5, samples_per_pixel=1, bits_allocated=1)
    assert runner.frame_length() == 15 / 8
    with pytest.raises(ValueError, match="not allowed"):
        runner.del_option("transfer_syntax_uid")


@pytest.mark.parametrize("planar", [0, 1])
@pytest.mark.parametrize("bits,stored,signed", [(8, 8, 0), (16, 12, 1), (32, 20, 0)])
def test_native_kernel_path(planar, bits, stored, signed):
    """Masking, sign extension and de-planarizing done by ``_pixels`` match
    numpy's arithmetic on the same bytes."""
    rng = np.random.default_rng(bits + planar)
    raw = rng.integers(0, 256, 2 * 4 * 5 * 3 * bits // 8, dtype=np.uint8).tobytes()
    opts = _opts(4, 5, 3, bits, bits_stored=stored, pixel_representation=signed,
                 planar_configuration=planar, number_of_frames=2)
    arr, props = get_decoder(EXPLICIT_LE).as_array(raw, raw=True, **opts)
    want = np.frombuffer(raw, dtype=f"<{'ui'[signed]}{bits // 8}").copy()
    shift = bits - stored
    want = (want << shift) >> shift if shift else want
    want = want.reshape(2, 3, 4, 5).transpose(0, 2, 3, 1) if planar else want.reshape(2, 4, 5, 3)
    assert np.array_equal(arr, want)
    assert arr.flags.writeable and props["planar_configuration"] == 0


def test_view_only_is_a_view():
    data = bytes(range(30))
    arr, _ = get_decoder(EXPLICIT_LE).as_array(data, view_only=True, **_opts(5, 6))
    assert not arr.flags.writeable and arr.base is not None
    arr, _ = get_decoder(EXPLICIT_LE).as_array(bytearray(data), view_only=True, **_opts(5, 6))
    assert arr.flags.writeable


def test_file_like_reads_one_frame():
    data = bytes(range(60))
    fp = io.BytesIO(b"\xff" * 4 + data)
    fp.seek(4)
    arr, _ = get_decoder(EXPLICIT_LE).as_array(fp, index=1, **_opts(5, 6, number_of_frames=2))
    assert np.array_equal(arr.ravel(), np.arange(30, 60, dtype=np.uint8))
    assert fp.tell() == 4


def test_buffer_from_file_checks_options_not_length():
    short = bytes(10)
    with pytest.raises(ValueError, match="less than expected"):
        get_decoder(EXPLICIT_LE).as_array(short, **_opts(5, 6))
    with pytest.raises(ValueError, match="holds 10 bytes, 30 are needed"):
        get_decoder(EXPLICIT_LE).as_array(short, buffer_from_file=True, **_opts(5, 6))
    with pytest.raises(AttributeError, match="Bits Allocated"):
        get_decoder(EXPLICIT_LE).as_array(short, buffer_from_file=True, rows=5, columns=6)


def test_rle_segments_match_pydicom():
    rng = np.random.default_rng(5)
    for n in (1, 2, 127, 128, 129, 300):
        for high in (2, 4, 256):
            row = rng.integers(0, high, n, dtype=np.uint8).tobytes()
            encoded = _encode_row(row)
            assert encoded == pydicom_encode_row(row)
            assert _rle_decode_segment(encoded) == pydicom_decode_segment(encoded) == bytearray(row)
    # truncated runs are cut short, as pydicom's decoder does
    assert _rle_decode_segment(b"\x05\x01\x02") == pydicom_decode_segment(b"\x05\x01\x02")
    assert _rle_decode_segment(b"\xfe") == bytearray()


def test_rle_frame_planes():
    """The RLE plugin gives planar configuration 1 bytes, as pydicom's."""
    arr = np.arange(2 * 3 * 3, dtype="<u2").reshape(2, 3, 3) * 300
    frame = encode_rle_frame(arr.tobytes(), 2, 3, 3, 2)
    planes = _rle_decode_frame(frame, 2, 3, 3, 16)
    assert bytes(planes) == np.ascontiguousarray(arr.transpose(2, 0, 1)).tobytes()
    decoded, props = RLELosslessDecoder.as_array(encapsulate([frame]), **_opts(2, 3, 3, 16))
    assert np.array_equal(decoded, arr) and props["planar_configuration"] == 0


@pytest.mark.parametrize("columns", [3, 50, 301])
def test_rle_worst_case_rows_encode(columns):
    """Rows of single bytes between runs of exactly two encode to 4/3 of
    their length: the kernel's buffer is sized for that worst case, and the
    output is pydicom's."""
    row = bytes(([0, 1, 1] * columns)[:columns])
    frame = row * 4
    ours = encode_rle_frame(frame, 4, columns, 1, 1)

    runner = pydicom.pixels.encoders.base.EncodeRunner(pydicom.uid.RLELossless)
    runner.set_options(rows=4, columns=columns, samples_per_pixel=1, bits_allocated=8)
    assert ours == pydicom_encode_frame(frame, runner)
    assert bytes(_rle_decode_frame(ours, 4, columns, 1, 8)) == frame
    assert _encode_segment(frame, columns) == bytearray(ours[64:])


def test_compress_rle_matches_pydicom():
    path = get_testdata_file("SC_rgb_16bit.dcm")
    ours = fastdicom.dcmread(path)
    ref = pydicom.dcmread(path)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        ref.compress(RLE, encoding_plugin="pydicom", generate_instance_uid=False)
    ours.compress(RLE, encoding_plugin="pydicom", generate_instance_uid=False)
    assert ours.PixelData == ref.PixelData
    assert np.array_equal(ours.pixel_array, ref.pixel_array)
