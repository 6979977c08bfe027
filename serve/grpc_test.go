package serve

import (
	"context"
	"encoding/binary"
	"math"
	"net"
	"strings"
	"testing"

	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/credentials/insecure"
	"google.golang.org/grpc/status"

	pb "github.com/mxgo/mxgo/serve/inferencepb"
)

// newGRPC serves s on a loopback gRPC server and returns a client made from
// the generated code.
func newGRPC(t *testing.T, s *Server) pb.GRPCInferenceServiceClient {
	t.Helper()
	lis, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	gs := grpc.NewServer()
	s.RegisterGRPC(gs)
	go gs.Serve(lis)
	t.Cleanup(gs.Stop)
	conn, err := grpc.NewClient(lis.Addr().String(), grpc.WithTransportCredentials(insecure.NewCredentials()))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close() })
	return pb.NewGRPCInferenceServiceClient(conn)
}

func rawFloats(v []float32) []byte {
	b := make([]byte, 4*len(v))
	for i, x := range v {
		binary.LittleEndian.PutUint32(b[4*i:], math.Float32bits(x))
	}
	return b
}

// TestGRPC talks to the server with a real gRPC client: every RPC, raw and
// typed contents, and the error codes.
func TestGRPC(t *testing.T) {
	s, _ := newServer(t, Options{})
	c := newGRPC(t, s)
	ctx := context.Background()
	if r, err := c.ServerLive(ctx, &pb.ServerLiveRequest{}); err != nil || !r.Live {
		t.Fatalf("ServerLive %v %v", r, err)
	}
	if r, err := c.ServerReady(ctx, &pb.ServerReadyRequest{}); err != nil || !r.Ready {
		t.Fatalf("ServerReady %v %v", r, err)
	}
	if r, err := c.ModelReady(ctx, &pb.ModelReadyRequest{Name: "lenet", Version: "10"}); err != nil || !r.Ready {
		t.Fatalf("ModelReady %v %v", r, err)
	}
	if r, err := c.ServerMetadata(ctx, &pb.ServerMetadataRequest{}); err != nil || r.Name != "mxgo" || strings.Join(r.Extensions, ",") != "binary_tensor_data,model_repository" {
		t.Fatalf("ServerMetadata %v %v", r, err)
	}
	md, err := c.ModelMetadata(ctx, &pb.ModelMetadataRequest{Name: "mlp"})
	if err != nil || md.Platform != "mxnet" || len(md.Inputs) != 1 || md.Inputs[0].Datatype != "FP32" ||
		!slicesEq(md.Inputs[0].Shape, []int64{-1, 1, 28, 28}) || md.Outputs[0].Name != "softmax_output" || !slicesEq(md.Outputs[0].Shape, []int64{-1, 10}) {
		t.Fatalf("ModelMetadata %v %v", md, err)
	}
	for i, want := range mnistLabels {
		img := image(t, i)
		in := &pb.ModelInferRequest_InferInputTensor{Name: "data", Datatype: "FP32", Shape: []int64{1, 1, 28, 28}}
		req := &pb.ModelInferRequest{ModelName: "lenet", Id: "g" + itoa(i), Inputs: []*pb.ModelInferRequest_InferInputTensor{in}}
		if i%2 == 0 {
			req.RawInputContents = [][]byte{rawFloats(img)}
		} else {
			in.Contents = &pb.InferTensorContents{Fp32Contents: img}
		}
		r, err := c.ModelInfer(ctx, req)
		if err != nil {
			t.Fatal(err)
		}
		if r.Id != req.Id || r.ModelVersion != "10" || len(r.RawOutputContents) != 1 || !slicesEq(r.Outputs[0].Shape, []int64{1, 10}) {
			t.Fatalf("response %v", r)
		}
		if got := argmax(floatsLE(r.RawOutputContents[0])); got != want {
			t.Errorf("image %d: class %d, want %d", i, got, want)
		}
	}
	good := func() *pb.ModelInferRequest {
		return &pb.ModelInferRequest{ModelName: "mlp", Inputs: []*pb.ModelInferRequest_InferInputTensor{
			{Name: "data", Datatype: "FP32", Shape: []int64{1, 1, 28, 28}}}, RawInputContents: [][]byte{rawFloats(image(t, 0))}}
	}
	errs := []struct {
		name   string
		mutate func(r *pb.ModelInferRequest)
		code   codes.Code
		want   string
	}{
		{"unknown model", func(r *pb.ModelInferRequest) { r.ModelName = "nope" }, codes.NotFound, `model "nope" not found`},
		{"unknown version", func(r *pb.ModelInferRequest) { r.ModelVersion = "7" }, codes.NotFound, `no version "7"`},
		{"no inputs", func(r *pb.ModelInferRequest) { r.Inputs = nil }, codes.InvalidArgument, "inputs: no input"},
		{"wrong name", func(r *pb.ModelInferRequest) { r.Inputs[0].Name = "x" }, codes.InvalidArgument, `inputs[0].name`},
		{"wrong datatype", func(r *pb.ModelInferRequest) { r.Inputs[0].Datatype = "INT32" }, codes.InvalidArgument, `inputs[0].datatype`},
		{"wrong shape", func(r *pb.ModelInferRequest) { r.Inputs[0].Shape = []int64{1, 784} }, codes.InvalidArgument, `inputs[0].shape`},
		{"huge shape", func(r *pb.ModelInferRequest) { r.Inputs[0].Shape = []int64{1 << 40, 1, 28, 28} }, codes.InvalidArgument, `raw_input_contents[0]: 3136 bytes`},
		{"raw size", func(r *pb.ModelInferRequest) { r.RawInputContents[0] = r.RawInputContents[0][:10] }, codes.InvalidArgument, `raw_input_contents[0]: 10 bytes`},
		{"raw count", func(r *pb.ModelInferRequest) { r.RawInputContents = append(r.RawInputContents, nil) }, codes.InvalidArgument, `raw_input_contents: 2 entries for 1 inputs`},
		{"raw and contents", func(r *pb.ModelInferRequest) { r.Inputs[0].Contents = &pb.InferTensorContents{} }, codes.InvalidArgument, `inputs[0].contents: must be empty`},
		{"contents count", func(r *pb.ModelInferRequest) {
			r.RawInputContents = nil
			r.Inputs[0].Contents = &pb.InferTensorContents{Fp32Contents: []float32{1}}
		}, codes.InvalidArgument, `inputs[0].contents.fp32_contents: 1 values`},
		{"contents wrong field", func(r *pb.ModelInferRequest) {
			r.RawInputContents = nil
			r.Inputs[0].Contents = &pb.InferTensorContents{Fp64Contents: make([]float64, 784)}
		}, codes.InvalidArgument, `fp32_contents: 0 values`},
		{"non-finite", func(r *pb.ModelInferRequest) {
			r.RawInputContents = nil
			v := make([]float32, 784)
			v[5] = float32(math.Inf(-1))
			r.Inputs[0].Contents = &pb.InferTensorContents{Fp32Contents: v}
		}, codes.InvalidArgument, `inputs[0].data: element 5 is -Inf`},
		{"unknown output", func(r *pb.ModelInferRequest) {
			r.Outputs = []*pb.ModelInferRequest_InferRequestedOutputTensor{{Name: "zz"}}
		}, codes.InvalidArgument, `outputs[0].name`},
	}
	for _, e := range errs {
		r := good()
		e.mutate(r)
		_, err := c.ModelInfer(ctx, r)
		if st, _ := status.FromError(err); st.Code() != e.code || !strings.Contains(st.Message(), e.want) {
			t.Errorf("%s: got %v, want %v containing %q", e.name, err, e.code, e.want)
		}
	}
	if _, err := c.ModelMetadata(ctx, &pb.ModelMetadataRequest{Name: "nope"}); status.Code(err) != codes.NotFound {
		t.Errorf("ModelMetadata unknown: %v", err)
	}
	if _, err := c.ModelReady(ctx, &pb.ModelReadyRequest{Name: "nope"}); status.Code(err) != codes.NotFound {
		t.Errorf("ModelReady unknown: %v", err)
	}
	// An internal output by name.
	r := good()
	r.Outputs = []*pb.ModelInferRequest_InferRequestedOutputTensor{{Name: "activation1_output"}}
	if resp, err := c.ModelInfer(ctx, r); err != nil || !slicesEq(resp.Outputs[0].Shape, []int64{1, 64}) || len(resp.RawOutputContents[0]) != 256 {
		t.Fatalf("internal output: %v %v", resp, err)
	}
}

func slicesEq[T comparable](a, b []T) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}
