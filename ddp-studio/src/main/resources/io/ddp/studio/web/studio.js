// DDP Studio: the page. Everything a user wrote is put in the page with textContent or attributes,
// never as HTML. The server checks and lays out; the page draws, edits and keeps the undo history.
'use strict';

const SVG = 'http://www.w3.org/2000/svg';
const state = {
  pipeline: null,   // the pipeline as written (variables unresolved), edited in place of copies
  hash: '',         // of the file as last read or saved, for the server's "changed on disk" check
  saved: '',        // JSON of the pipeline as last saved, to tell unsaved edits
  view: null,       // the server's picture: nodes, edges, problems
  catalog: [],      // pipe types on the class path
  selected: null,   // node id
  undo: [],
  redo: [],
  transform: {x: 20, y: 20, k: 1},
  checking: 0,
  contractTicket: 0,
  contracts: null,  // the last schema check: {pipeline (JSON it was for), problems, schemas}
  schemas: {},      // dataId -> derived schema (DDL)
  run: {},          // node id -> run status class
  runEvents: [],    // the current run's events
  runLog: [],
  showSchemas: true,
};

function el(tag, attrs, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (k === 'class') e.className = v;
    else if (k.startsWith('on')) e.addEventListener(k.substring(2), v);
    else e.setAttribute(k, v);
  }
  for (const c of children) e.append(c instanceof Node ? c : document.createTextNode(String(c)));
  return e;
}

function svg(tag, attrs) {
  const e = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs || {})) e.setAttribute(k, v);
  return e;
}

function status(text, error) {
  const s = document.getElementById('status');
  s.textContent = text;
  s.className = error ? 'error' : '';
}

async function api(path, body) {
  const options = body === undefined ? {credentials: 'same-origin'}
    : {method: 'POST', credentials: 'same-origin', headers: {'Content-Type': 'application/json'}, body: JSON.stringify(body)};
  const response = await fetch(path, options);
  const json = await response.json().catch(() => ({error: response.statusText}));
  if (!response.ok) {
    const e = new Error(json.error || response.statusText);
    e.status = response.status;
    throw e;
  }
  return json;
}

// ---------------------------------------------------------------------------------------------
// Loading, checking, saving

async function load() {
  const s = await api('/api/state');
  state.pipeline = s.pipeline;
  state.hash = s.hash;
  state.saved = JSON.stringify(s.pipeline);
  document.getElementById('file').textContent = s.file;
  document.getElementById('file').title = s.file;
  const catalog = await api('/api/catalog');
  state.catalog = catalog.pipes || [];
  showView(s.view, true);
  renderCatalog();
  requestContracts();
  startEvents();
  loadRunEvents();
}

let checkTimer = null;
function scheduleCheck() {
  document.body.dataset.checking = 'true';
  clearTimeout(checkTimer);
  checkTimer = setTimeout(check, 120);
}

async function check() {
  const ticket = ++state.checking;
  performance.mark('studio:check-start');
  try {
    const r = await api('/api/check', {pipeline: state.pipeline});
    if (ticket !== state.checking) return; // a later edit is being checked
    document.body.dataset.checking = 'false';
    showView(r.view, false);
    performance.mark('studio:check-end');
    performance.measure('studio:check', 'studio:check-start', 'studio:check-end');
    requestContracts();
  } catch (e) {
    status('check failed: ' + e.message, true);
  }
}

async function save() {
  try {
    const r = await api('/api/save', {pipeline: state.pipeline, hash: state.hash});
    state.hash = r.hash;
    state.saved = JSON.stringify(state.pipeline);
    updateTitle();
    status('saved');
  } catch (e) {
    status(e.message, true);
  }
}

// The schema checks of 'ddp validate' (Spark's analysis) answer after the declaration check: their
// problems join the list and the nodes, and every dataset's derived schema labels its edges.
// They wait for a pause in editing (400 ms) so that a burst of edits costs one analysis.
let contractTimer = null;
function requestContracts() {
  clearTimeout(contractTimer);
  document.body.dataset.contracts = 'pending';
  const ticket = ++state.contractTicket;
  contractTimer = setTimeout(() => runContracts(ticket), 400);
}

async function runContracts(ticket) {
  const pipeline = JSON.stringify(state.pipeline);
  try {
    const r = await api('/api/contracts', {pipeline: state.pipeline});
    if (ticket !== state.contractTicket) return;
    state.contracts = {pipeline, problems: r.problems || [], schemas: r.schemas || {}, checked: r.checked, reason: r.reason};
    state.schemas = r.checked ? r.schemas : state.schemas;
    draw();
    renderProblems();
    refreshSelected();
    updateStatus();
    document.body.dataset.contracts = r.checked ? 'checked' : 'skipped';
  } catch (e) {
    if (ticket === state.contractTicket) {
      document.body.dataset.contracts = 'failed';
      status('schema checks failed: ' + e.message, true);
    }
  }
}

// Declaration problems of the last check, and the schema problems when they are for the same edit.
function allProblems() {
  const view = state.view ? state.view.problems : [];
  const c = state.contracts;
  return c && c.pipeline === JSON.stringify(state.pipeline) ? view.concat(c.problems) : view;
}

function problemCounts() {
  const counts = {};
  for (const p of allProblems()) {
    if (!p.node) continue;
    const c = counts[p.node] || (counts[p.node] = {errors: 0, warnings: 0});
    if (p.severity === 'error') c.errors++; else c.warnings++;
  }
  return counts;
}

function updateStatus() {
  const problems = allProblems();
  const errors = problems.filter(p => p.severity === 'error').length;
  const warnings = problems.length - errors;
  document.getElementById('problem-count').textContent = problems.length ? '(' + problems.length + ')' : '';
  const c = state.contracts && state.contracts.pipeline === JSON.stringify(state.pipeline) ? state.contracts : null;
  status((errors ? errors + ' error' + (errors === 1 ? '' : 's') : 'valid') + (warnings ? ', ' + warnings + ' warning' + (warnings === 1 ? '' : 's') : '')
    + ' · ' + state.view.nodes.length + ' nodes · checked in ' + (state.view.micros / 1000).toFixed(0) + ' ms'
    + (c ? (c.checked ? ' · schemas checked' : ' · schemas not checked: ' + c.reason) : ' · checking schemas…'), errors > 0);
  document.body.dataset.errors = String(errors);
}

function updateTitle() {
  const dirty = JSON.stringify(state.pipeline) !== state.saved;
  document.title = (dirty ? '* ' : '') + 'DDP Studio';
  document.getElementById('save').disabled = !dirty;
}

// ---------------------------------------------------------------------------------------------
// Edits: each replaces the pipeline with an edited copy and keeps the previous one for undo

function edit(change) {
  const before = JSON.stringify(state.pipeline);
  const next = JSON.parse(before);
  change(next);
  if (JSON.stringify(next) === before) return;
  state.undo.push(before);
  if (state.undo.length > 200) state.undo.shift();
  state.redo = [];
  state.pipeline = next;
  updateTitle();
  document.body.dataset.contracts = 'pending';
  scheduleCheck();
}

function undo() {
  if (!state.undo.length) return;
  state.redo.push(JSON.stringify(state.pipeline));
  state.pipeline = JSON.parse(state.undo.pop());
  updateTitle();
  renderSelected();
  scheduleCheck();
}

function redo() {
  if (!state.redo.length) return;
  state.undo.push(JSON.stringify(state.pipeline));
  state.pipeline = JSON.parse(state.redo.pop());
  updateTitle();
  renderSelected();
  scheduleCheck();
}

function list(p, key) {
  if (!Array.isArray(p[key])) p[key] = [];
  return p[key];
}

function uniqueDataId(p, base) {
  const ids = new Set(list(p, 'data').map(d => d.dataId));
  if (!ids.has(base)) return base;
  for (let i = 2; ; i++) if (!ids.has(base + i)) return base + i;
}

function addDataset() {
  let id;
  edit(p => {
    id = uniqueDataId(p, 'Dataset');
    list(p, 'data').push({dataId: id});
  });
  select(id);
}

function addPipe(type) {
  let pipeId;
  edit(p => {
    const inputs = [];
    const sel = state.selected && !state.selected.startsWith('#') ? state.selected : null;
    if (sel) inputs.push(sel);
    const out = uniqueDataId(p, type.replace(/[^A-Za-z0-9_]/g, '') + 'Out');
    list(p, 'data').push({dataId: out});
    list(p, 'transformers').push({inputDataId: inputs, transformerType: type, outputDataId: out});
    pipeId = '#' + list(p, 'transformers').length;
  });
  select(pipeId);
}

function removeSelected() {
  const id = state.selected;
  if (!id) return;
  edit(p => {
    if (id.startsWith('#')) list(p, 'transformers').splice(Number(id.substring(1)) - 1, 1);
    else p.data = list(p, 'data').filter(d => d.dataId !== id);
  });
  select(null);
}

// ---------------------------------------------------------------------------------------------
// The picture

function showView(view, fit) {
  state.view = view;
  performance.mark('studio:render-start');
  draw();
  performance.mark('studio:render-end');
  performance.measure('studio:render', 'studio:render-start', 'studio:render-end');
  if (fit) fitView();
  renderProblems();
  refreshSelected();
  updateStatus();
  if (document.body.dataset.ready !== 'true') performance.mark('studio:ready');
  document.body.dataset.ready = 'true';
}

function draw() {
  const root = document.getElementById('viewport');
  root.replaceChildren();
  const edges = svg('g', {class: 'edges'});
  for (const e of state.view.edges) {
    const pts = e.points;
    let d = 'M' + pts[0][0] + ',' + pts[0][1];
    for (let i = 1; i < pts.length; i++) {
      const [x0, y0] = pts[i - 1];
      const [x1, y1] = pts[i];
      const mx = (x0 + x1) / 2;
      d += ' C' + mx + ',' + y0 + ' ' + mx + ',' + y1 + ' ' + x1 + ',' + y1;
    }
    const path = svg('path', {class: 'edge' + (e.reversed ? ' reversed' : ''), d, 'data-from': e.from, 'data-to': e.to});
    const title = svg('title');
    title.textContent = e.from + ' → ' + e.to + schemaOf(e);
    path.append(title);
    edges.append(path);
  }
  root.append(edges);
  // Stages: the pipes of one column can run together; the column's label says which stage it is.
  const columns = new Map();
  for (const n of state.view.nodes) {
    if (n.kind !== 'pipe') continue;
    const c = columns.get(n.layer) || {x: n.x + n.w / 2, top: n.y};
    c.top = Math.min(c.top, n.y);
    columns.set(n.layer, c);
  }
  const stages = svg('g', {class: 'stages'});
  [...columns.keys()].sort((a, b) => a - b).forEach((layer, i) => {
    const c = columns.get(layer);
    const t = svg('text', {class: 'stage-label', x: c.x, y: Math.max(-8, c.top - 10), 'text-anchor': 'middle'});
    t.textContent = 'stage ' + (i + 1);
    stages.append(t);
  });
  root.append(stages);
  if (state.showSchemas && state.view.edges.length <= 400) {
    const labels = svg('g', {class: 'edge-labels'});
    for (const e of state.view.edges) {
      const ds = e.from.startsWith('#') ? e.to : e.from;
      const schema = state.schemas[ds];
      if (!schema) continue;
      const [x0, y0] = e.points[0];
      const [x1, y1] = e.points[e.points.length - 1];
      const t = svg('text', {class: 'edge-label', x: (x0 + x1) / 2, y: (y0 + y1) / 2 - 4, 'text-anchor': 'middle', 'data-dataset': ds});
      t.textContent = clip(columnsOf(schema), 34);
      labels.append(t);
    }
    root.append(labels);
  }
  const counts = problemCounts();
  const nodes = svg('g', {class: 'nodes'});
  for (const v of state.view.nodes) {
    const c = counts[v.id] || {errors: 0, warnings: 0};
    const n = Object.assign({}, v, {errors: c.errors, warnings: c.warnings});
    const g = svg('g', {class: nodeClass(n), transform: 'translate(' + n.x + ',' + n.y + ')', 'data-id': n.id, tabindex: '0'});
    g.append(svg('rect', {width: n.w, height: n.h, rx: n.kind === 'pipe' ? 3 : 14}));
    const label = svg('text', {x: 10, y: n.kind === 'pipe' ? 18 : 21});
    label.textContent = clip(n.label, n.kind === 'pipe' ? 26 : 24);
    g.append(label);
    if (n.kind === 'pipe') {
      const detail = svg('text', {x: 10, y: 34, class: 'detail'});
      detail.textContent = clip(n.detail, 30);
      g.append(detail);
    }
    if (n.errors + n.warnings > 0) {
      g.append(svg('circle', {class: 'badge', cx: n.w - 2, cy: 2, r: 9}));
      const t = svg('text', {class: 'badge-text', x: n.w - 2, y: 6, 'text-anchor': 'middle'});
      t.textContent = String(n.errors + n.warnings);
      g.append(t);
    }
    const title = svg('title');
    title.textContent = n.label + '\n' + n.detail + (n.errors ? '\n' + n.errors + ' error(s)' : '') + (n.warnings ? '\n' + n.warnings + ' warning(s)' : '');
    g.append(title);
    g.addEventListener('click', ev => { ev.stopPropagation(); select(n.id); });
    nodes.append(g);
  }
  root.append(nodes);
  applyTransform();
  highlightSearch();
}

// "id BIGINT, name STRING" -> "id, name"
function columnsOf(ddl) {
  const names = [];
  let depth = 0, start = 0;
  for (let i = 0; i <= ddl.length; i++) {
    const ch = ddl[i];
    if (ch === '<' || ch === '(') depth++;
    else if (ch === '>' || ch === ')') depth--;
    else if ((ch === ',' && depth === 0) || i === ddl.length) {
      const part = ddl.substring(start, i).trim();
      if (part) names.push(part.split(/\s+/)[0].replace(/`/g, ''));
      start = i + 1;
    }
  }
  return names.join(', ');
}

function schemaOf(edge) {
  const s = state.schemas[edge.from.startsWith('#') ? edge.to : edge.from];
  return s ? '\n' + s : '';
}

function nodeClass(n) {
  let c = 'node ' + n.kind;
  if (n.errors) c += ' has-errors'; else if (n.warnings) c += ' has-warnings';
  if (n.id === state.selected) c += ' selected';
  if (state.run && state.run[n.id]) c += ' ' + state.run[n.id];
  return c;
}

function clip(text, max) {
  text = String(text || '');
  return text.length > max ? text.substring(0, max - 1) + '…' : text;
}

function applyTransform() {
  const t = state.transform;
  document.getElementById('viewport').setAttribute('transform', 'translate(' + t.x + ',' + t.y + ') scale(' + t.k + ')');
}

function fitView() {
  const box = document.getElementById('graph').getBoundingClientRect();
  const w = Math.max(1, state.view.width);
  const h = Math.max(1, state.view.height);
  const k = Math.min(1.5, Math.max(0.05, Math.min((box.width - 40) / w, (box.height - 40) / h)));
  state.transform = {k, x: (box.width - w * k) / 2, y: Math.max(20, (box.height - h * k) / 2)};
  applyTransform();
}

function centerOn(id) {
  const n = state.view.nodes.find(x => x.id === id);
  if (!n) return;
  const box = document.getElementById('graph').getBoundingClientRect();
  const k = Math.max(state.transform.k, 0.8);
  state.transform = {k, x: box.width / 2 - (n.x + n.w / 2) * k, y: box.height / 2 - (n.y + n.h / 2) * k};
  applyTransform();
}

function setupPanZoom() {
  const graph = document.getElementById('graph');
  graph.addEventListener('wheel', ev => {
    ev.preventDefault();
    const r = graph.getBoundingClientRect();
    const mx = ev.clientX - r.left;
    const my = ev.clientY - r.top;
    const t = state.transform;
    const k = Math.min(4, Math.max(0.03, t.k * Math.exp(-ev.deltaY * 0.0015)));
    state.transform = {k, x: mx - (mx - t.x) * k / t.k, y: my - (my - t.y) * k / t.k};
    applyTransform();
  }, {passive: false});
  let drag = null;
  graph.addEventListener('pointerdown', ev => {
    if (ev.target.closest && ev.target.closest('.node')) return;
    drag = {x: ev.clientX, y: ev.clientY, t: {...state.transform}};
    graph.classList.add('panning');
    graph.setPointerCapture(ev.pointerId);
  });
  graph.addEventListener('pointermove', ev => {
    if (!drag) return;
    state.transform = {k: drag.t.k, x: drag.t.x + ev.clientX - drag.x, y: drag.t.y + ev.clientY - drag.y};
    applyTransform();
  });
  graph.addEventListener('pointerup', () => { drag = null; graph.classList.remove('panning'); });
  graph.addEventListener('click', ev => { if (ev.target === graph) select(null); });
}

function highlightSearch() {
  const q = document.getElementById('search').value.trim().toLowerCase();
  let first = null;
  for (const g of document.querySelectorAll('.node')) {
    const n = state.view.nodes.find(x => x.id === g.dataset.id);
    const match = q !== '' && n && (n.label.toLowerCase().includes(q) || n.id.toLowerCase().includes(q) || String(n.detail).toLowerCase().includes(q));
    g.classList.toggle('match', match);
    if (match && !first) first = n.id;
  }
  return first;
}

// ---------------------------------------------------------------------------------------------
// The side panel

function showTab(name) {
  for (const b of document.querySelectorAll('#side nav button')) b.classList.toggle('active', b.dataset.tab === name);
  for (const t of document.querySelectorAll('.tab')) t.classList.toggle('hidden', t.id !== 'tab-' + name);
  if (name === 'run') renderRun();
}

function select(id) {
  state.selected = id;
  for (const g of document.querySelectorAll('.node')) g.classList.toggle('selected', g.dataset.id === id);
  for (const p of document.querySelectorAll('.edge')) p.classList.toggle('selected', id !== null && (p.dataset.from === id || p.dataset.to === id));
  renderSelected();
  if (id) showTab('selected');
}

function renderProblems() {
  const tab = document.getElementById('tab-problems');
  tab.replaceChildren();
  const problems = allProblems();
  if (!problems.length) tab.append(el('p', {}, 'No problems.'));
  for (const p of problems) {
    tab.append(el('div', {class: 'problem ' + p.severity, onclick: () => { if (p.node) { select(p.node); centerOn(p.node); } }},
      el('span', {class: 'where'}, (p.line ? 'line ' + p.line + ':' + p.column : p.pointer || 'pipeline') + ' '),
      el('span', {class: 'sev'}, p.severity + ' '),
      el('span', {}, (p.subject ? p.subject + ': ' : '') + p.message)));
  }
}

function renderCatalog() {
  const tab = document.getElementById('tab-catalog');
  tab.replaceChildren();
  tab.append(el('div', {class: 'row'}, el('button', {id: 'add-dataset', onclick: addDataset}, 'Add a dataset')));
  const filter = el('input', {type: 'search', id: 'catalog-search', placeholder: 'Search pipes: type, class, description'});
  const results = el('div');
  const show = () => {
    const q = filter.value.trim().toLowerCase();
    results.replaceChildren();
    for (const p of state.catalog) {
      const text = (p.type + ' ' + p.class + ' ' + (p.description || '')).toLowerCase();
      if (q && !text.includes(q)) continue;
      results.append(el('div', {class: 'entry', 'data-type': p.type},
        el('div', {class: 'type'}, p.type),
        el('div', {class: 'desc'}, p.description || p.class),
        el('button', {class: 'add-pipe', onclick: () => addPipe(p.type)}, 'Add this pipe')));
    }
  };
  filter.addEventListener('input', show);
  tab.append(el('p', {}, 'Pipes on the class path (' + state.catalog.length + '). A new pipe reads the selected dataset.'), filter, results);
  show();
}

function findNode(p, id) {
  if (id && id.startsWith('#')) {
    const i = Number(id.substring(1)) - 1;
    return {kind: 'pipe', index: i, decl: list(p, 'transformers')[i]};
  }
  const i = list(p, 'data').findIndex(d => d.dataId === id);
  return i < 0 ? null : {kind: 'data', index: i, decl: p.data[i]};
}

// What the selected node's form shows: redrawn only when this changes.
function selectedKey() {
  if (!state.selected || !state.pipeline) return 'none';
  const found = findNode(state.pipeline, state.selected);
  if (!found || !found.decl) return 'undeclared ' + state.selected;
  const ids = found.kind === 'pipe' ? (Array.isArray(found.decl.inputDataId) ? found.decl.inputDataId : []).concat([found.decl.outputDataId])
    : [found.decl.dataId];
  return JSON.stringify([state.selected, found.decl, ids.map(d => state.schemas[d] || '')]);
}

function renderSelected() {
  state.renderedSelected = selectedKey();
  const tab = document.getElementById('tab-selected');
  tab.replaceChildren();
  if (!state.selected || !state.pipeline) {
    tab.append(el('p', {}, 'Select a dataset or a pipe to edit it. Add new ones from the Add tab.'));
    return;
  }
  const found = findNode(state.pipeline, state.selected);
  if (!found || !found.decl) {
    tab.append(el('p', {}, state.selected + ' is not declared in "data".'),
      el('button', {onclick: () => { const id = state.selected; edit(p => list(p, 'data').push({dataId: id})); }}, 'Declare it'));
    return;
  }
  const form = el('div', {class: 'form'});
  form.append(el('div', {class: 'issues', id: 'selected-issues'}));
  const path = found.kind === 'pipe' ? ['transformers', found.index] : ['data', found.index];
  const at = p => path.reduce((o, k) => o[k], p);
  const field = (label, key, hint) => {
    const input = el('input', {type: 'text', name: key, value: found.decl[key] === undefined ? '' : String(found.decl[key])});
    input.addEventListener('change', () => edit(p => {
      const d = at(p);
      if (input.value === '') delete d[key]; else d[key] = input.value;
      if (key === 'dataId') renameData(p, found.decl.dataId, input.value);
    }));
    if (key === 'dataId') input.addEventListener('change', () => { state.selected = input.value; });
    form.append(el('label', {}, label, hint ? el('span', {class: 'hint'}, ' ' + hint) : ''), input);
  };
  const listField = (label, key, hint) => {
    const value = Array.isArray(found.decl[key]) ? found.decl[key].join(', ') : (found.decl[key] || '');
    const input = el('input', {type: 'text', name: key, value});
    input.addEventListener('change', () => edit(p => {
      const items = input.value.split(',').map(s => s.trim()).filter(s => s);
      if (items.length) at(p)[key] = items; else delete at(p)[key];
    }));
    form.append(el('label', {}, label, el('span', {class: 'hint'}, ' ' + (hint || 'comma-separated')), input));
  };
  if (found.kind === 'data') {
    form.append(el('h3', {}, 'Dataset ' + found.decl.dataId));
    field('dataId', 'dataId');
    field('location', 'location', 'empty: kept in memory');
    field('format', 'format', 'parquet, csv, json, orc, avro, text, jdbc...');
    field('schema', 'schema', 'e.g. id BIGINT, name STRING');
    field('mode', 'mode', 'error, overwrite, append, ignore');
    listField('partitionBy', 'partitionBy');
    field('persist', 'persist');
    jsonField(form, 'options', found.decl.options, v => edit(p => { if (v === undefined) delete at(p).options; else at(p).options = v; }));
    jsonField(form, 'encryption', found.decl.encryption, v => edit(p => { if (v === undefined) delete at(p).encryption; else at(p).encryption = v; }));
    if (state.schemas[found.decl.dataId]) {
      form.append(el('label', {}, 'Schema flowing here', el('span', {class: 'hint'}, ' derived by the schema checks')),
        el('code', {class: 'schema', id: 'derived-schema'}, state.schemas[found.decl.dataId]));
    }
    const preview = el('div', {id: 'preview'});
    form.append(el('div', {class: 'row'}, el('button', {id: 'preview-button', onclick: () => showPreview(found.decl.dataId, preview)}, 'Preview rows')), preview);
  } else {
    form.append(el('h3', {}, 'Pipe ' + state.selected));
    field('name', 'name');
    const types = el('datalist', {id: 'types'}, ...state.catalog.map(c => el('option', {value: c.type})));
    form.append(types);
    field('transformerType', 'transformerType', 'a registered type or a class name');
    form.lastChild.setAttribute('list', 'types');
    listField('inputDataId', 'inputDataId', 'datasets it reads, comma-separated');
    field('outputDataId', 'outputDataId');
    const entry = state.catalog.find(c => c.type === found.decl.transformerType);
    const params = found.decl.params || {};
    const fieldset = el('fieldset', {}, el('legend', {}, 'params'));
    if (entry && entry.params && entry.params.properties) {
      paramsForm(fieldset, entry.params, params, (key, v) => edit(p => {
        const d = at(p);
        d.params = d.params || {};
        if (v === undefined) delete d.params[key]; else d.params[key] = v;
        if (!Object.keys(d.params).length) delete d.params;
      }));
      if (entry.contract) {
        form.append(el('p', {class: 'hint'}, 'Contract: ' + Object.entries(entry.contract).map(([k, v]) => k + ' ' + v).join('; ')));
      }
    } else {
      jsonField(fieldset, 'params (JSON)', found.decl.params, v => edit(p => { if (v === undefined) delete at(p).params; else at(p).params = v; }));
    }
    form.append(fieldset);
    if (entry && entry.description) form.append(el('p', {class: 'hint'}, entry.description));
    const ins = Array.isArray(found.decl.inputDataId) ? found.decl.inputDataId : [];
    const flows = ins.concat([found.decl.outputDataId]).filter(d => d && state.schemas[d]);
    if (flows.length) {
      form.append(el('label', {}, 'Schemas', el('span', {class: 'hint'}, ' in and out, derived by the schema checks')),
        ...flows.map(d => el('div', {class: 'schema-row'}, el('strong', {}, (d === found.decl.outputDataId ? 'out ' : 'in ') + d + ': '),
          el('code', {class: 'schema'}, state.schemas[d]))));
    }
    if (!entry && found.decl.transformerType) {
      const result = el('div', {id: 'generated'});
      form.append(el('p', {class: 'hint'}, found.decl.transformerType + ' is not on the class path. Generate its class, params record and unit test:'),
        el('div', {class: 'row'}, el('button', {id: 'generate', onclick: () => generate(found.index, result)}, 'Generate code')), result);
    }
  }
  form.append(el('div', {class: 'row'}, el('button', {id: 'remove', onclick: removeSelected}, 'Remove')));
  tab.append(form);
  renderSelectedIssues();
}

function renderSelectedIssues() {
  const box = document.getElementById('selected-issues');
  if (!box) return;
  const problems = state.view ? allProblems().filter(p => p.node === state.selected) : [];
  box.replaceChildren(...problems.map(p => el('div', {}, p.severity + ': ' + p.message)));
}

// After a check the form is redrawn; the field being typed in keeps its text, caret and focus.
function refreshSelected() {
  if (selectedKey() === state.renderedSelected) { renderSelectedIssues(); return; } // its form shows the same: keep it
  const tab = document.getElementById('tab-selected');
  const active = document.activeElement;
  const typing = active && tab.contains(active) && active.name && /INPUT|TEXTAREA/.test(active.tagName)
    ? {name: active.name, value: active.value, start: active.selectionStart, end: active.selectionEnd} : null;
  renderSelected();
  if (!typing) return;
  const again = [...tab.querySelectorAll('input, textarea')].find(e => e.name === typing.name);
  if (!again) return;
  again.value = typing.value;
  again.focus();
  try { again.setSelectionRange(typing.start, typing.end); } catch (e) { /* not a text field */ }
}

function renameData(p, from, to) {
  if (!from || !to || from === to) return;
  for (const t of list(p, 'transformers')) {
    if (Array.isArray(t.inputDataId)) t.inputDataId = t.inputDataId.map(x => x === from ? to : x);
    if (t.outputDataId === from) t.outputDataId = to;
  }
  for (const m of list(p, 'metrics')) if (m.dataId === from) m.dataId = to;
}

function jsonField(parent, label, value, set) {
  const area = el('textarea', {name: label});
  area.value = value === undefined ? '' : JSON.stringify(value, null, 2);
  const error = el('div', {class: 'issues'});
  area.addEventListener('change', () => {
    if (area.value.trim() === '') { error.textContent = ''; set(undefined); return; }
    try {
      const v = JSON.parse(area.value);
      error.textContent = '';
      set(v);
    } catch (e) {
      error.textContent = 'not JSON: ' + e.message;
    }
  });
  parent.append(el('label', {}, label), area, error);
}

function types(schema) {
  return Array.isArray(schema.type) ? schema.type : (schema.type ? [schema.type] : []);
}

// One input per param, from the pipe's params JSON Schema. Numbers and booleans may also be ${variables}.
function paramsForm(parent, schema, values, set) {
  const required = new Set(schema.required || []);
  for (const [key, s] of Object.entries(schema.properties || {})) {
    const t = types(s);
    const current = values[key];
    const label = el('label', {}, key + (required.has(key) ? ' *' : ''), s.description ? el('span', {class: 'hint'}, ' ' + s.description) : '');
    let input;
    if (Array.isArray(s.enum)) {
      input = el('select', {name: key}, el('option', {value: ''}, '(default' + (s.default !== undefined ? ': ' + s.default : '') + ')'),
        ...s.enum.map(v => el('option', {value: String(v)}, String(v))));
      input.value = current === undefined ? '' : String(current);
      input.addEventListener('change', () => set(key, input.value === '' ? undefined : input.value));
    } else if (t.includes('integer') || t.includes('number') || t.includes('boolean') || t.includes('string') && !t.includes('object') && !t.includes('array')) {
      input = el('input', {type: 'text', name: key, value: current === undefined ? '' : String(current),
        placeholder: s.default !== undefined ? String(s.default) : ''});
      input.addEventListener('change', () => {
        const v = input.value;
        if (v === '') set(key, undefined);
        else if ((t.includes('integer') || t.includes('number')) && /^-?[0-9]+(\.[0-9]+)?([eE][-+]?[0-9]+)?$/.test(v)) set(key, Number(v));
        else if (t.includes('boolean') && (v === 'true' || v === 'false')) set(key, v === 'true');
        else set(key, v);
      });
    } else {
      input = el('textarea', {name: key});
      input.value = current === undefined ? '' : JSON.stringify(current, null, 2);
      input.addEventListener('change', () => {
        if (input.value.trim() === '') { set(key, undefined); return; }
        try { set(key, JSON.parse(input.value)); } catch (e) { status(key + ': not JSON: ' + e.message, true); }
      });
    }
    parent.append(label, input);
  }
}

// ---------------------------------------------------------------------------------------------
// Preview and template code

async function showPreview(dataId, into) {
  into.replaceChildren(el('p', {class: 'hint'}, 'reading ' + dataId + '…'));
  try {
    const r = await api('/api/preview?data=' + encodeURIComponent(dataId) + '&limit=20');
    const head = el('tr', {}, ...r.columns.map(c => el('th', {title: c.type}, c.name)));
    const rows = r.rows.map(row => el('tr', {}, ...row.map(v => el('td', {class: v === null ? 'null' : ''}, v === null ? 'null' : v))));
    into.replaceChildren(el('p', {class: 'hint'}, 'first ' + r.rows.length + ' rows of ' + r.location),
      el('div', {class: 'table'}, el('table', {class: 'preview'}, el('thead', {}, head), el('tbody', {}, ...rows))));
  } catch (e) {
    into.replaceChildren(el('p', {class: 'issues'}, e.message));
  }
}

async function generate(index, into) {
  into.replaceChildren(el('p', {class: 'hint'}, 'generating…'));
  try {
    const r = await api('/api/generate', {pipeline: state.pipeline, pipe: index});
    into.replaceChildren(el('p', {}, 'Written in ' + r.project + ':'), el('ul', {}, ...r.files.map(f => el('li', {}, el('code', {}, f)))),
      el('p', {class: 'hint'}, r.next));
  } catch (e) {
    into.replaceChildren(el('p', {class: 'issues'}, e.message));
  }
}

// ---------------------------------------------------------------------------------------------
// Runs: started here or in a terminal ('ddp run' with the same state directory), followed live

function startEvents() {
  const source = new EventSource('/api/events');
  source.addEventListener('run', ev => onRunEvent(JSON.parse(ev.data)));
  source.addEventListener('log', ev => { const l = JSON.parse(ev.data); state.runLog.push(l); if (state.runLog.length > 300) state.runLog.shift(); renderRun(); });
  source.addEventListener('started', () => { state.runLog = []; state.exit = null; renderRun(); });
  source.addEventListener('exit', ev => { state.exit = JSON.parse(ev.data).code; renderRun(); loadPastRuns(); });
  source.addEventListener('resync', () => loadRunEvents());
}

async function loadRunEvents() {
  try {
    const r = await api('/api/run/events');
    state.run = {};
    state.runEvents = [];
    for (const e of r.events) onRunEvent(e, true);
    draw();
    renderRun();
  } catch (e) { /* shown by the next event */ }
  loadPastRuns();
}

function onRunEvent(e, quiet) {
  if (e.type === 'run') {
    state.run = {};
    state.runEvents = [];
    for (const p of e.pipes) state.run['#' + p.index] = 'queued';
  }
  state.runEvents.push(e);
  if (e.type === 'pipeStarted') state.run['#' + e.index] = 'running';
  if (e.type === 'pipeFinished') state.run['#' + e.index] = e.status;
  if (e.type === 'sinkCommitted') state.run[e.dataId] = 'succeeded';
  document.body.dataset.run = runStatus();
  if (!quiet) { draw(); renderRun(); }
}

function runStatus() {
  const end = state.runEvents.find(e => e.type === 'end');
  if (end) return end.status;
  return state.runEvents.length ? 'running' : 'none';
}

async function startRun() {
  if (JSON.stringify(state.pipeline) !== state.saved) { status('save first: a run runs the file as saved', true); return; }
  const value = id => document.getElementById(id).value.trim();
  try {
    await api('/api/run', {hash: state.hash, from: value('run-from'), to: value('run-to'), only: value('run-only')});
    status('run started');
  } catch (e) {
    status(e.message, true);
  }
}

async function stopRun() {
  try { await api('/api/run/stop', {}); } catch (e) { status(e.message, true); }
}

async function loadPastRuns() {
  try { state.pastRuns = await api('/api/runs'); renderRun(); } catch (e) { /* no reports yet */ }
}

function renderRun() {
  const runTab = document.getElementById('tab-run');
  if (!runTab) return;
  if (!document.getElementById('run-form')) {
    const input = (id, label) => el('label', {}, label, el('input', {type: 'text', id, name: id, placeholder: 'pipe name or #n'}));
    runTab.replaceChildren(el('div', {class: 'form', id: 'run-form'}, el('h3', {}, 'Run on the embedded local Spark'),
      el('p', {class: 'hint'}, 'Runs the file as saved; leave from/to/only empty to run it all. A ddp run of this file in a terminal, with the same state directory, shows here too.'),
      input('run-from', 'from'), input('run-to', 'to'), input('run-only', 'only'),
      el('div', {class: 'row'}, el('button', {id: 'run', onclick: startRun}, 'Run'), el('button', {id: 'stop', onclick: stopRun}, 'Stop'))),
      el('div', {id: 'run-state'}));
  }
  const tab = document.getElementById('run-state');
  tab.replaceChildren();
  const status = runStatus();
  const end = state.runEvents.find(e => e.type === 'end');
  tab.append(el('h3', {}, 'Current run: ', el('span', {id: 'run-status', class: 'run-' + status}, status)));
  if (end && end.error) tab.append(el('p', {class: 'issues', id: 'run-error'}, end.error));
  const pipes = {};
  for (const e of state.runEvents) {
    if (e.type === 'run') for (const p of e.pipes) pipes[p.index] = {label: p.label, status: 'queued'};
    if (e.type === 'pipeStarted' && pipes[e.index]) pipes[e.index].status = 'running';
    if (e.type === 'pipeFinished') pipes[e.index] = {label: e.label, status: e.status, rows: e.rows, seconds: e.seconds, error: e.error};
  }
  // Live progress of running pipes: the latest pipe.* samples (every metricsConfig.progressSeconds).
  const progress = {};
  for (const e of state.runEvents) {
    if (e.type !== 'metrics') continue;
    for (const m of e.data) {
      if (!m.name.startsWith('pipe.') || !m.dimensions.pipe) continue;
      (progress[m.dimensions.pipe] = progress[m.dimensions.pipe] || {})[m.name.substring(5)] = m.value;
    }
  }
  const table = el('table', {class: 'runs', id: 'run-pipes'}, el('tr', {}, el('th', {}, 'pipe'), el('th', {}, 'status'), el('th', {}, 'rows'), el('th', {}, 's')));
  for (const [i, p] of Object.entries(pipes)) {
    const live = p.status === 'running' && progress[p.label];
    const statusText = live && live.tasksTotal ? 'running ' + live.tasksDone + '/' + live.tasksTotal + ' tasks' : p.status;
    const rows = p.rows !== undefined && p.rows >= 0 ? String(p.rows) : live && live.records ? '~' + live.records : '';
    table.append(el('tr', {class: 'run-' + p.status, 'data-pipe': '#' + i, onclick: () => { select('#' + i); centerOn('#' + i); }},
      el('td', {}, p.label), el('td', {}, statusText), el('td', {}, rows),
      el('td', {}, p.seconds === undefined || p.seconds === null ? '' : p.seconds.toFixed(1))));
    if (p.error) table.append(el('tr', {}, el('td', {colspan: '4', class: 'issues'}, p.error)));
  }
  tab.append(table);
  const metrics = new Map();
  for (const e of state.runEvents) if (e.type === 'metrics') for (const m of e.data) metrics.set(m.name + JSON.stringify(m.dimensions), m);
  const declared = [...metrics.values()].filter(m => !m.name.startsWith('pipe.'));
  if (declared.length) {
    tab.append(el('h3', {}, 'Metrics'), el('table', {class: 'runs', id: 'run-metrics'}, ...declared.map(m => el('tr', {},
      el('td', {}, m.name + (Object.keys(m.dimensions).length ? ' ' + JSON.stringify(m.dimensions) : '')),
      el('td', {}, m.value === null ? 'n/a' : String(Math.round(m.value * 1000) / 1000)), el('td', {}, m.unit)))));
  }
  if (state.runLog.length) {
    tab.append(el('h3', {}, 'Output' + (state.exit !== null && state.exit !== undefined ? ' (exit ' + state.exit + ')' : '')),
      el('pre', {class: 'log', id: 'run-log'}, state.runLog.map(l => l.line).join('\n')));
  }
  if (state.pastRuns && state.pastRuns.length) {
    tab.append(el('h3', {}, 'Past runs'), el('table', {class: 'runs', id: 'past-runs'}, ...state.pastRuns.slice(0, 20).map(r => {
      const rep = r.report;
      const expectations = (rep.expectations || []).map(x => x.name + ': ' + x.violations + ' of ' + x.rows).join('; ');
      return el('tr', {class: 'run-' + rep.status}, el('td', {}, rep.endedAt || ''), el('td', {}, rep.status),
        el('td', {}, rep.durationSeconds === undefined ? '' : rep.durationSeconds + ' s'), el('td', {}, expectations));
    })));
  }
}

// ---------------------------------------------------------------------------------------------

function setup() {
  setupPanZoom();
  document.getElementById('undo').addEventListener('click', undo);
  document.getElementById('redo').addEventListener('click', redo);
  document.getElementById('save').addEventListener('click', save);
  document.getElementById('fit').addEventListener('click', fitView);
  document.getElementById('schemas').addEventListener('change', ev => { state.showSchemas = ev.target.checked; draw(); });
  document.getElementById('open-run').addEventListener('click', () => showTab('run'));
  const search = document.getElementById('search');
  search.addEventListener('input', highlightSearch);
  search.addEventListener('keydown', ev => { if (ev.key === 'Enter') { const id = highlightSearch(); if (id) { select(id); centerOn(id); } } });
  for (const b of document.querySelectorAll('#side nav button')) b.addEventListener('click', () => showTab(b.dataset.tab));
  document.addEventListener('keydown', ev => {
    const inField = ev.target && /INPUT|TEXTAREA|SELECT/.test(ev.target.tagName);
    if ((ev.ctrlKey || ev.metaKey) && ev.key.toLowerCase() === 's') { ev.preventDefault(); save(); }
    else if (!inField && (ev.ctrlKey || ev.metaKey) && ev.key.toLowerCase() === 'z') { ev.preventDefault(); ev.shiftKey ? redo() : undo(); }
  });
  window.addEventListener('beforeunload', ev => { if (JSON.stringify(state.pipeline) !== state.saved) ev.preventDefault(); });
  performance.mark('studio:load-start');
  load().then(() => {
    performance.mark('studio:load-end');
    performance.measure('studio:load', 'studio:load-start', 'studio:load-end');
    updateTitle();
  }).catch(e => status('cannot load: ' + e.message, true));
}

document.addEventListener('DOMContentLoaded', setup);
