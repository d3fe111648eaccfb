"""Stream helpers, as ``pydicom.fileutil``: searching a file-like for
delimiters, reading undefined-length values, and the buffer checks used for
buffered element values.

fastdicom's reader finds delimiters with its compiled scanner over whole
buffers; these functions serve the stream-based API
(:func:`~fastdicom.filereader.data_element_generator`,
:func:`~fastdicom.filereader.read_dataset`) and programs that call them.
"""

from __future__ import annotations

import os
from collections.abc import Generator, Iterator
from contextlib import contextmanager
from io import BufferedIOBase
from struct import Struct, unpack
from typing import Any, BinaryIO

from fastdicom.config import logger, settings
from fastdicom.datadict import dictionary_description
from fastdicom.filebase import ReadableBuffer, WriteableBuffer
from fastdicom.misc import size_in_bytes
from fastdicom.tag import BaseTag, ItemTag, SequenceDelimiterTag, Tag, TupleTag

__all__ = [
    "PathType",
    "absorb_delimiter_item",
    "buffer_equality",
    "buffer_length",
    "buffer_remaining",
    "check_buffer",
    "find_bytes",
    "find_delimiter",
    "length_of_undefined_length",
    "path_from_pathlike",
    "read_buffer",
    "read_undefined_length_value",
    "reset_buffer_position",
]

PathType = str | bytes | os.PathLike

_TAG_STRUCT = {True: Struct("<HH"), False: Struct(">HH")}
_LENGTH_STRUCT = {True: Struct("<L"), False: Struct(">L")}


def _tag_bytes(tag: int, is_little_endian: bool) -> bytes:
    """The 4 encoded bytes of `tag` (PS3.5 §7.1.1: group, then element)."""
    return _TAG_STRUCT[is_little_endian].pack(tag >> 16, tag & 0xFFFF)


def _unpack_tag(b: bytes, endianness: str) -> BaseTag:
    """The tag encoded in the 4 bytes `b`, `endianness` ``"<"`` or ``">"``."""
    return TupleTag(unpack(f"{endianness}HH", b))


def absorb_delimiter_item(fp: BinaryIO, is_little_endian: bool, delimiter: BaseTag) -> None:
    """Read past the (item or sequence) delimitation item expected next.

    When the next 8 bytes are not `delimiter` the position is left unchanged
    and a warning is logged.
    """
    header = fp.read(8)
    group, element = _TAG_STRUCT[is_little_endian].unpack(header[:4])
    length = _LENGTH_STRUCT[is_little_endian].unpack(header[4:])[0]
    tag = TupleTag((group, element))
    position = fp.tell() - 8
    if tag != delimiter:
        logger.warning(
            f"Did not find expected delimiter '{dictionary_description(delimiter)}', "
            f"instead found {tag} at file position 0x{position:X}"
        )
        fp.seek(position)
        return
    logger.debug("%04x: Found Delimiter '%s'", position, dictionary_description(delimiter))
    if length == 0:
        logger.debug("%04x: Read 0 bytes after delimiter", position + 4)
    else:
        logger.debug(
            "%04x: Expected 0x00000000 after delimiter, found 0x%x", position + 4, length
        )


def _read_full(fp: BinaryIO, size: int) -> bytes:
    """Read `size` bytes, with a second try when the first read comes short."""
    data = fp.read(size)
    if len(data) < size:
        data += fp.read(size - len(data))
    return data


def find_bytes(
    fp: BinaryIO, bytes_to_find: bytes, read_size: int = 128, rewind: bool = True
) -> int | None:
    """Search `fp` from its position for `bytes_to_find`.

    Parameters
    ----------
    fp : file-like
    bytes_to_find : bytes
        Already in the file's byte order.
    read_size : int
        Bytes read at a time.
    rewind : bool
        Return to the starting position afterwards; otherwise stop just after
        the bytes found.

    Returns
    -------
    int or None
        The position of the bytes, or ``None`` (and the starting position
        restored when `rewind`) if the end is reached first.
    """
    start = fp.tell()
    overlap = len(bytes_to_find) - 1
    while True:
        chunk_start = fp.tell()
        chunk = _read_full(fp, read_size)
        index = chunk.find(bytes_to_find)
        if index != -1:
            found_at = chunk_start + index
            fp.seek(start if rewind else found_at + len(bytes_to_find))
            return found_at
        if len(chunk) < read_size:
            if rewind:
                fp.seek(start)
            return None
        # Step back so a match across two chunks is still seen.
        fp.seek(fp.tell() - overlap)


def find_delimiter(
    fp: BinaryIO,
    delimiter: BaseTag,
    is_little_endian: bool,
    read_size: int = 128,
    rewind: bool = True,
) -> int | None:
    """The position of the 4-byte tag `delimiter` in `fp`, or ``None``.

    See :func:`find_bytes` for `read_size` and `rewind`.
    """
    return find_bytes(
        fp, _tag_bytes(int(Tag(delimiter)), is_little_endian), read_size=read_size, rewind=rewind
    )


def length_of_undefined_length(
    fp: BinaryIO,
    delimiter: BaseTag,
    is_little_endian: bool,
    read_size: int = 128,
    rewind: bool = True,
) -> int | None:
    """Bytes from the position of `fp` to `delimiter`, or ``None`` if not found.

    The delimiter itself is not read.
    """
    start = fp.tell()
    position = find_delimiter(fp, delimiter, is_little_endian, rewind=rewind)
    return None if position is None else position - start


def _try_read_encapsulated_pixel_data(
    fp: BinaryIO, is_little_endian: bool, defer_size: float | int | None = None
) -> tuple[bool, bytes | None]:
    """Read an undefined-length value as encapsulated items (PS3.5 §A.4).

    Following the item lengths is immune to delimiter bytes that happen to
    appear inside a fragment. On success `fp` is left after the Sequence
    Delimitation Item; on failure it is left where it was.

    Returns
    -------
    tuple of (bool, bytes or None)
        Whether the value was items ended by a delimiter, and the value
        (``None`` when it is longer than `defer_size`).
    """
    item = _tag_bytes(ItemTag, is_little_endian)
    delimiter = _tag_bytes(SequenceDelimiterTag, is_little_endian)
    unpack_length = _LENGTH_STRUCT[is_little_endian].unpack
    start = fp.tell()
    consumed = 0  # bytes from `start` to the end of the delimiter's tag
    while True:
        tag = fp.read(4)
        if len(tag) < 4:
            logger.debug(
                "End of input encountered while parsing undefined length value as "
                "encapsulated pixel data. Unable to find tag at position 0x%x. "
                "Falling back to byte by byte scan.",
                fp.tell() - len(tag),
            )
            fp.seek(start)
            return False, None
        consumed += 4
        if tag == delimiter:
            break
        if tag != item:
            logger.debug(
                "Unknown tag bytes %s at position 0x%x found while parsing undefined "
                "length value as encapsulated pixel data. Falling back to "
                "byte-by-byte scan.",
                tag.hex(),
                fp.tell() - 4,
            )
            fp.seek(start)
            return False, None
        length_bytes = fp.read(4)
        if len(length_bytes) < 4:
            logger.debug(
                "End of input encountered while parsing undefined length value as "
                "encapsulated pixel data. Unable to find length for tag %s at "
                "position 0x%x. Falling back to byte by byte scan.",
                ItemTag,
                fp.tell() - len(length_bytes),
            )
            fp.seek(start)
            return False, None
        length = unpack_length(length_bytes)[0]
        consumed += 4 + length
        try:
            fp.seek(length, os.SEEK_CUR)
        except OverflowError:
            logger.debug(
                "Too-long length %04x for tag %s at position 0x%x found while parsing "
                "undefined length value as encapsulated pixel data. Falling back "
                "to byte-by-byte scan.",
                length,
                ItemTag,
                fp.tell() - 8,
            )
            fp.seek(start)
            return False, None

    # PS3.5 §7.5.2: the delimiter's length field is zero.
    if fp.read(4) != b"\0\0\0\0":
        logger.debug(
            "Expected 4 zero bytes after undefined length delimiter at pos %04x", fp.tell() - 4
        )
    value = None
    if defer_size is None or consumed < defer_size:
        fp.seek(start)
        value = fp.read(consumed - 4)
    fp.seek(start + consumed + 4)
    return True, value


def read_undefined_length_value(
    fp: BinaryIO,
    is_little_endian: bool,
    delimiter_tag: BaseTag,
    defer_size: int | float | None = None,
    read_size: int = 1024 * 8,
) -> bytes | None:
    """Read the value of an undefined-length element up to `delimiter_tag`.

    Afterwards `fp` is positioned after the delimiter and its 4-byte length.

    Parameters
    ----------
    fp : file-like
    is_little_endian : bool
    delimiter_tag : BaseTag
        The tag that ends the value (usually the Sequence Delimitation Item).
    defer_size : int, float or None
        Return ``None`` instead of a value this long or longer.
    read_size : int
        Bytes read at a time while searching for the delimiter.

    Returns
    -------
    bytes or None

    Raises
    ------
    EOFError
        When the data ends before the delimiter.
    """
    defer_size = size_in_bytes(defer_size)
    if delimiter_tag == SequenceDelimiterTag:
        # Usually encapsulated Pixel Data: follow its items first.
        parsed, value = _try_read_encapsulated_pixel_data(fp, is_little_endian, defer_size)
        if parsed:
            return value

    start = fp.tell()
    position = find_delimiter(fp, delimiter_tag, is_little_endian, read_size, rewind=False)
    if position is None:
        fp.seek(start)
        raise EOFError(f"End of file reached before delimiter {delimiter_tag!r} found")
    length = fp.read(4)
    if length != b"\0\0\0\0":
        logger.error(
            f"Expected 4 zero bytes after undefined length delimiter at pos {fp.tell() - 4:04x}"
        )
    size = position - start
    if defer_size is not None and size >= defer_size:
        return None
    end = fp.tell()
    fp.seek(start)
    value = fp.read(size)
    fp.seek(end)
    return value


def path_from_pathlike(
    file_object: PathType | BinaryIO | ReadableBuffer | WriteableBuffer | None,
) -> Any:
    """The path as a string when `file_object` is path-like, else `file_object` itself.

    Parameters
    ----------
    file_object : str, PathLike or file-like

    Returns
    -------
    str or file-like
    """
    try:
        return os.fspath(file_object)  # type: ignore[arg-type]
    except TypeError:
        return file_object


def check_buffer(buffer: BufferedIOBase) -> None:
    """Check that `buffer` can hold an element value.

    Raises
    ------
    TypeError
        When `buffer` is not an :class:`io.BufferedIOBase`.
    ValueError
        When it is closed, or not both readable and seekable.
    """
    if not isinstance(buffer, BufferedIOBase):
        raise TypeError("the buffer must inherit from 'io.BufferedIOBase'")
    if buffer.closed:
        raise ValueError("the buffer has been closed")
    if not (buffer.readable() and buffer.seekable()):
        raise ValueError("the buffer must be readable and seekable")


@contextmanager
def reset_buffer_position(buffer: BufferedIOBase) -> Generator[int, None, None]:
    """Context manager: yields the position of `buffer` and returns to it on exit.

    Parameters
    ----------
    buffer : io.BufferedIOBase
        Checked with :func:`check_buffer`.

    Yields
    ------
    int
    """
    check_buffer(buffer)
    position = buffer.tell()
    yield position
    buffer.seek(position)


def read_buffer(buffer: BufferedIOBase, *, chunk_size: int | None = None) -> Iterator[bytes]:
    """Yield the rest of `buffer` in chunks; the position is not restored.

    Parameters
    ----------
    buffer : io.BufferedIOBase
    chunk_size : int, optional
        Bytes per chunk, default
        :attr:`fastdicom.config.settings.buffered_read_size`.

    Yields
    ------
    bytes

    Raises
    ------
    ValueError
        When `chunk_size` is not positive.
    """
    size = settings.buffered_read_size if chunk_size is None else chunk_size
    if size <= 0:
        raise ValueError(f"Invalid 'chunk_size' value '{size}', must be greater than 0")
    check_buffer(buffer)
    while chunk := buffer.read(size):
        yield chunk


def buffer_length(buffer: BufferedIOBase) -> int:
    """The total length of `buffer` (its position is unchanged)."""
    with reset_buffer_position(buffer):
        return buffer.seek(0, os.SEEK_END)


def buffer_remaining(buffer: BufferedIOBase) -> int:
    """The bytes from the position of `buffer` to its end (position unchanged)."""
    with reset_buffer_position(buffer) as position:
        return buffer.seek(0, os.SEEK_END) - position


def buffer_equality(buffer: BufferedIOBase, other: bytes | bytearray | BufferedIOBase) -> bool:
    """True when the whole content of `buffer` equals `other`.

    Both are read in chunks rather than whole; positions are restored.

    Parameters
    ----------
    buffer : io.BufferedIOBase
    other : bytes, bytearray or io.BufferedIOBase

    Returns
    -------
    bool
        ``False`` also when `other` is none of those types.
    """
    if not isinstance(other, (bytes, bytearray, BufferedIOBase)):
        return False
    with reset_buffer_position(buffer):
        buffer.seek(0)
        if isinstance(other, (bytes, bytearray)):
            offset = 0
            for chunk in read_buffer(buffer):
                if other[offset : offset + len(chunk)] != chunk:
                    return False
                offset += len(chunk)
            return offset == len(other)
        if buffer_length(buffer) != buffer_length(other):
            return False
        with reset_buffer_position(other):
            other.seek(0)
            return all(a == b for a, b in zip(read_buffer(buffer), read_buffer(other)))
