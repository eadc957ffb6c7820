"""Cases stored as JSON records (JSONL lines, or an object keyed by id), and case catalogues.

Field names differ per source, so each section lists the names it is known under.
"""
from __future__ import annotations

import ast
import re

from corpus.cases import SPC_NO_RE, SPP_NO_RE, build_case, case_doc_id, case_no_text
from corpus.model import Document, Source

# (section head, field names) in reading order.
_FIELDS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("关键词", ("keywords_text", "keywords", "关键词")),
    ("裁判要点", ("referee_points", "holding", "keyPoints", "裁判要点", "要旨")),
    ("基本案情", ("basic_facts", "factsText", "facts", "基本案情")),
    ("裁判结果", ("judgment_result", "outcomeText", "outcome", "裁判结果")),
    ("裁判理由", ("judgment_reason", "reasonText", "裁判理由")),
    ("相关法条", ("related_laws_text", "related_laws", "relatedLaws", "相关法条")),
)
_TEXT_FIELDS = {name for _, names in _FIELDS[1:3] for name in names}


def is_case_record(obj: object) -> bool:
    return isinstance(obj, dict) and any(obj.get(name) for name in _TEXT_FIELDS)


def _as_text(value: object) -> str:
    """Lists may arrive as real lists or as their Python repr ("['a', 'b']")."""
    if isinstance(value, str) and value.startswith("[") and value.endswith("]"):
        try:
            value = ast.literal_eval(value)
        except (ValueError, SyntaxError):
            pass
    if isinstance(value, list):
        return "\n".join(str(v) for v in value)
    return str(value or "").strip()


def record_to_case(obj: dict, path: str, record: str, fmt: str) -> Document | None:
    title_raw = str(obj.get("title") or "")
    spp = SPP_NO_RE.search(title_raw + str(obj.get("code", "")))
    spc = SPC_NO_RE.search(title_raw + str(obj.get("code", "")))
    court, number = ("spp", int(spp.group(1))) if spp else ("spc", int(spc.group(1))) if spc else ("", 0)
    if not number and str(obj.get("num", "")).strip().isdigit():   # 9 or "9", keyed spc-9 / spp-9
        court, number = ("spp" if "spp" in record else "spc"), int(str(obj["num"]).strip())
    title = re.sub(r"^(指导(性)?案例第?\d+号|检例第\d+号)[：:\s]*", "", title_raw).strip()
    sections = []
    for head, names in _FIELDS:
        text = next((_as_text(obj[n]) for n in names if obj.get(n)), "")
        if text:
            sections.append((head, text.replace("\t", " ").strip()))
    if not any(head != "关键词" for head, _ in sections):
        return None
    level = str(obj.get("case_level", ""))
    typical = not number or ("典型" in level and "指导" not in level)
    source = Source(path=path, format=fmt, url=str(obj.get("url") or obj.get("source_url") or ""), record=record)
    return build_case(title=title or title_raw, court=court or "spc", number=number, typical=typical,
                      batch=str(obj.get("batch", "")), date="", sections=sections, source=source,
                      category=str(obj.get("sub_category") or obj.get("category") or ""))


def is_catalogue(obj: object) -> bool:
    """A catalogue is a list of case metadata with codes and no text."""
    entries = obj.get("cases") if isinstance(obj, dict) else None
    return isinstance(entries, list) and bool(entries) and all(
        isinstance(e, dict) and "code" in e and not is_case_record(e) for e in entries[:20])


def catalogue_entries(obj: dict, path: str) -> list[Document]:
    """Metadata-only documents: they let 检例第N号 resolve even without the case text."""
    docs = []
    for entry in obj["cases"]:
        code = str(entry.get("code", ""))
        spp, spc = SPP_NO_RE.search(code), SPC_NO_RE.search(code)
        if spp:
            court, number = "spp", int(spp.group(1))
        elif spc:
            court, number = "spc", int(spc.group(1))
        else:
            m = re.search(r"(\d+)", code)
            court, number = str(entry.get("source") or "other"), int(m.group(1)) if m else 0
        if not number:
            continue
        year = entry.get("year")
        docs.append(Document(
            doc_id=case_doc_id(court, number, ""), doc_type="guiding_case", title=str(entry.get("title", "")),
            level=court if court in ("spp", "spc") else "other", version_date=f"{year}" if year else "",
            validity="current", case_no=case_no_text(court, number) or code, case_number=number,
            court=court, batch=str(entry.get("batch", "")), url=str(entry.get("officialUrl") or ""),
            stub=True, sources=[Source(path=path, format="json", url=str(entry.get("officialUrl") or ""),
                                       record=str(entry.get("id", "")))]))
    return docs
