"""Benchmark: the same administrations through valuecompass and through Inspect AI, fake models, no judging.

N administrations (items x samples, by default the fixed form of 24 items per dimension, 27 x 24 = 648
seed items, x 10 samples = 6,480) are run twice, one after the other, each as a separate whole
process started from this one with the same Python:

- valuecompass: the CLI, ``python -m valuecompass run --fixed --no-judge -m fake/echo --items 24
  --samples 10 --store TMP/bench.sqlite --json``, into a fresh SQLite store (one transaction per
  stored answer). Its time is the whole process: interpreter start, imports, planning, the runner,
  the store and the JSON printout;
- Inspect AI: a child (this script with ``--inspect-child``) that builds ``Task(dataset=
  item_samples(items), solver=generate(), scorer=None, epochs=10, config=generate_config())``
  (the same items, the exact messages our runner sends, greedy, seed 0) and runs ``inspect_ai.eval``
  with the ``mockllm/model`` model and Inspect's defaults otherwise (max_connections 10, the model's
  default; a ``.eval`` log in a fresh temporary folder; ``display="none"``). The mock's
  ``custom_outputs`` function returns the text ``fake/echo`` gives for the same messages with
  ``usage`` set (else Inspect counts tokens with tiktoken, which fetches an encoding at run time). Its
  time is again the whole process: start, ``import inspect_ai``, the eval and its log.

Wall time is measured here, from start to exit of each child (the ratio is valuecompass's wall time
over Inspect's); peak RSS and CPU time (user + system) are each child's own, from ``os.wait4`` on its
pid (``ru_maxrss``, ``ru_utime + ru_stime``), so each process is measured separately. CPU time moves
less than wall time when other work shares the machine; the 1-minute load average before and after
is printed with the figures. Each child also reports the time of its work proper (the valuecompass
runner phase, from ``run --json``; Inspect's ``eval()`` call), printed as a third comparison.

Checks (the bench fails loudly otherwise): the store holds N answers for the run, the Inspect log
holds N samples, each with a completion, and both sides gave every item the same answer text.

Run:  .venv/bin/python bench/bench_vs_inspect.py [--items 24] [--samples 10] [--quick] [--json]
(needs inspect-ai: ``pip install -r requirements/bench.txt``)
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import sqlite3
import subprocess
import sys
import tempfile
import time
import zipfile
from collections import Counter
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]


def _form(items_per_dimension: int) -> list[Any]:
    """The items of the fixed form ``run --fixed --items K`` administers (form seed 0)."""
    from valuecompass.items import load_seed_bank
    from valuecompass.pipeline import select_fixed_form

    return select_fixed_form(load_seed_bank(), per_dimension=items_per_dimension, seed=0)


def _timed_child(cmd: list[str], directory: Path, name: str) -> tuple[float, float, float, str]:
    """Run ``cmd`` as a child; its wall time (s), CPU time (user + system, s), own peak RSS (MB) and stdout.

    Raises:
        SystemExit: when the child fails.
    """
    out_path, err_path = directory / f"{name}.out", directory / f"{name}.err"
    with out_path.open("wb") as out, err_path.open("wb") as err:
        t = time.perf_counter()
        proc = subprocess.Popen(cmd, cwd=directory, stdout=out, stderr=err, stdin=subprocess.DEVNULL)
        _, status, usage = os.wait4(proc.pid, 0)
        wall_s = time.perf_counter() - t
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        sys.exit(f"{name} child failed (exit {proc.returncode}):\n{err_path.read_text()[-3000:]}")
    return wall_s, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024, out_path.read_text()


def _inspect_child(items_per_dimension: int, samples: int, log_dir: str) -> None:
    """The Inspect side, in its own process: print one JSON line (the eval's time and log file)."""
    t_start = time.perf_counter()
    from inspect_ai import Task, eval
    from inspect_ai.model import ModelOutput, ModelUsage, get_model
    from inspect_ai.solver import generate

    from valuecompass.ecosystem._inspect_scorer import generate_config, item_samples
    from valuecompass.models import GenerateConfig
    from valuecompass.models._fake import echo_reply

    settings = GenerateConfig(temperature=0.0, seed=0)  # what `run` sends: greedy, so every sample the same text

    def answer(input: list[Any], tools: Any, tool_choice: Any, config: Any) -> ModelOutput:
        messages = [{"role": m.role, "content": m.text} for m in input]
        text = echo_reply(messages, settings)
        tokens_in = sum(len(m["content"].split()) for m in messages)
        tokens_out = len(text.split())
        output = ModelOutput.from_content(model="mockllm", content=text)
        output.usage = ModelUsage(input_tokens=tokens_in, output_tokens=tokens_out,
                                  total_tokens=tokens_in + tokens_out)
        return output

    items = _form(items_per_dimension)
    task = Task(dataset=item_samples(items), solver=generate(), scorer=None, epochs=samples,
                config=generate_config())
    model = get_model("mockllm/model", custom_outputs=answer)
    t = time.perf_counter()
    logs = eval(task, model=model, log_dir=log_dir, display="none")
    eval_s = time.perf_counter() - t
    log = logs[0]
    print(json.dumps({"eval_s": eval_s, "setup_s": t - t_start, "status": log.status, "location": log.location,
                      "error": log.error.message if log.error else None}))


def _store_answers(path: Path) -> Counter:
    """(item id, answer text) counts over the store's answers."""
    with sqlite3.connect(path) as conn:
        rows = conn.execute("SELECT item_id, output_text FROM responses WHERE output_text != ''").fetchall()
    return Counter(rows)


def _log_answers(location: str) -> Counter:
    """(sample id, completion) counts over the Inspect log's samples.

    A ``.eval`` log is a zip with one ``samples/ID_epoch_K.json`` per sample; reading those as JSON takes
    about a tenth of the time of ``read_eval_log`` (which validates every sample and its events).
    """
    from inspect_ai.log import read_eval_log

    header = read_eval_log(location, header_only=True)
    if header.status != "success" or header.results is None or \
            header.results.completed_samples != header.results.total_samples:
        sys.exit(f"FAIL: the Inspect log is {header.status}, results {header.results}")
    if not zipfile.is_zipfile(location):  # a .json log
        log = read_eval_log(location)
        return Counter((str(s.id), s.output.completion) for s in (log.samples or []) if s.output.completion)
    answers: Counter = Counter()
    with zipfile.ZipFile(location) as z:
        for name in z.namelist():
            if name.startswith("samples/") and name.endswith(".json"):
                sample = json.loads(z.read(name))
                choices = sample["output"].get("choices") or []
                text = choices[0]["message"]["content"] if choices else ""
                if isinstance(text, list):  # content parts
                    text = "".join(part.get("text", "") for part in text if part.get("type") == "text")
                if text:
                    answers[(str(sample["id"]), text)] += 1
    return answers


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--items", type=int, default=24, help="items per dimension (27 dimensions; default 24)")
    parser.add_argument("--samples", type=int, default=10, help="answers per item (Inspect: epochs; default 10)")
    parser.add_argument("--quick", action="store_true", help="a smoke run: 2 items per dimension x 2 samples")
    parser.add_argument("--json", action="store_true", help="also print the figures as one JSON line")
    parser.add_argument("--inspect-child", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--log-dir", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.quick:
        args.items, args.samples = 2, 2
    if importlib.util.find_spec("inspect_ai") is None:
        sys.exit("inspect-ai is not installed: pip install -r requirements/bench.txt")
    if args.inspect_child:
        _inspect_child(args.items, args.samples, args.log_dir)
        return

    from importlib.metadata import version

    n_items = len(_form(args.items))
    n = n_items * args.samples
    with tempfile.TemporaryDirectory(prefix="bench-vs-inspect-") as tmp:
        directory = Path(tmp)
        store = directory / "bench.sqlite"
        vc_cmd = [sys.executable, "-m", "valuecompass", "run", "--fixed", "--no-judge", "-m", "fake/echo",
                  "--items", str(args.items), "--samples", str(args.samples), "--store", str(store), "--json"]
        load_before = os.getloadavg()[0]
        vc_s, vc_cpu, vc_rss, vc_out = _timed_child(vc_cmd, directory, "valuecompass")
        vc_stats = json.loads(vc_out)["stats"]
        ins_cmd = [sys.executable, str(Path(__file__).resolve()), "--inspect-child", "--items", str(args.items),
                   "--samples", str(args.samples), "--log-dir", str(directory / "logs")]
        ins_s, ins_cpu, ins_rss, ins_out = _timed_child(ins_cmd, directory, "inspect")
        ins = json.loads(ins_out.strip().splitlines()[-1])
        if ins["status"] != "success":
            sys.exit(f"Inspect eval ended {ins['status']}: {ins['error']}")
        load_after = os.getloadavg()[0]
        vc_answers, ins_answers = _store_answers(store), _log_answers(ins["location"])
    counted = {"valuecompass": sum(vc_answers.values()), "inspect": sum(ins_answers.values())}
    if counted["valuecompass"] != n or vc_stats["new"] != n or counted["inspect"] != n:
        sys.exit(f"FAIL: expected {n} answers on each side, counted {counted} (run --json new: {vc_stats['new']})")
    if vc_answers != ins_answers:
        differ = len(set(vc_answers) ^ set(ins_answers))
        sys.exit(f"FAIL: the two sides' answers differ ({differ} distinct (item, text) pairs not on both sides)")

    figures = {
        "administrations": n, "items": n_items, "samples": args.samples, "inspect_ai": version("inspect-ai"),
        "inspect_max_connections": 10, "cpus": os.cpu_count(),
        "valuecompass_s": vc_s, "inspect_s": ins_s, "ratio": vc_s / ins_s,
        "valuecompass_per_s": n / vc_s, "inspect_per_s": n / ins_s,
        "valuecompass_cpu_s": vc_cpu, "inspect_cpu_s": ins_cpu, "cpu_ratio": vc_cpu / ins_cpu,
        "load_before": load_before, "load_after": load_after,
        "valuecompass_rss_mb": vc_rss, "inspect_rss_mb": ins_rss,
        "valuecompass_runner_s": vc_stats["elapsed_s"], "inspect_eval_s": ins["eval_s"],
        "in_process_ratio": vc_stats["elapsed_s"] / ins["eval_s"],
    }
    print(f"{n} administrations ({n_items} items x {args.samples} samples), fake models, no judging; "
          f"Inspect AI {figures['inspect_ai']} (mockllm, default max_connections 10)")
    print(f"  {os.cpu_count()} CPUs; 1-min load average {load_before:.2f} before, {load_after:.2f} after")
    print(f"  {'':32} {'wall s':>8} {'admin/s':>9} {'CPU s':>8} {'peak RSS MB':>12} {'in-process s':>13}")
    print(f"  {'valuecompass (CLI, fresh store)':32} {vc_s:8.2f} {n / vc_s:9.0f} {vc_cpu:8.2f} {vc_rss:12.0f} "
          f"{vc_stats['elapsed_s']:13.2f}  (runner phase)")
    print(f"  {'Inspect AI eval (mockllm)':32} {ins_s:8.2f} {n / ins_s:9.0f} {ins_cpu:8.2f} {ins_rss:12.0f} "
          f"{ins['eval_s']:13.2f}  (eval() call)")
    print(f"  ratio valuecompass / Inspect: {figures['ratio']:.3f} whole process (wall), "
          f"{figures['cpu_ratio']:.3f} CPU time, {figures['in_process_ratio']:.3f} in process")
    print(f"  checks: {n} answers in the store, {n} samples in the Inspect log, the same text for every item: OK")
    if args.json:
        print(json.dumps(figures))


if __name__ == "__main__":
    main()
