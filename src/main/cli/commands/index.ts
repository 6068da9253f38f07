import type { RegisterCommand } from '../env';
import { registerWorkspaceCommands } from './workspace';
import { registerServe } from './serve';
import { registerServeRouter } from './serve-router';
import { registerPolicyCommands } from './policy';
import { registerDataCommands } from './data';
import { registerRoutingCommands } from './routing';
import { registerPredictorCommands } from './predictor';
import { registerAllocationCommands } from './allocation';
import { registerPerfMeasurementCommands } from './performance-measurements';
import { registerPerformanceCommands } from './performance';
import { registerGpuCommands } from './gpus';
import { registerDemandCommands } from './demand';
import { registerPlanningCommands } from './planning';

import { registerKeyCommands } from './keys';

// Each domain registers its own commands; this list is the only shared line per domain.
export const commandGroups: RegisterCommand[] = [registerWorkspaceCommands, registerServe, registerPolicyCommands, registerDataCommands, registerRoutingCommands, registerPredictorCommands, registerAllocationCommands, registerPerformanceCommands, registerGpuCommands, registerPerfMeasurementCommands, registerDemandCommands, registerPlanningCommands, registerKeyCommands, registerServeRouter];
