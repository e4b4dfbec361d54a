"""A real Voila server on a free localhost port, and headless Debian Chromium driven by Playwright.

Missing Chromium or axe-core makes these tests fail, never skip: a course that
cannot be checked in a browser is not known to work.
"""
from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from .helpers import CHROMIUM, CHROMIUM_ARGS, is_local

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "tests" / ".artifacts"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_http(url: str, timeout: float, proc: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"server exited with {proc.returncode}; log:\n{log.read_text()[-3000:]}")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status < 500:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            time.sleep(0.2)
    raise RuntimeError(f"server did not answer {url} within {timeout}s; log:\n{log.read_text()[-3000:]}")


def start_voila(root: Path, python: str, store: Path, log: Path, extra: list[str] | None = None):
    """Start ``voila`` serving ``root``; returns (process, base_url).

    On a shared machine another process can take the free port before Voila binds it.
    Voila would then quietly move to another port, which this function would not know:
    so Voila is told not to move (``port_retries=0``) and is started again on a new port.
    """
    env = dict(os.environ, SP_COURSE_STORE=str(store), PYTHONUNBUFFERED="1")
    env.pop("BINDER_LAUNCH_HOST", None)
    attempts = 3
    for attempt in range(1, attempts + 1):
        port = free_port()
        with log.open("w") as handle:
            proc = subprocess.Popen(
                [python, "-m", "voila", "--no-browser", f"--port={port}", "--Voila.ip=127.0.0.1",
                 "--Voila.port_retries=0", *(extra or []), "."],
                cwd=root, env=env, stdout=handle, stderr=subprocess.STDOUT,
            )
        base = f"http://127.0.0.1:{port}"
        try:
            wait_http(f"{base}/voila/tree", 60, proc, log)
        except RuntimeError:
            if proc.poll() is None:
                proc.kill()
                proc.wait()
            elif attempt < attempts and "no available port" in log.read_text():
                continue  # the port was taken between free_port() and Voila's bind
            raise
        return proc, base
    raise AssertionError("unreachable: the last attempt returns or raises")


@pytest.fixture(scope="session")
def voila_server(tmp_path_factory):
    """Base URL of a Voila server serving the repository (voila.json applies)."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    store = tmp_path_factory.mktemp("store")
    # Preheated pools re-run notebooks in the background after every visit; on CI's two
    # cores that load slows every other test. test_preheat.py covers preheating on its own.
    proc, base = start_voila(ROOT, sys.executable, store, ARTIFACTS / "voila.log",
                             ["--VoilaConfiguration.preheat_kernel=False"])
    yield base
    proc.terminate()
    try:
        proc.wait(10)
    except subprocess.TimeoutExpired:
        proc.kill()


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium not found at {CHROMIUM}: install Debian's `chromium` (make test does, as root)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield instance
        instance.close()


@pytest.fixture
def page(browser, request):
    """A fresh page that blocks and records every request to a host other than localhost."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, accept_downloads=True)
    blocked: list[str] = []

    def guard(route):
        if is_local(route.request.url):
            route.continue_()
        else:
            blocked.append(route.request.url)
            route.abort()

    context.route("**/*", guard)
    page = context.new_page()
    page.sp_blocked = blocked
    page.sp_console_errors = []
    page.on("console", lambda msg: page.sp_console_errors.append(msg.text) if msg.type == "error" else None)
    yield page
    if request.node.rep_call.failed if hasattr(request.node, "rep_call") else False:
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        try:
            page.screenshot(path=str(ARTIFACTS / f"{request.node.name}.png"), full_page=True)
        except Exception:  # noqa: BLE001  the screenshot is only a diagnostic for a test that already failed
            pass
    # Leave every page as a learner would, so its kernel is shut down now rather than
    # culled minutes later: idle kernels of earlier tests would crowd CI's two cores.
    for open_page in context.pages:
        try:
            open_page.goto("about:blank", timeout=10_000)
        except Exception:  # noqa: BLE001  a page that cannot navigate is culled by the server instead
            pass
    context.close()


@pytest.hookimpl(hookwrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    setattr(item, f"rep_{report.when}", report)
