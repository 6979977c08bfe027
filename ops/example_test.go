package ops_test

import (
	"fmt"

	"github.com/mxgo/mxgo/ops"
)

// Declare an operator's parameters once and parse MXNet attribute strings
// with dmlc::Parameter's rules.
func ExampleNewParams() {
	type poolParam struct {
		Kernel []int `mx:"kernel" required:""`
		Global bool  `mx:"global_pool"`
		Mode   int   `mx:"pool_type" default:"max" enum:"max,avg,sum"`
	}
	params := ops.NewParams[poolParam]()
	p, err := params.Parse(map[string]string{"kernel": "(3, 3)", "global_pool": "True", "__lr_mult__": "1"})
	fmt.Println(p.Kernel, p.Global, p.Mode, err)
	_, err = params.Parse(map[string]string{"kernel": "(3, 3)", "pool_type": "Max"})
	fmt.Println(err)
	// Output:
	// [3 3] true 0 <nil>
	// invalid value "Max" for parameter pool_type (expect {'max', 'avg', 'sum'}): invalid syntax: valid values are 'max', 'avg', 'sum'
}

// Look up an operator's metadata.
func ExampleLookup() {
	op, _ := ops.Lookup("_Plus")
	fmt.Println(op.Name, op.Inputs(nil))
	bn, _ := ops.Lookup("BatchNorm")
	p, _ := bn.Parse(nil)
	fmt.Println(bn.Inputs(p), bn.Aux(p), bn.Outputs(p), bn.VisibleOutputs(p))
	// Output:
	// elemwise_add [lhs rhs]
	// [data gamma beta moving_mean moving_var] [3 4] 3 1
}
