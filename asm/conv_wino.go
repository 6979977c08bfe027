package asm

// Winograd F(2×2, 3×3) transforms (Lavin and Gray). A 3×3 stride-1
// convolution's outputs in 2×2 tiles are y = Aᵀ[(G·g·Gᵀ) ⊙ (Bᵀ·d·B)]A per
// tile, d the tile's 4×4 input window: the 16 products of each tile are,
// over the input channels, 16 matrix products (ConvImplicit), between the
// transforms here. Every transform value is one IEEE single add or
// subtract of two others in a fixed order, so the Go code and the SIMD
// kernels give identical bits.

// WinogradTileLanes bounds how far past a row of tiles the SIMD transforms
// read and write: a row of tw tiles is processed in steps of up to 16
// tiles, so up to WinogradRowSpan(tw) tiles of it.
const WinogradTileLanes = 16

// WinogradRowSpan returns the tiles a transform step covers along a row
// of tw tiles: tw rounded up to WinogradTileLanes.
func WinogradRowSpan(tw int) int {
	return (tw + WinogradTileLanes - 1) / WinogradTileLanes * WinogradTileLanes
}

// WinogradInput transforms one input channel: for tile (ty, tx), ty < th
// and tx < tw, whose 4×4 window is rows 2ty..2ty+3 and columns
// 2tx..2tx+3 of the channel's padded plane, given as its even and odd
// columns (e[r·ld+t] = plane[r][2t], o[r·ld+t] = plane[r][2t+1]), it sets
// v[ξ·vs + ty·tw + tx] for ξ = 4i+j < 16 to (Bᵀ·d·B)[i][j]:
//
//	w_i = (d_i0 - d_i2, d_i1 + d_i2, d_i2 - d_i1, d_i1 - d_i3)   per row i
//	v_0j = w_0j - w_2j, v_1j = w_1j + w_2j, v_2j = w_2j - w_1j, v_3j = w_1j - w_3j
//
// The kernels read columns t ≤ WinogradRowSpan(tw) of rows below 2th+2 and
// may write v[ξ·vs + ty·tw + tx] for tx up to WinogradRowSpan(tw)-1 (a
// row's extra tiles are the next row's, rewritten after): vs must be at
// least (th-1)·tw + WinogradRowSpan(tw) and ld more than
// WinogradRowSpan(tw). It panics when a slice is too short.
func WinogradInput(v []float32, vs int, e, o []float32, ld, th, tw int) {
	if th <= 0 || tw <= 0 {
		return
	}
	span := WinogradRowSpan(tw)
	if ld <= span || vs < (th-1)*tw+span {
		panic("asm: WinogradInput: bad geometry")
	}
	_ = v[15*vs+(th-1)*tw+span-1]
	_ = e[(2*th+1)*ld+span]
	_ = o[(2*th+1)*ld+span]
	winoInput(ciImpl, v, vs, e, o, ld, th, tw)
}

// WinogradOutput transforms one output channel: for tile (ty, tx), with
// m_ij = m[(4i+j)·ms + ty·tw + tx] (the 16 products summed over the input
// channels), it sets wide[(2ty+a)·ldw + 2tx+b] = (Aᵀ·m·A)[a][b]:
//
//	s_0j = (m_0j + m_1j) + m_2j, s_1j = (m_1j - m_2j) - m_3j   per column j
//	y_a0 = (s_a0 + s_a1) + s_a2, y_a1 = (s_a1 - s_a2) - s_a3
//
// The kernels read m up to tile WinogradRowSpan(tw)-1 of each row and
// write wide up to column 2·WinogradRowSpan(tw)-1: ms must be at least
// (th-1)·tw + WinogradRowSpan(tw) and ldw at least 2·WinogradRowSpan(tw).
// It panics when a slice is too short.
func WinogradOutput(wide []float32, ldw int, m []float32, ms, th, tw int) {
	if th <= 0 || tw <= 0 {
		return
	}
	span := WinogradRowSpan(tw)
	if ldw < 2*span || ms < (th-1)*tw+span {
		panic("asm: WinogradOutput: bad geometry")
	}
	_ = wide[(2*th-1)*ldw+2*span-1]
	_ = m[15*ms+(th-1)*tw+span-1]
	winoOutput(ciImpl, wide, ldw, m, ms, th, tw)
}

// winoInputGeneric is WinogradInput in Go, tiles from t0 to tw of each row.
func winoInputGeneric(v []float32, vs int, e, o []float32, ld, th, tw, t0 int) {
	for ty := range th {
		r := 2 * ty * ld
		for tx := t0; tx < tw; tx++ {
			var w [4][4]float32
			for i := range 4 {
				q := r + i*ld + tx
				d0, d1, d2, d3 := e[q], o[q], e[q+1], o[q+1]
				w[i] = [4]float32{d0 - d2, d1 + d2, d2 - d1, d1 - d3}
			}
			at := ty*tw + tx
			for j := range 4 {
				v[j*vs+at] = w[0][j] - w[2][j]
				v[(4+j)*vs+at] = w[1][j] + w[2][j]
				v[(8+j)*vs+at] = w[2][j] - w[1][j]
				v[(12+j)*vs+at] = w[1][j] - w[3][j]
			}
		}
	}
}

// winoOutputGeneric is WinogradOutput in Go, tiles from t0 to tw of each
// row.
func winoOutputGeneric(wide []float32, ldw int, m []float32, ms, th, tw, t0 int) {
	for ty := range th {
		for tx := t0; tx < tw; tx++ {
			at := ty*tw + tx
			var s [2][4]float32
			for j := range 4 {
				m0, m1, m2, m3 := m[j*ms+at], m[(4+j)*ms+at], m[(8+j)*ms+at], m[(12+j)*ms+at]
				s[0][j] = m0 + m1 + m2
				s[1][j] = m1 - m2 - m3
			}
			for a := range 2 {
				row := wide[(2*ty+a)*ldw+2*tx:]
				row[0] = s[a][0] + s[a][1] + s[a][2]
				row[1] = s[a][1] - s[a][2] - s[a][3]
			}
		}
	}
}
