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

/** The intervals that overlap [fromS, toS), as JSON arrays. */
export function intervalsJson(iv: DemandIntervals, scale: number, fromS = 0, toS = Infinity): DemandIntervalsJson {
  const k = iv.bucketEdges.input.length * iv.bucketEdges.output.length;
  const lo = Math.max(0, Math.floor(fromS / iv.intervalS));
  const hi = Math.max(lo, Math.min(iv.rate.length, Math.ceil(toS / iv.intervalS)));
  const part = (a: Float64Array) => a.subarray(lo, hi);
  return {
    intervalS: iv.intervalS,
    scale,
    startS: Array.from(part(iv.startS)),
    rate: Array.from(part(iv.rate)),
    meanInput: orNull(part(iv.meanInput)),
    meanOutput: orNull(part(iv.meanOutput)),
    p90Input: orNull(part(iv.p90Input)),
    p90Output: orNull(part(iv.p90Output)),
    bucketEdges: iv.bucketEdges,
    bucketShare: Array.from({ length: hi - lo }, (_, i) => Array.from(iv.bucketShare.subarray((lo + i) * k, (lo + i + 1) * k))),
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
    'demand.show': ({ id, intervalS, scale, fromS, toS }) => {
      const demandId = id ?? latestDemandId(s.db());
      const summary = summaryOf(getDemand(s.db(), demandId));
      return { summary, intervals: intervalsJson(demandIntervals(s.db(), demandId, intervalS, { scale }), scale, fromS, toS) };
    },
    'demand.profile': (input) => createProfile(s.db(), input, s.now()),
    'demand.delete': ({ id }) => {
      if (!deleteDemand(s.db(), id)) throw new EngineError('NOT_FOUND', `no demand with id ${id}`, { id });
      return { deleted: true };
    },
  };
}
