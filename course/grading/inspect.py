"""Find what is wrong with a submitted notebook, and repair what can be repaired safely.

Learners delete, copy and retype cells (jupyter/nbgrader#1083, #1682, #1941), save
huge outputs, break metadata, or send a file that is not a notebook at all. Stock
nbgrader then stops with a traceback, or silently marks a deleted test cell as
"needs manual grading". Here each submission is compared with the released student
version before grading:

- a file that is not a notebook cannot be graded: it is reported and scored 0;
- a deleted (or retyped) answer or test cell is put back from the released version,
  so the tests run and nothing can be skipped by deleting them;
- a copied cell keeps its grading id on the first copy only (nbgrader's own DeduplicateIds keeps the last);
- broken nbgrader metadata is restored from the released cell with the same id;
- saved outputs are cleared when they are huge (nbgrader clears them anyway).

Every finding is a :class:`Problem` with a plain-English ``detail`` for the report
(kept in English in the JSON report and the CSV) and its message key, so that
:meth:`Problem.text` can show it in the facilitator's language (``zh`` or ``en``).
The rules need only the standard library, so they are tested without nbgrader.
"""
from __future__ import annotations

import copy
import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from ..i18n import N_, t

MAX_NOTEBOOK_BYTES = 100 * 1024 * 1024
"""Above this a file is not read at all: no course notebook comes near it."""

HUGE_OUTPUT_BYTES = 2 * 1024 * 1024
"""Saved outputs larger than this are reported (and cleared before grading)."""

_STUB = re.compile(r"^\s*(#.*|raise NotImplementedError\(\)|YOUR ANSWER HERE|)\s*$")


@dataclass(frozen=True)
class Problem:
    code: str
    """``not_notebook``, ``too_large``, ``huge_output``, ``metadata_broken``, ``cell_copied``,
    ``cell_deleted``, ``cell_retyped``, ``timeout``, ``crashed``, ``missing``."""
    detail: str
    """In English, as written to the JSON report and the grades CSV."""
    repaired: bool = False
    fatal: bool = False
    key: str = ""
    """Message key of ``detail`` (``grading.problem.*``), empty for a problem made by hand."""
    values: dict = field(default_factory=dict, compare=False, hash=False)

    @classmethod
    def of(cls, code: str, key: str, *, repaired: bool = False, fatal: bool = False, **values) -> "Problem":
        """A problem whose detail is the message ``key`` (marked with ``N_`` by the caller)."""
        return cls(code, t(key, "en", **values), repaired, fatal, key, dict(values))

    def text(self, lang: str = "en") -> str:
        """``detail`` in ``lang``."""
        return t(self.key, lang, **self.values) if self.key else self.detail

    def line(self, lang: str = "en") -> str:
        if self.repaired:
            tag = t("grading.problem.tag_repaired", lang)
        elif self.fatal:
            tag = t("grading.problem.tag_not_graded", lang)
        else:
            tag = t("grading.problem.tag_check", lang)
        return t("grading.problem.line", lang, code=self.code, detail=self.text(lang), tag=tag)


@dataclass
class Inspection:
    path: Path
    problems: list[Problem] = field(default_factory=list)
    notebook: dict | None = None
    """The notebook to grade (repaired if needed); ``None`` when it cannot be graded."""

    @property
    def gradable(self) -> bool:
        return self.notebook is not None and not any(p.fatal for p in self.problems)

    @property
    def changed(self) -> bool:
        return any(p.repaired for p in self.problems)


def _text(source) -> str:
    return "".join(source) if isinstance(source, list) else str(source or "")


def _nbgrader(cell: dict) -> dict | None:
    meta = cell.get("metadata")
    if not isinstance(meta, dict):
        return None
    value = meta.get("nbgrader")
    return value if isinstance(value, dict) else None


def _grade_id(cell: dict) -> str | None:
    meta = _nbgrader(cell)
    if meta and isinstance(meta.get("grade_id"), str) and (
        meta.get("grade") or meta.get("solution") or meta.get("locked") or meta.get("task")
    ):
        return meta["grade_id"]
    return None


def _meta_ok(meta: dict, reference: dict) -> bool:
    keys = ("grade", "solution", "locked", "grade_id", "schema_version")
    return all(meta.get(k) == reference.get(k) for k in keys) and (
        not reference.get("grade") or meta.get("points") == reference.get("points")
    )


def _signature(source: str) -> str | None:
    """The first line of a released cell that a learner would have to retype."""
    for line in source.split("\n"):
        if not _STUB.match(line):
            return line.strip()
    return None


def _outputs_size(nb: dict) -> int:
    total = 0
    for cell in nb.get("cells", []):
        if isinstance(cell, dict) and cell.get("cell_type") == "code":
            total += len(json.dumps(cell.get("outputs", []), ensure_ascii=False))
    return total


def load_notebook(path: Path) -> tuple[dict | None, Problem | None]:
    """Parse ``path`` as a v4 notebook, or say why it is not one."""
    try:
        size = path.stat().st_size
    except OSError as exc:
        return None, Problem.of("not_notebook", N_("grading.problem.unreadable"), fatal=True,
                                reason=exc.strerror or exc)
    if size > MAX_NOTEBOOK_BYTES:
        return None, Problem.of("too_large", N_("grading.problem.too_large"), fatal=True, mb=size / 1e6)
    try:
        raw = path.read_bytes()
        nb = json.loads(raw.decode("utf-8-sig"))
    except UnicodeDecodeError:
        return None, Problem.of("not_notebook", N_("grading.problem.not_text"), fatal=True)
    except json.JSONDecodeError as exc:
        return None, Problem.of("not_notebook", N_("grading.problem.not_json"), fatal=True,
                                error=exc.msg, line=exc.lineno)
    if not isinstance(nb, dict) or not isinstance(nb.get("cells"), list):
        return None, Problem.of("not_notebook", N_("grading.problem.no_cells"), fatal=True)
    if nb.get("nbformat") != 4:
        return None, Problem.of("not_notebook", N_("grading.problem.wrong_format"), fatal=True,
                                version=repr(nb.get("nbformat")))
    bad = [i for i, cell in enumerate(nb["cells"]) if not isinstance(cell, dict) or "cell_type" not in cell]
    if bad:
        return None, Problem.of("not_notebook", N_("grading.problem.bad_cells"), fatal=True, cells=str(bad[:5]))
    return nb, None


def inspect_notebook(nb: dict, release: dict) -> tuple[dict, list[Problem]]:
    """Compare a submitted notebook with the released one; returns the repaired copy and findings."""
    nb = copy.deepcopy(nb)
    problems: list[Problem] = []
    released = [c for c in release.get("cells", []) if _grade_id(c)]
    by_id = {_grade_id(c): c for c in released}
    by_cell_id = {c.get("id"): c for c in released if c.get("id")}

    if not isinstance(nb.get("metadata"), dict):
        nb["metadata"] = copy.deepcopy(release.get("metadata", {}))
        problems.append(Problem.of("metadata_broken", N_("grading.problem.metadata_unreadable"), repaired=True))

    size = _outputs_size(nb)
    if size > HUGE_OUTPUT_BYTES:
        for cell in nb["cells"]:
            if cell.get("cell_type") == "code":
                cell["outputs"] = []
                cell["execution_count"] = None
        problems.append(Problem.of("huge_output", N_("grading.problem.outputs_cleared"), repaired=True,
                                   mb=size / 1e6))

    # 1. nbgrader metadata: restore from the released cell with the same cell id.
    for cell in nb["cells"]:
        meta = cell.get("metadata")
        if not isinstance(meta, dict):
            cell["metadata"] = meta = {}
        reference = by_cell_id.get(cell.get("id"))
        current = meta.get("nbgrader")
        if reference is not None:
            ref_meta = _nbgrader(reference)
            if not isinstance(current, dict) or not _meta_ok(current, ref_meta):
                meta["nbgrader"] = copy.deepcopy(ref_meta)
                if cell.get("cell_type") != reference.get("cell_type"):
                    cell["cell_type"] = reference["cell_type"]
                    if cell["cell_type"] == "code":
                        cell.setdefault("outputs", [])
                        cell.setdefault("execution_count", None)
                    else:
                        cell.pop("outputs", None)
                        cell.pop("execution_count", None)
                problems.append(Problem.of("metadata_broken", N_("grading.problem.metadata_changed"),
                                           repaired=True, cell=ref_meta["grade_id"]))
        elif "nbgrader" in meta and (not isinstance(current, dict) or (_grade_id(cell) or "") not in by_id
                                     and _grade_id(cell) is not None):
            # grading metadata that matches nothing released: a plain cell from now on
            del meta["nbgrader"]
            problems.append(Problem.of("metadata_broken", N_("grading.problem.metadata_unknown"), repaired=True))

    # 2. copies of a graded cell: the first keeps the id here (nbgrader's DeduplicateIds keeps the last, jupyter/nbgrader#1083)
    seen: dict[str, int] = {}
    for cell in nb["cells"]:
        gid = _grade_id(cell)
        if gid is None:
            continue
        seen[gid] = seen.get(gid, 0) + 1
        if seen[gid] > 1:
            del cell["metadata"]["nbgrader"]
    for gid, count in seen.items():
        if count > 1:
            problems.append(Problem.of("cell_copied", N_("grading.problem.cell_copied"), repaired=True,
                                       cell=gid, count=count))

    # 3. deleted (or retyped) cells come back from the released version, in place
    present = {_grade_id(c) for c in nb["cells"]} - {None}
    order = [_grade_id(c) for c in released]
    for position, gid in enumerate(order):
        if gid in present:
            continue
        reference = by_id[gid]
        signature = _signature(_text(reference.get("source")))
        retyped = signature is not None and any(
            signature in _text(c.get("source")) for c in nb["cells"] if _grade_id(c) is None
        )
        # insert after the nearest earlier graded cell that is present
        index = 0
        for previous in reversed(order[:position]):
            hits = [i for i, c in enumerate(nb["cells"]) if _grade_id(c) == previous]
            if hits:
                index = hits[0] + 1
                break
        restored = copy.deepcopy(reference)
        if restored.get("cell_type") == "code":
            restored["outputs"] = []
            restored["execution_count"] = None
        nb["cells"].insert(index, restored)
        present.add(gid)
        is_test = bool(_nbgrader(reference).get("grade") and not _nbgrader(reference).get("solution"))
        if retyped:
            key = N_("grading.problem.test_retyped") if is_test else N_("grading.problem.answer_retyped")
            problems.append(Problem.of("cell_retyped", key, repaired=True, cell=gid))
        else:
            key = N_("grading.problem.test_deleted") if is_test else N_("grading.problem.answer_deleted")
            problems.append(Problem.of("cell_deleted", key, repaired=True, cell=gid))
    return nb, problems


def inspect_submission(path: str | Path, release: dict) -> Inspection:
    """Read ``path`` and compare it with the released notebook ``release`` (a dict)."""
    path = Path(path)
    nb, problem = load_notebook(path)
    if problem is not None:
        return Inspection(path, [problem], None)
    try:
        repaired, problems = inspect_notebook(nb, release)
    except (KeyError, TypeError, AttributeError, ValueError) as exc:  # a structure we did not foresee
        return Inspection(path, [Problem.of("not_notebook", N_("grading.problem.not_understood"),
                                            fatal=True, error=str(exc))], None)
    return Inspection(path, problems, repaired)
