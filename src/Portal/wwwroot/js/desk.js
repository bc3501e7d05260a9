// The observer's desk (/watch) and the "add to my stations" button of a station page. "My stations" live in this
// browser only (localStorage): no account, nothing sent anywhere but the stations' ids in the desk's address.
const KEY = 'portal.myStations';
const MAX = 30;

function load() {
  try {
    const list = JSON.parse(localStorage.getItem(KEY) || '[]');
    return Array.isArray(list) ? list.filter(id => typeof id === 'string').slice(0, MAX) : [];
  } catch { return []; }
}
const save = list => localStorage.setItem(KEY, JSON.stringify([...new Set(list)].slice(0, MAX)));
const deskUrl = list => list.length ? `/watch?stations=${list.map(encodeURIComponent).join(',')}` : '/watch';

// A station page: one button that adds or removes the station.
const toggle = document.querySelector('[data-watch-toggle]');
if (toggle) {
  const id = toggle.dataset.watchToggle;
  const show = () => {
    const held = load().includes(id);
    toggle.textContent = held ? toggle.dataset.msgRemove : toggle.dataset.msgAdd;
    toggle.setAttribute('aria-pressed', String(held));
  };
  toggle.hidden = false;
  show();
  toggle.addEventListener('click', () => {
    const list = load();
    save(list.includes(id) ? list.filter(x => x !== id) : [...list, id]);
    show();
    const note = document.querySelector('[data-watch-note]');
    if (note) note.textContent = load().includes(id) ? toggle.dataset.msgAdded : toggle.dataset.msgRemoved;
  });
}

const desk = document.querySelector('[data-desk]');
if (desk) {
  const shown = desk.dataset.stations ? desk.dataset.stations.split(',') : [];
  const kept = load();
  const fromAddress = new URLSearchParams(location.search).has('stations');
  // Opened without a list: the one kept in this browser.
  if (!fromAddress && kept.length) location.replace(deskUrl(kept));

  const share = desk.querySelector('[data-desk-share]');
  const copy = desk.querySelector('[data-desk-copy]');
  if (copy && navigator.clipboard) {
    copy.hidden = false;
    copy.addEventListener('click', async () => {
      await navigator.clipboard.writeText(new URL(share.getAttribute('href'), location.href).href);
      copy.textContent = desk.dataset.msgCopied;
    });
  }
  // A shared list that differs from this browser's: offer to keep it.
  const keep = desk.querySelector('[data-desk-keep]');
  if (keep && shown.join(',') !== kept.join(',')) {
    keep.hidden = false;
    keep.addEventListener('click', () => { save(shown); keep.hidden = true; });
  } else if (shown.length && !kept.length) save(shown);

  for (const button of desk.querySelectorAll('[data-desk-remove]')) {
    button.addEventListener('click', () => {
      const rest = shown.filter(id => id !== button.dataset.deskRemove);
      if (shown.join(',') === kept.join(',') || !kept.length) save(rest);
      location.assign(deskUrl(rest));
    });
  }

  startPlayers();
  // Thumbnails beyond the players' limit: a fresh picture every 10 s, a few KB each.
  const thumbs = [...desk.querySelectorAll('img[data-desk-thumb]')];
  if (thumbs.length) setInterval(() => {
    for (const img of thumbs) img.src = img.src.replace(/\?.*$/, '') + '?t=' + Date.now();
  }, 10000);
  followEvents();
}

function startPlayers() {
  for (const video of desk.querySelectorAll('video[data-desk-player]')) {
    const url = `/hls/${encodeURIComponent(video.dataset.deskPlayer)}/live.m3u8`;
    const play = () => {
      if (window.Hls && Hls.isSupported()) {
        const hls = new Hls({ enableWorker: false, liveSyncDurationCount: 3, manifestLoadingMaxRetry: 2 });
        hls.on(Hls.Events.MANIFEST_PARSED, () => video.play().catch(() => {}));
        hls.on(Hls.Events.ERROR, (_, data) => {
          if (!data.fatal) return;
          hls.destroy();
          setTimeout(play, 5000); // the camera may come back: try again
        });
        hls.loadSource(url);
        hls.attachMedia(video);
      } else if (video.canPlayType('application/vnd.apple.mpegurl')) {
        video.src = url;
        video.play().catch(() => {});
      }
    };
    play();
  }
}

// The event list: camera offline/back, turnout reports, protocols. The first message of each kind per station is the
// state at subscription, not news: it only sets what later messages are compared with.
function followEvents() {
  const list = desk.querySelector('[data-desk-events]');
  const empty = desk.querySelector('[data-desk-no-events]');
  if (!list) return;
  const numbers = Object.fromEntries([...desk.querySelectorAll('[data-desk-station]')].map(li => [li.dataset.deskStation, li.dataset.number]));
  const cameraStates = Object.fromEntries([...desk.querySelectorAll('[data-camera-state]')].map(el => [el.dataset.cameraState, el.dataset.state]));
  // Turnout reports already on the page when it was rendered (the server's newest): not news.
  const seenTurnout = Object.fromEntries([...desk.querySelectorAll('[data-desk-station]')].map(li => [li.dataset.deskStation, Date.parse(li.dataset.turnoutAsOf) || 0]));
  const seenResults = {};
  // Cameras that were in trouble since they were last live: their return to live is an event.
  const TROUBLE = ['offline', 'stalled', 'frozen', 'black'];
  const troubled = Object.fromEntries(Object.entries(cameraStates).map(([id, state]) => [id, TROUBLE.includes(state)]));
  const vocabulary = document.querySelector('[data-camera-vocabulary]')?.dataset ?? {};
  const zone = document.body.dataset.timeZone;
  const lang = document.documentElement.lang || 'uz-Latn';
  const time = at => new Date(at).toLocaleTimeString(lang, { hour: '2-digit', minute: '2-digit', hour12: false, timeZone: zone || undefined });
  const station = id => desk.dataset.msgStation.replace('{0}', numbers[id] ?? id);
  // A message's producedAt is the server's real clock; the desk shows election time like the rest of the page
  // (docs/video.md "One clock in the demo": <body> carries the accelerated demo clock's line, else they are the same).
  const line = document.body.dataset;
  const speed = Number(line.clockSpeed) || 1;
  const electionOf = real => (Number(line.clockElection) || 0) + (Date.parse(real) - (Number(line.clockReal) || 0)) * speed;

  function add(kind, at, text) {
    const item = document.createElement('li');
    item.dataset.kind = kind;
    const when = document.createElement('time');
    when.dateTime = new Date(at).toISOString();
    when.textContent = time(at);
    item.append(when, ' ', text);
    list.prepend(item);
    while (list.children.length > 100) list.lastElementChild.remove();
    if (empty) empty.hidden = true;
  }

  document.addEventListener('portal:live', e => {
    const { type, envelope } = e.detail;
    const s = envelope.state;
    if (type === 'camera') {
      if (!(s.stationId in numbers)) return;
      const before = cameraStates[s.cameraId];
      cameraStates[s.cameraId] = s.state;
      const tile = desk.querySelector(`[data-desk-station="${CSS.escape(s.stationId)}"]`);
      if (tile && tile.dataset.cameraId === s.cameraId) tile.dataset.camera = s.state;
      if (before === undefined || before === s.state) return;
      const at = s.since || electionOf(envelope.producedAt);
      const name = station(s.stationId);
      if (s.state === 'live') {
        // Back after an outage (through "starting" or not); a first start is no news.
        if (troubled[s.cameraId]) add('camera-back', at, desk.dataset.msgCameraBack.replace('{0}', name));
        troubled[s.cameraId] = false;
      } else if (s.state === 'offline') {
        troubled[s.cameraId] = true;
        add('camera-offline', at, desk.dataset.msgCameraOffline.replace('{0}', name));
      } else if (TROUBLE.includes(s.state)) {
        troubled[s.cameraId] = true;
        add('camera', at, desk.dataset.msgCamera.replace('{0}', name).replace('{1}', vocabulary[s.state.toLowerCase()] || s.state));
      }
      // "starting" and "unknown" are passing states: the next one tells.
    } else if (type === 'turnout' && s.stationId in numbers) {
      const asOf = Date.parse(s.turnout.asOf);
      if (asOf <= seenTurnout[s.stationId]) return;
      seenTurnout[s.stationId] = asOf;
      add('turnout', s.turnout.asOf, desk.dataset.msgTurnout.replace('{0}', station(s.stationId)));
    } else if (type === 'results') {
      const id = envelope.topic.split(':')[2];
      if (!(id in numbers)) return;
      const first = !seenResults[id];
      seenResults[id] = true;
      if (!first) add('protocol', electionOf(envelope.producedAt), desk.dataset.msgProtocol.replace('{0}', station(id)));
    }
  });
}
