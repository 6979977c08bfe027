package executor

// Bind-time graph optimisation for inference (on unless
// WithOptimize(false)):
//
//   - BatchNorm folding: a BatchNorm whose data is the output of a
//     Convolution (channel-first, BatchNorm axis 1) or a flattening
//     FullyConnected (axis 1) that nothing else reads and that is not a
//     bound output is folded into the weights and bias of that layer. The
//     folded weight and bias are derived parameters, computed from the
//     given ones whenever a parameter set is installed (Bind, SetParams);
//     GetParams still returns the given ones.
//   - Inference no-ops (Dropout in training mode, _copy/identity,
//     BlockGrad/stop_gradient, make_loss, MakeLoss) are dropped: their
//     readers read the input instead. A no-op whose output is a bound
//     output stays.
//   - Epilogue fusion: a residual elemwise_add/broadcast_add of two values
//     of the same shape and then an activation (Activation relu, sigmoid or
//     tanh; clip with a_min <= a_max, e.g. ReLU6; LeakyReLU leaky; after
//     a Convolution also LeakyReLU prelu with one slope per channel or one
//     for all, the slopes becoming the fused op's last input) that follow
//     a Convolution or FullyConnected whose output only they read are done
//     by the fused op (ops.NewFused) in one pass over each output row,
//     together with the bias.
//   - Weight layouts: a FullyConnected's weight is kept transposed (and
//     packed in panels), a 3×3 stride-1 Convolution's that ops.ConvWinograd
//     accepts as its Winograd transform (ops.ConvWinogradWeights), both
//     derived parameters like the folds.
//
// An entry bound as an output (WithOutputs) is never fused away: the
// optimisation only removes values that a single step reads and that are
// not heads.

import (
	"fmt"
	"math"
	"slices"

	"github.com/mxgo/mxgo/asm"

	"github.com/mxgo/mxgo/ops"
	"github.com/mxgo/mxgo/tensor"
)

// WithOptimize turns the bind-time graph optimisation (BatchNorm folding,
// activation and residual fusion, dropping inference no-ops) on or off.
// It is on by default; turn it off to debug a model or to compare outputs
// op by op. Outputs agree either way to float32 rounding.
func WithOptimize(on bool) Option {
	return func(c *config) error {
		c.noOptimize = !on
		return nil
	}
}

// fold is one BatchNorm folded into the Convolution or FullyConnected
// before it.
type fold struct {
	conv, bn int // node ids
	// indices into Model.params; bias is -1 when the layer has no bias
	weight, bias, gamma, beta, mean, vari int
	eps                                   float32
	fixGamma                              bool
	entryW, entryB                        int // derived entries (ids past the graph's)
	params                                any // the layer's params with no_bias false
}

// findFolds records the BatchNorms that can be folded (see the package
// comment above) and gives each fold two derived entries, the folded
// weight and bias, numbered after the graph's entries.
func (m *Model) findFolds() {
	g := m.g
	readers := make([]int, g.NumEntries())
	head := make([]bool, g.NumEntries())
	for i := range g.Nodes {
		n := &g.Nodes[i]
		if n.IsVariable() || m.skip[i] {
			continue
		}
		for _, e := range n.In {
			readers[g.EntryID(e)]++
		}
	}
	for _, h := range g.Heads {
		head[g.EntryID(h)] = true
	}
	paramOf := make(map[int]int, len(m.params))
	for i, p := range m.params {
		paramOf[p.entry] = i
	}
	param := func(e int) int {
		if i, ok := paramOf[e]; ok && m.types[e] == tensor.Float32 {
			return i
		}
		return -1
	}
	m.foldOf = map[int]int{}
	for i := range g.Nodes {
		bn := &g.Nodes[i]
		if bn.IsVariable() || m.skip[i] || bn.OpName != "BatchNorm" || len(bn.In) != 5 {
			continue
		}
		bp := bn.Params.(*ops.BatchNormParam)
		first := g.RowPtr[i]
		if bp.Axis != 1 || m.types[first] != tensor.Float32 {
			continue
		}
		if readers[first+1] > 0 || readers[first+2] > 0 || head[first+1] || head[first+2] {
			continue
		}
		src := bn.In[0]
		e := g.EntryID(src)
		cn := &g.Nodes[src.Node]
		if src.Index != 0 || readers[e] != 1 || head[e] || m.types[e] != tensor.Float32 {
			continue
		}
		if _, done := m.foldOf[src.Node]; done {
			continue
		}
		f := fold{conv: src.Node, bn: i, bias: -1, eps: float32(bp.Eps), fixGamma: bp.FixGamma}
		switch cp := cn.Params.(type) {
		case *ops.ConvolutionParam:
			if cn.OpName != "Convolution" || cp.Layout.Value.ChannelLast() {
				continue
			}
			c := *cp
			c.NoBias = false
			f.params = &c
		case *ops.FullyConnectedParam:
			if cn.OpName != "FullyConnected" || !cp.Flatten {
				continue
			}
			c := *cp
			c.NoBias = false
			f.params = &c
		default:
			continue
		}
		ok := true
		idx := func(e int) int {
			j := param(e)
			if j < 0 {
				ok = false
			}
			return j
		}
		f.weight = idx(g.EntryID(cn.In[1]))
		if len(cn.In) > 2 {
			f.bias = idx(g.EntryID(cn.In[2]))
		}
		f.gamma = idx(g.EntryID(bn.In[1]))
		f.beta = idx(g.EntryID(bn.In[2]))
		f.mean = idx(g.EntryID(bn.In[3]))
		f.vari = idx(g.EntryID(bn.In[4]))
		if !ok {
			continue
		}
		f.entryW = len(m.types)
		f.entryB = f.entryW + 1
		m.types = append(m.types, tensor.Float32, tensor.Float32)
		m.foldOf[f.conv] = len(m.folds)
		m.foldOf[f.bn] = len(m.folds)
		m.folds = append(m.folds, f)
	}
}

// derive computes the folded weights and biases of ps's values: per output
// channel c, with invstd = 1/√(moving_var + eps) (eps added in float32, as
// MXNet's kernel does) and scale = γ·invstd (γ ≡ 1 with fix_gamma),
// weight'[c] = weight[c]·scale and bias'[c] = (bias[c] − moving_mean[c])·scale
// + β[c], in float64 and rounded once to float32.
func (m *Model) derive(ps *paramSet, what string) error {
	if len(m.folds) == 0 && len(m.packs) == 0 {
		return nil
	}
	ps.derived = make([]*tensor.Tensor, 0, 2*len(m.folds)+len(m.packs))
	for _, f := range m.folds {
		name := m.g.Nodes[f.bn].Name
		wt := ps.values[f.weight]
		if wt == nil || wt.NDim() < 1 {
			return fmt.Errorf("%s: folding %s: weight %s has no output-channel dim", what, name, m.params[f.weight].name)
		}
		c := wt.Dim(0)
		vec := func(i int) ([]float32, error) {
			v := ps.values[i]
			if v == nil || v.Len() != c {
				return nil, fmt.Errorf("%s: folding %s: %s needs %d values", what, name, m.params[i].name, c)
			}
			return v.Float32s(), nil
		}
		gamma, err := vec(f.gamma)
		if err != nil {
			return err
		}
		beta, err := vec(f.beta)
		if err != nil {
			return err
		}
		mean, err := vec(f.mean)
		if err != nil {
			return err
		}
		vari, err := vec(f.vari)
		if err != nil {
			return err
		}
		var bias []float32
		if f.bias >= 0 {
			if bias, err = vec(f.bias); err != nil {
				return err
			}
		}
		w2, err := tensor.New(tensor.Float32, wt.Shape()...)
		if err != nil {
			return fmt.Errorf("%s: folding %s: %w", what, name, err)
		}
		b2, err := tensor.New(tensor.Float32, c)
		if err != nil {
			return fmt.Errorf("%s: folding %s: %w", what, name, err)
		}
		w, wd, bd := wt.Float32s(), w2.Float32s(), b2.Float32s()
		per := 0
		if c > 0 {
			per = len(w) / c
		}
		for ch := range c {
			invstd := float64(1 / float32(math.Sqrt(float64(vari[ch]+f.eps))))
			scale := invstd
			if !f.fixGamma {
				scale *= float64(gamma[ch])
			}
			for j := ch * per; j < (ch+1)*per; j++ {
				wd[j] = float32(float64(w[j]) * scale)
			}
			b := 0.0
			if bias != nil {
				b = float64(bias[ch])
			}
			bd[ch] = float32((b-float64(mean[ch]))*scale + float64(beta[ch]))
		}
		ps.derived = append(ps.derived, w2, b2)
	}
	for _, pk := range m.packs {
		var w *tensor.Tensor
		if pk.fold >= 0 {
			w = ps.derived[2*pk.fold]
		} else {
			w = ps.values[pk.weight]
		}
		if pk.wino {
			u, err := m.winoWeight(&pk, w, what)
			if err != nil {
				return err
			}
			ps.derived = append(ps.derived, u)
			continue
		}
		if w == nil || w.NDim() != 2 || w.Dim(0) != pk.n || w.Dim(1) != pk.k {
			return fmt.Errorf("%s: %s: weight is not (%d, %d)", what, m.g.Nodes[pk.node].Name, pk.n, pk.k)
		}
		t, err := tensor.New(tensor.Float32, pk.k+pk.prows, pk.ld)
		if err != nil {
			return fmt.Errorf("%s: %s: transposed weight: %w", what, m.g.Nodes[pk.node].Name, err)
		}
		src, dst := w.Float32s(), t.Float32s()
		for j := range pk.n {
			for p, v := range src[j*pk.k : (j+1)*pk.k] {
				dst[p*pk.ld+j] = v
			}
		}
		if pk.prows > 0 {
			wt, panels := dst[:pk.k*pk.ld], dst[pk.k*pk.ld:]
			if asm.PanelsLen(pk.k, pk.n) <= len(panels) {
				asm.PackPanels(panels, pk.k, pk.n, wt, pk.ld)
			}
		}
		ps.derived = append(ps.derived, t)
	}
	return nil
}

// pack is one FullyConnected whose weight (n, k) is kept transposed, (k,
// ld) with ld = n rounded up to 64, as a derived entry: computed once per
// parameter set, it lets batch-1 and small-batch products read the weights
// by rows instead of transposing them on every call (asm's SGEMM rounds
// each element the same way either way, so results do not change).
// With wino it is a Convolution whose weight (f, c, 3, 3) is kept as its
// Winograd transform, (16, f, c), when ops.ConvWinograd accepts it (on).
type pack struct {
	wino, decided, on bool
	f, c              int // a Winograd pack's filters and channels, once on
	node              int // the FullyConnected node
	weight            int // index into Model.params (when fold < 0)
	fold              int // index into Model.folds whose folded weight is packed, or -1
	entry             int // the derived entry (id past the graph's)
	wentry            int // the weight's entry in the graph
	n, ld             int
	k                 int // set by Bind's compile, once the weight's shape is known
	// prows: rows of ld floats after the transposed weight holding it
	// packed by asm.PackPanels for large batches (0: none, for weights
	// over panelMaxFloats).
	prows int
}

// panelMaxFloats bounds the weights that also keep a panel-packed copy
// (which doubles their memory): 16 Mi floats, 64 MiB.
const panelMaxFloats = 1 << 24

// panelRows is the rows of ld floats a k×n weight's panels take, for the
// widest kernels of any implementation, or 0 when it gets none.
func panelRows(k, n, ld int) int {
	if k*n > panelMaxFloats || ld == 0 {
		return 0
	}
	return (asm.PanelsMaxLen(k, n) + ld - 1) / ld
}

// findPacks gives every FullyConnected with a float32 parameter weight (or
// a folded one) a transposed-weight entry and switches its params (or its
// fold's) to read it, and every such Convolution a Winograd-weight entry
// that compile switches on where ops.ConvWinograd accepts the layer.
func (m *Model) findPacks() {
	g := m.g
	m.packOf = map[int]int{}
	for i := range g.Nodes {
		n := &g.Nodes[i]
		if n.IsVariable() || m.skip[i] || n.OpName != "FullyConnected" && n.OpName != "Convolution" || len(n.In) < 2 {
			continue
		}
		fp, ok := n.Params.(*ops.FullyConnectedParam)
		_, conv := n.Params.(*ops.ConvolutionParam)
		if !ok && !conv {
			continue
		}
		pk := pack{node: i, weight: -1, fold: -1, wino: conv}
		if ok {
			pk.n = fp.NumHidden
		}
		if fi, folded := m.foldOf[i]; folded {
			pk.fold = fi
		} else {
			e := g.EntryID(n.In[1])
			for j, p := range m.params {
				if p.entry == e && m.types[e] == tensor.Float32 {
					pk.weight = j
				}
			}
			if pk.weight < 0 {
				continue
			}
		}
		pk.wentry, pk.entry = g.EntryID(n.In[1]), len(m.types)
		m.types = append(m.types, tensor.Float32)
		if conv {
			// Decided by compile, once the weight's shape is known.
			m.packOf[i] = len(m.packs)
			m.packs = append(m.packs, pk)
			continue
		}
		pk.ld = (fp.NumHidden + 63) / 64 * 64
		if pk.fold >= 0 {
			f := &m.folds[pk.fold]
			f.params = f.params.(*ops.FullyConnectedParam).WithTransposedWeight(pk.ld)
		}
		m.packOf[i] = len(m.packs)
		m.packs = append(m.packs, pk)
	}
}

// foldStep returns the fused step replacing fold f's Convolution or
// FullyConnected node (reading the derived weight and bias) and writing
// the BatchNorm's output.
func (m *Model) foldStep(s *step, f *fold) error {
	node := &m.g.Nodes[f.conv]
	op, fp, err := ops.NewFused(node.Op, f.params, ops.Epilogue{})
	if err != nil {
		return fmt.Errorf("node %s: %w", node.Name, err)
	}
	s.op, s.params = op, fp
	s.in = []int{s.in[0], f.entryW, f.entryB}
	s.out = []int{m.g.RowPtr[f.bn]}
	return nil
}

// isNoop reports whether step s is an identity at inference.
func isNoop(s *step) bool {
	switch s.op.Name {
	case "_copy", "BlockGrad", "make_loss", "MakeLoss":
		return len(s.in) == 1
	case "Dropout":
		return s.params.(*ops.DropoutParam).Mode == ops.DropoutTraining
	}
	return false
}

// epilogueOf returns the activation a step applies when it can become a
// fused epilogue.
func epilogueOf(s *step) (ops.Epilogue, bool) {
	switch s.op.Name {
	case "Activation":
		switch s.params.(*ops.ActivationParam).ActType {
		case ops.ActReLU:
			return ops.Epilogue{Act: ops.EpilogueReLU}, true
		case ops.ActSigmoid:
			return ops.Epilogue{Act: ops.EpilogueSigmoid}, true
		case ops.ActTanh:
			return ops.Epilogue{Act: ops.EpilogueTanh}, true
		}
	case "clip":
		p := s.params.(*ops.ClipParam)
		if p.AMin <= p.AMax {
			return ops.Epilogue{Act: ops.EpilogueClip, Lo: p.AMin, Hi: p.AMax}, true
		}
	case "LeakyReLU":
		p := s.params.(*ops.LeakyReLUParam)
		if p.ActType == ops.LeakyLeaky && len(s.in) == 1 {
			return ops.Epilogue{Act: ops.EpilogueLeaky, Slope: p.Slope}, true
		}
		if p.ActType == ops.LeakyPReLU && len(s.in) == 2 {
			// The slopes (gamma, s.in[1]) become the fused op's last
			// input; optimizeSteps checks their shape.
			return ops.Epilogue{Act: ops.EpiloguePReLU}, true
		}
	}
	return ops.Epilogue{}, false
}

// fusable returns the base op, base params and epilogue of a step that can
// take an epilogue: a Convolution, a FullyConnected, or a fused step.
func fusable(s *step) (*ops.Op, any, ops.Epilogue, bool) {
	if ops.IsFused(s.op) {
		fp := s.params.(*ops.FusedParam)
		name := "FullyConnected"
		if _, ok := fp.Base.(*ops.ConvolutionParam); ok {
			name = "Convolution"
		}
		base, _ := ops.Lookup(name)
		return base, fp.Base, fp.Epilogue, true
	}
	switch s.op.Name {
	case "Convolution", "FullyConnected":
		return s.op, s.params, ops.Epilogue{}, true
	}
	return nil, nil, ops.Epilogue{}, false
}

// optimizeSteps drops the inference no-ops of steps and fuses residual
// adds and activations into the epilogues of the layers before them.
// A fused step runs where the last step it replaces ran (its inputs are
// all ready there). heads marks the bound outputs, which stay.
func (m *Model) optimizeSteps(steps []step, shapes [][]int, heads []bool) []step {
	n := len(shapes)
	readers := make([]int, n)
	count := func() {
		clear(readers)
		for i := range steps {
			for _, e := range steps[i].in {
				readers[e]++
			}
		}
	}
	count()
	// No-ops: readers of the output read the input instead.
	alias := make([]int, n)
	for i := range alias {
		alias[i] = i
	}
	kept := steps[:0]
	for _, s := range steps {
		for j, e := range s.in {
			s.in[j] = alias[e]
		}
		if isNoop(&s) && !heads[s.out[0]] && m.types[s.in[0]] == m.types[s.out[0]] && hiddenUnused(s.out[1:], readers, heads) {
			alias[s.out[0]] = s.in[0]
			continue
		}
		kept = append(kept, s)
	}
	steps = kept
	count()
	producer := make([]int, n)
	for i := range producer {
		producer[i] = -1
	}
	for i := range steps {
		for _, e := range steps[i].out {
			producer[e] = i
		}
	}
	dead := make([]bool, len(steps))
	// single reports whether entry e (read by t) comes from a live step
	// that can take an epilogue, is read only once and is not an output.
	single := func(e int) (int, bool) {
		pi := producer[e]
		if pi < 0 || dead[pi] || readers[e] != 1 || heads[e] || m.types[e] != tensor.Float32 {
			return -1, false
		}
		if _, _, _, ok := fusable(&steps[pi]); !ok || steps[pi].out[0] != e {
			return -1, false
		}
		return pi, true
	}
	for ti := range steps {
		t := &steps[ti]
		if len(t.out) == 0 || m.types[t.out[0]] != tensor.Float32 || !hiddenUnused(t.out[1:], readers, heads) {
			continue
		}
		var si int
		epi, isAct := epilogueOf(t)
		residual := -1
		switch {
		case isAct && len(t.in) >= 1:
			var ok bool
			if si, ok = single(t.in[0]); !ok {
				continue
			}
			if _, _, cur, _ := fusable(&steps[si]); cur.Act != ops.EpilogueNone {
				continue
			}
			if epi.Act == ops.EpiloguePReLU && (!channelSlopes(shapes, t.in[1], t.out[0]) || m.types[t.in[1]] != tensor.Float32) {
				continue
			}
		case (t.op.Name == "elemwise_add" || t.op.Name == "broadcast_add") && len(t.in) == 2 && t.in[0] != t.in[1]:
			found := false
			for k := range 2 {
				pi, ok := single(t.in[k])
				if !ok {
					continue
				}
				x := t.in[1-k]
				_, _, cur, _ := fusable(&steps[pi])
				if cur.Act != ops.EpilogueNone || cur.Residual || m.types[x] != tensor.Float32 ||
					!equalShape(shapes[x], shapes[t.out[0]]) || !equalShape(shapes[t.in[k]], shapes[t.out[0]]) {
					continue
				}
				si, residual, found = pi, x, true
				break
			}
			if !found {
				continue
			}
		default:
			continue
		}
		s := steps[si]
		base, bp, cur, _ := fusable(&s)
		if isAct {
			cur.Act, cur.Lo, cur.Hi, cur.Slope = epi.Act, epi.Lo, epi.Hi, epi.Slope
		} else {
			cur.Residual = true
		}
		op, fp, err := ops.NewFused(base, bp, cur)
		if err != nil {
			continue // not fusable (e.g. a channel-last layout): left as is
		}
		s.op, s.params = op, fp
		s.in = slices.Clone(s.in)
		if residual >= 0 {
			s.in = append(s.in, residual)
		}
		if isAct && epi.Act == ops.EpiloguePReLU {
			s.in = append(s.in, t.in[1])
		}
		s.out = []int{t.out[0]}
		readers[steps[si].out[0]] = 0
		steps[ti] = s
		dead[si] = true
	}
	kept = steps[:0]
	for i, s := range steps {
		if !dead[i] {
			kept = append(kept, s)
		}
	}
	return kept
}

// channelSlopes reports whether entry gamma holds PReLU slopes a fused
// convolution applies per output channel: shape (C,) or (1,) for an
// output out of shape (N, C, ...).
func channelSlopes(shapes [][]int, gamma, out int) bool {
	g, o := shapes[gamma], shapes[out]
	return len(g) == 1 && len(o) >= 3 && (g[0] == 1 || g[0] == o[1])
}

// hiddenUnused reports whether none of entries is read or an output.
func hiddenUnused(entries []int, readers []int, heads []bool) bool {
	for _, e := range entries {
		if readers[e] > 0 || heads[e] {
			return false
		}
	}
	return true
}

func equalShape(a, b []int) bool {
	if len(a) != len(b) || a == nil {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// winoWeight returns the Winograd transform of a Convolution pack's
// weight w, or nil when the pack is off.
func (m *Model) winoWeight(pk *pack, w *tensor.Tensor, what string) (*tensor.Tensor, error) {
	if !pk.on {
		return nil, nil
	}
	name := m.g.Nodes[pk.node].Name
	if w == nil || !sameShape(w, []int{pk.f, pk.c, 3, 3}) {
		return nil, fmt.Errorf("%s: %s: weight is not (%d, %d, 3, 3)", what, name, pk.f, pk.c)
	}
	u, err := tensor.New(tensor.Float32, 16, pk.f, pk.c)
	if err != nil {
		return nil, fmt.Errorf("%s: %s: winograd weight: %w", what, name, err)
	}
	ops.ConvWinogradWeights(u.Float32s(), w.Float32s(), pk.f, pk.c)
	return u, nil
}

// packParams is the params a pack's layer runs with: its fold's, or its
// node's.
func (m *Model) packParams(pk *pack) any {
	if pk.fold >= 0 {
		return m.folds[pk.fold].params
	}
	return m.g.Nodes[pk.node].Params
}
