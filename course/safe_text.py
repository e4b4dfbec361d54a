"""Text typed by people, made safe wherever it is shown or exported.

Nothing is thrown away: every function returns a new string and leaves what the
user typed untouched in the domain objects, so that an escape never loses input.
"""
from __future__ import annotations

import html
import re
import unicodedata

# C0/C1 control characters except tab, newline and carriage return. They break
# XML (and so .docx), terminals and some browsers; they carry no meaning here.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~])")


def clean(text: object) -> str:
    """``str`` of the value with control characters removed and Unicode normalised (NFC)."""
    if text is None:
        return ""
    return unicodedata.normalize("NFC", _CONTROL.sub("", str(text)))


def html_text(text: object) -> str:
    """Escape for HTML element content and attribute values (quotes included)."""
    return html.escape(clean(text), quote=True)


def html_block(text: object) -> str:
    """Escape for HTML and keep line breaks; ``dir="auto"`` lets RTL scripts read right."""
    return '<span dir="auto">' + html_text(text).replace("\n", "<br>") + "</span>"


def markdown_text(text: object) -> str:
    """Escape Markdown syntax and raw HTML so typed text renders as plain text."""
    escaped = _MARKDOWN_SPECIAL.sub(r"\\\1", clean(text))
    # Two trailing spaces keep the user's line breaks inside one paragraph.
    return escaped.replace("\r\n", "\n").replace("\n", "  \n")


def xml_safe(text: object) -> str:
    """Text that python-docx / lxml accept: control characters and lone surrogates removed."""
    cleaned = clean(text)
    return cleaned.encode("utf-8", "replace").decode("utf-8") if _has_surrogate(cleaned) else cleaned


def _has_surrogate(text: str) -> bool:
    return any(0xD800 <= ord(ch) <= 0xDFFF for ch in text)


def preview(text: object, limit: int = 80) -> str:
    """A one-line preview of at most ``limit`` characters (not escaped)."""
    one_line = " ".join(clean(text).split())
    return one_line if len(one_line) <= limit else one_line[: limit - 1] + "…"
