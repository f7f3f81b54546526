// content_frame.mjs URL — opens a package page from the content origin in Chromium and prints
// what a learner would see: the page's title and the text of its first framed page (the
// package frames its own pages: frame-ancestors 'self' must allow that).
import { createRequire } from 'node:module';
const require = createRequire(new URL('../browser/package.json', import.meta.url));
const { chromium } = require('playwright-core');

const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: ['--headless=new', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
try {
  const page = await browser.newPage();
  await page.goto(process.argv[2]);
  await page.waitForTimeout(800);
  const frames = page.frames().filter((f) => f !== page.mainFrame());
  const inner = frames.length ? await frames[0].evaluate(() => document.body.innerText) : '';
  console.log(`title: ${await page.title()}`);
  console.log(`frames: ${frames.length}`);
  console.log(`inner: ${inner.slice(0, 200).replace(/\s+/g, ' ')}`);
} finally {
  await browser.close();
}
