"""The field's vocabulary, defined once: communication types, OHCHR's codes, submission
languages and the mandate id rule.

Every other module, data loader and exercise takes these names from here. Names in
each language come from the ``terms`` catalogue (``course/locale/*/LC_MESSAGES/terms.po``),
never from Python branches.

Sources:

* three kinds of communication, urgent appeal, allegation letter and "other letter":
  ISHR Practical Guide (2025), ch. III, 1;
* OHCHR's codes UA, AL, OL, with a leading J for communications sent jointly by several
  mandates (JUA, JAL, JOL): the communications data OHCHR publishes (``data/communications_sample.csv``);
* submissions in English, French or Spanish, OHCHR's working languages for submissions:
  ISHR Practical Guide (2025), ch. III, 3.
"""
from __future__ import annotations

import re

from .i18n import N_, t

COMM_TYPES = ("urgent_appeal", "allegation_letter", "other_letter")
"""Ids of the three kinds of communication, in the order the guide presents them
(ISHR Practical Guide (2025), ch. III, 1). One spelling everywhere: ``allegation_letter``."""

COMM_TYPE_CODES = {"urgent_appeal": "UA", "allegation_letter": "AL", "other_letter": "OL"}
"""OHCHR's own code for each communication type."""

JOINT_PREFIX = "J"
"""OHCHR marks a communication sent by several mandates together with a leading J (JUA, JAL, JOL)."""

COMM_TYPE_KEYS = {
    "urgent_appeal": N_("terms.comm_type.urgent_appeal"),
    "allegation_letter": N_("terms.comm_type.allegation_letter"),
    "other_letter": N_("terms.comm_type.other_letter"),
}
"""Catalogue key of each type's name (zh: 紧急呼吁, 指控信, 其他信函)."""

COMMUNICATION_KEY = N_("terms.communication")
"""Catalogue key of the word "communication" itself (zh: 来文)."""

SUBMISSION_LANGUAGES = ("en", "fr", "es")
"""OHCHR's working languages for submissions: English, French, Spanish (ISHR Practical
Guide (2025), ch. III, 3). Not "the UN languages": the UN has six official languages."""

SUBMISSION_LANGUAGE_KEYS = {
    "en": N_("terms.submission_language.en"),
    "fr": N_("terms.submission_language.fr"),
    "es": N_("terms.submission_language.es"),
}

MANDATE_ID = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
"""A mandate id (``mandate_id`` in data/mandates.csv) is a lower-case ASCII slug:
letters and digits in words joined by single hyphens, e.g. ``human-rights-defenders``."""


def is_mandate_id(value: object) -> bool:
    """True when ``value`` follows the mandate id rule (:data:`MANDATE_ID`)."""
    return isinstance(value, str) and bool(MANDATE_ID.match(value))


def comm_type_name(comm_type: str, lang: str) -> str:
    """The name of a communication type in ``lang``; raises ``ValueError`` for an unknown id."""
    if comm_type not in COMM_TYPE_KEYS:
        raise ValueError(f"communication type must be one of {COMM_TYPES}, got {comm_type!r}")
    return t(COMM_TYPE_KEYS[comm_type], lang)


def comm_type_of_code(code: str) -> str:
    """OHCHR's code to a type id: ``"JUA"`` and ``"UA"`` -> ``"urgent_appeal"``.

    Raises ``ValueError`` for anything else.
    """
    text = str(code).strip().upper()
    if text.startswith(JOINT_PREFIX) and text[1:] in COMM_TYPE_CODES.values():
        text = text[1:]
    for comm_type, own in COMM_TYPE_CODES.items():
        if text == own:
            return comm_type
    raise ValueError(f"not an OHCHR communication code: {code!r}")


def code_of(comm_type: str, joint: bool = False) -> str:
    """A type id to OHCHR's code: ``code_of("allegation_letter", joint=True) == "JAL"``."""
    if comm_type not in COMM_TYPE_CODES:
        raise ValueError(f"communication type must be one of {COMM_TYPES}, got {comm_type!r}")
    return (JOINT_PREFIX if joint else "") + COMM_TYPE_CODES[comm_type]


def is_joint(code: str) -> bool:
    """True for OHCHR codes of joint communications (JUA, JAL, JOL)."""
    text = str(code).strip().upper()
    return text.startswith(JOINT_PREFIX) and text[1:] in COMM_TYPE_CODES.values()
