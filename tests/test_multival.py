"""Tests for fastdicom.multival, checked against pydicom 3.0.2."""

from __future__ import annotations

import copy
import pickle
from typing import Any

import pytest

from fastdicom.multival import ConstrainedList, MultiValue
from fastdicom.tag import BaseTag, Tag
from fastdicom.valuerep import DS, IS, DSfloat, PersonName

pydicom = pytest.importorskip("pydicom")
import pydicom.multival as pmultival  # noqa: E402
import pydicom.valuerep as pvr  # noqa: E402


def test_constructor_applied_to_items() -> None:
    """Every item passes through the type constructor."""
    mv = MultiValue(IS, ["1", " 2 ", 3])
    assert all(isinstance(x, IS) for x in mv)
    assert mv == [1, 2, 3]
    mv.append("4")
    mv.insert(0, "0")
    mv.extend(["5"])
    mv += ["6"]
    mv[1] = "10"
    mv[2:4] = ["20", "30"]
    assert mv == [0, 10, 20, 30, 4, 5, 6]
    assert all(isinstance(x, IS) for x in mv)
    with pytest.raises(ValueError):
        MultiValue(int, ["x"])


def test_list_behaviour() -> None:
    """MultiValue acts like a mutable list."""
    mv = MultiValue(str, ["b", "a", "c"])
    assert len(mv) == 3 and mv[0] == "b" and mv[-1] == "c"
    assert mv[0:2] == ["b", "a"] and type(mv[0:2]) is list
    assert "a" in mv and mv.index("c") == 2 and mv.count("a") == 1
    mv.sort()
    assert mv == ["a", "b", "c"]
    mv.sort(reverse=True)
    assert mv == ["c", "b", "a"]
    mv.sort(key=lambda s: s)
    assert mv == ["a", "b", "c"]
    del mv[2]
    assert mv == ["a", "b"] and mv != ["b", "a"]
    assert list(reversed(mv)) == ["b", "a"]
    mv.remove("a")
    assert mv.pop() == "b" and len(mv) == 0 and not mv
    with pytest.raises(TypeError):
        mv.extend(5)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        mv += 5  # type: ignore[operator]
    with pytest.raises(TypeError):
        hash(mv)


def test_equality() -> None:
    """MultiValue equals lists (and other MultiValues) with the same items."""
    assert MultiValue(str, ["a", "b"]) == ["a", "b"]
    assert MultiValue(str, ["a", "b"]) == MultiValue(str, ["a", "b"])
    assert MultiValue(str, ["a"]) != ["b"]
    assert MultiValue(str, ["a"]) != ("a",)  # as pydicom: only list equality
    assert MultiValue(DS, ["1.5", "2"]) == [1.5, 2.0]


@pytest.mark.parametrize(
    "ctor, pctor, items",
    [
        (str, str, ["a", "b c"]),
        (str, str, []),
        (str, str, ["it's", 'say "x"']),
        (DS, pvr.DS, ["1.50", " 2 ", "", "1e3"]),
        (IS, pvr.IS, ["1", "", " 3"]),
        (int, int, [1, 2]),
        (float, float, [1.5, 0.1]),
        (bytes, bytes, [b"a", b"\x00"]),
        (Tag, pydicom.tag.Tag, [0x00100010, (0x0008, 0x0005)]),
        (PersonName, pvr.PersonName, ["Doe^John", "Roe^Jane"]),
    ],
    ids=["str", "empty", "quotes", "DS", "IS", "int", "float", "bytes", "Tag", "PN"],
)
def test_str_repr_match_pydicom(ctor: Any, pctor: Any, items: list) -> None:
    """str() and repr() print exactly as pydicom's MultiValue."""
    ours, theirs = MultiValue(ctor, items), pmultival.MultiValue(pctor, items)
    assert str(ours) == str(theirs)
    assert repr(ours) == repr(theirs)
    assert len(ours) == len(theirs)


def test_str_examples() -> None:
    """The documented forms."""
    assert str(MultiValue(str, ["a", "b"])) == "['a', 'b']"
    assert str(MultiValue(DS, ["1.5", "2"])) == "[1.5, 2]"
    assert str(MultiValue(Tag, [0x00100010])) == "[(0010,0010)]"
    assert str(MultiValue(str, [])) == ""


def test_copy_and_pickle() -> None:
    """Copies keep the items and the constructor.

    A shallow copy shares the item list, as in pydicom; deep copies and
    pickles do not.
    """
    mv = MultiValue(DS, ["1.50", "2"])
    shallow = copy.copy(mv)
    assert shallow == mv and shallow._list is mv._list
    for other in (copy.deepcopy(mv), pickle.loads(pickle.dumps(mv))):
        assert other == mv and str(other) == "[1.50, 2]"
        other.append("3")
        assert isinstance(other[-1], DSfloat) and len(mv) == 2


def test_from_converted_skips_constructor() -> None:
    """The converters' fast constructor stores items as given."""
    items = [BaseTag(1), BaseTag(2)]
    mv = MultiValue._from_converted(Tag, items)
    assert mv == [1, 2] and mv[0] is items[0]
    mv.append(3)
    assert isinstance(mv[-1], BaseTag)


def test_constrained_list_requires_validate() -> None:
    """ConstrainedList is abstract until _validate is defined."""
    with pytest.raises(NotImplementedError, match="_validate"):
        ConstrainedList([1])

    class Ints(ConstrainedList[int]):
        def _validate(self, item: Any) -> int:
            if not isinstance(item, int):
                raise TypeError("int only")
            return item

    c = Ints([1, 2])
    c.append(3)
    assert c == [1, 2, 3] and len(c) == 3
    with pytest.raises(TypeError):
        c.append("x")  # type: ignore[arg-type]
    assert Ints() == []
