"""Precision of facts the course states (issue 15): each slip found in review is held here.

* Quiz texts that cite A/HRC/58/70 use only figures from ``data/sp_facts_2024.csv``
  (years and the "in every 100" of a ratio aside); the resolutions figures in m2-q8
  match ``data/mandate_resolutions.csv``.
* 349 is a count of *replies* (A/HRC/58/70, para. 8), never of communications.
* Attacks on mandate holders (para. 55) are not called reprisals.
* "Other letters" are all published after 48 hours (para. 9), not only those on drafts.
* The home page dates the resolutions table by the rows it holds.
* The guide's words quoted in Chinese are the guide's words.
"""
from __future__ import annotations

import csv
import json
import re
from pathlib import Path

import pytest

from course import similarity

ROOT = Path(__file__).resolve().parents[1]
SEEDS = similarity.SEEDS
NUMBER = re.compile(r"(?<![A-Za-z0-9_.])\d{1,3}(?:,\d{3})+(?:\.\d+)?|(?<![A-Za-z0-9_.,])\d+(?:\.\d+)?")
RATIO_BASE = {"100"}  # "46 in every 100"
DATE_ZH = re.compile(r"(\d{4}年)?\d{1,2}月(\d{1,2}日)?")  # dates are checked as dates, not figures


def _facts() -> set[str]:
    values = set()
    with (ROOT / "data" / "sp_facts_2024.csv").open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            value = float(row["value"])
            values.add(str(int(value)) if value.is_integer() else row["value"])
    return values


def _quiz(module: int) -> list[dict]:
    return json.loads((ROOT / "course/content/quizzes" / f"module{module}.json").read_text("utf-8"))["questions"]


def _texts(question: dict) -> list[str]:
    out = []
    for lang in ("en", "zh"):
        out += [question["prompt"][lang], question["explanation"][lang]]
        out += [option[lang] for option in question["options"]]
    return out


def _notebook_text(path: Path) -> str:
    cells = json.loads(path.read_text("utf-8"))["cells"]
    return "\n".join("".join(c["source"]) if isinstance(c["source"], list) else c["source"] for c in cells)


def _is_year(number: str) -> bool:
    return number.isdigit() and 1945 <= int(number) <= 2030


@pytest.mark.parametrize("module", (1, 2, 3, 4))
def test_quiz_figures_citing_the_report_come_from_the_data_table(module):
    facts = _facts()
    for question in _quiz(module):
        if "A/HRC/58/70" not in question["citation"]["en"]:
            continue
        for text in _texts(question):
            text = re.sub(r"A/HRC/58/70[^;)）]*", "", text)  # the citation's own paragraph numbers
            text = DATE_ZH.sub("", text)
            for number in (n.replace(",", "") for n in NUMBER.findall(text)):
                if _is_year(number) or number in RATIO_BASE:
                    continue
                assert number in facts, f"{question['id']}: {number} is not in data/sp_facts_2024.csv: {text}"


def test_the_check_above_can_fail():
    facts = _facts()
    assert "349" in facts and "350" not in facts


def test_m2_q8_counts_match_the_resolutions_table():
    with (ROOT / "data" / "mandate_resolutions.csv").open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    total = len(rows)
    without = sum(r["vote_type"] == "without_vote" for r in rows)
    question = next(q for q in _quiz(2) if q["id"] == "m2-q8")
    for lang in ("en", "zh"):
        numbers = {n for n in NUMBER.findall(question["explanation"][lang])}
        assert {str(total), str(without), str(total - without)} <= numbers, lang


def test_349_is_a_count_of_replies():
    sources = [_notebook_text(p) for p in (ROOT / "modules").glob("*/0*.ipynb")]
    sources += [json.dumps(_quiz(m), ensure_ascii=False) for m in (1, 2, 3, 4)]
    for text in sources:
        for match in re.finditer(r"349", text):
            around = re.sub(r"<[^>]+>|\*\*", "", text[max(0, match.start() - 30): match.end() + 30])
            assert re.search(r"349 replies|答复有349份|349份答复", around), around
            assert not re.search(r"349 (communications|received)|349份来文", around), around


def test_attacks_on_mandate_holders_are_not_called_reprisals():
    en = _notebook_text(ROOT / "modules/en/04-engaging-safely.ipynb")
    assert "Reprisals reach the experts" not in en
    assert "The experts are attacked too" in en


def test_other_letters_are_all_published_after_48_hours():
    question = next(q for q in _quiz(3) if q["id"] == "m3-q4")
    assert "on draft laws may have a deadline as short as 48 hours, and they are published" not in question["explanation"]["en"]
    assert "every one of them is published 48 hours" in question["explanation"]["en"]
    assert "每一份都在发出48小时后公开" in question["explanation"]["zh"]


def test_home_dates_the_resolutions_by_the_rows_it_holds():
    with (ROOT / "data" / "mandate_resolutions.csv").open(encoding="utf-8") as handle:
        years = [int(r["year"]) for r in csv.DictReader(handle)]
    span = f"{min(years)}–{max(years)}"
    for lang in ("en", "zh"):
        assert span in _notebook_text(ROOT / "modules" / lang / "home.ipynb"), lang


def test_late_replies_are_not_said_to_be_published_with_the_letter():
    for lang, folder in (("en", "en"), ("zh", "zh_CN")):
        po = (ROOT / "course/locale" / folder / "LC_MESSAGES/timeline.po").read_text("utf-8")
        assert "any reply is published with them" not in po
        assert "答复也会随之公开" not in po


def test_quoted_guide_words_in_chinese_are_the_guides():
    guide = next(SEEDS.glob("000_*.txt")).read_text("utf-8")
    zh = _notebook_text(ROOT / "modules/zh/01-what-they-are.ipynb")
    quoted = re.search(r"定性为“([^”]+)”", zh)
    assert quoted and quoted.group(1) in guide, quoted
