"""One place to import reading and writing from, as ``pydicom.dicomio``."""

from fastdicom.filereader import dcmread
from fastdicom.filewriter import dcmwrite

__all__ = ["dcmread", "dcmwrite"]
