"""The one error root of valuecompass and its specific subclasses.

Every error raised on purpose by the library derives from
:class:`ValueCompassError`. Messages name the bad value and say how to fix it;
the CLI prints them without a traceback and exits non-zero.
"""

from __future__ import annotations


class ValueCompassError(Exception):
    """Root of every error valuecompass raises on purpose.

    Args:
        message: What is wrong, naming the bad value.
        hint: How to fix it (optional); shown on its own line by the CLI.
    """

    exit_code = 1

    def __init__(self, message: str, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint

    def __str__(self) -> str:
        if self.hint:
            return f"{self.message}\n  fix: {self.hint}"
        return self.message


class DataFileError(ValueCompassError):
    """A framework, item, profile or other data file is malformed.

    Args:
        path: The file that is wrong.
        message: What is wrong with it.
        record: Which record (id or 1-based line number) is wrong, if known.
        hint: How to fix it.
    """

    exit_code = 2

    def __init__(
        self,
        path: str,
        message: str,
        record: str | None = None,
        hint: str | None = None,
    ) -> None:
        where = f"{path}" + (f", record {record}" if record else "")
        super().__init__(f"{where}: {message}", hint)
        self.path = path
        self.record = record


class UnknownFrameworkError(ValueCompassError):
    """A value system or dimension id that does not exist."""

    exit_code = 2


class ModelError(ValueCompassError):
    """A model spec, model file or provider that cannot be used."""


class ModelCallError(ModelError):
    """A model request that kept failing after every retry."""


class UsageError(ValueCompassError):
    """Command-line options that do not go together."""

    exit_code = 2


class StoreError(ValueCompassError):
    """The results store cannot be opened, migrated or written."""


class JudgeError(ValueCompassError):
    """The judge cannot be configured or run."""


class RecogniserError(ValueCompassError):
    """The value recogniser cannot be loaded or cannot read a text."""


class EstimationError(ValueCompassError):
    """IRT calibration, ability estimation or adaptive testing failed."""


class ProfileError(ValueCompassError):
    """A value profile or its weights are invalid."""

    exit_code = 2


class EcosystemError(ValueCompassError):
    """An ecosystem adapter cannot run: its extra is not installed, or a log or export is not what it expects."""
