"""Value types for DICOM value representations (VRs), as in ``pydicom.valuerep``.

The classes here are what users see as element values: :class:`PersonName`
for **PN**, :class:`DSfloat`/:class:`DSdecimal` for **DS**, :class:`IS` for
**IS** and :class:`DA`/:class:`DT`/:class:`TM` for dates and times. They print,
compare and hash exactly like their pydicom counterparts so that switching the
import does not change any output.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable, Iterator, Sequence
from decimal import Decimal
from enum import Enum, unique
from math import floor, isfinite, log10
from typing import Any, cast

# The config module is read at call time (never ``from config import x``) so
# that changes made by users after import take effect.
from fastdicom import config
from fastdicom.charset import decode_bytes, encode_string

__all__ = [
    "VR",
    "STANDARD_VR",
    "AMBIGUOUS_VR",
    "DEFAULT_CHARSET_VR",
    "CUSTOMIZABLE_CHARSET_VR",
    "BYTES_VR",
    "FLOAT_VR",
    "INT_VR",
    "LIST_VR",
    "STR_VR",
    "ALLOW_BACKSLASH",
    "LONG_VALUE_VR",
    "EXPLICIT_VR_LENGTH_16",
    "EXPLICIT_VR_LENGTH_32",
    "BUFFERABLE_VRS",
    "TEXT_VR_DELIMS",
    "PN_DELIMS",
    "MAX_VALUE_LEN",
    "VALIDATORS",
    "validate_value",
    "PersonName",
    "DSfloat",
    "DSdecimal",
    "DS",
    "IS",
    "ISfloat",
    "DA",
    "DT",
    "TM",
    "format_number_as_ds",
    "is_valid_ds",
]

# The encoding of the default repertoire, as in charset.
default_encoding = "iso8859"

# Character codes that reset the active character set inside text values
# (LF, CR, TAB, FF), PS3.5 §6.1.2.5.3.
TEXT_VR_DELIMS = {0x0D, 0x0A, 0x09, 0x0C}

# '^' separates the groups of a person name component and also resets the
# character set; '=' (between components) is handled by splitting first.
PN_DELIMS = {0x5E}

# Maximum value length in characters of the length-limited string VRs.
# UR and UT (up to 2**32 - 2) are not checked.
MAX_VALUE_LEN = {
    "AE": 16,
    "CS": 16,
    "DS": 16,
    "IS": 12,
    "LO": 64,
    "LT": 10240,
    "SH": 16,
    "ST": 1024,
    "UI": 64,
}


def _warn_and_log(msg: str, stacklevel: int = 2) -> None:
    """Log `msg` on the fastdicom logger and issue it as a ``UserWarning``."""
    config.warn_and_log(msg, UserWarning, stacklevel=stacklevel + 1)


def _range_regex(regex: str) -> str:
    """Return a pattern matching `regex` or a range of it (PS3.4 C.2.2.2.5)."""
    return rf"^{regex}$|^\-{regex} ?$|^{regex}\- ?$|^{regex}\-{regex} ?$"


# Patterns for the VRs whose allowed characters are restricted (PS3.5 6.2-1).
VR_REGEXES = {
    "AE": r"^[\x20-\x7e]*$",
    "AS": r"^\d\d\d[DWMY]$",
    "CS": r"^[A-Z0-9 _]*$",
    "DS": r"^ *[+\-]?(\d+|\d+\.\d*|\.\d+)([eE][+\-]?\d+)? *$",
    "IS": r"^ *[+\-]?\d+ *$",
    "DA": _range_regex(r"\d{4}(0[1-9]|1[0-2])([0-2]\d|3[01])"),
    "DT": _range_regex(
        r"\d{4}((0[1-9]|1[0-2])(([0-2]\d|3[01])(([01]\d|2[0-3])"
        r"([0-5]\d((60|[0-5]\d)(\.\d{1,6} ?)?)?)?)?)?)?([+-][01]\d\d\d)?"
    ),
    "TM": _range_regex(r"([01]\d|2[0-3])([0-5]\d((60|[0-5]\d)(\.\d{1,6} ?)?)?)?"),
    "UI": r"^(0|[1-9][0-9]*)(\.(0|[1-9][0-9]*))*$",
    "UR": r"^[A-Za-z_\d:/?#\[\]@!$&'()*+,;=%\-.~]* *$",
}

STR_VR_REGEXES = {vr: re.compile(rx) for vr, rx in VR_REGEXES.items()}
BYTE_VR_REGEXES = {vr: re.compile(rx.encode()) for vr, rx in VR_REGEXES.items()}


def validate_type(
    vr: str, value: Any, types: type | tuple[type, ...]
) -> tuple[bool, str]:
    """Check that `value` is None or one of `types`.

    Parameters
    ----------
    vr : str
        The VR the value is meant for.
    value : Any
        The value to check.
    types : type or tuple of type
        The accepted types.

    Returns
    -------
    tuple of (bool, str)
        Whether the value is valid, and the reason when it is not.
    """
    if value is not None and not isinstance(value, types):
        return False, (
            f"A value of type '{type(value).__name__}' cannot be "
            f"assigned to a tag with VR {vr}."
        )
    return True, ""


def validate_vr_length(vr: str, value: Any) -> tuple[bool, str]:
    """Check the length of `value` against the maximum for `vr`.

    Parameters
    ----------
    vr : str
        The VR the value is meant for.
    value : str or bytes
        The value to check.

    Returns
    -------
    tuple of (bool, str)
        Whether the value is valid, and the reason when it is not.
    """
    max_length = MAX_VALUE_LEN.get(vr, 0)
    if max_length > 0:
        length = len(value)
        if length > max_length:
            return False, (
                f"The value length ({length}) exceeds the "
                f"maximum length of {max_length} allowed for VR {vr}."
            )
    return True, ""


def validate_type_and_length(vr: str, value: Any) -> tuple[bool, str]:
    """Check that `value` is str or bytes and not longer than `vr` allows.

    Parameters
    ----------
    vr : str
        The VR the value is meant for.
    value : Any
        The value to check.

    Returns
    -------
    tuple of (bool, str)
        Whether the value is valid, and the reason when it is not.
    """
    ok, msg = validate_type(vr, value, (str, bytes))
    if not ok:
        return ok, msg
    return validate_vr_length(vr, value)


def validate_regex(vr: str, value: Any) -> tuple[bool, str]:
    """Check the characters of `value` against the pattern for `vr`.

    Parameters
    ----------
    vr : str
        The VR the value is meant for (must have a pattern).
    value : str or bytes
        The value to check.

    Returns
    -------
    tuple of (bool, str)
        Whether the value is valid, and the reason when it is not.
    """
    if value:
        regex: re.Pattern[Any]
        newline: str | int  # value[-1] of a str, or of bytes
        if isinstance(value, str):
            regex, newline = STR_VR_REGEXES[vr], "\n"
        else:
            regex, newline = BYTE_VR_REGEXES[vr], 10
        # '$' also matches before a final newline, so reject that explicitly
        if not regex.match(value) or value[-1] == newline:
            return False, f"Invalid value for VR {vr}: {value!r}."
    return True, ""


def validate_type_and_regex(vr: str, value: Any) -> tuple[bool, str]:
    """Check that `value` is str or bytes and matches the pattern for `vr`.

    Parameters
    ----------
    vr : str
        The VR the value is meant for.
    value : Any
        The value to check.

    Returns
    -------
    tuple of (bool, str)
        Whether the value is valid, and the reason when it is not.
    """
    ok, msg = validate_type(vr, value, (str, bytes))
    if not ok:
        return ok, msg
    return validate_regex(vr, value)


def validate_date_time(vr: str, value: Any, date_time_type: type) -> tuple[bool, str]:
    """Check a DA, DT or TM value given as a string or a date/time object.

    Parameters
    ----------
    vr : str
        The VR the value is meant for.
    value : Any
        The value to check.
    date_time_type : type
        The :mod:`datetime` type accepted besides str and bytes.

    Returns
    -------
    tuple of (bool, str)
        Whether the value is valid, and the reason when it is not.
    """
    if value and isinstance(value, date_time_type):
        return True, ""
    return validate_type_and_regex(vr, value)


def validate_length_and_type_and_regex(vr: str, value: Any) -> tuple[bool, str]:
    """Check the type, the length and the characters of `value`.

    Parameters
    ----------
    vr : str
        The VR the value is meant for.
    value : Any
        The value to check.

    Returns
    -------
    tuple of (bool, str)
        Whether the value is valid, and the reasons when it is not.
    """
    ok, msg = validate_type(vr, value, (str, bytes))
    if not ok:
        return ok, msg
    len_ok, msg1 = validate_vr_length(vr, value)
    rx_ok, msg2 = validate_regex(vr, value)
    msg = " ".join([msg1, msg2]).strip()
    if msg:
        msg += (
            " Please see <https://dicom.nema.org/medical/dicom/current/output"
            "/html/part05.html#table_6.2-1> for allowed values for each VR."
        )
    return len_ok and rx_ok, msg


def validate_pn_component_length(vr: str, value: Any) -> tuple[bool, str]:
    """Check that one person name component is at most 64 characters.

    Parameters
    ----------
    vr : str
        Not used.
    value : str or bytes
        The component to check.

    Returns
    -------
    tuple of (bool, str)
        Whether the value is valid, and the reason when it is not.
    """
    if len(value) > 64:
        return False, (
            f"The PN component length ({len(value)}) exceeds the "
            f"maximum allowed length of 64."
        )
    return True, ""


def validate_pn(vr: str, value: Any) -> tuple[bool, str]:
    """Check a PN value: at most three components of at most 64 characters.

    Parameters
    ----------
    vr : str
        Not used.
    value : str, bytes or PersonName
        The value to check.

    Returns
    -------
    tuple of (bool, str)
        Whether the value is valid, and the reason when it is not.
    """
    if not value or isinstance(value, PersonName):
        return True, ""
    ok, msg = validate_type(vr, value, (str, bytes))
    if not ok:
        return ok, msg
    components = value.split(b"=" if isinstance(value, bytes) else "=")
    if len(components) > 3:
        return False, (
            f"The number of PN components length ({len(components)}) exceeds "
            f"the maximum allowed number of 3."
        )
    for comp in components:
        ok, msg = validate_pn_component_length("PN", comp)
        if not ok:
            return False, msg
    return True, ""


def validate_pn_component(value: str | bytes) -> None:
    """Validate one PN component's length with the writing validation mode.

    Parameters
    ----------
    value : str or bytes
        The component to check.

    Raises
    ------
    ValueError
        If it is too long and the writing validation mode is RAISE.
    """
    validate_value(
        "PN", value, config.settings.writing_validation_mode, validate_pn_component_length
    )


# Bytes per value of the binary numeric VRs
VALUE_LENGTH = {"US": 2, "SS": 2, "UL": 4, "SL": 4, "UV": 8, "SV": 8, "FL": 4, "FD": 8}


def validate_number(
    vr: str, value: Any, min_value: int, max_value: int
) -> tuple[bool, str]:
    """Check an int against the range of `vr`, or raw bytes against its size.

    Parameters
    ----------
    vr : str
        The VR the value is meant for.
    value : int or bytes
        The value to check.
    min_value, max_value : int
        The inclusive range allowed.

    Returns
    -------
    tuple of (bool, str)
        Whether the value is valid, and the reason when it is not.
    """
    ok, msg = validate_type(vr, value, (int, bytes))
    if not ok:
        return ok, msg
    if isinstance(value, int):
        if value < min_value or value > max_value:
            return False, (
                f"Invalid value: a value for a tag with VR {vr} must be "
                f"between {min_value} and {max_value}."
            )
    elif len(value) % VALUE_LENGTH[vr]:
        return False, (
            f"Invalid value length {len(value)}: the value length for a tag "
            f"with VR {vr} must be a multiple of {VALUE_LENGTH[vr]}."
        )
    return True, ""


def _bytes_validator(vr: str, value: Any) -> tuple[bool, str]:
    return validate_type(vr, value, (bytes, bytearray))


def _float_validator(vr: str, value: Any) -> tuple[bool, str]:
    return validate_type(vr, value, (float, int))


def _number_validator(min_value: int, max_value: int) -> Callable[[str, Any], tuple[bool, str]]:
    def check(vr: str, value: Any) -> tuple[bool, str]:
        return validate_number(vr, value, min_value, max_value)

    return check


VALIDATORS: dict[str, Callable[[str, Any], tuple[bool, str]]] = {
    "AE": validate_length_and_type_and_regex,
    "AS": validate_type_and_regex,
    "CS": validate_length_and_type_and_regex,
    "DA": lambda vr, value: validate_date_time(vr, value, datetime.date),
    "DS": validate_length_and_type_and_regex,
    "DT": lambda vr, value: validate_date_time(vr, value, datetime.datetime),
    "FD": _float_validator,
    "FL": _float_validator,
    "IS": validate_length_and_type_and_regex,
    "LO": validate_type_and_length,
    "LT": validate_type_and_length,
    "OB": _bytes_validator,
    "OD": _bytes_validator,
    "OF": _bytes_validator,
    "OL": _bytes_validator,
    "OW": _bytes_validator,
    "OV": _bytes_validator,
    "PN": validate_pn,
    "SH": validate_type_and_length,
    "SL": _number_validator(-0x80000000, 0x7FFFFFFF),
    "SS": _number_validator(-0x8000, 0x7FFF),
    "ST": validate_type_and_length,
    "SV": _number_validator(-0x8000000000000000, 0x7FFFFFFFFFFFFFFF),
    "TM": lambda vr, value: validate_date_time(vr, value, datetime.time),
    "UI": validate_length_and_type_and_regex,
    "UL": _number_validator(0, 0xFFFFFFFF),
    "US": _number_validator(0, 0xFFFF),
    "UR": validate_type_and_regex,
    "UV": _number_validator(0, 0xFFFFFFFFFFFFFFFF),
}
"""dict: The validation function for each VR that has one."""


def validate_value(
    vr: str,
    value: Any,
    validation_mode: int,
    validator: Callable[[str, Any], tuple[bool, str]] | None = None,
) -> None:
    """Validate `value` for `vr`, warning or raising as `validation_mode` says.

    Parameters
    ----------
    vr : str
        The VR of the element the value belongs to.
    value : Any
        The value to validate; None is always accepted.
    validation_mode : int
        :data:`~fastdicom.config.IGNORE`, ``WARN`` or ``RAISE``.
    validator : callable, optional
        The check to run; by default the one in :data:`VALIDATORS` for `vr`.

    Raises
    ------
    ValueError
        If the value is invalid and `validation_mode` is RAISE.
    """
    if validation_mode == config.IGNORE or value is None:
        return
    validator = validator or VALIDATORS.get(vr)
    if validator is None:
        return
    ok, msg = validator(vr, value)
    if not ok:
        if validation_mode == config.RAISE:
            raise ValueError(msg)
        _warn_and_log(msg, stacklevel=3)


@unique
class VR(str, Enum):
    """A DICOM Value Representation; compares equal to its two-letter string."""

    # The standard VRs, PS3.5 Table 6.2-1
    AE = "AE"
    AS = "AS"
    AT = "AT"
    CS = "CS"
    DA = "DA"
    DS = "DS"
    DT = "DT"
    FD = "FD"
    FL = "FL"
    IS = "IS"
    LO = "LO"
    LT = "LT"
    OB = "OB"
    OD = "OD"
    OF = "OF"
    OL = "OL"
    OW = "OW"
    OV = "OV"
    PN = "PN"
    SH = "SH"
    SL = "SL"
    SQ = "SQ"
    SS = "SS"
    ST = "ST"
    SV = "SV"
    TM = "TM"
    UC = "UC"
    UI = "UI"
    UL = "UL"
    UN = "UN"
    UR = "UR"
    US = "US"
    UT = "UT"
    UV = "UV"
    # The ambiguous VRs of the data dictionaries, PS3.6 Tables 6-1, 7-1, 8-1
    US_SS_OW = "US or SS or OW"
    US_SS = "US or SS"
    US_OW = "US or OW"
    OB_OW = "OB or OW"

    def __str__(self) -> str:
        # Print as the plain value ("US"), not as "VR.US"
        return str.__str__(self)


STANDARD_VR = {
    VR.AE, VR.AS, VR.AT, VR.CS, VR.DA, VR.DS, VR.DT, VR.FD, VR.FL, VR.IS,
    VR.LO, VR.LT, VR.OB, VR.OD, VR.OF, VR.OL, VR.OW, VR.OV, VR.PN, VR.SH,
    VR.SL, VR.SQ, VR.SS, VR.ST, VR.SV, VR.TM, VR.UC, VR.UI, VR.UL, VR.UN,
    VR.UR, VR.US, VR.UT, VR.UV,
}  # fmt: skip
"""set of VR: The 34 VRs of PS3.5 Table 6.2-1."""

AMBIGUOUS_VR = {VR.US_SS_OW, VR.US_SS, VR.US_OW, VR.OB_OW}
"""set of VR: The VRs that depend on other elements of the dataset."""

DEFAULT_CHARSET_VR = {
    VR.AE, VR.AS, VR.CS, VR.DA, VR.DS, VR.DT, VR.IS, VR.TM, VR.UI, VR.UR,
}  # fmt: skip
"""set of VR: String VRs restricted to the default repertoire (ISO-IR 6)."""

CUSTOMIZABLE_CHARSET_VR = {VR.LO, VR.LT, VR.PN, VR.SH, VR.ST, VR.UC, VR.UT}
"""set of VR: String VRs whose encoding (0008,0005) may change."""

BYTES_VR = {VR.OB, VR.OD, VR.OF, VR.OL, VR.OV, VR.OW, VR.UN}
"""set of VR: VRs whose values are bytes."""

FLOAT_VR = {VR.DS, VR.FD, VR.FL}
"""set of VR: VRs whose values are floating point numbers."""

INT_VR = {VR.AT, VR.IS, VR.SL, VR.SS, VR.SV, VR.UL, VR.US, VR.UV}
"""set of VR: VRs whose values are ints."""

LIST_VR = {VR.SQ}
"""set of VR: VRs whose values are lists."""

STR_VR = DEFAULT_CHARSET_VR | CUSTOMIZABLE_CHARSET_VR
"""set of VR: VRs whose values are strings."""

ALLOW_BACKSLASH = {VR.LT, VR.ST, VR.UT, VR.US_SS_OW, VR.US_OW, VR.OB_OW} | BYTES_VR
"""set of VR: VRs whose values may hold a backslash (it is no separator)."""

LONG_VALUE_VR = {VR.LT, VR.UC, VR.UT} | BYTES_VR | AMBIGUOUS_VR
"""set of VR: VRs whose values may be long enough to shorten when printed."""

EXPLICIT_VR_LENGTH_16 = {
    VR.AE, VR.AS, VR.AT, VR.CS, VR.DA, VR.DS, VR.DT, VR.FL, VR.FD, VR.IS,
    VR.LO, VR.LT, VR.PN, VR.SH, VR.SL, VR.SS, VR.ST, VR.TM, VR.UI, VR.UL,
    VR.US,
}  # fmt: skip
"""set of VR: VRs with a 2-byte length field in explicit VR (PS3.5 7.1-2)."""

EXPLICIT_VR_LENGTH_32 = STANDARD_VR - EXPLICIT_VR_LENGTH_16
"""set of VR: VRs with a 4-byte length field in explicit VR."""

BUFFERABLE_VRS = (BYTES_VR | {VR.OB_OW}) - {VR.UN}
"""set of VR: VRs whose values may be given as a buffer."""


# ---------------------------------------------------------------- date/time


class _DateTimeBase:
    """Shared behaviour of :class:`DA`, :class:`DT` and :class:`TM`.

    They print as the string they were made from (``original_string``) and
    carry it through pickling, which the immutable datetime bases do not.
    """

    original_string: str

    def __getstate__(self) -> dict[str, Any]:
        return self.__dict__.copy()

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__dict__.update(state)

    def __reduce_ex__(self, protocol: int) -> tuple[Any, ...]:  # type: ignore[override]
        # The datetime reduction rebuilds the value only; add our __dict__
        reduced = cast(tuple[Any, ...], super().__reduce_ex__(protocol))
        return reduced + (self.__getstate__(),)

    def __str__(self) -> str:
        if hasattr(self, "original_string"):
            return self.original_string
        return super().__str__()

    def __repr__(self) -> str:
        return f'"{self}"'


class DA(_DateTimeBase, datetime.date):
    """A **DA** value as a :class:`datetime.date` that remembers its string.

    Made from a ``YYYYMMDD`` string (or the old ACR-NEMA ``YYYY.MM.DD``), a
    :class:`datetime.date`, or the arguments of :class:`datetime.date`. An
    empty or blank string, or None, gives None.
    """

    def __new__(  # type: ignore[misc]
        cls: type[DA], *args: Any, **kwargs: Any
    ) -> DA | None:
        if not args or args[0] is None:
            return None
        val = args[0]
        if isinstance(val, str):
            if val.strip() == "":
                return None
            if len(val) == 8:
                return super().__new__(cls, int(val[0:4]), int(val[4:6]), int(val[6:8]))
            if len(val) == 10 and val[4] == "." and val[7] == ".":
                # ACR-NEMA 300 format, seen in a few old files
                return super().__new__(cls, int(val[0:4]), int(val[5:7]), int(val[8:10]))
        if isinstance(val, datetime.date):
            return super().__new__(cls, val.year, val.month, val.day)
        try:
            return super().__new__(cls, *args, **kwargs)
        except Exception as exc:
            raise ValueError(f"Unable to convert '{val}' to 'DA' object") from exc

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        val = args[0]
        if isinstance(val, str):
            self.original_string = val
        elif isinstance(val, DA) and hasattr(val, "original_string"):
            self.original_string = val.original_string
        elif isinstance(val, datetime.date):
            self.original_string = f"{val.year}{val.month:02}{val.day:02}"


class DT(_DateTimeBase, datetime.datetime):
    """A **DT** value as a :class:`datetime.datetime` that remembers its string.

    Made from a ``YYYY[MM[DD[HH[MM[SS[.F{1-6}]]]]]][&ZZXX]`` string, a
    :class:`datetime.datetime`, or the arguments of
    :class:`datetime.datetime`. An empty or blank string, or None, gives
    None. A leap second (60) becomes 59 with a warning.
    """

    _regex_dt = re.compile(r"((\d{4,14})(\.(\d{1,6}))?)([+-]\d{4})?")

    @staticmethod
    def _utc_offset(value: str) -> datetime.timezone:
        """Return the timezone of an offset suffix such as ``'-1000'``.

        Parameters
        ----------
        value : str
            The ``&ZZXX`` suffix.

        Returns
        -------
        datetime.timezone
        """
        minutes = int(value[1:3]) * 60 + int(value[3:5])
        seconds = -minutes * 60 if value[0] == "-" else minutes * 60
        return datetime.timezone(datetime.timedelta(seconds=seconds), name=value)

    def __new__(  # type: ignore[misc]
        cls: type[DT], *args: Any, **kwargs: Any
    ) -> DT | None:
        if not args or args[0] is None:
            return None
        val = args[0]
        if isinstance(val, str):
            if val.strip() == "":
                return None
            match = cls._regex_dt.match(val)
            if not match or len(val) > 26:
                raise ValueError(
                    f"Unable to convert non-conformant value '{val}' to 'DT' object"
                )
            digits = match.group(2)
            n = len(digits)
            second = 0 if n < 14 else int(digits[12:14])
            microsecond = 0
            if n >= 14 and match.group(4):
                microsecond = int(match.group(4).rstrip().ljust(6, "0"))
            tz = match.group(5)
            if second == 60:
                # datetime has no leap seconds
                _warn_and_log(
                    "'datetime.datetime' doesn't allow a value of '60' for "
                    "the seconds component, changing to '59'"
                )
                second = 59
            return super().__new__(
                cls,
                int(digits[0:4]),
                1 if n < 6 else int(digits[4:6]),
                1 if n < 8 else int(digits[6:8]),
                hour=0 if n < 10 else int(digits[8:10]),
                minute=0 if n < 12 else int(digits[10:12]),
                second=second,
                microsecond=microsecond,
                tzinfo=cls._utc_offset(tz) if tz else None,
            )
        if isinstance(val, datetime.datetime):
            return super().__new__(
                cls, *val.timetuple()[:6], val.microsecond, val.tzinfo
            )
        try:
            return super().__new__(cls, *args, **kwargs)
        except Exception as exc:
            raise ValueError(f"Unable to convert '{val}' to 'DT' object") from exc

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        val = args[0]
        if isinstance(val, str):
            self.original_string = val
        elif isinstance(val, DT) and hasattr(val, "original_string"):
            self.original_string = val.original_string
        elif isinstance(val, datetime.datetime):
            text = (
                f"{val.year:04}{val.month:02}{val.day:02}"
                f"{val.hour:02}{val.minute:02}{val.second:02}"
            )
            if val.microsecond > 0:  # fractions only when there are some
                text += f".{val.microsecond:06}"
            if val.tzinfo is not None:
                offset = val.tzinfo.utcoffset(val)
                if offset is not None:
                    minutes = offset.days * 24 * 60 + offset.seconds // 60
                    sign = "+" if minutes >= 0 else "-"
                    minutes = abs(minutes)
                    text += f"{sign}{minutes // 60:02}{minutes % 60:02}"
            self.original_string = text


class TM(_DateTimeBase, datetime.time):
    """A **TM** value as a :class:`datetime.time` that remembers its string.

    Made from a ``HH[MM[SS[.F{1-6}]]]`` string, a :class:`datetime.time`, or
    the arguments of :class:`datetime.time`. An empty or blank string, or
    None, gives None. A leap second (60) becomes 59 with a warning.
    """

    _RE_TIME = re.compile(
        r"(?P<h>^([01][0-9]|2[0-3]))"
        r"((?P<m>([0-5][0-9]))"
        r"((?P<s>([0-5][0-9]|60))"
        r"(\.(?P<ms>([0-9]{1,6})?))?)?)?$"
    )

    def __new__(  # type: ignore[misc]
        cls: type[TM], *args: Any, **kwargs: Any
    ) -> TM | None:
        if not args or args[0] is None:
            return None
        val = args[0]
        if isinstance(val, str):
            if val.strip() == "":
                return None
            match = cls._RE_TIME.match(val)
            if not match:
                raise ValueError(
                    f"Unable to convert non-conformant value '{val}' to 'TM' object"
                )
            minute, second, fraction = match.group("m", "s", "ms")
            second = 0 if second is None else int(second)
            if second == 60:
                _warn_and_log(
                    "'datetime.time' doesn't allow a value of '60' for the "
                    "seconds component, changing to '59'"
                )
                second = 59
            return super().__new__(
                cls,
                int(match.group("h")),
                0 if minute is None else int(minute),
                second,
                int(fraction.rstrip().ljust(6, "0")) if fraction else 0,
            )
        if isinstance(val, datetime.time):
            return super().__new__(cls, val.hour, val.minute, val.second, val.microsecond)
        try:
            return super().__new__(cls, *args, **kwargs)
        except Exception as exc:
            raise ValueError(f"Unable to convert '{val}' to 'TM' object") from exc

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__()
        val = args[0]
        if isinstance(val, str):
            self.original_string = val
        elif isinstance(val, TM) and hasattr(val, "original_string"):
            self.original_string = val.original_string
        elif isinstance(val, datetime.time):
            text = f"{val.hour:02}{val.minute:02}{val.second:02}"
            if val.microsecond > 0:
                text += f".{val.microsecond:06}"
            self.original_string = text


# ----------------------------------------------------------------------- DS


def is_valid_ds(s: str) -> bool:
    """Return True if `s` is a valid decimal string (DS).

    Parameters
    ----------
    s : str
        The string to check: at most 16 characters of the DS repertoire.

    Returns
    -------
    bool
    """
    return validate_length_and_type_and_regex("DS", s)[0]


def format_number_as_ds(val: float | Decimal) -> str:
    """Return the closest representation of `val` that is a valid DS.

    A DS is limited to 16 characters, so long values lose precision; very
    large and very small magnitudes use scientific notation, which keeps
    more significant digits.

    Parameters
    ----------
    val : float or Decimal
        A finite number.

    Returns
    -------
    str

    Raises
    ------
    TypeError
        If `val` is neither float nor Decimal.
    ValueError
        If `val` is infinite or NaN.
    """
    if not isinstance(val, (float, Decimal)):
        raise TypeError("'val' must be of type float or decimal.Decimal")
    if not isfinite(val):
        raise ValueError(
            f"Cannot encode non-finite floats as DICOM decimal strings. Got '{val}'"
        )
    text = str(val)
    if len(text) <= 16:
        return text

    logval = log10(abs(float(val)))  # math.log10 takes a Decimal as a float too
    sign_chars = 1 if val < 0.0 else 0
    # Above about 1e14 a truncated fixed-point string would end in '.', and
    # below 1e-4 scientific notation keeps more digits than fixed point.
    if logval < -4 or logval >= (14 - sign_chars):
        digits = 10 - sign_chars
        text = f"{val:.{digits}e}"
        if len(text) > 16:  # three-digit exponent
            text = f"{val:.{digits - 1}e}"
        return text
    if logval >= 1.0:
        digits = 14 - sign_chars - int(floor(logval))
    else:
        digits = 14 - sign_chars
    return f"{val:.{digits}f}"


def _set_ds_string(ds: Any, val: Any, auto_format: bool) -> None:
    """Give a new DSfloat or DSdecimal its original string and auto_format.

    The string is the one read (stripped), or the source DS's; with
    auto_format an invalid or missing string is replaced by the number
    formatted to fit DS's 16 characters.
    """
    pre_checked = False
    if isinstance(val, str):
        ds.original_string = val.strip()
    elif isinstance(val, (DSfloat, DSdecimal)):
        if val.auto_format:
            # an auto-formatted source already has a valid string
            auto_format = True
            pre_checked = True
        if hasattr(val, "original_string"):
            ds.original_string = val.original_string
    ds.auto_format = auto_format
    if auto_format and not pre_checked:
        if hasattr(ds, "original_string"):
            if not is_valid_ds(ds.original_string):
                ds.original_string = format_number_as_ds(float(ds.original_string))
        else:
            ds.original_string = format_number_as_ds(ds)


class DSfloat(float):
    """A **DS** value as a :class:`float` that remembers its string.

    A blank string gives that string back and None gives None, rather than
    an instance.

    Parameters
    ----------
    val : str, int, float or Decimal
        The value.
    auto_format : bool, optional
        Make the string form a valid DS (at most 16 characters), possibly
        losing precision in it; the float value is unchanged.
    validation_mode : int, optional
        How to treat an invalid value; the reading validation mode when not
        given. Only RAISE has an effect: a value whose string is not a valid
        DS raises.
    """

    auto_format: bool

    def __new__(  # type: ignore[misc]
        cls: type[DSfloat],
        val: None | str | int | float | Decimal,
        auto_format: bool = False,
        validation_mode: int | None = None,
    ) -> str | DSfloat | None:
        if val is None:
            return val
        if isinstance(val, str) and val.strip() == "":
            return val
        return super().__new__(cls, val)

    def __init__(
        self,
        val: str | int | float | Decimal,
        auto_format: bool = False,
        validation_mode: int | None = None,
    ) -> None:
        if validation_mode is None:
            validation_mode = config.settings.reading_validation_mode

        _set_ds_string(self, val, auto_format)

        if validation_mode == config.RAISE and not self.auto_format:
            text = str(self)
            if len(text) > 16:
                raise OverflowError(
                    "Values for elements with a VR of 'DS' must be <= 16 "
                    "characters long, but the float provided requires > 16 "
                    "characters to be accurately represented. Use a smaller "
                    "string, set 'config.settings.reading_validation_mode' to "
                    "'WARN' to override the length check, or "
                    "explicitly construct a DS object with 'auto_format' "
                    "set to True"
                )
            if not is_valid_ds(text):  # NaN and infinities end up here
                raise ValueError(f'Value "{self}" is not valid for elements with a VR of DS')

    def __eq__(self, other: Any) -> Any:
        # A DS equals the string it prints as, as well as the number
        if isinstance(other, str):
            return str(self) == other
        return super().__eq__(other)

    def __hash__(self) -> int:
        return super().__hash__()

    def __ne__(self, other: Any) -> Any:
        return not self == other

    def __str__(self) -> str:
        if hasattr(self, "original_string") and not self.auto_format:
            return self.original_string
        return repr(self)[1:-1]

    def __repr__(self) -> str:
        if hasattr(self, "original_string"):
            return f"'{self.original_string}'"
        return f"'{super().__repr__()}'"


class DSdecimal(Decimal):
    """A **DS** value as a :class:`decimal.Decimal` that remembers its string.

    A blank string gives that string back and None gives None. A float is
    only accepted when :data:`fastdicom.config.allow_DS_float` is True.

    Parameters
    ----------
    val : str, int, float or Decimal
        The value.
    auto_format : bool, optional
        Make the string form a valid DS, possibly losing precision in it.
    validation_mode : int, optional
        How to treat a value whose string is not a valid DS; the reading
        validation mode when not given.
    """

    auto_format: bool

    def __new__(  # type: ignore[misc]
        cls: type[DSdecimal],
        val: None | str | int | float | Decimal,
        auto_format: bool = False,
        validation_mode: int | None = None,
    ) -> str | DSdecimal | None:
        if val is None:
            return val
        if isinstance(val, str) and val.strip() == "":
            return val
        if isinstance(val, float) and not config.allow_DS_float:
            raise TypeError(
                "'DS' cannot be instantiated with a float value unless "
                "'config.allow_DS_float' is set to True. You should convert "
                "the value to a string with the desired number of digits, "
                "or use 'Decimal.quantize()' and pass a 'Decimal' instance."
            )
        return super().__new__(cls, val)

    def __init__(
        self,
        val: str | int | float | Decimal,
        auto_format: bool = False,
        validation_mode: int | None = None,
    ) -> None:
        if validation_mode is None:
            validation_mode = config.settings.reading_validation_mode

        _set_ds_string(self, val, auto_format)

        if validation_mode != config.IGNORE:
            text = repr(self).strip("'")
            if len(text) > 16:
                msg = (
                    "Values for elements with a VR of 'DS' values must be "
                    "<= 16 characters long. Use a smaller string, set "
                    "'config.settings.reading_validation_mode' to "
                    "'WARN' to override the length check, use "
                    "'Decimal.quantize()' and initialize "
                    "with a 'Decimal' instance, or explicitly construct a DS "
                    "instance with 'auto_format' set to True"
                )
                if validation_mode == config.RAISE:
                    raise OverflowError(msg)
                _warn_and_log(msg)
            elif not is_valid_ds(text):
                msg = f'Value "{self}" is not valid for elements with a VR of DS'
                if validation_mode == config.RAISE:
                    raise ValueError(msg)
                _warn_and_log(msg)

    def __eq__(self, other: Any) -> Any:
        if isinstance(other, str):
            return str(self) == other
        return super().__eq__(other)

    def __hash__(self) -> int:
        return super().__hash__()

    def __ne__(self, other: Any) -> Any:
        return not self == other

    def __str__(self) -> str:
        if hasattr(self, "original_string") and len(self.original_string) <= 16:
            return self.original_string
        return super().__str__()

    def __repr__(self) -> str:
        if hasattr(self, "original_string"):
            return f"'{self.original_string}'"
        return f"'{self}'"


DSclass: Any = DSdecimal if config.use_DS_decimal else DSfloat
"""The DS class chosen by ``config.use_DS_decimal`` when fastdicom was imported.

Kept for pydicom compatibility; fastdicom itself reads the setting at call
time, see :func:`_ds_class`.
"""


def _ds_class() -> type:
    """Return the DS class for the current ``config.use_DS_decimal``."""
    return DSdecimal if config.use_DS_decimal else DSfloat


def DS(
    val: None | str | int | float | Decimal,
    auto_format: bool = False,
    validation_mode: int | None = None,
) -> None | str | DSfloat | DSdecimal:
    """Make a **DS** value: a :class:`DSfloat` or, with ``use_DS_decimal``, a
    :class:`DSdecimal`.

    Parameters
    ----------
    val : None, str, int, float or Decimal
        The value; None and blank strings are returned unchanged.
    auto_format : bool, optional
        Make the string form a valid DS.
    validation_mode : int, optional
        How to treat invalid strings; the reading validation mode when not
        given.

    Returns
    -------
    None, str, DSfloat or DSdecimal
    """
    if val is None:
        return val
    if validation_mode is None:
        validation_mode = config.settings.reading_validation_mode
    if isinstance(val, str):
        if val.strip() == "":
            return val
        validate_value("DS", val, validation_mode)
    if config.use_DS_decimal:
        return DSdecimal(val, auto_format, validation_mode)
    return DSfloat(val, auto_format, validation_mode)


# ----------------------------------------------------------------------- IS


class ISfloat(float):
    """An **IS** value that is not a whole number, as a :class:`float`.

    The standard allows only integers, but files with ``'1.5'`` exist;
    :class:`IS` returns this type for them, warning (WARN) or raising a
    :class:`TypeError` (RAISE) as the validation mode says.

    Parameters
    ----------
    val : str, float or Decimal
        The value.
    validation_mode : int, optional
        IGNORE, WARN or RAISE.
    """

    def __new__(  # type: ignore[misc]
        cls: type[ISfloat],
        val: str | float | Decimal,
        validation_mode: int | None = None,
    ) -> float | str:
        if isinstance(val, str) and val.strip() == "":
            return ""
        return super().__new__(cls, val)

    def __init__(self, val: str | float | Decimal, validation_mode: int | None = None) -> None:
        if isinstance(val, str):
            self.original_string = val.strip()
        elif isinstance(val, (IS, ISfloat)) and hasattr(val, "original_string"):
            self.original_string = val.original_string
        if validation_mode:
            msg = f'Value "{self}" is not valid for elements with a VR of IS'
            if validation_mode == config.WARN:
                _warn_and_log(msg)
            elif validation_mode == config.RAISE:
                msg += "\nSet reading_validation_mode to WARN or IGNORE to bypass"
                raise TypeError(msg)


# A valid IS that is a whole number (the IS pattern without the line-end
# leniency of '$'); at most 12 characters long it is exactly an int.
_IS_INT = re.compile(r" *[+\-]?\d+ *")


class IS(int):
    """An **IS** value as an :class:`int` that remembers its string.

    None and blank strings are returned unchanged; a string such as
    ``'1.0'`` is accepted as a whole number, and one such as ``'1.5'`` gives
    an :class:`ISfloat`.

    Parameters
    ----------
    val : None, str, int, float or Decimal
        The value.
    validation_mode : int, optional
        How to treat invalid values; the reading validation mode when not
        given.
    """

    def __new__(  # type: ignore[misc]
        cls: type[IS],
        val: None | str | int | float | Decimal,
        validation_mode: int | None = None,
    ) -> str | IS | ISfloat | None:
        if val is None:
            return val
        if validation_mode is None:
            validation_mode = config.settings.reading_validation_mode
        is_int_string = False
        if isinstance(val, str):
            # Fast path for the common valid value: it passes validation
            # and cannot be fractional, so both checks are skipped.
            is_int_string = len(val) <= 12 and _IS_INT.fullmatch(val) is not None
            if not is_int_string:
                if val.strip() == "":
                    return val
                validate_value("IS", val, validation_mode)

        newval: IS | ISfloat
        try:
            newval = super().__new__(cls, val)
        except ValueError:
            # e.g. '1.0': a whole number written as a float
            newval = super().__new__(cls, float(val))

        # A fractional value would lose information as an int
        if not is_int_string and isinstance(val, (float, Decimal, str)) and newval != float(val):
            newval = ISfloat(val, validation_mode)

        # DICOM IS values are 32-bit signed
        if not -(2**31) <= newval < 2**31 and validation_mode == config.RAISE:
            raise OverflowError(
                "Elements with a VR of IS must have a value between -2**31 "
                "and (2**31 - 1). Set "
                "'config.settings.reading_validation_mode' to "
                "'WARN' to override the value check"
            )
        return newval

    def __init__(
        self, val: str | int | float | Decimal, validation_mode: int | None = None
    ) -> None:
        if isinstance(val, str):
            self.original_string = val.strip()
        elif isinstance(val, IS) and hasattr(val, "original_string"):
            self.original_string = val.original_string

    def __eq__(self, other: Any) -> Any:
        if isinstance(other, str):
            return str(self) == other
        return super().__eq__(other)

    def __hash__(self) -> int:
        return super().__hash__()

    def __ne__(self, other: Any) -> Any:
        return not self == other

    def __str__(self) -> str:
        if hasattr(self, "original_string"):
            return self.original_string
        return repr(self)[1:-1]

    def __repr__(self) -> str:
        return f"'{super().__repr__()}'"


# ----------------------------------------------------------------------- PN


def _verify_encodings(encodings: str | Sequence[str] | None) -> tuple[str, ...] | None:
    """Return `encodings` as a tuple (None stays None)."""
    if encodings is None:
        return None
    if isinstance(encodings, str):
        return (encodings,)
    return tuple(encodings)


def _decode_personname(components: Sequence[bytes], encodings: Sequence[str]) -> tuple[str, ...]:
    """Decode the encoded components of a person name.

    Parameters
    ----------
    components : sequence of bytes
        The up to three '='-separated components.
    encodings : sequence of str
        The Python encodings to decode with.

    Returns
    -------
    tuple of str
        The decoded components without empty trailing ones.
    """
    comps = [decode_bytes(c, encodings, PN_DELIMS) for c in components]
    while comps and not comps[-1]:  # no trailing '='
        comps.pop()
    return tuple(comps)


def _encode_personname(components: Sequence[str], encodings: Sequence[str]) -> bytes:
    """Encode person name components, each '^'-group on its own.

    Parameters
    ----------
    components : sequence of str
        The decoded components.
    encodings : sequence of str
        The Python encodings to encode with.

    Returns
    -------
    bytes
        The encoded value, without empty trailing components.
    """
    encoded = [
        b"^".join(encode_string(group, encodings) for group in comp.split("^"))
        for comp in components
    ]
    while encoded and not encoded[-1]:
        encoded.pop()
    return b"=".join(encoded)


class PersonName:
    """A **PN** value: up to three components (alphabetic, ideographic,
    phonetic) of five '^'-separated name parts.

    Made from the raw bytes (decoded when first needed, with `encodings`),
    from a decoded string, or from another PersonName; None gives None.
    It behaves like the string it prints as: it compares equal to it,
    iterates over its characters and has its length.

    Parameters
    ----------
    val : bytes, str or PersonName
        The value.
    encodings : sequence of str, optional
        The Python encodings of the value.
    original_string : bytes, optional
        The encoded form of a `val` given as str.
    validation_mode : int, optional
        How to treat invalid values; the reading validation mode when not
        given.
    """

    def __new__(  # type: ignore[misc]
        cls: type[PersonName], *args: Any, **kwargs: Any
    ) -> PersonName | None:
        if args and args[0] is None:
            return None
        return super().__new__(cls)

    def __init__(
        self,
        val: bytes | str | PersonName,
        encodings: Sequence[str] | None = None,
        original_string: bytes | None = None,
        validation_mode: int | None = None,
    ) -> None:
        self.original_string: bytes
        self._components: tuple[str, ...] | None = None
        self.encodings: tuple[str, ...] | None
        if validation_mode is None:
            validation_mode = config.settings.reading_validation_mode
        self.validation_mode = validation_mode

        if isinstance(val, PersonName):
            encodings = val.encodings
            self.original_string = val.original_string
            self._components = tuple(str(val).split("="))
        elif isinstance(val, bytes):
            # decoded lazily: most names read are never looked at
            self.original_string = val
            validate_value("PN", val, validation_mode)
        else:
            self.original_string = cast(bytes, original_string)
            # without the bytes, at least check the decoded lengths
            validate_value("PN", original_string if original_string else val, validation_mode)
            components = val.split("=")
            while components and not components[-1]:
                components.pop()
            self._components = tuple(components)
        self.encodings = _verify_encodings(encodings)

    def _create_dict(self) -> dict[str, str]:
        """Return the named parts, for :meth:`formatted`."""
        parts = (
            "family_name",
            "given_name",
            "middle_name",
            "name_prefix",
            "name_suffix",
            "ideographic",
            "phonetic",
        )
        return {p: getattr(self, p, "") for p in parts}

    @property
    def components(self) -> tuple[str, ...]:
        """tuple of str: The decoded (alphabetic, ideographic, phonetic)
        components; trailing empty ones are absent."""
        if self._components is None:
            groups = self.original_string.split(b"=")
            encodings = self.encodings or [default_encoding]
            self._components = _decode_personname(groups, encodings)
        return self._components

    def _name_part(self, i: int) -> str:
        """Return the `i`-th '^'-group of the alphabetic component, or ''."""
        try:
            return self.components[0].split("^")[i]
        except IndexError:
            return ""

    @property
    def family_name(self) -> str:
        """str: The first group of the alphabetic component."""
        return self._name_part(0)

    @property
    def given_name(self) -> str:
        """str: The second group of the alphabetic component."""
        return self._name_part(1)

    @property
    def middle_name(self) -> str:
        """str: The third group of the alphabetic component."""
        return self._name_part(2)

    @property
    def name_prefix(self) -> str:
        """str: The fourth group of the alphabetic component."""
        return self._name_part(3)

    @property
    def name_suffix(self) -> str:
        """str: The fifth group of the alphabetic component."""
        return self._name_part(4)

    def _component(self, i: int) -> str:
        comps = self.components
        return comps[i] if i < len(comps) else ""

    @property
    def alphabetic(self) -> str:
        """str: The alphabetic (first) component."""
        return self._component(0)

    @property
    def ideographic(self) -> str:
        """str: The ideographic (second) component."""
        return self._component(1)

    @property
    def phonetic(self) -> str:
        """str: The phonetic (third) component."""
        return self._component(2)

    def __eq__(self, other: Any) -> Any:
        return str(self) == other

    def __ne__(self, other: Any) -> Any:
        return not self == other

    def __str__(self) -> str:
        return "=".join(self.components)

    def __iter__(self) -> Iterator[str]:
        yield from str(self)

    def __len__(self) -> int:
        return len(str(self))

    def __contains__(self, x: Any) -> bool:
        return x in str(self)

    def __repr__(self) -> str:
        return repr("=".join(self.components))

    def __hash__(self) -> int:
        return hash(self.components)

    def decode(self, encodings: Sequence[str] | None = None) -> PersonName:
        """Return the name decoded with `encodings`.

        Parameters
        ----------
        encodings : sequence of str, optional
            The Python encodings to use; if not given or unchanged, this
            object is returned.

        Returns
        -------
        PersonName
        """
        if encodings is None or encodings == self.encodings:
            return self
        encodings = _verify_encodings(encodings)
        if self.original_string is None:
            self.original_string = _encode_personname(
                self.components, self.encodings or [default_encoding]
            )
            # the encoded length is known only now
            validate_value("PN", self.original_string, self.validation_mode)
        return PersonName(self.original_string, encodings)

    def encode(self, encodings: Sequence[str] | None = None) -> bytes:
        """Return the name encoded with `encodings`.

        Parameters
        ----------
        encodings : sequence of str, optional
            The Python encodings to use; by default the object's own, in
            which case the original bytes are returned when known.

        Returns
        -------
        bytes
        """
        encodings = _verify_encodings(encodings) or self.encodings
        if encodings != self.encodings and self.encodings is not None:
            # a different encoding: re-encode without touching the original
            return _encode_personname(self.components, cast(Sequence[str], encodings))
        if self.original_string is None:
            self.original_string = _encode_personname(
                self.components, encodings or [default_encoding]
            )
        return self.original_string

    def family_comma_given(self) -> str:
        """Return the name as ``'Family, Given'``.

        Returns
        -------
        str
        """
        return f"{self.family_name}, {self.given_name}"

    def formatted(self, format_str: str) -> str:
        """Return the name formatted with %-style named fields.

        Parameters
        ----------
        format_str : str
            E.g. ``'%(family_name)s, %(given_name)s'``; the fields are the
            five name parts, ``ideographic`` and ``phonetic``.

        Returns
        -------
        str
        """
        return format_str % self._create_dict()

    def __bool__(self) -> bool:
        if not self.original_string:
            comps = self.components
            return bool(comps) and (len(comps) > 1 or bool(comps[0]))
        return bool(self.original_string)

    @staticmethod
    def _encode_component_groups(
        alphabetic_group: Sequence[str | bytes],
        ideographic_group: Sequence[str | bytes],
        phonetic_group: Sequence[str | bytes],
        encodings: list[str] | None = None,
    ) -> bytes:
        """Encode three lists of name parts into one PN value.

        Parameters
        ----------
        alphabetic_group, ideographic_group, phonetic_group : sequence
            The parts (str or already encoded bytes) of each component.
        encodings : list of str, optional
            The Python encodings of the value.

        Returns
        -------
        bytes

        Raises
        ------
        ValueError
            If a part holds a backslash, '^' or '='.
        """
        encs = encodings or [default_encoding]
        part_sep = encode_string("^", encs)
        comp_sep = encode_string("=", encs)

        def as_bytes(part: str | bytes) -> bytes:
            # parts may be given as str or as bytes, in any mixture
            if isinstance(part, bytes):
                encoded, decoded = part, decode_bytes(part, encs, set())
            else:
                encoded, decoded = encode_string(part, encs), part
            for c in ("\\", "=", "^"):
                if c in decoded:
                    raise ValueError(f"Strings may not contain the {c} character")
            return encoded

        def join_group(parts: Sequence[str | bytes]) -> bytes:
            return part_sep.join([as_bytes(p) for p in parts]).rstrip(part_sep)

        groups = [join_group(alphabetic_group), join_group(ideographic_group), join_group(phonetic_group)]
        return comp_sep.join(groups).rstrip(comp_sep)

    @classmethod
    def from_named_components(
        cls,
        family_name: str | bytes = "",
        given_name: str | bytes = "",
        middle_name: str | bytes = "",
        name_prefix: str | bytes = "",
        name_suffix: str | bytes = "",
        family_name_ideographic: str | bytes = "",
        given_name_ideographic: str | bytes = "",
        middle_name_ideographic: str | bytes = "",
        name_prefix_ideographic: str | bytes = "",
        name_suffix_ideographic: str | bytes = "",
        family_name_phonetic: str | bytes = "",
        given_name_phonetic: str | bytes = "",
        middle_name_phonetic: str | bytes = "",
        name_prefix_phonetic: str | bytes = "",
        name_suffix_phonetic: str | bytes = "",
        encodings: list[str] | None = None,
    ) -> PersonName:
        """Make a PersonName from its named parts (PS3.5 §6.2.1).

        Parameters
        ----------
        family_name, given_name, middle_name, name_prefix, name_suffix : str or bytes
            The parts of the alphabetic component.
        family_name_ideographic, given_name_ideographic, middle_name_ideographic, name_prefix_ideographic, name_suffix_ideographic : str or bytes
            The parts of the ideographic component.
        family_name_phonetic, given_name_phonetic, middle_name_phonetic, name_prefix_phonetic, name_suffix_phonetic : str or bytes
            The parts of the phonetic component.
        encodings : list of str, optional
            The Python encodings of the value.

        Returns
        -------
        PersonName

        Raises
        ------
        ValueError
            If a part holds a backslash, '^' or '='.
        """
        value = cls._encode_component_groups(
            [family_name, given_name, middle_name, name_prefix, name_suffix],
            [
                family_name_ideographic,
                given_name_ideographic,
                middle_name_ideographic,
                name_prefix_ideographic,
                name_suffix_ideographic,
            ],
            [
                family_name_phonetic,
                given_name_phonetic,
                middle_name_phonetic,
                name_prefix_phonetic,
                name_suffix_phonetic,
            ],
            encodings,
        )
        return cls(value, encodings=encodings)

    @classmethod
    def from_named_components_veterinary(
        cls,
        responsible_party_name: str | bytes = "",
        patient_name: str | bytes = "",
        responsible_party_name_ideographic: str | bytes = "",
        patient_name_ideographic: str | bytes = "",
        responsible_party_name_phonetic: str | bytes = "",
        patient_name_phonetic: str | bytes = "",
        encodings: list[str] | None = None,
    ) -> PersonName:
        """Make a veterinary PersonName: responsible party, then patient.

        Parameters
        ----------
        responsible_party_name, patient_name : str or bytes
            The alphabetic parts.
        responsible_party_name_ideographic, patient_name_ideographic : str or bytes
            The ideographic parts.
        responsible_party_name_phonetic, patient_name_phonetic : str or bytes
            The phonetic parts.
        encodings : list of str, optional
            The Python encodings of the value.

        Returns
        -------
        PersonName

        Raises
        ------
        ValueError
            If a part holds a backslash, '^' or '='.
        """
        value = cls._encode_component_groups(
            [responsible_party_name, patient_name],
            [responsible_party_name_ideographic, patient_name_ideographic],
            [responsible_party_name_phonetic, patient_name_phonetic],
            encodings,
        )
        return cls(value, encodings=encodings)
