"""With the repository's voila.json (preheated kernels on), the preheated apps still work."""
import subprocess
import sys
import time

from .conftest import ARTIFACTS, ROOT, start_voila
from .helpers import external_requests, open_app


def test_preheated_chooser_and_risk_apps_render(tmp_path, page):
    log = ARTIFACTS / "voila-preheat.log"
    proc, base = start_voila(ROOT, sys.executable, tmp_path / "store", log)
    try:
        deadline = time.monotonic() + 120
        while "pool of modules/zh/tools/risk.ipynb is filled" not in log.read_text():
            assert time.monotonic() < deadline, "the kernel pools never filled:\n" + log.read_text()[-2000:]
            time.sleep(0.5)
        for app in ("modules/en/tools/chooser.ipynb", "modules/zh/tools/risk.ipynb"):
            open_app(page, base, app, ".sp-warning")
            assert page.locator("#rendered_cells select, #rendered_cells button").count() > 0, app
        assert external_requests(page) == []
        text = log.read_text()
        assert "Using pre-heated kernel" in text and "for modules/zh/tools/risk.ipynb" in text
    finally:
        proc.terminate()
        try:
            proc.wait(15)
        except subprocess.TimeoutExpired:
            proc.kill()
