"""``pydicom.encoders``, deprecated by pydicom 3 in favour of
:mod:`fastdicom.pixels` (``get_encoder``, ``RLELosslessEncoder``); removed in
pydicom 4."""

from __future__ import annotations

from typing import Any

from fastdicom import config
from fastdicom.config import warn_and_log
from fastdicom.pixels.encoders import base as _base

# private names: the public ones are reached through __getattr__ (and its warning)
_DEPRECATED = {"get_encoder": _base.get_encoder, "RLELosslessEncoder": _base.RLELosslessEncoder}


def __getattr__(name: str) -> Any:
    if name in _DEPRECATED and not config._use_future:
        warn_and_log(
            f"The '{__name__}' module will be removed in v4.0 (as in pydicom), please use "
            f"'from fastdicom.pixels import {name}' instead",
            DeprecationWarning,
            stacklevel=2,
        )
        return _DEPRECATED[name]
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
