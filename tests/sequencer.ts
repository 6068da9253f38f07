import { BaseSequencer, type TestSpecification } from 'vitest/node';

// Two lanes (maxWorkers 2) finish together only if the longest files start first. A fresh clone
// has no timing cache, so vitest would order by file size and start the small-but-slow acceptance
// files last, leaving one lane idle for minutes at the end. These start first, in this order:
// the hybrid acceptance check encodes RouterBench's texts into ROUTEPLAN_ENCODER_CACHE while the
// other lane runs files that never encode, so the later encoder users (the CLI routing test, the
// doc test, the e2e journeys) find every text encoded instead of encoding it twice at once.
export const FIRST = [
  'tests/main/engine/evaluation/hybrid-acceptance.test.ts',
  'tests/main/engine/evaluation/builtin-ensemble-acceptance.test.ts',
  'tests/cli/faults.test.ts',
  'tests/main/engine/data/fuzz-held-out.test.ts',
  'tests/cli/policy.test.ts',
  'tests/cli/routing.test.ts',
  'tests/docs/command-blocks.test.ts',
  'tests/e2e/journey.test.ts',
  'tests/e2e/journey-demo.test.ts',
  'tests/main/engine/policy/onnx-scorer.test.ts',
];

export default class SlowFirstSequencer extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const sorted = await super.sort(files);
    const rank = (f: TestSpecification) => {
      const i = FIRST.findIndex((p) => f.moduleId.endsWith(p));
      return i < 0 ? FIRST.length : i;
    };
    // Array.prototype.sort is stable: everything else keeps vitest's own order.
    return sorted.sort((a, b) => rank(a) - rank(b));
  }
}
