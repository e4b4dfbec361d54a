"""The course home renders as a Voila app in both languages, offline and accessible."""
import pytest

from .helpers import axe_violations, error_outputs, external_requests, open_app

HOMES = {
    "en": ("The UN Special Procedures", "中文版", "public server"),
    "zh": ("联合国特别程序", "English version", "虚构"),
}


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_home_renders_with_content_and_no_leaks(voila_server, page, lang):
    title, other_language, warning_word = HOMES[lang]
    open_app(page, voila_server, f"modules/{lang}/home.ipynb", ".sp-warning")
    assert title in page.locator("h1").first.inner_text()
    body = page.locator("#rendered_cells").inner_text()
    for module in ("01-what-they-are", "02-how-they-help", "03-engaging", "04-engaging-safely", "05-capstone"):
        assert page.locator(f'a[href*="{module}"]').count() >= 1, module
    for tool in ("chooser", "drafting", "risk"):
        assert page.locator(f'a[href*="tools/{tool}"]').count() == 1, tool
    assert other_language in body
    assert page.locator(".sp-warning").is_visible()
    assert "import " not in body, "code is visible: Voila should strip sources"
    assert error_outputs(page) == []
    assert external_requests(page) == []
    violations = axe_violations(page)
    assert violations == [], violations
    page.screenshot(path=f"tests/.artifacts/home-{lang}.png", full_page=True)


def test_language_link_switches_page(voila_server, page):
    open_app(page, voila_server, "modules/en/home.ipynb", ".sp-warning")
    page.get_by_role("link", name="中文版").click()
    page.wait_for_selector("text=联合国特别程序", timeout=60_000)
    assert "/modules/zh/home.ipynb" in page.url
    assert external_requests(page) == []


def test_source_files_are_not_served(voila_server, page):
    for path in ("voila/files/course/storage.py", "voila/files/modules/en/home.ipynb"):
        response = page.request.get(f"{voila_server}/{path}")
        assert response.status in (403, 404), (path, response.status)
