// pages.mjs: every page of the portal, as the people who use it see it,
// checked in a real browser for WCAG 2.2 AA (axe-core), for a phone-sized
// screen without sideways scrolling, and for keyboard access.
import { run, ok, is, a11y, signIn, screenshot, BASE } from './lib.mjs';

// Paths every signed-in person of the buyer and the supplier can open;
// ACCOUNT is replaced by the Acme account's id.
const ACCOUNT_PAGES = [
	'/',
	'/inbox',
	'/accounts/ACCOUNT',
	'/accounts/ACCOUNT/activity',
	'/accounts/ACCOUNT/owners',
	'/accounts/ACCOUNT/promises',
	'/accounts/ACCOUNT/promises/9305',
	'/accounts/ACCOUNT/promises/9311',
	'/accounts/ACCOUNT/contacts',
	'/accounts/ACCOUNT/feedback',
	'/accounts/ACCOUNT/concerns',
	'/accounts/ACCOUNT/concerns/9201',
	'/accounts/ACCOUNT/expectations',
	'/accounts/ACCOUNT/expectations/9001',
	'/accounts/ACCOUNT/updates',
	'/accounts/ACCOUNT/updates/9105',
];

async function accountId(page) {
	await page.goto('/');
	const href = await page.getByRole('link', { name: /Acme packaging supply/ }).getAttribute('href');
	return href.replace(/.*\/accounts\//, '');
}

// check(page, path, name): axe, then no sideways scrolling on a phone.
async function check(page, path, name) {
	const res = await page.goto(path);
	ok(res.status() < 500, `${name}: ${path} answers (${res.status()})`);
	await a11y(page, name);
	await page.setViewportSize({ width: 360, height: 740 });
	const wide = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
	ok(wide <= 0, `${name}: fits a 360px-wide phone screen`, `${wide}px too wide`);
	await page.setViewportSize({ width: 1280, height: 800 });
}

run(async (b) => {
	const anon = await (await b.newContext({ baseURL: BASE })).newPage();
	await check(anon, '/login', 'login page');
	await anon.keyboard.press('Tab');
	is(await anon.evaluate(() => document.activeElement.textContent.trim()),
	    'Skip to main content', 'the first Tab reaches the skip link');
	await anon.getByLabel('Email').fill('nobody@example.org');
	await anon.getByLabel('Password').fill('wrong password');
	await anon.getByRole('button', { name: /sign in/i }).click();
	await a11y(anon, 'refused sign-in');

	for (const email of ['anna@northwind.example', 'dev@acme.example']) {
		const page = await signIn(b, email);
		const acct = await accountId(page);
		for (const p of ACCOUNT_PAGES)
			await check(page, p.replace('ACCOUNT', acct), `${email} ${p}`);
		await screenshot(page, `account-${email.replace(/@.*/, '')}`);
		await page.context().close();
	}

	const admin = await signIn(b, 'anna@northwind.example');
	await check(admin, '/org/users', 'people page');
	await admin.getByLabel('Email', { exact: true }).first().fill('not an email');
	await admin.getByRole('button', { name: /add/i }).first().click();
	await a11y(admin, 'people page with errors');
	await check(admin, '/org/identifiers', 'identifiers page');
	await check(admin, '/org/tokens', 'API tokens page');
	await admin.getByRole('button', { name: /issue token/i }).click();
	await a11y(admin, 'API tokens page with errors');
	await admin.getByLabel('Name', { exact: true }).fill('ERP sync');
	await admin.getByLabel(/Acme packaging supply/).check();
	await admin.getByRole('button', { name: /issue token/i }).click();
	ok(/^kwt_/.test(await admin.getByLabel('Token').inputValue()), 'the new token is shown');
	await a11y(admin, 'new API token page');
	await admin.setViewportSize({ width: 360, height: 740 });
	const wide = await admin.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
	ok(wide <= 0, 'new API token page: fits a 360px-wide phone screen', `${wide}px too wide`);
	await admin.setViewportSize({ width: 1280, height: 800 });
	await check(admin, '/org/tokens', 'API tokens page with a token');

	const op = await signIn(b, 'ops@keepword.example');
	await check(op, '/operator', 'operator page');
});
