"""A fresh virtual environment built only from binder/ serves the course home through Voila."""
import os
import shutil
import subprocess
import sys

import pytest

from .conftest import ARTIFACTS, ROOT, start_voila
from .helpers import external_requests, open_app


def tracked_files() -> list[str]:
    listing = subprocess.run(["git", "ls-files", "-co", "--exclude-standard"], cwd=ROOT,
                             capture_output=True, text=True, check=True)
    return [line for line in listing.stdout.splitlines() if line and (ROOT / line).is_file()]


@pytest.fixture(scope="module")
def binder_voila(tmp_path_factory):
    """Copy the repository, build a venv from binder/ exactly, run postBuild, serve with Voila."""
    workdir = tmp_path_factory.mktemp("binder")
    repo = workdir / "repo"
    for relative in tracked_files():
        if relative.startswith("tests/browser/node_modules"):
            continue
        target = repo / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(ROOT / relative, target)
    venv = workdir / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    python = str(venv / "bin" / "python")
    log = ARTIFACTS / "binder-env.log"
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    env = dict(os.environ, PATH=f"{venv / 'bin'}:{os.environ['PATH']}", VIRTUAL_ENV=str(venv))
    env.pop("PYTHONPATH", None)
    with log.open("w") as handle:
        for command in ([python, "-m", "pip", "install", "-q", "-r", "binder/requirements.txt"],
                        ["bash", "binder/postBuild"]):
            done = subprocess.run(command, cwd=repo, env=env, stdout=handle, stderr=subprocess.STDOUT, timeout=900)
            assert done.returncode == 0, f"{command} failed; see {log}:\n{log.read_text()[-3000:]}"
    proc, base = start_voila(repo, python, workdir / "store", ARTIFACTS / "binder-voila.log")
    yield base
    proc.terminate()
    proc.wait(10)


@pytest.mark.slow
@pytest.mark.parametrize("lang,title", [("zh", "联合国特别程序"), ("en", "The UN Special Procedures")])
def test_binder_environment_serves_the_home(binder_voila, page, lang, title):
    open_app(page, binder_voila, f"modules/{lang}/home.ipynb", ".sp-warning")
    assert title in page.locator("h1").first.inner_text()
    assert external_requests(page) == []
