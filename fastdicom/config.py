"""The settings of ``pydicom.config``, each with the effect it has in pydicom 3.

Most change how values are converted and validated. The one that changes how
bytes are parsed (:data:`assume_implicit_vr_switch`) is handed to the compiled
scanner as an argument, so the scanner keeps no global state. Settings that
only steer parts of pydicom fastdicom does not have are not offered.
"""

from __future__ import annotations

import importlib.util
import logging
import os
import sys
import warnings
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

# find_spec, not import: numpy costs its import time only when used.
have_numpy: bool = importlib.util.find_spec("numpy") is not None
"""bool: Whether numpy can be imported (the array settings need it)."""

_use_future = False
"""Whether :func:`future_behavior` is on; read by the deprecation paths."""

# The variable pydicom users already set, and fastdicom's own name for it;
# fastdicom's wins when both are set.
_use_future_env = os.getenv("FASTDICOM_FUTURE") or os.getenv("PYDICOM_FUTURE")

logger = logging.getLogger("fastdicom")
# Library convention: no output unless the application configures logging.
# The check keeps importlib.reload(config) from stacking NullHandlers.
if not any(isinstance(handler, logging.NullHandler) for handler in logger.handlers):
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

# pydicom's APPLY_J2K_CORRECTIONS is not offered: in pydicom it steers only the
# deprecated v2 JPEG 2000 handlers. fastdicom's one such handler (pylibjpeg)
# decodes through fastdicom.pixels, which applies the codestream's sign and
# precision whatever pydicom 3's 'apply_j2k_sign_correction' option says, so
# the setting could not be honoured; it returns with that option.

max_pixel_allocation: int | None = 16 * 1024**3
"""The most bytes one decoding may allocate for its output (pixel data, and
the arrays of overlays, waveforms and LUTs), default 16 GiB. Header values
(Rows, Columns, Number of Frames, ...) that ask for more raise a ValueError
naming them instead of allocating memory a hostile or broken file cannot back.
``None`` lifts the ceiling; the checks of the header values against the data
itself stay."""

debugging: bool = False
"""Whether :func:`debug` turned debugging on: the stream reader then logs
every element it reads to the ``fastdicom`` logger."""

data_element_callback: Callable[..., Any] | None = None
"""Deprecated as in pydicom 3 (use :mod:`fastdicom.hooks`): called as
``data_element_callback(raw, **data_element_callback_kwargs)`` with every raw
element read, before its conversion; it returns the raw element to use."""

data_element_callback_kwargs: dict[str, Any] = {}
"""Deprecated as in pydicom 3: the keyword arguments of :data:`data_element_callback`."""


def reset_data_element_callback() -> None:
    """Remove the :data:`data_element_callback` and its keyword arguments."""
    global data_element_callback, data_element_callback_kwargs
    data_element_callback = None
    data_element_callback_kwargs = {}


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
        # Future behaviour makes invalid values raise when written; otherwise
        # the default follows enforce_valid_values.
        self._writing_validation_mode: int | None = RAISE if _use_future else None
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
        raise ValueError("Cannot set use_DS_decimal True if use_DS_numpy is True")
    # fastdicom reads use_DS_decimal when it makes a value; valuerep.DSclass
    # is only kept in step for code that reads it, as pydicom code may.
    # Looked up in sys.modules: config sits below valuerep and must not import it.
    valuerep = sys.modules.get(f"{__package__}.valuerep")
    if valuerep is not None:
        # a module found in sys.modules: mypy knows only ModuleType's attributes
        valuerep.DSclass = valuerep.DSdecimal if use_DS_decimal else valuerep.DSfloat  # type: ignore[attr-defined]


def DS_numpy(use_numpy: bool = True) -> None:
    """Return multi-valued DS as numpy arrays (True) or MultiValue (False).

    Parameters
    ----------
    use_numpy : bool
    """
    global use_DS_numpy
    if use_DS_decimal and use_numpy:
        raise ValueError(
            "Cannot use numpy arrays to read DS elements if `use_DS_decimal` is True"
        )
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

    As in pydicom, `default_handler` adds a :class:`logging.StreamHandler`
    (message-only format) whether debugging is turned on or off, and the
    existing handlers are kept.

    Parameters
    ----------
    debug_on : bool
        True sets the logger's level to DEBUG, False to WARNING.
    default_handler : bool
        Add a stream handler to the logger.
    """
    global debugging
    if default_handler:
        handler = logging.StreamHandler()
        handler.setFormatter(logging.Formatter("%(message)s"))
        logger.addHandler(handler)
    logger.setLevel(logging.DEBUG if debug_on else logging.WARNING)
    debugging = debug_on


# Force WARNING whatever the root logger's level, as pydicom does.
debug(False, False)


def future_behavior(enable_future: bool = True) -> None:
    """Behave as pydicom's next major version will (pydicom's setting).

    Turning it on makes a camel-case attribute that is not a keyword raise
    (:data:`INVALID_KEYWORD_BEHAVIOR` = ``"RAISE"``), makes writing an
    invalid value raise, and makes the deprecated names fastdicom keeps for
    pydicom compatibility fail as they will once removed.

    Parameters
    ----------
    enable_future : bool
        True to turn it on, False to restore the current behaviour.
    """
    global _use_future, INVALID_KEYWORD_BEHAVIOR
    _use_future = enable_future
    INVALID_KEYWORD_BEHAVIOR = "RAISE" if enable_future else "WARN"
    settings._writing_validation_mode = RAISE if enable_future else None


if _use_future_env:
    if _use_future_env.lower() in ("true", "yes", "on", "1"):
        future_behavior()
    elif _use_future_env.lower() not in ("false", "no", "off", "0"):
        raise ValueError(
            "Unknown setting for environment variable PYDICOM_FUTURE "
            "(or FASTDICOM_FUTURE). Use True or False."
        )


# -- pydicom 2's pixel data handlers (deprecated in pydicom 3) ---------------
# The handler modules sit above this module (they decode pixel data), so they
# are imported on first use (PEP 562) rather than here: importing config must
# not import the pixel pipeline. Once looked up, each name is an ordinary module
# attribute that can be replaced, e.g. ``config.pixel_data_handlers = [...]``.
_HANDLER_MODULES = {
    "np_handler": "fastdicom.pixel_data_handlers.numpy_handler",
    "gdcm_handler": "fastdicom.pixel_data_handlers.gdcm_handler",
    "jpegls_handler": "fastdicom.pixel_data_handlers.jpeg_ls_handler",
    "pylibjpeg_handler": "fastdicom.pixel_data_handlers.pylibjpeg_handler",
    "rle_handler": "fastdicom.pixel_data_handlers.rle_handler",
}
# Declared, not bound, so that __getattr__ runs on first use; the handler
# modules' names are typed by __getattr__ itself
pixel_data_handlers: list[Any]


def __getattr__(name: str) -> object:
    if name in _HANDLER_MODULES:
        value: object = importlib.import_module(_HANDLER_MODULES[name])
    elif name == "pixel_data_handlers":
        # The order in which Dataset.pixel_array tries them when
        # ``use_v2_backend=True``: pydicom's, without a Pillow handler (the
        # GDCM one is never available: fastdicom has no GDCM backend)
        value = [__getattr__(name) for name in _HANDLER_MODULES]
    else:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    globals()[name] = value
    return value
