"""fastdicom.index: one typed row per file, pydicom's values, shards, Parquet, Dask."""

from __future__ import annotations

import contextlib
import datetime
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pydicom
import pytest

import fastdicom
import fastdicom.index as fdi
from fastdicom._index_schema import arrow_schema, column_specs

DATA = Path(fastdicom.__file__).parent / "data"
# the folder holding the fastdicom the tests import (the installed package in CI,
# whose checkout has no compiled modules; the checkout itself in an in-place build)
PACKAGE_ROOT = Path(fastdicom.__file__).resolve().parents[1]
GOOD = [DATA / "CT_small.dcm", DATA / "examples" / "mr.dcm", DATA / "examples" / "rt_plan.dcm",
        DATA / "examples" / "rgb_color.dcm", DATA / "examples" / "jpeg2k.dcm"]


def _mixed_dir(root: Path) -> Path:
    """Good files with corrupt, truncated, empty and non-DICOM files mixed in."""
    root.mkdir()
    for path in GOOD:
        shutil.copy(path, root / path.name)
    ct = (DATA / "CT_small.dcm").read_bytes()
    (root / "truncated_700.dcm").write_bytes(ct[:700])
    (root / "empty.dcm").write_bytes(b"")
    (root / "notes.txt").write_text("not a DICOM file\n" * 20)
    # a valid preamble and meta, then an Item tag where an element must be
    corrupt = bytearray(ct[:2000])
    meta_end = 132 + 12 + int.from_bytes(ct[140:144], "little")
    corrupt[meta_end:meta_end + 8] = b"\xfe\xff\x00\xe0\x10\x00\x00\x00"
    (root / "corrupt.dcm").write_bytes(bytes(corrupt))
    sub = root / "sub"
    sub.mkdir()
    shutil.copy(DATA / "CT_small.dcm", sub / "ct_copy.dcm")
    return root


def _status(table: pa.Table) -> dict[str, str]:
    return {Path(p).name: s for p, s in zip(table["path"].to_pylist(), table["status"].to_pylist())}


def test_one_row_per_file_with_status(tmp_path):
    root = _mixed_dir(tmp_path / "mixed")
    table = fdi.index(root, threads=2, progress=False)
    assert table.num_rows == len(list(p for p in root.rglob("*") if p.is_file()))
    status = _status(table)
    assert status["truncated_700.dcm"] == "truncated"
    assert status["empty.dcm"] == "empty"
    assert status["notes.txt"] == "not_dicom"
    assert status["corrupt.dcm"] == "parse_error"
    assert all(status[p.name] == "ok" for p in GOOD)
    assert status["ct_copy.dcm"] == "ok"
    errors = dict(zip(table["path"].to_pylist(), table["error"].to_pylist()))
    assert "offset" in errors[str(root / "corrupt.dcm")]
    # a path that vanished is an io_error row, not an exception
    table = fdi.index([root / "CT_small.dcm", root / "missing.dcm"], progress=False)
    assert table["status"].to_pylist() == ["ok", "io_error"]
    assert fdi.summary(table)["io_error"] == 1


def test_schema_from_the_dictionary_never_from_data(tmp_path):
    root = _mixed_dir(tmp_path / "mixed")
    specs = column_specs()
    expected = arrow_schema(specs)
    for sources in ([root / "empty.dcm"], [root / "notes.txt"], [root], []):
        assert fdi.index(sources, progress=False).schema == expected
    fields = {f.name: f for f in expected}
    assert fields["PixelSpacing"].type == pa.list_(pa.float64())   # DS, VM 2
    assert fields["SliceThickness"].type == pa.float64()             # DS, VM 1
    assert fields["StudyDate"].type == pa.date32()
    assert fields["Rows"].type == pa.int32()                         # US as signed
    assert fields["PatientName"].type.num_fields == 3
    assert fields["PixelSpacing"].metadata[b"description"] == b"Pixel Spacing"


def _pydicom_value(ds, keyword):
    value = ds.get(keyword)
    if value is None or value == "":
        return None
    return value


def test_values_agree_with_pydicom():
    table = fdi.index(GOOD, progress=False)
    for row in table.to_pylist():
        ds = pydicom.dcmread(row["path"], stop_before_pixels=True)
        for keyword in ("SOPInstanceUID", "PatientID", "Modality", "SeriesDescription"):
            assert row[keyword] == _pydicom_value(ds, keyword), keyword
        if "PatientName" in ds and ds.PatientName:
            assert row["PatientName"]["Alphabetic"] == ds.PatientName.alphabetic
        if "Rows" in ds:
            assert row["Rows"] == ds.Rows
        if "ImagePositionPatient" in ds:
            assert row["ImagePositionPatient"] == [float(v) for v in ds.ImagePositionPatient]
        if "InstanceNumber" in ds and ds.InstanceNumber != "":
            assert row["InstanceNumber"] == int(ds.InstanceNumber)
        if ds.get("StudyDate"):
            assert row["StudyDate"] == datetime.datetime.strptime(ds.StudyDate, "%Y%m%d").date()
        if "ImageType" in ds:
            assert row["ImageType"] == list(ds.ImageType)
    ct = table.filter(pa.compute.match_substring(table["path"], "CT_small")).to_pylist()[0]
    full = pydicom.dcmread(DATA / "CT_small.dcm")
    assert ct["PixelData"]["length"] == len(full.PixelData)
    with open(DATA / "CT_small.dcm", "rb") as fp:
        fp.seek(ct["PixelData"]["offset"])
        assert fp.read(16) == full.PixelData[:16]
    assert ct["OtherElements"] and all(e["creator"] for e in ct["OtherElements"])


def test_python_path_gives_the_compiled_values(tmp_path):
    """A file without preamble (the compiled path declines it) reads as the
    same file with one, through fastdicom.dcmread and the Python converters."""
    ct = (DATA / "CT_small.dcm").read_bytes()
    no_preamble = tmp_path / "raw.dcm"
    meta_end = 132 + 12 + int.from_bytes(ct[140:144], "little")
    no_preamble.write_bytes(ct[meta_end:])
    table = fdi.index([DATA / "CT_small.dcm", no_preamble],
                      ["PatientName", "PixelSpacing", "StudyDate", "InstanceNumber", "Rows",
                       "SeriesInstanceUID", "ImageType"], progress=False)
    compiled, python = table.drop_columns(["path", "file_size", "mtime_ns"]).to_pylist()
    assert python == compiled


def test_threads_give_the_same_table():
    sources = GOOD * 1
    one = fdi.index(sources, threads=1, progress=False)
    two = fdi.index(sources, threads=2, progress=False)
    assert one.equals(two)


def test_parquet_read_back(tmp_path):
    pd = pytest.importorskip("pandas")
    pl = pytest.importorskip("polars")
    duckdb = pytest.importorskip("duckdb")
    root = _mixed_dir(tmp_path / "mixed")
    out = tmp_path / "index.parquet"
    table = fdi.index(root, out=out, progress=False)
    meta = pq.ParquetFile(out).metadata
    assert meta.row_group(0).column(0).compression == "ZSTD"
    back = pq.read_table(out)
    assert back.equals(table)
    frame = pd.read_parquet(out)
    assert len(frame) == table.num_rows and list(frame.columns) == table.column_names
    lazy = pl.read_parquet(out)
    assert lazy.height == table.num_rows
    assert lazy["PixelSpacing"].dtype == pl.List(pl.Float64)
    con = duckdb.connect()
    count, = con.execute(f"SELECT count(*) FROM '{out}' WHERE status = 'ok'").fetchone()
    assert count == fdi.summary(table)["ok"]
    rows = con.execute(f"SELECT PixelSpacing[1], PatientName.Alphabetic FROM '{out}' "
                       "WHERE path LIKE '%CT_small.dcm'").fetchall()
    assert rows[0][0] == pytest.approx(0.661468)
    series = pq.read_table(fdi.series_out_path(out))
    assert "instanceCount" in series.column_names


def _write_series(root: Path, zs: list[float]) -> None:
    root.mkdir()
    for i, z in enumerate(zs):
        ds = fastdicom.dcmread(DATA / "CT_small.dcm")
        ds.ImagePositionPatient = [0, 0, z]
        ds.SOPInstanceUID = f"1.2.3.4.{i + 1}"
        ds.InstanceNumber = i + 1
        ds.save_as(root / f"slice{i:03d}.dcm")


def test_series_table_geometry(tmp_path):
    _write_series(tmp_path / "even", [0.0, 2.5, 5.0, 7.5, 10.1])
    series = fdi.series_table(fdi.index(tmp_path / "even", progress=False)).to_pylist()
    assert len(series) == 1
    assert series[0]["instanceCount"] == 5
    assert series[0]["uniform_spacing"] and series[0]["geometry_ok"]
    assert series[0]["slice_spacing"] == pytest.approx(2.5)
    _write_series(tmp_path / "gap", [0.0, 2.5, 5.0, 10.0, 10.0])
    series = fdi.series_table(fdi.index(tmp_path / "gap", progress=False)).to_pylist()[0]
    assert series["unique_positions"] is False and series["geometry_ok"] is False


def test_kill_and_resume(tmp_path):
    root = tmp_path / "many"
    root.mkdir()
    for i in range(24):
        shutil.copy(DATA / "CT_small.dcm", root / f"f{i:03d}.dcm")
    out = tmp_path / "index.parquet"
    cmd = [sys.executable, "-m", "fastdicom", "index", str(root), "-o", str(out),
           "--shard-size", "3", "--throttle", "0.4", "--no-progress"]
    env = {**os.environ, "PYTHONPATH": str(PACKAGE_ROOT)}
    # cwd: `python -m` puts the working directory first, which must not be a checkout
    proc = subprocess.Popen(cmd, env=env, cwd=tmp_path, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    manifest = Path(str(out) + ".shards") / "manifest.json"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if manifest.exists() and len(json.loads(manifest.read_text())["shards"]) >= 2:
            break
        time.sleep(0.05)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    done = json.loads(manifest.read_text())["shards"]
    assert 2 <= len(done) < 8 and not out.exists()
    stamps = {name: (manifest.parent / e["file"]).stat().st_mtime_ns for name, e in done.items()}
    rerun = subprocess.run(cmd[:-3] + ["--no-progress"], env=env, cwd=tmp_path, capture_output=True, text=True)
    assert rerun.returncode == 0, rerun.stderr
    for name, stamp in stamps.items():  # finished shards were not redone
        assert (manifest.parent / done[name]["file"]).stat().st_mtime_ns == stamp
    table = pq.read_table(out)
    assert table.num_rows == 24 and set(table["status"].to_pylist()) == {"ok"}
    manifest = fdi.manifest_table(out)
    assert sorted(manifest["path"].to_pylist()) == sorted(table["path"].to_pylist())
    assert set(manifest["shard"].to_pylist()) == set(range(8))
    assert table.equals(fdi.index(root, out=tmp_path / "again.parquet", progress=False))


def test_update_reads_only_new_or_changed(tmp_path):
    root = tmp_path / "d"
    root.mkdir()
    for i in range(4):
        shutil.copy(DATA / "CT_small.dcm", root / f"f{i}.dcm")
    out = tmp_path / "index.parquet"
    fdi.index(root, out=out, progress=False)
    (root / "f0.dcm").unlink()
    shutil.copy(DATA / "examples" / "mr.dcm", root / "new.dcm")
    (root / "f1.dcm").write_bytes(b"")
    table = fdi.index(root, out=out, update=True, progress=False)
    status = _status(table)
    assert status == {"f1.dcm": "empty", "f2.dcm": "ok", "f3.dcm": "ok", "new.dcm": "ok"}
    assert pq.read_table(out).num_rows == 4


def test_dask_engine_same_table(tmp_path):
    distributed = pytest.importorskip("distributed")
    root = _mixed_dir(tmp_path / "mixed")
    local = fdi.index(root, progress=False, shard_size=3)
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=False,
                                  dashboard_address=None) as cluster, \
            distributed.Client(cluster) as client:
        remote = fdi.index(root, engine="dask", scheduler=client, progress=False, shard_size=3)
    assert remote.equals(local)


def test_cli_index(tmp_path):
    from fastdicom.cli import main

    root = _mixed_dir(tmp_path / "mixed")
    out = tmp_path / "cli.parquet"
    assert main(["index", str(root), "-o", str(out), "--no-progress"]) == 1  # bad files
    assert pq.read_table(out).num_rows == 10


def test_mutated_files_never_raise(tmp_path):
    """Cut and bit-flipped headers: one row each, a status, no exception."""
    import random

    rng = random.Random(9)
    sources = [(DATA / "CT_small.dcm").read_bytes(), (DATA / "examples" / "rt_plan.dcm").read_bytes()]
    for i in range(150):
        data = bytearray(rng.choice(sources))
        if i % 3 == 0:
            data = data[: rng.randrange(len(data))]
        else:
            for _ in range(rng.randrange(1, 12)):
                j = rng.randrange(128, min(len(data), 3000))
                data[j] = rng.randrange(256)
        (tmp_path / f"m{i:03d}.dcm").write_bytes(bytes(data))
    table = fdi.index(tmp_path, threads=2, progress=False)
    assert table.num_rows == 150
    assert set(table["status"].to_pylist()) <= set(fdi.STATUSES)
    assert fdi.summary(table)["truncated"] >= 40


def test_frame_geometry_of_enhanced_images():
    """Per-frame positions of an enhanced CT, per-frame or shared groups, as pydicom has them."""
    from pydicom.data import get_testdata_file

    path = get_testdata_file("eCT_Supplemental.dcm")
    row = fdi.index(path, ["FrameGeometry", "NumberOfFrames"], progress=False).to_pylist()[0]
    ds = pydicom.dcmread(path)
    assert len(row["FrameGeometry"]) == ds.NumberOfFrames == row["NumberOfFrames"]
    shared = ds.SharedFunctionalGroupsSequence[0]
    for frame, item in zip(row["FrameGeometry"], ds.PerFrameFunctionalGroupsSequence):
        position = item.PlanePositionSequence[0].ImagePositionPatient
        assert frame["ImagePositionPatient"] == [float(v) for v in position]
        groups = item if "PixelMeasuresSequence" in item else shared
        spacing = groups.PixelMeasuresSequence[0].PixelSpacing
        assert frame["PixelSpacing"] == [float(v) for v in spacing]
    # the Python path (declined rows) builds the same structs
    assert fdi._python_row(path, column_specs(["FrameGeometry"]))["FrameGeometry"] == row["FrameGeometry"]


def test_series_geometry_of_an_enhanced_image():
    from pydicom.data import get_testdata_file

    table = fdi.index(get_testdata_file("eCT_Supplemental.dcm"), progress=False)
    series = fdi.series_table(table).to_pylist()[0]
    frames = table["FrameGeometry"].to_pylist()[0]
    positions = {tuple(f["ImagePositionPatient"]) for f in frames}
    assert series["instanceCount"] == 1
    assert series["unique_positions"] is (len(positions) == len(frames))
    assert series["single_orientation"] is True


def test_path_that_is_not_utf8(tmp_path):
    name = os.fsdecode(b"ct_\xff.dcm")
    shutil.copy(DATA / "CT_small.dcm", tmp_path / name)
    shutil.copy(DATA / "examples" / "no_meta.dcm", tmp_path / os.fsdecode(b"raw_\xfe.dcm"))
    table = fdi.index(tmp_path, ["PatientID"], progress=False)
    assert table["path"].to_pylist()[0].endswith("ct_\\xff.dcm")
    # the second has no preamble: the Python path reads it (force=True, as
    # its first element is of group 0008)
    assert table["status"].to_pylist() == ["ok", "ok"]
    assert table["PatientID"].to_pylist() == ["1CT1", "FD-NO-META"]


def test_listed_directories_are_walked_after_extraction(tmp_path):
    """A list of files and directories: the directories are found by the
    extractor (no stat up front), walked, and the table is the one of the
    listing iter_paths gives, path by path, on threads and on Dask."""
    root = _mixed_dir(tmp_path / "mixed")
    other = tmp_path / "other.dcm"
    shutil.copy(DATA / "examples" / "mr.dcm", other)
    sources = [root / "sub", other, root, root / "CT_small.dcm", tmp_path / "missing.dcm"]
    expected = fdi.index(fdi.iter_paths(sources), progress=False)
    assert expected.num_rows == 12  # 10 files in the tree, other.dcm, missing.dcm
    assert "is a directory" not in expected["error"].to_pylist()
    for threads in (1, 2):
        assert fdi.index(sources, threads=threads, progress=False).equals(expected)
    # a directory left in a list that is not walked: an io_error row that says so
    row = fdi._extract_table([str(root)], column_specs(["PatientID"]), 1).to_pylist()[0]
    assert (row["status"], row["error"]) == ("io_error", "is a directory")
    distributed = pytest.importorskip("distributed")
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=False,
                                  dashboard_address=None) as cluster, \
            distributed.Client(cluster) as client:
        remote = fdi.index(sources, engine="dask", scheduler=client, progress=False)
    assert remote.equals(expected)



@contextlib.contextmanager
def _counting_client(distributed, monkeypatch, submitted: list):
    """A client of a 2-worker in-process cluster whose map() records the
    tasks' arguments in `submitted`."""
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=False,
                                  dashboard_address=None) as cluster, \
            distributed.Client(cluster) as client:
        run_map = client.map
        monkeypatch.setattr(client, "map", lambda *a, **k: submitted.extend(a[1]) or run_map(*a, **k))
        yield client


def test_dask_tasks_are_pieces_of_shards(tmp_path, monkeypatch):
    """One shard, several tasks: the pieces come back in order."""
    distributed = pytest.importorskip("distributed")
    root = _mixed_dir(tmp_path / "mixed")
    local = fdi.index(root, progress=False)
    monkeypatch.setattr(fdi, "MIN_TASK_FILES", 3)
    submitted: list = []
    with _counting_client(distributed, monkeypatch, submitted) as client:
        remote = fdi.index(root, engine="dask", scheduler=client, progress=False)
    assert remote.equals(local)
    assert len(submitted) == 4  # 2 workers x TASKS_PER_WORKER: pieces of 3 of the 10 files
    # each task's paths travel packed (the start shared with the path before left out)
    from fastdicom import _index

    paths = [path for packed in submitted for path in _index.unpack_paths(packed)]
    assert paths == local["path"].to_pylist()


def test_compiled_batch_buffers_and_path_kinds(tmp_path):
    """The compiled batch hands its buffers over without a copy, with the
    Arrow bitmaps and strings made without the GIL; path_kinds tells
    directories from the rest."""
    from fastdicom import _index
    from fastdicom._index_schema import plan_entries

    plan = _index.Plan(plan_entries(column_specs(["PatientID", "PixelSpacing"])))
    paths = [str(DATA / "CT_small.dcm"), str(tmp_path / "missing.dcm")]
    raw = _index.extract(plan, paths)
    assert isinstance(raw["status"], _index.OwnedBuffer) and len(raw["status"]) == 2
    assert bytes(raw["status"]) == bytes([0, 5])
    assert memoryview(raw["file_size"]).readonly
    offsets, data = raw["path_text"]
    assert bytes(data).decode() == "".join(paths)
    assert raw["declined"] == 0 and raw["directories"] == []
    bitmap, nulls = raw["columns"][0]["s_bits"][0]
    assert nulls == 1 and bytes(bitmap) == b"\x01"  # the missing file's PatientID is null
    # with the schema: one record batch laid out without the GIL (C data interface)
    specs = column_specs(["PatientID", "PixelSpacing"])
    arrow = _index.extract(plan, paths, arrow_schema(specs))
    batch = arrow["batch"]
    batch.validate(full=True)
    assert batch.schema.equals(arrow_schema(specs), check_metadata=True)
    assert batch.column("PatientID").to_pylist() == ["1CT1", None]
    assert batch.column("status").to_pylist() == ["ok", "io_error"]
    assert batch.column("PixelSpacing").to_pylist()[0] == [0.661468, 0.661468]
    assert arrow["paths_ascii"] and bytes(arrow["status"]) == bytes([0, 5])
    del arrow, batch  # the release callback frees the batch's blocks
    # bytes paths as before
    assert bytes(_index.extract(plan, [os.fsencode(p) for p in paths])["status"]) == bytes([0, 5])
    kinds = _index.path_kinds([str(tmp_path), paths[0], paths[1], os.fsencode(tmp_path)])
    assert list(kinds) == [_index.KIND_DIRECTORY, _index.KIND_FILE, _index.KIND_OTHER,
                           _index.KIND_DIRECTORY]


def test_dask_tasks_of_equal_size_across_shards(tmp_path, monkeypatch):
    """Tasks are equal cuts of the job, a multiple of the worker threads,
    spanning shard boundaries; each shard is its tasks' slices in order,
    and the sharded output is the threaded one."""
    assert fdi._task_bounds(48_000, 2, 10_000) == [(k * 8000, (k + 1) * 8000) for k in range(6)]
    assert fdi._task_bounds(1_000_000, 2, 10_000)[1] == (10_000, 20_000)  # at most a shard
    assert fdi._task_bounds(8000, 1, 10_000) == [(0, 4000), (4000, 8000)]
    assert fdi._task_bounds(0, 2, 10) == []
    for total, slots, most in ((10, 2, 3), (300, 2, 10_000), (999, 3, 100), (5, 4, 5)):
        bounds = fdi._task_bounds(total, slots, most)
        assert bounds[0][0] == 0 and bounds[-1][1] == total
        assert all(a[1] == b[0] for a, b in zip(bounds, bounds[1:]))
        sizes = [stop - start for start, stop in bounds]
        assert max(sizes) - min(sizes) <= 1
    distributed = pytest.importorskip("distributed")
    root = _mixed_dir(tmp_path / "mixed")
    local = fdi.index(root, progress=False)
    monkeypatch.setattr(fdi, "MIN_TASK_FILES", 2)
    submitted: list = []
    with _counting_client(distributed, monkeypatch, submitted) as client:
        # shards of 4: 10 files in 3 shards, cut in 4 tasks of 2, 3, 2 and 3 files
        out = tmp_path / "dask.parquet"
        remote = fdi.index(root, engine="dask", scheduler=client, progress=False, shard_size=4,
                           out=out)
    from fastdicom import _index

    assert [len(_index.unpack_paths(packed)) for packed in submitted] == [2, 3, 2, 3]
    assert remote.equals(fdi._cluster_order(local))
    manifest = fdi.read_manifest(out)
    assert [entry["rows"] for _, entry in sorted(manifest["shards"].items())] == [4, 4, 2]
    assert fdi.manifest_table(out)["path"].to_pylist() == local["path"].to_pylist()


def test_is_listing():
    from fastdicom import _index

    assert _index.is_listing([]) and _index.is_listing(["a"]) and _index.is_listing(["a", "b"])
    assert not _index.is_listing(["a", "a"])  # not distinct
    assert not _index.is_listing(["b", "a"])
    assert not _index.is_listing(["a", b"b"])  # bytes: decoded by the job first
    assert not _index.is_listing(["a", Path("b")])
    # code point order, as sorted() of str: surrogate-escaped bytes sort last
    names = ["b", os.fsdecode(b"a\xff"), "a", "\u00e9"]
    assert _index.is_listing(sorted(names)) and not _index.is_listing(names)
    assert fdi._listing(["b", "a", "b"]) == ["a", "b"]
    assert fdi._listing([Path("b"), "a"]) == ["a", "b"]


def test_packed_paths_round_trip():
    """A Dask task's paths travel packed: the same str back, undecodable
    names and all, and damaged data is a ValueError, never a wrong list."""
    from fastdicom import _index

    names = ["/data/a/IM1.dcm", "/data/a/IM2.dcm", "/data/a/" + os.fsdecode(b"\xff\xfe.dcm"),
             "/data/b/\u00e9t\u00e9.dcm", "/data/b/\u00e9t\u00e9.dcm2", "", "rel", "/x" * 5000]
    packed = _index.pack_paths(names)
    assert _index.unpack_paths(packed) == names
    assert _index.unpack_paths(_index.pack_paths([])) == []
    listing = [f"/archive/study{s}/series/IM{i:05d}.dcm" for s in range(3) for i in range(500)]
    packed = _index.pack_paths(listing)
    assert _index.unpack_paths(packed) == listing
    assert len(packed) < len("\0".join(listing)) / 4  # the shared folders left out
    for damaged in (b"\x05\x01a", b"\x00\x05ab", b"\x80", b"\x00", packed[:-1]):
        with pytest.raises(ValueError, match="damaged"):
            _index.unpack_paths(damaged)
    with pytest.raises(TypeError):
        _index.pack_paths(["a", b"b"])


def test_dask_task_error_and_late_words(tmp_path, monkeypatch):
    """A task that fails raises its error on the client (Dask's word on the
    scratch pipe), and a table sent back instead of left in the scratch
    directory (no word from its worker) is taken all the same."""
    distributed = pytest.importorskip("distributed")
    root = _mixed_dir(tmp_path / "mixed")
    local = fdi.index(root, progress=False)
    extract = fdi._extract_table

    def failing(paths, *args, **kwargs):
        if any(p.endswith("notes.txt") for p in paths):
            raise RuntimeError("worker lost its disk")
        return extract(paths, *args, **kwargs)

    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=False,
                                  dashboard_address=None) as cluster, \
            distributed.Client(cluster) as client:
        monkeypatch.setattr(fdi, "_extract_table", failing)
        with pytest.raises(RuntimeError, match="lost its disk"):
            fdi.index(root, engine="dask", scheduler=client, progress=False)
        monkeypatch.setattr(fdi, "_extract_table", extract)
        # workers that cannot see the scratch directory send their tables back
        monkeypatch.setattr(fdi, "_task_target", lambda scratch, run, k: os.path.join(
            scratch, "not-here", f"task-{run}-{k:06d}.arrow"))
        remote = fdi.index(root, engine="dask", scheduler=client, progress=False)
    assert remote.equals(local)
