// The catalog lookups under the name the module's interface gives them (performance/catalogs).
export { modelArch, gpuSpec, gpuCatalogWith, loadGpuFile, nearMatches } from './catalog/lookup';
export { loadHfConfig, archFromConfig } from './catalog/hf-config';
export { modelCatalog } from './catalog/model-catalog';
export { gpuCatalog } from './catalog/gpu-catalog';
