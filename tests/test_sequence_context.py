"""What the items of a nested sequence inherit when they are made by the
compiled path (issue 8): the context cached per sequence must give what the
item's own state gives, even when the item was changed after being read."""

from __future__ import annotations

import threading
from pathlib import Path

import pydicom

import fastdicom
from fastdicom import Dataset, FileMetaDataset, Sequence
from fastdicom.uid import ImplicitVRLittleEndian


def _write(path: Path, items: int = 3) -> Path:
    """Implicit VR: a sequence whose items each hold a nested sequence with
    an element whose VR depends on Pixel Representation (US or SS)."""
    ds = Dataset()
    ds.PixelRepresentation = 0
    outer = []
    for number in range(items):
        nested = Dataset()
        nested.SmallestImagePixelValue = 0xFFFF  # US or SS: the bytes FF FF
        nested.add_new(0x00280106, "US", 0xFFFF)
        item = Dataset()
        item.InstanceNumber = number
        item.ReferencedImageSequence = Sequence([nested])
        outer.append(item)
    ds.RequestAttributesSequence = Sequence(outer)
    ds.file_meta = FileMetaDataset()
    ds.file_meta.TransferSyntaxUID = ImplicitVRLittleEndian
    ds.save_as(path, implicit_vr=True, little_endian=True, enforce_file_format=False)
    return path


def _nested_values(module, path: Path, first: int, set_on_item: dict) -> list[object]:
    """Read `path` with `module`, set attributes on item 1 of the outer
    sequence, then read each item's nested value, item `first` first."""
    items = module.dcmread(path, force=True).RequestAttributesSequence
    for name, value in set_on_item.items():
        setattr(items[1], name, value)
    order = [first] + [index for index in range(len(items)) if index != first]
    values = {}
    for index in order:
        nested = items[index].ReferencedImageSequence[0]
        values[index] = nested.get("SmallestImagePixelValue", nested.get("Manufacturer"))
    return [values[index] for index in range(len(items))]


def test_pixel_representation_set_on_an_item_after_reading(tmp_path: Path) -> None:
    path = _write(tmp_path / "nested.dcm")
    # Item 0 first: its nested sequence's context is cached, then item 1,
    # whose Pixel Representation was set after it was read, must not reuse
    # it (nor leave its own for item 2); item 1 first: nothing cached yet
    for first in (0, 1):
        ours = _nested_values(fastdicom, path, first, {"PixelRepresentation": 1})
        assert ours == _nested_values(pydicom, path, first, {"PixelRepresentation": 1})
        assert ours == [65535, -1, 65535]


def test_character_set_set_on_an_item_after_reading(tmp_path: Path) -> None:
    ds = Dataset()
    outer = []
    for _ in range(2):
        nested = Dataset()
        nested.add_new(0x00080070, "LO", b"Caf\xe9")  # Manufacturer, Latin-1 bytes
        item = Dataset()
        item.ReferencedImageSequence = Sequence([nested])
        outer.append(item)
    ds.RequestAttributesSequence = Sequence(outer)
    ds.file_meta = FileMetaDataset()
    ds.file_meta.TransferSyntaxUID = ImplicitVRLittleEndian
    path = tmp_path / "charset.dcm"
    ds.save_as(path, implicit_vr=True, little_endian=True, enforce_file_format=False)
    change = {"SpecificCharacterSet": "ISO_IR 144"}  # Cyrillic: 0xE9 is not é
    for first in (0, 1):
        ours = _nested_values(fastdicom, path, first, change)
        assert ours == _nested_values(pydicom, path, first, change)


def test_threads_get_the_same_items(tmp_path: Path) -> None:
    path = _write(tmp_path / "threads.dcm", items=200)
    for _ in range(5):
        ds = fastdicom.dcmread(path)
        seq = ds.RequestAttributesSequence
        seen: list[list[int]] = [[], []]
        barrier = threading.Barrier(2)

        def walk(slot: int) -> None:
            barrier.wait()
            seen[slot] = [id(seq[i].ReferencedImageSequence[0]) for i in range(len(seq))]

        threads = [threading.Thread(target=walk, args=(slot,)) for slot in (0, 1)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert seen[0] == seen[1]
        assert len(set(seen[0])) == 200
