"""Hex text to bytes and back, for writing byte-exact test data by hand."""

from __future__ import annotations

from binascii import a2b_hex, b2a_hex

from fastdicom.charset import default_encoding

__all__ = ["bytes2hex", "hex2bytes"]


def hex2bytes(hexstring: str | bytes) -> bytes:
    """Return the bytes written as whitespace-separated hex pairs.

    Handy for test data with a comment per element::

        hex2bytes(
            "08 00 32 10 "  # (0008,1032) SQ Procedure Code Sequence
            "08 00 00 00 "  # length 8
        )

    Parameters
    ----------
    hexstring : str or bytes
        Hex digits, pairs separated by spaces.

    Returns
    -------
    bytes

    Raises
    ------
    TypeError
        If `hexstring` is neither :class:`str` nor :class:`bytes`.
    """
    if isinstance(hexstring, bytes):
        return a2b_hex(hexstring.replace(b" ", b""))
    if isinstance(hexstring, str):
        return a2b_hex(hexstring.replace(" ", "").encode(default_encoding))
    raise TypeError("argument shall be bytes or string type")


def bytes2hex(byte_string: bytes) -> str:
    """Return `byte_string` as lower-case hex pairs separated by spaces.

    Parameters
    ----------
    byte_string : bytes

    Returns
    -------
    str
        e.g. ``"00 0a ff"``.
    """
    digits = b2a_hex(byte_string).decode("ascii")
    return " ".join(digits[i : i + 2] for i in range(0, len(digits), 2))
