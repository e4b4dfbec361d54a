"""The risk matrix: scoring, conclusion, exports, and the view's wiring (no kernel, no browser)."""
from __future__ import annotations

import io
import json
import os
import re
import stat
from datetime import date

import pytest

from course import safe_text
from course.i18n import t
from course.tools.risk import exports
from course.tools.risk import rules as risk

HOSTILE = '<script>window.__pwned=1</script><img src=x onerror="window.__pwned=1">'
MIXED = "مرحبا שלום 你好 🙂\x00\x07\x1b end"
BIG = "人权" * 500_000  # 1 M characters


# ------------------------------------------------------------------ scoring

EXPECTED_GRID = {
    # impact 1..5 rows, likelihood 1..5 columns
    1: ["low", "low", "low", "low", "medium"],
    2: ["low", "low", "medium", "medium", "high"],
    3: ["low", "medium", "medium", "high", "high"],
    4: ["low", "medium", "high", "high", "critical"],
    5: ["medium", "high", "high", "critical", "critical"],
}


@pytest.mark.parametrize("impact", range(1, 6))
@pytest.mark.parametrize("likelihood", range(1, 6))
def test_every_cell_of_the_grid(likelihood, impact):
    assert risk.score(likelihood, impact) == likelihood * impact
    assert risk.level(likelihood, impact) == EXPECTED_GRID[impact][likelihood - 1]


def test_bands_match_documented_products():
    for likelihood in range(1, 6):
        for impact in range(1, 6):
            product = likelihood * impact
            expected = ("low" if product <= 4 else "medium" if product <= 9
                        else "high" if product <= 16 else "critical")
            assert risk.level(likelihood, impact) == expected


@pytest.mark.parametrize("bad", [0, 6, -1, 2.5, "3", None, True])
def test_scale_outside_1_to_5_is_refused(bad):
    with pytest.raises(risk.RiskError) as info:
        risk.level(bad, 3)
    assert info.value.key == "risk.error.scale"
    assert info.value.message("zh") and info.value.message("en")


def test_catalogue_ids_and_citations():
    assert risk.PERSON_IDS == ("victims", "families", "colleagues", "organisation", "submitter")
    assert risk.THREAT_IDS == ("undue_restrictions", "unfair_scrutiny", "surveillance", "smear",
                               "funding_cut", "arbitrary_arrest", "physical_violence", "killing")
    assert risk.MITIGATION_IDS == ("confidential_identity", "partner_ngo", "encrypted_channels",
                                   "mark_confidential", "informed_consent", "consult_affected", "reprisal_plan",
                                   "alert_network", "legal_support", "relocation", "public_visibility")
    manuals = ("risk.manual.pi", "risk.manual.fld")
    for option in risk.PEOPLE + risk.THREATS + risk.MITIGATIONS:
        # The guide's measures cite the guide; the protection manuals' own measures name the manual.
        assert option.citation.startswith("ISHR Practical Guide (2025), ch. ") or option.citation in manuals
        for lang in ("zh", "en"):
            assert t(option.label_key, lang) and t(option.help_key, lang)
            assert "ISHR" not in risk.cite(option.citation, "zh")
    assert all("ch. IV, Understanding reprisals" in o.citation for o in risk.THREATS)


# ------------------------------------------------------------------ items and suggestions


def item(**kw):
    base = {"who": "victims", "threat": "arbitrary_arrest", "likelihood": 3, "impact": 4}
    base.update(kw)
    return risk.RiskItem(**base)


def test_suggestions_follow_person_and_threat():
    arrest = risk.suggest_mitigations(item())
    assert "informed_consent" in arrest and "reprisal_plan" in arrest and "confidential_identity" in arrest
    spying = risk.suggest_mitigations(item(who="submitter", threat="surveillance"))
    assert "encrypted_channels" in spying and "informed_consent" not in spying
    family = risk.suggest_mitigations(item(who="families", threat="smear"))
    assert "consult_affected" in family
    for suggestions in (arrest, spying, family):
        assert suggestions == [m for m in risk.MITIGATION_IDS if m in suggestions]  # stable order
        assert len(suggestions) < len(risk.MITIGATION_IDS)  # a suggestion, not everything


def test_residual_level_and_grid_level_after_measures():
    plain = item(likelihood=4, impact=5)
    assert plain.level == "critical" and plain.residual_level is None and plain.grid_level_after_measures == "critical"
    mitigated = item(likelihood=4, impact=5, mitigations=["partner_ngo"], residual_likelihood=1,
                     residual_impact=4)
    assert mitigated.residual_level == "low" and mitigated.grid_level_after_measures == "low"


def test_invalid_items_are_refused_with_a_message():
    cases = [item(who="neighbour"), item(threat="weather"), item(likelihood=7),
             item(mitigations=["prayer"]), item(residual_likelihood=2)]
    for bad in cases:
        with pytest.raises(risk.RiskError):
            bad.validate()


def test_custom_threat_keeps_the_typed_label():
    custom = item(threat="custom", custom_threat_label=HOSTILE)
    custom.validate()
    assert custom.threat_label("en") == HOSTILE  # stored as typed; escaping is the exporter's job
    empty = item(threat="custom", custom_threat_label="  ")
    empty.validate()  # not refused: shown as "not described yet"
    assert empty.threat_label("zh") == t("risk.threat.custom.undescribed", "zh")


# ------------------------------------------------------------------ conclusion


def test_conclusion_empty_register():
    result = risk.conclusion(risk.RiskRegister())
    assert result.kind == "empty"
    assert set(result.missing_steps) == set(risk.CORE_STEPS)


def test_conclusion_acceptable():
    register = risk.RiskRegister([item(likelihood=1, impact=3, mitigations=list(risk.CORE_STEPS))],
                                 threshold_level="low")
    result = risk.conclusion(register)
    assert result.kind == "acceptable" and result.items_above == () and result.missing_steps == ()


def test_conclusion_proceed_with_mitigations():
    register = risk.RiskRegister([
        item(likelihood=1, impact=1),
        item(likelihood=4, impact=4, mitigations=["partner_ngo"], residual_likelihood=2, residual_impact=3),
    ], threshold_level="medium")
    result = risk.conclusion(register)
    assert result.kind == "proceed_with_mitigations"
    assert result.items_mitigated == (2,)
    assert "informed_consent" in result.missing_steps


def test_conclusion_above_threshold_when_residual_stays_above_threshold():
    register = risk.RiskRegister([
        item(likelihood=1, impact=1),
        item(likelihood=5, impact=5, mitigations=["confidential_identity"], residual_likelihood=4, residual_impact=4),
        item(likelihood=3, impact=4, mitigations=["mark_confidential"]),  # not re-rated: initial level counts
    ], threshold_level="medium")
    result = risk.conclusion(register)
    assert result.kind == "above_threshold"
    assert result.items_above == (2, 3)
    assert result.items_unassessed == (3,)
    assert "ch. IV" in result.citation
    text = t(result.message_key, "en")
    assert "do no harm" in text.lower() and "not submit" in text
    assert "不伤害" in t(result.message_key, "zh")


@pytest.mark.parametrize("threshold,expected", [("low", "above_threshold"), ("medium", "above_threshold"),
                                                ("high", "acceptable")])
def test_threshold_moves_the_conclusion(threshold, expected):
    register = risk.RiskRegister([item(likelihood=3, impact=4)], threshold_level=threshold)  # 12: high
    assert risk.conclusion(register).kind == expected


def test_critical_can_never_be_the_threshold():
    assert "critical" not in risk.THRESHOLDS
    with pytest.raises(risk.RiskError):
        risk.RiskRegister([], threshold_level="critical").validate()


# ------------------------------------------------------------------ round trips and exports


def full_register(note=HOSTILE):
    return risk.RiskRegister(
        items=[
            item(note=note, mitigations=["informed_consent", "partner_ngo"], residual_likelihood=2, residual_impact=2),
            item(who="organisation", threat="custom", custom_threat_label=HOSTILE + MIXED, likelihood=2, impact=5),
        ],
        threshold_level="medium", title="Practice | " + HOSTILE, mandate_engaged="*WG* " + HOSTILE,
        incident_date=date(2025, 6, 10), plan_note=MIXED,
    )


def test_json_round_trip_keeps_everything():
    register = full_register()
    again = risk.RiskRegister.from_json(register.to_json())
    assert again == register
    assert risk.RiskRegister.from_json(register.to_json().encode("utf-8")) == register


@pytest.mark.parametrize("broken", [
    "", "not json", "[]", "{}", '{"format": "other"}', b"\xff\xfe\x00",
    json.dumps({"format": "sp-course/riskplan", "items": [{"who": "victims"}]}),
    json.dumps({"format": "sp-course/riskplan", "items": "x"}),
    json.dumps({"format": "sp-course/riskplan", "items": [], "incident_date": "2025-02-30"}),
    json.dumps({"format": "sp-course/riskplan", "items": [], "threshold_level": "critical"}),
    "[" * 100_000,
])
def test_broken_files_raise_a_clear_error(broken):
    with pytest.raises(risk.RiskError) as info:
        risk.RiskRegister.from_json(broken)
    assert info.value.key.startswith("risk.error.")


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_markdown_export_escapes_typed_text(lang):
    md = exports.to_markdown(full_register(), lang, today=date(2025, 7, 1))
    assert not re.search(r"(?<!\\)<(script|img)", md)  # every "<" of typed markup is escaped
    assert "\\<script>" in md
    assert "\x00" not in md and "\x1b" not in md
    assert "مرحبا" in md and "🙂" in md
    assert "ohchr-reprisals@un.org" in md and "hrcpresidency@un.org" in md
    assert t("risk.conclusion.proceed_with_mitigations", lang) in md or t("risk.conclusion.above_threshold", lang) in md
    assert ("2026年4月15日" if lang == "zh" else "15 April 2026") in md


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_docx_export_opens_and_contains_the_text(lang):
    from docx import Document

    data = exports.to_docx(full_register(), lang, today=date(2025, 7, 1))
    doc = Document(io.BytesIO(data))
    text = "\n".join(p.text for p in doc.paragraphs)
    cells = "\n".join(c.text for table in doc.tables for row in table.rows for c in row.cells)
    assert HOSTILE in text  # shown literally as text, never as markup
    assert "مرحبا" in text and "🙂" in text
    assert t("risk.export.heading", lang) in text
    assert "R1" in cells and "R2" in cells


def test_exports_of_an_empty_register():
    empty = risk.RiskRegister()
    assert t("risk.register.empty", "en") in exports.to_markdown(empty, "en")
    assert exports.to_docx(empty, "zh")[:2] == b"PK"
    assert risk.RiskRegister.from_json(empty.to_json()) == empty


def test_one_megabyte_note_survives_every_export():
    register = full_register(note=BIG)
    assert BIG in risk.RiskRegister.from_json(register.to_json()).items[0].note
    md = exports.to_markdown(register, "en")
    assert len(md) > len(BIG)
    assert exports.to_docx(register, "zh")[:2] == b"PK"


def test_heatmap_plots_every_item_with_a_label():
    register = full_register()
    register.items.append(item(likelihood=3, impact=4))  # same cell as R1
    fig = exports.heatmap_figure(register, "zh")
    heat, before, after = fig.data
    assert [list(row) for row in heat.z] == [[risk.level_rank(lv) for lv in EXPECTED_GRID[i]] for i in range(1, 6)]
    assert sorted(before.text) == ["R1", "R2", "R3"]
    assert list(after.text) == ["R1′"]
    positions = list(zip(before.x, before.y))
    assert len(set(positions)) == 3  # items in one cell do not hide each other
    for x, y in positions:
        assert round(x) in range(1, 6) and round(y) in range(1, 6)
    assert fig.layout.xaxis.title.text == t("risk.chart.x", "zh")
    assert fig.layout.yaxis.title.text == t("risk.chart.y", "zh")
    assert all("<script>" not in h for h in before.hovertext)


# ------------------------------------------------------------------ the view, without a browser


@pytest.fixture
def tool(tmp_path):
    from course.tools.risk.view import RiskMatrix

    return RiskMatrix("en", environ={}, store_root=tmp_path)


def test_language_switch_keeps_what_was_typed(tool):
    tool.add_item()
    card = tool.cards[0]
    card.threat.value = "custom"
    card.custom.value = HOSTILE
    card.note.value = MIXED
    card.likelihood.value = 5
    card.checks["partner_ngo"].value = True
    card.residual_likelihood.value = 2
    card.residual_impact.value = 2
    tool.title.value = "plan " + MIXED
    tool.incident.value = date(2025, 6, 10)
    before = tool.register()
    tool.language.value = "zh"
    assert tool.lang == "zh"
    assert tool.register() == before
    assert card.threat.label == t("risk.threat.custom", "zh")
    assert card.likelihood.label == t("risk.likelihood.5", "zh")
    assert card.residual_likelihood.label == t("risk.likelihood.2", "zh")
    assert tool.add_button.description == t("risk.button.add", "zh")
    assert "风险" in tool.table.value
    tool.language.value = "en"
    assert tool.register() == before


def test_view_escapes_hostile_text_everywhere(tool):
    tool.add_item()
    card = tool.cards[0]
    card.threat.value = "custom"
    card.custom.value = HOSTILE
    card.note.value = HOSTILE
    tool.mandate.value = HOSTILE
    html = tool.table.value + tool.conclusion.value + tool.cycle.value + tool.contacts.value
    assert "<script>" not in html and "<img" not in html
    assert safe_text.html_text(HOSTILE)[:40] in tool.table.value


def test_view_conclusion_and_cycle(tool):
    assert 'data-kind="empty"' in tool.conclusion.value
    tool.add_item()
    card = tool.cards[0]
    card.likelihood.value, card.impact.value = 5, 5
    assert 'data-kind="above_threshold"' in tool.conclusion.value
    card.residual_likelihood.value, card.residual_impact.value = 1, 2
    # No measure chosen acts on this threat: the better rating is not credited.
    assert 'data-kind="above_threshold"' in tool.conclusion.value
    card.checks["informed_consent"].value = True  # a condition of engaging, protects no one by itself
    assert 'data-kind="above_threshold"' in tool.conclusion.value
    card.checks["confidential_identity"].value = True
    assert 'data-kind="proceed_with_mitigations"' in tool.conclusion.value
    tool.incident.value = date(2999, 1, 1)
    assert "sp-error" in tool.cycle.value and t("reprisals.error.future", "en") in tool.cycle.value
    tool.incident.value = date(2025, 6, 10)
    assert "sp-cycle" in tool.cycle.value and "15 April 2026" in tool.cycle.value


def test_add_remove_items(tool):
    for _ in range(3):
        tool.add_item()
    assert len(tool.register().items) == 3
    tool.cards[1].remove.click()
    assert len(tool.register().items) == 2
    assert tool.cards[1].remove.description == t("risk.button.remove", "en", number="R2")


def test_save_restore_delete_encrypted(tool, tmp_path, monkeypatch):
    from course import storage

    monkeypatch.setattr(storage, "DEFAULT_KDF", {"name": "scrypt", "n": 2**14, "r": 8, "p": 1, "length": 32})
    tool.add_item()
    tool.cards[0].note.value = MIXED
    tool.title.value = "Practice"
    assert tool.save() is None  # no passphrase yet: nothing written, nothing lost
    assert tool.cards[0].note.value == MIXED
    tool.records.passphrase.value = tool.records.passphrase_again.value = "correct horse battery"
    tool.records.create_button.click()
    record = tool.save()
    assert stat.S_IMODE(os.stat(record.path).st_mode) == 0o600
    assert MIXED.encode("utf-8") not in record.path.read_bytes()
    assert tool.records.records.value == record.record_id
    tool.cards[0].note.value = "changed"
    tool.records.open_button.click()
    assert tool.cards[0].note.value == MIXED
    tool.records.delete_button.click()  # first click only asks for confirmation
    assert record.path.exists()
    tool.records.confirm_one_yes.click()
    assert not record.path.exists()
    assert tool.records.records.value == ""
    assert tool.records.open_button.disabled


def test_downloads_and_upload_round_trip(tool):
    tool.add_item()
    tool.cards[0].note.value = HOSTILE
    # One click: each file is built from the plan as it is when its button is clicked.
    names = [f["filename"] for f in tool.downloads.files]
    assert [n.rsplit(".", 1)[1] for n in names] == ["md", "docx", "json"]
    assert "script" not in str(tool.downloads.get_state())  # typed text never in the widget's state
    name, payload = tool.downloads.click(2, names[2])
    tool.cards[0].note.value = "lost?"
    tool._uploaded({"new": ({"name": "plan.json", "content": memoryview(payload)},)})
    assert tool.cards[0].note.value == HOSTILE
    before = tool.register()
    tool._uploaded({"new": ({"name": "bad.json", "content": memoryview(b"{broken")},)})
    assert "sp-error" in tool.status.value
    assert tool.register() == before  # nothing the user had was lost


def test_errors_in_callbacks_never_lose_input(tool, monkeypatch):
    tool.add_item()
    tool.cards[0].note.value = MIXED

    def boom(*_args, **_kwargs):
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(exports, "to_docx", boom)
    tool.cards[0].note.value = MIXED + "!"
    assert tool.downloads.click(1) is None  # the Word file cannot be built
    assert "sp-error" in tool.status.value and "RuntimeError" in tool.status.value
    assert tool.cards[0].note.value == MIXED + "!"


def test_control_characters_and_big_text_in_the_view(tool):
    tool.add_item()
    tool.cards[0].note.value = BIG + "\x00\x1b"
    assert len(tool.table.value) < 50_000  # the table shows a preview, the field keeps everything
    assert tool.cards[0].note.value.endswith("\x00\x1b")


def test_save_failure_is_reported_and_keeps_input(tmp_path):
    from course.tools.risk.view import RiskMatrix

    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x")
    tool = RiskMatrix("zh", environ={}, store_root=blocker / "store")  # cannot be created
    tool.add_item()
    tool.cards[0].note.value = MIXED
    assert tool.save() is None
    assert "sp-error" in tool.records.status.value and t("records.error.disk", "zh") in tool.records.status.value
    assert tool.cards[0].note.value == MIXED


def test_risk_file_over_the_limit_is_refused_and_keeps_input(tool):
    tool.add_item()
    tool.cards[0].note.value = MIXED
    tool.upload.receive("huge.json", b"", size=12 * 1024 * 1024)
    assert t("risk.upload.too_large", "en", limit="5 MB") in tool.status.value
    assert tool.cards[0].note.value == MIXED
