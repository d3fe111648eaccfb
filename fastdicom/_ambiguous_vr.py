"""Ambiguous VRs resolved from the dataset that holds the element.

The dictionary gives some elements a choice of VR ("US or SS", "OB or OW",
"US or OW"): which one applies depends on other elements (PS3.5 §6.2, Table
6.2-1 and the notes of PS3.6): Pixel Representation for US or SS, Bits
Allocated or the transfer syntax for OB or OW, the LUT Descriptor for a LUT
of one entry. Both the model (an element read in implicit VR, converted on
first access) and the writer need this, so it lives in the model layer;
:mod:`fastdicom.filewriter` gives it under pydicom's names.
"""

from __future__ import annotations

from typing import Any, overload

from fastdicom.dataelem import DataElement, RawDataElement
from fastdicom.valuerep import AMBIGUOUS_VR
from fastdicom.values import convert_numbers

__all__ = ["correct_ambiguous_vr", "correct_ambiguous_vr_element"]

# Elements whose VR is "US or SS" and follows Pixel Representation.
_US_SS_TAGS = frozenset(
    {
        0x00189810, 0x00221452, 0x00280104, 0x00280105, 0x00280106, 0x00280107,
        0x00280108, 0x00280109, 0x00280110, 0x00280111, 0x00280120, 0x00280121,
        0x00281101, 0x00281102, 0x00281103, 0x00283002, 0x00409211, 0x00409216,
        0x00603004, 0x00603006,
    }
)
# Waveform elements whose VR is "OB or OW" and follows Waveform Bits Allocated.
_WAVEFORM_OB_OW_TAGS = frozenset({0x54000110, 0x54000112, 0x5400100A, 0x54001010})


def _is_overlay_data(tag: int) -> bool:
    group = tag >> 16
    return 0x6000 <= group <= 0x601E and group % 2 == 0 and tag & 0xFFFF == 0x3000


def _pixel_representation(ancestors: list[Any]) -> int | None:
    for ds in ancestors:
        value = getattr(ds, "PixelRepresentation", None)
        if value is not None:
            return int(value)
    for ds in ancestors:
        value = ds.__dict__.get("_pixel_rep")
        if value is not None:
            return int(value)
    return None


def _numbers_from_bytes(elem: DataElement, is_little_endian: bool, fmt: str) -> None:
    """Convert the value of `elem`, whose ambiguous VR has just become US or
    SS, to numbers (struct format `fmt`) if it is still the bytes read."""
    if elem.VM == 0:
        return
    first = elem.value if elem.VM == 1 else elem.value[0]
    if not isinstance(first, int):
        elem.value = convert_numbers(elem.value, is_little_endian, fmt)


def _correct_ambiguous_vr_element(elem: DataElement, ancestors: list[Any], is_little_endian: bool) -> DataElement:
    """Set the VR of the ambiguous element `elem` from the datasets `ancestors`
    (nearest first), converting a value still in bytes to numbers when the
    VR becomes US or SS. Raises AttributeError when an element the VR
    depends on is missing."""
    ds = ancestors[0]
    tag = elem.tag
    if tag == 0x7FE00010:
        if elem.is_undefined_length:
            elem.VR = "OB"  # encapsulated (PS3.5 §A.4)
        elif ds.original_encoding[0]:
            elem.VR = "OW"  # implicit VR native pixel data (PS3.5 §A.1)
        else:
            elem.VR = "OW" if int(ds.BitsAllocated) > 8 else "OB"
    elif tag in _US_SS_TAGS:
        pixel_rep = _pixel_representation(ancestors)
        if pixel_rep is None:
            pixel_rep = 1
            if ("PixelRepresentation" not in ds and "PixelData" not in ds) or ds.PixelRepresentation == 0:
                pixel_rep = 0
        elem.VR = "US" if pixel_rep == 0 else "SS"
        _numbers_from_bytes(elem, is_little_endian, "H" if pixel_rep == 0 else "h")
    elif tag in _WAVEFORM_OB_OW_TAGS:
        if ds.original_encoding[0]:
            elem.VR = "OW"
        else:
            elem.VR = "OW" if int(ds.WaveformBitsAllocated) > 8 else "OB"
    elif tag == 0x00283006:
        # PS3.3 C.11.1.1.1: a LUT of one entry is US, otherwise OW
        if ds.LUTDescriptor[0] == 1:
            elem.VR = "US"
            _numbers_from_bytes(elem, is_little_endian, "H")
        else:
            elem.VR = "OW"
    elif _is_overlay_data(tag):
        elem.VR = "OW"  # PS3.5 §8.1.2
    return elem


# a DataElement is corrected in place; only a raw one may come back raw (when
# its VR is not ambiguous) or converted
@overload
def correct_ambiguous_vr_element(
    elem: DataElement, ds: Any, is_little_endian: bool, ancestors: list[Any] | None = None
) -> DataElement: ...
@overload
def correct_ambiguous_vr_element(
    elem: RawDataElement, ds: Any, is_little_endian: bool, ancestors: list[Any] | None = None
) -> DataElement | RawDataElement: ...
def correct_ambiguous_vr_element(
    elem: DataElement | RawDataElement,
    ds: Any,
    is_little_endian: bool,
    ancestors: list[Any] | None = None,
) -> DataElement | RawDataElement:
    """Give `elem` its real VR when the dictionary's is ambiguous.

    Parameters
    ----------
    elem : DataElement or RawDataElement
    ds : Dataset
        The dataset holding `elem`.
    is_little_endian : bool
        The byte order of `elem`'s value.
    ancestors : list of Dataset, optional
        Datasets to search for Pixel Representation etc., nearest first.

    Returns
    -------
    DataElement or RawDataElement
        The element, corrected in place where possible.
    """
    ancestors = [ds] if ancestors is None else ancestors
    if elem.VR in AMBIGUOUS_VR:
        # a raw element is converted (by the dataset) before its VR is set
        converted: DataElement = ds[elem.tag] if isinstance(elem, RawDataElement) else elem
        try:
            _correct_ambiguous_vr_element(converted, ancestors, is_little_endian)
        except AttributeError as exc:
            raise AttributeError(f"Failed to resolve ambiguous VR for tag {elem.tag}: {exc}") from None
        return converted
    return elem


def correct_ambiguous_vr(ds: Any, is_little_endian: bool, ancestors: list[Any] | None = None) -> Any:
    """Correct every ambiguous VR in `ds` and its sequence items.

    Parameters
    ----------
    ds : Dataset
    is_little_endian : bool
    ancestors : list of Dataset, optional

    Returns
    -------
    Dataset
    """
    ancestors = [ds] if ancestors is None else ancestors
    for elem in ds.elements():
        if elem.VR == "SQ":
            for item in ds[elem.tag].value:
                ancestors.insert(0, item)
                correct_ambiguous_vr(item, is_little_endian, ancestors)
        elif elem.VR in AMBIGUOUS_VR:
            correct_ambiguous_vr_element(elem, ds, is_little_endian, ancestors)
    del ancestors[0]
    return ds
