"""Tests for fastdicom.valuerep, checked against pydicom 3.0.2 where the
behaviour is pydicom's."""

from __future__ import annotations

import copy
import datetime
import pickle
import warnings
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import pytest

from fastdicom import config
from fastdicom import valuerep as vr
from fastdicom.valuerep import (
    DA,
    DS,
    DT,
    IS,
    TM,
    VR,
    DSdecimal,
    DSfloat,
    ISfloat,
    PersonName,
    format_number_as_ds,
    is_valid_ds,
    validate_value,
)

pydicom = pytest.importorskip("pydicom")
import pydicom.config as pconfig  # noqa: E402
import pydicom.valuerep as pvr  # noqa: E402


@pytest.fixture
def restore_config() -> Iterator[None]:
    """Restore validation modes and DS settings after a test."""
    rmode, wmode = config.settings._reading_validation_mode, config.settings._writing_validation_mode
    prmode, pwmode = pconfig.settings._reading_validation_mode, pconfig.settings._writing_validation_mode
    allow = config.allow_DS_float, pconfig.allow_DS_float
    try:
        yield
    finally:
        config.settings._reading_validation_mode = rmode
        config.settings._writing_validation_mode = wmode
        pconfig.settings._reading_validation_mode = prmode
        pconfig.settings._writing_validation_mode = pwmode
        config.allow_DS_float, pconfig.allow_DS_float = allow
        config.DS_decimal(False)
        pconfig.DS_decimal(False)


def _outcome(func: Any, *args: Any, **kwargs: Any) -> tuple[Any, ...]:
    """Return what calling `func` gives, as comparable plain data."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            value = func(*args, **kwargs)
        except Exception as exc:
            return ("raises", type(exc).__name__, str(exc), [str(w.message) for w in caught])
    return (
        type(value).__name__,
        str(value),
        repr(value),
        getattr(value, "original_string", None),
        getattr(value, "auto_format", None),
        [str(w.message) for w in caught],
        value if value is None or isinstance(value, (int, float, str)) else None,
    )


# ---------------------------------------------------------------- VR sets


def test_vr_enum_and_sets_match_pydicom() -> None:
    """The VR enum and every VR set equal pydicom's."""
    assert [m.value for m in VR] == [m.value for m in pvr.VR]
    assert [m.name for m in VR] == [m.name for m in pvr.VR]
    assert str(VR.US) == "US" and VR.US == "US" and VR("US or SS") is VR.US_SS
    assert f"{VR.AE}" == "AE"
    for name in (
        "STANDARD_VR", "AMBIGUOUS_VR", "DEFAULT_CHARSET_VR", "CUSTOMIZABLE_CHARSET_VR",
        "BYTES_VR", "FLOAT_VR", "INT_VR", "LIST_VR", "STR_VR", "ALLOW_BACKSLASH",
        "LONG_VALUE_VR", "EXPLICIT_VR_LENGTH_16", "EXPLICIT_VR_LENGTH_32", "BUFFERABLE_VRS",
    ):  # fmt: skip
        assert {str(v) for v in getattr(vr, name)} == {str(v) for v in getattr(pvr, name)}, name
    assert len(vr.STANDARD_VR) == 34
    assert vr.MAX_VALUE_LEN == pvr.MAX_VALUE_LEN
    assert vr.TEXT_VR_DELIMS == pvr.TEXT_VR_DELIMS
    assert set(vr.VALIDATORS) == set(pvr.VALIDATORS)


_VALIDATION_CASES = [
    ("AE", "AE TITLE"), ("AE", "A" * 17), ("AE", "\x01"), ("AS", "034Y"), ("AS", "34Y"),
    ("CS", "ORIGINAL"), ("CS", "lower"), ("CS", "A" * 17), ("DA", "20240101"), ("DA", "2024"),
    ("DA", "20240101-20240202"), ("DA", datetime.date(2024, 1, 1)), ("DS", "1.5"), ("DS", "1,5"),
    ("DS", b"1.5"), ("DS", "1.5\n"), ("DT", "20240101120000.5+0100"), ("DT", "2024x"),
    ("FD", 1.5), ("FD", "x"), ("IS", "12"), ("IS", "1.5"), ("LO", "x" * 65), ("LO", 12),
    ("OB", b"\x00"), ("OB", "x"), ("PN", "A^B=C^D=E^F"), ("PN", "A=B=C=D"), ("PN", "A" * 65),
    ("PN", b"A" * 65), ("SH", "x" * 17), ("SL", -(2**31) - 1), ("SS", 40000), ("SS", b"\x00"),
    ("TM", "1200"), ("TM", "2500"), ("UI", "1.2.3"), ("UI", "1.02"), ("UI", "1." * 40),
    ("UL", -1), ("US", 65536), ("US", 65535), ("UR", "http://a b"), ("UV", 2**64), ("XX", 1),
    ("LT", None),
]  # fmt: skip


@pytest.mark.parametrize("vr_name, value", _VALIDATION_CASES)
@pytest.mark.parametrize("mode", [0, 1, 2])
def test_validate_value_matches_pydicom(vr_name: str, value: Any, mode: int) -> None:
    """validate_value warns and raises exactly where pydicom does."""
    ours = _outcome(validate_value, vr_name, value, mode)
    theirs = _outcome(pvr.validate_value, vr_name, value, mode)
    assert ours == theirs


def test_validate_warns_and_raises() -> None:
    """WARN gives a UserWarning, RAISE a ValueError, IGNORE nothing."""
    with pytest.warns(UserWarning, match="exceeds the maximum length of 16"):
        validate_value("CS", "A" * 17, config.WARN)
    with pytest.raises(ValueError, match="Invalid value for VR CS"):
        validate_value("CS", "lower", config.RAISE)
    validate_value("CS", "lower", config.IGNORE)


# ---------------------------------------------------------------- DS / IS


_DS_INPUTS = [
    "1.5", " 12 ", "1.0E+10", "-0.0", "+1", ".5", "5.", "1e-3", "1.2345678901234567", "abc",
    "", "  ", None, 1.5, 3, 0.1 + 0.2, 1e20, 1e-20, float("nan"), float("inf"), Decimal("1.50"),
    "12345678901234567",
]  # fmt: skip


@pytest.mark.parametrize("value", _DS_INPUTS, ids=repr)
@pytest.mark.parametrize("mode", [0, 1, 2])
@pytest.mark.parametrize("auto_format", [False, True])
def test_ds_matches_pydicom(restore_config: None, value: Any, mode: int, auto_format: bool) -> None:
    """DS(), DSfloat and DSdecimal give what pydicom's give."""
    ours = _outcome(DS, value, auto_format, mode)
    theirs = _outcome(pvr.DS, value, auto_format, mode)
    assert ours[:6] == theirs[:6]
    assert _outcome(DSfloat, value, auto_format, mode)[:6] == _outcome(pvr.DSfloat, value, auto_format, mode)[:6]
    for allow in (False, True):
        config.allow_DS_float = pconfig.allow_DS_float = allow
        ours = _outcome(DSdecimal, value, auto_format, mode)
        theirs = _outcome(pvr.DSdecimal, value, auto_format, mode)
        assert ours[:6] == theirs[:6]


def test_ds_edge_cases(restore_config: None) -> None:
    """DS keeps its string, compares with str and numbers, validates."""
    x = DS("1.0E+10")
    assert isinstance(x, DSfloat) and x == 1e10 and str(x) == "1.0E+10" and repr(x) == "'1.0E+10'"
    assert x == "1.0E+10"
    y = DS(" 12 ")
    assert y == 12 and str(y) == "12" and hash(y) == hash(12.0)
    assert DS("") == "" and DS(None) is None
    assert str(DSfloat(1.5)) == "1.5" and repr(DSfloat(1.5)) == "'1.5'"
    with pytest.warns(UserWarning, match="exceeds the maximum length of 16"):
        long_ds = DS("1" * 17, validation_mode=config.WARN)
    assert long_ds == 11111111111111111.0 and str(long_ds) == "1" * 17
    with pytest.raises(ValueError):
        DS("1" * 17, validation_mode=config.RAISE)
    with pytest.warns(UserWarning, match="Invalid value for VR DS"):
        with pytest.raises(ValueError):  # warned about, then not a float either
            DS("1,5", validation_mode=config.WARN)
    with pytest.raises(ValueError):
        DS("abc", validation_mode=config.RAISE)
    with pytest.raises(OverflowError):
        DSfloat(0.1 + 0.2, validation_mode=config.RAISE)
    z = DSfloat(0.1 + 0.2, auto_format=True)
    assert str(z) == "0.30000000000000" and len(str(z)) <= 16
    config.DS_decimal(True)
    d = DS("1.50")
    assert isinstance(d, DSdecimal) and str(d) == "1.50" and d == Decimal("1.5")
    with pytest.raises(TypeError, match="allow_DS_float"):
        DS(1.5)
    config.allow_DS_float = True
    assert DS(1.5) == Decimal(1.5)


def test_ds_pickle_and_copy() -> None:
    """DS values keep their string through pickle and copy."""
    x = DS("1.50")
    assert str(pickle.loads(pickle.dumps(x))) == "1.50"
    assert str(copy.deepcopy(x)) == "1.50"


@pytest.mark.parametrize(
    "value",
    [0.1 + 0.2, 1e20, -1e20, 1.23456789e-7, -3.14159265358979e13, 3.14159265358979e13, 123.0, 1e-4 / 3,
     Decimal("3.14159265358979323846"), -0.0, 1e300, 1e-300],
    ids=repr,
)  # fmt: skip
def test_format_number_as_ds_matches_pydicom(value: float | Decimal) -> None:
    """format_number_as_ds gives pydicom's string, and a valid DS."""
    assert format_number_as_ds(value) == pvr.format_number_as_ds(value)
    assert is_valid_ds(format_number_as_ds(value))


def test_format_number_as_ds_errors() -> None:
    """Non-finite and non-float values are refused."""
    with pytest.raises(ValueError, match="non-finite"):
        format_number_as_ds(float("nan"))
    with pytest.raises(TypeError):
        format_number_as_ds(1)  # type: ignore[arg-type]
    assert is_valid_ds("1.5") and not is_valid_ds("1.5.5") and not is_valid_ds("1" * 17)


_IS_INPUTS = [
    "12", " 12 ", "-5", "+7", "1.0", "1.5", "abc", "", " ", None, 12, 1.0, 1.5, Decimal("2"),
    Decimal("2.5"), "99999999999", 2**31, "1e3",
]  # fmt: skip


@pytest.mark.parametrize("value", _IS_INPUTS, ids=repr)
@pytest.mark.parametrize("mode", [0, 1, 2])
def test_is_matches_pydicom(value: Any, mode: int) -> None:
    """IS gives what pydicom's IS gives, including ISfloat and errors."""
    assert _outcome(IS, value, mode) == _outcome(pvr.IS, value, mode)


def test_is_edge_cases() -> None:
    """IS keeps its string and warns about fractional values."""
    x = IS(" 12 ")
    assert x == 12 and x == "12" and str(x) == "12" and repr(x) == "'12'" and hash(x) == hash(12)
    assert repr(IS(5)) == "'5'" and str(IS(5)) == "5"
    with pytest.warns(UserWarning, match="Invalid value for VR IS: '1.0'"):
        assert IS("1.0") == 1
    assert type(IS("1.0", validation_mode=config.IGNORE)) is IS
    with pytest.warns(UserWarning) as record:
        f = IS("1.5", validation_mode=config.WARN)
    assert [str(w.message)[:30] for w in record] == ["Invalid value for VR IS: '1.5'", 'Value "1.5" is not valid for e']
    assert isinstance(f, ISfloat) and f == 1.5
    with pytest.raises(ValueError):  # the string fails the IS pattern first
        IS("1.5", validation_mode=config.RAISE)
    with pytest.raises(TypeError):  # a float is not checked against the pattern
        IS(1.5, validation_mode=config.RAISE)
    with pytest.raises(OverflowError):
        IS(2**31, validation_mode=config.RAISE)
    with pytest.raises(ValueError):
        IS("abc", validation_mode=config.IGNORE)


# ---------------------------------------------------------------- DA DT TM


_DA_INPUTS = ["20240102", "2024.01.02", "", "  ", None, "2024013", "20241301", datetime.date(2024, 1, 2)]
_DT_INPUTS = [
    "2024", "202401", "20240102", "2024010203", "202401020304", "20240102030405",
    "20240102030405.1", "20240102030405.123456", "20240102030405+0100", "20240102030405.5-1030",
    "20240102030460", "2024010203040", "x", "", None, "20240102030405.123456+01000",
    datetime.datetime(2024, 1, 2, 3, 4, 5), datetime.datetime(2024, 1, 2, 3, 4, 5, 6),
    datetime.datetime(2024, 1, 2, tzinfo=datetime.timezone(datetime.timedelta(hours=-2, minutes=-30))),
]  # fmt: skip
_TM_INPUTS = [
    "12", "1230", "123045", "123045.1", "123045.123456", "123060", "126", "2500", "1230.5", "", " ",
    None, "123045.", datetime.time(1, 2, 3), datetime.time(1, 2, 3, 4),
]  # fmt: skip


@pytest.mark.parametrize("cls, pcls, inputs", [(DA, pvr.DA, _DA_INPUTS), (DT, pvr.DT, _DT_INPUTS), (TM, pvr.TM, _TM_INPUTS)])
def test_date_time_match_pydicom(cls: type, pcls: type, inputs: list) -> None:
    """DA, DT and TM parse, print and fail as pydicom's do."""
    for value in inputs:
        ours, theirs = _outcome(cls, value), _outcome(pcls, value)
        if ours[0] != "raises":
            ours, theirs = ours[1:], theirs[1:]  # class names are equal anyway
        assert ours == theirs, value
        if value is not None and ours[0] != "raises":
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                a, b = cls(value), pcls(value)
            if a is not None:
                assert a == b and a.isoformat() == b.isoformat()


def test_date_time_parsing_variants() -> None:
    """Partial dates and times fill in the missing parts."""
    assert DA("20240102") == datetime.date(2024, 1, 2)
    assert DA("2024.01.02") == datetime.date(2024, 1, 2)
    assert DA("") is None and DA(None) is None
    assert DT("2024") == datetime.datetime(2024, 1, 1)
    dt = DT("20240102030405.5-1030")
    assert dt.microsecond == 500000 and dt.utcoffset() == datetime.timedelta(hours=-10, minutes=-30)
    assert str(dt) == "20240102030405.5-1030" and repr(dt) == '"20240102030405.5-1030"'
    assert TM("12") == datetime.time(12) and TM("123045.1").microsecond == 100000
    with pytest.warns(UserWarning, match="changing to '59'"):
        assert TM("123060").second == 59
    with pytest.warns(UserWarning, match="changing to '59'"):
        assert DT("20240102030460").second == 59
    with pytest.raises(ValueError, match="non-conformant"):
        TM("2500")
    with pytest.raises(ValueError):
        DA("2024013x")
    assert str(DA(datetime.date(2024, 1, 2))) == "20240102"
    assert str(TM(datetime.time(1, 2, 3, 4))) == "010203.000004"
    assert str(DT(datetime.datetime(2024, 1, 2, 3, 4, 5))) == "20240102030405"
    assert str(DA(DA("20240102"))) == "20240102"
    assert DA(2024, 1, 2) == datetime.date(2024, 1, 2)


def test_date_time_pickle() -> None:
    """original_string survives pickling."""
    for value in (DA("20240102"), DT("20240102030405.5+0100"), TM("1230")):
        copy_ = pickle.loads(pickle.dumps(value))
        assert copy_ == value and str(copy_) == str(value) and type(copy_) is type(value)


# ---------------------------------------------------------------- PN


_PN_CASES: list[tuple[Any, Any]] = [
    (b"Doe^John^M^Dr^Jr", None),
    (b"Doe^John", ["iso8859"]),
    ("Doe^John=", None),
    ("", None),
    (b"", None),
    (b"=Ideo", None),
    (b"Yamada^Tarou=\x1b$B;3ED\x1b(B^\x1b$BB@O:\x1b(B=\x1b$B$d$^$@\x1b(B^\x1b$B$?$m$&\x1b(B", ["iso8859", "iso2022_jp"]),
    (b"Wang^XiaoDong=\xcd\xf5^\xd0\xa1\xb6\xab=", ["GB18030"]),
    (b"Hong^Gildong=\x1b$)C\xfb\xf3^\x1b$)C\xd1\xce\xd4\xd7=\x1b$)C\xc8\xab^\x1b$)C\xb1\xe6\xb5\xbf", ["iso8859", "euc_kr"]),
    ("Müller^Hans", ["latin_1"]),
    (b"M\xfcller^Hans", ["latin_1"]),
    (b"A" * 70, None),
]


@pytest.mark.parametrize("value, encodings", _PN_CASES)
def test_person_name_matches_pydicom(value: Any, encodings: Any) -> None:
    """PersonName parts, strings and encodings equal pydicom's."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        ours, theirs = PersonName(value, encodings), pvr.PersonName(value, encodings)
        for attr in (
            "components", "family_name", "given_name", "middle_name", "name_prefix", "name_suffix",
            "alphabetic", "ideographic", "phonetic", "encodings", "original_string",
        ):  # fmt: skip
            assert getattr(ours, attr) == getattr(theirs, attr), attr
        assert str(ours) == str(theirs) and repr(ours) == repr(theirs)
        assert bool(ours) == bool(theirs) and len(ours) == len(theirs) and list(ours) == list(theirs)
        assert hash(ours) == hash(theirs)
        assert ours.encode() == theirs.encode()
        assert ours.encode(["UTF8"]) == theirs.encode(["UTF8"])
        assert ours.family_comma_given() == theirs.family_comma_given()
        fmt = "%(family_name)s, %(given_name)s [%(ideographic)s/%(phonetic)s]"
        assert ours.formatted(fmt) == theirs.formatted(fmt)
        assert str(ours.decode(["UTF8"])) == str(theirs.decode(["UTF8"]))


def test_person_name_components() -> None:
    """Component access, comparisons and container behaviour."""
    pn = PersonName("Adams^John Robert Quincy^^Rev.^B.A. M.Div.")
    assert pn.family_name == "Adams" and pn.given_name == "John Robert Quincy"
    assert pn.middle_name == "" and pn.name_prefix == "Rev." and pn.name_suffix == "B.A. M.Div."
    assert pn.ideographic == "" and pn.phonetic == ""
    assert pn == "Adams^John Robert Quincy^^Rev.^B.A. M.Div." and pn != "Adams"
    assert "Quincy" in pn and len(pn) == 42 and list(PersonName("AB")) == ["A", "B"]
    assert {pn: 1}[PersonName("Adams^John Robert Quincy^^Rev.^B.A. M.Div.")] == 1
    assert PersonName(None) is None
    assert not PersonName("") and PersonName("=x")
    assert PersonName(pn) == pn
    assert repr(PersonName("A^B")) == "'A^B'"


def test_person_name_multibyte() -> None:
    """Japanese, Korean and Chinese names decode with their encodings."""
    jp = PersonName(
        b"Yamada^Tarou=\x1b$B;3ED\x1b(B^\x1b$BB@O:\x1b(B=\x1b$B$d$^$@\x1b(B^\x1b$B$?$m$&\x1b(B",
        ["iso8859", "iso2022_jp"],
    )
    assert jp.alphabetic == "Yamada^Tarou"
    assert jp.ideographic == "山田^太郎"
    assert jp.phonetic == "やまだ^たろう"
    assert jp.encode() == jp.original_string
    kr = PersonName("Hong^Gildong=洪^吉洞=홍^길동", ["iso8859", "euc_kr"])
    assert kr.encode() == (
        b"Hong^Gildong=\x1b$)C\xfb\xf3^\x1b$)C\xd1\xce\xd4\xd7=\x1b$)C\xc8\xab^\x1b$)C\xb1\xe6\xb5\xbf"
    )
    assert PersonName(b"Wang^XiaoDong=\xcd\xf5^\xd0\xa1\xb6\xab=", ["GB18030"]).ideographic == "王^小东"


def test_person_name_validation(restore_config: None) -> None:
    """Long components warn or raise by validation mode."""
    with pytest.warns(UserWarning, match="PN component length"):
        PersonName("A" * 65)
    with pytest.raises(ValueError, match="number of PN components"):
        PersonName("A=B=C=D", validation_mode=config.RAISE)


def test_from_named_components() -> None:
    """from_named_components builds the value as pydicom does."""
    kwargs = dict(family_name="Adams", given_name="John Robert Quincy", name_prefix="Rev.", name_suffix="B.A. M.Div.")
    pn = PersonName.from_named_components(**kwargs)
    assert pn == pvr.PersonName.from_named_components(**kwargs)
    assert pn.original_string == b"Adams^John Robert Quincy^^Rev.^B.A. M.Div."
    kr = dict(
        family_name="Hong", given_name="Gildong", family_name_ideographic="洪", given_name_ideographic="吉洞",
        family_name_phonetic="홍", given_name_phonetic="길동", encodings=["iso8859", "euc_kr"],
    )  # fmt: skip
    ours, theirs = PersonName.from_named_components(**kr), pvr.PersonName.from_named_components(**kr)
    assert ours.original_string == theirs.original_string
    assert ours.components == theirs.components == ("Hong^Gildong", "洪^吉洞", "홍^길동")
    mixed = PersonName.from_named_components(family_name=b"Doe", given_name="Jane")
    assert mixed == "Doe^Jane"
    for bad in ("a^b", "a=b", "a\\b"):
        with pytest.raises(ValueError, match="may not contain"):
            PersonName.from_named_components(family_name=bad)
    vet = PersonName.from_named_components_veterinary(responsible_party_name="ABC Farms", patient_name="Running on Water")
    assert vet == "ABC Farms^Running on Water"
    assert vet == pvr.PersonName.from_named_components_veterinary(
        responsible_party_name="ABC Farms", patient_name="Running on Water"
    )
    assert PersonName.from_named_components() == ""
