package ops

import (
	"fmt"
	"math"

	"github.com/mxgo/mxgo/tensor"
)

// l2NormForward divides the data by sqrt(eps + sum of squares) over the
// non-batch dims (instance), the channel axis (channel) or the spatial
// dims (spatial), writing the norms to the hidden second output, as
// MXNet's CPU L2NormalizationOp.
func l2NormForward(_ *Ctx, params any, in, out []*tensor.Tensor) error {
	p := params.(*L2NormalizationParam)
	if err := float32Only("L2Normalization", in, out); err != nil {
		return err
	}
	x, y, nrm := in[0], out[0], out[1]
	if x.NDim() == 0 || y.Len() != x.Len() {
		return fmt.Errorf("l2normalization: data %s and output %s differ", x, y)
	}
	// View the data as (n, c, s): instance reduces c·s with c = 1; channel
	// reduces c for each s; spatial reduces s for each c.
	n := x.Dim(0)
	c, s := 1, 1
	if p.Mode == L2Instance {
		s = x.Len() / max(n, 1)
	} else {
		if x.NDim() < 3 {
			return fmt.Errorf("l2normalization: data %s needs 3 dims", x)
		}
		c = x.Dim(1)
		s = x.Len() / max(n*c, 1)
	}
	xd, yd, nd := x.Float32s(), y.Float32s(), nrm.Float32s()
	eps := p.Eps
	switch p.Mode {
	case L2Instance:
		if len(nd) != n {
			return fmt.Errorf("l2normalization: norm %s, want (%d,)", nrm, n)
		}
		for b := range n {
			row := xd[b*s : (b+1)*s]
			acc := eps
			for _, v := range row {
				acc += v * v
			}
			nv := float32(math.Sqrt(float64(acc)))
			nd[b] = nv
			dst := yd[b*s : (b+1)*s]
			for i, v := range row {
				dst[i] = v / nv
			}
		}
	case L2Channel:
		if len(nd) != n*s {
			return fmt.Errorf("l2normalization: norm %s, want %d elements", nrm, n*s)
		}
		for b := range n {
			base := b * c * s
			nb := nd[b*s : (b+1)*s]
			for j := range nb {
				nb[j] = eps
			}
			for k := range c {
				row := xd[base+k*s : base+(k+1)*s]
				for j, v := range row {
					nb[j] += v * v
				}
			}
			for j, v := range nb {
				nb[j] = float32(math.Sqrt(float64(v)))
			}
			for k := range c {
				row := xd[base+k*s : base+(k+1)*s]
				dst := yd[base+k*s : base+(k+1)*s]
				for j, v := range row {
					dst[j] = v / nb[j]
				}
			}
		}
	default:
		if len(nd) != n*c {
			return fmt.Errorf("l2normalization: norm %s, want %d elements", nrm, n*c)
		}
		for r := range n * c {
			row := xd[r*s : (r+1)*s]
			acc := eps
			for _, v := range row {
				acc += v * v
			}
			nv := float32(math.Sqrt(float64(acc)))
			nd[r] = nv
			dst := yd[r*s : (r+1)*s]
			for i, v := range row {
				dst[i] = v / nv
			}
		}
	}
	return nil
}
