"""``sp-facilitator``: run a workshop's assessed exercises with nbgrader.

    sp-facilitator setup    --course ~/sp-workshop --roster roster.csv
    sp-facilitator release  --course ~/sp-workshop m1-facts-en m1-facts-zh
    sp-facilitator collect  --course ~/sp-workshop ~/Downloads/received
    sp-facilitator autograde --course ~/sp-workshop m1-facts-en --jobs 2 --timeout 300
    sp-facilitator feedback --course ~/sp-workshop m1-facts-en
    sp-facilitator export   --course ~/sp-workshop --output grades.csv
    sp-facilitator summary  --course ~/sp-workshop --output summary.html
    sp-facilitator check    (nbgrader's JupyterLab and server extensions)
    sp-facilitator check --hub   (also: exchange 1777, homes 0700, Python readable, roster = user names)

On a JupyterHub, ``release --exchange``, ``collect --exchange`` and ``feedback
--exchange`` use nbgrader's exchange: ``$SP_COURSE_EXCHANGE`` if set, else the
``Exchange.root`` of the system's ``/etc/jupyter/nbgrader_config.py`` (the file the
participants' servers read), else nbgrader's default ``/srv/nbgrader/exchange``.

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
import re
import shutil
import subprocess
import sys
import warnings
import zipfile
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from ..i18n import LANGUAGES, normalise_lang, t
from . import collect as collect_rules
from . import exchange as hub
from . import hidden, results
from .parallel import autograde_cohort, make_api, status_text, submitted_participants
from .roster import RosterError, read_roster
from .sandbox import SandboxUnavailable

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


def _exchange_api(root: Path, lang: str = "en"):
    """An API whose exchange is the participants' one; refuses a missing or hijackable exchange."""
    from .parallel import load_config

    course_config = load_config(root)
    system_config = hub.system_nbgrader_config()
    exchange = hub.exchange_root(course_config, system_config)
    course_id = course_config.CourseDirectory.course_id if "course_id" in course_config.CourseDirectory else ""
    theirs = hub.system_course_id(system_config)
    if theirs is not None and theirs != course_id:
        raise FacilitatorError(t("hub.course_id_mismatch", lang, ours=course_id, theirs=theirs))
    unsafe = [p for p in hub.exchange_problems(exchange) if p.key != "hub.exchange.not_root"]
    if unsafe:
        raise FacilitatorError("\n".join(p.text(lang) for p in unsafe))
    warnings.simplefilter("ignore")
    return make_api(root, **{"Exchange.root": str(exchange)}), exchange, course_id


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
    api = _exchange_api(root, lang)[0] if args.exchange else _quiet_api(root)
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
    # On a hub, participants fetch and submit in JupyterLab's Assignments tab: nothing to send by hand.
    _say(t("hub.release_next", lang) if args.exchange else t("grading.cli.release_naming", lang))
    return 0


def cmd_collect(args) -> int:
    lang = getattr(args, "lang", "en")
    root = course_root(args.course)
    assignments = _check_assignments(root, [], lang)
    if args.exchange:
        return _collect_exchange(root, args, lang)
    if not args.folder:
        raise FacilitatorError(t("grading.cli.collect_no_folder", lang))
    folder = Path(args.folder).expanduser()
    if not folder.is_dir():
        raise FacilitatorError(t("grading.cli.not_a_folder", lang, folder=folder))
    roster_ids = _roster_ids(root)
    plan = collect_rules.plan(folder, assignments, roster_ids or None, lang=lang,
                              releases=_releases(root, assignments))
    for item in plan.items:
        _say(f"  {item.label} -> {item.participant} / {item.assignment}")
        for note in plan.notes.get((item.participant, item.assignment), []):
            _say("      " + note.line(lang))
    for item in plan.superseded:
        _say("  " + t("grading.cli.collect_older", lang, label=item.label))
    for item in plan.not_on_roster:
        _say("  " + t("grading.cli.collect_not_on_roster", lang, label=item.label, participant=item.participant))
    for name in plan.unmatched:
        _say("  " + t("grading.cli.collect_unmatched", lang, name=name))
    if args.dry_run:
        _report_collect_problems(plan, lang)
        _say(t("grading.cli.collect_dry_run", lang, count=len(plan.items)))
        return 0
    written = collect_rules.apply(plan, root / "submitted")
    _report_collect_problems(plan, lang)
    record_collect_notes(root, plan, written)
    _say(t("grading.cli.collected", lang, count=len(written), folder=root / "submitted"))
    return 0


def _report_collect_problems(plan, lang: str) -> None:
    for label, problem in plan.problems:
        _say("  " + t("grading.cli.collect_problem", lang, label=label, problem=problem.line(lang)))


def _releases(root: Path, assignments: list[str]) -> dict[str, dict]:
    """The released notebook of each assignment, to tell worked copies from untouched ones."""
    found = {}
    for assignment in assignments:
        for path in sorted((root / "exercises" / assignment).glob("*.ipynb"))[:1]:
            try:
                found[assignment] = json.loads(path.read_text(encoding="utf-8"))
            except (OSError, ValueError):
                pass
    return found


COLLECT_NOTES = "collect-notes.json"


def record_collect_notes(root: Path, plan, written: list[Path]) -> Path:
    """Keep what collect noticed about each collected submission (``grading-reports/collect-notes.json``).

    A new collection of a submission replaces its notes; ``autograde`` adds them to its report.
    """
    reports = root / REPORTS
    reports.mkdir(exist_ok=True)
    path = reports / COLLECT_NOTES
    try:
        record = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        record = {}
    collected = {f"{p.parent.parent.name}/{p.parent.name}" for p in written}
    collected |= {f"{participant}/{assignment}" for participant, assignment in plan.unreadable}
    for key in collected:
        record.pop(key, None)
    record.update({key: value for key, value in collect_rules.notes_record(plan).items() if key in collected})
    results.write_json_atomically(path, record)
    return path


def unreadable_only(root: Path, assignment: str) -> set[str]:
    """Participants whose collection of ``assignment`` left only archive problems (see collect notes)."""
    try:
        record = json.loads((root / REPORTS / COLLECT_NOTES).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return set()
    found = set()
    for key, items in record.items():
        participant, _, name = key.partition("/")
        if name == assignment and any(str(item.get("code", "")).startswith("archive_") for item in items):
            found.add(participant)
    return found


def collect_notes(root: Path, participant: str, assignment: str):
    from .inspect import Problem

    try:
        record = json.loads((root / REPORTS / COLLECT_NOTES).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return []
    return [Problem.from_dict(item) for item in record.get(f"{participant}/{assignment}", [])]


def _collect_exchange(root: Path, args, lang: str) -> int:
    """nbgrader's collect, after setting aside planted submissions; every nbgrader warning is shown."""
    api, exchange, course_id = _exchange_api(root, lang)
    roster = _roster_ids(root)
    inbound = exchange / course_id / "inbound"
    trouble = 0
    for assignment in _check_assignments(root, args.assignment or [], lang):
        refused = hub.refuse_impostors(inbound, assignment)
        for refusal in refused:
            _say("  !! " + refusal.text(lang))
        strangers = sorted(hub.submitters(inbound, assignment) - roster) if roster else []
        for participant in strangers:
            _say("  !! " + t("hub.collect.not_on_roster", lang, participant=participant))
        result = api.collect(assignment)
        found = hub.nbgrader_warnings(result.get("log", ""))
        for line in found:
            _say("  !! " + t("hub.collect.nbgrader_warning", lang, warning=line))
        report = hub.write_report(root / REPORTS / f"collect-{assignment}.json", assignment, refused, found, strangers)
        if result["success"]:
            _say(t("grading.cli.collected_exchange", lang, assignment=assignment))
        else:
            _say(t("grading.cli.collect_failed", lang, assignment=assignment, error=(result.get("error") or "")[-500:]))
        if refused or strangers or found or not result["success"]:
            trouble += 1
            _say(t("hub.collect.report", lang, report=report))
    return 1 if trouble else 0


def _roster_ids(root: Path) -> set[str]:
    from nbgrader.api import Gradebook

    api = _quiet_api(root)
    with Gradebook(api.coursedir.db_url, api.coursedir.course_id) as gb:
        return {s.id for s in gb.students}


def parse_deadline(value: str, lang: str = "en") -> datetime:
    """``--deadline``: ISO date and time; without a zone it is this computer's local time.

    ``2025-05-01 18:00``, ``2025-05-01T18:00+08:00``, ``2025-05-01`` (end of that day).
    Returns an aware datetime; raises :class:`FacilitatorError` for anything else.
    """
    text = value.strip()
    try:
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError as exc:
        raise FacilitatorError(t("grading.cli.bad_deadline", lang, value=value)) from exc
    if len(text) == 10:  # a date alone: the end of that day
        moment = moment.replace(hour=23, minute=59, second=59)
    if moment.tzinfo is None:
        moment = moment.astimezone()  # the facilitator's local time
    return moment


def _gradebook_deadline(root: Path, assignment: str) -> datetime | None:
    """The assignment's ``duedate`` in nbgrader's gradebook (stored in UTC), if any."""
    from nbgrader.api import Gradebook, MissingEntry

    api = _quiet_api(root)
    with Gradebook(api.coursedir.db_url, api.coursedir.course_id) as gb:
        try:
            due = gb.find_assignment(assignment).duedate
        except MissingEntry:
            return None
    return due.replace(tzinfo=timezone.utc) if due is not None else None


def _set_gradebook_deadline(root: Path, assignment: str, deadline: datetime) -> None:
    """Record ``--deadline`` as nbgrader's ``duedate``: the formgrader then shows lateness too."""
    from nbgrader.api import Gradebook

    api = _quiet_api(root)
    with Gradebook(api.coursedir.db_url, api.coursedir.course_id) as gb:
        gb.update_or_create_assignment(assignment,
                                       duedate=deadline.astimezone(timezone.utc).replace(tzinfo=None))


def submission_time(root: Path, participant: str, assignment: str) -> datetime | None:
    """When the submission was made: nbgrader's ``timestamp.txt`` beside it (as ``collect`` writes it)."""
    path = root / "submitted" / participant / assignment / "timestamp.txt"
    try:
        text = path.read_text(encoding="utf-8").strip()
    except OSError:
        return None
    try:
        from dateutil import parser as date_parser

        moment = date_parser.parse(text)
    except (ValueError, OverflowError):
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)


def lateness(submitted: datetime | None, deadline: datetime | None) -> float | None:
    """Seconds after the deadline (``None`` when either is unknown, 0 when on time)."""
    if submitted is None or deadline is None:
        return None
    return max(0.0, (submitted - deadline).total_seconds())


def merge_report(path: Path, assignment: str, outcomes: list[dict], deadline: str | None,
                 replace_all: bool) -> dict:
    """The autograde report with ``outcomes`` in it; earlier outcomes of other participants kept
    unless ``replace_all`` (a run over the whole cohort)."""
    previous = []
    if not replace_all:
        try:
            previous = json.loads(path.read_text(encoding="utf-8")).get("outcomes", [])
        except (OSError, ValueError, AttributeError):
            previous = []
    fresh = {o["participant"] for o in outcomes}
    merged = [o for o in previous if isinstance(o, dict) and o.get("participant") not in fresh] + outcomes
    merged.sort(key=lambda o: str(o.get("participant")))
    report = {"assignment": assignment, "graded_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
              "deadline": deadline, "outcomes": merged}
    results.write_json_atomically(path, report)
    return report


def cmd_autograde(args) -> int:
    from ..i18n import N_
    from .inspect import Problem

    lang = getattr(args, "lang", "en")
    root = course_root(args.course)
    assignments = _check_assignments(root, args.assignments, lang)
    deadline_given = parse_deadline(args.deadline, lang) if getattr(args, "deadline", None) else None
    sandbox = not getattr(args, "no_sandbox", False)
    roster = _roster_ids(root)
    strangers = sorted(set(args.participant or []) - roster) if roster else []
    if strangers:  # nothing is written for an id the roster does not know (a typo would add a student)
        raise FacilitatorError(t("grading.cli.not_on_roster", lang, participants=", ".join(strangers)))
    if not sandbox:
        _say(t("grading.sandbox.off_warning", lang))
    reports = root / REPORTS
    reports.mkdir(exist_ok=True)
    damaged_total = 0
    for assignment in assignments:
        _say(t("grading.cli.autograding", lang, assignment=assignment, jobs=args.jobs, timeout=args.timeout))
        if deadline_given is not None:
            _set_gradebook_deadline(root, assignment, deadline_given)
        deadline = deadline_given or _gradebook_deadline(root, assignment)
        times: dict[str, tuple[datetime | None, float | None]] = {}

        def extra_problems(outcome, times=times, deadline=deadline) -> None:  # this assignment's
            if outcome.participant in times:
                return
            notes = collect_notes(root, outcome.participant, outcome.assignment)
            outcome.problems[:0] = [n for n in notes if n not in outcome.problems]
            submitted = submission_time(root, outcome.participant, outcome.assignment)
            late = lateness(submitted, deadline)
            times[outcome.participant] = (submitted, late)
            if late and submitted is not None and deadline is not None:  # late is 0 or None otherwise
                outcome.problems.append(Problem.of(
                    "late", N_("grading.problem.late"), hours=round(late / 3600, 1),
                    submitted=submitted.astimezone(timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
                    deadline=deadline.astimezone(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")))

        def show(outcome):
            if outcome.status != "pending":
                extra_problems(outcome)
            mark = t("grading.cli.mark_ok", lang) if not outcome.damaged else t("grading.cli.mark_check", lang)
            _say(t("grading.cli.progress", lang, mark=mark, participant=outcome.participant,
                   status=status_text(outcome.status, lang), seconds=outcome.seconds))

        chosen = args.participant or None
        if chosen is None:  # also those whose only archive could not be read: reported, never skipped
            chosen = sorted(set(submitted_participants(root, assignment)) | unreadable_only(root, assignment))
        outcomes = autograde_cohort(root, assignment, chosen, jobs=args.jobs,
                                    timeout=args.timeout, cell_timeout=args.cell_timeout, progress=show,
                                    lang=lang, sandbox=sandbox)
        records = []
        for outcome in outcomes:
            extra_problems(outcome)
            submitted, late = times[outcome.participant]
            record = outcome.as_dict()
            record["submitted_at"] = submitted.astimezone(timezone.utc).isoformat(timespec="seconds") \
                if submitted else None
            record["late_by_seconds"] = round(late) if late is not None else None
            records.append(record)
        damaged = [o for o in outcomes if o.damaged]
        damaged_total += len(damaged)
        report = reports / f"autograde-{assignment}.json"
        merge_report(report, assignment, records,
                     deadline.astimezone(timezone.utc).isoformat(timespec="minutes") if deadline else None,
                     replace_all=not args.participant)
        _say(t("grading.cli.autograde_done", lang, assignment=assignment, count=len(outcomes),
               damaged=len(damaged), report=report))
        for outcome in damaged:
            _say(outcome.describe(lang))
    if damaged_total:
        _say(t("grading.cli.damaged_note", lang))
    return 0


def _last_line(text: str) -> str:
    """The line of an error that says what went wrong (the end of a traceback), not a cut-off middle."""
    lines = [line.strip() for line in (text or "").splitlines() if line.strip()]
    for line in reversed(lines):
        if re.match(r"^[A-Za-z_][\w.]*(Error|Exception|Warning|Exit|Interrupt)\b", line) or ": " in line:
            return line[:300]
    return (lines[-1] if lines else "")[:300]


def _repair_autograded(root: Path, participant: str, assignment: str) -> list[str]:
    """Normalise what another front end saved into the autograded notebook (before nbconvert reads it)."""
    from .inspect import normalise_front_end

    changes = []
    for path in (root / "autograded" / participant / assignment).glob("*.ipynb"):
        try:
            nb = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        found = normalise_front_end(nb)
        # Saved widget state makes nbconvert add a script that loads the widget renderer from a
        # CDN; a feedback page shows no live widget anyway, so the state is left out of it.
        dropped_widgets = isinstance(nb.get("metadata"), dict) and nb["metadata"].pop("widgets", None) is not None
        if found or dropped_widgets:
            results.write_json_atomically(path, nb, indent=1)
            changes.extend(found)
    return changes


def feedback_one(api, root: Path, assignment: str, participant: str, secret: list[str],
                 solutions: list[str]) -> dict:
    """Write one participant's feedback page(s), safe to hand out, or say why not.

    Returns ``{"participant", "status": "written"|"withheld"|"failed", "problems": [...],
    "neutralised": [...]}``. Never raises for what is in the participant's notebook.
    """
    from ..i18n import N_
    from .inspect import Problem

    record: dict[str, Any] = {"participant": participant, "assignment": assignment, "status": "written", "problems": [],
              "neutralised": []}
    folder = root / "feedback" / participant / assignment
    try:
        repaired = _repair_autograded(root, participant, assignment)
        if repaired:
            record["problems"].append(Problem.of("other_front_end", N_("grading.problem.other_front_end"),
                                                 repaired=True, what="; ".join(repaired)).as_dict())
        result = api.generate_feedback(assignment, participant, force=True)
        if not result.get("success"):
            raise RuntimeError(_last_line((result.get("error") or "") + "\n" + (result.get("log") or ""))
                               or "nbgrader failed")
        pages = sorted(folder.glob("*.html"))
        if not pages:
            raise RuntimeError("nbgrader wrote no page")
        for page in pages:
            text = hidden.offline_html(page.read_text(encoding="utf-8", errors="replace"))
            text, removed = hidden.neutralise_remote(text)
            record["neutralised"].extend(removed)
            secrets = hidden.find_secrets(text, secret, solutions)
            remote = hidden.fetching_references(text)
            if secrets or remote:
                page.unlink()
                record["status"] = "withheld"
                record["problems"].append(Problem.of(
                    "feedback_withheld", N_("grading.problem.feedback_withheld"), fatal=True, page=page.name,
                    found="; ".join([f"{how}: {line[:80]}" for how, line in secrets[:3]] + remote[:2])).as_dict())
                continue
            results.write_text_atomically(page, text)
    except Exception as exc:  # noqa: BLE001 - one participant's page never stops the cohort
        for page in folder.glob("*.html") if folder.exists() else []:
            page.unlink()  # never leave a page that was not checked
        record["status"] = "failed"
        record["problems"].append(Problem.of("feedback_failed", N_("grading.problem.feedback_failed"), fatal=True,
                                             error=_last_line(f"{type(exc).__name__}: {exc}")).as_dict())
    return record


def cmd_feedback(args) -> int:
    from .inspect import Problem

    lang = getattr(args, "lang", "en")
    root = course_root(args.course)
    assignments = _check_assignments(root, args.assignments, lang)
    api = _exchange_api(root, lang)[0] if args.exchange else _quiet_api(root)
    troubled = 0
    for assignment in assignments:
        source = json.loads(next((root / "solutions" / assignment).glob("*.ipynb")).read_text(encoding="utf-8"))
        secret = hidden.hidden_lines(source)
        solutions = hidden.solution_lines(source)
        students = sorted(p.parent.name for p in (root / "autograded").glob(f"*/{assignment}") if p.is_dir())
        if args.participant:
            missing = [p for p in args.participant if p not in students]
            for participant in missing:
                _say("  " + t("grading.cli.feedback_not_graded", lang, participant=participant,
                              assignment=assignment))
            students = [p for p in students if p in args.participant]
        records = []
        for student in students:
            record = feedback_one(api, root, assignment, student, secret, solutions)
            records.append(record)
            problems = [Problem.from_dict(p) for p in record["problems"]]
            if record["status"] != "written":
                troubled += 1
                _say("  " + t("grading.cli.feedback_not_written", lang, participant=student))
            for problem in problems:
                _say("    " + problem.line(lang))
            if record["neutralised"]:
                _say("  " + t("grading.cli.feedback_neutralised", lang, participant=student,
                              count=len(record["neutralised"]), what="; ".join(record["neutralised"][:3])))
        made = sum(r["status"] == "written" for r in records)
        _record_feedback(root, assignment, records, replace_all=not args.participant)
        line = t("grading.cli.feedback_done", lang, assignment=assignment, count=made, folder=root / "feedback")
        if args.exchange:
            result = api.release_feedback(assignment)
            line += (t("grading.cli.feedback_released", lang) if result["success"]
                     else t("grading.cli.feedback_release_failed", lang))
        _say(line)
    if troubled:
        _say(t("grading.cli.feedback_troubled", lang, count=troubled))
        return 1
    return 0


def _record_feedback(root: Path, assignment: str, records: list[dict], replace_all: bool) -> None:
    """``grading-reports/feedback-<assignment>.json``: which pages were written, withheld or failed."""
    reports = root / REPORTS
    reports.mkdir(exist_ok=True)
    path = reports / f"feedback-{assignment}.json"
    previous = []
    if not replace_all:
        try:
            previous = json.loads(path.read_text(encoding="utf-8")).get("outcomes", [])
        except (OSError, ValueError, AttributeError):
            previous = []
    fresh = {r["participant"] for r in records}
    merged = sorted([r for r in previous if r.get("participant") not in fresh] + records,
                    key=lambda r: str(r.get("participant")))
    results.write_json_atomically(path, {"assignment": assignment, "outcomes": merged})


def _table(root: Path, assignments: list[str] | None):
    api = _quiet_api(root)
    rows = results.gradebook_scores(api.coursedir.db_url, api.coursedir.course_id, assignments)
    problems, info = results.load_records(root / REPORTS)
    table = results.wide_table(rows, problems, info)
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
    if getattr(args, "hub", False):
        ok = _check_hub(args, lang) and ok
    return 0 if ok else 1


def _check_hub(args, lang: str) -> bool:
    """The shared machine's privacy: exchange 1777 and root's, homes 0700, Python readable, roster = users."""
    from .parallel import load_config

    root = course_root(args.course)
    course_config = load_config(root) if (root / "nbgrader_config.py").exists() else None
    exchange = hub.exchange_root(course_config or hub.system_nbgrader_config())
    problems = hub.exchange_problems(exchange)
    problems += hub.home_problems(hub.user_homes(Path(args.homes)))
    problems += hub.world_access_problems(hub.python_paths())
    if course_config is not None and (root / "gradebook.db").exists():
        problems += hub.roster_problems(_roster_ids(root))
    _say(t("hub.check.exchange", lang, path=exchange))
    if not problems:
        _say(t("hub.check.ok", lang))
        return True
    _say("")
    _say("!" * 72)
    _say(t("hub.check.warning", lang, count=len(problems)))
    for problem in problems:
        _say("  !! " + problem.text(lang))
    _say("!" * 72)
    return False


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
    p.add_argument("--participant", action="append",
                   help="grade only this participant (repeatable); the others' records are kept")
    p.add_argument("--deadline", help="deadline, e.g. '2025-05-01 18:00' (local time) or with +08:00; lateness "
                                      "is reported (default: nbgrader's duedate, if set)")
    p.add_argument("--no-sandbox", action="store_true",
                   help="grade without a sandbox: submissions run with your rights (only where none exists)")
    p = add("feedback", cmd_feedback, "HTML feedback per participant, hidden tests removed")
    p.add_argument("assignments", nargs="*", help="assignment ids (default: all)")
    p.add_argument("--participant", action="append", help="only this participant (repeatable)")
    p.add_argument("--exchange", action="store_true", help="also release feedback to the exchange")
    p = add("export", cmd_export, "grades to CSV (one line per participant and assignment)")
    p.add_argument("--output", help="CSV file (default: <course>/grades.csv)")
    p.add_argument("--assignment", action="append", help="only this assignment (repeatable)")
    p = add("summary", cmd_summary, "cohort summary page (opens offline)")
    p.add_argument("--output", help="HTML file (default: <course>/cohort-summary.html)")
    p.add_argument("--assignment", action="append", help="only this assignment (repeatable)")
    p.add_argument("--title", help="page title (default: the course's title in --lang)")
    p = add("check", cmd_check, "check that nbgrader's formgrader extensions are enabled")
    p.add_argument("--hub", action="store_true",
                   help="also check a JupyterHub's privacy: exchange 1777, homes 0700, Python readable, roster ids")
    p.add_argument("--homes", default="/home", help="with --hub: the folder holding users' homes (default /home)")
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
