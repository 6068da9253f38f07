import type { ProfileInput } from '../demand/profile';

// The demo's week of demand: a typed profile of conversation-length requests at a mean rate the
// demo's inventory can carry at its busiest hours under the default SLO (p90 TTFT 2 s, TPOT
// 100 ms): a 1,155-token prompt costs the 34B-70B models ~5x the demo dataset's own ~220-token
// questions, so the week runs at 20 req/s where `allocate --traffic 200` plans the short
// questions. `routeplan plan --workspace demo.sqlite` sizes it; --scale tries growth. Its daily/weekly
// curve is the 'diurnal' preset, a TYPICAL shape (see demand/shapes.ts: not fitted to data).
// Its within-hour burstiness and token lengths are measured on the Azure conversation trace with
//   routeplan demand import ../shared/data/traces/azure2023_AzureLLMInferenceTrace_conv.csv
//   routeplan demand show
// which prints: input mean 1,155 / p90 2,794 tokens, output mean 211 / p90 423 (p90 read off
// quarter-octave histograms, within 9%), within-minute CV 1.03, minute-rate CV 0.278 with a
// lag-1 autocorrelation of 0.693 (bursts last minutes, not one).
export const DEMO_MEAN_RATE = 20; // req/s over the week
export const demoDemand: ProfileInput = {
  name: 'demo-week',
  dailyRequests: DEMO_MEAN_RATE * 86400,
  shapePreset: 'diurnal',
  days: 7,
  lengths: { input: { mean: 1155, p90: 2794 }, output: { mean: 211, p90: 423 } },
  burstiness: { minuteRateCv: 0.278, minuteRateAutocorr: 0.693, arrivalCv: 1.03 },
  seed: 7,
};
