// Browser flows for the EasyShifts web pages (web/index.html, web/me.html).
//
//   node tests/browser/flows.mjs
//
// Environment:
//   BASE_URL        site root served by nginx, e.g. http://127.0.0.1:8080   (required)
//   ES_USER         username of an active account with a password         (flows a, b, c)
//   ES_PASSWORD     its password                                          (flows a, b)
//   ES_USER_NAME    its display name, expected on /me.html after login    (flow a)
//   ES_GOOGLE_NAME  display name of the account the fake Google provider
//                   signs in; flow d is skipped only when this is unset
//   SHOT_DIR        where screenshots go (created; default: a new temp dir)
//   CHROMIUM_PATH   browser binary (default /usr/bin/chromium); never downloaded
//
// Prints one line per flow, "ok - <name>" or "not ok - <name>: <reason>", then
// "N passed, M failed"; exits 0 only when M is 0.

import { chromium } from 'playwright-core';
import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const TIMEOUT = 15_000;
const env = process.env;
const BASE_URL = (env.BASE_URL || '').replace(/\/+$/, '');
const SHOT_DIR = env.SHOT_DIR || mkdtempSync(join(tmpdir(), 'easyshifts-shots-'));
mkdirSync(SHOT_DIR, { recursive: true });

const LAUNCH = {
  executablePath: env.CHROMIUM_PATH || '/usr/bin/chromium',
  headless: true,
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync'],
};

// A hung browser must not hang CI: give up well after every flow's own timeouts.
const watchdog = setTimeout(() => {
  console.log('not ok - watchdog: browser flows did not finish within 5 minutes');
  console.log(`${passed} passed, ${failed + 1} failed`);
  process.exit(1);
}, 5 * 60_000);
watchdog.unref();

let passed = 0;
let failed = 0;

function need(...names) {
  const missing = ['BASE_URL', ...names].filter((n) => !env[n]);
  if (missing.length) throw new Error(`environment variable ${missing.join(', ')} not set`);
}

const url = (path) => BASE_URL + path;
const shot = (page, file) => page.screenshot({ path: join(SHOT_DIR, file), fullPage: true });
const isPath = (...paths) => (u) => paths.includes(new URL(u).pathname);

function oneLine(err) {
  const s = (err && err.message ? err.message : String(err)).split('\n').map((l) => l.trim()).filter(Boolean);
  // Playwright puts the call log after the first line; keep the first two lines.
  return s.slice(0, 2).join(' | ').slice(0, 400);
}

// A fresh context per flow; fails the flow on any uncaught script error in the page.
async function withPage(browser, contextOptions, fn) {
  const context = await browser.newContext(contextOptions);
  context.setDefaultTimeout(TIMEOUT);
  context.setDefaultNavigationTimeout(TIMEOUT);
  const page = await context.newPage();
  const pageErrors = [];
  page.on('pageerror', (e) => pageErrors.push(e.message));
  try {
    await fn(page, context);
    if (pageErrors.length) throw new Error(`script error in page: ${pageErrors[0]}`);
  } catch (err) {
    await page.screenshot({ path: join(SHOT_DIR, `failure-${Date.now()}.png`), fullPage: true }).catch(() => {});
    throw err;
  } finally {
    await context.close().catch(() => {});
  }
}

async function expectText(page, selector, expected) {
  const loc = page.locator(selector);
  try {
    await loc.filter({ hasText: expected }).waitFor({ state: 'visible' });
  } catch {
    const got = await loc.textContent({ timeout: 1000 }).catch(() => null);
    throw new Error(`${selector} should contain ${JSON.stringify(expected)}, has ${JSON.stringify(got)}`);
  }
}

async function passwordLogin(page, screenshotFile) {
  await page.goto(url('/'));
  await page.locator('#username').fill(env.ES_USER);
  await page.locator('#password').fill(env.ES_PASSWORD);
  if (screenshotFile) await shot(page, screenshotFile);
  await page.locator('#login-submit').click();
  try {
    await page.waitForURL(isPath('/me.html'));
  } catch {
    const msg = await page.locator('#login-error').textContent({ timeout: 1000 }).catch(() => '');
    throw new Error(`no /me.html after login (at ${page.url()}${msg ? `, error shown: ${msg.trim()}` : ''})`);
  }
}

async function meStatus(page) {
  return page.evaluate(() =>
    fetch('/api/v1/auth/me', { credentials: 'same-origin', cache: 'no-store' }).then((r) => r.status));
}

const flows = [
  {
    name: "password login shows the user's name",
    async run(browser) {
      need('ES_USER', 'ES_PASSWORD', 'ES_USER_NAME');
      await withPage(browser, {}, async (page) => {
        await passwordLogin(page, 'login.png');
        await expectText(page, '#me-name', env.ES_USER_NAME);
        await shot(page, 'me.png');
      });
    },
  },
  {
    name: 'logout returns to the login page',
    async run(browser) {
      need('ES_USER', 'ES_PASSWORD');
      await withPage(browser, {}, async (page, context) => {
        await passwordLogin(page);
        await page.locator('#me-name').filter({ hasText: /\S/ }).waitFor();
        const session = (await context.cookies()).find((c) => c.name === 'es_session');
        await page.locator('#logout').click();
        await page.waitForURL(isPath('/', '/index.html'));
        await page.locator('#username').waitFor({ state: 'visible' });
        const status = await meStatus(page);
        if (status !== 401) throw new Error(`GET /api/v1/auth/me after logout gave ${status}, want 401`);
        // The session must be gone server-side too, not only the cookie.
        if (session) {
          const r = await fetch(url('/api/v1/auth/me'), { headers: { Cookie: `es_session=${session.value}` } });
          if (r.status !== 401) throw new Error(`the old session cookie still works after logout (${r.status})`);
        }
        await shot(page, 'after-logout.png');
      });
    },
  },
  {
    name: 'wrong password shows an error',
    async run(browser) {
      need('ES_USER');
      await withPage(browser, {}, async (page) => {
        await page.goto(url('/'));
        const before = page.url();
        await page.locator('#username').fill(env.ES_USER);
        await page.locator('#password').fill(`${env.ES_PASSWORD || ''}-wrong-${Date.now()}`);
        await page.locator('#login-submit').click();
        const box = page.locator('#login-error');
        await box.filter({ hasText: /\S/ }).waitFor({ state: 'visible' });
        if (page.url() !== before) throw new Error(`URL changed to ${page.url()}`);
        await shot(page, 'wrong-password.png');
      });
    },
  },
  {
    name: 'Google sign-in lands signed in',
    skip: () => (env.ES_GOOGLE_NAME ? null : 'no ES_GOOGLE_NAME'),
    async run(browser) {
      need('ES_GOOGLE_NAME');
      await withPage(browser, {}, async (page) => {
        await page.goto(url('/'));
        await page.locator('#google-signin').click();
        try {
          await page.waitForURL(isPath('/me.html'));
        } catch {
          throw new Error(`no /me.html after Google sign-in (at ${page.url()})`);
        }
        await expectText(page, '#me-name', env.ES_GOOGLE_NAME);
        await shot(page, 'google-me.png');
      });
    },
  },
  {
    name: 'login page works on a phone screen',
    async run(browser) {
      need();
      const phone = { viewport: { width: 375, height: 667 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 };
      await withPage(browser, phone, async (page) => {
        await page.goto(url('/'));
        await page.locator('#username').waitFor({ state: 'visible' });
        const m = await page.evaluate(() => {
          const right = (id) => { const r = document.getElementById(id).getBoundingClientRect(); return r.right; };
          return {
            scrollWidth: document.documentElement.scrollWidth,
            rights: ['username', 'password', 'login-submit', 'google-signin'].map((id) => [id, right(id)]),
          };
        });
        if (m.scrollWidth > 375) throw new Error(`page is ${m.scrollWidth}px wide, scrolls sideways at 375px`);
        const out = m.rights.filter(([, r]) => r > 375);
        if (out.length) throw new Error(`#${out[0][0]} sticks out of the screen (right edge ${Math.round(out[0][1])}px)`);
        await shot(page, 'phone-login.png');
      });
    },
  },
];

let browser = null;
let launchError = null;
try {
  if (BASE_URL) browser = await chromium.launch(LAUNCH);
} catch (err) {
  launchError = err;
}

try {
  for (const flow of flows) {
    const skip = flow.skip && flow.skip();
    if (skip) {
      console.log(`ok - ${flow.name} # SKIP ${skip}`);
      passed++;
      continue;
    }
    try {
      if (!BASE_URL) need();
      if (launchError) throw new Error(`browser launch failed: ${oneLine(launchError)}`);
      await flow.run(browser);
      console.log(`ok - ${flow.name}`);
      passed++;
    } catch (err) {
      console.log(`not ok - ${flow.name}: ${oneLine(err)}`);
      failed++;
    }
  }
} finally {
  if (browser) await browser.close().catch(() => {});
}

console.log(`# screenshots in ${SHOT_DIR}`);
console.log(`${passed} passed, ${failed} failed`);
process.exitCode = failed === 0 ? 0 : 1;
