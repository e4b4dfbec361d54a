"""Every module and tool at 360 x 740 (a small phone), in both languages: nothing off the
right edge, fields full width, yes/no dropdowns readable, tables scrolling inside their
own box, chart toolbars clear of titles, and one control of every type tapped (tap()
fails if another element covers it). On desktop, the "Confidential" marks are whole.
"""
from __future__ import annotations

import pytest

from .conftest import ARTIFACTS
from .helpers import app_url, external_requests

pytestmark = pytest.mark.browser

PAGES = [f"modules/{lang}/{page}.ipynb" for lang in ("zh", "en")
         for page in ("01-what-they-are", "02-how-they-help", "03-engaging", "04-engaging-safely",
                      "tools/chooser", "tools/drafting", "tools/risk")]
WIDTH, HEIGHT = 360, 740
CONFIDENTIAL = {"zh": "保密", "en": "Confidential"}

GEOMETRY = """() => {
  const visible = el => { const r = el.getBoundingClientRect(); const s = getComputedStyle(el);
    return r.width > 0 && r.height > 0 && s.visibility !== 'hidden'; };
  const inside = el => el.closest('table, .js-plotly-plot');
  const main = document.querySelector('#rendered_cells');
  const off = [], narrowSelects = [], smallTargets = [], wideTables = [], overlaps = [];
  for (const el of main.querySelectorAll('input, select, textarea, button, label, .widget-label')) {
    if (!visible(el) || inside(el)) continue;
    const r = el.getBoundingClientRect();
    if (r.left < -1 || r.right > window.innerWidth + 1) off.push(el.outerHTML.slice(0, 120));
  }
  for (const el of main.querySelectorAll('.widget-dropdown select')) {
    if (visible(el) && el.getBoundingClientRect().width < 200) narrowSelects.push(el.outerHTML.slice(0, 120));
  }
  for (const el of main.querySelectorAll('input[type=checkbox], button')) {
    if (!visible(el) || inside(el)) continue;
    const target = el.closest('label, .widget-checkbox') || el; const r = target.getBoundingClientRect();
    if (r.height < 24 || r.width < 24) smallTargets.push(el.outerHTML.slice(0, 120));
  }
  for (const el of main.querySelectorAll('table')) {
    if (visible(el) && el.getBoundingClientRect().right > window.innerWidth + 1) wideTables.push(el.className || 'table');
  }
  const cut = [];
  for (const chart of main.querySelectorAll('.sp-chart')) {
    const bar = chart.querySelector('.modebar'), title = chart.querySelector('.sp-chart-title');
    if (bar && title && visible(bar)) {
      const a = bar.getBoundingClientRect(), b = title.getBoundingClientRect();
      if (a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom) overlaps.push(title.textContent);
    }
    // Titles and source lines wrap; every label drawn in the plot stays inside the screen.
    for (const el of chart.querySelectorAll('.sp-chart-title, .sp-chart-subtitle, .sp-chart-source, .main-svg text')) {
      if (!visible(el) || !el.textContent.trim()) continue;
      const r = el.getBoundingClientRect();
      if (r.left < -1 || r.right > window.innerWidth + 1) cut.push(el.textContent.slice(0, 60));
    }
  }
  return {scroll: document.documentElement.scrollWidth, mainScroll: main.scrollWidth, mainWidth: main.clientWidth,
          off, narrowSelects, smallTargets, wideTables, overlaps, cut};
}"""


@pytest.fixture
def phone(browser):
    context = browser.new_context(viewport={"width": WIDTH, "height": HEIGHT}, is_mobile=True, has_touch=True,
                                  device_scale_factor=2)
    blocked: list[str] = []
    context.route("**/*", lambda route: route.continue_() if route.request.url.startswith("http://127.0.0.1")
                  else (blocked.append(route.request.url), route.abort()))
    page = context.new_page()
    page.sp_blocked = blocked
    yield page
    context.close()


def open_ready(page, base: str, path: str) -> None:
    page.goto(app_url(base, path), wait_until="domcontentloaded", timeout=120_000)
    page.wait_for_selector("#loading", state="detached", timeout=180_000)  # all cells and scripts are in
    page.wait_for_selector("#rendered_cells .jupyter-widgets", state="visible", timeout=120_000)
    # Every chart drawn: plotly.js arrives after the widgets (course.chart_widget).
    page.wait_for_function("""() => [...document.querySelectorAll('#rendered_cells .sp-chart')]
        .every(chart => chart.querySelector('.js-plotly-plot .main-svg'))""", timeout=120_000)
    page.wait_for_timeout(1000)  # plotly lays out again once the fonts are in


QUIET = """() => new Promise(resolve => {
  // Resolves once the page has not changed for 1.5 s (15 s at most): a choice in a dropdown
  // can make a tool redraw part of itself (the drafting form's profile), after a kernel round trip.
  const main = document.querySelector('#rendered_cells');
  let timer = setTimeout(done, 1500);
  const observer = new MutationObserver(() => { clearTimeout(timer); timer = setTimeout(done, 1500); });
  const limit = setTimeout(done, 15000);
  function done() { observer.disconnect(); clearTimeout(limit); resolve(true); }
  observer.observe(main, { childList: true, subtree: true, attributes: true });
})"""


def tap_one_of_each(page) -> list[str]:
    """Tap a checkbox, a dropdown, a text field, a text area and a button, if the page has them."""
    tapped = []
    main = page.locator("#rendered_cells")
    kinds = {
        "checkbox": main.locator(".widget-checkbox input[type=checkbox]"),
        "text": main.locator(".widget-text input[type=text]"),
        "textarea": main.locator(".widget-textarea textarea"),
        "dropdown": main.locator(".widget-dropdown select"),
        "toggle": main.locator(".widget-toggle-button"),
        "radio": main.locator(".widget-radio-box input[type=radio]"),
        "button": main.locator("button.widget-button"),
    }
    for kind, locator in kinds.items():
        visible = [locator.nth(i) for i in range(min(locator.count(), 40)) if locator.nth(i).is_visible()]
        if not visible:
            continue
        control = visible[-1] if kind == "toggle" else visible[0]
        control.scroll_into_view_if_needed()
        control.tap(timeout=10_000)  # fails if the control is covered or off screen
        if kind in ("text", "textarea"):
            control.fill("林乔 test")
            assert control.input_value() == "林乔 test"
        if kind == "dropdown" and control.evaluate("s => s.options.length") > 1:
            control.select_option(index=1)
            page.evaluate(QUIET)  # the next control is looked up in the redrawn page
        if kind == "checkbox":
            assert control.is_checked()
        tapped.append(kind)
    return tapped


@pytest.mark.parametrize("path", PAGES)
def test_page_is_usable_on_a_360px_phone(voila_server, phone, path):
    open_ready(phone, voila_server, path)
    shot = ARTIFACTS / "phone" / (path.replace("/", "_").replace(".ipynb", ".png"))
    shot.parent.mkdir(parents=True, exist_ok=True)
    phone.screenshot(path=str(shot))
    geometry = phone.evaluate(GEOMETRY)
    assert geometry["scroll"] <= WIDTH, f"page wider than the phone: {geometry['scroll']} px"
    assert geometry["mainScroll"] <= geometry["mainWidth"] + 1, "content scrolls sideways"
    assert geometry["off"] == [], "controls off the screen"
    assert geometry["narrowSelects"] == [], "dropdowns too narrow to read"
    assert geometry["smallTargets"] == [], "controls too small to tap"
    assert geometry["wideTables"] == [], "tables wider than the screen"
    assert geometry["overlaps"] == [], "chart toolbars over titles"
    assert geometry["cut"] == [], "chart text cut at the screen's edge"
    # A reader reaches what is below the first screen with the wheel or a swipe (scrollIntoView
    # alone would pass even where nothing a person does can scroll the page).
    phone.mouse.move(WIDTH / 2, 400)
    phone.mouse.wheel(0, 600)
    phone.wait_for_timeout(500)
    assert phone.evaluate("document.getElementById('rendered_cells').scrollTop "
                          "+ document.scrollingElement.scrollTop") > 0, "the page does not scroll"
    tapped = tap_one_of_each(phone)
    assert tapped, "no control found"
    if path.endswith("drafting.ipynb"):
        assert {"checkbox", "text", "textarea", "dropdown", "button"} <= set(tapped)
    assert external_requests(phone) == []


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_confidential_marks_are_whole_on_desktop(voila_server, page, lang):
    page.goto(app_url(voila_server, f"modules/{lang}/tools/drafting.ipynb"), wait_until="domcontentloaded",
              timeout=120_000)
    labels = page.locator(".widget-checkbox", has_text=CONFIDENTIAL[lang])
    labels.first.wait_for(timeout=120_000)
    truncated = page.evaluate(
        """(word) => [...document.querySelectorAll('.widget-checkbox')]
             .filter(box => box.textContent.includes(word))
             .flatMap(box => [...box.querySelectorAll('*')])
             .filter(el => el.scrollWidth > el.clientWidth + 1 && getComputedStyle(el).overflow !== 'visible')
             .map(el => el.outerHTML.slice(0, 100))""",
        CONFIDENTIAL[lang],
    )
    assert labels.count() >= 9
    assert truncated == []
