"""The "pylibjpeg" decoding plugin: pydicom's own codec packages,
pylibjpeg-libjpeg (JPEG, JPEG-LS) and pylibjpeg-openjpeg (JPEG 2000, HTJ2K),
used when imagecodecs is not installed, and pylibjpeg-rle (RLE Lossless;
not registered by default: fastdicom's compiled decoder is the one used, and
``RLELosslessDecoder.add_plugin("pylibjpeg", ...)`` adds it)."""

from __future__ import annotations

from typing import Any

from fastdicom.pixels.decoders import _common, jpeg, jpeg2k, jpegls
from fastdicom.uid import UID, RLELossless

# The retired progressive JPEG processes are not decoded by libjpeg
_FAMILIES = {
    UID(uid): family
    for family in (jpeg, jpegls, jpeg2k)
    for uid in family.UIDS
    if uid not in ("1.2.840.10008.1.2.4.53", "1.2.840.10008.1.2.4.55")
}
_MODULES = {uid: family.BACKENDS["pylibjpeg"][1] for uid, family in _FAMILIES.items()}
_DISTRIBUTIONS = {"libjpeg": "pylibjpeg-libjpeg", "openjpeg": "pylibjpeg-openjpeg"}
DECODER_DEPENDENCIES: dict[str, tuple[str, ...]] = {
    uid: (_DISTRIBUTIONS[module],) for uid, module in _MODULES.items()
}
DECODER_DEPENDENCIES[RLELossless] = ("pylibjpeg>=2.0", "pylibjpeg-rle>=2.0")


def is_available(uid: str) -> bool:
    """``True`` if the pylibjpeg package that decodes `uid` is installed."""
    if uid == RLELossless:
        return _common.backend_available("pylibjpeg") and _common.backend_available("rle")
    return uid in _MODULES and _common.backend_available(_MODULES[UID(uid)])


def _decode_frame(src: bytes, runner: Any) -> Any:
    """Decode one frame (the plugin function)."""
    if runner.transfer_syntax == RLELossless:
        from rle.utils import decode_pixel_data

        # pylibjpeg-rle gives each sample's plane in turn
        frame = decode_pixel_data(src, version=2, **runner.options)
        runner.set_option("planar_configuration", 1)
        return frame
    return _common.plugin_decode(_FAMILIES[runner.transfer_syntax], "pylibjpeg", src, runner)
