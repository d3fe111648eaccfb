"""What the pixel data decoders and encoders share (``pydicom.pixels.common``).

* :class:`CoderBase`: the plugin registry of one transfer syntax, the base of
  :class:`~fastdicom.pixels.decoders.base.Decoder` and
  :class:`~fastdicom.pixels.encoders.base.Encoder`. Plugins follow pydicom's
  contract, so a third-party plugin written for pydicom registers here
  unchanged: a module with ``is_available(uid)``, a ``DECODER_DEPENDENCIES``
  (or ``ENCODER_DEPENDENCIES``) dict and a function
  ``func(src: bytes, runner) -> bytes | bytearray``.
* :class:`RunnerBase`: the options describing the pixel data (the Image Pixel
  module, PS3.3 C.7.6.3) and their validation, the base of
  :class:`~fastdicom.pixels.decoders.base.DecodeRunner` and
  :class:`~fastdicom.pixels.encoders.base.EncodeRunner`.
* :class:`PhotometricInterpretation`: the (0028,0004) values, PS3.3 C.7.6.3.1.2.
"""

from __future__ import annotations

from collections.abc import Callable
from enum import Enum, unique
from importlib import import_module
from typing import TYPE_CHECKING, Any, TypedDict

import numpy as np

from fastdicom import config
from fastdicom.config import warn_and_log
from fastdicom.uid import UID

if TYPE_CHECKING:  # pragma: no cover
    from fastdicom.dataset import Dataset

Buffer = bytes | bytearray | memoryview

# The elements holding pixel values, PS3.3 C.7.6.3 and C.7.6.24
PIXEL_KEYWORDS = ("PixelData", "FloatPixelData", "DoubleFloatPixelData")


class CoderBase:
    """The plugins that decode or encode one transfer syntax.

    Parameters
    ----------
    uid : UID
        The transfer syntax the plugins decode from or encode to.
    decoder : bool
        ``True`` for a decoder, ``False`` for an encoder.
    """

    def __init__(self, uid: UID, decoder: bool) -> None:
        self._uid = UID(uid)
        # label -> plugin function, for plugins whose dependencies are met
        self._available: dict[str, Callable[..., Any]] = {}
        # label -> the missing dependencies of the other plugins
        self._unavailable: dict[str, tuple[str, ...]] = {}
        self._decoder = decoder

    def add_plugin(self, label: str, import_path: tuple[str, str]) -> None:
        """Add the plugin ``import_path = (module, function name)`` as `label`.

        The module must have ``is_available(uid) -> bool``; when that is
        ``False``, its ``DECODER_DEPENDENCIES`` (or ``ENCODER_DEPENDENCIES``)
        must name what is missing for this transfer syntax. Not thread-safe.

        Parameters
        ----------
        label : str
            A name for the plugin, unique for this coder.
        import_path : tuple[str, str]
            The module's import path and the function's name.

        Raises
        ------
        ValueError
            `label` is already used, or the plugin doesn't support the syntax.
        ModuleNotFoundError, AttributeError
            The module or what a plugin must define is missing.
        """
        if label in self._available or label in self._unavailable:
            raise ValueError(f"'{type(self).__name__}' already has a plugin named '{label}'")
        module = import_module(import_path[0])
        if module.is_available(self.UID):
            self._available[label] = getattr(module, import_path[1])
            return
        deps = module.DECODER_DEPENDENCIES if self._decoder else module.ENCODER_DEPENDENCIES
        if self.UID not in deps:
            raise ValueError(f"The '{label}' plugin doesn't support '{self.UID.name}'")
        self._unavailable[label] = deps[self.UID]

    def add_plugins(self, plugins: list[tuple[str, tuple[str, str]]]) -> None:
        """Add several plugins, each given as ``(label, (module, function name))``.

        Parameters
        ----------
        plugins : list[tuple[str, tuple[str, str]]]
        """
        for label, import_path in plugins:
            self.add_plugin(label, import_path)

    @property
    def available_plugins(self) -> tuple[str, ...]:
        """The labels of the plugins that can be used, sorted."""
        return tuple(sorted(self._available))

    @property
    def is_available(self) -> bool:
        """``True`` if data can be decoded or encoded now (native data always can
        be decoded)."""
        if self._decoder and not self.UID.is_encapsulated:
            return True
        return bool(self._available)

    @property
    def is_encapsulated(self) -> bool:
        """``True`` for an encapsulated (compressed) transfer syntax."""
        return self.UID.is_encapsulated

    @property
    def is_native(self) -> bool:
        """``True`` for a native (uncompressed) transfer syntax."""
        return not self.is_encapsulated

    @property
    def missing_dependencies(self) -> list[str]:
        """One readable line per unavailable plugin naming what it needs."""
        lines = []
        for label, deps in self._unavailable.items():
            if not deps:
                lines.append(f"{label} - plugin indicating it is unavailable")
            elif len(deps) > 1:
                lines.append(f"{label} - requires {', '.join(deps[:-1])} and {deps[-1]}")
            else:
                lines.append(f"{label} - requires {deps[0]}")
        return lines

    def remove_plugin(self, label: str) -> None:
        """Remove the plugin `label` (available or not). Not thread-safe.

        Parameters
        ----------
        label : str
        """
        if label in self._available:
            del self._available[label]
        elif label in self._unavailable:
            del self._unavailable[label]
        else:
            raise ValueError(f"Unable to remove '{label}', no such plugin'")

    @property
    def UID(self) -> UID:
        """The transfer syntax of this coder."""
        return self._uid

    def _validate_plugins(self, plugin: str = "") -> dict[str, Callable[..., Any]]:
        """The plugins to use: all available ones, or only `plugin`.

        Raises a :class:`RuntimeError` naming the missing dependencies when
        nothing can be used, and a :class:`ValueError` for an unknown name.
        """
        if self._decoder and not self.UID.is_encapsulated:
            return {}
        action = (
            f"decompress '{self.UID.name}' pixel data"
            if self._decoder
            else f"compress the pixel data using '{self.UID.name}'"
        )
        if plugin:
            if plugin in self._available:
                return {plugin: self._available[plugin]}
            deps = self._unavailable.get(plugin)
            if deps:
                missing = f"{', '.join(deps[:-1])} and {deps[-1]}" if len(deps) > 1 else deps[0]
                raise RuntimeError(
                    f"Unable to {action} because the specified plugin is missing "
                    f"dependencies:\n\t{plugin} - requires {missing}"
                )
            message = (
                f"No plugin named '{plugin}' has been added to "
                f"'{self.UID.keyword}{type(self).__name__}'"
            )
            if self._available:
                message += f", available plugins are: {', '.join(self.available_plugins)}"
            raise ValueError(message)
        if self._available:
            return dict(self._available)
        missing = "\n".join(f"\t{line}" for line in self.missing_dependencies)
        raise RuntimeError(
            f"Unable to {action} because all plugins are missing dependencies:\n{missing}"
        )

    def _prepare(
        self, runner: Any, src: Any, kwargs: dict[str, Any], plugin: str, validate: bool
    ) -> Any:
        """`runner` (a new DecodeRunner or EncodeRunner of this syntax) given
        `src`, the options `kwargs` and the plugins to use, and validated when
        `validate`: how every decoding and encoding call starts."""
        runner.set_source(src)
        runner.set_options(**kwargs)
        plugins = self._validate_plugins(plugin)
        if self._decoder:
            runner.set_decoders(plugins)
        else:
            runner.set_encoders(plugins)
        if config.debugging:
            config.logger.debug(runner)
        if validate:
            runner.validate()
        return runner


@unique
class PhotometricInterpretation(str, Enum):
    """The (0028,0004) *Photometric Interpretation* values, PS3.3 C.7.6.3.1.2."""

    MONOCHROME1 = "MONOCHROME1"
    MONOCHROME2 = "MONOCHROME2"
    PALETTE_COLOR = "PALETTE COLOR"
    RGB = "RGB"
    YBR_FULL = "YBR_FULL"
    YBR_FULL_422 = "YBR_FULL_422"
    YBR_ICT = "YBR_ICT"
    YBR_RCT = "YBR_RCT"
    HSV = "HSV"  # retired
    ARGB = "ARGB"  # retired
    CMYK = "CMYK"  # retired
    YBR_PARTIAL_422 = "YBR_PARTIAL_422"  # retired
    YBR_PARTIAL_420 = "YBR_PARTIAL_420"  # retired

    def __str__(self) -> str:
        return str.__str__(self)


PI = PhotometricInterpretation
_PI_VALUES = {member.value: member for member in PI}


class RunnerOptions(TypedDict, total=False):
    """The options every runner accepts: the Image Pixel module description."""

    bits_allocated: int
    bits_stored: int
    columns: int
    number_of_frames: int
    photometric_interpretation: str
    pixel_keyword: str
    pixel_representation: int
    rows: int
    samples_per_pixel: int
    transfer_syntax_uid: UID
    planar_configuration: int
    extended_offsets: tuple[bytes, bytes] | tuple[list[int], list[int]]


# PS3.3 C.7.6.3: the Image Pixel module attributes that describe the pixel data
IMAGE_PIXEL = {
    0x00280002: "samples_per_pixel",
    0x00280004: "photometric_interpretation",
    0x00280006: "planar_configuration",
    0x00280008: "number_of_frames",
    0x00280010: "rows",
    0x00280011: "columns",
    0x00280100: "bits_allocated",
    0x00280101: "bits_stored",
    0x00280103: "pixel_representation",
}
# (7FE0,0001) Extended Offset Table and (7FE0,0002) its lengths, PS3.5 A.4
EXTENDED_OFFSETS = (0x7FE00001, 0x7FE00002)


def _int_value(value: Any) -> Any:
    """An integer from a value read without its VR (bytes) or as text; a
    multi-valued element is kept as it is, as pydicom keeps it."""
    if isinstance(value, (bytes, bytearray)):
        return int.from_bytes(value[:2], "little") if value else None
    if isinstance(value, str):
        return int(value)
    return value


def as_pixel_options(ds: Dataset, **kwargs: Any) -> dict[str, Any]:
    """The Image Pixel values of `ds` as options, then `kwargs` over them
    (pydicom's ``as_pixel_options``).

    *Number of Frames* is always present: 1 when absent, and 1 with a warning
    when zero or empty. The Extended Offset Table is included when both of its
    elements are present.

    Parameters
    ----------
    ds : Dataset
    **kwargs
        Values that replace those taken from `ds`.
    """
    store = ds._dict
    opts: dict[str, Any] = {}
    for tag, name in IMAGE_PIXEL.items():
        if tag in store:
            value = ds[tag].value
            opts[name] = value if name == "photometric_interpretation" else _int_value(value)
    frames = opts.get("number_of_frames", 1) if 0x00280008 in store else 1
    frames = int(frames) if isinstance(frames, str) else frames
    if frames in (None, 0):
        warn_and_log(
            f"A value of '{frames}' for (0028,0008) 'Number of Frames' is invalid, "
            "assuming 1 frame",
            stacklevel=2,
        )
        frames = 1
    opts["number_of_frames"] = frames
    if EXTENDED_OFFSETS[0] in store and EXTENDED_OFFSETS[1] in store:
        opts["extended_offsets"] = (ds[EXTENDED_OFFSETS[0]].value, ds[EXTENDED_OFFSETS[1]].value)
    opts.update(kwargs)
    return opts


def frame_length(opts: dict[str, Any], encapsulated: bool, unit: str = "bytes") -> int | float:
    """The length of one frame described by `opts` in bytes or pixels.

    Native 1-bit frames are not byte aligned (PS3.5 §8.1.1), so their length in
    bytes may be fractional; an encapsulated 1-bit frame is whole bytes. Native
    YBR_FULL_422 holds two thirds of the samples (PS3.3 C.7.6.3.1.2).

    Parameters
    ----------
    opts : dict
        Needs ``rows``, ``columns``, ``samples_per_pixel`` and, for bytes,
        ``bits_allocated`` and ``photometric_interpretation``.
    encapsulated : bool
        Whether the transfer syntax is encapsulated.
    unit : str
        ``"bytes"`` (default) or ``"pixels"``.
    """
    length: int | float = opts["rows"] * opts["columns"] * opts["samples_per_pixel"]
    if unit == "pixels":
        return length
    bits_allocated = opts["bits_allocated"]
    if bits_allocated == 1:
        if encapsulated:
            length = length // 8 + (length % 8 > 0)
        else:
            length = length / 8
            if length.is_integer():
                length = int(length)
    else:
        length *= bits_allocated // 8
    if opts.get("photometric_interpretation") == PI.YBR_FULL_422 and not encapsulated:
        length = length // 3 * 2
    return length


_INTEGER_OPTIONS = {
    "rows": "(0028,0010) 'Rows'",
    "columns": "(0028,0011) 'Columns'",
    "samples_per_pixel": "(0028,0002) 'Samples per Pixel'",
    "bits_allocated": "(0028,0100) 'Bits Allocated'",
    "bits_stored": "(0028,0101) 'Bits Stored'",
    "pixel_representation": "(0028,0103) 'Pixel Representation'",
    "number_of_frames": "(0028,0008) 'Number of Frames'",
}


def validate_options(opts: dict[str, Any]) -> None:
    """Check the Image Pixel values in `opts` (PS3.3 C.7.6.3, PS3.5 §8.1.1).

    Raises :class:`AttributeError` for a missing value and :class:`ValueError`
    for an invalid one, with pydicom's messages.
    """
    prefix = "Missing required element: (0028"
    # A corrupt file may give a US element several values (a list) or a
    # number as text: an error naming it, not a TypeError from a comparison
    for key, name in _INTEGER_OPTIONS.items():
        value = opts.get(key)
        if value is not None and (isinstance(value, bool) or not isinstance(value, (int, np.integer))):
            raise ValueError(f"A {name} value of '{value}' is invalid, it must be a single integer")
    bits_allocated = opts.get("bits_allocated")
    if bits_allocated is None:
        raise AttributeError(f"{prefix},0100) 'Bits Allocated'")
    if not 1 <= bits_allocated <= 64 or (bits_allocated != 1 and bits_allocated % 8):
        raise ValueError(
            f"A (0028,0100) 'Bits Allocated' value of '{bits_allocated}' "
            "is invalid, it must be 1 or a multiple of 8 and in the range (1, 64)"
        )
    keyword = opts.get("pixel_keyword")
    if keyword is None:
        raise AttributeError("No value for 'pixel_keyword' has been set")
    if "Float" not in keyword:
        bits_stored = opts.get("bits_stored")
        if bits_stored is None:
            raise AttributeError(f"{prefix},0101) 'Bits Stored'")
        if not 1 <= bits_stored <= bits_allocated <= 64:
            raise ValueError(
                f"A (0028,0101) 'Bits Stored' value of '{bits_stored}' is "
                "invalid, it must be in the range (1, 64) and no greater than "
                f"the (0028,0100) 'Bits Allocated' value of '{bits_allocated}'"
            )
    columns = opts.get("columns")
    if columns is None:
        raise AttributeError(f"{prefix},0011) 'Columns'")
    if not 0 < columns <= 2**16 - 1:
        raise ValueError(
            f"A (0028,0011) 'Columns' value of '{columns}' is invalid, "
            "it must be in the range (1, 65535)"
        )
    frames = opts.get("number_of_frames")
    if frames is not None and frames < 1:
        raise ValueError(
            f"A (0028,0008) 'Number of Frames' value of '{frames}' "
            "is invalid, it must be greater than or equal to 1"
        )
    pi = opts.get("photometric_interpretation")
    if pi is None:
        raise AttributeError(f"{prefix},0004) 'Photometric Interpretation'")
    # A value that is not one string (several values, or another VR in a
    #   damaged file: campaign seed 1353523) is unknown, not a TypeError
    if not isinstance(pi, str) or (pi not in _PI_VALUES and pi not in PI.__members__):
        raise ValueError(f"Unknown (0028,0004) 'Photometric Interpretation' value '{pi}'")
    if keyword not in PIXEL_KEYWORDS:
        raise ValueError(f"Unknown 'pixel_keyword' value '{keyword}'")
    if keyword == "PixelData":
        representation = opts.get("pixel_representation")
        if representation is None:
            raise AttributeError(f"{prefix},0103) 'Pixel Representation'")
        if representation not in (0, 1):
            raise ValueError(
                "A (0028,0103) 'Pixel Representation' value of "
                f"'{representation}' is invalid, it must be 0 or 1"
            )
    rows = opts.get("rows")
    if rows is None:
        raise AttributeError(f"{prefix},0010) 'Rows'")
    if not 0 < rows <= 2**16 - 1:
        raise ValueError(
            f"A (0028,0010) 'Rows' value of '{rows}' is invalid, it "
            "must be in the range (1, 65535)"
        )
    samples = opts.get("samples_per_pixel")
    if samples is None:
        raise AttributeError(f"{prefix},0002) 'Samples per Pixel'")
    if samples not in (1, 3):
        raise ValueError(
            f"A (0028,0002) 'Samples per Pixel' value of '{samples}' "
            "is invalid, it must be 1 or 3"
        )
    if samples == 3:
        planar = opts.get("planar_configuration")
        if planar is None:
            raise AttributeError(f"{prefix},0006) 'Planar Configuration'")
        if planar not in (0, 1):
            raise ValueError(
                "A (0028,0006) 'Planar Configuration' value of "
                f"'{planar}' is invalid, it must be 0 or 1"
            )


def expand_ybr422_array(arr: np.ndarray) -> np.ndarray:
    """Upsample 1-D YBR_FULL_422 samples (PS3.3 C.7.6.3.1.2): each pair of
    pixels Y1 Y2 Cb Cr becomes Y1 Cb Cr Y2 Cb Cr.

    Parameters
    ----------
    arr : numpy.ndarray
        The samples, any dtype (e.g. ``V2`` for raw 16-bit values).
    """
    out = np.empty(arr.shape[0] // 2 * 3, dtype=arr.dtype)
    out[::6] = arr[::4]
    out[3::6] = arr[1::4]
    out[1::6], out[4::6] = arr[2::4], arr[2::4]
    out[2::6], out[5::6] = arr[3::4], arr[3::4]
    return out


class RunnerBase:
    """The options of one decoding or encoding run and their checks.

    Parameters
    ----------
    tsyntax : UID
        The transfer syntax of the (encoded) pixel data.
    """

    def __init__(self, tsyntax: UID) -> None:
        self._opts: dict[str, Any] = {}
        self.set_option("transfer_syntax_uid", tsyntax)
        # options that may be changed but not deleted
        self._undeletable: tuple[str, ...] = ("transfer_syntax_uid",)
        # "Dataset", "Buffer", "Array" or "BinaryIO" once a source is set
        self._src_type = "UNDEFINED"

    def _required(self, name: str) -> Any:
        value = self._opts.get(name)
        if value is None:
            raise AttributeError(f"No value for '{name}' has been set")
        return value

    @property
    def bits_allocated(self) -> int:
        """(0028,0100) *Bits Allocated*."""
        return self._required("bits_allocated")

    @property
    def bits_stored(self) -> int:
        """(0028,0101) *Bits Stored*."""
        return self._required("bits_stored")

    @property
    def columns(self) -> int:
        """(0028,0011) *Columns*."""
        return self._required("columns")

    def del_option(self, name: str) -> None:
        """Delete the option `name` (the transfer syntax may not be deleted)."""
        if name in self._undeletable:
            raise ValueError(f"Deleting '{name}' is not allowed")
        self._opts.pop(name, None)

    @property
    def extended_offsets(self) -> tuple[list[int], list[int]] | tuple[bytes, bytes] | None:
        """The Extended Offset Table and its lengths (PS3.5 A.4), or ``None``."""
        return self._opts.get("extended_offsets")

    def frame_length(self, unit: str = "bytes") -> int | float:
        """The length of one frame in bytes (excluding odd-length padding;
        fractional for unaligned native 1-bit frames) or in pixels.

        Parameters
        ----------
        unit : str
            ``"bytes"`` (default) or ``"pixels"``.
        """
        opts: dict[str, Any] = {
            "rows": self.rows,
            "columns": self.columns,
            "samples_per_pixel": self.samples_per_pixel,
        }
        if unit != "pixels":
            opts["bits_allocated"] = self.bits_allocated
            opts["photometric_interpretation"] = self._opts.get("photometric_interpretation")
        return frame_length(opts, self.transfer_syntax.is_encapsulated, unit)

    def get_option(self, name: str, default: Any = None) -> Any:
        """The value of option `name`, or `default`."""
        return self._opts.get(name, default)

    @property
    def is_array(self) -> bool:
        """``True`` if the source is a numpy array."""
        return self._src_type == "Array"

    @property
    def is_binary(self) -> bool:
        """``True`` if the source is a binary file-like."""
        return self._src_type == "BinaryIO"

    @property
    def is_buffer(self) -> bool:
        """``True`` if the source is a buffer (bytes, bytearray, memoryview)."""
        return self._src_type == "Buffer"

    @property
    def is_dataset(self) -> bool:
        """``True`` if the source is a Dataset."""
        return self._src_type == "Dataset"

    @property
    def number_of_frames(self) -> int:
        """(0028,0008) *Number of Frames*."""
        return self._required("number_of_frames")

    @property
    def options(self) -> dict[str, Any]:
        """The options dict itself (not a copy)."""
        return self._opts

    @property
    def photometric_interpretation(self) -> str:
        """(0028,0004) *Photometric Interpretation*."""
        return self._required("photometric_interpretation")

    @property
    def pixel_keyword(self) -> str:
        """``"PixelData"``, ``"FloatPixelData"`` or ``"DoubleFloatPixelData"``."""
        return self._required("pixel_keyword")

    @property
    def pixel_representation(self) -> int:
        """(0028,0103) *Pixel Representation*."""
        return self._required("pixel_representation")

    @property
    def planar_configuration(self) -> int:
        """(0028,0006) *Planar Configuration*; 0 for compressed syntaxes when unset."""
        value = self._opts.get("planar_configuration")
        if value is not None:
            return value
        if self.transfer_syntax.is_compressed:
            return 0
        raise AttributeError("No value for 'planar_configuration' has been set")

    @property
    def rows(self) -> int:
        """(0028,0010) *Rows*."""
        return self._required("rows")

    @property
    def samples_per_pixel(self) -> int:
        """(0028,0002) *Samples per Pixel*."""
        return self._required("samples_per_pixel")

    def set_option(self, name: str, value: Any) -> None:
        """Set option `name` to `value`.

        A missing or zero *Number of Frames* means one frame (with a warning);
        a photometric interpretation becomes a :class:`PhotometricInterpretation`.
        """
        if name == "number_of_frames":
            value = int(value) if isinstance(value, str) else value
            if value in (None, 0):
                warn_and_log(
                    f"A value of '{value}' for (0028,0008) 'Number of Frames' is "
                    "invalid, assuming 1 frame",
                    stacklevel=3,
                )
                value = 1
        elif name == "transfer_syntax_uid":
            value = UID(value)
        elif name == "photometric_interpretation":
            if isinstance(value, str):
                value = _PI_VALUES.get(value, PI.__members__.get(value, value))
        self._opts[name] = value

    def set_options(self, **kwargs: Any) -> None:
        """Set several options, given as keyword arguments."""
        for name, value in kwargs.items():
            self.set_option(name, value)

    def _set_options_ds(self, ds: Dataset) -> None:
        """Set the options from the Image Pixel elements of `ds`."""
        self.set_options(**as_pixel_options(ds))

    @property
    def transfer_syntax(self) -> UID:
        """The transfer syntax of the pixel data."""
        return self._opts["transfer_syntax_uid"]

    def validate(self) -> None:
        """Check the options and source; subclasses implement it."""
        raise NotImplementedError(f"{type(self).__name__}.validate() has not been implemented")

    def _validate_options(self) -> None:
        """Check the Image Pixel options (see :func:`validate_options`)."""
        validate_options(self._opts)
