import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isLoopbackUrl } from '../../../src/core/net/loopback';
import { nameWithHost } from '../../../src/core/net/serverLabel';

describe('isLoopbackUrl', () => {
  it('is true only for a loopback host after URL parsing', () => {
    for (const url of [
      'http://127.0.0.1:11434',
      'http://localhost:1234/v1',
      'http://[::1]:8080/v1',
      'http://127.8.9.10/',
      'http://2130706433/', // 127.0.0.1 as one number
      'http://0x7f.1:11434/',
    ])
      assert.equal(isLoopbackUrl(url), true, url);
    for (const url of [
      'http://127.0.0.1.attacker.example',
      'http://127.0.0.1.attacker.example:11434/v1',
      'http://localhost.attacker.example/',
      'http://attacker.example/127.0.0.1',
      'http://127.0.0.1@attacker.example/',
      'http://10.0.0.7:8000/v1',
      'http://[::2]/',
      'file:///127.0.0.1',
      'not a url',
      undefined,
    ])
      assert.equal(isLoopbackUrl(url), false, String(url));
  });
});

describe('nameWithHost', () => {
  it('shows the host of a server that is not the preset’s own', () => {
    assert.equal(
      nameWithHost('OpenAI-compatible server', 'custom', 'http://127.0.0.1.attacker.example:8000/v1'),
      'OpenAI-compatible server · 127.0.0.1.attacker.example:8000',
    );
    assert.equal(nameWithHost('DeepSeek', 'deepseek', 'https://api.deepseek.com/v1'), 'DeepSeek');
    assert.equal(nameWithHost('Ollama (local)', 'ollama', undefined), 'Ollama (local)');
  });
});
