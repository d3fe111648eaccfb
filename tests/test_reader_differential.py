"""Every file of pydicom's own test data, read by fastdicom and by pydicom.

For each file pydicom reads, every element (recursively into sequences) has
the same tag, VR, value and value type, and ``str(ds)`` is identical; a file
pydicom rejects is rejected too (as InvalidDicomError). The exceptions are
listed, with reasons, in ``differential.KNOWN_DIFFERENCES``.
"""

import os

import pydicom
import pytest
from pydicom.data import get_charset_files, get_testdata_files

from differential import compare_file

FILES = sorted(p for p in set(get_testdata_files()) | set(get_charset_files()) if os.path.isfile(p))


def test_the_oracle_data_is_installed():
    # pydicom 3.0.2's own files plus pydicom-data's: without them the
    # parametrized test below would silently shrink.
    assert len(FILES) > 250
    assert any(path.endswith("emri_small_jpeg_2k_lossless_too_short.dcm") for path in FILES)


@pytest.mark.parametrize("path", FILES, ids=os.path.basename)
def test_same_as_pydicom(path):
    outcome = compare_file(path)
    assert outcome.verdict in {"same", "both_reject", "known", "fastdicom_only"}, outcome.detail
    if outcome.verdict == "fastdicom_only":
        # Only bare datasets (no preamble or File Meta) that pydicom reads
        # with force=True may be read where pydicom refuses.
        assert "bare dataset" in outcome.detail, outcome.detail


def test_truncated_pixel_data_keeps_every_element():
    path = pydicom.data.get_testdata_file("emri_small_jpeg_2k_lossless_too_short.dcm")
    with pytest.warns(UserWarning, match="delimiter"):
        import fastdicom

        ds = fastdicom.dcmread(path)
    assert len(ds) == 131
    assert ds.Rows == 64 and ds.file_meta.TransferSyntaxUID == "1.2.840.10008.1.2.4.90"
    assert ds[0x7FE00010].is_undefined_length
