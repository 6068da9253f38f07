// Stores the measurements of one or more files in ONE transaction: a refused file, a file imported
// before, or a bad figure anywhere leaves the workspace exactly as it was.
import type { DeploymentMeasurementsView, MeasurementImportResult } from '../../../../shared/contract/performance-measurements';
import { EngineError } from '../../../../shared/errors';
import type { Db } from '../../store/database';
import { findMeasurementFile, insertMeasurementFile, listMeasurements, setMeasurementFlags } from '../../store/perf-measurements';
import { contradictionFlags } from './contradictions';
import { deploymentKey } from './names';
import type { ReadMeasurements } from './read-file';

export function importMeasurements(db: Db, reads: ReadMeasurements[], now: Date): MeasurementImportResult[] {
  const seen = new Map<string, string>();
  for (const r of reads) {
    const twice = seen.get(r.sha256);
    if (twice) throw new EngineError('CONFLICT', `${r.file} has the same content as ${twice}: give each file once`, { file: r.file, sha256: r.sha256 });
    seen.set(r.sha256, r.file);
  }
  return db
    .transaction(() => {
      const newIds = new Set<number>();
      const byFile = reads.map((r) => {
        const before = findMeasurementFile(db, r.sha256);
        if (before) throw new EngineError('CONFLICT', `${r.file} was imported before (as ${before.fileName} at ${before.importedAt}); nothing was written`, { file: r.file, sha256: r.sha256, fileId: before.id });
        const { ids } = insertMeasurementFile(db, { fileName: r.fileName, sha256: r.sha256, layout: r.layout, importedAt: now.toISOString() }, r.points);
        ids.forEach((id) => newIds.add(id));
        return ids;
      });
      const all = listMeasurements(db);
      const flags = contradictionFlags(all, (p) => newIds.has(p.id));
      for (const p of all) {
        const extra = flags.get(p.id);
        if (extra) setMeasurementFlags(db, p.id, [...p.flags, ...extra]);
      }
      return reads.map((r, i) => ({
        file: r.file,
        fileName: r.fileName,
        sha256: r.sha256,
        layout: r.layout,
        records: r.points.length,
        deployments: [...new Set(r.points.map((p) => `${p.model} ${p.gpus}x${p.gpu} ${p.precision} ${p.engine}`))],
        flagged: byFile[i].filter((id) => flags.has(id)),
      }));
    })
    .immediate();
}

const range = (xs: number[]) => (xs.length ? { min: Math.min(...xs), max: Math.max(...xs) } : null);
const round = (x: number) => Math.round(x * 10) / 10;

/** What is stored, per deployment: coverage, provenance and flags. */
export function measurementsByDeployment(db: Db): DeploymentMeasurementsView[] {
  const groups = new Map<string, ReturnType<typeof listMeasurements>>();
  for (const m of listMeasurements(db)) {
    const k = deploymentKey(m);
    groups.set(k, [...(groups.get(k) ?? []), m]);
  }
  return [...groups.values()].map((ms) => {
    const first = ms[0];
    const shapes = new Map<string, { inputTokens: number; outputTokens: number }>();
    for (const m of ms) shapes.set(`${round(m.inputTokens)}/${round(m.outputTokens)}`, { inputTokens: round(m.inputTokens), outputTokens: round(m.outputTokens) });
    const files = new Map(ms.map((m) => [m.provenance.sha256, { fileName: m.provenance.fileName, sha256: m.provenance.sha256, layout: m.provenance.layout, importedAt: m.provenance.importedAt }]));
    return {
      model: first.model,
      gpu: first.gpu,
      gpus: first.gpus,
      tp: first.tp,
      precision: first.precision,
      engine: first.engine,
      points: ms.length,
      shapes: [...shapes.values()],
      concurrency: range(ms.flatMap((m) => (m.concurrency !== undefined ? [m.concurrency] : []))),
      rate: range(ms.flatMap((m) => (m.rate !== undefined ? [m.rate] : []))),
      maxThroughputPoints: ms.filter((m) => m.maxThroughput).length,
      files: [...files.values()],
      flags: ms.filter((m) => m.flags.length).map((m) => ({ id: m.id, source: m.source, flags: m.flags })),
      measurements: ms,
    };
  });
}
