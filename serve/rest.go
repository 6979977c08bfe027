package serve

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"net/http"
	"runtime/debug"
	"strconv"
	"time"

	"github.com/mxgo/mxgo/tensor"
)

// headerLength is the binary tensor data extension's header: the byte
// length of the JSON part of a request or response body.
const headerLength = "Inference-Header-Content-Length"

func (s *Server) restHandler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /v2/health/live", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, http.StatusOK, map[string]bool{"live": true})
	})
	mux.HandleFunc("GET /v2/health/ready", func(w http.ResponseWriter, r *http.Request) {
		ready := s.Ready()
		writeJSON(w, readyStatus(ready), map[string]bool{"ready": ready})
	})
	mux.HandleFunc("GET /v2", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, http.StatusOK, map[string]any{"name": serverName, "version": Version(), "extensions": extensions})
	})
	mux.HandleFunc("GET /v2/models/{name}", s.restMetadata)
	mux.HandleFunc("GET /v2/models/{name}/versions/{version}", s.restMetadata)
	mux.HandleFunc("GET /v2/models/{name}/ready", s.restModelReady)
	mux.HandleFunc("GET /v2/models/{name}/versions/{version}/ready", s.restModelReady)
	mux.HandleFunc("POST /v2/models/{name}/infer", s.restInfer)
	mux.HandleFunc("POST /v2/models/{name}/versions/{version}/infer", s.restInfer)
	mux.HandleFunc("POST /v2/repository/index", s.restIndex)
	mux.HandleFunc("POST /v2/repository/models/{name}/load", s.restLoad)
	mux.HandleFunc("POST /v2/repository/models/{name}/unload", s.restUnload)
	mux.Handle("GET /metrics", s.metricsHandler())
	for _, p := range []string{"/v2/health/live", "/v2/health/ready", "/v2", "/v2/models/{name}",
		"/v2/models/{name}/versions/{version}", "/v2/models/{name}/ready", "/v2/models/{name}/versions/{version}/ready",
		"/v2/models/{name}/infer", "/v2/models/{name}/versions/{version}/infer", "/v2/repository/index",
		"/v2/repository/models/{name}/load", "/v2/repository/models/{name}/unload", "/metrics"} {
		mux.HandleFunc(p, func(w http.ResponseWriter, r *http.Request) {
			writeJSON(w, http.StatusMethodNotAllowed, map[string]string{"error": "method " + r.Method + " not allowed on " + r.URL.Path})
		})
	}
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		writeError(w, errorf(kindNotFound, "no endpoint %s %s", r.Method, r.URL.Path))
	})
	return s.recoverer(mux)
}

// recoverer turns a panic in a handler into a logged 500 (a bug, never the
// client's fault) instead of a dropped connection.
func (s *Server) recoverer(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			if v := recover(); v != nil {
				if v == http.ErrAbortHandler {
					panic(v)
				}
				s.log.Error("handler panic", "path", r.URL.Path, "panic", v, "stack", string(debug.Stack()))
				writeError(w, fmt.Errorf("internal error"))
			}
		}()
		h.ServeHTTP(w, r)
	})
}

func readyStatus(ready bool) int {
	if ready {
		return http.StatusOK
	}
	return http.StatusServiceUnavailable
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		status = http.StatusInternalServerError
		buf.Reset()
		buf.WriteString(`{"error":"encoding the response failed"}`)
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	w.Write(buf.Bytes())
}

// writeError answers {"error": "..."} with the status of err's kind.
func writeError(w http.ResponseWriter, err error) {
	writeJSON(w, kindOf(err).httpStatus(), map[string]string{"error": err.Error()})
}

type restTensorMeta struct {
	Name     string `json:"name"`
	Datatype string `json:"datatype"`
	Shape    []int  `json:"shape"`
}

func restMetas(ms []tensorMeta) []restTensorMeta {
	out := make([]restTensorMeta, len(ms))
	for i, m := range ms {
		out[i] = restTensorMeta{m.name, mustDatatype(m.dtype), m.shape}
	}
	return out
}

// platform is the model platform reported in metadata.
const platform = "mxnet"

func (s *Server) restMetadata(w http.ResponseWriter, r *http.Request) {
	l, err := s.lookup(r.PathValue("name"), r.PathValue("version"))
	if err != nil {
		writeError(w, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{
		"name": l.name, "versions": []string{l.version()}, "platform": platform,
		"inputs": restMetas(l.inputs), "outputs": restMetas(l.outputs),
	})
}

func (s *Server) restModelReady(w http.ResponseWriter, r *http.Request) {
	name := r.PathValue("name")
	_, err := s.lookup(name, r.PathValue("version"))
	if kindOf(err) == kindNotFound {
		writeError(w, err)
		return
	}
	writeJSON(w, readyStatus(err == nil), map[string]any{"name": name, "ready": err == nil})
}

func (s *Server) restIndex(w http.ResponseWriter, r *http.Request) {
	var req struct {
		Ready bool `json:"ready"`
	}
	if err := s.readOptionalJSON(w, r, &req); err != nil {
		writeError(w, err)
		return
	}
	type entry struct {
		Name    string `json:"name"`
		Version string `json:"version,omitempty"`
		State   string `json:"state"`
		Reason  string `json:"reason"`
	}
	out := []entry{}
	for _, n := range s.names {
		e := entry{Name: n, State: "UNAVAILABLE", Reason: "unloaded"}
		if l := s.models[n].current(); l != nil {
			e = entry{Name: n, Version: l.version(), State: "READY"}
		} else if req.Ready {
			continue
		}
		out = append(out, e)
	}
	writeJSON(w, http.StatusOK, out)
}

func (s *Server) restLoad(w http.ResponseWriter, r *http.Request) {
	var req struct {
		Parameters map[string]any `json:"parameters"`
	}
	if err := s.readOptionalJSON(w, r, &req); err != nil {
		writeError(w, err)
		return
	}
	if err := s.LoadModel(r.PathValue("name")); err != nil {
		writeError(w, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{})
}

func (s *Server) restUnload(w http.ResponseWriter, r *http.Request) {
	var req struct {
		Parameters map[string]any `json:"parameters"`
	}
	if err := s.readOptionalJSON(w, r, &req); err != nil {
		writeError(w, err)
		return
	}
	if err := s.UnloadModel(r.PathValue("name")); err != nil {
		writeError(w, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{})
}

// LoadModel loads a configured model that was unloaded (at its configured
// epoch, or the newest one for Latest). Loading a loaded model does nothing.
func (s *Server) LoadModel(name string) error {
	m, ok := s.models[name]
	if !ok {
		return errorf(kindNotFound, "model %q not found (the repository holds %v)", name, s.names)
	}
	if s.ctx.Err() != nil {
		return errorf(kindUnavailable, "server is shutting down")
	}
	if err := m.load(); err != nil {
		return errorf(kindInvalid, "loading model %s: %v", name, err)
	}
	return nil
}

// UnloadModel stops serving a model until LoadModel: queued requests are
// answered UNAVAILABLE, running ones finish.
func (s *Server) UnloadModel(name string) error {
	m, ok := s.models[name]
	if !ok {
		return errorf(kindNotFound, "model %q not found (the repository holds %v)", name, s.names)
	}
	m.unload()
	return nil
}

// readBody reads a bounded request body.
func (s *Server) readBody(w http.ResponseWriter, r *http.Request) ([]byte, error) {
	b, err := io.ReadAll(http.MaxBytesReader(w, r.Body, s.opts.MaxBody))
	if err != nil {
		var mb *http.MaxBytesError
		if errors.As(err, &mb) {
			return nil, errorf(kindInvalid, "body: larger than the %d-byte limit (-max-body)", mb.Limit)
		}
		return nil, errorf(kindInvalid, "body: %v", err)
	}
	return b, nil
}

// readOptionalJSON decodes a body that may be empty.
func (s *Server) readOptionalJSON(w http.ResponseWriter, r *http.Request, v any) error {
	b, err := s.readBody(w, r)
	if err != nil || len(b) == 0 {
		return err
	}
	return decodeJSON(b, v)
}

// decodeJSON unmarshals a request, naming the field of a type mismatch.
func decodeJSON(b []byte, v any) error {
	err := json.Unmarshal(b, v)
	if err == nil {
		return nil
	}
	var te *json.UnmarshalTypeError
	if errors.As(err, &te) {
		return errorf(kindInvalid, "%s: %s is not a JSON %s", te.Field, te.Value, te.Type)
	}
	return errorf(kindInvalid, "body: malformed JSON: %v", err)
}

// restRequest is an OIP v2 inference request.
type restRequest struct {
	ID         string          `json:"id"`
	Parameters map[string]any  `json:"parameters"`
	Inputs     []restInput     `json:"inputs"`
	Outputs    []restOutputReq `json:"outputs"`
}

type restInput struct {
	Name       string          `json:"name"`
	Shape      []int64         `json:"shape"`
	Datatype   string          `json:"datatype"`
	Parameters map[string]any  `json:"parameters"`
	Data       json.RawMessage `json:"data"`
}

type restOutputReq struct {
	Name       string         `json:"name"`
	Parameters map[string]any `json:"parameters"`
}

// boolParam reads an optional boolean parameter.
func boolParam(params map[string]any, key, field string) (val, ok bool, err error) {
	v, ok := params[key]
	if !ok {
		return false, false, nil
	}
	b, isBool := v.(bool)
	if !isBool {
		return false, false, paramError(field+"."+key, v, "a boolean")
	}
	return b, true, nil
}

// intParam reads an optional non-negative integer parameter.
func intParam(params map[string]any, key, field string) (int, bool, error) {
	v, ok := params[key]
	if !ok {
		return 0, false, nil
	}
	f, isNum := v.(float64)
	if !isNum || f < 0 || f != math.Trunc(f) || f > 1<<50 {
		return 0, false, paramError(field+"."+key, v, "a non-negative integer")
	}
	return int(f), true, nil
}

// parsedREST is a decoded inference request.
type parsedREST struct {
	req  restRequest
	ins  []decoded
	bins []bool // per requested output (or per model output when none requested): binary
}

// decodeREST decodes an inference request body (JSON, or JSON followed by
// binary tensor data when jsonLen >= 0) for model l.
func decodeREST(l *loaded, body []byte, jsonLen int) (*parsedREST, error) {
	p := &parsedREST{}
	bin := []byte(nil)
	if jsonLen >= 0 {
		if jsonLen > len(body) {
			return nil, errorf(kindInvalid, "%s: %d is larger than the %d-byte body", headerLength, jsonLen, len(body))
		}
		body, bin = body[:jsonLen], body[jsonLen:]
	}
	if err := decodeJSON(body, &p.req); err != nil {
		return nil, err
	}
	if len(p.req.Inputs) == 0 {
		return nil, errorf(kindInvalid, "inputs: no input tensors given")
	}
	off := 0
	for i, in := range p.req.Inputs {
		field := "inputs[" + strconv.Itoa(i) + "]"
		idx, dims, n, err := l.checkInput(field, in.Name, in.Datatype, in.Shape)
		if err != nil {
			return nil, err
		}
		size, hasBin, err := intParam(in.Parameters, "binary_data_size", field+".parameters")
		if err != nil {
			return nil, err
		}
		dt := l.inputs[idx].dtype
		hasData := len(in.Data) > 0 && string(in.Data) != "null"
		var t *tensor.Tensor
		switch {
		case hasBin && hasData:
			return nil, errorf(kindInvalid, "%s: both data and parameters.binary_data_size given", field)
		case hasBin:
			if want := n * dt.Size(); size != want {
				return nil, errorf(kindInvalid, "%s.parameters.binary_data_size: %d bytes, shape %v of %s needs %d", field, size, in.Shape, in.Datatype, want)
			}
			if size > len(bin)-off {
				return nil, errorf(kindInvalid, "%s.parameters.binary_data_size: the binary data sizes add up to more than the %d bytes after the JSON part", field, len(bin))
			}
			if t, err = tensor.New(dt, dims...); err != nil {
				return nil, errorf(kindInvalid, "%s.shape: %v", field, err)
			}
			copy(t.Bytes(), bin[off:off+size])
			off += size
		case hasData:
			cnt, err := countJSON(in.Data)
			if err != nil {
				return nil, errorf(kindInvalid, "%s.data: %v", field, err)
			}
			if cnt != n {
				return nil, errorf(kindInvalid, "%s.data: %d values, shape %v needs %d", field, cnt, in.Shape, n)
			}
			if t, err = tensor.New(dt, dims...); err != nil {
				return nil, errorf(kindInvalid, "%s.shape: %v", field, err)
			}
			if err := fillJSON(t, in.Data); err != nil {
				return nil, errorf(kindInvalid, "%s.data: %v", field, err)
			}
		default:
			return nil, errorf(kindInvalid, "%s.data: missing (give data or parameters.binary_data_size)", field)
		}
		p.ins = append(p.ins, decoded{field: field, idx: idx, t: t})
	}
	if off != len(bin) {
		return nil, errorf(kindInvalid, "body: %d bytes of binary data after the JSON part, the inputs' binary_data_size add up to %d", len(bin), off)
	}
	all, _, err := boolParam(p.req.Parameters, "binary_data_output", "parameters")
	if err != nil {
		return nil, err
	}
	for i, o := range p.req.Outputs {
		b, ok, err := boolParam(o.Parameters, "binary_data", "outputs["+strconv.Itoa(i)+"].parameters")
		if err != nil {
			return nil, err
		}
		if !ok {
			b = all
		}
		p.bins = append(p.bins, b)
	}
	if len(p.req.Outputs) == 0 {
		for range l.outputs {
			p.bins = append(p.bins, all)
		}
	}
	return p, nil
}

func (s *Server) restInfer(w http.ResponseWriter, r *http.Request) {
	start := time.Now()
	name := r.PathValue("name")
	err := s.restInferOne(w, r, name)
	if err != nil {
		writeError(w, err)
	}
	s.observe(name, "rest", start, err)
}

func (s *Server) restInferOne(w http.ResponseWriter, r *http.Request, name string) error {
	l, err := s.lookup(name, r.PathValue("version"))
	if err != nil {
		return err
	}
	body, err := s.readBody(w, r)
	if err != nil {
		return err
	}
	jsonLen := -1
	if h := r.Header.Get(headerLength); h != "" {
		if jsonLen, err = strconv.Atoi(h); err != nil || jsonLen < 0 {
			return errorf(kindInvalid, "%s: %q is not a byte count", headerLength, h)
		}
	}
	p, err := decodeREST(l, body, jsonLen)
	if err != nil {
		return err
	}
	ins, rows, err := l.assemble(p.ins)
	if err != nil {
		return err
	}
	names := make([]string, len(p.req.Outputs))
	for i, o := range p.req.Outputs {
		names[i] = o.Name
	}
	v, pick, err := l.selectOutputs(names)
	if err != nil {
		return err
	}
	outs, version, err := v.infer(r.Context(), ins, rows, pick)
	if err != nil {
		return err
	}
	resp, blobs, err := encodeREST(l.name, version, p, outs)
	if err != nil {
		return err
	}
	h := w.Header()
	if len(blobs) > 0 {
		h.Set("Content-Type", "application/octet-stream")
		h.Set(headerLength, strconv.Itoa(len(resp)))
		n := len(resp)
		for _, b := range blobs {
			n += len(b)
		}
		h.Set("Content-Length", strconv.Itoa(n))
		w.Write(resp)
		for _, b := range blobs {
			w.Write(b)
		}
		return nil
	}
	h.Set("Content-Type", "application/json")
	h.Set("Content-Length", strconv.Itoa(len(resp)))
	w.Write(resp)
	return nil
}

// encodeREST builds the JSON response and the binary output blobs.
func encodeREST(name, version string, p *parsedREST, outs []outTensor) ([]byte, [][]byte, error) {
	b := make([]byte, 0, 256)
	b = append(b, `{"model_name":`...)
	b = appendString(b, name)
	b = append(b, `,"model_version":`...)
	b = appendString(b, version)
	if p.req.ID != "" {
		b = append(b, `,"id":`...)
		b = appendString(b, p.req.ID)
	}
	b = append(b, `,"outputs":[`...)
	var blobs [][]byte
	for i := range outs {
		o := &outs[i]
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, `{"name":`...)
		b = appendString(b, o.name)
		b = append(b, `,"datatype":"`...)
		b = append(b, mustDatatype(o.dtype)...)
		b = append(b, `","shape":[`...)
		for j, d := range o.shape {
			if j > 0 {
				b = append(b, ',')
			}
			b = strconv.AppendInt(b, int64(d), 10)
		}
		b = append(b, ']')
		if p.bins[i] {
			b = append(b, `,"parameters":{"binary_data_size":`...)
			b = strconv.AppendInt(b, int64(len(o.data)), 10)
			b = append(b, "}}"...)
			blobs = append(blobs, o.data)
			continue
		}
		b = append(b, `,"data":`...)
		var err error
		if b, err = appendJSON(b, o); err != nil {
			return nil, nil, err
		}
		b = append(b, '}')
	}
	b = append(b, "]}"...)
	return b, blobs, nil
}

func appendString(b []byte, s string) []byte {
	q, _ := json.Marshal(s)
	return append(b, q...)
}

// Version is the server version ServerMetadata reports: the main module's
// version from the build information, or "devel".
func Version() string {
	if bi, ok := debug.ReadBuildInfo(); ok && bi.Main.Version != "" && bi.Main.Version != "(devel)" {
		return bi.Main.Version
	}
	return "devel"
}
