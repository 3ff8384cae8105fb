#!/usr/bin/env node
// Draws Canopy's icons (a tree crown over a trunk) and writes them to assets/ as PNG and ICO:
// `node scripts/generate-icons.mjs`. Plain Node: shapes are sampled 4×4 per pixel for smooth edges.
import { deflateSync } from 'node:zlib';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const OUT = join(import.meta.dirname, '..', 'assets');
const SAMPLES = 4;

const circle = (cx, cy, r) => (x, y) => (x - cx) ** 2 + (y - cy) ** 2 <= r * r;
const rect = (x0, y0, x1, y1) => (x, y) => x >= x0 && x <= x1 && y >= y0 && y <= y1;
const union = (...shapes) => (x, y) => shapes.some((shape) => shape(x, y));

// The tree, in a unit square.
const crown = union(circle(0.5, 0.36, 0.25), circle(0.29, 0.5, 0.18), circle(0.71, 0.5, 0.18), rect(0.29, 0.5, 0.71, 0.66));
const trunk = rect(0.44, 0.6, 0.56, 0.9);
const tree = union(crown, trunk);
// The attention dot, with a clear ring around it so it reads on any background.
const dot = circle(0.8, 0.2, 0.16);
const ring = circle(0.8, 0.2, 0.23);

/** layers: [shape, [r,g,b,a]] painted in order; `cut` shapes clear what is under them. */
function render(size, layers) {
  const pixels = new Uint8Array(size * size * 4);
  for (let py = 0; py < size; py++) {
    for (let px = 0; px < size; px++) {
      let [r, g, b, a] = [0, 0, 0, 0];
      for (let sy = 0; sy < SAMPLES; sy++) {
        for (let sx = 0; sx < SAMPLES; sx++) {
          const x = (px + (sx + 0.5) / SAMPLES) / size;
          const y = (py + (sy + 0.5) / SAMPLES) / size;
          let color;
          for (const layer of layers) {
            if (!layer.shape(x, y)) continue;
            color = layer.cut ? undefined : layer.color;
          }
          if (color) {
            const alpha = color[3] / 255;
            r += color[0] * alpha;
            g += color[1] * alpha;
            b += color[2] * alpha;
            a += alpha;
          }
        }
      }
      const i = (py * size + px) * 4;
      const n = SAMPLES * SAMPLES;
      pixels[i] = a ? Math.round(r / a) : 0;
      pixels[i + 1] = a ? Math.round(g / a) : 0;
      pixels[i + 2] = a ? Math.round(b / a) : 0;
      pixels[i + 3] = Math.round((a / n) * 255);
    }
  }
  return pixels;
}

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
function crc32(bytes) {
  let c = 0xffffffff;
  for (const byte of bytes) c = CRC_TABLE[(c ^ byte) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}
function chunk(type, data) {
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}
function png(size, pixels) {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(size, 0);
  header.writeUInt32BE(size, 4);
  header[8] = 8; // bit depth
  header[9] = 6; // RGBA
  const rows = Buffer.alloc(size * (size * 4 + 1));
  for (let y = 0; y < size; y++) Buffer.from(pixels.buffer, y * size * 4, size * 4).copy(rows, y * (size * 4 + 1) + 1);
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(rows, { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}
/** An ICO holding PNG images (Windows Vista and later). */
function ico(images) {
  const header = Buffer.alloc(6);
  header.writeUInt16LE(1, 2);
  header.writeUInt16LE(images.length, 4);
  let offset = 6 + 16 * images.length;
  const entries = images.map(({ size, data }) => {
    const entry = Buffer.alloc(16);
    entry[0] = size >= 256 ? 0 : size;
    entry[1] = size >= 256 ? 0 : size;
    entry.writeUInt16LE(1, 4); // planes
    entry.writeUInt16LE(32, 6); // bits per pixel
    entry.writeUInt32LE(data.length, 8);
    entry.writeUInt32LE(offset, 12);
    offset += data.length;
    return entry;
  });
  return Buffer.concat([header, ...entries, ...images.map(({ data }) => data)]);
}

const BLACK = [0, 0, 0, 255];
const GREEN_DARK = [31, 95, 58, 255];
const GREEN_LIGHT = [222, 244, 230, 255];
const ORANGE = [245, 158, 11, 255];
const WHITE = [255, 255, 255, 255];

const glyph = (color, attention, dotColor = ORANGE) =>
  attention
    ? [{ shape: tree, color }, { shape: ring, cut: true }, { shape: dot, color: dotColor }]
    : [{ shape: tree, color }];

// App icon: white tree on a rounded green square.
const roundedSquare = (() => {
  const r = 0.2;
  const inner = rect(0.06 + r, 0.06, 0.94 - r, 0.94);
  const innerV = rect(0.06, 0.06 + r, 0.94, 0.94 - r);
  const corners = [circle(0.06 + r, 0.06 + r, r), circle(0.94 - r, 0.06 + r, r), circle(0.06 + r, 0.94 - r, r), circle(0.94 - r, 0.94 - r, r)];
  return union(inner, innerV, ...corners);
})();
const scaled = (shape, scale) => (x, y) => shape(0.5 + (x - 0.5) / scale, 0.5 + (y - 0.5) / scale);
const appIcon = [
  { shape: roundedSquare, color: [47, 133, 90, 255] },
  { shape: scaled(tree, 0.72), color: WHITE },
];

mkdirSync(OUT, { recursive: true });
const write = (name, data) => {
  writeFileSync(join(OUT, name), data);
  console.log(`assets/${name} (${data.length} bytes)`);
};
const pngOf = (size, layers) => png(size, render(size, layers));
const icoOf = (sizes, layers) => ico(sizes.map((size) => ({ size, data: pngOf(size, layers) })));

for (const attention of [false, true]) {
  const variant = attention ? '-attention' : '';
  // macOS menu bar: template images (black + alpha), 16 pt and @2x.
  write(`tray${variant}Template.png`, pngOf(16, glyph(BLACK, attention, BLACK)));
  write(`tray${variant}Template@2x.png`, pngOf(32, glyph(BLACK, attention, BLACK)));
  // Linux panels: a dark glyph for light panels, a light glyph for dark panels.
  write(`tray${variant}-light.png`, pngOf(32, glyph(GREEN_DARK, attention)));
  write(`tray${variant}-dark.png`, pngOf(32, glyph(GREEN_LIGHT, attention)));
  // Windows notification area.
  write(`tray${variant}.ico`, icoOf([16, 24, 32, 48], glyph(GREEN_DARK, attention)));
}
write('icon.png', pngOf(1024, appIcon));
write('icon.ico', icoOf([16, 32, 48, 64, 128, 256], appIcon));
