import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { locateDictionary, resolveDictionary } from '../../../src/dictionary/resolve-dictionary.js';
import { DictionaryError } from '../../../src/dictionary/dictionary-error.js';
import { bufferOut } from '../../support/cli.js';

const REPO = fileURLToPath(new URL('../../../', import.meta.url));
let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'tagaudit-resolve-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('resolveDictionary', () => {
  it('--dictionary wins, named as given and read relative to cwd', async () => {
    const stderr = bufferOut();
    const policy = await resolveDictionary({ flag: 'dictionaries/ml-lifecycle.yaml', cwd: REPO, stderr });
    expect(policy.name).toBe('ml-lifecycle');
    expect(policy.path).toBe('dictionaries/ml-lifecycle.yaml');
    expect(stderr.text()).toBe('');
  });

  it('falls back to the bundled anycompany dictionary and says so on stderr', async () => {
    const stderr = bufferOut();
    const policy = await resolveDictionary({ cwd: dir, stderr });
    expect(policy.name).toBe('anycompany');
    expect(stderr.text()).toBe('tagaudit: no --dictionary and no ./tagaudit.yaml; using bundled dictionaries/anycompany.yaml\n');
    // Outside the package the bundled file is named by its absolute path, so a SARIF location still resolves.
    expect(policy.path).toBe(join(REPO, 'dictionaries/anycompany.yaml'));
  });

  it('inside the package the bundled file is named relative to cwd', () => {
    expect(locateDictionary(undefined, REPO)).toEqual({
      file: join(REPO, 'dictionaries/anycompany.yaml'),
      display: 'dictionaries/anycompany.yaml',
      origin: 'bundled',
    });
  });

  it('uses ./tagaudit.yaml and fails like every loader when it is bad', async () => {
    writeFileSync(join(dir, 'tagaudit.yaml'), 'version: 1\nname: x\ntags: nope\n');
    const stderr = bufferOut();
    const err = await resolveDictionary({ cwd: dir, stderr }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DictionaryError);
    expect((err as DictionaryError).toLine()).toBe('tagaudit.yaml:3:7: tags: must be a list, got a string');
    expect(stderr.text()).toBe('');
  });
});
