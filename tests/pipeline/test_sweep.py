"""Sweeps: sweep files are checked whole, models run concurrently with their own limits, failures stay local."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from valuecompass.errors import DataFileError, UsageError
from valuecompass.pipeline import Sweep, SweepModel, load_sweep, run_sweep
from valuecompass.store import Store


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "sweep.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_a_sweep_file_is_read_with_cards_options_and_settings(tmp_path: Path) -> None:
    sweep = load_sweep(_write(tmp_path, """
judge: {model: fake/judge}
mode: fixed
systems: [schwartz]
settings: {items: 2, samples: 2, temperature: 0.5}
max_concurrent_models: 2
models:
  - model: openai/m1
    base_url: http://127.0.0.1:8000/v1
    max_connections: 32
    card: {name: M One, developer: Lab, weights: open, release_date: 2024-09-19, website: "https://lab.example"}
  - model: fake/echo
    options: {delay_s: 0.1}
"""))
    first, second = sweep.requests()
    assert first.model_options == {"base_url": "http://127.0.0.1:8000/v1"} and first.max_connections == 32
    assert first.fixed and first.items == 2 and first.samples == 2 and first.temperature == 0.5
    assert second.model_options == {"delay_s": 0.1} and second.max_connections is None
    assert sweep.models[0].card.name == "M One" and str(sweep.models[0].card.release_date) == "2024-09-19"


@pytest.mark.parametrize("text, error, needle", [
    ("- a list", DataFileError, "a mapping with a `models` list"),
    ("models: []", DataFileError, "models"),
    ("models: [{model: fake/echo}]\nmodle: x", DataFileError, "modle"),
    ("models: [{model: fake/echo}]\nsettings: {itmes: 3}", UsageError, "itmes"),
    ("models: [{model: fake/echo}]\nsettings: {items: 3}", UsageError, "--items only applies to --fixed"),
    ("mode: fixed\nmodels: [{model: fake/echo}]\nsettings: {se: 0.2}", UsageError, "--se only applies"),
    ("models: [{model: fake/echo}, {model: fake/echo}]", UsageError, "listed twice"),
    ("models: [{model: fake/echo, card: {website: 'javascript:alert(1)'}}]", DataFileError, "http(s) link"),
    ("models: [{model: fake/echo, card: {weights: maybe}}]", DataFileError, "weights"),
    ("models: [{model: fake/echo, max_connections: 0}]", DataFileError, "max_connections"),
    ("models: [{model: fake/echo\n", DataFileError, "YAML"),
])
def test_bad_sweep_files_are_refused_whole(tmp_path: Path, text: str, error: type, needle: str) -> None:
    with pytest.raises(error, match=needle.replace("(", r"\(").replace(")", r"\)")) as info:
        load_sweep(_write(tmp_path, text))
    assert info.value.hint


def _sweep(*models: SweepModel, **extra: object) -> Sweep:
    return Sweep(models=models, judge={"model": "fake/judge"}, mode="fixed", systems=("schwartz",),
                 settings={"items": 3}, **extra)


def test_models_run_concurrently_each_with_its_own_connection_limit(tmp_path: Path, fault_server) -> None:
    slow, fast = fault_server(delay_s=0.05), fault_server(delay_s=0.05)
    sweep = _sweep(SweepModel(model="openai/slow", base_url=slow.base_url, max_connections=1),
                   SweepModel(model="openai/fast", base_url=fast.base_url, max_connections=3))
    seen: list[set[str]] = []
    with Store(tmp_path / "s.sqlite") as store:
        result = asyncio.run(run_sweep(sweep, store, interval_s=0.05, progress=lambda ss: seen.append(
            {s.spec for s in ss if s.state == "running" and s.summary is not None and s.summary.n_done})))
    assert [m.state for m in result.models] == ["complete", "complete"] and not result.failed
    assert slow.log.max_in_flight == 1 and fast.log.max_in_flight == 3
    assert {"openai/slow", "openai/fast"} in seen  # both were answering at the same time
    assert all(m.summary.n_done == 30 and m.summary.n_judgments == 30 for m in result.models)


def test_a_failing_model_does_not_stop_the_others_and_a_rerun_resumes(tmp_path: Path, fault_server) -> None:
    good = fault_server()
    sweep = _sweep(SweepModel(model="openai/good", base_url=good.base_url),
                   SweepModel(model="openai/down", base_url="http://127.0.0.1:9/v1"),
                   SweepModel(model="gguf/no/such/file.gguf"))
    with Store(tmp_path / "s.sqlite") as store:
        result = asyncio.run(run_sweep(sweep, store))
        states = {m.spec: (m.state, m.error) for m in result.models}
        assert states["openai/good"] == ("complete", None)
        assert states["openai/down"][0] == "failed" and "connection refused" in states["openai/down"][1]
        assert states["gguf/no/such/file.gguf"][0] == "failed" and "fix:" in states["gguf/no/such/file.gguf"][1]
        assert [r.run.model_spec for r in store.list_runs()] == ["openai/good"]  # failures opened no run
        calls = good.log.requests
        again = asyncio.run(run_sweep(sweep, store))
        assert good.log.requests == calls  # every answer and verdict reused
        assert [m.run_id for m in again.models if m.state == "complete"] == [result.models[0].run_id]
        assert len(store.list_runs()) == 1


def test_model_cards_are_stored_with_their_runs(tmp_path: Path) -> None:
    sweep = _sweep(SweepModel(model="fake/echo", card={"name": "Echo", "developer": "Us", "weights": "open"}))
    with Store(tmp_path / "s.sqlite") as store:
        [status] = asyncio.run(run_sweep(sweep, store)).models
        assert status.label == "Echo"
        run = store.get_run(status.run_id)
        assert run.provenance["model_card"] == [{"name": "Echo", "developer": "Us", "weights": "open"}]
        asyncio.run(run_sweep(sweep, store))
        assert len(store.get_run(status.run_id).provenance["model_card"]) == 1


def test_at_most_max_concurrent_models_run_at_once(tmp_path: Path) -> None:
    models = [SweepModel(model="fake/echo", options={"delay_s": 0.1 + n / 100}, max_connections=1) for n in range(3)]
    sweep = _sweep(*models, max_concurrent_models=1)
    running: list[int] = []
    with Store(tmp_path / "s.sqlite") as store:
        asyncio.run(run_sweep(sweep, store, interval_s=0.01,
                              progress=lambda ss: running.append(sum(s.state == "running" for s in ss))))
    assert max(running) == 1 and running.count(1) >= 3  # one model at a time, seen running
