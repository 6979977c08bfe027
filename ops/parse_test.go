package ops

import (
	"math"
	"slices"
	"strconv"
	"testing"

	"github.com/mxgo/mxgo/tensor"
)

func TestParseBoolAttr(t *testing.T) {
	for s, want := range map[string]bool{"True": true, "true": true, "TRUE": true, "1": true, "False": false, "false": false, "0": false} {
		if got, err := parseBoolAttr(s); err != nil || got != want {
			t.Errorf("%q: %v %v", s, got, err)
		}
	}
	for _, s := range []string{"", "yes", " true", "true ", "2", "t"} {
		if _, err := parseBoolAttr(s); err == nil {
			t.Errorf("%q accepted", s)
		}
	}
}

func TestParseIntAttr(t *testing.T) {
	ok := []struct {
		s        string
		bits     int
		unsigned bool
		want     int64
	}{
		{"3", 32, false, 3}, {" 3 ", 32, false, 3}, {"+3", 32, false, 3}, {"-7", 32, false, -7},
		{"2147483647", 32, false, math.MaxInt32}, {"-2147483648", 32, false, math.MinInt32},
		{"9223372036854775807", 64, false, math.MaxInt64},
		{"-1", 32, true, math.MaxUint32}, // libstdc++ wraps negative unsigned input
		{"4294967295", 32, true, math.MaxUint32},
	}
	for _, c := range ok {
		if got, err := parseIntAttr(c.s, c.bits, c.unsigned); err != nil || got != c.want {
			t.Errorf("%q: %v %v, want %d", c.s, got, err, c.want)
		}
	}
	for _, s := range []string{"", "3.0", "0x10", "3L", "2147483648", "-2147483649", "- 3", "abc", "3 4"} {
		if _, err := parseIntAttr(s, 32, false); err == nil {
			t.Errorf("%q accepted", s)
		}
	}
	if _, err := parseIntAttr("4294967296", 32, true); err == nil {
		t.Error("uint32 overflow accepted")
	}
}

func hexFloat(t *testing.T, s string) float64 {
	t.Helper()
	v, err := strconv.ParseFloat(s, 64)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func TestDmlcParseFloat(t *testing.T) {
	for _, s := range []string{"0.001", "1e-05", "0.5", "-1.0", "127.5", "-1e+18", "1.4142135623730951", "0.0010000000474974513", "1e-12", "2", "+3.25", " 1.5"} {
		want, _ := strconv.ParseFloat(s[len(s)-len(trimSpace(s)):], 64)
		if got, err := dmlcParseFloat(s, false); err != nil || got != want {
			t.Errorf("double %q: %v %v want %v", s, got, err, want)
		}
		want32, _ := strconv.ParseFloat(trimSpace(s), 32)
		if got, err := dmlcParseFloat(s, true); err != nil || got != want32 {
			t.Errorf("float %q: %v %v want %v", s, got, err, want32)
		}
	}
	// dmlc's parser adds the fraction to the integer part in double
	// arithmetic, so it is not always correctly rounded; MXNet's parameters
	// get exactly its result (values found by comparing with Python's
	// correctly rounded float()).
	for s, want := range map[string]string{
		"4.6130":              "0x1.273b645a1cac0p+2",
		"1.5294":              "0x1.8786c226809d4p+0",
		"0.58733577365894301": "0x1.2cb7464745a44p-1",
	} {
		if got, err := dmlcParseFloat(s, false); err != nil || got != hexFloat(t, want) {
			t.Errorf("%q: got %x want %s (%v)", s, got, want, err)
		}
	}
	special := map[string]float64{"inf": math.Inf(1), "-Infinity": math.Inf(-1), "INF": math.Inf(1), "1.5f": 1.5, "2.e3": 2000}
	for s, want := range special {
		if got, err := dmlcParseFloat(s, false); err != nil || got != want {
			t.Errorf("%q: %v %v", s, got, err)
		}
	}
	for _, s := range []string{"nan", "NaN", "nan(0x1)"[:3], "nan(abc_1)"} {
		if got, err := dmlcParseFloat(s, false); err != nil || !math.IsNaN(got) {
			t.Errorf("%q: %v %v", s, got, err)
		}
	}
	for _, s := range []string{"", "abc", "1 ", "1.0.0", "1e-400", "1e309", "3e38x", "nan(", "infinit"} {
		if v, err := dmlcParseFloat(s, false); err == nil {
			t.Errorf("%q accepted as %v", s, v)
		}
	}
	if _, err := dmlcParseFloat("1e39", true); err == nil {
		t.Error("float 1e39 accepted")
	}
	// dmlc scales float exponents in float arithmetic (1e8f^4 * 10^6 here),
	// so the result is within rounding of 1e38 but not strtof's.
	if v, err := dmlcParseFloat("1e38", true); err != nil || math.Abs(v/1e38-1) > 1e-6 || v != float64(float32(v)) {
		t.Errorf("float 1e38: %v %v", v, err)
	}
}

func trimSpace(s string) string {
	for len(s) > 0 && s[0] == ' ' {
		s = s[1:]
	}
	return s
}

func TestParseShape(t *testing.T) {
	ok := map[string][]int{
		"(3, 3)": {3, 3}, "[3,3]": {3, 3}, "(3,)": {3}, "3": {3}, "()": {}, "[]": {},
		"(1L, 2L)": {1, 2}, "(-1)": {-1}, "( 2 , 3 , )": {2, 3}, " (2,3) ": {2, 3},
		"(2, 3]": {2, 3}, "(10, 0)": {10, 0}, "[10,-1]": {10, -1}, "-1": {-1},
	}
	for s, want := range ok {
		got, err := ParseShape(s)
		if err != nil || !slices.Equal(got, want) || got == nil {
			t.Errorf("%q: %v %v, want %v", s, got, err, want)
		}
	}
	if got, err := ParseShape("None"); err != nil || got != nil {
		t.Errorf("None: %v %v", got, err)
	}
	for _, s := range []string{"", "(3, 3", "(3 3)", "(2,3)x", "1.5", "(1.5, 2)", "abc", "+3", "(,)", "Nonex", "(3,,)"} {
		if got, err := ParseShape(s); err == nil {
			t.Errorf("%q accepted as %v", s, got)
		}
	}
}

type testParam struct {
	Num    int                    `mx:"num" required:"" min:"1"`
	Flag   bool                   `mx:"flag" default:"true"`
	Scale  float32                `mx:"scale" default:"0.25" min:"0" max:"1"`
	Mode   ActType                `mx:"mode" default:"tanh" enum:"relu,sigmoid,tanh"`
	Axes   []int                  `mx:"axes" default:"(1, 2)"`
	Opt    Optional[int]          `mx:"opt"`
	OptB   Optional[bool]         `mx:"optb" default:"False"`
	OptF   Optional[float64]      `mx:"optf"`
	OptE   Optional[Layout]       `mx:"opte" enum:"NCW,NCHW"`
	Begin  []Optional[int]        `mx:"begin" default:"()"`
	Big    uint64                 `mx:"big" default:"1024"`
	Name   string                 `mx:"name" default:"b" enum:"a,b"`
	Shapes Optional[[]int]        `mx:"shapes"`
	Types  Optional[tensor.DType] `mx:"types" enum:"float16,float32"`
	Ignore int
}

func TestParamsParse(t *testing.T) {
	ps := NewParams[testParam]()
	p, err := ps.Parse(map[string]string{"num": "4", "__lr_mult__": "2", "__ctx_group__": "x", "opt": "7L", "optb": "none", "optf": "1e-3", "opte": "NCHW", "begin": "(1, None, -2)", "shapes": "(2, 3)", "types": "float16"})
	if err != nil {
		t.Fatal(err)
	}
	if p.Num != 4 || !p.Flag || p.Scale != 0.25 || p.Mode != ActTanh || !slices.Equal(p.Axes, []int{1, 2}) || p.Big != 1024 || p.Name != "b" {
		t.Errorf("defaults: %+v", p)
	}
	if !p.Opt.Set || p.Opt.Value != 7 || p.OptB.Set || !p.OptF.Set || p.OptF.Value != 1e-3 || p.OptE != Some(LayoutNCHW) {
		t.Errorf("optionals: %+v", p)
	}
	if len(p.Begin) != 3 || p.Begin[0] != Some(1) || p.Begin[1].Set || p.Begin[2] != Some(-2) {
		t.Errorf("begin: %+v", p.Begin)
	}
	if !p.Shapes.Set || !slices.Equal(p.Shapes.Value, []int{2, 3}) || p.Types != Some(tensor.Float16) {
		t.Errorf("shapes/types: %+v %+v", p.Shapes, p.Types)
	}
	p, err = ps.Parse(map[string]string{"num": "1", "opt": "None", "optb": "TRUE", "shapes": "None", "opte": "None", "name": "a", "mode": "relu"})
	if err != nil || p.Opt.Set || p.OptB != Some(true) || p.Shapes.Set || p.OptE.Set || p.Name != "a" || p.Mode != ActReLU {
		t.Errorf("None values: %+v %v", p, err)
	}
	bad := []map[string]string{
		{},                                // num required
		{"num": "0"},                      // below min
		{"num": "1", "scale": "1.5"},      // above max
		{"num": "1", "mode": "Relu"},      // enums are exact
		{"num": "1", "mode": "0"},         // enum numbers are not accepted
		{"num": "1", "bogus": "1"},        // unknown key
		{"num": "1", "__x": "1"},          // not hidden: must end in __
		{"num": "1", "____": "1"},         // not hidden: too short
		{"num": "1", "flag": "yes"},       // bool
		{"num": "1", "axes": "(1, 2"},     // tuple
		{"num": "1", "optf": "inf"},       // optional<double> uses stream extraction
		{"num": "1", "opt": "None "},      // hmm: trailing space after None is fine?
		{"num": "1", "types": "float64"},  // not in enum
		{"num": "1", "optb": "maybe"},     // optional<bool>
		{"num": "1", "begin": "(1, Non)"}, // optional int tuple
	}
	for _, attrs := range bad {
		if p, err := ps.Parse(attrs); err == nil {
			if attrs["opt"] == "None " && !p.Opt.Set {
				continue // C++ accepts trailing space after None
			}
			t.Errorf("%v accepted: %+v", attrs, p)
		}
	}
	if _, err := ps.Parse(map[string]string{"num": "1", "_____": "x"}); err != nil {
		t.Errorf("5-char hidden key rejected: %v", err)
	}
	if f := ps.Fields(); len(f) != 14 || f[0].Name != "num" || !f[0].Required || f[3].Default != "tanh" || len(f[3].Enum) != 3 {
		t.Errorf("fields: %+v", f)
	}
}

func TestNewParamsRejectsBadTags(t *testing.T) {
	type bad struct {
		X complex64 `mx:"x"`
	}
	defer func() {
		if recover() == nil {
			t.Error("no panic for an unsupported field type")
		}
	}()
	NewParams[bad]()
}
