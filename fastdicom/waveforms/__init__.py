"""Waveforms (PS3.3 C.10.9), as pydicom 3's ``pydicom.waveforms`` package.

The work is done by :mod:`fastdicom.waveforms.numpy_handler`.
"""

from fastdicom.waveforms.numpy_handler import (
    WAVEFORM_DTYPES,
    generate_multiplex,
    multiplex_array,
    waveform_array,
)

__all__ = ["WAVEFORM_DTYPES", "generate_multiplex", "multiplex_array", "waveform_array"]
