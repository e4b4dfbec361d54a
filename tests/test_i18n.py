"""The translation machinery and the completeness of the catalogues."""

import pytest

from course import i18n, i18n_tools


def test_every_message_is_translated_and_no_catalogue_is_stale():
    problems = i18n_tools.check()
    assert problems == [], "\n".join(problems)


def test_translates_with_explicit_language_and_placeholders():
    zh = i18n.t("common.error.unexpected", "zh", detail="ValueError")
    en = i18n.t("common.error.unexpected", "en", detail="ValueError")
    assert "ValueError" in zh and "ValueError" in en
    assert zh != en
    assert any("\u4e00" <= ch <= "\u9fff" for ch in zh)


@pytest.mark.parametrize("given,expected", [("zh_CN", "zh"), ("zh-Hans", "zh"), ("EN", "en"), ("en-GB", "en")])
def test_language_names_are_normalised(given, expected):
    assert i18n.normalise_lang(given) == expected


@pytest.mark.parametrize("bad", ["fr", "", None, "klingon"])
def test_unknown_languages_are_refused(bad):
    with pytest.raises(ValueError):
        i18n.normalise_lang(bad)


def test_unknown_key_names_the_catalogue():
    with pytest.raises(i18n.TranslationError, match="common.po"):
        i18n.t("common.no_such_message", "en")


def test_missing_catalogue_says_which_file(monkeypatch, tmp_path):
    monkeypatch.setattr(i18n, "LOCALE_DIR", tmp_path)
    i18n.load_catalogue.cache_clear()
    try:
        with pytest.raises(i18n.TranslationError, match=r"catalogue missing: .*zh_CN.*common\.po"):
            i18n.t("common.error.unexpected", "zh", detail="x")
    finally:
        i18n.load_catalogue.cache_clear()


def test_broken_catalogue_is_reported_not_crashing(monkeypatch, tmp_path):
    folder = tmp_path / "en" / "LC_MESSAGES"
    folder.mkdir(parents=True)
    # Latin-1 bytes in a UTF-8 catalogue: what a hand edit in the wrong editor produces.
    (folder / "common.po").write_bytes('msgid "common.x"\nmsgstr "caf\u00e9"\n'.encode("latin-1"))
    monkeypatch.setattr(i18n, "LOCALE_DIR", tmp_path)
    i18n.load_catalogue.cache_clear()
    try:
        with pytest.raises(i18n.TranslationError, match="cannot be read"):
            i18n.t("common.x", "en")
    finally:
        i18n.load_catalogue.cache_clear()


def test_check_detects_missing_untranslated_and_stale_keys(monkeypatch, tmp_path):
    source = tmp_path / "pkg"
    source.mkdir()
    (source / "view.py").write_text(
        'from course.i18n import t\nt("demo.used", "en")\nt("demo.empty", "en")\n', encoding="utf-8"
    )
    locale = tmp_path / "locale"
    for loc in ("zh_CN", "en"):
        folder = locale / loc / "LC_MESSAGES"
        folder.mkdir(parents=True)
        (folder / "demo.po").write_text(
            'msgid ""\nmsgstr ""\n\nmsgid "demo.gone"\nmsgstr "x"\n\nmsgid "demo.empty"\nmsgstr ""\n',
            encoding="utf-8",
        )
    original_extract = i18n_tools.extract_keys
    monkeypatch.setattr(i18n_tools, "LOCALE_DIR", locale)
    monkeypatch.setattr(i18n, "LOCALE_DIR", locale)
    monkeypatch.setattr(i18n_tools, "extract_keys", lambda: original_extract(source))
    problems = "\n".join(i18n_tools.check())
    assert "demo.used is used in course/ but missing from the catalogue" in problems
    assert "demo.empty has no translation" in problems
    assert "demo.gone is stale" in problems
