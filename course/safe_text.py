"""Text typed by people, made safe wherever it is shown or exported.

Nothing is thrown away: every function returns a new string and leaves what the
user typed untouched in the domain objects, so that an escape never loses input.
"""
from __future__ import annotations

import html
import re
import unicodedata

REPLACEMENT = "\ufffd"
"""Shown in place of a code point a format cannot hold, so the loss is visible (U+FFFD)."""

# Code points no export format here can hold, or that XML 1.0 (and so .docx) refuses:
# C0 controls except tab/newline/carriage return, DEL and C1 controls, lone surrogates,
# and the 66 Unicode noncharacters (U+FDD0-U+FDEF and the last two code points of every plane).
_NONCHARACTERS = "\ufdd0-\ufdef" + "".join(
    f"{chr(plane * 0x10000 + 0xFFFE)}{chr(plane * 0x10000 + 0xFFFF)}" for plane in range(17))
_REFUSED = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff" + _NONCHARACTERS + "]")
_SURROGATE = re.compile("[\ud800-\udfff]")


def clean(text: object) -> str:
    """``str`` of the value, Unicode-normalised (NFC), with every code point that an export
    format cannot hold (see ``_REFUSED``) replaced by U+FFFD: visible, never silently dropped."""
    if text is None:
        return ""
    return unicodedata.normalize("NFC", _REFUSED.sub(REPLACEMENT, str(text)))


def strip_refused(text: object) -> str:
    """Like :func:`clean`, but the refused code points are dropped, not shown.

    Only for data that programs wrote (an OHCHR export saved by a spreadsheet), where a
    stray control character is noise and a country name must still match; text a person
    typed goes through :func:`clean`, so that nothing they wrote disappears unseen.
    """
    if text is None:
        return ""
    return unicodedata.normalize("NFC", _REFUSED.sub("", str(text)))


def count_refused(value: object) -> int:
    """How many code points :func:`clean` would replace in ``value`` (strings inside dicts,
    lists and tuples included, keys too): what to report once after an export."""
    if isinstance(value, str):
        return len(_REFUSED.findall(value))
    if isinstance(value, dict):
        return sum(count_refused(k) + count_refused(v) for k, v in value.items())
    if isinstance(value, (list, tuple, set, frozenset)):
        return sum(count_refused(v) for v in value)
    return 0


def without_surrogates(value):
    """``(value, count)``: ``value`` with lone surrogates replaced by U+FFFD, deep.

    A lone surrogate cannot be encoded as UTF-8, so it cannot travel to the browser
    (Jupyter messages are UTF-8 JSON); everything else can.
    """
    if isinstance(value, str):
        found = len(_SURROGATE.findall(value))
        return (_SURROGATE.sub(REPLACEMENT, value) if found else value), found
    if isinstance(value, dict):
        out, total = {}, 0
        for key, item in value.items():
            new_key, a = without_surrogates(key)
            new_item, b = without_surrogates(item)
            out[new_key] = new_item
            total += a + b
        return out, total
    if isinstance(value, (list, tuple)):
        pairs = [without_surrogates(v) for v in value]
        return type(value)(v for v, _ in pairs), sum(c for _, c in pairs)
    return value, 0


def json_text(text: str) -> str:
    """JSON text (from ``json.dumps(..., ensure_ascii=False)``) that is valid UTF-8:
    lone surrogates, which only occur inside JSON strings, become ``\\uXXXX`` escapes,
    so the file loads back to exactly the same strings."""
    return _SURROGATE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def html_text(text: object) -> str:
    """Escape for HTML element content and attribute values (quotes included)."""
    return html.escape(clean(text), quote=True)


def html_block(text: object) -> str:
    """Escape for HTML and keep line breaks; ``dir="auto"`` lets RTL scripts read right."""
    return '<span dir="auto">' + html_text(text).replace("\n", "<br>") + "</span>"


# Markdown (CommonMark + GitHub tables/strikethrough, as JupyterLab renders it): only what
# would change the meaning is escaped, so e-mail addresses, dates and prose stay readable.
_ENTITY = r"&(?=#[0-9]{1,7};|#[xX][0-9a-fA-F]{1,6};|[A-Za-z][A-Za-z0-9]{1,31};)"
_MD_INLINE = re.compile(
    r"[`*\[\]<|~$]"                        # code, emphasis, links/images, raw HTML/autolinks, tables, strike, maths
    r"|\\(?=[!-/:-@\[-`{-~]|$)"            # a backslash that would escape the next character
    r"|(?<![0-9A-Za-z])_|_(?![0-9A-Za-z])"  # _ that could open or close emphasis (not snake_case)
    r"|" + _ENTITY,                        # &name; or &#123; that would become a character
    re.M)
_MD_LINE_START = re.compile(r"^([ \t]*)(?:([#>+=-])|([0-9]{1,9})([.)]))", re.M)


def markdown_text(text: object) -> str:
    """Escape typed text so it renders as the same plain text in Markdown.

    Escaped: characters that start code, emphasis, links, raw HTML (so typed HTML stays
    inert), tables, strikethrough and maths, entity references, and block markers at the
    start of a line (``#``, ``>``, ``-``, ``+``, ``=``, ``1.``). Ordinary punctuation is left
    alone: ``practice-contact@example.org`` and ``2026-12-05`` come out unchanged.
    Line breaks are kept (two trailing spaces); indentation of four or more is reduced,
    so a line never turns into a code block.
    """
    lines = clean(text).replace("\r\n", "\n").replace("\r", "\n").split("\n")
    out = []
    for line in lines:
        indent = len(line) - len(line.lstrip(" \t"))
        if indent > 3:
            line = line.lstrip(" \t")
        line = _MD_INLINE.sub(lambda m: "\\" + m.group(), line)
        line = _MD_LINE_START.sub(
            lambda m: m.group(1) + ("\\" + m.group(2) if m.group(2) else m.group(3) + "\\" + m.group(4)),
            line, count=1)
        out.append(line)
    # Two trailing spaces keep the user's line breaks inside one paragraph.
    return "  \n".join(out)


def xml_safe(text: object) -> str:
    """Text that python-docx / lxml (XML 1.0) accept: refused code points shown as U+FFFD."""
    return clean(text)


def preview(text: object, limit: int = 80) -> str:
    """A one-line preview of at most ``limit`` characters (not escaped)."""
    one_line = " ".join(clean(text).split())
    return one_line if len(one_line) <= limit else one_line[: limit - 1] + "…"
