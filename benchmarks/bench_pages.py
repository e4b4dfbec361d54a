"""Weight and speed of every course page against a bare one-slider notebook on stock Voila,
in the same run: bytes on the wire, requests, websocket messages, time to the first widget (unthrottled and on
Chrome's "Fast 3G" profile) and the page's kernel memory.

    .venv/bin/python benchmarks/bench_pages.py [--lang zh] [--runs 1] [--skip-3g]

Two standalone Voila servers serve the same folder: the course's (``voila.json``, the
``sp-course`` template and the page hook, as ``voila .`` runs it) and a stock one (Voila's
own ``lab`` template and defaults, no course configuration) for the baseline slider.
Each load uses a fresh browser context (empty cache), as a first visit does.

Fast 3G is Chromium DevTools' profile, applied through CDP
``Network.emulateNetworkConditions``: 180 kB/s down, 84 kB/s up, 562 ms latency.
Goals (DESIGN.md section 7): a module page at most 3 MB on the wire; its first widget on
Fast 3G at most a third of the stock slider's time. A figure to read, not a test.
"""
from __future__ import annotations

import argparse
import platform
import shutil
import signal
import statistics
import sys
import tempfile
import time
from pathlib import Path

import psutil
from playwright.sync_api import Error as PlaywrightError

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.browser.conftest import start_voila  # noqa: E402
from tests.browser.helpers import CHROMIUM, CHROMIUM_ARGS, app_url, is_local  # noqa: E402

BASELINE = "benchmarks/one_slider.ipynb"
FIRST_WIDGET = "#rendered_cells .jupyter-widgets"
FAST_3G = {"offline": False, "latency": 562.5, "downloadThroughput": 180 * 1024,
           "uploadThroughput": 84.375 * 1024}


def pages(lang: str) -> list[str]:
    modules = sorted(p.relative_to(ROOT).as_posix() for p in (ROOT / "modules" / lang).glob("0*.ipynb"))
    tools = [f"modules/{lang}/tools/{tool}.ipynb" for tool in ("chooser", "drafting", "risk")]
    return [f"modules/{lang}/home.ipynb", *modules, *tools]


def kernel_pids(server_pid: int) -> set[int]:
    try:
        children = psutil.Process(server_pid).children(recursive=True)
    except psutil.NoSuchProcess:
        return set()
    return {c.pid for c in children if "ipykernel" in " ".join(c.cmdline())}


def kernel_memory_mb(pids: set[int]) -> float | None:
    """Unique memory (USS) of the page's kernel, in MB: what closing the page gives back."""
    sizes = []
    for pid in pids:
        try:
            sizes.append(psutil.Process(pid).memory_full_info().uss)
        except (psutil.NoSuchProcess, psutil.AccessDenied):
            pass
    return sum(sizes) / 1e6 if sizes else None


def load(browser, url: str, server_pid: int, throttle: bool) -> dict:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.route("**/*", lambda route: route.continue_() if is_local(route.request.url) else route.abort())
    page = context.new_page()
    cdp = context.new_cdp_session(page)
    cdp.send("Network.enable")
    if throttle:
        cdp.send("Network.emulateNetworkConditions", FAST_3G)
    stats = {"bytes": 0, "requests": 0, "ws_messages": 0}

    def finished(event):
        stats["bytes"] += event.get("encodedDataLength", 0)

    def sent(_event):
        stats["requests"] += 1

    cdp.on("Network.loadingFinished", finished)
    cdp.on("Network.webSocketFrameReceived", lambda _e: stats.__setitem__("ws_messages", stats["ws_messages"] + 1))
    cdp.on("Network.requestWillBeSent", sent)
    before = kernel_pids(server_pid)
    started = time.monotonic()
    page.goto(url, wait_until="commit", timeout=600_000)
    page.wait_for_selector(FIRST_WIDGET, state="visible", timeout=600_000)
    first_widget = time.monotonic() - started
    # Let the rest of the page (charts, later widgets) arrive before counting bytes.
    try:
        page.wait_for_load_state("networkidle", timeout=300_000 if throttle else 60_000)
    except PlaywrightError:  # a page that never goes quiet is measured as it stands
        pass
    time.sleep(1.0)
    memory = kernel_memory_mb(kernel_pids(server_pid) - before)
    context.close()
    time.sleep(1.0)
    return {"first_widget": first_widget, "memory": memory, **stats}


def stock_root(tmp: Path) -> Path:
    """A folder with only the slider notebook, served by Voila without the course's config."""
    folder = tmp / "stock"
    (folder / "benchmarks").mkdir(parents=True)
    shutil.copy(ROOT / BASELINE, folder / BASELINE)
    (tmp / "noconfig").mkdir()
    return folder


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lang", default="zh", choices=("zh", "en"))
    parser.add_argument("--runs", type=int, default=1, help="loads per page and profile (median shown)")
    parser.add_argument("--skip-3g", action="store_true", help="unthrottled only (quick look)")
    parser.add_argument("--only", default="", help="measure only course pages whose path contains this text")
    args = parser.parse_args()
    # Stopped with SIGTERM, still stop both servers (the finally below).
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    from playwright.sync_api import sync_playwright

    rows: dict[str, dict[str, list]] = {}
    profiles = ["none"] + ([] if args.skip_3g else ["fast3g"])
    with tempfile.TemporaryDirectory() as tmpdir:
        tmp = Path(tmpdir)
        course, course_base = start_voila(ROOT, sys.executable, tmp / "store", tmp / "course.log",
                                          ["--VoilaConfiguration.preheat_kernel=False"])
        stock, stock_base = start_voila(
            stock_root(tmp), sys.executable, tmp / "store2", tmp / "stock.log",
            [f"--Voila.config_file_paths={tmp / 'noconfig'}", "--VoilaConfiguration.template=lab"])
        targets = [("stock Voila: " + BASELINE, stock_base, stock.pid, BASELINE)]
        targets += [("course Voila: " + BASELINE, course_base, course.pid, BASELINE)]
        targets += [(path, course_base, course.pid, path) for path in pages(args.lang) if args.only in path]
        try:
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
                load(browser, app_url(course_base, BASELINE), course.pid, False)  # warm both servers
                load(browser, app_url(stock_base, BASELINE), stock.pid, False)
                for _ in range(args.runs):
                    for profile in profiles:
                        for label, base, pid, path in targets:
                            result = load(browser, app_url(base, path), pid, profile == "fast3g")
                            row = rows.setdefault(label, {})
                            for key, value in result.items():
                                row.setdefault(f"{profile}:{key}", []).append(value)
                            print(f"  {profile:6} {label}: {result}", file=sys.stderr, flush=True)
                browser.close()
        finally:
            for proc in (course, stock):
                proc.terminate()
                proc.wait(15)

    def med(label, key):
        values = [v for v in rows[label].get(key, []) if v is not None]
        return statistics.median(values) if values else None

    baseline_label = targets[0][0]
    base_3g = med(baseline_label, "fast3g:first_widget")
    print(f"machine: {platform.machine()}, {psutil.cpu_count()} cores, "
          f"{psutil.virtual_memory().total / 2**30:.1f} GiB RAM, {platform.platform()}; "
          f"runs per page and profile: {args.runs}")
    header = ("| page | MB on the wire | requests | websocket messages, Fast 3G | first widget (s) "
              "| first widget, Fast 3G (s) | Fast 3G vs stock slider | kernel memory (MB) |")
    print(header)
    print("|" + "---|" * 8)
    for label, *_ in targets:
        fast = med(label, "fast3g:first_widget")
        ratio = f"{fast / base_3g:.2f}" if fast and base_3g else "-"
        memory = med(label, "none:memory")
        ws = med(label, "fast3g:ws_messages")
        print(f"| {label} | {med(label, 'none:bytes') / 1e6:.2f} | {med(label, 'none:requests'):.0f} "
              f"| {f'{ws:.0f}' if ws is not None else '-'} "
              f"| {med(label, 'none:first_widget'):.1f} | {f'{fast:.1f}' if fast else '-'} | {ratio} "
              f"| {f'{memory:.0f}' if memory else '-'} |")
    print("Goals: module pages <= 3 MB on the wire; Fast 3G first widget <= 0.33 of the stock slider's.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
