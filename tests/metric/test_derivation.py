"""The packaged country tables: current with the shared data, and spot-checked by hand."""

from __future__ import annotations

import csv
import importlib.util
import math
import statistics
from pathlib import Path

import pytest

from valuecompass.metric import get_profile, load_country_table

REPO = Path(__file__).resolve().parents[2]
COUNTRIES = REPO / "src" / "valuecompass" / "metric" / "data" / "countries"


def _script():
    spec = importlib.util.spec_from_file_location("derive_profiles", REPO / "scripts" / "derive_profiles.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)  # type: ignore[union-attr]
    return module


def test_packaged_tables_are_current(shared_data, capsys):
    assert _script().main(["--data-dir", str(shared_data), "--check"]) == 0, capsys.readouterr().err


def test_mft_spain_by_hand(shared_data):
    rows = list(csv.DictReader((shared_data / "mfq30-atari2020" / "ALL_MFQ30.csv").open(encoding="utf-8")))
    care = []
    for r in rows:
        if r["Country"] != "Spain":
            continue
        values = [r[c] for c in ("HARM_AVG", "FAIRNESS_AVG", "INGROUP_AVG", "AUTHORITY_AVG", "PURITY_AVG")]
        try:
            numbers = [float(v) for v in values]
        except ValueError:
            continue
        if not any(math.isnan(x) for x in numbers) and any(numbers):
            care.append(numbers[0])
    spain = get_profile("mft-es")
    assert spain.sample_n == len(care)
    assert spain.priorities["care"] == pytest.approx(statistics.fmean(care), abs=5e-4)


def test_schwartz_argentina_by_hand(shared_data):
    row = next(r for r in csv.DictReader((shared_data / "schwartz-cultural-orientations" / "cult_values.csv")
                                         .open(encoding="utf-8")) if r["country_short"] == "arg")
    em, ia, aa, hi, ma, eg, ha = (float(row[k]) for k in ("embedded", "intel_auton", "aff_auton", "hierarchy",
                                                          "mastery", "egalitar", "harmony"))
    values = {"self_direction": ia, "stimulation": (2 * aa + ma) / 3, "hedonism": aa, "achievement": ma,
              "power": hi, "security": em, "conformity": em, "tradition": (em + hi) / 2, "benevolence": eg,
              "universalism": (em + ia + 2 * eg + 3 * ha) / 7}
    mean = statistics.fmean(values.values())
    argentina = get_profile("schwartz-ar")
    assert argentina.priorities == pytest.approx({k: v - mean for k, v in values.items()}, abs=5e-4)


def test_tables_carry_citation_derivation_and_checks():
    schwartz = load_country_table(COUNTRIES / "schwartz_svs_orientations.yaml")
    mft = load_country_table(COUNTRIES / "mft_atari2020.yaml")
    for table in (schwartz, mft):
        assert table.citation and table.derivation and table.script == "scripts/derive_profiles.py"
        assert table.caveats and table.temperature == 1.0
    # external validity of the Schwartz mapping (Inglehart-Welzel self-expression, Hofstede PDI)
    assert schwartz.checks["r_oc_selfexp"] > 0.6 and schwartz.checks["n_oc_selfexp"] >= 60
    assert schwartz.checks["r_po_pdi"] > 0.2
    assert mft.checks["n_respondents"] == sum(c.n or 0 for c in mft.countries)
