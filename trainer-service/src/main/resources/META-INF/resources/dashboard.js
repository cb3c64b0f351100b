// The trainer dashboard: everything comes from the progress topic (server-sent events from
// /dashboard/events: the past first, then live), the runs API (status, stop) and the OpenAPI document
// (the start form's fields). No build step; Chart.js comes from its webjar.
'use strict';

const runs = new Map();          // run id -> what its events said
let selected = null;             // the run shown
let followNewest = true;         // switch to a run that starts, unless the user picked one
const METRICS = ['recall@1', 'recall@5', 'recall@10', 'mrr@10'];
const COLORS = ['#1f77b4', '#ff7f0e', '#2ca02c', '#d62728', '#9467bd', '#8c564b'];

function runOf(id) {
  if (!runs.has(id)) {
    runs.set(id, { id, settings: null, steps: [], epochs: [], checkpoints: [], state: 'RUNNING', detail: null,
      started: null, lastStepAt: null, stepTimes: [] });
  }
  return runs.get(id);
}

function apply(event) {
  const run = runOf(event.runId);
  switch (event.type) {
    case 'RUN_STARTED':
      run.settings = event.config; run.started = Date.parse(event.at); run.state = 'RUNNING';
      if (followNewest) selected = run.id;
      break;
    case 'BATCH_LOSS': {
      // A run resumed after a kill redoes its interrupted epoch: its steps come again and replace the first ones.
      while (run.steps.length && run.steps[run.steps.length - 1].step >= event.step) run.steps.pop();
      run.steps.push({ step: event.step, loss: event.loss, lr: event.learningRate, epoch: event.epoch });
      const at = Date.parse(event.at);
      if (run.lastStepAt !== null) run.stepTimes.push((at - run.lastStepAt.at) / (event.step - run.lastStepAt.step));
      if (run.stepTimes.length > 20) run.stepTimes.shift();
      run.lastStepAt = { at, step: event.step };
      break;
    }
    case 'EPOCH_FINISHED':
      // Idempotent by (run, epoch): a redone epoch's EPOCH_FINISHED replaces the first (docs/topics.md).
      run.epochs = run.epochs.filter((e) => e.epoch < event.epoch);
      run.epochs.push({ epoch: event.epoch, step: event.step, values: event.values || {} });
      break;
    case 'CHECKPOINT_SAVED':
      run.checkpoints.push({ epoch: event.epoch, step: event.step, path: event.path, values: event.values || {},
        kind: event.detail === 'best' ? 'best' : 'epoch' });
      break;
    case 'RUN_FINISHED':
      run.state = (event.detail || '').startsWith('stopped') ? 'STOPPED' : 'FINISHED'; run.detail = event.detail;
      break;
    case 'RUN_FAILED':
      run.state = 'FAILED'; run.detail = event.detail;
      break;
    case 'SEARCH_EVALUATED':
      // search-service's: the trained model's metrics unprefixed, each baseline's as "<system>/<metric>".
      run.evaluation = { epoch: event.epoch, values: event.values || {} };
      break;
    default:
      break;
  }
  if (selected === null) selected = run.id;
}

// ---- charts ------------------------------------------------------------------------------------
function lineChart(canvas, yTitle, extraScales) {
  return new Chart(canvas, {
    type: 'line',
    data: { datasets: [] },
    options: {
      animation: false, parsing: false, normalized: true, responsive: true,
      interaction: { mode: 'nearest', intersect: false },
      scales: Object.assign({ x: { type: 'linear', title: { display: true, text: 'step' } },
        y: { title: { display: true, text: yTitle } } }, extraScales || {}),
      plugins: { legend: { labels: { boxWidth: 12 } } },
    },
  });
}

let stepChart, epochChart, metricChart;
function createCharts() {
  stepChart = lineChart(document.getElementById('step-chart'), 'loss',
    { lr: { position: 'right', title: { display: true, text: 'learning rate' }, grid: { drawOnChartArea: false },
      ticks: { callback: value => readable(value) } } });
  epochChart = lineChart(document.getElementById('epoch-chart'), 'loss');
  epochChart.options.scales.x.title.text = 'epoch';
  metricChart = lineChart(document.getElementById('metric-chart'), 'value');
  metricChart.options.scales.x.title.text = 'epoch';
  metricChart.options.scales.y.min = 0;
  metricChart.options.scales.y.max = 1;
}

function overlays() {
  return Array.from(document.getElementById('overlay-select').selectedOptions).map(o => o.value)
    .filter(id => id !== selected && runs.has(id));
}

function renderCharts(run) {
  const others = overlays().map(id => runs.get(id));
  const stepSets = [
    { label: `train loss (${run.id})`, data: run.steps.map(s => ({ x: s.step, y: s.loss })), borderColor: COLORS[0], pointRadius: 0 },
    { label: 'learning rate', data: run.steps.map(s => ({ x: s.step, y: s.lr })), borderColor: '#aaa', yAxisID: 'lr', pointRadius: 0, borderWidth: 1 },
  ];
  others.forEach((other, i) => stepSets.push({ label: `train loss (${other.id})`, borderDash: [6, 4], pointRadius: 0,
    data: other.steps.map(s => ({ x: s.step, y: s.loss })), borderColor: COLORS[(i + 1) % COLORS.length] }));
  stepChart.data.datasets = stepSets;
  stepChart.update('none');
  document.getElementById('step-chart').dataset.points = String(run.steps.length);

  const epochSets = [
    { label: 'train loss', data: run.epochs.map(e => ({ x: e.epoch, y: e.values.train_loss })), borderColor: COLORS[0] },
    { label: 'val loss', data: run.epochs.map(e => ({ x: e.epoch, y: e.values.val_loss })), borderColor: COLORS[1] },
  ];
  others.forEach((other, i) => epochSets.push({ label: `val loss (${other.id})`, borderDash: [6, 4],
    data: other.epochs.map(e => ({ x: e.epoch, y: e.values.val_loss })), borderColor: COLORS[(i + 2) % COLORS.length] }));
  epochChart.data.datasets = epochSets;
  epochChart.update('none');

  metricChart.data.datasets = METRICS.map((metric, i) => ({ label: `${metric} (val split)`, borderColor: COLORS[i],
    data: run.epochs.filter(e => e.values[metric] !== undefined).map(e => ({ x: e.epoch, y: e.values[metric] })) }));
  others.forEach((other, i) => metricChart.data.datasets.push({ label: `mrr@10 (${other.id})`, borderDash: [6, 4],
    data: other.epochs.map(e => ({ x: e.epoch, y: e.values['mrr@10'] })), borderColor: COLORS[(i + 4) % COLORS.length] }));
  metricChart.update('none');
}

// ---- status, tables ----------------------------------------------------------------------------
const statusCache = new Map(); // run id -> GET /runs/{id} (total steps), refreshed while running

async function refreshStatus(run) {
  try {
    const response = await fetch(`runs/${encodeURIComponent(run.id)}`);
    if (response.ok) statusCache.set(run.id, await response.json());
  } catch (e) { /* the run belongs to another trainer instance, or the service restarted */ }
}

function format(value, digits) {
  return value === undefined || value === null || Number.isNaN(value) ? '–' : Number(value).toFixed(digits);
}

/** A number as a person writes it: 2e-5, 0.532, 1200 (no 4.000000E-5). */
function readable(value) {
  const n = Number(value);
  if (!Number.isFinite(n)) return String(value);
  if (Number.isInteger(n)) return String(n);
  // Three significant digits: chart ticks arrive as 3.9999999999999e-5.
  const rounded = Number(n.toPrecision(3));
  return rounded !== 0 && Math.abs(rounded) < 1e-3 ? rounded.toExponential().replace('e+', 'e') : String(rounded);
}

/** The model settings in a line: type, layers, hidden size, vocabulary. */
function modelSummary(model) {
  if (!model || typeof model !== 'object') return String(model ?? '');
  const type = model.model_type || model.modelType || 'model';
  const layers = model.num_hidden_layers ?? model.numHiddenLayers;
  const hidden = model.hidden_size ?? model.hiddenSize;
  const vocab = model.vocab_size ?? model.vocabSize;
  return `${type}, ${layers} layers, hidden ${hidden}, vocabulary ${vocab}`;
}

function relativeTo(root, path) {
  if (!root || !path) return path || '';
  const prefix = root.endsWith('/') ? root : root + '/';
  return path.startsWith(prefix) ? path.slice(prefix.length) : path;
}

function duration(seconds) {
  if (!Number.isFinite(seconds) || seconds < 0) return '–';
  const h = Math.floor(seconds / 3600), m = Math.floor(seconds % 3600 / 60), s = Math.round(seconds % 60);
  return h > 0 ? `${h} h ${m} min` : m > 0 ? `${m} min ${s} s` : `${s} s`;
}

function renderStatus(run) {
  const status = statusCache.get(run.id);
  const last = run.steps[run.steps.length - 1];
  const epoch = last ? last.epoch : run.epochs.length;
  const total = status && status.total_steps ? status.total_steps : null;
  const step = status && status.step !== undefined ? Math.max(status.step, last ? last.step : 0) : (last ? last.step : 0);
  const msPerStep = run.stepTimes.length ? run.stepTimes.reduce((a, b) => a + b, 0) / run.stepTimes.length : NaN;
  const batch = run.settings ? Number(run.settings.batch_size) : NaN;
  const lastEpoch = run.epochs[run.epochs.length - 1];
  const rate = run.state === 'RUNNING' && Number.isFinite(msPerStep) ? batch * 1000 / msPerStep
    : lastEpoch ? lastEpoch.values.pairs_per_second : NaN;
  document.getElementById('status-state').textContent = run.state + (run.detail ? `: ${run.detail}` : '');
  document.getElementById('status-progress').textContent = `epoch ${epoch || '–'}, step ${step}${total ? ' of ' + total : ''}`;
  document.getElementById('status-rate').textContent = format(rate, 1);
  document.getElementById('status-eta').textContent = run.state === 'RUNNING' && total && Number.isFinite(msPerStep)
    ? duration((total - step) * msPerStep / 1000) : '–';
  document.getElementById('status-loss').textContent = last ? `${format(last.loss, 4)} / ${readable(last.lr)}` : '–';
  document.getElementById('stop-button').disabled = run.state !== 'RUNNING';
}

const EVALUATION_SYSTEMS = [['', 'trained model'], ['zero-shot/', 'start model (zero-shot)'],
  ['bm25/', 'BM25 (keywords)'], ['hybrid/', 'hybrid (trained + BM25)']];
const EVALUATION_METRICS = ['recall@1', 'recall@5', 'recall@10', 'mrr@10', 'ndcg@10'];

function renderEvaluation(run) {
  const body = document.querySelector('#evaluation tbody');
  const note = document.getElementById('evaluation-note');
  if (!run.evaluation) {
    body.innerHTML = '';
    note.textContent = 'search-service publishes it after it serves a checkpoint of this run';
    return;
  }
  const values = run.evaluation.values;
  note.textContent = `epoch ${run.evaluation.epoch}: ${format(values.queries, 0)} val papers ranked against all `
    + `${format(values.repositories, 0)} repositories (the chart above ranks the val split's repositories only)`;
  body.innerHTML = EVALUATION_SYSTEMS.filter(([prefix]) => values[prefix + 'mrr@10'] !== undefined)
    .map(([prefix, name]) => `<tr><th>${name}</th>`
      + EVALUATION_METRICS.map(m => `<td>${format(values[prefix + m], 3)}</td>`).join('') + '</tr>').join('');
}

function renderTables(run) {
  renderEvaluation(run);
  const root = run.settings ? run.settings.checkpoint_dir : null;
  const rows = run.checkpoints.map(c => {
    const [metric, value] = Object.entries(c.values)[0] || ['', NaN];
    return `<tr><td>${c.epoch}</td><td>${c.step}</td><td>${escapeHtml(metric)} ${format(value, 3)}</td>`
      + `<td>${c.kind}</td><td title="${escapeHtml(c.path || '')}">${escapeHtml(relativeTo(root, c.path))}</td></tr>`;
  });
  document.querySelector('#checkpoints tbody').innerHTML = rows.join('');
  const settings = Object.entries(run.settings || {}).map(([k, v]) => {
    const text = v === null ? '' : k === 'model' ? modelSummary(v) : typeof v === 'object' ? JSON.stringify(v)
      : typeof v === 'number' ? readable(v) : String(v);
    return `<tr><th>${escapeHtml(k)}</th><td>${escapeHtml(text)}</td></tr>`;
  });
  document.querySelector('#settings tbody').innerHTML = settings.join('');
}

function renderRunLists() {
  const ids = Array.from(runs.keys());
  for (const id of ['run-select', 'overlay-select']) {
    const select = document.getElementById(id);
    const chosen = new Set(Array.from(select.selectedOptions).map(o => o.value));
    if (select.options.length !== ids.length) {
      select.innerHTML = ids.map(r => `<option value="${escapeHtml(r)}">${escapeHtml(r)}</option>`).join('');
      Array.from(select.options).forEach(o => { o.selected = chosen.has(o.value); });
    }
  }
  document.getElementById('run-select').value = selected;
}

// A repository's URL comes from whoever published the pair: only an absolute http(s) URL becomes a link
// (a javascript: or data: URL would run in this page, with the API key typed into it); anything else
// shows the name as text.
function safeHttpUrl(url) {
  try {
    const parsed = new URL(String(url));
    return parsed.protocol === 'http:' || parsed.protocol === 'https:' ? parsed.href : null;
  } catch (e) {
    return null;
  }
}

function repositoryLink(result) {
  const href = result.url ? safeHttpUrl(result.url) : null;
  const name = escapeHtml(result.repository);
  return href ? `<a href="${escapeHtml(href)}" rel="noopener noreferrer">${name}</a>` : `<span class="repository">${name}</span>`;
}

function escapeHtml(text) {
  return String(text).replace(/[&<>"']/g, c => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }[c]));
}

let renderPending = false;
function scheduleRender() {
  if (renderPending) return;
  renderPending = true;
  setTimeout(() => {
    renderPending = false;
    const run = selected === null ? undefined : runs.get(selected);
    if (!run) return;
    renderRunLists();
    renderCharts(run);
    renderStatus(run);
    renderTables(run);
  }, 250);
}

// ---- start and stop ------------------------------------------------------------------------------
function headers() {
  const key = document.getElementById('api-key').value;
  const result = { 'Content-Type': 'application/json' };
  if (key) result.Authorization = `Bearer ${key}`;
  return result;
}

async function errorOf(response) {
  try {
    const body = await response.json();
    return body.error || JSON.stringify(body);
  } catch (e) {
    return `${response.status} ${response.statusText}`;
  }
}

async function buildStartForm() {
  const response = await fetch('q/openapi?format=json');
  const schema = (await response.json()).components.schemas.RunSettings;
  const fields = Object.entries(schema.properties).map(([name, field]) => {
    const type = Array.isArray(field.type) ? field.type[0] : field.type;
    const placeholder = field.default === undefined ? '' : String(field.default);
    return `<label title="${escapeHtml(field.description || '')}">${escapeHtml(name)}`
      + `<input name="${escapeHtml(name)}" data-type="${escapeHtml(type)}" placeholder="${escapeHtml(placeholder)}"></label>`;
  });
  document.getElementById('start-fields').innerHTML = fields.join('');
}

function formValue(input) {
  const text = input.value.trim();
  const type = input.dataset.type;
  // Numbers and booleans go as JSON values when they read as such; anything else goes as typed, so
  // that the trainer's own validation names the bad value.
  if ((type === 'integer' || type === 'number') && text !== '' && !Number.isNaN(Number(text))) return Number(text);
  if (type === 'boolean' && (text === 'true' || text === 'false')) return text === 'true';
  return text;
}

async function startRun(event) {
  event.preventDefault();
  const body = {};
  document.querySelectorAll('#start-fields input').forEach(input => {
    if (input.value.trim() !== '') body[input.name] = formValue(input);
  });
  const message = document.getElementById('start-message');
  const response = await fetch('runs', { method: 'POST', headers: headers(), body: JSON.stringify(body) });
  if (response.ok) {
    const status = await response.json();
    message.className = 'message ok';
    message.textContent = `started ${status.run_id}`;
    followNewest = true;
  } else {
    message.className = 'message error';
    message.textContent = await errorOf(response);
  }
}

async function stopRun() {
  const message = document.getElementById('stop-message');
  const response = await fetch(`runs/${encodeURIComponent(selected)}/stop`, { method: 'POST', headers: headers() });
  message.className = response.ok ? 'message ok' : 'message error';
  message.textContent = response.ok ? `stop requested for ${selected}` : await errorOf(response);
}

// ---- search (forwarded by the trainer to search-service when trainer.dashboard.search-url is set) ----
async function search(event) {
  event.preventDefault();
  const query = document.getElementById('search-query').value.trim();
  const message = document.getElementById('search-message');
  const list = document.getElementById('search-results');
  list.innerHTML = '';
  if (!query) return;
  const response = await fetch(`dashboard/search?k=10&q=${encodeURIComponent(query)}`);
  if (!response.ok) {
    message.className = 'message error';
    message.textContent = await errorOf(response);
    return;
  }
  const answer = await response.json();
  message.className = 'message';
  // search-service's answer is snake_case (run_id, max_length).
  message.textContent = `${answer.method} search, model of ${answer.checkpoint.run_id} epoch ${answer.checkpoint.epoch}`
    + (answer.query.truncated ? ` (query truncated to ${answer.query.max_length} tokens)` : '');
  list.innerHTML = answer.results.map(r => `<li>${repositoryLink(r)} `
    + `<span class="hint">${format(r.score, 3)}</span> ${escapeHtml(r.description || '')}</li>`).join('');
}

// ---- wiring --------------------------------------------------------------------------------------
function connect() {
  const badge = document.getElementById('connection');
  const source = new EventSource('dashboard/events');
  source.onopen = () => { badge.textContent = 'live'; badge.className = 'badge live'; };
  source.onerror = () => { badge.textContent = 'reconnecting…'; badge.className = 'badge down'; };
  source.onmessage = message => {
    // A reconnect replays everything kept: start again from an empty state.
    apply(JSON.parse(message.data));
    scheduleRender();
  };
  source.addEventListener('open', () => { runs.clear(); });
}

document.addEventListener('DOMContentLoaded', () => {
  createCharts();
  document.getElementById('run-select').addEventListener('change', e => {
    selected = e.target.value; followNewest = false; scheduleRender();
  });
  document.getElementById('overlay-select').addEventListener('change', scheduleRender);
  document.getElementById('start-form').addEventListener('submit', startRun);
  document.getElementById('stop-button').addEventListener('click', stopRun);
  document.getElementById('search-form').addEventListener('submit', search);
  fetch('dashboard/config').then(r => r.json()).then(options => {
    document.getElementById('search-panel').hidden = !options.search;
  });
  buildStartForm().catch(e => { document.getElementById('start-message').textContent = `no settings form: ${e}`; });
  connect();
  setInterval(() => {
    const run = selected && runs.get(selected);
    if (run && run.state === 'RUNNING') refreshStatus(run).then(scheduleRender);
  }, 2000);
});
