import { EngineError } from '../../../shared/errors';
import type { DemandIntervalsJson } from '../../../shared/contract';
import type { EngineServices } from '../services';
import type { HandlerGroup } from '../engine';
import { deleteDemand, getDemand, latestDemandId, listDemands } from '../store/demand';
import { importDemand } from '../demand/import';
import { demandIntervals } from '../demand/intervals';
import { createProfile } from '../demand/profile';
import { summaryOf } from '../demand/summary';
import type { DemandIntervals } from '../demand/types';
import { workerParquetDecoder } from './parquet-decoder';

type DemandMethod = 'demand.import' | 'demand.list' | 'demand.show' | 'demand.profile' | 'demand.delete';

const orNull = (a: Float64Array) => Array.from(a, (x) => (Number.isFinite(x) ? x : null));

export function intervalsJson(iv: DemandIntervals, scale: number): DemandIntervalsJson {
  const k = iv.bucketEdges.input.length * iv.bucketEdges.output.length;
  return {
    intervalS: iv.intervalS,
    scale,
    startS: Array.from(iv.startS),
    rate: Array.from(iv.rate),
    meanInput: orNull(iv.meanInput),
    meanOutput: orNull(iv.meanOutput),
    p90Input: orNull(iv.p90Input),
    p90Output: orNull(iv.p90Output),
    bucketEdges: iv.bucketEdges,
    bucketShare: Array.from({ length: iv.rate.length }, (_, i) => Array.from(iv.bucketShare.subarray(i * k, (i + 1) * k))),
  };
}

export function demandHandlers(s: EngineServices): HandlerGroup<DemandMethod> {
  return {
    'demand.import': async (input, ctx) => {
      const decoder = workerParquetDecoder(s, ctx);
      try {
        return await importDemand(s.db(), input.files, { format: input.format, name: input.name, map: input.map, timeUnit: input.timeUnit, parquetDecoder: decoder.decode, now: s.now() }, ctx);
      } finally {
        decoder.close();
      }
    },
    'demand.list': () => listDemands(s.db()).map(summaryOf),
    'demand.show': ({ id, intervalS, scale }) => {
      const demandId = id ?? latestDemandId(s.db());
      const summary = summaryOf(getDemand(s.db(), demandId));
      return { summary, intervals: intervalsJson(demandIntervals(s.db(), demandId, intervalS, { scale }), scale) };
    },
    'demand.profile': (input) => createProfile(s.db(), input, s.now()),
    'demand.delete': ({ id }) => {
      if (!deleteDemand(s.db(), id)) throw new EngineError('NOT_FOUND', `no demand with id ${id}`, { id });
      return { deleted: true };
    },
  };
}
