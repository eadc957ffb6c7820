// 类案检索 page. Every piece of corpus text reaches the DOM through text nodes (el/highlighted):
// the sources contain stray HTML, so nothing from the API is ever parsed as markup.
"use strict";

const MAX_QUERY_CHARS = 10000;
const QUESTION_CHARS = 50;   // a longer query is case facts: judgments are ranked by similarity (indexer/search.py)
const PAGE_SIZE = 10;
const TOKEN_KEY = "leian-api-token";
const HISTORY_KEY = "leian-history";   // localStorage only: past searches never go to the server
const HISTORY_SIZE = 10;
const BY_KEY = "leian-searcher";           // localStorage: the 检索人 written into every record
const SELECTION_KEY = "leian-selection";   // sessionStorage: results ticked for export, and the searches run
const MAX_SELECTED = 100;                  // the export API's limits
const MAX_RUNS = 20;
const MAX_UPLOAD_MB = 10;
const MAX_REPORT_CHARS = 200000;
const MAX_ISSUES = 5;
const REPORT_TYPES = [".docx", ".md", ".txt"];
// 法发〔2020〕24号 lists cases by authority; the first three are always shown, empty or not.
const TIERS = ["最高检指导性案例", "最高法指导性案例", "最高检、最高法典型案例"];
const OTHER_TIER = "其他案例";
const REFERENCE_BADGES = { 应当参照: "valid", 可以参考: "maybe", 不再参照: "superseded" };
const SEVERITIES = [["error", "错误"], ["warning", "警示"], ["note", "提示"]];
const TYPE_LABELS = {
  statute: "法律法规", rule: "办案规则", guiding_case: "指导性案例", typical_case: "典型案例", other: "其他", judgment: "裁判文书",
};
const VALIDITY = { current: ["现行有效", "valid"], superseded: ["已被修订", "superseded"], unknown: ["效力未知", "unknown"] };
// A case's own standing replaces the statute wording: a withdrawn case is not "amended".
const STANDING = { not_referenced: ["不再参照", "superseded"], replaced: ["被新案例取代", "superseded"] };
const LEVEL_LABELS = {
  law: "法律", judicial_interpretation: "司法解释", administrative_regulation: "行政法规",
  procuratorate_rule: "检察工作规定", departmental_rule: "部门规章", local_regulation: "地方性法规",
  spp: "最高人民检察院", spc: "最高人民法院", other: "",
};
// Judgments, by the court that gave them: the 法院层级 filter (the `level` parameter, as for issuers).
const COURT_LEVELS = {
  supreme_court: "最高人民法院", high_court: "高级人民法院", intermediate_court: "中级人民法院", basic_court: "基层人民法院",
};
// Procedure values only judgments carry (corpus/judgments.py JUDGMENT_PROCEDURES): shown as their own group.
const JUDGMENT_PROCEDURES = ["一审", "二审", "再审", "复核", "审判监督", "刑罚变更"];
const JUDGMENTS_KEY = "leian-has-judgments";   // sessionStorage: a search here has returned judgments

const $ = (id) => document.getElementById(id);
const form = $("search-form");
const queryBox = $("q");
const statusLine = $("status");
const resultsBox = $("results");
const pager = $("pager");
const docView = $("doc-view");
const reportStatus = $("report-status");
const recordBox = $("record");

let renderedKey = null;    // the search whose results are in the DOM, so "back" need not refetch
let searchSeq = 0;         // only the latest search may render
let resultsScroll = 0;
let openedFromResults = false;
let backLabel = "← 返回检索结果";
let currentRun = null;     // the search shown, as the export records it: { q, scope, hits }
let hasJudgments = false;  // the index holds judgments (seen in a search's type counts): judgment filters shown

class ApiError extends Error {
  constructor(status, detail, code) {
    super(detail || `HTTP ${status}`);
    this.status = status;
    this.detail = detail || "";
    this.code = code || "";   // the API's stable error code: messages switch on it, never on `detail`
  }
}

// -- DOM helpers -----------------------------------------------------------------------------
function el(tag, props = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(props)) {
    if (value === undefined || value === null || value === false) continue;
    if (key === "class") node.className = value;
    else if (key.startsWith("on")) node.addEventListener(key.slice(2), value);
    else node.setAttribute(key, value === true ? "" : String(value));
  }
  for (const child of children.flat()) {
    if (child === undefined || child === null || child === false || child === "") continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

/** Text nodes and <mark>s from [start, end) offsets, which the API counts in code points. */
function highlighted(text, spans) {
  const chars = Array.from(text);
  const nodes = [];
  let pos = 0;
  for (const span of spans || []) {
    const [start, end] = span;
    if (!Number.isInteger(start) || !Number.isInteger(end) || start < pos || end <= start || end > chars.length) continue;
    if (start > pos) nodes.push(document.createTextNode(chars.slice(pos, start).join("")));
    nodes.push(el("mark", {}, chars.slice(start, end).join("")));
    pos = end;
  }
  if (pos < chars.length) nodes.push(document.createTextNode(chars.slice(pos).join("")));
  return nodes;
}

function validityBadge(validity, standing, basis) {
  const [label, kind] = STANDING[standing] || VALIDITY[validity] || VALIDITY.unknown;
  return el("span", { class: `badge badge-${kind}`, title: basis || null }, label);
}

function labelled(label, text, className = "holding") {
  return el("div", { class: className }, el("span", { class: "label" }, label), el("p", {}, text));
}

function holdingBlock(hit) {
  if (hit.holding) return labelled(hit.holding_label, hit.holding);
  if (hit.holding_missing) return labelled(hit.holding_label, `本库未收录该案${hit.holding_label}，请查阅原文。`, "holding holding-missing");
  return null;
}

function noticeBox(notices) {
  return el("div", { class: "notice", role: "status" }, ...notices.map((n) => el("p", {}, n)));
}

function typeChip(docType) {
  return el("span", { class: `chip chip-${docType}` }, TYPE_LABELS[docType] || docType);
}

function safeUrl(url) {
  return /^https?:\/\//i.test(url || "") ? url : null;
}

function docHash(docId, unitId) {
  const p = new URLSearchParams({ doc: docId });
  if (unitId) p.set("unit", unitId);
  return `#${p}`;
}

/** A link that opens a document (at one unit) in the document view. */
function docLink(docId, unitId, ...text) {
  return el("a", { href: docHash(docId, unitId), onclick: (e) => { e.preventDefault(); openDocument(docId, unitId); } }, ...text);
}

// -- API -------------------------------------------------------------------------------------
/**
 * GET `path`, or POST `body` (FormData as multipart, anything else as JSON). The answer is the
 * response's JSON, or with `file` set a download: { blob, name } (name from Content-Disposition).
 */
async function api(path, { body, file = false } = {}) {
  const headers = {};
  const token = sessionStorage.getItem(TOKEN_KEY);
  if (token) headers.Authorization = `Bearer ${token}`;
  const init = { headers };
  if (body !== undefined) {
    init.method = "POST";
    init.body = body instanceof FormData ? body : JSON.stringify(body);
    if (!(body instanceof FormData)) headers["Content-Type"] = "application/json";
  }
  let response;
  try {
    response = await fetch(path, init);
    if (file && response.ok) return { blob: await response.blob(), name: downloadName(response.headers.get("Content-Disposition")) };
  } catch {
    throw new ApiError(0, "");
  }
  let data = null;
  try {
    data = await response.json();
  } catch {
    data = null;
  }
  if (!response.ok) {
    throw new ApiError(response.status, data && typeof data.detail === "string" ? data.detail : "",
      data && typeof data.code === "string" ? data.code : "");
  }
  if (data === null) throw new ApiError(502, "");
  return data;
}

function downloadName(disposition) {
  const match = /filename\*=UTF-8''([^;]+)/i.exec(disposition || "");
  try {
    if (match) return decodeURIComponent(match[1].trim());
  } catch {
    // a malformed name: fall back to the generic one
  }
  return "类案检索报告.docx";
}

/** Hand a fetched file to the browser as a download. */
function saveFile({ blob, name }) {
  const url = URL.createObjectURL(blob);
  const link = el("a", { href: url, download: name, hidden: true });
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60000);
}

const ERROR_MESSAGES = {
  busy: "服务繁忙，请稍后重试。",
  index_unavailable: "检索库暂不可用，请联系管理员重建索引。",
  unauthorized: "需要访问令牌：请输入管理员提供的令牌后重试。",
  not_found: "未找到该文档或条文，索引可能已更新。",
  too_long: `查询过长：最多 ${MAX_QUERY_CHARS} 字，请删减后重试。`,
  empty_query: "查询内容不能为空。",
  bad_filter: "筛选条件有误，请检查类型、领域、程序、法院层级、罪名、年份后重试。",
  bad_query: "查询参数有误，请修改后重试。",
  bad_request: "查询参数有误，请修改后重试。",
  bad_report: "报告无法检索：报告中没有可检索的案件事实，或争议焦点超过5条、单条超过300字，请检查后重试。",
  bad_report_file: "报告文件无法读取：请上传 UTF-8 编码的 .docx、.md 或 .txt 文件（.doc、.wps、.pdf 请先另存为 .docx；文件不能为空或加密）。",
  bad_selection: "所选条目无法导出：可能已不在检索库中（索引已更新），请清空后重新勾选；每次最多导出100项。",
  unsupported_type: "请求格式不受支持，请刷新页面后重试。",
};
// The same codes mean something else for a report sent from the 审查报告 form.
const REPORT_MESSAGES = {
  ...ERROR_MESSAGES,
  too_long: `报告文件超过${MAX_UPLOAD_MB}MB，或报告文字超过${MAX_REPORT_CHARS / 10000}万字，请精简后重试。`,
  bad_request: "填写有误：请检查争议焦点（最多5条）、条文版本日期和每类案例数（1–50）。",
};

function errorMessage(err, messages = ERROR_MESSAGES) {
  if (!(err instanceof ApiError)) return "页面出错，请刷新后重试。";
  if (messages[err.code]) return messages[err.code];
  if (err.status === 0 || err.status >= 500) return "服务暂不可用，请稍后重试。";
  return `请求失败（${err.status}），请稍后重试。`;
}

function showStatus(text, isError = false, line = statusLine) {
  line.textContent = text;
  line.classList.toggle("error", isError);
}

function showError(err, line = statusLine, messages = ERROR_MESSAGES) {
  showStatus(errorMessage(err, messages), true, line);
  $("token-form").hidden = !(err instanceof ApiError && err.status === 401);
}

/** Run `work` with `buttons` disabled, so a slow request is not sent twice. */
async function busy(buttons, work) {
  for (const button of buttons) button.disabled = true;
  try {
    await work();
  } finally {
    for (const button of buttons) button.disabled = false;
  }
}

// -- clipboard -------------------------------------------------------------------------------
async function copyText(text) {
  if (navigator.clipboard && window.isSecureContext) {
    try {
      await navigator.clipboard.writeText(text);
      return true;
    } catch {
      // permission refused: fall through to the selection copy
    }
  }
  const area = el("textarea", { class: "clip-fallback", readonly: true, "aria-hidden": "true" });
  area.value = text;
  document.body.append(area);
  area.select();
  let ok = false;
  try {
    ok = document.execCommand("copy");
  } catch {
    ok = false;
  }
  area.remove();
  return ok;
}

function copyButton(text) {
  const button = el("button", { type: "button", class: "copy", title: "复制引用" }, "复制");
  button.addEventListener("click", async (event) => {
    event.stopPropagation();
    const ok = await copyText(text);
    button.textContent = ok ? "已复制" : "复制失败";
    button.classList.toggle("done", ok);
    setTimeout(() => {
      button.textContent = "复制";
      button.classList.remove("done");
    }, 1500);
  });
  return button;
}

// -- search form <-> URL ---------------------------------------------------------------------
function formParams() {
  const p = new URLSearchParams();
  p.set("q", queryBox.value.trim());
  for (const box of form.querySelectorAll('input[name="type"]:checked')) p.append("type", box.value);
  for (const name of ["domain", "procedure", "year_from", "year_to"]) {
    const value = $(name).value.trim();
    if (value) p.set(name, value);
  }
  for (const box of form.querySelectorAll('input[name="level"]:checked')) p.append("level", box.value);
  for (const charge of splitCharges($("charge").value)) p.append("charge", charge);
  if (!$("current_only").checked) p.set("all_versions", "true");
  if ($("sort").value !== "relevance") p.set("sort", $("sort").value);
  return p;
}

function fillForm(p, keepTyped = false) {
  // text typed while the page was still loading stays when the address holds no query
  if (!keepTyped || p.get("q") || !queryBox.value.trim()) queryBox.value = p.get("q") || "";
  const types = p.getAll("type");
  for (const box of form.querySelectorAll('input[name="type"]')) box.checked = types.includes(box.value);
  for (const name of ["domain", "procedure", "year_from", "year_to"]) $(name).value = p.get(name) || "";
  const levels = p.getAll("level");
  for (const box of form.querySelectorAll('input[name="level"]')) box.checked = levels.includes(box.value);
  $("charge").value = p.getAll("charge").join("、");
  showJudgmentFilters();
  $("current_only").checked = p.get("all_versions") !== "true";
  $("sort").value = p.get("sort") || "relevance";
  fitQueryBox();
}

/** A Chinese message for input the server would refuse, or "" when it may be sent. */
function checkParams(p) {
  const q = p.get("q") || "";
  if (!q) return "查询内容不能为空：请输入关键词、法条引用或案情事实。";
  if (q.length > MAX_QUERY_CHARS) return `查询过长：当前 ${q.length} 字，最多 ${MAX_QUERY_CHARS} 字。`;
  const years = ["year_from", "year_to"].map((name) => p.get(name));
  for (const year of years) {
    if (year && !(/^\d{4}$/.test(year) && +year >= 1949 && +year <= 2100)) return "年份应为 1949 至 2100 之间的四位数字。";
  }
  if (years[0] && years[1] && +years[0] > +years[1]) return "起始年份不能晚于截止年份。";
  const charges = p.getAll("charge");
  if (charges.some((c) => Array.from(c.replace(/罪$/, "")).length < 2)) return "罪名至少两个字，如 盗窃、故意伤害罪；多个罪名用顿号分隔。";
  if (charges.some((c) => c.length > 30)) return "罪名过长：每个罪名最多 30 字。";
  return "";
}

/** 盗窃、故意伤害罪 → ["盗窃", "故意伤害罪"]: the API takes one charge per parameter. */
function splitCharges(text) {
  return text.split(/[\s,，、;；]+/).map((c) => c.trim()).filter(Boolean);
}

function submitSearch() {
  const p = formParams();
  const problem = checkParams(p);
  if (problem) {   // stale results would look like the answer to the refused search
    renderedKey = null;
    searchSeq += 1;   // nor may a search still in flight render after the refusal
    resultsBox.replaceChildren();
    pager.hidden = true;
    showStatus(problem, true);
    return;
  }
  remember(p.get("q"));
  go(`?${p}`);
}

/** The filters of a search in words, for the 检索记录 of an export: 类型：指导性案例；领域：… */
function scopeWords(p) {
  const types = p.getAll("type").map((t) => TYPE_LABELS[t] || t);
  const parts = [`类型：${types.length ? types.join("、") : "全部"}`];
  if (p.get("domain")) parts.push(`领域：${p.get("domain")}`);
  if (p.get("procedure")) parts.push(`程序：${p.get("procedure")}`);
  const courts = p.getAll("level").filter((l) => COURT_LEVELS[l]).map((l) => COURT_LEVELS[l]);
  if (courts.length) parts.push(`法院层级：${courts.join("、")}`);
  if (p.getAll("charge").length) parts.push(`罪名：${p.getAll("charge").join("、")}`);
  if (p.get("year_from") || p.get("year_to")) parts.push(`年份：${p.get("year_from") || "不限"}–${p.get("year_to") || "不限"}`);
  parts.push(p.get("all_versions") === "true" ? "含历史版本" : "仅现行有效");
  return parts.join("；");
}

/** Results over the whole query (the type counts), not over one page. */
function totalHits(data) {
  const counts = Object.values((data.facets || {}).type || {});
  return counts.length ? counts.reduce((a, b) => a + b, 0) : (data.offset || 0) + (data.results || []).length;
}

// -- results ---------------------------------------------------------------------------------
async function runSearch(p) {
  const seq = ++searchSeq;
  const offset = Math.max(0, parseInt(p.get("offset") || "0", 10) || 0);
  const request = new URLSearchParams(p);
  request.set("k", String(PAGE_SIZE));
  showStatus("检索中…");
  $("welcome").hidden = true;
  try {
    const data = await api(`/api/search?${request}`);
    if (seq !== searchSeq) return;
    noteRun({ q: p.get("q"), scope: scopeWords(p), hits: totalHits(data) });
    renderResults(data, offset);
  } catch (err) {
    if (seq !== searchSeq) return;
    resultsBox.replaceChildren();
    pager.hidden = true;
    showError(err);
  }
}

function renderResults(data, offset) {
  const hits = data.results || [];
  $("token-form").hidden = true;
  const notices = data.notices || [];
  showFacets(data.facets || {});
  if (!hits.length) {
    showStatus("");
    resultsBox.replaceChildren(el("div", { class: "empty" },
      el("p", { class: "empty-title" }, offset ? "没有更多结果了。" : "未找到相关结果。"),
      notices.length ? noticeBox(notices) : null,
      el("p", {}, "可尝试：减少或更换关键词、取消部分筛选条件，或取消勾选“仅现行有效”以检索历史版本。")));
  } else {
    const similar = Array.from(data.query || "").length > QUESTION_CHARS && ((data.facets || {}).type || {}).judgment
      && !new URLSearchParams(location.search).get("sort");
    showStatus(`共 ${totalHits(data)} 条 · 第 ${offset + 1}–${offset + hits.length} 条 · 用时 ${Math.round(data.took_ms)} 毫秒`
      + (similar ? " · 裁判文书按与所输案情的相似程度排列" : ""));
    resultsBox.replaceChildren(...(notices.length ? [noticeBox(notices)] : []),
      ...hits.map((hit, i) => resultCard(hit, offset + i + 1)));
  }
  pager.hidden = offset === 0 && hits.length < PAGE_SIZE;
  $("prev").disabled = offset === 0;
  $("next").disabled = hits.length < PAGE_SIZE;
  $("page-no").textContent = `第 ${Math.floor(offset / PAGE_SIZE) + 1} 页`;
}

function isArticle(hit) {
  return ["statute", "rule", "other"].includes(hit.doc_type) && /^第.+条/.test(hit.unit_label);
}

function resultCard(hit, rank) {
  if (hit.doc_type === "judgment" && hit.judgment) return judgmentCard(hit, rank);
  const matchedHolding = hit.unit_id.endsWith("#holding");
  const meta = el("div", { class: "card-meta" },
    el("span", { class: "rank" }, String(rank)),
    typeChip(hit.doc_type),
    validityBadge(hit.validity, hit.standing, hit.standing_basis),
    (hit.matched_by || []).includes("citation") && el("span", { class: "chip chip-exact" }, "引用直达"),
    el("span", { class: "muted" }, [LEVEL_LABELS[hit.level], hit.batch, hit.version_date].filter(Boolean).join(" · ")),
    pickBox(hit));
  const heading = isArticle(hit) ? `${hit.title} ${hit.unit_label}` : hit.title;
  const card = el("article", { class: "card", tabindex: "0", "aria-label": heading },
    meta,
    el("h3", { class: "card-title" }, el("a", { href: docHash(hit.doc_id, hit.unit_id) }, heading)),
    el("div", { class: "citation" }, el("span", { class: "citation-text" }, hit.citation), copyButton(hit.citation)),
    hit.standing_basis && el("p", { class: "standing-basis" }, hit.standing_basis),
    !matchedHolding && holdingBlock(hit),
    hit.passage && el("div", { class: matchedHolding ? "holding" : "passage" },
      !isArticle(hit) && el("span", { class: "label" }, matchedHolding ? hit.holding_label : hit.unit_label || "命中段落"),
      el("p", {}, highlighted(hit.passage, hit.highlights))),
    hit.current && el("div", { class: "current-article" },
      el("span", { class: "label" }, "现行条文"),
      hit.current.note && el("p", { class: "current-note" }, hit.current.note),
      el("p", {}, el("a", { href: docHash(hit.current.unit_id.split("#")[0], hit.current.unit_id) }, hit.current.citation)),
      el("p", {}, hit.current.text)),
    isArticle(hit) && citedBy(hit.cited_by || [], hit.cited_by_total));
  return openable(card, hit);
}

/** A card opens its document at the hit's unit, unless a control or another link in it was used. */
function openable(card, hit) {
  const open = () => openDocument(hit.doc_id, hit.unit_id);
  card.addEventListener("click", (event) => {
    if (event.target.closest("button, details, .pick, a:not(.card-title a)") || String(window.getSelection())) return;
    event.preventDefault();
    open();
  });
  card.addEventListener("keydown", (event) => {
    if (event.key === "Enter" && event.target === card) open();
  });
  return card;
}

/** A court judgment: who decided, 案号, procedure, date, charges, the matched part, the articles
 *  applied, the case's other judgments and the circumstances it shares with the facts searched. */
function judgmentCard(hit, rank) {
  const j = hit.judgment;
  const level = COURT_LEVELS[hit.level] || (j.court_level ? `${j.court_level}人民法院` : "");
  const procedures = (j.procedures || []).join(" · ");
  const meta = el("div", { class: "card-meta" },
    el("span", { class: "rank" }, String(rank)),
    typeChip(hit.doc_type),
    level && el("span", { class: "chip chip-court" }, level),
    (hit.matched_by || []).includes("citation") && el("span", { class: "chip chip-exact" }, "引用直达"),
    el("span", { class: "muted" }, [procedures, j.date].filter(Boolean).join(" · ")),
    pickBox(hit));
  const heading = hit.title || hit.citation;
  const facts = [
    ["法院", j.court && [j.court, j.court_level ? el("span", { class: "muted" }, `（${j.court_level}）`) : ""]],
    ["案号", j.case_no],
    ["罪名", (j.charges || []).map((c) => el("span", { class: "chip chip-charge" }, c))],
    ["当事人", (j.parties || []).join("、")],
  ].filter(([, value]) => value && (!Array.isArray(value) || value.length));
  const card = el("article", { class: "card card-judgment", tabindex: "0", "aria-label": heading },
    meta,
    el("h3", { class: "card-title" }, el("a", { href: docHash(hit.doc_id, hit.unit_id) }, heading)),
    el("div", { class: "citation" }, el("span", { class: "citation-text" }, hit.citation), copyButton(hit.citation)),
    el("dl", { class: "judgment-facts" }, facts.flatMap(([name, value]) => [el("dt", {}, name), el("dd", {}, value)])),
    hit.passage && el("div", { class: "passage" },
      el("span", { class: "label" }, hit.unit_label || "命中段落"),
      el("p", {}, highlighted(hit.passage, hit.highlights))),
    (j.circumstances || []).length > 0 && el("div", { class: "judgment-line circumstances" },
      el("span", { class: "term" }, "相同情节："),
      j.circumstances.map((c) => el("span", { class: "chip chip-circumstance" }, c))),
    (j.applied || []).length > 0 && el("div", { class: "judgment-line applied" },
      el("span", { class: "term" }, "适用法条："),
      el("ul", { class: "inline-list" }, j.applied.map((a) => el("li", {},
        a.unit_id ? docLink(a.unit_id.split("#")[0], a.unit_id, a.citation)
          : el("span", { title: "本库未收录该条文" }, a.citation))))),
    (j.same_case || []).length > 0 && el("div", { class: "judgment-line same-case" },
      el("span", { class: "term" }, "同案其他文书："),
      el("ul", { class: "inline-list" }, j.same_case.map((d) => el("li", {}, docLink(d.doc_id, "", d.citation))))));
  return openable(card, hit);
}

/** The cases citing an article, then the first judgments applying it; `total` counts them all. */
function citedBy(cases, total) {
  const count = Math.max(total || 0, cases.length);
  if (!count) return el("div", { class: "cited muted" }, "被引用 0 次");
  return el("details", { class: "cited" },
    el("summary", {}, `被引用 ${count} 次`),
    el("ul", {}, cases.map((c) => el("li", {}, docLink(c.doc_id, "", [c.case_no, c.title].filter(Boolean).join(" "))))),
    count > cases.length && el("p", { class: "muted" }, `另有 ${count - cases.length} 件裁判文书未列出（列出的是法院层级较高、裁判时间较近的）`));
}

// -- results ticked for a 类案检索报告 (this browser tab only) ------------------------------------
function loadSelection() {
  try {
    const saved = JSON.parse(sessionStorage.getItem(SELECTION_KEY) || "{}");
    return { items: Array.isArray(saved.items) ? saved.items : [], runs: Array.isArray(saved.runs) ? saved.runs : [] };
  } catch {
    return { items: [], runs: [] };
  }
}

function saveSelection(selection) {
  try {
    sessionStorage.setItem(SELECTION_KEY, JSON.stringify(selection));
  } catch {
    // storage full or disabled: the ticks last until the page is left
  }
  showSelection(selection);
}

/** Record a search as run (the latest run of the same query and filters replaces earlier ones). */
function noteRun(run) {
  currentRun = run;
  const selection = loadSelection();
  selection.runs = [...selection.runs.filter((r) => r.q !== run.q || r.scope !== run.scope), run].slice(-MAX_RUNS);
  saveSelection(selection);
}

function pickBox(hit) {
  const box = el("input", { type: "checkbox", checked: loadSelection().items.some((i) => i.unit_id === hit.unit_id) });
  box.addEventListener("change", () => {
    const selection = loadSelection();
    selection.items = selection.items.filter((i) => i.unit_id !== hit.unit_id);
    if (box.checked && selection.items.length >= MAX_SELECTED) {
      box.checked = false;
      showStatus(`最多选入 ${MAX_SELECTED} 项，请先导出或清空。`, true, $("export-status"));
      return;
    }
    if (box.checked) selection.items.push({ unit_id: hit.unit_id, citation: hit.citation });
    showStatus("", false, $("export-status"));
    saveSelection(selection);
  });
  return el("label", { class: "pick", title: "选入类案检索报告" }, box, "选入报告");
}

function showSelection(selection = loadSelection()) {
  $("selection-bar").hidden = !selection.items.length;
  $("selection-count").textContent = `已选 ${selection.items.length} 项`;
  $("selection-count").title = selection.items.map((i) => i.citation).join("\n");
}

function clearSelection() {
  for (const box of resultsBox.querySelectorAll(".pick input")) box.checked = false;
  showStatus("", false, $("export-status"));
  saveSelection({ items: [], runs: currentRun ? [currentRun] : [] });
}

function exportSelection() {
  const { items, runs } = loadSelection();
  if (!items.length) return Promise.resolve();
  return downloadFile("/api/export", { units: items.map((i) => i.unit_id), queries: runs.slice(-MAX_RUNS),
    by: $("export-by").value.trim() || null, format: "docx" }, $("export-status"));
}

/** Fetch a generated file and hand it to the browser, saying how it went on `line`. */
async function downloadFile(path, body, line, messages = ERROR_MESSAGES) {
  showStatus("正在生成 Word 文件…", false, line);
  try {
    const file = await api(path, { body, file: true });
    saveFile(file);
    showStatus(`已下载：${file.name}`, false, line);
  } catch (err) {
    showError(err, line, messages);
  }
}

/** The 检索人, kept in this browser for every record; both fields show the same name. */
function rememberSearcher(name) {
  try {
    localStorage.setItem(BY_KEY, name.trim());
  } catch {
    // storage disabled: the name is still sent this time
  }
  for (const id of ["report-by", "export-by"]) $(id).value = name;
}

// -- document view ---------------------------------------------------------------------------
function openDocument(docId, unitId) {
  if (docView.hidden) {
    resultsScroll = window.scrollY;
    openedFromResults = true;
    backLabel = $("report-view").hidden ? "← 返回检索结果" : "← 返回类案检索记录";
  }
  go(`${location.pathname}${location.search}${docHash(docId, unitId)}`);
}

function closeDocument() {
  if (openedFromResults) {
    history.back();
  } else {
    go(`${location.pathname}${location.search}`);
  }
}

async function showDocument(docId, unitId) {
  showView("doc");
  docView.replaceChildren(backButton(), el("p", { class: "status" }, "加载中…"));
  let doc;
  let unit = null;
  try {
    [doc, unit] = await Promise.all([
      api(`/api/documents/${encodeURIComponent(docId)}`),
      unitId ? api(`/api/units/${encodeURIComponent(unitId)}`).catch(() => null) : null,
    ]);
  } catch (err) {
    docView.replaceChildren(backButton(), el("p", { class: "status error" }, errorMessage(err)));
    return;
  }
  const sections = [];
  let target = null;
  let lastHeading = "";
  for (const u of doc.units || []) {
    if (u.heading && u.heading !== lastHeading) {
      sections.push(el("h3", { class: "unit-heading" }, u.heading));
      lastHeading = u.heading;
    }
    const isTarget = u.unit_id === unitId;
    const node = el("section", { class: `unit unit-${u.kind}${isTarget ? " target" : ""}` },
      el("h4", { class: "unit-label" }, u.label),
      el("div", { class: "unit-text" }, (u.text || "").split(/\n+/).filter(Boolean).map((line) => el("p", {}, line))));
    if (isTarget) target = node;
    sections.push(node);
  }
  const judgment = doc.doc_type === "judgment";
  const meta = judgment
    ? [(doc.procedures || []).join(" · "), doc.version_date].filter(Boolean)
    : [doc.case_no, LEVEL_LABELS[doc.level], doc.batch, doc.version_label, doc.version_date].filter(Boolean);
  const source = safeUrl(doc.url);
  const citation = judgment && doc.court && doc.case_no ? `${doc.court}${doc.case_no}${doc.writ || ""}` : "";
  docView.replaceChildren(...[
    backButton(),
    el("header", { class: "doc-header" },
      el("div", { class: "card-meta" }, typeChip(doc.doc_type),
        judgment ? COURT_LEVELS[doc.level] && el("span", { class: "chip chip-court" }, COURT_LEVELS[doc.level])
          : validityBadge(doc.validity, doc.standing, doc.standing_basis)),
      el("h2", { class: "doc-title" }, doc.title),
      el("p", { class: "muted" }, meta.join(" · "),
        source && el("a", { href: source, target: "_blank", rel: "noopener noreferrer", class: "source" }, "原文链接")),
      citation && el("div", { class: "citation" }, el("span", { class: "citation-text" }, citation), copyButton(citation)),
      judgment && (doc.charges || []).length > 0 && el("p", { class: "term-line" }, el("span", { class: "term" }, "罪名："),
        doc.charges.map((c) => el("span", { class: "chip chip-charge" }, c))),
      judgment && (doc.parties || []).length > 0 && el("p", { class: "term-line" }, el("span", { class: "term" }, "当事人："),
        doc.parties.join("、"))),
    doc.standing_basis && el("p", { class: "standing-basis" }, doc.standing_basis),
    doc.holding_missing && noticeBox([`本库未收录该案${doc.holding_label}，请查阅原文。`]),
    versionChain(doc, unit),
    unit && unit.kind === "article" && el("div", { class: "doc-cited" }, el("span", { class: "label" }, unit.label), citedBy(unit.cited_by || [], unit.cited_by_total)),
    el("div", { class: "doc-body" }, sections),
  ].filter(Boolean));
  docView.focus({ preventScroll: true });
  if (target) {
    target.scrollIntoView({ block: "center" });
  } else {
    window.scrollTo(0, 0);
  }
}

function backButton() {
  return el("button", { type: "button", class: "back", onclick: closeDocument }, backLabel);
}

function versionChain(doc, unit) {
  const versions = unit && unit.versions && unit.versions.length ? unit.versions : doc.versions || [];
  if (!versions.length) return null;
  return el("section", { class: "versions" },
    el("h3", {}, "版本"),
    el("ol", {}, versions.map((v) => {
      const here = v.doc_id === doc.doc_id;
      const label = v.version_label || v.version_date || "未注明日期";
      return el("li", { class: here ? "here" : "" },
        here ? el("strong", {}, label) : docLink(v.doc_id, v.unit_id, label),
        v.version_date && v.version_label ? el("span", { class: "muted" }, v.version_date) : null,
        validityBadge(v.validity),
        here && el("span", { class: "muted" }, "（当前查看）"),
        unit && !v.unit_id && el("span", { class: "muted" }, "（无此条）"));
    })));
}

// -- 审查报告 → 类案检索记录 ---------------------------------------------------------------------
/** { body } for POST /api/attach (a FormData upload or JSON text), or { problem } in Chinese. */
function reportRequest() {
  const file = $("report-file").files[0];
  const text = $("report-text").value.trim();
  const issues = $("report-issues").value.split("\n").map((line) => line.trim()).filter(Boolean);
  const k = Number($("report-k").value || 5);
  const by = $("report-by").value.trim();
  const asOf = $("report-as-of").value;
  const problems = [
    [!file && !text, "请上传审查报告文件，或在文本框中粘贴报告文字。"],
    [file && text, "请只用一种方式提供报告：上传文件或粘贴文字（清空文本框，或取消所选文件）。"],
    [file && !REPORT_TYPES.some((ext) => file.name.toLowerCase().endsWith(ext)),
      "不支持该文件类型：请上传 .docx、.md 或 .txt 文件（.doc、.wps、.pdf 请先另存为 .docx）。"],
    [file && file.size > MAX_UPLOAD_MB * 1024 * 1024,
      `报告文件超过${MAX_UPLOAD_MB}MB（当前 ${file ? fileSize(file.size) : ""}），请删除图片等内容后重试。`],
    [text.length > MAX_REPORT_CHARS, `报告文字过长：最多 ${MAX_REPORT_CHARS} 字，当前 ${text.length} 字。`],
    [issues.length > MAX_ISSUES, `争议焦点最多 ${MAX_ISSUES} 条（每行一条），当前 ${issues.length} 条。`],
    [!Number.isInteger(k) || k < 1 || k > 50, "每类案例数应为 1 至 50 之间的整数。"],
  ];
  const problem = problems.find(([bad]) => bad);
  if (problem) return { problem: problem[1] };
  if (!file) return { body: { text, k, by: by || null, as_of: asOf || null, issues } };
  const body = new FormData();
  body.append("file", file);
  body.append("k", String(k));
  if (by) body.append("by", by);
  if (asOf) body.append("as_of", asOf);
  for (const issue of issues) body.append("issues", issue);
  return { body };
}

function fileSize(bytes) {
  return bytes < 1048576 ? `${Math.max(1, Math.round(bytes / 1024))}KB` : `${(bytes / 1048576).toFixed(1)}MB`;
}

function showChosenFile() {
  const file = $("report-file").files[0];
  $("report-file-name").textContent = file ? `${file.name}（${fileSize(file.size)}）` : "未选择文件";
  $("report-file").parentElement.classList.toggle("chosen", Boolean(file));
  $("clear-file").hidden = !file;
}

async function generateRecord() {
  const { problem, body } = reportRequest();
  recordBox.replaceChildren();   // a record left from other input would look like this input's
  if (problem) {
    showStatus(problem, true, reportStatus);
    return;
  }
  showStatus("正在检索并生成类案检索记录…", false, reportStatus);
  try {
    renderRecord(await api("/api/attach", { body }));
    showStatus("", false, reportStatus);
    recordBox.scrollIntoView({ block: "start" });
  } catch (err) {
    showError(err, reportStatus, REPORT_MESSAGES);
  }
}

function downloadReport(standalone) {
  const { problem, body } = reportRequest();
  if (problem) {
    showStatus(problem, true, reportStatus);
    return Promise.resolve();
  }
  return downloadFile(`/api/attach?format=docx${standalone ? "&standalone=true" : ""}`, body, reportStatus, REPORT_MESSAGES);
}

/** The record in the order of the written one (prep/sections.py): 一 说明, 二 结果, 三 运用, 法律规定, 引用核查. */
function renderRecord(r) {
  const cases = r.cases || [];
  recordBox.replaceChildren(
    el("header", { class: "record-head" }, el("h2", {}, "类案检索记录"), recordSummary(r.summary || {})),
    recordPart("一、检索说明", searchNotes(r)),
    recordPart("二、检索结果", caseTiers(cases)),
    recordPart("三、结果运用情况", referenceUse(cases)),
    recordPart("相关法律规定", articleList(r.articles || [], r.as_of)),
    recordPart("引用核查", checkList(r.checks || [])));
}

function recordPart(title, content) {
  return el("section", { class: "record-part" }, el("h3", {}, title), content);
}

function recordSummary(s) {
  return el("p", { class: "record-summary" },
    `类案 ${s.cases || 0} 件 · 法律规定 ${s.articles || 0} 条 · 核查引用 ${s.citations || 0} 处`,
    SEVERITIES.map(([key, label]) => (s[key] ? el("span", { class: `tally tally-${key}` }, `${label} ${s[key]}`) : null)));
}

function term(name, ...content) {
  return el("p", { class: "term-line" }, el("span", { class: "term" }, `${name}：`), ...content);
}

function searchNotes(r) {
  const issues = r.issues || [];
  const source = r.issues_source === "检索人提供" ? "检索人提供" : `据报告“${r.issues_source}”部分`;
  const rows = [
    ["检索主体", r.by],
    ["检索时间", (r.searched_at || "").replace("T", " ")],
    ["检索平台", (r.platform || {}).description],
    ["检索依据", r.facts_heading ? `报告“${r.facts_heading}”部分所述事实` : "报告全文",
      r.facts && el("details", { class: "facts" }, el("summary", {}, "查看所据事实"), el("p", {}, r.facts))],
    ["争议焦点", issues.length ? [`（${source}）`, el("ol", {}, issues.map((i) => el("li", {}, i)))] : "报告未列明，仅以案件事实检索。"],
    ["拟办理程序", r.procedure ? `${r.procedure}（据${r.procedure_source}）` : "报告未写明"],
    ["条文版本时点", `${r.as_of}（${r.as_of_source}），相关法律规定按该日有效的版本列出`],
    ["检索记录", el("ol", { class: "runs" }, (r.runs || []).map((run) => el("li", { title: run.query },
      `${run.purpose}：${run.method}，检索内容“${run.query.length > 80 ? `${run.query.slice(0, 80)}……` : run.query}”，命中${run.hits}件。`)))],
  ];
  return [
    el("dl", { class: "record-facts" }, rows.flatMap(([name, ...content]) => [el("dt", {}, name), el("dd", {}, ...content)])),
    ...(r.notes || []).map((note) => el("p", { class: "muted" }, `说明：${note}。`)),
  ];
}

function caseTiers(cases) {
  const tierOf = (c) => (TIERS.includes(c.tier) ? c.tier : OTHER_TIER);
  const tiers = cases.some((c) => tierOf(c) === OTHER_TIER) ? [...TIERS, OTHER_TIER] : TIERS;
  let number = 0;
  return [
    el("p", {}, cases.length ? `共检索到类案${cases.length}件，按最高检指导性案例、最高法指导性案例、典型案例的顺序排列。`
      + "是否构成类案、能否参照，由承办检察官审查判断。" : "未检索到类案。"),
    ...tiers.map((tier) => {
      const inTier = cases.filter((c) => tierOf(c) === tier);
      return el("section", { class: "tier" }, el("h4", {}, tier, el("span", { class: "muted" }, ` ${inTier.length} 件`)),
        inTier.length ? inTier.map((c) => recordCase(c, ++number)) : el("p", { class: "muted" }, "未检索到相关案例。"));
    }),
  ];
}

function referenceBadge(reference) {
  return el("span", { class: `badge badge-${REFERENCE_BADGES[reference] || "unknown"}` }, reference || "未分类");
}

function recordCase(c, number) {
  const label = c.holding_label || "";
  const listed = (name, items, sep) => (items && items.length ? term(name, `${items.join(sep)}。`) : null);
  return el("article", { class: "record-case" },
    el("div", { class: "card-meta" }, el("span", { class: "rank" }, `${number}.`), typeChip(c.doc_type), referenceBadge(c.reference)),
    el("h5", { class: "card-title" }, docLink(c.doc_id, c.unit_id, c.citation)),
    term("效力状态", validityBadge("current", c.standing), c.standing_basis ? `（${c.standing_basis}）` : ""),
    c.holding ? labelled(label, c.holding)
      : labelled(label, `本库未收录该案${label.replace(/[【】]/g, "")}，引用前请查阅原文。`, "holding holding-missing"),
    c.passage && c.matched_label !== c.holding_label && labelled(`匹配内容 ${c.matched_label}`, c.passage, "passage"),
    listed("相似之处", c.similar, "；"),
    listed("不同之处", c.differs, "；"),
    listed("检索途径", c.found_by, "、"),
    el("div", { class: "reference" }, el("span", { class: "term" }, "结果运用："), referenceBadge(c.reference),
      c.reference_basis && el("span", { class: "reference-basis" }, c.reference_basis)));
}

function referenceUse(cases) {
  const named = Object.keys(REFERENCE_BADGES).map((ref) => [ref, cases.filter((c) => c.reference === ref).map((c) => c.case_no || c.citation)]);
  return [
    ...named.filter(([, list]) => list.length).map(([ref, list]) => el("p", {}, referenceBadge(ref), ` ${list.length}件：${list.join("、")}。`)),
    el("p", { class: "muted" }, "以上为检索结果的初步分类；承办检察官应当结合案件事实和争议焦点审查是否属于类似案件，并在报告中说明参照或者参考的情况。"),
  ];
}

function articleList(articles, asOf) {
  if (!articles.length) return el("p", { class: "muted" }, "未检索到相关的法律规定。");
  return [
    el("p", { class: "muted" }, `条文按${asOf}时有效的版本列出，依法律、行政法规、司法解释的顺序，实体法在前、程序法在后（法释〔2009〕14号）。`),
    ...articles.map((a) => el("div", { class: "record-article" },
      el("p", { class: "article-title" }, docLink(a.unit_id.split("#")[0], a.unit_id, a.citation), !a.current && validityBadge("superseded")),
      el("p", { class: "article-text" }, a.text),
      !a.current && el("div", { class: "current-article" },
        el("span", { class: "label" }, "现行条文"),
        el("p", { class: "current-note" }, `该版本已被修订，${a.current_note || "请核对现行规定"}`),
        a.current_citation && el("p", {}, a.current_citation),
        a.current_text && a.current_note !== "现行条文内容未变" && el("p", {}, a.current_text)))),
  ];
}

function checkList(checks) {
  if (!checks.length) return el("p", { class: "muted" }, "报告未引用法律条文或案例。");
  const verified = checks.filter((c) => c.severity === "ok").map((c) => c.raw);
  return [
    el("p", {}, `报告引用法律条文、案例${checks.length}处，经与检索库核对。“错误”须更正，“警示”须核对或在报告中说明理由，“提示”供参考。`),
    ...SEVERITIES.map(([severity, label]) => {
      const group = checks.filter((c) => c.severity === severity);
      return group.length ? el("div", { class: `checks checks-${severity}` },
        el("h4", {}, `${label}（${group.length}处）`),
        el("ul", {}, group.map((c) => el("li", {},
          el("span", { class: "check-label" }, `【${label}】`), el("strong", {}, c.raw),
          c.section ? `（位于“${c.section}”）` : "", `：${c.message}`)))) : null;
    }),
    verified.length ? term("经核对与检索库一致", `${verified.join("；")}。`) : null,
  ];
}

// -- routing: ?q=… is the search, #doc=…&unit=… a document, #report the 审查报告 form ------------
function go(url) {
  history.pushState(null, "", url);
  route();
}

function showView(name) {
  $("search-view").hidden = name !== "search";
  $("report-view").hidden = name !== "report";
  docView.hidden = name !== "doc";
  for (const [id, view] of [["nav-search", "search"], ["nav-report", "report"]]) {
    if (view === name) $(id).setAttribute("aria-current", "page");
    else $(id).removeAttribute("aria-current");
  }
}

let routed = false;   // the first route runs once the filter options have loaded

async function route() {
  const first = !routed;
  routed = true;
  const hash = new URLSearchParams(location.hash.slice(1));
  if (hash.get("doc")) {
    await showDocument(hash.get("doc"), hash.get("unit") || "");
    return;
  }
  const returning = !docView.hidden;
  openedFromResults = false;
  docView.replaceChildren();
  if (hash.has("report")) {
    showView("report");
    window.scrollTo(0, returning ? resultsScroll : 0);
    return;
  }
  showView("search");
  const p = new URLSearchParams(location.search);
  fillForm(p, first);
  const key = p.toString();
  if (key === renderedKey) {
    window.scrollTo(0, resultsScroll);
    return;
  }
  renderedKey = key;
  if (!p.get("q")) {
    $("welcome").hidden = false;
    resultsBox.replaceChildren();
    pager.hidden = true;
    showStatus("");
    return;
  }
  await runSearch(p);
  window.scrollTo(0, 0);
}

async function loadFilterOptions() {
  try {
    const allowed = await api("/api/filters");
    for (const name of ["domain", "procedure"]) {
      const select = $(name);
      const chosen = select.value;
      const values = allowed[name] || [];
      const option = (v) => el("option", { value: v }, v);
      const judged = name === "procedure" ? values.filter((v) => JUDGMENT_PROCEDURES.includes(v)) : [];
      select.replaceChildren(el("option", { value: "" }, "全部"), ...values.filter((v) => !judged.includes(v)).map(option),
        judged.length ? el("optgroup", { label: "审理程序（裁判文书）", class: "judgment-only" }, judged.map(option)) : null);
      select.value = chosen;
    }
    // only the court levels the server accepts; the issuers' levels are not a filter on this page
    const levels = allowed.level || [];
    for (const box of form.querySelectorAll('input[name="level"]')) box.closest("label").hidden = !levels.includes(box.value);
    $("court-levels").classList.toggle("unavailable", !Object.keys(COURT_LEVELS).some((l) => levels.includes(l)));
    for (const box of form.querySelectorAll('input[name="type"]')) {
      if (!(allowed.type || []).includes(box.value)) box.closest("label").classList.add("unavailable");
    }
    showJudgmentFilters();
  } catch (err) {
    showError(err);
  }
}

/** The judgment-only filters (裁判文书, 法院层级, 罪名, the trial procedures) once the index is known to
 *  hold judgments, or while one of them is set; an index of laws and cases alone never shows them. */
function showJudgmentFilters() {
  if (!hasJudgments) {
    try {
      hasJudgments = sessionStorage.getItem(JUDGMENTS_KEY) === "1";
    } catch {
      // storage disabled: known from this page's searches only
    }
  }
  const procedure = $("procedure").value;
  const inUse = form.querySelector('input[name="type"][value="judgment"]:checked, input[name="level"]:checked')
    || $("charge").value.trim() || JUDGMENT_PROCEDURES.includes(procedure);
  const shown = Boolean(hasJudgments || inUse);
  for (const node of document.querySelectorAll(".judgment-only")) {
    node.hidden = !shown || node.classList.contains("unavailable");
  }
}

function noteJudgments(facets) {
  if (hasJudgments || !((facets.type || {}).judgment > 0)) return;
  hasJudgments = true;
  try {
    sessionStorage.setItem(JUDGMENTS_KEY, "1");
  } catch {
    // storage disabled: the filters stay for this page only
  }
  showJudgmentFilters();
}

/** Counts over all the query's results next to each filter (not over one page). */
function showFacets(facets) {
  for (const span of document.querySelectorAll(".count[data-type]")) {
    const n = (facets.type || {})[span.dataset.type] || 0;
    span.textContent = ` (${n})`;
  }
  for (const span of document.querySelectorAll(".count[data-level]")) {
    span.textContent = ` (${(facets.level || {})[span.dataset.level] || 0})`;
  }
  noteJudgments(facets);
  for (const name of ["domain", "procedure"]) {
    for (const option of $(name).options) {
      if (!option.value) continue;
      const n = (facets[name] || {})[option.value] || 0;
      option.textContent = `${option.value} (${n})`;
    }
  }
}

// -- search history (this browser only) -------------------------------------------------------
function pastSearches() {
  try {
    const list = JSON.parse(localStorage.getItem(HISTORY_KEY) || "[]");
    return Array.isArray(list) ? list.filter((q) => typeof q === "string") : [];
  } catch {
    return [];
  }
}

function remember(query) {
  const list = [query, ...pastSearches().filter((q) => q !== query)].slice(0, HISTORY_SIZE);
  try {
    localStorage.setItem(HISTORY_KEY, JSON.stringify(list));
  } catch {
    // storage full or disabled: history is a convenience, the search goes on
  }
  showHistory();
}

function showHistory() {
  const list = pastSearches();
  $("history").hidden = !list.length;
  $("history-list").replaceChildren(...list.map((q) => el("button", {
    type: "button", class: "example", title: q,
    onclick: () => { queryBox.value = q; submitSearch(); },
  }, q.length > 30 ? `${q.slice(0, 30)}…` : q)));
}

// -- wiring ----------------------------------------------------------------------------------
function fitQueryBox() {
  queryBox.style.height = "auto";
  queryBox.style.height = `${Math.min(queryBox.scrollHeight + 2, 220)}px`;
}

let composing = false;
queryBox.addEventListener("compositionstart", () => { composing = true; });
queryBox.addEventListener("compositionend", () => { composing = false; });
queryBox.addEventListener("keydown", (event) => {
  // Enter that confirms an IME candidate (拼音 → 汉字) must not submit; Shift+Enter is a newline.
  if (event.key !== "Enter" || event.shiftKey || event.isComposing || composing || event.keyCode === 229) return;
  event.preventDefault();
  submitSearch();
});
queryBox.addEventListener("input", fitQueryBox);
form.addEventListener("submit", (event) => {
  event.preventDefault();
  submitSearch();
});
form.addEventListener("change", (event) => {
  if (event.target !== queryBox && queryBox.value.trim()) submitSearch();
});
for (const button of document.querySelectorAll(".example")) {
  button.addEventListener("click", () => {
    queryBox.value = button.textContent;
    submitSearch();
  });
}
for (const [id, step] of [["prev", -PAGE_SIZE], ["next", PAGE_SIZE]]) {
  $(id).addEventListener("click", () => {
    const p = new URLSearchParams(location.search);
    const offset = Math.max(0, (parseInt(p.get("offset") || "0", 10) || 0) + step);
    if (offset) p.set("offset", String(offset)); else p.delete("offset");
    go(`?${p}`);
  });
}
$("token-form").addEventListener("submit", (event) => {
  event.preventDefault();
  sessionStorage.setItem(TOKEN_KEY, $("token").value.trim());
  $("token-form").hidden = true;
  renderedKey = null;
  loadFilterOptions().then(route);
});
window.addEventListener("popstate", route);
$("clear-history").addEventListener("click", () => {
  localStorage.removeItem(HISTORY_KEY);
  showHistory();
});
showHistory();

for (const [id, hash] of [["nav-search", ""], ["nav-report", "#report"]]) {
  $(id).addEventListener("click", (event) => {
    event.preventDefault();
    go(`${location.pathname}${location.search}${hash}`);
  });
}
const reportButtons = [...$("report-form").querySelectorAll("button")];
$("report-form").addEventListener("submit", (event) => {
  event.preventDefault();
  busy(reportButtons, generateRecord);
});
$("download-cited").addEventListener("click", () => busy(reportButtons, () => downloadReport(false)));
$("download-standalone").addEventListener("click", () => busy(reportButtons, () => downloadReport(true)));
$("report-file").addEventListener("change", showChosenFile);
$("clear-file").addEventListener("click", () => {
  $("report-file").value = "";
  showChosenFile();
});
$("export").addEventListener("click", () => busy([$("export")], exportSelection));
$("clear-selection").addEventListener("click", clearSelection);
for (const id of ["report-by", "export-by"]) $(id).addEventListener("change", () => rememberSearcher($(id).value));
try {
  rememberSearcher(localStorage.getItem(BY_KEY) || "");
} catch {
  // storage disabled: the 检索人 is typed each time
}
showSelection();

loadFilterOptions().then(route);
