import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { buildSync } from 'esbuild';
import type * as ProviderErrorModule from '../../../src/core/providers/providerError';

/** A separately bundled copy of providerError.ts, as dist/extension.js and dist/providerRuntime.js each carry one. */
function bundledCopy(): typeof ProviderErrorModule {
  const [output] = buildSync({
    entryPoints: [join(__dirname, '../../../src/core/providers/providerError.ts')],
    bundle: true,
    format: 'cjs',
    platform: 'node',
    write: false,
  }).outputFiles;
  const module = { exports: {} as Record<string, unknown> };
  new Function('module', 'exports', 'require', output?.text ?? '')(module, module.exports, require);
  return module.exports as unknown as typeof ProviderErrorModule;
}

describe('ProviderError across bundles', () => {
  it('is recognised, kind and all, when another bundle’s copy of the class made it', () => {
    const runtimeCopy = bundledCopy();
    const extensionCopy = bundledCopy();
    assert.notEqual(
      runtimeCopy.ProviderError,
      extensionCopy.ProviderError,
      'two distinct classes, as in the two bundles',
    );
    const error = new runtimeCopy.ProviderError({ kind: 'cancelled', providerId: 'p', message: 'stopped' });
    assert.ok(error instanceof extensionCopy.ProviderError);
    assert.ok(extensionCopy.ProviderError.is(error, 'cancelled'));
    assert.equal(extensionCopy.ProviderError.is(error, 'network'), false);
  });

  it('is not fooled by an ordinary error or a look-alike object', () => {
    const { ProviderError } = bundledCopy();
    assert.equal(ProviderError.is(new Error('plain')), false);
    assert.equal(ProviderError.is({ name: 'ProviderError', kind: 'cancelled' }), false);
    assert.equal(ProviderError.is(null), false);
  });
});
