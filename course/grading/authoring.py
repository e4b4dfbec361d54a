"""Build the bilingual source assignments in ``solutions/`` from one description each.

Each assignment (``course/grading/specs/m*.py``) lists its cells once: the code,
tests and points are shared, only the Markdown differs between English and
Chinese. So both language versions always have the same questions, tests and
points, and ``tests/test_exercises.py`` checks that the committed notebooks are
exactly what this module builds.

    python -m course.grading.authoring            # rewrite solutions/*/*.ipynb
    python -m course.grading.authoring --check    # exit 1 if solutions/ is out of date
    python -m course.grading.authoring --exercises  # and regenerate exercises/ with nbgrader

The student versions in ``exercises/`` are always nbgrader's own output
(``nbgrader generate_assignment`` run in a temporary course folder, so that no
gradebook lands in the repository), never edited by hand.
"""
from __future__ import annotations

import argparse
import importlib
import json
import sys
from dataclasses import dataclass, field
from pathlib import Path

LANGS = ("en", "zh")
SPEC_MODULES = ("m1_facts", "m2_mandates", "m3_communications", "m4_safety")
REPO_ROOT = Path(__file__).resolve().parents[2]
SCHEMA_VERSION = 3


@dataclass
class Cell:
    kind: str
    """``md`` (text), ``setup`` (locked code), ``answer`` (code to write), ``tests``
    (autograded), ``written`` (Markdown answer graded by hand), ``code_manual``
    (code answer graded by hand)."""
    text: str | dict[str, str]
    grade_id: str | None = None
    points: int = 0


@dataclass
class Assignment:
    slug: str
    """e.g. ``m1-facts``; the folders are ``<slug>-en`` and ``<slug>-zh``."""
    cells: list[Cell] = field(default_factory=list)

    def assignment_id(self, lang: str) -> str:
        return f"{self.slug}-{lang}"

    @property
    def points(self) -> int:
        return sum(c.points for c in self.cells)


def md(en: str, zh: str) -> Cell:
    return Cell("md", {"en": en.strip("\n"), "zh": zh.strip("\n")})


def _strip(text: str | dict[str, str]) -> str | dict[str, str]:
    if isinstance(text, dict):
        return {lang: value.strip("\n") for lang, value in text.items()}
    return text.strip("\n")


def setup(code: str | dict[str, str], grade_id: str = "setup") -> Cell:
    return Cell("setup", _strip(code), grade_id)


def answer(code: str | dict[str, str], grade_id: str) -> Cell:
    """An answer cell; a dict gives a different model solution per language (tests stay shared)."""
    return Cell("answer", _strip(code), grade_id)


def tests(code: str, grade_id: str, points: int) -> Cell:
    return Cell("tests", code.strip("\n"), grade_id, points)


def written(en: str, zh: str, grade_id: str, points: int) -> Cell:
    return Cell("written", {"en": en.strip("\n"), "zh": zh.strip("\n")}, grade_id, points)


def code_manual(code: str | dict[str, str], grade_id: str, points: int) -> Cell:
    return Cell("code_manual", _strip(code), grade_id, points)


def _lines(text: str) -> list[str]:
    parts = text.split("\n")
    return [line + "\n" for line in parts[:-1]] + [parts[-1]]


def _nbgrader(cell: Cell) -> dict | None:
    base = {"schema_version": SCHEMA_VERSION, "grade_id": cell.grade_id}
    if cell.kind == "setup":
        return {**base, "grade": False, "solution": False, "locked": True}
    if cell.kind == "answer":
        return {**base, "grade": False, "solution": True, "locked": False}
    if cell.kind == "tests":
        return {**base, "grade": True, "solution": False, "locked": True, "points": cell.points}
    if cell.kind in ("written", "code_manual"):
        return {**base, "grade": True, "solution": True, "locked": False, "points": cell.points}
    return None


def notebook(assignment: Assignment, lang: str) -> dict:
    """The source notebook (with solutions and hidden tests) of one language version."""
    cells = []
    md_count = 0
    for cell in assignment.cells:
        text = cell.text[lang] if isinstance(cell.text, dict) else cell.text
        if cell.kind == "md":
            md_count += 1
            cell_id = f"md-{md_count:02d}"
        elif cell.grade_id is None:
            raise ValueError(f"a {cell.kind!r} cell needs a grade_id (only Markdown cells go without)")
        else:
            cell_id = cell.grade_id.replace("_", "-")
        entry: dict = {"cell_type": "markdown" if cell.kind in ("md", "written") else "code",
                       "id": cell_id, "metadata": {}, "source": _lines(text)}
        meta = _nbgrader(cell)
        if meta is not None:
            entry["metadata"]["nbgrader"] = meta
        if entry["cell_type"] == "code":
            entry["execution_count"] = None
            entry["outputs"] = []
        cells.append(entry)
    return {
        "cells": cells,
        "metadata": {
            "kernelspec": {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"},
            "language_info": {"name": "python"},
            "sp_course": {"assignment": assignment.slug, "lang": lang, "points": assignment.points},
        },
        "nbformat": 4,
        "nbformat_minor": 5,
    }


def load_assignments() -> list[Assignment]:
    return [importlib.import_module(f"course.grading.specs.{name}").ASSIGNMENT for name in SPEC_MODULES]


def render(nb: dict) -> str:
    return json.dumps(nb, ensure_ascii=False, indent=1) + "\n"


def expected_files(root: Path = REPO_ROOT) -> dict[Path, str]:
    files = {}
    for assignment in load_assignments():
        for lang in LANGS:
            aid = assignment.assignment_id(lang)
            files[root / "solutions" / aid / f"{aid}.ipynb"] = render(notebook(assignment, lang))
    return files


def generate_exercises(root: Path = REPO_ROOT, target: Path | None = None) -> Path:
    """Run ``nbgrader generate_assignment`` on every assignment in a temporary course folder.

    Returns the ``exercises`` folder nbgrader made (inside ``target`` or a new temp folder),
    so that nothing (no gradebook) is written into the repository.
    """
    import shutil
    import subprocess
    import tempfile

    from .parallel import ensure_tools_on_path

    ensure_tools_on_path()
    work = Path(target) if target else Path(tempfile.mkdtemp(prefix="sp-exercises-"))
    work.mkdir(parents=True, exist_ok=True)
    shutil.copy2(root / "nbgrader_config.py", work / "nbgrader_config.py")
    if (work / "solutions").exists():
        shutil.rmtree(work / "solutions")
    shutil.copytree(root / "solutions", work / "solutions",
                    ignore=shutil.ignore_patterns(".ipynb_checkpoints", "__pycache__"))
    nbgrader = str(Path(sys.executable).with_name("nbgrader"))
    for folder in sorted(p for p in (work / "solutions").iterdir() if p.is_dir()):
        done = subprocess.run([nbgrader, "generate_assignment", folder.name, "--create", "--force"],
                              cwd=work, capture_output=True, text=True, timeout=600)
        if done.returncode != 0 or not (work / "exercises" / folder.name).is_dir():
            raise RuntimeError(f"nbgrader generate_assignment {folder.name} failed:\n{done.stderr[-3000:]}")
    return work / "exercises"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="build solutions/ from course/grading/specs")
    parser.add_argument("--check", action="store_true", help="only report files that are out of date")
    parser.add_argument("--root", default=str(REPO_ROOT))
    parser.add_argument("--exercises", action="store_true",
                        help="also regenerate exercises/ with nbgrader (in a temporary course folder)")
    args = parser.parse_args(argv)
    stale = []
    for path, text in expected_files(Path(args.root)).items():
        current = path.read_text(encoding="utf-8") if path.exists() else None
        if current != text:
            stale.append(path)
            if not args.check:
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_text(text, encoding="utf-8")
    verb = "out of date" if args.check else "written"
    for path in stale:
        print(f"{verb}: {path}")
    if args.exercises and not args.check:
        import shutil

        made = generate_exercises(Path(args.root))
        target = Path(args.root) / "exercises"
        for folder in sorted(p for p in made.iterdir() if p.is_dir()):
            if (target / folder.name).exists():
                shutil.rmtree(target / folder.name)
            shutil.copytree(folder, target / folder.name)
            print(f"generated by nbgrader: {target / folder.name}")
        shutil.rmtree(made.parent, ignore_errors=True)
    return 1 if (args.check and stale) else 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
