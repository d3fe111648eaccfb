"""The value of an SQ element: a list of :class:`~fastdicom.dataset.Dataset` items."""

from __future__ import annotations

from collections.abc import Iterable
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

    def __init__(self, iterable: Iterable[Dataset] | None = None) -> None:
        # A Dataset is iterable: without this check it would be taken for
        # a list of items and fail with a less helpful message.
        if isinstance(iterable, Dataset):
            raise TypeError("The Sequence constructor requires an iterable")
        self.is_undefined_length: bool = False
        super().__init__(iterable)

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
