# POSIX file reading without the GIL, shared by the modules that read files
# (`include`d by _parser.pyx and _index.pyx, like _scan_core.pxi): one
# declaration of the system calls, one fstat that gives size, mtime and kind,
# and the read loops that retry on EINTR and stop at end of file.
#
# Needs: nothing cimported (the declarations below are complete).
# ---------------------------------------------------------------------------

cdef extern from "<fcntl.h>" nogil:
    int open(const char* path, int flags)
    int O_RDONLY
    int O_CLOEXEC
cdef extern from "<unistd.h>" nogil:
    ssize_t pread(int fd, void* buf, size_t count, long offset)
    ssize_t read(int fd, void* buf, size_t count)
    int close(int fd)
cdef extern from "<errno.h>" nogil:
    int errno
    int EINTR
cdef extern from "<string.h>" nogil:
    char* strerror(int errnum)
cdef extern from "<sys/stat.h>" nogil:
    """
    #include <sys/types.h>
    #include <sys/stat.h>
    static int fastdicom_fstat(int fd, long long* size, long long* mtime_ns, int* is_regular) {
        struct stat st;
        if (fstat(fd, &st) != 0) return -1;
        *size = (long long)st.st_size;
    #if defined(__APPLE__)
        *mtime_ns = (long long)st.st_mtimespec.tv_sec * 1000000000LL + st.st_mtimespec.tv_nsec;
    #else
        *mtime_ns = (long long)st.st_mtim.tv_sec * 1000000000LL + st.st_mtim.tv_nsec;
    #endif
        /* 1: a regular file, 2: a directory, 0: anything else */
        *is_regular = S_ISREG(st.st_mode) ? 1 : (S_ISDIR(st.st_mode) ? 2 : 0);
        return 0;
    }
    """
    int fastdicom_fstat(int fd, long long* size, long long* mtime_ns, int* is_regular)


cdef inline Py_ssize_t read_at(int fd, unsigned char* dest, Py_ssize_t start, Py_ssize_t count) noexcept nogil:
    """Read `count` bytes at file offset `start` (fewer at end of file); -1 on error."""
    cdef Py_ssize_t done = 0
    cdef ssize_t got
    while done < count:
        got = pread(fd, dest + done, count - done, start + done)
        if got < 0:
            if errno == EINTR:
                continue
            return -1
        if got == 0:
            break
        done += got
    return done


cdef inline Py_ssize_t read_next(int fd, unsigned char* dest, Py_ssize_t count) noexcept nogil:
    """Read `count` bytes from where `fd` stands (fewer at end of file); -1
    on error. Sequential, unlike read_at: it also reads a pipe or a device."""
    cdef Py_ssize_t done = 0
    cdef ssize_t got
    while done < count:
        got = read(fd, dest + done, count - done)
        if got < 0:
            if errno == EINTR:
                continue
            return -1
        if got == 0:
            break
        done += got
    return done
