// Stores the measurements of one or more files in ONE transaction: a refused file, a file imported
// before, or a bad figure anywhere leaves the workspace exactly as it was.
import type { DeploymentMeasurementsView, MeasurementImportResult } from '../../../../shared/contract/performance-measurements';
import { EngineError } from '../../../../shared/errors';
import type { Db } from '../../store/database';
import { findMeasurementFile, insertMeasurementFile, listMeasurements, setMeasurementFlags } from '../../store/perf-measurements';
import { gpuCatalogWith, gpuSpec, modelArch } from '../catalog/lookup';
import { workspaceGpuSpecs } from '../workspace-gpus';
import { contradictionFlags, near, SHAPE_TOLERANCE } from './contradictions';
import { catalogName, deploymentKey } from './names';
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
  // A GPU the workspace's own specs add (routeplan gpus import) is in the catalogs too.
  const gpus = gpuCatalogWith(workspaceGpuSpecs(db));
  return [...groups.values()].map((ms) => {
    const first = ms[0];
    // Shapes within the contradiction check's tolerance are one shape (realised lengths vary by run).
    const shapes: { inputTokens: number; outputTokens: number; n: number }[] = [];
    for (const m of ms) {
      const s = shapes.find((x) => near(x.inputTokens, m.inputTokens, SHAPE_TOLERANCE) && near(x.outputTokens, m.outputTokens, SHAPE_TOLERANCE));
      if (s) {
        s.inputTokens = (s.inputTokens * s.n + m.inputTokens) / (s.n + 1);
        s.outputTokens = (s.outputTokens * s.n + m.outputTokens) / (s.n + 1);
        s.n++;
      } else shapes.push({ inputTokens: m.inputTokens, outputTokens: m.outputTokens, n: 1 });
    }
    const files = new Map(ms.map((m) => [m.provenance.sha256, { fileName: m.provenance.fileName, sha256: m.provenance.sha256, layout: m.provenance.layout, importedAt: m.provenance.importedAt }]));
    return {
      model: first.model,
      gpu: first.gpu,
      gpus: first.gpus,
      tp: first.tp,
      precision: first.precision,
      engine: first.engine,
      catalog: { model: catalogName(first.model, modelArch), gpu: catalogName(first.gpu, (n) => gpuSpec(n, gpus)) },
      points: ms.length,
      shapes: shapes.map((x) => ({ inputTokens: round(x.inputTokens), outputTokens: round(x.outputTokens) })),
      concurrency: range(ms.flatMap((m) => (m.concurrency !== undefined ? [m.concurrency] : []))),
      rate: range(ms.flatMap((m) => (m.rate !== undefined ? [m.rate] : []))),
      maxThroughputPoints: ms.filter((m) => m.maxThroughput).length,
      files: [...files.values()],
      flags: ms.filter((m) => m.flags.length).map((m) => ({ id: m.id, source: m.source, flags: m.flags })),
      measurements: ms,
    };
  });
}
