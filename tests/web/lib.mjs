// lib.mjs: what the browser tests share: Debian's Chromium driven by
// playwright-core, TAP output, signing in, WCAG checks with axe-core and
// screenshots kept as test artefacts.
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { chromium } from 'playwright-core';

const require = createRequire(import.meta.url);

export const BASE = process.env.KW_BASE;
export const ARTEFACTS = process.env.KW_ARTEFACTS || 'artefacts';
export const PASSWORD = 'keepword-demo';

// A test run in several processes (story.mjs) continues the numbering:
// KW_TAP_FIRST is the first number, KW_TAP_COUNT a file that gets the last
// one, and KW_TAP_PLAN=no leaves the plan to the caller.
let n = Number(process.env.KW_TAP_FIRST || 1) - 1;
let failed = 0;

export function ok(cond, name, detail) {
	n++;
	if (cond) {
		console.log(`ok ${n} - ${name}`);
		return true;
	}
	failed++;
	console.log(`not ok ${n} - ${name}`);
	if (detail !== undefined)
		for (const line of String(detail).split('\n'))
			console.log(`# ${line}`);
	return false;
}

export function is(got, want, name) {
	return ok(got === want, name, `got: ${JSON.stringify(got)}\nexpected: ${JSON.stringify(want)}`);
}

export function like(got, re, name) {
	return ok(re.test(got), name, `no match for ${re} in: ${String(got).slice(0, 800)}`);
}

// The browser: Debian's, never a downloaded one. As root Chromium needs
// --no-sandbox; the tests only ever load our own loopback pages.
export async function browser() {
	const args = process.getuid && process.getuid() === 0 ? ['--no-sandbox'] : [];
	return chromium.launch({ executablePath: '/usr/bin/chromium', headless: true, args });
}

// A signed-in page for email in a fresh context (its own cookies).
export async function signIn(b, email, opts = {}) {
	const ctx = await b.newContext({ baseURL: BASE, ...opts });
	const page = await ctx.newPage();
	await page.goto('/login');
	await page.getByLabel('Email').fill(email);
	await page.getByLabel('Password').fill(PASSWORD);
	await Promise.all([
		page.waitForURL((u) => !u.pathname.startsWith('/login')),
		page.getByRole('button', { name: /sign in/i }).click(),
	]);
	return page;
}

const AXE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

// WCAG 2.x A and AA violations on the page as it is now (axe-core runs
// through the DevTools protocol, so the page's CSP does not stop it).
export async function a11y(page, name) {
	await page.evaluate(AXE);
	const res = await page.evaluate(() => globalThis.axe.run(document, {
		runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'] },
	}));
	const v = res.violations.map((x) => `${x.id}: ${x.help} (${x.nodes.map((nd) => nd.target.join(' ')).slice(0, 3).join(', ')})`);
	return ok(v.length === 0, `${name}: no WCAG 2.2 AA violations`, v.join('\n'));
}

export async function screenshot(page, name) {
	mkdirSync(ARTEFACTS, { recursive: true });
	await page.screenshot({ path: `${ARTEFACTS}/${name}.png`, fullPage: true });
}

export function done() {
	if (process.env.KW_TAP_COUNT)
		writeFileSync(process.env.KW_TAP_COUNT, `${n}\n`);
	if (process.env.KW_TAP_PLAN !== 'no')
		console.log(`1..${n}`);
	process.exitCode = failed ? 1 : 0;
}

// Run main(b) with a browser, always closing it; a throw is a failure.
export async function run(main) {
	if (!BASE) {
		console.log('Bail out! KW_BASE is not set');
		process.exit(1);
	}
	const b = await browser();
	try {
		await main(b);
	} catch (e) {
		ok(false, 'the test ran to the end', e && e.stack ? e.stack : e);
	} finally {
		await b.close();
	}
	done();
}
