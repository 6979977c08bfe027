package main

import (
	"fmt"
	"io"
)

func init() {
	register(&command{name: "convert", summary: "re-save an NDArray file or symbol JSON, optionally in another format or dtype", run: runConvert})
}

// runConvert implements `mxgo convert [-format F] [-dtype D] [-mxnet-version N] IN OUT`.
func runConvert(args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("convert", stderr)
	format := fs.String("format", "", "NDArray output format: legacy, v1, v2, v3, npz, npy or pickle (default: the input's)")
	dtype := fs.String("dtype", "", "cast floating-point arrays to this dtype (float16, float32, float64, bfloat16)")
	mxv := fs.Int("mxnet-version", 0, "symbol JSON: the mxnet_version to stamp (default 10901)")
	pos, err := parseArgs(fs, args, 2, 2, "IN OUT")
	if err != nil {
		return err
	}
	isSym, err := isSymbolFile(pos[0])
	if err != nil {
		return err
	}
	if isSym {
		if *format != "" || *dtype != "" {
			return fmt.Errorf("%s: -format and -dtype apply to NDArray files, not symbol JSON", pos[0])
		}
		data, err := readSymbolFile(pos[0])
		if err != nil {
			return err
		}
		return convertSymbol(pos[0], pos[1], data, *mxv)
	}
	return convertNDArrays(pos[0], pos[1], *format, *dtype)
}
