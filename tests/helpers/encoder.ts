import { encodeInThisThread, type EncodeTexts } from '../../src/main/engine/features/sentence-encoder';

/** The bundled sentence encoder with a per-text memo, so tests that refit across seeds encode once. */
export function memoisedEncoder(): EncodeTexts {
  const memo = new Map<string, Float32Array>();
  return async (texts, settings) => {
    const missing = [...new Set(texts.filter((t) => !memo.has(`${settings.tailChars}\u0000${t}`)))];
    if (missing.length) {
      const out = await encodeInThisThread(missing, settings);
      missing.forEach((t, i) => memo.set(`${settings.tailChars}\u0000${t}`, out.subarray(i * 512, (i + 1) * 512)));
    }
    const data = new Float32Array(texts.length * 512);
    texts.forEach((t, i) => data.set(memo.get(`${settings.tailChars}\u0000${t}`)!, i * 512));
    return data;
  };
}
