"""dcmread's options and inputs, against pydicom where pydicom has them."""

import io
import pathlib
import struct
import warnings
from concurrent.futures import ThreadPoolExecutor

import pydicom
import pytest
from pydicom.data import get_testdata_file

import fastdicom
from fastdicom.errors import DicomParseError, DicomTruncatedError, InvalidDicomError
from fastdicom.filereader import read_file_meta_info, size_in_bytes

from differential import first_difference

CT = get_testdata_file("CT_small.dcm")
RTPLAN = get_testdata_file("rtplan.dcm")
DEFLATED = get_testdata_file("image_dfl.dcm")
BIG_ENDIAN = get_testdata_file("MR_small_bigendian.dcm")
JPEG2000 = get_testdata_file("JPEG2000.dcm")


def _pydicom(path, **kwargs):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return pydicom.dcmread(path, **kwargs)


@pytest.mark.parametrize("path", [CT, RTPLAN, DEFLATED, BIG_ENDIAN, JPEG2000])
def test_every_kind_of_input_reads_the_same(path):
    expected = fastdicom.dcmread(path)
    data = pathlib.Path(path).read_bytes()
    inputs = [
        pathlib.Path(path),
        data,
        bytearray(data),
        memoryview(data),
        io.BytesIO(data),
    ]
    with open(path, "rb") as handle:
        inputs.append(handle)
        for source in inputs:
            ds = fastdicom.dcmread(source)
            assert first_difference(ds, expected) is None, type(source)
            assert str(ds) == str(expected)


def test_file_like_keeps_its_name_and_path_gives_timestamp():
    with open(CT, "rb") as handle:
        ds = fastdicom.dcmread(handle)
    assert ds.filename == CT
    ds = fastdicom.dcmread(CT)
    assert ds.filename == CT and ds.timestamp == pathlib.Path(CT).stat().st_mtime
    from_bytes = fastdicom.dcmread(pathlib.Path(CT).read_bytes())
    assert from_bytes.filename is None and from_bytes.buffer is not None


@pytest.mark.parametrize("path", [CT, RTPLAN, BIG_ENDIAN, JPEG2000, DEFLATED])
def test_stop_before_pixels_as_pydicom(path):
    ours = fastdicom.dcmread(path, stop_before_pixels=True)
    theirs = _pydicom(path, stop_before_pixels=True)
    assert 0x7FE00010 not in ours
    assert first_difference(ours, theirs) is None
    assert str(ours) == str(theirs)


def test_header_only_read_keeps_only_the_header(tmp_path):
    ds = fastdicom.dcmread(CT, stop_before_pixels=True)
    data = pathlib.Path(CT).read_bytes()
    pixel_header = data.index(struct.pack("<HH", 0x7FE0, 0x0010) + b"OW")
    assert len(ds._dict._source.view) == pixel_header < len(data)


def test_header_longer_than_the_first_read(tmp_path):
    # A private OB value of 100 KB before the pixel data: the header-only read
    # must read on until it meets Pixel Data, and keep only the header.
    source = fastdicom.dcmread(CT)
    blob = bytes(range(256)) * 400
    data = pathlib.Path(CT).read_bytes()
    pixel_header = data.index(struct.pack("<HH", 0x7FE0, 0x0010) + b"OW")
    private = (
        struct.pack("<HH2sH", 0x0029, 0x0010, b"LO", 4) + b"TEST"
        + struct.pack("<HH2sHL", 0x0029, 0x1010, b"OB", 0, len(blob)) + blob
    )
    path = tmp_path / "long_header.dcm"
    path.write_bytes(data[:pixel_header] + private + data[pixel_header:])
    ds = fastdicom.dcmread(path, stop_before_pixels=True)
    assert 0x7FE00010 not in ds
    assert ds[0x00291010].value == blob
    assert ds.PatientName == source.PatientName
    assert len(ds._dict._source.view) == pixel_header + len(private)
    full = fastdicom.dcmread(path)
    assert full.PixelData == source.PixelData


@pytest.mark.parametrize(
    "tags", [["PatientName"], [0x00100020, (0x0028, 0x0010)], ["ImagePositionPatient", "Rows"]]
)
def test_specific_tags_as_pydicom(tags):
    ours = fastdicom.dcmread(CT, specific_tags=tags)
    theirs = _pydicom(CT, specific_tags=tags)
    assert [e.tag for e in ours] == [e.tag for e in theirs]
    assert first_difference(ours, theirs) is None
    assert 0x00080005 in ours  # Specific Character Set always comes along


@pytest.mark.parametrize("size", [100, "1 KB", 2048.0])
def test_defer_size_from_a_path_rereads_values(size, tmp_path):
    path = tmp_path / "ct.dcm"
    path.write_bytes(pathlib.Path(CT).read_bytes())
    ds = fastdicom.dcmread(path, defer_size=size)
    raw = ds.get_item(0x7FE00010, keep_deferred=True)
    assert raw.value is None  # left unread
    assert ds.PixelData == _pydicom(CT).PixelData
    assert str(ds) == str(_pydicom(CT))


def test_defer_size_warns_when_the_file_changed(tmp_path):
    path = tmp_path / "ct.dcm"
    path.write_bytes(pathlib.Path(CT).read_bytes())
    ds = fastdicom.dcmread(path, defer_size=1000)
    ds.timestamp -= 10
    with pytest.warns(UserWarning, match="modification time has changed"):
        assert len(ds.PixelData) == 32768


def test_defer_size_of_an_undefined_length_value(tmp_path):
    path = tmp_path / "j2k.dcm"
    path.write_bytes(pathlib.Path(JPEG2000).read_bytes())
    ds = fastdicom.dcmread(path, defer_size=64)
    assert ds.PixelData == _pydicom(JPEG2000).PixelData


def test_size_in_bytes():
    assert size_in_bytes(None) is None
    assert size_in_bytes(float("inf")) is None
    assert size_in_bytes(512) == 512
    assert size_in_bytes("512") == 512
    assert size_in_bytes("2 KB") == 2000
    assert size_in_bytes("1.5mb") == 1_500_000
    with pytest.raises(ValueError):
        size_in_bytes("lots")


def test_not_dicom_raises_invalid_dicom_error_naming_the_file(tmp_path):
    path = tmp_path / "notes.txt"
    path.write_bytes(b"these are not the bytes you are looking for" * 10)
    with pytest.raises(InvalidDicomError, match="notes.txt"):
        fastdicom.dcmread(path)
    with pytest.raises(InvalidDicomError):
        fastdicom.dcmread(b"")


def test_bare_datasets_are_recognised_as_dcmtk_does():
    # No preamble, no File Meta: pydicom wants force=True, DCMTK and
    # fastdicom look at the first element.
    for name in ("ExplVR_LitEndNoMeta.dcm", "ExplVR_BigEndNoMeta.dcm", "rtstruct.dcm"):
        path = get_testdata_file(name)
        with pytest.raises(pydicom.errors.InvalidDicomError):
            pydicom.dcmread(path)
        ours = fastdicom.dcmread(path)
        assert first_difference(ours, _pydicom(path, force=True)) is None
    with pytest.raises(InvalidDicomError):  # a stray first byte: not a dataset
        fastdicom.dcmread(get_testdata_file("no_meta.dcm"))


def test_truncated_last_value_warns_and_raises_in_strict_mode():
    path = get_testdata_file("rtplan_truncated.dcm")
    with pytest.warns(UserWarning, match=r"offset 0x582 .*\(300A,00B0\)"):
        ds = fastdicom.dcmread(path)
    assert ds.RTPlanLabel == _pydicom(path).RTPlanLabel
    saved = fastdicom.config.settings.reading_validation_mode
    fastdicom.config.settings.reading_validation_mode = fastdicom.config.RAISE
    try:
        with pytest.raises(DicomTruncatedError) as info:
            fastdicom.dcmread(path)
    finally:
        fastdicom.config.settings.reading_validation_mode = saved
    assert info.value.offset == 0x582 and info.value.tag == 0x300A00B0
    assert "rtplan_truncated.dcm" in str(info.value)


def test_a_corrupt_length_names_file_offset_and_tag(tmp_path):
    data = bytearray(pathlib.Path(RTPLAN).read_bytes())
    # Make the first item of the first sequence claim more than the file holds
    ds = fastdicom.dcmread(RTPLAN)
    sequence = next(elem for elem in ds if elem.VR == "SQ")
    item_offset = sequence.file_tell
    assert data[item_offset : item_offset + 4] == b"\xfe\xff\x00\xe0"
    data[item_offset + 4 : item_offset + 8] = struct.pack("<L", 0x7FFFFFF0)
    path = tmp_path / "corrupt.dcm"
    path.write_bytes(bytes(data))
    saved = fastdicom.config.settings.reading_validation_mode
    fastdicom.config.settings.reading_validation_mode = fastdicom.config.RAISE
    try:
        with pytest.raises(DicomParseError) as info:
            fastdicom.dcmread(path)[sequence.tag].value[0]
    finally:
        fastdicom.config.settings.reading_validation_mode = saved
    assert "corrupt.dcm" in str(info.value) and info.value.offset is not None


def test_read_file_meta_info_as_pydicom():
    ours = read_file_meta_info(CT)
    theirs = pydicom.filereader.read_file_meta_info(CT)
    assert first_difference(ours, theirs) is None
    assert ours.TransferSyntaxUID == "1.2.840.10008.1.2.1"


def test_deflated_and_big_endian_encodings_are_recorded():
    ds = fastdicom.dcmread(DEFLATED)
    assert ds.original_encoding == (False, True)
    assert ds.file_meta.TransferSyntaxUID.is_deflated
    ds = fastdicom.dcmread(BIG_ENDIAN)
    assert ds.original_encoding == (False, False)
    assert ds.Rows == _pydicom(BIG_ENDIAN).Rows


def test_threads_read_the_same_as_one_thread():
    # The scanner releases the GIL while it scans: results must not depend on it.
    paths = [CT, RTPLAN, BIG_ENDIAN, DEFLATED, JPEG2000] * 8
    expected = [str(fastdicom.dcmread(p, stop_before_pixels=True)) for p in paths]
    with ThreadPoolExecutor(4) as pool:
        got = list(pool.map(lambda p: str(fastdicom.dcmread(p, stop_before_pixels=True)), paths))
    assert got == expected


def test_backend_is_reported():
    info = fastdicom.backend_info()
    assert fastdicom.backend == info["backend"] == "cython"
    assert info["module"].endswith((".so", ".pyd"))


def test_a_missing_build_is_a_clear_import_error(run_python):
    code = (
        "import sys\n"
        "sys.modules['fastdicom._parser'] = None  # as if the extension were not built\n"
        "try:\n"
        "    import fastdicom\n"
        "except ImportError as exc:\n"
        "    print(exc)\n"
        "else:\n"
        "    print('imported')\n"
    )
    out = run_python(code).stdout
    assert "no pure-Python fallback" in out and "pip install ." in out


@pytest.mark.parametrize(
    "setting", ["datetime_conversion", "use_DS_decimal", "use_DS_numpy", "use_IS_numpy"]
)
def test_value_settings_as_pydicom(setting):
    import numpy as np

    path = get_testdata_file("CT_small.dcm")
    saved = (getattr(fastdicom.config, setting), getattr(pydicom.config, setting))
    if setting == "use_DS_decimal":
        # pydicom picks its DS class when DS_decimal() is called (setting the
        # flag alone does not switch it); fastdicom follows the flag too.
        fastdicom.config.DS_decimal(True)
        pydicom.config.DS_decimal(True)
    setattr(fastdicom.config, setting, True)
    setattr(pydicom.config, setting, True)
    try:
        ours, theirs = fastdicom.dcmread(path), _pydicom(path)
        for mine, other in zip(ours, theirs):
            if mine.VR == "SQ" or mine.tag == 0x7FE00010:
                continue
            assert type(mine.value).__name__ == type(other.value).__name__, mine.tag
            if isinstance(other.value, np.ndarray):
                np.testing.assert_array_equal(mine.value, other.value)
            else:
                assert mine.value == other.value and str(mine) == str(other), mine.tag
    finally:
        if setting == "use_DS_decimal":
            fastdicom.config.DS_decimal(saved[0])
            pydicom.config.DS_decimal(saved[1])
        setattr(fastdicom.config, setting, saved[0])
        setattr(pydicom.config, setting, saved[1])


def test_fastdicom_never_imports_pydicom(run_python, tmp_path):
    # pydicom is the test oracle only: reading, values, pixels, processing
    # and writing run without it.
    code = (
        "import sys, fastdicom\n"
        "from fastdicom.cli import sample_path\n"
        "from fastdicom.pixels import apply_color_lut, apply_modality_lut, apply_voi_lut\n"
        "ds = fastdicom.dcmread(sample_path())\n"
        "str(ds); arr = ds.pixel_array\n"
        "apply_voi_lut(apply_modality_lut(arr, ds), ds)\n"
        "apply_color_lut(arr.astype('uint8'), palette='PET')\n"
        "ds.compress('1.2.840.10008.1.2.5')\n"
        "ds.save_as(sys.argv[1])\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] == 'pydicom'))\n"
    )
    out = run_python(code, str(tmp_path / "out.dcm"))
    assert out.stdout.strip() == "[]", out.stdout
