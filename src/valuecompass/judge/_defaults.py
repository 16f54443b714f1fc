"""The judge's defaults, in a module that imports nothing (the command line shows them in its help)."""

#: The default judge: the embedded Qwen2.5-1.5B model.
DEFAULT_JUDGE = "local/qwen2.5-1.5b"
#: The judge spec prefix that selects a recogniser: ``recogniser`` or ``recogniser/NAME``.
RECOGNISER_PREFIX = "recogniser"


def is_recogniser_spec(spec: str) -> bool:
    """Whether ``spec`` names a recogniser rather than a judge model."""
    return spec == RECOGNISER_PREFIX or spec.startswith(RECOGNISER_PREFIX + "/")
