"""Whether a guiding case may still be referred to, and the instrument that says so.

A guiding case stays 应当参照 until the court or procuratorate that issued it says
otherwise; the corpus texts never carry that notice, so the decisions are listed here,
each with its instrument, and applied at ingest. A withdrawn case is still found by its
number (a report may cite it) but never shown as current.
"""
from __future__ import annotations

from dataclasses import dataclass

from corpus.model import Document

CURRENT, NOT_REFERENCED, REPLACED = "current", "not_referenced", "replaced"
STANDING_LABELS = {CURRENT: "现行", NOT_REFERENCED: "不再参照", REPLACED: "被新案例取代"}
# What each issuer calls a case's holding (SPC: 裁判要点; SPP: 要旨).
HOLDING_LABELS = {"spc": "裁判要点", "spp": "要旨"}


@dataclass(frozen=True)
class Decision:
    standing: str
    basis: str        # the instrument, as a report cites it
    effective: str    # YYYY-MM-DD from which the case is no longer referred to


_SPC_2020_343 = Decision(
    NOT_REFERENCED,
    "《最高人民法院关于部分指导性案例不再参照的通知》（法〔2020〕343号）：自2021年1月1日起不再参照",
    "2021-01-01")

# (court, case number) → decision.
DECISIONS: dict[tuple[str, int], Decision] = {
    ("spc", 9): _SPC_2020_343,
    ("spc", 20): _SPC_2020_343,
}


def holding_label(court: str) -> str:
    return HOLDING_LABELS.get(court, "要旨")


def apply_standing(docs: list[Document], decisions: dict[tuple[str, int], Decision] = DECISIONS) -> None:
    """Cases get their standing; a case no longer referred to is not current in any listing."""
    for doc in docs:
        if doc.doc_type not in ("guiding_case", "typical_case"):
            continue
        decision = decisions.get((doc.court, doc.case_number)) if doc.case_number else None
        if decision is None:
            doc.standing = doc.standing or CURRENT
            continue
        doc.standing, doc.standing_basis = decision.standing, decision.basis
        doc.validity = "superseded"
