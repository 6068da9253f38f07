// `routeplan gpus`: the GPU catalog the capacity paths read (built-in, the workspace's own specs
// laid over it, a --gpu-file over both), and `gpus import` / `gpus remove` for the workspace's specs.
import type { Command } from 'commander';
import type { GpuImportResult, GpuSpecView } from '../../../shared/contract/performance';
import type { RegisterCommand } from '../env';
import { table } from '../output';
import { memoryWorkspaceUnlessGiven } from './routing-workspace';

function humanGpus(gs: GpuSpecView[]): string {
  const from = (g: GpuSpecView) => (g.origin === 'built-in' ? 'built-in' : `${g.origin}${g.replaces ? ` (over ${g.replaces})` : ''}`);
  return table([['gpu', 'from', 'memory GB', 'HBM GB/s', 'BF16 TFLOP/s', 'FP8 TFLOP/s', 'INT8 TOP/s', 'link GB/s', 'aliases'], ...gs.map((g) => [g.name, from(g), g.memoryGb, g.hbmGBps, g.bf16Tflops, g.fp8Tflops, g.int8Tops, g.interconnectGBps, g.aliases.join(', ')])]);
}

function humanImport(r: GpuImportResult): string {
  return table([['gpu', 'overrides', 'replaced a workspace entry'], ...r.gpus.map((g) => [g.name, g.replaces ?? '(new type)', g.replacedWorkspaceEntry ? 'yes' : 'no'])]);
}

export const registerGpuCommands: RegisterCommand = (program, env) => {
  const gpus = program
    .command('gpus')
    .description("the GPU catalog (each entry cites its datasheet), with the workspace's own GPU specs laid over it")
    .option('--gpu-file <file>', 'your GPUs (JSON array or CSV) laid over the built-in catalog and the workspace')
    .action(function (this: Command) {
      memoryWorkspaceUnlessGiven(this);
      return env.run(this, (engine, _ctx, o) => engine.call('performance.gpus', { gpuFile: o.gpuFile }), humanGpus);
    });

  gpus
    .command('import')
    .description('store GPU specs in the workspace (the --gpu-file layouts: JSON array or CSV); every capacity path uses them; one transaction, a type imported again is replaced')
    .argument('<file>', 'JSON array or CSV with name,memoryGb,hbmGBps,bf16Tflops,fp8Tflops,int8Tops,interconnectGBps,source')
    .action(function (this: Command, file: string) {
      return env.run(this, (engine) => engine.call('performance.importGpus', { file }), humanImport);
    });

  gpus
    .command('remove')
    .description("remove one of the workspace's GPU specs (the built-in entry, if any, answers again)")
    .argument('<name>', 'GPU name as imported')
    .action(function (this: Command, name: string) {
      return env.run(this, (engine) => engine.call('performance.removeGpu', { name }), (r) => `removed ${r.removed}`);
    });
};
