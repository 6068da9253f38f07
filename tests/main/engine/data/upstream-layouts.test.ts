import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../../../src/main/engine/store/database';
import { importFile } from '../../../../src/main/engine/data/import';
import { quietContext } from '../../../../src/main/engine/jobs/context';
import { loadLabelMatrix } from '../../../../src/main/engine/store/datasets';
import { repoRoot } from '../../../helpers/engine';

// Long layouts of public routing tools, with their own column names, detected without --format:
// - NVIDIA's model-router toolkit (NVIDIA-AI-Blueprints/llm-router, v3 branch, "Training Data
//   Format": question,model,isCorrect,output_tokens; extra columns such as embedding_id ignored)
// - IRT-Router (train_mirt.py reads data/train.csv's "question", "llm" and "performance", a
//   score in [0, 1]; Ahasannn/IRT-Router at 6c078021f8f020d1f2ad2b7afaec99b5c64d6678)
const at = (f: string) => join(repoRoot, 'tests/fixtures/data', f);

async function imported(file: string) {
  const db = openDatabase(':memory:');
  const r = await importFile(db, at(file), {}, quietContext());
  return { r, m: loadLabelMatrix(db, r.datasetId!) };
}

describe('upstream long layouts', () => {
  it("NVIDIA router toolkit's CSV: isCorrect labels and output tokens per model", async () => {
    const { r, m } = await imported('nvidia-router-toolkit.csv');
    expect(r).toMatchObject({ format: 'long-csv', queries: 3, models: 2, labels: 6, missingLabels: 0 });
    expect(m.models).toEqual(['nem-think', 'nem-nothink']);
    expect(Array.from(m.scores)).toEqual([1, 1, 1, 0, 0, 1]);
    expect(Array.from(m.outputTokens)).toEqual([45, 12, 380, 95, 210, 64]);
    expect(m.texts[2]).toBe('Write a haiku about "routing", then count its syllables');
  });

  it("IRT-Router's long CSV: llm and a graded performance score", async () => {
    const { r, m } = await imported('irt-router-long.csv');
    expect(r).toMatchObject({ format: 'long-csv', queries: 3, models: 2, labels: 6 });
    expect(m.models).toEqual(['gpt-4o-mini', 'llama-3.1-8b-instruct']);
    expect(Array.from(m.scores).map((x) => Number(x.toFixed(4)))).toEqual([1, 1, 1, 0, 0.8, 0.45]);
  });
});
