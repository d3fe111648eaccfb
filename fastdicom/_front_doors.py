"""The front doors: the methods pydicom gives ``Dataset`` and ``DataElement``
whose work is done above the object model, declared in one table.

pydicom puts writing (``save_as``), pixel data (``pixel_array``,
``compress``...) and the DICOM JSON Model (``to_json``...) on its dataset
class, so its model imports its I/O and its I/O imports its model. fastdicom
keeps the methods (the API users know) but not the imports: each method
calls ``fastdicom.dataelem.front_door("Dataset.save_as")``, and this module,
imported by the package after the layers it names, fills
:data:`fastdicom.dataelem.FRONT_DOORS` from :data:`FRONT_DOORS`.

A door imports its module on first use, so ``import fastdicom`` does not
load the pixel and JSON machinery a header reader never needs; after the
first call the function itself is in the table.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import Any

from fastdicom import dataelem

FRONT_DOORS: dict[str, tuple[str, str]] = {
    # writing: PS3.10 files (fastdicom.filewriter)
    "Dataset.save_as": ("fastdicom.filewriter", "dataset_save_as"),
    # pixel data (fastdicom.pixels, overlays, waveforms)
    "Dataset.pixel_array": ("fastdicom.pixels.dataset_api", "pixel_array_of"),
    "Dataset.pixel_array_options": ("fastdicom.pixels.dataset_api", "set_pixel_array_options"),
    "Dataset.convert_pixel_data": ("fastdicom.pixels.dataset_api", "convert_pixel_data"),
    "Dataset.compress": ("fastdicom.pixels.dataset_api", "compress"),
    "Dataset.decompress": ("fastdicom.pixels.dataset_api", "decompress"),
    "Dataset.set_pixel_data": ("fastdicom.pixels.dataset_api", "set_pixel_data"),
    "Dataset.overlay_array": ("fastdicom.pixels.dataset_api", "overlay_array"),
    "Dataset.waveform_array": ("fastdicom.pixels.dataset_api", "waveform_array"),
    # the DICOM JSON Model, PS3.18 Annex F (fastdicom.jsonrep)
    "Dataset.from_json": ("fastdicom.jsonrep", "dataset_from_json"),
    "Dataset.to_json_dict": ("fastdicom.jsonrep", "dataset_to_json_dict"),
    "Dataset.to_json": ("fastdicom.jsonrep", "dataset_to_json"),
    "DataElement.from_json": ("fastdicom.jsonrep", "element_from_json"),
    "DataElement.to_json_dict": ("fastdicom.jsonrep", "element_to_json_dict"),
    "DataElement.to_json": ("fastdicom.jsonrep", "element_to_json"),
}
"""``"Class.method"`` -> (module, function) doing its work; the function
takes the instance (the class for ``from_json``) and the method's arguments."""


def _door(name: str, module: str, function: str) -> Callable[..., Any]:
    """The first call of door `name`: import `module`, put `function` in the
    table in place of this, and call it."""

    def first_call(*args: Any, **kwargs: Any) -> Any:
        target = getattr(importlib.import_module(module), function)
        dataelem.FRONT_DOORS[name] = target
        return target(*args, **kwargs)

    first_call.__name__ = function
    first_call.__qualname__ = f"{name} -> {module}.{function}"
    return first_call


def install() -> None:
    """Fill :data:`fastdicom.dataelem.FRONT_DOORS` from :data:`FRONT_DOORS`."""
    for name, (module, function) in FRONT_DOORS.items():
        dataelem.FRONT_DOORS.setdefault(name, _door(name, module, function))


install()
