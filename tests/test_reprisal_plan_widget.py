"""The stand-alone reprisal plan view (module 4) and the risk matrix without its plan."""
import re
from datetime import date

import pytest

from course.tools.risk.view import reprisal_plan, risk_matrix


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_plan_shows_cycle_and_exports_escaped_markdown(lang):
    plan = reprisal_plan(lang)
    plan.mandate.value = '<img src=x onerror="alert(1)"> مقرر 👩🏽‍⚖️'
    plan.incident.value = date(2025, 6, 10)
    assert "2026" in plan.cycle.value and "sp-cycle" in plan.cycle.value
    names = [f["filename"] for f in plan.downloads.files]
    assert len(names) == 1 and re.fullmatch(r"reprisal-plan-\d{4}-\d{2}-\d{2}\.md", names[0]), names  # dated
    markdown = plan.downloads.click(0, names[0])[1].decode("utf-8")
    assert markdown == plan.plan_markdown()
    assert "\\<img" in markdown and "مقرر" in markdown
    assert all(markdown[i - 1] == "\\" for i, ch in enumerate(markdown) if ch == "<"), "unescaped < in export"
    assert "ohchr-reprisals@un.org" in markdown and "hrcpresidency@un.org" in markdown


def test_impossible_date_is_refused_and_typed_text_kept():
    plan = reprisal_plan("en")
    plan.mandate.value = "Working Group (fictional note)"
    plan.incident.value = date(2999, 1, 1)
    assert "sp-error" in plan.cycle.value
    assert plan.mandate.value == "Working Group (fictional note)"
    assert "2999" not in plan.plan_markdown()


def test_matrix_can_leave_the_plan_to_the_page():
    matrix = risk_matrix("zh", include_plan=False)
    assert matrix.incident.layout.display == "none"
    assert risk_matrix("zh").incident.layout.display != "none"
