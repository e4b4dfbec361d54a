"""The real-world cases through a real course folder: collect, autograde, feedback, export (nbgrader runs).

One course folder per session (nbgrader is slow). What each case must give:

- ``p02`` m1-facts-en, a correct answer after ``input()``: full marks, ``keyboard_input`` reported;
- ``p06`` m1-facts-en, saved with widget metadata without state: full marks, a feedback page;
- ``p02`` m4-safety-en, a written answer with a web image: a feedback page that fetches nothing,
  and the pages of the participants after it written too;
- ``p02`` m1-facts-zh, an archive with the untouched notebook and a worked ``-Copy1``: the
  worked copy is graded (full marks), the other listed;
- ``p03`` m1-facts-en, cell metadata dropped by another program: full marks, ``metadata_dropped``;
- ``p04`` m1-facts-en, a test cell copied above its answer: full marks, ``test_copied``;
- ``p05`` m1-facts-en, a copy dated 2099 and a real, later resubmission: the real one is graded,
  and it is late against ``--deadline``;
- regrading one participant keeps everyone else's problems in the report and ``grades.csv``.
"""
from __future__ import annotations

import copy
import csv
import json
import os
import shutil
import tempfile
import warnings
from datetime import datetime, timezone
from pathlib import Path

import pytest

from course.grading import cli, hidden, results

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[1]
CASES = ROOT / "tests" / "fixtures" / "cases" / "grading"
DEADLINE = "2025-05-01T18:00+00:00"
ON_TIME = datetime(2025, 5, 1, 12, 0, tzinfo=timezone.utc).timestamp()
LATE = datetime(2025, 5, 1, 20, 30, tzinfo=timezone.utc).timestamp()


def _gid(cell):
    meta = (cell.get("metadata") or {}).get("nbgrader")
    return meta.get("grade_id") if isinstance(meta, dict) else None


def _worked() -> dict:
    return json.loads((CASES / "p06_m1-facts-en__widget_metadata_without_state.ipynb").read_text(encoding="utf-8"))


def _write(folder: Path, name: str, content: bytes | dict, stamp: float = ON_TIME) -> None:
    path = folder / name
    path.write_bytes(content if isinstance(content, bytes) else json.dumps(content).encode("utf-8"))
    os.utime(path, (stamp, stamp))


@pytest.fixture(scope="session")
def course():
    warnings.simplefilter("ignore")
    base = Path(tempfile.mkdtemp(prefix="sp-grading-cases-"))
    try:
        yield _build(base)
    finally:
        shutil.rmtree(base, ignore_errors=True)


def _build(base: Path) -> Path:
    root = base / "course"
    assert cli.main(["setup", "--course", str(root), "--roster", str(CASES / "roster.csv")]) == 0
    inbox = base / "inbox"
    inbox.mkdir()
    _write(inbox, "p01_m1-facts-en.ipynb", (ROOT / "solutions" / "m1-facts-en" / "m1-facts-en.ipynb").read_bytes())
    _write(inbox, "p02_m1-facts-en.ipynb", (CASES / "p02_m1-facts-en__answer_calls_input.ipynb").read_bytes())
    _write(inbox, "p06_m1-facts-en.ipynb", (CASES / "p06_m1-facts-en__widget_metadata_without_state.ipynb")
           .read_bytes())
    _write(inbox, "p02_m4-safety-en.ipynb", (CASES / "p02_m4-safety-en__written_answer_with_web_image.ipynb")
           .read_bytes())
    _write(inbox, "p06_m4-safety-en.ipynb", (ROOT / "solutions" / "m4-safety-en" / "m4-safety-en.ipynb").read_bytes())
    _write(inbox, "p02_m1-facts-zh.zip", (CASES / "p02_m1-facts-zh__zip_with_worked_copy.zip").read_bytes())
    dropped = _worked()
    for index, cell in enumerate(dropped["cells"]):
        cell["metadata"], cell["id"] = {}, f"saved-elsewhere-{index}"
    _write(inbox, "p03_m1-facts-en.ipynb", dropped)
    pasted = _worked()
    answer_at = next(i for i, c in enumerate(pasted["cells"]) if _gid(c) == "q1_joint_share")
    test_copy = copy.deepcopy(next(c for c in pasted["cells"] if _gid(c) == "q1_tests"))
    test_copy["id"] = "pasted-above"
    pasted["cells"].insert(answer_at, test_copy)
    _write(inbox, "p04_m1-facts-en.ipynb", pasted)
    _write(inbox, "p05_m1-facts-en.ipynb", (ROOT / "exercises" / "m1-facts-en" / "m1-facts-en.ipynb").read_bytes(),
           stamp=datetime(2099, 1, 1, tzinfo=timezone.utc).timestamp())
    _write(inbox, "p05_m1-facts-en (1).ipynb", _worked(), stamp=LATE)
    assert cli.main(["collect", "--course", str(root), str(inbox)]) == 0
    assert cli.main(["autograde", "--course", str(root), "m1-facts-en", "m1-facts-zh", "m4-safety-en",
                     "--jobs", "2", "--timeout", "120", "--deadline", DEADLINE]) == 0
    assert cli.main(["feedback", "--course", str(root), "m1-facts-en", "m1-facts-zh", "m4-safety-en"]) == 0
    return root


def _scores(root: Path) -> dict[tuple[str, str], dict]:
    rows = results.gradebook_scores(f"sqlite:///{root / 'gradebook.db'}")
    return {(line["participant"], line["assignment"]): line for line in results.wide_table(rows)}


def _report(root: Path, assignment: str) -> dict[str, dict]:
    data = json.loads((root / "grading-reports" / f"autograde-{assignment}.json").read_text(encoding="utf-8"))
    return {o["participant"]: o for o in data["outcomes"]}


def _codes(outcome: dict) -> list[str]:
    return [p["code"] for p in outcome["problems"]]


@pytest.mark.parametrize("participant, assignment, code", [
    ("p01", "m1-facts-en", None),
    ("p02", "m1-facts-en", "keyboard_input"),
    ("p06", "m1-facts-en", "other_front_end"),
    ("p02", "m1-facts-zh", "several_notebooks"),
    ("p03", "m1-facts-en", "metadata_dropped"),
    ("p04", "m1-facts-en", "test_copied"),
    ("p05", "m1-facts-en", "timestamp_future"),
])
def test_each_case_gets_full_marks_and_its_problem_line(course, participant, assignment, code):
    line = _scores(course)[(participant, assignment)]
    assert line["auto_max"] == 8 and line["auto_score"] == 8, line
    outcome = _report(course, assignment)[participant]
    assert outcome["status"] == "graded"
    if code is None:
        assert _codes(outcome) == []
    else:
        assert code in _codes(outcome), outcome["problems"]


def test_lateness_against_the_deadline_is_in_the_report_and_the_csv(course, tmp_path):
    report = _report(course, "m1-facts-en")
    assert report["p05"]["late_by_seconds"] == 2.5 * 3600 and "late" in _codes(report["p05"])
    assert report["p01"]["late_by_seconds"] == 0 and "late" not in _codes(report["p01"])
    assert report["p05"]["submitted_at"].startswith("2025-05-01T20:30")
    out = tmp_path / "grades.csv"
    assert cli.main(["export", "--course", str(course), "--output", str(out)]) == 0
    rows = {(r["participant"], r["assignment"]): r for r in csv.DictReader(out.open(encoding="utf-8-sig"))}
    assert rows[("p05", "m1-facts-en")]["late_by_hours"] == "2.5"
    assert rows[("p01", "m1-facts-en")]["late_by_hours"] == "0.0"
    assert "timestamp_future" in rows[("p05", "m1-facts-en")]["problems"]


def test_every_feedback_page_is_written_and_safe(course):
    expected = {("p01", "m1-facts-en"), ("p02", "m1-facts-en"), ("p03", "m1-facts-en"), ("p04", "m1-facts-en"),
                ("p05", "m1-facts-en"), ("p06", "m1-facts-en"), ("p02", "m1-facts-zh"), ("p02", "m4-safety-en"),
                ("p06", "m4-safety-en")}
    pages = {(p.parent.parent.name, p.parent.name): p for p in (course / "feedback").rglob("*.html")}
    assert set(pages) == expected
    for (_participant, assignment), page in pages.items():
        text = page.read_text(encoding="utf-8")
        source = json.loads((ROOT / "solutions" / assignment / f"{assignment}.ipynb").read_text(encoding="utf-8"))
        assert hidden.find_secrets(text, hidden.hidden_lines(source), hidden.solution_lines(source)) == [], page
        assert hidden.fetching_references(text) == [] and hidden.remote_references(text) == [], page
        assert "Content-Security-Policy" in text
    image = pages[("p02", "m4-safety-en")].read_text(encoding="utf-8")
    assert "Placeholder_view_vector.svg not loaded" in image and "If the family withdrew consent" in image


def test_regrading_one_participant_keeps_the_others_problems(course, tmp_path):
    assert cli.main(["autograde", "--course", str(course), "m1-facts-en", "--participant", "p01",
                     "--deadline", DEADLINE]) == 0
    report = _report(course, "m1-facts-en")
    assert set(report) == {"p01", "p02", "p03", "p04", "p05", "p06"}
    assert "keyboard_input" in _codes(report["p02"]) and "test_copied" in _codes(report["p04"])
    out = tmp_path / "grades.csv"
    assert cli.main(["export", "--course", str(course), "--output", str(out)]) == 0
    rows = {(r["participant"], r["assignment"]): r for r in csv.DictReader(out.open(encoding="utf-8-sig"))}
    assert "keyboard_input" in rows[("p02", "m1-facts-en")]["problems"]
    assert "metadata_dropped" in rows[("p03", "m1-facts-en")]["problems"]
    page = tmp_path / "summary.html"
    assert cli.main(["summary", "--course", str(course), "--output", str(page)]) == 0
    follow = page.read_text(encoding="utf-8").split("Follow-up needed", 1)[1]
    assert "keyboard_input" in follow and "2.5 h late" in follow
