import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { buttonsThatFit } from '../../../src/core/usage/noticeButtons';

describe('buttonsThatFit', () => {
  it('keeps every button when the row holds them', () => {
    const buttons = ['Switch to Backup (demo)', 'Pick…'];
    assert.deepEqual(buttonsThatFit(buttons), buttons);
  });

  it('leaves out the least important switch, keeping the order shown', () => {
    const buttons = ['Switch to Ollama (demo)', 'Switch to Gateway (no price)', 'Pick…'];
    assert.deepEqual(buttonsThatFit(buttons, ['Switch to Ollama (demo)', 'Pick…', 'Switch to Gateway (no price)']), [
      'Switch to Ollama (demo)',
      'Pick…',
    ]);
  });

  it("keeps a budget notice's pause and its best switch, not its less urgent buttons", () => {
    const buttons = ['Pause completion until reset', 'Raise budget…', 'Switch to Ollama (demo)', 'Show Usage'];
    assert.deepEqual(
      buttonsThatFit(buttons, [
        'Switch to Ollama (demo)',
        'Pause completion until reset',
        'Raise budget…',
        'Show Usage',
      ]),
      ['Pause completion until reset', 'Switch to Ollama (demo)'],
    );
  });

  it('always keeps the most important button, however long', () => {
    const long = `Switch to ${'A very long backend name '.repeat(4)}`;
    assert.deepEqual(buttonsThatFit([long, 'Pick…'], [long, 'Pick…']), [long]);
  });
});
