import { dialog, type BrowserWindow } from 'electron';
import { writeFileSync } from 'node:fs';
import type { DialogPort } from './ipc';

export function nativeDialogs(win: () => BrowserWindow | null): DialogPort {
  return {
    async pickFile(o) {
      const w = win();
      if (o.save) {
        const r = w ? await dialog.showSaveDialog(w, { title: o.title, filters: o.filters }) : await dialog.showSaveDialog({ title: o.title, filters: o.filters });
        return r.canceled ? null : (r.filePath ?? null);
      }
      const props: ('openFile' | 'openDirectory')[] = [o.directory ? 'openDirectory' : 'openFile'];
      const r = w ? await dialog.showOpenDialog(w, { title: o.title, filters: o.filters, properties: props }) : await dialog.showOpenDialog({ title: o.title, filters: o.filters, properties: props });
      return r.canceled ? null : (r.filePaths[0] ?? null);
    },
    async saveFile(o) {
      const w = win();
      const opts = { defaultPath: o.defaultName };
      const r = w ? await dialog.showSaveDialog(w, opts) : await dialog.showSaveDialog(opts);
      if (r.canceled || !r.filePath) return null;
      writeFileSync(r.filePath, Buffer.from(o.content, o.encoding === 'base64' ? 'base64' : 'utf8'));
      return r.filePath;
    },
  };
}
