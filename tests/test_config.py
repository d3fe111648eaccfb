"""fastdicom.config: the settings pydicom 3 has, each with its effect."""

from __future__ import annotations

import importlib
import logging
import warnings

import pytest

import fastdicom
from fastdicom import config
from fastdicom.dataset import Dataset


@pytest.fixture
def restore_config():
    saved = (config.INVALID_KEYWORD_BEHAVIOR, config.settings._writing_validation_mode, config._use_future)
    yield
    config.INVALID_KEYWORD_BEHAVIOR, config.settings._writing_validation_mode, config._use_future = saved


def test_future_behavior(restore_config):
    config.future_behavior()
    assert config._use_future
    assert config.settings.writing_validation_mode == config.RAISE
    with pytest.raises(ValueError, match="Camel case attribute 'bitsStored'"):
        Dataset().bitsStored = 42
    config.future_behavior(False)
    assert not config._use_future
    assert config.INVALID_KEYWORD_BEHAVIOR == "WARN"
    assert config.settings.writing_validation_mode == config.WARN


@pytest.mark.parametrize("name", ["PYDICOM_FUTURE", "FASTDICOM_FUTURE"])
def test_future_from_environment(run_python, name):
    code = "from fastdicom import config; print(config._use_future, config.INVALID_KEYWORD_BEHAVIOR)"
    result = run_python(f"import os; os.environ['{name}'] = 'yes'; {code}")
    assert result.stdout.split() == ["True", "RAISE"]
    result = run_python(f"import os; os.environ['{name}'] = 'maybe'; {code}", check=False)
    assert "Unknown setting for environment variable" in result.stderr


def test_reload_keeps_one_null_handler(restore_config):
    logger = logging.getLogger("fastdicom")
    importlib.reload(config)
    importlib.reload(config)
    assert not config._use_future
    assert sum(isinstance(h, logging.NullHandler) for h in logger.handlers) == 1


def test_debug_adds_a_message_only_handler():
    logger = logging.getLogger("fastdicom")
    before = list(logger.handlers)
    try:
        config.debug(True, False)
        assert logger.level == logging.DEBUG and config.debugging
        assert logger.handlers == before
        config.debug(False, True)
        assert logger.level == logging.WARNING and not config.debugging
        added = [h for h in logger.handlers if h not in before]
        assert len(added) == 1 and isinstance(added[0], logging.StreamHandler)
        assert added[0].formatter._fmt == "%(message)s"
    finally:
        logger.handlers = before
        config.debug(False, False)


def test_DS_decimal_keeps_DSclass_in_step():
    from fastdicom import valuerep

    try:
        config.DS_decimal(True)
        assert valuerep.DSclass is valuerep.DSdecimal
        with pytest.raises(ValueError, match="Cannot use numpy arrays to read DS elements"):
            config.DS_numpy(True)
    finally:
        config.DS_decimal(False)
    assert valuerep.DSclass is valuerep.DSfloat
    assert config.have_numpy == (importlib.util.find_spec("numpy") is not None)
    assert fastdicom.config is config


@pytest.mark.parametrize("switch", [True, False])
def test_assume_implicit_vr_switch_top_level_and_items(switch, monkeypatch):
    import io

    import pydicom

    # (0008,0070) with VR bytes that are not letters: read with an implicit
    # header it is 2 bytes "AB"; read as explicit its VR is unknown, length 0
    bad = b"\x08\x00\x70\x00\x02\x00\x00\x00AB"
    top = b"\x08\x00\x05\x00CS\x0a\x00ISO_IR 100" + bad
    # the same element inside an explicit VR item of a defined-length sequence
    # (the item starts with a valid element: a bad first one is always implicit)
    body = b"\x08\x00\x60\x00CS\x02\x00CT" + bad
    item = b"\xfe\xff\x00\xe0" + len(body).to_bytes(4, "little") + body
    nested = b"\x08\x00\x05\x00CS\x0a\x00ISO_IR 100\x08\x00\x15\x11SQ\x00\x00" + len(item).to_bytes(4, "little") + item

    def run(m, data, inner):
        monkeypatch.setattr(m.config, "assume_implicit_vr_switch", switch)
        try:
            with warnings.catch_warnings():
                # fastdicom also warns that the implicit reading runs short
                warnings.simplefilter("ignore")
                ds = m.dcmread(io.BytesIO(data), force=True)
            target = ds.ReferencedSeriesSequence[0] if inner else ds
            return [(str(e.tag), e.VR) for e in target]
        except NotImplementedError as exc:
            return str(exc)

    for data, inner in ((top, False), (nested, True)):
        assert run(fastdicom, data, inner) == run(pydicom, data, inner)
