"""Native (uncompressed) pixel data into a preallocated array (PS3.5 §8).

One pass from the source buffer into the output: byte swap (big endian
sources), mask or sign-extend the unused high bits (Bits Stored < Bits
Allocated, PS3.5 §8.1.1), de-planarize (Planar Configuration 1, PS3.3
C.7.6.3.1.3) and unpack 1-bit data (PS3.5 §8.1.1, little bit order). The
GIL is released during each loop. Python decides the layout and checks the
attributes; these functions check every length against the buffers
themselves and raise ValueError rather than read or write out of bounds.
"""

from libc.stdint cimport int8_t, int16_t, int32_t, int64_t, uint8_t, uint16_t, uint32_t, uint64_t
from libc.string cimport memcpy, memmove


cdef extern from *:
    """
    /* The 16-bit loops of the common case (Bits Stored < 16, e.g. 12-bit CT
       in 16 bits), compiled twice on x86-64 Linux: for AVX2 and for the
       baseline (SSE2), the loader picking one for the CPU (GCC/Clang
       target_clones). The AVX2 loop is about twice as fast on a 512x512
       slice (16 values per instruction instead of 8). */
    #include <stdint.h>
    #if defined(__x86_64__) && defined(__linux__) && defined(__has_attribute)
    #  if __has_attribute(target_clones)
    #    define FASTDICOM_CLONES __attribute__((target_clones("avx2", "default")))
    #  endif
    #endif
    #ifndef FASTDICOM_CLONES
    #  define FASTDICOM_CLONES
    #endif
    /* dst[i] = ((src[i] & mask) ^ sign) - sign: the low bits kept, and
       sign-extended from bit `sign` when sign != 0 (wrapping arithmetic) */
    FASTDICOM_CLONES static void fastdicom_fix16(
        const uint16_t* src, uint16_t* dst, Py_ssize_t n, uint16_t mask, uint16_t sign)
    {
        for (Py_ssize_t i = 0; i < n; i++)
            dst[i] = (uint16_t)(((src[i] & mask) ^ sign) - sign);
    }
    /* The same in place: one pointer, so no aliasing check sends the loop
       to its scalar version */
    FASTDICOM_CLONES static void fastdicom_fix16_in_place(
        uint16_t* data, Py_ssize_t n, uint16_t mask, uint16_t sign)
    {
        for (Py_ssize_t i = 0; i < n; i++)
            data[i] = (uint16_t)(((data[i] & mask) ^ sign) - sign);
    }
    """
    void fastdicom_fix16(const uint16_t* src, uint16_t* dst, Py_ssize_t n, uint16_t mask,
                         uint16_t sign) noexcept nogil
    void fastdicom_fix16_in_place(uint16_t* data, Py_ssize_t n, uint16_t mask,
                                  uint16_t sign) noexcept nogil


cdef inline uint16_t _bswap16(uint16_t v) noexcept nogil:
    return <uint16_t>((v >> 8) | (v << 8))


cdef inline uint32_t _bswap32(uint32_t v) noexcept nogil:
    return ((v >> 24) | ((v >> 8) & 0xFF00u) | ((v << 8) & 0xFF0000u) | (v << 24))


cdef inline uint64_t _bswap64(uint64_t v) noexcept nogil:
    return (<uint64_t>_bswap32(<uint32_t>(v & 0xFFFFFFFFu)) << 32) | _bswap32(<uint32_t>(v >> 32))


cdef void _copy16(const uint8_t* src, uint8_t* dst, Py_ssize_t n, Py_ssize_t sstride,
                  Py_ssize_t dstride, bint swap, int shift, bint signed_) noexcept nogil:
    """n values of 2 bytes from src (every sstride values) to dst (every dstride)."""
    cdef Py_ssize_t i
    cdef uint16_t v
    cdef uint16_t mask = <uint16_t>(0xFFFF >> shift)
    cdef uint16_t w
    if sstride == 1 and dstride == 1 and not swap:
        # The common case (little endian, Bits Stored < 16): branch-free loops.
        if (<size_t>src) % 2 == 0 and (<size_t>dst) % 2 == 0:
            # Typed pointers let the compiler vectorize (the memcpy form
            # below it does not: 6x slower on a 512x512 CT slice).
            # Signed: sign-extend Bits Stored bits, (x ^ sign) - sign on the
            # masked value, in wrapping 16-bit arithmetic.
            w = <uint16_t>(0x8000 >> shift) if signed_ else 0
            if src == <const uint8_t*>dst:
                fastdicom_fix16_in_place(<uint16_t*>dst, n, mask, w)
            else:
                fastdicom_fix16(<const uint16_t*>src, <uint16_t*>dst, n, mask, w)
            return
        if signed_:
            for i in range(n):
                memcpy(&v, src + 2 * i, 2)
                v = <uint16_t>((<int16_t>(v << shift)) >> shift)
                memcpy(dst + 2 * i, &v, 2)
        else:
            for i in range(n):
                memcpy(&v, src + 2 * i, 2)
                v = v & mask
                memcpy(dst + 2 * i, &v, 2)
        return
    for i in range(n):
        memcpy(&v, src + 2 * i * sstride, 2)
        if swap:
            v = _bswap16(v)
        if shift:
            if signed_:
                v = <uint16_t>((<int16_t>(v << shift)) >> shift)
            else:
                v = v & mask
        memcpy(dst + 2 * i * dstride, &v, 2)


cdef void _copy8(const uint8_t* src, uint8_t* dst, Py_ssize_t n, Py_ssize_t sstride,
                 Py_ssize_t dstride, int shift, bint signed_) noexcept nogil:
    cdef Py_ssize_t i
    cdef uint8_t v
    cdef uint8_t mask = <uint8_t>(0xFF >> shift)
    for i in range(n):
        v = src[i * sstride]
        if shift:
            if signed_:
                v = <uint8_t>((<int8_t>(v << shift)) >> shift)
            else:
                v = v & mask
        dst[i * dstride] = v


cdef void _copy32(const uint8_t* src, uint8_t* dst, Py_ssize_t n, Py_ssize_t sstride,
                  Py_ssize_t dstride, bint swap, int shift, bint signed_) noexcept nogil:
    cdef Py_ssize_t i
    cdef uint32_t v
    cdef uint32_t mask = <uint32_t>(0xFFFFFFFFu >> shift)
    for i in range(n):
        memcpy(&v, src + 4 * i * sstride, 4)
        if swap:
            v = _bswap32(v)
        if shift:
            if signed_:
                v = <uint32_t>((<int32_t>(v << shift)) >> shift)
            else:
                v = v & mask
        memcpy(dst + 4 * i * dstride, &v, 4)


cdef void _copy64(const uint8_t* src, uint8_t* dst, Py_ssize_t n, Py_ssize_t sstride,
                  Py_ssize_t dstride, bint swap, int shift, bint signed_) noexcept nogil:
    cdef Py_ssize_t i
    cdef uint64_t v
    cdef uint64_t mask = (<uint64_t>0xFFFFFFFFFFFFFFFFu) >> shift
    for i in range(n):
        memcpy(&v, src + 8 * i * sstride, 8)
        if swap:
            v = _bswap64(v)
        if shift:
            if signed_:
                v = <uint64_t>((<int64_t>(v << shift)) >> shift)
            else:
                v = v & mask
        memcpy(dst + 8 * i * dstride, &v, 8)


cdef void _fix_bits_in_place(uint8_t* data, Py_ssize_t n, int itemsize, int shift,
                             bint signed_) noexcept nogil:
    """Clear (unsigned) or sign-extend (signed_) the top `shift` bits of `n`
    values of `itemsize` bytes, in place, in the host's byte order.

    One pointer read and written: the loops vectorize (the two-pointer loops
    of _copy16 fall back to scalar code when source and destination are the
    same memory, which their aliasing check cannot tell from an overlap).
    """
    cdef Py_ssize_t i
    cdef uint8_t* p8
    cdef uint16_t* p16
    cdef uint32_t* p32
    cdef uint64_t* p64
    cdef uint8_t m8, w8
    cdef uint16_t m16, w16
    cdef uint32_t m32, w32
    cdef uint64_t m64, w64
    # (x & mask) ^ sign) - sign: the Bits Stored value sign-extended, in
    # wrapping unsigned arithmetic; unsigned values keep (x & mask)
    if itemsize == 1:
        p8 = data
        m8 = <uint8_t>(0xFF >> shift)
        w8 = <uint8_t>(0x80 >> shift) if signed_ else 0
        for i in range(n):
            p8[i] = <uint8_t>(((p8[i] & m8) ^ w8) - w8)
    elif itemsize == 2:
        p16 = <uint16_t*>data
        m16 = <uint16_t>(0xFFFF >> shift)
        w16 = <uint16_t>(0x8000 >> shift) if signed_ else 0
        fastdicom_fix16_in_place(p16, n, m16, w16)
    elif itemsize == 4:
        p32 = <uint32_t*>data
        m32 = <uint32_t>(0xFFFFFFFFu >> shift)
        w32 = <uint32_t>(0x80000000u >> shift) if signed_ else 0
        for i in range(n):
            p32[i] = (((p32[i] & m32) ^ w32) - w32)
    else:
        p64 = <uint64_t*>data
        m64 = (<uint64_t>0xFFFFFFFFFFFFFFFFu) >> shift
        w64 = ((<uint64_t>1) << 63) >> shift if signed_ else 0
        for i in range(n):
            p64[i] = (((p64[i] & m64) ^ w64) - w64)


cdef void _copy_values(const uint8_t* src, uint8_t* dst, Py_ssize_t n, Py_ssize_t sstride,
                       Py_ssize_t dstride, int itemsize, bint swap, int shift,
                       bint signed_) noexcept nogil:
    if itemsize == 1:
        _copy8(src, dst, n, sstride, dstride, shift, signed_)
    elif itemsize == 2:
        _copy16(src, dst, n, sstride, dstride, swap, shift, signed_)
    elif itemsize == 4:
        _copy32(src, dst, n, sstride, dstride, swap, shift, signed_)
    else:
        _copy64(src, dst, n, sstride, dstride, swap, shift, signed_)


def decode_native(
    const uint8_t[::1] src,
    Py_ssize_t offset,
    uint8_t[::1] out,
    Py_ssize_t pixels,
    int samples,
    int itemsize,
    int shift,
    bint signed_,
    bint swap,
    bint planar,
    Py_ssize_t frames,
):
    """Copy `frames` frames of `pixels` pixels x `samples` samples of
    `itemsize` bytes from src[offset:] into `out` (native byte order,
    interleaved samples).

    * shift: Bits Allocated - Bits Stored; the unused high bits are cleared
      (unsigned) or filled with the sign bit (signed_).
    * swap: the source is big endian (PS3.5 §7.3).
    * planar: the source frames are colour-by-plane (Planar Configuration 1).

    `src` and `out` may be the same memory when planar is False (in-place).
    """
    if itemsize not in (1, 2, 4, 8):
        raise ValueError(f"Unsupported item size {itemsize}")
    if pixels < 0 or frames < 0 or samples < 1 or offset < 0:
        raise ValueError("Negative size or offset")
    if not 0 <= shift < 8 * itemsize:
        raise ValueError(f"Invalid bit shift {shift} for {itemsize}-byte values")
    cdef Py_ssize_t frame_values = pixels * samples
    cdef Py_ssize_t total = frame_values * frames * itemsize
    if offset + total > src.shape[0]:
        raise ValueError(
            f"The pixel data holds {src.shape[0] - offset} bytes from offset {offset},"
            f" {total} are needed"
        )
    if total > out.shape[0]:
        raise ValueError(f"The output holds {out.shape[0]} bytes, {total} are needed")
    if total == 0:
        return
    cdef const uint8_t* s = &src[0] + offset
    cdef uint8_t* d = &out[0]
    cdef Py_ssize_t f, k
    cdef Py_ssize_t frame_bytes = frame_values * itemsize
    cdef Py_ssize_t plane_bytes = pixels * itemsize
    with nogil:
        if not planar or samples == 1:
            if not swap and shift == 0:
                if <const uint8_t*>d != s:
                    memmove(d, s, total)
            elif <const uint8_t*>d == s and not swap and (<size_t>d) % itemsize == 0:
                _fix_bits_in_place(d, frames * frame_values, itemsize, shift, signed_)
            else:
                _copy_values(s, d, frames * frame_values, 1, 1, itemsize, swap, shift, signed_)
        else:
            for f in range(frames):
                for k in range(samples):
                    _copy_values(
                        s + f * frame_bytes + k * plane_bytes,
                        d + f * frame_bytes + k * itemsize,
                        pixels, 1, samples, itemsize, swap, shift, signed_,
                    )


def unpack_bits(
    const uint8_t[::1] src,
    Py_ssize_t bit_offset,
    Py_ssize_t count,
    uint8_t[::1] out,
):
    """Unpack `count` 1-bit values starting at bit `bit_offset` of `src`
    (bit 0 of a byte first, PS3.5 §8.1.1 / Annex D) into one byte each."""
    if bit_offset < 0 or count < 0:
        raise ValueError("Negative bit offset or count")
    if count == 0:
        return
    if (bit_offset + count + 7) // 8 > src.shape[0]:
        raise ValueError(
            f"The pixel data holds {src.shape[0]} bytes, "
            f"{(bit_offset + count + 7) // 8} are needed for {count} bits from bit {bit_offset}"
        )
    if count > out.shape[0]:
        raise ValueError(f"The output holds {out.shape[0]} values, {count} are needed")
    cdef const uint8_t* s = &src[0]
    cdef uint8_t* d = &out[0]
    cdef Py_ssize_t i = 0, b
    cdef Py_ssize_t pos
    cdef uint8_t byte
    with nogil:
        # Leading bits up to a byte boundary
        while i < count and (bit_offset + i) & 7:
            pos = bit_offset + i
            d[i] = (s[pos >> 3] >> (pos & 7)) & 1
            i += 1
        # Whole bytes
        b = (bit_offset + i) >> 3
        while i + 8 <= count:
            byte = s[b]
            d[i] = byte & 1
            d[i + 1] = (byte >> 1) & 1
            d[i + 2] = (byte >> 2) & 1
            d[i + 3] = (byte >> 3) & 1
            d[i + 4] = (byte >> 4) & 1
            d[i + 5] = (byte >> 5) & 1
            d[i + 6] = (byte >> 6) & 1
            d[i + 7] = (byte >> 7) & 1
            i += 8
            b += 1
        while i < count:
            pos = bit_offset + i
            d[i] = (s[pos >> 3] >> (pos & 7)) & 1
            i += 1


def pack_bits(const uint8_t[::1] src, uint8_t[::1] out):
    """Pack values (0 or non-zero) one bit each, bit 0 first (PS3.5 §8.1.1)."""
    cdef Py_ssize_t n = src.shape[0]
    if (n + 7) // 8 > out.shape[0]:
        raise ValueError(f"The output holds {out.shape[0]} bytes, {(n + 7) // 8} are needed")
    cdef Py_ssize_t i
    cdef uint8_t byte
    with nogil:
        for i in range((n + 7) // 8):
            out[i] = 0
        for i in range(n):
            if src[i]:
                out[i >> 3] |= <uint8_t>(1 << (i & 7))
