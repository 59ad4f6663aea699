import {describe, expect, it, vi} from 'vitest';
import {sourceCatalog, sourceEntry} from '../../src/sources/catalog.js';
import {createSource} from '../../src/sources/index.js';
import {sourceIds} from '../../src/sources/types.js';
import {SourcePicker} from '../../src/ui/screens/SourcePicker.js';
import {flush, keys, render} from '../support/ink.js';

describe('the source catalog', () => {
	it('has exactly one entry for every source id, and none for anything else', () => {
		for (const id of sourceIds) expect(sourceCatalog.filter(entry => entry.id === id)).toHaveLength(1);
		expect(sourceCatalog).toHaveLength(sourceIds.length);
		expect(() => sourceEntry('nope' as never)).toThrow();
	});

	it('names every source once, and asks for a file only with a word for what the file is', () => {
		expect(new Set(sourceCatalog.map(entry => entry.label)).size).toBe(sourceCatalog.length);
		for (const entry of sourceCatalog) expect(entry.inputs.includes('keyFile')).toBe(entry.fileLabel !== undefined);
	});

	it('gives every built source its entry’s id and label, before anything is read or fetched', () => {
		for (const entry of sourceCatalog) {
			expect(createSource({source: entry.id, keyFile: '/nonexistent/key.json', env: {}})).toMatchObject({id: entry.id, label: entry.label});
		}
	});

	it('builds a source through its entry on first use', async () => {
		const source = createSource({source: 'paste', token: 'not a token at all'});
		await expect(source.accessToken()).rejects.toThrow(/not a token/);
		expect(await source.describe()).toMatchObject({id: 'paste', origin: 'a token you pasted'});
	});
});

describe('the source picker', () => {
	it('lists every source in catalog order, numbered, and picks by number', async () => {
		const onPick = vi.fn();
		const {frame, press, unmount} = await render(<SourcePicker detect={async () => ({})} onPick={onPick} onQuit={() => {}} />);
		await flush();
		const lines = frame().split('\n');
		const listed = sourceCatalog.map((entry, index) => lines.findIndex(line => line.includes(`${index + 1}. ${entry.label}`)));
		expect(listed.every(line => line >= 0)).toBe(true);
		expect(listed).toEqual([...listed].sort((a, b) => a - b));
		await press(String(sourceCatalog.length));
		expect(onPick).toHaveBeenCalledWith(sourceCatalog.at(-1)!.id, sourceCatalog.length - 1);
		await press(keys.enter);
		expect(onPick).toHaveBeenLastCalledWith(sourceCatalog[0]!.id, 0);
		await unmount();
	});
});
