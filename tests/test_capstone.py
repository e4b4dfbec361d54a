"""The self-learners' capstone (issue 15): one fictional case, both languages, linked from home.

Static checks only (the notebook's cells call the same tools as modules 3 and 4,
whose widgets are tested elsewhere); the cells were executed with nbconvert when
the capstone was written.
"""
import json
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
TOOLS = ("communication_chooser(", "drafting_form(", "risk_matrix(", "communication_timeline(")


def _cells(lang):
    return json.loads((ROOT / "modules" / lang / "05-capstone.ipynb").read_text("utf-8"))["cells"]


def _src(cell):
    return "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]


@pytest.mark.parametrize("lang", ("en", "zh"))
def test_capstone_carries_one_case_through_every_tool(lang):
    code = "\n".join(_src(c) for c in _cells(lang) if c["cell_type"] == "code")
    for call in TOOLS:
        assert call in code, call
    assert all(len(_src(c).splitlines()) <= 8 for c in _cells(lang) if c["cell_type"] == "code"), "short cells"


@pytest.mark.parametrize("lang,case,rubric", [("en", "Farida Osei", "Check yourself against the rubric"),
                                              ("zh", "法丽达·奥塞", "对照评分标准自查")])
def test_capstone_has_the_case_a_rubric_and_a_model_answer(lang, case, rubric):
    text = "\n".join(_src(c) for c in _cells(lang) if c["cell_type"] == "markdown")
    assert case in text and rubric in text and "<details>" in text
    assert text.count("\n| **") + text.count("\n| <strong>") >= 5, "five rubric criteria"


@pytest.mark.parametrize("lang", ("en", "zh"))
def test_home_links_the_capstone(lang):
    home = json.loads((ROOT / "modules" / lang / "home.ipynb").read_text("utf-8"))
    assert any("05-capstone.ipynb" in _src(c) for c in home["cells"])
