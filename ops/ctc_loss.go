package ops

import (
	"fmt"
	"math"

	"github.com/mxgo/mxgo/tensor"
)

// CTCBlank is CTCLoss's blank_label: which channel is the blank.
type CTCBlank int

// The blank positions, in MXNet's enum order.
const (
	CTCBlankFirst CTCBlank = iota // channel 0; label rows are padded with 0
	CTCBlankLast                  // channel C-1; label rows are padded with -1
)

// CTCLossParam is CTCLoss's parameters [src/operator/nn/ctc_loss-inl.h].
type CTCLossParam struct {
	UseDataLengths  bool     `mx:"use_data_lengths"`
	UseLabelLengths bool     `mx:"use_label_lengths"`
	BlankLabel      CTCBlank `mx:"blank_label" default:"first" enum:"first,last"`
}

func init() {
	// CTCLoss's forward: the connectionist temporal classification loss of
	// each sample, as MXNet 1.9.1's CPU kernel (warp-ctc) defines it. The
	// hidden second output (the gradient, written by MXNet's kernel for
	// training) is left zero: mxgo does not train through CTCLoss.
	Register(&Op{
		Name:    "CTCLoss",
		Aliases: []string{"ctc_loss", "_contrib_CTCLoss", "_contrib_ctc_loss"},
		Params:  NewParams[CTCLossParam](),
		InputNames: func(params any) []string {
			p := params.(*CTCLossParam)
			names := []string{"data", "label"}
			if p.UseDataLengths {
				names = append(names, "data_lengths")
			}
			if p.UseLabelLengths {
				names = append(names, "label_lengths")
			}
			return names
		},
		// MXNet 1.9.1 registers the names under a misspelt key
		// ("FListOutputNAmes"), so its outputs get the default names of a
		// 2-output op: the visible one is <name>_output0.
		NumOutputs:        func(any) int { return 2 },
		NumVisibleOutputs: func(any) int { return 1 },
		InferShape:        ctcLossShape,
		InferType:         ctcLossType,
		Supports:          ctcLossSupports,
		Workspace:         ctcLossWorkspace,
		WorkspaceShares:   func(any, []Shape, int) int { return 1 },
		Forward:           ctcLossForward,
	})
}

// ctcLossShape follows CTCLossOpShape: data (T, N, C), label (N, L) with
// L <= T, lengths (N); outputs (N) and the data's shape.
func ctcLossShape(params any, in, out []Shape) error {
	p := params.(*CTCLossParam)
	d, l := in[0], in[1]
	if d != nil && len(d) != 3 {
		return fmt.Errorf("data must have 3 dims (sequence, batch, alphabet), got %s", ShapeString(d))
	}
	if l != nil && len(l) != 2 {
		return fmt.Errorf("label must have 2 dims (batch, label length), got %s", ShapeString(l))
	}
	batch := -1
	if d != nil {
		batch = d[1]
	}
	if l != nil {
		if batch >= 0 && l[0] >= 0 && l[0] != batch {
			return fmt.Errorf("label batch %d does not match data batch %d", l[0], batch)
		}
		if batch < 0 {
			batch = l[0]
		}
		if d != nil && d[0] >= 0 && l[1] > d[0] {
			return fmt.Errorf("label length %d exceeds the sequence length %d", l[1], d[0])
		}
	}
	k := 2
	for _, use := range []struct {
		on   bool
		what string
	}{{p.UseDataLengths, "data_lengths"}, {p.UseLabelLengths, "label_lengths"}} {
		if !use.on {
			continue
		}
		if err := assignShape(&in[k], Shape{batch}, use.what); err != nil {
			return err
		}
		k++
	}
	if err := assignShape(&out[0], Shape{batch}, "output"); err != nil {
		return err
	}
	if d != nil {
		return assignShape(&out[1], d, "grad")
	}
	return nil
}

// ctcLossType: both outputs have the data's dtype; the inputs are read as
// MXNet reads them (data and data_lengths as float32, label_lengths with
// the label's dtype), checked by ctcLossSupports.
func ctcLossType(_ any, in, out []tensor.DType) error {
	if in[0] == UnknownType {
		return nil
	}
	if err := assignType(&out[0], in[0], "output"); err != nil {
		return err
	}
	return assignType(&out[1], in[0], "grad")
}

func ctcLossSupports(params any, in []tensor.DType) error {
	p := params.(*CTCLossParam)
	if err := float32Data(nil, in); err != nil {
		return err
	}
	k := 2
	if p.UseDataLengths {
		if k < len(in) && in[k] != UnknownType && in[k] != tensor.Float32 {
			return fmt.Errorf("data_lengths is %s; MXNet reads it as float32", in[k])
		}
		k++
	}
	if p.UseLabelLengths && k < len(in) && in[k] != UnknownType && in[1] != UnknownType && in[k] != in[1] {
		return fmt.Errorf("label_lengths is %s; MXNet reads it with the label's dtype %s", in[k], in[1])
	}
	return nil
}

// ctcLossWorkspace: per sample, the extended label (blanks between and
// around the L labels, S = 2L+1 entries) and two rows of forward
// variables.
func ctcLossWorkspace(_ any, in []Shape) int {
	if len(in) < 2 || len(in[1]) != 2 || in[1][1] < 0 {
		return 0
	}
	return 3 * (2*in[1][1] + 1)
}

// ctcLossForward computes, for each sample b, -log p(label_b | x_b) where
// x_b is the softmax over the alphabet of the first T_b steps of data[:, b]
// and p sums over every CTC alignment (a label emitted over one or more
// steps, blanks anywhere, a blank between two equal labels). Like MXNet's
// CPU kernel it returns 0 when the label cannot fit in T_b steps (L plus
// the number of adjacent repeats exceeds T_b). The forward variables are
// kept in log space, one time step at a time.
func ctcLossForward(ctx *Ctx, params any, in, out []*tensor.Tensor) error {
	p := params.(*CTCLossParam)
	data, label := in[0], in[1]
	if label == nil {
		return fmt.Errorf("CTCLoss needs its label input: bind it as a data input")
	}
	T, N, C := data.Dim(0), data.Dim(1), data.Dim(2)
	if C < 1 || C > 1<<24 {
		return fmt.Errorf("alphabet size %d outside [1, %d]", C, 1<<24)
	}
	width := label.Dim(1)
	x := data.Float32s()
	cost := out[0].Float32s()
	clear(out[1].Float32s())
	blank, pad := 0, 0
	if p.BlankLabel == CTCBlankLast {
		blank, pad = C-1, -1
	}
	k := 2
	var dataLen, labelLen *tensor.Tensor
	if p.UseDataLengths {
		dataLen = in[k]
		k++
	}
	if p.UseLabelLengths {
		labelLen = in[k]
	}
	S := 2*width + 1
	scratch := ctx.Scratch[:3*S]
	ext, alpha, next := scratch[:S], scratch[S:2*S], scratch[2*S:3*S]
	for b := range N {
		if err := ctx.Err(); err != nil {
			return err
		}
		tb := T
		if dataLen != nil {
			v := dataLen.Float64At(b)
			if !(v >= 0 && v < float64(T)+1) {
				return fmt.Errorf("data_lengths[%d] is %g, outside [0, %d]", b, v, T)
			}
			tb = int(v)
		}
		n := width
		if labelLen != nil {
			v := labelLen.Float64At(b)
			if !(v >= 0 && v < float64(width)+1) {
				return fmt.Errorf("label_lengths[%d] is %g, outside [0, %d]", b, v, width)
			}
			n = int(v)
		} else {
			for j := range width {
				if v := label.Float64At(b*width + j); !math.IsNaN(v) && int(v) == pad {
					n = j
					break
				}
			}
		}
		repeats := 0
		for j := range n {
			v := label.Float64At(b*width + j)
			if !(v > -1 && v < float64(C)) {
				return fmt.Errorf("label[%d][%d] is %g, outside [0, %d)", b, j, v, C)
			}
			ext[2*j] = float32(blank)
			ext[2*j+1] = float32(int(v))
			if j > 0 && ext[2*j+1] == ext[2*j-1] {
				repeats++
			}
		}
		s := 2*n + 1
		ext[s-1] = float32(blank)
		switch {
		case n+repeats > tb:
			cost[b] = 0
		case tb == 0:
			cost[b] = float32(math.Inf(1))
		default:
			cost[b] = float32(-ctcLogLikelihood(x, b, N, C, tb, ext[:s], alpha[:s], next[:s], blank))
		}
	}
	return nil
}

// ctcLogLikelihood runs the CTC forward recursion over the tb steps of
// sample b (x is data (T, N, C) flattened) for the extended label ext and
// returns log p(label).
func ctcLogLikelihood(x []float32, b, n, c, tb int, ext, alpha, next []float32, blank int) float64 {
	s := len(ext)
	negInf := float32(math.Inf(-1))
	for t := range tb {
		row := x[(t*n+b)*c : (t*n+b+1)*c]
		m := row[0]
		for _, v := range row[1:] {
			m = max(m, v)
		}
		var sum float64
		for _, v := range row {
			sum += math.Exp(float64(v - m))
		}
		norm := float64(m) + math.Log(sum)
		if t == 0 {
			for i := range alpha {
				alpha[i] = negInf
			}
			alpha[0] = float32(float64(row[int(ext[0])]) - norm)
			if s > 1 {
				alpha[1] = float32(float64(row[int(ext[1])]) - norm)
			}
			continue
		}
		for i := range s {
			acc := float64(alpha[i])
			if i >= 1 {
				acc = logAddExp(acc, float64(alpha[i-1]))
			}
			if i >= 2 && int(ext[i]) != blank && ext[i] != ext[i-2] {
				acc = logAddExp(acc, float64(alpha[i-2]))
			}
			next[i] = float32(acc + float64(row[int(ext[i])]) - norm)
		}
		copy(alpha, next)
	}
	ll := float64(alpha[s-1])
	if s > 1 {
		ll = logAddExp(ll, float64(alpha[s-2]))
	}
	return ll
}

// logAddExp is log(exp(a) + exp(b)) without overflow; -Inf is the zero.
func logAddExp(a, b float64) float64 {
	if math.IsInf(a, -1) {
		return b
	}
	if math.IsInf(b, -1) {
		return a
	}
	return max(a, b) + math.Log1p(math.Exp(-math.Abs(a-b)))
}
