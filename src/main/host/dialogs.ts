import { dialog, type BrowserWindow } from 'electron';
import { writeFileSync } from 'node:fs';
import type { DialogPort } from './ipc';

/** Native dialogs, modal to the window when there is one. */
export function nativeDialogs(win: () => BrowserWindow | null): DialogPort {
  const save = (opts: Electron.SaveDialogOptions) => {
    const w = win();
    return w ? dialog.showSaveDialog(w, opts) : dialog.showSaveDialog(opts);
  };
  return {
    async pickFile(o) {
      if (o.save) {
        const r = await save({ title: o.title, filters: o.filters, defaultPath: o.defaultName });
        return r.canceled ? null : (r.filePath ?? null);
      }
      const opts: Electron.OpenDialogOptions = { title: o.title, filters: o.filters, properties: [o.directory ? 'openDirectory' : 'openFile'] };
      const w = win();
      const r = w ? await dialog.showOpenDialog(w, opts) : await dialog.showOpenDialog(opts);
      return r.canceled ? null : (r.filePaths[0] ?? null);
    },
    async saveFile(o) {
      const r = await save({ defaultPath: o.defaultName, filters: o.filters });
      if (r.canceled || !r.filePath) return null;
      writeFileSync(r.filePath, Buffer.from(o.content, o.encoding === 'base64' ? 'base64' : 'utf8'));
      return r.filePath;
    },
  };
}
