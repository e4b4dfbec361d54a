"""One "question, check, feedback" widget for the quizzes and the mechanism scenarios.

The lesson supplies the question (prompt, options) and a ``grade`` function that
returns a :class:`Verdict` built from the rules (already in the reader's language);
this widget lays out the choice, the Check button, a second button (try again, or
next question) and the feedback, and guards every callback so an error never loses
what was chosen.
"""
from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import ipywidgets as w

from .. import safe_text
from ..tools.shell import guarded


@dataclass(frozen=True)
class Verdict:
    """What the feedback says. ``answered`` False: nothing chosen yet (only ``headline`` shows)."""

    answered: bool
    correct: bool = False
    headline: str = ""
    details: Sequence[str] = ()
    right_answer_label: str = ""
    right_answers: Sequence[str] = field(default_factory=tuple)
    explanation: str = ""
    citation: str = ""


def verdict_html(verdict: Verdict) -> str:
    """The feedback as escaped HTML: a ✓/✗ headline, details, the right answers when wrong,
    the explanation and its source."""
    h = safe_text.html_text
    if not verdict.answered:
        return f'<p class="sp-ask">{h(verdict.headline)}</p>'
    css, mark = ("sp-ok", "✓") if verdict.correct else ("sp-no", "✗")
    parts = [f'<p class="{css}"><span aria-hidden="true">{mark} </span>{h(verdict.headline)}</p>']
    parts += [f"<p>{h(detail)}</p>" for detail in verdict.details if detail]
    if not verdict.correct and verdict.right_answers:
        label = h(verdict.right_answer_label)
        if len(verdict.right_answers) == 1:
            parts.append(f"<p><strong>{label}</strong>{h(verdict.right_answers[0])}</p>")
        else:
            items = "".join(f"<li>{h(answer)}</li>" for answer in verdict.right_answers)
            parts.append(f"<p><strong>{label}</strong></p><ul>{items}</ul>")
    if verdict.explanation:
        parts.append(f"<p>{h(verdict.explanation)}</p>")
    if verdict.citation:
        parts.append(f'<p class="sp-cite">{h(verdict.citation)}</p>')
    return "".join(parts)


class QuestionCheck(w.VBox):
    """A question with one (radio) or several (check boxes) answers, Check, and a second button.

    ``grade(selection) -> Verdict`` gets the chosen values (a list). ``second`` is
    "retry" (clear and answer again) or "next" (``on_next()`` shows another question,
    then the choice is cleared). ``feedback_class`` is the CSS class of the feedback box.
    """

    def __init__(self, lang: str, *, options: Sequence[tuple[str, object]], multiple: bool,
                 grade: Callable[[list], Verdict], check_label: str, second_label: str,
                 second: str = "retry", on_next: Callable[[], None] | None = None,
                 header: Sequence[w.Widget] = (), description: str = "", feedback_class: str = "") -> None:
        super().__init__(layout=w.Layout(width="100%"))
        self.lang = lang
        self.grade = grade
        self.multiple = multiple
        self.second_mode = second
        self.on_next = on_next
        self.feedback_class = feedback_class
        if multiple:
            self.boxes = [w.Checkbox(value=False, description=label, indent=False, layout=w.Layout(width="100%"))
                          for label, _value in options]
            self.values = [value for _label, value in options]
            self.controls: list[w.Widget] = list(self.boxes)
        else:
            self.radio = w.RadioButtons(options=list(options), value=None, description=description,
                                        style={"description_width": "initial"}, layout=w.Layout(width="100%"))
            self.controls = [self.radio]
        self.check = w.Button(description=check_label, button_style="primary", tooltip=check_label)
        self.second = w.Button(description=second_label, tooltip=second_label, disabled=second == "retry")
        self.feedback = w.HTML(layout=w.Layout(width="100%"))
        self.status = w.HTML()
        self.check.on_click(guarded(self.status, lang)(lambda _b: self.run_check()))
        self.second.on_click(guarded(self.status, lang)(lambda _b: self.run_second()))
        self.children = [*header, *self.controls, w.HBox([self.check, self.second]), self.feedback, self.status]

    def selection(self) -> list:
        if self.multiple:
            return [value for value, box in zip(self.values, self.boxes) if box.value]
        return [] if self.radio.value is None else [self.radio.value]

    def _set_locked(self, locked: bool) -> None:
        for control in self.controls:
            control.disabled = locked
        self.check.disabled = locked
        if self.second_mode == "retry":
            self.second.disabled = not locked

    def clear(self) -> None:
        if self.multiple:
            for box in self.boxes:
                box.value = False
        else:
            self.radio.value = None
        self.feedback.value = ""
        self.status.value = ""
        self._set_locked(False)

    def run_check(self) -> Verdict:
        verdict = self.grade(self.selection())
        live = ' aria-live="polite"' if verdict.answered else ""
        self.feedback.value = f'<div class="{self.feedback_class}" role="status"{live}>{verdict_html(verdict)}</div>'
        if verdict.answered:
            self._set_locked(True)
        return verdict

    def run_second(self) -> None:
        if self.second_mode == "next" and self.on_next is not None:
            self.on_next()
        self.clear()
