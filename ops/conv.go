package ops

import (
	"fmt"
	"strings"
)

// ConvGeometry holds the parameters Convolution and Deconvolution share.
// After parsing, Stride, Dilate and Pad have one entry per kernel dim
// (the ops' ParamParser fills 1s and 0s).
type ConvGeometry struct {
	Kernel    []int         `mx:"kernel" required:""`
	Stride    []int         `mx:"stride" default:"()"`
	Dilate    []int         `mx:"dilate" default:"()"`
	Pad       []int         `mx:"pad" default:"()"`
	NumFilter int           `mx:"num_filter" required:"" min:"1"`
	NumGroup  int           `mx:"num_group" default:"1" min:"1"`
	CudnnTune Optional[int] `mx:"cudnn_tune" enum:"off,limited_workspace,fastest"`
	CudnnOff  bool          `mx:"cudnn_off"`
}

// ConvolutionParam is Convolution's parameters
// [src/operator/nn/convolution-inl.h]; Layout is set after parsing.
type ConvolutionParam struct {
	ConvGeometry
	Workspace uint64           `mx:"workspace" default:"1024"`
	NoBias    bool             `mx:"no_bias"`
	Layout    Optional[Layout] `mx:"layout" enum:"NCW,NCHW,NCDHW,NWC,NHWC,NDHWC"`
	// Epilogue, when non-nil, is a fused transform of the output with
	// extra inputs (see convEpilogue); never set from attributes.
	epilogue *convEpilogue
	// winograd: the weight input is the Winograd transform of the
	// weight, (16, F, C) (WithWinogradWeight; never set from attributes).
	winograd bool
}

// DeconvolutionParam is Deconvolution's parameters
// [src/operator/nn/deconvolution-inl.h]; Adj is filled like Pad.
type DeconvolutionParam struct {
	ConvGeometry
	Adj         []int            `mx:"adj" default:"()"`
	TargetShape []int            `mx:"target_shape" default:"()"`
	Workspace   uint64           `mx:"workspace" default:"512"`
	NoBias      bool             `mx:"no_bias" default:"true"`
	Layout      Optional[Layout] `mx:"layout" enum:"NCW=0,NCHW=1,NCDHW=2,NHWC=4,NDHWC=5"`
}

var (
	convolutionParams   = NewParams[ConvolutionParam]()
	deconvolutionParams = NewParams[DeconvolutionParam]()
)

func init() {
	conv := registerConv("Convolution", convolutionParams, parseConvolution, convolutionShape,
		func(params any) bool { return params.(*ConvolutionParam).NoBias })
	conv.Forward, conv.Workspace, conv.WorkspaceShares = convolutionForward, convWorkspace, convShares
	conv.Supports = convSupports
	conv.InputNames = func(params any) []string {
		p := params.(*ConvolutionParam)
		names := weightBiasInputs(p.NoBias)
		if p.epilogue != nil {
			names = append(names, p.epilogue.inputNames()...)
		}
		return names
	}
	conv.Backward, conv.BackwardWorkspace = convolutionBackward, convBackwardWorkspace
	deconv := registerConv("Deconvolution", deconvolutionParams, parseDeconvolution, deconvolutionShape,
		func(params any) bool { return params.(*DeconvolutionParam).NoBias })
	deconv.Forward, deconv.Workspace, deconv.WorkspaceShares = deconvolutionForward, deconvWorkspace, oneShare
	deconv.Supports = convSupports
	deconv.Backward, deconv.BackwardWorkspace = deconvolutionBackward, deconvWorkspace
}

// registerConv registers a convolution-like op: inputs data, weight and,
// unless no_bias, bias; alias _npx_<lower-case name>.
func registerConv(name string, params interface{ Fields() []ParamField }, parse func(map[string]string) (any, error),
	shape func(any, []Shape, []Shape) error, noBias func(any) bool) *Op {
	return Register(&Op{
		Name:        name,
		PerSample:   perSampleAlways,
		Aliases:     []string{"_npx_" + strings.ToLower(name)},
		Params:      params,
		Parse:       parse,
		InputNames:  func(params any) []string { return weightBiasInputs(noBias(params)) },
		OutputNames: outputNames("output"),
		InferShape:  shape,
		InferType:   SameType,
	})
}

func weightBiasInputs(noBias bool) []string {
	if noBias {
		return []string{"data", "weight"}
	}
	return []string{"data", "weight", "bias"}
}

// parseConvolution is ConvolutionParamParser.
func parseConvolution(attrs map[string]string) (any, error) {
	p, err := convolutionParams.Parse(attrs)
	if err != nil {
		return nil, err
	}
	return p, p.finish(&p.Layout, "convolution")
}

// parseDeconvolution is DeconvolutionParamParser (adj defaults to 0s too).
func parseDeconvolution(attrs map[string]string) (any, error) {
	p, err := deconvolutionParams.Parse(attrs)
	if err != nil {
		return nil, err
	}
	if err := p.finish(&p.Layout, "deconvolution"); err != nil {
		return nil, err
	}
	if p.Adj, err = fillSpatial(p.Adj, len(p.Kernel), 0, "adj"); err != nil {
		return nil, err
	}
	return p, p.validateDeconv()
}

// validateDeconv checks the geometry, adj and target_shape of p.
func (p *DeconvolutionParam) validateDeconv() error {
	if err := p.validateLayout(p.Layout.Value); err != nil {
		return err
	}
	if len(p.Adj) != len(p.Kernel) {
		return fmt.Errorf("adj %s must have one entry per kernel dim", ShapeString(p.Adj))
	}
	if err := checkRange(p.Adj, 0, maxAttrDim, "adj"); err != nil {
		return err
	}
	return checkRange(p.TargetShape, 0, maxAttrDim, "target_shape")
}

// finish checks 1-3 kernel dims, fills stride and dilate with 1s, pad with
// 0s and the layout with the channel-first one.
func (g *ConvGeometry) finish(layout *Optional[Layout], what string) error {
	k := len(g.Kernel)
	if k < 1 || k > 3 {
		return fmt.Errorf("%d-D %s not supported", k, what)
	}
	var err error
	if g.Stride, err = fillSpatial(g.Stride, k, 1, "stride"); err != nil {
		return err
	}
	if g.Dilate, err = fillSpatial(g.Dilate, k, 1, "dilate"); err != nil {
		return err
	}
	if g.Pad, err = fillSpatial(g.Pad, k, 0, "pad"); err != nil {
		return err
	}
	if !layout.Set {
		*layout = Some(defaultLayout(k))
	}
	if layout.Value.SpatialDims() != k {
		return fmt.Errorf("layout %s does not match a %d-D kernel", layout.Value, k)
	}
	return g.validate()
}

// validate is ConvolutionShape's and DeconvolutionShape's attribute checks
// (kernel, stride and dilate positive, num_filter divisible by num_group),
// made per entry (MXNet checks the product, which lets (-1,-1) through),
// plus non-negative pads and a 2^31 bound on every entry so the output-size
// arithmetic cannot overflow.
func (g *ConvGeometry) validate() error {
	k := len(g.Kernel)
	if k < 1 || k > 3 {
		return fmt.Errorf("kernel %s: %d-D convolution not supported", ShapeString(g.Kernel), k)
	}
	if len(g.Stride) != k || len(g.Dilate) != k || len(g.Pad) != k {
		return fmt.Errorf("stride %s, dilate %s and pad %s must have one entry per kernel dim %s",
			ShapeString(g.Stride), ShapeString(g.Dilate), ShapeString(g.Pad), ShapeString(g.Kernel))
	}
	for _, c := range []struct {
		v    []int
		lo   int
		what string
	}{{g.Kernel, 1, "kernel"}, {g.Stride, 1, "stride"}, {g.Dilate, 1, "dilate"}, {g.Pad, 0, "pad"}} {
		if err := checkRange(c.v, c.lo, maxAttrDim, c.what); err != nil {
			return err
		}
	}
	if g.NumFilter < 1 {
		return fmt.Errorf("num_filter %d must be positive", g.NumFilter)
	}
	if g.NumGroup < 1 {
		return fmt.Errorf("num_group %d must be positive", g.NumGroup)
	}
	if g.NumFilter%g.NumGroup != 0 {
		return fmt.Errorf("num_filter %d not divisible by num_group %d", g.NumFilter, g.NumGroup)
	}
	return nil
}

// validate is validate for the geometry and the layout: the layout must
// have the kernel's spatial dims.
func (g *ConvGeometry) validateLayout(l Layout) error {
	if err := g.validate(); err != nil {
		return err
	}
	if l.SpatialDims() != len(g.Kernel) {
		return fmt.Errorf("layout %s does not match a %d-D kernel", l, len(g.Kernel))
	}
	return nil
}

// DilatedKernel is the extent of kernel dim i with dilation.
func (g *ConvGeometry) DilatedKernel(i int) int { return g.Dilate[i]*(g.Kernel[i]-1) + 1 }

// data checks the data rank and the group divisibility and returns the
// data shape in (N, C, spatial...) order.
func (g *ConvGeometry) data(d Shape, l Layout) (Shape, error) {
	k := len(g.Kernel)
	if len(d) != k+2 {
		return nil, fmt.Errorf("data %s must be %d-D (layout %s)", ShapeString(d), k+2, l)
	}
	n := toNC(d, l)
	if n[1] >= 0 && n[1]%g.NumGroup != 0 {
		return nil, fmt.Errorf("input channels %d not divisible by num_group %d", n[1], g.NumGroup)
	}
	if g.NumFilter%g.NumGroup != 0 {
		return nil, fmt.Errorf("num_filter %d not divisible by num_group %d", g.NumFilter, g.NumGroup)
	}
	return n, nil
}

// params assigns the weight (given in NC order) and bias shapes.
func (g *ConvGeometry) params(in []Shape, w Shape, l Layout, noBias bool) error {
	if err := assignShape(&in[1], fromNC(w, l), "weight"); err != nil {
		return fmt.Errorf("data shape %s does not match weight %s", ShapeString(in[0]), ShapeString(in[1]))
	}
	if noBias {
		return nil
	}
	return assignShape(&in[2], Shape{g.NumFilter}, "bias")
}

// output assigns the output (given in NC order) and sends the batch dim
// and, for stride-1 dims, the spatial size (back(i, out)) to the data.
func (g *ConvGeometry) output(in, out []Shape, d, o Shape, l Layout, back func(i, o int) int) error {
	if err := assignShape(&out[0], fromNC(o, l), "output"); err != nil {
		return err
	}
	on := toNC(out[0], l)
	d[0] = on[0]
	for i := range g.Kernel {
		if on[2+i] >= 0 && g.Stride[i] == 1 {
			d[2+i] = back(i, on[2+i])
		}
	}
	return assignShape(&in[0], fromNC(d, l), "data")
}

// convolutionShape follows ConvolutionShape for 1-3 spatial dims in any
// layout: weight (num_filter, C/num_group, kernel...) in layout order, bias
// (num_filter,), output spatial (in + 2*pad - dilate*(k-1) - 1)/stride + 1.
// The batch dim, a stride-1 spatial dim and the channel count (from the
// weight) flow back to the data.
func convolutionShape(params any, in, out []Shape) error {
	p := params.(*ConvolutionParam)
	l := p.Layout.Value
	if err := p.validateLayout(l); err != nil {
		return err
	}
	if in[0] == nil {
		return nil
	}
	d, err := p.data(in[0], l)
	if err != nil {
		return err
	}
	cg := -1
	if d[1] >= 0 {
		cg = d[1] / p.NumGroup
	}
	if err := p.params(in, append(Shape{p.NumFilter, cg}, p.Kernel...), l, p.NoBias); err != nil {
		return err
	}
	if d[1] < 0 {
		if wc := toNC(in[1], l)[1]; wc >= 0 {
			d[1] = wc * p.NumGroup
		}
	}
	o := Shape{d[0], p.NumFilter}
	for i := range p.Kernel {
		x, dk := d[2+i], p.DilatedKernel(i)
		if x < 0 {
			o = append(o, -1)
			continue
		}
		padded, err := addDim(x, 2*p.Pad[i])
		if err != nil {
			return err
		}
		if dk > padded {
			return fmt.Errorf("kernel %s (dilated %d) exceeds input %s padded by %d", ShapeString(p.Kernel), dk, ShapeString(in[0]), p.Pad[i])
		}
		o = append(o, (padded-dk)/p.Stride[i]+1)
	}
	if err := p.output(in, out, d, o, l, func(i, o int) int { return o + p.DilatedKernel(i) - 1 - 2*p.Pad[i] }); err != nil {
		return err
	}
	if p.epilogue != nil {
		if err := p.epilogue.validate(); err != nil {
			return err
		}
		return p.epilogue.shape(in, len(weightBiasInputs(p.NoBias)), p.NumFilter, out[0])
	}
	return nil
}

// deconvPadAdj returns Deconvolution's effective pad and adj for input
// spatial dims in (InferPad): with a non-zero target_shape they are derived
// so the output matches it; otherwise they are the parameters.
func deconvPadAdj(p *DeconvolutionParam, in []int) (pad, adj []int, err error) {
	k := len(p.Kernel)
	useTarget := false
	for _, t := range p.TargetShape {
		if t != 0 {
			useTarget = true
		}
	}
	if !useTarget {
		return p.Pad, p.Adj, nil
	}
	if len(p.TargetShape) != k {
		return nil, nil, fmt.Errorf("target_shape %s must have one entry per kernel dim", ShapeString(p.TargetShape))
	}
	pad, adj = make([]int, k), make([]int, k)
	for i := 0; i < k; i++ {
		if in[i] < 0 {
			continue
		}
		if in[i] < 1 {
			return nil, nil, fmt.Errorf("empty spatial input dim %d", in[i])
		}
		t, err := mulDim(p.Stride[i], in[i]-1)
		if err != nil {
			return nil, nil, err
		}
		if t, err = addDim(t, p.DilatedKernel(i)); err != nil {
			return nil, nil, err
		}
		if t < p.TargetShape[i] {
			return nil, nil, fmt.Errorf("target_shape %s too big", ShapeString(p.TargetShape))
		}
		t -= p.TargetShape[i]
		adj[i] = t % 2
		pad[i] = (t + 1) / 2
	}
	return pad, adj, nil
}

// deconvolutionShape follows DeconvolutionShape: weight (C, num_filter/
// num_group, kernel...), output spatial stride*(in-1) + dilate*(k-1) + 1 -
// 2*pad + adj.
func deconvolutionShape(params any, in, out []Shape) error {
	p := params.(*DeconvolutionParam)
	if err := p.validateDeconv(); err != nil {
		return err
	}
	if in[0] == nil {
		return nil
	}
	l := p.Layout.Value
	d, err := p.data(in[0], l)
	if err != nil {
		return err
	}
	if err := p.params(in, append(Shape{d[1], p.NumFilter / p.NumGroup}, p.Kernel...), l, p.NoBias); err != nil {
		return err
	}
	pad, adj, err := deconvPadAdj(p, d[2:])
	if err != nil {
		return err
	}
	strideProd := prod(p.Stride)
	o := Shape{d[0], p.NumFilter}
	for i := range p.Kernel {
		if adj[i] > strideProd-1 {
			return fmt.Errorf("adj %s must be smaller than stride %s", ShapeString(adj), ShapeString(p.Stride))
		}
		if d[2+i] < 0 {
			o = append(o, -1)
			continue
		}
		if d[2+i] < 1 {
			return fmt.Errorf("data %s has an empty spatial dim", ShapeString(in[0]))
		}
		x, err := mulDim(p.Stride[i], d[2+i]-1)
		if err != nil {
			return err
		}
		if x, err = addDim(x, p.DilatedKernel(i)+adj[i]); err != nil {
			return err
		}
		if x -= 2 * pad[i]; x < 1 {
			return fmt.Errorf("pad %s leaves no output for data %s", ShapeString(pad), ShapeString(in[0]))
		}
		o = append(o, x)
	}
	if len(p.TargetShape) == len(p.Kernel) {
		for i, t := range p.TargetShape {
			if t > 0 && o[2+i] >= 0 && t != o[2+i] {
				return fmt.Errorf("target_shape %s does not match the output %s", ShapeString(p.TargetShape), ShapeString(o))
			}
		}
	}
	return p.output(in, out, d, o, l, func(i, o int) int { return o + 2*pad[i] - p.DilatedKernel(i) + 1 - adj[i] })
}
