"""fastdicom's sample data, and pydicom-data's test files when installed.

See :mod:`fastdicom.data.data_manager`.
"""

from fastdicom.data.data_manager import (
    DATA_ROOT,
    external_data_sources,
    fetch_data_files,
    get_charset_files,
    get_palette_files,
    get_testdata_file,
    get_testdata_files,
)

__all__ = [
    "DATA_ROOT",
    "external_data_sources",
    "fetch_data_files",
    "get_charset_files",
    "get_palette_files",
    "get_testdata_file",
    "get_testdata_files",
]
