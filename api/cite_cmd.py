"""`leian cite REPORT`: committee prep for a 审查报告 — the 类案检索 record (法发〔2020〕24号 item 八), the
statutes that apply and a graded check of the report's own citations, written into a copy of the
report (or, with --standalone, as a 类案检索报告 of its own). The work is done in prep/."""
from __future__ import annotations

import argparse
import datetime
import json
import os
from pathlib import Path

from api.common import CliError, add_index_args, open_searcher, out

CITED_SUFFIXES = (".cited.docx", ".cited.md", ".record.docx", ".record.md")


def register(subparsers) -> None:
    p = subparsers.add_parser("cite", help="attach similar cases, statutes and a citation check to a review report")
    p.add_argument("report", help="审查报告: .docx, .md or .txt")
    p.add_argument("-o", "--output", help="where to write (.docx or .md; default REPORT.cited.docx / .md beside it)")
    p.add_argument("--k", type=int, default=5, help="similar cases, and statute articles, to attach (default 5)")
    p.add_argument("--json", action="store_true", help="print the attachment as JSON")
    p.add_argument("--in-place", action="store_true", help="write into the report itself")
    p.add_argument("--standalone", action="store_true",
                   help="write the record as a 类案检索报告 of its own (default REPORT.record.docx / .md)")
    p.add_argument("--by", help="检索主体: who searched (default $LEIAN_USER, else the login name)")
    p.add_argument("--issue", action="append", default=[], metavar="TEXT",
                   help="a 争议焦点 to search on its own (repeatable; default: read from the report)")
    p.add_argument("--as-of", metavar="YYYY-MM-DD",
                   help="list statutes in the version in force on this date (default: the conduct dates the "
                        "report states, else its own date)")
    add_index_args(p)
    p.set_defaults(fn=cmd_cite)


def as_of_date(value: str | None) -> datetime.date | None:
    """--as-of as a date; exit 2 with the reason when it is not one leian can use."""
    if value is None:
        return None
    try:
        day = datetime.date.fromisoformat(value)
    except ValueError:
        raise CliError(f"--as-of: not a date: {value!r} (use YYYY-MM-DD, e.g. 2023-06-30)") from None
    if not datetime.date(1949, 10, 1) <= day <= datetime.date.today():
        raise CliError(f"--as-of: {value} is outside 1949-10-01 … today")
    return day


def output_path(report_path: Path, report_kind: str, output: str | None, in_place: bool,
                standalone: bool = False) -> Path:
    """Where to write; refuses anything that would overwrite the report or an unrelated file."""
    if in_place and (output or standalone):
        raise CliError("--in-place writes into the report itself: it cannot be combined with -o or --standalone")
    if in_place:
        return report_path
    if output is None:
        infix = ".record" if standalone else ".cited"
        target = report_path.with_name(report_path.stem + infix + (".docx" if report_kind == "docx" else ".md"))
    else:
        from prep.reports import WRITABLE   # reports pull in the search stack: not for `leian --help`

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
    from prep.record import build_record
    from prep.reports import read_report, render_report, render_standalone, write_bytes

    as_of = as_of_date(args.as_of)
    report = read_report(Path(args.report))          # ReportError: exit 2 with its message
    target = output_path(report.path, report.kind, args.output, args.in_place, args.standalone)
    searcher = open_searcher(args)
    record = build_record(searcher, report.text, k=args.k, by=args.by, issues=args.issue,
                          as_of=as_of)          # BadReport: likewise
    suffix = target.suffix.lower()
    data = (render_standalone(record, report.title, suffix) if args.standalone
            else render_report(report, record, suffix))
    try:
        write_bytes(target, data)
    except OSError as exc:
        raise CliError(f"cannot write {target}: {exc.strerror or exc}", exit_code=1) from None
    if args.json:
        out.print(json.dumps({**record.to_json(), "output": str(target)}, ensure_ascii=False, indent=1),
                  markup=False, emoji=False)
        return 0
    summary = record.to_json()["summary"]
    out.print(f"{summary['cases']} cases, {summary['articles']} articles (versions in force on {record.as_of}), "
              f"{summary['citations']} citations checked: {summary['error']} errors, {summary['warning']} warnings, "
              f"{summary['note']} notes → {target}", markup=False, emoji=False)
    for check in record.checks:
        if check.severity in ("error", "warning"):
            out.print(f"  {check.severity}: {check.raw}: {check.message}", markup=False, emoji=False)
    for note in record.notes:
        out.print(f"  note: {note}", markup=False, emoji=False)
    return 0
