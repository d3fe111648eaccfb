"""Header parsing of JPEG, JPEG-LS and JPEG 2000 codestreams.

Only the few parameters that decide how a decoded frame is interpreted are
read here (precision, signedness, component ids, APP markers, JPEG-LS
interleave mode). Parsing never raises: a codestream whose header cannot be
read gives an empty dict and the codec's own error reports the problem.
"""

from __future__ import annotations

from typing import Any

# ISO/IEC 10918-1 Table B.1: SOF0-SOF15 except DHT (C4), JPG (C8), DAC (CC);
# ISO/IEC 14495-1 C.2.2: SOF55 (F7) for JPEG-LS
_SOF = frozenset(
    [0xC0, 0xC1, 0xC2, 0xC3, 0xC5, 0xC6, 0xC7, 0xC9, 0xCA, 0xCB, 0xCD, 0xCE, 0xCF, 0xF7]
)


def jpeg_parameters(src: bytes) -> dict[str, Any]:
    """Parameters of a JPEG (10918-1) or JPEG-LS (14495-1) codestream.

    Keys: ``precision``, ``height``, ``width``, ``components``,
    ``component_ids``, ``app`` (marker -> payload), ``process`` (the SOF
    marker's low byte) and, for JPEG-LS, ``lossy_error`` (NEAR) and
    ``interleave_mode`` (ILV).
    """
    info: dict[str, Any] = {}
    try:
        if src[0:2] != b"\xff\xd8":  # SOI
            return info
        offset = 2
        app: dict[bytes, bytes] = {}
        while True:
            if src[offset] != 0xFF:
                return {}
            marker = src[offset + 1]
            if marker in _SOF:
                break
            length = (src[offset + 2] << 8) | src[offset + 3]
            if 0xE0 <= marker <= 0xEF:
                app[bytes(src[offset : offset + 2])] = bytes(src[offset + 4 : offset + 2 + length])
            offset += length + 2
        if app:
            info["app"] = app
        info["process"] = marker
        offset += 2  # at the SOF length
        info["precision"] = src[offset + 2]
        info["height"] = (src[offset + 3] << 8) | src[offset + 4]
        info["width"] = (src[offset + 5] << 8) | src[offset + 6]
        ncomp = src[offset + 7]
        info["components"] = ncomp
        offset += 8
        info["component_ids"] = [src[offset + 3 * i] for i in range(ncomp)]
        offset += 3 * ncomp
        if marker != 0xF7:
            return info
        while src[offset : offset + 2] != b"\xff\xda":  # SOS
            offset += ((src[offset + 2] << 8) | src[offset + 3]) + 2
        offset += 5 + src[offset + 4] * 2
        info["lossy_error"] = src[offset]
        info["interleave_mode"] = src[offset + 1]
    except IndexError:
        return {}
    return info


def j2k_parameters(src: bytes) -> dict[str, Any]:
    """Precision and signedness of the first component of a J2K codestream.

    ISO/IEC 15444-1 A.5.1 (SIZ). A JP2 file header, which DICOM does not
    allow (PS3.5 A.4.4) but some writers add, is skipped to its ``jp2c`` box.
    Keys: ``jp2``, ``precision``, ``is_signed`` and the image size of the
    reference grid less its offset (A.5.1: ``columns`` = Xsiz - XOsiz,
    ``rows`` = Ysiz - YOsiz) with ``components`` (Csiz); empty if unreadable.
    """
    offset = 0
    info: dict[str, Any] = {"jp2": False}
    try:
        if src[:8] == b"\x00\x00\x00\x0c\x6a\x50\x20\x20":
            info["jp2"] = True
            offset = 12
            total = len(src)
            while offset < total:
                length = int.from_bytes(src[offset : offset + 4], "big")
                if src[offset + 4 : offset + 8] == b"jp2c":
                    offset += 8
                    break
                if length < 8:
                    return {}
                offset += length
        if src[offset : offset + 4] != b"\xff\x4f\xff\x51":  # SOC, SIZ
            return {}
        ssiz = src[offset + 42]
        # SOC(2) SIZ(2) Lsiz(2) Rsiz(2) Xsiz Ysiz XOsiz YOsiz (4 each) ... Csiz at 40
        xsiz, ysiz, xosiz, yosiz = (
            int.from_bytes(src[offset + k : offset + k + 4], "big") for k in (8, 12, 16, 20)
        )
        info["columns"] = max(0, xsiz - xosiz)
        info["rows"] = max(0, ysiz - yosiz)
        info["components"] = int.from_bytes(src[offset + 40 : offset + 42], "big")
    except IndexError:
        return {}
    info["precision"] = (ssiz & 0x7F) + 1
    info["is_signed"] = bool(ssiz & 0x80)
    return info
