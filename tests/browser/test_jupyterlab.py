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

DOWNLOAD_MD = "Download Markdown (.md)"


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
    os.environ["SP_TEST_LAB_STORE"] = str(home / "store")
    yield base, token
    os.environ.pop("SP_TEST_LAB_STORE", None)
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
    with page.expect_download(timeout=60_000) as info:  # one click: the file is built then
        page.get_by_role("button", name=DOWNLOAD_MD, exact=True).click()
    text = Path(info.value.path()).read_text(encoding="utf-8")
    assert "Ana Velasco case, fictional" in text
    assert external_requests(page) == []


def test_saved_notebook_and_disk_hold_no_typed_text(lab_server, page, tmp_path):
    """Type a marker into the drafting tool inside JupyterLab, save it encrypted, lock, save the
    notebook: the .ipynb (widget state is not saved), the store and new temp files never hold it."""
    import shutil
    import tempfile
    import time

    base, token = lab_server
    work = ROOT / "build" / "save-check"  # git-ignored and not hidden (Jupyter hides dot folders)
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    notebook = work / "drafting.ipynb"
    shutil.copy(ROOT / "modules/en/tools/drafting.ipynb", notebook)
    started = time.time()
    marker = "Zx9Marker-" + secrets.token_hex(4)
    page.goto(f"{base}/lab/tree/{notebook.relative_to(ROOT).as_posix()}?token={token}", timeout=90_000)
    page.wait_for_selector(".jp-Notebook", timeout=90_000)
    from playwright.sync_api import Error as PlaywrightError

    select = page.get_by_role("button", name="Select", exact=True)
    try:
        select.wait_for(timeout=15_000)
        select.click()
    except PlaywrightError:  # no kernel dialog this time
        pass
    page.get_by_role("menuitem", name="Run").click()
    page.locator("li[data-command='runmenu:run-all']").click()
    page.get_by_label("Title of the draft (for your own list)").fill(marker + " title")
    page.get_by_label("What happened", exact=True).fill(marker + " facts")
    page.get_by_label("Your name", exact=True).fill(marker + " name")
    panel = page.locator(".sp-records")
    panel.get_by_label("Passphrase", exact=True).fill("correct horse battery staple")
    panel.get_by_label("Passphrase again", exact=True).fill("correct horse battery staple")
    panel.get_by_role("button", name="Set passphrase").click()
    panel.get_by_role("button", name="Save (encrypted)").click()
    panel.locator(".sp-ok").filter(has_text="encrypted with your passphrase").wait_for(timeout=90_000)
    panel.get_by_role("button", name="Lock").click()
    panel.get_by_role("button", name="Unlock").wait_for(timeout=30_000)
    page.get_by_role("menuitem", name="File").click()  # widgets swallow keyboard shortcuts
    page.locator("li[data-command='docmanager:save']").click()
    deadline = time.time() + 240  # a wait for the save, not a speed test
    view = "application/vnd.jupyter.widget-view+json"
    while time.time() < deadline and view not in notebook.read_text(encoding="utf-8"):
        page.wait_for_timeout(500)  # lets Playwright serve the save request (its route guard runs in this loop)
    saved = notebook.read_text(encoding="utf-8")
    assert "application/vnd.jupyter.widget-view+json" in saved  # it was saved, with outputs
    assert marker not in saved and "correct horse" not in saved
    assert "widget-state" not in saved
    store = Path(os.environ["SP_TEST_LAB_STORE"])
    assert list(store.glob("draft-*.sprec"))  # the draft was saved, encrypted
    roots = [store, Path(tempfile.gettempdir())]
    for root in roots:
        for path in root.rglob("*"):
            try:
                if path.is_file() and path.stat().st_mtime >= started and path.stat().st_size < 50_000_000:
                    assert marker.encode() not in path.read_bytes(), path
            except (PermissionError, FileNotFoundError):
                continue
    assert external_requests(page) == []
