"""Grades out of the gradebook: a CSV per cohort and a summary page that works offline.

:func:`gradebook_scores` reads nbgrader's gradebook into plain rows (one per
participant, assignment and graded cell); everything after that is plain Python
on those rows, tested without nbgrader:

- :func:`wide_table` one line per participant and assignment, one column per question;
- :func:`write_csv` the same table as CSV, with spreadsheet formulas neutralised;
- :func:`question_success` how many participants earned full marks on each question;
- :func:`follow_up` who needs a follow-up, and why;
- :func:`summary_html` a single HTML file with plotly.js embedded (no CDN), score
  distribution, success rate per question and the follow-up list, all text escaped.
"""
from __future__ import annotations

import csv
import io
import json
import re
import warnings
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from .. import safe_text
from ..i18n import normalise_lang, t

FOLLOW_UP_BELOW = 0.5
"""A participant below this share of the autograded points gets a follow-up."""


@dataclass(frozen=True)
class CellScore:
    participant: str
    assignment: str
    question: str
    score: float
    max_score: float
    auto: bool
    """Autograded (a test cell) rather than graded by hand."""
    pending: bool
    """Waiting for manual grading in the formgrader."""
    first_name: str = ""
    last_name: str = ""


def gradebook_scores(db_url: str, course_id: str = "sp-course", assignments: list[str] | None = None) -> list[CellScore]:
    """Every graded cell of every submission in the gradebook."""
    from nbgrader.api import Gradebook

    rows: list[CellScore] = []
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        with Gradebook(db_url, course_id) as gb:
            for assignment in gb.assignments:
                if assignments and assignment.name not in assignments:
                    continue
                for submission in assignment.submissions:
                    student = submission.student
                    for notebook in submission.notebooks:
                        for grade in notebook.grades:
                            cell = grade.cell
                            auto = cell.cell_type == "code" and not _is_solution(gb, grade)
                            score = grade.score or 0.0
                            rows.append(CellScore(student.id, assignment.name, grade.name, float(score),
                                                  float(grade.max_score or 0), auto,
                                                  bool(grade.needs_manual_grade),
                                                  student.first_name or "", student.last_name or ""))
    return rows


def _is_solution(gb, grade) -> bool:
    """A graded cell that is also an answer cell is a written answer, graded by hand."""
    from nbgrader.api import MissingEntry

    cell = grade.cell
    try:
        gb.find_solution_cell(grade.name, cell.notebook.name, cell.notebook.assignment.name)
    except MissingEntry:
        return False
    return True


def _question_order(rows: list[CellScore]) -> list[str]:
    seen: dict[str, None] = {}
    for row in rows:
        seen.setdefault(row.question, None)
    return list(seen)


def wide_table(rows: list[CellScore], problems: dict[tuple[str, str], list[str]] | None = None,
               info: dict[tuple[str, str], dict] | None = None) -> list[dict]:
    """One dict per (participant, assignment): totals, percent, each question, pending, problems.

    ``info`` (from :func:`load_records`) adds ``submitted_at`` (ISO, UTC) and ``late_by``
    (hours after the deadline, 0 when on time, empty when no deadline is set).
    """
    problems = problems or {}
    info = info or {}
    grouped: dict[tuple[str, str], list[CellScore]] = defaultdict(list)
    for row in rows:
        grouped[(row.participant, row.assignment)].append(row)
    table = []
    for (participant, assignment), cells in sorted(grouped.items()):
        total = sum(c.score for c in cells)
        maximum = sum(c.max_score for c in cells)
        auto_total = sum(c.score for c in cells if c.auto)
        auto_max = sum(c.max_score for c in cells if c.auto)
        line = {"participant": participant, "first_name": cells[0].first_name, "last_name": cells[0].last_name,
                "assignment": assignment, "score": round(total, 2), "max_score": round(maximum, 2),
                "percent": round(100 * total / maximum, 1) if maximum else 0.0,
                "auto_score": round(auto_total, 2), "auto_max": round(auto_max, 2),
                "pending_manual": sum(c.pending for c in cells),
                "submitted_at": info.get((participant, assignment), {}).get("submitted_at") or "",
                "late_by_hours": _hours(info.get((participant, assignment), {}).get("late_by_seconds")),
                "problems": "; ".join(problems.get((participant, assignment), [])),
                "_problems": info.get((participant, assignment), {}).get("problems", [])}
        for cell in cells:
            line[f"q:{cell.question}"] = round(cell.score, 2)
        table.append(line)
    return table


FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\uff1d", "\uff0b", "\uff0d", "\uff20")
"""Characters that make a spreadsheet read a cell as a formula (OWASP "CSV injection"),
including the full-width forms that some Chinese spreadsheet programs also accept."""


def _hours(seconds) -> float | str:
    return "" if seconds is None else round(float(seconds) / 3600, 2)


def _neutralise(value: object) -> object:
    """Text that a spreadsheet would run as a formula gets an apostrophe in front.

    Checked at the start of the text and after every line break: a field that
    holds a line break is quoted, and some programs start a new formula on the new
    line. Carriage returns (alone or before a line feed) become line feeds, so that
    no program reading the file takes them for the end of a row.
    """
    if not isinstance(value, str):
        return value
    value = safe_text.clean(value.replace("\r\n", "\n").replace("\r", "\n"))
    lines = re.split("(\n|\u2028|\u2029)", value)
    return "".join("'" + part if index % 2 == 0 and part.startswith(FORMULA_STARTS) else part
                   for index, part in enumerate(lines))


def table_csv(table: list[dict]) -> str:
    """The table as CSV text: every field quoted, formulas neutralised (:func:`_neutralise`)."""
    columns: list[str] = []
    for line in table:
        for key in line:
            if key not in columns and not key.startswith("_"):  # "_..." keys are for the summary only
                columns.append(key)
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=columns, extrasaction="ignore", lineterminator="\r\n",
                            quoting=csv.QUOTE_ALL)
    writer.writerow({column: _neutralise(column) for column in columns})
    for line in table:
        writer.writerow({k: _neutralise(v) for k, v in line.items()})
    return buffer.getvalue()


def write_text_atomically(path: str | Path, text: str, encoding: str = "utf-8") -> Path:
    """Write through a temporary file in the same folder, then rename: never a half-written file.

    The file gets the mode a plain ``open`` would give it (``0o666`` less the umask), not the
    temporary file's 0600: feedback pages must stay readable by the participant once nbgrader's
    exchange hands them over; privacy comes from the course folder's own mode.
    """
    import os
    import tempfile

    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=path.parent)
    try:
        with os.fdopen(handle, "w", encoding=encoding, newline="") as stream:
            stream.write(text)
        mask = os.umask(0)
        os.umask(mask)
        os.chmod(temporary, 0o666 & ~mask)
        os.replace(temporary, path)
    except BaseException:
        try:
            os.unlink(temporary)
        except OSError:
            pass
        raise
    return path


def write_json_atomically(path: str | Path, data, indent: int = 1) -> Path:
    return write_text_atomically(path, json.dumps(data, ensure_ascii=False, indent=indent))


def write_csv(table: list[dict], path: str | Path) -> Path:
    # utf-8-sig: spreadsheet programs then read Chinese names correctly
    return write_text_atomically(path, table_csv(table), encoding="utf-8-sig")


def question_success(rows: list[CellScore]) -> list[dict]:
    """Per question: participants graded, how many earned full marks, the rate."""
    result = []
    for question in _question_order(rows):
        cells = [r for r in rows if r.question == question and not r.pending and r.max_score > 0]
        if not cells:
            continue
        full = sum(1 for r in cells if r.score >= r.max_score - 1e-9)
        result.append({"assignment": cells[0].assignment, "question": question, "auto": cells[0].auto,
                       "graded": len(cells), "full_marks": full, "rate": full / len(cells)})
    return result


def follow_up(table: list[dict], threshold: float = FOLLOW_UP_BELOW, lang: str = "en") -> list[dict]:
    """Who needs a follow-up: low autograded score, a damaged submission, or written answers to grade.

    The reasons are written in ``lang``.
    """
    people = []
    for line in table:
        reasons = []
        if line["auto_max"] and line["auto_score"] < threshold * line["auto_max"]:
            reasons.append(t("grading.followup.low_score", lang, score=line["auto_score"], max=line["auto_max"]))
        if line.get("problems"):
            records = line.get("_problems") or []
            if records and all(r.get("key") for r in records):  # recorded with their message keys
                from .inspect import Problem

                shown = "; ".join(Problem.from_dict(r).line(lang) for r in records)
            else:
                shown = line["problems"]
            reasons.append(t("grading.followup.problems", lang, problems=shown))
        if line.get("pending_manual"):
            reasons.append(t("grading.followup.pending", lang, count=line["pending_manual"]))
        if reasons:
            people.append({"participant": line["participant"], "assignment": line["assignment"],
                           "reasons": reasons})
    return people


def summary_html(table: list[dict], rows: list[CellScore], title: str | None = None, lang: str = "en") -> str:
    """A self-contained page: plotly.js is embedded, nothing is fetched from the internet.

    Headings, chart titles and table headers are in ``lang``; ``title`` defaults to
    the translated "Cohort summary".
    """
    import plotly.graph_objects as go
    from plotly.io import to_html
    from plotly.subplots import make_subplots

    lang = normalise_lang(lang)
    if title is None:
        title = t("grading.summary.default_title", lang)
    success = question_success(rows)
    figure = make_subplots(rows=1, cols=2, column_widths=[0.4, 0.6],
                           subplot_titles=(t("grading.summary.chart_distribution", lang),
                                           t("grading.summary.chart_full_marks", lang)))
    figure.add_trace(go.Histogram(x=[line["percent"] for line in table], xbins=dict(start=0, end=100.01, size=10),
                                  name=t("grading.summary.axis_participants", lang), marker_color="#3a6ea5"),
                     row=1, col=1)
    figure.add_trace(go.Bar(x=[f"{s['assignment']}<br>{s['question']}" for s in success],
                            y=[round(100 * s["rate"], 1) for s in success],
                            text=[f"{s['full_marks']}/{s['graded']}" for s in success],
                            name=t("grading.summary.trace_questions", lang), marker_color=["#2e7d32" if s["auto"] else "#8e6c00" for s in success]),
                     row=1, col=2)
    figure.update_yaxes(title_text=t("grading.summary.axis_participants", lang), row=1, col=1)
    figure.update_yaxes(range=[0, 100], title_text="%", row=1, col=2)
    figure.update_layout(showlegend=False, height=460, margin=dict(t=60, l=50, r=20, b=120),
                         font=dict(family="system-ui, sans-serif"))
    chart = to_html(figure, full_html=False, include_plotlyjs=True, config={"displaylogo": False})

    esc = safe_text.html_text
    people = follow_up(table, lang=lang)
    follow_rows = "".join(
        f"<tr><td>{esc(p['participant'])}</td><td>{esc(p['assignment'])}</td>"
        f"<td><ul>{''.join(f'<li>{esc(r)}</li>' for r in p['reasons'])}</ul></td></tr>" for p in people
    ) or f'<tr><td colspan="3">{esc(t("grading.summary.nobody", lang))}</td></tr>'
    score_rows = "".join(
        f"<tr><td>{esc(line['participant'])}</td><td dir=\"auto\">{esc(line['first_name'])} {esc(line['last_name'])}</td>"
        f"<td>{esc(line['assignment'])}</td><td>{line['score']:g} / {line['max_score']:g}</td>"
        f"<td>{line['percent']:g}%</td><td>{esc(_late_text(line, lang))}</td></tr>" for line in table
    )
    th_participant = esc(t("grading.summary.column_participant", lang))
    th_assignment = esc(t("grading.summary.column_assignment", lang))
    return f"""<!DOCTYPE html>
<html lang="{'zh-Hans' if lang == 'zh' else 'en'}"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{esc(title)}</title>
<style>body{{font-family:system-ui,sans-serif;margin:2rem;max-width:70rem}}
table{{border-collapse:collapse}}td,th{{border:1px solid #ccc;padding:.3rem .6rem;text-align:left;vertical-align:top}}
ul{{margin:0;padding-left:1.1rem}}.note{{color:#555}}</style></head>
<body><h1>{esc(title)}</h1>
<p class="note">{esc(t("grading.summary.note", lang, count=len(table)))}</p>
{chart}
<h2>{esc(t("grading.summary.heading_follow_up", lang))}</h2>
<table><thead><tr><th>{th_participant}</th><th>{th_assignment}</th><th>{esc(t("grading.summary.column_why", lang))}</th></tr></thead>
<tbody>{follow_rows}</tbody></table>
<h2>{esc(t("grading.summary.heading_scores", lang))}</h2>
<table><thead><tr><th>{th_participant}</th><th>{esc(t("grading.summary.column_name", lang))}</th><th>{th_assignment}</th>
<th>{esc(t("grading.summary.column_score", lang))}</th><th>%</th>
<th>{esc(t("grading.summary.column_submitted", lang))}</th></tr></thead>
<tbody>{score_rows}</tbody></table>
</body></html>
"""


def _late_text(line: dict, lang: str) -> str:
    """``2025-05-01 09:00 UTC, 2.5 h late`` / ``…，迟交 2.5 小时`` / on time / empty."""
    submitted = line.get("submitted_at") or ""
    when = submitted[:16].replace("T", " ") + " UTC" if submitted else ""
    late = line.get("late_by_hours")
    if late == "" or late is None:
        return when
    if late > 0:
        return t("grading.summary.late", lang, when=when, hours=late)
    return t("grading.summary.on_time", lang, when=when)


def load_records(report_dir: str | Path) -> tuple[dict[tuple[str, str], list[str]], dict[tuple[str, str], dict]]:
    """Problems and submission times recorded by ``sp-facilitator autograde`` and ``feedback``.

    Returns ``(problems, info)``: ``problems[(participant, assignment)]`` is a list of
    ``"code: detail"`` lines (English, as in the reports); ``info[...]`` holds
    ``submitted_at`` and ``late_by_seconds`` from the autograde report.
    """
    found: dict[tuple[str, str], list[str]] = {}
    info: dict[tuple[str, str], dict] = {}
    for path in sorted(Path(report_dir).glob("autograde-*.json")):
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        for outcome in data.get("outcomes", []):
            try:
                key = (outcome["participant"], outcome["assignment"])
            except (KeyError, TypeError):
                continue
            found[key] = [f"{p['code']}: {p['detail']}" for p in outcome.get("problems", [])]
            if outcome.get("status") not in ("graded", None) and not found[key]:
                found[key] = [outcome["status"]]
            info[key] = {"submitted_at": outcome.get("submitted_at"),
                         "late_by_seconds": outcome.get("late_by_seconds"),
                         "problems": [p for p in outcome.get("problems", []) if isinstance(p, dict)]}
    for path in sorted(Path(report_dir).glob("feedback-*.json")):
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        for outcome in data.get("outcomes", []):
            if not isinstance(outcome, dict) or outcome.get("status") == "written":
                continue
            key = (outcome.get("participant"), outcome.get("assignment") or data.get("assignment"))
            found.setdefault(key, []).extend(f"{p['code']}: {p['detail']}" for p in outcome.get("problems", []))
            info.setdefault(key, {}).setdefault("problems", []).extend(
                p for p in outcome.get("problems", []) if isinstance(p, dict))
    return found, info


def load_problems(report_dir: str | Path) -> dict[tuple[str, str], list[str]]:
    """Problems recorded by ``sp-facilitator autograde`` and ``feedback`` (their JSON reports)."""
    return load_records(report_dir)[0]
