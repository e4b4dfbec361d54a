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
``--course`` (default: ``$SP_COURSE_DIR``, else the current folder).
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
from . import hidden, results
from .parallel import autograde_cohort, make_api
from .roster import RosterError, read_roster

REPO_ROOT = Path(__file__).resolve().parents[2]
REPORTS = "grading-reports"


class FacilitatorError(RuntimeError):
    """A problem the facilitator can fix; shown without a traceback."""


def _say(message: str = "") -> None:
    print(message, flush=True)


def course_root(value: str | None) -> Path:
    return Path(value or os.environ.get("SP_COURSE_DIR") or os.getcwd()).expanduser().resolve()


def known_assignments(root: Path) -> list[str]:
    return sorted(p.name for p in (root / "solutions").iterdir()
                  if p.is_dir() and not p.name.startswith((".", "_"))) if (root / "solutions").is_dir() else []


def _check_assignments(root: Path, wanted: list[str]) -> list[str]:
    known = known_assignments(root)
    if not known:
        raise FacilitatorError(f"{root} is not a course folder (no solutions/): run `sp-facilitator setup` first")
    if not wanted:
        return known
    unknown = [a for a in wanted if a not in known]
    if unknown:
        raise FacilitatorError(f"unknown assignment(s) {', '.join(unknown)}; known: {', '.join(known)}")
    return wanted


def _quiet_api(root: Path):
    warnings.simplefilter("ignore")
    return make_api(root)


# --------------------------------------------------------------------------- commands

def cmd_setup(args) -> int:
    root = course_root(args.course)
    source = Path(args.source).resolve() if args.source else REPO_ROOT
    if not (source / "solutions").is_dir() or not (source / "nbgrader_config.py").exists():
        raise FacilitatorError(f"{source} has no solutions/ and nbgrader_config.py; pass --source <course repository>")
    people = read_roster(args.roster) if args.roster else []
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
            raise FacilitatorError(f"nbgrader could not generate {assignment}:\n{result.get('error', '')[-1500:]}")
    _say(f"Course folder ready: {root}")
    _say(f"  {len(people)} participant(s) on the roster, {len(assignments)} assignment(s): {', '.join(assignments)}")
    _say("  Next: sp-facilitator release <assignment> ...")
    return 0


def cmd_release(args) -> int:
    root = course_root(args.course)
    assignments = _check_assignments(root, args.assignments)
    api = _quiet_api(root)
    out = root / "release-packages"
    out.mkdir(exist_ok=True)
    for assignment in assignments:
        result = api.generate_assignment(assignment, force=True, create=True)
        if not result["success"]:
            raise FacilitatorError(f"nbgrader could not generate {assignment}:\n{result.get('error', '')[-1500:]}")
        folder = root / "exercises" / assignment
        package = out / f"{assignment}.zip"
        with zipfile.ZipFile(package, "w", zipfile.ZIP_DEFLATED) as zf:
            for path in sorted(folder.rglob("*")):
                if path.is_file() and ".ipynb_checkpoints" not in path.parts:
                    zf.write(path, Path(assignment) / path.relative_to(folder))
        line = f"released {assignment}: {package}"
        if args.exchange:
            result = api.release_assignment(assignment)
            if not result["success"]:
                raise FacilitatorError(f"nbgrader release_assignment failed for {assignment}:\n"
                                       f"{result.get('error', '')[-1500:]}")
            line += " and to the JupyterHub exchange"
        _say(line)
    _say("Participants return <participant>_<assignment>.ipynb, e.g. p07_m1-facts-en.ipynb.")
    return 0


def cmd_collect(args) -> int:
    root = course_root(args.course)
    assignments = _check_assignments(root, [])
    if args.exchange:
        api = _quiet_api(root)
        for assignment in _check_assignments(root, args.assignment or []):
            result = api.collect(assignment)
            _say(f"collected {assignment} from the exchange" if result["success"]
                 else f"could not collect {assignment}: {result.get('error', '')[-500:]}")
        return 0
    if not args.folder:
        raise FacilitatorError("give the folder of received notebooks (or --exchange on a JupyterHub)")
    folder = Path(args.folder).expanduser()
    if not folder.is_dir():
        raise FacilitatorError(f"{folder} is not a folder")
    roster_ids = _roster_ids(root)
    plan = collect_rules.plan(folder, assignments, roster_ids or None)
    for item in plan.items:
        _say(f"  {item.label} -> {item.participant} / {item.assignment}")
    for item in plan.superseded:
        _say(f"  older copy ignored: {item.label}")
    for item in plan.not_on_roster:
        _say(f"  NOT ON THE ROSTER, skipped: {item.label} ({item.participant})")
    for name in plan.unmatched:
        _say(f"  NOT MATCHED, rename to <participant>_<assignment>.ipynb: {name}")
    if args.dry_run:
        _say(f"{len(plan.items)} file(s) would be collected (dry run, nothing copied)")
        return 0
    written = collect_rules.apply(plan, root / "submitted")
    _say(f"{len(written)} submission(s) collected into {root / 'submitted'}")
    return 0


def _roster_ids(root: Path) -> set[str]:
    from nbgrader.api import Gradebook

    api = _quiet_api(root)
    with Gradebook(api.coursedir.db_url, api.coursedir.course_id) as gb:
        return {s.id for s in gb.students}


def cmd_autograde(args) -> int:
    root = course_root(args.course)
    assignments = _check_assignments(root, args.assignments)
    reports = root / REPORTS
    reports.mkdir(exist_ok=True)
    damaged_total = 0
    for assignment in assignments:
        _say(f"autograding {assignment} with {args.jobs} worker(s), {args.timeout:g} s per notebook")

        def show(outcome):
            mark = "ok" if not outcome.damaged else "CHECK"
            _say(f"  [{mark}] {outcome.participant}: {outcome.status} ({outcome.seconds:.1f} s)")

        outcomes = autograde_cohort(root, assignment, args.participant or None, jobs=args.jobs,
                                    timeout=args.timeout, cell_timeout=args.cell_timeout, progress=show)
        damaged = [o for o in outcomes if o.damaged]
        damaged_total += len(damaged)
        report = reports / f"autograde-{assignment}.json"
        report.write_text(json.dumps({"assignment": assignment,
                                      "graded_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
                                      "outcomes": [o.as_dict() for o in outcomes]}, ensure_ascii=False, indent=1),
                          encoding="utf-8")
        _say(f"{assignment}: {len(outcomes)} submission(s), {len(damaged)} with problems (report: {report})")
        for outcome in damaged:
            _say(outcome.describe())
    if damaged_total:
        _say("Damaged submissions were repaired where safe and graded, or scored 0 when unusable; "
             "the rest of the cohort is graded.")
    return 0


def cmd_feedback(args) -> int:
    root = course_root(args.course)
    assignments = _check_assignments(root, args.assignments)
    api = _quiet_api(root)
    for assignment in assignments:
        source = json.loads(next((root / "solutions" / assignment).glob("*.ipynb")).read_text(encoding="utf-8"))
        secret = hidden.hidden_lines(source)
        students = sorted(p.parent.name for p in (root / "autograded").glob(f"*/{assignment}") if p.is_dir())
        made = 0
        for student in students:
            result = api.generate_feedback(assignment, student, force=True)
            if not result["success"]:
                _say(f"  could not make feedback for {student}: {(result.get('error') or '')[-300:]}")
                continue
            for page in (root / "feedback" / student / assignment).glob("*.html"):
                text = hidden.offline_html(page.read_text(encoding="utf-8"))
                page.write_text(text, encoding="utf-8")
                found = hidden.leaks(text, secret) + hidden.remote_references(text)
                if found:
                    page.unlink()
                    raise FacilitatorError(f"feedback for {student} showed hidden tests or loads a remote file "
                                           f"({found[:2]}); removed it. "
                                           "Is nbgrader_config.py in the course folder up to date?")
            made += 1
        line = f"{assignment}: feedback for {made} participant(s) in {root / 'feedback'} (hidden tests removed)"
        if args.exchange:
            result = api.release_feedback(assignment)
            line += "; released to the exchange" if result["success"] else "; release to the exchange FAILED"
        _say(line)
    return 0


def _table(root: Path, assignments: list[str] | None):
    api = _quiet_api(root)
    rows = results.gradebook_scores(api.coursedir.db_url, api.coursedir.course_id, assignments)
    table = results.wide_table(rows, results.load_problems(root / REPORTS))
    return rows, table


def cmd_export(args) -> int:
    root = course_root(args.course)
    _, table = _table(root, args.assignment or None)
    path = results.write_csv(table, Path(args.output) if args.output else root / "grades.csv")
    _say(f"{len(table)} row(s) written to {path}")
    return 0


def cmd_summary(args) -> int:
    root = course_root(args.course)
    rows, table = _table(root, args.assignment or None)
    path = Path(args.output) if args.output else root / "cohort-summary.html"
    path.write_text(results.summary_html(table, rows, args.title), encoding="utf-8")
    people = results.follow_up(table)
    _say(f"summary of {len(table)} submission(s) written to {path}; {len(people)} need(s) a follow-up")
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
    status = extension_status()
    ok = "enabled" in status["lab"] and "OK" in status["lab"] and "nbgrader" in status["server"] \
        and "enabled" in status["server"]
    _say("JupyterLab extension: " + (status["lab"] or "not found"))
    _say("server extension:    " + (status["server"] or "not found"))
    _say("formgrader ready: open JupyterLab in the course folder, menu Nbgrader > Formgrader" if ok
         else "nbgrader's extensions are not all enabled: reinstall the course environment")
    return 0 if ok else 1


# --------------------------------------------------------------------------- parser

def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="sp-facilitator", description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)

    def add(name, func, help_text):
        p = sub.add_parser(name, help=help_text, description=help_text)
        p.add_argument("--course", help="course folder (default: $SP_COURSE_DIR or the current folder)")
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
    p = add("feedback", cmd_feedback, "HTML feedback per participant, hidden tests removed")
    p.add_argument("assignments", nargs="*", help="assignment ids (default: all)")
    p.add_argument("--exchange", action="store_true", help="also release feedback to the exchange")
    p = add("export", cmd_export, "grades to CSV (one line per participant and assignment)")
    p.add_argument("--output", help="CSV file (default: <course>/grades.csv)")
    p.add_argument("--assignment", action="append", help="only this assignment (repeatable)")
    p = add("summary", cmd_summary, "cohort summary page (opens offline)")
    p.add_argument("--output", help="HTML file (default: <course>/cohort-summary.html)")
    p.add_argument("--assignment", action="append", help="only this assignment (repeatable)")
    p.add_argument("--title", default="Special Procedures course: cohort summary")
    add("check", cmd_check, "check that nbgrader's formgrader extensions are enabled")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except (FacilitatorError, RosterError, FileNotFoundError) as exc:
        print(f"sp-facilitator: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
