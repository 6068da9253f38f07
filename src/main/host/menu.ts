import { Menu, type BrowserWindow, type MenuItemConstructorOptions } from 'electron';
import { ipcChannels, type MenuCommand } from '../../shared/ipc';

/** The app menu: standard roles (they carry each platform's shortcuts) plus workspace commands. */
export function menuTemplate(send: (command: MenuCommand) => void, platform: NodeJS.Platform = process.platform): MenuItemConstructorOptions[] {
  const isMac = platform === 'darwin';
  return [
    ...(isMac ? [{ role: 'appMenu' as const }] : []),
    {
      label: 'File',
      submenu: [
        { label: 'New Workspace…', accelerator: 'CmdOrCtrl+N', click: () => send('new-workspace') },
        { label: 'Open Workspace…', accelerator: 'CmdOrCtrl+O', click: () => send('open-workspace') },
        { label: 'Import Data…', accelerator: 'CmdOrCtrl+I', click: () => send('import-data') },
        { type: 'separator' },
        isMac ? { role: 'close' } : { role: 'quit' },
      ],
    },
    { role: 'editMenu' },
    { role: 'viewMenu' },
    { role: 'windowMenu' },
    { role: 'help', submenu: [{ label: 'Guided first run', click: () => send('show-guide') }] },
  ];
}

export function buildMenu(win: () => BrowserWindow | null): void {
  const send = (command: MenuCommand) => win()?.webContents.send(ipcChannels.menu, command);
  Menu.setApplicationMenu(Menu.buildFromTemplate(menuTemplate(send)));
}
