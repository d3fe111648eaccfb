"""The ``fastdicom`` command line: shared behaviour and the ``show``/``codify`` commands."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

import fastdicom
from fastdicom.cli import COMMANDS, main, sample_path

PACKAGE_ROOT = os.path.dirname(os.path.dirname(os.path.abspath(fastdicom.__file__)))


def run_cli(*args: str, cwd: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([PACKAGE_ROOT, os.environ.get("PYTHONPATH", "")])}
    return subprocess.run(
        [sys.executable, "-m", "fastdicom", *args], capture_output=True, text=True, cwd=cwd, env=env
    )


def test_show_prints_the_sample_as_str_of_the_dataset(capsys):
    assert main(["show"]) == 0
    out = capsys.readouterr().out
    assert out.startswith(f"# {sample_path()}\n")
    assert str(fastdicom.dcmread(sample_path())) in out


def test_a_missing_file_is_reported_on_stderr_with_status_1(tmp_path, capsys):
    missing = tmp_path / "missing.dcm"
    assert main(["show", str(missing), sample_path()]) == 1
    captured = capsys.readouterr()
    assert str(missing) in captured.err and "CT_small" in captured.out


def test_version_and_help(capsys):
    with pytest.raises(SystemExit) as exit_info:
        main(["--version"])
    assert exit_info.value.code == 0
    assert capsys.readouterr().out.strip() == f"fastdicom {fastdicom.__version__}"
    with pytest.raises(SystemExit):
        main(["--help"])
    help_text = capsys.readouterr().out
    for command in ("show", "codify"):
        assert command in help_text
    assert set(COMMANDS) >= {"show", "codify"}


def test_usage_error_exits_2(capsys):
    with pytest.raises(SystemExit) as exit_info:
        main(["no-such-command"])
    assert exit_info.value.code == 2


def test_piped_into_head_is_quiet(tmp_path):
    """A closed pipe ends the command quietly, with status 0 and nothing on stderr."""
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([PACKAGE_ROOT, os.environ.get("PYTHONPATH", "")])}
    # ~200 KB of output: more than a pipe holds, so the writer meets the closed pipe
    files = " ".join([sample_path()] * 50)
    shell = f"{sys.executable} -m fastdicom show {files} | head -n 1"
    result = subprocess.run(
        ["bash", "-o", "pipefail", "-c", shell], capture_output=True, text=True, cwd=tmp_path, env=env
    )
    assert result.stdout.startswith("# ")
    assert result.stderr == ""
    assert result.returncode == 0


def test_codify_writes_code_that_recreates_the_file(tmp_path):
    script = tmp_path / "ct.py"
    result = run_cli("codify", sample_path(), str(script), cwd=str(tmp_path))
    assert result.returncode == 0, result.stderr
    code = script.read_text()
    assert "ds.PatientName = 'CompressedSamples^CT1'" in code
    assert "ds.save_as(" in code


# -- show: pydicom's options and dcmdump's -------------------------------------------
def _pydicom_file(name: str) -> str:
    from pydicom.data import get_testdata_file

    path = get_testdata_file(name)
    assert path, name
    return str(path)


def test_show_quiet_is_pydicoms_summary(capsys):
    assert main(["show", "-q", _pydicom_file("rtplan.dcm")]) == 0
    out = capsys.readouterr().out
    assert out.startswith("SOPClassUID: RT Plan Storage\nPatientName: Last^First^mid^pre\n")
    assert out.endswith(
        "Beam 1 'Field 1' TREATMENT STATIC PHOTON energy 6.00000000000000 "
        "gantry 0.0, coll 0.0, couch 0.0 (0 wedges, 0 comps, 0 boli, 0 blocks)\n"
    )
    assert main(["show", "-q", _pydicom_file("MR_small_RLE.dcm")]) == 0
    assert capsys.readouterr().out.endswith("Rows: 64\nColumns: 64\nSliceLocation: 0.0000\n")


def test_show_element_path(capsys):
    assert main(["show", _pydicom_file("rtplan.dcm") + "::BeamSequence[0].BeamName"]) == 0
    assert capsys.readouterr().out == "Field 1\n"
    spec = "::BeamSequence[0].ControlPointSequence[0].NominalBeamEnergy"
    assert main(["show", _pydicom_file("rtplan.dcm") + spec]) == 0
    assert capsys.readouterr().out.strip() == "6.00000000000000"  # the DS string, as pydicom
    assert main(["show", _pydicom_file("rtplan.dcm") + "::BeamSequence[7]"]) == 1
    err = capsys.readouterr().err
    assert err.startswith("fastdicom show: ") and "index error" in err


def test_show_exclude_private_and_top(capsys):
    path = _pydicom_file("nested_priv_SQ.dcm")
    assert main(["show", "-t", path]) == 0
    out = capsys.readouterr().out
    assert "(0001,0001)  Private Creator" in out and "Nested SQ" not in out
    assert main(["show", "-x", path]) == 0
    assert "Private Creator" not in capsys.readouterr().out


def test_show_tags_search_and_depth(capsys):
    path = _pydicom_file("rtplan.dcm")
    assert main(["show", "--tags", "PatientID,300A,00C2", "--tags", "(0008,0060)", path]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 3
    assert lines[0].startswith("(0008,0060) Modality") and lines[1].startswith("(0010,0020) Patient ID")
    assert lines[2].startswith("BeamSequence[0]: (300A,00C2) Beam Name") and "'Field 1'" in lines[2]
    assert main(["show", "--search", "meterset", path]) == 0
    out = capsys.readouterr().out
    assert "Beam Meterset" in out and "Patient" not in out
    assert main(["show", "--tags", "NoSuchKeyword", path]) == 2
    assert "NoSuchKeyword" in capsys.readouterr().err
    assert main(["show", "--depth", "1", path]) == 0
    shallow = capsys.readouterr().out
    assert "Dose Reference Number" in shallow  # items of top-level sequences
    assert "Referenced Beam Number" not in shallow  # a second level
    assert main(["show", path]) == 0
    assert "Referenced Beam Number" in capsys.readouterr().out


def test_show_walks_directories_and_names_bad_files(tmp_path, capsys):
    import shutil

    shutil.copy(sample_path(), tmp_path / "a.dcm")
    (tmp_path / "sub").mkdir()
    shutil.copy(_pydicom_file("rtplan.dcm"), tmp_path / "sub" / "b.dcm")
    (tmp_path / "sub" / "broken.dcm").write_bytes(b"not a DICOM file at all")
    assert main(["show", "-q", str(tmp_path)]) == 1
    captured = capsys.readouterr()
    assert f"# {tmp_path / 'a.dcm'}" in captured.out and f"# {tmp_path / 'sub' / 'b.dcm'}" in captured.out
    err = captured.err.splitlines()
    assert len(err) == 1 and err[0].startswith(f"fastdicom show: {tmp_path / 'sub' / 'broken.dcm'}: ")
    assert "--force" in err[0] and "force=True" not in err[0]


def test_force_reads_a_file_without_preamble(tmp_path, capsys):
    # a bare dataset (no preamble, no File Meta) that starts in group 0010:
    # read only when asked to
    ds = fastdicom.dcmread(sample_path())
    for elem in list(ds):
        if elem.tag.group < 0x0010:
            del ds[elem.tag]
    del ds.file_meta
    ds.preamble = None
    bare = tmp_path / "bare.dcm"
    fastdicom.dcmwrite(bare, ds, implicit_vr=True, little_endian=True, enforce_file_format=False)
    assert main(["show", "-q", str(bare)]) == 1
    err = capsys.readouterr().err
    assert str(bare) in err and "--force" in err
    assert main(["show", "-q", "--force", str(bare)]) == 0
    assert "PatientName: CompressedSamples^CT1" in capsys.readouterr().out
    assert main(["show", str(bare)]) == 1
    assert main(["tree", "--force", str(bare)]) == 0
    assert main(["export", "--force", str(bare), "-o", str(tmp_path / "bare.png")]) == 0
    capsys.readouterr()


# -- tree ------------------------------------------------------------------------------
def test_tree_nests_sequences_and_names_private_creators(capsys):
    mr = "/".join(["MR-SIEMENS-DICOM-WithOverlays.dcm"])
    assert main(["tree", "--width", "30", _pydicom_file(mr)]) == 0
    out = capsys.readouterr().out
    assert "[SIEMENS MEDCOM HEADER] PMTF Information 1  LO: '4.0.12412818'" in out
    # long values cut to the width, ending in ...
    for line in out.splitlines():
        if ": " in line and not line.endswith(("item", "items")):
            value = line.split(": ", 1)[1]
            assert len(value) <= 30, line
    assert any(line.endswith("...") for line in out.splitlines())
    assert main(["tree", _pydicom_file("rtplan.dcm")]) == 0
    out = capsys.readouterr().out
    assert "├── (300A,00B0) Beam Sequence  SQ: 1 item\n│   └── Item 1\n│       ├── (0008,0070)" in out
    assert "│       │   │   └── " in out  # three levels deep


def test_tree_depth_ascii_and_no_meta(capsys):
    path = _pydicom_file("rtplan.dcm")
    assert main(["tree", "--depth", "0", "--ascii", "--no-meta", path]) == 0
    out = capsys.readouterr().out
    assert "Item 1" not in out and "(0002," not in out
    assert "|-- (300A,00B0) Beam Sequence  SQ: 1 item" in out
    assert all(ord(c) < 128 for c in out.replace(path, ""))


def test_tree_piped_into_head_is_quiet(tmp_path):
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([PACKAGE_ROOT, os.environ.get("PYTHONPATH", "")])}
    files = " ".join([_pydicom_file("rtplan.dcm")] * 40)
    shell = f"{sys.executable} -m fastdicom tree {files} | head -n 2"
    result = subprocess.run(["bash", "-o", "pipefail", "-c", shell], capture_output=True, text=True, cwd=tmp_path, env=env)
    assert result.stderr == "" and result.returncode == 0
    assert len(result.stdout.splitlines()) == 2


# -- export ----------------------------------------------------------------------------
def _png(path) -> "np.ndarray":
    import numpy as np
    from PIL import Image

    with Image.open(path) as image:
        return np.asarray(image)


def test_export_defaults_and_16_bit(tmp_path, capsys):
    import numpy as np

    from fastdicom.export import render

    ct = sample_path()
    assert main(["export", ct, "-o", str(tmp_path / "ct.png")]) == 0
    ds = fastdicom.dcmread(ct)
    assert np.array_equal(_png(tmp_path / "ct.png"), render(ds))
    assert main(["export", ct, "-o", str(tmp_path / "ct16.png"), "--bits", "16",
                 "--center", "40", "--width", "400"]) == 0
    expected = render(ds, bits=16, voi="explicit", center=40.0, width=400.0)
    assert np.array_equal(_png(tmp_path / "ct16.png").astype(np.uint16), expected)
    assert main(["export", ct, "-o", str(tmp_path / "ct.jpg"), "--quality", "80", "--presentation", "inverse"]) == 0
    assert (tmp_path / "ct.jpg").read_bytes()[:2] == b"\xff\xd8"
    capsys.readouterr()


def test_export_frames_template_and_directories(tmp_path, capsys):
    import shutil

    mr = _pydicom_file("emri_small.dcm")
    assert main(["export", mr, "-o", str(tmp_path / "f{frame:02d}.png"), "--frames", "2-4"]) == 0
    assert sorted(p.name for p in tmp_path.glob("f*.png")) == ["f02.png", "f03.png", "f04.png"]
    src = tmp_path / "in"
    (src / "a").mkdir(parents=True)
    shutil.copy(sample_path(), src / "a" / "ct.dcm")
    shutil.copy(_pydicom_file("rtplan.dcm"), src / "plan.dcm")  # no pixels: skipped
    (src / "bad.dcm").write_bytes(b"\0" * 200)
    assert main(["export", str(src), "-o", str(tmp_path / "out"), "-q"]) == 1
    assert (tmp_path / "out" / "a" / "ct.png").exists()
    assert not (tmp_path / "out" / "plan.png").exists()
    err = capsys.readouterr().err.splitlines()
    assert len(err) == 1 and err[0].startswith(f"fastdicom export: {src / 'bad.dcm'}: ")


def test_export_usage_errors(tmp_path, capsys):
    ct = sample_path()
    assert main(["export", ct, "-o", str(tmp_path / "x.png"), "--center", "40"]) == 2
    assert "--center and --width" in capsys.readouterr().err
    assert main(["export", ct, "-o", str(tmp_path / "x.bmp")]) == 2
    assert "x.bmp" in capsys.readouterr().err
    assert main(["export", ct, "-o", str(tmp_path / "x.png"), "--frames", "3"]) == 1
    assert "Frame 3 asked for, but the image has 1 frame(s)" in capsys.readouterr().err
    with pytest.raises(SystemExit) as exit_info:
        main(["export", ct, "-o", str(tmp_path / "x.png"), "--window", "1", "--min-max"])
    assert exit_info.value.code == 2


@pytest.mark.parametrize("command", ["show", "tree", "export"])
def test_help_has_examples_and_no_rest_markup(command, capsys):
    with pytest.raises(SystemExit) as exit_info:
        main([command, "--help"])
    assert exit_info.value.code == 0
    text = capsys.readouterr().out
    assert "examples:" in text and f"fastdicom {command} " in text
    for markup in ("``", ":func:", ":class:", ":mod:", ".. "):
        assert markup not in text, markup


def test_anonymize_directory_with_key_and_bad_file(tmp_path):
    """``fastdicom anonymize DIR -o OUT``: outputs mirror the tree, a bad file is reported, status 1."""
    import shutil

    src = tmp_path / "in"
    (src / "sub").mkdir(parents=True)
    shutil.copy(sample_path(), src / "sub" / "ct.dcm")
    (src / "broken.dcm").write_bytes(b"\x00" * 40)
    key = tmp_path / "key"
    key.write_text("a secret key for the test")
    result = run_cli("anonymize", str(src), "-o", str(tmp_path / "out"), "--key-file", str(key),
                     "--shift-dates", "--check", cwd=str(tmp_path))
    assert result.returncode == 1
    assert f"fastdicom anonymize: {src / 'broken.dcm'}:" in result.stderr
    assert "1 written, 1 failed" in result.stderr
    out = fastdicom.dcmread(tmp_path / "out" / "sub" / "ct.dcm")
    original = fastdicom.dcmread(sample_path())
    assert out.PatientIdentityRemoved == "YES"
    assert out.StudyInstanceUID == fastdicom.uid.keyed_uid(original.StudyInstanceUID, b"a secret key for the test")
    assert out.LongitudinalTemporalInformationModified == "MODIFIED"
    assert "Traceback" not in result.stderr


def test_anonymize_single_file_never_overwrites(tmp_path):
    out = tmp_path / "anon.dcm"
    first = run_cli("anonymize", sample_path(), "-o", str(out), "--retain-uids", cwd=str(tmp_path))
    assert first.returncode == 0, first.stderr
    assert "no key" in first.stderr  # warned: a random key
    assert fastdicom.dcmread(out).SOPInstanceUID == fastdicom.dcmread(sample_path()).SOPInstanceUID
    again = run_cli("anonymize", sample_path(), "-o", str(out), cwd=str(tmp_path))
    assert again.returncode == 1 and "exists" in again.stderr
    forced = run_cli("anonymize", sample_path(), "-o", str(out), "--overwrite", cwd=str(tmp_path))
    assert forced.returncode == 0


def test_anonymize_help_and_options(capsys):
    with pytest.raises(SystemExit) as exit_info:
        main(["anonymize", "--help"])
    assert exit_info.value.code == 0
    text = capsys.readouterr().out
    for flag in ("--shift-dates", "--retain-safe-private", "--clean-descriptors", "--allow-burned-in",
                 "examples:"):
        assert flag in text
    assert "anonymize" in COMMANDS
    assert main(["anonymize", sample_path(), "-o", "x.dcm", "--retain-dates", "--shift-dates"]) == 2
