import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { redactSecrets, rememberSecret } from '../../../src/core/providers/redact';
import { redactingLog } from '../../../src/core/redactingLog';

/** A stand-in for VS Code's LogOutputChannel: it keeps what it is given. */
class RecordingChannel {
  readonly lines: string[] = [];
  readonly name = 'Switchboard';
  info(message: string, ...args: unknown[]): void {
    this.lines.push([message, ...args.map(String)].join(' '));
  }
  warn(message: string, ...args: unknown[]): void {
    this.lines.push([message, ...args.map(String)].join(' '));
  }
  error(error: string | Error, ...args: unknown[]): void {
    this.lines.push([String(error), ...args.map(String)].join(' '));
  }
  appendLine(value: string): void {
    this.lines.push(value);
  }
}

const SECRETS = {
  openai: 'sk-proj-Ab12Cd34Ef56Gh78Ij90Kl12Mn34',
  codingPlan: 'sk-sp-0123456789abcdef0123456789abcdef',
  anthropic: 'sk-ant-api03-AbCdEfGhIjKlMnOpQrStUvWxYz0123456789',
  gemini: 'AIzaSyA1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q',
  bearer: 'tok.9f8e7d6c5b4a39f8e7d6c5b4a3',
  oauth: 'QwenOAuthAccessTokenZ9y8X7w6V5u4T3s2R1q0',
  jwt: 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV',
};

describe('one redaction choke point for the log', () => {
  it('every line written to the log loses every key shape in use, whatever the call site passed', () => {
    const channel = new RecordingChannel();
    const log = redactingLog(channel);
    log.info(`request to openai with ${SECRETS.openai}`);
    log.warn('coding plan', `key ${SECRETS.codingPlan}`);
    log.error(new Error(`anthropic rejected ${SECRETS.anthropic}`));
    log.appendLine(`GET https://generativelanguage.googleapis.com/v1beta/models?key=${SECRETS.gemini}`);
    log.info(`x-goog-api-key: ${SECRETS.gemini}`);
    log.info(`Authorization: Bearer ${SECRETS.bearer}`);
    log.info(`token refresh answered {"access_token":"${SECRETS.oauth}","refresh_token":"${SECRETS.oauth}"}`);
    log.info(`id token ${SECRETS.jwt}`);
    log.info({ headers: { authorization: `Bearer ${SECRETS.bearer}` } } as unknown as string);
    const written = channel.lines.join('\n');
    for (const [kind, secret] of Object.entries(SECRETS)) {
      assert.ok(!written.includes(secret), `${kind} key leaked into the log:\n${written}`);
      // Not even most of it.
      assert.ok(!written.includes(secret.slice(-12)), `${kind} key tail leaked into the log`);
    }
    assert.match(written, /sk-sp-…\[redacted\]/, 'the key kind stays readable');
    assert.equal(log.name, 'Switchboard', 'the rest of the channel works as before');
  });

  it('a loaded key of no known shape is redacted from every later log line', () => {
    const channel = new RecordingChannel();
    const log = redactingLog(channel);
    const odd = 'moonshot:0f9e8d7c6b5a4f3e2d1c';
    rememberSecret(odd);
    log.info(`the server echoed ${odd} back`);
    assert.ok(!channel.lines.join('\n').includes(odd));
    assert.equal(redactSecrets('plain words stay as they are'), 'plain words stay as they are');
  });
});

describe('redaction leaves ordinary words alone', () => {
  it('error messages in prose keep their words', () => {
    for (const text of [
      'Basic information about the request is missing.',
      'Token limit exceeded: maximum token allowance is 32768.',
      'Range of input length should be [1, 30720].',
    ])
      assert.equal(redactSecrets(text), text);
  });
});
