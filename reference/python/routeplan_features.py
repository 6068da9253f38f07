#!/usr/bin/env python3
"""Reference implementation of routeplan's built-in featuriser (builtin-hash-tfidf, version 1), in
Python with the standard library only: the input half of the ONNX scorer's contract.

    features = the featuriser of policy.json applied to the query text
    task_index = position of the query's task in the scorer's routeplan.tasks (its length if unknown)
    scorer.onnx(features, task_index) -> routeplan route's decision probabilities

The rules are those of src/main/engine/features/builtin-spec.ts; the test suite runs this file on
RouterBench's test prompts and requires the same features as the TypeScript featuriser, and the
scorer's output on them to equal `routeplan route` within 1e-5.

Usage:
    python3 routeplan_features.py policy.json < queries.jsonl > features.jsonl
Each input line is {"id"?, "text", "task"?}; each output line is
{"id", "task_index", "indices": [...], "values": [...]} (a sparse row of length `dim`).
"""

import base64
import json
import math
import struct
import sys
import unicodedata

_F32 = struct.Struct("<f")


def f32(x):
    """Rounds a Python float to the nearest float32, as a Float32Array store does."""
    return _F32.unpack(_F32.pack(x))[0]


def _imul(a, b):
    return (a * b) & 0xFFFFFFFF


def _rotl(x, r):
    return ((x << r) | (x >> (32 - r))) & 0xFFFFFFFF


def _mix(h, k):
    k = _imul(k, 0xCC9E2D51)
    k = _rotl(k, 15)
    h ^= _imul(k, 0x1B873593)
    h = _rotl(h, 13)
    return (_imul(h, 5) + 0xE6546B64) & 0xFFFFFFFF


def _finish(h, length):
    h ^= length
    h ^= h >> 16
    h = _imul(h, 0x85EBCA6B)
    h ^= h >> 13
    h = _imul(h, 0xC2B2AE35)
    h ^= h >> 16
    return h


def murmur3(data, seed):
    """MurmurHash3_x86_32 of bytes, unsigned."""
    h = seed & 0xFFFFFFFF
    n = len(data)
    blocks = n & ~3
    for i in range(0, blocks, 4):
        h = _mix(h, data[i] | (data[i + 1] << 8) | (data[i + 2] << 16) | (data[i + 3] << 24))
    tail = n & 3
    if tail:
        k = 0
        if tail == 3:
            k ^= data[blocks + 2] << 16
        if tail >= 2:
            k ^= data[blocks + 1] << 8
        k ^= data[blocks]
        k = _imul(k, 0xCC9E2D51)
        k = _rotl(k, 15)
        k = _imul(k, 0x1B873593)
        h ^= k
    return _finish(h, n)


def murmur3_str(s, seed):
    return murmur3(s.encode("utf-8"), seed)


def _kind(ch):
    """'L' for a letter (\\p{L}), 'N' for a number (\\p{N}), else None."""
    c = unicodedata.category(ch)[0]
    return c if c in ("L", "N") else None


def tokens_of(text):
    """The maximal runs of [\\p{L}\\p{N}] in the lower-cased text."""
    out, cur = [], []
    for ch in text.lower():
        if _kind(ch):
            cur.append(ch)
        elif cur:
            out.append("".join(cur))
            cur = []
    if cur:
        out.append("".join(cur))
    return out


def _shape(token):
    """Runs of digits -> "0", runs of letters -> "a" ("h2o" -> "a0a")."""
    out, last = [], None
    for ch in token:
        k = _kind(ch)
        if k != last:
            out.append("0" if k == "N" else "a")
            last = k
    return "".join(out)


class Featurizer:
    def __init__(self, spec):
        if spec.get("kind") != "builtin-hash-tfidf" or spec.get("version") != 1:
            raise ValueError("only builtin-hash-tfidf version 1 is specified here")
        self.seed = spec["seed"]
        self.dim = spec["dim"]
        self.max_tokens = spec["maxTokens"]
        self.char_ngrams = spec["charNgrams"]
        raw = base64.b64decode(spec["idf"]["data"])
        self.idf = struct.unpack("<%df" % (len(raw) // 4), raw)

    def _token_features(self, token):
        dim, seed = self.dim, self.seed
        cps = list("<" + token + ">")
        feats = [murmur3_str(token, seed)]
        for n in self.char_ngrams:
            for i in range(0, len(cps) - n + 1):
                feats.append(murmur3_str("#" + "".join(cps[i : i + n]), seed) % dim)
        if any(_kind(ch) == "N" for ch in token):
            feats.append(murmur3_str("^" + _shape(token), seed) % dim)
        return feats

    def transform(self, text):
        """(indices, values) of one text's L2-normalised sublinear TF-IDF row."""
        dim, seed = self.dim, self.seed
        toks = tokens_of(text)
        start = max(0, len(toks) - self.max_tokens)
        tf = {}
        order = []

        def add(j):
            if j not in tf:
                tf[j] = 0
                order.append(j)
            tf[j] += 1

        add(murmur3_str("$len%d" % ((1 + len(toks)).bit_length() - 1), seed) % dim)
        prev = None
        for t in range(start, len(toks)):
            grams = self._token_features(toks[t])
            u = grams[0]
            add(u % dim)
            for g in grams[1:]:
                add(g)
            if t > start:
                add(murmur3(struct.pack("<II", prev, u), seed) % dim)
            prev = u
        # Weights in double, stored as float32; the norm sums the double weights (as the TS code).
        weights = [(1 + math.log(tf[j])) * self.idf[j] for j in order]
        norm = sum(w * w for w in weights)
        inv = 1 / math.sqrt(norm) if norm > 0 else 0.0
        return order, [f32(f32(w) * inv) for w in weights]


def task_index(policy, task):
    """The scorer's task_index: the task's position among the decision prior's tasks, else their count;
    no task with a policy that carries a task classifier: -1 (the scorer infers it, as routeplan route does)."""
    prior = policy.get("decisionPrior")
    if task is None and prior and policy.get("taskClassifier"):
        return -1
    tasks = sorted(prior["byTask"].keys()) if prior else []
    key = "" if task is None else task
    return tasks.index(key) if key in tasks else len(tasks)


def main():
    if len(sys.argv) != 2:
        sys.exit("usage: routeplan_features.py policy.json < queries.jsonl > features.jsonl")
    with open(sys.argv[1], encoding="utf-8") as f:
        policy = json.load(f)
    featurizer = Featurizer(policy["featurizer"]["spec"])
    out = sys.stdout
    for row, line in enumerate(sys.stdin, start=1):
        if not line.strip():
            continue
        q = json.loads(line)
        indices, values = featurizer.transform(q["text"])
        out.write(json.dumps({"id": q.get("id", str(row)), "task_index": task_index(policy, q.get("task")), "indices": indices, "values": values}) + "\n")


if __name__ == "__main__":
    main()
