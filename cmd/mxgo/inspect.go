package main

import (
	"bytes"
	"io"
	"os"
)

func init() {
	register(&command{name: "inspect", summary: "describe an NDArray file (.params, .nd, .npz, .npy, pickle, .states) or symbol JSON", run: runInspect})
}

// runInspect implements `mxgo inspect [-json] [-shape NAME=DIMS]... FILE`.
func runInspect(args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("inspect", stderr)
	asJSON := fs.Bool("json", false, "print one JSON object instead of a table")
	shapes := shapeFlags{}
	fs.Var(shapes, "shape", "input shape NAME=D0,D1,... for a symbol file's shape inference (repeatable)")
	pos, err := parseArgs(fs, args, 1, 1, "FILE")
	if err != nil {
		return err
	}
	path := pos[0]
	isSym, err := isSymbolFile(path)
	if err != nil {
		return err
	}
	if isSym {
		data, err := readSymbolFile(path)
		if err != nil {
			return err
		}
		return inspectSymbol(stdout, path, data, *asJSON, shapes)
	}
	return inspectNDArrays(stdout, path, *asJSON)
}

// isSymbolFile sniffs path: symbol JSON starts with '{' after optional
// whitespace; everything else is treated as an NDArray file.
func isSymbolFile(path string) (bool, error) {
	f, err := os.Open(path)
	if err != nil {
		return false, err
	}
	defer f.Close()
	head := make([]byte, 512)
	n, err := io.ReadFull(f, head)
	if err != nil && err != io.ErrUnexpectedEOF && err != io.EOF {
		return false, err
	}
	head = bytes.TrimLeft(head[:n], " \t\r\n\ufeff")
	head = bytes.TrimPrefix(head, []byte("\xef\xbb\xbf"))
	return len(head) > 0 && head[0] == '{', nil
}
