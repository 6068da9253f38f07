import { contextBridge, ipcRenderer, webUtils, type IpcRendererEvent } from 'electron';
import { ipcChannels, type MenuCommand, type RouteplanBridge } from '../shared/ipc';

// The renderer's only door to the engine: a few named functions, never ipcRenderer itself. Every
// answer is {result} or {error}; the renderer's client rebuilds errors with their code and details.
const subscribe = <T>(channel: string, listener: (value: T) => void) => {
  const wrapped = (_e: IpcRendererEvent, value: T) => listener(value);
  ipcRenderer.on(channel, wrapped);
  return () => void ipcRenderer.removeListener(channel, wrapped);
};

const bridge: RouteplanBridge = {
  invoke: (method, input) => ipcRenderer.invoke(ipcChannels.invoke, { method, input }),
  cancel: (jobId) => ipcRenderer.invoke(ipcChannels.cancel, { jobId }),
  jobs: () => ipcRenderer.invoke(ipcChannels.jobs),
  onEvent: (listener) => subscribe(ipcChannels.event, listener),
  onMenu: (listener) => subscribe<MenuCommand>(ipcChannels.menu, listener),
  pickFile: (options) => ipcRenderer.invoke(ipcChannels.pickFile, options),
  saveFile: (options) => ipcRenderer.invoke(ipcChannels.saveFile, options),
  pathForFile: (file) => webUtils.getPathForFile(file),
};

contextBridge.exposeInMainWorld('routeplan', bridge);
