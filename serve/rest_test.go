package serve

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"io"
	"math"
	"net/http"
	"strconv"
	"strings"
	"testing"
)

// TestRESTConformance checks every REST endpoint and error: status, and
// a fragment of the body (for errors, of the {"error": ...} message naming
// the field).
func TestRESTConformance(t *testing.T) {
	_, hs := newServer(t, Options{MaxBody: 64 << 10})
	img := image(t, 0)
	good := inferJSON([]int{1, 1, 28, 28}, img)
	binHeader := func(n int) string {
		return `{"inputs":[{"name":"data","shape":[1,1,28,28],"datatype":"FP32","parameters":{"binary_data_size":` + strconv.Itoa(n) + `}}]}`
	}
	raw := make([]byte, 784*4)
	for i, v := range img {
		binary.LittleEndian.PutUint32(raw[i*4:], math.Float32bits(v))
	}
	nan := append([]byte(nil), raw...)
	binary.LittleEndian.PutUint32(nan[40:], math.Float32bits(float32(math.NaN())))
	big := `{"inputs":[{"name":"data","shape":[1,1,28,28],"datatype":"FP32","data":[` + strings.Repeat("0.0,", 20000) + `0]}]}`
	both := strings.Replace(string(good), `"FP32"`, `"FP32","parameters":{"binary_data_size":3136}`, 1)
	type tc struct {
		name, method, path string
		header             map[string]string
		body               string
		status             int
		want               string // substring of the body
	}
	infer := "/v2/models/mlp/infer"
	cases := []tc{
		{"live", "GET", "/v2/health/live", nil, "", 200, `"live":true`},
		{"ready", "GET", "/v2/health/ready", nil, "", 200, `"ready":true`},
		{"server metadata", "GET", "/v2", nil, "", 200, `"extensions":["binary_tensor_data","model_repository"]`},
		{"model metadata", "GET", "/v2/models/mlp", nil, "", 200, `"inputs":[{"name":"data","datatype":"FP32","shape":[-1,1,28,28]}],"name":"mlp","outputs":[{"name":"softmax_output","datatype":"FP32","shape":[-1,10]}],"platform":"mxnet","versions":["0"]`},
		{"model metadata version", "GET", "/v2/models/lenet/versions/10", nil, "", 200, `"versions":["10"]`},
		{"model metadata unknown version", "GET", "/v2/models/lenet/versions/9", nil, "", 404, `no version \"9\"`},
		{"model metadata unknown", "GET", "/v2/models/nope", nil, "", 404, `model \"nope\" not found`},
		{"model ready", "GET", "/v2/models/mlp/ready", nil, "", 200, `"ready":true`},
		{"model version ready", "GET", "/v2/models/mlp/versions/0/ready", nil, "", 200, `"ready":true`},
		{"model ready unknown", "GET", "/v2/models/nope/ready", nil, "", 404, `not found`},
		{"infer", "POST", infer, nil, string(good), 200, `"model_name":"mlp","model_version":"0","id":"req-1","outputs":[{"name":"softmax_output","datatype":"FP32","shape":[1,10],"data":[`},
		{"infer version", "POST", "/v2/models/mlp/versions/0/infer", nil, string(good), 200, `"shape":[1,10]`},
		{"infer nested data", "POST", infer, nil, `{"inputs":[{"name":"data","shape":[2,1,28,28],"datatype":"FP32","data":[[` + strings.Repeat("[0.5],", 783) + `[0.5]],[` + strings.Repeat("[0],", 783) + `[0]]]}]}`, 200, `"shape":[2,10]`},
		{"infer binary in", "POST", infer, map[string]string{headerLength: strconv.Itoa(len(binHeader(3136)))}, binHeader(3136) + string(raw), 200, `"data":[`},
		{"infer unknown model", "POST", "/v2/models/nope/infer", nil, string(good), 404, `model \"nope\" not found`},
		{"infer unknown version", "POST", "/v2/models/mlp/versions/3/infer", nil, string(good), 404, `no version \"3\"`},
		{"malformed JSON", "POST", infer, nil, `{"inputs":[`, 400, `body: malformed JSON`},
		{"wrong field type", "POST", infer, nil, `{"inputs":[{"name":"data","shape":"x"}]}`, 400, `inputs.shape: string is not a JSON []int64`},
		{"no inputs", "POST", infer, nil, `{"inputs":[]}`, 400, `inputs: no input tensors`},
		{"wrong input name", "POST", infer, nil, strings.Replace(string(good), `"data","shape"`, `"pixels","shape"`, 1), 400, `inputs[0].name: model mlp has no input \"pixels\"`},
		{"wrong datatype", "POST", infer, nil, strings.Replace(string(good), `"FP32"`, `"FP64"`, 1), 400, `inputs[0].datatype: input data needs FP32, got \"FP64\"`},
		{"unknown datatype", "POST", infer, nil, strings.Replace(string(good), `"FP32"`, `"FLOAT"`, 1), 400, `inputs[0].datatype`},
		{"wrong shape", "POST", infer, nil, string(inferJSON([]int{1, 784}, img)), 400, `inputs[0].shape: [1 784] does not match input data's shape [-1 1 28 28]`},
		{"zero batch", "POST", infer, nil, string(inferJSON([]int{0, 1, 28, 28}, nil)), 400, `inputs[0].shape`},
		{"negative dim", "POST", infer, nil, string(inferJSON([]int{-1, 1, 28, 28}, img)), 400, `inputs[0].shape`},
		{"data length", "POST", infer, nil, string(inferJSON([]int{1, 1, 28, 28}, img[:783])), 400, `inputs[0].data: 783 values, shape [1 1 28 28] needs 784`},
		{"data missing", "POST", infer, nil, `{"inputs":[{"name":"data","shape":[1,1,28,28],"datatype":"FP32"}]}`, 400, `inputs[0].data: missing`},
		{"data not numbers", "POST", infer, nil, `{"inputs":[{"name":"data","shape":[1,1,1,1],"datatype":"FP32","data":["a"]}]}`, 400, `inputs[0].shape`},
		{"data string", "POST", infer, nil, `{"inputs":[{"name":"data","shape":[1,1,28,28],"datatype":"FP32","data":[` + strings.Repeat("0,", 783) + `"x"]}]}`, 400, `inputs[0].data: element 783: \"\\\"x\\\"\" is not an FP32 number`},
		{"data bool", "POST", infer, nil, `{"inputs":[{"name":"data","shape":[1,1,28,28],"datatype":"FP32","data":[` + strings.Repeat("0,", 783) + `true]}]}`, 400, `is not an FP32 number`},
		{"data overflow", "POST", infer, nil, `{"inputs":[{"name":"data","shape":[1,1,28,28],"datatype":"FP32","data":[` + strings.Repeat("0,", 783) + `1e39]}]}`, 400, `inputs[0].data: element 783`},
		{"input twice", "POST", infer, nil, `{"inputs":[` + strings.Repeat(`{"name":"data","shape":[1,1,28,28],"datatype":"FP32","data":[`+strings.Repeat("0,", 783)+`0]},`, 1) + `{"name":"data","shape":[1,1,28,28],"datatype":"FP32","data":[` + strings.Repeat("0,", 783) + `0]}]}`, 400, `inputs[1].name: input data given twice`},
		{"unknown output", "POST", infer, nil, strings.Replace(string(good), `"id"`, `"outputs":[{"name":"nope"}],"id"`, 1), 400, `outputs[0].name: model mlp has no output \"nope\"`},
		{"output is a weight", "POST", infer, nil, strings.Replace(string(good), `"id"`, `"outputs":[{"name":"fullyconnected0_weight"}],"id"`, 1), 400, `outputs[0].name: fullyconnected0_weight is not an output of an operator`},
		{"output is the input", "POST", infer, nil, strings.Replace(string(good), `"id"`, `"outputs":[{"name":"data"}],"id"`, 1), 400, `outputs[0].name: data is not an output of an operator`},
		{"output is the label", "POST", infer, nil, strings.Replace(string(good), `"id"`, `"outputs":[{"name":"softmax_label"}],"id"`, 1), 400, `outputs[0].name: softmax_label is not an output of an operator`},
		{"output twice", "POST", infer, nil, strings.Replace(string(good), `"id"`, `"outputs":[{"name":"softmax_output"},{"name":"softmax_output"}],"id"`, 1), 400, `outputs[1].name: output softmax_output requested twice`},
		{"bad binary_data_output", "POST", infer, nil, strings.Replace(string(good), `"id"`, `"parameters":{"binary_data_output":1},"id"`, 1), 400, `parameters.binary_data_output: 1 is not a boolean`},
		{"bad binary_data", "POST", infer, nil, strings.Replace(string(good), `"id"`, `"outputs":[{"name":"softmax_output","parameters":{"binary_data":"yes"}}],"id"`, 1), 400, `outputs[0].parameters.binary_data: yes is not a boolean`},
		{"header not a number", "POST", infer, map[string]string{headerLength: "x"}, string(good), 400, headerLength + `: \"x\" is not a byte count`},
		{"header too long", "POST", infer, map[string]string{headerLength: "999999"}, string(good), 400, `is larger than the`},
		{"binary size wrong", "POST", infer, map[string]string{headerLength: strconv.Itoa(len(binHeader(3135)))}, binHeader(3135) + string(raw), 400, `inputs[0].parameters.binary_data_size: 3135 bytes, shape [1 1 28 28] of FP32 needs 3136`},
		{"binary size negative", "POST", infer, map[string]string{headerLength: strconv.Itoa(len(binHeader(-1)))}, binHeader(-1) + string(raw), 400, `inputs[0].parameters.binary_data_size: -1 is not a non-negative integer`},
		{"binary short", "POST", infer, map[string]string{headerLength: strconv.Itoa(len(binHeader(3136)))}, binHeader(3136) + string(raw[:100]), 400, `add up to more than the 100 bytes`},
		{"binary extra", "POST", infer, map[string]string{headerLength: strconv.Itoa(len(binHeader(3136)))}, binHeader(3136) + string(raw) + "xx", 400, `body: 3138 bytes of binary data after the JSON part, the inputs' binary_data_size add up to 3136`},
		{"binary and data", "POST", infer, map[string]string{headerLength: strconv.Itoa(len(both))}, both + string(raw), 400, `inputs[0]: both data and parameters.binary_data_size given`},
		{"non-finite", "POST", infer, map[string]string{headerLength: strconv.Itoa(len(binHeader(3136)))}, binHeader(3136) + string(nan), 400, `inputs[0].data: element 10 is NaN (non-finite inputs are refused)`},
		{"body over max-body", "POST", infer, nil, big, 400, `body: larger than the 65536-byte limit (-max-body)`},
		{"repository index", "POST", "/v2/repository/index", nil, "", 200, `[{"name":"lenet","version":"10","state":"READY","reason":""},{"name":"mlp","version":"0","state":"READY","reason":""}]`},
		{"repository index ready", "POST", "/v2/repository/index", nil, `{"ready":true}`, 200, `"name":"mlp"`},
		{"repository index bad body", "POST", "/v2/repository/index", nil, `{"ready":"x"}`, 400, `ready: string is not a JSON bool`},
		{"load unknown", "POST", "/v2/repository/models/nope/load", nil, "", 404, `model \"nope\" not found`},
		{"unload unknown", "POST", "/v2/repository/models/nope/unload", nil, "", 404, `model \"nope\" not found`},
		{"load loaded", "POST", "/v2/repository/models/mlp/load", nil, "", 200, `{}`},
		{"metrics", "GET", "/metrics", nil, "", 200, `mxgo_serve_requests_total{model="mlp",outcome="ok",protocol="rest"}`},
		{"metrics queue", "GET", "/metrics", nil, "", 200, `mxgo_serve_queue_depth{model="mlp"} 0`},
		{"metrics latency", "GET", "/metrics", nil, "", 200, `mxgo_serve_request_duration_seconds_count{model="mlp",protocol="rest"}`},
		{"metrics batch", "GET", "/metrics", nil, "", 200, `mxgo_serve_batch_size_bucket{model="mlp",le="1"}`},
		{"no endpoint", "GET", "/v1/models", nil, "", 404, `no endpoint GET /v1/models`},
		{"wrong method", "GET", infer, nil, "", 405, `method GET not allowed`},
		{"wrong method 2", "DELETE", "/v2/health/live", nil, "", 405, `method DELETE not allowed`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			req, err := http.NewRequest(c.method, hs.URL+c.path, strings.NewReader(c.body))
			if err != nil {
				t.Fatal(err)
			}
			for k, v := range c.header {
				req.Header.Set(k, v)
			}
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			b, _ := io.ReadAll(resp.Body)
			if resp.StatusCode != c.status || !strings.Contains(string(b), c.want) {
				t.Fatalf("%s %s: got %d %.600s\nwant %d containing %s", c.method, c.path, resp.StatusCode, b, c.status, c.want)
			}
			if resp.StatusCode >= 400 {
				var e map[string]string
				if err := json.Unmarshal(b, &e); err != nil || e["error"] == "" {
					t.Fatalf("error body %q is not {\"error\": ...}", b)
				}
			}
		})
	}
}

// TestRESTDigits runs the ten MNIST images through both models, as JSON and
// with binary output, and checks the classes (the true labels for LeNet,
// SOURCES.md's recorded argmax for the MLP) and that the binary output
// equals the JSON one bit for bit.
func TestRESTDigits(t *testing.T) {
	_, hs := newServer(t, Options{})
	for _, m := range []struct {
		name string
		want []int
	}{{"mlp", mlpClasses}, {"lenet", mnistLabels}} {
		for i, want := range m.want {
			img := image(t, i)
			st, _, b := post(t, hs.URL+"/v2/models/"+m.name+"/infer", inferJSON([]int{1, 1, 28, 28}, img), nil)
			var r inferResponse
			if err := json.Unmarshal(b, &r); st != 200 || err != nil {
				t.Fatalf("%s image %d: %d %s", m.name, i, st, b)
			}
			if got := argmax(r.Outputs[0].Data); got != want || r.ID != "req-1" {
				t.Errorf("%s image %d: class %d id %q, want %d", m.name, i, got, r.ID, want)
			}
			body := bytes.Replace(inferJSON([]int{1, 1, 28, 28}, img), []byte(`"id"`), []byte(`"parameters":{"binary_data_output":true},"id"`), 1)
			st, h, b := post(t, hs.URL+"/v2/models/"+m.name+"/infer", body, nil)
			n, err := strconv.Atoi(h.Get(headerLength))
			if st != 200 || err != nil || n+40 != len(b) {
				t.Fatalf("%s binary: %d %s=%q len %d", m.name, st, headerLength, h.Get(headerLength), len(b))
			}
			var rb inferResponse
			if err := json.Unmarshal(b[:n], &rb); err != nil || rb.Outputs[0].Parameters["binary_data_size"] != 40 {
				t.Fatalf("binary header %s: %v", b[:n], err)
			}
			for j := range 10 {
				if got := math.Float32frombits(binary.LittleEndian.Uint32(b[n+4*j:])); got != r.Outputs[0].Data[j] {
					t.Fatalf("binary output %d = %v, JSON %v", j, got, r.Outputs[0].Data[j])
				}
			}
		}
	}
}

// TestRESTInternalOutput requests an internal output of the MLP (the first
// FullyConnected layer) together with a head and checks it against a
// float64 computation from the weights.
func TestRESTInternalOutput(t *testing.T) {
	s, hs := newServer(t, Options{})
	img := image(t, 3)
	body := bytes.Replace(inferJSON([]int{1, 1, 28, 28}, img), []byte(`"id"`),
		[]byte(`"outputs":[{"name":"fullyconnected0_output"},{"name":"softmax_output","parameters":{"binary_data":true}}],"id"`), 1)
	st, h, b := post(t, hs.URL+"/v2/models/mlp/infer", body, nil)
	if st != 200 {
		t.Fatalf("%d %s", st, b)
	}
	n, _ := strconv.Atoi(h.Get(headerLength))
	var r inferResponse
	if err := json.Unmarshal(b[:n], &r); err != nil {
		t.Fatal(err)
	}
	if len(r.Outputs) != 2 || r.Outputs[0].Name != "fullyconnected0_output" || len(r.Outputs[0].Data) != 128 || r.Outputs[1].Parameters["binary_data_size"] != 40 || len(b) != n+40 {
		t.Fatalf("response %s", b[:n])
	}
	args, _ := s.models["mlp"].current().variants0().m.GetParams()
	w, bias := args["fullyconnected0_weight"].Float32s(), args["fullyconnected0_bias"].Float32s()
	for o := range 128 {
		want := float64(bias[o])
		for k := range 784 {
			want += float64(w[o*784+k]) * float64(img[k])
		}
		if got := float64(r.Outputs[0].Data[o]); math.Abs(got-want) > 1e-4*(1+math.Abs(want)) {
			t.Fatalf("fullyconnected0_output[%d] = %v, float64 reference %v", o, got, want)
		}
	}
	if c := argmax(floatsLE(b[n:])); c != 0 {
		t.Errorf("class %d, want 0", c)
	}
}

func floatsLE(b []byte) []float32 {
	out := make([]float32, len(b)/4)
	for i := range out {
		out[i] = math.Float32frombits(binary.LittleEndian.Uint32(b[4*i:]))
	}
	return out
}

// TestRepositoryUnloadLoad unloads a model (ready turns false, inference is
// UNAVAILABLE, the index says so) and loads it back.
func TestRepositoryUnloadLoad(t *testing.T) {
	_, hs := newServer(t, Options{})
	get := func(path string) int {
		resp, err := http.Get(hs.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	if st, _, b := post(t, hs.URL+"/v2/repository/models/mlp/unload", nil, nil); st != 200 {
		t.Fatalf("unload: %d %s", st, b)
	}
	if st := get("/v2/models/mlp/ready"); st != 503 {
		t.Errorf("ready after unload: %d", st)
	}
	if st := get("/v2/health/ready"); st != 503 {
		t.Errorf("server ready after unload: %d", st)
	}
	if st, _, b := post(t, hs.URL+"/v2/models/mlp/infer", inferJSON([]int{1, 1, 28, 28}, image(t, 0)), nil); st != 503 || !strings.Contains(string(b), "not loaded") {
		t.Errorf("infer after unload: %d %s", st, b)
	}
	if _, _, b := post(t, hs.URL+"/v2/repository/index", nil, nil); !strings.Contains(string(b), `{"name":"mlp","state":"UNAVAILABLE","reason":"unloaded"}`) {
		t.Errorf("index: %s", b)
	}
	if st, _, b := post(t, hs.URL+"/v2/repository/models/mlp/load", []byte(`{}`), nil); st != 200 {
		t.Fatalf("load: %d %s", st, b)
	}
	if st, _, b := post(t, hs.URL+"/v2/models/mlp/infer", inferJSON([]int{1, 1, 28, 28}, image(t, 0)), nil); st != 200 {
		t.Errorf("infer after load: %d %s", st, b)
	}
}
