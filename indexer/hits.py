"""What a procurator sees for one result: a cited holding with the passage that matched."""
from __future__ import annotations

from dataclasses import asdict, dataclass, field

from corpus.model import Document

PASSAGE_CHARS = 180
SAME_ARTICLE = 0.4   # bigram overlap above which a same-numbered current article is the old one amended


@dataclass
class Hit:
    citation: str                 # 《中华人民共和国矿产资源法》（2024年修订）第七十四条 / 检例第28号《…》
    title: str
    doc_type: str
    unit_label: str               # 第七十四条 / 【要旨】
    holding: str                  # cases: the 要旨/裁判要点 even when another section matched
    passage: str                  # the matched unit's best window
    highlights: list[tuple[int, int]]   # [start, end) offsets into passage
    validity: str
    scores: dict[str, float]      # bm25, dense, fused (absent retrievers are left out)
    doc_id: str
    unit_id: str
    cited_by: list[dict] = field(default_factory=list)   # articles: the cases citing them, the first judgments
    cited_by_total: int = 0       # articles: how many documents cite them in all (judgments are not all listed)
    level: str = ""
    version_date: str = ""
    case_no: str = ""
    url: str = ""
    matched_by: list[str] = field(default_factory=list)  # citation / charge / bm25 / dense
    holding_label: str = ""       # cases: 裁判要点 (SPC) / 要旨 (SPP)
    holding_missing: bool = False  # a case whose holding the corpus lacks: never shown as having one
    standing: str = ""            # cases: current / not_referenced / replaced (corpus/standing.py)
    standing_basis: str = ""      # the instrument behind a standing other than current
    current: dict | None = None   # a superseded article: the current version's unit_id, citation, text
    batch: str = ""               # cases: the published batch (第31批指导性案例（2021，…）)
    judgment: dict | None = None  # judgments: court, level, 案号, procedure, date, charges, parties, the
    #                               articles applied, the case's other judgments, circumstances shared with the query

    def to_json(self) -> dict:
        data = asdict(self)
        data["highlights"] = [list(span) for span in self.highlights]
        return data


def citation_string(doc: Document, unit_label: str) -> str:
    """The form a review report cites; a judgment: court + 案号 + document type
    (山东省济南市历下区人民法院（2017）鲁0102刑初365号刑事判决书)."""
    if doc.doc_type == "judgment":
        return f"{doc.court}{doc.case_no}{doc.writ}" if doc.case_no else doc.title
    if doc.doc_type in ("statute", "rule", "other"):
        version = f"（{doc.version_label}）" if doc.version_label else ""
        label = unit_label if unit_label.startswith("第") else ""
        return f"{book_title(doc.title)}{version}{label}"
    if doc.case_no:
        return f"{doc.case_no}{book_title(doc.title)}"
    when = "，".join(x for x in (doc.batch, doc.version_date) if x)
    return book_title(doc.title) + (f"（{when}）" if when else "")


def book_title(title: str) -> str:
    """《…》 around a title; a title quoted inside it takes the inner marks 〈〉, as official texts
    write 《最高人民法院关于适用〈中华人民共和国民事诉讼法〉的解释》."""
    return "《" + title.replace("《", "〈").replace("》", "〉") + "》"


def best_window(text: str, terms: list[str], width: int = PASSAGE_CHARS) -> tuple[str, list[tuple[int, int]]]:
    """The window of `text` covering the most distinct query terms, and the term spans in it.

    Spans are offsets, never markup: the page builds <mark> elements from them, so text
    from the sources (which holds stray HTML) is never interpreted.
    """
    terms = sorted({t for t in terms if t and t in text}, key=len, reverse=True)
    start = 0
    if len(text) > width and terms:
        best, best_cover = 0, -1
        for pos in sorted(text.find(t) for t in terms):
            begin = max(0, pos - width // 4)
            window = text[begin:begin + width]
            cover = sum(1 for t in terms if t in window)
            if cover > best_cover:
                best, best_cover = begin, cover
        start = best
    passage = text[start:start + width]
    prefix = "…" if start > 0 else ""
    suffix = "…" if start + width < len(text) else ""
    spans = _spans(passage, terms)
    shift = len(prefix)
    return prefix + passage + suffix, [(a + shift, b + shift) for a, b in spans]


def _spans(text: str, terms: list[str]) -> list[tuple[int, int]]:
    taken = [False] * len(text)
    spans = []
    for term in terms:               # longest first, so 矿产资源法 wins over 矿产
        i = text.find(term)
        while i >= 0:
            if not any(taken[i:i + len(term)]):
                spans.append((i, i + len(term)))
                for j in range(i, i + len(term)):
                    taken[j] = True
            i = text.find(term, i + 1)
    return sorted(spans)


def bigram_overlap(a: str, b: str) -> float:
    """Share of character bigrams two texts have in common (Dice): an amended article keeps most,
    a renumbered slot holding another article keeps few."""
    x, y = ({t[i:i + 2] for i in range(len(t) - 1)} for t in (a, b))
    return 2 * len(x & y) / (len(x) + len(y)) if x and y else 0.0
