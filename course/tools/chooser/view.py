"""The communication-type chooser: questions, recommendation, timeline, handoff.

A thin view over :mod:`course.tools.chooser.rules` and :mod:`course.tools.chooser.timeline`: it only
lays out controls, reads their values into a ``Situation`` and renders what the
domain returns. Every text comes from ``chooser.po`` / ``timeline.po``.
"""
from __future__ import annotations

from collections.abc import Callable

import ipywidgets as w

from ... import safe_text
from ...i18n import N_, format_list, normalise_lang, t
from ...i18n import format_date as i18n_format_date
from ..shell import Downloads, ToolShell, set_options
from . import exports
from . import rules as comm
from . import timeline as tl

PAGE = {"heading": N_("chooser.page.heading"), "intro": N_("chooser.page.intro"), "links": [(N_("common.page.home"), "../home.ipynb")]}
"""The stand-alone page's own heading, links and introduction (see :func:`course.tools.shell.page_header_html`)."""

ANSWERS = ("yes", "no", "unsure")
_ANSWER_VALUE = {"yes": True, "no": False, "unsure": None}

QUESTIONS = (
    ("ongoing_or_imminent", N_("chooser.question.ongoing")),
    ("already_happened", N_("chooser.question.already_happened")),
    ("detained", N_("chooser.question.detained")),
    ("disappeared", N_("chooser.question.disappeared")),
    ("about_law_or_policy", N_("chooser.question.about_law")),
    ("law_is_draft", N_("chooser.question.law_is_draft")),
    ("legal_vote_imminent", N_("chooser.question.vote_imminent")),
)
_LAW_FOLLOW_UPS = ("law_is_draft", "legal_vote_imminent")
_FULL = w.Layout(width="100%")
_BUTTON = w.Layout(width="auto", align_self="flex-start", margin="10px 0")
_STYLE = """<style>
.sp-chooser .widget-dropdown > .widget-label, .sp-chooser .widget-text > .widget-label {
  flex: 1 0 100%; max-width: 100%; margin-top: 10px; text-align: left;
  height: auto; white-space: normal; overflow: visible; text-overflow: clip; line-height: 1.4; }
.sp-chooser .widget-dropdown > select { flex: 0 1 auto; min-width: 12em; max-width: 100%; }
.sp-chooser .widget-text > input { flex: 1 1 auto; }
.sp-chooser .widget-checkbox label { white-space: normal; }
/* A phone makes each checkbox as wide as its cell; its side margins then spilled 2 px out of it. */
.sp-chooser .widget-gridbox > .widget-checkbox, .sp-chooser .widget-box > .widget-checkbox {
  margin-left: 0; margin-right: 0; }
.sp-chooser .widget-gridbox { column-gap: 8px; }
.sp-chooser table.sp-timeline { border-collapse: collapse; width: 100%; }
.sp-chooser table.sp-timeline caption { text-align: left; font-weight: bold; padding: 4px 0; }
.sp-chooser table.sp-timeline th, .sp-chooser table.sp-timeline td {
  border: 1px solid #c8c8c8; padding: 6px 8px; vertical-align: top; text-align: left; }
.sp-chooser table.sp-timeline td:first-child { white-space: nowrap; }
.sp-chooser .sp-cite { color: #4d4d4d; font-size: 0.9em; }
.sp-chooser h2, .sp-chooser h3, .sp-chooser h4 { margin: 14px 0 6px; }
</style>"""


def _answer_options(lang: str) -> list[tuple[str, str]]:
    return [
        (t("chooser.answer.yes", lang), "yes"),
        (t("chooser.answer.no", lang), "no"),
        (t("chooser.answer.unsure", lang), "unsure"),
    ]


def _responsible_options(lang: str) -> list[tuple[str, str]]:
    return [(t(comm.RESPONSIBLE_KEYS[key], lang), key) for key in comm.RESPONSIBLE]


def _cites(note_or_cites, lang: str) -> str:
    cites = note_or_cites.cites if isinstance(note_or_cites, comm.Note) else note_or_cites
    text = comm.cite_text(cites, lang)
    return f'<span class="sp-cite">{safe_text.html_text(text)}</span>' if text else ""


def _h(tag: str, text: str, attrs: str = "") -> str:
    """``<tag attrs>escaped text</tag>``."""
    return f"<{tag}{attrs}>{safe_text.html_text(text)}</{tag}>"


def _note_li(note: comm.Note, lang: str) -> str:
    return f"<li>{safe_text.html_text(note.text(lang))}{_cites(note, lang)}</li>"


def format_date(value, lang: str) -> str:
    """A date as readers of ``lang`` write it (2025年1月4日 / 4 January 2025)."""
    return i18n_format_date(value, lang)


class CommunicationChooser:
    """Holds the controls; ``root`` is the widget to display."""

    def __init__(self, lang: str = "zh", on_handoff: Callable[[str, list[str]], None] | None = None,
                 drafting_href: str = "drafting.ipynb", page: bool = False) -> None:
        self.lang = normalise_lang(lang)
        self.on_handoff = on_handoff
        self.drafting_href = drafting_href
        self.recommendation: comm.Recommendation | None = None
        self.timeline: tl.Timeline | None = None
        self._mandate_boxes: dict[str, w.Checkbox] = {}

        self.shell = ToolShell("chooser", self.lang, relabel=self.relabel,
                               heading_key=N_("chooser.title"), intro_key=N_("chooser.intro"),
                               page=PAGE if page else None)
        self.status = self.shell.status
        self.language = self.shell.language
        self.warning_box = self.shell.warning
        self.title = self.shell.heading
        self.intro = self.shell.intro
        # Dropdowns, not radio buttons: ipywidgets ties a dropdown's question (its description)
        # to the <select> with <label for>, so a screen reader announces the question; a radio
        # group's description is not linked to its buttons.
        self.questions: dict[str, w.Dropdown] = {}
        for field_name, _key in QUESTIONS:
            self.questions[field_name] = w.Dropdown(
                options=_answer_options(self.lang), value="unsure",
                style={"description_width": "initial"}, layout=w.Layout(width="100%", height="auto", flex_flow="row wrap"))
        self.responsible = w.Dropdown(options=_responsible_options(self.lang), value="unknown",
                                      style={"description_width": "initial"},
                                      layout=w.Layout(width="100%", height="auto", flex_flow="row wrap"))
        self.issues_heading = w.HTML(layout=_FULL)
        self.issue_boxes = {
            issue: w.Checkbox(value=False, indent=False, layout=w.Layout(width="auto", height="auto"))
            for issue in comm.ISSUES
        }
        self.issues_grid = w.GridBox(
            list(self.issue_boxes.values()),
            layout=w.Layout(grid_template_columns="repeat(auto-fill, minmax(230px, 1fr))", width="100%"),
        )
        self.case_label = w.Text(value="", style={"description_width": "initial"},
                                 layout=w.Layout(width="100%", height="auto", flex_flow="row wrap"))
        self.recommend_button = w.Button(button_style="primary", layout=_BUTTON)
        self.result = w.HTML(layout=_FULL)
        self.mandates_heading = w.HTML(layout=_FULL)
        self.mandates_box = w.VBox(layout=_FULL)
        self.handoff_link = w.HTML(layout=_FULL)
        self.handoff_button = w.Button(layout=w.Layout(width="auto", align_self="flex-start", display="none"))
        self.timeline_heading = w.HTML(layout=_FULL)
        self.sent_on = w.Text(value="", placeholder="YYYY-MM-DD", style={"description_width": "initial"},
                              layout=w.Layout(width="100%", max_width="520px", height="auto", flex_flow="row wrap"))
        self.timeline_button = w.Button(layout=_BUTTON)
        self.timeline_out = w.HTML(layout=_FULL)
        self.download: Downloads = self.shell.add_downloads(self._download_files)

        protect = self.shell.guard
        self.recommend_button.on_click(protect(lambda _b: self.show_recommendation()))
        self.timeline_button.on_click(protect(lambda _b: self.show_timeline()))
        self.handoff_button.on_click(protect(lambda _b: self.hand_off()))
        self.questions["about_law_or_policy"].observe(protect(self._on_law_answer), names="value")

        self.root = self.shell.compose(
            [
                *self.questions.values(), self.responsible, self.issues_heading, self.issues_grid,
                self.case_label, self.recommend_button, self.status, self.result,
                self.mandates_heading, self.mandates_box, self.handoff_link, self.handoff_button,
                self.timeline_heading, self.sent_on, self.timeline_button, self.timeline_out,
                self.download,
            ],
            style=_STYLE,
        )
        self.root.sp_view = self  # tests and notebooks can reach the controls
        self._on_law_answer()
        self.relabel()

    # ------------------------------------------------------------------ reading
    def situation(self) -> comm.Situation:
        answers: dict[str, object] = {name: _ANSWER_VALUE.get(widget.value) for name, widget in self.questions.items()}
        answers["responsible"] = self.responsible.value
        answers["issues"] = [issue for issue, box in self.issue_boxes.items() if box.value]
        return comm.situation_from_answers(answers)

    def chosen_mandates(self) -> list[str]:
        return [mandate_id for mandate_id, box in self._mandate_boxes.items() if box.value]

    # ------------------------------------------------------------------ language
    def relabel(self) -> None:
        """Put every label in the shell's language; values stay as they are."""
        self.lang = lang = self.shell.lang
        self.shell.relabel()
        self.language.description = t("chooser.language", lang)
        labels = {
            "ongoing_or_imminent": t("chooser.question.ongoing", lang),
            "already_happened": t("chooser.question.already_happened", lang),
            "detained": t("chooser.question.detained", lang),
            "disappeared": t("chooser.question.disappeared", lang),
            "about_law_or_policy": t("chooser.question.about_law", lang),
            "law_is_draft": t("chooser.question.law_is_draft", lang),
            "legal_vote_imminent": t("chooser.question.vote_imminent", lang),
        }
        for name, widget in self.questions.items():
            set_options(widget, _answer_options(lang))
            widget.description = labels[name]
        set_options(self.responsible, _responsible_options(lang))
        self.responsible.description = t("chooser.question.responsible", lang)
        self.issues_heading.value = "<p>" + _h("strong", t("chooser.question.issues", lang)) + "</p>"
        for issue, box in self.issue_boxes.items():
            box.description = t(comm.ISSUE_KEYS[issue], lang)
        self.case_label.description = t("chooser.case_label", lang)
        self.case_label.placeholder = t("chooser.case_label_placeholder", lang)
        self.recommend_button.description = t("chooser.button.recommend", lang)
        self.handoff_button.description = t("chooser.button.handoff", lang)
        self.timeline_heading.value = (_h("h3", t("chooser.timeline.heading", lang))
                                       + _h("p", t("chooser.timeline.explain", lang)))
        self.sent_on.description = t("chooser.timeline.sent_on", lang)
        self.timeline_button.description = t("chooser.button.timeline", lang)
        self.shell.clear_status()
        if self.recommendation is not None:
            self._render_recommendation(self.recommendation)
        if self.timeline_out.value:
            self.show_timeline()
        self._render_download()

    def _on_law_answer(self, _change=None) -> None:
        shown = self.questions["about_law_or_policy"].value == "yes"
        for name in _LAW_FOLLOW_UPS:
            self.questions[name].layout.display = None if shown else "none"

    # ------------------------------------------------------------------ actions
    def show_recommendation(self) -> comm.Recommendation:
        self.status.value = ""
        self.recommendation = rec = comm.recommend(self.situation())
        self._render_recommendation(rec)
        if self.timeline_out.value:
            self.show_timeline()
        self._render_download()
        return rec

    def _render_recommendation(self, rec: comm.Recommendation) -> None:
        lang = self.lang
        esc = safe_text.html_text
        parts: list[str] = []
        label = safe_text.clean(self.case_label.value).strip()
        if label:
            parts.append("<p>" + _h("strong", t("chooser.result.case", lang)) + " "
                         + safe_text.html_block(safe_text.preview(label, 200)) + "</p>")
        if rec.comm_type is None:
            parts.append(f'<div class="sp-note" role="status">{esc(rec.reasons[0].text(lang))}</div>')
            self.result.value = "".join(parts)
            self._render_mandates()
            self._render_handoff()
            return
        type_name = t(comm.TYPE_NAME_KEYS[rec.comm_type], lang)
        parts.append(
            f'<div class="sp-ok sp-recommendation" role="status" data-type="{esc(rec.comm_type)}">'
            + _h("strong", t("chooser.result.recommended", lang)) + " " + _h("span", type_name) + "<br>"
            + esc(t(comm.TYPE_PURPOSE_KEYS[rec.comm_type], lang)) + _cites([comm.C_TYPES], lang) + "</div>"
        )
        parts.append(_h("h3", t("chooser.result.why", lang))
                     + "<ul>" + "".join(_note_li(n, lang) for n in rec.reasons) + "</ul>")
        if rec.also_consider:
            types = format_list([t(comm.TYPE_NAME_KEYS[c], lang) for c in rec.also_consider], lang)
            parts.append(_h("p", t("chooser.result.also_consider", lang, types=types)))
        parts.append('<div class="sp-note">' + esc(rec.tip_experts_decide.text(lang))
                     + _cites(rec.tip_experts_decide, lang) + "</div>")
        if rec.example is not None:
            parts.append("<p>" + _h("em", t("chooser.result.example", lang)) + " " + esc(rec.example.text(lang))
                         + _cites(rec.example, lang) + "</p>")
        parts.append(_h("h3", t("chooser.result.addressee", lang))
                     + "<ul>" + "".join(_note_li(n, lang) for n in rec.addressee_notes) + "</ul>")
        if rec.parallel_routes:
            parts.append(_h("h3", t("chooser.result.parallel", lang)))
            for route in rec.parallel_routes:
                parts.append(
                    f'<div class="sp-note" data-route="{esc(route.route_id)}">'
                    + _h("strong", t(route.name_key, lang)) + "<ul>"
                    + _h("li", t(route.what_key, lang))
                    + _h("li", t(route.who_may_submit_key, lang))
                    + _h("li", t(route.session_months_text_key, lang))
                    + "".join(_note_li(n, lang) for n in route.extra)
                    + _h("li", t("chooser.route.parallel", lang)) + "</ul>"
                    + _cites(route.cites, lang) + "</div>"
                )
        parts.append(_h("h3", t("chooser.result.joint", lang))
                     + "<ul>" + "".join(_note_li(n, lang) for n in rec.joint_action_advice) + "</ul>")
        send = rec.where_to_send
        parts.append(
            _h("h3", t("chooser.result.where", lang))
            + f'<p><a href="{esc(send.online_form)}" target="_blank" rel="noopener noreferrer">'
            + esc(t("chooser.send.form_link", lang)) + "</a> "
            + f'<span class="sp-cite">({esc(send.online_form)})</span></p><ul>'
            + "".join(_note_li(n, lang) for n in send.notes) + "</ul>"
        )
        self.result.value = "".join(parts)
        self._render_mandates()
        self._render_handoff()

    def _render_mandates(self) -> None:
        rec, lang = self.recommendation, self.lang
        ids = list(rec.suggested_mandates) if rec else []
        previous = {mandate_id: box.value for mandate_id, box in self._mandate_boxes.items()}
        names = comm.mandate_names(ids, lang)
        boxes: dict[str, w.Checkbox] = {}
        for mandate_id in ids:
            box = self._mandate_boxes.get(mandate_id)
            if box is None:
                box = w.Checkbox(value=True, indent=False, layout=w.Layout(width="auto", height="auto"))
                box.observe(self._on_mandate_toggle, names="value")
            box.value = previous.get(mandate_id, True)
            box.description = names.get(mandate_id, mandate_id)
            boxes[mandate_id] = box
        self._mandate_boxes = boxes
        self.mandates_box.children = tuple(boxes.values())
        if ids:
            self.mandates_heading.value = (
                _h("h3", t("chooser.result.mandates", lang))
                + "<p>" + safe_text.html_text(t("chooser.result.mandates_explain", lang))
                + _cites([comm.C_WHAT], lang) + "</p>"
            )
        elif rec and rec.comm_type:
            self.mandates_heading.value = _h("p", t("chooser.result.no_mandates", lang))
        else:
            self.mandates_heading.value = ""

    def _on_mandate_toggle(self, _change) -> None:
        try:
            self._render_handoff()
            self._render_download()
        except Exception:  # noqa: BLE001 - shown through the status line instead
            self.status.value = ('<div class="sp-error" role="alert">'
                                 + safe_text.html_text(t("common.error.unexpected", self.lang, detail="handoff"))
                                 + "</div>")

    def _render_handoff(self) -> None:
        rec, lang = self.recommendation, self.lang
        if not rec or rec.comm_type is None:
            self.handoff_link.value = ""
            self.handoff_button.layout.display = "none"
            return
        query = comm.handoff_query(rec.comm_type, self.chosen_mandates())
        href = safe_text.html_text(f"{self.drafting_href}?{query}")
        self.handoff_link.value = (
            f'<p><a class="sp-handoff" href="{href}">' + safe_text.html_text(t("chooser.handoff.link", lang))
            + "</a></p>" + _h("p", t("chooser.handoff.explain", lang))
        )
        self.handoff_button.layout.display = None if self.on_handoff else "none"

    def hand_off(self) -> None:
        rec = self.recommendation
        if self.on_handoff and rec and rec.comm_type:
            self.on_handoff(rec.comm_type, self.chosen_mandates())

    def show_timeline(self) -> tl.Timeline | None:
        lang, esc = self.lang, safe_text.html_text
        self.timeline = None
        try:
            sent_on = tl.parse_sent_date(self.sent_on.value)
        except tl.DateInputError as error:
            typed = safe_text.preview(self.sent_on.value, 120)
            self.timeline_out.value = (
                f'<div class="sp-error" role="alert">{esc(error.message(lang))}'
                + (("<br>" + esc(t("chooser.timeline.you_typed", lang)) + " " + _h("code", typed)) if typed else "")
                + "</div>"
            )
            self._render_download()
            return None
        rec = self.recommendation or comm.recommend(self.situation())
        comm_type = rec.comm_type or "allegation_letter"
        self.timeline = tl.communication_timeline(comm_type, sent_on, legal_draft=rec.legal_draft)
        rows = "".join(
            "<tr>" + _h("td", format_date(m.on, lang)) + "<td>" + _h("strong", t(m.label_key, lang)) + "<br>"
            + esc(m.note.text(lang)) + _cites(m.note, lang) + "</td></tr>"
            for m in self.timeline.milestones
        )
        when_keys = {
            "now": t("chooser.timeline.when.now", lang),
            "any_time": t("chooser.timeline.when.any_time", lang),
            "after_publication": t("chooser.timeline.when.after_publication", lang),
        }
        steps = "".join(
            f"<li><strong>{esc(when_keys.get(step.when, ''))}</strong> {esc(step.note.text(lang))}"
            f"{_cites(step.note, lang)}</li>"
            for step in self.timeline.follow_up
        )
        heading = t("chooser.timeline.for_type", lang, type=t(comm.TYPE_NAME_KEYS[comm_type], lang))
        future = _h("div", t("chooser.timeline.future", lang), ' class="sp-note"') if self.timeline.in_future else ""
        assumed = "" if rec.comm_type else _h("div", t("chooser.timeline.assumed_type", lang), ' class="sp-note"')
        self.timeline_out.value = (
            future + assumed
            + '<table class="sp-timeline">' + _h("caption", heading)
            + "<thead><tr>" + _h("th", t("chooser.timeline.col_date", lang), ' scope="col"')
            + _h("th", t("chooser.timeline.col_what", lang), ' scope="col"') + "</tr></thead>"
            + "<tbody>" + rows + "</tbody></table>"
            + _h("h4", t("chooser.timeline.follow_up", lang)) + "<ul>" + steps + "</ul>"
        )
        self._render_download()
        return self.timeline

    def _download_files(self) -> list[tuple[str, str, Callable[[], bytes]]]:
        """The summary as Markdown, built when its button is clicked (with the label as typed then)."""
        if self.recommendation is None or self.recommendation.comm_type is None:
            return []
        return [("communication-choice.md", t("chooser.download", self.lang), self._summary_bytes)]

    def _summary_bytes(self) -> bytes:
        if self.recommendation is None:
            return b""
        text = exports.summary_markdown(
            self.recommendation, self.lang, label=self.case_label.value,
            mandate_ids=self.chosen_mandates(), timeline=self.timeline,
            format_date=lambda d: format_date(d, self.lang),
        )
        return text.encode("utf-8")

    def _render_download(self) -> None:
        self.download.refresh()


def communication_chooser(lang: str = "zh", on_handoff: Callable[[str, list[str]], None] | None = None,
                          drafting_href: str = "drafting.ipynb", page: bool = False) -> w.VBox:
    """The chooser as one widget. ``on_handoff(comm_type, mandate_ids)`` is called by its
    "use in the drafting form" button (shown only when given); ``drafting_href`` is the
    relative address of the drafting app that the handoff link opens. ``page=True``: the tool is
    the whole page (the stand-alone app) and shows the page's heading, links and introduction."""
    return CommunicationChooser(lang=lang, on_handoff=on_handoff, drafting_href=drafting_href, page=page).root
