"""The search page in a real Chromium (Playwright) against uvicorn over the tiny index.

Screenshots land in test-artifacts/ so a person can check that the Chinese renders and
the page reads well.
"""
from __future__ import annotations

import json
import re
import shutil
import socket
import threading
import time
from pathlib import Path
from urllib.parse import quote

import pytest

pytestmark = pytest.mark.browser

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
CHROMIUM = shutil.which("chromium")


@pytest.fixture(scope="module")
def base_url(app):
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
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(10)


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


@pytest.fixture
def page(browser, base_url):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN", base_url=base_url,
                                  permissions=["clipboard-read", "clipboard-write"])
    page = context.new_page()
    problems: list[str] = []
    page.on("pageerror", lambda exc: problems.append(f"page error: {exc}"))
    page.on("console", lambda msg: "Content Security Policy" in msg.text and problems.append(msg.text))
    yield page
    context.close()
    assert not problems


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
