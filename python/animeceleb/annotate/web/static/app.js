// animeceleb annotate: one model at a time; every target with its source morph, the neutral
// and the applied image side by side; accept / reassign / reject saved at once.
"use strict";

const state = { models: [], current: null, model: null, row: 0, picker: null };
const $ = (sel, root = document) => root.querySelector(sel);

function status(text, error = false) {
  const el = $("#status");
  el.textContent = text;
  el.className = error ? "error" : "";
}

async function api(path, body) {
  const opts = body === undefined ? {} : {
    method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body),
  };
  const res = await fetch(path, opts);
  const data = await res.json();
  if (!res.ok) throw new Error(data.error || res.statusText);
  return data;
}

function imageUrl(id, morph) {
  return `/api/image?id=${encodeURIComponent(id)}&morph=${morph === null ? "neutral" : morph}`;
}

// show crop box [x, y, w, h] of a size x size image in a thumbnail div
function setThumb(el, url, box, size) {
  if (!url) { el.classList.add("empty"); el.style.backgroundImage = ""; return; }
  el.classList.remove("empty");
  const [x, y, w, h] = box;
  const scale = Math.min(el.clientWidth / w, el.clientHeight / h);
  el.style.backgroundImage = `url("${url}")`;
  el.style.backgroundSize = `${size * scale}px ${size * scale}px`;
  el.style.backgroundPosition = `${-x * scale}px ${-y * scale}px`;
}

async function loadModels() {
  const data = await api("/api/models");
  state.models = data.models;
  state.targetCount = data.targets.length;
  state.user = data.user;
  renderModels();
}

function renderModels() {
  const ul = $("#models");
  ul.textContent = "";
  let decided = 0;
  for (const m of state.models) {
    decided += m.decided;
    const li = document.createElement("li");
    li.dataset.id = m.id;
    if (m.id === state.current) li.classList.add("current");
    if (m.error) li.classList.add("error");
    const name = document.createElement("span");
    name.className = "name";
    name.textContent = m.name;
    name.title = m.id;
    const prog = document.createElement("span");
    prog.className = "progress";
    prog.textContent = m.error ? m.error
      : `${m.decided}/${state.targetCount} decided` + (m.proposed ? `, ${m.assigned} proposed` : "");
    const bar = document.createElement("div");
    bar.className = "bar";
    bar.innerHTML = "<div></div>";
    bar.firstChild.style.width = `${100 * m.decided / state.targetCount}%`;
    li.append(name, prog, bar);
    li.addEventListener("click", () => openModel(m.id));
    ul.append(li);
  }
  const total = state.models.length * state.targetCount;
  $("#overall").textContent = `${decided} / ${total} targets decided in ${state.models.length} models`;
  $("#overall-bar").firstChild.style.width = total ? `${100 * decided / total}%` : "0";
}

async function openModel(id) {
  state.current = id;
  history.replaceState(null, "", `#model=${encodeURIComponent(id)}`);
  renderModels();
  $("#model-title").textContent = id;
  $("#model-meta").textContent = "proposing and rendering…";
  $("#targets tbody").textContent = "";
  try {
    state.model = await api(`/api/model?id=${encodeURIComponent(id)}`);
  } catch (e) {
    $("#model-meta").textContent = "";
    status(e.message, true);
    return;
  }
  const m = state.model;
  $("#model-title").textContent = `${m.name || id}`;
  $("#model-meta").textContent =
    `${id} · ${m.morphs.length} morphs · proposed by ${m.proposed_by} at ${m.proposed_at}`;
  state.row = Math.min(state.row, m.targets.length - 1);
  renderTargets();
  status("");
}

function renderTargets() {
  const tbody = $("#targets tbody");
  tbody.textContent = "";
  const m = state.model;
  let lastBase = null;
  m.targets.forEach((t, i) => {
    const tr = document.createElement("tr");
    tr.dataset.target = t.target;
    const base = t.target.replace(/_(right|left)$/, "");
    if (base !== lastBase) tr.classList.add("group-start");
    lastBase = base;
    tr.innerHTML = `<td class="target"></td><td><div class="thumb neutral"></div></td>
      <td><div class="thumb applied"></div></td><td class="source"></td>
      <td class="actions"><button class="accept" title="a">accept</button>
      <button class="reassign" title="e">reassign</button>
      <button class="reject" title="r">reject</button>
      <button class="clear" title="u">undo</button></td>`;
    $(".target", tr).textContent = t.target;
    tr.addEventListener("click", () => select(i));
    $(".accept", tr).addEventListener("click", (ev) => { ev.stopPropagation(); select(i); decide("accept"); });
    $(".reassign", tr).addEventListener("click", (ev) => { ev.stopPropagation(); select(i); openPicker(); });
    $(".reject", tr).addEventListener("click", (ev) => { ev.stopPropagation(); select(i); decide("reject"); });
    $(".clear", tr).addEventListener("click", (ev) => { ev.stopPropagation(); select(i); decide("clear"); });
    tbody.append(tr);
    fillRow(tr, t);
  });
  select(state.row);
}

function fillRow(tr, t) {
  const m = state.model;
  const box = m.crops[t.region];
  setThumb($(".neutral", tr), imageUrl(m.id, null), box, m.size);
  setThumb($(".applied", tr), t.effective_index === null ? null : imageUrl(m.id, t.effective_index),
           box, m.size);
  const td = $(".source", tr);
  td.textContent = "";
  const name = document.createElement("span");
  name.className = "source-name";
  if (t.effective) name.textContent = t.effective;
  else { name.textContent = "none"; name.classList.add("none"); }
  td.append(name);
  const st = document.createElement("span");
  st.className = "badge status " + (t.decision ? t.decision.status : "proposed");
  st.textContent = t.decision ? t.decision.status : "proposed";
  if (t.decision) st.title = `${t.decision.by} at ${t.decision.at}`;
  td.append(st);
  const p = t.proposal;
  if (p.source) {
    const conf = document.createElement("span");
    conf.className = "conf";
    conf.textContent = `${Math.round(100 * p.confidence)}%`;
    conf.title = "confidence of the proposal";
    td.append(conf);
  }
  for (const f of p.flags || []) {
    const b = document.createElement("span");
    b.className = "badge flag";
    b.textContent = f.replace("_", " ");
    td.append(b);
  }
  const why = document.createElement("div");
  why.className = "reason";
  const proposed = p.source ? `proposed ${p.source}: ` : "";
  why.textContent = proposed + (p.reason || "");
  why.title = why.textContent;
  td.append(why);
}

function select(i) {
  const rows = document.querySelectorAll("#targets tbody tr");
  if (!rows.length) return;
  state.row = Math.max(0, Math.min(i, rows.length - 1));
  rows.forEach((r, k) => r.classList.toggle("selected", k === state.row));
  rows[state.row].scrollIntoView({ block: "nearest" });
}

async function decide(action, source) {
  const m = state.model;
  if (!m) return;
  const t = m.targets[state.row];
  const body = { id: m.id, target: t.target, action };
  if (source !== undefined) body.source = source;
  else if (action === "accept") body.source = t.proposal.source;
  status("saving…");
  try {
    const row = await api("/api/decide", body);
    m.targets[state.row] = row;
    fillRow(document.querySelectorAll("#targets tbody tr")[state.row], row);
    const entry = state.models.find((x) => x.id === m.id);
    if (entry) entry.decided = m.targets.filter((x) => x.decision).length;
    renderModels();
    status(`saved ${t.target}`);
    if (action !== "clear") select(state.row + 1);
  } catch (e) {
    status(e.message, true);
  }
}

// ----- the reassign picker ----------------------------------------------------------------

function openPicker() {
  const m = state.model;
  if (!m) return;
  const t = m.targets[state.row];
  state.picker = { target: t, items: [], active: 0 };
  $("#picker-target").textContent = t.target;
  $("#picker").hidden = false;
  const filter = $("#picker-filter");
  filter.value = "";
  renderPicker();
  const current = state.picker.items.findIndex((mo) => mo.name === t.effective);
  pickerActivate(current >= 0 ? current : 0);
  filter.focus();
}

function closePicker() {
  $("#picker").hidden = true;
  state.picker = null;
}

// width, case and kana folded, as the matcher folds names: ｳｨﾝｸ = ウィンク = うぃんく
function fold(s) {
  return (s || "").normalize("NFKC").toLowerCase()
    .replace(/[\u3041-\u3096]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 0x60));
}

function renderPicker() {
  const m = state.model;
  const q = fold($("#picker-filter").value.trim());
  const items = m.morphs.filter((mo) => !q || fold(mo.name).includes(q)
                                        || fold(mo.name_en).includes(q));
  state.picker.items = items;
  const ul = $("#picker-list");
  ul.textContent = "";
  items.forEach((mo, k) => {
    const li = document.createElement("li");
    li.dataset.name = mo.name;
    li.textContent = mo.name;
    if (mo.name_en && mo.name_en !== mo.name) {
      const en = document.createElement("span");
      en.className = "en";
      en.textContent = mo.name_en;
      li.append(en);
    }
    li.addEventListener("mouseenter", () => pickerActivate(k));
    li.addEventListener("click", () => { pickerActivate(k); pickerAssign(); });
    ul.append(li);
  });
  pickerActivate(0);
}

function pickerActivate(k) {
  const p = state.picker;
  if (!p) return;
  const lis = document.querySelectorAll("#picker-list li");
  if (!lis.length) { $("#picker-name").textContent = "no morph matches"; return; }
  p.active = Math.max(0, Math.min(k, lis.length - 1));
  lis.forEach((li, i) => li.classList.toggle("active", i === p.active));
  lis[p.active].scrollIntoView({ block: "nearest" });
  const mo = p.items[p.active];
  const m = state.model;
  const box = m.crops[p.target.region];
  setThumb($("#picker-preview .neutral"), imageUrl(m.id, null), box, m.size);
  setThumb($("#picker-preview .applied"), imageUrl(m.id, mo.index), box, m.size);
  $("#picker-name").textContent = `${mo.name} (${mo.kind} morph, panel ${mo.panel})`;
}

function pickerAssign() {
  const p = state.picker;
  if (!p || !p.items.length) return;
  const name = p.items[p.active].name;
  closePicker();
  decide("assign", name);
}

// ----- keys ----------------------------------------------------------------------------------

document.addEventListener("keydown", (ev) => {
  if (ev.ctrlKey || ev.metaKey || ev.altKey) return;
  if (state.picker) {
    if (ev.key === "Escape") { closePicker(); ev.preventDefault(); }
    else if (ev.key === "ArrowDown") { pickerActivate(state.picker.active + 1); ev.preventDefault(); }
    else if (ev.key === "ArrowUp") { pickerActivate(state.picker.active - 1); ev.preventDefault(); }
    else if (ev.key === "Enter") { pickerAssign(); ev.preventDefault(); }
    return;
  }
  const idx = state.models.findIndex((x) => x.id === state.current);
  switch (ev.key) {
    case "j": case "ArrowDown": select(state.row + 1); break;
    case "k": case "ArrowUp": select(state.row - 1); break;
    case "a": decide("accept"); break;
    case "r": decide("reject"); break;
    case "u": decide("clear"); break;
    case "e": case "Enter": openPicker(); break;
    case "n": if (idx + 1 < state.models.length) openModel(state.models[idx + 1].id); break;
    case "p": if (idx > 0) openModel(state.models[idx - 1].id); break;
    default: return;
  }
  ev.preventDefault();
});

$("#picker-filter").addEventListener("input", renderPicker);
$("#picker-ok").addEventListener("click", pickerAssign);
$("#picker-cancel").addEventListener("click", closePicker);

(async () => {
  try {
    await loadModels();
  } catch (e) {
    status(e.message, true);
    return;
  }
  const m = /#model=(.+)$/.exec(location.hash);
  const id = m ? decodeURIComponent(m[1]) : (state.models[0] && state.models[0].id);
  if (id && state.models.some((x) => x.id === id)) openModel(id);
})();
