"""The metric's constants, in a module that imports nothing (the command line shows them in its help)."""

#: Default softmax temperature, in scale points of the priority instrument.
DEFAULT_TEMPERATURE = 1.0

PROFILE_KINDS: tuple[str, ...] = ("uniform", "country", "personal", "custom")

QUESTIONNAIRE_SYSTEMS: tuple[str, ...] = ("schwartz", "mft")

#: The original site's default profile: equal weight on the Self-transcendence values.
DEFAULT_PROFILE_ID = "uniform-self_transcendence"

MATRIX_METHODS: tuple[str, ...] = ("spearman", "cosine", "align")

#: Two-sided 95% normal quantile, the default interval width.
Z95 = 1.959963984540054
