"""Hostile submissions, graded for real: nothing read or changed outside the copy, and no cheat scores in silence.

One course folder is set up per session under ``/tmp/sp-hostile-*`` (where the
fixtures' attacks look for it), with a roster of fictional people, a canary file
beside it, and the hostile notebooks of ``tests/fixtures/grading/hostile/`` plus the
case ``../shared/cases/grading/p07_m1-facts-en__answer_reads_gradebook.ipynb`` as
submissions. ``sp-facilitator autograde --jobs 2`` grades them with the sandbox on
(workers started with ``spawn``); each test then checks the course folder, the
canary, the gradebook, the process table and the report.

A control test runs the same attacks with no sandbox, to show that each of them
does work against an unconfined kernel, so the checks can fail.

Needs bubblewrap (Debian package ``bubblewrap``). Without it these tests are
skipped on a developer's machine and FAIL under CI (``CI=true``).
"""
from __future__ import annotations

import base64
import json
import os
import shutil
import socket
import sqlite3
import tempfile
import threading
import time
import warnings
from pathlib import Path

import pytest

from course.grading import cli, parallel, results, sandbox

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[1]
HOSTILE = ROOT / "tests" / "fixtures" / "grading" / "hostile"
CASES = Path(os.environ.get("SP_SHARED", ROOT.parent / "shared")) / "cases" / "grading"
CASE_P07 = CASES / "p07_m1-facts-en__answer_reads_gradebook.ipynb"
PORT = 47105
SECRET_NAME = "Quillonbrae"  # a fictional family name on the roster: must appear in no output

M1 = {  # participant -> fixture
    "readsx": "reads_course.ipynb", "rewrite": "rewrites_gradebook.ipynb", "deletes": "deletes_outside.ipynb",
    "network": "network.ipynb", "floateq": "always_equal_float.ipynb", "shadows": "shadows_len_sorted.ipynb",
    "transf": "input_transformer.ipynb",
}


def _require_sandbox():
    reason = sandbox.check_sandbox()
    if reason:
        message = f"no working bubblewrap sandbox here: {reason} (apt-get install bubblewrap)"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)


class _Listener:
    """A TCP server on the host's loopback that counts connections (the network attack aims at it)."""

    def __init__(self):
        self.count = 0
        self.sock = socket.socket()
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.sock.bind(("127.0.0.1", PORT))
        self.sock.listen(8)
        self.sock.settimeout(0.5)
        self.running = True
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()

    def _run(self):
        while self.running:
            try:
                conn, _ = self.sock.accept()
                self.count += 1
                conn.close()
            except OSError:
                continue

    def close(self):
        self.running = False
        self.thread.join(2)
        self.sock.close()


def _submit(root: Path, participant: str, assignment: str, source: Path) -> None:
    folder = root / "submitted" / participant / assignment
    folder.mkdir(parents=True, exist_ok=True)
    shutil.copy(source, folder / f"{assignment}.ipynb")


@pytest.fixture(scope="session")
def hostile():
    """``(base, course root, connections seen by the listener)`` after autograde with the sandbox on."""
    _require_sandbox()
    warnings.simplefilter("ignore")
    base = Path(tempfile.mkdtemp(prefix="sp-hostile-"))
    listener = _Listener()
    try:
        root = base / "course"
        (base / "canary.txt").write_text("the facilitator's own file", encoding="utf-8")
        roster = base / "roster.csv"
        people = ["sol", "p07", *M1, "fakechk"]
        roster.write_text("id,first_name,last_name\n" + "".join(f"{p},Tamsin,{SECRET_NAME}\n" for p in people),
                          encoding="utf-8")
        assert cli.main(["setup", "--course", str(root), "--roster", str(roster)]) == 0
        for assignment in ("m1-facts-en", "m3-communications-en"):
            _submit(root, "sol", assignment, ROOT / "solutions" / assignment / f"{assignment}.ipynb")
        _submit(root, "p07", "m1-facts-en", CASE_P07)
        for participant, name in M1.items():
            _submit(root, participant, "m1-facts-en", HOSTILE / name)
        _submit(root, "fakechk", "m3-communications-en", HOSTILE / "redefines_check.ipynb")
        before = (root / "gradebook.db").stat().st_mtime
        assert cli.main(["autograde", "--course", str(root), "m1-facts-en", "m3-communications-en",
                         "--jobs", "2", "--timeout", "240", "--cell-timeout", "30"]) == 0
        assert (root / "gradebook.db").stat().st_mtime >= before
        time.sleep(8)  # the detached child of `rewrite` would strike 4 s after its cell, if it were alive
        yield base, root, listener.count
    finally:
        listener.close()
        shutil.rmtree(base, ignore_errors=True)


def _outcomes(root: Path, assignment: str) -> dict[str, dict]:
    report = json.loads((root / "grading-reports" / f"autograde-{assignment}.json").read_text(encoding="utf-8"))
    return {o["participant"]: o for o in report["outcomes"]}


def _scores(root: Path) -> dict[tuple[str, str], dict]:
    rows = results.gradebook_scores(f"sqlite:///{root / 'gradebook.db'}")
    return {(line["participant"], line["assignment"]): line for line in results.wide_table(rows)}


def _flagged(outcome: dict) -> list[str]:
    return [p["detail"] for p in outcome["problems"] if p["code"] == "tampering"]


def _outputs(root: Path, participant: str, assignment: str = "m1-facts-en") -> str:
    nb = json.loads((root / "autograded" / participant / assignment / f"{assignment}.ipynb").read_text(
        encoding="utf-8"))
    return "\n".join(json.dumps(c.get("outputs", []), ensure_ascii=False) for c in nb["cells"])


def _stolen(text: str) -> str:
    encoded = text.split("STOLEN-BASE64 ", 1)[1].split("\\n", 1)[0]
    return base64.b64decode(encoded).decode("utf-8", "replace")


# --------------------------------------------------------------------------- the control: no sandbox

def test_without_the_sandbox_the_same_attacks_do_reach_the_course(monkeypatch):
    """Proves the checks below can fail: unconfined, the attacks read and delete the facilitator's files.

    Runs first (before the session's course under /tmp/sp-hostile-* exists), with its own
    home folder, where the attacks also look (``~/sp-*``, ``~/sp-hostile-canary.txt``).
    """
    import nbformat

    base = Path(tempfile.mkdtemp(prefix="sp-control-"))
    monkeypatch.setenv("HOME", str(base))
    try:
        course = base / "sp-course"
        work = course / "autograded" / "x" / "m1-facts-en"
        work.mkdir(parents=True)
        (course / "gradebook.db").write_bytes(b"gradebook of the control course")
        (base / "roster.csv").write_text(f"id,last_name\nx,{SECRET_NAME}\n", encoding="utf-8")
        (base / "sp-hostile-canary.txt").write_text("control canary", encoding="utf-8")
        for name in ("reads_course.ipynb", "deletes_outside.ipynb"):
            nb = nbformat.read(HOSTILE / name, as_version=4)
            runner = sandbox.SandboxedExecute(timeout=60, sandbox="off")
            nb, _ = runner.preprocess(nb, {"metadata": {"path": str(work)}})
            text = "\n".join(json.dumps(c.get("outputs", [])) for c in nb.cells)
            if name == "reads_course.ipynb":
                assert SECRET_NAME in _stolen(text) and "gradebook of the control course" in _stolen(text)
            else:
                assert not (base / "sp-hostile-canary.txt").exists()
            assert sandbox.findings(nb)[0] == "off" and sandbox.findings(nb)[1]
    finally:
        shutil.rmtree(base, ignore_errors=True)


# --------------------------------------------------------------------------- reading and leaking

def test_an_answer_sees_no_course_folder_gradebook_roster_solutions_or_home(hostile):
    base, root, _ = hostile
    text = _outputs(root, "readsx")
    assert "STOLEN-COUNT 0" in text, text[:2000]
    assert _stolen(text) == "[]"
    assert SECRET_NAME not in text
    assert not (root / "written-by-a-submission.txt").exists()
    assert _flagged(_outcomes(root, "m1-facts-en")["readsx"]), "reaching for the course folder is flagged"


def test_the_case_that_read_the_gradebook_finds_nothing_scores_its_answers_and_is_flagged(hostile):
    _, root, _ = hostile
    text = _outputs(root, "p07")
    assert '\\"course_root\\": \\"None\\"' in text, text[:1500]
    assert "students" not in text and "others" not in text
    assert _scores(root)[("p07", "m1-facts-en")]["auto_score"] == 8, "its answers are right"
    flagged = " ".join(_flagged(_outcomes(root, "m1-facts-en")["p07"]))
    assert "sqlite3" in flagged and "gradebook" in flagged


def test_no_output_of_any_submission_carries_the_roster_or_the_gradebook(hostile):
    _, root, _ = hostile
    for participant in ["p07", *M1]:
        text = _outputs(root, participant)
        assert SECRET_NAME not in text, (participant, text[max(0, text.find(SECRET_NAME) - 300):][:600])
        assert "gradebook of" not in text and "sp-course" not in text, participant


# --------------------------------------------------------------------------- changing things

def test_gradebook_rewrites_from_a_cell_and_from_a_detached_child_change_nothing(hostile):
    _, root, _ = hostile
    with sqlite3.connect(root / "gradebook.db") as connection:
        manual = connection.execute("select count(*) from grade where manual_score is not null").fetchone()[0]
    assert manual == 0, "no grade was written by a submission"
    line = _scores(root)[("rewrite", "m1-facts-en")]
    assert line["q:q1_tests"] == 0 and line["auto_score"] == 6, line
    assert _flagged(_outcomes(root, "m1-facts-en")["rewrite"])


def test_no_process_started_by_a_submission_outlives_its_grading(hostile):
    leftovers = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                command = (entry / "cmdline").read_bytes().replace(b"\0", b" ")
            except OSError:
                continue
            if b"sp-hostile-daemon" in command:
                leftovers.append(command[:120])
    assert leftovers == []


def test_deleting_a_file_outside_the_copy_fails(hostile):
    base, root, _ = hostile
    assert (base / "canary.txt").read_text(encoding="utf-8") == "the facilitator's own file"
    assert "removed" not in _outputs(root, "deletes")
    assert _scores(root)[("deletes", "m1-facts-en")]["auto_score"] == 8


def test_the_network_is_out_of_reach(hostile):
    _, root, connections = hostile
    assert "REACHED []" in _outputs(root, "network")
    assert connections == 0, "nothing connected to the host's loopback"


# --------------------------------------------------------------------------- cheats on the tests

def test_a_redefined_check_does_not_pass_the_draft_test(hostile):
    _, root, _ = hostile
    line = _scores(root)[("fakechk", "m3-communications-en")]
    assert line["q:q4_tests"] == 0, line
    assert _scores(root)[("sol", "m3-communications-en")]["q:q4_tests"] == 3
    flagged = " ".join(_flagged(_outcomes(root, "m3-communications-en")["fakechk"]))
    assert "check" in flagged and "course.tools.drafting.rules.check was replaced" in flagged


def test_an_always_equal_float_scores_nothing_and_is_flagged(hostile):
    _, root, _ = hostile
    assert _scores(root)[("floateq", "m1-facts-en")]["q:q1_tests"] == 0
    assert "AlwaysEqual" in " ".join(_flagged(_outcomes(root, "m1-facts-en")["floateq"]))


def test_shadowed_len_and_sorted_do_not_fool_the_tests(hostile):
    _, root, _ = hostile
    line = _scores(root)[("shadows", "m1-facts-en")]
    assert line["q:q3_tests"] == 0 and line["q:q1_tests"] == 2, line
    flagged = " ".join(_flagged(_outcomes(root, "m1-facts-en")["shadows"]))
    assert "len shadows the built-in" in flagged and "sorted shadows the built-in" in flagged


def test_an_input_transformer_cannot_blank_the_tests(hostile):
    _, root, _ = hostile
    line = _scores(root)[("transf", "m1-facts-en")]
    assert line["q:q1_tests"] == 0 and line["auto_score"] == 6, line
    assert "cleanup_transforms were changed" in " ".join(_flagged(_outcomes(root, "m1-facts-en")["transf"]))


def test_honest_work_is_graded_in_full_and_not_flagged(hostile):
    _, root, _ = hostile
    scores = _scores(root)
    assert scores[("sol", "m1-facts-en")]["auto_score"] == 8
    for assignment in ("m1-facts-en", "m3-communications-en"):
        outcome = _outcomes(root, assignment)["sol"]
        assert outcome["status"] == "graded" and outcome["problems"] == [], outcome


def test_flagged_submissions_reach_the_csv_and_the_follow_up_list(hostile, tmp_path):
    _, root, _ = hostile
    out = tmp_path / "grades.csv"
    assert cli.main(["export", "--course", str(root), "--output", str(out)]) == 0
    text = out.read_text(encoding="utf-8-sig")
    for participant in ("p07", "floateq", "fakechk"):
        row = next(line for line in text.splitlines() if line.split(",")[0].strip('"') == participant)
        assert "tampering" in row, row


# --------------------------------------------------------------------------- no sandbox here

def test_autograde_refuses_without_a_sandbox_in_both_languages(tmp_path, monkeypatch, capsys):
    (tmp_path / "solutions" / "m1-facts-en").mkdir(parents=True)
    monkeypatch.setenv("SP_BWRAP", str(tmp_path / "no-bwrap-here"))
    sandbox.check_sandbox.cache_clear()
    try:
        assert cli.main(["autograde", "--course", str(tmp_path), "m1-facts-en"]) == 2
        err = capsys.readouterr().err
        assert "bubblewrap (bwrap) is not installed" in err and "--no-sandbox" in err and "your rights" in err
        assert cli.main(["--lang", "zh", "autograde", "--course", str(tmp_path), "m1-facts-en"]) == 2
        err = capsys.readouterr().err
        assert "没有安装 bubblewrap" in err and "--no-sandbox" in err and "以您的权限运行" in err
        with pytest.raises(sandbox.SandboxUnavailable):
            sandbox.SandboxedExecute(sandbox="bwrap").preprocess(
                __import__("nbformat").v4.new_notebook(), {"metadata": {"path": str(tmp_path)}})
    finally:
        monkeypatch.delenv("SP_BWRAP")
        sandbox.check_sandbox.cache_clear()


def test_the_sandbox_binds_no_course_folder_and_no_home(tmp_path):
    args = sandbox.jail_arguments(tmp_path / "w", tmp_path / "s")
    bound = [args[i + 2] for i, a in enumerate(args) if a in ("--bind", "--ro-bind", "--ro-bind-try")]
    home = str(Path.home())
    for target in bound:
        assert target != home and not (target != "/usr" and home.startswith(target + "/")), target
        assert target != "/" and not target.endswith(("/solutions", "/exercises", "/submitted"))
    assert "--unshare-all" in args and "--die-with-parent" in args and "--clearenv" in args
    assert args[args.index("--cap-drop") + 1] == "ALL"
    grading = str(Path(sandbox.__file__).resolve().parent)
    assert args[args.index(grading) - 1] == "--tmpfs", "the exercise specs (solutions) are masked"


def test_workers_start_with_spawn():
    assert parallel.START_METHOD == "spawn"
