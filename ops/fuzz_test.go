package ops_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/mxgo/mxgo/ops"
	"github.com/mxgo/mxgo/ops/opstest"
	"github.com/mxgo/mxgo/tensor"
)

// FuzzOpAttrs feeds every operator arbitrary attribute strings and input
// shapes: parsing and shape inference must return errors rather than
// panic, and when they accept the input, the kernel must run on it (any
// error is fine, a panic is not). Seeds are the golden cases.
//
//	go test ./ops -run '^$' -fuzz FuzzOpAttrs -fuzztime 60s
func FuzzOpAttrs(f *testing.F) {
	b, err := os.ReadFile(filepath.Join(goldenDir, "cases.json"))
	if err != nil {
		f.Fatal(err)
	}
	var cases []golden
	if err := json.Unmarshal(b, &cases); err != nil {
		f.Fatal(err)
	}
	for _, c := range cases {
		arrays, err := readNPZ(filepath.Join(goldenDir, c.File))
		if err != nil {
			f.Fatal(err)
		}
		var shapes []byte
		for _, name := range c.InputNames {
			s := arrays[name].Shape()
			shapes = append(shapes, byte(len(s)))
			for _, d := range s {
				shapes = append(shapes, byte(min(d, 255)))
			}
		}
		var attrs []string
		for _, k := range sortedKeys(c.Attrs) {
			attrs = append(attrs, k+"="+c.Attrs[k])
		}
		f.Add(c.Op, strings.Join(attrs, "\n"), shapes)
	}
	f.Fuzz(func(t *testing.T, name, attrText string, shapeBytes []byte) {
		op, ok := ops.Lookup(name)
		if !ok {
			return
		}
		attrs := map[string]string{}
		for _, line := range strings.Split(attrText, "\n") {
			if k, v, ok := strings.Cut(line, "="); ok {
				attrs[k] = v
			}
		}
		var params any
		if op.Parse != nil {
			if params, err = op.Parse(attrs); err != nil {
				return
			}
		}
		nin, nout := len(op.Inputs(params)), op.Outputs(params)
		if nin > 16 || nout > 64 {
			return
		}
		in := make([]ops.Shape, nin)
		for i := range in {
			if len(shapeBytes) == 0 {
				return
			}
			nd := int(shapeBytes[0]) % 6
			shapeBytes = shapeBytes[1:]
			if len(shapeBytes) < nd {
				return
			}
			in[i] = make(ops.Shape, nd)
			for j := range nd {
				in[i][j] = int(shapeBytes[j]) % 12
			}
			shapeBytes = shapeBytes[nd:]
		}
		inputShapes := make([]ops.Shape, nin)
		for i := range in {
			inputShapes[i] = slices.Clone(in[i])
		}
		out := make([]ops.Shape, nout)
		if op.InferShape == nil || op.InferShape(params, inputShapes, out) != nil {
			return
		}
		for _, s := range out {
			n, err := tensor.NumElements(s, 4)
			if !ops.ShapeKnown(s) || err != nil || n > 1<<20 {
				return
			}
		}
		for i := range in {
			if !slices.Equal(inputShapes[i], in[i]) {
				return // inference asks for other input shapes
			}
		}
		inputs := make([]*tensor.Tensor, nin)
		for i, s := range in {
			x, err := tensor.New(tensor.Float32, s...)
			if err != nil {
				return
			}
			for j, v := range x.Float32s() {
				x.Float32s()[j] = float32(j%7) - 2.5 + float32(v)
			}
			inputs[i] = x
		}
		_, _ = opstest.Run(name, attrs, inputs, nil)
	})
}

func sortedKeys(m map[string]string) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}
