"""Type stub of the compiled value conversion (src_pyx/_values.pyx)."""

from typing import Any, Final, Sequence

DECLINED: Final[object]
"""Returned when the Python path (fastdicom.values) must make the value."""

TEXT_NONE: Final[int]
TEXT_LATIN1: Final[int]
TEXT_ASCII: Final[int]

OPT_DS_DECIMAL: Final[int]
OPT_DS_NUMPY: Final[int]
OPT_IS_NUMPY: Final[int]
OPT_DATETIME: Final[int]

def convert(
    buffer: bytes | memoryview,
    offset: int,
    length: int,
    vr: str,
    little: bool,
    text_mode: int = 0,
    encodings: Sequence[str] | None = None,
    mode: int = 1,
    options: int = 0,
) -> Any:
    """The value of ``buffer[offset:offset + length]`` for `vr`, or DECLINED."""

def bind_settings(
    converters: dict[str, Any],
    builtin_converters: dict[str, Any],
    config: Any,
    text_modes: dict[str, int],
    text_mode_of: Any,
) -> None:
    """Give convert_record the Python state it reads (called once by fastdicom.values)."""

def convert_record(
    VR: str,
    buffer: bytes | memoryview,
    offset: int,
    length: int,
    is_little_endian: bool,
    encodings: Sequence[str] | None = None,
) -> Any:
    """The value of ``buffer[offset:offset + length]`` for `VR`, or DECLINED."""

CONVERT_RECORD_CAPSULE: Any
"""A capsule of the C entry behind convert_record (for fastdicom._parser)."""
