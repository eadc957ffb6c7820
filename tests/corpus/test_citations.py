from corpus.citations import Citation, article_label, law_key, parse_citation, parse_citations


def keys(text):
    return [c.key for c in parse_citations(text)]


def test_law_key():
    assert law_key("《中华人民共和国行政诉讼法》（2017年修正）") == "行政诉讼法"
    assert law_key("中华人民共和国环境保护法(试行)") == "环境保护法"
    assert law_key("最高人民法院关于审理环境民事公益诉讼案件适用法律若干问题的解释"
                   "（2014年12月8日最高人民法院审判委员会第1631次会议通过）") == \
        "最高人民法院关于审理环境民事公益诉讼案件适用法律若干问题的解释"
    assert law_key("刑法修正案（十一）") == "刑法修正案（十一）"


def test_article_label():
    assert article_label(74) == "第七十四条"
    assert article_label(120, 1) == "第一百二十条之一"


def test_chinese_and_arabic_numerals_with_and_without_book_marks():
    for text in ("《中华人民共和国矿产资源法》第七十四条", "矿产资源法第74条", "《矿产资源法》第７４条",
                 "中华人民共和国矿产资源法第七十四条"):
        assert keys(text) == ["矿产资源法#74"], text


def test_strips_leading_verbs():
    (c,) = parse_citations("依据矿产资源法第74条")
    assert (c.law, c.raw, c.start, c.end) == ("矿产资源法", "矿产资源法第74条", 2, 11)
    assert keys("被告人的行为违反了刑法第264条") == ["刑法#264"]
    assert keys("根据对外贸易法第十条") == ["对外贸易法#10"]


def test_paragraph_item_and_sub_article():
    (c,) = parse_citations("民事诉讼法第五十八条第二款第（一）项")
    assert (c.article, c.paragraph, c.item) == (58, 2, 1)
    (c,) = parse_citations("刑法第一百二十条之一")
    assert (c.key, c.article_sub) == ("刑法#120.1", 1)


def test_list_shares_law_and_version():
    text = "《中华人民共和国行政诉讼法》（2017年修正）第十三条、第二十五条第四款、第九十一条"
    cites = parse_citations(text)
    assert [c.key for c in cites] == ["行政诉讼法#13", "行政诉讼法#25", "行政诉讼法#91"]
    assert [c.version_year for c in cites] == [2017] * 3
    assert [c.paragraph for c in cites] == [0, 4, 0]
    assert [text[c.start:c.end] for c in cites] == [
        "《中华人民共和国行政诉讼法》（2017年修正）第十三条", "第二十五条第四款", "第九十一条"]
    assert keys("《民法典》第83条、第1235条") == ["民法典#83", "民法典#1235"]
    assert keys("行政诉讼法第十三条和第二十五条") == ["行政诉讼法#13", "行政诉讼法#25"]


def test_paragraph_list_inherits_article():
    cites = parse_citations("民事诉讼法第五十五条第一款、第二款")
    assert [(c.article, c.paragraph) for c in cites] == [(55, 1), (55, 2)]


def test_separate_laws_in_one_sentence():
    assert keys("民法典第八十三条和刑法第二百六十四条") == ["民法典#83", "刑法#264"]


def test_version_qualifier_with_date():
    (c,) = parse_citations("《最高人民法院关于审理环境民事公益诉讼案件适用法律若干问题的解释》"
                           "（2014年12月8日最高人民法院审判委员会第1631次会议通过）第十八条")
    assert c.key == "最高人民法院关于审理环境民事公益诉讼案件适用法律若干问题的解释#18"
    assert c.version_year == 2014


def test_renumbering_note():
    (c,) = parse_citations("《中华人民共和国环境保护法》第六十一条（现为2022年修正后的第七十六条）")
    assert (c.article, c.renumbered_year, c.renumbered_article) == (61, 2022, 76)


def test_cases_and_batches():
    text = "检例第230号、检例28号、指导案例215号、指导性案例215号、指导案例第61号、最高人民检察院第八批指导性案例"
    assert keys(text) == ["spp#230", "spp#28", "spc#215", "spc#215", "spc#61", "spp_batch#8"]
    assert keys("第八批指导性案例") == ["spp_batch#8"]
    assert keys("最高人民法院第八批指导性案例") == []


def test_no_citations():
    assert parse_citations("非法采矿造成生态环境损害，检察机关提起公益诉讼") == []
    assert parse_citations("《中华人民共和国刑法》规定") == []
    assert parse_citations("第十条规定") == []
    assert parse_citations("依照本法第十条") == []
    assert parse_citations("《关于适用刑法第六十四条有关问题的批复》") == []


def test_render():
    assert parse_citations("矿产资源法第74条")[0].render() == "《中华人民共和国矿产资源法》第七十四条"
    assert parse_citations("民事诉讼法第58条第2款第1项")[0].render() == \
        "《中华人民共和国民事诉讼法》第五十八条第二款第一项"
    assert Citation("article", law="国务院某某条例", article=5).render() == "《国务院某某条例》第五条"
    assert Citation("spp_case", number=28).render() == "检例第28号"
    assert Citation("spc_case", number=215).render() == "指导案例215号"
    assert Citation("spp_batch", number=8).render() == "最高人民检察院第八批指导性案例"


def test_render_round_trip():
    text = ("《中华人民共和国行政诉讼法》（2017年修正）第十三条、第二十五条第四款；刑法第120条之一；"
            "《最高人民法院关于审理环境民事公益诉讼案件适用法律若干问题的解释》第十八条；"
            "检例第230号；指导案例215号；最高检第八批指导性案例")
    cites = parse_citations(text)
    assert len(cites) == 7
    for c in cites:
        assert parse_citation(c.render()).key == c.key


def test_parse_citation():
    assert parse_citation("矿产资源法第七十四条").key == "矿产资源法#74"
    assert parse_citation("《中华人民共和国矿产资源法》第74条").key == "矿产资源法#74"
    assert parse_citation(" 《矿产资源法第七十四条》。").key == "矿产资源法#74"
    assert parse_citation("检例第230号").key == "spp#230"
    assert parse_citation("指导案例215号").key == "spc#215"
    assert parse_citation("非法采矿 公益诉讼") is None
    assert parse_citation("矿产资源法第七十四条 非法采矿") is None
    assert parse_citation("刑法第264条、第266条") is None


def test_parse_citation_spans_refer_to_query():
    query = "  《矿产资源法第七十四条》"
    c = parse_citation(query)
    assert query[c.start:c.end] == "矿产资源法第七十四条"


def test_interpretation_titles_with_a_short_law_name_inside():
    """最高人民法院关于适用《民法典》有关担保制度的解释第十条: the inner 书名号 are part of the title."""
    for text, law in (("最高人民法院关于适用《民法典》有关担保制度的解释第十条", "最高人民法院关于适用民法典有关担保制度的解释"),
                      ("最高人民法院关于适用《民事诉讼法》的解释第九十条", "最高人民法院关于适用民事诉讼法的解释"),
                      ("《最高人民法院关于适用〈中华人民共和国民事诉讼法〉的解释》第90条", "最高人民法院关于适用民事诉讼法的解释"),
                      ("《最高人民法院关于适用《中华人民共和国刑事诉讼法》的解释》第一条", "最高人民法院关于适用刑事诉讼法的解释")):
        c = parse_citation(text)
        assert c is not None and c.law == law, text
    assert law_key("最高人民法院关于适用《中华人民共和国民事诉讼法》的解释") == law_key("最高人民法院关于适用《民事诉讼法》的解释")


def test_two_issuers_joined_by_a_comma_without_book_marks():
    c = parse_citation("最高人民法院、最高人民检察院关于办理盗窃刑事案件适用法律若干问题的解释第二条")
    assert (c.law, c.article, c.start) == ("最高人民法院、最高人民检察院关于办理盗窃刑事案件适用法律若干问题的解释", 2, 0)
    assert parse_citation("两高关于办理盗窃刑事案件适用法律若干问题的解释第二条").start == 0
    # 、 between two laws still separates them
    assert keys("依照刑法、刑事诉讼法第十条") == ["刑事诉讼法#10"]


def test_series_ordinals_belong_to_the_title():
    c = parse_citation("最高人民法院关于审理劳动争议案件适用法律问题的解释（一）第二条")
    assert c.law == "最高人民法院关于审理劳动争议案件适用法律问题的解释（一）"
    c = parse_citation("《最高人民法院关于审理建设工程施工合同纠纷案件适用法律问题的解释（一）》（2020年）第二条")
    assert (c.law, c.version_year) == ("最高人民法院关于审理建设工程施工合同纠纷案件适用法律问题的解释（一）", 2020)
    assert parse_citation("宪法修正案（1988年）第一条").law == "宪法修正案（1988年）"


def test_short_forms_parse_as_law_names():
    for text, law in (("民诉法解释第九十条", "民诉法解释"), ("刑诉法解释第一条", "刑诉法解释"), ("《刑法》第二百六十四条", "刑法"),
                      ("高检规则第一百条", "高检规则")):
        assert parse_citation(text).law == law, text


def test_deictic_names_with_a_series_number_are_no_law():
    assert keys("本解释（一）第二条") == [] and keys("该解释（二）第三条规定") == []
