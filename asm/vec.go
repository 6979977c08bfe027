package asm

import (
	"fmt"

	"github.com/mxgo/mxgo/internal/parallel"
)

// Vector kernels. Every function works on the first n = len(dst) elements;
// x and y must be at least that long (a shorter slice panics, like
// indexing). dst may be x or y itself (in place) but must not overlap them
// partially. Each doc comment states the reference semantics, which the
// generic implementation (vec_generic.go) follows literally.

// Relu sets dst[i] = x[i] if x[i] > 0 or x[i] is NaN, else 0 (MXNet's relu
// lets NaN through).
func Relu(dst, x []float32) { vk.relu(dst, x[:len(dst)]) }

// LeakyRelu sets dst[i] = x[i] if x[i] > 0, else slope*x[i].
func LeakyRelu(dst, x []float32, slope float32) { vk.leakyRelu(dst, x[:len(dst)], slope) }

// Clip sets dst[i] = min(max(x[i], lo), hi); NaN stays NaN.
func Clip(dst, x []float32, lo, hi float32) { vk.clip(dst, x[:len(dst)], lo, hi) }

// Exp sets dst[i] = e^x[i].
func Exp(dst, x []float32) { vk.exp(dst, x[:len(dst)]) }

// Log sets dst[i] = ln x[i] (NaN for negative x, -Inf for ±0).
func Log(dst, x []float32) { vk.log(dst, x[:len(dst)]) }

// Sigmoid sets dst[i] = 1 / (1 + e^-x[i]).
func Sigmoid(dst, x []float32) { vk.sigmoid(dst, x[:len(dst)]) }

// Tanh sets dst[i] = tanh x[i].
func Tanh(dst, x []float32) { vk.tanh(dst, x[:len(dst)]) }

// SoftRelu sets dst[i] = x[i] if x[i] > 20, else ln(1 + e^x[i]) (MXNet's
// softrelu).
func SoftRelu(dst, x []float32) { vk.softRelu(dst, x[:len(dst)]) }

// Erf sets dst[i] = erf x[i].
func Erf(dst, x []float32) { vk.erf(dst, x[:len(dst)]) }

// Gelu sets dst[i] = x[i]/2 · (1 + erf(x[i]/√2)) (the exact GELU).
func Gelu(dst, x []float32) { vk.gelu(dst, x[:len(dst)]) }

// Softmax sets dst to the softmax of the row x at the given temperature:
// dst[i] = e^((x[i]-m)/t) / Σ e^((x[j]-m)/t) with m = max(x).
func Softmax(dst, x []float32, temperature float32) {
	vk.softmax(dst, x[:len(dst)], temperature)
}

// SoftmaxRows is Softmax on each row of n floats of dst and x (len(dst)/n
// rows; a partial last row is left alone), with the bits Softmax gives the
// row: one call for a classifier's whole batch of short rows. It panics
// when n < 1.
func SoftmaxRows(dst, x []float32, n int, temperature float32) {
	if n < 1 {
		panic(fmt.Sprintf("asm.SoftmaxRows: row length %d", n))
	}
	dst = dst[:len(dst)/n*n]
	x = x[:len(dst)]
	if len(dst) > n && n <= softmaxScratch/8 && &dst[0] == &x[0] {
		// In place, row i+1's loads would wait for row i's stores to the
		// cache line the two rows share (3.6x the time for rows of 10 on
		// Zen 5, 1.5x for rows of 100): the rows go through a scratch
		// buffer, a block at a time, and are copied back.
		buf := softmaxBufs.Get()
		if *buf == nil {
			*buf = make([]float32, softmaxScratch)
		}
		block := softmaxScratch / n * n
		for lo := 0; lo < len(dst); lo += block {
			hi := min(lo+block, len(dst))
			softmaxRows((*buf)[:hi-lo], x[lo:hi], n, temperature)
			copy(dst[lo:hi], (*buf)[:hi-lo])
		}
		softmaxBufs.Put(buf)
		return
	}
	softmaxRows(dst, x, n, temperature)
}

// softmaxScratch is the size, in floats, of SoftmaxRows's scratch buffers
// for rows computed in place.
const softmaxScratch = 4096

var softmaxBufs parallel.FreeList[[]float32]

// softmaxRows is SoftmaxRows on whole rows.
func softmaxRows(dst, x []float32, n int, temperature float32) {
	if vk.softmaxRows != nil {
		vk.softmaxRows(dst, x, n, temperature)
		return
	}
	for lo := 0; lo < len(dst); lo += n {
		vk.softmax(dst[lo:lo+n], x[lo:lo+n], temperature)
	}
}

// LogSoftmax sets dst[i] = (x[i]-m)/t - ln Σ e^((x[j]-m)/t) with m = max(x).
func LogSoftmax(dst, x []float32, temperature float32) {
	vk.logSoftmax(dst, x[:len(dst)], temperature)
}

// Sum returns Σ x[i] (0 for an empty x). The summation order is
// implementation-defined.
func Sum(x []float32) float32 { return vk.sum(x) }

// Max returns the largest element of x: -Inf when x is empty, NaN when any
// element is NaN.
func Max(x []float32) float32 { return vk.max(x) }

// Dot returns Σ x[i]·y[i] over len(x) elements (y must be as long).
func Dot(x, y []float32) float32 { return vk.dot(x, y[:len(x)]) }

// Scale sets dst[i] = a·x[i].
func Scale(dst, x []float32, a float32) { vk.scale(dst, x[:len(dst)], a) }

// Axpy sets dst[i] += a·x[i].
func Axpy(dst, x []float32, a float32) { vk.axpy(dst, x[:len(dst)], a) }

// AddScalar sets dst[i] = x[i] + s.
func AddScalar(dst, x []float32, s float32) { vk.addScalar(dst, x[:len(dst)], s) }

// Affine sets dst[i] = a·x[i] + b (BatchNorm's per-channel transform); the
// multiply-add may be fused.
func Affine(dst, x []float32, a, b float32) { vk.affine(dst, x[:len(dst)], a, b) }

// AddBias adds bias[j] to c[r*ldc+j] for r < rows, j < cols. It panics
// when a row stride ldc < cols would make rows overlap, and like indexing
// when c or bias is too short.
func AddBias(c []float32, rows, cols, ldc int, bias []float32) {
	if rows <= 0 || cols <= 0 {
		return
	}
	if rows > 1 && ldc < cols {
		panic(fmt.Sprintf("asm.AddBias: row stride %d < row length %d", ldc, cols))
	}
	bias = bias[:cols]
	_ = c[(rows-1)*ldc+cols-1]
	for r := range rows {
		vk.add(c[r*ldc:r*ldc+cols], c[r*ldc:r*ldc+cols], bias)
	}
}

// Add sets dst[i] = x[i] + y[i].
func Add(dst, x, y []float32) { vk.add(dst, x[:len(dst)], y[:len(dst)]) }

// Sub sets dst[i] = x[i] - y[i].
func Sub(dst, x, y []float32) { vk.sub(dst, x[:len(dst)], y[:len(dst)]) }

// Mul sets dst[i] = x[i] · y[i].
func Mul(dst, x, y []float32) { vk.mul(dst, x[:len(dst)], y[:len(dst)]) }

// Div sets dst[i] = x[i] / y[i].
func Div(dst, x, y []float32) { vk.div(dst, x[:len(dst)], y[:len(dst)]) }

// MaxFirst sets dst[i] = x[i] when x[i] > y[i], else y[i]: one step of a
// running maximum y over values x that keeps the earlier value on a tie
// (−0 against +0) and skips a NaN x, as MXNet's max pooling and softmax
// compare (if v > m { m = v }). Folding a window's values in order through
// MaxFirst gives the first of its largest values, so folding rows and then
// the rows' results, each in order, gives the row-major first maximum.
func MaxFirst(dst, x, y []float32) { vk.maxFirst(dst, x[:len(dst)], y[:len(dst)]) }

// F16ToF32 converts IEEE binary16 bits to float32, exactly (HalfToFloat).
func F16ToF32(dst []float32, src []uint16) { vk.f16ToF32(dst, src[:len(dst)]) }

// F32ToF16 converts float32 to binary16 bits rounding to nearest even
// (FloatToHalf).
func F32ToF16(dst []uint16, src []float32) { vk.f32ToF16(dst, src[:len(dst)]) }
