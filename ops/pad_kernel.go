package ops

import (
	"fmt"

	"github.com/mxgo/mxgo/tensor"
)

// padForward pads the last two (4-D) or three (5-D) axes of every
// (n, c) volume: constant_value, the edge value, or the reflection about
// the edge (without repeating it), as MXNet's pad_image.
func padForward(_ *Ctx, params any, in, out []*tensor.Tensor) error {
	p := params.(*PadParam)
	if err := float32Only("Pad", in, out); err != nil {
		return err
	}
	x, y := in[0], out[0]
	nd := x.NDim()
	if (nd != 4 && nd != 5) || y.NDim() != nd || len(p.PadWidth) != 2*nd {
		return fmt.Errorf("pad: data %s, output %s and pad_width %v do not match", x, y, p.PadWidth)
	}
	// Treat 4-D as 5-D with a depth of 1 and no depth padding.
	var id, od [3]int
	var before [3]int
	off := 5 - nd
	for a := 0; a < 3; a++ {
		id[a], od[a] = 1, 1
		if ax := a + 2 - off; ax >= 2 {
			id[a], od[a] = x.Dim(ax), y.Dim(ax)
			before[a] = p.PadWidth[2*ax]
			if od[a] != id[a]+before[a]+p.PadWidth[2*ax+1] {
				return fmt.Errorf("pad: output %s does not match data %s padded by %v", y, x, p.PadWidth)
			}
		}
	}
	if x.Dim(0) != y.Dim(0) || x.Dim(1) != y.Dim(1) {
		return fmt.Errorf("pad: output %s does not match data %s", y, x)
	}
	for a := range 3 {
		if id[a] == 0 && od[a] > 0 && p.Mode != PadConstant {
			return fmt.Errorf("pad: cannot %s-pad an empty axis", []string{"", "edge", "reflect"}[p.Mode])
		}
		if p.Mode == PadReflect && (before[a] >= id[a] && before[a] > 0 || od[a]-id[a]-before[a] >= id[a] && od[a] > id[a]) {
			return fmt.Errorf("pad: reflect padding %v must be smaller than the data %s", p.PadWidth, x)
		}
	}
	xd, yd := x.Float32s(), y.Float32s()
	isz := id[0] * id[1] * id[2]
	osz := od[0] * od[1] * od[2]
	cv := float32(p.ConstantValue)
	for k := range x.Dim(0) * x.Dim(1) {
		src, dst := xd[k*isz:(k+1)*isz], yd[k*osz:(k+1)*osz]
		o := 0
		for z := range od[0] {
			iz, okz := padIndex(p.Mode, z, before[0], id[0])
			for i := range od[1] {
				iy, oky := padIndex(p.Mode, i, before[1], id[1])
				row := dst[o : o+od[2]]
				o += od[2]
				if !okz || !oky {
					for j := range row {
						row[j] = cv
					}
					continue
				}
				srow := src[(iz*id[1]+iy)*id[2] : (iz*id[1]+iy+1)*id[2]]
				b := before[2]
				if p.Mode == PadConstant {
					for j := 0; j < b; j++ {
						row[j] = cv
					}
					copy(row[b:], srow)
					for j := b + len(srow); j < len(row); j++ {
						row[j] = cv
					}
					continue
				}
				for j := range row {
					ix, _ := padIndex(p.Mode, j, b, id[2])
					row[j] = srow[ix]
				}
			}
		}
	}
	return nil
}

// padIndex maps output index o of an axis padded by before to the input
// index for mode; ok is false where constant mode writes the constant.
func padIndex(mode, o, before, n int) (int, bool) {
	i := o - before
	switch {
	case i >= 0 && i < n:
		return i, true
	case mode == PadConstant:
		return 0, false
	case mode == PadEdge:
		if i < 0 {
			return 0, true
		}
		return n - 1, true
	}
	// reflect: -1 → 1, n → n-2
	if i < 0 {
		return -i, true
	}
	return 2*(n-1) - i, true
}
