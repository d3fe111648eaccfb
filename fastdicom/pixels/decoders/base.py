"""Pixel data decoding: :class:`Decoder` and :class:`DecodeRunner` (pydicom 3's
``pydicom.pixels.decoders.base``).

There is one :class:`Decoder` per transfer syntax; :func:`get_decoder` returns
it. It is both the public decoding API (``as_array``, ``iter_array``,
``as_buffer``, ``iter_buffer``) and the registry of decoding plugins of its
syntax, so ``RLELosslessDecoder.add_plugin(label, (module, func))`` is how a
plugin (one written for pydicom too) is added, and
:func:`fastdicom.pixels.pixel_array` uses the same objects.

* Native syntaxes are decoded by ``fastdicom._pixels`` in one pass (byte swap,
  unused-bit masking and sign extension, de-planarizing, bit unpacking); with
  ``view_only=True`` a read-only view on the source is returned where no
  change is needed.
* Encapsulated frames (PS3.5 A.4) go to the plugins. The built-in ones are
  ``fastdicom._rle`` for RLE Lossless (plugin "pydicom", as pydicom names its
  own) and the codec backends of :mod:`fastdicom.pixels.decoders` for JPEG,
  JPEG-LS and JPEG 2000 (plugins "imagecodecs", "pylibjpeg", "pyjpegls").
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterable, Iterator
from io import BufferedIOBase
from math import ceil, floor
from typing import Any, BinaryIO, cast

import numpy as np

from fastdicom import _pixels, config
from fastdicom.config import warn_and_log
from fastdicom.dataset import Dataset
from fastdicom.encaps import _basic_offsets_at, _iter_fragment_items, _view_of, generate_frames, get_frame
from fastdicom.pixels.common import (
    PIXEL_KEYWORDS,
    Buffer,
    CoderBase,
    RunnerBase,
    RunnerOptions,
    expand_ybr422_array,
)
from fastdicom.pixels.common import PhotometricInterpretation as PI
from fastdicom.pixels.decoders._markers import j2k_parameters, jpeg_parameters
from fastdicom.pixels.processing import convert_color_space
from fastdicom.uid import (
    JPEG2000,
    UID,
    DeflatedExplicitVRLittleEndian,
    ExplicitVRBigEndian,
    ExplicitVRLittleEndian,
    HTJ2K,
    HTJ2KLossless,
    HTJ2KLosslessRPCL,
    ImplicitVRLittleEndian,
    JPEG2000Lossless,
    JPEGBaseline8Bit,
    JPEGExtended12Bit,
    JPEGLossless,
    JPEGLosslessSV1,
    JPEGLSLossless,
    JPEGLSNearLossless,
    JPEGLSTransferSyntaxes,
    JPEGTransferSyntaxes,
    RLELossless,
)

LOGGER = config.logger

# uid.py's lists, plus the two retired progressive JPEG processes libjpeg-turbo decodes
JPEG_SYNTAXES = {
    *JPEGTransferSyntaxes, UID("1.2.840.10008.1.2.4.53"), UID("1.2.840.10008.1.2.4.55")
}
JPEGLS_SYNTAXES = set(JPEGLSTransferSyntaxes)
JPEG2000_SYNTAXES = {JPEG2000Lossless, JPEG2000, HTJ2KLossless, HTJ2KLosslessRPCL, HTJ2K}

DecodeFunction = Callable[[bytes, "DecodeRunner"], "bytes | bytearray"]
ProcessingFunction = Callable[[np.ndarray, "DecodeRunner", dict], np.ndarray]


class DecodeOptions(RunnerOptions, total=False):
    """Options accepted by :class:`DecodeRunner` and the decoding plugins."""

    pixel_vr: str
    allow_excess_frames: bool
    correct_unused_bits: bool
    view_only: bool
    be_swap_ow: bool
    buffer_from_file: bool  # fastdicom: a file's value, its length not checked
    rle_segment_order: str
    byteorder: str
    apply_jls_sign_correction: bool
    apply_j2k_sign_correction: bool
    as_rgb: bool
    force_rgb: bool
    force_ybr: bool


# -- processing after decoding -----------------------------------------------
def _process_color_space(arr: np.ndarray, runner: DecodeRunner, changes: dict) -> np.ndarray:
    """YBR_FULL(_422) to RGB by default (``as_rgb``), or as forced."""
    force_ybr = runner.get_option("force_ybr", False)
    force_rgb = runner.get_option("force_rgb", False)
    if force_ybr and force_rgb:
        raise ValueError("'force_ybr' and 'force_rgb' cannot both be True")
    to_rgb = (
        runner.photometric_interpretation in (PI.YBR_FULL, PI.YBR_FULL_422)
        and runner.get_option("as_rgb", False)
    ) or force_rgb
    if not arr.flags.writeable and (to_rgb or force_ybr):
        if runner.get_option("view_only", False):
            LOGGER.warning(
                "Unable to return an ndarray that's a view on the original "
                "buffer if applying a color space conversion"
            )
        arr = arr.copy()
    # YBR_FULL and YBR_FULL_422 (once upsampled) share the transform
    if force_ybr:
        arr = convert_color_space(arr, PI.RGB, PI.YBR_FULL)
        changes["photometric_interpretation"] = PI.YBR_FULL
    elif to_rgb:
        arr = convert_color_space(arr, PI.YBR_FULL, PI.RGB)
        changes["photometric_interpretation"] = PI.RGB
    return arr


def _shift(arr: np.ndarray, bits: int) -> np.ndarray:
    """Keep the low `bits` bits of each value, sign extending a signed dtype."""
    shift = 8 * arr.dtype.itemsize - bits
    if shift > 0:
        np.left_shift(arr, shift, out=arr)
        np.right_shift(arr, shift, out=arr)
    return arr


def _correct_unused_bits(
    arr: np.ndarray, runner: DecodeRunner, log_warning: bool = True
) -> np.ndarray:
    """Clear (or sign-extend into) the bits above *Bits Stored*: their values
    cannot be assumed (PS3.5 §8.1.1)."""
    if (
        log_warning
        and runner.get_option("view_only", False)
        and not runner.transfer_syntax.is_encapsulated
        and not arr.flags.writeable
    ):
        LOGGER.warning(
            "Unable to return an ndarray that's a view on the original buffer when "
            "(0028,0101) 'Bits Stored' doesn't equal (0028,0100) 'Bits Allocated' "
            "and 'correct_unused_bits=True'. In most cases you can pass "
            "'correct_unused_bits=False' instead to get a view if the uncorrected "
            "array is equivalent to the corrected one."
        )
    if not arr.flags.writeable:
        arr = arr.copy()
    shift = runner.bits_allocated - runner.bits_stored
    np.left_shift(arr, shift, out=arr)
    np.right_shift(arr, shift, out=arr)
    return arr


def _apply_sign_correction(arr: np.ndarray, runner: DecodeRunner) -> np.ndarray:
    """Match the signedness of *Pixel Representation* when the codestream's
    differs: JPEG 2000 marks signedness (and may disagree), JPEG-LS cannot, so
    both are sign extended from the codestream's precision."""
    if runner.transfer_syntax in JPEG2000_SYNTAXES:
        signed = runner.get_option("j2k_is_signed", runner.pixel_representation)
        precision = runner.get_option("j2k_precision", runner.bits_stored)
        if signed != runner.pixel_representation:
            _shift(arr, precision)
    elif runner.transfer_syntax in JPEGLS_SYNTAXES:
        _shift(arr, runner.get_option("jls_precision", runner.bits_stored))
    return arr


# The processing applied unless raw=True; may be extended
PROCESSORS: list[ProcessingFunction] = [_process_color_space]


class DecodeRunner(RunnerBase):
    """The options, source and plugins of one decoding (pydicom's
    ``DecodeRunner``); used by :class:`Decoder`, not directly.

    Parameters
    ----------
    tsyntax : UID
        The transfer syntax of the pixel data.
    """

    def __init__(self, tsyntax: UID) -> None:
        self._src: Any = None
        self._src_type = "UNDEFINED"
        self._opts: dict[str, Any] = {
            "transfer_syntax_uid": UID(tsyntax),
            "as_rgb": True,
            "allow_excess_frames": True,
        }
        self._undeletable = ("transfer_syntax_uid", "pixel_keyword")
        self._decoders: dict[str, DecodeFunction] = {}
        # (label, function) of the plugin that decoded the last frame, once set
        self._previous: tuple[str, DecodeFunction]
        if self.transfer_syntax.is_encapsulated:
            self.set_option("pixel_keyword", "PixelData")
        else:
            self.set_option("view_only", False)
        if self.transfer_syntax in JPEG2000_SYNTAXES:
            self.set_option("apply_j2k_sign_correction", True)
        elif self.transfer_syntax in JPEGLS_SYNTAXES:
            self.set_option("apply_jls_sign_correction", True)
        else:
            self.set_option("correct_unused_bits", True)

    # -- JPEG codestream metadata -------------------------------------------
    def _conform_jpg_colorspace(self, info: dict[str, Any]) -> None:
        """Follow the codestream's colour space over the dataset's: component
        ids 'RGB'/'rgb' mean RGB, a JFIF APP0 marker means YCbCr (ITU T.871)."""
        if self.samples_per_pixel != 3:
            return
        pi = self.photometric_interpretation
        if info.get("component_ids") in ([82, 71, 66], [114, 103, 98]) and pi != PI.RGB:
            self.set_option("photometric_interpretation", PI.RGB)
            warn_and_log(
                f"The (0028,0004) 'Photometric Interpretation' value is '{pi}' "
                "however the encoded image's codestream uses component IDs that "
                "indicate it should be 'RGB'",
                stacklevel=4,
            )
            return
        cs = PI.YBR_FULL_422 if self.transfer_syntax == JPEGBaseline8Bit else PI.YBR_FULL
        for marker in info.get("app", {}).values():
            if marker.startswith(b"JFIF") and "YBR" not in pi:
                self.set_option("photometric_interpretation", cs)
                warn_and_log(
                    "The (0028,0004) 'Photometric Interpretation' value is "
                    f"'{pi}' however the encoded image's codestream contains a "
                    f"JFIF APP marker which indicates it should be '{cs}'",
                    stacklevel=4,
                )
                return

    def _get_frame_info(self, src: bytes) -> None:
        """Record what the frame's codestream says (precision, signedness,
        colour space) for the plugins and the corrections."""
        tsyntax = self.transfer_syntax
        if tsyntax in JPEG2000_SYNTAXES:
            info = j2k_parameters(src)
            self._compare_codestream(info, src)
            self.set_option("j2k_is_signed", info.get("is_signed", self.pixel_representation))
            self.set_option("j2k_precision", info.get("precision", self.bits_stored))
        elif tsyntax in JPEGLS_SYNTAXES:
            # CharLS (2.4) spends seconds, growing with the image, searching a
            # cut codestream for its end before failing: a frame that does
            # not end with EOI (ISO/IEC 14495-1 C.1.2; a DICOM fragment may
            # add a pad byte) is refused first (found by tools/fuzz_campaign.py)
            if b"\xff\xd9" not in bytes(src[-8:]):
                raise ValueError(
                    "The JPEG-LS codestream of the frame does not end with an EOI "
                    "marker: it is truncated or corrupt"
                )
            info = jpeg_parameters(src)
            self._compare_codestream(info, src)
            self.set_option("jls_precision", info.get("precision", self.bits_stored))
            self._conform_jpg_colorspace(info)
        elif tsyntax in JPEG_SYNTAXES:
            info = jpeg_parameters(src)
            self._compare_codestream(info, src)
            self._conform_jpg_colorspace(info)

    # -- checks before the output is allocated -----------------------------
    def check_encapsulated(self) -> None:
        """Compare the first frame's codestream header and the number of
        fragments with the Image Pixel values before any output exists.

        Rows, Columns, Samples per Pixel and Bits Allocated come from the
        dataset, so a broken or hostile header could ask for gigabytes that a
        few kilobytes of codestream never fill. Each frame is at least one
        fragment (PS3.5 A.4), so *Number of Frames* cannot exceed the
        fragments; the codestream's own header (JPEG SOF, ISO/IEC 10918-1
        B.2.2; JPEG-LS SOF55, 14495-1 C.2.2; JPEG 2000 / HTJ2K SIZ, 15444-1
        A.5.1; the RLE header, PS3.5 G.5) gives the frame's size. A header
        that cannot be read is left to the codec to report.

        Raises
        ------
        ValueError
            Naming the attribute and the value the data gives.
        """
        try:
            view, _, _ = _view_of(self.src)
            _, position = _basic_offsets_at(view, 0, "<")
        except (ValueError, TypeError):
            return  # the frame reader reports a broken offset table as pydicom
        fragments = 0
        first: tuple[int, int] | None = None
        try:
            for _, value, length in _iter_fragment_items(view, position, "<"):
                fragments += 1
                if first is None:
                    first = (value, length)
        except ValueError:
            pass  # the fragments before a corrupt item still count
        frames = self.number_of_frames
        if fragments and frames > fragments:
            raise ValueError(
                f"The (0028,0008) 'Number of Frames' value of {frames} is more than "
                f"the encapsulated pixel data can hold: it has {fragments} "
                f"fragment{'s' if fragments != 1 else ''} and each frame needs at least one"
            )
        if first is None:
            return
        header = view[first[0] : first[0] + min(first[1], 1 << 16)].tobytes()
        tsyntax = self.transfer_syntax
        if tsyntax in JPEG2000_SYNTAXES:
            self._compare_codestream(j2k_parameters(header), header)
        elif tsyntax in JPEGLS_SYNTAXES or tsyntax in JPEG_SYNTAXES:
            self._compare_codestream(jpeg_parameters(header), header)
        elif tsyntax == RLELossless and len(header) >= 64:
            segments = int.from_bytes(header[:4], "little")
            expected = self.samples_per_pixel * ceil(self.bits_allocated / 8)
            if segments != expected:
                # pydicom's words (its RLE decoder meets the same mismatch)
                raise ValueError(
                    "The number of RLE segments in the pixel data doesn't match the "
                    f"expected amount ({segments} vs. {expected} segments)"
                )

    def _compare_codestream(self, info: dict[str, Any], src: bytes) -> None:
        """Compare a frame's codestream header (`info` from
        :func:`jpeg_parameters` or :func:`j2k_parameters`) with the Image
        Pixel values; an unreadable header (empty `info`) is left to the codec.

        Raises
        ------
        ValueError
            Naming the attribute and the codestream's value.
        """
        tsyntax = self.transfer_syntax
        if tsyntax in JPEG2000_SYNTAXES:
            if info.get("precision") is None:
                return
            kind = "JPEG 2000"
            found = {"rows": info["rows"], "columns": info["columns"],
                     "samples_per_pixel": info["components"]}
        else:
            if info.get("components") is None:
                return
            kind = "JPEG-LS" if tsyntax in JPEGLS_SYNTAXES else "JPEG"
            found = {"rows": info["height"], "columns": info["width"],
                     "samples_per_pixel": info["components"]}
            if info["height"] == 0:
                # the height follows in a DNL marker (ISO/IEC 10918-1 B.2.5);
                # without one the stream is broken, and some codecs abort on it
                if b"\xff\xdc" not in src:
                    raise ValueError(
                        f"The {kind} codestream has a height of 0 and no DNL marker "
                        "to give it: the frame is corrupt"
                    )
                del found["rows"]
        names = {"rows": "(0028,0010) 'Rows'", "columns": "(0028,0011) 'Columns'",
                 "samples_per_pixel": "(0028,0002) 'Samples per Pixel'"}
        for key, value in found.items():
            if value != getattr(self, key):
                raise ValueError(
                    f"The {names[key]} value of {getattr(self, key)} doesn't match the "
                    f"{kind} codestream, which has {value}"
                )
        precision = info["precision"]
        if self.bits_allocated != 1 and precision > self.bits_allocated:
            raise ValueError(
                f"The (0028,0100) 'Bits Allocated' value of {self.bits_allocated} is "
                f"too small for the {kind} codestream, which has a precision of "
                f"{precision} bits"
            )

    def check_allocation(self, nbytes: int | float) -> None:
        """Refuse an output larger than :data:`fastdicom.config.max_pixel_allocation`.

        Raises
        ------
        ValueError
            Naming the values that ask for the memory and the ceiling.
        """
        limit = config.max_pixel_allocation
        if limit is not None and nbytes > limit:
            raise ValueError(
                f"Decoding would allocate {int(nbytes)} bytes for {self.number_of_frames} "
                f"frame(s) of {self.rows} x {self.columns} x {self.samples_per_pixel} "
                f"pixels of {self.bits_allocated} bits, more than "
                f"fastdicom.config.max_pixel_allocation ({limit} bytes)"
            )

    # -- decoding encapsulated frames ---------------------------------------
    def decode(self, index: int) -> bytes | bytearray:
        """The decoded frame at `index` of the encapsulated pixel data."""
        src = get_frame(
            self.src,
            index,
            number_of_frames=self.number_of_frames,
            extended_offsets=self.extended_offsets,
        )
        self._get_frame_info(src)
        return self._decode_frame(src)

    def _decode_frame(self, src: bytes) -> bytes | bytearray:
        """Decode one frame with the first plugin that succeeds."""
        failures = []
        last: Exception | None = None
        for name, func in self._decoders.items():
            try:
                frame = func(src, self)
            except Exception as exc:
                LOGGER.exception(exc)
                failures.append(f"{name}: {exc}")
                last = exc
                continue
            previous = getattr(self, "_previous", None)
            if previous is not None and previous[1] != func:
                warn_and_log(
                    f"The decoding plugin has changed from '{previous[0]}' "
                    f"to '{name}' during the decoding process - you may get "
                    f"inconsistent inter-frame results, consider passing "
                    f"'decoding_plugin=\"{name}\"' instead",
                    stacklevel=3,
                )
            self._previous = (name, func)
            return frame
        messages = "\n  ".join(failures)
        # chained to the last plugin's error, so its type is not lost
        raise RuntimeError(
            "Unable to decode as exceptions were raised by all available "
            f"plugins:\n  {messages}"
        ) from last

    def iter_decode(self) -> Iterator[bytes | bytearray]:
        """Yield the decoded frames (possibly more than *Number of Frames*)."""
        position = cast(BinaryIO, self.src).tell() if self.is_binary else None
        frames = generate_frames(
            self.src,
            number_of_frames=self.number_of_frames,
            extended_offsets=self.extended_offsets,
        )
        for index, src in enumerate(frames):
            self._get_frame_info(src)
            if hasattr(self, "_previous"):
                name, func = self._previous
                try:
                    yield func(src, self)
                    continue
                except Exception:
                    LOGGER.warning(
                        f"The decoding plugin '{name}' failed to decode the "
                        f"frame at index {index}"
                    )
            yield self._decode_frame(src)
        if position is not None:
            cast(BinaryIO, self.src).seek(position)

    def get_data(self, src: Buffer | BinaryIO, offset: int, length: int) -> bytes | Buffer:
        """`length` bytes of `src` from `offset` (fewer at its end); a file-like
        is returned to where it was."""
        if self.is_dataset or self.is_buffer:
            return cast(Buffer, src)[offset : offset + length]
        fp = cast(BinaryIO, src)
        position = fp.tell()
        fp.seek(offset)
        data = fp.read(length)
        fp.seek(position)
        return data

    # -- description of the output ------------------------------------------
    @property
    def pixel_dtype(self) -> np.dtype:
        """The dtype of the decoded pixels, in the transfer syntax's byte order."""
        keyword = self.pixel_keyword
        dtype: np.dtype
        if keyword == "FloatPixelData":
            dtype = np.dtype("float32")
        elif keyword == "DoubleFloatPixelData":
            dtype = np.dtype("float64")
        else:
            code = "ui"[self.pixel_representation]
            if self.bits_allocated == 1:
                code = "u1"
            elif self.bits_allocated > 0 and self.bits_allocated % 8 == 0:
                code += f"{self.bits_allocated // 8}"
            try:
                dtype = np.dtype(code)
            except TypeError:
                raise NotImplementedError(
                    f"The data type '{code}' needed to contain the pixel "
                    "data is not supported by NumPy"
                ) from None
        if self.transfer_syntax.is_little_endian != (sys.byteorder == "little"):
            dtype = dtype.newbyteorder("S")
        return dtype

    def pixel_properties(self, as_frame: bool = False) -> dict[str, str | int]:
        """The Image Pixel values that describe the decoded data (they follow
        what the plugins and processing changed).

        Parameters
        ----------
        as_frame : bool
            Describe one frame (*Number of Frames* 1).
        """
        props: dict[str, Any] = {
            "bits_allocated": self.bits_allocated,
            "columns": self.columns,
            "number_of_frames": 1 if as_frame else self.number_of_frames,
            "photometric_interpretation": str(self.photometric_interpretation),
            "rows": self.rows,
            "samples_per_pixel": self.samples_per_pixel,
        }
        if self.samples_per_pixel > 1:
            props["planar_configuration"] = self.planar_configuration
        if self.pixel_keyword == "PixelData":
            props["bits_stored"] = self.bits_stored
            props["pixel_representation"] = self.pixel_representation
        return props

    def process(self, arr: np.ndarray) -> tuple[np.ndarray, dict[str, str | int]]:
        """Apply :data:`PROCESSORS` to `arr`; returns it and the changed
        Image Pixel values."""
        changes: dict[str, str | int] = {}
        for func in PROCESSORS:
            arr = func(arr, self, changes)
        return arr, changes

    def reshape(
        self, arr: np.ndarray, as_frame: bool = False, planar: int | None = None
    ) -> np.ndarray:
        """`arr` (1-D) as (frames,) rows, columns(, samples).

        Parameters
        ----------
        arr : numpy.ndarray
        as_frame : bool
            `arr` holds one frame.
        planar : int, optional
            The sample order of `arr` when it is not *Planar Configuration*
            (a decoder that already interleaved the samples gives 0).
        """
        frames = self.number_of_frames
        samples = self.samples_per_pixel
        rows, columns = self.rows, self.columns
        if samples > 1 and planar is None:
            planar = self.planar_configuration
        if not as_frame and frames > 1:
            if samples == 1:
                return arr.reshape(frames, rows, columns)
            if planar == 0:
                return arr.reshape(frames, rows, columns, samples)
            return arr.reshape(frames, samples, rows, columns).transpose(0, 2, 3, 1)
        if samples == 1:
            return arr.reshape(rows, columns)
        if planar == 0:
            return arr.reshape(rows, columns, samples)
        return arr.reshape(samples, rows, columns).transpose(1, 2, 0)

    def set_decoders(self, decoders: dict[str, DecodeFunction]) -> None:
        """The plugins to use, as ``{label: function}``."""
        self._decoders = decoders
        self.__dict__.pop("_previous", None)

    # -- the source ----------------------------------------------------------
    def _set_options_ds(self, ds: Dataset) -> None:
        super()._set_options_ds(ds)
        file_meta = getattr(ds, "file_meta", None) or {}
        tsyntax = file_meta.get("TransferSyntaxUID", None)
        if tsyntax and tsyntax != self.transfer_syntax:
            raise ValueError(
                f"The dataset's transfer syntax '{UID(tsyntax).name}' doesn't "
                "match the pixel data decoder"
            )
        present = [kw for kw in PIXEL_KEYWORDS if kw in ds]
        if not present:
            raise AttributeError(
                "The dataset has no 'Pixel Data', 'Float Pixel Data' or 'Double "
                "Float Pixel Data' element, no pixel data to decode"
            )
        if len(present) != 1:
            raise AttributeError(
                "One and only one of 'Pixel Data', 'Float Pixel Data' or "
                "'Double Float Pixel Data' may be present in the dataset"
            )
        self.set_option("pixel_keyword", present[0])
        self.set_option("pixel_vr", ds[present[0]].VR)

    def set_source(self, src: Dataset | Buffer | BinaryIO) -> None:
        """The pixel data to decode: a Dataset (its Image Pixel elements set
        the options), the encoded bytes, or a file-like positioned at them."""
        if isinstance(src, Dataset):
            self._set_options_ds(src)
            self._src = src[self.pixel_keyword].value
            self._src_type = "BinaryIO" if isinstance(self._src, BufferedIOBase) else "Dataset"
        elif hasattr(src, "read"):
            self._src = src
            self._src_type = "BinaryIO"
        else:
            self._src = src
            self._src_type = "Buffer"

    @property
    def src(self) -> Buffer | BinaryIO:
        """The encoded pixel data (buffer or file-like)."""
        return self._src

    def __str__(self) -> str:
        lines = [f"DecodeRunner for '{self.transfer_syntax.name}'", "Options"]
        lines.extend(f"  {name}: {value}" for name, value in self.options.items())
        if self._decoders:
            lines.append("Decoders")
            lines.extend(f"  {name}" for name in self._decoders)
        return "\n".join(lines)

    def _test_for(self, test: str) -> bool:
        """Whether `test` ("be_swap_ow", "sign_correction", "shift_correction") applies."""
        if test == "be_swap_ow":
            if self.get_option("be_swap_ow"):
                return True
            # 8-bit big endian data as OW: each pair of bytes is swapped (PS3.5 §7.3)
            return (
                not self.transfer_syntax.is_little_endian
                and self.bits_allocated // 8 == 1
                and self.pixel_keyword == "PixelData"
                and self.get_option("pixel_vr") == "OW"
            )
        if test == "sign_correction":
            j2k = (
                self.transfer_syntax in JPEG2000_SYNTAXES
                and self.photometric_interpretation in (PI.MONOCHROME1, PI.MONOCHROME2)
                and self.get_option("apply_j2k_sign_correction", False)
            )
            jls = (
                self.transfer_syntax in JPEGLS_SYNTAXES
                and self.pixel_representation == 1
                and self.get_option("apply_jls_sign_correction", False)
            )
            return j2k or jls
        if test == "shift_correction":
            return bool(
                self.get_option("correct_unused_bits", False)
                and self.pixel_keyword == "PixelData"
                and self.bits_allocated > self.bits_stored
            )
        raise ValueError(f"Unknown test '{test}'")

    # -- validation ------------------------------------------------------------
    def validate(self) -> None:
        """Check the options, and the length of a buffer source (not of a
        buffer given with ``buffer_from_file=True``, the value of a file
        read as pydicom reads a file-like, whose length it doesn't check)."""
        self._validate_options()
        if (self.is_dataset or self.is_buffer) and not self.get_option("buffer_from_file"):
            self._validate_buffer()

    def _validate_buffer(self) -> None:
        """Check the length of the pixel data against the options (PS3.5 §8.1.1
        for the odd-length padding)."""
        frame_length = self.frame_length(unit="bytes")
        expected = ceil(frame_length * self.number_of_frames)
        actual = len(cast(Buffer, self._src))
        if self.transfer_syntax.is_encapsulated:
            if actual in (expected, expected + expected % 2):
                warn_and_log(
                    "The number of bytes of compressed pixel data matches the "
                    "expected number for uncompressed data - check that the "
                    "transfer syntax has been set correctly",
                    stacklevel=4,
                )
            return
        padded = expected + expected % 2
        if actual < padded:
            if actual != expected:
                raise ValueError(
                    f"The number of bytes of pixel data is less than expected "
                    f"({actual} vs {padded} bytes) - the dataset may be "
                    "corrupted, have an invalid group 0028 element value, or "
                    "the transfer syntax may be incorrect"
                )
            return
        if actual == padded:
            return
        if self.photometric_interpretation == PI.YBR_FULL_422:
            # PS3.3 C.7.6.3.1.2: the data may not be subsampled after all
            ybr_length = expected // 2 * 3
            if actual >= ybr_length + ybr_length % 2:
                raise ValueError(
                    "The number of bytes of pixel data is a third larger "
                    f"than expected ({actual} vs {expected} bytes) which "
                    "indicates the set (0028,0004) 'Photometric Interpretation' "
                    "value of 'YBR_FULL_422' is incorrect and may need to be "
                    "changed to either 'RGB' or 'YBR_FULL'"
                )
        elif self.get_option("allow_excess_frames", False):
            whole_frames = int(actual // frame_length)
            if whole_frames > self.number_of_frames:
                warn_and_log(
                    "The number of bytes of pixel data is sufficient to contain "
                    f"{whole_frames} frames which is larger than the given "
                    f"(0028,0008) 'Number of Frames' value of {self.number_of_frames}. "
                    "The returned data will include these extra frames and if it's "
                    "correct then you should update 'Number of Frames' accordingly, "
                    "otherwise pass 'allow_excess_frames=False' to return only "
                    f"the first {self.number_of_frames} frames.",
                    stacklevel=4,
                )
                self.set_option("number_of_frames", whole_frames)
                return
        warn_and_log(
            f"The pixel data is {actual} bytes long, which indicates it "
            f"contains {actual - expected} bytes of excess padding to "
            "be removed",
            stacklevel=4,
        )

    def _validate_options(self) -> None:
        super()._validate_options()
        offsets = self.extended_offsets
        if offsets and len(offsets[0]) != len(offsets[1]):
            warn_and_log(
                "The number of items in (7FE0,0001) 'Extended Offset Table' and "
                "(7FE0,0002) 'Extended Offset Table Lengths' don't match - the "
                "extended offset table will be ignored",
                stacklevel=4,
            )
            self.del_option("extended_offsets")


# -- native decoding with fastdicom._pixels -----------------------------------
def _native_source(runner: DecodeRunner, index: int | None) -> tuple[Any, int, int | float]:
    """The buffer holding the native data, the offset of its first byte and
    how many bytes of pixel data it holds from there."""
    length = runner.frame_length(unit="bytes")
    if runner.is_dataset or runner.is_buffer:
        src = cast(Buffer, runner.src)
        view = src if isinstance(src, memoryview) else memoryview(src)
        if view.format != "B" or view.ndim != 1:
            view = view.cast("B")
        return view, 0, len(view)
    # A file-like positioned at the value: read only the frames asked for
    fp = cast(BinaryIO, runner.src)
    start = fp.tell()
    frames = runner.number_of_frames
    if index is None:
        data = runner.get_data(fp, start, ceil(length * frames) + 1)
        return memoryview(data), 0, len(data)
    first = floor(index * length)
    data = runner.get_data(fp, start + first - (first % 2), ceil(length) + 3)
    return memoryview(data), -(first - (first % 2)), len(data) + first - (first % 2)


def _decode_native(runner: DecodeRunner, index: int | None) -> tuple[np.ndarray, bool, int]:
    """Decode native pixel data (all frames or frame `index`) to a 1-D array.

    Returns the array, whether the unused-bit correction was applied, and the
    planar configuration of its samples (0 once the kernel interleaved them).
    """
    length = runner.frame_length(unit="bytes")
    pixels = int(runner.frame_length(unit="pixels"))
    dtype = runner.pixel_dtype
    frames = runner.number_of_frames if index is None else 1
    # native data is bounded by its length (checked below); the ceiling too
    runner.check_allocation(length * frames)
    view, base, available = _native_source(runner, index)
    first_byte = 0 if index is None else index * length
    needed = length * frames
    if index is not None and floor(first_byte) + length > available:
        raise ValueError(f"There is insufficient pixel data to contain {index + 1} frames")
    if index is None and ceil(needed) > available:
        raise ValueError(
            f"The pixel data holds {available} bytes, {ceil(needed)} are needed for "
            f"{frames} frames of {runner.rows} x {runner.columns} x "
            f"{runner.samples_per_pixel} pixels"
        )
    view_only = runner.get_option("view_only", False)
    samples = runner.samples_per_pixel
    planar = runner.planar_configuration if samples > 1 else 0

    if runner.bits_allocated == 1:
        if view_only:
            LOGGER.warning(
                "Unable to return an ndarray that's a view on the "
                "original buffer for bit-packed pixel data"
            )
        count = pixels * frames
        bit_offset = 0 if index is None else index * pixels
        count = min(count, max(0, int(available * 8) - bit_offset))
        out = np.empty(count, dtype=np.uint8)
        if count:
            _pixels.unpack_bits(view, (base * 8) + bit_offset, count, out)
        return out, True, planar

    itemsize = dtype.itemsize
    offset = base + int(first_byte)
    needed = min(int(needed), int(available - first_byte))
    needed -= needed % itemsize

    if runner._test_for("be_swap_ow"):
        if view_only:
            LOGGER.warning(
                "Unable to return an ndarray that's a view on the "
                "original buffer for 8-bit pixel data encoded as OW with "
                "'Explicit VR Big Endian'"
            )
        # Swap the byte pairs of the whole words that hold the frames; the
        # odd-length padding byte is displaced too (PS3.5 §7.3)
        odd = (offset - base) % 2
        lo = offset - odd
        hi = min(offset + needed + (offset + needed - base) % 2, len(view))
        words = (hi - lo) // 2
        swapped = np.empty(words * 2, dtype=np.uint8)
        _pixels.decode_native(view, lo, swapped, words, 1, 2, 0, False, True, False, 1)
        if (hi - lo) % 2:
            swapped = np.append(swapped, np.frombuffer(view[hi - 1 : hi], np.uint8))
        out = swapped[odd : odd + needed].view(dtype)
        return _expand_ybr422(out, runner), False, planar

    little = runner.transfer_syntax.is_little_endian
    shift = 0
    if runner._test_for("shift_correction") and little == (sys.byteorder == "little"):
        shift = runner.bits_allocated - runner.bits_stored
    ybr422 = runner.photometric_interpretation == PI.YBR_FULL_422
    if view_only and not ybr422:
        # A view when nothing is to change, else a copy (the caller warns)
        arr = np.frombuffer(view[offset : offset + needed], dtype=dtype)
        if view.readonly:
            arr.flags.writeable = False
        return arr, False, planar
    count = needed // itemsize
    out = np.empty(count, dtype=dtype)
    if ybr422:
        if view_only:
            LOGGER.warning(
                "Unable to return an ndarray that's a view on the original "
                "buffer for uncompressed pixel data with a photometric "
                "interpretation of 'YBR_FULL_422'"
            )
        _pixels.decode_native(
            view, offset, out.view(np.uint8), count, 1, itemsize, shift,
            dtype.kind == "i", False, False, 1,
        )
        return _expand_ybr422(out, runner), shift > 0, planar
    # One pass: copy, unused bits, sign, de-planarize (values stay in the
    # transfer syntax's byte order: the dtype says which)
    deplanarize = samples > 1 and planar == 1
    per_frame = count // max(frames, 1) // samples if deplanarize else count // samples
    _pixels.decode_native(
        view, offset, out.view(np.uint8), per_frame, samples, itemsize, shift,
        dtype.kind == "i" and shift > 0, False, deplanarize,
        frames if deplanarize else 1,
    )
    return out, shift > 0, 0 if deplanarize else planar


def _expand_ybr422(arr: np.ndarray, runner: DecodeRunner) -> np.ndarray:
    """Upsample native YBR_FULL_422 data; the runner then describes YBR_FULL."""
    if runner.photometric_interpretation != PI.YBR_FULL_422:
        return arr
    runner.set_option("photometric_interpretation", PI.YBR_FULL)
    return expand_ybr422_array(arr)


def _next_frame(frames: Iterator[Buffer], index: int, runner: DecodeRunner) -> Buffer:
    """The next decoded frame, or a ValueError when the encapsulated data
    holds fewer frames than *Number of Frames*."""
    try:
        return next(frames)
    except StopIteration:
        raise ValueError(
            f"The encapsulated pixel data holds {index} frames, fewer than the "
            f"(0028,0008) 'Number of Frames' value of {runner.number_of_frames}"
        ) from None


def _check_frame_length(frame: Buffer, index: int, runner: DecodeRunner) -> None:
    """Raise unless the decoded frame `index` has the bytes a frame takes."""
    expected = runner.frame_length(unit="bytes")
    if len(frame) != expected:
        raise ValueError(
            "Unexpected number of bytes in the decoded frame with index "
            f"{index} ({len(frame)} bytes actual vs {expected} expected)"
        )


def _warn_excess_frames(found: int, declared: int) -> None:
    """Warn that the encapsulated data holds `found` frames, more than the
    `declared` *Number of Frames*, and that all are returned
    (``allow_excess_frames``)."""
    warn_and_log(
        f"{found} frames have been found in the encapsulated pixel data, which "
        "is larger than the given (0028,0008) 'Number of Frames' value of "
        f"{declared}. The returned data will include these extra frames and if "
        "it's correct then you should update 'Number of Frames' accordingly, "
        "otherwise pass 'allow_excess_frames=False' to return only the first "
        f"{declared} frames.",
        stacklevel=5,
    )


def _frame_array(runner: DecodeRunner, frame: Buffer) -> np.ndarray:
    """A decoded encapsulated frame as a 1-D array."""
    dtype = runner.pixel_dtype
    length = runner.frame_length(unit="pixels")
    arr = np.frombuffer(frame, dtype=dtype)
    if arr.size != length and runner.bits_allocated != 1:
        raise ValueError(
            f"The decoded frame holds {arr.size} values, {length} were expected "
            f"for {runner.rows} x {runner.columns} x {runner.samples_per_pixel} pixels"
        )
    return arr


class Decoder(CoderBase):
    """The decoder of one transfer syntax and its decoding plugins (pydicom's
    ``Decoder``). :func:`get_decoder` gives the instance for a syntax.

    Parameters
    ----------
    uid : UID
        The transfer syntax decoded.
    """

    def __init__(self, uid: UID) -> None:
        super().__init__(uid, decoder=True)

    def _runner(
        self, src: Any, kwargs: dict[str, Any], decoding_plugin: str, validate: bool
    ) -> DecodeRunner:
        return self._prepare(DecodeRunner(self.UID), src, kwargs, decoding_plugin, validate)

    @staticmethod
    def _finish(
        arr: np.ndarray,
        runner: DecodeRunner,
        raw: bool,
        as_frame: bool,
        corrected: bool,
        writeable: bool,
        log_warning: bool = True,
    ) -> tuple[np.ndarray, dict[str, str | int]]:
        """The corrections and processing after decoding, and the properties."""
        if runner._test_for("sign_correction"):
            if not arr.flags.writeable:
                arr = arr.copy()
            arr = _apply_sign_correction(arr, runner)
        elif runner._test_for("shift_correction") and not corrected:
            arr = _correct_unused_bits(arr, runner, log_warning=log_warning)
        overrides: dict[str, str | int] = {}
        if not raw:
            arr, overrides = runner.process(arr)
        if writeable and not arr.flags.writeable:
            arr = arr.copy()
        if runner.samples_per_pixel > 1:
            overrides["planar_configuration"] = 0
        properties = runner.pixel_properties(as_frame=as_frame)
        properties.update(overrides)
        return arr, properties

    def as_array(
        self,
        src: Dataset | Buffer | BinaryIO,
        *,
        index: int | None = None,
        validate: bool = True,
        raw: bool = False,
        decoding_plugin: str = "",
        **kwargs: Any,
    ) -> tuple[np.ndarray, dict[str, str | int]]:
        """The decoded pixel data as an array, and the Image Pixel values that
        describe it.

        Bit-packed data is unpacked, native YBR_FULL_422 upsampled, the array
        shaped (frames, rows, columns, samples) without the axes of size one
        (frames, samples), and bits above *Bits Stored* corrected. Unless `raw`,
        YBR_FULL(_422) becomes RGB (``as_rgb``).

        Parameters
        ----------
        src : Dataset | bytes | bytearray | memoryview | file-like
            A dataset, or the pixel data value with the Image Pixel options
            given as keyword arguments, or a file-like positioned at the value.
        index : int, optional
            Only the frame at `index` (from 0).
        validate : bool
            Check the options and the data first (default ``True``).
        raw : bool
            No colour space processing.
        decoding_plugin : str
            Use only this plugin (encapsulated syntaxes).
        **kwargs
            Decoding options (pydicom's: ``as_rgb``, ``view_only``,
            ``correct_unused_bits``, ``allow_excess_frames``, ...).

        Returns
        -------
        numpy.ndarray, dict
        """
        if index is not None and index < 0:
            raise ValueError("'index' must be greater than or equal to 0")
        runner = self._runner(src, kwargs, decoding_plugin, validate)
        as_frame = index is not None
        if self.is_native:
            flat, corrected, planar = _decode_native(runner, index)
            arr = runner.reshape(flat, as_frame=as_frame, planar=planar)
            writeable = not runner.get_option("view_only", False)
        else:
            arr = runner.reshape(self._as_array_encapsulated(runner, index), as_frame=as_frame)
            corrected, writeable = False, True
        return self._finish(arr, runner, raw, as_frame, corrected, writeable)

    @staticmethod
    def _as_array_encapsulated(runner: DecodeRunner, index: int | None) -> np.ndarray:
        """The decoded frames (or frame `index`) as one 1-D array."""
        # A plugin may decode to a smaller container than Bits Allocated
        # (JPEG 8-bit precision with Bits Allocated 16): the output array uses
        # the dataset's, and each frame is cast into it
        original = runner.bits_allocated
        pixels = int(runner.frame_length(unit="pixels"))
        count = pixels * (1 if index is not None else runner.number_of_frames)
        runner.check_encapsulated()
        runner.check_allocation(count * runner.pixel_dtype.itemsize)
        out = np.empty(count, runner.pixel_dtype)
        if index is not None:
            out[:] = _frame_array(runner, runner.decode(index=index))
            runner.set_option("bits_allocated", original)
            return out
        frames = runner.iter_decode()
        for i in range(runner.number_of_frames):
            out[i * pixels : (i + 1) * pixels] = _frame_array(runner, _next_frame(frames, i, runner))
        if runner.get_option("allow_excess_frames", False):
            declared = runner.number_of_frames
            excess = []
            for frame in frames:
                if len(frame) == runner.frame_length(unit="bytes"):
                    excess.append(np.frombuffer(frame, runner.pixel_dtype))
                    runner.set_option("number_of_frames", runner.number_of_frames + 1)
            if excess:
                _warn_excess_frames(len(excess) + declared, declared)
                out = np.concatenate([out, *excess])
        runner.set_option("bits_allocated", original)
        return out

    def as_buffer(
        self,
        src: Dataset | Buffer | BinaryIO,
        *,
        index: int | None = None,
        validate: bool = True,
        decoding_plugin: str = "",
        **kwargs: Any,
    ) -> tuple[Buffer, dict[str, str | int]]:
        """The decoded pixel data with no processing at all, as bytes-like,
        and the Image Pixel values that describe it.

        Native data is returned as it is (a :class:`memoryview` with
        ``view_only``); 8-bit big endian OW data is not byte swapped.

        Parameters
        ----------
        src, index, validate, decoding_plugin, **kwargs
            As for :meth:`as_array`.
        """
        runner = self._runner(src, kwargs, decoding_plugin, validate)
        if self.is_native:
            buffer = self._as_buffer_native(runner, index)
        else:
            buffer = self._as_buffer_encapsulated(runner, index)
        return buffer, runner.pixel_properties(as_frame=index is not None)

    @staticmethod
    def _as_buffer_encapsulated(runner: DecodeRunner, index: int | None) -> Buffer:
        runner.check_encapsulated()
        count = 1 if index is not None else runner.number_of_frames
        runner.check_allocation(runner.frame_length(unit="bytes") * count)
        if index is not None:
            decoded = runner.decode(index=index)
            _check_frame_length(decoded, index, runner)
            return decoded
        frames: list[Buffer] = []
        bits: list[int] = []
        generator = runner.iter_decode()
        for i in range(runner.number_of_frames):
            frame = _next_frame(generator, i, runner)
            bits.append(runner.bits_allocated)
            _check_frame_length(frame, i, runner)
            frames.append(frame)
        if runner.get_option("allow_excess_frames", False):
            declared = runner.number_of_frames
            excess = []
            for frame in generator:
                if len(frame) == runner.frame_length(unit="bytes"):
                    excess.append(frame)
                    runner.set_option("number_of_frames", runner.number_of_frames + 1)
                    bits.append(runner.bits_allocated)
            if excess:
                _warn_excess_frames(len(excess) + len(frames), declared)
                frames.extend(excess)
        if len(set(bits)) > 1:
            # Frames of different precisions: widen to the largest container
            target = max(bits)
            for i, (actual, frame) in enumerate(zip(bits, frames)):
                if actual != target:
                    LOGGER.debug(f"Padding frame {i} from {actual} to {target}-bit")
                    frames[i] = (
                        np.frombuffer(frame, f"<u{actual // 8}").astype(f"<u{target // 8}").tobytes()
                    )
            runner.set_option("bits_allocated", target)
        return b"".join(frames)

    @staticmethod
    def _as_buffer_native(runner: DecodeRunner, index: int | None) -> Buffer:
        length = runner.frame_length(unit="bytes")
        src: Any
        available: int | float
        if runner.is_dataset or runner.is_buffer:
            src = runner.src
            if runner.get_option("view_only", False):
                src = memoryview(cast(Buffer, src))
            start, available = 0, len(src)
        else:
            src = runner.src
            start = cast(BinaryIO, src).tell()
            available = length * runner.number_of_frames
        if runner._test_for("be_swap_ow"):
            length = int(length)
            if index is not None:
                offset = start + index * length
                if offset + length > start + available:
                    raise ValueError(
                        f"There is insufficient pixel data to contain {index + 1} frames"
                    )
                if length % 2 == 0:
                    return runner.get_data(src, offset, length)
                # the swapped pair that holds the frame's first or last byte
                return runner.get_data(src, offset - index % 2, length + 1)
            total = length * runner.number_of_frames
            return runner.get_data(src, start, total + total % 2)
        if index is not None:
            offset = floor(start + index * length)
            if offset + length > start + available:
                raise ValueError(f"There is insufficient pixel data to contain {index + 1} frames")
            return runner.get_data(src, offset, ceil(length))
        return runner.get_data(src, start, ceil(length * runner.number_of_frames))

    def iter_array(
        self,
        src: Dataset | Buffer | BinaryIO,
        *,
        indices: Iterable[int] | None = None,
        raw: bool = False,
        validate: bool = True,
        decoding_plugin: str = "",
        **kwargs: Any,
    ) -> Iterator[tuple[np.ndarray, dict[str, str | int]]]:
        """Yield the frames (or those at `indices`) as arrays with the Image
        Pixel values that describe each; as :meth:`as_array` otherwise.

        Parameters
        ----------
        src, raw, validate, decoding_plugin, **kwargs
            As for :meth:`as_array`.
        indices : Iterable[int], optional
            The frames to yield, by default all.
        """
        runner = self._runner(src, kwargs, decoding_plugin, validate)
        log_warning = True
        if self.is_encapsulated and not indices:
            for frame in runner.iter_decode():
                arr = runner.reshape(_frame_array(runner, frame), as_frame=True)
                yield self._finish(arr, runner, raw, True, False, True, log_warning)
                log_warning = False
            return
        for index in indices or range(runner.number_of_frames):
            if self.is_native:
                flat, corrected, planar = _decode_native(runner, index)
                arr = runner.reshape(flat, as_frame=True, planar=planar)
                writeable = not runner.get_option("view_only", False)
            else:
                arr = runner.reshape(self._as_array_encapsulated(runner, index), as_frame=True)
                corrected, writeable = False, True
            yield self._finish(arr, runner, raw, True, corrected, writeable, log_warning)
            log_warning = False

    def iter_buffer(
        self,
        src: Dataset | Buffer | BinaryIO,
        *,
        indices: Iterable[int] | None = None,
        validate: bool = True,
        decoding_plugin: str = "",
        **kwargs: Any,
    ) -> Iterator[tuple[Buffer, dict[str, str | int]]]:
        """Yield the frames (or those at `indices`) as :meth:`as_buffer` gives them.

        Parameters
        ----------
        src, validate, decoding_plugin, **kwargs
            As for :meth:`as_array`.
        indices : Iterable[int], optional
            The frames to yield, by default all.
        """
        runner = self._runner(src, kwargs, decoding_plugin, validate)
        if self.is_encapsulated and not indices:
            for buffer in runner.iter_decode():
                yield buffer, runner.pixel_properties(as_frame=True)
            return
        func = self._as_buffer_native if self.is_native else self._as_buffer_encapsulated
        for index in indices or range(runner.number_of_frames):
            yield func(runner, index), runner.pixel_properties(as_frame=True)


# Decoder names are f"{UID.keyword}Decoder"; native syntaxes need no plugins
ImplicitVRLittleEndianDecoder = Decoder(ImplicitVRLittleEndian)
ExplicitVRLittleEndianDecoder = Decoder(ExplicitVRLittleEndian)
ExplicitVRBigEndianDecoder = Decoder(ExplicitVRBigEndian)
DeflatedExplicitVRLittleEndianDecoder = Decoder(DeflatedExplicitVRLittleEndian)

# The built-in plugins, best first: the codec backends (one module each, as
# pydicom's are) and fastdicom's compiled RLE decoder
_IMAGECODECS = ("imagecodecs", ("fastdicom.pixels.decoders.imagecodecs", "_decode_frame"))
_PYLIBJPEG = ("pylibjpeg", ("fastdicom.pixels.decoders.pylibjpeg", "_decode_frame"))
_PYJPEGLS = ("pyjpegls", ("fastdicom.pixels.decoders.pyjpegls", "_decode_frame"))
_RLE = ("pydicom", ("fastdicom.pixels.decoders.rle", "_decode_frame"))

JPEGBaseline8BitDecoder = Decoder(JPEGBaseline8Bit)
JPEGBaseline8BitDecoder.add_plugins([_IMAGECODECS, _PYLIBJPEG])
JPEGExtended12BitDecoder = Decoder(JPEGExtended12Bit)
JPEGExtended12BitDecoder.add_plugins([_IMAGECODECS, _PYLIBJPEG])
JPEGLosslessDecoder = Decoder(JPEGLossless)
JPEGLosslessDecoder.add_plugins([_IMAGECODECS, _PYLIBJPEG])
JPEGLosslessSV1Decoder = Decoder(JPEGLosslessSV1)
JPEGLosslessSV1Decoder.add_plugins([_IMAGECODECS, _PYLIBJPEG])
JPEGLSLosslessDecoder = Decoder(JPEGLSLossless)
JPEGLSLosslessDecoder.add_plugins([_IMAGECODECS, _PYJPEGLS, _PYLIBJPEG])
JPEGLSNearLosslessDecoder = Decoder(JPEGLSNearLossless)
JPEGLSNearLosslessDecoder.add_plugins([_IMAGECODECS, _PYJPEGLS, _PYLIBJPEG])
JPEG2000LosslessDecoder = Decoder(JPEG2000Lossless)
JPEG2000LosslessDecoder.add_plugins([_IMAGECODECS, _PYLIBJPEG])
JPEG2000Decoder = Decoder(JPEG2000)
JPEG2000Decoder.add_plugins([_IMAGECODECS, _PYLIBJPEG])
HTJ2KLosslessDecoder = Decoder(HTJ2KLossless)
HTJ2KLosslessDecoder.add_plugins([_IMAGECODECS, _PYLIBJPEG])
HTJ2KLosslessRPCLDecoder = Decoder(HTJ2KLosslessRPCL)
HTJ2KLosslessRPCLDecoder.add_plugins([_IMAGECODECS, _PYLIBJPEG])
HTJ2KDecoder = Decoder(HTJ2K)
HTJ2KDecoder.add_plugins([_IMAGECODECS, _PYLIBJPEG])
# The retired progressive processes: libjpeg-turbo only (as pydicom, none else)
JPEGSpectralSelectionDecoder = Decoder(UID("1.2.840.10008.1.2.4.53"))
JPEGSpectralSelectionDecoder.add_plugin(*_IMAGECODECS)
JPEGFullProgressionDecoder = Decoder(UID("1.2.840.10008.1.2.4.55"))
JPEGFullProgressionDecoder.add_plugin(*_IMAGECODECS)
RLELosslessDecoder = Decoder(RLELossless)
RLELosslessDecoder.add_plugin(*_RLE)

# The one registry of decoders: transfer syntax -> (decoder, version added),
# pydicom's layout (its tests and plugins reach into it)
_PIXEL_DATA_DECODERS: dict[UID, tuple[Decoder, str]] = {
    decoder.UID: (decoder, "3.0")
    for decoder in (
        ImplicitVRLittleEndianDecoder, ExplicitVRLittleEndianDecoder,
        DeflatedExplicitVRLittleEndianDecoder, ExplicitVRBigEndianDecoder,
        JPEGBaseline8BitDecoder, JPEGExtended12BitDecoder, JPEGLosslessDecoder,
        JPEGLosslessSV1Decoder, JPEGLSLosslessDecoder, JPEGLSNearLosslessDecoder,
        JPEG2000LosslessDecoder, JPEG2000Decoder, HTJ2KLosslessDecoder,
        HTJ2KLosslessRPCLDecoder, HTJ2KDecoder, RLELosslessDecoder,
        JPEGSpectralSelectionDecoder, JPEGFullProgressionDecoder,
    )
}


def _build_decoder_docstrings() -> None:
    for decoder, _ in _PIXEL_DATA_DECODERS.values():
        plugins = sorted([*decoder._available, *decoder._unavailable])
        lines = [f"A pixel data decoder for *{decoder.UID.name}* - ``{decoder.UID}``", ""]
        if plugins:
            lines += [f"Available decoding plugins: {', '.join(plugins)}.", ""]
        lines.append("See :class:`~fastdicom.pixels.decoders.base.Decoder` for its methods.")
        decoder.__doc__ = "\n".join(lines)


_build_decoder_docstrings()


def get_decoder(uid: str) -> Decoder:
    """The :class:`Decoder` of transfer syntax `uid`.

    Parameters
    ----------
    uid : str

    Raises
    ------
    NotImplementedError
        No decoder exists for `uid`.
    """
    uid = UID(uid)
    try:
        return _PIXEL_DATA_DECODERS[uid][0]
    except KeyError:
        raise NotImplementedError(
            f"No pixel data decoders have been implemented for '{uid.name}'"
        ) from None
