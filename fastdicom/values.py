"""Conversion of raw element bytes to Python values, as in ``pydicom.values``.

:func:`convert_value_bytes` is called for every element a user reads, so the
common cases (one US/UL value, a short CS/LO/UI string) take a direct path: a
precompiled :class:`struct.Struct`, a plain ``bytes.decode``, no numpy, as
long as :data:`converters` holds the built-in entry for the VR.
:func:`convert_value` and the per-VR converters keep pydicom's names and
signatures; sequences read from a file are parsed by the dataset, and
:func:`convert_SQ` parses an SQ value given on its own.
"""

from __future__ import annotations

import codecs
import re
import sys
from collections.abc import Callable, MutableSequence
from io import BytesIO
from struct import Struct, calcsize, unpack
from typing import TYPE_CHECKING, Any, Literal, TypeVar, cast

# The config module is read at call time so users can change settings.
from fastdicom import _values as _compiled
from fastdicom import config
from fastdicom.charset import decode_bytes
from fastdicom.errors import BytesLengthException
from fastdicom.multival import MultiValue
from fastdicom.tag import BaseTag, Tag
from fastdicom.uid import UID
from fastdicom.valuerep import (
    CUSTOMIZABLE_CHARSET_VR,
    DA,
    DT,
    IS,
    STR_VR,
    TEXT_VR_DELIMS,
    TM,
    DSdecimal,
    DSfloat,
    PersonName,
    validate_value,
)
from fastdicom.valuerep import VR as VR_

if TYPE_CHECKING:  # pragma: no cover
    import numpy

__all__ = [
    "convert_value",
    "convert_AE_string",
    "convert_ATvalue",
    "convert_DA_string",
    "convert_DS_string",
    "convert_DT_string",
    "convert_IS_string",
    "convert_numbers",
    "convert_OBvalue",
    "convert_OWvalue",
    "convert_OVvalue",
    "convert_PN",
    "convert_SQ",
    "convert_string",
    "convert_single_string",
    "convert_text",
    "convert_TM_string",
    "convert_UI",
    "convert_UN",
    "convert_UR_string",
    "convert_tag",
    "multi_string",
    "converters",
    "convert_retry_VR_order",
    "empty_value_for_VR",
]

default_encoding = "iso8859"
"""str: The encoding of the default character repertoire (as in charset)."""

# CPython decodes "latin-1" without a codec registry look-up; it is the same
# codec as "iso8859", which pydicom uses for the default repertoire.
_LATIN1 = "latin-1"
_ESC = b"\x1b"

_T = TypeVar("_T")


def _charset_decode(value: bytes, encodings: list[str], delimiters: set[int]) -> str:
    """Decode with :func:`fastdicom.charset.decode_bytes` (escape sequences,
    invalid encodings and undecodable bytes)."""
    return decode_bytes(value, encodings, delimiters)


def _encodings_list(encodings: str | MutableSequence[str] | None) -> list[str]:
    """Return `encodings` as a non-empty list, as pydicom's convert_value does."""
    if not encodings:
        return [default_encoding]
    if isinstance(encodings, str):
        return [encodings]
    return cast(list[str], encodings)


def _decode_text(value: bytes, encodings: list[str], delimiters: set[int]) -> str:
    """Decode a text value the way ``charset.decode_bytes`` does.

    Without escape sequences, decode_bytes just decodes with the first
    encoding; doing that here skips the call. Anything unusual (escape
    sequences, an unknown encoding, undecodable bytes: the cases that warn
    or raise) goes to charset.
    """
    if _ESC not in value:
        try:
            return value.decode(encodings[0])
        except (LookupError, UnicodeError):
            pass
    return _charset_decode(value, encodings, delimiters)


# ------------------------------------------------------------ empty values


def empty_value_for_VR(VR: str | None, raw: bool = False) -> bytes | list[str] | str | None | PersonName:
    """Return the value of an empty element of `VR`.

    Text VRs ('AE', 'AS', 'CS', 'DA', 'DT', 'LO', 'LT', 'SH', 'ST', 'TM',
    'UC', 'UI', 'UR', 'UT') give ``''`` and 'PN' an empty
    :class:`~fastdicom.valuerep.PersonName`, unless
    :data:`~fastdicom.config.use_none_as_empty_text_VR_value` is set, when
    they give None. 'SQ' always gives an empty list; every other VR
    (including 'DS' and 'IS') gives None.

    Parameters
    ----------
    VR : str or None
        The element's VR.
    raw : bool, optional
        Return the empty value of a raw element (``b''`` instead of ``''``,
        ``[]`` and the empty PersonName).

    Returns
    -------
    str, bytes, list, PersonName or None
    """
    if VR == VR_.SQ:
        return b"" if raw else []
    if config.use_none_as_empty_text_VR_value:
        return None
    if VR == VR_.PN:
        return b"" if raw else PersonName("")
    # DS and IS are numbers, so they are empty as None
    if VR in _EMPTY_STR_VRS:
        return b"" if raw else ""
    return None


_EMPTY_STR_VRS = frozenset(str(vr) for vr in STR_VR - {VR_.DS, VR_.IS})


# ------------------------------------------------------------ converters


def multi_string(val: str, valtype: Callable[[str], _T] | None = None) -> _T | MutableSequence[_T]:
    """Split `val` at backslashes into one value or a MultiValue.

    Trailing spaces and NULs of the whole string are removed first.

    Parameters
    ----------
    val : str
        The decoded value.
    valtype : callable, optional
        The type of each value (:class:`str` by default), e.g.
        :class:`~fastdicom.uid.UID`.

    Returns
    -------
    valtype or MultiValue of valtype
    """
    if valtype is None:
        valtype = cast(Callable[[str], _T], str)
    items = val.rstrip(" \x00").split("\\")
    if len(items) == 1:
        return valtype(items[0])
    return MultiValue(valtype, items)


# Precompiled unpackers for two-byte (group, element) tags
_TAG_STRUCTS = (Struct(">HH"), Struct("<HH"))


def convert_tag(byte_string: bytes, is_little_endian: bool, offset: int = 0) -> BaseTag:
    """Return the tag encoded at `offset` in `byte_string`.

    Parameters
    ----------
    byte_string : bytes
        At least 4 bytes.
    is_little_endian : bool
        The byte order.
    offset : int, optional
        Where the tag starts.

    Returns
    -------
    BaseTag

    Raises
    ------
    ValueError
        If `byte_string` is shorter than 4 bytes.
    """
    if len(byte_string) < 4:
        raise ValueError("byte string too short - must be at least 4 bytes long.")
    group, elem = _TAG_STRUCTS[bool(is_little_endian)].unpack_from(byte_string, offset)
    return BaseTag(group << 16 | elem)


def convert_AE_string(
    byte_string: bytes, is_little_endian: bool, struct_format: str | None = None
) -> str | MutableSequence[str]:
    """Return an **AE** value; leading and trailing spaces are not significant.

    Parameters
    ----------
    byte_string : bytes
        The encoded value.
    is_little_endian : bool
        Not used.
    struct_format : str, optional
        Not used.

    Returns
    -------
    str or MultiValue of str
    """
    values = [s.strip() for s in byte_string.decode(_LATIN1).split("\\")]
    if len(values) == 1:
        return values[0]
    return MultiValue._from_converted(str, values)


def convert_ATvalue(
    byte_string: bytes, is_little_endian: bool, struct_format: str | None = None
) -> BaseTag | MutableSequence[BaseTag]:
    """Return an **AT** value: one tag, or a MultiValue of tags.

    A length that is not a multiple of 4 is logged and the excess ignored.

    Parameters
    ----------
    byte_string : bytes
        The encoded value.
    is_little_endian : bool
        The byte order.
    struct_format : str, optional
        Not used.

    Returns
    -------
    BaseTag or MultiValue of BaseTag
    """
    length = len(byte_string)
    if length == 4:
        return convert_tag(byte_string, is_little_endian)
    if length % 4:
        config.logger.warning(
            f"Expected length to be multiple of 4 for VR 'AT', got length {length}"
        )
        length -= length % 4
    unpack_from = _TAG_STRUCTS[bool(is_little_endian)].unpack_from
    tags = []
    for offset in range(0, length, 4):
        group, elem = unpack_from(byte_string, offset)
        tags.append(BaseTag(group << 16 | elem))
    return MultiValue._from_converted(Tag, tags)


def _DA_from_str(value: str) -> DA:
    return DA(value.rstrip())


def convert_DA_string(
    byte_string: bytes, is_little_endian: bool, struct_format: str | None = None
) -> str | DA | MutableSequence[str] | MutableSequence[DA]:
    """Return a **DA** value: strings, or :class:`~fastdicom.valuerep.DA`
    when :data:`~fastdicom.config.datetime_conversion` is set.

    Parameters
    ----------
    byte_string : bytes
        The encoded value.
    is_little_endian : bool
        Not used.
    struct_format : str, optional
        Not used.

    Returns
    -------
    str, DA, or a MultiValue of them
    """
    if config.datetime_conversion:
        parts = byte_string.decode(_LATIN1).split("\\")
        if len(parts) == 1:
            return _DA_from_str(parts[0])
        return MultiValue(_DA_from_str, parts)
    return convert_string(byte_string, is_little_endian, struct_format)


# Characters numpy's text parser must be limited to (it skips many others)
_DS_NUMPY_CHARS = r"[ \\0-9\.+eE-]*\Z"
_IS_NUMPY_CHARS = r"[ \\0-9\.+-]*\Z"


def convert_DS_string(
    byte_string: bytes, is_little_endian: bool, struct_format: str | None = None
) -> DSfloat | DSdecimal | MutableSequence[Any] | numpy.float64 | numpy.ndarray:
    """Return a **DS** value.

    Gives :class:`~fastdicom.valuerep.DSfloat` (or
    :class:`~fastdicom.valuerep.DSdecimal` with ``use_DS_decimal``), or a
    MultiValue of them; with ``use_DS_numpy``, a :class:`numpy.float64` or
    an array of them.

    Parameters
    ----------
    byte_string : bytes
        The encoded value.
    is_little_endian : bool
        Not used.
    struct_format : str, optional
        Not used.

    Returns
    -------
    DSfloat, DSdecimal, MultiValue, numpy.float64 or numpy.ndarray

    Raises
    ------
    ValueError
        With ``use_DS_numpy``, for characters outside the DS repertoire.
    """
    text = byte_string.decode(_LATIN1)
    if config.use_DS_numpy:
        import numpy

        if re.match(_DS_NUMPY_CHARS, text) is None:
            raise ValueError(
                f"DS: char(s) not in repertoire: '{re.sub(_DS_NUMPY_CHARS[:-2], '', text)}'"
            )
        value = numpy.fromstring(text, dtype="f8", sep="\\")
        return value[0] if len(value) == 1 else value
    # Read at call time (pydicom reads its import-time DSclass), so that
    # setting config.use_DS_decimal always takes effect.
    return multi_string(text.strip(), DSdecimal if config.use_DS_decimal else DSfloat)


def _DT_from_str(value: str) -> DT:
    value = value.rstrip()
    length = len(value)
    if length < 4 or length > 26:
        config.logger.warning(f"Expected length between 4 and 26, got length {length}")
    return DT(value)


def convert_DT_string(
    byte_string: bytes, is_little_endian: bool, struct_format: str | None = None
) -> str | DT | MutableSequence[str] | MutableSequence[DT]:
    """Return a **DT** value: strings, or :class:`~fastdicom.valuerep.DT`
    when :data:`~fastdicom.config.datetime_conversion` is set.

    Parameters
    ----------
    byte_string : bytes
        The encoded value.
    is_little_endian : bool
        Not used.
    struct_format : str, optional
        Not used.

    Returns
    -------
    str, DT, or a MultiValue of them
    """
    if config.datetime_conversion:
        parts = byte_string.decode(_LATIN1).split("\\")
        if len(parts) == 1:
            return _DT_from_str(parts[0])
        return MultiValue(_DT_from_str, parts)
    return convert_string(byte_string, is_little_endian, struct_format)


def convert_IS_string(
    byte_string: bytes, is_little_endian: bool, struct_format: str | None = None
) -> IS | MutableSequence[IS] | numpy.int64 | numpy.ndarray:
    """Return an **IS** value.

    Gives :class:`~fastdicom.valuerep.IS` or a MultiValue of them; with
    ``use_IS_numpy``, a :class:`numpy.int64` or an array of them.

    Parameters
    ----------
    byte_string : bytes
        The encoded value.
    is_little_endian : bool
        Not used.
    struct_format : str, optional
        Not used.

    Returns
    -------
    IS, MultiValue, numpy.int64 or numpy.ndarray

    Raises
    ------
    ValueError
        With ``use_IS_numpy``, for characters outside the IS repertoire.
    """
    text = byte_string.decode(_LATIN1)
    if config.use_IS_numpy:
        import numpy

        if re.match(_IS_NUMPY_CHARS, text) is None:
            raise ValueError(
                f"IS: char(s) not in repertoire: '{re.sub(_IS_NUMPY_CHARS[:-2], '', text)}'"
            )
        value = numpy.fromstring(text, dtype="i8", sep="\\")
        return value[0] if len(value) == 1 else value
    return multi_string(text, IS)


# struct formats of the binary numeric VRs and their sizes; "l"/"L" are
# 4 bytes in struct's standard sizes (as pydicom uses them) but 8 bytes
# natively, so memoryview.cast uses "i"/"I".
_NUM_SIZE = {"H": 2, "h": 2, "L": 4, "l": 4, "I": 4, "i": 4, "Q": 8, "q": 8, "f": 4, "d": 8}
# the memoryview format of each of them (a Literal, as memoryview.cast's
# overloads type its result by the format)
_MEMORYVIEW_FMT: dict[str, Literal["H", "h", "I", "i", "Q", "q", "f", "d"]] = {
    "H": "H", "h": "h", "L": "I", "l": "i", "I": "I", "i": "i", "Q": "Q", "q": "q", "f": "f", "d": "d",
}
_NATIVE_LITTLE = sys.byteorder == "little"
_SCALAR_STRUCTS = {
    (fmt, little): Struct(("<" if little else ">") + fmt)
    for fmt in _NUM_SIZE
    for little in (True, False)
}


def convert_numbers(
    byte_string: bytes, is_little_endian: bool, struct_format: str
) -> str | int | float | MutableSequence[int] | MutableSequence[float]:
    """Return the numbers packed in `byte_string`.

    Parameters
    ----------
    byte_string : bytes
        The encoded value.
    is_little_endian : bool
        The byte order.
    struct_format : str
        One :mod:`struct` format character (standard sizes), e.g. ``'H'``.

    Returns
    -------
    int, float, list of them, or str
        One number, a list of several, or ``''`` for no bytes.

    Raises
    ------
    BytesLengthException
        If the length is not a multiple of the value size.
    """
    size = _NUM_SIZE.get(struct_format) or calcsize("=" + struct_format)
    length = len(byte_string)
    if length % size:
        shown = repr(byte_string) if length <= 256 else "bytes"
        raise BytesLengthException(
            "Expected total bytes to be an even multiple of bytes per value. "
            f"Instead received {shown} with length {length} and "
            f"struct format '{struct_format}' which corresponds to bytes per "
            f"value of {size}."
        )
    if length == size:
        scalar = _SCALAR_STRUCTS.get((struct_format, bool(is_little_endian)))
        if scalar is not None:
            return scalar.unpack(byte_string)[0]
    if length == 0:
        return ""
    if is_little_endian == _NATIVE_LITTLE and struct_format in _NUM_SIZE:
        # memoryview turns the whole buffer into Python numbers in one C loop
        return memoryview(byte_string).cast(_MEMORYVIEW_FMT[struct_format]).tolist()
    endian = "<" if is_little_endian else ">"
    values = unpack(f"{endian}{length // size}{struct_format}", byte_string)
    return values[0] if len(values) == 1 else list(values)


def convert_OBvalue(
    byte_string: bytes, is_little_endian: bool, struct_format: str | None = None
) -> bytes:
    """Return an **OB** value: the bytes, unchanged.

    Parameters
    ----------
    byte_string : bytes
    is_little_endian : bool
        Not used.
    struct_format : str, optional
        Not used.

    Returns
    -------
    bytes
    """
    return byte_string


def convert_OWvalue(
    byte_string: bytes, is_little_endian: bool, struct_format: str | None = None
) -> bytes:
    """Return an **OW** value: the bytes, unchanged (not byte-swapped).

    Parameters
    ----------
    byte_string : bytes
    is_little_endian : bool
        Not used.
    struct_format : str, optional
        Not used.

    Returns
    -------
    bytes
    """
    return byte_string


def convert_OVvalue(
    byte_string: bytes, is_little_endian: bool, struct_format: str | None = None
) -> bytes:
    """Return an **OV** value: the bytes, unchanged (not byte-swapped).

    Parameters
    ----------
    byte_string : bytes
    is_little_endian : bool
        Not used.
    struct_format : str, optional
        Not used.

    Returns
    -------
    bytes
    """
    return byte_string


# Encodings known to give ASCII bytes back unchanged in both directions, so
# that an all-ASCII PN needs no charset round trip; filled in on first use.
_ASCII_SAFE: dict[str, bool] = {}
# charset treats these specially when encoding (escape sequences appended)
_SPECIAL_ENCODE = ("iso2022", "iso-2022", "iso_ir_58", "iso_ir_87", "iso_ir_159")
_ASCII_PROBE = bytes(range(0x20, 0x7F)) + b"\t\n\r\x0c"


def _ascii_safe(encoding: str) -> bool:
    safe = _ASCII_SAFE.get(encoding)
    if safe is None:
        safe = False
        if not encoding.lower().startswith(_SPECIAL_ENCODE):
            try:
                text = _ASCII_PROBE.decode("ascii")
                safe = _ASCII_PROBE.decode(encoding) == text and text.encode(encoding) == _ASCII_PROBE
            except (LookupError, UnicodeError):
                safe = False
        _ASCII_SAFE[encoding] = safe
    return safe


def convert_PN(
    byte_string: bytes, encodings: list[str] | None = None
) -> PersonName | MutableSequence[PersonName]:
    """Return a **PN** value: a PersonName or a MultiValue of them.

    Each name is decoded, and its encoded form (``original_string``) set
    from the decoded components, as pydicom does.

    Parameters
    ----------
    byte_string : bytes
        The encoded value.
    encodings : list of str, optional
        The Python encodings of the value.

    Returns
    -------
    PersonName or MultiValue of PersonName
    """
    encodings = encodings or [default_encoding]
    stripped = byte_string.rstrip(b"\x00 ")
    fast = stripped.isascii() and _ESC not in stripped and _ascii_safe(encodings[0])
    if fast:
        decoded = stripped.decode("ascii")
    else:
        decoded = _decode_text(stripped, encodings, TEXT_VR_DELIMS)
    make = _PNMaker(encodings, fast)
    parts = decoded.split("\\")
    if len(parts) == 1:
        return make(parts[0])
    return MultiValue(make, parts)


class _PNMaker:
    """Make a PersonName from a decoded str, with its encoded form set.

    A class rather than a closure so that a MultiValue using it as its
    constructor can be pickled.
    """

    __slots__ = ("encodings", "ascii_only")

    def __init__(self, encodings: list[str], ascii_only: bool = False) -> None:
        self.encodings = encodings
        self.ascii_only = ascii_only

    def __call__(self, text: Any) -> PersonName:
        name = PersonName(text, self.encodings)
        if self.ascii_only and isinstance(text, str) and text.isascii():
            # ASCII encodes to itself in these encodings: skip charset
            name.original_string = "=".join(name.components).encode("ascii")
        else:
            name.encode()  # sets original_string by encoding the components
        return name

    def __reduce__(self) -> tuple[Any, ...]:
        return (_PNMaker, (self.encodings, self.ascii_only))


def convert_string(
    byte_string: bytes, is_little_endian: bool, struct_format: str | None = None
) -> str | MutableSequence[str]:
    """Return a string value of the default repertoire (e.g. **AS**, **CS**).

    Parameters
    ----------
    byte_string : bytes
        The encoded value.
    is_little_endian : bool
        Not used.
    struct_format : str, optional
        Not used.

    Returns
    -------
    str or MultiValue of str
    """
    items = byte_string.decode(_LATIN1).rstrip(" \x00").split("\\")
    if len(items) == 1:
        return items[0]
    return MultiValue._from_converted(str, items)


# VRs whose validator checks only type and length (see valuerep.VALIDATORS)
_TEXT_MAX_LEN = {"SH": 16, "LO": 64}


def convert_text(
    byte_string: bytes, encodings: list[str] | None = None, vr: str | None = None
) -> str | MutableSequence[str]:
    """Return a multi-valued text value (**SH**, **LO**, **UC**).

    Each value is validated for `vr`, then trailing spaces and NULs removed.

    Parameters
    ----------
    byte_string : bytes
        The encoded value.
    encodings : list of str, optional
        The Python encodings of the value.
    vr : str, optional
        The VR to validate against; no validation if not given.

    Returns
    -------
    str or MultiValue of str
    """
    decoded = _decode_text(byte_string, encodings or [default_encoding], TEXT_VR_DELIMS)
    values = decoded.split("\\")
    if vr is not None:
        mode = config.settings.reading_validation_mode
        if mode != config.IGNORE:
            # SH and LO only check the length of a str: skip the validator
            # call for values that are short enough
            max_len = _TEXT_MAX_LEN.get(vr)
            for v in values:
                if max_len is None or len(v) > max_len:
                    validate_value(vr, v, mode)
    if len(values) == 1:
        return values[0].rstrip("\0 ")
    return MultiValue._from_converted(str, [v.rstrip("\0 ") for v in values])


def convert_single_string(
    byte_string: bytes,
    encodings: list[str] | None = None,
    vr: str | None = None,
) -> str:
    """Return a single-valued text value (**LT**, **ST**, **UT**).

    Backslashes are kept; trailing spaces and NULs are removed.

    Parameters
    ----------
    byte_string : bytes
        The encoded value.
    encodings : list of str, optional
        The Python encodings of the value.
    vr : str, optional
        The VR to validate against; no validation if not given.

    Returns
    -------
    str
    """
    value = _decode_text(byte_string, encodings or [default_encoding], TEXT_VR_DELIMS)
    if vr is not None:
        validate_value(vr, value, config.settings.reading_validation_mode)
    return value.rstrip("\0 ")


def _TM_from_str(value: str) -> TM:
    value = value.rstrip()
    length = len(value)
    if (length < 2 or length > 16) and length != 0:
        config.logger.warning(f"Expected length between 2 and 16, got length {length}")
    return TM(value)


def convert_TM_string(
    byte_string: bytes, is_little_endian: bool, struct_format: str | None = None
) -> str | TM | MutableSequence[str] | MutableSequence[TM]:
    """Return a **TM** value: strings, or :class:`~fastdicom.valuerep.TM`
    when :data:`~fastdicom.config.datetime_conversion` is set.

    Parameters
    ----------
    byte_string : bytes
        The encoded value.
    is_little_endian : bool
        Not used.
    struct_format : str, optional
        Not used.

    Returns
    -------
    str, TM, or a MultiValue of them
    """
    if config.datetime_conversion:
        parts = byte_string.decode(_LATIN1).split("\\")
        if len(parts) == 1:
            return _TM_from_str(parts[0])
        return MultiValue(_TM_from_str, parts)
    return convert_string(byte_string, is_little_endian)


def convert_UI(
    byte_string: bytes, is_little_endian: bool, struct_format: str | None = None
) -> Any:
    """Return a **UI** value: a :class:`~fastdicom.uid.UID` or a MultiValue
    of them, without trailing NULs and spaces.

    Parameters
    ----------
    byte_string : bytes
        The encoded value.
    is_little_endian : bool
        Not used.
    struct_format : str, optional
        Not used.

    Returns
    -------
    UID or MultiValue of UID
    """
    items = byte_string.decode(_LATIN1).rstrip("\0 ").split("\\")
    if len(items) == 1:
        return UID(items[0])
    return MultiValue(UID, items)


def convert_UN(
    byte_string: bytes, is_little_endian: bool, struct_format: str | None = None
) -> bytes:
    """Return a **UN** value: the bytes, unchanged.

    Parameters
    ----------
    byte_string : bytes
    is_little_endian : bool
        Not used.
    struct_format : str, optional
        Not used.

    Returns
    -------
    bytes
    """
    return byte_string


def convert_UR_string(
    byte_string: bytes, is_little_endian: bool, struct_format: str | None = None
) -> str:
    """Return a **UR** value: single-valued, trailing spaces removed.

    Parameters
    ----------
    byte_string : bytes
        The encoded value.
    is_little_endian : bool
        Not used.
    struct_format : str, optional
        Not used.

    Returns
    -------
    str
    """
    return byte_string.decode(_LATIN1).rstrip()


# The reader's sequence parser, the one pydicom's convert_SQ also uses: the
# reader sits above this module (it imports it), so it gives its parser here
# when it is imported (bind_sequence_reader), rather than this module
# importing upwards
_SEQUENCE_READER: list[Callable[..., Any] | None] = [None]


def bind_sequence_reader(read_sequence: Callable[..., Any]) -> None:
    """Give :func:`convert_SQ` the reader's sequence parser (called once by
    :mod:`fastdicom.filereader`)."""
    _SEQUENCE_READER[0] = read_sequence


def convert_SQ(
    byte_string: bytes,
    is_implicit_VR: bool,
    is_little_endian: bool,
    encoding: list[str] | None = None,
    offset: int = 0,
) -> Any:
    """Return a decoded **SQ** value: a :class:`~fastdicom.sequence.Sequence`.

    Parameters
    ----------
    byte_string : bytes
        The encoded value (the items).
    is_implicit_VR : bool
        Whether the items are encoded with implicit VR.
    is_little_endian : bool
        The byte order of the items.
    encoding : list of str, optional
        The character sets the items inherit (``['iso8859']`` by default).
    offset : int, optional
        The position of `byte_string` in its file, added to the positions
        the items record.

    Returns
    -------
    Sequence
    """
    read_sequence = _SEQUENCE_READER[0]
    if read_sequence is None:  # fastdicom.filereader not imported: cannot be, fastdicom imports it
        raise RuntimeError("convert_SQ needs fastdicom.filereader, which gives it its sequence reader")
    data = bytes(byte_string)
    return read_sequence(
        BytesIO(data), is_implicit_VR, is_little_endian, len(data),
        encoding or [default_encoding], offset,
    )  # fmt: skip


converters: dict[str, Any] = {
    VR_.AE: convert_AE_string,
    VR_.AS: convert_string,
    VR_.AT: convert_ATvalue,
    VR_.CS: convert_string,
    VR_.DA: convert_DA_string,
    VR_.DS: convert_DS_string,
    VR_.DT: convert_DT_string,
    VR_.FD: (convert_numbers, "d"),
    VR_.FL: (convert_numbers, "f"),
    VR_.IS: convert_IS_string,
    VR_.LO: convert_text,
    VR_.LT: convert_single_string,
    VR_.OB: convert_OBvalue,
    VR_.OD: convert_OBvalue,
    VR_.OF: convert_OWvalue,
    VR_.OL: convert_OBvalue,
    VR_.OW: convert_OWvalue,
    VR_.OV: convert_OVvalue,
    VR_.PN: convert_PN,
    VR_.SH: convert_text,
    VR_.SL: (convert_numbers, "l"),
    VR_.SQ: convert_SQ,
    VR_.SS: (convert_numbers, "h"),
    VR_.ST: convert_single_string,
    VR_.SV: (convert_numbers, "q"),
    VR_.TM: convert_TM_string,
    VR_.UC: convert_text,
    VR_.UI: convert_UI,
    VR_.UL: (convert_numbers, "L"),
    VR_.UN: convert_UN,
    VR_.UR: convert_UR_string,
    VR_.US: (convert_numbers, "H"),
    VR_.UT: convert_single_string,
    VR_.UV: (convert_numbers, "Q"),
    VR_.OB_OW: convert_OBvalue,
    VR_.US_SS: convert_OWvalue,
    VR_.US_OW: convert_OWvalue,
    VR_.US_SS_OW: convert_OWvalue,
}
"""dict: Each VR's converter, or ``(convert_numbers, struct_format)``."""

convert_retry_VR_order = [
    VR_.SH, VR_.UL, VR_.SL, VR_.US, VR_.SS, VR_.FL, VR_.FD, VR_.OF, VR_.OB,
    VR_.UI, VR_.DA, VR_.TM, VR_.PN, VR_.IS, VR_.DS, VR_.LT, VR_.SQ, VR_.UN,
    VR_.AT, VR_.OW, VR_.DT, VR_.UT,
]  # fmt: skip
"""list of VR: The VRs tried, in order, for a value its own VR cannot convert
(SQ is skipped here)."""


# ------------------------------------------------------------- dispatch
# convert_value looks up one function per VR taking (raw, little, encodings),
# so the per-call work is one dict look-up and one call.


def _numeric(fmt: str) -> Callable[[bytes, bool, Any], Any]:
    size = _NUM_SIZE[fmt]
    little, big = _SCALAR_STRUCTS[(fmt, True)].unpack, _SCALAR_STRUCTS[(fmt, False)].unpack

    def convert(raw: bytes, is_little_endian: bool, encodings: Any) -> Any:
        if len(raw) == size:  # the common single value
            return (little if is_little_endian else big)(raw)[0]
        return convert_numbers(raw, is_little_endian, fmt)

    return convert


def _plain(func: Callable[[bytes, bool, Any], Any]) -> Callable[[bytes, bool, Any], Any]:
    def convert(raw: bytes, is_little_endian: bool, encodings: Any) -> Any:
        return func(raw, is_little_endian, None)

    return convert


def _bytes_value(raw: bytes, is_little_endian: bool, encodings: Any) -> bytes:
    return raw


def _cs_value(raw: bytes, is_little_endian: bool, encodings: Any) -> Any:
    items = raw.decode(_LATIN1).rstrip(" \x00").split("\\")
    if len(items) == 1:
        return items[0]
    return MultiValue._from_converted(str, items)


def _ui_value(raw: bytes, is_little_endian: bool, encodings: Any) -> Any:
    items = raw.decode(_LATIN1).rstrip("\0 ").split("\\")
    if len(items) == 1:
        return UID(items[0])
    return MultiValue(UID, items)


def _date_time(func: Callable[..., Any]) -> Callable[[bytes, bool, Any], Any]:
    def convert(raw: bytes, is_little_endian: bool, encodings: Any) -> Any:
        if config.datetime_conversion:
            return func(raw, is_little_endian, None)
        return _cs_value(raw, is_little_endian, encodings)

    return convert


def _pn_value(raw: bytes, is_little_endian: bool, encodings: Any) -> Any:
    return convert_PN(raw, _encodings_list(encodings))


def _text(vr: str, func: Callable[..., Any]) -> Callable[[bytes, bool, Any], Any]:
    def convert(raw: bytes, is_little_endian: bool, encodings: Any) -> Any:
        return func(raw, _encodings_list(encodings), vr)

    return convert


_Fast = Callable[[bytes, bool, Any], Any]


def _build_dispatch() -> dict[str, tuple[Any, _Fast]]:
    # Each VR maps to (the converters entry, its fast equivalent), so that
    # convert_value can tell when a user has replaced the entry.
    table: dict[str, tuple[Any, _Fast]] = {}
    for vr, conv in converters.items():
        key = str(vr)
        fast: _Fast
        if vr == VR_.SQ:
            continue
        if isinstance(conv, tuple):
            fast = _numeric(conv[1])
        elif conv in (convert_OBvalue, convert_OWvalue, convert_OVvalue, convert_UN):
            fast = _bytes_value
        elif conv is convert_string:
            fast = _cs_value
        elif conv is convert_UI:
            fast = _ui_value
        elif conv is convert_PN:
            fast = _pn_value
        elif vr in CUSTOMIZABLE_CHARSET_VR:
            fast = _text(key, conv)
        elif conv in (convert_DA_string, convert_DT_string, convert_TM_string):
            fast = _date_time(conv)
        else:
            fast = _plain(conv)
        table[key] = (conv, fast)
    return table


_DISPATCH = _build_dispatch()


def _unknown_vr(VR: str) -> NotImplementedError:
    text = str(VR)
    # Show non-letter VR bytes as hex, they are usually a parsing problem
    if len(text) < 2 or not (text[0].isascii() and text[0].isalpha() and text[1].isascii() and text[1].isalpha()):
        text = " ".join(f"0x{ord(ch):02x}" for ch in text)
    return NotImplementedError(f"Unknown Value Representation '{text}'")


def _call_converter(
    VR: str, converter: Any, value: bytes, is_little_endian: bool, encodings: Any
) -> Any:
    """Call a :data:`converters` entry the way pydicom calls it.

    Used for a converter the user put in :data:`converters` (the built-in
    ones go through the precomputed table of :func:`convert_value_bytes`).
    """
    if VR == VR_.SQ:
        # The items' VR encoding is not known from the bytes and byte order.
        raise NotImplementedError(
            "convert_value_bytes does not convert SQ values: use "
            "convert_value with the raw element, or convert_SQ"
        )
    if isinstance(converter, tuple):
        converter, num_format = converter
    else:
        num_format = None
    if VR == VR_.PN:
        return converter(value, _encodings_list(encodings))
    if VR in CUSTOMIZABLE_CHARSET_VR:
        return converter(value, _encodings_list(encodings), VR)
    return converter(value, is_little_endian, num_format)


def _convert_one(
    VR: str, value: bytes, is_little_endian: bool, encodings: Any
) -> Any:
    """Convert with the :data:`converters` entry of `VR`, without fallbacks."""
    converter = converters.get(VR)
    if converter is None:
        raise _unknown_vr(VR)
    if not value:
        return empty_value_for_VR(VR)
    fast = _DISPATCH.get(VR)
    # The precomputed path only while converters[VR] is still the built-in
    # entry it was made from: a user's replacement is honoured, as in pydicom.
    if fast is not None and fast[0] is converter:
        return fast[1](value, is_little_endian, encodings)
    return _call_converter(VR, converter, value, is_little_endian, encodings)


def convert_value_bytes(
    VR: str,
    value: bytes,
    is_little_endian: bool = True,
    encodings: str | MutableSequence[str] | None = None,
) -> Any:
    """Return the Python value of an element's encoded bytes.

    The reader's entry point: :func:`convert_value` given the bytes and byte
    order instead of a raw element. An empty value gives
    :func:`empty_value_for_VR`. If the converter for `VR` fails with a
    :class:`ValueError` and the reading validation mode is not RAISE, the
    VRs of :data:`convert_retry_VR_order` are tried in turn, and the bytes
    are returned if none works.

    Parameters
    ----------
    VR : str
        The element's VR (not SQ, whose items are parsed with the dataset).
    value : bytes
        The encoded value.
    is_little_endian : bool, optional
        The byte order of binary values.
    encodings : str or list of str, optional
        The Python encodings of text values (``['iso8859']`` by default).

    Returns
    -------
    Any
        One value, or a MultiValue (a list for binary numbers, an array with
        the numpy options) when there are several.

    Raises
    ------
    NotImplementedError
        For a VR that :data:`converters` has no entry for, and for SQ.
    BytesLengthException
        When a binary numeric value's length is not a multiple of its size.
    """
    # _convert_one inlined: this runs for every element a user reads.
    converter = converters.get(VR)
    if converter is None:
        raise _unknown_vr(VR)
    if not value:
        return empty_value_for_VR(VR)
    fast = _DISPATCH.get(VR)
    try:
        if fast is not None and fast[0] is converter:
            return fast[1](value, is_little_endian, encodings)
        return _call_converter(VR, converter, value, is_little_endian, encodings)
    except ValueError:
        if config.settings.reading_validation_mode == config.RAISE:
            raise  # the user wants invalid values to be errors
    return _retry_other_vrs(VR, value, is_little_endian, encodings)


def _retry_other_vrs(VR: str, value: bytes, is_little_endian: bool, encodings: Any) -> Any:
    """The fallback of pydicom's convert_value for a value its VR cannot
    convert: the first VR of :data:`convert_retry_VR_order` that can, else
    the bytes unchanged."""
    config.logger.debug(f"Unable to convert a value with VR {VR} using the standard value converter")
    # Read the module attribute now: users may replace the list.
    for vr in convert_retry_VR_order:
        if vr == VR or vr == VR_.SQ:
            continue
        try:
            return _convert_one(vr, value, is_little_endian, encodings)
        except Exception:
            pass
    config.logger.debug(
        f"Could not convert a value with VR {VR} using any VR in 'convert_retry_VR_order'"
    )
    return value


def convert_value(
    VR: str,
    raw_data_element: Any,
    encodings: str | MutableSequence[str] | None = None,
) -> Any:
    """Return the decoded value of a raw data element, as pydicom does.

    Parameters
    ----------
    VR : str
        The element's VR.
    raw_data_element : RawDataElement
        The element as read (anything with the ``value`` and
        ``is_little_endian`` attributes; SQ also uses ``tag``,
        ``is_implicit_VR`` and ``value_tell``).
    encodings : str or list of str, optional
        The Python encodings of text values (``['iso8859']`` by default).

    Returns
    -------
    Any
        One value or a MultiValue; a :class:`~fastdicom.sequence.Sequence`
        for SQ. See :func:`convert_value_bytes` for the fallbacks used when
        the value does not suit `VR`.

    Raises
    ------
    NotImplementedError
        For a VR that :data:`converters` has no entry for.
    """
    if VR not in converters:
        raise _unknown_vr(VR)
    if VR == VR_.SQ:
        return _convert_SQ(raw_data_element, encodings)
    value = raw_data_element.value
    if value is not None and not isinstance(value, bytes):
        value = bytes(value)  # a memoryview of the source
    return convert_value_bytes(VR, value, raw_data_element.is_little_endian, encodings)


def _convert_SQ(raw_data_element: Any, encodings: Any) -> Any:
    """Return the Sequence of a raw SQ element, as pydicom's convert_value does."""
    if not raw_data_element.value:
        return empty_value_for_VR(VR_.SQ)
    converter = converters[VR_.SQ]
    return converter(
        raw_data_element.value, raw_data_element.is_implicit_VR,
        raw_data_element.is_little_endian, _encodings_list(encodings),
        raw_data_element.value_tell,
    )  # fmt: skip


# ------------------------------------------------------- compiled fast path
# fastdicom._values makes the common values straight from the source buffer;
# it declines (DECLINED) anything unusual, which then takes the Python path
# above, so warnings, errors and fallbacks stay pydicom's.

DECLINED = _compiled.DECLINED
"""The value :func:`convert_record` returns when the Python path must convert."""

CHARSET_VRS = frozenset(str(vr) for vr in CUSTOMIZABLE_CHARSET_VR)
"""frozenset of str: The VRs whose decoding needs the dataset's character set."""

# The built-in converters: the compiled path stands in for these only, so a
# user's replacement in `converters` is honoured, as in pydicom.
_BUILTIN_CONVERTERS = {str(vr): conv for vr, conv in converters.items()}
_TEXT_MODES: dict[str, int] = {}


def _text_mode(encoding: str) -> int:
    """How the compiled path may decode text of the Python `encoding`.

    ISO 8859-1 (the default repertoire, PS3.5 §6.1.2.2, and ISO_IR 100)
    decodes every byte; an ASCII-compatible charset decodes ASCII bytes;
    others (UTF-16, ISO 2022 code extensions) are left to charset.
    """
    mode = _TEXT_MODES.get(encoding)
    if mode is None:
        try:
            latin1 = codecs.lookup(encoding).name == "iso8859-1"
        except LookupError:
            latin1 = False
        if latin1:
            mode = _compiled.TEXT_LATIN1
        elif _ascii_safe(encoding):
            mode = _compiled.TEXT_ASCII
        else:
            mode = _compiled.TEXT_NONE
        _TEXT_MODES[encoding] = mode
    return mode


_compiled.bind_settings(converters, _BUILTIN_CONVERTERS, config, _TEXT_MODES, _text_mode)
convert_record = _compiled.convert_record
"""Convert an element's value in place in its source buffer, if plain
(compiled: ``fastdicom._values.convert_record``).

The reader's fast path: the value :func:`convert_value_bytes` would return for
``buffer[offset:offset + length]``, made without copying the bytes, or
:data:`DECLINED` when the value needs the Python path (empty values, values
that warn or fail to convert, a replaced :data:`converters` entry, the numpy,
Decimal and datetime settings). Arguments: ``VR, buffer, offset, length,
is_little_endian, encodings=None``.
"""
# Its C entry, for the store's keyword fast path (fastdicom._parser)
_CONVERT_RECORD_CAPSULE = _compiled.CONVERT_RECORD_CAPSULE
