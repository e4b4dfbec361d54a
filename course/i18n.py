"""Translation of every string the course shows, with an explicit language.

Messages are identified by keys such as ``"chooser.question.ongoing"``. The part
before the first dot names the gettext domain, so each tool keeps its own
catalogue (``course/locale/<locale>/LC_MESSAGES/<domain>.po``) and people working
on different tools never edit the same file.

Call sites always pass the key as a string literal, so that
``python -m course.i18n_tools check`` (and the test suite) can extract every key
from the source and compare it with the catalogues. For keys chosen at run time,
mark each possible key once with :func:`N_`.
"""
from __future__ import annotations

import functools
import re
import string
from pathlib import Path
from typing import Literal

LANGUAGES = ("zh", "en")
"""Course languages, in the order the course presents them."""

LOCALES = {"zh": "zh_CN", "en": "en"}
"""gettext locale directory for each course language."""

LOCALE_DIR = Path(__file__).parent / "locale"
KEY_PATTERN = re.compile(r"^[a-z][a-z0-9_]*(\.[a-z0-9_]+)+$")


class TranslationError(LookupError):
    """A catalogue is missing or broken, or a key has no translation."""


def normalise_lang(lang: str) -> str:
    """Map ``"zh_CN"``, ``"zh-Hans"``, ``"en-GB"`` ... to ``"zh"`` or ``"en"``."""
    if not isinstance(lang, str) or not lang.strip():
        raise ValueError(f"language must be one of {LANGUAGES}, got {lang!r}")
    base = lang.strip().replace("-", "_").split("_")[0].lower()
    if base not in LANGUAGES:
        raise ValueError(f"language must be one of {LANGUAGES}, got {lang!r}")
    return base


def domain_of(key: str) -> str:
    if not isinstance(key, str) or not KEY_PATTERN.match(key):
        raise TranslationError(
            f"message key {key!r} must look like 'domain.name' (lower case, dots)"
        )
    return key.split(".", 1)[0]


def catalogue_path(lang: str, domain: str) -> Path:
    return LOCALE_DIR / LOCALES[normalise_lang(lang)] / "LC_MESSAGES" / f"{domain}.po"


@functools.cache
def load_catalogue(lang: str, domain: str) -> dict[str, str]:
    """Read one ``.po`` file into ``{key: text}``; fuzzy or empty entries are left out."""
    from babel.messages.pofile import PoFileError, read_po

    path = catalogue_path(lang, domain)
    if not path.exists():
        raise TranslationError(
            f"translation catalogue missing: {path} (language {lang!r}, domain {domain!r}); "
            "run `python -m course.i18n_tools update`"
        )
    try:
        with path.open("rb") as handle:
            catalog = read_po(handle, abort_invalid=True)
    except (PoFileError, UnicodeDecodeError, ValueError) as exc:
        raise TranslationError(f"translation catalogue {path} cannot be read: {exc}") from exc
    return {
        message.id: message.string
        for message in catalog
        if isinstance(message.id, str) and message.id and isinstance(message.string, str) and message.string
        and not message.fuzzy
    }


def t(key: str, lang: str, /, **values: object) -> str:
    """Return the text for ``key`` in ``lang``, with ``{placeholders}`` filled in.

    Values are inserted as given: escaping is the job of whoever renders the result
    (see :mod:`course.safe_text`).
    """
    lang = normalise_lang(lang)
    domain = domain_of(key)
    text = load_catalogue(lang, domain).get(key)
    if text is None:
        raise TranslationError(f"no {lang} translation for {key!r} in {catalogue_path(lang, domain)}")
    if values:
        try:
            return text.format(**values)
        except (KeyError, IndexError, ValueError) as exc:
            raise TranslationError(f"{key!r} ({lang}) could not be filled with {sorted(values)}: {exc}") from exc
    return text


def N_(key: str) -> str:
    """Mark a key for extraction without translating it (for keys picked at run time)."""
    return key


def placeholders(text: str) -> set[str]:
    """Names of the ``{placeholders}`` in a message."""
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


class Translator:
    """``t`` bound to one language: ``tr = Translator("zh"); tr("chooser.title")``."""

    def __init__(self, lang: str) -> None:
        self.lang = normalise_lang(lang)

    def __call__(self, key: str, /, **values: object) -> str:
        return t(key, self.lang, **values)


# --------------------------------------------------------------------------- formatting
BABEL_LOCALES = {"zh": "zh_CN", "en": "en_GB"}
"""Babel (CLDR) locale used to format lists, dates and numbers in each course language.
English dates read the British way ("4 January 2025"), as the UN writes them."""


class UserError(ValueError):
    """Something the user typed or uploaded cannot be used.

    Carries a message key and its values, never translated text: the view that
    catches it translates at the edge with :meth:`message`.
    """

    def __init__(self, key: str, /, **values: object) -> None:
        super().__init__(f"{key} {values}" if values else key)
        self.key = key
        self.values = values

    def message(self, lang: str) -> str:
        return t(self.key, lang, **self.values)


def babel_locale(lang: str) -> str:
    """The Babel locale for ``lang`` (``"zh"`` -> ``"zh_CN"``)."""
    lang = normalise_lang(lang)
    return BABEL_LOCALES.get(lang, LOCALES.get(lang, lang))


def language_name(lang: str) -> str:
    """A language's name in its own script, from CLDR: 中文, English, français ..."""
    from babel import Locale

    return Locale.parse(lang).get_display_name() or lang


def language_name_in(code: str, reader: str) -> str:
    """The name of language ``code`` in the reader's language, from CLDR ("no" read in English:
    "Norwegian"; in Chinese: "挪威语"); the code itself if CLDR does not know it."""
    from babel import Locale, UnknownLocaleError

    try:
        return Locale.parse(code).get_display_name(babel_locale(reader)) or code
    except (ValueError, UnknownLocaleError):
        return code


ListStyle = Literal["standard", "standard-short", "or", "or-short", "unit", "unit-short", "unit-narrow"]
"""CLDR list styles Babel knows."""


def format_list(items, lang: str, style: ListStyle = "standard") -> str:
    """``["A", "B", "C"]`` as ``lang`` writes a list: "A, B and C", "A、B和C" (CLDR list patterns)."""
    from babel.lists import format_list as babel_format_list

    items = [str(item) for item in items]
    if not items:
        return ""
    return babel_format_list(items, style=style, locale=babel_locale(lang))


def join(items, lang: str) -> str:
    """Items of equal rank (sources, reasons) separated as ``lang`` separates clauses: "a; b", "a；b".

    The separator is a catalogue entry (``common.separator``), so a new language sets it
    in its catalogue, not in Python.
    """
    return t("common.separator", lang).join(str(item) for item in items)


def label_value(label: str, value: str, lang: str) -> str:
    """``"Label: value"`` with the colon ``lang`` uses ("：" in Chinese), from the catalogue."""
    return t("common.label_value", lang, label=label, value=value)


def format_date(day, lang: str, format: str = "long") -> str:
    """A date as readers of ``lang`` write it: "4 January 2025", "2025年1月4日".

    ``format`` is a CLDR width (short, medium, long, full) or a Babel pattern. A date
    that Babel cannot format falls back to ISO 8601, so a date always shows.
    """
    from babel.dates import format_date as babel_format_date

    try:
        return babel_format_date(day, format=format, locale=babel_locale(lang))
    except Exception:  # noqa: BLE001 - a date must always show
        return day.isoformat()


def format_month(day, lang: str) -> str:
    """Month and year: "April 2026", "2026年4月" (CLDR's yMMMM skeleton)."""
    from babel.dates import format_skeleton

    try:
        return format_skeleton("yMMMM", day, locale=babel_locale(lang))
    except Exception:  # noqa: BLE001
        return f"{day:%Y-%m}"


def format_number(number, lang: str) -> str:
    """A number with ``lang``'s grouping and decimal signs (CLDR)."""
    from babel.numbers import format_decimal

    return format_decimal(number, locale=babel_locale(lang))

