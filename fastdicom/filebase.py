"""Buffer wrappers for encoding and decoding DICOM, as ``pydicom.filebase``.

:class:`DicomIO` wraps any object with ``seek()``/``tell()`` and a ``read()``
and/or ``write()`` method, and adds the few DICOM primitives a stream-based
reader or writer needs: tags (PS3.5 §7.1.1, a group and an element number,
each a 16-bit unsigned integer) and US/UL numbers, in the byte order chosen
with :attr:`DicomIO.is_little_endian`.

fastdicom's own reader scans whole buffers with its compiled scanner and
does not use these classes; they are the stream API pydicom programs use
(for example to build a dataset's bytes by hand, or as the destination of
:func:`~fastdicom.filewriter.dcmwrite`).
"""

from __future__ import annotations

import os
from collections.abc import Callable
from io import BytesIO
from struct import Struct
from types import TracebackType
from typing import Any, Protocol, TypeVar

__all__ = [
    "DicomBytesIO",
    "DicomFile",
    "DicomFileLike",
    "DicomIO",
    "ReadableBuffer",
    "WriteableBuffer",
]

ExitException = tuple[
    type[BaseException] | None, BaseException | None, TracebackType | None
]
Self = TypeVar("Self", bound="DicomIO")


class ReadableBuffer(Protocol):
    """A buffer that can be read from: ``read()``, ``seek()`` and ``tell()``."""

    def read(self, size: int = ..., /) -> bytes: ...  # pragma: no cover

    def seek(self, offset: int, whence: int = ..., /) -> int: ...  # pragma: no cover

    def tell(self) -> int: ...  # pragma: no cover


class WriteableBuffer(Protocol):
    """A buffer that can be written to: ``write()``, ``seek()`` and ``tell()``."""

    def seek(self, offset: int, whence: int = ..., /) -> int: ...  # pragma: no cover

    def tell(self) -> int: ...  # pragma: no cover

    def write(self, b: bytes | bytearray | memoryview, /) -> int: ...  # pragma: no cover


# One pair of structs per byte order, made once: (US, UL, tag).
_STRUCTS: dict[bool, tuple[Struct, Struct, Struct]] = {
    little: tuple(Struct(f"{'<' if little else '>'}{code}") for code in ("H", "L", "2H"))  # type: ignore[misc]
    for little in (True, False)
}


class DicomIO:
    """A buffer-like object used to read or write DICOM data.

    Parameters
    ----------
    buffer : buffer-like
        An object with ``seek()`` and ``tell()`` (as :class:`io.IOBase`), and
        ``read()`` if it is to be read from and/or ``write()`` if it is to be
        written to. A readable one can be passed to
        :func:`~fastdicom.filereader.dcmread`, a writeable one to
        :func:`~fastdicom.filewriter.dcmwrite`.

    Notes
    -----
    The buffer's own ``read``, ``write``, ``seek``, ``tell`` and ``close``
    become this object's methods, so calls go straight to the buffer.
    """

    _us_packer: Callable[[int], bytes]
    _us_unpacker: Callable[[bytes], tuple[Any, ...]]
    _ul_packer: Callable[[int], bytes]
    _ul_unpacker: Callable[[bytes], tuple[Any, ...]]
    _tag_packer: Callable[[int, int], bytes]
    _tag_unpacker: Callable[[bytes], tuple[Any, ...]]
    _implicit_vr: bool
    _little_endian: bool

    def __init__(self, buffer: ReadableBuffer | WriteableBuffer) -> None:
        self._buffer = buffer
        self._name: str | None = getattr(buffer, "name", None)

        # Bind the buffer's methods on the instance: cheaper than wrapping
        # them, and a missing read()/write() leaves the raising class method.
        for method in ("read", "write", "close"):
            if hasattr(buffer, method):
                setattr(self, method, getattr(buffer, method))
        self.seek = buffer.seek  # type: ignore[method-assign]
        self.tell = buffer.tell  # type: ignore[method-assign]

    def __enter__(self: Self) -> Self:
        return self

    def __exit__(self, *exc_info: ExitException) -> None:
        self.close()

    def close(self, *args: Any, **kwargs: Any) -> Any:
        """Close the buffer, when it can be closed."""

    @property
    def is_little_endian(self) -> bool:
        """The byte order used for encoding and decoding, ``True`` for little endian.

        Raises
        ------
        AttributeError
            When it has not been set.
        """
        try:
            return self._little_endian
        except AttributeError:
            raise AttributeError(
                f"{type(self).__name__}.is_little_endian' has not been set"
            ) from None

    @is_little_endian.setter
    def is_little_endian(self, value: bool) -> None:
        if not isinstance(value, bool):
            raise TypeError(f"'{type(self).__name__}.is_little_endian' must be bool")
        self._little_endian = value
        us, ul, tag = _STRUCTS[value]
        self._us_packer, self._us_unpacker = us.pack, us.unpack
        self._ul_packer, self._ul_unpacker = ul.pack, ul.unpack
        self._tag_packer, self._tag_unpacker = tag.pack, tag.unpack

    @property
    def is_implicit_VR(self) -> bool:
        """The VR encoding, ``True`` for implicit VR and ``False`` for explicit VR.

        Raises
        ------
        AttributeError
            When it has not been set.
        """
        try:
            return self._implicit_vr
        except AttributeError:
            raise AttributeError(
                f"{type(self).__name__}.is_implicit_VR' has not been set"
            ) from None

    @is_implicit_VR.setter
    def is_implicit_VR(self, value: bool) -> None:
        if not isinstance(value, bool):
            raise TypeError(f"'{type(self).__name__}.is_implicit_VR' must be bool")
        self._implicit_vr = value

    @property
    def name(self) -> str | None:
        """The wrapped buffer's ``name`` (``None`` if it had none), settable."""
        return self._name

    @name.setter
    def name(self, name: str) -> None:
        self._name = name

    @property
    def parent(self) -> ReadableBuffer | WriteableBuffer:
        """The wrapped buffer."""
        return self._buffer

    def read(self, size: int = -1, /) -> bytes:
        """Read up to `size` bytes (all of them when -1).

        Raises
        ------
        TypeError
            When the wrapped buffer has no ``read()`` method.
        """
        raise TypeError(
            f"'{type(self).__name__}' cannot be used with "
            f"'{type(self._buffer).__name__}': object has no read() method"
        )

    def read_exact(self, length: int, nr_retries: int = 3) -> bytes:
        """Read exactly `length` bytes.

        Parameters
        ----------
        length : int
            The number of bytes wanted.
        nr_retries : int, optional
            How many more reads to try when one returns fewer bytes
            (a pipe or socket may), default 3.

        Returns
        -------
        bytes

        Raises
        ------
        EOFError
            When `length` bytes could not be read.
        """
        data = self.read(length)
        if len(data) == length:
            return data
        collected = bytearray(data)
        for _ in range(nr_retries):
            if len(collected) >= length:
                break
            collected += self.read(length - len(collected))
        if len(collected) == length:
            return bytes(collected)
        got = len(collected)
        raise EOFError(
            f"Unexpected end of file. Read {got} bytes of {length} "
            f"expected starting at position 0x{self.tell() - got:x}"
        )

    def read_tag(self) -> tuple[int, int]:
        """Read a tag (PS3.5 §7.1.1): the (group, element) pair."""
        return self._tag_unpacker(self.read_exact(4))

    def read_UL(self) -> int:
        """Read a 4-byte unsigned integer (UL)."""
        return int(self._ul_unpacker(self.read(4))[0])

    def read_US(self) -> int:
        """Read a 2-byte unsigned integer (US)."""
        return int(self._us_unpacker(self.read(2))[0])

    def seek(self, offset: int, whence: int = os.SEEK_SET, /) -> int:
        """Move to `offset` relative to `whence`; return the new position."""
        raise NotImplementedError  # pragma: no cover - replaced in __init__

    def tell(self) -> int:
        """The current position in the buffer."""
        raise NotImplementedError  # pragma: no cover - replaced in __init__

    def write(self, b: bytes | bytearray | memoryview, /) -> int:
        """Write `b`; return the number of bytes written.

        Raises
        ------
        TypeError
            When the wrapped buffer has no ``write()`` method.
        """
        raise TypeError(
            f"'{type(self).__name__}' cannot be used with "
            f"'{type(self._buffer).__name__}': object has no write() method"
        )

    def write_tag(self, tag: int) -> None:
        """Write a tag given as one 32-bit integer (group << 16 | element)."""
        self.write(self._tag_packer(tag >> 16, tag & 0xFFFF))

    def write_UL(self, val: int) -> None:
        """Write a 4-byte unsigned integer (UL)."""
        self.write(self._ul_packer(val))

    def write_US(self, val: int) -> None:
        """Write a 2-byte unsigned integer (US)."""
        self.write(self._us_packer(val))


class DicomFileLike(DicomIO):
    """A :class:`DicomIO` around a file-like object."""


def DicomFile(*args: Any, **kwargs: Any) -> DicomFileLike:
    """Open a file (arguments as :func:`open`) and wrap it in a :class:`DicomFileLike`.

    Returns
    -------
    DicomFileLike
    """
    return DicomFileLike(open(*args, **kwargs))


class DicomBytesIO(DicomIO):
    """A :class:`DicomIO` around an in-memory :class:`io.BytesIO`.

    Parameters
    ----------
    initial_bytes : bytes, bytearray or memoryview, optional
        The initial content, empty by default.
    """

    def __init__(self, initial_bytes: bytes | bytearray | memoryview = b"") -> None:
        buffer = BytesIO(initial_bytes)
        super().__init__(buffer)
        self.getvalue = buffer.getvalue
