import type { IpcMain, IpcMainInvokeEvent, WebContents } from 'electron';
import { z } from 'zod';
import type { Engine } from '../engine/engine';
import { toFailure } from '../../shared/errors';
import { BridgeRequest, CancelRequest, parseBridge } from '../../shared/bridge';
import { ipcChannels, type PickFileOptions, type SaveFileOptions } from '../../shared/ipc';

export interface DialogPort {
  pickFile(options: PickFileOptions): Promise<string | null>;
  saveFile(options: SaveFileOptions): Promise<string | null>;
}

/** The frame an IPC message came from, as much of Electron's WebFrameMain as the check needs. */
export interface SenderFrame {
  url: string;
  parent: unknown;
}
export type SenderCheck = (sender: WebContents, frame: SenderFrame | null) => boolean;

const Filters = z.array(z.object({ name: z.string().max(100), extensions: z.array(z.string().max(20)).max(20) })).max(10).optional();
const PickFileRequest = z.object({ title: z.string().max(200).optional(), filters: Filters, save: z.boolean().optional(), directory: z.boolean().optional(), defaultName: z.string().max(255).optional() }).strict();
const SaveFileRequest = z.object({ defaultName: z.string().min(1).max(255), content: z.string().max(200 * 1024 * 1024), encoding: z.enum(['utf8', 'base64']).optional(), filters: Filters }).strict();

/** The engine surface the host binds; tests pass a double. */
export type HostedEngine = Pick<Engine, 'invoke' | 'cancel' | 'jobs' | 'subscribe'>;

/**
 * Binds the engine to IPC. Every handler checks that the sender is our own window's top frame,
 * validates its payload, and answers {result} or {error}: Electron passes only a thrown error's
 * message, so failures travel as data.
 */
export function bindIpc(ipcMain: IpcMain, engine: HostedEngine, isTrustedSender: SenderCheck, dialogs: DialogPort): () => void {
  const guard =
    <T>(fn: (payload: unknown) => Promise<T> | T) =>
    async (event: IpcMainInvokeEvent, payload: unknown) => {
      if (!isTrustedSender(event.sender, (event.senderFrame as SenderFrame | null) ?? null)) return { error: { code: 'UNAUTHORIZED', message: 'IPC from an untrusted frame' } };
      try {
        return { result: await fn(payload) };
      } catch (err) {
        return { error: toFailure(err) };
      }
    };

  const handlers: Record<string, (payload: unknown) => unknown> = {
    [ipcChannels.invoke]: (p) => {
      const req = parseBridge(BridgeRequest, p);
      return engine.invoke(req.method, req.input);
    },
    [ipcChannels.cancel]: (p) => ({ cancelled: engine.cancel(parseBridge(CancelRequest, p).jobId) }),
    [ipcChannels.jobs]: () => engine.jobs(),
    [ipcChannels.pickFile]: (p) => dialogs.pickFile(parseBridge(PickFileRequest, p ?? {})),
    [ipcChannels.saveFile]: (p) => dialogs.saveFile(parseBridge(SaveFileRequest, p)),
  };
  for (const [channel, fn] of Object.entries(handlers)) ipcMain.handle(channel, guard(fn));
  return () => {
    for (const channel of Object.keys(handlers)) ipcMain.removeHandler(channel);
  };
}

/** Forwards job events to a window; stops when it is gone. */
export function forwardEvents(engine: HostedEngine, target: () => WebContents | null): () => void {
  return engine.subscribe((event) => {
    const wc = target();
    if (wc && !wc.isDestroyed()) wc.send(ipcChannels.event, event);
  });
}
