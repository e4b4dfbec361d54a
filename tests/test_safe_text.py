"""Escaping of typed text: nothing executes, nothing is lost."""
from course import safe_text

HOSTILE = '<script>alert(1)</script><img src=x onerror="alert(2)"> & "quotes"'


def test_html_escapes_markup_and_quotes():
    out = safe_text.html_text(HOSTILE)
    assert "<script" not in out and "<img" not in out
    assert "&lt;script&gt;" in out and "&quot;quotes&quot;" in out and "&amp;" in out


def test_html_block_keeps_line_breaks_and_direction():
    out = safe_text.html_block("سطر أول\nשורה שנייה")
    assert out.startswith('<span dir="auto">') and "<br>" in out
    assert "سطر أول" in out and "שורה שנייה" in out


def test_markdown_neutralises_syntax_and_html():
    out = safe_text.markdown_text("# title\n[link](http://x) <b>bold</b> *em*")
    assert "\\#" in out and "\\[link\\]" in out and "\\<b\\>" in out and "\\*em\\*" in out


def test_control_characters_removed_text_kept():
    raw = "王小明\x00\x07 was here 👩🏽‍⚖️\tok\n"
    assert safe_text.clean(raw) == "王小明 was here 👩🏽‍⚖️\tok\n"


def test_megabyte_of_text_is_handled():
    big = "证据" * 300_000
    assert len(safe_text.html_text(big)) == len(big)


def test_xml_safe_drops_lone_surrogates():
    assert "\ud800" not in safe_text.xml_safe("a\ud800b")


def test_preview_is_one_line_and_bounded():
    assert safe_text.preview("a\nb " * 100, limit=10) == "a b a b a…"
