// The station's camera player: hls.js where the browser has Media Source Extensions, the native HLS player otherwise
// (Safari, iOS). A camera picker, and rewind to any moment of today from the gateway's day archive.
const root = document.querySelector('[data-player]');
const video = root?.querySelector('video');
const statusLine = root?.querySelector('[data-player-status]');
let hls = null;
let retryTimer = null;
let current = null; // { cameraId, url, archive }

// Election time and the archive's real time (docs/video.md "One clock in the demo"): the page, the picture's clock and
// the rewind field show election time; the archive and its program-date-time stay real. <body> carries the election
// clock's line on the accelerated demo day; without it the two are the same.
const line = document.body.dataset;
const speed = Number(line.clockSpeed) || 1;
const realAnchor = Number(line.clockReal) || 0;
const electionAnchor = Number(line.clockElection) || 0;
const realOf = electionMs => realAnchor + (electionMs - electionAnchor) / speed;
const electionOf = realMs => electionAnchor + (realMs - realAnchor) * speed;
const atLine = root?.querySelector('[data-player-at]');
const zone = document.body.dataset.timeZone;
const lang = document.documentElement.lang || 'uz-Latn';

function say(key) {
  if (statusLine) statusLine.textContent = root.dataset[key] || '';
  root.dataset.mode = key;
}

function clear() {
  clearTimeout(retryTimer);
  if (atLine) atLine.hidden = true;
  if (hls) { hls.destroy(); hls = null; }
  video.removeAttribute('src');
  video.load();
}

function play(cameraId, url, archive) {
  clear();
  current = { cameraId, url, archive };
  video.dataset.camera = cameraId;
  video.dataset.src = url;
  say('msgWaiting');
  if (window.Hls && Hls.isSupported()) {
    // No worker: the CSP allows scripts from this origin only, and demuxing a 1 Mbps stream needs no thread.
    // Two target durations (1 s segments) behind the live edge instead of hls.js's three: live latency p50 <= 3 s
    // (docs/perf.md, infra/bench/player); after a late segment the player catches up at up to 1.1x instead of
    // staying further behind for the rest of the session.
    hls = new Hls({ enableWorker: false, liveSyncDurationCount: 2, maxLiveSyncPlaybackRate: 1.1, manifestLoadingMaxRetry: 2, levelLoadingMaxRetry: 4 });
    // Read by infra/bench/player: hls.playingDate (program-date-time on screen) and hls.latency.
    video.hls = hls;
    hls.on(Hls.Events.MANIFEST_PARSED, () => { video.play().catch(() => {}); });
    hls.on(Hls.Events.ERROR, (_, data) => {
      if (!data.fatal) return;
      // The live playlist appears a few seconds after a camera starts; a gateway restart also passes. Try again.
      say('msgError');
      const again = current;
      hls.destroy();
      hls = null;
      retryTimer = setTimeout(() => play(again.cameraId, again.url, again.archive), 3000);
    });
    hls.loadSource(url);
    hls.attachMedia(video);
  } else if (video.canPlayType('application/vnd.apple.mpegurl')) {
    video.src = url;
    video.play().catch(() => {});
  } else {
    say('msgError');
  }
}

const liveUrl = id => `/hls/${encodeURIComponent(id)}/live.m3u8`;

// hh:mm[:ss] of the election day (election time) -> the archive from that moment's real instant.
function archiveUrl(id, hhmmss) {
  const [h, m, s = '00'] = hhmmss.split(':');
  const moment = Date.parse(`${root.dataset.day}T${h.padStart(2, '0')}:${m.padStart(2, '0')}:${s.padStart(2, '0')}${root.dataset.offset}`);
  const from = new Date(Math.round(realOf(moment))).toISOString();
  return `/hls/${encodeURIComponent(id)}/archive.m3u8?from=${encodeURIComponent(from)}`;
}

// The archive position on screen, in election time: what the picture's clock shows (program-date-time mapped).
function showPosition() {
  if (!atLine) return;
  const shown = hls?.playingDate ?? (video.getStartDate && !isNaN(video.getStartDate()) ? new Date(video.getStartDate().getTime() + video.currentTime * 1000) : null);
  if (!current?.archive || !shown) { atLine.hidden = true; return; }
  const at = new Date(electionOf(shown.getTime()));
  atLine.dateTime = at.toISOString();
  atLine.textContent = at.toLocaleTimeString(lang, { hour: '2-digit', minute: '2-digit', second: '2-digit', hour12: false, timeZone: zone || undefined });
  atLine.hidden = false;
}

if (root && video) {
  video.addEventListener('playing', () => say(current?.archive ? 'msgArchive' : 'msgLive'));
  video.addEventListener('timeupdate', showPosition);
  for (const button of root.querySelectorAll('[data-camera-pick]')) {
    button.addEventListener('click', () => {
      for (const b of root.querySelectorAll('[data-camera-pick]')) b.setAttribute('aria-pressed', String(b === button));
      play(button.dataset.cameraPick, liveUrl(button.dataset.cameraPick), false);
    });
  }
  root.querySelector('[data-rewind]')?.addEventListener('submit', e => {
    e.preventDefault();
    const at = e.target.elements.at.value;
    if (at) play(video.dataset.camera, archiveUrl(video.dataset.camera, at), true);
  });
  root.querySelector('[data-go-live]')?.addEventListener('click', () => play(video.dataset.camera, liveUrl(video.dataset.camera), false));
  play(video.dataset.camera, liveUrl(video.dataset.camera), false);
}
