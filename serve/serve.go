// Package serve serves mxgo models over the Open Inference Protocol v2
// (KServe V2): the REST API with the binary tensor data and model repository
// extensions, and the gRPC inference.GRPCInferenceService. Concurrent
// requests for one model are stacked along the batch axis (dynamic batching),
// each model has a concurrency limit and a bounded queue, a model served at
// EPOCH Latest picks up newer checkpoints live, and Prometheus metrics are
// exported at /metrics.
//
// A Server is a library value: mount Handler in your own http.Server and
// register the gRPC service with RegisterGRPC on your own grpc.Server;
// `mxgo serve` is a thin command around it.
package serve

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"runtime"
	"sort"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"
	"google.golang.org/grpc"

	"github.com/mxgo/mxgo/serve/inferencepb"
)

// Latest as a ModelSpec epoch serves the newest PREFIX-NNNN.params on disk
// and swaps in newer ones as they appear.
const Latest = -1

// ModelSpec names one checkpoint to serve.
type ModelSpec struct {
	// Name is the model name in URLs and requests.
	Name string
	// Prefix and Epoch locate PREFIX-symbol.json and PREFIX-EEEE.params;
	// Epoch may be Latest.
	Prefix string
	Epoch  int
	// InputShapes gives the shape of data inputs, batch dimension first
	// (its value is ignored: requests choose their batch size). Inputs not
	// listed here take their shape from PREFIX-shapes.json (the SageMaker
	// convention, [{"name": "data", "shape": [...]}]) or from the
	// variable's __shape__ attribute.
	InputShapes map[string][]int
}

// Options configures a Server. Zero values take the documented defaults.
type Options struct {
	// Models are loaded by New; each must load or New fails.
	Models []ModelSpec
	// MaxBatch bounds the rows stacked into one Predict call (default 64);
	// 1 disables dynamic batching.
	MaxBatch int
	// MaxDelay is how long a batch waits for more requests after its first
	// one (default 2ms).
	MaxDelay time.Duration
	// Threads is the goroutines one Predict call may use (default
	// GOMAXPROCS).
	Threads int
	// Concurrency bounds the Predict calls running at once per model
	// (default GOMAXPROCS).
	Concurrency int
	// MaxQueue bounds the requests waiting or running per model (default
	// 1024); beyond it requests are refused with 429 / RESOURCE_EXHAUSTED.
	MaxQueue int
	// MaxBody bounds a REST request body in bytes (default 64 MiB); the gRPC
	// server's own MaxRecvMsgSize plays that role for gRPC.
	MaxBody int64
	// PollInterval is how often a model served at Latest looks for a newer
	// epoch (default 1s; negative disables polling).
	PollInterval time.Duration
	// AllowNonFinite accepts NaN and ±Inf in floating-point inputs; by
	// default they are refused with 400 naming the input.
	AllowNonFinite bool
	// Logger receives structured logs (default slog.Default()).
	Logger *slog.Logger
	// Registry receives the metrics (default: a new registry, served by
	// Handler at /metrics).
	Registry *prometheus.Registry
}

func (o *Options) defaults() {
	if o.MaxBatch <= 0 {
		o.MaxBatch = 64
	}
	if o.MaxDelay <= 0 {
		o.MaxDelay = 2 * time.Millisecond
	}
	if o.Threads <= 0 {
		o.Threads = runtime.GOMAXPROCS(0)
	}
	if o.Concurrency <= 0 {
		o.Concurrency = runtime.GOMAXPROCS(0)
	}
	if o.MaxQueue <= 0 {
		o.MaxQueue = 1024
	}
	if o.MaxBody <= 0 {
		o.MaxBody = 64 << 20
	}
	if o.PollInterval == 0 {
		o.PollInterval = time.Second
	}
	if o.Logger == nil {
		o.Logger = slog.Default()
	}
	if o.Registry == nil {
		o.Registry = prometheus.NewRegistry()
	}
}

// Server serves a fixed set of named models. It is safe for concurrent use.
type Server struct {
	opts    Options
	log     *slog.Logger
	metrics *metrics
	models  map[string]*model // fixed after New; each model loads/unloads
	names   []string          // sorted model names

	ctx    context.Context // cancelled by Close
	cancel context.CancelFunc
	wg     sync.WaitGroup // watchers and dispatchers

	closeOnce sync.Once
}

// New loads every model of opts and starts their batchers (and, for models
// served at Latest, their directory watchers). Call Close when done.
func New(opts Options) (*Server, error) {
	opts.defaults()
	if len(opts.Models) == 0 {
		return nil, errors.New("serve: no models")
	}
	s := &Server{opts: opts, log: opts.Logger, models: map[string]*model{}}
	m, err := newMetrics(opts.Registry)
	if err != nil {
		return nil, fmt.Errorf("serve: metrics: %w", err)
	}
	s.metrics = m
	s.ctx, s.cancel = context.WithCancel(context.Background())
	for _, spec := range opts.Models {
		if spec.Name == "" {
			s.Close()
			return nil, fmt.Errorf("serve: model %s: empty name", spec.Prefix)
		}
		if _, dup := s.models[spec.Name]; dup {
			s.Close()
			return nil, fmt.Errorf("serve: model %s given twice", spec.Name)
		}
		md := &model{s: s, spec: spec}
		s.models[spec.Name] = md
		s.names = append(s.names, spec.Name)
		if err := registerQueueDepth(opts.Registry, md); err != nil {
			s.Close()
			return nil, fmt.Errorf("serve: metrics: %w", err)
		}
		if err := md.load(); err != nil {
			s.Close()
			return nil, fmt.Errorf("serve: model %s: %w", spec.Name, err)
		}
	}
	sort.Strings(s.names)
	return s, nil
}

// Close stops the watchers and batchers; requests still queued are answered
// with UNAVAILABLE. Shut the HTTP and gRPC servers down first so that
// in-flight requests finish.
func (s *Server) Close() error {
	s.closeOnce.Do(func() {
		s.cancel()
		for _, m := range s.models {
			m.unload()
		}
		s.wg.Wait()
	})
	return nil
}

// Ready reports whether every model is loaded and the server is not closed.
func (s *Server) Ready() bool {
	if s.ctx.Err() != nil {
		return false
	}
	for _, m := range s.models {
		if m.current() == nil {
			return false
		}
	}
	return true
}

// Handler returns the REST API (OIP v2 under /v2) and /metrics.
func (s *Server) Handler() http.Handler { return s.restHandler() }

// RegisterGRPC registers inference.GRPCInferenceService on r.
func (s *Server) RegisterGRPC(r grpc.ServiceRegistrar) {
	inferencepb.RegisterGRPCInferenceServiceServer(r, &grpcService{s: s})
}

// metricsHandler serves the registry in the Prometheus text format.
func (s *Server) metricsHandler() http.Handler {
	return promhttp.HandlerFor(s.opts.Registry, promhttp.HandlerOpts{})
}

// serverName and extensions are what ServerMetadata reports.
const serverName = "mxgo"

var extensions = []string{"binary_tensor_data", "model_repository"}
