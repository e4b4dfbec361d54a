"""The saved-records panel every tool shares: passphrase, save, open, delete, lock, quick delete.

    from course.tools.records import RecordsPanel
    panel = RecordsPanel("draft", "zh", get_payload, on_restore, store_root=None)
    panel.relabel("en")

Interface (for a tool shell that composes one panel per tool)
-------------------------------------------------------------
``RecordsPanel(kind, lang, get_payload, on_restore, *, store_root=None)``
    ``kind``
        a :data:`course.storage.KINDS` value (``"draft"`` or ``"riskplan"``).
    ``lang``
        ``"zh"`` or ``"en"``.
    ``get_payload() -> (payload: dict, title: str) | None``
        what to save now; ``None`` means "nothing to save" (the panel says so).
        Called only when the user presses Save.
    ``on_restore(payload: dict, record_id: str) -> None``
        show a record the user opened. Raise to refuse it: the panel reports the
        error and the tool keeps what it shows.
    ``store_root``
        the store folder (tests); ``None`` is ``$SP_COURSE_STORE`` or ``~/.sp-course-drafts``.
Methods and attributes: ``relabel(lang)`` (every label and the last status line
in the new language; nothing typed is touched), ``new_record()`` (the next save
creates a new record, e.g. after an upload), ``record_id`` (the record the tool
shows, or ``None``), ``save()``, ``open_record(record_id)``, ``lock()``, ``status`` (the panel's own status ``HTML``).

What it does: the store is encrypted with the user's passphrase
(:mod:`course.storage`); the panel asks for a new passphrase before the first
save (and says that a forgotten one cannot be recovered), unlocks for this
session, locks on demand, offers to encrypt plain records of earlier versions,
and deletes everything after a deliberate confirmation (typing a word). Titles
are shown only while unlocked. Passphrase boxes are emptied as soon as they are
read, so the passphrase is not kept in widget state. Panels on one page that
share a store follow each other's lock state.
"""
from __future__ import annotations

import logging
import weakref
from collections.abc import Callable

import ipywidgets as w

from .. import safe_text, storage
from ..i18n import LANGUAGES, N_, normalise_lang, t
from .common import log_failure

log = logging.getLogger(__name__)

CONFIRM_WORD_KEY = N_("records.confirm_word")
"""The word the user types to confirm a quick delete, in each language's catalogue
(checked without case or surrounding spaces; the word of any course language is accepted)."""


def confirm_word(lang: str) -> str:
    """The quick-delete confirmation word in ``lang`` ("删除", "DELETE")."""
    return t(CONFIRM_WORD_KEY, lang)

_PANELS: weakref.WeakSet[RecordsPanel] = weakref.WeakSet()

STYLE = """<style>
.sp-records { border: 1px solid #d0d7e2; padding: 6px 12px 10px 12px; margin: 10px 0; width: 100%;
  box-sizing: border-box; }
.sp-records h3 { font-size: 1.05em; margin: 6px 0 4px 0; }
.sp-records .sp-hint { color: #3b3b3b; font-size: 0.93em; line-height: 1.5; margin: 2px 0 6px 0; }
.sp-records .widget-password input, .sp-records .widget-text input { min-width: 0; }
.sp-records .widget-inline-hbox .widget-label { white-space: normal; height: auto; line-height: 1.35; }
.sp-records .sp-row { flex-flow: row wrap; gap: 4px; }
</style>"""


class RecordsPanel(w.VBox):
    """Saved records of one ``kind``, encrypted on this computer. See the module docstring for the interface."""

    def __init__(self, kind: str, lang: str, get_payload: Callable[[], tuple[dict, str] | None],
                 on_restore: Callable[[dict, str], None], *, store_root=None) -> None:
        super().__init__(layout=w.Layout(width="100%"))
        if kind not in storage.KINDS:
            raise ValueError(f"kind must be one of {storage.KINDS}, got {kind!r}")
        self.add_class("sp-records")
        self.kind = kind
        self.lang = normalise_lang(lang)
        self._get_payload = get_payload
        self._on_restore = on_restore
        self._store_root = store_root
        self.record_id: str | None = None
        self._pending_delete: str | None = None
        self._render_status: Callable[[], None] | None = None

        # A Layout each: controls are shown and hidden one by one, and a shared Layout would hide them all.
        def auto() -> w.Layout:
            return w.Layout(width="auto")

        def wide() -> w.Layout:
            return w.Layout(width="100%", max_width="32em")
        initial = {"description_width": "initial"}
        self.heading = w.HTML()
        self.about = w.HTML(layout=w.Layout(width="100%"))
        # -- earlier versions' plain records
        self.legacy_note = w.HTML(layout=w.Layout(width="100%"))
        self.migrate_button = w.Button(icon="lock", button_style="warning", layout=auto())
        self.legacy_box = w.VBox([self.legacy_note, self.migrate_button], layout=w.Layout(display="none"))
        # -- passphrase
        self.first_note = w.HTML(layout=w.Layout(width="100%"))
        self.passphrase = w.Password(layout=wide(), style=initial)
        self.passphrase_again = w.Password(layout=wide(), style=initial)
        self.create_button = w.Button(icon="key", button_style="primary", layout=auto())
        self.unlock_button = w.Button(icon="unlock", button_style="primary", layout=auto())
        self.locked_note = w.HTML(layout=w.Layout(width="100%"))
        self.key_box = w.VBox([self.first_note, self.locked_note, self.passphrase, self.passphrase_again,
                               w.HBox([self.create_button, self.unlock_button], layout=w.Layout(flex_flow="row wrap"))],
                              layout=w.Layout(width="100%"))
        # -- records (unlocked)
        self.save_button = w.Button(icon="save", button_style="success", layout=auto())
        self.lock_button = w.Button(icon="lock", layout=auto())
        self.records = w.Dropdown(layout=w.Layout(width="auto", min_width="12em", max_width="100%"), style=initial)
        self.open_button = w.Button(icon="folder-open", layout=auto())
        self.delete_button = w.Button(icon="trash", layout=auto())
        self.confirm_one_text = w.HTML()
        self.confirm_one_yes = w.Button(button_style="danger", layout=auto())
        self.confirm_one_no = w.Button(layout=auto())
        self.confirm_one_box = w.HBox([self.confirm_one_text, self.confirm_one_yes, self.confirm_one_no],
                                      layout=w.Layout(display="none", flex_flow="row wrap"))
        self.records_box = w.VBox([
            w.HBox([self.save_button, self.lock_button], layout=w.Layout(flex_flow="row wrap")),
            w.HBox([self.records, self.open_button, self.delete_button], layout=w.Layout(flex_flow="row wrap")),
            self.confirm_one_box,
        ], layout=w.Layout(width="100%"))
        # -- quick delete
        self.wipe_button = w.Button(icon="trash", button_style="danger",
                                    layout=w.Layout(width="auto", align_self="flex-start"))
        self.wipe_note = w.HTML(layout=w.Layout(width="100%"))
        self.wipe_word = w.Text(layout=wide(), style=initial)
        self.wipe_yes = w.Button(icon="trash", button_style="danger", layout=auto(), disabled=True)
        self.wipe_no = w.Button(layout=auto())
        self.wipe_box = w.VBox([self.wipe_note, self.wipe_word,
                                w.HBox([self.wipe_yes, self.wipe_no], layout=w.Layout(flex_flow="row wrap"))],
                               layout=w.Layout(display="none", width="100%"))
        self.status = w.HTML(layout=w.Layout(width="100%"))

        self.children = [w.HTML(STYLE), self.heading, self.about, self.legacy_box, self.key_box,
                         self.records_box, self.status, self.wipe_button, self.wipe_box]

        self.create_button.on_click(self._guard(lambda _b: self.create()))
        self.unlock_button.on_click(self._guard(lambda _b: self.unlock()))
        self.lock_button.on_click(self._guard(lambda _b: self.lock()))
        self.save_button.on_click(lambda _b: self.save())
        self.open_button.on_click(lambda _b: self.open_record(self.records.value))
        self.delete_button.on_click(self._guard(lambda _b: self._ask_delete()))
        self.confirm_one_yes.on_click(self._guard(lambda _b: self._delete_one()))
        self.confirm_one_no.on_click(self._guard(lambda _b: self._cancel_delete()))
        self.migrate_button.on_click(self._guard(lambda _b: self.migrate()))
        self.wipe_button.on_click(self._guard(lambda _b: self._ask_wipe()))
        self.wipe_word.observe(self._guard(lambda _c: self._wipe_word_changed()), names="value")
        self.wipe_yes.on_click(self._guard(lambda _b: self.delete_everything()))
        self.wipe_no.on_click(self._guard(lambda _b: self._cancel_wipe()))

        _PANELS.add(self)
        self.relabel(self.lang)

    # ------------------------------------------------------------------ plumbing
    @property
    def vault(self) -> storage.Vault:
        return storage.vault(self._store_root)

    def _guard(self, callback):
        def run(*args, **kwargs):
            try:
                return callback(*args, **kwargs)
            except storage.StorageError as exc:
                log.warning("records panel: %s", type(exc).__name__)
                self._say("error", N_("records.error.disk"), detail=str(exc))
            except Exception as exc:  # noqa: BLE001 - the guard: never a traceback, never lost input
                if callable(getattr(exc, "message", None)):  # a domain error that explains itself
                    try:
                        message = exc.message(self.lang)
                    except Exception:  # noqa: BLE001 - a broken message falls back to the generic one
                        message = None
                    if isinstance(message, str):
                        self._say_text("error", message)
                        return None
                log_failure("records panel callback failed", exc)
                self._say("error", N_("records.error.unexpected"), detail=type(exc).__name__)
            return None
        return run

    def _say(self, kind: str, key: str, detail: str = "", **fields) -> None:
        def render() -> None:
            cls = {"ok": "sp-ok", "warning": "sp-warning", "error": "sp-error", "note": "sp-note"}[kind]
            role = "alert" if kind == "error" else "status"
            text = safe_text.html_text(t(key, self.lang, **fields))
            extra = f"<br><small>{safe_text.html_text(detail)}</small>" if detail else ""
            self.status.value = f'<div class="{cls}" role="{role}">{text}{extra}</div>'
        self._render_status = render
        render()

    def _say_text(self, kind: str, message: str) -> None:
        cls = {"ok": "sp-ok", "warning": "sp-warning", "error": "sp-error"}[kind]
        self._render_status = None
        self.status.value = f'<div class="{cls}" role="alert">{safe_text.html_text(message)}</div>'

    def _siblings(self):
        mine = self.vault
        found = []
        for panel in list(_PANELS):
            try:
                if panel.vault is mine:
                    found.append(panel)
            except storage.StorageError:  # another panel's folder is unusable: not ours
                continue
        return found

    # ------------------------------------------------------------------ language and state
    def relabel(self, lang: str) -> None:
        """Show every label in ``lang``; what the user typed stays."""
        self.lang = lang = normalise_lang(lang)
        self.heading.value = f"<h3>{safe_text.html_text(t('records.heading', lang))}</h3>"
        self.about.value = f'<div class="sp-hint">{safe_text.html_text(t("records.about", lang))}</div>'
        self.first_note.value = (f'<div class="sp-warning" role="note">'
                                 f'{safe_text.html_text(t("records.first_note", lang))}</div>')
        self.migrate_button.description = t("records.migrate", lang)
        self.passphrase.description = t("records.passphrase", lang)
        self.passphrase_again.description = t("records.passphrase_again", lang)
        self.create_button.description = t("records.create", lang)
        self.unlock_button.description = t("records.unlock", lang)
        self.save_button.description = t("records.save", lang)
        self.lock_button.description = t("records.lock", lang)
        self.records.description = t("records.saved", lang)
        self.open_button.description = t("records.open", lang)
        self.delete_button.description = t("records.delete", lang)
        self.confirm_one_text.value = (f'<span class="sp-warning" role="alert">'
                                       f'{safe_text.html_text(t("records.confirm_one", lang))}</span>')
        self.confirm_one_yes.description = t("records.confirm_one_yes", lang)
        self.confirm_one_no.description = t("records.cancel", lang)
        self.wipe_button.description = t("records.wipe", lang)
        self.wipe_note.value = (f'<div class="sp-warning" role="alert">'
                                f'{safe_text.html_text(t("records.wipe_note", lang, word=confirm_word(lang)))}</div>')
        self.wipe_word.description = t("records.wipe_word", lang, word=confirm_word(lang))
        self.wipe_yes.description = t("records.wipe_yes", lang)
        self.wipe_no.description = t("records.cancel", lang)
        self._wipe_word_changed()
        self._guard(self.refresh)()
        if self._render_status is not None and self.status.value:
            self._render_status()

    def refresh(self, select: str | None = None) -> None:
        """Show the part that fits the store's state (new, locked, unlocked) and the current list."""
        vault = self.vault
        state = vault.state()
        lang = self.lang
        legacy = len(vault.legacy_records())
        self.legacy_box.layout.display = None if legacy else "none"
        if legacy:
            key = N_("records.legacy_unlocked") if state == "unlocked" else N_("records.legacy_locked")
            self.legacy_note.value = (f'<div class="sp-warning" role="status">'
                                      f'{safe_text.html_text(t(key, lang, count=legacy))}</div>')
            self.migrate_button.layout.display = None if state == "unlocked" else "none"
        self.key_box.layout.display = "none" if state == "unlocked" else None
        self.first_note.layout.display = None if state == "new" else "none"
        self.passphrase_again.layout.display = None if state == "new" else "none"
        self.create_button.layout.display = None if state == "new" else "none"
        self.unlock_button.layout.display = None if state == "locked" else "none"
        self.locked_note.layout.display = None if state == "locked" else "none"
        if state == "locked":
            self.locked_note.value = (f'<div class="sp-note" role="status">'
                                      f'{safe_text.html_text(t("records.locked_note", lang, count=vault.count(self.kind)))}</div>')
        self.records_box.layout.display = None if state == "unlocked" else "none"
        self.wipe_button.disabled = state == "new" and not legacy and not vault.count()
        if state != "unlocked":
            self.records.options = [(t("records.none", lang), "")]
            self.records.value = ""
            self.open_button.disabled = self.delete_button.disabled = True
            self._cancel_delete()
            return
        entries = vault.list_records(self.kind)
        options = [(f"{safe_text.preview(r.title, 60) or t('records.untitled', lang)} · "
                    f"{r.saved_at.replace('T', ' ')[:16]} UTC", r.record_id) for r in entries]
        keep = select or self.records.value
        self.records.options = options or [(t("records.none", lang), "")]
        values = [v for _l, v in options]
        self.records.value = keep if keep in values else (values[0] if values else "")
        self.open_button.disabled = self.delete_button.disabled = not values

    def _refresh_all(self) -> None:
        for panel in self._siblings():
            if panel is not self:
                panel.refresh()
        self.refresh()

    # ------------------------------------------------------------------ passphrase
    def _take_passphrases(self) -> tuple[str, str]:
        first, second = self.passphrase.value, self.passphrase_again.value
        # Emptied at once: a value left in a widget is widget state the browser keeps.
        self.passphrase.value = ""
        self.passphrase_again.value = ""
        return first, second

    def create(self) -> bool:
        first, second = self._take_passphrases()
        if first != second:
            self._say("error", N_("records.error.mismatch"))
            return False
        self._say("note", N_("records.working"))  # scrypt takes a moment by design
        try:
            self.vault.create(first)
        except storage.WeakPassphrase:
            self._say("error", N_("records.error.short"), count=storage.MIN_PASSPHRASE)
            return False
        self._refresh_all()
        self._say("ok", N_("records.created"))
        return True

    def unlock(self) -> bool:
        passphrase, _ = self._take_passphrases()
        self._say("note", N_("records.working"))  # scrypt takes a moment by design
        try:
            self.vault.unlock(passphrase)
        except storage.WrongPassphrase:
            self._say("error", N_("records.error.wrong"))
            return False
        self._refresh_all()
        self._say("ok", N_("records.unlocked"))
        return True

    def lock(self) -> None:
        self.vault.lock()
        self._refresh_all()
        self._say("ok", N_("records.locked"))

    # ------------------------------------------------------------------ records
    def new_record(self) -> None:
        """The next save creates a new record instead of replacing the one last opened or saved."""
        self.record_id = None

    def save(self) -> storage.StoredRecord | None:
        """Save what ``get_payload`` returns; ``None`` (and a message in ``status``) if nothing was saved."""
        return self._guard(self._save)()

    def _save(self) -> storage.StoredRecord | None:
        if not self.vault.unlocked:
            self.refresh()
            self._say("warning", N_("records.need_key"))
            return None
        produced = self._get_payload()
        if produced is None:
            self._say("warning", N_("records.nothing"))
            return None
        payload, title = produced
        record_id = self.record_id or storage.new_id()
        record = self.vault.save(self.kind, record_id, title, payload)
        self.record_id = record_id
        self.refresh(select=record_id)
        self._say("ok", N_("records.saved_done"), time=record.saved_at.replace("T", " ")[:16])
        return record

    def open_record(self, record_id: str) -> bool | None:
        """Decrypt ``record_id`` and hand it to ``on_restore``; errors go to ``status``."""
        return self._guard(self._open_record)(record_id)

    def _open_record(self, record_id: str) -> bool:
        if not record_id:
            return False
        payload = self.vault.load(self.kind, record_id)
        self._on_restore(payload, record_id)
        self.record_id = record_id
        self._say("ok", N_("records.opened"))
        return True

    def _ask_delete(self) -> None:
        if self.records.value:
            self._pending_delete = self.records.value
            self.confirm_one_box.layout.display = "flex"

    def _cancel_delete(self) -> None:
        self._pending_delete = None
        self.confirm_one_box.layout.display = "none"

    def _delete_one(self) -> None:
        target = self._pending_delete
        self._cancel_delete()
        if not target:
            return
        self.vault.delete(self.kind, target)
        if target == self.record_id:
            self.record_id = None
        self._refresh_all()
        self._say("ok", N_("records.deleted_one"))

    def migrate(self) -> None:
        done, failed = self.vault.migrate_legacy()
        self._refresh_all()
        if failed:
            self._say("warning", N_("records.migrated_some"), count=done, failed=failed)
        else:
            self._say("ok", N_("records.migrated"), count=done)

    # ------------------------------------------------------------------ quick delete
    def _ask_wipe(self) -> None:
        self.wipe_word.value = ""
        self.wipe_box.layout.display = "flex"
        self._wipe_word_changed()

    def _cancel_wipe(self) -> None:
        self.wipe_word.value = ""
        self.wipe_box.layout.display = "none"

    def _wipe_confirmed(self) -> bool:
        typed = (self.wipe_word.value or "").strip().casefold()
        return typed in {confirm_word(code).casefold() for code in LANGUAGES}

    def _wipe_word_changed(self) -> None:
        self.wipe_yes.disabled = not self._wipe_confirmed()

    def delete_everything(self) -> int | None:
        """Quick delete (only after the confirmation word was typed): every record of every kind."""
        if not self._wipe_confirmed():
            self._wipe_word_changed()
            return None
        count = self.vault.delete_everything()
        for panel in self._siblings():
            panel.record_id = None
        self._cancel_wipe()
        self._refresh_all()
        self._say("ok", N_("records.wiped"), count=count)
        return count
