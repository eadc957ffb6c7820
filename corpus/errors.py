"""One error base for everything leian says no to: the CLI maps it to an exit code, the API to
an HTTP status, and the page to a Chinese message by `code` (never by the English text)."""
from __future__ import annotations


class LeianError(Exception):
    """A failure the user can act on; the message says what happened and what to do."""

    code = "error"        # stable, machine-readable: the API returns it, the page switches on it
    exit_code = 1         # the CLI's exit status
    http_status = 500     # the API's status

    def __init__(self, message: str, *, code: str | None = None, exit_code: int | None = None,
                 http_status: int | None = None):
        super().__init__(message)
        self.code = code or self.code
        self.exit_code = exit_code if exit_code is not None else self.exit_code
        self.http_status = http_status or self.http_status


class BadInput(LeianError, ValueError):
    """Input that cannot be used as given (a query, a filter, a file): exit 2, HTTP 422."""

    code = "bad_input"
    exit_code = 2
    http_status = 422
