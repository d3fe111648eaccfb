"""Fuzzing support for tests/test_fuzz.py.

* :func:`build_checked_parser` compiles a copy of ``src_pyx/_parser.pyx`` with
  Cython's safety checks on (boundscheck, wraparound, initializedcheck;
  ``-O1 -g -UNDEBUG``) into a directory of its own. The in-place build of the
  checkout and any installed fastdicom are left alone.
* :func:`make_input` turns a seed into one mutated file: a real file from
  pydicom's test data, truncated, with bytes flipped, lengths overwritten
  with hostile values, chunks deleted or duplicated, item and delimiter tags
  spliced in. The same seed always gives the same bytes.
* The worker (``python tests/fuzzing.py worker CONFIG``) imports fastdicom
  from the checkout with ``fastdicom._parser`` redirected to the checked
  build, reads each input with ``dcmread(..., force=True)``, touches every
  element (``str(ds)``, which descends into sequences) and runs the scanner
  directly over the whole buffer. It writes the seed it is working on to a
  progress file first, so that a crash or hang of the compiled code names
  the input that caused it.

Reproduce one input (with the in-place build, or ``--so`` a checked one)::

    PYTHONPATH=. python tests/fuzzing.py repro SEED [--so PATH/_parser....so]
"""

from __future__ import annotations

import json
import os
import random
import shutil
import struct
import subprocess
import sys
import tempfile
import time
import traceback
import warnings
import zlib
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent

# Real files with diverse structure (pydicom-data / pydicom's test files).
FUZZ_FILES = [
    "CT_small.dcm",            # explicit VR LE, plain
    "MR_small.dcm",            # explicit VR LE
    "rtplan.dcm",              # implicit VR, nested defined-length sequences
    "ExplVR_BigEnd.dcm",       # explicit VR big endian
    "emri_small_RLE.dcm",      # encapsulated (RLE) multi-frame
    "JPEG2000.dcm",            # encapsulated, offset table
    "image_dfl.dcm",           # deflated
    "SC_rgb_small_odd.dcm",    # odd sizes
    "nested_priv_SQ.dcm",      # private nested sequences
    "UN_sequence.dcm",         # undefined-length UN holding a sequence
    "reportsi.dcm",            # SR: deep, undefined-length sequences
    "chrSQEncoding.dcm",       # character sets in sequences
    "MR_small_implicit.dcm",   # implicit VR LE
    "waveform_ecg.dcm",        # waveform sequences
    "no_meta.dcm",             # no File Meta, no preamble
    "meta_missing_tsyntax.dcm",  # File Meta without transfer syntax
    "DICOMDIR",                # directory records (FileSet)
    "JPEG-LL.dcm",             # JPEG lossless (SOF3)
    "MR_small_jpeg_ls_lossless.dcm",  # JPEG-LS (SOF55)
    "SC_rgb_rle_2frame.dcm",   # RLE, 3 samples, 2 frames
    "OBXXXX1A.dcm",            # overlay plane
]

# Exceptions a corrupt file may raise, and why each is acceptable:
# * InvalidDicomError (DicomParseError, DicomTruncatedError,
#   DicomNestingError): the structure is broken - the documented error.
# * ValueError (includes UnicodeDecodeError): a value that cannot be
#   converted, as pydicom raises it (float('x') for a DS, int('x') for an IS,
#   an invalid date under RAISE, ...): element-level, raised when the element
#   is touched.
# * BytesLengthException: a binary value whose length is not a multiple of
#   its value size (pydicom's exception, same name).
# * NotImplementedError: pydicom's error for a VR it has no converter for
#   ("Unknown Value Representation").
# * RuntimeError "Unable to decode as exceptions were raised by all
#   available plugins" chained to a CodecError: no codec decodes the corrupt
#   codestream; pydicom 3.0.2 raises this RuntimeError on the same input.
# * AttributeError "Failed to resolve ambiguous VR for tag (7FE0,0010): ...
#   no attribute 'BitsAllocated'" (this message only): Pixel Data with the
#   ambiguous VR 'OB or OW' and no Bits Allocated; pydicom 3.0.2 raises the
#   same error on the same input (filewriter.correct_ambiguous_vr_element).
# Anything else - IndexError (from Cython's bounds checks or Python), TypeError,
# AttributeError, KeyError, RecursionError, MemoryError, SystemError,
# struct.error, OverflowError - is a bug.
AMBIGUOUS_VR_ERROR = "Failed to resolve ambiguous VR for tag"

HOSTILE_LENGTHS = (0xFFFFFFFF, 0xFFFFFFFE, 0x7FFFFFFF, 0x80000000, 0xFFFFFFF0, 0xFFFFFFF8, 0)

ITEM = b"\xfe\xff\x00\xe0"
ITEM_DELIM = b"\xfe\xff\x0d\xe0"
SEQ_DELIM = b"\xfe\xff\xdd\xe0"
SPLICES = [
    ITEM + b"\xff\xff\xff\xff",                     # undefined-length item
    ITEM_DELIM + b"\0\0\0\0",                       # item delimiter
    SEQ_DELIM + b"\0\0\0\0",                        # sequence delimiter
    ITEM + b"\xf0\xff\xff\xff",                     # huge item
    ITEM + b"\x08\0\0\0" + SEQ_DELIM + b"\0\0\0\0",  # item holding a delimiter
    b"\x09\x00\x01\x10SQ\0\0\xff\xff\xff\xff" + ITEM + b"\xff\xff\xff\xff",  # explicit SQ
    b"\x09\x00\x01\x10\xff\xff\xff\xff" + ITEM + b"\xff\xff\xff\xff",  # implicit undefined
    b"\xe0\x7f\x10\x00OB\0\0\xff\xff\xff\xff" + ITEM + b"\0\0\0\0",  # encapsulated pixels
    b"\x08\x00\x05\x00CS\x0a\x00ISO_IR 192",          # Specific Character Set
    b"\x28\x00\x08\x00IS\x0a\x001000000000",          # NumberOfFrames = 1e9
    b"DICM",
]
VRS = [b"SQ", b"UN", b"OB", b"OW", b"UT", b"US", b"DS", b"AT", b"PN", b"XX", b"\0\0", b"ox"]
LONG_VR_HEADERS = [vr + b"\0\0" for vr in (b"OB", b"OW", b"SQ", b"UN", b"UT", b"OF", b"UC")]

# --------------------------------------------------------------------------
# Inputs
# --------------------------------------------------------------------------


class Original:
    """One real file, with the deflated dataset inflated for mutation."""

    def __init__(self, name: str, path: str) -> None:
        self.name = name
        self.data = Path(path).read_bytes()
        self.deflated_at = -1
        self.inflated = b""
        if name == "image_dfl.dcm":
            self.deflated_at = _meta_end(self.data)
            self.inflated = zlib.decompress(self.data[self.deflated_at :], -zlib.MAX_WBITS)


def _meta_end(data: bytes) -> int:
    """End of the File Meta group (explicit VR LE, group 0002) of `data`."""
    position = 132
    while data[position : position + 2] == b"\x02\x00":
        vr = data[position + 4 : position + 6]
        if vr in (b"OB", b"OW", b"UN", b"SQ", b"UT", b"UC"):
            position += 12 + struct.unpack("<L", data[position + 8 : position + 12])[0]
        else:
            position += 8 + struct.unpack("<H", data[position + 6 : position + 8])[0]
    return position


def load_originals(paths: dict[str, str]) -> list[Original]:
    return [Original(name, paths[name]) for name in FUZZ_FILES if name in paths]


def _length_sites(data: bytearray) -> list[tuple[int, int]]:
    """(offset, size) of places that hold lengths in a real encoding: after a
    long-header VR, after an item tag, after a short-header VR."""
    sites = []
    for header in LONG_VR_HEADERS:
        start = data.find(header)
        while start >= 0 and len(sites) < 400:
            sites.append((start + 4, 4))
            start = data.find(header, start + 1)
    for tag in (ITEM, ITEM_DELIM, SEQ_DELIM):
        start = data.find(tag)
        while start >= 0 and len(sites) < 800:
            sites.append((start + 4, 4))
            start = data.find(tag, start + 1)
    for vr in (b"US", b"UL", b"CS", b"UI", b"DS", b"IS", b"LO", b"PN", b"AT"):
        start = data.find(vr)
        while start >= 0 and len(sites) < 1200:
            sites.append((start + 2, 2))
            start = data.find(vr, start + 1)
    return sites


def _mutate(rng: random.Random, data: bytearray, ops: list[str]) -> bytearray:
    size = len(data)
    kind = rng.choice(
        ("truncate", "flip", "flip", "length", "length", "length", "delete",
         "duplicate", "splice", "splice", "vr")
    )
    ops.append(kind)
    if not size:
        return bytearray(rng.choice(SPLICES)) if kind == "splice" else data
    if kind == "truncate":
        return data[: rng.randrange(size + 1)]
    if kind == "flip":
        for _ in range(rng.randrange(1, 9)):
            at = rng.randrange(size)
            data[at] = rng.choice((0, 0xFF, 0xFE, 0xE0, 0xDD, 0x0D, data[at] ^ (1 << rng.randrange(8)),
                                   rng.randrange(256)))
        return data
    if kind == "length":
        sites = _length_sites(data) if rng.random() < 0.8 else []
        if sites:
            at, width = rng.choice(sites)
        else:
            at, width = rng.randrange(size), rng.choice((2, 4))
        if width == 4:
            value = rng.choice(HOSTILE_LENGTHS + (size + 1, size - at, size - at + 1,
                                                  rng.randrange(1 << 32), rng.randrange(1, 64) * 2 + 1))
        else:
            value = rng.choice((0xFFFF, 0xFFFE, 0, 1, size - at, rng.randrange(1 << 16)))
        value &= (1 << (8 * width)) - 1
        order = "<" if rng.random() < 0.8 else ">"
        data[at : at + width] = struct.pack(order + ("L" if width == 4 else "H"), value)
        return data
    if kind == "delete":
        at = rng.randrange(size)
        del data[at : at + rng.choice((1, 2, 4, 8, rng.randrange(1, 64), rng.randrange(1, 4096)))]
        return data
    if kind == "duplicate":
        at = rng.randrange(size)
        chunk = data[at : at + rng.choice((4, 8, 12, rng.randrange(1, 256), rng.randrange(1, 8192)))]
        to = rng.randrange(size + 1)
        data[to:to] = chunk * rng.choice((1, 1, 2, 50))
        return data
    if kind == "splice":
        piece = rng.choice(SPLICES)
        if rng.random() < 0.3:
            piece = piece[:4] + struct.pack("<L", rng.choice(HOSTILE_LENGTHS)) + piece[8:]
        # prefer 2-aligned positions (tags start at even offsets in real files)
        to = rng.randrange(size + 1) & ~1
        data[to:to] = piece * rng.choice((1, 1, 1, 3, 100))
        return data
    # "vr": overwrite one VR with another
    sites = [s for s in _length_sites(data) if s[1] == 4]
    at = rng.choice(sites)[0] - 4 if sites and rng.random() < 0.7 else rng.randrange(size)
    data[at : at + 2] = rng.choice(VRS)
    return data


def make_input(seed: int, originals: list[Original]) -> tuple[bytes, str]:
    """The mutated bytes for `seed`, and a description (file and operations)."""
    rng = random.Random(seed)
    original = originals[seed % len(originals)]
    ops: list[str] = []
    count = rng.choice((1, 1, 1, 2, 2, 3, 5))
    if original.deflated_at >= 0 and rng.random() < 0.7:
        # mutate the inflated dataset, then deflate it again
        body = bytearray(original.inflated)
        for _ in range(count):
            body = _mutate(rng, body, ops)
        compressor = zlib.compressobj(6, zlib.DEFLATED, -zlib.MAX_WBITS)
        data = original.data[: original.deflated_at] + compressor.compress(bytes(body)) + compressor.flush()
        ops.insert(0, "inflated")
    else:
        mutated = bytearray(original.data)
        for _ in range(count):
            mutated = _mutate(rng, mutated, ops)
        data = bytes(mutated)
    return data, f"{original.name}: {'+'.join(ops)}"


# --------------------------------------------------------------------------
# Running one input
# --------------------------------------------------------------------------


def _walk_tree(parser, data, table, little, depth, lenient) -> None:
    """Scan every sequence below `table` as a reader would, depth-bounded."""
    for index in range(len(table)):
        tag, vr, flags, _, value_offset, length = table.record(index)
        if not (vr == "SQ" or vr == "UN" or flags & parser.FLAG_UNDEFINED_LENGTH):
            continue
        try:
            items = parser.scan_items(data, value_offset, value_offset + length, table.implicit_vr,
                                      little, lenient=lenient, depth=depth)
        except parser.DicomParseError:
            continue
        for item_index in range(len(items)):
            _, _, start, item_length = items.record(item_index)
            try:
                item_table = parser.scan_dataset(data, start, start + item_length, table.implicit_vr,
                                                 little, is_item=True, lenient=lenient, depth=depth + 1)
            except parser.DicomParseError:
                continue
            _walk_tree(parser, data, item_table, little, depth + 1, lenient)


def _check_offset(exc: BaseException, size: int) -> None:
    offset = getattr(exc, "offset", None)
    if offset is not None and not 0 <= offset <= size:
        raise AssertionError(f"error offset {offset} outside 0..{size}: {exc}")


def run_scanner(parser, data: bytes) -> None:
    """The scanner directly on the whole buffer: every encoding, both modes."""
    starts = [0]
    if data[128:132] == b"DICM":
        starts.append(132)
    view = memoryview(data)
    for start in starts:
        for implicit in (True, False):
            for little in (True, False):
                for lenient in (True, False):
                    try:
                        table = parser.scan_dataset(view, start, len(data), implicit, little,
                                                    lenient=lenient)
                        for i in range(len(table)):
                            table.record(i)
                        table.as_array()
                        _walk_tree(parser, view, table, table.little_endian, 0, lenient)
                    except parser.DicomParseError as exc:
                        _check_offset(exc, len(data))
                    try:
                        items = parser.scan_items(view, start, len(data), implicit, little, lenient=lenient)
                        for i in range(len(items)):
                            items.record(i)
                    except parser.DicomParseError as exc:
                        _check_offset(exc, len(data))
    parser.find_sequence_delimiter(view, 0, len(data), True)
    parser.find_sequence_delimiter(view, 0, len(data), False)


def run_reader(fastdicom, data: bytes, mode: int) -> None:
    """dcmread the bytes and touch every element (str(ds) descends into
    sequences); a few modes use the other reading options."""
    kwargs: dict = {"force": True}
    source: Any = data
    if mode == 1:
        kwargs["stop_before_pixels"] = True
    elif mode == 2:
        kwargs["defer_size"] = 64
    elif mode == 3:
        # A path read header-only: the compiled file read takes a first
        # chunk (made small here, so that most inputs need more), reads four
        # times more while the header runs past it, and keeps the header only
        kwargs["stop_before_pixels"] = True
        source = _reader_file(data)
    chunk = fastdicom.filereader._HEADER_CHUNK
    if mode == 3:
        fastdicom.filereader._HEADER_CHUNK = 64 + len(data) % 512
    try:
        ds = fastdicom.dcmread(source, **kwargs)
    finally:
        fastdicom.filereader._HEADER_CHUNK = chunk
    _touch_keywords(fastdicom, ds, 0)
    str(ds)
    for elem in ds.iterall():
        elem.value
    if 0x7FE00010 in ds and _syntax(ds) in _OWN_PIXEL_SYNTAXES:
        ds.pixel_array  # native and RLE data: fastdicom's own compiled kernels
    if mode == 0:
        # what was read can be written again, or is refused with a clear error
        from fastdicom.filewriter import encode_file

        fastdicom.dcmread(b"".join(bytes(part) for part in encode_file(ds)), force=True)


_READER_DIR: list[str] = []


def _reader_file(data: bytes) -> str:
    """`data` written to this process's reader file (a path for dcmread)."""
    if not _READER_DIR:
        _READER_DIR.append(tempfile.mkdtemp(prefix="fastdicom-fuzz-"))
    path = os.path.join(_READER_DIR[0], "read.dcm")
    with open(path, "wb") as f:
        f.write(data)
    return path


def _touch_keywords(fastdicom, ds, depth: int) -> None:
    """Read every keyword's value before its element is made, and the same
    in the first items of each sequence (the compiled keyword path: items,
    nested sequences and their inherited context made in C)."""
    for keyword in ds.dir():
        value = getattr(ds, keyword, None)
        if depth < 3 and isinstance(value, fastdicom.Sequence):
            for index in range(min(len(value), 3)):
                _touch_keywords(fastdicom, value[index], depth + 1)


# Native transfer syntaxes and RLE Lossless, decoded by fastdicom's kernels.
_OWN_PIXEL_SYNTAXES = {
    "1.2.840.10008.1.2", "1.2.840.10008.1.2.1", "1.2.840.10008.1.2.2",
    "1.2.840.10008.1.2.1.99", "1.2.840.10008.1.2.5", None,
}


def _syntax(ds) -> str | None:
    meta = ds.__dict__.get("file_meta")
    uid = meta.get("TransferSyntaxUID") if meta is not None else None
    return str(uid) if uid else None


def classify(exc: BaseException, accepted: tuple) -> str | None:
    """The name of the accepted class `exc` falls under, or None (a bug)."""
    # pydicom words it the same, and (like pydicom) wraps it with the tag of
    # the sequence it was met in.
    if type(exc) is AttributeError and AMBIGUOUS_VR_ERROR in str(exc):
        return "AttributeError(ambiguous VR)"
    # pydicom's words for a pixel module that lacks a required element
    if type(exc) is AttributeError and str(exc).startswith("Missing required element"):
        return "AttributeError(missing pixel element)"
    if type(exc) is AttributeError and "has no (0002,0010) 'Transfer Syntax UID'" in str(exc):
        return "AttributeError(no transfer syntax)"
    # pydicom's words for pixel_array on a dataset without pixel data
    if type(exc) is AttributeError and "no pixel data to decode" in str(exc):
        return "AttributeError(no pixel data)"
    # pydicom's decoders wrap what every plugin raised in a RuntimeError: the
    # plugin's error (chained) is what is judged
    if (
        type(exc) is RuntimeError
        and str(exc).startswith("Unable to decode as exceptions were raised by all available plugins")
        and exc.__cause__ is not None
    ):
        from fastdicom.pixels.decoders import CodecError

        # a codec's own error on a corrupt codestream (CodecError, chaining the
        # codec's): pydicom 3.0.2 raises this RuntimeError on the same input
        # (triage of the campaign's unexpected records, seeds 1086165, 1089277)
        if isinstance(exc.__cause__, CodecError):
            return "RuntimeError(codec)"
        return classify(exc.__cause__, accepted)
    for cls in accepted:
        if isinstance(exc, cls):
            return cls.__name__
    return None


# --------------------------------------------------------------------------
# The other entry points (issue 12): each input also goes through one or two
# of them, chosen by its seed, so that the cost of a run stays that of the
# reader while every entry point is met every len(ENTRY_POINTS) inputs.
# --------------------------------------------------------------------------


def _entry_pixels(fastdicom, ds, data, workdir):
    """Every syntax through the decoders (third-party codecs included), then
    overlays and waveforms."""
    ds.pixel_array
    for group in range(0x6000, 0x6020, 2):
        if (group << 16 | 0x3000) in ds:
            ds.overlay_array(group)
    if "WaveformSequence" in ds:
        for index in range(min(len(ds.WaveformSequence), 4)):
            ds.waveform_array(index)


def _entry_json(fastdicom, ds, data, workdir):
    text = ds.to_json()
    fastdicom.Dataset.from_json(text)


def _entry_write(fastdicom, ds, data, workdir):
    from io import BytesIO

    out = BytesIO()
    ds.save_as(out, enforce_file_format=False)
    fastdicom.dcmread(out.getvalue(), force=True)


def _input_file(data, workdir, name="input.dcm"):
    path = os.path.join(workdir, name)
    with open(path, "wb") as f:
        f.write(data)
    return path


def _entry_fileset(fastdicom, ds, data, workdir):
    """A DICOMDIR read from its path (FileSet needs the file's place)."""
    from fastdicom.fileset import FileSet

    if "DirectoryRecordSequence" in ds:
        fs = FileSet(fastdicom.dcmread(_input_file(data, workdir, "DICOMDIR"), force=True))
        for instance in fs:
            instance.path
        str(fs)


def _entry_series(fastdicom, ds, data, workdir):
    """series.scan, a directory-scale job, never raises for a bad input
    (read from its path or given as a dataset): it records it and goes on."""
    from fastdicom import series

    for source in (_input_file(data, workdir), ds):
        result = series.scan([source])
        for s in result.series:
            s.diagnostics
            str(s)


def _entry_diffusion(fastdicom, ds, data, workdir):
    from fastdicom import csa, diffusion

    for which in ("image", "series"):
        csa.read_csa(ds, which)
    diffusion.frame_diffusion(ds)


def _entry_export(fastdicom, ds, data, workdir):
    from fastdicom import export

    if 0x7FE00010 in ds:
        export.png_bytes(export.render(ds))


def _entry_anonymize(fastdicom, ds, data, workdir):
    from io import BytesIO

    from fastdicom import anonymize

    anonymize.anonymize(ds, key=b"fuzz")
    out = BytesIO()
    ds.save_as(out, enforce_file_format=False)


def _entry_index(fastdicom, ds, data, workdir):
    """The header index over the raw bytes as a file (its compiled extractor
    reads the file itself)."""
    from fastdicom import index

    table = index.index([_input_file(data, workdir)], threads=1, progress=False)
    table.to_pylist()


ENTRY_POINTS = {
    "pixels": _entry_pixels,
    "json": _entry_json,
    "write": _entry_write,
    "fileset": _entry_fileset,
    "series": _entry_series,
    "diffusion": _entry_diffusion,
    "export": _entry_export,
    "anonymize": _entry_anonymize,
    "index": _entry_index,
}


def available_entry_points() -> list[str]:
    """The entry points whose modules exist in this checkout (they land as
    the issues that bring them are done)."""
    import importlib.util

    modules = {"fileset": "fastdicom.fileset", "series": "fastdicom.series",
               "diffusion": "fastdicom.diffusion", "export": "fastdicom.export",
               "anonymize": "fastdicom.anonymize", "index": "fastdicom.index"}
    names = []
    for name in ENTRY_POINTS:
        module = modules.get(name)
        if module is None or importlib.util.find_spec(module) is not None:
            if name == "index" and importlib.util.find_spec("pyarrow") is None:
                continue
            names.append(name)
    return names


def entry_points_for(seed: int, names: list[str]) -> list[str]:
    """The entry points seed `seed` goes through (two of them)."""
    if not names:
        return []
    first = names[seed % len(names)]
    second = names[(seed // len(names) + 1 + seed) % len(names)]
    return [first] if second == first else [first, second]


def run_entry_points(fastdicom, data: bytes, seed: int, names: list[str], workdir: str):
    """Read `data` (force) and run the chosen entry points on it.

    Returns (outcome, traceback or None): any ``Exception`` is an accepted
    outcome, named ``entry:<type>``; a ``MemoryError`` (the worker runs under
    RLIMIT_AS) is a memory blow-up and anything outside ``Exception`` is a bug.
    """
    chosen = entry_points_for(seed, names)
    outcome = "ok"
    for name in chosen:
        try:
            ds = fastdicom.dcmread(data, force=True)
        except Exception as exc:  # noqa: BLE001 - the reader's errors are judged by run_one
            return f"read:{type(exc).__name__}", None
        try:
            ENTRY_POINTS[name](fastdicom, ds, data, workdir)
        except MemoryError:
            return f"memory:{name}", traceback.format_exc()
        except Exception as exc:  # noqa: BLE001 - an error is what bad input may give
            accepted = (fastdicom.errors.InvalidDicomError, ValueError,
                        fastdicom.errors.BytesLengthException, NotImplementedError)
            outcome = f"{name}:{classify(exc, accepted) or type(exc).__name__}"
        except BaseException as exc:
            if isinstance(exc, KeyboardInterrupt):
                raise
            return f"{name}:{type(exc).__name__}", traceback.format_exc()
    return outcome, None


_DEFLATED = b"1.2.840.10008.1.2.1.99"


def run_one(fastdicom, parser, accepted, data: bytes, seed: int) -> tuple[str, str | None]:
    """Run one input. Returns (outcome, traceback text if it is a bug)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # truncation and value warnings are expected
        try:
            run_scanner(parser, data)
        except BaseException as exc:  # noqa: BLE001 - everything a scan raises is a bug
            if isinstance(exc, KeyboardInterrupt):
                raise
            return f"scanner:{type(exc).__name__}", traceback.format_exc()
        try:
            run_reader(fastdicom, data, seed % 7 if seed % 7 < 4 else 0)
        except BaseException as exc:  # noqa: BLE001
            if isinstance(exc, KeyboardInterrupt):
                raise
            name = classify(exc, accepted)
            if name is None:
                return f"reader:{type(exc).__name__}", traceback.format_exc()
            if isinstance(exc, fastdicom.errors.DicomParseError) and _DEFLATED not in data[:2048]:
                # (a deflated dataset's offsets are in the inflated bytes)
                _check_offset(exc, len(data))
                name = type(exc).__name__
            return name, None
    return "ok", None


# --------------------------------------------------------------------------
# The worker process
# --------------------------------------------------------------------------


def _redirect_parser(so_path: str) -> None:
    """Make ``import fastdicom._parser`` load `so_path` (the checked build)."""
    import importlib.abc
    import importlib.util

    folder = os.path.dirname(so_path)
    checked = {}
    for module in CHECKED_MODULES:
        found = [p for p in os.listdir(folder) if p.startswith(module + ".") and p.endswith((".so", ".pyd"))]
        if found:
            checked[f"fastdicom.{module}"] = os.path.join(folder, found[0])

    class _CheckedParserFinder(importlib.abc.MetaPathFinder):
        def find_spec(self, name, path=None, target=None):
            if name in checked:
                return importlib.util.spec_from_file_location(name, checked[name])
            return None

    sys.meta_path.insert(0, _CheckedParserFinder())


def import_fastdicom(root: str, so_path: str | None):
    if so_path:
        _redirect_parser(so_path)
    sys.path.insert(0, root)
    import fastdicom
    import fastdicom.errors
    from fastdicom import _parser

    if so_path and os.path.realpath(_parser.__file__) != os.path.realpath(so_path):
        raise RuntimeError(f"fastdicom._parser came from {_parser.__file__}, not {so_path}")
    if not os.path.realpath(fastdicom.__file__).startswith(os.path.realpath(root)):
        raise RuntimeError(f"fastdicom came from {fastdicom.__file__}, not {root}")
    _parser.DicomParseError = fastdicom.errors.DicomParseError  # for _walk_tree
    accepted = (fastdicom.errors.InvalidDicomError, ValueError,
                fastdicom.errors.BytesLengthException, NotImplementedError)
    return fastdicom, _parser, accepted


# Address space for a worker beyond what it holds after its imports: an input
# that makes fastdicom ask for more is a memory blow-up (MemoryError).
MEMORY_LIMIT = 2 * 1024**3


def limit_memory(extra: int | None = MEMORY_LIMIT) -> None:
    """RLIMIT_AS = the address space in use now + `extra` (POSIX only)."""
    if extra is None:
        extra = MEMORY_LIMIT
    try:
        import resource
    except ImportError:  # Windows: no RLIMIT_AS
        return
    with open("/proc/self/statm") as f:
        in_use = int(f.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    resource.setrlimit(resource.RLIMIT_AS, (in_use + extra, resource.RLIM_INFINITY))


def warm_up(fastdicom, names: list[str], originals: list[Original], workdir: str) -> None:
    """Run every entry point once on a real file before RLIMIT_AS is set:
    what they reserve once (pyarrow's allocator and thread pool reserve over
    a GiB of address space on the first index) is not a blow-up."""
    if not originals or not names:
        return
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for name in names:
            try:
                ENTRY_POINTS[name](fastdicom, fastdicom.dcmread(originals[0].data, force=True),
                                   originals[0].data, workdir)
            except Exception:  # noqa: BLE001 - only the reservations matter here
                pass


def worker(config_path: str) -> int:
    config = json.loads(Path(config_path).read_text())
    fastdicom, parser, accepted = import_fastdicom(config["root"], config.get("so_path"))
    originals = load_originals(config["files"])
    blobs = sorted(Path(config["blobs"]).iterdir()) if config.get("blobs") else None
    selftest = dict(part.split(":") for part in os.environ.get("FASTDICOM_FUZZ_SELFTEST", "").split(",") if part)
    entry_names = available_entry_points() if config.get("entry_points", True) else []
    # the default test run sends every n-th input through the entry points
    # (their codecs are slower than the reader); the campaign sends all
    entry_every = max(1, int(config.get("entry_every", 1)))
    workdir = os.path.dirname(os.path.abspath(config["progress"]))
    warm_up(fastdicom, entry_names, originals, workdir)
    limit_memory(config.get("memory_limit"))
    progress = open(config["progress"], "w", buffering=1)
    for seed in range(config["first"], config["stop"]):
        progress.write(f"start {seed}\n")
        if selftest.get(str(seed)) == "abort":
            os.abort()
        if selftest.get(str(seed)) == "hang":
            time.sleep(3600)
        if blobs is not None:
            data, description = blobs[seed].read_bytes(), blobs[seed].name
        elif selftest:
            data, description = b"", "selftest"
        else:
            data, description = make_input(seed, originals)
        began = time.perf_counter()
        outcome, trace = run_one(fastdicom, parser, accepted, data, seed)
        entry = None
        if trace is None and entry_names and seed % entry_every == 0:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                entry, trace = run_entry_points(fastdicom, data, seed, entry_names, workdir)
            if trace is not None:
                outcome = entry
        record = {"seed": seed, "input": description, "outcome": outcome,
                  "seconds": time.perf_counter() - began}
        if entry is not None and trace is None:
            record["entry"] = entry
        if trace is not None:
            record["traceback"] = trace
        progress.write("done " + json.dumps(record) + "\n")
    progress.close()
    return 0


# --------------------------------------------------------------------------
# The checked build
# --------------------------------------------------------------------------

_BUILD_SCRIPT = r"""
import os, sys
from Cython.Build import cythonize
from setuptools import Distribution, Extension

dest = sys.argv[1]
args = ["/Od", "/Zi"] if os.name == "nt" else ["-O1", "-g", "-UNDEBUG"]
extension = [
    Extension(f"fastdicom.{name}", [os.path.join(dest, f"{name}.pyx")], extra_compile_args=args)
    for name in sys.argv[2:]
]
extensions = cythonize(
    extension,
    compiler_directives={"language_level": 3, "boundscheck": True, "wraparound": True,
                         "initializedcheck": True, "cdivision": False},
    force=True, quiet=True,
)
dist = Distribution({"name": "fastdicom-checked", "ext_modules": extensions})
command = dist.get_command_obj("build_ext")
command.build_lib = os.path.join(dest, "lib")
command.build_temp = os.path.join(dest, "temp")
command.inplace = False
command.ensure_finalized()
command.run()
"""


# The compiled modules the fuzzing runs with Cython's checks on: the scanner,
# the value conversion, and the native pixel and RLE kernels (compressed
# syntaxes go to third-party codecs, which are not fuzzed here).
# every compiled module `import fastdicom` loads (fastdicom.index imports _index):
# a fresh checkout has no in-place build to fall back on
CHECKED_MODULES = ("_parser", "_values", "_pixels", "_rle", "_index")


def build_checked_parser(dest: Path) -> Path:
    """Compile the modules of CHECKED_MODULES with Cython's checks on into
    `dest`.

    Returns the path of the built scanner module; the others are beside it.
    """
    dest.mkdir(parents=True, exist_ok=True)
    for name in CHECKED_MODULES:
        shutil.copyfile(ROOT / "src_pyx" / f"{name}.pyx", dest / f"{name}.pyx")
    for include in (ROOT / "src_pyx").glob("*.pxi"):  # e.g. the scanner's C core
        shutil.copyfile(include, dest / include.name)
    result = subprocess.run(
        [sys.executable, "-c", _BUILD_SCRIPT, str(dest), *CHECKED_MODULES],
        cwd=dest, capture_output=True, text=True, timeout=600,
    )
    if result.returncode:
        raise RuntimeError(f"checked build failed:\n{result.stdout}\n{result.stderr}")
    built = sorted((dest / "lib" / "fastdicom").glob("_parser*"))
    built = [p for p in built if p.suffix in (".so", ".pyd")]
    if len(built) != 1:
        raise RuntimeError(f"checked build produced {built}")
    return built[0]


def testdata_paths() -> dict[str, str]:
    from pydicom.data import get_testdata_file

    paths = {}
    for name in FUZZ_FILES:
        path = get_testdata_file(name, download=False)
        if path is not None:
            paths[name] = str(path)
    return paths


def _repro(argv: list[str]) -> int:
    seed = int(argv[0])
    so_path = argv[argv.index("--so") + 1] if "--so" in argv else None
    fastdicom, parser, accepted = import_fastdicom(str(ROOT), so_path)
    data, description = make_input(seed, load_originals(testdata_paths()))
    print(f"seed {seed}: {description}, {len(data)} bytes")
    if "--save" in argv:
        Path(argv[argv.index("--save") + 1]).write_bytes(data)
    import tempfile

    with tempfile.TemporaryDirectory() as workdir:
        warm_up(fastdicom, available_entry_points(), load_originals(testdata_paths()), workdir)
    limit_memory()
    outcome, trace = run_one(fastdicom, parser, accepted, data, seed)
    if trace is None:
        with tempfile.TemporaryDirectory() as workdir:
            names = available_entry_points()
            print("entry points:", ", ".join(entry_points_for(seed, names)))
            outcome, trace = run_entry_points(fastdicom, data, seed, names, workdir)
    print(outcome)
    if trace:
        print(trace)
    return 0


if __name__ == "__main__":
    command, *rest = sys.argv[1:]
    if command == "worker":
        sys.exit(worker(rest[0]))
    if command == "build":
        print(build_checked_parser(Path(rest[0])))
        sys.exit(0)
    if command == "repro":
        sys.exit(_repro(rest))
    sys.exit(f"unknown command {command}")
