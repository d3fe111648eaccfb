"""fastdicom.encaps against pydicom.encaps."""

import warnings
from io import BytesIO

import pytest

from fastdicom import encaps

pydicom_encaps = pytest.importorskip("pydicom.encaps")

FRAMES = [b"\x01\x02\x03\x04" * 5, b"\xaa" * 7 + b"\xff\xd9", b"\x10\x20" * 9]


def _cases():
    return {
        "bot": pydicom_encaps.encapsulate(FRAMES, 1, True),
        "no_bot": pydicom_encaps.encapsulate(FRAMES, 1, False),
        "bot_fragmented": pydicom_encaps.encapsulate(FRAMES, 3, True),
        "one_frame_many": pydicom_encaps.encapsulate(FRAMES[:1], 4, False),
    }


@pytest.mark.parametrize("name", list(_cases()))
def test_reading_functions_match(name):
    data = _cases()[name]
    assert encaps.parse_basic_offsets(data) == pydicom_encaps.parse_basic_offsets(data)
    n = 1 if name == "one_frame_many" else 3
    assert list(encaps.generate_fragments(data[8 + len(encaps.parse_basic_offsets(data)) * 4 :])) == \
        list(pydicom_encaps.generate_fragments(data[8 + len(encaps.parse_basic_offsets(data)) * 4 :]))
    assert list(encaps.generate_fragmented_frames(data, number_of_frames=n)) == \
        list(pydicom_encaps.generate_fragmented_frames(data, number_of_frames=n))
    assert list(encaps.generate_frames(data, number_of_frames=n)) == \
        list(pydicom_encaps.generate_frames(data, number_of_frames=n))
    for i in range(n):
        assert encaps.get_frame(data, i, number_of_frames=n) == \
            pydicom_encaps.get_frame(data, i, number_of_frames=n)
        assert encaps.get_frame(BytesIO(data), i, number_of_frames=n) == \
            pydicom_encaps.get_frame(data, i, number_of_frames=n)


def test_eoi_rule_with_more_fragments_than_frames():
    data = pydicom_encaps.encapsulate([b"\x00\x01\xff\xd9", b"\x02\x03\x04\x05\xff\xd9"], 2, False)
    assert list(encaps.generate_frames(data, number_of_frames=2)) == \
        list(pydicom_encaps.generate_frames(data, number_of_frames=2))
    assert encaps.get_frame(data, 1, number_of_frames=2) == \
        pydicom_encaps.get_frame(data, 1, number_of_frames=2)


def test_missing_eoi_warns_like_pydicom():
    data = pydicom_encaps.encapsulate([b"\x00\x01\x02\x03", b"\x02\x03\x04\x05"], 2, False)
    with pytest.warns(UserWarning, match="fewer frames than expected"):
        ours = list(encaps.generate_frames(data, number_of_frames=3))
    with pytest.warns(UserWarning):
        theirs = list(pydicom_encaps.generate_frames(data, number_of_frames=3))
    assert ours == theirs


def test_extended_offsets():
    value, offsets, lengths = encaps.encapsulate_extended(FRAMES)
    assert (value, offsets, lengths) == pydicom_encaps.encapsulate_extended(FRAMES)
    assert list(encaps.generate_frames(value, extended_offsets=(offsets, lengths))) == \
        [f + b"\x00" * (len(f) % 2) for f in FRAMES]
    assert encaps.get_frame(value, 2, extended_offsets=(offsets, lengths)) == FRAMES[2]


def test_writing_functions_match():
    for n in (1, 2, 3):
        assert list(encaps.fragment_frame(FRAMES[0], n)) == list(pydicom_encaps.fragment_frame(FRAMES[0], n))
        assert list(encaps.itemize_frame(FRAMES[1], n)) == list(pydicom_encaps.itemize_frame(FRAMES[1], n))
        for bot in (True, False):
            assert encaps.encapsulate(FRAMES, n, bot) == pydicom_encaps.encapsulate(FRAMES, n, bot)
    assert encaps.itemize_fragment(b"ab") == pydicom_encaps.itemize_fragment(b"ab")
    with pytest.raises(ValueError):
        list(encaps.fragment_frame(b"abcd", 3))


def test_errors():
    with pytest.raises(ValueError, match="instead of \\(FFFE,E000\\)"):
        encaps.parse_basic_offsets(b"\x00\x00\x00\x00\x00\x00\x00\x00")
    with pytest.raises(ValueError, match="multiple of 4"):
        encaps.parse_basic_offsets(b"\xfe\xff\x00\xe0\x03\x00\x00\x00abc")
    bad = b"\xfe\xff\x00\xe0\x00\x00\x00\x00" + b"\x08\x00\x10\x00\x00\x00\x00\x00"
    with pytest.raises(ValueError, match="Unexpected tag"):
        list(encaps.generate_frames(bad, number_of_frames=1))
    undefined = b"\xfe\xff\x00\xe0\x00\x00\x00\x00\xfe\xff\x00\xe0\xff\xff\xff\xff"
    with pytest.raises(ValueError, match="Undefined item length"):
        encaps.get_frame(undefined, 0, number_of_frames=1)
    data = pydicom_encaps.encapsulate(FRAMES, 1, False)
    with pytest.raises(ValueError, match="number of frames has not been supplied"):
        list(encaps.generate_frames(data))
    with pytest.raises(ValueError, match="fewer fragments than frames"):
        list(encaps.generate_frames(data, number_of_frames=5))
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert encaps.parse_fragments(data[8:]) == pydicom_encaps.parse_fragments(data[8:])
