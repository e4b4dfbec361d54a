"""Citations read naturally in both languages."""
import re

import pytest

from course import sources as citations
from course.i18n import LOCALE_DIR, LOCALES


@pytest.mark.parametrize("canonical,chinese", [
    ("ISHR Practical Guide (2025), ch. III, 3", "《实用指南》第三章第3节"),
    ("ISHR Practical Guide (2025), ch. IV", "《实用指南》第四章"),
    ("ISHR Practical Guide (2025), ch. III, 3 and 4; ch. IV", "《实用指南》第三章第3、4节；第四章"),
    ("A/HRC/58/70, para. 8", "A/HRC/58/70，第8段"),
    ("A/HRC/58/70, paras. 68-69", "A/HRC/58/70，第68–69段"),
])
def test_chinese_forms(canonical, chinese):
    assert citations.localise(canonical, "zh") == chinese
    assert citations.localise(canonical, "en") == canonical


def test_citation_inside_a_sentence():
    text = "请写明日期（ISHR Practical Guide (2025), ch. III, 3）。"
    assert citations.localise(text, "zh") == "请写明日期（《实用指南》第三章第3节）。"


def test_only_a_guide_citation_has_a_chapter_part():
    assert citations.guide("III", "3").part("en") == "ch. III, 3"
    for not_guide in (citations.report(8), citations.document("A/HRC/RES/5/2")):
        with pytest.raises(ValueError, match="not a guide citation"):
            not_guide.part("en")


def test_no_english_guide_citation_left_in_chinese_catalogues():
    folder = LOCALE_DIR / LOCALES["zh"] / "LC_MESSAGES"
    offenders = [f"{path.name}: {line.strip()[:80]}" for path in folder.glob("*.po")
                 for line in path.read_text(encoding="utf-8").splitlines()
                 if line.startswith("msgstr") and re.search(r"ISHR Practical Guide \(2025\), ch\.", line)]
    assert offenders == [], offenders
