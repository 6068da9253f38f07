import type { Rng } from '../predictor/rng';
import type { DemoTask } from './demo-models';

// Prompt texts for the demo from per-task templates. The task shows in the framing words; the
// latent difficulty shows (noisily) in the vocabulary tier, the hedging clauses and the length,
// so that text features carry real signal about who will answer correctly.

type Tiers = [easy: string[], medium: string[], hard: string[]];

interface TaskTemplate {
  frame: (topic: string, body: string) => string;
  topics: Tiers;
  bodies: Tiers;
  tokensContext: number; // few-shot / passage tokens outside the visible stem
  outputTokens: number; // typical answer length
}

const clauses: Tiers = [
  ['Answer briefly.', 'This is a simple one.', 'Pick the obvious choice.'],
  ['Read every option before answering.', 'Two options look similar.', 'Think about the definition.'],
  ['Note that the premises interact subtly.', 'Beware of the distractor that restates a true but irrelevant fact.', 'Assume the strict technical definition, not the everyday one.', 'Several options are partially correct; choose the most precise.'],
];

const templates: Record<DemoTask, TaskTemplate> = {
  QA: {
    frame: (t, b) => `The following is a multiple choice question about ${t}. ${b} Options: A, B, C, D.`,
    topics: [['elementary mathematics', 'high school geography', 'nutrition', 'marketing'], ['high school physics', 'clinical knowledge', 'computer security', 'econometrics'], ['abstract algebra', 'formal logic', 'professional law', 'quantum mechanics']],
    bodies: [['Which of these is a whole number?', 'What is the capital of France?', 'Which food is rich in vitamin C?'], ['Which statement best explains conservation of momentum?', 'What does a public key certificate bind together?', 'Which estimator is unbiased under heteroskedasticity?'], ['Which subgroup of a non-abelian group of order 21 is necessarily normal?', 'Under which doctrine does adverse possession defeat a recorded title?', 'Which quantifier scope reading makes the sentence valid in every model?']],
    tokensContext: 60,
    outputTokens: 6,
  },
  RC: {
    frame: (t, b) => `Read the passage about ${t} and answer the question. ${b}`,
    topics: [['a family picnic', 'a lost dog', 'a school trip'], ['a job interview', 'a neighbourhood dispute', 'a late train'], ['an ambiguous apology', 'a contract renegotiation', 'a sarcastic farewell letter']],
    bodies: [['Why was the narrator happy?', 'What did they eat?'], ['What is the most likely reason the narrator hesitated?', 'What might have happened before the meeting?'], ['What does the narrator imply but never state about the second speaker\'s motives?', 'Which inference about the writer\'s intent is best supported, given the ironic tone?']],
    tokensContext: 180,
    outputTokens: 8,
  },
  CI: {
    frame: (t, b) => `Complete the scenario about ${t} with the most plausible ending. ${b}`,
    topics: [['washing dishes', 'tying shoelaces', 'making tea'], ['changing a tyre', 'assembling a bookshelf', 'grooming a horse'], ['calibrating a sextant', 'pole vaulting technique', 'a curling delivery']],
    bodies: [['A man picks up a cup. He', 'A girl opens the tap. She'], ['The instructor loosens the bolts, then', 'After aligning the panels, the woman'], ['Having sighted the horizon through the index mirror, the navigator', 'As the stone leaves her hand with an in-turn, the skip']],
    tokensContext: 80,
    outputTokens: 6,
  },
  DRS: {
    frame: (t, b) => `Dialogue about ${t}. ${b} Does the last response contain hallucinated facts? Answer yes or no.`,
    topics: [['favourite films', 'the weather', 'a pizza order'], ['a football season', 'a travel itinerary', 'a novel\'s plot'], ['a director\'s lesser-known filmography', 'regional election results', 'the provenance of a painting']],
    bodies: [['User: I like comedies. Assistant: Then you may enjoy a classic comedy.'], ['User: Who coached the team that year? Assistant: The coach was appointed mid-season after a loss.'], ['User: Which early short did she write but not direct? Assistant: She wrote the 1998 short that premiered at a festival she later chaired.']],
    tokensContext: 150,
    outputTokens: 4,
  },
  DS: {
    frame: (t, b) => `Document: a news report on ${t}. ${b} Is the summary faithful to the document? Answer yes or no.`,
    topics: [['a charity run', 'a new bakery', 'a local festival'], ['a council budget vote', 'a factory closure', 'a transfer deal'], ['a sovereign debt restructuring', 'a pharmaceutical patent ruling', 'a multi-party coalition agreement']],
    bodies: [['Summary: the run raised money.'], ['Summary: the council approved the budget after a second reading.'], ['Summary: creditors accepted the haircut conditional on a revised primary-surplus path and a clawback clause.']],
    tokensContext: 400,
    outputTokens: 4,
  },
};

export function taskOutputTokens(task: DemoTask): number {
  return templates[task].outputTokens;
}

const pick = <T>(xs: readonly T[], rng: Rng): T => xs[rng.int(xs.length)];

/**
 * A prompt for a query of `task` whose difficulty relative to its task is `z` (a standard normal
 * score). The tier is read from a noisy copy of z, so text predicts difficulty well but not exactly.
 */
export function demoPrompt(task: DemoTask, z: number, rng: Rng): { text: string; inputTokens: number } {
  const t = templates[task];
  const noisy = z + 0.6 * rng.normal();
  const tier = noisy < -0.5 ? 0 : noisy < 0.6 ? 1 : 2;
  const extra = Math.max(0, Math.min(3, Math.round(noisy + 1 + 0.5 * rng.normal())));
  const parts = [t.frame(pick(t.topics[tier], rng), pick(t.bodies[tier], rng))];
  for (let c = 0; c < extra; c++) parts.push(pick(clauses[Math.min(2, tier + (c > 1 ? 1 : 0))], rng));
  const text = parts.join(' ');
  const words = text.split(/\s+/).length;
  return { text, inputTokens: Math.round(t.tokensContext * (0.8 + 0.4 * rng.next()) + 1.35 * words) };
}
