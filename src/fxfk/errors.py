"""The one exception type for "the user asked for something that cannot be done"."""


class FxfkError(Exception):
    """A user-facing error with a Chinese message; the CLI prints it and exits with ``exit_code``."""

    exit_code = 2

    def __init__(self, message: str, exit_code: int | None = None):
        super().__init__(message)
        self.message = message
        if exit_code is not None:
            self.exit_code = exit_code
