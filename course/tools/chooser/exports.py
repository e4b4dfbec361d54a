"""Files the chooser offers: a Markdown note of the choice, built from the rules' data.

Plain Python, no widgets. Typed text is escaped with :mod:`course.safe_text`.
"""
from __future__ import annotations

from collections.abc import Iterable

from ... import safe_text
from ...i18n import label_value, normalise_lang, t
from .rules import TYPE_NAME_KEYS, Note, Recommendation, cite_text, mandate_names


def summary_markdown(rec: Recommendation, lang: str, label: str = "", mandate_ids: Iterable[str] | None = None,
                     timeline=None, format_date=None) -> str:
    """A Markdown note of the choice to download: type, reasons, mandates, routes, dates.

    Typed text (``label``) is escaped with :func:`course.safe_text.markdown_text`; nothing
    else typed by the user is included. ``timeline`` is a :class:`course.tools.chooser.timeline.Timeline`.
    """
    lang = normalise_lang(lang)
    md = safe_text.markdown_text
    fmt = format_date or (lambda d: d.isoformat())

    def cited(note: Note) -> str:
        return md(note.text(lang)) + md(cite_text(note.cites, lang))

    lines = ["# " + md(t("chooser.title", lang)), ""]
    typed = safe_text.clean(label).strip()
    if typed:
        lines += ["**" + md(t("chooser.result.case", lang)) + "** " + md(typed), ""]
    if rec.comm_type is None:
        lines += [cited(rec.reasons[0]), ""]
        return "\n".join(lines)
    lines += ["## " + md(t("chooser.result.recommended", lang)) + " " + md(t(TYPE_NAME_KEYS[rec.comm_type], lang)), ""]
    lines += ["## " + md(t("chooser.result.why", lang)), ""]
    lines += ["- " + cited(note) for note in rec.reasons]
    lines += ["- " + cited(rec.tip_experts_decide), ""]
    chosen = list(mandate_ids) if mandate_ids is not None else list(rec.suggested_mandates)
    if chosen:
        names = mandate_names(chosen, lang)
        lines += ["## " + md(t("chooser.result.mandates", lang)), ""]
        lines += [f"- {md(names[m])} (`{m}`)" for m in chosen]
        lines.append("")
    for route in rec.parallel_routes:
        lines += ["## " + md(t(route.name_key, lang)), ""]
        lines += ["- " + md(t(key, lang)) for key in (route.what_key, route.who_may_submit_key,
                                                       route.session_months_text_key)]
        lines += ["- " + cited(note) for note in route.extra]
        lines.append("")
    lines += ["## " + md(t("chooser.result.where", lang)), "", f"- <{rec.where_to_send.online_form}>"]
    lines += ["- " + cited(note) for note in rec.where_to_send.notes]
    lines.append("")
    if timeline is not None:
        lines += ["## " + md(t("chooser.timeline.heading", lang)), ""]
        for milestone in timeline.milestones:
            lines.append("- **" + md(fmt(milestone.on)) + "** "
                         + label_value(md(t(milestone.label_key, lang)), cited(milestone.note), lang))
        lines += ["", "### " + md(t("chooser.timeline.follow_up", lang)), ""]
        lines += ["- " + cited(step.note) for step in timeline.follow_up]
        lines.append("")
    return "\n".join(lines)
