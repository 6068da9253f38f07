import onnxProto from 'onnx-proto';

const { onnx } = onnxProto;

/** Small builders for ONNX graphs written from TypeScript (IR 8, opset 17, weights in rawData). */
export function floatTensor(name: string, dims: number[], data: Float32Array) {
  return onnx.TensorProto.create({
    name,
    dims,
    dataType: onnx.TensorProto.DataType.FLOAT,
    rawData: new Uint8Array(data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength)),
  });
}

export function int64Tensor(name: string, dims: number[], values: number[]) {
  const data = BigInt64Array.from(values.map(BigInt));
  return onnx.TensorProto.create({ name, dims, dataType: onnx.TensorProto.DataType.INT64, rawData: new Uint8Array(data.buffer) });
}

export function node(opType: string, input: string[], output: string[], attrs: { name: string; i?: number; ints?: number[] }[] = []) {
  return onnx.NodeProto.create({
    opType,
    input,
    output,
    attribute: attrs.map((a) =>
      onnx.AttributeProto.create(
        a.ints ? { name: a.name, type: onnx.AttributeProto.AttributeType.INTS, ints: a.ints } : { name: a.name, type: onnx.AttributeProto.AttributeType.INT, i: a.i },
      ),
    ),
  });
}

export function valueInfo(name: string, elemType: number, shape: (number | string)[]) {
  return onnx.ValueInfoProto.create({
    name,
    type: onnx.TypeProto.create({
      tensorType: onnx.TypeProto.Tensor.create({
        elemType,
        shape: onnx.TensorShapeProto.create({ dim: shape.map((d) => onnx.TensorShapeProto.Dimension.create(typeof d === 'number' ? { dimValue: d } : { dimParam: d })) }),
      }),
    }),
  });
}

export const ElemType = { FLOAT: onnx.TensorProto.DataType.FLOAT, INT64: onnx.TensorProto.DataType.INT64 };

export function boolTensor(name: string, dims: number[], values: boolean[]) {
  return onnx.TensorProto.create({ name, dims, dataType: onnx.TensorProto.DataType.BOOL, rawData: Uint8Array.from(values, (v) => (v ? 1 : 0)) });
}

export function modelBytes(graph: { name: string; nodes: unknown[]; initializers: unknown[]; inputs: unknown[]; outputs: unknown[] }, docString = '', metadata: Record<string, string> = {}): Uint8Array {
  const model = onnx.ModelProto.create({
    irVersion: 8,
    producerName: 'routeplan',
    docString,
    metadataProps: Object.entries(metadata).map(([key, value]) => onnx.StringStringEntryProto.create({ key, value })),
    opsetImport: [onnx.OperatorSetIdProto.create({ domain: '', version: 17 })],
    graph: onnx.GraphProto.create({ name: graph.name, node: graph.nodes as never, initializer: graph.initializers as never, input: graph.inputs as never, output: graph.outputs as never }),
  });
  return onnx.ModelProto.encode(model).finish();
}
