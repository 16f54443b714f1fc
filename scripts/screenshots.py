"""Screenshots of the leaderboard for the docs, at desktop (1400x900) and phone (390x844) size.

Fills a throw-away store with scripted demo models (made-up numbers, through the store's own write
API: ``tests/leaderboard/_fill.py``), exports the static site with
``valuecompass.leaderboard.export_site``, opens each main page in Debian's headless Chromium through
Playwright and saves ``<out>/<page>-desktop.png`` and ``<out>/<page>-phone.png``.

Usage:
    .venv/bin/python scripts/screenshots.py [--out docs/screenshots] [--site DIR] [--scale 2]

The demo models are not real measurements: their names say so ("Demo ..."), and one of them keeps a
long gguf path as its name, to show how the site shows long model specs.
"""

from __future__ import annotations

import argparse
import datetime as dt
import logging
import shutil
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # for tests.leaderboard._fill, the store filler the tests use too

from tests.leaderboard._fill import ScriptedModel, fill_store  # noqa: E402
from valuecompass.leaderboard import StoreReader, export_site  # noqa: E402
from valuecompass.models import ModelCard  # noqa: E402

log = logging.getLogger("screenshots")

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]
VIEWPORTS = {"desktop": {"viewport": {"width": 1400, "height": 900}},
             "phone": {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}}


def _card(name: str, developer: str, weights: str, released: str) -> ModelCard:
    return ModelCard(name=name, developer=developer, weights=weights, release_date=dt.date.fromisoformat(released),
                     website="https://example.org/")


#: Demo models: levels (share of supporting responses) per dimension, default ``base``.
DEMO = [
    ScriptedModel("demo/caring-7b", 0.6, {"benevolence": 0.95, "universalism": 0.9, "self_direction": 0.75,
                                          "power": 0.1, "achievement": 0.35, "care": 0.95, "fairness": 0.9,
                                          "misinformation": 0.85, "ethical": 0.9}, card=True,
                  model_card=_card("Demo Caring 7B", "Demo Lab", "open", "2025-03-01")),
    ScriptedModel("demo/ambitious-13b", 0.5, {"power": 0.9, "achievement": 0.95, "stimulation": 0.7,
                                              "benevolence": 0.3, "universalism": 0.25, "authority": 0.85,
                                              "loyalty": 0.7, "self_competence": 0.9},
                  model_card=_card("Demo Ambitious 13B", "Example AI", "closed", "2025-06-15")),
    ScriptedModel("demo/steady-3b", 0.55, {"security": 0.9, "tradition": 0.8, "conformity": 0.85, "benevolence": 0.6,
                                           "sanctity": 0.75, "professional": 0.8},
                  model_card=_card("Demo Steady 3B", "Sample Systems", "open", "2024-11-20")),
    ScriptedModel("llamacpp:/models/community/demo-explorer-8b-instruct-v2.1-q4_k_m.gguf", 0.5,
                  {"self_direction": 0.95, "stimulation": 0.9, "hedonism": 0.8, "tradition": 0.2, "conformity": 0.25,
                   "human_autonomy": 0.9}),
    ScriptedModel("demo/balanced-1b", 0.5, {"benevolence": 0.55, "security": 0.6},
                  model_card=_card("Demo Balanced 1B", "Demo Lab", "open", "2025-01-10")),
]


def pages(store: Path) -> dict[str, str]:
    """Page name -> path inside the site exported from ``store``, for every main page type."""
    models = StoreReader(store).load().models
    first = next(m for m in models if m.scores)
    dim = next(iter(first.scores))
    keys = ",".join(m.key for m in models[:3])
    return {"leaderboard": "index.html", "leaderboard-mft": "index.html?sys=mft", "model": f"model/{first.key}.html",
            "drill": f"model/{first.key}/{dim}.html", "compare": f"compare.html?m={keys}", "culture": "culture.html",
            "steering": "steering.html", "test": "test.html",
            "disagree": f"disagree.html?a={models[0].key}&b={models[1].key}"}


def shoot(site: Path, out: Path, targets: dict[str, str], scale: float = 1.0) -> list[Path]:
    """Open every page at every viewport and save a full-page PNG (``scale`` device pixels per CSS
    pixel); returns the files written."""
    from playwright.sync_api import sync_playwright

    written = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=shutil.which("chromium") or CHROMIUM, args=CHROMIUM_ARGS)
        for size, options in VIEWPORTS.items():
            context = browser.new_context(**options, device_scale_factor=scale)
            page = context.new_page()
            for name, path in targets.items():
                page.goto(site.as_uri() + "/" + path)
                page.wait_for_load_state("load")
                target = out / f"{name}-{size}.png"
                page.screenshot(path=str(target), full_page=True)
                written.append(target)
                log.info("%s", target)
            context.close()
        browser.close()
    return written


def main(argv: list[str] | None = None) -> int:
    """Fill a demo store, export the site and write the screenshots; returns the exit status."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots", help="folder for the PNGs")
    parser.add_argument("--site", type=Path, default=None, help="keep the exported demo site in this folder")
    parser.add_argument("--scale", type=float, default=1.0,
                        help="device pixels per CSS pixel (2: sharper, larger files)")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    args.out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="vc-shots-") as tmp:
        work = Path(tmp)
        fill_store(work / "store.sqlite", DEMO)
        site = (args.site or work / "site").resolve()
        export_site(work / "store.sqlite", site)
        written = shoot(site, args.out.resolve(), pages(work / "store.sqlite"), args.scale)
    log.info("wrote %d screenshots to %s", len(written), args.out)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
