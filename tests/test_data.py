"""The data layer: every table loads and validates, the figures hold together and
match the report, and every kind of broken file gives a precise message."""
from __future__ import annotations

import csv
import io
import json
import re
import shutil
from pathlib import Path

import pandas as pd
import pytest

from course import data
from course.data import DataError

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "data"
SEED_001 = ROOT.parent / "shared" / "seeds" / "001_fe1870fc8ceb2b2a.txt"
SEED_000 = ROOT.parent / "shared" / "seeds" / "000_b4c919d38f39f875.txt"
TABLES = ["sp_facts_2024", "thematic_reports_2024", "mandates", "mandate_resolutions",
          "mandate_resolutions_excluded", "communications_sample", "mechanisms"]


def facts() -> dict[str, float]:
    frame = data.load("sp_facts_2024")
    return dict(zip(frame["metric_id"], frame["value"]))


def seed_text(path: Path) -> str:
    if not path.exists():
        pytest.fail(f"seed missing: {path} (the course's sources must sit beside the clone)")
    return path.read_text(encoding="utf-8")


# --------------------------------------------------------------------------- loading

def test_every_described_table_exists_and_loads():
    assert data.list_tables() == TABLES
    for name in TABLES:
        frame = data.load(name)
        assert len(frame) > 0, name
        fields = [f["name"] for f in data.describe(name)["schema"]["fields"]]
        assert list(frame.columns) == fields, name


def test_no_stray_csv_without_descriptor():
    described = {data.describe(name)["path"] for name in TABLES}
    on_disk = {path.name for path in DATA.glob("*.csv")}
    assert on_disk == described


def test_files_are_utf8_lf_with_header():
    for name in TABLES:
        raw = (DATA / data.describe(name)["path"]).read_bytes()
        raw.decode("utf-8")
        assert b"\r" not in raw, name
        assert not raw.startswith(b"\xef\xbb\xbf"), name
        assert raw.endswith(b"\n"), name


def test_types_follow_the_schema():
    facts_frame = data.load("sp_facts_2024")
    assert facts_frame["value"].dtype == "float64"
    assert str(facts_frame["paragraph"].dtype) == "Int64"
    assert pd.api.types.is_datetime64_any_dtype(facts_frame["reference_date"])
    assert facts_frame["metric_id"].dtype == "string"
    mandates = data.load("mandates")
    assert mandates["in_2024_report"].dtype == bool
    resolutions = data.load("mandate_resolutions")
    assert str(resolutions["yes"].dtype) == "Int64"
    assert resolutions.loc[resolutions["vote_type"] == "without_vote", "yes"].isna().all()
    assert resolutions.loc[resolutions["vote_type"] == "recorded", "yes"].notna().all()


def test_descriptor_is_a_frictionless_package():
    package = json.loads((DATA / "datapackage.json").read_text(encoding="utf-8"))
    for key in ("name", "title", "licenses", "sources"):
        assert package[key], key
    for resource in package["resources"]:
        for key in ("name", "path", "title", "description", "sources", "licenses", "schema"):
            assert resource.get(key), (resource["name"], key)
        assert resource["format"] == "csv" and resource["encoding"] == "utf-8"
        assert resource["schema"]["primaryKey"]
        for field in resource["schema"]["fields"]:
            assert field["type"] in {"string", "integer", "number", "date", "boolean"}
            assert field.get("description"), (resource["name"], field["name"])


def test_required_notice_travels_with_the_voting_data():
    notice = "Copyright © 2026 Łukasz Szoszkiewicz — https://github.com/lszoszk/hrc-voting"
    assert notice in (DATA / "NOTICE").read_text(encoding="utf-8")
    assert notice in (DATA / "README.md").read_text(encoding="utf-8")
    for name in ("mandate_resolutions", "mandate_resolutions_excluded", "mandates"):
        resource = data.describe(name)
        assert notice in resource["citation"] or any(notice in lic.get("title", "") for lic in resource["licenses"])
        assert any(lic["name"] == "PolyForm-Noncommercial-1.0.0" for lic in resource["licenses"])


def test_describe_returns_a_copy_and_citation_names_the_source():
    entry = data.describe("sp_facts_2024")
    entry["path"] = "elsewhere.csv"
    assert data.describe("sp_facts_2024")["path"] == "sp_facts_2024.csv"
    assert "A/HRC/58/70" in data.citation("sp_facts_2024")
    assert "ISHR" in data.citation("mechanisms")
    with pytest.raises(DataError, match="no table named 'nope'"):
        data.load("nope")


def test_load_returns_independent_copies():
    first = data.load("mechanisms")
    first.loc[0, "short_answer_en"] = "changed"
    assert data.load("mechanisms").loc[0, "short_answer_en"] != "changed"


def test_fact_helper():
    fact = data.fact("communications_sent")
    assert fact["value"] == 665 and isinstance(fact["value"], int)
    assert fact["source"] == "A/HRC/58/70, para. 8"
    assert data.fact("response_rate_pct")["value"] == 46.62
    assert data.fact("wgad_persons_released")["qualifier"] == "at least"
    with pytest.raises(KeyError):
        data.fact("not_a_metric")


# --------------------------------------------------------------------------- figures

def test_totals_hold_together():
    f = facts()
    assert f["mandates_thematic"] + f["mandates_country"] == f["mandates_total"] == 60
    assert f["mandates_total_p47"] == f["mandates_total"]
    assert f["holders_women_pct"] + f["holders_men_pct"] == 100
    assert f["holders_serving"] <= f["holder_positions"]
    regions = [v for k, v in f.items() if k.startswith("holders_region_")]
    assert len(regions) == 5
    assert abs(sum(regions) - 100) <= 0.01
    assert f["communications_joint"] < f["communications_sent"]
    assert f["communications_individuals_women"] <= f["communications_individuals"]
    assert f["replies_received_substantive"] <= f["replies_received"]
    assert f["replies_to_year_communications_substantive"] <= f["replies_to_year_communications"]
    assert f["replies_to_year_communications"] <= f["replies_received"]
    assert f["communications_sent_p53"] == f["communications_sent"]
    assert f["response_rate_p53_pct"] == f["response_rate_pct"]
    assert f["never_visited_no_request"] + f["never_visited_request_not_accepted"] == f["countries_never_visited"]
    assert f["countries_never_visited_p49"] == f["countries_never_visited"]
    assert f["wgeid_urgent_action_cases"] <= f["wgeid_new_cases"]
    per_country = [v for k, v in f.items() if k.startswith("wgeid_non_state_cases_")]
    assert len(per_country) == 5 and sum(per_country) == f["wgeid_non_state_cases"] == 74
    assert f["media_press_releases"] + f["media_briefings"] + f["media_statements"] == f["media_products"] == 500
    assert f["reports_to_hrc"] + f["reports_to_ga"] == f["reports_total"] == 181
    assert f["reports_country_visit"] <= f["reports_to_hrc"]
    assert round(f["standing_invitations_member_states_2023"] / f["un_member_states"] * 100, 2) \
        == f["standing_invitations_member_states_2023_pct"] == 66.32
    assert f["countries_no_visit_with_request"] <= f["countries_no_visit_five_years"]
    assert f["coordination_committee_meetings_geneva"] + f["coordination_committee_meetings_new_york"] \
        == f["coordination_committee_meetings"]
    assert f["external_support_received"] <= f["external_support_respondents"] <= f["holders_serving"]
    assert f["bhr_forum_civil_society_pct"] + f["bhr_forum_private_sector_pct"] + f["bhr_forum_states_pct"] <= 100


def test_regional_shares_are_whole_numbers_of_the_87_serving_holders():
    f = facts()
    counts = [round(v / 100 * f["holders_serving"]) for k, v in f.items() if k.startswith("holders_region_")]
    assert sum(counts) == f["holders_serving"] == 87
    for key in (k for k in f if k.startswith("holders_region_")):
        count = round(f[key] / 100 * 87)
        assert round(count / 87 * 100, 2) == f[key], key


def test_response_rate_discrepancy_is_documented_not_fixed():
    """A/HRC/58/70 gives 46.62 %, but 308 substantive replies / 665 communications is 46.32 %.

    46.62 % is what 310 / 665 gives. We keep the report's figure (para. 8 and 53) and
    record the gap in data/README.md; this test fails if either side changes.
    """
    f = facts()
    assert f["response_rate_pct"] == 46.62
    computed = round(f["replies_to_year_communications_substantive"] / f["communications_sent"] * 100, 2)
    assert computed == 46.32
    assert computed != f["response_rate_pct"]
    assert round(310 / 665 * 100, 2) == 46.62
    readme = (DATA / "README.md").read_text(encoding="utf-8")
    assert "46.62" in readme and "46.32" in readme and "310" in readme


def test_cross_cutting_theme_count_discrepancy_is_documented():
    """Para. 17 says seven new cross-cutting themes but lists eight."""
    seed = re.sub(r"\s+", "", seed_text(SEED_001))
    listed = seed.split("具体而言是：", 1)[1].split("。", 1)[0].split("；")
    assert len(listed) == 8
    assert "新出现了七个跨领域主题" in seed
    assert facts()["cross_cutting_themes_stated"] == 7
    assert "eight" in (DATA / "README.md").read_text(encoding="utf-8")


_ZH_DIGITS = "零一二三四五六七八九"


def _zh_numeral(n: int) -> str:
    if n < 10:
        return _ZH_DIGITS[n]
    tens, ones = divmod(n, 10)
    return (("" if tens == 1 else _ZH_DIGITS[tens]) + "十" + (_ZH_DIGITS[ones] if ones else ""))


def _paragraphs(text: str) -> dict[int, str]:
    parts = re.split(r"\n\s*(\d{1,2})\.\s", text)
    chunks: dict[int, str] = {}
    for index in range(1, len(parts) - 1, 2):
        chunks.setdefault(int(parts[index]), re.sub(r"\s+", "", parts[index + 1]))
    return chunks


# Figures that the report does not state as digits: counts of the items it lists, or
# lengths computed from stated dates. Each is checked by its own test below.
DERIVED_FIGURES = {
    "countries_first_visit", "vision_reports_holders", "standard_setting_contributions_listed",
    "amicus_courts_listed", "arria_meetings_listed", "countries_refusing_country_mandates_listed",
    "annual_meeting_days",
}


def test_every_stated_figure_appears_in_its_paragraph_of_the_report():
    text = seed_text(SEED_001)
    paragraphs = _paragraphs(text)
    flat = re.sub(r"\s+", "", text)
    frame = data.load("sp_facts_2024")
    checked = 0
    for row in frame.itertuples():
        if row.metric_id in DERIVED_FIGURES:
            continue
        value = row.value
        candidates = {f"{value:g}", f"{value:.2f}"}
        if value.is_integer():
            n = int(value)
            candidates |= {str(n), f"{n:,}"}
            if n < 100:
                candidates.add(_zh_numeral(n))
            if n == 2:
                candidates.add("两")
        haystack = flat if "footnote" in row.source else paragraphs[int(row.paragraph)]
        assert any(c in haystack for c in candidates), (row.metric_id, value, row.paragraph)
        assert row.source.startswith(f"A/HRC/58/70, para. {row.paragraph}")
        checked += 1
    assert checked >= 100


def test_figures_computed_from_lists_in_the_report():
    seed = re.sub(r"\s+", "", seed_text(SEED_001))
    paragraphs = _paragraphs(seed_text(SEED_001))
    f = facts()
    assert "瓦努阿图首次接受了任务负责人的访问" in seed and f["countries_first_visit"] == 1
    assert "2024年12月9日至13日" in seed and f["annual_meeting_days"] == 13 - 9 + 1
    courts = re.split("、|以及", paragraphs[27].split("提交了材料")[0])
    assert len(courts) == f["amicus_courts_listed"] == 7
    assert len(set(re.findall(r"\([a-e]\)", paragraphs[26]))) == f["standard_setting_contributions_listed"] == 5
    assert len(set(re.findall(r"\([a-c]\)", paragraphs[37]))) == f["arria_meetings_listed"] == 3
    refusing = paragraphs[50].split("而")[1].split("继续不准许进入")[0]
    names = refusing.split("、")
    names[-1:] = names[-1].rsplit("和", 1)  # "...、以色列和缅甸"
    assert len(names) == f["countries_refusing_country_mandates_listed"] == 8
    thematic = data.load("thematic_reports_2024")
    assert thematic.loc[thematic["paragraph"] == 16, "mandate_id"].nunique() == f["vision_reports_holders"] == 7


def test_seed_contains_key_phrases():
    seed = seed_text(SEED_001)
    assert "665 份函" in seed
    assert "46.62%" in seed
    assert "1,265" in seed and "1,198" in seed
    assert "128 个(66.32%)" in seed


# --------------------------------------------------------------------------- other tables

def test_thematic_reports_match_the_footnotes():
    seed = seed_text(SEED_001)
    flat = re.sub(r"\s+", "", seed)
    frame = data.load("thematic_reports_2024")
    for row in frame.itertuples():
        footnote = re.search(rf"\n\s*{row.footnote}\s+([^\n]+)", seed)
        assert footnote and row.symbol in footnote.group(1), (row.footnote, row.symbol)
        assert row.mandate_zh in flat, row.mandate_zh
    # a footnote with two symbols gives two rows
    assert set(frame.loc[frame["footnote"] == 16, "symbol"]) == {"A/HRC/57/50", "A/79/180"}
    mandates = data.load("mandates").set_index("mandate_id")
    for row in frame.itertuples():
        assert mandates.loc[row.mandate_id, "name_en"] == row.mandate_en


REQUIRED_MANDATES = [
    "human-rights-defenders", "arbitrary-detention", "enforced-disappearances", "freedom-of-expression",
    "peaceful-assembly-association", "torture", "violence-against-women", "discrimination-against-women",
    "indigenous-peoples", "environment", "sexual-orientation-gender-identity", "freedom-of-religion",
    "adequate-housing", "business-and-human-rights", "independence-of-judges-lawyers",
    "extrajudicial-executions", "privacy", "counter-terrorism", "minority-issues", "migrants", "education",
    "health", "food", "cultural-rights", "disability", "sale-of-children", "racism", "trafficking",
    "slavery", "climate-change",
]


def test_mandates_cover_what_the_chooser_needs():
    mandates = data.load("mandates")
    assert set(REQUIRED_MANDATES) <= set(mandates["mandate_id"])
    country = mandates[mandates["kind"] == "country"]
    assert country["mandate_id"].str.startswith("country-").all()
    assert (mandates.loc[mandates["kind"] == "thematic", "mandate_id"].str.startswith("country-") == False).all()  # noqa: E712
    seed = re.sub(r"\s+", "", seed_text(SEED_001))
    guide = re.sub(r"\s+", "", seed_text(SEED_000))
    for row in mandates.itertuples():
        if row.name_zh_source.startswith("A/HRC/58/70"):
            assert row.name_zh in seed, row.mandate_id
            assert row.in_2024_report
        elif row.name_zh_source.startswith("ISHR"):
            assert row.name_zh in guide, row.mandate_id
        else:
            assert row.name_zh_source.startswith("course translation"), row.mandate_id


def test_mandate_resolution_columns_agree_with_the_resolutions_table():
    mandates = data.load("mandates").set_index("mandate_id")
    resolutions = data.load("mandate_resolutions").sort_values(["date", "record_id"])
    for mandate_id, group in resolutions.groupby("mandate_id"):
        assert mandates.loc[mandate_id, "resolution_count"] == len(group)
        assert mandates.loc[mandate_id, "first_resolution"] == group.iloc[0]["symbol"]
        assert mandates.loc[mandate_id, "last_resolution"] == group.iloc[-1]["symbol"]
        assert (group["kind"] == mandates.loc[mandate_id, "kind"]).all()
    without = mandates[mandates["resolution_count"] == 0]
    assert without["first_resolution"].isna().all()


def test_mandate_resolutions_are_final_hrc_resolutions_with_consistent_votes():
    frame = data.load("mandate_resolutions")
    assert frame["symbol"].str.match(r"^A/HRC/RES/\d+/\d+$").all()
    sessions = frame["symbol"].str.extract(r"^A/HRC/RES/(\d+)/")[0].astype(int)
    assert (sessions.to_numpy() == frame["session"].to_numpy()).all()
    assert (frame["date"].dt.year == frame["year"]).all()
    recorded = frame[frame["vote_type"] == "recorded"]
    assert len(recorded) > 0
    # The Council has 47 members. One catalogue record adds up to more (29 + 13 + 14,
    # with total 47 in the source): kept as published and documented in data/README.md.
    over = recorded[(recorded["yes"] + recorded["no"] + recorded["abstain"]) > 47]
    assert over["symbol"].tolist() == ["A/HRC/RES/16/14"]
    assert "A/HRC/RES/16/14" in (DATA / "README.md").read_text(encoding="utf-8")
    titles = frame["title"].str.lower()
    assert not titles.str.contains("intergovernmental|open-ended|expert mechanism|commission of inquiry").any()
    # a few known rows
    hrd = frame[frame["symbol"] == "A/HRC/RES/61/22"].iloc[0]
    assert hrd["mandate_id"] == "human-rights-defenders" and hrd["vote_type"] == "without_vote"


def test_communications_sample_is_labelled_biased_and_holds_no_prose():
    resource = data.describe("communications_sample")
    assert "BIASED" in resource["title"] and "NOT representative" in resource["description"]
    readme = (DATA / "README.md").read_text(encoding="utf-8")
    assert "filtered, biased" in readme
    frame = data.load("communications_sample")
    assert len(frame) == 42
    assert "summary" not in frame.columns
    text = (DATA / "communications_sample.csv").read_text(encoding="utf-8")
    for marker in ("Alleged victims", "Information received", "Ms. ", "Mr. "):
        assert marker not in text
    assert (frame["is_joint"] == frame["type"].str.startswith("J")).all()
    assert (frame["addressee_kind"].eq("non_state") == frame["reference"].str.startswith("OTH")).all()
    counts = frame["mandates"].str.split("; ").str.len()
    assert (counts == frame["mandate_count"]).all()
    assert (frame["mandate_ids"].str.split("; ").str.len() == counts).all()
    known = set(data.load("mandates")["mandate_id"])
    assert all(set(data.split_list(cell)) <= known for cell in frame["mandate_ids"])
    assert frame["type"].value_counts().to_dict() == {"JAL": 39, "AL": 1, "UA": 1, "JUA": 1}
    assert (frame["addressee_kind"] == "non_state").sum() == 18


def test_mechanisms_table_is_complete_and_bilingual():
    frame = data.load("mechanisms")
    assert len(frame) == 7 * 3
    assert frame.groupby("criterion_id")["mechanism"].apply(set).map(len).eq(3).all()
    for column in ("criterion_zh", "short_answer_zh", "explanation_zh"):
        assert frame[column].str.contains(r"[\u4e00-\u9fff]").all(), column
    for column in ("explanation_zh",):
        assert frame[column].str.endswith("。").all()
        assert not frame[column].str.contains(r"[,;:](?![0-9])").any(), "half-width punctuation in Chinese"
    assert frame["explanation_en"].str.endswith(".").all()
    visits = frame.set_index(["criterion_id", "mechanism"])["short_answer_en"]
    assert visits[("country_visits", "upr")] == "No" and visits[("country_visits", "sp")] == "Yes"


# --------------------------------------------------------------------------- broken files

@pytest.fixture
def broken(tmp_path):
    """A private copy of data/ to break; returns (folder, helpers)."""
    folder = tmp_path / "data"
    shutil.copytree(DATA, folder, ignore=shutil.ignore_patterns("ohchr_communications_export.*"))
    return folder


def _rewrite(path: Path, change) -> None:
    rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"), newline="")))
    change(rows)
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(rows)
    path.write_text(buffer.getvalue(), encoding="utf-8")


def _set(row: int, column: str, value: str):
    """Change a cell; ``row`` is numbered as in the file (header = 1)."""
    def change(rows):
        rows[row - 1][rows[0].index(column)] = value
    return change


def _error(folder: Path, name: str = "sp_facts_2024") -> str:
    with pytest.raises(DataError) as info:
        data.load(name, folder)
    assert isinstance(info.value, ValueError)
    return str(info.value)


def test_missing_file(broken):
    (broken / "sp_facts_2024.csv").unlink()
    assert _error(broken) == "data/sp_facts_2024.csv: file not found"


def test_latin1_file(broken):
    path = broken / "sp_facts_2024.csv"
    _rewrite(path, _set(7, "label_en", "Cafe"))
    raw = path.read_bytes().replace(b"Cafe", "Café".encode("latin-1"))
    path.write_bytes(raw)
    assert _error(broken) == ("data/sp_facts_2024.csv, row 7, column label_en: not UTF-8 (byte 0xe9); "
                              "save the file as UTF-8")


def test_missing_column(broken):
    def drop_unit(rows):
        index = rows[0].index("unit")
        for row in rows:
            del row[index]
    _rewrite(broken / "sp_facts_2024.csv", drop_unit)
    assert _error(broken).startswith("data/sp_facts_2024.csv, row 1, column unit: missing column")


def test_extra_column(broken):
    def add(rows):
        rows[0].append("notes")
        for row in rows[1:]:
            row.append("")
    _rewrite(broken / "sp_facts_2024.csv", add)
    assert _error(broken) == ("data/sp_facts_2024.csv, row 1, column notes: unexpected column "
                              "(not in the schema of sp_facts_2024)")


def test_bad_number(broken):
    _rewrite(broken / "sp_facts_2024.csv", _set(7, "value", "abc"))
    assert _error(broken) == "data/sp_facts_2024.csv, row 7, column value: 'abc' is not a number"


def test_bad_integer(broken):
    _rewrite(broken / "sp_facts_2024.csv", _set(4, "paragraph", "3.5"))
    assert _error(broken) == "data/sp_facts_2024.csv, row 4, column paragraph: '3.5' is not an integer"


def test_bad_date(broken):
    _rewrite(broken / "sp_facts_2024.csv", _set(5, "reference_date", "31/12/2024"))
    assert _error(broken) == ("data/sp_facts_2024.csv, row 5, column reference_date: '31/12/2024' "
                              "is not a date (expected YYYY-MM-DD)")
    _rewrite(broken / "sp_facts_2024.csv", _set(5, "reference_date", "2024-13-01"))
    assert "row 5, column reference_date: '2024-13-01' is not a date" in _error(broken)


def test_duplicate_key(broken):
    _rewrite(broken / "sp_facts_2024.csv", _set(9, "metric_id", "mandates_total"))
    assert _error(broken) == ("data/sp_facts_2024.csv, row 9, column metric_id: 'mandates_total' "
                              "is not unique (also in row 2)")


def test_duplicate_composite_primary_key(broken):
    def duplicate(rows):
        rows.append(list(rows[3]))
    _rewrite(broken / "thematic_reports_2024.csv", duplicate)
    message = _error(broken, "thematic_reports_2024")
    assert message.startswith("data/thematic_reports_2024.csv, row 55, column paragraph, mandate_id, symbol: "
                              "duplicate primary key (16, ")
    assert message.endswith("(also in row 4)")


def test_enum_violation(broken):
    _rewrite(broken / "sp_facts_2024.csv", _set(3, "unit", "kilograms"))
    assert _error(broken).startswith("data/sp_facts_2024.csv, row 3, column unit: 'kilograms' is not one "
                                     "of the allowed values ('count', ")


def test_required_value_missing(broken):
    _rewrite(broken / "sp_facts_2024.csv", _set(6, "label_zh", ""))
    assert _error(broken) == "data/sp_facts_2024.csv, row 6, column label_zh: a value is required"


def test_pattern_and_range(broken):
    _rewrite(broken / "sp_facts_2024.csv", _set(2, "paragraph", "80"))
    assert _error(broken) == "data/sp_facts_2024.csv, row 2, column paragraph: '80' is above the maximum 79"
    _rewrite(broken / "sp_facts_2024.csv", _set(2, "paragraph", "2"))
    _rewrite(broken / "sp_facts_2024.csv", _set(2, "metric_id", "Mandates Total"))
    assert "row 2, column metric_id: 'Mandates Total' does not match the pattern" in _error(broken)


def test_bad_boolean(broken):
    _rewrite(broken / "mandates.csv", _set(3, "in_2024_report", "yes"))
    assert _error(broken, "mandates") == ("data/mandates.csv, row 3, column in_2024_report: 'yes' is not a "
                                          "boolean (expected true/false)")


def test_foreign_key_violation(broken):
    _rewrite(broken / "thematic_reports_2024.csv", _set(10, "mandate_id", "made-up-mandate"))
    assert _error(broken, "thematic_reports_2024") == (
        "data/thematic_reports_2024.csv, row 10, column mandate_id: 'made-up-mandate' is not a "
        "mandate_id in mandates.csv")


def test_wrong_number_of_fields(broken):
    path = broken / "mechanisms.csv"
    lines = path.read_text(encoding="utf-8").split("\n")
    lines[4] = lines[4] + ",surplus"
    path.write_text("\n".join(lines), encoding="utf-8")
    assert _error(broken, "mechanisms") == "data/mechanisms.csv, row 5: 12 fields, expected 11"


def test_cache_notices_a_changed_file(broken):
    assert data.load("sp_facts_2024", broken).loc[0, "value"] == 60
    _rewrite(broken / "sp_facts_2024.csv", _set(2, "value", "61"))
    import os
    stat = (broken / "sp_facts_2024.csv").stat()
    os.utime(broken / "sp_facts_2024.csv", ns=(stat.st_atime_ns, stat.st_mtime_ns + 10_000_000))
    assert data.load("sp_facts_2024", broken).loc[0, "value"] == 61


def test_any_script_and_a_bom_are_accepted(broken):
    path = broken / "mechanisms.csv"
    _rewrite(path, _set(2, "explanation_en", "RTL عربى עברית, emoji 🙂, CJK 中文"))
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    frame = data.load("mechanisms", broken)
    assert frame.loc[0, "explanation_en"] == "RTL عربى עברית, emoji 🙂, CJK 中文"
