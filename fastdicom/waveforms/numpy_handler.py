"""Waveforms (PS3.3 C.10.9): ``Dataset.waveform_array(index)`` as in pydicom 3.

Each multiplex group of Waveform Sequence (5400,0100) becomes a
(samples, channels) array; with ``as_raw=False`` (what ``waveform_array``
uses) each channel is scaled by Channel Sensitivity and its correction
factor and offset by Channel Baseline (C.10.9.1.4.3). Samples are read in
the dataset's byte order (pydicom assumes the machine's).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, Literal

import numpy as np

__all__ = ["waveform_array", "multiplex_array", "generate_multiplex", "WAVEFORM_DTYPES"]

HANDLER_NAME = "Numpy Waveform"
"""The handler's name, as pydicom's ``waveforms.numpy_handler``."""
DEPENDENCIES = {"numpy": ("https://numpy.org/", "NumPy")}
"""What the handler needs: numpy, which fastdicom always has."""
HAVE_NP = True


def is_available() -> bool:
    """Return True: numpy, the handler's only dependency, is a requirement of fastdicom."""
    return HAVE_NP

# (Waveform Bits Allocated, Waveform Sample Interpretation) -> dtype, PS3.3 C.10.9.1.5
WAVEFORM_DTYPES = {
    (8, "SB"): "int8",
    (8, "UB"): "uint8",
    (8, "MB"): "uint8",
    (8, "AB"): "uint8",
    (16, "SS"): "int16",
    (16, "US"): "uint16",
    (32, "SL"): "int32",
    (32, "UL"): "uint32",
    (64, "SV"): "int64",
    (64, "UV"): "uint64",
}

_REQUIRED = (
    "NumberOfWaveformChannels",
    "NumberOfWaveformSamples",
    "WaveformBitsAllocated",
    "WaveformSampleInterpretation",
    "WaveformData",
)


def _byte_order(ds: Any) -> Literal["<", ">"]:
    meta = getattr(ds, "file_meta", None)
    tsyntax = getattr(meta, "TransferSyntaxUID", None) if meta is not None else None
    if tsyntax:
        return ">" if str(tsyntax) == "1.2.840.10008.1.2.2" else "<"
    return ">" if getattr(ds, "original_encoding", (None, None))[1] is False else "<"


def _multiplex(ds: Any, item: Any, index: int, as_raw: bool) -> np.ndarray:
    missing = [name for name in _REQUIRED if name not in item]
    if missing:
        raise AttributeError(
            f"Unable to convert the waveform multiplex group with index "
            f"{index} as the following required elements are missing from "
            f"the sequence item: {', '.join(missing)}"
        )
    bits = int(item.WaveformBitsAllocated)
    samples = int(item.NumberOfWaveformSamples)
    channels = int(item.NumberOfWaveformChannels)
    interp = str(item.WaveformSampleInterpretation)
    try:
        dtype = np.dtype(WAVEFORM_DTYPES[(bits, interp)])
    except KeyError:
        raise ValueError(
            f"(5400,1004) Waveform Bits Allocated {bits} with (5400,1006) Waveform "
            f"Sample Interpretation '{interp}' is not a valid combination (PS3.3 C.10.9.1.5)"
        ) from None
    if dtype.itemsize > 1:
        dtype = dtype.newbyteorder(_byte_order(ds))
    expected = samples * channels * dtype.itemsize
    data = bytes(item.WaveformData)
    if len(data) < expected:
        raise ValueError(
            f"The (5400,1010) Waveform Data of multiplex group {index} is {len(data)} "
            f"bytes, fewer than the {expected} bytes that {channels} channels of "
            f"{samples} samples need"
        )
    arr = np.frombuffer(data, dtype=dtype, count=samples * channels)
    arr = arr.reshape(samples, channels).astype(dtype.newbyteorder("="))
    if as_raw:
        return arr
    out = arr.astype("float")
    for j, ch in enumerate(item.get("ChannelDefinitionSequence", None) or []):
        if j >= channels:
            break
        baseline = ch.get("ChannelBaseline", 0.0)
        sensitivity = ch.get("ChannelSensitivity", 1.0)
        correction = ch.get("ChannelSensitivityCorrectionFactor", 1.0)
        out[..., j] = out[..., j] * sensitivity * correction + baseline
    return out


def multiplex_array(ds: Any, index: int, as_raw: bool = True) -> np.ndarray:
    """The multiplex group `index` of Waveform Sequence as (samples, channels)."""
    if "WaveformSequence" not in ds:
        raise AttributeError("No (5400,0100) Waveform Sequence element found in the dataset")
    return _multiplex(ds, ds.WaveformSequence[index], index, as_raw)


def generate_multiplex(ds: Any, as_raw: bool = True) -> Iterator[np.ndarray]:
    """Yield every multiplex group of Waveform Sequence in turn."""
    if "WaveformSequence" not in ds:
        raise AttributeError("No (5400,0100) Waveform Sequence element found in the dataset")
    for i, item in enumerate(ds.WaveformSequence):
        yield _multiplex(ds, item, i, as_raw)


def waveform_array(ds: Any, index: int) -> np.ndarray:
    """What ``Dataset.waveform_array(index)`` returns: scaled float samples."""
    return multiplex_array(ds, index, as_raw=False)
