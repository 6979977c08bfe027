package train

import (
	"fmt"
	"math"
	"strings"

	"github.com/mxgo/mxgo/tensor"
)

// Metric is an evaluation metric with MXNet's EvalMetric semantics (with
// has_global_stats, as Accuracy, TopKAccuracy, CrossEntropy and MSE have):
// Update accumulates sum_metric and num_inst from a batch's labels and
// predictions (one label array per prediction array) into local and global
// statistics; Get returns the local sum_metric/num_inst (NaN before any
// instance), GetGlobal the global one; ResetLocal clears the local
// statistics (what Speedometer's auto_reset does), Reset both.
type Metric interface {
	// Update accumulates one batch.
	Update(labels, preds []*tensor.Tensor) error
	// Get returns the metric's name and local value.
	Get() (name string, value float64)
	// GetGlobal returns the metric's name and value since the last Reset.
	GetGlobal() (name string, value float64)
	// Reset clears all accumulated statistics.
	Reset()
	// ResetLocal clears the local statistics.
	ResetLocal()
}

// sums are EvalMetric's sum_metric / num_inst and their global twins.
type sums struct {
	name       string
	sum        float64
	numIns     int
	globalSum  float64
	globalNIns int
}

func (s *sums) add(v float64, n int) {
	s.sum += v
	s.globalSum += v
	s.numIns += n
	s.globalNIns += n
}

// Get implements Metric.
func (s *sums) Get() (string, float64) {
	if s.numIns == 0 {
		return s.name, math.NaN()
	}
	return s.name, s.sum / float64(s.numIns)
}

// GetGlobal implements Metric.
func (s *sums) GetGlobal() (string, float64) {
	if s.globalNIns == 0 {
		return s.name, math.NaN()
	}
	return s.name, s.globalSum / float64(s.globalNIns)
}

// Reset implements Metric.
func (s *sums) Reset() { *s = sums{name: s.name} }

// ResetLocal implements Metric.
func (s *sums) ResetLocal() { s.sum, s.numIns = 0, 0 }

// NumInst returns the local number of instances (num_inst).
func (s *sums) NumInst() int { return s.numIns }

func checkLists(what string, labels, preds []*tensor.Tensor) error {
	if len(labels) != len(preds) {
		return fmt.Errorf("train: %s: %d label arrays do not match %d predictions", what, len(labels), len(preds))
	}
	for i := range labels {
		if labels[i] == nil || preds[i] == nil {
			return fmt.Errorf("train: %s: nil array", what)
		}
	}
	return nil
}

// asInt32 is numpy's astype('int32') of a float label (truncation), with
// non-finite or out-of-range values reported.
func asInt32(what string, v float64) (int, error) {
	if math.IsNaN(v) || v >= math.MaxInt32+1 || v <= math.MinInt32-1 {
		return 0, fmt.Errorf("train: %s: label %v is not a class index", what, v)
	}
	return int(v), nil
}

// Accuracy is MXNet's Accuracy metric (name "accuracy"): predictions of
// the label's shape are class indices; otherwise the class is the argmax
// over axis 1 of an (N, C) prediction (the first maximum on ties). Labels
// and predicted classes are truncated to int32 as numpy's astype does.
type Accuracy struct{ sums }

// NewAccuracy returns an Accuracy metric.
func NewAccuracy() *Accuracy { return &Accuracy{sums{name: "accuracy"}} }

// Update implements Metric.
func (a *Accuracy) Update(labels, preds []*tensor.Tensor) error {
	if err := checkLists("accuracy", labels, preds); err != nil {
		return err
	}
	for k, label := range labels {
		pred := preds[k]
		n := label.Len()
		correct := 0
		if pred.SameShape(label) {
			for i := range n {
				p, err := asInt32("accuracy", pred.Float64At(i))
				if err != nil {
					return err
				}
				l, err := asInt32("accuracy", label.Float64At(i))
				if err != nil {
					return err
				}
				if p == l {
					correct++
				}
			}
			a.add(float64(correct), n)
			continue
		}
		if pred.NDim() != 2 || pred.Dim(0) != n {
			return fmt.Errorf("train: accuracy: predictions %s do not match labels %s (want (N, classes) or the label's shape)", pred, label)
		}
		c := pred.Dim(1)
		if c == 0 {
			return fmt.Errorf("train: accuracy: predictions %s have no classes", pred)
		}
		for i := range n {
			best, bi := pred.Float64At(i*c), 0
			for j := 1; j < c; j++ {
				if v := pred.Float64At(i*c + j); v > best {
					best, bi = v, j
				}
			}
			l, err := asInt32("accuracy", label.Float64At(i))
			if err != nil {
				return err
			}
			if bi == l {
				correct++
			}
		}
		a.add(float64(correct), n)
	}
	return nil
}

// TopKAccuracy is MXNet's TopKAccuracy (name "top_k_accuracy_K"): a sample
// counts when its label is among the K highest-scoring classes of an
// (N, C) prediction (all classes when C < K). On tied scores a label counts
// when fewer than K classes score strictly higher (numpy's argpartition
// leaves the choice among ties unspecified).
type TopKAccuracy struct {
	sums
	k int
}

// NewTopKAccuracy returns a TopKAccuracy metric; k must be > 1 as in MXNet
// (use Accuracy for k = 1).
func NewTopKAccuracy(k int) (*TopKAccuracy, error) {
	if k <= 1 {
		return nil, fmt.Errorf("train: top_k = %d: use Accuracy if top_k is no more than 1", k)
	}
	return &TopKAccuracy{sums: sums{name: fmt.Sprintf("top_k_accuracy_%d", k)}, k: k}, nil
}

// Update implements Metric.
func (t *TopKAccuracy) Update(labels, preds []*tensor.Tensor) error {
	if err := checkLists("top_k_accuracy", labels, preds); err != nil {
		return err
	}
	for k, label := range labels {
		pred := preds[k]
		if pred.NDim() != 2 || pred.Dim(0) != label.Len() {
			return fmt.Errorf("train: top_k_accuracy: predictions %s must be (N, classes) for labels %s", pred, label)
		}
		n, c := pred.Dim(0), pred.Dim(1)
		correct := 0
		for i := range n {
			l, err := asInt32("top_k_accuracy", label.Float64At(i))
			if err != nil {
				return err
			}
			if l < 0 || l >= c {
				continue
			}
			ls := float64(float32(pred.Float64At(i*c + l)))
			higher := 0
			for j := range c {
				if float64(float32(pred.Float64At(i*c+j))) > ls {
					higher++
				}
			}
			if higher < t.k {
				correct++
			}
		}
		t.add(float64(correct), n)
	}
	return nil
}

// CrossEntropy is MXNet's CrossEntropy metric (name "cross-entropy"): the
// mean over samples of −log(p[label] + eps) for (N, C) probabilities.
// MXNet sums in float32; mxgo accumulates in float64.
type CrossEntropy struct {
	sums
	eps float64
}

// NewCrossEntropy returns a CrossEntropy metric; MXNet's default eps is
// 1e-12.
func NewCrossEntropy(eps float64) *CrossEntropy {
	return &CrossEntropy{sums: sums{name: "cross-entropy"}, eps: eps}
}

// Update implements Metric.
func (ce *CrossEntropy) Update(labels, preds []*tensor.Tensor) error {
	if err := checkLists("cross-entropy", labels, preds); err != nil {
		return err
	}
	for k, label := range labels {
		pred := preds[k]
		n := label.Len()
		if pred.NDim() != 2 || pred.Dim(0) != n {
			return fmt.Errorf("train: cross-entropy: predictions %s must be (N, classes) for labels %s", pred, label)
		}
		c := pred.Dim(1)
		var s float64
		for i := range n {
			lv := label.Float64At(i)
			if math.IsNaN(lv) || lv <= -1 || lv >= float64(c) {
				return fmt.Errorf("train: cross-entropy: label %v of sample %d is out of range for %d classes", lv, i, c)
			}
			s += -math.Log(pred.Float64At(i*c+int(lv)) + ce.eps)
		}
		ce.add(s, n)
	}
	return nil
}

// MSE is MXNet's MSE metric (name "mse"): each label/prediction pair adds
// the mean of its squared differences and counts as one instance, so Get is
// the mean of per-batch means.
type MSE struct{ sums }

// NewMSE returns an MSE metric.
func NewMSE() *MSE { return &MSE{sums{name: "mse"}} }

// Update implements Metric.
func (m *MSE) Update(labels, preds []*tensor.Tensor) error {
	if err := checkLists("mse", labels, preds); err != nil {
		return err
	}
	for k, label := range labels {
		pred := preds[k]
		n := label.Len()
		if pred.Len() != n || n == 0 {
			return fmt.Errorf("train: mse: predictions %s do not match labels %s", pred, label)
		}
		var s float64
		for i := range n {
			d := label.Float64At(i) - pred.Float64At(i)
			s += d * d
		}
		m.add(s/float64(n), 1)
	}
	return nil
}

// NewMetric creates a metric by MXNet's registered name or alias:
// "accuracy"/"acc", "top_k_accuracy_K"/"top_k_acc_K" (K > 1),
// "cross-entropy"/"crossentropy"/"ce", "mse".
func NewMetric(name string) (Metric, error) {
	n := strings.ToLower(name)
	switch n {
	case "accuracy", "acc":
		return NewAccuracy(), nil
	case "cross-entropy", "crossentropy", "ce":
		return NewCrossEntropy(1e-12), nil
	case "mse":
		return NewMSE(), nil
	}
	for _, p := range []string{"top_k_accuracy_", "top_k_acc_"} {
		if rest, ok := strings.CutPrefix(n, p); ok {
			var k int
			if _, err := fmt.Sscanf(rest, "%d", &k); err != nil || fmt.Sprint(k) != rest {
				return nil, fmt.Errorf("train: metric %q: bad k", name)
			}
			return NewTopKAccuracy(k)
		}
	}
	return nil, fmt.Errorf("train: unknown metric %q (have accuracy, top_k_accuracy_K, cross-entropy, mse)", name)
}
