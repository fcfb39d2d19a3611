// Renders BPMN files with bpmn-js (the library Cockpit and Modeler draw with) in headless Chromium, writes a PNG per
// file, and fails when bpmn-js reports import warnings or two shapes overlap. Usage:
//   node tools/render-bpmn.mjs OUT_DIR processes/*.bpmn
import { chromium } from 'playwright-core';
import { readFileSync, mkdirSync } from 'node:fs';
import { basename, join } from 'node:path';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const viewerScript = readFileSync(require.resolve('bpmn-js/dist/bpmn-viewer.production.min.js'), 'utf8');
const [outDir, ...files] = process.argv.slice(2);
if (!outDir || files.length === 0) {
  console.error('usage: node tools/render-bpmn.mjs OUT_DIR file.bpmn...');
  process.exit(2);
}
mkdirSync(outDir, { recursive: true });

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
let failed = false;
try {
  for (const file of files) {
    const page = await browser.newPage({ viewport: { width: 2400, height: 1200 } });
    await page.setContent('<html><body style="margin:0;background:#fff"><div id="canvas" style="width:2400px;height:1200px"></div></body></html>');
    await page.addScriptTag({ content: viewerScript });
    const result = await page.evaluate(async (xml) => {
      const viewer = new window.BpmnJS({ container: '#canvas' });
      const { warnings } = await viewer.importXML(xml);
      const canvas = viewer.get('canvas');
      canvas.zoom('fit-viewport');
      const registry = viewer.get('elementRegistry');
      const shapes = registry.filter((e) => e.type !== 'label' && !e.waypoints && e.type !== 'bpmn:Process');
      const overlaps = [];
      const inside = (a, b) => a.x >= b.x && a.y >= b.y && a.x + a.width <= b.x + b.width && a.y + a.height <= b.y + b.height;
      for (let i = 0; i < shapes.length; i++) {
        for (let j = i + 1; j < shapes.length; j++) {
          const a = shapes[i], b = shapes[j];
          const hit = a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;
          const nested = inside(a, b) || inside(b, a);
          const boundary = (a.host && a.host.id === b.id) || (b.host && b.host.id === a.id);
          if (hit && !nested && !boundary) overlaps.push(`${a.id} × ${b.id}`);
        }
      }
      const vb = canvas.viewbox();
      return { warnings: warnings.map((w) => w.message), overlaps, width: vb.inner.width, height: vb.inner.height };
    }, readFileSync(file, 'utf8'));
    const png = join(outDir, basename(file).replace(/\.bpmn$/, '.png'));
    await page.screenshot({ path: png });
    console.log(`${file}: ${result.width}x${result.height}, ${result.warnings.length} warnings, ${result.overlaps.length} overlaps -> ${png}`);
    for (const w of result.warnings) console.log(`  warning: ${w}`);
    for (const o of result.overlaps) console.log(`  overlap: ${o}`);
    if (result.warnings.length || result.overlaps.length) failed = true;
    await page.close();
  }
} finally {
  await browser.close();
}
process.exit(failed ? 1 : 0);
