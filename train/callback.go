package train

import (
	"fmt"
	"io"
	"math"
	"os"
	"strings"
	"time"

	"github.com/schollz/progressbar/v3"
	"golang.org/x/term"

	"github.com/mxgo/mxgo/graph"
	"github.com/mxgo/mxgo/serialize"
	"github.com/mxgo/mxgo/tensor"
)

// BatchEndParam is what a training loop passes to batch-end callbacks after
// each batch (MXNet's BatchEndParam namedtuple without locals).
type BatchEndParam struct {
	// Epoch is the 0-based epoch.
	Epoch int
	// NBatch is the 0-based index of the batch just trained in the epoch.
	NBatch int
	// EvalMetric is the training metric, updated with this batch (may be
	// nil).
	EvalMetric Metric
}

// BatchEndCallback is called after every training batch.
type BatchEndCallback func(BatchEndParam)

// EpochEndParam is what a training loop passes to epoch-end callbacks
// (MXNet's epoch_end_callback(epoch, symbol, arg_params, aux_params)).
type EpochEndParam struct {
	// Epoch is the 0-based epoch that just ended.
	Epoch int
	// Symbol is the trained network.
	Symbol *graph.Symbol
	// Args and Aux are the current parameters and auxiliary states by name.
	Args, Aux map[string]*tensor.Tensor
}

// EpochEndCallback is called after every epoch; an error stops training.
type EpochEndCallback func(EpochEndParam) error

// DoCheckpoint returns MXNet's mx.callback.do_checkpoint(prefix, period):
// after every period-th epoch (period < 1 counts as 1) it saves
// PREFIX-symbol.json and PREFIX-%04d.params for the 1-based epoch with
// SaveCheckpointAtomic (temporary files renamed into place, so an
// interrupted save leaves the last complete checkpoint).
func DoCheckpoint(prefix string, period int) EpochEndCallback {
	period = max(period, 1)
	return func(p EpochEndParam) error {
		if (p.Epoch+1)%period != 0 {
			return nil
		}
		ck := &serialize.Checkpoint{Symbol: p.Symbol, Args: p.Args, Aux: p.Aux}
		if err := SaveCheckpointAtomic(prefix, p.Epoch+1, ck); err != nil {
			return fmt.Errorf("train: checkpoint of epoch %d: %w", p.Epoch+1, err)
		}
		return nil
	}
}

// Speedometer logs training speed and the metric every Frequent batches
// (MXNet's mx.callback.Speedometer): the speed is frequent·batch_size
// samples over the time since the previous log; with auto-reset the
// metric's local statistics are reset after each log. Lines have MXNet's
// format, e.g. "Epoch[0] Batch [50-100]\tSpeed: 1910.41 samples/sec\taccuracy=0.800000".
type Speedometer struct {
	batchSize, frequent int
	autoReset           bool
	w                   io.Writer
	now                 func() time.Time

	init      bool
	tic       time.Time
	lastCount int
	speed     float64
}

// NewSpeedometer returns a Speedometer writing to w (os.Stderr when nil,
// where MXNet's logging goes). MXNet's defaults are frequent 50 and
// autoReset true.
func NewSpeedometer(batchSize, frequent int, autoReset bool, w io.Writer) *Speedometer {
	if w == nil {
		w = os.Stderr
	}
	return &Speedometer{batchSize: batchSize, frequent: max(frequent, 1), autoReset: autoReset, w: w, now: time.Now}
}

// Speed returns the last measured speed in samples per second (0 before
// the first measurement).
func (s *Speedometer) Speed() float64 { return s.speed }

// BatchEnd is the BatchEndCallback.
func (s *Speedometer) BatchEnd(p BatchEndParam) {
	count := p.NBatch
	if s.lastCount > count {
		s.init = false
	}
	s.lastCount = count
	if !s.init {
		s.init = true
		s.tic = s.now()
		return
	}
	if count%s.frequent != 0 {
		return
	}
	el := s.now().Sub(s.tic).Seconds()
	s.speed = math.Inf(1)
	if el > 0 {
		s.speed = float64(s.frequent*s.batchSize) / el
	}
	var sb strings.Builder
	if p.EvalMetric != nil {
		name, v := p.EvalMetric.Get()
		if s.autoReset {
			p.EvalMetric.ResetLocal()
			fmt.Fprintf(&sb, "Epoch[%d] Batch [%d-%d]\tSpeed: %.2f samples/sec\t%s=%s\n", p.Epoch, count-s.frequent, count, s.speed, name, pyF(v))
		} else {
			fmt.Fprintf(&sb, "Epoch[%d] Batch [0-%d]\tSpeed: %.2f samples/sec\t%s=%s\n", p.Epoch, count, s.speed, name, pyF(v))
		}
	} else {
		fmt.Fprintf(&sb, "Iter[%d] Batch [%d]\tSpeed: %.2f samples/sec\n", p.Epoch, count, s.speed)
	}
	_, _ = io.WriteString(s.w, sb.String())
	s.tic = s.now()
}

// pyF formats v as Python's "%f" does (nan, inf, -inf included).
func pyF(v float64) string {
	switch {
	case math.IsNaN(v):
		return "nan"
	case math.IsInf(v, 1):
		return "inf"
	case math.IsInf(v, -1):
		return "-inf"
	}
	return fmt.Sprintf("%f", v)
}

// ProgressBar shows an epoch's progress (batches done of total, the
// metric) with github.com/schollz/progressbar/v3, only when its output is
// a terminal; otherwise it does nothing.
type ProgressBar struct {
	bar   *progressbar.ProgressBar
	total int
	epoch int
}

// NewProgressBar returns a progress bar of total batches per epoch drawn
// on f (os.Stderr when nil) if f is a terminal, and a disabled one
// otherwise.
func NewProgressBar(total int, f *os.File) *ProgressBar {
	if f == nil {
		f = os.Stderr
	}
	return newProgressBar(total, f, term.IsTerminal(int(f.Fd())), 100*time.Millisecond)
}

func newProgressBar(total int, w io.Writer, enabled bool, throttle time.Duration) *ProgressBar {
	p := &ProgressBar{total: total, epoch: -1}
	if enabled && total > 0 {
		p.bar = progressbar.NewOptions(total,
			progressbar.OptionSetWriter(w),
			progressbar.OptionShowCount(),
			progressbar.OptionSetWidth(30),
			progressbar.OptionThrottle(throttle),
			progressbar.OptionClearOnFinish(),
		)
	}
	return p
}

// Enabled reports whether the bar is drawn.
func (p *ProgressBar) Enabled() bool { return p.bar != nil }

// BatchEnd is the BatchEndCallback.
func (p *ProgressBar) BatchEnd(b BatchEndParam) {
	if p.bar == nil {
		return
	}
	if b.Epoch != p.epoch {
		p.epoch = b.Epoch
		p.bar.Reset()
	}
	desc := fmt.Sprintf("Epoch[%d]", b.Epoch)
	if b.EvalMetric != nil {
		name, v := b.EvalMetric.GetGlobal()
		desc += fmt.Sprintf(" %s=%.4f", name, v)
	}
	p.bar.Describe(desc)
	_ = p.bar.Set(min(b.NBatch+1, p.total))
}

// Finish completes and clears the bar (call at the end of an epoch).
func (p *ProgressBar) Finish() {
	if p.bar != nil {
		_ = p.bar.Finish()
	}
}
