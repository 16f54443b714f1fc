"""Benchmark: tokens/s of the embedded model through our ``local`` provider vs raw llama-cpp-python.

Both sides load the same GGUF with the same settings (n_ctx, threads, batch),
start every call from a fresh context (our provider's default), and generate
greedily from the same seed-item prompts. Calls alternate between the two sides
so that background load hits both alike. tokens/s = generated tokens / wall time
of the calls (prompt evaluation included).

With ``--logprobs`` it also measures what first-token log-probabilities cost:
our logits-processor capture vs a raw ``Llama(logits_all=True)`` instance (the
other way to get them), on one-token judge-style calls.

Target: our provider within 5 % of raw.

Run:  .venv/bin/python bench/bench_local_tokens.py [--model qwen2.5-1.5b|smollm2-135m] [--rounds 3]
      [--max-tokens 64] [--logprobs]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import time

from valuecompass.items import load_seed_bank, render_messages
from valuecompass.models import GenerateConfig, get_model, prepare_embedded
from valuecompass.models._llama import SAMPLER_DEFAULTS

N_CTX, N_BATCH = 4096, 512


def _prompts(n: int) -> list[list[dict[str, str]]]:
    bank = load_seed_bank()
    step = max(1, len(bank) // n)
    return [render_messages(bank[i * step]) for i in range(n)]


def _raw_call(llama, messages, max_tokens: int, **extra: object) -> tuple[int, float]:
    llama.reset()
    t = time.perf_counter()
    out = llama.create_chat_completion(messages=messages, temperature=0.0, max_tokens=max_tokens, seed=0,
                                       **SAMPLER_DEFAULTS, **extra)
    return out["usage"]["completion_tokens"], time.perf_counter() - t


def _ours_call(model, messages, config: GenerateConfig) -> tuple[int, float]:
    t = time.perf_counter()
    out = asyncio.run(model.generate(messages, config))
    return out.usage.output_tokens, time.perf_counter() - t


def _rate(samples: list[tuple[int, float]]) -> float:
    return sum(n for n, _ in samples) / sum(s for _, s in samples)


def _tokens(args: argparse.Namespace, path: str, threads: int) -> None:
    from llama_cpp import Llama

    raw = Llama(model_path=path, n_ctx=N_CTX, n_threads=threads, n_threads_batch=threads, n_batch=N_BATCH,
                verbose=False)
    ours = get_model(f"local/{args.model}", n_ctx=N_CTX, n_threads=threads, n_batch=N_BATCH)
    config = GenerateConfig(max_tokens=args.max_tokens)
    prompts = _prompts(args.prompts)
    for messages in prompts:  # warm-up: first calls fault the weights in and allocate buffers
        _raw_call(raw, messages, args.max_tokens), _ours_call(ours, messages, config)
    raw_s, ours_s = [], []
    for k in range(args.rounds):
        for messages in prompts:  # alternate which side goes first
            pair = [lambda m=messages: raw_s.append(_raw_call(raw, m, args.max_tokens)),
                    lambda m=messages: ours_s.append(_ours_call(ours, m, config))]
            for call in pair if k % 2 == 0 else reversed(pair):
                call()
    r, o = _rate(raw_s), _rate(ours_s)
    med_r, med_o = statistics.median(n / s for n, s in raw_s), statistics.median(n / s for n, s in ours_s)
    print(f"generation, {len(raw_s)} calls per side after warm-up, {args.max_tokens} max tokens, greedy:")
    print(f"  raw llama-cpp-python: {r:6.2f} tokens/s overall, median call {med_r:6.2f} "
          f"({sum(n for n, _ in raw_s)} tokens)")
    print(f"  local provider:       {o:6.2f} tokens/s overall, median call {med_o:6.2f} "
          f"({sum(n for n, _ in ours_s)} tokens)")
    print(f"  ratio provider/raw: overall {o / r:.3f}, median {med_o / med_r:.3f}"
          f"   target within 5%: {'PASS' if min(o / r, med_o / med_r) >= 0.95 else 'FAIL'}")


def _logprob_cost(args: argparse.Namespace, path: str, threads: int) -> None:
    from llama_cpp import Llama

    prompts = _prompts(args.prompts)
    ours = get_model(f"local/{args.model}", n_ctx=N_CTX, n_threads=threads, n_batch=N_BATCH)
    full = Llama(model_path=path, n_ctx=2048, n_threads=threads, n_threads_batch=threads, n_batch=N_BATCH,
                 logits_all=True, verbose=False)
    scores_mb = full.scores.nbytes / 1e6
    one = GenerateConfig(max_tokens=1, top_logprobs=5)
    plain = GenerateConfig(max_tokens=1)
    _ours_call(ours, prompts[0], one), _raw_call(full, prompts[0], 1, logprobs=True, top_logprobs=5)
    capture, no_lp, logits_all = [], [], []
    for _ in range(args.rounds):
        for messages in prompts:
            capture.append(_ours_call(ours, messages, one)[1])
            no_lp.append(_ours_call(ours, messages, plain)[1])
            logits_all.append(_raw_call(full, messages, 1, logprobs=True, top_logprobs=5)[1])
    mean = lambda xs: 1000 * sum(xs) / len(xs)  # noqa: E731
    print(f"first-token log-probabilities, one-token calls ({len(capture)} per variant):")
    print(f"  no log-probabilities:              {mean(no_lp):7.1f} ms/call")
    print(f"  our logits-processor capture:      {mean(capture):7.1f} ms/call ({mean(capture) / mean(no_lp):.2f}x)")
    print(f"  raw Llama(logits_all=True, n_ctx=2048): {mean(logits_all):7.1f} ms/call "
          f"({mean(logits_all) / mean(no_lp):.2f}x); its n_ctx x vocab score buffer: {scores_mb:.0f} MB")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--model", default="qwen2.5-1.5b", choices=["qwen2.5-1.5b", "smollm2-135m"])
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--prompts", type=int, default=4)
    parser.add_argument("--max-tokens", type=int, default=64)
    parser.add_argument("--threads", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--logprobs", action="store_true", help="also measure the cost of first-token logprobs")
    args = parser.parse_args()
    path = str(prepare_embedded(args.model).path)
    print(f"model local/{args.model}: {path}, n_ctx={N_CTX}, threads={args.threads}")
    _tokens(args, path, args.threads)
    if args.logprobs:
        _logprob_cost(args, path, args.threads)


if __name__ == "__main__":
    main()
