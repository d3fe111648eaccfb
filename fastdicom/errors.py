"""Exceptions raised by fastdicom.

The names follow pydicom so that ``except InvalidDicomError`` keeps working for
code that switches its import. Every error raised while parsing bytes carries
where it happened: the file, the byte offset and the tag being read.
"""

from __future__ import annotations

__all__ = [
    "InvalidDicomError",
    "DicomParseError",
    "DicomTruncatedError",
    "DicomNestingError",
    "BytesLengthException",
]


class InvalidDicomError(Exception):
    """The data is not valid DICOM, or cannot be read as DICOM.

    Raised, for example, when a file has no 'DICM' prefix and ``force`` is
    false, or when its structure is broken.
    """

    def __init__(self, *args: object) -> None:
        if not args:
            args = ("The specified file is not a valid DICOM file.",)
        super().__init__(*args)


class DicomParseError(InvalidDicomError):
    """The byte structure of a DICOM dataset is corrupt.

    Parameters
    ----------
    reason : str
        What is wrong, in words.
    offset : int
        Byte offset in the source buffer (the file, or the inflated dataset of
        a deflated file) where the faulty element or item starts.
    tag : int or None
        The tag being read when the problem was found, if one was read.
    filename : str or None
        The file being read, when known.
    """

    def __init__(
        self,
        reason: str,
        offset: int,
        tag: int | None = None,
        filename: str | None = None,
    ) -> None:
        self.reason = reason
        self.offset = offset
        self.tag = tag
        self.filename = filename
        super().__init__(self._message())

    def _message(self) -> str:
        where = f"at offset 0x{self.offset:X} ({self.offset})"
        if self.tag is not None:
            where += f", tag ({self.tag >> 16:04X},{self.tag & 0xFFFF:04X})"
        if self.filename:
            where = f"in '{self.filename}' " + where
        return f"{self.reason} {where}"

    def with_filename(self, filename: str | None) -> "DicomParseError":
        """Return this error with the file name filled in (if it was unknown).

        Parameters
        ----------
        filename : str or None
            The name of the file the buffer came from.

        Returns
        -------
        DicomParseError
            ``self``, updated in place so the traceback is kept.
        """
        if filename and not self.filename:
            self.filename = filename
        self.args = (self._message(),)
        return self

    def __reduce__(self):  # keep pickling (multiprocessing) working
        return (type(self), (self.reason, self.offset, self.tag, self.filename))


class DicomTruncatedError(DicomParseError, EOFError):
    """An element, item or sequence runs past the end of the data.

    Also an :class:`EOFError`, the error pydicom raises for data that ends
    too soon in strict reading.
    """


class DicomNestingError(DicomParseError):
    """Sequences are nested deeper than fastdicom's limit.

    Real files nest a handful of levels; thousands of levels are an attack on
    the reader's stack, so fastdicom stops at
    :data:`fastdicom._parser.MAX_NESTING_DEPTH`.
    """


class BytesLengthException(Exception):
    """A byte string's length is not a multiple of its value size."""
