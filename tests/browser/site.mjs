// The public site in a real browser: Debian's chromium, driven by playwright-core.
//
//   CPR_BASE_URL=http://127.0.0.1:8080 node tests/browser/site.mjs
//
// Against a server holding the walkthrough's concluded review of France (.ci/browser.sh
// starts one), it follows what a visitor does: the home page and its reviews at a glance, the
// concluded review's recommendations and answers, the language switch to French and to
// Arabic (right to left), the state, norm, recommendations (filter, CSV download),
// search and open-data pages, an unknown address, and the keyboard's first stop (the
// skip link). On every page type, in English and in Arabic, it runs axe-core with the
// WCAG 2.0, 2.1 and 2.2 A and AA rules and fails on any violation, checks that the page
// reflows at 320 CSS px without sideways scrolling, and keeps a full-page screenshot (and
// one at 320 px) in target/artifacts/screenshots/ (CPR_ARTIFACTS overrides target/artifacts).
//
// Each step prints "ok" or "FAIL" with the reason; a page that answers 404 where a page
// should be says "page missing". The exit status is non-zero when any step failed.
//
// Environment: CPR_BASE_URL (required), CPR_CHROMIUM (default /usr/bin/chromium),
// CPR_ARTIFACTS (default <repo>/target/artifacts), CPR_AXE_LANGS (default en,ar).

import { createRequire } from 'node:module';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { chromium } from 'playwright-core';

const require = createRequire(import.meta.url);
const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '..', '..');
const base = (process.env.CPR_BASE_URL || '').replace(/\/+$/, '');
if (!base) {
  console.error('CPR_BASE_URL is not set (the address of a running cpr server)');
  process.exit(2);
}
const artifacts = path.resolve(process.env.CPR_ARTIFACTS || path.join(root, 'target', 'artifacts'));
const screenshots = path.join(artifacts, 'screenshots');
mkdirSync(screenshots, { recursive: true });
const AXE = require.resolve('axe-core');
const WCAG_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22a', 'wcag22aa'];

// ---- the interface's wording, read from the catalogues the site renders from ----------
function catalogue(lang) {
  const file = path.join(root, 'crates', 'cpr-web', 'locales', lang, 'site.ftl');
  const messages = {};
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    const m = /^([a-z][a-z0-9_-]*)\s*=\s*(.*)$/i.exec(line);
    if (m) messages[m[1]] = m[2].trim();
  }
  return messages;
}
const ftl = { en: catalogue('en'), fr: catalogue('fr'), ar: catalogue('ar') };

// ---- a small runner: every step runs, each prints its outcome --------------------------
const results = [];
class Missing extends Error {}
async function step(name, fn) {
  const started = Date.now();
  consoleErrors = []; // what an earlier, failed step left is not this step's
  try {
    await fn();
    results.push({ name, ok: true });
    console.log(`ok    ${name} (${Date.now() - started} ms)`);
  } catch (e) {
    const message = e instanceof Missing ? `page missing: ${e.message}` : (e && e.message) || String(e);
    results.push({ name, ok: false, message });
    console.log(`FAIL  ${name}\n      ${message.split('\n').join('\n      ')}`);
  }
}
function check(condition, message) {
  if (!condition) throw new Error(message);
}
function need(value, what) {
  if (value === undefined || value === null) throw new Error(`not run: needs ${what} (an earlier step failed)`);
  return value;
}

// Goes to `url` (a path) and checks it answers 200 with HTML; a 404 is "page missing".
async function open(page, url, { status = 200 } = {}) {
  const response = await page.goto(base + url, { waitUntil: 'load' });
  check(response, `${url}: no response`);
  if (status === 200 && response.status() === 404) throw new Missing(`${url} answers 404`);
  check(response.status() === status, `${url} answered ${response.status()}, expected ${status}`);
  const type = response.headers()['content-type'] || '';
  check(type.startsWith('text/html'), `${url}: content-type ${type}`);
  return response;
}
const pathOf = (page) => new URL(page.url()).pathname + new URL(page.url()).search;
const text = async (locator) => ((await locator.innerText()) || '').replace(/\s+/g, ' ').trim();

// ---- the browser --------------------------------------------------------------------
// playwright-core launches with a fresh temporary --user-data-dir and --headless of its
// own; the other flags keep chromium off this machine's closed network.
const browser = await chromium.launch({
  executablePath: process.env.CPR_CHROMIUM || '/usr/bin/chromium',
  headless: true,
  args: [
    '--no-sandbox',
    '--disable-gpu',
    '--disable-quic',
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
  ],
});
const viewport = { width: 1280, height: 900 };
// The visitor's context: the site as served, its Content-Security-Policy enforced.
const visitor = await browser.newContext({ viewport, acceptDownloads: true, locale: 'en-GB' });
visitor.setDefaultTimeout(15000);
visitor.setDefaultNavigationTimeout(20000);
// The auditor's context, for axe only: the site's CSP (script-src 'none') forbids the
// inline script that page.addScriptTag injects, so this context bypasses CSP
// (bypassCSP: true). The visitor's context above never does.
const auditor = await browser.newContext({ viewport, bypassCSP: true, locale: 'en-GB' });
auditor.setDefaultTimeout(15000);
auditor.setDefaultNavigationTimeout(30000);

const page = await visitor.newPage();
// Anything the browser reports as an error (a CSP violation, a failed stylesheet, a
// script error) fails the step that caused it.
// A failed subresource is reported by its address (the console's "Failed to load
// resource" line names none). Chromium asks every site for /favicon.ico on its own; the
// site has none and does not link one, so that request is left out.
let consoleErrors = [];
page.on('console', (m) => {
  if (m.type() === 'error' && !m.text().startsWith('Failed to load resource')) consoleErrors.push(m.text());
});
page.on('pageerror', (e) => consoleErrors.push(String(e)));
page.on('response', (r) => {
  const request = r.request();
  if (r.status() >= 400 && request.resourceType() !== 'document' && new URL(r.url()).pathname !== '/favicon.ico') {
    consoleErrors.push(`${request.resourceType()} ${r.url()} answered ${r.status()}`);
  }
});
function noConsoleErrors() {
  const seen = consoleErrors;
  consoleErrors = [];
  check(seen.length === 0, `the browser reported errors:\n${seen.join('\n')}`);
}

// Runs axe-core on `url` in the auditor's context (with every <details> opened, so that
// what they hold is checked too) and keeps a full-page screenshot. Fails on any violation.
async function audit(kind, lang, url, { status = 200 } = {}) {
  const p = await auditor.newPage();
  try {
    const response = await p.goto(base + url, { waitUntil: 'load' });
    check(response, `${url}: no response`);
    if (status === 200 && response.status() === 404) throw new Missing(`${url} answers 404`);
    check(response.status() === status, `${url} answered ${response.status()}, expected ${status}`);
    check((await p.getAttribute('html', 'lang')) === lang, `${url}: html[lang] is not ${lang}`);
    await p.evaluate(() => document.querySelectorAll('details').forEach((d) => { d.open = true; }));
    await p.screenshot({ path: path.join(screenshots, `${lang}-${kind}.png`), fullPage: true });
    await p.addScriptTag({ path: AXE });
    const result = await p.evaluate(
      (tags) => window.axe.run(document, { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'] }),
      WCAG_TAGS,
    );
    const violations = result.violations;
    if (violations.length) {
      const lines = [];
      for (const v of violations) {
        lines.push(`${v.id} (${v.impact}): ${v.help} — ${v.helpUrl}`);
        for (const node of v.nodes.slice(0, 8)) {
          const summary = (node.failureSummary || '').split('\n').slice(1, 2).join(' ').trim();
          lines.push(`    ${node.target.join(' ')}${summary ? `  [${summary}]` : ''}`);
        }
        if (v.nodes.length > 8) lines.push(`    … and ${v.nodes.length - 8} more`);
      }
      throw new Error(`axe: ${violations.length} violation(s) on ${url}\n${lines.join('\n')}`);
    }
    // Reflow (WCAG 1.4.10): at 320 CSS px wide (a phone, or 400% zoom) the page does not
    // scroll sideways; a wide data table scrolls within its own box.
    await p.setViewportSize({ width: 320, height: 640 });
    const width = await p.evaluate(() => document.documentElement.scrollWidth);
    await p.screenshot({ path: path.join(screenshots, `${lang}-${kind}-320px.png`) });
    check(width <= 321, `${url} is ${width} CSS px wide at a 320 px viewport: it scrolls sideways`);
  } finally {
    await p.close();
  }
}

// What the steps learn and later steps use.
const found = {};

// ---- the visitor's walk ----------------------------------------------------------------
await step('/ redirects to the English home page', async () => {
  await page.goto(base + '/', { waitUntil: 'load' });
  check(pathOf(page) === '/en/', `landed on ${pathOf(page)}`);
  check((await page.getAttribute('html', 'lang')) === 'en', 'html[lang] is not en');
  check((await page.getAttribute('html', 'dir')) === 'ltr', 'html[dir] is not ltr');
  noConsoleErrors();
});

await step('home: lists the review of France with its six stages at a glance, concluded', async () => {
  // The current cycle's reviews, one row each: the state (a link to its review), then
  // one cell per stage (class stage-done, stage-current or stage-ahead).
  const rows = page.locator('main table.glance tbody tr');
  check((await rows.count()) > 0, 'no review at a glance on the home page');
  const row = rows.filter({ has: page.locator('th', { hasText: 'France' }) }).first();
  check((await row.count()) === 1, 'no review of France on the home page');
  const stages = row.locator('td[class^="stage-"]');
  check((await stages.count()) === 6, `the review of France has ${await stages.count()} stage cells, not 6`);
  const done = await row.locator('td.stage-done').count();
  check(done === 6, `the review of France has ${done} of 6 stages done`);
  check(await page.locator('main table.glance caption').count() === 1, 'the table has no caption');
  found.reviewHref = await row.locator('th a').first().getAttribute('href');
  check(/^\/en\/reviews\/[0-9a-f-]{36}$/.test(found.reviewHref), `review link ${found.reviewHref}`);
  // Another review of the cycle, still under way (its missed deadlines shown), if any.
  const others = await rows.locator('th a').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
  found.otherReviewHref = others.find((h) => h !== found.reviewHref);
  found.cycleHref = await page.locator('main a[href^="/en/cycles/"]').first().getAttribute('href');
  check(found.cycleHref, 'no link to the cycle page');
});

await step('keyboard: Tab first focuses the skip link, visible, and it moves focus to the content', async () => {
  await open(page, '/en/');
  await page.keyboard.press('Tab');
  const focused = await page.evaluate(() => {
    const el = document.activeElement;
    const box = el.getBoundingClientRect();
    const style = getComputedStyle(el);
    return {
      cls: el.className, href: el.getAttribute('href'), top: box.top, bottom: box.bottom,
      left: box.left, right: box.right, width: box.width, height: box.height,
      outline: style.outlineStyle, outlineWidth: style.outlineWidth,
    };
  });
  check(focused.cls.includes('skip-link') && focused.href === '#main', `Tab focused ${JSON.stringify(focused)}`);
  check(focused.width > 10 && focused.height > 10, `the skip link is ${focused.width}x${focused.height}`);
  check(focused.top >= 0 && focused.bottom <= viewport.height && focused.left >= 0 && focused.right <= viewport.width,
    `the focused skip link is off screen: ${JSON.stringify(focused)}`);
  check(focused.outline !== 'none' && parseFloat(focused.outlineWidth) >= 2, `no visible focus outline: ${focused.outline} ${focused.outlineWidth}`);
  await page.screenshot({ path: path.join(screenshots, 'en-skip-link-focused.png') });
  await page.keyboard.press('Enter');
  const after = await page.evaluate(() => ({ hash: location.hash, id: document.activeElement.id }));
  check(after.hash === '#main' && after.id === 'main', `after Enter: ${JSON.stringify(after)}`);
});

await step('keyboard: every Tab stop of the home and review pages shows a visible focus indicator', async () => {
  for (const url of ['/en/', need(found.reviewHref, 'the review link')]) {
    await open(page, url);
    const seen = new Set();
    for (let i = 0; i < 60; i++) {
      await page.keyboard.press('Tab');
      const f = await page.evaluate(() => {
        const el = document.activeElement;
        if (!el || el === document.body) return null;
        const style = getComputedStyle(el);
        const path = [];
        for (let e = el; e && e !== document.body; e = e.parentElement) path.unshift(e.tagName.toLowerCase() + (e.id ? `#${e.id}` : ''));
        return { where: path.join(' > '), text: (el.textContent || '').trim().slice(0, 40), outline: style.outlineStyle, width: parseFloat(style.outlineWidth), shadow: style.boxShadow };
      });
      if (!f) break;
      const key = `${f.where} ${f.text}`;
      if (seen.has(key)) break;
      seen.add(key);
      check((f.outline !== 'none' && f.width >= 2) || (f.shadow && f.shadow !== 'none'), `${url}: no visible focus on ${f.where} "${f.text}" (outline ${f.outline} ${f.width}px)`);
    }
    check(seen.size >= 5, `${url}: only ${seen.size} Tab stops`);
  }
});

await step('cycle page: its yearly report and the review of France', async () => {
  await open(page, need(found.cycleHref, 'the cycle link'));
  check(await page.locator('main > h1').count() >= 1, 'no heading');
  check(await page.locator(`main a[href="${need(found.reviewHref, 'the review link')}"]`).count() >= 1, 'no link to the review of France');
  noConsoleErrors();
});

await step('review page: followed from the home page, its recommendations with answers and explanations', async () => {
  await open(page, '/en/');
  await page.locator(`main a[href="${need(found.reviewHref, 'the review link')}"]`).first().click();
  await page.waitForLoadState('load');
  check(pathOf(page) === found.reviewHref, `landed on ${pathOf(page)}`);
  check((await text(page.locator('main > h1'))).includes('France'), 'the heading does not name France');
  const stages = page.locator('main ol.timeline > li');
  check(await stages.count() === 6 && await page.locator('main ol.timeline > li.stage-done').count() === 6, 'the review\'s timeline does not show six stages done');
  // The review's own recommendations: the section's first table (a second one holds those
  // carried over from the state's earlier review).
  const rows = page.locator('section[aria-labelledby="recommendations"] table.recommendations').first().locator('tbody tr');
  const n = await rows.count();
  check(n >= 1, 'no recommendation in the table');
  found.recommendations = [];
  const labels = { supported: ftl.en['position-supported'], noted: ftl.en['position-noted'] };
  for (let i = 0; i < n; i++) {
    const row = rows.nth(i);
    const cells = row.locator(':scope > td');
    const answer = cells.last();
    const strong = answer.locator('strong');
    check(await strong.count() === 1, `recommendation ${i + 1} has no answer`);
    const position = ((await strong.getAttribute('class')) || '').replace('position-', '');
    check(position in labels, `recommendation ${i + 1}: answer class ${position}`);
    check((await text(strong)) === labels[position], `recommendation ${i + 1}: answer "${await text(strong)}", expected "${labels[position]}"`);
    const explanation = await text(answer.locator('.prose'));
    check(explanation.length > 3, `recommendation ${i + 1} has no explanation`);
    const norms = await row.locator('a.tag[href*="/norms/"]').evaluateAll((as) => as.map((a) => a.getAttribute('href').split('/').pop()));
    found.recommendations.push({ number: (await text(cells.first())), position, explanation, norms });
  }
  const positions = new Set(found.recommendations.map((r) => r.position));
  check(positions.has('supported') && positions.has('noted'), `answers seen: ${[...positions]}`);
  found.norm = found.recommendations[0].norms[0];
  // Other page types the review links to: an organisation that filed an input, and a
  // sector or affected group, where a recommendation or input names one.
  const hrefs = await page.locator('main a').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
  found.organisationHref = hrefs.find((h) => /^\/en\/organisations\/[0-9a-f-]{36}$/.test(h));
  found.sectorHref = hrefs.find((h) => /^\/en\/sectors\/[^/?#]+$/.test(h));
  found.groupHref = hrefs.find((h) => /^\/en\/affected-groups\/[^/?#]+$/.test(h));
  check(found.norm, 'no norm tag on the first recommendation');
  // A word of the published report, for the search step.
  const report = await text(page.locator('section[aria-labelledby="state-report"] .prose').first());
  const words = report.split(/[^A-Za-z]+/).filter((w) => w.length >= 9);
  found.searchWord = (words.find((w) => /^[a-z]+$/.test(w)) || words[0] || '').toLowerCase();
  check(found.searchWord, 'no word in the published report');
  console.log(`      ${n} recommendations (${found.recommendations.map((r) => `${r.number}: ${r.position}`).join(', ')}); search word "${found.searchWord}"`);
  noConsoleErrors();
});

await step('document pages: the published state report and an admitted input, from the review page', async () => {
  await open(page, need(found.reviewHref, 'the review link'));
  const report = page.locator(`section[aria-labelledby="state-report"] a[href="${found.reviewHref}/state-report"]`).first();
  check(await report.count() === 1, 'no link to the state report\'s page');
  await report.click();
  await page.waitForLoadState('load');
  check(pathOf(page) === `${found.reviewHref}/state-report`, `landed on ${pathOf(page)}`);
  check(await page.locator('main .prose').count() >= 1, 'the state report\'s page shows no text');
  found.documentHref = pathOf(page);
  noConsoleErrors();
  await open(page, found.reviewHref);
  const input = page.locator(`section[aria-labelledby="inputs"] a[href^="${found.reviewHref}/inputs/"]`).first();
  check(await input.count() === 1, 'no link to an admitted input\'s page');
  found.inputHref = await input.getAttribute('href');
  await open(page, found.inputHref);
  noConsoleErrors();
});

await step('language switch: Français from the visible switch keeps the review, html[lang=fr]', async () => {
  await open(page, need(found.reviewHref, 'the review link'));
  const link = page.locator('nav.languages').getByRole('link', { name: 'Français', exact: true });
  check(await link.isVisible(), 'the link "Français" is not visible');
  await link.click();
  await page.waitForLoadState('load');
  check(pathOf(page) === found.reviewHref.replace('/en/', '/fr/'), `landed on ${pathOf(page)}`);
  check((await page.getAttribute('html', 'lang')) === 'fr', 'html[lang] is not fr');
  check((await page.getAttribute('html', 'dir')) === 'ltr', 'html[dir] is not ltr');
  const answers = await page.locator('table.recommendations td strong[class^="position-"]').allInnerTexts();
  const expected = found.recommendations.map((r) => ftl.fr[`position-${r.position}`]);
  check(JSON.stringify(answers.slice(0, expected.length)) === JSON.stringify(expected), `answers in French: ${answers} expected ${expected}`);
  await page.screenshot({ path: path.join(screenshots, 'fr-review.png'), fullPage: true });
  noConsoleErrors();
});

await step('language switch: العربية from the visible switch, html[lang=ar][dir=rtl], laid out right to left', async () => {
  const link = page.locator('nav.languages').getByRole('link', { name: 'العربية', exact: true });
  check(await link.isVisible(), 'the link "العربية" is not visible');
  await link.click();
  await page.waitForLoadState('load');
  check(pathOf(page) === found.reviewHref.replace('/en/', '/ar/'), `landed on ${pathOf(page)}`);
  check(await page.locator('html[lang="ar"][dir="rtl"]').count() === 1, 'no html[lang=ar][dir=rtl]');
  const layout = await page.evaluate(() => {
    const header = document.querySelector('.site-header').getBoundingClientRect();
    const name = document.querySelector('.site-name').getBoundingClientRect();
    const th = document.querySelector('table.recommendations thead th');
    return {
      direction: getComputedStyle(document.body).direction,
      headerLeft: header.left, headerRight: header.right,
      nameLeft: name.left, nameRight: name.right,
      thAlign: th ? getComputedStyle(th).textAlign : null,
    };
  });
  check(layout.direction === 'rtl', `computed direction ${layout.direction}`);
  const headerMiddle = (layout.headerLeft + layout.headerRight) / 2;
  check(layout.nameLeft > headerMiddle, `the site name is not at the right of the header: ${JSON.stringify(layout)}`);
  check(Math.abs(layout.headerRight - layout.nameRight) < 40, `the site name does not start at the header's right edge: ${JSON.stringify(layout)}`);
  // The skip link, first Tab stop, shows at the right too.
  await page.keyboard.press('Tab');
  const skip = await page.evaluate(() => {
    const el = document.activeElement;
    const box = el.getBoundingClientRect();
    return { cls: el.className, left: box.left, right: box.right };
  });
  check(skip.cls.includes('skip-link') && skip.left > viewport.width / 2, `the focused skip link is not at the right: ${JSON.stringify(skip)}`);
  const answers = await page.locator('table.recommendations td strong[class^="position-"]').allInnerTexts();
  const expected = found.recommendations.map((r) => ftl.ar[`position-${r.position}`]);
  check(JSON.stringify(answers.slice(0, expected.length)) === JSON.stringify(expected), `answers in Arabic: ${answers} expected ${expected}`);
  noConsoleErrors();
});

await step('state page: the reviews of France', async () => {
  await open(page, '/en/states/FRA');
  check((await text(page.locator('main > h1'))).includes('France'), 'the heading does not name France');
  check(await page.locator(`main a[href="${need(found.reviewHref, 'the review link')}"]`).count() >= 1, 'no link to the review of France');
  noConsoleErrors();
});

await step('norm page: the recommendations tied to a norm of the review', async () => {
  const norm = need(found.norm, 'a norm of the review');
  await open(page, `/en/norms/${norm}`);
  check((await text(page.locator('main > h1'))).includes(norm), `the heading does not name norm ${norm}`);
  const tagged = found.recommendations.filter((r) => r.norms.includes(norm)).length;
  const rows = await page.locator('main table.recommendations tbody tr').count();
  check(rows >= tagged, `${rows} recommendations on the norm page, the review alone has ${tagged}`);
  noConsoleErrors();
});

await step('recommendations database: lists the recommendations, each with its answer', async () => {
  await open(page, '/en/recommendations');
  const rows = page.locator('main table.recommendations tbody tr');
  const n = await rows.count();
  check(n >= need(found.recommendations, 'the review\'s recommendations').length, `${n} rows, fewer than the review's ${found.recommendations.length}`);
  found.databaseRows = n;
  noConsoleErrors();
});

await step('recommendations database: the CSV download (header, one row per recommendation)', async () => {
  await open(page, '/en/recommendations');
  const link = page.locator('main a[href*="recommendations.csv"]').first();
  check(await link.count() === 1, 'no CSV link');
  const [download] = await Promise.all([page.waitForEvent('download'), link.click()]);
  const file = path.join(artifacts, 'recommendations.csv');
  await download.saveAs(file);
  check(/\.csv$/.test(download.suggestedFilename()), `suggested file name ${download.suggestedFilename()}`);
  const records = parseCsv(readFileSync(file, 'utf8'));
  const header = records.shift();
  for (const column of ['cycle', 'review', 'number', 'state', 'text', 'norms', 'response', 'explanation']) {
    check(header.includes(column), `the CSV header lacks "${column}": ${header.join(',')}`);
  }
  check(records.every((r) => r.length === header.length), 'a CSV row has a different number of fields from the header');
  const col = (name) => header.indexOf(name);
  const reviewId = need(found.reviewHref, 'the review link').split('/').pop();
  const ours = records.filter((r) => r[col('review')] === reviewId);
  check(ours.length === found.recommendations.length, `${ours.length} CSV rows for the review, the page shows ${found.recommendations.length}`);
  for (const r of found.recommendations) {
    const row = ours.find((o) => o[col('number')] === r.number);
    check(row, `recommendation ${r.number} is not in the CSV`);
    check(row[col('response')] === r.position, `recommendation ${r.number}: CSV response ${row[col('response')]}, page ${r.position}`);
  }
  if (found.databaseRows !== undefined && !(await page.locator('main a[rel="next"]').count())) {
    check(records.length === found.databaseRows, `${records.length} CSV rows, the page lists ${found.databaseRows}`);
  }
  found.csv = { header, records };
  console.log(`      ${records.length} rows, ${header.length} columns, saved to ${path.relative(root, file)}`);
});

await step('recommendations database: the filter form (norm and answer) filters the rows', async () => {
  const r = need(found.recommendations, 'the review\'s recommendations').find((x) => x.position === 'noted') || found.recommendations[0];
  const norm = r.norms[0];
  await open(page, '/en/recommendations');
  const form = page.locator('main form').filter({ has: page.locator('select[name="norm"]') }).first();
  check(await form.count() === 1, 'no filter form with a norm select');
  await form.locator('select[name="norm"]').selectOption(norm);
  await form.locator('select[name="response"]').selectOption(r.position);
  await Promise.all([page.waitForURL(/\/en\/recommendations\?/), form.locator('button[type="submit"], input[type="submit"]').first().click()]);
  const url = new URL(page.url());
  check(url.searchParams.get('norm') === norm && url.searchParams.get('response') === r.position, `the form went to ${pathOf(page)}`);
  const rows = page.locator('main table.recommendations tbody tr');
  const n = await rows.count();
  check(n >= 1, `no row for norm ${norm} answered ${r.position}`);
  if (found.csv) {
    // As many rows as the whole database's CSV holds for the same filters (or a first page).
    const { header, records } = found.csv;
    const col = (name) => header.indexOf(name);
    const expected = records.filter((x) => x[col('norms')].split(/[;,]\s*/).includes(norm) && x[col('response')] === r.position).length;
    check(n === expected || (n < expected && await page.locator('main a[rel="next"]').count()), `${n} rows, the CSV has ${expected} for norm ${norm} and ${r.position}`);
  }
  for (let i = 0; i < n; i++) {
    const row = rows.nth(i);
    check(await row.locator(`strong.position-${r.position}`).count() === 1, `row ${i + 1} is not answered ${r.position}`);
    check(await row.locator(`a.tag[href$="/norms/${norm}"]`).count() === 1, `row ${i + 1} is not tied to norm ${norm}`);
  }
  found.filteredUrl = pathOf(page);
  console.log(`      norm ${norm}, answer ${r.position}: ${n} row(s)`);
  noConsoleErrors();
});

await step('search: a word of the published report, highlighted in the results', async () => {
  const word = need(found.searchWord, 'a word of the report');
  await open(page, '/en/search');
  const input = page.locator('main form input[name="q"]').first();
  check(await input.count() === 1, 'no search field named q');
  await input.fill(word);
  await Promise.all([page.waitForURL(/\/en\/search\?/), input.press('Enter')]);
  check(new URL(page.url()).searchParams.get('q') === word, `the search went to ${pathOf(page)}`);
  const marks = await page.locator('main mark').allInnerTexts();
  check(marks.length >= 1, `no highlighted result for "${word}"`);
  check(marks.some((m) => m.toLowerCase().startsWith(word.slice(0, 5))), `the highlights (${marks.slice(0, 5)}) are not "${word}"`);
  noConsoleErrors();
});

await step('open-data page: the bulk archive and the exports', async () => {
  await open(page, '/en/open-data');
  check(await page.locator('main > h1').count() >= 1, 'no heading');
  const hrefs = await page.locator('main a').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
  check(hrefs.some((h) => /open-data\/.+\.tar|latest\.tar/.test(h)), `no link to the archive: ${hrefs.join(' ')}`);
  check(hrefs.some((h) => /recommendations\.(csv|json)/.test(h)), 'no link to the recommendations export');
  noConsoleErrors();
});

await step('unknown addresses: a 404 page in the visitor\'s language', async () => {
  for (const lang of ['en', 'fr', 'ar']) {
    await open(page, `/${lang}/no-such-page`, { status: 404 });
    check((await page.getAttribute('html', 'lang')) === lang, `/${lang}/no-such-page: html[lang] is not ${lang}`);
    check((await text(page.locator('main > h1'))) === ftl[lang]['error-not-found-title'], `/${lang}/no-such-page: heading "${await text(page.locator('main > h1'))}"`);
  }
  await open(page, '/fr/reviews/00000000-0000-7000-8000-000000000000', { status: 404 });
  check((await page.getAttribute('html', 'lang')) === 'fr', 'an unknown review in French is not a French page');
  // Without a language prefix: the language the browser asks for.
  // (A context's locale sets the Accept-Language header its pages send.)
  const french = await browser.newContext({ viewport, locale: 'fr-FR' });
  const other = await french.newPage();
  try {
    const response = await other.goto(base + '/no-such-page');
    check(response.status() === 404, `/no-such-page answered ${response.status()}`);
    check((await other.getAttribute('html', 'lang')) === 'fr', '/no-such-page for a French browser is not in French');
  } finally {
    await french.close();
  }
});

// ---- axe-core and a screenshot on every page type, in English and in Arabic ---------------
const pageTypes = [
  ['home', () => '/'],
  ['cycle', () => need(found.cycleHref, 'the cycle link').slice(3)],
  ['review', () => need(found.reviewHref, 'the review link').slice(3)],
  ...(found.otherReviewHref ? [['review-under-way', () => found.otherReviewHref.slice(3)]] : []),
  ['document', () => need(found.documentHref, 'the state report\'s page').slice(3)],
  ['input', () => need(found.inputHref, 'an input\'s page').slice(3)],
  ['state', () => '/states/FRA'],
  ['norm', () => `/norms/${need(found.norm, 'a norm of the review')}`],
  ['organisation', () => need(found.organisationHref, 'an organisation linked from the review').slice(3)],
  ...(found.sectorHref ? [['sector', () => found.sectorHref.slice(3)]] : []),
  ...(found.groupHref ? [['affected-group', () => found.groupHref.slice(3)]] : []),
  ['subscribe', () => '/subscribe?state=FRA'],
  ['recommendations', () => '/recommendations'],
  ['recommendations-filtered', () => need(found.filteredUrl, 'the filtered database').slice(3)],
  ['search', () => `/search?q=${encodeURIComponent(need(found.searchWord, 'a word of the report'))}`],
  ['open-data', () => '/open-data'],
  ['not-found', () => '/no-such-page', 404],
];
// English and Arabic (left to right, right to left) by default; CPR_AXE_LANGS=en,fr,es,ar,zh,ru
// audits every language.
const auditLangs = (process.env.CPR_AXE_LANGS || 'en,ar').split(',').map((l) => l.trim()).filter(Boolean);
for (const lang of auditLangs) {
  for (const [kind, url, status] of pageTypes) {
    await step(`axe (WCAG 2.2 AA), reflow at 320 px, screenshots: ${kind} (${lang})`, async () => {
      await audit(kind, lang, `/${lang}${url()}`, { status });
    });
  }
}

await browser.close();

// ---- the outcome -------------------------------------------------------------------
const failed = results.filter((r) => !r.ok);
writeFileSync(path.join(artifacts, 'browser-results.json'), JSON.stringify(results, null, 2));
console.log(`\n${results.length - failed.length} of ${results.length} steps passed; screenshots in ${path.relative(root, screenshots) || screenshots}`);
if (failed.length) {
  console.log('failed:');
  for (const f of failed) console.log(`  - ${f.name}: ${f.message.split('\n')[0]}`);
  process.exit(1);
}

// RFC 4180 CSV: quoted fields may hold commas, quotes ("") and line breaks.
function parseCsv(input) {
  const rows = [];
  let row = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < input.length; i++) {
    const c = input[i];
    if (quoted) {
      if (c === '"' && input[i + 1] === '"') { field += '"'; i++; }
      else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') { row.push(field); field = ''; }
    else if (c === '\n' || c === '\r') {
      if (c === '\r' && input[i + 1] === '\n') i++;
      row.push(field); rows.push(row); row = []; field = '';
    } else field += c;
  }
  if (field !== '' || row.length) { row.push(field); rows.push(row); }
  return rows;
}
