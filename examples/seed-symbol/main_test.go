package main

import (
	"bytes"
	"testing"

	"github.com/mxgo/mxgo/graph"
)

// want is what MXNet 1.9.1 prints for the seed example: the MXNet 0.10
// output of the seed notes with "attrs" for "attr" and mxnet_version 10901.
// Lines ending in a comma carry one trailing space; there is no final
// newline.
const want = "{\n" +
	"  \"nodes\": [\n" +
	"    {\n" +
	"      \"op\": \"null\", \n" +
	"      \"name\": \"a\", \n" +
	"      \"attrs\": {\"__shape__\": \"[2]\"}, \n" +
	"      \"inputs\": []\n" +
	"    }, \n" +
	"    {\n" +
	"      \"op\": \"null\", \n" +
	"      \"name\": \"b\", \n" +
	"      \"attrs\": {\"__shape__\": \"[3]\"}, \n" +
	"      \"inputs\": []\n" +
	"    }, \n" +
	"    {\n" +
	"      \"op\": \"elemwise_add\", \n" +
	"      \"name\": \"_plus0\", \n" +
	"      \"inputs\": [[0, 0, 0], [1, 0, 0]]\n" +
	"    }\n" +
	"  ], \n" +
	"  \"arg_nodes\": [0, 1], \n" +
	"  \"node_row_ptr\": [0, 1, 2, 3], \n" +
	"  \"heads\": [[2, 0, 0]], \n" +
	"  \"attrs\": {\"mxnet_version\": [\"int\", 10901]}\n" +
	"}"

func TestSeedSymbolOutput(t *testing.T) {
	graph.Default = graph.NewBuilder() // a fresh name manager, as in a new process
	var out bytes.Buffer
	if err := run(&out); err != nil {
		t.Fatal(err)
	}
	if out.String() != want {
		t.Errorf("got\n%q\nwant\n%q", out.String(), want)
	}
}
