"""The names of the original pydicom user guide (pydicom 0.9, ``import dicom``)
that the object model answers to.

Old element names (``PatientsName``, ``Beams``) and old method names
(``AddNew``) are looked up here only after the current name has missed, so
the normal path pays nothing for them.
"""

from __future__ import annotations

import warnings
from typing import Any

LEGACY_METHODS = {
    "AddNew": "add_new",
    "Add": "add",
    "GroupDataset": "group_dataset",
    "RemovePrivateTags": "remove_private_tags",
    "SaveAs": "save_as",
    "PixelArray": "pixel_array",
    "DataElement": "data_element",
}
"""Old Dataset method names → current names."""

LEGACY_ATTRIBUTES = {
    "isLittleEndian": "is_little_endian",
    "isImplicitVR": "is_implicit_VR",
}
"""Old Dataset attribute names (pydicom 0.9's camel case) → current names."""


def warn_legacy_name(old: str, current: str) -> None:
    """Warn that `old` is the pre-1.0 spelling of `current`.

    Parameters
    ----------
    old : str
    current : str
    """
    warnings.warn(
        f"'{old}' is the old pydicom 0.9 name of '{current}'; use '{current}'",
        DeprecationWarning,
        stacklevel=3,
    )


def legacy_method(dataset: Any, name: str) -> Any:
    """The bound current method for an old method name, or None.

    Parameters
    ----------
    dataset : Dataset
    name : str
    """
    current = LEGACY_METHODS.get(name)
    if current is None:
        return None
    warn_legacy_name(name, current)
    return getattr(dataset, current)
