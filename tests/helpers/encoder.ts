import { memoisedEncode, type EncodeTexts } from '../../src/main/engine/features/sentence-encoder';

/** The bundled sentence encoder with a per-text memo, so tests that refit across seeds encode once. */
export function memoisedEncoder(): EncodeTexts {
  return memoisedEncode();
}
