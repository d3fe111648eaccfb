"""The DICOM JSON Model (PS3.18 Annex F), as in ``pydicom.jsonrep``.

A dataset becomes a JSON object keyed by the eight uppercase hex digits of
each tag; each attribute holds its ``"vr"`` and at most one of ``"Value"``
(a list), ``"InlineBinary"`` (base64) or ``"BulkDataURI"``. An attribute
with no value has only its ``"vr"``.

Value mappings (PS3.18 Table F.2.3-1):

* PN: one object per name with ``"Alphabetic"``, ``"Ideographic"`` and
  ``"Phonetic"`` groups;
* AT: the tag as ``"GGGGEEEE"``;
* IS, DS and the binary numbers: JSON numbers;
* SQ: a list of item objects;
* OB, OD, OF, OL, OV, OW, UN: ``"InlineBinary"``, or ``"BulkDataURI"`` when
  a handler is given and the value is longer than the threshold.

The :class:`~fastdicom.dataset.Dataset` and
:class:`~fastdicom.dataelem.DataElement` methods ``to_json_dict``,
``to_json`` and ``from_json`` delegate here.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Callable
from contextlib import nullcontext
from inspect import signature
from typing import TYPE_CHECKING, Any, TypeAlias

from fastdicom import config
from fastdicom.dataelem import DataElement, RawDataElement, convert_raw_data_element
from fastdicom.multival import MultiValue
from fastdicom.tag import Tag
from fastdicom.valuerep import AMBIGUOUS_VR, BYTES_VR, FLOAT_VR, INT_VR, VR
from fastdicom.values import empty_value_for_VR

if TYPE_CHECKING:  # pragma: no cover
    from fastdicom.dataset import Dataset

__all__ = [
    "JSON_VALUE_KEYS",
    "BulkDataType",
    "BulkDataHandlerType",
    "JsonDataElementConverter",
    "convert_to_python_number",
]

JSON_VALUE_KEYS = ("Value", "BulkDataURI", "InlineBinary")
"""The attribute keys that can hold an element's value."""

OtherValueType = None | str | int | float
PNValueType = None | str | dict[str, str]
SQValueType = dict[str, Any] | None
ValueType: TypeAlias = PNValueType | SQValueType | OtherValueType
InlineBinaryType: TypeAlias = str | list[str]
BulkDataURIType: TypeAlias = str | list[str]
JSONValueType = list[ValueType] | InlineBinaryType | BulkDataURIType

BulkDataType = None | str | int | float | bytes
"""What a bulk data URI handler returns: the element's value."""
BulkDataHandlerType = Callable[[str, str, str], BulkDataType] | None
"""A bulk data URI handler taking the tag, the VR and the URI."""

# VRs whose value is written as InlineBinary / BulkDataURI
_BINARY_VRS = frozenset((BYTES_VR | AMBIGUOUS_VR) - {VR.US_SS})
# VRs whose JSON values are integers / floats
_INT_VRS = frozenset((INT_VR - {VR.AT}) | {VR.US_SS})
_FLOAT_VRS = frozenset(FLOAT_VR)
_PN_GROUPS = ("Alphabetic", "Ideographic", "Phonetic")


def _warn(message: str) -> None:
    config.warn_and_log(message, UserWarning, stacklevel=3)


def _empty_value(vr: str) -> Any:
    return empty_value_for_VR(vr)


def convert_to_python_number(value: Any, vr: str) -> Any:
    """Make the numbers of a numeric VR Python ints or floats.

    Parameters
    ----------
    value : Any
        A single value or a list (or tuple) of values.
    vr : str
        The element's VR.

    Returns
    -------
    Any
        `value` unchanged when it is None or the VR is not numeric; else an
        ``int``/``float`` or a list of them (None items become the empty
        value of the VR).
    """
    if value is None:
        return value
    if vr in _FLOAT_VRS:
        number: Callable[[Any], Any] = float
    elif vr in _INT_VRS:
        number = int
    else:
        return value
    if isinstance(value, (list, tuple)):
        empty = _empty_value(vr)
        return [empty if item is None else number(item) for item in value]
    return number(value)


# -- to JSON -------------------------------------------------------------------


def _person_name_groups(name: Any) -> dict[str, str]:
    groups = name.components
    result = {"Alphabetic": groups[0]}
    for key, group in zip(_PN_GROUPS[1:], groups[1:3]):
        result[key] = group
    return result


def element_to_json_dict(
    elem: "DataElement",
    bulk_data_element_handler: Callable[["DataElement"], str] | None,
    bulk_data_threshold: int,
) -> dict[str, Any]:
    """The DICOM JSON Model attribute object for `elem`.

    Parameters
    ----------
    elem : DataElement
    bulk_data_element_handler : callable or None
        Takes a binary element and returns its "BulkDataURI".
    bulk_data_threshold : int
        Base64 length above which a binary value goes to the handler; only
        used with a handler.

    Returns
    -------
    dict
    """
    vr = elem.VR
    result: dict[str, Any] = {"vr": vr}
    if vr in _BINARY_VRS:
        if elem.is_empty:
            return result
        data = elem.value
        # base64 is 4 characters per 3 bytes
        if bulk_data_element_handler is not None and len(data) > bulk_data_threshold // 4 * 3:
            result["BulkDataURI"] = bulk_data_element_handler(elem)
        else:
            # PS3.18 (CP 1920): no padding to an even length in JSON
            config.logger.info(f"encode bulk data element '{elem.name}' inline")
            result["InlineBinary"] = base64.b64encode(data).decode("utf-8")
        return result
    if vr == VR.SQ:
        result["Value"] = [
            item.to_json(
                bulk_data_element_handler=bulk_data_element_handler,
                bulk_data_threshold=bulk_data_threshold,
                dump_handler=_identity,
            )
            for item in elem.value
        ]
        return result
    if elem.is_empty:
        return result
    # A value read as several may hold one (an AT of 8 bytes cut to 4: found
    #   by tools/fuzz_campaign.py, seed 1203985): it is still a list of values
    value = elem.value
    values = value if elem.VM > 1 or isinstance(value, MultiValue) else [value]
    if vr == VR.PN:
        result["Value"] = [_person_name_groups(name) for name in values]
    elif vr == VR.AT:
        result["Value"] = [f"{tag:08X}" for tag in values]
    else:
        result["Value"] = convert_to_python_number(list(values), vr)
    return result


def _identity(d: Any) -> Any:
    return d


def _dumps(d: Any) -> str:
    return json.dumps(d, sort_keys=True)


def element_to_json(
    elem: "DataElement",
    bulk_data_threshold: int = 1024,
    bulk_data_element_handler: Callable[["DataElement"], str] | None = None,
    dump_handler: Callable[[dict[str, Any]], Any] | None = None,
) -> Any:
    """`elem` as DICOM JSON text (``json.dumps`` with sorted keys unless a
    `dump_handler` is given)."""
    dump = _dumps if dump_handler is None else dump_handler
    return dump(element_to_json_dict(elem, bulk_data_element_handler, bulk_data_threshold))


def dataset_to_json_dict(
    ds: "Dataset",
    bulk_data_threshold: int = 1024,
    bulk_data_element_handler: Callable[["DataElement"], str] | None = None,
    suppress_invalid_tags: bool = False,
) -> dict[str, Any]:
    """The DICOM JSON Model object for `ds` (without its File Meta).

    Parameters
    ----------
    ds : Dataset
    bulk_data_threshold : int
    bulk_data_element_handler : callable or None
    suppress_invalid_tags : bool
        Read values strictly and leave out (with a logged warning) the
        elements that fail, instead of raising.

    Returns
    -------
    dict
    """
    result: dict[str, Any] = {}
    with config.strict_reading() if suppress_invalid_tags else nullcontext():
        for tag in ds.keys():
            key = f"{tag:08X}"
            try:
                result[key] = ds[tag].to_json_dict(
                    bulk_data_element_handler=bulk_data_element_handler,
                    bulk_data_threshold=bulk_data_threshold,
                )
            except Exception as exc:
                if not suppress_invalid_tags:
                    config.logger.error(f"Error while processing tag {key}")
                    raise
                config.logger.warning(f"Error while processing tag {key}: {exc}")
    return result


def dataset_to_json(
    ds: "Dataset",
    bulk_data_threshold: int = 1024,
    bulk_data_element_handler: Callable[["DataElement"], str] | None = None,
    dump_handler: Callable[[dict[str, Any]], Any] | None = None,
    suppress_invalid_tags: bool = False,
) -> Any:
    """`ds` as DICOM JSON text (``json.dumps`` with sorted keys unless a
    `dump_handler` is given)."""
    dump = _dumps if dump_handler is None else dump_handler
    return dump(
        ds.to_json_dict(
            bulk_data_threshold,
            bulk_data_element_handler,
            suppress_invalid_tags=suppress_invalid_tags,
        )
    )


# -- from JSON -----------------------------------------------------------------


def _value_key(mapping: dict[str, Any]) -> str | None:
    """The value key of a JSON attribute object (None when it has none)."""
    keys = tuple(set(mapping.keys()) & set(JSON_VALUE_KEYS))
    return keys[0] if keys else None


class JsonDataElementConverter:
    """Turn one DICOM JSON Model attribute into a data element value.

    Parameters
    ----------
    dataset_class : type
        The class of the items of a sequence.
    tag : str
        The tag as eight uppercase hex digits.
    vr : str
        The element's VR.
    value : list, str or Any
        The attribute's "Value", "InlineBinary" or "BulkDataURI" entry.
    value_key : str or None
        Which of those keys `value` came from; None for an attribute with no
        value.
    bulk_data_uri_handler : callable, optional
        Takes ``(tag, vr, uri)`` or just ``uri`` and returns the value behind
        a "BulkDataURI"; without one such elements are empty (with a
        warning).
    """

    def __init__(
        self,
        dataset_class: type["Dataset"],
        tag: str,
        vr: str,
        value: JSONValueType,
        value_key: str | None,
        bulk_data_uri_handler: BulkDataHandlerType | Callable[[str], BulkDataType] | None = None,
    ) -> None:
        self.dataset_class = dataset_class
        self.tag = tag
        self.vr = vr
        self.value = value
        self.value_key = value_key
        self.bulk_data_element_handler: BulkDataHandlerType = _three_argument_handler(
            bulk_data_uri_handler
        )

    def get_element_values(self) -> Any:
        """The element's value (a single value or a list).

        Raises
        ------
        TypeError
            For a "Value" that is not a list, or an "InlineBinary" or
            "BulkDataURI" that is not a string.
        ValueError
            For an unknown value key.
        """
        key = self.value_key
        vr = self.vr
        if key is None:
            return _empty_value(vr)
        if key == "Value":
            if not isinstance(self.value, list):
                raise TypeError(f"'{key}' of data element '{self.tag}' must be a list")
            if not self.value:
                return _empty_value(vr)
            values: Any = [self.get_regular_element_value(item) for item in self.value]
            if len(values) == 1 and vr != VR.SQ:
                values = values[0]
            return convert_to_python_number(values, vr)

        # PS3.18 Table F.3.1-1 gives a string, the example in F.4 a list of
        # one string: accept both, for InlineBinary and BulkDataURI alike.
        value: Any = self.value
        if isinstance(value, list):
            value = value[0]
        if key == "InlineBinary":
            if not isinstance(value, str):
                raise TypeError(
                    f"Invalid attribute value for data element '{self.tag}' - the "
                    f"value for 'InlineBinary' must be str, not {type(value).__name__}"
                )
            return base64.b64decode(value)
        if key == "BulkDataURI":
            if not isinstance(value, str):
                raise TypeError(
                    f"Invalid attribute value for data element '{self.tag}' - the "
                    f"value for 'BulkDataURI' must be str, not {type(value).__name__}"
                )
            if self.bulk_data_element_handler is None:
                _warn(
                    "No bulk data URI handler provided for retrieval of value of "
                    f'data element "{self.tag}"'
                )
                return _empty_value(vr)
            return self.bulk_data_element_handler(self.tag, vr, value)
        raise ValueError(f"Unknown attribute name '{key}' for tag {self.tag}")

    def get_regular_element_value(self, value: ValueType) -> Any:
        """One value of a "Value" list, as the element holds it."""
        vr = self.vr
        if vr == VR.SQ:
            return self.get_sequence_item(value)  # type: ignore[arg-type]
        if value is None:
            return _empty_value(vr)
        if vr == VR.PN:
            return self.get_pn_element_value(value)  # type: ignore[arg-type]
        if vr == VR.AT:
            try:
                return int(value, 16)  # type: ignore[arg-type]
            except ValueError:
                _warn(f"Invalid value '{value}' for AT element - ignoring it")
            return None
        return value

    def get_sequence_item(self, value: SQValueType) -> "Dataset":
        """The sequence item made from the JSON object `value`.

        Raises
        ------
        KeyError
            When an attribute of the item has no "vr".
        """
        item = self.dataset_class()
        for key, attribute in (value or {}).items():
            if "vr" not in attribute:
                raise KeyError(f"Data element '{self.tag}' must have key 'vr'")
            vr = attribute["vr"]
            value_key = _value_key(attribute)
            if value_key is None:
                elem = DataElement(tag=int(key, 16), value=_empty_value(vr), VR=vr)
            else:
                elem = DataElement.from_json(
                    self.dataset_class,
                    key,
                    vr,
                    attribute[value_key],
                    value_key,
                    self.bulk_data_element_handler,
                )
            item.add(elem)
        return item

    def get_pn_element_value(self, value: str | dict[str, str]) -> str:
        """A person name string from its JSON object (PS3.18 F.2.2).

        A plain string (a common DICOMweb mistake) is kept, with a warning.
        """
        if not isinstance(value, dict):
            _warn(
                f"Value of data element '{self.tag}' with VR Person Name (PN) "
                "is not formatted correctly"
            )
            return value
        # as many '='-separated groups as the last group present needs
        count = 3 if "Phonetic" in value else 2 if "Ideographic" in value else 1
        groups = [value.get(name, "") for name in _PN_GROUPS[:count]]
        return "=".join(groups)


def _three_argument_handler(handler: Any) -> BulkDataHandlerType:
    """`handler` as a ``(tag, vr, uri)`` callable (it may take just ``uri``)."""
    if handler and len(signature(handler).parameters) == 1:

        def with_uri_only(tag: str, vr: str, uri: str) -> BulkDataType:
            return handler(uri)

        return with_uri_only
    return handler


def element_from_json(
    cls: type["DataElement"],
    dataset_class: type["Dataset"],
    tag: str,
    vr: str,
    value: Any,
    value_key: str | None,
    bulk_data_uri_handler: BulkDataHandlerType | Callable[[str], BulkDataType] | None = None,
) -> "DataElement":
    """The element of class `cls` for one DICOM JSON Model attribute.

    Raises
    ------
    ValueError
        When the element cannot be made from the decoded value.
    """
    converter = JsonDataElementConverter(
        dataset_class, tag, vr, value, value_key, bulk_data_uri_handler
    )
    elem_value = converter.get_element_values()
    if vr == VR.UN and config.replace_un_with_known_vr and isinstance(elem_value, bytes):
        raw = RawDataElement(Tag(tag), vr, len(elem_value), elem_value, 0, True, True)
        elem_value = convert_raw_data_element(raw).value
    try:
        return cls(tag=tag, value=elem_value, VR=vr)
    except Exception as exc:
        raise ValueError(
            f"Data element '{tag}' could not be loaded from JSON: {elem_value}"
        ) from exc


def dataset_from_json(
    cls: type["Dataset"],
    json_dataset: dict[str, Any] | str | bytes | bytearray,
    bulk_data_uri_handler: BulkDataHandlerType | Callable[[str], BulkDataType] | None = None,
) -> "Dataset":
    """The dataset of class `cls` for a DICOM JSON Model object (or its text).

    Raises
    ------
    KeyError
        When an attribute has no "vr".
    """
    # the parsed text is whatever JSON it holds: not a dict fails as in pydicom
    attributes: Any = json_dataset
    if isinstance(json_dataset, (str, bytes, bytearray)):
        attributes = json.loads(json_dataset)
    ds = cls()
    for tag, attribute in attributes.items():
        vr = attribute["vr"]
        value_key = _value_key(attribute)
        value = [""] if value_key is None else attribute[value_key]
        ds.add(DataElement.from_json(cls, tag, vr, value, value_key, bulk_data_uri_handler))
    return ds
