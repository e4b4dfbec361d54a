"""The risk matrix and reprisal response plan: a thin view over course.tools.risk.rules and course.tools.risk.reprisals.

    from course.tools.risk.view import risk_matrix
    risk_matrix(lang="zh")

Layout and event wiring only. The widgets hold what the user typed; every change
rebuilds a :class:`course.tools.risk.rules.RiskRegister` from them and re-renders the table,
the chart and the conclusion. Nothing is sent anywhere.
"""
from __future__ import annotations

import contextlib
import functools
import logging
from collections.abc import Callable
from datetime import date

import ipywidgets as w

from ... import safe_text, storage
from ...chart_widget import Chart
from ...i18n import N_, format_list, join, label_value, normalise_lang, t
from ..shell import Downloads, ToolShell, guarded, set_options
from ..upload import MAX_UPLOAD_BYTES, SizeCheckedUpload
from . import exports, protection, reprisals
from . import rules as risk
from .plan_view import CHECK_STYLE, ROW, GroupCard, IncidentLogView, SecurityPlanView

log = logging.getLogger(__name__)

KIND = "riskplan"
PAGE = {"heading": N_("risk.page.heading"), "intro": N_("risk.page.intro"), "links": [(N_("common.page.home"), "../home.ipynb")]}
"""The stand-alone page's own heading, links and introduction."""

_STYLE = """<style>
.sp-risk { max-width: 60rem; }
.sp-risk .widget-label, .sp-risk .widget-label-basic, .sp-risk .widget-label-basic span,
.sp-risk .widget-checkbox label {
  white-space: normal !important; overflow: visible !important; text-overflow: clip !important;
  height: auto !important; line-height: 1.45; }
.sp-risk .widget-checkbox { height: auto !important; margin: 2px 0; width: 100%; }
.sp-risk .widget-checkbox input { flex-shrink: 0; }
.sp-risk .widget-dropdown > select { min-width: 12rem; }
.sp-risk-card { border: 1px solid #c9d3e0; border-left: 4px solid #2f5d8a; border-radius: 4px;
  padding: 6px 12px !important; margin: 8px 0 !important; background: #f7f9fc; }
.sp-risk h2 { font-size: 1.5em; margin: 8px 0; }
.sp-risk h3 { font-size: 1.2em; margin: 16px 0 4px 0; color: #1f2d4d; }
.sp-risk-table { border-collapse: collapse; width: 100%; font-size: 0.95em; }
.sp-risk-table caption { text-align: left; font-weight: 600; padding: 4px 0; }
.sp-risk-table th, .sp-risk-table td { border: 1px solid #c9d3e0; padding: 4px 6px; vertical-align: top;
  overflow-wrap: normal; word-break: normal; white-space: nowrap; }
.sp-risk-table td.sp-text { white-space: normal; overflow-wrap: anywhere; min-width: 8rem; max-width: 16rem; }
.sp-risk-table th { background: #eef3fb; }
.sp-level { display: inline-block; padding: 0 6px; border-radius: 3px; color: #1a1a1a; font-weight: 600;
  white-space: nowrap; }
.sp-risk .sp-cite { color: #4a4a4a; font-size: 0.92em; }
.sp-risk code { background: #eef3fb; padding: 0 4px; user-select: all; }
.sp-risk details { margin: 4px 0 8px 0; }
.sp-risk summary { cursor: pointer; color: #1f4e99; }
.sp-risk .sp-incident { padding: 4px 0; border-top: 1px solid #e1e6ee; overflow-wrap: anywhere; }
@media (max-width: 600px) {
  /* On a phone a long label and its menu stack instead of running off the screen. */
  .sp-risk .widget-dropdown, .sp-risk .widget-text, .sp-risk .widget-datepicker {
    flex-wrap: wrap; min-width: 0 !important; max-width: 100%; height: auto !important; }
  .sp-risk .widget-dropdown > label, .sp-risk .widget-text > label { flex: 1 1 100%; max-width: 100%; text-align: left; }
  .sp-risk .widget-dropdown > select { min-width: 0; flex: 1 1 100%; max-width: 100%; height: 28px; }
}
</style>"""

LIKELIHOOD_KEYS = risk.LIKELIHOOD_KEYS
IMPACT_KEYS = risk.IMPACT_KEYS


def _level_badge(level_id: str | None, lang: str) -> str:
    if level_id is None:
        return safe_text.html_text(t("risk.residual.not_assessed", lang))
    return (f'<span class="sp-level" style="background:{exports.LEVEL_COLOURS[level_id]}">'
            f"{safe_text.html_text(t(risk.LEVEL_KEYS[level_id], lang))}</span>")


def _tag(tag: str, text: str, css: str | None = None) -> str:
    """``<tag class=css>escaped text</tag>``."""
    attr = f' class="{css}"' if css else ""
    return f"<{tag}{attr}>{safe_text.html_text(text)}</{tag}>"


_set_options = set_options  # the shell's option relabelling


class _ItemCard:
    """Controls for one risk item (a bordered box)."""

    def __init__(self, tool: RiskMatrix, item: risk.RiskItem | None = None) -> None:
        self.tool = tool
        item = item or risk.RiskItem(who="victims", threat="surveillance", likelihood=3, impact=3)
        wide = w.Layout(width="auto", min_width="18rem", margin="2px 12px 2px 0")
        style = {"description_width": "initial"}
        self.heading = w.HTML()
        self.who = w.Dropdown(options=[("", item.who)], value=item.who, layout=wide, style=style)
        threat_ids = list(risk.THREAT_IDS) + [risk.CUSTOM_THREAT]
        self.threat = w.Dropdown(options=[("", i) for i in threat_ids], value=item.threat, layout=wide,
                                 style=style)
        self.custom = w.Text(value=item.custom_threat_label, layout=w.Layout(width="95%"), style=style)
        self.likelihood = w.Dropdown(options=[("", v) for v in risk.SCALE], value=item.likelihood,
                                     layout=wide, style=style)
        self.impact = w.Dropdown(options=[("", v) for v in risk.SCALE], value=item.impact, layout=wide,
                                 style=style)
        self.actor_kind = w.Dropdown(options=[("", a) for a in ("",) + protection.ACTORS], value=item.actor_kind, layout=wide, style=style)
        self.actor = w.Text(value=item.actor, layout=w.Layout(width="95%"), style=style)
        self.intent = w.Dropdown(options=[("", 0)] + [("", v) for v in protection.INTENT],
                                 value=item.intent or 0, layout=wide, style=style)
        self.capability = w.Dropdown(options=[("", 0)] + [("", v) for v in protection.CAPABILITY],
                                     value=item.capability or 0, layout=wide, style=style)
        self.evidence = w.HTML()
        self.after_title = w.HTML()
        self.after_intent = w.Dropdown(options=[("", 0)] + [("", v) for v in protection.INTENT],
                                       value=item.after_intent or 0, layout=wide, style=style)
        self.after_capability = w.Dropdown(options=[("", 0)] + [("", v) for v in protection.CAPABILITY],
                                           value=item.after_capability or 0, layout=wide, style=style)
        self.after_vulnerability = w.Dropdown(options=[("", 0)] + [("", v) for v in protection.RATING],
                                              value=item.after_vulnerability or 0, layout=wide, style=style)
        self.after_capacity = w.Dropdown(options=[("", 0)] + [("", v) for v in protection.RATING],
                                         value=item.after_capacity or 0, layout=wide, style=style)
        self.analysis = w.HTML()
        self.mitigation_title = w.HTML()
        self.suggested = w.HTML()
        self.checks = {
            m: w.Checkbox(value=m in item.mitigations, indent=False, layout=ROW, style=CHECK_STYLE)
            for m in risk.MITIGATION_IDS
        }
        # 0 stands for "not rated yet": a Dropdown cannot select the value None.
        self.residual_likelihood = w.Dropdown(options=[("", 0)] + [("", v) for v in risk.SCALE],
                                              value=item.residual_likelihood or 0, layout=wide, style=style)
        self.residual_impact = w.Dropdown(options=[("", 0)] + [("", v) for v in risk.SCALE],
                                          value=item.residual_impact or 0, layout=wide, style=style)
        self.note = w.Textarea(value=item.note, layout=w.Layout(width="95%", height="4.5em"), style=style)
        self.remove = w.Button(layout=w.Layout(width="auto", align_self="flex-start"), button_style="")
        self.box = w.VBox([
            self.heading,
            w.HBox([self.who, self.threat], layout=w.Layout(flex_flow="row wrap")),
            self.custom,
            w.HBox([self.actor_kind, self.actor], layout=w.Layout(flex_flow="row wrap")),
            w.HBox([self.intent, self.capability], layout=w.Layout(flex_flow="row wrap")),
            self.evidence,
            w.HBox([self.likelihood, self.impact], layout=w.Layout(flex_flow="row wrap")),
            self.mitigation_title, self.suggested, *self.checks.values(),
            self.after_title,
            w.HBox([self.after_intent, self.after_capability, self.after_vulnerability, self.after_capacity],
                   layout=w.Layout(flex_flow="row wrap")),
            w.HBox([self.residual_likelihood, self.residual_impact], layout=w.Layout(flex_flow="row wrap")),
            self.analysis,
            self.note, self.remove,
        ])
        self.box.add_class("sp-risk-card")
        for control in (self.who, self.threat, self.custom, self.likelihood, self.impact, self.actor_kind,
                        self.actor, self.intent, self.capability, self.after_intent, self.after_capability,
                        self.after_vulnerability, self.after_capacity,
                        self.residual_likelihood, self.residual_impact, self.note, *self.checks.values()):
            control.observe(tool._guard(self._changed), names="value")
        self.remove.on_click(tool._guard(lambda _button: tool._remove_card(self)))

    def _changed(self, _change=None) -> None:
        self.tool._refresh()

    def item(self) -> risk.RiskItem:
        return risk.RiskItem(
            who=self.who.value, threat=self.threat.value,
            likelihood=self.likelihood.value, impact=self.impact.value,
            mitigations=[m for m, box in self.checks.items() if box.value],
            residual_likelihood=(self.residual_likelihood.value or None) if self.residual_impact.value else None,
            residual_impact=(self.residual_impact.value or None) if self.residual_likelihood.value else None,
            note=self.note.value, custom_threat_label=self.custom.value,
            actor=self.actor.value, actor_kind=self.actor_kind.value or "",
            intent=self.intent.value or None, capability=self.capability.value or None,
            after_intent=self.after_intent.value or None, after_capability=self.after_capability.value or None,
            after_vulnerability=self.after_vulnerability.value or None,
            after_capacity=self.after_capacity.value or None,
        )

    def relabel(self, lang: str, number: int) -> None:
        self.who.description = t("risk.field.who", lang)
        _set_options(self.who, [(t(o.label_key, lang), o.id) for o in risk.PEOPLE])
        self.threat.description = t("risk.field.threat", lang)
        _set_options(self.threat, [(t(o.label_key, lang), o.id) for o in risk.THREATS]
                     + [(t("risk.threat.custom", lang), risk.CUSTOM_THREAT)])
        self.custom.description = t("risk.field.custom_threat", lang)
        self.custom.placeholder = t("risk.field.custom_threat.placeholder", lang)
        self.likelihood.description = t("risk.field.likelihood", lang)
        _set_options(self.likelihood, [(t(LIKELIHOOD_KEYS[v], lang), v) for v in risk.SCALE])
        self.impact.description = t("risk.field.impact", lang)
        _set_options(self.impact, [(t(IMPACT_KEYS[v], lang), v) for v in risk.SCALE])
        self.actor_kind.description = t("risk.field.actor_kind", lang)
        _set_options(self.actor_kind, [(t("risk.actor.none", lang), "")]
                     + [(t(protection.ACTOR_KEYS[a], lang), a) for a in protection.ACTORS])
        self.actor.description = t("risk.field.actor", lang)
        self.actor.placeholder = t("risk.field.actor.placeholder", lang)
        not_rated = t("risk.analysis.not_rated", lang)
        unchanged = t("risk.analysis.unchanged", lang)
        self.intent.description = t("risk.field.intent", lang)
        _set_options(self.intent, [(not_rated, 0)] + [(f"{v} · {t(k, lang)}", v)
                                                      for v, k in protection.INTENT_KEYS.items()])
        self.capability.description = t("risk.field.capability", lang)
        _set_options(self.capability, [(not_rated, 0)] + [(f"{v} · {t(k, lang)}", v)
                                                          for v, k in protection.CAPABILITY_KEYS.items()])
        self.after_title.value = _tag("strong", t("risk.field.after_measures", lang))
        for control, key, keys in (
                (self.after_intent, N_("risk.field.after_intent"), protection.INTENT_KEYS),
                (self.after_capability, N_("risk.field.after_capability"), protection.CAPABILITY_KEYS),
                (self.after_vulnerability, N_("risk.field.after_vulnerability"), protection.VULNERABILITY_KEYS),
                (self.after_capacity, N_("risk.field.after_capacity"), protection.CAPACITY_KEYS)):
            control.description = t(key, lang)
            _set_options(control, [(unchanged, 0)] + [(f"{v} · {t(k, lang)}", v) for v, k in keys.items()])
        self.mitigation_title.value = _tag("strong", t("risk.field.mitigations", lang))
        for mitigation_id, box in self.checks.items():
            box.description = risk.label(mitigation_id, lang)
        not_assessed = t("risk.residual.not_assessed", lang)
        self.residual_likelihood.description = t("risk.field.residual_likelihood", lang)
        _set_options(self.residual_likelihood,
                     [(not_assessed, 0)] + [(t(LIKELIHOOD_KEYS[v], lang), v) for v in risk.SCALE])
        self.residual_impact.description = t("risk.field.residual_impact", lang)
        _set_options(self.residual_impact,
                     [(not_assessed, 0)] + [(t(IMPACT_KEYS[v], lang), v) for v in risk.SCALE])
        self.note.description = t("risk.field.note", lang)
        self.note.placeholder = t("risk.field.note.placeholder", lang)
        self.remove.description = t("risk.button.remove", lang, number=f"R{number}")
        self.remove.tooltip = self.remove.description

    def show_analysis(self, lang: str, number: int, register: risk.RiskRegister, item: risk.RiskItem) -> None:
        """The formula's result for this threat, and the incidents that are evidence of intent."""
        result = register.analysis(item)
        h = safe_text.html_text
        if result is None:
            text = _tag("p", t("risk.analysis.incomplete", lang), "sp-cite")
        else:
            text = (
                '<p class="sp-analysis">' + h(t("risk.analysis.formula", lang, threat=result.threat,
                                                  vulnerability=result.vulnerability, capacity=result.capacity,
                                                  value=protection.format_value(result.value)))
                + f" {_level_badge(result.level, lang)} → "
                + h(t("risk.analysis.after", lang, value=protection.format_value(result.after_value),
                      level=t(risk.LEVEL_KEYS[result.after_level], lang)))
                + f" {_level_badge(result.after_level, lang)}</p>"
            )
            if result.uncredited:
                text += _tag("p", t("risk.analysis.uncredited", lang, number=f"R{number}", terms=format_list(
                    [t(protection.TERM_KEYS[x], lang) for x in result.uncredited], lang)), "sp-warning")
        self.analysis.value = text
        matching = register.incident_log().matching(item.threat, item.who)
        self.evidence.value = (_tag("p", t("risk.analysis.incident_count", lang, count=len(matching)), "sp-cite")
                               if matching else "")

    def show(self, lang: str, number: int, item: risk.RiskItem) -> None:
        """Update the texts that depend on the ratings (heading, suggestions)."""
        self.custom.layout.display = "" if item.threat == risk.CUSTOM_THREAT else "none"
        residual = item.residual_level
        heading = t("risk.card.heading", lang, number=f"R{number}")
        self.heading.value = (
            f"<h4 style=\"margin:4px 0\">{safe_text.html_text(heading)} · "
            + safe_text.html_text(t("risk.col.level", lang)) + f" {_level_badge(item.level, lang)}"
            + (f" → {_level_badge(residual, lang)}" if residual else "") + "</h4>"
        )
        suggested = [risk.label(m, lang) for m in risk.suggest_mitigations(item)]
        self.suggested.value = (
            '<div class="sp-cite">'
            + safe_text.html_text(t("risk.card.suggested", lang, items=format_list(suggested, lang)))
            + "</div>"
        )
        self.remove.description = t("risk.button.remove", lang, number=f"R{number}")


class RiskMatrix(w.VBox):
    """The whole tool. ``register()`` gives what the user entered as a domain object."""

    def __init__(self, lang: str = "zh", environ: dict | None = None, store_root=None,
                 include_plan: bool = True, page: bool = False) -> None:
        super().__init__()
        self.lang = normalise_lang(lang)
        self.environ = environ
        self.store_root = store_root
        self._quiet_depth = 0
        self.cards: list[_ItemCard] = []
        self.add_class("sp-risk")

        # On its own page the tool's sections (h3) sit under one h2, as they do under module 4's.
        self.shell = ToolShell("risk", self.lang, relabel=self._on_language, environ=environ,
                               page=PAGE if page else None,
                               heading_key=N_("risk.page.assessment_heading") if page else None)
        self.status = self.shell.status
        self.language = self.shell.language
        self.warning = self.shell.warning
        self.intro = w.HTML()
        # 1. threshold
        self.h_threshold = w.HTML()
        self.threshold = w.Dropdown(options=[("", lv) for lv in risk.THRESHOLDS], value=risk.DEFAULT_THRESHOLD,
                                    style={"description_width": "initial"}, layout=w.Layout(width="24rem"))
        self.threshold_help = w.HTML()
        # the field's analysis: context and allies, people at risk, incidents; and the security plan
        self.method = w.HTML()
        self.h_context = w.HTML()
        self.context = w.Textarea(style={"description_width": "initial"}, layout=w.Layout(width="95%", height="5em"))
        self.allies = w.Textarea(style={"description_width": "initial"}, layout=w.Layout(width="95%", height="4em"))
        self.h_groups = w.HTML()
        self.groups_box = w.VBox()
        self.group_cards: dict[str, GroupCard] = {}
        self.incident_log = IncidentLogView(self._guard(lambda *_a: self._refresh()), self._say)
        self.security = SecurityPlanView(self._guard(lambda _c: self._refresh()))
        # 2. risks
        self.h_items = w.HTML()
        self.items_help = w.HTML()
        self.items_box = w.VBox()
        self.add_button = w.Button(button_style="primary", layout=w.Layout(width="auto", align_self="flex-start"))
        # 3. register and chart
        self.h_register = w.HTML()
        self.table = w.HTML(layout=w.Layout(width="100%", overflow="auto"))
        self.chart = Chart(lang=lang, layout=w.Layout(width="100%", display="none"))
        # 4. conclusion
        self.h_conclusion = w.HTML()
        self.conclusion = w.HTML(layout=w.Layout(width="100%"))
        # 5. reprisal plan
        self.h_plan = w.HTML()
        self.contacts = w.HTML()
        self.mandate = w.Text(style={"description_width": "initial"}, layout=w.Layout(width="95%"))
        self.responses = w.HTML()
        self.incident = w.DatePicker(style={"description_width": "initial"},
                                     layout=w.Layout(width="24rem", align_self="flex-start"))
        self.cycle = w.HTML(layout=w.Layout(width="100%"))
        self.plan_note = w.Textarea(style={"description_width": "initial"},
                                    layout=w.Layout(width="95%", height="5em"))
        # 6. save and export
        self.h_save = w.HTML()
        self.title = w.Text(style={"description_width": "initial"}, layout=w.Layout(width="95%"))
        # The encrypted saved-records panel (composed by the shell) and one-click downloads.
        self.records = self.shell.add_records(KIND, get_payload=self._record_payload,
                                              on_restore=self._restore_payload, store_root=store_root)
        self.downloads = self.shell.add_downloads(self._download_files)
        # Size checked in the browser: a file over the limit is never sent (course.tools.upload).
        self.upload = SizeCheckedUpload(layout=w.Layout(width="auto", max_width="100%", align_self="flex-start"))

        self.shell.compose([
            self.intro, self.method,
            self.h_threshold, self.threshold, self.threshold_help,
            self.h_context, self.context, self.allies,
            self.h_items, self.items_help, self.items_box, self.add_button,
            self.h_groups, self.groups_box,
            self.incident_log.box,
            self.h_register, self.table, self.chart,
            self.h_conclusion, self.conclusion,
            self.h_plan, self.contacts, self.mandate, self.responses, self.incident, self.cycle, self.plan_note,
            self.security.box,
            self.h_save, self.title,
            self.downloads, self.upload, self.records,
            self.status,
        ], style=_STYLE, container=self)
        self.remove_class("sp-tool")  # the risk page keeps its own width rules

        self.incident_log.add.on_click(self._guard(lambda _b: self.incident_log.add_from_form()))
        for control in (self.threshold, self.title, self.mandate, self.plan_note, self.context, self.allies):
            control.observe(self._guard(lambda _c: self._refresh()), names="value")
        self.incident.observe(self._guard(lambda _c: self._show_cycle()), names="value")
        self.add_button.on_click(self._guard(lambda _b: self.add_item()))
        self.upload.observe(self._guard(self._uploaded), names="value")

        if not include_plan:
            # A page that shows the plan separately (reprisal_plan) hides it here; the
            # fields stay in the model so saved plans load the same either way.
            for widget in (self.h_plan, self.contacts, self.mandate, self.responses, self.incident,
                           self.cycle, self.plan_note):
                widget.layout.display = "none"

        self._relabel()
        self._refresh()

    # ------------------------------------------------------------------ plumbing

    def _guard(self, callback):
        """Like ``guarded`` but in the language shown when the callback runs."""

        def run(*args, **kwargs):
            if self._quiet_depth:
                return None
            return self.shell.guard(callback)(*args, **kwargs)

        return run

    @contextlib.contextmanager
    def _quiet(self):
        self._quiet_depth += 1
        try:
            yield
        finally:
            self._quiet_depth -= 1

    def _say(self, key_text: str, css: str = "sp-ok") -> None:
        role = "alert" if css == "sp-error" else "status"
        self.status.value = f'<div class="{css}" role="{role}">{safe_text.html_text(key_text)}</div>'

    # ------------------------------------------------------------------ state

    def register(self) -> risk.RiskRegister:
        """What the user entered, as a domain object (typed text untouched)."""
        return risk.RiskRegister(
            items=[card.item() for card in self.cards],
            threshold_level=self.threshold.value,
            title=self.title.value,
            mandate_engaged=self.mandate.value,
            incident_date=self.incident.value,
            plan_note=self.plan_note.value,
            context=self.context.value,
            allies=self.allies.value,
            groups=[card.group() for card in self.group_cards.values()],
            incidents=list(self.incident_log.incidents),
            security=self.security.plan(),
        )

    def add_item(self, item: risk.RiskItem | None = None) -> None:
        if len(self.cards) >= risk.MAX_ITEMS:
            self._say(t("risk.error.too_many", self.lang, limit=risk.MAX_ITEMS), "sp-error")
            return
        with self._quiet():
            card = _ItemCard(self, item)
            card.relabel(self.lang, len(self.cards) + 1)
        self.cards.append(card)
        self.items_box.children = [c.box for c in self.cards]
        self._refresh()

    def _remove_card(self, card: _ItemCard) -> None:
        if card in self.cards:
            self.cards.remove(card)
            self.items_box.children = [c.box for c in self.cards]
            self._refresh()

    def load_register(self, register: risk.RiskRegister) -> None:
        """Replace what is shown by ``register`` (after a restore or an upload)."""
        register.validate()
        with self._quiet():
            self.cards = []
            for item in register.items:
                card = _ItemCard(self, item)
                self.cards.append(card)
            for number, card in enumerate(self.cards, 1):
                card.relabel(self.lang, number)
            self.items_box.children = [c.box for c in self.cards]
            self.threshold.value = register.threshold_level
            self.title.value = register.title
            self.mandate.value = register.mandate_engaged
            self.incident.value = register.incident_date
            self.plan_note.value = register.plan_note
            self.context.value = register.context
            self.allies.value = register.allies
            self.group_cards = {}
            for group in register.groups:
                self._group_card(group.who, group)
            self.incident_log.load(register.incidents)
            self.security.load(register.security)
        self._refresh()
        self.security.show_review(self.lang, register.security)  # the reminder on reopening a plan
        self._show_cycle()

    # ------------------------------------------------------------------ rendering

    def _group_card(self, who: str, group: risk.AtRisk | None = None) -> GroupCard:
        card = self.group_cards.get(who)
        if card is None:
            with self._quiet():
                card = GroupCard(self._guard(lambda _c: self._refresh()), group or risk.AtRisk(who))
                card.relabel(self.lang)
            self.group_cards[who] = card
        return card

    def _sync_groups(self) -> None:
        """One card per person or group named in a threat (cards of others keep their values)."""
        used = [o.id for o in risk.PEOPLE if any(card.who.value == o.id for card in self.cards)]
        self.groups_box.children = [self._group_card(who).box for who in used]

    def _on_language(self) -> None:
        """The shell switched language: relabel everything; every typed value stays."""
        self.lang = self.shell.lang
        self._relabel()
        self._refresh()

    def _relabel(self) -> None:
        lang = self.lang
        with self._quiet():
            self.shell.relabel()
            self.intro.value = (
                _tag("p", t("risk.intro", lang))
                + _tag("p", t("risk.source", lang, source=risk.cite(risk.CITE_SAFE, lang)), "sp-cite")
            )
            self.method.value = self._method_html(lang)
            self.h_context.value = (_tag("h3", t("risk.section.context", lang))
                                    + _tag("p", t("risk.context.help", lang)))
            self.context.description = t("risk.field.context", lang)
            self.context.placeholder = t("risk.field.context.placeholder", lang)
            self.allies.description = t("risk.field.allies", lang)
            self.allies.placeholder = t("risk.field.allies.placeholder", lang)
            self.h_groups.value = (_tag("h3", t("risk.section.groups", lang))
                                   + _tag("p", t("risk.groups.help", lang)))
            for group_card in self.group_cards.values():
                group_card.relabel(lang)
            self.incident_log.relabel(lang)
            self.security.relabel(lang, self.register().implied_protocols())
            self.h_threshold.value = _tag("h3", t("risk.section.threshold", lang))
            self.threshold.description = t("risk.field.threshold", lang)
            _set_options(self.threshold, [(t(risk.LEVEL_KEYS[lv], lang), lv) for lv in risk.THRESHOLDS])
            self.threshold_help.value = _tag("p", t("risk.threshold.help", lang))
            self.h_items.value = _tag("h3", t("risk.section.items", lang))
            self.items_help.value = self._items_help(lang)
            for number, card in enumerate(self.cards, 1):
                card.relabel(lang, number)
            self.add_button.description = t("risk.button.add", lang)
            self.h_register.value = _tag("h3", t("risk.section.register", lang))
            self.h_conclusion.value = _tag("h3", t("risk.section.conclusion", lang))
            self.h_plan.value = _tag("h3", t("reprisals.heading", lang)) + _tag("p", t("reprisals.intro", lang))
            self.contacts.value = self._contacts_html(lang)
            self.mandate.description = t("reprisals.field.mandate", lang)
            self.mandate.placeholder = t("reprisals.field.mandate.placeholder", lang)
            self.responses.value = self._responses_html(lang)
            self.incident.description = t("reprisals.field.incident_date", lang)
            self.plan_note.description = t("risk.field.plan_note", lang)
            self.plan_note.placeholder = t("risk.field.plan_note.placeholder", lang)
            self.h_save.value = (_tag("h3", t("risk.section.save", lang))
                                 + _tag("p", t("risk.save.help", lang)))
            self.title.description = t("risk.field.title", lang)
            self.title.placeholder = t("risk.field.title.placeholder", lang)
            self.upload.description = t("risk.button.upload", lang)
        self._show_cycle()

    @staticmethod
    def _method_html(lang: str) -> str:
        h = safe_text.html_text
        steps = "".join(
            f"<li>{h(label_value(t(key, lang), format_list([t(m, lang) for m in manuals], lang), lang))}</li>"
            for _id, key, manuals in protection.STEPS)
        return ("<details>" + _tag("summary", t("risk.method.summary", lang)) + _tag("p", t("risk.method.intro", lang))
                + f"<ol>{steps}</ol>" + _tag("p", t("risk.analysis.bands", lang))
                + _tag("p", t("risk.source", lang, source=risk.cite(risk.CITE_REPRISALS, lang)), "sp-cite")
                + "</details>")

    @staticmethod
    def _items_help(lang: str) -> str:
        h = safe_text.html_text
        def term(o) -> str:  # "<strong>label</strong>: help" with the reader's colon
            return label_value(f"<strong>{h(t(o.label_key, lang))}</strong>", h(t(o.help_key, lang)), lang)

        rows = "".join(
            f"<li>{term(o)} "
            f'<span class="sp-cite">({h(risk.cite(o.citation, lang))})</span></li>'
            for o in risk.MITIGATIONS
        )
        threats = "".join(f"<li>{term(o)}</li>" for o in risk.THREATS)
        return (
            _tag("p", t("risk.items.help", lang))
            + "<details>" + _tag("summary", t("risk.items.threats_summary", lang)) + f"<ul>{threats}</ul>"
            + _tag("p", t("risk.source", lang, source=risk.cite(risk.CITE_REPRISALS, lang)), "sp-cite")
            + "</details>"
            + "<details>" + _tag("summary", t("risk.items.mitigations_summary", lang)) + f"<ul>{rows}</ul></details>"
        )

    @staticmethod
    def _contacts_html(lang: str) -> str:
        h = safe_text.html_text
        items = []
        for contact in reprisals.CONTACTS:
            address = f" <code>{h(contact.address)}</code>" if contact.address else ""
            items.append(f"<li><strong>{h(t(contact.label_key, lang))}</strong>{address}<br>"
                         f"{h(t(contact.help_key, lang))}</li>")
        return (
            _tag("h4", t("reprisals.contacts.heading", lang)) + "<ul>" + "".join(items) + "</ul>"
            + _tag("p", t("reprisals.nothing_sent", lang))
            + _tag("p", t("reprisals.source", lang, source=reprisals.cite(reprisals.CITE_CONTACTS, lang)), "sp-cite")
        )

    @staticmethod
    def _responses_html(lang: str) -> str:
        h = safe_text.html_text
        items = "".join(f"<li><strong>{h(t(r.label_key, lang))}</strong><br>{h(t(r.help_key, lang))}</li>"
                        for r in reprisals.RESPONSES)
        sources = join([
            t("reprisals.source", lang, source=reprisals.cite(reprisals.CITE_RESPONSES, lang)),
            reprisals.cite(reprisals.CITE_2024, lang),
        ], lang)
        return (
            "<details>" + _tag("summary", t("reprisals.responses.heading", lang)) + f"<ul>{items}</ul>"
            + _tag("p", t("reprisals.facts_2024", lang)) + _tag("p", sources, "sp-cite") + "</details>"
        )

    def _refresh(self) -> None:
        if self._quiet_depth:
            return
        lang = self.lang
        register = self.register()
        self._sync_groups()
        register = self.register()
        for number, (card, item) in enumerate(zip(self.cards, register.items), 1):
            card.show(lang, number, item)
            card.show_analysis(lang, number, register, item)
        self.security.show_implied(lang, register.implied_protocols())
        self.table.value = self._table_html(register, lang)
        self._draw_chart(register, lang)
        self.conclusion.value = self._conclusion_html(register, lang)
        self._show_cycle()
        self.downloads.stale()  # links made before this change would hand out an old version

    def _table_html(self, register: risk.RiskRegister, lang: str) -> str:
        h = safe_text.html_text
        caption = h(t("risk.register.caption", lang))
        if not register.items:
            return _tag("p", t("risk.register.empty", lang), "sp-note")
        head = "".join(f'<th scope="col">{h(text)}</th>' for text in (
            t("risk.col.number", lang), t("risk.col.who", lang), t("risk.col.threat", lang),
            t("risk.col.likelihood", lang), t("risk.col.impact", lang), t("risk.col.level", lang),
            t("risk.col.mitigations", lang), t("risk.col.residual", lang), t("risk.col.note", lang)))
        rows = []
        for n, item in enumerate(register.items, 1):
            mitigations = format_list([risk.label(m, lang) for m in risk.MITIGATION_IDS if m in item.mitigations], lang)
            rows.append(
                "<tr>"
                f'<th scope="row">R{n}</th>'
                f"<td>{h(risk.label(item.who, lang))}</td>"
                f'<td class="sp-text"><span dir="auto">{h(safe_text.preview(item.threat_label(lang), 120))}</span></td>'
                f"<td>{item.likelihood}</td><td>{item.impact}</td>"
                f"<td>{_level_badge(item.level, lang)} ({item.score})</td>"
                + _tag("td", mitigations or t("risk.mitigations.none", lang), "sp-text") +
                f"<td>{_level_badge(item.residual_level, lang)}</td>"
                f'<td class="sp-text"><span dir="auto">{h(safe_text.preview(item.note, 80))}</span></td>'
                "</tr>"
            )
        return (f'<table class="sp-risk-table"><caption>{caption}</caption>'
                f"<thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>")

    def _draw_chart(self, register: risk.RiskRegister, lang: str) -> None:
        if not register.items:
            # Nothing to plot yet; this also keeps plotly out of the app's first load.
            self.chart.layout.display = "none"
            return
        self.chart.relabel(lang)
        self.chart.description = t("risk.chart.alt", lang)
        self.chart.show(exports.heatmap_figure(register, lang))
        self.chart.layout.display = None

    @staticmethod
    def _conclusion_html(register: risk.RiskRegister, lang: str) -> str:
        result = risk.conclusion(register)
        css = {"empty": "sp-note", "acceptable": "sp-ok", "proceed_with_mitigations": "sp-note",
               "above_threshold": "sp-error"}[result.kind]
        lines = exports._conclusion_text(result, lang)
        body = "".join(f"<p>{safe_text.html_text(line)}</p>" for line in lines)
        return f'<div class="{css} sp-conclusion" data-kind="{result.kind}" role="status">{body}</div>'

    def _show_cycle(self) -> None:
        lang = self.lang
        h = safe_text.html_text
        value = self.incident.value
        if value is None and getattr(self, "incident_log", None) is not None and self.incident_log.incidents:
            value = max(i.day for i in self.incident_log.incidents)  # the latest logged incident
        if value is None:
            self.cycle.value = _tag("p", t("reprisals.cycle.no_date", lang), "sp-cite")
            return
        try:
            cycle = reprisals.report_cycle(value)
        except reprisals.ReprisalError as exc:
            self.cycle.value = f'<div class="sp-error" role="alert">{h(exc.message(lang))}</div>'
            return
        css = "sp-ok" if cycle.status == "open" else "sp-note"
        lines = reprisals.describe_cycle(cycle, lang)
        self.cycle.value = (f'<div class="{css} sp-cycle" data-status="{cycle.status}" role="status">'
                            + "".join(f"<p>{h(line)}</p>" for line in lines) + "</div>")

    # ------------------------------------------------------------------ saving

    def _record_payload(self) -> tuple[dict, str]:
        register = self.register().validate()
        return register.to_dict(), safe_text.preview(register.title, 60) or t("risk.save.untitled", self.lang)

    def _restore_payload(self, payload: dict, record_id: str) -> None:
        self.load_register(risk.RiskRegister.from_dict(safe_text.without_surrogates(payload)[0]))  # RiskError: the panel reports it

    def save(self) -> storage.StoredRecord | None:
        """Save through the records panel (encrypted; needs the passphrase set or entered)."""
        return self.records.save()

    def _download_files(self) -> list[tuple[str, str, Callable[[], bytes]]]:
        """The plan as Markdown, Word and JSON; each is built from the register when its button is clicked."""
        lang = self.lang
        stamp = date.today().isoformat()
        labels = {"md": t("risk.download.md", lang), "docx": t("risk.download.docx", lang),
                  "json": t("risk.download.json", lang)}
        return [(f"risk-plan-{stamp}.{extension}", label, functools.partial(self.export_file, extension))
                for extension, label in labels.items()]

    def export_file(self, extension: str) -> bytes:
        """The current plan as ``md``, ``docx`` or ``json`` bytes.

        Characters Markdown and Word cannot hold show as U+FFFD there (JSON keeps them);
        the status line says so.
        """
        register = self.register().validate()
        lang = self.lang
        if extension == "json":
            return register.to_json().encode("utf-8")
        replaced = safe_text.count_refused(register.to_dict())
        if replaced:
            self._say(t("risk.download.replaced", lang, count=replaced), "sp-warning")
        if extension == "docx":
            return exports.to_docx(register, lang)
        return exports.to_markdown(register, lang).encode("utf-8")

    def _uploaded(self, change) -> None:
        files = change["new"]
        if not files:
            return
        upload = files[0]
        content = upload.get("content", b"") if isinstance(upload, dict) else getattr(upload, "content", b"")
        self.upload.value = ()
        if (isinstance(upload, dict) and upload.get("too_large")) or len(content) > MAX_UPLOAD_BYTES:
            self._say(t("risk.upload.too_large", self.lang, limit="5 MB"), "sp-error")
            return
        try:
            register = risk.RiskRegister.from_json(bytes(content))
            data, replaced = safe_text.without_surrogates(register.to_dict())
            if replaced:  # a lone surrogate cannot reach the browser: shown as U+FFFD
                register = risk.RiskRegister.from_dict(data)
        except risk.RiskError as exc:
            self._say(exc.message(self.lang), "sp-error")
            return
        self.load_register(register)
        self.records.new_record()
        if replaced:
            self._say(t("risk.upload.done", self.lang) + " " + t("risk.upload.replaced", self.lang, count=replaced),
                      "sp-warning")
        else:
            self._say(t("risk.upload.done", self.lang))


def risk_matrix(lang: str = "zh", environ: dict | None = None, include_plan: bool = True,
                page: bool = False, example: str | None = None) -> w.Widget:
    """The risk and security planning tool, in ``lang`` ("zh" or "en").

    ``include_plan=False`` leaves out the reprisal plan, for pages that show
    :func:`reprisal_plan` on its own. ``example`` preloads one of the fictional
    cases of :mod:`course.tools.risk.examples` ("nadia", "aruna").
    """
    try:
        lang = normalise_lang(lang)
    except ValueError:
        lang = "zh"
    tool = RiskMatrix(lang, environ, include_plan=include_plan, page=page)
    if example:
        from .examples import example as build

        tool.load_register(build(example, lang))
    return tool


def example_summary(name: str, lang: str = "zh") -> w.HTML:
    """A fictional case's threat analysis and conclusion, read-only (module 4)."""
    from .examples import example as build

    lang = normalise_lang(lang)
    register = build(name, lang)
    h = safe_text.html_text
    analysis = exports.field_sections(register, lang, h)[4]
    head = "".join(f'<th scope="col">{text}</th>' for text in analysis.head)
    rows = "".join("<tr>" + "".join(f"<td>{cell}</td>" for cell in row) + "</tr>" for row in analysis.rows)
    notes = "".join(f"<p>{p}</p>" for p in analysis.paragraphs[1:-1])
    return w.HTML(
        _STYLE + '<div class="sp-risk sp-risk-example">' + _tag("h4", register.title)
        + f'<div style="overflow-x:auto"><table class="sp-risk-table"><thead><tr>{head}</tr></thead>'
        + f"<tbody>{rows}</tbody></table></div>{notes}"
        + RiskMatrix._conclusion_html(register, lang) + "</div>"
    )


class ReprisalPlan(w.VBox):
    """Whom to contact, what the UN can do, and the reprisals report cycle for a date.

    Nothing typed here leaves the page: the plan can be downloaded as Markdown.
    """

    def __init__(self, lang: str = "zh") -> None:
        super().__init__()
        self.lang = normalise_lang(lang)
        self.add_class("sp-risk")
        lang = self.lang
        self.status = w.HTML()
        self.mandate = w.Text(description=t("reprisals.field.mandate", lang),
                              placeholder=t("reprisals.field.mandate.placeholder", lang),
                              style={"description_width": "initial"}, layout=w.Layout(width="95%"))
        self.incident = w.DatePicker(description=t("reprisals.field.incident_date", lang),
                                     style={"description_width": "initial"},
                                     layout=w.Layout(width="24rem", align_self="flex-start"))
        self.cycle = w.HTML(layout=w.Layout(width="100%"))
        self.downloads = Downloads(self._download_files)
        self.children = [
            w.HTML(_STYLE),
            w.HTML(_tag("h3", t("reprisals.heading", lang)) + _tag("p", t("reprisals.intro", lang))),
            w.HTML(RiskMatrix._contacts_html(lang)), self.mandate,
            w.HTML(RiskMatrix._responses_html(lang)),
            self.incident, self.cycle, self.downloads, self.status,
        ]
        safe = guarded(self.status, lang)
        self.downloads._refresh_now = safe(self.downloads.refresh)
        self.downloads.guard = safe
        self.downloads.refresh()
        self.incident.observe(safe(lambda _c: self._show_cycle()), names="value")
        self.mandate.observe(safe(lambda _c: self.downloads.stale()), names="value")
        self._show_cycle()

    def _show_cycle(self) -> None:
        RiskMatrix._show_cycle(self)  # same rendering as in the full tool
        self.downloads.stale()

    def plan_markdown(self) -> str:
        lines = exports.plan_markdown_lines(reprisals.plan_sections(
            self.mandate.value, self._valid_date(), self.lang, escape=safe_text.markdown_text))
        return "## " + t("reprisals.heading", self.lang) + "\n\n" + "\n".join(lines) + "\n"

    def _valid_date(self) -> date | None:
        """The picked date if the calculator accepts it (an impossible one is left out of the export)."""
        try:
            reprisals.report_cycle(self.incident.value)
        except (reprisals.ReprisalError, TypeError, ValueError):
            return None
        return self.incident.value

    def _download_files(self) -> list[tuple[str, str, Callable[[], bytes]]]:
        return [(f"reprisal-plan-{date.today().isoformat()}.md", t("risk.download.md", self.lang), lambda: self.plan_markdown().encode("utf-8"))]

    def _prepare_download(self) -> None:
        self.downloads.refresh()


def reprisal_plan(lang: str = "zh") -> w.Widget:
    """The reprisal response plan on its own (contacts, responses, report cycle), in ``lang``."""
    try:
        lang = normalise_lang(lang)
    except ValueError:
        lang = "zh"
    return ReprisalPlan(lang)

