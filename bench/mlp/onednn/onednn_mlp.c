/*
 * oneDNN side of the MLP 784-512-512-10 (ReLU, softmax) comparison.
 *
 * oneDNN (Debian libdnnl-dev, 2.6) is MXNet 1.9.1's own CPU engine: this
 * runs the network as MXNet's MKLDNN backend does, one inner_product
 * primitive per FullyConnected with ReLU as an eltwise post-op, then a
 * softmax primitive, f32, weights reordered once into the layout the
 * primitive prefers (as MXNet caches them). Threads come from OpenMP
 * (OMP_NUM_THREADS). It prints one JSON line per configuration with the
 * fields pytorch_mlp.py prints, cpu_us being the process CPU time per
 * batch (all threads, OpenMP's spinning included), the peer of mxgo's
 * cpu-us/op on a shared machine. compare.sh builds it with gcc; it is never
 * linked into mxgo.
 *
 * usage: onednn_mlp BATCHxTHREADS... (threads only label the line: set
 * OMP_NUM_THREADS to match)
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <oneapi/dnnl/dnnl.h>

#define CHECK(f)                                                              \
	do {                                                                  \
		dnnl_status_t s_ = (f);                                       \
		if (s_ != dnnl_success) {                                     \
			fprintf(stderr, "%s:%d: %s failed: %d\n", __FILE__,   \
				__LINE__, #f, (int)s_);                       \
			exit(1);                                              \
		}                                                             \
	} while (0)

static dnnl_engine_t engine;
static dnnl_stream_t stream;

/* layer is one inner product (+ReLU when relu). */
struct layer {
	dnnl_primitive_t prim;
	dnnl_memory_t src, wei, bias, dst;
};

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec * 1e-9;
}

/* cpu returns the process's CPU time (all threads) in seconds. */
static double cpu(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return ts.tv_sec + ts.tv_nsec * 1e-9;
}

static unsigned long long rng = 88172645463325252ULL;

static float frand(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (float)((rng >> 40) / (double)(1 << 24) - 0.5) * 0.1f;
}

static dnnl_memory_t user_mem(int nd, const dnnl_dims_t dims, dnnl_format_tag_t tag, long n)
{
	dnnl_memory_desc_t md;
	dnnl_memory_t m;
	CHECK(dnnl_memory_desc_init_by_tag(&md, nd, dims, dnnl_f32, tag));
	CHECK(dnnl_memory_create(&m, &md, engine, DNNL_MEMORY_ALLOCATE));
	float *p;
	CHECK(dnnl_memory_get_data_handle(m, (void **)&p));
	for (long i = 0; i < n; i++)
		p[i] = frand();
	return m;
}

/* make_layer builds y = relu?(x·Wᵀ + b) for x (batch, in) whose memory is
 * src (plain nc), y (batch, out) plain nc. */
static struct layer make_layer(dnnl_memory_t src, int batch, int in, int out, int relu)
{
	struct layer l;
	dnnl_dims_t sd = {batch, in}, wd = {out, in}, bd = {out}, dd = {batch, out};
	dnnl_memory_desc_t smd, wany, bmd, dmd;
	CHECK(dnnl_memory_desc_init_by_tag(&smd, 2, sd, dnnl_f32, dnnl_nc));
	CHECK(dnnl_memory_desc_init_by_tag(&wany, 2, wd, dnnl_f32, dnnl_format_tag_any));
	CHECK(dnnl_memory_desc_init_by_tag(&bmd, 1, bd, dnnl_f32, dnnl_x));
	CHECK(dnnl_memory_desc_init_by_tag(&dmd, 2, dd, dnnl_f32, dnnl_nc));
	dnnl_inner_product_desc_t ipd;
	CHECK(dnnl_inner_product_forward_desc_init(&ipd, dnnl_forward_inference, &smd, &wany, &bmd, &dmd));
	dnnl_primitive_attr_t attr;
	CHECK(dnnl_primitive_attr_create(&attr));
	if (relu) {
		dnnl_post_ops_t po;
		CHECK(dnnl_post_ops_create(&po));
		CHECK(dnnl_post_ops_append_eltwise(po, 1.f, dnnl_eltwise_relu, 0.f, 0.f));
		CHECK(dnnl_primitive_attr_set_post_ops(attr, po));
		CHECK(dnnl_post_ops_destroy(po));
	}
	dnnl_primitive_desc_t pd;
	CHECK(dnnl_primitive_desc_create(&pd, &ipd, attr, engine, NULL));
	CHECK(dnnl_primitive_attr_destroy(attr));

	/* Weights: user (out, in) "oi", reordered once into the primitive's
	 * layout. */
	dnnl_memory_t wuser = user_mem(2, wd, dnnl_oi, (long)out * in);
	const dnnl_memory_desc_t *wmd = dnnl_primitive_desc_query_md(pd, dnnl_query_weights_md, 0);
	CHECK(dnnl_memory_create(&l.wei, wmd, engine, DNNL_MEMORY_ALLOCATE));
	const dnnl_memory_desc_t *wumd;
	CHECK(dnnl_memory_get_memory_desc(wuser, &wumd));
	dnnl_primitive_desc_t rpd;
	dnnl_primitive_t r;
	CHECK(dnnl_reorder_primitive_desc_create(&rpd, wumd, engine, wmd, engine, NULL));
	CHECK(dnnl_primitive_create(&r, rpd));
	dnnl_exec_arg_t rargs[2] = {{DNNL_ARG_FROM, wuser}, {DNNL_ARG_TO, l.wei}};
	CHECK(dnnl_primitive_execute(r, stream, 2, rargs));
	CHECK(dnnl_stream_wait(stream));
	CHECK(dnnl_primitive_destroy(r));
	CHECK(dnnl_primitive_desc_destroy(rpd));
	CHECK(dnnl_memory_destroy(wuser));

	l.src = src;
	l.bias = user_mem(1, bd, dnnl_x, out);
	CHECK(dnnl_memory_create(&l.dst, &dmd, engine, DNNL_MEMORY_ALLOCATE));
	CHECK(dnnl_primitive_create(&l.prim, pd));
	CHECK(dnnl_primitive_desc_destroy(pd));
	return l;
}

static void run_layer(struct layer *l)
{
	dnnl_exec_arg_t args[4] = {{DNNL_ARG_SRC, l->src}, {DNNL_ARG_WEIGHTS, l->wei},
		{DNNL_ARG_BIAS, l->bias}, {DNNL_ARG_DST, l->dst}};
	CHECK(dnnl_primitive_execute(l->prim, stream, 4, args));
}

static int cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

static void measure(int batch, int threads, double seconds)
{
	dnnl_dims_t xd = {batch, 784};
	dnnl_memory_t x = user_mem(2, xd, dnnl_nc, (long)batch * 784);
	struct layer l1 = make_layer(x, batch, 784, 512, 1);
	struct layer l2 = make_layer(l1.dst, batch, 512, 512, 1);
	struct layer l3 = make_layer(l2.dst, batch, 512, 10, 0);
	dnnl_memory_desc_t ymd;
	dnnl_dims_t yd = {batch, 10};
	CHECK(dnnl_memory_desc_init_by_tag(&ymd, 2, yd, dnnl_f32, dnnl_nc));
	dnnl_softmax_desc_t smd;
	CHECK(dnnl_softmax_forward_desc_init(&smd, dnnl_forward_inference, &ymd, 1));
	dnnl_primitive_desc_t spd;
	dnnl_primitive_t sm;
	dnnl_memory_t y;
	CHECK(dnnl_primitive_desc_create(&spd, &smd, NULL, engine, NULL));
	CHECK(dnnl_primitive_create(&sm, spd));
	CHECK(dnnl_memory_create(&y, &ymd, engine, DNNL_MEMORY_ALLOCATE));
	dnnl_exec_arg_t sargs[2] = {{DNNL_ARG_SRC, l3.dst}, {DNNL_ARG_DST, y}};

	size_t cap = 1 << 16, n = 0;
	double *lat = malloc(cap * sizeof *lat), sum = 0;
	for (int w = 0; w < 50; w++) {
		run_layer(&l1), run_layer(&l2), run_layer(&l3);
		CHECK(dnnl_primitive_execute(sm, stream, 2, sargs));
		CHECK(dnnl_stream_wait(stream));
	}
	double end = now() + seconds, cpu0 = cpu();
	while (now() < end) {
		double t0 = now();
		run_layer(&l1), run_layer(&l2), run_layer(&l3);
		CHECK(dnnl_primitive_execute(sm, stream, 2, sargs));
		CHECK(dnnl_stream_wait(stream));
		double t = now() - t0;
		if (n == cap)
			lat = realloc(lat, (cap *= 2) * sizeof *lat);
		lat[n++] = t;
		sum += t;
	}
	double cpu_us = (cpu() - cpu0) / n * 1e6;
	qsort(lat, n, sizeof *lat, cmp);
	const dnnl_version_t *v = dnnl_version();
	printf("{\"peer\": \"onednn %d.%d.%d\", \"batch\": %d, \"threads\": %d, \"p50_us\": %.2f, "
	       "\"p90_us\": %.2f, \"samples_per_s\": %.1f, \"cpu_us\": %.2f}\n",
		v->major, v->minor, v->patch, batch, threads, lat[n / 2] * 1e6,
		lat[n * 9 / 10] * 1e6, batch / (sum / n), cpu_us);
	fflush(stdout);
	free(lat);
}

int main(int argc, char **argv)
{
	double seconds = 2;
	const char *s = getenv("SECONDS_PER_RUN");
	if (s)
		seconds = atof(s);
	CHECK(dnnl_engine_create(&engine, dnnl_cpu, 0));
	CHECK(dnnl_stream_create(&stream, engine, dnnl_stream_default_flags));
	for (int i = 1; i < argc; i++) {
		int batch, threads;
		if (sscanf(argv[i], "%dx%d", &batch, &threads) != 2) {
			fprintf(stderr, "usage: onednn_mlp BATCHxTHREADS...\n");
			return 2;
		}
		measure(batch, threads, seconds);
	}
	return 0;
}
