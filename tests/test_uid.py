"""Tests for :mod:`fastdicom.uid` and the generated UID registry.

pydicom 3.0.2 (a test-only dependency) is the oracle.
"""

from __future__ import annotations

import os
import re
import types
import uuid
from collections.abc import Iterator
from typing import Any

import pytest

import fastdicom.uid as fu
from fastdicom import config
from fastdicom._uid_dict import UID_dictionary

pu = pytest.importorskip("pydicom.uid")
from pydicom._uid_dict import UID_dictionary as PYDICOM_UIDS  # noqa: E402

PROPS = [
    "name",
    "type",
    "info",
    "keyword",
    "is_retired",
    "is_private",
    "is_valid",
    "is_transfer_syntax",
    "is_little_endian",
    "is_implicit_VR",
    "is_deflated",
    "is_encapsulated",
    "is_compressed",
]


def _props(uid: Any) -> dict[str, tuple[str, Any]]:
    out = {}
    for prop in PROPS:
        try:
            out[prop] = ("ok", getattr(uid, prop))
        except Exception as exc:
            out[prop] = (type(exc).__name__, str(exc))
    return out


@pytest.fixture
def restore_private_ts() -> Iterator[None]:
    saved = list(fu.PrivateTransferSyntaxes)
    yield
    fu.PrivateTransferSyntaxes[:] = saved


def test_registry_equals_pydicom() -> None:
    assert len(UID_dictionary) == len(PYDICOM_UIDS) == 482
    assert UID_dictionary == PYDICOM_UIDS


def test_known_registry_facts() -> None:
    assert fu.UID("1.2.840.10008.5.1.4.1.1.2").name == "CT Image Storage"
    assert fu.CTImageStorage == "1.2.840.10008.5.1.4.1.1.2"
    assert fu.RTPlanStorage.name == "RT Plan Storage"
    assert fu.ImplicitVRLittleEndian.keyword == "ImplicitVRLittleEndian"
    assert fu.ImplicitVRLittleEndian.info == "Default Transfer Syntax for DICOM"
    assert fu.ExplicitVRBigEndian.is_retired
    assert fu.UID("1.2.840.10008.1.1").type == "SOP Class"
    assert fu.JPEGLosslessP14 == fu.JPEGLossless == "1.2.840.10008.1.2.4.57"


def test_every_uid_matches_pydicom() -> None:
    for value in PYDICOM_UIDS:
        assert _props(fu.UID(value)) == _props(pu.UID(value)), value


def test_transfer_syntax_properties_match_pydicom() -> None:
    syntaxes = [k for k, v in PYDICOM_UIDS.items() if v[1] == "Transfer Syntax"]
    assert len(syntaxes) == 59
    for value in syntaxes:
        ours, theirs = fu.UID(value), pu.UID(value)
        assert ours.is_transfer_syntax
        assert _props(ours) == _props(theirs), value
    assert not fu.ExplicitVRBigEndian.is_little_endian
    assert fu.ImplicitVRLittleEndian.is_implicit_VR
    assert fu.DeflatedExplicitVRLittleEndian.is_deflated
    assert fu.JPEG2000.is_compressed and fu.RLELossless.is_encapsulated
    assert not fu.ExplicitVRLittleEndian.is_compressed


def test_non_transfer_syntax_raises() -> None:
    for prop in ("is_little_endian", "is_implicit_VR", "is_deflated", "is_compressed"):
        with pytest.raises(ValueError, match="UID is not a transfer syntax"):
            getattr(fu.CTImageStorage, prop)


def test_unregistered_and_private_uids() -> None:
    for value in ["1.2.3.4", "1.2.840.10008.9.9.9", "2.25.1234", "", "1.2.840.10008."]:
        with config.disable_value_validation():
            assert _props(fu.UID(value)) == _props(pu.UID(value, validation_mode=0)), value
    assert fu.UID("1.2.3").name == "1.2.3"
    assert fu.UID("1.2.3").keyword == ""


def test_constants_match_pydicom() -> None:
    names = [n for n in dir(pu) if isinstance(getattr(pu, n), pu.UID)]
    assert "PYDICOM_IMPLEMENTATION_UID" in names
    assert len(names) > 200
    for name in names:
        assert getattr(fu, name) == getattr(pu, name), name
        assert type(getattr(fu, name)) is fu.UID
    assert fu.PYDICOM_ROOT_UID == pu.PYDICOM_ROOT_UID
    assert type(fu.PYDICOM_ROOT_UID) is str
    assert fu.RE_VALID_UID.pattern == pu.RE_VALID_UID.pattern
    assert fu.RE_VALID_UID_PREFIX.pattern == pu.RE_VALID_UID_PREFIX.pattern
    # fastdicom names itself in the files it writes (PS3.7 D.3.3.2).
    assert fu.FASTDICOM_IMPLEMENTATION_UID != fu.PYDICOM_IMPLEMENTATION_UID


def test_every_public_constant_of_pydicom_uid() -> None:
    from pydicom import valuerep as pvr

    for name, value in vars(pu).items():
        if name.startswith("_") or isinstance(value, types.ModuleType):
            continue
        if value is getattr(pvr, name, None):
            continue  # a name pydicom.uid imports from valuerep
        if callable(value) and not isinstance(value, str):
            if getattr(value, "__module__", "") == pu.__name__:
                # Functions and classes of the module: the same public names exist.
                assert callable(getattr(fu, name, None)), name
            continue
        assert getattr(fu, name) == value, name


def test_every_sop_class_is_an_attribute() -> None:
    for value, (_name, kind, _info, _retired, keyword) in UID_dictionary.items():
        if kind in ("SOP Class", "Meta SOP Class", "Transfer Syntax") and keyword:
            assert getattr(fu, keyword) == value, keyword


def test_lists_match_pydicom() -> None:
    for name in [
        "AllTransferSyntaxes",
        "UncompressedTransferSyntaxes",
        "JPEGTransferSyntaxes",
        "JPEGLSTransferSyntaxes",
        "JPEG2000TransferSyntaxes",
        "MPEGTransferSyntaxes",
        "RLETransferSyntaxes",
    ]:
        assert getattr(fu, name) == getattr(pu, name), name


def test_str_and_repr_like_pydicom() -> None:
    for value in ["1.2.840.10008.1.2", " 1.2.3 "]:
        # " 1.2.3 " is invalid before stripping: both warn, so don't validate.
        ours, theirs = fu.UID(value, config.IGNORE), pu.UID(value, validation_mode=0)
        assert str(ours) == str(theirs)
        assert repr(ours) == repr(theirs)
        assert ours == theirs and hash(ours) == hash(theirs)
    assert str(ours) == "1.2.3"
    assert isinstance(fu.UID("1.2"), str)
    with pytest.raises(TypeError, match="A UID must be created from a string"):
        fu.UID(12)  # type: ignore[arg-type]


def test_validation_modes() -> None:
    bad = "1.2.03"
    with pytest.warns(UserWarning) as ours:
        fu.UID(bad)
    with pytest.warns(UserWarning) as theirs:
        pu.UID(bad)
    assert str(ours[0].message) == str(theirs[0].message)
    with pytest.raises(ValueError, match=re.escape("Invalid value for VR UI: '1.2.03'")):
        fu.UID(bad, validation_mode=config.RAISE)
    long = "1." + "2" * 70
    with pytest.raises(ValueError, match="exceeds the maximum length of 64"):
        fu.UID(long, validation_mode=config.RAISE)
    uid = fu.UID(long, validation_mode=config.IGNORE)
    assert not uid.is_valid
    assert fu.UID("1.2.3").is_valid


def test_private_transfer_syntax(restore_private_ts: None) -> None:
    uid = fu.UID("1.2.3.4")
    assert not uid.is_transfer_syntax
    uid.set_private_encoding(False, True)
    assert uid.is_transfer_syntax
    assert not uid.is_implicit_VR and uid.is_little_endian
    assert uid.is_compressed and not uid.is_deflated
    # The encoding survives copying into a new UID, as in pydicom.
    assert fu.UID(uid).is_transfer_syntax

    reg = fu.register_transfer_syntax("1.2.3.5", implicit_vr=True, little_endian=False)
    assert reg in fu.PrivateTransferSyntaxes
    assert reg.is_implicit_VR and not reg.is_little_endian
    fu.register_transfer_syntax(reg)  # encoding already set: accepted, not duplicated
    assert fu.PrivateTransferSyntaxes.count(reg) == 1
    with pytest.raises(ValueError, match="dataset encoding for 'uid' must be set"):
        fu.register_transfer_syntax("1.2.3.6")


def test_generate_uid_uuid_form() -> None:
    uid = fu.generate_uid(None)
    assert uid.startswith("2.25.") and uid.is_valid and len(uid) <= 64
    assert uuid.UUID(int=int(uid[5:])).version == 4
    assert fu.generate_uid(None) != fu.generate_uid(None)
    # As in pydicom, entropy sources have no effect without a prefix: random.
    assert fu.generate_uid(None, ["lorem"]) != fu.generate_uid(None, ["lorem"])


def test_generate_uid_default_prefix_is_pydicoms() -> None:
    uid = fu.generate_uid()
    assert uid.startswith(pu.PYDICOM_ROOT_UID) and uid.is_valid and len(uid) <= 64
    assert fu.generate_uid() != fu.generate_uid()
    # The same entropy gives pydicom's UID, so mappings survive the switch.
    for srcs in (["lorem", "ipsum"], ["1.2.3.4", "patient"], [""], ["é", "ü"]):
        assert fu.generate_uid(entropy_srcs=srcs) == pu.generate_uid(entropy_srcs=srcs)
    assert (
        fu.generate_uid(entropy_srcs=["lorem", "ipsum"])
        == "1.2.826.0.1.3680043.8.498.87507166259346337659265156363895084463"
    )


@pytest.mark.parametrize("prefix", ["0.", "1.2.", "1." * 27, "1" * 53 + ".", "2.25."])
def test_generate_uid_prefix_lengths_match_pydicom(prefix: str) -> None:
    srcs = ["a", "b", prefix]
    ours, theirs = fu.generate_uid(prefix, srcs), pu.generate_uid(prefix, srcs)
    assert ours == theirs and type(ours) is fu.UID
    assert len(fu.generate_uid(prefix)) <= 64


def test_generate_uid_with_prefix_matches_pydicom() -> None:
    prefix = "1.2.826.0.1.3680043.10.999."
    assert fu.generate_uid(prefix, ["a", "b"]) == pu.generate_uid(prefix, ["a", "b"])
    for _ in range(50):
        uid = fu.generate_uid(prefix)
        assert uid.startswith(prefix) and uid.is_valid and len(uid) <= 64
    with pytest.raises(ValueError, match="no more than 54 characters"):
        fu.generate_uid("1." * 30)
    with pytest.raises(ValueError, match="not valid for use with a UID"):
        fu.generate_uid("1.2.3")
    assert fu.RE_VALID_UID_PREFIX.match("1.2.") and not fu.RE_VALID_UID_PREFIX.match("1.02.")


# --- strict prefixes, keyed UIDs, the strict validator, bulk and concurrent generation ---

from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

_component = st.one_of(st.just("0"), st.integers(1, 10**12).map(str))
_prefixes = st.lists(_component, min_size=0, max_size=8).map(lambda c: ".".join(["1", "2"] + c) + ".").filter(
    lambda p: len(p) <= 54
)


def test_strict_refuses_prefixes_leaving_under_96_bits() -> None:
    assert fu.suffix_bits(fu.PYDICOM_ROOT_UID) > 125
    prefix54 = "1." + "2" * 51 + "."
    assert len(prefix54) == 54
    # pydicom's behaviour by default: 10 digits (33 bits) left, accepted.
    assert fu.generate_uid(prefix54).startswith(prefix54)
    assert fu.generate_uid(prefix54, ["a"]) == pu.generate_uid(prefix54, ["a"])
    with pytest.raises(ValueError, match="strict mode needs at least 96"):
        fu.generate_uid(prefix54, strict=True)
    with pytest.raises(ValueError, match="strict mode"):
        fu.generate_uid("1." * 18, ["a"], strict=True)  # 36 characters: 28 digits, 93 bits
    assert len("1.2." + "3" * 30 + ".") == 35
    assert fu.generate_uid("1.2." + "3" * 30 + ".", strict=True).is_valid
    assert fu.generate_uid(None, strict=True).startswith("2.25.")


@settings(max_examples=200, deadline=None)
@given(prefix=_prefixes, srcs=st.lists(st.text(max_size=20), max_size=3))
def test_generate_uid_matches_pydicom_and_strict_rule(prefix: str, srcs: list[str]) -> None:
    assert fu.generate_uid(prefix, srcs) == pu.generate_uid(prefix, srcs)
    if fu.suffix_bits(prefix) >= fu.MIN_RANDOM_BITS:
        uid = fu.generate_uid(prefix, strict=True)
        assert uid.startswith(prefix) and fu.is_valid_uid(uid)
    else:
        with pytest.raises(ValueError):
            fu.generate_uid(prefix, strict=True)


@settings(max_examples=300, deadline=None)
@given(uid=st.text(alphabet="0123456789.", min_size=1, max_size=64), key=st.binary(min_size=1, max_size=64))
def test_keyed_uid_properties(uid: str, key: bytes) -> None:
    new = fu.keyed_uid(uid, key)
    assert fu.uid_problems(new) == [] and new.is_valid and len(new) <= 44
    assert new == fu.keyed_uid(uid, key)  # deterministic
    value = int(new[5:])
    assert new.startswith("2.25.") and value < 2**128
    parsed = uuid.UUID(int=value)
    assert parsed.variant == uuid.RFC_4122 and (value >> 76) & 0xF == 8  # RFC 9562 version 8
    assert fu.keyed_uid(uid, key + b"x") != new
    assert fu.keyed_uid(uid + "1", key) != new


def test_keyed_uid_is_fixed_across_machines() -> None:
    # A constant of the algorithm: HMAC-SHA256 under the domain string, UUIDv8 bits.
    assert fu.keyed_uid("1.2.3.4", b"secret") == fu.keyed_uid(" 1.2.3.4\x00", "secret")
    assert fu.keyed_uid("1.2.3.4", b"secret") == "2.25.184205471644969846492828947620274240112"
    with pytest.raises(ValueError, match="non-empty key"):
        fu.keyed_uid("1.2.3", b"")


@settings(max_examples=300, deadline=None)
@given(text=st.text(alphabet="0123456789.", max_size=70))
def test_strict_validator_is_stricter_than_the_vr_check(text: str) -> None:
    problems = fu.uid_problems(text)
    if not problems:
        assert fu.UID(text, validation_mode=config.IGNORE).is_valid
        parts = text.split(".")
        assert parts[0] in ("0", "1", "2")
    if len(text) > 64:
        assert problems


def test_strict_validator_messages() -> None:
    assert fu.uid_problems("1.2.840.10008.1.2") == []
    assert fu.uid_problems("2.25." + str(2**128 - 1)) == []
    assert "not below 2**128" in fu.uid_problems("2.25." + str(2**128))[0]
    assert "leading zero" in fu.uid_problems("1.02.3")[0]
    assert "empty" in fu.uid_problems("1..3")[0]
    assert "digits" in fu.uid_problems("1.2.a")[0]
    assert "root arc" in fu.uid_problems("3.2.1")[0]
    assert "below 40" in fu.uid_problems("1.40.1")[0]
    assert "more than 64" in fu.uid_problems("1." + "1" * 63)[0]
    assert fu.uid_problems("") == ["the UID is empty"]
    assert fu.uid_problems("1.2.3\x00") == []  # the one NUL pad byte
    assert fu.is_valid_uid("2.25.1") and not fu.is_valid_uid("2.25")


def test_generate_uids_bulk() -> None:
    uids = fu.generate_uids(20000)
    assert len(set(uids)) == 20000 and all(type(u) is fu.UID for u in uids[:10])
    for uid in uids[:2000]:
        assert fu.is_valid_uid(uid)
        assert uuid.UUID(int=int(uid[5:])).version == 4
    prefixed = fu.generate_uids(5000, fu.PYDICOM_ROOT_UID)
    assert len(set(prefixed)) == 5000
    assert all(u.startswith(fu.PYDICOM_ROOT_UID) and fu.is_valid_uid(u) and len(u) <= 64 for u in prefixed)
    assert fu.generate_uids(0) == []
    with pytest.raises(ValueError, match="strict mode"):
        fu.generate_uids(3, "1." + "2" * 51 + ".")


def test_uids_unique_across_threads() -> None:
    from concurrent.futures import ThreadPoolExecutor

    def work(i: int) -> list[str]:
        out = [fu.generate_uid() for _ in range(300)] + [fu.generate_uid(None) for _ in range(300)]
        return out + list(fu.generate_uids(300)) + [fu.keyed_uid(f"1.2.{i}.{j}", b"k") for j in range(50)]

    with ThreadPoolExecutor(8) as pool:
        results = [uid for chunk in pool.map(work, range(16)) for uid in chunk]
    assert len(results) == len(set(results))


@pytest.mark.skipif(not hasattr(os, "fork"), reason="no fork on this platform")
def test_uids_unique_across_fork() -> None:
    """A forked child shares no generator state with its parent: no repeats."""
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child
        try:
            os.close(read)
            uids = [fu.generate_uid() for _ in range(200)] + fu.generate_uids(200)
            uids += [fu.generate_uid(None) for _ in range(200)]
            uids.append(fu.keyed_uid("1.2.3", b"k"))
            os.write(write, "\n".join(uids).encode())
        finally:
            os._exit(0)
    os.close(write)
    chunks = []
    while chunk := os.read(read, 65536):
        chunks.append(chunk)
    os.close(read)
    os.waitpid(pid, 0)
    child = b"".join(chunks).decode().split("\n")
    parent = [fu.generate_uid() for _ in range(200)] + fu.generate_uids(200)
    parent += [fu.generate_uid(None) for _ in range(200)]
    assert len(child) == 601
    assert child[-1] == fu.keyed_uid("1.2.3", b"k")  # keyed: the same in both
    assert not set(child[:-1]) & set(parent)
