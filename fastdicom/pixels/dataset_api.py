"""The pixel methods of :class:`~fastdicom.dataset.Dataset` (pydicom 3's names).

``pixel_array_of`` decodes through :mod:`fastdicom.pixels.pipeline` and keeps
the array on the dataset until an Image Pixel or Pixel Data element changes.
Compression, overlays and waveforms live in their own modules.
"""

from __future__ import annotations

import importlib.util
from typing import Any

from fastdicom import config, overlays, waveforms
from fastdicom.pixels import pipeline
from fastdicom.pixels import utils as _utils
from fastdicom.pixels.processing import convert_color_space
from fastdicom.pixels.utils import get_image_pixel_ids, reshape_pixel_array


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
    """Decode the pixel data into ``ds._pixel_array`` unless it is current.

    With ``pixel_array_options(use_v2_backend=True)`` the deprecated handlers of
    ``config.pixel_data_handlers`` decode it instead, as pydicom 3 does: the one
    named by `handler_name`, else the first that supports the transfer syntax
    and succeeds.
    """
    attributes = ds.__dict__
    if attributes.get("_pixel_array") is not None and attributes.get("_pixel_id") == get_image_pixel_ids(ds):
        return
    tried = not attributes.get("_pixel_array_opts") and not handler_name
    if tried:
        # Default options (none set): the one-pass native path, when it applies
        arr = pipeline.fast_native_array(ds, pipeline.transfer_syntax_of(ds))
        if arr is not None:
            attributes["_pixel_array"] = arr
            attributes["_pixel_id"] = get_image_pixel_ids(ds)
            return
    opts = _options(ds)
    use_pdh = opts.pop("use_pdh", False)
    name = handler_name.lower() if handler_name else opts.get("decoding_plugin", "")
    if use_pdh:
        if name:
            handler = _named_handler(ds, name)
            _convert_with_handler(ds, handler)
        else:
            _convert_with_any_handler(ds)
        return
    index = opts.pop("index", None)
    raw = opts.pop("raw", False)
    opts.pop("decoding_plugin", None)
    if not tried and not opts and index is None and not raw and not name:
        # Default options set explicitly: the one-pass native path, when it applies
        arr = pipeline.fast_native_array(ds, pipeline.transfer_syntax_of(ds))
        if arr is not None:
            ds.__dict__["_pixel_array"] = arr
            ds.__dict__["_pixel_id"] = get_image_pixel_ids(ds)
            return
    source = pipeline.source_from_dataset(ds, **opts)
    arr = pipeline.decode(source, index=index, raw=raw, decoding_plugin=name)
    ds.__dict__["_pixel_array"] = arr
    ds.__dict__["_pixel_id"] = get_image_pixel_ids(ds)


def _named_handler(ds: Any, name: str) -> Any:
    """The handler of ``config`` called `name` ("numpy", "rle_handler", ...),
    checked against the dataset's transfer syntax."""
    attribute = name.lower()
    if not attribute.endswith("_handler"):
        attribute += "_handler"
    attribute = {"numpy_handler": "np_handler", "jpeg_ls_handler": "jpegls_handler"}.get(
        attribute, attribute
    )
    try:
        handler = getattr(config, attribute)
    except AttributeError:
        raise ValueError(f"'{name}' is not a known handler name") from None
    tsyntax = ds.file_meta.TransferSyntaxUID
    if not handler.supports_transfer_syntax(tsyntax):
        raise NotImplementedError(
            "Unable to decode pixel data with a transfer syntax UID"
            f" of '{tsyntax}' ({tsyntax.name}) using the pixel data "
            f"handler '{name}'. Please see the pydicom documentation for "
            "information on supported transfer syntaxes."
        )
    if not handler.is_available():
        raise RuntimeError(
            f"The pixel data handler '{name}' is not available on your "
            "system. Please refer to the pydicom documentation for "
            "information on installing needed packages."
        )
    return handler


def _convert_with_any_handler(ds: Any) -> None:
    """Try each handler of ``config.pixel_data_handlers`` that supports the
    transfer syntax and is available; raise the last error if all fail."""
    tsyntax = ds.file_meta.TransferSyntaxUID
    possible = [
        h for h in config.pixel_data_handlers if h is not None and h.supports_transfer_syntax(tsyntax)
    ]
    if not possible:
        raise NotImplementedError(
            "Unable to decode pixel data with a transfer syntax UID of "
            f"'{tsyntax}' ({tsyntax.name}) as there are no pixel data "
            "handlers available that support it. Please see the pydicom "
            "documentation for information on supported transfer syntaxes "
        )
    available = [h for h in possible if h.is_available()]
    if not available:
        missing = []
        for handler in possible:
            deps = handler.DEPENDENCIES
            names = [deps[module][1] for module in deps if importlib.util.find_spec(module) is None]
            missing.append(f"{handler.HANDLER_NAME} (req. {', '.join(names)})")
        raise RuntimeError(
            "The following handlers are available to decode the pixel "
            "data however they are missing required dependencies: " + ", ".join(missing)
        )
    error: Exception | None = None
    for handler in available:
        try:
            _convert_with_handler(ds, handler)
            return
        except Exception as exc:
            config.logger.debug("Exception raised by pixel data handler", exc_info=exc)
            error = exc
    ds.__dict__["_pixel_array"] = None
    ds.__dict__["_pixel_id"] = {}
    assert error is not None
    raise error


def _convert_with_handler(ds: Any, handler: Any) -> None:
    """Decode with one deprecated handler: its 1-D array, shaped, and YBR
    converted to RGB when the handler says so."""
    arr = reshape_pixel_array(ds, handler.get_pixeldata(ds))
    if handler.needs_to_convert_to_RGB(ds):
        arr = convert_color_space(arr, "YBR_FULL", "RGB")
    ds.__dict__["_pixel_array"] = arr
    ds.__dict__["_pixel_id"] = get_image_pixel_ids(ds)


def compress(ds: Any, uid: str, arr: Any = None, **kwargs: Any) -> None:
    """``Dataset.compress``."""
    _utils.compress(ds, uid, arr, **kwargs)


def decompress(ds: Any, **kwargs: Any) -> None:
    """``Dataset.decompress``: the options of ``pixel_array_options()`` with
    `kwargs` over them (so ``use_v2_backend=True`` decompresses with the
    deprecated handlers, as pydicom 3)."""
    opts = _options(ds)
    opts.update(kwargs)
    _utils.decompress(ds, **opts)


def set_pixel_data(
    ds: Any, arr: Any, photometric_interpretation: str, bits_stored: int, **kwargs: Any
) -> None:
    """``Dataset.set_pixel_data``."""
    _utils.set_pixel_data(ds, arr, photometric_interpretation, bits_stored, **kwargs)


def overlay_array(ds: Any, group: int) -> Any:
    """``Dataset.overlay_array``."""
    return overlays.overlay_array(ds, group)


def waveform_array(ds: Any, index: int) -> Any:
    """``Dataset.waveform_array``."""
    return waveforms.waveform_array(ds, index)
