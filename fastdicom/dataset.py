"""Datasets: the mapping of tags to data elements, as in ``pydicom.dataset``.

A dataset read from data holds the source buffer and the table the compiled
scanner made of it (:class:`_ElementStore`). Elements become Python objects
only when they are touched; a sequence is split into items, and each item
scanned, only when the sequence is first touched.
"""

from __future__ import annotations

import copy
import io
import os
import re
import threading
from bisect import bisect_left
from collections.abc import Callable, Iterator, Mapping, MutableMapping, MutableSequence
from itertools import takewhile
from types import MappingProxyType
from typing import Any, TypeVar

from fastdicom import _store, config
from fastdicom._ambiguous_vr import correct_ambiguous_vr_element
from fastdicom._legacy_names import LEGACY_ATTRIBUTES, LEGACY_METHODS, legacy_method, warn_legacy_name
from fastdicom.charset import convert_encodings, default_encoding
from fastdicom._dicom_dict import DicomDictionary
from fastdicom.datadict import (
    dictionary_description,
    dictionary_VR,
    get_private_entry,
    keyword_dict,
    keyword_for_tag,
    legacy_keyword_for,
    repeater_has_keyword,
    tag_for_keyword,
)
from fastdicom.dataelem import DataElement, RawDataElement, front_door
from fastdicom.errors import BytesLengthException, DicomParseError
from fastdicom.hooks import hooks
from fastdicom.hooks import raw_element_value as _default_raw_element_value
from fastdicom.hooks import raw_element_vr as _default_raw_element_vr
from fastdicom.tag import BaseTag, Tag, TagType, tag_in_exception
from fastdicom._version import __version__
from fastdicom.uid import FASTDICOM_IMPLEMENTATION_UID, UID
from fastdicom.values import (
    _CONVERT_RECORD_CAPSULE,
    CHARSET_VRS,
    DECLINED,
    convert_record,
    convert_value_bytes,
)
from fastdicom.valuerep import AMBIGUOUS_VR, IS, DSfloat
from fastdicom.valuerep import VR as VR_

__all__ = [
    "Dataset",
    "FileDataset",
    "FileMetaDataset",
    "PrivateBlock",
    "validate_file_meta",
]

PIXEL_KEYWORDS = frozenset({0x7FE00008, 0x7FE00009, 0x7FE00010})
_CHARSET_TAG = 0x00080005
_PIXREP_TAG = 0x00280103
_UNDEFINED = 0xFFFFFFFF
# PS3.3 C.7.6.3.1.5: LUT descriptors whose first value is always unsigned
_LUT_DESCRIPTOR_TAGS = frozenset({0x00281101, 0x00281102, 0x00281103, 0x00283002})
_RE_CAMEL_CASE = re.compile(
    r"(?P<start>(^[A-Za-z])((?=.+?[A-Z])[A-Za-z0-9]+)|(^[A-Z])([a-z0-9]+))"
    r"(?P<last>[A-Za-z0-9][^_]$)"
)
_FLAG_UNDEFINED = _store.FLAG_UNDEFINED_LENGTH
# Values cached without their element (see _ElementStore._values) of these
# types are the bytes read; the others (lists, person names, sequences) may
# be edited in place, and get their element before a writer copies bytes
# (_ElementStore.make_mutable_elements).
_IMMUTABLE_VALUE_TYPES = frozenset({str, int, float, bytes, UID, BaseTag, DSfloat, IS})
_MISSING = _store.STORE_ABSENT
_CUT_FLAGS = _store.CUT_FLAGS


def _warn(message: str, category: type[Warning] = UserWarning) -> None:
    config.warn_and_log(message, category, stacklevel=3)


# Where a dataset's bytes live, shared by a dataset and its items (compiled:
# the reader makes one per file)
_Source = _store.Source


_PUBLISH_LOCK = threading.Lock()


def _publish(store: Any, tag: int, elem: Any) -> Any:
    """Store the element converted from a raw one, unless another thread
    stored its conversion first; returns the element stored.

    Threads that touch a lazily read element at once each convert it; the
    first conversion wins, so that every thread gets the same element (the
    same sequence items, whose changes are then not lost): issue 12.
    """
    if isinstance(store, _store.StoreCore):
        winner = store.publish(tag, elem)  # compiled: atomic under the GIL
        if winner is not _store.STORE_SLOW:
            return winner
    with _PUBLISH_LOCK:
        existing = store._done.get(tag)
        if existing is not None and existing is not elem and not existing.is_raw:
            return existing
        store[tag] = elem
    return elem


class _ElementStore(_store.StoreCore, MutableMapping):
    """The tag → element mapping of one dataset level, filled lazily.

    Elements the user has not touched stay as records in the scanner's
    table; touching one makes a :class:`RawDataElement` (and the dataset
    then converts it). Elements set or deleted by the user are kept in a
    plain dict and a set of removed tags, so the table itself never changes.
    The state and the keyword fast path are compiled
    (:class:`fastdicom._store.StoreCore`): `_done` (elements made or set),
    `_removed` (table tags deleted), `_extra` (tags set that are not at
    their table position, in the order set: keys() follows insertion order
    as pydicom's dict does) and `_values` (values read by keyword before
    their element was asked for: tag -> value; the element is made from
    it and its table record when needed, so `ds.X is ds[tag].value`).
    """

    __slots__ = ()

    def __init__(
        self,
        table: "_store.ElementTable | None" = None,
        source: _Source | None = None,
        elements: dict | None = None,
    ) -> None:
        self._table = table
        self._source = source
        if elements is not None:
            self._done = elements
        if table is not None:
            self._implicit = table.implicit_vr
            self._little = table.little_endian

    def _raw(self, record: "_store.ScannedElement") -> RawDataElement:
        tag, vr, flags = record.tag, record.vr, record.flags
        offset, length = record.value_offset, record.length
        view = self._source.view
        if flags & _FLAG_UNDEFINED or vr == "SQ":
            # Sequences are parsed from the source itself: no copy.
            value: Any = view[offset : offset + length]
        else:
            value = view[offset : offset + length].tobytes()
        return RawDataElement(
            BaseTag(tag),
            vr,
            _UNDEFINED if flags & _FLAG_UNDEFINED else length,
            value,
            offset,
            self._implicit,
            self._little,
        )

    def value_place(self, tag: int) -> tuple[memoryview, int, int, str | None] | None:
        """Where the value of `tag` lies in the source: (buffer, offset,
        length, VR, None in implicit VR), while its element is as read (not
        made, set or deleted); else None. Bulk readers (pixel data) decode
        from there without copying the value."""
        table = self._table
        if table is None or tag in self._done or tag in self._removed:
            return None
        record = table.find(tag)
        if record is None:
            return None
        return self._source.view, record.value_offset, record.length, record.vr

    def get(self, tag: int, default: Any = None) -> Any:
        elem = self._done.get(tag)
        if elem is not None:
            return elem
        table = self._table
        if table is None or tag in self._removed:
            return default
        cached = self._values.get(tag, _MISSING)  # (a value may be None: empty)
        record = table.find(tag)
        if cached is not _MISSING and record is not None:
            # Cached by keyword: the VR it was converted with is the record's,
            # or the dictionary's for implicit VR (Dataset._plain_vr); only a
            # sequence may have an undefined length. setdefault, then pop:
            # a thread that asks at the same time finds the value or the
            # element, and gets the one element made first (issue 12)
            vr = record.vr or DicomDictionary[tag][0]
            undefined = bool(record.flags & _FLAG_UNDEFINED)
            elem = self._done.setdefault(
                tag, DataElement._from_read(BaseTag(tag), vr, cached, record.value_offset, undefined)
            )
            self._values.pop(tag, None)
            return elem
        if record is None:
            return default
        # setdefault: a raw element never replaces the conversion another
        # thread stored meanwhile (issue 12)
        return self._done.setdefault(tag, self._raw(record))

    def __getitem__(self, tag: int) -> Any:
        elem = self.get(tag)
        if elem is None:
            raise KeyError(tag)
        return elem

    def __contains__(self, tag: object) -> bool:
        if tag in self._done:
            return True
        table = self._table
        return (
            table is not None
            and isinstance(tag, int)
            and tag not in self._removed
            and table.index_of(tag) >= 0
        )

    def __setitem__(self, tag: int, elem: Any) -> None:
        self._values.pop(tag, None)
        table = self._table
        if table is not None and tag not in self._done:
            if tag in self._removed or table.index_of(tag) < 0:
                self._own_containers()[1][tag] = None
        self._done[tag] = elem

    def __delitem__(self, tag: int) -> None:
        self._values.pop(tag, None)
        found = self._done.pop(tag, None) is not None
        if self._extra:
            self._own_containers()[1].pop(tag, None)
        table = self._table
        if table is not None and tag not in self._removed and table.index_of(tag) >= 0:
            self._own_containers()[0].add(tag)
            found = True
        if not found:
            raise KeyError(tag)

    def _own_containers(self) -> tuple[set[int], dict[int, None]]:
        """This store's own `_removed` and `_extra`, made in place of the
        shared empties at its first deletion or addition; under a lock, so
        that threads changing one dataset at once lose none of their changes."""
        if self._removed is _store.NO_TAGS or self._extra is _store.NO_EXTRA:
            with _PUBLISH_LOCK:
                if self._removed is _store.NO_TAGS:
                    self._removed = set()
                if self._extra is _store.NO_EXTRA:
                    self._extra = {}
        # both this store's own now (the stub types them as the shared empties allow)
        return self._removed, self._extra  # type: ignore[return-value]

    def sorted_tags(self) -> list[int]:
        """All tags present, ascending."""
        table = self._table
        if table is None:
            return sorted(self._done)
        tags = table.tags()
        if not self._removed and not self._done:
            return tags
        present = set(tags)
        present -= self._removed
        present.update(self._done)
        return sorted(present)

    def _insertion_order(self) -> list[int]:
        """All tags present, in the order pydicom's dict would hold them."""
        table = self._table
        if table is None:
            return list(self._done)
        tags = table.tags()
        if not table.in_order:
            tags.sort(key=lambda tag: table.record(table.index_of(tag)).header_offset)
        removed = self._removed
        if removed:
            tags = [tag for tag in tags if tag not in removed]
        if self._extra:
            tags.extend(self._extra)
        return tags

    def __iter__(self) -> Iterator[BaseTag]:
        return (BaseTag(tag) for tag in self._insertion_order())

    def __len__(self) -> int:
        table = self._table
        if table is None:
            return len(self._done)
        if not self._done and not self._removed:
            return len(table)
        return len(self.sorted_tags())

    def pop(self, tag: int, *default: Any) -> Any:
        if tag in self:
            elem = self[tag]
            del self[tag]
            return elem
        if default:
            return default[0]
        raise KeyError(tag)

    def clear(self) -> None:
        self._done.clear()
        self._removed = _store.NO_TAGS
        self._extra = _store.NO_EXTRA
        self._values.clear()
        self._table = None

    def materialize(self) -> dict[int, Any]:
        """Every entry as a plain dict (sequence memoryviews as bytes)."""
        result = {}
        for tag in self._insertion_order():
            elem = self[tag]
            if isinstance(elem, RawDataElement) and isinstance(elem.value, memoryview):
                elem = elem._replace(value=elem.value.tobytes())
            result[tag] = elem
        return result

    def __reduce__(self) -> tuple:
        return (_ElementStore, (None, None, self.materialize()))

    def make_mutable_elements(self) -> None:
        """Make the elements of the mutable values read by keyword (lists of
        values, person names, sequences), which may have been edited in
        place: a writer copies the bytes read for the elements that were not
        made, and these must be encoded from their values instead."""
        if not self.has_values():
            return
        for tag, value in list(self._values.items()):
            if type(value) not in _IMMUTABLE_VALUE_TYPES:
                self.get(tag)

    def __deepcopy__(self, memo: dict) -> "_ElementStore":
        clone = _ElementStore.__new__(_ElementStore)
        memo[id(self)] = clone
        clone._table = self._table  # immutable, as is the source buffer
        clone._source = self._source
        if self._table is not None:
            clone._implicit = self._implicit
            clone._little = self._little
        clone._done = copy.deepcopy(self._done, memo)
        clone._removed = set(self._removed) if self._removed else _store.NO_TAGS
        clone._extra = dict(self._extra) if self._extra else _store.NO_EXTRA
        clone._values = {
            tag: value if type(value) in _IMMUTABLE_VALUE_TYPES else copy.deepcopy(value, memo)
            for tag, value in self._values.items()
        }
        return clone


def element_from_raw(
    raw: RawDataElement,
    ds: "Dataset",
    encoding: str | MutableSequence[str] | None,
) -> DataElement:
    """Convert `raw` into a :class:`DataElement` in the context of `ds`.

    The VR and the value come from the callbacks registered in
    :data:`fastdicom.hooks.hooks` (by default fastdicom's reading rules).

    Parameters
    ----------
    raw : RawDataElement
    ds : Dataset
        The dataset holding the element (private creators, character set and
        source buffer come from it).
    encoding : str or list of str or None
        Character sets for text values.

    Returns
    -------
    DataElement
    """
    if config.data_element_callback is not None:
        # pydicom 2's single callback (deprecated): it may replace the raw element.
        raw = config.data_element_callback(raw, **config.data_element_callback_kwargs)
    data: dict[str, Any] = {}
    kwargs = hooks.raw_element_kwargs
    hooks.raw_element_vr(raw, data, encoding=encoding, ds=ds, **kwargs)
    if data["VR"] != "SQ" and isinstance(raw.value, memoryview):
        # Callbacks see the value as bytes, as pydicom gives it; only a
        # sequence is parsed from the source buffer itself.
        raw = raw._replace(value=raw.value.tobytes())
    hooks.raw_element_value(raw, data, encoding=encoding, ds=ds, **kwargs)
    return DataElement._from_read(
        raw.tag, data["VR"], data["value"], raw.value_tell, raw.length == _UNDEFINED
    )


def _legacy_name(name: str) -> str | None:
    """The current name for a pydicom 0.9 attribute or keyword, else None.

    Called only after a name has missed, so current names never pay for it.
    """
    current = LEGACY_ATTRIBUTES.get(name) or LEGACY_METHODS.get(name)
    if current is None and name[:1].isupper():
        current = legacy_keyword_for(name)
    return current


class PrivateBlock:
    """The elements one private creator reserved in a private group.

    Parameters
    ----------
    key : tuple of (int, str)
        The odd group and the private creator string.
    dataset : Dataset
        The dataset holding the block.
    private_creator_element : int
        The element number of the private creator, 0x10-0xFF.

    Attributes
    ----------
    group : int
    private_creator : str
    dataset : Dataset
    block_start : int
        The first element number of the block (creator element << 8).
    """

    def __init__(
        self, key: tuple[int, str], dataset: "Dataset", private_creator_element: int
    ) -> None:
        self.group = key[0]
        self.private_creator = key[1]
        self.dataset = dataset
        self.block_start = private_creator_element << 8

    def get_tag(self, element_offset: int) -> BaseTag:
        """The full tag of `element_offset` within the block.

        Parameters
        ----------
        element_offset : int
            0x00-0xFF.

        Returns
        -------
        BaseTag
        """
        if element_offset > 0xFF:
            raise ValueError("Element offset must be less than 256")
        return Tag(self.group, self.block_start + element_offset)

    def __contains__(self, element_offset: int) -> bool:
        return self.get_tag(element_offset) in self.dataset

    def __getitem__(self, element_offset: int) -> DataElement:
        return self.dataset.__getitem__(self.get_tag(element_offset))

    def __delitem__(self, element_offset: int) -> None:
        del self.dataset[self.get_tag(element_offset)]

    def add_new(self, element_offset: int, VR: str, value: object) -> None:
        """Add an element to the block.

        Parameters
        ----------
        element_offset : int
        VR : str
        value : object
        """
        tag = self.get_tag(element_offset)
        self.dataset.add_new(tag, VR, value)
        self.dataset[tag].private_creator = self.private_creator

    def __deepcopy__(self, memo: Any) -> "PrivateBlock":
        copied = self.__class__((self.group, self.private_creator), self.dataset, self.block_start >> 8)
        memo[id(self)] = copied
        return copied


# The attributes every Dataset starts with beyond the class defaults below
# (none today: kept for the item template of _read_sequence).
_INITIAL_ATTRIBUTES: dict[str, Any] = {}
# An empty mapping that cannot be changed by mistake: the class default of
# the per-dataset caches made on first use (_private_blocks, _pixel_id).
_NO_ENTRIES: Mapping[Any, Any] = MappingProxyType({})


_ITEM_TEMPLATES: dict[tuple, dict[str, Any]] = {}


def _item_template(charset: Any, depth: int, pixel_rep: Any) -> dict[str, Any]:
    """The instance attributes every item of a sequence starts with, in the
    order ``Dataset._init_attributes`` and an item's own give them; the
    compiled ItemMaker fills in the rest per item (its store, the encoding
    found, position, undefined length). Shared by the sequences that agree
    on them (the template is only read)."""
    future = config._use_future
    key: tuple | None = (
        tuple(charset) if type(charset) is list or isinstance(charset, MutableSequence) else charset,
        depth,
        pixel_rep,
        future,
    )
    try:
        template = _ITEM_TEMPLATES.get(key)  # type: ignore[arg-type]
    except TypeError:  # a damaged file's Pixel Representation of several values
        template = key = None
    if template is None:
        template = dict(_INITIAL_ATTRIBUTES)
        template.update(_parent_encoding=charset, _dict=None, _read_little=None, _read_implicit=None)
        if not future:
            # pydicom leaves the (deprecated) current encoding of read items
            # unset; only the original encoding is recorded.
            template.update(_is_little_endian=None, _is_implicit_VR=None)
        template.update(_depth=depth, seq_item_tell=None)
        template["_read_charset"] = charset
        if pixel_rep is not None:
            template["_pixel_rep"] = pixel_rep
        if key is not None:
            if len(_ITEM_TEMPLATES) > 256:  # a bound: odd charsets and depths
                _ITEM_TEMPLATES.clear()
            _ITEM_TEMPLATES[key] = template
    return template


def _sequence_context(
    ds: "Dataset", undefined: bool, depth: int, encoding: Any = _MISSING
) -> tuple[dict[str, Any], Any]:
    """What the items of a sequence of `ds` inherit: the template of their
    attributes and the Pixel Representation of `ds` for their US or SS
    values (None when unknown). `encoding`: the dataset's encodings (read
    from it when not given)."""
    if undefined:
        # As pydicom, which reads these while scanning the parent: the items
        # inherit the parent's character set as it stands.
        charset = ds._character_set
    else:
        # As pydicom, which converts these later through the value
        # converters: the items inherit the encodings as a list.
        if encoding is _MISSING:
            encoding = ds._read_charset or ds._character_set
        charset = encoding or [default_encoding]
        if isinstance(charset, str):
            charset = [charset]
    pixel_rep = ds._pixel_rep_for_items()
    return _item_template(charset, depth + 1, pixel_rep), pixel_rep


_SEQUENCE_CLASS: Any = None


def _sequence_class() -> Any:
    """fastdicom.sequence.Sequence, imported on first use: sequence.py
    imports this module (the two halves of the object model)."""
    global _SEQUENCE_CLASS
    if _SEQUENCE_CLASS is None:
        from fastdicom.sequence import Sequence

        _SEQUENCE_CLASS = Sequence
    return _SEQUENCE_CLASS


def _finish_item(item: "Dataset", table: "_store.ElementTable") -> "Dataset":
    """An item with its own Specific Character Set or Pixel Representation
    (called by the compiled ItemMaker)."""
    attributes = item.__dict__
    if table.index_of(_CHARSET_TAG) >= 0:
        attributes["_read_charset"] = item._character_set
    if table.index_of(_PIXREP_TAG) >= 0:
        # An item's own Pixel Representation is the closest one for its US
        # or SS values (pydicom takes a raw empty value as 0)
        own = item._dict.get(_PIXREP_TAG).value
        if own is not None:
            attributes["_pixel_rep"] = (
                int(b"\x01" in bytes(own)) if isinstance(own, (bytes, memoryview)) else own
            )
    return item


_DatasetT = TypeVar("_DatasetT", bound="Dataset")


class Dataset:
    """A DICOM dataset: a mapping of tags to :class:`DataElement`.

    Elements are reached by keyword (``ds.PatientName``), by tag
    (``ds[0x00100010]``, ``ds[0x10, 0x10]``, ``ds["PatientName"]``) or by a
    tag slice. Iteration yields the elements in tag order.

    Parameters
    ----------
    *args : Dataset or dict, optional
        Elements to start with (a dict of tag → DataElement).
    **kwargs
        ``parent_encoding``: the character set inherited from a parent.

    Attributes
    ----------
    indent_chars : str
        Indentation per nesting level in ``str(ds)``.
    """

    indent_chars = "   "
    # Instance attributes whose value is usually the default live on the
    # class until a dataset sets its own: a dataset is made per file and
    # per sequence item, and every key of an instance __dict__ is memory
    # kept for each of them (issue 8: memory kept per header-only dataset).
    is_decompressed = False
    is_undefined_length_sequence_item = False
    _read_charset: Any = ""
    _pixel_array: Any = None
    _depth = 0
    # Made on first use (see _private_block_cache and the pixel cache); the
    # class default is an empty mapping that cannot be changed by mistake
    _private_blocks: dict[tuple[int, str], PrivateBlock] = _NO_ENTRIES  # type: ignore[assignment]
    _pixel_id: dict[str, int] = _NO_ENTRIES  # type: ignore[assignment]
    default_element_format = "%(tag)s %(name)-35.35s %(VR)s: %(repval)s"
    default_sequence_element_format = "%(tag)s %(name)-35.35s %(VR)s: %(repval)s"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        if not args:
            store = _ElementStore()
        elif isinstance(args[0], Dataset):
            store = args[0]._dict
        elif isinstance(args[0], _ElementStore):
            store = args[0]
        else:
            store = _ElementStore(elements=dict(args[0]))
        self._init_attributes(store, kwargs.get("parent_encoding", default_encoding), None, None)

    def _init_attributes(
        self, store: Any, parent_encoding: Any, implicit: bool | None, little: bool | None
    ) -> None:
        # Compiled: a dataset is made per file and per sequence item
        _store.init_dataset(self, store, parent_encoding, implicit, little)

    # -- made from data -------------------------------------------------
    @classmethod
    def _from_table(
        cls: type[_DatasetT],
        table: "_store.ElementTable",
        source: _Source,
        parent_encoding: Any = default_encoding,
    ) -> _DatasetT:
        # Compiled: the store and the attributes of _init_attributes, in its order
        return _store.dataset_from_table(cls, _ElementStore, table, source, parent_encoding)

    def _read_sequence(self, raw: RawDataElement, encoding: Any) -> Any:
        """Split an SQ value into items and scan each item."""
        Sequence = _SEQUENCE_CLASS or _sequence_class()
        store = self._dict
        source = store._source if isinstance(store, _ElementStore) else None
        value = raw.value
        if isinstance(value, memoryview) and source is not None and value.obj is source.view.obj:
            view = source.view
            start = raw.value_tell
            tell_base = 0
        else:
            # A value set by hand, or read through defer_size: scan its bytes.
            data = bytes(value) if value is not None else b""
            view = memoryview(data).cast("B")
            source = _Source(view, source.filename if source else None)
            start = 0
            # The items' seq_item_tell still count from the start of the file
            #   (a DICOMDIR's record offsets are compared with them)
            tell_base = raw.value_tell or 0
        end = start + (len(value) if value is not None else 0)
        implicit = raw.is_implicit_VR
        little = raw.is_little_endian
        depth = self.__dict__.get("_depth", 0)
        filename = source.filename
        try:
            items = _store.scan_items(view, start, end, implicit, little, depth=depth)
        except DicomParseError as exc:
            raise _store.name_sequence(exc, raw.tag, filename) from None
        template, pixel_rep = _sequence_context(self, raw.length == _UNDEFINED, depth, encoding)
        sequence_tag = raw.tag

        make_item = _store.ItemMaker(
            view, source, items, implicit, little, config.assume_implicit_vr_switch, depth,
            tell_base, template, sequence_tag, filename,
        )
        return _store.on_demand_sequence(Sequence, make_item, len(items), raw.length == _UNDEFINED)

    def _pixel_rep_for_items(self) -> int | None:
        """The Pixel Representation the items of this dataset's sequences
        inherit (compiled: ``StoreCore.items_pixel_rep``)."""
        return self._dict.items_pixel_rep(self.__dict__)

    # -- element access ---------------------------------------------------
    def __getitem__(self, key: Any) -> Any:
        if isinstance(key, slice):
            return self._dataset_slice(key)
        if isinstance(key, BaseTag):
            tag = key
        else:
            try:
                tag = Tag(key)
            except Exception as exc:
                raise KeyError(f"'{key}'") from exc
        elem = self._element(int(tag))
        if elem is None:
            raise KeyError(tag)
        return elem

    def _element(self, tag: int) -> DataElement | None:
        """The element for the int `tag`, converted; None when absent.

        Every tag access comes here. An element whose value was already read
        by keyword is made from that value (:meth:`_value_of` does the
        reading); the rest take the general path through a RawDataElement.
        """
        store = self.__dict__.get("_dict")
        if store is None:
            return None
        elem = store._done.get(tag)
        if elem is None:
            if self._value_of(tag) is _MISSING:
                return None
            # Now in store._done, or in store._values, from which get() makes it
            return store.get(tag)
        if elem.is_raw:
            elem = self._convert_raw(tag, elem)
        return elem

    def _value_of(self, tag: int) -> Any:
        """The value of the element with the int `tag`; _MISSING when absent.

        Keyword access comes here. An untouched element with an ordinary VR
        is converted straight from the scanner's record by the store's
        compiled fast path (:meth:`fastdicom._store.StoreCore.fast_value`)
        and cached without making its DataElement; the element made later
        holds the same value object, so that editing a mutable one (a
        MultiValue, a sequence) in place edits the element, as in pydicom.
        The rest (elements already made, private and ambiguous elements,
        declined values) take the general path here.
        """
        store = self.__dict__.get("_dict")
        if store is None:
            return _MISSING
        if isinstance(store, _ElementStore):
            value = store.fast_value(tag, self)
            if value is not _store.STORE_SLOW:
                return value
        return self._slow_value_of(store, tag)

    def _slow_value_of(self, store: Any, tag: int) -> Any:
        """:meth:`_value_of` for what the compiled fast path leaves to
        Python (the keyword attributes come here directly)."""
        elem = store._done.get(tag)
        if elem is None:
            cached = store._values.get(tag)
            if cached is not None:
                return cached
            table = store._table
            if table is None or tag in store._removed:
                return _MISSING
            record = table.find(tag)
            if record is None:
                return _MISSING
            vr = self._plain_vr(tag, record)
            # A sequence is made by the compiled path (StoreCore.fast_value);
            # one it leaves here takes the general path below
            if vr is not None and vr != "SQ":
                value = self._convert_declined(store, tag, vr, record)
                if value is not DECLINED:
                    # The value alone, as the compiled path keeps it
                    return store._values.setdefault(tag, value)
            elem = store._done.setdefault(tag, store._raw(record))
        if elem.is_raw:
            elem = self._convert_raw(tag, elem)
        return elem.value

    @staticmethod
    def _plain_vr(tag: int, record: "_store.ScannedElement") -> str | None:
        """The VR of an element that needs nothing but its value converted.

        None for what the general path handles: undefined length, SQ, UN,
        ambiguous VRs, private elements (creators), LUT descriptors, tags
        unknown to the dictionary in implicit VR, and user callbacks.
        """
        vr = record.vr
        if tag & 0x10000 or tag in _LUT_DESCRIPTOR_TAGS:
            return None
        if vr is None:
            # Implicit VR: the dictionary's VR, as hooks.raw_element_vr gives it
            entry = DicomDictionary.get(tag)
            if entry is None:
                return None
            vr = entry[0]
        if vr == "UN" or len(vr) != 2 or (record.flags & _FLAG_UNDEFINED and vr != "SQ"):
            return None
        if not hooks.uses_defaults() or config.data_element_callback is not None:
            return None
        return vr

    def _convert_declined(
        self, store: _ElementStore, tag: int, vr: str, record: "_store.ScannedElement"
    ) -> Any:
        """Convert a value the compiled path declined, with the Python path;
        DECLINED when only the general path can (wrong length, unknown VR).

        Declined are empty values, values that warn, and the settings the
        compiled path leaves alone; the Python path may retry other VRs,
        whose text needs the character set.
        """
        offset, length = record.value_offset, record.length
        try:
            return convert_value_bytes(
                vr,
                store._source.view[offset : offset + length].tobytes(),
                store._little,
                self._encoding_for(tag),
            )
        except (BytesLengthException, NotImplementedError):
            # The general path knows pydicom's fallback to UN and names the
            # tag in the unknown-VR error
            return DECLINED

    def _encoding_for(self, tag: int) -> list[str]:
        """The Python encodings of the text of element `tag`, as a list."""
        if tag == _CHARSET_TAG:
            return [default_encoding]
        encoding = self._read_charset or self._character_set
        if isinstance(encoding, str):
            return [encoding]
        return encoding

    def _convert_raw(self, tag: int, raw: RawDataElement) -> DataElement:
        tag = int(tag)  # plain int compares in C; BaseTag's comparisons are Python
        if raw.value is None and raw.length != 0:
            raw = self._read_deferred(raw)
        if tag != _CHARSET_TAG:
            encoding = self._read_charset or self._character_set
        else:
            encoding = default_encoding
        elem = element_from_raw(raw, self, encoding)
        if tag & 0x10000 and not (elem.VR == "SQ" and raw.length == _UNDEFINED):
            # As pydicom's __setitem__ does: the element (gggg,xxyy) belongs to
            # the creator (gggg,00xx). pydicom makes undefined-length sequences
            # while parsing, bypassing that step, so they keep no creator.
            creator_tag = (tag & 0xFFFF0000) | ((tag & 0xFFFF) >> 8)
            if creator_tag != tag and creator_tag in self._dict:
                elem.private_creator = self[creator_tag].value
        winner = _publish(self._dict, tag, elem)
        if winner is not elem:
            return winner  # another thread converted it first: its element
        if elem.VR == "SQ":
            # As pydicom on first reading a sequence: the dataset records
            # its Pixel Representation (the items, made on demand, take it
            # from _read_sequence), for correcting US or SS values below.
            pixel_rep = self._pixel_rep_for_items()
            if pixel_rep is not None:
                self.__dict__["_pixel_rep"] = pixel_rep
        elif elem.VR in AMBIGUOUS_VR:
            elem = correct_ambiguous_vr_element(elem, self, raw.is_little_endian)
            self._dict[tag] = elem
        return elem

    def _read_deferred(self, raw: RawDataElement) -> RawDataElement:
        return _store.read_deferred_span(self, raw)

    def get_item(self, key: Any, *, keep_deferred: bool = False) -> Any:
        """The element for `key` without converting a raw element.

        A deferred element (read with ``defer_size``) is read and converted,
        as pydicom does, unless `keep_deferred`.

        Parameters
        ----------
        key : tag, keyword or slice
        keep_deferred : bool
            Return a deferred element raw, its value unread (None).

        Returns
        -------
        DataElement or RawDataElement
        """
        if isinstance(key, slice):
            return self._dataset_slice(key)
        elem = self._dict.get(Tag(key))
        if elem is None:
            return None
        if elem.is_raw and elem.value is None and not keep_deferred:
            return self[elem.tag]
        return elem

    def update_raw_element(
        self, tag: TagType, *, vr: str | None = None, value: bytes | None = None
    ) -> None:
        """Change the VR or the encoded value of an element not yet converted.

        For mending a non-conformant element before its value is decoded,
        e.g. ``ds.update_raw_element(0x00291026, vr="US")``.

        Parameters
        ----------
        tag : int, str or tuple
            The element's tag or keyword.
        vr : str, optional
            The VR to decode with; the element's VR is kept when not given.
        value : bytes, optional
            The encoded value to decode; kept when not given.

        Raises
        ------
        ValueError
            When neither `vr` nor `value` is given, or `vr` is not a VR.
        TypeError
            When `value` is not bytes, or the element was already converted.
        KeyError
            When the dataset has no element `tag`.
        """
        if vr is None and value is None:
            raise ValueError("Either or both of 'vr' and 'value' are required")
        if vr is not None:
            try:
                VR_[vr]
            except KeyError:
                raise ValueError(f"Invalid VR value '{vr}'") from None
        if value is not None and not isinstance(value, bytes):
            raise TypeError(f"'value' must be bytes, not '{type(value).__name__}'")
        tag = Tag(tag)
        # get_item leaves the element raw; an untouched element becomes a
        # RawDataElement here, which the fast path of _element never skips.
        raw = self.get_item(tag, keep_deferred=True)
        if raw is None:
            raise KeyError(f"No element with tag {tag} was found")
        if not isinstance(raw, RawDataElement):
            raise TypeError(
                f"The element with tag {tag} has already been converted to a "
                "'DataElement' instance, this method must be called earlier"
            )
        self._dict[tag] = raw._replace(
            VR=raw.VR if vr is None else vr, value=raw.value if value is None else value
        )

    def __getattr__(self, name: str) -> Any:
        # Only reached when normal lookup missed: a keyword, or nothing.
        tag = keyword_dict.get(name)
        if tag is not None:
            value = self._value_of(tag)
            if value is not _MISSING:
                return value
        elif not config._use_future:
            # The pydicom 0.9 names, tried only after everything else missed.
            current = _legacy_name(name)
            if current is not None:
                if current in LEGACY_METHODS.values():
                    return legacy_method(self, name)
                current_tag = tag_for_keyword(current)
                # An absent element gives a plain AttributeError, no warning:
                # hasattr() and getattr(ds, name, default) stay silent.
                if current_tag is None or current_tag in self._dict:
                    warn_legacy_name(name, current)
                    return getattr(self, current)
        if name == "_dict":  # during unpickling, before __dict__ is filled
            return _ElementStore()
        if tag is not None:
            # An absent element: the error normal lookup gives (pydicom's),
            # raised here since the keyword's class attribute
            # (_store.KeywordValue) would send normal lookup back here
            raise AttributeError(f"'{type(self).__name__}' object has no attribute '{name}'")
        return object.__getattribute__(self, name)

    def __setattr__(self, name: str, value: Any) -> None:
        if name.startswith("is_") or name.islower():
            if name == "file_meta":
                self._set_file_meta(value)
            else:
                object.__setattr__(self, name, value)
            return
        tag = tag_for_keyword(name)
        if tag is None and not config._use_future:
            current = _legacy_name(name)
            if current is not None and current not in LEGACY_METHODS.values():
                tag = tag_for_keyword(current)
                if tag is None:  # an old attribute name such as isLittleEndian
                    warn_legacy_name(name, current)
                    setattr(self, current, value)
                    return
                # An old keyword is not a keyword, so pydicom's rule for
                # unknown camel-case names decides; but what is set is the
                # element it named, not a plain attribute that would silently
                # leave the element (and so the file written) unchanged.
                message = (
                    f"Camel case attribute '{name}' used which is not in the "
                    f"element keyword data dictionary: it is the pydicom 0.9 "
                    f"name of '{current}'"
                )
                if config.INVALID_KEYWORD_BEHAVIOR == "RAISE":
                    raise ValueError(f"{message}, use '{current}'")
                if config.INVALID_KEYWORD_BEHAVIOR == "WARN":
                    _warn(f"{message}, which was set instead")
        if tag is not None:
            if tag not in self._dict:
                elem = DataElement(tag, dictionary_VR(tag), value)
            else:
                elem = self[tag]
                elem.value = value
            self[tag] = elem
        elif repeater_has_keyword(name):
            raise ValueError(
                f"'{name}' is a DICOM repeating group element and must be "
                "added using the add() or add_new() methods."
            )
        else:
            if _RE_CAMEL_CASE.match(name):
                message = (
                    f"Camel case attribute '{name}' used which is not in the "
                    "element keyword data dictionary"
                )
                if config.INVALID_KEYWORD_BEHAVIOR == "WARN":
                    _warn(message)
                elif config.INVALID_KEYWORD_BEHAVIOR == "RAISE":
                    raise ValueError(message)
            object.__setattr__(self, name, value)

    def __delattr__(self, name: str) -> None:
        tag = tag_for_keyword(name)
        if tag is None and name not in self.__dict__ and not config._use_future:
            current = _legacy_name(name)
            if current is not None and current not in LEGACY_METHODS.values():
                tag = tag_for_keyword(current)
                if tag is not None and tag in self._dict:
                    warn_legacy_name(name, current)
        if tag is not None and tag in self._dict:
            del self._dict[tag]
            if tag in PIXEL_KEYWORDS:
                self._pixel_array = None
                self._pixel_id = {}
        elif name in self.__dict__:
            del self.__dict__[name]
        else:
            raise AttributeError(name)

    def __setitem__(self, key: Any, elem: Any) -> None:
        if isinstance(key, slice):
            raise NotImplementedError("Slicing is not supported when setting Dataset items")
        try:
            key = Tag(key)
        except Exception as exc:
            raise ValueError(f"Unable to convert the key '{key}' to an element tag") from exc
        if not isinstance(elem, (DataElement, RawDataElement)):
            raise TypeError("Dataset items must be 'DataElement' instances")
        elem_tag = elem.tag if isinstance(elem.tag, BaseTag) else Tag(elem.tag)
        if key != elem_tag:
            raise ValueError(f"The key '{key}' doesn't match the 'DataElement' tag '{elem_tag}'")
        if elem_tag.is_private:
            creator_tag = Tag(elem_tag.group, elem_tag.element >> 8)
            if creator_tag in self._dict and elem_tag != creator_tag:
                if isinstance(elem, RawDataElement):
                    elem = element_from_raw(elem, self, self._character_set)
                elem.private_creator = self[creator_tag].value
        if elem_tag in PIXEL_KEYWORDS:
            self._pixel_array = None
            self._pixel_id = {}
        self._dict[elem_tag] = elem
        if isinstance(elem, DataElement) and elem.VR == "SQ":
            Sequence = _SEQUENCE_CLASS or _sequence_class()
            if not isinstance(elem.value, Sequence):
                elem.value = Sequence(elem.value)
            self._set_pixel_representation(elem)

    def _set_pixel_representation(self, elem: DataElement) -> None:
        pixel_rep = self._pixel_rep_for_items()
        if pixel_rep is not None:
            self._pixel_rep = pixel_rep
        if elem.VR != "SQ":
            return
        for item in elem.value:
            own = item._dict.get(_PIXREP_TAG)
            if own is not None and own.value is not None:
                value = own.value
                item._pixel_rep = int(b"\x01" in value) if isinstance(value, bytes) else value
            elif pixel_rep is not None:
                item._pixel_rep = pixel_rep

    def __delitem__(self, key: Any) -> None:
        if isinstance(key, slice):
            tags = self._slice_dataset(key.start, key.stop, key.step)
        else:
            tags = [key if isinstance(key, BaseTag) else Tag(key)]
        for tag in tags:
            del self._dict[tag]
            if self._private_blocks and BaseTag(tag).is_private_creator:
                self._private_blocks = {}
            if tag in PIXEL_KEYWORDS:
                self._pixel_array = None
                self._pixel_id = {}

    def __contains__(self, name: Any) -> bool:
        try:
            return Tag(name) in self._dict
        except Exception as exc:
            if isinstance(name, str) and not config._use_future:
                current = _legacy_name(name)
                current_tag = tag_for_keyword(current) if current is not None else None
                if current is not None and current_tag is not None:
                    warn_legacy_name(name, current)
                    return current_tag in self._dict
            message = (
                f"Invalid value '{name}' used with the 'in' operator: must be "
                "an element tag as a 2-tuple or int, or an element keyword"
            )
            if isinstance(exc, OverflowError):
                message = (
                    "Invalid element tag value used with the 'in' operator: "
                    "tags have a maximum value of (0xFFFF, 0xFFFF)"
                )
            if config.INVALID_KEY_BEHAVIOR == "WARN":
                _warn(message)
            elif config.INVALID_KEY_BEHAVIOR == "RAISE":
                raise ValueError(message) from exc
        return False

    def get(self, key: Any, default: Any = None) -> Any:
        """The value for a keyword, or the element for a tag; else `default`.

        Parameters
        ----------
        key : str, int or tuple
            A keyword returns the element's value; a tag returns the element.
        default : Any
        """
        if isinstance(key, str):
            try:
                return getattr(self, key)
            except AttributeError:
                return default
        try:
            key = Tag(key)
        except Exception as exc:
            raise TypeError("Dataset.get key must be a string or tag") from exc
        try:
            return self.__getitem__(key)
        except KeyError:
            return default

    def items(self) -> Any:
        """The (tag, element) pairs, elements possibly raw."""
        return self._dict.items()

    def keys(self) -> Any:
        """The tags, in tag order."""
        return self._dict.keys()

    def values(self) -> Any:
        """The elements, possibly raw, in tag order."""
        return self._dict.values()

    def __iter__(self) -> Iterator[DataElement]:
        for tag in self._sorted_tags():
            yield self[BaseTag(tag)]

    def _sorted_tags(self) -> list[int]:
        store = self._dict
        if isinstance(store, _ElementStore):
            return store.sorted_tags()
        return sorted(store.keys())

    def elements(self) -> Iterator[Any]:
        """Yield the top-level elements, raw ones left unconverted.

        Yields
        ------
        DataElement or RawDataElement
        """
        for tag in self._sorted_tags():
            yield self.get_item(tag)

    def __len__(self) -> int:
        return len(self._dict)

    def __bool__(self) -> bool:
        return len(self._dict) > 0

    def __eq__(self, other: Any) -> bool:
        if other is self:
            return True
        if isinstance(other, self.__class__):
            return _dict_equal(self, other)
        return NotImplemented

    def __ne__(self, other: Any) -> bool:
        return not self == other

    __hash__ = None  # type: ignore[assignment]

    def clear(self) -> None:
        """Remove every element."""
        self._dict.clear()

    def pop(self, key: Any, *args: Any) -> Any:
        """Remove the element for `key` and return it (or the default).

        Parameters
        ----------
        key : tag or keyword
        *args
            An optional default.
        """
        try:
            key = Tag(key)
        except Exception:
            pass
        return self._dict.pop(key, *args)

    def popitem(self) -> tuple[BaseTag, Any]:
        """Remove and return the last (tag, element) pair inserted, as
        ``dict.popitem()`` on pydicom's element dict does."""
        tags = list(self._dict.keys())
        if not tags:
            raise KeyError("popitem(): dictionary is empty")
        tag = BaseTag(tags[-1])
        return tag, self._dict.pop(tag)

    def setdefault(self, key: Any, default: Any = None) -> DataElement:
        """The element for `key`, adding it with `default` when absent.

        Parameters
        ----------
        key : tag or keyword
        default : DataElement or value
        """
        tag = Tag(key)
        if tag in self:
            return self[tag]
        if not isinstance(default, DataElement):
            if tag.is_private:
                vr = "UN"
            else:
                try:
                    vr = dictionary_VR(tag)
                except KeyError:
                    if config.settings.writing_validation_mode == config.RAISE:
                        raise KeyError(f"Unknown DICOM tag {tag}") from None
                    vr = "UN"
                    _warn(f"Unknown DICOM tag {tag} - setting VR to 'UN'")
            default = DataElement(tag, vr, default)
        self[key] = default
        return default

    def update(self, d: Any) -> None:
        """Add or replace elements from a dict of keyword/tag → value/element.

        Parameters
        ----------
        d : dict or Dataset
        """
        for key, value in list(d.items()):
            if isinstance(key, str):
                setattr(self, key, value)
            else:
                self[Tag(key)] = value

    def add(self, data_element: DataElement) -> None:
        """Add `data_element`, replacing any element with its tag.

        Parameters
        ----------
        data_element : DataElement
        """
        self[data_element.tag] = data_element

    def add_new(self, tag: TagType, VR: str, value: Any) -> None:
        """Add a new element made from `tag`, `VR` and `value`.

        Parameters
        ----------
        tag : tag
        VR : str
        value : Any
        """
        self.add(DataElement(tag, VR, value))

    def add_new_private(
        self,
        private_creator: str,
        group: int,
        element_offset: int,
        value: Any,
        vr: str | None = None,
    ) -> None:
        """Add a private element in the block of `private_creator`.

        Parameters
        ----------
        private_creator : str
        group : int
            An odd group.
        element_offset : int
            The low byte of the element number.
        value : Any
        vr : str, optional
            Looked up in the private dictionary when not given.
        """
        block = self.private_block(group, private_creator, create=True)
        if vr is None:
            vr = get_private_entry((group, element_offset), private_creator)[0]
        block.add_new(element_offset, vr, value)

    def data_element(self, name: str) -> DataElement | None:
        """The element for keyword `name`, or None for an unknown keyword.

        Parameters
        ----------
        name : str
        """
        tag = tag_for_keyword(name)
        if tag is None:
            current = legacy_keyword_for(name)
            if current is not None:
                warn_legacy_name(name, current)
                tag = tag_for_keyword(current)
        if tag is not None:
            return self[tag]
        return None

    # -- private blocks ---------------------------------------------------
    def private_block(self, group: int, private_creator: str, create: bool = False) -> PrivateBlock:
        """The block reserved by `private_creator` in `group`.

        Parameters
        ----------
        group : int
            An odd group.
        private_creator : str
        create : bool
            Reserve a new block when the creator is absent.

        Returns
        -------
        PrivateBlock
        """
        key = (group, private_creator)
        if key in self._private_blocks:
            return self._private_blocks[key]
        if not private_creator:
            raise ValueError("Private creator must have a value")
        if group % 2 == 0:
            raise ValueError("Tag must be private if private creator is given")
        for elem in self[(group, 0x10):(group, 0x100)]:
            if elem.value == private_creator:
                block = self._private_block_cache()[key] = PrivateBlock(key, self, elem.tag.element)
                return block
        if not create:
            raise KeyError(f"Private creator '{private_creator}' not found")
        free = next(el for el in range(0x10, 0x100) if Tag(group, el) not in self._dict)
        self.add_new(Tag(group, free), "LO", private_creator)
        block = self._private_block_cache()[key] = PrivateBlock(key, self, free)
        return block

    def _private_block_cache(self) -> dict:
        """This dataset's own cache of private blocks, made on first use."""
        blocks = self.__dict__.get("_private_blocks")
        if blocks is None:
            # setdefault: threads making the first block at once share one cache
            blocks = self.__dict__.setdefault("_private_blocks", {})
        return blocks

    def private_creators(self, group: int) -> list[str]:
        """The private creator names in `group`.

        Parameters
        ----------
        group : int
            An odd group.
        """
        if group % 2 == 0:
            raise ValueError("Group must be an odd number")
        return [elem.value for elem in self[(group, 0x10):(group, 0x100)]]

    def get_private_item(self, group: int, element_offset: int, private_creator: str) -> DataElement:
        """The element at `element_offset` in the block of `private_creator`.

        Parameters
        ----------
        group : int
        element_offset : int
        private_creator : str
        """
        block = self.private_block(group, private_creator)
        return self.__getitem__(block.get_tag(element_offset))

    def remove_private_tags(self) -> None:
        """Delete every private element, at every nesting level."""

        def remove(dataset: "Dataset", elem: DataElement) -> None:
            if elem.tag.is_private:
                del dataset[elem.tag]

        self.walk(remove)

    # -- slices, groups, traversal ----------------------------------------
    def _slice_dataset(self, start: Any, stop: Any, step: int | None) -> list[BaseTag]:
        if start is not None:
            start = Tag(start)
        if stop is not None:
            stop = Tag(stop)
        all_tags = [BaseTag(t) for t in self._sorted_tags()]
        if not all_tags:
            return []
        if start is None:
            if stop is None:
                return all_tags if step in (None, 1) else all_tags[::step]
            head = list(takewhile(lambda x: x < stop, all_tags))
            return head if step in (None, 1) else head[::step]
        i_start = bisect_left(all_tags, start)
        if stop is None:
            return all_tags[i_start::step]
        return all_tags[i_start : bisect_left(all_tags, stop) : step]

    def _dataset_slice(self, slce: slice) -> "Dataset":
        tags = self._slice_dataset(slce.start, slce.stop, slce.step)
        ds = Dataset({tag: self.get_item(tag) for tag in tags})
        is_implicit, is_little = self.original_encoding
        ds.set_original_encoding(is_implicit, is_little, self.original_character_set)
        if not config._use_future:
            ds._is_little_endian = self.__dict__.get("_is_little_endian")
            ds._is_implicit_VR = self.__dict__.get("_is_implicit_VR")
        store = self._dict
        if isinstance(store, _ElementStore):
            ds._dict._source = store._source
        return ds

    def group_dataset(self, group: int) -> "Dataset":
        """A dataset of the elements in `group`.

        Parameters
        ----------
        group : int
        """
        return self[(group, 0x0000) : (group + 1, 0x0000)]

    def iterall(self) -> Iterator[DataElement]:
        """Yield every element, depth first into sequence items."""
        for elem in self:
            yield elem
            if elem.VR == "SQ":
                for item in elem.value:
                    yield from item.iterall()

    def walk(self, callback: Callable[["Dataset", DataElement], None], recursive: bool = True) -> None:
        """Call ``callback(dataset, element)`` for every element.

        Parameters
        ----------
        callback : callable
            May delete the element it is given.
        recursive : bool
            Descend into sequence items.
        """
        for tag in self._sorted_tags():
            tag = BaseTag(tag)
            with tag_in_exception(tag):
                elem = self[tag]
                callback(self, elem)
                if recursive and tag in self and elem.VR == "SQ":
                    for item in elem.value:
                        item.walk(callback)

    def decode(self) -> None:
        """Decode every text value with the dataset's character set."""
        from fastdicom.charset import decode_element

        charset = self._character_set

        def decode(ds: "Dataset", elem: DataElement) -> None:
            if elem.VR == "SQ":
                for item in elem.value:
                    item._parent_encoding = charset
                    item.decode()
            else:
                decode_element(elem, charset)

        self.walk(decode, recursive=False)

    def dir(self, *filters: str) -> list[str]:
        """Sorted keywords of the elements present, optionally filtered.

        Parameters
        ----------
        *filters : str
            Case-insensitive substrings; a keyword matching any is kept.
        """
        names = [keyword_for_tag(tag) for tag in self._sorted_tags()]
        names = [name for name in names if name]
        if not filters:
            return sorted(names)
        matches = {name for f in filters for name in names if f.lower() in name.lower()}
        return sorted(matches)

    def __dir__(self) -> list[str]:
        # The keywords' class attributes (_KEYWORD_ATTRIBUTES) are not
        # attributes of a dataset that lacks the element
        names = set(super().__dir__()) - _KEYWORD_ATTRIBUTES
        return sorted(names | set(self.dir()))

    def trait_names(self) -> list[str]:
        """The names for IPython's completion."""
        return dir(self)

    # -- encoding ---------------------------------------------------------
    @property
    def _character_set(self) -> Any:
        if _CHARSET_TAG not in self._dict:  # the common case, without making a Tag
            return self._parent_encoding
        elem = self.get(BaseTag(_CHARSET_TAG), None)
        if not elem:
            return self._parent_encoding
        return convert_encodings(elem.value)

    @property
    def original_character_set(self) -> Any:
        """The character set of the data the dataset was read from."""
        return self._read_charset

    def _no_future_attribute(self, name: str) -> None:
        """Raise as pydicom 4 will for `name`, which future behaviour removes."""
        if config._use_future:
            raise AttributeError(f"'{type(self).__name__}' object has no attribute '{name}'")

    @property
    def is_implicit_VR(self) -> bool | None:
        """bool or None: The VR encoding read (deprecated in pydicom 3)."""
        self._no_future_attribute("is_implicit_VR")
        return self._is_implicit_VR

    @is_implicit_VR.setter
    def is_implicit_VR(self, value: bool | None) -> None:
        self._no_future_attribute("is_implicit_VR")
        name = type(self).__name__
        _warn(
            f"'{name}.is_implicit_VR' will be removed in v4.0, set the "
            "Transfer Syntax UID or use the 'implicit_vr' argument with "
            f"{name}.save_as() or dcmwrite() instead",
            DeprecationWarning,
        )
        self._is_implicit_VR = value

    @property
    def is_little_endian(self) -> bool | None:
        """bool or None: The byte order read (deprecated in pydicom 3)."""
        self._no_future_attribute("is_little_endian")
        return self._is_little_endian

    @is_little_endian.setter
    def is_little_endian(self, value: bool | None) -> None:
        self._no_future_attribute("is_little_endian")
        name = type(self).__name__
        _warn(
            f"'{name}.is_little_endian' will be removed in v4.0, set the "
            "Transfer Syntax UID or use the 'little_endian' argument with "
            f"{name}.save_as() or dcmwrite() instead",
            DeprecationWarning,
        )
        self._is_little_endian = value

    @property
    def read_implicit_vr(self) -> bool | None:
        """bool or None: Whether the source was implicit VR (deprecated in
        pydicom 3, use :attr:`original_encoding`)."""
        self._no_future_attribute("read_implicit_vr")
        name = type(self).__name__
        _warn(
            f"'{name}.read_implicit_vr' will be removed in v4.0, use "
            f"'{name}.original_encoding[0]' instead",
            DeprecationWarning,
        )
        return self._read_implicit

    @property
    def read_little_endian(self) -> bool | None:
        """bool or None: Whether the source was little endian (deprecated in
        pydicom 3, use :attr:`original_encoding`)."""
        self._no_future_attribute("read_little_endian")
        name = type(self).__name__
        _warn(
            f"'{name}.read_little_endian' will be removed in v4.0, use "
            f"'{name}.original_encoding[1]' instead",
            DeprecationWarning,
        )
        return self._read_little

    @property
    def read_encoding(self) -> Any:
        """The character set read (deprecated in pydicom 3, use
        :attr:`original_character_set`)."""
        self._warn_read_encoding()
        return self._read_charset

    @read_encoding.setter
    def read_encoding(self, value: Any) -> None:
        self._warn_read_encoding()
        self._read_charset = value

    def _warn_read_encoding(self) -> None:
        self._no_future_attribute("read_encoding")
        name = type(self).__name__
        _warn(
            f"'{name}.read_encoding' will be removed in v4.0, use "
            f"'{name}.original_character_set' instead",
            DeprecationWarning,
        )

    @property
    def original_encoding(self) -> tuple[bool, bool] | tuple[None, None]:
        """(implicit VR, little endian) of the source, or (None, None)."""
        if self._read_implicit is None or self._read_little is None:
            return None, None
        return self._read_implicit, self._read_little

    def set_original_encoding(
        self,
        is_implicit_vr: bool | None,
        is_little_endian: bool | None,
        character_encoding: Any = None,
    ) -> None:
        """Record the encoding the dataset was read with.

        Parameters
        ----------
        is_implicit_vr : bool or None
        is_little_endian : bool or None
        character_encoding : str or list of str, optional
        """
        self._read_implicit = is_implicit_vr
        self._read_little = is_little_endian
        if character_encoding is not None:
            self._read_charset = character_encoding

    @property
    def is_original_encoding(self) -> bool:
        """bool: Whether the current encoding is the one read."""
        if config._use_future:
            # Without a current VR encoding only the character set can differ
            return self._read_charset == self._character_set
        return (
            self._is_implicit_VR is not None
            and self._is_little_endian is not None
            and self._read_implicit == self._is_implicit_VR
            and self._read_little == self._is_little_endian
            and self._read_charset == self._character_set
        )

    def _set_file_meta(self, value: Any) -> None:
        if value is None:
            self.__dict__["file_meta"] = value
            return
        if not isinstance(value, Dataset):
            raise TypeError(f"'{self.__class__.__name__}.file_meta' must be a 'FileMetaDataset' instance")
        if not isinstance(value, FileMetaDataset):
            value = FileMetaDataset(value)
        self.__dict__["file_meta"] = value

    def ensure_file_meta(self) -> None:
        """Give the dataset an empty File Meta dataset if it has none."""
        if getattr(self, "file_meta", None) is None:
            self.file_meta = FileMetaDataset()

    # -- copies and pickling ----------------------------------------------
    def copy(self) -> "Dataset":
        """A shallow copy (sharing the elements)."""
        return copy.copy(self)

    def __getstate__(self) -> dict[str, Any]:
        return dict(self.__dict__)

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__dict__.update(state)

    # -- printing ---------------------------------------------------------
    def _pretty_str(self, indent: int = 0, top_level_only: bool = False, max_depth: int | None = None) -> str:
        # max_depth: sequence items shown to that nesting level (0: as top_level_only)
        if max_depth is not None and max_depth <= 0:
            top_level_only = True
        strings = []
        indent_str = self.indent_chars * indent
        next_indent = self.indent_chars * (indent + 1)
        file_meta = self.__dict__.get("file_meta")
        if file_meta and config.show_file_meta:
            strings.append(f"{'Dataset.file_meta ':-<49}")
            for elem in file_meta:
                with tag_in_exception(elem.tag):
                    strings.append(indent_str + repr(elem))
            strings.append(f"{'':-<49}")
        for elem in self:
            with tag_in_exception(elem.tag):
                if elem.VR == "SQ":
                    strings.append(
                        f"{indent_str}{elem.tag}  {elem.name}  {len(elem.value)} item(s) ---- "
                    )
                    if not top_level_only:
                        deeper = None if max_depth is None else max_depth - 1
                        for item in elem.value:
                            strings.append(item._pretty_str(indent + 1, max_depth=deeper))
                            strings.append(next_indent + "---------")
                else:
                    strings.append(indent_str + repr(elem))
        return "\n".join(strings)

    def __str__(self) -> str:
        return self._pretty_str()

    def __repr__(self) -> str:
        return self._pretty_str()

    def top(self) -> str:
        """The top-level elements as text, without sequence items."""
        return self._pretty_str(top_level_only=True)

    def formatted_lines(
        self,
        element_format: str = default_element_format,
        sequence_element_format: str = default_sequence_element_format,
        indent_format: str | None = None,
    ) -> Iterator[str]:
        """Yield one formatted line per element, depth first.

        Parameters
        ----------
        element_format : str
            A %-format with element attribute names (tag, name, VR, repval,
            value, keyword, VM, ...).
        sequence_element_format : str
            The format for SQ elements.
        indent_format : str, optional
            Unused, as in pydicom.
        """
        exclusion = ("from_json", "to_json", "to_json_dict", "clear", "description", "validate")
        for elem in self.iterall():
            attrs = {}
            for attr in dir(elem):
                if attr.startswith("_") or attr in exclusion:
                    continue
                value = getattr(elem, attr)
                attrs[attr] = value() if callable(value) else value
            if elem.VR == "SQ":
                yield sequence_element_format % attrs
            else:
                yield element_format % attrs

    def __enter__(self) -> "Dataset":
        return self

    def __exit__(self, *exc_info: Any) -> None:
        return None

    def __array__(self, dtype: Any = None, copy: Any = None) -> Any:
        """A 0-d object array, so that ``numpy.array([ds, ...])`` holds datasets.

        Without it numpy would take a dataset for a sequence of elements.
        """
        import numpy  # optional dependency: only when numpy asks

        arr = numpy.empty((), dtype=object)
        arr[()] = self._dict  # the element mapping, as pydicom's dict
        return arr

    # -- writing and pixel data -------------------------------------------
    # The work lives in fastdicom.filewriter and fastdicom.pixels; these
    # methods only give it pydicom's names on the dataset, through the one
    # table of front doors (fastdicom._front_doors).
    def save_as(self, filename: Any, /, *args: Any, **kwargs: Any) -> None:
        """Write the dataset to `filename`, as :func:`~fastdicom.filewriter.dcmwrite`.

        Parameters
        ----------
        filename : str, PathLike or binary file-like
        *args, **kwargs
            As pydicom 3's ``Dataset.save_as`` (``implicit_vr``,
            ``little_endian``, ``enforce_file_format``, ``overwrite``, and the
            legacy ``write_like_original``).
        """
        front_door("Dataset.save_as")(self, filename, *args, **kwargs)

    @property
    def pixel_array(self) -> Any:
        """numpy.ndarray: The pixel data as an array, as pydicom 3 gives it."""
        return front_door("Dataset.pixel_array")(self)

    def pixel_array_options(self, **kwargs: Any) -> None:
        """Set how :attr:`pixel_array` decodes (pydicom 3's options)."""
        if config._use_future and kwargs.get("use_v2_backend"):
            raise TypeError(
                f"{type(self).__name__}.pixel_array_options() got an unexpected "
                "keyword argument 'use_v2_backend'"
            )

        front_door("Dataset.pixel_array_options")(self, **kwargs)

    def convert_pixel_data(self, handler_name: str = "") -> None:
        """Decode the pixel data now and keep the array (pydicom's method)."""
        self._no_future_attribute("convert_pixel_data")  # deprecated in pydicom 3

        front_door("Dataset.convert_pixel_data")(self, handler_name)

    def compress(self, transfer_syntax_uid: str, arr: Any = None, **kwargs: Any) -> None:
        """Compress the pixel data to `transfer_syntax_uid` (pydicom 3's method)."""
        front_door("Dataset.compress")(self, transfer_syntax_uid, arr, **kwargs)

    def decompress(self, handler_name: str = "", **kwargs: Any) -> None:
        """Decompress the pixel data to Explicit VR Little Endian (pydicom 3's method).

        `handler_name` is pydicom's deprecated name for ``decoding_plugin``.
        """
        if config._use_future and kwargs.get("handler_name", handler_name):
            raise TypeError(
                f"{type(self).__name__}.decompress() got an unexpected "
                "keyword argument 'handler_name'"
            )
        handler_name = kwargs.pop("handler_name", handler_name)
        if handler_name and not kwargs.get("decoding_plugin"):
            kwargs["decoding_plugin"] = handler_name

        front_door("Dataset.decompress")(self, **kwargs)

    def set_pixel_data(
        self, arr: Any, photometric_interpretation: str, bits_stored: int, **kwargs: Any
    ) -> None:
        """Replace the pixel data with `arr` and update the Image Pixel module."""
        front_door("Dataset.set_pixel_data")(self, arr, photometric_interpretation, bits_stored, **kwargs)

    def overlay_array(self, group: int) -> Any:
        """numpy.ndarray: The overlay plane of repeating group `group`."""
        return front_door("Dataset.overlay_array")(self, group)

    def waveform_array(self, index: int) -> Any:
        """numpy.ndarray: The waveform of the item `index` of Waveform Sequence."""
        return front_door("Dataset.waveform_array")(self, index)

    # -- JSON -------------------------------------------------------------
    # The DICOM JSON Model (PS3.18 Annex F) lives in fastdicom.jsonrep.
    @classmethod
    def from_json(
        cls,
        json_dataset: dict[str, Any] | str | bytes | bytearray,
        bulk_data_uri_handler: Callable[..., Any] | None = None,
    ) -> "Dataset":
        """The dataset for a DICOM JSON Model object, or its JSON text.

        Parameters
        ----------
        json_dataset : dict, str, bytes or bytearray
        bulk_data_uri_handler : callable, optional
            Takes ``(tag, vr, uri)`` or ``uri`` and returns the value behind a
            "BulkDataURI"; without one those elements are empty.
        """
        return front_door("Dataset.from_json")(cls, json_dataset, bulk_data_uri_handler)

    def to_json_dict(
        self,
        bulk_data_threshold: int = 1024,
        bulk_data_element_handler: Callable[[DataElement], str] | None = None,
        suppress_invalid_tags: bool = False,
    ) -> dict[str, Any]:
        """The dataset as a DICOM JSON Model dict (File Meta not included).

        Parameters
        ----------
        bulk_data_threshold : int
            Base64 length above which a binary value is given to
            `bulk_data_element_handler` (only used with a handler).
        bulk_data_element_handler : callable, optional
            Takes a binary element and returns its "BulkDataURI".
        suppress_invalid_tags : bool
            Leave out, with a logged warning, the elements that fail.
        """
        return front_door("Dataset.to_json_dict")(
            self, bulk_data_threshold, bulk_data_element_handler, suppress_invalid_tags
        )

    def to_json(
        self,
        bulk_data_threshold: int = 1024,
        bulk_data_element_handler: Callable[[DataElement], str] | None = None,
        dump_handler: Callable[[dict[str, Any]], str] | None = None,
        suppress_invalid_tags: bool = False,
    ) -> str:
        """The dataset as DICOM JSON text; `dump_handler` (default
        ``json.dumps`` with sorted keys) serializes :meth:`to_json_dict`."""
        return front_door("Dataset.to_json")(
            self,
            bulk_data_threshold,
            bulk_data_element_handler,
            dump_handler,
            suppress_invalid_tags,
        )


def _dict_equal(a: Dataset, b: Any, exclude: list[str] | None = None) -> bool:
    return (
        len(a) == len(b)
        and all(key in b for key in a.keys())
        and all(a[key] == b[key] for key in a.keys() if exclude is None or key not in exclude)
    )


class FileDataset(Dataset):
    """A dataset read from a file or buffer, with its preamble and File Meta.

    Parameters
    ----------
    filename_or_obj : str, PathLike, file-like or buffer
        Where the data came from.
    dataset : Dataset or dict
        The elements.
    preamble : bytes, optional
        The 128-byte preamble.
    file_meta : FileMetaDataset, optional
    is_implicit_VR : bool
    is_little_endian : bool

    Attributes
    ----------
    filename : str or None
    buffer : object or None
        The buffer-like the data was read from, when not a file.
    fileobj_type : type
    timestamp : float or None
        The file's modification time when read.
    """

    def __init__(
        self,
        filename_or_obj: Any,
        dataset: Any,
        preamble: bytes | None = None,
        file_meta: "FileMetaDataset | None" = None,
        is_implicit_VR: bool = True,
        is_little_endian: bool = True,
    ) -> None:
        Dataset.__init__(self, dataset)
        if isinstance(dataset, Dataset):
            self.__dict__["_parent_encoding"] = dataset._parent_encoding
        self.file_meta = file_meta if file_meta is not None else FileMetaDataset()
        self._set_source(filename_or_obj)
        self.__dict__.update(
            preamble=preamble, _read_implicit=is_implicit_VR, _read_little=is_little_endian
        )
        if not config._use_future:
            self.__dict__.update(_is_implicit_VR=is_implicit_VR, _is_little_endian=is_little_endian)

    def _set_source(self, filename_or_obj: Any, mtime: float | None = None) -> None:
        """Record where the data came from: filename, buffer, type, mtime."""
        if type(filename_or_obj) is str and mtime is not None:  # what dcmread(path) gives
            attributes = self.__dict__  # item by item: no keyword dict per file read
            attributes["fileobj_type"] = open
            attributes["filename"] = filename_or_obj
            attributes["buffer"] = None
            attributes["timestamp"] = mtime
            return
        filename = buffer = None
        fileobj_type: Any = None
        if not isinstance(filename_or_obj, (str, bytes)) and isinstance(filename_or_obj, os.PathLike):
            filename_or_obj = os.fspath(filename_or_obj)
        if isinstance(filename_or_obj, str):
            filename, fileobj_type = filename_or_obj, open
        elif isinstance(filename_or_obj, io.BufferedReader):
            filename, fileobj_type = filename_or_obj.name, open
        else:
            buffer, fileobj_type = filename_or_obj, type(filename_or_obj)
            name = getattr(filename_or_obj, "name", None) or getattr(filename_or_obj, "filename", None)
            if isinstance(name, str) and name:
                filename = name
        timestamp = mtime
        if timestamp is None and isinstance(filename, str):
            try:
                timestamp = os.stat(filename).st_mtime
            except OSError:
                pass
        self.__dict__.update(
            fileobj_type=fileobj_type, filename=filename, buffer=buffer, timestamp=timestamp
        )

    def __deepcopy__(self, memo: dict[int, Any]) -> "FileDataset":
        result = self.__class__.__new__(self.__class__)
        memo[id(self)] = result
        for key, value in self.__dict__.items():
            if key == "buffer":
                try:
                    value = copy.deepcopy(value, memo)
                except Exception as exc:
                    _warn(
                        f"The {type(exc).__name__} exception '{exc}' occurred "
                        "trying to deepcopy the buffer-like the dataset was read "
                        "from, the 'buffer' attribute will be set to 'None' in the "
                        "copied object"
                    )
                    value = None
                result.__dict__[key] = value
            else:
                result.__dict__[key] = copy.deepcopy(value, memo)
        return result


def validate_file_meta(file_meta: "FileMetaDataset", enforce_standard: bool = True) -> None:
    """Check that `file_meta` holds the File Meta elements PS3.10 §7.1 requires.

    Parameters
    ----------
    file_meta : FileMetaDataset
    enforce_standard : bool
        Add the version and implementation elements when missing, and
        raise when a required element is missing or empty.
    """
    # A plain Dataset is accepted (as pydicom does, for older code), so the
    # group is checked here as well as by FileMetaDataset.
    for tag in file_meta.keys():
        if tag >> 16 != 0x0002:
            raise ValueError(
                "Only File Meta Information group (0002,eeee) elements may be "
                "present in 'file_meta'."
            )
    if enforce_standard:
        if "FileMetaInformationVersion" not in file_meta or file_meta[0x00020001].is_empty:
            file_meta.FileMetaInformationVersion = b"\x00\x01"
        if "ImplementationClassUID" not in file_meta or file_meta[0x00020012].is_empty:
            # PS3.7 §D.3.3.2: the UID names the implementation that writes
            # the file, so fastdicom's own rather than pydicom's
            file_meta.ImplementationClassUID = FASTDICOM_IMPLEMENTATION_UID
        if "ImplementationVersionName" not in file_meta:
            file_meta.ImplementationVersionName = f"FASTDICOM {__version__}"[:16]
        invalid = [
            f"{Tag(tag)} {dictionary_description(tag)}"
            for tag in (0x00020002, 0x00020003, 0x00020010)
            if tag not in file_meta or file_meta[tag].is_empty
        ]
        if invalid:
            raise AttributeError(
                "Required File Meta Information elements are either missing "
                f"or have an empty value: {', '.join(invalid)}"
            )


class FileMetaDataset(Dataset):
    """The File Meta Information group (0002,eeee) of a DICOM file."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        elements = args[0] if args else None
        # Checked first: a wrong type should say so, not fail inside Dataset
        FileMetaDataset.validate(elements)
        super().__init__(*(args if elements is not None else ()), **kwargs)
        # PS3.10 §7.1: the File Meta group is always explicit VR little endian
        self.__dict__.update(_read_implicit=False, _read_little=True)
        if not config._use_future:
            self.__dict__.update(_is_implicit_VR=False, _is_little_endian=True)

    @staticmethod
    def validate(init_value: Any) -> None:
        """Raise ValueError unless every element of `init_value` is in group 2.

        Parameters
        ----------
        init_value : dict or Dataset
        """
        if init_value is None:
            return
        if isinstance(init_value, (Dataset, _ElementStore)):
            tags = init_value.keys()
        elif isinstance(init_value, dict):
            tags = init_value.keys()
        else:
            raise TypeError("Argument must be a dict or a Dataset, not {}".format(type(init_value)))
        non_group2 = [str(Tag(tag)) for tag in tags if Tag(tag).group != 2]
        if non_group2:
            raise ValueError(
                "File meta datasets may only contain group 2 elements but the "
                f"following elements are present: {', '.join(non_group2)}"
            )

    def __setitem__(self, key: Any, value: Any) -> None:
        tag = value.tag if isinstance(value.tag, BaseTag) else Tag(value.tag)
        if tag.group != 2:
            raise ValueError("Only group 2 data elements are allowed in a FileMetaDataset")
        super().__setitem__(key, value)

    @property
    def _tsyntax_encoding(self) -> tuple[bool, bool] | tuple[None, None]:
        tsyntax = self.get("TransferSyntaxUID")
        if not tsyntax or not getattr(tsyntax, "is_transfer_syntax", False):
            return None, None
        return tsyntax.is_implicit_VR, tsyntax.is_little_endian


# -- the compiled keyword path ----------------------------------------------
_store.bind_store(
    convert_record,
    DECLINED,
    DicomDictionary,
    CHARSET_VRS,
    hooks,
    _default_raw_element_vr,
    _default_raw_element_value,
    config,
    _CONVERT_RECORD_CAPSULE,
)


def _install_keyword_attributes() -> frozenset[str]:
    """Put one :class:`fastdicom._store.KeywordValue` on Dataset per
    dictionary keyword, so that ``ds.PatientName`` reads its value in
    compiled code (a failed normal lookup and a ``__getattr__`` call cost
    more than the value). Names the class already defines are left alone."""
    installed = []
    for keyword, tag in keyword_dict.items():
        if any(keyword in klass.__dict__ for klass in Dataset.__mro__):
            continue
        setattr(Dataset, keyword, _store.KeywordValue(tag, keyword))
        installed.append(keyword)
    return frozenset(installed)


_KEYWORD_ATTRIBUTES = _install_keyword_attributes()
_store.bind_sequences(
    _sequence_context,
    Dataset,
    _ElementStore,
    _finish_item,
    _store.check_truncation,
    _store.name_sequence,
    _item_template,
)
# Elements read by keyword are made in compiled code with these classes
# (fastdicom.sequence gives its class when imported, through
# _bind_sequence_class)
_store.bind_model(element_class=DataElement)

# What fastdicom.sequence takes from the store for a sequence read from
# data: item access that makes an item on first use, making every item
_sequence_getitem = _store.sequence_getitem
_sequence_items = _store.sequence_items


def _bind_sequence_class(sequence_class: type) -> None:
    """Give the compiled sequence maker its class (fastdicom.sequence)."""
    _store.bind_model(sequence_class=sequence_class)
