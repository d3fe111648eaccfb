"""Hex dumps and an element-by-element printer, for debugging I/O."""

from __future__ import annotations

import os
import sys
from io import BytesIO
from typing import TYPE_CHECKING, BinaryIO

from fastdicom.valuerep import VR

if TYPE_CHECKING:  # pragma: no cover
    from fastdicom.dataset import Dataset

__all__ = ["datadump", "filedump", "hexdump", "pretty_print", "print_character"]

_BYTES_PER_LINE = 16


def print_character(ordchr: int) -> str:
    """Return the character of byte `ordchr` if printable, else ``"."``.

    The backslash (DICOM's value separator) is shown as ``"."`` too, as are
    DEL and the control characters.

    Parameters
    ----------
    ordchr : int
        A byte value.

    Returns
    -------
    str
    """
    if 31 < ordchr < 126 and ordchr != 0x5C:
        return chr(ordchr)
    return "."


def filedump(
    filename: str | bytes | os.PathLike,
    start_address: int = 0,
    stop_address: int | None = None,
) -> str:
    """Return a hex dump (16 bytes a line) of the file `filename`.

    Parameters
    ----------
    filename : str, bytes or os.PathLike
    start_address, stop_address : int, optional
        As for :func:`hexdump`.

    Returns
    -------
    str
    """
    with open(filename, "rb") as f:
        return hexdump(f, start_address, stop_address)


def datadump(data: bytes, start_address: int = 0, stop_address: int | None = None) -> str:
    """Return a hex dump (16 bytes a line) of `data`.

    Parameters
    ----------
    data : bytes
    start_address, stop_address : int, optional
        As for :func:`hexdump`.

    Returns
    -------
    str
    """
    return hexdump(BytesIO(data), start_address, stop_address)


def hexdump(
    f: BinaryIO,
    start_address: int = 0,
    stop_address: int | None = None,
    show_address: bool = True,
) -> str:
    """Return lines of offset, 16 hex bytes and their printable characters.

    Parameters
    ----------
    f : file-like
        A seekable binary stream.
    start_address : int, optional
        Offset of the first byte dumped (default 0).
    stop_address : int, optional
        No line starts after this offset; the whole stream by default.
    show_address : bool, optional
        Start each line with its offset in hex (default ``True``); the
        offsets have as many digits as the largest one needs.

    Returns
    -------
    str
    """
    end = f.seek(0, os.SEEK_END)
    width = len(f"{stop_address:X}") if stop_address else len(f"{end:X}")

    lines = []
    f.seek(start_address)
    while True:
        offset = f.tell()
        if stop_address and offset > stop_address:
            break
        data = f.read(_BYTES_PER_LINE)
        if not data:
            break
        hex_part = " ".join(f"{b:02X}" for b in data)
        text_part = "".join(print_character(b) for b in data)
        # A short last line keeps the text column aligned.
        line = f"{hex_part:<{3 * _BYTES_PER_LINE + 1}}{text_part}"
        lines.append(f"{offset:0{width}X}  {line}" if show_address else line)
    return "\n".join(lines)


def pretty_print(ds: "Dataset", indent_level: int = 0, indent_chars: str = "  ") -> None:
    """Print `ds` element by element, sequences indented.

    Unlike ``str(ds)``, each line is printed as soon as it is made, so the
    output shows how far printing got when an element fails to convert.

    Parameters
    ----------
    ds : Dataset
    indent_level : int, optional
        Nesting depth of `ds`.
    indent_chars : str, optional
        The indent of one level.
    """
    indent = indent_chars * indent_level
    item_end = indent_chars * (indent_level + 1) + "---------"
    for elem in ds:
        if elem.VR == VR.SQ:
            print(f"{indent}{elem.tag} {elem.name} -- {len(elem.value)} item(s)")
            for item in elem.value:
                pretty_print(item, indent_level + 1, indent_chars)
                print(item_end)
        else:
            print(indent + repr(elem))


def main(argv: list[str] | None = None) -> int:
    """``python -m fastdicom.util.dump FILE [START [STOP]]``: print a hex dump.

    Parameters
    ----------
    argv : list of str, optional
        The arguments (default ``sys.argv[1:]``); START and STOP are
        integers in any Python notation (``500``, ``0x1F4``).

    Returns
    -------
    int
        The exit status.
    """
    args = sys.argv[1:] if argv is None else argv
    if not 1 <= len(args) <= 3:
        print("usage: python -m fastdicom.util.dump FILE [START [STOP]]", file=sys.stderr)
        return 2
    start = int(args[1], 0) if len(args) > 1 else 0
    stop = int(args[2], 0) if len(args) > 2 else None
    print(filedump(args[0], start, stop))
    return 0


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
