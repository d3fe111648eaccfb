"""Contract of ``fastdicom._rle`` (src_pyx/_rle.pyx): RLE Lossless, PS3.5 Annex G."""

def decode_frame(src, out, pixels: int, samples: int, bytes_per_sample: int,
                 big_endian_segments: bool = True) -> list[int]:
    """Decode one frame into out (interleaved, little-endian values); returns
    each segment's decoded length. ValueError for a bad header, a wrong
    segment count or a short segment."""

def encode_frame(src, rows: int, columns: int, samples: int, bytes_per_sample: int) -> bytes:
    """Encode one frame of interleaved little-endian values (pydicom's bytes)."""
