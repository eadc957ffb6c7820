"""The citable data model: every search hit points at a Unit of a Document."""
from __future__ import annotations

from dataclasses import dataclass, field

DOC_TYPES = ("statute", "rule", "guiding_case", "typical_case", "other", "judgment")
CASE_TYPES = ("guiding_case", "typical_case")

# Issuing levels, ordered from most to least authoritative (used for ranking priors and display).
LEVELS = (
    "law",                      # 法律 (incl. 宪法)
    "judicial_interpretation",  # 司法解释
    "administrative_regulation",  # 行政法规
    "procuratorate_rule",       # 最高检办案规则 / 工作规定
    "departmental_rule",        # 部门规章
    "local_regulation",         # 地方性法规
    "spp",                      # 最高人民检察院 (cases)
    "spc",                      # 最高人民法院 (cases)
    "supreme_court",            # judgments, by the court that gave them: 最高人民法院
    "high_court",               # 高级人民法院
    "intermediate_court",       # 中级人民法院 (and courts of that rank: 知识产权法院, 海事法院 …)
    "basic_court",              # 基层人民法院
    "other",
)

VALIDITY = ("current", "superseded", "unknown")



@dataclass
class Source:
    """One file (or one record in a file) a document was read from."""

    path: str
    format: str          # md / txt / docx / json / jsonl
    url: str = ""
    record: str = ""     # key of the record inside a JSON/JSONL/batch file
    merged: str = ""     # why this file joined a document it does not head (MERGE_REASONS); "" for the first


@dataclass
class Unit:
    """The smallest thing a procurator cites: an article, or a section of a case."""

    unit_id: str
    doc_id: str
    kind: str            # article | paragraph | keywords | holding | facts | process | significance | provisions
    label: str           # 第七十四条 / 【要旨】
    text: str
    number: int = 0      # article number (0 for non-articles)
    number_sub: int = 0  # 之一 → 1
    heading: str = ""    # 第六章 法律责任 / 第一节 …
    position: int = 0


@dataclass
class Document:
    doc_id: str
    doc_type: str
    title: str
    level: str = "other"
    law_key: str = ""            # statutes/rules: version-free key shared by all versions
    version_date: str = ""       # YYYY-MM-DD of this version (statutes) or publication date (cases)
    version_label: str = ""      # 2024年修订 / 2017年修正, as citations qualify a version
    validity: str = "unknown"
    superseded_by: str = ""
    case_no: str = ""            # 检例第28号 / 指导案例215号 / a judgment's 案号 （2016）京01刑初119号
    case_number: int = 0
    court: str = ""              # spp / spc; a judgment's court by name
    batch: str = ""
    keywords: list[str] = field(default_factory=list)
    domains: list[str] = field(default_factory=list)
    procedures: list[str] = field(default_factory=list)
    url: str = ""
    stub: bool = False           # known from a catalogue only, no text
    standing: str = ""           # cases: current | not_referenced | replaced (corpus/standing.py)
    standing_basis: str = ""     # the instrument that withdrew or replaced the case
    charges: list[str] = field(default_factory=list)   # judgments: 罪名 as the judgment states them
    parties: list[str] = field(default_factory=list)   # judgments: 被告人郭某 …, masked as the source masks them
    writ: str = ""               # judgments: 刑事判决书 / 刑事裁定书 …
    case_id: str = ""            # judgments: the case (CJO ajId); its judgments of every instance share it
    sources: list[Source] = field(default_factory=list)
    units: list[Unit] = field(default_factory=list)

    @property
    def year(self) -> int:
        return int(self.version_date[:4]) if self.version_date[:4].isdigit() else 0

    def unit(self, kind: str) -> Unit | None:
        return next((u for u in self.units if u.kind == kind), None)


@dataclass
class Skipped:
    path: str
    reason: str
