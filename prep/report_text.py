"""What a review report (审查报告) says about itself: its facts, its 争议焦点, the handling it
proposes, when the conduct took place and when it was signed.

Reports follow no fixed template, so every finding here is a reading of headings and
lead-ins (一、案件事实 / 基本案情： / 经审查查明，…), and the record says which part it was read from.
"""
from __future__ import annotations

import datetime
import re
from dataclasses import dataclass

from corpus.domains import PROCEDURES
from corpus.errors import BadInput
from indexer.search import MAX_QUERY_CHARS

_FACTS_RE = re.compile(r"案件事实|基本案情|案情|经审查查明|审查认定的?事实|审查查明的?事实|查明的?事实|认定的?事实"
                       r"|案件(?:基本)?情况|基本事实|犯罪事实|违法事实|事实[和与及、]证据")
# 法发〔2020〕24号 item 八 records the 待决案件争议焦点. A report states them under 争议焦点 or 分歧意见;
# failing those, its 审查意见 is what the committee is asked to decide.
_ISSUES_RE = re.compile(r"争议焦点|争议问题|分歧意见|主要分歧|需要(?:研究|讨论)的问题|提请(?:审议|讨论)的问题")
_OPINION_RE = re.compile(r"审查意见|处理意见|承办(?:检察官)?意见|办理意见")
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
MAX_ISSUES = 5
MAX_ISSUE_CHARS = 300
# Items of an issues section: numbered lines, or 一是…；二是… inside one paragraph.
_ITEM_RE = re.compile(r"(?:^|[；;。])\s*(?:[一二三四五六七八九十]+是|第[一二三四五六七八九十]+[，,、]|[0-9]+[、.．]|[（(][一二三四五六七八九十0-9]+[）)])")

_ORDINAL_RE = re.compile(r"^(?:[一二三四五六七八九十]+是|第[一二三四五六七八九十]+[，,、])")
_CN_DIGITS = {c: i for i, c in enumerate("〇一二三四五六七八九")} | {"零": 0}
_DATE_RE = re.compile(r"(?P<y>(?:19|20)\d{2}|[一二〇零][〇零一二三四五六七八九]{3})\s*年"
                      r"(?:\s*(?P<m>[0-9]{1,2}|[一二三四五六七八九十]{1,3})\s*月"
                      r"(?:\s*(?P<d>[0-9]{1,2}|[一二三四五六七八九十]{1,3})\s*日)?)?")
# Sentences about the case's handling, not the conduct: their dates do not date the conduct.
_PROCEDURAL_RE = re.compile(r"立案|检察建议|诉前|公告|起诉|受理|移送|审查|判决|裁定|鉴定|评估|调查|回复|函|报告|听证|磋商")


class BadReport(BadInput):
    """A report (or its issues) that cannot be worked on; the message says why in plain words."""

    code = "bad_report"


_SIGNATURE_RE = re.compile(r"""^\s*(?:
      (?:承办|主办|审查|办案)?(?:检察官|检察员|检察官助理|人|人员)\s*[：:].*
    | (?:部门)?负责人\s*[：:].* | 检察长\s*[：:].* | 审批\s*[：:].*
    | [0-9〇零一二三四五六七八九]{4}\s*年\s*[0-9〇零一二三四五六七八九十]{1,2}\s*月\s*[0-9〇零一二三四五六七八九十]{1,3}\s*日
    | [（(]?\s*(?:院印|印章|盖章|公章)\s*[）)]?
    | \S{2,20}人民检察院(?:第\S{1,4}检察部)?
    )\s*$""", re.X)


def signature_start(lines: list[str]) -> int:
    """Index of the signature block that closes a report (承办检察官：…, the date, the seal), or
    len(lines) when it has none: leian's section goes before it, where a committee secretary files it."""
    start = len(lines)
    i = len(lines) - 1
    while i >= 0:
        line = lines[i].strip()
        if line and not _SIGNATURE_RE.match(line):
            break
        if line:
            start = i
        i -= 1
    return start


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


def _section_start(line: _Line, heading_re: re.Pattern, lead_in: bool) -> tuple[str, str] | None:
    """(heading, text written on the same line) when the line opens a section whose heading
    matches: a heading (一、案件事实), a lead-in (基本案情：…) or, for facts, 经审查查明，…"""
    if lead_in and (m := _LEAD_IN_RE.match(line.body)):
        return m.group(1), line.body[m.end():].strip()
    m = re.match(r"(?P<head>[^：:]*)(?P<colon>[：:])?(?P<rest>.*)", line.body)
    head = m.group("head").strip()
    if len(head) <= _MAX_HEADING_CHARS and heading_re.search(head) and (line.rank or m.group("colon")):
        return head, m.group("rest").strip()
    return None


def find_sections(text: str, heading_re: re.Pattern, lead_in: bool = False) -> list[tuple[str, str]]:
    """(heading, text) of every section whose heading matches. A section runs to the next heading
    of the same or a higher level, so numbered sub-headings ((一)、1.) stay in it; the signature
    block that closes the report belongs to no section."""
    lines = text.splitlines()
    lines = lines[:signature_start(lines)]
    marked_only = any(line.lstrip().startswith("#") for line in lines)
    parsed = [_classify(line, marked_only) for line in lines]
    found: list[tuple[str, str]] = []
    i = 0
    while i < len(lines):
        start = _section_start(parsed[i], heading_re, lead_in)
        if start is None:
            i += 1
            continue
        rank = parsed[i].rank or _ANY_HEADING   # a lead-in ends at the next heading of any level
        body = [start[1]]
        i += 1
        while i < len(lines) and not (parsed[i].rank and parsed[i].rank <= rank):
            body.append(lines[i].strip().lstrip("#").strip())
            i += 1
        found.append((start[0], "\n".join(b for b in body if b)))
    return found


def heading_lines(text: str) -> list[tuple[int, str]]:
    """(character offset, heading without its numbering) of every heading-like line."""
    lines = text.split("\n")
    marked_only = any(line.lstrip().startswith("#") for line in lines)
    out, offset = [], 0
    for line in lines:
        parsed = _classify(line, marked_only)
        if parsed.rank:
            out.append((offset, parsed.body.rstrip("：:")))
        offset += len(line) + 1
    return out


def find_facts(text: str) -> tuple[str, str, list[str]]:
    """The facts sections' text, their heading(s), and notes; the whole report when there is none."""
    sections = find_sections(text, _FACTS_RE, lead_in=True)
    headings = [heading for heading, _ in sections]
    facts = "\n".join(body for _, body in sections if body)
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


def find_issues(text: str) -> tuple[list[str], str]:
    """The report's 争议焦点 (or, failing those, its 审查意见) as separate issues, and the heading
    they were read from; ([], "") when it states none."""
    for heading_re in (_ISSUES_RE, _OPINION_RE):
        sections = [(h, body) for h, body in find_sections(text, heading_re) if body.strip()]
        if sections:
            issues = [item for _, body in sections for item in split_items(body)]
            return issues[:MAX_ISSUES], "、".join(dict.fromkeys(h for h, _ in sections))
    return [], ""


def split_items(body: str) -> list[str]:
    """A section's points: one per paragraph, or per 一是…二是… / 1. 2. inside a paragraph."""
    items: list[str] = []
    for paragraph in (p.strip() for p in body.split("\n")):
        cuts = [m.start() for m in _ITEM_RE.finditer(paragraph) if m.start() > 0]
        starts = [0] + [c + 1 if paragraph[c] in "；;。" else c for c in cuts]
        for a, b in zip(starts, starts[1:] + [len(paragraph)]):
            item = _HEADING_RE.match(paragraph[a:b].strip("；;。 ")).group("body").strip()
            item = _ORDINAL_RE.sub("", item).strip()
            if len(item) >= 4:
                items.append(item[:MAX_ISSUE_CHARS])
    return items


def without_citations(text: str) -> str:
    """An issue's own words: the statutes and cases it cites are searched by their links instead,
    and their names (刑法, 检例) would otherwise pull in every case citing the same code."""
    from corpus.citations import parse_citations

    out, end = [], 0
    for c in sorted(parse_citations(text), key=lambda c: c.start):
        if c.start >= end:
            out.append(text[end:c.start])
            end = c.end
    out.append(text[end:])
    return re.sub(r"^[，、。；\s]+|[，、；\s]+$", "", "".join(out))


def normalise_issues(issues: list[str]) -> list[str]:
    """Issues given by the user (--issue, the page): trimmed, empty ones dropped, limits checked."""
    cleaned = [i.strip() for i in issues if i and i.strip()]
    if len(cleaned) > MAX_ISSUES:
        raise BadReport(f"at most {MAX_ISSUES} issues, got {len(cleaned)}")
    too_long = [i for i in cleaned if len(i) > MAX_ISSUE_CHARS]
    if too_long:
        raise BadReport(f"an issue is {len(too_long[0])} characters; the limit is {MAX_ISSUE_CHARS}")
    return cleaned


# -- procedure -----------------------------------------------------------------------------------
def proposed_procedure(text: str) -> tuple[str, str]:
    """The public-interest (or other) procedure the report proposes, and where that was read:
    the opinion sections first (建议提起民事公益诉讼), then the title, then the whole text."""
    opinion = "\n".join(body for _, body in find_sections(text, _OPINION_RE))
    title = next((line.strip().lstrip("#").strip() for line in text.splitlines() if line.strip()), "")
    for where, part in (("审查意见", opinion), ("报告标题", title), ("报告全文", text)):
        counts = {p: part.replace("刑事附带民事公益诉讼", "").count(p) if p == "民事公益诉讼" else part.count(p)
                  for p in PROCEDURES[:4]}
        best = max(counts, key=lambda p: (counts[p], -PROCEDURES.index(p)))
        if counts[best]:
            return best, where
    return "", ""


# -- dates ---------------------------------------------------------------------------------------
def _number(s: str) -> int:
    """12, 十二, 二十三, 〇三 → int."""
    if s.isdigit():
        return int(s)
    if "十" in s:
        tens, _, ones = s.partition("十")
        return (_CN_DIGITS.get(tens, 1) if tens else 1) * 10 + (_CN_DIGITS.get(ones, 0) if ones else 0)
    return int("".join(str(_CN_DIGITS[c]) for c in s))


def _date(m: re.Match, end_of_period: bool) -> datetime.date | None:
    """A written date; a year or month alone stands for its last day (end_of_period) or its first."""
    try:
        year = _number(m.group("y"))
        month = _number(m.group("m")) if m.group("m") else (12 if end_of_period else 1)
        if m.group("d"):
            return datetime.date(year, month, _number(m.group("d")))
        if not end_of_period:
            return datetime.date(year, month, 1)
        following = datetime.date(year + month // 12, month % 12 + 1, 1)
        return following - datetime.timedelta(days=1)
    except (ValueError, KeyError):
        return None


def report_date(text: str) -> datetime.date | None:
    """The date the report was signed: a line that is only a date, in the closing lines."""
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    for line in reversed(lines[-8:]):
        m = _DATE_RE.fullmatch(line)
        if m and m.group("d"):
            return _date(m, end_of_period=False)
    return None


def conduct_date(facts: str, not_after: datetime.date) -> datetime.date | None:
    """The latest date the facts give for the conduct itself (handling steps such as 立案 or
    检察建议 left out); a year or month alone counts to its end."""
    latest = None
    for sentence in re.split(r"[。；;\n]", facts):
        if _PROCEDURAL_RE.search(sentence):
            continue
        for m in _DATE_RE.finditer(sentence):
            d = _date(m, end_of_period=True)
            if d is not None and d <= not_after and (latest is None or d > latest):
                latest = d
    return latest


def default_as_of(text: str, facts: str, today: datetime.date) -> tuple[datetime.date, str]:
    """The date whose statute versions apply, and why: the conduct the facts describe, else the
    report's own date, else today."""
    signed = report_date(text)
    conduct = conduct_date(facts, not_after=min(signed or today, today))
    if conduct is not None:
        return conduct, "报告所述行为时间"
    if signed is not None and signed <= today:
        return signed, "报告落款日期"
    return today, "检索当日"
