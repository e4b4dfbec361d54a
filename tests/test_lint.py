"""ruff, with the configuration in pyproject.toml, finds nothing in the repository.

Files other branches were rewriting when this was switched on are listed in
``tests/awaiting_merge.py``: their findings are printed, not failed on, until the merge.
"""
from __future__ import annotations

import json
import subprocess
import sys
from collections import Counter
from pathlib import Path

from tests.awaiting_merge import awaiting_merge

REPO = Path(__file__).resolve().parents[1]



def ruff_findings() -> list[dict]:
    done = subprocess.run([sys.executable, "-m", "ruff", "check", "--output-format", "json", "--no-cache", "."],
                          cwd=REPO, capture_output=True, text=True, timeout=600)
    assert done.returncode in (0, 1), f"ruff did not run:\n{done.stderr[-3000:]}"
    return json.loads(done.stdout)


def _where(finding: dict) -> str:
    return Path(finding["filename"]).resolve().relative_to(REPO).as_posix()


def test_ruff_finds_nothing():
    findings = ruff_findings()
    waiting = Counter(_where(f) for f in findings if awaiting_merge(_where(f)))
    if waiting:
        print("ruff findings in files awaiting the merge:")
        for name, count in sorted(waiting.items()):
            print(f"  {count:3d}  {name}")
    failing = [f"{_where(f)}:{f['location']['row']}:{f['location']['column']}: {f['code']} {f['message']}"
               for f in findings if not awaiting_merge(_where(f))]
    assert failing == [], "\n".join(failing)


def test_ruff_configuration_names_the_rules_the_noqa_comments_use():
    # A noqa naming a rule that is not enabled is flagged by RUF100 (unused noqa), so that
    # every noqa in the code means something. Check that the rule is really on.
    done = subprocess.run([sys.executable, "-m", "ruff", "check", "--show-settings", "pyproject.toml"],
                          cwd=REPO, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr
    enabled = done.stdout.split("linter.rules.enabled", 1)[1].split("]", 1)[0]
    for code in ("RUF100", "BLE001", "E402", "F401", "F821", "E712"):
        assert f"({code})" in enabled, code
