import { useCallback, useEffect, useRef, useState } from 'react';
import type { CallMethodName, InputOf, OutputOf } from '../../../shared/contract';
import { ApiError } from '../api/client';
import { useClient } from './context';
import { useJobs } from './jobs';
import { useWorkspace } from './workspace';

export interface CallState<T> {
  data: T | undefined;
  error: ApiError | undefined;
  loading: boolean;
  reload(): void;
}

/** Calls an engine method and keeps its answer; reloads when a job finishes or the workspace changes. */
export function useCall<M extends CallMethodName>(method: M, input: InputOf<M>, enabled = true): CallState<OutputOf<M>> {
  const client = useClient();
  const { revision } = useJobs();
  const { info } = useWorkspace();
  const [state, setState] = useState<{ data?: OutputOf<M>; error?: ApiError; loading: boolean }>({ loading: enabled });
  const [tick, setTick] = useState(0);
  const key = JSON.stringify(input);
  const seq = useRef(0);
  useEffect(() => {
    if (!enabled) return;
    const mine = ++seq.current;
    setState((s) => ({ ...s, loading: true }));
    client.call(method, JSON.parse(key)).then(
      (data) => mine === seq.current && setState({ data, loading: false }),
      (err) => mine === seq.current && setState({ error: err instanceof ApiError ? err : new ApiError('INTERNAL', String(err)), loading: false }),
    );
  }, [client, method, key, revision, info?.path, tick, enabled]);
  const reload = useCallback(() => setTick((t) => t + 1), []);
  return { ...state, reload } as CallState<OutputOf<M>>;
}
