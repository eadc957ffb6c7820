"""Review reports in and out: read a .docx/.md/.txt 审查报告, write it back with leian's sections
placed before its signature block (the rest left as it was, Word comments at flagged citations),
or write the record as a document of its own."""
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

from corpus.errors import BadInput
from prep.checks import SEVERITY_LABELS, CitationCheck
from prep.record import Record
from prep.report_text import signature_start
from prep.sections import OWN_HEADING, Block, sections, standalone

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

    @property
    def title(self) -> str:
        """The report's first line (关于某矿业公司非法采矿案的审查报告): what the record is about."""
        first = next((line.strip().lstrip("#").strip() for line in self.text.split("\n") if line.strip()), "")
        return first[:80]


# -- reading -------------------------------------------------------------------------------------
def read_report(path: Path) -> Report:
    path = Path(path)
    if not path.exists():
        raise ReportError(f"report not found: {path}")
    if path.is_dir():
        raise ReportError(f"{path} is a folder, not a report")
    _check_type(path.name)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ReportError(f"cannot read {path}: {exc.strerror or exc}") from None
    return parse_report(path, data)


def _check_type(name: str) -> str:
    ext = Path(name).suffix.lower()
    if ext not in READABLE:
        hint = "; save it as .docx first" if ext in (".doc", ".wps", ".pdf", ".rtf") else ""
        raise ReportError(f"unsupported report type '{ext or name}': leian reads .docx, .md and .txt{hint}")
    return ext


def parse_report(path: Path, data: bytes) -> Report:
    """A report from its bytes (a file read, or an upload named `path`)."""
    ext = _check_type(path.name)
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


# -- rendering ----------------------------------------------------------------------------------
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
COMMENT_AUTHOR = "leian"   # leian's own Word comments, replaced on a re-run


def write_report(report: Report, record: Record, out: Path) -> None:
    """The cited report, written to `out` (.docx or markdown, by its suffix)."""
    write_bytes(out, render_report(report, record, out.suffix.lower()))


def write_bytes(out: Path, data: bytes) -> None:
    atomic_write(out, lambda f: f.write(data))


def render_report(report: Report, record: Record, suffix: str) -> bytes:
    """The report with leian's sections before its signature block (or at the end), replacing the
    sections of an earlier run, as bytes: .docx (with a Word comment at each citation to correct or check)
    or markdown."""
    blocks = sections(record)
    if suffix == ".docx":
        document = report.document if report.kind == "docx" else _new_docx(report)
        _drop_own_comments(document)
        _insert_docx(document, blocks)
        _comment_citations(document, record.checks)
        return _docx_bytes(document)
    lines = report.text.split("\n")   # without an earlier run's section; Word headings marked with #
    cut = signature_start(lines)
    head = "\n".join(lines[:cut]).rstrip("\n")
    tail = "\n".join(lines[cut:]).strip("\n")
    top = min(_markdown_top_level(report.text), 4)
    return (head + "\n\n" + render_markdown(blocks, top) + ("\n" + tail + "\n" if tail else "")).encode("utf-8")


def render_standalone(record: Record, case_title: str, suffix: str) -> bytes:
    """The record as a document of its own (类案检索报告): .docx or markdown."""
    blocks = standalone(record, case_title)
    if suffix != ".docx":
        return render_markdown(blocks, top=1).encode("utf-8")
    import docx

    document = docx.Document()
    document.add_heading(blocks[0].runs[0][0], level=0)     # Word's Title style for 类案检索报告
    _insert_docx(document, blocks[1:])
    return _docx_bytes(document)


def _docx_bytes(document) -> bytes:
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


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
    styles = {level: _heading_style(document, level) for level in (1, 2, 3, 4)}
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


# -- Word comments at the citations --------------------------------------------------------------
def _comment_citations(document, checks: list[CitationCheck]) -> None:
    """A comment on the first occurrence of each citation that is not simply correct, in the report's
    own paragraphs (never in leian's section), so the procurator sees the flag where the citation is."""
    paragraphs = document.paragraphs
    start, end = own_section([p.text for p in paragraphs])
    body = paragraphs[:start] + paragraphs[end:] if start < end else paragraphs
    for check in (c for c in checks if c.severity != "ok"):
        for paragraph in body:
            at = paragraph.text.find(check.raw)
            if at < 0:
                continue
            runs = _isolate(paragraph, at, at + len(check.raw))
            if runs:
                document.add_comment(runs, text=f"【{SEVERITY_LABELS[check.severity]}】{check.message}",
                                     author=COMMENT_AUTHOR, initials="LA")
            break


def _isolate(paragraph, start: int, end: int) -> list:
    """The runs covering paragraph.text[start:end], splitting runs at the two ends so a comment
    covers the citation exactly. [] when the span crosses content that is not plain runs."""
    import copy

    from docx.text.run import Run

    pos = 0
    for run in list(paragraph.runs):
        text = run.text
        a, b = pos, pos + len(text)
        cuts = [c - a for c in (start, end) if a < c < b]
        if cuts:
            pieces = [text[i:j] for i, j in zip([0] + cuts, cuts + [len(text)])]
            run.text = pieces[0]
            previous = run._r
            for piece in pieces[1:]:
                clone = copy.deepcopy(run._r)
                previous.addnext(clone)
                Run(clone, paragraph).text = piece
                previous = clone
        pos = b
    covered, pos = [], 0
    for run in paragraph.runs:
        a, b = pos, pos + len(run.text)
        if a >= start and b <= end and b > a:
            covered.append(run)
        pos = b
    return covered if "".join(r.text for r in covered) == paragraph.text[start:end] else []


def _drop_own_comments(document) -> None:
    """Remove the comments an earlier run of leian made (author leian), with their anchors."""
    from docx.opc.constants import RELATIONSHIP_TYPE
    from docx.oxml.ns import qn

    try:
        comments = document.part.part_related_by(RELATIONSHIP_TYPE.COMMENTS).element
    except KeyError:    # no comments at all
        return
    ids = {c.get(qn("w:id")) for c in comments.findall(qn("w:comment")) if c.get(qn("w:author")) == COMMENT_AUTHOR}
    if not ids:
        return
    body = document.element.body
    for tag in ("w:commentRangeStart", "w:commentRangeEnd"):
        for el in [e for e in body.iter(qn(tag)) if e.get(qn("w:id")) in ids]:
            el.getparent().remove(el)
    for ref in [e for e in body.iter(qn("w:commentReference")) if e.get(qn("w:id")) in ids]:
        run = ref.getparent()
        run.getparent().remove(run)
    for c in [c for c in comments.findall(qn("w:comment")) if c.get(qn("w:id")) in ids]:
        comments.remove(c)


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
