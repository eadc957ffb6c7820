"""Similar cases for a committee record, searched and listed in the order 法发〔2020〕24号 item 四 sets
(guiding cases, then typical cases), each with what makes it similar, what differs, and whether it
is to be 参照 or 参考 (item 九; the SPP's 案例指导工作规定).

Several searches feed one list: the facts, each 争议焦点 on its own, the cases that cite the
statutes the report relies on (法条关联案件检索) and the cases like the ones it cites (案例关联检索).
Their rankings are fused with RRF, so a case several searches agree on rises.
"""
from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from corpus.domains import derive_domains
from corpus.model import CASE_TYPES
from corpus.judgments import DOC_TYPE as JUDGMENT
from corpus.standing import STANDING_LABELS, holding_label
from indexer.filters import Filters
from indexer.fusion import RRF_K
from indexer.hits import Hit
from prep.statutes import lexical

# Authority tiers in the search order of item 四, most binding first: a committee must consider SPP
# guiding cases before all else; court judgments (生效裁判) come after guiding and typical cases.
TIERS = ("最高检指导性案例", "最高法指导性案例", "最高检、最高法典型案例", "人民法院生效裁判", "其他案例")
SHOWN_EMPTY = TIERS[:3]     # listed with 未检索到 when nothing matched: the record shows they were searched
JUDGMENT_TIER = TIERS[3]    # listed (empty or not) when the index holds judgments at all
CASE_KINDS = CASE_TYPES + (JUDGMENT,)
SEARCHED = "最高人民检察院、最高人民法院发布的指导性案例和典型案例"
SEARCHED_WITH_JUDGMENTS = SEARCHED + "，人民法院生效裁判"
# Item 四 prefers judgments of the last three years (guiding cases excepted), higher courts first.
RECENT_YEARS = 3
COURT_ORDER = ("supreme_court", "high_court", "intermediate_court", "basic_court")
# Candidates each search contributes before tiering: deep enough that a guiding case ranked below
# many typical cases still reaches its own tier.
_DEPTH = 60
_LINKED_ARTICLES = 5        # statutes whose citing cases are searched
_MAX_TERMS = 3              # keywords listed as shared or as differing

SPP_BASIS = ("最高人民检察院指导性案例。经审查与本案属于类似案件的，应当参照办理，可以在释法说理中引述，"
             "但不得代替法律或者司法解释作为处理决定的直接依据（《最高人民检察院关于案例指导工作的规定》）")
SPC_BASIS = ("最高人民法院指导性案例。类似案件应当参照，但与新的法律、行政法规、司法解释相冲突或者为新的指导性案例"
             "所取代的除外（法发〔2020〕24号第九条）")
TYPICAL_BASIS = "非指导性案例，可以作为办案的参考（法发〔2020〕24号第九条）"
JUDGMENT_BASIS = "人民法院生效裁判，可以作为办案的参考（法发〔2020〕24号第九条）"


@dataclass
class SearchRun:
    """One search actually run, as item 八 records the 检索方法."""

    purpose: str           # 案件事实 / 争议焦点一 / 法条关联 / 案例关联
    query: str             # the text searched, or the statute / case it started from
    method: str            # 关键词检索、语义检索 / 法条关联案件检索 / 案例关联检索
    scope: str             # what was searched, in words
    hits: int


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
    judgment: dict | None = None  # court, level, 案号, date, procedure, charges, applied articles (judgments)
    standing: str = "current"
    standing_basis: str = ""
    procedures: list[str] = field(default_factory=list)
    reference: str = ""          # 应当参照 / 可以参考 / 不再参照
    reference_basis: str = ""
    similar: list[str] = field(default_factory=list)    # 相似之处
    differs: list[str] = field(default_factory=list)    # 不同之处
    found_by: list[str] = field(default_factory=list)   # the searches that found it


def tier_of(doc_type: str, level: str) -> int:
    if doc_type == "guiding_case" and level in ("spp", "spc"):
        return 0 if level == "spp" else 1
    if doc_type == "typical_case" and level in ("spp", "spc"):
        return 2
    return 3 if doc_type == JUDGMENT else 4


def procedure_rank(case_procedures: list[str], procedure: str) -> int:
    """0: the report's procedure; 1: unknown, or civil liability sought either way
    (刑事附带民事公益诉讼 for a 民事公益诉讼 report); 2: another procedure."""
    if not procedure or procedure in case_procedures:
        return 0
    civil = {"民事公益诉讼", "刑事附带民事公益诉讼"}
    if procedure in civil and civil & set(case_procedures):
        return 1
    named = [p for p in case_procedures if p.endswith("公益诉讼") or p == "支持起诉"]
    return 2 if named else 1


def _court_and_recency(entry: CaseEntry) -> tuple[int, int]:
    """Judgments: higher courts first, then those of the last three years (item 四); 0s for other cases."""
    if entry.doc_type != JUDGMENT or not entry.judgment:
        return 0, 0
    level = COURT_ORDER.index(entry.level) if entry.level in COURT_ORDER else len(COURT_ORDER)
    year = int(entry.judgment.get("date", "")[:4] or 0)
    return level, int(year < datetime.date.today().year - RECENT_YEARS)


def reference(standing: str, standing_basis: str, doc_type: str, level: str) -> tuple[str, str]:
    """应当参照 / 可以参考 / 不再参照, with the rule that says so."""
    if standing not in ("", "current"):
        return "不再参照", f"该案例{STANDING_LABELS[standing]}：{standing_basis}"
    if doc_type == "guiding_case" and level == "spp":
        return "应当参照", SPP_BASIS
    if doc_type == "guiding_case" and level == "spc":
        return "应当参照", SPC_BASIS
    return "可以参考", JUDGMENT_BASIS if doc_type == JUDGMENT else TYPICAL_BASIS


class CaseSearch:
    """Collects the searches of one record and fuses what they found."""

    def __init__(self, searcher, report_text: str, procedure: str, k: int):
        self.searcher, self.report_text, self.procedure, self.k = searcher, report_text, procedure, k
        self.runs: list[SearchRun] = []
        self._score: dict[str, float] = {}
        self._hit: dict[str, Hit] = {}
        self._found_by: dict[str, list[str]] = {}
        self.with_judgments = bool(searcher.judgments.any)
        self.scope = SEARCHED_WITH_JUDGMENTS if self.with_judgments else SEARCHED
        self._kinds = CASE_KINDS if self.with_judgments else CASE_TYPES
        self._filters = Filters(doc_types=self._kinds)

    def by_text(self, purpose: str, text: str) -> None:
        """Keyword and semantic search, fused; cases sharing no word with the text are left out."""
        result = self.searcher.search(text, k=_DEPTH, filters=self._filters)
        hits = [h for h in result.results if h.doc_type in self._kinds and lexical(h)]
        self.add(purpose, hits)
        self.runs.append(SearchRun(purpose, text, "关键词检索、语义检索（融合排序）", self.scope, len(hits)))

    def by_statutes(self, unit_ids: list[str]) -> None:
        """Cases whose 相关规定 cite the statutes the report relies on."""
        for unit_id in list(dict.fromkeys(u for u in unit_ids if u))[:_LINKED_ARTICLES]:
            unit = self.searcher.unit(unit_id)
            if unit is None:
                continue
            hits = [self._lookup(c["doc_id"]) for c in unit["cited_by"]]
            hits = [h for h in hits if h is not None]
            self.add(f"法条关联：{unit['citation']}", hits)
            self.runs.append(SearchRun("法条关联", unit["citation"], "法条关联案件检索", self.scope, len(hits)))

    def by_cases(self, doc_ids: list[str]) -> None:
        """Cases like the ones the report cites, searched with the cited case's holding."""
        for doc_id in dict.fromkeys(doc_ids):
            doc = self.searcher.docs.get(doc_id)
            holding = self.searcher.corpus.unit(f"{doc_id}#holding") if doc else None
            if holding is None:
                continue
            result = self.searcher.search(holding["text"], k=_DEPTH, filters=self._filters)
            hits = [h for h in result.results if h.doc_type in self._kinds and lexical(h)]
            self.add(f"案例关联：{doc.case_no or doc.title}", hits)
            self.runs.append(SearchRun("案例关联", f"{doc.case_no or doc.title}{holding_label(doc.court)}",
                                       "案例关联检索", self.scope, len(hits)))

    def _lookup(self, doc_id: str) -> Hit | None:
        """A case found by a link rather than by words: its holding (or facts) stands for it."""
        doc = self.searcher.docs.get(doc_id)
        if doc is None or doc.doc_type not in self._kinds or doc.stub:
            return None
        for kind in ("holding", "facts", "reasoning"):
            if self.searcher.resolver.unit(doc_id, kind):
                return self.searcher.hit_for(f"{doc_id}#{kind}", "cited_by")
        return None

    def add(self, purpose: str, hits: list[Hit]) -> None:
        """One search's ranking, fused into the rest (RRF)."""
        seen: set[str] = set()
        for rank, hit in enumerate(h for h in hits if not (h.doc_id in seen or seen.add(h.doc_id))):
            self._score[hit.doc_id] = self._score.get(hit.doc_id, 0.0) + 1.0 / (RRF_K + rank + 1)
            self._hit.setdefault(hit.doc_id, hit)
            self._found_by.setdefault(hit.doc_id, []).append(purpose)

    def cases(self) -> list[CaseEntry]:
        """The k most relevant cases of each tier, tiers in authority order; within a tier the report's
        procedure first (a ranking, not a filter: an on-point case of another procedure stays). A case
        only an issue's words found, with nothing else in common with the report, is left out."""
        entries = sorted((self._entry(self._hit[d], self._score[d], self._found_by[d]) for d in self._score),
                         key=lambda e: -e.score)
        # a case that one issue's words found, sharing nothing else with the report, is not a 类案
        entries = [e for e in entries if e.similar or "案件事实" in e.found_by]
        out: list[CaseEntry] = []
        for tier in TIERS:
            shown = [e for e in entries if e.tier == tier][:self.k]
            out += sorted(shown, key=lambda e: (procedure_rank(e.procedures, self.procedure),
                                                *_court_and_recency(e)))   # stable: by score within
        return out

    def _entry(self, hit: Hit, score: float, found_by: list[str]) -> CaseEntry:
        doc = self.searcher.docs[hit.doc_id]
        ref, basis = reference(doc.standing, doc.standing_basis, doc.doc_type, doc.level)
        entry = CaseEntry(citation=hit.citation, tier=TIERS[tier_of(doc.doc_type, doc.level)],
                          holding_label=f"【{hit.holding_label}】", holding=hit.holding, matched_label=hit.unit_label,
                          passage=hit.passage, doc_id=hit.doc_id, unit_id=hit.unit_id, doc_type=doc.doc_type,
                          level=doc.level, case_no=doc.case_no, url=doc.url, score=score,
                          standing=doc.standing or "current", standing_basis=doc.standing_basis,
                          procedures=list(doc.procedures), reference=ref, reference_basis=basis, judgment=hit.judgment,
                          found_by=list(dict.fromkeys(found_by)))
        entry.similar, entry.differs = self._compare(doc)
        linked = [f.split("：", 1)[1] for f in entry.found_by if f.startswith("法条关联：")]
        if linked:
            entry.similar.append("援引报告所涉法条：" + "、".join(linked[:2]))
        if entry.judgment and entry.judgment.get("circumstances"):
            entry.similar.append("相同情节：" + "、".join(entry.judgment["circumstances"]))
        if any(f.startswith("案例关联：") for f in entry.found_by):
            entry.similar.append("与报告所引案例要旨相近")
        return entry

    def _compare(self, doc) -> tuple[list[str], list[str]]:
        """What the case shares with the report and where it differs, from the case's own labels
        (keywords, procedure, domain) and the law it applied: facts for the procurator to weigh."""
        similar, differs = [], []
        if doc.doc_type == JUDGMENT:
            charges = [c for c in doc.charges if c and c.removesuffix("罪") in self.report_text]
            if charges:
                similar.append("罪名相同：" + "、".join(charges))
            other = [c for c in doc.charges if c and c not in charges]
            if other:
                differs.append("该案罪名另有：" + "、".join(other[:_MAX_TERMS]))
        shared = [w for w in doc.keywords if w and w in self.report_text]
        missing = [w for w in doc.keywords if w and w not in self.report_text and w not in doc.procedures]
        if shared:
            similar.append("关键词相同：" + "、".join(shared[:_MAX_TERMS]))
        if self.procedure:
            if self.procedure in doc.procedures:
                similar.append(f"同为{self.procedure}")
            elif doc.procedures:
                verb = "提起" if self.procedure.endswith("诉讼") else ""
                differs.append(f"该案为{'、'.join(doc.procedures)}，本案拟{verb}{self.procedure}")
        domains = [d for d in doc.domains if d in derive_domains(self.report_text)]
        if domains:
            similar.append("同属" + "、".join(domains) + "领域")
        if missing:
            differs.append("该案另涉及：" + "、".join(missing[:_MAX_TERMS]))
        differs += self._superseded_law(doc.doc_id)
        return similar, differs

    def _superseded_law(self, doc_id: str) -> list[str]:
        """The case applied a version since revised: item 九 excepts guiding cases that conflict with newer law."""
        titles = []
        for unit_id in dict.fromkeys(e["to_unit"] for e in self.searcher.corpus.applied(doc_id)):
            law = self.searcher.docs.get(unit_id.split("#")[0])
            if law is not None and law.validity == "superseded":
                titles.append(f"《{law.title}》" + (f"（{law.version_label}）" if law.version_label else ""))
        titles = list(dict.fromkeys(titles))
        return [f"该案所依据的{'、'.join(titles[:2])}已被修订，参照时请核对现行规定"] if titles else []
