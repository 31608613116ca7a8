// Draws the app and tray icons as real PNGs with nothing but node:zlib, so the
// packaging resources are reproducible from the repo: `tsx scripts/make-icons.ts`.
// Shapes are sampled 4×4 per pixel for smooth edges.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { deflateSync } from 'node:zlib';

type Rgb = readonly [number, number, number];
/** Coverage of a point in the unit square (0..1 both ways, y down): the colour there, or null. */
type Shape = (x: number, y: number) => Rgb | null;

const buildDir = join(dirname(fileURLToPath(import.meta.url)), '..', 'build');

const crcTable = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(bytes: Buffer): number {
  let c = 0xffffffff;
  for (const byte of bytes) c = crcTable[(c ^ byte) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}

/** An 8-bit RGBA PNG of `shape` at size×size pixels. */
export function renderPng(shape: Shape, size: number): Buffer {
  const samples = 4;
  const rows: Buffer[] = [];
  for (let py = 0; py < size; py++) {
    const row = Buffer.alloc(1 + size * 4); // filter byte 0: none
    for (let px = 0; px < size; px++) {
      let r = 0,
        g = 0,
        b = 0,
        hits = 0;
      for (let sy = 0; sy < samples; sy++) {
        for (let sx = 0; sx < samples; sx++) {
          const colour = shape((px + (sx + 0.5) / samples) / size, (py + (sy + 0.5) / samples) / size);
          if (!colour) continue;
          r += colour[0];
          g += colour[1];
          b += colour[2];
          hits++;
        }
      }
      if (hits > 0) row.set([r / hits, g / hits, b / hits, (255 * hits) / samples ** 2].map(Math.round), 1 + px * 4);
    }
    rows.push(row);
  }
  const header = Buffer.alloc(13);
  header.writeUInt32BE(size, 0);
  header.writeUInt32BE(size, 4);
  header.set([8, 6, 0, 0, 0], 8); // 8 bits, RGBA, deflate, no filter, no interlace
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(Buffer.concat(rows), { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

const navy: Rgb = [22, 52, 96];
const sea: Rgb = [38, 132, 196];
const foam: Rgb = [236, 244, 250];

/** A shield (flat top, curved sides meeting at a point) with a wave across it. */
const shield: Shape = (x, y) => {
  const cx = Math.abs(x - 0.5);
  const top = 0.1,
    shoulder = 0.45,
    bottom = 0.92,
    halfWidth = 0.38;
  if (y < top || y > bottom) return null;
  const half = y < shoulder ? halfWidth : halfWidth * Math.sqrt(1 - ((y - shoulder) / (bottom - shoulder)) ** 2);
  if (cx > half) return null;
  if (cx > half - 0.035 || y < top + 0.035) return navy; // rim
  const wave = 0.56 + 0.04 * Math.sin((x - 0.12) * Math.PI * 4);
  if (y > wave && y < wave + 0.07) return foam;
  return y > wave ? navy : sea;
};

/** A status dot for the tray: a light ring keeps it visible on dark and light bars. */
const dot =
  (fill: Rgb): Shape =>
  (x, y) => {
    const d = Math.hypot(x - 0.5, y - 0.5);
    if (d > 0.47) return null;
    return d > 0.36 ? foam : fill;
  };

export const trayStates = {
  disconnected: dot([128, 136, 146]),
  connecting: dot([232, 163, 23]),
  connected: dot([34, 170, 84]),
} as const;

function write(path: string, png: Buffer): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, png);
  console.log(`wrote ${path} (${png.length} bytes)`);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  write(join(buildDir, 'icon.png'), renderPng(shield, 512));
  for (const size of [512, 256, 128, 64, 32, 16])
    write(join(buildDir, 'icons', `${size}x${size}.png`), renderPng(shield, size));
  for (const [state, shape] of Object.entries(trayStates)) {
    write(join(buildDir, 'icons', `tray-${state}.png`), renderPng(shape, 16));
    write(join(buildDir, 'icons', `tray-${state}@2x.png`), renderPng(shape, 32));
  }
}
