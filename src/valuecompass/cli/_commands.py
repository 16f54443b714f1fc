"""The table of commands: name, the module that registers it, and its one-line help.

``valuecompass --help`` (and an unknown command) is answered from this table alone, so it imports
no command module; any other invocation imports only the module of the command it names.
``tests/cli/test_startup.py`` checks that the table says what the modules register.
"""

from __future__ import annotations

from typing import NamedTuple


class CommandEntry(NamedTuple):
    """One top-level command.

    Attributes:
        name: The command as typed.
        module: The module under ``valuecompass.cli`` whose ``register(app)`` adds it.
        help: The first paragraph of its help, as the root ``--help`` lists it.
        hidden: Not listed (an alias).
    """

    name: str
    module: str
    help: str
    hidden: bool = False


#: Every top-level command, in the order --help lists them (typer lists single commands before groups).
COMMANDS: tuple[CommandEntry, ...] = (
    CommandEntry("run", "run", "Measure a model's values: adaptive tests per dimension (default) or a fixed form "
                 "(--fixed)."),
    CommandEntry("sweep", "sweep", "Run every model of a sweep file concurrently (each with its own connection "
                 "limit), one judge for all."),
    CommandEntry("scores", "scores", "A run's per-dimension scores (0-100) with 95% intervals, and its behaviour "
                 "figures."),
    CommandEntry("align", "align", "Rank models by their alignment with a value profile, with intervals."),
    CommandEntry("match", "align", "The models whose values are most similar to a profile (Spearman over its "
                 "dimensions by default)."),
    CommandEntry("report", "report", "Print MODEL's leaderboard page (scores, charts, validity, provenance, examples) "
                 "to an A4 PDF."),
    CommandEntry("frameworks", "frameworks", "The value systems and their 27 dimensions."),
    CommandEntry("items", "items", "The item bank: list, validate, export, generate, calibrate, stats."),
    CommandEntry("models", "models", "Model providers and the embedded models."),
    CommandEntry("runs", "runs", "Runs in the results store: list, show, export."),
    CommandEntry("judge", "judge", "The value judge: judge a run's responses (judge RUN_ID), validate, calibrate."),
    CommandEntry("validate", "validate", "Validity evidence for a model's scores (the validity card)."),
    CommandEntry("profiles", "profiles", "Value profiles: uniform presets, countries, your own (quiz), custom files."),
    CommandEntry("profile", "profiles", "Value profiles: uniform presets, countries, your own (quiz), custom files.",
                 hidden=True),
    CommandEntry("leaderboard", "leaderboard", "The leaderboard web app over the store, and its static export."),
    CommandEntry("store", "store", "The results store: check its integrity."),
    CommandEntry("import", "imports", "Bring results made elsewhere into the store: Inspect AI logs."),
    CommandEntry("export", "export", "Export results for other tools: a Hugging Face dataset."),
)

#: The command modules, in the order they register their commands.
COMMAND_MODULES: tuple[str, ...] = (
    "frameworks", "items", "models", "run", "sweep", "runs", "judge", "scores", "validate", "profiles", "align",
    "leaderboard", "report", "store", "imports", "export",
)


def command_module(argv: list[str]) -> str | None:
    """The module of the command ``argv`` names (its first word that is not an option), else ``None``.

    The root options (``-v``, ``--verbose``, ``--version``, ``--help``) take no value, so the first
    other word is the command.
    """
    word = next((a for a in argv if not a.startswith("-")), None)
    return next((c.module for c in COMMANDS if c.name == word), None)
