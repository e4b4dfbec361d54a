"""The UPR, the Special Procedures and the treaty bodies compared (ISHR Practical Guide (2025), ch. II).

Plain rules and data, no widgets:

* the comparison comes from the ``mechanisms`` table in ``data/`` (one row per
  criterion and mechanism, both languages): :func:`criteria`, :func:`compare`;
* the "which mechanism fits?" scenarios (fictional people) and their grading:
  :data:`SCENARIOS`, :func:`scenario_prompt`, :func:`check_scenario`.
"""
from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from ..i18n import N_, normalise_lang, t

MECHANISMS = ("upr", "sp", "tb")
"""Universal Periodic Review, Special Procedures, treaty bodies: the guide's column order."""

_MECHANISM_KEYS = {
    "upr": N_("mechanisms.name.upr"),
    "sp": N_("mechanisms.name.sp"),
    "tb": N_("mechanisms.name.tb"),
}
_COLUMNS = ("criterion_id", "criterion_zh", "criterion_en", "mechanism", "mechanism_zh", "mechanism_en",
            "short_answer_zh", "short_answer_en", "explanation_zh", "explanation_en", "source")


class MechanismError(ValueError):
    """The comparison table is malformed, or a criterion, scenario or choice is unknown."""


@dataclass(frozen=True)
class Cell:
    """What one mechanism looks like under one criterion, in one language."""

    criterion_id: str
    criterion: str
    mechanism: str
    mechanism_name: str
    short_answer: str
    explanation: str
    source: str


@dataclass(frozen=True)
class Scenario:
    id: str
    answer: str
    """The mechanism that fits best: one of :data:`MECHANISMS`."""
    criteria: tuple[str, ...]
    """Rows of the comparison that decide it."""
    prompt_key: str
    explanation_key: str


@dataclass(frozen=True)
class ScenarioFeedback:
    scenario_id: str
    answered: bool
    correct: bool
    headline: str
    answer_name: str = ""
    explanation: str = ""
    citation: str = ""


# --------------------------------------------------------------------------- comparison

def validate_table(table: pd.DataFrame) -> list[str]:
    """Problems with the ``mechanisms`` table; empty when every criterion covers all three mechanisms."""
    if not isinstance(table, pd.DataFrame):
        return ["the mechanisms table must be a pandas DataFrame"]
    missing = [c for c in _COLUMNS if c not in table.columns]
    if missing:
        return [f"the mechanisms table lacks column(s) {missing}"]
    problems = []
    if table.empty:
        problems.append("the mechanisms table is empty")
    for criterion, rows in table.groupby("criterion_id", sort=False):
        found = list(rows["mechanism"])
        if sorted(found) != sorted(MECHANISMS):
            problems.append(f"criterion {criterion!r} has mechanisms {found}, expected one row each for {MECHANISMS}")
        for column in _COLUMNS:
            if rows[column].isna().any() or (rows[column].astype(str).str.strip() == "").any():
                problems.append(f"criterion {criterion!r}: empty {column}")
    return problems


def _checked(table: pd.DataFrame) -> pd.DataFrame:
    problems = validate_table(table)
    if problems:
        raise MechanismError("; ".join(problems))
    return table


def criteria(table: pd.DataFrame, lang: str) -> list[tuple[str, str]]:
    """``[(criterion_id, label), ...]`` in the table's (the guide's) order."""
    lang = normalise_lang(lang)
    table = _checked(table)
    seen = table.drop_duplicates("criterion_id")
    return [(str(row["criterion_id"]), str(row[f"criterion_{lang}"])) for _, row in seen.iterrows()]


def compare(table: pd.DataFrame, criterion_id: str, lang: str) -> list[Cell]:
    """The three mechanisms under one criterion, in the order UPR, Special Procedures, treaty bodies."""
    lang = normalise_lang(lang)
    table = _checked(table)
    rows = table[table["criterion_id"] == criterion_id]
    if rows.empty:
        raise MechanismError(f"unknown criterion {criterion_id!r}")
    cells = []
    for mechanism in MECHANISMS:
        row = rows[rows["mechanism"] == mechanism].iloc[0]
        cells.append(Cell(
            criterion_id=criterion_id, criterion=str(row[f"criterion_{lang}"]), mechanism=mechanism,
            mechanism_name=str(row[f"mechanism_{lang}"]), short_answer=str(row[f"short_answer_{lang}"]),
            explanation=str(row[f"explanation_{lang}"]), source=str(row["source"]),
        ))
    return cells


def mechanism_name(mechanism: str, lang: str) -> str:
    if mechanism not in _MECHANISM_KEYS:
        raise MechanismError(f"unknown mechanism {mechanism!r}; expected one of {MECHANISMS}")
    return t(_MECHANISM_KEYS[mechanism], lang)


# --------------------------------------------------------------------------- scenarios

SCENARIOS: tuple[Scenario, ...] = (
    Scenario("urgent-detention", "sp", ("frequency",),
             N_("mechanisms.scenario.urgent_detention.prompt"),
             N_("mechanisms.scenario.urgent_detention.explanation")),
    Scenario("not-ratified", "sp", ("countries_covered", "rights_covered"),
             N_("mechanisms.scenario.not_ratified.prompt"),
             N_("mechanisms.scenario.not_ratified.explanation")),
    Scenario("whole-record", "upr", ("monitoring_type", "who_recommends", "rights_covered"),
             N_("mechanisms.scenario.whole_record.prompt"),
             N_("mechanisms.scenario.whole_record.explanation")),
    Scenario("treaty-obligations", "tb", ("monitoring_type", "authority"),
             N_("mechanisms.scenario.treaty_obligations.prompt"),
             N_("mechanisms.scenario.treaty_obligations.explanation")),
    Scenario("no-accreditation", "sp", ("who_recommends", "frequency"),
             N_("mechanisms.scenario.no_accreditation.prompt"),
             N_("mechanisms.scenario.no_accreditation.explanation")),
    Scenario("peer-pressure", "upr", ("who_recommends", "authority"),
             N_("mechanisms.scenario.peer_pressure.prompt"),
             N_("mechanisms.scenario.peer_pressure.explanation")),
)


def scenario(scenario_id: str) -> Scenario:
    for item in SCENARIOS:
        if item.id == scenario_id:
            return item
    raise MechanismError(f"unknown scenario {scenario_id!r}")


def scenario_prompt(scenario_id: str, lang: str) -> str:
    return t(scenario(scenario_id).prompt_key, lang)


def check_scenario(scenario_id: str, choice: str | None, lang: str) -> ScenarioFeedback:
    """Grade the learner's pick for one scenario and explain the best fit.

    ``choice`` is ``None`` (nothing picked yet) or one of :data:`MECHANISMS`.
    """
    lang = normalise_lang(lang)
    item = scenario(scenario_id)
    if choice is None:
        return ScenarioFeedback(item.id, answered=False, correct=False, headline=t("mechanisms.choose_first", lang))
    if choice not in MECHANISMS:
        raise MechanismError(f"unknown mechanism {choice!r}; expected one of {MECHANISMS}")
    correct = choice == item.answer
    answer = mechanism_name(item.answer, lang)
    headline = (t("mechanisms.right", lang, mechanism=answer) if correct
                else t("mechanisms.wrong", lang, mechanism=answer))
    return ScenarioFeedback(item.id, answered=True, correct=correct, headline=headline, answer_name=answer,
                            explanation=t(item.explanation_key, lang), citation=t("mechanisms.citation", lang))
