"""Defaults of an adaptive run, in a module free of numpy, scipy and the IRT code (the command line shows them)."""

from __future__ import annotations

from valuecompass.cat import CATConfig

#: Default adaptive-test settings: six items per dimension in two adaptive steps, which fits all 27
#: dimensions of the embedded model in about 15 minutes on two CPU cores. Go deeper with --max-items / --se.
#: Formats are balanced: half of a Moral Foundations test is forced-choice stories (decided by their key).
DEFAULT_CAT = CATConfig(se_target=0.3, min_items=6, max_items=6, batch_size=3, randomesque=2,
                        balance_formats=True, min_information=0.1)
