package serve

import (
	"context"
	"errors"
	"fmt"
	"net/http"

	"google.golang.org/grpc/codes"
)

// kind classifies an error for both protocols and for the metrics.
type kind int

const (
	kindInternal    kind = iota // a server-side failure
	kindInvalid                 // the client's request is wrong
	kindNotFound                // unknown model or version
	kindExhausted               // the model's queue is full
	kindUnavailable             // the model is unloaded or the server closing
	kindCanceled                // the client went away
	kindDeadline                // the client's deadline passed
)

// apiError is an error with the kind that decides its status code.
type apiError struct {
	kind kind
	msg  string
}

func (e *apiError) Error() string { return e.msg }

func errorf(k kind, format string, args ...any) error {
	return &apiError{kind: k, msg: fmt.Sprintf(format, args...)}
}

func kindOf(err error) kind {
	var ae *apiError
	switch {
	case errors.As(err, &ae):
		return ae.kind
	case errors.Is(err, context.Canceled):
		return kindCanceled
	case errors.Is(err, context.DeadlineExceeded):
		return kindDeadline
	}
	return kindInternal
}

func (k kind) httpStatus() int {
	switch k {
	case kindInvalid:
		return http.StatusBadRequest
	case kindNotFound:
		return http.StatusNotFound
	case kindExhausted:
		return http.StatusTooManyRequests
	case kindUnavailable:
		return http.StatusServiceUnavailable
	case kindCanceled:
		return 499 // client closed request (nginx); nobody reads it
	case kindDeadline:
		return http.StatusGatewayTimeout
	}
	return http.StatusInternalServerError
}

func (k kind) grpcCode() codes.Code {
	switch k {
	case kindInvalid:
		return codes.InvalidArgument
	case kindNotFound:
		return codes.NotFound
	case kindExhausted:
		return codes.ResourceExhausted
	case kindUnavailable:
		return codes.Unavailable
	case kindCanceled:
		return codes.Canceled
	case kindDeadline:
		return codes.DeadlineExceeded
	}
	return codes.Internal
}

// outcome is the metrics label of a request's result.
func (k kind) outcome() string {
	switch k {
	case kindInvalid:
		return "invalid"
	case kindNotFound:
		return "not_found"
	case kindExhausted:
		return "exhausted"
	case kindUnavailable:
		return "unavailable"
	case kindCanceled:
		return "canceled"
	case kindDeadline:
		return "deadline"
	}
	return "error"
}
