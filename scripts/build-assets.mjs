// Copies the pinned front-end libraries from node_modules into the Python package's
// static folder, so the app serves them itself (no CDN; health data never leaks).
import { copyFileSync, mkdirSync, writeFileSync, existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const out = join(root, "src", "spotter", "static", "vendor");
const files = {
  "htmx.min.js": "node_modules/htmx.org/dist/htmx.min.js",
  "alpine.min.js": "node_modules/alpinejs/dist/cdn.min.js",
  "chart.umd.min.js": "node_modules/chart.js/dist/chart.umd.min.js",
};
mkdirSync(out, { recursive: true });
for (const [name, src] of Object.entries(files)) {
  const from = join(root, src);
  if (!existsSync(from)) throw new Error(`missing ${src}: run npm ci first`);
  copyFileSync(from, join(out, name));
}
writeFileSync(join(out, ".built"), new Date().toISOString() + "\n");
console.log(`web assets -> ${out}`);
