"""Benchmark of the exported leaderboard: how long every page type takes to load with many models.

Fills a real store with ``--models`` scripted models (every dimension scored, ``--per-dim`` items
each, a model card each, measured on different days), exports the site, and opens every page
type from disk (``file://``) in Debian's headless Chromium at 1400x900 and at 390x844. A page's
load time is from navigation start to the end of its ``load`` event plus one animation frame, so
the page's own script (tables, charts) has run. Each page is loaded ``--repeat`` times and the
median is printed. The baseline, measured in the same run, is the same site with 4 models.

Target (issue: the leaderboard people expect): every page < 1 s with 30 models.

    .venv/bin/python bench/bench_site.py                  # 30 models against 4
    .venv/bin/python bench/bench_site.py --models 60 --repeat 5
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # the store filler lives with the tests

from tests.leaderboard._fill import ScriptedModel, add_card, fill_store  # noqa: E402
from valuecompass.frameworks import all_dimensions  # noqa: E402
from valuecompass.leaderboard import StoreReader, export_site  # noqa: E402
from valuecompass.models import ModelCard  # noqa: E402
from valuecompass.store import Store  # noqa: E402

VIEWPORTS = {"desktop": (1400, 900), "phone": (390, 844)}


def _models(n: int, seed: int) -> list[ScriptedModel]:
    rng = random.Random(seed)
    dims = [d.id for d in all_dimensions()]
    out = []
    for k in range(n):
        card = ModelCard(name=f"Model {k:02d}", developer=f"Lab {k % 7}", weights="open" if k % 3 else "closed",
                         release_date=dt.date(2024, 1 + k % 12, 1 + k % 28), website="https://example.org/")
        out.append(ScriptedModel(f"fake/model-{k:02d}", rng.random(), {d: rng.random() for d in dims},
                                 card=k < 3, model_card=card))
    return out


def _site(directory: Path, n: int, per_dim: int) -> tuple[Path, list[str]]:
    """Export a site of ``n`` models; return its folder and the page paths to load."""
    store = fill_store(directory / "store.sqlite", _models(n, seed=n), per_dim=per_dim)
    with Store(store) as db:  # the validity card of the first model, as `validate` stores it
        add_card(db, "fake/model-00", "run-fake-model-00")
    out = directory / "site"
    export_site(store, out)
    data = StoreReader(store).load()
    first, second = data.models[0], data.models[1]
    pages = ["index.html", "index.html?sys=safety", f"model/{first.key}.html", f"model/{first.key}/care.html",
             "compare.html", "culture.html", "steering.html", "test.html", "methodology.html"]
    if (out / "disagree.html").exists():
        pages.append(f"disagree.html?a={first.key}&b={second.key}")
    return out, pages


def _load_ms(page, url: str) -> float:  # type: ignore[no-untyped-def]
    page.goto(url, wait_until="load")
    page.evaluate("() => new Promise(r => requestAnimationFrame(() => r()))")
    return float(page.evaluate("() => performance.now()"))


def _measure(browser, site: Path, pages: list[str], repeat: int) -> dict[tuple[str, str], float]:  # type: ignore[no-untyped-def]
    out = {}
    for name, (w, h) in VIEWPORTS.items():
        context = browser.new_context(viewport={"width": w, "height": h})
        page = context.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda e: errors.append(str(e)))
        for path in pages:
            url = (site / path.split("?")[0]).as_uri() + ("?" + path.split("?")[1] if "?" in path else "")
            times = [_load_ms(page, url) for _ in range(repeat)]
            out[(name, path)] = statistics.median(times)
        if errors:
            raise SystemExit(f"pages reported errors: {errors[:3]}")
        context.close()
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--models", type=int, default=30)
    parser.add_argument("--baseline-models", type=int, default=4)
    parser.add_argument("--per-dim", type=int, default=6, help="items per dimension and model")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    chromium = shutil.which("chromium") or "/usr/bin/chromium"
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as tmp:
        t = time.perf_counter()
        big, pages = _site(Path(tmp) / "big", args.models, args.per_dim)
        base, _ = _site(Path(tmp) / "base", args.baseline_models, args.per_dim)
        size = sum(f.stat().st_size for f in big.rglob("*") if f.is_file())
        print(f"built two sites in {time.perf_counter() - t:.1f} s; {args.models} models: "
              f"{sum(1 for f in big.rglob('*.html'))} pages, {size / 1e6:.1f} MB")
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=chromium, args=["--headless", "--no-sandbox", "--disable-gpu"])
            try:
                slow = _measure(browser, big, pages, args.repeat)
                fast = _measure(browser, base, pages, args.repeat)
            finally:
                browser.close()
    print(f"{'viewport':8} {'page':52} {args.models:>4} models  {args.baseline_models:>4} models  ratio")
    for (view, path), ms in slow.items():
        b = fast[(view, path)]
        print(f"{view:8} {path[:52]:52} {ms:8.0f} ms {b:8.0f} ms  {ms / b:5.2f}")
    worst = max(slow.values())
    print(f"slowest page with {args.models} models: {worst:.0f} ms (target < 1000 ms: "
          f"{'met' if worst < 1000 else 'NOT met'})")


if __name__ == "__main__":
    main()
