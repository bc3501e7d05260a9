// The volunteer's counter (/count): asks for a clip, plays it from the archive at 1x or 2x, counts presses of Space or of
// the big button (with undo), and sends the count with the press times (seconds of video from the clip's start).
const root = document.querySelector('[data-counter]');
const video = root?.querySelector('[data-count-video]');
const statusLine = root?.querySelector('[data-count-status]');
const valueOut = root?.querySelector('[data-count-value]');
let hls = null;
let task = null;
let presses = [];
let startOffset = null; // video time (s) where the clip starts in the archive playlist
let speed = 1;

const say = (key, extra = '') => { statusLine.textContent = (root.dataset[key] || '') + (extra ? ' ' + extra : ''); root.dataset.state = key; };

function format(template, ...args) { return template.replace(/\{(\d)\}/g, (_, i) => args[Number(i)]); }

function localTime(iso) {
  // "2024-10-27T08:30:00+05:00" -> "08:30": election time as the station's clock shows it.
  return iso.substring(11, 16);
}

function show() { valueOut.textContent = String(presses.length); }

function press() {
  if (!task || startOffset === null) return;
  presses.push(Math.max(0, video.currentTime - startOffset));
  show();
}

function undo() { presses.pop(); show(); }

async function next() {
  say('msgLoading');
  const response = await fetch('/api/v1/count/task', { credentials: 'same-origin', cache: 'no-store' });
  if (response.status === 204) { say('msgNoTask'); return; }
  if (!response.ok) { say('msgError'); return; }
  task = await response.json();
  presses = [];
  startOffset = null;
  show();
  root.dataset.clip = task.clipId;
  const title = root.querySelector('[data-clip-title]');
  title.hidden = false;
  title.textContent = format(root.dataset.msgClip, task.stationNumber, localTime(task.start), localTime(task.end));
  root.querySelector('[data-count-clip]').hidden = false;
  root.querySelector('[data-count-start]').hidden = true;
  play(task.playlist);
}

function play(url) {
  if (hls) { hls.destroy(); hls = null; }
  const clipStart = Date.parse(task.videoFrom);
  const begin = () => { video.playbackRate = speed; video.play().catch(() => {}); };
  if (window.Hls && Hls.isSupported()) {
    hls = new Hls({ enableWorker: false });
    // The playlist starts with the segment that holds the clip's start: seek to the start itself.
    hls.on(Hls.Events.LEVEL_LOADED, (_, data) => {
      const first = data.details.fragments[0];
      startOffset = first && first.programDateTime ? Math.max(0, (clipStart - first.programDateTime) / 1000) : 0;
      video.currentTime = startOffset;
    });
    hls.on(Hls.Events.MANIFEST_PARSED, begin);
    hls.on(Hls.Events.ERROR, (_, data) => { if (data.fatal) say('msgError'); });
    hls.loadSource(url);
    hls.attachMedia(video);
  } else if (video.canPlayType('application/vnd.apple.mpegurl')) {
    startOffset = 0;
    video.src = url;
    begin();
  } else {
    say('msgError');
  }
}

async function submit() {
  if (!task) return;
  const response = await fetch(`/api/v1/count/clips/${encodeURIComponent(task.clipId)}/counts`, {
    method: 'POST', credentials: 'same-origin', headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ count: presses.length, presses: presses.map(p => Math.round(p * 1000) / 1000) }),
  });
  if (response.status === 201) {
    say('msgThanks');
  } else if (response.status === 409) {
    say('msgAlready');
  } else {
    const body = await response.json().catch(() => ({ errors: [] }));
    say('msgRefused', (body.errors || []).map(e => e.message).join('; '));
    return;
  }
  task = null;
  video.pause();
  root.querySelector('[data-count-clip]').hidden = true;
  const again = root.querySelector('[data-count-start]');
  again.hidden = false;
  again.focus();
}

if (root && video) {
  say('msgNoTask');
  statusLine.textContent = '';
  root.querySelector('[data-count-start]').addEventListener('click', next);
  root.querySelector('[data-count-press]').addEventListener('click', press);
  root.querySelector('[data-count-undo]').addEventListener('click', undo);
  root.querySelector('[data-count-submit]').addEventListener('click', submit);
  for (const b of root.querySelectorAll('[data-speed]')) {
    b.addEventListener('click', () => {
      speed = Number(b.dataset.speed);
      video.playbackRate = speed;
      for (const o of root.querySelectorAll('[data-speed]')) o.setAttribute('aria-pressed', String(o === b));
    });
  }
  video.addEventListener('playing', () => say('msgPlaying'));
  video.addEventListener('timeupdate', () => {
    if (task && startOffset !== null && video.currentTime - startOffset >= task.seconds) { video.pause(); say('msgEnded'); }
  });
  document.addEventListener('keydown', e => {
    if (!task || e.target.closest('input, textarea, select')) return;
    if (e.code === 'Space' || e.key === ' ') { e.preventDefault(); press(); }
    else if (e.key === 'Backspace') { e.preventDefault(); undo(); }
  });
}
