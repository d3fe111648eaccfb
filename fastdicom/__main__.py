"""``python -m fastdicom``: the same as the ``fastdicom`` command."""

import sys

from fastdicom.cli import main

sys.exit(main())
