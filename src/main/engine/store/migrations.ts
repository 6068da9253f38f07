// Schema history. Each entry upgrades user_version by one; never edit a shipped entry, append.
export const migrations: string[] = [
  /* 1: foundation */ `
  CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);

  CREATE TABLE datasets (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    source TEXT NOT NULL,
    format TEXT NOT NULL,
    content_hash TEXT,
    created_at TEXT NOT NULL
  );

  CREATE TABLE models (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE);

  -- The models of a dataset in file order (first appearance): the column order of its matrices.
  CREATE TABLE dataset_models (
    dataset_id INTEGER NOT NULL REFERENCES datasets(id) ON DELETE CASCADE,
    model_id INTEGER NOT NULL REFERENCES models(id),
    position INTEGER NOT NULL,
    PRIMARY KEY (dataset_id, model_id),
    UNIQUE (dataset_id, position)
  ) WITHOUT ROWID;

  CREATE TABLE queries (
    id INTEGER PRIMARY KEY,
    dataset_id INTEGER NOT NULL REFERENCES datasets(id) ON DELETE CASCADE,
    ext_id TEXT NOT NULL,
    text TEXT NOT NULL,
    text_hash TEXT NOT NULL,
    task TEXT,
    input_tokens INTEGER CHECK (input_tokens IS NULL OR input_tokens >= 0),
    UNIQUE (dataset_id, ext_id)
  );
  CREATE INDEX queries_by_text ON queries(text_hash);

  -- One row per (query, model). score NULL = missing label, never zero.
  CREATE TABLE labels (
    query_id INTEGER NOT NULL REFERENCES queries(id) ON DELETE CASCADE,
    model_id INTEGER NOT NULL REFERENCES models(id),
    score REAL CHECK (score IS NULL OR (score >= 0 AND score <= 1)),
    input_tokens INTEGER CHECK (input_tokens IS NULL OR input_tokens >= 0),
    output_tokens INTEGER CHECK (output_tokens IS NULL OR output_tokens >= 0),
    cost REAL CHECK (cost IS NULL OR cost >= 0),
    PRIMARY KEY (query_id, model_id)
  ) WITHOUT ROWID;
  CREATE INDEX labels_by_model ON labels(model_id);

  CREATE TABLE catalog (
    model_id INTEGER PRIMARY KEY REFERENCES models(id) ON DELETE CASCADE,
    price_in_per_m REAL NOT NULL CHECK (price_in_per_m >= 0),
    price_out_per_m REAL NOT NULL CHECK (price_out_per_m >= 0),
    gpu_type TEXT,
    gpus_per_instance INTEGER CHECK (gpus_per_instance IS NULL OR gpus_per_instance > 0),
    slots_per_instance INTEGER CHECK (slots_per_instance IS NULL OR slots_per_instance > 0),
    decode_tokens_per_s REAL CHECK (decode_tokens_per_s IS NULL OR decode_tokens_per_s > 0),
    prefill_tokens_per_s REAL CHECK (prefill_tokens_per_s IS NULL OR prefill_tokens_per_s > 0),
    rate_limit_qps REAL CHECK (rate_limit_qps IS NULL OR rate_limit_qps > 0)
  );

  -- Extra (model, GPU type) deployment options for the extended allocation.
  CREATE TABLE deployments (
    model_id INTEGER NOT NULL REFERENCES models(id) ON DELETE CASCADE,
    gpu_type TEXT NOT NULL,
    gpus_per_instance INTEGER NOT NULL CHECK (gpus_per_instance > 0),
    slots_per_instance INTEGER NOT NULL CHECK (slots_per_instance > 0),
    decode_tokens_per_s REAL NOT NULL CHECK (decode_tokens_per_s > 0),
    prefill_tokens_per_s REAL CHECK (prefill_tokens_per_s IS NULL OR prefill_tokens_per_s > 0),
    PRIMARY KEY (model_id, gpu_type)
  );

  CREATE TABLE gpu_inventory (
    gpu_type TEXT PRIMARY KEY,
    count INTEGER NOT NULL CHECK (count >= 0),
    hourly_price REAL NOT NULL CHECK (hourly_price >= 0),
    memory_gb REAL NOT NULL CHECK (memory_gb > 0)
  );

  CREATE TABLE feature_cache (
    featurizer TEXT NOT NULL,
    text_hash TEXT NOT NULL,
    data BLOB NOT NULL,
    PRIMARY KEY (featurizer, text_hash)
  ) WITHOUT ROWID;

  CREATE TABLE predictors (
    id INTEGER PRIMARY KEY,
    dataset_id INTEGER NOT NULL REFERENCES datasets(id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    featurizer TEXT NOT NULL,
    estimator TEXT NOT NULL,
    settings TEXT NOT NULL,
    split TEXT NOT NULL,
    state BLOB NOT NULL,
    metrics TEXT,
    created_at TEXT NOT NULL
  );

  CREATE TABLE calibrations (
    id INTEGER PRIMARY KEY,
    predictor_id INTEGER NOT NULL REFERENCES predictors(id) ON DELETE CASCADE,
    state TEXT NOT NULL,
    metrics TEXT NOT NULL,
    created_at TEXT NOT NULL
  );

  CREATE TABLE evaluations (
    id INTEGER PRIMARY KEY,
    predictor_id INTEGER REFERENCES predictors(id) ON DELETE CASCADE,
    dataset_id INTEGER REFERENCES datasets(id) ON DELETE CASCADE,
    settings TEXT NOT NULL,
    result TEXT NOT NULL,
    created_at TEXT NOT NULL
  );

  CREATE TABLE scenarios (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    kind TEXT NOT NULL,
    input TEXT NOT NULL,
    result TEXT,
    created_at TEXT NOT NULL
  );

  CREATE TABLE policies (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    format_version INTEGER NOT NULL,
    content_hash TEXT NOT NULL,
    body TEXT NOT NULL,
    created_at TEXT NOT NULL
  );

  -- Long jobs, so that a crash leaves a trace: rows still 'running' at open were interrupted.
  CREATE TABLE jobs (
    id TEXT PRIMARY KEY,
    method TEXT NOT NULL,
    state TEXT NOT NULL CHECK (state IN ('running','done','failed','cancelled','interrupted')),
    input TEXT NOT NULL,
    pid INTEGER NOT NULL,
    error TEXT,
    started_at TEXT NOT NULL,
    ended_at TEXT
  );
  `,
  // How many labels of one (query, model) pair an import merged into this row (--on-duplicate
  // mean): the weight of the mean.
  `
  ALTER TABLE labels ADD COLUMN n INTEGER NOT NULL DEFAULT 1 CHECK (n >= 1);
  `,
  // Users' own serving measurements (routeplan perf import): each imported file with its
  // provenance, and one row per measured operating point of a deployment. Latency percentiles are
  // JSON objects with the stats the file gave ({mean, p50, p90, p99}, absent = unknown); flags name
  // the points a measurement contradicts.
  `
  CREATE TABLE perf_measurement_files (
    id INTEGER PRIMARY KEY,
    file_name TEXT NOT NULL,
    sha256 TEXT NOT NULL UNIQUE,
    layout TEXT NOT NULL,
    records INTEGER NOT NULL CHECK (records > 0),
    imported_at TEXT NOT NULL
  );

  CREATE TABLE perf_measurements (
    id INTEGER PRIMARY KEY,
    file_id INTEGER NOT NULL REFERENCES perf_measurement_files(id) ON DELETE CASCADE,
    record INTEGER NOT NULL,
    model TEXT NOT NULL,
    gpu TEXT NOT NULL,
    gpus INTEGER NOT NULL CHECK (gpus > 0),
    tp INTEGER NOT NULL CHECK (tp > 0 AND tp <= gpus),
    precision TEXT NOT NULL,
    engine TEXT NOT NULL,
    input_tokens REAL NOT NULL CHECK (input_tokens > 0),
    output_tokens REAL NOT NULL CHECK (output_tokens > 0),
    concurrency REAL CHECK (concurrency IS NULL OR concurrency > 0),
    rate REAL CHECK (rate IS NULL OR rate > 0),
    max_throughput INTEGER NOT NULL DEFAULT 0 CHECK (max_throughput IN (0, 1)),
    output_tokens_per_s REAL NOT NULL CHECK (output_tokens_per_s > 0),
    requests_per_s REAL CHECK (requests_per_s IS NULL OR requests_per_s > 0),
    ttft_ms TEXT NOT NULL,
    tpot_ms TEXT NOT NULL,
    notes TEXT NOT NULL DEFAULT '[]',
    flags TEXT NOT NULL DEFAULT '[]',
    CHECK ((concurrency IS NOT NULL) + (rate IS NOT NULL) + max_throughput = 1)
  );
  CREATE INDEX perf_measurements_by_deployment ON perf_measurements(model, gpu, gpus, precision, engine);
  `,
  // Demand: request traces and typed profiles (engine/demand). A trace's requests are kept per
  // minute as typed-array BLOBs (arrival offsets, token counts), never one SQL row per request, and
  // each minute carries the summaries (counts, sums, length histograms) that intervals read.
  `
  CREATE TABLE demands (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    kind TEXT NOT NULL CHECK (kind IN ('trace', 'profile')),
    format TEXT NOT NULL,
    source TEXT NOT NULL,
    content_hash TEXT,
    start_iso TEXT,
    span_s REAL NOT NULL CHECK (span_s > 0),
    requests INTEGER NOT NULL CHECK (requests >= 0),
    summary TEXT NOT NULL,
    labels TEXT,
    created_at TEXT NOT NULL
  );

  CREATE TABLE demand_minutes (
    demand_id INTEGER NOT NULL REFERENCES demands(id) ON DELETE CASCADE,
    minute INTEGER NOT NULL CHECK (minute >= 0),
    count INTEGER NOT NULL CHECK (count > 0),
    sum_input REAL NOT NULL,
    sum_output REAL NOT NULL,
    hist_input BLOB NOT NULL,
    hist_output BLOB NOT NULL,
    joint BLOB NOT NULL,
    PRIMARY KEY (demand_id, minute)
  ) WITHOUT ROWID;

  CREATE TABLE demand_requests (
    id INTEGER PRIMARY KEY,
    demand_id INTEGER NOT NULL REFERENCES demands(id) ON DELETE CASCADE,
    minute INTEGER NOT NULL CHECK (minute >= 0),
    offsets_us BLOB NOT NULL,
    input_tokens BLOB NOT NULL,
    output_tokens BLOB NOT NULL,
    model BLOB,
    task BLOB,
    tenant BLOB,
    UNIQUE (demand_id, minute)
  );
  `,
  // The start time of the process that runs a job (Linux: /proc/<pid>/stat), so that a killed
  // run's row is recognised as interrupted even when its pid now belongs to another process.
  `
  ALTER TABLE jobs ADD COLUMN pid_start TEXT;
  `,
  // A catalog model's architecture (a performance-catalog name or a config.json path) for the
  // serving-performance model; extra deployment options no longer need the three typed figures
  // when the architecture is known, so their columns become nullable (SQLite: rebuild the table).
  `
  ALTER TABLE catalog ADD COLUMN architecture TEXT;
  CREATE TABLE deployments_v6 (
    model_id INTEGER NOT NULL REFERENCES models(id) ON DELETE CASCADE,
    gpu_type TEXT NOT NULL,
    gpus_per_instance INTEGER NOT NULL CHECK (gpus_per_instance > 0),
    slots_per_instance INTEGER CHECK (slots_per_instance IS NULL OR slots_per_instance > 0),
    decode_tokens_per_s REAL CHECK (decode_tokens_per_s IS NULL OR decode_tokens_per_s > 0),
    prefill_tokens_per_s REAL CHECK (prefill_tokens_per_s IS NULL OR prefill_tokens_per_s > 0),
    PRIMARY KEY (model_id, gpu_type)
  );
  INSERT INTO deployments_v6 SELECT model_id, gpu_type, gpus_per_instance, slots_per_instance, decode_tokens_per_s, prefill_tokens_per_s FROM deployments;
  DROP TABLE deployments;
  ALTER TABLE deployments_v6 RENAME TO deployments;
  `,
  // Users' GPU specs (routeplan gpus import), laid over the built-in GPU catalog by every capacity
  // path. One row per GPU type, replaced whole on re-import; fp8/int8 NULL = the part has none.
  `
  CREATE TABLE gpu_specs (
    name TEXT NOT NULL PRIMARY KEY COLLATE NOCASE,
    memory_gb REAL NOT NULL CHECK (memory_gb > 0),
    hbm_gbps REAL NOT NULL CHECK (hbm_gbps > 0),
    bf16_tflops REAL NOT NULL CHECK (bf16_tflops > 0),
    fp8_tflops REAL CHECK (fp8_tflops IS NULL OR fp8_tflops > 0),
    int8_tops REAL CHECK (int8_tops IS NULL OR int8_tops > 0),
    interconnect_gbps REAL NOT NULL CHECK (interconnect_gbps > 0),
    source TEXT NOT NULL,
    file_name TEXT NOT NULL,
    imported_at TEXT NOT NULL
  );
  `,
];
