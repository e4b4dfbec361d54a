"""The facilitator's grading rules, tested without running nbgrader (fast)."""
from __future__ import annotations

import copy
import csv
import io
import json
import os
import zipfile
from pathlib import Path

import pytest

from course.grading import authoring, cli, collect, hidden, inspect, results, roster

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(autouse=True)
def _english_unless_asked(monkeypatch):
    """sp-facilitator follows $SP_COURSE_LANG: the tests choose their language explicitly."""
    monkeypatch.delenv("SP_COURSE_LANG", raising=False)

FIXTURES = ROOT / "tests" / "fixtures" / "grading"
RELEASE = json.loads((ROOT / "exercises" / "m2-mandates-en" / "m2-mandates-en.ipynb").read_text(encoding="utf-8"))


def _gid(cell):
    meta = cell.get("metadata", {}).get("nbgrader")
    return meta.get("grade_id") if isinstance(meta, dict) else None


def _answered(nb: dict) -> dict:
    """The released notebook with every answer cell 'filled in'."""
    nb = copy.deepcopy(nb)
    for cell in nb["cells"]:
        meta = cell["metadata"].get("nbgrader") or {}
        if meta.get("solution"):
            cell["source"] = "answers = {'a': 'sp'}  # 答案 ✓ عربي"
    return nb


# --------------------------------------------------------------------------- hidden tests

def test_strip_source_removes_the_hidden_region_and_keeps_visible_tests():
    source = "assert a == 1\n### BEGIN HIDDEN TESTS\nassert a == 42, 'secret'\n### END HIDDEN TESTS\nprint('ok')"
    stripped, found = hidden.strip_source(source)
    assert found
    assert "secret" not in stripped and "42" not in stripped and "HIDDEN" not in stripped
    assert stripped.startswith("assert a == 1") and stripped.endswith("print('ok')")


def test_strip_source_hides_an_unterminated_region_to_the_end():
    stripped, found = hidden.strip_source("x = 1\n### BEGIN HIDDEN TESTS\nassert x == 2\nassert x > 0")
    assert found and "assert x" not in stripped


def test_strip_source_leaves_ordinary_cells_alone():
    assert hidden.strip_source("print('hello')") == ("print('hello')", False)


def test_strip_notebook_replaces_outputs_that_could_show_a_hidden_assert():
    nb = {"cells": [
        {"cell_type": "code", "source": "assert f(1)\n### BEGIN HIDDEN TESTS\nassert f(21) == 42\n### END HIDDEN TESTS",
         "outputs": [{"output_type": "error", "ename": "AssertionError", "evalue": "",
                      "traceback": ["----> 3 assert f(21) == 42"]}]},
        {"cell_type": "code", "source": "print(1)", "outputs": [{"output_type": "stream", "name": "stdout", "text": "1"}]},
    ]}
    clean, count = hidden.strip_notebook(nb)
    assert count == 1
    text = json.dumps(clean)
    assert "f(21)" not in text and "42" not in text
    assert "failed" in clean["cells"][0]["outputs"][0]["text"]
    assert clean["cells"][1] == nb["cells"][1]
    assert "f(21)" in json.dumps(nb), "the original notebook is left untouched"


def test_hidden_lines_and_leaks_find_hidden_code_in_a_page():
    source = json.loads((ROOT / "solutions" / "m1-facts-en" / "m1-facts-en.ipynb").read_text(encoding="utf-8"))
    secret = hidden.hidden_lines(source)
    assert "assert joint_share == 89.6" in secret
    assert hidden.leaks("<pre>assert joint_share == 89.6</pre>", secret)
    assert hidden.leaks("<p>all good</p>", secret) == []


def test_offline_html_drops_remote_scripts_and_stylesheets():
    page = ('<head><script src="https://cdnjs.cloudflare.com/ajax/libs/mathjax/2.7.7/latest.js?config=X"> </script>'
            '<link rel="stylesheet" href="//fonts.example.org/a.css"><script>var local = 1;</script></head>'
            '<a href="https://ohchr.org">a link a reader may follow</a>')
    cleaned = hidden.offline_html(page)
    assert "cdnjs" not in cleaned and "fonts.example" not in cleaned
    assert "var local = 1" in cleaned and 'href="https://ohchr.org"' in cleaned
    assert hidden.remote_references(cleaned) == []
    assert hidden.remote_references(page)


# --------------------------------------------------------------------------- damaged submissions

def _write(tmp_path, name, content) -> Path:
    path = tmp_path / name
    path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    return path


@pytest.mark.parametrize("content, expected", [
    ("hello, not json", "not valid JSON"),
    (b"\xff\xfe\x00garbage", "not a text file"),
    ('{"a": 1}', "no list of cells"),
    ('{"cells": [], "nbformat": 3}', "format 3"),
    ('{"cells": [1, 2], "nbformat": 4, "metadata": {}}', "are not notebook cells"),
])
def test_a_file_that_is_not_a_notebook_is_reported_and_not_graded(tmp_path, content, expected):
    result = inspect.inspect_submission(_write(tmp_path, "x.ipynb", content), RELEASE)
    assert not result.gradable
    assert result.problems[0].fatal and expected in result.problems[0].detail


def test_an_untouched_release_has_no_problems(tmp_path):
    result = inspect.inspect_submission(_write(tmp_path, "x.ipynb", json.dumps(RELEASE)), RELEASE)
    assert result.gradable and result.problems == []


def test_deleted_test_cell_is_put_back_in_place(tmp_path):
    nb = _answered(RELEASE)
    position = next(i for i, c in enumerate(nb["cells"]) if _gid(c) == "q2_tests")
    del nb["cells"][position]
    repaired, problems = inspect.inspect_notebook(nb, RELEASE)
    assert [p.code for p in problems] == ["cell_deleted"]
    assert "q2_tests" in problems[0].detail and "test cell" in problems[0].detail
    ids = [_gid(c) for c in repaired["cells"] if _gid(c)]
    assert ids == [_gid(c) for c in RELEASE["cells"] if _gid(c)], "same graded cells, same order"


def test_deleted_answer_retyped_elsewhere_is_called_retyped(tmp_path):
    nb = _answered(RELEASE)
    position = next(i for i, c in enumerate(nb["cells"]) if _gid(c) == "q3_mechanism")
    retyped = {"cell_type": "code", "metadata": {}, "source": nb["cells"][position]["source"].replace(
        "answers = {'a': 'sp'}", "display(mech.pivot(index=\"criterion_en\", columns=\"mechanism\", values=\"short_answer_en\"))"),
        "outputs": [], "execution_count": None}
    nb["cells"][position] = retyped
    _, problems = inspect.inspect_notebook(nb, RELEASE)
    assert [p.code for p in problems] == ["cell_retyped"]


def test_copied_cell_keeps_its_id_on_the_first_copy_only():
    nb = _answered(RELEASE)
    position = next(i for i, c in enumerate(nb["cells"]) if _gid(c) == "q1_by_year")
    copy_cell = copy.deepcopy(nb["cells"][position])
    copy_cell["id"] = "learner-copy"
    nb["cells"].insert(position + 1, copy_cell)
    repaired, problems = inspect.inspect_notebook(nb, RELEASE)
    assert [p.code for p in problems] == ["cell_copied"]
    assert sum(_gid(c) == "q1_by_year" for c in repaired["cells"]) == 1
    assert len(repaired["cells"]) == len(nb["cells"]), "the copy stays, as a plain cell"


def test_broken_grading_metadata_is_restored_from_the_released_cell():
    nb = _answered(RELEASE)
    answer_cell = next(c for c in nb["cells"] if _gid(c) == "q2_contested")
    tests_cell = next(c for c in nb["cells"] if _gid(c) == "q1_tests")
    tests_cell["metadata"]["nbgrader"] = "broken"
    answer_cell["metadata"]["nbgrader"]["points"] = 100
    answer_cell["metadata"]["nbgrader"]["grade"] = True
    nb["metadata"] = []
    repaired, problems = inspect.inspect_notebook(nb, RELEASE)
    codes = [p.code for p in problems]
    assert codes.count("metadata_broken") == 3
    by_id = {c["id"]: c for c in repaired["cells"]}
    for cell in RELEASE["cells"]:
        if _gid(cell):
            assert by_id[cell["id"]]["metadata"]["nbgrader"] == cell["metadata"]["nbgrader"]
    assert isinstance(repaired["metadata"], dict)


def test_huge_saved_outputs_are_cleared_and_reported():
    nb = _answered(RELEASE)
    cell = next(c for c in nb["cells"] if c["cell_type"] == "code")
    cell["outputs"] = [{"output_type": "stream", "name": "stdout", "text": "spam\n" * 700_000}]
    repaired, problems = inspect.inspect_notebook(nb, RELEASE)
    assert [p.code for p in problems] == ["huge_output"]
    assert all(c.get("outputs") == [] for c in repaired["cells"] if c["cell_type"] == "code")


def test_any_script_control_characters_and_a_megabyte_answer_do_not_crash(tmp_path):
    nb = _answered(RELEASE)
    for cell in nb["cells"]:
        if (cell["metadata"].get("nbgrader") or {}).get("solution"):
            cell["source"] = "x = '中文 עברית العربية 🙂 \x00\x07\x1b'\n" + "# " + "字" * 1_000_000
    path = _write(tmp_path, "x.ipynb", json.dumps(nb, ensure_ascii=False))
    result = inspect.inspect_submission(path, RELEASE)
    assert result.gradable and result.problems == []


def test_fixture_submissions_are_each_reported_by_what_is_wrong():
    expected = {"not_a_notebook.ipynb": "not_notebook", "cells_deleted.ipynb": "cell_deleted",
                "cell_copied.ipynb": "cell_copied", "metadata_broken.ipynb": "metadata_broken"}
    for name, code in expected.items():
        result = inspect.inspect_submission(FIXTURES / name, RELEASE)
        assert code in [p.code for p in result.problems], name


# --------------------------------------------------------------------------- roster

def test_roster_reads_ids_names_in_any_script_and_aliases():
    people = roster.parse_roster("\ufeffstudent_id,First,family_name,email,lang\np01,李,华,,zh\n"
                                 "p02,Amal,حداد,a@example.org,en\n,,,,\n")
    assert [p.id for p in people] == ["p01", "p02"]
    assert people[0].first_name == "李" and people[1].last_name == "حداد"
    assert people[1].gradebook_fields()["email"] == "a@example.org"


@pytest.mark.parametrize("text, message", [
    ("", "empty"),
    ("name\nx\n", "no 'id' column"),
    ("id\n../etc\n", "ASCII"),
    ("id\np 1\n", "ASCII"),
    ("id\np01\nP01\n", "already used"),
    ("id,lang\np01,fr\n", "lang"),
    ("id\n", "nobody"),
])
def test_roster_problems_are_all_explained(text, message):
    with pytest.raises(roster.RosterError, match=message):
        roster.parse_roster(text)


def test_roster_file_must_be_utf8(tmp_path):
    path = tmp_path / "roster.csv"
    path.write_bytes("id,first_name\np01,Zoë\n".encode("latin-1"))
    with pytest.raises(roster.RosterError, match="UTF-8"):
        roster.read_roster(path)


# --------------------------------------------------------------------------- collecting files

ASSIGNMENTS = ["m1-facts-en", "m1-facts-zh", "m3-communications-en"]


@pytest.mark.parametrize("name, expected", [
    ("p07_m1-facts-en.ipynb", ("p07", "m1-facts-en")),
    ("p07_m1-facts-en (1).ipynb", ("p07", "m1-facts-en")),
    ("anna.b_m3-communications-en-final.ipynb", ("anna.b", "m3-communications-en")),
    ("p07_m1-facts-zh.zip", ("p07", "m1-facts-zh")),
    ("p07_m1-facts.ipynb", None),
    ("m1-facts-en.ipynb", None),
    ("p07_m1-facts-en.txt", None),
    ("李_m1-facts-en.ipynb", None),
])
def test_file_names_are_matched_to_participant_and_assignment(name, expected):
    match = collect.match_name(name, ASSIGNMENTS)
    assert (None if match is None else (match.participant, match.assignment)) == expected


def test_plan_takes_the_newest_copy_and_lists_what_it_cannot_place(tmp_path):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    old = _write(inbox, "p01_m1-facts-en.ipynb", "{}")
    new = _write(inbox, "p01_m1-facts-en (1).ipynb", '{"new": 1}')
    os.utime(old, (1_000_000, 1_000_000))
    os.utime(new, (2_000_000, 2_000_000))
    _write(inbox, "notes.txt", "hello")
    _write(inbox, "p99_m1-facts-en.ipynb", "{}")
    with zipfile.ZipFile(inbox / "p02_m1-facts-zh.zip", "w") as zf:
        zf.writestr("m1-facts-zh/m1-facts-zh.ipynb", '{"zipped": true}')
        zf.writestr("__MACOSX/m1-facts-zh/._m1-facts-zh.ipynb", "junk")
    (inbox / "m3-communications-en").mkdir()
    _write(inbox / "m3-communications-en", "p03.ipynb", '{"folder": 1}')
    plan = collect.plan(inbox, ASSIGNMENTS, roster_ids={"p01", "p02", "p03"})
    assert [(i.participant, i.assignment) for i in plan.items] == [
        ("p01", "m1-facts-en"), ("p02", "m1-facts-zh"), ("p03", "m3-communications-en")]
    assert plan.items[0].source == new and [i.source for i in plan.superseded] == [old]
    assert plan.unmatched == ["notes.txt"]
    assert [i.participant for i in plan.not_on_roster] == ["p99"]

    written = collect.apply(plan, tmp_path / "submitted")
    assert [p.relative_to(tmp_path).as_posix() for p in written] == [
        "submitted/p01/m1-facts-en/m1-facts-en.ipynb", "submitted/p02/m1-facts-zh/m1-facts-zh.ipynb",
        "submitted/p03/m3-communications-en/m3-communications-en.ipynb"]
    assert json.loads(written[0].read_text()) == {"new": 1}
    assert json.loads(written[1].read_text()) == {"zipped": True}
    assert (written[0].parent / "timestamp.txt").read_text().startswith("1970-01-24")


# --------------------------------------------------------------------------- results

ROWS = [
    results.CellScore("p01", "m4-safety-en", "q1_tests", 2, 2, True, False, "Zoë", "=HYPERLINK(\"x\")"),
    results.CellScore("p01", "m4-safety-en", "q2_tests", 2, 2, True, False, "Zoë", "=HYPERLINK(\"x\")"),
    results.CellScore("p01", "m4-safety-en", "q4_reflection", 0, 4, False, True, "Zoë", "=HYPERLINK(\"x\")"),
    results.CellScore("p02", "m4-safety-en", "q1_tests", 0, 2, True, False, "<script>alert(1)</script>", "李"),
    results.CellScore("p02", "m4-safety-en", "q2_tests", 2, 2, True, False, "<script>alert(1)</script>", "李"),
    results.CellScore("p02", "m4-safety-en", "q4_reflection", 3, 4, False, False, "<script>alert(1)</script>", "李"),
]


def test_wide_table_totals_and_questions():
    table = results.wide_table(ROWS, {("p02", "m4-safety-en"): ["cell_deleted: test cell q1_tests was deleted"]})
    p01, p02 = table
    assert (p01["score"], p01["max_score"], p01["auto_score"], p01["pending_manual"]) == (4, 8, 4, 1)
    assert (p02["score"], p02["percent"], p02["q:q1_tests"]) == (5, 62.5, 0)
    assert "cell_deleted" in p02["problems"]


def test_csv_neutralises_spreadsheet_formulas_and_keeps_any_script():
    text = results.table_csv(results.wide_table(ROWS))
    rows = list(csv.DictReader(io.StringIO(text)))
    assert rows[0]["last_name"].startswith("'=") and rows[1]["last_name"] == "李"
    assert rows[0]["q:q4_reflection"] == "0"


def test_question_success_ignores_answers_still_to_grade():
    success = {s["question"]: s for s in results.question_success(ROWS)}
    assert success["q1_tests"]["rate"] == 0.5 and success["q2_tests"]["rate"] == 1.0
    assert success["q4_reflection"]["graded"] == 1


def test_follow_up_says_why():
    people = results.follow_up(results.wide_table(ROWS, {("p02", "m4-safety-en"): ["timeout: loop"]}), threshold=0.8)
    reasons = {p["participant"]: " ".join(p["reasons"]) for p in people}
    assert "formgrader" in reasons["p01"]
    assert "autograded score 2/4" in reasons["p02"] and "timeout" in reasons["p02"]


def test_summary_page_embeds_plotly_escapes_names_and_fetches_nothing():
    table = results.wide_table(ROWS)
    page = results.summary_html(table, ROWS, title="Cohort <b>A</b>")
    assert "<script>alert(1)</script>" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "Cohort &lt;b&gt;A&lt;/b&gt;" in page
    assert len(page) > 1_000_000, "plotly.js is embedded in the page"
    assert hidden.remote_references(page) == []
    assert "cdn.plot.ly" not in "".join(hidden.remote_references(page))


# --------------------------------------------------------------------------- the source assignments

ASSIGNMENT_SPECS = authoring.load_assignments()


def test_solutions_are_exactly_what_the_specs_build():
    stale = [str(p.relative_to(ROOT)) for p, text in authoring.expected_files(ROOT).items()
             if not p.exists() or p.read_text(encoding="utf-8") != text]
    assert stale == [], f"run `python -m course.grading.authoring --exercises`: {stale}"


def test_at_least_one_assignment_per_module_and_language():
    folders = sorted(p.name for p in (ROOT / "solutions").iterdir() if p.is_dir())
    assert len(folders) >= 8
    for module in ("m1", "m2", "m3", "m4"):
        for lang in ("en", "zh"):
            assert any(f.startswith(module) and f.endswith(lang) for f in folders), (module, lang)


def test_a_graded_cell_without_grade_id_is_refused_by_name():
    spec = authoring.Assignment("m0-example", [authoring.Cell("answer", "x = 1")])
    with pytest.raises(ValueError, match="'answer' cell needs a grade_id"):
        authoring.notebook(spec, "en")


@pytest.mark.parametrize("assignment", ASSIGNMENT_SPECS, ids=lambda a: a.slug)
def test_both_languages_have_the_same_questions_tests_and_points(assignment):
    en, zh = (authoring.notebook(assignment, lang) for lang in ("en", "zh"))

    def graded(nb):
        return [(c["id"], c["cell_type"], c["metadata"].get("nbgrader"),
                 "".join(c["source"]) if (c["metadata"].get("nbgrader") or {}).get("grade")
                 and not c["metadata"]["nbgrader"].get("solution") else None)
                for c in nb["cells"]]

    assert graded(en) == graded(zh)
    assert en["metadata"]["sp_course"]["points"] == zh["metadata"]["sp_course"]["points"] > 0
    for cell in zh["cells"]:
        if cell["cell_type"] == "markdown" and not (cell["metadata"].get("nbgrader") or {}).get("solution"):
            text = "".join(cell["source"])
            assert any("\u4e00" <= ch <= "\u9fff" for ch in text), f"zh text cell {cell['id']} has no Chinese"
            assert "(2 points)" not in text


@pytest.mark.parametrize("assignment", ASSIGNMENT_SPECS, ids=lambda a: a.slug)
def test_every_autograded_question_has_visible_and_hidden_tests(assignment):
    for cell in assignment.cells:
        if cell.kind == "tests":
            visible, _ = hidden.strip_source(cell.text)
            assert "### BEGIN HIDDEN TESTS" in cell.text, cell.grade_id
            assert "assert" in visible.replace(hidden.PLACEHOLDER, ""), f"{cell.grade_id} has no visible test"
        if cell.kind in ("written", "code_manual"):
            preceding = assignment.cells[assignment.cells.index(cell) - 1]
            rubric = preceding.text["en"] if preceding.kind == "md" else ""
            assert "Rubric" in rubric or "Graded by your facilitator" in rubric, f"{cell.grade_id}: rubric shown"


def test_solution_notebooks_are_clean_nbformat_v4_python():
    for path in sorted((ROOT / "solutions").glob("*/*.ipynb")) + sorted((ROOT / "exercises").glob("*/*.ipynb")):
        nb = json.loads(path.read_text(encoding="utf-8"))
        assert nb["nbformat"] == 4 and nb["metadata"]["kernelspec"]["name"] == "python3"
        assert nb["metadata"]["language_info"] == {"name": "python"}


def test_student_versions_hold_no_solution_and_no_hidden_test():
    for path in sorted((ROOT / "exercises").glob("*/*.ipynb")):
        text = path.read_text(encoding="utf-8")
        assert "BEGIN SOLUTION" not in text and "HIDDEN TESTS" not in text, path.name
        assert "raise NotImplementedError()" in text


# --------------------------------------------------------------------------- command line

def test_cli_refuses_a_bad_roster_without_a_traceback(tmp_path, capsys):
    bad = tmp_path / "roster.csv"
    bad.write_text("id\n../../etc\n", encoding="utf-8")
    assert cli.main(["setup", "--course", str(tmp_path / "course"), "--roster", str(bad)]) == 2
    assert "ASCII" in capsys.readouterr().err
    assert not (tmp_path / "course" / "gradebook.db").exists()


def test_cli_says_when_a_folder_is_not_a_course(tmp_path, capsys):
    assert cli.main(["autograde", "--course", str(tmp_path), "m1-facts-en"]) == 2
    assert "not a course folder" in capsys.readouterr().err


def test_cli_help_lists_every_step():
    text = cli.build_parser().format_help()
    for command in ("setup", "release", "collect", "autograde", "feedback", "export", "summary", "check"):
        assert command in text


# --------------------------------------------------------------------------- languages (--lang zh|en)

def _has_chinese(text: str) -> bool:
    return any("\u4e00" <= ch <= "\u9fff" for ch in text)


def _deleted_test_cell_outcome():
    from course.grading.parallel import Outcome

    nb = _answered(RELEASE)
    del nb["cells"][next(i for i, c in enumerate(nb["cells"]) if _gid(c) == "q2_tests")]
    _, problems = inspect.inspect_notebook(nb, RELEASE)
    return Outcome("p07", "m2-mandates-en", "graded", problems)


def test_damage_report_is_english_by_default_and_chinese_with_lang_zh():
    outcome = _deleted_test_cell_outcome()
    english = outcome.describe()
    assert english == outcome.describe("en")
    assert "cell_deleted: test cell q2_tests was deleted; put back from the released version [repaired]" in english
    assert not _has_chinese(english)
    chinese = outcome.describe("zh")
    assert "cell_deleted：测试单元格 q2_tests 被删除，已按发放版本放回【已修复】" in chinese
    assert "p07 / m2-mandates-en：已评分" in chinese
    # the JSON report (and so the grades CSV) keeps the English detail whatever the language
    assert outcome.as_dict()["problems"][0]["detail"] == "test cell q2_tests was deleted; put back from the released version"


@pytest.mark.parametrize("name", ["not_a_notebook.ipynb", "cells_deleted.ipynb", "cell_copied.ipynb",
                                  "metadata_broken.ipynb"])
def test_every_fixture_problem_reads_in_chinese(name):
    result = inspect.inspect_submission(FIXTURES / name, RELEASE)
    assert result.problems
    for problem in result.problems:
        assert problem.key.startswith("grading.problem.")
        assert _has_chinese(problem.line("zh")), problem.line("zh")
        assert problem.text("en") == problem.detail and not _has_chinese(problem.line("en"))


def test_cli_errors_follow_lang_before_or_after_the_command(tmp_path, capsys):
    assert cli.main(["--lang", "zh", "autograde", "--course", str(tmp_path), "m1-facts-en"]) == 2
    assert "不是课程文件夹" in capsys.readouterr().err
    (tmp_path / "solutions" / "m1-facts-en").mkdir(parents=True)
    assert cli.main(["release", "--course", str(tmp_path), "--lang", "zh", "m9-nothing"]) == 2
    err = capsys.readouterr().err
    assert "没有这个作业：m9-nothing；现有作业：m1-facts-en" in err
    assert cli.main(["release", "--course", str(tmp_path), "m9-nothing"]) == 2
    assert "unknown assignment(s) m9-nothing; known: m1-facts-en" in capsys.readouterr().err


def test_cli_roster_errors_in_chinese(tmp_path, capsys):
    missing = tmp_path / "no-such-roster.csv"
    assert cli.main(["--lang", "zh", "setup", "--course", str(tmp_path / "c"), "--roster", str(missing)]) == 2
    assert "无法读取名单" in capsys.readouterr().err
    bad = tmp_path / "roster.csv"
    bad.write_text("id\n../../etc\n", encoding="utf-8")
    assert cli.main(["--lang", "zh", "setup", "--course", str(tmp_path / "c"), "--roster", str(bad)]) == 2
    err = capsys.readouterr().err
    assert "名单有以下问题" in err and "第 2 行" in err and "化名编号" in err
    assert not (tmp_path / "c" / "gradebook.db").exists()


def test_cli_language_defaults_to_english_then_sp_course_lang(monkeypatch):
    monkeypatch.delenv("SP_COURSE_LANG", raising=False)
    assert cli.build_parser().parse_args(["check"]).lang == "en"
    monkeypatch.setenv("SP_COURSE_LANG", "zh_CN")
    assert cli.build_parser().parse_args(["check"]).lang == "zh"
    assert cli.build_parser().parse_args(["check", "--lang", "en"]).lang == "en"
    monkeypatch.setenv("SP_COURSE_LANG", "fr")
    assert cli.build_parser().parse_args(["check"]).lang == "en"
    with pytest.raises(SystemExit):
        cli.build_parser().parse_args(["--lang", "fr", "check"])


def test_summary_page_headings_in_chinese_and_english_by_default():
    table = results.wide_table(ROWS, {("p02", "m4-safety-en"): ["timeout: loop"]})
    english = results.summary_html(table, ROWS)
    assert '<html lang="en">' in english and "<h1>Cohort summary</h1>" in english
    assert "<h2>Follow-up needed</h2>" in english and "<h2>Scores</h2>" in english
    assert "Score distribution (% of points)" in english
    chinese = results.summary_html(table, ROWS, lang="zh")
    assert '<html lang="zh-Hans">' in chinese and "<h1>学员总体概况</h1>" in chinese
    assert "<h2>需要跟进的学员</h2>" in chinese and "<h2>成绩</h2>" in chinese
    assert "<th>学员</th><th>作业</th><th>原因</th>" in chinese
    for chart_title in ("分数分布（得分百分比）", "各题满分比例（%）", "学员人数"):  # in plotly's JSON
        assert chart_title in chinese or json.dumps(chart_title)[1:-1] in chinese, chart_title
    assert "作业存在问题：timeout: loop" in chinese and "待在 formgrader 中批改" in chinese
    assert "Follow-up needed" not in chinese and "Score distribution" not in chinese
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in chinese and hidden.remote_references(chinese) == []


def test_follow_up_reasons_in_chinese():
    people = results.follow_up(results.wide_table(ROWS), threshold=0.8, lang="zh")
    reasons = {p["participant"]: " ".join(p["reasons"]) for p in people}
    assert "有 1 道书面作答待在 formgrader 中批改" in reasons["p01"]
    assert "自动评分得分 2/4" in reasons["p02"]
