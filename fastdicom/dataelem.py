"""Data elements: a tag, a VR and a value, as in ``pydicom.dataelem``.

Elements read from a file start life as :class:`RawDataElement` records (made
only when a user touches the element) and become :class:`DataElement` when
their value is needed.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, MutableSequence
from io import BufferedIOBase
from typing import TYPE_CHECKING, Any, Literal, NamedTuple

from fastdicom import config
from fastdicom.datadict import (
    dictionary_description,
    dictionary_has_tag,
    dictionary_is_retired,
    dictionary_keyword,
    dictionary_VR,
    private_dictionary_description,
    repeater_has_tag,
)
from fastdicom.fileutil import buffer_equality, buffer_length, check_buffer
from fastdicom.multival import MultiValue
from fastdicom.tag import BaseTag, Tag
from fastdicom.uid import UID
from fastdicom.values import empty_value_for_VR
from fastdicom.valuerep import (
    ALLOW_BACKSLASH,
    BUFFERABLE_VRS,
    DEFAULT_CHARSET_VR,
    LONG_VALUE_VR,
    DA,
    DS,
    DT,
    IS,
    TM,
    PersonName,
    validate_value,
)
from fastdicom.valuerep import VR as VR_

FRONT_DOORS: dict[str, Callable[..., Any]] = {}
"""The functions behind the methods pydicom gives :class:`DataElement` and
:class:`~fastdicom.dataset.Dataset` whose work is done in the layers above
the object model (writing, pixel data, the DICOM JSON Model), by
``"Class.method"``. :mod:`fastdicom._front_doors` declares and fills it when
the package is imported, so that the model never imports those layers."""


def front_door(name: str) -> Callable[..., Any]:
    """The function behind the front-door method `name` (``"Dataset.save_as"``).

    Parameters
    ----------
    name : str
    """
    try:
        return FRONT_DOORS[name]
    except KeyError:
        raise RuntimeError(
            f"{name}() is done by a layer above the object model that is not "
            "installed: import fastdicom (fastdicom._front_doors installs it)"
        ) from None

if TYPE_CHECKING:  # pragma: no cover
    from fastdicom.dataset import Dataset

__all__ = [
    "DataElement",
    "RawDataElement",
    "convert_raw_data_element",
    "empty_value_for_VR",
]

# The types element values usually have: none is a buffer, and testing them
# first spares the slower isinstance() against the io ABC on every value set.
_NOT_BUFFERS = frozenset({str, bytes, int, float, list, tuple, type(None), bytearray})


def _is_buffer(value: Any) -> bool:
    """True for a buffered value (a :class:`io.BufferedIOBase`)."""
    return type(value) not in _NOT_BUFFERS and isinstance(value, BufferedIOBase)


# PS3.3 C.7.6.3.1.5, C.11.1, C.11.2: the first and third values of these
# descriptors are always unsigned, whatever the element's VR.
_LUT_DESCRIPTOR_TAGS = frozenset({0x00281101, 0x00281102, 0x00281103, 0x00283002})

# DataElement has no __new__ of its own: the reader's elements skip __init__
_object_new = object.__new__


class DataElement:
    """One DICOM data element.

    Parameters
    ----------
    tag : int, str or tuple of int
        The tag in any form :func:`~fastdicom.tag.Tag` accepts.
    VR : str
        The two-letter value representation.
    value : Any
        The value; strings with backslashes become several values for VRs that
        allow more than one.
    file_value_tell : int, optional
        Byte offset of the value in the source, for elements read from data.
    is_undefined_length : bool, optional
        True when the element was encoded with undefined length.
    already_converted : bool, optional
        True when `value` already has its final type (skip conversion and
        validation).
    validation_mode : int, optional
        How invalid values are handled; defaults to the reading mode.

    Attributes
    ----------
    descripWidth : int
        Width of the name column in ``str(elem)``.
    maxBytesToDisplay : int
        Longer values print as ``Array of N elements``.
    showVR : bool
        Whether ``str(elem)`` shows the VR.
    """

    descripWidth = 35
    maxBytesToDisplay = 16
    showVR = True
    is_raw = False

    def __init__(
        self,
        tag: int | str | tuple[int, int],
        VR: str,
        value: Any,
        file_value_tell: int | None = None,
        is_undefined_length: bool = False,
        already_converted: bool = False,
        validation_mode: int | None = None,
    ) -> None:
        if validation_mode is None:
            validation_mode = config.settings.reading_validation_mode
        if not isinstance(tag, BaseTag):
            tag = Tag(tag)
        self.tag = tag
        # A known tag is UN only when its length does not fit 16 bits; any
        # other UN is an encoding slip that the dictionary can mend.
        if (
            VR == "UN"
            and not tag.is_private
            and config.replace_un_with_known_vr
            and (is_undefined_length or value is None or len(value) < 0xFFFF)
        ):
            try:
                VR = dictionary_VR(tag)
            except KeyError:
                pass
        self.VR = VR
        self.validation_mode = validation_mode
        if already_converted:
            self._value = value
        else:
            self.value = value
        self.file_tell = file_value_tell
        self.is_undefined_length: bool = is_undefined_length
        self.private_creator: str | None = None

    @classmethod
    def _from_read(
        cls, tag: BaseTag, VR: str, value: Any, file_value_tell: int | None, is_undefined_length: bool
    ) -> "DataElement":
        """Make an element from a value the reader already converted.

        The reader has resolved the VR (including the UN rules of
        ``__init__``) and validated the value while converting it, so this
        only fills the attributes: it runs once per element touched.
        """
        elem = _object_new(cls)
        # Attribute by attribute, in __init__'s order: the instance keeps its
        # values in the layout all elements share (a dict of its own would
        # cost ~200 bytes more per element kept)
        elem.tag = tag
        elem.VR = VR
        elem.validation_mode = config.settings.reading_validation_mode
        elem._value = value
        elem.file_tell = file_value_tell
        elem.is_undefined_length = is_undefined_length
        elem.private_creator = None
        return elem

    def validate(self, value: Any) -> None:
        """Check `value` against the rules of the element's VR.

        Parameters
        ----------
        value : Any
        """
        validate_value(self.VR, value, self.validation_mode)

    @property
    def value(self) -> Any:
        """Any: The element's value; setting it converts and validates."""
        return self._value

    @value.setter
    def value(self, val: Any) -> None:
        if _is_buffer(val):
            # A binary value may stay in a file-like until it is written (as
            # pydicom 3): checked now, read in chunks when compared or written.
            if self.VR not in BUFFERABLE_VRS:
                supported = sorted(str(vr) for vr in BUFFERABLE_VRS if "or" not in vr)
                raise ValueError(
                    f"Elements with a VR of '{self.VR}' cannot be used with buffered "
                    f"values, supported VRs are: {', '.join(supported)}"
                )
            with self._buffer_errors():
                check_buffer(val)
            self._value = val
            return
        if self.VR not in ALLOW_BACKSLASH:
            if isinstance(val, str):
                val = val.split("\\") if "\\" in val else val
            elif isinstance(val, bytes):
                val = val.split(b"\\") if b"\\" in val else val
        self._value = self._convert_value(val)

    @property
    def VM(self) -> int:
        """int: The value multiplicity (1 for any SQ)."""
        if self.VR == "SQ":
            return 1
        value = self.value
        if value is None:
            return 0
        if isinstance(value, (str, bytes, PersonName)):
            return 1 if value else 0
        if _is_buffer(value):
            with self._buffer_errors():
                return 1 if buffer_length(value) else 0
        try:
            iter(value)
        except TypeError:
            return 1
        return len(value)

    @property
    def is_buffered(self) -> bool:
        """bool: True when the value is a file-like (:class:`io.BufferedIOBase`)."""
        return _is_buffer(self._value)

    def _buffer_errors(self) -> "_BufferErrors":
        """A context that names the element in errors from its buffer."""
        return _BufferErrors(self, "Invalid buffer for")

    @property
    def is_empty(self) -> bool:
        """bool: True when the element has no value."""
        if self.VR == "SQ":
            return not bool(self.value)
        return self.VM == 0

    @property
    def empty_value(self) -> Any:
        """Any: The value an empty element of this VR decodes to."""
        return empty_value_for_VR(self.VR)

    def clear(self) -> None:
        """Set the value to the empty value of the VR."""
        self._value = self.empty_value

    def _convert_value(self, val: Any) -> Any:
        if self.tag == 0x7FE00010 and type(val).__module__ == "numpy":
            raise TypeError(
                "The value for (7FE0,0010) 'Pixel Data' should be set using 'bytes' "
                "not 'numpy.ndarray'. See the Dataset.set_pixel_data() method for "
                "an alternative that supports ndarrays."
            )
        if self.VR == "SQ":
            from fastdicom.sequence import Sequence

            return val if isinstance(val, Sequence) else Sequence(val)
        if not hasattr(val, "append"):
            return self._convert(val)
        if len(val) == 1:
            return self._convert(val[0])
        if self.tag in _LUT_DESCRIPTOR_TAGS and val:
            validate_value("US", val[0], self.validation_mode)
            for item in val[1:]:
                validate_value(self.VR, item, self.validation_mode)
            return MultiValue(_unchanged, val)
        return MultiValue(self._convert, val)

    def _convert(self, val: Any) -> Any:
        vr = self.VR
        if vr in DEFAULT_CHARSET_VR and isinstance(val, bytes):
            val = val.decode()
        if vr == "IS":
            return IS(val, self.validation_mode)
        if vr == "DS":
            return DS(val, False, self.validation_mode)
        if vr == "UI":
            return UID(val, self.validation_mode) if val is not None else None
        if vr == "PN":
            return PersonName(val, validation_mode=self.validation_mode)
        if config.datetime_conversion:
            if vr == "DA":
                return DA(val, validation_mode=self.validation_mode)
            if vr == "DT":
                return DT(val, validation_mode=self.validation_mode)
            if vr == "TM":
                return TM(val, validation_mode=self.validation_mode)
        if vr == "AT" and (val == 0 or val):
            return val if isinstance(val, BaseTag) else Tag(val)
        self.validate(val)
        return val

    def __deepcopy__(self, memo: dict[int, Any]) -> "DataElement":
        result = self.__class__.__new__(self.__class__)
        memo[id(self)] = result
        buffered = self.is_buffered
        for key, item in self.__dict__.items():
            if buffered and key == "_value":
                with _BufferErrors(self, "Error deepcopying the buffered element"):
                    item = copy.deepcopy(item, memo)
            else:
                item = copy.deepcopy(item, memo)
            setattr(result, key, item)
        return result

    def __eq__(self, other: Any) -> Any:
        if other is self:
            return True
        if isinstance(other, self.__class__):
            if self.tag != other.tag or self.VR != other.VR:
                return False
            mine = self.value
            if type(mine).__module__ == "numpy" and hasattr(mine, "shape"):
                import numpy

                return len(mine) == len(other.value) and bool(
                    numpy.allclose(mine, other.value)
                )
            theirs = other.value
            if _is_buffer(mine):
                with self._buffer_errors():
                    return buffer_equality(mine, theirs)
            if _is_buffer(theirs):
                with self._buffer_errors():
                    return buffer_equality(theirs, mine)
            return mine == theirs
        return NotImplemented

    def __ne__(self, other: Any) -> Any:
        return not self == other

    __hash__ = None  # type: ignore[assignment]  # mutable, like pydicom's

    def __str__(self) -> str:
        value = self.repval or ""
        name = f"{self.name[: self.descripWidth]:<{self.descripWidth}}"
        if self.showVR:
            return f"{self.tag} {name} {self.VR}: {value}"
        return f"{self.tag} {name} {value}"

    def __repr__(self) -> str:
        return str(self)

    @property
    def repval(self) -> str:
        """str: The value as ``str(elem)`` shows it (long values summarised)."""
        value = self.value
        if _is_buffer(value):
            return repr(value)  # reading it could consume a stream
        if self.VR in LONG_VALUE_VR:
            try:
                length = len(value)
            except TypeError:
                pass
            else:
                if length > self.maxBytesToDisplay:
                    return f"Array of {length} elements"
        if self.VM > self.maxBytesToDisplay:
            return f"Array of {self.VM} elements"
        if isinstance(value, UID):
            return value.name
        return repr(value)

    def __getitem__(self, key: int) -> Any:
        try:
            return self.value[key]
        except TypeError:
            raise TypeError("DataElement value is unscriptable (not a Sequence)") from None

    @property
    def name(self) -> str:
        """str: The dictionary name; ``[name]`` for known private elements,
        ``Private Creator`` / ``Private tag data`` for other private ones."""
        tag = self.tag
        if tag.is_private:
            if self.private_creator:
                try:
                    return f"[{private_dictionary_description(tag, self.private_creator)}]"
                except KeyError:
                    pass
            elif tag.element >> 8 == 0:
                return "Private Creator"
            return "Private tag data"
        if dictionary_has_tag(tag) or repeater_has_tag(tag):
            return dictionary_description(tag)
        if tag.element == 0:  # group lengths of DICOM before 3.0
            return "Group Length"
        return ""

    @property
    def is_private(self) -> bool:
        """bool: True for an element in an odd group."""
        return self.tag.is_private

    @property
    def is_retired(self) -> bool:
        """bool: True when the dictionary marks the element retired."""
        if dictionary_has_tag(self.tag):
            return dictionary_is_retired(self.tag)
        return False

    @property
    def keyword(self) -> str:
        """str: The dictionary keyword, or '' for private and unknown tags."""
        if dictionary_has_tag(self.tag):
            return dictionary_keyword(self.tag)
        return ""

    # the seed's (pydicom 0.9) name for the dictionary name
    @property
    def description(self) -> str:
        """str: The old name of :attr:`name`, kept for the original user guide."""
        return self.name

    # -- JSON -------------------------------------------------------------
    # The DICOM JSON Model (PS3.18 Annex F) lives in fastdicom.jsonrep.
    @classmethod
    def from_json(
        cls,
        dataset_class: type["Dataset"],
        tag: str,
        vr: str,
        value: Any,
        value_key: str | None,
        bulk_data_uri_handler: Any = None,
    ) -> "DataElement":
        """The element for one DICOM JSON Model attribute.

        Parameters
        ----------
        dataset_class : type
            The class of sequence items.
        tag : str
            The tag as uppercase hex.
        vr : str
        value : Any
            The "Value", "InlineBinary" or "BulkDataURI" entry.
        value_key : str or None
            Which of those `value` is; None when the attribute has no value.
        bulk_data_uri_handler : callable, optional
            Takes ``(tag, vr, uri)`` or ``uri`` and returns the value.
        """
        return front_door("DataElement.from_json")(
            cls, dataset_class, tag, vr, value, value_key, bulk_data_uri_handler
        )

    def to_json_dict(
        self,
        bulk_data_element_handler: Any,
        bulk_data_threshold: int,
    ) -> dict[str, Any]:
        """The element as a DICOM JSON Model attribute dict.

        Parameters
        ----------
        bulk_data_element_handler : callable or None
            Takes a binary element and returns its "BulkDataURI".
        bulk_data_threshold : int
            Base64 length above which the handler is used.
        """
        return front_door("DataElement.to_json_dict")(
            self, bulk_data_element_handler, bulk_data_threshold
        )

    def to_json(
        self,
        bulk_data_threshold: int = 1024,
        bulk_data_element_handler: Any = None,
        dump_handler: Any = None,
    ) -> str:
        """The element as DICOM JSON text (``json.dumps``, sorted keys, unless
        `dump_handler` is given)."""
        return front_door("DataElement.to_json")(
            self, bulk_data_threshold, bulk_data_element_handler, dump_handler
        )


def _unchanged(value: Any) -> Any:
    return value


class _BufferErrors:
    """Re-raise an error from a buffered value with the element named.

    Parameters
    ----------
    elem : DataElement
    prefix : str
        The start of the new message, followed by the tag and name.
    """

    __slots__ = ("elem", "prefix")

    def __init__(self, elem: DataElement, prefix: str) -> None:
        self.elem = elem
        self.prefix = prefix

    def __enter__(self) -> None:
        return None

    def __exit__(self, exc_type: Any, exc: Any, tb: Any) -> Literal[False]:
        if exc is None:
            return False
        elem = self.elem
        try:
            named = exc_type(f"{self.prefix} {elem.tag} '{elem.name}': {exc}")
        except Exception:
            return False  # an exception class with another signature: as it is
        raise named from exc


class RawDataElement(NamedTuple):
    """An element as read, before its value is converted.

    `value` holds the encoded bytes (a memoryview for sequences and other
    undefined-length values, which are parsed from the source without a
    copy).
    """

    tag: BaseTag
    VR: str | None
    length: int
    value: Any
    value_tell: int
    is_implicit_VR: bool
    is_little_endian: bool
    is_raw: bool = True
    is_buffered: bool = False


def convert_raw_data_element(
    raw: RawDataElement,
    *,
    encoding: str | MutableSequence[str] | None = None,
    ds: "Dataset | None" = None,
) -> DataElement:
    """Make the :class:`DataElement` for `raw`.

    Parameters
    ----------
    raw : RawDataElement
        The element as read.
    encoding : str or list of str, optional
        The character sets for text values.
    ds : Dataset, optional
        The dataset holding `raw`: used to find private creators and, for
        sequences, the context the items inherit.

    Returns
    -------
    DataElement
    """
    from fastdicom.dataset import Dataset, element_from_raw

    return element_from_raw(raw, ds if ds is not None else Dataset(), encoding)


def _DataElement_from_raw(
    raw_data_element: RawDataElement,
    encoding: str | MutableSequence[str] | None = None,
    dataset: "Dataset | None" = None,
) -> DataElement:
    """pydicom's deprecated name of :func:`convert_raw_data_element`."""
    # The names are pydicom's: the deprecation, and the v4.0 that removes
    # the name, are pydicom's, which fastdicom follows.
    config.warn_and_log(
        f"'{__name__}.DataElement_from_raw' is deprecated and will be removed "
        f"in v4.0 (as in pydicom), please use '{__name__}.convert_raw_data_element' instead",
        DeprecationWarning,
        stacklevel=2,
    )
    return convert_raw_data_element(raw_data_element, encoding=encoding, ds=dataset)


_DEPRECATED = {"DataElement_from_raw": _DataElement_from_raw}


def __getattr__(name: str) -> Any:
    # PEP 562: deprecated names are offered until future behaviour is on.
    if name in _DEPRECATED and not config._use_future:
        return _DEPRECATED[name]
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
