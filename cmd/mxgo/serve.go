package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"strconv"
	"strings"
	"syscall"
	"time"

	"google.golang.org/grpc"

	"github.com/mxgo/mxgo/serve"
)

func init() {
	register(&command{name: "serve", summary: "serve models over the Open Inference Protocol v2 (REST and gRPC)", run: runServe})
}

func runServe(args []string, stdout, stderr io.Writer) error {
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM, os.Interrupt)
	defer stop()
	return serveMain(ctx, args, stderr, nil)
}

// serveMain runs `mxgo serve` until ctx is done, then shuts down gracefully.
// listening, when set, gets the REST and gRPC addresses once bound.
func serveMain(ctx context.Context, args []string, stderr io.Writer, listening func(rest, grpc string)) error {
	fs := newFlagSet("serve", stderr)
	var models, shapes listFlag
	fs.Var(&models, "model", "NAME=PREFIX:EPOCH to serve (repeatable); EPOCH may be `latest`")
	fs.Var(&shapes, "shape", "NAME:INPUT=D0,D1,... an input's shape, batch dimension first (repeatable; default PREFIX-shapes.json or __shape__)")
	addr := fs.String("addr", "127.0.0.1:8080", "REST listen address")
	grpcAddr := fs.String("grpc-addr", "127.0.0.1:8081", "gRPC listen address (empty: no gRPC)")
	maxBatch := fs.Int("max-batch", 64, "rows per batched Predict (1: no dynamic batching)")
	maxDelay := fs.Duration("max-delay", 2*time.Millisecond, "how long a batch waits for more requests")
	threads := fs.Int("threads", 0, "goroutines per Predict call (0: GOMAXPROCS)")
	concurrency := fs.Int("concurrency", 0, "Predict calls running at once per model (0: GOMAXPROCS)")
	maxQueue := fs.Int("max-queue", 1024, "requests waiting or running per model before 429 / RESOURCE_EXHAUSTED")
	maxBody := fs.String("max-body", "64MiB", "largest REST request body (and gRPC message)")
	poll := fs.Duration("poll", time.Second, "how often a model at EPOCH latest looks for a newer epoch")
	allowNonFinite := fs.Bool("allow-non-finite", false, "accept NaN and Inf in floating-point inputs")
	logLevel := fs.String("log-level", "info", "debug, info, warn or error")
	logFormat := fs.String("log-format", "text", "text or json")
	grace := fs.Duration("shutdown-timeout", 30*time.Second, "how long in-flight requests may take after SIGTERM")
	if _, err := parseArgs(fs, args, 0, 0, ""); err != nil {
		return err
	}
	if len(models) == 0 {
		fs.Usage()
		return errUsage
	}
	var level slog.Level
	if err := level.UnmarshalText([]byte(*logLevel)); err != nil {
		return fmt.Errorf("-log-level: %w", err)
	}
	hopts := &slog.HandlerOptions{Level: level}
	var h slog.Handler = slog.NewTextHandler(stderr, hopts)
	switch *logFormat {
	case "text":
	case "json":
		h = slog.NewJSONHandler(stderr, hopts)
	default:
		return fmt.Errorf("-log-format: %q is not text or json", *logFormat)
	}
	log := slog.New(h)
	body, err := parseSize(*maxBody)
	if err != nil {
		return fmt.Errorf("-max-body: %w", err)
	}
	specs, err := parseModelSpecs(models, shapes)
	if err != nil {
		return err
	}
	srv, err := serve.New(serve.Options{
		Models: specs, MaxBatch: *maxBatch, MaxDelay: *maxDelay, Threads: *threads,
		Concurrency: *concurrency, MaxQueue: *maxQueue, MaxBody: body, PollInterval: *poll,
		AllowNonFinite: *allowNonFinite, Logger: log,
	})
	if err != nil {
		return err
	}
	defer srv.Close()

	hl, err := net.Listen("tcp", *addr)
	if err != nil {
		return err
	}
	hs := &http.Server{Handler: srv.Handler(), ReadHeaderTimeout: 10 * time.Second, ErrorLog: slog.NewLogLogger(h, slog.LevelWarn)}
	errc := make(chan error, 2)
	go func() { errc <- hs.Serve(hl) }()
	log.Info("REST listening", "addr", hl.Addr().String())
	var gs *grpc.Server
	grpcBound := ""
	if *grpcAddr != "" {
		gl, err := net.Listen("tcp", *grpcAddr)
		if err != nil {
			hs.Close()
			return err
		}
		gs = grpc.NewServer(grpc.MaxRecvMsgSize(int(min(body, 1<<31-1))))
		srv.RegisterGRPC(gs)
		go func() { errc <- gs.Serve(gl) }()
		grpcBound = gl.Addr().String()
		log.Info("gRPC listening", "addr", grpcBound)
	}
	if listening != nil {
		listening(hl.Addr().String(), grpcBound)
	}
	select {
	case <-ctx.Done():
	case err := <-errc:
		hs.Close()
		if gs != nil {
			gs.Stop()
		}
		return err
	}
	log.Info("shutting down: finishing in-flight requests", "timeout", *grace)
	sctx, cancel := context.WithTimeout(context.Background(), *grace)
	defer cancel()
	done := make(chan struct{})
	go func() {
		if gs != nil {
			gs.GracefulStop()
		}
		close(done)
	}()
	herr := hs.Shutdown(sctx)
	select {
	case <-done:
	case <-sctx.Done():
		gs.Stop()
	}
	srv.Close()
	if herr != nil && !errors.Is(herr, http.ErrServerClosed) {
		return fmt.Errorf("shutdown: %w", herr)
	}
	log.Info("stopped")
	return nil
}

// parseModelSpecs reads -model NAME=PREFIX:EPOCH and -shape
// NAME:INPUT=D0,D1,... flags.
func parseModelSpecs(models, shapes []string) ([]serve.ModelSpec, error) {
	var specs []serve.ModelSpec
	byName := map[string]int{}
	for _, m := range models {
		name, rest, ok := strings.Cut(m, "=")
		i := strings.LastIndexByte(rest, ':')
		if !ok || name == "" || i <= 0 {
			return nil, fmt.Errorf("-model %q: want NAME=PREFIX:EPOCH", m)
		}
		prefix, e := rest[:i], rest[i+1:]
		epoch := serve.Latest
		if e != "latest" {
			n, err := strconv.Atoi(e)
			if err != nil || n < 0 || n > 9999 {
				return nil, fmt.Errorf("-model %q: epoch %q is not 0..9999 or latest", m, e)
			}
			epoch = n
		}
		byName[name] = len(specs)
		specs = append(specs, serve.ModelSpec{Name: name, Prefix: prefix, Epoch: epoch, InputShapes: map[string][]int{}})
	}
	for _, s := range shapes {
		key, dims, ok := strings.Cut(s, "=")
		name, input, ok2 := strings.Cut(key, ":")
		if !ok || !ok2 {
			return nil, fmt.Errorf("-shape %q: want NAME:INPUT=D0,D1,...", s)
		}
		i, found := byName[name]
		if !found {
			return nil, fmt.Errorf("-shape %q: no -model %s", s, name)
		}
		var shape []int
		for _, d := range strings.Split(dims, ",") {
			n, err := strconv.Atoi(strings.TrimSpace(d))
			if err != nil || n < 1 {
				return nil, fmt.Errorf("-shape %q: %q is not a positive dimension", s, d)
			}
			shape = append(shape, n)
		}
		specs[i].InputShapes[input] = shape
	}
	return specs, nil
}

// parseSize reads a byte count with an optional KiB/MiB/GiB (or K/M/G)
// suffix.
func parseSize(s string) (int64, error) {
	mult := int64(1)
	for _, u := range []struct {
		suffix string
		mult   int64
	}{{"KiB", 1 << 10}, {"MiB", 1 << 20}, {"GiB", 1 << 30}, {"K", 1 << 10}, {"M", 1 << 20}, {"G", 1 << 30}, {"B", 1}} {
		if strings.HasSuffix(s, u.suffix) {
			s, mult = strings.TrimSuffix(s, u.suffix), u.mult
			break
		}
	}
	n, err := strconv.ParseInt(strings.TrimSpace(s), 10, 64)
	if err != nil || n <= 0 || n > (1<<62)/mult {
		return 0, fmt.Errorf("%q is not a positive size (e.g. 64MiB)", s)
	}
	return n * mult, nil
}
