"""fastdicom.util: codify, dump, fixer, hexutil, leanread and the filespec
parser, with pydicom 3.0.2's util as the oracle where it has the same API."""

from __future__ import annotations

import argparse
import io
from collections import deque
from contextlib import redirect_stdout

import pydicom
import pydicom.util.codify as p_codify
import pydicom.util.dump as p_dump
import pydicom.util.leanread as p_leanread
import pytest

import fastdicom
from fastdicom import config, examples
from fastdicom.data import get_testdata_file
from fastdicom.dataelem import DataElement, RawDataElement
from fastdicom.dataset import Dataset
from fastdicom.sequence import Sequence
from fastdicom.tag import Tag
from fastdicom.util import codify, dump, fixer, hexutil, leanread
from fastdicom.util.filespec import eval_element, filespec_parser, filespec_parts

CT = get_testdata_file("CT_small.dcm")


class TestHexutil:
    def test_round_trip(self):
        data = bytes(range(256))
        text = hexutil.bytes2hex(data)
        assert text.startswith("00 01 02") and text.endswith("fe ff")
        assert hexutil.hex2bytes(text) == data
        assert hexutil.hex2bytes(text.upper().encode()) == data

    def test_bad_type(self):
        with pytest.raises(TypeError, match="bytes or string"):
            hexutil.hex2bytes(1234)


class TestDump:
    def test_print_character(self):
        assert [dump.print_character(c) for c in b"A z\\\x00\x7e\x7f"] == list("A z....")

    def test_hexdump_layout(self):
        s = dump.datadump(bytes(range(20)))
        assert s.split("\n") == [
            "00  00 01 02 03 04 05 06 07 08 09 0A 0B 0C 0D 0E 0F  " + "." * 16,
            "10  " + f"{'10 11 12 13':<49}" + "....",
        ]
        assert dump.hexdump(io.BytesIO(b"DICM"), show_address=False) == (
            "44 49 43 4D" + " " * 38 + "DICM"
        )

    @pytest.mark.parametrize("start, stop", [(0, None), (500, 1000), (0x120, 0x200)])
    def test_same_as_pydicom(self, start, stop):
        assert dump.filedump(CT, start, stop) == p_dump.filedump(CT, start, stop)

    def test_pretty_print_same_as_pydicom(self):
        mine, theirs = io.StringIO(), io.StringIO()
        with redirect_stdout(mine):
            dump.pretty_print(fastdicom.dcmread(CT))
        with redirect_stdout(theirs):
            p_dump.pretty_print(pydicom.dcmread(CT))
        assert mine.getvalue() == theirs.getvalue()
        assert "(0010,1002) Other Patient IDs Sequence -- 2 item(s)" in mine.getvalue()

    def test_command_line(self, run_python):
        out = run_python("from fastdicom.util.dump import main; main()", CT, "0", "0x1F").stdout
        assert out.splitlines()[0].startswith("00  49 49 2A 00")
        assert len(out.splitlines()) == 2


class TestCodify:
    def test_names(self):
        assert codify.camel_to_underscore("Some12Variable_Name") == "some12_variable__name"
        assert codify.default_name_filter("ReferencedFractionGroupSequence") == (
            "refd_frxn_gp_sequence"
        )
        assert codify.tag_repr(Tag(0x7FE00010)) == "(0x7FE0, 0x0010)"

    def test_elements(self):
        assert codify.code_dataelem(DataElement(0x00100010, "PN", "A^B")) == "ds.PatientName = 'A^B'"
        assert codify.code_dataelem(DataElement(0x00111010, "LO", "x"), "item") == (
            "item.add_new((0x0011, 0x1010), 'LO', 'x')"
        )
        assert codify.code_dataelem(DataElement(0x7FE00010, "OB", b"\0" * 10), exclude_size=4) == (
            "ds.PixelData = # XXX Array of 10 bytes excluded"
        )
        assert codify.code_dataelem(DataElement(0x00000901, "AT", 0x00100020)) == (
            "ds.OffendingElement = (0x0010, 0x0020)"
        )

    def test_nested_names_unique(self):
        ds = Dataset()
        ds.ContentSequence = Sequence([Dataset()])
        ds.ContentSequence[0].ContentSequence = Sequence([Dataset()])
        ds.ContentSequence[0].ContentSequence[0].ValueType = "TEXT"
        code = codify.code_dataset(ds)
        assert "content1_1 = Dataset()" in code
        assert "content1_1.ValueType = 'TEXT'" in code

    @pytest.mark.parametrize("name", ["ct", "rt_plan", "rt_ss", "waveform", "overlay"])
    def test_file_code_same_as_pydicom(self, name):
        path = examples.get_path(name)
        mine = codify.code_file_from_dataset(fastdicom.dcmread(path), 100, True)
        theirs = p_codify.code_file_from_dataset(pydicom.dcmread(path), 100, True)
        assert mine == theirs

    @pytest.mark.parametrize("name", ["rt_plan", "rt_ss", "mr"])
    def test_code_recreates_the_dataset(self, name, tmp_path):
        """The code, run (it imports pydicom), rebuilds the same elements."""
        original = fastdicom.dcmread(examples.get_path(name))
        code = codify.code_file_from_dataset(original)
        namespace: dict = {}
        exec(compile(code, "codified", "exec"), namespace)
        out = tmp_path / "rebuilt.dcm"
        namespace["ds"].save_as(out, enforce_file_format=True)
        rebuilt = fastdicom.dcmread(out)
        assert rebuilt == original

    def test_command_line(self, run_python, tmp_path):
        path = examples.get_path("rt_plan")
        result = run_python(
            "import runpy, sys; sys.argv[0] = 'codify'; "
            "runpy.run_module('fastdicom.util.codify', run_name='__main__')",
            str(path), "-s", "new.dcm",
        )
        assert "ds.RTPlanLabel = 'Example plan'" in result.stdout
        assert result.stdout.rstrip().endswith("ds.save_as(r'new.dcm', enforce_file_format=True)")

        target = tmp_path / "code.py"
        with redirect_stdout(io.StringIO()) as said:
            codify.main(100, [str(path), str(target)])
        assert said.getvalue() == f"Writing code to file '{target}'\n"
        assert "rt_plan_from_codify.dcm" in target.read_text(encoding="utf-8")

    def test_missing_file(self):
        with pytest.raises(SystemExit), redirect_stdout(io.StringIO()):
            with pytest.MonkeyPatch.context() as mp:
                mp.setattr("sys.stderr", io.StringIO())
                codify.main(100, ["no-such-file.dcm"])


class TestFilespec:
    def test_parts(self):
        assert filespec_parts("a.dcm") == ("", "a.dcm", "")
        assert filespec_parts("pydicom::a.dcm") == ("pydicom", "a.dcm", "")
        assert filespec_parts("pydicom::a.dcm::X[0]") == ("pydicom", "a.dcm", "X[0]")
        assert filespec_parts(r"c:\x.dcm::PatientName") == ("", r"c:\x.dcm", "PatientName")

    def test_element_paths(self):
        plan = str(examples.get_path("rt_plan"))
        [(ds, value)] = filespec_parser(plan + "::BeamSequence[-1].BeamNumber")
        assert value == 2 and ds.Modality == "RTPLAN"
        [(_, item)] = filespec_parser("pydicom::CT_small.dcm::OtherPatientIDsSequence[0]")
        assert isinstance(item, Dataset)
        with pytest.raises(argparse.ArgumentTypeError, match="not valid syntax"):
            filespec_parser(plan + "::BeamSequence[0]()")
        with pytest.raises(argparse.ArgumentTypeError, match="not in the dataset"):
            filespec_parser(plan + "::NoSuchThing")
        with pytest.raises(argparse.ArgumentTypeError, match="index error"):
            eval_element(fastdicom.dcmread(plan), "BeamSequence[5]")
        with pytest.raises(argparse.ArgumentTypeError, match="test data file is available"):
            filespec_parser("CT_small.dcm")  # not in the working directory


class TestLeanRead:
    @pytest.mark.parametrize("name", ["ct", "mr", "rt_plan", "rt_dose", "waveform"])
    def test_same_tuples_as_pydicom(self, name):
        path = examples.get_path(name)
        with leanread.dicomfile(path) as mine, p_leanread.dicomfile(path) as theirs:
            assert mine.preamble == theirs.preamble
            assert list(mine) == list(theirs)

    def test_defer_and_stop(self):
        data = hexutil.hex2bytes(
            "10 00 10 00 04 00 00 00 41 5e 42 20"  # (0010,0010) implicit VR, 'A^B '
            "e0 7f 10 00 08 00 00 00 00 01 02 03 04 05 06 07"  # (7FE0,0010)
        )
        gen = leanread.data_element_generator(io.BytesIO(data), True, True, defer_size=4)
        assert list(gen) == [((0x10, 0x10), None, 4, b"A^B ", 8), ((0x7FE0, 0x10), None, 8, None, 20)]
        fp = io.BytesIO(data)
        stop = list(leanread.data_element_generator(fp, True, True, stop_when=lambda g, e: g == 0x7FE0))
        assert len(stop) == 1 and fp.tell() == 12

    def test_no_transfer_syntax(self):
        with leanread.dicomfile(examples.get_path("no_meta")) as f:
            assert f.preamble is None
            with pytest.raises(NotImplementedError, match="No transfer syntax"):
                list(f)


def _raw(tag: int, vr: str | None, value: bytes) -> RawDataElement:
    return RawDataElement(Tag(tag), vr, len(value), value, 0, vr is None, True)


class TestFixer:
    @pytest.fixture(autouse=True)
    def _reset(self):
        saved = (getattr(config, "data_element_callback", None),
                 getattr(config, "data_element_callback_kwargs", {}))
        yield
        config.data_element_callback, config.data_element_callback_kwargs = saved

    def test_fix_separator_installs_callback(self):
        fixer.fix_separator(b",", for_VRs=("DS",), process_unknown_VRs=False)
        assert config.data_element_callback is fixer.fix_separator_callback
        kwargs = config.data_element_callback_kwargs
        assert kwargs == {"invalid_separator": b",", "for_VRs": ("DS",), "process_unknown_VRs": False}

        cb = fixer.fix_separator_callback
        # (3006,0050) Contour Data is DS: fixed, also in implicit VR.
        assert cb(_raw(0x30060050, None, b"1,2,3 "), **kwargs).value == b"1\\2\\3 "
        assert cb(_raw(0x30060050, "DS", b"1,2,3 "), **kwargs).value == b"1\\2\\3 "
        # Not a VR to fix, and an unknown tag with process_unknown_VRs off.
        assert cb(_raw(0x00100010, None, b"a,b "), **kwargs).value == b"a,b "
        assert cb(_raw(0x00090010, None, b"1,2 "), **kwargs).value == b"1,2 "
        assert cb(_raw(0x00090010, None, b"1,2 "), **{**kwargs, "process_unknown_VRs": True}).value == (
            b"1\\2 "
        )
        assert cb(_raw(0x30060050, "DS", b"")._replace(value=None), **kwargs).value is None

    def test_space_separator_keeps_padding(self):
        fixer.fix_separator(b" ")
        out = fixer.fix_separator_callback(
            _raw(0x30060050, "DS", b"32 64 128 196 "), **config.data_element_callback_kwargs
        )
        assert out.value == b"32\\64\\128\\196 "

    def test_fix_mismatch(self):
        fixer.fix_mismatch()
        kwargs = config.data_element_callback_kwargs
        cb = fixer.fix_mismatch_callback
        assert config.data_element_callback is cb
        fine = _raw(0x00080030, "TM", b"120000")
        assert cb(fine, **kwargs) is fine
        implicit = _raw(0x00080030, None, b"x")
        assert cb(implicit, **kwargs) is implicit
        with config.strict_reading():
            # Not an IS value; as PN and as DS it decodes, and (as pydicom)
            # the last VR of the list that works is kept.
            bad = _raw(0x00200013, "IS", b"1.5 ")
            assert cb(bad, **kwargs).VR == "DS"


def test_code_sequence_var_names_restored():
    names: deque = deque(["outer"])
    elem = DataElement(0x300A00B0, "SQ", Sequence([Dataset(), Dataset()]))
    codify.code_sequence(elem, var_names=names)
    assert list(names) == ["outer"]
