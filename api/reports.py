"""Review reports in and out: read a .docx/.md/.txt 审查报告, write it back with the
类案检索情况, 相关法律规定 and 引用核查 sections appended and the original left as it was."""
from __future__ import annotations

import io
import os
import re
import tempfile
import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Callable

from api.attach import STATUTE_SCOPE, TIERS, Attachment
from corpus.errors import BadInput

READABLE = (".docx", ".md", ".txt")
WRITABLE = (".docx", ".md")
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"    # .doc, and any password-protected Office file
_HEADING_STYLE_RE = re.compile(r"^(?:heading|标题)\s*(\d)$", re.I)
_MD_HEADING_RE = re.compile(r"^(#{1,6})\s+(.*)$")


class ReportError(BadInput):
    """A report that cannot be read; the message says why in plain words."""

    code = "bad_report_file"


@dataclass
class Report:
    path: Path
    kind: str                  # docx | md | txt
    paragraphs: list[str]      # as written, in order (a .docx: body paragraphs and table cells)
    text: str                  # what attach reads: a .docx's Word headings are marked with '#'
    document: object = field(default=None, repr=False)   # the opened .docx, appended to on write


@dataclass
class Block:
    """One paragraph of the appended sections, rendered the same way to Word and markdown."""

    level: int                 # 1, 2: a heading; 0: body text
    runs: list[tuple[str, bool]]   # (text, bold)


# -- reading -------------------------------------------------------------------------------------
def read_report(path: Path) -> Report:
    path = Path(path)
    if not path.exists():
        raise ReportError(f"report not found: {path}")
    if path.is_dir():
        raise ReportError(f"{path} is a folder, not a report")
    ext = path.suffix.lower()
    if ext not in READABLE:
        hint = "; save it as .docx first" if ext in (".doc", ".wps", ".pdf", ".rtf") else ""
        raise ReportError(f"unsupported report type '{ext or path.name}': leian reads .docx, .md and .txt{hint}")
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ReportError(f"cannot read {path}: {exc.strerror or exc}") from None
    if not data:
        raise ReportError(f"{path} is empty")
    report = _read_docx(path, data) if ext == ".docx" else _read_text(path, data, ext[1:])
    if not report.text.strip():
        raise ReportError(f"{path} has no text")
    report.text = without_own_section(report.text)
    return report


def _read_text(path: Path, data: bytes, kind: str) -> Report:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ReportError(f"{path} is not UTF-8 text (bad byte at offset {exc.start}); "
                          "save it as UTF-8 (in Notepad: Save As → Encoding → UTF-8)") from None
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return Report(path, kind, text.split("\n"), text)


def _read_docx(path: Path, data: bytes) -> Report:
    import docx
    from docx.opc.exceptions import PackageNotFoundError
    from lxml.etree import XMLSyntaxError

    if data.startswith(_OLE_MAGIC):
        raise ReportError(f"{path} is not a .docx package: it is password-protected or an old Word .doc file; "
                          "remove the password or save it as .docx")
    try:
        document = docx.Document(io.BytesIO(data))
        lines = list(_docx_lines(document))
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError, XMLSyntaxError,
            zlib.error, EOFError, NotImplementedError) as exc:
        raise ReportError(f"{path} is not a readable .docx (corrupt or not a Word document: "
                          f"{type(exc).__name__})") from None
    return Report(path, "docx", [text for _, text in lines],
                  "\n".join(("#" * level + " " if level else "") + text for level, text in lines), document)


def _docx_lines(container) -> list[tuple[int, str]]:
    """(heading level, text) of each paragraph in document order, table cells included."""
    from docx.table import Table, _Cell

    out: list[tuple[int, str]] = []
    for block in container.iter_inner_content():
        if isinstance(block, Table):
            for row in block.rows:
                for tc in row._tr.tc_lst:     # each physical cell once, merged cells not repeated
                    out.extend(_docx_lines(_Cell(tc, block)))
        else:
            out.append((_heading_level(block), block.text))
    return out


def _heading_level(paragraph) -> int:
    name = (paragraph.style.name if paragraph.style is not None else "") or ""
    if name == "Title":
        return 1
    m = _HEADING_STYLE_RE.match(name)
    return min(int(m.group(1)), 6) if m else 0


# -- where leian's section goes ------------------------------------------------------------------
OWN_HEADING = "类案检索情况"   # the first heading leian writes; its section runs to the signature block
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


def without_own_section(text: str) -> str:
    """A report leian has worked on before: its own section is neither read nor checked again."""
    lines = text.split("\n")
    start, end = own_section(lines)
    return "\n".join(lines[:start] + lines[end:]) if start < end else text


def own_section(lines: list[str]) -> tuple[int, int]:
    """[start, end) of the section an earlier run of leian wrote ((0, 0) when there is none)."""
    start = next((i for i, line in enumerate(lines) if line.strip().lstrip("#").strip() == OWN_HEADING), None)
    if start is None:
        return 0, 0
    return start, start + signature_start(lines[start:])


# -- the appended sections -----------------------------------------------------------------------
def sections(att: Attachment) -> list[Block]:
    """类案检索情况, 相关法律规定, 引用核查 as blocks, so the Word and markdown outputs say the same."""
    blocks = [Block(1, [(OWN_HEADING, False)])]
    basis = f"报告“{att.facts_heading}”部分所述事实" if att.facts_heading else "报告全文"
    blocks.append(Block(0, [(f"检索日期：{att.searched_on}。检索范围：最高人民检察院、最高人民法院发布的指导性案例和典型案例。"
                             f"检索依据：{basis}。", False)]))
    blocks += [Block(0, [(f"说明：{note}。", False)]) for note in att.notes]
    if att.cases:
        blocks.append(Block(0, [(f"共检索到类案{len(att.cases)}件，按最高检指导性案例、最高法指导性案例、典型案例的顺序排列，"
                                 "同类案例按相关程度排列。是否构成类案、能否参照，请承办检察官审查判断。", False)]))
    number = 0
    for tier in TIERS:
        cases = [c for c in att.cases if c.tier == tier]
        if cases:
            blocks.append(Block(2, [(tier, False)]))
        for case in cases:
            number += 1
            blocks.append(Block(0, [(f"{number}. ", False), (case.citation, True)]))
            if case.holding:
                blocks.append(Block(0, [(case.holding_label, False), (case.holding, False)]))
            else:   # never presented as having a holding the corpus does not hold
                blocks.append(Block(0, [(case.holding_label, False),
                                        (f"本库未收录该案{case.holding_label.strip('【】')}，引用前请查阅原文。", False)]))
            if case.passage and case.matched_label != case.holding_label:
                blocks.append(Block(0, [(f"匹配内容（{case.matched_label}）：", False), (case.passage, False)]))

    blocks.append(Block(1, [("相关法律规定", False)]))
    blocks.append(Block(0, [(f"检索范围：{STATUTE_SCOPE}。", False)]))
    if not att.articles:
        blocks.append(Block(0, [("未检索到相关的现行法律规定。", False)]))
    blocks += [Block(0, [(a.citation, True), ("\u3000" + a.text, False)]) for a in att.articles]

    blocks.append(Block(1, [("引用核查", False)]))
    listed = att.flagged + [c for c in att.checks if c.severity == "note"]
    if not att.checks:
        summary = "报告未引用法律条文或案例。"
    elif att.flagged:
        summary = f"报告引用法律条文、案例{len(att.checks)}处，其中{len(att.flagged)}处需要核对："
    else:
        summary = f"报告引用法律条文、案例{len(att.checks)}处，经核对均与检索库一致。"
    blocks.append(Block(0, [(summary, False)]))
    blocks += [Block(0, [(c.raw, True), ("：" + c.message, False)]) for c in listed]
    verified = [c.raw for c in att.checks if c.severity == "ok"]
    if verified:   # what was checked and found as cited, so the record shows the check was made
        blocks.append(Block(0, [("经核对与检索库一致：", False), ("；".join(verified) + "。", False)]))
    return blocks


def render_markdown(blocks: list[Block], top: int = 2) -> str:
    lines = []
    for block in blocks:
        text = "".join(f"**{t.strip()}**" if bold and t.strip() else t for t, bold in block.runs)
        lines.append(("#" * (top + block.level - 1) + " " if block.level else "") + text)
    return "\n\n".join(lines) + "\n"


def _markdown_top_level(text: str) -> int:
    """The level of the report's own sections (## under a # title), so ours sit beside them."""
    levels = [len(m.group(1)) for line in text.split("\n") if (m := _MD_HEADING_RE.match(line))]
    if not levels:
        return 2
    top = min(levels)
    lower = [lv for lv in levels if lv > top]
    return min(lower) if levels.count(top) == 1 and lower else top


# -- writing -------------------------------------------------------------------------------------
def write_report(report: Report, att: Attachment, out: Path) -> None:
    """Write the report with leian's sections before its signature block (or at the end), replacing
    the sections of an earlier run: a Word file when `out` is .docx, else markdown text."""
    blocks = sections(att)
    if out.suffix.lower() == ".docx":
        document = report.document if report.kind == "docx" else _new_docx(report)
        _insert_docx(document, blocks)
        atomic_write(out, document.save)
    else:
        lines = report.text.split("\n")   # without an earlier run's section; Word headings marked with #
        cut = signature_start(lines)
        head = "\n".join(lines[:cut]).rstrip("\n")
        tail = "\n".join(lines[cut:]).strip("\n")
        top = min(_markdown_top_level(report.text), 5)
        content = head + "\n\n" + render_markdown(blocks, top) + ("\n" + tail + "\n" if tail else "")
        atomic_write(out, lambda f: f.write(content.encode("utf-8")))


def _new_docx(report: Report):
    """A Word copy of a text report: its lines as paragraphs, markdown headings as Word headings."""
    import docx

    document = docx.Document()
    lines = list(report.paragraphs)
    while lines and not lines[-1].strip():
        lines.pop()
    for line in lines:
        m = _MD_HEADING_RE.match(line) if report.kind == "md" else None
        if m:
            document.add_heading(m.group(2), level=len(m.group(1)))
        else:
            document.add_paragraph(line)
    return document


def _heading_style(document, level: int) -> str | None:
    names = {s.name for s in document.styles}
    return next((n for n in (f"Heading {level}", f"标题 {level}", f"heading {level}") if n in names), None)


def _insert_docx(document, blocks: list[Block]) -> None:
    """Drop an earlier run's section, then write ours before the signature block (or at the end)."""
    paragraphs = document.paragraphs   # body paragraphs only: signatures and our section are never in tables
    start, end = own_section([p.text for p in paragraphs])
    for paragraph in paragraphs[start:end]:
        paragraph._element.getparent().remove(paragraph._element)
    paragraphs = document.paragraphs
    cut = signature_start([p.text for p in paragraphs])
    anchor = paragraphs[cut] if cut < len(paragraphs) else None
    styles = {level: _heading_style(document, level) for level in (1, 2)}
    for block in blocks:
        style = styles.get(block.level)
        if anchor is not None:
            paragraph = anchor.insert_paragraph_before(style=style)
        else:
            paragraph = document.add_paragraph(style=style) if style else document.add_paragraph()
        for text, bold in block.runs:
            run = paragraph.add_run(text)
            if bold or (block.level and not style):   # no heading style: a bold paragraph stands in
                run.bold = True


def atomic_write(out: Path, write: Callable[[IO[bytes]], None]) -> None:
    """Write to a temp file beside `out` and rename it over `out`: a failure leaves no half file."""
    mode = out.stat().st_mode & 0o777 if out.exists() else 0o666 & ~_umask()
    fd, tmp = tempfile.mkstemp(dir=out.parent, prefix=f".{out.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as f:
            write(f)
            f.flush()
            os.fsync(f.fileno())
        os.chmod(tmp, mode)
        os.replace(tmp, out)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask
