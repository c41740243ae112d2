import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  conformanceEntries,
  DIVERGENCE_DOC,
  divergenceList,
  GENERATED_END,
  GENERATED_START,
  renderDivergenceSections,
} from './fauxqs-divergences.js';

describe('fauxqs-divergences.json', () => {
  it('names each conformance entry at most once, with its file and AWS answer', () => {
    const ids = divergenceList.divergences.map((d) => d.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const d of divergenceList.divergences) {
      const entry = conformanceEntries.get(d.id);
      expect(entry, `${d.id} is not a conformance entry`).toBeDefined();
      expect(d.file, d.id).toBe(entry!.file);
      expect(d.aws, `${d.id}: AWS's answer must be the conformance file's`).toBe(entry!.aws);
      expect(d.fauxqs, `${d.id}: a divergence has a different answer`).not.toBe(d.aws);
    }
  });

  it('puts every divergence in a described group, and every group has a divergence', () => {
    const names = divergenceList.groups.map((g) => g.name);
    expect(new Set(names).size).toBe(names.length);
    for (const d of divergenceList.divergences) expect(names, d.id).toContain(d.group);
    for (const name of names) expect(divergenceList.divergences.some((d) => d.group === name), name).toBe(true);
  });

  it('is what docs/emulator-divergences.md shows', () => {
    const doc = readFileSync(DIVERGENCE_DOC, 'utf8');
    const start = doc.indexOf(GENERATED_START);
    const end = doc.indexOf(GENERATED_END);
    expect(start, 'the document lost its generated-section markers').toBeGreaterThanOrEqual(0);
    expect(end).toBeGreaterThan(start);
    expect(
      doc.slice(start, end + GENERATED_END.length),
      'docs/emulator-divergences.md is out of date: run pnpm exec tsx packages/fanout/test/emulator/write-divergences-doc.ts',
    ).toBe(renderDivergenceSections(divergenceList));
    for (const d of divergenceList.divergences) expect(doc).toContain(`| ${d.id}`);
  });
});
