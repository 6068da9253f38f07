import type { Policy } from '../format';
import { DEFAULT_EMBEDDING_THRESHOLD, sharesAtCommonThreshold, type SignalShares } from '../signal-thresholds';
import type { ResolvedDeployment } from './deployment';

const pct = (x: number) => `${(100 * x).toFixed(1)}%`;
const figures = (s: SignalShares) => `${s.heldOut} held-out: own only ${pct(s.ownOnly)}, own wins ${pct(s.ownWins)}, none ${pct(s.none)}`;

/**
 * Each task signal's threshold and the header lines that say where it comes from: the mapping's
 * signals.embeddingThreshold for every task when set (the shares recomputed at it), else the
 * thresholds the policy chose on held-out training prompts (policy/signal-thresholds.ts), else
 * the default. The shares are the encoder's that measured them, never the router's model's: the
 * header says so, since the router's own embedding model puts similarities on another scale.
 */
export function taskSignalThresholds(p: Policy, d: ResolvedDeployment, tasks: string[]): { byTask: Record<string, number>; header: string } {
  const measured = p.provenance.taskSignals;
  const override = d.embeddingThreshold;
  const byTask = Object.fromEntries(tasks.map((t) => [t, override ?? measured?.tasks[t]?.threshold ?? DEFAULT_EMBEDDING_THRESHOLD]));
  if (!tasks.length) return { byTask, header: '' };
  if (!measured) {
    const t = override ?? DEFAULT_EMBEDDING_THRESHOLD;
    const source = override != null ? 'signals.embeddingThreshold of the deployment mapping' : 'the default';
    return { byTask, header: `# Task signal thresholds: ${t} for every task (${source}); no held-out shares: the policy carries no measurement (exported before it recorded one): tune signals.embeddingThreshold with the router's own embedding model, or export the policy again.\n` };
  }
  const legend = `own only = only the task's own signal fires; own wins = its own signal fires and is the most similar of those that fire (the router takes the task's decision); none = no signal fires (the default decision)`;
  const caveat = `Similarities measured with ${measured.encoder}, not the router's embedding model: the router's own model (e.g. Qwen3-Embedding) puts similarities on another scale and may need other thresholds (signals.embeddingThreshold in the deployment mapping sets one for every task).`;
  const lines = tasks.map((t) => {
    const m = measured.tasks[t];
    if (!m) return `#   ${t}: threshold ${byTask[t]}; not measured (no held-out prompts)`;
    if (override != null) return `#   ${t}: threshold ${override} (policy's choice ${m.threshold}), ${figures(sharesAtCommonThreshold(m, override))}`;
    return `#   ${t}: threshold ${m.threshold} (chosen on ${m.tuning}), ${figures(m)}`;
  });
  const how =
    override != null
      ? `# Task signal thresholds: ${override} for every task (signals.embeddingThreshold of the deployment mapping, overriding the policy's per-task choice); shares at it on held-out training prompts (never candidates, seed ${measured.seed}). ${caveat}\n`
      : `# Task signal thresholds: per task, chosen on held-out training prompts (never candidates, seed ${measured.seed}): the lowest at which the signal fires on at most ${pct(measured.falseFireCap)} of the other tasks' held-out prompts, not below the lower of the default (${DEFAULT_EMBEDDING_THRESHOLD}) and what fires on all its own; shares measured on further held-out prompts. ${caveat}\n`;
  return { byTask, header: `${how}# Held-out shares (${legend}):\n${lines.join('\n')}\n` };
}
