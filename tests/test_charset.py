"""Tests for fastdicom.charset, with pydicom 3 as the oracle.

pydicom is used only here, to read its charset test files and to produce the
expected decoded strings and encoded bytes.
"""

from __future__ import annotations

import warnings
from collections.abc import Iterator
from types import SimpleNamespace
from typing import Any

import pytest

pydicom = pytest.importorskip("pydicom")
import pydicom.charset as pc  # noqa: E402
from pydicom.data import get_charset_files  # noqa: E402
from pydicom.valuerep import TEXT_VR_DELIMS as PD_TEXT_DELIMS  # noqa: E402

from fastdicom import charset as fc  # noqa: E402
from fastdicom import config  # noqa: E402

TEXT_VRS = {"SH", "LO", "ST", "LT", "UC", "UT"}
# VRs whose value may hold several values separated by backslash
MULTI_TEXT_VRS = {"SH", "LO", "UC"}

CHARSET_FILES = sorted(get_charset_files("*.dcm"))


@pytest.fixture(autouse=True)
def _reset_modes() -> Iterator[None]:
    """Leave the validation modes as they were after each test."""
    reading = config.settings._reading_validation_mode
    writing = config.settings._writing_validation_mode
    yield
    config.settings._reading_validation_mode = reading
    config.settings._writing_validation_mode = writing


@pytest.fixture
def raise_mode() -> None:
    config.settings.reading_validation_mode = config.RAISE
    config.settings.writing_validation_mode = config.RAISE


def _fd_and_pd(value: Any) -> tuple[list[str], list[str]]:
    """Convert encodings with both libraries, failing on any warning."""
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        return fc.convert_encodings(value), pc.convert_encodings(value)


# --------------------------------------------------------------------------
# pydicom's charset test files
# --------------------------------------------------------------------------


def _walk(ds: Any, charset: Any) -> Iterator[tuple[Any, Any, Any]]:
    """Yield (dataset, raw element, charset) for every PN and text element."""
    charset = ds.get("SpecificCharacterSet", charset)
    for tag, raw in list(ds._dict.items()):
        if raw.VR == "SQ":
            for item in ds[tag].value:
                yield from _walk(item, charset)
        elif raw.VR in TEXT_VRS | {"PN"} and isinstance(raw.value, bytes):
            yield ds, raw, charset


def _file_elements() -> list[Any]:
    params = []
    for path in CHARSET_FILES:
        ds = pydicom.dcmread(path)
        for n, (item, raw, charset) in enumerate(_walk(ds, None)):
            name = f"{path.rsplit('/', 1)[-1]}-{raw.tag}-{n}"
            params.append(pytest.param(item, raw, charset, id=name))
    return params


FILE_ELEMENTS = _file_elements()


def test_charset_files_found() -> None:
    names = {p.rsplit("/", 1)[-1] for p in CHARSET_FILES}
    for expected in (
        "chrArab.dcm",
        "chrFren.dcm",
        "chrH31.dcm",
        "chrH32.dcm",
        "chrI2.dcm",
        "chrJapMulti.dcm",
        "chrJapMultiExplicitIR6.dcm",
        "chrKoreanMulti.dcm",
        "chrRuss.dcm",
        "chrSQEncoding.dcm",
        "chrX1.dcm",
        "chrX2.dcm",
    ):
        assert expected in names
    assert len(FILE_ELEMENTS) > 50


@pytest.mark.parametrize("item, raw, charset", FILE_ELEMENTS)
def test_file_element_decodes_like_pydicom(item: Any, raw: Any, charset: Any) -> None:
    fd_enc, pd_enc = _fd_and_pd(charset)
    assert fd_enc == pd_enc
    value: bytes = raw.value

    # The whole value, as pydicom's converters decode it first.
    expected = pc.decode_bytes(value, pd_enc, PD_TEXT_DELIMS)
    assert fc.decode_bytes(value, fd_enc, fc.TEXT_VR_DELIMS) == expected

    elem = item[raw.tag]
    converted = elem.value
    if raw.VR == "PN":
        # Each component group is decoded on its own with the PN delimiters.
        stripped = value.rstrip(b"\x00 ")
        for single in stripped.split(b"\\"):
            for group in single.split(b"="):
                assert fc.decode_bytes(group, fd_enc, fc.PN_DELIMS) == pc.decode_bytes(
                    group, pd_enc, {0x5E}
                )
        names = [str(v) for v in converted] if elem.VM > 1 else [str(converted)]
        # PersonName drops empty trailing component groups.
        ours = fc.decode_bytes(stripped, fd_enc, fc.TEXT_VR_DELIMS).split("\\")
        assert [name.rstrip("=") for name in ours] == names
    else:
        decoded = fc.decode_bytes(value, fd_enc, fc.TEXT_VR_DELIMS)
        if raw.VR in MULTI_TEXT_VRS:
            ours = [v.rstrip("\x00 ") for v in decoded.split("\\")]
            theirs = list(converted) if elem.VM > 1 else [converted]
            assert ours == theirs
        else:
            assert decoded.rstrip("\x00 ") == converted


@pytest.mark.parametrize("item, raw, charset", FILE_ELEMENTS)
def test_file_element_round_trip(item: Any, raw: Any, charset: Any) -> None:
    fd_enc, pd_enc = _fd_and_pd(charset)
    value: bytes = raw.value.rstrip(b"\x00 ")
    if raw.VR == "PN":
        # Encode as PersonName does: each name component on its own.
        # Split the decoded groups: '^' may be a byte of a JIS X 0208 character.
        groups = [
            fc.decode_bytes(group, fd_enc, fc.PN_DELIMS)
            for single in value.split(b"\\")
            for group in single.split(b"=")
        ]
        strings = [comp for group in groups for comp in group.split("^")]
    else:
        strings = [fc.decode_bytes(value, fd_enc, fc.TEXT_VR_DELIMS)]
    for s in strings:
        assert fc.encode_string(s, fd_enc) == pc.encode_string(s, pd_enc)


def test_japanese_file_values() -> None:
    ds = pydicom.dcmread(get_charset_files("chrH31.dcm")[0])
    raw = ds._dict[0x00100010].value
    enc = fc.convert_encodings(["", "ISO 2022 IR 87"])
    groups = [fc.decode_bytes(g, enc, fc.PN_DELIMS) for g in raw.split(b"=")]
    assert groups == ["Yamada^Tarou", "山田^太郎", "やまだ^たろう"]


def test_korean_file_values() -> None:
    ds = pydicom.dcmread(get_charset_files("chrI2.dcm")[0])
    raw = ds._dict[0x00100010].value
    enc = fc.convert_encodings(["", "ISO 2022 IR 149"])
    groups = [fc.decode_bytes(g, enc, fc.PN_DELIMS) for g in raw.split(b"=")]
    assert groups == ["Hong^Gildong", "洪^吉洞", "홍^길동"]


# --------------------------------------------------------------------------
# Defined terms
# --------------------------------------------------------------------------

# Every Defined Term of PS3.3 C.12.1.1.2 with a sample only it can encode.
SINGLE_BYTE_SAMPLES = {
    "ISO_IR 6": "Smith^John",
    "ISO_IR 100": "Buc^Jérôme",
    "ISO_IR 101": "Dvořák^Antonín",
    "ISO_IR 109": "Ġużeppi^Ħarry",
    "ISO_IR 110": "Ģirts^Ņikolajs",
    "ISO_IR 144": "Люкceмбypг",
    "ISO_IR 127": "قباني^لنزار",
    "ISO_IR 126": "Διονυσιος",
    "ISO_IR 138": "שרון^דבורה",
    "ISO_IR 148": "Çavuşoğlu^Şükrü",
    "ISO_IR 166": "ประเทศไทย",
    "ISO_IR 192": "Wang^XiaoDong=王^小東=",
    "GB18030": "Wang^XiaoDong=王^小东=",
    "GBK": "Wang^XiaoDong=王^小东=",
}


def test_python_encoding_matches_pydicom() -> None:
    for term, codec in pc.python_encoding.items():
        assert fc.python_encoding[term] == codec
    # Terms pydicom 3.0 lacks, from PS3.3 Tables C.12-2 and C.12-3.
    assert fc.python_encoding["ISO_IR 203"] == "latin9"
    assert fc.python_encoding["ISO 2022 IR 203"] == "latin9"


def test_defined_terms_complete() -> None:
    terms = [
        *(f"ISO_IR {n}" for n in (6, 100, 101, 109, 110, 144, 127, 126, 138, 148, 203, 13, 166)),
        *(f"ISO 2022 IR {n}" for n in (6, 100, 101, 109, 110, 144, 127, 126, 138, 148, 203, 13, 166)),
        *(f"ISO 2022 IR {n}" for n in (87, 159, 149, 58)),
        "ISO_IR 192",
        "GB18030",
        "GBK",
    ]
    import codecs

    for term in terms:
        codecs.lookup(fc.python_encoding[term])


def test_constants() -> None:
    assert fc.default_encoding == "iso8859"
    assert fc.ESC == b"\x1b"
    assert fc.PN_DELIMS == {0x5E}
    assert fc.TEXT_VR_DELIMS == PD_TEXT_DELIMS
    for code, enc in pc.CODES_TO_ENCODINGS.items():
        assert fc.CODES_TO_ENCODINGS[code] == enc
    for enc, code in pc.ENCODINGS_TO_CODES.items():
        assert fc.ENCODINGS_TO_CODES[enc] == code
    assert fc.ENCODINGS_TO_CODES["latin9"] == b"\x1b-b"
    assert fc.STAND_ALONE_ENCODINGS == pc.STAND_ALONE_ENCODINGS
    assert fc.decode_string is fc.decode_bytes


@pytest.mark.parametrize("term, sample", SINGLE_BYTE_SAMPLES.items())
def test_single_term_round_trip(term: str, sample: str) -> None:
    enc = fc.convert_encodings(term)
    encoded = fc.encode_string(sample, enc)
    assert encoded == pc.encode_string(sample, pc.convert_encodings(term))
    assert fc.decode_bytes(encoded, enc, fc.PN_DELIMS) == sample
    assert pc.decode_bytes(encoded, enc, fc.PN_DELIMS) == sample


def test_iso_ir_203() -> None:
    enc = fc.convert_encodings("ISO_IR 203")
    assert enc == ["latin9"]
    assert fc.encode_string("€uro^Œuvre", enc) == b"\xa4uro^\xbcuvre"
    assert fc.decode_bytes(b"\xa4uro^\xbcuvre", enc, fc.PN_DELIMS) == "€uro^Œuvre"
    # With code extensions it is announced by ESC - b (PS3.3 Table C.12-3).
    ext = fc.convert_encodings(["ISO 2022 IR 6", "ISO 2022 IR 203"])
    assert fc.encode_string("€", ext) == b"\x1b-b\xa4"
    assert fc.decode_bytes(b"A\x1b-b\xa4", ext, fc.PN_DELIMS) == "A€"


@pytest.mark.parametrize(
    "term, sample",
    [
        ("ISO 2022 IR 100", "Buc^Jérôme"),
        ("ISO 2022 IR 101", "Dvořák"),
        ("ISO 2022 IR 109", "Ġużeppi"),
        ("ISO 2022 IR 110", "Ģirts"),
        ("ISO 2022 IR 144", "Люкceмбypг"),
        ("ISO 2022 IR 127", "قباني"),
        ("ISO 2022 IR 126", "Διονυσιος"),
        ("ISO 2022 IR 138", "שרון"),
        ("ISO 2022 IR 148", "Çavuşoğlu"),
        ("ISO 2022 IR 166", "ประเทศไทย"),
        ("ISO 2022 IR 13", "ﾔﾏﾀﾞ"),
        ("ISO 2022 IR 87", "山田"),
        ("ISO 2022 IR 159", "丂"),
        ("ISO 2022 IR 149", "홍길동"),
    ],
)
def test_code_extension_round_trip(term: str, sample: str) -> None:
    terms = ["ISO 2022 IR 6", term]
    fd_enc, pd_enc = _fd_and_pd(terms)
    encoded = fc.encode_string(sample, fd_enc)
    assert encoded == pc.encode_string(sample, pd_enc)
    if term != "ISO 2022 IR 100":
        # The default repertoire decodes as Latin-1, so IR 100 needs no escape.
        assert encoded.startswith(b"\x1b")
    assert fc.decode_bytes(encoded, fd_enc, fc.PN_DELIMS) == sample
    assert pc.decode_bytes(encoded, pd_enc, fc.PN_DELIMS) == sample


def test_japanese_escape_sequences() -> None:
    enc = fc.convert_encodings(["ISO 2022 IR 6", "ISO 2022 IR 87"])
    assert enc == ["iso8859", "iso2022_jp"]
    # JIS X 0208 into G0, and back to ASCII at the end (PS3.5 §6.1.2.5.3)
    assert fc.encode_string("山田", enc) == b"\x1b$B;3ED\x1b(B"
    assert fc.encode_string("Yamada", enc) == b"Yamada"
    assert fc.decode_bytes(b"\x1b$B;3ED\x1b(B", enc, fc.PN_DELIMS) == "山田"

    katakana = fc.convert_encodings(["ISO 2022 IR 13", "ISO 2022 IR 87"])
    assert katakana == ["shift_jis", "iso2022_jp"]
    assert fc.encode_string("ﾔﾏﾀﾞ", katakana) == b"\xd4\xcf\xc0\xde"
    assert fc.encode_string("山田", katakana) == b"\x1b$B;3ED\x1b(J"
    assert fc.decode_bytes(b"\xd4\xcf\xc0\xde", katakana, fc.PN_DELIMS) == "ﾔﾏﾀﾞ"


def test_jis_x_0212() -> None:
    enc = fc.convert_encodings(["ISO 2022 IR 6", "ISO 2022 IR 87", "ISO 2022 IR 159"])
    value = "丂山"  # U+4E02 is only in JIS X 0212, 山 only in JIS X 0208
    encoded = fc.encode_string(value, enc)
    assert encoded == pc.encode_string(value, enc)
    assert encoded == b"\x1b$(D0!\x1b$B;3\x1b(B"
    assert fc.decode_bytes(encoded, enc, fc.PN_DELIMS) == value


def test_jis_x_0201_encoder() -> None:
    assert fc._encode_to_jis_x_0201("ﾔﾏﾀﾞ") == b"\xd4\xcf\xc0\xde"
    assert fc._encode_to_jis_x_0201("abc") == b"abc"
    assert fc._encode_to_jis_x_0201("") == b""
    with pytest.raises(UnicodeEncodeError) as info:
        fc._encode_to_jis_x_0201("aﾔ")
    assert info.value.start == 1
    with pytest.raises(UnicodeEncodeError):
        fc._encode_to_jis_x_0201("山")
    assert fc._encode_to_jis_x_0201("aﾔ山", errors="replace") == b"a??"
    for value in ("ﾔﾏﾀﾞ", "abc", "aﾔ山"):
        assert fc._encode_to_jis_x_0201(value, "replace") == pc._encode_to_jis_x_0201(
            value, "replace"
        )


def test_jis_x_0208_and_0212_encoders() -> None:
    assert fc._encode_to_jis_x_0208("山田") == b"\x1b$B;3ED"
    with pytest.raises(UnicodeEncodeError) as info:
        fc._encode_to_jis_x_0208("山a")
    assert info.value.start == 1
    with pytest.raises(UnicodeEncodeError):
        fc._encode_to_jis_x_0208("a")
    assert fc._encode_to_jis_x_0212("丂") == b"\x1b$(D0!"
    assert fc._encode_to_jis_x_0208("山a", errors="replace") == pc._encode_to_jis_x_0208(
        "山a", errors="replace"
    )
    assert fc._encode_to_given_charset("山", "ISO 2022 IR 87") == b"\x1b$B;3"


def test_chinese_iso_2022_ir_58() -> None:
    # PS3.5 Example K.2-1: GB 2312 in G1, announced by ESC $ ) A before each
    # component. pydicom 3.0 keeps the escape sequence in the decoded string
    # and writes none; fastdicom follows the standard.
    enc = fc.convert_encodings(["ISO 2022 IR 6", "ISO 2022 IR 58"])
    assert enc == ["iso8859", "iso_ir_58"]
    assert fc.encode_string("张", enc) == b"\x1b$)A\xd5\xc5"
    assert fc.encode_string("小东", enc) == b"\x1b$)A\xd0\xa1\xb6\xab"
    raw = b"Zhang^XiaoDong=\x1b$)A\xd5\xc5^\x1b$)A\xd0\xa1\xb6\xab="
    groups = [fc.decode_bytes(g, enc, fc.PN_DELIMS) for g in raw.split(b"=")]
    assert groups == ["Zhang^XiaoDong", "张^小东", ""]


def test_korean_g1_and_delimiter() -> None:
    enc = fc.convert_encodings(["", "ISO 2022 IR 149"])
    assert enc == ["iso8859", "euc_kr"]
    assert fc.encode_string("홍", enc) == b"\x1b$)C\xc8\xab"
    # PS3.5 Example I.2-1
    raw = b"\x1b$)C\xc8\xab^\x1b$)C\xb1\xe6\xb5\xbf"
    assert fc.decode_bytes(raw, enc, fc.PN_DELIMS) == "홍^길동"


def test_encode_string_parts() -> None:
    enc = fc.convert_encodings(["ISO 2022 IR 100", "ISO 2022 IR 87", "ISO 2022 IR 144"])
    for value in ("Jérôme山田Люк", "山田 Jérôme", "Люкé", "aé日本"):
        expected = pc.encode_string(value, enc)
        assert fc.encode_string(value, enc) == expected
        assert fc._encode_string_parts(value, enc) == pc._encode_string_parts(value, enc)
        assert fc.decode_bytes(expected, enc, fc.TEXT_VR_DELIMS) == value
    assert fc.encode_string("aé日本", ["latin_1", "iso2022_jp"]) == (
        b"\x1b-Aa\xe9\x1b$BF|K\\\x1b-A"
    )
    with pytest.raises(ValueError):
        fc._encode_string_parts("한", enc)


def test_escape_sequence_for_encoding() -> None:
    assert fc._get_escape_sequence_for_encoding("shift_jis") == b"\x1b(J"
    assert fc._get_escape_sequence_for_encoding("shift_jis", b"\xd4") == b"\x1b)I"
    assert fc._get_escape_sequence_for_encoding("shift_jis", b"a") == b"\x1b(J"
    assert fc._get_escape_sequence_for_encoding("euc_kr") == b"\x1b$)C"
    assert fc._get_escape_sequence_for_encoding("UTF8") == b""


# --------------------------------------------------------------------------
# Delimiters
# --------------------------------------------------------------------------


def test_pn_delimiter_resets_encoding() -> None:
    enc = ["iso8859", "iso_ir_144"]
    raw = b"\x1b-L\xbb\xee\xda^\xe9"
    # After '^' the first encoding is back in effect (PS3.5 §6.1.2.5.3).
    assert fc.decode_bytes(raw, enc, fc.PN_DELIMS) == "Люк^é"
    assert fc.decode_bytes(raw, enc, fc.PN_DELIMS) == pc.decode_bytes(raw, enc, {0x5E})
    # '^' is not a delimiter in text values.
    assert fc.decode_bytes(raw, enc, fc.TEXT_VR_DELIMS) == "Люк^щ"


@pytest.mark.parametrize("delim", [b"\r", b"\n", b"\t", b"\x0c"])
def test_text_delimiters_reset_encoding(delim: bytes) -> None:
    enc = ["latin_1", "iso_ir_126"]
    raw = b"\x1b-F\xc4" + delim + b"\xc4"
    assert fc.decode_bytes(raw, enc, fc.TEXT_VR_DELIMS) == "Δ" + delim.decode() + "Ä"
    assert fc.decode_bytes(raw, enc, fc.TEXT_VR_DELIMS) == pc.decode_bytes(
        raw, enc, PD_TEXT_DELIMS
    )


def test_escape_to_ascii_allowed_without_declaration() -> None:
    assert fc.decode_bytes(b"a\x1b(Bb", ["latin_1"], fc.PN_DELIMS) == "ab"


def test_undeclared_escape_sequence_warns() -> None:
    # ESC - L designates Cyrillic, not among the declared encodings.
    raw = b"\x1b-L\xbb"
    with pytest.warns(UserWarning, match="Found unknown escape sequence"):
        result = fc.decode_bytes(raw, ["latin_1"], fc.PN_DELIMS)
    assert result == "\x1b-L»"


def test_unknown_escape_sequence_raises(raise_mode: None) -> None:
    with pytest.raises(ValueError, match="Found unknown escape sequence"):
        fc.decode_bytes(b"\x1b%Gabc", ["latin_1"], fc.PN_DELIMS)


# --------------------------------------------------------------------------
# Invalid bytes
# --------------------------------------------------------------------------


def test_invalid_bytes_replaced_with_warning() -> None:
    with pytest.warns(UserWarning, match="Failed to decode byte string with encoding 'UTF8'"):
        result = fc.decode_bytes(b"a\xffb", ["UTF8"], fc.TEXT_VR_DELIMS)
    assert result == "a\ufffdb"


def test_invalid_bytes_in_escaped_value() -> None:
    enc = ["iso8859", "euc_kr"]
    raw = b"\x1b$)C\xff\xff"
    with pytest.warns(UserWarning, match="Failed to decode byte string with encodings"):
        ours = fc.decode_bytes(raw, enc, fc.PN_DELIMS)
    with pytest.warns(UserWarning):
        theirs = pc.decode_bytes(raw, enc, {0x5E})
    assert ours == theirs


def test_invalid_bytes_raise(raise_mode: None) -> None:
    with pytest.raises(UnicodeDecodeError):
        fc.decode_bytes(b"a\xffb", ["UTF8"], fc.TEXT_VR_DELIMS)
    with pytest.raises(UnicodeDecodeError):
        fc.decode_bytes(b"\x1b$)C\xff\xff", ["iso8859", "euc_kr"], fc.PN_DELIMS)


def test_unknown_codec_in_decode() -> None:
    with pytest.warns(UserWarning, match="Unknown encoding 'nonsense'"):
        assert fc.decode_bytes(b"\xe9", ["nonsense"], fc.PN_DELIMS) == "é"
    config.settings.reading_validation_mode = config.RAISE
    with pytest.raises(LookupError):
        fc.decode_bytes(b"\xe9", ["nonsense"], fc.PN_DELIMS)


def test_ignore_mode_still_warns() -> None:
    config.settings.reading_validation_mode = config.IGNORE
    with pytest.warns(UserWarning, match="Failed to decode"):
        fc.decode_bytes(b"\xff", ["UTF8"], fc.PN_DELIMS)


def test_encode_failure_warns_and_replaces() -> None:
    with pytest.warns(UserWarning, match="Failed to encode value with encodings: iso8859"):
        assert fc.encode_string("a山", ["iso8859"]) == b"a?"
    with pytest.warns(UserWarning):
        assert fc.encode_string("ﾔ山", ["shift_jis"]) == b"??"


def test_encode_failure_raises(raise_mode: None) -> None:
    with pytest.raises(UnicodeEncodeError):
        fc.encode_string("a山", ["iso8859"])
    with pytest.raises(UnicodeEncodeError):
        fc.encode_string("a山", ["iso8859", "iso_ir_144"])


def test_encode_empty() -> None:
    assert fc.encode_string("", ["iso8859"]) == b""
    assert fc.encode_string("", ["iso8859", "iso2022_jp"]) == b""


# --------------------------------------------------------------------------
# convert_encodings
# --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "value, expected",
    [
        (None, ["iso8859"]),
        ("", ["iso8859"]),
        ([], ["iso8859"]),
        ("ISO_IR 100", ["latin_1"]),
        (["", "ISO 2022 IR 87"], ["iso8859", "iso2022_jp"]),
        (("ISO 2022 IR 13", "ISO 2022 IR 87"), ["shift_jis", "iso2022_jp"]),
        (["ISO 2022 IR 6", "ISO 2022 IR 149"], ["iso8859", "euc_kr"]),
        ("latin_1", ["latin_1"]),  # a Python codec name is accepted silently
        ("cp1252", ["cp1252"]),
    ],
)
def test_convert_encodings(value: Any, expected: list[str]) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert fc.convert_encodings(value) == expected
        assert pc.convert_encodings(value if not isinstance(value, tuple) else list(value)) == expected


def test_convert_encodings_does_not_modify_input() -> None:
    value = ["", "ISO 2022 IR 87"]
    fc.convert_encodings(value)
    assert value == ["", "ISO 2022 IR 87"]


@pytest.mark.parametrize(
    "term, fixed, codec",
    [
        ("ISO IR 100", "ISO_IR 100", "latin_1"),
        ("ISO-IR 144", "ISO_IR 144", "iso_ir_144"),
        ("ISO IR 192", "ISO_IR 192", "UTF8"),
        ("ISO_2022_IR_87", "ISO 2022 IR 87", "iso2022_jp"),
        ("ISO-2022-IR-149", "ISO 2022 IR 149", "euc_kr"),
        ("ISO 2022-IR 100", "ISO 2022 IR 100", "latin_1"),
    ],
)
def test_misspelled_terms(term: str, fixed: str, codec: str) -> None:
    msg = f"Incorrect value for Specific Character Set '{term}' - assuming '{fixed}'"
    with pytest.warns(UserWarning, match=msg):
        assert fc.convert_encodings(term) == [codec]
    with pytest.warns(UserWarning, match=msg):
        assert pc.convert_encodings(term) == [codec]
    # Misspellings are corrected even under RAISE, as in pydicom.
    config.settings.reading_validation_mode = config.RAISE
    with pytest.warns(UserWarning, match=msg):
        assert fc.convert_encodings(term) == [codec]


@pytest.mark.parametrize("term", ["ISO_IR 999", "ISO IR 999", "ISO_2022_IR_999", "Nonsense"])
def test_unknown_term_warns(term: str) -> None:
    msg = f"Unknown encoding '{term}' - using default encoding instead"
    with pytest.warns(UserWarning, match=msg):
        assert fc.convert_encodings(term) == ["iso8859"]
    with pytest.warns(UserWarning, match=msg):
        assert fc.convert_encodings(["ISO_IR 100", term]) == ["latin_1", "iso8859"]


@pytest.mark.parametrize("term", ["ISO_IR 999", "ISO IR 999", "ISO_2022_IR_999", "Nonsense"])
def test_unknown_term_raises(term: str, raise_mode: None) -> None:
    with pytest.raises(LookupError, match=f"Unknown encoding '{term}'"):
        fc.convert_encodings(term)
    pydicom.config.settings.reading_validation_mode = pydicom.config.RAISE
    try:
        with pytest.raises(LookupError):
            pc.convert_encodings(term)
    finally:
        pydicom.config.settings.reading_validation_mode = None


def test_unknown_term_ignore_mode_warns() -> None:
    config.settings.reading_validation_mode = config.IGNORE
    with pytest.warns(UserWarning, match="Unknown encoding"):
        assert fc.convert_encodings("Nonsense") == ["iso8859"]


def test_stand_alone_first() -> None:
    msg = (
        "Value 'ISO_IR 192' for Specific Character Set does not allow code "
        "extensions, ignoring: ISO 2022 IR 100, ISO 2022 IR 144"
    )
    with pytest.warns(UserWarning, match=msg):
        result = fc.convert_encodings(["ISO_IR 192", "ISO 2022 IR 100", "ISO 2022 IR 144"])
    assert result == ["UTF8"]


def test_stand_alone_as_extension() -> None:
    with pytest.warns(UserWarning) as record:
        result = fc.convert_encodings(["ISO 2022 IR 100", "GB18030", "ISO 2022 IR 144", "GBK"])
    assert result == ["latin_1", "iso_ir_144"]
    messages = [str(w.message) for w in record]
    assert messages == [
        "Value 'GBK' cannot be used as code extension, ignoring it",
        "Value 'GB18030' cannot be used as code extension, ignoring it",
    ]
    with pytest.warns(UserWarning):
        assert pc.convert_encodings(
            ["ISO 2022 IR 100", "GB18030", "ISO 2022 IR 144", "GBK"]
        ) == result


# --------------------------------------------------------------------------
# decode_element
# --------------------------------------------------------------------------


class FakeName:
    """Stands in for PersonName: records the encodings it was decoded with."""

    def __init__(self, raw: bytes) -> None:
        self.raw = raw
        self.encodings: list[str] | None = None

    def decode(self, encodings: list[str]) -> FakeName:
        out = FakeName(self.raw)
        out.encodings = list(encodings)
        return out


def _elem(vr: str, value: Any) -> SimpleNamespace:
    return SimpleNamespace(VR=vr, value=value)


def test_decode_element_text() -> None:
    elem = _elem("LO", b"\x1b-L\xbb\xee\xda")
    fc.decode_element(elem, ["ISO 2022 IR 6", "ISO 2022 IR 144"])
    assert elem.value == "Люк"

    elem = _elem("SH", [b"\xe9", "already", b"\xe8"])
    fc.decode_element(elem, "ISO_IR 100")
    assert elem.value == ["é", "already", "è"]

    elem = _elem("ST", "text")
    fc.decode_element(elem, "ISO_IR 192")
    assert elem.value == "text"

    elem = _elem("UT", b"a\xc3\xa9")
    fc.decode_element(elem, "ISO_IR 192")
    assert elem.value == "aé"


def test_decode_element_default_charset() -> None:
    for charset in (None, "", []):
        elem = _elem("LT", b"caf\xe9")
        fc.decode_element(elem, charset)
        assert elem.value == "café"


def test_decode_element_person_name() -> None:
    elem = _elem("PN", FakeName(b"x"))
    fc.decode_element(elem, ["", "ISO 2022 IR 87"])
    assert elem.value.encodings == ["iso8859", "iso2022_jp"]

    elem = _elem("PN", [FakeName(b"x"), FakeName(b"y")])
    fc.decode_element(elem, "ISO_IR 100")
    assert [v.encodings for v in elem.value] == [["latin_1"], ["latin_1"]]


def test_decode_element_empty_and_other_vrs() -> None:
    elem = SimpleNamespace(VR="LO", value=b"", is_empty=True)
    fc.decode_element(elem, "ISO_IR 100")
    assert elem.value == b""
    elem = _elem("LO", None)
    fc.decode_element(elem, "ISO_IR 100")
    assert elem.value is None
    elem = _elem("CS", b"ABC")
    fc.decode_element(elem, "ISO_IR 100")
    assert elem.value == b"ABC"


def test_decode_element_with_pydicom_element() -> None:
    # A pydicom DataElement is duck-type compatible.
    from pydicom.dataelem import DataElement

    elem = DataElement(0x00100020, "LO", b"\xe9")
    fc.decode_element(elem, "ISO_IR 100")
    assert elem.value == "é"


# --------------------------------------------------------------------------
# Differential checks on generated values
# --------------------------------------------------------------------------

# Code extension sets pydicom 3.0 and fastdicom treat alike (not IR 58/203).
_ORACLE_CHARSETS = [
    ["ISO 2022 IR 6", "ISO 2022 IR 100", "ISO 2022 IR 144"],
    ["ISO 2022 IR 13", "ISO 2022 IR 87"],
    ["", "ISO 2022 IR 87", "ISO 2022 IR 159"],
    ["", "ISO 2022 IR 149"],
    ["ISO 2022 IR 100", "ISO 2022 IR 126", "ISO 2022 IR 138"],
    ["ISO_IR 192"],
]
_ESCAPES = [*pc.CODES_TO_ENCODINGS, b"\x1b", b"\x1b$", b"\x1b%G", b"\x1b-Z", b"\x1bN"]
_CHUNKS = [b"abc", b"^", b"=", b"\r\n", b"\t", b"\xc8\xab", b";3ED", b"\xe9", b"\xd4\xcf", b"\xff"]


def _outcome(func: Any, *args: Any) -> tuple[str, Any, list[str]]:
    with warnings.catch_warnings(record=True) as record:
        warnings.simplefilter("always")
        try:
            result: Any = ("ok", func(*args))
        except Exception as exc:  # compared by type below
            result = ("error", type(exc).__name__)
    return (*result, [str(w.message) for w in record])


@pytest.mark.parametrize("mode", [config.WARN, config.RAISE])
def test_generated_values_decode_like_pydicom(mode: int) -> None:
    import random

    rng = random.Random(20240501)
    config.settings.reading_validation_mode = mode
    pydicom.config.settings.reading_validation_mode = mode
    try:
        checked = 0
        for _ in range(3000):
            charset = rng.choice(_ORACLE_CHARSETS)
            enc = pc.convert_encodings(charset)
            value = b"".join(
                rng.choice(_ESCAPES) if rng.random() < 0.3 else rng.choice(_CHUNKS)
                for _ in range(rng.randint(0, 6))
            )
            for delims in ({0x5E}, PD_TEXT_DELIMS):
                ours = _outcome(fc.decode_bytes, value, enc, delims)
                theirs = _outcome(pc.decode_bytes, value, enc, delims)
                assert ours == theirs, (value, charset)
                checked += 1
        assert checked == 6000
    finally:
        pydicom.config.settings.reading_validation_mode = None


def test_generated_strings_encode_like_pydicom() -> None:
    import random

    rng = random.Random(7)
    alphabet = "aZ^=é€Люкא山田丂ﾔﾏ홍길中"
    for _ in range(2000):
        charset = rng.choice(_ORACLE_CHARSETS)
        enc = pc.convert_encodings(charset)
        value = "".join(rng.choice(alphabet) for _ in range(rng.randint(1, 6)))
        ours = _outcome(fc.encode_string, value, enc)
        theirs = _outcome(pc.encode_string, value, enc)
        assert ours == theirs, (value, charset)


def test_decode_element_with_fastdicom_person_name() -> None:
    valuerep = pytest.importorskip("fastdicom.valuerep")
    raw = b"Yamada^Tarou=\x1b$B;3ED\x1b(B^\x1b$BB@O:\x1b(B"
    # A PersonName read without encodings must not be decoded before
    # decode_element gives it the right ones.
    elem = _elem("PN", valuerep.PersonName(raw))
    fc.decode_element(elem, ["", "ISO 2022 IR 87"])
    assert str(elem.value) == "Yamada^Tarou=山田^太郎"

    elem = _elem("PN", raw)
    fc.decode_element(elem, ["", "ISO 2022 IR 87"])
    assert isinstance(elem.value, valuerep.PersonName)
    assert str(elem.value) == "Yamada^Tarou=山田^太郎"
