"""Deprecated: pydicom 2's pixel data handlers, kept as pydicom 3 keeps them.

Each name here warns (DeprecationWarning) and points at its
:mod:`fastdicom.pixels` home; with ``config._use_future`` set they are gone.
The handler modules themselves (:mod:`.numpy_handler`, :mod:`.rle_handler`,
:mod:`.jpeg_ls_handler`, :mod:`.pylibjpeg_handler`, and :mod:`.gdcm_handler`,
never available as fastdicom has no GDCM backend; no Pillow handler) are what
``Dataset.pixel_array_options(use_v2_backend=True)`` and
``config.pixel_data_handlers`` use. Each decodes through
:mod:`fastdicom.pixels`, with the plugin its package provides.
"""

from __future__ import annotations

from typing import Any

from fastdicom import config
from fastdicom.pixels import processing as _processing
from fastdicom.pixels import utils as _utils

# name -> (object, the module to import it from instead)
_DEPRECATED: dict[str, tuple[Any, str]] = {
    "apply_color_lut": (_processing.apply_color_lut, "pixels"),
    "apply_modality_lut": (_processing.apply_modality_lut, "pixels"),
    "apply_rescale": (_processing.apply_modality_lut, "pixels"),
    "apply_voi_lut": (_processing.apply_voi_lut, "pixels"),
    "apply_voi": (_processing.apply_voi, "pixels"),
    "apply_windowing": (_processing.apply_windowing, "pixels"),
    "convert_color_space": (_processing.convert_color_space, "pixels"),
    "pack_bits": (_utils.pack_bits, "pixels"),
    "unpack_bits": (_utils.unpack_bits, "pixels"),
    "expand_ybr422": (_utils.expand_ybr422, "pixels.utils"),
}


def deprecated_attribute(name: str, table: dict[str, tuple[Any, str]], module: str) -> Any:
    """The deprecated `name` of `table`, with pydicom's DeprecationWarning.

    Parameters
    ----------
    name : str
        The attribute asked for.
    table : dict
        name -> (object, the module that now has it).
    module : str
        The asking module's name, for the AttributeError.
    """
    if name in table and not config._use_future:
        value, home = table[name]
        config.warn_and_log(
            f"The '{__name__}' module will be removed in v4.0 (as in pydicom), "
            f"please use 'from fastdicom.{home} import {name}' instead",
            DeprecationWarning,
            stacklevel=3,
        )
        return value
    raise AttributeError(f"module {module!r} has no attribute {name!r}")


def _require_elements(ds: Any, names: list[str]) -> None:
    """Raise pydicom's AttributeError naming the elements of `names` that `ds`
    lacks (the check each handler makes before decoding).

    Parameters
    ----------
    ds : Dataset
    names : list of str
        The keywords the handler needs.
    """
    missing = [name for name in names if name not in ds]
    if missing:
        raise AttributeError(
            "Unable to convert the pixel data as the following required "
            "elements are missing from the dataset: " + ", ".join(missing)
        )


def __getattr__(name: str) -> Any:
    # PEP 562: warn on each access to a deprecated name
    return deprecated_attribute(name, _DEPRECATED, __name__)
