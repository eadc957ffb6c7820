"""A 类案检索报告 from a search on the page: the cases and articles the procurator ticked, with the
searches that found them, recorded the way 法发〔2020〕24号 item 八 asks."""
from __future__ import annotations

import datetime
from dataclasses import dataclass

from corpus.errors import BadInput
from prep.cases import CASE_KINDS, CaseSearch, SearchRun
from prep.record import Record, default_searcher_name, platform_of
from prep.statutes import STATUTE_TYPES, ArticleEntry, article_entry, citing_order

MAX_ITEMS = 100
MAX_QUERIES = 20


class BadSelection(BadInput):
    code = "bad_selection"


@dataclass
class RunQuery:
    """A search the procurator ran on the page, as the page reports it."""

    q: str
    scope: str = ""        # the filters in words (类型：指导性案例 …), as the page showed them
    hits: int = 0


def record_from_selection(searcher, unit_ids: list[str], queries: list[RunQuery], by: str | None = None,
                          now: datetime.datetime | None = None) -> Record:
    """The record of what the procurator chose: ticked cases by tier with their holdings and 参照/参考,
    ticked articles in the order of 法释〔2009〕14号, and the searches run."""
    unit_ids = list(dict.fromkeys(u for u in unit_ids if u))
    if not unit_ids:
        raise BadSelection("tick at least one case or article to export")
    if len(unit_ids) > MAX_ITEMS or len(queries) > MAX_QUERIES:
        raise BadSelection(f"at most {MAX_ITEMS} items and {MAX_QUERIES} searches per export")
    hits = [searcher.hit_for(u, "selected") for u in unit_ids]
    unknown = [u for u, h in zip(unit_ids, hits) if h is None]
    if unknown:
        raise BadSelection(f"not in the index: {', '.join(unknown[:5])}")
    now = now or datetime.datetime.now()
    cases = CaseSearch(searcher, " ".join(q.q for q in queries), "", k=MAX_ITEMS)
    cases.add("检索人选定", [h for h in hits if h.doc_type in CASE_KINDS])
    runs = [SearchRun("检索", q.q, "关键词检索、语义检索（融合排序）", q.scope or cases.scope, q.hits) for q in queries]
    return Record(by=(by or "").strip() or default_searcher_name(), searched_at=now.isoformat(timespec="minutes"),
                  platform=platform_of(searcher), facts="", facts_heading="", issues=[], issues_source="",
                  procedure="", procedure_source="", as_of=now.date().isoformat(), as_of_source="检索当日",
                  runs=runs, cases=cases.cases(), articles=_articles(searcher, hits), checks=[],
                  notes=["本报告所列案例和条文由检索人从检索结果中选定"])


def _articles(searcher, hits: list) -> list[ArticleEntry]:
    """Ticked articles (and rule paragraphs) as 法释〔2009〕14号 orders them, each law's in its own order."""
    rows = {h.unit_id: searcher.corpus.unit(h.unit_id) for h in hits if h.doc_type in STATUTE_TYPES}
    chosen = [h for h in hits if h.unit_id in rows]
    chosen.sort(key=lambda h: (*citing_order(h.level, h.title), h.doc_id, rows[h.unit_id]["position"]))
    return [article_entry(searcher, h, rows[h.unit_id]) for h in chosen]
