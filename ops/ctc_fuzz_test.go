package ops_test

import (
	"math"
	"testing"

	"github.com/mxgo/mxgo/ops/opstest"
	"github.com/mxgo/mxgo/tensor"
)

// FuzzCTCLoss feeds arbitrary attributes, sizes, label values and lengths
// (negative, fractional, NaN, beyond the alphabet or the sequence) to
// CTCLoss. Property: no panic; a result is an error or one finite or +Inf
// non-negative cost per sample.
func FuzzCTCLoss(f *testing.F) {
	f.Add("False", "False", "first", 6, 3, 5, 4, []byte{1, 2, 0, 0, 3, 3, 0, 0, 4, 1, 2, 3}, []byte{})
	f.Add("True", "True", "last", 5, 2, 4, 3, []byte{0, 255, 2, 3, 3, 3}, []byte{5, 0, 3, 9})
	f.Add("1", "0", "first", 0, 1, 1, 0, []byte{}, []byte{0})
	f.Add("True", "False", "x", 3, 2, 2, 3, []byte{128, 1, 1}, []byte{200, 3})
	f.Fuzz(func(t *testing.T, useData, useLabel, blank string, T, N, C, L int, labels, lengths []byte) {
		T, N, C, L = T%16, N%5, C%9, L%8
		if T < 0 || N < 0 || C < 0 || L < 0 {
			return
		}
		attrs := map[string]string{"use_data_lengths": useData, "use_label_lengths": useLabel, "blank_label": blank}
		data, err := tensor.New(tensor.Float32, T, N, C)
		if err != nil {
			return
		}
		for i := range data.Float32s() {
			data.Float32s()[i] = float32(i%11) - 5
		}
		label, err := tensor.New(tensor.Float32, N, L)
		if err != nil {
			return
		}
		value := func(bs []byte, i int) float32 {
			if len(bs) == 0 {
				return 0
			}
			switch b := bs[i%len(bs)]; b {
			case 255:
				return float32(math.NaN())
			case 254:
				return float32(math.Inf(1))
			default:
				return float32(int(b)-4) / 2
			}
		}
		for i := range label.Float32s() {
			label.Float32s()[i] = value(labels, i)
		}
		inputs := []*tensor.Tensor{data, label}
		for _, on := range []string{useData, useLabel} {
			if on != "True" && on != "true" && on != "1" {
				continue
			}
			x, err := tensor.New(tensor.Float32, N)
			if err != nil {
				return
			}
			for i := range x.Float32s() {
				x.Float32s()[i] = value(lengths, i+len(inputs))
			}
			inputs = append(inputs, x)
		}
		out, err := opstest.Run("CTCLoss", attrs, inputs, nil)
		if err != nil {
			return
		}
		for b, v := range out[0].Float32s() {
			if !(v >= 0) {
				t.Fatalf("sample %d: cost %g", b, v)
			}
		}
	})
}
