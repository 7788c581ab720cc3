// print.mjs: the account page printed to PDF by Chromium, on A4 and on
// Letter, is a short clean document that holds the key figures (read back
// with pdfinfo and pdftotext from poppler-utils). The PDFs are kept as
// test artefacts.
import { execFileSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { run, ok, like, signIn, ARTEFACTS } from './lib.mjs';

// The most pages the overview may take on paper.
const MAX_PAGES = 2;

run(async (b) => {
	const page = await signIn(b, 'anna@northwind.example');
	await page.goto('/');
	await page.getByRole('link', { name: /Acme packaging supply/ }).click();
	mkdirSync(ARTEFACTS, { recursive: true });
	for (const format of ['A4', 'Letter']) {
		const file = `${ARTEFACTS}/account-${format}.pdf`;
		await page.pdf({ path: file, format, printBackground: false });
		const info = execFileSync('pdfinfo', [file], { encoding: 'utf8' });
		const pages = Number((/^Pages:\s+(\d+)/m.exec(info) || [])[1]);
		ok(pages >= 1 && pages <= MAX_PAGES, `on ${format} it prints on ${pages} page(s), at most ${MAX_PAGES}`, info);
		const text = execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' });
		like(text, /Northwind ⇄ Acme packaging supply/, `the ${format} PDF carries the account's title`);
		like(text, /Promises and integrity/, `and the promise figures`);
		like(text, /Trends over the last review periods/, `and the trends`);
		ok(!/Sign out|Mark all as read|Skip to main content/.test(text),
		    `the ${format} PDF leaves out the navigation and buttons`);
	}
});
