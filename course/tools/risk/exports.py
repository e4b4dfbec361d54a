"""Exports of a risk register and its reprisal plan: Markdown, Word (.docx) and the matrix chart.

Plain Python, no widgets. Every export is built from the rules' data
(:class:`~course.tools.risk.rules.RiskRegister`, :func:`~course.tools.risk.rules.conclusion`,
:func:`~course.tools.risk.reprisals.plan_sections`), never from another export's text.
Typed text is escaped with :mod:`course.safe_text` for each format.
"""
from __future__ import annotations

import io
from datetime import date

from ... import safe_text
from ...i18n import format_list, label_value, t
from . import reprisals
from .rules import (
    LEVEL_KEYS,
    LEVELS,
    MITIGATION_IDS,
    SCALE,
    Conclusion,
    RiskItem,
    RiskRegister,
    cite,
    conclusion,
    label,
    level,
    level_rank,
    matrix_counts,
)


def _mitigations_text(mitigations: list[str], lang: str) -> str:
    return format_list(mitigations, lang) if mitigations else t("risk.mitigations.none", lang)


def plan_markdown_lines(sections: list[reprisals.PlanSection]) -> list[str]:
    """The reprisal plan's sections as Markdown lines (texts already escaped by ``plan_sections``)."""
    lines: list[str] = []
    for index, section in enumerate(sections):
        if index:
            lines.append("")
        lines += ["### " + section.heading, ""]
        lines += ["- " + bullet for bullet in section.bullets]
        if section.bullets and section.paragraphs:
            lines.append("")
        lines += list(section.paragraphs)
    return lines


def _conclusion_text(result: Conclusion, lang: str) -> list[str]:
    """Plain sentences (not escaped; contain no user text)."""
    lines = [t(result.message_key, lang)]
    if result.items_above:
        lines.append(t("risk.conclusion.items_above", lang,
                       items=format_list([f"R{n}" for n in result.items_above], lang)))
    if result.items_unassessed:
        lines.append(t("risk.conclusion.items_unassessed", lang,
                       items=format_list([f"R{n}" for n in result.items_unassessed], lang)))
    if result.items_uncredited:
        lines.append(t("risk.conclusion.items_uncredited", lang,
                       items=format_list([f"R{n}" for n in result.items_uncredited], lang)))
    if result.items_unanalysed:
        lines.append(t("risk.conclusion.items_unanalysed", lang,
                       items=format_list([f"R{n}" for n in result.items_unanalysed], lang)))
    if result.kind == "above_threshold":
        lines.append(t("risk.conclusion.field_terms", lang))
    if result.missing_steps and result.kind != "empty":
        lines.append(t("risk.conclusion.missing_steps", lang,
                       steps=format_list([label(s, lang) for s in result.missing_steps], lang)))
    lines.append(t("risk.source", lang, source=cite(result.citation, lang)))
    return lines


def _level_text(level_id: str | None, lang: str) -> str:
    return t(LEVEL_KEYS[level_id], lang) if level_id else t("risk.residual.not_assessed", lang)


def to_markdown(register: RiskRegister, lang: str, today: date | None = None) -> str:
    """The register, conclusion and reprisal plan as Markdown; typed text is escaped."""
    md = safe_text.markdown_text
    result = conclusion(register)
    out: list[str] = ["# " + t("risk.export.heading", lang), ""]
    if register.title:
        out += ["**" + t("risk.field.title", lang) + "** " + md(register.title), ""]
    out += [t("risk.export.private", lang), ""]
    out += ["**" + t("risk.field.threshold", lang) + "** " + t(LEVEL_KEYS[register.threshold_level], lang), ""]
    field = field_sections(register, lang, md, today=today)
    out += sections_markdown(field[:5])  # method, context and allies, people at risk, incidents, threat analysis
    out += ["## " + t("risk.export.register", lang), ""]
    if not register.items:
        out += [t("risk.register.empty", lang), ""]
    else:
        head = [t("risk.col.number", lang), t("risk.col.who", lang), t("risk.col.threat", lang),
                t("risk.col.likelihood", lang), t("risk.col.impact", lang), t("risk.col.level", lang),
                t("risk.col.residual", lang)]
        out.append("| " + " | ".join(head) + " |")
        out.append("|" + "---|" * len(head))
        for n, item in enumerate(register.items, 1):
            cells = [f"R{n}", label(item.who, lang), md(safe_text.preview(item.threat_label(lang), 120)),
                     str(item.likelihood), str(item.impact), t(LEVEL_KEYS[item.level], lang),
                     _level_text(item.residual_level, lang)]
            out.append("| " + " | ".join(cells) + " |")
        out.append("")
        for n, item in enumerate(register.items, 1):
            out += [f"### R{n}. " + label_value(label(item.who, lang), md(item.threat_label(lang)), lang), ""]
            mitigations = [label(m, lang) for m in MITIGATION_IDS if m in item.mitigations]
            out.append("- " + label_value(t("risk.col.mitigations", lang), _mitigations_text(mitigations, lang), lang))
            if item.note:
                out += ["- " + label_value(t("risk.col.note", lang), "", lang).rstrip(), "", md(item.note)]
            out.append("")
    out += ["## " + t("risk.export.conclusion", lang), ""]
    out += [line + "\n" for line in _conclusion_text(result, lang)]
    out += ["## " + t("reprisals.heading", lang), ""]
    sections = reprisals.plan_sections(register.mandate_engaged, register.reprisal_date(), lang, md, today=today)
    for line in plan_markdown_lines(sections):
        out.append(line if not line or line.startswith(("- ", "#")) else line + "\n")
    if register.plan_note:
        out += ["", "**" + t("risk.field.plan_note", lang) + "**", "", md(register.plan_note)]
    out += ["", "## " + t("risk.section.security_plan", lang), ""]
    out += sections_markdown(field[5:], level=3)
    out += ["", t("reprisals.nothing_sent", lang), ""]
    return "\n".join(out)


def to_docx(register: RiskRegister, lang: str, today: date | None = None) -> bytes:
    """The same content as :func:`to_markdown` as a Word document (python-docx)."""
    from docx import Document  # imported here: python-docx is slow to import

    x = safe_text.xml_safe
    result = conclusion(register)
    doc = Document()
    doc.add_heading(x(t("risk.export.heading", lang)), level=0)
    if register.title:
        doc.add_paragraph(x(t("risk.field.title", lang) + " " + register.title))
    doc.add_paragraph(x(t("risk.export.private", lang)))
    doc.add_paragraph(x(t("risk.field.threshold", lang) + " " + t(LEVEL_KEYS[register.threshold_level], lang)))
    field = field_sections(register, lang, None, today=today)
    sections_docx(doc, field[:5])
    doc.add_heading(x(t("risk.export.register", lang)), level=1)
    if not register.items:
        doc.add_paragraph(x(t("risk.register.empty", lang)))
    else:
        head = [t("risk.col.number", lang), t("risk.col.who", lang), t("risk.col.threat", lang),
                t("risk.col.likelihood", lang), t("risk.col.impact", lang), t("risk.col.level", lang),
                t("risk.col.residual", lang)]
        table = doc.add_table(rows=1, cols=len(head))
        table.style = "Table Grid"
        for cell, text in zip(table.rows[0].cells, head):
            cell.text = x(text)
        for n, item in enumerate(register.items, 1):
            row = table.add_row().cells
            values = [f"R{n}", label(item.who, lang), safe_text.preview(item.threat_label(lang), 120),
                      str(item.likelihood), str(item.impact), t(LEVEL_KEYS[item.level], lang),
                      _level_text(item.residual_level, lang)]
            for cell, text in zip(row, values):
                cell.text = x(text)
        for n, item in enumerate(register.items, 1):
            doc.add_heading(x(f"R{n}. " + label_value(label(item.who, lang), item.threat_label(lang), lang)), level=2)
            mitigations = [label(m, lang) for m in MITIGATION_IDS if m in item.mitigations]
            doc.add_paragraph(x(label_value(t("risk.col.mitigations", lang), _mitigations_text(mitigations, lang), lang)))
            if item.note:
                doc.add_paragraph(x(label_value(t("risk.col.note", lang), "", lang).rstrip()))
                doc.add_paragraph(x(item.note))
    doc.add_heading(x(t("risk.export.conclusion", lang)), level=1)
    for line in _conclusion_text(result, lang):
        doc.add_paragraph(x(line))
    doc.add_heading(x(t("reprisals.heading", lang)), level=1)
    # Built from the plan's sections, not from its Markdown.
    for section in reprisals.plan_sections(register.mandate_engaged, register.reprisal_date(), lang, None,
                                           today=today):
        doc.add_heading(x(section.heading), level=2)
        for bullet in section.bullets:
            doc.add_paragraph(x(bullet), style="List Bullet")
        for paragraph in section.paragraphs:
            doc.add_paragraph(x(paragraph))
    if register.plan_note:
        doc.add_paragraph(x(t("risk.field.plan_note", lang)))
        doc.add_paragraph(x(register.plan_note))
    doc.add_heading(x(t("risk.section.security_plan", lang)), level=1)
    sections_docx(doc, field[5:], level=2)
    doc.add_paragraph(x(t("reprisals.nothing_sent", lang)))
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()


# --------------------------------------------------------------------------- chart

LEVEL_COLOURS = {"low": "#b9e3be", "medium": "#fbe38e", "high": "#f7b267", "critical": "#e8777a"}
"""Cell colours of the matrix (text on them stays dark enough to read)."""


def _offsets(count: int) -> list[tuple[float, float]]:
    """Spread ``count`` labels inside one cell (below its level name) so none hides another.

    Labels sit to the right of their marker, so items stack vertically first; a
    second column starts only from four items on.
    """
    columns = 1 if count <= 3 else 2
    rows = -(-count // columns)
    step_x = 0.45
    step_y = min(0.22, 0.6 / max(rows, 1))
    spots = []
    for k in range(count):
        col, row = k % columns, k // columns
        x = -0.3 + col * step_x if columns > 1 else -0.12
        y = 0.08 - row * step_y - (0.0 if rows > 1 else 0.12)
        spots.append((x, y))
    return spots


def heatmap_figure(register: RiskRegister, lang: str):
    """A plotly ``go.Figure``: the 5x5 grid coloured by level, each item labelled R1, R2 ...

    Ratings after mitigation are drawn as hollow markers (R1′) with an arrow from
    the initial rating. Typed text only reaches the hover labels, HTML-escaped.
    """
    import plotly.graph_objects as go  # imported here: plotly is slow to import

    from ...plotly_config import hide_plotly_logo

    hide_plotly_logo()

    names = {lv: t(LEVEL_KEYS[lv], lang) for lv in LEVELS}
    ranks = [[level_rank(level(lik, imp)) for lik in SCALE] for imp in SCALE]
    texts = [[names[level(lik, imp)] for lik in SCALE] for imp in SCALE]
    colours = [LEVEL_COLOURS[lv] for lv in LEVELS]
    scale = []
    for k, colour in enumerate(colours):
        scale += [[k / 4, colour], [(k + 1) / 4, colour]]
    fig = go.Figure()
    fig.add_trace(go.Heatmap(
        x=list(SCALE), y=list(SCALE), z=ranks, colorscale=scale, zmin=-0.5, zmax=3.5,
        showscale=False, hoverinfo="skip", xgap=2, ygap=2,
    ))
    # The level name of each cell, small, in its top-left corner, clear of the item labels.
    for row, imp in enumerate(SCALE):
        for col, lik in enumerate(SCALE):
            fig.add_annotation(x=lik - 0.46, y=imp + 0.44, text=texts[row][col], showarrow=False,
                               xanchor="left", yanchor="top", font={"size": 10, "color": "#333"})

    def hover(n: int, item: RiskItem, lv: str) -> str:
        threat = safe_text.html_text(safe_text.preview(item.threat_label(lang), 60))
        return f"R{n}: {safe_text.html_text(label(item.who, lang))} · {threat} ({names[lv]})"

    # Every marker of a cell gets its own place, the ratings before and after measures together
    # (a risk rated into a cell another risk already occupies must not hide it).
    placed: dict[tuple[int, bool], tuple[float, float]] = {}
    cells: dict[tuple[int, int], list[tuple[int, bool]]] = {}
    for residual in (False, True):
        for cell, numbers in matrix_counts(register.items, residual=residual).items():
            cells.setdefault(cell, []).extend((n, residual) for n in numbers)
    for markers in cells.values():
        placed.update(zip(markers, _offsets(len(markers))))

    for residual in (False, True):
        xs, ys, labels, hovers = [], [], [], []
        for (lik, imp), numbers in matrix_counts(register.items, residual=residual).items():
            for n in numbers:
                dx, dy = placed[(n, residual)]
                item = register.items[n - 1]
                lv = item.residual_level if residual else item.level
                if lv is None:  # never: with residual=True matrix_counts keeps only items rated after measures
                    continue
                xs.append(lik + dx)
                ys.append(imp + dy)
                labels.append(f"R{n}′" if residual else f"R{n}")
                hovers.append(hover(n, item, lv))
        fig.add_trace(go.Scatter(
            x=xs, y=ys, text=labels, hovertext=hovers, hoverinfo="text",
            mode="markers+text", textposition="middle right", textfont={"size": 12, "color": "#111"},
            marker={"size": 11, "color": "#ffffff" if residual else "#1f2d4d",
                    "line": {"width": 2, "color": "#1f2d4d"}, "symbol": "circle"},
            name=t("risk.chart.after", lang) if residual else t("risk.chart.before", lang),
            showlegend=True,
        ))
    fig.update_layout(
        title={"text": t("risk.chart.title", lang, threshold=names[register.threshold_level])},
        xaxis={"title": {"text": t("risk.chart.x", lang)}, "tickvals": list(SCALE), "range": [0.5, 5.5],
               "fixedrange": True, "showgrid": False, "zeroline": False},
        yaxis={"title": {"text": t("risk.chart.y", lang)}, "tickvals": list(SCALE), "range": [0.5, 5.5],
               "fixedrange": True, "showgrid": False, "zeroline": False},
        width=640, height=600, margin={"l": 70, "r": 20, "t": 60, "b": 60},
        legend={"orientation": "h", "y": -0.15},
        plot_bgcolor="#ffffff", paper_bgcolor="#ffffff", template="none",
        font={"family": 'system-ui, "Noto Sans CJK SC", "Noto Sans", sans-serif'},
        meta={"lang": lang},
    )
    return fig


# --------------------------------------------------------------------------- the field's plan

from dataclasses import dataclass as _dataclass  # noqa: E402

from . import protection, security_plan  # noqa: E402


@_dataclass(frozen=True)
class Section:
    """One part of the plan as data: heading, paragraphs, bullets and an optional table.

    Texts are translated; typed text has gone through the renderer's ``escape``.
    """

    heading: str
    paragraphs: tuple[str, ...] = ()
    bullets: tuple[str, ...] = ()
    head: tuple[str, ...] = ()
    rows: tuple[tuple[str, ...], ...] = ()


def _rating_text(value, keys, lang: str) -> str:
    return f"{value} · {t(keys[value], lang)}" if value is not None else t("risk.analysis.not_rated", lang)


def _typed(text: str, escape, limit: int | None = None) -> str:
    text = safe_text.preview(text, limit) if limit else text
    return escape(text) if escape else text


def field_sections(register: RiskRegister, lang: str, escape=None, today: date | None = None) -> list[Section]:
    """Method, context and allies, people at risk, the incident log, the threat analysis, then the
    security plan (:func:`security_sections`), in that order.

    ``escape`` is applied to every typed text (a renderer passes its own).
    """
    out: list[Section] = []
    steps = [label_value(t(key, lang), format_list([t(m, lang) for m in manuals], lang), lang)
             for _id, key, manuals in protection.STEPS]
    out.append(Section(t("risk.export.method", lang), (t("risk.method.intro", lang),), tuple(steps)))
    context = []
    if register.context.strip():
        context += [_field(t("risk.field.context", lang), _typed(register.context, escape), lang)]
    if register.allies.strip():
        context += [_field(t("risk.field.allies", lang), _typed(register.allies, escape), lang)]
    out.append(Section(t("risk.section.context", lang), tuple(context or [t("risk.export.none", lang)])))

    groups = []
    for group in register.groups:
        vulns = format_list([t(protection.VULNERABILITY_FACTOR_KEYS[v], lang) for v in group.vulnerabilities], lang)
        caps = format_list([t(protection.CAPACITY_FACTOR_KEYS[c], lang) for c in group.capacities], lang)
        text = label_value(
            label(group.who, lang),
            join_parts([
                label_value(t("risk.col.vulnerability", lang),
                            _rating_text(group.vulnerability, protection.VULNERABILITY_KEYS, lang)
                            + (t("risk.export.factors", lang, factors=vulns) if vulns else ""), lang),
                label_value(t("risk.col.capacity", lang),
                            _rating_text(group.capacity, protection.CAPACITY_KEYS, lang)
                            + (t("risk.export.factors", lang, factors=caps) if caps else ""), lang),
            ] + ([_typed(group.note, escape)] if group.note.strip() else []), lang), lang)
        groups.append(text)
    out.append(Section(t("risk.section.groups", lang), (), tuple(groups) or (t("risk.export.none", lang),)))

    incident_head = (t("risk.col.date", lang), t("risk.col.what", lang), t("risk.col.incident_who", lang),
                     t("risk.col.where", lang), t("risk.col.threat", lang), t("risk.col.reported", lang),
                     t("risk.col.cycle", lang))
    incident_rows = []
    for incident in sorted(register.incidents, key=lambda i: i.day):
        reported = (t("risk.incident.reported_to", lang, to=_typed(incident.reported_to, escape, 80))
                    if incident.reported else t("risk.incident.not_reported", lang))
        try:
            cycle = incident.cycle(today=today)
            cycle_text = t("risk.incident.cycle", lang, deadline=reprisals.format_day(
                cycle.submission_deadline if cycle.status == "open" else cycle.next_deadline, lang))
        except reprisals.ReprisalError as exc:
            cycle_text = exc.message(lang)
        incident_rows.append((reprisals.format_day(incident.day, lang), _typed(incident.what, escape, 200),
                              _typed(incident.who, escape, 80), _typed(incident.where, escape, 80),
                              label(incident.form, lang) if incident.form else "—", reported, cycle_text))
    out.append(Section(t("risk.section.incidents", lang),
                       () if incident_rows else (t("risk.export.none", lang),), (),
                       incident_head if incident_rows else (), tuple(incident_rows)))
    head = (t("risk.col.number", lang), t("risk.col.who", lang), t("risk.col.threat", lang),
            t("risk.col.actor", lang), t("risk.col.intent", lang), t("risk.col.capability", lang),
            t("risk.col.formula", lang), t("risk.col.level", lang), t("risk.col.after", lang))
    rows = []
    notes = []
    for n, item in enumerate(register.items, 1):
        result = register.analysis(item)
        actor = join_parts([t(protection.ACTOR_KEYS[item.actor_kind], lang)] if item.actor_kind else [], lang)
        if item.actor.strip():
            actor = join_parts([x for x in (actor, _typed(item.actor, escape, 80)) if x], lang)
        if result:
            formula = t("risk.analysis.formula", lang, threat=result.threat, vulnerability=result.vulnerability,
                        capacity=result.capacity, value=protection.format_value(result.value))
            after = t("risk.analysis.value_level", lang, value=protection.format_value(result.after_value),
                      level=t(LEVEL_KEYS[result.after_level], lang))
            lv = t(LEVEL_KEYS[result.level], lang)
            if result.uncredited:
                notes.append(t("risk.analysis.uncredited", lang, number=f"R{n}",
                               terms=format_list([t(protection.TERM_KEYS[x], lang) for x in result.uncredited], lang)))
        else:
            formula, lv, after = t("risk.analysis.not_rated", lang), "", ""
        suggested = register.suggested_intent(item)
        if suggested and (item.intent or 0) < suggested:
            notes.append(t("risk.analysis.incident_evidence", lang, number=f"R{n}"))
        rows.append((f"R{n}", label(item.who, lang), _typed(item.threat_label(lang), escape, 120), actor or "—",
                     str(item.intent or "—"), str(item.capability or "—"), formula, lv or "—", after or "—"))
    out.append(Section(t("risk.section.analysis", lang),
                       (t("risk.analysis.bands", lang),) + tuple(notes)
                       + (t("risk.source", lang, source=cite(protection.CITE_REPRISALS, lang)),),
                       (), head if rows else (), tuple(rows)))

    out += security_sections(register, lang, escape, today)
    return out


def _field(name: str, value: str, lang: str) -> str:
    """``"Context: value"`` for a field label that already ends with its colon (``"背景：value"``)."""
    del lang  # the label carries the reader's colon
    return name + ("" if name.endswith(("：", "\uff1a")) else " ") + value


def join_parts(parts: list[str], lang: str) -> str:
    from ...i18n import join

    return join([p for p in parts if p], lang)


def security_sections(register: RiskRegister, lang: str, escape=None, today: date | None = None) -> list[Section]:
    """The security plan: protocols, check-ins, contacts, digital security, well-being, review."""
    plan = register.security
    out: list[Section] = []
    chosen = plan.protocols or register.implied_protocols()
    for protocol_id in chosen:
        protocol = security_plan.PROTOCOL_BY_ID[protocol_id]
        paragraphs = []
        typed = plan.responsible.get(protocol_id, "")
        if typed.strip():
            paragraphs.append(_field(t("risk.field.responsible", lang), _typed(typed, escape), lang))
        out.append(Section(t("risk.export.protocol", lang, name=t(protocol.title_key, lang)), tuple(paragraphs),
                           tuple(t(k, lang) for k in protocol.step_keys)))
    checkin = []
    if plan.checkin_schedule:
        checkin.append(_field(t("risk.field.checkin_schedule", lang),
                                   t(security_plan.CHECKIN_KEYS[plan.checkin_schedule], lang), lang))
    if plan.checkin_with.strip():
        checkin.append(_field(t("risk.field.checkin_with", lang), _typed(plan.checkin_with, escape), lang))
    if plan.checkin_missed.strip():
        checkin.append(_field(t("risk.field.checkin_missed", lang), _typed(plan.checkin_missed, escape), lang))
    out.append(Section(t("risk.section.checkins", lang), (), tuple(checkin) or (t("risk.export.none", lang),)))
    contacts = [join_parts([_typed(c.name, escape, 80), _typed(c.role, escape, 80), _typed(c.reach, escape, 120)],
                           lang) for c in plan.contacts]
    contacts += reprisals.contact_lines(register.mandate_engaged, lang, escape)
    out.append(Section(t("risk.section.contacts", lang),
                       (t("reprisals.source", lang, source=reprisals.cite(reprisals.CITE_CONTACTS, lang)),),
                       tuple(contacts)))
    digital = []
    for check_id, area, key in security_plan.DIGITAL_CHECKS:
        mark = "☑" if check_id in plan.digital_done else "☐"
        digital.append(f"{mark} {t(security_plan.DIGITAL_AREA_KEYS[area], lang)} · {t(key, lang)}")
    paragraphs = []
    if plan.information.strip():
        paragraphs.append(_field(t("risk.field.information", lang), _typed(plan.information, escape), lang))
    out.append(Section(t("risk.section.digital", lang), tuple(paragraphs), tuple(digital)))
    out.append(Section(t("risk.section.wellbeing", lang),
                       (t("risk.wellbeing.prompt", lang),)
                       + ((_typed(plan.wellbeing, escape),) if plan.wellbeing.strip() else ())))
    if plan.review_date:
        review = t("risk.review.on", lang, date=reprisals.format_day(plan.review_date, lang))
        if plan.review_status(today) == "due":
            review += " " + t("risk.review.due", lang)
    else:
        review = t("risk.review.none", lang)
    out.append(Section(t("risk.section.review", lang), (review,)))
    return out


def sections_markdown(sections: list[Section], level: int = 2) -> list[str]:
    """Markdown lines for :func:`field_sections` (texts already escaped)."""
    lines: list[str] = []
    for section in sections:
        lines += ["#" * level + " " + section.heading, ""]
        for paragraph in section.paragraphs:
            lines += [paragraph, ""]
        if section.bullets:
            lines += ["- " + b for b in section.bullets] + [""]
        if section.rows:
            lines.append("| " + " | ".join(section.head) + " |")
            lines.append("|" + "---|" * len(section.head))
            lines += ["| " + " | ".join(c.replace("\n", " ") for c in row) + " |" for row in section.rows]
            lines.append("")
    return lines


def sections_docx(doc, sections: list[Section], level: int = 1) -> None:
    """Add :func:`field_sections` to a python-docx document."""
    x = safe_text.xml_safe
    for section in sections:
        doc.add_heading(x(section.heading), level=level)
        for paragraph in section.paragraphs:
            doc.add_paragraph(x(paragraph))
        for bullet in section.bullets:
            doc.add_paragraph(x(bullet), style="List Bullet")
        if section.rows:
            table = doc.add_table(rows=1, cols=len(section.head))
            table.style = "Table Grid"
            for cell, text in zip(table.rows[0].cells, section.head):
                cell.text = x(text)
            for row in section.rows:
                for cell, text in zip(table.add_row().cells, row):
                    cell.text = x(text)
