import type { HandlerGroup } from '../engine';
import type { EngineServices } from '../services';
import { importMeasurements, measurementsByDeployment } from '../performance/measurements/import';
import { readMeasurementFile } from '../performance/measurements/read-file';

type MeasurementMethod = 'performance.importMeasurements' | 'performance.listMeasurements';

export function performanceMeasurementHandlers(s: EngineServices): HandlerGroup<MeasurementMethod> {
  return {
    'performance.importMeasurements'(input) {
      const { files, ...defaults } = input;
      // Every file is read and checked before anything is written.
      const reads = files.map((f) => readMeasurementFile(f, defaults));
      return importMeasurements(s.db(), reads, s.now());
    },
    'performance.listMeasurements'() {
      return measurementsByDeployment(s.db());
    },
  };
}
