"""Reading callbacks that repair common non-conformant encodings.

Each ``fix_*`` function installs a callback as
``fastdicom.config.data_element_callback``; the reader then passes every raw
element through it before the value is converted, as pydicom does.
``fastdicom.config.reset_data_element_callback()`` removes it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from fastdicom import config, datadict, values
from fastdicom.valuerep import VR

if TYPE_CHECKING:  # pragma: no cover
    from fastdicom.dataelem import RawDataElement

__all__ = [
    "fix_mismatch",
    "fix_mismatch_callback",
    "fix_separator",
    "fix_separator_callback",
]

# PS3.5 §6.4: multiple values are separated by a backslash.
_SEPARATOR = b"\\"


def fix_separator_callback(raw_elem: "RawDataElement", **kwargs: Any) -> "RawDataElement":
    """Replace a wrong value separator by the backslash in `raw_elem`.

    Parameters
    ----------
    raw_elem : RawDataElement
        The element as read (value still encoded).
    **kwargs
        ``invalid_separator`` (bytes), ``for_VRs`` (VRs to fix) and
        ``process_unknown_VRs`` (whether to fix an implicit VR element whose
        tag is not in the dictionary), as set by :func:`fix_separator`.

    Returns
    -------
    RawDataElement
        `raw_elem` itself, or a copy with the separators replaced.
    """
    if raw_elem.VR is None:
        # Implicit VR: the dictionary says what the element is.
        try:
            vr = datadict.dictionary_VR(raw_elem.tag)
        except KeyError:
            fix = kwargs["process_unknown_VRs"]
        else:
            fix = vr in kwargs["for_VRs"]
    else:
        fix = raw_elem.VR in kwargs["for_VRs"]
    if not fix:
        return raw_elem

    separator: bytes = kwargs["invalid_separator"]
    value = raw_elem.value
    new_value = None
    if value is not None:
        value = bytes(value)
        if separator == b" ":
            # Spaces also pad values to even length (PS3.5 §6.2): keep the
            # trailing ones as padding, replace only those between values.
            stripped = value.strip()
            new_value = stripped.replace(separator, _SEPARATOR) + b" " * (
                len(value) - len(stripped)
            )
        else:
            new_value = value.replace(separator, _SEPARATOR)
    return raw_elem._replace(value=new_value)


def fix_separator(
    invalid_separator: bytes,
    for_VRs: tuple[str, ...] = ("DS", "IS"),
    process_unknown_VRs: bool = True,
) -> None:
    """Read values that use `invalid_separator` instead of the backslash.

    Parameters
    ----------
    invalid_separator : bytes
        The single byte used as separator (e.g. ``b","``).
    for_VRs : tuple of str, optional
        The VRs whose values are fixed (default DS and IS).
    process_unknown_VRs : bool, optional
        Fix implicit VR elements whose VR is unknown too (default ``True``).
    """
    config.data_element_callback = fix_separator_callback
    config.data_element_callback_kwargs = {
        "invalid_separator": invalid_separator,
        "for_VRs": for_VRs,
        "process_unknown_VRs": process_unknown_VRs,
    }


def fix_mismatch_callback(raw_elem: "RawDataElement", **kwargs: Any) -> "RawDataElement":
    """Give `raw_elem` the first VR of ``with_VRs`` that can decode it.

    Only when its own VR fails to decode the value; implicit VR elements
    (no VR yet) are returned unchanged.

    Parameters
    ----------
    raw_elem : RawDataElement
    **kwargs
        ``with_VRs``: the VRs to try, in order.

    Returns
    -------
    RawDataElement
    """
    if raw_elem.VR is None:
        return raw_elem

    def decodes(vr: str) -> bool:
        try:
            values.convert_value(vr, raw_elem)
        except ValueError:
            return False
        return True

    if decodes(raw_elem.VR):
        return raw_elem
    # As pydicom: each VR that works replaces the previous one, so the last
    # working VR of the list wins.
    for vr in kwargs["with_VRs"]:
        if decodes(vr):
            raw_elem = raw_elem._replace(VR=vr)
    return raw_elem


def fix_mismatch(with_VRs: tuple[str, ...] = (VR.PN, VR.DS, VR.IS)) -> None:
    """Re-read elements whose value their VR cannot decode with other VRs.

    Parameters
    ----------
    with_VRs : tuple of str, optional
        The VRs to try (default PN, DS, IS).
    """
    config.data_element_callback = fix_mismatch_callback
    config.data_element_callback_kwargs = {"with_VRs": with_VRs}
