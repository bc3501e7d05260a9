// Copies the browser builds of the npm front-end libraries into the portal's static files.
// They are build output (git-ignored), never committed: the versions are pinned by package-lock.json.
import { cpSync, mkdirSync, existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const target = join(root, "src", "Portal", "wwwroot", "lib");
const files = [
  ["hls.js/dist/hls.min.js", "hls/hls.min.js"],
  ["hls.js/dist/hls.min.js.map", "hls/hls.min.js.map"],
  ["@microsoft/signalr/dist/browser/signalr.min.js", "signalr/signalr.min.js"],
  ["@microsoft/signalr/dist/browser/signalr.min.js.map", "signalr/signalr.min.js.map"],
];
for (const [from, to] of files) {
  const source = join(root, "node_modules", from);
  if (!existsSync(source)) {
    if (from.endsWith(".map")) continue;
    console.error(`missing ${source}: run npm ci first`);
    process.exit(1);
  }
  mkdirSync(dirname(join(target, to)), { recursive: true });
  cpSync(source, join(target, to));
  console.log(`copied ${from} -> wwwroot/lib/${to}`);
}
