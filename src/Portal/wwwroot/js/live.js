// Live updates for the static pages: one SignalR connection to /hubs/live, subscribed to the topics the page names in
// data-live-topic. Figures, charts, tables and results bars change in place from each message's state (sections marked
// data-patch; the server renders the structure and the words, this sets texts, widths, classes and row order as the
// server would). Sections still marked data-refresh (a station's protocol versions) are re-fetched from their own fragment
// address (throttled) on a results message. Reconnects with capped backoff and resubscribes.
const containers = [...document.querySelectorAll('[data-live-topic]')];
export const formatTime = value => format(value, 'time');
const topics = [...new Set(containers.map(c => c.dataset.liveTopic))];
const lang = document.documentElement.lang || 'uz-Latn';
// Separators and the percent pattern come from the server's culture, so live figures read like server-rendered ones.
const numbers = document.body.dataset;
const group = numbers.numGroup ?? ',';
const decimal = numbers.numDecimal ?? '.';
const groupDigits = digits => digits.replace(/\B(?=(\d{3})+(?!\d))/g, group);
const formatNumber = n => (n < 0 ? '-' : '') + groupDigits(String(Math.round(Math.abs(n))));
function formatPercent(p) {
  const [whole, fraction] = Math.abs(p).toFixed(1).split('.');
  const n = (p < 0 ? '-' : '') + groupDigits(whole) + decimal + fraction;
  switch (numbers.pctPattern) { case '0': return `${n} %`; case '2': return `%${n}`; case '3': return `% ${n}`; default: return `${n}%`; }
}
const status = document.querySelector('[data-live-status]');

export const lastMessage = { at: null, latencyMs: null };

function format(value, kind) {
  if (value === null || value === undefined || Number.isNaN(value)) return '—';
  switch (kind) {
    case 'percent': return formatPercent(value);
    case 'number': return formatNumber(value);
    case 'time': {
      const zone = document.body.dataset.timeZone;
      return new Date(value).toLocaleTimeString(lang, { hour: '2-digit', minute: '2-digit', hour12: false, timeZone: zone || undefined });
    }
    default: return String(value);
  }
}

function flash(el) {
  el.classList.remove('updated');
  void el.offsetWidth; // restart the highlight animation
  el.classList.add('updated');
}

function setText(el, text) {
  if (!el || el.textContent === text) return;
  el.textContent = text;
  flash(el);
}

function setField(container, field, value) {
  for (const el of container.querySelectorAll(`[data-field="${field}"]`)) setText(el, format(value, el.dataset.format));
}

// A server-rendered sentence with figures ({0}, {1}, ... as in the resource string), its figures formatted here.
function fill(el, ...figures) {
  if (!el?.dataset.template) return;
  setText(el, el.dataset.template.replace(/\{(\d+)\}/g, (_, i) => figures[Number(i)] ?? ''));
}

const json = text => { try { return JSON.parse(text || '{}'); } catch { return {}; } };

// An outcome in words as the server's Words.OutcomeDescription writes it: the kind, then the names it concerns.
function describeOutcome(outcome, words, names) {
  if (!outcome) return '—';
  const text = words[outcome.kind] ?? outcome.kind;
  const name = id => names[id] ?? '';
  if (outcome.kind === 'elected') return `${text}: ${name(outcome.winnerId)}`;
  if (outcome.kind === 'repeatVote') return `${text}: ${(outcome.repeatVoteCandidateIds || []).map(name).join(', ')}`;
  return text;
}

const collator = new Intl.Collator(lang);
// The server's "0.#" and "0.##" for SVG coordinates and widths.
const decimals = (v, places) => String(Math.round(v * 10 ** places) / 10 ** places);

// A TurnoutChart (Shared/TurnoutChart.razor) drawn from points [{at, percent}]: line, dots and data rows, the same X and Y.
const SVG = 'http://www.w3.org/2000/svg';
function drawChart(figure, points) {
  if (!figure) return;
  const dots = figure.querySelector('[data-chart-dots]');
  const held = [...dots.children].map(c => `${Date.parse(c.dataset.at)}:${Number(c.dataset.percent)}`).join(' ');
  if (held === points.map(p => `${Date.parse(p.at)}:${p.percent}`).join(' ')) return;
  const from = Date.parse(figure.dataset.chartFrom), to = Date.parse(figure.dataset.chartTo);
  const [left, right, top, bottom, width, height] = figure.dataset.chartBox.split(' ').map(Number);
  const x = at => left + (to <= from ? 0 : Math.min(1, Math.max(0, (Date.parse(at) - from) / (to - from)))) * (width - left - right);
  const y = p => top + (1 - Math.min(100, Math.max(0, p)) / 100) * (height - top - bottom);
  figure.querySelector('polyline.line').setAttribute('points', points.map(p => `${decimals(x(p.at), 1)},${decimals(y(p.percent), 1)}`).join(' '));
  const circles = points.map(p => {
    const c = document.createElementNS(SVG, 'circle');
    c.setAttribute('class', 'dot');
    c.setAttribute('cx', decimals(x(p.at), 1));
    c.setAttribute('cy', decimals(y(p.percent), 1));
    c.setAttribute('r', '3.5');
    c.dataset.at = p.at;
    c.dataset.percent = String(p.percent);
    const title = document.createElementNS(SVG, 'title');
    title.textContent = `${format(p.at, 'time')}: ${formatPercent(p.percent)}`;
    c.append(title);
    return c;
  });
  dots.replaceChildren(...circles);
  figure.querySelector('[data-chart-rows]').replaceChildren(...points.map(p => {
    const row = document.createElement('tr');
    const time = document.createElement('time');
    time.dateTime = p.at;
    time.textContent = format(p.at, 'time');
    const when = document.createElement('td');
    when.append(time);
    const value = document.createElement('td');
    value.className = 'num';
    value.textContent = formatPercent(p.percent);
    row.append(when, value);
    return row;
  }));
  figure.querySelector('[data-chart-empty]').hidden = points.length > 0;
  figure.querySelector('[data-chart-body]').hidden = points.length === 0;
}

const chartPoints = figure => [...(figure?.querySelector('[data-chart-dots]')?.children ?? [])]
  .map(c => ({ at: c.dataset.at, percent: Number(c.dataset.percent) }));

// A StationTable (Shared/StationTable.razor) from an area message's station rows, re-sorted as the server sorts it.
function patchStationTable(table, stations) {
  const words = json(table.dataset.statusWords);
  const byId = new Map(stations.map(s => [s.id, s]));
  const body = table.tBodies[0];
  for (const row of body.rows) {
    const s = byId.get(row.dataset.station);
    if (!s) continue;
    row.dataset.turnout = s.turnout ?? '';
    const status = s.status ?? 'missing';
    row.dataset.status = status;
    row.dataset.ballots = s.ballotsInBoxes ?? '';
    setText(row.querySelector('[data-field="turnout"]'), s.turnout === null || s.turnout === undefined ? '—' : formatPercent(s.turnout));
    setText(row.querySelector('[data-field="status"]'), words[status] ?? status);
    setText(row.querySelector('[data-field="ballots"]'), format(s.ballotsInBoxes, 'number'));
    for (const cell of row.querySelectorAll('td[data-candidate]')) {
      const votes = s.candidateVotes?.[cell.dataset.candidate];
      setText(cell, format(votes, 'number'));
    }
  }
  const key = table.dataset.sort, descending = table.dataset.descending === 'true';
  const directed = v => descending ? -v : v;
  const number = r => Number(r.dataset.number);
  const numeric = field => (a, b) => {
    const [va, vb] = [a.dataset[field], b.dataset[field]];
    if ((va === '') !== (vb === '')) return va === '' ? 1 : -1; // not reported sorts below every figure, both ways
    return va === '' ? 0 : directed(Number(va) - Number(vb));
  };
  // Only the live columns change the order; the others are as the server sorted them.
  const compare = { turnout: numeric('turnout'), ballots: numeric('ballots'),
    status: (a, b) => directed(collator.compare(words[a.dataset.status] ?? '', words[b.dataset.status] ?? '')) }[key];
  if (!compare) return;
  const rows = [...body.rows];
  const sorted = [...rows].sort((a, b) => compare(a, b) || number(a) - number(b));
  if (sorted.some((r, i) => r !== rows[i])) body.append(...sorted);
}

function setTurnoutSentences(c, t) {
  fill(c.querySelector('[data-field="area.issued"]'), formatNumber(t.votersIssuedBallots), formatNumber(t.votersOnList));
  fill(c.querySelector('[data-field="area.reporting"]'), formatNumber(t.stationsReporting), formatNumber(t.stationsTotal));
}

function onArea(envelope) {
  const state = envelope.state;
  for (const c of containers.filter(c => c.dataset.liveTopic === envelope.topic && ['area', 'election'].includes(c.dataset.liveKind))) {
    const t = state.turnout;
    if (t) {
      setTurnoutSentences(c, t);
      setText(c.querySelector('[data-field="area.percent"]'), t.stationsReporting > 0 ? formatPercent(t.percent) : '—');
      setField(c, 'region.percent', t.percent);
    }
    for (const figure of c.querySelectorAll('[data-patch] [data-testid="turnout-chart"]')) drawChart(figure, state.curve || []);
    for (const table of c.querySelectorAll('[data-patch] table.stations')) patchStationTable(table, state.stations || []);
    // The home page's results (after close): each contest's stations, outcomes by kind and votes by party.
    for (const k of state.contests || []) {
      const article = c.querySelector(`[data-patch="national-results"] [data-contest-results="${CSS.escape(k.contestId)}"]`);
      if (!article) continue;
      fill(article.querySelector('[data-field="reported"]'), formatNumber(k.stationsReported), formatNumber(k.stationsTotal));
      const invalidated = article.querySelector('[data-field="invalidated"]');
      if (invalidated) { invalidated.hidden = !(k.stationsInvalidated > 0); fill(invalidated, formatNumber(k.stationsInvalidated)); }
      for (const li of article.querySelectorAll('li[data-outcome]')) setText(li.querySelector('[data-field="count"]'), formatNumber(k.outcomeCounts?.[li.dataset.outcome] ?? 0));
      patchBars(article.querySelector('[data-testid="results-bars"]'), k.partyVotes || {}, k.ballotsInBoxes, null);
    }
    const section = c.querySelector('[data-patch="region-constituencies"]');
    if (section) {
      const words = json(section.dataset.outcomeWords);
      for (const [contestId, rows] of Object.entries(state.constituencies || {})) for (const k of rows) {
        const row = section.querySelector(`table[data-contest="${CSS.escape(contestId)}"] tr[data-constituency="${CSS.escape(k.id)}"]`);
        if (!row) continue;
        fill(row.querySelector('[data-field="reported"]'), formatNumber(k.stationsReported), formatNumber(k.stationsTotal));
        setText(row.querySelector('[data-field="outcome"]'), describeOutcome(k.outcome, words, json(row.dataset.names)));
      }
    }
  }
}

// ResultsBars (Shared/ResultsBars.razor): votes, shares, bar widths, the highlight and the order (most votes first).
function patchBars(figure, votes, basis, highlight) {
  if (!figure) return;
  const list = figure.querySelector('ol');
  for (const li of list.children) {
    const v = votes[li.dataset.candidate] ?? 0;
    li.dataset.votes = String(v);
    setText(li.querySelector('.votes'), formatNumber(v));
    setText(li.querySelector('.share'), formatPercent(basis <= 0 ? 0 : 100 * v / basis));
    li.querySelector('rect.fill')?.setAttribute('width', decimals(basis <= 0 ? 0 : Math.min(100, Math.max(0, 100 * v / basis)), 2));
    li.classList.toggle('highlight', li.dataset.candidate === highlight);
    if (li.className === '') li.removeAttribute('class');
  }
  const items = [...list.children];
  const sorted = [...items].sort((a, b) => Number(b.dataset.votes) - Number(a.dataset.votes) || collator.compare(a.dataset.label, b.dataset.label));
  if (sorted.some((li, i) => li !== items[i])) list.append(...sorted);
  fill(figure.querySelector('[data-field="basis"]'), formatNumber(basis));
}

// A station's protocol status on the desk, from its results message, as the desk's ProtocolStatus says it.
function patchProtocolStatus(dd, details) {
  const contest = dd.dataset.contest;
  const words = json(dd.dataset.statusWords);
  const invalidated = (details.invalidations || []).filter(i => i.contestId === contest).at(-1)?.invalidated === true;
  const latest = (details.protocols || []).filter(p => p.contestId === contest).sort((a, b) => b.version - a.version)[0];
  const text = invalidated ? words.invalidated : !latest ? words.missing
    : latest.version > 1 ? dd.dataset.template.replace('{0}', words.reported).replace('{1}', String(latest.version)) : words.reported;
  setText(dd, text);
}

// A results message (after close): a constituency's outcome, stations reported and bars; a station's protocol status.
function onResults(envelope) {
  const state = envelope.state;
  for (const c of containers.filter(c => c.dataset.liveTopic === envelope.topic)) {
    const dd = c.querySelector('[data-testid="desk-protocol"][data-patch]');
    if (dd && state.protocols) patchProtocolStatus(dd, state);
    const section = c.querySelector('[data-patch="constituency-results"], [data-patch="widget-figures"]');
    if (!section || !state.totals) continue;
    setText(section.querySelector('[data-field="outcome"]'), describeOutcome(state.outcome, json(section.dataset.outcomeWords), json(section.dataset.names)));
    fill(section.querySelector('[data-field="reported"]'), formatNumber(state.stationsReported), formatNumber(state.stationsTotal));
    const invalidated = section.querySelector('[data-field="invalidated"]');
    if (invalidated) {
      invalidated.hidden = !(state.stationsInvalidated > 0);
      fill(invalidated, formatNumber(state.stationsInvalidated));
    }
    patchBars(section.querySelector('[data-testid="results-bars"]'), state.totals.candidateVotes || {}, state.totals.ballotsInBoxes, state.outcome?.winnerId ?? null);
  }
  scheduleRefresh();
}

const bucket = p => (p === null || p === undefined) ? 0 : Math.min(5, Math.max(1, Math.ceil(p / 20)));

function onTurnout(envelope) {
  const state = envelope.state;
  for (const c of containers.filter(c => c.dataset.liveTopic === envelope.topic)) {
    switch (c.dataset.liveKind) {
      case 'election': {
        setField(c, 'turnout.percent', state.turnout.percent);
        setTurnoutSentences(c, state.turnout);
        for (const r of state.regionTurnout || []) {
          const tile = c.querySelector(`[data-tile="${CSS.escape(r.regionId)}"]`);
          if (!tile) continue;
          const reporting = r.turnout.stationsReporting;
          tile.className = `tile t${reporting > 0 ? bucket(r.turnout.percent) : 0}`;
          tile.dataset.reporting = String(reporting);
          setField(tile, 'percent', reporting > 0 ? r.turnout.percent : null);
        }
        break;
      }
      case 'station': {
        const t = state.turnout;
        const onList = t.votersOnList ?? Number(c.dataset.voters);
        setField(c, 'station.issued', t.votersIssuedBallots);
        setField(c, 'station.onList', onList);
        setField(c, 'station.percent', onList > 0 ? 100 * t.votersIssuedBallots / onList : null);
        setField(c, 'station.asOf', t.asOf);
        // The station's curve is its reports: the newest one is a point of it (a repeated time replaces its point).
        const figure = c.querySelector('[data-patch="station-chart"] [data-testid="turnout-chart"]');
        if (figure && t.asOf && onList > 0) {
          const points = chartPoints(figure).filter(p => Date.parse(p.at) !== Date.parse(t.asOf));
          if (points.length === 0) points.push({ at: figure.dataset.chartFrom, percent: 0 });
          points.push({ at: t.asOf, percent: 100 * t.votersIssuedBallots / onList });
          points.sort((a, b) => Date.parse(a.at) - Date.parse(b.at));
          drawChart(figure, points);
        }
        break;
      }
    }
  }
}

// A camera's state in words and colour, and since when (the words come from the page, in its language).
const vocabulary = document.querySelector('[data-camera-vocabulary]')?.dataset ?? {};
function showCamera(s) {
  for (const el of document.querySelectorAll(`[data-camera-state="${CSS.escape(s.cameraId)}"]`)) {
    const changed = el.dataset.state !== s.state;
    el.dataset.state = s.state;
    const words = el.querySelector('[data-camera-words]');
    if (words && vocabulary[s.state.toLowerCase()]) words.textContent = vocabulary[s.state.toLowerCase()];
    const since = el.querySelector('[data-camera-since]');
    if (since && s.since) since.textContent = ' · ' + since.dataset.cameraSince.replace('{0}', format(s.since, 'time'));
    if (changed) { el.classList.remove('updated'); void el.offsetWidth; el.classList.add('updated'); }
  }
  document.dispatchEvent(new CustomEvent('portal:camera', { detail: s }));
}

const onCamera = envelope => showCamera(envelope.state);
const onCameras = envelope => { for (const s of envelope.state.cameras || []) showCamera(s); };

// Re-fetch the sections still marked data-refresh (the station's protocol versions after close, from their fragment) at most
// every few seconds after a results message; the server output-caches pages briefly.
let refreshTimer = null;
let lastRefresh = 0;
function scheduleRefresh() {
  if (refreshTimer || !document.querySelector('[data-refresh]')) return;
  const wait = Math.max(0, 3000 - (Date.now() - lastRefresh));
  refreshTimer = setTimeout(refresh, wait);
}

async function refresh() {
  try {
    // Each section from its fragment address (data-refresh-url): the section alone, rendered as the page renders it.
    for (const section of document.querySelectorAll('[data-refresh]')) {
      const response = await fetch(section.dataset.refreshUrl, { credentials: 'same-origin', headers: { 'Accept': 'text/html' } });
      if (!response.ok) continue;
      const doc = new DOMParser().parseFromString(await response.text(), 'text/html');
      const fresh = doc.querySelector(`[data-refresh="${CSS.escape(section.dataset.refresh)}"]`);
      if (fresh && fresh.innerHTML !== section.innerHTML) section.innerHTML = fresh.innerHTML;
    }
  } catch { /* the next message tries again */ }
  finally {
    lastRefresh = Date.now();
    refreshTimer = null;
  }
}

// A page rendered before polls closed has the embargo notice where its results go, and no structure to patch them into.
// When the first figure of a protocol arrives (polls have closed), it is loaded again once, as the server now renders
// it, at a random moment within a few seconds so that every open page does not ask at the same instant. A page with a
// camera player is not reloaded: the station page's results (its protocols) come from their fragment.
const renderedUnderEmbargo = !!document.querySelector('[data-patch] [data-testid="embargo"]') && !document.querySelector('[data-player]');
let reloadScheduled = false;
function carriesResults(type, state) {
  if (type === 'results') return true;
  if (type !== 'area' || !state) return false;
  return !!state.contests || (state.stations || []).some(s => s.candidateVotes || s.ballotsInBoxes != null)
    || Object.values(state.constituencies || {}).some(list => list.some(c => c.outcome));
}
function reloadWhenResultsArrive(type, envelope) {
  if (!renderedUnderEmbargo || reloadScheduled || !carriesResults(type, envelope.state)) return;
  reloadScheduled = true;
  document.body.dataset.resultsReload = 'scheduled';
  setTimeout(() => location.reload(), 500 + Math.random() * 2500);
}

function received(type, handler) {
  return envelope => {
    reloadWhenResultsArrive(type, envelope);
    lastMessage.at = Date.now();
    lastMessage.latencyMs = Date.now() - Date.parse(envelope.sentAt);
    document.body.dataset.liveMessages = String(Number(document.body.dataset.liveMessages || 0) + 1);
    handler(envelope);
    // For page scripts that react to messages too (the observer's desk and its event list).
    document.dispatchEvent(new CustomEvent('portal:live', { detail: { type, envelope } }));
  };
}

function showStatus(kind) {
  if (!status) return;
  document.body.dataset.live = kind;
  if (kind === 'connected') { status.hidden = true; return; }
  status.textContent = status.dataset.msgReconnecting;
  status.hidden = false;
}

// Capped exponential backoff with jitter, never giving up: viewers leave a station page open all day.
const delay = attempt => Math.min(30000, 500 * 2 ** Math.min(attempt, 6)) * (0.5 + Math.random() / 2);

async function subscribeAll(connection) {
  for (const topic of topics) await connection.invoke('Subscribe', topic);
}

// WebSockets without negotiation first (any node behind the edge can take one); behind a proxy that refuses WebSockets,
// server-sent events, then long polling, negotiated (the edge keeps a negotiated connection's requests on one node).
const transports = () => [
  { transport: signalR.HttpTransportType.WebSockets, skipNegotiation: true },
  { transport: signalR.HttpTransportType.ServerSentEvents | signalR.HttpTransportType.LongPolling },
];
let transportIndex = 0;

function build(options) {
  const connection = new signalR.HubConnectionBuilder()
    .withUrl('/hubs/live', options)
    .withAutomaticReconnect({ nextRetryDelayInMilliseconds: ctx => delay(ctx.previousRetryCount) })
    .configureLogging(signalR.LogLevel.Warning)
    .build();
  connection.on('turnout', received('turnout', onTurnout));
  connection.on('results', received('results', onResults));
  connection.on('area', received('area', onArea));
  connection.on('camera', received('camera', onCamera));
  connection.on('cameras', received('cameras', onCameras));
  connection.onreconnecting(() => showStatus('reconnecting'));
  connection.onreconnected(async () => {
    // Groups do not survive a new connection: subscribe again (the hub sends each topic's newest state).
    try { await subscribeAll(connection); showStatus('connected'); } catch { await connection.stop(); }
  });
  connection.onclose(() => { showStatus('reconnecting'); connect(0); });
  return connection;
}

async function start() {
  if (topics.length === 0 || !window.signalR) return;
  await connect(0);
}

let connecting = false;
async function connect(attempt) {
  if (connecting) return;
  connecting = true;
  try { await connectLoop(attempt); } finally { connecting = false; }
}

async function connectLoop(attempt) {
  for (;;) {
    const connection = build(transports()[transportIndex]);
    try {
      await connection.start();
      await subscribeAll(connection);
      showStatus('connected');
      return;
    } catch {
      showStatus('reconnecting');
      try { await connection.stop(); } catch { /* already stopped */ }
      // The other way next time: a WebSocket refused by a proxy is not tried forever, nor the fallback once WebSockets pass.
      transportIndex = (transportIndex + 1) % transports().length;
      await new Promise(r => setTimeout(r, delay(attempt++)));
    }
  }
}

start();
