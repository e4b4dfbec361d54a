"""Accessibility beyond axe's defaults, on all 16 pages: each page announces its language
(`lang="zh-CN"` or `"en"`, so a screen reader picks the right voice) and a human title in
that language (not the file name); axe finds nothing serious or critical and no "region"
or "heading-order" finding; every kind of control shows a focus ring of at least 3:1.
The loading line is in the page's language.
"""
from __future__ import annotations

import pytest

from .helpers import app_url, axe_violations, external_requests

pytestmark = pytest.mark.browser

PAGES = [f"modules/{lang}/{page}.ipynb" for lang in ("zh", "en")
         for page in ("home", "01-what-they-are", "02-how-they-help", "03-engaging", "04-engaging-safely",
                      "tools/chooser", "tools/drafting", "tools/risk")]
HTML_LANG = {"zh": "zh-CN", "en": "en"}
COURSE = {"zh": "联合国特别程序", "en": "UN Special Procedures"}
LOADING = {"zh": "交互部分", "en": "interactive parts"}

FOCUS_RING = """(el) => {
  const rgb = c => (c.match(/[\\d.]+/g) || []).map(Number);
  const lum = ([r, g, b]) => { const f = v => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; };
    return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b); };
  const ratio = (a, b) => { const [x, y] = [lum(a), lum(b)].sort((p, q) => q - p); return (x + 0.05) / (y + 0.05); };
  let bg = [255, 255, 255];
  for (let e = el.parentElement; e; e = e.parentElement) {
    const c = rgb(getComputedStyle(e).backgroundColor); if (c.length === 3 || (c.length === 4 && c[3] > 0.5)) { bg = c.slice(0, 3); break; }
  }
  const s = getComputedStyle(el);
  return {style: s.outlineStyle, width: parseFloat(s.outlineWidth), contrast: ratio(rgb(s.outlineColor).slice(0, 3), bg)};
}"""


def open_page(page, base: str, path: str) -> None:
    page.goto(app_url(base, path), wait_until="domcontentloaded", timeout=120_000)
    page.wait_for_selector("#loading", state="detached", timeout=180_000)
    page.wait_for_selector("#rendered_cells .jupyter-widgets", state="visible", timeout=120_000)


@pytest.mark.parametrize("path", PAGES)
def test_language_title_and_axe(voila_server, page, path):
    lang = path.split("/")[1]
    held = []  # Voila's script is held back: what shows before it arrives is the content-first view
    page.route("**/voila/static/voila.js", lambda route: held.append(route))
    page.goto(app_url(voila_server, path), wait_until="commit", timeout=120_000)
    tool_page = "/tools/" in path  # one widget cell: its heading is drawn by the tool shell, with the widgets
    if not tool_page:  # the narrative is readable before Voila's script arrives
        page.wait_for_selector("#rendered_cells .jp-RenderedHTMLCommon", state="visible", timeout=120_000)
        page.wait_for_function("() => document.querySelector('#rendered_cells h1') !== null", timeout=120_000)
    page.wait_for_selector("#loading", state="attached", timeout=120_000)
    assert LOADING[lang] in page.locator("#loading").inner_text()
    for _ in range(600):  # the page asks for Voila's script once every cell has run
        if held:
            break
        page.wait_for_timeout(250)
    assert held, "the page never asked for Voila's script"
    held[0].continue_()
    page.wait_for_selector("#loading", state="detached", timeout=180_000)
    page.wait_for_selector("#rendered_cells .jupyter-widgets", state="visible", timeout=120_000)
    page.wait_for_function("() => document.querySelector('#rendered_cells h1') !== null", timeout=120_000)
    assert page.evaluate("document.documentElement.lang") == HTML_LANG[lang]
    title = page.title()
    heading = page.locator("#rendered_cells h1").first.inner_text().strip()
    assert heading.rstrip("¶").strip() in title and COURSE[lang] in title
    assert not title.endswith(".ipynb") and title != path.rsplit("/", 1)[-1][:-6]
    violations = axe_violations(page, impacts=("moderate", "serious", "critical"))
    assert [v for v in violations if v["impact"] in ("serious", "critical")] == []
    assert [v for v in violations if v["id"] in ("region", "heading-order")] == []
    assert external_requests(page) == []


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_every_control_shows_a_focus_ring(voila_server, page, lang):
    open_page(page, voila_server, f"modules/{lang}/tools/drafting.ipynb")
    main = page.locator("#rendered_cells")
    controls = {
        "text": main.locator(".widget-text input >> visible=true").first,
        "textarea": main.locator(".widget-textarea textarea >> visible=true").first,
        "dropdown": main.locator(".widget-dropdown select >> visible=true").first,
        "multiple": main.locator(".widget-select-multiple select >> visible=true").first,
        "checkbox": main.locator(".widget-checkbox input >> visible=true").first,
        "button": main.locator("button.widget-button >> visible=true").first,
        "toggle": main.locator(".widget-toggle-button >> visible=true").first,
        "link": main.locator(":is(.jp-RenderedHTMLCommon a, .widget-html-content a) >> visible=true").first,
    }
    weak = {}
    for kind, control in controls.items():
        control.scroll_into_view_if_needed()
        control.focus()
        ring = control.evaluate(FOCUS_RING)
        if ring["style"] in ("none", "") or ring["width"] < 2 or ring["contrast"] < 3:
            weak[kind] = ring
    assert weak == {}
