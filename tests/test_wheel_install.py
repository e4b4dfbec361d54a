"""The course works when installed from its wheel (``pip install .``, not ``-e``) in a fresh environment.

A copy of the checkout's files (tracked and new, not ignored) is installed into a
new virtual environment without system site-packages; everything then runs from
a folder outside the checkout, with ``python -I``, so nothing can come from the
source tree. tests/fixtures/wheel_probe.py walks the installed package.
"""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import course
from course import data

REPO = Path(__file__).resolve().parents[1]
PROBE = REPO / "tests" / "fixtures" / "wheel_probe.py"
# Generous: dependencies come from pip's cache (installed without byte-compiling, which
# only costs time here), but the machine is shared.
INSTALL_TIMEOUT = 1800

pytestmark = pytest.mark.slow


def _clean_env(home: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items()
           if k not in ("PYTHONPATH", "VIRTUAL_ENV", "PYTHONHOME", "SP_COURSE_DATA", "SP_COURSE_SOURCE",
                        "SP_COURSE_LANG", "JUPYTER_PATH", "JUPYTER_CONFIG_DIR", "JUPYTER_DATA_DIR")}
    env["HOME"] = str(home)
    env.update(extra)
    return env


def _checkout_files() -> list[str]:
    listed = subprocess.run(["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
                            cwd=REPO, capture_output=True, check=True).stdout.decode().split("\0")
    return [name for name in listed if name and (REPO / name).is_file()]


@pytest.fixture(scope="module")
def installed(tmp_path_factory):
    """``(venv, outside, home)``: a fresh environment with the course installed from a wheel."""
    root = tmp_path_factory.mktemp("wheel")
    source = root / "source"
    for name in _checkout_files():
        target = source / name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(REPO / name, target)
    venv = root / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, timeout=INSTALL_TIMEOUT)
    home, outside = root / "home", root / "elsewhere"
    home.mkdir()
    outside.mkdir()
    done = subprocess.run([str(venv / "bin" / "python"), "-m", "pip", "install", "--quiet", "--no-compile", str(source)],
                          cwd=outside, env=_clean_env(home), capture_output=True, text=True,
                          timeout=INSTALL_TIMEOUT)
    assert done.returncode == 0, done.stderr[-4000:]
    return venv, outside, home


def _run(installed, *argv: str, **env: str) -> subprocess.CompletedProcess:
    venv, outside, home = installed
    return subprocess.run(list(argv), cwd=outside, env=_clean_env(home, **env), capture_output=True,
                          text=True, timeout=INSTALL_TIMEOUT)


def _probe(installed, **env: str) -> dict:
    venv = installed[0]
    done = _run(installed, str(venv / "bin" / "python"), "-I", str(PROBE), **env)
    assert done.returncode == 0, done.stderr[-4000:]
    line = [row for row in done.stdout.splitlines() if row.startswith("WHEEL-PROBE ")]
    assert line, done.stdout[-2000:] + done.stderr[-2000:]
    return json.loads(line[-1].removeprefix("WHEEL-PROBE "))


def test_installed_course_loads_every_table_and_builds_every_tool(installed):
    venv = installed[0]
    report = _probe(installed)
    assert report["errors"] == [], "\n".join(report["errors"])
    assert Path(report["package"]).is_relative_to(venv), "the course must come from the wheel, not the checkout"
    assert report["version"] == course.__version__
    # every table of the checkout's datapackage.json, from the copy inside the installed package
    assert Path(report["data_dir"]).is_relative_to(Path(report["package"]))
    assert sorted(report["tables"]) == sorted(data.list_tables())
    assert all(rows > 0 for rows in report["tables"].values()), report["tables"]
    # every module of the source package was installed and imported
    source_modules = {
        ".".join(("course", *path.relative_to(REPO / "course").with_suffix("").parts)).removesuffix(".__init__")
        for path in (REPO / "course").rglob("*.py")
    } - {"course"}
    assert source_modules <= set(report["modules"]), source_modules - set(report["modules"])
    # the quiz content, and widgets from every tool (one folder per tool in course/tools/ when it
    # exists, else the three tool views in course/widgets/)
    assert report["questions"] > 0
    tools = REPO / "course" / "tools"
    if tools.is_dir():
        expected = [f"course.tools.{p.name}." for p in tools.iterdir() if (p / "__init__.py").is_file()]
    else:
        expected = ["course.widgets.chooser.", "course.widgets.drafting.", "course.widgets.risk."]
    assert expected
    for prefix in expected:
        assert any(view.startswith(prefix) for view in report["views"]), (prefix, report["views"])


def test_every_file_of_the_package_is_installed(installed):
    """Catalogues, templates, content: whatever the package folder holds besides code is shipped."""
    venv = installed[0]
    site = next((venv / "lib").glob("python3*/site-packages"))
    shipped = [name for name in _checkout_files()
               if name.startswith("course/") and not name.endswith(".py")]
    assert any(name.endswith(".po") for name in shipped)
    missing = [name for name in shipped if not (site / name).is_file()]
    assert missing == [], f"not in the wheel (add them to [tool.setuptools.package-data]): {missing}"


def test_installed_metadata_has_the_single_source_version(installed):
    venv = installed[0]
    done = _run(installed, str(venv / "bin" / "python"), "-I", "-c",
                "import importlib.metadata as m, course; print(m.version('sp-course'), course.__version__)")
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == [course.__version__, course.__version__]


def test_a_wrong_data_folder_is_named_in_the_error(installed, tmp_path):
    venv = installed[0]
    missing = tmp_path / "no-such-folder"
    done = _run(installed, str(venv / "bin" / "python"), "-I", "-c",
                "from course import data; data.load('mandates')", SP_COURSE_DATA=str(missing))
    assert done.returncode != 0
    assert "DataError" in done.stderr and str(missing) in done.stderr and "SP_COURSE_DATA" in done.stderr


def test_sp_course_command_works_from_the_wheel(installed):
    venv = installed[0]
    sp_course = str(venv / "bin" / "sp-course")

    done = _run(installed, sp_course, "--help")
    assert done.returncode == 0 and "build-exercises" in done.stdout

    done = _run(installed, sp_course, "check")
    assert done.returncode == 0, done.stdout[-3000:]
    assert done.stdout.strip().endswith("0 problem(s)")

    done = _run(installed, sp_course, "install", "--lang", "en")
    assert done.returncode == 0, done.stderr[-3000:]
    assert (venv / "share" / "jupyter" / "voila" / "templates" / "sp-course" / "index.html.j2").is_file()

    # maintainer commands need a source checkout and say so (no traceback)
    done = _run(installed, sp_course, "parity")
    assert done.returncode == 2
    assert "SP_COURSE_SOURCE" in done.stderr and "Traceback" not in done.stderr
