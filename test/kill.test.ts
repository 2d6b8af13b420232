import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { readTree } from './support/run.js';
import { gitRepo, meshSource } from './support/git.js';
import { cli } from './support/paths.js';

function synth(cwd: string, mesh: string, env: Record<string, string> = {}) {
  return spawnSync(process.execPath, [cli, 'synth', '--no-type-check', mesh, '--out', 'out', '--quiet'], { cwd, encoding: 'utf8', env: { ...process.env, ...env } });
}
const withoutBookkeeping = (t: Map<string, string>) => new Map([...t].filter(([f]) => !f.startsWith('.p2c/')));

describe('a killed synth never loses the previous output', () => {
  function setup() {
    const dir = gitRepo();
    fs.writeFileSync(path.join(dir, 'a.ts'), meshSource());
    fs.writeFileSync(path.join(dir, 'b.ts'), meshSource({ withElastic: false, state: 'Rejected' }));
    fs.writeFileSync(path.join(dir, 'broken.ts'), meshSource().replace("acceptClaims: ['events', 'namespaces', 'secrets']", "acceptClaims: ['events']"));
    expect(synth(dir, 'a.ts').status).toBe(0);
    return { dir, previous: readTree(path.join(dir, 'out')) };
  }

  it('killed after staging, before the swap: the output is untouched', () => {
    const { dir, previous } = setup();
    const r = synth(dir, 'b.ts', { P2C_FAULT: 'stage' });
    expect(r.signal).toBe('SIGKILL');
    // Only the dead run's stage and lock are new, inside .p2c/; the next run removes both.
    expect(withoutBookkeeping(readTree(path.join(dir, 'out')))).toEqual(withoutBookkeeping(previous));
    expect(readTree(path.join(dir, 'out')).get('.p2c/owned.json')).toBe(previous.get('.p2c/owned.json'));
    expect(synth(dir, 'broken.ts').status).toBe(1);
    expect(readTree(path.join(dir, 'out'))).toEqual(previous);
  });

  it('killed in the middle of the swap: the next run restores the previous output first', () => {
    const { dir, previous } = setup();
    const r = synth(dir, 'b.ts', { P2C_FAULT: 'swap:3' });
    expect(r.signal).toBe('SIGKILL');
    const torn = readTree(path.join(dir, 'out'));
    expect(torn.has('.p2c/journal.json')).toBe(true);
    expect(withoutBookkeeping(torn)).not.toEqual(withoutBookkeeping(previous));
    // The next run fails on its mesh, writes nothing, and leaves exactly the previous output.
    const next = synth(dir, 'broken.ts');
    expect(next.status).toBe(1);
    expect(next.stderr).toContain('restored out from an interrupted synth');
    expect(readTree(path.join(dir, 'out'))).toEqual(previous);
    expect(fs.readdirSync(dir)).toEqual(fs.readdirSync(dir).filter((e) => !e.includes('p2c')));
  });

  it('after a recovered kill, a good run writes the new output completely', () => {
    const { dir } = setup();
    synth(dir, 'b.ts', { P2C_FAULT: 'swap:1' });
    expect(synth(dir, 'b.ts').status).toBe(0);
    const fresh = gitRepo();
    fs.writeFileSync(path.join(fresh, 'b.ts'), meshSource({ withElastic: false, state: 'Rejected' }));
    synth(fresh, 'b.ts');
    // The same objects; only the bookkeeping differs: this folder remembers what a.ts had and b.ts keeps.
    expect(withoutBookkeeping(readTree(path.join(dir, 'out')))).toEqual(withoutBookkeeping(readTree(path.join(fresh, 'out'))));
    expect(readTree(path.join(dir, 'out')).get('.p2c/kept.json')).toContain('"observability"');
    expect([...readTree(path.join(dir, 'out')).keys()].filter((f) => f.startsWith('.p2c/')).sort()).toEqual(['.p2c/.gitignore', '.p2c/kept.json', '.p2c/owned.json', '.p2c/verdicts']);
  });
});
