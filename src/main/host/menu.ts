import { Menu, type BrowserWindow, type MenuItemConstructorOptions } from 'electron';

/** The standard menus with their platform shortcuts (roles carry them). */
export function buildMenu(_win: () => BrowserWindow | null): void {
  const isMac = process.platform === 'darwin';
  const template: MenuItemConstructorOptions[] = [
    ...(isMac ? [{ role: 'appMenu' as const }] : []),
    { role: 'fileMenu' },
    { role: 'editMenu' },
    { role: 'viewMenu' },
    { role: 'windowMenu' },
    { role: 'help', submenu: [{ label: 'routeplan documentation', click: () => undefined }] },
  ];
  Menu.setApplicationMenu(Menu.buildFromTemplate(template));
}
