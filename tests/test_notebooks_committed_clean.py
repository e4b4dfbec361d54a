"""Notebooks are committed without outputs, and the Voila configuration protects users."""
import json
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted(
    p for folder in ("modules", "solutions", "exercises", "benchmarks")
    for p in (ROOT / folder).rglob("*.ipynb") if ".ipynb_checkpoints" not in p.parts
)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: str(p.relative_to(ROOT)))
def test_notebook_has_no_outputs(path):
    notebook = nbformat.read(path, as_version=4)
    for index, cell in enumerate(notebook.cells):
        if cell.cell_type == "code":
            assert cell.outputs == [], f"{path.name} cell {index + 1} has outputs"
            assert cell.execution_count is None, f"{path.name} cell {index + 1} has an execution count"


def test_voila_configuration_is_safe():
    config = json.loads((ROOT / "voila.json").read_text())
    voila = config["VoilaConfiguration"]
    assert voila["strip_sources"] is True
    assert voila["show_tracebacks"] is False
    assert any("ipynb" in rule and "py" in rule for rule in voila["file_denylist"])
    assert voila["template"] == "sp-course"
    assert config["MappingKernelManager"]["cull_idle_timeout"] > 0
    # One failing cell must not blank the rest of a learner's page (course.voila_errors shows why).
    assert config["VoilaExecutor"]["allow_errors"] is True


def test_preheated_kernels_only_for_pages_that_need_no_request():
    """A preheated kernel runs the page before anyone asks for it, so it cannot see the
    query string: the drafting form (which reads the chooser's handoff from it) must not be preheated."""
    config = json.loads((ROOT / "voila.json").read_text())
    assert config["VoilaConfiguration"]["preheat_kernel"] is True
    manager = config["VoilaKernelManager"]
    pools = manager["kernel_pools_config"]
    assert pools["default"]["pool_size"] == 0
    for notebook in pools:
        if notebook != "default":
            assert (ROOT / notebook).exists(), notebook
            assert "QUERY_STRING" not in (ROOT / notebook).read_text(encoding="utf-8")
    for lang in ("zh", "en"):
        assert f"modules/{lang}/tools/drafting.ipynb" in manager["preheat_denylist"]
        assert f"modules/{lang}/tools/drafting.ipynb" not in pools


def test_course_template_drops_the_public_cdn():
    template = (ROOT / "course" / "templates" / "sp-course" / "index.html.j2").read_text()
    upstream = Path(__import__("voila").__file__).resolve()
    lab = next(upstream.parents[3].glob("share/jupyter/voila/templates/lab/index.html.j2"), None) \
        or next(Path(__import__("sys").prefix).glob("share/jupyter/voila/templates/lab/index.html.j2"))
    cdn_links = [line.strip() for line in lab.read_text().splitlines() if "cdn.jsdelivr.net" in line]
    assert cdn_links, "Voila's lab template changed: re-check which CDN requests to drop"
    for link in cdn_links:
        assert link in template, f"the course template does not remove: {link}"
