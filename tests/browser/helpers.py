"""Helpers for browser tests of the Voila apps."""
from __future__ import annotations

import os
import time
from pathlib import Path
from urllib.parse import urlparse

CHROMIUM = os.environ.get("SP_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic",
]
AXE = Path(__file__).parent / "node_modules" / "axe-core" / "axe.min.js"
LOCAL_HOSTS = {"127.0.0.1", "localhost", "::1", "[::1]"}


def is_local(url: str) -> bool:
    parsed = urlparse(url)
    if parsed.scheme in ("data", "blob", "about"):
        return True
    return (parsed.hostname or "") in LOCAL_HOSTS


def app_url(base: str, relpath: str) -> str:
    return f"{base}/voila/render/{relpath}"


def open_app(page, base: str, relpath: str, ready_selector: str = ".jupyter-widgets, .jp-RenderedHTMLCommon",
             timeout_ms: int = 90_000) -> float:
    """Open a notebook as a Voila app and wait until it has rendered; returns seconds taken."""
    started = time.monotonic()
    page.goto(app_url(base, relpath), wait_until="domcontentloaded", timeout=timeout_ms)
    page.wait_for_selector("#rendered_cells", state="visible", timeout=timeout_ms)
    page.wait_for_selector(ready_selector, state="visible", timeout=timeout_ms)
    return time.monotonic() - started


def external_requests(page) -> list[str]:
    """Every request the page tried to send to a host other than localhost (all were blocked)."""
    return list(page.sp_blocked)


def error_outputs(page) -> list[str]:
    """Texts of error or stderr outputs shown in the page (there should be none)."""
    return page.eval_on_selector_all(
        '[data-mime-type="application/vnd.jupyter.stderr"], .jp-OutputArea-output.jp-mod-error, '
        '[data-mime-type="application/vnd.jupyter.error"]',
        "nodes => nodes.map(n => n.innerText)",
    )


def axe_violations(page, impacts=("serious", "critical"), context: str | None = None) -> list[dict]:
    """Run axe-core in the page; returns violations of the given impacts (id, impact, nodes)."""
    if not AXE.exists():
        raise AssertionError(f"axe-core missing at {AXE}: run `npm ci` in tests/browser (make test does)")
    page.add_script_tag(path=str(AXE))
    result = page.evaluate(
        """async (ctx) => {
            const r = await axe.run(ctx ? document.querySelector(ctx) : document,
                                    {resultTypes: ['violations']});
            return r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
                nodes: v.nodes.slice(0, 5).map(n => n.target.join(' '))}));
        }""",
        context,
    )
    return [v for v in result if v["impact"] in impacts]


def script_ran(page) -> bool:
    """True if typed hostile HTML ran or became markup (the tests type `window.__pwned=1` and `<img src=x>`)."""
    return page.evaluate(
        "() => window.__pwned !== undefined || document.querySelector('img[src=\"x\"]') !== null"
    )


def full_screenshot(page, path, max_height: int = 8000) -> None:
    """Screenshot of the whole rendered page, to look at; the viewport is restored afterwards."""
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    height = page.evaluate("() => document.querySelector('#rendered_cells').scrollHeight + 300")
    page.set_viewport_size({"width": 1280, "height": min(max(int(height), 900), max_height)})
    page.screenshot(path=str(path), full_page=True)
    page.set_viewport_size({"width": 1280, "height": 900})
