"""The value space as a map: models left out, nearest profiles, and the seeded t-SNE map."""

from __future__ import annotations

import sys

import numpy as np
import pytest

from valuecompass.errors import ValueCompassError
from valuecompass.metric import (
    build_profile,
    default_perplexity,
    nearest_profiles,
    tsne_space,
    value_space,
)

MFT = ["care", "fairness", "loyalty", "authority", "sanctity"]
RNG = np.random.default_rng(11)
#: Ten made-up countries with random priorities (seeded), and three models.
PRIORITIES = {f"c{k}": RNG.uniform(1, 5, size=5).tolist() for k in range(10)}
COUNTRIES = [build_profile(id=pid, name=pid.upper(), system="mft", kind="country", priorities=dict(zip(MFT, v)))
             for pid, v in PRIORITIES.items()]
TABLE = {
    "up": {d: (10.0 + 20 * i, 1.0) for i, d in enumerate(MFT)},
    "flat": {d: (50.0, 1.0) for d in MFT},
    "random": {d: (float(s), 1.0) for d, s in zip(MFT, RNG.uniform(0, 100, size=5))},
    "no-sanctity": {d: (40.0 + i, 1.0) for i, d in enumerate(MFT[:4])},
    "other-system": {"power": (80.0, 1.0)},
}


def test_models_missing_a_dimension_are_listed_as_left_out() -> None:
    space = value_space(TABLE, COUNTRIES, system="mft")
    assert [p.label for p in space.points if p.kind == "model"] == ["up", "flat", "random"]
    assert space.left_out == {"no-sanctity": ("sanctity",), "other-system": tuple(MFT)}
    assert len(space.vectors) == len(space.points) and all(len(v) == 5 for v in space.vectors)


def test_nearest_profiles_are_the_best_correlated_patterns() -> None:
    space = value_space(TABLE, COUNTRIES, system="mft")
    for model in ("up", "random"):
        scores = np.array([TABLE[model][d][0] for d in MFT])
        # Independent of the space: Pearson r of the raw scores with each country's raw priorities.
        r = {pid: float(np.corrcoef(scores, v)[0, 1]) for pid, v in PRIORITIES.items()}
        expected = sorted(r, key=lambda pid: -r[pid])[:3]
        near = nearest_profiles(space, model)
        assert [n.profile for n in near] == expected
        assert [n.correlation for n in near] == pytest.approx([r[pid] for pid in expected])
        assert [n.distance for n in near] == sorted(n.distance for n in near)
    assert len(nearest_profiles(space, "up", k=5)) == 5


def test_a_point_without_a_pattern_has_no_nearest_profile() -> None:
    space = value_space(TABLE, COUNTRIES, system="mft")
    assert nearest_profiles(space, "flat") == ()
    with pytest.raises(ValueCompassError, match="'no-sanctity' is not a point"):
        nearest_profiles(space, "no-sanctity")


def test_tsne_is_reproducible_with_its_seed() -> None:
    space = value_space(TABLE, COUNTRIES, system="mft")
    a, b = tsne_space(space, random_state=3), tsne_space(space, random_state=3)
    assert [p.coords for p in a.points] == [p.coords for p in b.points]
    assert [(p.label, p.kind) for p in a.points] == [(p.label, p.kind) for p in space.points]
    assert a.random_state == 3 and a.perplexity == default_perplexity(13) == 4.0 and a.method == "exact"


def test_tsne_keeps_neighbourhoods() -> None:
    space = value_space(TABLE, COUNTRIES, system="mft")
    x, y = np.array(space.vectors), np.array([p.coords for p in tsne_space(space).points])
    kept = 0
    for i in range(len(x)):
        if not x[i].any():
            continue
        dx, dy = np.linalg.norm(x - x[i], axis=1), np.linalg.norm(y - y[i], axis=1)
        dx[i] = dy[i] = np.inf
        kept += int(np.argmin(dx) in np.argsort(dy)[:3])
    assert kept >= 0.8 * (len(x) - 1)  # the input's nearest neighbour is among the 3 nearest on the map


def test_tsne_perplexity_fits_few_points() -> None:
    assert default_perplexity(2) == 1.0 and default_perplexity(91) == 30.0
    space = value_space({"up": TABLE["up"]}, COUNTRIES[:2], system="mft")  # 3 points
    ts = tsne_space(space)
    assert ts.perplexity < 3 and len(ts.points) == 3
    assert all(np.isfinite(p.coords).all() for p in ts.points)
    with pytest.raises(ValueCompassError, match="below the number of points"):
        tsne_space(space, perplexity=3)


def test_tsne_without_scikit_learn_names_the_install(monkeypatch) -> None:
    space = value_space(TABLE, COUNTRIES, system="mft")
    monkeypatch.setitem(sys.modules, "sklearn.manifold", None)  # import fails as if not installed
    with pytest.raises(ValueCompassError, match="needs scikit-learn") as info:
        tsne_space(space)
    assert "valuecompass[recogniser]" in (info.value.hint or "")
