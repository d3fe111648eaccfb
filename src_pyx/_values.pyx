"""Compiled conversion of one element's encoded bytes into its Python value.

The common cases of :func:`fastdicom.values.convert_value_bytes` (numbers,
default-repertoire strings, UIDs, DS/IS, person names, tags, binary values)
are made here directly from the source buffer: no ``bytes`` copy of the
value, no Python frame per VR, and value types (UID, DSfloat, IS,
PersonName) built without running their Python ``__new__``/``__init__``
where the result is the same object state.

The fast path *declines* (returns :data:`DECLINED`) whenever the value is
anything but plain: an empty value, a length that does not fit the VR, a
character the VR's pattern does not allow, an escape sequence, an encoding
that is not ASCII-compatible, or a setting this module does not implement.
The caller then takes the Python path, which produces pydicom's warnings,
errors and fallbacks. So a value made here is always one the Python path
would have made without a warning.

In: the buffer (bytes or a 1-D byte memoryview), the record's value offset
and length, the VR, the byte order and small ints for the text encoding
and the settings. Out: the value, or DECLINED. No config object, no
callback.
"""

from cpython.bytes cimport PyBytes_FromStringAndSize, PyBytes_AS_STRING, PyBytes_GET_SIZE, PyBytes_CheckExact
from cpython.unicode cimport PyUnicode_DecodeLatin1, PyUnicode_DecodeASCII
from cpython.float cimport PyFloat_FromDouble
from cpython.long cimport PyLong_FromLong, PyLong_FromUnsignedLong, PyLong_FromLongLong, PyLong_FromUnsignedLongLong
from cpython.memoryview cimport PyMemoryView_Check, PyMemoryView_GET_BUFFER
from cpython.buffer cimport Py_buffer
from cpython.pycapsule cimport PyCapsule_New
from libc.stdint cimport uint8_t, uint16_t, uint32_t, uint64_t, int16_t, int32_t, int64_t
from libc.string cimport memcpy, memchr

from fastdicom.multival import MultiValue
from fastdicom.tag import BaseTag, Tag
from fastdicom.uid import UID
from fastdicom.valuerep import DSfloat, IS, PersonName

cdef extern from "Python.h":
    ctypedef struct PyObject
    ctypedef struct PyFloatObject:
        double ob_fval
    # A float subclass's instance as float.__new__(cls, x) makes it (its
    # tp_alloc, then the value), without the temporary float and the call
    object PyType_GenericAlloc(type cls, Py_ssize_t nitems)
    int PyObject_GenericSetDict(object obj, object value, void *context) except -1
    # overflow_exception NULL: an overflow gives +-inf, as float() does
    double PyOS_string_to_double(const char *s, char **endptr, PyObject *overflow_exception) except? -1.0


DECLINED = object()
"""The value returned when the fast path does not handle a value."""

# Text modes: how a text VR's bytes may be decoded here (see values.py).
TEXT_NONE = 0    # not decodable here (an escape-sequence or unknown charset)
TEXT_LATIN1 = 1  # the default repertoire: bytes decode as ISO 8859-1
TEXT_ASCII = 2   # an ASCII-compatible charset: only ASCII bytes decode here

# Option bits: the settings that change a value's type
OPT_DS_DECIMAL = 1   # config.use_DS_decimal
OPT_DS_NUMPY = 2     # config.use_DS_numpy
OPT_IS_NUMPY = 4     # config.use_IS_numpy
OPT_DATETIME = 8     # config.datetime_conversion

# Validation modes, as fastdicom.config
cdef int _IGNORE = 0
cdef int _WARN = 1
cdef int _RAISE = 2

cdef object _float_new = float.__new__
cdef object _int_new = int.__new__
cdef object _str_new = str.__new__
cdef object _object_new = object.__new__
cdef object _MultiValue = MultiValue
cdef type _DSfloat = DSfloat
cdef object _IS = IS
cdef object _UID = UID
cdef object _PersonName = PersonName
cdef object _BaseTag = BaseTag
cdef object _Tag = Tag
cdef object _str = str
cdef object _DECLINED = DECLINED


cdef inline bint _is_space_or_nul(uint8_t c) noexcept nogil:
    return c == 0x20 or c == 0


cdef inline Py_ssize_t _rstrip(const uint8_t *p, Py_ssize_t n) noexcept nogil:
    """Length without trailing spaces and NULs."""
    while n > 0 and _is_space_or_nul(p[n - 1]):
        n -= 1
    return n


cdef inline bint _has_backslash(const uint8_t *p, Py_ssize_t n) noexcept nogil:
    return n > 0 and memchr(p, 0x5C, <size_t>n) != NULL


cdef inline bint _all_ascii_text(const uint8_t *p, Py_ssize_t n) noexcept nogil:
    """Whether every byte is printable ASCII or TAB/LF/FF/CR/NUL: the bytes an
    ASCII-compatible charset decodes as ASCII (no ESC, PS3.5 §6.1.2.5.3)."""
    cdef Py_ssize_t i
    cdef uint8_t c
    for i in range(n):
        c = p[i]
        if c >= 0x7F or (c < 0x20 and c != 0x09 and c != 0x0A and c != 0x0C and c != 0x0D and c != 0):
            return False
    return True


cdef inline object _decode(const uint8_t *p, Py_ssize_t n, int text_mode):
    if text_mode == TEXT_LATIN1:
        if memchr(p, 0x1B, <size_t>n) != NULL:  # ESC: charset's code extension
            return None
        return PyUnicode_DecodeLatin1(<const char *>p, n, NULL)
    if text_mode == TEXT_ASCII and _all_ascii_text(p, n):
        return PyUnicode_DecodeASCII(<const char *>p, n, NULL)
    return None


cdef bint _valid_uid(const uint8_t *p, Py_ssize_t n) noexcept nogil:
    """PS3.5 §9.1: components of digits without leading zeros, joined by '.',
    at most 64 characters."""
    cdef Py_ssize_t i, start = 0
    if n == 0 or n > 64:
        return False
    for i in range(n + 1):
        if i == n or p[i] == 0x2E:
            if i == start:  # empty component
                return False
            if p[start] == 0x30 and i - start > 1:  # leading zero
                return False
            start = i + 1
        elif p[i] < 0x30 or p[i] > 0x39:
            return False
    return True


cdef object _uid(const uint8_t *p, Py_ssize_t n, int mode):
    if not _valid_uid(p, n):
        return None
    return _str_new(_UID, PyUnicode_DecodeLatin1(<const char *>p, n, NULL))


ctypedef object (*_ItemMaker)(const uint8_t *, Py_ssize_t, int)


cdef object _split_items(const uint8_t *p, Py_ssize_t n, _ItemMaker make, int mode, object value_type):
    """A value of VM >= 1 (PS3.5 §6.4: items separated by backslashes): one
    item, or a MultiValue of `value_type` items, each made by `make`; None
    (the Python path decides) as soon as one item declines."""
    cdef Py_ssize_t start = 0, i
    cdef list items
    if not _has_backslash(p, n):
        return make(p, n, mode)
    items = []
    for i in range(n + 1):
        if i == n or p[i] == 0x5C:
            item = make(p + start, i - start, mode)
            if item is None:
                return None
            items.append(item)
            start = i + 1
    return _mv_from_converted(value_type, items)


cdef object _mv_from_converted(object value_type, list items):
    """``MultiValue._from_converted(value_type, items)``: the items are
    already made by `value_type`, so its constructor is not run again."""
    cdef object value = _object_new(_MultiValue)
    value._constructor = value_type
    value._list = items
    return value


cdef object _convert_ui(const uint8_t *p, Py_ssize_t n):
    return _split_items(p, _rstrip(p, n), _uid, 0, _UID)


cdef object _ds_item(const uint8_t *p, Py_ssize_t n, int mode):
    """One DS value as pydicom's DSfloat(str) makes it, or None."""
    cdef char buf[40]
    cdef char *end
    cdef double d
    cdef Py_ssize_t i
    cdef uint8_t c
    # DSfloat keeps the string stripped of spaces
    while n > 0 and p[0] == 0x20:
        p += 1
        n -= 1
    while n > 0 and p[n - 1] == 0x20:
        n -= 1
    if n == 0 or n >= 40:
        return None  # blank items stay str in pydicom
    for i in range(n):
        c = p[i]
        if not (0x30 <= c <= 0x39 or c == 0x2E or c == 0x2B or c == 0x2D or c == 0x45 or c == 0x65):
            return None
    memcpy(buf, p, n)
    buf[n] = 0
    try:
        d = PyOS_string_to_double(buf, &end, NULL)
    except Exception:
        return None
    if end != buf + n:
        return None
    value = PyType_GenericAlloc(_DSfloat, 0)
    (<PyFloatObject*>value).ob_fval = d
    # The attributes DSfloat.__init__ sets, in its order, as one exact-size
    # dict: set one by one they would get a dict sized for every attribute
    # name DSfloat instances ever had (~400 bytes kept per value, not ~250)
    PyObject_GenericSetDict(value, {
        "original_string": PyUnicode_DecodeLatin1(<const char *>p, n, NULL),
        "auto_format": False,
    }, NULL)
    return value


cdef object _convert_ds(const uint8_t *p, Py_ssize_t n):
    # multi_string(text.strip(), DSfloat): whitespace ends, then trailing NULs
    while n > 0 and (p[n - 1] == 0x20 or p[n - 1] == 0):
        n -= 1
    return _split_items(p, n, _ds_item, 0, _DSfloat)


cdef object _is_item(const uint8_t *p, Py_ssize_t n, int mode):
    """One IS value as IS(str) makes it on its whole-number path, or None."""
    cdef Py_ssize_t i, a, b, digits = 0
    cdef long long v = 0
    cdef bint negative = False
    if n == 0 or n > 12:
        return None
    a = 0
    b = n
    while a < b and p[a] == 0x20:
        a += 1
    while b > a and p[b - 1] == 0x20:
        b -= 1
    i = a
    if i < b and (p[i] == 0x2B or p[i] == 0x2D):
        negative = p[i] == 0x2D
        i += 1
    if i == b:
        return None
    while i < b:
        if not 0x30 <= p[i] <= 0x39:
            return None
        v = v * 10 + (p[i] - 0x30)
        i += 1
    if negative:
        v = -v
    if mode == _RAISE and not (-2147483648 <= v <= 2147483647):
        return None  # IS raises OverflowError
    value = _int_new(_IS, PyLong_FromLongLong(v))
    value.original_string = PyUnicode_DecodeLatin1(<const char *>(p + a), b - a, NULL)
    return value


cdef object _convert_is(const uint8_t *p, Py_ssize_t n, int mode):
    return _split_items(p, _rstrip(p, n), _is_item, mode, _IS)


cdef object _convert_cs(const uint8_t *p, Py_ssize_t n):
    """convert_string: ISO 8859-1, trailing spaces and NULs off, split at '\\'."""
    n = _rstrip(p, n)
    text = PyUnicode_DecodeLatin1(<const char *>p, n, NULL)
    if not _has_backslash(p, n):
        return text
    return _mv_from_converted(_str, text.split("\\"))


cdef object _convert_ae(const uint8_t *p, Py_ssize_t n):
    text = PyUnicode_DecodeLatin1(<const char *>p, n, NULL)
    if not _has_backslash(p, n):
        return text.strip()
    return _mv_from_converted(_str, [item.strip() for item in text.split("\\")])


cdef object _convert_text(const uint8_t *p, Py_ssize_t n, int text_mode, Py_ssize_t max_len, int mode):
    """convert_text (SH, LO, UC): values longer than the VR allows decline
    (the Python path warns)."""
    decoded = _decode(p, n, text_mode)
    if decoded is None:
        return None
    if not _has_backslash(p, n):
        if max_len and mode != _IGNORE and len(decoded) > max_len:
            return None
        return decoded.rstrip("\0 ")
    values = decoded.split("\\")
    if max_len and mode != _IGNORE:
        for v in values:
            if len(v) > max_len:
                return None
    return _mv_from_converted(_str, [v.rstrip("\0 ") for v in values])


cdef object _convert_single(const uint8_t *p, Py_ssize_t n, int text_mode, Py_ssize_t max_len, int mode):
    """convert_single_string (LT, ST, UT): backslashes kept."""
    decoded = _decode(p, n, text_mode)
    if decoded is None:
        return None
    if max_len and mode != _IGNORE and len(decoded) > max_len:
        return None
    return decoded.rstrip("\0 ")


cdef object _convert_pn(const uint8_t *p, Py_ssize_t n, int text_mode, object encodings, int mode):
    """A single ASCII person name as convert_PN makes it (PersonName with its
    components and encoded form set). Several names, non-ASCII bytes and
    escape sequences decline."""
    cdef Py_ssize_t i
    cdef list components
    if text_mode == TEXT_NONE:
        return None
    n = _rstrip(p, n)
    for i in range(n):
        if p[i] >= 0x80 or p[i] == 0x1B or p[i] == 0x5C:
            return None
    if not _all_ascii_text(p, n):
        return None
    text = PyUnicode_DecodeASCII(<const char *>p, n, NULL)
    components = text.split("=")
    if mode != _IGNORE:
        # validate_pn: at most 3 components of at most 64 characters
        if len(components) > 3:
            return None
        for comp in components:
            if len(comp) > 64:
                return None
    while components and not components[len(components) - 1]:
        components.pop()
    name = _object_new(_PersonName)
    # The attributes PersonName.__init__ and convert_PN set, in their order
    name._components = tuple(components)
    name.validation_mode = mode
    name.original_string = "=".join(components).encode("ascii")
    name.encodings = _encodings_tuple(encodings)
    return name


# One tuple per single encoding, shared by the person names that use it (a
# tuple is immutable; ~56 bytes kept per name otherwise)
cdef dict _single_encodings = {}


cdef tuple _encodings_tuple(object encodings):
    cdef object found, key
    if type(encodings) is list and len(<list>encodings) == 1:
        key = (<list>encodings)[0]
        if type(key) is str:
            found = _single_encodings.get(key)
            if found is None:
                if len(_single_encodings) >= 64:
                    _single_encodings.clear()
                found = (key,)
                _single_encodings[key] = found
            return <tuple>found
    return tuple(encodings)


cdef object _convert_at(const uint8_t *p, Py_ssize_t n, bint little):
    cdef Py_ssize_t i
    cdef uint32_t group, elem
    cdef list tags
    if n % 4:
        return None  # the Python path logs the odd length
    tags = []
    for i in range(0, n, 4):
        if little:
            group = p[i] | (p[i + 1] << 8)
            elem = p[i + 2] | (p[i + 3] << 8)
        else:
            group = (p[i] << 8) | p[i + 1]
            elem = (p[i + 2] << 8) | p[i + 3]
        tags.append(_BaseTag((group << 16) | elem))
    if n == 4:
        return tags[0]
    return _mv_from_converted(_Tag, tags)


cdef inline uint64_t _load(const uint8_t *p, int size, bint little) noexcept nogil:
    cdef uint64_t v = 0
    cdef int k
    if little:
        for k in range(size - 1, -1, -1):
            v = (v << 8) | p[k]
    else:
        for k in range(size):
            v = (v << 8) | p[k]
    return v


cdef object _number(const uint8_t *p, char code, bint little):
    cdef uint64_t v
    cdef uint32_t v32
    cdef float f
    cdef double d
    if code == b'H':
        return PyLong_FromLong(<long>(<uint16_t>_load(p, 2, little)))
    if code == b'h':
        return PyLong_FromLong(<long>(<int16_t>(<uint16_t>_load(p, 2, little))))
    if code == b'L':
        return PyLong_FromUnsignedLong(<unsigned long>(<uint32_t>_load(p, 4, little)))
    if code == b'l':
        return PyLong_FromLong(<long>(<int32_t>(<uint32_t>_load(p, 4, little))))
    if code == b'Q':
        return PyLong_FromUnsignedLongLong(_load(p, 8, little))
    if code == b'q':
        return PyLong_FromLongLong(<long long>(<int64_t>_load(p, 8, little)))
    if code == b'f':
        v32 = <uint32_t>_load(p, 4, little)
        memcpy(&f, &v32, 4)
        return PyFloat_FromDouble(<double>f)
    v = _load(p, 8, little)
    memcpy(&d, &v, 8)
    return PyFloat_FromDouble(d)


cdef object _convert_numbers(const uint8_t *p, Py_ssize_t n, char code, int size, bint little):
    cdef Py_ssize_t i
    cdef list values
    if n % size:
        return None  # BytesLengthException on the Python path
    if n == size:
        return _number(p, code, little)
    values = [None] * (n // size)
    for i in range(n // size):
        values[i] = _number(p + i * size, code, little)
    return values


cdef inline int _vr_code(str vr):
    """The VR as a 16-bit code (its two letters), 0 for anything else."""
    if vr is None or len(vr) != 2:
        return 0
    return (<int>ord(vr[0]) << 8) | <int>ord(vr[1])


DEF VR_AE = 0x4145
DEF VR_AS = 0x4153
DEF VR_AT = 0x4154
DEF VR_CS = 0x4353
DEF VR_DA = 0x4441
DEF VR_DS = 0x4453
DEF VR_DT = 0x4454
DEF VR_FD = 0x4644
DEF VR_FL = 0x464C
DEF VR_IS = 0x4953
DEF VR_LO = 0x4C4F
DEF VR_LT = 0x4C54
DEF VR_OB = 0x4F42
DEF VR_OD = 0x4F44
DEF VR_OF = 0x4F46
DEF VR_OL = 0x4F4C
DEF VR_OV = 0x4F56
DEF VR_OW = 0x4F57
DEF VR_PN = 0x504E
DEF VR_SH = 0x5348
DEF VR_SL = 0x534C
DEF VR_SS = 0x5353
DEF VR_ST = 0x5354
DEF VR_SV = 0x5356
DEF VR_TM = 0x544D
DEF VR_UC = 0x5543
DEF VR_UI = 0x5549
DEF VR_UL = 0x554C
DEF VR_UR = 0x5552
DEF VR_US = 0x5553
DEF VR_UT = 0x5554
DEF VR_UV = 0x5556


cdef bint _bytes_of(object buffer, const uint8_t **base, Py_ssize_t *size) noexcept:
    """The address and size of `buffer`'s bytes (bytes, or a contiguous 1-D
    memoryview of bytes, which the caller holds); False for anything else."""
    cdef Py_buffer *view
    if PyBytes_CheckExact(buffer):
        base[0] = <const uint8_t *>PyBytes_AS_STRING(buffer)
        size[0] = PyBytes_GET_SIZE(buffer)
        return True
    if PyMemoryView_Check(buffer):
        view = PyMemoryView_GET_BUFFER(buffer)
        if view.itemsize != 1 or view.ndim != 1 or (view.strides != NULL and view.strides[0] != 1):
            return False
        base[0] = <const uint8_t *>view.buf
        size[0] = view.len
        return True
    return False


cpdef object convert(object buffer, Py_ssize_t offset, Py_ssize_t length, str vr,
                     bint little, int text_mode=0, object encodings=None,
                     int mode=1, int options=0):
    """Return the value of the element whose bytes are ``buffer[offset:offset+length]``.

    Parameters
    ----------
    buffer : bytes or memoryview
        The source: bytes, or a C-contiguous 1-D memoryview of bytes.
    offset, length : int
        Where the value is in `buffer` (the scanner's record).
    vr : str
        The element's VR (one of the 2-letter VRs; anything else declines).
    little : bool
        The byte order of binary values.
    text_mode : int, optional
        :data:`TEXT_LATIN1`, :data:`TEXT_ASCII` or :data:`TEXT_NONE`: how
        the values of the charset-dependent VRs (SH, LO, UC, LT, ST, UT, PN)
        may be decoded here.
    encodings : sequence of str, optional
        The dataset's Python encodings (stored in a PersonName).
    mode : int, optional
        The reading validation mode (0 ignore, 1 warn, 2 raise).
    options : int, optional
        The ``OPT_*`` bits of the settings in effect.

    Returns
    -------
    Any
        The value, or :data:`DECLINED` when the Python path must make it.

    Raises
    ------
    ValueError
        If ``offset`` and ``length`` are not inside `buffer`.
    """
    cdef const uint8_t *base
    cdef Py_ssize_t size
    if not _bytes_of(buffer, &base, &size):
        return _DECLINED
    return _convert_bytes(base, size, offset, length, vr, little, text_mode, encodings, mode, options)


cdef object _convert_bytes(const uint8_t *base, Py_ssize_t size, Py_ssize_t offset,
                           Py_ssize_t length, str vr, bint little, int text_mode,
                           object encodings, int mode, int options):
    """:func:`convert` over `size` bytes at `base` (held by the caller)."""
    cdef const uint8_t *p
    cdef int code
    if offset < 0 or length < 0 or offset > size or length > size - offset:
        raise ValueError(f"value at offset {offset} with length {length} is outside the buffer of {size} bytes")
    if length == 0:
        return _DECLINED  # empty values depend on settings: values.empty_value_for_VR
    p = base + offset
    code = _vr_code(vr)
    result = None
    if code == VR_US:
        result = _convert_numbers(p, length, b'H', 2, little)
    elif code == VR_UL:
        result = _convert_numbers(p, length, b'L', 4, little)
    elif code == VR_UI:
        result = _convert_ui(p, length)
    elif code == VR_CS or code == VR_AS:
        result = _convert_cs(p, length)
    elif code == VR_DA or code == VR_DT or code == VR_TM:
        if not options & OPT_DATETIME:
            result = _convert_cs(p, length)
    elif code == VR_DS:
        if not options & (OPT_DS_DECIMAL | OPT_DS_NUMPY) and mode != _RAISE:
            result = _convert_ds(p, length)
    elif code == VR_IS:
        if not options & OPT_IS_NUMPY:
            result = _convert_is(p, length, mode)
    elif code == VR_LO:
        result = _convert_text(p, length, text_mode, 64, mode)
    elif code == VR_SH:
        result = _convert_text(p, length, text_mode, 16, mode)
    elif code == VR_UC:
        result = _convert_text(p, length, text_mode, 0, mode)
    elif code == VR_PN:
        result = _convert_pn(p, length, text_mode, encodings, mode)
    elif code == VR_LT:
        result = _convert_single(p, length, text_mode, 10240, mode)
    elif code == VR_ST:
        result = _convert_single(p, length, text_mode, 1024, mode)
    elif code == VR_UT:
        result = _convert_single(p, length, text_mode, 0, mode)
    elif code == VR_SS:
        result = _convert_numbers(p, length, b'h', 2, little)
    elif code == VR_SL:
        result = _convert_numbers(p, length, b'l', 4, little)
    elif code == VR_FL:
        result = _convert_numbers(p, length, b'f', 4, little)
    elif code == VR_FD:
        result = _convert_numbers(p, length, b'd', 8, little)
    elif code == VR_SV:
        result = _convert_numbers(p, length, b'q', 8, little)
    elif code == VR_UV:
        result = _convert_numbers(p, length, b'Q', 8, little)
    elif code == VR_AE:
        result = _convert_ae(p, length)
    elif code == VR_AT:
        result = _convert_at(p, length, little)
    elif code == VR_UR:
        result = PyUnicode_DecodeLatin1(<const char *>p, length, NULL).rstrip()
    elif (code == VR_OB or code == VR_OW or code == VR_OD or code == VR_OF
          or code == VR_OL or code == VR_OV):
        result = PyBytes_FromStringAndSize(<const char *>p, length)
    if result is None:
        return _DECLINED
    return result


# ---------------------------------------------------------------------------
# convert_record: the reader's entry point, with the settings that decide it
# ---------------------------------------------------------------------------
# The Python state the conversion depends on, given once by fastdicom.values
# (bind_settings): the converters table a user may edit, the built-in
# converters, the config module, the cache of text modes and its filler.
cdef dict _converters = None
cdef dict _builtin_converters = None
cdef object _config = None
# The config module's globals, read as a dict on every value (the module
# keeps this dict for its life, importlib.reload included)
cdef dict _config_attributes = {}
cdef dict _text_modes = None
cdef object _text_mode_of = None

# The settings each VR's conversion depends on (VRs not listed use none)
DEF NEEDS_NOTHING = 0
DEF NEEDS_DS = 1
DEF NEEDS_IS = 2
DEF NEEDS_DATETIME = 3
DEF NEEDS_TEXT = 4


def bind_settings(dict converters, dict builtin_converters, object config, dict text_modes,
                  object text_mode_of):
    """Give :func:`convert_record` the Python state it reads (called once by
    ``fastdicom.values`` when it is imported)."""
    global _converters, _builtin_converters, _config, _text_modes, _text_mode_of
    global _config_attributes
    _converters = converters
    _builtin_converters = builtin_converters
    _config = config
    _config_attributes = config.__dict__
    _text_modes = text_modes
    _text_mode_of = text_mode_of


cdef inline int _needs(int code) noexcept:
    if code == VR_DS:
        return NEEDS_DS
    if code == VR_IS:
        return NEEDS_IS
    if code == VR_DA or code == VR_DT or code == VR_TM:
        return NEEDS_DATETIME
    if (code == VR_LO or code == VR_LT or code == VR_PN or code == VR_SH or code == VR_ST
            or code == VR_UC or code == VR_UT):
        return NEEDS_TEXT
    return NEEDS_NOTHING


cpdef object convert_record(str VR, object buffer, Py_ssize_t offset, Py_ssize_t length,
                            bint is_little_endian, object encodings=None):
    """Convert an element's value in place in its source buffer, if plain.

    The reader's fast path: the value ``values.convert_value_bytes`` would
    return for ``buffer[offset:offset + length]``, made without copying the
    bytes, or :data:`DECLINED` when the value needs the Python path (empty
    values, values that warn or fail to convert, a replaced
    ``values.converters`` entry, the numpy, Decimal and datetime settings).

    Parameters
    ----------
    VR : str
        The element's VR.
    buffer : bytes or memoryview
        The source buffer (1-D, bytes).
    offset, length : int
        Where the value is in `buffer`.
    is_little_endian : bool
        The byte order.
    encodings : list of str, optional
        The dataset's Python encodings; needed only for the VRs whose text
        depends on the character set (LO, LT, PN, SH, ST, UC, UT).

    Returns
    -------
    Any
        The value, or :data:`DECLINED`.
    """
    cdef const uint8_t *base
    cdef Py_ssize_t size
    if not _bytes_of(buffer, &base, &size):
        return _DECLINED
    return convert_record_bytes(VR, base, size, offset, length, is_little_endian, encodings)


cdef object convert_record_bytes(str VR, const uint8_t *base, Py_ssize_t size, Py_ssize_t offset,
                                 Py_ssize_t length, bint is_little_endian, object encodings):
    """:func:`convert_record` over `size` bytes at `base` (held by the
    caller): the entry ``fastdicom._parser`` calls without a Python call
    (:data:`CONVERT_RECORD_CAPSULE`)."""
    cdef int needs, options = 0
    cdef object text_mode, mode
    if _converters is None:
        return _DECLINED  # fastdicom.values not imported yet
    # A user's replacement in values.converters is honoured, as in pydicom
    if _converters.get(VR) is not _builtin_converters.get(VR):
        return _DECLINED
    needs = _needs(_vr_code(VR))
    if needs == NEEDS_NOTHING:
        # Numbers, UIDs, code strings, tags, bytes: no setting changes them
        return _convert_bytes(base, size, offset, length, VR, is_little_endian, 0, None, 1, 0)
    if needs == NEEDS_DS:
        if _config_attributes.get("use_DS_decimal"):
            options |= OPT_DS_DECIMAL
        if _config_attributes.get("use_DS_numpy"):
            options |= OPT_DS_NUMPY
    elif needs == NEEDS_IS:
        if _config_attributes.get("use_IS_numpy"):
            options |= OPT_IS_NUMPY
    elif needs == NEEDS_DATETIME:
        if not _config_attributes.get("datetime_conversion"):
            return _convert_bytes(base, size, offset, length, VR, is_little_endian, 0, None, 1, 0)
        return _DECLINED
    text_mode = 0
    if encodings:
        text_mode = _text_modes.get(encodings[0])
        if text_mode is None:
            text_mode = _text_mode_of(encodings[0])
    # config.settings is looked up each time: importlib.reload(config) makes
    # a new one; its reading_validation_mode property, inlined
    mode = _config_attributes.get("settings")._reading_validation_mode
    if mode is None:
        mode = _RAISE if _config_attributes.get("enforce_valid_values") else _WARN
    return _convert_bytes(base, size, offset, length, VR, is_little_endian, text_mode, encodings,
                          mode, options)


CONVERT_RECORD_CAPSULE = PyCapsule_New(<void *>convert_record_bytes,
                                       b"fastdicom._values.convert_record_bytes", NULL)
"""A capsule of the C function behind :func:`convert_record` that takes the
buffer's address and size, for ``fastdicom._parser`` (a C call per value,
not a Python one)."""
