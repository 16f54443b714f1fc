#!/usr/bin/env python
"""Derive the packaged country value-priority tables from the shared survey data.

Writes (small, cited, derived tables only; never the raw files):

* ``src/valuecompass/metric/data/countries/mft_atari2020.yaml``: Moral Foundations
  priorities of 19 countries = country means of the MFQ-30 foundation scores (0-5) of the
  respondents in Atari, Lai & Dehghani (2020), Study 2.
* ``src/valuecompass/metric/data/countries/schwartz_svs_orientations.yaml``: Schwartz
  ten-value priorities of 77 countries/cultures derived from Schwartz's (2008) seven
  cultural value orientations (see ``ORIENTATION_ITEMS`` for the mapping), centred on each
  country's mean over the ten values.

Usage::

    python scripts/derive_profiles.py --data-dir ../shared/data          # write the tables
    python scripts/derive_profiles.py --data-dir ../shared/data --check  # compare, exit 1 if stale

It also prints validity checks of the Schwartz derivation against two independent sources
(Inglehart-Welzel cultural-map scores, Hofstede's dimensions).
"""

from __future__ import annotations

import argparse
import csv
import math
import os
import sys
from pathlib import Path

import numpy as np
import yaml

REPO = Path(__file__).resolve().parents[1]
OUT_DIR = REPO / "src" / "valuecompass" / "metric" / "data" / "countries"
SCHWARTZ_VALUES = ("self_direction", "stimulation", "hedonism", "achievement", "power", "security", "conformity",
                   "tradition", "benevolence", "universalism")
MFT_COLUMNS = {"care": "HARM_AVG", "fairness": "FAIRNESS_AVG", "loyalty": "INGROUP_AVG",
               "authority": "AUTHORITY_AVG", "sanctity": "PURITY_AVG"}
MFT_COUNTRIES = {"Australia": "au", "Belgium": "be", "China": "cn", "France": "fr", "Hungary": "hu", "Iran": "ir",
                 "Japan": "jp", "Korea": "kr", "Latvia": "lv", "Mongolia": "mn", "Netherlands": "nl", "Poland": "pl",
                 "Russia": "ru", "Serbia": "rs", "Spain": "es", "Sweden": "se", "Turkey": "tr", "UK": "gb", "US": "us"}
MFT_NAMES = {"Korea": "South Korea", "UK": "United Kingdom", "US": "United States"}

# Schwartz (2006, Comparative Sociology 5:137-182, pp. 140-141) names, for each cultural
# orientation, the values "important in such cultures". Each of those is an item of the
# Schwartz Value Survey that Schwartz (1992) assigns to one of the ten basic values. A basic
# value's country score is the mean of the orientation scores over its items, so each
# orientation counts as often as it names an item of that value.
ORIENTATION_ITEMS = {
    "embedded": {"social order": "security", "respect for tradition": "tradition", "security": "security",
                 "obedience": "conformity", "wisdom": "universalism"},
    "intel_auton": {"broadmindedness": "universalism", "curiosity": "self_direction",
                    "creativity": "self_direction"},
    "aff_auton": {"pleasure": "hedonism", "exciting life": "stimulation", "varied life": "stimulation"},
    "hierarchy": {"social power": "power", "authority": "power", "humility": "tradition", "wealth": "power"},
    "mastery": {"ambition": "achievement", "success": "achievement", "daring": "stimulation",
                "competence": "achievement"},
    "egalitar": {"equality": "universalism", "social justice": "universalism", "responsibility": "benevolence",
                 "help": "benevolence", "honesty": "benevolence"},
    "harmony": {"world at peace": "universalism", "unity with nature": "universalism",
                "protecting the environment": "universalism"},
}

# Schwartz (2008) sample code -> (profile code, name, Inglehart-Welzel geo, Hofstede ctr).
# The sub-samples canE/canF, gerE/gerW, swiF/swiG are dropped in favour of the averaged
# country rows can, ger, swi; Israel's two samples stay separate cultures (no averaged row).
SVS_COUNTRIES = {
    "arg": ("ar", "Argentina", "argentina", "ARG"), "aul": ("au", "Australia", "australia", "AUL"),
    "aut": ("at", "Austria", "austria", "AUT"), "beg": ("be", "Belgium", "belgium", "BEL"),
    "bol": ("bo", "Bolivia", "bolivia", None), "bos": ("ba", "Bosnia and Herzegovina", "bosnia_and_herzegovina", "BOS"),
    "bra": ("br", "Brazil", "brazil", "BRA"), "bul": ("bg", "Bulgaria", "bulgaria", "BUL"),
    "cam": ("cm", "Cameroon", None, None), "can": ("ca", "Canada", "canada", "CAN"),
    "chl": ("cl", "Chile", "chile", "CHL"), "chn": ("cn", "China", "china", "CHI"),
    "col": ("co", "Colombia", "colombia", "COL"), "cosr": ("cr", "Costa Rica", None, "COS"),
    "cro": ("hr", "Croatia", "croatia", "CRO"), "cyp": ("cy", "Cyprus", "cyprus", "CYP"),
    "cze": ("cz", "Czech Republic", "czechia", "CZE"), "den": ("dk", "Denmark", "denmark", "DEN"),
    "egy": ("eg", "Egypt", "egypt", "EGY"), "est": ("ee", "Estonia", "estonia", "EST"),
    "eth": ("et", "Ethiopia", "ethiopia", "ETH"), "fij": ("fj", "Fiji", None, None),
    "fin": ("fi", "Finland", "finland", "FIN"), "fra": ("fr", "France", "france", "FRA"),
    "geo": ("ge", "Georgia", "georgia", "GEO"), "ger": ("de", "Germany", "germany", "GER"),
    "gha": ("gh", "Ghana", "ghana", "GHA"), "gre": ("gr", "Greece", "greece", "GRE"),
    "hkng": ("hk", "Hong Kong", "hong_kong_sar", "HOK"), "hun": ("hu", "Hungary", "hungary", "HUN"),
    "indi": ("in", "India", "india", "IND"), "indo": ("id", "Indonesia", "indonesia", "IDO"),
    "ira": ("ir", "Iran", "iran", "IRA"), "ire": ("ie", "Ireland", "ireland", "IRE"),
    "islj": ("il-jewish", "Israel (Jewish sample)", None, None),
    "isla": ("il-arab", "Israel (Arab sample)", None, None),
    "ita": ("it", "Italy", "italy", "ITA"), "jap": ("jp", "Japan", "japan", "JPN"),
    "jor": ("jo", "Jordan", "jordan", "JOR"), "kors": ("kr", "South Korea", "south_korea", "KOR"),
    "lat": ("lv", "Latvia", "latvia", "LAT"), "mac": ("mk", "North Macedonia", "north_macedonia", "MAC"),
    "may": ("my", "Malaysia", "malaysia", "MAL"), "mex": ("mx", "Mexico", "mexico", "MEX"),
    "nam": ("na", "Namibia", None, None), "nep": ("np", "Nepal", None, None),
    "net": ("nl", "Netherlands", "netherlands", "NET"), "nwz": ("nz", "New Zealand", "new_zealand", "NZL"),
    "nig": ("ng", "Nigeria", "nigeria", "NIG"), "nor": ("no", "Norway", "norway", "NOR"),
    "oma": ("om", "Oman", None, None), "pak": ("pk", "Pakistan", "pakistan", "PAK"),
    "per": ("pe", "Peru", "peru", "PER"), "phi": ("ph", "Philippines", "philippines", "PHI"),
    "pol": ("pl", "Poland", "poland", "POL"), "por": ("pt", "Portugal", "portugal", "POR"),
    "rom": ("ro", "Romania", "romania", "ROM"), "rus": ("ru", "Russia", "russia", "RUS"),
    "sen": ("sn", "Senegal", None, None), "ser": ("rs", "Serbia", "serbia", "SER"),
    "sin": ("sg", "Singapore", "singapore", "SIN"), "slvk": ("sk", "Slovakia", "slovakia", "SLK"),
    "slvn": ("si", "Slovenia", "slovenia", "SLV"), "afrs": ("za", "South Africa", "south_africa", "SAF"),
    "spa": ("es", "Spain", "spain", "SPA"), "swe": ("se", "Sweden", "sweden", "SWE"),
    "swi": ("ch", "Switzerland", "switzerland", "SWI"), "tai": ("tw", "Taiwan", "taiwan_roc", "TAI"),
    "tha": ("th", "Thailand", "thailand", "THA"), "tur": ("tr", "Turkey", "turkey", "TUR"),
    "uga": ("ug", "Uganda", "uganda", "UGA"), "ukr": ("ua", "Ukraine", "ukraine", "UKR"),
    "uk": ("gb", "United Kingdom", "great_britain", "GBR"), "usa": ("us", "United States", "united_states", "USA"),
    "ven": ("ve", "Venezuela", "venezuela", "VEN"), "yem": ("ye", "Yemen", "yemen", None),
    "zim": ("zw", "Zimbabwe", "zimbabwe", "ZIM"),
}
SVS_DROPPED = {"canE", "canF", "gerE", "gerW", "swiF", "swiG"}


def default_data_dir() -> Path:
    """``$VALUECOMPASS_SHARED_DATA`` or ``../shared/data`` next to the repository."""
    return Path(os.environ.get("VALUECOMPASS_SHARED_DATA") or REPO.parent / "shared" / "data")


def read_csv(path: Path, delimiter: str = ",") -> list[dict[str, str]]:
    """Read a CSV file into a list of row dicts."""
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh, delimiter=delimiter))


def _float(cell: str | None) -> float:
    try:
        return float(cell)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return math.nan


def mft_country_rows(data_dir: Path) -> list[dict]:
    """Country means and SDs of the five MFQ-30 foundations (valid, not all-zero rows)."""
    by_country: dict[str, list[list[float]]] = {}
    for row in read_csv(data_dir / "mfq30-atari2020" / "ALL_MFQ30.csv"):
        values = [_float(row[c]) for c in MFT_COLUMNS.values()]
        if any(math.isnan(v) for v in values) or all(v == 0 for v in values):
            continue
        by_country.setdefault(row["Country"], []).append(values)
    unknown = sorted(set(by_country) - set(MFT_COUNTRIES))
    if unknown:
        raise SystemExit(f"unmapped MFQ countries: {unknown}")
    rows = []
    for country in sorted(by_country, key=lambda c: MFT_COUNTRIES[c]):
        arr = np.array(by_country[country])
        rows.append({
            "code": MFT_COUNTRIES[country], "name": MFT_NAMES.get(country, country), "n": int(arr.shape[0]),
            "priorities": {d: round(float(m), 3) for d, m in zip(MFT_COLUMNS, arr.mean(axis=0))},
            "sd": {d: round(float(s), 3) for d, s in zip(MFT_COLUMNS, arr.std(axis=0, ddof=1))},
        })
    return rows


def mft_check(data_dir: Path, rows: list[dict]) -> dict[str, float]:
    """Largest difference from the data folder's own country means (which kept all-zero rows)."""
    theirs = {r["country"]: r for r in read_csv(data_dir / "mfq30-atari2020" / "country_means_derived.csv")}
    names = {v: k for k, v in MFT_COUNTRIES.items()}
    cols = {"care": "harm_mean", "fairness": "fairness_mean", "loyalty": "ingroup_mean",
            "authority": "authority_mean", "sanctity": "purity_mean"}
    diff = max(abs(r["priorities"][d] - float(theirs[names[r["code"]]][c])) for r in rows for d, c in cols.items())
    return {"max_abs_diff_vs_country_means_derived": round(diff, 3), "n_respondents": sum(r["n"] for r in rows)}


def mft_table(data_dir: Path) -> dict:
    """The derived Moral Foundations country table."""
    rows = mft_country_rows(data_dir)
    return {
        "table": "mft_atari2020", "system": "mft", "version": "1.0.0", "title": "MFQ-30, Atari et al. 2020",
        "citation": ("Atari, M., Lai, M. H. C., & Dehghani, M. (2020). Sex differences in moral judgements across "
                     "67 countries. Proceedings of the Royal Society B, 287, 20201201. "
                     "https://doi.org/10.1098/rspb.2020.1201 (Study 2 data)"),
        "source_data": ("github.com/mkezer/Moral-values-across-countries data/ALL_MFQ30.csv "
                        "@ e3cbb14d99040a4af5413a8a1fd05958987c0fe1 (MIT)"),
        "derivation": ("Per country, the mean (and SD) of each MFQ-30 foundation score (0-5) over respondents "
                       "with all five scores present and not all zero (all-zero rows are failed responses); "
                       "Harm->care, Fairness->fairness, Ingroup->loyalty, Authority->authority, "
                       "Purity->sanctity. Priorities are these raw means (the MFQ is not centred)."),
        "script": "scripts/derive_profiles.py",
        "priority_scale": "MFQ-30 foundation mean, 0 (not at all relevant / strongly disagree) - 5",
        "temperature": 1.0,
        "caveats": ("Online convenience samples of different sizes per country (n 206-2,068), not national "
                    "probability samples; treat as indicative of a culture, not representative of it."),
        "checks": mft_check(data_dir, rows),
        "countries": rows,
    }


def orientation_matrix() -> np.ndarray:
    """The 10 x 7 averaging matrix from orientations to basic values (rows sum to 1)."""
    orientations = list(ORIENTATION_ITEMS)
    counts = np.zeros((len(SCHWARTZ_VALUES), len(orientations)))
    for j, orientation in enumerate(orientations):
        for value in ORIENTATION_ITEMS[orientation].values():
            counts[SCHWARTZ_VALUES.index(value), j] += 1
    return counts / counts.sum(axis=1, keepdims=True)


def schwartz_country_rows(data_dir: Path) -> list[dict]:
    """Ten-value priorities per country: mapped orientation scores, centred on the country mean."""
    matrix = orientation_matrix()
    rows = []
    for row in read_csv(data_dir / "schwartz-cultural-orientations" / "cult_values.csv"):
        short = row["country_short"]
        if short in SVS_DROPPED:
            continue
        if short not in SVS_COUNTRIES:
            raise SystemExit(f"unmapped Schwartz sample code {short!r}")
        values = matrix @ np.array([float(row[o]) for o in ORIENTATION_ITEMS])
        centred = values - values.mean()
        code, name, _, _ = SVS_COUNTRIES[short]
        rows.append({"code": code, "name": name,
                     "priorities": {v: round(float(x), 3) for v, x in zip(SCHWARTZ_VALUES, centred)}})
    return sorted(rows, key=lambda r: r["code"])


def _pearson(pairs: list[tuple[float, float]]) -> float:
    x, y = np.array(pairs).T
    return round(float(np.corrcoef(x, y)[0, 1]), 3)


def schwartz_checks(data_dir: Path, rows: list[dict]) -> dict[str, float]:
    """Correlations of derived priorities with Inglehart-Welzel and Hofstede country scores."""
    iw = {r["geo"]: r for r in read_csv(data_dir / "inglehart-welzel-ivs" / "latest_wave_by_country_derived.csv")}
    hof = {r["ctr"]: r for r in read_csv(data_dir / "hofstede-6d" / "6-dimensions-for-website-2015-08-16.csv", ";")}
    by_code = {meta[0]: meta for meta in SVS_COUNTRIES.values()}
    pairs: dict[str, list[tuple[float, float]]] = {k: [] for k in ("oc_selfexp", "cons_secular", "po_pdi", "sd_idv")}
    for r in rows:
        p = r["priorities"]
        conservation = (p["security"] + p["conformity"] + p["tradition"]) / 3
        _, _, geo, ctr = by_code[r["code"]]
        if geo in iw:
            pairs["oc_selfexp"].append((p["self_direction"] - conservation, float(iw[geo]["self_expression"])))
            pairs["cons_secular"].append((conservation, float(iw[geo]["secular_rational"])))
        if ctr in hof and hof[ctr]["pdi"] != "#NULL!":
            pairs["po_pdi"].append((p["power"], float(hof[ctr]["pdi"])))
            pairs["sd_idv"].append((p["self_direction"], float(hof[ctr]["idv"])))
    checks = {f"r_{k}": _pearson(v) for k, v in pairs.items()}
    checks.update({f"n_{k}": len(v) for k, v in pairs.items()})
    return checks


def _mapping_text() -> str:
    parts = []
    for orientation, items in ORIENTATION_ITEMS.items():
        parts.append(f"{orientation}: " + ", ".join(f"{i} ({v})" for i, v in items.items()))
    return "; ".join(parts)


def schwartz_table(data_dir: Path) -> dict:
    """The derived Schwartz ten-value country table."""
    rows = schwartz_country_rows(data_dir)
    return {
        "table": "schwartz_svs_orientations", "system": "schwartz", "version": "1.0.0",
        "title": "Schwartz cultural orientations",
        "citation": ("Schwartz, S. H. (2008). The 7 Schwartz cultural value orientation scores for 80 countries. "
                     "doi:10.13140/RG.2.1.3313.3040. Mapping to basic values after Schwartz, S. H. (2006). "
                     "A theory of cultural value orientations: Explication and applications. Comparative "
                     "Sociology, 5(2-3), 137-182, and Schwartz, S. H. (1992), Advances in Experimental Social "
                     "Psychology 25:1-65 (value items of the ten basic values)."),
        "source_data": ("github.com/sebastiansauer/pradadata data-raw/cult_values.csv "
                        "@ 0446498cb730e79ca0e737aaaac074fcd46a965f (teacher samples, SVS, 1988-2000)"),
        "derivation": ("Each cultural orientation is characterised by Schwartz (2006) through example values; "
                       "each is an SVS item of one basic value (Schwartz 1992). A basic value's score is the "
                       "mean of the orientation scores over its items, then the ten scores are centred on the "
                       "country's mean over the ten (MRAT-like). Items: " + _mapping_text() + ". Averaged "
                       "rows for Canada, Germany, Switzerland are used instead of their sub-samples."),
        "script": "scripts/derive_profiles.py",
        "priority_scale": ("Schwartz Value Survey importance (-1..7) mapped from culture-level orientations, "
                           "centred on the country mean over the ten values"),
        "temperature": 1.0,
        "caveats": ("Culture-level orientations are not individual-level values: the mapping approximates a "
                    "country's value priorities from the orientation scores and gives security and "
                    "conformity the same score (both come from embeddedness only). Samples are school "
                    "teachers surveyed 1988-2000."),
        "checks": schwartz_checks(data_dir, rows),
        "countries": rows,
    }


def render(table: dict) -> str:
    """YAML text of a table (stable key order, flow style for the per-country mappings)."""
    head = {k: v for k, v in table.items() if k != "countries"}
    text = "# Derived by scripts/derive_profiles.py from the shared data; do not edit by hand.\n"
    text += yaml.safe_dump(head, sort_keys=False, allow_unicode=True, width=110)
    text += "countries:\n"
    for row in table["countries"]:
        text += "  - " + yaml.safe_dump(row, sort_keys=False, default_flow_style=True, width=10_000).strip() + "\n"
    return text


def main(argv: list[str] | None = None) -> int:
    """Derive the tables; with --check, report whether the packaged ones are current."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data-dir", type=Path, default=default_data_dir(), help="the shared data folder")
    parser.add_argument("--out-dir", type=Path, default=OUT_DIR, help="where the tables go")
    parser.add_argument("--check", action="store_true", help="compare with the files in --out-dir, write nothing")
    args = parser.parse_args(argv)
    if not args.data_dir.is_dir():
        print(f"error: data dir {args.data_dir} not found; pass --data-dir", file=sys.stderr)
        return 2
    stale = []
    for name, table in (("mft_atari2020.yaml", mft_table(args.data_dir)),
                        ("schwartz_svs_orientations.yaml", schwartz_table(args.data_dir))):
        text, path = render(table), args.out_dir / name
        print(f"{name}: {len(table['countries'])} countries; checks {table['checks']}")
        if args.check:
            if not path.is_file() or path.read_text(encoding="utf-8") != text:
                stale.append(name)
        else:
            args.out_dir.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
    if stale:
        print(f"stale: {', '.join(stale)}; rerun without --check", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
