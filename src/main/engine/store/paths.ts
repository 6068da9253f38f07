import { homedir } from 'node:os';
import { join } from 'node:path';

/**
 * The OS's app-data folder for routeplan, the same folder Electron's app.getPath('userData')
 * gives, so the CLI and the desktop app share a default workspace.
 */
export function appDataDir(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): string {
  if (platform === 'win32') return join(env.APPDATA ?? join(homedir(), 'AppData', 'Roaming'), 'routeplan');
  if (platform === 'darwin') return join(homedir(), 'Library', 'Application Support', 'routeplan');
  return join(env.XDG_CONFIG_HOME ?? join(homedir(), '.config'), 'routeplan');
}

export function defaultWorkspacePath(env: NodeJS.ProcessEnv = process.env): string {
  return env.ROUTEPLAN_WORKSPACE ?? join(appDataDir(env), 'workspace.sqlite');
}
