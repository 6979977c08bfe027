package serve

import (
	"github.com/prometheus/client_golang/prometheus"
)

// metrics are the Server's Prometheus collectors.
type metrics struct {
	requests *prometheus.CounterVec   // model, protocol, outcome
	latency  *prometheus.HistogramVec // model, protocol
	batch    *prometheus.HistogramVec // model
	swaps    *prometheus.CounterVec   // model
}

func newMetrics(r prometheus.Registerer) (*metrics, error) {
	m := &metrics{
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "mxgo_serve_requests_total",
			Help: "Inference requests by model, protocol (rest, grpc) and outcome (ok, invalid, not_found, exhausted, unavailable, canceled, deadline, error).",
		}, []string{"model", "protocol", "outcome"}),
		latency: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "mxgo_serve_request_duration_seconds",
			Help:    "Inference request latency, decoding to encoding, by model and protocol.",
			Buckets: prometheus.ExponentialBuckets(50e-6, 2, 18), // 50µs .. 6.5s
		}, []string{"model", "protocol"}),
		batch: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "mxgo_serve_batch_size",
			Help:    "Rows per Predict call after dynamic batching, by model.",
			Buckets: prometheus.ExponentialBuckets(1, 2, 11), // 1 .. 1024
		}, []string{"model"}),
		swaps: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "mxgo_serve_param_swaps_total",
			Help: "Newer epochs swapped in live, by model.",
		}, []string{"model"}),
	}
	for _, c := range []prometheus.Collector{m.requests, m.latency, m.batch, m.swaps} {
		if err := r.Register(c); err != nil {
			return nil, err
		}
	}
	return m, nil
}

// registerQueueDepth exports a model's requests waiting or running, read
// from whichever instance of it is loaded.
func registerQueueDepth(r prometheus.Registerer, m *model) error {
	return r.Register(prometheus.NewGaugeFunc(prometheus.GaugeOpts{
		Name:        "mxgo_serve_queue_depth",
		Help:        "Inference requests waiting or running, by model.",
		ConstLabels: prometheus.Labels{"model": m.spec.Name},
	}, func() float64 {
		if l := m.current(); l != nil {
			return float64(l.pending.Load())
		}
		return 0
	}))
}
