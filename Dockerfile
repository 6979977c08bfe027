# mxgo serve: a static, non-root image of the mxgo command (entrypoint
# `mxgo serve`). Mount or bake models under /models and pass -model flags:
#
#   docker build -t mxgo .
#   docker run --rm -p 8080:8080 -p 8081:8081 -v $PWD/testdata/mxnet/sm-mlp-dummy:/models/mlp:ro \
#     mxgo -model mlp=/models/mlp/model:latest
FROM golang:1.26-bookworm AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
RUN CGO_ENABLED=0 go build -trimpath -ldflags="-s -w" -o /out/mxgo ./cmd/mxgo

FROM scratch
COPY --from=build /out/mxgo /mxgo
# 65532 is the conventional "nonroot" uid/gid (as in distroless).
USER 65532:65532
EXPOSE 8080 8081
ENTRYPOINT ["/mxgo", "serve", "-addr", "0.0.0.0:8080", "-grpc-addr", "0.0.0.0:8081", "-log-format", "json"]
CMD ["-model", "mlp=/models/mlp/model:latest"]
