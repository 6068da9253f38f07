import { readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';

/**
 * BERT WordPiece tokenizer (uncased, as MiniLM): clean text (drop control characters, map
 * whitespace to spaces), space out CJK ideographs, lower-case and strip accents (NFD, drop marks),
 * split on whitespace and around punctuation, then greedy longest-match-first sub-words with the
 * "##" prefix ([UNK] for a word with no match or over 100 characters). Encodes as
 * [CLS] tokens [SEP], truncated to maxLength.
 */
export class WordPieceTokenizer {
  readonly clsId: number;
  readonly sepId: number;
  readonly unkId: number;
  readonly padId: number;

  constructor(
    readonly vocab: Map<string, number>,
    readonly opts: { lowercase: boolean; maxLength: number; prefix: string; maxWordChars: number },
  ) {
    const id = (t: string) => {
      const v = vocab.get(t);
      if (v === undefined) throw new Error(`vocabulary lacks ${t}`);
      return v;
    };
    this.clsId = id('[CLS]');
    this.sepId = id('[SEP]');
    this.unkId = id('[UNK]');
    this.padId = vocab.get('[PAD]') ?? 0;
  }

  /** From a folder with tokenizer.json (preferred) or vocab.txt. */
  static fromFolder(dir: string, maxLength = 128): WordPieceTokenizer {
    const tj = join(dir, 'tokenizer.json');
    if (existsSync(tj)) {
      const t = JSON.parse(readFileSync(tj, 'utf8'));
      if (t?.model?.type !== 'WordPiece') throw new Error(`${tj}: model type ${t?.model?.type} is not WordPiece`);
      const vocab = new Map<string, number>(Object.entries(t.model.vocab as Record<string, number>));
      return new WordPieceTokenizer(vocab, {
        lowercase: t.normalizer?.lowercase ?? true,
        maxLength: Math.min(maxLength, t.truncation?.max_length ?? maxLength),
        prefix: t.model.continuing_subword_prefix ?? '##',
        maxWordChars: t.model.max_input_chars_per_word ?? 100,
      });
    }
    const vt = join(dir, 'vocab.txt');
    if (!existsSync(vt)) throw new Error(`${dir} has neither tokenizer.json nor vocab.txt`);
    const vocab = new Map<string, number>();
    readFileSync(vt, 'utf8')
      .split(/\r?\n/)
      .forEach((line, i) => line && vocab.set(line, i));
    return new WordPieceTokenizer(vocab, { lowercase: true, maxLength, prefix: '##', maxWordChars: 100 });
  }

  /** Basic tokenisation: normalised words and punctuation marks. */
  basicTokens(text: string): string[] {
    let s = '';
    for (const ch of text) {
      const cp = ch.codePointAt(0)!;
      if (cp === 0 || cp === 0xfffd || (/\p{Cc}|\p{Cf}/u.test(ch) && !/\s/.test(ch))) continue;
      if (isCjk(cp)) s += ` ${ch} `;
      else s += /\s/.test(ch) ? ' ' : ch;
    }
    if (this.opts.lowercase) s = s.toLowerCase().normalize('NFD').replace(/\p{Mn}/gu, '');
    const out: string[] = [];
    for (const word of s.split(' ')) {
      if (!word) continue;
      let cur = '';
      for (const ch of word) {
        if (isPunctuation(ch)) {
          if (cur) out.push(cur);
          out.push(ch);
          cur = '';
        } else cur += ch;
      }
      if (cur) out.push(cur);
    }
    return out;
  }

  wordPieces(word: string): number[] {
    const chars = Array.from(word);
    if (chars.length > this.opts.maxWordChars) return [this.unkId];
    const ids: number[] = [];
    let start = 0;
    while (start < chars.length) {
      let end = chars.length;
      let found = -1;
      while (start < end) {
        const piece = (start > 0 ? this.opts.prefix : '') + chars.slice(start, end).join('');
        const id = this.vocab.get(piece);
        if (id !== undefined) {
          found = id;
          break;
        }
        end--;
      }
      if (found < 0) return [this.unkId];
      ids.push(found);
      start = end;
    }
    return ids;
  }

  encode(text: string): number[] {
    const ids = [this.clsId];
    const room = this.opts.maxLength - 1;
    for (const w of this.basicTokens(text)) {
      for (const id of this.wordPieces(w)) {
        if (ids.length >= room) break;
        ids.push(id);
      }
      if (ids.length >= room) break;
    }
    ids.push(this.sepId);
    return ids;
  }
}

function isCjk(cp: number): boolean {
  return (cp >= 0x4e00 && cp <= 0x9fff) || (cp >= 0x3400 && cp <= 0x4dbf) || (cp >= 0x20000 && cp <= 0x2a6df) || (cp >= 0x2a700 && cp <= 0x2ceaf) || (cp >= 0xf900 && cp <= 0xfaff) || (cp >= 0x2f800 && cp <= 0x2fa1f);
}

// BERT treats all ASCII non-alphanumerics as punctuation, plus Unicode P* categories.
function isPunctuation(ch: string): boolean {
  const cp = ch.codePointAt(0)!;
  if ((cp >= 33 && cp <= 47) || (cp >= 58 && cp <= 64) || (cp >= 91 && cp <= 96) || (cp >= 123 && cp <= 126)) return true;
  return /\p{P}/u.test(ch);
}
