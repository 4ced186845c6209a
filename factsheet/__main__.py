"""``python -m factsheet``: the same commands as the ``factsheet`` script."""

import sys

from factsheet.cli import main

sys.exit(main())
