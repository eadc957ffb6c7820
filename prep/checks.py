"""Every citation in a report, checked against the corpus and graded:

- error: what is cited does not exist (no such law, article or case number) or may no longer be
  cited (a guiding case the court or procuratorate withdrew);
- warning: a superseded version cited without a reason in the report, or something leian could
  not verify;
- note: worth a look but consistent (an older version in force at the conduct date, a renumbered
  article whose new number the report gives, a case known from the catalogue only);
- ok: found as cited.
"""
from __future__ import annotations

import datetime
import re
from dataclasses import dataclass

from corpus.citations import Citation, parse_citations
from corpus.resolve import Resolution
from corpus.standing import STANDING_LABELS, holding_label
from indexer.hits import book_title
from prep.statutes import VersionClock, current_citation, nearest_current_article, same_article

SEVERITIES = ("error", "warning", "note", "ok")
SEVERITY_LABELS = {"error": "错误", "warning": "警示", "note": "提示", "ok": "一致"}
# Words by which a report says it applies the law of the time on purpose (从旧兼从轻, 行为时有效).
_REASON_RE = re.compile(r"行为时|当时有效|时有效|修订前|修正前|从旧|旧法|施行前")
_REASON_WINDOW = 60


@dataclass
class CitationCheck:
    raw: str               # as written in the report
    citation: str          # normalised form
    status: str            # Resolver status: ok | superseded | renumbered | unknown_* | stub
    severity: str          # one of SEVERITIES
    message: str           # plain Chinese, ready for the 引用核查 section and the Word comment
    kind: str = ""         # article | spp_case | spc_case (corpus.citations)
    doc_id: str = ""
    unit_id: str = ""
    current_citation: str = ""
    current_unit_id: str = ""
    start: int = 0
    end: int = 0
    section: str = ""      # the report heading the citation sits under


def check_citations(searcher, text: str, as_of: datetime.date | None = None,
                    clock: VersionClock | None = None) -> list[CitationCheck]:
    """Every distinct citation in the report, resolved against the corpus; an older version is
    judged against `as_of`, the date whose law applies."""
    checker = _Checker(searcher, text, as_of, clock or VersionClock(searcher))
    seen: set[tuple] = set()
    checks = []
    for c in parse_citations(text):
        ident = (c.key, c.version_year, c.renumbered_article)
        if ident in seen:
            continue
        seen.add(ident)
        checks.append(checker.check(c, searcher.resolver.resolve(c)))
    return checks


def heading_at(text: str, pos: int) -> str:
    """The nearest heading above a position: where a procurator finds the citation again."""
    from prep.report_text import heading_lines

    above = [body for start, body in heading_lines(text) if start <= pos]
    return above[-1] if above else ""


class _Checker:
    def __init__(self, searcher, text: str, as_of: datetime.date | None, clock: VersionClock):
        self.searcher, self.text, self.as_of, self.clock = searcher, text, as_of, clock

    def check(self, c: Citation, res: Resolution) -> CitationCheck:
        check = CitationCheck(raw=c.raw, citation=c.render(), status=res.status, severity="ok", message="",
                              kind=c.kind, doc_id=res.doc_id, unit_id=res.unit_id, current_unit_id=res.current_unit_id, start=c.start, end=c.end,
                              section=heading_at(self.text, c.start))
        if res.status == "ok":
            return self._case_standing(res.doc_id, check) if c.kind != "article" else self._version_missing(c, check)
        if res.status == "stub":
            check.severity, check.message = "note", "检索库中仅有该案例的目录信息，没有全文，无法核对要旨，请查阅原文。"
        elif res.status == "unknown_law":
            check.severity, check.message = "error", f"检索库中没有名为《{c.law}》的法律文件，请核对法律名称。"
        elif res.status == "unknown_article":
            check.severity = "error"
            check.message = f"{self._version_name(res.doc_id)}没有{c.render().split('》')[-1]}，请核对条文序号。"
        elif res.status == "unknown_case":
            check.severity, check.message = "error", f"检索库中没有{c.render()}，请核对案例编号。"
        elif res.status == "renumbered":   # the report notes the new number (现为…第N条): confirm it
            check.current_citation = current_citation(self.searcher, res.current_unit_id)
            if check.current_citation:
                check.severity, check.message = "note", f"经核对，该条现为{check.current_citation}。"
            else:
                check.severity, check.message = "warning", "报告注明的现行条文序号未能核实，请核对。"
        elif res.status == "superseded":
            self._superseded(check, c, res.doc_id, res.unit_id, res.current_unit_id,
                             f"引用的是已被修订的{self._version_name(res.doc_id)}")
        return check

    def _version_name(self, doc_id: str) -> str:
        doc = self.searcher.docs.get(doc_id)
        if doc is None:
            return ""
        return book_title(doc.title) + (f"（{doc.version_label}）" if doc.version_label else "")

    def _case_standing(self, doc_id: str, check: CitationCheck) -> CitationCheck:
        """A cited case that may no longer be referred to (不再参照), or whose holding the corpus lacks."""
        doc = self.searcher.docs.get(doc_id)
        if doc is not None and doc.standing not in ("", "current"):
            check.severity = "error"
            check.message = f"该案例{STANDING_LABELS[doc.standing]}：{doc.standing_basis}。请勿作为参照依据。"
        elif doc is not None and not self.searcher.resolver.unit(doc_id, "holding"):
            check.severity = "note"
            check.message = f"检索库未收录该案{holding_label(doc.court)}，无法核对，请查阅原文。"
        return check

    def _version_missing(self, c: Citation, check: CitationCheck) -> CitationCheck:
        """A citation naming a version the corpus lacks (（1989年）, when it holds 2014 only) resolves to
        the version it has; say so, and warn when the named version is the older one."""
        doc = self.searcher.docs.get(check.unit_id.split("#")[0]) if check.unit_id else None
        if doc is None or not doc.year or not c.version_year or doc.year == c.version_year:
            return check
        if c.version_year > doc.year:
            check.severity = "note"
            check.message = f"检索库未收录所引{c.version_year}年版本，已按{self._version_name(doc.doc_id)}核对，请确认版本。"
            return check
        check.status = "superseded"
        self._superseded(check, c, "", "", check.unit_id, f"所引{c.version_year}年版本已被修改（检索库未收录该版本）")
        return check

    def _superseded(self, check: CitationCheck, c: Citation, doc_id: str, old_id: str, same_id: str,
                    lead: str) -> None:
        """An older version: a note when it was the one in force on the record's date or the report
        says why it applies; a warning otherwise. Either way, point to the current article."""
        doc = self.searcher.docs.get(doc_id) if doc_id else None
        in_force = doc is not None and self.as_of is not None and self.clock.in_force(doc, self.as_of) is doc
        window = self.text[max(0, c.start - _REASON_WINDOW):c.end + _REASON_WINDOW]
        if in_force:
            check.severity = "note"
            lead = f"所引{self._version_name(doc_id)}是{self.as_of.isoformat()}时有效的版本，与行为时间相符"
        elif _REASON_RE.search(window):
            check.severity, lead = "note", lead + "，报告已说明适用理由"
        else:
            check.severity = "warning"
        old = self.searcher.corpus.unit(old_id) if old_id else None
        same = self.searcher.corpus.unit(same_id) if same_id else None
        if same and (old is None or same_article(old["text"], same["text"])):
            check.current_unit_id, check.current_citation = same_id, current_citation(self.searcher, same_id)
            tail = f"；现行条文为{check.current_citation}，请核对内容是否变化"
        else:
            near = nearest_current_article(self.searcher, old) if old else ""
            check.current_unit_id, check.current_citation = near, current_citation(self.searcher, near)
            tail = ("；现行版本" + ("同号条文内容已不同" if same else "没有同号条文")
                    + (f"，内容相近的现行条文为{check.current_citation}，请核对" if near else "，请核对现行规定"))
        ask = "（如依法适用行为时的旧法，请在报告中说明）" if check.severity == "warning" else ""
        check.message = lead + tail + ask + "。"
