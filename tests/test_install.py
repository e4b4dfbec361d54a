"""`python -m course.install` puts the template, the server settings and the hook where every server reads them."""
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from traitlets.config.loader import PyFileConfigLoader

from course import install, voila_hooks

ROOT = Path(__file__).resolve().parents[1]
EXTENSION_JSON = Path("jupyter_server_config.d") / "sp-course.json"
SERVER_JSON = Path("jupyter_server_config.json")


def installed_server_config(prefix: Path) -> dict:
    return json.loads((install.config_target(prefix) / SERVER_JSON).read_text(encoding="utf-8"))


def test_installs_template_and_server_config(tmp_path):
    template = install.install_template(tmp_path)
    assert (template / "index.html.j2").exists() and (template / "conf.json").exists()
    # The charts' plotly.js, served by Voila from the template (course.chart_widget), is the
    # installed plotly's own file under a versioned name.
    import plotly

    from course.chart_widget import plotly_file_name

    bundle = template / "static" / plotly_file_name()
    original = Path(plotly.__file__).parent / "package_data" / "plotly.min.js"
    assert bundle.read_bytes() == original.read_bytes()
    assert plotly.__version__ in bundle.name
    written = install.install_config(tmp_path)
    assert install.config_target(tmp_path) / SERVER_JSON in written
    extension = json.loads((install.config_target(tmp_path) / EXTENSION_JSON).read_text(encoding="utf-8"))
    assert extension == {"ServerApp": {"jpserver_extensions": {"course.voila_hooks": True}}}
    assert oct((install.config_target(tmp_path) / SERVER_JSON).stat().st_mode & 0o777) == "0o644"
    install.install_config(tmp_path)  # idempotent


def test_server_config_is_merged_into_what_is_there(tmp_path):
    target = install.config_target(tmp_path) / SERVER_JSON
    target.parent.mkdir(parents=True)
    target.write_text(json.dumps({"ServerApp": {"port": 9999}, "VoilaConfiguration": {"show_tracebacks": True}}))
    install.install_config(tmp_path)
    config = json.loads(target.read_text())
    assert config["ServerApp"] == {"port": 9999, "tornado_settings": {"compress_response": True},
                                   "websocket_compression_options": {}}  # theirs kept, ours added
    assert config["VoilaConfiguration"]["show_tracebacks"] is False and config["VoilaConfiguration"]["template"] == "sp-course"


def test_server_settings_match_standalone_voila_json(tmp_path):
    """JupyterLab's Voila (hub users) must serve exactly as standalone Voila does: same template, same safety."""
    install.install_config(tmp_path)
    lab = installed_server_config(tmp_path)
    standalone = json.loads((ROOT / "voila.json").read_text(encoding="utf-8"))
    for key in ("template", "strip_sources", "show_tracebacks", "file_allowlist", "file_denylist"):
        assert lab["VoilaConfiguration"][key] == standalone["VoilaConfiguration"][key], key
    assert lab["VoilaConfiguration"]["strip_sources"] is True and lab["VoilaConfiguration"]["show_tracebacks"] is False
    assert lab["MappingKernelManager"] == standalone["MappingKernelManager"]
    assert lab["MappingKernelManager"]["cull_idle_timeout"] > 0


def test_replaces_the_old_python_config_but_never_someone_elses(tmp_path):
    base = install.config_target(tmp_path)
    base.mkdir(parents=True)
    old = base / "jupyter_server_config.py"
    old.write_text(install.MARKER + "\nc.VoilaConfiguration.page_config_hook = None\n")
    install.install_config(tmp_path)
    assert not old.exists()
    old.write_text("c.ServerApp.port = 9999\n")
    install.install_config(tmp_path)
    assert old.read_text() == "c.ServerApp.port = 9999\n"


def test_hub_hides_formgrader_and_create_assignment_from_everyone(tmp_path):
    lab_config = install.config_target(tmp_path) / "labconfig" / "page_config.json"
    lab_config.parent.mkdir(parents=True)
    lab_config.write_text(json.dumps({"disabledExtensions": {"some-other:plugin": True}}))
    install.install_hub(tmp_path)
    disabled = json.loads(lab_config.read_text())["disabledExtensions"]
    assert disabled == {"some-other:plugin": True, "@jupyter/nbgrader:formgrader": True,
                        "@jupyter/nbgrader:create-assignment": True}
    server = json.loads((install.config_target(tmp_path) / "jupyter_server_config.d" / "sp-course-hub.json").read_text())
    assert server["ServerApp"]["jpserver_extensions"] == {"nbgrader.server_extensions.formgrader": False}
    # nbgrader's own file enables it: ours must be read after it (Jupyter reads a .d folder in name order).
    assert sorted(["nbgrader.json", install.HUB_SERVER_CONFIG])[-1] == install.HUB_SERVER_CONFIG


def make_course(folder: Path) -> Path:
    folder.mkdir()
    shutil.copy(ROOT / "nbgrader_config.py", folder / "nbgrader_config.py")
    return folder


def test_facilitator_gets_formgrader_back_and_nbgrader_finds_the_course(tmp_path):
    course = make_course(tmp_path / "sp-workshop")
    user = tmp_path / "home" / ".jupyter"
    install.install_facilitator(course, user)
    disabled = json.loads((user / "labconfig" / "page_config.json").read_text())["disabledExtensions"]
    assert disabled == {"@jupyter/nbgrader:formgrader": False, "@jupyter/nbgrader:create-assignment": False}
    server = json.loads((user / "jupyter_server_config.json").read_text())
    assert server["ServerApp"]["jpserver_extensions"]["nbgrader.server_extensions.formgrader"] is True
    # Load the user file as nbgrader does (from ~/.jupyter, started in another folder).
    config = PyFileConfigLoader("nbgrader_config.py", path=str(user)).load_config()
    assert config.CourseDirectory.root == str(course.resolve())
    assert config.CourseDirectory.course_id == "sp-course" and config.CourseDirectory.source_directory == "solutions"
    install.install_facilitator(course, user)  # idempotent


def test_facilitator_refuses_a_folder_that_is_no_course_and_someone_elses_config(tmp_path):
    with pytest.raises(SystemExit, match="sp-facilitator setup"):
        install.install_facilitator(tmp_path / "nothing", tmp_path / "cfg")
    course = make_course(tmp_path / "sp-workshop")
    user = tmp_path / "cfg"
    user.mkdir()
    (user / "nbgrader_config.py").write_text("c.Exchange.root = '/x'\n")
    with pytest.raises(SystemExit, match="not written by the course"):
        install.install_facilitator(course, user)
    assert (user / "nbgrader_config.py").read_text() == "c.Exchange.root = '/x'\n"


def test_hook_switches_mathjax_off():
    config = voila_hooks.page_config_hook({"fullMathjaxUrl": "https://cdn.example/x.js", "mathjaxConfig": "TeX"})
    assert config["fullMathjaxUrl"] is None and config["mathjaxConfig"] is None


class _FakeServer:
    def __init__(self):
        from traitlets.config import Config

        self.config = Config()


def test_hook_reaches_voila_configuration_when_the_extension_is_linked():
    from voila.configuration import VoilaConfiguration

    server = _FakeServer()
    voila_hooks._link_jupyter_server_extension(server)
    assert VoilaConfiguration(config=server.config).page_config_hook is voila_hooks.page_config_hook


def test_jupyter_server_reads_the_installed_settings(tmp_path):
    """A real Jupyter Server's configuration, from the installed folder only: Voila's template, culling, the hook."""
    install.install_config(tmp_path)
    env = dict(os.environ, JUPYTER_CONFIG_PATH=str(install.config_target(tmp_path)),
               JUPYTER_CONFIG_DIR=str(tmp_path / "user"))
    code = ("from jupyter_server.serverapp import ServerApp; import json; app = ServerApp(); app.load_config_file();"
            "print(json.dumps([app.config.VoilaConfiguration.template, app.config.VoilaConfiguration.strip_sources,"
            " app.config.MappingKernelManager.cull_idle_timeout]))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, cwd=tmp_path,
                          timeout=300)
    assert json.loads(done.stdout.strip().splitlines()[-1]) == ["sp-course", True, 600], done.stderr
    done = subprocess.run([sys.executable, "-m", "jupyter", "server", "extension", "list"],
                          capture_output=True, text=True, env=env, timeout=300)
    text = re.sub(r"\x1b\[[0-9;]*m", "", done.stdout + done.stderr)
    assert re.search(r"course\.voila_hooks\s+enabled", text), text
    assert re.search(r"course\.voila_hooks\s+OK", text), text


def test_every_server_compresses_responses_and_websocket_messages(tmp_path):
    """Issue 11: gzip and permessage-deflate on every serving path that reads the installed config."""
    install.install_config(tmp_path)
    lab = installed_server_config(tmp_path)
    assert lab["ServerApp"]["tornado_settings"]["compress_response"] is True
    assert lab["ServerApp"]["websocket_compression_options"] == {}
    standalone = install.install_voila_config(tmp_path).read_text(encoding="utf-8")
    assert '"compress_response": True' in standalone and "page_config_hook" in standalone
