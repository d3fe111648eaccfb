"""Encapsulated pixel data: fragments, frames and offset tables (PS3.5 §A.4).

The public functions are pydicom 3's (``pydicom.encaps``). They take
``bytes``, ``bytearray``, a ``memoryview`` or a readable file-like positioned
at the Basic Offset Table item (file-likes are returned to where they were).
The item headers are read once into a list of ``(item offset, value offset,
length)`` and frames are sliced from the buffer; only the frame asked for is
copied.
"""

from __future__ import annotations

from collections.abc import Iterator
from struct import pack, unpack, unpack_from
from typing import Any

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
    "encapsulate_extended",
    "get_nr_fragments",
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
        data = buffer.read()
        buffer.seek(position)
        return memoryview(data), buffer, position
    return memoryview(buffer).cast("B"), None, 0


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


def _fragment_items(
    view: memoryview, pos: int, endianness: str, end: int | None = None
) -> list[tuple[int, int, int]]:
    """(item offset, value offset, value length) of the fragment items from
    `pos` (pydicom's parse rules: stops at a Sequence Delimiter or when fewer
    than 4 bytes are left; a value running past the end is cut short)."""
    end = len(view) if end is None else end
    items = []
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
            items.append((pos, value, min(length, end - value)))
            pos = value + length
        elif tag == _SEQ_DELIM:
            break
        else:
            raise ValueError(
                f"Unexpected tag '{Tag(tag)}' at offset {pos} when parsing the "
                "encapsulated pixel data fragment items"
            )
    return items


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


def get_nr_fragments(buffer: Any, *, endianness: str = "<") -> int:
    """The number of fragments in `buffer` (from a fragment item tag)."""
    return parse_fragments(buffer, endianness=endianness)[0]


def generate_fragments(buffer: Any, *, endianness: str = "<") -> Iterator[bytes]:
    """Yield the value of each fragment item (from the first item tag)."""
    view, fp, position = _view_of(buffer)
    items = _fragment_items(view, 0, endianness)
    if fp is not None:
        # The file-like ends after what was read, as pydicom's reads it
        fp.seek(position + (items[-1][1] + items[-1][2] if items else 0))
    for _, value, length in items:
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
        frames = []
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
        from fastdicom import config

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
        if offsets[-1] > 0xFFFFFFFF:
            raise ValueError(
                "The total length of the encapsulated frame data is too large for the "
                "Basic Offset Table: use encapsulate_extended() instead"
            )
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
