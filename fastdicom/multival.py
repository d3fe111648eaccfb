"""Lists for multi-valued element values, as in ``pydicom.multival``."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, MutableSequence
from typing import Any, TypeVar, cast, overload

__all__ = ["ConstrainedList", "MultiValue"]

T = TypeVar("T")
Self = TypeVar("Self", bound="ConstrainedList")


class ConstrainedList(MutableSequence[T]):
    """A list that passes every item added through :meth:`_validate`.

    Subclasses define ``_validate``, which returns the item to store (e.g.
    converted to the required type) or raises.

    Parameters
    ----------
    iterable : iterable, optional
        The initial items.
    """

    def __init__(self, iterable: Iterable[T] | None = None) -> None:
        self._list: list[T] = []
        if iterable is not None:
            self._list = [self._validate(item) for item in iterable]

    def append(self, item: T) -> None:
        """Append `item` after validating it.

        Parameters
        ----------
        item : Any
        """
        self._list.append(self._validate(item))

    def __delitem__(self, index: slice | int) -> None:
        del self._list[index]

    def extend(self, val: Iterable[T]) -> None:
        """Append each item of `val` after validating it.

        Parameters
        ----------
        val : iterable

        Raises
        ------
        TypeError
            If `val` is not iterable.
        """
        if not hasattr(val, "__iter__"):
            raise TypeError("An iterable is required")
        self._list.extend([self._validate(item) for item in val])

    def __eq__(self, other: Any) -> Any:
        return self._list == other

    @overload
    def __getitem__(self, index: int) -> T: ...

    @overload
    def __getitem__(self, index: slice) -> MutableSequence[T]: ...

    def __getitem__(self, index: slice | int) -> MutableSequence[T] | T:
        # as in pydicom, a slice gives a plain list
        return self._list[index]

    def __iadd__(self: Self, other: Iterable[T]) -> Self:
        if not hasattr(other, "__iter__"):
            raise TypeError("An iterable is required")
        self._list += [self._validate(item) for item in other]
        return self

    def insert(self, position: int, item: T) -> None:
        """Insert `item` before `position` after validating it.

        Parameters
        ----------
        position : int
        item : Any
        """
        self._list.insert(position, self._validate(item))

    def __iter__(self) -> Iterator[T]:
        return iter(self._list)

    def __len__(self) -> int:
        return len(self._list)

    def __ne__(self, other: Any) -> Any:
        return self._list != other

    @overload
    def __setitem__(self, idx: int, val: T) -> None: ...

    @overload
    def __setitem__(self, idx: slice, val: Iterable[T]) -> None: ...

    def __setitem__(self, index: slice | int, val: Iterable[T] | T) -> None:
        if isinstance(index, slice):
            self._list[index] = [self._validate(item) for item in cast(Iterable[T], val)]
        else:
            self._list[index] = self._validate(val)

    def _validate(self, item: Any) -> T:
        """Return `item` as it is to be stored; subclasses must define this."""
        raise NotImplementedError(f"'{type(self).__name__}._validate()' must be implemented")


class MultiValue(ConstrainedList[T]):
    """The value of a multi-valued element: a list whose items all pass
    through one type constructor.

    The constructor must accept an item that already has its type, and
    raise (e.g. :class:`TypeError` or :class:`ValueError`) for items it
    cannot convert. Note that DS and IS items may be ``''`` rather than
    instances of their classes.

    Parameters
    ----------
    type_constructor : callable
        A class or factory taking one item and returning it converted.
    iterable : iterable
        The initial items.
    """

    def __init__(self, type_constructor: Callable[[Any], T], iterable: Iterable[Any]) -> None:
        self._constructor = type_constructor
        super().__init__(iterable)

    @classmethod
    def _from_converted(cls, type_constructor: Callable[[Any], T], items: list[T]) -> MultiValue[T]:
        """Wrap `items`, already made by `type_constructor`, without re-running it.

        Used by the value converters, which build the items themselves, to
        save the second pass through the constructor.
        """
        self = cls.__new__(cls)
        self._constructor = type_constructor
        self._list = items
        return self

    def _validate(self, item: Any) -> T:
        return self._constructor(item)

    def sort(self, *args: Any, **kwargs: Any) -> None:
        """Sort the items in place, with the arguments of :meth:`list.sort`."""
        self._list.sort(*args, **kwargs)

    def __str__(self) -> str:
        if not self:
            return ""
        # strings and bytes show quoted, everything else as it prints
        parts = (repr(x) if isinstance(x, (str, bytes)) else str(x) for x in self._list)
        return f"[{', '.join(parts)}]"

    __repr__ = __str__
