"""A store filled by a real (small) run: the real runner, judge stage and scoring over real models.

The examinees are the embedded SmolLM2 model (real llama.cpp generation) and the fake echo
model; both are judged through the real judge stage by a scripted fake judge (a real LLM judge
takes about 10 s per verdict on two CPU cores, too slow for the browser tests), and scored by
the real scoring stage (method ``share``).
"""

from __future__ import annotations

from pathlib import Path

from valuecompass._hashing import content_hash
from valuecompass.judge import Judge
from valuecompass.models import GenerateConfig, get_model
from valuecompass.pipeline import FixedFormConfig, run_fixed_form_sync
from valuecompass.pipeline.judging import judge_run_sync
from valuecompass.pipeline.scoring import score_run
from valuecompass.store import Store

#: One or two dimensions of each value system.
DIMENSIONS = ("benevolence", "power", "universalism", "care", "authority", "malicious_use", "ethical")
EXAMINEES = ("local/smollm2-135m", "fake/echo")


def _verdict(messages: list[dict[str, str]], config: object) -> str:
    """A Yes (conforms) or No (opposes) verdict, fixed by a hash of the prompt (deterministic, mixed).

    Every system's judge template takes Yes / No answers.
    """
    word = "Yes" if int(content_hash(messages[-1]["content"], 8), 16) % 3 else "No"
    return f"{word} - scripted verdict for the browser tests."


def fill_real_store(path: Path, items_per_dimension: int = 2) -> Path:
    """Run, judge and score both examinees on :data:`DIMENSIONS`; return the store path."""
    judge = Judge(get_model("fake/scripted-judge", replies=_verdict))
    with Store(path) as store:
        for spec in EXAMINEES:
            config = FixedFormConfig(model=spec, dimensions=DIMENSIONS, items_per_dimension=items_per_dimension,
                                     generate=GenerateConfig(max_tokens=80))
            run = run_fixed_form_sync(config, store).run
            judge_run_sync(store, run.run_id, judge)
            score_run(store, run.run_id)
    return path
