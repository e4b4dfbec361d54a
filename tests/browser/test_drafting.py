"""The submission drafting form as a Voila app, in both languages, in headless Chromium."""
from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from docx import Document

from .helpers import axe_violations, error_outputs, external_requests, full_screenshot, open_app, script_ran

pytestmark = pytest.mark.browser

READY = ".sp-drafting textarea"
HOSTILE = '<script>window.__pwned=1</script><img src=x onerror="window.__pwned=1">'
MIXED = " مرحبا שלום ✊🏽 \x07 林乔"
HANDOFF = "?type=urgent_appeal&mandates=torture,%3Cscript%3Ealert(1)%3C/script%3E,human-rights-defenders"

UI = {
    "en": {
        "other": "中文", "title": "Title of the draft (for your own list)", "type": "Type of communication",
        "urgent": "Urgent appeal", "name": "Your name", "contact": "Contact details (a safe channel)",
        "confidential": "Confidential", "victim": "Name", "what": "What happened",
        "date": "Date it happened (or began)", "check": "Check the draft", "save": "Save (encrypted)",
        "saved": "Saved records", "not_ready": "Not ready to send yet", "bad_date": "not a valid date",
        "script": "Chinese, Japanese or Korean characters", "mark": "CONFIDENTIAL – not to be shared with the government",
        "heading": "## 1. Who is sending the information", "torture": "Special Rapporteur on torture",
    },
    "zh": {
        "other": "English", "title": "草稿标题（仅供您自己识别）", "type": "来文类型",
        "urgent": "紧急呼吁", "name": "您的姓名", "contact": "联系方式（安全的渠道）",
        "confidential": "保密", "victim": "姓名", "what": "事件经过",
        "date": "发生日期（或开始日期）", "check": "检查草稿", "save": "加密保存",
        "saved": "已保存的记录", "not_ready": "暂时还不能发送", "bad_date": "不是有效的日期",
        "script": "中日韩文字", "mark": "CONFIDENTIAL – not to be shared with the government",
        "heading": "## 1. Who is sending the information", "torture": "酷刑",
    },
}
DOWNLOADS = {"md": "Download Markdown (.md)", "docx": "Download Word (.docx)",
             "json": "Download JSON (to continue later)"}
DOWNLOADS_ZH = {"md": "下载 Markdown（.md）", "docx": "下载 Word（.docx）", "json": "下载 JSON（以便日后继续）"}


def selected_text(select) -> str:
    """Text of the chosen option (ipywidgets writes spaces as no-break spaces)."""
    return select.evaluate("s => s.options[s.selectedIndex].text").replace("\xa0", " ")


def choose(select, text: str) -> None:
    """Pick the option shown as ``text`` (ipywidgets writes spaces as no-break spaces)."""
    texts = select.evaluate("s => Array.from(s.options).map(o => o.text)")
    select.select_option(index=[t.replace("\xa0", " ") for t in texts].index(text))


def upload(page, path: Path, label: str = "Load a JSON draft") -> None:
    """Pick a file through the file chooser, as a user would."""
    with page.expect_file_chooser(timeout=30_000) as chooser:
        page.get_by_label(label).click()
    chooser.value.set_files(str(path))


PASSPHRASE = "correct horse battery staple"
KEY_UI = {
    "en": {"wipe": "Delete all my saved records", "word": "DELETE", "wipe_now": "Delete everything now",
           "wiped": "Deleted", "pass": "Passphrase", "again": "Passphrase again", "set": "Set passphrase", "unlock": "Unlock",
           "lock": "Lock", "open": "Open", "wrong": "does not open your saved records", "locked": "Locked.",
           "first": "if you forget it, nobody can open your saved records", "too_big": "too large"},
    "zh": {"wipe": "删除我保存的全部记录", "word": "删除", "wipe_now": "立即全部删除",
           "wiped": "已删除", "pass": "口令", "again": "再输入一次口令", "set": "设定口令", "unlock": "解锁",
           "lock": "锁定", "open": "打开", "wrong": "这个口令打不开您保存的记录", "locked": "已锁定。",
           "first": "一旦忘记，没有任何人能打开您保存的记录", "too_big": "文件过大"},
}


def unlock_or_set(page, lang: str) -> None:
    """Set the passphrase on first use (the warning is shown first), else unlock the store."""
    ui = KEY_UI[lang]
    panel = page.locator(".sp-records")
    again = panel.get_by_label(ui["again"], exact=True)
    if again.is_visible():
        assert ui["first"] in panel.inner_text()
        panel.screenshot(path=f"/tmp/records-{lang}-new.png")
        panel.get_by_label(ui["pass"], exact=True).fill(PASSPHRASE)
        again.fill(PASSPHRASE)
        panel.get_by_role("button", name=ui["set"]).click()
    else:
        panel.get_by_label(ui["pass"], exact=True).fill(PASSPHRASE)
        panel.get_by_role("button", name=ui["unlock"]).click()
    panel.get_by_role("button", name=ui["lock"]).wait_for(timeout=60_000)


def download(page, label: str, extension: str) -> tuple[str, bytes]:
    """One click on the format's button saves the file (built from the form at that moment)."""
    button = page.get_by_role("button", name=label, exact=True)
    assert button.get_attribute("data-filename").endswith(f".{extension}")
    with page.expect_download(timeout=60_000) as info:
        button.click()
    item = info.value
    return item.suggested_filename, Path(item.path()).read_bytes()


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_drafting_end_to_end(voila_server, page, lang):
    ui = UI[lang]
    open_app(page, voila_server, f"modules/{lang}/tools/drafting.ipynb{HANDOFF}", READY)
    assert page.locator(".sp-warning").first.is_visible()

    # The chooser's handoff arrives through the query string; the injected id is ignored.
    kind = page.get_by_label(ui["type"], exact=True)
    assert selected_text(kind) == ui["urgent"]
    chosen = page.locator(".sp-drafting select[multiple]").evaluate(
        "s => Array.from(s.selectedOptions).map(o => o.text)")
    chosen = [text.replace("\xa0", " ") for text in chosen]
    assert len(chosen) == 2 and any(ui["torture"] in text for text in chosen)

    page.get_by_label(ui["title"]).fill(HOSTILE + MIXED)
    page.get_by_label(ui["name"], exact=True).fill("Tomas Reyes")
    page.get_by_label(ui["contact"]).fill("Signal (fictional)")
    page.get_by_label(ui["confidential"], exact=True).nth(2).check()  # the contact details
    page.get_by_label(ui["victim"], exact=True).fill("Ana Velasco")
    page.get_by_label(ui["what"], exact=True).fill("警察在她发表报告之后把她从办公室带走，此后家人一直见不到她。" + HOSTILE)
    page.get_by_label(ui["date"]).fill("2024-02-30")
    page.get_by_role("button", name=ui["check"]).click()
    report = page.locator(".sp-drafting .sp-issues")
    report.wait_for(timeout=30_000)
    text = page.locator(".sp-drafting").inner_text()
    assert ui["not_ready"] in text and ui["bad_date"] in text and ui["script"] in text

    page.locator(".sp-records").wait_for(timeout=30_000)
    unlock_or_set(page, lang)
    page.get_by_role("button", name=ui["save"]).click()
    page.locator(".sp-records .sp-ok").first.wait_for(timeout=30_000)
    # the list follows the save (scrypt takes a moment): wait for the new title, then read it as text
    saved_list = page.get_by_label(ui["saved"])
    saved_list.locator("option").filter(has_text=HOSTILE[:20]).first.wait_for(state="attached", timeout=60_000)
    saved = selected_text(saved_list)
    assert saved.startswith(HOSTILE[:55]), "typed HTML must be shown as text (titles are cut at 60)"

    labels = DOWNLOADS if lang == "en" else DOWNLOADS_ZH
    name, body = download(page, labels["md"], "md")
    markdown = body.decode("utf-8")
    assert name.endswith(".md") and ui["heading"] in markdown  # English document by default
    assert "\\<script>" in markdown and "\n<script>" not in markdown and " <script>" not in markdown
    assert f"**[{ui['mark']}]**" in markdown and "Signal (fictional)" in markdown  # no needless escapes
    name, body = download(page, labels["docx"], "docx")
    document = "\n".join(p.text for p in Document(io.BytesIO(body)).paragraphs)
    assert name.endswith(".docx") and HOSTILE in document and "Ana Velasco" in document
    name, body = download(page, labels["json"], "json")
    data = json.loads(body)
    assert data["comm_type"] == "urgent_appeal" and data["confidential"] == ["sender.contact"]
    assert data["facts"]["date_from"] == "2024-02-30"  # kept as typed, reported, not lost

    full_screenshot(page, f"/tmp/drafting-{lang}.png")
    violations = axe_violations(page)
    assert violations == [], violations

    # Switching language relabels in place and keeps everything typed.
    page.get_by_role("button", name=ui["other"], exact=True).click()
    other = UI["zh" if lang == "en" else "en"]
    page.get_by_label(other["title"]).wait_for(timeout=30_000)
    assert page.get_by_label(other["title"]).input_value() == HOSTILE + MIXED
    assert page.get_by_label(other["date"]).input_value() == "2024-02-30"
    assert page.get_by_label(other["confidential"], exact=True).nth(2).is_checked()
    assert page.get_by_label(other["victim"], exact=True).input_value() == "Ana Velasco"
    page.locator(".sp-drafting .sp-issues").filter(has_text=other["bad_date"]).wait_for(timeout=30_000)
    full_screenshot(page, f"/tmp/drafting-{lang}-switched.png")

    assert not script_ran(page)
    assert error_outputs(page) == []
    assert external_requests(page) == []


def test_drafting_huge_input_and_json_upload(voila_server, page, tmp_path):
    ui = UI["en"]
    open_app(page, voila_server, "modules/en/tools/drafting.ipynb", READY)
    # Keyboard: Tab moves through the controls in reading order.
    page.get_by_label(ui["title"]).focus()
    page.keyboard.press("Tab")
    assert page.evaluate("() => document.activeElement.tagName") == "SELECT"
    # the profile (issue 12) comes next, then the type of communication
    assert page.get_by_label(PROFILE_UI["en"]["profile"], exact=True).evaluate("s => s === document.activeElement")
    page.keyboard.press("Tab")
    assert page.get_by_label(ui["type"], exact=True).evaluate("s => s === document.activeElement")
    page.get_by_label(ui["name"], exact=True).focus()
    page.keyboard.press("Tab")
    assert page.get_by_label(ui["confidential"], exact=True).first.evaluate("c => c === document.activeElement")
    huge = ("Ж" * 300_000) + ("police arrested them " * 33_000)  # about 1 MB of characters
    page.get_by_label(ui["what"], exact=True).fill(huge)
    page.get_by_role("button", name=ui["check"]).click()
    page.locator(".sp-drafting .sp-issues").filter(has_text="characters").wait_for(timeout=60_000)
    assert page.get_by_label(ui["what"], exact=True).input_value() == huge

    # A broken file leaves the form as it was.
    broken = tmp_path / "broken.json"
    broken.write_text("{not json " + HOSTILE)
    upload(page, broken)
    page.locator(".sp-drafting .sp-error").filter(has_text="not valid JSON").wait_for(timeout=30_000)
    assert page.get_by_label(ui["what"], exact=True).input_value() == huge

    # A saved JSON draft loads back, and loading can be undone.
    draft = {"format": "sp-course.submission", "schema_version": 1, "title": "Fictional " + HOSTILE,
             "sender": {"name": "Tomas Reyes", "contact": "Signal"}, "victims": [{"name": "مريم الأحمد"}],
             "facts": {"what": "They were arrested at dawn.", "date_from": "2024-05-02"},
             "consent": {"given_by": "family", "names_to_government": True, "may_publish": False},
             "confidential": ["victims.0.name"], "future_key": [1, 2]}
    good = tmp_path / "draft.json"
    good.write_text(json.dumps(draft, ensure_ascii=False), encoding="utf-8")
    upload(page, good)
    page.locator(".sp-drafting .sp-ok").filter(has_text="Draft loaded").wait_for(timeout=30_000)
    assert page.get_by_label(ui["victim"], exact=True).input_value() == "مريم الأحمد"
    assert page.get_by_label(ui["what"], exact=True).input_value() == "They were arrested at dawn."
    assert page.get_by_label(ui["title"]).input_value() == "Fictional " + HOSTILE
    page.get_by_role("button", name="Undo loading").click()
    page.locator(".sp-drafting .sp-ok").filter(has_text="before loading").wait_for(timeout=30_000)
    assert page.get_by_label(ui["what"], exact=True).input_value() == huge

    assert not script_ran(page)
    assert error_outputs(page) == []
    assert external_requests(page) == []


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_encrypted_records_and_a_12_mb_upload(voila_server, page, tmp_path, lang):
    """Save with a passphrase, reload (a new kernel), wrong then right passphrase, lock;
    a 12 MB file gets the tool's own message and the connection and the typed text survive."""
    ui, key = UI[lang], KEY_UI[lang]
    marker = f"Fictional case {lang} " + HOSTILE
    open_app(page, voila_server, f"modules/{lang}/tools/drafting.ipynb", READY)
    panel = page.locator(".sp-records")
    panel.wait_for(timeout=30_000)
    page.get_by_label(ui["title"]).fill(marker)
    page.get_by_label(ui["what"], exact=True).fill("They were detained. 他们被拘留。")
    unlock_or_set(page, lang)
    page.get_by_role("button", name=ui["save"]).click()
    panel.locator(".sp-ok").wait_for(timeout=30_000)
    page.set_viewport_size({"width": 1280, "height": 900})
    panel.screenshot(path=f"/tmp/records-{lang}-desktop.png")
    page.set_viewport_size({"width": 360, "height": 800})
    panel.screenshot(path=f"/tmp/records-{lang}-360.png")
    page.set_viewport_size({"width": 1280, "height": 900})

    # A new page is a new kernel: the store is locked, no title is shown.
    open_app(page, voila_server, f"modules/{lang}/tools/drafting.ipynb", READY)
    panel = page.locator(".sp-records")
    panel.get_by_role("button", name=key["unlock"]).wait_for(timeout=30_000)
    assert key["locked"] in panel.inner_text() and "Fictional case" not in panel.inner_text()
    panel.screenshot(path=f"/tmp/records-{lang}-locked.png")
    panel.get_by_label(key["pass"], exact=True).fill("not the passphrase")
    panel.get_by_role("button", name=key["unlock"]).click()
    panel.locator(".sp-error").filter(has_text=key["wrong"]).wait_for(timeout=60_000)
    assert panel.get_by_label(key["pass"], exact=True).input_value() == ""
    unlock_or_set(page, lang)
    page.get_by_label(ui["saved"]).locator("option", has_text=f"Fictional case {lang}").first.wait_for(
        state="attached", timeout=30_000)
    page.get_by_label(ui["saved"]).select_option(
        label=page.get_by_label(ui["saved"]).locator("option", has_text=f"Fictional case {lang}").first.inner_text())
    panel.get_by_role("button", name=key["open"]).click()
    page.wait_for_function(
        "m => Array.from(document.querySelectorAll('.sp-drafting input')).some(i => i.value === m)",
        arg=marker, timeout=30_000)

    # 12 MB: refused in the browser before sending; the page keeps its kernel and the text.
    typed = "Typed before the big file " + lang
    page.get_by_label(ui["what"], exact=True).fill(typed)
    big = tmp_path / "big.json"
    big.write_text(json.dumps({"title": "x", "facts": {"what": "A" * (12 * 1024 * 1024)}}))
    upload(page, big, "Load a JSON draft" if lang == "en" else "载入 JSON 草稿")
    page.locator(".sp-drafting .sp-error").filter(has_text=key["too_big"]).wait_for(timeout=30_000)
    assert page.get_by_label(ui["what"], exact=True).input_value() == typed
    page.get_by_role("button", name=ui["check"]).click()  # the kernel still answers
    page.locator(".sp-drafting .sp-issues").wait_for(timeout=30_000)
    panel.get_by_role("button", name=key["lock"]).click()
    panel.get_by_role("button", name=key["unlock"]).wait_for(timeout=30_000)

    # Quick delete takes a typed word: the final button stays disabled until then.
    panel.get_by_role("button", name=key["wipe"]).click()
    now = panel.get_by_role("button", name=key["wipe_now"])
    now.wait_for(timeout=30_000)
    assert now.is_disabled()
    panel.screenshot(path=f"/tmp/records-{lang}-wipe.png")
    panel.locator("input[type=text]").last.fill(key["word"])
    page.wait_for_function("b => !b.disabled", arg=now.element_handle(), timeout=30_000)
    now.click()
    panel.locator(".sp-ok").filter(has_text=key["wiped"]).wait_for(timeout=30_000)
    assert panel.get_by_label(key["again"], exact=True).is_visible()  # next save asks for a new passphrase


PROFILE_UI = {
    "en": {"profile": "Shape the draft for", "other": "中文",
           "wgeid": "Working Group on Enforced or Involuntary Disappearances: report of a disappearance",
           "wgad": "Working Group on Arbitrary Detention: detention case",
           "disappearance_date": "Date of arrest, abduction or last sighting (at least month and year)",
           "arrest_place": "Place of arrest", "wgeid_help": "one draft per disappeared person", "category": "Category II: detained for exercising rights such as "
                                                         "expression, assembly or association"},
    "zh": {"profile": "草稿适用于", "other": "English",
           "wgeid": "强迫或非自愿失踪问题工作组：失踪报告",
           "wgad": "任意拘留问题工作组：拘留案件",
           "disappearance_date": "被捕、被绑架或最后被看到的日期（至少写明年和月）",
           "arrest_place": "逮捕地点", "wgeid_help": "每名失踪者单独一份草稿", "category": "第二类：因行使表达、集会、结社等权利而被拘留"},
}


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_drafting_profiles_switch_at_phone_width(voila_server, page, lang):
    """Issue 12: the chooser's handoff selects the WGEID profile; switching to WGAD shows its blocks,
    keeps what was typed in hidden ones, survives a language switch, and fits a 360 px screen."""
    ui, other = PROFILE_UI[lang], PROFILE_UI["zh" if lang == "en" else "en"]
    page.set_viewport_size({"width": 360, "height": 740})
    open_app(page, voila_server,
             f"modules/{lang}/tools/drafting.ipynb?type=urgent_appeal&mandates=enforced-disappearances", READY)
    profile = page.get_by_label(ui["profile"], exact=True)
    assert selected_text(profile) == ui["wgeid"]
    when = page.get_by_label(ui["disappearance_date"], exact=True)
    assert when.is_visible()
    when.fill("2025-05")
    assert not page.get_by_label(ui["arrest_place"], exact=True).is_visible()

    choose(profile, ui["wgad"])
    place = page.get_by_label(ui["arrest_place"], exact=True)
    place.wait_for(state="visible", timeout=30_000)
    assert not when.is_visible()
    place.fill("Port Selim " + HOSTILE)
    page.get_by_label(ui["category"], exact=True).check()
    # no part of the form is wider than the phone screen
    overflow = page.evaluate("() => document.documentElement.scrollWidth")
    assert overflow <= 362, overflow
    page.get_by_label(ui["arrest_place"], exact=True).scroll_into_view_if_needed()
    page.screenshot(path=f"/tmp/drafting-profile-{lang}-360.png")
    page.get_by_label(ui["category"], exact=True).scroll_into_view_if_needed()
    page.screenshot(path=f"/tmp/drafting-profile-{lang}-360-categories.png")

    page.get_by_role("button", name=ui["other"], exact=True).click()
    page.get_by_label(other["arrest_place"], exact=True).wait_for(timeout=30_000)
    assert page.get_by_label(other["arrest_place"], exact=True).input_value() == "Port Selim " + HOSTILE
    assert page.get_by_label(other["category"], exact=True).is_checked()
    assert selected_text(page.get_by_label(other["profile"], exact=True)) == other["wgad"]
    choose(page.get_by_label(other["profile"], exact=True), other["wgeid"])
    page.get_by_label(other["disappearance_date"], exact=True).wait_for(state="visible", timeout=30_000)
    assert page.get_by_label(other["disappearance_date"], exact=True).input_value() == "2025-05"
    page.locator(".sp-profile-help").filter(has_text=other["wgeid_help"]).wait_for(timeout=30_000)
    page.screenshot(path=f"/tmp/drafting-profile-{lang}-360-switched.png")

    assert not script_ran(page)
    assert error_outputs(page) == []
    assert external_requests(page) == []
