"""Dataset behaviour, differential against pydicom 3 where possible."""

from __future__ import annotations

import copy
import pickle
import warnings

import pydicom
import pytest
from pydicom.data import get_testdata_file

import fastdicom
from fastdicom import DataElement, Dataset, FileDataset, FileMetaDataset, Sequence
from fastdicom.tag import Tag

FILES = ["CT_small.dcm", "rtplan.dcm", "nested_priv_SQ.dcm", "priv_SQ.dcm", "MR_small.dcm", "waveform_ecg.dcm", "examples_overlay.dcm"]


def path(name):
    return get_testdata_file(name)


def read_both(name):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return pydicom.dcmread(path(name)), fastdicom.dcmread(path(name))


def outcome(fn, mod):
    """The result of fn(mod), or the exception type and message."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            result = fn(mod)
        except Exception as exc:  # noqa: BLE001 - compared between libraries
            result = ("raised", type(exc).__name__, str(exc))
    return result, [(w.category.__name__, str(w.message)) for w in caught]


def same(fn):
    """fn gives the same result (and warnings) with pydicom and fastdicom."""
    theirs = outcome(fn, pydicom)
    ours = outcome(fn, fastdicom)
    assert ours == theirs
    return ours[0]


def ct(mod):
    return mod.dcmread(path("CT_small.dcm"))


def rtplan(mod):
    return mod.dcmread(path("rtplan.dcm"))


def built(mod):
    ds = mod.Dataset()
    ds.PatientName = "Doe^John"
    ds.PatientID = "12345"
    ds.Modality = "CT"
    ds.add_new(0x00200032, "DS", [1, 2, 3])
    ds.add_new((0x0011, 0x0010), "LO", "Creator A")
    ds.add_new((0x0011, 0x1001), "LO", "private value")
    item = mod.Dataset()
    item.BeamName = "Beam 1"
    item.add_new((0x0013, 0x0010), "LO", "Inner")
    item.add_new((0x0013, 0x1002), "SH", "inner private")
    ds.BeamSequence = [item, mod.Dataset()]
    return ds


# -- whole-file text and structure ---------------------------------------------


@pytest.mark.parametrize("name", FILES)
def test_str_repr_top_identical(name):
    theirs, ours = read_both(name)
    assert str(ours) == str(theirs)
    assert repr(ours) == repr(theirs)
    assert ours.top() == theirs.top()
    assert list(ours.formatted_lines()) == list(theirs.formatted_lines())
    fmt = "%(tag)s %(keyword)s %(VM)s"
    assert list(ours.formatted_lines(fmt, fmt)) == list(theirs.formatted_lines(fmt, fmt))


@pytest.mark.parametrize("name", FILES)
def test_mapping_views(name):
    theirs, ours = read_both(name)
    assert len(ours) == len(theirs)
    assert list(ours.keys()) == list(theirs.keys())
    assert [str(e) for e in ours] == [str(e) for e in theirs]
    assert [e.tag for e in ours] == sorted(e.tag for e in ours)
    assert [str(ours[t]) for t, _ in ours.items()] == [str(theirs[t]) for t, _ in theirs.items()]
    assert len(list(ours.values())) == len(theirs)
    assert ours.dir() == theirs.dir()
    assert ours.dir("pat") == theirs.dir("pat")
    assert ours.dir("pat", "UID") == theirs.dir("pat", "UID")
    assert set(theirs.dir()) <= set(dir(ours))
    assert [str(e) for e in ours.iterall()] == [str(e) for e in theirs.iterall()]


@pytest.mark.parametrize("name", FILES)
def test_walk_and_group_and_slices(name):
    theirs, ours = read_both(name)
    seen_t, seen_o = [], []
    theirs.walk(lambda ds, e: seen_t.append((len(ds), str(e))))
    ours.walk(lambda ds, e: seen_o.append((len(ds), str(e))))
    assert seen_o == seen_t
    seen_t, seen_o = [], []
    theirs.walk(lambda ds, e: seen_t.append(e.tag), recursive=False)
    ours.walk(lambda ds, e: seen_o.append(e.tag), recursive=False)
    assert seen_o == seen_t
    for group in (0x0008, 0x0010, 0x0028, 0x0043, 0x300A):
        assert str(ours.group_dataset(group)) == str(theirs.group_dataset(group))
    for key in (
        slice(0x00080000, 0x00100000),
        slice(0x00080000, 0x00100000, 2),
        slice(None, 0x00100000),
        slice(0x00200000, None),
        slice(None, None, 3),
        slice((0x0008, 0x0000), (0x0020, 0x0000)),
        slice(0x00100000, 0x00080000),
    ):
        assert str(ours[key]) == str(theirs[key])
        assert list(ours[key].keys()) == list(theirs[key].keys())


@pytest.mark.parametrize("name", FILES)
def test_equality_copies_pickle(name):
    theirs, ours = read_both(name)
    other = fastdicom.dcmread(path(name))
    assert ours == other
    assert not ours != other
    deep = copy.deepcopy(ours)
    assert deep == ours and str(deep) == str(ours)
    shallow = copy.copy(ours)
    assert shallow == ours and type(shallow) is FileDataset
    clone = pickle.loads(pickle.dumps(ours))
    assert type(clone) is FileDataset
    assert clone == ours
    assert str(clone) == str(theirs)
    assert clone.filename == ours.filename
    assert clone.file_meta == ours.file_meta
    assert clone.original_encoding == ours.original_encoding
    assert clone.preamble == ours.preamble
    assert [str(e) for e in clone.iterall()] == [str(e) for e in theirs.iterall()]
    assert ours != fastdicom.Dataset()
    assert (ours == 1) is False
    assert ours.__eq__(1) is NotImplemented


def test_pickle_untouched_and_edited():
    ds = fastdicom.dcmread(path("rtplan.dcm"))
    del ds.PatientID
    ds.PatientName = "Edited"
    clone = pickle.loads(pickle.dumps(ds))
    assert "PatientID" not in clone
    assert clone.PatientName == "Edited"
    assert clone.BeamSequence[0].BeamName == "Field 1"
    assert clone == ds
    # the clone is independent
    clone.BeamSequence[0].BeamName = "other"
    assert ds.BeamSequence[0].BeamName == "Field 1"


def test_pickle_dataset_built():
    ds = built(fastdicom)
    clone = pickle.loads(pickle.dumps(ds))
    assert clone == ds
    assert str(clone) == str(built(pydicom))


# -- keyword and tag access --------------------------------------------------------


def test_access_forms_same_element():
    ds = fastdicom.dcmread(path("CT_small.dcm"))
    elem = ds[0x00100010]
    assert ds[0x10, 0x10] is elem
    assert ds[(0x10, 0x10)] is elem
    assert ds["PatientName"] is elem
    assert ds[Tag(0x00100010)] is elem
    assert ds["0x00100010"] is elem
    assert ds.PatientName is elem.value
    assert ds.data_element("PatientName") is elem
    assert ds.data_element("NotAKeyword") is None
    assert ds.get(0x00100010) is elem
    assert ds.get((0x10, 0x10)) is elem
    assert ds.get("PatientName") == "CompressedSamples^CT1"


def test_get_variants():
    same(lambda m: [str(ct(m).get(0x00100010)), ct(m).get("PatientName"), ct(m).get("Nope", 5), ct(m).get(0x99990010, 7), str(ct(m).get((0x10, 0x20)))])
    same(lambda m: ct(m).get("PatientWeight", "default"))
    same(lambda m: ct(m).get(1.5))


def test_missing_keys_errors():
    def run(m):
        ds = m.Dataset()
        out = []
        for key in ["PatientName", 0x00100010, (0x10, 0x10), "Foo", "bad key", 1.5]:
            try:
                ds[key]
            except Exception as exc:
                out.append((type(exc).__name__, str(exc)))
        for op in (
            lambda: ds.PatientName,
            lambda: ds.Foo,
            lambda: delattr(ds, "PatientName"),
            lambda: ds.__delitem__(0x00100010),
            lambda: ds.pop(0x00100010),
            lambda: ds.popitem(),
        ):
            try:
                op()
            except Exception as exc:
                out.append((type(exc).__name__, str(exc)))
        out.append(ds.pop(0x00100010, 3))
        out.append(ds.pop("PatientName", 4))
        return out

    same(run)


def test_contains():
    same(lambda m: [0x00100010 in ct(m), (0x10, 0x10) in ct(m), "PatientName" in ct(m), "Foo" in ct(m), Tag(0x00100010) in ct(m), 0x00100011 in ct(m), "PatientWeight" in ct(m)])


@pytest.mark.parametrize("key", ["invalid", 0x1FFFFFFFF, None, (1, 2, 3)])
def test_contains_invalid_warns(key):
    same(lambda m: key in ct(m))
    ds = fastdicom.Dataset()
    with pytest.warns(UserWarning, match="used with the 'in' operator"):
        assert (key in ds) is False


def test_contains_invalid_key_behaviour_config():
    ds = fastdicom.Dataset()
    old = fastdicom.config.INVALID_KEY_BEHAVIOR
    try:
        fastdicom.config.INVALID_KEY_BEHAVIOR = "RAISE"
        with pytest.raises(ValueError, match="Invalid value 'foo'"):
            "foo" in ds
        fastdicom.config.INVALID_KEY_BEHAVIOR = "IGNORE"
        assert "foo" not in ds
    finally:
        fastdicom.config.INVALID_KEY_BEHAVIOR = old


def test_set_and_del_by_keyword_and_tag():
    def run(m):
        ds = ct(m)
        ds.PatientName = "New^Name"
        ds.PatientWeight = 70
        ds.ImageComments = "a\\b"
        out = [str(ds[0x00100010]), str(ds.PatientWeight), str(ds[0x00204000]), len(ds)]
        del ds.PatientName
        del ds[0x00100020]
        del ds[(0x10, 0x30)]
        del ds["PatientSex"]
        out += [len(ds), "PatientName" in ds, 0x00100020 in ds, ds.dir("patient")]
        return out

    same(run)


def test_setitem_errors():
    def run(m):
        ds = m.Dataset()
        out = []
        elem = m.DataElement(0x00100010, "PN", "x")
        for key, value in [(0x00100020, elem), (0x00100020, "x"), ("bad", elem), (slice(0, 5), elem)]:
            try:
                ds[key] = value
            except Exception as exc:
                out.append((type(exc).__name__, str(exc)))
        ds["PatientName"] = elem
        out.append(str(ds))
        return out

    same(run)


def test_setdefault_pop_popitem():
    def run(m):
        ds = ct(m)
        out = [str(ds.setdefault("PatientName", "y")), str(ds.setdefault(0x00100021, "zz"))]
        out.append(str(ds.setdefault(0x00100022, m.DataElement(0x00100022, "CS", "TEXT"))))
        out.append(str(ds.setdefault(0x00111001, None)))
        out.append(str(ds.pop(0x00100010)))
        out.append(str(ds.pop("PatientID")))
        out.append(ds.pop(0x00100010, "gone"))
        tag, elem = ds.popitem()
        out += [str(tag), str(elem), len(ds)]
        return out

    same(run)
    same(lambda m: str(m.Dataset().setdefault(0x00990001)))


def test_update_clear_len():
    def run(m):
        ds = ct(m)
        ds.update({"PatientName": "U", 0x00100020: m.DataElement(0x00100020, "LO", "id")})
        ds.update(m.Dataset({0x00100030: m.DataElement(0x00100030, "DA", "20000101")}))
        out = [str(ds.PatientName), str(ds.PatientID), str(ds.PatientBirthDate), len(ds)]
        ds.clear()
        out += [len(ds), bool(ds), str(ds), list(ds), list(ds.keys())]
        ds.PatientName = "after clear"
        out += [len(ds), str(ds)]
        return out

    same(run)


def test_camel_case_and_repeater():
    def run(m):
        ds = m.Dataset()
        ds.PatientNam = "x"  # camel case, unknown: warns
        ds.patientname = "y"  # not camel case
        ds.Patient_Name = "z"
        ds.lower_case = 1
        try:
            ds.OverlayData = b""
        except ValueError as exc:
            return str(exc), ds.PatientNam, len(ds)
        return None

    same(run)
    ds = fastdicom.Dataset()
    with pytest.warns(UserWarning, match="Camel case attribute 'PatientNam'"):
        ds.PatientNam = "x"
    assert "PatientNam" not in ds.__dict__.get("_dict", {})
    with pytest.raises(ValueError, match="repeating group"):
        ds.OverlayData = b""


def test_camel_case_config():
    old = fastdicom.config.INVALID_KEYWORD_BEHAVIOR
    try:
        fastdicom.config.INVALID_KEYWORD_BEHAVIOR = "RAISE"
        with pytest.raises(ValueError, match="Camel case"):
            fastdicom.Dataset().PatientNam = 1
        fastdicom.config.INVALID_KEYWORD_BEHAVIOR = "NONE"
        ds = fastdicom.Dataset()
        ds.PatientNam = 1
        assert ds.PatientNam == 1
    finally:
        fastdicom.config.INVALID_KEYWORD_BEHAVIOR = old


def test_add_add_new_and_built_dataset():
    def run(m):
        ds = built(m)
        ds.add(m.DataElement(0x00100030, "DA", "20200101"))
        return str(ds), ds.dir(), len(ds), [str(e) for e in ds.iterall()]

    same(run)


# -- private elements ----------------------------------------------------------


def test_private_blocks_read():
    def run(m):
        ds = ct(m)
        block = ds.private_block(0x43, "GEMS_PARM_01")
        return (
            ds.private_creators(0x43),
            ds.private_creators(0x09),
            str(ds.get_private_item(0x43, 0x29, "GEMS_PARM_01")),
            str(block[0x29]),
            0x29 in block,
            0x01 in block,
            block.block_start,
            str(block.get_tag(0x29)),
        )

    same(run)


def test_private_block_errors_and_create():
    def run(m):
        ds = ct(m)
        out = []
        for args in [(0x43, "NOPE"), (0x44, "X"), (0x43, ""), (0x45, "NEW", True), (0x45, "NEW")]:
            try:
                b = ds.private_block(*args)
                out.append((b.group, b.private_creator, b.block_start))
            except Exception as exc:
                out.append((type(exc).__name__, str(exc)))
        try:
            ds.private_creators(0x42)
        except Exception as exc:
            out.append((type(exc).__name__, str(exc)))
        try:
            ds.private_block(0x43, "GEMS_PARM_01").get_tag(0x100)
        except Exception as exc:
            out.append((type(exc).__name__, str(exc)))
        ds.add_new_private("NEW", 0x43, 1, "abc", "LO")
        ds.add_new_private("ACUSON", 0x9, 0x20, "abc")
        out += [str(ds[0x00430011]), str(ds[0x00431101]), str(ds.group_dataset(9))]
        try:
            ds.add_new_private("NOTKNOWN", 0x9, 0x20, "abc")
        except Exception as exc:
            out.append((type(exc).__name__, str(exc)))
        block = ds.private_block(0x45, "NEW")
        block.add_new(0x05, "SH", "five")
        out.append(str(ds[0x00451005]))
        del block[0x05]
        out.append(0x05 in block)
        return out

    same(run)


def test_private_creator_deleted_then_block():
    def run(m):
        ds = ct(m)
        del ds[0x00430010]
        try:
            ds.private_block(0x43, "GEMS_PARM_01")
        except KeyError as exc:
            return str(exc), str(ds[0x00431029].name)
        return None

    same(run)

    def cached(m):
        ds = ct(m)
        ds.private_block(0x43, "GEMS_PARM_01")
        del ds[0x00430010]
        try:
            return ds.private_block(0x43, "GEMS_PARM_01").block_start
        except KeyError as exc:
            return str(exc)

    same(cached)


@pytest.mark.parametrize("name", ["CT_small.dcm", "nested_priv_SQ.dcm", "priv_SQ.dcm", "rtplan.dcm"])
def test_remove_private_tags(name):
    theirs, ours = read_both(name)
    theirs.remove_private_tags()
    ours.remove_private_tags()
    assert str(ours) == str(theirs)
    assert not any(e.tag.is_private for e in ours.iterall())


def test_remove_private_tags_nested_built():
    ds = built(fastdicom)
    ds.remove_private_tags()
    assert 0x00110010 not in ds and 0x00111001 not in ds
    assert 0x00130010 not in ds.BeamSequence[0]
    assert ds.BeamSequence[0].BeamName == "Beam 1"


def test_private_creator_on_read_elements():
    same(lambda m: [(str(e.tag), e.private_creator, e.name) for e in m.dcmread(path("nested_priv_SQ.dcm")).iterall()])


# -- copies ----------------------------------------------------------------


def test_deepcopy_independent():
    def run(m):
        ds = rtplan(m)
        clone = copy.deepcopy(ds)
        clone.PatientName = "Changed"
        clone.BeamSequence[0].BeamName = "Z"
        clone.BeamSequence[0].ControlPointSequence[0].GantryAngle = 5
        del clone.BeamSequence[1]
        del clone[0x00080016]
        return (
            str(ds.PatientName),
            str(ds.BeamSequence[0].BeamName),
            str(ds.BeamSequence[0].ControlPointSequence[0].GantryAngle),
            len(ds.BeamSequence),
            0x00080016 in ds,
            ds == clone,
            str(clone.BeamSequence[0].ControlPointSequence[0].GantryAngle),
            clone.filename == ds.filename,
        )

    same(run)


def test_deepcopy_untouched_then_touch_both():
    ds = fastdicom.dcmread(path("rtplan.dcm"))
    clone = copy.deepcopy(ds)
    clone.BeamSequence[0].BeamName = "copy"
    assert ds.BeamSequence[0].BeamName == "Field 1"
    assert ds.BeamSequence[0] is not clone.BeamSequence[0]


def test_shallow_copy_shares_elements():
    ds = fastdicom.dcmread(path("rtplan.dcm"))
    elem = ds["PatientName"]
    shallow = copy.copy(ds)
    assert shallow["PatientName"] is elem
    assert ds.copy() == ds


def test_deepcopy_built():
    ds = built(fastdicom)
    clone = copy.deepcopy(ds)
    assert clone == ds
    clone.BeamSequence[0].BeamName = "other"
    assert ds.BeamSequence[0].BeamName == "Beam 1"
    assert ds != clone


# -- lazy store interleavings ------------------------------------------------------


def test_delete_untouched_then_iterate():
    def run(m):
        ds = ct(m)
        n0 = len(ds)
        del ds[0x00100010]
        del ds.PatientID
        return n0, len(ds), [str(e.tag) for e in ds], 0x00100010 in ds, "PatientName" in ds, ds.get("PatientName", "gone")

    same(run)


def test_set_then_delete_then_set():
    def run(m):
        ds = ct(m)
        out = [len(ds)]
        ds.PatientName = "X"
        out.append(len(ds))
        del ds.PatientName
        out += [len(ds), "PatientName" in ds, ds.get("PatientName", "dflt")]
        ds.PatientName = "Y"
        out += [len(ds), str(ds.PatientName), [str(e.tag) for e in ds][:20]]
        ds.PatientWeight = 50  # new element
        out.append(len(ds))
        del ds.PatientWeight
        out.append(len(ds))
        return out

    same(run)


def test_touch_edit_iterate():
    def run(m):
        ds = ct(m)
        elem = ds[0x00100010]
        elem.value = "Edited"
        ds.PatientID = "pid"
        ds[0x00280030].value = [1, 2]
        return str(ds), len(ds), [str(e) for e in ds if e.tag.group == 0x10]

    same(run)


def test_delete_slices():
    same(lambda m: (lambda ds: (ds.__delitem__(slice(0x00080000, 0x00100000)), len(ds), str(ds))[1:])(ct(m)))
    same(lambda m: (lambda ds: (ds.__delitem__(slice(0x00080000, 0x00100000, 2)), len(ds), str(ds))[1:])(ct(m)))
    same(lambda m: (lambda ds: (ds.__delitem__(slice(None, None)), len(ds), str(ds))[1:])(rtplan(m)))

    def touched(m):
        ds = ct(m)
        ds.PatientName = "x"
        ds.StudyDate
        del ds[0x00080000:0x00200000]
        return len(ds), str(ds)

    same(touched)


def test_slice_of_lazy_dataset_converts():
    def run(m):
        ds = rtplan(m)
        part = ds[0x300A0000:0x300B0000]
        return (
            [str(e) for e in part],
            str(part.BeamSequence[0].BeamName),
            part.original_encoding,
            part.original_character_set,
            len(part),
            str(part),
        )

    same(run)
    ds = fastdicom.dcmread(path("rtplan.dcm"))
    part = ds[0x300A0000:0x300B0000]
    # the slice shares the unconverted elements: converting in the slice works
    assert part.BeamSequence[0].BeamName == "Field 1"


def test_len_after_each_operation():
    ours = fastdicom.dcmread(path("CT_small.dcm"))
    theirs = pydicom.dcmread(path("CT_small.dcm"))
    for op in (
        lambda d: d.__delitem__(0x00080005),
        lambda d: setattr(d, "PatientWeight", 5),
        lambda d: d.pop(0x00080008),
        lambda d: d.setdefault(0x00100021, "x"),
        lambda d: d.__getitem__(0x00100010),
        lambda d: delattr(d, "PatientWeight"),
        lambda d: d.popitem(),
        lambda d: d.add_new(0x00091099, "LO", "p"),
    ):
        op(ours)
        op(theirs)
        assert len(ours) == len(theirs)
        assert list(ours.keys()) == list(theirs.keys())


def test_iteration_after_delete_in_sequence_item():
    def run(m):
        ds = rtplan(m)
        item = ds.BeamSequence[0]
        del item.BeamName
        del item[0x300A00C0]
        return len(item), [str(e.tag) for e in item], str(ds.BeamSequence[0])

    same(run)


# -- encoding properties, file meta ---------------------------------------------------


@pytest.mark.parametrize("name", FILES)
def test_encoding_properties(name):
    def run(m):
        ds = m.dcmread(path(name))
        items = [i for e in ds.iterall() if e.VR == "SQ" for i in e.value]
        return (
            ds.original_encoding,
            ds.read_implicit_vr,
            ds.read_little_endian,
            ds.original_character_set,
            ds.is_implicit_VR,
            ds.is_little_endian,
            ds.is_original_encoding,
            [(i.original_encoding, i.original_character_set, i.is_little_endian, i.is_implicit_VR, i._character_set) for i in items],
            ds.file_meta.original_encoding,
        )

    same(run)


def test_new_dataset_encoding():
    same(lambda m: (m.Dataset().original_encoding, m.Dataset().read_implicit_vr, m.Dataset().read_little_endian, m.Dataset().original_character_set, m.Dataset().is_little_endian))


def test_is_implicit_little_deprecated_on_set():
    ds = fastdicom.Dataset()
    with pytest.warns(DeprecationWarning, match="'Dataset.is_implicit_VR' will be removed in v4.0"):
        ds.is_implicit_VR = True
    with pytest.warns(DeprecationWarning, match="'Dataset.is_little_endian' will be removed in v4.0"):
        ds.is_little_endian = False
    assert ds.is_implicit_VR is True
    assert ds.is_little_endian is False
    same(lambda m: (lambda d: (setattr(d, "is_implicit_VR", False), setattr(d, "is_little_endian", True), d.is_implicit_VR, d.is_little_endian))(m.Dataset()))


def test_decode():
    same(lambda m: (lambda d: (d.decode(), str(d))[1])(ct(m)))
    same(lambda m: (lambda d: (d.decode(), str(d))[1])(rtplan(m)))


def test_file_meta_assignment():
    def run(m):
        ds = m.Dataset()
        out = [getattr(ds, "file_meta", "none")]
        ds.ensure_file_meta()
        out += [type(ds.file_meta).__name__, len(ds.file_meta)]
        try:
            ds.file_meta = 5
        except Exception as exc:
            out.append((type(exc).__name__, str(exc)))
        meta = m.Dataset()
        meta.TransferSyntaxUID = "1.2.840.10008.1.2"
        ds.file_meta = meta
        out += [type(ds.file_meta).__name__, str(ds.file_meta.TransferSyntaxUID)]
        bad = m.Dataset()
        bad.PatientName = "a"
        try:
            ds.file_meta = bad
        except Exception as exc:
            out.append((type(exc).__name__, str(exc)))
        try:
            ds.file_meta.PatientName = "a"
        except Exception as exc:
            out.append((type(exc).__name__, str(exc)))
        try:
            m.FileMetaDataset({0x00100010: m.DataElement(0x00100010, "PN", "x")})
        except Exception as exc:
            out.append((type(exc).__name__, str(exc)))
        ds.file_meta = None
        out.append(ds.file_meta)
        return out

    same(run)


def test_file_meta_of_read_file():
    theirs, ours = read_both("CT_small.dcm")
    assert type(ours.file_meta) is FileMetaDataset
    assert str(ours.file_meta) == str(theirs.file_meta)
    ours.ensure_file_meta()
    assert len(ours.file_meta) == len(theirs.file_meta)


def test_dataset_init_from_dict_and_dataset():
    elem = DataElement(0x00100010, "PN", "x")
    ds = Dataset({0x00100010: elem})
    assert ds.PatientName == "x"
    again = Dataset(ds)
    assert again == ds
    assert isinstance(built(fastdicom).BeamSequence, Sequence)


def test_sequence_items_parent_charset():
    for name in ("rtplan.dcm", "liver_1frame.dcm", "examples_overlay.dcm"):
        def run(m, name=name):
            ds = m.dcmread(path(name))
            return [
                (i._parent_encoding, i.original_character_set)
                for e in ds.iterall()
                if e.VR == "SQ"
                for i in e.value
            ]

        same(run)


def test_keys_values_items_insertion_order_like_pydicom():
    def run(m):
        ds = ct(m)
        ds.setdefault(0x00100021, "x")  # new: goes last
        ds.PatientName = "edited"  # existing: keeps its place
        del ds[0x00100020]
        ds.PatientID = "re-added"  # deleted then set: goes last
        ds[0x00280030]  # converting keeps the place
        out = [list(ds.keys()), [str(t) for t, _ in ds.items()], [str(e.tag) for e in ds.values()]]
        out.append([str(e.tag) for e in ds])  # iteration stays in tag order
        tag, _ = ds.popitem()  # the last inserted
        out += [str(tag), list(ds.keys())[-3:]]
        return out

    same(run)

    def built_order(m):
        ds = m.Dataset()
        ds.PatientID = "b"
        ds.Modality = "CT"
        ds.PatientName = "a"
        del ds.Modality
        ds.Modality = "MR"
        return list(ds.keys()), [e.tag for e in ds], str(ds.popitem()[0])

    same(built_order)


def test_read_encoding_deprecated():
    theirs, ours = read_both("CT_small.dcm")
    with pytest.warns(DeprecationWarning, match="'FileDataset.read_implicit_vr' will be removed"):
        assert ours.read_implicit_vr is False
    with pytest.warns(DeprecationWarning, match="'FileDataset.read_little_endian' will be removed"):
        assert ours.read_little_endian is True
    with pytest.warns(DeprecationWarning, match="'FileDataset.read_encoding' will be removed"):
        assert ours.read_encoding == ours.original_character_set
    with pytest.warns(DeprecationWarning, match="read_encoding"):
        ours.read_encoding = "utf8"
    assert ours.original_character_set == "utf8"
    same(lambda m: (ct(m).read_implicit_vr, ct(m).read_little_endian, ct(m).read_encoding))


def test_update_raw_element_before_conversion():
    ds = fastdicom.dcmread(path("CT_small.dcm"))
    ds.update_raw_element("PatientName", vr="LO", value=b"Fixed^Name")
    assert ds["PatientName"].VR == "LO"
    assert ds.PatientName == "Fixed^Name"
    with pytest.raises(TypeError, match="has already been converted"):
        ds.update_raw_element("PatientName", vr="PN")
    with pytest.raises(KeyError, match=r"No element with tag \(0008,0094\)"):
        ds.update_raw_element("ReferringPhysicianTelephoneNumbers", vr="SH")
    with pytest.raises(ValueError, match="Invalid VR value 'XX'"):
        ds.update_raw_element("PatientID", vr="XX")
    with pytest.raises(TypeError, match="'value' must be bytes, not 'int'"):
        ds.update_raw_element("PatientID", value=1)


def test_get_item_reads_deferred_elements():
    ds = fastdicom.dcmread(path("MR_small.dcm"), defer_size=1024)
    raw = ds.get_item("PixelData", keep_deferred=True)
    assert raw.is_raw and raw.value is None
    elem = ds.get_item("PixelData")
    assert isinstance(elem, DataElement) and len(elem.value) == 8192


def test_future_behavior_removes_deprecated_attributes(monkeypatch):
    monkeypatch.setattr(fastdicom.config, "_use_future", True)
    ds = Dataset()
    assert "_is_little_endian" not in ds.__dict__
    for name in ("is_little_endian", "is_implicit_VR", "read_encoding", "read_implicit_vr", "read_little_endian"):
        with pytest.raises(AttributeError, match=f"'Dataset' object has no attribute '{name}'"):
            getattr(ds, name)
    with pytest.raises(AttributeError, match="convert_pixel_data"):
        ds.convert_pixel_data()
    ds._read_charset = "iso8859"
    assert ds.is_original_encoding  # only the character set is compared


def test_file_meta_checks_its_argument_first():
    with pytest.raises(TypeError):
        FileMetaDataset(["1", "2"])
    assert len(FileMetaDataset(None)) == 0
    ds = Dataset()
    ds.PatientID = "1"
    with pytest.raises(ValueError, match=r"Only File Meta Information group \(0002,eeee\)"):
        fastdicom.dataset.validate_file_meta(ds)


def test_numpy_array_of_datasets():
    numpy = pytest.importorskip("numpy")
    ds = fastdicom.dcmread(path("CT_small.dcm"))
    arr = numpy.array([ds, ds])
    assert arr.shape == (2,) and arr.dtype == object
    assert arr[0] is ds


def test_reading_a_sequence_records_pixel_representation():
    ds = Dataset()
    ds.PixelRepresentation = 1
    ds.BeamSequence = [Dataset()]
    buffer = __import__("io").BytesIO()
    ds.save_as(buffer, implicit_vr=True)
    read = fastdicom.dcmread(buffer, force=True)
    assert "_pixel_rep" not in read.__dict__
    assert len(read.BeamSequence) == 1  # first touch converts the sequence
    assert read._pixel_rep == 1
    assert read.BeamSequence[0]._pixel_rep == 1


@pytest.mark.parametrize("parent", [None, 1])
def test_item_pixel_representation_as_pydicom(parent):
    def run(m):
        ds = m.Dataset()
        ds.PixelRepresentation = parent
        ds.ModalityLUTSequence = [m.Dataset(), m.Dataset()]
        ds.ModalityLUTSequence[0].PixelRepresentation = 0
        ds.ModalityLUTSequence[0].LUTDescriptor = [0, 0, 16]
        buffer = __import__("io").BytesIO()
        ds.save_as(buffer, implicit_vr=True)
        read = m.dcmread(buffer, force=True)
        items = read.ModalityLUTSequence
        return (
            read.__dict__.get("_pixel_rep"),
            [item.__dict__.get("_pixel_rep") for item in items],
            items[0][0x00283002].VR,
        )

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        assert run(fastdicom) == run(pydicom)
