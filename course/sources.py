"""Citations of the two sources, written the way each language writes them.

Code and data keep one canonical English form ("ISHR Practical Guide (2025), ch. III, 3",
"A/HRC/58/70, para. 8"); :func:`localise` renders it for the reader:
"《实用指南》第三章第3节", "A/HRC/58/70，第8段".
"""
from __future__ import annotations

import re

from .i18n import normalise_lang

_CHAPTERS = {"I": "一", "II": "二", "III": "三", "IV": "四"}
_GUIDE = re.compile(r"ISHR Practical Guide \(2025\), ((?:ch\. (?:IV|III|II|I)(?:, [0-9]+(?: and [0-9]+)*)?(?:; )?)+)")
_CHAPTER_PART = re.compile(r"ch\. (IV|III|II|I)(?:, ([0-9]+(?: and [0-9]+)*))?")
_REPORT = re.compile(r"A/HRC/58/70, paras?\. ([0-9]+)(?:[-–]([0-9]+))?")


def _guide_zh(match: re.Match) -> str:
    parts = []
    for chapter, sections in _CHAPTER_PART.findall(match.group(1)):
        text = f"第{_CHAPTERS[chapter]}章"
        if sections:
            text += "第" + "、".join(sections.split(" and ")) + "节"
        parts.append(text)
    return "《实用指南》" + "；".join(parts)


def _report_zh(match: re.Match) -> str:
    first, last = match.groups()
    return f"A/HRC/58/70，第{first}–{last}段" if last else f"A/HRC/58/70，第{first}段"


def localise(text: str, lang: str) -> str:
    """Every canonical citation inside ``text`` rewritten for ``lang`` (English text is returned as is)."""
    if normalise_lang(lang) == "en":
        return text
    return _REPORT.sub(_report_zh, _GUIDE.sub(_guide_zh, text))
