"""The stream API (filebase, fileutil, misc, hooks and filereader's
element-by-element reading), against dcmread and against pydicom."""

import io
import warnings
from struct import pack

import pydicom
import pydicom.filereader
import pydicom.fileutil
import pydicom.misc
import pytest
from pydicom.data import get_testdata_file

import fastdicom
from fastdicom import config
from fastdicom.filebase import DicomBytesIO, DicomIO
from fastdicom.filereader import (
    _read_file_meta_info,
    _transfer_syntax_encoding,
    data_element_generator,
    read_dataset,
    read_partial,
    read_preamble,
)
from fastdicom.fileutil import read_undefined_length_value
from fastdicom.hooks import hooks, raw_element_value_fix_separator, raw_element_vr, raw_element_value
from fastdicom.misc import is_dicom, size_in_bytes
from fastdicom.tag import SequenceDelimiterTag

from differential import first_difference

STREAM_FILES = [
    "CT_small.dcm",  # explicit VR little endian
    "rtplan.dcm",  # implicit VR, nested sequences
    "MR_small_bigendian.dcm",  # explicit VR big endian
    "emri_small_jpeg_2k_lossless.dcm",  # encapsulated (undefined length) Pixel Data
    "image_dfl.dcm",  # deflated
    "liver.dcm",  # undefined length sequences and items
]


@pytest.fixture
def restore_hooks():
    saved = (hooks.raw_element_vr, hooks.raw_element_value, hooks.raw_element_kwargs)
    yield
    hooks.raw_element_vr, hooks.raw_element_value, hooks.raw_element_kwargs = saved


@pytest.mark.parametrize("name", STREAM_FILES)
def test_stream_reading_gives_what_dcmread_gives(name):
    """read_dataset over a file-like (the Python path) and dcmread (the
    compiled scanner) make the same elements."""
    path = get_testdata_file(name)
    expected = fastdicom.dcmread(path)
    with open(path, "rb") as fp:
        read_preamble(fp, False)
        file_meta = _read_file_meta_info(fp)
        implicit, little, deflated = _transfer_syntax_encoding(file_meta.TransferSyntaxUID)
        assert not deflated or name == "image_dfl.dcm"
        if deflated:
            import zlib

            fp = DicomBytesIO(zlib.decompress(fp.read(), -zlib.MAX_WBITS))
        ds = read_dataset(fp, implicit, little)
    assert first_difference(file_meta, expected.file_meta) is None
    assert first_difference(ds, expected) is None
    assert ds.original_encoding == expected.original_encoding


@pytest.mark.parametrize("name", ["rtplan.dcm", "CT_small.dcm", "liver.dcm", "MR_small_bigendian.dcm"])
def test_data_element_generator_yields_what_pydicom_yields(name):
    path = get_testdata_file(name)
    with open(path, "rb") as fp:
        read_preamble(fp, False)
        file_meta = _read_file_meta_info(fp)
        data = fp.read()
    implicit, little, _ = _transfer_syntax_encoding(file_meta.TransferSyntaxUID)
    ours = list(data_element_generator(io.BytesIO(data), implicit, little, defer_size=256))
    theirs = list(
        pydicom.filereader.data_element_generator(io.BytesIO(data), implicit, little, defer_size=256)
    )
    assert len(ours) == len(theirs) > 10
    for mine, other in zip(ours, theirs):
        if isinstance(other, pydicom.dataelem.RawDataElement):
            assert tuple(mine) == tuple(other)
        else:  # an undefined length sequence, read while generating
            assert (mine.tag, mine.VR, len(mine.value)) == (other.tag, other.VR, len(other.value))
            for item, their_item in zip(mine.value, other.value):
                assert first_difference(item, their_item) is None


def test_read_partial_stops_where_asked_and_leaves_the_file_there():
    path = get_testdata_file("CT_small.dcm")
    stop_tag = 0x00200032  # Image Position (Patient)
    with open(path, "rb") as fp:
        ds = read_partial(fp, stop_when=lambda tag, vr, length: tag == stop_tag)
        position = fp.tell()
        assert fp.read(4) == pack("<HH", 0x0020, 0x0032)
    full = fastdicom.dcmread(path)
    assert list(ds.keys()) == [tag for tag in full.keys() if tag < stop_tag]
    assert ds.PatientName == full.PatientName
    with open(path, "rb") as fp:
        theirs = pydicom.filereader.read_partial(fp, stop_when=lambda tag, vr, length: tag == stop_tag)
        assert fp.tell() == position
    assert first_difference(ds, theirs) is None


def test_registered_value_hook_is_honoured_by_dcmread(restore_hooks):
    """A custom hook applies to elements the reader would otherwise convert
    directly (here explicit VR DS values)."""
    path = get_testdata_file("CT_small.dcm")
    before = fastdicom.dcmread(path).ImagePositionPatient
    calls = []

    def spy(raw, data, **kwargs):
        calls.append(int(raw.tag))
        raw_element_value(raw, data, **kwargs)

    hooks.register_callback("raw_element_value", spy)
    ds = fastdicom.dcmread(path)
    assert ds.ImagePositionPatient == before
    assert 0x00200032 in calls

    hooks.register_callback("raw_element_value", raw_element_value_fix_separator)
    hooks.register_kwargs("raw_element_kwargs", {"target_VRs": ("LO",), "separator": ","})
    data = pack("<HH2sH", 0x0010, 0x0020, b"LO", 8) + b"AB,CD,EF"
    assert fastdicom.dcmread(data, force=True).PatientID == ["AB", "CD", "EF"]


def test_hook_results_match_pydicom(restore_hooks):
    data = pack("<HH2sH", 0x0010, 0x0020, b"LO", 8) + b"AB:CD:EF"
    hooks.register_callback("raw_element_value", raw_element_value_fix_separator)
    hooks.register_kwargs("raw_element_kwargs", {"target_VRs": ("LO",), "separator": b":"})
    from pydicom.hooks import hooks as their_hooks

    saved = (their_hooks.raw_element_value, their_hooks.raw_element_kwargs)
    try:
        their_hooks.register_callback(
            "raw_element_value", pydicom.hooks.raw_element_value_fix_separator
        )
        their_hooks.register_kwargs("raw_element_kwargs", {"target_VRs": ("LO",), "separator": b":"})
        theirs = pydicom.dcmread(io.BytesIO(data), force=True)
        ours = fastdicom.dcmread(data, force=True)
        difference = first_difference(ours, theirs)  # converts (lazily) while hooked
    finally:
        their_hooks.raw_element_value, their_hooks.raw_element_kwargs = saved
    assert difference is None
    assert ours.PatientID == ["AB", "CD", "EF"]
    assert hooks.raw_element_vr is raw_element_vr


def test_data_element_callback_applies_to_every_element():
    seen = []

    def callback(raw, **kwargs):
        seen.append((int(raw.tag), kwargs))
        return raw

    config.data_element_callback = callback
    config.data_element_callback_kwargs = {"marker": 1}
    try:
        ds = fastdicom.dcmread(get_testdata_file("CT_small.dcm"))
        assert ds.PatientName == "CompressedSamples^CT1"
    finally:
        config.reset_data_element_callback()
    assert (0x00100010, {"marker": 1}) in seen
    assert config.data_element_callback is None and config.data_element_callback_kwargs == {}


@pytest.mark.parametrize("padding", [0, 116, 117, 118, 8190, 8191, 8192])
def test_undefined_length_value_across_read_chunks(padding):
    # Not items: the value is found by searching for the delimiter.
    value = b"ABCDEFGHIJ" + b"\0" * padding
    data = value + pack("<HHL", 0xFFFE, 0xE0DD, 0) + b"rest"
    ours, theirs = io.BytesIO(data), io.BytesIO(data)
    got = read_undefined_length_value(ours, True, SequenceDelimiterTag)
    expected = pydicom.fileutil.read_undefined_length_value(theirs, True, pydicom.tag.SequenceDelimiterTag)
    assert got == expected == value
    assert ours.tell() == theirs.tell() == len(data) - 4
    # Deferred: no value, same position
    ours.seek(0)
    assert read_undefined_length_value(ours, True, SequenceDelimiterTag, defer_size=5) is None
    assert ours.tell() == len(data) - 4


def test_undefined_length_encapsulated_value_with_delimiter_bytes_inside():
    # PS3.5 §A.4: items are followed by length, so delimiter bytes inside a
    # fragment do not end the value.
    fragment = b"\xfe\xff\xdd\xe0\x00\x00\x00\x00"
    data = pack("<HHL", 0xFFFE, 0xE000, 0) + pack("<HHL", 0xFFFE, 0xE000, 8) + fragment
    data += pack("<HHL", 0xFFFE, 0xE0DD, 0)
    fp = io.BytesIO(data)
    assert read_undefined_length_value(fp, True, SequenceDelimiterTag) == data[:-8]
    assert fp.tell() == len(data)
    with pytest.raises(EOFError):
        read_undefined_length_value(io.BytesIO(b"\x01\x02\x03\x04" * 4), True, SequenceDelimiterTag)


@pytest.mark.parametrize(
    "expr", [None, float("inf"), 12, 1.5, "1234", "4 kb", "4 KiB", "0.8 kb", "3  MB", "2gB", "2giB"]
)
def test_size_in_bytes_as_pydicom(expr):
    assert size_in_bytes(expr) == pydicom.misc.size_in_bytes(expr)


@pytest.mark.parametrize("expr", ["2 TB", "KB 2", "4 KB asdf", "2 B", "lots"])
def test_size_in_bytes_rejects_what_pydicom_rejects(expr):
    with pytest.raises(ValueError):
        pydicom.misc.size_in_bytes(expr)
    with pytest.raises(ValueError):
        size_in_bytes(expr)


def test_is_dicom(tmp_path):
    assert is_dicom(get_testdata_file("CT_small.dcm"))
    assert not is_dicom(get_testdata_file("rtstruct.dcm"))  # no preamble
    short = tmp_path / "short"
    short.write_bytes(b"DICM")
    assert not is_dicom(short)


@pytest.mark.parametrize("little", [True, False])
def test_dicom_io_primitives_round_trip(little):
    fp = DicomBytesIO()
    fp.is_little_endian = little
    fp.write_tag(0x7FE00010)
    fp.write_US(0xFFFE)
    fp.write_UL(0x01020304)
    order = "<" if little else ">"
    assert fp.getvalue() == pack(f"{order}HHHL", 0x7FE0, 0x0010, 0xFFFE, 0x01020304)
    fp.seek(0)
    assert fp.read_tag() == (0x7FE0, 0x0010)
    assert fp.read_US() == 0xFFFE
    assert fp.read_UL() == 0x01020304
    with pytest.raises(EOFError, match="Read 0 bytes of 4 expected starting at position 0xa"):
        fp.read_exact(4)


def test_dicom_io_is_a_dcmwrite_destination_and_dcmread_source():
    ds = fastdicom.dcmread(get_testdata_file("CT_small.dcm"))
    fp = DicomIO(io.BytesIO())
    fastdicom.dcmwrite(fp, ds)
    fp.seek(0)
    assert first_difference(fastdicom.dcmread(fp), ds) is None


def test_file_like_left_at_its_end_is_read_from_its_start_as_pydicom():
    ds = fastdicom.Dataset()
    ds.PatientName = "A^B"
    fp = io.BytesIO()
    ds.save_as(fp, implicit_vr=True)  # leaves fp at its end
    ours = fastdicom.dcmread(fp, force=True)
    fp.seek(len(fp.getvalue()))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        theirs = pydicom.dcmread(fp, force=True)
    assert ours.PatientName == "A^B"
    assert first_difference(ours, theirs) is None


def test_deflated_dataset_buffer_is_the_inflated_data():
    path = get_testdata_file("image_dfl.dcm")
    ds = fastdicom.dcmread(path, defer_size=1024)
    assert isinstance(ds.buffer, DicomBytesIO)
    assert ds.filename == path
    assert len(ds.PixelData) == 262144


def test_deferred_element_read_again_with_pydicom_arguments():
    from fastdicom.filereader import read_deferred_data_element

    path = get_testdata_file("CT_small.dcm")
    ds = fastdicom.dcmread(path, defer_size=100)
    raw = ds.get_item("PixelData", keep_deferred=True)
    assert raw.value is None
    elem = read_deferred_data_element(open, path, ds.timestamp, raw)
    assert (elem.tag, elem.VR) == (raw.tag, raw.VR)
    assert elem.value == fastdicom.dcmread(path).PixelData
    with open(path, "rb") as fp:  # a file-like is read where the element is
        assert read_deferred_data_element(type(fp), fp, None, raw).value == elem.value
    with pytest.raises(OSError, match="original filename not stored"):
        read_deferred_data_element(open, None, None, raw)
