"""fastdicom's version, at the bottom of the layers: the writer's
Implementation Version Name (PS3.10 §7.1) needs it, the package exports it."""

__version__ = "0.1.0"
__version_info__ = tuple(__version__.split("."))
"""tuple of str: fastdicom's version as its parts, as ``pydicom.__version_info__``."""
