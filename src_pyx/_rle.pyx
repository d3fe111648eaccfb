"""RLE Lossless (PS3.5 Annex G) decoding straight into an output array, and encoding.

A frame is a 64-byte header (segment count, then up to 15 segment offsets,
little endian, PS3.5 G.5) followed by the segments. Segment k holds one byte
of every pixel of one sample: for each sample, the most significant byte
first (PS3.5 G.2). Each segment is a PackBits stream (PS3.5 G.3.1).

Decoding writes each segment's bytes straight to their place in the output
frame (interleaved samples, native little-endian values), with the GIL
released. The segment rules follow pydicom's decoder: a segment runs from its
offset to the next one (the last to the end of the frame), a truncated run is
cut short, and a segment decoding to more bytes than pixels is padding.
"""

from libc.stdint cimport uint8_t, uint32_t
from libc.string cimport memset, memcpy
from cpython.bytes cimport PyBytes_FromStringAndSize


cdef inline uint32_t _u32le(const uint8_t* p) noexcept nogil:
    return p[0] | (<uint32_t>p[1] << 8) | (<uint32_t>p[2] << 16) | (<uint32_t>p[3] << 24)


cdef Py_ssize_t _decode_segment(
    const uint8_t* src, Py_ssize_t n, uint8_t* dst, Py_ssize_t count, Py_ssize_t stride
) noexcept nogil:
    """Decode src[:n] writing at most `count` bytes to dst[0], dst[stride], ...

    Returns how many bytes the segment decodes to (may exceed `count`)."""
    cdef Py_ssize_t pos = 0, out = 0, run, k, avail, w
    cdef int header
    cdef uint8_t value
    while pos < n:
        header = src[pos]
        pos += 1
        if header > 128:
            # Replicate run: the next byte 257 - header times
            if pos >= n:
                break
            run = 257 - header
            value = src[pos]
            pos += 1
            w = count - out
            if w > run:
                w = run
            if w > 0:
                if stride == 1:
                    memset(dst + out, value, w)
                else:
                    for k in range(w):
                        dst[(out + k) * stride] = value
            out += run
        elif header < 128:
            # Literal run of header + 1 bytes (cut short at the end)
            run = header + 1
            avail = n - pos
            if run > avail:
                run = avail
            w = count - out
            if w > run:
                w = run
            if w > 0:
                if stride == 1:
                    memcpy(dst + out, src + pos, w)
                else:
                    for k in range(w):
                        dst[(out + k) * stride] = src[pos + k]
            out += run
            pos += run
        # header == 128: no operation (PS3.5 G.3.2)
    return out


def decode_frame(
    const uint8_t[::1] src,
    uint8_t[::1] out,
    Py_ssize_t pixels,
    int samples,
    int bytes_per_sample,
    bint big_endian_segments=True,
):
    """Decode one RLE frame into out[: pixels * samples * bytes_per_sample].

    The output is interleaved (Planar Configuration 0) little-endian values.
    Returns the list of decoded lengths of each segment (for the padding
    warning); raises ValueError for a bad header, a segment count that does
    not match, or a segment shorter than `pixels`.
    """
    cdef Py_ssize_t n = src.shape[0]
    if n < 64:
        raise ValueError("The RLE header can only be 64 bytes long")
    cdef const uint8_t* s = &src[0]
    cdef uint32_t nr_segments = _u32le(s)
    if nr_segments > 15:
        raise ValueError(f"The RLE header specifies an invalid number of segments ({nr_segments})")
    cdef int expected = samples * bytes_per_sample
    if <int>nr_segments != expected:
        raise ValueError(
            "The number of RLE segments in the pixel data doesn't match the "
            f"expected amount ({nr_segments} vs. {expected} segments)"
        )
    if pixels < 0 or out.shape[0] < pixels * expected:
        raise ValueError(f"The output holds {out.shape[0]} bytes, {pixels * expected} are needed")
    cdef Py_ssize_t offsets[16]
    cdef Py_ssize_t lengths[15]
    cdef int k, sample, byte_index, seg
    for k in range(<int>nr_segments):
        offsets[k] = _u32le(s + 4 + 4 * k)
    offsets[nr_segments] = n
    cdef Py_ssize_t start, stop, dest
    cdef uint8_t* d = &out[0]
    with nogil:
        for sample in range(samples):
            for byte_index in range(bytes_per_sample):
                # byte_index 0 is the least significant byte of the value
                if big_endian_segments:
                    seg = sample * bytes_per_sample + (bytes_per_sample - 1 - byte_index)
                else:
                    seg = sample * bytes_per_sample + byte_index
                start = offsets[seg]
                stop = offsets[seg + 1]
                if stop > n:
                    stop = n
                if start > stop:
                    start = stop
                dest = sample * bytes_per_sample + byte_index
                lengths[seg] = _decode_segment(
                    s + start, stop - start, d + dest, pixels, expected
                )
    result = [lengths[k] for k in range(expected)]
    for k in range(expected):
        if lengths[k] < pixels:
            raise ValueError(
                "The amount of decoded RLE segment data doesn't match the "
                f"expected amount ({lengths[k]} vs. {pixels} bytes)"
            )
    return result


cdef Py_ssize_t _encode_row(const uint8_t* src, Py_ssize_t n, Py_ssize_t stride,
                            uint8_t* out) noexcept nogil:
    """PackBits one row of n bytes (src[0], src[stride], ...) as pydicom does:
    runs of 2 or more are replicate runs, single bytes gather into literal
    runs of at most 128. Returns the bytes written, at most _row_bound(n)."""
    cdef Py_ssize_t i = 0, j, w = 0, lit_start = -1, lit_len = 0, run, full, part, k
    cdef uint8_t v
    while i < n:
        v = src[i * stride]
        j = i + 1
        while j < n and src[j * stride] == v:
            j += 1
        run = j - i
        if run == 1:
            if lit_len == 0:
                lit_start = i
            lit_len += 1
        else:
            if lit_len:
                w = _flush_literal(src, lit_start, lit_len, stride, out, w)
                lit_len = 0
            full = run // 128
            part = run % 128
            for k in range(full):
                out[w] = 129
                out[w + 1] = v
                w += 2
            if part > 1:
                out[w] = <uint8_t>(257 - part)
                out[w + 1] = v
                w += 2
            elif part == 1:
                out[w] = 0
                out[w + 1] = v
                w += 2
        i = j
    if lit_len:
        w = _flush_literal(src, lit_start, lit_len, stride, out, w)
    return w


cdef Py_ssize_t _flush_literal(const uint8_t* src, Py_ssize_t start, Py_ssize_t length,
                               Py_ssize_t stride, uint8_t* out, Py_ssize_t w) noexcept nogil:
    cdef Py_ssize_t k, m, chunk
    k = 0
    while k < length:
        chunk = length - k
        if chunk > 128:
            chunk = 128
        out[w] = <uint8_t>(chunk - 1)
        w += 1
        for m in range(chunk):
            out[w + m] = src[(start + k + m) * stride]
        w += chunk
        k += chunk
    return w


cdef inline Py_ssize_t _row_bound(Py_ssize_t n) noexcept nogil:
    """The most bytes _encode_row writes for a row of n bytes.

    A replicate run of r >= 2 bytes encodes to at most r bytes (2 per 128).
    A literal run of l bytes encodes to l + ceil(l / 128) bytes, and every
    literal run but the last is followed by a replicate run of at least 2
    bytes, so there are at most n // 3 + 1 literal runs: the worst row is
    single bytes between runs of exactly two ("a b b a b b ..."), which grows
    by a third. Hence n + n // 3 + n // 128 + 2; + 4 for rounding slack.
    """
    return n + n // 3 + n // 128 + 4


def encode_frame(const uint8_t[::1] src, Py_ssize_t rows, Py_ssize_t columns,
                 int samples, int bytes_per_sample):
    """RLE encode one frame of interleaved little-endian values (PS3.5 Annex G).

    Each row of each segment is encoded separately (G.3.1); odd-length
    segments get a trailing zero byte. Returns the frame as bytes.
    """
    cdef int nr_segments = samples * bytes_per_sample
    if nr_segments > 15:
        raise ValueError(
            "Unable to encode as the DICOM standard only allows "
            "a maximum of 15 segments in RLE encoded data"
        )
    if rows < 0 or columns < 0 or nr_segments < 1:
        raise ValueError("Invalid frame dimensions")
    cdef Py_ssize_t pixels = rows * columns
    if src.shape[0] < pixels * nr_segments:
        raise ValueError(
            f"The frame holds {src.shape[0]} bytes, {pixels * nr_segments} are needed"
        )
    # Worst case per row (see _row_bound): 4/3 of the row plus literal headers
    cdef Py_ssize_t row_max = _row_bound(columns)
    cdef Py_ssize_t capacity = 64 + nr_segments * (rows * row_max + 1)
    cdef bint overrun = False
    buffer = bytearray(capacity)
    cdef uint8_t[::1] outv = buffer
    cdef uint8_t* o = &outv[0]
    cdef const uint8_t* s = &src[0] if src.shape[0] else NULL
    cdef Py_ssize_t w = 64, seg_start, r
    cdef int sample, b, seg = 0
    cdef Py_ssize_t offset_index
    with nogil:
        memset(o, 0, 64)
        o[0] = <uint8_t>nr_segments
        for sample in range(samples):
            for b in range(bytes_per_sample - 1, -1, -1):
                seg_start = w
                o[4 + 4 * seg] = <uint8_t>(w & 0xFF)
                o[5 + 4 * seg] = <uint8_t>((w >> 8) & 0xFF)
                o[6 + 4 * seg] = <uint8_t>((w >> 16) & 0xFF)
                o[7 + 4 * seg] = <uint8_t>((w >> 24) & 0xFF)
                for r in range(rows):
                    # bound check before each row: the row cannot write past
                    # row_max bytes, so room for it means no overrun
                    if w + row_max + 1 > capacity:
                        overrun = True
                        break
                    w += _encode_row(
                        s + r * columns * nr_segments + sample * bytes_per_sample + b,
                        columns, nr_segments, o + w,
                    )
                if overrun:
                    break
                if (w - seg_start) & 1:
                    o[w] = 0
                    w += 1
                seg += 1
            if overrun:
                break
    if overrun:
        raise RuntimeError("RLE encoder output buffer too small (internal error)")
    if w > 0xFFFFFFFF:
        raise ValueError("The RLE frame is too large for 32-bit segment offsets")
    return PyBytes_FromStringAndSize(<char*>o, w)
