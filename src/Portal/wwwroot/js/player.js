// The station's camera player: hls.js where the browser has Media Source Extensions, the native HLS player otherwise
// (Safari, iOS). A camera picker, and rewind to any moment of today from the gateway's day archive.
const root = document.querySelector('[data-player]');
const video = root?.querySelector('video');
const statusLine = root?.querySelector('[data-player-status]');
let hls = null;
let retryTimer = null;
let current = null; // { cameraId, url, archive }

function say(key) {
  if (statusLine) statusLine.textContent = root.dataset[key] || '';
  root.dataset.mode = key;
}

function clear() {
  clearTimeout(retryTimer);
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

function archiveUrl(id, hhmmss) {
  const [h, m, s = '00'] = hhmmss.split(':');
  const from = `${root.dataset.day}T${h.padStart(2, '0')}:${m.padStart(2, '0')}:${s.padStart(2, '0')}${root.dataset.offset}`;
  return `/hls/${encodeURIComponent(id)}/archive.m3u8?from=${encodeURIComponent(from)}`;
}

if (root && video) {
  video.addEventListener('playing', () => say(current?.archive ? 'msgArchive' : 'msgLive'));
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
