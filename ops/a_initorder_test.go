package ops

import (
	"testing"

	"github.com/mxgo/mxgo/tensor"
)

// This file's name sorts before params.go, so this variable is initialized
// before params.go's own package variables: NewParams must not depend on
// any of them (a dtype enum once parsed "int32" as int64 this way).
var earlyParams = NewParams[struct {
	DType tensor.DType `mx:"dtype" default:"float32" enum:"float32,float64,int32,int64"`
}]()

func TestNewParamsInPackageVarOfEarlyFile(t *testing.T) {
	p, err := earlyParams.Parse(map[string]string{"dtype": "int32"})
	if err != nil {
		t.Fatal(err)
	}
	if p.DType != tensor.Int32 {
		t.Errorf("dtype int32 parsed as %s", p.DType)
	}
}
