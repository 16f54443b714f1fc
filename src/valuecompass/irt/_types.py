"""Names the IRT code shares with its callers' settings, in a module free of numpy and scipy.

``valuecompass.cat.CATConfig`` (and through it the command line's option defaults) needs
:data:`AbilityMethod` without importing the estimators.
"""

from __future__ import annotations

from typing import Literal

#: Ability estimator: ``eap`` (posterior mean) or ``map`` (posterior mode).
AbilityMethod = Literal["eap", "map"]
