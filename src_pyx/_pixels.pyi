"""Contract of ``fastdicom._pixels`` (src_pyx/_pixels.pyx): native pixel data
into a preallocated output, GIL released; every length is checked (ValueError)."""

def decode_native(src, offset: int, out, pixels: int, samples: int, itemsize: int,
                  shift: int, signed_: bool, swap: bool, planar: bool, frames: int) -> None:
    """Copy frames x pixels x samples values of itemsize bytes from src[offset:]
    into out (native order, interleaved): swap (big endian source), clear or
    sign-extend the top `shift` bits, de-planarize. src may alias out when
    planar is False."""

def unpack_bits(src, bit_offset: int, count: int, out) -> None:
    """Unpack count bits from bit `bit_offset` (bit 0 of a byte first) into out."""

def pack_bits(src, out) -> None:
    """Pack src values (0 / non-zero) one bit each into out."""
