"""The search page in a real Chromium (Playwright) against uvicorn over the tiny index.

Screenshots land in test-artifacts/ so a person can check that the Chinese renders and
the page reads well.
"""
from __future__ import annotations

import contextlib
import json
import re
import shutil
import socket
import sys
import threading
import time
from pathlib import Path
from urllib.parse import quote

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from judgments_written import CRIMINAL_LAW, drunk_driving, theft  # noqa: E402

pytestmark = pytest.mark.browser

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
CHROMIUM = shutil.which("chromium")


@contextlib.contextmanager
def _served(app):
    """The app under uvicorn on a free local port, for as long as the block runs."""
    import uvicorn

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            pytest.fail("uvicorn did not start")
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(10)


@pytest.fixture(scope="module")
def base_url(app):
    with _served(app) as url:
        yield url


@pytest.fixture(scope="module")
def browser():
    if CHROMIUM is None:
        pytest.skip("chromium is not installed (apt-get install -y chromium fonts-wqy-microhei)")
    from playwright.sync_api import sync_playwright

    ARTIFACTS.mkdir(exist_ok=True)
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM,
                              args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"])
        yield b
        b.close()


@contextlib.contextmanager
def _page(browser, base_url, width=1280):
    """A fresh page; a script error or a CSP refusal on it fails the test."""
    context = browser.new_context(viewport={"width": width, "height": 900}, locale="zh-CN", base_url=base_url,
                                  permissions=["clipboard-read", "clipboard-write"])
    page = context.new_page()
    problems: list[str] = []
    page.on("pageerror", lambda exc: problems.append(f"page error: {exc}"))
    page.on("console", lambda msg: "Content Security Policy" in msg.text and problems.append(msg.text))
    yield page
    context.close()
    assert not problems


@pytest.fixture
def page(browser, base_url):
    with _page(browser, base_url) as p:
        yield p


def test_search_open_case_and_copy(page):
    from playwright.sync_api import expect

    page.goto("/")
    expect(page).to_have_title("类案检索")
    page.locator("#q").click()
    page.keyboard.type("非法采矿 公益诉讼")
    page.keyboard.press("Enter")
    cards = page.locator(".card")
    expect(cards.first).to_be_visible()
    assert cards.count() >= 3 and "q=" in page.url
    expect(page.locator(".card mark").first).to_be_visible()
    expect(page.locator(".card .badge-valid").first).to_have_text("现行有效")
    expect(page.locator("#status")).to_contain_text("第 1–")
    page.screenshot(path=str(ARTIFACTS / "search-results.png"), full_page=True)

    case = cards.filter(has=page.locator(".citation-text", has_text="检例第28号"))
    expect(case.locator(".holding")).to_contain_text("非法采矿破坏矿产资源")
    case.locator("button.copy").click()
    expect(case.locator("button.copy")).to_have_text("已复制")
    assert page.evaluate("navigator.clipboard.readText()") == "检例第28号《张某非法采矿民事公益诉讼案》"

    case.locator(".passage, .holding").first.click()
    expect(page.locator("#doc-view")).to_be_visible()
    expect(page.locator(".doc-title")).to_have_text("张某非法采矿民事公益诉讼案")
    expect(page.locator(".unit.target")).to_have_count(1)
    expect(page.locator(".unit.target")).to_be_in_viewport()
    expect(page.locator(".doc-body")).to_contain_text("【基本案情】")
    page.screenshot(path=str(ARTIFACTS / "case-document.png"), animations="disabled")

    page.locator("button.back").click()
    expect(page.locator("#doc-view")).to_be_hidden()
    expect(cards.first).to_be_visible()


def test_article_shows_versions_and_citing_cases(page):
    from playwright.sync_api import expect

    page.goto("/?q=" + quote("矿产资源法第七十四条"))
    first = page.locator(".card").first
    expect(first.locator(".chip-exact")).to_have_text("引用直达")
    expect(first.locator(".cited")).to_contain_text("被引用 0 次")
    first.click()
    expect(page.locator(".unit.target")).to_contain_text("第七十四条")
    expect(page.locator(".unit.target")).to_be_in_viewport()
    versions = page.locator(".versions li")
    expect(versions).to_have_count(2)
    expect(versions.nth(0)).to_contain_text("已被修订")
    expect(versions.nth(1)).to_contain_text("现行有效")
    page.screenshot(path=str(ARTIFACTS / "article-versions.png"), animations="disabled")
    versions.nth(0).locator("a").click()
    expect(page.locator(".doc-header .badge-superseded")).to_have_text("已被修订")

    page.goto("/?q=" + quote("刑法第二百六十四条"))
    cited = page.locator(".card").first.locator("details.cited")
    expect(cited.locator("summary")).to_have_text("被引用 1 次")
    cited.locator("summary").click()
    cited.locator("a").click()
    expect(page.locator(".doc-title")).to_have_text("李某盗窃案")


def test_an_article_applied_by_many_judgments_says_how_many_are_not_listed(page):
    from playwright.sync_api import expect

    listed = [{"doc_id": f"j{i}", "case_no": f"（2020）湘01刑终{i}号", "title": ""} for i in range(2)]
    hit = {"citation": "《中华人民共和国刑法》第六十七条", "title": "中华人民共和国刑法", "doc_type": "statute",
           "unit_label": "第六十七条", "holding": "", "passage": "犯罪以后自动投案，如实供述自己的罪行的，是自首。",
           "highlights": [], "validity": "current", "scores": {}, "doc_id": "law:刑法", "unit_id": "law:刑法#a67",
           "cited_by": listed, "cited_by_total": 1500, "level": "national_law", "version_date": "", "case_no": "",
           "url": "", "matched_by": ["bm25"]}
    body = json.dumps({"query": "自首", "took_ms": 1, "results": [hit], "notes": [], "offset": 0, "k": 10})
    page.route("**/api/search*", lambda route: route.fulfill(status=200, content_type="application/json", body=body))
    page.goto("/?q=" + quote("自首"))
    cited = page.locator(".card").first.locator("details.cited")
    expect(cited.locator("summary")).to_have_text("被引用 1500 次")
    cited.locator("summary").click()
    expect(cited.locator("li")).to_have_count(2)
    expect(cited).to_contain_text("另有 1498 件裁判文书未列出")
    page.screenshot(path=str(ARTIFACTS / "cited-by-many.png"), animations="disabled")


def test_enter_while_composing_does_not_search(page):
    from playwright.sync_api import expect

    searches: list[str] = []
    page.on("request", lambda r: "/api/search" in r.url and searches.append(r.url))
    page.goto("/")
    box = page.locator("#q")
    box.click()
    cdp = page.context.new_cdp_session(page)
    cdp.send("Input.imeSetComposition", {"text": "feifa", "selectionStart": 5, "selectionEnd": 5})
    page.keyboard.press("Enter")    # a real IME eats this Enter (CDP lets it type a newline); no search either way
    box.dispatch_event("keydown", {"key": "Enter", "isComposing": True})
    cdp.send("Input.insertText", {"text": "非法采矿"})
    page.wait_for_timeout(300)
    assert searches == [] and box.input_value().strip() == "非法采矿"
    page.keyboard.press("Enter")
    expect(page.locator(".card").first).to_be_visible()
    assert len(searches) == 1


def test_text_typed_while_the_page_loads_is_kept(page):
    """The page fills its form from the address once the filter options arrive; a slow server must
    not wipe what the user typed meanwhile (it searched an empty box under load)."""
    from playwright.sync_api import expect

    held = []
    page.route("**/api/filters*", lambda route: held.append(route))
    page.goto("/")
    page.locator("#q").fill("非法采矿")
    page.wait_for_timeout(200)
    assert held, "the filter options were not requested"
    held[0].continue_()
    expect(page.locator("#domain option").nth(1)).to_be_attached()   # the options arrived, the form was filled
    assert page.locator("#q").input_value() == "非法采矿"
    page.locator("#q").press("Enter")
    expect(page.locator(".card").first).to_be_visible()


def test_messages_for_empty_long_and_unmatched_queries(page):
    from playwright.sync_api import expect

    page.goto("/")
    page.locator("#q").press("Enter")
    expect(page.locator("#status")).to_contain_text("查询内容不能为空")
    page.locator("#q").fill("采" * 10_001)
    page.locator("#q").press("Enter")
    expect(page.locator("#status")).to_contain_text("查询过长")
    page.goto("/?q=" + quote("采矿") + "&year_from=2099")
    expect(page.locator(".empty")).to_contain_text("未找到相关结果")
    page.locator("#current_only").uncheck()            # a filter change re-runs the search
    expect(page).to_have_url(re.compile("all_versions=true"))


def test_service_errors_are_shown_in_chinese(page):
    from playwright.sync_api import expect

    page.goto("/")
    page.route("**/api/search*", lambda route: route.fulfill(status=503, content_type="application/json",
                                                             body='{"detail": "down"}'))
    page.locator("#q").fill("采矿")
    page.locator("#q").press("Enter")
    expect(page.locator("#status")).to_contain_text("服务暂不可用")
    page.unroute("**/api/search*")
    page.route("**/api/search*", lambda route: route.abort())
    page.locator("#q").fill("盗窃")
    page.locator("#q").press("Enter")
    expect(page.locator("#status")).to_contain_text("服务暂不可用")


def _answer(status: int, body: str):
    return lambda route: route.fulfill(status=status, content_type="application/json", body=body)


def test_error_messages_follow_the_api_code(page):
    """The page reads the API's `code`, never its English text."""
    from playwright.sync_api import expect

    for status, code, shown in ((422, "bad_filter", "筛选条件有误"), (503, "busy", "服务繁忙"),
                                (503, "index_unavailable", "检索库暂不可用")):
        body = json.dumps({"detail": "english text", "code": code})
        page.route("**/api/search*", _answer(status, body))
        page.goto("/?q=" + quote("采矿"))
        expect(page.locator("#status")).to_contain_text(shown)
        expect(page.locator("#status")).not_to_contain_text("english")
        page.unroute("**/api/search*")


def test_source_html_is_shown_as_text(page):
    """Corpus text with markup must render literally; highlights count code points, not UTF-16 units."""
    from playwright.sync_api import expect

    evil = '<img src=x onerror="window.__xss=1"><b>粗体</b>'
    hit = {"citation": evil, "title": evil, "doc_type": "typical_case", "unit_label": "<i>标签</i>", "holding": evil,
           "passage": "𠀀采矿<script>window.__xss=2</script>", "highlights": [[1, 3], [2, 99]], "validity": "current",
           "scores": {}, "doc_id": "x", "unit_id": "x#facts", "cited_by": [], "level": "spp", "version_date": "",
           "case_no": "", "url": "javascript:alert(1)", "matched_by": ["bm25"]}
    body = json.dumps({"query": "采矿", "took_ms": 1, "results": [hit], "notes": [], "offset": 0, "k": 10})
    page.route("**/api/search*", lambda route: route.fulfill(status=200, content_type="application/json", body=body))
    page.goto("/?q=" + quote("采矿"))
    card = page.locator(".card")
    expect(card.locator(".card-title")).to_have_text(evil)
    expect(card.locator("mark")).to_have_text("采矿")
    assert card.locator("img, b, i, script").count() == 0
    assert page.evaluate("window.__xss") is None


def test_trust_marks_on_the_page(page):
    """本库未收录 said plainly; a withdrawn case marked 不再参照; an old version shown with today's article;
    a case whose holding the corpus lacks never shown as having one."""
    from playwright.sync_api import expect

    page.goto("/?q=" + quote("asdfqwer 火星人飞碟"))
    expect(page.locator(".empty .notice")).to_contain_text("本库未收录")
    page.goto("/?q=" + quote("检例第999号"))
    expect(page.locator(".notice")).to_contain_text("检例第999号：本库未收录")
    page.screenshot(path=str(ARTIFACTS / "not-in-corpus.png"), full_page=True)
    page.goto("/?q=" + quote("指导案例9号"))
    card = page.locator(".card").first
    expect(card.locator(".badge")).to_have_text("不再参照")
    expect(card.locator(".standing-basis")).to_contain_text("法〔2020〕343号")
    expect(card.locator(".holding-missing")).to_contain_text("本库未收录该案裁判要点")
    page.screenshot(path=str(ARTIFACTS / "withdrawn-case.png"), full_page=True)
    page.goto("/?q=" + quote("《中华人民共和国矿产资源法》（2009年修正）第一条"))
    card = page.locator(".card").first
    expect(card.locator(".badge")).to_have_text("已被修订")
    expect(card.locator(".current-article")).to_contain_text("（2024年修订）第一条")
    page.screenshot(path=str(ARTIFACTS / "old-version-with-current.png"), full_page=True)


def test_narrow_screen_year_check_facets_sort_and_history(browser, base_url):
    """400 px: nothing overflows; 2025 then 2020 is refused with no stale results; counts beside the
    filters; sort by date; past searches kept in this browser only."""
    from playwright.sync_api import expect

    context = browser.new_context(viewport={"width": 400, "height": 900}, locale="zh-CN", base_url=base_url)
    page = context.new_page()
    page.goto("/?q=" + quote("矿产资源 采矿"))
    expect(page.locator(".card").first).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 400
    label = page.locator("label", has=page.locator('input[value="typical_case"]'))
    box = label.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= 400          # 典型案例 is not cut off
    expect(page.locator('.count[data-type="statute"]')).to_have_text(re.compile(r" \(\d+\)"))
    page.screenshot(path=str(ARTIFACTS / "narrow-400px.png"), full_page=True)

    page.locator("#year_from").fill("2025")
    page.locator("#year_from").press("Tab")
    page.locator("#year_to").fill("2020")
    page.locator("#year_to").press("Tab")
    expect(page.locator("#status")).to_contain_text("起始年份不能晚于截止年份")
    expect(page.locator(".card")).to_have_count(0)
    page.locator("#year_from").fill("")
    page.locator("#year_to").fill("")

    page.locator("#sort").select_option("date")
    expect(page).to_have_url(re.compile("sort=date"))
    expect(page.locator(".card").first).to_be_visible()
    page.goto("/")
    expect(page.locator("#history-list .example").first).to_have_text("矿产资源 采矿")
    page.locator("#clear-history").click()
    expect(page.locator("#history")).to_be_hidden()
    context.close()


# -- 审查报告 → 类案检索记录, and export from a search ------------------------------------------------
REPORT_FACTS = "2023年3月，张某未取得采矿许可证，在某县山区擅自开采石灰岩，破坏山体，需要进行矿区生态修复。"
REPORT_OPINION = "依据《中华人民共和国矿产资源法》（2009年修正）第三十九条，参照检例第999号，建议提起民事公益诉讼。"
REPORT_MD = (f"# 关于张某非法采矿案的审查报告\n\n## 案件事实\n\n{REPORT_FACTS}\n\n"
             "## 争议焦点\n\n一是张某是否应当承担生态修复责任；二是损害赔偿数额如何确定。\n\n"
             f"## 审查意见\n\n{REPORT_OPINION}\n\n承办检察官：王某\n")


def _word_report(path: Path) -> Path:
    import docx

    document = docx.Document()
    document.add_heading("关于张某非法采矿案的审查报告", 1)
    document.add_heading("案件事实", 2)
    document.add_paragraph(REPORT_FACTS)
    document.add_heading("争议焦点", 2)
    document.add_paragraph("一是张某是否应当承担生态修复责任；二是损害赔偿数额如何确定。")
    document.add_heading("审查意见", 2)
    document.add_paragraph(REPORT_OPINION)
    document.add_paragraph("承办检察官：王某")
    document.save(path)
    return path


def _download(page, click, folder: Path):
    """Click what starts a download; the saved file's path (named as the server named it)."""
    with page.expect_download() as info:
        click()
    download = info.value
    path = folder / download.suggested_filename
    download.save_as(path)
    return path


def _paragraphs(path: Path) -> list[str]:
    import docx

    return [p.text for p in docx.Document(path).paragraphs]


def test_report_upload_shows_the_record_and_downloads_the_cited_report(page, tmp_path):
    import docx
    from playwright.sync_api import expect

    page.goto("/")
    page.locator("#nav-report").click()
    expect(page.locator("#report-view")).to_be_visible()
    expect(page.locator("#search-view")).to_be_hidden()
    assert page.url.endswith("#report")
    page.locator("#report-by").fill("王检察官")
    page.locator("#report-by").press("Tab")
    page.locator("#report-file").set_input_files(_word_report(tmp_path / "审查报告.docx"))
    expect(page.locator("#report-file-name")).to_contain_text("审查报告.docx（")
    page.screenshot(path=str(ARTIFACTS / "report-upload.png"), full_page=True)

    page.get_by_role("button", name="生成类案检索记录").click()
    record = page.locator("#record")
    expect(record.locator(".record-facts")).to_contain_text("检索主体")
    expect(record.locator(".record-facts")).to_contain_text("王检察官")
    expect(record.locator(".record-facts")).to_contain_text("张某是否应当承担生态修复责任")
    expect(record.locator(".record-facts")).to_contain_text("2023-03-31")
    expect(record.locator(".runs li").first).to_contain_text("案件事实")
    expect(record.locator(".tier h4")).to_have_count(3)
    for tier, name in zip(record.locator(".tier h4").all(), ("最高检指导性案例", "最高法指导性案例", "最高检、最高法典型案例")):
        expect(tier).to_contain_text(name)
    expect(record.locator(".tier", has_text="最高检、最高法典型案例")).to_contain_text("未检索到相关案例。")
    case = record.locator(".record-case", has_text="检例第28号")
    expect(case.locator(".reference")).to_contain_text("应当参照")
    expect(case.locator(".holding")).to_contain_text("非法采矿破坏矿产资源")
    expect(record.locator(".record-article", has_text="第三十九条")).to_contain_text("已被修订")
    expect(record.locator(".checks-error li")).to_contain_text("【错误】检例第999号")
    expect(record.locator(".record-summary")).to_contain_text("错误 1")
    page.screenshot(path=str(ARTIFACTS / "report-record.png"), full_page=True)

    cited = _download(page, lambda: page.get_by_role("button", name="下载附检索记录的报告（.docx）").click(), tmp_path)
    assert cited.name == "审查报告.cited.docx"
    assert "类案检索情况" in _paragraphs(cited) and len(docx.Document(cited).comments) >= 1
    expect(page.locator("#report-status")).to_contain_text("已下载")

    case.locator(".card-title a").click()                       # the citation opens the case
    expect(page.locator(".doc-title")).to_have_text("张某非法采矿民事公益诉讼案")
    page.locator("button.back").click()
    expect(case).to_be_visible()
    page.reload()
    expect(page.locator("#report-by")).to_have_value("王检察官")    # the 检索人 is remembered


def test_pasted_report_downloads_the_standalone_record(page, tmp_path):
    from playwright.sync_api import expect

    page.goto("/#report")
    page.locator("#report-text").fill(REPORT_MD)
    page.locator("#report-issues").fill("矿区生态修复责任如何承担")
    page.locator("#report-as-of").fill("2023-03-31")
    page.locator("#report-k").fill("3")
    page.get_by_role("button", name="生成类案检索记录").click()
    facts = page.locator("#record .record-facts")
    expect(facts).to_contain_text("检索人提供")
    expect(facts).to_contain_text("矿区生态修复责任如何承担")
    expect(facts).to_contain_text("2023-03-31")

    path = _download(page, lambda: page.get_by_role("button", name="下载类案检索报告（.docx）").click(), tmp_path)
    assert path.name == "类案检索报告.docx"
    texts = _paragraphs(path)
    assert texts[0] == "类案检索报告" and any("检例第28号" in t for t in texts)
    assert not any(t.startswith("依据《中华人民共和国矿产资源法》") for t in texts)   # the record, not the report


def test_report_input_is_checked_in_chinese(page, tmp_path):
    from playwright.sync_api import expect

    status = page.locator("#report-status")
    generate = page.get_by_role("button", name="生成类案检索记录")
    page.goto("/#report")
    generate.click()
    expect(status).to_contain_text("请上传审查报告文件，或在文本框中粘贴报告文字")
    pdf = tmp_path / "报告.pdf"
    pdf.write_bytes(b"%PDF-1.4")
    page.locator("#report-file").set_input_files(pdf)
    generate.click()
    expect(status).to_contain_text("不支持该文件类型")
    broken = tmp_path / "报告.docx"
    broken.write_bytes(b"PK\x03\x04broken")
    page.locator("#report-file").set_input_files(broken)
    generate.click()
    expect(status).to_contain_text("报告文件无法读取")           # the server's bad_report_file, in Chinese
    page.get_by_role("button", name="移除所选文件").click()
    expect(page.locator("#report-file-name")).to_have_text("未选择文件")
    page.locator("#report-text").fill(REPORT_MD)
    page.locator("#report-issues").fill("\n".join(f"争议焦点{i}" for i in range(6)))
    generate.click()
    expect(status).to_contain_text("争议焦点最多 5 条")
    page.locator("#report-issues").fill("")
    page.route("**/api/attach*", _answer(413, json.dumps({"detail": "report file is over the limit", "code": "too_long"})))
    generate.click()
    expect(status).to_contain_text("报告文件超过10MB")
    expect(status).not_to_contain_text("limit")
    expect(page.locator("#record")).to_be_empty()


def test_narrow_screen_report_record_and_export_bar(browser, base_url):
    from playwright.sync_api import expect

    context = browser.new_context(viewport={"width": 400, "height": 900}, locale="zh-CN", base_url=base_url)
    page = context.new_page()
    page.goto("/#report")
    page.locator("#report-text").fill(REPORT_MD)
    page.get_by_role("button", name="生成类案检索记录").click()
    expect(page.locator("#record .record-case").first).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 400
    page.screenshot(path=str(ARTIFACTS / "report-record-narrow-400px.png"), full_page=True)

    page.locator("#nav-search").click()
    page.locator("#q").fill("非法采矿")
    page.locator("#q").press("Enter")
    page.locator(".card .pick").first.click()
    expect(page.locator("#selection-count")).to_have_text("已选 1 项")
    assert page.evaluate("document.documentElement.scrollWidth") <= 400
    bar = page.locator("#selection-bar").bounding_box()
    assert bar["x"] >= 0 and bar["x"] + bar["width"] <= 400
    page.screenshot(path=str(ARTIFACTS / "search-export-narrow-400px.png"))
    context.close()


def test_tick_results_and_export_a_record(page, tmp_path):
    from playwright.sync_api import expect

    exports: list[dict] = []
    page.on("request", lambda r: "/api/export" in r.url and exports.append(r.post_data_json))
    page.goto("/?q=" + quote("非法采矿"))
    cards = page.locator(".card")
    expect(cards.first).to_be_visible()
    bar = page.locator("#selection-bar")
    expect(bar).to_be_hidden()
    picked = [cards.filter(has=page.locator(".citation-text", has_text=name)) for name in ("检例第28号", "非法采砂")]
    citations = [card.locator(".citation-text").inner_text() for card in picked]
    for card in picked:
        card.locator(".pick").click()
    expect(page.locator("#doc-view")).to_be_hidden()             # ticking does not open the card
    assert "doc=" not in page.url
    expect(bar).to_be_visible()
    expect(page.locator("#selection-count")).to_have_text("已选 2 项")

    page.locator("#q").fill("矿产资源法第七十四条")                   # ticks outlive other searches
    page.locator("#q").press("Enter")
    expect(page.locator("#status")).to_contain_text("共 ")
    expect(page.locator("#selection-count")).to_have_text("已选 2 项")
    page.go_back()
    for card in picked:
        expect(card.locator(".pick input")).to_be_checked()
    page.locator("#export-by").fill("李检察官")
    page.set_viewport_size({"width": 1280, "height": 1500})      # both ticked cards in view
    page.screenshot(path=str(ARTIFACTS / "search-export.png"))      # not full_page: the bar sticks to the viewport's bottom

    path = _download(page, lambda: page.get_by_role("button", name="导出类案检索报告（.docx）").click(), tmp_path)
    texts = _paragraphs(path)
    assert texts[0] == "类案检索报告" and "检索主体：李检察官。" in "\n".join(texts)
    for citation in citations:
        assert any(citation in t for t in texts), citation
    sent = exports[-1]
    assert len(sent["units"]) == 2 and sent["format"] == "docx" and sent["by"] == "李检察官"
    run = next(q for q in sent["queries"] if q["q"] == "非法采矿")
    assert run["scope"] == "类型：全部；仅现行有效" and run["hits"] >= 2

    page.get_by_role("button", name="清空").click()
    expect(bar).to_be_hidden()
    expect(page.locator(".pick input:checked")).to_have_count(0)


# -- court judgments (裁判文书): an index of its own ---------------------------------------------------
THEFT_FACTS = ("2018年4月至6月，被告人王某多次窜至居民小区，采用撬锁方式入户盗窃现金、手机、笔记本电脑等财物，"
               "共计价值人民币一万八千余元。被告人王某曾因犯盗窃罪被判处有期徒刑一年，刑满释放后五年内再犯，系累犯。")


def _appeal(record: dict) -> dict:
    """The same theft case on appeal at the high court: one case (ajId), two judgments."""
    record = dict(record)
    for key in ("qw", "writName"):
        record[key] = (record[key].replace("北京市第一中级人民法院", "北京市高级人民法院")
                       .replace("（2017）京01刑初119号", "（2018）京刑终27号").replace("一审", "二审")
                       .replace("二〇一七年十一月三日", "二〇一八年三月九日"))
    record["writId"] += "-appeal"
    return record


@pytest.fixture(scope="module")
def judgment_url(tmp_path_factory):
    """uvicorn over a small index of made-up judgments (China Judgments Online layout) and the 刑法 they apply."""
    from api.server import create_app
    from indexer.build import BuildConfig, build

    corpus = tmp_path_factory.mktemp("judgments") / "corpus"
    corpus.mkdir()
    (corpus / "中华人民共和国刑法.md").write_text(CRIMINAL_LAW, encoding="utf-8")
    first = theft("钱某", 119)
    records = [first, _appeal(first), theft("孙某", 120), drunk_driving("莫新国", 771)]
    for i, record in enumerate(records):
        (corpus / f"{i}.json").write_text(json.dumps(record, ensure_ascii=False), encoding="utf-8")
    root = tmp_path_factory.mktemp("judgment-index")
    build(BuildConfig(corpus_roots=[corpus], index_root=root, dense="none", workers=1))
    with _served(create_app(root)) as url:
        yield url


@pytest.fixture
def jpage(browser, judgment_url):
    with _page(browser, judgment_url) as p:
        yield p


def test_no_judgment_filters_over_an_index_without_judgments(page):
    from playwright.sync_api import expect

    page.goto("/?q=" + quote("非法采矿"))
    expect(page.locator(".card").first).to_be_visible()
    expect(page.locator('input[name="type"][value="judgment"]')).to_be_hidden()
    expect(page.locator("#court-levels")).to_be_hidden()
    expect(page.locator("#charge")).to_be_hidden()
    assert page.locator("#procedure optgroup").evaluate("g => g.hidden") is True


def test_facts_text_finds_judgments(jpage, tmp_path):
    """Pasted facts rank judgments; the card shows court, 案号, 罪名, 适用法条 (linked), 同案其他文书, 相同情节;
    it opens the judgment's parts and can be ticked into a report."""
    from playwright.sync_api import expect

    page = jpage
    exports: list[dict] = []
    page.on("request", lambda r: "/api/export" in r.url and exports.append(r.post_data_json))
    page.goto("/")
    expect(page.locator("#court-levels")).to_be_hidden()            # not known yet to hold judgments
    page.locator("#q").fill(THEFT_FACTS)
    page.locator("#q").press("Enter")
    cards = page.locator(".card-judgment")
    expect(cards.first).to_be_visible()
    expect(page.locator("#status")).to_contain_text("相似程度")
    card = cards.filter(has=page.locator(".citation-text", has_text="京01刑初120号"))     # 孙某
    expect(card.locator(".chip-judgment")).to_have_text("裁判文书")
    expect(card.locator(".chip-court")).to_have_text("中级人民法院")
    facts = card.locator(".judgment-facts")
    for shown in ("北京市第一中级人民法院", "（2017）京01刑初120号", "盗窃罪", "被告人孙某"):
        expect(facts).to_contain_text(shown)
    expect(card.locator(".card-meta")).to_contain_text("刑事 · 一审 · 2017-11-03")
    expect(card.locator(".citation-text")).to_have_text("北京市第一中级人民法院（2017）京01刑初120号刑事判决书")
    expect(card.locator(".passage .label")).to_have_text("【基本案情】")
    expect(card.locator(".passage mark").first).to_be_visible()
    expect(card.locator(".circumstances")).to_contain_text("累犯")
    applied = card.locator(".applied")
    expect(applied.locator("a")).to_have_text("《中华人民共和国刑法》（2023年修正）第二百六十四条")
    expect(applied).to_contain_text("第六十五条")                     # not in the corpus: text, no link
    expect(card.locator(".same-case")).to_have_count(0)
    # one case, two judgments: one card, the other judgment linked from it
    qian = cards.filter(has_text="被告人钱某")
    expect(qian).to_have_count(1)
    expect(qian.locator(".same-case a")).to_have_text(re.compile(r"（2017）京01刑初119号|（2018）京刑终27号"))

    expect(page.locator('.count[data-type="judgment"]')).to_have_text(re.compile(r" \([1-9]\d*\)"))
    expect(page.locator("#court-levels")).to_be_visible()
    expect(page.locator('.count[data-level="intermediate_court"]')).to_have_text(re.compile(r" \([1-9]\d*\)"))
    expect(page.locator("#charge")).to_be_visible()
    assert page.locator("#procedure optgroup").evaluate("g => g.hidden") is False
    page.screenshot(path=str(ARTIFACTS / "judgment-results.png"), full_page=True)

    applied.locator("a").click()                                   # the article applied
    expect(page.locator(".unit.target")).to_contain_text("第二百六十四条")
    page.locator("button.back").click()
    other = qian.locator(".same-case a").inner_text()
    qian.locator(".same-case a").click()                           # the case's other judgment
    expect(page.locator(".doc-header .citation-text")).to_have_text(other)
    expect(page.locator(".doc-header .chip-court")).to_have_text(
        "高级人民法院" if "京刑终" in other else "中级人民法院")
    page.locator("button.back").click()
    card.locator(".passage").click()                               # the judgment itself, at the matched part
    labels = page.locator(".doc-body .unit-label")
    expect(labels).to_have_text(["【基本案情】", "【本院认为】", "【判决结果】"])
    expect(page.locator(".unit.target")).to_contain_text("经审理查明")
    expect(page.locator(".doc-header")).to_contain_text("盗窃罪")
    page.screenshot(path=str(ARTIFACTS / "judgment-document.png"), animations="disabled")
    page.locator("button.back").click()

    card.locator(".pick").click()
    expect(page.locator("#selection-count")).to_have_text("已选 1 项")
    path = _download(page, lambda: page.get_by_role("button", name="导出类案检索报告（.docx）").click(), tmp_path)
    assert any("京01刑初120号" in t for t in _paragraphs(path))
    assert exports[-1]["units"] == ["judgment:北京市第一中级人民法院（2017）京01刑初120号刑事判决书#facts"]


def test_judgment_filters_charge_court_level_and_procedure(jpage):
    from playwright.sync_api import expect

    page = jpage
    page.goto("/?q=" + quote("被告人") + "&charge=" + quote("危险驾驶"))
    expect(page.locator("#charge")).to_have_value("危险驾驶")       # set in the URL: shown before any count
    cards = page.locator(".card")
    expect(cards.first).to_be_visible()
    for charges in page.locator(".card .judgment-facts").all():
        expect(charges).to_contain_text("危险驾驶罪")
    page.locator("#charge").fill("盗窃")
    page.locator("#charge").press("Enter")
    expect(page).to_have_url(re.compile("charge=" + quote("盗窃")))
    expect(page.locator(".card-judgment").first).to_contain_text("盗窃罪")
    page.locator("#court-levels label", has_text="高级人民法院").click()
    expect(page).to_have_url(re.compile("level=high_court"))
    expect(cards).to_have_count(1)
    expect(cards.first.locator(".citation-text")).to_contain_text("京刑终27号")
    page.locator("#court-levels label", has_text="高级人民法院").click()
    page.locator("#procedure").select_option("二审")
    expect(page).to_have_url(re.compile("procedure=" + quote("二审")))
    expect(cards).to_have_count(1)
    page.locator("#charge").fill("盗")
    page.locator("#charge").press("Enter")
    expect(page.locator("#status")).to_contain_text("罪名至少两个字")


def test_narrow_screen_judgment_card(browser, judgment_url):
    from playwright.sync_api import expect

    with _page(browser, judgment_url, width=400) as page:
        page.goto("/?q=" + quote(THEFT_FACTS))
        card = page.locator(".card-judgment").first
        expect(card).to_be_visible()
        expect(card.locator(".applied a").first).to_be_visible()
        assert page.evaluate("document.documentElement.scrollWidth") <= 400
        for selector in (".judgment-facts", ".applied", "#court-levels", "#charge"):
            box = page.locator(selector).first.bounding_box()
            assert box["x"] >= 0 and box["x"] + box["width"] <= 400, selector
        page.screenshot(path=str(ARTIFACTS / "judgment-results-narrow-400px.png"), full_page=True)
