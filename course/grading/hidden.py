"""Hidden tests stay hidden: strip them from anything returned to learners.

Stock nbgrader puts the full source of every test cell, hidden part included, in
the HTML feedback (jupyter/nbgrader#917); a failing hidden ``assert`` also shows
its own line in the traceback. :func:`strip_notebook` removes the hidden regions
from the source and replaces the outputs of cells that had one by a short note,
so the feedback says whether the cell passed without giving the test away.

:class:`StripHiddenTests` wraps it as an nbconvert preprocessor; nbgrader_config.py
puts it in ``GenerateFeedback.preprocessors``.
"""
from __future__ import annotations

import copy
import re

BEGIN = "BEGIN HIDDEN TESTS"
END = "END HIDDEN TESTS"
PLACEHOLDER = "# (hidden tests are not shown in feedback)"

NOTE_PASSED = "All tests in this cell passed. / 本单元格的测试全部通过。"
NOTE_FAILED = (
    "Some tests in this cell failed; hidden tests are not shown, so re-read the question "
    "and the visible tests. / 本单元格有测试未通过；隐藏测试不予显示，请重读题目和可见测试。"
)


def strip_source(source: str) -> tuple[str, bool]:
    """``source`` without its hidden-test regions; the flag says whether one was found.

    An unterminated region is removed to the end of the cell: when in doubt, hide.
    """
    lines = source.split("\n")
    kept: list[str] = []
    inside = False
    found = False
    for line in lines:
        if BEGIN in line:
            inside = True
            found = True
            continue
        if END in line and inside:
            inside = False
            kept.append(PLACEHOLDER)
            continue
        if not inside:
            kept.append(line)
    if inside:
        kept.append(PLACEHOLDER)
    return "\n".join(kept), found


def _failed(outputs: list) -> bool:
    return any(output.get("output_type") == "error" for output in outputs or [])


def strip_cell(cell: dict) -> bool:
    """Strip one cell in place; ``True`` if it held hidden tests."""
    source = cell.get("source", "")
    if isinstance(source, list):
        source = "".join(source)
    new_source, found = strip_source(source)
    if not found:
        return False
    cell["source"] = new_source
    if cell.get("cell_type") == "code":
        failed = _failed(cell.get("outputs", []))
        note = {"output_type": "stream", "name": "stdout", "text": (NOTE_FAILED if failed else NOTE_PASSED) + "\n"}
        try:
            from nbformat import from_dict
        except ImportError:  # pragma: no cover
            from_dict = dict  # type: ignore[assignment]
        cell["outputs"] = [from_dict(note)]
    return True


def strip_notebook(nb: dict) -> tuple[dict, int]:
    """A copy of the notebook with every hidden region gone; returns ``(notebook, cells stripped)``."""
    clean = copy.deepcopy(nb)
    count = sum(strip_cell(cell) for cell in clean.get("cells", []))
    return clean, count


def leaks(text: str, hidden_lines: list[str]) -> list[str]:
    """Hidden-test lines (or markers) that appear in ``text``: what a check of the feedback looks for."""
    found = [marker for marker in (BEGIN, END) if marker in text]
    found += [line for line in hidden_lines if line.strip() and line.strip() in text]
    return found


def hidden_lines(nb: dict) -> list[str]:
    """Every non-blank line inside a hidden region of a source notebook."""
    lines: list[str] = []
    for cell in nb.get("cells", []):
        source = cell.get("source", "")
        if isinstance(source, list):
            source = "".join(source)
        inside = False
        for line in source.split("\n"):
            if BEGIN in line:
                inside = True
            elif END in line:
                inside = False
            elif inside and line.strip():
                lines.append(line.strip())
    return lines


from nbconvert.preprocessors import Preprocessor  # noqa: E402  (nbconvert comes with nbgrader)
from traitlets import Bool  # noqa: E402


class StripHiddenTests(Preprocessor):
    """nbconvert preprocessor: hidden tests out of the feedback HTML.

    nbconvert preprocessors are disabled unless told otherwise; this one is on by
    default, because leaking the tests is never what a facilitator wants.
    """

    enabled = Bool(True).tag(config=True)

    def preprocess(self, nb, resources):
        for cell in nb.cells:
            strip_cell(cell)
        return nb, resources


_REMOTE_SCRIPT = re.compile(r"<script\b[^>]*\bsrc\s*=\s*[\"']?(?:https?:)?//[^>]*>\s*</script>", re.I)
_REMOTE_LINK = re.compile(r"<link\b[^>]*\bhref\s*=\s*[\"']?(?:https?:)?//[^>]*>", re.I)
_REMOTE_ATTR = re.compile(r"\b(?:src|href)\s*=\s*[\"']?(?:https?:)?//", re.I)


def offline_html(page: str) -> str:
    """The page without scripts or stylesheets fetched from other hosts.

    nbgrader's feedback template loads MathJax from a CDN; a participant opening
    their feedback would tell that host they did. The course's notebooks need no
    maths rendering, so the script is simply dropped.
    """
    return _REMOTE_LINK.sub("", _REMOTE_SCRIPT.sub("", page))


def remote_references(page: str) -> list[str]:
    """``src=``/``href=`` attributes pointing to another host (plain links in text are fine)."""
    return [m.group(0) for m in _REMOTE_ATTR.finditer(page) if not m.group(0).lower().startswith("href")]
