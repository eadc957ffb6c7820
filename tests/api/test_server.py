"""The HTTP API over the tiny corpus: response shapes, ranking, filters, lookups, auth and bad input."""
from __future__ import annotations

import re
from urllib.parse import quote

import pytest
from fastapi.testclient import TestClient

from api.cli import main
from api.server import create_app

MINING_74 = "law:矿产资源法@2024-11-08#a74"
HIT_KEYS = {"citation", "title", "doc_type", "unit_label", "holding", "passage", "highlights", "validity",
            "scores", "doc_id", "unit_id", "cited_by", "cited_by_total", "matched_by", "level", "version_date", "case_no", "url",
            "holding_label", "holding_missing", "standing", "standing_basis", "current", "batch", "judgment"}


def search(client, **params):
    r = client.get("/api/search", params=params)
    assert r.status_code == 200, r.text
    return r.json()


def test_search_returns_documented_shape(client):
    data = search(client, q="非法采矿 公益诉讼")
    assert set(data) == {"query", "took_ms", "results", "notes", "notices", "facets", "offset", "k"}
    assert (data["query"], data["offset"], data["k"]) == ("非法采矿 公益诉讼", 0, 10)
    assert data["results"] and all(set(h) == HIT_KEYS for h in data["results"])
    assert "spp:28" in [h["doc_id"] for h in data["results"][:3]]
    for hit in data["results"]:
        for start, end in hit["highlights"]:
            assert 0 <= start < end <= len(hit["passage"])


def test_citation_query_comes_first(client):
    top = search(client, q="矿产资源法第七十四条")["results"][0]
    assert top["unit_id"] == MINING_74 and "citation" in top["matched_by"]
    assert top["citation"] == "《中华人民共和国矿产资源法》（2024年修订）第七十四条"


def test_filters(client):
    cases = search(client, q="公益诉讼", type="guiding_case")["results"]
    assert cases and {h["doc_type"] for h in cases} == {"guiding_case"}
    both = search(client, q="公益诉讼", type=["guiding_case", "typical_case"])["results"]
    assert {h["doc_type"] for h in both} == {"guiding_case", "typical_case"}
    admin = search(client, q="公益诉讼", procedure="行政公益诉讼")["results"]
    assert [h["doc_type"] for h in admin] == ["typical_case"]
    eco = search(client, q="公益诉讼", domain="生态环境和资源保护")["results"]
    assert "spp:28" in {h["doc_id"] for h in eco}
    recent = search(client, q="矿产资源", year_from=2020, year_to=2025)["results"]
    assert recent and all(2020 <= int(h["version_date"][:4]) <= 2025 for h in recent)
    assert search(client, q="矿产资源", year_from=2099)["results"] == []


def test_superseded_versions_only_on_request(client):
    query = {"q": "未取得采矿许可证擅自采矿", "type": "statute", "k": 20}
    assert all(h["validity"] == "current" for h in search(client, **query)["results"])
    every = search(client, **query, all_versions="true")["results"]
    assert any(h["doc_id"] == "law:矿产资源法@2009-08-27" and h["validity"] == "superseded" for h in every)


def test_pagination(client):
    first = search(client, q="矿产资源", k=2)
    second = search(client, q="矿产资源", k=2, offset=2)
    assert (second["offset"], second["k"]) == (2, 2)
    assert len(first["results"]) == 2 and second["results"]
    assert not {h["unit_id"] for h in first["results"]} & {h["unit_id"] for h in second["results"]}


def test_document(client):
    doc = client.get("/api/documents/spp:28").json()
    assert doc["title"] == "张某非法采矿民事公益诉讼案" and doc["case_no"] == "检例第28号"
    assert "spp:28#holding" in [u["unit_id"] for u in doc["units"]]
    law = client.get("/api/documents/" + quote("law:矿产资源法@2024-11-08", safe="")).json()
    assert [(v["version_date"], v["validity"]) for v in law["versions"]] == [("2009-08-27", "superseded"),
                                                                          ("2024-11-08", "current")]


def test_unit_id_with_hash_colon_and_at(client):
    unit = client.get("/api/units/" + quote(MINING_74, safe="")).json()
    assert unit["unit_id"] == MINING_74 and unit["label"] == "第七十四条" and unit["validity"] == "current"
    assert [v["validity"] for v in unit["versions"]] == ["superseded", "current"]
    cited = client.get("/api/units/" + quote("law:刑法@2023-12-29#a264", safe="")).json()["cited_by"]
    assert [c["doc_id"] for c in cited] == ["spp:30"]


def test_resolve(client):
    ok = client.get("/api/resolve", params={"ref": "矿产资源法第七十四条"}).json()
    assert ok["status"] == "ok" and ok["unit"]["unit_id"] == MINING_74 and ok["current_unit"] is None
    old = client.get("/api/resolve", params={"ref": "《中华人民共和国矿产资源法》（2009年修正）第一条"}).json()
    assert old["status"] == "superseded" and old["unit"]["unit_id"] == "law:矿产资源法@2009-08-27#a1"
    assert old["current_unit"]["unit_id"] == "law:矿产资源法@2024-11-08#a1" and old["message"]
    case = client.get("/api/resolve", params={"ref": "检例第28号"}).json()
    assert case["unit"]["unit_id"] == "spp:28#holding"


def test_health_page_static_and_docs(client):
    health = client.get("/health").json()
    assert health["status"] == "ok" and health["units"] == 35 and health["built_at"]
    page = client.get("/")
    assert page.status_code == 200 and "类案检索" in page.text and page.headers["content-type"].startswith("text/html")
    assert "script-src 'self'" in page.headers["content-security-policy"]
    assert client.get("/static/app.js").headers["content-type"].startswith("text/javascript")
    assert client.get("/static/style.css").status_code == 200
    assert client.get("/static/__init__.py").status_code == 404
    docs = client.get("/docs")
    assert docs.status_code == 200 and "cdn" not in docs.text.lower()   # closed networks: no CDN
    for asset in re.findall(r'(?:src|href)="(/[^"]+\.(?:js|css))"', docs.text):
        assert client.get(asset).status_code == 200, asset
    assert "/api/search" in client.get("/openapi.json").json()["paths"]
    assert set(client.get("/api/filters").json()) == {"type", "domain", "procedure", "level", "sort"}


@pytest.mark.parametrize("params,status,words", [
    ({"q": ""}, 422, "empty query"),
    ({"q": " \t\n　"}, 422, "empty query"),
    ({}, 422, "empty query"),
    ({"q": "x" * 10_001}, 413, "limit is 10000"),
    ({"q": "采矿", "type": "statue"}, 422, "unknown type"),
    ({"q": "采矿", "domain": "环境"}, 422, "unknown domain"),
    ({"q": "采矿", "procedure": "刑诉"}, 422, "unknown procedure"),
    ({"q": "采矿", "level": "top"}, 422, "unknown level"),
    ({"q": "采矿", "k": 0}, 422, "k:"),
    ({"q": "采矿", "k": 1000}, 422, "k:"),
    ({"q": "采矿", "k": "ten"}, 422, "k:"),
    ({"q": "采矿", "offset": -1}, 422, "offset:"),
    ({"q": "采矿", "offset": 10**9}, 422, "offset:"),
    ({"q": "采矿", "year_from": "abc"}, 422, "year_from:"),
    ({"q": "采矿", "year_from": 1800}, 422, "year_from must be"),
    ({"q": "采矿", "year_from": 2024, "year_to": 2000}, 422, "after year_to"),
    ({"q": "采矿", "all_versions": "maybe"}, 422, "all_versions:"),
])
def test_bad_search_input(client, params, status, words):
    r = client.get("/api/search", params=params)
    assert r.status_code == status
    assert isinstance(r.json()["detail"], str) and words in r.json()["detail"]


@pytest.mark.parametrize("path,status", [
    ("/api/units/" + quote("law:矿产资源法@2024-11-08#a999", safe=""), 404),
    ("/api/units/nonsense", 404),
    ("/api/documents/spp:999", 404),
    ("/api/resolve?ref=" + quote("今天天气很好"), 422),
    ("/api/resolve?ref=", 422),
    ("/api/resolve", 422),
    ("/api/resolve?ref=" + quote("矿产资源法第九十九条"), 404),
    ("/api/resolve?ref=" + quote("检例第999号"), 404),
    ("/api/resolve?ref=" + quote("森林法第一条"), 404),
])
def test_unknown_ids_and_refs(client, path, status):
    r = client.get(path)
    assert r.status_code == status and isinstance(r.json()["detail"], str)


def test_attach(client):
    report = "经审查，张某未取得采矿许可证擅自采矿，破坏矿产资源，依照矿产资源法第七十四条，检察机关可以提起民事公益诉讼。"
    r = client.post("/api/attach", json={"text": report, "k": 3})
    assert r.status_code == 200, r.text
    assert {"cases", "articles", "checks", "summary"} <= set(r.json())
    assert "law:矿产资源法@2024-11-08#a74" in [c["unit_id"] for c in r.json()["checks"]]
    for bad in ({"text": ""}, {"text": "   "}, {}, {"text": report, "k": 0}):
        r = client.post("/api/attach", json=bad)
        assert r.status_code == 422 and isinstance(r.json()["detail"], str)
    assert client.post("/api/attach", content=b"not json", headers={"content-type": "application/json"}).status_code == 422


DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def test_attach_refuses_what_is_not_text(client):
    lone_surrogate = b'{"text": "\\ud800 \xe7\x9f\xbf"}'
    r = client.post("/api/attach", content=lone_surrogate, headers={"content-type": "application/json"})
    assert r.status_code == 422 and "surrogate" in r.json()["detail"]
    r = client.post("/api/attach", content=b"{", headers={"content-type": "application/json"})
    assert r.json() == {"detail": "the request body is not valid JSON", "code": "bad_request"}
    assert client.post("/api/attach", json={"text": "x" * 200_001}).status_code == 413


def test_token_guards_api_routes(tiny_index):
    with TestClient(create_app(tiny_index, token="s3cret")) as c:
        assert c.get("/api/search", params={"q": "采矿"}).status_code == 401
        assert c.get("/api/search", params={"q": "采矿"}, headers={"Authorization": "Bearer wrong"}).status_code == 401
        assert c.get("/api/units/x", headers={"Authorization": "Basic s3cret"}).status_code == 401
        ok = c.get("/api/search", params={"q": "采矿"}, headers={"Authorization": "Bearer s3cret"})
        assert ok.status_code == 200 and ok.json()["results"]
        assert c.get("/health").status_code == 200 and c.get("/").status_code == 200


def test_serve_refuses_public_host_without_token(tiny_index, monkeypatch, capsys):
    import uvicorn

    monkeypatch.delenv("LEIAN_API_TOKEN", raising=False)
    monkeypatch.setattr(uvicorn, "run", lambda *a, **kw: pytest.fail("must not start serving"))
    assert main(["serve", "--host", "0.0.0.0", "--index", str(tiny_index)]) == 2
    assert "LEIAN_API_TOKEN" in capsys.readouterr().err


def test_serve_on_public_host_with_token(tiny_index, monkeypatch):
    import uvicorn

    calls = []
    monkeypatch.setenv("LEIAN_API_TOKEN", "s3cret")
    monkeypatch.setattr(uvicorn, "run", lambda app, **kw: calls.append((app, kw)))
    assert main(["serve", "--host", "0.0.0.0", "--port", "8123", "--index", str(tiny_index)]) == 0
    app, kw = calls[0]
    assert (kw["host"], kw["port"]) == ("0.0.0.0", 8123)
    with TestClient(app) as c:
        assert c.get("/api/filters").status_code == 401


def test_serve_refuses_unusable_index(tmp_path, monkeypatch, capsys):
    monkeypatch.delenv("LEIAN_API_TOKEN", raising=False)
    assert main(["serve", "--index", str(tmp_path)]) == 1
    assert "no index" in capsys.readouterr().err


@pytest.mark.parametrize("params,status,code", [
    ({"q": ""}, 422, "empty_query"),
    ({"q": "采矿", "domain": "火星"}, 422, "bad_filter"),
    ({"q": "采矿", "year_from": 2025, "year_to": 2020}, 422, "bad_filter"),
    ({"q": "x" * 10_001}, 413, "too_long"),
    ({"q": "采矿", "k": 0}, 422, "bad_request"),
    ({"q": "采矿", "sort": "popularity"}, 422, "bad_query"),
])
def test_errors_carry_a_stable_code(client, params, status, code):
    r = client.get("/api/search", params=params)
    assert (r.status_code, r.json()["code"]) == (status, code) and r.json()["detail"]


def test_unknown_paths_and_units_are_not_found_with_a_code(client):
    assert client.get("/api/nothing").json()["code"] == "not_found"
    assert client.get("/api/units/" + quote("law:无@1#a1", safe=":@")).json() == {
        "detail": "no unit 'law:无@1#a1' in the index (unit ids look like law:刑法@2023-12-29#a264)", "code": "not_found"}


def test_attach_never_checks_the_section_an_earlier_run_wrote(client):
    report = "案件事实\n张某擅自采矿。\n审查意见\n依据刑法第三百四十三条。"
    earlier = report + "\n类案检索情况\n1. 检例第999号\n引用核查\n检例第999号：检索库中没有检例第999号\n承办检察官：李四"
    first = client.post("/api/attach", json={"text": report}).json()
    again = client.post("/api/attach", json={"text": earlier}).json()
    assert [c["raw"] for c in again["checks"]] == [c["raw"] for c in first["checks"]] == ["刑法第三百四十三条"]


# -- the report upload and the exports the page offers -------------------------------------------
UPLOAD = "# 关于张某非法采矿案的审查报告\n\n## 案件事实\n\n2023年3月，张某未取得采矿许可证擅自开采石灰岩，破坏山体。\n\n" \
         "## 审查意见\n\n依据《中华人民共和国矿产资源法》（2009年修正）第三十九条，参照检例第999号，建议提起民事公益诉讼。\n"


def _word(text: str) -> bytes:
    import io

    import docx

    document = docx.Document()
    for line in text.split("\n"):
        document.add_paragraph(line)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def test_attach_takes_an_uploaded_word_report(client):
    r = client.post("/api/attach", files={"file": ("报告.docx", _word(UPLOAD), "application/octet-stream")},
                    data={"k": "2", "by": "王检察官", "issues": ["矿区生态修复责任如何承担"], "as_of": "2023-03-31"})
    assert r.status_code == 200, r.text
    data = r.json()
    assert data["by"] == "王检察官" and data["issues"] == ["矿区生态修复责任如何承担"] and data["as_of"] == "2023-03-31"
    assert data["summary"]["error"] == 1 and data["cases"][0]["reference"] == "应当参照"


def test_attach_returns_the_cited_report_and_the_standalone_record(client):
    import io

    import docx

    r = client.post("/api/attach?format=docx", files={"file": ("报告.docx", _word(UPLOAD), DOCX)})
    assert r.status_code == 200 and r.headers["content-type"] == DOCX
    assert "filename*=UTF-8''%E6%8A%A5%E5%91%8A.cited.docx" in r.headers["content-disposition"]
    document = docx.Document(io.BytesIO(r.content))
    texts = [p.text for p in document.paragraphs]
    assert texts[0].startswith("# 关于张某") and "类案检索情况" in texts and len(document.comments) == 2
    r = client.post("/api/attach?format=md&standalone=true", json={"text": UPLOAD})
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/markdown")
    assert r.text.startswith("# 类案检索报告\n\n案件：**关于张某非法采矿案的审查报告**") and "审查意见\n\n依据" not in r.text


@pytest.mark.parametrize("files, data, status, detail", [
    ({"file": ("r.pdf", b"%PDF-1.4", "application/pdf")}, {}, 422, "unsupported report type '.pdf'"),
    ({"file": ("r.docx", b"PK\x03\x04broken", DOCX)}, {}, 422, "not a readable .docx"),
    ({"file": ("r.txt", "案件事实".encode("gbk"), "text/plain")}, {}, 422, "not UTF-8"),
    ({"other": ("r.txt", b"x", "text/plain")}, {}, 422, "needs a 'file' field"),
    ({"file": ("r.txt", "案件事实：张某采矿。".encode(), "text/plain")}, {"as_of": "2023-13-01"}, 422, "as_of"),
    ({"file": ("r.txt", "案件事实：张某采矿。".encode(), "text/plain")}, {"k": "0"}, 422, "k"),
])
def test_bad_uploads(client, files, data, status, detail):
    r = client.post("/api/attach", files=files, data=data)
    assert r.status_code == status and detail in r.json()["detail"], r.text


def test_upload_limits_and_media_types(client, monkeypatch):
    import api.server

    monkeypatch.setattr(api.server, "MAX_UPLOAD_BYTES", 1000)
    r = client.post("/api/attach", files={"file": ("r.txt", ("案件事实：张某采矿。" * 200).encode(), "text/plain")})
    assert r.status_code == 413 and r.json()["code"] == "too_long"
    r = client.post("/api/attach", content=b"text", headers={"content-type": "text/plain"})
    assert r.status_code == 415 and r.json()["code"] == "unsupported_type"


def test_export_of_ticked_results(client):
    import io

    import docx

    units = ["spp:28#holding", "law:矿产资源法@2024-11-08#a74", "spp:28#facts"]
    body = {"units": units, "queries": [{"q": "非法采矿 生态修复", "scope": "类型：全部", "hits": 7}], "by": "李四"}
    r = client.post("/api/export", json=body)
    assert r.status_code == 200 and r.headers["content-type"] == DOCX
    texts = [p.text for p in docx.Document(io.BytesIO(r.content)).paragraphs]
    assert texts[0] == "类案检索报告" and "检索主体：李四。" in texts[2]
    assert sum("检例第28号" in t and "《张某非法采矿民事公益诉讼案》" in t for t in texts) == 1   # one case, not one per unit
    assert any(t.startswith("《中华人民共和国矿产资源法》（2024年修订）第七十四条") for t in texts)
    assert any("非法采矿 生态修复" in t and "命中7件" in t for t in texts)
    for bad, detail in (({"units": []}, "units"), ({"units": ["law:无@1#a1"]}, "not in the index"),
                        ({"units": units, "format": "pdf"}, "format")):
        r = client.post("/api/export", json=bad)
        assert r.status_code == 422 and detail in r.json()["detail"], r.text
