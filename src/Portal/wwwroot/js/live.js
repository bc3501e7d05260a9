// Live updates for the static pages: one SignalR connection to /hubs/live, subscribed to the topics the page names in
// data-live-topic. Figures change in place from each message; charts and result sections are re-fetched from the
// server (throttled) so they stay exactly as the server renders them. Reconnects with capped backoff and resubscribes.
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

function setField(container, field, value) {
  for (const el of container.querySelectorAll(`[data-field="${field}"]`)) {
    const text = format(value, el.dataset.format);
    if (el.textContent !== text) {
      el.textContent = text;
      el.classList.remove('updated');
      void el.offsetWidth; // restart the highlight animation
      el.classList.add('updated');
    }
  }
}

const bucket = p => (p === null || p === undefined) ? 0 : Math.min(5, Math.max(1, Math.ceil(p / 20)));

function onTurnout(envelope) {
  const state = envelope.state;
  for (const c of containers.filter(c => c.dataset.liveTopic === envelope.topic)) {
    switch (c.dataset.liveKind) {
      case 'election':
        setField(c, 'turnout.percent', state.turnout.percent);
        for (const r of state.regionTurnout || []) {
          const tile = c.querySelector(`[data-tile="${CSS.escape(r.regionId)}"]`);
          if (!tile) continue;
          const reporting = r.turnout.stationsReporting;
          tile.className = `tile t${reporting > 0 ? bucket(r.turnout.percent) : 0}`;
          setField(tile, 'percent', reporting > 0 ? r.turnout.percent : null);
        }
        break;
      case 'region': {
        const r = (state.regionTurnout || []).find(x => x.regionId === c.dataset.region);
        if (r) setField(c, 'region.percent', r.turnout.percent);
        break;
      }
      case 'station': {
        const t = state.turnout;
        const onList = t.votersOnList ?? Number(c.dataset.voters);
        setField(c, 'station.issued', t.votersIssuedBallots);
        setField(c, 'station.onList', onList);
        setField(c, 'station.percent', onList > 0 ? 100 * t.votersIssuedBallots / onList : null);
        setField(c, 'station.asOf', t.asOf);
        break;
      }
    }
  }
  scheduleRefresh();
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

// Re-fetch the sections marked data-refresh at most every few seconds; the server output-caches pages briefly.
let refreshTimer = null;
let lastRefresh = 0;
function scheduleRefresh() {
  if (refreshTimer || !document.querySelector('[data-refresh]')) return;
  const wait = Math.max(0, 3000 - (Date.now() - lastRefresh));
  refreshTimer = setTimeout(refresh, wait);
}

async function refresh() {
  try {
    const response = await fetch(location.href, { credentials: 'same-origin', headers: { 'Accept': 'text/html' } });
    if (!response.ok) return;
    const doc = new DOMParser().parseFromString(await response.text(), 'text/html');
    for (const section of document.querySelectorAll('[data-refresh]')) {
      const fresh = doc.querySelector(`[data-refresh="${CSS.escape(section.dataset.refresh)}"]`);
      if (fresh && fresh.innerHTML !== section.innerHTML) section.innerHTML = fresh.innerHTML;
    }
  } catch { /* the next message tries again */ }
  finally {
    lastRefresh = Date.now();
    refreshTimer = null;
  }
}

function received(type, handler) {
  return envelope => {
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
  connection.on('results', received('results', () => scheduleRefresh()));
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
