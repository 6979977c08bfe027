package ndarray

import (
	"errors"
	"fmt"
	"io"
)

// RecordError is a malformed or truncated record (or list) found while
// decoding; Offset is the byte offset of the offending field from the start
// of the source.
type RecordError struct {
	Offset int64
	Msg    string
}

// Error gives the byte offset and the problem.
func (e *RecordError) Error() string { return fmt.Sprintf("offset %d: %s", e.Offset, e.Msg) }

// Source supplies bytes to ReadRecord and the list readers built on it.
type Source interface {
	// Next returns the next n bytes (n is small: a header field). The slice
	// is only valid until the next call. Short input gives io.ErrUnexpectedEOF
	// (or io.EOF when nothing at all was left).
	Next(n int) ([]byte, error)
	// Block returns the next n bytes as storage an array may keep (Align-aligned when freshly allocated). Callers
	// check n against Remaining first when it is known.
	Block(n int) ([]byte, error)
	// Offset is the number of bytes consumed so far.
	Offset() int64
	// Remaining is the number of bytes left, or -1 when unknown.
	Remaining() int64
}

// BytesSource reads records from a byte slice. Blocks alias the slice unless
// Copy is set, in which case they are copied into aligned storage.
type BytesSource struct {
	b    []byte
	off  int
	Copy bool
}

// NewBytesSource returns a Source over b whose blocks alias b.
func NewBytesSource(b []byte) *BytesSource { return &BytesSource{b: b} }

// Next implements Source.
func (s *BytesSource) Next(n int) ([]byte, error) {
	if n < 0 || n > len(s.b)-s.off {
		if s.off == len(s.b) {
			return nil, io.EOF
		}
		return nil, io.ErrUnexpectedEOF
	}
	p := s.b[s.off : s.off+n : s.off+n]
	s.off += n
	return p, nil
}

// Block implements Source.
func (s *BytesSource) Block(n int) ([]byte, error) {
	p, err := s.Next(n)
	if err != nil {
		if errors.Is(err, io.EOF) && n > 0 {
			err = io.ErrUnexpectedEOF
		}
		return nil, err
	}
	if s.Copy {
		c := AlignedBytes(n)
		copy(c, p)
		return c, nil
	}
	return p, nil
}

// Offset implements Source.
func (s *BytesSource) Offset() int64 { return int64(s.off) }

// Remaining implements Source.
func (s *BytesSource) Remaining() int64 { return int64(len(s.b) - s.off) }

// StreamSource reads records from an io.Reader, never reading past the bytes
// it returns (wrap r in a bufio.Reader for speed with small reads). Blocks are
// read straight into freshly allocated aligned storage, each allocated once
// at its final size when the total size is known, or when the claim is at
// most streamTrust bytes beyond what the stream has already delivered. A
// larger claim from a stream of unknown size is read in chunks as its bytes
// arrive and then joined, so memory follows the real input, not a header's
// claim.
type StreamSource struct {
	r    io.Reader
	off  int64
	size int64 // -1 when unknown
	buf  []byte
}

// streamTrust is how far a block's claimed size may exceed the bytes a
// stream of unknown size has delivered before the block is read in chunks.
const streamTrust = 64 << 20

// NewStreamSource returns a Source over r. size is the total number of bytes
// r will deliver, or -1 if unknown.
func NewStreamSource(r io.Reader, size int64) *StreamSource {
	return &StreamSource{r: r, size: size}
}

// Next implements Source.
func (s *StreamSource) Next(n int) ([]byte, error) {
	if cap(s.buf) < n {
		s.buf = make([]byte, n)
	}
	p := s.buf[:n]
	m, err := io.ReadFull(s.r, p)
	s.off += int64(m)
	if err != nil {
		return nil, err
	}
	return p, nil
}

// Block implements Source.
func (s *StreamSource) Block(n int) ([]byte, error) {
	if s.size >= 0 || int64(n) <= s.off+streamTrust {
		if s.size >= 0 && int64(n) > s.Remaining() {
			return nil, io.ErrUnexpectedEOF
		}
		p := AlignedBytes(n)
		m, err := io.ReadFull(s.r, p)
		s.off += int64(m)
		if err != nil {
			if errors.Is(err, io.EOF) {
				err = io.ErrUnexpectedEOF
			}
			return nil, err
		}
		return p, nil
	}
	// Unknown size and a large claim: read chunks as the bytes arrive.
	var chunks [][]byte
	for got, chunk := 0, 1<<20; got < n; chunk = min(2*chunk, 16<<20) {
		c := make([]byte, min(chunk, n-got))
		m, err := io.ReadFull(s.r, c)
		got += m
		s.off += int64(m)
		if err != nil {
			return nil, io.ErrUnexpectedEOF
		}
		chunks = append(chunks, c)
	}
	p := AlignedBytes(n)
	o := 0
	for i, c := range chunks {
		o += copy(p[o:], c)
		chunks[i] = nil
	}
	return p, nil
}

// Offset implements Source.
func (s *StreamSource) Offset() int64 { return s.off }

// Remaining implements Source.
func (s *StreamSource) Remaining() int64 {
	if s.size < 0 {
		return -1
	}
	return s.size - s.off
}
