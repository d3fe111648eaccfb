"""``install_as_pydicom()``: one line that switches a whole program to fastdicom.

``import fastdicom as pydicom`` switches one module. Real programs also say
``from pydicom.dataset import Dataset`` and use libraries (highdicom,
pynetdicom, ...) that import pydicom themselves; with only the import line
changed, objects of the two libraries meet and fail type checks ("Sequence
contents must be 'Dataset' instances"). As PyMySQL's ``install_as_MySQLdb()``
does for MySQLdb, :func:`install_as_pydicom` makes every ``import pydicom``
and ``import pydicom.X`` that follows resolve to fastdicom: ``pydicom.X`` is
the very module object ``fastdicom.X``, so ``isinstance`` checks, ``mock.patch``
targets and module state are shared.
"""

from __future__ import annotations

import importlib
import importlib.abc
import importlib.machinery
import sys
import types
from typing import Any

ALIAS = "pydicom"
TARGET = "fastdicom"

PYDICOM_API_VERSION = "3.0.2"
"""The pydicom release whose API fastdicom implements; the alias reports it
as ``pydicom.__version__`` so that version checks in other libraries pass."""


class _AliasLoader(importlib.abc.Loader):
    """Loads ``pydicom.X`` as the module ``fastdicom.X`` itself, not a copy."""

    def __init__(self, module: types.ModuleType) -> None:
        self._module = module
        self._own_spec = module.__spec__

    def create_module(self, spec: importlib.machinery.ModuleSpec) -> types.ModuleType:
        return self._module

    def exec_module(self, module: types.ModuleType) -> None:
        # importlib has just stamped the alias spec on the module; give it back
        # its own so that importlib.reload() and pickling keep working.
        module.__spec__ = self._own_spec


class _AliasFinder(importlib.abc.MetaPathFinder):
    """Finds ``pydicom.X`` as ``fastdicom.X``; a module fastdicom lacks is not found."""

    def find_spec(
        self, fullname: str, path: Any = None, target: Any = None
    ) -> importlib.machinery.ModuleSpec | None:
        if not fullname.startswith(ALIAS + "."):
            return None
        real_name = TARGET + fullname[len(ALIAS) :]
        try:
            module = importlib.import_module(real_name)
        except ModuleNotFoundError as exc:
            if exc.name == real_name:
                return None  # -> "No module named 'pydicom.X'"
            raise
        return importlib.machinery.ModuleSpec(
            fullname, _AliasLoader(module), is_package=hasattr(module, "__path__")
        )


def _alias_package() -> types.ModuleType:
    """The top-level ``pydicom`` module: fastdicom's namespace under pydicom's name."""
    target = importlib.import_module(TARGET)
    alias = types.ModuleType(ALIAS, target.__doc__)
    alias.__path__ = []  # submodules come only from _AliasFinder
    alias.__version__ = PYDICOM_API_VERSION  # type: ignore[attr-defined]
    alias.__version_info__ = tuple(PYDICOM_API_VERSION.split("."))  # type: ignore[attr-defined]
    alias.__fastdicom_version__ = target.__version__  # type: ignore[attr-defined]
    alias.__all__ = list(getattr(target, "__all__", []))  # type: ignore[attr-defined]

    def __getattr__(name: str) -> Any:
        if name.startswith("__"):
            raise AttributeError(name)
        try:
            return getattr(target, name)
        except AttributeError:
            pass
        try:
            return importlib.import_module(f"{ALIAS}.{name}")
        except ModuleNotFoundError as exc:
            if exc.name != f"{ALIAS}.{name}":
                raise
        raise AttributeError(f"module 'pydicom' (fastdicom) has no attribute {name!r}")

    def __dir__() -> list[str]:
        return sorted(set(dir(target)) | set(vars(alias)))

    alias.__getattr__ = __getattr__  # type: ignore[method-assign]
    alias.__dir__ = __dir__  # type: ignore[method-assign]
    return alias


def is_installed() -> bool:
    """True when ``import pydicom`` already resolves to fastdicom."""
    return any(isinstance(finder, _AliasFinder) for finder in sys.meta_path)


def install_as_pydicom() -> None:
    """Make every later ``import pydicom`` / ``import pydicom.X`` give fastdicom.

    Call it once, first thing in a program, before any module imports
    pydicom. Afterwards ``pydicom.X`` *is* ``fastdicom.X`` for every module
    fastdicom has, so third-party libraries built on pydicom (highdicom,
    pynetdicom, ...) run on fastdicom's datasets unchanged.
    ``pydicom.__version__`` reports the pydicom release whose API fastdicom
    implements (:data:`PYDICOM_API_VERSION`); ``pydicom.__fastdicom_version__``
    is fastdicom's own version. Calling it again does nothing.

    Raises
    ------
    RuntimeError
        If the real pydicom has already been imported in this interpreter:
        its objects and fastdicom's would then mix.

    Examples
    --------
    >>> import fastdicom
    >>> fastdicom.install_as_pydicom()
    >>> from pydicom.dataset import Dataset     # fastdicom.dataset.Dataset
    """
    if is_installed():
        return
    loaded = sorted(
        name for name in sys.modules if name == ALIAS or name.startswith(ALIAS + ".")
    )
    if loaded:
        shown = ", ".join(loaded[:5]) + (", ..." if len(loaded) > 5 else "")
        raise RuntimeError(
            "install_as_pydicom() must run before anything imports pydicom, but the real "
            f"pydicom is already imported ({shown}); call it first thing in the program"
        )
    sys.meta_path.insert(0, _AliasFinder())
    sys.modules[ALIAS] = _alias_package()
