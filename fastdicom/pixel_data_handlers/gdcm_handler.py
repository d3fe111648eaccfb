"""Deprecated: pydicom 2's GDCM pixel data handler, which fastdicom has no
backend for.

fastdicom decodes JPEG, JPEG-LS and JPEG 2000 with its own plugins
(:mod:`fastdicom.pixels.decoders`); this module keeps pydicom's names so
that code checking for the handler finds it unavailable.
"""

from __future__ import annotations

from typing import Any

from fastdicom.uid import JPEG2000, JPEG2000Lossless, JPEGLSTransferSyntaxes, JPEGTransferSyntaxes

HANDLER_NAME = "GDCM"
"""The handler's name."""
DEPENDENCIES = {
    "numpy": ("https://numpy.org/", "NumPy"),
    "gdcm": ("https://sourceforge.net/projects/gdcm/", "GDCM"),
}
"""What the handler would need."""
HAVE_GDCM = False
"""Always False: fastdicom does not decode through GDCM."""
HAVE_GDCM_IN_MEMORY_SUPPORT = False
SUPPORTED_TRANSFER_SYNTAXES = [
    *JPEGTransferSyntaxes, *JPEGLSTransferSyntaxes, JPEG2000Lossless, JPEG2000
]


def is_available() -> bool:
    """Return False: there is no GDCM backend."""
    return HAVE_GDCM


def needs_to_convert_to_RGB(ds: Any) -> bool:
    """Return False, as pydicom's handler."""
    return False


def should_change_PhotometricInterpretation_to_RGB(ds: Any) -> bool:
    """Return False, as pydicom's handler."""
    return False


def supports_transfer_syntax(transfer_syntax: str) -> bool:
    """True for the JPEG family GDCM would decode.

    Parameters
    ----------
    transfer_syntax : str
    """
    return transfer_syntax in SUPPORTED_TRANSFER_SYNTAXES


def get_pixeldata(ds: Any) -> Any:
    """Raise: the handler is never available.

    Raises
    ------
    ImportError
        Always, with pydicom's message for a missing GDCM.
    """
    raise ImportError("The GDCM handler requires both gdcm and numpy")
