"""Find what is wrong with a submitted notebook, and repair what can be repaired safely.

Learners delete, copy and retype cells (jupyter/nbgrader#1083, #1682, #1941), save
huge outputs, break metadata, or send a file that is not a notebook at all. Stock
nbgrader then stops with a traceback, or silently marks a deleted test cell as
"needs manual grading". Here each submission is compared with the released student
version before grading:

- a file that is not a notebook cannot be graded: it is reported and scored 0;
- a deleted (or retyped) answer or test cell is put back from the released version,
  so the tests run and nothing can be skipped by deleting them;
- a copied cell keeps its grading id on one copy only, the first (for a test cell, the copy after
  its answer); nbgrader's own DeduplicateIds would keep the last;
- broken nbgrader metadata is restored from the released cell with the same id;
- saved outputs are cleared when they are huge (nbgrader clears them anyway);
- what other front ends (Colab, VS Code, JupyterLite) save differently is normalised:
  widget metadata without its state, another kernel's name, cells without ids or
  with keys the notebook format does not allow;
- cells whose grading metadata another front end dropped are matched back to the
  released cells by content (and by place, for answer cells) instead of scoring 0;
- a copy of a test cell pasted above the answer runs as an ordinary cell: the copy
  in the released place (after the answer) grades;
- an answer that waits for keyboard input (``input()``) gets an ``input`` that
  returns an empty text during grading, so the rest of the answer is graded.

Every finding is a :class:`Problem` with a plain-English ``detail`` for the report
(kept in English in the JSON report and the CSV) and its message key, so that
:meth:`Problem.text` can show it in the facilitator's language (``zh`` or ``en``).
The rules need only the standard library, so they are tested without nbgrader.
"""
from __future__ import annotations

import ast
import copy
import difflib
import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from ..i18n import N_, TranslationError, t

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
    def of(cls, code: str, key: str, *, repaired: bool = False, fatal: bool = False, **values) -> Problem:
        """A problem whose detail is the message ``key`` (marked with ``N_`` by the caller)."""
        return cls(code, t(key, "en", **values), repaired, fatal, key, dict(values))

    def as_dict(self) -> dict:
        """As written to the JSON reports (the key and values let any language show it again)."""
        return {"code": self.code, "detail": self.detail, "repaired": self.repaired, "fatal": self.fatal,
                "key": self.key, "values": {k: v if isinstance(v, (int, float)) else str(v)
                                            for k, v in self.values.items()}}

    @classmethod
    def from_dict(cls, data: dict) -> Problem:
        return cls(str(data.get("code", "")), str(data.get("detail", "")), bool(data.get("repaired")),
                   bool(data.get("fatal")), str(data.get("key") or ""), dict(data.get("values") or {}))

    def text(self, lang: str = "en") -> str:
        """``detail`` in ``lang``."""
        if not self.key:
            return self.detail
        try:
            return t(self.key, lang, **self.values)
        except (KeyError, ValueError, IndexError, TranslationError):  # a record written by another version
            return self.detail

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


def _released_meta(cell: dict) -> dict:
    """nbgrader metadata of a released graded cell (one ``_grade_id`` accepted: always a dict)."""
    return _nbgrader(cell) or {}


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


# --------------------------------------------------------------------------- other front ends

_CELL_KEYS = {"code": {"id", "cell_type", "metadata", "source", "outputs", "execution_count"},
              "markdown": {"id", "cell_type", "metadata", "source", "attachments"},
              "raw": {"id", "cell_type", "metadata", "source", "attachments"}}
_WIDGET_STATE = "application/vnd.jupyter.widget-state+json"


def normalise_front_end(nb: dict, release: dict | None = None) -> list[str]:
    """Make a notebook saved by another front end (Colab, VS Code, JupyterLite) one nbconvert accepts.

    Changes ``nb`` in place and returns what was changed (short English phrases):

    - widget metadata without its ``state`` (Colab and VS Code save only the version):
      nbconvert's HTML export then fails with ``KeyError: 'state'``; dropped;
    - a kernel other than the released one (JupyterLite's ``python``/Pyodide, a VS Code
      environment): the released ``kernelspec`` and ``language_info`` are used;
    - cells without an ``id`` (nbformat 4.5 requires one; added without a word, as
      nbformat does), cells with keys the format does not allow, a ``source`` that is not text, or code cells without ``outputs``;
    - outputs that the notebook format does not accept are cleared (nbgrader runs the
      notebook again anyway).
    """
    changes: list[str] = []
    metadata = nb.get("metadata")
    if isinstance(metadata, dict):
        widgets = metadata.get("widgets")
        if "widgets" in metadata:
            state = widgets.get(_WIDGET_STATE) if isinstance(widgets, dict) else None
            if not isinstance(state, dict) or not isinstance(state.get("state"), dict):
                del metadata["widgets"]
                changes.append("widget metadata without its state")
        if release is not None:
            wanted = (release.get("metadata") or {}).get("kernelspec")
            have = metadata.get("kernelspec")
            if isinstance(wanted, dict) and (not isinstance(have, dict) or have.get("name") != wanted.get("name")):
                metadata["kernelspec"] = copy.deepcopy(wanted)
                if "language_info" in (release.get("metadata") or {}):
                    metadata["language_info"] = copy.deepcopy(release["metadata"]["language_info"])
                changes.append(f"kernel {(have or {}).get('name') if isinstance(have, dict) else have!r}")
    seen_ids: set[str] = set()
    fixed_cells = 0
    for index, cell in enumerate(nb.get("cells", [])):
        kind = cell.get("cell_type")
        changed = False
        if kind not in _CELL_KEYS:
            continue
        if not isinstance(cell.get("source", ""), (str, list)) or (
                isinstance(cell.get("source"), list) and not all(isinstance(x, str) for x in cell["source"])):
            cell["source"] = str(cell.get("source"))
            changed = True
        cell_id = cell.get("id")
        if not isinstance(cell_id, str) or not re.fullmatch(r"[a-zA-Z0-9-_]{1,64}", cell_id) or cell_id in seen_ids:
            cell["id"] = f"sp-cell-{index + 1}"  # silently, as nbformat itself does when it reads one
            while cell["id"] in seen_ids:
                cell["id"] += "x"
        seen_ids.add(cell["id"])
        for key in list(cell):
            if key not in _CELL_KEYS[kind]:
                del cell[key]
                changed = True
        if kind == "code":
            if not isinstance(cell.get("outputs"), list):
                cell["outputs"] = []
                changed = True
            if "execution_count" not in cell or not (cell["execution_count"] is None
                                                     or isinstance(cell["execution_count"], int)):
                cell["execution_count"] = None
                changed = True
        fixed_cells += changed
    if fixed_cells:
        changes.append(f"{fixed_cells} cell(s) in another layout")
    if nb.get("nbformat_minor", 0) < 5 or not isinstance(nb.get("nbformat_minor"), int):
        nb["nbformat_minor"] = 5
    try:
        import nbformat

        nbformat.validate(nbformat.from_dict(nb))
    except ImportError:  # pragma: no cover - nbformat comes with nbgrader
        pass
    except Exception:  # noqa: BLE001 - any validation error: outputs are the usual culprit
        cleared = 0
        for cell in nb.get("cells", []):
            if cell.get("cell_type") == "code" and cell.get("outputs"):
                cell["outputs"] = []
                cell["execution_count"] = None
                cleared += 1
        if cleared:
            changes.append(f"outputs of {cleared} cell(s) the notebook format does not accept")
    return changes


# --------------------------------------------------------------------------- keyboard input

INPUT_STUB_ID = "sp-grading-input-stub"
INPUT_STUB = (
    "# Added by sp-facilitator for grading only: nobody types at the keyboard while\n"
    "# notebooks are graded, so input() gives an empty answer here.\n"
    "def input(prompt=\"\"):\n"
    "    print(prompt)\n"
    "    return \"\"\n"
)
_INPUT_CALL = re.compile(r"(?<![\w.])input\s*\(")


def asks_for_input(source: str) -> bool:
    """Whether code calls the built-in ``input()`` (which waits for the keyboard)."""
    try:
        tree = ast.parse(source)
    except (SyntaxError, ValueError):  # magics, or code that does not parse: a text search then
        return bool(_INPUT_CALL.search(source))
    return any(isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "input"
               for node in ast.walk(tree))


def answer_changes(nb: dict, release: dict) -> int:
    """How many answer cells of ``nb`` differ from the released (untouched) version.

    Cells are paired by grading id, else by cell id; an answer cell that cannot be
    paired counts as changed when it holds anything but the released stub.
    """
    released = {}
    for cell in release.get("cells", []):
        meta = _nbgrader(cell) or {}
        if meta.get("solution"):
            released[meta.get("grade_id")] = _text(cell.get("source")).strip()
            if cell.get("id"):
                released.setdefault(("id", cell["id"]), _text(cell.get("source")).strip())
    changed = 0
    for cell in nb.get("cells", []) if isinstance(nb.get("cells"), list) else []:
        if not isinstance(cell, dict):
            continue
        text = _text(cell.get("source")).strip()
        gid = _grade_id(cell)
        reference = released.get(gid) if gid else released.get(("id", cell.get("id")))
        if reference is not None:
            changed += text != reference
    return changed


# --------------------------------------------------------------------------- dropped metadata

def _norm(source) -> str:
    return "\n".join(line.rstrip() for line in _text(source).strip().split("\n"))


def _similar(a: str, b: str) -> float:
    return difflib.SequenceMatcher(None, a, b, autojunk=False).ratio() if a and b else float(a == b)


def rematch_dropped(nb: dict, release: dict) -> list[str]:
    """Give grading metadata back to cells that lost it, matching them to the release by content.

    Some front ends save a notebook without cell metadata (and new cell ids).
    Released cells are aligned with the submitted ones in order: fixed cells (text,
    set-up, tests) by their source (identical, or at least 80 % alike for a test cell),
    answer cells by their place between the fixed cells around them. Only cells
    without any ``nbgrader`` metadata are matched. Changes ``nb`` in place; returns
    the grading ids given back.
    """
    cells = nb["cells"]
    present = {_grade_id(c) for c in cells} - {None}
    rcells = release.get("cells", [])
    missing = [i for i, c in enumerate(rcells) if _grade_id(c) and _grade_id(c) not in present]
    if not missing:
        return []

    def free(cell) -> bool:
        meta = cell.get("metadata")
        return not (isinstance(meta, dict) and "nbgrader" in meta)

    # anchors: released cells that are not answers, found by identical source, in order
    anchor: dict[int, int] = {}
    position = 0
    for r_index, rcell in enumerate(rcells):
        if (_nbgrader(rcell) or {}).get("solution"):
            continue
        key = (rcell.get("cell_type"), _norm(rcell.get("source")))
        if not key[1]:
            continue
        for s_index in range(position, len(cells)):
            if (cells[s_index].get("cell_type"), _norm(cells[s_index].get("source"))) == key:
                anchor[r_index] = s_index
                position = s_index + 1
                break
    # Only when the fixed graded cells found by content lost their metadata too: that is what a
    # front end that drops metadata does. A single plain cell among intact ones is a retyped answer.
    fixed = [anchor[i] for i in anchor if _grade_id(rcells[i])]
    if not fixed or not all(free(cells[j]) for j in fixed):
        return []
    used = set(anchor.values())
    restored: list[str] = []
    for r_index in missing:
        rcell = rcells[r_index]
        meta = _nbgrader(rcell) or {}
        before = max((anchor[i] for i in anchor if i < r_index), default=-1)
        after = min((anchor[i] for i in anchor if i > r_index), default=len(cells))
        window = [i for i in range(before + 1, after) if i not in used and free(cells[i])
                  and cells[i].get("cell_type") == rcell.get("cell_type")]
        target = None
        if r_index in anchor and free(cells[anchor[r_index]]):
            target = anchor[r_index]
        elif not meta.get("solution"):
            reference = _norm(rcell.get("source"))
            scored = [(_similar(reference, _norm(cells[i].get("source"))), i) for i in window]
            best = max(scored, default=(0.0, None))
            if best[0] >= 0.8:
                target = best[1]
        else:
            filled = [i for i in window if _norm(cells[i].get("source"))]
            target = (filled or window)[-1] if filled or window else None
        if target is None:
            continue
        cell = cells[target]
        cell.setdefault("metadata", {})
        if not isinstance(cell["metadata"], dict):
            cell["metadata"] = {}
        cell["metadata"]["nbgrader"] = copy.deepcopy(meta)
        used.add(target)
        restored.append(meta["grade_id"])
    return restored


def _answer_before(release_order: list[dict], gid: str) -> str | None:
    """The grading id of the answer cell a released test cell checks (the nearest answer above it)."""
    answer = None
    for cell in release_order:
        if _grade_id(cell) == gid:
            return answer
        if (_nbgrader(cell) or {}).get("solution"):
            answer = _grade_id(cell)
    return None


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

    front_end = normalise_front_end(nb, release)
    if front_end:
        problems.append(Problem.of("other_front_end", N_("grading.problem.other_front_end"), repaired=True,
                                   what="; ".join(front_end)))

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
            ref_meta = _released_meta(reference)
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

    # 1b. cells whose grading metadata another front end dropped: matched back by content
    rematched = rematch_dropped(nb, release)
    if rematched:
        problems.append(Problem.of("metadata_dropped", N_("grading.problem.metadata_dropped"), repaired=True,
                                   cells=", ".join(rematched)))

    # 2. copies of a graded cell: the first keeps the id here (nbgrader's DeduplicateIds keeps the last, jupyter/nbgrader#1083),
    # except for a copy of a test cell: the copy placed after the answer it tests keeps it, so an
    # honest copy pasted above the answer (to try the tests early) costs nothing.
    copies: dict[str, list[int]] = {}
    for index, cell in enumerate(nb["cells"]):
        gid = _grade_id(cell)
        if gid is not None:
            copies.setdefault(gid, []).append(index)
    for gid, indices in copies.items():
        if len(indices) < 2:
            continue
        reference = _released_meta(by_id[gid]) if gid in by_id else {}
        is_test = bool(reference.get("grade") and reference.get("locked") and not reference.get("solution"))
        keeper = indices[0]
        if is_test:
            answer = _answer_before(release.get("cells", []), gid)
            answer_at = next((i for i, c in enumerate(nb["cells"]) if answer and _grade_id(c) == answer), -1)
            after = [i for i in indices if i > answer_at]
            keeper = (after or indices)[-1]
        for index in indices:
            if index != keeper:
                del nb["cells"][index]["metadata"]["nbgrader"]
        if is_test:
            problems.append(Problem.of("test_copied", N_("grading.problem.test_copied"), repaired=True,
                                       cell=gid, count=len(indices)))
        else:
            problems.append(Problem.of("cell_copied", N_("grading.problem.cell_copied"), repaired=True,
                                       cell=gid, count=len(indices)))

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
        is_test = bool(_released_meta(reference).get("grade") and not _released_meta(reference).get("solution"))
        if retyped:
            key = N_("grading.problem.test_retyped") if is_test else N_("grading.problem.answer_retyped")
            problems.append(Problem.of("cell_retyped", key, repaired=True, cell=gid))
        else:
            key = N_("grading.problem.test_deleted") if is_test else N_("grading.problem.answer_deleted")
            problems.append(Problem.of("cell_deleted", key, repaired=True, cell=gid))

    # 4. answers that wait for the keyboard: input() returns "" during grading (nbgrader gives the
    # kernel no keyboard, so input() would raise StdinNotImplementedError and the answer score 0)
    asking = [i for i, c in enumerate(nb["cells"]) if c.get("cell_type") == "code"
              and not (_nbgrader(c) or {}).get("locked") and asks_for_input(_text(c.get("source")))]
    if asking and not any(c.get("id") == INPUT_STUB_ID for c in nb["cells"]):
        nb["cells"].insert(asking[0], {"cell_type": "code", "id": INPUT_STUB_ID, "metadata": {},
                                       "source": INPUT_STUB, "outputs": [], "execution_count": None})
        names = [_grade_id(nb["cells"][i + 1]) or f"#{i + 1}" for i in asking]
        problems.append(Problem.of("keyboard_input", N_("grading.problem.keyboard_input"), repaired=True,
                                   cells=", ".join(names)))
    return nb, problems


def inspect_submission(path: str | Path, release: dict) -> Inspection:
    """Read ``path`` and compare it with the released notebook ``release`` (a dict)."""
    path = Path(path)
    nb, problem = load_notebook(path)
    if problem is not None or nb is None:  # load_notebook gives one or the other
        return Inspection(path, [problem] if problem is not None else [], None)
    try:
        repaired, problems = inspect_notebook(nb, release)
    except (KeyError, TypeError, AttributeError, ValueError) as exc:  # a structure we did not foresee
        return Inspection(path, [Problem.of("not_notebook", N_("grading.problem.not_understood"),
                                            fatal=True, error=str(exc))], None)
    return Inspection(path, problems, repaired)
