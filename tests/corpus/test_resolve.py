"""Citations as practitioners write them resolve to the right document and article."""
from pathlib import Path

from corpus.ingest import ingest
from corpus.resolve import Resolver


def _law(title: str, articles: dict[str, str]) -> str:
    body = "\n\n".join(f"第{n}条 {text}" for n, text in articles.items())
    return f"# {title}\n\n<!-- INFO END -->\n\n{body}\n"


FILES = {
    "司法解释/最高人民法院关于适用《中华人民共和国民事诉讼法》的解释(2022-04-01).md":
        ("最高人民法院关于适用《中华人民共和国民事诉讼法》的解释", {"一": "民诉解释一。", "九十": "当事人对自己提出的诉讼请求负有举证责任。"}),
    "司法解释/最高人民法院关于审理劳动争议案件适用法律问题的解释（一）(2020-12-29).md":
        ("最高人民法院关于审理劳动争议案件适用法律问题的解释（一）", {"一": "劳动争议（一）第一条。", "二": "劳动争议（一）第二条。"}),
    "司法解释/最高人民法院关于审理劳动争议案件适用法律问题的解释（二）(2025-07-31).md":
        ("最高人民法院关于审理劳动争议案件适用法律问题的解释（二）", {"一": "劳动争议（二）第一条。", "二": "劳动争议（二）第二条。"}),
    "司法解释/最高人民法院关于审理建设工程施工合同纠纷案件适用法律问题的解释(2004-10-25).md":
        ("最高人民法院关于审理建设工程施工合同纠纷案件适用法律问题的解释", {"一": "2004年解释第一条。", "二": "2004年解释第二条。"}),
    "司法解释/最高人民法院关于审理建设工程施工合同纠纷案件适用法律问题的解释（一）(2020-12-29).md":
        ("最高人民法院关于审理建设工程施工合同纠纷案件适用法律问题的解释（一）", {"一": "（一）第一条。", "二": "（一）第二条。"}),
    "司法解释/最高人民法院、最高人民检察院关于办理盗窃刑事案件适用法律若干问题的解释(2013-04-02).md":
        ("最高人民法院、最高人民检察院关于办理盗窃刑事案件适用法律若干问题的解释", {"一": "盗窃数额较大。", "二": "盗窃公私财物。"}),
    "刑法/刑法(2023-12-29).md": ("中华人民共和国刑法", {"一": "刑法第一条。", "二百六十四": "盗窃公私财物，数额较大的。"}),
}


def _resolver(tmp_path: Path) -> Resolver:
    for rel, (title, articles) in FILES.items():
        path = tmp_path / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(_law(title, articles), encoding="utf-8")
    return Resolver(ingest([tmp_path]).documents)


def test_practitioner_forms_resolve(tmp_path):
    resolver = _resolver(tmp_path)
    civil = "law:最高人民法院关于适用民事诉讼法的解释@2022-04-01#a90"
    for text, unit in (
            ("最高人民法院关于适用《民事诉讼法》的解释第九十条", civil),
            ("《最高人民法院关于适用〈中华人民共和国民事诉讼法〉的解释》第90条", civil),
            ("民诉法解释第九十条", civil),
            ("最高人民法院关于审理劳动争议案件适用法律问题的解释（一）第二条",
             "law:最高人民法院关于审理劳动争议案件适用法律问题的解释（一）@2020-12-29#a2"),
            ("最高人民法院关于审理劳动争议案件适用法律问题的解释（二）第二条",
             "law:最高人民法院关于审理劳动争议案件适用法律问题的解释（二）@2025-07-31#a2"),
            ("最高人民法院关于审理建设工程施工合同纠纷案件适用法律问题的解释（一）第二条",
             "law:最高人民法院关于审理建设工程施工合同纠纷案件适用法律问题的解释（一）@2020-12-29#a2"),
            ("最高人民法院关于审理建设工程施工合同纠纷案件适用法律问题的解释第二条",
             "law:最高人民法院关于审理建设工程施工合同纠纷案件适用法律问题的解释@2004-10-25#a2"),
            ("最高人民法院、最高人民检察院关于办理盗窃刑事案件适用法律若干问题的解释第二条",
             "law:最高人民法院、最高人民检察院关于办理盗窃刑事案件适用法律若干问题的解释@2013-04-02#a2"),
            ("两高关于办理盗窃刑事案件适用法律若干问题的解释第二条",
             "law:最高人民法院、最高人民检察院关于办理盗窃刑事案件适用法律若干问题的解释@2013-04-02#a2"),
            ("盗窃解释第二条", "law:最高人民法院、最高人民检察院关于办理盗窃刑事案件适用法律若干问题的解释@2013-04-02#a2"),
            ("《刑法》第二百六十四条", "law:刑法@2023-12-29#a264"),
            ("刑法第264条", "law:刑法@2023-12-29#a264")):
        res = resolver.resolve_text(text)
        assert res is not None and (res.status, res.unit_id) == ("ok", unit), text


def test_a_short_form_of_a_law_the_corpus_lacks_stays_unknown(tmp_path):
    res = _resolver(tmp_path).resolve_text("刑诉法解释第一条")
    assert (res.status, res.found) == ("unknown_law", False)
