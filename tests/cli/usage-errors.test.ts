import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scratchDir } from '../helpers/engine';
import { ensureBuilt, runCli } from '../helpers/cli';
import { trainFiles } from '../helpers/routerbench';
import { usageMessage } from '../../src/main/cli/usage';

// issue 32 item 5: usage errors in the documented failure shape, typos named as typos, and
// failures that say which command resolves them.
const scratch = scratchDir('routeplan-usage-');
const ws = join(scratch.dir, 'w.sqlite');
const routeplan = (...args: string[]) => runCli(args, { env: { ...process.env, ROUTEPLAN_WORKSPACE: '' } });
beforeAll(ensureBuilt);
afterAll(() => scratch.cleanup());

describe('usage errors', () => {
  it('a mistyped option is named as unknown, with the closest known one, even beside a required option', () => {
    const r = routeplan('train', '--datset', '1', '--workspace', ws);
    expect(r.code).toBe(2);
    expect(r.err).toContain('unknown option --datset (did you mean --dataset?)');
    expect(r.err).not.toMatch(/required option/);
  });

  it('under --json, a usage error is {"error": {code, message, details}} on stdout, exit 2', () => {
    for (const args of [['train', '--datset', '1'], ['import', 'x.csv', '--format', 'nope'], ['no-such-command'], ['train']]) {
      const r = routeplan(...args, '--json');
      expect(r.code, args.join(' ')).toBe(2);
      const e = r.json().error;
      expect(e).toMatchObject({ code: 'INVALID_INPUT', details: { usage: true } });
      expect(typeof e.message).toBe('string');
      expect(e.message.length).toBeGreaterThan(5);
    }
  });

  it('without --json, stdout stays empty and stderr points at the command\'s help', () => {
    const r = routeplan('solve-batch', '--inptu', 'x.json');
    expect(r.code).toBe(2);
    expect(r.out).toBe('');
    expect(r.err).toMatch(/unknown option --inptu \(did you mean --input\?\)/);
    expect(r.err).toContain('`routeplan solve-batch --help`');
  });

  it('a number option outside the decimal grammar is a usage error naming the value, never a stack trace', () => {
    const cases = [
      ['allocate', '--traffic', '0x10'],
      ['whatif', '--traffic', '0x10'],
      ['allocate', '--time-limit', '0x10'],
      ['solve-batch', '--input', 'x.json', '--time-limit', '0x10'],
      ['serve-router', '--policy', 'p.json', '--port', '0x10'],
      ['perf', 'estimate', '--model', 'm', '--gpu', 'g', '--gpus', '0x10', '--input-tokens', '1', '--output-tokens', '1'],
      ['perf', 'import', 'x.csv', '--gpus', '0x10'],
    ];
    for (const args of cases) {
      const r = routeplan(...args, '--workspace', ws);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.err, args.join(' ')).toContain('0x10');
      expect(r.err, args.join(' ')).not.toMatch(/\n\s+at /);
    }
  });

  it('rewrites commander\'s wording', () => {
    expect(usageMessage("error: unknown option '--datset'\n(Did you mean --dataset?)")).toBe('unknown option --datset (did you mean --dataset?)');
    expect(usageMessage("error: required option '--policy <file>' not specified")).toBe("required option '--policy <file>' not specified");
  });
});

describe('failures that name their remedy', () => {
  it('CONFLICT on a repeated import says `--if-exists reuse`', () => {
    expect(routeplan('import', trainFiles[0], '--workspace', ws).code).toBe(0);
    const r = routeplan('import', trainFiles[0], '--workspace', ws, '--json');
    expect(r.code).toBe(1);
    expect(r.json().error.code).toBe('CONFLICT');
    expect(r.json().error.message).toContain('--if-exists reuse');
    expect(routeplan('import', trainFiles[0], '--workspace', ws, '--if-exists', 'reuse').code).toBe(0);
  });

  it('NOT_FOUND for a predictor, dataset or policy names the command that lists them', () => {
    expect(routeplan('evaluate', '--workspace', ws, '--predictor', '99', '--test', '1').err).toContain('`routeplan predictors`');
    expect(routeplan('train', '--workspace', ws, '--dataset', 'nope').err).toContain('`routeplan datasets`');
    expect(routeplan('datasets', '--workspace', ws, '--delete', '42').err).toContain('`routeplan datasets`');
  });
});
