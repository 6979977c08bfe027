package ops

import (
	"fmt"

	"github.com/mxgo/mxgo/tensor"
)

// batchNormBackward is BatchNorm's gradient with MXNet 1.9.1's CPU
// semantics [src/operator/nn/batch_norm.cc BatchNormBackwardImpl]. With
// x̂ = (x − mean)·invstd (mean and invstd as the training forward saved
// them in its mean and var outputs) and g = γ (1 with fix_gamma):
// dβ = Σ dy, dγ = Σ dy·x̂ (0 with fix_gamma), and
// dx = g·invstd·(dy − Σdy/N − x̂·Σ(dy·x̂)/N) with batch statistics, or
// dx = g·invstd·dy with use_global_stats. As MXNet's CPU kernel, a
// training backward without global statistics also updates the moving
// statistics in place: moving = moving·momentum + batch·(1 − momentum),
// with the biased batch variance 1/invstd² − eps.
func batchNormBackward(ctx *Ctx, params any, in, out, outGrad, inGrad []*tensor.Tensor, req []GradReq) error {
	p := params.(*BatchNormParam)
	if err := float32Grads("BatchNorm", in, out, outGrad, inGrad); err != nil {
		return err
	}
	outer, c, inner, err := normSplit(in[0], p.Axis)
	if err != nil {
		return err
	}
	x, dy := in[0].Float32s(), outGrad[0].Float32s()
	gamma := in[1].Float32s()
	mmean, mvar := in[3].Float32s(), in[4].Float32s()
	smean, sinv := out[1].Float32s(), out[2].Float32s()
	if len(dy) != len(x) || len(smean) != c || len(sinv) != c || len(mmean) != c || len(mvar) != c {
		return fmt.Errorf("BatchNorm backward: sizes do not match %d channels", c)
	}
	batchStats := ctx.Train && !p.UseGlobalStats
	n := float32(outer * inner)
	eps := float32(p.Eps)
	for ch := range c {
		mean, invstd := smean[ch], sinv[ch]
		if batchStats {
			variance := float32(0)
			if invstd != 0 {
				variance = 1/(invstd*invstd) - eps
			}
			mmean[ch] = mmean[ch]*p.Momentum + mean*(1-p.Momentum)
			mvar[ch] = mvar[ch]*p.Momentum + variance*(1-p.Momentum)
		}
		var sumDy, sumDyXhat float32
		for o := range outer {
			off := (o*c + ch) * inner
			for i := off; i < off+inner; i++ {
				sumDy += dy[i]
				sumDyXhat += dy[i] * (x[i] - mean) * invstd
			}
		}
		g := float32(1)
		if !p.FixGamma {
			g = gamma[ch]
		}
		if dg := inGrad[1]; dg != nil {
			v := sumDyXhat
			if p.FixGamma {
				v = 0
			}
			if req[1] == GradAdd {
				dg.Float32s()[ch] += v
			} else {
				dg.Float32s()[ch] = v
			}
		}
		if db := inGrad[2]; db != nil {
			if req[2] == GradAdd {
				db.Float32s()[ch] += sumDy
			} else {
				db.Float32s()[ch] = sumDy
			}
		}
		if inGrad[0] == nil {
			continue
		}
		dx := inGrad[0].Float32s()
		k := g * invstd
		for o := range outer {
			off := (o*c + ch) * inner
			for i := off; i < off+inner; i++ {
				var v float32
				if batchStats {
					xhat := (x[i] - mean) * invstd
					v = k * (dy[i] - sumDy/n - xhat*sumDyXhat/n)
				} else {
					v = k * dy[i]
				}
				if req[0] == GradAdd {
					dx[i] += v
				} else {
					dx[i] = v
				}
			}
		}
	}
	return nil
}

// dropoutBackward is Dropout's gradient [src/operator/nn/dropout-inl.h]:
// dx = dy·mask, with the mask (0 or 1/(1−p), broadcast along axes) the
// forward pass drew; an inactive dropout passes dy through.
func dropoutBackward(_ *Ctx, _ any, in, out, outGrad, inGrad []*tensor.Tensor, req []GradReq) error {
	if err := float32Grads("Dropout", outGrad[:1], inGrad); err != nil {
		return err
	}
	if inGrad[0] == nil {
		return nil
	}
	dy, dx := outGrad[0].Float32s(), inGrad[0].Float32s()
	mask := out[1].Float32s()
	if len(mask) == len(dy) {
		gradElems(req[0], dx, func(i int) float32 { return dy[i] * mask[i] })
		return nil
	}
	// Variational dropout: the mask broadcasts along dims of size 1.
	nd := out[0].NDim()
	if out[1].NDim() != nd || nd > dropoutMaxDims {
		return fmt.Errorf("Dropout backward: mask rank %d for %d-D data", out[1].NDim(), nd)
	}
	var ms, idx [dropoutMaxDims]int
	st := 1
	for d := nd - 1; d >= 0; d-- {
		if out[1].Dim(d) != 1 {
			ms[d] = st
		}
		st *= out[1].Dim(d)
	}
	mi := 0
	for k := range dy {
		v := dy[k] * mask[mi]
		if req[0] == GradAdd {
			dx[k] += v
		} else {
			dx[k] = v
		}
		for d := nd - 1; d >= 0; d-- {
			idx[d]++
			mi += ms[d]
			if idx[d] < out[0].Dim(d) {
				break
			}
			mi -= ms[d] * idx[d]
			idx[d] = 0
		}
	}
	return nil
}

// layerNormBackward is LayerNorm's gradient [src/operator/nn/
// layer_norm-inl.h LayerNormGradComputeGeneral]. Along axis, with x̂ =
// (x − mean)/std (the mean and std outputs of the forward) and g =
// dy·γ/std: dβ = Σ dy and dγ = Σ dy·x̂ over every other position, and
// dx = g − mean(g) − x̂·mean(x̂·g). As MXNet, the gradients of the mean and
// std outputs are ignored.
func layerNormBackward(_ *Ctx, params any, in, out, outGrad, inGrad []*tensor.Tensor, req []GradReq) error {
	p := params.(*LayerNormParam)
	if err := float32Grads("LayerNorm", in, out, outGrad[:1], inGrad); err != nil {
		return err
	}
	outer, n, inner, err := normSplit(in[0], p.Axis)
	if err != nil {
		return fmt.Errorf("LayerNorm backward: %w", err)
	}
	x, dy, gamma := in[0].Float32s(), outGrad[0].Float32s(), in[1].Float32s()
	mean, std := out[1].Float32s(), out[2].Float32s()
	if len(dy) != len(x) || len(gamma) != n || len(mean) != outer*inner || len(std) != outer*inner {
		return fmt.Errorf("LayerNorm backward: sizes do not match data %s", in[0])
	}
	var dx, dg, db []float32
	if inGrad[0] != nil {
		dx = inGrad[0].Float32s()
	}
	if inGrad[1] != nil {
		if dg = inGrad[1].Float32s(); req[1] == GradWrite {
			clear(dg)
		}
	}
	if inGrad[2] != nil {
		if db = inGrad[2].Float32s(); req[2] == GradWrite {
			clear(db)
		}
	}
	if n == 0 {
		return nil
	}
	fn := float32(n)
	for o := range outer {
		for i := range inner {
			base := o*n*inner + i
			m, s := mean[o*inner+i], std[o*inner+i]
			var sumG, sumXG float32
			for a := range n {
				j := base + a*inner
				xhat := (x[j] - m) / s
				if dg != nil {
					dg[a] += dy[j] * xhat
				}
				if db != nil {
					db[a] += dy[j]
				}
				gj := dy[j] * gamma[a] / s
				sumG += gj
				sumXG += xhat * gj
			}
			if dx == nil {
				continue
			}
			meanG, meanXG := sumG/fn, sumXG/fn
			for a := range n {
				j := base + a*inner
				xhat := (x[j] - m) / s
				v := dy[j]*gamma[a]/s - meanG - xhat*meanXG
				if req[0] == GradAdd {
					dx[j] += v
				} else {
					dx[j] = v
				}
			}
		}
	}
	return nil
}
