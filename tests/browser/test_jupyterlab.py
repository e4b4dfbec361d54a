"""The course as `make start` and Binder serve it: a JupyterLab server with Voila as an extension.

Checks the course home through Lab's /voila/render (our template, no CDN), and that a
tool's download works when the notebook runs inside JupyterLab itself.
"""
import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import ARTIFACTS, ROOT, free_port, wait_http
from .helpers import external_requests

DOWNLOAD_MD = "Markdown (.md)"


@pytest.fixture(scope="module")
def lab_server(tmp_path_factory):
    port, token = free_port(), secrets.token_hex(16)
    home = tmp_path_factory.mktemp("labhome")
    env = dict(os.environ, SP_COURSE_STORE=str(home / "store"), JUPYTER_CONFIG_DIR=str(home / "config"),
               JUPYTER_RUNTIME_DIR=str(home / "runtime"), JUPYTERLAB_SETTINGS_DIR=str(home / "settings"),
               JUPYTERLAB_WORKSPACES_DIR=str(home / "workspaces"))
    log = ARTIFACTS / "jupyterlab.log"
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    handle = log.open("w")
    proc = subprocess.Popen(
        [sys.executable, "-m", "jupyter", "lab", "--no-browser", "--allow-root", f"--ServerApp.port={port}",
         "--ServerApp.ip=127.0.0.1", f"--IdentityProvider.token={token}", "--ServerApp.port_retries=0"],
        cwd=ROOT, env=env, stdout=handle, stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    wait_http(f"{base}/api/status?token={token}", 90, proc, log)
    yield base, token
    proc.terminate()
    try:
        proc.wait(15)
    except subprocess.TimeoutExpired:
        proc.kill()


@pytest.mark.parametrize("lang,title", [("zh", "联合国特别程序"), ("en", "The UN Special Procedures")])
def test_home_through_jupyterlab_voila_extension(lab_server, page, lang, title):
    base, token = lab_server
    page.goto(f"{base}/voila/render/modules/{lang}/home.ipynb?token={token}", timeout=90_000)
    page.wait_for_selector(".sp-warning", timeout=90_000)
    assert title in page.locator("h1").first.inner_text()
    assert external_requests(page) == []


def test_tool_download_works_inside_jupyterlab(lab_server, page):
    base, token = lab_server
    page.goto(f"{base}/lab/tree/modules/en/tools/drafting.ipynb?token={token}", timeout=90_000)
    page.wait_for_selector(".jp-Notebook", timeout=90_000)
    # A fresh JupyterLab profile may ask which kernel to use; the notebook names python3.
    from playwright.sync_api import Error as PlaywrightError

    select = page.get_by_role("button", name="Select", exact=True)
    try:
        select.wait_for(timeout=15_000)
        select.click()
    except PlaywrightError:  # no dialog (a TimeoutError): the kernel started on its own
        pass
    page.get_by_role("menuitem", name="Run").click()
    page.locator("li[data-command='runmenu:run-all']").click()
    page.get_by_label("Title of the draft (for your own list)").fill("Ana Velasco case, fictional")
    page.get_by_role("button", name=DOWNLOAD_MD).click()
    link = page.locator('a.sp-download[download$=".md"]')
    link.wait_for(timeout=60_000)
    with page.expect_download(timeout=30_000) as info:
        link.click()
    text = Path(info.value.path()).read_text(encoding="utf-8")
    assert "Ana Velasco case, fictional" in text
    assert external_requests(page) == []
