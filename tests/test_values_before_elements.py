"""Values read by keyword are kept without their element (issue 8, "values
before elements"), mutable ones (lists of values, sequences) too.

A list read by keyword and edited in place is not the bytes read any more:
the element is made when code asks for it, always around the same value
object, and a writer makes the elements of such values before it copies the
bytes of untouched elements. These tests edit values in place and check
what is written, copied, pickled and seen by threads against pydicom.
"""

import copy
import io
import pickle
import threading

import pydicom
import pytest
from pydicom.data import get_testdata_file

import fastdicom
from fastdicom.multival import MultiValue
from fastdicom.sequence import Sequence

CT = get_testdata_file("CT_small.dcm")
IMPLICIT = get_testdata_file("MR_small_implicit.dcm")
RTPLAN = get_testdata_file("rtplan.dcm")  # implicit VR, nested sequences


def _written(ds) -> bytes:
    out = io.BytesIO()
    ds.save_as(out)
    return out.getvalue()


@pytest.mark.parametrize("path", [CT, IMPLICIT])
def test_a_list_read_by_keyword_has_no_element_until_asked(path):
    ds = fastdicom.dcmread(path)
    position = ds.ImagePositionPatient
    assert isinstance(position, MultiValue)
    store = ds._dict
    assert 0x00200032 not in store._done  # the value alone
    assert ds.ImagePositionPatient is position
    elem = ds["ImagePositionPatient"]
    assert elem.value is position and elem.VR == "DS" and elem.VM == 3
    assert ds.ImagePositionPatient is position
    theirs = pydicom.dcmread(path)["ImagePositionPatient"]
    assert (elem.file_tell, elem.is_undefined_length) == (theirs.file_tell, theirs.is_undefined_length)


@pytest.mark.parametrize("path", [CT, IMPLICIT])
def test_an_edit_in_place_is_written(path):
    ds = fastdicom.dcmread(path)
    ds.ImagePositionPatient[0] = "-1.5"
    ds.PixelSpacing.append("2")  # VM 2 -> 3: a longer value
    again = fastdicom.dcmread(io.BytesIO(_written(ds)))
    assert [str(v) for v in again.ImagePositionPatient][0] == "-1.5"
    assert len(again.PixelSpacing) == 3
    # pydicom reads what was written, and wrote the same from the same edit
    theirs = pydicom.dcmread(path)
    theirs.ImagePositionPatient[0] = "-1.5"
    theirs.PixelSpacing.append("2")
    ours = pydicom.dcmread(io.BytesIO(_written(ds)))
    assert ours.ImagePositionPatient == theirs.ImagePositionPatient
    assert ours.PixelSpacing == theirs.PixelSpacing
    # untouched, a value read by keyword writes the bytes read
    plain = fastdicom.dcmread(path)
    plain.ImagePositionPatient, plain.PixelSpacing
    assert _written(plain) == _written(fastdicom.dcmread(path))


def test_a_sequence_read_by_keyword_and_its_items_edited_in_place():
    ds = fastdicom.dcmread(RTPLAN)
    beams = ds.BeamSequence
    assert isinstance(beams, Sequence)
    assert 0x300A00B0 not in ds._dict._done
    beams[0].BeamName = "Edited"
    beams[0].ControlPointSequence[0].NominalBeamEnergy = 7
    elem = ds["BeamSequence"]
    assert elem.value is beams
    theirs = pydicom.dcmread(RTPLAN)["BeamSequence"]
    assert (elem.VR, elem.is_undefined_length, elem.file_tell) == (
        "SQ", theirs.is_undefined_length, theirs.file_tell)
    again = pydicom.dcmread(io.BytesIO(_written(ds)))
    assert again.BeamSequence[0].BeamName == "Edited"
    assert again.BeamSequence[0].ControlPointSequence[0].NominalBeamEnergy == 7
    original = pydicom.dcmread(RTPLAN)
    assert again.BeamSequence[0].ControlPointSequence[1] == original.BeamSequence[0].ControlPointSequence[1]
    assert again.FractionGroupSequence == original.FractionGroupSequence


def test_an_undefined_length_sequence_keeps_its_length_as_read(tmp_path):
    # the element made from the value has the length the record had
    theirs = pydicom.dcmread(CT)
    theirs.ReferencedImageSequence = pydicom.Sequence([pydicom.Dataset()])
    theirs.ReferencedImageSequence[0].ReferencedSOPInstanceUID = "1.2.3"
    theirs["ReferencedImageSequence"].is_undefined_length = True
    path = tmp_path / "undefined.dcm"
    theirs.save_as(path)
    ds = fastdicom.dcmread(path)
    assert ds.ReferencedImageSequence[0].ReferencedSOPInstanceUID == "1.2.3"
    assert ds["ReferencedImageSequence"].is_undefined_length is True
    assert pydicom.dcmread(path)["ReferencedImageSequence"].is_undefined_length is True


def test_copies_and_pickles_do_not_share_an_edited_list():
    ds = fastdicom.dcmread(CT)
    position = ds.ImagePositionPatient
    clone = copy.deepcopy(ds)
    clone.ImagePositionPatient[0] = "5"
    assert str(ds.ImagePositionPatient[0]) == str(position[0]) != "5"
    assert str(clone.ImagePositionPatient[0]) == "5"
    ds.ImagePositionPatient[1] = "6"
    restored = pickle.loads(pickle.dumps(ds))
    assert str(restored.ImagePositionPatient[1]) == "6"
    assert restored.ImagePositionPatient == ds.ImagePositionPatient


def test_threads_share_one_list_and_one_element():
    for _ in range(20):
        ds = fastdicom.dcmread(CT, stop_before_pixels=True)
        barrier = threading.Barrier(4)
        got = []

        def read():
            barrier.wait()
            value = ds.ImagePositionPatient
            got.append((value, ds["ImagePositionPatient"]))

        threads = [threading.Thread(target=read) for _ in range(4)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        values = {id(value) for value, _ in got}
        elements = {id(elem) for _, elem in got}
        assert len(values) == 1 and len(elements) == 1
        assert got[0][1].value is got[0][0]
