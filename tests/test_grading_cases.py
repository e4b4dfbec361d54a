"""Real-world inputs that graded wrongly in silence, blocked feedback or broke records (issue 9, part B).

The case files are copies of ``../shared/cases/`` in ``tests/fixtures/cases/`` (fictional
people). Everything here runs without nbgrader or a kernel; ``test_grading_cases_nbgrader.py``
runs the same cases through a real course folder.
"""
from __future__ import annotations

import base64
import copy
import csv
import io
import json
import os
import time
import zipfile
from datetime import datetime, timezone
from pathlib import Path

import nbformat
import pytest

from course.grading import cli, collect, hidden, inspect, results

ROOT = Path(__file__).resolve().parents[1]
CASES = ROOT / "tests" / "fixtures" / "cases" / "grading"
INPUT_CASE = CASES / "p02_m1-facts-en__answer_calls_input.ipynb"
WIDGET_CASE = CASES / "p06_m1-facts-en__widget_metadata_without_state.ipynb"
IMAGE_CASE = CASES / "p02_m4-safety-en__written_answer_with_web_image.ipynb"
ZIP_CASE = CASES / "p02_m1-facts-zh__zip_with_worked_copy.zip"


@pytest.fixture(autouse=True)
def _english_unless_asked(monkeypatch):
    monkeypatch.delenv("SP_COURSE_LANG", raising=False)


def _release(assignment: str) -> dict:
    return json.loads((ROOT / "exercises" / assignment / f"{assignment}.ipynb").read_text(encoding="utf-8"))


def _solution(assignment: str) -> dict:
    return json.loads((ROOT / "solutions" / assignment / f"{assignment}.ipynb").read_text(encoding="utf-8"))


def _gid(cell):
    meta = (cell.get("metadata") or {}).get("nbgrader")
    return meta.get("grade_id") if isinstance(meta, dict) else None


def _source(cell) -> str:
    source = cell.get("source", "")
    return "".join(source) if isinstance(source, list) else source


def _codes(problems) -> list[str]:
    return [p.code for p in problems]


def _has_chinese(text: str) -> bool:
    return any("\u4e00" <= ch <= "\u9fff" for ch in text)


# --------------------------------------------------------------------------- keyboard input

def test_answer_calling_input_gets_an_empty_answer_and_is_reported():
    result = inspect.inspect_submission(INPUT_CASE, _release("m1-facts-en"))
    assert result.gradable
    problem = next(p for p in result.problems if p.code == "keyboard_input")
    assert problem.repaired and "q1_joint_share" in problem.detail
    cells = result.notebook["cells"]
    stub_at = next(i for i, c in enumerate(cells) if c.get("id") == inspect.INPUT_STUB_ID)
    assert _gid(cells[stub_at + 1]) == "q1_joint_share", "the stub runs just before the answer that asks"
    assert _has_chinese(problem.line("zh")) and "input()" in problem.line("zh")


def test_the_input_stub_lets_the_rest_of_the_answer_run():
    """Run the stub and the participant's answer as the kernel would (plain Python, no keyboard)."""
    result = inspect.inspect_submission(INPUT_CASE, _release("m1-facts-en"))
    cells = result.notebook["cells"]
    stub_at = next(i for i, c in enumerate(cells) if c.get("id") == inspect.INPUT_STUB_ID)
    namespace = {"v": {"communications_joint": 596, "communications_sent": 665}}
    exec(_source(cells[stub_at]), namespace)
    exec(_source(cells[stub_at + 1]), namespace)
    assert namespace["joint_share"] == 89.6


@pytest.mark.parametrize("source, expected", [
    ("name = input('Your name: ')", True),
    ("x = int(input())\n", True),
    ("%time y = input()", True),                 # a magic: not Python, found by text
    ("def ask():\n    return input('?')", True),
    ("inputs = [1]\nmy_input(2)\nself.input(3)", False),
    ("# input() in a comment\nx = 'input()'", False),
])
def test_which_code_asks_for_keyboard_input(source, expected):
    assert inspect.asks_for_input(source) is expected


def test_no_stub_for_a_notebook_that_never_asks():
    result = inspect.inspect_submission(WIDGET_CASE, _release("m1-facts-en"))
    assert not any(c.get("id") == inspect.INPUT_STUB_ID for c in result.notebook["cells"])
    assert "keyboard_input" not in _codes(result.problems)


# --------------------------------------------------------------------------- other front ends

def _with_an_output(nb: dict) -> dict:
    """As after grading: the set-up cell shows a table (any output triggers nbconvert's widget filter)."""
    nb = copy.deepcopy(nb)
    setup = next(c for c in nb["cells"] if _gid(c) == "setup")
    setup["outputs"] = [{"output_type": "execute_result", "execution_count": 1, "metadata": {},
                         "data": {"text/plain": "table"}}]
    return nb


def _html(nb: dict) -> str:
    from nbconvert import HTMLExporter

    body, _ = HTMLExporter(template_name="classic").from_notebook_node(
        nbformat.reads(json.dumps(nb), as_version=4))
    return body


def test_widget_metadata_without_state_is_what_breaks_feedback():
    broken = _with_an_output(json.loads(WIDGET_CASE.read_text(encoding="utf-8")))
    with pytest.raises(KeyError, match="state"):
        _html(broken)


def test_notebook_saved_by_another_front_end_is_normalised_and_converts():
    result = inspect.inspect_submission(WIDGET_CASE, _release("m1-facts-en"))
    assert result.gradable
    problem = next(p for p in result.problems if p.code == "other_front_end")
    assert problem.repaired and "widget metadata" in problem.detail
    assert "widgets" not in result.notebook["metadata"]
    assert "Module 1 exercise" in _html(_with_an_output(result.notebook))
    assert [p.code for p in result.problems] == ["other_front_end"], "the answers themselves are fine"


@pytest.mark.parametrize("damage", ["jupyterlite_kernel", "colab_cells", "widget_state_not_a_dict", "bad_outputs"])
def test_other_front_end_kinds_are_normalised(damage):
    release = _release("m1-facts-en")
    nb = copy.deepcopy(release)
    if damage == "jupyterlite_kernel":
        nb["metadata"]["kernelspec"] = {"name": "python", "display_name": "Python (Pyodide)", "language": "python"}
    elif damage == "colab_cells":
        nb["nbformat_minor"] = 0
        for cell in nb["cells"]:
            cell.pop("id", None)
            if cell["cell_type"] == "markdown":
                cell["outputs"], cell["execution_count"] = [], None  # keys a markdown cell may not have
    elif damage == "widget_state_not_a_dict":
        nb["metadata"]["widgets"] = {"application/vnd.jupyter.widget-state+json": "saved elsewhere"}
    else:
        next(c for c in nb["cells"] if c["cell_type"] == "code")["outputs"] = [{"output_type": "strange"}]
    repaired, problems = inspect.inspect_notebook(nb, release)
    assert "other_front_end" in _codes(problems), problems
    nbformat.validate(nbformat.from_dict(copy.deepcopy(repaired)))
    assert repaired["metadata"]["kernelspec"]["name"] == "python3"
    assert [_gid(c) for c in repaired["cells"]] == [_gid(c) for c in release["cells"]]


# --------------------------------------------------------------------------- metadata dropped by another program

def _dropped(nb: dict) -> dict:
    """What a front end that keeps no cell metadata (and makes new ids) saves."""
    nb = copy.deepcopy(nb)
    for index, cell in enumerate(nb["cells"]):
        cell["metadata"] = {}
        cell["id"] = f"other-{index}"
    return nb


def test_cells_whose_metadata_was_dropped_are_matched_back_by_content():
    release = _release("m1-facts-en")
    worked = json.loads(WIDGET_CASE.read_text(encoding="utf-8"))  # correct answers
    repaired, problems = inspect.inspect_notebook(_dropped(worked), release)
    assert _codes(problems) == ["other_front_end", "metadata_dropped"] or _codes(problems) == ["metadata_dropped"]
    dropped = next(p for p in problems if p.code == "metadata_dropped")
    assert dropped.repaired and "q1_joint_share" in dropped.detail and "q4_tests" in dropped.detail
    by_gid = {_gid(c): c for c in repaired["cells"] if _gid(c)}
    assert set(by_gid) == {_gid(c) for c in release["cells"] if _gid(c)}
    assert "joint_share = round(100" in _source(by_gid["q1_joint_share"]), "the answer, not the released stub"
    assert "px.bar" in _source(by_gid["q4_chart"])
    assert len(repaired["cells"]) == len(worked["cells"]), "nothing put back on top of the answers"


def test_dropped_metadata_with_an_extra_scratch_cell_still_finds_the_answer():
    release = _release("m1-facts-en")
    worked = _dropped(json.loads(WIDGET_CASE.read_text(encoding="utf-8")))
    answer_at = next(i for i, c in enumerate(worked["cells"]) if "joint_share = round" in _source(c))
    worked["cells"].insert(answer_at, {"cell_type": "code", "id": "scratch", "metadata": {}, "outputs": [],
                                       "execution_count": None, "source": "v.head()"})
    repaired, _ = inspect.inspect_notebook(worked, release)
    answer = next(c for c in repaired["cells"] if _gid(c) == "q1_joint_share")
    assert "joint_share = round(100" in _source(answer)


def test_a_single_retyped_answer_among_intact_cells_is_not_taken_for_dropped_metadata():
    release = _release("m1-facts-en")
    nb = json.loads(WIDGET_CASE.read_text(encoding="utf-8"))
    answer = next(c for c in nb["cells"] if _gid(c) == "q1_joint_share")
    answer["metadata"], answer["id"] = {}, "retyped"
    _, problems = inspect.inspect_notebook(nb, release)
    assert "metadata_dropped" not in _codes(problems)
    assert {"cell_retyped", "cell_deleted"} & set(_codes(problems)), "reported as nbgrader users know it"


# --------------------------------------------------------------------------- a test cell copied above the answer

def test_an_honest_copy_of_a_test_cell_above_the_answer_costs_nothing():
    release = _release("m1-facts-en")
    nb = json.loads(WIDGET_CASE.read_text(encoding="utf-8"))
    tests = next(c for c in nb["cells"] if _gid(c) == "q1_tests")
    answer_at = next(i for i, c in enumerate(nb["cells"]) if _gid(c) == "q1_joint_share")
    pasted = copy.deepcopy(tests)
    pasted["id"] = "pasted-copy"
    nb["cells"].insert(answer_at, pasted)  # above the answer: it fails there, as the learner saw
    repaired, problems = inspect.inspect_notebook(nb, release)
    assert _codes(problems) == ["other_front_end", "test_copied"]
    problem = problems[-1]
    assert problem.repaired and "q1_tests" in problem.detail and _has_chinese(problem.line("zh"))
    ids = [(_gid(c), c.get("id")) for c in repaired["cells"]]
    graded_at = [i for i, (gid, _) in enumerate(ids) if gid == "q1_tests"]
    answer_now = next(i for i, (gid, _) in enumerate(ids) if gid == "q1_joint_share")
    assert len(graded_at) == 1 and graded_at[0] > answer_now, "the copy after the answer grades"
    assert ids[answer_now - 1] == (None, "pasted-copy"), "the pasted copy stays, as an ordinary cell"


def test_a_copied_answer_cell_keeps_nbgraders_first_copy_rule():
    release = _release("m1-facts-en")
    nb = json.loads(WIDGET_CASE.read_text(encoding="utf-8"))
    at = next(i for i, c in enumerate(nb["cells"]) if _gid(c) == "q1_joint_share")
    nb["cells"].insert(at + 1, dict(copy.deepcopy(nb["cells"][at]), id="second"))
    repaired, problems = inspect.inspect_notebook(nb, release)
    assert "cell_copied" in _codes(problems) and "test_copied" not in _codes(problems)
    assert [c.get("id") for c in repaired["cells"] if _gid(c) == "q1_joint_share"] == ["q1-joint-share"]


# --------------------------------------------------------------------------- several notebooks in one archive

def test_the_worked_copy_in_an_archive_is_graded_and_the_other_listed(tmp_path):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    (inbox / "p02_m1-facts-zh.zip").write_bytes(ZIP_CASE.read_bytes())
    plan = collect.plan(inbox, ["m1-facts-zh", "m1-facts-en"], {"p02"},
                        releases={"m1-facts-zh": _release("m1-facts-zh")})
    assert [(i.participant, i.assignment, i.member) for i in plan.items] == [
        ("p02", "m1-facts-zh", "m1-facts-zh/m1-facts-zh-Copy1.ipynb")]
    note = plan.notes[("p02", "m1-facts-zh")][0]
    assert note.code == "several_notebooks"
    assert "m1-facts-zh/m1-facts-zh.ipynb" in note.detail and "graded m1-facts-zh/m1-facts-zh-Copy1.ipynb" in note.detail
    assert _has_chinese(note.line("zh"))
    written = collect.apply(plan, tmp_path / "submitted")
    nb = json.loads(written[0].read_text(encoding="utf-8"))
    assert inspect.answer_changes(nb, _release("m1-facts-zh")) == 4


def test_without_release_information_the_name_of_the_assignment_wins(tmp_path):
    archive = tmp_path / "p02_m1-facts-zh.zip"
    archive.write_bytes(ZIP_CASE.read_bytes())
    plan = collect.plan(tmp_path, ["m1-facts-zh"])
    assert plan.items[0].member == "m1-facts-zh/m1-facts-zh.ipynb"
    assert plan.notes[("p02", "m1-facts-zh")][0].code == "several_notebooks", "still said, never silent"


# --------------------------------------------------------------------------- dates

def _notebook_file(folder: Path, name: str, stamp: float, marker: str) -> Path:
    path = folder / name
    path.write_text(json.dumps({"cells": [], "marker": marker}), encoding="utf-8")
    os.utime(path, (stamp, stamp))
    return path


def test_a_file_dated_in_the_future_never_beats_the_real_resubmission(tmp_path):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    now = time.time()
    _notebook_file(inbox, "p01_m1-facts-en.ipynb", datetime(2099, 1, 1).timestamp(), "clock set to 2099")
    _notebook_file(inbox, "p01_m1-facts-en (1).ipynb", now - 3600, "real resubmission")
    _notebook_file(inbox, "p01_m1-facts-en (2).ipynb", now - 7200, "first real submission")
    plan = collect.plan(inbox, ["m1-facts-en"], now=now)
    assert plan.items[0].source.name == "p01_m1-facts-en (1).ipynb"
    notes = plan.notes[("p01", "m1-facts-en")]
    assert [n.code for n in notes] == ["timestamp_future"] and "2099-01-01" in notes[0].detail
    written = collect.apply(plan, tmp_path / "submitted", now=now)
    assert json.loads(written[0].read_text())["marker"] == "real resubmission"
    stamp = (written[0].parent / "timestamp.txt").read_text()
    assert stamp.startswith(datetime.fromtimestamp(now - 3600, tz=timezone.utc).strftime("%Y-%m-%d %H:%M"))


def test_a_lone_file_dated_in_the_future_is_stamped_with_the_time_of_collection(tmp_path):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    now = datetime(2025, 5, 2, 9, 0, tzinfo=timezone.utc).timestamp()
    _notebook_file(inbox, "p01_m1-facts-en.ipynb", datetime(2099, 1, 1).timestamp(), "only copy")
    plan = collect.plan(inbox, ["m1-facts-en"], now=now)
    assert not plan.items[0].believable
    written = collect.apply(plan, tmp_path / "submitted", now=now)
    assert (written[0].parent / "timestamp.txt").read_text().startswith("2025-05-02 09:00:00")


@pytest.mark.parametrize("text, expected", [
    ("2025-05-01T18:00+08:00", "2025-05-01T10:00:00+00:00"),
    ("2025-05-01 18:00Z", "2025-05-01T18:00:00+00:00"),
    ("2025-05-01T23:59:59+00:00", "2025-05-01T23:59:59+00:00"),
])
def test_deadline_forms(text, expected):
    assert cli.parse_deadline(text).astimezone(timezone.utc).isoformat() == expected


def test_a_deadline_without_a_zone_is_local_time_and_a_date_alone_is_the_end_of_that_day():
    moment = cli.parse_deadline("2025-05-01")
    assert moment.tzinfo is not None and (moment.hour, moment.minute) == (23, 59)
    with pytest.raises(cli.FacilitatorError, match="not a date and time"):
        cli.parse_deadline("next friday")
    with pytest.raises(cli.FacilitatorError, match="不是有效的日期时间"):
        cli.parse_deadline("下周五", "zh")


def test_lateness_against_the_deadline(tmp_path):
    deadline = datetime(2025, 5, 1, 10, 0, tzinfo=timezone.utc)
    folder = tmp_path / "submitted" / "p01" / "m1-facts-en"
    folder.mkdir(parents=True)
    (folder / "timestamp.txt").write_text("2025-05-01 12:30:00.000000 UTC", encoding="utf-8")
    submitted = cli.submission_time(tmp_path, "p01", "m1-facts-en")
    assert cli.lateness(submitted, deadline) == 9000
    assert cli.lateness(submitted, datetime(2025, 5, 2, tzinfo=timezone.utc)) == 0
    assert cli.lateness(None, deadline) is None and cli.lateness(submitted, None) is None


# --------------------------------------------------------------------------- records

def _outcome(participant: str, *codes: str) -> dict:
    return {"participant": participant, "assignment": "m1-facts-en", "status": "graded", "seconds": 1,
            "log_tail": "", "problems": [{"code": c, "detail": f"{c} detail", "repaired": True, "fatal": False}
                                         for c in codes],
            "submitted_at": "2025-05-01T12:30:00+00:00", "late_by_seconds": 9000 if participant == "p02" else 0}


def test_regrading_one_participant_keeps_everyone_elses_problems(tmp_path):
    path = tmp_path / "grading-reports" / "autograde-m1-facts-en.json"
    path.parent.mkdir()
    cli.merge_report(path, "m1-facts-en", [_outcome("p01", "cell_deleted"), _outcome("p02", "late"),
                                           _outcome("p03")], None, replace_all=True)
    cli.merge_report(path, "m1-facts-en", [_outcome("p02")], None, replace_all=False)
    problems, info = results.load_records(path.parent)
    assert problems[("p01", "m1-facts-en")] == ["cell_deleted: cell_deleted detail"]
    assert problems[("p02", "m1-facts-en")] == [], "p02's fresh outcome replaces its old one"
    assert ("p03", "m1-facts-en") in problems
    assert info[("p01", "m1-facts-en")]["submitted_at"] == "2025-05-01T12:30:00+00:00"
    cli.merge_report(path, "m1-facts-en", [_outcome("p02")], None, replace_all=True)
    assert set(results.load_records(path.parent)[0]) == {("p02", "m1-facts-en")}


def test_grades_csv_quotes_every_field_and_a_carriage_return_never_splits_a_row():
    rows = [results.CellScore("p01", "m1-facts-en", "q1_tests", 2, 2, True, False,
                              "Ana\r=HYPERLINK(\"http://x\")", "Example\r\n+1\n@SUM(A1)\n-2\n\tx\u2028=3"),
            results.CellScore("p02", "m1-facts-en", "q1_tests", 0, 2, True, False, "李", "明")]
    table = results.wide_table(rows, {("p01", "m1-facts-en"): ["keyboard_input: =cmd|' /C calc'!A0"]})
    text = results.table_csv(table)
    parsed = list(csv.reader(io.StringIO(text, newline="")))
    assert len(parsed) == 3 and len({len(row) for row in parsed}) == 1, "header and two rows, same width"
    assert "\r" not in text.replace("\r\n", ""), "no bare carriage return anywhere"
    for line in text.split("\r\n")[:1]:
        assert line.startswith('"') and line.endswith('"')
    first = dict(zip(parsed[0], parsed[1]))
    assert first["first_name"] == "Ana\n'=HYPERLINK(\"http://x\")"
    assert first["last_name"] == "Example\n'+1\n'@SUM(A1)\n'-2\n'\tx\u2028'=3"
    assert first["problems"] == "keyboard_input: =cmd|' /C calc'!A0", "a formula sign inside the text is harmless"
    for row in parsed[1:]:
        for value in row:
            for line in value.replace("\u2028", "\n").split("\n"):
                assert not line.startswith(results.FORMULA_STARTS), (value, line)
    raw_fields = [field for field in text.replace("\r\n", "\x00").split("\x00") if field]
    assert all(f.startswith('"') for f in raw_fields), "every row starts with a quoted field"
    assert '"2"' in text and '"0"' in text, "numbers are quoted too"


def test_lateness_shows_in_the_csv_and_the_summary(tmp_path):
    rows = [results.CellScore("p01", "m1-facts-en", "q1_tests", 2, 2, True, False),
            results.CellScore("p02", "m1-facts-en", "q1_tests", 2, 2, True, False)]
    info = {("p01", "m1-facts-en"): {"submitted_at": "2025-05-01T09:00:00+00:00", "late_by_seconds": 0},
            ("p02", "m1-facts-en"): {"submitted_at": "2025-05-01T12:30:00+00:00", "late_by_seconds": 9000}}
    problems = {("p02", "m1-facts-en"): ["late: submitted 2025-05-01 12:30 UTC, 2.5 h after the deadline"]}
    table = results.wide_table(rows, problems, info)
    assert [(line["submitted_at"], line["late_by_hours"]) for line in table] == [
        ("2025-05-01T09:00:00+00:00", 0.0), ("2025-05-01T12:30:00+00:00", 2.5)]
    page = results.summary_html(table, rows)
    assert "2025-05-01 12:30 UTC, 2.5 h late" in page and "2025-05-01 09:00 UTC, on time" in page
    zh = results.summary_html(table, rows, lang="zh")
    assert "迟交 2.5 小时" in zh and "<th>提交时间</th>" in zh
    people = {p["participant"]: p["reasons"] for p in results.follow_up(table)}
    assert "late" in " ".join(people["p02"]) and "p01" not in people


# --------------------------------------------------------------------------- archives in the inbox

def _encrypted_zip(path: Path) -> Path:
    """A zip whose member is marked encrypted, as any archiver with a password writes it
    (zipfile cannot encrypt: the flag bit is set in the local and central headers)."""
    import struct

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as zf:
        zf.writestr("m1-facts-en.ipynb", b"\x00" * 64)
    data = bytearray(buffer.getvalue())
    for signature, offset in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):
        at = data.find(signature)
        flags = struct.unpack_from("<H", data, at + offset)[0]
        struct.pack_into("<H", data, at + offset, flags | 0x1)
    path.write_bytes(bytes(data))
    return path


def _zip(path: Path, members: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    return path


NB_BYTES = json.dumps({"cells": [], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}).encode()


def test_collect_survives_every_kind_of_archive_and_reports_each(tmp_path):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    (inbox / "p01_m1-facts-en.zip").write_bytes(b"PK\x03\x04 this is not really a zip")
    _encrypted_zip(inbox / "p02_m1-facts-en.zip")
    _zip(inbox / "p03_m1-facts-en.zip", {"../../../../tmp/evil.ipynb": NB_BYTES, "/etc/evil.ipynb": NB_BYTES})
    inner = io.BytesIO()
    _zip(inner, {"m1-facts-en/m1-facts-en.ipynb": NB_BYTES})  # type: ignore[arg-type]
    _zip(inbox / "p04_m1-facts-en.zip", {"outer/p04.zip": inner.getvalue()})
    three = io.BytesIO()
    _zip(three, {"a.zip": inner.getvalue()})  # type: ignore[arg-type]
    _zip(inbox / "p05_m1-facts-en.zip", {"b.zip": three.getvalue()})
    (inbox / "p06_m1-facts-en.ipynb").write_bytes(NB_BYTES)
    plan = collect.plan(inbox, ["m1-facts-en"])
    problems = {label: [] for label, _ in plan.problems}
    for label, problem in plan.problems:
        problems[label].append(problem.code)
    assert problems["p01_m1-facts-en.zip"] == ["archive_corrupt"]
    assert problems["p02_m1-facts-en.zip"] == ["archive_encrypted"]
    assert problems["p03_m1-facts-en.zip"] == ["archive_unsafe_path", "archive_unsafe_path"]
    assert problems["p05_m1-facts-en.zip"] == ["archive_nested"]
    assert [(i.participant, i.member) for i in plan.items] == [
        ("p04", "outer/p04.zip/m1-facts-en/m1-facts-en.ipynb"), ("p06", None)]
    written = collect.apply(plan, tmp_path / "submitted")
    assert [p.parent.parent.name for p in written] == ["p04", "p06"]
    assert written[0].read_bytes() == NB_BYTES
    assert not (tmp_path / "tmp").exists() and not list((tmp_path / "submitted").rglob("*.part"))
    for _, problem in plan.problems:
        assert _has_chinese(problem.line("zh")), problem.line("zh")


def test_a_huge_member_is_refused_whatever_size_it_declares(tmp_path, monkeypatch):
    monkeypatch.setattr(collect, "MAX_ARCHIVE_MEMBER_BYTES", 10_000)
    bomb = _zip(tmp_path / "p01_m1-facts-en.zip", {"m1-facts-en.ipynb": b" " * 200_000})
    members, problems = collect.archive_notebooks(bomb)
    assert len(members) == 1 and problems == []  # listed ...
    with pytest.raises(collect.ArchiveError) as info:
        collect.read_member(bomb, members[0].path)  # ... but never read past the limit
    assert info.value.problem.code == "archive_member_too_large"
    with zipfile.ZipFile(bomb) as zf:  # a member that lies about its size is cut at the limit too
        member = zf.infolist()[0]
        member.file_size = 10
        with pytest.raises(collect.ArchiveError):
            collect._read_member(zf, member, "lying")


def test_collect_never_leaves_a_half_written_notebook(tmp_path, capsys):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    archive = _zip(inbox / "p01_m1-facts-en.zip", {"m1-facts-en.ipynb": NB_BYTES})
    plan = collect.plan(inbox, ["m1-facts-en"])
    submitted = tmp_path / "submitted"
    earlier = submitted / "p01" / "m1-facts-en"
    earlier.mkdir(parents=True)
    (earlier / "m1-facts-en.ipynb").write_text('{"earlier": true}', encoding="utf-8")
    # the archive is damaged between looking and copying (a sync client still writing it)
    data = archive.read_bytes()
    archive.write_bytes(data[: len(data) // 2])
    assert collect.apply(plan, submitted) == []
    assert plan.problems and plan.problems[0][1].code == "archive_corrupt"
    assert json.loads((earlier / "m1-facts-en.ipynb").read_text()) == {"earlier": True}
    assert sorted(p.name for p in earlier.iterdir()) == ["m1-facts-en.ipynb"]


def test_collect_command_reports_bad_archives_and_carries_on(tmp_path, capsys, monkeypatch):
    course = tmp_path / "course"
    (course / "solutions" / "m1-facts-en").mkdir(parents=True)
    (course / "exercises" / "m1-facts-en").mkdir(parents=True)
    (course / "exercises" / "m1-facts-en" / "m1-facts-en.ipynb").write_text(json.dumps(_release("m1-facts-en")))
    monkeypatch.setattr(cli, "_roster_ids", lambda root: {"p01", "p02", "p03"})
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    _encrypted_zip(inbox / "p01_m1-facts-en.zip")
    (inbox / "p02_m1-facts-en.zip").write_bytes(b"garbage")
    (inbox / "p03_m1-facts-en.ipynb").write_bytes(NB_BYTES)
    assert cli.main(["--lang", "zh", "collect", "--course", str(course), str(inbox)]) == 0
    out = capsys.readouterr().out
    assert "无法读取 p01_m1-facts-en.zip" in out and "设有密码" in out
    assert "无法读取 p02_m1-facts-en.zip" in out
    assert (course / "submitted" / "p03" / "m1-facts-en" / "m1-facts-en.ipynb").exists()
    assert not (course / "submitted" / "p01").exists()
    # Recorded, not only printed: autograde reports them on the follow-up list, even with nothing else received.
    assert [p.code for p in cli.collect_notes(course, "p01", "m1-facts-en")] == ["archive_encrypted"]
    assert [p.code for p in cli.collect_notes(course, "p02", "m1-facts-en")] == ["archive_corrupt"]
    assert cli.unreadable_only(course, "m1-facts-en") == {"p01", "p02"}


def test_collect_notes_are_recorded_for_autograde(tmp_path, monkeypatch):
    course = tmp_path / "course"
    (course / "solutions" / "m1-facts-zh").mkdir(parents=True)
    (course / "exercises" / "m1-facts-zh").mkdir(parents=True)
    (course / "exercises" / "m1-facts-zh" / "m1-facts-zh.ipynb").write_text(json.dumps(_release("m1-facts-zh")))
    monkeypatch.setattr(cli, "_roster_ids", lambda root: {"p02"})
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    (inbox / "p02_m1-facts-zh.zip").write_bytes(ZIP_CASE.read_bytes())
    assert cli.main(["collect", "--course", str(course), str(inbox)]) == 0
    notes = cli.collect_notes(course, "p02", "m1-facts-zh")
    assert [n.code for n in notes] == ["several_notebooks"]
    assert _has_chinese(notes[0].line("zh")), "recorded with its key: readable in both languages"


# --------------------------------------------------------------------------- feedback pages

SOLUTION = _solution("m1-facts-en")
SECRET = hidden.hidden_lines(SOLUTION)
SOLUTIONS = hidden.solution_lines(SOLUTION)


@pytest.mark.parametrize("encode", [
    lambda s: s,
    lambda s: s.replace("=", "&#61;").replace("_", "&#x5f;"),
    lambda s: base64.b64encode(("leaked: " + s).encode()).decode(),
    lambda s: base64.urlsafe_b64encode(s.encode("utf-16")).decode(),
    lambda s: s.encode().hex(),
    lambda s: " ".join(f"{b:02x}" for b in s.encode()),
    lambda s: "".join(f"\\x{b:02x}" for b in s.encode()),
    lambda s: "".join(f"%{b:02X}" for b in s.encode()),
    lambda s: s[::-1],
    lambda s: base64.b64encode(__import__("zlib").compress(s.encode())).decode(),
    lambda s: base64.b64encode(s.encode()).decode().replace("=", "&#61;"),
], ids=["plain", "html-escaped", "base64", "urlsafe-base64-utf16", "hex", "spaced-hex", "escapes", "url",
        "reversed", "zlib-base64", "escaped-base64"])
def test_hidden_tests_are_found_in_any_encoding(encode):
    secret = SECRET[0]
    page = f"<html><body><pre>output: {encode(secret)}</pre></body></html>"
    found = hidden.find_secrets(page, SECRET, SOLUTIONS)
    assert any(line == secret for _, line in found), found


def test_solutions_count_only_when_encoded_a_correct_answer_is_no_leak():
    line = next(s for s in SOLUTIONS if len(s) > 20)
    html_answer = "<pre>" + line.replace("\"", "&quot;").replace("'", "&#x27;") + "</pre>"
    assert hidden.find_secrets(html_answer, SECRET, SOLUTIONS) == []
    with_percent = html_answer + "<style>.a{width:100%25}</style>"  # the URL-decoded view holds it too
    assert hidden.find_secrets(with_percent, SECRET, SOLUTIONS) == []
    encoded = "<pre>" + base64.b64encode(line.encode()).decode() + "</pre>"
    assert hidden.find_secrets(encoded, SECRET, SOLUTIONS) == [("base64", line)]
    assert hidden.find_secrets("<p>all good, 89.6%</p>", SECRET, SOLUTIONS) == []


REMOTE_PAGE = """<html><head><style>@import url("https://fonts.example.org/a.css");
.x{background:url(//tracker.example.org/p.png)}</style></head><body>
<img src="https://upload.wikimedia.org/x.svg" alt="Map"><img srcset="a.png 1x, https://e.example/b.png 2x">
<picture><source srcset="https://e.example/c.webp"></picture>
<div style="background-image: url('https://e.example/y.png')">styled</div><object data="//e.example/o"></object>
<iframe src="http://e.example"></iframe><embed src="https://e.example/e.swf"><video poster="https://e.example/p.jpg">
<source src="https://e.example/v.mp4"></video><audio src="https://e.example/a.mp3"></audio>
<svg><image href="https://e.example/i.png"/><use xlink:href="https://e.example/s.svg#a"/></svg>
<link rel="stylesheet" href="https://e.example/l.css"><meta http-equiv="refresh" content="0;url=https://e.example">
<base href="https://e.example/"><img src="data:image/png;base64,AAAA" onerror="fetch('//e.example')">
<a href="https://ohchr.org">a link a reader may follow</a><a href="javascript:fetch('//e.example')">x</a>
<table background="https://e.example/bg.png"><tr><td>t</td></tr></table>
<input type="image" src="https://e.example/btn.png"><form action="https://e.example/post"></form>
<img src="ht&#x09;tps://e.example/tab.png"><img src="https:e.example/noslash.png"><img src="\\\\e.example/unc.png">
</body></html>"""


def test_every_way_learner_content_fetches_is_made_inert_text():
    before = hidden.fetching_references(REMOTE_PAGE)
    assert len(before) >= 21, before
    page, removed = hidden.neutralise_remote(REMOTE_PAGE)
    assert hidden.fetching_references(page) == [], hidden.fetching_references(page)
    assert "[img from https://upload.wikimedia.org/x.svg not loaded: Map]" in page
    assert "onerror" not in page and "javascript:" not in page and "<base" not in page
    assert 'href="https://ohchr.org"' in page, "links stay: only a reader's click follows them"
    assert "Content-Security-Policy" in page and "connect-src 'none'" in page
    assert len(removed) >= 21


def test_the_web_image_case_is_neutralised_in_its_page():
    from nbconvert import HTMLExporter

    body, _ = HTMLExporter(template_name="classic").from_notebook_node(
        nbformat.reads(IMAGE_CASE.read_text(encoding="utf-8"), as_version=4))
    page = hidden.offline_html(body)
    assert hidden.fetching_references(page)
    page, removed = hidden.neutralise_remote(page)
    assert hidden.fetching_references(page) == [] and hidden.remote_references(page) == []
    assert "Placeholder_view_vector.svg not loaded: Map of the (fictional) district" in page
    assert "If the family withdrew consent" in page, "the written answer itself is kept"


class _FakeApi:
    """nbgrader's ``generate_feedback`` as it behaves for each participant of these tests."""

    def __init__(self, root: Path, pages: dict[str, object]):
        self.root, self.pages = root, pages

    def generate_feedback(self, assignment, student, force=True):
        page = self.pages[student]
        if isinstance(page, Exception):
            raise page
        if page is None:
            return {"success": False, "error": "Traceback (most recent call last):\n  File ...\n"
                                                "KeyError: 'state'", "log": ""}
        folder = self.root / "feedback" / student / assignment
        folder.mkdir(parents=True, exist_ok=True)
        (folder / f"{assignment}.html").write_text(page, encoding="utf-8")
        return {"success": True}


def test_one_bad_page_never_stops_the_others(tmp_path, capsys, monkeypatch):
    import base64 as b64

    assignment = "m1-facts-en"
    (tmp_path / "solutions" / assignment).mkdir(parents=True)
    (tmp_path / "solutions" / assignment / f"{assignment}.ipynb").write_text(json.dumps(SOLUTION))
    people = ["p01", "p02", "p03", "p04", "p05"]
    for person in people:
        (tmp_path / "autograded" / person / assignment).mkdir(parents=True)
    widget_nb = json.loads(WIDGET_CASE.read_text(encoding="utf-8"))
    (tmp_path / "autograded" / "p05" / assignment / f"{assignment}.ipynb").write_text(json.dumps(widget_nb))
    pages = {
        "p01": "<html><head></head><body><img src='https://e.example/x.png'>fine</body></html>",
        "p02": None,  # nbgrader fails
        "p03": "<html><body><pre>" + b64.b64encode(SECRET[1].encode()).decode() + "</pre></body></html>",
        "p04": RuntimeError("something unforeseen"),
        "p05": "<html><head></head><body>ok</body></html>",
    }
    monkeypatch.setattr(cli, "_quiet_api", lambda root: _FakeApi(root, pages))
    code = cli.main(["feedback", "--course", str(tmp_path), assignment])
    out = capsys.readouterr().out
    assert code == 1
    written = sorted(p.parent.parent.name for p in (tmp_path / "feedback").rglob("*.html"))
    assert written == ["p01", "p05"]
    p01 = (tmp_path / "feedback" / "p01" / assignment / f"{assignment}.html").read_text()
    assert "[img from https://e.example/x.png not loaded]" in p01 and hidden.fetching_references(p01) == []
    assert "NO PAGE for p02" in out and "KeyError: 'state'" in out and "File ..." not in out
    assert "NO PAGE for p03" in out and "base64" in out
    assert "NO PAGE for p04" in out and "something unforeseen" in out
    saved = json.loads((tmp_path / "autograded" / "p05" / assignment / f"{assignment}.ipynb").read_text())
    assert "widgets" not in saved["metadata"], "repaired before nbconvert reads it"
    problems = results.load_problems(tmp_path / "grading-reports")
    assert problems[("p03", assignment)][0].startswith("feedback_withheld")
    assert problems[("p02", assignment)][0].startswith("feedback_failed")
    assert ("p01", assignment) not in problems

    # --participant: only that page, the others' records kept
    pages["p03"] = "<html><body>fixed</body></html>"
    assert cli.main(["--lang", "zh", "feedback", "--course", str(tmp_path), assignment,
                     "--participant", "p03", "--participant", "p09"]) == 0
    out = capsys.readouterr().out
    assert "p09 的 m1-facts-en 尚未自动评分" in out
    problems = results.load_problems(tmp_path / "grading-reports")
    assert ("p03", assignment) not in problems and ("p02", assignment) in problems


def test_follow_up_list_shows_recorded_problems_in_the_facilitators_language(tmp_path):
    from course.grading.inspect import Problem

    path = tmp_path / "autograde-m1-facts-en.json"
    outcome = _outcome("p02")
    outcome["problems"] = [Problem.of("keyboard_input", "grading.problem.keyboard_input", repaired=True,
                                      cells="q1_joint_share").as_dict()]
    cli.merge_report(path, "m1-facts-en", [outcome], None, replace_all=True)
    problems, info = results.load_records(tmp_path)
    rows = [results.CellScore("p02", "m1-facts-en", "q1_tests", 2, 2, True, False)]
    table = results.wide_table(rows, problems, info)
    zh = " ".join(results.follow_up(table, lang="zh")[0]["reasons"])
    assert "需要键盘输入" in zh and "【已修复】" in zh
    en = " ".join(results.follow_up(table, lang="en")[0]["reasons"])
    assert "wait for keyboard input" in en
    assert "_problems" not in results.table_csv(table) and "keyboard_input: cell(s) q1_joint_share" in \
        results.table_csv(table), "the CSV keeps the English line"


def test_an_untouched_copy_downloaded_again_never_beats_the_worked_one(tmp_path):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    now = time.time()
    release = _release("m1-facts-en")
    worked = json.loads(WIDGET_CASE.read_text(encoding="utf-8"))
    (inbox / "p06_m1-facts-en.ipynb").write_text(json.dumps(worked), encoding="utf-8")
    os.utime(inbox / "p06_m1-facts-en.ipynb", (now - 3600, now - 3600))
    (inbox / "p06_m1-facts-en (1).ipynb").write_text(json.dumps(release), encoding="utf-8")
    os.utime(inbox / "p06_m1-facts-en (1).ipynb", (now - 60, now - 60))
    plan = collect.plan(inbox, ["m1-facts-en"], releases={"m1-facts-en": release}, now=now)
    assert plan.items[0].source.name == "p06_m1-facts-en.ipynb"
    note = plan.notes[("p06", "m1-facts-en")][0]
    assert note.code == "several_notebooks" and "p06_m1-facts-en (1).ipynb" in note.detail
    assert _has_chinese(note.line("zh"))
    # an ordinary resubmission (both worked): the newest wins, nothing to say
    (inbox / "p06_m1-facts-en (1).ipynb").write_text(json.dumps(worked), encoding="utf-8")
    os.utime(inbox / "p06_m1-facts-en (1).ipynb", (now - 60, now - 60))
    plan = collect.plan(inbox, ["m1-facts-en"], releases={"m1-facts-en": release}, now=now)
    assert plan.items[0].source.name == "p06_m1-facts-en (1).ipynb" and plan.notes == {}


def test_atomic_writes_get_the_mode_a_plain_open_gives(tmp_path):
    """A feedback page written atomically must stay readable once nbgrader's exchange hands it to
    the participant (a real hub showed 0600 copies that the participant could not open)."""
    import os
    import stat

    previous = os.umask(0o022)
    try:
        page = results.write_text_atomically(tmp_path / "feedback.html", "<p>ok</p>")
    finally:
        os.umask(previous)
    assert stat.S_IMODE(page.stat().st_mode) == 0o644


def test_the_graders_own_input_stub_is_not_reported_as_tampering():
    from course.grading.guard import scan_answers
    from course.grading.inspect import INPUT_STUB_ID

    stub = {"cell_type": "code", "id": INPUT_STUB_ID, "metadata": {}, "source": "def input(prompt=''):\n    return ''"}
    answer = {"cell_type": "code", "id": "a1", "metadata": {"nbgrader": {"grade_id": "q1", "solution": True}},
              "source": "name = input('?')\nx = 1"}
    assert scan_answers({"cells": [stub, answer]}) == []
    stub_elsewhere = dict(stub, id="mine")  # the same code written by a participant is reported
    assert scan_answers({"cells": [stub_elsewhere, answer]}) != []


def test_a_run_that_never_finishes_still_reports_what_the_answer_touched(tmp_path):
    """builtins.len = ... breaks the kernel itself, so the run times out: the static scan still reports it."""
    from course.grading.parallel import static_findings

    folder = tmp_path / "submitted" / "p05" / "m1-facts-en"
    folder.mkdir(parents=True)
    cell = {"cell_type": "code", "id": "a1", "metadata": {"nbgrader": {"grade_id": "q1", "solution": True}},
            "outputs": [], "execution_count": None, "source": "import builtins\nbuiltins.len = lambda x: 5"}
    (folder / "m1-facts-en.ipynb").write_text(json.dumps({"cells": [cell], "metadata": {}, "nbformat": 4,
                                                           "nbformat_minor": 5}))
    found = static_findings(tmp_path, "m1-facts-en", "p05", "m1-facts-en")
    assert [p.code for p in found] == ["tampering"] and "q1" in found[0].values["findings"]


def test_autograde_refuses_an_id_the_roster_does_not_know(tmp_path, monkeypatch, capsys):
    course = tmp_path / "course"
    (course / "source" / "m1-facts-en").mkdir(parents=True)
    (course / "solutions" / "m1-facts-en").mkdir(parents=True)
    monkeypatch.setattr(cli, "_roster_ids", lambda root: {"p01", "p02"})
    monkeypatch.setattr(cli, "_check_assignments", lambda root, wanted, lang="en": list(wanted))
    code = cli.main(["autograde", "--course", str(course), "m1-facts-en", "--participant", "p99"])
    assert code != 0
    assert "p99" in capsys.readouterr().err + capsys.readouterr().out
    assert not (course / "gradebook.db").exists()
