"""Closing or leaving a page frees its kernel, on standalone Voila and inside JupyterLab
(`make start`, Binder, a JupyterHub user server): all 16 pages are opened and closed and
the kernel count is back at its baseline within a minute. A free Binder has about 2 GB
and a module's kernel holds about 150 MB (DESIGN.md section 7).
"""
from __future__ import annotations

import json
import sys
import time
import urllib.request

import psutil
import pytest

from .conftest import ARTIFACTS, ROOT, start_voila
from .test_jupyterlab import lab_server  # noqa: F401 -- the JupyterLab server fixture

PAGES = [f"modules/{lang}/{page}.ipynb" for lang in ("zh", "en")
         for page in ("home", "01-what-they-are", "02-how-they-help", "03-engaging", "04-engaging-safely",
                      "tools/chooser", "tools/drafting", "tools/risk")]
FIRST_WIDGET = "#rendered_cells .jupyter-widgets"


def wait_for_count(count, expected: int, timeout: float = 60.0) -> int:
    deadline = time.monotonic() + timeout
    current = count()
    while current != expected and time.monotonic() < deadline:
        time.sleep(1.0)
        current = count()
    return current


def open_and_leave_every_page(browser, url_of, blocked: list[str]):
    """Returns the browser context, still open: a learner's browser outlives the tabs
    they close, and so must the context while the last beacons are on their way."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.route("**/*", lambda route: route.continue_() if route.request.url.startswith("http://127.0.0.1")
                  else (blocked.append(route.request.url), route.abort()))
    for number, path in enumerate(PAGES):
        page = context.new_page()
        page.goto(url_of(path), wait_until="domcontentloaded", timeout=120_000)
        page.wait_for_selector(FIRST_WIDGET, state="visible", timeout=120_000)
        if number % 2:
            page.close(run_before_unload=True)  # the tab is closed
        else:
            page.goto("about:blank")  # the learner leaves for another site
            page.close()
    return context


def test_every_closed_page_frees_its_kernel_standalone_voila(browser, tmp_path):
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    proc, base = start_voila(ROOT, sys.executable, tmp_path / "store", ARTIFACTS / "voila-kernels.log",
                             ["--VoilaConfiguration.preheat_kernel=False"])
    try:
        def kernels() -> int:
            return sum("ipykernel" in " ".join(child.cmdline())
                       for child in psutil.Process(proc.pid).children(recursive=True))

        baseline = kernels()
        blocked: list[str] = []
        context = open_and_leave_every_page(browser, lambda path: f"{base}/voila/render/{path}", blocked)
        left = wait_for_count(kernels, baseline)
        context.close()
        assert left == baseline
        assert blocked == []
    finally:
        proc.terminate()
        proc.wait(15)


def test_every_closed_page_frees_its_kernel_inside_jupyterlab(browser, lab_server):  # noqa: F811
    base, token = lab_server

    def kernels() -> int:
        with urllib.request.urlopen(f"{base}/api/kernels?token={token}", timeout=10) as response:
            return len(json.load(response))

    baseline = kernels()
    blocked: list[str] = []
    context = open_and_leave_every_page(browser, lambda path: f"{base}/voila/render/{path}?token={token}", blocked)
    left = wait_for_count(kernels, baseline)
    context.close()
    assert left == baseline, f"kernels left running: {left - baseline}"
    assert blocked == []


def test_jupyter_server_culls_idle_kernels_inside_jupyterlab():
    """The culling and compression settings Jupyter Server reads from the environment's
    installed configuration (etc/jupyter/jupyter_server_config.json), not voila.json's."""
    import json
    import sys
    from pathlib import Path

    from course import install

    installed = json.loads((install.config_target(sys.prefix) / "jupyter_server_config.json").read_text("utf-8"))
    assert 0 < installed["MappingKernelManager"]["cull_idle_timeout"] <= 900
    assert installed["MappingKernelManager"]["cull_interval"] <= 120
    assert installed["MappingKernelManager"]["cull_connected"] is False
    assert installed["ServerApp"]["tornado_settings"]["compress_response"] is True
    assert Path(install.config_target(sys.prefix)).is_dir()


if __name__ == "__main__":  # pragma: no cover
    pytest.main([__file__, "-n", "0"])
