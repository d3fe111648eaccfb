"""Callbacks that turn raw elements into data elements, as ``pydicom.hooks``.

Every element read from data becomes a :class:`~fastdicom.dataelem.DataElement`
in two steps, each a replaceable callback held by the :data:`hooks` singleton:

* ``"raw_element_vr"`` decides the VR (:func:`raw_element_vr`);
* ``"raw_element_value"`` converts the encoded bytes into a value of that VR
  (:func:`raw_element_value`).

Both are called as ``func(raw, data, *, encoding=..., ds=..., **kwargs)``
where `data` is a dict that receives ``"VR"`` and ``"value"``, and `kwargs`
are those registered for ``"raw_element_kwargs"``. The defaults are
fastdicom's own reading rules; while they are in place the reader may convert
ordinary elements without calling them, since the result is the same.
"""

from __future__ import annotations

from collections.abc import Callable, MutableSequence
from typing import TYPE_CHECKING, Any, Protocol

from fastdicom import config
from fastdicom.datadict import dictionary_VR, private_dictionary_VR
from fastdicom.errors import BytesLengthException
from fastdicom.tag import BaseTag
from fastdicom.values import convert_value_bytes

if TYPE_CHECKING:  # pragma: no cover
    from fastdicom.dataelem import RawDataElement
    from fastdicom.dataset import Dataset

__all__ = [
    "Hooks",
    "hooks",
    "raw_element_value",
    "raw_element_value_fix_separator",
    "raw_element_value_retry",
    "raw_element_vr",
]

_UNDEFINED = 0xFFFFFFFF
# PS3.3 C.7.6.3.1.5 (and C.11.1.1.1): the first value of a LUT Descriptor is
# always unsigned, whatever the VR (US or SS) it was encoded with.
_LUT_DESCRIPTOR_TAGS = frozenset({0x00281101, 0x00281102, 0x00281103, 0x00283002})


class RawDataHook(Protocol):
    """The signature of a ``raw_element_vr`` or ``raw_element_value`` callback."""

    def __call__(
        self,
        raw: "RawDataElement",
        data: dict[str, Any],
        *,
        encoding: str | MutableSequence[str] | None = ...,
        ds: "Dataset | None" = ...,
        **kwargs: Any,
    ) -> None: ...  # pragma: no cover


class Hooks:
    """The registered callbacks; use the :data:`hooks` instance.

    Attributes
    ----------
    raw_element_vr : callable
        Sets ``data["VR"]`` for a raw element.
    raw_element_value : callable
        Sets ``data["value"]`` (and may change ``data["VR"]``).
    raw_element_kwargs : dict
        Extra keyword arguments given to both callbacks.
    """

    def __init__(self) -> None:
        self.raw_element_vr: RawDataHook
        self.raw_element_value: RawDataHook
        self.raw_element_kwargs: dict[str, Any] = {}

    def register_callback(self, hook: str, func: Callable[..., None]) -> None:
        """Use `func` for `hook`.

        Parameters
        ----------
        hook : str
            ``"raw_element_vr"`` or ``"raw_element_value"``.
        func : callable
            The callback; one per hook.

        Raises
        ------
        TypeError
            When `func` is not callable.
        ValueError
            When `hook` is not a known hook.
        """
        if not callable(func):
            raise TypeError("'func' must be a callable function")
        if hook not in ("raw_element_vr", "raw_element_value"):
            raise ValueError(f"Unknown hook '{hook}'")
        setattr(self, hook, func)

    def register_kwargs(self, hook: str, kwargs: dict[str, Any]) -> None:
        """Pass `kwargs` to the callbacks of `hook`.

        Parameters
        ----------
        hook : str
            ``"raw_element_kwargs"``.
        kwargs : dict

        Raises
        ------
        TypeError
            When `kwargs` is not a dict.
        ValueError
            When `hook` is not a known hook.
        """
        if not isinstance(kwargs, dict):
            raise TypeError(f"'kwargs' must be a dict, not '{type(kwargs).__name__}'")
        if hook != "raw_element_kwargs":
            raise ValueError(f"Unknown hook '{hook}'")
        self.raw_element_kwargs = kwargs

    def uses_defaults(self) -> bool:
        """True when both callbacks are fastdicom's own.

        The reader then converts ordinary elements directly, which gives the
        same result as calling the callbacks.
        """
        return self.raw_element_vr is raw_element_vr and self.raw_element_value is raw_element_value


def _private_vr_for_tag(ds: "Dataset | None", tag: BaseTag) -> str:
    """The VR of a private element: from the private dictionary, else UN.

    PS3.5 §6.2.2: private elements read as implicit VR have VR UN unless
    their private creator's dictionary is known; a private creator
    element (gggg,00xx) is always LO (PS3.5 §7.8.1).
    """
    if tag.is_private_creator:
        return "LO"
    if ds is not None and tag.element & 0xFF00:
        creator = ds.get((tag.group << 16) | (tag.element >> 8), "")
        if creator:
            try:
                return private_dictionary_VR(tag, creator.value)
            except KeyError:
                pass
    return "UN"


def _vr_of(raw: "RawDataElement", ds: "Dataset | None") -> str:
    """The VR for `raw`, by pydicom's reading rules.

    Implicit VR takes the dictionary's VR; an explicit UN takes it too when
    the dictionary knows the tag (PS3.5 §6.2.2 allows a known element to be
    UN only when its value is too long for a 16-bit length). An undefined
    length UN is a sequence (PS3.5 §6.2.2 note 4).
    """
    vr = raw.VR
    tag = raw.tag
    if raw.length == _UNDEFINED:
        if vr == "UN" and config.settings.infer_sq_for_un_vr:
            return "SQ"
        if vr is None or (vr == "UN" and config.replace_un_with_known_vr):
            try:
                vr = dictionary_VR(tag)
            except KeyError:
                # Undefined length without a dictionary entry: the value is
                # items (the reader followed them), so it is a sequence.
                if raw.value is not None and len(raw.value):
                    return "SQ"
        if vr is not None and vr != "UN":
            return vr
    if vr is None:
        try:
            return dictionary_VR(tag)
        except KeyError:
            if tag.is_private:
                return _private_vr_for_tag(ds, tag)
            if tag.element == 0:
                return "UL"  # group length (PS3.5 §7.2)
            message = f"VR lookup failed for the raw element with tag {tag}"
            if config.settings.reading_validation_mode == config.RAISE:
                raise KeyError(message) from None
            config.warn_and_log(f"{message} - setting VR to 'UN'", stacklevel=4)
            return "UN"
    if vr == "UN" and config.replace_un_with_known_vr:
        if tag.is_private:
            return _private_vr_for_tag(ds, tag)
        if raw.value is None or len(raw.value) < 0xFFFF:
            try:
                return dictionary_VR(tag)
            except KeyError:
                pass
    return vr


def raw_element_vr(
    raw: "RawDataElement",
    data: dict[str, Any],
    *,
    encoding: str | MutableSequence[str] | None = None,
    ds: "Dataset | None" = None,
    **kwargs: Any,
) -> None:
    """Set ``data["VR"]``, the VR to use for `raw`: the default ``raw_element_vr``.

    Parameters
    ----------
    raw : RawDataElement
    data : dict
        Receives ``"VR"``.
    encoding : str or list of str, optional
        Unused here.
    ds : Dataset, optional
        The dataset holding `raw`, for private creators.
    **kwargs
        Unused here.

    Raises
    ------
    KeyError
        When the VR of an implicit VR element is unknown and reading
        validation is set to raise.
    """
    data["VR"] = _vr_of(raw, ds)


def raw_element_value(
    raw: "RawDataElement",
    data: dict[str, Any],
    *,
    encoding: str | MutableSequence[str] | None = None,
    ds: "Dataset | None" = None,
    **kwargs: Any,
) -> None:
    """Set ``data["value"]``, the value of `raw` for ``data["VR"]``: the default
    ``raw_element_value``.

    A value whose length does not fit its VR becomes a UN element (with a
    warning) when :attr:`fastdicom.config.convert_wrong_length_to_UN` is set.

    Parameters
    ----------
    raw : RawDataElement
    data : dict
        Holds ``"VR"``; receives ``"value"``.
    encoding : str or list of str, optional
        The character sets of text values.
    ds : Dataset, optional
        The dataset holding `raw`; sequences are read in its context.
    **kwargs
        Unused here.

    Raises
    ------
    BytesLengthException
        When the length does not fit the VR and conversion to UN is off.
    NotImplementedError
        For an unknown VR.
    """
    vr = data["VR"]
    if vr == "SQ" and ds is not None:
        # Items are scanned in the context of the parent dataset (character
        # set, source buffer, nesting depth).
        data["value"] = ds._read_sequence(raw, encoding)
        return
    value = raw.value
    if isinstance(value, memoryview):
        value = value.tobytes()
    if isinstance(encoding, str):
        encoding = [encoding]
    try:
        converted = convert_value_bytes(vr, value, raw.is_little_endian, encoding)
    except NotImplementedError as exc:
        raise NotImplementedError(f"{exc} in tag {raw.tag}") from None
    except BytesLengthException as exc:
        message = (
            f"{exc} This occurred while trying to parse {raw.tag} according "
            f"to VR '{raw.VR}'."
        )
        if not config.convert_wrong_length_to_UN:
            raise BytesLengthException(
                f"{message} To replace this error with a warning set "
                "fastdicom.config.convert_wrong_length_to_UN = True."
            ) from None
        config.warn_and_log(f"{message} Setting VR to 'UN'.", stacklevel=4)
        data["VR"] = "UN"
        converted = value
    if raw.tag in _LUT_DESCRIPTOR_TAGS and converted and isinstance(converted, list):
        # Only the first value (entries) is fixed: the third is 8 or 16.
        try:
            if converted[0] < 0:
                converted[0] += 65536
        except TypeError:
            pass
    data["value"] = converted


def raw_element_value_fix_separator(
    raw: "RawDataElement",
    data: dict[str, Any],
    *,
    encoding: str | MutableSequence[str] | None = None,
    ds: "Dataset | None" = None,
    separator: str | bytes = b",",
    target_VRs: tuple[str, ...] | None = None,
    **kwargs: Any,
) -> None:
    """A ``raw_element_value`` callback that repairs a wrong value separator.

    For the VRs in `target_VRs`, `separator` is replaced by the backslash
    that PS3.5 §6.4 prescribes between values before converting.

    Parameters
    ----------
    raw, data, encoding, ds
        As :func:`raw_element_value`.
    separator : str or bytes
        The wrong separator, default ``b","``.
    target_VRs : tuple of str, optional
        The VRs to repair; none by default.
    """
    if target_VRs and data["VR"] in target_VRs and isinstance(raw.value, bytes):
        if isinstance(separator, str):
            separator = separator.encode("ascii")
        raw = raw._replace(value=raw.value.replace(separator, b"\\"))
    raw_element_value(raw, data, encoding=encoding, ds=ds, **kwargs)


def raw_element_value_retry(
    raw: "RawDataElement",
    data: dict[str, Any],
    *,
    encoding: str | MutableSequence[str] | None = None,
    ds: "Dataset | None" = None,
    target_VRs: dict[str, tuple[str, ...]] | None = None,
    **kwargs: Any,
) -> None:
    """A ``raw_element_value`` callback that tries other VRs when conversion fails.

    Parameters
    ----------
    raw, data, encoding, ds
        As :func:`raw_element_value`.
    target_VRs : dict, optional
        ``{VR: (alternative VRs, ...)}``: the VRs tried, in order, when a
        value of that VR cannot be converted.

    Raises
    ------
    Exception
        The original error when no alternative works.
    """
    try:
        raw_element_value(raw, data, encoding=encoding, ds=ds, **kwargs)
    except Exception:
        vr = data["VR"]
        value = raw.value.tobytes() if isinstance(raw.value, memoryview) else raw.value
        for candidate in (target_VRs or {}).get(vr, ()):
            try:
                data["value"] = convert_value_bytes(candidate, value, raw.is_little_endian, None)
            except Exception:
                continue
            data["VR"] = candidate
            return
        raise


hooks: Hooks = Hooks()
"""The callbacks in use."""
hooks.raw_element_vr = raw_element_vr
hooks.raw_element_value = raw_element_value
