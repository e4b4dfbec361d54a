"""The test guard's rules, without a kernel (fast): what a scan of the answers flags, and what it leaves alone."""
from __future__ import annotations

import ast
import json
from pathlib import Path

import pytest

from course.grading import guard, parallel, sandbox

ROOT = Path(__file__).resolve().parents[1]
HOSTILE = ROOT / "tests" / "fixtures" / "grading" / "hostile"
CASE_P07 = ROOT.parent / "shared" / "cases" / "grading" / "p07_m1-facts-en__answer_reads_gradebook.ipynb"


def _load(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


@pytest.mark.parametrize("name, expected", [
    ("reads_course.ipynb", ["imports glob", "gradebook", "roster", "solutions"]),
    ("rewrites_gradebook.ipynb", ["imports sqlite3", "imports subprocess", "gradebook"]),
    ("deletes_outside.ipynb", ["uses os.chdir", "uses os.remove"]),
    ("network.ipynb", ["imports socket"]),
    ("always_equal_float.ipynb", ["defines class AlwaysEqual that changes comparisons"]),
    ("shadows_len_sorted.ipynb", ["rebinds len", "rebinds sorted"]),
    ("input_transformer.ipynb", ["uses .input_transformers_cleanup", "calls get_ipython()"]),
    ("redefines_check.ipynb", ["defines check, a name the tests rely on", "changes course.tools.drafting.rules.check"]),
])
def test_every_hostile_fixture_is_flagged_by_the_scan(name, expected):
    found = " ".join(guard.scan_answers(_load(HOSTILE / name)))
    for phrase in expected:
        assert phrase in found, (name, phrase, found)


def test_the_case_that_reads_the_gradebook_is_flagged_by_the_scan():
    found = " ".join(guard.scan_answers(_load(CASE_P07)))
    assert "q1_joint_share:" in found and "imports sqlite3" in found and "gradebook" in found


def test_no_reference_answer_and_no_released_notebook_is_flagged():
    paths = sorted((ROOT / "solutions").glob("*/*.ipynb")) + sorted((ROOT / "exercises").glob("*/*.ipynb"))
    assert len(paths) >= 16
    for path in paths:
        assert guard.scan_answers(_load(path)) == [], path


@pytest.mark.parametrize("source", [
    "total = sum(values)\nlabels = sorted(set(names))",
    "items = [1, 2]\nitems.remove(1)\nresult = df.eval('a + b')",
    "import plotly.express as px\nfig = px.bar(x=[1], y=[2])",
    "import datetime as dt\nfrom collections import Counter",
])
def test_ordinary_answers_are_not_flagged(source):
    assert guard.scan_source(source, {"pd", "check"}) == []


@pytest.mark.parametrize("source, phrase", [
    ("!cat ~/roster.csv", "runs an IPython command"),
    ("%system ls /", "runs an IPython command"),
    ("exec(bytes.fromhex('7072696e74').decode())", "calls exec()"),
    ("__builtins__.len = lambda x: 5", "uses __builtins__"),
    ("import builtins\nbuiltins.len = lambda x: 5", "imports builtins"),
    ("check = lambda *a: None", "rebinds check"),
    ("class Rigged:\n    __eq__ = lambda s, o: True", "defines class Rigged"),
    ("x = (1).__class__.__subclasses__()", "uses .__subclasses__"),
    ("get_ipython().showtraceback = lambda *a, **k: None", "uses .showtraceback"),
    ("def broken(:\n    pass", "cannot parse"),
])
def test_reaching_for_the_machinery_is_flagged(source, phrase):
    assert phrase in " ".join(guard.scan_source(source, {"pd", "check"}))


def test_setup_names_are_the_imports_of_locked_cells():
    nb = _load(ROOT / "exercises" / "m3-communications-en" / "m3-communications-en.ipynb")
    assert {"pd", "data", "check", "Submission", "communication_timeline"} <= guard.setup_names(nb)


def test_the_guard_is_one_valid_expression_for_every_phase():
    for phase in ("init", "setup", "pre", "post"):
        ast.parse(guard.guard_expression(phase, "abc123"), mode="eval")
    compile(guard.GUARD_SOURCE, "<guard>", "exec")


def test_findings_in_an_executed_notebook_become_a_check_by_hand_problem(tmp_path):
    folder = tmp_path / "autograded" / "p01" / "m1-facts-en"
    folder.mkdir(parents=True)
    nb = {"cells": [], "metadata": {sandbox.METADATA_KEY: {"sandbox": "bwrap", "findings": [
        "len shadows the built-in of that name", "answer cell q1: imports sqlite3"]}}, "nbformat": 4}
    (folder / "m1-facts-en.ipynb").write_text(json.dumps(nb), encoding="utf-8")
    problems = parallel.findings_after_run(tmp_path, "m1-facts-en", "p01", "m1-facts-en")
    assert [p.code for p in problems] == ["tampering"]
    problem = problems[0]
    assert not problem.repaired and not problem.fatal
    assert "check by hand" in problem.line("en") and "imports sqlite3" in problem.line("en")
    assert "请人工核查" in problem.line("zh") and "操纵测试" in problem.line("zh")
    assert sandbox.findings(nb) == ("bwrap", nb["metadata"][sandbox.METADATA_KEY]["findings"])


def test_the_unavailable_message_explains_the_risk_and_the_flag_in_both_languages():
    english = sandbox.unavailable_message("grading.sandbox.not_linux", "en")
    assert "does not run Linux" in english and "--no-sandbox" in english and "gradebook" in english
    chinese = sandbox.unavailable_message("grading.sandbox.not_linux", "zh")
    assert "不是 Linux" in chinese and "--no-sandbox" in chinese and "成绩册" in chinese
