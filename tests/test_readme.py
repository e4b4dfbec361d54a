"""The README's promises: two commands, Binder links to pages that exist."""
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_binder_badges_open_existing_pages_as_voila_app_and_lab():
    targets = re.findall(r"mybinder\.org/v2/gh/[^/]+/[^/]+/HEAD\?urlpath=([^)\s]+)", README)
    assert any(t.startswith("voila/render/") for t in targets), targets
    assert any(t.startswith("lab/tree/") for t in targets), targets
    for target in targets:
        path = target.split("/", 2)[2]
        assert (ROOT / path).exists(), f"Binder link points at a missing page: {path}"


def test_ci_runs_the_readme_test_command():
    assert "make test" in README and "make start" in README
    assert "make test" in (ROOT / ".ci" / "run").read_text()
