"""Guiding and typical cases → one Document per case, one Unit per section.

Sources disagree on layout (bold 【】 heads in SPP batch pages, `## 裁判要点` in SPC
markdown, field names in JSON), so every reader first turns its input into the same
list of (text, emphasised, heading) lines and one splitter cuts that into cases.
"""
from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field

from corpus.domains import derive_domains, derive_procedures
from corpus.model import Document, Source, Unit
from corpus.standing import holding_label

# Section heads as written → (kind, canonical label).
_SECTION_ALIASES: dict[str, str] = {
    "关键词": "keywords",
    "要旨": "holding", "裁判要点": "holding",
    "基本案情": "facts", "案情": "facts", "案情回顾": "facts", "案情简介": "facts", "简要案情": "facts",
    "指导意义": "significance", "典型意义": "significance", "法官说法": "significance", "法官提示": "significance",
    "相关规定": "provisions", "相关法条": "provisions", "相关法律规定": "provisions", "相关立法": "provisions",
    "法律依据": "provisions",
}
# `## X` lines that are section heads (other `##` lines are titles).
_MARKDOWN_HEADS = set(_SECTION_ALIASES) | {"裁判结果", "裁判理由", "法院判决", "处理结果", "审理结果"}
_BRACKET_HEAD_RE = re.compile(r"^【([^】]{2,16})】(.*)$")
SPP_NO_RE = re.compile(r"检例第?(\d+)号")
SPC_NO_RE = re.compile(r"指导(?:性)?案例第?(\d+)号")
_CASE_NO_LINE_RE = re.compile(r"^[（(]?\s*(?:检例第?\d+号|指导(?:性)?案例第?\d+号)\s*[）)]?$")
_DATE_RE = re.compile(r"(\d{4})[-年.](\d{1,2})[-月.](\d{1,2})")
_TITLE_RUN_MAX = 7   # bold titles wrap over up to six lines (检例第165号) above their case number
_PLAIN_TITLE_LINES = 2   # a long plain title wraps onto a second line (检例第141号)
_NOT_TITLE_RE = re.compile(r"[。；;：:！？!?《》]|第[零〇一二两三四五六七八九十百千\d]+条|\d{4}年\d{1,2}月\d{1,2}日")
_NAMES_RE = re.compile(r"[\u4e00-\u9fff]{2,4}(?:[\s\u3000]+[\u4e00-\u9fff]{2,4})+")   # 李春瑾 李晓霞
_TITLE_NUMBERING_RE = re.compile(r"^(?:案例[一二三四五六七八九十\d]+|[一二三四五六七八九十]+、|\d+[.．、])")


@dataclass
class Line:
    text: str
    emphasised: bool = False   # bold or a markdown heading: titles are written this way
    head: str = ""             # section name when the line is a section head


@dataclass
class _Draft:
    title_lines: list[str] = field(default_factory=list)
    sections: list[tuple[str, list[Line]]] = field(default_factory=list)


def section_kind(name: str) -> str:
    return _SECTION_ALIASES.get(name, "process")


def clean_markdown_line(raw: str) -> Line:
    """Strip markdown emphasis and spacing; recognise 【X】 heads and `## X` heads."""
    stripped = raw.strip()
    emphasised = stripped.startswith(("**", "#", "__"))
    text = re.sub(r"^#+\s*", "", stripped)
    text = text.replace("**", "").replace("__", "").strip().strip("\u3000").strip()
    m = _BRACKET_HEAD_RE.match(text)
    if m:
        name = re.sub(r"[\s\u3000]+", "", m.group(1))
        return Line(m.group(2).strip(), True, name)
    if stripped.startswith("##") and re.sub(r"\s+", "", text) in _MARKDOWN_HEADS:
        return Line("", True, re.sub(r"\s+", "", text))
    return Line(text, emphasised)


def split_cases(lines: list[Line]) -> list[_Draft]:
    """Cut a batch into cases: a case opens at 【关键词】, after a 检例第N号 line, or when a
    head it already has (要旨, 基本案情) comes again; its title is the emphasised run just above."""
    drafts: list[_Draft] = []
    preamble: list[Line] = []
    case_no_since_head = False
    for line in lines:
        body = drafts[-1].sections[-1][1] if drafts and drafts[-1].sections else preamble
        if not line.head:
            if _CASE_NO_LINE_RE.match(line.text):
                case_no_since_head = True
                line = Line(line.text, True)
            if line.text:
                body.append(line)
            continue
        kind = section_kind(line.head)
        current = drafts[-1] if drafts else None
        kinds = {section_kind(name) for name, _ in current.sections} if current else set()
        if current is None or kind == "keywords" or case_no_since_head or (
                kind in ("holding", "facts") and kind in kinds):
            drafts.append(_Draft(title_lines=_pop_title_run(body)))
        case_no_since_head = False
        drafts[-1].sections.append((line.head, [Line(line.text)] if line.text else []))
    return drafts


def _pop_title_run(body: list[Line]) -> list[str]:
    run: list[str] = []
    while body and body[-1].emphasised and len(run) < _TITLE_RUN_MAX and not _is_credit(body[-1].text):
        run.insert(0, body.pop().text)
    while run and _NAMES_RE.fullmatch(run[0]):   # names wrapped from the credits line above
        body.append(Line(run.pop(0), True))
    if run and all(_CASE_NO_LINE_RE.match(t) for t in run):
        # Later SPP batches write the title as plain text above （检例第N号）: without this the
        # title falls back to the first section (the keywords).
        while body and len(run) < _PLAIN_TITLE_LINES + 1 and _looks_like_title(body[-1].text):
            run.insert(0, body.pop().text)
    return run


def _looks_like_title(text: str) -> bool:
    """A short line that is no sentence and no cited provision (《…》, 第N条); 案例一： may lead."""
    text = _TITLE_NUMBERING_RE.sub("", text).lstrip("：:")
    return 0 < len(text) <= 80 and not _NOT_TITLE_RE.search(text)


def _is_credit(text: str) -> bool:
    """办案检察院：… 案例撰写人：…, in bold after a case: it closes that case, it titles nothing."""
    return bool(re.search(r"[：:]", _TITLE_NUMBERING_RE.sub("", text).lstrip("：:")))


def draft_to_document(draft: _Draft, *, court: str, typical: bool, batch: str, date: str,
                      source: Source) -> Document | None:
    """Turn one draft into a Document; None when it has no section text at all."""
    title_text = "".join(draft.title_lines)
    spp = SPP_NO_RE.search(title_text)
    spc = SPC_NO_RE.search(title_text)
    title = _CASE_NO_LINE_RE.sub("", title_text)
    title = re.sub(r"[（(]\s*(?:检例第?\d+号|指导(?:性)?案例第?\d+号)\s*[）)]", "", title)
    title = _TITLE_NUMBERING_RE.sub("", re.sub(r"\s+", "", title)).strip("：:")
    sections = [(name, "\n".join(l.text for l in body if l.text).strip()) for name, body in draft.sections]
    sections = [(n, t) for n, t in sections if t]
    if not sections:
        return None
    if not title:
        title = sections[0][1].split("\n")[0][:40]
    if spp:
        court, number = "spp", int(spp.group(1))
    elif spc:
        court, number = "spc", int(spc.group(1))
    else:
        number = 0
    return build_case(title=title, court=court, number=number, typical=typical or not number,
                      batch=batch, date=date, sections=sections, source=source)


def case_doc_id(court: str, number: int, title: str) -> str:
    if number:
        return f"{court}:{number}"
    digest = hashlib.sha1(re.sub(r"\s+", "", title).encode()).hexdigest()[:10]
    return f"typical:{court or 'x'}:{digest}"


def case_no_text(court: str, number: int) -> str:
    if not number:
        return ""
    return f"检例第{number}号" if court == "spp" else f"指导案例{number}号"


def build_case(*, title: str, court: str, number: int, typical: bool, batch: str, date: str,
               sections: list[tuple[str, str]], source: Source, category: str = "") -> Document:
    """Assemble a case Document from (section name, text) pairs, in reading order."""
    doc_id = case_doc_id(court, number, title)
    doc = Document(doc_id=doc_id, doc_type="typical_case" if typical else "guiding_case", title=title,
                   level=court if court in ("spp", "spc") else "other", version_date=date,
                   validity="current", case_no=case_no_text(court, number), case_number=number,
                   court=court, batch=batch, url=source.url, sources=[source])
    counts: dict[str, int] = {}
    for name, text in sections:
        kind = section_kind(name)
        counts[kind] = counts.get(kind, 0) + 1
        suffix = kind if counts[kind] == 1 else f"{kind}{counts[kind]}"
        if kind == "keywords":
            doc.keywords = [k for k in re.split(r"[\s、，,；;。.]+", text) if k][:20]   # 家用汽车。 → 家用汽车
        label = holding_label(court) if kind == "holding" else name   # SPC 裁判要点, SPP 要旨, whatever the source wrote
        doc.units.append(Unit(unit_id=f"{doc_id}#{suffix}", doc_id=doc_id, kind=kind,
                              label=f"【{label}】", text=text, position=len(doc.units)))
    holding = doc.unit("holding")
    cue_text = title + " " + " ".join(doc.keywords) + " " + (holding.text if holding else "")
    doc.domains = derive_domains(cue_text)
    doc.procedures = derive_procedures(title, doc.keywords, category)
    return doc


def merge_case(into: Document, other: Document) -> None:
    """Same case from two sources: keep the fullest text of each section, every source."""
    by_kind = {u.unit_id.split("#", 1)[1]: u for u in into.units}
    for unit in other.units:
        suffix = unit.unit_id.split("#", 1)[1]
        mine = by_kind.get(suffix)
        if mine is None:
            unit.unit_id, unit.doc_id, unit.position = f"{into.doc_id}#{suffix}", into.doc_id, len(into.units)
            into.units.append(unit)
        elif len(unit.text) > len(mine.text):
            mine.text = unit.text
    known = {(s.path, s.record) for s in into.sources}
    into.sources += [s for s in other.sources if (s.path, s.record) not in known]
    for attr in ("batch", "version_date", "url"):
        if not getattr(into, attr):
            setattr(into, attr, getattr(other, attr))
    if len(other.title) > len(into.title) and not into.title.startswith(other.title[:4]):
        into.title = other.title
    into.keywords = into.keywords or other.keywords
    into.domains = sorted(set(into.domains) | set(other.domains))
    into.procedures = into.procedures or other.procedures
    into.stub = into.stub and other.stub


def batch_info(header: str, path: str, lines: list[str]) -> tuple[str, str]:
    """(batch title, publication date) from a batch page's file name, heading and excerpt.

    Only those: a date in the body is an event of the case (SPC single-case pages have no
    publication date), and a heading without 案例 is that case's headline, not a batch."""
    batch = re.sub(r"[_\-－]\s*中华人民共和国最高人民检察院.*$", "", header).strip()
    batch = batch if "案例" in batch else ""
    date = ""
    excerpt = [l for l in lines[:40] if l.lstrip().startswith(">")]
    for text in [path, header] + excerpt:
        m = _DATE_RE.search(text)
        if m and 1990 <= int(m.group(1)) <= 2100:
            date = f"{m.group(1)}-{int(m.group(2)):02d}-{int(m.group(3)):02d}"
            break
    return batch, date


def parse_case_markdown(text: str, path: str) -> tuple[list[Document], str]:
    """All cases in one markdown page (a batch, or a single case). Returns (cases, batch title)."""
    url = ""
    front = re.match(r"^---\n(.*?)\n---\n", text, re.S)
    if front:
        m = re.search(r"^source:\s*(\S+)", front.group(1), re.M)
        url = m.group(1) if m else ""
        text = text[front.end():]
    all_lines = text.splitlines()
    raw_lines = [l for l in all_lines if not l.strip().startswith(("<!--", ">"))]
    header = next((l.lstrip("#").strip() for l in raw_lines if l.startswith("# ")), "")
    lines = [clean_markdown_line(l) for l in raw_lines if l.strip() and not l.startswith("# ") and l.strip() != "---"]
    batch, date = batch_info(header, path, all_lines)
    # A page that never names a procuratorate is no SPP page (SPC typical cases without 裁判要点).
    spc = ("指导案例" in text[:2000] and "检例" not in text or "法院" in header or "裁判要点" in text
           or "检察" not in text)
    court = "spc" if spc and "最高人民检察院" not in header and "检察" not in header else "spp"
    typical = "典型案例" in header or "典型案例" in path or "typical" in path
    drafts = split_cases(lines)
    if len(drafts) == 1 and not drafts[0].title_lines and header:   # one case per file, titled by `# `
        drafts[0].title_lines = [header]
    docs = []
    for draft in drafts:
        doc = draft_to_document(draft, court=court, typical=typical, batch=batch, date=date,
                                source=Source(path=path, format="md", url=url))
        if doc is not None:
            docs.append(doc)
    return docs, batch


def looks_like_cases(text: str) -> bool:
    return bool(re.search(r"【\s*(要\s*旨|基本案情|关键词)\s*】|^##\s*(裁判要点|基本案情|案情回顾|案情简介|简要案情)\s*$",
                          text, re.M))
