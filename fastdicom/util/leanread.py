"""A lean DICOM file reader: raw element tuples straight from the stream.

:class:`dicomfile` iterates over a file's elements as
``(tag, VR, length, value, value_tell)`` tuples, with no conversion and no
dataset: useful to inspect a file's layout or find where a value starts.
Sequences of undefined length are reported as one tuple (value ``None``)
and the reader continues with their items' elements.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from struct import Struct
from types import TracebackType
from typing import BinaryIO

from fastdicom.datadict import dictionary_VR
from fastdicom.misc import size_in_bytes
from fastdicom.tag import ItemTag
from fastdicom.uid import UID
from fastdicom.valuerep import EXPLICIT_VR_LENGTH_32

__all__ = ["data_element_generator", "dicomfile"]

# PS3.5 §7.1.2: these explicit VRs have 2 reserved bytes and a 32-bit length.
extra_length_VRs_b = tuple(vr.encode("ascii") for vr in EXPLICIT_VR_LENGTH_32)
ExplicitVRLittleEndian = b"1.2.840.10008.1.2.1"
ImplicitVRLittleEndian = b"1.2.840.10008.1.2"
DeflatedExplicitVRLittleEndian = b"1.2.840.10008.1.2.1.99"
ExplicitVRBigEndian = b"1.2.840.10008.1.2.2"

_UNDEFINED_LENGTH = 0xFFFFFFFF
_TRANSFER_SYNTAX_UID = (0x0002, 0x0010)

# (tag as (group, element), VR or None, length, value or None, offset of the value)
_ElementType = tuple[tuple[int, int], "bytes | None", int, "bytes | None", int]


class dicomfile:
    """A DICOM file opened for lean iteration over its raw elements.

    Use as a context manager; iterating yields the File Meta elements, then
    those of the dataset in the encoding its Transfer Syntax UID gives.

    Parameters
    ----------
    filename : str, bytes or os.PathLike
        The file to read.

    Attributes
    ----------
    preamble : bytes or None
        The 128-byte preamble (PS3.10 §7.1), ``None`` if the file has no
        ``DICM`` prefix.
    """

    def __init__(self, filename: str | bytes | os.PathLike) -> None:
        self.fobj = fobj = open(filename, "rb")
        self.preamble: bytes | None = fobj.read(128)
        if fobj.read(4) != b"DICM":
            self.preamble = None
            fobj.seek(0)

    def __enter__(self) -> "dicomfile":
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc_val: BaseException | None,
        exc_tb: TracebackType | None,
    ) -> bool | None:
        self.fobj.close()
        return None

    def __iter__(self) -> Iterator[_ElementType]:
        transfer_syntax: UID | None = None
        # PS3.10 §7.1: the File Meta group is always Explicit VR Little Endian.
        meta = data_element_generator(
            self.fobj, False, True, stop_when=lambda group, _elem: group != 2
        )
        for elem in meta:
            if elem[0] == _TRANSFER_SYNTAX_UID and elem[3] is not None:
                transfer_syntax = UID(elem[3].strip(b" \0").decode("ascii"))
            yield elem

        if not transfer_syntax:
            raise NotImplementedError("No transfer syntax in file meta info")
        yield from data_element_generator(
            self.fobj, transfer_syntax.is_implicit_VR, transfer_syntax.is_little_endian
        )


def data_element_generator(
    fp: BinaryIO,
    is_implicit_VR: bool,
    is_little_endian: bool,
    stop_when: Callable[[int, int], bool] | None = None,
    defer_size: str | int | float | None = None,
) -> Iterator[_ElementType]:
    """Yield ``(tag, VR, length, value, value_tell)`` for each element of `fp`.

    Parameters
    ----------
    fp : file-like
        Positioned at the first element's tag.
    is_implicit_VR, is_little_endian : bool
        The encoding.
    stop_when : callable, optional
        Called with each element's group and element numbers; when it
        returns ``True`` the stream is rewound to that element's tag and the
        generator ends.
    defer_size : int, float or str, optional
        Values longer than this are skipped and yielded as ``None``.

    Yields
    ------
    tuple
        ``((group, element), VR, length, value, value_tell)``: VR is the
        2-byte explicit VR (``None`` for implicit VR, except ``b"SQ"`` for
        a sequence of undefined length), value the raw bytes, ``None`` if
        deferred or for an undefined-length sequence, whose items' elements
        follow.

    Raises
    ------
    NotImplementedError
        For an undefined-length value that is not a sequence.
    """
    endian = "<" if is_little_endian else ">"
    if is_implicit_VR:
        header = Struct(endian + "HHL")
    else:
        header = Struct(endian + "HH2sH")
    long_length = Struct(endian + "L")
    tag_struct = Struct(endian + "HH")
    limit = size_in_bytes(defer_size)

    while True:
        raw = fp.read(8)
        if len(raw) < 8:
            return
        vr: bytes | None
        header_size = 8
        if is_implicit_VR:
            group, elem, length = header.unpack(raw)
            vr = None
        else:
            group, elem, vr, length = header.unpack(raw)
            if vr in extra_length_VRs_b:
                length = long_length.unpack(fp.read(4))[0]
                header_size = 12

        value_tell = fp.tell()
        if stop_when is not None and stop_when(group, elem):
            fp.seek(value_tell - header_size)
            return

        if length != _UNDEFINED_LENGTH:
            if limit is not None and length > limit:
                fp.seek(length, os.SEEK_CUR)
                value = None
            else:
                value = fp.read(length)
            yield ((group, elem), vr, length, value, value_tell)
            continue

        # Undefined length (PS3.5 §7.5): only a sequence is handled; its
        # items' elements are read next, in the same stream.
        if vr is None:
            try:
                vr = dictionary_VR((group, elem)).encode("ascii")
            except KeyError:
                # Not in the dictionary: a sequence if an Item tag follows.
                next_tag = tag_struct.unpack(fp.read(4))
                fp.seek(-4, os.SEEK_CUR)
                if (next_tag[0] << 16 | next_tag[1]) == ItemTag:
                    vr = b"SQ"
        if vr != b"SQ":
            raise NotImplementedError(
                "This reader does not handle undefined length except for SQ"
            )
        yield ((group, elem), vr, length, None, value_tell)
