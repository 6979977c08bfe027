package ops

import (
	"math"
	"testing"
)

// TestUpNearestPlaneAlignments: nearest upsampling writes src repeated
// sh×sw times at every scale, on 8-byte aligned and unaligned rows (the 2×
// path stores pairs as one 8-byte word only when aligned), keeping NaN
// payloads and -0 bit for bit.
func TestUpNearestPlaneAlignments(t *testing.T) {
	for _, c := range []struct{ h, w, sh, sw int }{{3, 5, 2, 2}, {1, 1, 2, 2}, {4, 7, 1, 2}, {2, 3, 3, 3}, {2, 4, 2, 1}} {
		src := make([]float32, c.h*c.w)
		for i := range src {
			src[i] = float32(i) - 3.5
		}
		src[0] = math.Float32frombits(0x7fc01234) // a NaN payload
		src[len(src)-1] = float32(math.Copysign(0, -1))
		oh, ow := c.h*c.sh, c.w*c.sw
		for off := range 2 {
			buf := make([]float32, oh*ow+1)
			dst := buf[off : off+oh*ow]
			if err := upNearestPlane(dst, src, c.h, c.w, c.sh, c.sw, false, &cancelCheck{}); err != nil {
				t.Fatal(err)
			}
			for y := range oh {
				for x := range ow {
					want := math.Float32bits(src[(y/c.sh)*c.w+x/c.sw])
					if got := math.Float32bits(dst[y*ow+x]); got != want {
						t.Fatalf("%+v offset %d: (%d,%d) = %#x, want %#x", c, off, y, x, got, want)
					}
				}
			}
		}
	}
}
