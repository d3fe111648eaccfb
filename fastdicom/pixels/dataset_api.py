"""The pixel methods of :class:`~fastdicom.dataset.Dataset` (pydicom 3's names).

``pixel_array_of`` decodes through :mod:`fastdicom.pixels.pipeline` and keeps
the array on the dataset until an Image Pixel or Pixel Data element changes.
Compression, overlays and waveforms live in their own modules.
"""

from __future__ import annotations

from typing import Any

from fastdicom.pixels import pipeline

_WATCHED = (*pipeline.IMAGE_PIXEL, *pipeline.PIXEL_TAGS, *pipeline.EXTENDED_OFFSETS, 0x00020010)


def _pixel_ids(ds: Any) -> dict[int, Any]:
    """What the cached array depends on: the identity of each element's value
    (an untouched Pixel Data element is identified by its place in the file)."""
    store = ds._dict
    done = getattr(store, "_done", {})
    table = getattr(store, "_table", None)
    ids: dict[int, Any] = {}
    for tag in _WATCHED:
        if tag == 0x00020010:
            meta = ds.__dict__.get("file_meta")
            elem = meta._dict.get(tag) if meta is not None else None
            ids[tag] = (id(elem), id(getattr(elem, "value", None)))
            continue
        elem = done.get(tag)
        if elem is not None:
            ids[tag] = (id(elem), id(elem.value))
        elif table is not None and tag not in store._removed:
            record = table.find(tag)
            ids[tag] = None if record is None else ("table", id(table), record[4])
        else:
            ids[tag] = None
    return ids


def _options(ds: Any) -> dict[str, Any]:
    return dict(ds.__dict__.get("_pixel_array_opts") or {"use_pdh": False})


def pixel_array_of(ds: Any) -> Any:
    """``Dataset.pixel_array``: decode once, keep it until the pixel elements change."""
    convert_pixel_data(ds)
    return ds._pixel_array


def set_pixel_array_options(ds: Any, **kwargs: Any) -> None:
    """``Dataset.pixel_array_options``: index, raw, decoding_plugin,
    use_v2_backend and the decoding options of pydicom 3."""
    options = dict(kwargs)
    options.setdefault("index", None)
    options.setdefault("raw", False)
    if options.get("decoding_plugin"):
        options["decoding_plugin"] = options["decoding_plugin"].lower()
    options["use_pdh"] = bool(options.pop("use_v2_backend", False))
    ds.__dict__["_pixel_array_opts"] = options
    ds.__dict__["_pixel_array"] = None
    ds.__dict__["_pixel_id"] = {}


def convert_pixel_data(ds: Any, handler_name: str = "") -> None:
    """Decode the pixel data into ``ds._pixel_array`` unless it is current."""
    if ds.__dict__.get("_pixel_array") is not None and ds.__dict__.get("_pixel_id") == _pixel_ids(ds):
        return
    opts = _options(ds)
    use_pdh = opts.pop("use_pdh", False)
    index = opts.pop("index", None)
    raw = opts.pop("raw", False)
    if use_pdh:
        # pydicom's deprecated v2 handlers return YCbCr unconverted
        raw = True
    name = handler_name.lower() if handler_name else opts.pop("decoding_plugin", "")
    opts.pop("decoding_plugin", None)
    source = pipeline.source_from_dataset(ds, **opts)
    arr = pipeline.decode(source, index=index, raw=raw)
    del name
    ds.__dict__["_pixel_array"] = arr
    ds.__dict__["_pixel_id"] = _pixel_ids(ds)


def compress(ds: Any, uid: str, arr: Any = None, **kwargs: Any) -> None:
    from fastdicom.pixels.encoders import compress as _compress

    _compress(ds, uid, arr, **kwargs)


def decompress(ds: Any, **kwargs: Any) -> None:
    from fastdicom.pixels.encoders import decompress as _decompress

    _decompress(ds, **kwargs)


def set_pixel_data(ds: Any, arr: Any, photometric_interpretation: str, bits_stored: int, **kwargs: Any) -> None:
    from fastdicom.pixels.encoders import set_pixel_data as _set_pixel_data

    _set_pixel_data(ds, arr, photometric_interpretation, bits_stored, **kwargs)


def overlay_array(ds: Any, group: int) -> Any:
    from fastdicom.overlays import overlay_array as _overlay_array

    return _overlay_array(ds, group)


def waveform_array(ds: Any, index: int) -> Any:
    from fastdicom.waveforms import waveform_array as _waveform_array

    return _waveform_array(ds, index)
