import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import { ipcChannels, type RouteplanBridge } from '../shared/ipc';

// The renderer's only door to the engine: a few named functions, never ipcRenderer itself.
const bridge: RouteplanBridge = {
  invoke: (method, input) => ipcRenderer.invoke(ipcChannels.invoke, { method, input }),
  cancel: (jobId) => ipcRenderer.invoke(ipcChannels.cancel, { jobId }),
  jobs: () => ipcRenderer.invoke(ipcChannels.jobs),
  onEvent(listener) {
    const wrapped = (_e: IpcRendererEvent, event: unknown) => listener(event);
    ipcRenderer.on(ipcChannels.event, wrapped);
    return () => ipcRenderer.removeListener(ipcChannels.event, wrapped);
  },
  pickFile: async (options) => (await ipcRenderer.invoke(ipcChannels.pickFile, options))?.result ?? null,
  saveFile: async (options) => (await ipcRenderer.invoke(ipcChannels.saveFile, options))?.result ?? null,
};

contextBridge.exposeInMainWorld('routeplan', bridge);
