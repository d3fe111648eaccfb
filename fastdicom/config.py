"""Settings that change how values are presented, as in ``pydicom.config``.

Only settings that change what a user sees are here; none changes how bytes
are parsed, so the compiled scanner has no global state.
"""

from __future__ import annotations

import logging
import warnings
from collections.abc import Iterator
from contextlib import contextmanager

logger = logging.getLogger("fastdicom")
# Library convention: no output unless the application configures logging.
logger.addHandler(logging.NullHandler())

IGNORE = 0
"""Validation mode: accept invalid values silently."""
WARN = 1
"""Validation mode: warn about invalid values (the default)."""
RAISE = 2
"""Validation mode: raise on invalid values."""

datetime_conversion: bool = False
"""Return DA, DT and TM values as :mod:`datetime`-derived objects when True."""

use_DS_decimal: bool = False
"""Return DS values as :class:`~fastdicom.valuerep.DSdecimal` when True."""

use_DS_numpy: bool = False
"""Return multi-valued DS values as a numpy float64 array when True."""

use_IS_numpy: bool = False
"""Return multi-valued IS values as a numpy int64 array when True."""

allow_DS_float: bool = False
"""Allow DSdecimal to be made from a float (pydicom's setting)."""

enforce_valid_values: bool = False
"""Deprecated in pydicom; sets the default validation modes to RAISE."""

convert_wrong_length_to_UN: bool = False
"""Read a binary value whose length does not fit its VR as UN instead of raising."""

use_none_as_empty_text_VR_value: bool = False
"""Use None instead of '' as the empty value of text VRs."""

replace_un_with_known_vr: bool = True
"""Give UN elements the VR the dictionary knows for their tag."""

show_file_meta: bool = True
"""Include the File Meta group in ``str(FileDataset)``."""

assume_implicit_vr_switch: bool = True
"""Read an explicit-VR element whose VR bytes are not letters as implicit VR."""

INVALID_KEYWORD_BEHAVIOR: str = "WARN"
"""What setting a non-keyword camel-case attribute on a Dataset does: WARN, RAISE or IGNORE."""

INVALID_KEY_BEHAVIOR: str = "WARN"
"""What an invalid key in ``Dataset.__contains__`` does: WARN, RAISE or IGNORE."""

APPLY_J2K_CORRECTIONS: bool = True
"""Correct JPEG 2000 sign and precision mismatches as pydicom does."""

debugging: bool = False


def warn_and_log(message: str, category: type[Warning] = UserWarning, stacklevel: int = 1) -> None:
    """Report `message` twice, as pydicom does: a log record and a warning.

    Parameters
    ----------
    message : str
    category : type of Warning
    stacklevel : int
        As for :func:`warnings.warn`, counted from the caller of this function.
    """
    logger.warning(message)
    warnings.warn(message, category, stacklevel=stacklevel + 1)


class Settings:
    """The mutable settings object, reached as :data:`settings`."""

    def __init__(self) -> None:
        self._reading_validation_mode: int | None = None
        self._writing_validation_mode: int | None = None
        self._infer_sq_for_un_vr: bool = True
        self._buffered_read_size = 8192

    @property
    def reading_validation_mode(self) -> int:
        """int: IGNORE, WARN (default) or RAISE for invalid values read."""
        if self._reading_validation_mode is None:
            return RAISE if enforce_valid_values else WARN
        return self._reading_validation_mode

    @reading_validation_mode.setter
    def reading_validation_mode(self, value: int) -> None:
        self._reading_validation_mode = value

    @property
    def writing_validation_mode(self) -> int:
        """int: IGNORE, WARN (default) or RAISE for invalid values written."""
        if self._writing_validation_mode is None:
            return RAISE if enforce_valid_values else WARN
        return self._writing_validation_mode

    @writing_validation_mode.setter
    def writing_validation_mode(self, value: int) -> None:
        self._writing_validation_mode = value

    @property
    def infer_sq_for_un_vr(self) -> bool:
        """bool: Read an undefined-length UN element as a sequence (PS3.5 §6.2.2)."""
        return self._infer_sq_for_un_vr

    @infer_sq_for_un_vr.setter
    def infer_sq_for_un_vr(self, value: bool) -> None:
        self._infer_sq_for_un_vr = value

    @property
    def buffered_read_size(self) -> int:
        """int: Chunk size for reading buffered values."""
        return self._buffered_read_size

    @buffered_read_size.setter
    def buffered_read_size(self, size: int) -> None:
        if size <= 0:
            raise ValueError("The read size must be greater than 0")
        self._buffered_read_size = size


settings = Settings()
"""The global :class:`Settings`."""


def DS_decimal(use_Decimal_boolean: bool = True) -> None:
    """Choose DSdecimal (True) or DSfloat (False) for DS values.

    Parameters
    ----------
    use_Decimal_boolean : bool
    """
    global use_DS_decimal
    use_DS_decimal = use_Decimal_boolean
    if use_DS_decimal and use_DS_numpy:
        raise ValueError("Cannot use both DS_numpy and DS_decimal")


def DS_numpy(use_numpy: bool = True) -> None:
    """Return multi-valued DS as numpy arrays (True) or MultiValue (False).

    Parameters
    ----------
    use_numpy : bool
    """
    global use_DS_numpy
    if use_DS_decimal and use_numpy:
        raise ValueError("Cannot use both DS_numpy and DS_decimal")
    use_DS_numpy = use_numpy


@contextmanager
def disable_value_validation() -> Iterator[None]:
    """Switch reading and writing validation off inside the block."""
    reading, writing = settings._reading_validation_mode, settings._writing_validation_mode
    try:
        settings.reading_validation_mode = IGNORE
        settings.writing_validation_mode = IGNORE
        yield
    finally:
        settings._reading_validation_mode = reading
        settings._writing_validation_mode = writing


@contextmanager
def strict_reading() -> Iterator[None]:
    """Raise on invalid values read inside the block."""
    reading = settings._reading_validation_mode
    try:
        settings.reading_validation_mode = RAISE
        yield
    finally:
        settings._reading_validation_mode = reading


def debug(debug_on: bool = True, default_handler: bool = True) -> None:
    """Turn debug logging of the ``fastdicom`` logger on or off.

    Parameters
    ----------
    debug_on : bool
    default_handler : bool
        Add a stream handler when turning debugging on.
    """
    global debugging
    debugging = debug_on
    logger.handlers.clear()
    if debug_on:
        if default_handler:
            logger.addHandler(logging.StreamHandler())
        logger.setLevel(logging.DEBUG)
    else:
        logger.setLevel(logging.WARNING)
