"""Property-based fuzz of every API route: whatever arrives, the answer is a 2xx/4xx with a JSON body.

The in-process TestClient re-raises server exceptions, so a crash fails the test even
before the status check; the catch-all 500 handler is never what makes these pass.
"""
from __future__ import annotations

import json
from urllib.parse import quote, quote_from_bytes

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from corpus.model import DOC_TYPES, LEVELS
from indexer.filters import ALL_DOMAINS, ALL_PROCEDURES

FUZZ = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# Anything a URL can carry as text: control characters, NUL, RTL marks, CJK, emoji (not lone surrogates,
# which no client can encode; raw invalid UTF-8 is sent through `raw_bytes` instead).
any_text = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=40)
# Up to just past the 10,000-character limit, but under the test client's 64 KiB cap on an encoded query.
huge_text = st.sampled_from(["x", "采", " ", "\x00", "%", "第七十四条 "]).flatmap(
    lambda piece: st.integers(500, min(10_100, 50_000 // len(quote(piece)))).map(lambda n: piece * n))
citations = st.sampled_from(["矿产资源法第七十四条", "检例第28号", "指导案例215号", "第八批指导性案例", "刑法第一百条之一",
                             "《中华人民共和国矿产资源法》（2009年修正）第三十九条", "罪名：盗窃", "第九十九条",
                             "矿产资源法第七十四条第二款第（三）项", "检例第0号", "指导案例99999999999999999999号"])
citation_like = st.builds(lambda a, c, b: a + c + b, any_text, citations, any_text)
query = st.one_of(any_text, huge_text, citation_like, citations)
# Plausible values, and in some examples one parameter of junk: then most examples reach the
# search itself instead of all stopping at the first bad parameter.
junk = st.one_of(any_text, huge_text.map(lambda s: s[:300]), st.integers(-10**15, 10**15).map(str),
                 st.sampled_from(["2020.0", "1e3", "0x10", " 7", "true", "-0"]))
PARAMS = ("q", "type", "domain", "procedure", "level", "year_from", "year_to", "k", "offset", "all_versions")


def plausible_search():
    def picks(allowed):
        return st.lists(st.sampled_from(allowed), max_size=2)
    return st.fixed_dictionaries({
        "q": query, "type": picks(DOC_TYPES), "domain": picks(ALL_DOMAINS), "procedure": picks(ALL_PROCEDURES),
        "level": picks(LEVELS), "year_from": st.one_of(st.none(), st.integers(1949, 2030)),
        "year_to": st.one_of(st.none(), st.integers(1990, 2100)), "k": st.integers(1, 100),
        "offset": st.integers(0, 1000), "all_versions": st.sampled_from(["true", "false"])})


raw_bytes = st.binary(max_size=40).map(lambda b: quote_from_bytes(b, safe=""))
ids = st.one_of(any_text, huge_text.map(lambda s: s[:3000]), st.sampled_from([
    "law:矿产资源法@2024-11-08#a74", "spp:28", "spp:28#holding", "law:刑法@2023-12-29", "#", "@", ":", "..", "../..",
    "/", "%", "law:矿产资源法@2024-11-08#a74/extra"]))


def assert_clean(r, allowed: set[int]) -> None:
    assert r.status_code in allowed, (r.status_code, r.text[:300])
    body = r.json()
    if r.status_code >= 400:
        assert isinstance(body["detail"], str) and body["detail"]


@FUZZ
@given(params=plausible_search(), junk_at=st.one_of(st.none(), st.sampled_from(PARAMS)),
       junk_values=st.lists(junk, min_size=1, max_size=3))
def test_search_never_500(client, params, junk_at, junk_values):
    if junk_at:
        params[junk_at] = junk_values
    pairs = [(name, v) for name, value in params.items() if value is not None
             for v in (value if isinstance(value, list) else [value])]
    assert_clean(client.get("/api/search", params=pairs), {200, 413, 422})


@FUZZ
@given(ident=ids)
def test_lookups_never_500(client, ident):
    assert_clean(client.get("/api/documents/" + quote(ident, safe="")), {200, 404})
    assert_clean(client.get("/api/units/" + quote(ident, safe="")), {200, 404})
    assert_clean(client.get("/api/resolve", params={"ref": ident}), {200, 404, 413, 422})


@FUZZ
@given(ref=st.one_of(query, citation_like))
def test_resolve_never_500(client, ref):
    assert_clean(client.get("/api/resolve", params={"ref": ref}), {200, 404, 413, 422})


@FUZZ
@given(raw=raw_bytes)
def test_invalid_utf8_never_500(client, raw):
    assert_clean(client.get(f"/api/search?q={raw}&type={raw}"), {200, 422})
    assert_clean(client.get(f"/api/units/{raw}"), {200, 404})
    assert_clean(client.get(f"/api/resolve?ref={raw}"), {200, 404, 422})


json_values = st.recursive(st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False), any_text),
                           lambda inner: st.lists(inner, max_size=3) | st.dictionaries(any_text, inner, max_size=3),
                           max_leaves=6)


# JSON, unlike a URL, can carry lone surrogates ("\ud800"): they must be refused, not crash the UTF-8 response.
surrogate = st.characters(min_codepoint=0xD800, max_codepoint=0xDFFF, categories=["Cs"])
json_text = st.lists(st.one_of(st.characters(), surrogate), max_size=40).map("".join)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=st.one_of(json_text, citation_like, json_values), k=st.one_of(st.none(), json_values, st.integers(-5, 100)))
def test_attach_never_500(client, text, k):
    body = {"text": text} if k is None else {"text": text, "k": k}
    raw = json.dumps(body).encode()          # ASCII-escaped, so surrogates travel as \udXXX
    assert_clean(client.post("/api/attach", content=raw, headers={"content-type": "application/json"}), {200, 413, 422})


@FUZZ
@given(raw=st.binary(max_size=60))
def test_attach_garbage_body_never_500(client, raw):
    assert_clean(client.post("/api/attach", content=raw, headers={"content-type": "application/json"}), {400, 422})
