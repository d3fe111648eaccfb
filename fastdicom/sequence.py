"""The value of an SQ element: a list of :class:`~fastdicom.dataset.Dataset` items."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from fastdicom.dataset import Dataset
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

    _make_item: Any = None
    _lock: threading.Lock  # only in a sequence read from data (_on_demand)
    _items: list[Dataset | None]  # None: an item not made yet

    def __init__(self, iterable: Iterable[Dataset] | None = None) -> None:
        # A Dataset is iterable: without this check it would be taken for
        # a list of items and fail with a less helpful message.
        if isinstance(iterable, Dataset):
            raise TypeError("The Sequence constructor requires an iterable")
        self.is_undefined_length: bool = False
        super().__init__(iterable)

    @classmethod
    def _on_demand(cls, make_item: Callable[[int], Dataset], count: int) -> "Sequence":
        """A sequence read from data whose items are scanned when first reached.

        ``len(seq)`` and ``seq[i]`` cost nothing for the items not reached,
        so a program that reads one value per frame of a functional groups
        sequence pays only for the frames it reads. Any other use of the list
        (slices, equality, editing, pickling) makes every item first.

        Parameters
        ----------
        make_item : callable
            ``make_item(index)`` scans item `index` and returns its Dataset.
        count : int
            The number of items.
        """
        seq = cls.__new__(cls)
        seq.is_undefined_length = False
        seq._items = [None] * count
        seq._make_item = make_item
        # Threads that reach an item first at the same time must get the same
        # Dataset (issue 12): one lock per sequence read from data, so that
        # threads walking different sequences do not wait for each other.
        seq._lock = threading.Lock()
        return seq

    @property
    def _list(self) -> list[Dataset]:
        if self._make_item is not None:
            with self._lock:
                make_item = self._make_item
                if make_item is not None:  # not made meanwhile by another thread
                    items = self._items
                    for index, item in enumerate(items):
                        if item is None:
                            items[index] = make_item(index)
                    self._make_item = None
        return self._items  # type: ignore[return-value]  # every item made above

    @_list.setter
    def _list(self, value: list[Dataset]) -> None:
        self._items = value  # type: ignore[assignment]  # the list itself, as pydicom keeps it
        self._make_item = None

    def __len__(self) -> int:
        return len(self._items)

    def __getitem__(self, index: Any) -> Any:
        if self._make_item is not None and type(index) is int:
            item = self._items[index]
            if item is None:
                with self._lock:
                    item = self._items[index]
                    make_item = self._make_item
                    if item is None and make_item is not None:
                        item = self._items[index] = make_item(index % len(self._items))
                    elif item is None:  # every item was made meanwhile
                        item = self._items[index]
            return item
        return self._list[index]

    def __iter__(self) -> Iterator[Dataset]:
        if self._make_item is None:
            return iter(self._items)  # type: ignore[arg-type]  # every item made
        return (self[index] for index in range(len(self._items)))

    def __getstate__(self) -> dict[str, Any]:
        self._list  # make every item first: the maker holds the source buffer
        state = dict(self.__dict__)
        state.pop("_lock", None)
        return state

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

