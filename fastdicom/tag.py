"""DICOM tags: a (group, element) pair held as one 32-bit int.

Inside fastdicom tags are plain ints; :class:`BaseTag` is the int subclass
users see at the API and in reprs, as in pydicom.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, Union

__all__ = [
    "BaseTag",
    "Tag",
    "TagType",
    "TagListType",
    "TupleTag",
    "tag_in_exception",
    "ItemTag",
    "ItemDelimiterTag",
    "SequenceDelimiterTag",
    "TAG_PIXREP",
    "TAG_CHARSET",
]

TagType = Union[int, str, tuple[int, int], "BaseTag"]
TagListType = Union[list[int], list[str], list[tuple[int, int]], list["BaseTag"]]


@contextmanager
def tag_in_exception(tag: "BaseTag") -> Iterator[None]:
    """Re-raise any exception from the block with the tag in its message.

    Parameters
    ----------
    tag : BaseTag
        The tag of the element being worked on.
    """
    try:
        yield
    except Exception as exc:
        if getattr(exc, "offset", None) is not None and getattr(exc, "tag", None) is not None:
            raise  # a parse error already says where it happened
        try:
            annotated = type(exc)(f"With tag {tag} got exception: {exc}")
        except Exception:
            raise exc from None  # an exception class with another signature
        raise annotated from exc


def Tag(arg: TagType, arg2: int | None = None) -> "BaseTag":
    """Make a :class:`BaseTag` from any of the usual spellings.

    Parameters
    ----------
    arg : int, str, or 2-tuple of int or str
        The combined tag (``0x00100010``), the group when `arg2` is given,
        a keyword (``"PatientName"``), a hex string (``"00100010"``), or a
        ``(group, element)`` pair.
    arg2 : int, optional
        The element number when `arg` is the group number.

    Returns
    -------
    BaseTag

    Raises
    ------
    ValueError
        For an unknown keyword or a negative value.
    OverflowError
        When group or element do not fit in 16 bits.
    TypeError
        For a pair whose members are not both int or both str.
    """
    if isinstance(arg, BaseTag):
        return arg
    if arg2 is not None:
        arg = (arg, arg2)  # type: ignore[assignment]

    if isinstance(arg, (tuple, list)):
        if len(arg) != 2:
            raise ValueError("Tag must be an int or a 2-tuple")
        first, second = arg
        if isinstance(first, str) and isinstance(second, str):
            first, second = int(first, 16), int(second, 16)
        elif not (isinstance(first, int) and isinstance(second, int)):
            raise TypeError(
                f"Unable to create an element tag from '{arg}': both "
                "arguments must be the same type and str or int"
            )
        if first > 0xFFFF or second > 0xFFFF:
            raise OverflowError(
                f"Unable to create an element tag from '{arg}': the group "
                "and element values are limited to a maximum of 2-bytes each"
            )
        value = (first << 16) | second
    elif isinstance(arg, str):
        try:
            value = int(arg, 16)
        except ValueError:
            from fastdicom.datadict import tag_for_keyword

            found = tag_for_keyword(arg)
            if found is None:
                raise ValueError(
                    f"Unable to create an element tag from '{arg}': "
                    "unknown DICOM element keyword or an invalid int"
                ) from None
            value = found
        if value > 0xFFFFFFFF:
            raise OverflowError(
                f"Unable to create an element tag from '{value}': the "
                "combined group and element values are limited to a maximum "
                "of 4-bytes"
            )
    else:
        value = int(arg)
        if value > 0xFFFFFFFF:
            raise OverflowError(
                f"Unable to create an element tag from '{value}': the "
                "combined group and element values are limited to a maximum "
                "of 4-bytes"
            )
    if value < 0:
        raise ValueError(
            f"Unable to create an element tag from '{value}': tags must be positive"
        )
    return BaseTag(value)


class BaseTag(int):
    """A DICOM tag: an int whose high 16 bits are the group.

    Compares equal to the ints, ``(group, element)`` tuples and keywords that
    name the same tag, and prints as ``(gggg,eeee)``.
    """

    __slots__ = ()

    def __lt__(self, other: Any) -> bool:
        if not isinstance(other, int):
            try:
                other = Tag(other)
            except Exception:
                raise TypeError("Cannot compare Tag with non-Tag item") from None
        return int(self) < int(other)

    def __le__(self, other: Any) -> bool:
        return self == other or self < other

    def __gt__(self, other: Any) -> bool:
        return not (self == other or self < other)

    def __ge__(self, other: Any) -> bool:
        return self == other or self > other

    def __eq__(self, other: Any) -> bool:
        if not isinstance(other, int):
            try:
                other = Tag(other)
            except Exception:
                return False
        return int(self) == int(other)

    def __ne__(self, other: Any) -> bool:
        return not self == other

    __hash__ = int.__hash__

    def __str__(self) -> str:
        return f"({self >> 16:04X},{self & 0xFFFF:04X})"

    __repr__ = __str__

    @property
    def json_key(self) -> str:
        """str: The tag as the DICOM JSON key ``GGGGEEEE``."""
        return f"{self >> 16:04X}{self & 0xFFFF:04X}"

    @property
    def group(self) -> int:
        """int: The group number."""
        return self >> 16

    @property
    def element(self) -> int:
        """int: The element number."""
        return self & 0xFFFF

    elem = element

    @property
    def is_private(self) -> bool:
        """bool: True for an odd group number."""
        return (self >> 16) % 2 == 1

    @property
    def is_private_creator(self) -> bool:
        """bool: True for a private creator element, (gggg,0010)-(gggg,00FF)."""
        return self.is_private and 0x0010 <= (self & 0xFFFF) < 0x0100

    @property
    def private_creator(self) -> "BaseTag":
        """BaseTag: The private creator tag reserving this private tag's block."""
        return BaseTag((self & 0xFFFF0000) | (self & 0xFFFF) >> 8)


def TupleTag(group_elem: tuple[int, int]) -> BaseTag:
    """Make a :class:`BaseTag` from a ``(group, element)`` pair known to be valid.

    Parameters
    ----------
    group_elem : tuple of int

    Returns
    -------
    BaseTag
    """
    return BaseTag(group_elem[0] << 16 | group_elem[1])


# PS3.5 §7.5: the item and delimitation tags that frame sequence items.
ItemTag = BaseTag(0xFFFEE000)
ItemDelimiterTag = BaseTag(0xFFFEE00D)
SequenceDelimiterTag = BaseTag(0xFFFEE0DD)
TAG_PIXREP = BaseTag(0x00280103)
TAG_CHARSET = BaseTag(0x00080005)
