"""Validating profile weights and turning value priorities into weights.

Weights are what the alignment metric uses: one non-negative number per dimension of a
value system, summing to 1. Priorities are what surveys and questionnaires give: importance
ratings on an instrument's scale, often mean-centred and so possibly negative.

**Priorities to weights: softmax with a stated temperature.** ``w_d = exp(p_d / T) /
sum_j exp(p_j / T)`` with ``T`` in scale points of the instrument (default 1.0). Reasons:

* it is invariant to adding a constant to every priority, so raw and mean-centred
  (MRAT) ratings give the same weights and a person's or country's overall scale use
  (acquiescence) does not matter, exactly what centring is meant to remove;
* every weight stays strictly positive: the least important value still counts, where
  shift-and-scale (``p - min(p)``) would give it weight 0;
* ``T`` sets how sharply weight concentrates on the top values: at ``T = 1`` a value
  rated one scale point higher gets ``e ~ 2.7`` times the weight. Large ``T`` tends to the
  uniform profile, small ``T`` to "only the top value".
"""

from __future__ import annotations

import difflib
import math
from collections.abc import Mapping

import numpy as np

from valuecompass.metric._defaults import DEFAULT_TEMPERATURE
from valuecompass.errors import ProfileError
from valuecompass.frameworks import all_dimensions, get_system



def system_dimensions(system: str) -> tuple[str, ...]:
    """The dimension ids of ``system`` in display order.

    Args:
        system: A value-system id (``schwartz``, ``mft``, ``safety``, ``llm_values``).

    Raises:
        UnknownFrameworkError: if the system does not exist.
    """
    return get_system(system).ordered_ids


def _unknown_dimension(dim: str, system: str, dims: tuple[str, ...], what: str) -> ProfileError:
    other = {d.id: d.system for d in all_dimensions()}.get(dim)
    if other is not None:
        return ProfileError(f"{what} for dimension {dim!r}, which belongs to system {other!r}, not {system!r}",
                            f"give {what}s only for dimensions of {system!r}: {', '.join(dims)}")
    close = difflib.get_close_matches(dim, dims, n=2)
    hint = f"did you mean {' or '.join(close)}?" if close else f"use dimensions of {system!r}: {', '.join(dims)}"
    return ProfileError(f"{what} for unknown dimension {dim!r} in system {system!r}", hint)


def _as_number(dim: str, value: object, what: str) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float, np.integer, np.floating)):
        raise ProfileError(f"{what} for dimension {dim!r} is not a number: {value!r}",
                           f"give {dim} a number, e.g. {dim}: 0.5")
    try:
        number = float(value)
    except OverflowError:
        raise ProfileError(f"{what} for dimension {dim!r} is too large to be a number ({str(value)[:20]}...)",
                           f"give {dim} a finite number") from None
    if math.isnan(number):
        raise ProfileError(f"{what} for dimension {dim!r} is NaN", f"give {dim} a finite number")
    if math.isinf(number):
        raise ProfileError(f"{what} for dimension {dim!r} is infinite ({number})", f"give {dim} a finite number")
    return number


def validate_weights(weights: Mapping[str, object], system: str) -> dict[str, float]:
    """Check weights for one value system and normalise them to sum 1.

    Dimensions of the system that ``weights`` leaves out get weight 0.

    Args:
        weights: Dimension id -> non-negative number (any positive total).
        system: The value system the weights belong to.

    Returns:
        Every dimension of ``system``, in display order, with its normalised weight.

    Raises:
        ProfileError: naming the dimension whose weight is negative, NaN, infinite or not a
            number, the unknown dimension, or saying that all weights are zero.
    """
    dims = system_dimensions(system)
    if not weights:
        raise ProfileError(f"no weights given for system {system!r}",
                           f"give at least one positive weight among: {', '.join(dims)}")
    clean: dict[str, float] = {}
    for dim, value in weights.items():
        if dim not in dims:
            raise _unknown_dimension(str(dim), system, dims, "weight")
        number = _as_number(dim, value, "weight")
        if number < 0:
            raise ProfileError(f"weight for dimension {dim!r} is negative ({number:g})",
                               "weights must be >= 0; use 0 to leave a dimension out")
        clean[dim] = number
    largest = max(clean.values())
    if largest <= 0:
        raise ProfileError(f"all weights are zero ({', '.join(clean)})",
                           "give at least one dimension a positive weight")
    # Scaled by the largest first, so that weights near the float limit (1e308) cannot overflow the sum.
    scaled = {d: v / largest for d, v in clean.items()}
    total = math.fsum(scaled.values())
    return {d: scaled.get(d, 0.0) / total for d in dims}


def validate_priorities(priorities: Mapping[str, object], system: str) -> dict[str, float]:
    """Check raw priorities: one finite number for every dimension of ``system``.

    Args:
        priorities: Dimension id -> importance on some instrument scale (may be negative).
        system: The value system.

    Returns:
        The priorities in the system's display order.

    Raises:
        ProfileError: naming an unknown dimension, a non-finite value, or the missing ones.
    """
    dims = system_dimensions(system)
    clean: dict[str, float] = {}
    for dim, value in priorities.items():
        if dim not in dims:
            raise _unknown_dimension(str(dim), system, dims, "priority")
        clean[dim] = _as_number(dim, value, "priority")
    missing = [d for d in dims if d not in clean]
    if missing:
        raise ProfileError(f"priorities for system {system!r} miss dimensions: {', '.join(missing)}",
                           "give a priority for every dimension, or give weights instead")
    return {d: clean[d] for d in dims}


def softmax_weights(priorities: Mapping[str, float], temperature: float = DEFAULT_TEMPERATURE) -> dict[str, float]:
    """Turn priorities into weights by a softmax with temperature ``temperature``.

    Args:
        priorities: Dimension id -> finite priority (already validated).
        temperature: Positive temperature in scale points of the priorities.

    Returns:
        Dimension id -> weight, all > 0, summing to 1, in the order of ``priorities``.

    Raises:
        ProfileError: if the temperature is not a positive finite number.

    Example:
        >>> w = softmax_weights({"a": 1.0, "b": 0.0}, temperature=1.0)
        >>> round(w["a"], 4), round(w["b"], 4)
        (0.7311, 0.2689)
    """
    if isinstance(temperature, bool) or not math.isfinite(temperature) or temperature <= 0:
        raise ProfileError(f"softmax temperature must be a positive number, got {temperature!r}",
                           f"use e.g. temperature: {DEFAULT_TEMPERATURE}")
    from scipy.special import softmax  # here, not up front: scipy takes most of a second to import

    keys = list(priorities)
    values = np.array([priorities[k] for k in keys], dtype=float)
    # Shifted by the largest first (softmax is shift-invariant): a spread beyond the float range,
    # or a tiny temperature, then gives -inf (weight 0) for the far values, never inf - inf.
    with np.errstate(over="ignore"):
        shifted = (values - values.max()) / temperature
    probs = softmax(shifted)
    return {k: float(p) for k, p in zip(keys, probs)}
