"""One citation type for the course's sources, rendered in each language.

A :class:`Citation` is the ISHR *Practical Guide to the UN Special Procedures* (2025) by
chapter and section, or A/HRC/58/70 by paragraph (or a range), or another document by
its symbol. Code and data may also keep the canonical English form as text
("ISHR Practical Guide (2025), ch. III, 3", "A/HRC/58/70, para. 8"); :func:`parse` reads
it and :func:`localise` rewrites every such citation inside a text for the reader:
"《实用指南》第三章第3节", "A/HRC/58/70，第8段". All wording comes from the
``sources`` catalogue, so a new language adds a catalogue, not Python.
"""
from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from .i18n import N_, join, t

CHAPTERS = ("I", "II", "III", "IV")
"""The guide's four chapters (the course's four modules follow them)."""

CHAPTER_KEYS = {
    "I": N_("sources.chapter.i"),
    "II": N_("sources.chapter.ii"),
    "III": N_("sources.chapter.iii"),
    "IV": N_("sources.chapter.iv"),
}

SECTION_NAMES = {
    "Understanding reprisals": N_("sources.section.understanding_reprisals"),
    "Ensuring safe engagement": N_("sources.section.safe_engagement"),
    "Communications": N_("sources.section.communications"),
}
"""Named sections of the guide, by their canonical English name."""

DETAILS = {
    "tip: whom to contact": N_("sources.detail.tip_contacts"),
    "tip: the Secretary-General's annual report": N_("sources.detail.tip_sg_report"),
}
"""Pointers inside a section (a tip box), by their canonical English text."""

_QUESTION = re.compile(r"^question ([0-9]+)$")
REPORT_SYMBOL = "A/HRC/58/70"
GUIDE_TITLE = "ISHR Practical Guide (2025)"


@dataclass(frozen=True)
class Citation:
    """A source: the guide (``chapter`` with an optional ``section`` and ``detail``), the
    report A/HRC/58/70 (``para``, optionally to ``para_end``), or a document ``symbol``.

    ``section`` is a number ("3"), numbers ("3 and 4"), a named section from
    :data:`SECTION_NAMES` ("Understanding reprisals") or a name and number
    ("Communications 3"). ``detail`` is a key of :data:`DETAILS` or "question N".
    """

    chapter: str | None = None
    section: str | None = None
    para: int | None = None
    para_end: int | None = None
    symbol: str | None = None
    detail: str | None = None

    def __post_init__(self) -> None:
        kinds = (self.chapter is not None) + (self.para is not None) + (self.symbol is not None)
        if kinds != 1:
            raise ValueError("a citation is a guide chapter, a report paragraph or a document symbol")
        if self.chapter is not None and self.chapter not in CHAPTERS:
            raise ValueError(f"the guide has chapters {CHAPTERS}, not {self.chapter!r}")

    @property
    def kind(self) -> str:
        return "guide" if self.chapter is not None else "report" if self.para is not None else "symbol"

    def __str__(self) -> str:
        """The canonical English form (what :func:`parse` reads back)."""
        if self.para is not None:
            if self.para_end is not None:
                return f"{REPORT_SYMBOL}, paras. {self.para}-{self.para_end}"
            return f"{REPORT_SYMBOL}, para. {self.para}"
        if self.symbol is not None:
            return self.symbol
        text = f"{GUIDE_TITLE}, ch. {self.chapter}"
        if self.section:
            text += f", {self.section}"
        if self.detail:
            text += f" ({self.detail})"
        return text

    def part(self, lang: str) -> str:
        """The guide citation without the guide's title: "ch. III, 3" / "第三章第3节".

        Raises ValueError for a report or symbol citation, which has no chapter.
        """
        if self.chapter is None:
            raise ValueError(f"{self} is not a guide citation: it has no chapter")
        chapter = t(CHAPTER_KEYS[self.chapter], lang)
        section = self.section or ""
        name, _, number = section.rpartition(" ")
        if not section:
            text = t("sources.part.chapter", lang, chapter=chapter)
        elif re.fullmatch(r"[0-9]+(?: and [0-9]+)*", section):
            text = t("sources.part.section", lang, chapter=chapter,
                     section=t("sources.section_separator", lang).join(section.split(" and ")))
        elif name in SECTION_NAMES and number.isdigit():
            text = t("sources.part.named_number", lang, chapter=chapter, name=t(SECTION_NAMES[name], lang),
                     section=number)
        else:  # a named section; one the table does not know is shown as written
            name_text = t(SECTION_NAMES[section], lang) if section in SECTION_NAMES else section
            text = t("sources.part.named", lang, chapter=chapter, name=name_text)
        if self.detail:
            question = _QUESTION.match(self.detail)
            if question:
                detail = t("sources.detail.question", lang, number=question.group(1))
            else:
                detail = t(DETAILS[self.detail], lang) if self.detail in DETAILS else self.detail
            text = t("sources.with_detail", lang, citation=text, detail=detail)
        return text

    def text(self, lang: str) -> str:
        """The whole citation in ``lang``."""
        if self.para is not None:
            if self.para_end is not None:
                return t("sources.report_range", lang, first=self.para, last=self.para_end)
            return t("sources.report", lang, para=self.para)
        if self.symbol is not None:
            return self.symbol
        return t("sources.guide", lang, parts=self.part(lang))


def guide(chapter: str, section: str | None = None, detail: str | None = None) -> Citation:
    return Citation(chapter=chapter, section=section, detail=detail)


def report(para: int, para_end: int | None = None) -> Citation:
    return Citation(para=para, para_end=para_end)


def document(symbol: str) -> Citation:
    return Citation(symbol=symbol)


def render(citations: Iterable[Citation], lang: str) -> str:
    """Several citations in ``lang``; consecutive guide citations share one title:
    "《实用指南》第三章第3、4节；第四章"."""
    out: list[str] = []
    guide_parts: list[str] = []
    for citation in citations:
        if citation.kind == "guide":
            guide_parts.append(citation.part(lang))
            continue
        if guide_parts:
            out.append(t("sources.guide", lang, parts=join(guide_parts, lang)))
            guide_parts = []
        out.append(citation.text(lang))
    if guide_parts:
        out.append(t("sources.guide", lang, parts=join(guide_parts, lang)))
    return join(out, lang)


def cited(citations: Iterable[Citation], lang: str) -> str:
    """Sources in brackets as ``lang`` writes them: " (a; b)" / "（a；b）"; "" for none."""
    citations = list(citations)
    return t("common.cited", lang, sources=render(citations, lang)) if citations else ""


_SECTION = r"(?:[0-9]+(?: and [0-9]+)*|(?:" + "|".join(map(re.escape, SECTION_NAMES)) + r")(?: [0-9]+)?)"
_DETAIL = r"(?: \((?:question [0-9]+|" + "|".join(map(re.escape, DETAILS)) + r")\))?"
_GUIDE_PART = r"ch\. (?:IV|III|II|I)(?:, " + _SECTION + r")?" + _DETAIL
_GUIDE = re.compile(re.escape(GUIDE_TITLE) + r", (" + _GUIDE_PART + r"(?:; " + _GUIDE_PART + r")*)")
_PART = re.compile(r"ch\. (IV|III|II|I)(?:, (" + _SECTION + r"))?(?: \(([^)]*)\))?")
_REPORT = re.compile(re.escape(REPORT_SYMBOL) + r", paras?\. ([0-9]+)(?:[-–]([0-9]+))?")


def parse(text: str) -> tuple[Citation, ...]:
    """The citations written in canonical form in ``text``, in order.

    >>> [str(c) for c in parse("ISHR Practical Guide (2025), ch. III, 3 and 4; ch. IV")]
    ['ISHR Practical Guide (2025), ch. III, 3 and 4', 'ISHR Practical Guide (2025), ch. IV']
    """
    found: list[tuple[int, Citation]] = []
    for match in _GUIDE.finditer(text):
        for part in _PART.finditer(match.group(1)):
            found.append((match.start() + part.start(),
                          Citation(chapter=part.group(1), section=part.group(2), detail=part.group(3))))
    for match in _REPORT.finditer(text):
        first, last = match.groups()
        found.append((match.start(), Citation(para=int(first), para_end=int(last) if last else None)))
    return tuple(citation for _, citation in sorted(found, key=lambda item: item[0]))


def localise(text: str, lang: str) -> str:
    """Every canonical citation inside ``text`` rewritten for ``lang``."""
    def guide_sub(match: re.Match) -> str:
        return render(parse(match.group(0)), lang)

    def report_sub(match: re.Match) -> str:
        return render(parse(match.group(0)), lang)

    return _REPORT.sub(report_sub, _GUIDE.sub(guide_sub, text))


def cite(citation: str | Citation | Iterable[Citation], lang: str) -> str:
    """A citation (object, objects or canonical text) in ``lang``, without brackets."""
    if isinstance(citation, Citation):
        return citation.text(lang)
    if isinstance(citation, str):
        return localise(citation, lang)
    return render(citation, lang)
