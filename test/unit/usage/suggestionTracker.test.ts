import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  KEEP_AFTER_MS,
  stillPresent,
  SuggestionTracker,
  type TrackedEvent,
} from '../../../src/core/usage/suggestionTracker';
import { FakeClock } from '../../harness/fakeClock';

function setup(initial: string) {
  const clock = new FakeClock();
  const events: TrackedEvent[] = [];
  const documents = new Map([['a.ts', initial]]);
  const tracker = new SuggestionTracker({
    clock,
    emit: (event) => events.push(event),
    documentText: (id) => documents.get(id),
  });
  const fallback = { backend: 'qwen', model: 'configured-model' };
  return { clock, events, documents, tracker, fallback };
}

const kinds = (events: TrackedEvent[]) => events.map((event) => `${event.kind}${event.how ? `:${event.how}` : ''}`);

describe('following a suggestion from answer to document', () => {
  it('shows a suggestion once while the user types along it, links it to its request, and records a whole accept', async () => {
    const { clock, events, documents, tracker, fallback } = setup('const total = ');
    tracker.answered({ backend: 'qwen', model: 'qwen3-coder', request: 'w:7' }, 'price * count;\n');
    const token = tracker.offered('a.ts', 14, 'price * count;', fallback);
    // Two keys typed along it: served again by type-ahead, still the same suggestion.
    assert.equal(tracker.offered('a.ts', 16, 'ice * count;', fallback), token);
    tracker.acceptedWhole(token);
    tracker.acceptedWhole(token);
    assert.deepEqual(kinds(events), ['shown', 'accepted:whole']);
    assert.deepEqual(events[1], {
      kind: 'accepted',
      how: 'whole',
      backend: 'qwen',
      model: 'qwen3-coder',
      request: 'w:7',
      chars: 12,
    });
    documents.set('a.ts', 'const total = price * count;');
    await clock.advance(KEEP_AFTER_MS - 1);
    assert.equal(events.length, 2, 'not checked before its time');
    await clock.advance(1);
    assert.deepEqual(kinds(events), ['shown', 'accepted:whole', 'kept']);
  });

  it('in a file with Windows line endings, shows a multi-line suggestion once while the user types along it across Enter', () => {
    const { events, tracker, fallback } = setup('if (ready) {\r\n}\r\n');
    tracker.answered({ backend: 'qwen', model: 'm', request: 'w:2' }, '\n  start();\n  finish();');
    const token = tracker.offered('a.ts', 12, '\n  start();\n  finish();', fallback, true, true);
    // Enter writes \r\n: the cursor moves two characters, the suggestion shortens by its one \n.
    assert.equal(tracker.offered('a.ts', 14, '  start();\n  finish();', fallback, true, true), token);
    assert.equal(tracker.offered('a.ts', 24, '\n  finish();', fallback, true, true), token);
    assert.equal(tracker.offered('a.ts', 26, '  finish();', fallback, true, true), token);
    assert.deepEqual(kinds(events), ['shown']);
  });

  it('records an accepted word, then the rest as the same suggestion, and finds it undone later', async () => {
    const { clock, events, documents, tracker, fallback } = setup('return ');
    tracker.answered({ backend: 'qwen', model: 'm', request: 'w:1' }, 'items.map(render)');
    const token = tracker.offered('a.ts', 7, 'items.map(render)', fallback);
    // Ctrl+Right: the editor inserts the next word of the suggestion in one edit.
    tracker.edited('a.ts', 7, 0, 'items');
    assert.equal(tracker.offered('a.ts', 12, '.map(render)', fallback), token);
    tracker.acceptedWhole(token);
    assert.deepEqual(kinds(events), ['shown', 'accepted:word']);
    documents.set('a.ts', 'return null');
    await clock.advance(KEEP_AFTER_MS);
    assert.deepEqual(kinds(events), ['shown', 'accepted:word', 'removed']);
  });

  it('tells a line accept from a word, and typing or the editor’s own insertions from an accept', () => {
    const { events, tracker, fallback } = setup('');
    tracker.offered('a.ts', 0, 'if (ready) {\n  start();\n}', fallback);
    tracker.edited('a.ts', 0, 0, '()'); // an auto-closed pair
    tracker.edited('a.ts', 0, 0, '\n  '); // Enter with indentation
    tracker.edited('a.ts', 3, 0, 'ready'); // not at the cursor
    tracker.edited('a.ts', 0, 2, 'if'); // a replacement of text before the cursor, nothing added
    tracker.edited('b.ts', 0, 0, 'if (ready) {'); // another document
    assert.deepEqual(kinds(events), ['shown']);
    tracker.edited('a.ts', 0, 0, 'if (ready) {');
    assert.deepEqual(kinds(events), ['shown', 'accepted:line']);
  });

  it('follows keys typed along the suggestion, and an accept written over the word before the cursor', () => {
    const { events, tracker, fallback } = setup('');
    tracker.offered('a.ts', 4, " 'Hello there';", fallback);
    tracker.edited('a.ts', 4, 0, ' '); // a space typed, as the suggestion says
    assert.deepEqual(kinds(events), ['shown']);
    // The editor writes the typed word and the accepted one over the item's range.
    tracker.edited('a.ts', 2, 3, "ab 'Hello");
    assert.deepEqual(kinds(events), ['shown', 'accepted:word']);
    assert.equal(events[1]?.chars, "'Hello".length);
  });

  it('links a suggestion shown from a streamed answer to that answer’s request, once it is recorded', () => {
    const { events, tracker, fallback } = setup('const total = ');
    tracker.answered({ backend: 'qwen', model: 'qwen3-coder', request: 'w:6' }, 'items.length;\n');
    const streaming = tracker.answering({ backend: 'qwen', model: 'configured-model' });
    streaming.text('price * count;\n');
    const token = tracker.offered('a.ts', 14, 'price * count;', fallback);
    tracker.acceptedWhole(token);
    assert.equal(events.length, 0, 'nothing written while the request has no record: it would name none, or w:6');
    streaming.settle({ backend: 'qwen', model: 'qwen3-coder', request: 'w:7' }, 'price * count;\nconst more = 1;\n');
    assert.deepEqual(
      events.map((event) => [event.kind, event.request, event.model]),
      [
        ['shown', 'w:7', 'qwen3-coder'],
        ['accepted', 'w:7', 'qwen3-coder'],
      ],
    );
    tracker.offered('a.ts', 40, 'const more = 1;', fallback);
    assert.equal(events.at(-1)?.request, 'w:7', 'the rest, served later, links to it too');
  });

  it('falls back to the backend’s newest answer, then to the configured model, for the link', () => {
    const { events, tracker, fallback } = setup('');
    tracker.offered('a.ts', 0, 'nothing answered this', fallback);
    tracker.answered({ backend: 'other', model: 'x', request: 'o:1' }, 'nothing answered this');
    tracker.answered({ backend: 'qwen', model: 'served-model', request: 'w:2' }, 'something else');
    tracker.offered('a.ts', 50, 'nothing answered this', fallback);
    assert.deepEqual(
      events.map((event) => [event.backend, event.model, event.request]),
      [
        ['qwen', 'configured-model', undefined],
        ['qwen', 'served-model', 'w:2'],
      ],
    );
  });

  it('counts the same text at the same place once, whichever request brought it', () => {
    const { events, tracker, fallback } = setup('');
    tracker.answered({ backend: 'qwen', model: 'm', request: 'w:1' }, 'return a + b;');
    const first = tracker.offered('a.ts', 4, 'return a + b;', fallback);
    tracker.answered({ backend: 'qwen', model: 'm', request: 'w:2' }, 'return a + b;');
    assert.equal(tracker.offered('a.ts', 4, 'return a + b;', fallback), first);
    tracker.offered('a.ts', 4, 'return a - b;', fallback);
    assert.deepEqual(kinds(events), ['shown', 'shown']);
  });

  it('counts a second candidate as shown only when the user cycles to it and takes it', () => {
    const { events, tracker, fallback } = setup('');
    tracker.offered('a.ts', 0, 'first()', fallback);
    const second = tracker.offered('a.ts', 0, 'second()', fallback, false);
    assert.deepEqual(kinds(events), ['shown']);
    tracker.acceptedWhole(second);
    assert.deepEqual(kinds(events), ['shown', 'shown', 'accepted:whole']);
  });

  it('checks nothing in a closed document and nothing after dispose', async () => {
    const { clock, events, documents, tracker, fallback } = setup('x');
    tracker.acceptedWhole(tracker.offered('a.ts', 1, ' = 1;', fallback));
    documents.delete('a.ts');
    await clock.advance(KEEP_AFTER_MS);
    tracker.acceptedWhole(tracker.offered('a.ts', 9, ' = 2;', fallback));
    tracker.dispose();
    await clock.advance(KEEP_AFTER_MS);
    assert.deepEqual(kinds(events), ['shown', 'accepted:whole', 'shown', 'accepted:whole']);
  });

  it('in a file with Windows line endings, counts an accepted multi-line suggestion as kept', async () => {
    // VS Code writes the suggestion's line breaks as the document's \r\n.
    const { clock, events, documents, tracker, fallback } = setup('function f() {\r\n}\r\n');
    tracker.acceptedWhole(tracker.offered('a.ts', 14, '\n  a();\n  b();', fallback));
    documents.set('a.ts', 'function f() {\r\n  a();\r\n  b();\r\n}\r\n');
    await clock.advance(KEEP_AFTER_MS);
    assert.deepEqual(kinds(events), ['shown', 'accepted:whole', 'kept']);
  });

  it('in a file with Windows line endings, records a line accepted across a line break', async () => {
    const { clock, events, documents, tracker, fallback } = setup('if (ready) {\r\n}\r\n');
    tracker.offered('a.ts', 12, '\n  start();\n  stop();', fallback);
    tracker.edited('a.ts', 12, 0, '\r\n  start();');
    assert.deepEqual(kinds(events), ['shown', 'accepted:line']);
    assert.equal(events[1]?.chars, '\n  start();'.length);
    documents.set('a.ts', 'if (ready) {\r\n  start();\r\n}\r\n');
    await clock.advance(KEEP_AFTER_MS);
    assert.deepEqual(kinds(events), ['shown', 'accepted:line', 'kept']);
  });

  it('finds accepted text near where it went, not anywhere', () => {
    const far = `${'\n'.repeat(5_000)}items.map(render)`;
    assert.equal(stillPresent(`// a comment added above\nreturn items.map(render)`, 7, 'items.map(render)'), true);
    assert.equal(stillPresent(far, 7, 'items.map(render)'), false);
    assert.equal(stillPresent('return', 6, '   '), true, 'whitespace alone is not checked');
  });
});
