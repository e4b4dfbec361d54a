"""Exports of a :class:`course.tools.drafting.rules.Submission`: Markdown, Word (.docx) and JSON.

The document is meant for the UN, so its language (``lang``) may differ from the
interface language: English by default, since submissions should be written in
English, French or Spanish (ISHR Practical Guide (2025), ch. III, 3). Every value the
user typed is escaped (:mod:`course.safe_text`); fields the user marked confidential
carry a visible mark, because those parts must not reach the government
(ISHR Practical Guide (2025), ch. IV).

Nothing here writes files or contacts anyone: functions return text or bytes.
"""
from __future__ import annotations

import io
from datetime import date
from typing import Any

from ... import safe_text
from ...i18n import N_, t
from . import profiles
from .rules import (
    CHOICE_KEYS,
    COMM_TYPE_KEYS,
    GROUP_NAME_KEY,
    PROFILE_KEYS,
    PUBLIC_NAMING_KEY,
    PUBLIC_NAMING_KEYS,
    SOURCE_KEYS,
    SOURCE_TYPES,
    VICTIM_FIELDS,
    WGAD_CATEGORY_KEYS,
    Submission,
    _script_of,
    field_label,
    get_value,
)

EAST_ASIAN_FONT = "Microsoft YaHei"
"""Named on every run for Chinese text; Word and LibreOffice substitute a CJK font if absent."""
LATIN_FONT = "Calibri"


def export_filename(extension: str, today: date | None = None) -> str:
    """A neutral file name (no names of people in it): ``sp-submission-2025-06-30.md``."""
    return f"sp-submission-{(today or date.today()).isoformat()}.{extension}"


def _label(label: str, lang: str) -> str:
    """``Label:`` in the document language, without a colon after a question mark."""
    if label.rstrip().endswith(("?", "？", ":", "：")):
        return label
    return t("submission.export.label", lang, label=label)


def to_json(sub: Submission) -> str:
    return sub.to_json()


# --------------------------------------------------------------------------- shared layout
def _format_value(value: Any, path: str, lang: str) -> str:
    if value is True:
        return t("submission.yes", lang)
    if value is False:
        return t("submission.no", lang)
    if path in CHOICE_KEYS:
        keys = CHOICE_KEYS[path]
        return t(keys[value], lang) if value in keys else ""
    if isinstance(value, list):  # WGAD categories
        return "; ".join(t(WGAD_CATEGORY_KEYS[v], lang) for v in value if v in WGAD_CATEGORY_KEYS)
    return safe_text.clean(value).strip()


def _victim_rows(sub: Submission, lang: str) -> list[tuple[str, str, str]]:
    rows: list[tuple[str, str, str]] = []
    for index, victim in enumerate(sub.victims):
        heading_key = N_("submission.group_heading") if victim.is_group else N_("submission.victim_heading")
        heading = t(heading_key, lang, number=index + 1)
        for name, key in VICTIM_FIELDS:
            text = safe_text.clean(getattr(victim, name)).strip()
            if not text:
                continue
            label_key = GROUP_NAME_KEY if (victim.is_group and name == "name") else key
            rows.append((f"victims.{index}.{name}", f"{heading} – {t(label_key, lang)}", text))
        if victim.public_naming in PUBLIC_NAMING_KEYS:
            rows.append((f"victims.{index}.public_naming", f"{heading} – {t(PUBLIC_NAMING_KEY, lang)}",
                         t(PUBLIC_NAMING_KEYS[victim.public_naming], lang)))
    return rows


def _field_row(sub: Submission, path: str, lang: str) -> tuple[str, str, str] | None:
    value = get_value(sub, path)
    text = _format_value(value, path, lang) if value is not None else ""
    return (path, field_label(path, lang), text) if text else None


def _blocks(sub: Submission, lang: str) -> list[tuple[str, list[tuple[str, str, str]]]]:
    """``[(section title, [(path, label, text), ...]), ...]`` in the order of the draft's profile
    (:data:`course.tools.drafting.profiles.PROFILE_ORDER`), with only the answered fields.

    Fields filled under another profile are not dropped: they close the document under
    "Other information"."""
    out: list[tuple[str, list[tuple[str, str, str]]]] = []
    for section in profiles.sections_for(sub.profile):
        rows: list[tuple[str, str, str]] = []
        for path in section.paths:
            if path == profiles.VICTIMS:
                rows += _victim_rows(sub, lang)
            elif (row := _field_row(sub, path, lang)):
                rows.append(row)
        out.append((t(section.title_key, lang), rows))
    other = [row for path in profiles.unplaced_filled(sub) if (row := _field_row(sub, path, lang))]
    if other:
        out.append((t(profiles.OTHER_SECTION_KEY, lang), other))
    return out


def _summary(sub: Submission, lang: str, mandate_names: dict[str, str] | None) -> list[tuple[str, str]]:
    names = mandate_names or {}
    not_stated = t("submission.not_stated", lang)
    comm = t(COMM_TYPE_KEYS[sub.comm_type], lang) if sub.comm_type in COMM_TYPE_KEYS else not_stated
    mandates = "; ".join(safe_text.clean(names.get(m, m)) for m in sub.mandate_ids) or not_stated
    sources = ", ".join(t(SOURCE_KEYS[s], lang) for s in SOURCE_TYPES if s in sub.source_types) or not_stated
    return [
        (t("submission.export.profile", lang), t(PROFILE_KEYS.get(sub.profile, PROFILE_KEYS["general"]), lang)),
        (t("submission.export.subject", lang), profiles.subject_line(sub, lang, names)),
        (t("submission.export.type", lang), comm),
        (t("submission.export.mandates", lang), mandates),
        (t("submission.export.sources", lang), sources),
    ]


def _title(sub: Submission, lang: str) -> str:
    return safe_text.clean(sub.title).strip() or t("submission.export.title", lang)


# --------------------------------------------------------------------------- Markdown
def to_markdown(sub: Submission, lang: str = "en", mandate_names: dict[str, str] | None = None) -> str:
    """The draft as Markdown in the document language ``lang``; typed text is escaped.

    Cover: title, profile, a suggested e-mail subject line, type, mandates, sources and the list of
    what is still missing; then the profile's sections in the receiver's order."""
    mark = t("submission.export.confidential", lang)
    lines = [f"# {safe_text.markdown_text(_title(sub, lang))}", ""]
    lines += [f"*{t('submission.export.draft_note', lang)}*", ""]
    if sub.confidential:
        lines += [f"> **{_label(mark, lang)}** {t('submission.export.confidential_note', lang)}", ""]
    for label, value in _summary(sub, lang, mandate_names):
        lines.append(f"- **{_label(label, lang)}** {safe_text.markdown_text(value)}")
    lines.append("")
    still_missing = profiles.missing(sub, lang)
    if still_missing:
        lines += [f"**{_label(t('submission.export.missing', lang), lang)}**", ""]
        lines += [f"- {safe_text.markdown_text(item)}" for item in still_missing]
        lines.append("")
    for number, (title, rows) in enumerate(_blocks(sub, lang), start=1):
        lines += [f"## {number}. {safe_text.markdown_text(title)}", ""]
        if not rows:
            lines += [f"*{t('submission.export.no_answer', lang)}*", ""]
        for path, label, text in rows:
            prefix = f"**[{mark}]** " if path in sub.confidential else ""
            label_text = _label(safe_text.markdown_text(label), lang)
            lines.append(f"{prefix}**{label_text}**  ")
            lines.append(safe_text.markdown_text(text))
            lines.append("")
    return "\n".join(lines).rstrip() + "\n"


# --------------------------------------------------------------------------- Word
def _is_rtl(text: str) -> bool:
    letters = [ch for ch in text[:500] if ch.isalpha()]
    rtl = sum(_script_of(ch) in ("arabic", "hebrew") for ch in letters)
    return bool(letters) and rtl * 2 >= len(letters)


def _font(run, bold: bool = False, color: tuple[int, int, int] | None = None) -> None:
    from docx.oxml.ns import qn
    from docx.shared import RGBColor

    run.font.name = LATIN_FONT
    run.bold = bold or None
    if color:
        run.font.color.rgb = RGBColor(*color)
    r_fonts = run._element.get_or_add_rPr().get_or_add_rFonts()
    r_fonts.set(qn("w:eastAsia"), EAST_ASIAN_FONT)


def _style_fonts(document) -> None:
    from docx.oxml.ns import qn

    for name in ("Normal", "Title", "Heading 1", "Heading 2"):
        style = document.styles[name]
        style.font.name = LATIN_FONT
        r_fonts = style.element.get_or_add_rPr().get_or_add_rFonts()
        r_fonts.set(qn("w:eastAsia"), EAST_ASIAN_FONT)


def _add_text(paragraph, text: str, **style) -> None:
    from docx.oxml import OxmlElement

    run = paragraph.add_run(safe_text.xml_safe(text))
    _font(run, **style)
    if _is_rtl(text):
        run._element.get_or_add_rPr().append(OxmlElement("w:rtl"))
        paragraph.paragraph_format.element.get_or_add_pPr().append(OxmlElement("w:bidi"))


def to_docx_bytes(sub: Submission, lang: str = "en", mandate_names: dict[str, str] | None = None) -> bytes:
    """The draft as a Word document in the document language ``lang``."""
    from docx import Document  # imported lazily: python-docx is slow to import

    document = Document()
    _style_fonts(document)
    props = document.core_properties  # no names of people in the file's metadata
    props.author = ""
    props.last_modified_by = ""
    props.title = ""
    props.comments = ""
    mark = t("submission.export.confidential", lang)
    red = (0xB3, 0x26, 0x1E)

    heading = document.add_heading(level=0)
    _add_text(heading, _title(sub, lang))
    _add_text(document.add_paragraph(), t("submission.export.draft_note", lang))
    if sub.confidential:
        para = document.add_paragraph()
        _add_text(para, _label(mark, lang) + " ", bold=True, color=red)
        _add_text(para, t("submission.export.confidential_note", lang))
    for label, value in _summary(sub, lang, mandate_names):
        para = document.add_paragraph(style="List Bullet")
        _add_text(para, _label(label, lang) + " ", bold=True)
        _add_text(para, value)
    still_missing = profiles.missing(sub, lang)
    if still_missing:
        _add_text(document.add_paragraph(), _label(t("submission.export.missing", lang), lang), bold=True)
        for item in still_missing:
            _add_text(document.add_paragraph(style="List Bullet"), item)
    for number, (title, rows) in enumerate(_blocks(sub, lang), start=1):
        _add_text(document.add_heading(level=1), f"{number}. {title}")
        if not rows:
            _add_text(document.add_paragraph(), t("submission.export.no_answer", lang))
        for path, label, text in rows:
            para = document.add_paragraph()
            if path in sub.confidential:
                _add_text(para, f"[{mark}] ", bold=True, color=red)
            _add_text(para, _label(label, lang), bold=True)
            _add_text(document.add_paragraph(), text)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
