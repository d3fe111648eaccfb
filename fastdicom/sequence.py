"""The value of an SQ element: a list of :class:`~fastdicom.dataset.Dataset` items."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from fastdicom.dataset import (
    Dataset,
    _bind_sequence_class,
    _sequence_getitem,
    _sequence_items,
)
from fastdicom.multival import ConstrainedList

__all__ = ["Sequence"]


class Sequence(ConstrainedList[Dataset]):
    """A list that holds only :class:`~fastdicom.dataset.Dataset` items.

    Parameters
    ----------
    iterable : iterable of Dataset, optional
        The items.

    Attributes
    ----------
    is_undefined_length : bool
        True when the sequence was (or is to be) encoded with undefined length.
    """

    # A sequence read from data (made by fastdicom._store.on_demand_sequence)
    # has its items scanned when first reached: `_make_item(index)` makes
    # item `index`, None in `_items` marks one not made yet. len(seq) and
    # seq[i] cost nothing for the items not reached; any other use of the
    # list (slices, equality, editing, pickling) makes every item first.
    _make_item: Any = None
    _items: list[Dataset | None]

    def __init__(self, iterable: Iterable[Dataset] | None = None) -> None:
        # A Dataset is iterable: without this check it would be taken for
        # a list of items and fail with a less helpful message.
        if isinstance(iterable, Dataset):
            raise TypeError("The Sequence constructor requires an iterable")
        self.is_undefined_length: bool = False
        super().__init__(iterable)

    # Threads that reach an item first at the same time must get the same
    # Dataset (issue 12): the compiled item access stores the first item
    # made and gives it to every thread, without a lock.
    __getitem__ = _sequence_getitem

    @property
    def _list(self) -> list[Dataset]:
        if self._make_item is not None:
            return _sequence_items(self)
        return self._items  # type: ignore[return-value]  # every item made

    @_list.setter
    def _list(self, value: list[Dataset]) -> None:
        self._items = value  # type: ignore[assignment]  # the list itself, as pydicom keeps it
        self._make_item = None

    def __len__(self) -> int:
        return len(self._items)

    def __iter__(self) -> Iterator[Dataset]:
        if self._make_item is None:
            return iter(self._items)  # type: ignore[arg-type]  # every item made
        return (self[index] for index in range(len(self._items)))

    def __getstate__(self) -> dict[str, Any]:
        self._list  # make every item first: the maker holds the source buffer
        return dict(self.__dict__)

    def extend(self, val: Iterable[Dataset]) -> None:
        """Append every item of `val`.

        Parameters
        ----------
        val : iterable of Dataset
        """
        if isinstance(val, Dataset):
            raise TypeError("An iterable of 'Dataset' is required")
        super().extend(val)

    def __iadd__(self, other: Iterable[Dataset]) -> "Sequence":
        if isinstance(other, Dataset):
            raise TypeError("An iterable of 'Dataset' is required")
        return super().__iadd__(other)

    def __setitem__(self, index: slice | int, val: Any) -> None:
        if isinstance(index, slice) and isinstance(val, Dataset):
            raise TypeError("Can only assign an iterable of 'Dataset'")
        super().__setitem__(index, val)

    def __str__(self) -> str:
        return f"[{''.join(str(item) for item in self)}]"

    def __repr__(self) -> str:
        return f"<{self.__class__.__name__}, length {len(self)}>"

    @staticmethod
    def _validate(item: Any) -> Dataset:
        if isinstance(item, Dataset):
            return item
        raise TypeError("Sequence contents must be 'Dataset' instances.")


_bind_sequence_class(Sequence)
