"""The shared-machine rules of a JupyterHub workshop, without a hub (tests/hub runs a real one)."""
import os
import shutil
import tempfile
from pathlib import Path

import pytest
from traitlets.config import Config

from course import storage
from course.grading import cli, exchange
from course.tools.common import public_server_warning


def keys(problems):
    return [p.key for p in problems]


def test_exchange_must_be_sticky_world_writable_and_roots(tmp_path):
    root = tmp_path / "exchange"
    assert keys(exchange.exchange_problems(root)) == ["hub.exchange.missing"]
    root.mkdir()
    root.chmod(0o777)  # what `chmod ugo+rw` style set-ups give: no sticky bit
    found = keys(exchange.exchange_problems(root))
    assert "hub.exchange.not_sticky" in found
    root.chmod(0o1777)
    found = keys(exchange.exchange_problems(root))
    assert "hub.exchange.not_sticky" not in found and "hub.exchange.not_writable" not in found
    assert ("hub.exchange.not_root" in found) == (os.getuid() != 0)
    root.chmod(0o1755)
    assert "hub.exchange.not_writable" in keys(exchange.exchange_problems(root))


def test_open_homes_are_reported(tmp_path):
    (tmp_path / "p01").mkdir(mode=0o755)
    (tmp_path / "p01").chmod(0o755)
    (tmp_path / "p02").mkdir()
    (tmp_path / "p02").chmod(0o700)
    problems = exchange.home_problems(exchange.user_homes(tmp_path))
    assert [p.values["path"].name for p in problems] == ["p01"]
    assert "chmod 700" in problems[0].text("en") and "chmod 700" in problems[0].text("zh")


@pytest.fixture
def open_tmp():
    """A folder every user can reach (pytest's own tmp_path sits in a 0700 folder)."""
    folder = Path(tempfile.mkdtemp(prefix="sp-hub-rules-"))
    folder.chmod(0o755)
    yield folder
    shutil.rmtree(folder)


def test_python_no_other_user_can_reach_is_reported(open_tmp):
    tmp_path = open_tmp
    locked = tmp_path / "root-only"
    (locked / "bin").mkdir(parents=True)
    python = locked / "bin" / "python3"
    python.write_text("")
    python.chmod(0o755)
    tmp_path.chmod(0o755)
    locked.chmod(0o700)
    problems = exchange.world_access_problems([python])
    assert problems and problems[0].values["blocked"] == locked
    locked.chmod(0o755)
    assert exchange.world_access_problems([python]) == []


def test_roster_ids_must_be_user_names():
    problems = exchange.roster_problems(["p01", "root"], user_exists=lambda name: name == "root")
    assert [p.values["participant"] for p in problems] == ["p01"]


def test_planted_submission_is_set_aside_and_kept(tmp_path):
    inbound = tmp_path / "inbound"
    inbound.mkdir()
    real = inbound / "p01+m1-facts-en+2026-11-30 02:00:00.000000 UTC+abc"
    planted = inbound / "p01+m1-facts-en+2026-11-30 03:00:00.000000 UTC+xyz"
    other = inbound / "p02+m2-mandates-en+2026-11-30 03:00:00.000000 UTC+q"
    for folder in (real, planted, other):
        folder.mkdir()
    owners = {real.name: "p01", planted.name: "p02", other.name: "p01"}
    refused = exchange.refuse_impostors(inbound, "m1-facts-en", owner_of=lambda p: owners[p.name])
    assert [(r.claimed, r.owner) for r in refused] == [("p01", "p02")]
    assert not planted.exists() and Path(refused[0].moved_to).is_dir()
    assert real.is_dir() and other.is_dir()  # the real one, and other assignments, untouched
    assert exchange.submitters(inbound, "m1-facts-en") == {"p01"}
    assert "p02" in refused[0].text("zh") and "REFUSED" in refused[0].text("en")
    # Containers (Zero to JupyterHub): every entry belongs to jovyan; ownership proves nothing there.
    assert exchange.refuse_impostors(inbound, "m1-facts-en", owner_of=lambda p: "jovyan") == []


def test_every_nbgrader_warning_is_surfaced():
    log = ("[INFO] Processing 2 submissions\n"
           "[WARNING] \n/srv/x/p01+m1+t+r claims to be submitted by p01 but is owned by p02; cheating attempt?\n"
           "you may disable this warning by unsetting the option CollectApp.check_owner\n"
           "[INFO] Collecting submission: p01 m1\n[ERROR] something else\n")
    found = exchange.nbgrader_warnings(log)
    assert len(found) == 2 and "cheating attempt?" in found[0] and found[1] == "[ERROR] something else"


def test_exchange_comes_from_the_system_config_unless_the_course_sets_it():
    system = Config()
    system.Exchange.root = "/srv/ours"
    assert exchange.exchange_root(Config(), system) == Path("/srv/ours")
    course = Config()
    course.Exchange.root = "/srv/env"
    assert exchange.exchange_root(course, system) == Path("/srv/env")
    assert exchange.exchange_root(Config(), Config()) == Path(exchange.DEFAULT_ROOT)


def test_release_exchange_without_exchange_says_how_to_make_it(tmp_path, monkeypatch, capsys):
    monkeypatch.delenv("SP_COURSE_EXCHANGE", raising=False)
    monkeypatch.setenv("JUPYTER_CONFIG_PATH", str(tmp_path / "etc"))
    monkeypatch.setenv("JUPYTER_CONFIG_DIR", str(tmp_path / "user"))
    (tmp_path / "etc").mkdir()
    (tmp_path / "etc" / "nbgrader_config.py").write_text(f"c.Exchange.root = {str(tmp_path / 'nowhere')!r}\n")
    course = tmp_path / "course"
    (course / "solutions" / "m1-facts-en").mkdir(parents=True)
    (course / "nbgrader_config.py").write_text('c.CourseDirectory.course_id = "sp-course"\n')
    assert cli.main(["release", "--course", str(course), "--exchange", "m1-facts-en"]) == 2
    err = capsys.readouterr().err
    assert "Traceback" not in err and "install -d -o root -g root -m 1777" in err and "nowhere" in err


@pytest.mark.parametrize("env,kind", [
    ({}, "local"),
    ({"JUPYTERHUB_API_URL": "http://127.0.0.1:8081/hub/api"}, "hub"),
    ({"JUPYTERHUB_API_URL": "http://hub/api", "BINDER_LAUNCH_HOST": "https://mybinder.org/"}, "binder"),
    ({"SP_COURSE_PUBLIC": "1"}, "binder"),
])
def test_server_kind(env, kind):
    assert storage.server_kind(env) == kind


@pytest.mark.parametrize("lang,vanish", [("en", "disappear"), ("zh", "删除")])
def test_hub_warning_does_not_say_files_vanish(lang, vanish):
    binder = public_server_warning(lang, {"BINDER_LAUNCH_HOST": "https://mybinder.org/"}).value
    hub = public_server_warning(lang, {"JUPYTERHUB_API_URL": "http://127.0.0.1:8081/hub/api"}).value
    assert vanish in binder and vanish not in hub
    assert "JupyterHub" in hub and hub != public_server_warning(lang, {}).value
