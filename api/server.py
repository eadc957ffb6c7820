"""HTTP API and search page over one loaded index.

The Searcher is opened once, when the app is built, so a broken index stops the server
at startup instead of failing every request. Endpoints are plain `def`: FastAPI runs
them in its threadpool, and the Searcher keeps one SQLite connection per thread.
"""
from __future__ import annotations

import datetime
import json
import logging
import os
import secrets
from pathlib import Path
from urllib.parse import quote

from fastapi import APIRouter, Depends, FastAPI, Header, HTTPException, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import FileResponse, JSONResponse, Response
from fastapi_offline import FastAPIOffline
from starlette.exceptions import HTTPException as StarletteHTTPException
from pydantic import BaseModel, Field, ValidationError, field_validator

import ui
from corpus.errors import LeianError
from corpus.model import DOC_TYPES, LEVELS
from indexer.filters import ALL_DOMAINS, ALL_PROCEDURES, Filters
from indexer.layout import default_index_root
from indexer.ordering import SORTS
from indexer.search import MAX_QUERY_CHARS, Searcher

UI_DIR = Path(ui.__file__).resolve().parent
STATIC_FILES = {"app.js": "text/javascript", "style.css": "text/css"}
# The page renders corpus text, which holds stray HTML: allow only our own script and style.
PAGE_HEADERS = {"Content-Security-Policy": "default-src 'self'; script-src 'self'; style-src 'self'; "
                                           "img-src 'self' data:; object-src 'none'; base-uri 'none'; "
                                           "frame-ancestors 'none'",
                "X-Content-Type-Options": "nosniff", "Cache-Control": "no-cache"}
MAX_OFFSET = 1_000          # deeper pages would widen every retriever's candidate list
MAX_REPORT_CHARS = 200_000
MAX_UPLOAD_BYTES = 10 * 1024 * 1024     # a 审查报告 with images is a few MB
DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
MEDIA_TYPES = {"json": "application/json", "docx": DOCX_TYPE, "md": "text/markdown; charset=utf-8"}
# API requests in work at once per worker process; past it, 503 + Retry-After. 32 × ~30 ms of
# ranking on 2 cores keeps the queue under about half a second (README, "Serving").
DEFAULT_MAX_INFLIGHT = 32
# A 10,000-character Chinese query is ~90 KB percent-encoded (up to 12 bytes a character);
# uvicorn's h11 default of 16 KB for a request head would refuse it before the app sees it.
MAX_REQUEST_HEAD = 256 * 1024

log = logging.getLogger("leian.api")


def _encodable(text: str) -> str:
    """JSON may carry lone surrogates (\\ud800); they are not text and would break the UTF-8 response."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        raise ValueError("text contains unpaired UTF-16 surrogates, which are not characters") from None
    return text


class AttachRequest(BaseModel):
    text: str
    k: int = Field(5, ge=1, le=50)
    by: str | None = Field(None, max_length=100, description="检索主体 (default: the server's LEIAN_USER)")
    issues: list[str] = Field([], max_length=5, description="争议焦点 to search on their own (default: read from the report)")
    as_of: datetime.date | None = Field(None, description="statute versions in force on this date (default: the conduct dates)")

    @field_validator("text")
    @classmethod
    def encodable(cls, text: str) -> str:
        return _encodable(text)


class ExportQuery(BaseModel):
    q: str = Field(..., max_length=MAX_QUERY_CHARS)
    scope: str = Field("", max_length=200)
    hits: int = Field(0, ge=0)


class ExportRequest(BaseModel):
    units: list[str] = Field(..., min_length=1, max_length=100, description="unit ids of the ticked cases and articles")
    queries: list[ExportQuery] = Field([], max_length=20, description="the searches run, for the 检索方法 record")
    by: str | None = Field(None, max_length=100)
    format: str = Field("docx", pattern="^(docx|md)$")


# The page switches on `code`, never on the English `detail`.
_HTTP_CODES = {401: "unauthorized", 404: "not_found", 413: "too_long", 415: "unsupported_type", 422: "bad_request",
               503: "busy"}


def _error(status: int, message: str, code: str | None = None, headers: dict | None = None) -> JSONResponse:
    return JSONResponse({"detail": message, "code": code or _HTTP_CODES.get(status, "error")}, status_code=status,
                        headers=headers)


def _validation_message(exc: RequestValidationError) -> str:
    parts = []
    for err in exc.errors():
        if err.get("type") == "json_invalid":
            parts.append("the request body is not valid JSON")
            continue
        loc = [str(p) for p in err.get("loc", ())]
        where = ".".join(loc[1:]) or (loc[0] if loc else "request")
        parts.append(f"{where}: {str(err.get('msg', 'invalid value')).removeprefix('Value error, ')}")
    return "; ".join(parts) or "invalid request"


def _bearer(token: str | None):
    """A dependency that requires `Authorization: Bearer <token>` when a token is configured."""
    def check(authorization: str | None = Header(None)) -> None:
        if token is None:
            return
        scheme, _, given = (authorization or "").partition(" ")
        if scheme.lower() != "bearer" or not secrets.compare_digest(given.strip().encode(), token.encode()):
            raise HTTPException(401, "missing or wrong API token: send Authorization: Bearer <LEIAN_API_TOKEN>",
                                headers={"WWW-Authenticate": "Bearer"})
    return check


class InflightLimit:
    """At most `limit` API requests in work per process; past that a 503 with Retry-After at once,
    so an overloaded server says so instead of queueing without bound or dropping connections."""

    def __init__(self, app, limit: int, retry_after_s: int = 1):
        self.app, self.limit, self.retry_after_s = app, limit, retry_after_s
        self.inflight = 0

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] != "http" or not scope["path"].startswith("/api/"):
            await self.app(scope, receive, send)
            return
        if self.inflight >= self.limit:
            busy = _error(503, f"server busy: {self.limit} requests in progress; retry after {self.retry_after_s} s",
                          "busy", {"Retry-After": str(self.retry_after_s)})
            await busy(scope, receive, send)
            return
        self.inflight += 1   # one event loop per process: no lock needed between these two awaits
        try:
            await self.app(scope, receive, send)
        finally:
            self.inflight -= 1


def app_from_env() -> FastAPI:
    """The app for `leian serve --workers N`: each worker process builds its own from the environment."""
    return create_app(Path(os.environ["LEIAN_INDEX"]), os.environ.get("LEIAN_API_TOKEN") or None,
                      int(os.environ.get("LEIAN_MAX_INFLIGHT") or DEFAULT_MAX_INFLIGHT))


def create_app(index_root: Path | None = None, token: str | None = None,
               max_inflight: int = DEFAULT_MAX_INFLIGHT) -> FastAPI:
    """Open the index (raising IndexUnavailable when it cannot be used) and wire the routes."""
    searcher = Searcher.open(index_root or default_index_root())
    # FastAPIOffline serves Swagger UI's assets from its package: the offices leian is for run on
    # closed networks, where /docs from a CDN is a blank page
    app = FastAPIOffline(title="leian 类案检索", version="0.1.0",
                         description="Search statutes, procuratorate rules and guiding/typical cases; resolve citations.")
    app.state.searcher = searcher
    app.add_middleware(InflightLimit, limit=max_inflight)
    _add_error_handlers(app)
    app.include_router(_api_routes(searcher), prefix="/api", dependencies=[Depends(_bearer(token))])

    @app.get("/health")
    def health() -> dict:
        return {"status": "ok", "units": len(searcher.table), "built_at": searcher.manifest.get("built_at"),
                "dense": searcher.semantic is not None,
                "backend": (searcher.manifest.get("retrievers") or {"backend": "local"})["backend"]}

    @app.get("/", include_in_schema=False)
    def page() -> FileResponse:
        return FileResponse(UI_DIR / "index.html", media_type="text/html", headers=PAGE_HEADERS)

    @app.get("/static/{name}", include_in_schema=False)
    def static(name: str) -> FileResponse:
        if name not in STATIC_FILES:
            raise HTTPException(404, f"no static file {name!r}")
        return FileResponse(UI_DIR / name, media_type=STATIC_FILES[name], headers=PAGE_HEADERS)

    return app


def _add_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(RequestValidationError)
    def invalid(_: Request, exc: RequestValidationError) -> JSONResponse:
        return _error(422, _validation_message(exc))

    @app.exception_handler(LeianError)
    def refused(_: Request, exc: LeianError) -> JSONResponse:
        return _error(exc.http_status, str(exc), exc.code)

    @app.exception_handler(StarletteHTTPException)   # also the router's own 404/405
    def http_error(_: Request, exc: StarletteHTTPException) -> JSONResponse:
        return _error(exc.status_code, str(exc.detail), headers=exc.headers)

    @app.exception_handler(Exception)
    def crashed(request: Request, exc: Exception) -> JSONResponse:
        log.error("unhandled error on %s %s", request.method, request.url.path, exc_info=exc)
        return _error(500, "internal error; the server log has the details")


def _api_routes(searcher: Searcher) -> APIRouter:
    r = APIRouter()

    @r.get("/search")
    def search(q: str | None = Query(None, description="words, a citation (矿产资源法第七十四条) or case facts"),
               types: list[str] = Query([], alias="type", description=" | ".join(DOC_TYPES)),
               domain: list[str] = Query([]), procedure: list[str] = Query([]), level: list[str] = Query([]),
               charge: list[str] = Query([], description="judgments with this charge (罪名): 盗窃, 故意伤害罪"),
               year_from: int | None = None, year_to: int | None = None, all_versions: bool = False,
               k: int = Query(10, ge=1, le=100), offset: int = Query(0, ge=0, le=MAX_OFFSET),
               sort: str = Query("relevance", description=" | ".join(SORTS) + " (date: newest first; authority: "
                                                                        "law, interpretation, regulation … guiding, typical)")) -> dict:
        if q is not None and len(q) > MAX_QUERY_CHARS:
            raise HTTPException(413, f"query is {len(q)} characters; the limit is {MAX_QUERY_CHARS}")
        filters = Filters(doc_types=tuple(types), domains=tuple(domain), procedures=tuple(procedure),
                          levels=tuple(level), year_from=year_from, year_to=year_to, all_versions=all_versions,
                          charges=tuple(charge))
        result = searcher.search(q or "", k=k, offset=offset, filters=filters, sort=sort)
        return {**result.to_json(), "offset": offset, "k": k}

    @r.get("/filters")
    def filters() -> dict:
        """The values each filter accepts, so the page need not hard-code them."""
        return {"type": list(DOC_TYPES), "domain": list(ALL_DOMAINS), "procedure": list(ALL_PROCEDURES),
                "level": list(LEVELS), "sort": list(SORTS)}

    @r.get("/documents/{doc_id:path}")
    def document(doc_id: str) -> dict:
        return _found(searcher.document(doc_id), f"no document {doc_id!r} in the index")

    @r.get("/units/{unit_id:path}")
    def unit(unit_id: str) -> dict:
        return _found(searcher.unit(unit_id),
                      f"no unit {unit_id!r} in the index (unit ids look like law:刑法@2023-12-29#a264)")

    @r.get("/resolve")
    def resolve(ref: str = Query(..., description="a citation: 矿产资源法第七十四条, 检例第28号, 指导案例215号")) -> dict:
        if len(ref) > MAX_QUERY_CHARS:
            raise HTTPException(413, f"ref is {len(ref)} characters; the limit is {MAX_QUERY_CHARS}")
        res = searcher.resolve(ref)
        if res is None:
            raise HTTPException(422, f"not a citation: {ref[:100]!r} (try 矿产资源法第七十四条, 检例第28号, 指导案例215号)")
        if not res.found:
            raise HTTPException(404, res.message or f"{ref[:100]} is not in the corpus")
        current = res.current_unit_id if res.current_unit_id and res.current_unit_id != res.unit_id else ""
        return {"status": res.status, "unit": searcher.unit(res.unit_id) if res.unit_id else None,
                "current_unit": searcher.unit(current) if current else None, "message": res.message,
                "doc_id": res.doc_id, "members": res.members}

    @r.post("/attach", openapi_extra={"requestBody": {"content": {
        "application/json": {"schema": AttachRequest.model_json_schema()},
        "multipart/form-data": {"schema": {"type": "object", "required": ["file"], "properties": {
            "file": {"type": "string", "format": "binary", "description": ".docx, .md or .txt, at most 10 MB"},
            "k": {"type": "integer"}, "by": {"type": "string"}, "as_of": {"type": "string", "format": "date"},
            "issues": {"type": "array", "items": {"type": "string"}}}}}}}})
    async def attach(request: Request, format: str = Query("json", pattern="^(json|docx|md)$",
                                                           description="json: the record; docx/md: the cited report"),
                     standalone: bool = Query(False, description="docx/md: the record as a 类案检索报告 of its own")):
        """The 类案检索 record for a review report sent as JSON text or as an uploaded file (multipart)."""
        from prep.record import build_record

        report, options = await _report_from_request(request)
        record = await run_in_threadpool(lambda: build_record(searcher, report.text, **options))
        if format == "json":
            return record.to_json()
        return await run_in_threadpool(lambda: _document_response(report, record, format, standalone))

    @r.post("/export")
    def export(body: ExportRequest) -> Response:
        """A 类案检索报告 (.docx or .md) of the cases and articles ticked on the search page."""
        from prep.export import RunQuery, record_from_selection
        from prep.reports import render_standalone

        record = record_from_selection(searcher, body.units, [RunQuery(q.q, q.scope, q.hits) for q in body.queries],
                                       body.by or os.environ.get("LEIAN_USER") or "未填写")
        suffix = "." + body.format
        return _download(render_standalone(record, "", suffix), "类案检索报告" + suffix, body.format)

    return r


async def _report_from_request(request: Request):
    """(Report, build_record options) from a JSON body or a multipart upload; 4xx for anything else."""
    from prep.reports import parse_report

    kind = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if kind == "multipart/form-data":
        length = int(request.headers.get("content-length") or 0)
        if length > MAX_UPLOAD_BYTES + 64 * 1024:
            raise HTTPException(413, f"upload is {length} bytes; the limit is {MAX_UPLOAD_BYTES} bytes")
        form = await request.form(max_files=1, max_fields=20)
        upload = form.get("file")
        if upload is None or isinstance(upload, str):
            raise HTTPException(422, "multipart upload needs a 'file' field with the report (.docx, .md or .txt)")
        data = await upload.read(MAX_UPLOAD_BYTES + 1)
        if len(data) > MAX_UPLOAD_BYTES:
            raise HTTPException(413, f"report file is over the {MAX_UPLOAD_BYTES} byte limit")
        fields = {"k": form.get("k") or 5, "by": form.get("by") or None, "as_of": form.get("as_of") or None,
                  "issues": [i for i in form.getlist("issues") if isinstance(i, str)]}
        try:
            body = AttachRequest(text="-", **fields)
        except ValidationError as exc:
            raise RequestValidationError([{**e, "loc": ("form", *e["loc"])} for e in exc.errors()]) from None
        report = parse_report(Path(Path(upload.filename or "report").name), data)   # ReportError: 422
    elif kind == "application/json":
        try:
            payload = json.loads(await request.body())
        except (ValueError, UnicodeDecodeError):
            raise HTTPException(422, "the request body is not valid JSON") from None
        try:
            body = AttachRequest.model_validate(payload)
        except ValidationError as exc:
            raise RequestValidationError([{**e, "loc": ("body", *e["loc"])} for e in exc.errors()]) from None
        report = parse_report(Path("report.md"), body.text.encode("utf-8")) if body.text.strip() else None
    else:
        raise HTTPException(415, "send the report as application/json {\"text\": ...} or as a multipart/form-data "
                                 "upload in a 'file' field")
    if report is not None and len(report.text) > MAX_REPORT_CHARS:
        raise HTTPException(413, f"report is {len(report.text)} characters; the limit is {MAX_REPORT_CHARS}")
    if report is None:
        from prep.report_text import BadReport

        raise BadReport("the report is empty: there are no facts to search with")
    # the server's own account is not who searched: unnamed is said as such
    by = body.by or os.environ.get("LEIAN_USER") or "未填写"
    return report, {"k": body.k, "by": by, "issues": body.issues, "as_of": body.as_of}


def _document_response(report, record, format: str, standalone: bool) -> Response:
    from prep.reports import render_report, render_standalone

    suffix = "." + format
    if standalone:
        return _download(render_standalone(record, report.title, suffix), "类案检索报告" + suffix, format)
    stem = Path(report.path.name).stem if report.path.name != "report.md" else "审查报告"
    return _download(render_report(report, record, suffix), f"{stem}.cited{suffix}", format)


def _download(data: bytes, filename: str, format: str) -> Response:
    return Response(data, media_type=MEDIA_TYPES[format],
                    headers={"Content-Disposition": f"attachment; filename*=UTF-8''{quote(filename)}"})


def _found(value: dict | None, message: str) -> dict:
    """The looked-up record, or a 404 that says what was missing."""
    if value is None:
        raise HTTPException(404, message)
    return value
