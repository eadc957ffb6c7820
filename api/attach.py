"""Committee prep: from a review report (审查报告) to the similar cases, statutes and citation
checks a procurator must put before the 检察委员会 or a 检察官联席会议.

Shared by `leian cite` and `POST /api/attach`: both pass the report's plain text; headings
may be marked with `#` (a .docx is read that way, so its Word headings count as headings).
"""
from __future__ import annotations

import datetime
import re
from dataclasses import asdict, dataclass, field

from corpus.citations import Citation, parse_citations
from corpus.errors import BadInput
from corpus.model import CASE_TYPES
from corpus.resolve import Resolution
from corpus.standing import STANDING_LABELS, holding_label
from indexer.filters import Filters
from indexer.hits import SAME_ARTICLE, Hit, bigram_overlap, book_title, citation_string
from indexer.search import MAX_QUERY_CHARS

STATUTE_TYPES = ("statute", "rule")
# National norms only: local regulations bind only where they were made, and the report's locality is
# not known here. In the order 法释〔2009〕14号 lists norms cited together (法律, 行政法规, 地方性法规, 司法解释),
# then the procuratorate's own rules and departmental rules.
STATUTE_LEVELS = ("law", "administrative_regulation", "judicial_interpretation", "procuratorate_rule",
                  "departmental_rule")
# 法释〔2009〕14号: substantive law before procedural law. Procedural by title: the procedure codes and
# the interpretations that apply them.
_PROCEDURAL_RE = re.compile(r"诉讼法|程序法|仲裁法|调解法|引渡法|司法协助法|诉讼规则|办案规则")
STATUTE_SCOPE = "现行有效的法律、行政法规、司法解释、检察工作规定和部门规章（地方性法规请结合案件发生地另行查询）"
# Authority tiers, most binding first: a committee must consider SPP guiding cases before all else.
TIERS = ("最高检指导性案例", "最高法指导性案例", "最高检、最高法典型案例", "其他案例")
# Extra hits asked for, since hits that share no words with the facts are dropped.
_SPARE = 10

_FACTS_RE = re.compile(r"案件事实|基本案情|案情|经审查查明|审查认定的?事实|审查查明的?事实|查明的?事实|认定的?事实"
                       r"|案件(?:基本)?情况|基本事实|犯罪事实|违法事实|事实[和与及、]证据")
_HEADING_RE = re.compile(r"""^\s*(?:
      (?P<md>\#{1,6})\s*
    | (?P<cn>[一二三四五六七八九十]+)\s*[、.．]\s*
    | [（(]\s*(?P<cnp>[一二三四五六七八九十]+)\s*[）)]\s*
    | (?P<ar>[0-9０-９]+)\s*[、.．](?![0-9０-９])\s*
    | [（(]\s*(?P<arp>[0-9０-９]+)\s*[）)]\s*
)?(?P<body>.*?)\s*$""", re.X)
_LEAD_IN_RE = re.compile(r"(经审查查明|经依法审查查明|经审查认定|审查查明|经查明)\s*[：:，,]")
_RANKS = {"cn": 1, "cnp": 2, "ar": 3, "arp": 4}
_SENTENCE_PUNCT = re.compile(r"[。；;！!？?]")
_CLAUSE_PUNCT = re.compile(r"[，,。；;！!？?：:]")
_MAX_HEADING_CHARS = 30
_ANY_HEADING = 6
_MAX_BARE_HEADING_CHARS = 20


class BadReport(BadInput):
    """A report that cannot be worked on; the message says why in plain words."""

    code = "bad_report"


@dataclass
class CaseEntry:
    citation: str          # 检例第28号《…》 / 指导案例215号《…》 / 《typical case》（batch，date）
    tier: str              # one of TIERS
    holding_label: str     # 【要旨】 / 【裁判要点】
    holding: str           # "" when the corpus lacks it: the record says so, never fills it in
    matched_label: str     # the section that matched: why the case is here
    passage: str
    doc_id: str
    unit_id: str
    doc_type: str
    level: str
    case_no: str
    url: str
    score: float


@dataclass
class ArticleEntry:
    citation: str          # 《中华人民共和国矿产资源法》（2024年修订）第七十四条
    text: str              # the full article, as the report quotes it
    unit_id: str
    score: float


@dataclass
class CitationCheck:
    raw: str               # as written in the report
    citation: str          # normalised form
    status: str            # Resolver status: ok | superseded | renumbered | unknown_* | stub
    severity: str          # ok | note | flag
    message: str           # plain Chinese, ready for the 引用核查 section
    unit_id: str = ""
    current_citation: str = ""
    current_unit_id: str = ""
    start: int = 0
    end: int = 0


@dataclass
class Attachment:
    facts: str
    facts_heading: str     # "" when the whole report was searched
    cases: list[CaseEntry]
    articles: list[ArticleEntry]
    checks: list[CitationCheck]
    searched_on: str
    notes: list[str] = field(default_factory=list)

    @property
    def flagged(self) -> list[CitationCheck]:
        return [c for c in self.checks if c.severity == "flag"]

    def to_json(self) -> dict:
        return {"facts": self.facts, "facts_heading": self.facts_heading,
                "cases": [asdict(c) for c in self.cases], "articles": [asdict(a) for a in self.articles],
                "checks": [asdict(c) for c in self.checks], "searched_on": self.searched_on, "notes": self.notes,
                "summary": {"cases": len(self.cases), "articles": len(self.articles),
                            "citations": len(self.checks), "flagged": len(self.flagged)}}


def attach_citations(searcher, text: str, k: int = 5) -> Attachment:
    """Similar cases for the report's facts, the statutes that apply, and a check of what it cites."""
    if text is None or not str(text).strip():
        raise BadReport("the report is empty: there are no facts to search with")
    if not 1 <= k <= 50:
        raise BadReport(f"k must be between 1 and 50, got {k}")
    facts, heading, notes = find_facts(text)
    cases = similar_cases(searcher, facts, k)
    # Which law applies turns on the handling proposed too (起诉, 民事公益诉讼…), so statutes are sought
    # with the whole report when it fits a query; cases are similar by their facts alone.
    articles = relevant_articles(searcher, text.strip() if len(text.strip()) <= MAX_QUERY_CHARS else facts, k)
    if not cases:
        notes.append("没有找到与案件事实相似的指导性案例或典型案例")
    if not articles:
        notes.append("没有找到与案件事实相关的现行法律规定")
    return Attachment(facts, heading, cases, articles, check_citations(searcher, text),
                      datetime.date.today().isoformat(), notes)


# -- facts ---------------------------------------------------------------------------------------
@dataclass
class _Line:
    rank: int          # heading level; 0 = not a heading
    body: str          # the line without its numbering


def _classify(line: str, marked_only: bool) -> _Line:
    """A heading-like line: a markdown/Word heading, or a short numbered (or, in a report
    without marked headings, bare) title without sentence punctuation."""
    m = _HEADING_RE.match(line)
    kind = next((g for g in ("md", "cn", "cnp", "ar", "arp") if m.group(g)), "")
    body = m.group("body")
    if kind == "md":
        return _Line(len(m.group("md")), _HEADING_RE.match(body).group("body"))
    title = body.rstrip("：:")
    if not title or len(title) > _MAX_HEADING_CHARS or _SENTENCE_PUNCT.search(title):
        return _Line(0, body)
    if kind:
        return _Line(_RANKS[kind], body) if not _CLAUSE_PUNCT.search(title) else _Line(0, body)
    if marked_only or body != title or len(title) > _MAX_BARE_HEADING_CHARS or _CLAUSE_PUNCT.search(title):
        return _Line(0, body)
    return _Line(1, body)


def _facts_start(line: _Line) -> tuple[str, str] | None:
    """(heading, facts written on the same line) when the line opens a facts section: a heading
    (一、案件事实), a lead-in (基本案情：…) or a paragraph opening 经审查查明，…; else None."""
    if m := _LEAD_IN_RE.match(line.body):
        return m.group(1), line.body[m.end():].strip()
    m = re.match(r"(?P<head>[^：:]*)(?P<colon>[：:])?(?P<rest>.*)", line.body)
    head = m.group("head").strip()
    if len(head) <= _MAX_HEADING_CHARS and _FACTS_RE.search(head) and (line.rank or m.group("colon")):
        return head, m.group("rest").strip()
    return None


def find_facts(text: str) -> tuple[str, str, list[str]]:
    """The facts sections' text, their heading(s), and notes; the whole report when there is none.

    A section runs to the next heading of the same or a higher level, so numbered sub-headings
    ((一)、1.) inside the facts stay in it.
    """
    lines = text.splitlines()
    marked_only = any(line.lstrip().startswith("#") for line in lines)
    parsed = [_classify(line, marked_only) for line in lines]
    sections: list[str] = []
    headings: list[str] = []
    i = 0
    while i < len(lines):
        start = _facts_start(parsed[i])
        if start is None:
            i += 1
            continue
        rank = parsed[i].rank or _ANY_HEADING   # a lead-in ends at the next heading of any level
        headings.append(start[0])
        body = [start[1]]
        i += 1
        while i < len(lines) and not (parsed[i].rank and parsed[i].rank <= rank):
            body.append(lines[i].strip().lstrip("#").strip())
            i += 1
        sections.append("\n".join(b for b in body if b))
    facts = "\n".join(s for s in sections if s)
    notes: list[str] = []
    if not facts:
        facts = text.strip()
        notes.append("未找到“案件事实”“基本案情”“经审查查明”等部分，已以报告全文检索类案"
                     if not headings else f"“{headings[0]}”部分没有内容，已以报告全文检索类案")
        headings = []
    if len(facts) > MAX_QUERY_CHARS:
        facts = facts[:MAX_QUERY_CHARS]
        notes.append(f"案件事实超过{MAX_QUERY_CHARS}字，只以前{MAX_QUERY_CHARS}字检索")
    return facts, "、".join(dict.fromkeys(headings)), notes


# -- search --------------------------------------------------------------------------------------
def tier_of(hit: Hit) -> int:
    if hit.doc_type == "guiding_case" and hit.level in ("spp", "spc"):
        return 0 if hit.level == "spp" else 1
    return 2 if hit.doc_type == "typical_case" and hit.level in ("spp", "spc") else 3


def _lexical(hit: Hit) -> bool:
    """Shares words with the facts (or was named outright): a case found by embedding alone,
    with no term in common, is not one a committee would call similar."""
    return "bm25" in hit.scores or bool({"citation", "charge"} & set(hit.matched_by))


def similar_cases(searcher, facts: str, k: int) -> list[CaseEntry]:
    """Up to k most relevant cases, then ordered by authority tier (relevance within a tier)."""
    result = searcher.search(facts, k=min(100, k + _SPARE), filters=Filters(doc_types=CASE_TYPES))
    hits = [h for h in result.results if h.doc_type in CASE_TYPES and _lexical(h)][:k]
    ordered = sorted(enumerate(hits), key=lambda p: (tier_of(p[1]), p[0]))
    return [_case_entry(searcher, hit) for _, hit in ordered]


def _case_entry(searcher, hit: Hit) -> CaseEntry:
    return CaseEntry(citation=hit.citation, tier=TIERS[tier_of(hit)], holding_label=f"【{hit.holding_label}】",
                     holding=hit.holding,
                     matched_label=hit.unit_label, passage=hit.passage, doc_id=hit.doc_id, unit_id=hit.unit_id,
                     doc_type=hit.doc_type, level=hit.level, case_no=hit.case_no, url=hit.url,
                     score=hit.scores.get("fused", 0.0))


def citing_order(level: str, title: str) -> tuple[int, bool]:
    """Where a norm stands when several are cited together (法释〔2009〕14号): by kind, then
    substantive before procedural."""
    return STATUTE_LEVELS.index(level), bool(_PROCEDURAL_RE.search(title))


def relevant_articles(searcher, query: str, k: int) -> list[ArticleEntry]:
    """The k current national articles closest to the query, with their full text, listed as 法释〔2009〕14号
    orders them: laws, administrative regulations, interpretations, then rules; substantive before
    procedural; the articles of one law together and in order."""
    result = searcher.search(query, k=min(100, k + _SPARE),
                             filters=Filters(doc_types=STATUTE_TYPES, levels=STATUTE_LEVELS, validity="current"))
    picked: list[tuple[Hit, dict]] = []
    for hit in result.results:
        unit = searcher.unit_row(hit.unit_id)
        if (hit.doc_type in STATUTE_TYPES and hit.level in STATUTE_LEVELS and hit.validity == "current"
                and _lexical(hit) and unit and unit["kind"] == "article"):
            picked.append((hit, unit))
        if len(picked) == k:
            break
    first_rank: dict[str, int] = {}
    for rank, (hit, _) in enumerate(picked):
        first_rank.setdefault(hit.doc_id, rank)
    picked.sort(key=lambda p: (*citing_order(p[0].level, p[0].title), first_rank[p[0].doc_id], p[1]["position"]))
    return [ArticleEntry(hit.citation, unit["text"], hit.unit_id, hit.scores.get("fused", 0.0)) for hit, unit in picked]


# -- citation check ------------------------------------------------------------------------------
def check_citations(searcher, text: str) -> list[CitationCheck]:
    """Every distinct citation in the report, resolved against the corpus."""
    seen: set[tuple] = set()
    checks = []
    for c in parse_citations(text):
        ident = (c.key, c.version_year, c.renumbered_article)
        if ident in seen:
            continue
        seen.add(ident)
        checks.append(_check(searcher, c, searcher.resolver.resolve(c)))
    return checks


def _cite(searcher, unit_id: str) -> str:
    unit = searcher.unit_row(unit_id) if unit_id else None
    return citation_string(searcher.docs[unit["doc_id"]], unit["label"]) if unit else ""


def _version_name(searcher, doc_id: str) -> str:
    doc = searcher.docs.get(doc_id)
    if doc is None:
        return ""
    return book_title(doc.title) + (f"（{doc.version_label}）" if doc.version_label else "")


def _check(searcher, c: Citation, res: Resolution) -> CitationCheck:
    check = CitationCheck(raw=c.raw, citation=c.render(), status=res.status, severity="ok", message="",
                          unit_id=res.unit_id, current_unit_id=res.current_unit_id, start=c.start, end=c.end)
    if res.status == "ok":
        if c.kind != "article":
            return _case_standing(searcher, res.doc_id, check)
        return _version_not_in_corpus(searcher, c, check)
    if res.status == "stub":
        check.severity, check.message = "note", "检索库中仅有该案例的目录信息，没有全文，无法核对要旨，请查阅原文。"
        return check
    check.severity = "flag"
    if res.status == "unknown_law":
        check.message = f"检索库中没有名为《{c.law}》的法律文件，请核对法律名称。"
    elif res.status == "unknown_article":
        check.message = f"{_version_name(searcher, res.doc_id)}没有{c.render().split('》')[-1]}，请核对条文序号。"
    elif res.status == "unknown_case":
        check.message = f"检索库中没有{c.render()}，请核对案例编号。"
    elif res.status == "renumbered":   # the report notes the new number (现为…第N条): confirm it
        check.current_citation = _cite(searcher, res.current_unit_id)
        if check.current_citation:
            check.severity, check.message = "note", f"经核对，该条现为{check.current_citation}。"
        else:
            check.message = "报告注明的现行条文序号未能核实，请核对。"
    elif res.status == "superseded":
        _superseded(searcher, check, res.unit_id, res.current_unit_id,
                    f"引用的是已被修订的{_version_name(searcher, res.doc_id)}")
    return check


def _case_standing(searcher, doc_id: str, check: CitationCheck) -> CitationCheck:
    """A cited case that may no longer be referred to (不再参照), or whose holding the corpus lacks."""
    doc = searcher.docs.get(doc_id)
    if doc is not None and doc.standing not in ("", "current"):
        check.severity = "flag"
        check.message = f"该案例{STANDING_LABELS[doc.standing]}：{doc.standing_basis}。请勿作为参照依据。"
    elif doc is not None and not searcher.resolver.unit(doc_id, "holding"):
        check.severity = "note"
        check.message = f"检索库未收录该案{holding_label(doc.court)}，无法核对，请查阅原文。"
    return check


def _version_not_in_corpus(searcher, c: Citation, check: CitationCheck) -> CitationCheck:
    """A citation naming a version the corpus lacks (（1989年）, when it holds 2014 only) resolves to
    the version it has; say so, and flag it when the named version is the older one."""
    doc = searcher.docs.get(check.unit_id.split("#")[0]) if check.unit_id else None
    if doc is None or not doc.year or not c.version_year or doc.year == c.version_year:
        return check
    if c.version_year > doc.year:
        check.severity = "note"
        check.message = f"检索库未收录所引{c.version_year}年版本，已按{_version_name(searcher, doc.doc_id)}核对，请确认版本。"
        return check
    check.status, check.severity = "superseded", "flag"
    _superseded(searcher, check, "", check.unit_id, f"所引{c.version_year}年版本已被修改（检索库未收录该版本）")
    return check


def _superseded(searcher, check: CitationCheck, old_id: str, same_id: str, lead: str) -> None:
    """Point to the current article: the same number when its text carried over, else the closest
    current article of the law (revisions such as 矿产资源法 2024 renumbered most articles)."""
    old = searcher.unit_row(old_id) if old_id else None
    same = searcher.unit_row(same_id) if same_id else None
    if same and (old is None or bigram_overlap(old["text"], same["text"]) >= SAME_ARTICLE):
        check.current_unit_id, check.current_citation = same_id, _cite(searcher, same_id)
        tail = f"；现行条文为{check.current_citation}，请核对内容是否变化"
    else:
        near = _nearest_current_article(searcher, old) if old else ""
        check.current_unit_id, check.current_citation = near, _cite(searcher, near)
        tail = ("；现行版本" + ("同号条文内容已不同" if same else "没有同号条文")
                + (f"，内容相近的现行条文为{check.current_citation}，请核对" if near else "，请核对现行规定"))
    check.message = lead + tail + "（如依法适用行为时的旧法，请在报告中说明）。"


def _nearest_current_article(searcher, old: dict) -> str:
    """The current article of the same law whose text is closest to the old one's, when the
    revision renumbered it and the citation gives no 现为… note: a lead to check, not a finding."""
    old_doc = searcher.docs.get(old["doc_id"])
    if old_doc is None or not old_doc.law_key or not old["text"].strip():
        return ""
    result = searcher.search(old["text"][:MAX_QUERY_CHARS], k=20, floor=None,   # a lookup, not a question
                             filters=Filters(doc_types=STATUTE_TYPES, validity="current"))
    for hit in result.results:
        doc = searcher.docs.get(hit.doc_id)
        if doc is not None and doc.law_key == old_doc.law_key and "bm25" in hit.scores:
            return hit.unit_id
    return ""
