"""Time from navigation to the first interactive control of each tool app, against a
one-slider notebook served by the same Voila server in the same run.

    .venv/bin/python benchmarks/bench_voila_first_control.py [--runs 5]

Prints the median for each app, the baseline's median and the ratio (goal: 1.5 or less).
A figure to read, not a test: nothing here fails on speed.
"""
from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.browser.conftest import start_voila  # noqa: E402
from tests.browser.helpers import CHROMIUM, CHROMIUM_ARGS, app_url, is_local  # noqa: E402

BASELINE = "benchmarks/one_slider.ipynb"
APPS = [f"modules/{lang}/tools/{tool}.ipynb" for tool in ("chooser", "drafting", "risk") for lang in ("zh", "en")]
CONTROL = "#rendered_cells input, #rendered_cells button, #rendered_cells select, #rendered_cells textarea, #rendered_cells .noUi-handle"


def time_first_control(browser, url: str) -> float:
    context = browser.new_context()
    context.route("**/*", lambda route: route.continue_() if is_local(route.request.url) else route.abort())
    page = context.new_page()
    started = time.monotonic()
    page.goto(url, wait_until="commit")
    page.wait_for_selector(CONTROL, state="visible", timeout=120_000)
    elapsed = time.monotonic() - started
    context.close()
    return elapsed


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as store:
        proc, base = start_voila(ROOT, sys.executable, Path(store), Path(store) / "voila.log")
        try:
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
                # One untimed load warms the server (template compilation, imports on disk).
                time_first_control(browser, app_url(base, BASELINE))
                samples: dict[str, list[float]] = {path: [] for path in [BASELINE, *APPS]}
                for _ in range(args.runs):  # interleave so drift affects every app alike
                    for path in samples:
                        if (ROOT / path).exists():
                            samples[path].append(time_first_control(browser, app_url(base, path)))
                browser.close()
        finally:
            proc.terminate()
            proc.wait(10)
    baseline = statistics.median(samples[BASELINE])
    print(f"{'app':45} {'median s':>9} {'ratio':>7}")
    print(f"{BASELINE:45} {baseline:9.2f} {1.0:7.2f}")
    for path in APPS:
        if not samples[path]:
            print(f"{path:45} {'missing':>9}")
            continue
        median = statistics.median(samples[path])
        print(f"{path:45} {median:9.2f} {median / baseline:7.2f}")
    print(f"runs per app: {args.runs}; goal: ratio <= 1.5")
    return 0


if __name__ == "__main__":
    sys.exit(main())
