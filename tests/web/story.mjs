// story.mjs: a two-sided story played in the browser on the Bluefield
// account, in two acts on two days (the stack is restarted in between with
// a later clock):
//   act 1 — the buyer states an expectation and a strategic need; the
//     supplier acknowledges both, promises two deliveries and marks them
//     delivered; the buyer confirms the first and disputes the second;
//   act 2 — after the due date the supplier delivers again; the buyer
//     confirms it late.
// Each person works from their inbox. In the end the account page of each
// side shows the integrity figures and both inboxes are empty.
import { run, ok, is, like, a11y, signIn, screenshot } from './lib.mjs';

const ACT = process.env.KW_ACT || '1';
const BEN = 'ben@northwind.example';	// buyer, member
const FAY = 'fay@bluefield.example';	// supplier, member
const DUE = '2026-11-13';		// act 1 is on 11-10, act 2 on 11-16

async function account(page) {
	await page.goto('/');
	await page.getByRole('link', { name: /Bluefield freight/ }).click();
	return new URL(page.url()).pathname;
}

// The unread notifications, as the inbox lists them.
async function unread(page) {
	await page.goto('/inbox?state=unread');
	return page.locator('main tbody th a').allInnerTexts();
}

// Open the unread notification whose text matches re: it marks it read
// and leads to its entry.
async function openNotice(page, re) {
	await page.goto('/inbox?state=unread');
	await page.locator('main tbody th a', { hasText: re }).first().click();
}

// Open every unread notification left, as someone going through their
// inbox does; returns how many there were.
async function drain(page) {
	let n = 0;
	for (;;) {
		await page.goto('/inbox?state=unread');
		const link = page.locator('main tbody th a').first();
		if (await link.count() === 0)
			return n;
		await link.click();
		n++;
	}
}

// Fill the fields of the form in the region (a section) named name.
async function fill(page, name, fields) {
	const form = page.getByRole('region', { name });
	for (const [label, value] of Object.entries(fields))
		await form.getByLabel(label, { exact: true }).fill(value);
	return form;
}

async function notice(page) {
	return page.locator('[role="status"]').first().innerText();
}

async function act1(b) {
	const ben = await signIn(b, BEN);
	const acct = await account(ben);

	await ben.goto(`${acct}/expectations`);
	await (await fill(ben, 'State a new expectation', {
	    'Title': 'A temperature log for every chilled load',
	    'Measurable target (optional)': '100% of loads logged, 2–8 °C' }))
	    .getByRole('button', { name: 'State expectation' }).click();
	like(await notice(ben), /expectation was recorded/, 'the buyer states an expectation');

	await ben.goto(`${acct}/updates`);
	const post = await fill(ben, 'Post an update', {
	    'Title': 'Cold-chain capacity for the spring range',
	    'Update': 'Twelve new chilled lines from March; we need capacity for 40 more pallets a week.' });
	await post.getByLabel('Kind', { exact: true }).selectOption('need');
	await post.getByRole('button', { name: 'Post update' }).click();
	like(await notice(ben), /update was posted/, 'the buyer shares a strategic need');

	const fay = await signIn(b, FAY);
	const got = await unread(fay);
	ok(got.some((t) => /temperature log/i.test(t)), 'the supplier is told of the expectation', got.join('\n'));
	ok(got.some((t) => /Cold-chain capacity/.test(t)), 'and of the update', got.join('\n'));
	await openNotice(fay, /temperature log/i);
	await fay.getByRole('button', { name: 'Acknowledge expectation' }).click();
	like(await notice(fay), /acknowledged/, 'the supplier acknowledges the expectation');
	await openNotice(fay, /Cold-chain capacity/);
	await a11y(fay, 'an update from the other side');
	const read = fay.getByRole('button', { name: 'Mark as read' });
	if (await read.count() > 0)
		await read.first().click();
	await fay.goto(`${acct}/updates`);
	ok(await fay.getByRole('button', { name: 'Mark as read' }).count() === 0,
	    'the supplier has read the update');

	for (const title of ['Loggers on every trailer', 'A weekly cold-chain report']) {
		await fay.goto(`${acct}/promises`);
		await (await fill(fay, /Make a promise/, { 'What you promise': title,
		    'Due date': DUE })).getByRole('button', { name: 'Make the promise' }).click();
		like(await notice(fay), /promise was made/, `the supplier promises: ${title}`);
		await (await fill(fay, 'What your side can do', {
		    'What was delivered': `${title}: done.`, 'Delivered on': '2026-11-10' }))
		    .getByRole('button', { name: 'Mark delivered' }).click();
		like(await notice(fay), /marked delivered/, `and marks it delivered on time`);
	}
	await drain(fay);

	const deliveries = (await unread(ben)).filter((t) => /delivered|confirm/i.test(t));
	is(deliveries.length, 2, 'the buyer has two deliveries to confirm');
	await openNotice(ben, /Loggers on every trailer/);
	await a11y(ben, 'a delivered promise');
	await ben.getByRole('button', { name: 'Confirm it was kept' }).click();
	like(await notice(ben), /kept/, 'the buyer confirms the first delivery');
	await openNotice(ben, /weekly cold-chain report/i);
	await ben.getByLabel('Why you dispute the delivery').fill('The report covers only two of our five depots.');
	await ben.getByRole('button', { name: 'Dispute the delivery' }).click();
	like(await notice(ben), /disputed/, 'the buyer disputes the second delivery');
	await drain(ben);
}

async function act2(b) {
	const fay = await signIn(b, FAY);
	const acct = await account(fay);
	const got = await unread(fay);
	ok(got.some((t) => /disputed/i.test(t)), 'the supplier is told of the dispute', got.join('\n'));
	await openNotice(fay, /disputed/i);
	like(await fay.locator('main').innerText(), /only two of our five depots/, 'with the buyer\'s reason');
	await (await fill(fay, 'What your side can do', {
	    'What was delivered': 'The report now covers all five depots.',
	    'Delivered on': '2026-11-16' })).getByRole('button', { name: 'Mark delivered' }).click();
	like(await notice(fay), /marked delivered/, 'the supplier delivers again, after the due date');
	await drain(fay);

	const ben = await signIn(b, BEN);
	await openNotice(ben, /weekly cold-chain report/i);
	await ben.getByRole('button', { name: 'Confirm it was kept' }).click();
	like(await notice(ben), /kept/, 'the buyer confirms the late delivery');
	await drain(ben);
	const told = await unread(fay);
	ok(told.some((t) => /weekly cold-chain report/i.test(t)),
	    'the supplier is told the promise was kept', told.join('\n'));
	await drain(fay);

	for (const [who, page] of [['buyer', ben], ['supplier', fay]]) {
		await page.goto(acct);
		const text = await page.locator('main').innerText();
		like(text, /Bluefield Logistics\s+supplier[^\n]*\n?[^%]*50%\s*\(1 of 2 kept on time, 1 late\)/,
		    `the ${who}'s account page: the supplier kept 1 of 2 on time, 1 late`);
		like(text, /Northwind Foods\s+buyer[\s\S]*?nothing fell due yet/,
		    `the ${who}'s account page: nothing of the buyer's fell due`);
		like(text, /Nothing waits on your side/, `nothing waits on the ${who}`);
		is((await unread(page)).length, 0, `the ${who}'s inbox is empty`);
		is(await page.locator('header .badge').count(), 0, `the ${who}'s navigation shows no unread count`);
		await page.goto(acct);
		await a11y(page, `the ${who}'s account page`);
		await screenshot(page, `story-account-${who}`);
	}
}

run(async (b) => {
	if (ACT === '1')
		await act1(b);
	else
		await act2(b);
});
