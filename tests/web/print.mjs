// print.mjs: the account page and a signed review, printed to PDF by
// Chromium on A4 and on Letter, are short clean documents that hold the
// key figures (read back with pdfinfo and pdftotext from poppler-utils).
// The review is opened by `kwctl reviews run` (t-e2e-browser.sh), then
// both owners sign it here. The PDFs and a screenshot of the review's
// integrity chart are kept as test artefacts.
import { execFileSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { run, ok, like, a11y, signIn, ARTEFACTS } from './lib.mjs';

// The most pages the overview may take on paper.
const MAX_PAGES = 2;

// Print page as name on A4 and Letter; the text of each PDF must match
// every pattern of want.
async function print(page, name, want) {
	mkdirSync(ARTEFACTS, { recursive: true });
	for (const format of ['A4', 'Letter']) {
		const file = `${ARTEFACTS}/${name}-${format}.pdf`;
		await page.pdf({ path: file, format, printBackground: false });
		const info = execFileSync('pdfinfo', [file], { encoding: 'utf8' });
		const pages = Number((/^Pages:\s+(\d+)/m.exec(info) || [])[1]);
		ok(pages >= 1 && pages <= MAX_PAGES, `the ${name} prints on ${pages} ${format} page(s), at most ${MAX_PAGES}`, info);
		const text = execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' });
		for (const [re, what] of want)
			like(text, re, `the ${format} PDF of the ${name} shows ${what}`);
		ok(!/Sign out|Mark all as read|Skip to main content|Sign for the/.test(text),
		    `the ${format} PDF of the ${name} leaves out the navigation and buttons`);
	}
}

run(async (b) => {
	const anna = await signIn(b, 'anna@northwind.example');
	await anna.goto('/');
	await anna.getByRole('link', { name: /Acme packaging supply/ }).click();
	await print(anna, 'account', [
		[/Northwind ⇄ Acme packaging supply/, "the account's title"],
		[/Promises and integrity/, 'the promise figures'],
		[/Trends over the last review periods/, 'the trends'],
	]);

	// The latest review the scheduler opened: both owners sign it.
	await anna.getByRole('navigation', { name: 'This account' }).getByRole('link', { name: 'Reviews' }).click();
	await anna.locator('main tbody th a').first().click();
	const url = anna.url();
	await anna.getByRole('button', { name: 'Sign for the buyer' }).click();
	like(await anna.locator('main').innerText(), /Your side has signed/, 'the buyer\'s owner signs the review');
	const dev = await signIn(b, 'dev@acme.example');
	await dev.goto(url);
	await dev.getByRole('button', { name: 'Sign for the supplier' }).click();
	const text = await dev.locator('main').innerText();
	like(text, /frozen on/, 'the supplier\'s owner signs it and it is frozen');
	await a11y(dev, 'a frozen review');
	await dev.locator('figure').first().screenshot({ path: `${ARTEFACTS}/review-integrity-chart.png` });
	await print(dev, 'review', [
		[/Review of \d{4}-\d\d-\d\d to \d{4}-\d\d-\d\d/, 'its period'],
		[/Acme Packaging/, 'the supplier'],
		[/\d+%|no promises fell due/, 'the integrity figures'],
		[/frozen on/, 'that it is frozen'],
	]);
});
