// Command loadgen sends a fixed number of OIP v2 inference requests with the
// first ten MNIST test images to an `mxgo serve` instance and prints
// throughput, p50/p99 latency and errors (exit 1 on any error).
//
//	loadgen -url http://127.0.0.1:8080/v2/models/mlp/infer -n 10000 -c 64 [-binary] -classes 7,2,1,0,4,1,4,9,9,9
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"strconv"
	"strings"

	serveload "github.com/mxgo/mxgo/bench/serve"
	"github.com/mxgo/mxgo/serialize"
)

func main() {
	url := flag.String("url", "http://127.0.0.1:8080/v2/models/mlp/infer", "inference URL")
	n := flag.Int("n", 10000, "requests")
	c := flag.Int("c", 64, "concurrent connections")
	bin := flag.Bool("binary", false, "binary tensor data extension instead of JSON")
	images := flag.String("images", "testdata/samples/mnist-batch.npy", "(N,1,28,28) float32 .npy")
	classes := flag.String("classes", "", "expected argmax per image, comma-separated (empty: not checked)")
	flag.Parse()
	f, err := os.Open(*images)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	x, err := serialize.ReadNPY(f)
	f.Close()
	if err != nil || x.NDim() != 4 {
		fmt.Fprintln(os.Stderr, "images:", err)
		os.Exit(1)
	}
	per := x.Len() / x.Dim(0)
	cfg := serveload.Config{URL: *url, Requests: *n, Concurrency: *c, Binary: *bin, Shape: append([]int{1}, x.Shape()[1:]...)}
	for i := range x.Dim(0) {
		cfg.Images = append(cfg.Images, x.Float32s()[i*per:(i+1)*per])
	}
	if *classes != "" {
		for _, s := range strings.Split(*classes, ",") {
			k, err := strconv.Atoi(s)
			if err != nil {
				fmt.Fprintln(os.Stderr, "-classes:", err)
				os.Exit(1)
			}
			cfg.Classes = append(cfg.Classes, k)
		}
	}
	r := serveload.Run(context.Background(), cfg)
	fmt.Println(r)
	if r.Errors > 0 {
		fmt.Fprintln(os.Stderr, "first error:", r.FirstErr)
		os.Exit(1)
	}
}
