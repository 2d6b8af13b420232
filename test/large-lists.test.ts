import { describe, expect, it } from 'vitest';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { append } from '../src/model/collections.js';
import { repoRoot } from './support/paths.js';

// A synth of 10,000 teams crashed writing MESH.md: `lines.push(...section)` passes every line as an argument, and
// V8's stack holds only so many. Any list p2c builds can be mesh-sized, so no source spreads a list into a call.
describe('mesh-sized lists', () => {
  it('append takes more items than a call can have arguments', () => {
    const many = Array.from({ length: 1_000_000 }, (_, i) => i);
    expect(() => ([] as number[]).push(...many)).toThrow(RangeError);
    expect(append([-1], many).length).toBe(1_000_001);
  });

  it('no source file spreads a list into push or another call', () => {
    const offenders: string[] = [];
    const walk = (dir: string) => {
      for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
        const file = path.join(dir, e.name);
        if (e.isDirectory()) walk(file);
        else if (file.endsWith('.ts')) {
          fs.readFileSync(file, 'utf8').split('\n').forEach((line, i) => {
            // `(...name)` in a call; rest parameters (`(...parts: string[]) =>`) and commander's option tuples are not calls of lists.
            if (/^\s*(\/\/|\*)/.test(line)) return;
            if (/\.push\(\.\.\./.test(line) || /\b(Math\.(max|min)|String\.fromCharCode|concat)\(\.\.\./.test(line)) offenders.push(`${path.relative(repoRoot, file)}:${i + 1}`);
          });
        }
      }
    };
    for (const dir of ['src', 'constructs']) walk(path.join(repoRoot, dir));
    expect(offenders).toEqual([]);
  });
});
