"""An element deleted and then set again is written (it was dropped).

The element store keeps a read file's elements in the scanner's table, the
deleted ones in a set and the re-set ones among the extra elements; the
writer skipped every deleted table tag, the re-set ones too.
"""

from __future__ import annotations

from pydicom.data import get_testdata_file  # pydicom 3.0.2: the test data only

import fastdicom


def test_deleted_then_set_is_written(tmp_path):
    ds = fastdicom.dcmread(get_testdata_file("MR_small.dcm"))
    count = len(ds)
    del ds.WindowCenter
    ds.WindowCenter = "944.2"
    del ds.WindowWidth
    path = tmp_path / "out.dcm"
    ds.save_as(path)
    back = fastdicom.dcmread(path)
    assert back.WindowCenter == 944.2
    assert "WindowWidth" not in back
    assert len(back) == len(ds) == count - 1
