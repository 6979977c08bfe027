package serve

import (
	"context"
	"encoding/binary"
	"math"
	"strconv"
	"time"

	"google.golang.org/grpc/status"

	pb "github.com/mxgo/mxgo/serve/inferencepb"
	"github.com/mxgo/mxgo/tensor"
)

// grpcService implements inference.GRPCInferenceService on a Server.
type grpcService struct {
	pb.UnimplementedGRPCInferenceServiceServer
	s *Server
}

func grpcError(err error) error {
	if err == nil {
		return nil
	}
	return status.Error(kindOf(err).grpcCode(), err.Error())
}

func (g *grpcService) ServerLive(context.Context, *pb.ServerLiveRequest) (*pb.ServerLiveResponse, error) {
	return &pb.ServerLiveResponse{Live: true}, nil
}

func (g *grpcService) ServerReady(context.Context, *pb.ServerReadyRequest) (*pb.ServerReadyResponse, error) {
	return &pb.ServerReadyResponse{Ready: g.s.Ready()}, nil
}

func (g *grpcService) ModelReady(_ context.Context, r *pb.ModelReadyRequest) (*pb.ModelReadyResponse, error) {
	_, err := g.s.lookup(r.GetName(), r.GetVersion())
	if kindOf(err) == kindNotFound {
		return nil, grpcError(err)
	}
	return &pb.ModelReadyResponse{Ready: err == nil}, nil
}

func (g *grpcService) ServerMetadata(context.Context, *pb.ServerMetadataRequest) (*pb.ServerMetadataResponse, error) {
	return &pb.ServerMetadataResponse{Name: serverName, Version: Version(), Extensions: extensions}, nil
}

func grpcMetas(ms []tensorMeta) []*pb.ModelMetadataResponse_TensorMetadata {
	out := make([]*pb.ModelMetadataResponse_TensorMetadata, len(ms))
	for i, m := range ms {
		shape := make([]int64, len(m.shape))
		for j, d := range m.shape {
			shape[j] = int64(d)
		}
		out[i] = &pb.ModelMetadataResponse_TensorMetadata{Name: m.name, Datatype: mustDatatype(m.dtype), Shape: shape}
	}
	return out
}

func (g *grpcService) ModelMetadata(_ context.Context, r *pb.ModelMetadataRequest) (*pb.ModelMetadataResponse, error) {
	l, err := g.s.lookup(r.GetName(), r.GetVersion())
	if err != nil {
		return nil, grpcError(err)
	}
	return &pb.ModelMetadataResponse{Name: l.name, Versions: []string{l.version()}, Platform: platform,
		Inputs: grpcMetas(l.inputs), Outputs: grpcMetas(l.outputs)}, nil
}

func (g *grpcService) ModelInfer(ctx context.Context, r *pb.ModelInferRequest) (*pb.ModelInferResponse, error) {
	start := time.Now()
	resp, err := g.infer(ctx, r)
	g.s.observe(r.GetModelName(), "grpc", start, err)
	return resp, grpcError(err)
}

func (g *grpcService) infer(ctx context.Context, r *pb.ModelInferRequest) (*pb.ModelInferResponse, error) {
	l, err := g.s.lookup(r.GetModelName(), r.GetModelVersion())
	if err != nil {
		return nil, err
	}
	ins, err := decodeGRPC(l, r)
	if err != nil {
		return nil, err
	}
	ts, rows, err := l.assemble(ins)
	if err != nil {
		return nil, err
	}
	names := make([]string, len(r.GetOutputs()))
	for i, o := range r.GetOutputs() {
		names[i] = o.GetName()
	}
	v, pick, err := l.selectOutputs(names)
	if err != nil {
		return nil, err
	}
	outs, version, err := v.infer(ctx, ts, rows, pick)
	if err != nil {
		return nil, err
	}
	resp := &pb.ModelInferResponse{ModelName: l.name, ModelVersion: version, Id: r.GetId()}
	for _, o := range outs {
		shape := make([]int64, len(o.shape))
		for j, d := range o.shape {
			shape[j] = int64(d)
		}
		resp.Outputs = append(resp.Outputs, &pb.ModelInferResponse_InferOutputTensor{Name: o.name, Datatype: mustDatatype(o.dtype), Shape: shape})
		resp.RawOutputContents = append(resp.RawOutputContents, o.data)
	}
	return resp, nil
}

// decodeGRPC reads the input tensors of a ModelInferRequest, from
// raw_input_contents or from the typed contents.
func decodeGRPC(l *loaded, r *pb.ModelInferRequest) ([]decoded, error) {
	if len(r.GetInputs()) == 0 {
		return nil, errorf(kindInvalid, "inputs: no input tensors given")
	}
	raw := r.GetRawInputContents()
	if len(raw) > 0 && len(raw) != len(r.GetInputs()) {
		return nil, errorf(kindInvalid, "raw_input_contents: %d entries for %d inputs", len(raw), len(r.GetInputs()))
	}
	var out []decoded
	for i, in := range r.GetInputs() {
		field := "inputs[" + strconv.Itoa(i) + "]"
		idx, dims, n, err := l.checkInput(field, in.GetName(), in.GetDatatype(), in.GetShape())
		if err != nil {
			return nil, err
		}
		dt := l.inputs[idx].dtype
		var t *tensor.Tensor
		if len(raw) > 0 {
			if in.GetContents() != nil {
				return nil, errorf(kindInvalid, "%s.contents: must be empty when raw_input_contents is used", field)
			}
			if want := n * dt.Size(); len(raw[i]) != want {
				return nil, errorf(kindInvalid, "raw_input_contents[%d]: %d bytes, shape %v of %s needs %d", i, len(raw[i]), in.GetShape(), in.GetDatatype(), want)
			}
			if t, err = tensor.New(dt, dims...); err != nil {
				return nil, errorf(kindInvalid, "%s.shape: %v", field, err)
			}
			copy(t.Bytes(), raw[i])
		} else {
			if t, err = fillContents(field, in.GetContents(), dt, dims, n); err != nil {
				return nil, err
			}
		}
		out = append(out, decoded{field: field, idx: idx, t: t})
	}
	return out, nil
}

// fillContents builds a tensor from the typed contents field of its
// datatype.
func fillContents(field string, c *pb.InferTensorContents, dt tensor.DType, dims []int, n int) (*tensor.Tensor, error) {
	var have int
	var which string
	switch dt {
	case tensor.Bool:
		have, which = len(c.GetBoolContents()), "bool_contents"
	case tensor.Int8, tensor.Int16, tensor.Int32:
		have, which = len(c.GetIntContents()), "int_contents"
	case tensor.Int64:
		have, which = len(c.GetInt64Contents()), "int64_contents"
	case tensor.Uint8, tensor.Uint16, tensor.Uint32:
		have, which = len(c.GetUintContents()), "uint_contents"
	case tensor.Uint64:
		have, which = len(c.GetUint64Contents()), "uint64_contents"
	case tensor.Float32:
		have, which = len(c.GetFp32Contents()), "fp32_contents"
	case tensor.Float64:
		have, which = len(c.GetFp64Contents()), "fp64_contents"
	default:
		return nil, errorf(kindInvalid, "%s.contents: %s has no typed contents field; use raw_input_contents", field, mustDatatype(dt))
	}
	if have != n {
		return nil, errorf(kindInvalid, "%s.contents.%s: %d values, shape %v needs %d", field, which, have, dims, n)
	}
	t, err := tensor.New(dt, dims...)
	if err != nil {
		return nil, errorf(kindInvalid, "%s.shape: %v", field, err)
	}
	b := t.Bytes()
	size := dt.Size()
	for i := range n {
		e := b[i*size:]
		switch dt {
		case tensor.Bool:
			if c.BoolContents[i] {
				e[0] = 1
			}
		case tensor.Int8, tensor.Int16, tensor.Int32:
			v := int64(c.IntContents[i])
			if lim := int64(1) << (size*8 - 1); v < -lim || v >= lim {
				return nil, errorf(kindInvalid, "%s.contents.int_contents[%d]: %d is out of range for %s", field, i, v, mustDatatype(dt))
			}
			putUint(e, size, uint64(v))
		case tensor.Int64:
			putUint(e, 8, uint64(c.Int64Contents[i]))
		case tensor.Uint8, tensor.Uint16, tensor.Uint32:
			v := uint64(c.UintContents[i])
			if v >= uint64(1)<<(size*8) {
				return nil, errorf(kindInvalid, "%s.contents.uint_contents[%d]: %d is out of range for %s", field, i, v, mustDatatype(dt))
			}
			putUint(e, size, v)
		case tensor.Uint64:
			putUint(e, 8, c.Uint64Contents[i])
		case tensor.Float32:
			binary.LittleEndian.PutUint32(e, math.Float32bits(c.Fp32Contents[i]))
		case tensor.Float64:
			binary.LittleEndian.PutUint64(e, math.Float64bits(c.Fp64Contents[i]))
		}
	}
	return t, nil
}
