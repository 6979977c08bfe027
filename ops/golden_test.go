package ops_test

import (
	"archive/zip"
	"bytes"
	"encoding/binary"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/mxgo/mxgo/asm"
	"github.com/mxgo/mxgo/ops"
	"github.com/mxgo/mxgo/ops/opstest"
	"github.com/mxgo/mxgo/tensor"
)

// goldenCase selects golden cases by name (a regular expression matched
// against the whole name), e.g.
//
//	go test ./ops -run Golden -golden.case='Convolution_.*'
var goldenCase = flag.String("golden.case", "", "regexp selecting golden cases by full name (default: all)")

// goldenDir holds cases.json and the .npz files written by
// testdata/ops/gen_ops.py.
const goldenDir = "../testdata/ops"

// golden is one entry of testdata/ops/cases.json.
type golden struct {
	Name              string            `json:"name"`
	Op                string            `json:"op"`
	Attrs             map[string]string `json:"attrs"`
	File              string            `json:"file"`
	InputNames        []string          `json:"input_names"`
	NumAux            int               `json:"num_aux"`
	Outputs           int               `json:"outputs"`
	NumVisibleOutputs int               `json:"num_visible_outputs"`
	UncheckedOutputs  []int             `json:"unchecked_outputs"`
	OutDTypes         []*string         `json:"out_dtypes"`
	RTol              float64           `json:"rtol"`
	ATol              float64           `json:"atol"`
}

func loadGoldens(t *testing.T) []golden {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(goldenDir, "cases.json"))
	if err != nil {
		t.Fatalf("read goldens: %v", err)
	}
	var cases []golden
	if err := json.Unmarshal(b, &cases); err != nil {
		t.Fatalf("parse cases.json: %v", err)
	}
	if len(cases) == 0 {
		t.Fatal("cases.json lists no cases")
	}
	return cases
}

// TestGoldenOps runs every operator golden under every kernel
// implementation and compares the visible outputs with the float64
// reference within the case's tolerance.
func TestGoldenOps(t *testing.T) {
	cases := loadGoldens(t)
	var sel *regexp.Regexp
	if *goldenCase != "" {
		var err error
		if sel, err = regexp.Compile("^(?:" + *goldenCase + ")$"); err != nil {
			t.Fatalf("-golden.case: %v", err)
		}
	}
	ran := 0
	for _, c := range cases {
		if sel != nil && !sel.MatchString(c.Name) {
			continue
		}
		ran++
		t.Run(c.Name, func(t *testing.T) { runGolden(t, c) })
	}
	if ran == 0 {
		t.Errorf("-golden.case %q matches no case", *goldenCase)
	}
}

func runGolden(t *testing.T, c golden) {
	arrays, err := readNPZ(filepath.Join(goldenDir, c.File))
	if err != nil {
		t.Fatalf("%s: %v", c.File, err)
	}
	op, ok := ops.Lookup(c.Op)
	if !ok {
		t.Fatalf("operator %q is not registered", c.Op)
	}
	var params any
	if op.Parse != nil {
		if params, err = op.Parse(c.Attrs); err != nil {
			t.Fatalf("parse %v: %v", c.Attrs, err)
		}
	}
	if n := op.Outputs(params); n != c.Outputs {
		t.Errorf("%s registers %d outputs, MXNet has %d", c.Op, n, c.Outputs)
	}
	if n := op.VisibleOutputs(params); n != c.NumVisibleOutputs {
		t.Errorf("%s registers %d visible outputs, MXNet has %d", c.Op, n, c.NumVisibleOutputs)
	}
	if n := len(op.Aux(params)); n != c.NumAux {
		t.Errorf("%s registers %d aux inputs, MXNet has %d", c.Op, n, c.NumAux)
	}
	if op.Forward == nil {
		t.Errorf("%s: no kernel (operator registered without a forward kernel)", c.Op)
		return
	}
	inputs := make([]*tensor.Tensor, len(c.InputNames))
	for i, name := range c.InputNames {
		if inputs[i] = arrays[name]; inputs[i] == nil {
			t.Fatalf("%s has no member %s", c.File, name)
		}
	}
	asm.ForEachImpl(func(impl string) {
		in := make([]*tensor.Tensor, len(inputs))
		for i, x := range inputs {
			in[i] = x.Clone()
		}
		outs, err := opstest.Run(c.Op, c.Attrs, in, nil)
		if err != nil {
			t.Errorf("impl=%s: %v", impl, err)
			return
		}
		if len(outs) != c.Outputs {
			t.Errorf("impl=%s: %d outputs, want %d", impl, len(outs), c.Outputs)
			return
		}
		for i := 0; i < c.NumVisibleOutputs; i++ {
			if slices.Contains(c.UncheckedOutputs, i) {
				continue
			}
			want := arrays["out"+strconv.Itoa(i)]
			if want == nil {
				t.Fatalf("%s has no member out%d", c.File, i)
			}
			compareGolden(t, impl, i, outs[i], want, c)
		}
	})
}

// compareGolden checks one output against the reference: shape, dtype
// (when the case states one) and values within rtol/atol, NaN where the
// reference has NaN. It logs the largest absolute and relative errors.
func compareGolden(t *testing.T, impl string, i int, got, want *tensor.Tensor, c golden) {
	t.Helper()
	if !slices.Equal(got.Shape(), want.Shape()) {
		t.Errorf("impl=%s out%d: shape %v, want %v", impl, i, got.Shape(), want.Shape())
		return
	}
	if i < len(c.OutDTypes) && c.OutDTypes[i] != nil {
		dt, err := tensor.ParseDType(*c.OutDTypes[i])
		if err != nil {
			t.Fatalf("out%d dtype: %v", i, err)
		}
		if got.DType() != dt {
			t.Errorf("impl=%s out%d: dtype %s, want %s", impl, i, got.DType(), dt)
			return
		}
	}
	maxAbs, maxRel := 0.0, 0.0
	for j, n := 0, want.Len(); j < n; j++ {
		g, w := got.Float64At(j), want.Float64At(j)
		if math.IsNaN(w) || math.IsNaN(g) || g == w {
			continue
		}
		d := math.Abs(g - w)
		maxAbs = max(maxAbs, d)
		if w != 0 {
			maxRel = max(maxRel, d/math.Abs(w))
		}
	}
	if err := tensor.Compare(got, want, c.RTol, c.ATol); err != nil {
		t.Errorf("impl=%s out%d: %v (max abs err %.3g, max rel err %.3g)", impl, i, err, maxAbs, maxRel)
		return
	}
	t.Logf("impl=%s out%d: max abs err %.3g, max rel err %.3g (rtol %g, atol %g)", impl, i, maxAbs, maxRel, c.RTol, c.ATol)
}

// readNPZ reads every member NAME.npy of an npz archive (stored or
// deflated) into tensors keyed by NAME.
func readNPZ(path string) (map[string]*tensor.Tensor, error) {
	zr, err := zip.OpenReader(path)
	if err != nil {
		return nil, fmt.Errorf("open npz: %w", err)
	}
	defer zr.Close()
	out := make(map[string]*tensor.Tensor)
	for _, f := range zr.File {
		rc, err := f.Open()
		if err != nil {
			return nil, fmt.Errorf("%s: %w", f.Name, err)
		}
		b, err := io.ReadAll(rc)
		rc.Close()
		if err != nil {
			return nil, fmt.Errorf("%s: %w", f.Name, err)
		}
		t, err := parseNPY(b)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", f.Name, err)
		}
		out[strings.TrimSuffix(f.Name, ".npy")] = t
	}
	return out, nil
}

// npyDTypes maps the little-endian .npy descr strings the goldens use.
var npyDTypes = map[string]tensor.DType{
	"<f4": tensor.Float32, "<f8": tensor.Float64, "<f2": tensor.Float16,
	"|i1": tensor.Int8, "|u1": tensor.Uint8, "<i4": tensor.Int32, "<i8": tensor.Int64,
	"|b1": tensor.Bool,
}

var (
	npyDescr   = regexp.MustCompile(`'descr':\s*'([^']*)'`)
	npyFortran = regexp.MustCompile(`'fortran_order':\s*(True|False)`)
	npyShape   = regexp.MustCompile(`'shape':\s*\(([^)]*)\)`)
)

// parseNPY is a minimal .npy (format 1.0-3.0) reader for the dtypes in
// npyDTypes, C order only; enough for the goldens, not a general library.
func parseNPY(b []byte) (*tensor.Tensor, error) {
	if len(b) < 10 || !bytes.Equal(b[:6], []byte("\x93NUMPY")) {
		return nil, fmt.Errorf("not an .npy file")
	}
	var hlen, off int
	switch b[6] {
	case 1:
		hlen, off = int(binary.LittleEndian.Uint16(b[8:10])), 10
	case 2, 3:
		if len(b) < 12 {
			return nil, fmt.Errorf("truncated .npy header")
		}
		hlen, off = int(binary.LittleEndian.Uint32(b[8:12])), 12
	default:
		return nil, fmt.Errorf(".npy version %d not supported", b[6])
	}
	if off+hlen > len(b) {
		return nil, fmt.Errorf("truncated .npy header")
	}
	h := string(b[off : off+hlen])
	m := npyDescr.FindStringSubmatch(h)
	if m == nil {
		return nil, fmt.Errorf("no descr in header %q", h)
	}
	dt, ok := npyDTypes[m[1]]
	if !ok {
		return nil, fmt.Errorf("dtype %q not supported", m[1])
	}
	if f := npyFortran.FindStringSubmatch(h); f == nil || f[1] != "False" {
		return nil, fmt.Errorf("only C-order arrays are supported (header %q)", h)
	}
	s := npyShape.FindStringSubmatch(h)
	if s == nil {
		return nil, fmt.Errorf("no shape in header %q", h)
	}
	var shape []int
	for _, part := range strings.Split(s[1], ",") {
		part = strings.TrimSpace(part)
		if part == "" {
			continue
		}
		d, err := strconv.Atoi(part)
		if err != nil {
			return nil, fmt.Errorf("shape %q: %w", s[1], err)
		}
		shape = append(shape, d)
	}
	t, err := tensor.FromBytes(dt, shape, b[off+hlen:])
	if err != nil {
		return nil, fmt.Errorf("data: %w", err)
	}
	return t, nil
}

// TestGoldenNPYReader checks the test-only .npy reader on hand-built files.
func TestGoldenNPYReader(t *testing.T) {
	hdr := "{'descr': '<f4', 'fortran_order': False, 'shape': (2, 1), }"
	hdr += strings.Repeat(" ", 128-10-len(hdr)-1) + "\n"
	b := append([]byte("\x93NUMPY\x01\x00"), byte(len(hdr)), 0)
	b = append(b, hdr...)
	b = binary.LittleEndian.AppendUint32(b, math.Float32bits(1.5))
	b = binary.LittleEndian.AppendUint32(b, math.Float32bits(-2))
	x, err := parseNPY(b)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(x.Shape(), []int{2, 1}) || x.Float64At(0) != 1.5 || x.Float64At(1) != -2 {
		t.Errorf("got %v %v %v", x, x.Float64At(0), x.Float64At(1))
	}
	for _, bad := range [][]byte{nil, []byte("\x93NUMPY\x09\x00\x00\x00"), b[:20],
		bytes.Replace(b, []byte("<f4"), []byte("<c8"), 1), bytes.Replace(b, []byte("False"), []byte("True "), 1)} {
		if _, err := parseNPY(bad); err == nil {
			t.Errorf("parseNPY(%q) succeeded", bad)
		}
	}
}
