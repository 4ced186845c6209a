"""The ``factsheet`` command: thin commands that call the library and map errors to exit codes.

Exit codes: 0 success; 1 the content has errors (or warnings, with --strict) or an output could
not be written; 2 bad usage; 3 an internal error (a bug in factsheet: a short message, and the
traceback only with FACTSHEET_DEBUG=1). Bad content never causes a traceback.

Everything printed passes through ``text.terminal_safe``: messages quote content, and content may hold
control characters or bidi overrides that would rewrite or reorder what the terminal shows.
"""

from __future__ import annotations

import os
import sys
from typing import NoReturn

from factsheet.cli.output import EXIT_ERRORS, EXIT_INTERNAL, EXIT_USAGE, emit, print_report
from factsheet.cli.parser import parser
from factsheet.errors import ContentError, FactsheetError, UsageError

__all__ = ["main", "run"]


def main(argv: list[str] | None = None) -> int:
    _tolerant_streams()
    args = parser().parse_args(argv)
    try:
        return args.run(args)
    except ContentError as e:
        print_report(e.report)
        emit(e.report.summary())
        emit("build failed: nothing was written")
        return EXIT_ERRORS
    except UsageError as e:
        emit(f"factsheet: error: {e}")
        return EXIT_USAGE
    except FactsheetError as e:
        emit(f"factsheet: error: {e}")
        return EXIT_ERRORS
    except KeyboardInterrupt:
        emit("factsheet: interrupted; nothing was written")
        return 130
    except BrokenPipeError:
        # The reader stopped reading (`| head`): say nothing more, as other commands do.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return EXIT_ERRORS
    except Exception as e:  # noqa: BLE001 - the last line of defence against a traceback
        return _internal_error(e)


def run() -> NoReturn:
    """The ``factsheet`` script and ``python -m factsheet``: ``main``, then an exit that skips the
    interpreter's teardown. Freeing every object of a checked briefing one by one took a tenth of
    ``factsheet check``; nothing is left to finish (no thread, temporary file or atexit hook
    outlives a command), so only the standard streams are flushed."""
    code = main()
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):  # the reader went away: nothing more can be said
            pass
    os._exit(code)


def _internal_error(error: Exception) -> int:
    """A bug in factsheet, not in the content: one short line, the traceback only on request."""
    if os.environ.get("FACTSHEET_DEBUG") == "1":
        raise error
    emit(f"factsheet: internal error: {type(error).__name__}: {str(error)[:300]}")
    emit("factsheet: this is a bug in factsheet, not in your content; run again with "
          "FACTSHEET_DEBUG=1 to see the traceback, and report it")
    return EXIT_INTERNAL


def _tolerant_streams() -> None:
    # A terminal that cannot show a character gets an escape instead of an encoding error.
    for stream in (sys.stdout, sys.stderr):
        if hasattr(stream, "reconfigure"):
            stream.reconfigure(errors="backslashreplace")


if __name__ == "__main__":
    sys.exit(main())
