"""Court judgments (裁判文书) → Documents: China Judgments Online records and plain-text/Word files.

A judgment is one Document of doc_type "judgment" with up to three units, one per part a
procurator compares: facts (基本案情: 指控 … 经审理查明), reasoning (本院认为 … 判决如下) and
outcome (判决结果). Its 案号 is parsed into year, court code, case kind and procedure; the court
name gives the court level; the reasoning gives the charges and the statutes applied (the
依照《…》第…条 list, enumerations such as 第一、四款；第六十七条第三款 included), which ingest
turns into edges to article units.

The same judgment from two files (a CJO record and a Word copy) is one document: the id is the
court + 案号 + document type when the header gives them, else the source's writId.
"""
from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass

from corpus.citations import Citation, parse_citations
from corpus.model import Document, Source, Unit
from corpus.numerals import cn_to_int

DOC_TYPE = "judgment"
UNIT_LABELS = {"facts": "【基本案情】", "reasoning": "【本院认为】", "outcome": "【判决结果】"}

# （2016）京01刑初119号, (2018)最高法刑核1号, （2019）沪0115刑初2345号, （2015）昌刑初字第304号
CASE_NO_RE = re.compile(r"[（(]\s*(?P<year>\d{4})\s*[）)]\s*(?P<court>[\u4e00-\u9fff]{0,6}?\d{0,6})"
                        r"(?P<kind>刑|民|行|赔|执|知民|知行)[一二三四五六七八九]?(?P<proc>初|终|再|提|核|监|申|抗|更|复|请|他)"
                        r"字?\s*第?\s*(?P<seq>\d+)\s*号")
CASE_KINDS = {"刑": "刑事", "民": "民事", "行": "行政", "赔": "国家赔偿", "执": "执行", "知民": "民事", "知行": "行政"}
PROCEDURE_OF = {"初": "一审", "终": "二审", "再": "再审", "提": "再审", "核": "复核", "监": "审判监督",
                "申": "审判监督", "抗": "再审", "更": "刑罚变更", "复": "复议", "请": "请示", "他": "其他"}
JUDGMENT_PROCEDURES = ("一审", "二审", "再审", "复核", "审判监督", "刑罚变更")
# Court levels, highest first: the order of the rules' search scope (法发〔2020〕24号 item 四).
COURT_LEVELS = ("supreme_court", "high_court", "intermediate_court", "basic_court")
COURT_LEVEL_NAMES = {"supreme_court": "最高", "high_court": "高级", "intermediate_court": "中级", "basic_court": "基层"}

_WRIT_RE = re.compile(r"(刑事附带民事|刑事|民事|行政|国家赔偿|执行)?(判决书|裁定书|决定书|调解书)")
_COURT_RE = re.compile(r"^\s*([\u4e00-\u9fff]{2,40}?(?:法院|法庭))")
_CN_DATE_RE = re.compile(r"([〇○零一二三四五六七八九]{4})年([一二三四五六七八九十]{1,3})月([一二三四五六七八九十]{1,3})日")
_SIGNATURE_RE = re.compile(r"\s*(?:审\s*判\s*长|审\s*判\s*员|代理审判员|人民陪审员|书\s*记\s*员|法官助理)")
_FACTS_START_RE = re.compile(r"[^。；\s]{0,40}(?:指控[：:，,]|经审理查明|审理查明|经审查查明|原判认定)")
_REASONING_START_RE = re.compile(r"本院认为")
_OUTCOME_START_RE = re.compile(r"(?:判决|裁定|决定)如下[：:]?")
_CHARGE_RE = re.compile(r"(?:犯|构成)([\u4e00-\u9fff、]{2,30}?罪)")
_NOT_CHARGE_RE = re.compile(r"^罪|[的之对]|事实|刑罚|以上|以下|认罪|悔罪|情节|供述")
_CHARGE_STOP = ("数罪", "该罪", "此罪", "本罪", "一罪", "重罪", "轻罪", "新罪", "余罪", "前罪", "后罪", "犯罪", "何罪",
                "同罪", "多罪", "两罪", "二罪", "三罪", "各罪", "罪")
_CAUSE_RE = re.compile(r"([\u4e00-\u9fff、]{2,40}罪)(?:一案|案|[一二]审|再审|$)")
_PARTY_RE = re.compile(r"(?:^|[。\s])((?:上诉人|被上诉人|原审被告人|被告人|罪犯|自诉人|被告单位|附带民事诉讼原告人|原告人)"
                       r"(?:（[^）]{1,12}）)?)([\u4e00-\u9fff×＊*ＸX某甲乙丙丁0-9]{1,12}?)[，,。（(]")
# Sentence-relevant circumstances a facts text or a judgment states; the similar-case ranking
# compares them (indexer/similar.py). Order is the bit order: append only.
CIRCUMSTANCES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("自首", ("自首", "主动投案", "投案自首", "到公安机关投案", "主动到")),
    ("坦白", ("坦白", "如实供述")),
    ("累犯", ("累犯",)),
    ("立功", ("立功",)),
    ("未遂", ("未遂",)),
    ("中止", ("犯罪中止",)),
    ("从犯", ("从犯",)),
    ("主犯", ("主犯",)),
    ("共同犯罪", ("共同犯罪", "结伙", "伙同", "共谋")),
    ("未成年", ("未成年", "不满十八周岁")),
    ("谅解", ("谅解",)),
    ("退赃退赔", ("退赃", "退赔", "退还", "赔偿")),
    ("认罪认罚", ("认罪认罚",)),
    ("前科", ("前科", "曾因", "刑满释放")),
    ("多次", ("多次",)),
    ("数额较大", ("数额较大",)),
    ("数额巨大", ("数额巨大",)),
    ("数额特别巨大", ("数额特别巨大",)),
    ("情节严重", ("情节严重",)),
    ("情节特别严重", ("情节特别严重",)),
    ("重伤", ("重伤",)),
    ("轻伤", ("轻伤",)),
    ("死亡", ("死亡",)),
    ("醉酒", ("醉酒", "酒后")),
    ("持械", ("持刀", "持械", "凶器", "砍刀", "匕首")),
    ("缓刑", ("缓刑",)),
)


@dataclass(frozen=True)
class CaseNumber:
    """A parsed 案号."""
    text: str
    year: int
    court_code: str
    kind: str         # 刑事 / 民事 / 行政 …
    procedure: str    # 一审 / 二审 / 再审 / 复核 …
    sequence: int


def parse_case_number(text: str) -> CaseNumber | None:
    m = CASE_NO_RE.search(text)
    if m is None:
        return None
    raw = re.sub(r"\s+", "", m.group()).replace("(", "（").replace(")", "）")
    return CaseNumber(raw, int(m.group("year")), m.group("court"), CASE_KINDS[m.group("kind")],
                      PROCEDURE_OF[m.group("proc")], int(m.group("seq")))


def court_level(court: str, code: str = "") -> str:
    """From the court's name (最高/高级/中级); failing that from the 案号's court code, whose
    digits say it (京01: intermediate, 沪0115: basic, 京: high)."""
    if court.startswith("最高人民法院") or code.startswith("最高"):
        return "supreme_court"
    if "高级人民法院" in court:
        return "high_court"
    if "中级人民法院" in court or re.search(r"(知识产权|海事|金融)法院$", court) or "铁路运输中级" in court:
        return "intermediate_court"
    if court:
        return "basic_court"
    digits = len(re.sub(r"\D", "", code))
    return {0: "high_court", 2: "intermediate_court", 4: "basic_court"}.get(digits, "") if code else ""


def judgment_date(full_text: str) -> str:
    """The date signed at the end (二〇一六年六月十二日), before 书记员; appended statute texts
    after it are passed over. "" when the text has none."""
    found = list(_CN_DATE_RE.finditer(full_text))
    if not found:
        return ""
    signed = [m for m in found if re.match(r"\s*(?:书\s*记\s*员|法官助理|本件与原本核对无异)", full_text[m.end():])]
    last = [m for m in found if not full_text[m.end():].strip()]
    m = (signed or last or found)[-1]
    year, month, day = (cn_to_int(g.replace("○", "〇")) for g in m.groups())
    if not (year and month and day and 1949 <= year <= 2100 and 1 <= month <= 12 and 1 <= day <= 31):
        return ""
    return f"{year:04d}-{month:02d}-{day:02d}"


def charges_in_text(*texts: str) -> list[str]:
    """Charge names as the judgment states them (犯贩卖毒品罪, 构成盗窃罪), in order, once each."""
    found: dict[str, None] = {}
    for text in texts:
        for m in _CHARGE_RE.finditer(text):
            name = m.group(1).lstrip("、")
            name = re.sub(r"^(?:被告人|上诉人|其行为|行为|已|均|分别|共同|多次|数|应|以|了|有|构成|犯|本案|前罪)+", "", name)
            if len(name) >= 3 and name not in _CHARGE_STOP and not name.endswith(("犯罪", "无罪")) \
                    and not _NOT_CHARGE_RE.search(name):
                found.setdefault(name)
    return list(found)


def circumstances(text: str) -> list[str]:
    return [name for name, cues in CIRCUMSTANCES if any(cue in text for cue in cues)]


def applied_citations(text: str) -> list[Citation]:
    """The articles a reasoning text applies, once each, lists as judgments write them included:
    《刑法》第三百四十七条第一、四款；第六十七条第三款；第六十四条 → 347, 67, 64."""
    text = re.sub(r"第([零一二三四五六七八九十]+)((?:、[零一二三四五六七八九十]+)+)款",
                  lambda m: "、".join(f"第{n}款" for n in [m.group(1), *m.group(2).strip("、").split("、")]), text)
    text = re.sub(r"(?<=[条款项])\s*[；;，,]\s*(?=第)", "、", text)
    first: dict[str, Citation] = {}
    for c in parse_citations(text):
        if c.kind == "article":
            first.setdefault(c.key, c)
    return list(first.values())


def _doc_id(court: str, case_no: str, writ: str, writ_id: str, body: str) -> str:
    if court and case_no:
        return f"judgment:{court}{case_no}{writ}"
    if writ_id:
        return f"judgment:{writ_id}"
    return "judgment:" + hashlib.sha1(re.sub(r"\s+", "", body).encode()).hexdigest()[:16]


def _parties(header: str) -> list[str]:
    found: dict[str, None] = {}
    for m in _PARTY_RE.finditer(header):
        found.setdefault(m.group(1) + m.group(2))
    return list(found)[:20]


def _cut_signature(text: str) -> str:
    m = _SIGNATURE_RE.search(text)
    return text[:m.start()].strip() if m else text.strip()


def split_parts(full_text: str) -> dict[str, str]:
    """header / facts / reasoning / outcome of a judgment's full text, by its headings."""
    reasoning = _REASONING_START_RE.search(full_text)
    outcome = _OUTCOME_START_RE.search(full_text, reasoning.end() if reasoning else 0)
    facts_end = reasoning.start() if reasoning else outcome.start() if outcome else len(full_text)
    facts = _FACTS_START_RE.search(full_text, 0, facts_end)
    parts = {"header": full_text[:facts.start() if facts else facts_end].strip(),
             "facts": full_text[facts.start():facts_end].strip() if facts else "",
             "reasoning": full_text[reasoning.start():outcome.end() if outcome else len(full_text)].strip()
             if reasoning else "",
             "outcome": _cut_signature(full_text[outcome.end():]) if outcome else ""}
    return parts


def looks_like_judgment(text: str) -> bool:
    """A court's document: its first lines name a court, a 判决书/裁定书 and a 案号."""
    head = text[:400]
    return bool(_COURT_RE.search(head) and _WRIT_RE.search(head) and CASE_NO_RE.search(head))


def is_cjo_record(obj: object) -> bool:
    """China Judgments Online's layout: a full text (qw) or facts (ajjbqk) field, even an empty one
    (such a record is then skipped with its reason, not taken for something else)."""
    return isinstance(obj, dict) and ("qw" in obj or "ajjbqk" in obj)


def build_judgment(*, full_text: str, parts: dict[str, str], title: str, cause: str, source: Source,
                   writ_id: str = "", case_id: str = "") -> Document | None:
    """One judgment Document; None when it has no part to search (no facts, reasoning or outcome)."""
    head = full_text[:400] or parts.get("header", "")[:400]
    court_m = _COURT_RE.search(head)
    court = court_m.group(1) if court_m else ""
    number = parse_case_number(head) or parse_case_number(full_text[:2000])
    writ_m = _WRIT_RE.search(head) or _WRIT_RE.search(title)
    writ = writ_m.group() if writ_m else ""
    case_no = number.text if number else ""
    units_text = {k: parts.get(k, "").strip() for k in UNIT_LABELS}
    if not any(units_text.values()):
        return None
    doc_id = _doc_id(court, case_no, writ, writ_id, "".join(units_text.values()))
    procedure = number.procedure if number else next((p for p in ("一审", "二审", "再审") if p in title), "")
    kind = number.kind if number else (writ_m.group(1) or "") if writ_m else ""
    charges = charges_in_text(units_text["outcome"], units_text["reasoning"]) or charges_in_text(cause)
    date = judgment_date(full_text)
    doc = Document(doc_id=doc_id, doc_type=DOC_TYPE, title=title or f"{court}{case_no}{writ}",
                   level=court_level(court, number.court_code if number else ""), validity="current",
                   version_date=date or (f"{number.year}" if number else ""), case_no=case_no, court=court,
                   procedures=[p for p in ((kind.replace("刑事附带民事", "刑事")), procedure) if p],
                   charges=charges, parties=_parties(parts.get("header", "") or full_text[:1500]), writ=writ,
                   case_id=case_id or doc_id, sources=[source])
    for kind_name, label in UNIT_LABELS.items():
        text = units_text[kind_name]
        if text:
            doc.units.append(Unit(unit_id=f"{doc_id}#{kind_name}", doc_id=doc_id, kind=kind_name, label=label,
                                  text=text, position=len(doc.units)))
    return doc


def record_to_judgment(obj: dict, path: str, record: str, fmt: str) -> Document | None:
    """A China Judgments Online record; parts the record lacks are cut from its full text (qw)."""
    full = str(obj.get("qw") or "").strip()
    from_text = split_parts(full) if full else {}
    parts = {"header": from_text.get("header", ""),
             "facts": str(obj.get("ajjbqk") or "").strip() or from_text.get("facts", ""),
             "reasoning": str(obj.get("cpfxgc") or "").strip() or from_text.get("reasoning", ""),
             "outcome": _cut_signature(str(obj.get("pjjg") or "")) or from_text.get("outcome", "")}
    return build_judgment(full_text=full, parts=parts, title=str(obj.get("writName") or "").strip(),
                          cause=str(obj.get("ajName") or ""), writ_id=str(obj.get("writId") or ""),
                          case_id=str(obj.get("ajId") or ""), source=Source(path=path, format=fmt, record=record))


def text_to_judgment(text: str, path: str, fmt: str) -> Document | None:
    """A judgment as plain text or Word paragraphs, its parts found by their headings."""
    full = re.sub(r"[ \t\u3000]*\n[ \t\u3000]*", "\n", text).strip()
    lines = [l.strip() for l in full.splitlines() if l.strip()]
    head = " ".join(lines[:4])
    writ_m = _WRIT_RE.search(head)
    court_m = _COURT_RE.search(head)
    number = parse_case_number(head)
    flat = " ".join(lines)
    parts = split_parts(flat)
    cause = ""
    m = _CAUSE_RE.search(parts["header"])
    if m:
        cause = m.group(1)
    title = "".join(x for x in (court_m.group(1) if court_m else "", number.text if number else "",
                                writ_m.group() if writ_m else "") if x)
    return build_judgment(full_text=flat, parts=parts, title=title, cause=cause, source=Source(path=path, format=fmt))


def merge_judgments(docs: list[Document]) -> list[Document]:
    """One document per judgment: copies with the same id (court + 案号 + document type, or
    writId) join, keeping the fuller text of each part and every source."""
    by_id: dict[str, Document] = {}
    for doc in docs:
        kept = by_id.get(doc.doc_id)
        if kept is None:
            by_id[doc.doc_id] = doc
            continue
        mine = {u.kind: u for u in kept.units}
        for unit in doc.units:
            if unit.kind not in mine:
                unit.position = len(kept.units)
                kept.units.append(unit)
            elif len(unit.text) > len(mine[unit.kind].text):
                mine[unit.kind].text = unit.text
        known = {(s.path, s.record) for s in kept.sources}
        kept.sources += [s for s in doc.sources if (s.path, s.record) not in known]
        for attr in ("version_date", "court", "case_no", "writ", "level"):
            if len(getattr(doc, attr)) > len(getattr(kept, attr)):
                setattr(kept, attr, getattr(doc, attr))
        kept.charges = kept.charges or doc.charges
        kept.parties = kept.parties or doc.parties
        if kept.case_id == kept.doc_id and doc.case_id != doc.doc_id:
            kept.case_id = doc.case_id
    return list(by_id.values())
