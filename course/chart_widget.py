"""Charts that never hold a page back: plotly figures drawn by a small widget, with
plotly.js fetched from the course's own server once the page is up.

Why not plotly's own front end: Voila loads every installed lab extension before it draws
the first widget, and plotly's is 4.85 MB (1.45 MB compressed). On Chrome's Fast 3G profile
that alone held back the first widget of every page with a chart by 15 to 25 seconds
(README, Performance; issue 11). :class:`Chart` draws a figure with the same plotly.js,
which ``course.install`` copies from the installed plotly package into the course's Voila
template (served at ``<base>voila/templates/sp-course/static/plotly-<version>.min.js`` by
standalone Voila and by Voila inside Jupyter Server alike, gzipped, cached for a year).
The browser fetches it only on a page that draws a chart, after that page's widgets have
started, and then once per browser.

The chart's title and source line are HTML around the plot (a ``<figure>`` with its
``<figcaption>``), not SVG text inside it: they wrap at any width (plotly draws a title as
one line, which a 360 px phone cut off), screen readers read them, and the plot's toolbar
cannot cover them. Below 600 px the toolbar is hidden, the legend sits under the title and
a figure's ``layout.meta.narrow`` (layout settings for a phone, merged over its layout) applies.

:func:`use_course_charts` makes ``fig.show()`` display a :class:`Chart`, so the
notebooks keep plotly's own idiom; the lesson and tool modules call it on import.
"""
from __future__ import annotations

import json
from typing import Any

import anywidget
import traitlets

from .i18n import normalise_lang, t

RENDERER = "sp_course"
"""Name of the plotly renderer :func:`use_course_charts` registers and makes the default."""

SOURCE_ANNOTATION = "sp-source"
"""``name`` of the annotation that holds a chart's source line; it is shown as HTML under the plot."""


def plotly_file_name() -> str:
    """File name of plotly.js in the template's ``static/`` folder: versioned, so a new
    plotly never meets a browser's cached old copy."""
    import plotly

    return f"plotly-{plotly.__version__}.min.js"


_ESM = r"""
const NARROW = 600;  // px: below this the toolbar goes and the legend moves under the title

function pageBase() {
  // Voila and JupyterLab both put the server's base URL in #jupyter-config-data.
  const config = document.getElementById("jupyter-config-data");
  if (config) {
    try {
      const base = JSON.parse(config.textContent).baseUrl;
      if (base) return base.endsWith("/") ? base : base + "/";
    } catch (error) { /* fall through */ }
  }
  const body = document.body.dataset.baseUrl || "/";  // Voila: ".../voila/"
  return body.replace(/voila\/$/, "");
}

function loadPlotly(file) {
  // One fetch per page, whatever the number of charts; the HTTP cache serves later pages.
  if (!window.__spCoursePlotly) {
    const url = pageBase() + "voila/templates/sp-course/static/" + file;
    window.__spCoursePlotly = fetch(url, { credentials: "same-origin" })
      .then((response) => {
        if (!response.ok) throw new Error(url + ": " + response.status);
        return response.text();
      })
      .then((source) => {
        // plotly.min.js is a UMD bundle: given a CommonJS `module` it exports there and
        // touches no global.
        const module = { exports: {} };
        new Function("module", "exports", "define", source + "\n//# sourceURL=" + url)(module, module.exports, undefined);
        return module.exports;
      });
    window.__spCoursePlotly.catch(() => { window.__spCoursePlotly = null; });  // a later chart may retry
  }
  return window.__spCoursePlotly;
}

function plainText(html) {
  // DOMParser's document is inert: no script runs and no image loads, whatever the text holds.
  const doc = new DOMParser().parseFromString(String(html || "").replace(/<br\s*\/?>/gi, " "), "text/html");
  return (doc.body.textContent || "").replace(/\s+/g, " ").trim();
}

function titleLines(layout) {
  // "Title<br><sup>subtitle</sup>": the first line is the title, the rest its subtitle.
  const title = layout && layout.title;
  const html = typeof title === "string" ? title : (title && title.text) || "";
  return String(html).split(/<br\s*\/?>/i).map(plainText).filter(Boolean);
}

function sourceText(layout) {
  const notes = (layout && layout.annotations) || [];
  return notes.filter((note) => note.name === "SOURCE").map((note) => plainText(note.text)).join(" ");
}

function merged(base, extra) {
  // Objects merge key by key; arrays and values replace.
  const out = Object.assign({}, base);
  for (const [key, value] of Object.entries(extra || {})) {
    const both = value && typeof value === "object" && !Array.isArray(value)
      && out[key] && typeof out[key] === "object" && !Array.isArray(out[key]);
    out[key] = both ? merged(out[key], value) : value;
  }
  return out;
}

function wrapped(text, room) {
  // Axis titles are one SVG line: break them to fit the plot on a phone.
  const latin = Math.max(16, Math.floor(room / 8)), cjk = Math.max(8, Math.floor(room / 15));
  const plain = String(text || "");
  if (plain.indexOf("<br") >= 0) return plain;
  if (plain.indexOf(" ") < 0) {
    const parts = [];
    for (let i = 0; i < plain.length; i += cjk) parts.push(plain.slice(i, i + cjk));
    return parts.join("<br>");
  }
  const lines = [];
  let line = "";
  for (const word of plain.split(/\s+/)) {
    if (line && line.length + 1 + word.length > latin) { lines.push(line); line = word; }
    else { line = line ? line + " " + word : word; }
  }
  if (line) lines.push(line);
  return lines.join("<br>");
}

function plotLayout(layout, narrow, room) {
  // The title and source line are drawn as HTML; the plot keeps only what is inside its axes.
  let out = JSON.parse(JSON.stringify(layout || {}));
  if (narrow && out.meta && out.meta.narrow) out = merged(out, out.meta.narrow);  // the figure's own phone layout
  const hadSource = (out.annotations || []).some((note) => note.name === "SOURCE");
  out.annotations = (out.annotations || []).filter((note) => note.name !== "SOURCE");
  delete out.title;
  out.margin = Object.assign({}, out.margin || {});
  out.margin.t = out.showlegend === false ? 12 : 40;
  if (hadSource) out.margin.b = 40;
  if (narrow) {
    out.margin.r = Math.min(out.margin.r == null ? 60 : out.margin.r, 24);
    for (const key of Object.keys(out)) {
      const axis = out[key];
      if (/^[xy]axis\d*$/.test(key) && axis && axis.title && axis.title.text) {
        out[key] = Object.assign({}, axis, { title: Object.assign({}, axis.title, { text: wrapped(axis.title.text, room - 40) }) });
      }
    }
    const own = (layout.meta && layout.meta.narrow && layout.meta.narrow.legend) || {};
    out.legend = Object.assign({}, out.legend || {}, { orientation: "h", x: 0, xanchor: "left", y: 1.02, yanchor: "bottom" }, own);
  }
  if (!out.width || room < out.width) {  // a fixed width (the risk grid's square) only where it fits
    delete out.width;
    out.autosize = true;
  }
  return out;
}

function render({ model, el }) {
  const figure = document.createElement("figure");
  figure.className = "sp-chart";
  const caption = document.createElement("figcaption");
  const title = document.createElement("p");
  title.className = "sp-chart-title";
  title.setAttribute("dir", "auto");
  const plot = document.createElement("div");
  plot.className = "sp-chart-plot";
  const status = document.createElement("p");
  status.className = "sp-chart-status";
  status.setAttribute("role", "status");
  const source = document.createElement("p");
  source.className = "sp-chart-source";
  source.setAttribute("dir", "auto");
  const subtitle = document.createElement("p");
  subtitle.className = "sp-chart-subtitle";
  subtitle.setAttribute("dir", "auto");
  const description = document.createElement("p");
  description.className = "sp-chart-description";
  caption.append(title, subtitle, description);
  figure.append(caption, status, plot, source);
  el.append(figure);

  let Plotly = null;
  let narrow = null;
  const draw = () => {
    const fig = model.get("figure") || {};
    const layout = fig.layout || {};
    const lines = titleLines(layout);
    title.textContent = lines[0] || "";
    subtitle.textContent = lines.slice(1).join(" ");
    subtitle.hidden = !subtitle.textContent;
    source.textContent = sourceText(layout);
    source.hidden = !source.textContent;
    description.textContent = model.get("description");
    description.hidden = !description.textContent;
    if (!Plotly) {
      if (!status.classList.contains("sp-chart-failed")) plot.style.minHeight = (layout.height || 420) + "px";
      return;
    }
    narrow = el.clientWidth > 0 && el.clientWidth < NARROW;
    const config = Object.assign({}, fig.config || {}, { responsive: true, displaylogo: false });
    if (narrow) config.displayModeBar = false;
    Plotly.react(plot, fig.data || [], plotLayout(layout, narrow, el.clientWidth), config);
    plot.style.minHeight = "";
    status.textContent = "";
    status.hidden = true;
  };
  status.textContent = model.get("loading");
  draw();
  model.on("change:description", draw);
  loadPlotly(model.get("library")).then(
    (library) => { Plotly = library; draw(); },
    () => {
      status.textContent = model.get("failed");
      status.classList.add("sp-chart-failed");
      plot.style.minHeight = "";  // no empty box where the chart would have been
    },
  );
  model.on("change:figure", draw);
  const resized = new ResizeObserver(() => {
    if (Plotly && narrow !== (el.clientWidth > 0 && el.clientWidth < NARROW)) draw();
  });
  resized.observe(el);
  return () => {
    resized.disconnect();
    if (Plotly) Plotly.purge(plot);
  };
}
export default { render };
""".replace("SOURCE", SOURCE_ANNOTATION)


class Chart(anywidget.AnyWidget):
    """A plotly figure, drawn in the browser by plotly.js from the course's own server.

    ``figure``: the figure as plotly's JSON (``{"data": [...], "layout": {...}, "config": {...}}``);
    set a new one to redraw. ``loading`` and ``failed``: what the chart's status line says
    while plotly.js loads and if it cannot (the page's language). ``library``: the file
    name under the template's ``static/`` folder (:func:`plotly_file_name`).
    """

    _esm = _ESM
    figure = traitlets.Dict().tag(sync=True)
    loading = traitlets.Unicode("").tag(sync=True)
    failed = traitlets.Unicode("").tag(sync=True)
    library = traitlets.Unicode("").tag(sync=True)
    description = traitlets.Unicode("").tag(sync=True)

    def __init__(self, figure: Any = None, lang: str = "en", **kwargs: Any) -> None:
        super().__init__(figure=figure_json(figure) if figure is not None else {},
                         library=plotly_file_name(), **kwargs)
        self.relabel(lang)

    def relabel(self, lang: str) -> None:
        """Say the status lines in ``lang`` (``"zh"`` or ``"en"``)."""
        lang = normalise_lang(lang)
        self.loading = t("page.chart.loading", lang)
        self.failed = t("page.chart.failed", lang)

    def show(self, figure: Any) -> None:
        """Draw another figure (a ``go.Figure`` or its dict) in the same place."""
        self.figure = figure_json(figure)


def figure_json(figure: Any) -> dict:
    """A plotly figure (``go.Figure`` or dict) as plain JSON data: numpy arrays become the
    typed-array form plotly.js reads, so the widget state is valid JSON."""
    import plotly.io as pio

    return json.loads(pio.to_json(figure, validate=False))


def figure_lang(figure_dict: dict) -> str:
    """The language a course figure was built in (``layout.meta.lang``), English if unset."""
    meta = (figure_dict.get("layout") or {}).get("meta")
    lang = meta.get("lang") if isinstance(meta, dict) else None
    try:
        return normalise_lang(lang) if lang else "en"
    except ValueError:
        return "en"


def stacked_on_a_phone(figure: Any, panel_height: int = 230, gap: int = 110) -> dict:
    """Phone layout (for ``layout.meta.narrow``) of a figure made by ``make_subplots`` with
    one row: the panels go one under the other, full width, each with its subplot title
    above it. Returns the layout settings; raises ``ValueError`` for a figure without subplots.

    Only layout changes (axis domains, the titles' positions, the height), so the same
    figure serves both widths.
    """
    layout = figure_json(figure).get("layout", {})
    count = sum(1 for key in layout if key == "xaxis" or (key.startswith("xaxis") and key[5:].isdigit()))
    if count < 2:
        raise ValueError("stacked_on_a_phone needs a figure with two or more subplots")
    plot_height = count * panel_height + (count - 1) * gap
    narrow: dict[str, Any] = {"height": plot_height + 150, "margin": {"r": 44}}  # room for values beside bars
    tops = []
    for index in range(count):
        top = 1 - index * (panel_height + gap) / plot_height
        bottom = top - panel_height / plot_height
        suffix = "" if index == 0 else str(index + 1)
        narrow[f"xaxis{suffix}"] = {"domain": [0.0, 1.0]}
        narrow[f"yaxis{suffix}"] = {"domain": [round(bottom, 4), round(top, 4)]}
        tops.append(top)
    notes = list(layout.get("annotations") or [])
    # make_subplots puts the subplot titles first, one per panel.
    for index, note in enumerate(notes[:count]):
        notes[index] = {**note, "text": _wrap(note.get("text", ""), latin=32, cjk=18), "x": 0.0, "xanchor": "left",
                        "y": tops[index], "yanchor": "bottom", "yshift": 6, "align": "left"}
    narrow["annotations"] = notes
    return narrow


def labels_above_bars(figure: Any, narrow: dict | None = None, bar_slot: int = 52) -> dict:
    """Phone layout (for ``layout.meta.narrow``) of horizontal bar charts: each category's
    label is written above its bar instead of beside it, where long labels would leave no
    room for the bars. ``narrow``: phone settings to add to (e.g. :func:`stacked_on_a_phone`'s);
    its height, if any, is kept. ``bar_slot``: pixels per bar. Returns the settings.
    """
    data = figure_json(figure)
    layout = data.get("layout", {})
    out: dict[str, Any] = dict(narrow or {})
    notes = list(out.get("annotations", layout.get("annotations") or []))
    per_axis: dict[str, list] = {}
    for trace in data.get("data", []):
        if trace.get("type") != "bar" or trace.get("orientation") != "h":
            continue
        x_axis, y_axis = trace.get("xaxis", "x"), trace.get("yaxis", "y")
        labels = per_axis.setdefault(y_axis, [])
        for label in trace.get("y") or []:
            if label in labels:
                continue
            labels.append(label)
            notes.append({"xref": x_axis, "yref": y_axis, "x": 0, "y": label, "text": _wrap(label), "showarrow": False,
                          "xanchor": "left", "yanchor": "bottom", "yshift": 14, "align": "left",
                          "font": {"size": 12, "color": "#222"}})
    if not per_axis:
        raise ValueError("labels_above_bars needs a figure with horizontal bars")
    for y_axis in per_axis:
        out[f"yaxis{y_axis[1:]}"] = {**out.get(f"yaxis{y_axis[1:]}", {}), "showticklabels": False}
    out["annotations"] = notes
    out["bargap"] = 0.5
    out["margin"] = {**out.get("margin", {}), "l": 8, "r": 56}  # room for the values beside the bars
    lines = max(note["text"].count("<br>") + 1 for note in notes if "yshift" in note)
    bar_slot += 16 * (lines - 1)  # a label of two lines needs the room of one more
    out.setdefault("height", bar_slot * max(len(labels) for labels in per_axis.values()) + 170)
    return out


def wrap_words(text: str, width: int) -> str:
    """Join the words of ``text`` into lines (``<br>``) of at most ``width`` characters where
    possible; a longer word keeps a line to itself."""
    lines, line = [], ""
    for word in text.split():
        if line and len(line) + 1 + len(word) > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}".strip()
    return "<br>".join([*lines, line])


def _wrap(text: str, latin: int = 38, cjk: int = 22) -> str:
    """Break a label for a 360 px screen: at spaces after ``latin`` characters, or every
    ``cjk`` characters in text written without spaces. Existing ``<br>`` breaks are kept."""
    text = str(text).replace("<br>", " ") if " " in str(text) else str(text).replace("<br>", "")
    if " " not in text:
        return "<br>".join(text[i:i + cjk] for i in range(0, len(text), cjk))
    return wrap_words(text, latin)


def use_course_charts() -> None:
    """Make ``fig.show()`` display a :class:`Chart` in this kernel (a plotly renderer named
    :data:`RENDERER`, made the default). Idempotent. Exercises do not call it: nbgrader's
    feedback shows plotly's own output."""
    import plotly.io as pio
    from plotly.io._base_renderers import MimetypeRenderer

    class CourseChartRenderer(MimetypeRenderer):
        def to_mimebundle(self, fig_dict: dict) -> dict:
            bundle = Chart(fig_dict, lang=figure_lang(fig_dict))._repr_mimebundle_()
            # anywidget returns (data, metadata); plotly merges data only.
            data = bundle[0] if isinstance(bundle, tuple) else bundle
            return dict(data or {})

    if RENDERER not in pio.renderers:
        pio.renderers[RENDERER] = CourseChartRenderer()
    pio.renderers.default = RENDERER
