"""fastdicom.data (sample files, pydicom-data's store) and fastdicom.examples."""

from __future__ import annotations

import ast
import fnmatch
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pydicom
import pytest

import fastdicom
from fastdicom import examples
from fastdicom.data import data_manager
from fastdicom.data import (
    DATA_ROOT,
    fetch_data_files,
    get_charset_files,
    get_palette_files,
    get_testdata_file,
    get_testdata_files,
)
from fastdicom.dataset import FileDataset

ROOT = Path(__file__).resolve().parent.parent
NAMES = [
    "ct", "dicomdir", "jpeg2k", "mr", "no_meta", "overlay", "palette_color",
    "rgb_color", "rt_dose", "rt_plan", "rt_ss", "waveform", "ybr_color",
]


class TestTestdataFiles:
    def test_shipped_file(self):
        path = get_testdata_file("CT_small.dcm")
        assert path == os.path.join(DATA_ROOT, "CT_small.dcm")
        ds = get_testdata_file("CT_small.dcm", read=True)
        assert isinstance(ds, FileDataset)
        assert ds.PatientName == "CompressedSamples^CT1"

    def test_pydicom_data_store(self):
        # pydicom-data is a test dependency: its large files are found too.
        path = get_testdata_file("liver.dcm")
        assert path is not None and Path(path).name == "liver.dcm"
        assert "pydicom-data" in data_manager.external_data_sources()
        assert Path(path).read_bytes()[128:132] == b"DICM"
        files = get_testdata_files("*rgb*")
        assert any(Path(f).name == "SC_rgb.dcm" for f in files)
        assert all(fnmatch.fnmatch(Path(f).name, "*rgb*") for f in files)
        fetch_data_files()  # nothing to download: the store is there

    def test_shipped_before_external(self):
        files = get_testdata_files()
        shipped = [f for f in files if f.startswith(DATA_ROOT)]
        assert files[: len(shipped)] == shipped
        assert os.path.join(DATA_ROOT, "CT_small.dcm") in shipped
        assert not any(f.endswith((".py", ".md")) or "LICENSE" in f for f in shipped)

    def test_not_found_and_errors(self):
        assert get_testdata_file("no_such_file.dcm") is None
        assert get_testdata_files("no_such_*") == []
        with pytest.raises(ValueError, match="does not support absolute paths"):
            get_testdata_file(os.path.abspath("x.dcm"))
        with pytest.raises(ValueError, match="does not support absolute paths"):
            get_testdata_files(os.path.abspath("*.dcm"))

    def test_charsets_and_palettes(self):
        # Neither fastdicom nor pydicom-data ships such files.
        assert get_charset_files() == []
        assert get_palette_files() == []

    def test_without_pydicom_data(self, monkeypatch):
        monkeypatch.setattr(data_manager, "_EXTERNAL_DATA_SOURCES", {})
        assert get_testdata_file("liver.dcm") is None
        assert get_testdata_file("CT_small.dcm") is not None
        with pytest.raises(RuntimeError, match="pip install pydicom-data"):
            fetch_data_files()

    def test_no_pydicom_import(self, run_python):
        out = run_python(
            "import sys, fastdicom.data as d\n"
            "d.get_testdata_file('liver.dcm'); d.get_testdata_files('*')\n"
            "import fastdicom.examples as e; e.mr; e.dicomdir\n"
            "print(sorted(m for m in sys.modules if m.split('.')[0] == 'pydicom'))\n"
        ).stdout
        assert out.strip() == "[]"


class TestPackageData:
    def test_pyproject_ships_every_data_file(self):
        """Each file under fastdicom/data is matched by a package-data glob."""
        package_data = _package_data(ROOT / "pyproject.toml")
        patterns = [f"data/{p}" for p in package_data.get("fastdicom.data", [])]
        patterns += package_data.get("fastdicom", [])
        base = Path(DATA_ROOT)
        for path in base.rglob("*"):
            if not path.is_file() or path.suffix in (".py", ".pyc"):
                continue
            rel = "data/" + path.relative_to(base).as_posix()
            assert any(_glob_match(rel, p) for p in patterns), rel


def _package_data(pyproject: Path) -> dict[str, list[str]]:
    """The ``[tool.setuptools.package-data]`` table (one-line arrays of
    strings, which read as Python literals; no TOML parser before 3.11)."""
    out: dict[str, list[str]] = {}
    section = False
    for line in pyproject.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if line.startswith("["):
            section = line == "[tool.setuptools.package-data]"
        elif section and "=" in line and not line.startswith("#"):
            key, _, value = line.partition("=")
            out[key.strip().strip('"')] = ast.literal_eval(value.strip())
    return out


def _glob_match(path: str, pattern: str) -> bool:
    if "**" in pattern:
        head, _, tail = pattern.partition("**/")
        return path.startswith(head) and fnmatch.fnmatch(path[len(head):].rsplit("/", 1)[-1], tail)
    return fnmatch.fnmatch(path, pattern) and path.count("/") == pattern.count("/")


class TestExamples:
    @pytest.mark.parametrize("name", NAMES)
    def test_each_example(self, name):
        ds = getattr(examples, name)
        assert isinstance(ds, FileDataset)
        assert ds is not getattr(examples, name)  # a new dataset per access
        path = examples.get_path(name)
        assert isinstance(path, Path) and path.is_file()
        # pydicom reads every one the same way.
        assert str(ds) == str(pydicom.dcmread(path, force=True))

    def test_module_attributes(self):
        from fastdicom.examples import ct

        assert ct.PatientName == "CompressedSamples^CT1"
        assert examples.get_path("ct").name == "CT_small.dcm"
        with pytest.raises(ValueError, match="No example dataset exists with the name 'foo'"):
            examples.get_path("foo")
        with pytest.raises(AttributeError, match="has no attribute 'foo'"):
            examples.foo
        assert set(NAMES) <= set(dir(examples))

    @pytest.mark.parametrize("name", ["mr", "overlay", "rgb_color", "palette_color", "rt_dose", "jpeg2k"])
    def test_pixels_as_pydicom(self, name):
        path = examples.get_path(name)
        mine = fastdicom.dcmread(path).pixel_array
        assert np.array_equal(mine, pydicom.dcmread(path).pixel_array)

    def test_kinds(self):
        assert examples.mr.Modality == "MR"
        assert examples.rgb_color.PhotometricInterpretation == "RGB"
        assert examples.ybr_color.PhotometricInterpretation == "YBR_FULL_422"
        assert examples.ybr_color.file_meta.TransferSyntaxUID == "1.2.840.10008.1.2.4.50"
        assert examples.jpeg2k.file_meta.TransferSyntaxUID == "1.2.840.10008.1.2.4.90"
        assert examples.palette_color.PhotometricInterpretation == "PALETTE COLOR"
        assert "TransferSyntaxUID" not in examples.no_meta.file_meta
        assert examples.rt_plan.BeamSequence[1].BeamNumber == 2
        assert examples.rt_ss.ROIContourSequence[0].ContourSequence[0].NumberOfContourPoints == 12
        assert examples.rt_dose.NumberOfFrames == 15
        ov = pydicom.dcmread(examples.get_path("overlay")).overlay_array(0x6000)
        assert ov.shape == (64, 64) and ov[4, 10] == 1 and ov[10, 10] == 0
        wave = pydicom.dcmread(examples.get_path("waveform")).waveform_array(0)
        assert wave.shape == (1000, 3)

    def test_dicomdir_file_set(self):
        ds = examples.dicomdir
        assert ds.file_meta.MediaStorageSOPClassUID == "1.2.840.10008.1.3.10"
        records = ds.DirectoryRecordSequence
        kinds = [r.DirectoryRecordType for r in records]
        assert kinds.count("PATIENT") == 1 and kinds.count("SERIES") == 2
        root = examples.get_path("dicomdir").parent
        images = [r for r in records if r.DirectoryRecordType == "IMAGE"]
        assert len(images) == 3
        for record in images:
            # PS3.10 §8.2: the File ID's components are the path in the File-set.
            image = pydicom.dcmread(root.joinpath(*record.ReferencedFileID))
            assert image.SOPInstanceUID == record.ReferencedSOPInstanceUIDInFile
        # PS3.3 F.3.2.2: the root offset points at the first record's item tag.
        data = examples.get_path("dicomdir").read_bytes()
        first = ds.OffsetOfTheFirstDirectoryRecordOfTheRootDirectoryEntity
        assert data[first : first + 4] == b"\xfe\xff\x00\xe0"

    def test_generator_reproduces_committed_files(self, tmp_path):
        """tools/generate_example_files.py writes the shipped files again."""
        package_root = Path(fastdicom.__file__).resolve().parent.parent
        env = {**os.environ, "PYTHONPATH": os.pathsep.join(
            [str(package_root), *os.environ.get("PYTHONPATH", "").split(os.pathsep)]
        )}
        out = tmp_path / "examples"
        subprocess.run(
            [sys.executable, str(ROOT / "tools" / "generate_example_files.py"), "--out", str(out)],
            check=True, capture_output=True, env=env, cwd=tmp_path,
        )
        shipped = Path(DATA_ROOT) / "examples"
        made = sorted(p.relative_to(out) for p in out.rglob("*") if p.is_file())
        assert made == sorted(p.relative_to(shipped) for p in shipped.rglob("*") if p.is_file())
        for rel in made:
            if rel.name in ("jpeg2k.dcm", "ybr_color.dcm"):
                # The codec library's version may change the compressed
                # bytes; everything but the pixel data must be the same.
                a, b = fastdicom.dcmread(out / rel), fastdicom.dcmread(shipped / rel)
                del a.PixelData, b.PixelData
                assert a == b, rel
            else:
                assert (out / rel).read_bytes() == (shipped / rel).read_bytes(), rel
