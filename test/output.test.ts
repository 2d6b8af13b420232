import { describe, expect, it } from 'vitest';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { spawn } from 'node:child_process';
import { writeOutput, insideOutput, OutputError, contentHash, lockFile } from '../src/output/write.js';
import { repoRoot } from './support/paths.js';
import { tempDir } from './support/run.js';

const files = (entries: Record<string, string>) => new Map(Object.entries(entries));

describe('output ownership', () => {
  it('removes files it wrote before and no longer produces, keeps files it did not write', () => {
    const out = path.join(tempDir(), 'out');
    writeOutput(out, files({ 'a/x.yaml': 'x', 'a/y.yaml': 'y', 'b/z.yaml': 'z' }));
    fs.writeFileSync(path.join(out, 'a/notes.md'), 'mine');
    const r = writeOutput(out, files({ 'a/x.yaml': 'x2' }));
    expect(r.written).toEqual(['a/x.yaml']);
    expect(r.removed).toEqual(['a/y.yaml', 'b/z.yaml']);
    expect(fs.readFileSync(path.join(out, 'a/notes.md'), 'utf8')).toBe('mine');
    expect(fs.existsSync(path.join(out, 'b'))).toBe(false);
  });

  it('leaves unchanged files alone (modification times stay)', () => {
    const out = path.join(tempDir(), 'out');
    writeOutput(out, files({ 'a/x.yaml': 'x' }));
    const file = path.join(out, 'a/x.yaml');
    const old = new Date('2020-01-01T00:00:00Z');
    fs.utimesSync(file, old, old);
    const r = writeOutput(out, files({ 'a/x.yaml': 'x' }));
    expect(r).toMatchObject({ written: [], added: [], removed: [], unchanged: 1 });
    expect(fs.statSync(file).mtime.toISOString()).toBe(old.toISOString());
  });

  it('refuses a non-empty folder it has no record of, unless forced', () => {
    const out = tempDir();
    fs.writeFileSync(path.join(out, 'precious.txt'), 'keep');
    expect(() => writeOutput(out, files({ 'a.yaml': 'a' }))).toThrow(OutputError);
    expect(fs.existsSync(path.join(out, 'a.yaml'))).toBe(false);
    writeOutput(out, files({ 'a.yaml': 'a' }), { force: true });
    expect(fs.readFileSync(path.join(out, 'precious.txt'), 'utf8')).toBe('keep');
  });

  it('never writes outside the output folder', () => {
    const out = tempDir();
    expect(() => insideOutput(out, '../escape.yaml')).toThrow(/outside the output folder/);
    expect(() => insideOutput(out, '/etc/passwd')).toThrow(/outside the output folder/);
    expect(() => writeOutput(out, files({ 'ok.yaml': 'a', 'x/../../evil.yaml': 'b' }))).toThrow(OutputError);
    expect(fs.existsSync(path.join(out, 'ok.yaml'))).toBe(false);
  });
});

const tree = (dir: string) => {
  const out: Record<string, string> = {};
  const walk = (d: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else out[path.relative(dir, p)] = e.isSymbolicLink() ? `-> ${fs.readlinkSync(p)}` : fs.readFileSync(p, 'utf8');
    }
  };
  walk(dir);
  return out;
};

describe('p2c never follows a symbolic link out of its output folder', () => {
  // Each case: a link somewhere p2c would write, delete or keep its record, pointing at a folder outside.
  const cases: Array<[string, (out: string, outside: string) => void]> = [
    ['a linked folder p2c writes into', (out, outside) => { fs.rmSync(path.join(out, 'a'), { recursive: true }); fs.symlinkSync(outside, path.join(out, 'a')); }],
    ['a linked folder deeper down', (out, outside) => { fs.rmSync(path.join(out, 'b/c'), { recursive: true }); fs.symlinkSync(outside, path.join(out, 'b', 'c')); }],
    ['a linked file p2c rewrites', (out, outside) => { fs.rmSync(path.join(out, 'a/x.yaml')); fs.symlinkSync(path.join(outside, 'victim.txt'), path.join(out, 'a/x.yaml')); }],
    ['a linked .p2c bookkeeping folder', (out, outside) => { fs.rmSync(path.join(out, '.p2c'), { recursive: true }); fs.symlinkSync(outside, path.join(out, '.p2c')); }],
    ['a linked folder holding a file p2c would delete', (out, outside) => { fs.rmSync(path.join(out, 'old'), { recursive: true }); fs.mkdirSync(path.join(outside, 'old'), { recursive: true }); fs.writeFileSync(path.join(outside, 'old', 'gone.yaml'), 'gone'); fs.symlinkSync(path.join(outside, 'old'), path.join(out, 'old')); }],
  ];
  for (const [name, plant] of cases) {
    it(`refuses ${name}, and touches nothing outside`, () => {
      const base = tempDir();
      const out = path.join(base, 'out');
      const outside = path.join(base, 'outside');
      fs.mkdirSync(outside);
      fs.writeFileSync(path.join(outside, 'victim.txt'), 'precious');
      writeOutput(out, files({ 'a/x.yaml': 'x', 'b/c/y.yaml': 'y', 'old/gone.yaml': 'gone' }));
      plant(out, outside);
      const before = tree(outside);
      expect(() => writeOutput(out, files({ 'a/x.yaml': 'x2', 'b/c/y.yaml': 'y2', 'a/new.yaml': 'n' }))).toThrow(/symbolic link/);
      expect(tree(outside)).toEqual(before);
    });
  }
});

describe('p2c deletes and overwrites only what it wrote', () => {
  it('a forged record cannot make p2c delete a user file: wrong hash, no hash, or an old-style list', () => {
    for (const forged of [
      (f: string) => ({ generator: 'p2c', files: { [f]: contentHash('something else') } }),
      (f: string) => ({ generator: 'p2c', files: { [f]: '' } }),
      (f: string) => ({ generator: 'p2c', files: [f] }),
    ]) {
      const out = path.join(tempDir(), 'out');
      writeOutput(out, files({ 'a.yaml': 'a' }));
      fs.writeFileSync(path.join(out, 'mine.txt'), 'mine');
      fs.writeFileSync(path.join(out, '.p2c/owned.json'), JSON.stringify(forged('mine.txt')));
      const r = writeOutput(out, files({ 'a.yaml': 'a' }));
      expect(fs.readFileSync(path.join(out, 'mine.txt'), 'utf8')).toBe('mine');
      expect(r.kept.map((k) => k.path)).toEqual(['mine.txt']);
      expect(r.removed).toEqual([]);
    }
  });

  it('a generated file edited by hand is kept (and reported) when p2c stops producing it', () => {
    const out = path.join(tempDir(), 'out');
    writeOutput(out, files({ 'a.yaml': 'a', 'b.yaml': 'b' }));
    fs.writeFileSync(path.join(out, 'b.yaml'), 'b, edited');
    const r = writeOutput(out, files({ 'a.yaml': 'a' }));
    expect(r.kept).toEqual([{ path: 'b.yaml', reason: 'changed since p2c wrote it' }]);
    expect(fs.readFileSync(path.join(out, 'b.yaml'), 'utf8')).toBe('b, edited');
  });

  it('refuses to overwrite a user file at a path p2c newly produces, naming it; adopts an identical one', () => {
    const out = path.join(tempDir(), 'out');
    writeOutput(out, files({ 'a.yaml': 'a' }));
    fs.mkdirSync(path.join(out, 'kcp'));
    fs.writeFileSync(path.join(out, 'kcp/manifest.yaml'), 'hand-written');
    fs.writeFileSync(path.join(out, 'same.yaml'), 'same');
    expect(() => writeOutput(out, files({ 'a.yaml': 'a2', 'kcp/manifest.yaml': 'generated', 'same.yaml': 'same' }))).toThrow(/did not write: kcp\/manifest.yaml/);
    expect(fs.readFileSync(path.join(out, 'kcp/manifest.yaml'), 'utf8')).toBe('hand-written');
    expect(fs.readFileSync(path.join(out, 'a.yaml'), 'utf8')).toBe('a');
    writeOutput(out, files({ 'a.yaml': 'a2', 'same.yaml': 'same' }));
    expect(JSON.parse(fs.readFileSync(path.join(out, '.p2c/owned.json'), 'utf8')).files['same.yaml']).toBe(contentHash('same'));
    writeOutput(out, files({ 'a.yaml': 'a2', 'kcp/manifest.yaml': 'generated' }), { force: true });
    expect(fs.readFileSync(path.join(out, 'kcp/manifest.yaml'), 'utf8')).toBe('generated');
  });
});

describe('the stage, the lock and failures', () => {
  it('stages inside the output folder: nothing is created beside it (an output on its own volume works)', () => {
    const base = tempDir();
    const out = path.join(base, 'out');
    writeOutput(out, files({ 'a.yaml': 'a' }));
    writeOutput(out, files({ 'a.yaml': 'a2', 'b/b.yaml': 'b' }));
    expect(fs.readdirSync(base)).toEqual(['out']);
    expect(fs.readdirSync(path.join(out, '.p2c'))).toEqual(['owned.json']);
  });

  it('a full disk fails with a clear error, leaves the previous output, and cleans up its stage and lock', () => {
    const out = path.join(tempDir(), 'out');
    writeOutput(out, files({ 'a.yaml': 'a', 'b.yaml': 'b' }));
    const before = tree(out);
    process.env['P2C_FAULT'] = 'enospc';
    try {
      expect(() => writeOutput(out, files({ 'a.yaml': 'a2', 'b.yaml': 'b2', 'c.yaml': 'c' }))).toThrow(/ENOSPC.*previous output is unchanged/);
    } finally {
      delete process.env['P2C_FAULT'];
    }
    expect(tree(out)).toEqual(before);
    const fresh = path.join(tempDir(), 'fresh');
    process.env['P2C_FAULT'] = 'enospc';
    try {
      expect(() => writeOutput(fresh, files({ 'a.yaml': 'a', 'b.yaml': 'b' }))).toThrow(OutputError);
    } finally {
      delete process.env['P2C_FAULT'];
    }
    expect(fs.existsSync(fresh)).toBe(false);
  });

  it('takes over the lock of a dead synth; waits for a live one, then gives up with a clear message', () => {
    const out = path.join(tempDir(), 'out');
    writeOutput(out, files({ 'a.yaml': 'a' }));
    fs.writeFileSync(path.join(out, lockFile), '2147483646\n'); // no such process
    expect(writeOutput(out, files({ 'a.yaml': 'a2' })).written).toEqual(['a.yaml']);
    fs.writeFileSync(path.join(out, lockFile), `${process.ppid}\n`); // alive: the test runner's parent
    const waited: string[] = [];
    expect(() => writeOutput(out, files({ 'a.yaml': 'a3' }), { lockTimeoutSeconds: 0.3, onWait: (h) => waited.push(h) })).toThrow(new RegExp(`another p2c \\(pid ${process.ppid}\\) is writing`));
    expect(waited).toEqual([`pid ${process.ppid}`]);
    expect(fs.readFileSync(path.join(out, 'a.yaml'), 'utf8')).toBe('a2');
  });

  it('concurrent writers into one folder never crash or undo each other: each run is whole, in turn', async () => {
    const out = path.join(tempDir(), 'out');
    const script = path.join(tempDir(), 'writer.mts');
    fs.writeFileSync(script, `import { writeOutput } from ${JSON.stringify(path.join(repoRoot, 'src/output/write.ts'))};
const v = process.argv[2];
const files = new Map<string, string>();
for (let i = 0; i < 200; i++) files.set(\`f/\${i % 7}/\${v}-\${i}.yaml\`, \`\${v} \${i}\`);
files.set('shared.yaml', v);
writeOutput(${JSON.stringify(out)}, files);
`);
    const runs = ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i', 'j'].map((v) => new Promise<{ v: string; code: number | null; err: string }>((resolve) => {
      const child = spawn(process.execPath, [path.join(repoRoot, 'bin/run-ts.js'), script, v], { stdio: ['ignore', 'ignore', 'pipe'] });
      let err = '';
      child.stderr.on('data', (d) => (err += d));
      child.on('close', (code) => resolve({ v, code, err }));
    }));
    const results = await Promise.all(runs);
    for (const r of results) expect(r.code, r.err).toBe(0);
    const last = fs.readFileSync(path.join(out, 'shared.yaml'), 'utf8');
    const t = tree(out);
    const owned = JSON.parse(t['.p2c/owned.json']!).files as Record<string, string>;
    // Exactly the last writer's files, as its record says; no journal, stage or lock left.
    expect(Object.keys(t).filter((f) => !f.startsWith('.p2c/')).sort()).toEqual(Object.keys(owned).sort());
    expect(Object.keys(owned).every((f) => f === 'shared.yaml' || f.includes(`/${last}-`))).toBe(true);
    expect(Object.keys(t).filter((f) => f.startsWith('.p2c/'))).toEqual(['.p2c/owned.json']);
  }, 60_000);
});

describe('a forged journal', () => {
  it('cannot make the rollback delete a user file, or restore from outside .p2c/stage-*', () => {
    const out = path.join(tempDir(), 'out');
    writeOutput(out, files({ 'a.yaml': 'a' }));
    fs.writeFileSync(path.join(out, 'NOTES.md'), 'mine');
    fs.writeFileSync(path.join(out, '.p2c/journal.json'), JSON.stringify({ stage: path.join(out, '.p2c/stage-1'), replaced: [], created: { 'NOTES.md': contentHash('not mine') }, removed: [] }));
    writeOutput(out, files({ 'a.yaml': 'a2' }));
    expect(fs.readFileSync(path.join(out, 'NOTES.md'), 'utf8')).toBe('mine');
    fs.writeFileSync(path.join(out, '.p2c/journal.json'), JSON.stringify({ stage: path.join(out, 'elsewhere'), replaced: ['NOTES.md'], created: {}, removed: [] }));
    expect(() => writeOutput(out, files({ 'a.yaml': 'a3' }))).toThrow(/names a stage outside/);
    expect(fs.readFileSync(path.join(out, 'NOTES.md'), 'utf8')).toBe('mine');
  });
});
