package ops

import "fmt"

// FullyConnectedParam is FullyConnected's parameters
// [src/operator/nn/fully_connected-inl.h].
type FullyConnectedParam struct {
	NumHidden int  `mx:"num_hidden" required:"" min:"1"`
	NoBias    bool `mx:"no_bias"`
	Flatten   bool `mx:"flatten" default:"true"`

	// weightLD > 0: the weight input is the transposed weight, (K,
	// weightLD) row-major with the first num_hidden columns used, as the
	// executor prepares it once at Bind (never parsed from attributes).
	weightLD int
	// relu: the kernel applies max(x, 0) after the bias (set only by
	// NewFused for a FullyConnected+ReLU epilogue, which asm's product
	// runs itself).
	relu bool
}

// WithTransposedWeight returns a copy of p whose kernel reads its weight
// input as the transposed weight stored K×ld (ld >= num_hidden, extra
// columns ignored), optionally followed by more rows holding it packed by
// asm.PackPanels: the executor's bind-time optimisation prepares that
// layout once so batch-1 products read the weights by rows and large
// batches need not pack them. Results are
// bit-identical to the (num_hidden, K) layout (asm's SGEMM rounds every
// element the same way on every path).
func (p FullyConnectedParam) WithTransposedWeight(ld int) *FullyConnectedParam {
	p.weightLD = ld
	return &p
}

var fullyConnectedParams = NewParams[FullyConnectedParam]()

func init() {
	Register(&Op{
		Name:      "FullyConnected",
		PerSample: perSampleAlways,
		Supports:  float32Kernel,
		Aliases:   []string{"_npx_fully_connected"},
		Params:    fullyConnectedParams,
		InputNames: func(params any) []string {
			if params.(*FullyConnectedParam).NoBias {
				return []string{"data", "weight"}
			}
			return []string{"data", "weight", "bias"}
		},
		OutputNames: outputNames("output"),
		InferShape:  fullyConnectedShape,
		InferType:   SameType,
		Forward:     fullyConnectedForward,
		Backward:    fullyConnectedBackward,
	})
}

// fullyConnectedShape follows FullyConnectedShape: the weight is
// (num_hidden, K) with K the flattened (or last) data dims, the bias
// (num_hidden,) or (num_hidden, 1), and the output (N, num_hidden) or the
// data shape with its last dim replaced. The batch dim flows back from the
// output to the data.
func fullyConnectedShape(params any, in, out []Shape) error {
	p := params.(*FullyConnectedParam)
	d, given := in[0], out[0]
	if d == nil {
		return nil
	}
	if len(d) == 0 {
		return fmt.Errorf("data must have at least 1 dim")
	}
	var k int
	if p.Flatten {
		k = prod(d[1:])
	} else {
		k = d[len(d)-1]
	}
	if m, ok := MergeShape(in[1], Shape{p.NumHidden, k}); ok {
		in[1] = m
	} else {
		return fmt.Errorf("data shape %s does not match weight %s", ShapeString(d), ShapeString(in[1]))
	}
	if !p.NoBias {
		if m, ok := MergeShape(in[2], Shape{p.NumHidden}); ok {
			in[2] = m
		} else if m, ok := MergeShape(in[2], Shape{p.NumHidden, 1}); ok {
			in[2] = m
		} else {
			return fmt.Errorf("bias shape %s does not match num_hidden %d", ShapeString(in[2]), p.NumHidden)
		}
	}
	var o Shape
	if p.Flatten {
		o = Shape{d[0], p.NumHidden}
	} else {
		o = cloneShape(d)
		o[len(o)-1] = p.NumHidden
	}
	if err := assignShape(&out[0], o, "output"); err != nil {
		return err
	}
	if len(given) == 0 || len(d) < 2 {
		return nil
	}
	back := cloneShape(d)
	back[0] = given[0]
	return assignShape(&in[0], back, "data")
}

// outputNames returns an OutputNames function giving fixed names.
func outputNames(names ...string) func(any, int) string {
	return func(_ any, i int) string {
		if i < len(names) {
			return names[i]
		}
		return ""
	}
}
