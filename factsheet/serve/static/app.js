// factsheet serve: the curation app's page. Every value from the content is shown with
// textContent (never parsed as markup); every request goes to this server, with the token.
"use strict";

const TOKEN = document.querySelector('meta[name="factsheet-token"]').content;
const main = document.getElementById("main");
const state = { briefing: null, version: 0, previewVersion: 0, lastFact: null, source: null,
  selection: null, result: null, drift: null, review: null, reviewAt: 0, dragging: false };

// --- small helpers --------------------------------------------------------------------------------

function el(tag, attrs, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs || {})) {
    if (value === null || value === undefined || value === false) continue;
    if (key.startsWith("on")) node.addEventListener(key.slice(2), value);
    else if (key === "class") node.className = value;
    else node.setAttribute(key, value === true ? "" : value);
  }
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

async function api(path, body) {
  const options = body === undefined ? {} : { method: "POST", body: JSON.stringify(body),
    headers: { "Content-Type": "application/json", "X-Factsheet-Token": TOKEN } };
  const response = await fetch(path, { credentials: "same-origin", ...options });
  const data = await response.json().catch(() => ({ error: `HTTP ${response.status}` }));
  if (!response.ok) throw new Error(data.error || `HTTP ${response.status}`);
  return data;
}

// replaceChildren, skipping what is not there (null, false) and flattening lists.
function fill(node, ...children) {
  node.replaceChildren(...children.flat(Infinity).filter((c) => c !== null && c !== undefined && c !== false));
}

function debounce(fn, ms) {
  let timer = null;
  return (...args) => { clearTimeout(timer); timer = setTimeout(() => fn(...args), ms); };
}

function cut(text, n) { return text.length > n ? text.slice(0, n - 1) + "…" : text; }
function factById(id) { return state.briefing.facts.find((f) => f.id === id); }
function route() { const [tab, ...rest] = location.hash.slice(1).split("/"); return [tab || "sources", decodeURIComponent(rest.join("/"))]; }

function findingList(items, empty) {
  if (!items.length) return el("p", { class: "ok" }, empty);
  return el("ul", { class: "findings" }, items.map((d) => el("li", { class: d.severity },
    el("span", { class: "sev" }, d.severity), d.message, " ", el("span", { class: "badge" }, d.rule),
    el("span", { class: "where" }, `${d.file}:${d.line}:${d.col}`),
    d.notes.map((n) => el("span", { class: "where" }, "note: " + n)))));
}

function diffView(text) {
  return el("pre", { class: "diff", "aria-label": "the change" }, text.split("\n").map((line) => {
    const kind = line.startsWith("@@") ? "hunk" : line.startsWith("+") && !line.startsWith("+++") ? "add"
      : line.startsWith("-") && !line.startsWith("---") ? "del" : null;
    return el("span", { class: kind }, line + "\n");
  }));
}

// A save's outcome: what was written, the check's summary, the diff and an undo button.
function resultView(result, onUndone) {
  if (!result) return null;
  if (result.error) return el("div", { class: "result", role: "alert" }, el("p", { class: "alert" }, result.error));
  if (result.undone) return el("div", { class: "result" }, el("p", { class: "ok" }, `Undone: ${result.what}. ${result.summary}.`));
  const box = el("div", { class: "result" },
    el("p", {}, el("span", { class: "ok" }, result.saved ? "Saved " : "Accepted "), (result.files || []).join(", "),
      result.saved ? " (checked, written, loaded again). " : ". ", result.summary + "."),
    result.diff ? diffView(result.diff) : null);
  if (result.change) {
    box.append(el("div", { class: "row" }, el("button", { type: "button", class: "undo", onclick: async () => {
      try { const r = await api("/api/undo", { change: result.change }); onUndone(r); }
      catch (e) { onUndone({ error: e.message }); }
    } }, "Undo this change")));
  }
  return box;
}

// --- loading and polling ----------------------------------------------------------------------------

async function loadBriefing() {
  state.briefing = await api("/api/briefing");
  state.version = state.briefing.version;
  document.getElementById("title").textContent = state.briefing.title || "(content does not load)";
  const problems = state.briefing.diagnostics.length;
  const check = document.getElementById("count-check");
  check.textContent = problems || "";
  check.classList.toggle("bad", state.briefing.errors > 0);
  const drifted = state.briefing.sources.filter((s) => s.drifted).length;
  document.getElementById("count-drift").textContent = drifted || "";
  const todo = state.briefing.facts.filter((f) => f.review === "unreviewed" || f.review === "stale").length;
  document.getElementById("count-review").textContent = todo || "";
  showStatus(state.briefing.status);
}

function showStatus(status) {
  const pdf = { ready: "PDF ready", building: "PDF building…", waiting: "PDF waiting", failed: "PDF failed", off: "" }[status.pdf.state];
  const line = document.getElementById("status");
  line.textContent = state.briefing.summary + (pdf ? ` · ${pdf}` : "");
  line.title = `content version ${status.version}`;
  measureBar();
}

async function poll() {
  try {
    const status = await api("/api/status");
    // Redrawing the source text under a drag would drop the words being selected: wait until the
    // button is released (the version still differs at the next poll).
    if (status.version !== state.version && !state.dragging) {
      await loadBriefing();
      render(true);
    } else if (state.briefing) showStatus(status);
    const frame = document.querySelector("iframe.preview-frame");
    if (frame && status.preview.version !== state.previewVersion) {
      state.previewVersion = status.preview.version;
      frame.src = "/preview?v=" + status.preview.version;
    }
    const link = document.getElementById("pdf-link");
    if (link) pdfLink(link, status.pdf);
  } catch (e) { document.getElementById("status").textContent = "not connected: " + e.message; }
  setTimeout(poll, 700);
}

// --- screens ----------------------------------------------------------------------------------------

const screens = { sources: sourceScreen, facts: factScreen, check: checkScreen, preview: previewScreen,
  drift: driftScreen, review: reviewScreen };

function render(refresh) {
  if (!state.briefing) return;
  const [tab, arg] = route();
  for (const a of document.querySelectorAll("#tabs a")) {
    if (a.dataset.tab === tab) a.setAttribute("aria-current", "page"); else a.removeAttribute("aria-current");
  }
  (screens[tab] || sourceScreen)(arg, refresh);
}

// Sources: the text exactly as pinned, its citations marked, a selection made into a citation.
async function sourceScreen(id, refresh) {
  const sources = state.briefing.sources;
  if (!sources.length) { fill(main, el("p", { class: "empty" }, "No source can be read; see Check.")); return; }
  id = id || (state.source && state.source.id) || sources[0].id;
  const keepPanel = refresh && state.source && state.source.id === id;
  const before = state.source;
  state.source = await api("/api/source?id=" + encodeURIComponent(id));
  // A redraw of the same text keeps the words selected in it, located or not yet.
  const same = keepPanel && before.text === state.source.text;
  const shown = document.getElementById("source-text");
  const held = same && shown ? selectionOffsets(shown) : null;
  const picker = el("select", { id: "source-picker", "aria-label": "Source", onchange: (e) => { location.hash = "#sources/" + encodeURIComponent(e.target.value); } },
    sources.map((s) => el("option", { value: s.id, selected: s.id === id }, `${s.name}${s.name !== s.title ? " — " + cut(s.title, 60) : ""}${s.drifted ? " (changed)" : ""}`)));
  const s = state.source;
  const head = el("div", { class: "picker" }, picker,
    el("span", { class: "hint" }, `${s.file} · ${s.length} characters · ${s.citations.length} citations`),
    s.drifted ? el("a", { class: "drifted", href: "#drift" }, "changed since pinned: see Drift") : null);
  const text = sourceText(s);
  const panel = el("aside", { class: "card", id: "cite-panel", "aria-live": "polite" });
  fill(main, head, el("div", { class: "split" }, el("div", {}, text), panel));
  if (!keepPanel) { state.selection = null; state.result = null; }
  if (same && state.selection) selectUtf16(text, ...state.selection.utf16);
  if (held && !(state.selection && held[0] === state.selection.utf16[0] && held[1] === state.selection.utf16[1])) {
    const range = rangeAt(text, ...held);
    if (range) showRange(range);
  }
  drawPanel();
}

function sourceText(s) {
  // Code point offsets from the server, UTF-16 positions in the page: map every boundary once.
  const cuts = new Set([0, s.length]);
  for (const r of [...s.furniture, ...s.citations]) { cuts.add(r.start); cuts.add(r.end); }
  const points = [...cuts].sort((a, b) => a - b);
  const utf16 = new Map();
  let cp = 0, unit = 0, k = 0;
  for (const ch of s.text) {
    while (k < points.length && points[k] === cp) { utf16.set(points[k], unit); k++; }
    cp++; unit += ch.length;
  }
  while (k < points.length) { utf16.set(points[k], unit); k++; }
  const pre = el("pre", { class: "source", id: "source-text", lang: "und", "data-source": s.id });
  for (let i = 0; i + 1 < points.length; i++) {
    const a = points[i], b = points[i + 1];
    const piece = s.text.slice(utf16.get(a), utf16.get(b));
    const furniture = s.furniture.some((f) => f.start <= a && b <= f.end);
    const cites = s.citations.filter((c) => c.start <= a && b <= c.end);
    if (!cites.length && !furniture) { pre.append(document.createTextNode(piece)); continue; }
    const title = cites.map((c) => `[${c.number}] ${c.fact || c.disagreement}: ${c.statement}`).join("\n");
    const node = el(cites.length ? "mark" : "span", {
      class: [cites.length ? "cited" : "", cites.length > 1 ? "many" : "", furniture ? "furniture" : ""].join(" ").trim(),
      title: furniture && !cites.length ? "page furniture: not citable" : title,
      "data-facts": cites.map((c) => c.fact).filter(Boolean).join(" ") || null }, piece);
    pre.append(node);
  }
  pre.addEventListener("pointerdown", () => { state.dragging = true; });
  pre.addEventListener("click", (e) => {
    const mark = e.target.closest("mark.cited");
    if (mark && document.getSelection().isCollapsed) { state.citedBy = mark.dataset.facts; state.selection = null; drawPanel(); }
  });
  return pre;
}

function selectionOffsets(pre) {
  const sel = document.getSelection();
  if (!sel.rangeCount || sel.isCollapsed) return null;
  const range = sel.getRangeAt(0);
  if (!pre.contains(range.startContainer) || !pre.contains(range.endContainer)) return null;
  const upTo = (node, offset) => { const r = document.createRange(); r.setStart(pre, 0); r.setEnd(node, offset); return r.toString().length; };
  return [upTo(range.startContainer, range.startOffset), upTo(range.endContainer, range.endOffset)];
}

function rangeAt(pre, start, end) {
  // UTF-16 positions in the text as a range over its text nodes, or null past its end.
  const walker = document.createTreeWalker(pre, NodeFilter.SHOW_TEXT);
  let pos = 0, node, a = null, b = null;
  while ((node = walker.nextNode())) {
    const len = node.data.length;
    if (a === null && start <= pos + len) a = [node, start - pos];
    if (b === null && end <= pos + len) { b = [node, end - pos]; break; }
    pos += len;
  }
  if (!a || !b) return null;
  const range = document.createRange();
  range.setStart(...a); range.setEnd(...b);
  return range;
}

function showRange(range) {
  document.getSelection().removeAllRanges();
  document.getSelection().addRange(range);
}

function selectUtf16(pre, start, end) {
  // Show the browser's selection as the span that will be cited (snapped to whole characters).
  const range = rangeAt(pre, start, end);
  if (!range) return;
  // Marked apart from the browser's selection, so it stays visible while the form is filled in.
  if (window.CSS && CSS.highlights && window.Highlight) CSS.highlights.set("pending", new Highlight(range.cloneRange()));
  state.programmatic = [start, end];
  showRange(range);
}

const onSelection = debounce(async () => {
  const pre = document.getElementById("source-text");
  if (!pre || !state.source) return;
  const offsets = selectionOffsets(pre);
  if (!offsets) return;
  if (state.programmatic && offsets[0] === state.programmatic[0] && offsets[1] === state.programmatic[1]) return;
  if (state.selection && offsets[0] === state.selection.utf16[0] && offsets[1] === state.selection.utf16[1]) return;
  try {
    state.selection = await api("/api/locate", { source: state.source.id, start: offsets[0], end: offsets[1], units: "utf16" });
    state.result = null; state.citedBy = null;
    selectUtf16(pre, ...state.selection.utf16);
  } catch (e) { state.selection = null; state.result = { error: e.message }; }
  drawPanel();
}, 200);
document.addEventListener("selectionchange", onSelection);
for (const end of ["pointerup", "pointercancel"]) document.addEventListener(end, () => { state.dragging = false; });
window.addEventListener("blur", () => { state.dragging = false; });

function drawPanel() {
  const panel = document.getElementById("cite-panel");
  if (!panel) return;
  const sel = state.selection;
  const parts = [];
  if (state.citedBy) {
    parts.push(el("h2", {}, "Cited by"), el("ul", {}, state.citedBy.split(" ").map((id) => {
      const f = factById(id);
      return el("li", {}, el("a", { href: "#facts/" + encodeURIComponent(id) }, id), f ? ": " + f.statement : "");
    })));
  }
  if (!sel) {
    if (window.CSS && CSS.highlights) CSS.highlights.delete("pending");
    const next = state.lastFact && factById(state.lastFact) ? ` Words you select next are added to fact '${state.lastFact}' unless you choose another.` : "";
    if (!state.citedBy) parts.push(el("h2", {}, "Cite"), el("p", { class: "hint" }, "Select words in the source to cite them. Marked words are cited already (hover to see the fact); grey words are page furniture." + next));
    fill(panel, ...parts, resultView(state.result, undone));
    return;
  }
  const dl = el("dl", { class: "facts-of-span" },
    el("dt", {}, "Span"), el("dd", { id: "span" }, `${sel.start}–${sel.end}`, el("span", { class: "hint" }, ` (${sel.end - sel.start} characters)`)),
    el("dt", {}, "Quote"), el("dd", {}, el("span", { class: "quote", id: "quote" }, sel.quote)),
    el("dt", {}, "Prefix"), el("dd", { id: "prefix" }, sel.prefix === null ? el("span", { class: "hint" }, "not needed") : el("span", { class: "quote" }, sel.prefix)),
    el("dt", {}, "Suffix"), el("dd", { id: "suffix" }, sel.suffix === null ? el("span", { class: "hint" }, "not needed") : el("span", { class: "quote" }, sel.suffix)),
    sel.offsets ? [el("dt", {}, "Offsets"), el("dd", {}, "written too (no nearby words single it out)")] : null);
  parts.push(el("h2", {}, "Cite these words"), dl,
    sel.warnings.length ? el("ul", { class: "findings", id: "selection-warnings" }, sel.warnings.map((w) => el("li", { class: "warning" }, el("span", { class: "sev" }, "warning"), w))) : null,
    citeForm(sel));
  fill(panel, ...parts, resultView(state.result, undone));
}

function citeForm(sel) {
  const b = state.briefing;
  const existing = state.lastFact && factById(state.lastFact) ? state.lastFact : null;
  const mode = state.mode || (existing ? "add" : "new");
  const facts = el("select", { id: "cite-fact", "aria-label": "Fact" }, b.facts.map((f) =>
    el("option", { value: f.id, selected: f.id === existing }, `${f.id} — ${cut(f.statement, 70)}`)));
  const files = el("select", { id: "new-file" }, b.files.map((f) => el("option", { value: f }, f)), el("option", { value: "" }, "a new file…"));
  const newName = el("input", { type: "text", id: "new-file-name", placeholder: "facts/new-file.yaml", hidden: true });
  files.addEventListener("change", () => { newName.hidden = files.value !== ""; });
  const fresh = el("div", { id: "new-fact", hidden: mode !== "new" },
    el("label", { for: "new-id" }, "New fact id"), el("input", { type: "text", id: "new-id", placeholder: "e.g. vote-turnout", autocomplete: "off" }),
    el("label", { for: "new-section" }, "Section"), el("select", { id: "new-section" }, b.sections.map((s) => el("option", { value: s.id }, s.title))),
    el("label", { for: "new-statement" }, "Statement"), el("textarea", { id: "new-statement", rows: 3 }),
    el("label", { for: "new-file" }, "File"), files, newName);
  const pick = el("div", { id: "add-fact", hidden: mode !== "add" }, el("label", { for: "cite-fact" }, "Fact"), facts);
  const radio = (value, text) => el("label", {}, el("input", { type: "radio", name: "mode", value, checked: mode === value,
    onchange: () => { state.mode = value; pick.hidden = value !== "add"; fresh.hidden = value !== "new"; button.textContent = value === "add" ? "Add to fact" : "Start new fact"; } }), text);
  const button = el("button", { type: "submit", class: "primary", id: "cite-button" }, mode === "add" ? "Add to fact" : "Start new fact");
  const form = el("form", { id: "cite-form", onsubmit: async (e) => {
    e.preventDefault();
    button.disabled = true;
    const body = { source: sel.source, start: sel.start, end: sel.end };
    if ((state.mode || mode) === "add") body.fact = facts.value;
    else body.new = { id: fresh.querySelector("#new-id").value, section: fresh.querySelector("#new-section").value,
      statement: fresh.querySelector("#new-statement").value, file: files.value || newName.value };
    try {
      const r = await api("/api/cite", body);
      state.lastFact = body.fact || body.new.id; state.mode = "add";
      state.result = r; state.selection = null;
      document.getSelection().removeAllRanges();
      await loadBriefing(); await sourceScreen(sel.source, true);
    } catch (err) { state.result = { error: err.message }; button.disabled = false; drawPanel(); }
  } }, el("div", { class: "choice", role: "radiogroup" }, radio("add", "Add to a fact"), radio("new", "Start a new fact")), pick, fresh, el("div", { class: "row" }, button));
  return form;
}

async function undone(r) {
  state.result = r;
  await loadBriefing();
  render(true);
}

// Facts: statement and section editable, the check's findings and the rendered fact live.
function factScreen(id, refresh) {
  const b = state.briefing;
  id = id || (b.facts[0] && b.facts[0].id);
  const fact = factById(id);
  const editor = document.getElementById("statement");
  if (refresh && editor && editor.dataset.fact === id && editor.value !== editor.dataset.saved) return; // typing: keep it
  const problems = (fid) => b.diagnostics.filter((d) => d.fact === fid);
  const list = el("nav", { class: "card", "aria-label": "Facts" }, b.sections.map((s) => [el("h3", {}, s.title),
    el("ul", { class: "fact-list" }, b.facts.filter((f) => f.section === s.id).map((f) => {
      const ds = problems(f.id);
      const worst = ds.some((d) => d.severity === "error") ? "error" : ds.length ? "warning" : null;
      return el("li", {}, el("a", { href: "#facts/" + encodeURIComponent(f.id), "aria-current": f.id === id ? "true" : null },
        el("span", { class: "id" }, f.id, worst ? el("span", { class: "badge " + worst }, ds.length) : null), cut(f.statement, 110)));
    }))]));
  if (!fact) { fill(main, el("div", { class: "split" }, list, el("aside", { class: "card" }, el("p", { class: "empty" }, "No fact selected.")))); return; }
  const statement = el("textarea", { id: "statement", rows: 4, "data-fact": fact.id, "data-saved": fact.statement });
  statement.value = fact.statement;
  const section = el("select", { id: "section" }, b.sections.map((s) => el("option", { value: s.id, selected: s.id === fact.section }, s.title)));
  const findings = el("div", { id: "findings" }, findingList(problems(fact.id), "No findings: the check passes for this fact."));
  const rendered = el("div", { class: "rendered", id: "rendered" }, el("span", { class: "hint" }, "Edit the statement to see how it will read."));
  const result = el("div", { id: "fact-result" }, resultView(state.factResult && state.factResult.fact === id ? state.factResult.result : null, factUndone));
  const save = el("button", { type: "submit", class: "primary", id: "save-fact" }, "Save");
  const tryIt = debounce(async () => {
    try {
      const r = await api("/api/fact", { id: fact.id, statement: statement.value, section: section.value, dry_run: true });
      fill(findings, findingList(r.findings, "No findings: the check passes for this fact."));
      // The fact's paragraph as the web page renders it (the template escapes every value).
      if (r.rendered) rendered.innerHTML = r.rendered; else fill(rendered, el("span", { class: "hint" }, "Not rendered: a citation does not resolve."));
    } catch (e) { fill(findings, el("p", { class: "alert" }, e.message)); }
  }, 250);
  statement.addEventListener("input", tryIt);
  section.addEventListener("change", tryIt);
  const form = el("form", { class: "card", id: "fact-form", onsubmit: async (e) => {
    e.preventDefault(); save.disabled = true;
    try {
      const r = await api("/api/fact", { id: fact.id, statement: statement.value, section: section.value });
      state.factResult = { fact: fact.id, result: r };
    } catch (err) { state.factResult = { fact: fact.id, result: { error: err.message } }; }
    await loadBriefing(); factScreen(fact.id, false);
  } },
    el("h2", {}, fact.id), el("p", { class: "hint" }, `${fact.file}:${fact.line} · ${fact.review}${fact.single_source ? " · single source" : ""}`),
    el("label", { for: "statement" }, "Statement"), statement,
    el("label", { for: "section" }, "Section"), section,
    el("div", { class: "row" }, save),
    el("h3", {}, "As it will read"), rendered,
    el("h3", {}, "Findings"), findings,
    el("h3", {}, "Citations"), el("ol", { class: "citations" }, fact.citations.map((c) => el("li", {},
      el("a", { href: "#sources/" + encodeURIComponent(c.source) }, c.source), c.resolved ? ` ${c.start}–${c.end}: ` : " (does not resolve): ",
      el("span", { class: "quote" }, c.resolved ? c.text : c.quote)))),
    result);
  fill(main, el("div", { class: "split" }, form, list));
  tryIt();
}

async function factUndone(r) {
  const [, id] = route();
  state.factResult = { fact: id, result: r };
  await loadBriefing(); factScreen(id, false);
}

function checkScreen() {
  const b = state.briefing;
  fill(main, el("div", { class: "card" }, el("h2", {}, "Check"), el("p", {}, b.summary),
    findingList(b.diagnostics, "No problems: factsheet check passes."),
    el("p", { class: "hint" }, "The same findings as factsheet check, updated on every save.")));
  for (const li of main.querySelectorAll("ul.findings li")) {
    const d = b.diagnostics[[...li.parentNode.children].indexOf(li)];
    if (d.fact) li.append(el("a", { href: "#facts/" + encodeURIComponent(d.fact) }, "open fact " + d.fact));
  }
}

function pdfLink(link, pdf) {
  const ready = pdf.state === "ready" || (pdf.state !== "off" && pdf.version > 0);
  link.toggleAttribute("hidden", !ready);
  const note = document.getElementById("pdf-state");
  if (note) note.textContent = { ready: "PDF ready.", building: "Building the PDF…", waiting: "The PDF is built once changes settle.", failed: "PDF failed: " + pdf.error, off: "" }[pdf.state] + (pdf.current || pdf.state === "off" ? "" : ready ? " (of an earlier version)" : "");
}

async function previewScreen() {
  const status = await api("/api/status");
  state.previewVersion = status.preview.version;
  const link = el("a", { id: "pdf-link", href: "/briefing.pdf", download: "briefing.pdf", hidden: true }, "Download the PDF");
  fill(main, el("div", { class: "picker" },
    el("span", {}, status.preview.current ? `The web page of version ${status.preview.version}, rendered in ${status.preview.seconds.toFixed(2)} s.`
      : "The content has errors: this is the page of the last version without errors."), link, el("span", { id: "pdf-state", class: "hint" })),
  el("iframe", { class: "preview-frame", title: "Preview of the web page", src: "/preview?v=" + status.preview.version,
    sandbox: "allow-scripts allow-popups allow-popups-to-escape-sandbox" }));
  pdfLink(link, status.pdf);
}

async function driftScreen() {
  const d = await api("/api/drift");
  const parts = [el("h2", {}, "Changed sources")];
  if (!d.sources.length) parts.push(el("p", { class: "ok" }, "No source has changed since it was pinned."));
  for (const s of d.sources) {
    const all = el("button", { type: "button", onclick: () => accept({ source: s.id, all: true }) }, "Accept every placed one");
    parts.push(el("h3", {}, `${s.name} (${s.id})`), el("table", { class: "proposals" },
      el("thead", {}, el("tr", {}, ["Citation", "Was", "Now", "How", "Words now", ""].map((h) => el("th", {}, h)))),
      el("tbody", {}, s.proposals.map((p) => el("tr", {},
        el("td", {}, el("span", { class: "where" }, p.place), el("span", { class: "quote" }, p.quote)),
        el("td", { "data-label": "Was" }, p.old ? `${p.old[0]}–${p.old[1]}` : "no offsets"),
        el("td", { "data-label": "Now" }, p.new ? `${p.new[0]}–${p.new[1]}` : el("span", { class: "alert" }, "not placed")),
        el("td", { "data-label": "How" }, p.new ? `${p.method}, ${p.score}%` : `best ${p.score}%`),
        el("td", { "data-label": "Words now" }, el("span", { class: "quote" }, p.text)),
        el("td", {}, p.accepted ? el("span", { class: "ok" }, "accepted") : p.new ? el("button", { type: "button", class: "small accept", onclick: () => accept({ source: s.id, n: p.n }) }, "Accept") : "fix by hand"))))),
    el("div", { class: "row" }, all));
  }
  parts.push(el("div", { id: "drift-result" }, resultView(state.result, async (r) => { state.result = r; await loadBriefing(); driftScreen(); })));
  fill(main, el("div", { class: "card" }, parts));
}

async function accept(body) {
  try { state.result = await api("/api/drift/accept", body); } catch (e) { state.result = { error: e.message }; }
  await loadBriefing(); driftScreen();
}

async function reviewScreen() {
  const r = await api("/api/review");
  const reviewer = el("input", { type: "text", id: "reviewer", autocomplete: "name", value: localStorage.getItem("factsheet-reviewer") || "" });
  reviewer.addEventListener("change", () => localStorage.setItem("factsheet-reviewer", reviewer.value));
  const parts = [el("h2", {}, "Review"), el("p", {}, `${r.to_review} of ${r.total} facts not reviewed (or changed since).`),
    el("label", { for: "reviewer" }, "Reviewer"), reviewer];
  state.reviewAt = Math.min(state.reviewAt, Math.max(0, r.facts.length - 1));
  const f = r.facts[state.reviewAt];
  if (!f) parts.push(el("p", { class: "ok" }, "Every fact is reviewed."));
  else {
    const note = el("input", { type: "text", id: "review-note", placeholder: "optional note" });
    const verdict = (v, text) => el("button", { type: "button", class: v === "supported" ? "primary" : "", "data-verdict": v, onclick: async () => {
      try { state.result = await api("/api/review", { fact: f.id, reviewer: reviewer.value, verdict: v, note: note.value }); }
      catch (e) { state.result = { error: e.message }; }
      await loadBriefing(); reviewScreen();
    } }, text);
    parts.push(el("h3", {}, `${state.reviewAt + 1} of ${r.facts.length}: ${f.id}`), el("p", { class: "rendered" }, f.statement),
      findingList(f.findings, "No findings."),
      f.passages.map((p) => [el("p", { class: "hint" }, `[${p.number}] ${p.name}${p.resolved ? `, ${p.start}–${p.end}` : ": does not resolve"}`),
        p.resolved ? el("blockquote", { class: "passage" }, p.cut_before ? "… " : "", p.before, el("mark", {}, p.text), p.after, p.cut_after ? " …" : "") : null]),
      el("label", { for: "review-note" }, "Note"), note,
      el("div", { class: "row verdicts" }, verdict("supported", "Supported"), verdict("partly", "Partly"), verdict("unsupported", "Unsupported"),
        el("button", { type: "button", onclick: () => { state.reviewAt = (state.reviewAt + 1) % r.facts.length; state.result = null; reviewScreen(); } }, "Skip")));
  }
  parts.push(resultView(state.result, async (x) => { state.result = x; await loadBriefing(); reviewScreen(); }));
  fill(main, el("div", { class: "card" }, parts));
}

// The sticky panel sits below the bar, whatever the bar's height (it wraps on a phone).
function measureBar() { document.documentElement.style.setProperty("--bar", document.querySelector(".bar").offsetHeight + "px"); }
window.addEventListener("resize", measureBar);
measureBar();

window.addEventListener("hashchange", () => { state.result = null; render(false); });
loadBriefing().then(() => { render(false); poll(); }).catch((e) => { fill(main, el("p", { class: "alert" }, e.message)); });
