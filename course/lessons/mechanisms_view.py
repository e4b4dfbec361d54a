"""Interactive comparison of the UPR, Special Procedures and treaty bodies, and the scenario picker.

Layout and event wiring only; the comparison and the grading live in
:mod:`course.lessons.mechanisms`.

    from course.lessons.mechanisms_view import mechanism_comparison, mechanism_scenarios
    mechanism_comparison(lang="en")
    mechanism_scenarios(lang="en")
"""
from __future__ import annotations

import logging

import ipywidgets as w

from .. import safe_text
from ..i18n import normalise_lang, t
from ..tools.shell import guarded
from . import mechanisms
from .check import QuestionCheck, Verdict

log = logging.getLogger(__name__)

_STYLE = """<style>
.sp-mech { max-width: 60rem; margin: 8px 0 16px 0; }
.sp-mech table.sp-mech-table { border-collapse: collapse; width: 100%; margin-top: 6px; table-layout: fixed; }
.sp-mech .sp-mech-table th, .sp-mech .sp-mech-table td { border: 1px solid #c9d3e0; padding: 8px 10px;
  vertical-align: top; text-align: left; line-height: 1.5; }
.sp-mech .sp-mech-table th { background: #eef3f9; color: #1f3f5f; }
.sp-mech .sp-mech-table td.sp-mech-sp { background: #f6fbf4; }
.sp-mech .sp-mech-short { font-weight: 600; display: block; margin-bottom: 4px; }
.sp-mech .sp-mech-source { color: #555; font-size: 0.9em; margin-top: 4px; }
.sp-mech .widget-radio-box label { white-space: normal !important; height: auto !important;
  display: flex !important; flex-wrap: nowrap !important; flex-direction: row-reverse !important;
  justify-content: flex-end !important; align-items: flex-start; gap: 6px; }
.sp-mech .widget-radio-box input { flex-shrink: 0; margin-top: 4px; }
.sp-mech-scenario { border: 1px solid #c9d3e0; border-left: 4px solid #4d8f5f; border-radius: 4px;
  padding: 8px 12px; background: #f8fbf8; }
.sp-mech-scenario .sp-mech-prompt { font-size: 1.05em; margin: 4px 0 6px 0; line-height: 1.55; }
.sp-mech-scenario .sp-ok { color: #1d6b2f; font-weight: 600; }
.sp-mech-scenario .sp-no { color: #9a3412; font-weight: 600; }
.sp-mech-scenario .sp-cite { color: #555; font-size: 0.92em; }
.sp-mech-scenario p { margin: 4px 0; }
</style>"""


def _lang(lang: str) -> str:
    try:
        return normalise_lang(lang)
    except ValueError:
        return "en"


def _error(lang: str) -> w.HTML:
    return w.HTML('<div class="sp-error" role="alert">'
                  + safe_text.html_text(t("mechanisms.unavailable", lang)) + "</div>")


def _table_html(cells: list[mechanisms.Cell], lang: str) -> str:
    head = "".join(f'<th scope="col">{safe_text.html_text(c.mechanism_name)}</th>' for c in cells)
    body = "".join(
        f'<td class="sp-mech-{c.mechanism}"><span class="sp-mech-short">{safe_text.html_text(c.short_answer)}</span>'
        f"{safe_text.html_text(c.explanation)}</td>"
        for c in cells
    )
    caption = safe_text.html_text(cells[0].criterion)
    source = safe_text.html_text(t("mechanisms.citation", lang))
    return (f'<table class="sp-mech-table"><caption style="text-align:left;font-weight:600;padding:4px 0">'
            f"{caption}</caption><thead><tr>{head}</tr></thead><tbody><tr>{body}</tr></tbody></table>"
            f'<div class="sp-mech-source">{source}</div>')


def mechanism_comparison(lang: str = "en", table=None) -> w.Widget:
    """A criterion picker over the guide's comparison table. Never raises.

    ``table`` defaults to ``course.data.load("mechanisms")``.
    """
    lang = _lang(lang)
    try:
        if table is None:
            from ..data import load

            table = load("mechanisms")
        options = mechanisms.criteria(table, lang)
    except Exception:
        log.exception("mechanism comparison unavailable")
        return _error(lang)
    picker = w.Dropdown(options=[(label, cid) for cid, label in options], value=options[0][0],
                        description=t("mechanisms.pick_criterion", lang),
                        style={"description_width": "initial"}, layout=w.Layout(width="auto"))
    show_all = w.ToggleButton(value=False, description=t("mechanisms.show_all", lang),
                              tooltip=t("mechanisms.show_all", lang), icon="")
    view = w.HTML(layout=w.Layout(width="100%"))
    status = w.HTML()

    @guarded(status, lang)
    def render(_change=None):
        ids = [cid for cid, _ in options] if show_all.value else [picker.value]
        picker.disabled = show_all.value
        view.value = "".join(_table_html(mechanisms.compare(table, cid, lang), lang) for cid in ids)

    picker.observe(render, names="value")
    show_all.observe(render, names="value")
    render()
    intro = w.HTML(_STYLE + '<div class="sp-mech-intro">' + safe_text.html_text(t("mechanisms.intro", lang))
                   + "</div>")
    box = w.VBox([intro, w.HBox([picker, show_all], layout=w.Layout(flex_flow="row wrap", align_items="center")),
                  view, status], layout=w.Layout(width="100%"))
    box.add_class("sp-mech")
    box.add_class("sp-mech-comparison")
    return box


def mechanism_scenarios(lang: str = "en") -> w.Widget:
    """"Which mechanism fits?": one fictional scenario at a time, immediate feedback. Never raises."""
    lang = _lang(lang)
    try:
        return _scenarios(lang)
    except Exception:
        log.exception("mechanism scenarios unavailable")
        return _error(lang)


def _scenarios(lang: str) -> w.Widget:
    items = list(mechanisms.SCENARIOS)
    state = {"index": 0}
    counter = w.HTML()
    prompt = w.HTML(layout=w.Layout(width="100%"))

    def show_scenario():
        item = items[state["index"]]
        counter.value = ('<div class="sp-quiz-heading" style="font-weight:600;color:#2f6b3f">'
                         + safe_text.html_text(t("mechanisms.counter", lang, n=state["index"] + 1, total=len(items)))
                         + "</div>")
        prompt.value = ('<div class="sp-mech-prompt" dir="auto">'
                        + safe_text.html_text(mechanisms.scenario_prompt(item.id, lang)) + "</div>")

    def grade(chosen: list) -> Verdict:
        result = mechanisms.check_scenario(items[state["index"]].id, chosen[0] if chosen else None, lang)
        return Verdict(answered=result.answered, correct=result.correct, headline=result.headline,
                       explanation=result.explanation, citation=result.citation)

    def on_next():
        state["index"] = (state["index"] + 1) % len(items)
        show_scenario()

    show_scenario()
    intro = w.HTML(_STYLE + "<div>" + safe_text.html_text(t("mechanisms.scenarios_intro", lang)) + "</div>")
    box = QuestionCheck(
        lang, options=[(mechanisms.mechanism_name(m, lang), m) for m in mechanisms.MECHANISMS], multiple=False,
        grade=grade, check_label=t("mechanisms.check", lang), second_label=t("mechanisms.next", lang),
        second="next", on_next=on_next, header=[intro, counter, prompt], description=t("mechanisms.which", lang))
    box.add_class("sp-mech")
    box.add_class("sp-mech-scenario")
    return box
