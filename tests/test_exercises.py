"""The nbgrader round trip, for real: set up a cohort, collect, autograde in parallel, feedback, export.

One course folder is made per test session (nbgrader runs are slow), and every
check reads from it:

- nbgrader regenerates exactly the committed ``exercises/`` from ``solutions/``;
- every solution scores full marks on its autograded questions (written answers
  wait for the formgrader) and every untouched student version scores zero;
- for each autograded question a plausible wrong answer passes the visible tests
  (checked by running the student version) and fails the hidden ones;
- damaged submissions (not a notebook, deleted, copied or broken cells, an endless
  loop that ignores interrupts, a flood of output) are each reported by name and
  the rest of the cohort is graded;
- feedback HTML holds no hidden test and loads nothing from the internet;
- grades export to CSV and the cohort summary is written;
- nbgrader's JupyterLab and server extensions are enabled (formgrader).
"""
from __future__ import annotations

import csv
import json
import shutil
import sys
import tempfile
import warnings
from pathlib import Path

import nbformat
import pytest

from course.grading import cli, hidden, results

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "tests" / "fixtures" / "grading"
ASSIGNMENTS = sorted(p.name for p in (ROOT / "solutions").iterdir() if p.is_dir())
DAMAGED = {  # participant -> what the report must say
    "notnb": "not_notebook", "deleted": "cell_deleted", "copied": "cell_copied", "meta": "metadata_broken",
    "loop": "timeout", "spam": "huge_output",
}

WRONG = {  # a plausible mistake per autograded question: passes the visible tests, fails the hidden ones
    ("m1-facts", "q1_joint_share"): 'joint_share = round(v["communications_joint"] / v["communications_sent"], 1)',
    ("m1-facts", "q2_response_rate"): (
        'computed_rate = round(100 * v["replies_to_year_communications"] / v["communications_sent"], 2)\n'
        'report_rate = v["response_rate_pct"]\ngap = round(report_rate - computed_rate, 2)'),
    ("m1-facts", "q3_consistency"): (
        'mandates_add_up = bool(v["mandates_thematic"] + v["mandates_country"] == v["holder_positions"])\n'
        'regions = facts[facts.index.str.startswith("holders_region_")]\n'
        'regions_total = round(regions["value"].sum(), 2)'),
    ("m1-facts", "q4_chart"): 'import plotly.express as px\nfig = px.bar(regions.head(4), x="label_en", y="value")\nfig',
    ("m2-mandates", "q1_by_year"): (
        'by_year = pd.crosstab(res["year"], res["vote_type"])\n'
        'recorded_share = round((res["vote_type"] == "recorded").mean(), 1)'),
    ("m2-mandates", "q2_contested"): (
        'recorded = res[res["vote_type"] == "recorded"].copy()\n'
        'recorded["margin"] = recorded["yes"] - recorded["no"] - recorded["abstain"]\n'
        'contested = sorted(recorded["mandate_id"].unique())\n'
        'closest = recorded.sort_values("margin").iloc[0]["symbol"]'),
    ("m2-mandates", "q3_mechanism"): 'answers = {"a": "tb", "b": "tb", "c": "upr"}',
    ("m3-communications", "q1_deadlines"): (
        'rows = []\nfor row in comms.itertuples():\n    sent = row.date.date()\n'
        '    timeline = communication_timeline("other_letter", sent)\n'
        '    rows.append({"gid": row.gid, "sent": sent, "reply_deadline": timeline.reply_deadline,\n'
        '                 "published": timeline.publication_date})\ndeadlines = pd.DataFrame(rows)'),
    ("m3-communications", "q2_joint"): (
        'joint_count = int(comms["is_joint"].sum())\nsingle_count = int((~comms["is_joint"]).sum())\n'
        'joint_share_sample = round(comms["is_joint"].mean(), 1)'),
    ("m3-communications", "q3_themes"): (
        'per_theme = reports.groupby("theme_id")["symbol"].nunique().sort_values(ascending=False)\n'
        'themes_with_most = [per_theme.idxmax()]'),
    ("m3-communications", "q4_draft"): '''draft = Submission.from_dict({
    "title": "维权人士被任意拘留", "comm_type": "urgent_appeal",
    "sender": {"name": "河区居民互助小组", "organisation": "河区居民互助小组", "contact": "请通过培训师转交"},
    "urgency": {"is_urgent": True, "why": "他自2025年3月3日起被关押，3月14日就要开庭，情况紧急。"},
    "victims": [{"name": "托马斯·瓦尔加", "age": "34", "gender": "男", "origin_residence": "诺维克"}],
    "consent": {"given_by": "family", "in_writing": True, "names_to_government": True, "may_publish": False},
    "facts": {"what": "警察在他的办公室将他逮捕，扣押了他的笔记本电脑，他至今没有见到律师。",
              "date_from": "2025-03-03", "places": "诺维克中心警察局"},
    "perpetrators": {"names": "诺维克警方", "roles": "警察", "motives": "阻止居民就强拆提出投诉"},
    "context": {"background": "河区居民自2025年1月起被强制迁离，既没有事先通知，也没有任何补偿。"},
    "action": {"domestic": "家人于3月5日请求检察官释放他，至今没有回音。"},
    "requests": {"actions": "敦促当局立即释放他，并让他会见律师和家人。", "press_release": False},
})''',
    ("m3-communications", "q5_wgad"): '''wgad_draft = Submission.from_dict({
    "profile": "wgad", "addressee": {"state": "Veloria"},
    "sender": {"organisation": "Rights Watch Collective", "contact": "via the facilitator", "relationship": "NGO"},
    "victims": [{"name": "Tomas Varga"}],
    "detention": {"arrest_date": "2025-03-03", "arrest_place": "Norwick", "arrest_forces": "police",
                  "warrant_shown": False, "detained_since": "2025-03-03", "detention_place": "Norwick",
                  "legal_basis": "public order law", "categories": ["IV"], "why_arbitrary": "No lawyer."},
    "action": {"domestic": "Request to the prosecutor."},
})''',
    ("m4-safety", "q1_levels"): (
        'register = RiskRegister(items=[\n    RiskItem("victims", "physical_violence", 4, 4),\n'
        '    RiskItem("families", "surveillance", 2, 2),\n    RiskItem("organisation", "smear", 2, 2),\n'
        '], threshold_level="medium")\nlevels = [item.level for item in register.items]'),
    # The mistake the rule in code exists for: crediting informed consent with lowering the risk.
    ("m4-safety", "q2_mitigation"): (
        'first = register.items[0]\nfirst.intent, first.capability = 3, 3\n'
        'register.groups.append(AtRisk("victims", vulnerability=4, capacity=2))\n'
        'before = register.analysis(first)\nfirst.mitigations = ["informed_consent"]\n'
        'first.after_vulnerability, first.after_capacity = 2, 4\n'
        'after = register.analysis(first)\nresult = conclusion(register)'),
    ("m4-safety", "q3_cycle"): (
        'TODAY = date(2025, 4, 1)\nincidents = [date(2024, 6, 10), date(2025, 3, 20), date(2023, 11, 20)]\n'
        'deadlines = [date(i.year + 1, 4, 15) for i in incidents]\npresented = [f"{i.year + 1}-09" for i in incidents]'),
}


def _gid(cell) -> str | None:
    meta = cell.get("metadata", {}).get("nbgrader")
    return meta.get("grade_id") if isinstance(meta, dict) else None


def _release(assignment: str) -> dict:
    return json.loads((ROOT / "exercises" / assignment / f"{assignment}.ipynb").read_text(encoding="utf-8"))


def _wrong_version(assignment: str) -> dict:
    nb = _release(assignment)
    slug = assignment.rsplit("-", 1)[0]
    for cell in nb["cells"]:
        key = (slug, _gid(cell))
        if key in WRONG:
            cell["source"] = WRONG[key]
    return nb


def _damaged(kind: str) -> bytes:
    if kind in ("notnb", "deleted", "copied", "meta"):
        name = {"notnb": "not_a_notebook", "deleted": "cells_deleted", "copied": "cell_copied",
                "meta": "metadata_broken"}[kind]
        return (FIXTURES / f"{name}.ipynb").read_bytes()
    nb = _release("m2-mandates-en")
    target = next(c for c in nb["cells"] if _gid(c) == "q1_by_year")
    if kind == "loop":  # an endless loop that even ignores the interrupt nbgrader sends
        target["source"] = "import signal\nsignal.signal(signal.SIGINT, signal.SIG_IGN)\nwhile True:\n    pass"
    else:  # a flood of output
        target["source"] = "for i in range(20000):\n    print('spam', i)"
    return json.dumps(nb).encode("utf-8")


@pytest.fixture(scope="session")
def course():
    """A facilitator's course folder after setup, collect, autograde and feedback.

    Made with ``tempfile`` rather than pytest's ``tmp_path_factory``: when several
    pytest sessions run on one machine, pytest prunes older session folders, and
    this one lives for minutes.
    """
    warnings.simplefilter("ignore")
    base = Path(tempfile.mkdtemp(prefix="sp-grading-test-"))
    try:
        yield _build_course(base)
    finally:
        shutil.rmtree(base, ignore_errors=True)


def _build_course(base: Path) -> Path:
    root = base / "course"
    people = ["sol", "blank", "wrong", *DAMAGED]
    roster = base / "roster.csv"
    roster.write_text("id,first_name,last_name\n" + "".join(f"{p},测试,Tester\n" for p in people), encoding="utf-8")
    assert cli.main(["setup", "--course", str(root), "--roster", str(roster)]) == 0

    inbox = base / "inbox"
    inbox.mkdir()
    for assignment in ASSIGNMENTS:
        shutil.copy(ROOT / "solutions" / assignment / f"{assignment}.ipynb", inbox / f"sol_{assignment}.ipynb")
        shutil.copy(ROOT / "exercises" / assignment / f"{assignment}.ipynb", inbox / f"blank_{assignment}.ipynb")
        if assignment.endswith("-en"):
            (inbox / f"wrong_{assignment}.ipynb").write_text(json.dumps(_wrong_version(assignment)), encoding="utf-8")
    for participant in DAMAGED:
        (inbox / f"{participant}_m2-mandates-en.ipynb").write_bytes(_damaged(participant))
    (inbox / "stranger_m1-facts-en.ipynb").write_text("{}", encoding="utf-8")
    assert cli.main(["collect", "--course", str(root), str(inbox)]) == 0

    # limits generous enough for a loaded machine: each kernel starts in the sandbox and imports pandas/plotly
    assert cli.main(["autograde", "--course", str(root), "--jobs", "2", "--timeout", "90",
                     "--cell-timeout", "20"]) == 0
    assert cli.main(["feedback", "--course", str(root), "m1-facts-en", "m2-mandates-en", "m3-communications-zh"]) == 0
    return root


def _scores(root: Path) -> dict[tuple[str, str], dict]:
    rows = results.gradebook_scores(f"sqlite:///{root / 'gradebook.db'}")
    return {(line["participant"], line["assignment"]): line for line in results.wide_table(rows)}


def test_regenerated_exercises_are_exactly_the_committed_ones(course):
    for assignment in ASSIGNMENTS:
        made = course / "exercises" / assignment / f"{assignment}.ipynb"
        committed = ROOT / "exercises" / assignment / f"{assignment}.ipynb"
        assert made.read_bytes() == committed.read_bytes(), f"regenerate exercises/{assignment} with nbgrader"


def test_every_solution_scores_full_marks_and_every_blank_scores_zero(course):
    scores = _scores(course)
    for assignment in ASSIGNMENTS:
        solved, blank = scores[("sol", assignment)], scores[("blank", assignment)]
        assert solved["auto_max"] > 0
        assert solved["auto_score"] == solved["auto_max"], (assignment, solved)
        assert blank["score"] == 0, (assignment, blank)
        # written answers of the solution wait for the formgrader; untouched ones are 0 already
        assert blank["pending_manual"] == 0


def test_each_plausible_wrong_answer_passes_visible_tests_and_fails_hidden_ones(course):
    from nbclient import NotebookClient

    scores = _scores(course)
    for assignment in (a for a in ASSIGNMENTS if a.endswith("-en")):
        # 1. the visible tests of the student version accept the wrong answers ...
        nb = nbformat.reads(json.dumps(_wrong_version(assignment)), as_version=4)
        NotebookClient(nb, timeout=60, kernel_name="python3", resources={"metadata": {"path": str(course)}}).execute()
        errors = [(_gid(c), o.get("ename")) for c in nb.cells for o in c.get("outputs", []) if o.get("output_type") == "error"]
        assert errors == [], f"{assignment}: a wrong answer already fails a visible test: {errors}"
        # 2. ... and every autograded question still scores 0, so the hidden tests caught each one
        line = scores[("wrong", assignment)]
        graded = {k[2:]: v for k, v in line.items() if k.startswith("q:") and k.endswith("_tests")}
        assert graded and all(score == 0 for score in graded.values()), (assignment, graded)
        slug = assignment.rsplit("-", 1)[0]
        assert len(graded) == sum(1 for key in WRONG if key[0] == slug)


def test_damaged_submissions_are_reported_by_name_and_the_rest_is_graded(course):
    report = json.loads((course / "grading-reports" / "autograde-m2-mandates-en.json").read_text(encoding="utf-8"))
    outcomes = {o["participant"]: o for o in report["outcomes"]}
    for participant, code in DAMAGED.items():
        codes = [p["code"] for p in outcomes[participant]["problems"]]
        assert code in codes, (participant, outcomes[participant])
    assert outcomes["notnb"]["status"] == "not_graded"
    assert outcomes["sol"]["status"] == "graded" and outcomes["sol"]["problems"] == []
    scores = _scores(course)
    assert scores[("notnb", "m2-mandates-en")]["score"] == 0
    # repaired submissions were graded on their merits: q3 was answered correctly in these fixtures
    assert scores[("deleted", "m2-mandates-en")]["q:q3_tests"] == 2
    assert scores[("meta", "m2-mandates-en")]["q:q3_tests"] == 2
    # the learner's copy runs after the original and overwrites its answer: graded as the notebook runs
    assert outcomes["copied"]["status"] == "graded"
    assert scores[("copied", "m2-mandates-en")]["q:q3_tests"] == 0
    assert scores[("loop", "m2-mandates-en")]["q:q1_tests"] == 0
    # the original file is kept beside the repaired one
    assert (course / "submitted" / "meta" / "m2-mandates-en" / "m2-mandates-en.ipynb.orig").exists()
    assert not (course / "submitted" / "stranger").exists(), "someone not on the roster is not collected"


def test_feedback_shows_no_hidden_test_and_fetches_nothing(course):
    pages = sorted((course / "feedback").rglob("*.html"))
    assert len(pages) >= 9
    for page in pages:
        assignment = page.parent.name
        source = json.loads((ROOT / "solutions" / assignment / f"{assignment}.ipynb").read_text(encoding="utf-8"))
        text = page.read_text(encoding="utf-8")
        assert hidden.leaks(text, hidden.hidden_lines(source)) == [], page
        assert hidden.remote_references(text) == [], page
    wrong = (course / "feedback" / "wrong" / "m1-facts-en" / "m1-facts-en.html").read_text(encoding="utf-8")
    assert "hidden tests are not shown" in wrong


def test_grades_export_and_cohort_summary(course, tmp_path):
    out = tmp_path / "grades.csv"
    assert cli.main(["export", "--course", str(course), "--output", str(out)]) == 0
    rows = list(csv.DictReader(out.open(encoding="utf-8-sig")))
    assert {(r["participant"], r["assignment"]) for r in rows} >= {("sol", a) for a in ASSIGNMENTS}
    assert any(r["problems"] for r in rows if r["participant"] == "loop")
    page = tmp_path / "summary.html"
    assert cli.main(["summary", "--course", str(course), "--output", str(page)]) == 0
    text = page.read_text(encoding="utf-8")
    assert "Follow-up needed" in text and hidden.remote_references(text) == []
    assert "loop" in text.split("Follow-up needed", 1)[1]


def test_release_packages_a_zip_per_assignment(course):
    assert cli.main(["release", "--course", str(course), "m1-facts-zh"]) == 0
    import zipfile

    with zipfile.ZipFile(course / "release-packages" / "m1-facts-zh.zip") as zf:
        assert zf.namelist() == ["m1-facts-zh/m1-facts-zh.ipynb"]


def test_formgrader_extensions_are_enabled_and_ok():
    status = cli.extension_status(str(Path(sys.executable).with_name("jupyter")))
    assert "nbgrader" in status["lab"] and "enabled" in status["lab"] and "OK" in status["lab"], status
    server = status["server"]
    assert "nbgrader" in server and "enabled" in server, status
    assert "OK" in server or "ok" in server, status
