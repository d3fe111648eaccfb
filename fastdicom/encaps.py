"""Encapsulated pixel data: fragments, frames and offset tables (PS3.5 §A.4).

The public functions are pydicom 3's (``pydicom.encaps``). They take
``bytes``, ``bytearray``, a ``memoryview`` or a readable file-like positioned
at the Basic Offset Table item (file-likes are returned to where they were).
The item headers are read once into a list of ``(item offset, value offset,
length)`` and frames are sliced from the buffer; only the frame asked for is
copied.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from io import BufferedIOBase, BytesIO
from struct import pack, unpack, unpack_from
from typing import Any

from fastdicom import config
from fastdicom.filebase import DicomBytesIO
from fastdicom.fileutil import buffer_length, reset_buffer_position
from fastdicom.tag import Tag

_ITEM = 0xFFFEE000
_SEQ_DELIM = 0xFFFEE0DD
_EOI = b"\xff\xd9"

__all__ = [
    "parse_basic_offsets",
    "parse_fragments",
    "generate_fragments",
    "generate_fragmented_frames",
    "generate_frames",
    "get_frame",
    "fragment_frame",
    "itemize_fragment",
    "itemize_frame",
    "encapsulate",
    "encapsulate_buffer",
    "encapsulate_extended",
    "encapsulate_extended_buffer",
    "EncapsulatedBuffer",
]


# -- reading ---------------------------------------------------------------
def _view_of(buffer: Any) -> tuple[memoryview, Any, int]:
    """A byte view of `buffer` from its current position, the file-like (or
    None) and the file position to return to."""
    if isinstance(buffer, (bytes, bytearray)):
        return memoryview(buffer), None, 0
    if isinstance(buffer, memoryview):
        return buffer.cast("B") if buffer.format != "B" or buffer.ndim != 1 else buffer, None, 0
    if hasattr(buffer, "read"):
        position = buffer.tell()
        # read() until exhausted: EncapsulatedBuffer.read(), like some other
        # readers, returns a limited amount at a time
        data = buffer.read()
        if data:
            chunks = [data]
            while chunk := buffer.read():
                chunks.append(chunk)
            if len(chunks) > 1:
                data = b"".join(chunks)
        buffer.seek(position)
        return memoryview(data), buffer, position
    try:
        return memoryview(buffer).cast("B"), None, 0
    except TypeError:
        # e.g. Pixel Data read as a sequence from a damaged file (campaign
        #   seed 1306338): a clear error, not memoryview's
        raise ValueError(
            f"The encapsulated data is a {type(buffer).__name__}, not bytes: "
            "the element holding it was not read as OB or OW"
        ) from None


def _read_tag(view: memoryview, pos: int, endianness: str) -> int:
    group, elem = unpack_from(f"{endianness}HH", view, pos)
    return group << 16 | elem


def _basic_offsets_at(view: memoryview, pos: int, endianness: str) -> tuple[list[int], int]:
    """The Basic Offset Table at `pos` and the offset just after it."""
    if len(view) - pos < 4:
        raise ValueError("The Basic Offset Table item is missing: the buffer is too short")
    tag = _read_tag(view, pos, endianness)
    if tag != _ITEM:
        raise ValueError(
            f"Found unexpected tag {Tag(tag)} instead of (FFFE,E000) "
            "when parsing the Basic Offset Table item"
        )
    if len(view) - pos < 8:
        raise ValueError("The Basic Offset Table item has no length: the buffer is too short")
    (length,) = unpack_from(f"{endianness}L", view, pos + 4)
    if length % 4:
        raise ValueError("The length of the Basic Offset Table item is not a multiple of 4")
    if length > len(view) - pos - 8:
        raise ValueError(
            f"The Basic Offset Table item's length ({length}) runs past the end of the data"
        )
    offsets = list(unpack_from(f"{endianness}{length // 4}L", view, pos + 8)) if length else []
    return offsets, pos + 8 + length


def _iter_fragment_items(
    view: memoryview, pos: int, endianness: str, end: int | None = None
) -> Iterator[tuple[int, int, int]]:
    """Yield (item offset, value offset, value length) of the fragment items
    from `pos` (pydicom's parse rules: stops at a Sequence Delimiter or when
    fewer than 4 bytes are left; a value running past the end is cut short).
    Lazy, so the fragments before a corrupt item are still yielded."""
    end = len(view) if end is None else end
    fmt_tag = f"{endianness}HH"
    fmt_len = f"{endianness}L"
    while end - pos >= 4:
        group, elem = unpack_from(fmt_tag, view, pos)
        tag = group << 16 | elem
        if tag == _ITEM:
            if end - pos < 8:
                raise ValueError(
                    f"Unable to determine the length of the item at offset {pos} as "
                    "the end of the data has been reached - the encapsulated pixel "
                    "data may be invalid"
                )
            (length,) = unpack_from(fmt_len, view, pos + 4)
            if length == 0xFFFFFFFF:
                raise ValueError(
                    f"Undefined item length at offset {pos + 4} when parsing the "
                    "encapsulated pixel data fragments"
                )
            value = pos + 8
            yield pos, value, min(length, end - value)
            pos = value + length
        elif tag == _SEQ_DELIM:
            break
        else:
            raise ValueError(
                f"Unexpected tag '{Tag(tag)}' at offset {pos} when parsing the "
                "encapsulated pixel data fragment items"
            )


def _fragment_items(
    view: memoryview, pos: int, endianness: str, end: int | None = None
) -> list[tuple[int, int, int]]:
    """Every item of :func:`_iter_fragment_items` as a list."""
    return list(_iter_fragment_items(view, pos, endianness, end))


def parse_basic_offsets(buffer: Any, *, endianness: str = "<") -> list[int]:
    """The Basic Offset Table's frame offsets (PS3.5 Table A.4-1).

    A file-like is left positioned after the table (as pydicom's)."""
    view, fp, position = _view_of(buffer)
    offsets, after = _basic_offsets_at(view, 0, endianness)
    if fp is not None:
        fp.seek(position + after)
    return offsets


def parse_fragments(buffer: Any, *, endianness: str = "<") -> tuple[int, list[int]]:
    """The number of fragments and the offset of each one's item tag."""
    view, fp, position = _view_of(buffer)
    items = _fragment_items(view, 0, endianness)
    return len(items), [position + item[0] for item in items]


def generate_fragments(buffer: Any, *, endianness: str = "<") -> Iterator[bytes]:
    """Yield the value of each fragment item (from the first item tag).

    A file-like is left just after the last fragment yielded."""
    view, fp, position = _view_of(buffer)
    for _, value, length in _iter_fragment_items(view, 0, endianness):
        if fp is not None:
            fp.seek(position + value + length)
        yield view[value : value + length].tobytes()


def _extended_tables(
    extended_offsets: Any, endianness: str
) -> tuple[list[int], list[int]]:
    offsets, lengths = extended_offsets
    if isinstance(offsets, (bytes, bytearray)):
        offsets = list(unpack(f"{endianness}{len(offsets) // 8}Q", offsets[: len(offsets) // 8 * 8]))
    if isinstance(lengths, (bytes, bytearray)):
        lengths = list(unpack(f"{endianness}{len(lengths) // 8}Q", lengths[: len(lengths) // 8 * 8]))
    return list(offsets), list(lengths)


class FrameLayout:
    """Where the frames of encapsulated pixel data are (the pipeline's view).

    `frames` is a list, per frame, of (offset, length) ranges of the view;
    built from the Extended Offset Table, the Basic Offset Table, or
    pydicom's rules without either. `warnings` holds what pydicom would warn.
    """

    __slots__ = ("frames", "warnings")

    def __init__(self, frames: list[list[tuple[int, int]]], warnings: list[str]) -> None:
        self.frames = frames
        self.warnings = warnings


def frame_layout(
    view: memoryview,
    start: int = 0,
    end: int | None = None,
    *,
    number_of_frames: int | None = None,
    extended_offsets: Any = None,
    endianness: str = "<",
) -> FrameLayout:
    """The frame ranges of the encapsulated value view[start:end] (PS3.5 §A.4)."""
    end = len(view) if end is None else end
    if start:
        view = view[:end]
    basic, pos = _basic_offsets_at(view[:end], start, endianness)
    warnings: list[str] = []
    if extended_offsets:
        # PS3.3 C.7.6.3.1.8: offsets of each frame's (single) item tag,
        # measured from the first item after the Basic Offset Table.
        offsets, lengths = _extended_tables(extended_offsets, endianness)
        frames: list[list[tuple[int, int]]] = []
        for offset, length in zip(offsets, lengths):
            value = pos + offset + 8
            if value > end or length > end - value:
                raise ValueError(
                    f"The Extended Offset Table points past the end of the pixel data "
                    f"(frame {len(frames)}: offset {offset}, length {length})"
                )
            frames.append([(value, length)])
        return FrameLayout(frames, warnings)

    items = _fragment_items(view, pos, endianness, end)
    if basic:
        # PS3.5 A.4: the offset of each frame's first item, from the first item
        frames = []
        current: list[tuple[int, int]] = []
        index = 0
        final = len(basic) - 1
        for item, value, length in items:
            offset = item - pos
            if index < final and offset >= basic[index + 1]:
                frames.append(current)
                current = []
                index += 1
            current.append((value, length))
        frames.append(current)
        return FrameLayout(frames, warnings)

    nr_fragments = len(items)
    ranges = [(value, length) for _, value, length in items]
    if nr_fragments == 1:
        return FrameLayout([ranges], warnings)
    if not number_of_frames:
        raise ValueError(
            "Unable to determine the frame boundaries for the encapsulated "
            "pixel data as there is no Basic or Extended Offset Table and "
            "the number of frames has not been supplied"
        )
    if nr_fragments == number_of_frames:
        return FrameLayout([[r] for r in ranges], warnings)
    if number_of_frames == 1:
        return FrameLayout([ranges], warnings)
    if nr_fragments > number_of_frames:
        # A JPEG EOI / JPEG 2000 EOC marker in the last 10 bytes ends a frame
        frames = []
        current = []
        for value, length in ranges:
            current.append((value, length))
            tail = view[max(value, value + length - 10) : value + length].tobytes()
            if _EOI in tail:
                frames.append(current)
                current = []
        if current:
            if len(frames) >= number_of_frames:
                warnings.append(
                    "The end of the encapsulated pixel data has been reached but "
                    "no JPEG EOI/EOC marker was found, the final frame may be "
                    "be invalid"
                )
            else:
                warnings.append(
                    "The end of the encapsulated pixel data has been reached but "
                    "fewer frames than expected have been found. Please confirm "
                    "that the generated frame data is correct"
                )
            frames.append(current)
        elif len(frames) < number_of_frames:
            warnings.append(
                "The end of the encapsulated pixel data has been reached but "
                "fewer frames than expected have been found"
            )
        return FrameLayout(frames, warnings)
    raise ValueError(
        "Unable to generate frames from the encapsulated pixel data as there "
        "are fewer fragments than frames; the dataset may be corrupt or the "
        "number of frames may be incorrect"
    )


def join_ranges(view: memoryview, ranges: list[tuple[int, int]]) -> bytes:
    """The bytes of one frame: its fragments joined."""
    if len(ranges) == 1:
        value, length = ranges[0]
        return view[value : value + length].tobytes()
    return b"".join(view[value : value + length] for value, length in ranges)


def _warn_all(messages: list[str]) -> None:
    if messages:
        for message in messages:
            config.warn_and_log(message, UserWarning, stacklevel=3)


def generate_fragmented_frames(
    buffer: Any,
    *,
    number_of_frames: int | None = None,
    extended_offsets: Any = None,
    endianness: str = "<",
) -> Iterator[tuple[bytes, ...]]:
    """Yield the fragments of each frame as a tuple of bytes."""
    view, _, _ = _view_of(buffer)
    layout = frame_layout(
        view, number_of_frames=number_of_frames, extended_offsets=extended_offsets,
        endianness=endianness,
    )
    for index, ranges in enumerate(layout.frames):
        if index == len(layout.frames) - 1:
            _warn_all(layout.warnings)
        yield tuple(view[v : v + n].tobytes() for v, n in ranges)


def generate_frames(
    buffer: Any,
    *,
    number_of_frames: int | None = None,
    extended_offsets: Any = None,
    endianness: str = "<",
) -> Iterator[bytes]:
    """Yield each frame's bytes (its fragments joined)."""
    view, _, _ = _view_of(buffer)
    layout = frame_layout(
        view, number_of_frames=number_of_frames, extended_offsets=extended_offsets,
        endianness=endianness,
    )
    for index, ranges in enumerate(layout.frames):
        if index == len(layout.frames) - 1:
            _warn_all(layout.warnings)
        yield join_ranges(view, ranges)


def get_frame(
    buffer: Any,
    index: int,
    *,
    extended_offsets: Any = None,
    number_of_frames: int | None = None,
    endianness: str = "<",
) -> bytes:
    """The bytes of the frame at `index` (pydicom's rules and errors)."""
    view, _, _ = _view_of(buffer)
    basic, pos = _basic_offsets_at(view, 0, endianness)
    if extended_offsets:
        offsets, lengths = _extended_tables(extended_offsets, endianness)
        if index >= len(offsets):
            raise ValueError(
                "There aren't enough offsets in the Extended Offset Table for "
                f"{index + 1} frames"
            )
        value = pos + offsets[index] + 8
        return view[value : value + lengths[index]].tobytes()
    if basic:
        if index >= len(basic):
            raise ValueError(
                f"There aren't enough offsets in the Basic Offset Table for {index + 1} frames"
            )
        if index < len(basic) - 1:
            end = pos + basic[index + 1]
            items = _fragment_items(view, pos + basic[index], endianness, min(end, len(view)))
        else:
            items = _fragment_items(view, pos + basic[index], endianness)
        return join_ranges(view, [(v, n) for _, v, n in items])
    items = _fragment_items(view, pos, endianness)
    nr_fragments = len(items)
    if nr_fragments == 1:
        if index == 0:
            return join_ranges(view, [(items[0][1], items[0][2])])
        raise ValueError("Found 1 frame fragment in the encapsulated pixel data, 'index' must be 0")
    if not number_of_frames:
        raise ValueError(
            "Unable to determine the frame boundaries for the encapsulated "
            "pixel data as there is no basic or extended offset table data and "
            "the number of frames has not been supplied"
        )
    if nr_fragments == number_of_frames:
        if index > nr_fragments - 1:
            raise ValueError(
                f"Found {nr_fragments} frame fragments in the encapsulated "
                f"pixel data, an 'index' of {index} is invalid"
            )
        return join_ranges(view, [(items[index][1], items[index][2])])
    if number_of_frames == 1:
        if index == 0:
            return join_ranges(view, [(v, n) for _, v, n in items])
        raise ValueError("The 'index' must be 0 if the number of frames is 1")
    current: list[tuple[int, int]] = []
    frame_nr = 0
    for _, value, length in items:
        current.append((value, length))
        if _EOI in view[max(value, value + length - 10) : value + length].tobytes():
            if frame_nr == index:
                return join_ranges(view, current)
            frame_nr += 1
            current = []
    if current and index == frame_nr:
        _warn_all([
            "The end of the encapsulated pixel data has been reached but no "
            "JPEG EOI/EOC marker was found, the returned frame data may be "
            "invalid"
        ])
        return join_ranges(view, current)
    raise ValueError(f"There is insufficient pixel data to contain {index + 1} frames")


# -- writing ---------------------------------------------------------------
def fragment_frame(frame: bytes, nr_fragments: int = 1) -> Iterator[bytes]:
    """Yield `frame` split into `nr_fragments` even-length fragments (PS3.5 A.4)."""
    frame_length = len(frame)
    # (frame_length + 1): an odd-length frame of 2n - 1 bytes still gives n fragments
    if nr_fragments > (frame_length + 1) / 2.0:
        raise ValueError("Too many fragments requested (the minimum fragment size is 2 bytes)")
    length = int(frame_length / nr_fragments)
    length += length % 2  # PS3.5 A.4: items are of even length
    for offset in range(0, length * (nr_fragments - 1), length):
        yield frame[offset : offset + length]
    offset = length * (nr_fragments - 1)
    fragment = frame[offset:]
    if (frame_length - offset) % 2:
        fragment += b"\x00"
    yield fragment


def itemize_fragment(fragment: bytes) -> bytes:
    """`fragment` as an Item: (FFFE,E000), its length, its value."""
    return b"\xfe\xff\x00\xe0" + pack("<I", len(fragment)) + bytes(fragment)


def itemize_frame(frame: bytes, nr_fragments: int = 1) -> Iterator[bytes]:
    """Yield the items of `frame` split into `nr_fragments` fragments."""
    for fragment in fragment_frame(frame, nr_fragments):
        yield itemize_fragment(fragment)


def encapsulate(frames: list[bytes], fragments_per_frame: int = 1, has_bot: bool = True) -> bytes:
    """The encapsulated value of `frames` (PS3.5 A.4), with a Basic Offset Table if `has_bot`."""
    nr_frames = len(frames)
    if has_bot:
        # The offsets are 32-bit (PS3.5 Table A.4-1): the last frame's must fit.
        # Checked before any frame is itemized, each item adding an 8-byte header.
        total = (nr_frames - 1) * 8 + sum(len(f) for f in frames[:-1])
        if total > 2**32 - 1:
            raise ValueError(
                f"The total length of the encapsulated frame data ({total} "
                "bytes) will be greater than the maximum allowed by the Basic "
                f"Offset Table ({2**32 - 1} bytes), it's recommended that you "
                "use the Extended Offset Table instead (see the "
                "'encapsulate_extended' function for more information)"
            )
    output = bytearray(b"\xfe\xff\x00\xe0")
    output.extend(pack("<I", 4 * nr_frames) if has_bot else b"\x00\x00\x00\x00")
    bot_start = len(output)
    if has_bot:
        output.extend(b"\xff\xff\xff\xff" * nr_frames)
    offsets = [0]
    for index, frame in enumerate(frames):
        items = b"".join(itemize_frame(frame, fragments_per_frame))
        output.extend(items)
        if index < nr_frames - 1:
            offsets.append(offsets[-1] + len(items))
    if has_bot:
        output[bot_start : bot_start + 4 * nr_frames] = pack(f"<{nr_frames}I", *offsets[:nr_frames])
    return bytes(output)


def encapsulate_extended(frames: list[bytes]) -> tuple[bytes, bytes, bytes]:
    """The encapsulated value (empty Basic Offset Table), the Extended Offset
    Table and the Extended Offset Table Lengths of `frames` (PS3.3 C.7.6.3.1.8)."""
    nr_frames = len(frames)
    lengths = [len(frame) + len(frame) % 2 for frame in frames]
    offsets = [0]
    for length in lengths[:-1]:
        offsets.append(offsets[-1] + length + 8)
    return (
        encapsulate(frames, 1, has_bot=False),
        pack(f"<{nr_frames}Q", *offsets) if nr_frames else b"",
        pack(f"<{nr_frames}Q", *lengths),
    )


# -- writing from buffers ----------------------------------------------------
class _BufferedItem:
    """One frame held in a buffer, read as an encapsulation Item (PS3.5 §A.4).

    Attributes
    ----------
    buffer : io.BufferedIOBase
        The buffer holding the frame (one frame, one fragment).
    length : int
        The length of the whole item: the 8-byte item tag and length, the
        value and the padding byte that makes an odd-length value even.
    """

    def __init__(self, buffer: BufferedIOBase) -> None:
        self.buffer = buffer
        self._blen = buffer_length(buffer)
        # The item length is a 32-bit field and must be even: 2**32 - 2 at most
        if self._blen > 2**32 - 2:
            raise ValueError(
                "Buffers containing more than 4294967294 bytes are not supported"
            )
        self._padding = bool(self._blen % 2)
        self.length = 8 + self._blen + self._blen % 2
        self._item = b"\xfe\xff\x00\xe0" + pack("<I", self.length - 8)

    def read(self, start: int, size: int) -> bytes:
        """Up to `size` bytes of the item from `start` (0 is the item tag's first byte).

        Parameters
        ----------
        start : int
            In the closed interval [0, ``length`` - 1].
        size : int
            The number of bytes to read.

        Returns
        -------
        bytes
        """
        if not 0 <= start < self.length:
            raise ValueError(
                f"Invalid 'start' value '{start}', must be in the closed interval "
                f"[0, {self.length - 1}]"
            )
        out = bytearray()
        end = min(start + size, self.length)
        # The item tag and length
        if start < 8:
            out += self._item[start : min(8, end)]
        # The value, read from the buffer without moving it
        value_start = max(start, 8) - 8
        value_end = min(end - 8, self._blen)
        if value_end > value_start:
            with reset_buffer_position(self.buffer):
                self.buffer.seek(value_start)
                remaining = value_end - value_start
                while remaining:
                    chunk = self.buffer.read(remaining)
                    if not chunk:
                        break
                    out += chunk
                    remaining -= len(chunk)
        # The trailing padding byte
        if self._padding and end == self.length and start + len(out) == self.length - 1:
            out += b"\x00"
        return bytes(out)


class EncapsulatedBuffer(BufferedIOBase):
    """A readable, seekable view of frames held in buffers as the encapsulated
    Pixel Data value (PS3.5 §A.4): the Basic Offset Table item then one item per
    frame, produced while reading so the frames are never copied into memory
    together.

    Parameters
    ----------
    buffers : list[io.BufferedIOBase]
        One frame per buffer; each must be readable and seekable.
    use_bot : bool, optional
        Put the item offsets in the Basic Offset Table (default: empty table).
    """

    def __init__(self, buffers: list[BufferedIOBase], use_bot: bool = False) -> None:
        if not isinstance(buffers, list):
            raise TypeError(
                "'buffers' must be a list of objects that inherit from "
                "'io.BufferedIOBase'"
            )
        self._items = [_BufferedItem(b) for b in buffers]
        self._offset = 0
        self._use_bot = use_bot
        bot = self.basic_offset_table
        # Where each part starts: the table item, each frame item, then the end
        self._item_offsets = [0, *(offset + len(bot) for offset in self.offsets)]
        self._item_offsets.append(self.encapsulated_length)
        self._parts: list[Any] = [_BufferedItem(BytesIO(bot[8:])), *self._items]

    @property
    def basic_offset_table(self) -> bytes:
        """bytes: The encoded Basic Offset Table item."""
        if not self._use_bot:
            return b"\xfe\xff\x00\xe0\x00\x00\x00\x00"
        offsets = self.offsets
        return b"\xfe\xff\x00\xe0" + pack(f"<I{len(offsets)}I", 4 * len(offsets), *offsets)

    @property
    def closed(self) -> bool:
        """bool: True if any of the buffers is closed."""
        return any(item.buffer.closed for item in self._items)

    @property
    def extended_lengths(self) -> bytes:
        """bytes: The Extended Offset Table Lengths value (item values, PS3.3 C.7.6.3.1.8)."""
        lengths = self.lengths
        return pack(f"<{len(lengths)}Q", *(length - 8 for length in lengths))

    @property
    def extended_offsets(self) -> bytes:
        """bytes: The Extended Offset Table value: each item tag's offset from the
        first item after the (empty) Basic Offset Table."""
        offsets = self.offsets
        return pack(f"<{len(offsets)}Q", *offsets)

    @property
    def encapsulated_length(self) -> int:
        """int: The length of the whole encapsulated value."""
        return len(self.basic_offset_table) + sum(self.lengths)

    @property
    def lengths(self) -> list[int]:
        """list[int]: The length of each frame's item."""
        return [item.length for item in self._items]

    @property
    def offsets(self) -> list[int]:
        """list[int]: Each frame item's offset, 0 for the first."""
        out, total = [], 0
        for length in self.lengths:
            out.append(total)
            total += length
        return out

    def read(self, size: int | None = 8192, /) -> bytes:
        """Up to `size` bytes (all that is left if None) from the current position."""
        total = self.encapsulated_length
        if self._offset >= total:
            return b""
        size = total if size is None else size
        out = bytearray()
        while len(out) < size and self._offset < total:
            for index, (start, end) in enumerate(zip(self._item_offsets, self._item_offsets[1:])):
                if start <= self._offset < end:
                    chunk = self._parts[index].read(self._offset - start, size - len(out))
                    break
            else:  # pragma: no cover - offsets cover [0, total)
                chunk = b""
            if not chunk:
                break
            self._offset += len(chunk)
            out += chunk
        return bytes(out)

    def readable(self) -> bool:
        """bool: True if every buffer is readable."""
        return all(item.buffer.readable() for item in self._items)

    def seek(self, offset: int, whence: int = os.SEEK_SET, /) -> int:
        """Move to `offset` relative to `whence` (as :class:`io.BytesIO`)."""
        if whence not in (os.SEEK_SET, os.SEEK_CUR, os.SEEK_END):
            raise ValueError("Invalid 'whence' value, should be 0, 1 or 2")
        if whence == os.SEEK_SET:
            if offset < 0:
                raise ValueError(f"Negative seek 'offset' value {offset}")
            new = offset
        elif whence == os.SEEK_CUR:
            new = max(0, self._offset + offset)
        else:
            new = max(0, self.encapsulated_length + offset)
        self._offset = new
        return new

    def seekable(self) -> bool:
        """bool: True if every buffer is seekable."""
        return all(item.buffer.seekable() for item in self._items)

    def tell(self) -> int:
        """int: The current position."""
        return self._offset


def encapsulate_buffer(buffers: list[BufferedIOBase], has_bot: bool = True) -> EncapsulatedBuffer:
    """An :class:`EncapsulatedBuffer` of `buffers` (one frame each), usable as
    the Pixel Data value.

    Parameters
    ----------
    buffers : list[io.BufferedIOBase]
    has_bot : bool, optional
        Fill the Basic Offset Table (default True).
    """
    return EncapsulatedBuffer(buffers, use_bot=has_bot)


def encapsulate_extended_buffer(
    buffers: list[BufferedIOBase],
) -> tuple[EncapsulatedBuffer, bytes, bytes]:
    """An :class:`EncapsulatedBuffer` of `buffers` with an empty Basic Offset
    Table, and the Extended Offset Table and its Lengths (PS3.3 C.7.6.3.1.8).

    Parameters
    ----------
    buffers : list[io.BufferedIOBase]
    """
    eb = EncapsulatedBuffer(buffers)
    return eb, eb.extended_offsets, eb.extended_lengths


# -- deprecated (pydicom 3 keeps these until v4.0) ---------------------------
def _require_little_endian(fp: Any) -> None:
    if not fp.is_little_endian:
        raise ValueError("'fp.is_little_endian' must be True")


def _get_frame_offsets(fp: Any) -> tuple[bool, list[int]]:
    """Whether the Basic Offset Table has a value, and its offsets ([0] if empty)."""
    _require_little_endian(fp)
    tag = Tag(fp.read_tag())
    if tag != _ITEM:
        raise ValueError(f"Unexpected tag '{tag}' when parsing the Basic Offset Table item")
    length = fp.read_UL()
    if length % 4:
        raise ValueError("The length of the Basic Offset Table item is not a multiple of 4")
    offsets = [0] if length == 0 else []
    offsets.extend(fp.read_UL() for _ in range(length // 4))
    return bool(length), offsets


def _get_nr_fragments(fp: Any) -> int:
    """The number of fragments from the current position of `fp`."""
    _require_little_endian(fp)
    return parse_fragments(fp)[0]


def _generate_pixel_data_fragment(fp: Any) -> Iterator[bytes]:
    """Yield the fragments from the current position of `fp`."""
    _require_little_endian(fp)
    yield from generate_fragments(fp)


def _generate_pixel_data_frame(bytestream: bytes, nr_frames: int | None = None) -> Iterator[bytes]:
    """Yield each frame of the encapsulated `bytestream`."""
    for frame in generate_fragmented_frames(bytestream, number_of_frames=nr_frames):
        yield b"".join(frame)


def _generate_pixel_data(
    bytestream: bytes, nr_frames: int | None = None
) -> Iterator[tuple[bytes, ...]]:
    """Yield the fragments of each frame of the encapsulated `bytestream`."""
    yield from generate_fragmented_frames(bytestream, number_of_frames=nr_frames)


def _decode_data_sequence(data: bytes) -> list[bytes]:
    """Every fragment of the encapsulated `data` (Basic Offset Table skipped)."""
    with DicomBytesIO(data) as fp:
        fp.is_little_endian = True
        _read_item(fp)  # the Basic Offset Table
        fragments = []
        while True:
            item = _read_item(fp)
            if not item:
                break
            fragments.append(item)
        return fragments


def _defragment_data(data: bytes) -> bytes:
    """Every fragment of the encapsulated `data` joined."""
    return b"".join(_decode_data_sequence(data))


def _read_item(fp: Any) -> bytes | None:
    """The value of the next item of `fp`, None at a Sequence Delimiter or the end."""
    logger = config.logger
    try:
        tag = fp.read_tag()
    except EOFError:
        return None
    tag = Tag(tag)
    if tag == _SEQ_DELIM:
        length = fp.read_UL()
        logger.debug("%04x: Sequence Delimiter, length 0x%x", fp.tell() - 8, length)
        if length != 0:
            logger.warning(
                "Expected 0x00000000 after delimiter, found 0x%x, at data position 0x%x",
                length,
                fp.tell() - 4,
            )
        return None
    if tag != _ITEM:
        logger.warning(
            "Expected Item with tag %s at data position 0x%x", Tag(_ITEM), fp.tell() - 4
        )
        length = fp.read_UL()
    else:
        length = fp.read_UL()
        logger.debug("%04x: Item, length 0x%x", fp.tell() - 8, length)
    if length == 0xFFFFFFFF:
        raise ValueError(
            "Encapsulated data fragment had Undefined Length"
            f" at data position 0x{fp.tell() - 4:x}"
        )
    return fp.read(length)


_DEPRECATED = {
    "get_frame_offsets": _get_frame_offsets,
    "get_nr_fragments": _get_nr_fragments,
    "generate_pixel_data_fragment": _generate_pixel_data_fragment,
    "generate_pixel_data_frame": _generate_pixel_data_frame,
    "generate_pixel_data": _generate_pixel_data,
    "decode_data_sequence": _decode_data_sequence,
    "defragment_data": _defragment_data,
    "read_item": _read_item,
    "itemise_frame": itemize_frame,
    "itemise_fragment": itemize_fragment,
}


def __getattr__(name: str) -> Any:
    # PEP 562: the deprecated names warn on access, and are gone in "future" mode
    if name in _DEPRECATED and not config._use_future:
        config.warn_and_log(
            f"{name} is deprecated and will be removed in v4.0", DeprecationWarning
        )
        return _DEPRECATED[name]
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
