"""Models x profiles similarity matrices and the PCA value space."""

from __future__ import annotations

import math

import numpy as np
import pytest

from valuecompass.errors import ValueCompassError
from valuecompass.metric import build_profile, ipsatize, similarity_matrix, value_space

MFT = ["care", "fairness", "loyalty", "authority", "sanctity"]


def _mft_profile(pid: str, priorities: list[float]):
    return build_profile(id=pid, name=pid, system="mft", kind="country", priorities=dict(zip(MFT, priorities)))


TABLE = {
    "up": {d: (10.0 + 20 * i, 1.0) for i, d in enumerate(MFT)},     # 10, 30, 50, 70, 90
    "down": {d: (90.0 - 20 * i, 1.0) for i, d in enumerate(MFT)},   # 90, 70, 50, 30, 10
}


def test_spearman_matrix_by_hand():
    rising, falling = _mft_profile("rising", [1, 2, 3, 4, 5]), _mft_profile("falling", [5, 4, 3, 2, 1])
    m = similarity_matrix(TABLE, [rising, falling], "spearman")
    assert (m.models, m.profiles) == (("up", "down"), ("rising", "falling"))
    assert m.as_array() == pytest.approx(np.array([[1.0, -1.0], [-1.0, 1.0]]))


def test_align_matrix_equals_the_metric():
    p = build_profile(id="p", name="p", system="mft", weights={"care": 1, "sanctity": 1})
    m = similarity_matrix(TABLE, [p], "align")
    assert m.values == ((50.0,), (50.0,))  # (10 + 90) / 2 and (90 + 10) / 2
    partial = similarity_matrix({"only-care": {"care": (40.0, 1.0)}}, [p], "align")
    assert partial.values == ((40.0,),)  # the unscored weighted dimension is renormalised away
    with pytest.raises(ValueCompassError, match="unknown similarity method 'pearson'"):
        similarity_matrix(TABLE, [p], "pearson")  # type: ignore[arg-type]


def test_ipsatize():
    assert ipsatize(np.array([1.0, 2.0, 3.0])) == pytest.approx(np.array([-1.2247449, 0.0, 1.2247449]))
    assert ipsatize(np.array([4.0, 4.0])).tolist() == [0.0, 0.0]


def test_value_space_of_opposite_patterns_is_one_dimensional():
    profiles = [_mft_profile("rising", [1, 2, 3, 4, 5]), _mft_profile("falling", [0.5, 0.4, 0.3, 0.2, 0.1])]
    space = value_space(TABLE, profiles, system="mft", n_components=2)
    assert space.dimensions == tuple(MFT)
    assert space.explained_variance_ratio[0] == pytest.approx(1.0)
    coords = {p.label: p.coords for p in space.points}
    # "up" has the same pattern as "rising" (levels and scale are removed), "down" as "falling".
    assert coords["up"] == pytest.approx(coords["rising"]) and coords["down"] == pytest.approx(coords["falling"])
    assert coords["up"][0] == pytest.approx(-coords["down"][0])
    assert {p.kind for p in space.points} == {"model", "profile"}
    # sign convention: the largest |loading| of a component is positive (ties: the first dimension, care)
    assert space.loadings["care"][0] == pytest.approx(max(abs(v[0]) for v in space.loadings.values()))
    assert space.loadings["sanctity"][0] == pytest.approx(-space.loadings["care"][0])


def test_value_space_is_deterministic_and_needs_two_points():
    rng = np.random.default_rng(0)
    table = {f"m{i}": {d: (float(rng.uniform(0, 100)), 1.0) for d in MFT} for i in range(6)}
    a, b = value_space(table, [], system="mft"), value_space(table, [], system="mft")
    assert a == b and len(a.points) == 6 and all(len(p.coords) == 2 for p in a.points)
    assert math.fsum(a.explained_variance_ratio) <= 1.0 + 1e-12
    with pytest.raises(ValueCompassError, match="needs at least 2"):
        value_space({"one": TABLE["up"]}, [], system="mft")
