"""DICOM unique identifiers (UIDs), with pydicom 3's API.

:class:`UID` is a :class:`str` that knows its entry in the UID registry of
PS3.6 (generated into :mod:`fastdicom._uid_dict`) and, for transfer
syntaxes, the dataset encoding.  Every transfer syntax and SOP class of the
registry is a module attribute named by its keyword (``CTImageStorage``,
``ExplicitVRLittleEndian``, ...).
"""

from __future__ import annotations

import functools
import gc
import hashlib
import hmac
import math
import os
import re
import secrets
import uuid

from fastdicom import config
from fastdicom._uid_dict import UID_dictionary
from fastdicom.valuerep import STR_VR_REGEXES, validate_value

__all__ = [
    "UID",
    "PYDICOM_ROOT_UID",
    "PYDICOM_IMPLEMENTATION_UID",
    "FASTDICOM_IMPLEMENTATION_UID",
    "RE_VALID_UID",
    "RE_VALID_UID_PREFIX",
    "generate_uid",
    "generate_uids",
    "keyed_uid",
    "uid_problems",
    "is_valid_uid",
    "suffix_bits",
    "MIN_RANDOM_BITS",
    "register_transfer_syntax",
    "AllTransferSyntaxes",
    "UncompressedTransferSyntaxes",
    "JPEGTransferSyntaxes",
    "JPEGLSTransferSyntaxes",
    "JPEG2000TransferSyntaxes",
    "MPEGTransferSyntaxes",
    "RLETransferSyntaxes",
    "PrivateTransferSyntaxes",
]

_DICOM_ROOT = "1.2.840.10008."
_MAX_UID_LENGTH = 64
_MAX_PREFIX_LENGTH = 54
MIN_RANDOM_BITS = 96
"""Bits of randomness (or hash) that ``generate_uid(..., strict=True)`` requires
after the prefix: with 96 bits a collision among a trillion UIDs has a
probability below 10**-4 (birthday bound n**2 / 2**97)."""
_LOG2_10 = math.log2(10)
# The longest prefix whose remaining digits carry MIN_RANDOM_BITS: 35 characters.
_MAX_STRICT_PREFIX_LENGTH = _MAX_UID_LENGTH - math.ceil(MIN_RANDOM_BITS / _LOG2_10)

PYDICOM_ROOT_UID = "1.2.826.0.1.3680043.8.498."
"""pydicom's registered UID root (from Medical Connections), kept as the
default prefix of :func:`generate_uid` so that code switching from pydicom gets
the same UIDs for the same `entropy_srcs`."""

RE_VALID_UID = STR_VR_REGEXES["UI"]
"""Regex for a valid UID (PS3.5 §9.1); the one value validation uses for VR UI."""
RE_VALID_UID_PREFIX = re.compile(r"^(0|[1-9][0-9]*)(\.(0|[1-9][0-9]*))*\.$")
"""Regex for a valid UID prefix (a valid UID followed by a ``.``)."""

# The native (non-encapsulated) transfer syntaxes and how each is encoded:
# (implicit VR, little endian).  Every other registered transfer syntax is
# encapsulated, explicit VR little endian.
_IMPLICIT_LE = "1.2.840.10008.1.2"
_EXPLICIT_BE = "1.2.840.10008.1.2.2"
_DEFLATED = "1.2.840.10008.1.2.1.99"
_NATIVE = frozenset({_IMPLICIT_LE, "1.2.840.10008.1.2.1", _EXPLICIT_BE, _DEFLATED})


class UID(str):
    """A UID string that knows its registry entry.

    Parameters
    ----------
    val : str
        The UID; surrounding whitespace is removed.
    validation_mode : int, optional
        :data:`~fastdicom.config.IGNORE`, ``WARN`` or ``RAISE`` for an invalid
        UID; default is the current reading validation mode.

    Notes
    -----
    A private transfer syntax (one outside ``1.2.840.10008``) needs its
    dataset encoding set with :meth:`set_private_encoding` (or
    :func:`register_transfer_syntax`) before it counts as a transfer syntax.

    Examples
    --------
    >>> uid = UID("1.2.840.10008.1.2.4.50")
    >>> uid.name
    'JPEG Baseline (Process 1)'
    >>> uid.is_transfer_syntax, uid.is_little_endian, uid.is_implicit_VR
    (True, True, False)
    """

    _PRIVATE_TS_ENCODING: tuple[bool, bool]

    def __new__(cls, val: str, validation_mode: int | None = None) -> UID:
        if not isinstance(val, str):
            raise TypeError("A UID must be created from a string")
        if validation_mode is None:
            validation_mode = config.settings.reading_validation_mode
        # The UI check of valuerep (length and PS3.5 §9.1 syntax), as pydicom
        # does on every UID it makes, so WARN/RAISE reading modes behave alike.
        validate_value("UI", val, validation_mode)
        uid = super().__new__(cls, val.strip())
        encoding = getattr(val, "_PRIVATE_TS_ENCODING", None)
        if encoding is not None:
            uid._PRIVATE_TS_ENCODING = encoding
        return uid

    def _entry(self) -> tuple[str, str, str, str, str] | None:
        return UID_dictionary.get(str(self))

    @property
    def is_implicit_VR(self) -> bool:
        """bool: Whether this transfer syntax uses implicit VR.

        Raises
        ------
        ValueError
            If the UID is not a transfer syntax.
        """
        if not self.is_transfer_syntax:
            raise ValueError("UID is not a transfer syntax.")
        if self.is_private:
            return self._PRIVATE_TS_ENCODING[0]
        return self == _IMPLICIT_LE

    @property
    def is_little_endian(self) -> bool:
        """bool: Whether this transfer syntax is little endian.

        Raises
        ------
        ValueError
            If the UID is not a transfer syntax.
        """
        if not self.is_transfer_syntax:
            raise ValueError("UID is not a transfer syntax.")
        if self.is_private:
            return self._PRIVATE_TS_ENCODING[1]
        return self != _EXPLICIT_BE

    @property
    def is_transfer_syntax(self) -> bool:
        """bool: Whether this is a registered transfer syntax, or a private
        UID whose encoding has been set."""
        if self.is_private:
            return hasattr(self, "_PRIVATE_TS_ENCODING")
        entry = self._entry()
        return entry is not None and entry[1] == "Transfer Syntax"

    @property
    def is_deflated(self) -> bool:
        """bool: Whether this transfer syntax is deflated.

        Raises
        ------
        ValueError
            If the UID is not a transfer syntax.
        """
        if not self.is_transfer_syntax:
            raise ValueError("UID is not a transfer syntax.")
        return self == _DEFLATED

    @property
    def is_encapsulated(self) -> bool:
        """bool: Whether pixel data is encapsulated; same as
        :attr:`is_compressed`."""
        return self.is_compressed

    @property
    def is_compressed(self) -> bool:
        """bool: Whether this transfer syntax is encapsulated (any but the
        four native ones; private ones count as encapsulated, as in pydicom).

        Raises
        ------
        ValueError
            If the UID is not a transfer syntax.
        """
        if not self.is_transfer_syntax:
            raise ValueError("UID is not a transfer syntax.")
        return str(self) not in _NATIVE

    @property
    def keyword(self) -> str:
        """str: The registry keyword, or ``''``."""
        entry = self._entry()
        return entry[4] if entry is not None else ""

    @property
    def name(self) -> str:
        """str: The registry name, or the UID itself when unregistered."""
        entry = self._entry()
        return entry[0] if entry is not None else str(self)

    @property
    def type(self) -> str:
        """str: The registry type (``'SOP Class'``, ``'Transfer Syntax'``, ...)
        or ``''``."""
        entry = self._entry()
        return entry[1] if entry is not None else ""

    @property
    def info(self) -> str:
        """str: The registry's extra information, or ``''``."""
        entry = self._entry()
        return entry[2] if entry is not None else ""

    @property
    def is_retired(self) -> bool:
        """bool: Whether the registry marks the UID retired."""
        entry = self._entry()
        return bool(entry[3]) if entry is not None else False

    @property
    def is_private(self) -> bool:
        """bool: Whether the UID is outside the DICOM root ``1.2.840.10008``."""
        return self[:14] != _DICOM_ROOT

    @property
    def is_valid(self) -> bool:
        """bool: Whether the UID is syntactically valid and at most 64 chars."""
        return len(self) <= _MAX_UID_LENGTH and RE_VALID_UID.match(self) is not None

    def set_private_encoding(self, implicit_vr: bool, little_endian: bool) -> None:
        """Set the dataset encoding of a private transfer syntax.

        Parameters
        ----------
        implicit_vr : bool
            ``True`` for implicit VR, ``False`` for explicit VR.
        little_endian : bool
            ``True`` for little endian, ``False`` for big endian.
        """
        self._PRIVATE_TS_ENCODING = (implicit_vr, little_endian)


def _const(value: str) -> UID:
    # Registry constants are known valid: skip validation at import.
    return str.__new__(UID, value)


FASTDICOM_IMPLEMENTATION_UID = _const("2.25.272582641266853776479105246022871654018")
"""The (0002,0012) *Implementation Class UID* fastdicom writes in File Meta (a
fixed UUID-derived UID, PS3.5 §B.2).

PS3.7 §D.3.3.2 has this UID identify the implementation that wrote a file, so
fastdicom writes its own rather than :data:`PYDICOM_IMPLEMENTATION_UID`.
"""

PYDICOM_IMPLEMENTATION_UID = _const(f"{PYDICOM_ROOT_UID}1")
"""pydicom's (0002,0012) *Implementation Class UID*, ``'1.2.826.0.1.3680043.8.498.1'``.

Provided for code that compares against it; files written by fastdicom carry
:data:`FASTDICOM_IMPLEMENTATION_UID` instead.
"""


# --- BEGIN GENERATED UID CONSTANTS (generated by tools/generate_dictionaries.py — do not edit) ---
# Transfer Syntax
ImplicitVRLittleEndian = _const('1.2.840.10008.1.2')
ExplicitVRLittleEndian = _const('1.2.840.10008.1.2.1')
EncapsulatedUncompressedExplicitVRLittleEndian = _const('1.2.840.10008.1.2.1.98')
DeflatedExplicitVRLittleEndian = _const('1.2.840.10008.1.2.1.99')
ExplicitVRBigEndian = _const('1.2.840.10008.1.2.2')
JPEGBaseline8Bit = _const('1.2.840.10008.1.2.4.50')
JPEGExtended12Bit = _const('1.2.840.10008.1.2.4.51')
JPEGExtended35 = _const('1.2.840.10008.1.2.4.52')
JPEGSpectralSelectionNonHierarchical68 = _const('1.2.840.10008.1.2.4.53')
JPEGSpectralSelectionNonHierarchical79 = _const('1.2.840.10008.1.2.4.54')
JPEGFullProgressionNonHierarchical1012 = _const('1.2.840.10008.1.2.4.55')
JPEGFullProgressionNonHierarchical1113 = _const('1.2.840.10008.1.2.4.56')
JPEGLossless = _const('1.2.840.10008.1.2.4.57')
JPEGLosslessNonHierarchical15 = _const('1.2.840.10008.1.2.4.58')
JPEGExtendedHierarchical1618 = _const('1.2.840.10008.1.2.4.59')
JPEGExtendedHierarchical1719 = _const('1.2.840.10008.1.2.4.60')
JPEGSpectralSelectionHierarchical2022 = _const('1.2.840.10008.1.2.4.61')
JPEGSpectralSelectionHierarchical2123 = _const('1.2.840.10008.1.2.4.62')
JPEGFullProgressionHierarchical2426 = _const('1.2.840.10008.1.2.4.63')
JPEGFullProgressionHierarchical2527 = _const('1.2.840.10008.1.2.4.64')
JPEGLosslessHierarchical28 = _const('1.2.840.10008.1.2.4.65')
JPEGLosslessHierarchical29 = _const('1.2.840.10008.1.2.4.66')
JPEGLosslessSV1 = _const('1.2.840.10008.1.2.4.70')
JPEGLSLossless = _const('1.2.840.10008.1.2.4.80')
JPEGLSNearLossless = _const('1.2.840.10008.1.2.4.81')
JPEG2000Lossless = _const('1.2.840.10008.1.2.4.90')
JPEG2000 = _const('1.2.840.10008.1.2.4.91')
JPEG2000MCLossless = _const('1.2.840.10008.1.2.4.92')
JPEG2000MC = _const('1.2.840.10008.1.2.4.93')
JPIPReferenced = _const('1.2.840.10008.1.2.4.94')
JPIPReferencedDeflate = _const('1.2.840.10008.1.2.4.95')
MPEG2MPML = _const('1.2.840.10008.1.2.4.100')
MPEG2MPMLF = _const('1.2.840.10008.1.2.4.100.1')
MPEG2MPHL = _const('1.2.840.10008.1.2.4.101')
MPEG2MPHLF = _const('1.2.840.10008.1.2.4.101.1')
MPEG4HP41 = _const('1.2.840.10008.1.2.4.102')
MPEG4HP41F = _const('1.2.840.10008.1.2.4.102.1')
MPEG4HP41BD = _const('1.2.840.10008.1.2.4.103')
MPEG4HP41BDF = _const('1.2.840.10008.1.2.4.103.1')
MPEG4HP422D = _const('1.2.840.10008.1.2.4.104')
MPEG4HP422DF = _const('1.2.840.10008.1.2.4.104.1')
MPEG4HP423D = _const('1.2.840.10008.1.2.4.105')
MPEG4HP423DF = _const('1.2.840.10008.1.2.4.105.1')
MPEG4HP42STEREO = _const('1.2.840.10008.1.2.4.106')
MPEG4HP42STEREOF = _const('1.2.840.10008.1.2.4.106.1')
HEVCMP51 = _const('1.2.840.10008.1.2.4.107')
HEVCM10P51 = _const('1.2.840.10008.1.2.4.108')
HTJ2KLossless = _const('1.2.840.10008.1.2.4.201')
HTJ2KLosslessRPCL = _const('1.2.840.10008.1.2.4.202')
HTJ2K = _const('1.2.840.10008.1.2.4.203')
JPIPHTJ2KReferenced = _const('1.2.840.10008.1.2.4.204')
JPIPHTJ2KReferencedDeflate = _const('1.2.840.10008.1.2.4.205')
RLELossless = _const('1.2.840.10008.1.2.5')
RFC2557MIMEEncapsulation = _const('1.2.840.10008.1.2.6.1')
XMLEncoding = _const('1.2.840.10008.1.2.6.2')
SMPTEST211020UncompressedProgressiveActiveVideo = _const('1.2.840.10008.1.2.7.1')
SMPTEST211020UncompressedInterlacedActiveVideo = _const('1.2.840.10008.1.2.7.2')
SMPTEST211030PCMDigitalAudio = _const('1.2.840.10008.1.2.7.3')
Papyrus3ImplicitVRLittleEndian = _const('1.2.840.10008.1.20')
# SOP Class
Verification = _const('1.2.840.10008.1.1')
MediaStorageDirectoryStorage = _const('1.2.840.10008.1.3.10')
BasicStudyContentNotification = _const('1.2.840.10008.1.9')
StorageCommitmentPushModel = _const('1.2.840.10008.1.20.1')
StorageCommitmentPullModel = _const('1.2.840.10008.1.20.2')
ProceduralEventLogging = _const('1.2.840.10008.1.40')
SubstanceAdministrationLogging = _const('1.2.840.10008.1.42')
DetachedPatientManagement = _const('1.2.840.10008.3.1.2.1.1')
DetachedVisitManagement = _const('1.2.840.10008.3.1.2.2.1')
DetachedStudyManagement = _const('1.2.840.10008.3.1.2.3.1')
StudyComponentManagement = _const('1.2.840.10008.3.1.2.3.2')
ModalityPerformedProcedureStep = _const('1.2.840.10008.3.1.2.3.3')
ModalityPerformedProcedureStepRetrieve = _const('1.2.840.10008.3.1.2.3.4')
ModalityPerformedProcedureStepNotification = _const('1.2.840.10008.3.1.2.3.5')
DetachedResultsManagement = _const('1.2.840.10008.3.1.2.5.1')
DetachedInterpretationManagement = _const('1.2.840.10008.3.1.2.6.1')
BasicFilmSession = _const('1.2.840.10008.5.1.1.1')
BasicFilmBox = _const('1.2.840.10008.5.1.1.2')
BasicGrayscaleImageBox = _const('1.2.840.10008.5.1.1.4')
BasicColorImageBox = _const('1.2.840.10008.5.1.1.4.1')
ReferencedImageBox = _const('1.2.840.10008.5.1.1.4.2')
PrintJob = _const('1.2.840.10008.5.1.1.14')
BasicAnnotationBox = _const('1.2.840.10008.5.1.1.15')
Printer = _const('1.2.840.10008.5.1.1.16')
PrinterConfigurationRetrieval = _const('1.2.840.10008.5.1.1.16.376')
VOILUTBox = _const('1.2.840.10008.5.1.1.22')
PresentationLUT = _const('1.2.840.10008.5.1.1.23')
ImageOverlayBox = _const('1.2.840.10008.5.1.1.24')
BasicPrintImageOverlayBox = _const('1.2.840.10008.5.1.1.24.1')
PrintQueueManagement = _const('1.2.840.10008.5.1.1.26')
StoredPrintStorage = _const('1.2.840.10008.5.1.1.27')
HardcopyGrayscaleImageStorage = _const('1.2.840.10008.5.1.1.29')
HardcopyColorImageStorage = _const('1.2.840.10008.5.1.1.30')
PullPrintRequest = _const('1.2.840.10008.5.1.1.31')
MediaCreationManagement = _const('1.2.840.10008.5.1.1.33')
DisplaySystem = _const('1.2.840.10008.5.1.1.40')
ComputedRadiographyImageStorage = _const('1.2.840.10008.5.1.4.1.1.1')
DigitalXRayImageStorageForPresentation = _const('1.2.840.10008.5.1.4.1.1.1.1')
DigitalXRayImageStorageForProcessing = _const('1.2.840.10008.5.1.4.1.1.1.1.1')
DigitalMammographyXRayImageStorageForPresentation = _const('1.2.840.10008.5.1.4.1.1.1.2')
DigitalMammographyXRayImageStorageForProcessing = _const('1.2.840.10008.5.1.4.1.1.1.2.1')
DigitalIntraOralXRayImageStorageForPresentation = _const('1.2.840.10008.5.1.4.1.1.1.3')
DigitalIntraOralXRayImageStorageForProcessing = _const('1.2.840.10008.5.1.4.1.1.1.3.1')
CTImageStorage = _const('1.2.840.10008.5.1.4.1.1.2')
EnhancedCTImageStorage = _const('1.2.840.10008.5.1.4.1.1.2.1')
LegacyConvertedEnhancedCTImageStorage = _const('1.2.840.10008.5.1.4.1.1.2.2')
UltrasoundMultiFrameImageStorageRetired = _const('1.2.840.10008.5.1.4.1.1.3')
UltrasoundMultiFrameImageStorage = _const('1.2.840.10008.5.1.4.1.1.3.1')
MRImageStorage = _const('1.2.840.10008.5.1.4.1.1.4')
EnhancedMRImageStorage = _const('1.2.840.10008.5.1.4.1.1.4.1')
MRSpectroscopyStorage = _const('1.2.840.10008.5.1.4.1.1.4.2')
EnhancedMRColorImageStorage = _const('1.2.840.10008.5.1.4.1.1.4.3')
LegacyConvertedEnhancedMRImageStorage = _const('1.2.840.10008.5.1.4.1.1.4.4')
NuclearMedicineImageStorageRetired = _const('1.2.840.10008.5.1.4.1.1.5')
UltrasoundImageStorageRetired = _const('1.2.840.10008.5.1.4.1.1.6')
UltrasoundImageStorage = _const('1.2.840.10008.5.1.4.1.1.6.1')
EnhancedUSVolumeStorage = _const('1.2.840.10008.5.1.4.1.1.6.2')
PhotoacousticImageStorage = _const('1.2.840.10008.5.1.4.1.1.6.3')
SecondaryCaptureImageStorage = _const('1.2.840.10008.5.1.4.1.1.7')
MultiFrameSingleBitSecondaryCaptureImageStorage = _const('1.2.840.10008.5.1.4.1.1.7.1')
MultiFrameGrayscaleByteSecondaryCaptureImageStorage = _const('1.2.840.10008.5.1.4.1.1.7.2')
MultiFrameGrayscaleWordSecondaryCaptureImageStorage = _const('1.2.840.10008.5.1.4.1.1.7.3')
MultiFrameTrueColorSecondaryCaptureImageStorage = _const('1.2.840.10008.5.1.4.1.1.7.4')
StandaloneOverlayStorage = _const('1.2.840.10008.5.1.4.1.1.8')
StandaloneCurveStorage = _const('1.2.840.10008.5.1.4.1.1.9')
WaveformStorageTrial = _const('1.2.840.10008.5.1.4.1.1.9.1')
TwelveLeadECGWaveformStorage = _const('1.2.840.10008.5.1.4.1.1.9.1.1')
GeneralECGWaveformStorage = _const('1.2.840.10008.5.1.4.1.1.9.1.2')
AmbulatoryECGWaveformStorage = _const('1.2.840.10008.5.1.4.1.1.9.1.3')
General32bitECGWaveformStorage = _const('1.2.840.10008.5.1.4.1.1.9.1.4')
HemodynamicWaveformStorage = _const('1.2.840.10008.5.1.4.1.1.9.2.1')
CardiacElectrophysiologyWaveformStorage = _const('1.2.840.10008.5.1.4.1.1.9.3.1')
BasicVoiceAudioWaveformStorage = _const('1.2.840.10008.5.1.4.1.1.9.4.1')
GeneralAudioWaveformStorage = _const('1.2.840.10008.5.1.4.1.1.9.4.2')
ArterialPulseWaveformStorage = _const('1.2.840.10008.5.1.4.1.1.9.5.1')
RespiratoryWaveformStorage = _const('1.2.840.10008.5.1.4.1.1.9.6.1')
MultichannelRespiratoryWaveformStorage = _const('1.2.840.10008.5.1.4.1.1.9.6.2')
RoutineScalpElectroencephalogramWaveformStorage = _const('1.2.840.10008.5.1.4.1.1.9.7.1')
ElectromyogramWaveformStorage = _const('1.2.840.10008.5.1.4.1.1.9.7.2')
ElectrooculogramWaveformStorage = _const('1.2.840.10008.5.1.4.1.1.9.7.3')
SleepElectroencephalogramWaveformStorage = _const('1.2.840.10008.5.1.4.1.1.9.7.4')
BodyPositionWaveformStorage = _const('1.2.840.10008.5.1.4.1.1.9.8.1')
StandaloneModalityLUTStorage = _const('1.2.840.10008.5.1.4.1.1.10')
StandaloneVOILUTStorage = _const('1.2.840.10008.5.1.4.1.1.11')
GrayscaleSoftcopyPresentationStateStorage = _const('1.2.840.10008.5.1.4.1.1.11.1')
ColorSoftcopyPresentationStateStorage = _const('1.2.840.10008.5.1.4.1.1.11.2')
PseudoColorSoftcopyPresentationStateStorage = _const('1.2.840.10008.5.1.4.1.1.11.3')
BlendingSoftcopyPresentationStateStorage = _const('1.2.840.10008.5.1.4.1.1.11.4')
XAXRFGrayscaleSoftcopyPresentationStateStorage = _const('1.2.840.10008.5.1.4.1.1.11.5')
GrayscalePlanarMPRVolumetricPresentationStateStorage = _const('1.2.840.10008.5.1.4.1.1.11.6')
CompositingPlanarMPRVolumetricPresentationStateStorage = _const('1.2.840.10008.5.1.4.1.1.11.7')
AdvancedBlendingPresentationStateStorage = _const('1.2.840.10008.5.1.4.1.1.11.8')
VolumeRenderingVolumetricPresentationStateStorage = _const('1.2.840.10008.5.1.4.1.1.11.9')
SegmentedVolumeRenderingVolumetricPresentationStateStorage = _const('1.2.840.10008.5.1.4.1.1.11.10')
MultipleVolumeRenderingVolumetricPresentationStateStorage = _const('1.2.840.10008.5.1.4.1.1.11.11')
VariableModalityLUTSoftcopyPresentationStateStorage = _const('1.2.840.10008.5.1.4.1.1.11.12')
XRayAngiographicImageStorage = _const('1.2.840.10008.5.1.4.1.1.12.1')
EnhancedXAImageStorage = _const('1.2.840.10008.5.1.4.1.1.12.1.1')
XRayRadiofluoroscopicImageStorage = _const('1.2.840.10008.5.1.4.1.1.12.2')
EnhancedXRFImageStorage = _const('1.2.840.10008.5.1.4.1.1.12.2.1')
XRayAngiographicBiPlaneImageStorage = _const('1.2.840.10008.5.1.4.1.1.12.3')
XRay3DAngiographicImageStorage = _const('1.2.840.10008.5.1.4.1.1.13.1.1')
XRay3DCraniofacialImageStorage = _const('1.2.840.10008.5.1.4.1.1.13.1.2')
BreastTomosynthesisImageStorage = _const('1.2.840.10008.5.1.4.1.1.13.1.3')
BreastProjectionXRayImageStorageForPresentation = _const('1.2.840.10008.5.1.4.1.1.13.1.4')
BreastProjectionXRayImageStorageForProcessing = _const('1.2.840.10008.5.1.4.1.1.13.1.5')
IntravascularOpticalCoherenceTomographyImageStorageForPresentation = _const('1.2.840.10008.5.1.4.1.1.14.1')
IntravascularOpticalCoherenceTomographyImageStorageForProcessing = _const('1.2.840.10008.5.1.4.1.1.14.2')
NuclearMedicineImageStorage = _const('1.2.840.10008.5.1.4.1.1.20')
ParametricMapStorage = _const('1.2.840.10008.5.1.4.1.1.30')
RawDataStorage = _const('1.2.840.10008.5.1.4.1.1.66')
SpatialRegistrationStorage = _const('1.2.840.10008.5.1.4.1.1.66.1')
SpatialFiducialsStorage = _const('1.2.840.10008.5.1.4.1.1.66.2')
DeformableSpatialRegistrationStorage = _const('1.2.840.10008.5.1.4.1.1.66.3')
SegmentationStorage = _const('1.2.840.10008.5.1.4.1.1.66.4')
SurfaceSegmentationStorage = _const('1.2.840.10008.5.1.4.1.1.66.5')
TractographyResultsStorage = _const('1.2.840.10008.5.1.4.1.1.66.6')
RealWorldValueMappingStorage = _const('1.2.840.10008.5.1.4.1.1.67')
SurfaceScanMeshStorage = _const('1.2.840.10008.5.1.4.1.1.68.1')
SurfaceScanPointCloudStorage = _const('1.2.840.10008.5.1.4.1.1.68.2')
VLImageStorageTrial = _const('1.2.840.10008.5.1.4.1.1.77.1')
VLMultiFrameImageStorageTrial = _const('1.2.840.10008.5.1.4.1.1.77.2')
VLEndoscopicImageStorage = _const('1.2.840.10008.5.1.4.1.1.77.1.1')
VideoEndoscopicImageStorage = _const('1.2.840.10008.5.1.4.1.1.77.1.1.1')
VLMicroscopicImageStorage = _const('1.2.840.10008.5.1.4.1.1.77.1.2')
VideoMicroscopicImageStorage = _const('1.2.840.10008.5.1.4.1.1.77.1.2.1')
VLSlideCoordinatesMicroscopicImageStorage = _const('1.2.840.10008.5.1.4.1.1.77.1.3')
VLPhotographicImageStorage = _const('1.2.840.10008.5.1.4.1.1.77.1.4')
VideoPhotographicImageStorage = _const('1.2.840.10008.5.1.4.1.1.77.1.4.1')
OphthalmicPhotography8BitImageStorage = _const('1.2.840.10008.5.1.4.1.1.77.1.5.1')
OphthalmicPhotography16BitImageStorage = _const('1.2.840.10008.5.1.4.1.1.77.1.5.2')
StereometricRelationshipStorage = _const('1.2.840.10008.5.1.4.1.1.77.1.5.3')
OphthalmicTomographyImageStorage = _const('1.2.840.10008.5.1.4.1.1.77.1.5.4')
WideFieldOphthalmicPhotographyStereographicProjectionImageStorage = _const('1.2.840.10008.5.1.4.1.1.77.1.5.5')
WideFieldOphthalmicPhotography3DCoordinatesImageStorage = _const('1.2.840.10008.5.1.4.1.1.77.1.5.6')
OphthalmicOpticalCoherenceTomographyEnFaceImageStorage = _const('1.2.840.10008.5.1.4.1.1.77.1.5.7')
OphthalmicOpticalCoherenceTomographyBscanVolumeAnalysisStorage = _const('1.2.840.10008.5.1.4.1.1.77.1.5.8')
VLWholeSlideMicroscopyImageStorage = _const('1.2.840.10008.5.1.4.1.1.77.1.6')
DermoscopicPhotographyImageStorage = _const('1.2.840.10008.5.1.4.1.1.77.1.7')
ConfocalMicroscopyImageStorage = _const('1.2.840.10008.5.1.4.1.1.77.1.8')
ConfocalMicroscopyTiledPyramidalImageStorage = _const('1.2.840.10008.5.1.4.1.1.77.1.9')
LensometryMeasurementsStorage = _const('1.2.840.10008.5.1.4.1.1.78.1')
AutorefractionMeasurementsStorage = _const('1.2.840.10008.5.1.4.1.1.78.2')
KeratometryMeasurementsStorage = _const('1.2.840.10008.5.1.4.1.1.78.3')
SubjectiveRefractionMeasurementsStorage = _const('1.2.840.10008.5.1.4.1.1.78.4')
VisualAcuityMeasurementsStorage = _const('1.2.840.10008.5.1.4.1.1.78.5')
SpectaclePrescriptionReportStorage = _const('1.2.840.10008.5.1.4.1.1.78.6')
OphthalmicAxialMeasurementsStorage = _const('1.2.840.10008.5.1.4.1.1.78.7')
IntraocularLensCalculationsStorage = _const('1.2.840.10008.5.1.4.1.1.78.8')
MacularGridThicknessAndVolumeReportStorage = _const('1.2.840.10008.5.1.4.1.1.79.1')
OphthalmicVisualFieldStaticPerimetryMeasurementsStorage = _const('1.2.840.10008.5.1.4.1.1.80.1')
OphthalmicThicknessMapStorage = _const('1.2.840.10008.5.1.4.1.1.81.1')
CornealTopographyMapStorage = _const('1.2.840.10008.5.1.4.1.1.82.1')
TextSRStorageTrial = _const('1.2.840.10008.5.1.4.1.1.88.1')
AudioSRStorageTrial = _const('1.2.840.10008.5.1.4.1.1.88.2')
DetailSRStorageTrial = _const('1.2.840.10008.5.1.4.1.1.88.3')
ComprehensiveSRStorageTrial = _const('1.2.840.10008.5.1.4.1.1.88.4')
BasicTextSRStorage = _const('1.2.840.10008.5.1.4.1.1.88.11')
EnhancedSRStorage = _const('1.2.840.10008.5.1.4.1.1.88.22')
ComprehensiveSRStorage = _const('1.2.840.10008.5.1.4.1.1.88.33')
Comprehensive3DSRStorage = _const('1.2.840.10008.5.1.4.1.1.88.34')
ExtensibleSRStorage = _const('1.2.840.10008.5.1.4.1.1.88.35')
ProcedureLogStorage = _const('1.2.840.10008.5.1.4.1.1.88.40')
MammographyCADSRStorage = _const('1.2.840.10008.5.1.4.1.1.88.50')
KeyObjectSelectionDocumentStorage = _const('1.2.840.10008.5.1.4.1.1.88.59')
ChestCADSRStorage = _const('1.2.840.10008.5.1.4.1.1.88.65')
XRayRadiationDoseSRStorage = _const('1.2.840.10008.5.1.4.1.1.88.67')
RadiopharmaceuticalRadiationDoseSRStorage = _const('1.2.840.10008.5.1.4.1.1.88.68')
ColonCADSRStorage = _const('1.2.840.10008.5.1.4.1.1.88.69')
ImplantationPlanSRStorage = _const('1.2.840.10008.5.1.4.1.1.88.70')
AcquisitionContextSRStorage = _const('1.2.840.10008.5.1.4.1.1.88.71')
SimplifiedAdultEchoSRStorage = _const('1.2.840.10008.5.1.4.1.1.88.72')
PatientRadiationDoseSRStorage = _const('1.2.840.10008.5.1.4.1.1.88.73')
PlannedImagingAgentAdministrationSRStorage = _const('1.2.840.10008.5.1.4.1.1.88.74')
PerformedImagingAgentAdministrationSRStorage = _const('1.2.840.10008.5.1.4.1.1.88.75')
EnhancedXRayRadiationDoseSRStorage = _const('1.2.840.10008.5.1.4.1.1.88.76')
WaveformAnnotationSRStorage = _const('1.2.840.10008.5.1.4.1.1.88.77')
ContentAssessmentResultsStorage = _const('1.2.840.10008.5.1.4.1.1.90.1')
MicroscopyBulkSimpleAnnotationsStorage = _const('1.2.840.10008.5.1.4.1.1.91.1')
EncapsulatedPDFStorage = _const('1.2.840.10008.5.1.4.1.1.104.1')
EncapsulatedCDAStorage = _const('1.2.840.10008.5.1.4.1.1.104.2')
EncapsulatedSTLStorage = _const('1.2.840.10008.5.1.4.1.1.104.3')
EncapsulatedOBJStorage = _const('1.2.840.10008.5.1.4.1.1.104.4')
EncapsulatedMTLStorage = _const('1.2.840.10008.5.1.4.1.1.104.5')
PositronEmissionTomographyImageStorage = _const('1.2.840.10008.5.1.4.1.1.128')
LegacyConvertedEnhancedPETImageStorage = _const('1.2.840.10008.5.1.4.1.1.128.1')
StandalonePETCurveStorage = _const('1.2.840.10008.5.1.4.1.1.129')
EnhancedPETImageStorage = _const('1.2.840.10008.5.1.4.1.1.130')
BasicStructuredDisplayStorage = _const('1.2.840.10008.5.1.4.1.1.131')
CTDefinedProcedureProtocolStorage = _const('1.2.840.10008.5.1.4.1.1.200.1')
CTPerformedProcedureProtocolStorage = _const('1.2.840.10008.5.1.4.1.1.200.2')
ProtocolApprovalStorage = _const('1.2.840.10008.5.1.4.1.1.200.3')
ProtocolApprovalInformationModelFind = _const('1.2.840.10008.5.1.4.1.1.200.4')
ProtocolApprovalInformationModelMove = _const('1.2.840.10008.5.1.4.1.1.200.5')
ProtocolApprovalInformationModelGet = _const('1.2.840.10008.5.1.4.1.1.200.6')
XADefinedProcedureProtocolStorage = _const('1.2.840.10008.5.1.4.1.1.200.7')
XAPerformedProcedureProtocolStorage = _const('1.2.840.10008.5.1.4.1.1.200.8')
InventoryStorage = _const('1.2.840.10008.5.1.4.1.1.201.1')
InventoryFind = _const('1.2.840.10008.5.1.4.1.1.201.2')
InventoryMove = _const('1.2.840.10008.5.1.4.1.1.201.3')
InventoryGet = _const('1.2.840.10008.5.1.4.1.1.201.4')
InventoryCreation = _const('1.2.840.10008.5.1.4.1.1.201.5')
RepositoryQuery = _const('1.2.840.10008.5.1.4.1.1.201.6')
RTImageStorage = _const('1.2.840.10008.5.1.4.1.1.481.1')
RTDoseStorage = _const('1.2.840.10008.5.1.4.1.1.481.2')
RTStructureSetStorage = _const('1.2.840.10008.5.1.4.1.1.481.3')
RTBeamsTreatmentRecordStorage = _const('1.2.840.10008.5.1.4.1.1.481.4')
RTPlanStorage = _const('1.2.840.10008.5.1.4.1.1.481.5')
RTBrachyTreatmentRecordStorage = _const('1.2.840.10008.5.1.4.1.1.481.6')
RTTreatmentSummaryRecordStorage = _const('1.2.840.10008.5.1.4.1.1.481.7')
RTIonPlanStorage = _const('1.2.840.10008.5.1.4.1.1.481.8')
RTIonBeamsTreatmentRecordStorage = _const('1.2.840.10008.5.1.4.1.1.481.9')
RTPhysicianIntentStorage = _const('1.2.840.10008.5.1.4.1.1.481.10')
RTSegmentAnnotationStorage = _const('1.2.840.10008.5.1.4.1.1.481.11')
RTRadiationSetStorage = _const('1.2.840.10008.5.1.4.1.1.481.12')
CArmPhotonElectronRadiationStorage = _const('1.2.840.10008.5.1.4.1.1.481.13')
TomotherapeuticRadiationStorage = _const('1.2.840.10008.5.1.4.1.1.481.14')
RoboticArmRadiationStorage = _const('1.2.840.10008.5.1.4.1.1.481.15')
RTRadiationRecordSetStorage = _const('1.2.840.10008.5.1.4.1.1.481.16')
RTRadiationSalvageRecordStorage = _const('1.2.840.10008.5.1.4.1.1.481.17')
TomotherapeuticRadiationRecordStorage = _const('1.2.840.10008.5.1.4.1.1.481.18')
CArmPhotonElectronRadiationRecordStorage = _const('1.2.840.10008.5.1.4.1.1.481.19')
RoboticRadiationRecordStorage = _const('1.2.840.10008.5.1.4.1.1.481.20')
RTRadiationSetDeliveryInstructionStorage = _const('1.2.840.10008.5.1.4.1.1.481.21')
RTTreatmentPreparationStorage = _const('1.2.840.10008.5.1.4.1.1.481.22')
EnhancedRTImageStorage = _const('1.2.840.10008.5.1.4.1.1.481.23')
EnhancedContinuousRTImageStorage = _const('1.2.840.10008.5.1.4.1.1.481.24')
RTPatientPositionAcquisitionInstructionStorage = _const('1.2.840.10008.5.1.4.1.1.481.25')
DICOSCTImageStorage = _const('1.2.840.10008.5.1.4.1.1.501.1')
DICOSDigitalXRayImageStorageForPresentation = _const('1.2.840.10008.5.1.4.1.1.501.2.1')
DICOSDigitalXRayImageStorageForProcessing = _const('1.2.840.10008.5.1.4.1.1.501.2.2')
DICOSThreatDetectionReportStorage = _const('1.2.840.10008.5.1.4.1.1.501.3')
DICOS2DAITStorage = _const('1.2.840.10008.5.1.4.1.1.501.4')
DICOS3DAITStorage = _const('1.2.840.10008.5.1.4.1.1.501.5')
DICOSQuadrupoleResonanceStorage = _const('1.2.840.10008.5.1.4.1.1.501.6')
EddyCurrentImageStorage = _const('1.2.840.10008.5.1.4.1.1.601.1')
EddyCurrentMultiFrameImageStorage = _const('1.2.840.10008.5.1.4.1.1.601.2')
PatientRootQueryRetrieveInformationModelFind = _const('1.2.840.10008.5.1.4.1.2.1.1')
PatientRootQueryRetrieveInformationModelMove = _const('1.2.840.10008.5.1.4.1.2.1.2')
PatientRootQueryRetrieveInformationModelGet = _const('1.2.840.10008.5.1.4.1.2.1.3')
StudyRootQueryRetrieveInformationModelFind = _const('1.2.840.10008.5.1.4.1.2.2.1')
StudyRootQueryRetrieveInformationModelMove = _const('1.2.840.10008.5.1.4.1.2.2.2')
StudyRootQueryRetrieveInformationModelGet = _const('1.2.840.10008.5.1.4.1.2.2.3')
PatientStudyOnlyQueryRetrieveInformationModelFind = _const('1.2.840.10008.5.1.4.1.2.3.1')
PatientStudyOnlyQueryRetrieveInformationModelMove = _const('1.2.840.10008.5.1.4.1.2.3.2')
PatientStudyOnlyQueryRetrieveInformationModelGet = _const('1.2.840.10008.5.1.4.1.2.3.3')
CompositeInstanceRootRetrieveMove = _const('1.2.840.10008.5.1.4.1.2.4.2')
CompositeInstanceRootRetrieveGet = _const('1.2.840.10008.5.1.4.1.2.4.3')
CompositeInstanceRetrieveWithoutBulkDataGet = _const('1.2.840.10008.5.1.4.1.2.5.3')
DefinedProcedureProtocolInformationModelFind = _const('1.2.840.10008.5.1.4.20.1')
DefinedProcedureProtocolInformationModelMove = _const('1.2.840.10008.5.1.4.20.2')
DefinedProcedureProtocolInformationModelGet = _const('1.2.840.10008.5.1.4.20.3')
ModalityWorklistInformationModelFind = _const('1.2.840.10008.5.1.4.31')
GeneralPurposeWorklistInformationModelFind = _const('1.2.840.10008.5.1.4.32.1')
GeneralPurposeScheduledProcedureStep = _const('1.2.840.10008.5.1.4.32.2')
GeneralPurposePerformedProcedureStep = _const('1.2.840.10008.5.1.4.32.3')
InstanceAvailabilityNotification = _const('1.2.840.10008.5.1.4.33')
RTBeamsDeliveryInstructionStorageTrial = _const('1.2.840.10008.5.1.4.34.1')
RTConventionalMachineVerificationTrial = _const('1.2.840.10008.5.1.4.34.2')
RTIonMachineVerificationTrial = _const('1.2.840.10008.5.1.4.34.3')
UnifiedProcedureStepPushTrial = _const('1.2.840.10008.5.1.4.34.4.1')
UnifiedProcedureStepWatchTrial = _const('1.2.840.10008.5.1.4.34.4.2')
UnifiedProcedureStepPullTrial = _const('1.2.840.10008.5.1.4.34.4.3')
UnifiedProcedureStepEventTrial = _const('1.2.840.10008.5.1.4.34.4.4')
UnifiedProcedureStepPush = _const('1.2.840.10008.5.1.4.34.6.1')
UnifiedProcedureStepWatch = _const('1.2.840.10008.5.1.4.34.6.2')
UnifiedProcedureStepPull = _const('1.2.840.10008.5.1.4.34.6.3')
UnifiedProcedureStepEvent = _const('1.2.840.10008.5.1.4.34.6.4')
UnifiedProcedureStepQuery = _const('1.2.840.10008.5.1.4.34.6.5')
RTBeamsDeliveryInstructionStorage = _const('1.2.840.10008.5.1.4.34.7')
RTConventionalMachineVerification = _const('1.2.840.10008.5.1.4.34.8')
RTIonMachineVerification = _const('1.2.840.10008.5.1.4.34.9')
RTBrachyApplicationSetupDeliveryInstructionStorage = _const('1.2.840.10008.5.1.4.34.10')
GeneralRelevantPatientInformationQuery = _const('1.2.840.10008.5.1.4.37.1')
BreastImagingRelevantPatientInformationQuery = _const('1.2.840.10008.5.1.4.37.2')
CardiacRelevantPatientInformationQuery = _const('1.2.840.10008.5.1.4.37.3')
HangingProtocolStorage = _const('1.2.840.10008.5.1.4.38.1')
HangingProtocolInformationModelFind = _const('1.2.840.10008.5.1.4.38.2')
HangingProtocolInformationModelMove = _const('1.2.840.10008.5.1.4.38.3')
HangingProtocolInformationModelGet = _const('1.2.840.10008.5.1.4.38.4')
ColorPaletteStorage = _const('1.2.840.10008.5.1.4.39.1')
ColorPaletteQueryRetrieveInformationModelFind = _const('1.2.840.10008.5.1.4.39.2')
ColorPaletteQueryRetrieveInformationModelMove = _const('1.2.840.10008.5.1.4.39.3')
ColorPaletteQueryRetrieveInformationModelGet = _const('1.2.840.10008.5.1.4.39.4')
ProductCharacteristicsQuery = _const('1.2.840.10008.5.1.4.41')
SubstanceApprovalQuery = _const('1.2.840.10008.5.1.4.42')
GenericImplantTemplateStorage = _const('1.2.840.10008.5.1.4.43.1')
GenericImplantTemplateInformationModelFind = _const('1.2.840.10008.5.1.4.43.2')
GenericImplantTemplateInformationModelMove = _const('1.2.840.10008.5.1.4.43.3')
GenericImplantTemplateInformationModelGet = _const('1.2.840.10008.5.1.4.43.4')
ImplantAssemblyTemplateStorage = _const('1.2.840.10008.5.1.4.44.1')
ImplantAssemblyTemplateInformationModelFind = _const('1.2.840.10008.5.1.4.44.2')
ImplantAssemblyTemplateInformationModelMove = _const('1.2.840.10008.5.1.4.44.3')
ImplantAssemblyTemplateInformationModelGet = _const('1.2.840.10008.5.1.4.44.4')
ImplantTemplateGroupStorage = _const('1.2.840.10008.5.1.4.45.1')
ImplantTemplateGroupInformationModelFind = _const('1.2.840.10008.5.1.4.45.2')
ImplantTemplateGroupInformationModelMove = _const('1.2.840.10008.5.1.4.45.3')
ImplantTemplateGroupInformationModelGet = _const('1.2.840.10008.5.1.4.45.4')
VideoEndoscopicImageRealTimeCommunication = _const('1.2.840.10008.10.1')
VideoPhotographicImageRealTimeCommunication = _const('1.2.840.10008.10.2')
AudioWaveformRealTimeCommunication = _const('1.2.840.10008.10.3')
RenditionSelectionDocumentRealTimeCommunication = _const('1.2.840.10008.10.4')
# Meta SOP Class
DetachedPatientManagementMeta = _const('1.2.840.10008.3.1.2.1.4')
DetachedResultsManagementMeta = _const('1.2.840.10008.3.1.2.5.4')
DetachedStudyManagementMeta = _const('1.2.840.10008.3.1.2.5.5')
BasicGrayscalePrintManagementMeta = _const('1.2.840.10008.5.1.1.9')
ReferencedGrayscalePrintManagementMeta = _const('1.2.840.10008.5.1.1.9.1')
BasicColorPrintManagementMeta = _const('1.2.840.10008.5.1.1.18')
ReferencedColorPrintManagementMeta = _const('1.2.840.10008.5.1.1.18.1')
PullStoredPrintManagementMeta = _const('1.2.840.10008.5.1.1.32')
GeneralPurposeWorklistManagementMeta = _const('1.2.840.10008.5.1.4.32')
# pydicom-compatible aliases
JPEGLosslessP14 = JPEGLossless
# --- END GENERATED UID CONSTANTS ---


AllTransferSyntaxes: list[UID] = [
    ImplicitVRLittleEndian,
    ExplicitVRLittleEndian,
    DeflatedExplicitVRLittleEndian,
    ExplicitVRBigEndian,
    JPEGBaseline8Bit,
    JPEGExtended12Bit,
    JPEGLossless,
    JPEGLosslessSV1,
    JPEGLSLossless,
    JPEGLSNearLossless,
    JPEG2000Lossless,
    JPEG2000,
    JPEG2000MCLossless,
    JPEG2000MC,
    MPEG2MPML,
    MPEG2MPMLF,
    MPEG2MPHL,
    MPEG2MPHLF,
    MPEG4HP41,
    MPEG4HP41F,
    MPEG4HP41BD,
    MPEG4HP41BDF,
    MPEG4HP422D,
    MPEG4HP422DF,
    MPEG4HP423D,
    MPEG4HP423DF,
    MPEG4HP42STEREO,
    MPEG4HP42STEREOF,
    HEVCMP51,
    HEVCM10P51,
    HTJ2KLossless,
    HTJ2KLosslessRPCL,
    HTJ2K,
    JPIPHTJ2KReferenced,
    JPIPHTJ2KReferencedDeflate,
    RLELossless,
    SMPTEST211020UncompressedProgressiveActiveVideo,
    SMPTEST211020UncompressedInterlacedActiveVideo,
    SMPTEST211030PCMDigitalAudio,
]
"""The transfer syntaxes pydicom 3 lists: the non-retired ones it handles
plus *Explicit VR Big Endian*."""

JPEGTransferSyntaxes: list[UID] = [
    JPEGBaseline8Bit,
    JPEGExtended12Bit,
    JPEGLossless,
    JPEGLosslessSV1,
]
"""JPEG (ISO/IEC 10918-1) transfer syntaxes."""

JPEGLSTransferSyntaxes: list[UID] = [JPEGLSLossless, JPEGLSNearLossless]
"""JPEG-LS (ISO/IEC 14495-1) transfer syntaxes."""

JPEG2000TransferSyntaxes: list[UID] = [
    JPEG2000Lossless,
    JPEG2000,
    JPEG2000MCLossless,
    JPEG2000MC,
    HTJ2KLossless,
    HTJ2KLosslessRPCL,
    HTJ2K,
]
"""JPEG 2000 (ISO/IEC 15444-1) and HTJ2K transfer syntaxes."""

MPEGTransferSyntaxes: list[UID] = [
    MPEG2MPML,
    MPEG2MPMLF,
    MPEG2MPHL,
    MPEG2MPHLF,
    MPEG4HP41,
    MPEG4HP41F,
    MPEG4HP41BD,
    MPEG4HP41BDF,
    MPEG4HP422D,
    MPEG4HP422DF,
    MPEG4HP423D,
    MPEG4HP423DF,
    MPEG4HP42STEREO,
    MPEG4HP42STEREOF,
    HEVCMP51,
    HEVCM10P51,
]
"""MPEG-2, MPEG-4 AVC and HEVC transfer syntaxes."""

RLETransferSyntaxes: list[UID] = [RLELossless]
"""RLE transfer syntaxes."""

UncompressedTransferSyntaxes: list[UID] = [
    ExplicitVRLittleEndian,
    ImplicitVRLittleEndian,
    DeflatedExplicitVRLittleEndian,
    ExplicitVRBigEndian,
]
"""Native (not encapsulated) transfer syntaxes."""

PrivateTransferSyntaxes: list[UID] = []
"""Private transfer syntaxes added with :func:`register_transfer_syntax`."""


def register_transfer_syntax(
    uid: str | UID,
    implicit_vr: bool | None = None,
    little_endian: bool | None = None,
) -> UID:
    """Register a private transfer syntax so datasets using it can be read.

    Parameters
    ----------
    uid : str or UID
        The transfer syntax UID, possibly with its encoding already set by
        :meth:`UID.set_private_encoding`.
    implicit_vr : bool, optional
        ``True`` for implicit VR; needed unless the encoding is already set.
    little_endian : bool, optional
        ``True`` for little endian; needed unless the encoding is already set.

    Returns
    -------
    UID
        The registered UID, also appended to :data:`PrivateTransferSyntaxes`.

    Raises
    ------
    ValueError
        If the encoding is neither given nor already set.
    """
    uid = UID(uid)
    if None in (implicit_vr, little_endian) and not uid.is_transfer_syntax:
        raise ValueError(
            "The corresponding dataset encoding for 'uid' must be set using "
            "the 'implicit_vr' and 'little_endian' arguments"
        )
    if implicit_vr is not None and little_endian is not None:
        uid.set_private_encoding(implicit_vr, little_endian)
    if uid not in PrivateTransferSyntaxes:
        PrivateTransferSyntaxes.append(uid)
    return uid


def generate_uid(
    prefix: str | None = PYDICOM_ROOT_UID,
    entropy_srcs: list[str] | None = None,
    *,
    strict: bool = False,
) -> UID:
    """Return a new UID of at most 64 characters.

    The results are those of pydicom's ``generate_uid`` for the same
    arguments: the same default prefix and the same hash of `entropy_srcs`, so
    reproducible UID mappings made with pydicom stay the same.

    Parameters
    ----------
    prefix : str or None, optional
        A valid UID prefix ending in ``'.'`` (at most 54 characters), to be
        followed by a random number below ``10 ** (64 - len(prefix))``, or by
        the decimal SHA-512 of `entropy_srcs`.  The default is
        :data:`PYDICOM_ROOT_UID`.  ``None`` gives ``'2.25.'`` followed by the
        integer of a random (version 4) UUID, as PS3.5 §B.2 allows.
    entropy_srcs : list of str, optional
        With a `prefix`, strings that make the result deterministic (same
        sources, same UID) without revealing them.  As in pydicom they have
        no effect when `prefix` is ``None``: the UUID is always random.
    strict : bool, optional
        If ``True``, refuse a `prefix` that leaves fewer than
        :data:`MIN_RANDOM_BITS` (96) bits for the random or hashed suffix
        (at most 35 characters of prefix).  pydicom accepts a 54-character
        prefix, which leaves 10 digits (33 bits): collisions become likely
        after about 10**5 UIDs (the birthday bound).  Default ``False``,
        pydicom's behaviour.

    Returns
    -------
    UID

    Raises
    ------
    ValueError
        If `prefix` is longer than 54 characters or not a valid prefix, or
        with `strict` leaves fewer than 96 random bits.

    Examples
    --------
    >>> generate_uid(entropy_srcs=["lorem", "ipsum"])
    '1.2.826.0.1.3680043.8.498.87507166259346337659265156363895084463'
    >>> generate_uid(None)  # doctest: +SKIP
    '2.25.167161297070865690102504091919570542144'
    """
    if prefix is None:
        # A 128-bit UUID is at most 39 digits: "2.25." + 39 <= 64 (PS3.5 §B.2).
        return UID(f"2.25.{uuid.uuid4().int}")
    if len(prefix) > _MAX_PREFIX_LENGTH:
        raise ValueError(
            f"The 'prefix' should be no more than {_MAX_PREFIX_LENGTH} characters long"
        )
    if not RE_VALID_UID_PREFIX.match(prefix):
        raise ValueError(
            "The 'prefix' is not valid for use with a UID, see Part 5, Section "
            "9.1 of the DICOM Standard"
        )
    if strict and suffix_bits(prefix) < MIN_RANDOM_BITS:
        raise ValueError(
            f"The 'prefix' {prefix!r} leaves {suffix_bits(prefix):.0f} bits for the "
            f"unique part of the UID; strict mode needs at least {MIN_RANDOM_BITS} "
            f"(a prefix of at most {_MAX_STRICT_PREFIX_LENGTH} characters)"
        )
    if entropy_srcs is None:
        # randbelow is in [0, 10**n): both "prefix.0" and "prefix0" are valid,
        # and the suffix fills the 64 characters at most.
        suffix = secrets.randbelow(10 ** (_MAX_UID_LENGTH - len(prefix)))
        return UID(f"{prefix}{suffix}"[:_MAX_UID_LENGTH])
    digest = hashlib.sha512("".join(entropy_srcs).encode("utf-8")).hexdigest()
    # The hash as a decimal integer, cut to the 64 characters a UID may have.
    return UID(f"{prefix}{int(digest, 16)}"[:_MAX_UID_LENGTH])


def suffix_bits(prefix: str) -> float:
    """Bits of information the digits after `prefix` can carry in a 64-character UID.

    Parameters
    ----------
    prefix : str
        A UID prefix ending in ``'.'``.

    Returns
    -------
    float
        ``(64 - len(prefix)) * log2(10)``: 126 for :data:`PYDICOM_ROOT_UID`,
        33 for a 54-character prefix.
    """
    return max(0, _MAX_UID_LENGTH - len(prefix)) * _LOG2_10


# RFC 9562 §5.8: version 8 is the "custom" UUID layout, for UUIDs whose bits
# come from an application's own algorithm (here an HMAC); the variant bits
# are those of RFC 4122/9562.
_VERSION_MASK = ~(0xF << 76) & ((1 << 128) - 1)
_VARIANT_MASK = ~(0x3 << 62) & ((1 << 128) - 1)
_V4_BITS = (0x4 << 76) | (0x2 << 62)
_V8_BITS = (0x8 << 76) | (0x2 << 62)
_KEYED_DOMAIN = b"fastdicom keyed UID v1\x00"


def keyed_uid(uid: str, key: bytes | str) -> UID:
    """Map a UID to a new one, deterministically under a secret key.

    The new UID is ``'2.25.'`` followed by the integer of a UUID (PS3.5 §B.2)
    whose 122 free bits are the first bits of HMAC-SHA256(`key`, `uid`): the
    same original UID and key give the same result on every run and machine
    (so a study de-identified in several batches keeps its references), while
    without the key the original cannot be recovered or confirmed.

    Parameters
    ----------
    uid : str
        The original UID (surrounding spaces and a trailing NUL pad are ignored).
    key : bytes or str
        The secret; a str is encoded as UTF-8.  Use at least 16 random bytes.

    Returns
    -------
    UID
        A valid UID of at most 44 characters under the ``2.25`` arc.

    Raises
    ------
    ValueError
        If `key` is empty.

    Examples
    --------
    >>> keyed_uid("1.2.3.4", b"secret") == keyed_uid("1.2.3.4", b"secret")
    True
    """
    if isinstance(key, str):
        key = key.encode("utf-8")
    if not key:
        raise ValueError("keyed_uid needs a non-empty key")
    text = uid.strip(" \x00").encode("ascii", "backslashreplace")
    digest = hmac.new(key, _KEYED_DOMAIN + text, hashlib.sha256).digest()
    value = (int.from_bytes(digest[:16], "big") & _VERSION_MASK & _VARIANT_MASK) | _V8_BITS
    # A 128-bit integer has at most 39 digits: "2.25." + 39 <= 64.
    return str.__new__(UID, f"2.25.{value}")


def generate_uids(count: int, prefix: str | None = None) -> list[UID]:
    """Return `count` new random UIDs at once (a million in about 2 s).

    Parameters
    ----------
    count : int
        How many UIDs.
    prefix : str, optional
        ``None`` (default) for ``'2.25.'`` + a version 4 UUID integer, as
        ``generate_uid(None)``; otherwise a prefix of at most 35 characters
        (the strict rule of :func:`generate_uid`) followed by a random number
        below ``10 ** (64 - len(prefix))``.

    Returns
    -------
    list of UID

    Notes
    -----
    The randomness is one :func:`os.urandom` read per call: there is no
    generator state to share between threads or to duplicate in a forked
    child, so parallel and forked workers never repeat each other's UIDs.
    With a prefix, each number is a 64-bit-oversized random integer reduced
    modulo ``10**digits`` (bias below 2**-64).
    """
    if count < 0:
        raise ValueError("'count' must not be negative")
    if prefix is None:
        data = os.urandom(16 * count)
        mask = _VERSION_MASK & _VARIANT_MASK
        from_bytes = int.from_bytes
        texts = [f"2.25.{(from_bytes(data[i:i + 16], 'big') & mask) | _V4_BITS}" for i in range(0, 16 * count, 16)]
    else:
        generate_uid(prefix, ["validate"], strict=True)  # the prefix checks, once
        digits = _MAX_UID_LENGTH - len(prefix)
        modulus = 10**digits
        width = (math.ceil(digits * _LOG2_10) + 64 + 7) // 8
        data = os.urandom(width * count)
        from_bytes = int.from_bytes
        texts = [f"{prefix}{from_bytes(data[i:i + width], 'big') % modulus}" for i in range(0, width * count, width)]
    # A UID instance has a __dict__, so the cyclic collector tracks it and
    # would rescan the growing list many times over (4x the whole cost at a
    # million); these objects hold no cycles, so collection waits until done.
    enabled = gc.isenabled()
    gc.disable()
    try:
        return list(map(functools.partial(str.__new__, UID), texts))
    finally:
        if enabled:
            gc.enable()


_UID_CHARS = frozenset("0123456789.")


def uid_problems(value: str) -> list[str]:
    """Every way `value` breaks the UID rules; empty when it is valid.

    The checks are stricter than :attr:`UID.is_valid`: PS3.5 §9.1 (only
    digits and ``.``, components without leading zeros, no empty component,
    at most 64 characters), the ISO/IEC 8824 root arcs (first component 0, 1
    or 2; below 40 under 0 and 1), and under ``2.25`` (PS3.5 §B.2) an integer
    below 2**128 that a UUID can have.  One trailing NUL (the padding of
    PS3.5 §9.1) is allowed.

    Parameters
    ----------
    value : str

    Returns
    -------
    list of str
        Human-readable problems.
    """
    if not isinstance(value, str):
        return [f"a UID is a str, not {type(value).__name__}"]
    if value.endswith("\x00"):
        value = value[:-1]
    problems: list[str] = []
    if not value:
        return ["the UID is empty"]
    if len(value) > _MAX_UID_LENGTH:
        problems.append(f"{len(value)} characters, more than {_MAX_UID_LENGTH}")
    bad = sorted(set(value) - _UID_CHARS)
    if bad:
        problems.append(f"characters other than digits and '.': {''.join(bad)!r}")
        return problems
    parts = value.split(".")
    for index, part in enumerate(parts):
        if not part:
            problems.append(f"component {index + 1} is empty")
        elif len(part) > 1 and part[0] == "0":
            problems.append(f"component {index + 1} ({part!r}) has a leading zero")
    if problems:
        return problems
    if len(parts) < 2:
        problems.append("a UID has at least two components")
    if parts[0] not in ("0", "1", "2"):
        problems.append(f"the root arc is {parts[0]}, not 0, 1 or 2 (ISO/IEC 8824)")
    elif parts[0] in ("0", "1") and len(parts) > 1 and int(parts[1]) >= 40:
        problems.append(f"arc {parts[1]} under {parts[0]} must be below 40 (ISO/IEC 8824)")
    if parts[:2] == ["2", "25"]:
        if len(parts) < 3:
            problems.append("'2.25' needs the integer of a UUID after it")
        elif int(parts[2]) >= 1 << 128:
            problems.append("the integer after '2.25.' is not below 2**128 (not a UUID)")
    return problems


def is_valid_uid(value: str) -> bool:
    """Whether `value` passes :func:`uid_problems` (the strict UID rules).

    Parameters
    ----------
    value : str

    Returns
    -------
    bool
    """
    return not uid_problems(value)
