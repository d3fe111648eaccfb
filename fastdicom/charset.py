"""Character sets of DICOM string values, as in ``pydicom.charset``.

DICOM names the character repertoires of a dataset in (0008,0005) *Specific
Character Set* (PS3.3 C.12.1.1.2). This module maps those Defined Terms to
Python codecs, decodes byte values that may switch between code elements with
ISO/IEC 2022 escape sequences (PS3.5 §6.1.2.5), and encodes strings back,
adding the escape sequences a reader needs.

The public names, their behaviour and their warnings follow pydicom 3.0 so
that code written against ``pydicom.charset`` keeps working. Only the standard
library is used.
"""

from __future__ import annotations

import codecs
import re
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from fastdicom import config

__all__ = [
    "CODES_TO_ENCODINGS",
    "CUSTOMIZABLE_CHARSET_VR",
    "ENCODINGS_TO_CODES",
    "ESC",
    "PN_DELIMS",
    "STAND_ALONE_ENCODINGS",
    "TEXT_VR_DELIMS",
    "convert_encodings",
    "decode_bytes",
    "decode_element",
    "decode_string",
    "default_encoding",
    "encode_string",
    "python_encoding",
]

default_encoding = "iso8859"
"""str: Codec used when no Specific Character Set is given.

The DICOM default repertoire is ISO-IR 6 (ASCII, PS3.5 §6.1.2.1). Like
pydicom, the Latin-1 alias ``iso8859`` is used so that stray 8-bit bytes in
files without (0008,0005) still decode instead of failing.
"""

# Defined Terms of PS3.3 C.12.1.1.2 (Tables C.12-2 to C.12-5) and their codecs.
# A few terms share one codec; the escape sequence tables below then decide
# how the code element is announced inside a value.
python_encoding: dict[str, str] = {
    # An empty value 1 means the default repertoire (PS3.3 C.12.1.1.2).
    "": default_encoding,
    # Table C.12-2: single-byte character sets without code extensions.
    "ISO_IR 6": default_encoding,
    "ISO_IR 100": "latin_1",  # Latin alphabet No. 1
    "ISO_IR 101": "iso8859_2",  # Latin alphabet No. 2
    "ISO_IR 109": "iso8859_3",  # Latin alphabet No. 3
    "ISO_IR 110": "iso8859_4",  # Latin alphabet No. 4
    "ISO_IR 144": "iso_ir_144",  # Cyrillic
    "ISO_IR 127": "iso_ir_127",  # Arabic
    "ISO_IR 126": "iso_ir_126",  # Greek
    "ISO_IR 138": "iso_ir_138",  # Hebrew
    "ISO_IR 148": "iso_ir_148",  # Latin alphabet No. 5
    "ISO_IR 203": "latin9",  # Latin alphabet No. 9
    "ISO_IR 13": "shift_jis",  # Japanese JIS X 0201 (katakana and romaji)
    "ISO_IR 166": "iso_ir_166",  # Thai
    # Table C.12-3: single-byte character sets with code extensions.
    "ISO 2022 IR 6": default_encoding,
    "ISO 2022 IR 100": "latin_1",
    "ISO 2022 IR 101": "iso8859_2",
    "ISO 2022 IR 109": "iso8859_3",
    "ISO 2022 IR 110": "iso8859_4",
    "ISO 2022 IR 144": "iso_ir_144",
    "ISO 2022 IR 127": "iso_ir_127",
    "ISO 2022 IR 126": "iso_ir_126",
    "ISO 2022 IR 138": "iso_ir_138",
    "ISO 2022 IR 148": "iso_ir_148",
    "ISO 2022 IR 203": "latin9",
    "ISO 2022 IR 13": "shift_jis",
    "ISO 2022 IR 166": "iso_ir_166",
    # Table C.12-4: multi-byte character sets with code extensions.
    "ISO 2022 IR 87": "iso2022_jp",  # JIS X 0208 kanji in G0
    "ISO 2022 IR 159": "iso2022_jp_2",  # JIS X 0212 supplementary kanji in G0
    "ISO 2022 IR 149": "euc_kr",  # KS X 1001 in G1
    "ISO 2022 IR 58": "iso_ir_58",  # GB 2312 in G1
    # Table C.12-5: multi-byte character sets without code extensions.
    "ISO_IR 192": "UTF8",
    "GB18030": "GB18030",
    "GBK": "GBK",
    # Spellings seen in the wild and accepted by pydicom (DICOM CP 1234).
    "ISO 2022 GBK": "GBK",
    "ISO 2022 58": "GB2312",
}
"""dict: Python codec for each Specific Character Set Defined Term."""

STAND_ALONE_ENCODINGS = ("ISO_IR 192", "GBK", "GB18030")
"""tuple of str: Terms that forbid code extensions (PS3.3 Table C.12-5)."""

ESC = b"\x1b"
"""bytes: The ESCAPE control character that opens an ISO 2022 escape sequence."""

# Escape sequences of PS3.3 Tables C.12-3 and C.12-4 and the codec each
# designated code element is decoded with.
CODES_TO_ENCODINGS: dict[bytes, str] = {
    ESC + b"(B": default_encoding,  # ISO-IR 6 (ASCII) into G0
    ESC + b"-A": "latin_1",  # ISO-IR 100 into G1
    ESC + b"-B": "iso8859_2",  # ISO-IR 101
    ESC + b"-C": "iso8859_3",  # ISO-IR 109
    ESC + b"-D": "iso8859_4",  # ISO-IR 110
    ESC + b"-F": "iso_ir_126",  # ISO-IR 126
    ESC + b"-G": "iso_ir_127",  # ISO-IR 127
    ESC + b"-H": "iso_ir_138",  # ISO-IR 138
    ESC + b"-L": "iso_ir_144",  # ISO-IR 144
    ESC + b"-M": "iso_ir_148",  # ISO-IR 148
    ESC + b"-b": "latin9",  # ISO-IR 203
    ESC + b"-T": "iso_ir_166",  # ISO-IR 166
    ESC + b")I": "shift_jis",  # ISO-IR 13 katakana into G1
    ESC + b"(J": "shift_jis",  # ISO-IR 14 romaji into G0; shift_jis covers both
    ESC + b"$B": "iso2022_jp",  # ISO-IR 87 into G0
    ESC + b"$(D": "iso2022_jp_2",  # ISO-IR 159 into G0
    ESC + b"$)C": "euc_kr",  # ISO-IR 149 into G1
    ESC + b"$)A": "iso_ir_58",  # ISO-IR 58 into G1
}
"""dict: Python codec for each escape sequence of PS3.3 Tables C.12-3/C.12-4."""

ENCODINGS_TO_CODES: dict[str, bytes] = {
    enc: code for code, enc in CODES_TO_ENCODINGS.items()
}
"""dict: Escape sequence that announces each codec of :data:`CODES_TO_ENCODINGS`."""
# shift_jis maps to two code elements; when nothing else decides, the
# katakana (G1) one is the canonical announcement.
ENCODINGS_TO_CODES["shift_jis"] = ESC + b")I"

# Codecs that understand ISO 2022 escape sequences themselves: the fragment is
# handed to them with its escape sequence, and when encoding Python already
# writes the designation, so no escape sequence is prepended.
handled_encodings = ("iso2022_jp", "iso2022_jp_2")
"""tuple of str: Codecs that read and write their own escape sequences."""

# These designate into G0, replacing ASCII, so an encoded value must switch
# back to the initial G0 set at its end (PS3.5 §6.1.2.5.3).
need_tail_escape_sequence_encodings = ("iso2022_jp", "iso2022_jp_2")
"""tuple of str: Codecs after which the initial G0 set is designated again."""

PN_DELIMS = {0x5E}
"""set of int: Bytes inside a PN component group that reset the code elements.

PS3.5 §6.1.2.5.3 resets to the initial code elements at '^' and '='. The '='
between component groups is split off before decoding, so only '^' is left.
"""

TEXT_VR_DELIMS = {0x0D, 0x0A, 0x09, 0x0C}
"""set of int: Control characters that reset the code elements in text VRs.

CR, LF, TAB and FF, after PS3.5 §6.1.2.5.3. Multi-valued values are split at
backslash before they are decoded, so backslash needs no entry.
"""
_TEXT_VR_DELIMS = TEXT_VR_DELIMS

CUSTOMIZABLE_CHARSET_VR = frozenset({"LO", "LT", "PN", "SH", "ST", "UC", "UT"})
"""frozenset of str: VRs whose values use (0008,0005) (PS3.5 §6.1.2.3)."""

# The ISO 2022 escape sequence structure (ISO/IEC 2022 §13.1): ESC, any number
# of intermediate bytes 0x20-0x2F, then one final byte 0x30-0x7E.
_ESCAPE_SEQUENCE = re.compile(rb"\x1b[\x20-\x2f]*[\x30-\x7e]?")


def _warn(msg: str, stacklevel: int = 2) -> None:
    """Log `msg` on the fastdicom logger and issue it as a UserWarning."""
    config.warn_and_log(msg, UserWarning, stacklevel=stacklevel + 1)


# --------------------------------------------------------------------------
# Decoding
# --------------------------------------------------------------------------


def decode_bytes(value: bytes, encodings: Sequence[str], delimiters: set[int]) -> str:
    """Decode an encoded byte string using the given Python `encodings`.

    The first encoding is in effect at the start of `value`. An ISO 2022 escape
    sequence switches to the code element it designates, if that code element
    is one of `encodings` (PS3.5 §6.1.2.5). A byte in `delimiters` returns to
    the first encoding.

    Parameters
    ----------
    value : bytes
        The encoded value.
    encodings : sequence of str
        Python codec names, as returned by :func:`convert_encodings` for the
        value of (0008,0005) *Specific Character Set*.
    delimiters : set of int
        Byte values that reset the encoding to the first one, e.g.
        :data:`PN_DELIMS` or :data:`TEXT_VR_DELIMS`.

    Returns
    -------
    str
        The decoded value. When a part cannot be decoded and
        ``config.settings.reading_validation_mode`` is not RAISE, a warning
        is issued and that part is decoded with the first encoding using
        replacement characters.

    Raises
    ------
    UnicodeDecodeError
        If the value cannot be decoded and the reading validation mode is
        RAISE.
    LookupError
        If the first encoding is unknown and the reading validation mode is
        RAISE.
    ValueError
        If an unknown escape sequence is found and the reading validation mode
        is RAISE.
    """
    if ESC not in value:
        # The common case: a single code element for the whole value.
        return _decode_plain(value, encodings[0])

    # Cut the value before every ESC; each piece after the first starts with
    # the escape sequence that tells how it is encoded.
    pieces: list[bytes] = []
    start = 0
    pos = value.find(ESC, 1)
    while pos != -1:
        pieces.append(value[start:pos])
        start = pos
        pos = value.find(ESC, pos + 1)
    pieces.append(value[start:])

    return "".join(_decode_piece(piece, encodings, delimiters) for piece in pieces)


decode_string = decode_bytes
"""Alias of :func:`decode_bytes`, kept as pydicom has it."""


def _decode_plain(value: bytes, encoding: str) -> str:
    """Decode a value without escape sequences using one encoding."""
    try:
        return value.decode(encoding)
    except LookupError:
        if config.settings.reading_validation_mode == config.RAISE:
            raise
        # Not an optional check, so IGNORE still warns, as in pydicom.
        _warn(f"Unknown encoding '{encoding}' - using default encoding instead", 3)
        return value.decode(default_encoding)
    except UnicodeError:
        if config.settings.reading_validation_mode == config.RAISE:
            raise
        _warn(
            f"Failed to decode byte string with encoding '{encoding}' - "
            "using replacement characters in decoded string",
            3,
        )
        return value.decode(encoding, errors="replace")


def _decode_piece(piece: bytes, encodings: Sequence[str], delimiters: set[int]) -> str:
    """Decode one piece of a value that holds escape sequences.

    A piece either starts with an escape sequence, or is the leading part of
    the value before the first escape sequence and uses the first encoding.
    """
    try:
        if piece[:1] == ESC:
            return _decode_escaped(piece, encodings, delimiters)
        return piece.decode(encodings[0])
    except UnicodeError:
        if config.settings.reading_validation_mode == config.RAISE:
            raise
        _warn(
            f"Failed to decode byte string with encodings: {', '.join(encodings)}"
            " - using replacement characters in decoded string",
            4,
        )
        return piece.decode(encodings[0], errors="replace")


def _decode_escaped(piece: bytes, encodings: Sequence[str], delimiters: set[int]) -> str:
    """Decode a piece that starts with an escape sequence."""
    match = _ESCAPE_SEQUENCE.match(piece)
    sequence = match.group() if match else ESC
    encoding = CODES_TO_ENCODINGS.get(sequence)

    # A designation is honoured only for the code elements declared in
    # (0008,0005); ESC ( B returns to ASCII, which is always allowed.
    if encoding is not None and (encoding in encodings or encoding == default_encoding):
        if encoding in handled_encodings:
            # Python's ISO 2022 codecs read the escape sequence themselves.
            return piece.decode(encoding)

        body = piece[len(sequence) :]
        # PS3.5 §6.1.2.5.3: after a delimiter the initial code element is
        # in effect again until the next escape sequence.
        cut = next((i for i, byte in enumerate(body) if byte in delimiters), None)
        if cut is None:
            return body.decode(encoding)
        return body[:cut].decode(encoding) + body[cut:].decode(encodings[0])

    msg = "Found unknown escape sequence in encoded string value"
    if config.settings.reading_validation_mode == config.RAISE:
        raise ValueError(msg)
    _warn(f"{msg} - using encoding {encodings[0]}", 4)
    return piece.decode(encodings[0], errors="replace")


# --------------------------------------------------------------------------
# Encoding
# --------------------------------------------------------------------------


def _encode_to_jis_x_0201(value: str, errors: str = "strict") -> bytes:
    """Encode `value` with JIS X 0201 (ISO-IR 13 katakana or ISO-IR 14 romaji).

    Shift_JIS is a superset of JIS X 0201, and its single-byte codes are the
    JIS X 0201 ones: bytes below 0x80 are romaji (G0), above are katakana
    (G1). A strict encoding must stay within the half the first character
    belongs to, because only one escape sequence announces the value.

    Parameters
    ----------
    value : str
        The string to encode.
    errors : str
        ``"strict"`` raises on characters outside the set; any other value
        replaces every character that is not a single ISO-IR 14 byte by '?'.

    Returns
    -------
    bytes
        The encoded string.

    Raises
    ------
    UnicodeEncodeError
        If `errors` is ``"strict"`` and `value` cannot be encoded.
    """
    encoder = codecs.getincrementalencoder("shift_jis")()

    if errors != "strict" or not value:
        # Fallback use: romaji only, no escape sequence is written, so
        # anything else becomes '?'.
        out = bytearray()
        for char in value:
            try:
                code = encoder.encode(char)
            except UnicodeEncodeError:
                code = b"?"
            if len(code) != 1 or code[0] >= 0x80:
                code = b"?"
            out += code
        return bytes(out)

    first = encoder.encode(value[0])
    if len(first) != 1:
        raise UnicodeEncodeError(
            "shift_jis", value, 0, len(value), "illegal multibyte sequence"
        )
    high_half = first[0] & 0x80
    out = bytearray(first)
    for index in range(1, len(value)):
        try:
            code = encoder.encode(value[index])
        except UnicodeEncodeError as exc:
            exc.start, exc.end = index, len(value)
            raise
        if len(code) != 1 or (code[0] & 0x80) != high_half:
            name = "ISO IR 13" if high_half else "ISO IR 14"
            raise UnicodeEncodeError(
                "shift_jis", value, index, len(value), f"Given character is out of {name}"
            )
        out += code
    return bytes(out)


def _encode_to_jis_x_0208(value: str, errors: str = "strict") -> bytes:
    """Encode `value` with JIS X 0208 (ISO 2022 IR 87).

    Parameters
    ----------
    value : str
        The string to encode.
    errors : str
        Error handling scheme, as for :meth:`str.encode`.

    Returns
    -------
    bytes
        The encoded string, starting with ``ESC $ B``.
    """
    return _encode_to_given_charset(value, "ISO 2022 IR 87", errors=errors)


def _encode_to_jis_x_0212(value: str, errors: str = "strict") -> bytes:
    """Encode `value` with JIS X 0212 (ISO 2022 IR 159).

    Parameters
    ----------
    value : str
        The string to encode.
    errors : str
        Error handling scheme, as for :meth:`str.encode`.

    Returns
    -------
    bytes
        The encoded string, starting with ``ESC $ ( D``.
    """
    return _encode_to_given_charset(value, "ISO 2022 IR 159", errors=errors)


def _encode_to_given_charset(
    value: str, character_set: str, errors: str = "strict"
) -> bytes:
    """Encode `value` entirely within one ISO 2022 multi-byte code element.

    Python's ISO 2022 codecs switch code elements on their own and finish
    with a return to ASCII. A strict encoding must stay in the code element
    of `character_set`, so the value is encoded character by character and
    any switch is an error; the trailing escape sequence is left to the
    caller, which knows the initial code element (PS3.5 §6.1.2.5.3).

    Parameters
    ----------
    value : str
        The string to encode.
    character_set : str
        A Defined Term of PS3.3 Table C.12-4, e.g. ``"ISO 2022 IR 87"``.
    errors : str
        Error handling scheme. With anything but ``"strict"`` the whole value
        is encoded with the codec as is, trailing escape sequence included.

    Returns
    -------
    bytes
        The encoded string, starting with the escape sequence.

    Raises
    ------
    UnicodeEncodeError
        If `errors` is ``"strict"`` and `value` needs another code element.
    """
    encoding = python_encoding[character_set]
    if errors != "strict":
        return value.encode(encoding, errors=errors)
    if not value:
        return b""

    encoder = codecs.getincrementalencoder(encoding)()
    out = bytearray(encoder.encode(value[0]))
    if not out.startswith(ENCODINGS_TO_CODES[encoding]):
        raise UnicodeEncodeError(
            encoding, value, 0, len(value), f"Given character is out of {character_set}"
        )
    for index in range(1, len(value)):
        try:
            code = encoder.encode(value[index])
        except UnicodeEncodeError as exc:
            exc.start, exc.end = index, len(value)
            raise
        if code[:1] == ESC:
            raise UnicodeEncodeError(
                encoding,
                value,
                index,
                len(value),
                f"Given character is out of {character_set}",
            )
        out += code
    return bytes(out)


custom_encoders: dict[str, Callable[..., bytes]] = {
    "shift_jis": _encode_to_jis_x_0201,
    "iso2022_jp": _encode_to_jis_x_0208,
    "iso2022_jp_2": _encode_to_jis_x_0212,
}
"""dict: Encoders used instead of the Python codec for the Japanese sets."""


def _get_escape_sequence_for_encoding(encoding: str, encoded: bytes | None = None) -> bytes:
    """Return the escape sequence that announces `encoding`.

    Parameters
    ----------
    encoding : str
        A Python codec name.
    encoded : bytes, optional
        The bytes that follow. For ``shift_jis`` their first byte tells
        katakana (ISO-IR 13, ``ESC ) I``) from romaji (ISO-IR 14, ``ESC ( J``).

    Returns
    -------
    bytes
        The escape sequence, or ``b""`` for codecs that have none.
    """
    if encoding == "shift_jis":
        if encoded and encoded[0] >= 0x80:
            return ESC + b")I"
        return ESC + b"(J"
    return ENCODINGS_TO_CODES.get(encoding, b"")


def _encode_string_impl(value: str, encoding: str, errors: str = "strict") -> bytes:
    """Encode `value` with one encoding, using the custom Japanese encoders.

    Parameters
    ----------
    value : str
        The string to encode.
    encoding : str
        A Python codec name.
    errors : str
        Error handling scheme, as for :meth:`str.encode`.

    Returns
    -------
    bytes
        The encoded string.
    """
    custom = custom_encoders.get(encoding)
    if custom is not None:
        return custom(value, errors=errors)
    return value.encode(encoding, errors=errors)


def encode_string(value: str, encodings: Sequence[str]) -> bytes:
    """Encode `value` with the given Python `encodings`.

    The first encoding that can encode the whole value is used; any but the
    first is announced with its escape sequence (PS3.5 §6.1.2.5). When none
    can, the value is split into runs, each encoded with the encoding that
    covers the longest run.

    Parameters
    ----------
    value : str
        The string to encode.
    encodings : sequence of str
        Python codec names, as returned by :func:`convert_encodings`.

    Returns
    -------
    bytes
        The encoded string. When `value` cannot be encoded and
        ``config.settings.writing_validation_mode`` is not RAISE, a warning
        is issued and it is encoded with the first encoding using
        replacement characters.

    Raises
    ------
    UnicodeEncodeError
        If `value` cannot be encoded and the writing validation mode is
        RAISE.
    """
    for index, encoding in enumerate(encodings):
        try:
            encoded = _encode_string_impl(value, encoding)
        except UnicodeError:
            continue
        if index > 0 and encoding not in handled_encodings:
            encoded = _get_escape_sequence_for_encoding(encoding, encoded) + encoded
        if encoding in need_tail_escape_sequence_encodings and encoded:
            # Return to the initial G0 set (PS3.5 §6.1.2.5.3).
            encoded += _get_escape_sequence_for_encoding(encodings[0])
        return encoded

    if len(encodings) > 1:
        try:
            return _encode_string_parts(value, encodings)
        except ValueError:
            pass

    if config.settings.writing_validation_mode == config.RAISE:
        # Let the codec raise a proper UnicodeEncodeError.
        value.encode(encodings[0])

    _warn(
        f"Failed to encode value with encodings: {', '.join(encodings)} "
        "- using replacement characters in encoded string"
    )
    return _encode_string_impl(value, encodings[0], errors="replace")


def _encode_string_parts(value: str, encodings: Sequence[str]) -> bytes:
    """Encode `value` in runs, switching encodings with escape sequences.

    Greedily takes, at each step, the encoding that can encode the longest
    prefix of what is left.

    Parameters
    ----------
    value : str
        The string to encode.
    encodings : sequence of str
        Python codec names.

    Returns
    -------
    bytes
        The encoded string with its escape sequences.

    Raises
    ------
    ValueError
        If no encoding can encode the next character.
    """
    out = bytearray()
    rest = value
    best = default_encoding
    while rest:
        longest = 0
        for encoding in encodings:
            try:
                _encode_string_impl(rest, encoding)
            except (UnicodeEncodeError, UnicodeDecodeError) as exc:
                # exc.start is the first character this encoding cannot take.
                if exc.start > longest:
                    longest, best = exc.start, encoding
            else:
                longest, best = len(rest), encoding
                break

        if longest == 0:
            raise ValueError("None of the given encodings can encode the first character")

        part = _encode_string_impl(rest[:longest], best)
        if best not in handled_encodings:
            out += _get_escape_sequence_for_encoding(best, part)
        out += part
        rest = rest[longest:]

    if best in need_tail_escape_sequence_encodings:
        out += _get_escape_sequence_for_encoding(encodings[0])
    return bytes(out)


# --------------------------------------------------------------------------
# Specific Character Set terms
# --------------------------------------------------------------------------


def convert_encodings(encodings: None | str | Sequence[str]) -> list[str]:
    """Convert values of (0008,0005) *Specific Character Set* to Python codecs.

    Common misspellings (``"ISO IR 100"``, ``"ISO-IR 100"``,
    ``"ISO_2022_IR_87"``...) are corrected with a warning; a Python codec
    name is accepted as is. A stand-alone term (PS3.3 Table C.12-5) as value
    1 drops the other values, and elsewhere is dropped, both with a warning.

    Parameters
    ----------
    encodings : str, sequence of str or None
        The value of *Specific Character Set*. ``None`` or an empty value 1
        mean the default repertoire.

    Returns
    -------
    list of str
        The Python codec names. Unknown terms become :data:`default_encoding`
        with a warning, unless the reading validation mode is RAISE.

    Raises
    ------
    LookupError
        If a term is unknown and ``config.settings.reading_validation_mode``
        is RAISE.
    """
    if not encodings:
        terms = [""]
    elif isinstance(encodings, str):
        terms = [encodings]
    else:
        # Copy so the caller's value is left untouched; a corrupt file may
        # give numbers or bytes (a wrong VR): their text is looked up
        terms = [
            term if isinstance(term, str)
            else term.decode("latin-1") if isinstance(term, (bytes, bytearray))
            else "" if term is None else str(term)
            for term in encodings
        ]
        if not terms[0]:
            terms[0] = "ISO_IR 6"

    py_encodings = [
        python_encoding[term] if term in python_encoding else _corrected_encoding(term)
        for term in terms
    ]
    if len(terms) > 1:
        py_encodings = _drop_stand_alone_extensions(terms, py_encodings)
    return py_encodings


def _corrected_encoding(term: str) -> str:
    """Return the codec for a term that is not a Defined Term.

    Tries the usual misspellings of the separators first, then a Python codec
    name, and falls back to the default encoding.
    """
    fixed = None
    if re.match("ISO[^_]IR", term):
        # 'ISO IR 100', 'ISO-IR 100' for 'ISO_IR 100'
        fixed = "ISO_IR" + term[6:]
    elif re.match("ISO.2022.IR.", term) and not term.startswith("ISO 2022 IR "):
        # 'ISO_2022_IR_87', 'ISO 2022-IR 87' for 'ISO 2022 IR 87'
        fixed = "ISO 2022 IR " + term[12:]

    if fixed is not None:
        if fixed in python_encoding:
            _warn(
                f"Incorrect value for Specific Character Set '{term}' - "
                f"assuming '{fixed}'",
                4,
            )
            return python_encoding[fixed]
        _unknown_encoding(term)
        return default_encoding

    try:
        codecs.lookup(term)
    except LookupError:
        _unknown_encoding(term)
        return default_encoding
    return term


def _unknown_encoding(term: str) -> None:
    """Raise (RAISE mode) or warn about an unknown Specific Character Set term."""
    if config.settings.reading_validation_mode == config.RAISE:
        raise LookupError(f"Unknown encoding '{term}'")
    _warn(f"Unknown encoding '{term}' - using default encoding instead", 5)


def _drop_stand_alone_extensions(terms: Sequence[str], py_encodings: list[str]) -> list[str]:
    """Apply PS3.5 §6.1.2.5.4 d: stand-alone sets take no code extensions."""
    if terms[0] in STAND_ALONE_ENCODINGS:
        _warn(
            f"Value '{terms[0]}' for Specific Character Set does not allow code "
            f"extensions, ignoring: {', '.join(terms[1:])}",
            4,
        )
        return py_encodings[:1]

    kept = list(py_encodings)
    # Walk backwards so deleting keeps the indices valid; this also gives
    # the warnings in pydicom's order.
    for index in range(len(terms) - 1, 0, -1):
        if terms[index] in STAND_ALONE_ENCODINGS:
            _warn(f"Value '{terms[index]}' cannot be used as code extension, ignoring it", 4)
            del kept[index]
    return kept


# --------------------------------------------------------------------------
# Data elements
# --------------------------------------------------------------------------


def _is_multi(value: Any) -> bool:
    """Return True for a multi-valued value (list, tuple, MultiValue...)."""
    if isinstance(value, (str, bytes, bytearray)) or hasattr(value, "decode"):
        return False
    return isinstance(value, Iterable)


def _is_empty_value(value: Any) -> bool:
    """Return True for None or a value of length 0.

    PersonName-like objects (anything but bytes with a ``decode`` method) are
    never measured: their length would decode them with the wrong encodings.
    """
    if value is None:
        return True
    if hasattr(value, "decode") and not isinstance(value, (bytes, bytearray)):
        original = getattr(value, "original_string", None)
        return isinstance(original, bytes) and not original
    try:
        return len(value) == 0
    except TypeError:
        return False


def _decode_person_name(value: Any, encodings: list[str]) -> Any:
    """Decode one PN value: PersonName-like objects decode themselves."""
    if isinstance(value, (bytes, bytearray)):
        # A raw value: wrap it so it keeps the PersonName API. Imported here
        # because valuerep uses this module.
        from fastdicom.valuerep import PersonName

        return PersonName(bytes(value), encodings)
    if isinstance(value, str) and not hasattr(value, "decode"):
        return value
    return value.decode(encodings)


def decode_element(elem: Any, dicom_character_set: str | Sequence[str] | None) -> None:
    """Decode the value of a data element in place.

    Parameters
    ----------
    elem : DataElement
        Any object with ``VR`` and a settable ``value``. PN values are
        ``PersonName`` objects (or bytes); text VRs (SH, LO, ST, LT, UC, UT)
        hold bytes, which are decoded, or str, which are left as they are.
    dicom_character_set : str, sequence of str or None
        The value of (0008,0005) *Specific Character Set*; ``None`` or empty
        means ``"ISO_IR 6"``.
    """
    value = elem.value
    is_empty = getattr(elem, "is_empty", None)
    if is_empty is None:
        is_empty = _is_empty_value(value)
    if is_empty:
        return

    encodings = convert_encodings(dicom_character_set or ["ISO_IR 6"])
    vr = str(elem.VR)

    if vr == "PN":
        # A name may hold up to three component groups in different
        # character sets; PersonName splits and decodes them (PS3.5 §6.2).
        if _is_multi(value):
            elem.value = [_decode_person_name(item, encodings) for item in value]
        else:
            elem.value = _decode_person_name(value, encodings)
    elif vr in CUSTOMIZABLE_CHARSET_VR:
        if _is_multi(value):
            elem.value = [
                item if isinstance(item, str) else decode_bytes(item, encodings, TEXT_VR_DELIMS)
                for item in value
            ]
        elif not isinstance(value, str):
            elem.value = decode_bytes(value, encodings, TEXT_VR_DELIMS)
