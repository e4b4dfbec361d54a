"""Autograde a cohort with N worker processes and a time limit per notebook.

Stock ``nbgrader autograde`` grades one notebook after another (jupyter/nbgrader#174),
and one broken submission can stop the run. Here:

- every submission is first inspected and, where safe, repaired
  (:mod:`course.grading.inspect`); the original file is kept beside it as
  ``<notebook>.ipynb.orig``;
- ``jobs`` long-lived worker processes each hold one ``NbGraderAPI`` (nbgrader is
  imported once per worker, not once per notebook) and grade one submission at a time;
- nbgrader's own per-cell limit (``Execute.timeout``, interrupt on timeout) stops an
  endless loop in a cell; on top of it a hard limit per notebook is enforced from
  outside: a worker that takes longer is killed with its process group, the
  submission is scored 0 and reported, and a fresh worker takes over;
- anything a submission does wrong ends up in its :class:`Outcome`, and the rest of
  the cohort is graded;
- each kernel runs in a sandbox (:mod:`course.grading.sandbox`, set in the course's
  nbgrader_config.py); what the test guard found, and any grade in the gradebook that
  the executed notebook does not support, become "check by hand" problems;
- workers are started with ``multiprocessing``'s ``spawn`` method, which every
  platform has (``fork`` does not exist on Windows and is unsafe on macOS).

Grades land in the course's ``gradebook.db`` exactly as with stock nbgrader (the
workers call nbgrader's own ``autograde``), so the formgrader, ``nbgrader export``
and feedback work unchanged.
"""
from __future__ import annotations

import json
import multiprocessing
import os
import signal
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from multiprocessing.connection import wait
from pathlib import Path

from ..i18n import N_, t
from .inspect import Inspection, Problem, inspect_submission

START_METHOD = "spawn"
"""How worker processes start: ``spawn`` works on Linux, macOS and Windows alike."""

ORIGINAL_SUFFIX = ".orig"

STATUS_KEYS = {
    "graded": N_("grading.status.graded"),
    "not_graded": N_("grading.status.not_graded"),
    "timeout": N_("grading.status.timeout"),
    "error": N_("grading.status.error"),
    "pending": N_("grading.status.pending"),
}


def status_text(status: str, lang: str = "en") -> str:
    """An outcome's status for the facilitator to read (the JSON report keeps the code)."""
    key = STATUS_KEYS.get(status)
    return t(key, lang) if key else status


@dataclass
class Outcome:
    participant: str
    assignment: str
    status: str
    """``graded``, ``not_graded`` (file unusable), ``timeout`` or ``error``."""
    problems: list[Problem] = field(default_factory=list)
    seconds: float = 0.0
    log_tail: str = ""

    @property
    def damaged(self) -> bool:
        return bool(self.problems) or self.status != "graded"

    def describe(self, lang: str = "en") -> str:
        lines = [t("grading.outcome.heading", lang, participant=self.participant, assignment=self.assignment,
                   status=status_text(self.status, lang))]
        lines += [f"  - {p.line(lang)}" for p in self.problems]
        return "\n".join(lines)

    def as_dict(self) -> dict:
        return {"participant": self.participant, "assignment": self.assignment, "status": self.status,
                "seconds": round(self.seconds, 2), "log_tail": self.log_tail,
                "problems": [p.as_dict() for p in self.problems]}


# --------------------------------------------------------------------------- course helpers

def load_config(course_root: str | Path, **overrides):
    """The traitlets ``Config`` of a course directory (its nbgrader_config.py), root pinned."""
    from traitlets.config import Config
    from traitlets.config.loader import PyFileConfigLoader

    course_root = Path(course_root).resolve()
    config = Config()
    config_file = course_root / "nbgrader_config.py"
    if config_file.exists():
        config.merge(PyFileConfigLoader("nbgrader_config.py", path=str(course_root)).load_config())
    config.CourseDirectory.root = str(course_root)
    for dotted, value in overrides.items():
        section, name = dotted.split(".", 1)
        setattr(config[section], name, value)
    return config


def ensure_tools_on_path() -> None:
    """nbgrader runs ``alembic`` by name when it creates a gradebook: find it next to this Python."""
    import sys

    bin_dir = str(Path(sys.executable).parent)
    parts = os.environ.get("PATH", "").split(os.pathsep)
    if bin_dir not in parts:
        os.environ["PATH"] = os.pathsep.join([bin_dir, *parts])


def make_api(course_root: str | Path, **overrides):
    """An ``NbGraderAPI`` bound to ``course_root`` (nbgrader imported here, not at module import)."""
    ensure_tools_on_path()
    from nbgrader.apps import NbGraderAPI
    from nbgrader.coursedir import CourseDirectory

    config = load_config(course_root, **overrides)
    coursedir = CourseDirectory(config=config)
    return NbGraderAPI(coursedir, config=config)


def release_notebook(course_root: Path, assignment: str, lang: str = "en") -> tuple[str, dict]:
    """Name and content of the (single) released notebook of an assignment."""
    folder = Path(course_root) / "exercises" / assignment
    notebooks = sorted(folder.glob("*.ipynb"))
    if not notebooks:
        raise FileNotFoundError(t("grading.cli.no_release", lang, folder=folder, assignment=assignment))
    return notebooks[0].stem, json.loads(notebooks[0].read_text(encoding="utf-8"))


def submitted_participants(course_root: Path, assignment: str) -> list[str]:
    base = Path(course_root) / "submitted"
    return sorted(p.parent.name for p in base.glob(f"*/{assignment}") if p.is_dir())


def prepare(course_root: Path, assignment: str, participant: str, notebook: str, release: dict) -> Inspection:
    """Inspect one submission and write the repaired notebook in place (original kept as ``.orig``)."""
    path = Path(course_root) / "submitted" / participant / assignment / f"{notebook}.ipynb"
    original = path.with_name(path.name + ORIGINAL_SUFFIX)
    if original.exists():  # graded before: always start again from what the participant sent
        source = original
    else:
        source = path
    if not source.exists():
        others = sorted(p.name for p in path.parent.iterdir()) if path.parent.exists() else []
        if others:
            problem = Problem.of("missing", N_("grading.problem.missing_found"), fatal=True,
                                 notebook=notebook, found=", ".join(others))
        else:
            problem = Problem.of("missing", N_("grading.problem.missing"), fatal=True, notebook=notebook)
        return Inspection(path, [problem], None)
    inspection = inspect_submission(source, release)
    if inspection.gradable and inspection.changed:
        if not original.exists():
            os.replace(path, original)
        path.write_text(json.dumps(inspection.notebook, ensure_ascii=False, indent=1), encoding="utf-8")
    elif inspection.gradable and source == original:
        path.write_bytes(original.read_bytes())
    inspection.path = path
    return inspection


def zero_grades(course_root: Path, assignment: str, participant: str) -> None:
    """Score an ungradable submission 0 in the gradebook, as nbgrader does for a missing notebook."""
    from nbgrader.api import Gradebook

    config = load_config(course_root)
    db_url = config.CourseDirectory.get("db_url") or f"sqlite:///{Path(course_root) / 'gradebook.db'}"
    with Gradebook(db_url, config.CourseDirectory.course_id) as gb:
        gb.update_or_create_student(participant)
        submission = gb.update_or_create_submission(assignment, participant)
        for notebook in submission.notebooks:
            for grade in notebook.grades:
                grade.auto_score = 0
                grade.manual_score = None
                grade.needs_manual_grade = False
        gb.db.commit()
    autograded = Path(course_root) / "autograded" / participant / assignment
    if autograded.exists():
        import shutil

        shutil.rmtree(autograded, ignore_errors=True)


def static_findings(course_root: Path, assignment: str, participant: str, notebook: str) -> list[Problem]:
    """The answer cells' static scan (:func:`course.grading.guard.scan_answers`) of the submitted
    notebook, for a run that never finished: an answer that breaks the kernel itself (say,
    ``builtins.len = ...``) must still be reported as touching the grading machinery."""
    from .guard import scan_answers

    path = Path(course_root) / "submitted" / participant / assignment / f"{notebook}.ipynb"
    try:
        found = scan_answers(json.loads(path.read_text(encoding="utf-8")))
    except (OSError, ValueError, SyntaxError):
        return []
    if not found:
        return []
    return [Problem.of("tampering", N_("grading.problem.tampering"), count=len(found),
                       findings="; ".join(found)[:1500])]


def findings_after_run(course_root: Path, assignment: str, participant: str, notebook: str) -> list[Problem]:
    """What the executed notebook shows: cells stopped by the per-cell limit, truncated output."""
    path = Path(course_root) / "autograded" / participant / assignment / f"{notebook}.ipynb"
    try:
        nb = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return []
    stopped, truncated, keyboard = [], [], []
    for index, cell in enumerate(nb.get("cells", [])):
        name = (cell.get("metadata", {}).get("nbgrader") or {}).get("grade_id") or f"#{index + 1}"
        for output in cell.get("outputs", []) or []:
            if output.get("ename") in ("CellTimeoutError", "KeyboardInterrupt") and name not in stopped:
                stopped.append(name)
            if output.get("ename") == "StdinNotImplementedError" and name not in keyboard:
                keyboard.append(name)  # getpass(), pdb, help() ... : what the input() stub does not cover
            text = output.get("text", "")
            if "Output truncated" in ("".join(text) if isinstance(text, list) else str(text)):
                truncated.append(name)
    problems = []
    from .sandbox import findings

    _, found = findings(nb)
    if found:
        problems.append(Problem.of("tampering", N_("grading.problem.tampering"), count=len(found),
                                   findings="; ".join(found)[:1500]))
    if stopped:
        problems.append(Problem.of("timeout", N_("grading.problem.cells_stopped"), cells=", ".join(stopped)))
    if keyboard:
        problems.append(Problem.of("keyboard_input", N_("grading.problem.keyboard_input_failed"),
                                   cells=", ".join(keyboard)))
    if truncated:
        problems.append(Problem.of("huge_output", N_("grading.problem.output_truncated"),
                                   cells=", ".join(sorted(set(truncated)))))
    return problems


def recheck_grades(course_root: Path, assignment: str, participant: str, notebook: str) -> list[Problem]:
    """Compare the gradebook with the executed notebook, once the kernel is gone.

    Every autograded test cell's score is worked out again from the notebook's outputs
    (nbgrader's own rule, ``nbgrader.utils.determine_grade``); a cell whose recorded score
    differs means something other than the grading process wrote the gradebook.
    """
    from nbformat import reads
    from nbgrader.api import Gradebook, MissingEntry
    from nbgrader.utils import determine_grade, is_grade, is_solution

    path = Path(course_root) / "autograded" / participant / assignment / f"{notebook}.ipynb"
    try:
        nb = reads(path.read_text(encoding="utf-8"), as_version=4)
    except (OSError, ValueError):
        return []
    config = load_config(course_root)
    db_url = config.CourseDirectory.get("db_url") or f"sqlite:///{Path(course_root) / 'gradebook.db'}"
    changed = []
    with Gradebook(db_url, config.CourseDirectory.course_id) as gb:
        for cell in nb.cells:
            if not is_grade(cell) or is_solution(cell) or cell.cell_type != "code":
                continue
            grade_id = cell.metadata.nbgrader["grade_id"]
            try:
                grade = gb.find_grade(grade_id, notebook, assignment, participant)
            except MissingEntry:
                changed.append(grade_id)
                continue
            expected, _ = determine_grade(cell)
            if grade.auto_score != expected:
                changed.append(grade_id)
    if not changed:
        return []
    return [Problem.of("tampering", N_("grading.problem.grades_changed"), cells=", ".join(changed))]


# --------------------------------------------------------------------------- workers

def _worker(course_root: str, overrides: dict, conn) -> None:
    if hasattr(os, "setsid"):
        os.setsid()  # own process group: a kill reaches this worker and anything it started
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    os.chdir(course_root)
    api = make_api(course_root, **overrides)
    while True:
        try:
            task = conn.recv()
        except EOFError:
            return
        if task is None:
            return
        assignment, participant = task
        started = time.monotonic()
        result: dict = {}
        for attempt in range(2):  # one retry: a busy gradebook or a slow kernel start is not the learner's fault
            try:
                result = api.autograde(assignment, participant, force=True, create=True)
            except BaseException as exc:  # noqa: BLE001 - reported, never fatal for the cohort
                result = {"success": False, "error": f"{type(exc).__name__}: {exc}", "log": ""}
            if result.get("success") or _looks_like_timeout((result.get("log") or "") + (result.get("error") or "")):
                break
            time.sleep(0.5 + attempt)
        detail = ""
        if not result.get("success"):
            errors = [line for line in (result.get("log") or "").splitlines()
                      if line.startswith("[ERROR]") or "Error" in line]
            detail = "\n".join(errors[-15:]) + "\n" + (result.get("error") or "")
        conn.send((assignment, participant, bool(result.get("success")), detail[-3000:],
                   time.monotonic() - started))


def _looks_like_timeout(text: str) -> bool:
    lowered = text.lower()
    return "unresponsive" in lowered or "celltimeouterror" in lowered or "timeout waiting for execute" in lowered


class _Slot:
    def __init__(self, ctx, course_root: str, overrides: dict):
        self.parent_conn, child_conn = ctx.Pipe()
        self.process = ctx.Process(target=_worker, args=(course_root, overrides, child_conn), daemon=True)
        self.process.start()
        child_conn.close()
        self.task: tuple[str, str] | None = None
        self.started = 0.0

    def kill(self) -> None:
        try:
            os.killpg(self.process.pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError, AttributeError):  # no process groups on Windows
            self.process.kill()
        self.process.join(5)
        self.parent_conn.close()

    def stop(self) -> None:
        try:
            self.parent_conn.send(None)
        except (BrokenPipeError, OSError):
            pass
        self.process.join(10)
        if self.process.is_alive():
            self.kill()


def autograde_cohort(course_root: str | Path, assignment: str, participants: list[str] | None = None,
                     jobs: int = 2, timeout: float = 300, cell_timeout: int | None = None,
                     progress: Callable[[Outcome], None] | None = None, lang: str = "en",
                     sandbox: bool = True, start_method: str | None = None) -> list[Outcome]:
    """Grade every submission of ``assignment`` (or the listed participants); one :class:`Outcome` each.

    ``lang`` is the language of the errors raised here; the outcomes' problems carry
    their message keys and are shown in any language with :meth:`Outcome.describe`.
    ``sandbox=False`` runs submissions unconfined, with the caller's rights (the
    facilitator's ``--no-sandbox``); with ``sandbox=True`` and no working sandbox,
    :class:`course.grading.sandbox.SandboxUnavailable` is raised before anything is graded.
    ``start_method`` is ``multiprocessing``'s (default :data:`START_METHOD`).
    """
    from .sandbox import SandboxUnavailable, check_sandbox, unavailable_message

    course_root = Path(course_root).resolve()
    if jobs < 1:
        raise ValueError("jobs must be at least 1")
    if sandbox:
        reason = check_sandbox()
        if reason:
            raise SandboxUnavailable(unavailable_message(reason, lang))
    notebook, release = release_notebook(course_root, assignment, lang)
    participants = sorted(participants) if participants is not None else submitted_participants(course_root,
                                                                                                  assignment)
    outcomes: dict[str, Outcome] = {}
    queue: list[str] = []
    for participant in participants:
        inspection = prepare(course_root, assignment, participant, notebook, release)
        if not inspection.gradable:
            zero_grades(course_root, assignment, participant)
            outcome = Outcome(participant, assignment, "not_graded", inspection.problems)
            outcomes[participant] = outcome
            if progress:
                progress(outcome)
        else:
            outcomes[participant] = Outcome(participant, assignment, "pending", inspection.problems)
            queue.append(participant)

    overrides: dict[str, int | str] = {"Execute.timeout": int(cell_timeout)} if cell_timeout else {}
    overrides["SandboxedExecute.sandbox"] = "bwrap" if sandbox else "off"
    overrides["SandboxedExecute.lang"] = lang
    _make_sure_gradebook(course_root)
    ctx = multiprocessing.get_context(start_method or START_METHOD)
    slots = [_Slot(ctx, str(course_root), overrides) for _ in range(min(jobs, max(1, len(queue))))] if queue else []

    def finish(participant: str, status: str, seconds: float, log_tail: str = "", extra=()) -> None:
        outcome = outcomes[participant]
        outcome.status, outcome.seconds, outcome.log_tail = status, seconds, log_tail
        outcome.problems.extend(extra)
        if progress:
            progress(outcome)

    try:
        while queue or any(slot.task for slot in slots):
            for slot in slots:
                if slot.task is None and queue:
                    participant = queue.pop(0)
                    slot.task, slot.started = (assignment, participant), time.monotonic()
                    slot.parent_conn.send(slot.task)
            busy = [slot for slot in slots if slot.task]
            ready = wait([slot.parent_conn for slot in busy], timeout=0.2)
            for slot in busy:
                task = slot.task
                if task is None:  # never: a busy slot has a task
                    continue
                if slot.parent_conn in ready:
                    try:
                        _, participant, success, error, seconds = slot.parent_conn.recv()
                    except (EOFError, OSError):
                        participant = task[1]
                        finish(participant, "error", time.monotonic() - slot.started,
                               extra=[Problem.of("crashed", N_("grading.problem.worker_died"))])
                        zero_grades(course_root, assignment, participant)
                        slots[slots.index(slot)] = _Slot(ctx, str(course_root), overrides)
                        continue
                    slot.task = None
                    if success:
                        finish(participant, "graded", seconds,
                               extra=findings_after_run(course_root, assignment, participant, notebook)
                               + recheck_grades(course_root, assignment, participant, notebook))
                    else:
                        zero_grades(course_root, assignment, participant)
                        first = next((line for line in error.splitlines() if line.strip()), "unknown error")
                        scanned = static_findings(course_root, assignment, participant, notebook)
                        if _looks_like_timeout(error):
                            finish(participant, "timeout", seconds, error,
                                   extra=scanned + [Problem.of("timeout", N_("grading.problem.cell_hung"))])
                        else:
                            finish(participant, "error", seconds, error,
                                   extra=scanned + [Problem.of("crashed", N_("grading.problem.nbgrader_failed"),
                                                               error=first.strip()[:300])])
                elif time.monotonic() - slot.started > timeout:
                    participant = task[1]
                    slot.kill()
                    zero_grades(course_root, assignment, participant)
                    finish(participant, "timeout", time.monotonic() - slot.started,
                           extra=static_findings(course_root, assignment, participant, notebook)
                           + [Problem.of("timeout", N_("grading.problem.notebook_timeout"), seconds=timeout)])
                    slots[slots.index(slot)] = _Slot(ctx, str(course_root), overrides)
    finally:
        for slot in slots:
            slot.stop()
    return [outcomes[p] for p in participants]


def _make_sure_gradebook(course_root: Path) -> None:
    """Create the gradebook's tables once, before workers race to do it."""
    from nbgrader.api import Gradebook

    config = load_config(course_root)
    db_url = config.CourseDirectory.get("db_url") or f"sqlite:///{Path(course_root) / 'gradebook.db'}"
    with Gradebook(db_url, config.CourseDirectory.course_id):
        pass
