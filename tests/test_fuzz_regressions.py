"""Inputs tools/fuzz_campaign.py found (issue 12), each replayed from its seed
through the entry point that failed on it. ``tests/fuzzing.py`` makes the
same bytes from the same seed; the outcome must be a documented error (or
success), never the exception the campaign met.
"""

from __future__ import annotations

import sys
import tempfile
import warnings
from pathlib import Path

import pytest

import fastdicom

pytest.importorskip("pydicom")
sys.path.insert(0, str(Path(__file__).resolve().parent))
import fuzzing  # noqa: E402

# Not fixed, as pydicom: seed 1086356 (JSON of a PN value with no component
# group) raises IndexError in pydicom 3.0.2 and here alike, which
# tests/test_json.py checks.
ACCEPTED = (fastdicom.errors.InvalidDicomError, ValueError,
            fastdicom.errors.BytesLengthException, NotImplementedError)


@pytest.fixture(scope="module")
def originals():
    # the campaign ran over the files pydicom's test data has here (all of
    # FUZZ_FILES but chrSQEncoding.dcm, which is not in the data installed)
    return fuzzing.load_originals(fuzzing.testdata_paths())


# seed, entry point, what the campaign met
FOUND = [
    (1092255, "fileset", "AttributeError: an empty directory record in the DICOMDIR"),
    (1080275, "fileset", "KeyError: a record offset that is no record's"),
    (1026945, "series", "memory blow-up: 10^9 Frame objects for Number of Frames = 10^9"),
    (1040967, "pixels", "TypeError: a Rows element with two values"),
    (1009437, "pixels", "hang: CharLS on a JPEG-LS codestream without EOI"),
]


@pytest.mark.parametrize(("seed", "entry", "found"), FOUND, ids=[f"{s}-{e}" for s, e, _ in FOUND])
def test_campaign_finding(seed, entry, found, originals):
    data, _ = fuzzing.make_input(seed, originals)
    with warnings.catch_warnings(), tempfile.TemporaryDirectory() as workdir:
        warnings.simplefilter("ignore")
        try:
            ds = fastdicom.dcmread(data, force=True)
            fuzzing.ENTRY_POINTS[entry](fastdicom, ds, data, workdir)
        except ACCEPTED:
            pass
        except AttributeError as exc:
            assert fuzzing.classify(exc, ACCEPTED) is not None, f"{found}: {exc!r}"


def test_charset_value_of_numbers_is_read_as_text():
    """Seed 1098230: a (0008,0005) read as a number (its VR overwritten)
    made writing raise TypeError in the charset lookup."""
    from fastdicom.charset import convert_encodings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        assert convert_encodings([100, b"ISO_IR 100"]) == convert_encodings(["100", "ISO_IR 100"])
        assert convert_encodings([None]) == convert_encodings([""])
