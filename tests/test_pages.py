"""What the page hook tells the template about each page, tested without a server."""
from __future__ import annotations

from pathlib import Path

import pytest

from course import install, pages, voila_hooks

ROOT = Path(__file__).resolve().parents[1]
COURSE_PAGES = sorted(p.relative_to(ROOT).as_posix() for p in (ROOT / "modules").glob("*/**/*.ipynb")
                      if ".ipynb_checkpoints" not in p.parts)


@pytest.mark.parametrize("path", COURSE_PAGES)
def test_every_course_page_has_its_language_and_a_human_title(path):
    notebook = pages.read_notebook(ROOT / path)
    lang = path.split("/")[1]
    assert pages.page_lang(notebook, path) == {"zh": "zh-CN", "en": "en"}[lang]
    title = pages.page_title(notebook, path)
    assert "ipynb" not in title and title != Path(path).stem
    assert title.startswith(pages.page_heading(notebook, path))
    assert ("联合国特别程序" if lang == "zh" else "UN Special Procedures") in title


def test_language_from_the_folder_when_metadata_is_silent():
    notebook = {"cells": [{"cell_type": "markdown", "source": "# 来文类型选择工具\n\n正文"}], "metadata": {}}
    assert pages.page_lang(notebook, "modules/zh/tools/chooser.ipynb") == "zh-CN"
    assert pages.page_title(notebook, "modules/zh/tools/chooser.ipynb") == "来文类型选择工具 · 联合国特别程序课程"
    assert pages.page_lang({"cells": [], "metadata": {}}, "benchmarks/one_slider.ipynb") == "en"


def test_title_drops_markdown_marks():
    notebook = {"cells": [{"cell_type": "markdown", "source": ["# *Module 1*: [the `experts`](x.ipynb)\n"]}],
                "metadata": {"sp_course": {"lang": "en"}}}
    assert pages.first_heading(notebook) == "Module 1: the experts"


def test_hook_drops_plotly_and_lab_only_extensions_from_every_page():
    """Voila loads every listed extension before it draws a widget; charts fetch plotly.js
    themselves (course.chart_widget), so no page lists plotly's."""
    extensions = [{"name": name} for name in ("jupyterlab-plotly", "@jupyter-widgets/jupyterlab-manager",
                                              "@voila-dashboards/widgets-manager8", "@jupyter/nbgrader")]

    def config_for(path):
        return voila_hooks.page_config_hook(
            {"federated_extensions": list(extensions), "fullLabextensionsUrl": "/voila/labextensions"},
            settings={}, notebook_path=str(ROOT / path), base_url="/")

    home = config_for("modules/zh/home.ipynb")
    assert [e["name"] for e in home["federated_extensions"]] == [
        "@jupyter-widgets/jupyterlab-manager", "@voila-dashboards/widgets-manager8"]
    assert home["spCourse"]["htmlLang"] == "zh-CN" and home["spCourse"]["mode"] == "jupyter"
    module = config_for("modules/en/01-what-they-are.ipynb")
    assert [e["name"] for e in module["federated_extensions"]] == [
        "@jupyter-widgets/jupyterlab-manager", "@voila-dashboards/widgets-manager8"]


def test_hook_marks_hashed_lab_extension_files_immutable():
    settings: dict = {"static_immutable_cache": ["/lab/static/"]}
    voila_hooks.page_config_hook({}, settings=settings, base_url="/user/ana/", notebook_path=None)
    immutable = settings["static_immutable_cache"]
    assert "/lab/static/" in immutable
    assert any(p.startswith("/user/ana/voila/labextensions/@jupyter-widgets/jupyterlab-manager/static")
               for p in immutable)


def test_standalone_voila_gets_the_gzip_it_asks_for():
    from tornado.web import Application, GZipContentEncoding

    class FakeVoila:
        notebook_path = ""

    app = Application()
    FakeVoila.app = app
    settings = {"compress_response": True, "voila": FakeVoila()}
    voila_hooks.page_config_hook({}, settings=settings, notebook_path=None)
    assert GZipContentEncoding in app.transforms
    assert voila_hooks.serving_mode(settings) == "voila"


def test_install_writes_standalone_voila_config(tmp_path):
    target = install.install_voila_config(tmp_path)
    text = target.read_text()
    assert "page_config_hook" in text and "compress_response" in text and install.MARKER in text
    target.write_text("c.Voila.port = 1\n")
    with pytest.raises(SystemExit):
        install.install_voila_config(tmp_path)
