"""The submission drafting form: a thin view over :mod:`course.tools.drafting.rules`.

    from course.tools.drafting.view import drafting_form
    drafting_form(lang="zh")

Layout and event wiring only: what a draft must contain, and what is wrong with
it, is decided in ``course.tools.drafting.rules``; exports are built by
``course.tools.drafting.exports``; drafts are saved by ``course.storage`` on the
machine that runs the kernel. Nothing is sent anywhere.

The nine sections are laid out one after another under headings rather than in
an Accordion: ipywidgets 8 Accordion headers cannot be reached with the keyboard.
"""
from __future__ import annotations

import csv
import functools
import logging
import os
from collections.abc import Callable
from datetime import date

import ipywidgets as w
from ipywidgets.widgets.widget_bool import CheckboxStyle
from ipywidgets.widgets.widget_description import DescriptionStyle
from ipywidgets.widgets.widget_string import TextStyle

from ... import i18n, paths, safe_text, storage
from ...i18n import N_, t
from ...sources import localise
from ..shell import ToolShell
from ..upload import MAX_UPLOAD_BYTES, SizeCheckedUpload
from . import profiles
from . import rules as model

log = logging.getLogger(__name__)

_YESNO = (("", None), ("yes", True), ("no", False))
LABEL_WIDTH = "13em"
CHOICE_WIDTH = "calc(100% - 8em)"
STYLE = """<style>
.sp-drafting h2.sp-question { font-size: 1.15em; margin: 8px 0 2px 0; color: #102a52; }
.sp-drafting h2 { font-size: 1.15em; margin: 14px 0 4px 0; }
.sp-drafting .sp-hint { color: #3b3b3b; font-size: 0.93em; margin: 2px 0 6px 0; line-height: 1.5; }
.sp-drafting .sp-label { font-weight: 600; margin: 8px 0 0 0; }
.sp-drafting .sp-issues { margin: 4px 0 8px 0; padding-left: 1.4em; line-height: 1.6; }
.sp-drafting .sp-issue-error strong { color: #b3261e; }
.sp-drafting .sp-issue-warning strong { color: #8a4600; }
.sp-drafting .sp-issue-hint strong { color: #1f4e99; }
.sp-drafting .sp-cite { color: #555; }
.sp-drafting .widget-textarea textarea { min-height: 5em; }
.sp-drafting .widget-inline-hbox .widget-label { white-space: normal; overflow: visible; text-overflow: clip;
  height: auto; min-height: var(--jp-widgets-inline-height); line-height: 1.35; padding-top: 4px; }
.sp-drafting .widget-checkbox { margin-right: 1.2em; }
.sp-drafting .widget-inline-hbox.widget-dropdown, .sp-drafting .widget-inline-hbox.widget-text {
  height: auto; min-height: var(--jp-widgets-inline-height); }
.sp-drafting .widget-dropdown > select { height: var(--jp-widgets-inline-height); }
.sp-drafting .widget-checkbox .widget-label { padding-top: 0; }
.sp-drafting .sp-categories .widget-checkbox { height: auto; margin: 2px 0; }
.sp-drafting .widget-checkbox .widget-label-basic, .sp-drafting .widget-checkbox .widget-label-basic span {
  height: auto; white-space: normal; overflow: visible; text-overflow: clip; line-height: 1.35; }
.sp-drafting .widget-checkbox .widget-label-basic { align-items: flex-start; }
/* Phones (issue 12: the longer form at 360 px): labels above their fields, fields full width. */
@media (max-width: 540px) {
  .sp-drafting .widget-inline-hbox.widget-text, .sp-drafting .widget-inline-hbox.widget-textarea,
  .sp-drafting .widget-inline-hbox.widget-dropdown, .sp-drafting .widget-inline-hbox.widget-select-multiple {
    flex-wrap: wrap; width: 100% !important; max-width: 100%; }
  .sp-drafting .widget-inline-hbox.widget-text > .widget-label,
  .sp-drafting .widget-inline-hbox.widget-textarea > .widget-label,
  .sp-drafting .widget-inline-hbox.widget-dropdown > .widget-label,
  .sp-drafting .widget-inline-hbox.widget-select-multiple > .widget-label {
    flex: 0 0 100%; width: 100% !important; max-width: 100% !important; text-align: left; padding-right: 0; }
  .sp-drafting .widget-inline-hbox > input, .sp-drafting .widget-inline-hbox > textarea,
  .sp-drafting .widget-inline-hbox > select { flex: 1 1 100%; min-width: 0; width: 100%; }
  .sp-drafting .widget-hbox { flex-wrap: wrap; }
  .sp-drafting .widget-checkbox { width: auto !important; min-width: 0 !important; max-width: 100%; }
  .sp-drafting .widget-checkbox > .widget-label { overflow: visible; text-overflow: clip; white-space: normal; }
}
</style>"""

SECTION_HELP = (
    N_("drafting.help.q1"), N_("drafting.help.q2"), N_("drafting.help.q3"),
    N_("drafting.help.q4"), N_("drafting.help.q5"), N_("drafting.help.q6"),
    N_("drafting.help.q7"), N_("drafting.help.q8"), N_("drafting.help.q9"),
)
SEVERITY_KEYS = {
    "error": N_("drafting.severity.error"),
    "warning": N_("drafting.severity.warning"),
    "hint": N_("drafting.severity.hint"),
}
PROFILE_HELP = {
    "general": N_("drafting.profile_help.general"),
    "wgeid": N_("drafting.profile_help.wgeid"),
    "wgad": N_("drafting.profile_help.wgad"),
    "law": N_("drafting.profile_help.law"),
}
"""What each profile is for, and whose form it follows (sources in the text)."""
LOAD_ERROR_KEYS = {
    "not_utf8": N_("drafting.load.not_utf8"),
    "not_json": N_("drafting.load.not_json"),
    "not_object": N_("drafting.load.not_object"),
}


PAGE = {"heading": N_("drafting.page.heading"), "intro": N_("drafting.page.intro"),
        "links": [(N_("common.page.home"), "../home.ipynb"), (N_("drafting.page.chooser"), "chooser.ipynb")]}
"""The stand-alone page's own heading, links and introduction."""

MANDATES_CSV = paths.data_dir() / "mandates.csv"


def _mandate_names(lang: str) -> dict[str, str]:
    """``{mandate_id: name}`` in ``lang`` from data/mandates.csv; empty if the table cannot be read.

    Read with the csv module rather than ``course.data.load``: importing pandas would
    add most of a second before the form's first control shows (the table itself is
    validated by ``course.data`` and its tests).
    """
    column = f"name_{lang}"  # a language without its own column reads the English names (below)
    try:
        with MANDATES_CSV.open(encoding="utf-8", newline="") as handle:
            rows = list(csv.DictReader(handle))
        if rows and column not in rows[0]:
            column = "name_en"
        return {row["mandate_id"]: row[column] for row in rows if row.get("mandate_id") and row.get(column)}
    except (OSError, KeyError, csv.Error, UnicodeDecodeError):  # the form works without names
        log.exception("mandates table unavailable")
        return {}


class DraftingForm(w.VBox):
    """The whole form. Displayable as is; ``apply_handoff`` takes the chooser's result."""

    def __init__(self, lang: str = "en", comm_type: str | None = None,
                 mandate_ids: list[str] | None = None, *, store_root=None,
                 environ: dict | None = None, today: date | None = None, page: bool = False) -> None:
        super().__init__(layout=w.Layout(width="100%", max_width="1100px"))
        self.add_class("sp-drafting")
        self.lang = lang
        self._store_root = store_root
        self._environ = environ
        self._today = today
        self._relabel: list[Callable[[], None]] = []
        self._extra: dict = {}
        self._undo: model.Submission | None = None
        self._issues_shown = False
        self._names = {code: _mandate_names(code) for code in i18n.LANGUAGES}

        self._hidden_marks: set[str] = set()
        self._replaced_on_load = 0
        self._populating = False
        self._status_render: Callable[[], None] | None = None
        # Shared layout and style models: one each instead of one per control keeps the
        # page light (fewer widget models for the browser to create on first load).
        self._field_layout = w.Layout(flex="1 1 auto", width="auto")
        self._date_layout = w.Layout(width="28em")
        self._choice_layout = w.Layout(width=CHOICE_WIDTH)
        self._check_layout = w.Layout(width="7.5em", min_width="7.5em")
        self._row_layout = w.Layout(width="100%", align_items="flex-start")
        self._date_row_layout = w.Layout(width="100%", align_items="flex-start", justify_content="space-between")
        self._button_layout = w.Layout(width="auto", min_width="8em")
        self._text_style = TextStyle(description_width=LABEL_WIDTH)
        self._choice_style = DescriptionStyle(description_width=LABEL_WIDTH)
        self._check_style = CheckboxStyle()
        self._button_style = w.ButtonStyle()
        self.shell: ToolShell = ToolShell("drafting", lang, relabel=lambda: self.set_lang(self.shell.lang),
                                          environ=environ, page=PAGE if page else None)
        self.status = self.shell.status
        guard = self._guard

        # -- top: language, warning, intro -------------------------------------------------
        self.lang_toggle = self.shell.language
        self.lang_toggle.style = {"description_width": "initial", "button_width": "7em"}
        self._label(self.lang_toggle, "description", N_("drafting.language"))
        self.warning = self.shell.warning
        self.intro = w.HTML(layout=w.Layout(width="100%"))
        self._html(self.intro, N_("drafting.intro"), cls="sp-note")

        # -- type, mandates, sources ---------------------------------------------------------
        self.title_text = self._text(N_("drafting.draft_title"))
        self.comm_type = w.Dropdown(layout=w.Layout(width="32em"), style={"description_width": LABEL_WIDTH})
        self._label(self.comm_type, "description", N_("drafting.comm_type"))
        self._options(self.comm_type, lambda: [(t("drafting.comm_type.none", self.lang), "")] + [
            (t(model.COMM_TYPE_KEYS[c], self.lang), c) for c in model.COMM_TYPES])
        self.profile = w.Dropdown(layout=w.Layout(width=CHOICE_WIDTH), style={"description_width": LABEL_WIDTH})
        self.profile.add_class("sp-profile")
        self._label(self.profile, "description", N_("drafting.profile"))
        self._options(self.profile, lambda: [(t(model.PROFILE_KEYS[p], self.lang), p) for p in model.PROFILES])
        self.profile_help = w.HTML(layout=w.Layout(width="100%"))
        self._relabel.append(self._render_profile_help)
        self.profile_offer = w.HTML(layout=w.Layout(width="100%"))
        self.profile_offer_button = w.Button(icon="exchange", layout=w.Layout(width="auto", display="none"))
        self._label(self.profile_offer_button, "description", N_("drafting.profile_offer_button"))
        self._offered: str | None = None
        self.mandates = w.SelectMultiple(rows=6, layout=w.Layout(width="100%"),
                                         style={"description_width": LABEL_WIDTH})
        self._label(self.mandates, "description", N_("drafting.mandates"))
        self._options(self.mandates, self._mandate_options)
        self.mandates_note = w.HTML()
        self._html(self.mandates_note, N_("drafting.mandates_note"), cls="sp-hint")
        self.sources = {}
        for source in model.SOURCE_TYPES:
            box = w.Checkbox(value=False, indent=False, layout=w.Layout(width="auto"))
            self._label(box, "description", model.SOURCE_KEYS[source])
            self.sources[source] = box
        self.sources_label = w.HTML()
        self._html(self.sources_label, N_("drafting.sources"), cls="sp-label")
        self.media_note = w.HTML()
        self._html(self.media_note, N_("drafting.media_note"), cls="sp-hint")
        general = w.VBox([
            self.title_text, self.profile, self.profile_help, self.profile_offer, self.profile_offer_button,
            self.comm_type, self.mandates, self.mandates_note,
            self.sources_label, w.HBox(list(self.sources.values())), self.media_note,
        ], layout=w.Layout(width="100%"))

        # -- the nine questions ---------------------------------------------------------------
        self.controls: dict[str, w.Widget] = {}
        self.rows: dict[str, w.Widget] = {}
        self.confidential: dict[str, w.Checkbox] = {}
        self.victim_box = w.VBox(layout=w.Layout(width="100%"))
        self.victim_rows: list[dict] = []
        self.add_victim = w.Button(icon="plus", layout=w.Layout(width="auto", align_self="flex-start"))
        self._label(self.add_victim, "description", N_("drafting.add_victim"))
        self.add_victim.on_click(guard(lambda _b: self._on_add_victim()))
        sections = []
        for number in range(1, 10):
            heading = w.HTML(layout=w.Layout(width="100%"))
            self._relabel.append(self._heading_updater(heading, number))
            rows: list[w.Widget] = [heading]
            if number == 3:
                rows += [self.victim_box, self.add_victim]
            for spec in model.FIELDS:
                if spec.question == number:
                    rows.append(self._field_row(spec))
            sections.append(w.VBox(rows, layout=w.Layout(width="100%", border="1px solid #d0d7e2",
                                                         padding="4px 12px 10px 12px", margin="8px 0")))
        self.section_boxes = sections

        # -- meter, actions, outputs ------------------------------------------------------------
        self.meter = w.FloatProgress(value=0.0, min=0.0, max=1.0, bar_style="info",
                                     layout=w.Layout(width="28em"), style={"description_width": "initial"})
        self._label(self.meter, "description", N_("drafting.completeness"))
        self.meter_text = w.HTML()
        self.check_button = self._button(N_("drafting.check"), "check", "primary")
        # The document's language: English first, as OHCHR reads English, French or Spanish.
        doc_langs = sorted(i18n.LANGUAGES, key=lambda code: code != "en")
        self.doc_lang = w.Dropdown(options=[(i18n.language_name(code), code) for code in doc_langs], value="en", layout=w.Layout(width="22em"),
                                   style={"description_width": "initial"})
        self._label(self.doc_lang, "description", N_("drafting.doc_lang"))
        self.doc_lang_note = w.HTML()
        self._html(self.doc_lang_note, N_("drafting.doc_lang_note"), cls="sp-hint")
        self.issues = w.HTML(layout=w.Layout(width="100%"))
        # One button per format; the file is built from the form when clicked (course.tools.downloads).
        self.downloads = self.shell.add_downloads(self._download_files)
        self._relabel.append(self._relabel_downloads)

        # Size checked in the browser: a file over the limit is never sent (see course.tools.upload).
        self.upload = SizeCheckedUpload(max_bytes=MAX_UPLOAD_BYTES, layout=w.Layout(width="auto"))
        self._label(self.upload, "description", N_("drafting.load_json"))
        self.undo_button = self._button(N_("drafting.undo_load"), "undo")
        self.undo_button.layout = w.Layout(width="auto", min_width="8em", display="none")  # its own: it hides

        # Saving, opening and deleting: the shell's encrypted records panel (course.tools.records).
        self.records = self.shell.add_records("draft", get_payload=self._record_payload,
                                              on_restore=self._restore_payload, store_root=store_root)
        self.saved_heading = w.HTML()
        self._html(self.saved_heading, N_("drafting.saved_heading"), tag="h2")
        self.actions_heading = w.HTML()
        self._html(self.actions_heading, N_("drafting.actions_heading"), tag="h2")

        # -- wiring -----------------------------------------------------------------------------
        self.profile.observe(guard(lambda _c: self._on_profile()), names="value")
        self.profile_offer_button.on_click(guard(lambda _b: self._take_offer()))
        self.check_button.on_click(guard(lambda _b: self.run_check()))
        self.upload.observe(guard(self._on_upload), names="value")
        self.undo_button.on_click(guard(lambda _b: self.undo_load()))
        for control in [self.comm_type, self.mandates, self.title_text, *self.sources.values(),
                        *self.controls.values()]:
            control.observe(guard(lambda _c: self.update_meter()), names="value")

        self.children = [
            w.HTML(STYLE), *([self.shell.page_header] if page else []),
            self.lang_toggle, self.warning, self.intro, general, *sections,
            self.actions_heading,
            w.HBox([self.meter, self.meter_text], layout=w.Layout(align_items="center", flex_flow="row wrap")),
            w.HBox([self.check_button], layout=w.Layout(flex_flow="row wrap")),
            self.issues,
            w.HBox([self.doc_lang, self.doc_lang_note], layout=w.Layout(align_items="center", flex_flow="row wrap")),
            self.downloads,
            self.saved_heading,
            w.HBox([self.upload, self.undo_button], layout=w.Layout(flex_flow="row wrap")),
            self.status,
            self.records,
        ]
        self.shell.relabel()
        self._apply_labels()
        self.populate(model.blank())
        if comm_type is None and mandate_ids is None:
            env = os.environ if environ is None else environ
            known = set(self._names["en"]) or None
            comm_type, mandate_ids = model.parse_handoff(env.get("QUERY_STRING", ""), known)
        self.apply_handoff(comm_type, mandate_ids or [])

    # ------------------------------------------------------------------ building blocks
    def _guard(self, callback: Callable) -> Callable:
        """``common.guarded`` in the language shown when the callback runs."""
        def run(*args, **kwargs):
            return self.shell.guard(callback)(*args, **kwargs)
        return run

    def _label(self, widget: w.Widget, attr: str, key: str) -> None:
        self._relabel.append(lambda: setattr(widget, attr, t(key, self.lang)))

    def _html(self, widget: w.HTML, key: str, cls: str = "", tag: str = "div") -> None:
        def update() -> None:
            text = safe_text.html_text(t(key, self.lang))
            widget.value = f'<{tag} class="{cls}">{text}</{tag}>'
        self._relabel.append(update)

    def _options(self, widget, make: Callable[[], list]) -> None:
        def update() -> None:
            keep = widget.value
            widget.options = make()
            offered = {value for _label, value in widget.options}
            if isinstance(keep, tuple):  # SelectMultiple
                widget.value = tuple(v for v in keep if v in offered)
            elif keep in offered:
                widget.value = keep
        self._relabel.append(update)

    def _heading_updater(self, heading: w.HTML, number: int) -> Callable[[], None]:
        def update() -> None:
            title = safe_text.html_text(f"{number}. {model.question_title(number, self.lang)}")
            help_text = safe_text.html_text(t(SECTION_HELP[number - 1], self.lang))
            heading.value = f'<h2 class="sp-question">{title}</h2><div class="sp-hint">{help_text}</div>'
        return update

    def _text(self, key: str, long: bool = False) -> w.Widget:
        if long:
            control = w.Textarea(rows=4, continuous_update=False, layout=self._field_layout, style=self._text_style)
        else:
            control = w.Text(continuous_update=False, layout=self._field_layout, style=self._text_style)
        self._label(control, "description", key)
        return control

    def _button(self, key: str, icon: str, style: str = "") -> w.Button:
        button = w.Button(icon=icon, button_style=style, layout=self._button_layout, style=self._button_style)
        self._label(button, "description", key)
        return button

    def _yesno(self, key: str) -> w.Dropdown:
        control = w.Dropdown(layout=self._choice_layout, style=self._choice_style)
        self._label(control, "description", key)
        self._options(control, lambda: [(t("drafting.not_stated", self.lang), ""),
                                        (t("submission.yes", self.lang), "yes"),
                                        (t("submission.no", self.lang), "no")])
        return control

    def _confidential_box(self) -> w.Checkbox:
        box = w.Checkbox(value=False, indent=False, layout=self._check_layout, style=self._check_style)
        self._label(box, "description", N_("drafting.confidential"))
        return box

    def _field_row(self, spec: model.FieldSpec) -> w.Widget:
        row = self._make_row(spec)
        if spec.profiles:  # its own layout: hiding it must not hide the rows that share one
            row.layout = w.Layout(width="100%", align_items="flex-start", justify_content="space-between")
            row.add_class("sp-profile-block")
        self.rows[spec.path] = row
        return row

    def _make_row(self, spec: model.FieldSpec) -> w.Widget:
        if spec.kind == "multi":
            control = CategoryChoice(self, spec.label_key)
            self.controls[spec.path] = control
            return w.HBox([control.box], layout=self._row_layout)
        if spec.kind == "yesno":
            control = self._yesno(spec.label_key)
        elif spec.kind == "choice":
            keys = model.CHOICE_KEYS[spec.path]
            control = w.Dropdown(layout=self._choice_layout, style=self._choice_style)
            self._label(control, "description", spec.label_key)
            self._options(control, self._choice_options(keys))
        else:
            control = self._text(spec.label_key, long=spec.kind == "longtext")
            if spec.kind == "date":
                control.placeholder = "YYYY-MM-DD"
                control.layout = self._date_layout
        self.controls[spec.path] = control
        if spec.kind in ("yesno", "choice"):
            return w.HBox([control], layout=self._row_layout)
        box = self._confidential_box()
        self.confidential[spec.path] = box
        return w.HBox([control, box], layout=self._date_row_layout if spec.kind == "date" else self._row_layout)

    def _choice_options(self, keys: dict[str, str]) -> Callable[[], list[tuple[str, str]]]:
        def make() -> list[tuple[str, str]]:
            return [(t("drafting.not_stated", self.lang), "")] + [
                (t(key, self.lang), value) for value, key in keys.items()]
        return make

    def _mandate_options(self) -> list[tuple[str, str]]:
        names = self._names.get(self.lang) or {}
        chosen = list(self.mandates.value) if self.mandates.options else []
        ids = sorted(names, key=lambda m: names[m]) + [m for m in chosen if m not in names]
        return [(names[m] if m in names else m, m) for m in ids]

    # ------------------------------------------------------------------ victims
    def _build_victims(self, victims: list[model.Victim], confidential: set[str]) -> None:
        rows = []
        self.victim_rows = []
        for index, victim in enumerate(victims):
            kind = w.Dropdown(options=[(t("drafting.victim_person", self.lang), "person"),
                                       (t("drafting.victim_group", self.lang), "group")],
                              value="group" if victim.is_group else "person",
                              description=t("drafting.victim_kind", self.lang, number=index + 1),
                              style=self._choice_style, layout=self._date_layout)
            inputs, boxes, lines = {}, {}, []
            for name, key in model.VICTIM_FIELDS:
                if name == "name" and victim.is_group:
                    key = model.GROUP_NAME_KEY
                control = w.Text(value=getattr(victim, name), continuous_update=False,
                                 description=t(key, self.lang), layout=self._field_layout, style=self._text_style)
                box = w.Checkbox(description=t("drafting.confidential", self.lang), indent=False,
                                 layout=self._check_layout, style=self._check_style)
                box.value = f"victims.{index}.{name}" in confidential
                control.observe(self._guard(lambda _c: self.update_meter()), names="value")
                inputs[name], boxes[name] = control, box
                lines.append(w.HBox([control, box], layout=self._row_layout))
            naming = w.Dropdown(options=[(t("drafting.not_stated", self.lang), "")] + [
                (t(key, self.lang), value) for value, key in model.PUBLIC_NAMING_KEYS.items()],
                value=victim.public_naming if victim.public_naming in model.PUBLIC_NAMING_KEYS else "",
                description=t(model.PUBLIC_NAMING_KEY, self.lang), style=self._choice_style,
                layout=self._choice_layout)
            naming.observe(self._guard(lambda _c: self.update_meter()), names="value")
            lines.append(w.HBox([naming], layout=self._row_layout))
            remove = w.Button(description=t("drafting.remove_victim", self.lang, number=index + 1),
                              icon="minus", layout=w.Layout(width="auto", align_self="flex-start"))
            remove.on_click(self._guard(lambda _b, i=index: self._on_remove_victim(i)))
            kind.observe(self._guard(lambda _c: self._rebuild_victims()), names="value")
            rows.append(w.VBox([kind, *lines, remove],
                               layout=w.Layout(width="100%", border_left="3px solid #1f4e99",
                                               padding="0 0 0 8px", margin="6px 0")))
            self.victim_rows.append({"kind": kind, "inputs": inputs, "confidential": boxes, "naming": naming})
        self.victim_box.children = rows

    def _rebuild_victims(self) -> None:
        sub = self.collect()
        self._build_victims(sub.victims, sub.confidential)
        self.update_meter()

    def _on_add_victim(self) -> None:
        sub = self.collect()
        sub.victims.append(model.AllegedVictim())
        self._build_victims(sub.victims, sub.confidential)
        self.update_meter()

    def _on_remove_victim(self, index: int) -> None:
        sub = self.collect()
        if 0 <= index < len(sub.victims):
            model.remove_victim(sub, index)
        self._build_victims(sub.victims, sub.confidential)
        self.update_meter()

    # ------------------------------------------------------------------ model <-> widgets
    def collect(self) -> model.Submission:
        """The draft as the form shows it now (nothing is validated or changed)."""
        sub = model.Submission(title=self.title_text.value, comm_type=self.comm_type.value or None,
                               mandate_ids=list(self.mandates.value), profile=self.profile.value or "general")
        for spec in model.FIELDS:
            value = self.controls[spec.path].value
            if spec.kind == "yesno":
                value = {"yes": True, "no": False}.get(value)
            model.set_value(sub, spec.path, value)
        for row in self.victim_rows:
            victim = model.AllegedVictim(is_group=row["kind"].value == "group", public_naming=row["naming"].value,
                                         **{name: control.value for name, control in row["inputs"].items()})
            sub.victims.append(victim)
        sub.confidential = {path for path, box in self.confidential.items() if box.value}
        for index, row in enumerate(self.victim_rows):
            sub.confidential |= {f"victims.{index}.{name}" for name, box in row["confidential"].items()
                                 if box.value}
        # Marks on paths this form has no control for (e.g. from a newer version) are kept.
        sub.confidential |= self._hidden_marks
        sub.source_types = {s for s, box in self.sources.items() if box.value}
        sub.extra = dict(self._extra)
        return sub

    def populate(self, sub: model.Submission) -> None:
        """Show ``sub`` in the form (replacing what is there)."""
        self._populating = True
        try:
            self._populate(sub)
        finally:
            self._populating = False
        self.update_meter()

    def _populate(self, sub: model.Submission) -> None:
        self.title_text.value = sub.title
        self.profile.value = sub.profile if sub.profile in model.PROFILES else "general"
        self.comm_type.value = sub.comm_type or ""
        self._ensure_mandates(sub.mandate_ids)
        offered = {value for _label, value in self.mandates.options}
        self.mandates.value = tuple(m for m in sub.mandate_ids if m in offered)
        for spec in model.FIELDS:
            value = model.get_value(sub, spec.path)
            if spec.kind == "yesno":
                value = {True: "yes", False: "no"}.get(value, "")
            if spec.kind == "multi":
                self.controls[spec.path].value = list(value or [])
                continue
            self.controls[spec.path].value = value if value is not None else ""
        for path, box in self.confidential.items():
            box.value = path in sub.confidential
        for source, box in self.sources.items():
            box.value = source in sub.source_types
        self._build_victims(sub.victims, sub.confidential)
        shown = set(self.confidential) | {f"victims.{i}.{n}" for i in range(len(sub.victims))
                                          for n, _ in model.VICTIM_FIELDS}
        self._hidden_marks = set(sub.confidential) - shown
        self._extra = dict(sub.extra)
        self._show_profile()

    def _ensure_mandates(self, mandate_ids: list[str]) -> None:
        offered = {value for _label, value in self.mandates.options}
        missing = [m for m in mandate_ids if m not in offered]
        if missing:
            self.mandates.options = list(self.mandates.options) + [(m, m) for m in missing]

    def apply_handoff(self, comm_type: str | None, mandate_ids: list[str]) -> None:
        """Take the chooser's type and mandates (the ``on_handoff`` callback of the chooser).

        The profile follows (:func:`course.tools.drafting.profiles.suggest_profile`): a disappearance
        selects the WGEID profile, an other letter the law profile; a detention offers the WGAD one."""
        if comm_type in model.COMM_TYPES:
            self.comm_type.value = comm_type
        ids = [m for m in (mandate_ids or []) if isinstance(m, str) and model._SLUG.match(m)]
        if ids:
            self._ensure_mandates(ids)
            self.mandates.value = tuple(dict.fromkeys(list(self.mandates.value) + ids))
        if comm_type is None and not ids:
            return
        profile, offered = profiles.suggest_profile(comm_type, ids)
        if profile != "general":
            self.profile.value = profile
        self._offered = offered if offered != self.profile.value else None
        self._render_offer()

    # ------------------------------------------------------------------ profiles
    def _on_profile(self) -> None:
        if self._offered == self.profile.value:
            self._offered = None
        self._show_profile()
        self._render_offer()
        self.update_meter()
        if self._issues_shown:
            self.run_check()

    def _show_profile(self) -> None:
        """Show the blocks of the chosen profile; hidden blocks keep their values (saved and exported)."""
        profile = self.profile.value or "general"
        for spec in model.FIELDS:
            if spec.profiles:
                self.rows[spec.path].layout.display = None if spec.shown_in(profile) else "none"
        self._render_profile_help()

    def _render_profile_help(self) -> None:
        key = PROFILE_HELP.get(self.profile.value or "general", PROFILE_HELP["general"])
        self.profile_help.value = f'<div class="sp-hint sp-profile-help">{safe_text.html_text(t(key, self.lang))}</div>'

    def _render_offer(self) -> None:
        if self._offered:
            text = t("drafting.profile_offer", self.lang, profile=t(model.PROFILE_KEYS[self._offered], self.lang))
            self.profile_offer.value = f'<div class="sp-note sp-profile-offer">{safe_text.html_text(text)}</div>'
            self.profile_offer_button.layout.display = None
        else:
            self.profile_offer.value = ""
            self.profile_offer_button.layout.display = "none"

    def _take_offer(self) -> None:
        if self._offered:
            self.profile.value = self._offered

    # ------------------------------------------------------------------ language
    def _apply_labels(self) -> None:
        for update in self._relabel:
            update()

    def set_lang(self, lang: str) -> None:
        """Relabel every control in place; what the user typed stays."""
        if self.lang_toggle.value != lang:
            self.lang_toggle.value = lang  # the shell calls back here with the new language
            return
        sub = self.collect()
        self.lang = lang
        self.shell.relabel()
        self._apply_labels()
        self._build_victims(sub.victims, sub.confidential)
        self.update_meter()
        self._render_offer()
        if self._status_render is not None and self.status.value:
            self._status_render()
        if self._issues_shown:
            self.run_check()

    # ------------------------------------------------------------------ check and meter
    def update_meter(self) -> None:
        if self._populating:
            return
        sub = self.collect()
        share = model.completeness(sub)
        answered = len(model.answered_questions(sub))
        self.meter.value = share
        self.meter.bar_style = "success" if answered == 9 else "info"
        self.meter_text.value = '<span class="sp-meter" aria-live="polite">{}</span>'.format(
            safe_text.html_text(t("drafting.meter_text", self.lang, percent=round(share * 100), answered=answered)))

    def run_check(self) -> model.CheckReport:
        report = model.check(self.collect(), self.lang, self._today)
        self._issues_shown = True
        self.issues.value = render_report(report, self.lang)
        return report

    # ------------------------------------------------------------------ exports
    def _download_files(self) -> list[tuple[str, str, Callable[[], bytes]]]:
        """One entry per format; each file is built from the form when its button is clicked."""
        from . import exports as export

        labels = {"md": t("drafting.download_md", self.lang), "docx": t("drafting.download_docx", self.lang),
                  "json": t("drafting.download_json", self.lang)}
        return [(export.export_filename(extension, self._today), label, functools.partial(self.export_file, extension))
                for extension, label in labels.items()]

    def _relabel_downloads(self) -> None:
        self.downloads.note = t("drafting.download_note", self.lang)
        self.downloads.refresh()

    def export_file(self, extension: str) -> bytes:
        """The draft as the form shows it now, as ``md``, ``docx`` or ``json`` bytes, in the
        document language chosen. Characters Markdown and Word cannot hold show as U+FFFD
        there (JSON keeps every code point); the status line says how many."""
        from . import exports as export

        sub = self.collect()
        doc_lang = self.doc_lang.value
        names = self._names.get(doc_lang) or None
        if extension == "json":
            return sub.to_json().encode("utf-8")
        replaced = safe_text.count_refused(sub.to_dict())
        if replaced:
            self._say("warning", lambda: t("drafting.download.replaced", self.lang, count=replaced))
        if extension == "docx":
            return export.to_docx_bytes(sub, doc_lang, names)
        return export.to_markdown(sub, doc_lang, names).encode("utf-8")

    # ------------------------------------------------------------------ loading
    def _on_upload(self, change) -> None:
        files = change["new"]
        if not files:
            return
        item = files[0]
        content = bytes(item.get("content", b"")) if isinstance(item, dict) else bytes(item.content)
        try:
            if (isinstance(item, dict) and item.get("too_large")) or len(content) > MAX_UPLOAD_BYTES:
                self._say("error", lambda: t("drafting.load.too_big", self.lang))
                return
            try:
                loaded = model.Submission.from_json(content)
            except model.SubmissionFormatError as exc:
                error_key = LOAD_ERROR_KEYS.get(exc.code, N_("drafting.load.not_json"))
                self._say("error", lambda: t(error_key, self.lang))
                return
            loaded = self._showable(loaded)
            self._replace_with(loaded)
            self.records.new_record()
            self._say_loaded(loaded, N_("drafting.load.done"))
        finally:
            self.upload.value = ()

    def _showable(self, loaded: model.Submission) -> model.Submission:
        """``loaded`` with lone surrogates (they cannot reach the browser) shown as U+FFFD;
        how many is remembered for the status line."""
        data, self._replaced_on_load = safe_text.without_surrogates(loaded.to_dict())
        if not self._replaced_on_load:
            return loaded
        fixed = model.Submission.from_dict(data)
        fixed.load_problems = list(loaded.load_problems)
        return fixed

    def _replace_with(self, loaded: model.Submission) -> None:
        current = self.collect()
        self._undo = None if model.is_empty(current) else current
        self.undo_button.layout.display = None if self._undo else "none"
        self.populate(loaded)
        self.issues.value = ""
        self._issues_shown = False

    def _say_loaded(self, loaded: model.Submission, key: str) -> None:
        def details() -> list[str]:
            problems = [t("drafting.load.problem", self.lang, field=p.path or "—", expected=p.expected)
                        for p in loaded.load_problems]
            lines = problems + [t("drafting.load.problems_kept", self.lang)] if problems else []
            if replaced:
                lines.append(t("drafting.load.replaced", self.lang, count=replaced))
            return lines

        replaced, self._replaced_on_load = self._replaced_on_load, 0
        self._say("warning" if loaded.load_problems or replaced else "ok", lambda: t(key, self.lang), details)

    def undo_load(self) -> None:
        if self._undo is not None:
            self.populate(self._undo)
            self._undo = None
        self.undo_button.layout.display = "none"
        self._say("ok", lambda: t("drafting.undo_done", self.lang))

    # ------------------------------------------------------------------ saving (RecordsPanel callbacks)
    def _record_payload(self) -> tuple[dict, str] | None:
        sub = self.collect()
        if model.is_empty(sub):
            return None
        return sub.to_dict(), model.display_title(sub, self.lang)

    def _restore_payload(self, payload: dict, record_id: str) -> None:
        loaded = self._showable(model.Submission.from_dict(payload))
        self._replace_with(loaded)
        self._say_loaded(loaded, N_("drafting.restore.done"))

    def save(self) -> storage.StoredRecord | None:
        """Save through the records panel (encrypted; needs the passphrase set or entered)."""
        return self.records.save()

    # ------------------------------------------------------------------ status line
    def _say(self, kind: str, message: Callable[[], str],
             details: list[str] | Callable[[], list[str]] | None = None) -> None:
        """Show a status line; it is rendered again in the new language when the user switches."""
        def render() -> None:
            cls = {"ok": "sp-ok", "warning": "sp-warning", "error": "sp-error"}[kind]
            lines = details() if callable(details) else (details or [])
            items = "".join(f"<li>{safe_text.html_block(d)}</li>" for d in lines)
            body = safe_text.html_text(message()) + (f"<ul>{items}</ul>" if items else "")
            role = "alert" if kind == "error" else "status"
            self.status.value = f'<div class="{cls}" role="{role}">{body}</div>'
        self._status_render = render
        render()


class CategoryChoice:
    """The WGAD categories as one checkbox each (readable on a phone, unlike a multi-select list);
    ``value`` is the list of chosen ids (:data:`course.tools.drafting.rules.WGAD_CATEGORIES`)."""

    def __init__(self, form: DraftingForm, label_key: str) -> None:
        self.label = w.HTML()
        form._html(self.label, label_key, cls="sp-label")
        self.boxes = {}
        for category in model.WGAD_CATEGORIES:
            box = w.Checkbox(value=False, indent=False, layout=w.Layout(width="100%"))
            form._label(box, "description", model.WGAD_CATEGORY_KEYS[category])
            box.observe(form._guard(lambda _c: form.update_meter()), names="value")
            self.boxes[category] = box
        self.box = w.VBox([self.label, *self.boxes.values()], layout=w.Layout(width="100%"))
        self.box.add_class("sp-categories")

    @property
    def value(self) -> list[str]:
        return [category for category, box in self.boxes.items() if box.value]

    @value.setter
    def value(self, chosen: list[str]) -> None:
        for category, box in self.boxes.items():
            box.value = category in (chosen or [])

    def observe(self, handler, names="value") -> None:
        for box in self.boxes.values():
            box.observe(handler, names=names)


def profile_preview(sub: model.Submission, lang: str = "en", doc_lang: str = "en",
                    today: date | None = None) -> w.HTML:
    """A read-only summary of a draft as its receiver will see it: the profile, the suggested e-mail
    subject, the sections in the receiver's order and what is still missing (Module 3's worked cases).

    ``lang``: the page's language; ``doc_lang``: the document's (English by default, as the texts
    go to OHCHR). Typed text is escaped."""
    from . import exports as export

    def h(text: str) -> str:
        return safe_text.html_text(text)

    names = _mandate_names(doc_lang) or None
    sections = [title for title, _rows in export._blocks(sub, doc_lang)]
    still = profiles.missing(sub, lang, today)
    parts = [f'<div class="sp-profile-preview"><p><strong>{h(t("drafting.preview.profile", lang))}</strong> '
             f'{h(t(model.PROFILE_KEYS.get(sub.profile, model.PROFILE_KEYS["general"]), lang))}</p>',
             f'<p><strong>{h(t("drafting.preview.subject", lang))}</strong> '
             f'<code>{h(profiles.subject_line(sub, doc_lang, names, today))}</code></p>',
             f'<p><strong>{h(t("drafting.preview.sections", lang))}</strong></p><ol>',
             *(f"<li>{h(title)}</li>" for title in sections), "</ol>"]
    if still:
        parts.append(f'<p><strong>{h(t("drafting.preview.missing", lang))}</strong></p><ul class="sp-issues">')
        parts += [f"<li>{h(item)}</li>" for item in still]
        parts.append("</ul>")
    else:
        parts.append(f'<p class="sp-ok">{h(t("drafting.preview.nothing_missing", lang))}</p>')
    parts.append("</div>")
    return w.HTML("".join(parts), layout=w.Layout(width="100%"))


def render_report(report: model.CheckReport, lang: str) -> str:
    """The check's findings as escaped HTML, errors first."""
    order = {"error": 0, "warning": 1, "hint": 2}
    summary_key = N_("drafting.report.ready") if report.ready_to_send else N_("drafting.report.not_ready")
    cls = "sp-ok" if report.ready_to_send else "sp-warning"
    parts = [f'<div class="{cls}" role="status">'
             + safe_text.html_text(t(summary_key, lang, answered=len(report.answered)))
             + "</div>"]
    if report.issues:
        parts.append('<ul class="sp-issues">')
        for issue in sorted(report.issues, key=lambda i: order.get(i.severity, 3)):
            severity = safe_text.html_text(t(SEVERITY_KEYS[issue.severity], lang))
            parts.append(
                f'<li class="sp-issue-{issue.severity}"><strong>{severity}</strong> '
                f'{safe_text.html_block(issue.message)} '
                f'<small class="sp-cite">{safe_text.html_text(t("drafting.citation", lang, citation=localise(issue.citation, lang)))}'
                '</small></li>')
        parts.append("</ul>")
    return "".join(parts)


def drafting_form(lang: str = "en", comm_type: str | None = None, mandate_ids: list[str] | None = None,
                  **options) -> DraftingForm:
    """The drafting form. Without ``comm_type``/``mandate_ids`` it reads the page's query
    string (Voila passes it as ``QUERY_STRING``) through :func:`course.tools.drafting.rules.parse_handoff`."""
    return DraftingForm(lang=lang, comm_type=comm_type, mandate_ids=mandate_ids, **options)
