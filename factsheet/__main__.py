"""``python -m factsheet``: the same commands as the ``factsheet`` script."""

from factsheet.cli import run

run()
