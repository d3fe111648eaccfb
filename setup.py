"""Build script for fastdicom's compiled extensions.

Every module named in ``EXTENSION_MODULES`` is built from
``src_pyx/<name>.pyx`` into ``fastdicom.<name>``. The hot paths are compiled
without bounds or wraparound checks (the scanner checks every length itself);
set ``FASTDICOM_DEBUG_BUILD=1`` to compile them with Cython's safety checks
on, to run the tests against a checked build.

Development build::

    python setup.py build_ext --inplace
"""

import os
import shutil
from pathlib import Path

from Cython.Build import cythonize
from setuptools import Extension, setup
from setuptools.command.build_ext import build_ext
from setuptools.command.build_py import build_py

HERE = Path(__file__).resolve().parent
SOURCE_DIR = "src_pyx"

# Compiled modules: src_pyx/<name>.pyx -> fastdicom.<name>
EXTENSION_MODULES = ["_parser", "_pixels", "_rle", "_index", "_values"]

DEBUG_BUILD = os.environ.get("FASTDICOM_DEBUG_BUILD") == "1"

COMPILER_DIRECTIVES = {
    "language_level": 3,
    "embedsignature": True,
    # Unsafe (fast) by default; the debug build turns the checks back on.
    "boundscheck": DEBUG_BUILD,
    "wraparound": DEBUG_BUILD,
    "initializedcheck": DEBUG_BUILD,
    "cdivision": not DEBUG_BUILD,
}


def _extensions() -> list:
    compile_args = ["-O0", "-g", "-UNDEBUG"] if DEBUG_BUILD else ["-O3"]
    if os.name == "nt":
        compile_args = ["/Od", "/Zi"] if DEBUG_BUILD else ["/O2"]
    extensions = [
        Extension(
            f"fastdicom.{name}",
            [f"{SOURCE_DIR}/{name}.pyx"],
            extra_compile_args=compile_args,
        )
        for name in EXTENSION_MODULES
    ]
    return cythonize(
        extensions,
        compiler_directives=COMPILER_DIRECTIVES,
        # C files generated with the other directives must not be reused.
        force=_build_mode_changed(),
    )


def _build_mode_changed() -> bool:
    """Whether the last cythonize ran in the other mode (debug / release)."""
    stamp = HERE / "build" / "fastdicom-cython-mode"
    mode = "debug" if DEBUG_BUILD else "release"
    previous = stamp.read_text() if stamp.exists() else None
    if previous != mode:
        stamp.parent.mkdir(parents=True, exist_ok=True)
        stamp.write_text(mode)
    return previous != mode


def copy_stubs(target_dir: Path) -> None:
    """Put the extensions' type stubs (src_pyx/<name>.pyi, the contract of
    each compiled module) beside the modules in `target_dir`, where type
    checkers and editors look for them (PEP 561)."""
    target_dir.mkdir(parents=True, exist_ok=True)
    for name in EXTENSION_MODULES:
        stub = HERE / SOURCE_DIR / f"{name}.pyi"
        if stub.exists():
            shutil.copyfile(stub, target_dir / stub.name)


class BuildPyWithStubs(build_py):
    """The stubs go into wheels and installs."""

    def run(self) -> None:
        super().run()
        if not self.dry_run:
            copy_stubs(Path(self.build_lib) / "fastdicom")


class BuildExtWithStubs(build_ext):
    """The stubs go beside the modules of a development build too
    (``build_ext --inplace``, editable installs); git ignores the copies."""

    def run(self) -> None:
        super().run()
        if self.inplace and not self.dry_run:
            copy_stubs(HERE / "fastdicom")


setup(
    ext_modules=_extensions(),
    cmdclass={"build_py": BuildPyWithStubs, "build_ext": BuildExtWithStubs},
)
