"""Binder builds from binder/ as written: repo2docker's plan uses the pins and postBuild."""
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
BINDER = ROOT / "binder"


def test_requirements_are_exact_pins_and_match_pyproject_core():
    lines = [line.strip() for line in (BINDER / "requirements.txt").read_text().splitlines()
             if line.strip() and not line.startswith("#")]
    assert lines, "binder/requirements.txt is empty"
    loose = [line for line in lines if not re.match(r"^[A-Za-z0-9_.\-\[\]]+==[^=]+$", line)]
    assert loose == [], f"not pinned exactly: {loose}"
    pins = {line.split("==")[0].lower().replace("_", "-"): line.split("==")[1] for line in lines}
    assert pins["nbgrader"] == "0.9.6"
    assert pins["jupyterlab"].startswith("4.") and tuple(map(int, pins["jupyterlab"].split(".")[:2])) >= (4, 4)
    assert tuple(map(int, pins["voila"].split(".")[:3])) >= (0, 5, 13)
    assert pins["ipywidgets"].startswith("8.")
    for needed in ("pandas", "plotly", "babel", "python-docx", "jupyterlab-language-pack-zh-cn", "py3langid"):
        assert needed in pins, needed


def test_postbuild_is_executable_and_installs_the_course():
    post_build = BINDER / "postBuild"
    assert post_build.stat().st_mode & 0o111
    text = post_build.read_text()
    assert "pip install --no-deps -e ." in text and "python -m course.install" in text


@pytest.mark.slow
def test_repo2docker_plans_the_build_from_binder_folder():
    result = subprocess.run(
        [sys.executable, "-m", "repo2docker", "--no-build", "--debug", str(ROOT)],
        capture_output=True, text=True, timeout=300,
    )
    plan = result.stdout + result.stderr
    assert result.returncode == 0, plan[-3000:]
    assert "python=3.11" in plan
    assert re.search(r'pip install --no-cache-dir -r "binder/requirements.txt"', plan), plan[-3000:]
    assert "./binder/postBuild" in plan
