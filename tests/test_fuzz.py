"""Fuzzing and hostile input: never a segfault, hang, or silent wrong value.

* test_fuzz_checked_build: seeded mutations of real files (truncation, byte
  flips, hostile lengths, deleted/duplicated chunks, spliced item and
  delimiter tags; see tests/fuzzing.py) read by fastdicom with a copy of the
  scanner compiled with Cython's bounds checks on, in subprocesses, so that a
  crash or a hang is a test failure naming the seed. Reproduce a seed with
  ``PYTHONPATH=. python tests/fuzzing.py repro SEED``.
  FASTDICOM_FUZZ_INPUTS (default 6000) and FASTDICOM_FUZZ_FIRST_SEED change
  the run. Every FASTDICOM_FUZZ_ENTRY_EVERY-th input (default 13) also goes
  through two of the other entry points (tests/fuzzing.py ENTRY_POINTS); the
  workers run under RLIMIT_AS (a MemoryError is a memory blow-up). Long runs:
  ``python tools/fuzz_campaign.py --out DIR --hours H``.
* The hostile-input tests build the classic attacks by hand: sequences nested
  10,000 deep, lengths past the end, a billion frames claimed, empty and cut
  files, garbage.

Cython and setuptools are needed to build the checked copy of the scanner.
"""

from __future__ import annotations

import importlib.util
import json
import os
import random
import struct
import subprocess
import sys
import tracemalloc
import warnings
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

import fastdicom
from fastdicom.errors import (
    DicomNestingError,
    DicomParseError,
    DicomTruncatedError,
    InvalidDicomError,
)

sys.path.insert(0, str(Path(__file__).resolve().parent))
import fuzzing  # noqa: E402

pytest.importorskip("pydicom")

FUZZ_INPUTS = int(os.environ.get("FASTDICOM_FUZZ_INPUTS", "6000"))
FIRST_SEED = int(os.environ.get("FASTDICOM_FUZZ_FIRST_SEED", "0"))
BATCH = 500
# Every n-th input also goes through two of the other entry points (pixels
# with every codec, JSON, writing, DICOMDIR, series, diffusion, export,
# de-identification, the header index); tools/fuzz_campaign.py sends all.
ENTRY_EVERY = int(os.environ.get("FASTDICOM_FUZZ_ENTRY_EVERY", "13"))  # prime: all entry points met
BATCH_TIMEOUT = 120  # seconds; a batch takes about 1-2 s
SLOW_INPUT = 5.0  # seconds for one input is a hang in the making


# ---------------------------------------------------------------------------
# The checked build and the worker processes
# ---------------------------------------------------------------------------


@pytest.fixture(scope="session")
def checked_parser(tmp_path_factory) -> Path:
    """src_pyx/_parser.pyx compiled with boundscheck, wraparound and
    initializedcheck on, -O1 -g -UNDEBUG, into a temporary directory."""
    return fuzzing.build_checked_parser(tmp_path_factory.mktemp("checked_parser"))


@pytest.fixture(scope="session")
def testdata_paths() -> dict[str, str]:
    paths = fuzzing.testdata_paths()
    assert len(paths) >= 12, sorted(set(fuzzing.FUZZ_FILES) - set(paths))
    return paths


def _run_worker(config: dict, workdir: Path, env_extra: dict | None = None) -> dict:
    """Run seeds config['first']..config['stop'] in worker processes.

    The worker logs each seed it starts and each outcome to a progress file;
    a worker that dies (signal, abort) or times out is restarted after the
    seed it was on, which is recorded as a crash or a hang.
    """
    counts: dict[str, int] = {}
    bugs: list[dict] = []
    slowest = [0.0, None]
    first = config["first"]
    env = dict(os.environ, **(env_extra or {}))
    env.pop("PYTHONPATH", None)  # the worker puts the checkout first itself
    timeout = config.get("timeout", BATCH_TIMEOUT)
    while first < config["stop"]:
        progress = workdir / f"progress-{first}"
        config_path = workdir / f"config-{first}.json"
        config_path.write_text(json.dumps(dict(config, first=first, progress=str(progress))))
        failure = None
        try:
            result = subprocess.run(
                [sys.executable, str(Path(fuzzing.__file__)), "worker", str(config_path)],
                capture_output=True, text=True, timeout=timeout, env=env,
            )
            if result.returncode:
                failure = f"crash (exit code {result.returncode}): {result.stderr.strip()[-800:]}"
        except subprocess.TimeoutExpired:
            failure = f"hang (no end after {timeout} s)"
        started = None
        for line in (progress.read_text().splitlines() if progress.exists() else []):
            kind, _, rest = line.partition(" ")
            if kind == "start":
                started = int(rest)
                continue
            if not line.endswith("}"):
                continue  # a line cut by a crash
            record = json.loads(rest)
            started = None
            counts[record["outcome"]] = counts.get(record["outcome"], 0) + 1
            if "traceback" in record:
                bugs.append(record)
            if record["seconds"] > slowest[0]:
                slowest = [record["seconds"], record["seed"]]
        if failure is None and started is None:
            break
        if failure and not progress.exists():
            # dead before its first seed (an import error): every restart would die the same way
            raise RuntimeError(f"fuzz worker failed to start: {failure}")
        seed = started if started is not None else first
        outcome = failure.split(" ", 1)[0] if failure else "crash"
        counts[outcome] = counts.get(outcome, 0) + 1
        bugs.append({"seed": seed, "input": "", "outcome": outcome, "traceback": failure or "?"})
        first = seed + 1
    return {"counts": counts, "bugs": bugs, "slowest": slowest}


def _run_batches(so_path: Path, paths: dict, tmp_path: Path, first: int, stop: int) -> dict:
    configs = [
        {"root": str(fuzzing.ROOT), "so_path": str(so_path), "files": paths,
         "first": start, "stop": min(start + BATCH, stop), "entry_every": ENTRY_EVERY}
        for start in range(first, stop, BATCH)
    ]
    workers = max(2, min(4, os.cpu_count() or 2))
    with ThreadPoolExecutor(workers) as pool:
        results = list(pool.map(lambda c: _run_worker(c, tmp_path), configs))
    total = {"counts": {}, "bugs": [], "slowest": [0.0, None]}
    for result in results:
        for outcome, count in result["counts"].items():
            total["counts"][outcome] = total["counts"].get(outcome, 0) + count
        total["bugs"].extend(result["bugs"])
        if result["slowest"][0] > total["slowest"][0]:
            total["slowest"] = result["slowest"]
    return total


def _describe(bugs: list[dict]) -> str:
    groups: dict[tuple, list] = {}
    for bug in bugs:
        last = bug["traceback"].strip().splitlines()[-1][:200]
        groups.setdefault((bug["outcome"], last), []).append(bug)
    lines = []
    for (outcome, last), members in sorted(groups.items(), key=lambda g: -len(g[1])):
        seeds = ", ".join(f"{b['seed']} ({b['input']})" for b in members[:3])
        lines.append(f"{len(members)} x {outcome}: {last}\n    seeds {seeds}")
    return "\n".join(lines)


def test_fuzz_checked_build(checked_parser, testdata_paths, tmp_path, record_property):
    stop = FIRST_SEED + FUZZ_INPUTS
    result = _run_batches(checked_parser, testdata_paths, tmp_path, FIRST_SEED, stop)
    counts = result["counts"]
    summary = (
        f"fuzz: {sum(counts.values())} inputs (seeds {FIRST_SEED}..{stop - 1}) against the "
        f"bounds-checked scanner: " + ", ".join(f"{k}={v}" for k, v in sorted(counts.items()))
        + f"; slowest input {result['slowest'][0]:.3f} s (seed {result['slowest'][1]})"
    )
    record_property("fuzz_summary", summary)
    sys.__stderr__.write(f"\n{summary}\n")
    assert sum(counts.values()) == FUZZ_INPUTS
    assert not result["bugs"], (
        f"{summary}\nUnexpected outcomes (reproduce: PYTHONPATH=. python tests/fuzzing.py "
        f"repro SEED):\n{_describe(result['bugs'])}"
    )
    assert result["slowest"][0] < SLOW_INPUT, summary


def test_worker_reports_crash_and_hang(checked_parser, tmp_path, testdata_paths):
    """The harness itself: a worker killed by a signal, or stuck, is reported
    with the seed it was on, and the run goes on after it."""
    # The checked build, because the checkout has no in-place build in CI.
    config = {"root": str(fuzzing.ROOT), "so_path": str(checked_parser), "files": testdata_paths,
              "first": 0, "stop": 6, "timeout": 10}
    result = _run_worker(config, tmp_path, {"FASTDICOM_FUZZ_SELFTEST": "2:abort,4:hang"})
    assert [(b["seed"], b["outcome"]) for b in result["bugs"]] == [(2, "crash"), (4, "hang")]
    assert sum(result["counts"].values()) == 6


# ---------------------------------------------------------------------------
# Hostile input, built by hand
# ---------------------------------------------------------------------------

LONG_VRS = (b"OB", b"OD", b"OF", b"OL", b"OV", b"OW", b"SQ", b"SV", b"UC", b"UN", b"UR", b"UT", b"UV")
UNDEFINED = 0xFFFFFFFF


def element(tag: int, vr: bytes, value: bytes = b"", length: int | None = None) -> bytes:
    """Explicit VR little endian element."""
    length = len(value) if length is None else length
    head = struct.pack("<HH", tag >> 16, tag & 0xFFFF) + vr
    if vr in LONG_VRS:
        return head + b"\0\0" + struct.pack("<L", length) + value
    return head + struct.pack("<H", length) + value


def item(content: bytes = b"", length: int | None = None, undefined: bool = False) -> bytes:
    if undefined:
        return (struct.pack("<HHL", 0xFFFE, 0xE000, UNDEFINED) + content
                + struct.pack("<HHL", 0xFFFE, 0xE00D, 0))
    return struct.pack("<HHL", 0xFFFE, 0xE000, len(content) if length is None else length) + content


SEQUENCE_DELIMITER = struct.pack("<HHL", 0xFFFE, 0xE0DD, 0)


def dicom_file(dataset: bytes, syntax: bytes = b"1.2.840.10008.1.2.1\0") -> bytes:
    """Preamble, 'DICM' and a File Meta group around `dataset`."""
    meta = element(0x00020010, b"UI", syntax)
    meta = element(0x00020000, b"UL", struct.pack("<L", len(meta))) + meta
    return b"\0" * 128 + b"DICM" + meta + dataset


def nested_undefined(levels: int) -> bytes:
    open_level = element(0x00091001, b"SQ", length=UNDEFINED) + struct.pack("<HHL", 0xFFFE, 0xE000, UNDEFINED)
    close_level = struct.pack("<HHL", 0xFFFE, 0xE00D, 0) + SEQUENCE_DELIMITER
    return open_level * levels + element(0x00100010, b"PN", b"AB") + close_level * levels


def nested_defined(levels: int) -> bytes:
    content = element(0x00100010, b"PN", b"AB")
    for _ in range(levels):
        content = element(0x00091001, b"SQ", item(content))
    return content


def _descend(ds, levels: int):
    for _ in range(levels):
        ds = ds[0x00091001].value[0]
    return ds


MAX_DEPTH = fastdicom._parser.MAX_NESTING_DEPTH
PREFIX = element(0x00080060, b"CS", b"CT")
PREFIX_END = len(dicom_file(b""))  # offset of the dataset


def test_undefined_length_nesting_10000_deep_raises(tmp_path):
    data = dicom_file(PREFIX + nested_undefined(10_000))
    path = tmp_path / "deep.dcm"
    path.write_bytes(data)
    for source in (data, str(path)):
        with pytest.raises(DicomNestingError) as info:
            fastdicom.dcmread(source)
        assert info.value.tag == 0x00091001
        assert PREFIX_END + len(PREFIX) <= info.value.offset < len(data)
    assert str(path) in str(info.value) and info.value.filename == str(path)


def test_undefined_length_nesting_at_the_limit_reads():
    ds = fastdicom.dcmread(dicom_file(nested_undefined(MAX_DEPTH)))
    assert _descend(ds, MAX_DEPTH).PatientName == "AB"


@pytest.mark.parametrize("levels", [MAX_DEPTH + 1, 10_000])
def test_defined_length_nesting_raises_when_touched(levels, tmp_path):
    """Defined lengths are skipped unread: the nesting is only met when the
    items are read. Touching must raise DicomNestingError (naming offset and
    tag), not RecursionError, TypeError or a crash."""
    data = dicom_file(PREFIX + nested_defined(levels))
    path = tmp_path / "deep_defined.dcm"
    path.write_bytes(data)
    ds = fastdicom.dcmread(str(path))
    assert ds.Modality == "CT"
    with pytest.raises(DicomNestingError) as info:
        _descend(ds, levels)
    assert info.value.offset > PREFIX_END and info.value.tag is not None
    assert str(path) in str(info.value)
    with pytest.raises(DicomNestingError):
        str(fastdicom.dcmread(data))
    with pytest.raises(DicomNestingError):
        list(fastdicom.dcmread(data).iterall())


def test_defined_length_nesting_at_the_limit_reads():
    ds = fastdicom.dcmread(dicom_file(nested_defined(MAX_DEPTH)))
    assert _descend(ds, MAX_DEPTH).PatientName == "AB"
    str(ds)


def _raises_or_warns(action, offset: int, tag: int) -> None:
    """`action` must raise a DicomTruncatedError with this offset and tag, or
    warn naming both (a lenient read): never clip a value silently."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            action()
        except DicomTruncatedError as exc:
            assert (exc.offset, exc.tag) == (offset, tag), repr(exc)
            return
    where = f"0x{offset:X}"
    tag_text = f"({tag >> 16:04X},{tag & 0xFFFF:04X})"
    messages = [str(w.message) for w in caught]
    assert any(where in m and tag_text in m for m in messages), (
        f"no DicomTruncatedError and no warning naming {where} {tag_text}: {messages}"
    )


def test_error_inside_a_sequence_keeps_its_class_offset_and_tag():
    """A DicomParseError raised while reading an item must come out of
    str(ds) as itself (not re-raised as another type), with offset and tag."""
    data = dicom_file(PREFIX + nested_defined(MAX_DEPTH + 1))
    with pytest.raises(DicomNestingError) as info:
        str(fastdicom.dcmread(data))
    assert info.value.offset > PREFIX_END


def test_element_past_its_item_is_not_clipped_silently():
    """An element in an item whose length runs past the item: an error, or
    at least a warning naming offset and tag, as at the top level."""
    bad = element(0x00100020, b"LO", b"ID", length=200)
    data = dicom_file(PREFIX + element(0x00091001, b"SQ", item(element(0x00100010, b"PN", b"ABCD") + bad))
                      + element(0x00100030, b"DA", b"20000101"))
    offset = data.index(bad)
    _raises_or_warns(lambda: fastdicom.dcmread(data)[0x00091001].value[0].PatientID, offset, 0x00100020)
    _raises_or_warns(lambda: str(fastdicom.dcmread(data)), offset, 0x00100020)
    with _raise_mode():
        ds = fastdicom.dcmread(data)
        with pytest.raises(DicomTruncatedError) as info:
            ds[0x00091001].value[0].PatientID  # noqa: B018
    assert (info.value.offset, info.value.tag) == (offset, 0x00100020)


class _raise_mode:
    def __enter__(self):
        self.saved = fastdicom.config.settings.reading_validation_mode
        fastdicom.config.settings.reading_validation_mode = fastdicom.config.RAISE

    def __exit__(self, *exc):
        fastdicom.config.settings.reading_validation_mode = self.saved


def test_item_length_past_its_parent():
    """An item claiming more bytes than its sequence holds is clipped to the
    sequence, as pydicom reads it; the elements after the sequence are not
    swallowed."""
    inner = element(0x00100010, b"PN", b"AB")
    sequence = element(0x00091001, b"SQ", item(inner, length=100))
    data = dicom_file(PREFIX + sequence + element(0x00100020, b"LO", b"ID"))
    ds = fastdicom.dcmread(data)
    assert ds[0x00091001].value[0].PatientName == "AB"
    assert ds.PatientID == "ID"
    # an undefined-length item past the sequence's end, with no delimiter
    sequence = element(0x00091001, b"SQ", struct.pack("<HHL", 0xFFFE, 0xE000, UNDEFINED) + inner)
    ds = fastdicom.dcmread(dicom_file(PREFIX + sequence + element(0x00100020, b"LO", b"ID")))
    assert ds.PatientID == "ID"
    assert ds[0x00091001].value[0].PatientName == "AB"


def test_billion_frames_header_does_not_allocate():
    dataset = (
        element(0x00080060, b"CS", b"OT")
        + element(0x00280002, b"US", struct.pack("<H", 1))
        + element(0x00280004, b"CS", b"MONOCHROME2 ")
        + element(0x00280008, b"IS", b"1000000000")
        + element(0x00280010, b"US", struct.pack("<H", 4096))
        + element(0x00280011, b"US", struct.pack("<H", 4096))
        + element(0x00280100, b"US", struct.pack("<H", 16))
        + element(0x00280101, b"US", struct.pack("<H", 16))
        + element(0x00280103, b"US", struct.pack("<H", 0))
        + element(0x7FE00010, b"OW", b"\x01\x00" * 8)
    )
    data = dicom_file(dataset)
    tracemalloc.start()
    try:
        ds = fastdicom.dcmread(data)
        assert ds.NumberOfFrames == 1_000_000_000
        assert ds.Rows == 4096 and len(ds.PixelData) == 16
        str(ds)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 8 * 1024 * 1024, peak
    if importlib.util.find_spec("fastdicom.pixels.dataset_api") is not None:
        # the frames claimed are not there: an error, not a 32 TB allocation
        with pytest.raises((ValueError, InvalidDicomError)):
            ds.pixel_array  # noqa: B018


def test_empty_file(tmp_path):
    path = tmp_path / "empty.dcm"
    path.write_bytes(b"")
    with pytest.raises(InvalidDicomError) as info:
        fastdicom.dcmread(str(path))
    assert "empty.dcm" in str(info.value)
    ds = fastdicom.dcmread(str(path), force=True)  # pydicom: an empty dataset
    assert len(ds) == 0
    assert len(fastdicom.dcmread(b"", force=True)) == 0


def test_file_cut_inside_dicm(tmp_path):
    original = Path(fuzzing.testdata_paths()["CT_small.dcm"]).read_bytes()
    path = tmp_path / "cut.dcm"
    path.write_bytes(original[:131])
    with pytest.raises(InvalidDicomError) as info:
        fastdicom.dcmread(str(path))
    assert "cut.dcm" in str(info.value)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # force reads the preamble as a dataset
        try:
            str(fastdicom.dcmread(str(path), force=True))
        except InvalidDicomError as exc:
            assert "cut.dcm" in str(exc)


@pytest.mark.parametrize("size", [1, 8, 131, 132, 133, 4096])
def test_random_garbage_with_force(size):
    rng = random.Random(size)
    accepted = (InvalidDicomError, ValueError, fastdicom.errors.BytesLengthException, NotImplementedError)
    for _ in range(50):
        data = rng.randbytes(size)
        if rng.random() < 0.5 and size >= 132:
            data = data[:128] + b"DICM" + data[132:]
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            try:
                ds = fastdicom.dcmread(data, force=True)
                str(ds)
            except accepted as exc:
                if isinstance(exc, DicomParseError):
                    assert 0 <= exc.offset <= len(data)


def test_hostile_inputs_in_checked_build(checked_parser, tmp_path):
    """The hand-built attacks again, against the bounds-checked scanner in a
    subprocess (errors accepted as in the fuzz test)."""
    blobs = {
        "nested_undefined_10000": dicom_file(PREFIX + nested_undefined(10_000)),
        "nested_defined_10000": dicom_file(PREFIX + nested_defined(10_000)),
        "length_fffffff0": dicom_file(PREFIX + element(0x00091010, b"OB", b"abcd", length=0xFFFFFFF0)),
        "item_past_parent": dicom_file(PREFIX + element(0x00091001, b"SQ", item(b"", length=100))),
        "empty": b"",
        "cut_dicm": b"\0" * 128 + b"DIC",
        "garbage": random.Random(1).randbytes(5000),
    }
    blob_dir = tmp_path / "blobs"
    blob_dir.mkdir()
    for name, data in blobs.items():
        (blob_dir / name).write_bytes(data)
    config = {"root": str(fuzzing.ROOT), "so_path": str(checked_parser), "files": {},
              "first": 0, "stop": len(blobs), "blobs": str(blob_dir)}
    result = _run_worker(config, tmp_path)
    assert not result["bugs"], _describe(result["bugs"])
    assert sum(result["counts"].values()) == len(blobs)


@pytest.mark.parametrize("from_path", [True, False])
def test_deferred_undefined_length_value(from_path, tmp_path):
    """Found by the fuzzer (seed 79): a deferred value of undefined length
    (encapsulated Pixel Data) must read back as without defer_size."""
    path = fuzzing.testdata_paths()["JPEG2000.dcm"]
    data = Path(path).read_bytes()
    expected = fastdicom.dcmread(data).PixelData
    ds = fastdicom.dcmread(path if from_path else data, defer_size=64)
    assert ds.PixelData == expected
