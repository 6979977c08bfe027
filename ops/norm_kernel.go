package ops

import (
	"fmt"
	"math"

	"github.com/mxgo/mxgo/asm"

	"github.com/mxgo/mxgo/tensor"
)

// normSplit views a shape as (outer, dims[axis], inner) for a normalized
// axis, without allocating.
func normSplit(t *tensor.Tensor, axis int) (outer, mid, inner int, err error) {
	nd := t.NDim()
	a := axis
	if a < 0 {
		a += nd
	}
	if a < 0 || a >= nd {
		return 0, 0, 0, fmt.Errorf("axis %d out of range for %d-D data", axis, nd)
	}
	outer, inner = 1, 1
	for i := range a {
		outer *= t.Dim(i)
	}
	for i := a + 1; i < nd; i++ {
		inner *= t.Dim(i)
	}
	return outer, t.Dim(a), inner, nil
}

// batchNormForward computes BatchNorm per channel c along axis:
// y = (x − mean_c)·invstd_c·γ_c + β_c with γ ≡ 1 when fix_gamma. At
// inference (or with use_global_stats) mean and invstd = 1/√(var + eps)
// come from the moving statistics; in a training pass without global stats
// from the batch (biased variance). As MXNet's CPU kernels, the mean output
// receives the mean used and the var output the inverse standard deviation
// (not the variance). eps is added in float32. The moving statistics are
// not updated (MXNet does that in the backward pass).
func batchNormForward(ctx *Ctx, params any, in, out []*tensor.Tensor) error {
	p := params.(*BatchNormParam)
	if err := float32Only("batchnorm", in, out); err != nil {
		return err
	}
	outer, c, inner, err := normSplit(in[0], p.Axis)
	if err != nil {
		return err
	}
	x, y := in[0].Float32s(), out[0].Float32s()
	gamma, beta := in[1].Float32s(), in[2].Float32s()
	mmean, mvar := in[3].Float32s(), in[4].Float32s()
	omean, ovar := out[1].Float32s(), out[2].Float32s()
	if len(x) != outer*c*inner || len(y) != len(x) {
		return fmt.Errorf("output has %d elements, data %d", len(y), len(x))
	}
	for _, v := range [][]float32{gamma, beta, mmean, mvar, omean, ovar} {
		if len(v) != c {
			return fmt.Errorf("parameter vector of %d elements for %d channels", len(v), c)
		}
	}
	eps := float32(p.Eps)
	batchStats := ctx.Train && !p.UseGlobalStats
	for ch := range c {
		var mean, invstd float32
		if batchStats {
			mean, invstd = normBatchStats(x, outer, c, inner, ch, eps)
		} else {
			mean = mmean[ch]
			invstd = 1 / float32(math.Sqrt(float64(mvar[ch]+eps)))
		}
		omean[ch], ovar[ch] = mean, invstd
		scale := invstd
		if !p.FixGamma {
			scale *= gamma[ch]
		}
		b := beta[ch]
		for o := range outer {
			off := (o*c + ch) * inner
			normScaleShift(y[off:off+inner], x[off:off+inner], mean, scale, b)
		}
	}
	return nil
}

// normBatchStats returns channel ch's batch mean and 1/√(biased var + eps)
// (0 when the variance and eps are both 0, as MXNet).
func normBatchStats(x []float32, outer, c, inner, ch int, eps float32) (mean, invstd float32) {
	var sum float32
	for o := range outer {
		off := (o*c + ch) * inner
		for _, v := range x[off : off+inner] {
			sum += v
		}
	}
	n := float32(outer * inner)
	mean = sum / n
	var ss float32
	for o := range outer {
		off := (o*c + ch) * inner
		for _, v := range x[off : off+inner] {
			d := v - mean
			ss += d * d
		}
	}
	if ss == 0 && eps == 0 {
		return mean, 0
	}
	return mean, 1 / float32(math.Sqrt(float64(ss/n+eps)))
}

// normScaleShift sets dst = (x − mean)·scale + shift (dst may alias x),
// as one fused affine map scale·x + (shift − mean·scale).
func normScaleShift(dst, x []float32, mean, scale, shift float32) {
	asm.Affine(dst, x, scale, shift-mean*scale)
}

// layerNormForward computes LayerNorm along axis for every other position:
// y = (x − mean)/√(var + eps)·γ + β with the biased variance; the mean and
// std (√(var + eps)) outputs have the data shape with axis set to 1.
func layerNormForward(_ *Ctx, params any, in, out []*tensor.Tensor) error {
	p := params.(*LayerNormParam)
	if err := float32Only("layernorm", in, out); err != nil {
		return err
	}
	outer, n, inner, err := normSplit(in[0], p.Axis)
	if err != nil {
		return err
	}
	x, y := in[0].Float32s(), out[0].Float32s()
	gamma, beta := in[1].Float32s(), in[2].Float32s()
	omean, ostd := out[1].Float32s(), out[2].Float32s()
	if len(y) != len(x) || len(gamma) != n || len(beta) != n || len(omean) != outer*inner || len(ostd) != outer*inner {
		return fmt.Errorf("tensor sizes do not match data %s", in[0])
	}
	if n == 0 {
		return nil
	}
	fn := float32(n)
	for o := range outer {
		for i := range inner {
			base := o*n*inner + i
			var sum float32
			for a := range n {
				sum += x[base+a*inner]
			}
			mean := sum / fn
			var ss float32
			for a := range n {
				d := x[base+a*inner] - mean
				ss += d * d
			}
			std := float32(math.Sqrt(float64(ss/fn + p.Eps)))
			inv := 1 / std
			omean[o*inner+i], ostd[o*inner+i] = mean, std
			if inner == 1 {
				layerNormRow(y[base:base+n], x[base:base+n], gamma, beta, mean, inv)
				continue
			}
			for a := range n {
				j := base + a*inner
				y[j] = (x[j]-mean)*inv*gamma[a] + beta[a]
			}
		}
	}
	return nil
}

// layerNormRow sets dst[a] = (x[a] − mean)·inv·γ[a] + β[a].
func layerNormRow(dst, x, gamma, beta []float32, mean, inv float32) {
	x, gamma, beta = x[:len(dst)], gamma[:len(dst)], beta[:len(dst)]
	for a, v := range x {
		dst[a] = (v-mean)*inv*gamma[a] + beta[a]
	}
}
