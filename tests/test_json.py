"""The DICOM JSON Model (PS3.18 Annex F), differential against pydicom 3.0.2.

* every file of pydicom's test data (and pydicom-data's charset files) that
  both libraries read gives the same ``to_json_dict()`` / ``to_json()``, with
  the default threshold, with a bulk data handler and with a tiny threshold;
  where pydicom cannot convert a file, fastdicom raises the same exception
  type;
* pydicom's JSON of each file, read back with ``Dataset.from_json`` (with no
  bulk data URI handler, a one-argument and a three-argument one), gives
  datasets equal element by element (tag, VR, value, value type) and with
  the same ``str()``; so does fastdicom's own JSON;
* pydicom's JSON test files and a set of hand-written attributes (errors,
  warnings, PN groups, AT, IS/DS as numbers, InlineBinary, BulkDataURI,
  nested sequences) behave the same in both libraries.
"""

from __future__ import annotations

import base64
import enum
import json
import math
import os
import subprocess
import sys
import warnings

import pydicom
import pytest
from pydicom.data import get_charset_files, get_testdata_file, get_testdata_files

import fastdicom
from differential import KNOWN_DIFFERENCES, first_difference
from fastdicom import jsonrep

# The known reading differences (differential.KNOWN_DIFFERENCES) have a test
# of their own below; the JSON of every other file is compared.
FILES = sorted(
    p
    for p in set(get_testdata_files()) | set(get_charset_files())
    if os.path.isfile(p) and os.path.basename(p) not in KNOWN_DIFFERENCES
)


# -- helpers -------------------------------------------------------------------


def quietly(fn, *args, **kwargs):
    """fn(*args, **kwargs) with warnings ignored; (result, exception)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            return fn(*args, **kwargs), None
        except Exception as exc:  # noqa: BLE001 - compared between libraries
            return None, exc


def outcome(fn):
    """The result of fn(), or the exception type and message, with warnings."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            result = fn()
        except Exception as exc:  # noqa: BLE001 - compared between libraries
            result = ("raised", type(exc).__name__, str(exc))
    return result, [(w.category.__name__, str(w.message)) for w in caught]


def read_pair(path):
    """The file read by pydicom and by fastdicom, or skip.

    A file pydicom reads only with force=True is read with force=True by
    both.
    """
    theirs, error = quietly(pydicom.dcmread, path)
    force = False
    if error is not None:
        force = True
        theirs, error = quietly(pydicom.dcmread, path, force=True)
        assert error is None, f"pydicom cannot read {path} even with force=True"
    ours, our_error = quietly(fastdicom.dcmread, path, force=force)
    assert our_error is None, f"pydicom reads it, fastdicom raises {our_error!r}"
    return theirs, ours


def json_equal(ours, theirs, where="$"):
    """Assert two JSON-model structures are equal, with the same value types
    (by name), NaN equal to NaN."""
    if isinstance(theirs, enum.Enum):
        # pydicom keeps some VRs read from files as its str-based VR enum
        # (json.dumps writes its value); fastdicom's are plain str
        theirs = theirs.value
    if isinstance(ours, enum.Enum):
        ours = ours.value
    assert type(ours).__name__ == type(theirs).__name__, f"{where}: {ours!r} != {theirs!r}"
    if isinstance(theirs, dict):
        assert list(ours) == list(theirs), f"{where}: keys {list(ours)} != {list(theirs)}"
        for key in theirs:
            json_equal(ours[key], theirs[key], f"{where}.{key}")
    elif isinstance(theirs, list):
        assert len(ours) == len(theirs), f"{where}: {len(ours)} values != {len(theirs)}"
        for index, (mine, other) in enumerate(zip(ours, theirs)):
            json_equal(mine, other, f"{where}[{index}]")
    elif isinstance(theirs, float) and math.isnan(theirs):
        assert math.isnan(ours), where
    else:
        assert ours == theirs, f"{where}: {ours!r} != {theirs!r}"


def uri_for(elem):
    return f"https://wado.example/bulk/{int(elem.tag):08X}/{elem.VR}"


def uri_only(uri):
    return b"\x01\x02" + uri.encode()[-6:]


def tag_vr_uri(tag, vr, uri):
    if vr in ("OB", "OW", "UN", "OF", "OD", "OL", "OV"):
        return (tag + vr).encode()
    return None


# `to_json_dict` keyword sets
DUMP_VARIANTS = {
    "default": {},
    "handler": {"bulk_data_element_handler": uri_for},
    "handler_threshold_8": {"bulk_data_element_handler": uri_for, "bulk_data_threshold": 8},
    "threshold_only": {"bulk_data_threshold": 0},
}
URI_HANDLERS = {"none": None, "uri_only": uri_only, "tag_vr_uri": tag_vr_uri}


def test_the_oracle_data_is_installed():
    assert len(FILES) > 250
    assert get_testdata_file("test1.json") and get_testdata_file("test_PN.json")


# -- every test file: to JSON --------------------------------------------------


@pytest.mark.parametrize("variant", DUMP_VARIANTS)
@pytest.mark.parametrize("path", FILES, ids=os.path.basename)
def test_to_json_dict_same_as_pydicom(path, variant):
    theirs, ours = read_pair(path)
    kwargs = DUMP_VARIANTS[variant]
    their_json, their_error = quietly(theirs.to_json_dict, **kwargs)
    our_json, our_error = quietly(ours.to_json_dict, **kwargs)
    if their_error is not None:
        assert our_error is not None, f"pydicom raises {their_error!r}, fastdicom does not"
        assert type(our_error) is type(their_error), (our_error, their_error)
        return
    assert our_error is None, f"fastdicom raises {our_error!r}"
    assert our_json, "an empty dataset: nothing compared"
    json_equal(our_json, their_json)
    if variant == "default":
        # and the text, with pydicom's default dump (sorted keys)
        assert quietly(ours.to_json)[0] == quietly(theirs.to_json)[0]


# suppress_invalid_tags reads values strictly. fastdicom scans sequence items
# when they are first touched, and in strict mode a value the file cuts short
# is an error (DicomTruncatedError); pydicom silently takes the short value.
# So here fastdicom leaves out the sequence holding the truncated value.
SUPPRESSED_DIFFERENTLY = {"rtplan_truncated.dcm": ["300A00B0"]}


@pytest.mark.parametrize("path", FILES, ids=os.path.basename)
def test_to_json_suppress_invalid_tags_same_as_pydicom(path):
    theirs, ours = read_pair(path)
    their_json, their_error = quietly(theirs.to_json_dict, suppress_invalid_tags=True)
    our_json, our_error = quietly(ours.to_json_dict, suppress_invalid_tags=True)
    assert type(our_error) is type(their_error)
    if their_error is None:
        for key in SUPPRESSED_DIFFERENTLY.get(os.path.basename(path), []):
            assert key in their_json and key not in our_json
            del their_json[key]
        json_equal(our_json, their_json)


def test_bad_vr_file_raises_then_is_suppressed():
    path = get_testdata_file("badVR.dcm")
    theirs, ours = read_pair(path)
    with pytest.raises(ValueError) as their_exc:
        quiet_call(theirs.to_json_dict)
    with pytest.raises(ValueError) as our_exc:
        quiet_call(ours.to_json_dict)
    assert str(our_exc.value) == str(their_exc.value)
    their_json = quiet_call(theirs.to_json_dict, suppress_invalid_tags=True)
    our_json = quiet_call(ours.to_json_dict, suppress_invalid_tags=True)
    json_equal(our_json, their_json)
    # the invalid IS (0028,0008) and UI (300C,0002) values are left out
    left_out = {key for key in ours.keys() if f"{key:08X}" not in our_json}
    assert left_out == {0x00280008, 0x300C0002}


def quiet_call(fn, *args, **kwargs):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return fn(*args, **kwargs)


# -- every test file: from JSON ------------------------------------------------


def assert_same_datasets(ours, theirs):
    assert type(ours).__name__ == type(theirs).__name__
    found = first_difference(ours, theirs)
    assert found is None, found
    assert str(ours) == str(theirs)


@pytest.mark.parametrize("handler", URI_HANDLERS)
@pytest.mark.parametrize("path", FILES, ids=os.path.basename)
def test_from_json_same_as_pydicom(path, handler):
    theirs, ours = read_pair(path)
    uri_handler = URI_HANDLERS[handler]
    compared = 0
    for kwargs in ({}, {"bulk_data_element_handler": uri_for}):
        text, error = quietly(theirs.to_json, **kwargs)
        if error is not None:
            continue  # pydicom cannot write it: see the to_json tests
        for source in (text, json.loads(text)):
            their_ds, their_error = quietly(pydicom.Dataset.from_json, source, uri_handler)
            our_ds, our_error = quietly(fastdicom.Dataset.from_json, source, uri_handler)
            if their_error is not None:
                assert type(our_error) is type(their_error), (our_error, their_error)
                continue
            assert our_error is None, f"fastdicom raises {our_error!r}"
            assert_same_datasets(our_ds, their_ds)
            compared += 1
        # fastdicom's own JSON reads back as pydicom's does
        our_text, _ = quietly(ours.to_json, **kwargs)
        our_ds, our_error = quietly(fastdicom.Dataset.from_json, our_text, uri_handler)
        their_ds, their_error = quietly(pydicom.Dataset.from_json, text, uri_handler)
        assert type(our_error) is type(their_error)
        if their_error is None:
            assert_same_datasets(our_ds, their_ds)
            # and back to the same JSON
            json_equal(
                quietly(our_ds.to_json_dict, **kwargs)[0],
                quietly(their_ds.to_json_dict, **kwargs)[0],
            )
    if compared == 0:
        assert quietly(theirs.to_json)[1] is not None


def test_from_json_warnings_same_as_pydicom():
    # BulkDataURI without a handler warns once per element, as pydicom does
    theirs, ours = read_pair(get_testdata_file("CT_small.dcm"))
    text = quiet_call(theirs.to_json, bulk_data_element_handler=uri_for, bulk_data_threshold=8)
    their = outcome(lambda: str(pydicom.Dataset.from_json(text)))
    our = outcome(lambda: str(fastdicom.Dataset.from_json(text)))
    assert our == their
    assert any("No bulk data URI handler" in message for _, message in our[1])


# -- pydicom's JSON test files -------------------------------------------------


@pytest.mark.parametrize("name", ["test1.json", "test_PN.json"])
@pytest.mark.parametrize("handler", URI_HANDLERS)
def test_pydicom_json_files(name, handler):
    with open(get_testdata_file(name), "rb") as f:
        data = f.read()
    uri_handler = URI_HANDLERS[handler]
    for source in (data, data.decode(), bytearray(data), json.loads(data)):
        their = outcome(lambda: pydicom.Dataset.from_json(source, uri_handler))
        our = outcome(lambda: fastdicom.Dataset.from_json(source, uri_handler))
        assert our[1] == their[1]
        assert_same_datasets(our[0], their[0])
        json_equal(quiet_call(our[0].to_json_dict), quiet_call(their[0].to_json_dict))
        assert quiet_call(our[0].to_json) == quiet_call(their[0].to_json)


def test_pn_json_groups():
    data = {
        "00100010": {
            "vr": "PN",
            "Value": [
                {"Alphabetic": "Yamada^Tarou", "Ideographic": "山田^太郎", "Phonetic": "やまだ^たろう"}
            ],
        }
    }
    ds = fastdicom.Dataset.from_json(data)
    assert ds.PatientName == "Yamada^Tarou=山田^太郎=やまだ^たろう"
    assert ds.PatientName.ideographic == "山田^太郎"
    assert ds.to_json_dict() == data
    with open(get_testdata_file("test_PN.json"), "rb") as f:
        ds = fastdicom.Dataset.from_json(f.read())
    assert ds.PatientName == "Prostate^Volunteer"
    assert ds.ReferringPhysicianName == ""


def test_test1_json_values():
    with open(get_testdata_file("test1.json"), "rb") as f:
        data = f.read()
    ours = quiet_call(fastdicom.Dataset.from_json, data, uri_only)
    theirs = quiet_call(pydicom.Dataset.from_json, data, uri_only)
    assert isinstance(ours, fastdicom.Dataset) and len(ours) > 10
    assert ours.to_json_dict() == theirs.to_json_dict()


# -- hand-written attributes ---------------------------------------------------

ITEM = {
    "00100010": {"vr": "PN", "Value": [{"Alphabetic": "Inner^Name"}]},
    "00081150": {"vr": "UI", "Value": ["1.2.840.10008.5.1.4.1.1.2"]},
    "00200013": {"vr": "IS"},
    "00081160": {"vr": "IS", "Value": [1, "2", None]},
}

JSON_CASES = {
    "empty": {},
    "all_empty_vrs": {
        f"0009{i:04X}": {"vr": vr}
        for i, vr in enumerate(
            ["AE", "AS", "AT", "CS", "DA", "DS", "DT", "FL", "FD", "IS", "LO", "LT", "OB",
             "OD", "OF", "OL", "OV", "OW", "PN", "SH", "SL", "SQ", "SS", "ST", "SV", "TM",
             "UC", "UI", "UL", "UN", "UR", "US", "UT", "UV"],
            start=0x1000,
        )
    },
    "empty_value_lists": {
        "00100010": {"vr": "PN", "Value": []},
        "00200032": {"vr": "DS", "Value": []},
        "00080060": {"vr": "CS", "Value": []},
        "300A00B0": {"vr": "SQ", "Value": []},
    },
    "numbers": {
        "00200032": {"vr": "DS", "Value": [1, 2.5, "-3.25"]},
        "00180050": {"vr": "DS", "Value": ["1.5"]},
        "00200013": {"vr": "IS", "Value": ["7"]},
        "00281050": {"vr": "DS", "Value": [40, None]},
        "00280010": {"vr": "US", "Value": [512]},
        "00280106": {"vr": "US", "Value": [0]},
        "00189219": {"vr": "FD", "Value": [1]},
        "00189220": {"vr": "FL", "Value": [1, 2]},
        "00186020": {"vr": "SL", "Value": [-5]},
        "00720066": {"vr": "SV", "Value": [2**40]},
        "00720068": {"vr": "UV", "Value": [2**63]},
        "00283002": {"vr": "US", "Value": [256, 0, 16]},
    },
    "bad_number": {"00200032": {"vr": "DS", "Value": ["abc"]}},
    "person_names": {
        "00100010": {"vr": "PN", "Value": [{"Alphabetic": "Doe^John"}]},
        "00081060": {
            "vr": "PN",
            "Value": [
                {"Alphabetic": "A^B", "Ideographic": "C^D"},
                {"Phonetic": "E^F"},
                {"Ideographic": "G"},
                {},
                None,
            ],
        },
        "00081050": {"vr": "PN", "Value": ["Plain^String"]},
    },
    "at": {
        "00209165": {"vr": "AT", "Value": ["00100010", "7FE00010"]},
        "00209167": {"vr": "AT", "Value": ["0020000D"]},
        "00209213": {"vr": "AT", "Value": ["XYZ"]},
        "00280009": {"vr": "AT", "Value": [""]},
    },
    "inline_binary": {
        "00091010": {"vr": "OB", "InlineBinary": base64.b64encode(b"\x00\x01\x02").decode()},
        "00091011": {"vr": "OW", "InlineBinary": [base64.b64encode(b"\x00\x01\x02\x03").decode()]},
        "7FE00010": {"vr": "OW", "InlineBinary": base64.b64encode(bytes(range(32))).decode()},
        "00091012": {"vr": "UN", "InlineBinary": base64.b64encode(b"abcd").decode()},
    },
    "un_with_known_tag": {
        "00100010": {"vr": "UN", "InlineBinary": base64.b64encode(b"Doe^Jane").decode()},
        "00080060": {"vr": "UN", "InlineBinary": base64.b64encode(b"CT").decode()},
    },
    "un_known_binary_number": {
        "00280010": {"vr": "UN", "InlineBinary": base64.b64encode(b"\x00\x02").decode()},
    },
    "bulk_data_uri": {
        "7FE00010": {"vr": "OW", "BulkDataURI": "https://wado.example/pixels"},
        "00091010": {"vr": "OB", "BulkDataURI": ["https://wado.example/ob"]},
        "00100010": {"vr": "PN", "BulkDataURI": "https://wado.example/pn"},
    },
    "sequences": {
        "300A00B0": {"vr": "SQ", "Value": [ITEM, {}, None, {"00081150": {"vr": "UI"}}]},
        "00081115": {
            "vr": "SQ",
            "Value": [
                {
                    "0008114A": {
                        "vr": "SQ",
                        "Value": [
                            {
                                "00081155": {"vr": "UI", "Value": ["1.2.3"]},
                                "00091010": {"vr": "OB", "BulkDataURI": "https://wado.example/x"},
                                "00091011": {
                                    "vr": "OB",
                                    "InlineBinary": base64.b64encode(b"xy").decode(),
                                },
                            }
                        ],
                    }
                }
            ],
        },
    },
    "private": {
        "00090010": {"vr": "LO", "Value": ["Creator"]},
        "00091001": {"vr": "LO", "Value": ["private"]},
        "00091002": {"vr": "UN", "InlineBinary": base64.b64encode(b"1\\2").decode()},
    },
    "multi_valued_text": {
        "00080008": {"vr": "CS", "Value": ["ORIGINAL", "PRIMARY", "AXIAL"]},
        "00080020": {"vr": "DA", "Value": ["20240102"]},
        "00081030": {"vr": "LO", "Value": ["a", None, "c"]},
        "00080005": {"vr": "CS", "Value": ["ISO_IR 192"]},
        "00100020": {"vr": "LO", "Value": ["Ünïcode"]},
    },
    "invalid_values_warn": {
        "00080060": {"vr": "CS", "Value": ["lower case"]},
        "00100040": {"vr": "CS", "Value": ["M" * 20]},
        "00081030": {"vr": "LO", "Value": ["x" * 80]},
    },
    "value_not_list": {"00100010": {"vr": "PN", "Value": {"Alphabetic": "Doe"}}},
    "inline_binary_not_str": {"00091010": {"vr": "OB", "InlineBinary": [12]}},
    "bulk_uri_not_str": {"00091010": {"vr": "OB", "BulkDataURI": 5}},
    "missing_vr": {"00100010": {"Value": ["x"]}},
    "missing_vr_in_item": {"300A00B0": {"vr": "SQ", "Value": [{"00100010": {"Value": ["x"]}}]}},
    "bad_inline_base64": {"00091010": {"vr": "OB", "InlineBinary": "%%%"}},
    "keyword_tag": {"PatientName": {"vr": "PN", "Value": [{"Alphabetic": "Doe"}]}},
    "bad_tag": {"ZZZZ": {"vr": "PN", "Value": [{"Alphabetic": "Doe"}]}},
    "bad_vr": {"00100010": {"vr": "XX", "Value": ["x"]}},
    "int_for_string_vr": {"00100020": {"vr": "LO", "Value": [12]}},
    "string_for_int_vr": {"00280010": {"vr": "US", "Value": ["12a"]}},
    "at_not_str": {"00209165": {"vr": "AT", "Value": [1048592]}},
}


def case_json(name):
    return JSON_CASES[name]


@pytest.mark.parametrize("handler", URI_HANDLERS)
@pytest.mark.parametrize("name", JSON_CASES)
def test_from_json_cases_same_as_pydicom(name, handler):
    data = case_json(name)
    uri_handler = URI_HANDLERS[handler]
    their = outcome(lambda: pydicom.Dataset.from_json(json.dumps(data), uri_handler))
    our = outcome(lambda: fastdicom.Dataset.from_json(json.dumps(data), uri_handler))
    assert our[1] == their[1], "warnings differ"
    if isinstance(their[0], tuple):
        assert our[0] == their[0]
        return
    assert_same_datasets(our[0], their[0])
    for kwargs in DUMP_VARIANTS.values():
        their_json = outcome(lambda: their[0].to_json_dict(**kwargs))
        our_json = outcome(lambda: our[0].to_json_dict(**kwargs))
        assert our_json[1] == their_json[1]
        if isinstance(their_json[0], tuple):
            assert our_json[0] == their_json[0]
        else:
            json_equal(our_json[0], their_json[0])
        assert outcome(lambda: our[0].to_json(**kwargs)) == outcome(
            lambda: their[0].to_json(**kwargs)
        )


# -- DataElement ---------------------------------------------------------------

ELEMENT_CASES = [
    ("00100010", "PN", [{"Alphabetic": "Doe^John", "Ideographic": "x"}], "Value"),
    ("00100010", "PN", None, None),
    ("00200032", "DS", ["1.5", 2, 3], "Value"),
    ("00280010", "US", [2], "Value"),
    ("00091010", "OB", "AAEC", "InlineBinary"),
    ("00091010", "OB", "https://x", "BulkDataURI"),
    ("00091010", "OB", "https://x", "Unknown"),
    ("00200032", "DS", "1", "Value"),
    ("00209165", "AT", ["00100010"], "Value"),
    ("300A00B0", "SQ", [{"00100010": {"vr": "PN"}}], "Value"),
    ("00280010", "UN", "AAI=", "InlineBinary"),
]


@pytest.mark.parametrize("case", ELEMENT_CASES, ids=lambda c: f"{c[0]}-{c[1]}-{c[3]}")
@pytest.mark.parametrize("handler", URI_HANDLERS)
def test_element_from_json_same_as_pydicom(case, handler):
    tag, vr, value, key = case
    uri_handler = URI_HANDLERS[handler]
    their = outcome(
        lambda: pydicom.DataElement.from_json(pydicom.Dataset, tag, vr, value, key, uri_handler)
    )
    our = outcome(
        lambda: fastdicom.DataElement.from_json(fastdicom.Dataset, tag, vr, value, key, uri_handler)
    )
    assert our[1] == their[1]
    if isinstance(their[0], tuple):
        assert our[0] == their[0]
        return
    assert type(our[0]).__name__ == type(their[0]).__name__ == "DataElement"
    assert str(our[0]) == str(their[0])
    assert our[0].VR == their[0].VR and our[0].tag == their[0].tag
    assert type(our[0].value).__name__ == type(their[0].value).__name__
    for args in ((None, 1024), (uri_for, 0), (uri_for, 1024)):
        json_equal(our[0].to_json_dict(*args), their[0].to_json_dict(*args))
    assert our[0].to_json() == their[0].to_json()
    assert our[0].to_json(0, uri_for) == their[0].to_json(0, uri_for)


def both(fn):
    """fn(module) for pydicom and fastdicom."""
    return fn(pydicom), fn(fastdicom)


def test_element_to_json_variants():
    def made(mod):
        ds = mod.Dataset()
        ds.add_new(0x00100010, "PN", ["A^B=C^D=E^F", "G^H"])
        ds.add_new(0x00209165, "AT", [0x00100010, (0x7FE0, 0x0010)])
        ds.add_new(0x00200032, "DS", ["1.0", "2.50", "-3"])
        ds.add_new(0x00200013, "IS", "42")
        ds.add_new(0x00091010, "OB", b"\x00" * 100)
        ds.add_new(0x00091011, "UN", b"")
        ds.add_new(0x00280010, "US", 512)
        ds.add_new(0x00283002, "US or SS", [256, 0, 16])
        ds.add_new(0x00281201, "OB or OW", b"\x00\x01" * 8)
        item = mod.Dataset()
        item.PatientID = "inner"
        ds.add_new(0x300A00B0, "SQ", [item, mod.Dataset()])
        return ds

    theirs, ours = both(made)
    for kwargs in DUMP_VARIANTS.values():
        json_equal(ours.to_json_dict(**kwargs), theirs.to_json_dict(**kwargs))
        assert ours.to_json(**kwargs) == theirs.to_json(**kwargs)
    for elem, their_elem in zip(ours, theirs):
        assert elem.to_json() == their_elem.to_json()
        assert elem.to_json(8, uri_for) == their_elem.to_json(8, uri_for)
        assert elem.to_json(dump_handler=lambda d: d) == their_elem.to_json(
            dump_handler=lambda d: d
        )
    # the indented, sorted dump of pydicom's docstring
    dump = lambda d: json.dumps(d, indent=4, sort_keys=True)  # noqa: E731
    assert ours.to_json(dump_handler=dump) == theirs.to_json(dump_handler=dump)
    assert ours.to_json_dict()["00100010"]["Value"][0] == {
        "Alphabetic": "A^B", "Ideographic": "C^D", "Phonetic": "E^F"
    }
    assert ours.to_json_dict()["00209165"]["Value"] == ["00100010", "7FE00010"]
    assert ours.to_json_dict()["00200032"]["Value"] == [1.0, 2.5, -3.0]
    assert ours.to_json_dict()["00200013"]["Value"] == [42]


def test_bulk_data_threshold_boundary():
    # 768 bytes encode to 1024 base64 characters: inline; 769 go to the handler
    for size, key in ((768, "InlineBinary"), (769, "BulkDataURI")):
        ds = fastdicom.Dataset()
        ds.add_new(0x00091010, "OB", b"\x01" * size)
        theirs = pydicom.Dataset()
        theirs.add_new(0x00091010, "OB", b"\x01" * size)
        ours_json = ds.to_json_dict(bulk_data_element_handler=uri_for)
        assert list(ours_json["00091010"]) == ["vr", key]
        assert ours_json == theirs.to_json_dict(bulk_data_element_handler=uri_for)
        # without a handler, always inline
        assert "InlineBinary" in ds.to_json_dict(bulk_data_threshold=0)["00091010"]


def test_handler_errors_propagate_or_are_suppressed():
    def failing(elem):
        raise RuntimeError("no store")

    def made(mod):
        ds = mod.Dataset()
        ds.PatientID = "1"
        ds.add_new(0x00091010, "OB", b"\x00" * 64)
        return ds

    theirs, ours = both(made)
    their = outcome(lambda: theirs.to_json_dict(0, failing))
    our = outcome(lambda: ours.to_json_dict(0, failing))
    assert our == their and our[0][0] == "raised"
    their = outcome(lambda: theirs.to_json_dict(0, failing, suppress_invalid_tags=True))
    our = outcome(lambda: ours.to_json_dict(0, failing, suppress_invalid_tags=True))
    assert our == their
    assert list(our[0]) == ["00100020"]


def test_from_json_subclass_and_items():
    class MyDataset(fastdicom.Dataset):
        pass

    with pytest.warns(UserWarning, match="No bulk data URI handler"):
        ds = MyDataset.from_json(JSON_CASES["sequences"])
    assert type(ds) is MyDataset
    assert type(ds.BeamSequence[0]) is MyDataset
    assert ds.BeamSequence[0].PatientName == "Inner^Name"
    assert len(ds.BeamSequence) == 4 and len(ds.BeamSequence[1]) == 0


def test_file_dataset_round_trip_and_file_meta_left_out():
    ds = fastdicom.dcmread(get_testdata_file("CT_small.dcm"))
    data = ds.to_json_dict()
    assert not any(key.startswith("0002") for key in data)
    back = fastdicom.Dataset.from_json(data)
    assert type(back) is fastdicom.Dataset
    for elem in ds:
        if elem.VR not in ("OB", "OW", "UN"):
            assert back[elem.tag] == elem, elem
    assert back.PixelData == ds.PixelData
    assert back.to_json_dict() == data


def test_module_api():
    assert jsonrep.JSON_VALUE_KEYS == ("Value", "BulkDataURI", "InlineBinary")
    conv = jsonrep.JsonDataElementConverter(fastdicom.Dataset, "00100010", "PN", [], "Value")
    assert conv.get_element_values() == ""
    assert conv.get_pn_element_value({"Ideographic": "x"}) == "=x"
    assert jsonrep.convert_to_python_number(["1", None], "IS") == [1, None]
    assert jsonrep.convert_to_python_number("2.5", "DS") == 2.5
    assert jsonrep.convert_to_python_number(("1",), "US or SS") == [1]
    assert jsonrep.convert_to_python_number("x", "LO") == "x"
    assert jsonrep.convert_to_python_number(None, "IS") is None
    for args in ((["1", None], "IS"), ("2.5", "DS"), (("1",), "US or SS"), ([None], "FD")):
        assert jsonrep.convert_to_python_number(*args) == pydicom.jsonrep.convert_to_python_number(
            *args
        )


def test_json_does_not_import_pydicom(run_python):
    code = (
        "import sys, fastdicom\n"
        "from fastdicom import Dataset\n"
        f"ds = fastdicom.dcmread({get_testdata_file('rtplan.dcm')!r})\n"
        "text = ds.to_json(bulk_data_element_handler=lambda e: 'u')\n"
        "back = Dataset.from_json(text, lambda uri: b'x')\n"
        "print(back.to_json() != '', ds[0x300A00B0][0].to_json())\n"
        "assert 'pydicom' not in sys.modules, sorted(m for m in sys.modules if 'pydicom' in m)\n"
    )
    done = run_python(code, check=False)
    assert done.returncode == 0, done.stderr


def test_known_reading_difference_file_still_converts():
    # pydicom reads this file as an empty dataset (see KNOWN_DIFFERENCES);
    # fastdicom's JSON of it reads back through both libraries alike.
    path = get_testdata_file("emri_small_jpeg_2k_lossless_too_short.dcm")
    ours = quiet_call(fastdicom.dcmread, path)
    for kwargs in DUMP_VARIANTS.values():
        text = ours.to_json(**kwargs)
        assert len(json.loads(text)) == len(ours) == 131
        for uri_handler in URI_HANDLERS.values():
            their_ds = quiet_call(pydicom.Dataset.from_json, text, uri_handler)
            our_ds = quiet_call(fastdicom.Dataset.from_json, text, uri_handler)
            assert_same_datasets(our_ds, their_ds)
            json_equal(our_ds.to_json_dict(**kwargs), their_ds.to_json_dict(**kwargs))
