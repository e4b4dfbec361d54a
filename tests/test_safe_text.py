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
    assert "\\#" in out and "\\[link\\]" in out and "\\<b>" in out and "\\*em\\*" in out


def test_markdown_leaves_ordinary_punctuation_alone():
    for text in ("practice-contact@example.org", "2026-12-05", "Dr. Li (fictional), 3.5 km; e.g. A+B! 50%",
                 "snake_case_name", "a - b", "Q&A", "王小明：你好。"):
        assert safe_text.markdown_text(text) == text


RENDER_CASES = [
    "practice-contact@example.org wrote on 2026-12-05.",
    "<script>alert(1)</script><img src=x onerror=alert(2)> <b>bold</b> <!-- c --> <a href=x>y</a>",
    "# heading\n> quote\n- item\n+ item\n1. one\n2) two\n===\n---\n***",
    "*em* _em_ **strong** __strong__ `code` ~~strike~~ ~s~ [link](http://x) ![img](y) <http://z>",
    "| a | b |\n|---|---|\n| c | d |",
    "&amp; &#65; &copy; \\* a\\ $x$ $$y$$",
    "```\nfenced\n```\n~~~\nfence\n~~~",
    "        indented four or more",
]


def _rendered_text(markdown: str) -> tuple[str, str]:
    import html as html_module
    import re

    import mistune  # installed with nbconvert: CommonMark-style, with GitHub's tables and strikethrough

    rendered = mistune.create_markdown(plugins=["table", "strikethrough"])(markdown)
    text = html_module.unescape(re.sub(r"<[^>]+>", "", rendered))
    return rendered, text


def test_markdown_renders_as_the_same_plain_text_and_html_stays_inert():
    import re

    for case in RENDER_CASES:
        rendered, text = _rendered_text(safe_text.markdown_text(case))
        tags = set(re.findall(r"<([a-z0-9]+)", rendered))
        assert tags <= {"p", "br"}, (case, rendered)  # no element came from the typed text
        squash = lambda s: re.sub(r"\s+", "", s)  # noqa: E731 (renderers fold white space)
        assert squash(text) == squash(case), (case, rendered)


def test_refused_code_points_are_replaced_visibly_text_kept():
    raw = "王小明\x00\x07 was here 👩🏽‍⚖️\tok\n\uffff\ud800"
    assert safe_text.clean(raw) == "王小明\ufffd\ufffd was here 👩🏽‍⚖️\tok\n\ufffd\ufffd"
    assert safe_text.count_refused({"k\x00": ["\uffff", "ok"]}) == 2


def test_megabyte_of_text_is_handled():
    big = "证据" * 300_000
    assert len(safe_text.html_text(big)) == len(big)


def test_xml_safe_replaces_lone_surrogates_and_noncharacters():
    assert safe_text.xml_safe("a\ud800b\uffff\U0010fffe") == "a\ufffdb\ufffd\ufffd"


def test_preview_is_one_line_and_bounded():
    assert safe_text.preview("a\nb " * 100, limit=10) == "a b a b a…"
