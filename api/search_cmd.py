"""`leian search` and `leian show`: what a procurator reads, in Chinese."""
from __future__ import annotations

import argparse
import json
import textwrap

from rich.markup import escape

from api.common import CliError, add_index_args, open_searcher, out, standing_label


def filters_from_args(args: argparse.Namespace):
    from indexer.filters import Filters

    return Filters(doc_types=tuple(args.type or ()), domains=tuple(args.domain or ()),
                   procedures=tuple(args.procedure or ()), levels=tuple(args.level or ()),
                   year_from=args.year_from, year_to=args.year_to, validity=args.validity,
                   all_versions=args.all_versions, charges=tuple(args.charge or ()))


def cmd_search(args: argparse.Namespace) -> int:
    searcher = open_searcher(args)
    result = searcher.search(args.query, k=args.k, offset=args.offset, filters=filters_from_args(args), sort=args.sort)
    if args.json:
        out.print(json.dumps(result.to_json(), ensure_ascii=False, indent=1))
        return 0
    for notice in result.notices:
        out.print(notice, markup=False)
    if not result.results and not result.notices:
        out.print("没有更多结果了。")
    for i, hit in enumerate(result.results, 1 + args.offset):
        if hit.judgment:
            _judgment(i, hit)
            continue
        out.print(f"[bold]{i}. {escape(hit.citation)}[/bold]  {standing_label(hit.validity, hit.standing)}")
        if hit.standing_basis:
            _indented(hit.standing_basis)
        if hit.holding:
            _indented(f"{hit.holding_label}：{hit.holding[:300]}")
        elif hit.holding_missing:
            _indented(f"{hit.holding_label}：本库未收录该案{hit.holding_label}")
        if hit.passage and hit.passage != hit.holding[:len(hit.passage)]:
            _indented(f"{hit.unit_label} {hit.passage}")
        if hit.current:
            note = f"（{hit.current['note']}）" if hit.current["note"] else ""
            _indented(f"现行条文{note}：{hit.current['citation']} {hit.current['text'][:200]}")
        if hit.cited_by:
            _indented(f"被引用 {hit.cited_by_total} 次：{'、'.join(c['case_no'] or c['title'] for c in hit.cited_by[:8])}")
    if result.results:
        out.print(f"[dim]共 {len(result.results)} 条，用时 {result.took_ms:.0f} 毫秒[/dim]")
    return 0


def _judgment(i: int, hit) -> None:
    """A judgment: court level, procedure and date for its standing, then what makes it a 类案."""
    card = hit.judgment
    level = f"{card['court_level']}法院" if card["court_level"] else ""
    out.print(f"[bold]{i}. {escape(hit.citation)}[/bold]  "
              + escape(" · ".join(x for x in (level, "".join(card["procedures"]), card["date"]) if x)))
    if card["charges"]:
        _indented(f"罪名：{'、'.join(card['charges'])}")
    _indented(f"{hit.unit_label} {hit.passage}")
    if card["applied"]:
        _indented(f"适用：{'；'.join(a['citation'] for a in card['applied'][:10])}")
    if card["circumstances"]:
        _indented(f"共同情节：{'、'.join(card['circumstances'])}")
    if card["same_case"]:
        _indented(f"同案其他文书：{'；'.join(o['citation'] for o in card['same_case'])}")


def _indented(text: str) -> None:
    """Every line of a block under its result's number: a holding's own numbered items
    (一、… 二、…) must never look like results of their own."""
    out.print(textwrap.indent(text, "   "), markup=False)


def cmd_show(args: argparse.Namespace) -> int:
    searcher = open_searcher(args)
    unit_id = args.citation if args.citation in searcher.table.row_of else ""
    res = None
    if not unit_id:
        res = searcher.resolve(args.citation)
        if res is None:
            raise CliError(f"not a citation: {args.citation!r} (try 矿产资源法第七十四条, 检例第28号, 指导案例215号)")
        if not res.found:
            raise CliError(f"{res.citation.render()}：本库未收录 ({res.message or 'not in the corpus'})", exit_code=1)
        if res.status == "stub" or (not res.unit_id and res.members):
            data = searcher.document(res.doc_id) if res.doc_id else {"members": res.members}
            out.print(json.dumps(data, ensure_ascii=False, indent=1))
            return 0
        unit_id = res.unit_id
    unit = searcher.unit(unit_id)
    if res is not None:
        unit["resolution"] = {"status": res.status, "current_unit_id": res.current_unit_id, "message": res.message}
    if args.json:
        out.print(json.dumps(unit, ensure_ascii=False, indent=1))
        return 0
    out.print(f"[bold]{escape(unit['citation'])}[/bold]  {standing_label(unit['validity'], unit['standing'])}")
    if unit["standing_basis"]:
        out.print(unit["standing_basis"], markup=False)
    out.print(unit["text"], markup=False)
    if res is not None and res.current_unit_id and res.current_unit_id != unit_id:
        now = searcher.unit(res.current_unit_id)
        out.print(f"\n现行条文：{now['citation']}\n{now['text']}", markup=False)
    if unit["versions"]:
        out.print("\n版本：" + "；".join(f"{v['version_date'] or '未注明日期'} {standing_label(v['validity'])}"
                                        for v in unit["versions"]))
    if unit["cited_by"]:
        listed = "、".join(c["case_no"] or c["title"] for c in unit["cited_by"])
        more = unit["cited_by_total"] - len(unit["cited_by"])
        out.print(f"被引用 {unit['cited_by_total']} 次：{listed}" + (f"（另有 {more} 件裁判文书未列出）" if more > 0 else ""),
                  markup=False)
    return 0


def add_filter_args(p: argparse.ArgumentParser) -> None:
    from corpus.domains import DOMAIN_CUES, PROCEDURES
    from corpus.model import DOC_TYPES, LEVELS

    p.add_argument("--type", action="append", help=" | ".join(DOC_TYPES) + " (repeatable)")
    p.add_argument("--domain", action="append", help="public-interest domain (repeatable): " + "、".join(DOMAIN_CUES))
    p.add_argument("--procedure", action="append",
                   help="procedure (repeatable): " + "、".join((*PROCEDURES, "公益诉讼")))
    p.add_argument("--level", action="append", help="issuing level, for judgments the court's (repeatable): "
                                                    + " | ".join(LEVELS))
    p.add_argument("--charge", action="append", help="judgments with this charge (罪名, repeatable): 盗窃, 故意伤害罪")
    p.add_argument("--year-from", type=int, metavar="YEAR", help="only documents dated this year or later "
                                                                  "(a judgment: the year it was given)")
    p.add_argument("--year-to", type=int, metavar="YEAR", help="only documents dated this year or earlier")
    p.add_argument("--validity", help="current | superseded (default: current versions only)")
    p.add_argument("--all-versions", action="store_true",
                   help="include superseded versions of statutes and cases no longer referred to")


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("search", help="search statutes and cases")
    p.add_argument("query", help="words, a question, a citation (矿产资源法第七十四条, 检例第28号) or case facts "
                                 "(up to 10,000 characters)")
    p.add_argument("--k", type=int, default=10, help="how many results, 1–100 (default 10)")
    p.add_argument("--offset", type=int, default=0, help="skip this many results: the next page (default 0)")
    p.add_argument("--json", action="store_true", help="print the results as JSON (the API's shape)")
    from indexer.ordering import SORTS

    p.add_argument("--sort", default="relevance", choices=SORTS,
                   help="relevance (default), date (newest first) or authority (law, interpretation, regulation … "
                        "guiding, typical, then judgments by court level, the last three years first); "
                        "cited units stay first")
    add_filter_args(p)
    add_index_args(p)
    p.set_defaults(fn=cmd_search)

    p = sub.add_parser("show", help="resolve one citation to its unit: full text, versions, cited-by")
    p.add_argument("citation", help="a citation (《中华人民共和国矿产资源法》（2009年修正）第三条, 检例第28号) or a unit id")
    p.add_argument("--json", action="store_true", help="print the unit as JSON")
    add_index_args(p)
    p.set_defaults(fn=cmd_show)
