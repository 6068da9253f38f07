import type { IpcMain, IpcMainInvokeEvent, WebContents } from 'electron';
import { z } from 'zod';
import type { Engine } from '../engine/engine';
import { toFailure } from '../../shared/errors';
import { BridgeRequest, CancelRequest, parseBridge } from '../../shared/bridge';
import { ipcChannels } from '../../shared/ipc';

export interface DialogPort {
  pickFile(options: { title?: string; filters?: { name: string; extensions: string[] }[]; save?: boolean; directory?: boolean }): Promise<string | null>;
  saveFile(options: { defaultName: string; content: string; encoding?: 'utf8' | 'base64' }): Promise<string | null>;
}

const PickFileRequest = z.object({
  title: z.string().max(200).optional(),
  filters: z.array(z.object({ name: z.string().max(100), extensions: z.array(z.string().max(20)).max(20) })).max(10).optional(),
  save: z.boolean().optional(),
  directory: z.boolean().optional(),
});
const SaveFileRequest = z.object({ defaultName: z.string().min(1).max(255), content: z.string().max(200 * 1024 * 1024), encoding: z.enum(['utf8', 'base64']).optional() });

/**
 * Binds the engine to IPC. Every handler checks that the sender is our own window's top frame,
 * validates its payload, and answers {result} or {error}: Electron passes only a thrown error's
 * message, so failures travel as data.
 */
export function bindIpc(ipcMain: IpcMain, engine: Engine, isTrustedSender: (sender: WebContents, frameUrl: string) => boolean, dialogs: DialogPort): () => void {
  const guard =
    <T>(fn: (payload: unknown) => Promise<T> | T) =>
    async (event: IpcMainInvokeEvent, payload: unknown) => {
      if (!isTrustedSender(event.sender, event.senderFrame?.url ?? '')) return { error: { code: 'UNAUTHORIZED', message: 'IPC from an untrusted frame' } };
      try {
        return { result: await fn(payload) };
      } catch (err) {
        return { error: toFailure(err) };
      }
    };

  ipcMain.handle(ipcChannels.invoke, guard((p) => {
    const req = parseBridge(BridgeRequest, p);
    return engine.invoke(req.method, req.input);
  }));
  ipcMain.handle(ipcChannels.cancel, guard((p) => ({ cancelled: engine.cancel(parseBridge(CancelRequest, p).jobId) })));
  ipcMain.handle(ipcChannels.jobs, guard(() => engine.jobs()));
  ipcMain.handle(ipcChannels.pickFile, guard((p) => dialogs.pickFile(parseBridge(PickFileRequest, p))));
  ipcMain.handle(ipcChannels.saveFile, guard((p) => dialogs.saveFile(parseBridge(SaveFileRequest, p))));

  return () => {
    for (const ch of [ipcChannels.invoke, ipcChannels.cancel, ipcChannels.jobs, ipcChannels.pickFile, ipcChannels.saveFile]) ipcMain.removeHandler(ch);
  };
}

/** Forwards job events to a window; stops when it is gone. */
export function forwardEvents(engine: Engine, target: () => WebContents | null): () => void {
  return engine.subscribe((event) => {
    const wc = target();
    if (wc && !wc.isDestroyed()) wc.send(ipcChannels.event, event);
  });
}
