"""Arbitrary input never escapes as anything but the documented clear errors."""
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from corpus.citations import parse_citation, parse_citations
from indexer.filters import BadFilter, Filters
from indexer.search import BadQuery

LEGALISH = st.sampled_from(list("第条款项之一二三四五六七八九十百千零〇0123456789《》〈〉（）()、号例检指导案批法典规定解释中华人民共和国 \n\t"))
TEXT = st.one_of(st.text(), st.text(LEGALISH, max_size=80), st.text(min_size=5000, max_size=12000))


@settings(max_examples=300, deadline=None)
@given(TEXT)
def test_citation_parser_never_raises(text):
    for c in parse_citations(text):
        assert 0 <= c.start <= c.end <= len(text)
        c.render()
        assert c.key
    single = parse_citation(text)
    if single is not None:
        assert single.key


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(query=TEXT, doc_type=st.one_of(st.none(), st.text(max_size=12)),
       year=st.one_of(st.none(), st.integers(-10**6, 10**6)))
def test_query_path_only_raises_documented_errors(searcher, query, doc_type, year):
    filters = Filters(doc_types=(doc_type,) if doc_type is not None else (), year_from=year)
    try:
        result = searcher.search(query, k=5, filters=filters)
    except (BadQuery, BadFilter):
        return
    assert len(result.results) <= 5
    for hit in result.results:
        assert all(0 <= a < b <= len(hit.passage) for a, b in hit.highlights)
