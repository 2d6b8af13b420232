import { describe, expect, it } from 'vitest';
import { compile } from '../src/index.js';
import { idpMesh } from './fixtures/idp.js';
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { cli, repoRoot } from './support/paths.js';
import { readTree, tempDir } from './support/run.js';

describe('determinism', () => {
  it('the same mesh declared in reverse order compiles to byte-identical files', () => {
    const forward = compile(idpMesh());
    const reverse = compile(idpMesh({ reverse: true }));
    expect(forward.diagnostics).toEqual([]);
    expect([...reverse.files.keys()]).toEqual([...forward.files.keys()]);
    for (const [file, content] of forward.files) expect(reverse.files.get(file), file).toBe(content);
  });

  it('files are listed in sorted order and every object key is sorted', () => {
    const c = compile(idpMesh());
    const binding = c.files.get('kcp/root/team/webshop/manifest.yaml')!.split('---\n').find((d) => d.includes('kind: APIBinding'))!;
    expect(binding.indexOf('apiVersion:')).toBeLessThan(binding.indexOf('kind:'));
    expect(binding.indexOf('kind:')).toBeLessThan(binding.indexOf('metadata:'));
    expect(binding.indexOf('permissionClaims:')).toBeLessThan(binding.indexOf('reference:'));
  });
});

describe('determinism across locales and time zones', () => {
  const fixture = path.join(repoRoot, 'test/fixtures/locale/mesh.ts');
  const synthUnder = (env: Record<string, string>) => {
    const out = tempDir();
    const r = spawnSync(process.execPath, [cli, 'synth', '--no-type-check', fixture, '--out', out, '-q'], { encoding: 'utf8', env: { ...process.env, ...env } });
    expect(r.status, r.stderr).toBe(0);
    return readTree(out);
  };

  it('Danish and Lithuanian collation, and any time zone, give byte-identical output', () => {
    // Sanity: this Node orders these names differently under those locales, so the test can fail.
    const probe = spawnSync(process.execPath, ['-e', "process.stdout.write(['zz','aa','y','j'].sort((a,b)=>a.localeCompare(b)).join())"], { encoding: 'utf8', env: { ...process.env, LC_ALL: 'da_DK.UTF-8' } });
    expect(probe.stdout).not.toBe('aa,j,y,zz');
    const reference = synthUnder({ LC_ALL: 'C', LANG: 'C', TZ: 'UTC' });
    expect(reference.get('MESH.md')).toContain('aa-store');
    for (const env of <Record<string, string>[]>[{ LC_ALL: 'da_DK.UTF-8', TZ: 'Pacific/Chatham' }, { LC_ALL: 'lt_LT.UTF-8', TZ: 'America/St_Johns' }, { LANG: 'da_DK.UTF-8', TZ: 'Asia/Kathmandu' }]) {
      const other = synthUnder(env);
      expect([...other.keys()].sort()).toEqual([...reference.keys()].sort());
      for (const [file, content] of reference) if (!file.startsWith('.p2c')) expect(other.get(file), `${file} under ${JSON.stringify(env)}`).toBe(content);
    }
  });

  it('related resources are written in identifier order, whatever order the mesh lists them in', () => {
    const tree = synthUnder({});
    const published = tree.get('clusters/aa-cluster/manifest.yaml')!;
    expect(published.indexOf('identifier: aacredentials')).toBeGreaterThan(0);
    expect(published.indexOf('identifier: aacredentials')).toBeLessThan(published.indexOf('identifier: zzconfig'));
  });
});

describe('no locale-dependent call can come back', () => {
  it('src/ and constructs/ use no localeCompare, toLocale* or Intl (output would depend on LANG)', () => {
    const offenders: string[] = [];
    for (const dir of ['src', 'constructs']) {
      for (const [file, text] of readTree(path.join(repoRoot, dir))) {
        text.split('\n').forEach((line, i) => {
          if (/\blocaleCompare\b|\btoLocale\w*\(|\bIntl\./.test(line) && !line.trim().startsWith('/')) offenders.push(`${dir}/${file}:${i + 1}`);
        });
      }
    }
    expect(offenders).toEqual([]);
  });
});
