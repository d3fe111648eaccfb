"""Pixel data encoding: :class:`Encoder` and :class:`EncodeRunner` (pydicom 3's
``pydicom.pixels.encoders.base``).

One :class:`Encoder` per transfer syntax fastdicom can write; it holds the
encoding plugins of that syntax (``add_plugin(label, (module, func))``, a
plugin written for pydicom registers unchanged) and encodes a frame at a
time from a Dataset, an array or the native bytes. The plugins:

=========================  ==============================================
Transfer syntax            Plugins, in order of preference
=========================  ==============================================
RLE Lossless               "pydicom": ``fastdicom._rle`` (compiled),
                           "pylibjpeg" (pylibjpeg-rle)
JPEG-LS (both)             "pyjpegls", "imagecodecs" (CharLS)
JPEG 2000 (both)           "imagecodecs" (OpenJPEG), "pylibjpeg"
JPEG Baseline, Extended,   "imagecodecs" (libjpeg-turbo), syntaxes pydicom
Lossless P14 and SV1       cannot write
HTJ2K (the three)          "imagecodecs" (OpenJPH), ditto
=========================  ==============================================
"""

from __future__ import annotations

import math
import sys
from collections.abc import Callable, Iterable, Iterator
from typing import Any, cast

import numpy as np

from fastdicom import config
from fastdicom.dataset import Dataset
from fastdicom.pixels.common import Buffer, CoderBase, RunnerBase, RunnerOptions
from fastdicom.uid import (
    JPEG2000,
    UID,
    HTJ2K,
    HTJ2KLossless,
    HTJ2KLosslessRPCL,
    JPEG2000Lossless,
    JPEGBaseline8Bit,
    JPEGExtended12Bit,
    JPEGLossless,
    JPEGLosslessSV1,
    JPEGLSLossless,
    JPEGLSNearLossless,
    JPEGLSTransferSyntaxes,
    RLELossless,
)

LOGGER = config.logger

EncodeFunction = Callable[[bytes, "EncodeRunner"], "bytes | bytearray"]


class EncodeOptions(RunnerOptions, total=False):
    """Options accepted by :class:`EncodeRunner` and the encoding plugins."""

    byteorder: str
    jls_error: int
    j2k_cr: list[float]
    j2k_psnr: list[float]


def _itemsize(bits_stored: int) -> int:
    """The bytes per sample a plugin gets for `bits_stored` bits."""
    for size in (1, 2, 4, 8):
        if bits_stored <= 8 * size:
            return size
    return 8


class EncodeRunner(RunnerBase):
    """The options, source and plugins of one encoding (pydicom's
    ``EncodeRunner``); used by :class:`Encoder`, not directly.

    Parameters
    ----------
    tsyntax : UID
        The transfer syntax to encode to.
    """

    def __init__(self, tsyntax: UID) -> None:
        self._src: Any = None
        self._src_type = "UNDEFINED"
        self._opts: dict[str, Any] = {
            "transfer_syntax_uid": UID(tsyntax),
            "byteorder": "<",
            "pixel_keyword": "PixelData",
        }
        self._undeletable = ("transfer_syntax_uid", "pixel_keyword", "byteorder")
        self._encoders: dict[str, EncodeFunction] = {}

    def encode(self, index: int | None) -> bytes:
        """Encode frame `index` (``None``: the only frame) with the first
        plugin that succeeds."""
        failures = []
        for name, func in self._encoders.items():
            try:
                data = func(self.get_frame(index), self)
                return data if isinstance(data, bytes) else bytes(data)
            except Exception as exc:
                LOGGER.exception(exc)
                failures.append(f"{name}: {exc}")
        messages = "\n  ".join(failures)
        raise RuntimeError(
            "Unable to encode as exceptions were raised by all available "
            f"plugins:\n  {messages}"
        )

    def get_frame(self, index: int | None) -> bytes:
        """Frame `index` as little endian bytes, each sample in the fewest
        bytes that hold *Bits Stored* (what the plugins expect)."""
        if self.is_array:
            return self._get_frame_array(index)
        frame = self._get_frame_buffer(index)
        return frame if isinstance(frame, bytes) else bytes(frame)

    def _get_frame_array(self, index: int | None) -> bytes:
        arr = cast(np.ndarray, self.src[index] if index is not None else self.src)
        itemsize = _itemsize(self.bits_stored)
        if arr.dtype.itemsize != itemsize:
            arr = arr.astype(f"<{arr.dtype.kind}{itemsize}")
        if (
            self.transfer_syntax in JPEGLSTransferSyntaxes
            and self.samples_per_pixel == 3
            and self.planar_configuration == 1
        ):
            # JPEG-LS plugins take planar configuration 1 data as planes
            arr = arr.transpose(2, 0, 1)
        return np.ascontiguousarray(arr).tobytes()

    def _get_frame_buffer(self, index: int | None) -> Buffer:
        frame_bytes = cast(int, self.frame_length(unit="bytes"))
        start = 0 if index is None else index * frame_bytes
        src = cast(Buffer, self.src)[start : start + frame_bytes]
        pixels = cast(int, self.frame_length(unit="pixels"))
        step = len(src) // pixels
        itemsize = _itemsize(self.bits_stored)
        if step == itemsize:
            return src
        # Keep the low `itemsize` bytes of each little endian value
        raw = np.frombuffer(src, dtype=np.uint8)[: pixels * step].reshape(pixels, step)
        out = np.zeros((pixels, itemsize), dtype=np.uint8)
        keep = min(step, itemsize)
        out[:, :keep] = raw[:, :keep]
        return out.tobytes()

    def set_encoders(self, encoders: dict[str, EncodeFunction]) -> None:
        """The plugins to use, as ``{label: function}``."""
        self._encoders = encoders

    def set_source(self, src: np.ndarray | Dataset | Buffer) -> None:
        """The pixel data to encode: a Dataset (native; its Image Pixel
        elements set the options), an array, or the native bytes."""
        if isinstance(src, Dataset):
            self._set_options_ds(src)
            self._src = src.PixelData
            self._src_type = "Dataset"
        elif isinstance(src, (bytes, bytearray, memoryview)):
            self._src = src
            self._src_type = "Buffer"
        elif isinstance(src, np.ndarray):
            order = src.dtype.byteorder
            if order == ">" or (order == "=" and sys.byteorder == "big"):
                src = src.astype(src.dtype.newbyteorder("<"))
            self._src = src
            self._src_type = "Array"
        else:
            raise TypeError(
                "'src' must be bytes, numpy.ndarray or pydicom.dataset.Dataset, "
                f"not '{src.__class__.__name__}'"
            )

    @property
    def src(self) -> Buffer | np.ndarray:
        """The pixel data to encode."""
        return self._src

    def __str__(self) -> str:
        lines = [f"EncodeRunner for '{self.transfer_syntax.name}'", "Options"]
        lines.extend(f"  {name}: {value}" for name, value in self.options.items())
        if self._encoders:
            lines.append("Encoders")
            lines.extend(f"  {name}" for name in self._encoders)
        return "\n".join(lines)

    def validate(self) -> None:
        """Check the options, the source and the syntax's encoding profile."""
        self._validate_options()
        if self.is_dataset or self.is_buffer:
            self._validate_buffer()
        else:
            self._validate_array()
        self._validate_encoding_profile()

    def _validate_array(self) -> None:
        arr = cast(np.ndarray, self.src)
        shape, dtype = arr.shape, arr.dtype
        if len(shape) not in (2, 3, 4):
            raise ValueError(f"Unable to encode {len(shape)}D ndarrays")
        expected = [self.number_of_frames, self.rows, self.columns, self.samples_per_pixel]
        expected = expected[1:] if expected[0] == 1 else expected
        expected = expected[:-1] if expected[-1] in (None, 1) else expected
        if shape != tuple(expected):
            raise ValueError(
                f"Mismatch between the expected ndarray shape {tuple(expected)} "
                f"and the actual shape {shape}"
            )
        kinds = [np.issubdtype(dtype, np.unsignedinteger), np.issubdtype(dtype, np.signedinteger)]
        if not any(kinds):
            raise ValueError(
                f"The ndarray's dtype '{dtype}' is not supported, must be a "
                "signed or unsigned integer type"
            )
        signed = self.pixel_representation == 1
        if not kinds[signed]:
            kind = ["unsigned", "signed"][signed]
            raise ValueError(
                f"The ndarray's dtype '{dtype}' is not consistent with a (0028,0103) "
                f"'Pixel Representation' of '{self.pixel_representation}' ({kind} integers)"
            )
        if dtype.itemsize < math.ceil(self.bits_allocated / 8):
            raise ValueError(
                f"The ndarray's dtype '{dtype}' is not consistent with a (0028,0100) "
                f"'Bits Allocated' value of '{self.bits_allocated}'"
            )
        amax, amin = arr.max(), arr.min()
        if signed:
            minimum, maximum = -(2 ** (self.bits_stored - 1)), 2 ** (self.bits_stored - 1) - 1
        else:
            minimum, maximum = 0, 2**self.bits_stored - 1
        if amax > maximum or amin < minimum:
            raise ValueError(
                "The ndarray contains values that are outside the allowable "
                f"range of ({minimum}, {maximum}) for a (0028,0101) 'Bits "
                f"Stored' value of '{self.bits_stored}'"
            )
        if self.transfer_syntax == JPEGLSNearLossless and signed:
            # Near-lossless signed data must leave room for the error bound
            error = self.get_option("jls_error", 0)
            if error and not (amax <= maximum - error and amin >= minimum + error):
                raise ValueError(
                    "The supported range of pixel values when performing lossy "
                    "JPEG-LS encoding of signed integers with a (0028,0103) 'Bits "
                    f"Stored' value of '{self.bits_stored}' and a 'jls_error' "
                    f"of '{error}' is ({minimum + error}, {maximum - error})"
                )

    def _validate_buffer(self) -> None:
        expected = self.frame_length(unit="bytes") * self.number_of_frames
        actual = len(self.src)
        if actual < expected:
            raise ValueError(
                "The length of the uncompressed pixel data doesn't match the "
                f"expected length - {actual} bytes actual vs. {expected} expected"
            )

    def _validate_encoding_profile(self) -> None:
        """Check the Image Pixel values against the syntax's profile (PS3.5 §8.2)."""
        profile = ENCODING_PROFILES.get(self.transfer_syntax)
        if profile is None:
            return
        for pi, samples, representations, allocated, stored in profile:
            if (
                self.photometric_interpretation == pi
                and self.samples_per_pixel == samples
                and self.pixel_representation in representations
                and self.bits_allocated in allocated
                and self.bits_stored in stored
            ):
                return
        raise ValueError(
            "One or more of the following values is not valid for pixel data "
            f"encoded with '{self.transfer_syntax.name}':\n"
            f"  (0028,0002) Samples per Pixel: {self.samples_per_pixel}\n"
            "  (0028,0006) Photometric Interpretation: "
            f"{self.photometric_interpretation}\n"
            f"  (0028,0100) Bits Allocated: {self.bits_allocated}\n"
            f"  (0028,0101) Bits Stored: {self.bits_stored}\n"
            f"  (0028,0103) Pixel Representation: {self.pixel_representation}\n"
            "See Part 5, Section 8.2 of the DICOM Standard for more information"
        )


class Encoder(CoderBase):
    """The encoder of one transfer syntax and its encoding plugins (pydicom's
    ``Encoder``). :func:`get_encoder` gives the instance for a syntax.

    Parameters
    ----------
    uid : UID
        The transfer syntax encoded to.
    """

    def __init__(self, uid: UID) -> None:
        super().__init__(uid, decoder=False)

    def _runner(
        self, src: Any, kwargs: dict[str, Any], encoding_plugin: str, validate: bool
    ) -> EncodeRunner:
        return self._prepare(EncodeRunner(self.UID), src, kwargs, encoding_plugin, validate)

    def encode(
        self,
        src: bytes | np.ndarray | Dataset,
        *,
        index: int | None = None,
        validate: bool = True,
        encoding_plugin: str = "",
        **kwargs: Any,
    ) -> bytes:
        """Encode one frame of `src`.

        Parameters
        ----------
        src : bytes | numpy.ndarray | Dataset
            Native little endian pixel data (with the Image Pixel options as
            keyword arguments), an array of it, or a dataset holding it.
        index : int, optional
            The frame to encode, required for multi-frame data.
        validate : bool
            Check the options and data first (default ``True``).
        encoding_plugin : str
            Use only this plugin.
        **kwargs
            Image Pixel options and encoding options (``jls_error``,
            ``j2k_cr``, ``j2k_psnr``, ...).
        """
        if index is not None and index < 0:
            raise ValueError("'index' must be greater than or equal to 0")
        runner = self._runner(src, kwargs, encoding_plugin, validate)
        if runner.number_of_frames > 1 and index is None:
            raise ValueError(
                "The 'index' of the frame to be encoded is required for "
                "multi-frame pixel data"
            )
        return runner.encode(index)

    def iter_encode(
        self,
        src: bytes | np.ndarray | Dataset,
        *,
        validate: bool = True,
        encoding_plugin: str = "",
        **kwargs: Any,
    ) -> Iterator[bytes]:
        """Yield each frame of `src` encoded; arguments as for :meth:`encode`."""
        runner = self._runner(src, kwargs, encoding_plugin, validate)
        if runner.number_of_frames == 1:
            yield runner.encode(None)
            return
        for index in range(runner.number_of_frames):
            yield runner.encode(index)


ProfileType = tuple[str, int, Iterable[int], Iterable[int], Iterable[int]]
# (Photometric Interpretation, Samples per Pixel, Pixel Representation,
#  Bits Allocated, Bits Stored) allowed for each syntax, PS3.5 §8.2
ENCODING_PROFILES: dict[UID, list[ProfileType]] = {
    JPEGBaseline8Bit: [  # PS3.5 Table 8.2.1-1
        ("MONOCHROME1", 1, (0,), (8,), (8,)),
        ("MONOCHROME2", 1, (0,), (8,), (8,)),
        ("YBR_FULL_422", 3, (0,), (8,), (8,)),
        ("RGB", 3, (0,), (8,), (8,)),
    ],
    JPEGExtended12Bit: [  # PS3.5 Table 8.2.1-1
        ("MONOCHROME1", 1, (0,), (8,), (8,)),
        ("MONOCHROME1", 1, (0,), (16,), (12,)),
        ("MONOCHROME2", 1, (0,), (8,), (8,)),
        ("MONOCHROME2", 1, (0,), (16,), (12,)),
    ],
    JPEGLossless: [  # PS3.5 Table 8.2.1-2
        ("MONOCHROME1", 1, (0, 1), (8, 16), range(1, 17)),
        ("MONOCHROME2", 1, (0, 1), (8, 16), range(1, 17)),
        ("PALETTE COLOR", 1, (0,), (8, 16), range(1, 17)),
        ("YBR_FULL", 3, (0,), (8, 16), range(1, 17)),
        ("RGB", 3, (0,), (8, 16), range(1, 17)),
    ],
    JPEGLosslessSV1: [  # PS3.5 Table 8.2.1-2
        ("MONOCHROME1", 1, (0, 1), (8, 16), range(1, 17)),
        ("MONOCHROME2", 1, (0, 1), (8, 16), range(1, 17)),
        ("PALETTE COLOR", 1, (0,), (8, 16), range(1, 17)),
        ("YBR_FULL", 3, (0,), (8, 16), range(1, 17)),
        ("RGB", 3, (0,), (8, 16), range(1, 17)),
    ],
    JPEGLSLossless: [  # PS3.5 Table 8.2.3-1
        ("MONOCHROME1", 1, (0, 1), (8, 16), range(2, 17)),
        ("MONOCHROME2", 1, (0, 1), (8, 16), range(2, 17)),
        ("PALETTE COLOR", 1, (0,), (8, 16), range(2, 17)),
        ("YBR_FULL", 3, (0,), (8,), range(2, 9)),
        ("RGB", 3, (0,), (8, 16), range(2, 17)),
    ],
    JPEGLSNearLossless: [  # PS3.5 Table 8.2.3-1
        ("MONOCHROME1", 1, (0, 1), (8, 16), range(2, 17)),
        ("MONOCHROME2", 1, (0, 1), (8, 16), range(2, 17)),
        ("YBR_FULL", 3, (0,), (8,), range(2, 9)),
        ("RGB", 3, (0,), (8, 16), range(2, 17)),
    ],
    JPEG2000Lossless: [  # PS3.5 Table 8.2.4-1
        ("MONOCHROME1", 1, (0, 1), (8, 16, 24, 32, 40), range(1, 39)),
        ("MONOCHROME2", 1, (0, 1), (8, 16, 24, 32, 40), range(1, 39)),
        ("PALETTE COLOR", 1, (0,), (8, 16), range(1, 17)),
        ("YBR_RCT", 3, (0,), (8, 16, 24, 32, 40), range(1, 39)),
        ("RGB", 3, (0,), (8, 16, 24, 32, 40), range(1, 39)),
        ("YBR_FULL", 3, (0,), (8, 16, 24, 32, 40), range(1, 39)),
    ],
    JPEG2000: [  # PS3.5 Table 8.2.4-1
        ("MONOCHROME1", 1, (0, 1), (8, 16, 24, 32, 40), range(1, 39)),
        ("MONOCHROME2", 1, (0, 1), (8, 16, 24, 32, 40), range(1, 39)),
        ("YBR_ICT", 3, (0,), (8, 16, 24, 32, 40), range(1, 39)),
        ("RGB", 3, (0,), (8, 16, 24, 32, 40), range(1, 39)),
        ("YBR_FULL", 3, (0,), (8, 16, 24, 32, 40), range(1, 39)),
    ],
    RLELossless: [  # PS3.5 Table 8.2.2-1
        ("MONOCHROME1", 1, (0, 1), (8, 16), range(1, 17)),
        ("MONOCHROME2", 1, (0, 1), (8, 16), range(1, 17)),
        ("PALETTE COLOR", 1, (0,), (8, 16), range(1, 17)),
        ("YBR_FULL", 3, (0,), (8,), range(1, 9)),
        ("RGB", 3, (0,), (8, 16), range(1, 17)),
    ],
}

_NATIVE = ("pydicom", ("fastdicom.pixels.encoders.native", "_encode_frame"))
_IMAGECODECS = ("imagecodecs", ("fastdicom.pixels.encoders.imagecodecs", "_encode_frame"))
_PYJPEGLS = ("pyjpegls", ("fastdicom.pixels.encoders.pyjpegls", "_encode_frame"))
_PYLIBJPEG = ("pylibjpeg", ("fastdicom.pixels.encoders.pylibjpeg", "_encode_frame"))

RLELosslessEncoder = Encoder(RLELossless)
RLELosslessEncoder.add_plugins([_NATIVE, _PYLIBJPEG])
JPEGLSLosslessEncoder = Encoder(JPEGLSLossless)
JPEGLSLosslessEncoder.add_plugins([_PYJPEGLS, _IMAGECODECS])
JPEGLSNearLosslessEncoder = Encoder(JPEGLSNearLossless)
JPEGLSNearLosslessEncoder.add_plugins([_PYJPEGLS, _IMAGECODECS])
JPEG2000LosslessEncoder = Encoder(JPEG2000Lossless)
JPEG2000LosslessEncoder.add_plugins([_IMAGECODECS, _PYLIBJPEG])
JPEG2000Encoder = Encoder(JPEG2000)
# the lossy options (compression ratios, PSNR layers) are pylibjpeg-openjpeg's
JPEG2000Encoder.add_plugins([_PYLIBJPEG, _IMAGECODECS])
# fastdicom also writes the syntaxes pydicom cannot
JPEGBaseline8BitEncoder = Encoder(JPEGBaseline8Bit)
JPEGBaseline8BitEncoder.add_plugin(*_IMAGECODECS)
JPEGExtended12BitEncoder = Encoder(JPEGExtended12Bit)
JPEGExtended12BitEncoder.add_plugin(*_IMAGECODECS)
JPEGLosslessEncoder = Encoder(JPEGLossless)
JPEGLosslessEncoder.add_plugin(*_IMAGECODECS)
JPEGLosslessSV1Encoder = Encoder(JPEGLosslessSV1)
JPEGLosslessSV1Encoder.add_plugin(*_IMAGECODECS)
HTJ2KLosslessEncoder = Encoder(HTJ2KLossless)
HTJ2KLosslessEncoder.add_plugin(*_IMAGECODECS)
HTJ2KLosslessRPCLEncoder = Encoder(HTJ2KLosslessRPCL)
HTJ2KLosslessRPCLEncoder.add_plugin(*_IMAGECODECS)
HTJ2KEncoder = Encoder(HTJ2K)
HTJ2KEncoder.add_plugin(*_IMAGECODECS)

# The one registry of encoders: transfer syntax -> (encoder, version added)
_PIXEL_DATA_ENCODERS: dict[UID, tuple[Encoder, str]] = {
    RLELossless: (RLELosslessEncoder, "2.2"),
    JPEGLSLossless: (JPEGLSLosslessEncoder, "3.0"),
    JPEGLSNearLossless: (JPEGLSNearLosslessEncoder, "3.0"),
    JPEG2000Lossless: (JPEG2000LosslessEncoder, "3.0"),
    JPEG2000: (JPEG2000Encoder, "3.0"),
    JPEGBaseline8Bit: (JPEGBaseline8BitEncoder, "fastdicom"),
    JPEGExtended12Bit: (JPEGExtended12BitEncoder, "fastdicom"),
    JPEGLossless: (JPEGLosslessEncoder, "fastdicom"),
    JPEGLosslessSV1: (JPEGLosslessSV1Encoder, "fastdicom"),
    HTJ2KLossless: (HTJ2KLosslessEncoder, "fastdicom"),
    HTJ2KLosslessRPCL: (HTJ2KLosslessRPCLEncoder, "fastdicom"),
    HTJ2K: (HTJ2KEncoder, "fastdicom"),
}


def _build_encoder_docstrings() -> None:
    for encoder, _ in _PIXEL_DATA_ENCODERS.values():
        plugins = sorted([*encoder._available, *encoder._unavailable])
        encoder.__doc__ = "\n".join([
            f"A *Pixel Data* encoder for *{encoder.UID.name}* - ``{encoder.UID}``",
            "",
            f"Encoding plugins: {', '.join(plugins)}",
            "",
            "See :class:`~fastdicom.pixels.encoders.base.Encoder` for its methods.",
        ])


_build_encoder_docstrings()


def get_encoder(uid: str) -> Encoder:
    """The :class:`Encoder` of transfer syntax `uid`.

    Raises
    ------
    NotImplementedError
        fastdicom cannot encode to `uid`.
    """
    uid = UID(uid)
    try:
        return _PIXEL_DATA_ENCODERS[uid][0]
    except KeyError:
        raise NotImplementedError(
            f"No pixel data encoders have been implemented for '{uid.name}'"
        ) from None
