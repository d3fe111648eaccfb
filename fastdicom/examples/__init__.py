"""Example datasets, as ``pydicom.examples``: ``from fastdicom import examples``.

Each attribute reads its file anew (``dcmread(path, force=True)``), so a
program may change the dataset it gets freely::

    >>> from fastdicom import examples
    >>> ds = examples.ct
    >>> examples.get_path("mr").name
    'mr.dcm'

``ct`` is pydicom's ``CT_small.dcm``; the other examples are synthetic
datasets of the same kinds made by ``tools/generate_example_files.py``
(their values differ from pydicom's example files).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fastdicom.data.data_manager import DATA_ROOT
from fastdicom.filereader import dcmread

# Example name -> file, relative to fastdicom/data.
_DATASETS: dict[str, str] = {
    "ct": "CT_small.dcm",
    "dicomdir": "examples/fileset/DICOMDIR",
    "jpeg2k": "examples/jpeg2k.dcm",
    "mr": "examples/mr.dcm",
    "no_meta": "examples/no_meta.dcm",
    "overlay": "examples/overlay.dcm",
    "palette_color": "examples/palette_color.dcm",
    "rgb_color": "examples/rgb_color.dcm",
    "rt_dose": "examples/rt_dose.dcm",
    "rt_plan": "examples/rt_plan.dcm",
    "rt_ss": "examples/rt_ss.dcm",
    "waveform": "examples/waveform.dcm",
    "ybr_color": "examples/ybr_color.dcm",
}


def _get_path(name: str) -> Path:
    """Return the path of the example dataset `name`.

    Parameters
    ----------
    name : str
        An example name, such as ``"ct"``.

    Returns
    -------
    pathlib.Path

    Raises
    ------
    ValueError
        If there is no example of that name.
    FileNotFoundError
        If the file is missing from the installation.
    """
    if name not in _DATASETS:
        raise ValueError(f"No example dataset exists with the name '{name}'")
    path = Path(DATA_ROOT) / _DATASETS[name]
    if not path.is_file():
        raise FileNotFoundError(
            f"The example dataset '{name}' ({_DATASETS[name]}) is missing from "
            f"{DATA_ROOT}: fastdicom was installed without its package data; "
            "reinstall it (pip install --force-reinstall fastdicom)"
        )
    return path


def __getattr__(name: str) -> Any:
    """Read the example dataset `name` (a new dataset on every access)."""
    if name in _DATASETS:
        return dcmread(_get_path(name), force=True)
    if name == "get_path":
        return _get_path
    raise AttributeError(f"module '{__name__}' has no attribute '{name}'")


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_DATASETS) | {"get_path"})
