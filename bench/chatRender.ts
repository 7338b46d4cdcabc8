/**
 * chat.render_scaling_50k_vs_5k: total time to stream a 50 KB answer into the chat's markdown
 * renderer over the time for a 5 KB one (linear: ~10; re-rendering everything per chunk: ~100).
 * Measured in headless Chromium (the webview's engine) on the real DOM: the renderer is bundled
 * by esbuild into a page, the answer is appended in 4-character chunks (about a token), and the
 * time covers every `append` and the `finish`. Baseline: the naive renderer (whole text through
 * renderMarkdown into innerHTML on every chunk), scaled 0.5 KB → 5 KB, the same 10× step.
 */
import { build } from 'esbuild';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { launchChromium } from '../test/harness/browser';
import { REPO_ROOT } from '../test/harness/workbench';
import type { ChatRenderRun } from './chatRenderPage';
import { median, round, type Metrics } from './metrics';

const CHUNK = 4;
const RUNS = 7;
const WARMUP = 3;
const NAIVE_RUNS = 3;

const LANGUAGES = ['ts', 'python', 'bash', 'json', 'go', 'rust', 'css', 'sql'] as const;

function codeSample(language: (typeof LANGUAGES)[number], i: number): string {
  switch (language) {
    case 'ts':
      return `export async function load${i}(path: string): Promise<Config> {\n  const text = await readFile(path, 'utf8');\n  const parsed = JSON.parse(text) as Partial<Config>;\n  return { ...DEFAULTS, ...parsed, loadedAt: Date.now() };\n}`;
    case 'python':
      return `def summarize_${i}(rows: list[dict]) -> dict:\n    totals = {}\n    for row in rows:\n        totals[row["model"]] = totals.get(row["model"], 0) + row["tokens"]\n    return dict(sorted(totals.items(), key=lambda kv: -kv[1]))`;
    case 'bash':
      return `npm install --save-dev esbuild@latest\nnpx esbuild src/index.ts --bundle --outfile=dist/out${i}.js --platform=node\nls -la dist/ | grep out${i}`;
    case 'json':
      return `{\n  "name": "example-${i}",\n  "version": "1.${i}.0",\n  "scripts": { "build": "node esbuild.mjs", "test": "node --test" },\n  "engines": { "node": ">=20" }\n}`;
    case 'go':
      return `func Handle${i}(w http.ResponseWriter, r *http.Request) {\n\tctx, cancel := context.WithTimeout(r.Context(), 5*time.Second)\n\tdefer cancel()\n\tif err := serve(ctx, w); err != nil {\n\t\thttp.Error(w, err.Error(), http.StatusBadGateway)\n\t}\n}`;
    case 'rust':
      return `fn parse_${i}(input: &str) -> Result<Vec<u32>, ParseIntError> {\n    input\n        .split(',')\n        .map(|part| part.trim().parse::<u32>())\n        .collect()\n}`;
    case 'css':
      return `.panel-${i} {\n  display: grid;\n  grid-template-columns: 1fr auto;\n  color: var(--vscode-foreground);\n  border-bottom: 1px solid var(--vscode-panel-border);\n}`;
    case 'sql':
      return `SELECT model, COUNT(*) AS requests, SUM(output_tokens) AS tokens\nFROM usage_${i}\nWHERE day >= DATE('now', '-7 days')\nGROUP BY model\nORDER BY tokens DESC;`;
  }
}

/** One stretch of a typical answer: prose, a list, a code block, sometimes a table or a numbered list with code inside. */
function section(i: number): string {
  const language = LANGUAGES[i % LANGUAGES.length] ?? 'ts';
  const parts = [
    `### Part ${i + 1}\n`,
    `The \`load${i}\` function reads the **configuration** once and caches it, so later calls are cheap; see [the guide](https://example.com/guide/${i}) for why the cache is keyed by path rather than by content. If the file changes, the watcher clears the entry and the next call reads it again.\n`,
    `- Keep the cache small: one entry per workspace folder.\n- Invalidate on \`onDidChange\`, not on a timer.\n- Log misses at *debug* level only.\n- Return a copy, so callers cannot mutate the shared object.\n`,
    `\`\`\`${language}\n${codeSample(language, i)}\n\`\`\`\n`,
  ];
  if (i % 3 === 1) {
    parts.push(
      `| Setting | Default | Effect |\n|:--|:-:|--:|\n| \`cache.size\` | 16 | entries kept |\n| \`cache.ttl\` | 0 | seconds, 0 = forever |\n`,
    );
  }
  if (i % 3 === 2) {
    parts.push(
      `1. Install the dependencies:\n\n   \`\`\`bash\n   npm ci\n   \`\`\`\n\n2. Run the tests with \`npm test\`.\n3. Check the output in the **Problems** view.\n`,
    );
  }
  return parts.join('\n');
}

/** A long code block: the kind of file an answer rewrites whole. */
function longCode(chars: number): string {
  const lines: string[] = [];
  let length = 0;
  for (let i = 0; length < chars; i++) {
    const line = `  const entry${i} = await store.get(keys[${i}]) ?? fallback(${i}); // ${i % 7 ? 'cached' : 'miss'}`;
    lines.push(line);
    length += line.length + 1;
  }
  return `\`\`\`typescript\nexport async function warm(store: Store, keys: string[]): Promise<void> {\n${lines.join('\n')}\n}\n\`\`\`\n`;
}

/** A realistic answer of exactly `size` characters (cut like a stopped answer); a fifth is one long code block. */
export function answerOf(size: number): string {
  const sections: string[] = ['Here is how the loader works and how to change it safely.\n'];
  let length = sections[0]?.length ?? 0;
  let inserted = false;
  for (let i = 0; length < size; i++) {
    if (!inserted && length >= size * 0.4) {
      const code = longCode(size * 0.2);
      sections.push(`The whole warm-up, rewritten:\n\n${code}`);
      length += code.length;
      inserted = true;
      continue;
    }
    const next = section(i);
    sections.push(next);
    length += next.length;
  }
  return sections.join('\n').slice(0, size);
}

async function pageScript(): Promise<string> {
  const result = await build({
    entryPoints: [join(REPO_ROOT, 'bench', 'chatRenderPage.ts')],
    bundle: true,
    write: false,
    format: 'iife',
    platform: 'browser',
    target: 'es2022',
    minify: true,
    logLevel: 'warning',
  });
  const file = result.outputFiles[0];
  if (!file) throw new Error('esbuild produced no page script');
  return file.text;
}

function run(page: Page, kind: 'ours' | 'naive', text: string): Promise<ChatRenderRun> {
  return page.evaluate(
    ([which, body, chunk]) => {
      const api = (globalThis as unknown as Record<string, Record<string, (t: string, c: number) => ChatRenderRun>>)
        .chatRenderBench;
      const measure = api?.[which];
      if (!measure) throw new Error('the bench page script is missing');
      return measure(body, chunk);
    },
    [kind, text, CHUNK] as const,
  );
}

/** Median times over `runs`, the sizes interleaved so all see the same machine state. */
async function medians(page: Page, kind: 'ours' | 'naive', texts: readonly string[], runs: number, warmup: number) {
  const times = texts.map(() => [] as number[]);
  const parsed = texts.map(() => 0);
  for (let r = 0; r < warmup + runs; r++) {
    for (const [i, text] of texts.entries()) {
      const result = await run(page, kind, text);
      if (!result.matches) throw new Error(`the streamed DOM differs from renderMarkdown's for ${text.length} chars`);
      if (r >= warmup) times[i]?.push(result.ms);
      parsed[i] = result.parsedChars;
    }
  }
  return texts.map((text, i) => ({ ms: median(times[i] ?? []), parsedPerChar: (parsed[i] ?? 0) / text.length }));
}

export async function benchChatRender(): Promise<Metrics> {
  const small = answerOf(5_000);
  const large = answerOf(50_000);
  const tiny = answerOf(500);
  const browser = await launchChromium();
  try {
    const page = await browser.newPage();
    await page.setContent('<!DOCTYPE html><html><body></body></html>');
    await page.addScriptTag({ content: await pageScript() });
    const [oursTiny, oursSmall, oursLarge] = await medians(page, 'ours', [tiny, small, large], RUNS, WARMUP);
    // The naive renderer takes seconds at 5 KB: fewer runs.
    const [naiveTiny, naiveSmall] = await medians(page, 'naive', [tiny, small], NAIVE_RUNS, 1);
    if (!oursTiny || !oursSmall || !oursLarge || !naiveTiny || !naiveSmall) throw new Error('a measurement is missing');
    const ratio = oursLarge.ms / oursSmall.ms;
    const naiveRatio = naiveSmall.ms / naiveTiny.ms;
    console.log(
      `  ours: ${tiny.length} chars ${round(oursTiny.ms)} ms, ${small.length} chars ${round(oursSmall.ms)} ms, ${large.length} chars ${round(oursLarge.ms)} ms`,
    );
    console.log(
      `  naive: ${tiny.length} chars ${round(naiveTiny.ms)} ms, ${small.length} chars ${round(naiveSmall.ms)} ms`,
    );
    return {
      'chat.render_scaling_50k_vs_5k': {
        value: round(ratio),
        unit: 'ratio',
        better: 'lower',
        baseline: round(naiveRatio),
        note:
          `StreamingMarkdown in headless Chromium ${browser.version()} (real DOM), answers of prose, lists, tables and ` +
          `${LANGUAGES.length} code languages with one long code block (a fifth of the text), appended in ${CHUNK}-char chunks; ` +
          `all appends + finish, median of ${RUNS} after ${WARMUP} warm-ups: ${large.length} chars ${round(oursLarge.ms)} ms vs ` +
          `${small.length} chars ${round(oursSmall.ms)} ms (linear = 10); chars parsed per answer char ${round(oursLarge.parsedPerChar)} ` +
          `and ${round(oursSmall.parsedPerChar)}. Baseline = the naive renderer (whole text through renderMarkdown into innerHTML ` +
          `per chunk, median of ${NAIVE_RUNS}), same 10× step one size down: ${small.length} chars ${round(naiveSmall.ms)} ms vs ${tiny.length} chars ` +
          `${round(naiveTiny.ms)} ms; ours over the same step: ${round(oursSmall.ms / oursTiny.ms)}, and ours is ` +
          `${round(naiveSmall.ms / oursSmall.ms, 1)}× faster than naive at ${small.length} chars`,
      },
    };
  } finally {
    await browser.close();
  }
}
