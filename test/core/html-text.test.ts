import {describe, expect, it} from 'vitest';
import {htmlText, looksLikeHtml, unescapeHtml} from '../../src/core/html-text.js';

describe('htmlText: what a browser would show of Google’s error pages', () => {
	it('Google Front End’s page: headings on their own lines, the title and markup dropped, entities resolved', () => {
		const page =
			'<html><head>\n<meta http-equiv="content-type" content="text/html;charset=utf-8">\n<title>401 Unauthorized</title>\n</head>\n' +
			'<body text=#000000 bgcolor=#ffffff>\n<h1>Error: Unauthorized</h1>\n<h2>Your client does not have permission to the requested URL ' +
			'<code>/a&amp;b</code>.</h2>\n<h2></h2>\n</body></html>\n';
		expect(looksLikeHtml(page)).toBe(true);
		expect(htmlText(page)).toBe('Error: Unauthorized\nYour client does not have permission to the requested URL /a&b.');
	});

	it('numeric and named entities; an unknown one stays as written', () => {
		expect(unescapeHtml('That&#8217;s &lt;all&gt; &#x2019; &bogus;')).toBe('That’s <all> ’ &bogus;');
	});

	it('prose that mentions a tag is not taken for a page', () => {
		expect(looksLikeHtml('Use the <code> element')).toBe(false);
	});
});
