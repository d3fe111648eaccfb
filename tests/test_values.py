"""Tests for fastdicom.values: unit tests and a differential test against
pydicom 3.0.2 over every element of pydicom's test files.

pydicom is used only here, as the oracle.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Iterator
from typing import Any

import pytest

from fastdicom import config
from fastdicom.errors import BytesLengthException
from fastdicom.multival import MultiValue
from fastdicom.tag import BaseTag
from fastdicom.uid import UID
from fastdicom.values import (
    convert_AE_string,
    convert_ATvalue,
    convert_numbers,
    convert_PN,
    convert_single_string,
    convert_string,
    convert_tag,
    convert_text,
    convert_UI,
    convert_value,
    convert_value_bytes,
    converters,
    empty_value_for_VR,
    multi_string,
)
from fastdicom.valuerep import DA, DT, IS, TM, DSdecimal, DSfloat, PersonName

pydicom = pytest.importorskip("pydicom")
import pydicom.config as pconfig  # noqa: E402
import pydicom.values as pvalues  # noqa: E402
from pydicom.dataelem import RawDataElement  # noqa: E402
from pydicom.data import get_testdata_files  # noqa: E402


# ------------------------------------------------------------------ fixtures


def _set_both(name: str, value: Any) -> None:
    """Set a config flag in fastdicom and pydicom alike."""
    if name == "use_DS_decimal":
        config.DS_decimal(value)
        pconfig.DS_decimal(value)  # also switches pydicom's DSclass
    elif name == "use_DS_numpy":
        config.DS_numpy(value)
        pconfig.DS_numpy(value)
    else:
        setattr(config, name, value)
        setattr(pconfig, name, value)


_FLAGS = ("datetime_conversion", "use_DS_decimal", "use_DS_numpy", "use_IS_numpy")


@pytest.fixture
def restore_config() -> Iterator[None]:
    """Put every setting the tests change back afterwards, in both libraries."""
    saved = {name: getattr(config, name) for name in _FLAGS}
    saved_p = {name: getattr(pconfig, name) for name in _FLAGS}
    extra = {
        n: getattr(config, n)
        for n in ("use_none_as_empty_text_VR_value", "allow_DS_float")
    }
    rmode, wmode = config.settings._reading_validation_mode, config.settings._writing_validation_mode
    prmode = pconfig.settings._reading_validation_mode
    try:
        yield
    finally:
        # numpy and decimal are exclusive: switch both off before restoring
        config.DS_numpy(False)
        config.DS_decimal(False)
        pconfig.DS_numpy(False)
        pconfig.DS_decimal(False)
        for name in _FLAGS:
            if name in ("use_DS_decimal", "use_DS_numpy"):
                continue
            setattr(config, name, saved[name])
            setattr(pconfig, name, saved_p[name])
        config.DS_decimal(saved["use_DS_decimal"])
        config.DS_numpy(saved["use_DS_numpy"])
        pconfig.DS_decimal(saved_p["use_DS_decimal"])
        pconfig.DS_numpy(saved_p["use_DS_numpy"])
        for n, v in extra.items():
            setattr(config, n, v)
        config.settings._reading_validation_mode = rmode
        config.settings._writing_validation_mode = wmode
        pconfig.settings._reading_validation_mode = prmode


# ------------------------------------------------- raw elements of test files


def _collect_raw() -> list[tuple[str, int, str, bytes, bool, list[str]]]:
    """Return (file, tag, VR, value, little endian, encodings) of every raw
    non-SQ element pydicom finds in its test files, nested ones included."""
    from pydicom import dcmread
    from pydicom.datadict import dictionary_VR

    found: list[tuple[str, int, str, bytes, bool, list[str]]] = []

    def walk(ds: Any, name: str, encodings: list[str]) -> None:
        if "SpecificCharacterSet" in ds._dict:
            encodings = ds._character_set
        for tag in list(ds._dict):
            raw = ds._dict[tag]
            if not isinstance(raw, RawDataElement):
                continue
            vr = raw.VR
            if vr is None:  # implicit VR: the dictionary says
                try:
                    vr = dictionary_VR(tag)
                except KeyError:
                    vr = "UN"
            if vr == "SQ":
                try:
                    seq = ds[tag].value
                except Exception:
                    continue
                for item in seq or []:
                    walk(item, name, encodings)
                continue
            if raw.value is None or vr not in pvalues.converters:
                continue
            found.append((name, int(tag), str(vr), bytes(raw.value), raw.is_little_endian, list(encodings)))

    for path in get_testdata_files():
        if not path.endswith(".dcm") and "DICOMDIR" not in path and "/dicomdirtests/" not in path:
            continue
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                ds = dcmread(path, force=True)
                walk(ds, path.rsplit("/", 1)[-1], ds._character_set)
        except Exception:
            continue  # files pydicom cannot read are not compared
    return found


_RAW_CACHE: list[tuple[str, int, str, bytes, bool, list[str]]] = []


@pytest.fixture(scope="module")
def raw_elements() -> list[tuple[str, int, str, bytes, bool, list[str]]]:
    if not _RAW_CACHE:
        _RAW_CACHE.extend(_collect_raw())
    return _RAW_CACHE


def _call(func: Any, *args: Any) -> tuple[Any, BaseException | None, list[str]]:
    """Return (value, exception, warning messages) of ``func(*args)``."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            value, exc = func(*args), None
        except Exception as e:  # compared with the other library's
            value, exc = None, e
    return value, exc, [str(w.message) for w in caught]


def _same(a: Any, b: Any) -> bool:
    """Return True if the two values are equal, counting NaN as equal and
    comparing arrays element-wise."""
    if type(a).__name__ == "ndarray":
        import numpy

        return type(b).__name__ == "ndarray" and a.dtype == b.dtype and numpy.array_equal(a, b, equal_nan=True)
    if isinstance(a, float) and isinstance(b, float) and math.isnan(a) and math.isnan(b):
        return True
    if isinstance(a, (list, MultiValue)) or type(b).__name__ == "MultiValue":
        if len(a) != len(b):
            return False
        return all(_same(x, y) and type(x).__name__ == type(y).__name__ for x, y in zip(a, b))
    return bool(a == b)


def _compare_all(raw_elements: list, mode_label: str) -> int:
    """Compare every element's conversion in both libraries; return the count."""
    mismatches = []
    for name, tag, vr, value, little, encodings in raw_elements:
        praw = RawDataElement(tag, vr, len(value), value, 0, False, little)
        ours, our_exc, our_warn = _call(convert_value_bytes, vr, value, little, encodings)
        theirs, their_exc, their_warn = _call(pvalues.convert_value, vr, praw, encodings)
        # pydicom's signature (a raw element) gives the same as the bytes one.
        same, same_exc, _ = _call(convert_value, vr, praw, encodings)
        if type(same_exc) is not type(our_exc) or not _same(same, ours):
            mismatches.append(f"{mode_label} {name} {vr}: convert_value differs from convert_value_bytes")
        where = f"{mode_label} {name} ({tag >> 16:04X},{tag & 0xFFFF:04X}) {vr} {value[:40]!r}"
        if their_exc is not None or our_exc is not None:
            # errors of the two libraries are different classes of one name
            if type(our_exc).__name__ != type(their_exc).__name__ or str(our_exc) != str(their_exc):
                mismatches.append(f"{where}: exception {our_exc!r} != {their_exc!r}")
            continue
        if type(ours).__name__ != type(theirs).__name__:
            mismatches.append(f"{where}: type {type(ours).__name__} != {type(theirs).__name__}")
        elif not _same(ours, theirs):
            mismatches.append(f"{where}: value {ours!r} != {theirs!r}")
        elif str(ours) != str(theirs) or repr(ours) != repr(theirs):
            mismatches.append(f"{where}: str/repr {str(ours)!r} != {str(theirs)!r}")
        elif our_warn != their_warn:
            mismatches.append(f"{where}: warnings {our_warn} != {their_warn}")
        else:
            items = zip(ours, theirs) if isinstance(ours, MultiValue) else [(ours, theirs)]
            for x, y in items:
                if hasattr(y, "original_string") and getattr(x, "original_string", None) != y.original_string:
                    mismatches.append(f"{where}: original_string {x.original_string!r} != {y.original_string!r}")
                if isinstance(y, pydicom.valuerep.PersonName) and (x.components, x.encodings) != (y.components, y.encodings):
                    mismatches.append(f"{where}: PN {x.components} {x.encodings} != {y.components} {y.encodings}")
    assert not mismatches, f"{len(mismatches)} mismatches, first ones:\n" + "\n".join(mismatches[:20])
    return len(raw_elements)


# Elements compared per mode: 16,496 from 234 files (pydicom 3.0.2 test data)
MIN_ELEMENTS = 10_000


def test_testdata_elements_default(raw_elements: list) -> None:
    """Every element of pydicom's test files converts as pydicom does."""
    assert _compare_all(raw_elements, "default") >= MIN_ELEMENTS


@pytest.mark.parametrize(
    "flags",
    [
        {"datetime_conversion": True},
        {"use_DS_decimal": True},
        {"use_DS_numpy": True, "use_IS_numpy": True},
        {"datetime_conversion": True, "use_DS_decimal": True},
    ],
    ids=["datetime", "DS_decimal", "numpy", "datetime+decimal"],
)
def test_testdata_elements_with_options(raw_elements: list, restore_config: None, flags: dict) -> None:
    """The same with each presentation option switched on."""
    for name, value in flags.items():
        _set_both(name, value)
    assert _compare_all(raw_elements, str(flags)) >= MIN_ELEMENTS


@pytest.mark.parametrize("mode", [0, 2], ids=["IGNORE", "RAISE"])
def test_testdata_elements_validation_modes(raw_elements: list, restore_config: None, mode: int) -> None:
    """The same with reading validation IGNORE and RAISE (same exception types)."""
    config.settings.reading_validation_mode = mode
    pconfig.settings.reading_validation_mode = mode
    assert _compare_all(raw_elements, f"mode {mode}") >= MIN_ELEMENTS


def test_element_count_reported(raw_elements: list) -> None:
    """Report how many elements the differential tests compare."""
    files = {e[0] for e in raw_elements}
    vrs = {e[2] for e in raw_elements}
    print(f"compared {len(raw_elements)} elements from {len(files)} files, {len(vrs)} VRs")
    assert len(files) > 100
    assert len(vrs) >= 25


# -------------------------------------------------- synthetic differential


_SYNTHETIC = [
    ("US", b"\x01\x00"), ("US", b"\x01\x00\x02\x00"), ("US", b"\x01\x00\x02"),
    ("SS", b"\xff\xff"), ("UL", b"\x01\x00\x00\x00"), ("SL", b"\xff\xff\xff\xff\x01\x00\x00\x00"),
    ("UV", b"\x01" * 8), ("SV", b"\xff" * 16), ("FL", b"\xcd\xcc\xcc\x3d"), ("FD", b"\x00" * 7 + b"\x7f"),
    ("FL", b"\x00\x00\xc0\x7f"), ("AT", b"\x10\x00\x10\x00\x08\x00\x05\x00"), ("AT", b"\x10\x00"),
    ("AT", b"\x10\x00\x10\x00\x08\x00"), ("CS", b"ORIGINAL\\PRIMARY "), ("CS", b" A \\ B "),
    ("AE", b" STORESCP  "), ("AE", b" A \\ B"), ("AS", b"034Y"), ("UI", b"1.2.840.10008.1.2\x00"),
    ("UI", b"1.2\\1.3 "), ("DS", b" 1.5 \\2.0E+3"), ("DS", b"1.0E+10"), ("DS", b"abc"), ("DS", b"\\"),
    ("DS", b"12345678901234567890"), ("IS", b" 12 "), ("IS", b"1\\2\\3 "), ("IS", b"1.5"), ("IS", b"abc"),
    ("IS", b"99999999999"), ("IS", b"1.0"), ("DA", b"20240102"), ("DA", b"20240102\\19991231 "),
    ("DA", b"2024.01.02"), ("DA", b"2024013"), ("DT", b"20240102030405.123456+0100"), ("DT", b"2024"),
    ("DT", b"20240102030460"), ("TM", b"1230"), ("TM", b"123045.5 "), ("TM", b"126"), ("TM", b"123060"),
    ("LO", b"Hello \\World\x00"), ("SH", b"A" * 20), ("LT", b"line1\r\nline2\\x  "), ("ST", b"x" * 2000),
    ("UT", b"text\\more  "), ("UC", b"a\\b "), ("UR", b"http://x.org/a b  "), ("PN", b"Doe^John "),
    ("PN", b"Doe^John\\Roe^Jane"), ("PN", b"Yamada^Tarou=\x1b$B;3ED\x1b(B^\x1b$BB@O:\x1b(B="),
    ("PN", b"A=B=C=D"), ("PN", b"X" * 70), ("PN", b"=="), ("OB", b"\x00\x01"), ("OW", b"\x00\x01"),
    ("UN", b"\x00"), ("OF", b"\x00" * 4), ("OD", b"\x00" * 8), ("OL", b"\x00" * 4), ("OV", b"\x00" * 8),
    ("US or SS", b"\x01\x00"), ("OB or OW", b"\x01\x00"), ("US or SS or OW", b"\x01\x00"), ("US or OW", b"\x01\x00"),
    ("LO", b"\xe9t\xe9"), ("LO", b"\xff\xfe"),
]  # fmt: skip

_ENCODINGS = [None, ["iso8859"], ["latin_1"], ["iso8859", "iso2022_jp"], ["UTF8"], ["shift_jis"], ["nonsense"]]


@pytest.mark.parametrize("encodings", _ENCODINGS, ids=str)
@pytest.mark.parametrize("little", [True, False])
def test_synthetic_values_match_pydicom(restore_config: None, little: bool, encodings: Any) -> None:
    """Hand-made edge cases convert as in pydicom, in all modes and options."""
    for flags in ({}, {"datetime_conversion": True}, {"use_DS_decimal": True}, {"use_DS_numpy": True, "use_IS_numpy": True}):
        for mode in (0, 1, 2):
            config.DS_numpy(False), config.DS_decimal(False), pconfig.DS_numpy(False), pconfig.DS_decimal(False)
            _set_both("datetime_conversion", False)
            for name, value in flags.items():
                _set_both(name, value)
            config.settings.reading_validation_mode = mode
            pconfig.settings.reading_validation_mode = mode
            elems = [("synthetic", 0x00100010, vr, raw, little, encodings) for vr, raw in _SYNTHETIC]
            _compare_all(elems, f"{flags} mode {mode}")


# ------------------------------------------------------------------ units


def test_empty_values(restore_config: None) -> None:
    """Empty values follow pydicom's empty_value_for_VR."""
    assert convert_value_bytes("US", b"", True) is None
    assert convert_value_bytes("DS", b"", True) is None
    assert convert_value_bytes("IS", b"", True) is None
    assert convert_value_bytes("CS", b"", True) == ""
    assert convert_value_bytes("UI", b"", True) == ""
    pn = convert_value_bytes("PN", b"", True)
    assert isinstance(pn, PersonName) and pn == "" and not pn
    assert convert_value_bytes("OB", b"", True) is None
    assert empty_value_for_VR("SQ") == []
    assert empty_value_for_VR("SQ", raw=True) == b""
    assert empty_value_for_VR("PN", raw=True) == b""
    assert empty_value_for_VR("LO", raw=True) == b""
    assert empty_value_for_VR(None) is None
    config.use_none_as_empty_text_VR_value = True
    assert empty_value_for_VR("LO") is None
    assert empty_value_for_VR("PN") is None
    assert empty_value_for_VR("SQ") == []


def test_sq_and_unknown_vr_raise() -> None:
    """SQ is parsed elsewhere; unknown VRs raise NotImplementedError."""
    with pytest.raises(NotImplementedError, match="SQ"):
        convert_value_bytes("SQ", b"\x00" * 8, True)
    with pytest.raises(NotImplementedError, match="Unknown Value Representation 'XX'"):
        convert_value_bytes("XX", b"\x00", True)
    with pytest.raises(NotImplementedError, match="0x00 0x01"):
        convert_value_bytes("\x00\x01", b"\x00", True)


def test_numbers() -> None:
    """Binary numbers: scalars for one value, lists for several."""
    assert convert_value_bytes("US", b"\x01\x02", True) == 0x0201
    assert convert_value_bytes("US", b"\x01\x02", False) == 0x0102
    assert convert_value_bytes("SS", b"\xfe\xff", True) == -2
    assert convert_value_bytes("UL", b"\x01\x00\x00\x00\x02\x00\x00\x00", True) == [1, 2]
    assert type(convert_value_bytes("UL", b"\x01\x00\x00\x00\x02\x00\x00\x00", True)) is list
    assert convert_value_bytes("UL", b"\x00\x00\x00\x01\x00\x00\x00\x02", False) == [1, 2]
    fl = convert_value_bytes("FL", b"\xcd\xcc\xcc\x3d", True)
    assert fl == pytest.approx(0.1) and fl != 0.1  # the float32 value, as pydicom
    assert convert_value_bytes("FD", b"\x9a\x99\x99\x99\x99\x99\xb9\x3f", True) == 0.1
    assert convert_value_bytes("SV", b"\xff" * 8, True) == -1
    assert convert_value_bytes("UV", b"\xff" * 8, True) == 2**64 - 1
    assert convert_numbers(b"", True, "H") == ""
    with pytest.raises(BytesLengthException):
        convert_value_bytes("US", b"\x01\x02\x03", True)
    with pytest.raises(BytesLengthException):
        convert_numbers(b"\x01\x02\x03", True, "L")


def test_tags() -> None:
    """AT values are BaseTags."""
    tag = convert_value_bytes("AT", b"\x10\x00\x20\x00", True)
    assert isinstance(tag, BaseTag) and tag == 0x00100020
    assert convert_tag(b"\x00\x10\x00\x20", False) == 0x00100020
    tags = convert_ATvalue(b"\x10\x00\x20\x00\x08\x00\x05\x00", True)
    assert isinstance(tags, MultiValue) and tags == [0x00100020, 0x00080005]
    assert str(tags) == "[(0010,0020), (0008,0005)]"
    with pytest.raises(ValueError):
        convert_tag(b"\x00", True)


def test_strings() -> None:
    """Strings: trailing padding stripped, backslash splits values."""
    assert convert_value_bytes("CS", b"ORIGINAL\\PRIMARY ", True) == ["ORIGINAL", "PRIMARY"]
    assert str(convert_value_bytes("CS", b"A\\B", True)) == "['A', 'B']"
    assert convert_string(b" X ", True) == " X"
    assert convert_AE_string(b"  AE  ", True) == "AE"
    assert convert_value_bytes("LO", b"abc \x00", True) == "abc"
    assert convert_value_bytes("LT", b"a\\b  ", True) == "a\\b"
    assert convert_single_string(b"x\x00", None) == "x"
    assert convert_text(b"a \\b ", None) == ["a", "b"]
    assert convert_value_bytes("UR", b"http://a  ", True) == "http://a"
    assert multi_string("1\\2 ", int) == [1, 2]
    assert multi_string("a") == "a"


def test_text_validation_warns() -> None:
    """Too-long SH values warn with the default WARN mode."""
    with pytest.warns(UserWarning, match="exceeds the maximum length of 16"):
        assert convert_value_bytes("SH", b"A" * 17, True) == "A" * 17


def test_encodings() -> None:
    """Text VRs decode with the given encodings."""
    assert convert_value_bytes("LO", b"\xe9", True, ["latin_1"]) == "\xe9"
    assert convert_value_bytes("LO", "ü".encode("utf-8"), True, ["UTF8"]) == "ü"
    assert convert_value_bytes("LO", "ü".encode("utf-8"), True, "UTF8") == "ü"
    with pytest.warns(UserWarning, match="Failed to decode"):
        assert convert_value_bytes("LO", b"\xff\xfe", True, ["UTF8"]) == "\ufffd\ufffd"


def test_ui_values() -> None:
    """UI values are UIDs without trailing NULs."""
    uid = convert_UI(b"1.2.840.10008.1.2\x00", True)
    assert isinstance(uid, UID) and uid == "1.2.840.10008.1.2"
    uids = convert_value_bytes("UI", b"1.2\\1.3", True)
    assert isinstance(uids, MultiValue) and all(isinstance(u, UID) for u in uids)


def test_pn_values() -> None:
    """PN values are PersonNames with their encoded form."""
    pn = convert_PN(b"Doe^John ")
    assert isinstance(pn, PersonName)
    assert pn.family_name == "Doe" and pn.given_name == "John"
    assert pn.original_string == b"Doe^John"
    assert pn.encodings == ("iso8859",)
    names = convert_value_bytes("PN", b"A^B\\C^D", True)
    assert isinstance(names, MultiValue) and [n.family_name for n in names] == ["A", "C"]
    jp = convert_value_bytes("PN", b"Yamada^Tarou=\x1b$B;3ED\x1b(B^\x1b$BB@O:\x1b(B", True, ["iso8859", "iso2022_jp"])
    assert jp.ideographic == "山田^太郎"
    assert jp.original_string == b"Yamada^Tarou=\x1b$B;3ED\x1b(B^\x1b$BB@O:\x1b(B"


def test_ds_is_values(restore_config: None) -> None:
    """DS and IS values follow the options."""
    ds = convert_value_bytes("DS", b" 1.50 ", True)
    assert isinstance(ds, DSfloat) and ds == 1.5 and str(ds) == "1.50" and repr(ds) == "'1.50'"
    assert convert_value_bytes("DS", b"1\\2", True) == [1.0, 2.0]
    is_ = convert_value_bytes("IS", b" 12 ", True)
    assert isinstance(is_, IS) and is_ == 12 and str(is_) == "12" and repr(is_) == "'12'"
    config.DS_decimal(True)
    assert isinstance(convert_value_bytes("DS", b"1.5", True), DSdecimal)
    config.DS_decimal(False)
    config.DS_numpy(True)
    config.use_IS_numpy = True
    import numpy

    assert type(convert_value_bytes("DS", b"1.5", True)) is numpy.float64
    arr = convert_value_bytes("DS", b"1.5\\2", True)
    assert arr.dtype == numpy.float64 and list(arr) == [1.5, 2.0]
    assert type(convert_value_bytes("IS", b"3", True)) is numpy.int64
    assert list(convert_value_bytes("IS", b"3\\4", True)) == [3, 4]
    # without RAISE the value falls back to SH
    assert convert_value_bytes("IS", b"3a", True) == "3a"
    config.settings.reading_validation_mode = config.RAISE
    with pytest.raises(ValueError, match="not in repertoire"):
        convert_value_bytes("IS", b"3a", True)


def test_invalid_is_falls_back_to_string(restore_config: None) -> None:
    """A value its VR cannot convert is retried as SH unless RAISE."""
    with pytest.warns(UserWarning, match="Invalid value for VR IS"):
        assert convert_value_bytes("IS", b"abc", True) == "abc"
    config.settings.reading_validation_mode = config.RAISE
    with pytest.raises(ValueError):
        convert_value_bytes("IS", b"abc", True)


def test_datetime_conversion(restore_config: None) -> None:
    """DA/DT/TM are strings unless datetime_conversion is set."""
    assert convert_value_bytes("DA", b"20240102", True) == "20240102"
    config.datetime_conversion = True
    da = convert_value_bytes("DA", b"20240102 ", True)
    assert isinstance(da, DA) and str(da) == "20240102" and repr(da) == '"20240102"'
    dt = convert_value_bytes("DT", b"20240102030405", True)
    assert isinstance(dt, DT) and dt.hour == 3
    tm = convert_value_bytes("TM", b"1230\\1245", True)
    assert isinstance(tm, MultiValue) and all(isinstance(t, TM) for t in tm)
    assert convert_value_bytes("DA", b" ", True) is None


def test_converters_table() -> None:
    """Every VR has a converter; numbers carry their struct format."""
    assert converters["US"][1] == "H" and converters["FL"][1] == "f"
    assert len(converters) == 38


def test_multi_valued_pn_pickles() -> None:
    """A multi-valued PN (whose constructor keeps the encodings) pickles,
    and items added later get the same encodings."""
    import pickle

    names = convert_value_bytes("PN", b"A^B\\C^D", True, ["latin_1"])
    copy_ = pickle.loads(pickle.dumps(names))
    assert copy_ == names and copy_[1].original_string == b"C^D"
    copy_.append("M\xfcller^X")
    assert copy_[2].encodings == ("latin_1",) and copy_[2].original_string == b"M\xfcller^X"


# ------------------------------------------------- pydicom's convert_value API


class _RawLike:
    """A duck-typed raw element, as pydicom's own tests pass to convert_value."""

    def __init__(self, value: bytes, little: bool = True) -> None:
        self.value = value
        self.is_little_endian = little
        self.is_implicit_VR = False
        self.tag = 0x00100020
        self.length = len(value)
        self.value_tell = 0


def test_convert_value_takes_a_raw_element() -> None:
    assert convert_value("US", _RawLike(b"\x01\x02")) == 0x0201
    assert convert_value("US", _RawLike(b"\x01\x02", little=False)) == 0x0102
    assert convert_value("LO", _RawLike(b"\xe9"), ["latin_1"]) == "\xe9"
    assert convert_value("LO", _RawLike(b"\xe9"), "latin_1") == "\xe9"
    assert convert_value("UI", _RawLike(b"1.2.3\x00")) == UID("1.2.3")
    assert convert_value("US", _RawLike(b"")) is None
    with pytest.raises(NotImplementedError, match="Unknown Value Representation 'XX'"):
        convert_value("XX", None)


def test_convert_value_sequence() -> None:
    # One item of undefined length holding (0008,0100) SH "AB", implicit VR LE.
    item = b"\x08\x00\x00\x01\x02\x00\x00\x00AB"
    value = b"\xfe\xff\x00\xe0" + len(item).to_bytes(4, "little") + item
    raw = _RawLike(value)
    raw.is_implicit_VR = True
    seq = convert_value("SQ", raw)
    assert len(seq) == 1 and seq[0].CodeValue == "AB"
    assert convert_value("SQ", _RawLike(b"")) == []


def test_converters_changes_are_honoured(restore_config: None) -> None:
    saved = converters["PN"]
    del converters["PN"]
    try:
        with pytest.raises(NotImplementedError, match="Unknown Value Representation 'PN'"):
            convert_value("PN", None)
        with pytest.raises(NotImplementedError, match="'PN'"):
            convert_value_bytes("PN", b"A^B")
    finally:
        converters["PN"] = saved
    # A replacement converter is called with pydicom's arguments.
    calls = []
    saved_us, saved_lo = converters["US"], converters["LO"]
    converters["US"] = lambda raw, little, fmt: calls.append((raw, little, fmt)) or 7
    converters["LO"] = lambda raw, encodings, vr: calls.append((raw, encodings, vr)) or "x"
    try:
        assert convert_value("US", _RawLike(b"\x01\x00")) == 7
        assert convert_value_bytes("LO", b"a", True, None) == "x"
    finally:
        converters["US"], converters["LO"] = saved_us, saved_lo
    assert calls == [(b"\x01\x00", True, None), (b"a", ["iso8859"], "LO")]
    assert convert_value("US", _RawLike(b"\x01\x00")) == 1


def test_retry_order_is_read_at_call_time(restore_config: None) -> None:
    import fastdicom.values as fvalues

    config.settings.reading_validation_mode = config.IGNORE
    assert convert_value("IS", _RawLike(b"1A")) == "1A"  # retried as SH
    saved = fvalues.convert_retry_VR_order
    fvalues.convert_retry_VR_order = ["FL", "UL"]
    try:
        assert convert_value("IS", _RawLike(b"1A")) == b"1A"  # none fits: the bytes
    finally:
        fvalues.convert_retry_VR_order = saved
    config.settings.reading_validation_mode = config.RAISE
    with pytest.raises(ValueError):
        convert_value("IS", _RawLike(b"1A"))


@pytest.mark.parametrize("undefined", [False, True])
def test_convert_sq_matches_pydicom(undefined: bool) -> None:
    item = b"\x08\x00\x00\x01\x02\x00\x00\x00AB"  # (0008,0100) SH "AB", implicit VR LE
    if undefined:
        value = b"\xfe\xff\x00\xe0\xff\xff\xff\xff" + item + b"\xfe\xff\x0d\xe0" + b"\x00" * 4
    else:
        value = b"\xfe\xff\x00\xe0" + len(item).to_bytes(4, "little") + item
    from fastdicom.values import convert_SQ

    ours, theirs = convert_SQ(value, True, True, None, 100), pvalues.convert_SQ(value, True, True, None, 100)
    assert converters["SQ"] is convert_SQ
    assert len(ours) == len(theirs) == 1
    assert ours[0].CodeValue == theirs[0].CodeValue == "AB"
    for name in ("file_tell", "seq_item_tell", "is_undefined_length_sequence_item"):
        assert getattr(ours[0], name) == getattr(theirs[0], name), name
    assert ours.is_undefined_length == theirs.is_undefined_length
