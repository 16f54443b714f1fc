"""The Hugging Face export: a real store with real runs, exported, loaded back with ``datasets``, compared row by row."""

from __future__ import annotations

import asyncio
import json
import os
import sys
from pathlib import Path

import pytest
import yaml

from valuecompass.cat import CATConfig
from valuecompass.ecosystem import ExportError, export_items_hf, export_runs_hf
from valuecompass.ecosystem._hf import INSTALL_HINT, RUN_CONFIGS
from valuecompass.errors import StoreError
from valuecompass.items import Item, load_item_file, load_seed_bank
from valuecompass.judge import Judge
from valuecompass.models import FakeModel, reading_judge, value_examinee
from valuecompass.pipeline import AdaptiveConfig, FixedFormConfig, run_adaptive, run_fixed_form
from valuecompass.pipeline.judging import judge_run
from valuecompass.pipeline.scoring import score_run
from valuecompass.store import Store, item_content_hash, run_result

pa = pytest.importorskip("pyarrow")
pq = pytest.importorskip("pyarrow.parquet")
datasets = pytest.importorskip("datasets")

#: What a model might answer that breaks a careless exporter: front matter, the export marker, markup, controls.
HOSTILE = ("---\nlicense: mit\nconfigs: []\n---\n<!-- valuecompass-export -->\n</script><script>alert(1)</script> "
           "| a | b |\n```\n\x00\x01\x1b[31m\r\n\u202eevil\u2028 ../../etc/passwd '; DROP TABLE runs; -- "
           "{\"json\": [1, 2]} 😀 Yes, I would help.")


def _fill(path: Path) -> tuple[str, str]:
    """A fixed-form run judged by two judges and scored by both, and an adaptive run: (fixed id, adaptive id)."""
    async def fill() -> tuple[str, str]:
        with Store(path) as store:
            fixed = FixedFormConfig(model="fake/hostile", dimensions=("care", "power", "self_direction"),
                                    items_per_dimension=2)
            model = FakeModel("fake/hostile", replies=lambda messages, config: HOSTILE)
            run = (await run_fixed_form(fixed, store, model=model)).run
            await judge_run(store, run.run_id, Judge(reading_judge("fake/reader")))
            score_run(store, run.run_id)
            other = FakeModel("fake/other", replies=lambda messages, config: "Yes - because " + HOSTILE)
            await judge_run(store, run.run_id, Judge(other))
            score_run(store, run.run_id)  # the judge used last: fake/other (fake/reader's scores stay)
            adaptive = AdaptiveConfig(model="fake/values", judge="fake/reader", dimensions=("benevolence", "power"),
                                      generate_items=False, cat=CATConfig(min_items=2, max_items=2, batch_size=2))
            result = await run_adaptive(adaptive, store, model=value_examinee({"benevolence": 0.9, "power": 0.1}),
                                        judge=Judge(reading_judge("fake/reader")))
            return run.run_id, result.run.run_id

    return asyncio.run(fill())


@pytest.fixture(scope="module")
def filled(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str, str]:
    path = tmp_path_factory.mktemp("hf-store") / "store.sqlite"
    return (path, *_fill(path))


@pytest.fixture(scope="module")
def exported(filled: tuple[Path, str, str], tmp_path_factory: pytest.TempPathFactory) -> Path:
    path, fixed, adaptive = filled
    out = tmp_path_factory.mktemp("hf-out") / "dataset"
    with Store(path) as store:
        result = export_runs_hf(store, [fixed[:10], adaptive], out, license_id="cc-by-4.0")
    assert set(result.files) == set(RUN_CONFIGS) and result.empty == ()
    assert result.run_ids == tuple(sorted((fixed, adaptive)))
    return out


def _load(out: Path, config: str, cache: Path) -> list[dict]:
    """A config loaded both ways: from its parquet file, and by name through the card; they must agree."""
    by_file = datasets.load_dataset("parquet", data_files={"train": str(out / "data" / f"{config}.parquet")},
                                    cache_dir=str(cache))["train"]
    by_card = datasets.load_dataset(str(out), config, cache_dir=str(cache))["train"]
    assert by_card.to_list() == by_file.to_list()
    assert by_card.features == by_file.features
    return by_file.to_list()


@pytest.fixture(scope="module")
def loaded(exported: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, list[dict]]:
    datasets.disable_progress_bars()
    cache = tmp_path_factory.mktemp("hf-cache")
    return {config: _load(exported, config, cache) for config in RUN_CONFIGS}


def _card(out: Path) -> tuple[dict, str]:
    text = (out / "README.md").read_text(encoding="utf-8")
    assert text.startswith("---\n")
    front, body = text[4:].split("\n---\n", 1)
    return yaml.safe_load(front), body


def test_responses_round_trip_unchanged(filled, loaded) -> None:
    path, fixed, adaptive = filled
    rows = {(r["run_id"], r["job_key"]): r for r in loaded["responses"]}
    with Store(path) as store:
        views = {(run, v.response.job_key): v for run in (fixed, adaptive) for v in store.response_views(run)}
    assert set(rows) == set(views) and len(loaded["responses"]) == len(views)
    for key, view in views.items():
        row, r = rows[key], view.response
        assert row["output_text"] == r.output_text and json.loads(row["messages"]) == r.messages
        assert json.loads(row["settings"]) == r.settings and row["item_hash"] == r.item_hash
        assert (row["input_tokens"], row["output_tokens"], row["latency_s"]) == (r.input_tokens, r.output_tokens,
                                                                               r.latency_s)
        assert row["dimension"] == view.item.dimension and row["model_spec"] == r.model_spec
    hostile = [r for r in loaded["responses"] if r["run_id"] == fixed]
    assert len(hostile) == 6 and all(r["output_text"] == HOSTILE for r in hostile)
    order = [(r["run_id"], r["position"]) for r in loaded["responses"]]
    assert order == sorted(order)


def test_verdicts_match_the_stored_judgments(filled, loaded) -> None:
    path, fixed, adaptive = filled
    with Store(path) as store:
        stored = {(run, j.response_key, j.judge_id, j.template_hash, j.dimension): j
                  for run in (fixed, adaptive) for j in store.judgments_for_run(run)}
    rows = {(r["run_id"], r["response_key"], r["judge_id"], r["template_hash"], r["dimension"]): r
            for r in loaded["verdicts"]}
    assert set(rows) == set(stored) and len(loaded["verdicts"]) == len(stored)
    assert {k[2] for k in stored if k[0] == fixed} == {"fake/reader", "fake/other"}
    for key, j in stored.items():
        row = rows[key]
        assert (row["label"], row["score"], row["raw_output"], row["parse_status"], row["rationale"]) == (
            j.label, j.score, j.raw_output, j.parse_status, j.rationale)
        assert json.loads(row["provenance"]) == j.provenance
        assert (json.loads(row["probabilities"]) if row["probabilities"] else None) == j.probabilities


def test_scores_are_every_stored_estimate_with_the_run_default_marked(filled, loaded) -> None:
    path, fixed, adaptive = filled
    rows = {(r["run_id"], r["dimension"], r["method"], r["judge_id"]): r for r in loaded["scores"]}
    with Store(path) as store:
        for run_id in (fixed, adaptive):
            estimates = store.estimates_for_run(run_id)
            mine = {k: r for k, r in rows.items() if k[0] == run_id}
            assert set(mine) == {(run_id, e.dimension, e.method, e.judge_id) for e in estimates}
            for e in estimates:
                row = rows[(run_id, e.dimension, e.method, e.judge_id)]
                assert (row["score"], row["se"], row["ci_low"], row["ci_high"], row["n_items"]) == (
                    e.score, e.se, e.ci_low, e.ci_high, e.n_items)
                assert json.loads(row["details"]) == e.details
            own = run_result(store, run_id)  # the one reader: what `scores` and the leaderboard show
            defaults = {k[1]: r for k, r in mine.items() if r["run_default"]}
            assert set(defaults) == set(own.scores)
            for dim, row in defaults.items():
                assert (row["method"], row["judge_id"]) == (own.method, own.judge_id)
                assert (row["score"], row["ci_low"], row["ci_high"]) == pytest.approx(
                    (own.scores[dim].score, own.scores[dim].ci_low, own.scores[dim].ci_high))
    assert {(k[2], k[3]) for k in rows if k[0] == fixed} == {("share", "fake/reader"), ("share", "fake/other")}
    assert {k[2] for k in rows if k[0] == adaptive} == {"irt-cat"}
    assert all(0 <= r["ci_low"] <= r["score"] <= r["ci_high"] <= 100 for r in loaded["scores"])


def test_items_and_runs_give_back_the_stored_records(filled, loaded) -> None:
    path, fixed, adaptive = filled
    with Store(path) as store:
        for row in loaded["items"]:
            fields = {k: row[k] for k in ("dimension", "format", "text", "difficulty", "topic", "setting", "culture",
                                          "task", "request_kind", "safe_behavior")}
            item = Item.model_validate({**fields, "id": row["item_id"], "key": json.loads(row["key"]),
                                        "provenance": json.loads(row["provenance"])})
            assert item_content_hash(item) == row["item_hash"]
            assert store.get_item(row["item_id"], row["item_hash"]) == item
        used = {(r["item_id"], r["item_hash"]) for r in loaded["responses"]}
        assert {(r["item_id"], r["item_hash"]) for r in loaded["items"]} == used
        runs = {r["run_id"]: r for r in loaded["runs"]}
        assert list(runs) == sorted((fixed, adaptive))
        for run_id, row in runs.items():
            run = store.get_run(run_id)
            assert json.loads(row["provenance"]) == run.provenance and json.loads(row["config"]) == run.config
            assert (row["model_spec"], row["kind"], row["score_method"], row["judge_id"]) == (
                run.model_spec, run.kind, run_result(store, run_id).method, run_result(store, run_id).judge_id)
            assert row["n_responses"] == len(store.response_views(run_id))


def test_card_lists_every_config_with_features_matching_the_parquet_schema(filled, exported, loaded) -> None:
    meta, body = _card(exported)
    assert meta["license"] == "cc-by-4.0" and "valuecompass" in meta["tags"] and meta["pretty_name"]
    configs = {c["config_name"]: c for c in meta["configs"]}
    assert set(configs) == set(RUN_CONFIGS) == {p.stem for p in (exported / "data").iterdir()}
    assert [c["config_name"] for c in meta["configs"] if c.get("default")] == ["scores"]
    infos = {i["config_name"]: i for i in meta["dataset_info"]}
    types = {"string": pa.string(), "int64": pa.int64(), "float64": pa.float64(), "bool": pa.bool_()}
    for name, config in configs.items():
        [files] = config["data_files"]
        schema = pq.read_schema(exported / files["path"])
        assert [(f["name"], types[f["dtype"]]) for f in infos[name]["features"]] == [(f.name, f.type) for f in schema]
        assert infos[name]["splits"][0]["num_examples"] == len(loaded[name]) == pq.read_metadata(
            exported / files["path"]).num_rows
    _, fixed, adaptive = filled
    for text in (fixed, adaptive, "fake/hostile", "fake/values", "fake/other", "fake/reader", "Wilson", "irt-cat",
                 'load_dataset("parquet", data_files=', '"scores")'):
        assert text in body.replace("\\", "")
    assert HOSTILE not in body and "<script>" not in body


def test_same_store_gives_byte_identical_files(filled, exported, tmp_path: Path) -> None:
    path, fixed, adaptive = filled
    with Store(path) as store:
        export_runs_hf(store, [adaptive, fixed, fixed[:8]], tmp_path / "again", license_id="cc-by-4.0")
    files = sorted(p.relative_to(exported) for p in exported.rglob("*") if p.is_file())
    assert files == sorted(p.relative_to(tmp_path / "again") for p in (tmp_path / "again").rglob("*") if p.is_file())
    for rel in files:
        assert (exported / rel).read_bytes() == (tmp_path / "again" / rel).read_bytes(), rel


def test_refuses_a_file_a_strangers_folder_and_an_unknown_run(filled, tmp_path: Path) -> None:
    path, fixed, _ = filled
    a_file, strangers = tmp_path / "notes.txt", tmp_path / "mine"
    a_file.write_text("keep me")
    strangers.mkdir()
    (strangers / "thesis.tex").write_text("keep me too")
    with Store(path) as store:
        with pytest.raises(ExportError, match="is a file") as err:
            export_runs_hf(store, [fixed], a_file)
        assert err.value.hint and a_file.read_text() == "keep me"
        with pytest.raises(ExportError, match="not an earlier valuecompass export") as err:
            export_runs_hf(store, [fixed], strangers)
        assert "--force" in (err.value.hint or "")
        assert [p.name for p in strangers.iterdir()] == ["thesis.tex"]
        with pytest.raises(StoreError, match="no run with id 'run-nothere'"):
            export_runs_hf(store, [fixed, "run-nothere"], tmp_path / "new")
        with pytest.raises(ExportError, match="licence"):
            export_runs_hf(store, [fixed], tmp_path / "new", license_id="CC BY 4.0")
        export_runs_hf(store, [fixed], strangers, force=True)
    assert (strangers / "thesis.tex").read_text() == "keep me too" and (strangers / "data" / "scores.parquet").exists()
    assert not (tmp_path / "new").exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["mine", "notes.txt"]  # no temporary folder left


def test_an_earlier_export_is_replaced_and_its_other_files_kept(filled, tmp_path: Path) -> None:
    path, fixed, adaptive = filled
    out = tmp_path / "repo"
    with Store(path) as store:
        export_runs_hf(store, [fixed, adaptive], out)
        (out / ".gitattributes").write_text("*.parquet filter=lfs\n")
        (out / "data" / "stale.parquet").write_bytes(b"old")
        result = export_runs_hf(store, [adaptive], out)
    assert result.rows["runs"] == 1 and pq.read_metadata(out / "data" / "runs.parquet").num_rows == 1
    assert (out / ".gitattributes").read_text() == "*.parquet filter=lfs\n"
    assert not (out / "data" / "stale.parquet").exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["repo"]


def test_a_failed_export_leaves_the_earlier_one_untouched(filled, tmp_path: Path,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    path, fixed, adaptive = filled
    out = tmp_path / "dataset"
    with Store(path) as store:
        export_runs_hf(store, [fixed], out)
        before = {p.relative_to(out): p.read_bytes() for p in out.rglob("*") if p.is_file()}
        calls = []

        def fail_on_third(table, where, **kwargs):
            calls.append(where)
            if len(calls) == 3:
                raise OSError(28, "No space left on device")
            return real(table, where, **kwargs)

        real = pq.write_table
        monkeypatch.setattr(pq, "write_table", fail_on_third)
        with pytest.raises(ExportError, match="No space left"):
            export_runs_hf(store, [fixed, adaptive], out)
        calls.clear()
        with pytest.raises(ExportError, match="No space left"):
            export_runs_hf(store, [fixed, adaptive], tmp_path / "fresh")
    assert {p.relative_to(out): p.read_bytes() for p in out.rglob("*") if p.is_file()} == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["dataset"]  # no half-written folder, no temporary one


def test_missing_pyarrow_says_how_to_install_it(filled, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path, fixed, _ = filled
    monkeypatch.setitem(sys.modules, "pyarrow", None)  # `import pyarrow` now raises ImportError
    monkeypatch.setitem(sys.modules, "pyarrow.parquet", None)
    with Store(path) as store, pytest.raises(ExportError, match="needs pyarrow") as err:
        export_runs_hf(store, [fixed], tmp_path / "out")
    assert err.value.hint == INSTALL_HINT == "pip install 'valuecompass[hf]'"
    with pytest.raises(ExportError, match="needs pyarrow"):
        export_items_hf(load_seed_bank(), tmp_path / "bank")
    assert list(tmp_path.iterdir()) == []


def test_runs_without_verdicts_leave_out_the_empty_configs(tmp_path: Path) -> None:
    with Store(tmp_path / "s.sqlite") as store:
        from valuecompass.pipeline import run_fixed_form_sync

        run = run_fixed_form_sync(FixedFormConfig(model="fake/echo", dimensions=("care",), items_per_dimension=1),
                                  store).run
        result = export_runs_hf(store, [run.run_id], tmp_path / "out")
        answers = [v.response.output_text for v in store.response_views(run.run_id)]
    assert result.empty == ("scores", "verdicts") and set(result.rows) == {"responses", "items", "runs"}
    meta, body = _card(tmp_path / "out")
    assert [c["config_name"] for c in meta["configs"]] == ["responses", "items", "runs"]
    assert meta["configs"][0]["default"] is True and "no stored scores" in body
    assert sorted(p.name for p in (tmp_path / "out" / "data").iterdir()) == ["items.parquet", "responses.parquet",
                                                                             "runs.parquet"]
    rows = datasets.load_dataset(str(tmp_path / "out"), "responses", cache_dir=str(tmp_path / "cache"))["train"]
    assert rows["output_text"] == answers and len(answers) == 1


def test_item_bank_round_trips_through_datasets(tmp_path: Path) -> None:
    bank = load_seed_bank()
    result = export_items_hf(bank, tmp_path / "bank", version="seed-test", license_id="apache-2.0")
    assert result.rows == {"items": len(bank)}
    rows = datasets.load_dataset(str(tmp_path / "bank"), "items", cache_dir=str(tmp_path / "cache"))["train"]
    back = {}
    for row in rows:
        fields = {k: row[k] for k in ("dimension", "format", "text", "difficulty", "topic", "setting", "culture",
                                      "task", "request_kind", "safe_behavior")}
        back[row["item_id"]] = Item.model_validate({**fields, "id": row["item_id"], "key": json.loads(row["key"]),
                                                    "provenance": json.loads(row["provenance"])})
        assert item_content_hash(back[row["item_id"]]) == row["item_hash"]
        assert row["key_kind"] == back[row["item_id"]].key.kind
    assert back == {i.id: i for i in bank}
    assert rows["item_id"] == sorted(rows["item_id"])
    meta, body = _card(tmp_path / "bank")
    assert meta["license"] == "apache-2.0" and [c["config_name"] for c in meta["configs"]] == ["items"]
    assert meta["dataset_info"][0]["splits"][0]["num_examples"] == len(bank) and "seed-test" in body.replace("\\", "")
    export_items_hf(reversed(bank), tmp_path / "again", version="seed-test", license_id="apache-2.0")
    for name in ("README.md", os.path.join("data", "items.parquet")):
        assert (tmp_path / "bank" / name).read_bytes() == (tmp_path / "again" / name).read_bytes()


def test_a_user_item_file_keeps_its_provenance(tmp_path: Path) -> None:
    record = {"id": "my-care-1", "dimension": "care", "format": "story_opening", "difficulty": "hard",
              "text": "Mara finds a lost dog shivering in the rain outside the station at night.",
              "key": {"kind": "rubric", "upholding": "takes the dog somewhere warm and safe",
                      "violating": "leaves the dog out in the cold rain"},
              "provenance": {"source": "user", "author": "Ada <ada@example.org> | `x`", "created": "2026-01-02",
                             "parents": ["mft-care-001"]}}
    path = tmp_path / "mine.jsonl"
    path.write_text(json.dumps(record) + "\n", encoding="utf-8")
    [item] = load_item_file(path)
    export_items_hf([item], tmp_path / "out", version="mine")
    table = pq.read_table(tmp_path / "out" / "data" / "items.parquet").to_pylist()
    assert len(table) == 1 and table[0]["source"] == "user" and table[0]["system"] == "mft"
    assert json.loads(table[0]["provenance"])["parents"] == ["mft-care-001"]
    assert json.loads(table[0]["key"]) == record["key"]
    with pytest.raises(ExportError, match="no items"):
        export_items_hf([], tmp_path / "empty")


def test_a_hostile_title_cannot_break_the_card(filled, tmp_path: Path) -> None:
    path, fixed, _ = filled
    title = "x\n---\nlicense: mit\n---\n# <script>alert(1)</script> | [link](javascript:x)"
    with Store(path) as store:
        export_runs_hf(store, [fixed], tmp_path / "out", license_id="cc0-1.0", pretty_name=title)
    meta, body = _card(tmp_path / "out")
    assert meta["license"] == "cc0-1.0" and meta["pretty_name"] == title
    assert "<script>" not in body and "\n# " not in body.split("\n", 1)[1].split("## Configs")[0]
    assert body.count("\n---\n") == 0 and "\\[link\\]" in body
