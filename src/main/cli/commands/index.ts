import type { RegisterCommand } from '../env';
import { registerWorkspaceCommands } from './workspace';
import { registerServe } from './serve';
import { registerServeRouter } from './serve-router';
import { registerPolicyCommands } from './policy';
import { registerDataCommands } from './data';
import { registerRoutingCommands } from './routing';
import { registerPredictorCommands } from './predictor';
import { registerAllocationCommands } from './allocation';

// Each domain registers its own commands; this list is the only shared line per domain.
export const commandGroups: RegisterCommand[] = [registerWorkspaceCommands, registerServe, registerServeRouter, registerPolicyCommands, registerDataCommands, registerRoutingCommands, registerPredictorCommands, registerAllocationCommands];
