"""Statutes and rules (markdown, text or Word) → one Document with one Unit per article.

款 and 项 stay inside their article: procurators cite the article, and a 款 torn from
its article loses the subject it refers to.
"""
from __future__ import annotations

import re
from pathlib import PurePath

from corpus.citations import law_key
from corpus.model import Document, Unit
from corpus.numerals import cn_to_int

_CN_NUM = "零〇一二两三四五六七八九十百千"
ARTICLE_RE = re.compile(rf"^第([{_CN_NUM}]+)条(?:之([{_CN_NUM}]+))?(?:[\s\u3000]+|$)(.*)$", re.S)
ITEM_RE = re.compile(rf"^([{_CN_NUM}]+)、(.*)$", re.S)
HEADING_RE = re.compile(rf"^第[{_CN_NUM}]+([编分章节])(?:[\s\u3000]|$)")
_HEADING_DEPTH = {"编": 0, "分": 1, "章": 2, "节": 3}
DATE_IN_NAME_RE = re.compile(r"(\d{4})-?(\d{2})-?(\d{2})")
_CN_DATE_RE = re.compile(r"(\d{4})年(\d{1,2})月(\d{1,2})日")
_MIN_ARTICLES = 2  # fewer than this and the text is not article-structured

# Path folder names in the shared corpus (LawRefBook layout) → issuing level.
_FOLDER_LEVELS = {
    "宪法": "law", "宪法相关法": "law", "民法典": "law", "民法商法": "law", "行政法": "law",
    "经济法": "law", "社会法": "law", "刑法": "law", "诉讼与非诉讼程序法": "law",
    "行政法规": "administrative_regulation", "部门规章": "departmental_rule",
    "司法解释": "judicial_interpretation", "地方法规": "local_regulation",
}
_PROVINCES = ("北京", "天津", "上海", "重庆", "河北", "山西", "辽宁", "吉林", "黑龙江", "江苏", "浙江",
              "安徽", "福建", "江西", "山东", "河南", "湖北", "湖南", "广东", "海南", "四川", "贵州",
              "云南", "陕西", "甘肃", "青海", "台湾", "内蒙古", "广西", "西藏", "宁夏", "新疆", "香港", "澳门")
_RULE_RE = re.compile(r"(办案规则|工作规则|工作规定|办案指引|指引|细则|监督规则|诉讼规则|办案规定)(（试行）)?$")


def date_in_name(path: str) -> str:
    """YYYY-MM-DD from a file name (矿产资源法(2024-11-08).md, …_20210629.docx), or ""."""
    m = DATE_IN_NAME_RE.search(PurePath(path).stem)
    return f"{m.group(1)}-{m.group(2)}-{m.group(3)}" if m and 1949 <= int(m.group(1)) <= 2100 else ""


def version_date_from(path: str, header_lines: list[str]) -> str:
    """The file name's date wins (it names the version); else the last date in the history."""
    if named := date_in_name(path):
        return named
    dates = [m for line in header_lines for m in _CN_DATE_RE.finditer(line)]
    if dates:
        y, mo, d = dates[-1].groups()
        return f"{y}-{int(mo):02d}-{int(d):02d}"
    return ""


def version_label_from(header_lines: list[str], version_date: str) -> str:
    """2024年修订 / 2017年修正: how the last event in the history line names this version."""
    year = version_date[:4]
    for line in reversed(header_lines):
        if year and year in line:
            for kind in ("修订", "修正"):
                if kind in line:
                    return f"{year}年{kind}"
    return ""


def classify(title: str, path: str) -> tuple[str, str]:
    """(doc_type, level) from the title's issuer and the folder it sits in."""
    if _RULE_RE.search(title) and "解释" not in title and ("检察" in title or "法院" in title):
        return "rule", "procuratorate_rule" if "检察" in title else "judicial_interpretation"
    for part in PurePath(path).parts:
        for folder, level in _FOLDER_LEVELS.items():
            if part == folder or (level == "local_regulation" and part.endswith(folder)):
                return "statute", level
    if title.startswith(("最高人民法院", "最高人民检察院", "关于审理", "关于办理", "关于适用")) or "司法解释" in title:
        return "statute", "judicial_interpretation"
    if title.startswith("中华人民共和国") and title.endswith(("法", "法典")) or title in ("宪法",):
        return "statute", "law"
    if title.startswith(_PROVINCES):
        return "statute", "local_regulation"
    if title.endswith("条例"):
        return "statute", "administrative_regulation"
    if title.endswith(("办法", "规定", "规则")):
        return "statute", "departmental_rule"
    return "statute", "other"


def statute_doc_id(key: str, date: str) -> str:
    return f"law:{key}@{date or 'undated'}"


def parse_statute(title: str, body: list[str], path: str, version_date: str) -> Document:
    """Segment body lines into article units; text without articles becomes paragraph units."""
    key = law_key(title)
    doc_type, level = classify(title, path)
    doc = Document(doc_id=statute_doc_id(key, version_date), doc_type=doc_type, title=title,
                   level=level, law_key=key, version_date=version_date)
    doc.units = _articles(doc.doc_id, body) or _items(doc.doc_id, body) or _paragraphs(doc.doc_id, body)
    if doc.units and doc.units[0].kind == "paragraph" and level == "other":
        doc.doc_type = "other"
    return doc


def _articles(doc_id: str, body: list[str]) -> list[Unit]:
    units: list[Unit] = []
    path: dict[int, str] = {}
    seen: set[str] = set()
    for raw in body:
        line = raw.strip().lstrip("#").strip()
        if not line:
            continue
        heading = HEADING_RE.match(line)
        if heading and len(line) <= 40 and "。" not in line:
            depth = _HEADING_DEPTH[heading.group(1)]
            path = {d: t for d, t in path.items() if d < depth}
            path[depth] = re.sub(r"[\s\u3000]+", " ", line)
            continue
        m = ARTICLE_RE.match(line)
        number = cn_to_int(m.group(1)) if m else None
        if m and number:
            sub = cn_to_int(m.group(2)) if m.group(2) else 0
            suffix = f"a{number}" + (f".{sub}" if sub else "")
            if suffix in seen:   # a repeated number (quoted amendment text): keep the first
                units[-1].text += "\n" + line
                continue
            seen.add(suffix)
            label = line[: m.start(3)].strip() if m.group(3) else line.strip()
            units.append(Unit(unit_id=f"{doc_id}#{suffix}", doc_id=doc_id, kind="article",
                              label=label.replace("\u3000", ""), text=m.group(3).strip() or label,
                              number=number, number_sub=sub or 0,
                              heading=" / ".join(path[d] for d in sorted(path)),
                              position=len(units)))
        elif units:
            units[-1].text += "\n" + line
    return units if len(units) >= _MIN_ARTICLES else []


def _items(doc_id: str, body: list[str]) -> list[Unit]:
    """Interpretations written as 一、二、… instead of articles: one unit per numbered item."""
    units: list[Unit] = []
    expected = 1
    for raw in body:
        line = raw.strip()
        m = ITEM_RE.match(line)
        if m and cn_to_int(m.group(1)) == expected:
            units.append(Unit(unit_id=f"{doc_id}#i{expected}", doc_id=doc_id, kind="item",
                              label=f"{m.group(1)}、", text=m.group(2).strip(), number=expected,
                              position=len(units)))
            expected += 1
        elif units and line:
            units[-1].text += "\n" + line
    return units if len(units) >= _MIN_ARTICLES else []


def _paragraphs(doc_id: str, body: list[str], target_chars: int = 400) -> list[Unit]:
    """Unstructured text: group paragraphs to about `target_chars` so each unit stays citable."""
    units: list[Unit] = []
    buf: list[str] = []

    def flush() -> None:
        if buf:
            n = len(units) + 1
            units.append(Unit(unit_id=f"{doc_id}#p{n}", doc_id=doc_id, kind="paragraph",
                              label=f"第{n}段", text="\n".join(buf), position=n - 1))
            buf.clear()

    for raw in body:
        line = raw.strip().lstrip("#").strip()
        if line:
            buf.append(line)
            if sum(map(len, buf)) >= target_chars:
                flush()
    flush()
    return units
