package serialize_test

import (
	"bytes"
	"fmt"

	"github.com/mxgo/mxgo/serialize"
	"github.com/mxgo/mxgo/tensor"
)

// Save a checkpoint as MXNet 1.x does, read it back and split it into
// argument and auxiliary parameters.
func ExampleReadNDArrays() {
	w, _ := tensor.FromSlice([]float32{1, 2, 3, 4}, 2, 2)
	m, _ := tensor.FromSlice([]float32{0.5, -2})
	l := serialize.NewNDArrayList([]string{"arg:fc_weight", "aux:bn_moving_mean"}, []*tensor.Tensor{w, m})
	var buf bytes.Buffer
	if err := serialize.WriteNDArrays(&buf, l, serialize.FormatV2); err != nil {
		panic(err)
	}
	got, err := serialize.ReadNDArrays(&buf)
	if err != nil {
		panic(err)
	}
	for _, a := range got.Arrays {
		fmt.Println(a.Name, a.Tensor)
	}
	args, aux, _ := serialize.SplitParams(got)
	fmt.Println(got.Format, args["fc_weight"].Float32s(), aux["bn_moving_mean"].Float32s())
	// Output:
	// arg:fc_weight float32(2,2)
	// aux:bn_moving_mean float32(2,)
	// v2 [1 2 3 4] [0.5 -2]
}
