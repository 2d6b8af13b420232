import { describe, expect, it } from 'vitest';
import { compile } from '../src/index.js';
import { idpMesh } from './fixtures/idp.js';

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
