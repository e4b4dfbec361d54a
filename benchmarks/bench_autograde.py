"""Stock serial ``nbgrader autograde`` against sandboxed ``sp-facilitator autograde --jobs 2``, in the same run.

    .venv/bin/python benchmarks/bench_autograde.py [--submissions 30] [--jobs 2] [--assignment m2-mandates-en]

30 synthetic submissions of one assignment, mixed: right, wrong, untouched, and
damaged (a deleted test cell, a copied cell, broken metadata, a flood of output,
an endless loop that nbgrader's per-cell limit interrupts). Every submission is
first inspected and repaired exactly as ``sp-facilitator autograde`` does, so that
stock nbgrader can grade them all too (unrepaired, it stops at the broken metadata
and grades nobody after it). The same prepared course folder is then copied twice:

- A: ``nbgrader autograde <assignment> --force`` (stock: nbgrader's own ``Execute``,
  no sandbox, one notebook at a time);
- B: ``sp-facilitator autograde <assignment> --jobs N`` (each kernel in the bubblewrap
  sandbox, tests guarded: what facilitators run);
- C: the same with ``--no-sandbox``, to show what the sandbox itself costs.

The wall-clock times (each includes its own process start), the ratio A/B and the
sandbox's cost per notebook (mean worker seconds per notebook, B against C, from
the grading reports) are printed, then the grades of every cell of every
submission are compared: they must be identical in A, B and C. Nothing is timed
inside the test suite; this is a measurement.
"""
from __future__ import annotations

import argparse
import copy
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from course.grading.parallel import ensure_tools_on_path, prepare  # noqa: E402

BIN = Path(sys.executable).parent
CELL_TIMEOUT = 10

STOCK_PREPROCESSORS = """
# stock nbgrader: its own Execute, no sandbox (appended by benchmarks/bench_autograde.py)
c.Autograde.autograde_preprocessors = [
    "nbgrader.preprocessors.Execute", "nbgrader.preprocessors.IgnorePattern",
    "nbconvert.preprocessors.ClearMetadataPreprocessor", "nbgrader.preprocessors.LimitOutput",
    "nbgrader.preprocessors.SaveAutoGrades", "nbgrader.preprocessors.AssignLatePenalties",
    "nbgrader.preprocessors.CheckCellMetadata"]
"""


def _gid(cell):
    meta = cell.get("metadata", {}).get("nbgrader")
    return meta.get("grade_id") if isinstance(meta, dict) else None


def submissions(assignment: str, count: int) -> dict[str, dict]:
    """``{participant: notebook}``, a fixed mix of right, wrong, untouched and damaged work."""
    solution = json.loads((ROOT / "solutions" / assignment / f"{assignment}.ipynb").read_text(encoding="utf-8"))
    release = json.loads((ROOT / "exercises" / assignment / f"{assignment}.ipynb").read_text(encoding="utf-8"))

    def wrong():
        nb = copy.deepcopy(solution)
        for cell in nb["cells"]:
            if cell["cell_type"] == "code" and (cell["metadata"].get("nbgrader") or {}).get("solution"):
                cell["source"] = "".join(cell["source"]).replace("== \"recorded\"", "== \"without_vote\"") \
                    .replace('"a": "sp"', '"a": "tb"').replace('- recorded["no"]', '- recorded["no"] - recorded["abstain"]')
        return nb

    def damaged(kind):
        nb = copy.deepcopy(solution)
        cells = nb["cells"]
        if kind == "deleted":
            nb["cells"] = [c for c in cells if _gid(c) != "q2_tests"]
        elif kind == "copied":
            index = next(i for i, c in enumerate(cells) if _gid(c) == "q3_mechanism")
            twin = copy.deepcopy(cells[index])
            twin["id"] = "learner-copy"
            cells.insert(index + 1, twin)
        elif kind == "metadata":
            next(c for c in cells if _gid(c) == "q1_tests")["metadata"]["nbgrader"] = "oops"
        elif kind == "flood":
            next(c for c in cells if _gid(c) == "q1_by_year")["source"] += "\nfor i in range(20000):\n    print(i)"
        elif kind == "loop":
            next(c for c in cells if _gid(c) == "q2_contested")["source"] += "\nwhile True:\n    pass"
        return nb

    plan = (["right"] * 12 + ["wrong"] * 8 + ["blank"] * 4
            + ["deleted", "deleted", "copied", "metadata", "flood", "loop"])
    plan = (plan * (count // len(plan) + 1))[:count]
    made = {}
    for number, kind in enumerate(plan, 1):
        nb = {"right": lambda: copy.deepcopy(solution), "wrong": wrong,
              "blank": lambda: copy.deepcopy(release)}.get(kind, lambda k=kind: damaged(k))()
        made[f"p{number:02d}-{kind}"] = nb
    return made


def grades(course: Path) -> dict[tuple[str, str], tuple]:
    from nbgrader.api import Gradebook

    found = {}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        with Gradebook(f"sqlite:///{course / 'gradebook.db'}", "sp-course") as gb:
            for assignment in gb.assignments:
                for submission in assignment.submissions:
                    for notebook in submission.notebooks:
                        for grade in notebook.grades:
                            found[(submission.student.id, grade.name)] = (
                                grade.auto_score, grade.manual_score, grade.needs_manual_grade)
    return found


def run(cmd: list[str], cwd: Path) -> float:
    started = time.perf_counter()
    done = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True)
    elapsed = time.perf_counter() - started
    if done.returncode != 0:
        print(done.stdout[-2000:], done.stderr[-4000:], file=sys.stderr)
        raise SystemExit(f"failed: {' '.join(cmd)}")
    return elapsed


def seconds_per_notebook(course: Path, assignment: str) -> float:
    """Mean worker seconds per notebook in an ``sp-facilitator autograde`` report."""
    report = json.loads((course / "grading-reports" / f"autograde-{assignment}.json").read_text(encoding="utf-8"))
    times = [o["seconds"] for o in report["outcomes"] if o["status"] == "graded"]
    return sum(times) / max(1, len(times))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--submissions", type=int, default=30)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--assignment", default="m2-mandates-en")
    parser.add_argument("--repeat", type=int, default=2, help="rounds of (stock, parallel); best time of each")
    parser.add_argument("--keep", action="store_true", help="keep the temporary course folders")
    args = parser.parse_args()
    ensure_tools_on_path()
    work = Path(tempfile.mkdtemp(prefix="sp-bench-"))
    try:
        base = work / "base"
        (base / "solutions").mkdir(parents=True)
        shutil.copy2(ROOT / "nbgrader_config.py", base)
        shutil.copytree(ROOT / "solutions" / args.assignment, base / "solutions" / args.assignment)
        run([str(BIN / "nbgrader"), "generate_assignment", args.assignment, "--create", "--force"], base)
        notebook = args.assignment
        release = json.loads((base / "exercises" / notebook / f"{notebook}.ipynb").read_text(encoding="utf-8"))
        for participant, nb in submissions(args.assignment, args.submissions).items():
            folder = base / "submitted" / participant / args.assignment
            folder.mkdir(parents=True)
            (folder / f"{notebook}.ipynb").write_text(json.dumps(nb, ensure_ascii=False), encoding="utf-8")
            prepare(base, args.assignment, participant, notebook, release)
        print(f"{args.submissions} submissions of {args.assignment}, {os.cpu_count()} CPU core(s), "
              f"per-cell limit {CELL_TIMEOUT} s, load average before: {os.getloadavg()[0]:.1f}")
        stock_times, our_times, open_times = [], [], []
        per_notebook_sandboxed, per_notebook_open = [], []
        ours_cmd = [sys.executable, "-m", "course.grading.cli", "autograde", args.assignment, "--jobs",
                    str(args.jobs), "--cell-timeout", str(CELL_TIMEOUT), "--timeout", "300"]
        for round_no in range(1, args.repeat + 1):  # alternate, so that a burst of load hits all three
            stock, ours, unconfined = (work / f"stock-{round_no}", work / f"parallel-{round_no}",
                                       work / f"no-sandbox-{round_no}")
            for folder in (stock, ours, unconfined):
                shutil.copytree(base, folder)
            with (stock / "nbgrader_config.py").open("a", encoding="utf-8") as config:
                config.write(STOCK_PREPROCESSORS)
            stock_times.append(run([str(BIN / "nbgrader"), "autograde", args.assignment, "--force",
                                    f"--Execute.timeout={CELL_TIMEOUT}"], stock))
            our_times.append(run([*ours_cmd, "--course", str(ours)], ROOT))
            open_times.append(run([*ours_cmd, "--course", str(unconfined), "--no-sandbox"], ROOT))
            per_notebook_sandboxed.append(seconds_per_notebook(ours, args.assignment))
            per_notebook_open.append(seconds_per_notebook(unconfined, args.assignment))
            print(f"round {round_no}: stock nbgrader autograde (serial) {stock_times[-1]:6.1f} s | "
                  f"sp-facilitator autograde --jobs {args.jobs} (sandbox) {our_times[-1]:6.1f} s | "
                  f"ratio {stock_times[-1] / our_times[-1]:.2f}x | same with --no-sandbox {open_times[-1]:6.1f} s | "
                  f"load {os.getloadavg()[0]:.1f}")
        t_stock, t_ours, t_open = min(stock_times), min(our_times), min(open_times)
        print(f"stock nbgrader autograde (serial), best:                {t_stock:7.1f} s")
        print(f"sp-facilitator autograde --jobs {args.jobs} (sandbox), best:    {t_ours:7.1f} s")
        print(f"sp-facilitator autograde --jobs {args.jobs} --no-sandbox, best: {t_open:7.1f} s")
        print(f"speed-up, sandboxed --jobs {args.jobs} against stock serial: {t_stock / t_ours:.2f}x")
        sandboxed, unconfined_mean = min(per_notebook_sandboxed), min(per_notebook_open)
        print(f"sandbox's own cost per notebook: {sandboxed:.2f} s sandboxed against {unconfined_mean:.2f} s "
              f"without (worker seconds per notebook): {sandboxed - unconfined_mean:+.2f} s "
              f"({100 * (sandboxed - unconfined_mean) / unconfined_mean:+.0f}%)")

        a = grades(stock)
        differ = []
        for label, folder in (("sandboxed", ours), ("no-sandbox", unconfined)):
            b = grades(folder)
            bad = sorted(k for k in set(a) | set(b) if a.get(k) != b.get(k))
            print(f"grades compared, stock against {label}: {len(a)} graded cells; identical: {not bad}")
            for key in bad[:20]:
                print(f"  {key}: stock {a.get(key)} vs {label} {b.get(key)}")
            differ += bad
        return 0 if not differ else 1
    finally:
        if args.keep:
            print(f"kept: {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
