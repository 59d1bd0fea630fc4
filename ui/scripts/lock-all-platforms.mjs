// Completes package-lock.json with the per-platform native packages (Rollup's,
// the Tauri CLI's) that npm leaves out when the registry it resolved against
// had no build of them for other platforms. Without them `npm ci` rejects the
// lockfile as out of sync on every OS, and macOS/Windows would lack their
// native binaries. Each added entry carries the parent's exact version and the
// os/cpu/libc npm needs to skip it elsewhere; npm fetches it by name and
// version on the machine that needs it.
//
// Run after any `npm install` that changes the lockfile: `npm run lock:platforms`.
import { readFileSync, writeFileSync } from 'node:fs';

const file = new URL('../package-lock.json', import.meta.url);
const lock = JSON.parse(readFileSync(file, 'utf8'));
const packages = lock.packages;

const OSES = ['darwin', 'linux', 'win32', 'android', 'freebsd', 'openbsd', 'openharmony'];

// "@rollup/rollup-linux-arm-musleabihf" -> { os: linux, cpu: arm, libc: musl }
function platformOf(name) {
  const parts = name.split('/').pop().split('-');
  const at = parts.findIndex((part) => OSES.includes(part));
  if (at < 0 || at + 1 >= parts.length) return null;
  const os = parts[at];
  const cpu = parts[at + 1];
  const abi = parts[at + 2] ?? '';
  const platform = { os: [os], cpu: [cpu] };
  if (os === 'linux' && abi.startsWith('gnu')) platform.libc = ['glibc'];
  if (os === 'linux' && abi.startsWith('musl')) platform.libc = ['musl'];
  return platform;
}

let added = 0;
for (const [path, entry] of Object.entries(packages)) {
  for (const [dep, version] of Object.entries(entry.optionalDependencies ?? {})) {
    const depPath = `node_modules/${dep}`;
    if (packages[depPath]) continue;
    const platform = platformOf(dep);
    if (!platform || !/^\d+\.\d+\.\d+/.test(version)) {
      console.warn(`lock-all-platforms: left out ${dep}@${version} (optional dependency of ${path})`);
      continue;
    }
    // Fields in the order npm writes them, so a later `npm install` keeps the file as is.
    packages[depPath] = {
      version,
      cpu: platform.cpu,
      dev: entry.dev,
      libc: platform.libc,
      license: entry.license,
      optional: true,
      os: platform.os,
    };
    added += 1;
  }
}

const sorted = Object.fromEntries(
  Object.entries(packages).sort(([a], [b]) => (a === '' ? -1 : b === '' ? 1 : a < b ? -1 : a > b ? 1 : 0)),
);
lock.packages = sorted;
writeFileSync(file, `${JSON.stringify(lock, null, 2)}\n`);
console.log(`lock-all-platforms: added ${added} platform package(s)`);
