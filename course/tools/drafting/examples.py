"""Worked cases for Module 3: one disappearance (WGEID profile) and one detention (WGAD profile).

Every person, place and organisation is fictional. The detention continues the module's
own worked example (Omar Feld, Riverside Legal Clinic, Country X). The texts are in English,
one of OHCHR's working languages for submissions (ISHR Practical Guide (2025), ch. III, 3).
The disappearance deliberately leaves one required element open (whether the sender can stay in
touch with the family), so that the check and the export's cover have something to point at.
"""
from __future__ import annotations

from .rules import (
    ActionTaken,
    Addressee,
    AllegedPerpetrators,
    AllegedVictim,
    Consent,
    Context,
    Detention,
    Disappearance,
    Facts,
    Requests,
    Sender,
    Situation,
    Submission,
    Urgency,
)


def wgeid_case() -> Submission:
    """Mira Halden (fictional), last seen in April 2025, reported by her brother."""
    return Submission(
        title="Disappearance of Mira Halden (fictional)",
        comm_type="urgent_appeal",
        mandate_ids=["enforced-disappearances", "human-rights-defenders"],
        profile="wgeid",
        sender=Sender(name="Jonas Halden", contact="A secure e-mail address kept for this case (fictional)",
                      relationship="Brother of the disappeared person"),
        urgency=Urgency(is_urgent=True, why="Nobody has seen her since she went to the police station; "
                                            "the authorities deny holding her."),
        victims=[AllegedVictim(name="Mira Halden", age="36", gender="woman",
                               origin_residence="Lives in the provincial capital of Country X",
                               nationality="Country X", occupation="Environmental engineer",
                               hrd_activity="Documents water pollution from a copper mine and shares the results "
                                            "with affected villages",
                               organisation="Clean Rivers Network (fictional)", public_naming="initials")],
        consent=Consent(given_by="family", in_writing=True, names_to_government=True, may_publish=False),
        facts=Facts(what="Two officers asked her by telephone to come to the provincial police station about her "
                         "water samples. A neighbour saw her enter the station. Since then her phone has been off "
                         "and the police say she never arrived.",
                    date_from="2025-04-14", places="Provincial police station, Country X"),
        perpetrators=AllegedPerpetrators(roles="Officers of the provincial police (names unknown)",
                                         motives="To stop her reports on the mine's pollution."),
        context=Context(background="Two other people who published data on the mine were questioned by the police "
                                   "this year."),
        addressee=Addressee(state="Country X (fictional)", non_state="The company running the copper mine"),
        situation=Situation(current="Missing since 14 April 2025; the family has had no news of her."),
        disappearance=Disappearance(
            date="2025-04-14", place="Provincial police station, where a neighbour last saw her",
            forces="Provincial police officers who summoned her by telephone",
            search_steps="Her brother asked at the station and at two detention centres; a habeas corpus "
                         "request filed on 20 April 2025 was rejected on 2 May 2025 because the police "
                         "denied holding her.",
            family_consent=True),
        action=ActionTaken(domestic="Habeas corpus request (rejected); complaint to the provincial prosecutor "
                                    "(no answer).",
                           results="The court accepted the police's denial without an inquiry."),
        requests=Requests(actions="Transmit the case to the government and ask where she is held."),
        source_types={"first_hand", "documents"},
    )


def wgad_case() -> Submission:
    """Omar Feld (fictional), the module's worked example, as a case for the WGAD."""
    return Submission(
        title="Detention of Omar Feld (fictional)",
        comm_type="urgent_appeal",
        mandate_ids=["arbitrary-detention", "human-rights-defenders", "peaceful-assembly-association"],
        profile="wgad",
        sender=Sender(name="Nadia Keller", organisation="Riverside Legal Clinic (fictional)",
                      contact="The clinic's secure e-mail address (fictional)",
                      relationship="Colleague; he works as a lawyer at the clinic"),
        urgency=Urgency(is_urgent=True, why="He is held without a lawyer and his heart medicine is withheld."),
        victims=[AllegedVictim(name="Omar Feld", age="41", gender="man",
                               origin_residence="Lives in the provincial capital of Country X",
                               nationality="Country X", occupation="Lawyer",
                               hrd_activity="Gives free legal help to families facing eviction for a dam project",
                               organisation="Riverside Legal Clinic (fictional)", public_naming="full")],
        consent=Consent(given_by="family", in_writing=True, names_to_government=True, may_publish=False,
                        notes="His sister Lea consented in writing after the risks were explained."),
        facts=Facts(what="The day after he helped organise a peaceful protest outside the provincial office, "
                         "plain-clothes police took him from his home. He has not been charged.",
                    date_from="2025-03-03", places="Provincial capital, Country X"),
        perpetrators=AllegedPerpetrators(names="The officer who signed the custody record (name on the record)",
                                         roles="Provincial police", motives="To stop protests against the dam."),
        context=Context(legal_framework="A public order law allows up to 30 days in custody without charge "
                                        "(fictional law, text attached)."),
        addressee=Addressee(state="Country X (fictional)"),
        situation=Situation(current="Still held at the central police station."),
        detention=Detention(
            arrest_date="2025-03-03", arrest_place="His home, provincial capital",
            arrest_forces="Plain-clothes officers of the provincial police", warrant_shown=False,
            detained_since="2025-03-03", detention_place="Central police station, provincial capital",
            ordered_by="The provincial police; no judge or prosecutor has confirmed the detention",
            legal_basis="None given to him or his family; the public order law is the likely basis",
            categories=["II", "III"],
            why_arbitrary="He is held for helping organise a peaceful protest (category II) and has been "
                          "refused a lawyer twice (category III)."),
        action=ActionTaken(domestic="Two written requests to see a lawyer (refused); complaint to the national "
                                    "human rights commission on 5 March 2025.",
                           results="The commission has not replied."),
        requests=Requests(actions="Consider the case under the urgent action procedure and ask for his "
                                  "release and access to a lawyer and medicine.", press_release=False),
        source_types={"first_hand", "documents"},
    )


WORKED_CASES = {"wgeid": wgeid_case, "wgad": wgad_case}


def worked_case(profile: str) -> Submission:
    """A fresh copy of the worked case for ``profile`` (``"wgeid"`` or ``"wgad"``); ``KeyError`` otherwise."""
    return WORKED_CASES[profile]()
