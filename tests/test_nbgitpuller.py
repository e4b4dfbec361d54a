"""nbgitpuller brings the course's notebooks and data into a participant's home and keeps their changes.

This is the code the hub's ``/git-pull`` link runs (``nbgitpuller.GitPuller``), against
a bare repository the test makes from the course's ``modules/``, ``exercises/`` and
``data/``; ``tests/hub`` follows the same link through a real JupyterHub.
"""
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
CONTENT = ("modules", "exercises", "data")
GIT = ["git", "-c", "user.name=Course maintainer", "-c", "user.email=maintainer@example.org",
       "-c", "init.defaultBranch=main", "-c", "commit.gpgsign=false"]


def git(*args, cwd):
    return subprocess.run([*GIT, *args], cwd=cwd, check=True, capture_output=True, text=True).stdout


@pytest.fixture
def upstream(tmp_path):
    """(bare repository URL, a maintainer's clone to push changes from)."""
    work = tmp_path / "maintainer"
    work.mkdir()
    for folder in CONTENT:
        shutil.copytree(ROOT / folder, work / folder, ignore=shutil.ignore_patterns(".ipynb_checkpoints", "__pycache__"))
    git("init", "-q", cwd=work)
    git("add", "-A", cwd=work)
    git("commit", "-qm", "course content", cwd=work)
    bare = tmp_path / "sp-course.git"
    git("clone", "-q", "--bare", str(work), str(bare), cwd=tmp_path)
    git("remote", "add", "hub", str(bare), cwd=work)
    return f"file://{bare}", work


def pull(url: str, target: Path) -> None:
    from nbgitpuller import GitPuller

    for _line in GitPuller(url, str(target), branch="main", depth=1).pull():
        pass


def test_pull_brings_content_and_keeps_participant_changes(upstream, tmp_path):
    url, maintainer = upstream
    target = tmp_path / "home" / "sp-course"
    target.parent.mkdir()
    pull(url, target)
    for folder in CONTENT:
        expected = sorted(p.relative_to(ROOT / folder) for p in (ROOT / folder).rglob("*.*")
                          if ".ipynb_checkpoints" not in p.parts and "__pycache__" not in p.parts)
        got = sorted(p.relative_to(target / folder) for p in (target / folder).rglob("*.*"))
        assert got == expected, folder
    assert (target / "modules" / "zh" / "home.ipynb").exists() and (target / "data" / "datapackage.json").exists()

    # The participant works in the pulled folder: edits an exercise, adds a note of their own.
    exercise = next((target / "exercises").rglob("*.ipynb"))
    mine = exercise.read_text(encoding="utf-8").replace('"cells": [', '"cells": [\n  {"cell_type": "markdown", '
                                                        '"metadata": {}, "source": ["my answer"]},', 1)
    exercise.write_text(mine, encoding="utf-8")
    (target / "my-notes.md").write_text("notes of mine", encoding="utf-8")

    # The maintainer updates the same exercise and the data README, and pushes.
    relative = exercise.relative_to(target)
    (maintainer / relative).write_text((maintainer / relative).read_text(encoding="utf-8") + "\n", encoding="utf-8")
    (maintainer / "data" / "README.md").write_text(
        (maintainer / "data" / "README.md").read_text(encoding="utf-8") + "\nUpdated upstream.\n", encoding="utf-8")
    git("commit", "-qam", "update", cwd=maintainer)
    git("push", "-q", "hub", "HEAD:main", cwd=maintainer)

    pull(url, target)  # the participant clicks the same link again
    # nbgitpuller merges: the participant's edit wins where both changed a line, upstream's other lines arrive.
    merged = exercise.read_text(encoding="utf-8")
    assert '"source": ["my answer"]' in merged and merged.rstrip() == mine.rstrip()
    assert (target / "my-notes.md").read_text(encoding="utf-8") == "notes of mine"
    assert "Updated upstream." in (target / "data" / "README.md").read_text(encoding="utf-8")
