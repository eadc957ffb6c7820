"""`leian cite REPORT`: committee prep for a 审查报告 — attach the similar guiding and typical
cases, the statutes that apply and a check of the report's own citations, in a new file."""
from __future__ import annotations

import argparse
import json
import os
from pathlib import Path

from api.common import CliError, add_index_args, open_searcher, out

CITED_SUFFIXES = (".cited.docx", ".cited.md")


def register(subparsers) -> None:
    p = subparsers.add_parser("cite", help="attach similar cases, statutes and a citation check to a review report")
    p.add_argument("report", help="审查报告: .docx, .md or .txt")
    p.add_argument("-o", "--output", help="where to write (.docx or .md; default REPORT.cited.docx / .md beside it)")
    p.add_argument("--k", type=int, default=5, help="similar cases, and statute articles, to attach (default 5)")
    p.add_argument("--json", action="store_true", help="print the attachment as JSON")
    p.add_argument("--in-place", action="store_true", help="write into the report itself")
    add_index_args(p)
    p.set_defaults(fn=cmd_cite)


def output_path(report_path: Path, report_kind: str, output: str | None, in_place: bool) -> Path:
    """Where to write; refuses anything that would overwrite the report or an unrelated file."""
    if in_place and output:
        raise CliError("use either -o or --in-place, not both")
    if in_place:
        return report_path
    if output is None:
        target = report_path.with_name(report_path.stem + ".cited" + (".docx" if report_kind == "docx" else ".md"))
    else:
        from api.reports import WRITABLE   # reports pull in the search stack: not for `leian --help`

        target = Path(output)
        if target.suffix.lower() not in WRITABLE:
            raise CliError(f"output must be a .docx or .md file, got {target.name}")
        if not target.parent.is_dir():
            raise CliError(f"output folder does not exist: {target.parent}")
    if target.is_dir():
        raise CliError(f"{target} is a folder")
    if output is not None and target.exists():
        if os.path.samefile(target, report_path):
            raise CliError(f"{target} is the report itself: pass --in-place to write into it")
        if not target.name.lower().endswith(CITED_SUFFIXES):
            raise CliError(f"{target} already exists; remove it or choose another name with -o")
    return target


def cmd_cite(args: argparse.Namespace) -> int:
    from api.attach import attach_citations
    from api.reports import read_report, write_report

    report = read_report(Path(args.report))          # ReportError: exit 2 with its message
    target = output_path(report.path, report.kind, args.output, args.in_place)
    searcher = open_searcher(args)
    attachment = attach_citations(searcher, report.text, k=args.k)   # BadReport: likewise
    try:
        write_report(report, attachment, target)
    except OSError as exc:
        raise CliError(f"cannot write {target}: {exc.strerror or exc}", exit_code=1) from None
    if args.json:
        out.print(json.dumps({**attachment.to_json(), "output": str(target)}, ensure_ascii=False, indent=1),
                  markup=False, emoji=False)
        return 0
    out.print(f"{len(attachment.cases)} cases attached, {len(attachment.articles)} articles, "
              f"{len(attachment.flagged)} flagged citations → {target}", markup=False, emoji=False)
    for check in attachment.flagged:
        out.print(f"  ! {check.raw}: {check.message}", markup=False, emoji=False)
    for note in attachment.notes:
        out.print(f"  note: {note}", markup=False, emoji=False)
    return 0
