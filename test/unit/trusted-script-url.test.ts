import { afterEach, describe, expect, it, vi } from 'vitest';

afterEach(() => {
  vi.unstubAllGlobals();
  vi.resetModules();
});

describe('Trusted Types script URLs', () => {
  it('passes URLs of its own origin through the "glassbox" policy, and refuses any other origin', async () => {
    vi.stubGlobal('location', new URL('https://site.test/app/'));
    const made: { name: string; rules: { createScriptURL(url: string): string } }[] = [];
    vi.stubGlobal('trustedTypes', {
      createPolicy(name: string, rules: { createScriptURL(url: string): string }) {
        made.push({ name, rules });
        return { createScriptURL: (url: string) => ({ trusted: rules.createScriptURL(url) }) };
      },
    });
    const { trustedScriptUrl, allowSameOriginWorkerScripts } = await import('../../src/trusted-script-url');
    expect(trustedScriptUrl('assets/classifier.worker.js')).toEqual({ trusted: 'https://site.test/app/assets/classifier.worker.js' });
    expect(() => trustedScriptUrl('https://evil.example/x.js')).toThrow(/only from its own origin, not https:\/\/evil\.example/);
    expect(() => trustedScriptUrl('//evil.example/x.js')).toThrow(/not https:\/\/evil\.example/);
    allowSameOriginWorkerScripts();
    expect(made.map((policy) => policy.name)).toEqual(['glassbox', 'default']);
    expect(() => made[1].rules.createScriptURL('data:text/javascript,alert(1)')).toThrow(/own origin/);
  });

  it('hands the URL back as it is where the browser has no Trusted Types, or refuses the policy', async () => {
    vi.stubGlobal('location', new URL('https://site.test/'));
    const { trustedScriptUrl } = await import('../../src/trusted-script-url');
    expect(trustedScriptUrl('w.js')).toBe('w.js');
    vi.resetModules();
    vi.stubGlobal('trustedTypes', {
      createPolicy() {
        throw new TypeError('Policy "glassbox" disallowed.');
      },
    });
    const again = await import('../../src/trusted-script-url');
    expect(again.trustedScriptUrl('w.js')).toBe('w.js');
  });
});
