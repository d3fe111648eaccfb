"""Codec decoders against pydicom 3 (with its pylibjpeg/pyjpegls plugins)."""

from __future__ import annotations

import warnings

import numpy as np
import pytest

pydicom = pytest.importorskip("pydicom")
pytest.importorskip("imagecodecs")
from pydicom.data import get_testdata_file, get_testdata_files  # noqa: E402
from pydicom.encaps import generate_frames  # noqa: E402

from fastdicom.encaps import encapsulate  # noqa: E402
from fastdicom.pixels import decoders  # noqa: E402
from fastdicom.pixels.decoders import Decoder, decode_frame, get_decoder  # noqa: E402
from fastdicom.pixels.decoders import imagecodecs as imagecodecs_plugin  # noqa: E402
from fastdicom.pixels.decoders import pyjpegls as pyjpegls_plugin  # noqa: E402
from fastdicom.pixels.decoders import pylibjpeg as pylibjpeg_plugin  # noqa: E402
from fastdicom.pixels.frameinfo import FrameInfo  # noqa: E402

RLE = "1.2.840.10008.1.2.5"
# the decoders with codec plugins (RLE Lossless is fastdicom's own)
CODEC_SYNTAXES = {uid for uid in decoders.available_decoders() if uid != RLE}

LOSSY = {"1.2.840.10008.1.2.4.50", "1.2.840.10008.1.2.4.51", "1.2.840.10008.1.2.4.81",
         "1.2.840.10008.1.2.4.91", "1.2.840.10008.1.2.4.203"}


def _info(ds) -> FrameInfo:
    nf = ds.get("NumberOfFrames", 1)
    return FrameInfo(
        rows=ds.Rows, columns=ds.Columns, samples_per_pixel=ds.SamplesPerPixel,
        bits_allocated=ds.BitsAllocated, bits_stored=ds.BitsStored,
        pixel_representation=ds.PixelRepresentation,
        photometric_interpretation=ds.PhotometricInterpretation,
        planar_configuration=ds.get("PlanarConfiguration", 0) or 0,
        number_of_frames=int(nf) if nf else 1,
        transfer_syntax_uid=str(ds.file_meta.TransferSyntaxUID),
    )


def _compressed_files() -> list[str]:
    out = []
    for path in sorted(set(get_testdata_files())):
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                ds = pydicom.dcmread(path, stop_before_pixels=True)
            ts = str(ds.file_meta.TransferSyntaxUID)
        except Exception:
            continue
        # the file that ends inside its Pixel Data is an encapsulation case (pipeline)
        if ts in CODEC_SYNTAXES and "Rows" in ds and "too_short" not in path:
            out.append(path)
    return out


FILES = _compressed_files()


def _pydicom_and_ours(path, backend=None):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        ds = pydicom.dcmread(path)
        info = _info(ds)
        frames = list(generate_frames(ds.PixelData, number_of_frames=info.number_of_frames))
        if backend:
            # the same plugin on pydicom's side (gdcm or pillow may come first there)
            ds.pixel_array_options(decoding_plugin=backend)
        try:
            ref = ds.pixel_array
        except Exception:
            ref = None
        ours = [decode_frame(info.transfer_syntax_uid, f, info, backend)
                for f in frames[: info.number_of_frames]]
    arr = np.stack(ours) if info.number_of_frames > 1 else ours[0]
    return info, ref, arr


def test_corpus_is_found():
    assert len(FILES) >= 40


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.rsplit("/", 1)[-1])
def test_decode_matches_pydicom(path):
    name = path.rsplit("/", 1)[-1]
    if name == "JPEG2000-embedded-sequence-delimiter.dcm":
        # the fragment is cut by a delimiter inside the codestream: both fail
        # (pydicom: every plugin failed; fastdicom: the SIZ marker's image
        # size, read before allocating, is not the dataset's Columns)
        with pytest.raises(ValueError, match="'Columns' value of 256 doesn't match the JPEG 2000"):
            _pydicom_and_ours(path)
        return
    info, ref, arr = _pydicom_and_ours(path)
    if ref is None:
        # JPEG-lossy.dcm: libjpeg (pydicom) refuses its SOS; libjpeg-turbo decodes it
        assert name == "JPEG-lossy.dcm"
        assert arr.shape == (info.rows, info.columns)
        return
    assert arr.shape == ref.shape and arr.dtype == ref.dtype
    if info.transfer_syntax_uid in LOSSY:
        diff = arr.astype(np.float64) - ref
        peak = 255.0 if arr.dtype.itemsize == 1 else float(max(np.ptp(ref), 1))
        mse = float(np.mean(diff * diff))
        assert mse == 0 or 10 * np.log10(peak**2 / mse) >= 40
    else:
        np.testing.assert_array_equal(arr, ref)


@pytest.mark.parametrize("name", ["SC_rgb_jpeg_dcmtk.dcm", "JPEG2000.dcm", "emri_small_jpeg_ls_lossless.dcm",
                                  "JPGLosslessP14SV1_1s_1f_8b.dcm", "J2K_pixelrep_mismatch.dcm",
                                  "GDCMJ2K_TextGBR.dcm", "SC_rgb_jpeg_lossy_gdcm.dcm"])
def test_pydicom_plugin_backends_are_exact(name):
    path = get_testdata_file(name)
    _, ref, arr = _pydicom_and_ours(path, backend="pylibjpeg")
    np.testing.assert_array_equal(arr, ref)


def test_missing_codec_names_package(monkeypatch):
    for module in (imagecodecs_plugin, pyjpegls_plugin, pylibjpeg_plugin):
        monkeypatch.setattr(module, "is_available", lambda uid: False)
    jls = Decoder("1.2.840.10008.1.2.4.80")
    jls.add_plugins([
        ("imagecodecs", ("fastdicom.pixels.decoders.imagecodecs", "_decode_frame")),
        ("pyjpegls", ("fastdicom.pixels.decoders.pyjpegls", "_decode_frame")),
    ])
    assert not jls.is_available
    with pytest.raises(RuntimeError, match="imagecodecs - requires imagecodecs\n\tpyjpegls - requires pyjpegls"):
        jls.as_array(b"", rows=1, columns=1)
    j2k = Decoder("1.2.840.10008.1.2.4.90")
    j2k.add_plugin("pylibjpeg", ("fastdicom.pixels.decoders.pylibjpeg", "_decode_frame"))
    with pytest.raises(RuntimeError, match="pylibjpeg-openjpeg"):
        j2k.as_array(b"", rows=1, columns=1)


def test_unknown_and_rle_syntax():
    assert next(iter(get_decoder(RLE)._available)) == "pydicom"  # tried first
    with pytest.raises(NotImplementedError, match="No pixel data decoders"):
        get_decoder("1.2.3.4")


def test_third_party_plugin_registers(tmp_path, monkeypatch):
    """A decoding plugin module written for pydicom's Decoder works unchanged."""
    (tmp_path / "my_jls_plugin.py").write_text(
        "DECODER_DEPENDENCIES = {'1.2.840.10008.1.2.4.80': ('numpy',)}\n"
        "def is_available(uid):\n"
        "    return uid in DECODER_DEPENDENCIES\n"
        "def decode(src, runner):\n"
        "    return bytes(runner.rows * runner.columns * runner.bits_allocated // 8)\n"
    )
    monkeypatch.syspath_prepend(str(tmp_path))
    decoder = get_decoder("1.2.840.10008.1.2.4.80")
    info, frame = _frame("emri_small_jpeg_ls_lossless.dcm")
    decoder.add_plugin("mine", ("my_jls_plugin", "decode"))
    try:
        assert "mine" in decoder.available_plugins
        opts = {k: v for k, v in info.as_dict().items() if k != "transfer_syntax_uid"}
        opts.update(number_of_frames=1, pixel_keyword="PixelData")
        arr, _ = decoder.as_array(encapsulate([frame]), decoding_plugin="mine", validate=False, **opts)
        assert arr.shape == info.shape and not arr.any()
        with pytest.raises(ValueError, match="already has a plugin named 'mine'"):
            decoder.add_plugin("mine", ("my_jls_plugin", "decode"))
    finally:
        decoder.remove_plugin("mine")
    assert "mine" not in decoder.available_plugins


def _frame(name):
    ds = pydicom.dcmread(get_testdata_file(name))
    info = _info(ds)
    return info, next(generate_frames(ds.PixelData, number_of_frames=info.number_of_frames))


@pytest.mark.parametrize("name", ["SC_rgb_jpeg_dcmtk.dcm", "MR_small_jp2klossless.dcm",
                                  "emri_small_jpeg_ls_lossless.dcm", "JPGLosslessP14SV1_1s_1f_8b.dcm"])
def test_corrupt_codestreams_raise_clear_errors(name):
    info, frame = _frame(name)
    uid = info.transfer_syntax_uid
    bad_inputs = [b"", b"\x00" * 64, frame[: len(frame) // 3], frame[:40]]
    rng = np.random.default_rng(1)
    for _ in range(20):
        buf = bytearray(frame)
        pos = rng.integers(0, len(buf), 8)
        for p in pos:
            buf[p] ^= 0xFF
        bad_inputs.append(bytes(buf))
    for bad in bad_inputs:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            try:
                arr = decode_frame(uid, bad, info)
            except (RuntimeError, ValueError) as exc:
                assert str(exc)
            else:
                assert arr.shape == info.shape


def test_not_a_codestream_message():
    info = FrameInfo(8, 8, transfer_syntax_uid="1.2.840.10008.1.2.4.90")
    with pytest.raises(RuntimeError, match="not a JPEG 2000 codestream"):
        decode_frame(info.transfer_syntax_uid, b"\x00" * 32, info)
    info = FrameInfo(8, 8, transfer_syntax_uid="1.2.840.10008.1.2.4.50")
    with pytest.raises(RuntimeError, match="not a JPEG codestream"):
        decode_frame(info.transfer_syntax_uid, b"\x00" * 32, info)


def test_wrong_dimensions_error():
    info, frame = _frame("MR_small_jp2klossless.dcm")
    wrong = FrameInfo(info.rows + 1, info.columns, bits_allocated=16, bits_stored=16,
                      pixel_representation=1, transfer_syntax_uid=info.transfer_syntax_uid)
    # the SIZ marker is read before the output is allocated (issue 12)
    with pytest.raises(ValueError, match="'Rows' value of 65 doesn't match the JPEG 2000 codestream"):
        decode_frame(info.transfer_syntax_uid, frame, wrong)


def test_ybr_processing_follows_as_rgb():
    """The codec plugins leave YBR as it is: the decoder converts it unless
    raw=True or as_rgb=False, and the properties say which."""
    info, frame = _frame("SC_rgb_jpeg_dcmtk.dcm")
    decoder = get_decoder(info.transfer_syntax_uid)
    opts = {k: v for k, v in info.as_dict().items() if k != "transfer_syntax_uid"}
    opts.update(number_of_frames=1, pixel_keyword="PixelData")
    src = encapsulate([frame])
    rgb, props = decoder.as_array(src, validate=False, **opts)
    assert props["photometric_interpretation"] == "RGB"
    ybr, props = decoder.as_array(src, validate=False, as_rgb=False, **opts)
    assert props["photometric_interpretation"] == info.photometric_interpretation
    assert not np.array_equal(rgb, ybr)
    from fastdicom.pixels.processing import convert_color_space

    assert np.array_equal(convert_color_space(ybr, "YBR_FULL", "RGB"), rgb)
