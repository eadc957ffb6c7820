"""Committee prep: from a review report (审查报告) to the 类案检索 record a procurator puts before the
检察委员会 or a 检察官联席会议 — what 法发〔2020〕24号 item 八 asks a search report to record: who searched,
when, on which platform, how (each query and method), the results per tier with their holdings, the
issues in dispute, and whether each case is to be 参照 or 参考; plus the statutes that apply and a
check of the report's own citations.

Shared by `leian cite` and `POST /api/attach`: both pass the report's plain text; headings may be
marked with `#` (a .docx is read that way, so its Word headings count as headings).
"""
from __future__ import annotations

import datetime
import getpass
import os
from collections import Counter
from dataclasses import asdict, dataclass, field
from importlib.metadata import PackageNotFoundError, version

from prep.cases import CaseEntry, CaseSearch, SearchRun
from prep.checks import CitationCheck, check_citations
from prep.report_text import (BadReport, default_as_of, find_facts, find_issues, normalise_issues,
                              proposed_procedure, without_citations)
from prep.statutes import STATUTE_SCOPE, ArticleEntry, VersionClock, relevant_articles
from indexer.search import MAX_QUERY_CHARS

ISSUE_NUMBERS = "一二三四五六七八九十"
BY_ENV = "LEIAN_USER"     # who searched, when --by is not given
MIN_ISSUE_WORDS = 6       # an issue that is little more than citations is searched through its links only


@dataclass
class Platform:
    """检索平台: the software and the corpus snapshot the results come from."""

    name: str
    version: str
    index_build: str
    built_at: str
    counts: dict[str, int]

    def describe(self) -> str:
        parts = [f"{label}{self.counts[key]}件" for key, label in
                 (("statute", "法律法规"), ("rule", "司法解释和规范性文件"), ("guiding_case", "指导性案例"),
                  ("typical_case", "典型案例"), ("judgment", "裁判文书")) if self.counts.get(key)]
        return (f"{self.name} {self.version}，检索库版本{self.index_build}（{self.built_at[:10]}建库，"
                + "、".join(parts) + "）")


@dataclass
class Record:
    by: str                           # 检索主体
    searched_at: str                  # 检索时间, ISO with minutes
    platform: Platform                # 检索平台
    facts: str
    facts_heading: str                # "" when the whole report was searched
    issues: list[str]                 # 待决案件争议焦点
    issues_source: str                # the heading they were read from, or 检索人提供
    procedure: str                    # the procedure the report proposes (民事公益诉讼 …), "" when unknown
    procedure_source: str
    as_of: str                        # the date whose statute versions are listed (YYYY-MM-DD)
    as_of_source: str                 # 报告所述行为时间 / 报告落款日期 / 检索人指定 / 检索当日
    runs: list[SearchRun]             # 检索方法: every search actually run
    cases: list[CaseEntry]
    articles: list[ArticleEntry]
    checks: list[CitationCheck]
    notes: list[str] = field(default_factory=list)

    @property
    def flagged(self) -> list[CitationCheck]:
        """Citations the procurator must correct or justify."""
        return [c for c in self.checks if c.severity in ("error", "warning")]

    def to_json(self) -> dict:
        data = asdict(self)
        severities = Counter(c.severity for c in self.checks)
        data["summary"] = {"cases": len(self.cases), "articles": len(self.articles), "citations": len(self.checks),
                           "flagged": len(self.flagged), **{s: severities.get(s, 0) for s in ("error", "warning", "note")}}
        data["platform"]["description"] = self.platform.describe()
        return data


def platform_of(searcher) -> Platform:
    try:
        leian_version = version("leian")
    except PackageNotFoundError:
        leian_version = "unknown"
    counts = Counter(d.doc_type for d in searcher.docs.values() if not d.stub)
    return Platform("leian 类案检索", leian_version, searcher.build.name, searcher.manifest.get("built_at", ""),
                    dict(counts))


def default_searcher_name() -> str:
    """检索主体 when none is given: $LEIAN_USER, else the account running leian."""
    name = os.environ.get(BY_ENV, "").strip()
    if name:
        return name
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "未填写"


def build_record(searcher, text: str, k: int = 5, by: str | None = None, issues: list[str] | None = None,
                 as_of: datetime.date | None = None, now: datetime.datetime | None = None) -> Record:
    """Search, rank and check everything a committee record needs for one report."""
    if text is None or not str(text).strip():
        raise BadReport("the report is empty: there are no facts to search with")
    if not 1 <= k <= 50:
        raise BadReport(f"k must be between 1 and 50, got {k}")
    if by is not None and len(by.strip()) > 100:
        raise BadReport("the searcher's name (by) is longer than 100 characters")
    now = now or datetime.datetime.now()
    text = str(text)
    facts, facts_heading, notes = find_facts(text)
    given = normalise_issues(issues or [])
    found, issues_heading = find_issues(text) if not given else ([], "")
    procedure, procedure_source = proposed_procedure(text)
    if as_of is None:
        as_of, as_of_source = default_as_of(text, facts, now.date())
    else:
        as_of_source = "检索人指定"
    clock = VersionClock(searcher)

    checks = check_citations(searcher, text, as_of, clock)
    issue_queries = [(f"争议焦点{ISSUE_NUMBERS[n]}", words) for n, issue in enumerate(given or found)
                     if len(words := without_citations(issue)) >= MIN_ISSUE_WORDS]
    search = CaseSearch(searcher, text, procedure, k)
    for purpose, query in [("案件事实", facts), *issue_queries]:
        search.by_text(purpose, query)
    # Which law applies turns on the handling proposed too (起诉, 民事公益诉讼…), so statutes are sought
    # with the whole report when it fits a query, and with each issue; cases are similar by their facts.
    whole = text.strip()
    first = ("报告全文", whole, f"报告全文（共{len(whole)}字）") if len(whole) <= MAX_QUERY_CHARS else \
        ("案件事实", facts, facts)
    statute_queries = [first, *((purpose, query, query) for purpose, query in issue_queries)]
    articles, counts = relevant_articles(searcher, [q for _, q, _ in statute_queries], k, as_of, clock)
    search.runs += [SearchRun(f"{purpose}（法律规定）", shown, "关键词检索、语义检索（融合排序）", STATUTE_SCOPE, n)
                    for (purpose, _, shown), n in zip(statute_queries, counts)]
    cited_articles = [c.unit_id for c in checks if c.kind == "article" and c.unit_id and c.severity != "error"]
    search.by_statutes(cited_articles + [a.unit_id for a in articles])
    search.by_cases([c.doc_id for c in checks if c.kind != "article" and c.severity == "ok" and c.doc_id])
    cases = search.cases()

    if not cases:
        notes.append("没有找到与案件事实相似的指导性案例或典型案例")
    if not articles:
        notes.append("没有找到与案件事实相关的法律规定")
    return Record(by=(by or "").strip() or default_searcher_name(), searched_at=now.isoformat(timespec="minutes"),
                  platform=platform_of(searcher), facts=facts, facts_heading=facts_heading,
                  issues=given or found, issues_source="检索人提供" if given else issues_heading,
                  procedure=procedure, procedure_source=procedure_source, as_of=as_of.isoformat(),
                  as_of_source=as_of_source, runs=search.runs, cases=cases, articles=articles, checks=checks,
                  notes=notes)
