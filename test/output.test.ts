import { describe, expect, it } from 'vitest';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { writeOutput, insideOutput, OutputError } from '../src/output/write.js';
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
