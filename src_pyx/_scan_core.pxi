# The scanner's C core, shared by the modules that scan DICOM bytes
# (`include`d by _parser.pyx and _index.pyx, as STYLE.md "Cython
# practicalities" says: a cimport of non-inline functions from src_pyx/ would
# make a built module import a top-level name at run time). It holds only C
# declarations and nogil functions; the Python-facing names (MAX_NESTING_DEPTH,
# FLAG_*, the error texts, the table classes) stay in _parser.pyx.
#
# Needs: from libc.stdint cimport int64_t, uint16_t, uint32_t
#        from libc.stdlib cimport free, malloc, qsort, realloc
#        from libc.string cimport memchr, memcpy
# ---------------------------------------------------------------------------
# Constants
# ---------------------------------------------------------------------------

cdef enum:
    # Deepest nesting of sequences followed (see MAX_NESTING_DEPTH).
    C_MAX_NESTING_DEPTH = 64
    # Frames on the walk stack: one sequence frame and one item frame per
    # level, plus the frame the walk starts in and some slack.
    WALK_STACK_SIZE = 2 * C_MAX_NESTING_DEPTH + 8
    # Records made room for at first (in the caller's room when it gives
    # one: ScanContext.first_block).
    INITIAL_CAPACITY = 16
    # Unused room of a finished record array given back when at least this
    # many bytes (doubling leaves up to half of it).
    TRIM_BYTES = 1024


cdef enum:
    C_FLAG_UNDEFINED_LENGTH = 1
    C_FLAG_IMPLICIT = 2
    C_FLAG_LONG_HEADER = 4
    C_FLAG_TRUNCATED = 8
    C_FLAG_NO_DELIMITER = 16
    C_FLAG_DELIMITER_SEARCHED = 32


# Tags of the item structure, PS3.5 §7.5 (Tables 7.5-1 to 7.5-3), the
# undefined length (PS3.5 §7.1.1), and the pixel data tags where scanning
# stops with stop_before_pixels (as pydicom's _at_pixel_data). Unsigned C
# macros: these do not fit a C enum (an int).
cdef extern from *:
    """
    #define FASTDICOM_ITEM_TAG 0xFFFEE000u
    #define FASTDICOM_ITEM_DELIMITER_TAG 0xFFFEE00Du
    #define FASTDICOM_SEQUENCE_DELIMITER_TAG 0xFFFEE0DDu
    #define FASTDICOM_UNDEFINED_LENGTH 0xFFFFFFFFu
    #define FASTDICOM_FLOAT_PIXEL_DATA_TAG 0x7FE00008u
    #define FASTDICOM_DOUBLE_FLOAT_PIXEL_DATA_TAG 0x7FE00009u
    #define FASTDICOM_PIXEL_DATA_TAG 0x7FE00010u
    """
    const uint32_t ITEM_TAG "FASTDICOM_ITEM_TAG"
    const uint32_t ITEM_DELIMITER_TAG "FASTDICOM_ITEM_DELIMITER_TAG"
    const uint32_t SEQUENCE_DELIMITER_TAG "FASTDICOM_SEQUENCE_DELIMITER_TAG"
    const uint32_t UNDEFINED_LENGTH "FASTDICOM_UNDEFINED_LENGTH"
    const uint32_t FLOAT_PIXEL_DATA_TAG "FASTDICOM_FLOAT_PIXEL_DATA_TAG"
    const uint32_t DOUBLE_FLOAT_PIXEL_DATA_TAG "FASTDICOM_DOUBLE_FLOAT_PIXEL_DATA_TAG"
    const uint32_t PIXEL_DATA_TAG "FASTDICOM_PIXEL_DATA_TAG"

# Outcome of a walk over an undefined-length structure
cdef enum WalkStatus:
    WALK_OK = 0
    WALK_OUT_OF_DATA = 1     # the data ends before the structure closes
    WALK_BAD_STRUCTURE = 2   # a tag that cannot be there
    WALK_NESTING = 3         # deeper than C_MAX_NESTING_DEPTH
    WALK_NO_MEMORY = 4
    WALK_IMPLIED_END = 5     # lenient: item closed by its sequence's delimiter

# Why a scan failed: index into _REASONS
cdef enum Reason:
    REASON_NONE = 0
    REASON_HEADER_TRUNCATED
    REASON_VALUE_TRUNCATED
    REASON_ITEM_TRUNCATED
    REASON_NO_SEQUENCE_DELIMITER
    REASON_NO_ITEM_DELIMITER
    REASON_EXPECTED_ITEM
    REASON_ITEM_AT_DATASET_LEVEL
    REASON_SEQUENCE_DELIMITER_IN_ITEM
    REASON_NESTING
    REASON_NO_MEMORY


# ---------------------------------------------------------------------------
# C structures
# ---------------------------------------------------------------------------

cdef struct ElementRecord:
    uint32_t tag
    char vr[2]              # the 2 VR bytes; 0, 0 for an implicit-VR element
    uint16_t flags
    int64_t header_offset
    int64_t value_offset
    int64_t length

cdef struct ItemRecord:
    uint16_t flags
    int64_t header_offset
    int64_t value_offset
    int64_t length

cdef struct ElementHeader:
    uint32_t tag
    uint32_t length         # as encoded (0xFFFFFFFF for undefined length)
    int header_length       # 8 or 12
    uint16_t flags          # FLAG_IMPLICIT / FLAG_LONG_HEADER
    unsigned char vr0
    unsigned char vr1

cdef enum FrameKind:
    FRAME_SEQUENCE = 0      # expecting items or the Sequence Delimitation Item
    FRAME_ITEM = 1          # expecting elements or the Item Delimitation Item

cdef struct WalkFrame:
    int kind
    bint implicit_vr

cdef struct ScanContext:
    const unsigned char* data
    Py_ssize_t end
    bint little_endian
    bint lenient
    bint vr_switch
    WalkFrame* stack        # malloc'ed on the first undefined length met
    # growable output (element or item records)
    void* records
    Py_ssize_t count
    Py_ssize_t capacity
    Py_ssize_t record_size
    # room for the first INITIAL_CAPACITY records, given by the caller (on
    # its C stack), or NULL: the records of a small dataset are then copied
    # into a block of their exact size, instead of keeping the unused room
    # of a first allocation for as long as the dataset lives
    void* first_block
    # the first error met
    int error_reason
    int error_status
    Py_ssize_t error_offset
    uint32_t error_tag
    bint error_has_tag

# ---------------------------------------------------------------------------
# Byte reading (the caller has checked that the bytes are there)
# ---------------------------------------------------------------------------

cdef inline uint16_t read_uint16(const unsigned char* p, bint little_endian) noexcept nogil:
    if little_endian:
        return <uint16_t>(p[0] | (p[1] << 8))
    return <uint16_t>((p[0] << 8) | p[1])


cdef inline uint32_t read_uint32(const unsigned char* p, bint little_endian) noexcept nogil:
    if little_endian:
        return (<uint32_t>p[0] | (<uint32_t>p[1] << 8)
                | (<uint32_t>p[2] << 16) | (<uint32_t>p[3] << 24))
    return ((<uint32_t>p[0] << 24) | (<uint32_t>p[1] << 16)
            | (<uint32_t>p[2] << 8) | <uint32_t>p[3])


cdef inline uint32_t read_tag(const unsigned char* p, bint little_endian) noexcept nogil:
    """Group and element number, each a 16-bit number (PS3.5 §7.1.1)."""
    return ((<uint32_t>read_uint16(p, little_endian) << 16)
            | read_uint16(p + 2, little_endian))


cdef inline bint is_long_header_vr(unsigned char a, unsigned char b) noexcept nogil:
    """VRs with 2 reserved bytes and a 4-byte length: PS3.5 §7.1.2, Table 7.1-1.

    OB OD OF OL OV OW SQ SV UC UN UR UT UV
    """
    if a == c'O':
        return b == c'B' or b == c'D' or b == c'F' or b == c'L' or b == c'V' or b == c'W'
    if a == c'S':
        return b == c'Q' or b == c'V'
    if a == c'U':
        return b == c'C' or b == c'N' or b == c'R' or b == c'T' or b == c'V'
    return False


cdef inline bint is_in_vr_range(unsigned char a, unsigned char b) noexcept nogil:
    """b"AA" <= vr <= b"ZZ", compared bytewise as pydicom does."""
    cdef uint32_t code = (<uint32_t>a << 8) | b
    return 0x4141 <= code <= 0x5A5A


cdef inline bint looks_implicit(ScanContext* ctx, Py_ssize_t position, bint assumed_implicit) noexcept nogil:
    """Whether the element header at `position` looks like implicit VR.

    pydicom's check before a dataset: the 2 bytes after the tag are a VR only
    if both are upper-case letters. With fewer than 6 bytes left the
    assumption stands.
    """
    cdef unsigned char a, b
    if ctx.end - position < 6:
        return assumed_implicit
    a = ctx.data[position + 4]
    b = ctx.data[position + 5]
    return not (0x40 < a < 0x5B and 0x40 < b < 0x5B)


cdef inline bint item_is_implicit(ScanContext* ctx, Py_ssize_t position, bint assumed_implicit) noexcept nogil:
    """The encoding of an item's dataset (pydicom's is_sequence rule).

    An implicit assumption is kept; an explicit one switches to implicit when
    the first element does not look explicit (PS3.5 §6.2.2 allows implicit
    VR inside an undefined-length UN).
    """
    if assumed_implicit:
        return True
    return looks_implicit(ctx, position, False)


cdef inline bint read_element_header(ScanContext* ctx, Py_ssize_t position,
                                     bint implicit_vr, ElementHeader* header) noexcept nogil:
    """Decode the element header at `position` (8 bytes are available).

    PS3.5 §7.1.1 (explicit VR: tag, VR, 2-byte length, or tag, VR, 2 reserved
    bytes, 4-byte length for the VRs of Table 7.1-1) and §7.1.2 (implicit VR:
    tag, 4-byte length). Returns False when a 12-byte header does not fit.
    """
    cdef const unsigned char* p = ctx.data + position
    cdef unsigned char a, b
    header.tag = read_tag(p, ctx.little_endian)
    if not implicit_vr:
        a = p[4]
        b = p[5]
        if is_long_header_vr(a, b):
            if ctx.end - position < 12:
                return False
            header.vr0 = a
            header.vr1 = b
            header.flags = C_FLAG_LONG_HEADER
            header.header_length = 12
            header.length = read_uint32(p + 8, ctx.little_endian)
            return True
        if not ctx.vr_switch or is_in_vr_range(a, b):
            # a known VR with a 2-byte length, or an unknown one read as such
            header.vr0 = a
            header.vr1 = b
            header.flags = 0
            header.header_length = 8
            header.length = read_uint16(p + 6, ctx.little_endian)
            return True
        # not a VR: this element is encoded with implicit VR
    header.vr0 = 0
    header.vr1 = 0
    header.flags = C_FLAG_IMPLICIT
    header.header_length = 8
    header.length = read_uint32(p + 4, ctx.little_endian)
    return True

# ---------------------------------------------------------------------------
# Errors and output records
# ---------------------------------------------------------------------------

cdef inline int set_error(ScanContext* ctx, int status, int reason, Py_ssize_t offset,
                          uint32_t tag, bint has_tag) noexcept nogil:
    ctx.error_status = status
    ctx.error_reason = reason
    ctx.error_offset = offset
    ctx.error_tag = tag
    ctx.error_has_tag = has_tag
    return status


cdef void clear_error(ScanContext* ctx) noexcept nogil:
    ctx.error_status = WALK_OK
    ctx.error_reason = REASON_NONE
    ctx.error_offset = 0
    ctx.error_tag = 0
    ctx.error_has_tag = False


cdef void* append_record(ScanContext* ctx) noexcept nogil:
    """Room for one more record (grown by doubling), or NULL when out of memory."""
    cdef Py_ssize_t new_capacity
    cdef void* grown
    if ctx.count == ctx.capacity:
        if ctx.records == NULL and ctx.first_block != NULL:
            ctx.records = ctx.first_block
            ctx.capacity = INITIAL_CAPACITY
        else:
            new_capacity = ctx.capacity * 2 if ctx.capacity else INITIAL_CAPACITY
            if ctx.records != NULL and ctx.records == ctx.first_block:
                # Out of the caller's room: to the heap
                grown = malloc(new_capacity * ctx.record_size)
                if grown != NULL:
                    memcpy(grown, ctx.records, ctx.count * ctx.record_size)
            else:
                grown = realloc(ctx.records, new_capacity * ctx.record_size)
            if grown == NULL:
                return NULL
            ctx.records = grown
            ctx.capacity = new_capacity
    ctx.count += 1
    return <char*>ctx.records + (ctx.count - 1) * ctx.record_size


cdef bint trim_records(ScanContext* ctx) noexcept nogil:
    """Give back the unused room of ctx.records when it is large, and move
    records still in the caller's room to a block of their size: the
    records of a table live as long as the dataset read from it. False when
    out of memory."""
    cdef void* trimmed
    if ctx.records != NULL and ctx.records == ctx.first_block:
        if ctx.count == 0:
            ctx.records = NULL
            ctx.capacity = 0
            return True
        trimmed = malloc(ctx.count * ctx.record_size)
        if trimmed == NULL:
            return False
        memcpy(trimmed, ctx.records, ctx.count * ctx.record_size)
        ctx.records = trimmed
        ctx.capacity = ctx.count
    elif ctx.count > 0 and (ctx.capacity - ctx.count) * ctx.record_size >= TRIM_BYTES:
        trimmed = realloc(ctx.records, ctx.count * ctx.record_size)
        if trimmed != NULL:  # else keep the larger block: nothing is lost
            ctx.records = trimmed
            ctx.capacity = ctx.count
    return True


cdef inline void release_records(ScanContext* ctx) noexcept nogil:
    """Free ctx.records unless they are (still) in the caller's room."""
    if ctx.records != ctx.first_block:
        free(ctx.records)
    ctx.records = NULL


cdef Py_ssize_t search_delimiter(const unsigned char* data, Py_ssize_t start, Py_ssize_t end,
                                 uint32_t tag, bint little_endian) noexcept nogil:
    """Offset of the first 4 bytes encoding `tag` in data[start:end], or -1."""
    cdef unsigned char pattern[4]
    cdef const unsigned char* found
    cdef Py_ssize_t position = start
    if little_endian:
        pattern[0] = (tag >> 16) & 0xFF
        pattern[1] = (tag >> 24) & 0xFF
        pattern[2] = tag & 0xFF
        pattern[3] = (tag >> 8) & 0xFF
    else:
        pattern[0] = (tag >> 24) & 0xFF
        pattern[1] = (tag >> 16) & 0xFF
        pattern[2] = (tag >> 8) & 0xFF
        pattern[3] = tag & 0xFF
    while end - position >= 4:
        found = <const unsigned char*>memchr(data + position, pattern[0], end - position - 3)
        if found == NULL:
            return -1
        position = found - data
        if found[1] == pattern[1] and found[2] == pattern[2] and found[3] == pattern[3]:
            return position
        position += 1
    return -1

# ---------------------------------------------------------------------------
# The walk over undefined-length structures (PS3.5 §7.5)
# ---------------------------------------------------------------------------

cdef int walk_undefined_length(ScanContext* ctx, Py_ssize_t position, bint start_in_item,
                               bint implicit_vr, int enclosing_sequences,
                               Py_ssize_t* delimiter_offset) noexcept nogil:
    """Follow the items of an undefined-length value up to its delimiter.

    Parameters
    ----------
    position
        The first byte of the value (start_in_item False: a sequence of
        items, PS3.5 §7.5.2) or of an undefined-length item's dataset
        (start_in_item True, PS3.5 §7.5.1).
    implicit_vr
        The encoding the items' datasets assume.
    enclosing_sequences
        How many sequences enclose `position`'s container (the nesting level
        of the dataset holding the element, or of the sequence holding the
        item).
    delimiter_offset
        Out: the offset of the closing Sequence (or Item) Delimitation Item.

    Items of defined length are skipped by their length; items of undefined
    length are walked element by element; an element of undefined length in
    them opens a new sequence frame on an explicit stack (no recursion).
    """
    cdef WalkFrame* stack = ctx.stack
    cdef WalkFrame* frame
    cdef int depth = 0                    # frames on the stack
    cdef int sequence_level = enclosing_sequences
    cdef const unsigned char* p
    cdef uint32_t tag, length
    cdef ElementHeader header
    cdef Py_ssize_t end = ctx.end

    if stack == NULL:
        stack = <WalkFrame*>malloc(WALK_STACK_SIZE * sizeof(WalkFrame))
        if stack == NULL:
            return set_error(ctx, WALK_NO_MEMORY, REASON_NO_MEMORY, position, 0, False)
        ctx.stack = stack

    if start_in_item:
        stack[0].kind = FRAME_ITEM
        stack[0].implicit_vr = item_is_implicit(ctx, position, implicit_vr)
        sequence_level += 1               # the item's own sequence
    else:
        sequence_level += 1
        if sequence_level > C_MAX_NESTING_DEPTH:
            return set_error(ctx, WALK_NESTING, REASON_NESTING, position, 0, False)
        stack[0].kind = FRAME_SEQUENCE
        stack[0].implicit_vr = implicit_vr
    depth = 1

    while True:
        frame = &stack[depth - 1]
        if end - position < 8:
            return set_error(
                ctx, WALK_OUT_OF_DATA,
                REASON_NO_SEQUENCE_DELIMITER if frame.kind == FRAME_SEQUENCE
                else REASON_NO_ITEM_DELIMITER,
                position, 0, False)
        p = ctx.data + position
        tag = read_tag(p, ctx.little_endian)

        if frame.kind == FRAME_SEQUENCE:
            # Item headers are always tag + 4-byte length (PS3.5 §7.5.1)
            length = read_uint32(p + 4, ctx.little_endian)
            if tag == ITEM_TAG:
                if length == UNDEFINED_LENGTH:
                    stack[depth].kind = FRAME_ITEM
                    stack[depth].implicit_vr = item_is_implicit(
                        ctx, position + 8, frame.implicit_vr)
                    depth += 1
                    position += 8
                else:
                    if length > end - position - 8:
                        return set_error(ctx, WALK_OUT_OF_DATA, REASON_ITEM_TRUNCATED,
                                         position, tag, True)
                    position += 8 + length
            elif tag == SEQUENCE_DELIMITER_TAG:
                depth -= 1
                sequence_level -= 1
                if depth == 0:
                    delimiter_offset[0] = position
                    return WALK_OK
                position += 8
            else:
                return set_error(ctx, WALK_BAD_STRUCTURE, REASON_EXPECTED_ITEM,
                                 position, tag, True)
            continue

        # FRAME_ITEM: the elements of an undefined-length item
        if tag == ITEM_DELIMITER_TAG:
            depth -= 1
            if depth == 0:
                delimiter_offset[0] = position
                return WALK_OK
            position += 8
            continue
        if tag == SEQUENCE_DELIMITER_TAG:
            # The Item Delimitation Item is missing: the sequence's delimiter
            # closes the item and the sequence.
            if not ctx.lenient:
                return set_error(ctx, WALK_BAD_STRUCTURE,
                                 REASON_SEQUENCE_DELIMITER_IN_ITEM, position, tag, True)
            depth -= 1
            if depth == 0:
                # started in the item: the delimiter belongs to our caller
                delimiter_offset[0] = position
                return WALK_IMPLIED_END
            depth -= 1
            sequence_level -= 1
            if depth == 0:
                delimiter_offset[0] = position
                return WALK_OK
            position += 8
            continue
        if tag == ITEM_TAG:
            return set_error(ctx, WALK_BAD_STRUCTURE, REASON_ITEM_AT_DATASET_LEVEL,
                             position, tag, True)
        if not read_element_header(ctx, position, frame.implicit_vr, &header):
            return set_error(ctx, WALK_OUT_OF_DATA, REASON_HEADER_TRUNCATED,
                             position, tag, True)
        if header.length == UNDEFINED_LENGTH:
            sequence_level += 1
            if sequence_level > C_MAX_NESTING_DEPTH:
                return set_error(ctx, WALK_NESTING, REASON_NESTING, position, tag, True)
            stack[depth].kind = FRAME_SEQUENCE
            stack[depth].implicit_vr = frame.implicit_vr
            depth += 1
            position += header.header_length
        else:
            if header.length > end - position - header.header_length:
                return set_error(ctx, WALK_OUT_OF_DATA, REASON_VALUE_TRUNCATED,
                                 position, tag, True)
            position += header.header_length + header.length

# ---------------------------------------------------------------------------
# Scanning one dataset level
# ---------------------------------------------------------------------------

cdef bint recover_undefined_span(ScanContext* ctx, int status, Py_ssize_t value_offset,
                                 uint32_t delimiter_tag, int64_t* length,
                                 Py_ssize_t* position, uint16_t* flags) noexcept nogil:
    """Lenient reading of an undefined-length value whose item structure
    failed (pydicom's way): a value that is not item-structured ends at the
    first `delimiter_tag` found by a byte search, and one that runs out of
    data ends at the end. Sets the span and flags and returns True, or
    returns False when the failure stands (strict mode, other errors)."""
    cdef Py_ssize_t found
    cdef Py_ssize_t end = ctx.end
    if not ctx.lenient:
        return False
    if status == WALK_BAD_STRUCTURE:
        clear_error(ctx)
        flags[0] |= C_FLAG_DELIMITER_SEARCHED
        found = search_delimiter(ctx.data, value_offset, end, delimiter_tag, ctx.little_endian)
        if found >= 0:
            length[0] = found - value_offset
            position[0] = found + 8 if end - found >= 8 else end
            return True
    elif status != WALK_OUT_OF_DATA:
        return False
    clear_error(ctx)
    flags[0] |= C_FLAG_NO_DELIMITER
    length[0] = end - value_offset
    position[0] = end
    return True


cdef int scan_elements(ScanContext* ctx, Py_ssize_t start, bint implicit_vr,
                       bint stop_before_pixels, long only_group, int depth,
                       Py_ssize_t* stop_offset) noexcept nogil:
    """Record the elements of one dataset level (PS3.5 §7.1) in ctx.records,
    without much unused room after them.

    Returns WALK_OK, or the status of the error recorded in ctx.
    """
    cdef int status = record_elements(ctx, start, implicit_vr, stop_before_pixels,
                                      only_group, depth, stop_offset)
    if status == WALK_OK and not trim_records(ctx):
        return set_error(ctx, WALK_NO_MEMORY, REASON_NO_MEMORY, start, 0, False)
    return status


cdef int record_elements(ScanContext* ctx, Py_ssize_t start, bint implicit_vr,
                         bint stop_before_pixels, long only_group, int depth,
                         Py_ssize_t* stop_offset) noexcept nogil:
    """scan_elements' walk: the records, in ctx.records as doubling left it."""
    cdef Py_ssize_t position = start
    cdef Py_ssize_t end = ctx.end
    cdef Py_ssize_t header_offset, value_offset, delimiter, found
    cdef const unsigned char* p
    cdef uint32_t tag
    cdef ElementHeader header
    cdef ElementRecord* record
    cdef int status
    cdef int64_t length
    cdef uint16_t flags

    while position < end:
        if end - position < 8:
            # pydicom: fewer than 8 bytes left is the end of the data
            if ctx.lenient:
                break
            if end - position >= 4:
                return set_error(ctx, WALK_OUT_OF_DATA, REASON_HEADER_TRUNCATED, position,
                                 read_tag(ctx.data + position, ctx.little_endian), True)
            return set_error(ctx, WALK_OUT_OF_DATA, REASON_HEADER_TRUNCATED,
                             position, 0, False)
        header_offset = position
        p = ctx.data + position
        tag = read_tag(p, ctx.little_endian)

        if tag == ITEM_DELIMITER_TAG:
            # the end of an undefined-length item's dataset (PS3.5 §7.5.2)
            stop_offset[0] = position + 8
            return WALK_OK
        if tag == ITEM_TAG:
            return set_error(ctx, WALK_BAD_STRUCTURE, REASON_ITEM_AT_DATASET_LEVEL,
                             position, tag, True)
        if stop_before_pixels and (tag == PIXEL_DATA_TAG or tag == FLOAT_PIXEL_DATA_TAG
                                   or tag == DOUBLE_FLOAT_PIXEL_DATA_TAG):
            stop_offset[0] = position
            return WALK_OK
        if only_group >= 0 and <long>(tag >> 16) != only_group:
            stop_offset[0] = position
            return WALK_OK

        if not read_element_header(ctx, position, implicit_vr, &header):
            if ctx.lenient:
                break
            return set_error(ctx, WALK_OUT_OF_DATA, REASON_HEADER_TRUNCATED,
                             position, tag, True)
        value_offset = position + header.header_length
        flags = header.flags

        if header.length == UNDEFINED_LENGTH:
            # PS3.5 §7.1.3 / §7.5: follow the items up to the delimiter
            flags |= C_FLAG_UNDEFINED_LENGTH
            status = walk_undefined_length(ctx, value_offset, False, implicit_vr,
                                           depth, &delimiter)
            if status == WALK_OK:
                length = delimiter - value_offset
                position = delimiter + 8
            elif recover_undefined_span(ctx, status, value_offset, SEQUENCE_DELIMITER_TAG,
                                        &length, &position, &flags):
                pass
            else:
                if not ctx.error_has_tag:
                    # failed before reading an inner tag: blame this element
                    ctx.error_offset = header_offset
                    ctx.error_tag = tag
                    ctx.error_has_tag = True
                return status
        elif header.length > end - value_offset:
            if not ctx.lenient:
                return set_error(ctx, WALK_OUT_OF_DATA, REASON_VALUE_TRUNCATED,
                                 position, tag, True)
            # pydicom reads a short value and then meets the end of the data
            flags |= C_FLAG_TRUNCATED
            length = end - value_offset
            position = end
        else:
            length = header.length
            position = value_offset + header.length

        record = <ElementRecord*>append_record(ctx)
        if record == NULL:
            return set_error(ctx, WALK_NO_MEMORY, REASON_NO_MEMORY, header_offset, tag, True)
        record.tag = header.tag
        record.vr[0] = <char>header.vr0
        record.vr[1] = <char>header.vr1
        record.flags = flags
        record.header_offset = header_offset
        record.value_offset = value_offset
        record.length = length

    stop_offset[0] = position if position < end else end
    return WALK_OK


cdef int scan_item_headers(ScanContext* ctx, Py_ssize_t start, bint implicit_vr,
                           int depth, Py_ssize_t* stop_offset) noexcept nogil:
    """Record the items of a sequence value or of encapsulated pixel data
    (PS3.5 §7.5.1, §A.4) in ctx.records, without much unused room after them."""
    cdef int status = record_item_headers(ctx, start, implicit_vr, depth, stop_offset)
    if status == WALK_OK and not trim_records(ctx):
        return set_error(ctx, WALK_NO_MEMORY, REASON_NO_MEMORY, start, 0, False)
    return status


cdef int record_item_headers(ScanContext* ctx, Py_ssize_t start, bint implicit_vr,
                             int depth, Py_ssize_t* stop_offset) noexcept nogil:
    """scan_item_headers' walk: the records, in ctx.records as doubling left it."""
    cdef Py_ssize_t position = start
    cdef Py_ssize_t end = ctx.end
    cdef Py_ssize_t value_offset, delimiter, found
    cdef const unsigned char* p
    cdef uint32_t tag, item_length
    cdef ItemRecord* record
    cdef int status
    cdef int64_t length
    cdef uint16_t flags

    while position < end:
        if end - position < 8:
            if ctx.lenient:
                break
            return set_error(ctx, WALK_OUT_OF_DATA, REASON_ITEM_TRUNCATED,
                             position, 0, False)
        p = ctx.data + position
        tag = read_tag(p, ctx.little_endian)
        item_length = read_uint32(p + 4, ctx.little_endian)
        if tag == SEQUENCE_DELIMITER_TAG:
            stop_offset[0] = position + 8
            return WALK_OK
        if tag != ITEM_TAG:
            if ctx.lenient:
                stop_offset[0] = position
                return WALK_OK
            return set_error(ctx, WALK_BAD_STRUCTURE, REASON_EXPECTED_ITEM,
                             position, tag, True)
        value_offset = position + 8
        flags = 0
        if item_length == UNDEFINED_LENGTH:
            flags = C_FLAG_UNDEFINED_LENGTH
            status = walk_undefined_length(ctx, value_offset, True, implicit_vr,
                                           depth, &delimiter)
            if status == WALK_OK:
                length = delimiter - value_offset
                position = delimiter + 8
            elif status == WALK_IMPLIED_END:
                # lenient: the sequence delimiter closed the item
                length = delimiter - value_offset
                position = delimiter
            elif recover_undefined_span(ctx, status, value_offset, ITEM_DELIMITER_TAG,
                                        &length, &position, &flags):
                pass
            else:
                if not ctx.error_has_tag:
                    ctx.error_offset = position
                    ctx.error_tag = tag
                    ctx.error_has_tag = True
                return status
        elif item_length > end - value_offset:
            if not ctx.lenient:
                return set_error(ctx, WALK_OUT_OF_DATA, REASON_ITEM_TRUNCATED,
                                 position, tag, True)
            flags = C_FLAG_TRUNCATED
            length = end - value_offset
            position = end
        else:
            length = item_length
            position = value_offset + item_length

        record = <ItemRecord*>append_record(ctx)
        if record == NULL:
            return set_error(ctx, WALK_NO_MEMORY, REASON_NO_MEMORY, position, tag, True)
        record.flags = flags
        record.header_offset = value_offset - 8
        record.value_offset = value_offset
        record.length = length

    stop_offset[0] = position if position < end else end
    return WALK_OK

# ---------------------------------------------------------------------------
# Sorting (records end sorted by tag, duplicates keep the last occurrence)
# ---------------------------------------------------------------------------

cdef int compare_records(const void* a, const void* b) noexcept nogil:
    cdef const ElementRecord* x = <const ElementRecord*>a
    cdef const ElementRecord* y = <const ElementRecord*>b
    if x.tag != y.tag:
        return -1 if x.tag < y.tag else 1
    # header offsets grow in scan order: a unique key that makes qsort stable
    if x.header_offset != y.header_offset:
        return -1 if x.header_offset < y.header_offset else 1
    return 0


cdef void sort_records(ElementRecord* records, Py_ssize_t* count, bint* in_order,
                       Py_ssize_t* duplicates) noexcept nogil:
    """Sort by tag if needed (O(n) check first) and drop earlier duplicates."""
    cdef Py_ssize_t i, kept
    cdef Py_ssize_t n = count[0]
    cdef bint sorted_strictly = True
    in_order[0] = True
    duplicates[0] = 0
    for i in range(1, n):
        if records[i].tag <= records[i - 1].tag:
            sorted_strictly = False
            if records[i].tag < records[i - 1].tag:
                in_order[0] = False
                break
    if sorted_strictly:
        return
    if not in_order[0]:
        qsort(records, n, sizeof(ElementRecord), compare_records)
    # keep the last of each run of equal tags (a dict assignment's result)
    kept = 0
    for i in range(n):
        if i + 1 < n and records[i + 1].tag == records[i].tag:
            continue
        if kept != i:
            records[kept] = records[i]
        kept += 1
    duplicates[0] = n - kept
    count[0] = kept

