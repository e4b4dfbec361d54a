"""Every way the README gives to serve the course works link by link: a crawler starts at
both home pages, opens every course page it reaches in Chromium, and requests every other
local link; none may answer 403 or 404.

- ``voila .`` (standalone, the folder): every page; the exercises and data folders open
  only in JupyterLab, so those two links become text with a note.
- JupyterLab (``make start``, Binder, a JupyterHub user server): every link is live.
- ``voila modules/zh/home.ipynb`` (one notebook): only that page is served, so links to
  other pages become text with a note.
"""
from __future__ import annotations

import os
import subprocess
import sys
from urllib.parse import urldefrag, urlparse

import pytest

from .conftest import ARTIFACTS, ROOT, free_port, wait_http
from .test_jupyterlab import lab_server  # noqa: F401 -- the JupyterLab server fixture

pytestmark = pytest.mark.browser

HOMES = ["modules/zh/home.ipynb", "modules/en/home.ipynb"]
LINKS = """() => [...document.querySelectorAll('#rendered_cells a[href]')]
  .map(a => a.href).filter(h => h.startsWith(location.origin))"""
UNLINKED = "() => document.querySelectorAll('#rendered_cells .sp-unlinked').length"


def visit(page, url: str) -> list[str]:
    page.goto(url, wait_until="domcontentloaded", timeout=120_000)
    page.wait_for_selector("#rendered_cells", state="attached", timeout=120_000)
    page.wait_for_selector("#loading", state="detached", timeout=180_000)
    page.wait_for_selector("#rendered_cells .jupyter-widgets", timeout=120_000)  # then its kernel is freed on leaving
    return page.evaluate(LINKS)  # after the widgets: a tool page's links are in the tool shell's header


def crawl(page, start: list[str], token: str = "") -> tuple[set[str], dict[str, int]]:
    """Pages visited (paths) and the status of every other local link."""
    suffix = f"?token={token}" if token else ""
    queue, seen, statuses = list(start), set(), {}
    while queue:
        url = queue.pop(0)
        path = urlparse(url).path
        if path in seen:
            continue
        seen.add(path)
        for link in visit(page, url + (suffix if "?" not in url else "")):
            link = urldefrag(link).url
            target = urlparse(link).path
            if target.endswith(".ipynb") and "/voila/render/" in target:
                if target not in seen:
                    queue.append(link.split("?")[0])
            elif target not in statuses:
                statuses[target] = page.request.get(link, max_redirects=5).status
    page.goto("about:blank")
    return seen, statuses


def test_voila_on_the_folder(voila_server, page):
    seen, statuses = crawl(page, [f"{voila_server}/voila/render/{home}" for home in HOMES])
    assert len(seen) == 18, sorted(seen)  # home, five modules and three tools, in two languages
    assert {path: status for path, status in statuses.items() if status >= 400} == {}


def test_jupyterlab(lab_server, page):  # noqa: F811
    base, token = lab_server
    seen, statuses = crawl(page, [f"{base}/voila/render/{home}" for home in HOMES], token)
    assert len(seen) == 18, sorted(seen)  # home, five modules and three tools, in two languages
    assert any(path.endswith("/lab/tree/exercises") for path in statuses)
    assert {path: status for path, status in statuses.items() if status >= 400} == {}


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
        links = visit(page, f"{base}/")
        statuses = {urlparse(link).path: page.request.get(link).status for link in links}
        assert page.evaluate(UNLINKED) >= 8  # four modules, three tools, the other language
        assert {path: status for path, status in statuses.items() if status >= 400} == {}
        page.goto("about:blank")
        context.close()
    finally:
        proc.terminate()
        proc.wait(15)
