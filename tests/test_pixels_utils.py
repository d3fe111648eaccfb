"""fastdicom.pixels.utils, the buffered encapsulation, ICC profiles and the
deprecated pixel data handlers, against pydicom 3 as the oracle."""

from __future__ import annotations

from io import BytesIO

import numpy as np
import pytest

pydicom = pytest.importorskip("pydicom")
import pydicom.encaps  # noqa: E402
import pydicom.pixels.utils  # noqa: E402
from pydicom.data import get_testdata_file  # noqa: E402

import fastdicom  # noqa: E402
from fastdicom import config, encaps  # noqa: E402
from fastdicom.overlays import numpy_handler as overlay_handler  # noqa: E402
from fastdicom.pixels import utils  # noqa: E402

NATIVE_FILES = [
    "CT_small.dcm",  # 16-bit signed, 1 frame
    "SC_rgb.dcm",  # 8-bit RGB
    "SC_rgb_2frame.dcm",  # 8-bit RGB, 2 frames
    "emri_small.dcm",  # 16-bit, 10 frames
    "liver_1frame.dcm",  # 1-bit
    "SC_ybr_full_422_uncompressed.dcm",  # YBR_FULL_422
    "MR_small_bigendian.dcm",  # big endian
]


@pytest.mark.parametrize("name", NATIVE_FILES)
def test_dataset_functions_match_pydicom(name):
    path = get_testdata_file(name)
    ours, theirs = fastdicom.dcmread(path), pydicom.dcmread(path)
    for unit in ("bytes", "pixels"):
        assert utils.get_expected_length(ours, unit) == pydicom.pixels.utils.get_expected_length(
            theirs, unit
        )
    assert utils.get_nr_frames(ours) == pydicom.pixels.utils.get_nr_frames(theirs)
    assert utils.pixel_dtype(ours) == pydicom.pixels.utils.pixel_dtype(theirs)
    flat = np.arange(utils.get_expected_length(ours, "pixels"))
    np.testing.assert_array_equal(
        utils.reshape_pixel_array(ours, flat), pydicom.pixels.utils.reshape_pixel_array(theirs, flat)
    )


@pytest.mark.parametrize("bits", [8, 16, 32])
def test_expand_ybr422_matches_pydicom(bits):
    src = np.random.default_rng(bits).integers(0, 255, 4 * bits // 8 * 6, dtype=np.uint8).tobytes()
    assert utils.expand_ybr422(src, bits) == pydicom.pixels.utils.expand_ybr422(src, bits)


def test_pack_unpack_bits_round_trip():
    bits = np.random.default_rng(1).integers(0, 2, 77).astype(np.uint8)
    packed = utils.pack_bits(bits)
    assert packed == pydicom.pixels.utils.pack_bits(bits)
    assert len(packed) % 2 == 0
    np.testing.assert_array_equal(utils.unpack_bits(packed)[:77], bits)
    assert utils.unpack_bits(packed, as_array=False) == pydicom.pixels.utils.unpack_bits(
        packed, as_array=False
    )


@pytest.mark.parametrize(
    "name", ["SC_rgb_jpeg_dcmtk.dcm", "SC_rgb_small_odd_jpeg.dcm", "JPEGLSNearLossless_16.dcm"]
)
def test_jpeg_header_parameters_match_pydicom(name):
    ds = pydicom.dcmread(get_testdata_file(name))
    frame = pydicom.encaps.get_frame(ds.PixelData, 0)
    assert utils._get_jpg_parameters(frame) == pydicom.pixels.utils._get_jpg_parameters(frame)


def test_nr_frames_zero_warns():
    ds = fastdicom.Dataset()
    ds.NumberOfFrames = 0
    with pytest.warns(UserWarning, match="non-conformant"):
        assert utils.get_nr_frames(ds) == 1


# -- buffered encapsulation ---------------------------------------------------
FRAMES = [b"\x01\x02\x03" * 7, b"\xaa" * 10, b"\x10\x20\x30"]


@pytest.mark.parametrize("has_bot", [True, False])
def test_encapsulate_buffer_reads_as_encapsulate(has_bot):
    eb = encaps.encapsulate_buffer([BytesIO(f) for f in FRAMES], has_bot=has_bot)
    expected = pydicom.encaps.encapsulate(FRAMES, has_bot=has_bot)
    assert eb.encapsulated_length == len(expected)
    # small reads cross the item boundaries, padding bytes included
    chunks = []
    while chunk := eb.read(5):
        chunks.append(chunk)
    assert b"".join(chunks) == expected
    eb.seek(-3, 2)
    assert eb.read() == expected[-3:]


def test_encapsulate_extended_buffer_matches():
    eb, offsets, lengths = encaps.encapsulate_extended_buffer([BytesIO(f) for f in FRAMES])
    assert (eb.read(None), offsets, lengths) == pydicom.encaps.encapsulate_extended(FRAMES)
    eb.seek(0)
    assert list(encaps.generate_frames(eb, extended_offsets=(offsets, lengths))) == [
        f + b"\x00" * (len(f) % 2) for f in FRAMES
    ]


def test_deprecated_encaps_names_warn():
    data = pydicom.encaps.encapsulate(FRAMES, has_bot=False)
    with pytest.warns(DeprecationWarning, match="defragment_data is deprecated"):
        defragment = encaps.defragment_data
    assert defragment(data) == b"".join(f + b"\x00" * (len(f) % 2) for f in FRAMES)


# -- ICC profiles ---------------------------------------------------------------
def test_apply_icc_profile_matches_pydicom():
    pytest.importorskip("PIL.ImageCms")
    from pydicom.pixels.processing import apply_icc_profile as ref_apply

    from fastdicom.pixels.processing import apply_icc_profile, create_icc_transform

    with open(get_testdata_file("crayons.icc"), "rb") as f:
        profile = f.read()
    arr = np.random.default_rng(2).integers(0, 255, (2, 4, 5, 3), dtype=np.uint8)
    ds, ref_ds = fastdicom.Dataset(), pydicom.Dataset()
    ds.ICCProfile = ref_ds.ICCProfile = profile
    expected = ref_apply(arr.copy(), ref_ds)
    np.testing.assert_array_equal(apply_icc_profile(arr.copy(), ds), expected)
    transform = create_icc_transform(icc_profile=profile)
    np.testing.assert_array_equal(apply_icc_profile(arr[0].copy(), transform=transform), expected[0])
    with pytest.raises(ValueError, match="Only one of 'ds' and 'transform'"):
        apply_icc_profile(arr, ds, transform=transform)


# -- overlays ---------------------------------------------------------------------
def test_overlay_handler_functions():
    elem = {"OverlayRows": 5, "OverlayColumns": 3, "NumberOfFramesInOverlay": 2}
    assert overlay_handler.get_expected_length(elem) == 4
    assert overlay_handler.get_expected_length(elem, "pixels") == 30
    assert overlay_handler.reshape_overlay_array(elem, np.zeros(30)).shape == (2, 5, 3)
    with pytest.raises(ValueError, match="Number of Frames in Overlay"):
        overlay_handler.reshape_overlay_array({**elem, "NumberOfFramesInOverlay": 0}, np.zeros(30))


# -- the deprecated pixel data handlers ------------------------------------------
def test_handler_modules_warn_on_deprecated_names():
    import fastdicom.pixel_data_handlers as pdh
    import fastdicom.pixel_data_handlers.util as pdh_util

    with pytest.warns(DeprecationWarning, match="from fastdicom.pixels import convert_color_space"):
        assert pdh.convert_color_space is fastdicom.pixels.convert_color_space
    with pytest.warns(DeprecationWarning, match="from fastdicom.pixels.utils import pixel_dtype"):
        assert pdh_util.pixel_dtype is utils.pixel_dtype
    with pytest.raises(AttributeError):
        pdh.not_a_name  # noqa: B018


@pytest.mark.parametrize(
    "name",
    ["CT_small.dcm", "SC_rgb_2frame.dcm", "MR_small_bigendian.dcm", "OBXXXX1A_rle.dcm", "SC_rgb_rle_16bit.dcm"],
)
def test_v2_backend_matches_pydicom(name):
    path = get_testdata_file(name)
    ours, theirs = fastdicom.dcmread(path), pydicom.dcmread(path)
    ours.pixel_array_options(use_v2_backend=True)
    theirs.pixel_array_options(use_v2_backend=True)
    expected = theirs.pixel_array
    arr = ours.pixel_array
    assert arr.dtype == expected.dtype
    np.testing.assert_array_equal(arr, expected)


def test_v2_backend_handler_list_and_names():
    ds = fastdicom.dcmread(get_testdata_file("OBXXXX1A_rle.dcm"))
    ds.pixel_array_options(use_v2_backend=True)
    original = config.pixel_data_handlers
    try:
        config.pixel_data_handlers = []
        with pytest.raises(NotImplementedError, match="no pixel data handlers available"):
            ds.pixel_array
    finally:
        config.pixel_data_handlers = original
    with pytest.raises(ValueError, match="'zip' is not a known handler name"):
        ds.decompress(handler_name="zip")
    with pytest.raises(NotImplementedError, match="using the pixel data handler 'numpy'"):
        ds.decompress("numpy")
    ds.decompress("rle", generate_instance_uid=False)
    assert ds.file_meta.TransferSyntaxUID == "1.2.840.10008.1.2.1"
    reference = pydicom.dcmread(get_testdata_file("OBXXXX1A.dcm")).pixel_array
    np.testing.assert_array_equal(ds.pixel_array, reference)


def test_image_pixel_ids_follow_replacements_without_reading_pixels():
    ds = fastdicom.dcmread(get_testdata_file("CT_small.dcm"))
    ids = utils.get_image_pixel_ids(ds)
    assert ids == utils.get_image_pixel_ids(ds)
    # checking identities does not convert (read) the Pixel Data element
    assert 0x7FE00010 not in ds._dict._done
    arr = ds.pixel_array
    assert ds.pixel_array is arr  # cached while nothing changed
    ds.PixelData = ds.PixelData[:]
    assert utils.get_image_pixel_ids(ds) != ids
    assert ds.pixel_array is not arr
    np.testing.assert_array_equal(ds.pixel_array, arr)


@pytest.mark.parametrize(
    "name",
    [
        "JPEG2000.dcm",  # J2K lossy, signed
        "US1_J2KR.dcm",  # J2K lossless YBR_RCT
        "emri_small_jpeg_2k_lossless.dcm",  # 10 frames
        "JPEGLSNearLossless_16.dcm",
        "SC_rgb_jls_lossy_line.dcm",
        "SC_rgb_jpeg_dcmtk.dcm",  # JPEG baseline YBR_FULL, returned unconverted
        "JPEG-LL.dcm",  # JPEG lossless
        "SC_rgb_rle.dcm",
    ],
)
# openjpeg warns about emri_small_jpeg_2k_lossless's Bits Stored, in both libraries
@pytest.mark.filterwarnings("ignore:The \\(0028,0101\\) Bits Stored value:UserWarning")
def test_v2_backend_codec_handlers_match_pydicom(name):
    """The pylibjpeg and JPEG-LS handlers (pydicom's plugins run through
    fastdicom's decoders) give what pydicom's v2 handlers give."""
    pytest.importorskip("pylibjpeg")
    pytest.importorskip("jpeg_ls")
    path = get_testdata_file(name)
    ours, theirs = fastdicom.dcmread(path), pydicom.dcmread(path)
    ours.pixel_array_options(use_v2_backend=True)
    theirs.pixel_array_options(use_v2_backend=True)
    expected = theirs.pixel_array
    arr = ours.pixel_array
    assert arr.dtype == expected.dtype
    np.testing.assert_array_equal(arr, expected)
