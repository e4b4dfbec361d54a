"""``sp-facilitator``: run a workshop's assessed exercises with nbgrader.

    sp-facilitator setup    --course ~/sp-workshop --roster roster.csv
    sp-facilitator release  --course ~/sp-workshop m1-facts-en m1-facts-zh
    sp-facilitator collect  --course ~/sp-workshop ~/Downloads/received
    sp-facilitator autograde --course ~/sp-workshop m1-facts-en --jobs 2 --timeout 300
    sp-facilitator feedback --course ~/sp-workshop m1-facts-en
    sp-facilitator export   --course ~/sp-workshop --output grades.csv
    sp-facilitator summary  --course ~/sp-workshop --output summary.html
    sp-facilitator check    (nbgrader's JupyterLab and server extensions)

The course folder is an nbgrader course directory kept apart from the course
repository, because it holds participants' work. Every command accepts
``--course`` (default: ``$SP_COURSE_DIR``, else the current folder) and
``--lang zh|en`` for the language of its messages and of the summary page
(default: ``$SP_COURSE_LANG`` when it is ``zh`` or ``en``, else English).
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import warnings
import zipfile
from datetime import datetime, timezone
from pathlib import Path

from . import collect as collect_rules
from ..i18n import LANGUAGES, normalise_lang, t
from . import hidden, results
from .parallel import autograde_cohort, make_api, status_text
from .sandbox import SandboxUnavailable
from .roster import RosterError, read_roster

REPO_ROOT = Path(__file__).resolve().parents[2]
REPORTS = "grading-reports"


class FacilitatorError(RuntimeError):
    """A problem the facilitator can fix; shown without a traceback."""


def _say(message: str = "") -> None:
    print(message, flush=True)


def default_lang() -> str:
    """``$SP_COURSE_LANG`` when it names a course language (``zh``, ``en``, ``zh_CN`` ...), else ``"en"``."""
    try:
        return normalise_lang(os.environ.get("SP_COURSE_LANG", ""))
    except ValueError:
        return "en"


def course_root(value: str | None) -> Path:
    return Path(value or os.environ.get("SP_COURSE_DIR") or os.getcwd()).expanduser().resolve()


def known_assignments(root: Path) -> list[str]:
    return sorted(p.name for p in (root / "solutions").iterdir()
                  if p.is_dir() and not p.name.startswith((".", "_"))) if (root / "solutions").is_dir() else []


def _check_assignments(root: Path, wanted: list[str], lang: str = "en") -> list[str]:
    known = known_assignments(root)
    if not known:
        raise FacilitatorError(t("grading.cli.not_a_course", lang, root=root))
    if not wanted:
        return known
    unknown = [a for a in wanted if a not in known]
    if unknown:
        raise FacilitatorError(t("grading.cli.unknown_assignments", lang, unknown=", ".join(unknown),
                                 known=", ".join(known)))
    return wanted


def _quiet_api(root: Path):
    warnings.simplefilter("ignore")
    return make_api(root)


# --------------------------------------------------------------------------- commands

def cmd_setup(args) -> int:
    lang = getattr(args, "lang", "en")
    root = course_root(args.course)
    source = Path(args.source).resolve() if args.source else REPO_ROOT
    if not (source / "solutions").is_dir() or not (source / "nbgrader_config.py").exists():
        raise FacilitatorError(t("grading.cli.no_source", lang, source=source))
    people = read_roster(args.roster, lang) if args.roster else []
    root.mkdir(parents=True, exist_ok=True)
    if root != source:
        shutil.copy2(source / "nbgrader_config.py", root / "nbgrader_config.py")
        if (root / "solutions").exists():
            shutil.rmtree(root / "solutions")
        shutil.copytree(source / "solutions", root / "solutions",
                        ignore=shutil.ignore_patterns(".ipynb_checkpoints", "__pycache__"))
    os.chmod(root, 0o700)  # participants' work: only the facilitator's account may read it
    api = _quiet_api(root)
    from nbgrader.api import Gradebook

    with Gradebook(api.coursedir.db_url, api.coursedir.course_id) as gb:
        for person in people:
            gb.update_or_create_student(person.id, **person.gradebook_fields())
    assignments = known_assignments(root)
    for assignment in assignments:
        result = api.generate_assignment(assignment, force=True, create=True)
        if not result["success"]:
            raise FacilitatorError(t("grading.cli.generate_failed", lang, assignment=assignment,
                                     error=result.get("error", "")[-1500:]))
    _say(t("grading.cli.setup_ready", lang, root=root))
    _say(t("grading.cli.setup_counts", lang, people=len(people), count=len(assignments),
           assignments=", ".join(assignments)))
    _say(t("grading.cli.setup_next", lang))
    return 0


def cmd_release(args) -> int:
    lang = getattr(args, "lang", "en")
    root = course_root(args.course)
    assignments = _check_assignments(root, args.assignments, lang)
    api = _quiet_api(root)
    out = root / "release-packages"
    out.mkdir(exist_ok=True)
    for assignment in assignments:
        result = api.generate_assignment(assignment, force=True, create=True)
        if not result["success"]:
            raise FacilitatorError(t("grading.cli.generate_failed", lang, assignment=assignment,
                                     error=result.get("error", "")[-1500:]))
        folder = root / "exercises" / assignment
        package = out / f"{assignment}.zip"
        with zipfile.ZipFile(package, "w", zipfile.ZIP_DEFLATED) as zf:
            for path in sorted(folder.rglob("*")):
                if path.is_file() and ".ipynb_checkpoints" not in path.parts:
                    zf.write(path, Path(assignment) / path.relative_to(folder))
        if args.exchange:
            result = api.release_assignment(assignment)
            if not result["success"]:
                raise FacilitatorError(t("grading.cli.release_failed", lang, assignment=assignment,
                                         error=result.get("error", "")[-1500:]))
            _say(t("grading.cli.released_exchange", lang, assignment=assignment, package=package))
        else:
            _say(t("grading.cli.released", lang, assignment=assignment, package=package))
    _say(t("grading.cli.release_naming", lang))
    return 0


def cmd_collect(args) -> int:
    lang = getattr(args, "lang", "en")
    root = course_root(args.course)
    assignments = _check_assignments(root, [], lang)
    if args.exchange:
        api = _quiet_api(root)
        for assignment in _check_assignments(root, args.assignment or [], lang):
            result = api.collect(assignment)
            _say(t("grading.cli.collected_exchange", lang, assignment=assignment) if result["success"]
                 else t("grading.cli.collect_failed", lang, assignment=assignment,
                        error=result.get("error", "")[-500:]))
        return 0
    if not args.folder:
        raise FacilitatorError(t("grading.cli.collect_no_folder", lang))
    folder = Path(args.folder).expanduser()
    if not folder.is_dir():
        raise FacilitatorError(t("grading.cli.not_a_folder", lang, folder=folder))
    roster_ids = _roster_ids(root)
    plan = collect_rules.plan(folder, assignments, roster_ids or None, lang=lang)
    for item in plan.items:
        _say(f"  {item.label} -> {item.participant} / {item.assignment}")
    for item in plan.superseded:
        _say("  " + t("grading.cli.collect_older", lang, label=item.label))
    for item in plan.not_on_roster:
        _say("  " + t("grading.cli.collect_not_on_roster", lang, label=item.label, participant=item.participant))
    for name in plan.unmatched:
        _say("  " + t("grading.cli.collect_unmatched", lang, name=name))
    if args.dry_run:
        _say(t("grading.cli.collect_dry_run", lang, count=len(plan.items)))
        return 0
    written = collect_rules.apply(plan, root / "submitted")
    _say(t("grading.cli.collected", lang, count=len(written), folder=root / "submitted"))
    return 0


def _roster_ids(root: Path) -> set[str]:
    from nbgrader.api import Gradebook

    api = _quiet_api(root)
    with Gradebook(api.coursedir.db_url, api.coursedir.course_id) as gb:
        return {s.id for s in gb.students}


def cmd_autograde(args) -> int:
    lang = getattr(args, "lang", "en")
    root = course_root(args.course)
    assignments = _check_assignments(root, args.assignments, lang)
    sandbox = not getattr(args, "no_sandbox", False)
    if not sandbox:
        _say(t("grading.sandbox.off_warning", lang))
    reports = root / REPORTS
    reports.mkdir(exist_ok=True)
    damaged_total = 0
    for assignment in assignments:
        _say(t("grading.cli.autograding", lang, assignment=assignment, jobs=args.jobs, timeout=args.timeout))

        def show(outcome):
            mark = t("grading.cli.mark_ok", lang) if not outcome.damaged else t("grading.cli.mark_check", lang)
            _say(t("grading.cli.progress", lang, mark=mark, participant=outcome.participant,
                   status=status_text(outcome.status, lang), seconds=outcome.seconds))

        outcomes = autograde_cohort(root, assignment, args.participant or None, jobs=args.jobs,
                                    timeout=args.timeout, cell_timeout=args.cell_timeout, progress=show,
                                    lang=lang, sandbox=sandbox)
        damaged = [o for o in outcomes if o.damaged]
        damaged_total += len(damaged)
        report = reports / f"autograde-{assignment}.json"
        report.write_text(json.dumps({"assignment": assignment,
                                      "graded_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
                                      "outcomes": [o.as_dict() for o in outcomes]}, ensure_ascii=False, indent=1),
                          encoding="utf-8")
        _say(t("grading.cli.autograde_done", lang, assignment=assignment, count=len(outcomes),
               damaged=len(damaged), report=report))
        for outcome in damaged:
            _say(outcome.describe(lang))
    if damaged_total:
        _say(t("grading.cli.damaged_note", lang))
    return 0


def cmd_feedback(args) -> int:
    lang = getattr(args, "lang", "en")
    root = course_root(args.course)
    assignments = _check_assignments(root, args.assignments, lang)
    api = _quiet_api(root)
    for assignment in assignments:
        source = json.loads(next((root / "solutions" / assignment).glob("*.ipynb")).read_text(encoding="utf-8"))
        secret = hidden.hidden_lines(source)
        students = sorted(p.parent.name for p in (root / "autograded").glob(f"*/{assignment}") if p.is_dir())
        made = 0
        for student in students:
            result = api.generate_feedback(assignment, student, force=True)
            if not result["success"]:
                _say("  " + t("grading.cli.feedback_failed", lang, participant=student,
                              error=(result.get("error") or "")[-300:]))
                continue
            for page in (root / "feedback" / student / assignment).glob("*.html"):
                text = hidden.offline_html(page.read_text(encoding="utf-8"))
                page.write_text(text, encoding="utf-8")
                found = hidden.leaks(text, secret) + hidden.remote_references(text)
                if found:
                    page.unlink()
                    raise FacilitatorError(t("grading.cli.feedback_leak", lang, participant=student,
                                             found=str(found[:2])))
            made += 1
        line = t("grading.cli.feedback_done", lang, assignment=assignment, count=made, folder=root / "feedback")
        if args.exchange:
            result = api.release_feedback(assignment)
            line += (t("grading.cli.feedback_released", lang) if result["success"]
                     else t("grading.cli.feedback_release_failed", lang))
        _say(line)
    return 0


def _table(root: Path, assignments: list[str] | None):
    api = _quiet_api(root)
    rows = results.gradebook_scores(api.coursedir.db_url, api.coursedir.course_id, assignments)
    table = results.wide_table(rows, results.load_problems(root / REPORTS))
    return rows, table


def cmd_export(args) -> int:
    lang = getattr(args, "lang", "en")
    root = course_root(args.course)
    _, table = _table(root, args.assignment or None)
    path = results.write_csv(table, Path(args.output) if args.output else root / "grades.csv")
    _say(t("grading.cli.exported", lang, count=len(table), path=path))
    return 0


def cmd_summary(args) -> int:
    lang = getattr(args, "lang", "en")
    root = course_root(args.course)
    rows, table = _table(root, args.assignment or None)
    path = Path(args.output) if args.output else root / "cohort-summary.html"
    title = args.title if args.title is not None else t("grading.summary.course_title", lang)
    path.write_text(results.summary_html(table, rows, title, lang=lang), encoding="utf-8")
    people = results.follow_up(table)
    _say(t("grading.cli.summary_written", lang, count=len(table), path=path, follow_up=len(people)))
    return 0


def extension_status(jupyter: str | None = None) -> dict[str, str]:
    """What ``jupyter labextension list`` and ``jupyter server extension list`` say about nbgrader."""
    jupyter = jupyter or str(Path(sys.executable).with_name("jupyter"))
    status = {}
    for kind, command in (("lab", [jupyter, "labextension", "list"]), ("server", [jupyter, "server", "extension", "list"])):
        done = subprocess.run(command, capture_output=True, text=True, timeout=120)
        text = done.stdout + done.stderr
        lines = [line.strip() for line in text.splitlines() if "nbgrader" in line]
        status[kind] = "\n".join(lines)
    return status


def cmd_check(args) -> int:
    lang = getattr(args, "lang", "en")
    status = extension_status()
    ok = "enabled" in status["lab"] and "OK" in status["lab"] and "nbgrader" in status["server"] \
        and "enabled" in status["server"]
    not_found = t("grading.cli.not_found", lang)
    _say(t("grading.cli.check_lab", lang, status=status["lab"] or not_found))
    _say(t("grading.cli.check_server", lang, status=status["server"] or not_found))
    _say(t("grading.cli.check_ok", lang) if ok else t("grading.cli.check_failed", lang))
    return 0 if ok else 1


# --------------------------------------------------------------------------- parser

def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="sp-facilitator", description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    lang_help = "language of messages and of the summary page (default: $SP_COURSE_LANG, else en)"
    parser.add_argument("--lang", choices=LANGUAGES, default=default_lang(), help=lang_help)
    sub = parser.add_subparsers(dest="command", required=True)

    def add(name, func, help_text):
        p = sub.add_parser(name, help=help_text, description=help_text)
        p.add_argument("--course", help="course folder (default: $SP_COURSE_DIR or the current folder)")
        # also accepted after the command; SUPPRESS keeps the value given before it
        p.add_argument("--lang", choices=LANGUAGES, default=argparse.SUPPRESS, help=lang_help)
        p.set_defaults(func=func)
        return p

    p = add("setup", cmd_setup, "create or update a course folder and its roster")
    p.add_argument("--roster", help="CSV with an 'id' column, optionally first_name, last_name, email, lang")
    p.add_argument("--source", help="the course repository (default: the one this command comes from)")
    p = add("release", cmd_release, "generate student versions and zip them for participants")
    p.add_argument("assignments", nargs="*", help="assignment ids (default: all)")
    p.add_argument("--exchange", action="store_true", help="also release to nbgrader's exchange (JupyterHub)")
    p = add("collect", cmd_collect, "bring received notebooks into nbgrader's submitted/ folder")
    p.add_argument("folder", nargs="?", help="folder of notebooks (or zip archives) participants sent")
    p.add_argument("--dry-run", action="store_true", help="show what would be collected; copy nothing")
    p.add_argument("--exchange", action="store_true", help="collect from nbgrader's exchange instead")
    p.add_argument("--assignment", action="append", help="with --exchange: which assignment(s)")
    p = add("autograde", cmd_autograde, "autograde submissions in parallel, reporting damaged ones")
    p.add_argument("assignments", nargs="*", help="assignment ids (default: all)")
    p.add_argument("--jobs", "-j", type=int, default=max(1, os.cpu_count() or 1), help="worker processes")
    p.add_argument("--timeout", type=float, default=300, help="seconds allowed per notebook (default 300)")
    p.add_argument("--cell-timeout", type=int, help="seconds allowed per cell (default: nbgrader_config.py)")
    p.add_argument("--participant", action="append", help="grade only this participant (repeatable)")
    p.add_argument("--no-sandbox", action="store_true",
                   help="grade without a sandbox: submissions run with your rights (only where none exists)")
    p = add("feedback", cmd_feedback, "HTML feedback per participant, hidden tests removed")
    p.add_argument("assignments", nargs="*", help="assignment ids (default: all)")
    p.add_argument("--exchange", action="store_true", help="also release feedback to the exchange")
    p = add("export", cmd_export, "grades to CSV (one line per participant and assignment)")
    p.add_argument("--output", help="CSV file (default: <course>/grades.csv)")
    p.add_argument("--assignment", action="append", help="only this assignment (repeatable)")
    p = add("summary", cmd_summary, "cohort summary page (opens offline)")
    p.add_argument("--output", help="HTML file (default: <course>/cohort-summary.html)")
    p.add_argument("--assignment", action="append", help="only this assignment (repeatable)")
    p.add_argument("--title", help="page title (default: the course's title in --lang)")
    add("check", cmd_check, "check that nbgrader's formgrader extensions are enabled")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except (FacilitatorError, RosterError, FileNotFoundError, SandboxUnavailable) as exc:
        print(f"sp-facilitator: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
