"""Sequence, differential against pydicom 3."""

from __future__ import annotations

import copy
import warnings

import pydicom
import pytest
from pydicom.data import get_testdata_file

import fastdicom
from fastdicom import Dataset, Sequence


def outcome(fn, mod):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            result = fn(mod)
        except Exception as exc:  # noqa: BLE001
            result = ("raised", type(exc).__name__, str(exc))
    return result, [(w.category.__name__, str(w.message)) for w in caught]


def same(fn):
    theirs = outcome(fn, pydicom)
    ours = outcome(fn, fastdicom)
    assert ours == theirs
    return ours[0]


def item(m, name="x"):
    ds = m.Dataset()
    ds.PatientName = name
    return ds


@pytest.mark.parametrize("arg", ["none", "empty", "list", "tuple", "dataset", "int", "list_int", "str", "mixed", "generator"])
def test_construction_rules(arg):
    def run(m):
        value = {
            "none": None,
            "empty": [],
            "list": [item(m)],
            "tuple": (item(m), item(m, "y")),
            "dataset": item(m),
            "int": 1,
            "list_int": [1],
            "str": "abc",
            "mixed": [item(m), 2],
            "generator": (item(m) for _ in range(2)),
        }[arg]
        seq = m.Sequence() if value is None else m.Sequence(value)
        return len(seq), repr(seq), str(seq)

    same(run)


def test_mutation_rules():
    def run(m):
        out = []
        seq = m.Sequence([item(m)])
        for op in (
            lambda: seq.extend([item(m, "b")]),
            lambda: seq.extend(item(m)),
            lambda: seq.extend([1]),
            lambda: seq.__iadd__([item(m, "c")]),
            lambda: seq.__iadd__(item(m)),
            lambda: seq.append(1),
            lambda: seq.append(item(m, "d")),
            lambda: seq.__setitem__(slice(0, 1), [item(m, "e"), item(m, "f")]),
            lambda: seq.__setitem__(slice(0, 1), item(m)),
            lambda: seq.__setitem__(0, 1),
            lambda: seq.__setitem__(0, item(m, "g")),
            lambda: seq.__setitem__(slice(0, 1), [1]),
            lambda: seq.insert(0, 3),
            lambda: seq.insert(0, item(m, "h")),
        ):
            try:
                result = op()
                out.append(("ok", len(seq), type(result).__name__))
            except Exception as exc:
                out.append((type(exc).__name__, str(exc)))
        out.append([str(ds.PatientName) for ds in seq])
        out.append(str(seq[1:3]))
        return out

    same(run)


def test_iadd_returns_same_sequence():
    seq = Sequence([Dataset()])
    ident = id(seq)
    seq += [Dataset()]
    assert id(seq) == ident and len(seq) == 2


def test_str_repr_eq():
    same(lambda m: (str(m.Sequence([item(m), item(m)])), repr(m.Sequence([item(m)])), m.Sequence([item(m)]) == m.Sequence([item(m)]), m.Sequence([item(m)]) == [item(m)]))


def test_sequence_element_in_dataset():
    def run(m):
        ds = m.Dataset()
        ds.BeamSequence = [m.Dataset()]
        ds.ReferencedImageSequence = m.Sequence([item(m)])
        elem = ds["BeamSequence"]
        return type(elem.value).__name__, str(ds), repr(elem), elem.VM, elem.repval, len(ds.ReferencedImageSequence)

    same(run)
    ds = Dataset()
    ds.BeamSequence = [Dataset()]
    assert isinstance(ds.BeamSequence, Sequence)


def test_deepcopy_sequence():
    seq = Sequence([item(fastdicom)])
    clone = copy.deepcopy(seq)
    assert clone == seq
    clone[0].PatientName = "z"
    assert seq[0].PatientName == "x"


@pytest.mark.parametrize("name", ["rtplan.dcm", "liver_1frame.dcm", "examples_overlay.dcm", "nested_priv_SQ.dcm", "waveform_ecg.dcm"])
def test_items_read_inherit_parent_charset(name):
    def run(m):
        ds = m.dcmread(get_testdata_file(name))
        out = []
        for elem in ds.iterall():
            if elem.VR == "SQ":
                out.append((str(elem.tag), repr(elem.value), [(i._parent_encoding, i._character_set, i.original_character_set, i.is_undefined_length_sequence_item) for i in elem.value]))
        return out

    same(run)


def test_items_with_their_own_charset(tmp_path):
    # an item with its own Specific Character Set uses it; its children inherit it
    ds = fastdicom.Dataset()
    ds.SpecificCharacterSet = "ISO_IR 100"
    inner = fastdicom.Dataset()
    inner.SpecificCharacterSet = "ISO_IR 192"
    inner.PatientName = "Ünïcode"
    ds.ReferencedImageSequence = [inner]
    path = tmp_path / "charset.dcm"
    pydicom_ds = pydicom.Dataset()
    pydicom_ds.SpecificCharacterSet = "ISO_IR 100"
    pinner = pydicom.Dataset()
    pinner.SpecificCharacterSet = "ISO_IR 192"
    pinner.PatientName = "Ünïcode"
    pydicom_ds.ReferencedImageSequence = [pinner]
    pydicom_ds.save_as(path, implicit_vr=False, little_endian=True)

    def run(m):
        read = m.dcmread(path, force=True)
        it = read.ReferencedImageSequence[0]
        return str(it.PatientName), it._character_set, it.original_character_set, it._parent_encoding

    same(run)
