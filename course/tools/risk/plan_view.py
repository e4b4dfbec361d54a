"""Widgets for the field's analysis and the security plan, used by :class:`course.tools.risk.view.RiskMatrix`.

Thin views over :mod:`course.tools.risk.rules`, :mod:`~course.tools.risk.incidents`
and :mod:`~course.tools.risk.security_plan`: each part reads its widgets into the
domain objects and loads them back, and relabels itself in the chosen language.
"""
from __future__ import annotations

from datetime import date

import ipywidgets as w
from ipywidgets.widgets.widget_bool import CheckboxStyle  # not exported at the top level

from ... import safe_text
from ...i18n import format_list, t
from ..shell import set_options
from . import protection, reprisals, security_plan
from . import rules as risk
from .incidents import Incident

STYLE = {"description_width": "initial"}
WIDE = w.Layout(width="auto", min_width="16rem", margin="2px 12px 2px 0")
# One Layout and one style model for the many checkboxes and fields that never change theirs:
# every model is a widget state the page must fetch before it draws its first widget
# (module 4's worked plan was 1,400 widgets, 1.5 MB, a third of them layouts).
ROW = w.Layout(width="95%")
NOTE = w.Layout(width="95%", height="3.5em")
CHECK_STYLE = CheckboxStyle(description_width="initial")


def _h(tag: str, text: str, css: str | None = None) -> str:
    attr = f' class="{css}"' if css else ""
    return f"<{tag}{attr}>{safe_text.html_text(text)}</{tag}>"


def _rating_options(keys: dict, lang: str, empty_key: str = "risk.analysis.not_rated"):
    return [(t(empty_key, lang), 0)] + [(f"{v} · {t(k, lang)}", v) for v, k in keys.items()]


class GroupCard:
    """Vulnerabilities and capacities of one person or group at risk."""

    def __init__(self, on_change, group: risk.AtRisk) -> None:
        self.who = group.who
        self.heading = w.HTML()
        self.vulnerability = w.Dropdown(options=[("", 0)], value=0, layout=WIDE, style=STYLE)
        self.capacity = w.Dropdown(options=[("", 0)], value=0, layout=WIDE, style=STYLE)
        self.v_title, self.c_title = w.HTML(), w.HTML()
        self.vfactors = {f: w.Checkbox(value=f in group.vulnerabilities, indent=False, style=CHECK_STYLE,
                                       layout=ROW) for f in protection.VULNERABILITIES}
        self.cfactors = {f: w.Checkbox(value=f in group.capacities, indent=False, style=CHECK_STYLE,
                                       layout=ROW) for f in protection.CAPACITIES}
        self.note = w.Textarea(value=group.note, layout=NOTE, style=STYLE)
        self._pending: tuple[int, int] | None = (group.vulnerability or 0, group.capacity or 0)
        self.box = w.VBox([self.heading, self.v_title, *self.vfactors.values(), self.vulnerability,
                           self.c_title, *self.cfactors.values(), self.capacity, self.note])
        self.box.add_class("sp-risk-card")
        self.box.add_class("sp-risk-group")
        for control in (self.vulnerability, self.capacity, self.note, *self.vfactors.values(),
                        *self.cfactors.values()):
            control.observe(on_change, names="value")

    def relabel(self, lang: str) -> None:
        self.heading.value = _h("h4", risk.label(self.who, lang))
        self.v_title.value = _h("strong", t("risk.field.vulnerabilities", lang))
        self.c_title.value = _h("strong", t("risk.field.capacities", lang))
        for factor, box in self.vfactors.items():
            box.description = t(protection.VULNERABILITY_FACTOR_KEYS[factor], lang)
        for factor, box in self.cfactors.items():
            box.description = t(protection.CAPACITY_FACTOR_KEYS[factor], lang)
        self.vulnerability.description = t("risk.field.vulnerability", lang)
        set_options(self.vulnerability, _rating_options(protection.VULNERABILITY_KEYS, lang))
        self.capacity.description = t("risk.field.capacity", lang)
        set_options(self.capacity, _rating_options(protection.CAPACITY_KEYS, lang))
        if self._pending:
            self.vulnerability.value, self.capacity.value = self._pending
            self._pending = None
        self.note.description = t("risk.field.group_note", lang)

    def group(self) -> risk.AtRisk:
        return risk.AtRisk(
            who=self.who,
            vulnerabilities=[f for f, box in self.vfactors.items() if box.value],
            capacities=[f for f, box in self.cfactors.items() if box.value],
            vulnerability=self.vulnerability.value or None, capacity=self.capacity.value or None,
            note=self.note.value)


class IncidentLogView:
    """A form to add a dated incident and the list of incidents (each removable)."""

    def __init__(self, on_change, say) -> None:
        self.on_change, self.say = on_change, say
        self.incidents: list[Incident] = []
        self.heading = w.HTML()
        self.day = w.DatePicker(style=STYLE, layout=w.Layout(width="24rem", align_self="flex-start"))
        self.what = w.Textarea(style=STYLE, layout=NOTE)
        self.who = w.Text(style=STYLE, layout=ROW)
        self.where = w.Text(style=STYLE, layout=ROW)
        self.form = w.Dropdown(options=[("", "")], value="", style=STYLE, layout=WIDE)
        self.target = w.Dropdown(options=[("", "")], value="", style=STYLE, layout=WIDE)
        self.reported = w.Checkbox(indent=False, style=STYLE)
        self.reported_to = w.Text(style=STYLE, layout=ROW)
        self.add = w.Button(button_style="primary", layout=w.Layout(width="auto", align_self="flex-start"))
        self.list = w.VBox()
        self.form_box = w.VBox([self.day, self.what, self.who, self.where,
                                w.HBox([self.form, self.target], layout=w.Layout(flex_flow="row wrap")),
                                self.reported, self.reported_to, self.add])
        self.form_box.add_class("sp-risk-card")
        self.box = w.VBox([self.heading, self.form_box, self.list])
        self.lang = "zh"

    def relabel(self, lang: str) -> None:
        self.lang = lang
        self.heading.value = (_h("h3", t("risk.section.incidents", lang)) + _h("p", t("risk.incidents.help", lang))
                              + _h("p", t("risk.manuals.source", lang, manuals=format_list(
                                  [t(protection.MANUAL_PI, lang), t(protection.MANUAL_FLD, lang)], lang)), "sp-cite"))
        self.day.description = t("risk.field.incident_day", lang)
        self.what.description = t("risk.field.incident_what", lang)
        self.who.description = t("risk.field.incident_who", lang)
        self.where.description = t("risk.field.incident_where", lang)
        self.form.description = t("risk.field.incident_form", lang)
        set_options(self.form, [(t("risk.incident.no_form", lang), "")]
                    + [(t(o.label_key, lang), o.id) for o in risk.THREATS])
        self.target.description = t("risk.field.incident_target", lang)
        set_options(self.target, [(t("risk.incident.no_target", lang), "")]
                    + [(t(o.label_key, lang), o.id) for o in risk.PEOPLE])
        self.reported.description = t("risk.field.incident_reported", lang)
        self.reported_to.description = t("risk.field.incident_reported_to", lang)
        self.add.description = t("risk.button.add_incident", lang)
        self.render()

    def add_from_form(self) -> None:
        if len(self.incidents) >= risk.MAX_ITEMS:
            self.say(t("risk.error.too_many", self.lang, limit=risk.MAX_ITEMS), "sp-error")
            return
        if self.day.value is None:
            self.say(t("risk.error.incident_date", self.lang), "sp-error")
            return
        incident = Incident(day=self.day.value, what=self.what.value, who=self.who.value,
                            where=self.where.value, form=self.form.value, target=self.target.value,
                            reported=self.reported.value, reported_to=self.reported_to.value)
        try:
            incident.validate()
        except risk.RiskError as exc:
            self.say(exc.message(self.lang), "sp-error")  # the form keeps what was typed
            return
        self.incidents.append(incident)
        for control in (self.what, self.who, self.where, self.reported_to):
            control.value = ""
        self.reported.value = False
        self.day.value = None
        self.render()
        self.on_change()

    def load(self, incidents: list[Incident]) -> None:
        self.incidents = list(incidents)
        self.render()

    def render(self) -> None:
        lang = self.lang
        rows = []
        for incident in sorted(self.incidents, key=lambda i: i.day):
            parts = [reprisals.format_day(incident.day, lang), safe_text.preview(incident.what, 120)]
            if incident.form:
                parts.append(risk.label(incident.form, lang))
            if incident.target:
                parts.append(risk.label(incident.target, lang))
            parts.append(t("risk.incident.reported_to", lang, to=safe_text.preview(incident.reported_to, 60))
                         if incident.reported else t("risk.incident.not_reported", lang))
            try:
                cycle = incident.cycle()
                parts.append(t("risk.incident.cycle", lang, deadline=reprisals.format_day(
                    cycle.submission_deadline if cycle.status == "open" else cycle.next_deadline, lang)))
            except reprisals.ReprisalError as exc:
                parts.append(exc.message(lang))
            label = w.HTML('<div class="sp-incident" dir="auto">'
                           + safe_text.html_text(" · ".join(p for p in parts if p)) + "</div>")
            remove = w.Button(description=t("risk.button.remove_incident", lang),
                              layout=w.Layout(width="auto", align_self="flex-start"))
            remove.on_click(lambda _b, target=incident: self._remove(target))
            rows.append(w.VBox([label, remove]))
        self.list.children = rows

    def _remove(self, incident: Incident) -> None:
        if incident in self.incidents:
            self.incidents.remove(incident)
            self.render()
            self.on_change()


class SecurityPlanView:
    """Protocols, check-ins, emergency contacts, the digital checklist, well-being and review date."""

    def __init__(self, on_change) -> None:
        self.heading = w.HTML()
        self.protocols_help = w.HTML()
        self.protocol_checks = {p.id: w.Checkbox(indent=False, style=CHECK_STYLE, layout=ROW)
                                for p in security_plan.PROTOCOLS}
        self.protocol_steps = {p.id: w.HTML() for p in security_plan.PROTOCOLS}
        self.responsible = {p.id: w.Textarea(style=STYLE, layout=NOTE)
                            for p in security_plan.PROTOCOLS}
        self.h_checkin = w.HTML()
        self.checkin_schedule = w.Dropdown(options=[("", "")], value="", style=STYLE, layout=WIDE)
        self.checkin_with = w.Text(style=STYLE, layout=ROW)
        self.checkin_missed = w.Textarea(style=STYLE, layout=NOTE)
        self.h_contacts = w.HTML()
        self.contacts = w.Textarea(style=STYLE, layout=w.Layout(width="95%", height="5em"))
        self.h_digital = w.HTML()
        self.digital = {c[0]: w.Checkbox(indent=False, style=CHECK_STYLE, layout=ROW)
                        for c in security_plan.DIGITAL_CHECKS}
        self.information = w.Textarea(style=STYLE, layout=w.Layout(width="95%", height="4em"))
        self.h_wellbeing = w.HTML()
        self.wellbeing = w.Textarea(style=STYLE, layout=w.Layout(width="95%", height="4em"))
        self.h_review = w.HTML()
        self.review_date = w.DatePicker(style=STYLE, layout=w.Layout(width="24rem", align_self="flex-start"))
        self.review_note = w.HTML()
        protocol_boxes = []
        for protocol in security_plan.PROTOCOLS:
            box = w.VBox([self.protocol_checks[protocol.id], self.protocol_steps[protocol.id],
                          self.responsible[protocol.id]])
            box.add_class("sp-risk-card")
            protocol_boxes.append(box)
        self.box = w.VBox([
            self.heading, self.protocols_help, *protocol_boxes,
            self.h_checkin, self.checkin_schedule, self.checkin_with, self.checkin_missed,
            self.h_contacts, self.contacts,
            self.h_digital, *self.digital.values(), self.information,
            self.h_wellbeing, self.wellbeing,
            self.h_review, self.review_date, self.review_note,
        ])
        for control in (*self.protocol_checks.values(), *self.responsible.values(), self.checkin_schedule,
                        self.checkin_with, self.checkin_missed, self.contacts, *self.digital.values(),
                        self.information, self.wellbeing, self.review_date):
            control.observe(on_change, names="value")

    def relabel(self, lang: str, implied: list[str]) -> None:
        manuals = format_list([t(protection.MANUAL_FLD, lang), t(protection.MANUAL_PI, lang)], lang)
        self.heading.value = (_h("h3", t("risk.section.security_plan", lang))
                              + _h("p", t("risk.security.intro", lang))
                              + _h("p", t("risk.manuals.source", lang, manuals=manuals), "sp-cite"))
        self.show_implied(lang, implied)
        for protocol in security_plan.PROTOCOLS:
            self.protocol_checks[protocol.id].description = t(protocol.title_key, lang)
            steps = "".join(_h("li", t(k, lang)) for k in protocol.step_keys)
            self.protocol_steps[protocol.id].value = f"<ol>{steps}</ol>"
            self.responsible[protocol.id].description = t("risk.field.responsible", lang)
            self.responsible[protocol.id].placeholder = t("risk.field.responsible.placeholder", lang)
        self.h_checkin.value = _h("h4", t("risk.section.checkins", lang))
        self.checkin_schedule.description = t("risk.field.checkin_schedule", lang)
        set_options(self.checkin_schedule, [(t("risk.checkin.none", lang), "")]
                    + [(t(security_plan.CHECKIN_KEYS[s], lang), s) for s in security_plan.CHECKIN_SCHEDULES])
        self.checkin_with.description = t("risk.field.checkin_with", lang)
        self.checkin_missed.description = t("risk.field.checkin_missed", lang)
        self.checkin_missed.placeholder = t("risk.field.checkin_missed.placeholder", lang)
        self.h_contacts.value = (_h("h4", t("risk.section.contacts", lang))
                                 + _h("p", t("risk.contacts.help", lang)))
        self.contacts.description = t("risk.field.contacts", lang)
        self.contacts.placeholder = t("risk.field.contacts.placeholder", lang)
        self.h_digital.value = _h("h4", t("risk.section.digital", lang))
        for check_id, area, key in security_plan.DIGITAL_CHECKS:
            self.digital[check_id].description = (
                f"{t(security_plan.DIGITAL_AREA_KEYS[area], lang)} · {t(key, lang)}")
        self.information.description = t("risk.field.information", lang)
        self.information.placeholder = t("risk.field.information.placeholder", lang)
        self.h_wellbeing.value = _h("h4", t("risk.section.wellbeing", lang)) + _h("p", t("risk.wellbeing.prompt", lang))
        self.wellbeing.description = t("risk.field.wellbeing", lang)
        self.h_review.value = _h("h4", t("risk.section.review", lang)) + _h("p", t("risk.review.help", lang))
        self.review_date.description = t("risk.field.review_date", lang)

    def show_implied(self, lang: str, implied: list[str]) -> None:
        names = format_list([t(security_plan.PROTOCOL_BY_ID[p].title_key, lang) for p in implied], lang)
        self.protocols_help.value = _h("p", t("risk.protocols.implied", lang, protocols=names) if implied
                                       else t("risk.protocols.none_implied", lang))

    def show_review(self, lang: str, plan: security_plan.SecurityPlan, today: date | None = None) -> None:
        status = plan.review_status(today)
        if status == "due" and plan.review_date is not None:  # "due" means there is a date
            self.review_note.value = ('<div class="sp-warning sp-review-due" role="alert">'
                                      + safe_text.html_text(t("risk.review.on", lang, date=reprisals.format_day(
                                          plan.review_date, lang)) + " " + t("risk.review.due", lang)) + "</div>")
        else:
            self.review_note.value = ""

    @staticmethod
    def _parse_contacts(text: str) -> list[security_plan.EmergencyContact]:
        contacts = []
        for line in text.splitlines():
            if not line.strip():
                continue
            parts = [p.strip() for p in line.replace("；", ";").split(";")]
            parts += [""] * (3 - len(parts))
            contacts.append(security_plan.EmergencyContact(parts[0], parts[1], "; ".join(parts[2:]).strip("; ")))
        return contacts[: security_plan.MAX_CONTACTS]

    def plan(self) -> security_plan.SecurityPlan:
        return security_plan.SecurityPlan(
            protocols=[p for p, box in self.protocol_checks.items() if box.value],
            responsible={p: box.value for p, box in self.responsible.items() if box.value},
            checkin_schedule=self.checkin_schedule.value or "",
            checkin_with=self.checkin_with.value, checkin_missed=self.checkin_missed.value,
            contacts=self._parse_contacts(self.contacts.value),
            digital_done=[d for d, box in self.digital.items() if box.value],
            information=self.information.value, wellbeing=self.wellbeing.value,
            review_date=self.review_date.value)

    def load(self, plan: security_plan.SecurityPlan) -> None:
        for p, box in self.protocol_checks.items():
            box.value = p in plan.protocols
        for p, box in self.responsible.items():
            box.value = plan.responsible.get(p, "")
        self.checkin_schedule.value = plan.checkin_schedule
        self.checkin_with.value = plan.checkin_with
        self.checkin_missed.value = plan.checkin_missed
        self.contacts.value = "\n".join("; ".join(x for x in (c.name, c.role, c.reach)) for c in plan.contacts)
        for d, box in self.digital.items():
            box.value = d in plan.digital_done
        self.information.value = plan.information
        self.wellbeing.value = plan.wellbeing
        self.review_date.value = plan.review_date
