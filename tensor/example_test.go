package tensor_test

import (
	"fmt"

	"github.com/mxgo/mxgo/tensor"
)

// A batch cut into chunks without copying: each chunk is a view of the
// batch's rows, and the kept view is re-pointed for every chunk.
func ExampleTensor_ViewRows() {
	batch, _ := tensor.FromSlice([]float32{1, 2, 3, 4, 5, 6, 7, 8}, 4, 2)
	var chunk tensor.Tensor
	for lo := 0; lo < batch.Dim(0); lo += 3 {
		if err := batch.ViewRows(&chunk, lo, min(lo+3, batch.Dim(0))); err != nil {
			fmt.Println(err)
			return
		}
		fmt.Println(chunk.String(), chunk.Float32s())
	}
	// Output:
	// float32(3,2) [1 2 3 4 5 6]
	// float32(1,2) [7 8]
}
