"""The valuecompass tasks run in Inspect AI (offline, with its mockllm model), and their logs import as runs.

Every mock output carries its token usage: without it Inspect counts tokens with tiktoken, which downloads
an encoding at run time (and fails offline).
"""

from __future__ import annotations

from pathlib import Path

import pytest

pytest.importorskip("inspect_ai")

from inspect_ai import eval as inspect_eval  # noqa: E402
from inspect_ai.model import ModelOutput, ModelUsage, get_model  # noqa: E402

from valuecompass.ecosystem import import_inspect_log  # noqa: E402
from valuecompass.errors import EcosystemError  # noqa: E402
from valuecompass.items import load_seed_bank  # noqa: E402
from valuecompass.pipeline import select_fixed_form  # noqa: E402
from valuecompass.store import Store, run_result  # noqa: E402

ITEMS = {i.id: i for i in load_seed_bank()}


def _output(text: str) -> ModelOutput:
    out = ModelOutput.from_content(model="mockllm", content=text)
    out.usage = ModelUsage(input_tokens=20, output_tokens=5, total_tokens=25)
    return out


def keyed_examinee(calls: list[str] | None = None):
    """An examinee that states the keyed stance on every stance question, continues stories plainly and
    refuses everything else."""
    def reply(messages, tools, tool_choice, config):
        text = messages[-1].text
        if calls is not None:
            calls.append(text)
        item = next((i for i in ITEMS.values() if i.text in text), None)
        if item is not None and item.format == "stance_question":
            return _output(f"Stance: {item.key.expresses.capitalize()}\nKey points: that is what I value.")
        if item is not None and item.format in ("story_opening", "completion_stem"):
            return _output("She thought for a while, then went on with her day as planned.")
        return _output("I'm sorry, but I can't help with that.")
    return reply


def grader(calls: list[str]):
    def reply(messages, tools, tool_choice, config):
        calls.append(messages[-1].text)
        return _output("C")  # "neither": the continuation shows neither keyed action
    return reply


def run_eval(task: str, tmp_path: Path, examinee, *, roles=None, **task_args):
    model = get_model("mockllm/model", custom_outputs=examinee, memoize=False)
    logs = inspect_eval(task, model=model, model_roles=roles, task_args=task_args, log_dir=str(tmp_path / "logs"),
                        display="none", score_display=False)
    assert logs[0].status == "success", logs[0].error
    return logs[0]


def metrics(log) -> dict[str, float]:
    return {m.name: m.value for s in log.results.scores for m in s.metrics.values()}


@pytest.mark.parametrize("task,systems", [("valuecompass/schwartz", ("schwartz",)), ("valuecompass/mft", ("mft",)),
                                          ("valuecompass/safety", ("safety",)),
                                          ("valuecompass/llm_values", ("llm_values",)), ("valuecompass/all", ())])
def test_every_task_is_found_by_name_through_the_entry_point(task, systems):
    from inspect_ai._eval.loader import load_tasks

    [loaded] = load_tasks([task], task_args={"items_per_dimension": 2})
    want = select_fixed_form(load_seed_bank(), systems, (), 2)
    assert [s.id for s in loaded.dataset] == [i.id for i in want]
    assert loaded.dataset[0].metadata["item"]["id"] == want[0].id


def test_keyed_stances_score_100_with_our_intervals(tmp_path):
    log = run_eval("valuecompass/schwartz", tmp_path, keyed_examinee(), items_per_dimension=4,
                   dimensions="power,benevolence")
    m = metrics(log)
    assert m["power"] == 100.0 and m["benevolence"] == 100.0
    # Wilson 95% with 4 items as trials: the same interval every valuecompass reader shows
    assert m["power_ci_low"] == pytest.approx(51.01, abs=0.01) and m["power_ci_high"] == 100.0
    sample = log.samples[0]
    score = sample.scores["value_judge"]
    assert score.metadata["path"] == "key" and score.answer == "supports" and score.value == 1.0


def test_refusal_rule_and_benign_requests_in_the_safety_task(tmp_path):
    log = run_eval("valuecompass/safety", tmp_path, keyed_examinee(), dimensions="malicious_use")
    by_kind = {}
    for s in log.samples:
        item = ITEMS[s.id]
        by_kind.setdefault(item.request_kind, []).append(s.scores["value_judge"])
    assert all(sc.metadata["path"] == "rule" and sc.value == 1.0 for sc in by_kind["harmful"])
    # a refused benign request is over-refusal, not part of the safety score: unscored
    assert by_kind["borderline"] and all(sc.reason and "benign" in sc.reason for sc in by_kind["borderline"])
    assert metrics(log)["malicious_use"] == 100.0


def test_the_judge_is_the_grader_role(tmp_path):
    examinee_calls, grader_calls = [], []
    roles = {"grader": get_model("mockllm/grader", custom_outputs=grader(grader_calls), memoize=False)}
    log = run_eval("valuecompass/mft", tmp_path, keyed_examinee(examinee_calls), roles=roles, dimensions="care",
                   items_per_dimension=3)
    stories = [s for s in log.samples if ITEMS[s.id].format == "story_opening"]
    assert stories and len(grader_calls) >= len(stories)
    assert len(examinee_calls) == len(log.samples)  # the examinee answered and judged nothing
    assert all("quoted text is data" not in c for c in examinee_calls)
    judged = stories[0].scores["value_judge"]
    assert judged.metadata["path"] == "judge" and judged.metadata["judge_id"] == "inspect/mockllm/grader"
    assert judged.metadata["judgments"][0]["provenance"]["self_judged"] is False


def test_epochs_keep_every_judgment(tmp_path):
    model = get_model("mockllm/model", custom_outputs=keyed_examinee(), memoize=False)
    [log] = inspect_eval("valuecompass/schwartz", model=model, task_args={"items_per_dimension": 2,
                                                                          "dimensions": "power"},
                         epochs=3, log_dir=str(tmp_path / "logs"), display="none")
    assert len(log.samples) == 6
    store = Store(tmp_path / "s.sqlite")
    result = import_inspect_log(store, log.location)
    assert result.answers == 6 and result.missing == 0
    [power] = result.scores["inspect/mockllm/model"]
    assert power.n_items == 2 and power.n_judgments == 6 and power.score == 100.0


def test_import_stores_the_run_with_the_same_scores_and_provenance(tmp_path):
    log = run_eval("valuecompass/schwartz", tmp_path, keyed_examinee(), items_per_dimension=3)
    store = Store(tmp_path / "s.sqlite")
    first = import_inspect_log(store, log.location)
    assert first.created and first.run.status == "complete" and first.run.kind == "inspect"
    assert first.answers == first.new_answers == 30 and first.judgments == 30
    prov = first.run.provenance["inspect"]
    assert prov["eval_id"] == log.eval.eval_id and prov["task"] == "valuecompass/schwartz"
    assert len(prov["log_sha256"]) == 64 and prov["packages"]["inspect_ai"]
    assert first.run.provenance["judges"][0]["judge_id"] == "inspect/mockllm/model"
    stored = run_result(store, first.run.run_id)
    m = metrics(log)
    for dim, row in stored.scores.items():
        assert (row.score, row.ci_low, row.ci_high) == pytest.approx((m[dim], m[f"{dim}_ci_low"],
                                                                      m[f"{dim}_ci_high"]))
    assert {x.name for x in stored.metrics} >= {"acquiescence"}
    again = import_inspect_log(store, log.location)  # idempotent
    assert not again.created and again.new_answers == 0 and again.judgments == 0
    assert len(store.list_runs()) == 1


def test_leaderboard_shows_an_imported_run(tmp_path):
    from valuecompass.leaderboard import StoreReader

    log = run_eval("valuecompass/mft", tmp_path, keyed_examinee(), items_per_dimension=2)
    store = Store(tmp_path / "s.sqlite")
    import_inspect_log(store, log.location)
    store.close()
    data = StoreReader(tmp_path / "s.sqlite").load()
    assert [m.label for m in data.models] == ["mockllm/model"]
    assert data.models[0].scores and set(data.models[0].scores) <= {"care", "fairness", "loyalty", "authority",
                                                                    "sanctity"}


def test_logs_that_are_not_ours_are_refused(tmp_path):
    from inspect_ai import Task
    from inspect_ai.dataset import Sample
    from inspect_ai.scorer import match
    from inspect_ai.solver import generate

    model = get_model("mockllm/model", custom_outputs=lambda *a: _output("4"), memoize=False)
    [log] = inspect_eval(Task(dataset=[Sample(input="2+2?", target="4")], solver=generate(), scorer=match()),
                         model=model, log_dir=str(tmp_path / "logs"), display="none")
    store = Store(tmp_path / "s.sqlite")
    with pytest.raises(EcosystemError, match="carries no valuecompass item"):
        import_inspect_log(store, log.location)
    (tmp_path / "junk.eval").write_bytes(b"not a zip")
    with pytest.raises(EcosystemError, match="not a readable Inspect log"):
        import_inspect_log(store, tmp_path / "junk.eval")
    with pytest.raises(EcosystemError, match="no Inspect log"):
        import_inspect_log(store, tmp_path / "missing.eval")
    assert store.list_runs() == []
