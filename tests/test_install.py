"""`python -m course.install` puts the template and the server hook in place, safely."""
import pytest

from course import install, voila_hooks


def test_installs_template_and_server_config(tmp_path):
    template = install.install_template(tmp_path)
    assert (template / "index.html.j2").exists() and (template / "conf.json").exists()
    config = install.install_server_config(tmp_path)
    assert "page_config_hook" in config.read_text() and install.MARKER in config.read_text()
    install.install_server_config(tmp_path)  # idempotent


def test_refuses_to_overwrite_someone_elses_server_config(tmp_path):
    target = install.server_config_target(tmp_path)
    target.parent.mkdir(parents=True)
    target.write_text("c.ServerApp.port = 9999\n")
    with pytest.raises(SystemExit):
        install.install_server_config(tmp_path)
    assert target.read_text() == "c.ServerApp.port = 9999\n"


def test_hook_switches_mathjax_off():
    config = voila_hooks.page_config_hook({"fullMathjaxUrl": "https://cdn.example/x.js", "mathjaxConfig": "TeX"})
    assert config["fullMathjaxUrl"] is None and config["mathjaxConfig"] is None
