"""Overlay planes (PS3.3 C.9.2), as pydicom 3's ``pydicom.overlays`` package.

The work is done by :mod:`fastdicom.overlays.numpy_handler`.
"""

from fastdicom.overlays.numpy_handler import get_overlay_array, overlay_array

__all__ = ["get_overlay_array", "overlay_array"]
