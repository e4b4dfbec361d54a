"""The field's vocabulary is defined once, in course.terms, and used everywhere."""
import re
from pathlib import Path

import pytest

from course import terms
from course.i18n import t

ROOT = Path(__file__).resolve().parents[1]


def test_three_types_with_ohchr_codes():
    assert terms.COMM_TYPES == ("urgent_appeal", "allegation_letter", "other_letter")
    assert [terms.code_of(c) for c in terms.COMM_TYPES] == ["UA", "AL", "OL"]
    assert terms.code_of("allegation_letter", joint=True) == "JAL"
    assert terms.comm_type_of_code(" jua ") == "urgent_appeal"
    assert terms.is_joint("JOL") and not terms.is_joint("OL") and not terms.is_joint("JXX")
    for bad in ("", "XX", "JJAL", "allegation"):
        with pytest.raises(ValueError):
            terms.comm_type_of_code(bad)


def test_names_follow_the_shared_chinese_terms():
    assert [terms.comm_type_name(c, "zh") for c in terms.COMM_TYPES] == ["紧急呼吁", "指控信", "其他信函"]
    assert t(terms.COMMUNICATION_KEY, "zh") == "来文"
    assert [t(terms.SUBMISSION_LANGUAGE_KEYS[c], "en") for c in terms.SUBMISSION_LANGUAGES] == [
        "English", "French", "Spanish"]


def test_mandate_id_rule():
    assert terms.is_mandate_id("human-rights-defenders")
    for bad in ("Human-Rights", "a--b", "-a", "a b", "", None, "人权"):
        assert not terms.is_mandate_id(bad)


def test_one_spelling_of_each_type_everywhere():
    """No module, table or spec spells a type another way (``allegation`` alone was one)."""
    offenders = []
    paths = [*ROOT.glob("course/**/*.py"), *ROOT.glob("data/*.csv"), ROOT / "data" / "datapackage.json",
             *ROOT.glob("scripts/*.py")]
    for path in paths:
        text = path.read_text(encoding="utf-8")
        if re.search(r"""["',]allegation["',\n]""", text):
            offenders.append(str(path.relative_to(ROOT)))
    assert offenders == []


def test_types_are_defined_only_in_terms():
    definitions = [
        str(p.relative_to(ROOT)) for p in ROOT.glob("course/**/*.py")
        if re.search(r'^\w*COMM_TYPES\s*=\s*\(\s*"urgent_appeal"', p.read_text(encoding="utf-8"), re.M)
    ]
    assert definitions == ["course/terms.py"]


def test_data_tables_follow_the_vocabulary():
    from course import data

    package = __import__("json").loads((ROOT / "data" / "datapackage.json").read_text(encoding="utf-8"))
    fields = {f["name"]: f for r in package["resources"] if r["name"] == "communications_sample"
              for f in r["schema"]["fields"]}
    assert set(fields["type_family"]["constraints"]["enum"]) == set(terms.COMM_TYPES)
    assert set(fields["type"]["constraints"]["enum"]) == {terms.code_of(c, joint) for c in terms.COMM_TYPES
                                                          for joint in (False, True)}
    sample = data.load("communications_sample")
    assert all(terms.comm_type_of_code(code) == family for code, family in zip(sample["type"], sample["type_family"]))
    assert all(terms.is_mandate_id(m) for m in data.load("mandates")["mandate_id"])
