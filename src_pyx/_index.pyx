"""Compiled header index: DICOM files to typed column buffers, without the GIL.

One call of :func:`extract` reads a batch of files and writes one row per
file into per-column C buffers: it opens and reads each file's header bytes
(up to the Pixel Data header), scans them with the scanner's C core
(``_scan_core.pxi``, the code behind ``fastdicom._parser``), finds the
requested tags by a merge walk over the sorted element records and converts
each value into the column's type. The whole loop runs without the GIL, so a
thread pool running batches scales with cores; no Python object is made per
element or per value. Given the index schema, the batch's Arrow arrays are
laid out without the GIL too and handed to pyarrow through the Arrow C data
interface (one ``RecordBatch``, freed by its release callback); otherwise
each column buffer comes back as an :class:`OwnedBuffer`, without a copy.

The fast path declines (house rule 3) what it does not convert itself: files
without the ``DICM`` preamble, Deflated or Big Endian transfer syntaxes, a
File Meta Information that is not Explicit VR Little Endian, and rows with
text bytes outside ASCII (their decoding depends on Specific Character Set,
PS3.5 §6.1). Those rows come back with status ``STATUS_DECLINED`` and are
filled by the Python path in ``fastdicom.index``, which reads them with
``fastdicom.dcmread``.

Value rules follow PS3.5 §6.2 and pydicom 3's converters: text values lose
trailing spaces and NULs (PS3.5 §6.2 padding), AE loses leading spaces too,
LT/ST/UT/UR are never split on backslash, DS/IS are parsed as numbers, DA/TM/DT
as dates and times (a value that does not parse is null and its raw text is
kept in the row's warnings), binary numbers as signed integers or floats.
"""

from libc.stdint cimport int16_t, int32_t, int64_t, uint8_t, uint16_t, uint32_t, uint64_t, uintptr_t
from libc.stdlib cimport calloc, free, malloc, qsort, realloc, strtod, strtoll
from libc.string cimport memchr, memcpy, memcmp, memset, strlen
from libc.stdio cimport snprintf
from cpython.buffer cimport PyBuffer_FillInfo
from cpython.bytes cimport PyBytes_AsString, PyBytes_FromStringAndSize
from cpython.unicode cimport PyUnicode_AsUTF8AndSize

import codecs
import os
import sys

include "_scan_core.pxi"

include "_file_io.pxi"

__all__ = [
    "STATUS_NAMES", "STATUS_DECLINED", "LEAF_NAMES", "Plan", "extract",
]

# ---------------------------------------------------------------------------
# Row status and column kinds
# ---------------------------------------------------------------------------

cdef enum:
    ST_OK = 0
    ST_NOT_DICOM = 1
    ST_EMPTY = 2
    ST_TRUNCATED = 3
    ST_PARSE_ERROR = 4
    ST_IO_ERROR = 5
    ST_DECLINED = 6

STATUS_NAMES = ("ok", "not_dicom", "empty", "truncated", "parse_error", "io_error")
"""Status values by code (the dictionary of the ``status`` column)."""
STATUS_DECLINED = ST_DECLINED
"""Code of a row the compiled path leaves to the Python path."""

cdef enum Leaf:
    LEAF_STR = 0
    LEAF_PN = 1       # struct of Alphabetic, Ideographic, Phonetic (PS3.5 §6.2.1)
    LEAF_DATE = 2     # date32: days since 1970-01-01
    LEAF_TIME = 3     # time64[us]
    LEAF_DT = 4       # timestamp[us] (wall clock of the value; offset dropped)
    LEAF_F64 = 5
    LEAF_F32 = 6
    LEAF_I64 = 7
    LEAF_I32 = 8
    LEAF_I16 = 9
    LEAF_BULK = 10    # struct of offset, length (int64)
    LEAF_OTHER = 11   # OtherElements: list<struct<tag, creator, vr, offset, length>>
    LEAF_FRAMES = 12  # one struct per item of Per-frame Functional Groups (child columns)

LEAF_NAMES = ("str", "pn", "date", "time", "datetime", "f64", "f32", "i64", "i32",
              "i16", "bulk", "other", "frames")
"""Leaf kinds by code, as the Python schema names them."""

cdef int LEAF_WIDTH[13]
LEAF_WIDTH[:] = [0, 0, 4, 8, 8, 8, 4, 8, 4, 2, 8, 8, 0]

# Encoding of a value as found in the data
cdef enum Enc:
    ENC_TEXT = 0      # backslash-separated text (PS3.5 §6.2)
    ENC_SINGLE = 1    # LT ST UT UR: one text value, backslash is data
    ENC_AE = 2        # leading and trailing spaces insignificant
    ENC_PN = 3
    ENC_BIN = 4       # binary numbers: width/signed/float below
    ENC_BULK = 5      # OB OW OD OF OL OV UN: left in the file
    ENC_SQ = 6
    ENC_OTHER = 7     # unknown VR

cdef inline int vr_code(const char* vr) noexcept nogil:
    return ((<unsigned char>vr[0]) << 8) | <unsigned char>vr[1]

cdef inline int VR(char a, char b) noexcept nogil:
    return ((<unsigned char>a) << 8) | <unsigned char>b

# ---------------------------------------------------------------------------
# Growable buffers
# ---------------------------------------------------------------------------

cdef struct Buf:
    char* data
    Py_ssize_t size
    Py_ssize_t cap
    bint failed

cdef bint buf_reserve(Buf* b, Py_ssize_t extra) noexcept nogil:
    cdef Py_ssize_t cap
    cdef char* grown
    if b.size + extra <= b.cap:
        return True
    cap = b.cap * 2 if b.cap else 256
    while cap < b.size + extra:
        cap *= 2
    grown = <char*>realloc(b.data, cap)
    if grown == NULL:
        b.failed = True
        return False
    b.data = grown
    b.cap = cap
    return True

cdef inline void buf_put(Buf* b, const void* src, Py_ssize_t n) noexcept nogil:
    if n == 0 or not buf_reserve(b, n):
        return
    memcpy(b.data + b.size, src, n)
    b.size += n

cdef inline void buf_u8(Buf* b, uint8_t v) noexcept nogil:
    buf_put(b, &v, 1)

cdef inline void buf_i32(Buf* b, int32_t v) noexcept nogil:
    buf_put(b, &v, 4)

cdef inline void buf_i64(Buf* b, int64_t v) noexcept nogil:
    buf_put(b, &v, 8)

# A string builder: int32 offsets (one more than strings) + bytes + validity
cdef struct Strs:
    Buf offsets
    Buf data
    Buf valid

cdef inline void strs_add(Strs* s, const char* p, Py_ssize_t n, bint valid) noexcept nogil:
    buf_put(&s.data, p, n)
    buf_i32(&s.offsets, <int32_t>s.data.size)
    buf_u8(&s.valid, 1 if valid else 0)

cdef inline void strs_init(Strs* s) noexcept nogil:
    buf_i32(&s.offsets, 0)

# ---------------------------------------------------------------------------
# Columns
# ---------------------------------------------------------------------------

cdef struct Col:
    uint32_t tag
    int leaf
    bint is_list
    int dict_vr           # dictionary VR code (0 when ambiguous or unknown)
    bint us_or_ss         # dictionary "US or SS": PixelRepresentation decides
    char name[64]
    Buf valid             # uint8 per row
    Buf list_off          # int32 per row + 1 (lists)
    Buf item_valid        # uint8 per leaf value
    Buf values            # fixed-width leaf values
    Buf values2           # bulk / other: lengths; other: offsets in values3
    Buf values3
    Strs s[3]             # string leaves; PN components; other: creator, vr
    int64_t count         # leaf values so far
    int parent            # -1, or the LEAF_FRAMES column this one is a field of
    uint32_t seq_tag      # a field: the functional group sequence holding its tag

cdef void col_free(Col* c) noexcept nogil:
    cdef int i
    free(c.valid.data); free(c.list_off.data); free(c.item_valid.data)
    free(c.values.data); free(c.values2.data); free(c.values3.data)
    for i in range(3):
        free(c.s[i].offsets.data)
        free(c.s[i].data.data)
        free(c.s[i].valid.data)

cdef inline void leaf_null(Col* c) noexcept nogil:
    """One null leaf value (keeps every child buffer the same length)."""
    cdef int64_t zero = 0
    cdef int i
    buf_u8(&c.item_valid, 0)
    if c.leaf == LEAF_STR:
        strs_add(&c.s[0], NULL, 0, False)
    elif c.leaf == LEAF_PN:
        for i in range(3):
            strs_add(&c.s[i], NULL, 0, False)
    elif c.leaf == LEAF_BULK:
        buf_i64(&c.values, 0)
        buf_i64(&c.values2, 0)
    else:
        buf_put(&c.values, &zero, LEAF_WIDTH[c.leaf])
    c.count += 1

# ---------------------------------------------------------------------------
# Per-row context
# ---------------------------------------------------------------------------

cdef struct Row:
    const unsigned char* data
    Py_ssize_t size            # bytes in data
    bint little_endian
    int pixel_representation   # -1 unknown
    bint implicit              # the dataset's encoding (items follow it)
    Buf* warnings              # Strs-like: list<string> of the row
    Strs* warn_strs
    int32_t nwarnings

cdef void row_warn(Row* row, const char* name, const char* what,
                   const unsigned char* raw, Py_ssize_t rawlen) noexcept nogil:
    """Add '<name>: <what>' (and the raw text, clipped) to the row's warnings."""
    cdef char text[256]
    cdef int n, i
    cdef Py_ssize_t k
    if raw != NULL:
        n = snprintf(text, 200, "%s: %s '", name, what)
        if n < 0:
            return
        if n > 199:
            n = 199
        k = rawlen if rawlen < 48 else 48
        for i in range(k):
            # keep the text valid UTF-8: non-ASCII bytes shown as '?'
            text[n] = <char>raw[i] if 0x20 <= raw[i] < 0x7F else c'?'
            n += 1
        text[n] = c"'"
        n += 1
    else:
        n = snprintf(text, 250, "%s: %s", name, what)
        if n < 0:
            return
        if n > 249:
            n = 249
    strs_add(row.warn_strs, text, n, True)
    row.nwarnings += 1

# ---------------------------------------------------------------------------
# Text splitting and parsing (PS3.5 §6.2)
# ---------------------------------------------------------------------------

cdef inline bint is_pad(unsigned char ch) noexcept nogil:
    return ch == 0x20 or ch == 0

cdef inline bint is_space(unsigned char ch) noexcept nogil:
    # str.strip() whitespace within ASCII
    return ch == 0x20 or (0x09 <= ch <= 0x0D) or (0x1C <= ch <= 0x1F)

cdef inline Py_ssize_t strip_spaces(const unsigned char** p, Py_ssize_t n) noexcept nogil:
    """Move *p past leading and return the length without trailing
    str.strip() whitespace (PS3.5 §6.2: padding of DS, IS and AE values)."""
    while n > 0 and is_space(p[0][0]):
        p[0] += 1
        n -= 1
    while n > 0 and is_space(p[0][n - 1]):
        n -= 1
    return n

cdef inline bint all_digits(const unsigned char* p, Py_ssize_t n) noexcept nogil:
    cdef Py_ssize_t i
    for i in range(n):
        if not (0x30 <= p[i] <= 0x39):
            return False
    return True

cdef inline int digits(const unsigned char* p, Py_ssize_t n) noexcept nogil:
    cdef int v = 0
    cdef Py_ssize_t i
    for i in range(n):
        v = v * 10 + (p[i] - 0x30)
    return v

cdef int64_t days_from_civil(int64_t y, int m, int d) noexcept nogil:
    """Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's algorithm)."""
    cdef int64_t era, yoe, doy, doe
    y -= m <= 2
    era = (y if y >= 0 else y - 399) // 400
    yoe = y - era * 400
    doy = (153 * (m + (-3 if m > 2 else 9)) + 2) // 5 + d - 1
    doe = yoe * 365 + yoe // 4 - yoe // 100 + doy
    return era * 146097 + doe - 719468

cdef bint valid_date(int y, int m, int d) noexcept nogil:
    cdef int mdays
    if y < 1 or m < 1 or m > 12 or d < 1:
        return False
    if m == 2:
        mdays = 29 if (y % 4 == 0 and (y % 100 != 0 or y % 400 == 0)) else 28
    elif m == 4 or m == 6 or m == 9 or m == 11:
        mdays = 30
    else:
        mdays = 31
    return d <= mdays

cdef bint parse_da(const unsigned char* p, Py_ssize_t n, int32_t* out) noexcept nogil:
    """YYYYMMDD, or the ACR-NEMA YYYY.MM.DD that pydicom's DA accepts."""
    cdef int y, m, d
    if n == 8 and all_digits(p, 8):
        y = digits(p, 4); m = digits(p + 4, 2); d = digits(p + 6, 2)
    elif (n == 10 and p[4] == c'.' and p[7] == c'.' and all_digits(p, 4)
          and all_digits(p + 5, 2) and all_digits(p + 8, 2)):
        y = digits(p, 4); m = digits(p + 5, 2); d = digits(p + 8, 2)
    else:
        return False
    if not valid_date(y, m, d):
        return False
    out[0] = <int32_t>days_from_civil(y, m, d)
    return True

cdef bint parse_fraction(const unsigned char* p, Py_ssize_t n, int64_t* us) noexcept nogil:
    """Up to 6 digits after the point, as microseconds."""
    cdef Py_ssize_t i
    cdef int64_t v = 0
    if n > 6 or not all_digits(p, n):
        return False
    for i in range(6):
        v = v * 10 + ((p[i] - 0x30) if i < n else 0)
    us[0] = v
    return True

cdef bint parse_tm(const unsigned char* p, Py_ssize_t n, int64_t* out) noexcept nogil:
    """HH[MM[SS[.F{1,6}]]] or HH:MM[:SS[.F]] (pydicom's TM), in microseconds.

    A second of 60 (a leap second) becomes 59, as pydicom does.
    """
    cdef int h = 0, m = 0, s = 0
    cdef int64_t frac = 0
    cdef Py_ssize_t dot = -1, i, k
    cdef unsigned char buf[16]
    cdef Py_ssize_t len_ = 0
    for i in range(n):
        if p[i] == c'.':
            dot = i
            break
    k = dot if dot >= 0 else n
    if dot >= 0:
        if not parse_fraction(p + dot + 1, n - dot - 1, &frac):
            return False
    # the colon form: HH:MM or HH:MM:SS
    if k == 5 or k == 8:
        if p[2] == c':' and (k == 5 or p[5] == c':'):
            if k > 16:
                return False
            for i in range(k):
                if p[i] != c':':
                    buf[len_] = p[i]
                    len_ += 1
            p = buf
            k = len_
    if not (k == 2 or k == 4 or k == 6) or not all_digits(p, k):
        return False
    if dot >= 0 and k != 6:
        return False
    h = digits(p, 2)
    if k >= 4:
        m = digits(p + 2, 2)
    if k == 6:
        s = digits(p + 4, 2)
    if h > 23 or m > 59 or s > 60:
        return False
    if s == 60:
        s = 59
    out[0] = ((h * 60 + m) * 60 + s) * <int64_t>1000000 + frac
    return True

cdef bint parse_dt(const unsigned char* p, Py_ssize_t n, int64_t* out) noexcept nogil:
    """YYYY[MM[DD[HH[MM[SS[.F{1,6}]]]]]][&ZZXX] (PS3.5 §6.2 DT), in microseconds
    since 1970-01-01 of the value's own wall clock (the offset is not applied)."""
    cdef Py_ssize_t i, k, dot = -1
    cdef int y, mo = 1, d = 1, h = 0, mi = 0, s = 0
    cdef int64_t frac = 0
    # drop a UTC offset suffix &ZZXX
    if n >= 5 and (p[n - 5] == c'+' or p[n - 5] == c'-') and all_digits(p + n - 4, 4):
        n -= 5
    for i in range(n):
        if p[i] == c'.':
            dot = i
            break
    k = dot if dot >= 0 else n
    if dot >= 0:
        if k != 14 or not parse_fraction(p + dot + 1, n - dot - 1, &frac):
            return False
    if k < 4 or k > 14 or k % 2 != 0 or not all_digits(p, k):
        return False
    y = digits(p, 4)
    if k >= 6:
        mo = digits(p + 4, 2)
    if k >= 8:
        d = digits(p + 6, 2)
    if k >= 10:
        h = digits(p + 8, 2)
    if k >= 12:
        mi = digits(p + 10, 2)
    if k >= 14:
        s = digits(p + 12, 2)
    if not valid_date(y, mo, d) or h > 23 or mi > 59 or s > 60:
        return False
    if s == 60:
        s = 59
    out[0] = ((days_from_civil(y, mo, d) * 24 + h) * 60 + mi) * <int64_t>60000000 \
        + s * <int64_t>1000000 + frac
    return True

cdef bint parse_float(const unsigned char* p, Py_ssize_t n, double* out) noexcept nogil:
    """A DS value as Python's float() reads it (surrounding whitespace allowed)."""
    cdef char buf[72]
    cdef char* end
    cdef Py_ssize_t i
    n = strip_spaces(&p, n)
    if n == 0 or n > 64:
        return False
    for i in range(n):
        # DS repertoire (PS3.5 Table 6.2-1): digits, + - E e .
        if not ((0x30 <= p[i] <= 0x39) or p[i] == c'+' or p[i] == c'-' or p[i] == c'.'
                or p[i] == c'e' or p[i] == c'E'):
            return False
    memcpy(buf, p, n)
    buf[n] = 0
    out[0] = strtod(buf, &end)
    return end == buf + n

cdef bint parse_int(const unsigned char* p, Py_ssize_t n, int64_t* out) noexcept nogil:
    """An IS value as pydicom's IS reads it: an integer, or a float with no
    fractional part ("1.0")."""
    cdef char buf[40]
    cdef char* end
    cdef double f
    n = strip_spaces(&p, n)
    if n == 0 or n > 32:
        return False
    memcpy(buf, p, n)
    buf[n] = 0
    if all_digits(<const unsigned char*>buf + (1 if buf[0] == c'+' or buf[0] == c'-' else 0),
                  n - (1 if buf[0] == c'+' or buf[0] == c'-' else 0)):
        if n > 19:
            return False
        out[0] = strtoll(buf, &end, 10)
        return end == buf + n
    if not parse_float(p, n, &f):
        return False
    if f != <double>(<int64_t>f) or f > 9.2e18 or f < -9.2e18:
        return False
    out[0] = <int64_t>f
    return True

# ---------------------------------------------------------------------------
# Writing one text item / binary value into a column
# ---------------------------------------------------------------------------

cdef void put_text_item(Col* c, Row* row, const unsigned char* p, Py_ssize_t n,
                        int enc) noexcept nogil:
    """One text value (already split and stripped) into the column's leaf."""
    cdef int32_t d32
    cdef int64_t i64
    cdef double f
    cdef float f32
    cdef int16_t i16
    cdef int32_t i32
    cdef Py_ssize_t i, start, part
    cdef bint ok = True
    if c.leaf == LEAF_STR:
        buf_u8(&c.item_valid, 1)
        strs_add(&c.s[0], <const char*>p, n, True)
        c.count += 1
        return
    if c.leaf == LEAF_PN:
        # Alphabetic=Ideographic=Phonetic component groups (PS3.5 §6.2.1)
        buf_u8(&c.item_valid, 1)
        start = 0
        part = 0
        for i in range(n + 1):
            if i == n or (p[i] == c'=' and part < 2):
                strs_add(&c.s[part], <const char*>p + start, i - start, True)
                part += 1
                start = i + 1
        while part < 3:
            strs_add(&c.s[part], NULL, 0, False)
            part += 1
        c.count += 1
        return
    if n == 0:
        leaf_null(c)
        return
    if c.leaf == LEAF_DATE:
        ok = parse_da(p, n, &d32)
        if ok:
            buf_put(&c.values, &d32, 4)
    elif c.leaf == LEAF_TIME:
        ok = parse_tm(p, n, &i64)
        if ok:
            buf_i64(&c.values, i64)
    elif c.leaf == LEAF_DT:
        ok = parse_dt(p, n, &i64)
        if ok:
            buf_i64(&c.values, i64)
    elif c.leaf == LEAF_F64:
        ok = parse_float(p, n, &f)
        if ok:
            buf_put(&c.values, &f, 8)
    elif c.leaf == LEAF_F32:
        ok = parse_float(p, n, &f)
        if ok:
            f32 = <float>f
            buf_put(&c.values, &f32, 4)
    elif c.leaf == LEAF_I64 or c.leaf == LEAF_I32 or c.leaf == LEAF_I16:
        ok = parse_int(p, n, &i64)
        if ok and c.leaf == LEAF_I32:
            ok = -2147483648 <= i64 <= 2147483647
            if ok:
                i32 = <int32_t>i64
                buf_put(&c.values, &i32, 4)
        elif ok and c.leaf == LEAF_I16:
            ok = -32768 <= i64 <= 32767
            if ok:
                i16 = <int16_t>i64
                buf_put(&c.values, &i16, 2)
        elif ok:
            buf_i64(&c.values, i64)
    else:
        ok = False
    if ok:
        buf_u8(&c.item_valid, 1)
        c.count += 1
    else:
        row_warn(row, c.name, "value does not parse", p, n)
        leaf_null(c)

cdef void put_binary(Col* c, Row* row, const unsigned char* p, int width, bint is_float,
                     bint is_signed) noexcept nogil:
    """One binary number (PS3.5 §6.2: US SS UL SL SV UV FL FD AT) into the leaf."""
    cdef uint64_t u = 0
    cdef int64_t v
    cdef double f
    cdef float f32
    cdef uint32_t u32
    cdef int i
    cdef int16_t i16
    cdef int32_t i32
    cdef bint ok = True
    if row.little_endian:
        for i in range(width):
            u |= (<uint64_t>p[i]) << (8 * i)
    else:
        for i in range(width):
            u = (u << 8) | p[i]
    if is_float:
        if width == 4:
            u32 = <uint32_t>u
            memcpy(&f32, &u32, 4)
            f = f32
        else:
            memcpy(&f, &u, 8)
        v = 0
    else:
        if is_signed:
            if width == 2:
                v = <int16_t>u
            elif width == 4:
                v = <int32_t>u
            else:
                v = <int64_t>u
        else:
            v = <int64_t>u
        f = <double>v
    if c.leaf == LEAF_F64:
        buf_put(&c.values, &f, 8)
    elif c.leaf == LEAF_F32:
        f32 = <float>f
        buf_put(&c.values, &f32, 4)
    elif is_float:
        ok = False
    elif c.leaf == LEAF_I64:
        buf_i64(&c.values, v)
    elif c.leaf == LEAF_I32:
        ok = -2147483648 <= v <= 2147483647
        if ok:
            i32 = <int32_t>v
            buf_put(&c.values, &i32, 4)
    elif c.leaf == LEAF_I16:
        ok = -32768 <= v <= 32767
        if ok:
            i16 = <int16_t>v
            buf_put(&c.values, &i16, 2)
    else:
        ok = False
    if ok:
        buf_u8(&c.item_valid, 1)
        c.count += 1
    else:
        row_warn(row, c.name, "binary value does not fit the column type", NULL, 0)
        leaf_null(c)

# ---------------------------------------------------------------------------
# One element into one column
# ---------------------------------------------------------------------------

cdef int encoding_of(int vr, int* width, bint* is_float, bint* is_signed) noexcept nogil:
    width[0] = 0
    is_float[0] = False
    is_signed[0] = False
    if vr == VR(c'U', c'S'):
        width[0] = 2
    elif vr == VR(c'S', c'S'):
        width[0] = 2; is_signed[0] = True
    elif vr == VR(c'U', c'L'):
        width[0] = 4
    elif vr == VR(c'S', c'L'):
        width[0] = 4; is_signed[0] = True
    elif vr == VR(c'S', c'V'):
        width[0] = 8; is_signed[0] = True
    elif vr == VR(c'U', c'V'):
        width[0] = 8
    elif vr == VR(c'F', c'L'):
        width[0] = 4; is_float[0] = True
    elif vr == VR(c'F', c'D'):
        width[0] = 8; is_float[0] = True
    elif vr == VR(c'A', c'T'):
        width[0] = 4
    if width[0]:
        return ENC_BIN
    if vr == VR(c'L', c'T') or vr == VR(c'S', c'T') or vr == VR(c'U', c'T') or vr == VR(c'U', c'R'):
        return ENC_SINGLE
    if vr == VR(c'A', c'E'):
        return ENC_AE
    if vr == VR(c'P', c'N'):
        return ENC_PN
    if vr == VR(c'S', c'Q'):
        return ENC_SQ
    if (vr == VR(c'O', c'B') or vr == VR(c'O', c'W') or vr == VR(c'O', c'D')
            or vr == VR(c'O', c'F') or vr == VR(c'O', c'L') or vr == VR(c'O', c'V')
            or vr == VR(c'U', c'N')):
        return ENC_BULK
    if (vr == VR(c'A', c'S') or vr == VR(c'C', c'S') or vr == VR(c'D', c'A')
            or vr == VR(c'D', c'S') or vr == VR(c'D', c'T') or vr == VR(c'I', c'S')
            or vr == VR(c'L', c'O') or vr == VR(c'S', c'H') or vr == VR(c'T', c'M')
            or vr == VR(c'U', c'C') or vr == VR(c'U', c'I')):
        return ENC_TEXT
    return ENC_OTHER

cdef inline bint is_text_enc(int enc) noexcept nogil:
    return enc == ENC_TEXT or enc == ENC_SINGLE or enc == ENC_AE or enc == ENC_PN

cdef int value_vr(Col* c, ElementRecord* r, Row* row) noexcept nogil:
    """The VR that says how the value is encoded: the file's (explicit VR), else
    the dictionary's; UN with a known tag reads as the dictionary VR (pydicom's
    replace_un_with_known_vr); "US or SS" follows Pixel Representation."""
    cdef int vr = vr_code(r.vr)
    if vr == 0 or vr == VR(c'U', c'N'):
        if c.us_or_ss:
            return VR(c'S', c'S') if row.pixel_representation == 1 else VR(c'U', c'S')
        if c.dict_vr:
            return c.dict_vr
        return VR(c'U', c'N') if vr else 0
    return vr

cdef void put_element(Col* c, ElementRecord* r, Row* row) noexcept nogil:
    """Convert the element of record `r` into column `c` (one row)."""
    cdef int vr = value_vr(c, r, row)
    cdef int width
    cdef bint is_float, is_signed
    cdef int enc = encoding_of(vr, &width, &is_float, &is_signed)
    cdef const unsigned char* p = row.data + r.value_offset
    cdef Py_ssize_t n = r.length
    cdef Py_ssize_t i, start, stop, count, items

    if c.leaf == LEAF_BULK:
        buf_u8(&c.valid, 1)
        buf_u8(&c.item_valid, 1)
        buf_i64(&c.values, r.value_offset)
        buf_i64(&c.values2, r.length)
        c.count += 1
        return
    if r.flags & C_FLAG_UNDEFINED_LENGTH or enc == ENC_SQ or enc == ENC_BULK or enc == ENC_OTHER:
        row_warn(row, c.name, "value is not of a convertible VR", NULL, 0)
        null_row(c)
        return

    if enc == ENC_BIN:
        if n == 0:
            null_row(c)
            return
        if n % width:
            row_warn(row, c.name, "binary value length is not a multiple of its size", NULL, 0)
            null_row(c)
            return
        count = n // width
        if not c.is_list and count > 1:
            row_warn(row, c.name, "several values for a single-valued element; kept the first", NULL, 0)
            count = 1
        if c.leaf == LEAF_STR or c.leaf == LEAF_PN or c.leaf == LEAF_DATE or c.leaf == LEAF_TIME or c.leaf == LEAF_DT:
            row_warn(row, c.name, "binary value for a text column", NULL, 0)
            null_row(c)
            return
        buf_u8(&c.valid, 1)
        for i in range(count):
            put_binary(c, row, p + i * width, width, is_float, is_signed)
        return

    # text (PS3.5 §6.2): trailing padding goes (AE: leading spaces too)
    if enc == ENC_AE:
        n = strip_spaces(&p, n)
    elif enc == ENC_TEXT and (vr == VR(c'D', c'S') or vr == VR(c'I', c'S')):
        n = strip_spaces(&p, n)
    else:
        while n > 0 and is_pad(p[n - 1]):
            n -= 1
    if n == 0:
        null_row(c)
        return
    if enc == ENC_SINGLE:
        buf_u8(&c.valid, 1)
        put_text_item(c, row, p, n, enc)
        return
    # backslash-separated values (PS3.5 §6.4 value multiplicity)
    items = 0
    start = 0
    buf_u8(&c.valid, 1)
    i = 0
    while True:
        stop = start
        while stop < n and p[stop] != c'\\':
            stop += 1
        if c.is_list or items == 0:
            if enc == ENC_AE:
                put_ae_item(c, row, p + start, stop - start)
            else:
                put_text_item(c, row, p + start, stop - start, enc)
        items += 1
        if stop >= n:
            break
        start = stop + 1
    if items > 1 and not c.is_list:
        row_warn(row, c.name, "several values for a single-valued element; kept the first", NULL, 0)

cdef void put_ae_item(Col* c, Row* row, const unsigned char* p, Py_ssize_t n) noexcept nogil:
    n = strip_spaces(&p, n)
    put_text_item(c, row, p, n, ENC_AE)

cdef void put_other(Col* c, ElementRecord* records, Py_ssize_t count, Row* row) noexcept nogil:
    """Private data elements (odd group, element >= 0x1000, PS3.5 §7.8.1) with
    their creator: tag, creator, VR (empty for implicit VR), offset, length."""
    cdef Py_ssize_t i, j
    cdef uint32_t tag, creator_tag
    cdef ElementRecord* cr
    cdef const unsigned char* p
    cdef Py_ssize_t n
    cdef int32_t nitems = 0
    buf_u8(&c.valid, 1)
    for i in range(count):
        tag = records[i].tag
        if not (tag >> 16) & 1 or (tag & 0xFFFF) < 0x1000 or (tag >> 16) <= 8 or (tag >> 16) == 0xFFFF:
            continue
        creator_tag = (tag & 0xFFFF0000u) | ((tag >> 8) & 0xFF)
        buf_u8(&c.item_valid, 1)
        buf_i64(&c.values, tag)
        buf_i64(&c.values2, records[i].value_offset)
        buf_i64(&c.values3, records[i].length)
        # the creator's record: a binary search over the sorted records
        cr = find_record(records, count, creator_tag)
        if cr != NULL and not (cr.flags & C_FLAG_UNDEFINED_LENGTH):
            p = row.data + cr.value_offset
            n = cr.length
            while n > 0 and is_space(p[n - 1]) or n > 0 and p[n - 1] == 0:
                n -= 1
            while n > 0 and is_space(p[0]):
                p += 1
                n -= 1
            for j in range(n):
                if p[j] >= 0x80:
                    n = j
                    break
            strs_add(&c.s[0], <const char*>p, n, True)
        else:
            strs_add(&c.s[0], NULL, 0, False)
        strs_add(&c.s[1], records[i].vr, 2 if records[i].vr[0] else 0, True)
        c.count += 1
        nitems += 1

cdef ElementRecord* find_record(ElementRecord* records, Py_ssize_t count, uint32_t tag) noexcept nogil:
    cdef Py_ssize_t lo = 0, hi = count, mid
    while lo < hi:
        mid = (lo + hi) // 2
        if records[mid].tag < tag:
            lo = mid + 1
        else:
            hi = mid
    if lo < count and records[lo].tag == tag:
        return &records[lo]
    return NULL

cdef inline void finish_row(Col* c) noexcept nogil:
    if c.is_list or c.leaf == LEAF_OTHER:
        buf_i32(&c.list_off, <int32_t>c.count)

cdef void null_row(Col* c) noexcept nogil:
    """The column has no value in this row: a null scalar or a null list."""
    buf_u8(&c.valid, 0)
    if not c.is_list and c.leaf != LEAF_OTHER:
        leaf_null(c)

cdef bint first_item_range(Row* row, ElementRecord* seq, Py_ssize_t* start,
                           Py_ssize_t* end) noexcept nogil:
    """The dataset range of the first item of sequence element `seq`."""
    cdef ScanContext ctx
    cdef Py_ssize_t stop
    cdef bint ok = False
    cdef ItemRecord* item
    if seq.length <= 0:
        return False
    init_scan(&ctx, row.data, seq.value_offset + seq.length, True)
    ctx.record_size = sizeof(ItemRecord)
    if scan_item_headers(&ctx, seq.value_offset, row.implicit, 1, &stop) == WALK_OK and ctx.count > 0:
        item = <ItemRecord*>ctx.records
        start[0] = item.value_offset
        end[0] = item.value_offset + item.length
        ok = True
    free(ctx.records)
    free(ctx.stack)
    return ok


cdef bint find_in_group(Row* row, Py_ssize_t start, Py_ssize_t end, uint32_t seq_tag,
                        uint32_t tag, ElementRecord* found) noexcept nogil:
    """Element `tag` in the first item of sequence `seq_tag` of the item
    dataset buffer[start:end] (a functional group, PS3.3 C.7.6.16)."""
    cdef ScanContext ctx
    cdef Py_ssize_t stop, s2, e2
    cdef ElementRecord* r
    cdef ElementRecord seq
    cdef bint ok = False
    init_scan(&ctx, row.data, end, True)
    if scan_elements(&ctx, start, item_is_implicit(&ctx, start, row.implicit), False, -1, 1,
                     &stop) == WALK_OK:
        r = find_record(<ElementRecord*>ctx.records, ctx.count, seq_tag)
        if r != NULL:
            seq = r[0]
            free(ctx.records); free(ctx.stack)
            init_scan(&ctx, row.data, end, True)
            if first_item_range(row, &seq, &s2, &e2):
                ctx.end = e2
                if scan_elements(&ctx, s2, item_is_implicit(&ctx, s2, row.implicit), False, -1, 2,
                                 &stop) == WALK_OK:
                    r = find_record(<ElementRecord*>ctx.records, ctx.count, tag)
                    if r != NULL:
                        found[0] = r[0]
                        ok = True
    free(ctx.records)
    free(ctx.stack)
    return ok


cdef void put_frames(Col* cols, int k, int ncols, ElementRecord* recs, Py_ssize_t nrecs,
                     Row* row) noexcept nogil:
    """Per-frame geometry of an enhanced multi-frame image: one struct per item
    of the Per-frame Functional Groups Sequence (5200,9230), each field taken
    from its functional group in that item, or else from the Shared
    Functional Groups Sequence (5200,9229) (PS3.3 C.7.6.16)."""
    cdef Col* c = &cols[k]
    cdef ElementRecord* per_frame = find_record(recs, nrecs, 0x52009230)
    cdef ElementRecord* shared = find_record(recs, nrecs, 0x52009229)
    cdef ElementRecord leaf
    cdef ScanContext ctx
    cdef Py_ssize_t stop, i, shared_start = 0, shared_end = 0
    cdef bint has_shared = False
    cdef ItemRecord* items
    cdef int j
    if per_frame == NULL or per_frame.length <= 0:
        null_row(c)
        return
    if shared != NULL:
        has_shared = first_item_range(row, shared, &shared_start, &shared_end)
    init_scan(&ctx, row.data, per_frame.value_offset + per_frame.length, True)
    ctx.record_size = sizeof(ItemRecord)
    if scan_item_headers(&ctx, per_frame.value_offset, row.implicit, 1, &stop) != WALK_OK:
        free(ctx.records); free(ctx.stack)
        row_warn(row, c.name, "Per-frame Functional Groups Sequence does not scan", NULL, 0)
        null_row(c)
        return
    buf_u8(&c.valid, 1)
    items = <ItemRecord*>ctx.records
    for i in range(ctx.count):
        buf_u8(&c.item_valid, 1)
        for j in range(ncols):
            if cols[j].parent != k:
                continue
            if find_in_group(row, items[i].value_offset, items[i].value_offset + items[i].length,
                             cols[j].seq_tag, cols[j].tag, &leaf) or (
                    has_shared and find_in_group(row, shared_start, shared_end, cols[j].seq_tag,
                                                 cols[j].tag, &leaf)):
                put_element(&cols[j], &leaf, row)
            else:
                null_row(&cols[j])
            finish_row(&cols[j])
        c.count += 1
    free(ctx.records)
    free(ctx.stack)


cdef void null_all(Col* cols, int ncols) noexcept nogil:
    cdef int k
    for k in range(ncols):
        if cols[k].parent >= 0:
            continue   # fields have one row per frame, not per file
        null_row(&cols[k])
        finish_row(&cols[k])

cdef bint row_needs_python(Col* cols, int ncols, ElementRecord* recs, Py_ssize_t nrecs,
                           ElementRecord* meta, Py_ssize_t nmeta, Row* row) noexcept nogil:
    """Whether a text value of a requested column has bytes outside ASCII
    (or ESC): its decoding depends on Specific Character Set (PS3.5 §6.1),
    which the Python path applies with fastdicom.charset."""
    cdef int k, vr, width
    cdef bint f, s
    cdef ElementRecord* r
    cdef Py_ssize_t i
    cdef const unsigned char* p
    for k in range(ncols):
        if (cols[k].leaf == LEAF_BULK or cols[k].leaf == LEAF_OTHER
                or cols[k].leaf == LEAF_FRAMES or cols[k].parent >= 0):
            continue
        if (cols[k].tag >> 16) == 2:
            r = find_record(meta, nmeta, cols[k].tag)
        else:
            r = find_record(recs, nrecs, cols[k].tag)
        if r == NULL:
            continue
        vr = value_vr(&cols[k], r, row)
        if not is_text_enc(encoding_of(vr, &width, &f, &s)):
            continue
        p = row.data + r.value_offset
        for i in range(r.length):
            if p[i] >= 0x80 or p[i] == 0x1B:
                return True
    return False

# ---------------------------------------------------------------------------
# The plan: columns requested, in the order of the schema
# ---------------------------------------------------------------------------

cdef class Plan:
    """The columns to extract: built once from the schema, shared by batches.

    Parameters
    ----------
    columns : list of tuple
        ``(tag, leaf_code, is_list, dictionary_vr, keyword, parent, seq_tag)``
        per column, where dictionary_vr is the 2-letter VR, ``"US or SS"`` or
        ``""``; parent is -1, or the index of the ``frames`` column whose
        field this is, found in the functional group sequence `seq_tag`.
    """
    cdef Col* proto
    cdef int ncols

    def __cinit__(self, list columns):
        cdef int k
        self.ncols = len(columns)
        self.proto = <Col*>malloc(max(1, self.ncols) * sizeof(Col))
        if self.proto == NULL:
            raise MemoryError()
        memset(self.proto, 0, max(1, self.ncols) * sizeof(Col))
        for k, (tag, leaf, is_list, dict_vr, keyword, parent, seq_tag) in enumerate(columns):
            self.proto[k].parent = parent
            self.proto[k].seq_tag = seq_tag
            self.proto[k].tag = tag
            self.proto[k].leaf = leaf
            self.proto[k].is_list = is_list or leaf == LEAF_OTHER or leaf == LEAF_FRAMES
            self.proto[k].us_or_ss = dict_vr == "US or SS"
            self.proto[k].dict_vr = (VR(ord(dict_vr[0]), ord(dict_vr[1]))
                                     if len(dict_vr) == 2 else 0)
            name = keyword.encode("ascii", "replace")[:63]
            memcpy(self.proto[k].name, <const char*>name, len(name))
            self.proto[k].name[len(name)] = 0

    def __dealloc__(self):
        free(self.proto)

    def __len__(self):
        return self.ncols

# ---------------------------------------------------------------------------
# Reading one file
# ---------------------------------------------------------------------------

cdef enum:
    FIRST_READ = 16384        # most headers fit (the benchmark CT: 12.4 KiB)

cdef struct FileBuf:
    unsigned char* data
    Py_ssize_t cap

cdef bint filebuf_reserve(FileBuf* fb, Py_ssize_t n) noexcept nogil:
    cdef unsigned char* grown
    if n <= fb.cap:
        return True
    grown = <unsigned char*>realloc(fb.data, n)
    if grown == NULL:
        return False
    fb.data = grown
    fb.cap = n
    return True

cdef struct FileResult:
    int status
    bint is_dir             # an io_error row whose path is a directory
    int64_t size
    int64_t mtime_ns
    char error[200]

cdef inline bint uid_is(const unsigned char* p, Py_ssize_t n, const char* uid) noexcept nogil:
    cdef Py_ssize_t k = strlen(uid)
    while n > 0 and is_pad(p[n - 1]):
        n -= 1
    return n == k and memcmp(p, uid, k) == 0

cdef const char* DIRECTORY_ERROR = b"is a directory"
DIRECTORY_TEXT = DIRECTORY_ERROR.decode()
"""The error of an io_error row whose path is a directory."""

cdef void set_file_error(FileResult* res, int status, const char* text) noexcept nogil:
    res.status = status
    snprintf(res.error, 200, "%s", text)

cdef extern from *:
    """
    static const char* fastdicom_reason_text[] = {
        "no error", "element header runs past the end of the data",
        "element value runs past the end of the data", "item runs past the end of the data",
        "undefined-length value has no Sequence Delimitation Item",
        "undefined-length item has no Item Delimitation Item",
        "expected an Item or a Sequence Delimitation Item",
        "Item tag where a data element was expected",
        "Sequence Delimitation Item inside an undefined-length item",
        "sequences nested too deep", "out of memory"};
    """
    const char** REASON_TEXT "fastdicom_reason_text"

cdef void scan_error_text(FileResult* res, int status, ScanContext* ctx) noexcept nogil:
    res.status = status
    if ctx.error_has_tag:
        snprintf(res.error, 200, "%s at offset %lld, tag (%04X,%04X)",
                 REASON_TEXT[ctx.error_reason], <long long>ctx.error_offset,
                 ctx.error_tag >> 16, ctx.error_tag & 0xFFFF)
    else:
        snprintf(res.error, 200, "%s at offset %lld", REASON_TEXT[ctx.error_reason],
                 <long long>ctx.error_offset)

REASON_TEXT[:] = [
    b"no error", b"element header runs past the end of the data",
    b"element value runs past the end of the data", b"item runs past the end of the data",
    b"undefined-length value has no Sequence Delimitation Item",
    b"undefined-length item has no Item Delimitation Item",
    b"expected an Item or a Sequence Delimitation Item",
    b"Item tag where a data element was expected",
    b"Sequence Delimitation Item inside an undefined-length item",
    b"sequences nested too deep", b"out of memory",
]

cdef void process_file(const char* path, Col* cols, int ncols, FileBuf* fb,
                       FileResult* res, Row* row) noexcept nogil:
    """Read, scan and convert one file: one row in every column (nulls when
    the file gives none), its status in `res`."""
    cdef int fd, is_regular, k
    cdef long long size = 0, mtime = 0
    cdef Py_ssize_t want, got, ds_start, stop, nmeta = 0, nrecs = 0, i
    cdef ScanContext ctx, mctx
    cdef int status
    cdef bint implicit, in_order, at_pixels, complete
    cdef Py_ssize_t dups, stop_offset = 0, meta_stop = 0
    cdef ElementRecord* recs = NULL
    cdef ElementRecord* meta = NULL
    cdef ElementRecord* r
    cdef uint32_t tag, pixel_length
    cdef ElementRecord pix
    cdef int pix_header
    cdef const unsigned char* p

    res.status = ST_OK
    res.is_dir = False
    res.size = 0
    res.mtime_ns = 0
    res.error[0] = 0
    row.pixel_representation = -1
    pix.tag = 0
    row.nwarnings = 0
    mctx.records = NULL
    mctx.stack = NULL
    ctx.records = NULL
    ctx.stack = NULL

    fd = open(path, O_RDONLY)
    if fd < 0:
        set_file_error(res, ST_IO_ERROR, strerror(errno))
        null_all(cols, ncols)
        return
    if fastdicom_fstat(fd, &size, &mtime, &is_regular) != 0:
        set_file_error(res, ST_IO_ERROR, strerror(errno))
        close(fd)
        null_all(cols, ncols)
        return
    res.size = size
    res.mtime_ns = mtime
    if is_regular != 1:
        res.is_dir = is_regular == 2
        if res.is_dir:
            set_file_error(res, ST_IO_ERROR, DIRECTORY_ERROR)
        else:
            set_file_error(res, ST_IO_ERROR, b"not a regular file")
        close(fd)
        null_all(cols, ncols)
        return
    if size == 0:
        set_file_error(res, ST_EMPTY, b"empty file")
        close(fd)
        null_all(cols, ncols)
        return

    want = FIRST_READ if size > FIRST_READ else size
    got = 0
    while True:
        if not filebuf_reserve(fb, want):
            set_file_error(res, ST_IO_ERROR, b"out of memory")
            break
        if want > got:
            i = read_at(fd, fb.data + got, got, want - got)
            if i < 0:
                set_file_error(res, ST_IO_ERROR, strerror(errno))
                break
            got += i
        complete = got >= size
        row.data = fb.data
        row.size = got
        # PS3.10 §7.1: 128-byte preamble, "DICM", then the File Meta group
        if got < 132 or memcmp(fb.data + 128, b"DICM", 4) != 0:
            if complete or got >= 132:
                res.status = ST_DECLINED   # the Python path decides (no preamble)
            else:
                want = size
                continue
            break
        # File Meta Information: Explicit VR Little Endian (PS3.10 §7.1)
        free(mctx.records)
        free(mctx.stack)
        init_scan(&mctx, fb.data, got, True)
        if looks_implicit(&mctx, 132, False):
            res.status = ST_DECLINED
            break
        status = scan_elements(&mctx, 132, False, False, 2, 0, &meta_stop)
        if status != WALK_OK:
            scan_error_text(res, ST_PARSE_ERROR, &mctx)
            break
        sort_records(<ElementRecord*>mctx.records, &mctx.count, &in_order, &dups)
        meta = <ElementRecord*>mctx.records
        nmeta = mctx.count
        if not complete and meta_stop >= got - 12:
            want = want * 4 if want * 4 < size else size
            continue
        r = find_record(meta, nmeta, 0x00020010)
        if r == NULL:
            res.status = ST_DECLINED
            break
        p = fb.data + r.value_offset
        implicit = False
        if uid_is(p, r.length, b"1.2.840.10008.1.2"):
            implicit = True
        elif uid_is(p, r.length, b"1.2.840.10008.1.2.2") or uid_is(p, r.length, b"1.2.840.10008.1.2.1.99"):
            # Big Endian (retired) and Deflate: the Python path reads them
            res.status = ST_DECLINED
            break
        # the dataset: pydicom's rule, the 2 VR bytes decide for the top level
        free(ctx.records)
        free(ctx.stack)
        init_scan(&ctx, fb.data, got, True)
        implicit = looks_implicit(&ctx, meta_stop, implicit)
        status = scan_elements(&ctx, meta_stop, implicit, True, -1, 0, &stop_offset)
        if status != WALK_OK:
            if not complete:
                want = size
                continue
            scan_error_text(res, ST_TRUNCATED if status == WALK_OUT_OF_DATA else ST_PARSE_ERROR, &ctx)
            break
        at_pixels = False
        if stop_offset + 4 <= got:
            tag = read_tag(fb.data + stop_offset, True)
            at_pixels = tag == PIXEL_DATA_TAG or tag == FLOAT_PIXEL_DATA_TAG or tag == DOUBLE_FLOAT_PIXEL_DATA_TAG
        if not complete and (not at_pixels or stop_offset + 12 > got):
            want = want * 4 if want * 4 < size else size
            continue
        sort_records(<ElementRecord*>ctx.records, &ctx.count, &in_order, &dups)
        recs = <ElementRecord*>ctx.records
        nrecs = ctx.count
        # truncation (what pydicom reads without a word, PS3.10 files cut short)
        for i in range(nrecs):
            if recs[i].flags & (C_FLAG_TRUNCATED | C_FLAG_NO_DELIMITER):
                snprintf(res.error, 200, "value of (%04X,%04X) runs past the end of the file (%lld bytes)",
                         recs[i].tag >> 16, recs[i].tag & 0xFFFF, size)
                res.status = ST_TRUNCATED
                break
        if res.status == ST_OK and at_pixels and stop_offset + 8 <= got and (
                implicit or not is_long_header_vr(fb.data[stop_offset + 4], fb.data[stop_offset + 5])
                or stop_offset + 12 <= got):
            # a Pixel Data value of defined length must fit in the file
            p = fb.data + stop_offset
            if implicit:
                pixel_length = read_uint32(p + 4, True)
            elif is_long_header_vr(p[4], p[5]):
                pixel_length = read_uint32(p + 8, True)
            else:
                pixel_length = read_uint16(p + 6, True)
            pix_header = 12 if not implicit and is_long_header_vr(p[4], p[5]) else 8
            # the pixel data element itself, for a column that asks for it:
            # offset and length (-1: undefined length, encapsulated, PS3.5 §A.4)
            pix.tag = read_tag(p, True)
            pix.vr[0] = 0 if implicit else <char>p[4]
            pix.vr[1] = 0 if implicit else <char>p[5]
            pix.flags = 0
            pix.header_offset = stop_offset
            pix.value_offset = stop_offset + pix_header
            pix.length = -1 if pixel_length == UNDEFINED_LENGTH else pixel_length
            if pixel_length != UNDEFINED_LENGTH and stop_offset + pix_header + <int64_t>pixel_length > size:
                snprintf(res.error, 200, "Pixel Data (%u bytes at offset %lld) runs past the end of the file (%lld bytes)",
                         pixel_length, <long long>stop_offset, size)
                res.status = ST_TRUNCATED
        elif res.status == ST_OK and not at_pixels and stop_offset < size:
            snprintf(res.error, 200, "%lld bytes at offset %lld do not hold an element header",
                     <long long>(size - stop_offset), <long long>stop_offset)
            res.status = ST_TRUNCATED
        elif res.status == ST_OK and not at_pixels and find_record(recs, nrecs, 0x00280010) != NULL \
                and find_record(recs, nrecs, 0x00280011) != NULL and find_record(recs, nrecs, 0x00280100) != NULL:
            # the Image Pixel module (PS3.3 C.7.6.3) without its Pixel Data
            snprintf(res.error, 200, "Image Pixel module without Pixel Data: the file ends at %lld", size)
            res.status = ST_TRUNCATED
        break
    close(fd)

    if res.status == ST_DECLINED or (res.status != ST_OK and res.status != ST_TRUNCATED):
        null_all(cols, ncols)
        free(mctx.records); free(mctx.stack); free(ctx.records); free(ctx.stack)
        return

    row.little_endian = True
    row.implicit = implicit
    r = find_record(recs, nrecs, 0x00280103)
    if r != NULL and r.length >= 2:
        row.pixel_representation = read_uint16(fb.data + r.value_offset, True)
    if row_needs_python(cols, ncols, recs, nrecs, meta, nmeta, row):
        res.status = ST_DECLINED
        null_all(cols, ncols)
        free(mctx.records); free(mctx.stack); free(ctx.records); free(ctx.stack)
        return

    for k in range(ncols):
        if cols[k].parent >= 0:
            continue
        if cols[k].leaf == LEAF_OTHER:
            put_other(&cols[k], recs, nrecs, row)
        elif cols[k].leaf == LEAF_FRAMES:
            put_frames(cols, k, ncols, recs, nrecs, row)
        else:
            if (cols[k].tag >> 16) == 2:
                r = find_record(meta, nmeta, cols[k].tag)
            else:
                r = find_record(recs, nrecs, cols[k].tag)
            if r == NULL and pix.tag != 0 and cols[k].tag == pix.tag:
                r = &pix
            if r == NULL:
                null_row(&cols[k])
            else:
                put_element(&cols[k], r, row)
        finish_row(&cols[k])
    free(mctx.records); free(mctx.stack); free(ctx.records); free(ctx.stack)

cdef void init_scan(ScanContext* ctx, const unsigned char* data, Py_ssize_t end,
                    bint lenient) noexcept nogil:
    ctx.data = data
    ctx.end = end
    ctx.little_endian = True
    ctx.lenient = lenient
    ctx.vr_switch = True
    ctx.stack = NULL
    ctx.records = NULL
    ctx.first_block = NULL
    ctx.count = 0
    ctx.capacity = 0
    ctx.record_size = sizeof(ElementRecord)
    clear_error(ctx)

# ---------------------------------------------------------------------------
# The batch entry point
# ---------------------------------------------------------------------------

cdef char EMPTY_BYTES[8]

# a str path is encoded as os.fsencode does it: with a UTF-8 file system
# encoding, a str that encodes strictly has the bytes of its cached UTF-8
_FS_UTF8 = codecs.lookup(sys.getfilesystemencoding()).name == "utf-8"

cdef class OwnedBuffer:
    """A buffer filled without the GIL, handed to Python without a copy.

    It owns the ``malloc`` block of one column buffer and exports it through
    the buffer protocol (read-only), so that ``pyarrow.py_buffer`` and
    ``numpy.frombuffer`` wrap it in place; the block is freed with the last
    reference. Copying every buffer into ``bytes`` held the GIL for a copy of
    the whole batch (and the page faults of the fresh copies).
    """
    cdef char* data
    cdef Py_ssize_t size

    def __dealloc__(self):
        free(self.data)

    def __getbuffer__(self, Py_buffer* view, int flags):
        PyBuffer_FillInfo(view, self, self.data if self.data != NULL else EMPTY_BYTES,
                          self.size, 1, flags)

    def __releasebuffer__(self, Py_buffer* view):
        pass

    def __len__(self):
        return self.size

cdef OwnedBuffer take(Buf* b):
    """The buffer's bytes as an OwnedBuffer; `b` gives its block away."""
    cdef OwnedBuffer out = OwnedBuffer.__new__(OwnedBuffer)
    out.data = b.data
    out.size = b.size
    b.data = NULL
    b.size = b.cap = 0
    return out

cdef struct Bits:
    Buf* flags        # one uint8 per value (1 valid, 0 null)
    Buf bits          # Arrow validity bitmap (LSB first), empty when no null
    int64_t nulls

cdef void pack_bits(Bits* job) noexcept nogil:
    """The Arrow validity bitmap of a uint8 flag buffer (none when no null)."""
    cdef Py_ssize_t n = job.flags.size, i
    cdef const uint8_t* f = <const uint8_t*>job.flags.data
    cdef uint8_t* out
    job.nulls = 0
    for i in range(n):
        if f[i] == 0:
            job.nulls += 1
    if job.nulls == 0 or not buf_reserve(&job.bits, (n + 7) // 8):
        return
    out = <uint8_t*>job.bits.data
    memset(out, 0, (n + 7) // 8)
    for i in range(n):
        if f[i]:
            out[i >> 3] |= <uint8_t>(1 << (i & 7))
    job.bits.size = (n + 7) // 8

cdef tuple take_bits(Bits* job):
    """``(bitmap or None, null count)`` for ``pyarrow.Array.from_buffers``."""
    if job.nulls == 0:
        return (None, 0)
    return (take(&job.bits), job.nulls)

# ---------------------------------------------------------------------------
# The batch as Arrow arrays (the Arrow C data interface)
# ---------------------------------------------------------------------------

cdef extern from *:
    """
    #ifndef ARROW_C_DATA_INTERFACE
    #define ARROW_C_DATA_INTERFACE
    #define ARROW_FLAG_DICTIONARY_ORDERED 1
    #define ARROW_FLAG_NULLABLE 2
    #define ARROW_FLAG_MAP_KEYS_SORTED 4
    struct ArrowSchema {
      const char* format; const char* name; const char* metadata; int64_t flags;
      int64_t n_children; struct ArrowSchema** children; struct ArrowSchema* dictionary;
      void (*release)(struct ArrowSchema*); void* private_data;
    };
    struct ArrowArray {
      int64_t length; int64_t null_count; int64_t offset; int64_t n_buffers;
      int64_t n_children; const void** buffers; struct ArrowArray** children;
      struct ArrowArray* dictionary; void (*release)(struct ArrowArray*); void* private_data;
    };
    #endif
    """
    struct ArrowArray:
        int64_t length
        int64_t null_count
        int64_t offset
        int64_t n_buffers
        int64_t n_children
        const void** buffers
        ArrowArray** children
        ArrowArray* dictionary
        void (*release)(ArrowArray*) noexcept nogil
        void* private_data

cdef struct Owner:
    # every block of one exported batch, freed by its release callback
    void** blocks
    Py_ssize_t count
    Py_ssize_t cap
    bint failed

cdef void* owned(Owner* o, void* p) noexcept nogil:
    """Record block `p` (NULL: a failed allocation) as the batch's."""
    if p == NULL or o.count >= o.cap:
        o.failed = True
        if p != NULL:
            free(p)
        return NULL
    o.blocks[o.count] = p
    o.count += 1
    return p

cdef void* owned_buf(Owner* o, Buf* b) noexcept nogil:
    """The data of `b`, now the batch's (a zero-length buffer points to a
    static byte: Arrow wants a pointer for offsets and values)."""
    cdef void* p = b.data
    b.data = NULL
    b.size = b.cap = 0
    if p == NULL:
        return EMPTY_BYTES
    return owned(o, p)

cdef void release_child(ArrowArray* a) noexcept nogil:
    a.release = NULL   # the parent's release frees the blocks

cdef void release_batch(ArrowArray* a) noexcept nogil:
    cdef Owner* o = <Owner*>a.private_data
    cdef Py_ssize_t i
    for i in range(o.count):
        free(o.blocks[i])
    free(o.blocks)
    free(o)
    a.release = NULL

cdef ArrowArray* arrow_node(Owner* o, int64_t length, int64_t nulls, int nbuf,
                            int nchild) noexcept nogil:
    cdef ArrowArray* a = <ArrowArray*>owned(o, calloc(1, sizeof(ArrowArray)))
    if a == NULL:
        return NULL
    a.buffers = <const void**>owned(o, calloc(nbuf if nbuf else 1, sizeof(void*)))
    if nchild:
        a.children = <ArrowArray**>owned(o, calloc(nchild, sizeof(ArrowArray*)))
    if a.buffers == NULL or (nchild and a.children == NULL):
        o.failed = True
        return NULL
    a.length = length
    a.null_count = nulls
    a.n_buffers = nbuf
    a.n_children = nchild
    a.release = release_child
    return a

cdef ArrowArray* arrow_fixed(Owner* o, int64_t length, Bits* bits, Buf* values) noexcept nogil:
    cdef ArrowArray* a = arrow_node(o, length, bits.nulls if bits != NULL else 0, 2, 0)
    if a == NULL:
        return NULL
    if bits != NULL and bits.nulls:
        a.buffers[0] = owned_buf(o, &bits.bits)
    a.buffers[1] = owned_buf(o, values)
    return a

cdef ArrowArray* arrow_strings(Owner* o, int64_t length, Bits* bits, Strs* strs) noexcept nogil:
    cdef ArrowArray* a = arrow_node(o, length, bits.nulls if bits != NULL else 0, 3, 0)
    if a == NULL:
        return NULL
    if bits != NULL and bits.nulls:
        a.buffers[0] = owned_buf(o, &bits.bits)
    a.buffers[1] = owned_buf(o, &strs.offsets)
    a.buffers[2] = owned_buf(o, &strs.data)
    return a

cdef ArrowArray* arrow_struct(Owner* o, int64_t length, Bits* bits, int nchild) noexcept nogil:
    cdef ArrowArray* a = arrow_node(o, length, bits.nulls if bits != NULL else 0, 1, nchild)
    if a != NULL and bits != NULL and bits.nulls:
        a.buffers[0] = owned_buf(o, &bits.bits)
    return a

cdef ArrowArray* arrow_column(Owner* o, Col* cols, int k, int ncols, int64_t rows,
                              Bits* bits) noexcept nogil:
    """Column k as the index schema types it (fastdicom.index._column_array):
    its leaf values, in a list when the column is a list; `bits` holds the
    column's bitmaps (valid, item_valid, s0..s2 valid: 5 per column)."""
    cdef Col* c = &cols[k]
    cdef ArrowArray* leaf = NULL
    cdef ArrowArray* lst
    cdef Bits* b = &bits[5 * k]
    cdef int j, nfields = 0, f = 0
    if c.leaf == LEAF_FRAMES:
        for j in range(ncols):
            nfields += cols[j].parent == k
        leaf = arrow_struct(o, c.count, NULL, nfields)
        if leaf == NULL:
            return NULL
        for j in range(ncols):
            if cols[j].parent == k:
                leaf.children[f] = arrow_column(o, cols, j, ncols, c.count, bits)
                if leaf.children[f] == NULL:
                    return NULL
                f += 1
    elif c.leaf == LEAF_STR:
        leaf = arrow_strings(o, c.count, &b[2], &c.s[0])
    elif c.leaf == LEAF_PN:
        leaf = arrow_struct(o, c.count, &b[1], 3)
        if leaf != NULL:
            for j in range(3):
                leaf.children[j] = arrow_strings(o, c.count, &b[2 + j], &c.s[j])
    elif c.leaf == LEAF_BULK:
        leaf = arrow_struct(o, c.count, &b[1], 2)
        if leaf != NULL:
            leaf.children[0] = arrow_fixed(o, c.count, NULL, &c.values)
            leaf.children[1] = arrow_fixed(o, c.count, NULL, &c.values2)
    elif c.leaf == LEAF_OTHER:
        leaf = arrow_struct(o, c.count, NULL, 5)
        if leaf != NULL:
            leaf.children[0] = arrow_fixed(o, c.count, NULL, &c.values)
            leaf.children[1] = arrow_strings(o, c.count, &b[2], &c.s[0])
            leaf.children[2] = arrow_strings(o, c.count, &b[3], &c.s[1])
            leaf.children[3] = arrow_fixed(o, c.count, NULL, &c.values2)
            leaf.children[4] = arrow_fixed(o, c.count, NULL, &c.values3)
    else:
        leaf = arrow_fixed(o, c.count, &b[1], &c.values)
    if leaf == NULL or o.failed:
        return NULL
    if not (c.is_list or c.leaf == LEAF_OTHER or c.leaf == LEAF_FRAMES):
        return leaf
    lst = arrow_node(o, rows, b[0].nulls, 2, 1)
    if lst == NULL:
        return NULL
    if b[0].nulls:
        lst.buffers[0] = owned_buf(o, &b[0].bits)
    lst.buffers[1] = owned_buf(o, &c.list_off)
    lst.children[0] = leaf
    return lst

cdef object export_batch(Col* cols, int ncols, int64_t rows, Bits* bits, Buf* sizes, Buf* mtimes,
                         Strs* errors, Strs* warn, Buf* warn_off, Strs* status_text,
                         Strs* path_text, object schema):
    """The batch's buffers as one pyarrow.RecordBatch of `schema`: the
    arrays are laid out here without the GIL, and pyarrow takes them over
    through the C data interface (the release callback frees them)."""
    cdef Owner* o = <Owner*>calloc(1, sizeof(Owner))
    cdef ArrowArray* top = NULL
    cdef ArrowArray* warnings
    cdef int k, ntop = 0, child = 6
    cdef int64_t nwarn
    if o == NULL:
        raise MemoryError()
    # per column at most 16 nodes of 3 blocks and 16 buffers (frames: their
    # fields are columns of their own)
    o.cap = 64 * (ncols + 8)
    o.blocks = <void**>malloc(o.cap * sizeof(void*))
    if o.blocks == NULL:
        free(o)
        raise MemoryError()
    with nogil:
        for k in range(ncols):
            ntop += cols[k].parent < 0
        top = arrow_struct(o, rows, NULL, 6 + ntop)
        if top != NULL:
            top.children[0] = arrow_strings(o, rows, NULL, path_text)
            top.children[1] = arrow_fixed(o, rows, NULL, sizes)
            top.children[2] = arrow_fixed(o, rows, NULL, mtimes)
            top.children[3] = arrow_strings(o, rows, NULL, status_text)
            top.children[4] = arrow_strings(o, rows, &bits[5 * ncols], errors)
            nwarn = warn.offsets.size // 4 - 1
            warnings = arrow_node(o, rows, bits[5 * ncols + 1].nulls, 2, 1)
            if warnings != NULL:
                if bits[5 * ncols + 1].nulls:
                    warnings.buffers[0] = owned_buf(o, &bits[5 * ncols + 1].bits)
                warnings.buffers[1] = owned_buf(o, warn_off)
                warnings.children[0] = arrow_strings(o, nwarn, NULL, warn)
            top.children[5] = warnings
            for k in range(ncols):
                if cols[k].parent < 0 and not o.failed:
                    top.children[child] = arrow_column(o, cols, k, ncols, rows, bits)
                    child += 1
    if top == NULL or o.failed:
        for k in range(o.count):
            free(o.blocks[k])
        free(o.blocks)
        free(o)
        raise MemoryError("out of memory while building an index batch")
    top.private_data = o
    top.release = release_batch
    import pyarrow as pa
    # pyarrow moves *top into its own structure: the release runs when the
    # last array of the batch goes
    return pa.RecordBatch._import_from_c(<uintptr_t>top, schema)

cdef extern from *:
    """
    static const char* fastdicom_status_text[] = {
        "ok", "not_dicom", "empty", "truncated", "parse_error", "io_error", "declined"};
    """
    const char** STATUS_TEXT "fastdicom_status_text"

def extract(Plan plan, list paths, schema=None):
    """Read the files of `paths` and convert the columns of `plan`, one row each.

    Parameters
    ----------
    plan : Plan
    paths : list of str or bytes
        File system paths (``str`` as ``os.fsencode`` encodes them).
    schema : pyarrow.Schema, optional
        The index schema of the plan's columns: the batch comes back as a
        ``pyarrow.RecordBatch`` built without the GIL and handed over
        through the Arrow C data interface, one call for the whole batch.

    Returns
    -------
    dict
        With `schema`: ``batch`` (the RecordBatch; its ``path`` column is
        only right when ``paths_ascii``), ``status`` (uint8 codes),
        ``declined``, ``directories`` and ``paths_ascii``. Without:
        ``status`` (uint8 codes), ``file_size``, ``mtime_ns`` (int64),
        ``error`` and ``warnings`` (string buffers) and ``columns``: per
        column a dict of buffers (``valid``, ``list_off``, ``item_valid``,
        ``values``, ``values2``, ``values3``, ``s`` as three (offsets, data,
        valid)). Every buffer is a read-only, little-endian bytes-like
        :class:`OwnedBuffer`. Arrow-ready extras: ``valid_bits``,
        ``item_bits`` and ``s_bits`` per column, ``error_bits`` and
        ``warnings_bits`` (``(bitmap or None, null count)``),
        ``status_text`` and ``path_text`` (string offsets and data;
        ``path_text`` is None when a path is not ASCII) and ``declined``
        (rows left to the Python path) and ``directories`` (the rows,
        io_error "not a regular file", whose path is a directory).
    """
    cdef Py_ssize_t n = len(paths), i
    cdef int k, j, ncols = plan.ncols
    cdef const char** cpaths = <const char**>malloc(max(1, n) * sizeof(char*))
    cdef Col* cols = <Col*>malloc(max(1, ncols) * sizeof(Col))
    cdef int nbits = 5 * ncols + 2
    cdef Bits* bits = <Bits*>malloc(nbits * sizeof(Bits))
    cdef FileBuf fb
    cdef FileResult res
    cdef Row row
    cdef Buf status, sizes, mtimes, warn_has, dirs
    cdef Strs errors, warn, status_text, path_text
    cdef Buf warn_off
    cdef bint failed = False, text_ok = True
    cdef Py_ssize_t declined = 0, plen
    cdef const unsigned char* pc
    cdef bint utf8_fs = _FS_UTF8
    if cpaths == NULL or cols == NULL or bits == NULL:
        free(cpaths); free(cols); free(bits)
        raise MemoryError()
    # the items must outlive the loop without the GIL: hold them here (the
    # caller's list may change meanwhile), with the encodings made for them
    keep = list(paths)
    for i in range(n):
        item = keep[i]
        if isinstance(item, str):
            if utf8_fs:
                try:
                    # the str's own cached UTF-8 (ASCII: its data), no copy
                    cpaths[i] = PyUnicode_AsUTF8AndSize(item, &plen)
                    continue
                except UnicodeEncodeError:
                    pass   # surrogate escapes (os.walk of a name not in UTF-8)
            item = os.fsencode(item)
            keep.append(item)
            text_ok = False
        cpaths[i] = PyBytes_AsString(item)
    memcpy(cols, plan.proto, max(1, ncols) * sizeof(Col))
    memset(&status, 0, sizeof(Buf)); memset(&sizes, 0, sizeof(Buf)); memset(&mtimes, 0, sizeof(Buf))
    memset(&warn_has, 0, sizeof(Buf)); memset(&dirs, 0, sizeof(Buf))
    memset(&errors, 0, sizeof(Strs)); memset(&warn, 0, sizeof(Strs)); memset(&warn_off, 0, sizeof(Buf))
    memset(&status_text, 0, sizeof(Strs)); memset(&path_text, 0, sizeof(Strs))
    memset(bits, 0, nbits * sizeof(Bits))
    fb.data = NULL
    fb.cap = 0
    try:
        with nogil:
            for k in range(ncols):
                for j in range(3):
                    strs_init(&cols[k].s[j])
                if cols[k].is_list or cols[k].leaf == LEAF_OTHER:
                    buf_i32(&cols[k].list_off, 0)
            strs_init(&errors)
            strs_init(&warn)
            strs_init(&status_text)
            strs_init(&path_text)
            buf_i32(&warn_off, 0)
            row.warn_strs = &warn
            for i in range(n):
                process_file(cpaths[i], cols, ncols, &fb, &res, &row)
                buf_u8(&status, <uint8_t>res.status)
                declined += res.status == ST_DECLINED
                if res.is_dir:
                    buf_i64(&dirs, i)
                buf_i64(&sizes, res.size)
                buf_i64(&mtimes, res.mtime_ns)
                strs_add(&errors, res.error, strlen(res.error), res.error[0] != 0)
                buf_i32(&warn_off, <int32_t>(warn.offsets.size // 4 - 1))
                buf_u8(&warn_has, 1 if row.nwarnings > 0 else 0)
                strs_add(&status_text, STATUS_TEXT[res.status], strlen(STATUS_TEXT[res.status]), True)
                # the path column: ASCII here; other names go through Python
                pc = <const unsigned char*>cpaths[i]
                plen = strlen(cpaths[i])
                if text_ok:
                    for j in range(plen):
                        if pc[j] >= 0x80:
                            text_ok = False
                            break
                strs_add(&path_text, cpaths[i], plen, True)
            # Arrow validity bitmaps, packed here rather than under the GIL
            for k in range(ncols):
                bits[5 * k].flags = &cols[k].valid
                bits[5 * k + 1].flags = &cols[k].item_valid
                for j in range(3):
                    bits[5 * k + 2 + j].flags = &cols[k].s[j].valid
            bits[5 * ncols].flags = &errors.valid
            bits[5 * ncols + 1].flags = &warn_has
            for k in range(nbits):
                pack_bits(&bits[k])
        failed = (status.failed or sizes.failed or errors.data.failed or warn.data.failed
                  or warn_has.failed or status_text.data.failed or path_text.data.failed
                  or dirs.failed)
        for k in range(ncols):
            failed = (failed or cols[k].valid.failed or cols[k].list_off.failed
                      or cols[k].item_valid.failed or cols[k].values.failed
                      or cols[k].values2.failed or cols[k].values3.failed)
            for j in range(3):
                failed = failed or cols[k].s[j].data.failed or cols[k].s[j].offsets.failed
        for k in range(nbits):
            failed = failed or bits[k].bits.failed
        if failed:
            raise MemoryError("out of memory while indexing a batch")
        if schema is not None:
            batch = export_batch(cols, ncols, n, bits, &sizes, &mtimes, &errors, &warn, &warn_off,
                                 &status_text, &path_text, schema)
            return {
                "batch": batch, "status": take(&status), "declined": declined,
                "directories": [(<int64_t*>dirs.data)[i] for i in range(dirs.size // 8)],
                "paths_ascii": text_ok,
            }
        out_cols = []
        for k in range(ncols):
            out_cols.append({
                "valid": take(&cols[k].valid), "list_off": take(&cols[k].list_off),
                "item_valid": take(&cols[k].item_valid), "values": take(&cols[k].values),
                "values2": take(&cols[k].values2), "values3": take(&cols[k].values3),
                "count": cols[k].count,
                "s": [(take(&cols[k].s[j].offsets), take(&cols[k].s[j].data),
                       take(&cols[k].s[j].valid)) for j in range(3)],
                "valid_bits": take_bits(&bits[5 * k]),
                "item_bits": take_bits(&bits[5 * k + 1]),
                "s_bits": [take_bits(&bits[5 * k + 2 + j]) for j in range(3)],
            })
        return {
            "status": take(&status), "file_size": take(&sizes), "mtime_ns": take(&mtimes),
            "error": (take(&errors.offsets), take(&errors.data), take(&errors.valid)),
            "error_bits": take_bits(&bits[5 * ncols]),
            "warnings": (take(&warn_off), take(&warn.offsets), take(&warn.data)),
            "warnings_bits": take_bits(&bits[5 * ncols + 1]),
            "status_text": (take(&status_text.offsets), take(&status_text.data)),
            "path_text": (take(&path_text.offsets), take(&path_text.data)) if text_ok else None,
            "declined": declined,
            "directories": [(<int64_t*>dirs.data)[i] for i in range(dirs.size // 8)],
            "columns": out_cols,
        }
    finally:
        # whatever was not handed over (an error on the way)
        for k in range(ncols):
            col_free(&cols[k])
        for k in range(nbits):
            free(bits[k].bits.data)
        free(bits)
        free(cols)
        free(cpaths)
        free(fb.data)
        free(status.data); free(sizes.data); free(mtimes.data); free(warn_off.data)
        free(warn_has.data); free(dirs.data)
        free(errors.offsets.data); free(errors.data.data); free(errors.valid.data)
        free(warn.offsets.data); free(warn.data.data); free(warn.valid.data)
        free(status_text.offsets.data); free(status_text.data.data); free(status_text.valid.data)
        free(path_text.offsets.data); free(path_text.data.data); free(path_text.valid.data)

cdef extern from "<sys/stat.h>" nogil:
    """
    static int fastdicom_path_kind(const char* path) {
        struct stat st;
        if (stat(path, &st) != 0) return 0;
        if (S_ISDIR(st.st_mode)) return 1;
        return 2;
    }
    """
    int fastdicom_path_kind(const char* path)

KIND_OTHER = 0
"""path_kinds: the path does not exist or cannot be stat'ed (its row says why)."""
KIND_DIRECTORY = 1
"""path_kinds: a directory (symbolic links followed)."""
KIND_FILE = 2
"""path_kinds: anything else that exists (a file: its row reads it)."""

def path_kinds(list paths):
    """Whether each path is a directory, without the GIL: one ``stat`` each.

    Parameters
    ----------
    paths : list of str or bytes

    Returns
    -------
    bytes
        One code per path: KIND_OTHER, KIND_DIRECTORY or KIND_FILE
        (``os.path.isdir`` is ``code == KIND_DIRECTORY``).
    """
    cdef Py_ssize_t n = len(paths), i, plen
    cdef const char** cpaths = <const char**>malloc(max(1, n) * sizeof(char*))
    cdef bytearray out = bytearray(n)
    cdef unsigned char* codes = out
    if cpaths == NULL:
        raise MemoryError()
    keep = list(paths)
    try:
        for i in range(n):
            item = keep[i]
            if isinstance(item, str):
                if _FS_UTF8:
                    try:
                        cpaths[i] = PyUnicode_AsUTF8AndSize(item, &plen)
                        continue
                    except UnicodeEncodeError:
                        pass
                item = os.fsencode(item)
                keep.append(item)
            cpaths[i] = PyBytes_AsString(item)
        with nogil:
            for i in range(n):
                codes[i] = <unsigned char>fastdicom_path_kind(cpaths[i])
    finally:
        free(cpaths)
    return bytes(out)


cdef extern from "Python.h":
    int PyUnicode_Compare(object left, object right) except? -1
    bint PyUnicode_CheckExact(object o)


def is_listing(list paths):
    """Whether `paths` are all ``str`` and strictly ascending (hence sorted
    and distinct): a listing a job takes as it is.

    One comparison of neighbours each, in C: ``sorted(paths) == paths`` and
    a set of the paths cost the main thread ~0.2 us per path, the serial
    part of a threaded job that most limits its scaling.

    Parameters
    ----------
    paths : list

    Returns
    -------
    bool
        True for an empty list; False as soon as an item is not exactly a
        ``str`` or is not greater than the one before.
    """
    cdef Py_ssize_t i, n = len(paths)
    if n == 0:
        return True
    previous = paths[0]
    if not PyUnicode_CheckExact(previous):
        return False
    for i in range(1, n):
        current = paths[i]
        if not PyUnicode_CheckExact(current) or PyUnicode_Compare(previous, current) >= 0:
            return False
        previous = current
    return True


cdef extern from "Python.h":
    object PyUnicode_DecodeUTF8(const char* data, Py_ssize_t size, const char* errors)


cdef inline Py_ssize_t _put_varint(unsigned char* out, size_t value) noexcept nogil:
    cdef Py_ssize_t n = 0
    while value >= 0x80:
        out[n] = <unsigned char>((value & 0x7F) | 0x80)
        value >>= 7
        n += 1
    out[n] = <unsigned char>value
    return n + 1


cdef inline Py_ssize_t _get_varint(const unsigned char* data, Py_ssize_t size, Py_ssize_t pos,
                                   size_t* value) noexcept nogil:
    """The position after the varint at `pos`, or -1 when it runs past the end."""
    cdef size_t result = 0
    cdef int shift = 0
    while pos < size and shift < 63:
        result |= <size_t>(data[pos] & 0x7F) << shift
        if not data[pos] & 0x80:
            value[0] = result
            return pos + 1
        pos += 1
        shift += 7
    return -1


def pack_paths(list paths):
    """`paths` (``str``) as one compact ``bytes``: each path is the length of
    the start it shares with the path before and the rest (UTF-8, lone
    surrogates of undecodable names kept by ``surrogatepass``).

    A sorted listing shares most of each path with the one before (its
    folders), so a Dask task's paths travel as a sixth or less of their
    text: Dask sends a task's arguments through the scheduler at ~5 ms per
    MB here, on the CPUs the workers need. :func:`unpack_paths` reverses it.

    Parameters
    ----------
    paths : list of str

    Returns
    -------
    bytes
    """
    cdef Py_ssize_t n = len(paths), i, size, shared, cap = 4096, used = 0, prev_size = 0
    cdef const char* text
    cdef const char* prev = NULL
    cdef unsigned char* out = <unsigned char*>malloc(cap)
    cdef unsigned char* grown
    if out == NULL:
        raise MemoryError()
    previous = None  # keeps `prev` alive
    try:
        for i in range(n):
            item = paths[i]
            if not isinstance(item, str):
                raise TypeError(f"pack_paths takes str paths, not {type(item).__name__}")
            try:
                text = PyUnicode_AsUTF8AndSize(item, &size)
                keep = item
            except UnicodeEncodeError:
                keep = (<str>item).encode("utf-8", "surrogatepass")
                text = PyBytes_AsString(keep)
                size = len(keep)
            shared = 0
            while shared < size and shared < prev_size and text[shared] == prev[shared]:
                shared += 1
            if used + 20 + size - shared > cap:
                cap = max(cap * 2, used + 20 + size - shared)
                grown = <unsigned char*>realloc(out, cap)
                if grown == NULL:
                    raise MemoryError()
                out = grown
            used += _put_varint(out + used, <size_t>shared)
            used += _put_varint(out + used, <size_t>(size - shared))
            memcpy(out + used, text + shared, size - shared)
            used += size - shared
            previous = keep
            prev = text
            prev_size = size
        return PyBytes_FromStringAndSize(<char*>out, used)
    finally:
        free(out)


def unpack_paths(bytes data):
    """The list of ``str`` paths that :func:`pack_paths` made `data` of.

    Raises
    ------
    ValueError
        `data` is not what pack_paths makes (a length past its end, a
        shared start longer than the path before).
    """
    cdef const unsigned char* raw = <const unsigned char*>PyBytes_AsString(data)
    cdef Py_ssize_t size = len(data), pos = 0, length = 0, cap = 4096
    cdef size_t shared = 0, rest = 0
    cdef char* path = <char*>malloc(cap)
    cdef char* grown
    cdef list out = []
    if path == NULL:
        raise MemoryError()
    try:
        while pos < size:
            pos = _get_varint(raw, size, pos, &shared)
            if pos >= 0:
                pos = _get_varint(raw, size, pos, &rest)
            if pos < 0 or shared > <size_t>length or rest > <size_t>(size - pos):
                raise ValueError("packed paths are damaged")
            if <Py_ssize_t>(shared + rest) > cap:
                cap = max(cap * 2, <Py_ssize_t>(shared + rest))
                grown = <char*>realloc(path, cap)
                if grown == NULL:
                    raise MemoryError()
                path = grown
            memcpy(path + shared, raw + pos, rest)
            pos += rest
            length = shared + rest
            out.append(PyUnicode_DecodeUTF8(path, length, "surrogatepass"))
        return out
    finally:
        free(path)
