"""A Record as the sections a committee secretary files: 类案检索情况 (item 八's record), 相关法律规定
and 引用核查 — as blocks, so the Word and markdown outputs say the same thing."""
from __future__ import annotations

from dataclasses import dataclass

from corpus.standing import STANDING_LABELS
from prep.cases import JUDGMENT_TIER, SEARCHED, SEARCHED_WITH_JUDGMENTS, SHOWN_EMPTY, TIERS, CaseEntry
from prep.checks import SEVERITY_LABELS
from prep.record import Record
from prep.statutes import STATUTE_SCOPE

OWN_HEADING = "类案检索情况"   # the first heading leian writes; its section runs to the signature block
STANDALONE_TITLE = "类案检索报告"
METHODS = "关键词检索、语义检索（向量检索）、法条关联案件检索、案例关联检索"
_QUERY_SHOWN = 80          # characters of a searched text quoted in the 检索方法 list


@dataclass
class Block:
    """One paragraph, rendered the same way to Word and markdown."""

    level: int                     # 1–3: a heading; 0: body text
    runs: list[tuple[str, bool]]   # (text, bold)


def _p(*runs: str | tuple[str, bool]) -> Block:
    return Block(0, [r if isinstance(r, tuple) else (r, False) for r in runs])


def sections(record: Record) -> list[Block]:
    return [Block(1, [(OWN_HEADING, False)]), *_search_record(record), *_statutes(record), *_checks(record)]


def standalone(record: Record, case_title: str) -> list[Block]:
    """The record as its own document (类案检索报告), for the case file or a search export."""
    head = [Block(1, [(STANDALONE_TITLE, False)])]
    if case_title:
        head.append(_p("案件：", (case_title, True)))
    return head + [Block(level + 1 if level else 0, runs) for level, runs in
                   ((b.level, b.runs) for b in sections(record)[1:])]


def _search_record(r: Record) -> list[Block]:
    blocks = [Block(2, [("一、检索说明", False)]),
              _p(f"检索主体：{r.by}。检索时间：{r.searched_at.replace('T', ' ')}。"),
              _p(f"检索平台：{r.platform.describe()}。"),
              _p(f"检索范围：{SEARCHED_WITH_JUDGMENTS if _judgments(r) else SEARCHED}；{STATUTE_SCOPE}。"),
              _p(f"检索方法：{METHODS}（法发〔2020〕24号第五条）；按指导性案例、典型案例"
                 + ("、生效裁判" if _judgments(r) else "") + "的顺序检索和列示（同意见第四条）。"),
              _p("检索依据：" + _basis(r) + "。")]
    if r.issues:
        source = "检索人提供" if r.issues_source == "检索人提供" else f"据报告“{r.issues_source}”部分"
        blocks.append(_p(f"待决案件争议焦点（{source}）："))
        blocks += [_p(f"{n}. {issue}") for n, issue in enumerate(r.issues, 1)]
    elif r.facts:
        blocks.append(_p("待决案件争议焦点：报告未列明，仅以案件事实检索。"))
    if r.procedure:
        blocks.append(_p(f"拟办理程序：{r.procedure}（据{r.procedure_source}）；同一层级内，同类程序的案例排列在前。"))
    blocks.append(_p(f"条文版本时点：{r.as_of}（{r.as_of_source}），相关法律规定按该日有效的版本列出。"))
    blocks.append(_p("检索记录："))
    for n, run in enumerate(r.runs, 1):
        query = run.query if len(run.query) <= _QUERY_SHOWN else run.query[:_QUERY_SHOWN] + "……"
        blocks.append(_p(f"（{n}）{run.purpose}：{run.method}，检索内容“{query}”，命中{run.hits}件。"))
    blocks += [_p(f"说明：{note}。") for note in r.notes]

    blocks.append(Block(2, [("二、检索结果", False)]))
    blocks.append(_p(f"共检索到类案{len(r.cases)}件，按最高检指导性案例、最高法指导性案例、典型案例"
                     + ("、人民法院生效裁判（法院层级高、近三年的在前）" if _judgments(r) else "") + "的顺序排列。"
                     "是否构成类案、能否参照，由承办检察官审查判断。" if r.cases else "未检索到类案。"))
    number = 0
    for tier in TIERS:
        cases = [c for c in r.cases if c.tier == tier]
        if not cases and tier not in SHOWN_EMPTY and not (tier == JUDGMENT_TIER and _judgments(r)):
            continue
        blocks.append(Block(3, [(tier, False)]))
        if not cases:
            blocks.append(_p("未检索到相关案例。"))
        for case in cases:
            number += 1
            blocks += _case(number, case)

    blocks.append(Block(2, [("三、结果运用情况", False)]))
    for ref in ("应当参照", "可以参考", "不再参照"):
        named = [c.case_no or c.citation for c in r.cases if c.reference == ref]
        if named:
            blocks.append(_p((f"{ref}（{len(named)}件）：", True), "、".join(named) + "。"))
    blocks.append(_p("以上为检索结果的初步分类；承办检察官应当结合案件事实和争议焦点审查是否属于类似案件，"
                     "并在报告中说明参照或者参考的情况。"))
    return blocks


def _judgments(r: Record) -> bool:
    """The index searched holds court judgments: their tier is part of the record."""
    return bool(r.platform.counts.get("judgment"))


def _basis(r: Record) -> str:
    if r.facts_heading:
        return f"报告“{r.facts_heading}”部分所述事实"
    return "报告全文" if r.facts else "检索人在检索页面输入的检索内容（见检索记录）"


def _case(number: int, case: CaseEntry) -> list[Block]:
    out = [_p(f"{number}. ", (case.citation, True))]
    standing = STANDING_LABELS.get(case.standing, "") if case.standing != "current" else "现行有效"
    out.append(_p(f"效力状态：{standing or '现行有效'}" + (f"（{case.standing_basis}）" if case.standing_basis else "") + "。"))
    if case.judgment:   # a judgment has no official holding: who decided what, and under which articles
        j = case.judgment
        out.append(_p("裁判文书：" + "，".join(x for x in (
            j.get("court", "") + (f"（{j['court_level']}）" if j.get("court_level") else ""), j.get("date", ""),
            "、".join(j.get("procedures", [])), "罪名：" + "、".join(j["charges"]) if j.get("charges") else "") if x) + "。"))
        applied = [a["citation"] for a in j.get("applied", [])][:6]
        if applied:
            out.append(_p("适用法条：" + "、".join(applied) + "。"))
    elif case.holding:
        out.append(_p(case.holding_label, case.holding))
    else:   # never presented as having a holding the corpus does not hold
        out.append(_p(case.holding_label, f"本库未收录该案{case.holding_label.strip('【】')}，引用前请查阅原文。"))
    if case.passage and case.matched_label != case.holding_label:
        out.append(_p(f"匹配内容（{case.matched_label}）：", case.passage))
    if case.similar:
        out.append(_p("相似之处：" + "；".join(case.similar) + "。"))
    if case.differs:
        out.append(_p("不同之处：" + "；".join(case.differs) + "。"))
    if case.found_by:
        out.append(_p("检索途径：" + "、".join(case.found_by) + "。"))
    out.append(_p("结果运用：", (case.reference, True), f"。{case.reference_basis}。"))
    return out


def _statutes(r: Record) -> list[Block]:
    blocks = [Block(1, [("相关法律规定", False)]),
              _p(f"检索范围：{STATUTE_SCOPE}。条文按{r.as_of}时有效的版本列出，依法律、行政法规、司法解释的顺序，"
                 "实体法在前、程序法在后（法释〔2009〕14号）。")]
    if not r.articles:
        blocks.append(_p("未检索到相关的法律规定。"))
    for a in r.articles:
        blocks.append(_p((a.citation, True), "\u3000" + a.text))
        if not a.current:
            shown = a.current_text and a.current_note != "现行条文内容未变"
            blocks.append(_p(f"（该版本已被修订，{a.current_note}" + (f"：{a.current_citation}" if a.current_citation else "")
                             + (f"\u3000{a.current_text}" if shown else "") + "）"))
    return blocks


def _checks(r: Record) -> list[Block]:
    blocks = [Block(1, [("引用核查", False)])]
    if not r.checks:
        blocks.append(_p("报告未引用法律条文或案例。"))
        return blocks
    counts = {s: sum(1 for c in r.checks if c.severity == s) for s in ("error", "warning", "note", "ok")}
    parts = [f"{SEVERITY_LABELS[s]}{n}处" for s, n in counts.items() if n]
    blocks.append(_p(f"报告引用法律条文、案例{len(r.checks)}处，经与检索库核对：{'、'.join(parts)}。"
                     + ("“错误”须更正，“警示”须核对或在报告中说明理由，“提示”供参考。" if counts["ok"] < len(r.checks)
                        else "")))
    for severity in ("error", "warning", "note"):
        for c in (c for c in r.checks if c.severity == severity):
            where = f"（位于“{c.section}”）" if c.section else ""
            blocks.append(_p(f"【{SEVERITY_LABELS[severity]}】", (c.raw, True), f"{where}：{c.message}"))
    verified = [c.raw for c in r.checks if c.severity == "ok"]
    if verified:   # what was checked and found as cited, so the record shows the check was made
        blocks.append(_p("经核对与检索库一致：", "；".join(verified) + "。"))
    return blocks
