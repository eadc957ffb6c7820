// 类案检索 page. Every piece of corpus text reaches the DOM through text nodes (el/highlighted):
// the sources contain stray HTML, so nothing from the API is ever parsed as markup.
"use strict";

const MAX_QUERY_CHARS = 10000;
const PAGE_SIZE = 10;
const TOKEN_KEY = "leian-api-token";
const HISTORY_KEY = "leian-history";   // localStorage only: past searches never go to the server
const HISTORY_SIZE = 10;
const TYPE_LABELS = { statute: "法律法规", rule: "办案规则", guiding_case: "指导性案例", typical_case: "典型案例", other: "其他" };
const VALIDITY = { current: ["现行有效", "valid"], superseded: ["已被修订", "superseded"], unknown: ["效力未知", "unknown"] };
// A case's own standing replaces the statute wording: a withdrawn case is not "amended".
const STANDING = { not_referenced: ["不再参照", "superseded"], replaced: ["被新案例取代", "superseded"] };
const LEVEL_LABELS = {
  law: "法律", judicial_interpretation: "司法解释", administrative_regulation: "行政法规",
  procuratorate_rule: "检察工作规定", departmental_rule: "部门规章", local_regulation: "地方性法规",
  spp: "最高人民检察院", spc: "最高人民法院", other: "",
};

const $ = (id) => document.getElementById(id);
const form = $("search-form");
const queryBox = $("q");
const statusLine = $("status");
const resultsBox = $("results");
const pager = $("pager");
const docView = $("doc-view");

let renderedKey = null;    // the search whose results are in the DOM, so "back" need not refetch
let searchSeq = 0;         // only the latest search may render
let resultsScroll = 0;
let openedFromResults = false;

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

function holdingBlock(hit) {
  if (hit.holding) return el("div", { class: "holding" }, el("span", { class: "label" }, hit.holding_label), el("p", {}, hit.holding));
  if (hit.holding_missing) {
    return el("div", { class: "holding holding-missing" },
      el("span", { class: "label" }, hit.holding_label), el("p", {}, `本库未收录该案${hit.holding_label}，请查阅原文。`));
  }
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

// -- API -------------------------------------------------------------------------------------
async function api(path) {
  const headers = {};
  const token = sessionStorage.getItem(TOKEN_KEY);
  if (token) headers.Authorization = `Bearer ${token}`;
  let response;
  try {
    response = await fetch(path, { headers });
  } catch {
    throw new ApiError(0, "");
  }
  let body = null;
  try {
    body = await response.json();
  } catch {
    body = null;
  }
  if (!response.ok) {
    throw new ApiError(response.status, body && typeof body.detail === "string" ? body.detail : "",
      body && typeof body.code === "string" ? body.code : "");
  }
  if (body === null) throw new ApiError(502, "");
  return body;
}

const ERROR_MESSAGES = {
  busy: "服务繁忙，请稍后重试。",
  index_unavailable: "检索库暂不可用，请联系管理员重建索引。",
  unauthorized: "需要访问令牌：请输入管理员提供的令牌后重试。",
  not_found: "未找到该文档或条文，索引可能已更新。",
  too_long: `查询过长：最多 ${MAX_QUERY_CHARS} 字，请删减后重试。`,
  empty_query: "查询内容不能为空。",
  bad_filter: "筛选条件有误，请检查类型、领域、程序、年份后重试。",
  bad_query: "查询参数有误，请修改后重试。",
  bad_request: "查询参数有误，请修改后重试。",
};

function errorMessage(err) {
  if (!(err instanceof ApiError)) return "页面出错，请刷新后重试。";
  if (ERROR_MESSAGES[err.code]) return ERROR_MESSAGES[err.code];
  if (err.status === 0 || err.status >= 500) return "服务暂不可用，请稍后重试。";
  return `请求失败（${err.status}），请稍后重试。`;
}

function showStatus(text, isError = false) {
  statusLine.textContent = text;
  statusLine.classList.toggle("error", isError);
}

function showError(err) {
  showStatus(errorMessage(err), true);
  $("token-form").hidden = !(err instanceof ApiError && err.status === 401);
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
  if (!$("current_only").checked) p.set("all_versions", "true");
  if ($("sort").value !== "relevance") p.set("sort", $("sort").value);
  return p;
}

function fillForm(p) {
  queryBox.value = p.get("q") || "";
  const types = p.getAll("type");
  for (const box of form.querySelectorAll('input[name="type"]')) box.checked = types.includes(box.value);
  for (const name of ["domain", "procedure", "year_from", "year_to"]) $(name).value = p.get(name) || "";
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
  return "";
}

function submitSearch() {
  const p = formParams();
  const problem = checkParams(p);
  if (problem) {   // stale results would look like the answer to the refused search
    renderedKey = null;
    resultsBox.replaceChildren();
    pager.hidden = true;
    showStatus(problem, true);
    return;
  }
  remember(p.get("q"));
  history.pushState(null, "", `?${p}`);
  route();
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
    showStatus(`第 ${offset + 1}–${offset + hits.length} 条 · 用时 ${Math.round(data.took_ms)} 毫秒`);
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
  const matchedHolding = hit.unit_id.endsWith("#holding");
  const meta = el("div", { class: "card-meta" },
    el("span", { class: "rank" }, String(rank)),
    typeChip(hit.doc_type),
    validityBadge(hit.validity, hit.standing, hit.standing_basis),
    (hit.matched_by || []).includes("citation") && el("span", { class: "chip chip-exact" }, "引用直达"),
    el("span", { class: "muted" }, [LEVEL_LABELS[hit.level], hit.batch, hit.version_date].filter(Boolean).join(" · ")));
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
    isArticle(hit) && citedBy(hit.cited_by || []));
  const open = () => openDocument(hit.doc_id, hit.unit_id);
  card.addEventListener("click", (event) => {
    if (event.target.closest("button, details, a:not(.card-title a)") || String(window.getSelection())) return;
    event.preventDefault();
    open();
  });
  card.addEventListener("keydown", (event) => {
    if (event.key === "Enter" && event.target === card) open();
  });
  return card;
}

function citedBy(cases) {
  if (!cases.length) return el("div", { class: "cited muted" }, "被引用 0 次");
  return el("details", { class: "cited" },
    el("summary", {}, `被引用 ${cases.length} 次`),
    el("ul", {}, cases.map((c) => el("li", {},
      el("a", { href: docHash(c.doc_id, ""), onclick: (e) => { e.preventDefault(); openDocument(c.doc_id, ""); } },
        [c.case_no, c.title].filter(Boolean).join(" "))))));
}

// -- document view ---------------------------------------------------------------------------
function openDocument(docId, unitId) {
  if (docView.hidden) {
    resultsScroll = window.scrollY;
    openedFromResults = true;
  }
  history.pushState(null, "", `${location.pathname}${location.search}${docHash(docId, unitId)}`);
  route();
}

function closeDocument() {
  if (openedFromResults) {
    history.back();
  } else {
    history.pushState(null, "", `${location.pathname}${location.search}`);
    route();
  }
}

async function showDocument(docId, unitId) {
  $("search-view").hidden = true;
  docView.hidden = false;
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
  const meta = [doc.case_no, LEVEL_LABELS[doc.level], doc.batch, doc.version_label, doc.version_date].filter(Boolean);
  const source = safeUrl(doc.url);
  docView.replaceChildren(...[
    backButton(),
    el("header", { class: "doc-header" },
      el("div", { class: "card-meta" }, typeChip(doc.doc_type), validityBadge(doc.validity, doc.standing, doc.standing_basis)),
      el("h2", { class: "doc-title" }, doc.title),
      el("p", { class: "muted" }, meta.join(" · "),
        source && el("a", { href: source, target: "_blank", rel: "noopener noreferrer", class: "source" }, "原文链接"))),
    doc.standing_basis && el("p", { class: "standing-basis" }, doc.standing_basis),
    doc.holding_missing && noticeBox([`本库未收录该案${doc.holding_label}，请查阅原文。`]),
    versionChain(doc, unit),
    unit && unit.kind === "article" && el("div", { class: "doc-cited" }, el("span", { class: "label" }, unit.label), citedBy(unit.cited_by || [])),
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
  return el("button", { type: "button", class: "back", onclick: closeDocument }, "← 返回检索结果");
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
        here ? el("strong", {}, label)
          : el("a", { href: docHash(v.doc_id, v.unit_id), onclick: (e) => { e.preventDefault(); openDocument(v.doc_id, v.unit_id); } }, label),
        v.version_date && v.version_label ? el("span", { class: "muted" }, v.version_date) : null,
        validityBadge(v.validity),
        here && el("span", { class: "muted" }, "（当前查看）"),
        unit && !v.unit_id && el("span", { class: "muted" }, "（无此条）"));
    })));
}

// -- routing ---------------------------------------------------------------------------------
async function route() {
  const hash = new URLSearchParams(location.hash.slice(1));
  if (hash.get("doc")) {
    await showDocument(hash.get("doc"), hash.get("unit") || "");
    return;
  }
  openedFromResults = false;
  docView.hidden = true;
  docView.replaceChildren();
  $("search-view").hidden = false;
  const p = new URLSearchParams(location.search);
  fillForm(p);
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
      select.replaceChildren(el("option", { value: "" }, "全部"), ...(allowed[name] || []).map((v) => el("option", { value: v }, v)));
      select.value = chosen;
    }
  } catch (err) {
    showError(err);
  }
}

/** Counts over all the query's results next to each filter (not over one page). */
function showFacets(facets) {
  for (const span of document.querySelectorAll(".count[data-type]")) {
    const n = (facets.type || {})[span.dataset.type] || 0;
    span.textContent = ` (${n})`;
  }
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
    history.pushState(null, "", `?${p}`);
    route();
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

loadFilterOptions().then(route);
