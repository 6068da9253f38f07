import type { GpuSpec } from '../types';

// GPU facts from the vendors' datasheets. Tensor figures are DENSE (the datasheets' headline
// figures "with sparsity" are halved). interconnectGBps is per GPU, one direction: NVLink's
// total bidirectional figure / 2, or the PCIe slot (Gen4 x16 = 32 GB/s, Gen5 x16 = 64 GB/s) for
// parts without NVLink (PCIe cards can take an NVLink bridge between pairs; override if you do).
// memoryGb is the datasheet figure, read as 10^9 bytes: the ~7% a GiB reading would add roughly
// pays for the CUDA context and allocator slack the engines do not hand to the KV cache.
// Aliases are the names inventories and public benchmarks use.

export const gpuCatalog: GpuSpec[] = [
  {
    name: 'A10G', memoryGb: 24, hbmGBps: 600, bf16Tflops: 125, fp8Tflops: null, int8Tops: 250, interconnectGBps: 32,
    source: 'NVIDIA A10 datasheet (nvidia.com/content/dam/en-zz/Solutions/Data-Center/a10/pdf/datasheet-new/nvidia-a10-datasheet.pdf); A10G is the AWS G5 variant of the same GA102 part (aws.amazon.com/ec2/instance-types/g5): 24 GB GDDR6, 600 GB/s; tensor figures are the A10\'s (AWS publishes none for A10G, its clocks are a little lower)',
    aliases: ['A10', 'NVIDIA-A10G'],
  },
  {
    name: 'L4', memoryGb: 24, hbmGBps: 300, bf16Tflops: 121, fp8Tflops: 242.5, int8Tops: 242.5, interconnectGBps: 32,
    source: 'NVIDIA L4 datasheet (nvidia.com/en-us/data-center/l4): 24 GB GDDR6, 300 GB/s, BF16 242 / FP8 485 / INT8 485 TFLOPS with sparsity, PCIe Gen4 x16',
    aliases: ['NVIDIA-L4', 'L4-24GB'],
  },
  {
    name: 'L40S', memoryGb: 48, hbmGBps: 864, bf16Tflops: 362.05, fp8Tflops: 733, int8Tops: 733, interconnectGBps: 32,
    source: 'NVIDIA L40S datasheet (nvidia.com/en-us/data-center/l40s): 48 GB GDDR6, 864 GB/s, BF16 362.05 / FP8 733 / INT8 733 dense (733 / 1,466 / 1,466 with sparsity), PCIe Gen4 x16, no NVLink',
    aliases: ['L40S-48GB', 'NVIDIA-L40S', 'NVIDIA_L40S'],
  },
  {
    name: 'A100-SXM4-40GB', memoryGb: 40, hbmGBps: 1555, bf16Tflops: 312, fp8Tflops: null, int8Tops: 624, interconnectGBps: 300,
    source: 'NVIDIA A100 datasheet (nvidia.com/content/dam/en-zz/Solutions/Data-Center/a100/pdf/nvidia-a100-datasheet-us-nvidia-1758950-r4-web.pdf): 40 GB HBM2 1,555 GB/s, BF16 312 / INT8 624 dense, no FP8, NVLink 600 GB/s',
    aliases: ['A100-40GB', 'A100-SXM-40GB', 'a100-40gb'],
  },
  {
    name: 'A100-SXM4-80GB', memoryGb: 80, hbmGBps: 2039, bf16Tflops: 312, fp8Tflops: null, int8Tops: 624, interconnectGBps: 300,
    source: 'NVIDIA A100 datasheet (r4): 80 GB HBM2e 2,039 GB/s (SXM), BF16 312 / INT8 624 dense, no FP8, NVLink 600 GB/s',
    aliases: ['A100-80GB', 'A100-SXM-80GB', 'a100-80gb', 'A100'],
  },
  {
    name: 'A100-PCIE-40GB', memoryGb: 40, hbmGBps: 1555, bf16Tflops: 312, fp8Tflops: null, int8Tops: 624, interconnectGBps: 32,
    source: 'NVIDIA A100 datasheet (r4): PCIe 40 GB HBM2 1,555 GB/s, BF16 312 / INT8 624 dense, PCIe Gen4 64 GB/s bidirectional',
    aliases: ['A100-PCIe-40GB'],
  },
  {
    name: 'A100-PCIE-80GB', memoryGb: 80, hbmGBps: 1935, bf16Tflops: 312, fp8Tflops: null, int8Tops: 624, interconnectGBps: 32,
    source: 'NVIDIA A100 datasheet (r4): PCIe 80 GB HBM2e 1,935 GB/s, BF16 312 / INT8 624 dense, PCIe Gen4 64 GB/s bidirectional',
    aliases: ['A100-PCIe-80GB'],
  },
  {
    name: 'H100-SXM', memoryGb: 80, hbmGBps: 3350, bf16Tflops: 989, fp8Tflops: 1979, int8Tops: 1979, interconnectGBps: 450,
    source: 'NVIDIA H100 datasheet (nvidia.com/en-us/data-center/h100): SXM 80 GB HBM3 3.35 TB/s, BF16 1,979 / FP8 3,958 / INT8 3,958 with sparsity, NVLink 900 GB/s',
    aliases: ['H100-80GB', 'H100-SXM5-80GB', 'H100', 'h100-80gb'],
  },
  {
    name: 'H100-PCIE', memoryGb: 80, hbmGBps: 2000, bf16Tflops: 756, fp8Tflops: 1513, int8Tops: 1513, interconnectGBps: 64,
    source: 'NVIDIA H100 datasheet: PCIe 80 GB HBM2e 2 TB/s, BF16 1,513 / FP8 3,026 / INT8 3,026 with sparsity, PCIe Gen5 128 GB/s bidirectional',
    aliases: ['H100-PCIe', 'H100-PCIe-80GB'],
  },
  {
    name: 'H200', memoryGb: 141, hbmGBps: 4800, bf16Tflops: 989, fp8Tflops: 1979, int8Tops: 1979, interconnectGBps: 450,
    source: 'NVIDIA H200 datasheet (nvidia.com/en-us/data-center/h200): SXM 141 GB HBM3e 4.8 TB/s, BF16 1,979 / FP8 3,958 / INT8 3,958 with sparsity, NVLink 900 GB/s',
    aliases: ['H200-141GB', 'H200-SXM'],
  },
  {
    name: 'B200', memoryGb: 180, hbmGBps: 8000, bf16Tflops: 2250, fp8Tflops: 4500, int8Tops: 4500, interconnectGBps: 900,
    source: 'NVIDIA HGX B200 datasheet (nvidia.com/en-us/data-center/hgx): 8 GPUs 1.4 TB HBM3e, 64 TB/s; FP16/BF16 36 PFLOPS, FP8 72 PFLOPS, INT8 72 POPS with sparsity (per GPU: 180 GB, 8 TB/s, 2.25 / 4.5 / 4.5 dense); NVLink 5 1.8 TB/s',
    aliases: ['B200-180GB', 'HGX-B200'],
  },
  {
    name: 'MI300X', memoryGb: 192, hbmGBps: 5300, bf16Tflops: 1307.4, fp8Tflops: 2614.9, int8Tops: 2614.9, interconnectGBps: 448,
    source: 'AMD Instinct MI300X datasheet (amd.com/en/products/accelerators/instinct/mi300/mi300x.html): 192 GB HBM3 5.3 TB/s, FP16/BF16 1,307.4 / FP8 2,614.9 / INT8 2,614.9 dense, Infinity Fabric 896 GB/s peer',
    aliases: ['AMD-MI300X', 'MI300X-192GB'],
  },
];
