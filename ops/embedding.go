package ops

import "github.com/mxgo/mxgo/tensor"

// EmbeddingParam is Embedding's parameters [src/operator/tensor/indexing_op.h].
type EmbeddingParam struct {
	InputDim   int64        `mx:"input_dim" required:"" min:"1"`
	OutputDim  int64        `mx:"output_dim" required:"" min:"1"`
	DType      tensor.DType `mx:"dtype" default:"float32" enum:"float32,float64,float16,bfloat16,uint8,int8,int32,int64"`
	SparseGrad bool         `mx:"sparse_grad"`
}

func init() {
	Register(&Op{
		Name:       "Embedding",
		PerSample:  perSampleAlways,
		Aliases:    []string{"_npx_embedding"},
		Params:     NewParams[EmbeddingParam](),
		InputNames: func(any) []string { return []string{"data", "weight"} },
		InferShape: embeddingShape,
		InferType: func(params any, in, out []tensor.DType) error {
			dt := params.(*EmbeddingParam).DType
			if err := assignType(&out[0], dt, "output"); err != nil {
				return err
			}
			if in[0] == UnknownType {
				in[0] = dt
			}
			return assignType(&in[1], dt, "weight")
		},
		Forward:  embeddingForward,
		Backward: embeddingBackward,
	})
}

// embeddingShape follows EmbeddingOpShape: weight (input_dim, output_dim)
// and output data.shape + (output_dim,).
func embeddingShape(params any, in, out []Shape) error {
	p := params.(*EmbeddingParam)
	if err := assignShape(&in[1], Shape{int(p.InputDim), int(p.OutputDim)}, "weight"); err != nil {
		return err
	}
	if in[0] == nil {
		return nil
	}
	return assignShape(&out[0], append(cloneShape(in[0]), int(p.OutputDim)), "output")
}
