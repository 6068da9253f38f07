// What other domains (allocation over time, the replay) use of demand: the shapes, per-interval
// demand and the time-ordered request stream.
export * from './types';
export { demandIntervals } from './intervals';
export { requestBatches, requestStream } from './stream';
export { getDemand, latestDemandId } from '../store/demand';
