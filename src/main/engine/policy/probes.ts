/**
 * Probe texts of policy format 1 (never change them: exported fingerprints refer to them). A policy
 * records the calibrated probabilities its predictor gave these texts at export; a router recomputes
 * them before routing and refuses the policy if its featuriser / head / calibration code does not
 * reproduce them bit for bit. They also decide whether the fused fast path may serve.
 */
export const probeTexts = [
  '',
  'What is the capital of France?',
  'Write a python function to identify non-prime numbers. def is_prime(n): return n > 1',
  'The trophy does not fit into the brown suitcase because it is too large. Option 1: trophy. Option 2: suitcase.',
  'H2O, CO2 and 3.14159 — 2nd edition, 10x faster, v1.2.3',
  'ÉCOLE école Straße İstanbul ǅungla',
  '日本語のテキストと中文和 한국어',
  '😀 emoji only 🎉🎉',
  'a a a a a a a a a a the the the',
  'word '.repeat(300),
];
