"""Training pairs: mined from the corpus, never from test-split cases."""
from corpus.model import Document, Unit
from corpus.split import is_test_case
from indexer.pairs import mine_pairs


def _case(doc_id: str, facts: str, holding: str) -> Document:
    doc = Document(doc_id=doc_id, doc_type="guiding_case", title=doc_id, keywords=["关键"])
    doc.units = [Unit(f"{doc_id}#facts", doc_id, "facts", "【基本案情】", facts),
                 Unit(f"{doc_id}#holding", doc_id, "holding", "【要旨】", holding)]
    return doc


def test_test_split_cases_give_no_pairs():
    ids = [f"spp:{n}" for n in range(1, 40)]
    test_id = next(i for i in ids if is_test_case(i))
    dev_id = next(i for i in ids if not is_test_case(i))
    docs = [_case(test_id, "测试案情", "测试要旨"), _case(dev_id, "开发案情", "开发要旨")]
    tokens = {u.unit_id: [u.text] for d in docs for u in d.units}
    pairs = mine_pairs(docs, [], tokens, lambda text: text.split())
    flat = {t for a, p in pairs for t in a + p}
    assert "开发案情" in flat and "开发要旨" in flat
    assert not {"测试案情", "测试要旨"} & flat


def test_article_pairs_and_inverse_cloze():
    law = Document(doc_id="law:甲法@2020-01-01", doc_type="statute", title="甲法", law_key="甲法", validity="current")
    text = "第一句说明采矿许可的事项。第二句规定法律责任的内容。"
    law.units = [Unit("law:甲法@2020-01-01#a1", law.doc_id, "article", "第一条", text, number=1, heading="第一章 总则")]
    body = ["采矿", "许可", "事项", "法律", "责任", "内容"]
    pairs = mine_pairs([law], [], {law.units[0].unit_id: body},
                       lambda t: [w for w in body if w in t] or t.split(), max_pairs=10)
    assert pairs and all(p for _, p in pairs)
    for anchor, positive in pairs:
        if anchor != ["甲法", "第一章", "总则"] and positive != body:   # a cloze pair drops the anchor's tokens
            assert not set(anchor) & set(positive)
