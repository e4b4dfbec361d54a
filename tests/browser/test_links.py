"""Every way the README gives to serve the course works link by link, and every page a
learner opens and then leaves frees its kernel.

A crawler starts at both home pages, opens every course page it reaches in a new tab of
Chromium (18: home, four modules, the capstone and three tools, in two languages), requests
every other local link, and leaves each page the two ways a learner does (closing the tab,
or following a link to another site). None may answer 403 or 404, no request may leave
the machine, no page may log an uncaught error or a console error once its widgets and
charts are drawn, and the server's kernel count must be back at its baseline within a minute:
a free Binder has about 2 GB and a module's kernel holds about 150 MB (DESIGN.md section 7).

- ``voila .`` (standalone, the folder): every page; the exercises and data folders open
  only in JupyterLab, so those two links become text with a note.
- JupyterLab (``make start``, Binder, a JupyterHub user server): every link is live;
  Voila runs there as a Jupyter Server extension, which frees kernels through its own handler.
- ``voila modules/zh/home.ipynb`` (one notebook): only that page is served, so links to
  other pages become text with a note.

One crawl serves both checks: each course page runs its whole notebook when opened,
the slowest step of the suite.
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
import time
import urllib.request
from urllib.parse import urldefrag, urlparse

import psutil
import pytest

from .conftest import ARTIFACTS, ROOT, free_port, start_voila, wait_http
from .helpers import is_local
from .test_jupyterlab import lab_server  # noqa: F401 -- the JupyterLab server fixture

pytestmark = pytest.mark.browser

HOMES = ["modules/zh/home.ipynb", "modules/en/home.ipynb"]
LINKS = """() => [...document.querySelectorAll('#rendered_cells a[href]')]
  .map(a => a.href).filter(h => h.startsWith(location.origin))"""
UNLINKED = "() => document.querySelectorAll('#rendered_cells .sp-unlinked').length"
PAGE_TIMEOUT = 180_000  # ms; a page runs its whole notebook before the last of its HTML arrives
CHARTS_DRAWN = """() => [...document.querySelectorAll('#rendered_cells .sp-chart')]
  .every(chart => chart.querySelector('.js-plotly-plot .main-svg'))"""


def visit(page, url: str) -> tuple[int, list[str]]:
    """Opens ``url``, waits for its first widget (only then does leaving free its kernel),
    returns the page's HTTP status and its local links."""
    response = page.goto(url, wait_until="domcontentloaded", timeout=PAGE_TIMEOUT)
    page.wait_for_selector("#rendered_cells", state="attached", timeout=PAGE_TIMEOUT)
    page.wait_for_selector("#loading", state="detached", timeout=PAGE_TIMEOUT)
    page.wait_for_selector("#rendered_cells .jupyter-widgets", timeout=PAGE_TIMEOUT)
    page.wait_for_function(CHARTS_DRAWN, timeout=PAGE_TIMEOUT)
    status = response.status if response is not None else 0
    return status, page.evaluate(LINKS)  # after the widgets: a tool page's links are in the tool shell's header


def crawl(context, start: list[str], token: str = "") -> tuple[set[str], dict[str, int], dict[str, list[str]]]:
    """Pages visited (paths), the status of every local link (pages included) and the errors
    each page logged. Each page gets its own tab, left as a learner leaves it: every other
    tab is closed, the rest navigate to another site first."""
    suffix = f"?token={token}" if token else ""
    queue, seen, statuses, errors = list(start), set(), {}, {}
    while queue:
        url = queue.pop(0)
        path = urlparse(url).path
        if path in seen:
            continue
        seen.add(path)
        page = context.new_page()
        logged: list[str] = []
        page.on("pageerror", lambda error, logged=logged: logged.append(f"uncaught: {error}"))
        page.on("console", lambda message, logged=logged:
                logged.append(f"console: {message.text}") if message.type == "error" else None)
        errors[path] = logged  # filled while the page is open
        statuses[path], links = visit(page, url + (suffix if "?" not in url else ""))
        for link in links:
            link = urldefrag(link).url
            target = urlparse(link).path
            if target.endswith(".ipynb") and "/voila/render/" in target:
                if target not in seen:
                    queue.append(link.split("?")[0])
            elif target not in statuses:
                statuses[target] = page.request.get(link, max_redirects=5).status
        if len(seen) % 2:
            page.close(run_before_unload=True)  # the tab is closed
        else:
            page.goto("about:blank")  # the learner leaves for another site
            page.close()
    return seen, statuses, {path: logged for path, logged in errors.items() if logged}


def guarded_context(browser, blocked: list[str]):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.route("**/*", lambda route: route.continue_() if is_local(route.request.url)
                  else (blocked.append(route.request.url), route.abort()))
    return context


def wait_for_count(count, expected: int, timeout: float = 60.0) -> int:
    deadline = time.monotonic() + timeout
    current = count()
    while current != expected and time.monotonic() < deadline:
        time.sleep(1.0)
        current = count()
    return current


def test_voila_on_the_folder(browser, tmp_path):
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    # No preheated pools: they would start kernels of their own while the count is taken.
    proc, base = start_voila(ROOT, sys.executable, tmp_path / "store", ARTIFACTS / "voila-crawl.log",
                             ["--VoilaConfiguration.preheat_kernel=False"])
    try:
        def kernels() -> int:
            return sum("ipykernel" in " ".join(child.cmdline())
                       for child in psutil.Process(proc.pid).children(recursive=True))

        baseline, blocked = kernels(), []
        context = guarded_context(browser, blocked)
        seen, statuses, errors = crawl(context, [f"{base}/voila/render/{home}" for home in HOMES])
        # The context (the learner's browser) outlives the tabs while the last beacons travel.
        left = wait_for_count(kernels, baseline)
        context.close()
        assert len(seen) == 18, sorted(seen)  # home, five modules and three tools, in two languages
        assert {path: status for path, status in statuses.items() if status >= 400} == {}
        assert left == baseline, f"kernels left running: {left - baseline}"
        assert blocked == []
        assert errors == {}
    finally:
        proc.terminate()
        proc.wait(15)


def test_jupyterlab(browser, lab_server):  # noqa: F811
    base, token = lab_server

    def kernels() -> int:
        with urllib.request.urlopen(f"{base}/api/kernels?token={token}", timeout=10) as response:
            return len(json.load(response))

    baseline, blocked = kernels(), []
    context = guarded_context(browser, blocked)
    seen, statuses, errors = crawl(context, [f"{base}/voila/render/{home}" for home in HOMES], token)
    left = wait_for_count(kernels, baseline)
    context.close()
    assert len(seen) == 18, sorted(seen)  # home, five modules and three tools, in two languages
    assert any(path.endswith("/lab/tree/exercises") for path in statuses)
    assert {path: status for path, status in statuses.items() if status >= 400} == {}
    assert left == baseline, f"kernels left running: {left - baseline}"
    assert blocked == []
    assert errors == {}


def test_jupyter_server_culls_idle_kernels_inside_jupyterlab():
    """The culling and compression settings Jupyter Server reads from the environment's
    installed configuration (etc/jupyter/jupyter_server_config.json), not voila.json's."""
    from pathlib import Path

    from course import install

    installed = json.loads((install.config_target(sys.prefix) / "jupyter_server_config.json").read_text("utf-8"))
    assert 0 < installed["MappingKernelManager"]["cull_idle_timeout"] <= 900
    assert installed["MappingKernelManager"]["cull_interval"] <= 120
    assert installed["MappingKernelManager"]["cull_connected"] is False
    assert installed["ServerApp"]["tornado_settings"]["compress_response"] is True
    assert Path(install.config_target(sys.prefix)).is_dir()


@pytest.mark.parametrize("home", HOMES)
def test_voila_on_one_notebook(browser, tmp_path, home):
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    port, log = free_port(), ARTIFACTS / "voila-one.log"
    proc = subprocess.Popen([sys.executable, "-m", "voila", "--no-browser", f"--port={port}",
                             "--Voila.ip=127.0.0.1", home], cwd=ROOT,
                            env=dict(os.environ, SP_COURSE_STORE=str(tmp_path / "store")),
                            stdout=log.open("w"), stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        wait_http(f"{base}/voila/static/voila.js", 60, proc, log)
        context = browser.new_context()
        page = context.new_page()
        _, links = visit(page, f"{base}/")
        statuses = {urlparse(link).path: page.request.get(link).status for link in links}
        assert page.evaluate(UNLINKED) >= 8  # four modules, three tools, the other language
        assert {path: status for path, status in statuses.items() if status >= 400} == {}
        page.goto("about:blank")
        context.close()
    finally:
        proc.terminate()
        proc.wait(15)
